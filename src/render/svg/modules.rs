//! Which modules of a QR code are dark: the code the qrcode crate makes for
//! `data` at level M (same version, same mask, module for module), with its
//! choice of mask made cheaper.
//!
//! The crate masks a copy of the code eight times and scores each, which
//! made QR codes a tenth of a whole build. Here each masked code is one XOR
//! of bit rows: a *base* — the crate's own masking of a code with no data
//! in it, so its function patterns and format bits as drawn for that mask,
//! and the mask itself where data goes — XOR the data's dark modules. Bases
//! depend only on the version: they are made once per version and thread.

use std::cell::RefCell;
use std::rc::Rc;

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel, Version};

const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// (width, dark modules row by row) of `data`'s QR code at level M.
pub(in crate::render) fn qr_modules(data: &[u8]) -> Option<(usize, Vec<bool>)> {
    let bits = qrcode::bits::encode_auto(data, EcLevel::M).ok()?;
    let version = bits.version();
    let (data, ec) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M).ok()?;
    let width = version.width() as usize;
    if width > 64 {
        // Wider than a word: never a village's address; the crate's way.
        return Some((width, by_canvas(version, &data, &ec)));
    }
    let (_, rows) = masked_rows(version, &data, &ec)
        .into_iter()
        .map(|rows| (penalty(&rows, width), rows))
        // The first of equal scores, as the crate does.
        .min_by_key(|(score, _)| *score)?;
    let dark = rows
        .iter()
        .flat_map(|row| (0..width).map(move |x| row >> x & 1 == 1))
        .collect();
    Some((width, dark))
}

/// The code under each of the eight masks, as rows of bits (bit x of row y
/// is the module at x, y).
fn masked_rows(version: Version, data: &[u8], ec: &[u8]) -> [Vec<u64>; 8] {
    let width = version.width() as usize;
    let bases = bases(version);
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(data, ec);
    // Data modules only: the function patterns are in the bases.
    let drawn: Vec<u64> = rows_of(canvas, width)
        .iter()
        .zip(&bases.unmasked)
        .map(|(d, f)| d ^ f)
        .collect();
    std::array::from_fn(|m| bases.masked[m].iter().zip(&drawn).map(|(b, d)| b ^ d).collect())
}

/// A version's code without data: before masking, and as each mask leaves it.
struct Bases {
    unmasked: Vec<u64>,
    masked: [Vec<u64>; 8],
}

thread_local! {
    static BASES: RefCell<Vec<(i16, Rc<Bases>)>> = const { RefCell::new(Vec::new()) };
}

fn bases(version: Version) -> Rc<Bases> {
    let width = version.width();
    BASES.with_borrow_mut(|made| {
        if let Some((_, bases)) = made.iter().find(|(w, _)| *w == width) {
            return Rc::clone(bases);
        }
        let mut canvas = Canvas::new(version, EcLevel::M);
        canvas.draw_all_functional_patterns();
        let bases = Rc::new(Bases {
            unmasked: rows_of(canvas.clone(), width as usize),
            masked: MASKS.map(|mask| {
                let mut masked = canvas.clone();
                masked.apply_mask(mask);
                rows_of(masked, width as usize)
            }),
        });
        made.push((width, Rc::clone(&bases)));
        bases
    })
}

/// A canvas's dark modules, row by row as the canvas holds them.
fn rows_of(canvas: Canvas, width: usize) -> Vec<u64> {
    canvas
        .into_colors()
        .chunks(width)
        .map(|row| {
            row.iter()
                .enumerate()
                .fold(0, |bits, (x, c)| bits | u64::from(*c == Color::Dark) << x)
        })
        .collect()
}

/// The crate's own way, module by module: for codes wider than a word.
fn by_canvas(version: Version, data: &[u8], ec: &[u8]) -> Vec<bool> {
    let width = version.width() as usize;
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(data, ec);
    MASKS
        .iter()
        .map(|mask| {
            let mut masked = canvas.clone();
            masked.apply_mask(*mask);
            let dark: Vec<bool> = masked.into_colors().into_iter().map(|c| c == Color::Dark).collect();
            (penalty_of_lines(&dark, width), dark)
        })
        .min_by_key(|(score, _)| *score)
        .map(|(_, dark)| dark)
        .unwrap_or_default()
}

/// The QR standard's mask penalty (runs, 2×2 blocks, finder look-alikes,
/// dark/light balance), computed as the qrcode crate computes it, over each
/// row and column as the bits of one word.
fn penalty(rows: &[u64], width: usize) -> u32 {
    let mut cols = vec![0u64; width];
    for (y, row) in rows.iter().enumerate() {
        let mut rest = *row;
        while rest != 0 {
            cols[rest.trailing_zeros() as usize] |= 1 << y;
            rest &= rest - 1;
        }
    }
    let mut score: u32 = rows
        .iter()
        .chain(&cols)
        .map(|line| runs_in(*line, width) + finders_in(*line, width))
        .sum();
    let inner = (1u64 << (width - 1)) - 1;
    for pair in rows.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        // Bit x: module x equals module x + 1 in both rows, and the two
        // rows agree at x: four alike.
        let alike = !(a ^ (a >> 1)) & !(b ^ (b >> 1)) & !(a ^ b) & inner;
        score += 3 * alike.count_ones();
    }
    let dark_count: u32 = rows.iter().map(|r| r.count_ones()).sum();
    let ratio = dark_count as usize * 200 / (width * width);
    // The crate takes 360 from each direction's finder score (the three real
    // finder patterns); equal for every mask, so the same mask wins.
    score + ratio.abs_diff(100) as u32
}

/// Each run of 5 + n modules of one colour costs 3 + n (a line as bits).
fn runs_in(line: u64, width: usize) -> u32 {
    // Bit x: module x + 1 is module x's colour. A run of L modules is L - 1
    // such bits in a row, and `four` keeps L - 4 of them.
    let alike = !(line ^ (line >> 1)) & ((1u64 << (width - 1)) - 1);
    let four = alike & (alike >> 1) & (alike >> 2) & (alike >> 3);
    let runs = four & !(four << 1);
    four.count_ones() + 2 * runs.count_ones()
}

/// 40 for each dark-light-dark×3-light-dark stretch without a dark module
/// within four on one of its sides (outside the code counts as light).
fn finders_in(line: u64, width: usize) -> u32 {
    const PATTERN: u64 = 0b101_1101;
    if width < 7 {
        return 0;
    }
    // Bit j: the pattern starts at module j.
    let starts = (0..7).fold((1u64 << (width - 6)) - 1, |m, k| {
        let shifted = line >> k;
        m & if PATTERN >> k & 1 == 1 { shifted } else { !shifted }
    });
    // Bits from..to (to - from is at most 7); none past the word.
    let bits = |from: usize, to: usize| line.checked_shr(from as u32).unwrap_or(0) & ((1u64 << (to - from)) - 1);
    let mut score = 0;
    let mut rest = starts;
    while rest != 0 {
        let j = rest.trailing_zeros() as usize;
        rest &= rest - 1;
        let before = bits(j.saturating_sub(4), j) != 0;
        let after = bits(j + 7, (j + 11).min(width)) != 0;
        if !before || !after {
            score += 40;
        }
    }
    score
}

/// [`penalty`] for a code too wide for a word: line by line.
fn penalty_of_lines(dark: &[bool], width: usize) -> u32 {
    let at = |x: usize, y: usize| dark[y * width + x];
    let mut score = 0;
    let mut line = vec![false; width];
    for horizontal in [true, false] {
        for i in 0..width {
            for (j, module) in line.iter_mut().enumerate() {
                *module = if horizontal { at(j, i) } else { at(i, j) };
            }
            score += runs_penalty(&line) + finder_penalty(&line);
        }
    }
    for y in 0..width - 1 {
        for x in 0..width - 1 {
            let c = at(x, y);
            if at(x + 1, y) == c && at(x, y + 1) == c && at(x + 1, y + 1) == c {
                score += 3;
            }
        }
    }
    let ratio = dark.iter().filter(|d| **d).count() * 200 / dark.len();
    score + ratio.abs_diff(100) as u32
}

/// [`runs_in`] for a line of any width.
fn runs_penalty(line: &[bool]) -> u32 {
    let mut score = 0;
    let mut run = 1;
    for pair in line.windows(2) {
        if pair[0] == pair[1] {
            run += 1;
        } else {
            if run >= 5 {
                score += run - 2;
            }
            run = 1;
        }
    }
    if run >= 5 {
        score += run - 2;
    }
    score
}

/// [`finders_in`] for a line of any width.
fn finder_penalty(line: &[bool]) -> u32 {
    const PATTERN: [bool; 7] = [true, false, true, true, true, false, true];
    let mut score = 0;
    for j in 0..line.len().saturating_sub(6) {
        if line[j..j + 7] != PATTERN {
            continue;
        }
        let before = line[j.saturating_sub(4)..j].iter().any(|d| *d);
        let after = line[j + 7..(j + 11).min(line.len())].iter().any(|d| *d);
        if !before || !after {
            score += 40;
        }
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word-wise penalty is the line-by-line one, on random grids.
    #[test]
    fn penalties_by_words_and_by_lines_agree() {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for width in [21, 25, 29, 33, 41, 57, 64] {
            for density in (2..4).cycle().take(40) {
                let dark: Vec<bool> = (0..width * width)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        seed % density == 0
                    })
                    .collect();
                let rows: Vec<u64> = dark
                    .chunks(width)
                    .map(|r| r.iter().enumerate().fold(0, |b, (x, d)| b | u64::from(*d) << x))
                    .collect();
                assert_eq!(penalty(&rows, width), penalty_of_lines(&dark, width), "width {width}");
            }
        }
    }

    #[test]
    fn qr_modules_are_the_qrcode_crates() {
        // The crate's own encoder is the reference: same version, same mask.
        // Addresses of many lengths, so several versions and all masks occur.
        let mut texts: Vec<String> = (0..120)
            .map(|i| format!("https://example.org/{}/village-{i}/", "town/".repeat(i % 9)))
            .collect();
        texts.push("https://村.example.org/藤县/金鸡镇/同荣村/".into());
        texts.push("x".into());
        for text in texts {
            let reference = qrcode::QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).unwrap();
            let (width, dark) = qr_modules(text.as_bytes()).unwrap();
            assert_eq!(width, reference.width(), "{text}");
            let expected: Vec<bool> = reference.to_colors().iter().map(|c| *c == Color::Dark).collect();
            assert_eq!(dark, expected, "{text}");
        }
    }

    /// Each of the eight masked codes is the crate's masking of the code,
    /// module for module, over versions 1 to 12.
    #[test]
    fn every_mask_is_the_crates() {
        for length in [1, 20, 40, 60, 90, 130, 180, 230, 280] {
            let text = "村".repeat(length / 3) + &"a".repeat(length % 3);
            let bits = qrcode::bits::encode_auto(text.as_bytes(), EcLevel::M).unwrap();
            let version = bits.version();
            let (data, ec) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M).unwrap();
            let width = version.width() as usize;
            if width > 64 {
                continue;
            }
            let mut canvas = Canvas::new(version, EcLevel::M);
            canvas.draw_all_functional_patterns();
            canvas.draw_data(&data, &ec);
            for (mask, rows) in MASKS.iter().zip(masked_rows(version, &data, &ec)) {
                let mut masked = canvas.clone();
                masked.apply_mask(*mask);
                assert_eq!(rows, rows_of(masked, width), "{length} bytes, {mask:?}");
            }
        }
    }
}
