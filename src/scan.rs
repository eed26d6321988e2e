//! The last privacy guard: before anything is written, every text output is
//! scanned for numbers that identify a person — mainland ID-card numbers
//! (18 digits with a valid check digit, or the old 15-digit form), mainland
//! mobile numbers and bank-card numbers (16–19 digits passing Luhn). Dates,
//! points, money and landlines do not match. site.toml may allow specific
//! numbers (a partner's business mobile) or pages.

use crate::config::Privacy;
use crate::error::{Location, Problem, t};
use crate::render::{Body, Output};

/// A personal number on a page.
#[derive(Debug, Clone)]
pub struct Leak {
    pub page: String,
    pub found: Found,
    pub location: Location,
}

/// Every personal number in the text outputs (pages, feeds). Pages site.toml
/// allows are skipped.
pub fn outputs(outputs: &[Output], privacy: &Privacy) -> Vec<Leak> {
    use rayon::prelude::*;
    outputs
        .par_iter()
        .filter(|o| [".html", ".xml", ".txt", ".json"].iter().any(|e| o.path.ends_with(e)))
        .filter(|o| !privacy.allow_pages.iter().any(|p| o.path.starts_with(p.as_str())))
        .flat_map_iter(|o| {
            let Body::Bytes(bytes) = &o.body else {
                return Vec::new();
            };
            let found = scan_bytes(bytes, &privacy.allow_numbers);
            // Pages are text we rendered; only a page with a find is decoded.
            let text = if found.is_empty() {
                Default::default()
            } else {
                String::from_utf8_lossy(bytes)
            };
            found
                .into_iter()
                .map(|found| Leak {
                    page: o.path.clone(),
                    location: Location::window(&text, found.offset, 24),
                    found,
                })
                .collect()
        })
        .collect()
}

/// One error per distinct number, pointing at the content file it came from
/// (found by `source_of`) or else at the first page that shows it.
pub fn problems(
    mut leaks: Vec<Leak>,
    source_of: impl Fn(&str) -> Option<(std::path::PathBuf, Location)>,
) -> Vec<Problem> {
    // Name a page people read (HTML) before a feed.
    leaks.sort_by(|a, b| {
        let key = |l: &Leak| (l.found.digits.clone(), !l.page.ends_with(".html"), l.page.clone());
        key(a).cmp(&key(b))
    });
    let mut out = Vec::new();
    for group in leaks.chunk_by(|a, b| a.found.digits == b.found.digits) {
        let first = &group[0];
        let what = match first.found.kind {
            NumberKind::IdCard => t("an ID-card number", "身份证号"),
            NumberKind::Mobile => t("a mobile number", "手机号码"),
            NumberKind::BankCard => t("a bank-card number", "银行卡号"),
        };
        let pages = group.len();
        let digits = &first.found.digits;
        let (file, location) = source_of(digits).unwrap_or_else(|| (first.page.clone().into(), first.location.clone()));
        out.push(Problem::error(
            &file,
            Some(location),
            t(
                format!(
                    "{digits} is {} and would be published on {pages} page(s), e.g. {}",
                    what.en, first.page
                ),
                format!("{digits} 是{}，会公开在 {pages} 个页面上，例如 {}", what.zh, first.page),
            ),
            t(
                "remove it; a business line that may be published goes in allow_numbers under [privacy] in site.toml",
                "请删除它；如果是可以公开的营业电话，请写进 site.toml 中 [privacy] 的 allow_numbers",
            ),
        ));
    }
    out
}

/// What kind of personal number was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberKind {
    IdCard,
    Mobile,
    BankCard,
}

/// A personal number in a text: its kind, its digits, and byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: NumberKind,
    pub digits: String,
    pub offset: usize,
}

/// Groupings people write numbers in, besides one unbroken run: a mobile as
/// 3-4-4, a card in fours, an ID as 6-8-4. Other groupings (dates such as
/// 2022-11-05, a landline 0774-3800103) are read group by group.
const GROUPINGS: &[&[usize]] = &[
    &[3, 4, 4],
    &[4, 4, 4, 4],
    &[4, 4, 4, 4, 3],
    &[4, 4, 4, 4, 4],
    &[6, 8, 4],
];

/// Every personal number in `text` whose digits are not in `allowed`.
pub fn scan(text: &str, allowed: &[String]) -> Vec<Found> {
    scan_bytes(text.as_bytes(), allowed)
}

/// [`scan`] over UTF-8 bytes. The numbers are ASCII, so the text need not
/// be decoded; this runs over every byte of every page.
fn scan_bytes(bytes: &[u8], allowed: &[String]) -> Vec<Found> {
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(next) = next_digit(bytes, i) {
        i = next;
        let glued =
            i > 0 && is_word(bytes[i - 1]) || (i > 1 && bytes[i - 1] == b'-' && bytes[i - 2].is_ascii_alphabetic());
        if glued {
            // Skip the rest of this run: it is part of a word.
            i += bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
            continue;
        }
        let (groups, count) = digit_groups(bytes, i);
        let groups = &groups[..count];
        let end = groups[count - 1].1;
        // Pages are full of short figures (dates, points, SVG coordinates):
        // nothing under 11 characters can be a personal number.
        if end - i - (count - 1) >= 11 {
            check(bytes, groups, allowed, &mut found);
        }
        i = end.max(i + 1);
    }
    found
}

/// Where the next ASCII digit is, from `from` on: most of the scan's time
/// is spent finding digits. Eight bytes are looked at together as one word;
/// each byte's sums stay below 0x100, so no byte disturbs its neighbour.
fn next_digit(bytes: &[u8], from: usize) -> Option<usize> {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let low = word & LOW7;
        let at_least_0 = low + 0x5050_5050_5050_5050; // high bit set: ≥ b'0'
        let above_9 = low + 0x4646_4646_4646_4646; // high bit set: > b'9'
        let digits = at_least_0 & !above_9 & !word & HIGH;
        if digits != 0 {
            return Some(at + digits.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    bytes.get(at..)?.iter().position(u8::is_ascii_digit).map(|p| at + p)
}

fn check(bytes: &[u8], groups: &[(usize, usize)], allowed: &[String], found: &mut Vec<Found>) {
    // Digits (and an ID's X) are ASCII: each byte is one character.
    let text = |s: usize, e: usize| -> String { bytes[s..e].iter().map(|b| char::from(*b)).collect() };
    let lengths: Vec<usize> = groups.iter().map(|(s, e)| e - s).collect();
    let candidates: Vec<(String, usize)> = if GROUPINGS.contains(&lengths.as_slice()) {
        vec![(groups.iter().map(|(s, e)| text(*s, *e)).collect(), groups[0].0)]
    } else {
        groups
            .iter()
            .filter(|(s, e)| e - s >= 11)
            .map(|(s, e)| (text(*s, *e), *s))
            .collect()
    };
    for (digits, offset) in candidates {
        if let Some(kind) = classify(&digits, bytes, offset)
            && !allowed.iter().any(|a| normalise(a) == digits)
        {
            found.push(Found { kind, digits, offset });
        }
    }
}

/// Letters and digits glue to a number (an id like `tr-001` or a hash in a
/// file name is not a phone number).
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'.'
}

/// Runs of digits starting at `start` (at most five), joined by single
/// spaces or hyphens; an ID's final check character `X` belongs to its run.
fn digit_groups(bytes: &[u8], start: usize) -> ([(usize, usize); 5], usize) {
    let mut groups = [(0, 0); 5];
    let mut count = 0;
    let mut i = start;
    let mut digits = 0;
    loop {
        let s = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        digits += i - s;
        if i < bytes.len() && (bytes[i] == b'X' || bytes[i] == b'x') && digits == 17 {
            i += 1;
        }
        groups[count] = (s, i);
        count += 1;
        let joined = i + 1 < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'-') && bytes[i + 1].is_ascii_digit();
        if !joined || count == 5 {
            return (groups, count);
        }
        i += 1;
    }
}

fn classify(digits: &str, bytes: &[u8], offset: usize) -> Option<NumberKind> {
    let followed_by_word = bytes
        .get(offset + digits.len())
        .is_some_and(|b| b.is_ascii_alphabetic());
    let d = digits.as_bytes();
    match d.len() {
        18 if id18_valid(d) => Some(NumberKind::IdCard),
        15 if d.iter().all(u8::is_ascii_digit) && id15_valid(d) => Some(NumberKind::IdCard),
        11 if d[0] == b'1' && (b'3'..=b'9').contains(&d[1]) && !followed_by_word => Some(NumberKind::Mobile),
        13 if digits.starts_with("861") && (b'3'..=b'9').contains(&d[3]) => Some(NumberKind::Mobile),
        16..=19 if d.iter().all(u8::is_ascii_digit) && luhn(d) && d[0] != b'0' => Some(NumberKind::BankCard),
        _ => None,
    }
}

/// Digits only, for comparing with allowed numbers written with separators.
fn normalise(number: &str) -> String {
    number.chars().filter(char::is_ascii_digit).collect()
}

/// GB 11643: 17 digits, a real birth date, and the ISO 7064 MOD 11-2 check
/// character.
fn id18_valid(d: &[u8]) -> bool {
    if !d[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let sum: u32 = d[..17].iter().zip(WEIGHTS).map(|(c, w)| u32::from(c - b'0') * w).sum();
    let check = d[17].to_ascii_uppercase();
    check == CHECK[(sum % 11) as usize] && birth_date(&d[6..14])
}

/// The old 15-digit form: a birth date YYMMDD in 19xx.
fn id15_valid(d: &[u8]) -> bool {
    let mut date = b"19".to_vec();
    date.extend_from_slice(&d[6..12]);
    birth_date(&date)
}

fn birth_date(yyyymmdd: &[u8]) -> bool {
    let n = |r: std::ops::Range<usize>| std::str::from_utf8(&yyyymmdd[r]).ok()?.parse::<i64>().ok();
    match (n(0..4), n(4..6), n(6..8)) {
        (Some(y), Some(m), Some(day)) => crate::date::Date::new(y, m, day).is_some(),
        _ => false,
    }
}

fn luhn(d: &[u8]) -> bool {
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let v = u32::from(c - b'0');
            if i % 2 == 1 {
                if v * 2 > 9 { v * 2 - 9 } else { v * 2 }
            } else {
                v
            }
        })
        .sum();
    sum % 10 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_digit_finds_the_first_digit_from_any_start() {
        let mut text = "价 12a-b 3\u{4e2d}文 abcdefghijklmnopqrstuvwxyz 0 …9 末尾xyz/:;@`"
            .as_bytes()
            .to_vec();
        text.extend((0..=255u8).rev());
        for from in 0..=text.len() {
            let expected = text[from..].iter().position(u8::is_ascii_digit).map(|p| from + p);
            assert_eq!(next_digit(&text, from), expected, "from {from}");
        }
    }

    fn kinds(text: &str) -> Vec<NumberKind> {
        scan(text, &[]).into_iter().map(|f| f.kind).collect()
    }

    #[test]
    fn finds_id_cards_with_valid_check_digits() {
        // A made-up number with a correct check digit (GB 11643).
        assert_eq!(kinds("身份证 11010519491231002X 号"), vec![NumberKind::IdCard]);
        assert_eq!(
            kinds("身份证 110105194912310021"),
            Vec::<NumberKind>::new(),
            "wrong check digit"
        );
        assert_eq!(kinds("110105 19491231 002X"), vec![NumberKind::IdCard], "grouped 6-8-4");
        assert_eq!(kinds("老证 110105491231002"), vec![NumberKind::IdCard], "15-digit form");
        assert_eq!(
            kinds("110105491331002"),
            Vec::<NumberKind>::new(),
            "month 13 is no date"
        );
    }

    #[test]
    fn finds_mobiles_in_the_usual_shapes() {
        assert_eq!(kinds("电话13800138000。"), vec![NumberKind::Mobile]);
        assert_eq!(kinds("138-0013-8000"), vec![NumberKind::Mobile]);
        assert_eq!(kinds("138 0013 8000"), vec![NumberKind::Mobile]);
        assert_eq!(kinds("+86 13800138000"), vec![NumberKind::Mobile]);
        assert_eq!(kinds("8613800138000"), vec![NumberKind::Mobile]);
    }

    #[test]
    fn finds_bank_cards_that_pass_luhn() {
        assert_eq!(
            kinds("卡号 6222020200112345670"),
            Vec::<NumberKind>::new(),
            "fails Luhn"
        );
        assert_eq!(kinds("卡号 4111111111111111"), vec![NumberKind::BankCard]);
        assert_eq!(kinds("4111 1111 1111 1111"), vec![NumberKind::BankCard]);
    }

    #[test]
    fn ordinary_figures_are_not_personal_numbers() {
        for text in [
            "2022-11-05",
            "2022年11月05日",
            "积分 1234 分，共 5678 元",
            "0774-3800103",
            "07743800103",
            "20221105 20221106",
            "assets/style.98ee6435.css",
            "tr-13800138000",
            "2022-11-05 13:00",
            "价格 12,345,678.90 元",
            "<loc>https://example.org/</loc> 1 2 3 4 5",
        ] {
            assert_eq!(kinds(text), Vec::<NumberKind>::new(), "{text}");
        }
    }

    #[test]
    fn allowed_numbers_pass_whatever_their_separators() {
        let allowed = vec!["138-0013-8000".to_string()];
        assert!(scan("电话 13800138000", &allowed).is_empty());
        assert_eq!(scan("电话 13900139000", &allowed).len(), 1);
    }

    #[test]
    fn reports_the_offset_of_the_number() {
        let text = "姓名 13800138000";
        let found = scan(text, &[]);
        assert_eq!(&text[found[0].offset..found[0].offset + 11], "13800138000");
    }
}
