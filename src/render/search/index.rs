//! The index itself, built with few allocations and, between rebuilds of
//! `watch` and `serve`, only where it changed. Every entry's JSON is
//! written once into its town's arena; each family's entries are kept
//! sorted by key (stably: within a key they stay in site order); a bucket
//! is written straight from the arenas, and only if one of its keys
//! changed. (It was a map of keys to vectors of strings, made anew on every
//! rebuild: at 5,000 villages nine tenths of a watch rebuild.)

mod buckets;
mod changes;

use std::fmt::Write as _;
use std::sync::Arc;

use super::{distinct_chars, household_pair, json_string, readings, village_stem};
use crate::hash::FastMap;
use crate::model::{County, Site, Town};
use buckets::buckets;
use changes::changed_keys;

/// A key of up to two characters, packed so that packed order is the
/// keys' string order (every key of a family has as many characters).
type Key = u64;

fn pack(first: char, second: Option<char>) -> Key {
    (u64::from(u32::from(first)) << 21) | second.map_or(0, |c| u64::from(u32::from(c)))
}

fn unpack(key: Key, chars: usize) -> String {
    let char_at = |bits: u64| char::from_u32(bits as u32).unwrap_or('\u{fffd}');
    let mut out = String::new();
    out.push(char_at(key >> 21));
    if chars == 2 {
        out.push(char_at(key & 0x1f_ffff));
    }
    out
}

/// The families: letter, characters in a key.
const FAMILIES: [(char, usize); 3] = [('c', 1), ('p', 2), ('h', 2)];

/// One entry: its key, which arena holds its JSON (a town's, by place,
/// or the pointers'), and where in it.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Entry {
    key: Key,
    arena: u32,
    start: u32,
    end: u32,
}

/// The arena of the pointers (see [`pointers`]).
const POINTERS: u32 = u32::MAX;

impl Entry {
    fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Sort order: by key, then by arena (site order; pointers last).
    fn order(&self) -> (Key, u32) {
        (self.key, self.arena)
    }
}

/// The entries' JSON, one after another, and each family's entries.
#[derive(Default)]
struct Arena {
    text: String,
    families: [Vec<Entry>; 3],
}

impl Arena {
    /// Write an entry's JSON with `write` under `key` of family `f`.
    fn put(&mut self, f: usize, key: Key, write: impl FnOnce(&mut String)) {
        let start = self.text.len() as u32;
        write(&mut self.text);
        let end = self.text.len() as u32;
        self.families[f].push(Entry {
            key,
            arena: 0,
            start,
            end,
        });
    }
}

/// One town's entries, each family sorted by key, and the town they were
/// made from (held, so that its address names it while this part lives).
struct Part {
    id: u64,
    _town: Arc<Town>,
    arena: Arena,
}

/// What the last index was made of, for the next rebuild to start from.
#[derive(Default)]
pub struct Memo {
    parts: Vec<Arc<Part>>,
    /// Each family's entries of every town, in order (no pointers).
    merged: [Vec<Entry>; 3],
    pointers: Arena,
    families: [FamilyMemo; 3],
}

#[derive(Default, Clone)]
struct FamilyMemo {
    count: usize,
    /// Each bucket's name (the hash of its JSON).
    names: Vec<String>,
    /// Keys cut into parts, with how many.
    cut: FastMap<Key, usize>,
}

/// A bucket of the index: made anew (JSON, name) or as it was (name).
pub(super) enum Bucket {
    New(String, String),
    Same(String),
}

/// Each family's buckets, `c`, `p`, `h` in turn, and the memo for the next
/// time. With `last`, only towns that changed are collected again
/// and only buckets with a changed key are written.
pub(super) fn build(site: &Site, last: Option<&Memo>) -> (Vec<(char, Vec<Bucket>)>, Memo) {
    use rayon::prelude::*;
    let empty = Memo::default();
    let last = last.unwrap_or(&empty);
    let by_id: FastMap<u64, &Arc<Part>> = last.parts.iter().map(|p| (p.id, p)).collect();
    let towns: Vec<(&County, &Arc<Town>)> = site
        .counties
        .iter()
        .flat_map(|c| c.children.iter().map(move |t| (c, t)))
        .collect();
    let parts: Vec<Arc<Part>> = towns
        .par_iter()
        .map(|(county, town)| {
            let id = town_id(county, town);
            match by_id.get(&id) {
                Some(part) => Arc::clone(part),
                None => Arc::new(part(county, town, id)),
            }
        })
        .collect();
    // Towns collected again; None: all of them (the layout changed).
    let changed: Option<Vec<bool>> = (last.parts.len() == parts.len() && !last.parts.is_empty()).then(|| {
        parts
            .iter()
            .zip(&last.parts)
            .map(|(new, old)| !Arc::ptr_eq(new, old))
            .collect()
    });
    let merged: [Vec<Entry>; 3] = std::array::from_fn(|f| merge_family(f, &parts, last, changed.as_deref()));
    let mut pointers = Arena::default();
    pointers_of(&merged[2], &mut pointers);
    let mut memo = Memo {
        parts,
        merged,
        pointers,
        families: Default::default(),
    };
    let mut out = Vec::new();
    for (f, (letter, chars)) in FAMILIES.into_iter().enumerate() {
        let with_pointers;
        let entries: &[Entry] = match f {
            0 => {
                with_pointers = merge(&memo.merged[0], &memo.pointers.families[0]);
                &with_pointers
            }
            _ => &memo.merged[f],
        };
        let keys = changed.as_deref().map(|changed| changed_keys(f, changed, &memo, last));
        let (buckets, family) = buckets(&memo, entries, chars, &last.families[f], keys);
        memo.families[f] = family;
        out.push((letter, buckets));
    }
    (out, memo)
}

/// Names a town's part: the town itself (rebuilt, at another address,
/// whenever anything in it changes) and the name and slug of its county.
fn town_id(county: &County, town: &Arc<Town>) -> u64 {
    use std::hash::{Hash, Hasher as _};
    let mut h = crate::hash::Hasher::default();
    (&county.slug, &county.name, Arc::as_ptr(town) as usize).hash(&mut h);
    h.finish()
}

fn part(county: &County, town: &Arc<Town>, id: u64) -> Part {
    let mut arena = collect(county, town);
    for family in &mut arena.families {
        family.sort_by_key(|e| e.key);
    }
    Part {
        id,
        _town: Arc::clone(town),
        arena,
    }
}

/// Family `f`'s entries of every town, sorted by key and then site order:
/// the last ones with the changed towns' taken out and their new ones
/// merged in, or (no `changed`) all of them anew.
fn merge_family(f: usize, parts: &[Arc<Part>], last: &Memo, changed: Option<&[bool]>) -> Vec<Entry> {
    let of = |i: usize| {
        parts[i].arena.families[f]
            .iter()
            .map(move |e| Entry { arena: i as u32, ..*e })
    };
    let Some(changed) = changed else {
        let mut all: Vec<Entry> = (0..parts.len()).flat_map(of).collect();
        all.sort_by_key(Entry::order);
        return all;
    };
    let kept: Vec<Entry> = last.merged[f]
        .iter()
        .filter(|e| !changed[e.arena as usize])
        .copied()
        .collect();
    let mut fresh: Vec<Entry> = (0..parts.len()).filter(|i| changed[*i]).flat_map(of).collect();
    fresh.sort_by_key(Entry::order);
    merge(&kept, &fresh)
}

/// Two lists sorted by [`Entry::order`], as one.
fn merge(a: &[Entry], b: &[Entry]) -> Vec<Entry> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if b[j].order() < a[i].order() {
            out.push(b[j]);
            j += 1;
        } else {
            out.push(a[i]);
            i += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

impl Memo {
    fn text(&self, e: &Entry) -> &str {
        let arena = match e.arena {
            POINTERS => &self.pointers,
            i => &self.parts[i as usize].arena,
        };
        &arena.text[e.start as usize..e.end as usize]
    }
}

/// A town's entries, in site order.
fn collect(county: &County, town: &Town) -> Arena {
    let mut arena = Arena::default();
    let mut row = String::new();
    for village in &town.children {
        // `["name","path","place"`: each entry closes it its own way.
        row.clear();
        row.push('[');
        json_string(&village.name, &mut row);
        row.push(',');
        json_string(&format!("{}/{}/{}/", county.slug, town.slug, village.slug), &mut row);
        row.push(',');
        json_string(&format!("{} · {}", county.name, town.name), &mut row);
        for c in distinct_chars(village_stem(&village.name)) {
            arena.put(0, pack(c, None), |out| {
                out.push_str(&row);
                out.push(']');
            });
        }
        let readings = readings(&village.name);
        let mut starts: Vec<&str> = readings.iter().filter_map(|r| r.get(..2)).collect();
        starts.sort_unstable();
        starts.dedup();
        for start in starts {
            let mut letters = start.chars();
            let key = pack(letters.next().unwrap_or(' '), letters.next());
            arena.put(1, key, |out| {
                out.push_str(&row);
                out.push_str(",[");
                let mine = readings.iter().filter(|r| r.starts_with(start));
                for (i, reading) in mine.enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    json_string(reading, out);
                }
                out.push_str("]]");
            });
        }
        // The households a board shows: those with a star, each with
        // its row's anchor there: [masked name, anchor, grid, village,
        // path, place].
        for (anchor, h) in village.households.iter().enumerate() {
            if h.stars.is_empty() {
                continue;
            }
            let (first, last) = household_pair(&h.shown_name);
            let key = pack(first, Some(last));
            arena.put(2, key, |out| {
                out.push('[');
                json_string(&h.shown_name, out);
                let _ = write!(out, ",{anchor},{},{}]", h.grid.unwrap_or(0), &row[1..]);
            });
        }
    }
    arena
}

/// For a query of one character: the pairs its character starts and ends,
/// most households first, as `["@", "华明*", "王李"]` (陈华, 陈明, 陈*; 王陈,
/// 李陈), put in `out` under the character's `c` key (in key order). The
/// page looks under the commonest pair each way, and says there are more.
fn pointers_of(households: &[Entry], out: &mut Arena) {
    use std::collections::BTreeMap;
    let mut by_char: BTreeMap<char, [Vec<(usize, char)>; 2]> = BTreeMap::new();
    for group in households.chunk_by(|a, b| a.key == b.key) {
        let key = unpack(group[0].key, 2);
        let mut chars = key.chars();
        let (Some(first), Some(last)) = (chars.next(), chars.next()) else {
            continue;
        };
        by_char.entry(first).or_default()[0].push((group.len(), last));
        if last != '*' && last != first {
            by_char.entry(last).or_default()[1].push((group.len(), first));
        }
    }
    for (c, mut lists) in by_char {
        out.put(0, pack(c, None), |json| {
            json.push_str("[\"@\"");
            for list in &mut lists {
                // Most households first; equal counts in character order.
                list.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                let others: String = list.iter().map(|(_, o)| *o).collect();
                json.push(',');
                json_string(&others, json);
            }
            json.push(']');
        });
    }
    for e in &mut out.families[0] {
        e.arena = POINTERS;
    }
}

#[cfg(test)]
mod tests;
