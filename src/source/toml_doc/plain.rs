//! A fast reader for list files written plainly, as staff and spreadsheets
//! write rosters and ledgers: one `key = value` per line, `[[name]]`
//! headings, comments, and values that are text without escapes, whole
//! numbers, true/false, dates, or one-line lists of text.
//!
//! It gives up on anything else — and on anything the full parser or serde
//! would complain about (a repeated, unknown, missing or mistyped field) —
//! and the file then goes through the full parser, which finds and reports
//! it. So it never decides what is wrong with a file; it only spares the
//! full parser's document tree for the files with nothing wrong in form.
//! Rosters and ledgers are most of a site's bytes.

use std::borrow::Cow;
use std::ops::Range;

use toml::Spanned;
use toml::value::{Date, Datetime};

/// One `key = value` line.
pub struct Field<'a> {
    pub key: &'a str,
    pub value: Value<'a>,
    /// Where the value is written (text with its quotes), as the full
    /// parser's spans.
    pub span: Range<usize>,
}

pub enum Value<'a> {
    Text(&'a str),
    Int(i64),
    Bool(bool),
    Date(Datetime),
    /// A one-line list of texts, each with its span.
    Texts(Vec<(&'a str, Range<usize>)>),
}

/// A plainly written list file: its top-level fields, then one table per
/// `[[list]]` heading.
pub struct Plain<'a> {
    pub top: Vec<Field<'a>>,
    pub tables: Vec<Vec<Field<'a>>>,
}

/// Why the plain reader stopped: the full parser reads this file.
#[derive(Debug)]
pub struct GiveUp;

/// Read `text` whose only headings are `[[list]]`, or give up.
pub fn read<'a>(text: &'a str, list: &str) -> Option<Plain<'a>> {
    let mut plain = Plain {
        top: Vec::new(),
        tables: Vec::new(),
    };
    let bytes = text.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        let newline = memchr::memchr(b'\n', &bytes[start..]).map(|i| start + i);
        let mut end = newline.unwrap_or(bytes.len());
        // A carriage return only ends a line before a line feed.
        if newline.is_some() && end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        let mut line = Line { text, at: start, end };
        line.skip_blanks();
        match line.peek() {
            None => {}
            Some(b'#') => line.comment()?,
            Some(b'[') => {
                line.heading(list)?;
                // Room for a household's or an entry's usual fields.
                plain.tables.push(Vec::with_capacity(8));
            }
            Some(_) => {
                let field = line.field()?;
                let table = plain.tables.last_mut().unwrap_or(&mut plain.top);
                if table.iter().any(|f| f.key == field.key) {
                    return None;
                }
                table.push(field);
            }
        }
        start = newline.map_or(bytes.len(), |n| n + 1);
    }
    Some(plain)
}

/// One line being read, `at` moving from its start to `end`.
struct Line<'a> {
    text: &'a str,
    at: usize,
    end: usize,
}

impl<'a> Line<'a> {
    fn peek(&self) -> Option<u8> {
        (self.at < self.end).then(|| self.text.as_bytes()[self.at])
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
    }

    /// A comment to the end of the line: no control characters but tab.
    fn comment(&mut self) -> Option<()> {
        let rest = &self.text.as_bytes()[self.at..self.end];
        rest.iter()
            .all(|&b| b == b'\t' || (b >= 0x20 && b != 0x7f))
            .then_some(())
    }

    /// Blanks, and maybe a comment, to the end of the line.
    fn finish(&mut self) -> Option<()> {
        self.skip_blanks();
        match self.peek() {
            None => Some(()),
            Some(b'#') => self.comment(),
            Some(_) => None,
        }
    }

    fn heading(&mut self, list: &str) -> Option<()> {
        let rest = &self.text[self.at..self.end];
        let name = rest.strip_prefix("[[")?.strip_prefix(list)?.strip_prefix("]]")?;
        self.at = self.end - name.len();
        self.finish()
    }

    fn field(&mut self) -> Option<Field<'a>> {
        let key_start = self.at;
        while matches!(self.peek(), Some(b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-')) {
            self.at += 1;
        }
        let key = &self.text[key_start..self.at];
        if key.is_empty() {
            return None;
        }
        self.skip_blanks();
        self.eat(b'=')?;
        self.skip_blanks();
        let value_start = self.at;
        let value = self.value()?;
        let span = value_start..self.at;
        self.finish()?;
        Some(Field { key, value, span })
    }

    fn value(&mut self) -> Option<Value<'a>> {
        match self.peek()? {
            b'"' => self.text_value().map(|(text, _)| Value::Text(text)),
            b'[' => self.texts(),
            b't' | b'f' => self.boolean(),
            b'0'..=b'9' | b'-' => self.date().or_else(|| self.integer()),
            _ => None,
        }
    }

    /// `"…"` without escapes or control characters, and where it is.
    fn text_value(&mut self) -> Option<(&'a str, Range<usize>)> {
        let start = self.at;
        self.eat(b'"')?;
        let body = &self.text.as_bytes()[self.at..self.end];
        let close = memchr::memchr(b'"', body)?;
        let inner = &body[..close];
        if inner
            .iter()
            .any(|&b| b == b'\\' || (b < 0x20 && b != b'\t') || b == 0x7f)
        {
            return None;
        }
        let text = &self.text[self.at..self.at + close];
        self.at += close + 1;
        Some((text, start..self.at))
    }

    /// `["a", "b"]` on one line, a trailing comma allowed.
    fn texts(&mut self) -> Option<Value<'a>> {
        self.eat(b'[')?;
        let mut items = Vec::new();
        loop {
            self.skip_blanks();
            if self.eat(b']').is_some() {
                return Some(Value::Texts(items));
            }
            items.push(self.text_value()?);
            self.skip_blanks();
            if self.eat(b',').is_none() {
                self.skip_blanks();
                self.eat(b']')?;
                return Some(Value::Texts(items));
            }
        }
    }

    fn boolean(&mut self) -> Option<Value<'a>> {
        let rest = &self.text[self.at..self.end];
        let (value, len) = if rest.starts_with("true") {
            (true, 4)
        } else if rest.starts_with("false") {
            (false, 5)
        } else {
            return None;
        };
        self.at += len;
        Some(Value::Bool(value))
    }

    /// `YYYY-MM-DD`, a real date from 1900 to 2199 and nothing after it.
    fn date(&mut self) -> Option<Value<'a>> {
        let b = self.text.as_bytes().get(self.at..self.at + 10)?;
        let digits = |r: Range<usize>| {
            b[r].iter()
                .try_fold(0i64, |n, &d| d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0')))
        };
        if b[4] != b'-' || b[7] != b'-' || self.at + 10 > self.end {
            return None;
        }
        let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        crate::date::Date::new(year, month, day)?;
        self.at += 10;
        Some(Value::Date(Datetime {
            date: Some(Date {
                year: year as u16,
                month: month as u8,
                day: day as u8,
            }),
            time: None,
            offset: None,
        }))
    }

    /// A whole number: an optional minus, no leading zero, no underscores.
    fn integer(&mut self) -> Option<Value<'a>> {
        let start = self.at;
        self.eat(b'-');
        let digits = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        let written = &self.text[digits..self.at];
        if written.is_empty() || (written.len() > 1 && written.starts_with('0')) || (written == "0" && digits > start) {
            return None;
        }
        self.text[start..self.at].parse().ok().map(Value::Int)
    }
}

/// The fields of one table, taken by name as serde would; a field left
/// over is one serde would call unknown.
pub struct Fields<'t, 'a> {
    fields: &'t [Field<'a>],
    taken: usize,
}

type Got<T> = Result<Option<T>, GiveUp>;

impl<'t, 'a> Fields<'t, 'a> {
    pub fn new(fields: &'t [Field<'a>]) -> Fields<'t, 'a> {
        Fields { fields, taken: 0 }
    }

    fn take(&mut self, key: &str) -> Option<&'t Field<'a>> {
        let field = self.fields.iter().find(|f| f.key == key)?;
        self.taken += 1;
        Some(field)
    }

    /// The field `key` if there, as `pick` takes its value; a value of
    /// another type gives up.
    fn typed<T>(&mut self, key: &str, pick: impl FnOnce(&'t Value<'a>, &Range<usize>) -> Option<T>) -> Got<T> {
        match self.take(key) {
            None => Ok(None),
            Some(field) => pick(&field.value, &field.span).map(Some).ok_or(GiveUp),
        }
    }

    pub fn text(&mut self, key: &str) -> Got<Spanned<Cow<'a, str>>> {
        self.typed(key, |value, span| match value {
            Value::Text(s) => Some(Spanned::new(span.clone(), Cow::Borrowed(*s))),
            _ => None,
        })
    }

    pub fn int(&mut self, key: &str) -> Got<Spanned<i64>> {
        self.typed(key, |value, span| match value {
            Value::Int(n) => Some(Spanned::new(span.clone(), *n)),
            _ => None,
        })
    }

    pub fn boolean(&mut self, key: &str) -> Got<bool> {
        self.typed(key, |value, _| match value {
            Value::Bool(b) => Some(*b),
            _ => None,
        })
    }

    pub fn date(&mut self, key: &str) -> Got<Spanned<Datetime>> {
        self.typed(key, |value, span| match value {
            Value::Date(d) => Some(Spanned::new(span.clone(), *d)),
            _ => None,
        })
    }

    pub fn texts(&mut self, key: &str) -> Got<Vec<Spanned<Cow<'a, str>>>> {
        self.typed(key, |value, _| match value {
            Value::Texts(items) => Some(
                items
                    .iter()
                    .map(|(s, span)| Spanned::new(span.clone(), Cow::Borrowed(*s)))
                    .collect(),
            ),
            _ => None,
        })
    }

    /// Every field was taken: none unknown.
    pub fn done(self) -> Result<(), GiveUp> {
        if self.taken == self.fields.len() {
            Ok(())
        } else {
            Err(GiveUp)
        }
    }
}

/// A raw struct the plain reader can fill, exactly as serde would from the
/// same table, or give up where serde would complain.
pub trait FromPlain<'a>: Sized {
    fn from_plain(fields: &mut Fields<'_, 'a>) -> Result<Self, GiveUp>;
}

/// A field serde requires.
pub fn required<T>(got: Option<T>) -> Result<T, GiveUp> {
    got.ok_or(GiveUp)
}
