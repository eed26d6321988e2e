//! `starboard print` (issue 15): printables written beside the site, never
//! in it, each printing in Chromium to the pages expected, with QR codes
//! that decode to the board's address.

use std::time::Duration;

use serde_json::json;

use crate::browser::{Browser, chromium};
use crate::support::Site;

const VILLAGE: &str = "print/ceshixian/ceshizhen/ceshicun";
const BOARD_URL: &str = "https://example.org/sub/ceshixian/ceshizhen/ceshicun/";
/// A4 and A5 in points, as Chromium writes them.
const A4: &str = "/MediaBox [0 0 594.95996 841.91998]";
const A5: &str = "/MediaBox [0 0 420 594.95996]";

#[test]
fn print_writes_printables_beside_the_site_never_in_it() {
    let site = Site::fixture("minimal");
    let run = site.run(&["print"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for page in ["plaques.html", "ranking.html", "six-no.html"] {
        assert!(site.path(&format!("{VILLAGE}/{page}")).is_file(), "{page}");
    }
    assert!(!site.path("public").exists(), "print builds no site");
    let plaques = std::fs::read_to_string(site.path(&format!("{VILLAGE}/plaques.html"))).unwrap();
    // The two star households, as privacy allows; 李秀英 is unpublished.
    assert!(
        plaques.contains("陈*华") && plaques.contains("欧阳*华") && !plaques.contains("李"),
        "{plaques}"
    );
    assert!(plaques.contains("三星级文明户") && plaques.contains("★ 守纪星"));
    // Never inside the site's output.
    let run = site.run(&["print", "--output", "public/print"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("输出文件夹"), "{}", run.stderr);
    // Families instead of names, when the site prefers.
    let toml = std::fs::read_to_string(site.path("content/site.toml")).unwrap();
    site.write("content/site.toml", &format!("{toml}\n[print]\nnames = \"family\"\n"));
    assert_eq!(site.run(&["print"]).code, 0);
    let plaques = std::fs::read_to_string(site.path(&format!("{VILLAGE}/plaques.html"))).unwrap();
    assert!(plaques.contains("陈家") && plaques.contains("欧阳家") && !plaques.contains("陈*华"));
}

fn open(browser: &mut Browser, site: &Site, page: &str) {
    let url = format!("file://{}", site.path(&format!("{VILLAGE}/{page}")).display());
    browser.goto(&url);
    browser.wait_for(
        "document.fonts.status === 'loaded'",
        Duration::from_secs(10),
        "document.fonts.status",
    );
}

#[test]
fn printables_print_to_the_pages_expected_with_working_qr_codes() {
    let Some(binary) = chromium() else { return };
    let site = Site::fixture("minimal");
    assert_eq!(site.run(&["print"]).code, 0);
    let mut browser = Browser::open_with(&binary, "about:blank", 800, 1100, &[]);
    // Two star households, four plaques to an A4 sheet: one page.
    open(&mut browser, &site, "plaques.html");
    let (pages, pdf) = browser.print_pages();
    assert_eq!(pages, 1, "two plaques on one A4 sheet");
    assert!(pdf.contains(A4));
    assert_eq!(browser.decode_qr(".plaque .qr svg"), BOARD_URL);
    for page in ["ranking.html", "six-no.html"] {
        open(&mut browser, &site, page);
        let (pages, pdf) = browser.print_pages();
        assert_eq!(pages, 1, "{page} is one A4 page");
        assert!(pdf.contains(A4), "{page}");
        assert_eq!(browser.decode_qr(".qr svg"), BOARD_URL, "{page}");
    }
    assert_eq!(
        browser.eval("document.querySelectorAll('li').length"),
        json!(2),
        "the six-no notice ticks the site's two criteria"
    );
    // One plaque per A5 sheet: a page each.
    let toml = std::fs::read_to_string(site.path("content/site.toml")).unwrap();
    site.write("content/site.toml", &format!("{toml}\n[print]\nplaques = \"a5\"\n"));
    assert_eq!(site.run(&["print"]).code, 0);
    open(&mut browser, &site, "plaques.html");
    let (pages, pdf) = browser.print_pages();
    assert_eq!(pages, 2, "a plaque per A5 sheet");
    assert!(pdf.contains(A5));
    // The tier name is at least 20 mm high on A5 (96 px to 25.4 mm).
    let mm = browser.eval("parseFloat(getComputedStyle(document.querySelector('.tier')).fontSize) * 25.4 / 96");
    assert!(mm.as_f64().unwrap() >= 20.0, "{mm} mm");
}

/// `[print] on_build = true`: every build writes them too, still outside
/// the site.
#[test]
fn a_site_setting_prints_on_every_build() {
    let site = Site::fixture("minimal");
    assert_eq!(site.build().code, 0);
    assert!(!site.path("print").exists(), "off by default");
    let toml = std::fs::read_to_string(site.path("content/site.toml")).unwrap();
    site.write("content/site.toml", &format!("{toml}\n[print]\non_build = true\n"));
    assert_eq!(site.build().code, 0);
    assert!(site.path(&format!("{VILLAGE}/plaques.html")).is_file());
    let published = crate::support::snapshot_of(&site.path("public"));
    assert!(
        !published.keys().any(|p| p.to_string_lossy().contains("plaques")),
        "never published"
    );
}

/// The village poster names each household's stars when they fit on the
/// page, and otherwise says where to see them.
#[test]
fn the_poster_lists_which_stars_when_they_fit() {
    let site = Site::fixture("minimal");
    assert_eq!(site.build().code, 0);
    let poster = site.public("ceshixian/ceshizhen/ceshicun/poster/index.html");
    assert!(
        poster.contains("陈*华<span class=\"n\">3星</span><span class=\"which\">守纪星、卫生星、互助星</span>"),
        "{poster}"
    );
    assert!(!poster.contains("请扫码在光荣榜上查看"));
    // Seventeen star households: counts, and where to see the stars.
    let mut roster = String::from("period = \"2022\"\n");
    for i in 0..17 {
        roster.push_str(&format!(
            "[[household]]\nid = \"x-{i}\"\nhead = \"王小{i}\"\nstars = [\"law\", \"hygiene\"]\n"
        ));
    }
    site.write(&site.village("households.toml"), &roster);
    std::fs::remove_file(site.path(&site.village("points.toml"))).unwrap();
    assert_eq!(site.build().code, 0);
    let poster = site.public("ceshixian/ceshizhen/ceshicun/poster/index.html");
    assert!(poster.contains("请扫码在光荣榜上查看") && !poster.contains("class=\"which\""));
}

/// `--pdf` leaves PDFs beside the pages when a headless Chromium is on the
/// machine, and says plainly what to do when none is.
#[test]
fn pdfs_with_chromium_and_a_plain_word_without() {
    let site = Site::fixture("minimal");
    let no_chromium = std::process::Command::new(env!("CARGO_BIN_EXE_starboard"))
        .args(["print", "--pdf"])
        .current_dir(site.dir.path())
        .env("PATH", site.dir.path())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&no_chromium.stdout);
    assert!(no_chromium.status.success());
    assert!(
        said.contains("没有找到 Chromium") && said.contains("plaques.html"),
        "{said}"
    );
    assert!(!site.path(&format!("{VILLAGE}/plaques.pdf")).exists());

    if chromium().is_none() {
        return;
    }
    let run = site.run(&["print", "--pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for pdf in ["plaques.pdf", "ranking.pdf", "six-no.pdf"] {
        let bytes = std::fs::read(site.path(&format!("{VILLAGE}/{pdf}"))).unwrap();
        assert!(bytes.starts_with(b"%PDF"), "{pdf}");
        assert!(String::from_utf8_lossy(&bytes).contains(A4), "{pdf} is A4");
    }
}
