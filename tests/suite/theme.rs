//! The default theme in a real browser (issue 4): the example site at phone
//! width, requests, the printed poster, the QR code and text contrast.

use serde_json::json;

use crate::browser::{Browser, chromium};
use crate::serve::Server;

const BOARD: &str = "tengxian/jinjizhen/tongrongcun/";

/// The repository's example site, served from a temp output folder, with a
/// phone-sized browser; None (the test skips) without Chromium.
fn example_on_a_phone(width: u32, height: u32) -> Option<(tempfile::TempDir, Server, Browser)> {
    let chromium = chromium()?;
    let out = tempfile::tempdir().unwrap();
    let server = Server::start_at(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
        Some(&out.path().join("public")),
    );
    let browser = Browser::open_sized(&chromium, &server.url, width, height);
    Some((out, server, browser))
}

#[test]
fn pages_fit_360_px_and_request_nothing_from_other_hosts_issue_4() {
    let Some((_out, server, mut browser)) = example_on_a_phone(360, 740) else {
        return;
    };
    let origin = server
        .url
        .trim_end_matches('/')
        .rsplit_once('/')
        .map_or(server.url.clone(), |(o, _)| o.to_string());
    for page in ["", "tengxian/", BOARD, "partners/"] {
        let url = format!("{}{page}", server.url);
        browser.goto(&url);
        let width = browser.eval("[document.documentElement.scrollWidth, window.innerWidth]");
        assert!(
            width[0].as_i64() <= width[1].as_i64(),
            "{url}: page is {} px wide in a {} px window",
            width[0],
            width[1]
        );
        let foreign = browser.eval(&format!(
            "performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith({}))",
            json!(origin)
        ));
        assert_eq!(foreign, json!([]), "{url} requested other hosts");
        // Links people tap (not those inside running text) are at least 44 px tall.
        let small = browser.eval(
            "[...document.querySelectorAll('a')].filter(a => !a.closest('p, .prose, td'))\
             .filter(a => a.getBoundingClientRect().height < 44).map(a => a.textContent.trim())",
        );
        assert_eq!(small, json!([]), "{url}: tap targets under 44 px");
        let loaded = browser.eval("performance.getEntriesByType('resource').length");
        assert!(
            loaded.as_i64().unwrap() >= 1,
            "{url}: the stylesheet loads from the site itself"
        );
    }
}

#[test]
fn poster_prints_on_exactly_one_a4_page_issue_4() {
    let Some((_out, server, mut browser)) = example_on_a_phone(390, 844) else {
        return;
    };
    browser.goto(&format!("{}{BOARD}poster/", server.url));
    let (pages, text) = browser.print_pages();
    assert_eq!(pages, 1, "the poster is one page");
    // A4 is 595 × 842 points.
    assert!(text.contains("/MediaBox [0 0 594.95996 841.91998]"), "A4 media box");
}

#[test]
fn board_qr_code_decodes_to_the_board_url_issue_4() {
    let Some((_out, server, mut browser)) = example_on_a_phone(390, 844) else {
        return;
    };
    browser.goto(&format!("{}{BOARD}", server.url));
    let content = browser.decode_qr("svg.qr");
    assert_eq!(content, format!("https://example.org/guangrongbang/{BOARD}"));
}

#[test]
fn body_text_contrast_meets_wcag_aa_in_light_and_dark_issue_4() {
    let Some((_out, server, mut browser)) = example_on_a_phone(390, 844) else {
        return;
    };
    let contrast = r#"(() => {
      const rgb = s => s.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
      const lum = c => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                         return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
      const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
      const bg = rgb(getComputedStyle(document.body).backgroundColor);
      return ['main p', '.meta', '.crumbs a', 'main a'].map(sel => {
        const el = document.querySelector(sel);
        return [sel, ratio(rgb(getComputedStyle(el).color), bg)];
      });
    })()"#;
    for scheme in ["light", "dark"] {
        browser.call(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        );
        browser.goto(&format!("{}{BOARD}", server.url));
        for pair in browser.eval(contrast).as_array().unwrap() {
            let ratio = pair[1].as_f64().unwrap();
            assert!(ratio >= 4.5, "{scheme}: {} has contrast {ratio:.2}", pair[0]);
        }
    }
}
