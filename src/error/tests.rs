use super::*;

#[test]
fn warnings_of_one_kind_are_capped_with_a_count() {
    let warning = |file: &str, hint: &str| {
        Problem::error(
            Path::new(file),
            None,
            t("heavy", "太重"),
            t(hint.to_string(), hint.to_string()),
        )
        .warning()
    };
    let mut problems = Problems::default();
    for i in 0..5 {
        problems.push(warning(&format!("v{i}.html"), "shorten it"));
    }
    problems.push(warning("other.toml", "fix the date"));
    let text = problems.render_warnings(Lang::En, 2);
    assert!(text.contains("v0.html") && text.contains("v1.html"), "{text}");
    assert!(!text.contains("v2.html"), "{text}");
    assert!(text.contains("other.toml"), "another kind is shown: {text}");
    assert!(text.contains("3 more warning(s) like these (shorten it)"), "{text}");
    assert!(!text.contains("like these (fix the date)"), "{text}");
}

#[test]
fn location_counts_characters_not_bytes() {
    let src = "a = 1\nhead = \"陈明华\"\n";
    let offset = src.find('"').unwrap();
    let loc = Location::at(src, offset);
    assert_eq!((loc.line, loc.column), (2, 8));
    assert_eq!(loc.line_text, "head = \"陈明华\"");
}

#[test]
fn long_lines_are_cut_around_the_spot() {
    let src = format!("x = {}", "[".repeat(1000));
    let loc = Location::at(&src, 500);
    assert_eq!(loc.column, 501);
    assert!(loc.line_text.chars().count() <= 120);
    let p = Problem::at(Path::new("f"), &src, 500, t("m", "m"), t("", ""));
    let caret_line = p.render(Lang::En).lines().nth(4).unwrap().to_string();
    assert_eq!(caret_line.find('^'), Some("  | ".len() + 60), "{caret_line}");
}

#[test]
fn caret_lines_up_under_chinese_text() {
    // The caret should sit under 华: 陈 and 明 take two cells each.
    let line = "head = 陈明华";
    let column = line.chars().position(|c| c == '华').unwrap() + 1;
    assert_eq!(caret_padding(line, column).len(), "head = ".len() + 4);
}

#[test]
fn render_picks_the_language() {
    let p = Problem::at(
        Path::new("households.toml"),
        "x = 1\n",
        0,
        t("bad thing", "坏事"),
        t("fix it", "改一下"),
    );
    assert!(p.render(Lang::Zh).contains("错误: 坏事"));
    assert!(p.render(Lang::Zh).contains("提示: 改一下"));
    assert!(
        p.render(Lang::En)
            .starts_with("error: bad thing\n  --> households.toml:1:1")
    );
}

#[test]
fn lang_from_code() {
    assert_eq!(Lang::from_code("zh-Hans"), Lang::Zh);
    assert_eq!(Lang::from_code("zh"), Lang::Zh);
    assert_eq!(Lang::from_code("en"), Lang::En);
    assert_eq!(Lang::from_code("zhx"), Lang::En);
}
