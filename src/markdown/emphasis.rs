//! Emphasis next to Chinese punctuation.
//!
//! CommonMark decides whether a run of `*` or `_` may open or close emphasis
//! from the characters on either side ("flanking"). Its rules treat every
//! punctuation mark alike, which suits English but not Chinese, where text
//! runs on without spaces: in `**五星级文明户，**张家` the closing `**` follows
//! a comma and precedes a letter, so CommonMark leaves both runs as literal
//! stars.
//!
//! This pass takes the events pulldown-cmark produced and looks only at the
//! runs it left as text. It decides again whether each may open or close,
//! with one amendment in the spirit of the public "CJK-friendly emphasis"
//! proposal: a Chinese punctuation mark on the inner side of a run does not
//! stop it, when the mark can stand there. A mark that begins a phrase
//! (`（“《【`) may follow an opening run; one that ends a phrase (`，。、”）`)
//! may precede a closing run. Everything else is CommonMark's: a run with
//! whitespace on its inner side never opens or closes, `_` still may not
//! work inside a word, and the pairing is CommonMark's delimiter algorithm
//! (nearest opener, strong before emphasis, the rule of three). So
//! `陈*、王*获评` stays literal (a comma cannot begin the emphasised text), and
//! where no Chinese punctuation touches a run the output is exactly
//! pulldown-cmark's.
//!
//! Runs are reconsidered only within one stretch of inline content: never
//! inside code blocks or image alt text, and never across the edge of a
//! link, an emphasis pulldown-cmark already made, or a block. Strikethrough
//! (`~~`) gets the same amendment for closing; it already opens before
//! anything but whitespace.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// The events with emphasis made where Chinese punctuation kept CommonMark
/// from making it.
pub fn amend<'a>(source: &str, events: Vec<(Event<'a>, Range<usize>)>) -> Amended<'a> {
    // Most documents: every delimiter was used, nothing to reconsider.
    let leftover = |e: &Event<'_>| matches!(e, Event::Text(t) if t.contains(['*', '_', '~']));
    if !events.iter().any(|(e, _)| leftover(e)) {
        return Amended::AsParsed(events.into_iter());
    }
    let tree = Tree::of(events);
    let mut out = Vec::new();
    emit_children(source, tree, Within::Block, &mut out);
    Amended::Rebuilt(out.into_iter())
}

/// The events of [`amend`], handed out one by one (a document that needed
/// nothing is not copied).
pub enum Amended<'a> {
    AsParsed(std::vec::IntoIter<(Event<'a>, Range<usize>)>),
    Rebuilt(std::vec::IntoIter<Event<'a>>),
}

impl<'a> Iterator for Amended<'a> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        match self {
            Amended::AsParsed(events) => events.next().map(|(e, _)| e),
            Amended::Rebuilt(events) => events.next(),
        }
    }
}

/// The event stream as nested elements, so a stretch of inline content can
/// be seen whole, with complete links and emphasis in it as single pieces.
enum Node<'a> {
    /// A text event, where it is in the source, and whether it begins a line
    /// of inline content (which counts as whitespace before it).
    Text(CowStr<'a>, Range<usize>, bool),
    Leaf(Event<'a>),
    Element(Event<'a>, Vec<Node<'a>>, Event<'a>),
}

struct Tree;

impl Tree {
    fn of(events: Vec<(Event<'_>, Range<usize>)>) -> Vec<Node<'_>> {
        let mut stack: Vec<(Event<'_>, Vec<Node<'_>>)> = Vec::new();
        let mut top: Vec<Node<'_>> = Vec::new();
        let mut line_start = true;
        for (event, range) in events {
            let begins_line = line_start;
            line_start = match &event {
                Event::SoftBreak | Event::HardBreak => true,
                Event::Start(tag) => !is_inline(tag),
                _ => false,
            };
            match event {
                Event::Start(_) => stack.push((event, Vec::new())),
                Event::End(_) => {
                    let node = match stack.pop() {
                        Some((start, inner)) => Node::Element(start, inner, event),
                        None => Node::Leaf(event),
                    };
                    stack.last_mut().map_or(&mut top, |(_, c)| c).push(node);
                }
                Event::Text(text) => {
                    let node = Node::Text(text, range, begins_line);
                    stack.last_mut().map_or(&mut top, |(_, c)| c).push(node);
                }
                other => stack.last_mut().map_or(&mut top, |(_, c)| c).push(Node::Leaf(other)),
            }
        }
        // Unbalanced input cannot come from pulldown-cmark; keep it anyway.
        while let Some((start, inner)) = stack.pop() {
            let parent = stack.last_mut().map_or(&mut top, |(_, c)| c);
            parent.push(Node::Leaf(start));
            parent.extend(inner);
        }
        top
    }
}

fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. }
    )
}

/// Where a stretch of inline content sits: table cells treat `|` beside a
/// run as pulldown-cmark does, as the edge of the cell.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Within {
    Block,
    TableCell,
}

/// Emit `children`, reconsidering the runs of each stretch of inline
/// content between block-level elements.
fn emit_children<'a>(source: &str, children: Vec<Node<'a>>, within: Within, out: &mut Vec<Event<'a>>) {
    let mut stretch: Vec<Piece<'a>> = Vec::new();
    for node in children {
        match node {
            Node::Text(text, range, line_start) => split_runs(source, text, range, line_start, &mut stretch),
            Node::Leaf(event) => stretch.push(Piece::Events(vec![event])),
            Node::Element(start, inner, end) => {
                let inline = matches!(&start, Event::Start(tag) if is_inline(tag));
                let mut events = vec![start];
                match &events[0] {
                    // Alt text and code are shown as they are written.
                    Event::Start(Tag::Image { .. } | Tag::CodeBlock(_)) => flatten(inner, &mut events),
                    Event::Start(Tag::TableCell) => emit_children(source, inner, Within::TableCell, &mut events),
                    _ => emit_children(source, inner, within, &mut events),
                }
                events.push(end);
                if inline {
                    stretch.push(Piece::Events(events));
                } else {
                    pair_and_emit(source, std::mem::take(&mut stretch), within, out);
                    out.extend(events);
                }
            }
        }
    }
    pair_and_emit(source, stretch, within, out);
}

fn flatten<'a>(nodes: Vec<Node<'a>>, out: &mut Vec<Event<'a>>) {
    for node in nodes {
        match node {
            Node::Text(text, _, _) => out.push(Event::Text(text)),
            Node::Leaf(event) => out.push(event),
            Node::Element(start, inner, end) => {
                out.push(start);
                flatten(inner, out);
                out.push(end);
            }
        }
    }
}

/// A piece of a stretch: events that pass through as they are, or a run of
/// `*` or `_` that pulldown-cmark left as text.
enum Piece<'a> {
    Events(Vec<Event<'a>>),
    Run(Run),
}

struct Run {
    ch: char,
    /// Where the stars left as text are in the source.
    span: Range<usize>,
    /// The run begins its line of inline content.
    line_start: bool,
    /// How many are not yet used by a pairing.
    left: usize,
    /// The whole run in the source (pulldown-cmark may have used part of it):
    /// its length, for the rule of three.
    whole: usize,
    can_open: bool,
    can_close: bool,
    /// Chinese punctuation beside it lets it open or close where CommonMark
    /// would not: only a pairing with such a run is new. Two runs that
    /// CommonMark could pair but pulldown-cmark left alone stay alone.
    gained: bool,
    /// Pairings made, innermost first.
    opens: Vec<Made>,
    closes: Vec<Made>,
}

/// What a pairing makes.
#[derive(Clone, Copy)]
enum Made {
    Emphasis,
    Strong,
    Strikethrough,
}

impl Made {
    fn start(self) -> Event<'static> {
        Event::Start(match self {
            Made::Emphasis => Tag::Emphasis,
            Made::Strong => Tag::Strong,
            Made::Strikethrough => Tag::Strikethrough,
        })
    }

    fn end(self) -> Event<'static> {
        Event::End(match self {
            Made::Emphasis => TagEnd::Emphasis,
            Made::Strong => TagEnd::Strong,
            Made::Strikethrough => TagEnd::Strikethrough,
        })
    }
}

/// Split a text event into plain text and unescaped runs of `*`, `_` and `~`.
fn split_runs<'a>(source: &str, text: CowStr<'a>, range: Range<usize>, line_start: bool, into: &mut Vec<Piece<'a>>) {
    // Only text that appears verbatim in the source can hold delimiters:
    // an entity (`&#42;`) differs from its source.
    let verbatim = source.get(range.clone()) == Some(&*text);
    if !verbatim || !text.contains(['*', '_', '~']) {
        into.push(Piece::Events(vec![Event::Text(text)]));
        return;
    }
    let mut plain_from = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !matches!(b, b'*' | b'_' | b'~') || is_escaped(source, range.start + i) {
            i += 1;
            continue;
        }
        let n = bytes[i..].iter().take_while(|&&x| x == b).count();
        if plain_from < i {
            into.push(Piece::Events(vec![Event::Text(CowStr::from(
                text[plain_from..i].to_string(),
            ))]));
        }
        let span = range.start + i..range.start + i + n;
        push_run(into, char::from(b), span, line_start && i == 0);
        i += n;
        plain_from = i;
    }
    if plain_from < text.len() {
        into.push(Piece::Events(vec![Event::Text(CowStr::from(
            text[plain_from..].to_string(),
        ))]));
    }
}

/// pulldown-cmark hands out a leftover run one character at a time: join
/// the pieces that touch in the source.
fn push_run(into: &mut Vec<Piece<'_>>, ch: char, span: Range<usize>, line_start: bool) {
    if let Some(Piece::Run(last)) = into.last_mut()
        && last.ch == ch
        && last.span.end == span.start
    {
        last.span.end = span.end;
        last.left = last.span.len();
        return;
    }
    into.push(Piece::Run(Run {
        ch,
        left: span.len(),
        span,
        line_start,
        whole: 0,
        can_open: false,
        can_close: false,
        gained: false,
        opens: Vec::new(),
        closes: Vec::new(),
    }));
}

/// Whether the character at `at` follows an odd number of backslashes.
fn is_escaped(source: &str, at: usize) -> bool {
    source.as_bytes()[..at]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count()
        % 2
        == 1
}

fn pair_and_emit<'a>(source: &str, mut stretch: Vec<Piece<'a>>, within: Within, out: &mut Vec<Event<'a>>) {
    if stretch.iter().any(|p| matches!(p, Piece::Run(_))) {
        for piece in &mut stretch {
            if let Piece::Run(run) = piece {
                flank(source, run, within);
            }
        }
        pair(&mut stretch);
    }
    for piece in stretch {
        match piece {
            Piece::Events(events) => out.extend(events),
            Piece::Run(run) => emit_run(run, out),
        }
    }
}

/// What is beside a run, as far as flanking goes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Side {
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
    fn is_punct(self) -> bool {
        matches!(self, Side::Punct | Side::Chinese { .. })
    }
}

/// Decide whether a run may open and close. Runs beside a character this
/// pass does not classify keep pulldown-cmark's verdict (literal).
fn flank(source: &str, run: &mut Run, within: Within) {
    let ch = run.ch as u8;
    let bytes = source.as_bytes();
    let mut start = run.span.start;
    while start > 0 && bytes[start - 1] == ch && !is_escaped(source, start - 1) {
        start -= 1;
    }
    let end = run.span.end + bytes[run.span.end..].iter().take_while(|&&b| b == ch).count();
    run.whole = end - start;
    let before = if run.line_start && start == run.span.start {
        Some(Side::Space)
    } else {
        side(source[..start].chars().next_back(), within)
    };
    let after = side(source[end..].chars().next(), within);
    let (Some(before), Some(after)) = (before, after) else {
        return;
    };
    let (open, close) = verdict(run.ch, run.whole, before, after, true);
    let (plain_open, plain_close) = verdict(run.ch, run.whole, before, after, false);
    run.can_open = open;
    run.can_close = close;
    run.gained = (open && !plain_open) || (close && !plain_close);
}

/// Whether a run may open and close, with or without the amendment for
/// Chinese punctuation.
fn verdict(ch: char, whole: usize, before: Side, after: Side, amended: bool) -> (bool, bool) {
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
fn side(c: Option<char>, within: Within) -> Option<Side> {
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

/// CommonMark's delimiter algorithm over the runs of one stretch: each run
/// that may close takes the nearest earlier run of the same character that
/// may open, two at a time while both have two left, else one (`~` pairs
/// only with a run of its own length), with pulldown-cmark's rule of three.
/// At least one of a pair must be a run Chinese punctuation let open or
/// close.
fn pair(stretch: &mut [Piece<'_>]) {
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

/// A run as events: the emphasis it closes (innermost first), the
/// characters left unused, the emphasis it opens (outermost first).
fn emit_run<'a>(run: Run, out: &mut Vec<Event<'a>>) {
    out.extend(run.closes.iter().map(|m| m.end()));
    if run.left > 0 {
        out.push(Event::Text(CowStr::from(run.ch.to_string().repeat(run.left))));
    }
    out.extend(run.opens.iter().rev().map(|m| m.start()));
}

#[cfg(test)]
mod tests;
