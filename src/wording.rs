//! Every line the command line prints about its own work, one table per
//! language (the site's, as `config` decides it): status lines, notices of
//! watch and serve, and failures of the system around the site. Problems in
//! the content carry their own two languages (`error::Text`).

use std::fmt::Display;
use std::path::Path;

use crate::error::Lang;

/// One thing to say, with what it mentions.
pub enum Say<'a> {
    /// `build` finished.
    Built {
        pages: usize,
        files: usize,
        out: &'a Path,
        secs: f64,
    },
    /// The first build of watch and serve finished.
    FirstBuilt {
        pages: usize,
        out: &'a Path,
        secs: f64,
    },
    CheckPassed {
        pages: usize,
    },
    StrictFailed,
    Rebuilt {
        ms: u128,
        read: usize,
        villages: usize,
        written: usize,
        removed: usize,
    },
    /// After a failed rebuild.
    KeptLastGood,
    Watching,
    ServingAt(&'a str),
    OnYourPhone(&'a str),
    NoLanAddress,
    /// `init` made a site; the folder to build it in.
    NewSite(&'a Path),
    /// A failure before or around the build, with its reason.
    Failed(&'a str),
    CannotOpenSite(&'a Path, &'a dyn Display),
    /// `init` into a folder that already has a content/ folder.
    SiteExists(&'a Path),
    CannotListen(&'a dyn Display, &'a dyn Display),
    CannotWatch(&'a dyn Display),
    /// `template` wrote its workbooks.
    TemplateWritten,
    /// `import` wrote TOML; the workbook to move out of the village folder,
    /// if it is there.
    Imported {
        move_out: Option<&'a Path>,
    },
    /// `template` or `import` would replace a file.
    WouldOverwrite(&'a Path),
    /// `template` into a folder that keeps its roster as TOML.
    TemplateBesideToml(&'a Path),
    /// `import` found problems in the workbook (listed above it).
    SheetHasProblems,
    /// `print` wrote its pages.
    Printed {
        files: usize,
        dir: &'a Path,
    },
    /// `print --output` inside the site's output folder.
    PrintInsideSite(&'a Path),
    /// `bundle` wrote its zip.
    Bundled {
        files: usize,
        zip: &'a Path,
    },
    /// `bundle` found no built site.
    NothingToBundle(&'a Path),
    /// `bundle --output` inside the site it zips.
    ZipInsideSite(&'a Path),
    /// `deploy` and its failures.
    Deployed {
        uploads: usize,
        deletes: usize,
        bucket: &'a str,
    },
    DeployPlanned {
        uploads: usize,
        deletes: usize,
    },
    DeployNoGoodBuild,
    /// No deploy.toml beside content/.
    DeployNoTargets(&'a Path),
    /// deploy.toml has the problems printed above.
    DeployBadTargets,
    DeployNoSuchTarget {
        name: &'a str,
        names: &'a str,
    },
    DeployNoKeys,
    DeployTooManyDeletes {
        count: usize,
        max: usize,
    },
    DeployNoNetwork {
        endpoint: &'a str,
        why: &'a str,
    },
    DeployWrongKeys(&'a str),
    DeployNoBucket(&'a str),
    DeployWrongRegion {
        endpoint: &'a str,
        code: &'a str,
    },
    DeployRefused {
        status: u16,
        code: &'a str,
        message: &'a str,
    },
    /// `print --pdf` found no Chromium.
    NoChromium,
    PdfFailed(&'a Path),
    /// The preview page's banner over the problems of a failed rebuild.
    PreviewNotUpdated,
    /// Short answers of the preview server, shown in a browser.
    ServerBusy,
    OnlyGetAndHead,
    UnknownHost,
}

/// A build stage (`read`, `validate`, `render`, `write`, `publish`) as the
/// progress bar names it.
pub fn stage(lang: Lang, id: &'static str) -> &'static str {
    match (lang, id) {
        (Lang::En, id) => id,
        (Lang::Zh, "read") => "读取",
        (Lang::Zh, "validate") => "检查",
        (Lang::Zh, "render") => "生成",
        (Lang::Zh, "write") => "写入",
        (Lang::Zh, "publish") => "发布",
        (Lang::Zh, id) => id,
    }
}

pub fn say(lang: Lang, what: Say<'_>) -> String {
    match lang {
        Lang::Zh => zh(what),
        Lang::En => en(what),
    }
}

fn zh(what: Say<'_>) -> String {
    match what {
        Say::Built {
            pages,
            files,
            out,
            secs,
        } => {
            format!(
                "已生成 {pages} 个页面（共 {files} 个文件）到 {}，用时 {secs:.2} 秒",
                out.display()
            )
        }
        Say::FirstBuilt { pages, out, secs } => format!("已生成 {pages} 个页面到 {}，用时 {secs:.2} 秒", out.display()),
        Say::CheckPassed { pages } => format!("检查通过：{pages} 个页面，没有错误"),
        Say::StrictFailed => "有警告，--strict 下按失败处理".into(),
        Say::Rebuilt {
            ms,
            read,
            villages,
            written,
            removed,
        } => {
            format!(
                "已更新（{ms} 毫秒）：读取 {read} 个文件，重新生成 {villages} 个村，写入 {written} 个文件，删除 {removed} 个"
            )
        }
        Say::KeptLastGood => "（上一次成功生成的网站保持不变；改好后再保存一次）".into(),
        Say::Watching => "正在留意 content/ 和 themes/ 里的改动（按 Ctrl+C 停止）".into(),
        Say::ServingAt(url) => format!("预览地址：{url}"),
        Say::OnYourPhone(url) => format!("在手机上打开（连同一个 Wi-Fi）：{url}"),
        Say::NoLanAddress => "找不到本机的局域网地址，手机无法访问这台电脑".into(),
        Say::NewSite(dir) => format!("已在 {0} 新建网站；生成网站：starboard build --root {0}", dir.display()),
        Say::Failed(why) => format!("错误：{why}"),
        Say::CannotOpenSite(dir, e) => format!("打不开网站文件夹 {}：{e}", dir.display()),
        Say::SiteExists(dir) => format!("{} 已经存在，不会覆盖；请换一个空文件夹", dir.display()),
        Say::CannotListen(addr, e) => format!("无法在 {addr} 上提供预览：{e}；请用 --port 换一个端口"),
        Say::CannotWatch(e) => format!("无法留意文件的改动：{e}"),
        Say::PreviewNotUpdated => "预览没有更新：内容有错误，改正后页面会自动刷新".into(),
        Say::TemplateWritten => {
            "已写好两张表：填好后放进村的文件夹（与 village.toml 放在一起），保存后网站就会更新".into()
        }
        Say::Imported { move_out: Some(file) } => format!(
            "已转换成 TOML；请把 {} 移出这个文件夹（表格和 TOML 都在会报错）",
            file.display()
        ),
        Say::Imported { move_out: None } => "已转换成 TOML".into(),
        Say::WouldOverwrite(path) => format!("{} 已经存在，没有覆盖；确实要覆盖请加 --force", path.display()),
        Say::SheetHasProblems => "表格里有上面这些问题，没有转换；改好后再转换一次".into(),
        Say::TemplateBesideToml(toml) => format!(
            "这个村已经用 {} 记录；表格和它放在一起会报错。请把表格写到别的文件夹（--village 另一个文件夹），或先把 TOML 文件移走",
            toml.display()
        ),
        Say::Printed { files, dir } => format!(
            "已写好 {files} 个打印页面到 {}；用浏览器打开后打印，或带 --pdf 生成 PDF 拿去打印店",
            dir.display()
        ),
        Say::PrintInsideSite(dir) => format!("{} 在网站的输出文件夹里；打印页面不上网，请换一个文件夹", dir.display()),
        Say::Bundled { files, zip } => format!(
            "已把 {files} 个文件打包到 {}（其中 MANIFEST.sha256 列出每个文件的校验值）",
            zip.display()
        ),
        Say::NothingToBundle(dir) => format!("{} 里还没有生成好的网站；请先运行 starboard build", dir.display()),
        Say::ZipInsideSite(zip) => format!("{} 在要打包的网站文件夹里面；请把压缩包放到别处", zip.display()),
        Say::Deployed { uploads, deletes, bucket } => format!("已上传 {uploads} 个文件、删除 {deletes} 个文件到存储桶 {bucket}"),
        Say::DeployPlanned { uploads, deletes } => format!("试运行：会上传 {uploads} 个文件、删除 {deletes} 个文件（什么也没有改）"),
        Say::DeployNoGoodBuild => "上一次生成网站有错误（或还没有生成），没有上传；请先运行 starboard build，改正错误后再上传".into(),
        Say::DeployNoTargets(path) => format!(
            "没有找到 {}；请在 content/ 旁边建一个，写上 [target.名称] 以及 endpoint、bucket、region（见 README 的“发布”一节）",
            path.display()
        ),
        Say::DeployBadTargets => "deploy.toml 有上面这些问题，没有上传；改好后再上传".into(),
        Say::DeployNoSuchTarget { name, names } => format!("deploy.toml 里没有 [target.{name}]；有的是：{names}"),
        Say::DeployNoKeys => "没有找到访问密钥：请设置环境变量 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY（阿里云、腾讯云、华为云的 AccessKey 也填在这里）".into(),
        Say::DeployTooManyDeletes { count, max } => format!("这次要从存储桶里删除 {count} 个文件，超过了上限 {max}；确认无误的话加 --max-deletes {count}"),
        Say::DeployNoNetwork { endpoint, why } => format!("连不上 {endpoint}（{why}）；请检查网络，以及 deploy.toml 里的 endpoint"),
        Say::DeployWrongKeys(code) => format!("存储服务不接受这对密钥（{code}）；请检查 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY"),
        Say::DeployNoBucket(bucket) => format!("没有名为 {bucket} 的存储桶；请检查 deploy.toml 里的 bucket，或先在控制台创建它"),
        Say::DeployWrongRegion { endpoint, code } => format!("区域或 endpoint 不对（{code}）；请核对 deploy.toml 里的 region 和 endpoint（现在是 {endpoint}）"),
        Say::DeployRefused { status, code, message } => format!("存储服务拒绝了请求：{status} {code} {message}"),
        Say::NoChromium => {
            "没有找到 Chromium 浏览器，不能生成 PDF；请用浏览器打开上面的页面，选择“打印”（A4、无页边距）".into()
        }
        Say::PdfFailed(page) => format!("{} 没能生成 PDF；请用浏览器打开它打印", page.display()),
        Say::ServerBusy => "预览服务器正忙，请稍后刷新".into(),
        Say::OnlyGetAndHead => "预览服务器只支持打开页面（GET、HEAD）".into(),
        Say::UnknownHost => "这个地址不是本机的预览地址".into(),
    }
}

fn en(what: Say<'_>) -> String {
    match what {
        Say::Built {
            pages,
            files,
            out,
            secs,
        } => {
            format!(
                "built {pages} pages ({files} files) into {} in {secs:.2}s",
                out.display()
            )
        }
        Say::FirstBuilt { pages, out, secs } => format!("built {pages} pages into {} in {secs:.2}s", out.display()),
        Say::CheckPassed { pages } => format!("check passed: {pages} pages, no errors"),
        Say::StrictFailed => "warnings found: failing because of --strict".into(),
        Say::Rebuilt {
            ms,
            read,
            villages,
            written,
            removed,
        } => format!(
            "rebuilt in {ms} ms: {read} files read, {villages} villages rendered, {written} files written, {removed} removed"
        ),
        Say::KeptLastGood => "(the last good site is kept; fix the file and save again)".into(),
        Say::Watching => "watching content/ and themes/ for changes (Ctrl+C to stop)".into(),
        Say::ServingAt(url) => format!("serving at {url}"),
        Say::OnYourPhone(url) => format!("on your phone (same Wi-Fi): {url}"),
        Say::NoLanAddress => "no local network address found; phones cannot reach this machine".into(),
        Say::NewSite(dir) => format!(
            "new site in {0}; build it with: starboard build --root {0}",
            dir.display()
        ),
        Say::Failed(why) => format!("error: {why}"),
        Say::CannotOpenSite(dir, e) => format!("cannot open site folder {}: {e}", dir.display()),
        Say::SiteExists(dir) => format!("{} already exists; choose an empty folder", dir.display()),
        Say::CannotListen(addr, e) => format!("cannot listen on {addr}: {e}; try another --port"),
        Say::CannotWatch(e) => format!("cannot watch files: {e}"),
        Say::PreviewNotUpdated => "Preview not updated: fix the problems below and the page reloads by itself".into(),
        Say::TemplateWritten => "two workbooks written: fill them in, put them in the village's folder (beside village.toml), and the site updates when they are saved".into(),
        Say::Imported { move_out: Some(file) } => format!(
            "converted to TOML; move {} out of this folder (a spreadsheet and a TOML file of the same roster are an error)",
            file.display()
        ),
        Say::Imported { move_out: None } => "converted to TOML".into(),
        Say::WouldOverwrite(path) => format!("{} is there already and was not replaced; add --force to replace it", path.display()),
        Say::SheetHasProblems => "the spreadsheet has the problems above and was not converted; fix them and import again".into(),
        Say::TemplateBesideToml(toml) => format!(
            "this village keeps its records in {}; a workbook beside it would be an error. Write the template to another folder (--village), or move the TOML file away first",
            toml.display()
        ),
        Say::Printed { files, dir } => format!(
            "{files} printable pages written to {}; open them in a browser and print, or add --pdf for PDFs to take to a print shop",
            dir.display()
        ),
        Say::PrintInsideSite(dir) => format!("{} is inside the site's output folder; printables are never published, choose another folder", dir.display()),
        Say::Bundled { files, zip } => format!(
            "{files} files zipped into {} (MANIFEST.sha256 in it lists every file's checksum)",
            zip.display()
        ),
        Say::NothingToBundle(dir) => format!("there is no built site in {}; run starboard build first", dir.display()),
        Say::ZipInsideSite(zip) => format!("{} is inside the site it would zip; write it somewhere else", zip.display()),
        Say::Deployed { uploads, deletes, bucket } => format!("{uploads} files uploaded and {deletes} deleted in bucket {bucket}"),
        Say::DeployPlanned { uploads, deletes } => format!("dry run: {uploads} files would be uploaded and {deletes} deleted (nothing was changed)"),
        Say::DeployNoGoodBuild => "the last build had errors (or there was none), so nothing was uploaded; run starboard build and fix them first".into(),
        Say::DeployNoTargets(path) => format!(
            "there is no {}; make one beside content/ with a [target.NAME] giving endpoint, bucket and region (see README, Publishing)",
            path.display()
        ),
        Say::DeployBadTargets => "deploy.toml has the problems above, so nothing was uploaded; fix them and deploy again".into(),
        Say::DeployNoSuchTarget { name, names } => format!("deploy.toml has no [target.{name}]; it has: {names}"),
        Say::DeployNoKeys => "no access keys: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (Aliyun's, Tencent's and Huawei's AccessKeys go there too)".into(),
        Say::DeployTooManyDeletes { count, max } => format!("this deploy would delete {count} files from the bucket, more than {max}; if that is right, add --max-deletes {count}"),
        Say::DeployNoNetwork { endpoint, why } => format!("cannot reach {endpoint} ({why}); check the network and the endpoint in deploy.toml"),
        Say::DeployWrongKeys(code) => format!("the storage service does not accept these keys ({code}); check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"),
        Say::DeployNoBucket(bucket) => format!("there is no bucket named {bucket}; check bucket in deploy.toml, or create it in the console first"),
        Say::DeployWrongRegion { endpoint, code } => format!("wrong region or endpoint ({code}); check region and endpoint in deploy.toml (now {endpoint})"),
        Say::DeployRefused { status, code, message } => format!("the storage service refused: {status} {code} {message}"),
        Say::NoChromium => "no Chromium found, so no PDFs; open the pages above in a browser and print them (A4, no margins)".into(),
        Say::PdfFailed(page) => format!("no PDF could be made of {}; open it in a browser and print it", page.display()),
        Say::ServerBusy => "the preview server is busy; reload in a moment".into(),
        Say::OnlyGetAndHead => "the preview server only opens pages (GET and HEAD)".into(),
        Say::UnknownHost => "this address is not this machine's preview".into(),
    }
}
