//! Privacy rules in one place: which fields household data may never have, and
//! how names are masked. Rendering asks here; nothing else decides who is shown.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::error::{Text, t};

/// Kinds of personal data a public board must never carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Personal {
    Phone,
    IdNumber,
    Address,
    Birth,
    Bank,
    Health,
    Benefit,
    Belief,
}

impl Personal {
    fn describe(self) -> Text {
        match self {
            Personal::Phone => t("a phone number", "电话号码"),
            Personal::IdNumber => t("an ID-card number", "身份证号"),
            Personal::Address => t("an address or house number", "住址或门牌号"),
            Personal::Birth => t("a birth date or age", "出生日期或年龄"),
            Personal::Bank => t("a bank account", "银行账户"),
            Personal::Health => t("health or disability details", "健康或残疾情况"),
            Personal::Benefit => t("benefit or poverty status", "低保、救助或贫困情况"),
            Personal::Belief => t("religion or ethnicity", "宗教或民族"),
        }
    }
}

/// Which kind of personal data a field name stands for, if any. Names are
/// compared without case, `_` or `-`, in English, pinyin and Chinese.
pub fn personal_field(name: &str) -> Option<Personal> {
    // The fields every household and ledger entry has are asked about most:
    // answered without building a key.
    if matches!(
        name,
        "id" | "head"
            | "grid"
            | "stars"
            | "consent"
            | "publish"
            | "mask"
            | "household"
            | "date"
            | "kind"
            | "item"
            | "points"
            | "note"
            | "show_name"
            | "period"
    ) {
        return None;
    }
    let key: String = name
        .chars()
        .filter(|c| *c != '_' && *c != '-' && *c != ' ')
        .flat_map(char::to_lowercase)
        .collect();
    let table: &[(Personal, &[&str])] = &[
        (
            Personal::Phone,
            &[
                "phone",
                "mobile",
                "tel",
                "telephone",
                "cellphone",
                "phonenumber",
                "wechat",
                "电话",
                "手机",
                "手机号",
                "联系电话",
                "微信",
            ],
        ),
        (
            Personal::IdNumber,
            &[
                "idcard",
                "idnumber",
                "idno",
                "citizenid",
                "identity",
                "sfz",
                "shenfenzheng",
                "身份证",
                "身份证号",
                "证件号",
            ],
        ),
        (
            Personal::Address,
            &[
                "address",
                "addr",
                "houseno",
                "housenumber",
                "doorplate",
                "doornumber",
                "住址",
                "地址",
                "门牌",
                "门牌号",
                "家庭住址",
            ],
        ),
        (
            Personal::Birth,
            &[
                "birth",
                "birthday",
                "birthdate",
                "dob",
                "age",
                "出生日期",
                "生日",
                "年龄",
            ],
        ),
        (
            Personal::Bank,
            &[
                "bank",
                "bankcard",
                "bankaccount",
                "account",
                "iban",
                "银行卡",
                "银行账号",
                "账号",
            ],
        ),
        (
            Personal::Health,
            &[
                "health",
                "disability",
                "disabled",
                "illness",
                "disease",
                "健康",
                "残疾",
                "疾病",
                "病情",
            ],
        ),
        (
            Personal::Benefit,
            &[
                "dibao",
                "benefit",
                "benefits",
                "subsidy",
                "welfare",
                "lowincome",
                "poverty",
                "poor",
                "低保",
                "五保",
                "贫困户",
                "救助",
            ],
        ),
        (
            Personal::Belief,
            &[
                "religion",
                "ethnicity",
                "ethnic",
                "nation",
                "nationality",
                "minzu",
                "宗教",
                "民族",
                "信仰",
            ],
        ),
    ];
    table
        .iter()
        .find(|(_, names)| names.contains(&key.as_str()))
        .map(|(kind, _)| *kind)
}

/// A forbidden field found in a household or ledger file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalField {
    pub name: String,
    pub kind: Personal,
    pub span: Range<usize>,
}

/// Every personal field anywhere in the table, nested tables and lists included.
pub fn find_personal_fields(table: &DeTable<'_>) -> Vec<PersonalField> {
    let mut found = Vec::new();
    walk_table(table, &mut found);
    found.sort_by_key(|f| f.span.start);
    found
}

fn walk_table(table: &DeTable<'_>, found: &mut Vec<PersonalField>) {
    for (key, value) in table.iter() {
        if let Some(kind) = personal_field(key.get_ref()) {
            found.push(PersonalField {
                name: key.get_ref().to_string(),
                kind,
                span: key.span(),
            });
        }
        walk_value(value, found);
    }
}

fn walk_value(value: &Spanned<DeValue<'_>>, found: &mut Vec<PersonalField>) {
    match value.get_ref() {
        DeValue::Table(t) => walk_table(t, found),
        DeValue::Array(items) => items.iter().for_each(|v| walk_value(v, found)),
        _ => {}
    }
}

/// The message and hint for a forbidden field: what it is and why it may not be there.
pub fn personal_field_message(field: &PersonalField) -> (Text, Text) {
    personal_message(field, ("remove this line", "删除这一行"))
}

/// The same for a spreadsheet column of personal data.
pub fn personal_column_message(field: &PersonalField) -> (Text, Text) {
    personal_message(field, ("delete this column", "删除这一列"))
}

fn personal_message(field: &PersonalField, (remove_en, remove_zh): (&str, &str)) -> (Text, Text) {
    let what = field.kind.describe();
    (
        t(
            format!(
                "field `{}` would publish {} — household data may not hold it",
                field.name, what.en
            ),
            format!("字段 `{}` 会公开{}，住户数据里不能有这一项", field.name, what.zh),
        ),
        t(
            format!(
                "{remove_en}: the Personal Information Protection Law (art. 25) forbids publishing personal information without separate consent, and a public honour roll never needs it"
            ),
            format!("{remove_zh}：《个人信息保护法》第二十五条规定，未经单独同意不得公开个人信息；光荣榜也用不到它"),
        ),
    )
}

/// Two-character surnames kept whole when masking (欧阳明华 → 欧阳*华).
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "令狐", "夏侯",
    "独孤", "南宫", "西门", "端木", "申屠", "轩辕", "闻人", "赫连", "澹台", "宗政", "濮阳", "公冶", "太叔", "仲孙",
    "钟离", "百里", "呼延", "万俟", "第五", "司空", "左丘", "东郭", "拓跋", "谷梁", "段干", "淳于", "单于", "巫马",
];

/// Mask a Chinese name: keep the surname and, for given names of two or more
/// characters, the last character; replace the rest with one `*` each.
/// 陈明华 → 陈*华, 陈明 → 陈*, 欧阳明华 → 欧阳*华.
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.trim().chars().collect();
    if chars.len() < 2 {
        return name.trim().to_string();
    }
    let surname_len = if chars.len() >= 3 {
        let first_two: String = chars[..2].iter().collect();
        if COMPOUND_SURNAMES.contains(&first_two.as_str()) {
            2
        } else {
            1
        }
    } else {
        1
    };
    let given = &chars[surname_len..];
    let mut out: String = chars[..surname_len].iter().collect();
    match given.len() {
        0 => {}
        1 => out.push('*'),
        n => {
            out.extend(std::iter::repeat_n('*', n - 1));
            out.push(given[n - 1]);
        }
    }
    out
}

/// The name a page may show for a household.
pub fn shown_name(head: &str, consent: bool, always_mask: bool, full_names_on: bool) -> String {
    if full_names_on && consent && !always_mask {
        head.trim().to_string()
    } else {
        mask_name(head)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_given_names() {
        assert_eq!(mask_name("陈明华"), "陈*华");
        assert_eq!(mask_name("陈明"), "陈*");
        assert_eq!(mask_name("李小明华"), "李**华");
    }

    #[test]
    fn keeps_compound_surnames_whole() {
        assert_eq!(mask_name("欧阳明华"), "欧阳*华");
        assert_eq!(mask_name("欧阳明"), "欧阳*");
        assert_eq!(mask_name("司马光"), "司马*");
        // Two characters are always surname + given name.
        assert_eq!(mask_name("欧阳"), "欧*");
    }

    #[test]
    fn full_name_needs_both_consent_and_site_switch() {
        assert_eq!(shown_name("陈明华", true, false, true), "陈明华");
        assert_eq!(shown_name("陈明华", false, false, true), "陈*华");
        assert_eq!(shown_name("陈明华", true, false, false), "陈*华");
        assert_eq!(shown_name("陈明华", true, true, true), "陈*华");
    }

    #[test]
    fn recognises_personal_fields_in_three_scripts() {
        assert_eq!(personal_field("phone"), Some(Personal::Phone));
        assert_eq!(personal_field("ID_Number"), Some(Personal::IdNumber));
        assert_eq!(personal_field("id-card"), Some(Personal::IdNumber));
        assert_eq!(personal_field("身份证号"), Some(Personal::IdNumber));
        assert_eq!(personal_field("shenfenzheng"), Some(Personal::IdNumber));
        assert_eq!(personal_field("address"), Some(Personal::Address));
        assert_eq!(personal_field("id"), None);
        assert_eq!(personal_field("head"), None);
        assert_eq!(personal_field("stars"), None);
    }

    #[test]
    fn finds_nested_personal_fields() {
        let text = "[[household]]\nid = \"a\"\nhead = \"陈明华\"\nphone = \"13800000000\"\n[household.extra]\n\"身份证\" = \"x\"\n";
        let table = DeTable::parse(text).unwrap();
        let found = find_personal_fields(table.get_ref());
        let names: Vec<&str> = found.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, vec!["phone", "身份证"]);
        assert_eq!(&text[found[0].span.clone()], "phone");
    }
}
