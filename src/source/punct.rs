//! Chinese input habits in TOML syntax. Staff type with a Chinese input
//! method on, so `grids：4`, `stars = ["law"，"dedication"]`,
//! `name = “石桥村”` and `【household】` are common. Each full-width mark in
//! the syntax (never inside a string or a comment) is replaced by the mark
//! meant, padded with spaces to the same number of bytes, so the parser reads
//! what was meant at the same offsets and reports nothing that follows from
//! the slip; validation reports each slip once, with the rewrite. A bare key
//! in Chinese (`电话 = …`) cannot be repaired in place: its line is blanked
//! for the parser and reported on its own.

/// A TOML text with its slips repaired for parsing, and where they were.
pub struct Repaired {
    pub text: String,
    pub slips: Vec<Slip>,
}

/// One slip: a full-width mark (or a bare Chinese key) at a byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slip {
    Mark { at: usize, mark: char },
    BareKey { at: usize, key: String },
}

impl Slip {
    pub fn at(&self) -> usize {
        match self {
            Slip::Mark { at, .. } | Slip::BareKey { at, .. } => *at,
        }
    }
}

/// What a full-width mark in the syntax stands for. Marks that mean
/// nothing in TOML (parentheses) are reported but left as they are.
fn meant(mark: char) -> Option<char> {
    Some(match mark {
        '：' | '＝' => '=',
        '，' | '、' => ',',
        '“' | '”' | '＂' => '"',
        '‘' | '’' => '\'',
        '【' => '[',
        '】' => ']',
        '　' => ' ',
        '（' | '）' => return None,
        _ => return None,
    })
}

fn is_slip_mark(c: char) -> bool {
    matches!(
        c,
        '：' | '＝' | '，' | '、' | '“' | '”' | '＂' | '‘' | '’' | '【' | '】' | '　' | '（' | '）'
    )
}

/// The mark a reader should type instead, for a rewritten line.
pub fn rewrite_char(mark: char) -> &'static str {
    match mark {
        '：' | '＝' => " = ",
        '，' | '、' => ",",
        '“' | '”' | '＂' => "\"",
        '‘' | '’' => "'",
        '【' => "[",
        '】' => "]",
        '（' => "(",
        '）' => ")",
        _ => " ",
    }
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    Code,
    Comment,
    /// A basic string; `curly` when a curly quote opened it, so a curly
    /// quote may close it too.
    Basic { curly: bool },
    Literal { curly: bool },
    MultiBasic,
    MultiLiteral,
}

/// Repair `text`; None when there is nothing to repair (the usual case).
pub fn repair(text: &str) -> Option<Repaired> {
    if !text.chars().any(|c| is_slip_mark(c) || !c.is_ascii()) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut slips = Vec::new();
    let mut state = State::Code;
    let mut line_start = true;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let rest = &text[at..];
        match state {
            State::Code => {
                if line_start && !c.is_whitespace() {
                    line_start = false;
                    if let Some(key) = bare_chinese_key(rest) {
                        // Blank the line for the parser.
                        let end = rest.find('\n').unwrap_or(rest.len());
                        out.extend(std::iter::repeat_n(' ', end));
                        slips.push(Slip::BareKey { at, key });
                        while chars.peek().is_some_and(|(i, _)| *i < at + end) {
                            chars.next();
                        }
                        continue;
                    }
                }
                match c {
                    '#' => state = State::Comment,
                    '\n' => line_start = true,
                    '"' if rest.starts_with("\"\"\"") => {
                        out.push_str("\"\"");
                        chars.next();
                        chars.next();
                        state = State::MultiBasic;
                    }
                    '\'' if rest.starts_with("'''") => {
                        out.push_str("''");
                        chars.next();
                        chars.next();
                        state = State::MultiLiteral;
                    }
                    '"' => state = State::Basic { curly: false },
                    '\'' => state = State::Literal { curly: false },
                    _ if is_slip_mark(c) => {
                        slips.push(Slip::Mark { at, mark: c });
                        match meant(c) {
                            Some(m) => {
                                let opener = matches!(c, '“' | '‘' | '【' | '＂');
                                pad(&mut out, m, c.len_utf8(), opener);
                                if m == '"' {
                                    state = State::Basic { curly: true };
                                } else if m == '\'' {
                                    state = State::Literal { curly: true };
                                }
                            }
                            None => out.push(c),
                        }
                        continue;
                    }
                    _ => {}
                }
                out.push(c);
            }
            State::Comment => {
                if c == '\n' {
                    state = State::Code;
                    line_start = true;
                }
                out.push(c);
            }
            State::Basic { curly } | State::Literal { curly } => {
                let basic = matches!(state, State::Basic { .. });
                let quote = if basic { '"' } else { '\'' };
                let curly_close = if basic { matches!(c, '”' | '“' | '＂') } else { matches!(c, '’' | '‘') };
                if basic && c == '\\' {
                    out.push(c);
                    if let Some((_, next)) = chars.next() {
                        out.push(next);
                    }
                    continue;
                }
                if c == quote {
                    state = State::Code;
                } else if curly && curly_close {
                    slips.push(Slip::Mark { at, mark: c });
                    pad(&mut out, quote, c.len_utf8(), false);
                    state = State::Code;
                    continue;
                } else if c == '\n' {
                    // An unclosed string: the parser says so.
                    state = State::Code;
                    line_start = true;
                }
                out.push(c);
            }
            State::MultiBasic | State::MultiLiteral => {
                let close = if state == State::MultiBasic { "\"\"\"" } else { "'''" };
                if state == State::MultiBasic && c == '\\' {
                    out.push(c);
                    if let Some((_, next)) = chars.next() {
                        out.push(next);
                    }
                    continue;
                }
                if rest.starts_with(close) {
                    out.push_str(close);
                    chars.next();
                    chars.next();
                    state = State::Code;
                    continue;
                }
                out.push(c);
            }
        }
    }
    debug_assert_eq!(out.len(), text.len());
    (!slips.is_empty()).then_some(Repaired { text: out, slips })
}

/// `mark` padded with spaces to `bytes` bytes: after it, or before it when
/// it opens something (so a string's text or a header's name stays put).
fn pad(out: &mut String, mark: char, bytes: usize, opener: bool) {
    let spaces = bytes - mark.len_utf8();
    if opener {
        out.extend(std::iter::repeat_n(' ', spaces));
        out.push(mark);
    } else {
        out.push(mark);
        out.extend(std::iter::repeat_n(' ', spaces));
    }
}

/// A key at the start of a line that is written bare but is not ASCII
/// (`电话 = …`, `名称：…`): TOML allows only letters, digits, `-` and `_`
/// in a bare key.
fn bare_chinese_key(line: &str) -> Option<String> {
    let end = line.find(['=', '：', '＝', '\n'])?;
    if !matches!(line[end..].chars().next(), Some('=' | '：' | '＝')) {
        return None;
    }
    let key = line[..end].trim();
    let bare = !key.is_empty()
        && !key.starts_with(['"', '\'', '[', '【', '“', '‘'])
        && !key.contains(['"', '\'', ' ', '.']);
    (bare && !key.is_ascii()).then(|| key.to_string())
}

/// `line` as it should be written: each mark rewritten, and `=` spaced.
pub fn rewritten_line(line: &str) -> String {
    let mut out = String::new();
    let mut in_string: Option<char> = None;
    for c in line.chars() {
        match in_string {
            Some(q) => {
                if c == q || (q == '"' && matches!(c, '”' | '“')) || (q == '\'' && matches!(c, '’' | '‘')) {
                    out.push(q);
                    in_string = None;
                } else {
                    out.push(c);
                }
            }
            None if is_slip_mark(c) => {
                let r = rewrite_char(c);
                if r == " = " {
                    let trimmed = out.trim_end().len();
                    out.truncate(trimmed);
                }
                out.push_str(r);
                if r == "\"" || r == "'" {
                    in_string = r.chars().next();
                }
            }
            None => {
                if c == '"' || c == '\'' {
                    in_string = Some(c);
                }
                // After a rewritten `=`, one space is enough.
                if c == ' ' && out.ends_with(" = ") {
                    continue;
                }
                out.push(c);
            }
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(text: &str) -> (String, Vec<Slip>) {
        let r = repair(text).expect("something to repair");
        assert_eq!(r.text.len(), text.len(), "same length");
        (r.text, r.slips)
    }

    #[test]
    fn marks_in_syntax_are_repaired_in_place() {
        assert_eq!(fixed("grids：4\n").0, "grids=  4\n");
        assert_eq!(fixed("name = “石桥村”\n").0, "name =   \"石桥村\"  \n");
        assert_eq!(fixed("stars = [\"law\"， \"dedication\"]\n").0, "stars = [\"law\",   \"dedication\"]\n");
        assert_eq!(fixed("【【household】】\n").0, "  [  [household]  ]  \n");
    }

    #[test]
    fn strings_and_comments_are_left_alone() {
        assert!(repair("name = \"石桥村：东头，西头\"\n# 备注：好\n").is_none());
        assert!(repair("a = '''\n“引号”\n'''\n").is_none());
        assert!(repair("a = \"转义\\\"：\"\n").is_none());
    }

    #[test]
    fn a_bare_chinese_key_blanks_its_line() {
        let (text, slips) = fixed("电话 = \"138\"\nid = \"a\"\n");
        assert!(text.starts_with("     ") && text.ends_with("\nid = \"a\"\n"));
        assert_eq!(slips, vec![Slip::BareKey { at: 0, key: "电话".into() }]);
        assert!(repair("\"电话\" = \"1\"\n").is_none());
    }

    #[test]
    fn lines_are_rewritten_as_they_should_be_typed() {
        assert_eq!(rewritten_line("grids：4"), "grids = 4");
        assert_eq!(rewritten_line("name：“石桥村”"), "name = \"石桥村\"");
        assert_eq!(rewritten_line("stars = [\"law\"， \"dedication\"]"), "stars = [\"law\", \"dedication\"]");
        assert_eq!(rewritten_line("stars = [\"law\"、\"a：b\"]"), "stars = [\"law\",\"a：b\"]");
    }
}
