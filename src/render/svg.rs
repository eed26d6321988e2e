//! Pictures as inline SVG, made here so pages need no script, no image
//! request and no font: the board's QR code, points per month, households
//! per star tier. Colours come from the page's CSS (`currentColor` and
//! classes), so dark mode and black-and-white print work.

use std::fmt::Write as _;

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel};

/// A QR code of `text` with a 4-module quiet zone, as one SVG path. Sized by
/// CSS; `label` is read out by screen readers.
pub fn qr(text: &str, label: &str) -> String {
    let Some((width, dark)) = qr_modules(text.as_bytes()) else {
        return String::new();
    };
    let quiet = 4;
    let size = width + 2 * quiet;
    let mut path = String::with_capacity(dark.len() * 8);
    for (i, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
        let (x, y) = (i % width + quiet, i / width + quiet);
        let _ = write!(path, "M{x} {y}h1v1h-1z");
    }
    format!(
        r##"<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" aria-label="{label}" shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{path}"/></svg>"##,
        label = escape(label)
    )
}

/// Horizontal bars, one row per (label, value): readable at phone width with
/// Chinese labels, and the numbers are written out, not only drawn.
pub fn bars(rows: &[(String, i64)], unit: &str, label: &str) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let max = rows.iter().map(|(_, v)| *v).max().unwrap_or(1).max(1);
    let (row_h, label_w, bar_w, text_w) = (28, 104, 160, 76);
    let width = label_w + bar_w + text_w;
    let height = row_h * rows.len();
    let mut svg = format!(
        r#"<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" aria-label="{}"><title>{}</title>"#,
        escape(label),
        escape(label)
    );
    for (i, (name, value)) in rows.iter().enumerate() {
        let y = i * row_h;
        let w = (*value as f64 / max as f64 * bar_w as f64).round().max(1.0);
        let _ = write!(
            svg,
            r#"<text x="{tx}" y="{ty}" text-anchor="end">{name}</text><rect class="bar" x="{label_w}" y="{ry}" width="{w}" height="18" rx="3"/><text x="{vx}" y="{ty}">{value} {unit}</text>"#,
            tx = label_w - 8,
            ty = y + 19,
            ry = y + 5,
            vx = label_w as f64 + w + 6.0,
            name = escape(name),
            unit = escape(unit),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The QR code the qrcode crate makes for `data` at level M (same version,
/// same mask, module for module), as (width, dark modules row by row).
///
/// The crate picks the mask by scoring all eight; its scoring allocates
/// for every module it looks at, which made QR codes a tenth of a whole
/// build. The same scores are computed here over a plain grid.
fn qr_modules(data: &[u8]) -> Option<(usize, Vec<bool>)> {
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
    let bits = qrcode::bits::encode_auto(data, EcLevel::M).ok()?;
    let version = bits.version();
    let (data, ec) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M).ok()?;
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    let width = version.width();
    MASKS
        .iter()
        .map(|mask| {
            let mut masked = canvas.clone();
            masked.apply_mask(*mask);
            // Row by row, as the canvas holds them.
            let dark: Vec<bool> = masked.into_colors().into_iter().map(|c| c == Color::Dark).collect();
            (penalty(&dark, width as usize), dark)
        })
        // The first of equal scores, as the crate does.
        .min_by_key(|(score, _)| *score)
        .map(|(_, dark)| (width as usize, dark))
}

/// The QR standard's mask penalty (runs, 2×2 blocks, finder look-alikes,
/// dark/light balance), computed as the qrcode crate computes it, over each
/// row and column as the bits of one word (a board's code is 25 to 41
/// modules wide; wider ones than a word holds never come from a URL).
fn penalty(dark: &[bool], width: usize) -> u32 {
    if width > 64 {
        return penalty_of_lines(dark, width);
    }
    let mut rows = vec![0u64; width];
    let mut cols = vec![0u64; width];
    for (i, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
        let (x, y) = (i % width, i / width);
        rows[y] |= 1 << x;
        cols[x] |= 1 << y;
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
    let ratio = dark_count as usize * 200 / dark.len();
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

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
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
                assert_eq!(penalty(&dark, width), penalty_of_lines(&dark, width), "width {width}");
            }
        }
    }

    #[test]
    fn qr_has_a_quiet_zone_and_modules() {
        let svg = qr("https://example.org/a/", "二维码");
        // Version 2 (25 modules) + 2 × 4 quiet modules.
        assert!(svg.contains(r#"viewBox="0 0 33 33""#), "{svg}");
        assert!(
            svg.contains("M4 4h1v1h-1z"),
            "finder pattern starts after the quiet zone"
        );
        assert!(!svg.contains("M0 0"), "nothing drawn in the quiet zone");
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

    #[test]
    fn bars_scale_to_the_largest_value_and_write_numbers() {
        let svg = bars(&[("9月".into(), 50), ("10月".into(), 100)], "分", "积分");
        assert!(svg.contains(r#"width="80""#) && svg.contains(r#"width="160""#), "{svg}");
        assert!(svg.contains(">100 分<"));
        assert!(bars(&[], "分", "x").is_empty());
    }

    #[test]
    fn labels_are_escaped() {
        assert!(bars(&[("<b>".into(), 1)], "分", "a&b").contains("&lt;b&gt;"));
    }
}
