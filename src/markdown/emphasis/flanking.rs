//! What is beside a delimiter run, and what that lets it do: CommonMark's
//! flanking rules, with the amendment for Chinese punctuation (see the
//! parent module), and the characters the amendment knows.

use super::Within;

/// What is beside a run, as far as flanking goes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Side {
    Space,
    Letter,
    Punct,
    /// Chinese punctuation, and whether it may begin or end a phrase.
    Chinese {
        begins: bool,
        ends: bool,
    },
}

impl Side {
    pub(super) fn is_punct(self) -> bool {
        matches!(self, Side::Punct | Side::Chinese { .. })
    }
}

/// Whether a run may open and close, with or without the amendment for
/// Chinese punctuation.
pub(super) fn verdict(ch: char, whole: usize, before: Side, after: Side, amended: bool) -> (bool, bool) {
    // Chinese punctuation that may begin (ends) a phrase lets a run open
    // (close) beside it.
    let may = |side: Side| -> (bool, bool) {
        match side {
            Side::Chinese { begins, ends } if amended => (begins, ends),
            _ => (false, false),
        }
    };
    let left =
        after != Side::Space && (!after.is_punct() || may(after).0 || before == Side::Space || before.is_punct());
    let right =
        before != Side::Space && (!before.is_punct() || may(before).1 || after == Side::Space || after.is_punct());
    match ch {
        '*' => (left, right),
        // Strikethrough is `~~` (pulldown-cmark lets it open before anything
        // but whitespace) or a single `~`; longer runs are text.
        '~' if whole == 2 => (after != Side::Space, right),
        '~' if whole > 2 => (false, false),
        // `_` and a single `~` may not open or close inside a word.
        _ => (
            left && (!right || before.is_punct()),
            right && (!left || after.is_punct()),
        ),
    }
}

/// The side a character makes, or None for one this pass leaves alone.
pub(super) fn side(c: Option<char>, within: Within) -> Option<Side> {
    let Some(c) = c else {
        return Some(Side::Space);
    };
    Some(match c {
        '|' if within == Within::TableCell => Side::Space,
        c if c.is_whitespace() => Side::Space,
        c if c.is_ascii_alphanumeric() => Side::Letter,
        c if c.is_ascii_punctuation() => Side::Punct,
        c if c.is_ascii() => return None,
        c => {
            if let Some((begins, ends)) = chinese_punctuation(c) {
                Side::Chinese { begins, ends }
            } else if is_cjk_letter(c) || is_latin1_letter(c) {
                Side::Letter
            } else {
                return None;
            }
        }
    })
}

/// Punctuation of Chinese text: (may begin a phrase, may end one). Opening
/// brackets and quotes only begin; closing ones and pause marks (，。、；：
/// ！？) only end; the rest (dashes, ellipsis, ·, symbols) either.
pub(super) fn chinese_punctuation(c: char) -> Option<(bool, bool)> {
    const OPENING: (bool, bool) = (true, false);
    const CLOSING: (bool, bool) = (false, true);
    const EITHER: (bool, bool) = (true, true);
    Some(match c {
        '“' | '‘' | '〝' | '（' | '［' | '｛' | '｟' | '｢' => OPENING,
        '”' | '’' | '〞' | '〟' | '）' | '］' | '｝' | '｠' | '｣' => CLOSING,
        // 〈〉《》「」『』【】 and 〔〕〖〗〘〙〚〛: each opening bracket is followed by its closing one.
        '\u{3008}'..='\u{3011}' | '\u{3014}'..='\u{301B}' => {
            if (c as u32) % 2 == 0 {
                OPENING
            } else {
                CLOSING
            }
        }
        '、' | '。' | '，' | '．' | '：' | '；' | '！' | '？' | '｡' | '､' => CLOSING,
        '…' | '‥' | '—' | '―' | '·' | '〃' | '〜' | '〰' | '〽' | '・' | '゠' => EITHER,
        '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}' | '\u{FF3B}'..='\u{FF40}' | '\u{FF5B}'..='\u{FF65}' => EITHER,
        '\u{FFE0}'..='\u{FFE6}'
        | '\u{FE10}'..='\u{FE19}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FE50}'..='\u{FE52}'
        | '\u{FE54}'..='\u{FE66}'
        | '\u{FE68}'..='\u{FE6B}' => EITHER,
        _ => return None,
    })
}

/// Han, kana, hangul, bopomofo and full-width letters and digits.
fn is_cjk_letter(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}'
        | '\u{3005}'..='\u{3007}' | '\u{3021}'..='\u{3029}' | '\u{3031}'..='\u{3035}' | '\u{3038}'..='\u{303C}'
        | '\u{3041}'..='\u{3096}' | '\u{309D}'..='\u{309F}' | '\u{30A1}'..='\u{30FA}' | '\u{30FC}'..='\u{30FF}'
        | '\u{31F0}'..='\u{31FF}' | '\u{3105}'..='\u{312F}' | '\u{3131}'..='\u{318E}' | '\u{1100}'..='\u{11FF}'
        | '\u{AC00}'..='\u{D7A3}' | '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}'
        | '\u{FF66}'..='\u{FF9F}')
}

fn is_latin1_letter(c: char) -> bool {
    matches!(c, 'À'..='Ö' | 'Ø'..='ö' | 'ø'..='ÿ')
}
