//! The search index and page: villages by name, part of a name, full
//! pinyin and pinyin initials; households by what their board shows (the
//! masked name). Built from the model after privacy was applied, so an
//! unpublished household or a full name a page does not show never gets in.
//!
//! Sharded so a phone downloads little. Every entry has a key: `c` and a
//! character of a village's name; `p` and the first two letters of one of
//! its pinyin readings; `h` and the first and last characters a household's
//! masked name shows (`h陈华` for 陈*华, `h陈*` for 陈*); a `c` key also
//! lists the pairs its character starts and ends, for a query of one
//! character. Keys of a family
//! are spread over a power of two of buckets by an FNV-1a hash of the key's
//! characters, the same in Rust and in the page's script, so the manifest
//! is only the families' bucket file names (content-hashed: an edit
//! rewrites only the buckets it touches, and no cache serves an old one).

use std::fmt::Write as _;

use pinyin::ToPinyinMulti;

pub(super) mod index;

use super::views::Crumb;
use super::{PageCtx, RenderError, Renderer};
use crate::theme::Key;

/// About this many bytes a bucket (a query fetches two or three): the number of buckets of a family is
/// the power of two that keeps them near it.
pub const BUCKET_BYTES: usize = 16 * 1024;

/// At most this many pinyin readings of one name are indexed (names with
/// many heteronyms would otherwise multiply).
const READINGS: usize = 8;

/// The search page and the index files.
pub(super) fn search(r: &mut Renderer<'_>) -> Result<(), RenderError> {
    let site = r.site;
    let last = r.memo.as_ref().and_then(|m| m.search.clone());
    let (families, memo) = index::build(site, last.as_deref());
    if let Some(m) = r.memo.as_mut() {
        m.search = Some(std::sync::Arc::new(memo));
    }
    let mut manifest = String::new();
    for (letter, buckets) in families {
        // The manifest lists each bucket by its hash alone: the file is
        // `<family><hash>.json` beside it.
        let hashes: Vec<String> = buckets
            .into_iter()
            .map(|bucket| match bucket {
                index::Bucket::New(json, hash) => {
                    r.file(format!("search/{letter}{hash}.json"), json.into_bytes());
                    hash
                }
                index::Bucket::Same(hash) => {
                    r.unchanged_file(format!("search/{letter}{hash}.json"));
                    hash
                }
            })
            .collect();
        let _ = writeln!(manifest, "{letter}\t{}", hashes.join(" "));
    }
    let manifest_name = format!(
        "search/{:08x}.txt",
        crate::hash::content_key(manifest.as_bytes()) as u32
    );
    r.file(manifest_name.clone(), manifest.into_bytes());

    // Without JavaScript (or from disk), the page still leads to every
    // county and town page, which list their villages.
    let places: Vec<(Crumb, Vec<Crumb>)> = site
        .counties
        .iter()
        .map(|c| {
            let county = Crumb {
                name: c.name.clone(),
                path: format!("{}/", c.slug),
            };
            let towns = c
                .children
                .iter()
                .map(|t| Crumb {
                    name: t.name.clone(),
                    path: format!("{}/{}/", c.slug, t.slug),
                })
                .collect();
            (county, towns)
        })
        .collect();
    let manifest_file = manifest_name["search/".len()..].to_string();
    let mut ctx = PageCtx::new();
    ctx.put("places", &places);
    ctx.put("manifest", &manifest_file);
    let meta = r.meta_of(Key::SearchTitle, Key::SearchSummary, "search/", false);
    r.page("search.html", "search/", meta, ctx)
}

/// `陈华` for 陈*华, `陈*` for 陈*, `欧华` for 欧阳*华, `韦华` for 韦国华.
#[cfg(test)]
fn household_key(shown: &str) -> String {
    let (first, last) = household_pair(shown);
    format!("{first}{last}")
}

/// The first and last characters a masked name shows (`*` for none).
fn household_pair(shown: &str) -> (char, char) {
    let mut visible = shown.chars().filter(|c| *c != '*');
    let first = visible.next().unwrap_or('*');
    let last = if shown.ends_with('*') {
        '*'
    } else {
        visible.next_back().unwrap_or(first)
    };
    (first, last)
}

/// A village's name without the word for what it is (村, 社区): a query
/// starting with it would find every village.
fn village_stem(name: &str) -> &str {
    ["社区", "村"]
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix).filter(|s| !s.is_empty()))
        .unwrap_or(name)
}

/// FNV-1a over the key's characters (as code points): the page's script
/// computes the same to find a key's bucket.
#[cfg(test)]
pub fn key_hash(key: &str) -> u32 {
    key_hash_of(key.chars())
}

/// [`key_hash`] of a key given as its characters.
fn key_hash_of(chars: impl Iterator<Item = char>) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for c in chars {
        h ^= c as u32;
        h = h.wrapping_mul(16_777_619);
    }
    h
}

/// `s` as a JSON string.
fn json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The characters of a name worth a key: not the mask, not spaces.
fn distinct_chars(name: &str) -> Vec<char> {
    let mut chars: Vec<char> = name
        .chars()
        .filter(|c| *c != '*' && !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    chars.sort_unstable();
    chars.dedup();
    chars
}

/// The ways a name can be read in pinyin, each as full pinyin and as
/// initials (`tongrongcun`, `trc`); at most [`READINGS`] readings.
pub fn readings(name: &str) -> Vec<String> {
    let mut full: Vec<(String, String)> = vec![(String::new(), String::new())];
    for c in name.chars() {
        let options: Vec<&str> = match c.to_pinyin_multi() {
            Some(multi) => (0..multi.count()).map(|i| multi.get(i).plain()).collect(),
            None if c.is_ascii_alphanumeric() => vec![],
            None => continue,
        };
        if options.is_empty() {
            let lower = c.to_ascii_lowercase();
            for (f, i) in &mut full {
                f.push(lower);
                i.push(lower);
            }
            continue;
        }
        let mut next = Vec::new();
        for (f, i) in &full {
            for o in &options {
                if next.len() < READINGS {
                    next.push((format!("{f}{o}"), format!("{i}{}", &o[..1])));
                }
            }
        }
        full = next;
    }
    let mut out: Vec<String> = full
        .into_iter()
        .flat_map(|(f, i)| [f, i])
        .filter(|s| !s.is_empty())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_in_every_pinyin_they_can_have() {
        let r = readings("同荣村");
        assert!(
            r.contains(&"tongrongcun".to_string()) && r.contains(&"trc".to_string()),
            "{r:?}"
        );
        // 长 reads chang or zhang: both are indexed.
        let r = readings("长安村");
        assert!(
            r.contains(&"changancun".to_string()) && r.contains(&"zhangancun".to_string()),
            "{r:?}"
        );
        assert!(
            r.contains(&"cac".to_string()) && r.contains(&"zac".to_string()),
            "{r:?}"
        );
    }

    #[test]
    fn households_are_keyed_by_the_first_and_last_characters_shown() {
        assert_eq!(household_key("陈*华"), "陈华");
        assert_eq!(household_key("陈*"), "陈*");
        assert_eq!(household_key("欧阳*华"), "欧华");
        assert_eq!(household_key("韦国华"), "韦华", "a full name shown with consent");
        assert_eq!(distinct_chars(village_stem("同荣村")), vec!['同', '荣']);
        assert_eq!(village_stem("潘塘社区"), "潘塘");
        assert_eq!(village_stem("村"), "村");
    }

    /// The page's script hashes keys the same way (FNV-1a over code
    /// points): these values are what it must compute too.
    #[test]
    fn keys_hash_as_fnv1a_over_code_points() {
        assert_eq!(key_hash(""), 0x811c_9dc5);
        assert_eq!(key_hash("a"), 0xe40c_292c);
        assert_eq!(key_hash("陈华"), {
            let mut h: u32 = 0x811c_9dc5;
            for c in ['陈', '华'] {
                h = (h ^ c as u32).wrapping_mul(16_777_619);
            }
            h
        });
    }
}
