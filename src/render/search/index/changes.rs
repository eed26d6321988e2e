//! Which keys' entries changed since the last index: only their buckets
//! are written again.

use super::{Entry, Key, Memo};

/// The keys of family `f` whose entries changed: where a town collected
/// again has other entries under it than it had, and, for `c`, where the
/// pointers are not what they were. (Other towns are as they were.)
pub(super) fn changed_keys(f: usize, changed: &[bool], memo: &Memo, last: &Memo) -> Vec<Key> {
    let mut keys: Vec<Key> = Vec::new();
    for (i, _) in changed.iter().enumerate().filter(|(_, c)| **c) {
        let (new, old) = (&memo.parts[i].arena, &last.parts[i].arena);
        differing(
            &new.families[f],
            &old.families[f],
            |e| &new.text[e.range()],
            |e| &old.text[e.range()],
            &mut keys,
        );
    }
    if f == 0 {
        let (new, old) = (&memo.pointers, &last.pointers);
        differing(
            &new.families[0],
            &old.families[0],
            |e| &new.text[e.range()],
            |e| &old.text[e.range()],
            &mut keys,
        );
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The keys under which two lists sorted by key hold other texts.
fn differing<'a>(
    a: &[Entry],
    b: &[Entry],
    text_a: impl Fn(&Entry) -> &'a str,
    text_b: impl Fn(&Entry) -> &'a str,
    out: &mut Vec<Key>,
) {
    let (mut ga, mut gb) = (
        a.chunk_by(|x, y| x.key == y.key).peekable(),
        b.chunk_by(|x, y| x.key == y.key).peekable(),
    );
    loop {
        match (ga.peek(), gb.peek()) {
            (Some(x), Some(y)) if x[0].key == y[0].key => {
                let same = x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| text_a(p) == text_b(q));
                if !same {
                    out.push(x[0].key);
                }
                ga.next();
                gb.next();
            }
            (Some(x), Some(y)) if x[0].key < y[0].key => {
                out.push(x[0].key);
                ga.next();
            }
            (Some(_), Some(y)) => {
                out.push(y[0].key);
                gb.next();
            }
            (Some(x), None) => {
                out.push(x[0].key);
                ga.next();
            }
            (None, Some(y)) => {
                out.push(y[0].key);
                gb.next();
            }
            (None, None) => break,
        }
    }
}
