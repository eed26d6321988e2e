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

use std::collections::BTreeMap;
use std::fmt::Write as _;

use pinyin::ToPinyinMulti;

use super::views::Crumb;
use super::{PageCtx, RenderError, Renderer};
use crate::model::Site;
use crate::theme::Key;

/// About this many bytes a bucket (a query fetches two or three): the number of buckets of a family is
/// the power of two that keeps them near it.
pub const BUCKET_BYTES: usize = 16 * 1024;

/// At most this many pinyin readings of one name are indexed (names with
/// many heteronyms would otherwise multiply).
const READINGS: usize = 8;

/// Entries of one family, by key: each a JSON array, already written.
type Family = BTreeMap<String, Vec<String>>;

/// The search page and the index files.
pub(super) fn search(r: &mut Renderer<'_>) -> Result<(), RenderError> {
    let site = r.site;
    let mut manifest = String::new();
    for (letter, family) in collect(site) {
        // The manifest lists each bucket by its hash alone: the file is
        // `<family><hash>.json` beside it.
        let hashes: Vec<String> = buckets(family)
            .into_iter()
            .map(|json| {
                let hash = format!("{:08x}", crate::hash::content_key(json.as_bytes()) as u32);
                r.file(format!("search/{letter}{hash}.json"), json.into_bytes());
                hash
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

/// The three families (`c`, `p`, `h`) of entries by key: the counties
/// collected in parallel, then merged in their order.
fn collect(site: &Site) -> [(char, Family); 3] {
    use rayon::prelude::*;
    let parts: Vec<[Family; 3]> = site.counties.par_iter().map(collect_county).collect();
    let mut out: [Family; 3] = Default::default();
    for part in parts {
        for (all, mine) in out.iter_mut().zip(part) {
            for (key, entries) in mine {
                all.entry(key).or_default().extend(entries);
            }
        }
    }
    let [mut villages, pinyin, households] = out;
    // The pointers for one character go with its villages: a query of one
    // character fetches that bucket anyway.
    for (c, pointer) in pointers(&households) {
        villages.entry(c).or_default().push(pointer);
    }
    [('c', villages), ('p', pinyin), ('h', households)]
}

/// For a query of one character: the pairs its character starts and ends,
/// most households first, as `["@", "华明*", "王李"]` (陈华, 陈明, 陈*; 王陈,
/// 李陈), listed with the character's villages. The page looks under the
/// commonest pair each way, and says there are more.
fn pointers(households: &Family) -> BTreeMap<String, String> {
    let mut by_char: BTreeMap<char, [Vec<(usize, char)>; 2]> = BTreeMap::new();
    for (key, entries) in households {
        let mut chars = key.chars();
        let (Some(first), Some(last)) = (chars.next(), chars.next()) else {
            continue;
        };
        by_char.entry(first).or_default()[0].push((entries.len(), last));
        if last != '*' && last != first {
            by_char.entry(last).or_default()[1].push((entries.len(), first));
        }
    }
    by_char
        .into_iter()
        .map(|(c, mut lists)| {
            let mut json = String::from("[\"@\"");
            for list in &mut lists {
                // Most households first; equal counts in character order.
                list.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                let others: String = list.iter().map(|(_, o)| *o).collect();
                json.push(',');
                json_string(&others, &mut json);
            }
            json.push(']');
            (c.to_string(), json)
        })
        .collect()
}

fn collect_county(county: &crate::model::County) -> [Family; 3] {
    let mut villages = Family::new();
    let mut pinyin = Family::new();
    let mut households = Family::new();
    for town in &county.children {
        for village in &town.children {
            let mut row = String::from("[");
            json_string(&village.name, &mut row);
            row.push(',');
            json_string(&format!("{}/{}/{}/", county.slug, town.slug, village.slug), &mut row);
            row.push(',');
            json_string(&format!("{} · {}", county.name, town.name), &mut row);
            for c in distinct_chars(village_stem(&village.name)) {
                villages.entry(c.to_string()).or_default().push(format!("{row}]"));
            }
            let readings = readings(&village.name);
            let mut starts: Vec<&str> = readings.iter().filter_map(|r| r.get(..2)).collect();
            starts.sort_unstable();
            starts.dedup();
            for start in starts {
                let mut entry = format!("{row},[");
                let mine: Vec<&String> = readings.iter().filter(|r| r.starts_with(start)).collect();
                for (i, reading) in mine.into_iter().enumerate() {
                    if i > 0 {
                        entry.push(',');
                    }
                    json_string(reading, &mut entry);
                }
                entry.push_str("]]");
                pinyin.entry(start.to_string()).or_default().push(entry);
            }
            // The households a board shows: those with a star, each
            // with its row's anchor there.
            for (anchor, h) in village.households.iter().enumerate() {
                if h.stars.is_empty() {
                    continue;
                }
                // [masked name, anchor, grid, village, path, place]
                let mut entry = String::from("[");
                json_string(&h.shown_name, &mut entry);
                let _ = write!(entry, ",{anchor},{},{}]", h.grid.unwrap_or(0), &row[1..]);
                households.entry(household_key(&h.shown_name)).or_default().push(entry);
            }
        }
    }
    [villages, pinyin, households]
}

/// `陈华` for 陈*华, `陈*` for 陈*, `欧华` for 欧阳*华, `韦华` for 韦国华.
fn household_key(shown: &str) -> String {
    let visible: Vec<char> = shown.chars().filter(|c| *c != '*').collect();
    let first = visible.first().copied().unwrap_or('*');
    let last = if shown.ends_with('*') {
        '*'
    } else {
        visible.last().copied().unwrap_or('*')
    };
    format!("{first}{last}")
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
pub fn key_hash(key: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for c in key.chars() {
        h ^= c as u32;
        h = h.wrapping_mul(16_777_619);
    }
    h
}

/// A family's entries in buckets: `{"key":[entry,…],…}` each. A key
/// with more entries than a bucket holds (a common surname's two-character
/// names, `孙*`) is cut into parts: the first under the key, with
/// `"key#": parts` beside it, the rest under `key#2`, `key#3`, … in other
/// buckets; the page fetches the first part and says there are more.
fn buckets(family: Family) -> Vec<String> {
    // Sized from the entries first, then each key written straight into
    // its bucket, the family freed as it goes (a big site's index is
    // megabytes: no second copy of it).
    let total: usize = family
        .iter()
        .map(|(k, v)| k.len() + 8 + v.iter().map(|e| e.len() + 1).sum::<usize>())
        .sum();
    let count = total.div_ceil(BUCKET_BYTES).max(1).next_power_of_two();
    let mut out = vec![String::from("{"); count];
    let mut put = |name: &str, json: &str| {
        let bucket = &mut out[key_hash(name) as usize % count];
        if bucket.len() > 1 {
            bucket.push(',');
        }
        bucket.push_str(json);
    };
    for (key, entries) in family {
        let mut parts: Vec<String> = vec![String::new()];
        for entry in entries {
            let part = parts.last_mut().expect("one part at least");
            if !part.is_empty() && part.len() + entry.len() > BUCKET_BYTES {
                parts.push(String::new());
            }
            let part = parts.last_mut().expect("one part at least");
            if !part.is_empty() {
                part.push(',');
            }
            part.push_str(&entry);
        }
        let count = parts.len();
        for (i, part) in parts.into_iter().enumerate() {
            let name = if i == 0 {
                key.clone()
            } else {
                format!("{key}#{}", i + 1)
            };
            let mut json = String::with_capacity(part.len() + name.len() + 16);
            json_string(&name, &mut json);
            json.push_str(":[");
            json.push_str(&part);
            json.push(']');
            if i == 0 && count > 1 {
                json.push(',');
                json_string(&format!("{key}#"), &mut json);
                let _ = write!(json, ":{count}");
            }
            put(&name, &json);
        }
    }
    for bucket in &mut out {
        bucket.push('}');
    }
    out
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

    /// A key too big for a bucket is cut into parts, every entry in one of
    /// them, the first saying how many there are.
    #[test]
    fn a_key_bigger_than_a_bucket_comes_in_parts() {
        let entry = format!("[\"{}\"]", "x".repeat(1000));
        let mut family = Family::new();
        family.insert("孙*".into(), vec![entry.clone(); 60]);
        family.insert("陈华".into(), vec![entry.clone()]);
        let buckets = buckets(family);
        let all = buckets.concat();
        assert_eq!(all.matches(&entry).count(), 61, "no entry lost");
        assert!(all.contains("\"孙*#\":4"), "four parts of about 16 KB");
        assert!(all.contains("\"孙*#2\":[") && all.contains("\"孙*#4\":["));
        assert!(buckets.iter().all(|b| b.len() < 2 * BUCKET_BYTES));
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
