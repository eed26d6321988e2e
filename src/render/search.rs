//! The search index and page: villages by name, part of a name, full
//! pinyin and pinyin initials; households by what their board shows (the
//! masked name). Built from the model after privacy was applied, so an
//! unpublished household or a full name a page does not show never gets in.
//!
//! The index is sharded so a phone downloads little: a manifest of keys,
//! then one shard per first character (a Chinese character, or `p` and a
//! letter for pinyin), split by the name's last character when it passes
//! [`SHARD_BYTES`]. Names carry a hash of the content, so an edit rewrites
//! only the shards it touches and caches never serve an old one.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use pinyin::ToPinyinMulti;

use super::views::Crumb;
use super::{PageCtx, RenderError, Renderer};
use crate::model::Site;
use crate::theme::Key;

/// A shard is split by last character above this size.
pub const SHARD_BYTES: usize = 32 * 1024;

/// At most this many pinyin readings of one name are indexed (names with
/// many heteronyms would otherwise multiply).
const READINGS: usize = 8;

/// A village as a shard lists it: name, board path, county · town.
type VillageRow = (String, String, String);

/// A household: masked name, index of its village in the shard, anchor
/// number on the board, grid (0 when none).
type HouseholdRow = (String, usize, usize, u32);

#[derive(Default)]
struct Shard {
    v: Vec<VillageRow>,
    h: Vec<HouseholdRow>,
    /// For pinyin shards: village index, then its readings (full, initials).
    p: Vec<(usize, Vec<String>)>,
    /// Site village index → index in `v`.
    villages: BTreeMap<usize, usize>,
}

impl Shard {
    /// `{"v":[[name,path,place],…],"h":[[name,v,anchor,grid],…],"p":[[v,[readings…]],…]}`
    fn to_json(&self) -> String {
        let mut out = String::from("{\"v\":[");
        for (i, (name, path, place)) in self.v.iter().enumerate() {
            out.push_str(if i > 0 { ",[" } else { "[" });
            json_string(name, &mut out);
            out.push(',');
            json_string(path, &mut out);
            out.push(',');
            json_string(place, &mut out);
            out.push(']');
        }
        out.push_str("],\"h\":[");
        for (i, (name, v, anchor, grid)) in self.h.iter().enumerate() {
            out.push_str(if i > 0 { ",[" } else { "[" });
            json_string(name, &mut out);
            let _ = write!(out, ",{v},{anchor},{grid}]");
        }
        out.push_str("],\"p\":[");
        for (i, (v, readings)) in self.p.iter().enumerate() {
            let _ = write!(out, "{}[{v},[", if i > 0 { "," } else { "" });
            for (j, r) in readings.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                json_string(r, &mut out);
            }
            out.push_str("]]");
        }
        out.push_str("]}");
        out
    }

    /// The shard's index of village `v` (of the site), adding its row.
    fn village(&mut self, v: usize, rows: &[VillageRow]) -> usize {
        let next = self.v.len();
        *self.villages.entry(v).or_insert_with(|| {
            self.v.push(rows[v].clone());
            next
        })
    }
}

/// The search page and the index files.
pub(super) fn search(r: &mut Renderer<'_>) -> Result<(), RenderError> {
    let site = r.site;
    let keys = collect(site);
    let mut manifest = String::new();
    for (key, parts) in keys {
        for (bucket, shard) in parts {
            let json = shard.to_json();
            let name = format!("search/{:08x}.json", crate::hash::content_key(json.as_bytes()) as u32);
            let _ = writeln!(manifest, "{key}{bucket}\t{}", &name["search/".len()..]);
            r.file(name, json.into_bytes());
        }
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

/// Every village's row, and the shards by key (`c:同`, `p:t`), each split
/// into buckets (`""` for the whole shard, or `/` and a last character).
type Keys = BTreeMap<String, Vec<(String, Shard)>>;

fn collect(site: &Site) -> Keys {
    let mut rows: Vec<VillageRow> = Vec::new();
    let mut by_key: BTreeMap<String, Shard> = BTreeMap::new();
    // Households by key and bucket (their name's last character).
    let mut households: BTreeMap<String, BTreeMap<char, Vec<(usize, HouseholdRow)>>> = BTreeMap::new();
    for county in &site.counties {
        for town in &county.children {
            for village in &town.children {
                let v = rows.len();
                rows.push((
                    village.name.clone(),
                    format!("{}/{}/{}/", county.slug, town.slug, village.slug),
                    format!("{} · {}", county.name, town.name),
                ));
                for c in distinct_chars(&village.name) {
                    let shard = by_key.entry(format!("c{c}")).or_default();
                    shard.village(v, &rows);
                }
                let readings = readings(&village.name);
                let mut letters: Vec<char> = readings.iter().filter_map(|r| r.chars().next()).collect();
                letters.sort_unstable();
                letters.dedup();
                for letter in letters {
                    let shard = by_key.entry(format!("p{letter}")).or_default();
                    let at = shard.village(v, &rows);
                    let mine: Vec<String> = readings.iter().filter(|r| r.starts_with(letter)).cloned().collect();
                    shard.p.push((at, mine));
                }
                // The households a board shows: those with a star.
                for (anchor, h) in village.households.iter().enumerate() {
                    if h.stars.is_empty() {
                        continue;
                    }
                    let last = h.shown_name.chars().rev().find(|c| *c != '*').unwrap_or('*');
                    let row = (h.shown_name.clone(), v, anchor, h.grid.unwrap_or(0));
                    for c in distinct_chars(&h.shown_name) {
                        households
                            .entry(format!("c{c}"))
                            .or_default()
                            .entry(last)
                            .or_default()
                            .push((v, row.clone()));
                    }
                }
            }
        }
    }
    let mut keys = Keys::new();
    let mut all: Vec<String> = by_key.keys().chain(households.keys()).cloned().collect();
    all.sort_unstable();
    all.dedup();
    for key in all {
        let mut base = by_key.remove(&key).unwrap_or_default();
        let buckets = households.remove(&key).unwrap_or_default();
        let size: usize = buckets.values().map(|b| b.len() * 24).sum::<usize>() + base.v.len() * 40;
        let mut parts = Vec::new();
        if size <= SHARD_BYTES {
            for (v, row) in buckets.into_values().flatten() {
                let at = base.village(v, &rows);
                base.h.push((row.0, at, row.2, row.3));
            }
        } else {
            for (last, list) in buckets {
                let mut shard = Shard::default();
                for (v, row) in list {
                    let at = shard.village(v, &rows);
                    shard.h.push((row.0, at, row.2, row.3));
                }
                parts.push((format!("/{last}"), shard));
            }
        }
        parts.insert(0, (String::new(), base));
        keys.insert(key, parts);
    }
    keys
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
    fn masked_names_are_keyed_by_their_shown_characters() {
        assert_eq!(distinct_chars("陈*华"), vec!['华', '陈']);
        assert_eq!(distinct_chars("欧阳*华"), vec!['华', '欧', '阳']);
    }
}
