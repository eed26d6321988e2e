//! serde's English error texts said in both languages, as a publicity
//! worker can act on them.

use crate::error::{Text, t};

/// The field name in serde's "unknown field `x`, expected …".
pub(super) fn unknown_field_name(message: &str) -> Option<&str> {
    let rest = message.trim().strip_prefix("unknown field `")?;
    rest.split_once('`').map(|(name, _)| name)
}

/// Turn serde's English error text into a message and hint in both languages.
pub(super) fn explain_serde(raw: &str) -> (Text, Text) {
    let raw = raw.trim();
    if let Some(rest) = raw.strip_prefix("unknown field ") {
        let (field, expected) = rest.split_once(", expected").unwrap_or((rest, ""));
        let expected = expected
            .trim_start_matches(" one of")
            .trim_start_matches(" ")
            .replace('`', "");
        return (
            t(format!("unknown field {field}"), format!("不认识的字段 {field}")),
            t(
                format!("check the spelling; fields allowed here: {expected}"),
                format!("检查拼写；这里可用的字段：{expected}"),
            ),
        );
    }
    if let Some(field) = raw.strip_prefix("missing field ") {
        return (
            t(format!("missing field {field}"), format!("缺少字段 {field}")),
            t(
                format!("add {field} = … to this entry"),
                format!("在这一条里加上 {field} = …"),
            ),
        );
    }
    if let Some(rest) = raw.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        return (
            t(
                format!("wrong kind of value: found {found}, expected {expected}"),
                format!(
                    "值的类型不对：写的是 {}，这里需要 {}",
                    zh_type(found),
                    zh_type(expected)
                ),
            ),
            t(
                "text goes in \"double quotes\", numbers and true/false without quotes, lists in [ ]",
                "文字要加英文双引号，数字和 true/false 不加引号，列表用 [ ] 括起来",
            ),
        );
    }
    if let Some(rest) = raw.strip_prefix("unknown variant ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        let expected = expected.trim_start_matches("one of ").replace('`', "");
        return (
            t(format!("unknown value {found}"), format!("不认识的取值 {found}")),
            t(format!("use one of: {expected}"), format!("请用其中之一：{expected}")),
        );
    }
    (t(raw, raw), t("", ""))
}

/// A rough Chinese name for serde's type words, for the invalid-type message.
fn zh_type(words: &str) -> String {
    let table = [
        ("a string", "文字"),
        ("string", "文字"),
        ("integer", "整数"),
        ("a boolean", "true 或 false"),
        ("boolean", "true 或 false"),
        ("a sequence", "列表 [ ]"),
        ("sequence", "列表 [ ]"),
        ("a map", "表"),
        ("map", "表"),
        ("a date", "日期"),
        ("datetime", "日期"),
        ("u32", "非负整数"),
        ("i64", "整数"),
        ("u64", "非负整数"),
        ("u16", "非负整数"),
    ];
    let mut out = words.to_string();
    for (en, zh) in table {
        if out.contains(en) {
            out = out.replace(en, zh);
        }
    }
    out
}
