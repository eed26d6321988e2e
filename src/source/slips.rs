//! Chinese input habits in TOML. Staff type with a Chinese input method on,
//! so `grids：4`, `stars = ["law"，"dedication"]`, `name = “石桥村”`,
//! `【household】`, `date = 2026/11/17`, `date = 2026年11月17日` and
//! `no_cults = 是` are common. Each such slip in the syntax (never inside a
//! string or a comment) is replaced by what was meant, so the parser reads
//! the file as intended and nothing follows from the slip; validation
//! reports each slip once, with the line as it should be typed. Offsets in
//! the repaired text map back to the file (see [`Repaired::original`]).
//!
//! A bare key in Chinese (`电话 = …`) cannot be guessed: its line is blanked
//! for the parser and reported on its own.

/// A TOML text (or front matter) with its slips repaired for parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repaired {
    /// Where the repaired part starts in the file (front matter sits below `+++`).
    pub start: usize,
    pub text: String,
    pub slips: Vec<Slip>,
    /// Replaced regions: (start, end) in `text`, (start, end) in the original.
    regions: Vec<(usize, usize, usize, usize)>,
}

/// One slip, at its byte offset in the original part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slip {
    /// A full-width mark in the syntax.
    Mark { at: usize, mark: char },
    /// A date not written as a TOML date (`2026/11/17`, `"2026-11-17"`).
    Date { at: usize },
    /// 是/否 and the like for a yes/no value.
    YesNo { at: usize, word: char, value: bool },
    /// A bare key that is not ASCII (`电话 = …`).
    BareKey { at: usize, key: String },
}

impl Slip {
    pub fn at(&self) -> usize {
        match self {
            Slip::Mark { at, .. } | Slip::Date { at, .. } | Slip::YesNo { at, .. } | Slip::BareKey { at, .. } => *at,
        }
    }
}

impl Repaired {
    /// The offset in the original part of an offset in `text`: inside a
    /// replaced region, where the region starts.
    pub fn original(&self, at: usize) -> usize {
        let i = self.regions.partition_point(|r| r.0 <= at);
        match i.checked_sub(1).map(|i| self.regions[i]) {
            None => at,
            Some((_, re, os, _)) if at < re => os,
            Some((_, re, _, oe)) => oe + (at - re),
        }
    }
}

/// What a full-width mark in the syntax stands for. Parentheses mean
/// nothing in TOML: they are reported and left for the parser.
fn meant(mark: char) -> Option<&'static str> {
    Some(match mark {
        '：' | '＝' => "=",
        '，' | '、' => ",",
        '“' | '”' | '＂' => "\"",
        '‘' | '’' => "'",
        '【' => "[",
        '】' => "]",
        '　' => " ",
        _ => return None,
    })
}

pub fn is_slip_mark(c: char) -> bool {
    matches!(
        c,
        '：' | '＝' | '，' | '、' | '“' | '”' | '＂' | '‘' | '’' | '【' | '】' | '　' | '（' | '）'
    )
}

/// Keys whose values are dates: a quoted date there is a slip.
const DATE_KEYS: [&str; 2] = ["date", "certified"];

#[derive(Clone, Copy, PartialEq)]
enum State {
    Code,
    Comment,
    /// A string: its quote, and whether a curly quote opened it (then a
    /// curly quote may close it too).
    Str {
        quote: char,
        curly: bool,
    },
    Multi {
        quote: char,
    },
}

struct Fixer<'a> {
    text: &'a str,
    out: String,
    slips: Vec<Slip>,
    regions: Vec<(usize, usize, usize, usize)>,
}

impl Fixer<'_> {
    fn replace(&mut self, at: usize, len: usize, with: &str) {
        let rs = self.out.len();
        self.out.push_str(with);
        self.regions.push((rs, self.out.len(), at, at + len));
    }

    fn keep(&mut self, at: usize, len: usize) {
        self.out.push_str(&self.text[at..at + len]);
    }
}

/// Repair `text` (starting at `start` in its file); None when there is
/// nothing to repair, the usual case.
pub fn repair(text: &str, start: usize) -> Option<Repaired> {
    // Most files have no slip: tell that quickly, without building a copy.
    let suspicious = has_slip_mark(text) || has_suspicious_line(text);
    if !suspicious {
        return None;
    }
    let mut f = Fixer {
        text,
        out: String::with_capacity(text.len() + 16),
        slips: Vec::new(),
        regions: Vec::new(),
    };
    let mut state = State::Code;
    let mut line_start = true;
    let mut value_next = false;
    let mut key = "";
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let c = rest.chars().next().expect("i is on a char boundary");
        let n = c.len_utf8();
        match state {
            State::Code => {
                if line_start && !c.is_whitespace() {
                    line_start = false;
                    key = line_key(rest);
                    if let Some(bare) = bare_chinese_key(rest) {
                        let end = rest.find('\n').unwrap_or(rest.len());
                        f.replace(i, end, "");
                        f.slips.push(Slip::BareKey { at: i, key: bare });
                        i += end;
                        continue;
                    }
                }
                if value_next && !c.is_whitespace() {
                    value_next = false;
                    if let Some(used) = value_slip(&mut f, i, key) {
                        i += used;
                        continue;
                    }
                }
                match c {
                    '#' => state = State::Comment,
                    '\n' => {
                        // A value starts on the line of its `=`.
                        line_start = true;
                        value_next = false;
                    }
                    '=' => value_next = true,
                    '"' | '\'' if rest.starts_with(if c == '"' { "\"\"\"" } else { "'''" }) => {
                        f.keep(i, 3);
                        i += 3;
                        state = State::Multi { quote: c };
                        continue;
                    }
                    '"' | '\'' => state = State::Str { quote: c, curly: false },
                    _ if is_slip_mark(c) => {
                        f.slips.push(Slip::Mark { at: i, mark: c });
                        match meant(c) {
                            Some(m) => {
                                f.replace(i, n, m);
                                match m {
                                    "=" => value_next = true,
                                    "\"" | "'" => {
                                        let quote = m.chars().next().expect("one char");
                                        state = State::Str { quote, curly: true };
                                    }
                                    _ => {}
                                }
                            }
                            None => f.keep(i, n),
                        }
                        i += n;
                        continue;
                    }
                    _ => {}
                }
                f.keep(i, n);
            }
            State::Comment => {
                if c == '\n' {
                    state = State::Code;
                    line_start = true;
                }
                f.keep(i, n);
            }
            State::Str { quote, curly } => {
                let curly_close = if quote == '"' {
                    matches!(c, '”' | '“' | '＂')
                } else {
                    matches!(c, '’' | '‘')
                };
                if quote == '"' && c == '\\' {
                    let m = n + rest[1..].chars().next().map_or(0, char::len_utf8);
                    f.keep(i, m);
                    i += m;
                    continue;
                }
                if curly && curly_close {
                    f.slips.push(Slip::Mark { at: i, mark: c });
                    f.replace(i, n, if quote == '"' { "\"" } else { "'" });
                    state = State::Code;
                    i += n;
                    continue;
                }
                if c == quote || c == '\n' {
                    // A newline ends an unclosed string: the parser says so.
                    state = State::Code;
                    line_start = c == '\n';
                }
                f.keep(i, n);
            }
            State::Multi { quote } => {
                let close = if quote == '"' { "\"\"\"" } else { "'''" };
                if rest.starts_with(close) {
                    f.keep(i, 3);
                    i += 3;
                    state = State::Code;
                    continue;
                }
                let m = if quote == '"' && c == '\\' {
                    n + rest[1..].chars().next().map_or(0, char::len_utf8)
                } else {
                    n
                };
                f.keep(i, m);
                i += m;
                continue;
            }
        }
        i += n;
    }
    let Fixer {
        out, slips, regions, ..
    } = f;
    (!slips.is_empty()).then_some(Repaired {
        start,
        text: out,
        slips,
        regions,
    })
}

/// A slip at the start of a value: a date not written as a TOML date, or
/// 是/否 for a yes/no. Returns the bytes it replaced.
fn value_slip(f: &mut Fixer<'_>, at: usize, key: &str) -> Option<usize> {
    let rest = &f.text[at..];
    let quoted = rest.starts_with('"');
    let token = if quoted {
        let end = rest[1..].find(['"', '\n'])?;
        (rest.as_bytes().get(end + 1) == Some(&b'"')).then(|| &rest[..end + 2])?
    } else {
        let end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '}' | '#' | '，' | '、'))
            .unwrap_or(rest.len());
        &rest[..end]
    };
    if quoted && !DATE_KEYS.contains(&key) {
        return None;
    }
    let inner = token.trim_matches('"');
    if let Some(date) = loose_date(inner) {
        let already = !quoted && inner == date;
        if already {
            return None;
        }
        f.slips.push(Slip::Date { at });
        f.replace(at, token.len(), &date);
        return Some(token.len());
    }
    let word = inner.chars().next()?;
    let value = match inner {
        "是" | "对" | "有" => true,
        "否" | "错" | "无" => false,
        _ => return None,
    };
    if quoted {
        return None;
    }
    f.slips.push(Slip::YesNo { at, word, value });
    f.replace(at, token.len(), if value { "true" } else { "false" });
    Some(token.len())
}

/// `2026/11/17`, `2026.11.17`, `2026年11月17日`, `2026-11-5` as `2026-11-17`
/// (zero-padded); None for anything else.
pub fn loose_date(s: &str) -> Option<String> {
    let s = s.trim().strip_suffix('日').unwrap_or(s.trim());
    let parts: Vec<&str> = s.split(['/', '.', '-', '年', '月']).collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let digits = |p: &str, lens: std::ops::RangeInclusive<usize>| {
        (lens.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.parse::<u32>().ok())?
    };
    let (y, m, d) = (digits(y, 4..=4)?, digits(m, 1..=2)?, digits(d, 1..=2)?);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// The key a line starts with (`date` in `date = …`), or empty.
fn line_key(line: &str) -> &str {
    let end = line.find(['=', '：', '＝', '\n']).unwrap_or(0);
    line[..end].trim().trim_matches('"')
}

/// A key at the start of a line written bare but not in ASCII (`电话 = …`,
/// `名称：…`): TOML allows only letters, digits, `-` and `_` in a bare key.
fn bare_chinese_key(line: &str) -> Option<String> {
    let end = line.find(['=', '：', '＝', '\n'])?;
    if !matches!(line[end..].chars().next(), Some('=' | '：' | '＝')) {
        return None;
    }
    let key = line[..end].trim();
    let bare =
        !key.is_empty() && !key.starts_with(['"', '\'', '[', '【', '“', '‘']) && !key.contains(['"', '\'', ' ', '.']);
    (bare && !key.is_ascii()).then(|| key.to_string())
}

/// `line` as it should be typed: each slip rewritten, `=` spaced.
/// The English field a Chinese field name most likely means, for the hint.
pub fn likely_field(key: &str) -> Option<&'static str> {
    Some(match key {
        "名称" | "名字" | "村名" | "社区名" | "村名称" => "name",
        "户主" | "姓名" | "户主姓名" => "head",
        "网格" | "网格号" => "grid",
        "星" | "星级" | "获星" => "stars",
        "日期" | "时间" => "date",
        "积分" | "分数" | "分值" => "points",
        "项目" | "事项" => "item",
        "住户" | "户号" => "household",
        "编号" => "id",
        "类型" | "种类" => "kind",
        "备注" => "note",
        "说明" | "描述" => "description",
        "标题" => "title",
        "摘要" => "summary",
        "认定" | "认定日期" => "certified",
        "网格数" => "grids",
        _ => return None,
    })
}

pub fn rewritten_line(line: &str) -> String {
    match repair(line, 0) {
        Some(r) => {
            let mut out = String::new();
            for c in r.text.chars() {
                if c == '=' {
                    let trimmed = out.trim_end().len();
                    out.truncate(trimmed);
                    out.push_str(" = ");
                } else if !(c == ' ' && out.ends_with(" = ")) {
                    out.push(c);
                }
            }
            out.trim().to_string()
        }
        None => line.trim().to_string(),
    }
}

mod suspect;

use suspect::{has_slip_mark, has_suspicious_line};

#[cfg(test)]
mod tests;
