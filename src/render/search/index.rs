//! The index itself, built with few allocations: every entry's JSON is
//! written once into one arena, entries are sorted by key (a stable sort:
//! within a key they stay in site order), and each bucket is written
//! straight from the arena. (It was a map of keys to vectors of strings:
//! at 5,000 villages that was nine tenths of a watch rebuild, most of it
//! allocating and freeing.)

use std::fmt::Write as _;

use super::{BUCKET_BYTES, distinct_chars, household_pair, json_string, key_hash, readings, village_stem};
use crate::model::{County, Site};

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

/// One entry: its key and where its JSON is in the arena.
#[derive(Clone, Copy)]
struct Entry {
    key: Key,
    start: usize,
    end: usize,
}

/// A family's entries (`c`: one character, `p` and `h`: two).
struct Family {
    letter: char,
    chars: usize,
    entries: Vec<Entry>,
}

/// The entries' JSON, one after another.
#[derive(Default)]
struct Arena {
    text: String,
    families: [Vec<Entry>; 3],
}

impl Arena {
    /// Write an entry's JSON with `write` under `key` of family `f`.
    fn put(&mut self, f: usize, key: Key, write: impl FnOnce(&mut String)) {
        let start = self.text.len();
        write(&mut self.text);
        let end = self.text.len();
        self.families[f].push(Entry { key, start, end });
    }

    /// Another county's arena after this one's.
    fn append(&mut self, other: Arena) {
        let shift = self.text.len();
        self.text.push_str(&other.text);
        for (mine, theirs) in self.families.iter_mut().zip(other.families) {
            mine.extend(theirs.into_iter().map(|e| Entry {
                start: e.start + shift,
                end: e.end + shift,
                ..e
            }));
        }
    }
}

/// Each family's buckets, `c`, `p`, `h` in turn: the counties collected on
/// all cores, then put together in site order.
pub(super) fn build(site: &Site) -> Vec<(char, Vec<String>)> {
    use rayon::prelude::*;
    let parts: Vec<Arena> = site.counties.par_iter().map(county).collect();
    let mut arena = Arena::default();
    for part in parts {
        arena.append(part);
    }
    let [mut villages, pinyin, mut households] = std::mem::take(&mut arena.families);
    households.sort_by_key(|e| e.key);
    // The pointers for one character go with its villages (after them):
    // a query of one character fetches that bucket anyway.
    pointers(&households, &mut arena);
    villages.extend(std::mem::take(&mut arena.families[0]));
    let families = [
        Family {
            letter: 'c',
            chars: 1,
            entries: villages,
        },
        Family {
            letter: 'p',
            chars: 2,
            entries: pinyin,
        },
        Family {
            letter: 'h',
            chars: 2,
            entries: households,
        },
    ];
    families
        .into_iter()
        .map(|mut family| {
            family.entries.sort_by_key(|e| e.key);
            (family.letter, buckets(&family, &arena.text))
        })
        .collect()
}

fn county(county: &County) -> Arena {
    let mut arena = Arena::default();
    let mut row = String::new();
    for town in &county.children {
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
    }
    arena
}

/// For a query of one character: the pairs its character starts and ends,
/// most households first, as `["@", "华明*", "王李"]` (陈华, 陈明, 陈*; 王陈,
/// 李陈), put in `arena` under the character's `c` key. The page looks
/// under the commonest pair each way, and says there are more.
fn pointers(households: &[Entry], arena: &mut Arena) {
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
        arena.put(0, pack(c, None), |json| {
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
}

/// A family's entries (sorted by key) in buckets: `{"key":[entry,…],…}`
/// each. A key with more entries than a bucket holds (a common surname's
/// two-character names, `孙*`) is cut into parts: the first under the key,
/// with `"key#": parts` beside it, the rest under `key#2`, `key#3`, … in
/// other buckets; the page fetches the first part and says there are more.
fn buckets(family: &Family, text: &str) -> Vec<String> {
    let groups: Vec<(String, &[Entry])> = family
        .entries
        .chunk_by(|a, b| a.key == b.key)
        .map(|group| (unpack(group[0].key, family.chars), group))
        .collect();
    let total: usize = groups
        .iter()
        .map(|(k, g)| k.len() + 8 + g.iter().map(|e| e.end - e.start + 1).sum::<usize>())
        .sum();
    let count = total.div_ceil(BUCKET_BYTES).max(1).next_power_of_two();
    let mut out = vec![String::from("{"); count];
    for (key, group) in groups {
        // Parts as runs of entries, each under the bucket size.
        let mut parts: Vec<&[Entry]> = Vec::new();
        let (mut first, mut len) = (0, 0);
        for (i, e) in group.iter().enumerate() {
            let size = e.end - e.start;
            if len > 0 && len + size > BUCKET_BYTES {
                parts.push(&group[first..i]);
                (first, len) = (i, 0);
            }
            len += size + usize::from(len > 0);
        }
        parts.push(&group[first..]);
        let many = parts.len();
        for (i, part) in parts.into_iter().enumerate() {
            let name = if i == 0 {
                key.clone()
            } else {
                format!("{key}#{}", i + 1)
            };
            let bucket = &mut out[key_hash(&name) as usize % count];
            if bucket.len() > 1 {
                bucket.push(',');
            }
            json_string(&name, bucket);
            bucket.push_str(":[");
            for (j, e) in part.iter().enumerate() {
                if j > 0 {
                    bucket.push(',');
                }
                bucket.push_str(&text[e.start..e.end]);
            }
            bucket.push(']');
            if i == 0 && many > 1 {
                bucket.push(',');
                json_string(&format!("{key}#"), bucket);
                let _ = write!(bucket, ":{many}");
            }
        }
    }
    for bucket in &mut out {
        bucket.push('}');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key too big for a bucket is cut into parts, every entry in one of
    /// them, the first saying how many there are.
    #[test]
    fn a_key_bigger_than_a_bucket_comes_in_parts() {
        let entry = format!("[\"{}\"]", "x".repeat(1000));
        let mut arena = Arena::default();
        for _ in 0..60 {
            arena.put(2, pack('孙', Some('*')), |out| out.push_str(&entry));
        }
        arena.put(2, pack('陈', Some('华')), |out| out.push_str(&entry));
        let mut entries = std::mem::take(&mut arena.families[2]);
        entries.sort_by_key(|e| e.key);
        let family = Family {
            letter: 'h',
            chars: 2,
            entries,
        };
        let buckets = buckets(&family, &arena.text);
        let all = buckets.concat();
        assert_eq!(all.matches(&entry).count(), 61, "no entry lost");
        assert!(all.contains("\"孙*#\":4"), "four parts of about 16 KB");
        assert!(all.contains("\"孙*#2\":[") && all.contains("\"孙*#4\":["));
        assert!(buckets.iter().all(|b| b.len() < 2 * BUCKET_BYTES));
    }

    #[test]
    fn packed_keys_sort_as_their_strings() {
        let keys = [
            ('a', Some('z')),
            ('b', Some('a')),
            ('陈', Some('*')),
            ('陈', Some('华')),
            ('𠀀', Some('a')),
        ];
        let mut packed: Vec<Key> = keys.iter().map(|(a, b)| pack(*a, *b)).collect();
        packed.sort();
        let strings: Vec<String> = packed.iter().map(|k| unpack(*k, 2)).collect();
        let mut sorted = strings.clone();
        sorted.sort();
        assert_eq!(strings, sorted);
        assert_eq!(unpack(pack('陈', None), 1), "陈");
    }
}
