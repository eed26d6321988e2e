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

mod quick_pass {
    use super::super::suspect::{has_suspicious_line, plainly_innocent, suspicious_line};
    use proptest::prelude::*;

    fn pick(from: &[&'static str]) -> impl Strategy<Value = &'static str> + use<> {
        prop::sample::select(from.to_vec())
    }

    /// A line as staff type them, slips and all: indent, key, `=`, value, end.
    fn line() -> impl Strategy<Value = String> {
        (
            pick(&["", " ", "\t", "\u{3000}", "\u{b}", "\r"]),
            pick(&[
                "date",
                "certified",
                "\"date\"",
                "grid",
                "名称",
                "户主",
                "",
                "[[entry]]",
                "# 注",
            ]),
            pick(&[" = ", "=", "：", " ", "\t=\t"]),
            pick(&[
                "2022-09-01",
                "2022.9.1",
                "2022/9/1",
                "2022年9月1日",
                "20220901",
                "12",
                "123",
                "4567",
                "是",
                "否",
                "无",
                "\"2022-9-1\"",
                "\"2022.09.01\"",
                "\"石桥村\"",
                "\"h001\"",
                "[\"a\", \"b\"]",
                "true",
                "-3",
                "",
                " 2022.9.1",
                "\u{3000}2022.9.1",
                "“a”",
                "2022-9-1",
                "123456789",
            ]),
            pick(&["", " # 注", "\r", ",", "]", " x"]),
        )
            .prop_map(|(indent, key, eq, value, tail)| format!("{indent}{key}{eq}{value}{tail}"))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]

        /// Bytes passed over are lines the full check passes too, and a
        /// file is suspicious exactly when one of its lines is.
        #[test]
        fn the_quick_pass_agrees_with_the_line_by_line_check(
            lines in prop::collection::vec(line(), 0..6),
            end in pick(&["\n", "\r\n"]),
        ) {
            let text = lines.join(end);
            for line in text.lines() {
                prop_assert!(!plainly_innocent(line.as_bytes()) || !suspicious_line(line), "{:?}", line);
            }
            prop_assert_eq!(has_suspicious_line(&text), text.lines().any(suspicious_line), "{:?}", text);
        }
    }
}
