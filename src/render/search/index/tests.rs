use super::*;
use crate::render::search::BUCKET_BYTES;

/// The buckets of one family made of `arena`'s entries, all written.
fn all_buckets(arena: Arena, f: usize) -> Vec<String> {
    let mut entries = arena.families[f].clone();
    entries.sort_by_key(|e| e.key);
    let memo = Memo {
        parts: vec![Arc::new(Part {
            id: 0,
            _town: Arc::new(crate::model::Place {
                name: String::new(),
                folder: String::new(),
                slug: String::new(),
                kind: crate::model::PlaceKind::Town,
                intro: Default::default(),
                assets: Vec::new(),
                children: Vec::new(),
            }),
            arena,
        })],
        ..Memo::default()
    };
    let (buckets, _) = buckets(&memo, &entries, FAMILIES[f].1, &FamilyMemo::default(), None);
    buckets
        .into_iter()
        .map(|b| match b {
            Bucket::New(json, _) => json,
            Bucket::Same(_) => panic!("nothing to keep from"),
        })
        .collect()
}

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
    let buckets = all_buckets(arena, 2);
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

#[test]
fn two_sorted_lists_merge_in_site_order() {
    let e = |key, arena| Entry {
        key,
        arena,
        start: 0,
        end: 0,
    };
    let merged = merge(&[e(1, 0), e(2, 2)], &[e(1, 1), e(2, 1), e(3, 0)]);
    let order: Vec<(Key, u32)> = merged.iter().map(Entry::order).collect();
    assert_eq!(order, vec![(1, 0), (1, 1), (2, 1), (2, 2), (3, 0)]);
}
