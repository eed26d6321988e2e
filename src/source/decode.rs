//! A content file's bytes as text. Staff on Chinese Windows save files from
//! Notepad ("ANSI"), WPS or Excel in GBK; those are read as GB18030 (a
//! superset of GBK) with a warning that says how to save them as UTF-8.

use std::path::Path;

use crate::error::{Problem, t};

/// What a file's bytes turned out to be.
pub(crate) enum Decoded {
    /// UTF-8, with a BOM dropped.
    Utf8(String),
    /// GBK/GB18030, decoded; worth a warning.
    Gbk(String),
    /// Neither: the UTF-8 text before the first byte that is not.
    Neither { valid: String, offset: usize },
}

pub(crate) fn decode(bytes: Vec<u8>) -> Decoded {
    match utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Decoded::Utf8(text)
        }
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(&bytes) {
                Some(text) => Decoded::Gbk(text.into_owned()),
                None => Decoded::Neither {
                    valid: String::from_utf8_lossy(&bytes[..offset]).into_owned(),
                    offset,
                },
            }
        }
    }
}

/// `bytes` as a String if they are UTF-8. encoding_rs checks Chinese text
/// about ten times as fast as the standard library, which made checking a
/// twentieth of a build; the standard library still finds where invalid
/// bytes start.
fn utf8(bytes: Vec<u8>) -> Result<String, std::string::FromUtf8Error> {
    if encoding_rs::Encoding::utf8_valid_up_to(&bytes) == bytes.len() {
        // SAFETY: encoding_rs has just found every byte valid UTF-8.
        Ok(unsafe { String::from_utf8_unchecked(bytes) })
    } else {
        String::from_utf8(bytes)
    }
}

/// The warning for a file read as GBK.
pub(crate) fn gbk_warning(shown: &Path) -> Problem {
    Problem::error(
        shown,
        None,
        t(
            "this file is saved as GBK (\"ANSI\"); it was read as GBK",
            "这个文件是 GBK（“ANSI”）编码，已按 GBK 读取",
        ),
        t(
            "save it as UTF-8 so every program reads it the same (Notepad: Save As → Encoding: UTF-8; WPS: Save As → encoding UTF-8)",
            "请另存为 UTF-8 编码，换了电脑和软件也不会乱码（记事本：另存为 → 编码选 UTF-8；WPS：另存为时选 UTF-8 编码）",
        ),
    )
    .warning()
}

/// The error for a file that is neither UTF-8 nor GBK.
pub(crate) fn not_text(shown: &Path, valid: &str, offset: usize) -> Problem {
    Problem::at(
        shown,
        valid,
        offset,
        t(
            "this file is neither UTF-8 nor GBK text",
            "这个文件既不是 UTF-8 也不是 GBK 编码的文字",
        ),
        t(
            "open it in Notepad and save it as UTF-8 (Save As → Encoding: UTF-8); if it is a picture or document, move it out of content/",
            "用记事本打开后另存为 UTF-8 编码（另存为 → 编码选 UTF-8）；如果它是图片或文档，请移出 content/",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_is_decoded_and_utf8_passes_with_its_bom_dropped() {
        let (gbk, _, _) = encoding_rs::GBK.encode("name = \"石桥村\"\n");
        assert!(matches!(decode(gbk.into_owned()), Decoded::Gbk(t) if t == "name = \"石桥村\"\n"));
        let bom = "\u{feff}a = 1".as_bytes().to_vec();
        assert!(matches!(decode(bom), Decoded::Utf8(t) if t == "a = 1"));
        // 0x80 alone is not GB18030 either.
        assert!(matches!(
            decode(b"ok\x80\xff\xff".to_vec()),
            Decoded::Neither { offset: 2, .. }
        ));
    }

    #[test]
    fn utf8_is_accepted_exactly_as_the_standard_library_accepts_it() {
        let cases: [&[u8]; 9] = [
            "村民 ok".as_bytes(),
            b"\xc0\xaf",         // overlong
            b"\xed\xa0\x80",     // a surrogate
            b"\xf4\x90\x80\x80", // past U+10FFFF
            "😀".as_bytes(),
            b"\xe6\x9d", // cut short
            b"abc\xe6\x9d\x91\x80",
            b"",
            b"\xff",
        ];
        for bytes in cases {
            assert_eq!(
                utf8(bytes.to_vec()).ok(),
                String::from_utf8(bytes.to_vec()).ok(),
                "{bytes:?}"
            );
        }
        // Every cut of a Chinese text, invalid ones included.
        let text = "石桥村文明户😀".as_bytes();
        for end in 0..=text.len() {
            for start in 0..end {
                let bytes = text[start..end].to_vec();
                assert_eq!(utf8(bytes.clone()).ok(), String::from_utf8(bytes).ok());
            }
        }
    }
}
