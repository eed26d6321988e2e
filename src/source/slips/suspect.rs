//! Whether a file may hold a slip at all, told quickly: most files have
//! none, and every roster, ledger and front matter is asked.

use super::{DATE_KEYS, is_slip_mark, line_key, loose_date};

/// Whether any full-width mark is in `text`. Every one of them starts with
/// byte E2, E3 or EF in UTF-8, while Chinese characters start with E4 to
/// E9: most of a file is passed over a byte at a time.
pub(super) fn has_slip_mark(text: &str) -> bool {
    memchr::memchr3_iter(0xE2, 0xE3, 0xEF, text.as_bytes())
        .any(|i| text.get(i..).and_then(|r| r.chars().next()).is_some_and(is_slip_mark))
}

/// Whether any line is [`suspicious_line`]. Lines are passed over by
/// their bytes first ([`plainly_innocent`]): taking each apart as text
/// was a thirtieth of a build.
pub(super) fn has_suspicious_line(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', bytes).map(|i| (i, true));
    for (end, fed) in ends.chain(std::iter::once((bytes.len(), false))) {
        let mut line = &text[start..end];
        start = end + 1;
        if plainly_innocent(line.as_bytes()) {
            continue;
        }
        // As `str::lines` gives it: without the `\r` of a `\r\n`.
        if fed {
            line = line.strip_suffix('\r').unwrap_or(line);
        }
        if suspicious_line(line) {
            return true;
        }
    }
    false
}

/// A line [`suspicious_line`] would surely pass, told from a few of its
/// bytes: no key beginning with a letter that is not ASCII, and a value
/// that is neither quoted on a key that could be a date's, nor a token
/// that could be a loose date, nor one that is not ASCII.
pub(super) fn plainly_innocent(line: &[u8]) -> bool {
    let blank = |b: &u8| matches!(b, b' ' | b'\t');
    let Some(first) = line.iter().position(|b| !blank(b)) else {
        return true;
    };
    // Not printable ASCII: maybe Chinese, maybe a space `trim` would skip.
    let unclear = |b: u8| !(0x21..=0x7e).contains(&b);
    if unclear(line[first]) {
        return false;
    }
    let Some(eq) = memchr::memchr(b'=', line) else {
        return true;
    };
    let value = &line[eq + 1..];
    let Some(at) = value.iter().position(|b| !blank(b)) else {
        return true;
    };
    match value[at] {
        b if unclear(b) => false,
        b'"' => !matches!(line[first], b'd' | b'c' | b'"'),
        b'0'..=b'9' => {
            let token = &value[at..];
            let end = token
                .iter()
                .position(|b| matches!(b, b' ' | b'\t' | b'#' | b',' | b']' | b'}'))
                .unwrap_or(token.len());
            let mut token = &token[..end];
            while let [rest @ .., b'\r'] = token {
                token = rest;
            }
            // Too short for a date (three digits are not 是 either), or
            // already one as TOML writes it.
            let toml_date = token.len() == 10 && token[4] == b'-' && token[7] == b'-';
            token.len() < 8 || toml_date
        }
        _ => true,
    }
}

/// Whether a line may hold a slip besides a full-width mark: a bare
/// Chinese key, a date not written as a TOML date, 是/否.
pub(super) fn suspicious_line(line: &str) -> bool {
    let line = line.trim_start();
    if line.chars().next().is_some_and(|c| !c.is_ascii()) {
        return true;
    }
    let Some(value) = value_of(line) else {
        return false;
    };
    let token = value
        .split([' ', '\t', '#', ',', ']', '}'])
        .next()
        .unwrap_or("")
        .trim_end_matches('\r');
    let datelike = |t: &str| t.len() >= 8 && !(t.len() == 10 && t.as_bytes()[4] == b'-' && t.as_bytes()[7] == b'-');
    if let Some(inner) = token.strip_prefix('"') {
        return inner.len() >= 9
            && DATE_KEYS.contains(&line_key(line))
            && loose_date(inner.trim_end_matches('"')).is_some();
    }
    if !datelike(token) && token.len() != 3 {
        return false;
    }
    // A loose date starts with its year's digits: most tokens are passed
    // over without taking them apart.
    let may_be_date = token.as_bytes()[0].is_ascii_digit();
    (may_be_date && loose_date(token).is_some_and(|d| d != token))
        || ["是", "否", "对", "错", "有", "无"].contains(&token)
}

/// What follows `=` on a line (without its line feed), trimmed.
fn value_of(line: &str) -> Option<&str> {
    let at = memchr::memchr(b'=', line.as_bytes())?;
    Some(line[at + 1..].trim_start())
}
