//! What may happen to a file met in content/: the kinds published beside
//! pages, the kinds never published, and the problem for what is refused.

use std::path::Path;

use crate::error::{Problem, t};
use crate::fs;

/// A problem for a path the walk refused to read.
pub fn refused(shown: &Path, why: &fs::Refusal) -> Problem {
    let (message, hint) = match why {
        fs::Refusal::LinkOutside(target) => {
            let target = crate::error::printable(&target.display().to_string());
            (
                t(
                    format!("this is a link to {target}, outside the site folder; it is not read"),
                    format!("这是指向网站文件夹以外（{target}）的链接，不会读取"),
                ),
                t(
                    "copy the file into content/ instead of linking to it",
                    "请把文件复制到 content/ 里，不要用链接",
                ),
            )
        }
        fs::Refusal::BrokenLink => (
            t(
                "this link leads nowhere (or round in a circle); it is not read",
                "这个链接指向的文件不存在（或绕回自己），不会读取",
            ),
            t(
                "delete the link, or copy the real file here",
                "请删除这个链接，或把真正的文件复制到这里",
            ),
        ),
        fs::Refusal::Special(kind) => {
            let (en, zh) = match *kind {
                "fifo" => ("a named pipe", "命名管道"),
                "socket" => ("a socket", "套接字"),
                _ => ("a device", "设备文件"),
            };
            (
                t(
                    format!("this is {en}, not a file; it is not read"),
                    format!("这是{zh}，不是普通文件，不会读取"),
                ),
                t(
                    "remove it: content/ holds only text, pictures and PDF files",
                    "请删除它：content/ 里只放文字、图片和 PDF 文件",
                ),
            )
        }
    };
    Problem::error(shown, None, message, hint)
}

/// What may happen to a file beside the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssetKind {
    /// Pictures and PDF: pages show or link them.
    Published,
    /// Never published: spreadsheets, documents, archives, databases, lock
    /// and temporary files (a roster in Excel names every household in full).
    Private,
    /// Anything else: published only if the theme declares the kind.
    Unknown,
}

const PUBLISHED: &[&str] = &["jpg", "jpeg", "png", "gif", "webp", "svg", "avif", "pdf"];
const PRIVATE: &[&str] = &[
    "xlsx", "xlsm", "xlsb", "xls", "xlt", "xltx", "et", "ett", "ods", "csv", "tsv", "numbers", "doc", "docx", "docm",
    "dot", "dotx", "wps", "wpt", "rtf", "odt", "pages", "ppt", "pptx", "dps", "odp", "key", "zip", "rar", "7z", "tar",
    "gz", "tgz", "bz2", "xz", "zst", "db", "sqlite", "mdb", "accdb", "dbf", "bak", "tmp", "temp", "lock", "log",
    "toml", "md", "txt", "json", "yaml", "yml", "ini", "exe", "bat", "sh", "ps1", "vbs", "lnk", "url",
];

/// The kind of a file beside the content, by its name.
pub fn asset_kind(name: &str) -> AssetKind {
    // Office's owner files (`~$households.xlsx`) and LibreOffice's locks.
    if name.starts_with("~$") || name.starts_with(".~lock") || name == "Thumbs.db" || name == "desktop.ini" {
        return AssetKind::Private;
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if PUBLISHED.contains(&ext.as_str()) {
        AssetKind::Published
    } else if PRIVATE.contains(&ext.as_str()) || ext.is_empty() {
        AssetKind::Private
    } else {
        AssetKind::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_and_pdf_are_published_rosters_and_documents_never() {
        for name in ["合影.JPG", "a.jpeg", "b.png", "c.webp", "d.svg", "通知.pdf"] {
            assert_eq!(asset_kind(name), AssetKind::Published, "{name}");
        }
        for name in [
            "households.xlsx",
            "名单.XLS",
            "points.et",
            "a.csv",
            "总结.docx",
            "b.wps",
            "c.zip",
            "~$households.xlsx",
            ".~lock.households.xlsx#",
            "Thumbs.db",
            "README",
            "notes.md",
        ] {
            assert_eq!(asset_kind(name), AssetKind::Private, "{name}");
        }
        assert_eq!(asset_kind("宣传.mp3"), AssetKind::Unknown);
    }
}
