//! The columns a roster sheet may have, by Chinese header or TOML field
//! name, and how a cell of each becomes a TOML value.

use super::grid::{Value, serial_date};
use crate::date::Date;
use crate::error::{Text, t};
use crate::source::slips::loose_date;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Whole,
    Points,
    YesNo,
    Date,
    /// Star names or ids, several in one cell.
    List,
    /// 加分/扣分/兑换.
    Deed,
}

/// A column: its TOML field, the headers it goes by, what it holds, and
/// whether every row must fill it.
pub struct Column {
    pub field: &'static str,
    pub headers: &'static [&'static str],
    pub kind: Kind,
    pub required: bool,
}

const fn col(field: &'static str, headers: &'static [&'static str], kind: Kind) -> Column {
    Column {
        field,
        headers,
        kind,
        required: false,
    }
}

const fn needed(field: &'static str, headers: &'static [&'static str], kind: Kind) -> Column {
    Column {
        field,
        headers,
        kind,
        required: true,
    }
}

pub const HOUSEHOLDS: &[Column] = &[
    needed("id", &["编号", "户号"], Kind::Text),
    needed("head", &["户主", "户主姓名", "姓名"], Kind::Text),
    col("grid", &["网格", "网格号"], Kind::Whole),
    col("stars", &["星", "星级", "获星"], Kind::List),
    col("consent", &["同意公开全名"], Kind::YesNo),
    col("publish", &["公开"], Kind::YesNo),
    col("mask", &["隐去姓名"], Kind::YesNo),
];

pub const POINTS: &[Column] = &[
    needed("household", &["编号", "户号", "住户"], Kind::Text),
    needed("date", &["日期"], Kind::Date),
    needed("kind", &["类别", "类型"], Kind::Deed),
    needed("item", &["项目"], Kind::Text),
    col("points", &["分值", "积分", "分数"], Kind::Points),
    col("note", &["备注"], Kind::Text),
    col("show_name", &["公开姓名"], Kind::YesNo),
];

/// The column a header names, by Chinese name or field name.
pub fn find<'a>(columns: &'a [Column], header: &str) -> Option<&'a Column> {
    let header = header.trim().trim_end_matches(['*', '＊']).trim();
    columns
        .iter()
        .find(|c| c.field.eq_ignore_ascii_case(header) || c.headers.contains(&header))
}

/// `编号/id、户主/head、…` for a hint.
pub fn known(columns: &[Column]) -> String {
    columns
        .iter()
        .map(|c| format!("{}/{}", c.headers[0], c.field))
        .collect::<Vec<_>>()
        .join("、")
}

/// A row of totals (合计) under the data, never a household or an entry.
pub fn is_totals(first: &str) -> bool {
    let first: String = first.chars().filter(|c| !c.is_whitespace()).collect();
    matches!(
        first.as_str(),
        "合计" | "总计" | "小计" | "共计" | "总分" | "Total" | "TOTAL" | "total" | "Sum"
    )
}

/// A cell as a TOML value (the text after `=`), or why it cannot be one.
/// A list comes back as its items with their character offsets in the cell.
pub enum Converted {
    Value(String),
    List(Vec<(String, usize)>),
}

pub fn convert(kind: Kind, value: &Value) -> Result<Converted, (Text, Text)> {
    let text = value.text();
    let one = |s: String| Ok(Converted::Value(s));
    match kind {
        Kind::Text => one(quoted(&text)),
        Kind::Whole => whole(value, &text).map(|n| Converted::Value(n.to_string())),
        Kind::Points => points(value, &text).map(|n| Converted::Value(n.to_string())),
        Kind::YesNo => yes_no(value, &text).map(|b| Converted::Value(b.to_string())),
        Kind::Date => date(value, &text).map(|d| Converted::Value(d.to_string())),
        Kind::List => Ok(Converted::List(list(&text))),
        Kind::Deed => entry_kind(&text).map(|k| Converted::Value(quoted(k))),
    }
}

/// A TOML basic string.
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Full-width digits and signs as ASCII (`５` → `5`).
fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '－' => '-',
            '＋' => '+',
            c => c,
        })
        .collect()
}

fn integer(value: &Value, text: &str, strip: &[&str]) -> Option<i64> {
    if let Value::Number(n) = value {
        return (n.fract() == 0.0 && n.abs() < 1e12).then_some(*n as i64);
    }
    let mut s = half_width(text);
    for part in strip {
        s = s.replace(part, "");
    }
    s.trim().parse().ok()
}

fn whole(value: &Value, text: &str) -> Result<i64, (Text, Text)> {
    integer(value, text, &["第", "网格", "格"])
        .filter(|n| *n >= 0)
        .ok_or_else(|| {
            (
                t(format!("`{text}` is not a whole number"), format!("`{text}` 不是整数")),
                t("write a number, e.g. 3", "请写数字，例如 3"),
            )
        })
}

fn points(value: &Value, text: &str) -> Result<i64, (Text, Text)> {
    integer(value, text, &["分"]).ok_or_else(|| {
        (
            t(
                format!("`{text}` is not a number of points"),
                format!("`{text}` 不是积分数"),
            ),
            t("write the points as a whole number, e.g. 5", "积分请写整数，例如 5"),
        )
    })
}

fn yes_no(value: &Value, text: &str) -> Result<bool, (Text, Text)> {
    if let Value::Bool(b) = value {
        return Ok(*b);
    }
    match text.to_lowercase().as_str() {
        "是" | "y" | "yes" | "true" | "1" | "对" | "√" | "✓" => Ok(true),
        "否" | "n" | "no" | "false" | "0" | "错" | "×" | "✗" => Ok(false),
        _ => Err((
            t(format!("`{text}` is not yes or no"), format!("`{text}` 不是“是”或“否”")),
            t("write 是 or 否 (or Y/N)", "请写 是 或 否（也可以写 Y 或 N）"),
        )),
    }
}

fn date(value: &Value, text: &str) -> Result<Date, (Text, Text)> {
    let found = match value {
        Value::Date(d) => Some(*d),
        Value::Number(n) => serial_date(*n),
        _ => loose_date(&half_width(text)).and_then(|iso| {
            let mut parts = iso.split('-').map(|p| p.parse::<i64>().unwrap_or(0));
            Date::new(parts.next()?, parts.next()?, parts.next()?)
        }),
    };
    found.ok_or_else(|| {
        (
            t(format!("`{text}` is not a date"), format!("`{text}` 不是日期")),
            t(
                "write a real date, e.g. 2026-11-17 or 2026年11月17日",
                "请写实际存在的日期，例如 2026-11-17 或 2026年11月17日",
            ),
        )
    })
}

/// Items of a list cell, split at 、，,;； and spaces, with where each
/// starts (in characters).
fn list(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut start = 0;
    for (i, c) in text.chars().enumerate() {
        if matches!(c, '、' | '，' | ',' | ';' | '；') || c.is_whitespace() {
            if !current.is_empty() {
                out.push((std::mem::take(&mut current), start));
            }
        } else {
            if current.is_empty() {
                start = i;
            }
            current.push(c);
        }
    }
    if !current.is_empty() {
        out.push((current, start));
    }
    out
}

fn entry_kind(text: &str) -> Result<&'static str, (Text, Text)> {
    match text.to_lowercase().as_str() {
        "加分" | "得分" | "奖励" | "award" => Ok("award"),
        "扣分" | "deduct" => Ok("deduct"),
        "兑换" | "redeem" => Ok("redeem"),
        _ => Err((
            t(
                format!("`{text}` is not a kind of entry"),
                format!("`{text}` 不是积分类别"),
            ),
            t("write 加分, 扣分 or 兑换", "请写 加分、扣分 或 兑换"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(kind: Kind, v: Value) -> Option<String> {
        match convert(kind, &v) {
            Ok(Converted::Value(s)) => Some(s),
            _ => None,
        }
    }

    #[test]
    fn dates_in_every_usual_form() {
        let want = Some("2026-11-17".to_string());
        for text in [
            "2026-11-17",
            "2026/11/17",
            "2026.11.17",
            "2026年11月17日",
            "２０２６年１１月１７日",
        ] {
            assert_eq!(value(Kind::Date, Value::Text(text.into())), want, "{text}");
        }
        assert_eq!(
            value(Kind::Date, Value::Text("2026-11-5".into())),
            Some("2026-11-05".into())
        );
        assert_eq!(value(Kind::Date, Value::Number(46_343.0)), want, "a serial number");
        assert_eq!(value(Kind::Date, Value::Text("2026-02-30".into())), None, "no such day");
    }

    #[test]
    fn numbers_typed_as_text() {
        assert_eq!(value(Kind::Points, Value::Text("５".into())), Some("5".into()));
        assert_eq!(value(Kind::Points, Value::Text("5分".into())), Some("5".into()));
        assert_eq!(value(Kind::Points, Value::Text("五分".into())), None);
        assert_eq!(value(Kind::Whole, Value::Text("第3网格".into())), Some("3".into()));
    }

    #[test]
    fn yes_no_words_and_kinds() {
        for (text, want) in [
            ("是", "true"),
            ("否", "false"),
            ("Y", "true"),
            ("n", "false"),
            ("1", "true"),
        ] {
            assert_eq!(
                value(Kind::YesNo, Value::Text(text.into())),
                Some(want.into()),
                "{text}"
            );
        }
        assert_eq!(value(Kind::YesNo, Value::Bool(true)), Some("true".into()));
        assert_eq!(value(Kind::Deed, Value::Text("兑换".into())), Some("\"redeem\"".into()));
        assert_eq!(value(Kind::Deed, Value::Text("送礼".into())), None);
    }

    #[test]
    fn star_lists_split_at_any_separator() {
        let items = list("守纪星、卫生星，law; mutual-aid  孝善星");
        let names: Vec<&str> = items.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(names, ["守纪星", "卫生星", "law", "mutual-aid", "孝善星"]);
        assert_eq!(items[1].1, 4, "卫生星 starts at the fifth character");
    }

    #[test]
    fn headers_in_chinese_or_english() {
        assert_eq!(find(HOUSEHOLDS, "户主").map(|c| c.field), Some("head"));
        assert_eq!(find(HOUSEHOLDS, " Head ").map(|c| c.field), Some("head"));
        assert_eq!(find(POINTS, "分值*").map(|c| c.field), Some("points"));
        assert!(find(HOUSEHOLDS, "电话").is_none());
        assert!(is_totals("合 计") && !is_totals("陈明华"));
    }
}
