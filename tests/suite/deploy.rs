//! `starboard deploy` (issue 16) against a real S3 API server on loopback:
//! moto's server, started here (`pip install "moto[server]"`). Skipped with
//! a reason when it is absent, failed under CI=true.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::Site;

struct Moto {
    child: Child,
    port: u16,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn moto() -> Option<Moto> {
    moto_with(&[])
}

/// moto's server with these environment variables (moto checks keys only
/// after `INITIAL_NO_AUTH_ACTION_COUNT` requests).
fn moto_with(env: &[(&str, &str)]) -> Option<Moto> {
    let present = Command::new("python3")
        .args(["-c", "import moto.server"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !present {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "moto's server is required under CI=true (pip install \"moto[server]\")"
        );
        eprintln!("skipping: moto's server not found (pip install \"moto[server]\")");
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new("python3")
        .args(["-m", "moto.server", "-p", &port.to_string()])
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "moto's server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    Some(Moto { child, port })
}

/// Python's boto3 (installed with moto) on the bucket: `script` gets `s3`.
fn boto(moto: &Moto, script: &str) -> String {
    let program = format!(
        "import boto3, json\ns3 = boto3.client('s3', endpoint_url='http://127.0.0.1:{}', aws_access_key_id='testing', aws_secret_access_key='testing', region_name='us-east-1')\n{script}",
        moto.port
    );
    let out = Command::new("python3").args(["-c", &program]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Every object: key → ETag (MD5).
fn bucket(moto: &Moto) -> std::collections::BTreeMap<String, String> {
    let json = boto(
        moto,
        "p = s3.get_paginator('list_objects_v2')\nprint(json.dumps({o['Key']: o['ETag'].strip('\"') for page in p.paginate(Bucket='site') for o in page.get('Contents', [])}))",
    );
    serde_json::from_str(&json).unwrap()
}

fn deploy(site: &Site, args: &[&str]) -> crate::support::Run {
    let out = Command::new(env!("CARGO_BIN_EXE_starboard"))
        .arg("deploy")
        .args(args)
        .current_dir(site.dir.path())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .output()
        .unwrap();
    crate::support::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn uploads(run: &crate::support::Run) -> Vec<String> {
    run.stdout
        .lines()
        .filter_map(|l| l.trim().strip_prefix("upload ").map(str::to_string))
        .collect()
}

/// The bucket holds exactly public/: same keys, same MD5s.
fn assert_bucket_is_public(moto: &Moto, site: &Site) {
    let local: std::collections::BTreeMap<String, String> = site
        .snapshot()
        .into_iter()
        .map(|(path, bytes)| {
            use md5::Digest as _;
            let digest: String = md5::Md5::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
            (path.to_string_lossy().replace('\\', "/"), digest)
        })
        .collect();
    assert_eq!(bucket(moto), local);
}

fn site_with_target(moto: &Moto) -> Site {
    let site = Site::fixture("minimal");
    site.write(
        "deploy.toml",
        &format!(
            "[target.test]\nendpoint = \"http://127.0.0.1:{}\"\nbucket = \"site\"\npath_style = true\n",
            moto.port
        ),
    );
    site
}

#[test]
fn deploy_uploads_what_changed_and_deletes_what_went() {
    let Some(moto) = moto() else { return };
    boto(&moto, "s3.create_bucket(Bucket='site')");
    let site = site_with_target(&moto);
    // Never from a failed (or missing) build.
    let run = deploy(&site, &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("请先运行 starboard build"), "{}", run.stderr);

    // Nor after a build with errors, though public/ is still there.
    assert_eq!(site.build().code, 0);
    let village = site.village("village.toml");
    let good = std::fs::read_to_string(site.path(&village)).unwrap();
    site.write(&village, "name = \"测试村\"\ngrids = \"many\"\n");
    assert_eq!(site.build().code, 1);
    let run = deploy(&site, &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("上一次生成网站有错误"), "{}", run.stderr);
    site.write(&village, &good);

    assert_eq!(site.build().code, 0);
    let dry = deploy(&site, &["--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(bucket(&moto).is_empty(), "a dry run changes nothing");
    let first = deploy(&site, &[]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(uploads(&first), uploads(&dry), "the dry run listed every upload");
    assert_eq!(
        uploads(&first).len(),
        site.snapshot().len(),
        "everything the first time"
    );
    // Assets before pages.
    let order = uploads(&first);
    let first_page = order.iter().position(|k| k.ends_with(".html")).unwrap();
    assert!(order[first_page..].iter().all(|k| k.ends_with(".html")), "{order:?}");
    assert_bucket_is_public(&moto, &site);

    let headers = boto(
        &moto,
        "for k in ['index.html', 'atom.xml']:\n    h = s3.head_object(Bucket='site', Key=k)\n    print(k, h['ContentType'], '|', h['CacheControl'])\nimport re\nkeys = [o['Key'] for o in s3.list_objects_v2(Bucket='site')['Contents'] if o['Key'].startswith('assets/') and o['Key'].endswith('.css')]\nh = s3.head_object(Bucket='site', Key=keys[0])\nprint('css', h['ContentType'], '|', h['CacheControl'])",
    );
    assert!(
        headers.contains("index.html text/html; charset=utf-8 | public, max-age=300"),
        "{headers}"
    );
    assert!(
        headers.contains("atom.xml application/atom+xml; charset=utf-8"),
        "{headers}"
    );
    assert!(
        headers.contains("css text/css; charset=utf-8 | public, max-age=31536000, immutable"),
        "{headers}"
    );

    let again = deploy(&site, &[]);
    assert_eq!(
        uploads(&again),
        Vec::<String>::new(),
        "nothing changed: {}",
        again.stdout
    );

    // A one-village edit: that village's changed files (and what lists it).
    let households = site.village("households.toml");
    let text = std::fs::read_to_string(site.path(&households)).unwrap();
    site.write(&households, &text.replace("陈明华", "陈建国"));
    assert_eq!(site.build().code, 0);
    let edit = deploy(&site, &[]);
    let changed = uploads(&edit);
    assert!(!changed.is_empty() && changed.len() < 12, "{changed:?}");
    assert!(
        changed.iter().any(|k| k == "ceshixian/ceshizhen/ceshicun/index.html"),
        "{changed:?}"
    );
    assert!(!changed.iter().any(|k| k.starts_with("assets/")), "{changed:?}");
    assert_bucket_is_public(&moto, &site);

    // A deleted village's files are deleted.
    site.write(
        "content/villages/测试县/测试镇/二村/village.toml",
        "name = \"二村\"\n[six_no]\nno_gangs = true\nno_drugs = true\n",
    );
    assert_eq!(site.build().code, 0);
    assert_eq!(deploy(&site, &[]).code, 0);
    assert!(bucket(&moto).contains_key("ceshixian/ceshizhen/ercun/index.html"));
    std::fs::remove_dir_all(site.path("content/villages/测试县/测试镇/二村")).unwrap();
    assert_eq!(site.build().code, 0);
    let gone = deploy(&site, &[]);
    assert!(
        gone.stdout.contains("delete ceshixian/ceshizhen/ercun/index.html"),
        "{}",
        gone.stdout
    );
    assert_bucket_is_public(&moto, &site);

    // Cut off half-way (some files never went up, the record stops early):
    // the next deploy finishes the job.
    boto(
        &moto,
        "for k in ['index.html', 'stars/index.html']:\n    s3.delete_object(Bucket='site', Key=k)",
    );
    let record = site.path(".starboard/deploy-test.tsv");
    let kept: String = std::fs::read_to_string(&record)
        .unwrap()
        .lines()
        .take(3)
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&record, kept).unwrap();
    assert_eq!(deploy(&site, &[]).code, 0);
    assert_bucket_is_public(&moto, &site);
}

#[test]
fn a_missing_bucket_or_no_network_says_what_to_fix() {
    let Some(moto) = moto() else { return };
    let site = site_with_target(&moto);
    assert_eq!(site.build().code, 0);
    let run = deploy(&site, &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("没有名为 site 的存储桶"), "{}", run.stderr);
    // Nobody listens on this port.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    site.write(
        "deploy.toml",
        &format!("[target.test]\nendpoint = \"http://127.0.0.1:{closed}\"\nbucket = \"site\"\npath_style = true\n"),
    );
    let run = deploy(&site, &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("连不上 http://127.0.0.1:"), "{}", run.stderr);
    assert!(!run.stderr.contains("testing"), "keys are never printed");
    // No keys at all.
    let out = Command::new(env!("CARGO_BIN_EXE_starboard"))
        .arg("deploy")
        .current_dir(site.dir.path())
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("AWS_ACCESS_KEY_ID"));
}

/// Keys the service does not know: told so, and never printed.
#[test]
fn wrong_keys_are_told_as_such() {
    let Some(moto) = moto_with(&[("INITIAL_NO_AUTH_ACTION_COUNT", "1")]) else {
        return;
    };
    boto(&moto, "s3.create_bucket(Bucket='site')");
    let site = site_with_target(&moto);
    assert_eq!(site.build().code, 0);
    let out = Command::new(env!("CARGO_BIN_EXE_starboard"))
        .arg("deploy")
        .current_dir(site.dir.path())
        .env("AWS_ACCESS_KEY_ID", "AKIDWRONGKEY")
        .env("AWS_SECRET_ACCESS_KEY", "wrong-secret")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(said.contains("存储服务不接受这对密钥（InvalidAccessKeyId）"), "{said}");
    assert!(
        !said.contains("AKIDWRONGKEY") && !said.contains("wrong-secret"),
        "{said}"
    );
}

/// deploy.toml is read like any content file: its mistakes are located and
/// said in the site's language; no file, or no such target, says what to do.
#[test]
fn deploy_toml_mistakes_are_located() {
    let site = Site::fixture("minimal");
    assert_eq!(site.build().code, 0);
    let run = deploy(&site, &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("没有找到") && run.stderr.contains("deploy.toml"),
        "{}",
        run.stderr
    );
    site.write(
        "deploy.toml",
        "[target.oss]\nendpoint = \"https://oss-cn-hangzhou.aliyuncs.com\"\nbucker = \"site\"\n",
    );
    let run = deploy(&site, &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("--> deploy.toml:3:1") && run.stderr.contains("不认识的字段"),
        "{}",
        run.stderr
    );
    site.write(
        "deploy.toml",
        "[target.oss]\nendpoint = \"https://x\"\nbucket = \"site\"\n",
    );
    let run = deploy(&site, &["--target", "cos"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("没有 [target.cos]；有的是：oss"), "{}", run.stderr);
}
