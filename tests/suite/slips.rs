//! Chinese input habits (issue 12): each slip gets exactly one message, at
//! its line and column, naming the character and the line as it should be
//! typed; nothing else in the file is reported because of it. A file saved
//! as GBK builds, with one warning.

use crate::support::{Site, assert_matches_expected, assert_one_error_pinned};

/// (expected file, file under the village or site, text to find, replacement)
const SLIPS: &[(&str, &str, &str, &str)] = &[
    (
        "slip_fullwidth_comma",
        "households.toml",
        "[\"law\", \"hygiene\"]",
        "[\"law\"， \"hygiene\"]",
    ),
    ("slip_fullwidth_colon", "village.toml", "grids = 2", "grids：2"),
    (
        "slip_colon_before_quotes",
        "village.toml",
        "name = \"测试村\"",
        "name：\"测试村\"",
    ),
    (
        "slip_curly_quotes",
        "village.toml",
        "name = \"测试村\"",
        "name = “测试村”",
    ),
    (
        "slip_date_slashes",
        "points.toml",
        "date = 2022-11-05",
        "date = 2022/11/5",
    ),
    (
        "slip_date_dots",
        "points.toml",
        "date = 2022-11-05",
        "date = 2022.11.05",
    ),
    (
        "slip_date_chinese",
        "points.toml",
        "date = 2022-11-05",
        "date = 2022年11月5日",
    ),
    (
        "slip_date_quoted",
        "points.toml",
        "date = 2022-11-05",
        "date = \"2022-11-05\"",
    ),
    ("slip_yes_no", "village.toml", "no_drugs = true", "no_drugs = 是"),
    // A required field typed with its Chinese name: the slip only, not
    // also "missing field".
    (
        "slip_chinese_key_name",
        "village.toml",
        "name = \"测试村\"",
        "名称 = \"测试村\"",
    ),
    (
        "slip_chinese_key_head",
        "households.toml",
        "head = \"陈明华\"",
        "户主 = \"陈明华\"",
    ),
    (
        "slip_chinese_key_phone",
        "households.toml",
        "grid = 1\n",
        "grid = 1\n电话 = \"13800138000\"\n",
    ),
];

#[test]
fn each_chinese_input_slip_is_one_message_with_the_rewrite_issue_12() {
    for (name, file, find, replace) in SLIPS {
        let site = Site::fixture("minimal");
        assert_eq!(site.build().code, 0);
        let before = site.snapshot();
        let file = site.village(file);
        let text = std::fs::read_to_string(site.path(&file)).unwrap();
        assert!(text.contains(find), "{name}: the fixture has {find:?}");
        site.write(&file, &text.replacen(find, replace, 1));
        assert_one_error_pinned(&site, name);
        assert_eq!(site.snapshot(), before, "{name}: public/ unchanged");
    }
}

#[test]
fn a_personal_field_does_not_hide_the_rest_of_the_file_issue_12() {
    let site = Site::fixture("minimal");
    let file = site.village("households.toml");
    let text = std::fs::read_to_string(site.path(&file)).unwrap();
    let text = text.replacen("\"mutual-aid\"]", "\"lazy\"]", 1).replacen(
        "publish = false",
        "publish = false\nphone = \"13800138000\"",
        1,
    );
    site.write(&file, &text);
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("没有 id 为 `lazy` 的星"), "{}", run.stderr);
    assert!(run.stderr.contains("个人信息保护法"), "{}", run.stderr);
    assert!(run.stderr.contains("共 2 个错误"), "one message each:\n{}", run.stderr);
}

#[test]
fn stars_and_items_may_be_named_by_their_chinese_name_issue_12() {
    let site = Site::fixture("minimal");
    site.build();
    let by_id = site.snapshot();
    let households = site.village("households.toml");
    let points = site.village("points.toml");
    let h = std::fs::read_to_string(site.path(&households)).unwrap();
    let p = std::fs::read_to_string(site.path(&points)).unwrap();
    site.write(&households, &h.replace("\"law\"", "\"守纪星\""));
    site.write(&points, &p.replace("item = \"volunteer\"", "item = \"志愿服务\""));
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(site.snapshot(), by_id, "the same site as with ids");
    // Names must then be unique.
    let standards = std::fs::read_to_string(site.path("content/standards.toml")).unwrap();
    site.write(
        "content/standards.toml",
        &standards.replacen("name = \"卫生星\"", "name = \"守纪星\"", 1),
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert_matches_expected("duplicate_star_name", &run.stderr);
}

#[test]
fn a_gbk_file_builds_with_one_warning_issue_12() {
    let site = Site::fixture("minimal");
    site.build();
    let utf8 = site.snapshot();
    for rel in [site.village("households.toml"), "content/site.toml".to_string()] {
        let text = std::fs::read_to_string(site.path(&rel)).unwrap();
        let (gbk, _, lossy) = encoding_rs::GBK.encode(&text);
        assert!(!lossy);
        std::fs::write(site.path(&rel), gbk).unwrap();
    }
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(site.snapshot(), utf8, "the same site as from UTF-8");
    assert_eq!(run.stderr.matches("GBK（“ANSI”）编码").count(), 2, "{}", run.stderr);
    assert!(run.stderr.contains("另存为 UTF-8"), "{}", run.stderr);
}
