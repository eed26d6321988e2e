//! `build`, `check` and `init` through the real binary on fixture sites.

use std::process::Command;

use crate::support::{Site, VILLAGE_PAGE, assert_matches_expected};

#[test]
fn minimal_site_builds_every_page_kind() {
    let site = Site::fixture("minimal");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    for page in [
        "index.html",
        "ceshixian/index.html",
        "ceshixian/ceshizhen/index.html",
        VILLAGE_PAGE,
        "ceshixian/ceshizhen/ceshicun/news/first/index.html",
        "ceshixian/ceshizhen/ceshicun/news/photo.svg",
        "stars/index.html",
        "points/index.html",
        "partners/index.html",
        "news/index.html",
        "news/hello/index.html",
        "atom.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
    ] {
        assert!(site.path("public").join(page).is_file(), "missing public/{page}");
    }
}

#[test]
fn village_board_counts_tiers_rankings_and_six_no() {
    let site = Site::fixture("minimal");
    assert_eq!(site.build().code, 0);
    let board = site.public(VILLAGE_PAGE);
    assert!(board.contains("三星级文明户"), "tier heading");
    assert!(board.contains("已认定"), "six-no badge");
    // t-002 earned 8 in November, t-001 5: ranked in that order.
    let rank_section = &board[board.find("积分排行").unwrap()..];
    let a = rank_section.find("欧阳*华").unwrap();
    let b = rank_section.find("陈*华").unwrap();
    assert!(a < b, "8 points rank above 5");
    assert!(rank_section.contains("8 分"));
    // The partner is for six-no villagers and this village is certified.
    assert!(board.contains("测试加油站"));
}

#[test]
fn names_are_masked_and_unpublished_households_vanish() {
    let site = Site::fixture("minimal");
    assert_eq!(site.build().code, 0);
    let board = site.public(VILLAGE_PAGE);
    assert!(board.contains("陈*华"));
    // consent alone is not enough: site.toml has not turned full names on.
    assert!(board.contains("欧阳*华") && !board.contains("欧阳明华"));
    // publish = false: gone from the roll and from rankings despite 50 points.
    assert!(!board.contains("李秀英") && !board.contains("李*英") && !board.contains("50 分"));
    assert!(
        board.contains("name=\"robots\" content=\"noindex"),
        "boards with names are noindex"
    );

    site.write(
        "content/site.toml",
        "title = \"t\"\nbase_url = \"https://example.org/sub/\"\n[privacy]\nfull_names = true\n",
    );
    assert_eq!(site.build().code, 0);
    let board = site.public(VILLAGE_PAGE);
    assert!(board.contains("欧阳明华"), "consent + full_names shows the name");
    assert!(board.contains("陈*华"), "no consent stays masked");
}

#[test]
fn deductions_stay_private_by_default() {
    let site = Site::fixture("minimal");
    assert_eq!(site.build().code, 0);
    assert!(!site.public(VILLAGE_PAGE).contains("扣分"));
    site.write(
        "content/site.toml",
        "title = \"t\"\nbase_url = \"https://example.org/\"\n[privacy]\nshow_deductions = true\n",
    );
    assert_eq!(site.build().code, 0);
    let board = site.public(VILLAGE_PAGE);
    assert!(board.contains("本期共扣分 2 分"), "village total only");
    assert!(!board.contains("扣 2 分"), "no household named without show_name");
}

#[test]
fn links_work_under_a_sub_path() {
    let site = Site::fixture("minimal");
    assert_eq!(site.build().code, 0);
    let board = site.public(VILLAGE_PAGE);
    assert!(board.contains("href=\"../../../stars/\""), "relative links");
    assert!(
        board.contains("https://example.org/sub/ceshixian/ceshizhen/ceshicun/"),
        "canonical under base path"
    );
    let css = board.split("rel=\"stylesheet\" href=\"../../../").nth(1).unwrap();
    let css = &css[..css.find('"').unwrap()];
    assert!(site.path("public").join(css).is_file(), "stylesheet {css} exists");
    assert!(
        site.public("404.html").contains("href=\"/sub/assets/"),
        "404 links from the base path"
    );
    let sitemap = site.public("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/sub/stars/</loc>"));
    assert!(!sitemap.contains("ceshicun/"), "noindex pages stay out of the sitemap");
}

#[test]
fn base_url_flag_overrides_site_toml() {
    let site = Site::fixture("minimal");
    assert_eq!(
        site.run(&["build", "--base-url", "http://localhost:8080/preview"]).code,
        0
    );
    assert!(site.public("index.html").contains("http://localhost:8080/preview/"));
}

#[test]
fn chinese_emphasis_renders_bold() {
    let site = Site::fixture("minimal");
    assert_eq!(site.build().code, 0);
    assert!(
        site.public("news/hello/index.html")
            .contains("<strong>五星级文明户，</strong>张家")
    );
}

#[test]
fn images_beside_news_resolve_from_the_post() {
    let site = Site::fixture("minimal");
    assert_eq!(site.build().code, 0);
    let post = site.public("ceshixian/ceshizhen/ceshicun/news/first/index.html");
    assert!(post.contains("src=\"../photo.svg\""));
}

#[test]
fn raw_html_is_escaped_unless_allowed_and_then_sanitised() {
    let site = Site::fixture("minimal");
    let post = "+++\ntitle = \"x\"\ndate = 2022-11-03\n+++\n<script>alert(1)</script>\n\n看<b onclick=\"x()\">这</b>\n";
    site.write("content/news/x.md", post);
    assert_eq!(site.build().code, 0);
    let page = site.public("news/x/index.html");
    assert!(page.contains("&lt;script&gt;") && !page.contains("<script>alert"));
    assert!(page.contains("&lt;b onclick"), "escaped, not interpreted");
    site.write(
        "content/site.toml",
        "title = \"t\"\nbase_url = \"https://example.org/\"\nallow_html = true\n",
    );
    assert_eq!(site.build().code, 0);
    let page = site.public("news/x/index.html");
    assert!(page.contains("看<b>这</b>"), "formatting kept, handler removed");
    assert!(
        !page.contains("alert(1)") && !page.contains("onclick"),
        "scripts removed"
    );
}

#[test]
fn slug_overrides_pinyin() {
    let site = Site::fixture("minimal");
    let village = site.village("village.toml");
    let text = std::fs::read_to_string(site.path(&village)).unwrap();
    site.write(&village, &text.replace("grids = 2", "grids = 2\nslug = \"demo\""));
    site.write(
        "content/villages/测试县/_index.md",
        "+++\ntitle = \"测试县\"\nslug = \"county\"\n+++\n",
    );
    assert_eq!(site.build().code, 0);
    assert!(site.path("public/county/ceshizhen/demo/index.html").is_file());
}

#[test]
fn site_theme_file_overrides_the_embedded_one() {
    let site = Site::fixture("minimal");
    site.write(
        "themes/default/templates/404.html",
        "<p>our own 404 for {{ site.title }}</p>",
    );
    assert_eq!(site.build().code, 0);
    assert_eq!(site.public("404.html"), "<p>our own 404 for 测试光荣榜</p>");
    assert!(
        site.public("index.html").contains("测试首页"),
        "other templates still embedded"
    );
}

#[test]
fn failed_build_leaves_public_byte_for_byte_intact() {
    let site = Site::fixture("minimal");
    assert_eq!(site.build().code, 0);
    let before = site.snapshot();
    site.write(
        &site.village("households.toml"),
        "period = \"2022\"\n[[household]\nid = ",
    );
    site.write(
        "content/news/hello.md",
        "+++\ntitle = \"changed\"\ndate = 2022-11-01\n+++\nnew text\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert_eq!(site.snapshot(), before);
    assert!(
        site.leftovers().is_empty(),
        "no staging left behind: {:?}",
        site.leftovers()
    );
}

#[test]
fn crlf_and_bom_files_build() {
    let site = Site::fixture("minimal");
    let file = site.village("households.toml");
    let text = std::fs::read_to_string(site.path(&file)).unwrap();
    site.write(&file, &format!("\u{feff}{}", text.replace('\n', "\r\n")));
    site.write(
        "content/news/hello.md",
        "\u{feff}+++\r\ntitle = \"开通了\"\r\ndate = 2022-11-01\r\n+++\r\n正文\r\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.public("news/hello/index.html").contains("正文"));
}

#[test]
fn drafts_are_not_published() {
    let site = Site::fixture("minimal");
    site.write(
        "content/news/later.md",
        "+++\ntitle = \"草稿标题\"\ndate = 2022-11-09\ndraft = true\n+++\n还没写完\n",
    );
    assert_eq!(site.build().code, 0);
    assert!(!site.path("public/news/later").exists());
    assert!(!site.public("news/index.html").contains("草稿标题"));
    assert!(!site.public("atom.xml").contains("草稿标题"));
}

#[test]
fn warnings_are_printed_but_do_not_fail_the_build() {
    let site = Site::fixture("minimal");
    let text = std::fs::read_to_string(site.path("content/standards.toml")).unwrap();
    site.write(
        "content/standards.toml",
        &format!("{text}\n[[tier]]\nname = \"十星级\"\nmin_stars = 10\n"),
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("警告: 十星级要求 10 颗星，但只定义了 3 颗星"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("standards.toml:45:8"), "{}", run.stderr);
}

#[test]
fn init_makes_a_site_that_builds() {
    let site = Site::fixture("minimal");
    let run = site.run(&["init", "new-site"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = site.run(&["build", "--root", "new-site"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        site.path("new-site/public/shifanxian/shifanzhen/shifancun/index.html")
            .is_file()
    );
    assert_eq!(site.run(&["init", "new-site"]).code, 1, "refuses to overwrite");
}

#[test]
fn example_site_builds_with_zero_problems() {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_starboard"))
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--output"])
        .arg(out.path().join("public"))
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.is_empty(), "no warnings either: {stderr}");
    let home = std::fs::read_to_string(out.path().join("public/index.html")).unwrap();
    for county in ["藤县", "苍梧县", "万秀区", "蒙山县", "岑溪市"] {
        assert!(home.contains(county), "{county} on the home page");
    }
    let board = std::fs::read_to_string(out.path().join("public/tengxian/jinjizhen/tongrongcun/index.html")).unwrap();
    assert!(board.contains("同荣村") && board.contains("十星级文明户"));
    // Whole pages pinned: a restructure must not change a byte of them.
    assert_matches_expected("example_home.html", &home);
    assert_matches_expected("example_board_tongrongcun.html", &board);
    let strict = Command::new(env!("CARGO_BIN_EXE_starboard"))
        .args(["check", "--strict", "--root", env!("CARGO_MANIFEST_DIR")])
        .output()
        .unwrap();
    assert!(
        strict.status.success(),
        "the example passes the lint: {}",
        String::from_utf8_lossy(&strict.stderr)
    );
}

#[test]
fn every_page_has_share_metadata_and_hashed_assets_issue_4() {
    let site = Site::fixture("minimal");
    assert_eq!(site.build().code, 0);
    let files = site.snapshot();
    let pages: Vec<_> = files
        .keys()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    assert!(pages.len() >= 12);
    for page in pages {
        let html = String::from_utf8(files[page].clone()).unwrap();
        for tag in [
            "property=\"og:title\"",
            "property=\"og:description\"",
            "property=\"og:image\" content=\"https://example.org/sub/assets/share.",
        ] {
            assert!(html.contains(tag), "{} lacks {tag}", page.display());
        }
    }
    let assets: Vec<String> = files
        .keys()
        .filter(|p| p.starts_with("assets"))
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(!assets.is_empty());
    for name in assets {
        let hash = name.split('.').nth(1).unwrap_or("");
        assert!(
            hash.len() == 8 && hash.chars().all(|c| c.is_ascii_hexdigit()),
            "{name} carries a content hash"
        );
    }
}

#[test]
fn a_sink_in_memory_gets_exactly_what_build_writes() {
    let site = Site::fixture("minimal");
    assert_eq!(site.build().code, 0);
    let mut engine = starboard::engine::Engine::new(starboard::Options {
        root: site.dir.path().to_path_buf(),
        output: None,
        base_url: None,
    });
    let sink = starboard::engine::MemorySink::default();
    let report = engine.render_into(Box::new(sink.clone())).unwrap();
    let in_memory: Vec<(std::path::PathBuf, Vec<u8>)> = sink.files().into_iter().map(|(p, b)| (p.into(), b)).collect();
    assert_eq!(report.files, in_memory.len());
    let on_disk: Vec<(std::path::PathBuf, Vec<u8>)> = site.snapshot().into_iter().collect();
    assert!(in_memory.len() > 10, "{} files", in_memory.len());
    assert!(in_memory == on_disk, "the same files with the same bytes");
}
#[test]
fn certified_village_missing_a_criterion_is_not_shown_as_six_no() {
    let site = Site::fixture("minimal");
    site.write(
        &site.village("village.toml"),
        "name = \"测试村\"\n[six_no]\nno_gangs = true\nno_drugs = false\ncertified = 2022-10-01\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("警告") && run.stderr.contains("无毒品危害"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("village.toml:5:13"), "{}", run.stderr);
    let board = site.public(VILLAGE_PAGE);
    assert!(board.contains("未认定") && !board.contains("已认定"));
    // The fuel offer is for six-no villagers only.
    assert!(!board.contains("测试加油站"));
}
