//! Pictures as inline SVG, made here so pages need no script, no image
//! request and no font: the board's QR code, points per month, households
//! per star tier. Colours come from the page's CSS (`currentColor` and
//! classes), so dark mode and black-and-white print work.

use std::fmt::Write as _;

mod modules;

use modules::qr_modules;

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

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

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
