//! A family's entries in buckets: `{"key":[entry,…],…}` each, keys spread
//! over a power of two of buckets by their hash.

use std::fmt::Write as _;

use super::super::{BUCKET_BYTES, json_string, key_hash_of};
use super::{Bucket, Entry, FamilyMemo, Key, Memo, unpack};

/// A key's parts: runs of its entries, each under the bucket size (the
/// first under the key, with `"key#": parts` beside it, the rest under
/// `key#2`, `key#3`, … in other buckets; the page fetches the first part
/// and says there are more). Most keys are one part.
fn cut(group: &[Entry]) -> Vec<&[Entry]> {
    let whole: usize = group.iter().map(|e| e.len() + 1).sum();
    if whole <= BUCKET_BYTES {
        return vec![group];
    }
    let mut parts: Vec<&[Entry]> = Vec::new();
    let (mut first, mut len) = (0, 0);
    for (i, e) in group.iter().enumerate() {
        if len > 0 && len + e.len() > BUCKET_BYTES {
            parts.push(&group[first..i]);
            (first, len) = (i, 0);
        }
        len += e.len() + usize::from(len > 0);
    }
    parts.push(&group[first..]);
    parts
}

fn part_name(key: &str, i: usize) -> String {
    if i == 0 {
        key.to_string()
    } else {
        format!("{key}#{}", i + 1)
    }
}

/// The characters of a packed key.
fn key_chars(key: Key, chars: usize) -> impl Iterator<Item = char> {
    let all = [key >> 21, key & 0x1f_ffff];
    all.into_iter()
        .take(chars)
        .map(|bits| char::from_u32(bits as u32).unwrap_or('\u{fffd}'))
}

/// The bucket of part `i` of `key`: the hash of its name (`key`, or
/// `key#2`, …), computed without writing the name out.
fn bucket_of(key: Key, chars: usize, i: usize, count: usize) -> usize {
    let suffix = if i > 0 { format!("#{}", i + 1) } else { String::new() };
    key_hash_of(key_chars(key, chars).chain(suffix.chars())) as usize % count
}

/// A family's entries (sorted) in buckets, `{"key":[entry,…],…}` each.
/// With `changed` (the keys whose entries changed since `last`), only their
/// buckets are written; else all of them.
pub(super) fn buckets(
    memo: &Memo,
    entries: &[Entry],
    chars: usize,
    last: &FamilyMemo,
    changed: Option<Vec<Key>>,
) -> (Vec<Bucket>, FamilyMemo) {
    let groups: Vec<&[Entry]> = entries.chunk_by(|a, b| a.key == b.key).collect();
    let key_len = |key: Key| key_chars(key, chars).map(char::len_utf8).sum::<usize>();
    let total: usize = groups
        .iter()
        .map(|g| key_len(g[0].key) + 8 + g.iter().map(|e| e.len() + 1).sum::<usize>())
        .sum();
    let count = total.div_ceil(BUCKET_BYTES).max(1).next_power_of_two();
    let mut family = FamilyMemo {
        count,
        ..FamilyMemo::default()
    };
    let cuts: Vec<Vec<&[Entry]>> = groups.iter().map(|g| cut(g)).collect();
    for (g, parts) in groups.iter().zip(&cuts) {
        if parts.len() > 1 {
            family.cut.insert(g[0].key, parts.len());
        }
    }
    // Which buckets to write: every one, or those of the changed keys.
    let mut dirty = vec![true; count];
    if let Some(changed) = changed.filter(|_| count == last.count) {
        dirty.fill(false);
        for key in changed {
            let parts = family.cut.get(&key).max(last.cut.get(&key)).copied().unwrap_or(1);
            for i in 0..parts {
                dirty[bucket_of(key, chars, i, count)] = true;
            }
        }
    }
    let mut json: Vec<String> = dirty
        .iter()
        .map(|d| if *d { "{".into() } else { String::new() })
        .collect();
    for (g, parts) in groups.iter().zip(cuts) {
        let many = parts.len();
        for (i, part) in parts.into_iter().enumerate() {
            let b = bucket_of(g[0].key, chars, i, count);
            if !dirty[b] {
                continue;
            }
            let key = unpack(g[0].key, chars);
            let bucket = &mut json[b];
            if bucket.len() > 1 {
                bucket.push(',');
            }
            json_string(&part_name(&key, i), bucket);
            bucket.push_str(":[");
            for (j, e) in part.iter().enumerate() {
                if j > 0 {
                    bucket.push(',');
                }
                bucket.push_str(memo.text(e));
            }
            bucket.push(']');
            if i == 0 && many > 1 {
                bucket.push(',');
                json_string(&format!("{key}#"), bucket);
                let _ = write!(bucket, ":{many}");
            }
        }
    }
    let out: Vec<Bucket> = json
        .into_iter()
        .enumerate()
        .map(|(i, mut text)| match dirty[i] {
            true => {
                text.push('}');
                let name = format!("{:08x}", crate::hash::content_key(text.as_bytes()) as u32);
                Bucket::New(text, name)
            }
            false => Bucket::Same(last.names[i].clone()),
        })
        .collect();
    family.names = out
        .iter()
        .map(|b| match b {
            Bucket::New(_, name) | Bucket::Same(name) => name.clone(),
        })
        .collect();
    (out, family)
}
