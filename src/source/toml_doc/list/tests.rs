//! The plain reader against the full parser: whenever it reads a file, the
//! full parser reports nothing and serde builds the same entries, spans
//! included; and it does read the files staff and the corpus write.

use std::fmt::Write as _;
use std::path::Path;

use proptest::prelude::*;
use toml::Spanned;

use super::*;
use crate::source::raw::{RawEntry, RawHousehold};

/// Every value and span of an entry, to compare both readers' results.
trait Describe {
    fn describe(&self) -> String;
}

fn spanned<T: std::fmt::Debug>(s: &Spanned<T>) -> String {
    format!("{:?}@{:?}", s.get_ref(), s.span())
}

impl Describe for RawHousehold<'_> {
    fn describe(&self) -> String {
        let stars: Vec<String> = self.stars.iter().map(spanned).collect();
        format!(
            "{} {} {:?} {stars:?} {} {} {}",
            spanned(&self.id),
            spanned(&self.head),
            self.grid,
            self.consent,
            self.publish,
            self.mask
        )
    }
}

impl Describe for RawEntry<'_> {
    fn describe(&self) -> String {
        format!(
            "{} {} {:?} {} {:?} {:?} {}",
            spanned(&self.household),
            spanned(&self.date),
            self.kind as u8,
            spanned(&self.item),
            self.points.as_ref().map(spanned),
            self.note,
            self.show_name
        )
    }
}

fn describe_file<T: Describe>(file: &ListFile<'_, T>) -> String {
    let mut out = String::new();
    for (key, value) in &file.values {
        let _ = writeln!(out, "{key} = {:?}@{:?}", value.get_ref().as_str(), value.span());
    }
    for item in &file.items {
        let _ = writeln!(out, "{}", item.describe());
    }
    let _ = writeln!(out, "ids {:?} unreadable {}", file.written_ids, file.unreadable);
    out
}

/// Read `text` both ways; when the plain reader reads it, both must agree
/// and the full parser find nothing wrong. Whether it was read plainly.
fn agree<'a, T: Describe + DeserializeOwned + FromPlain<'a>>(text: &'a str, list: &str, values: &[&str]) -> bool {
    let doc = Doc::new(Path::new("f.toml"), text).about_people();
    let Some(plain) = doc.plain_list::<T>(list, values) else {
        return false;
    };
    let mut problems = Problems::default();
    let parsed = doc.parsed_list::<T>(list, values, &mut problems);
    assert!(
        problems.0.is_empty(),
        "read plainly, but the full parser reports {:?} in\n{text}",
        problems.0.iter().map(|p| &p.message.en).collect::<Vec<_>>()
    );
    assert_eq!(describe_file(&plain), describe_file(&parsed), "in\n{text}");
    true
}

fn households(text: &str) -> bool {
    agree::<RawHousehold>(text, "household", &["period"])
}

fn ledger(text: &str) -> bool {
    agree::<RawEntry>(text, "entry", &[])
}

#[test]
fn plain_files_are_read_plainly_and_as_the_full_parser_reads_them() {
    let roster = "# 2022 年度\r\nperiod = \"2022\"\r\n\r\n[[household]]\r\nid = \"h001\"\r\nhead = \"陈明华\" # 户主\r\ngrid = 3\r\nstars = [\"patriotic\", \"safety\",]\r\nconsent = true\r\n\r\n[[household]]\r\n\tid=\"h002\"\r\nhead = \"李\t.\"\r\nstars = []\r\npublish = false\r\nmask = true";
    assert!(households(roster));
    let ledger_text =
        "[[entry]]\nhousehold = \"h001\"\ndate = 2024-02-29\nkind = \"redeem\"\nitem = \"soap\"\npoints = -0\n";
    assert!(!ledger(ledger_text), "-0 is left to the full parser");
    let ledger_text = "[[entry]]\nhousehold = \"h001\"\ndate = 2024-02-29\nkind = \"redeem\"\nitem = \"soap\"\npoints = -12\nnote = \"换洗衣粉\"\nshow_name = true\n[[entry]]\nhousehold = \"h002\"\ndate = 2022-10-01\nkind = \"award\"\nitem = \"volunteer-hour\"\n";
    assert!(ledger(ledger_text));
}

#[test]
fn the_example_sites_rosters_and_ledgers_are_read_plainly() {
    let mut read = 0;
    let roots = [Path::new("content/villages"), Path::new("src/starter")];
    let mut stack: Vec<std::path::PathBuf> = roots.iter().map(|r| r.to_path_buf()).collect();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let text = || std::fs::read_to_string(&path).unwrap();
            if path.is_dir() {
                stack.push(path.clone());
            } else if name == "households.toml" {
                assert!(households(&text()), "{} not read plainly", path.display());
                read += 1;
            } else if name == "points.toml" {
                assert!(ledger(&text()), "{} not read plainly", path.display());
                read += 1;
            }
        }
    }
    assert!(read >= 6, "only {read} files found");
}

/// One way of writing a value, plain or not, right or wrong.
fn value() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "\"h001\"",
        "\"h002\"",
        "\"陈明华\"",
        "\"\"",
        "\"a\\\"b\"",
        "\"tab\tin\"",
        "'literal'",
        "\"\"\"multi\"\"\"",
        "\"open",
        "\"2022\"",
        "7",
        "0",
        "-3",
        "007",
        "1_000",
        "+4",
        "-0",
        "4294967296",
        "99999999999999999999",
        "3.5",
        "true",
        "false",
        "True",
        "truex",
        "2022-09-01",
        "2024-02-29",
        "2022-02-29",
        "2022-13-01",
        "1899-12-31",
        "2022-9-1",
        "2022-09-01T10:00:00",
        "2022-09-01 10:00",
        "[\"patriotic\", \"safety\"]",
        "[ \"green\" , ]",
        "[]",
        "[,]",
        "[\"a\" \"b\"]",
        "[\"a\", 1]",
        "[\"a\",\n\"b\"]",
        "{ a = 1 }",
        "\"award\"",
        "\"redeem\"",
        "\"deduct\"",
        "\"gift\"",
        "",
    ])
}

fn key() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "id",
        "head",
        "grid",
        "stars",
        "consent",
        "publish",
        "mask",
        "household",
        "date",
        "kind",
        "item",
        "points",
        "note",
        "show_name",
        "period",
        "phone",
        "\"id\"",
        "a.b",
        "户主",
        "",
    ])
}

fn line() -> impl Strategy<Value = String> {
    let pair = (
        key(),
        prop::sample::select(vec![" = ", "=", "\t=  ", " : "]),
        value(),
        prop::sample::select(vec!["", " # 注", " #\u{1}", "  ", " x"]),
    )
        .prop_map(|(k, eq, v, tail)| format!("{k}{eq}{v}{tail}"));
    prop_oneof![
        6 => pair,
        2 => prop::sample::select(vec!["[[household]]", "[[entry]]", "[[ household ]]", "[household]", "[[household]] # 一户"]).prop_map(String::from),
        1 => prop::sample::select(vec!["", "# 说明", "   ", "#\u{7f}"]).prop_map(String::from),
    ]
}

fn file() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(line(), 0..24),
        prop::sample::select(vec!["\n", "\r\n", "\r"]),
        any::<bool>(),
    )
        .prop_map(|(lines, end, last)| lines.join(end) + if last { end } else { "" })
}

/// A field and ways of writing its value, mostly right.
type Choices = &'static [(&'static str, &'static [&'static str])];

const HOUSEHOLD: Choices = &[
    ("id", &["\"h001\"", "\"h002\"", "\"h001\"", "'h3'", "7"]),
    ("head", &["\"陈明华\"", "\"\"", "\"李\t四\"", "\"a\\\"b\""]),
    ("grid", &["3", "0", "4294967295", "-1", "007", "\"3\"", "4294967296"]),
    (
        "stars",
        &[
            "[\"patriotic\", \"safety\"]",
            "[]",
            "[ \"green\" , ]",
            "[\"a\",\n\"b\"]",
            "[\"a\", 1]",
        ],
    ),
    ("consent", &["true", "false", "1"]),
    ("publish", &["true", "false", "\"no\""]),
    ("mask", &["true", "false"]),
    ("phone", &["\"13800000000\""]),
];

const ENTRY: Choices = &[
    ("household", &["\"h001\"", "\"h002\"", "1"]),
    (
        "date",
        &[
            "2022-09-01",
            "2024-02-29",
            "2023-02-29",
            "\"2022-09-01\"",
            "2022-09-01T08:00:00",
            "1899-12-31",
        ],
    ),
    ("kind", &["\"award\"", "\"deduct\"", "\"redeem\"", "\"gift\""]),
    ("item", &["\"volunteer-hour\"", "\"洗衣粉\"", "2"]),
    (
        "points",
        &[
            "45",
            "0",
            "-5",
            "100001",
            "9223372036854775807",
            "9223372036854775808",
            "1.5",
        ],
    ),
    ("note", &["\"备注\"", "\"\""]),
    ("show_name", &["true", "false"]),
];

/// Files made of entries whose fields are each there or not, written one
/// of their ways, in any order: many are read plainly.
fn likely_file(list: &'static str, choices: Choices) -> impl Strategy<Value = String> {
    let field = |(key, ways): &'static (&'static str, &'static [&'static str])| {
        (prop::sample::select(*ways), 0..4u8).prop_map(move |(way, n)| (n > 0).then(|| format!("{key} = {way}")))
    };
    let entry = (
        choices.iter().map(field).collect::<Vec<_>>(),
        any::<prop::sample::Index>(),
    )
        .prop_map(move |(fields, turn)| {
            let mut lines: Vec<String> = fields.into_iter().flatten().collect();
            if !lines.is_empty() {
                let by = turn.index(lines.len());
                lines.rotate_left(by);
            }
            format!("[[{list}]]\n{}\n", lines.join("\n"))
        });
    prop::collection::vec(entry, 0..4).prop_map(|entries| entries.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn whatever_is_read_plainly_is_read_as_the_full_parser_reads_it(text in file()) {
        households(&text);
        ledger(&text);
    }

    #[test]
    fn likely_households_agree(text in likely_file("household", HOUSEHOLD)) {
        households(&text);
    }

    #[test]
    fn likely_ledgers_agree(text in likely_file("entry", ENTRY)) {
        ledger(&text);
    }
}
