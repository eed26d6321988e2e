use super::*;

fn fixed(text: &str) -> (String, Vec<Slip>) {
    let r = repair(text, 0).expect("something to repair");
    (r.text, r.slips)
}

#[test]
fn marks_in_syntax_are_repaired() {
    assert_eq!(fixed("grids：4\n").0, "grids=4\n");
    assert_eq!(fixed("name = “石桥村”\n").0, "name = \"石桥村\"\n");
    assert_eq!(
        fixed("stars = [\"law\"， \"dedication\"]\n").0,
        "stars = [\"law\", \"dedication\"]\n"
    );
    assert_eq!(fixed("【【household】】\n").0, "[[household]]\n");
    assert_eq!(fixed("a = 1　\n").0, "a = 1 \n");
}

#[test]
fn strings_and_comments_are_left_alone() {
    assert!(repair("name = \"石桥村：东头，西头\"\n# 备注：好\n", 0).is_none());
    assert!(repair("a = '''\n“引号”\n'''\n", 0).is_none());
    assert!(repair("a = \"转义\\\"：\"\n", 0).is_none());
    assert!(repair("period = \"2022\"\nhead = \"陈明华\"\ndate = 2026-11-17\n", 0).is_none());
}

#[test]
fn dates_and_yes_no_are_read_as_meant() {
    for (typed, as_toml) in [
        ("date = 2026/11/17\n", "date = 2026-11-17\n"),
        ("date = 2026.11.17\n", "date = 2026-11-17\n"),
        ("date = 2026年11月17日\n", "date = 2026-11-17\n"),
        ("date = 2026-11-5\n", "date = 2026-11-05\n"),
        ("date = \"2026-11-17\"\n", "date = 2026-11-17\n"),
        ("no_cults = 是\n", "no_cults = true\n"),
        ("no_cults = 无\n", "no_cults = false\n"),
    ] {
        assert_eq!(fixed(typed).0, as_toml, "{typed}");
    }
    // A quoted year for `period` is right as it is.
    assert!(repair("period = \"2026\"\nnote = \"2026/11/17\"\n", 0).is_none());
    // `=` at the end of a line is the parser's to report; the next line's
    // first word is not taken for a value.
    assert!(repair("a =\n是 = 1\n", 0).is_some_and(|r| matches!(r.slips[..], [Slip::BareKey { .. }])));
}

#[test]
fn offsets_map_back_to_the_file() {
    let text = "date = 2026年11月17日\nx = 1\n";
    let r = repair(text, 0).unwrap();
    let x = r.text.find("x = 1").unwrap();
    assert_eq!(r.original(x), text.find("x = 1").unwrap());
    assert_eq!(r.original(r.text.find("2026").unwrap()), text.find("2026").unwrap());
    assert_eq!(r.original(3), 3);
}

#[test]
fn a_bare_chinese_key_blanks_its_line() {
    let (text, slips) = fixed("电话 = \"138\"\nid = \"a\"\n");
    assert_eq!(text, "\nid = \"a\"\n");
    assert_eq!(
        slips,
        vec![Slip::BareKey {
            at: 0,
            key: "电话".into()
        }]
    );
    assert!(repair("\"电话\" = \"1\"\n", 0).is_none());
}

#[test]
fn lines_are_rewritten_as_they_should_be_typed() {
    assert_eq!(rewritten_line("grids：4"), "grids = 4");
    assert_eq!(rewritten_line("name：“石桥村”"), "name = \"石桥村\"");
    assert_eq!(
        rewritten_line("stars = [\"law\"， \"dedication\"]"),
        "stars = [\"law\", \"dedication\"]"
    );
    assert_eq!(rewritten_line("date = 2026年11月17日"), "date = 2026-11-17");
}
