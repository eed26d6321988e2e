//! Pairing the runs of one stretch: CommonMark's delimiter algorithm, with
//! the one condition the amendment adds.

use std::collections::HashMap;

use super::{Made, Piece};

/// CommonMark's delimiter algorithm over the runs of one stretch: each run
/// that may close takes the nearest earlier run of the same character that
/// may open, two at a time while both have two left, else one (`~` pairs
/// only with a run of its own length), with pulldown-cmark's rule of three.
/// At least one of a pair must be a run Chinese punctuation let open or
/// close.
pub(super) fn pair(stretch: &mut [Piece<'_>]) {
    let runs: Vec<usize> = (0..stretch.len())
        .filter(|&i| matches!(&stretch[i], Piece::Run(r) if r.can_open || r.can_close))
        .collect();
    let mut openers: Vec<usize> = Vec::new();
    // Where a failed search for a kind of closer stopped: openers below it
    // cannot match that kind, so a long stretch of unmatched runs is not
    // searched again and again.
    let mut floors: HashMap<(char, usize, bool, bool), usize> = HashMap::new();
    for &c in &runs {
        let Piece::Run(closer) = &stretch[c] else { continue };
        let (ch, whole, can_open, can_close, gained) = (
            closer.ch,
            closer.whole,
            closer.can_open,
            closer.can_close,
            closer.gained,
        );
        let both = can_open && can_close;
        let kind = (ch, if ch == '~' { whole } else { whole % 3 }, both, gained);
        while can_close && left_of(&stretch[c]) > 0 {
            let bottom = floors.get(&kind).copied().unwrap_or(0).min(openers.len());
            let found = (bottom..openers.len()).rev().find(|&k| {
                let Piece::Run(o) = &stretch[openers[k]] else {
                    return false;
                };
                let o_both = o.can_open && o.can_close;
                let lengths_fit = if ch == '~' {
                    o.whole == whole
                } else {
                    // CommonMark's rule of three, as pulldown-cmark words it.
                    (!both && !o_both) || (whole + o.whole) % 3 != 0 || whole % 3 == 0
                };
                o.ch == ch && lengths_fit && (gained || o.gained)
            });
            let Some(k) = found else {
                floors.insert(kind, openers.len());
                break;
            };
            let o = openers[k];
            let (used, made) = match ch {
                '~' => (whole, Made::Strikethrough),
                _ if left_of(&stretch[o]) >= 2 && left_of(&stretch[c]) >= 2 => (2, Made::Strong),
                _ => (1, Made::Emphasis),
            };
            if let Piece::Run(r) = &mut stretch[o] {
                r.left -= used;
                r.opens.push(made);
            }
            if let Piece::Run(r) = &mut stretch[c] {
                r.left -= used;
                r.closes.push(made);
            }
            // Openers between the pair can no longer be matched.
            openers.truncate(if left_of(&stretch[o]) > 0 { k + 1 } else { k });
            for floor in floors.values_mut() {
                *floor = (*floor).min(k);
            }
        }
        if can_open && left_of(&stretch[c]) > 0 {
            openers.push(c);
        }
    }
}

fn left_of(piece: &Piece<'_>) -> usize {
    match piece {
        Piece::Run(r) => r.left,
        Piece::Events(_) => 0,
    }
}
