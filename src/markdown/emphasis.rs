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

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

mod flanking;
mod pairing;

#[cfg(test)]
use flanking::chinese_punctuation;
use flanking::{Side, side, verdict};
use pairing::pair;

/// The events with emphasis made where Chinese punctuation kept CommonMark
/// from making it.
pub fn amend<'a>(source: &str, events: Vec<(Event<'a>, Range<usize>)>) -> Amended<'a> {
    // Most documents: every delimiter was used, nothing to reconsider.
    let leftover = |e: &Event<'_>| matches!(e, Event::Text(t) if has_delimiter(t));
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

/// Whether `text` holds a `*`, `_` or `~` (looked for a word at a time:
/// every text event of every post is asked).
fn has_delimiter(text: &str) -> bool {
    memchr::memchr3(b'*', b'_', b'~', text.as_bytes()).is_some()
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
    if !verbatim || !has_delimiter(&text) {
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
