//! Villages kept in spreadsheets (issue 13), written by other programs:
//! Python's openpyxl (as Excel saves), LibreOffice (XLS, ODS) and a GBK CSV
//! as Excel on Chinese Windows saves it. Each builds byte for byte the site
//! the equivalent TOML builds. Tests that need openpyxl or LibreOffice skip
//! with a reason when they are absent, and fail under CI=true.

use std::path::Path;
use std::process::Command;

use crate::support::{Site, assert_matches_expected, assert_one_error_pinned};

/// households.toml of the minimal fixture, as a sheet (star names and ids
/// mixed, separators of every kind, a totals row under the data).
fn households_rows() -> serde_json::Value {
    serde_json::json!([
        ["编号", "户主", "网格", "星", "同意公开全名", "公开"],
        ["t-001", "陈明华", "num:1", "守纪星、卫生星、互助星", "", ""],
        ["t-002", "欧阳明华", "", "law，hygiene", "是", ""],
        ["t-003", "李秀英", "", "守纪星", "", "否"],
        ["合计", "3 户", "", "", "", ""]
    ])
}

/// points.toml of the minimal fixture, as a sheet (dates as date cells and
/// as text, points as numbers and as "2分", kinds in Chinese and English).
fn points_rows() -> serde_json::Value {
    serde_json::json!([
        ["编号", "日期", "类别", "项目", "分值", "备注"],
        ["t-001", "date:2022-11-05", "加分", "志愿服务", "", ""],
        ["t-002", "2022年11月6日", "加分", "volunteer", "num:8", "参加清理"],
        ["t-002", "date:2022-10-06", "扣分", "环境卫生", "2分", ""],
        ["t-003", "2022/11/7", "award", "志愿服务", "num:50", ""]
    ])
}

fn required(what: &str, install: &str) {
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{what} is required under CI=true ({install})"
    );
    eprintln!("skipping: {what} not found ({install})");
}

fn openpyxl() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import openpyxl"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        required("Python's openpyxl", "pip install openpyxl");
    }
    ok
}

fn soffice() -> bool {
    let ok = Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        required("LibreOffice", "apt-get install -y libreoffice-calc");
    }
    ok
}

/// Write `sheets` (name, rows) to `out` with openpyxl.
fn write_xlsx(out: &Path, sheets: &[(&str, serde_json::Value)]) {
    let json: Vec<serde_json::Value> = sheets
        .iter()
        .map(|(name, rows)| serde_json::json!({ "name": name, "rows": rows }))
        .collect();
    let spec = out.with_extension("json");
    std::fs::write(&spec, serde_json::to_string(&json).unwrap()).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/tools/write_sheet.py");
    let run = Command::new("python3")
        .arg(script)
        .arg(out)
        .arg(&spec)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    std::fs::remove_file(spec).unwrap();
}

/// Rows as CSV text (cells with a `date:`/`num:` mark lose the mark).
fn csv_text(rows: &serde_json::Value) -> String {
    let mut out = String::new();
    for row in rows.as_array().unwrap() {
        let cells: Vec<String> = row
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let c = c.as_str().unwrap();
                let c = c.strip_prefix("date:").or_else(|| c.strip_prefix("num:")).unwrap_or(c);
                if c.contains([',', '，']) {
                    format!("\"{c}\"")
                } else {
                    c.to_string()
                }
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// The minimal fixture with its rosters taken out: `period` moves to
/// village.toml; returns the site and the public/ its TOML builds.
fn without_toml_rosters() -> (Site, std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>) {
    let site = Site::fixture("minimal");
    assert_eq!(site.build().code, 0);
    let from_toml = site.snapshot();
    std::fs::remove_file(site.path(&site.village("households.toml"))).unwrap();
    std::fs::remove_file(site.path(&site.village("points.toml"))).unwrap();
    let village = site.village("village.toml");
    let text = std::fs::read_to_string(site.path(&village)).unwrap();
    site.write(&village, &format!("period = \"2022\"\n{text}"));
    (site, from_toml)
}

fn assert_builds_like_toml(
    site: &Site,
    from_toml: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>,
    what: &str,
) {
    let run = site.build();
    assert_eq!(run.code, 0, "{what}: {}", run.stderr);
    let got = site.snapshot();
    let paths: Vec<_> = got.keys().collect();
    assert_eq!(paths, from_toml.keys().collect::<Vec<_>>(), "{what}: the same files");
    for (path, bytes) in from_toml {
        assert!(got[path] == *bytes, "{what}: {} differs", path.display());
    }
}

#[test]
fn an_xlsx_village_builds_byte_identical_to_its_toml() {
    if !openpyxl() {
        return;
    }
    let (site, from_toml) = without_toml_rosters();
    let dir = site.path(&site.village(""));
    write_xlsx(&dir.join("households.xlsx"), &[("Sheet1", households_rows())]);
    write_xlsx(&dir.join("points.xlsx"), &[("十一月", points_rows())]);
    assert_builds_like_toml(&site, &from_toml, "openpyxl xlsx");
    // Lock and temp files beside them are never read nor published.
    std::fs::write(dir.join("~$households.xlsx"), b"lock").unwrap();
    std::fs::write(dir.join(".~lock.points.xlsx#"), b"lock").unwrap();
    std::fs::write(dir.join("households.xlsx.tmp"), b"temp").unwrap();
    assert_builds_like_toml(&site, &from_toml, "with lock files");
}

#[test]
fn xlsx_xls_ods_and_et_written_by_libreoffice_build_the_same() {
    if !soffice() {
        return;
    }
    let (site, from_toml) = without_toml_rosters();
    let dir = site.path(&site.village(""));
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("households.csv"), csv_text(&households_rows())).unwrap();
    std::fs::write(work.path().join("points.csv"), csv_text(&points_rows())).unwrap();
    for (format, ext) in [("xlsx", "xlsx"), ("xls", "xls"), ("ods", "ods"), ("xls", "et")] {
        for stem in ["households", "points"] {
            let run = Command::new("soffice")
                .args([
                    "--headless",
                    "--infilter=CSV:44,34,76,1",
                    "--convert-to",
                    format,
                    "--outdir",
                ])
                .arg(work.path())
                .arg(work.path().join(format!("{stem}.csv")))
                .env("HOME", work.path())
                .output()
                .unwrap();
            assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
            for old in std::fs::read_dir(&dir).unwrap() {
                let old = old.unwrap().path();
                if old.file_stem().is_some_and(|s| s == stem) && old.extension().is_some_and(|e| e != "toml") {
                    std::fs::remove_file(old).unwrap();
                }
            }
            // WPS saves .et in the XLS format: an XLS under that name stands for it.
            std::fs::copy(
                work.path().join(format!("{stem}.{format}")),
                dir.join(format!("{stem}.{ext}")),
            )
            .unwrap();
        }
        assert_builds_like_toml(&site, &from_toml, ext);
    }
}

#[test]
fn a_gbk_csv_as_excel_saves_it_builds_the_same() {
    let (site, from_toml) = without_toml_rosters();
    let dir = site.path(&site.village(""));
    for (stem, rows) in [("households", households_rows()), ("points", points_rows())] {
        let text = csv_text(&rows);
        let (gbk, _, lossy) = encoding_rs::GBK.encode(&text);
        assert!(!lossy);
        std::fs::write(dir.join(format!("{stem}.csv")), gbk).unwrap();
    }
    assert_builds_like_toml(&site, &from_toml, "GBK CSV");
}

/// (expected file, households sheet rows): each mistake is one message at
/// its cell, with the cell's text.
#[test]
fn each_spreadsheet_mistake_is_one_message_at_its_cell() {
    let cases: &[(&str, &str)] = &[
        ("sheet_unknown_column", "编号,户主,爱好\nt-001,陈明华,钓鱼\n"),
        (
            "sheet_personal_column",
            "编号,户主,身份证号\nt-001,陈明华,45040319800101001X\n",
        ),
        ("sheet_unknown_star", "编号,户主,星\nt-001,陈明华,\"守纪星、懒惰星\"\n"),
        ("sheet_bad_yes_no", "编号,户主,公开\nt-001,陈明华,也许\n"),
        ("sheet_bad_grid", "编号,户主,网格\nt-001,陈明华,东边\n"),
        ("sheet_missing_head", "编号,户主\nt-001,\nt-002,欧阳明华\n"),
        ("sheet_missing_column", "编号,网格\nt-001,1\n"),
    ];
    for (name, csv) in cases {
        let site = Site::fixture("minimal");
        let village = site.village("");
        std::fs::remove_file(site.path(&format!("{village}households.toml"))).unwrap();
        std::fs::remove_file(site.path(&format!("{village}points.toml"))).unwrap();
        site.write(&format!("{village}households.csv"), csv);
        assert_one_error_pinned(&site, name);
    }
}

/// The same for the ledger: a cell that cannot be read leaves its row out
/// with one message, and nothing follows from it (no overdraft for the
/// redemption its award would have paid for).
#[test]
fn each_ledger_sheet_mistake_is_one_message_at_its_cell() {
    let cases: &[(&str, &str)] = &[
        (
            "sheet_bad_date",
            "编号,日期,类别,项目,分值\nt-001,11月31日,加分,志愿服务,30\nt-001,2022-11-20,兑换,肥皂,20\n",
        ),
        (
            "sheet_bad_kind",
            "编号,日期,类别,项目,分值\nt-001,2022-11-05,送礼,志愿服务,5\n",
        ),
        (
            "sheet_bad_points",
            "编号,日期,类别,项目,分值\nt-001,2022-11-05,加分,志愿服务,五分\n",
        ),
    ];
    for (name, csv) in cases {
        let site = Site::fixture("minimal");
        std::fs::remove_file(site.path(&site.village("points.toml"))).unwrap();
        site.write(&site.village("points.csv"), csv);
        assert_one_error_pinned(&site, name);
    }
}

#[test]
fn a_toml_and_a_spreadsheet_of_the_same_roster_is_an_error() {
    let site = Site::fixture("minimal");
    site.write(&site.village("households.csv"), "编号,户主\nt-001,陈明华\n");
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("共 1 个错误"),
        "no follow-on errors for the ledger: {}",
        run.stderr
    );
    assert_matches_expected("sheet_two_rosters", &run.stderr);
}

/// `serve` (watch and a server) rebuilds when a spreadsheet is saved, and an
/// office program's lock file beside it is never read.
#[test]
fn saving_a_spreadsheet_updates_the_preview_and_lock_files_are_ignored() {
    if !openpyxl() {
        return;
    }
    let (site, _) = without_toml_rosters();
    let dir = site.path(&site.village(""));
    write_xlsx(&dir.join("households.xlsx"), &[("Sheet1", households_rows())]);
    let server = crate::serve::Server::start_at(site.dir.path(), None);
    let board = || crate::browser::http_get(&server.host, "/sub/ceshixian/ceshizhen/ceshicun/");
    assert!(board().contains("陈*华") && !board().contains("张*丰"));

    let wait_for = |name: &str| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while !board().contains(name) {
            assert!(std::time::Instant::now() < deadline, "{name} never appeared");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    };
    let mut rows = households_rows();
    let add = |rows: &mut serde_json::Value, id: &str, name: &str| {
        let at = rows.as_array().unwrap().len() - 1; // above the totals row
        rows.as_array_mut()
            .unwrap()
            .insert(at, serde_json::json!([id, name, "", "守纪星、卫生星", "", ""]));
    };
    add(&mut rows, "t-004", "张三丰");
    write_xlsx(&dir.join("households.xlsx"), &[("Sheet1", rows.clone())]);
    wait_for("张*丰");

    // Excel's owner file and LibreOffice's lock appear while a sheet is
    // open; were they read, the next rebuild would fail on them.
    std::fs::write(dir.join("~$households.xlsx"), b"\x0bExcel owner").unwrap();
    std::fs::write(dir.join(".~lock.households.xlsx#"), b"lock").unwrap();
    add(&mut rows, "t-005", "王五一");
    write_xlsx(&dir.join("households.xlsx"), &[("Sheet1", rows)]);
    wait_for("王*一");
    let published: Vec<String> = std::fs::read_dir(site.path("public/ceshixian/ceshizhen/ceshicun"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!published.iter().any(|n| n.contains("xlsx")), "{published:?}");
}

/// `starboard template` writes workbooks whose example rows build, with
/// drop-down lists from standards.toml (read back with openpyxl).
#[test]
fn template_workbooks_have_drop_downs_and_build() {
    if !openpyxl() {
        return;
    }
    // Not beside the TOML it would compete with.
    let toml_site = Site::fixture("minimal");
    let toml_village = toml_site.path(&toml_site.village(""));
    let root = toml_site.dir.path().to_str().unwrap().to_string();
    let refused = toml_site.run(&["template", "--root", &root, "--village", toml_village.to_str().unwrap()]);
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("households.toml") && !toml_village.join("households.xlsx").exists(),
        "{}",
        refused.stderr
    );

    let (site, _) = without_toml_rosters();
    let village = site.path(&site.village(""));
    let root = site.dir.path().to_str().unwrap().to_string();
    let run = site.run(&["template", "--root", &root, "--village", village.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let again = site.run(&["template", "--root", &root, "--village", village.to_str().unwrap()]);
    assert_eq!(again.code, 1, "never overwrites without --force");
    assert!(again.stderr.contains("--force"), "{}", again.stderr);
    let run = site.build();
    assert_eq!(run.code, 0, "the example rows build: {}", run.stderr);
    assert!(site.public("ceshixian/ceshizhen/ceshicun/index.html").contains("陈*华"));

    let script = "import openpyxl,sys\nfor f in sys.argv[1:]:\n    b=openpyxl.load_workbook(f)\n    for ws in b.worksheets:\n        print(f.rsplit('/',1)[1], ws.title, ws.sheet_state)\n        for dv in ws.data_validations.dataValidation:\n            print('  ', dv.sqref, dv.formula1)\n";
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(village.join("households.xlsx"))
        .arg(village.join("points.xlsx"))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("households.xlsx 选项 hidden"), "{said}");
    assert!(
        said.contains("D2:D2001 '选项'!$A$1:$A$3"),
        "stars from standards.toml: {said}"
    );
    assert!(said.contains("\"是,否\""), "{said}");
    // The ledger's sheet: kinds, and items and rewards (2 + 1) from standards.toml.
    let points = &said[said.find("points.xlsx 积分 visible").expect("the ledger sheet")..];
    assert!(points.contains("\"加分,扣分,兑换\""), "{points}");
    assert!(points.contains("D2:D2001 '选项'!$A$1:$A$3"), "{points}");
}

/// `starboard import` turns a workbook into the TOML it stands for: the
/// site built from it is the site built from the original TOML.
#[test]
fn import_writes_the_toml_a_workbook_stands_for() {
    if !openpyxl() {
        return;
    }
    let (site, from_toml) = without_toml_rosters();
    let work = tempfile::tempdir().unwrap();
    let book = work.path().join("名册.xlsx");
    write_xlsx(&book, &[("住户", households_rows()), ("十一月", points_rows())]);
    let village = site.path(&site.village(""));
    let run = site.run(&["import", book.to_str().unwrap(), "--village", village.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(village.join("households.toml").exists() && village.join("points.toml").exists());
    assert_builds_like_toml(&site, &from_toml, "imported");
    let again = site.run(&["import", book.to_str().unwrap(), "--village", village.to_str().unwrap()]);
    assert_eq!(again.code, 1, "never overwrites without --force: {}", again.stdout);

    // A town's workbook: one sheet per village folder.
    std::fs::remove_file(village.join("households.toml")).unwrap();
    let town_book = work.path().join("镇.xlsx");
    write_xlsx(&town_book, &[("测试村", households_rows())]);
    let town = village.parent().unwrap();
    let run = site.run(&["import", town_book.to_str().unwrap(), "--town", town.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_builds_like_toml(&site, &from_toml, "imported by town");
}
