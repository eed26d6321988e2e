//! Splitting a Markdown file into its `+++` TOML front matter and its body.
//!
//! Pure string work: offsets are kept so problems in the front matter point at
//! the right line of the real file.

/// A Markdown file cut in two. Offsets are byte positions in the original text.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub front: &'a str,
    pub front_offset: usize,
    pub body: &'a str,
}

#[derive(Debug, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `+++` line.
    Missing,
    /// `+++` opens the front matter but no line closes it.
    Unclosed,
}

/// Split `text`; the opening `+++` must be the first line (blank lines before it
/// are tolerated, since editors sometimes add them).
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let start = text.len() - text.trim_start_matches(['\n', '\r', ' ', '\t']).len();
    let rest = &text[start..];
    let first_line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    if rest[..first_line_end].trim_end() != "+++" {
        return Err(SplitError::Missing);
    }
    let front_offset = start + first_line_end;
    let mut pos = front_offset;
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..line_end].trim_end() == "+++" {
            return Ok(Split {
                front: &text[front_offset..pos],
                front_offset,
                body: &text[line_end..],
            });
        }
        pos = line_end;
    }
    Err(SplitError::Unclosed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_and_body() {
        let s = split("+++\ntitle = \"x\"\n+++\n正文\n").unwrap();
        assert_eq!(s.front, "title = \"x\"\n");
        assert_eq!(s.front_offset, 4);
        assert_eq!(s.body, "正文\n");
    }

    #[test]
    fn handles_crlf() {
        let s = split("+++\r\ntitle = \"x\"\r\n+++\r\nbody").unwrap();
        assert_eq!(s.front, "title = \"x\"\r\n");
        assert_eq!(s.body, "body");
    }

    #[test]
    fn plus_signs_inside_lines_do_not_close() {
        let s = split("+++\nnote = \"+++\"\n+++\n").unwrap();
        assert_eq!(s.front, "note = \"+++\"\n");
        assert_eq!(s.body, "");
    }

    #[test]
    fn missing_and_unclosed() {
        assert_eq!(split("# title\n"), Err(SplitError::Missing));
        assert_eq!(split(""), Err(SplitError::Missing));
        assert_eq!(split("+++\ntitle = 1\n"), Err(SplitError::Unclosed));
    }
}
