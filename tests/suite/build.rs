//! `build`, `check` and `init` through the real binary on fixture sites.

use std::process::Command;

use crate::support::{Site, assert_matches_expected};

const VILLAGE_PAGE: &str = "ceshixian/ceshizhen/ceshicun/index.html";

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
fn unknown_star_is_reported_with_position_and_snippet() {
    let site = Site::fixture("minimal");
    let file = site.village("households.toml");
    let text = std::fs::read_to_string(site.path(&file)).unwrap();
    site.write(&file, &text.replacen("\"mutual-aid\"]", "\"mutual_aid\"]", 1));
    let run = site.build();
    assert_eq!(run.code, 1);
    assert_matches_expected("unknown_star", &run.stderr);
}

#[test]
fn personal_fields_are_rejected_with_the_reason() {
    let site = Site::fixture("minimal");
    let file = site.village("households.toml");
    let text = std::fs::read_to_string(site.path(&file)).unwrap();
    site.write(
        &file,
        &text.replacen(
            "grid = 1\n",
            "grid = 1\nphone = \"13800000000\"\nid_number = \"x\"\n",
            1,
        ),
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("个人信息保护法"));
    assert_matches_expected("personal_fields", &run.stderr);
}

#[test]
fn every_problem_in_every_file_is_reported_at_once() {
    let site = Site::fixture("minimal");
    site.write(
        &site.village("village.toml"),
        "name = \"测试村\"\ngridz = 2\n\n[six_no]\nno_gangs = true\n",
    );
    site.write(
        &site.village("points.toml"),
        "[[entry]]\nhousehold = \"t-999\"\ndate = 2022-02-30\nkind = \"award\"\nitem = \"volunteer\"\n\n[[entry]]\nhousehold = \"t-001\"\ndate = 2022-11-01\nkind = \"bonus\"\nitem = \"x\"\n",
    );
    site.write(
        "content/partners.toml",
        "[[partner]]\nid = \"p\"\nname = \"n\"\nkind = \"fuel\"\noffer = \"o\"\neligible = [\"nobody\"]\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert_matches_expected("many_problems", &run.stderr);
}

#[test]
fn messages_are_english_for_non_chinese_sites() {
    let site = Site::fixture("minimal");
    site.write(
        "content/site.toml",
        "title = \"t\"\nbase_url = \"https://example.org/\"\nlanguage = \"en\"\n",
    );
    site.write(
        &site.village("village.toml"),
        "name = \"测试村\"\n[six_no]\nno_gangs = true\nno_drugs = maybe\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert_matches_expected("english_syntax_error", &run.stderr);
}

#[test]
fn household_ids_are_per_village() {
    let site = Site::fixture("minimal");
    let other = "content/villages/测试县/测试镇/二村";
    site.write(
        &format!("{other}/village.toml"),
        "name = \"二村\"\n[six_no]\nno_gangs = true\nno_drugs = false\n",
    );
    site.write(
        &format!("{other}/households.toml"),
        "period = \"2022\"\n[[household]]\nid = \"t-001\"\nhead = \"王五\"\nstars = [\"law\", \"hygiene\"]\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "the same id in two villages is fine: {}", run.stderr);
    site.write(&format!("{other}/households.toml"), "period = \"2022\"\n[[household]]\nid = \"t-001\"\nhead = \"王五\"\n[[household]]\nid = \"t-001\"\nhead = \"赵六\"\n");
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("二村/households.toml:6:6"), "{}", run.stderr);
    assert!(run.stderr.contains("第 3 行已经用过它"), "{}", run.stderr);
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
fn check_validates_but_writes_nothing() {
    let site = Site::fixture("minimal");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.path("public").exists());
    site.write(&site.village("households.toml"), "period = \"twenty\"\n");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("households.toml:1:10"), "{}", run.stderr);
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
fn missing_site_toml_says_what_to_do() {
    let site = Site::fixture("minimal");
    std::fs::remove_file(site.path("content/site.toml")).unwrap();
    let run = site.build();
    assert_eq!(run.code, 1);
    // No site.toml says otherwise: the default language, zh-Hans.
    assert!(run.stderr.contains("缺少 content/site.toml") && run.stderr.contains("starboard init"));
}

#[test]
fn usage_errors_exit_with_2() {
    let site = Site::fixture("minimal");
    assert_eq!(site.run(&["build", "--no-such-flag"]).code, 2);
    assert_eq!(site.run(&["frobnicate"]).code, 2);
    let help = site.run(&["build", "--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("--base-url"));
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
fn heavy_village_board_warns_on_build_and_fails_check_issue_4() {
    let site = Site::fixture("minimal");
    // A stylesheet of 60 KB puts every board over the 50 KB budget.
    let padding = format!("/* {} */\n", "x".repeat(60 * 1024));
    let css = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/static/style.css")).unwrap();
    site.write("themes/default/static/style.css", &format!("{css}{padding}"));
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("警告: 这个页面连同样式表共"), "{}", run.stderr);
    assert!(
        run.stderr.contains("ceshixian/ceshizhen/ceshicun/index.html"),
        "{}",
        run.stderr
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("错误: 这个页面连同样式表共"), "{}", run.stderr);
    // Without the padding the same site is within budget.
    std::fs::remove_file(site.path("themes/default/static/style.css")).unwrap();
    assert_eq!(site.run(&["check"]).code, 0);
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
fn personal_numbers_in_output_fail_the_build_and_keep_public_issue_5() {
    let site = Site::fixture("minimal");
    assert_eq!(site.build().code, 0);
    let before = site.snapshot();
    site.write(
        "content/news/leak.md",
        "+++\ntitle = \"泄露\"\ndate = 2022-11-03\n+++\n联系人手机 13800138000，身份证 11010519491231002X。\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert_matches_expected("personal_numbers", &run.stderr);
    assert_eq!(site.snapshot(), before, "nothing written");
    assert_eq!(site.run(&["check"]).code, 1, "check finds it too");
    // In a village's news: found while that village's files stream to the
    // staging folder, which is then removed.
    std::fs::remove_file(site.path("content/news/leak.md")).unwrap();
    site.write(
        &site.village("news/leak.md"),
        "+++\ntitle = \"泄露\"\ndate = 2022-11-03\n+++\n联系人手机 13800138000。\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("news/leak.md:5:"), "{}", run.stderr);
    assert_eq!(site.snapshot(), before, "nothing written");
    assert!(site.leftovers().is_empty(), "staging removed: {:?}", site.leftovers());
    std::fs::remove_file(site.path(&site.village("news/leak.md"))).unwrap();
    // A number site.toml allows is published.
    site.write(
        "content/site.toml",
        "title = \"t\"\nbase_url = \"https://example.org/sub/\"\n[privacy]\nallow_numbers = [\"138-0013-8000\"]\n",
    );
    site.write(
        "content/news/leak.md",
        "+++\ntitle = \"商家\"\ndate = 2022-11-03\n+++\n营业手机 13800138000\n",
    );
    assert_eq!(site.build().code, 0);
}

#[test]
fn photos_are_published_without_their_metadata_issue_5() {
    let site = Site::fixture("minimal");
    let exif = b"Exif\0\0II\x2a\0\x08\0\0\0\0\0\0\0\0\0GPS 23.48N 111.27E";
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1];
    jpeg.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
    jpeg.extend_from_slice(exif);
    jpeg.extend_from_slice(&[0xFF, 0xDA, 0, 2, 7, 7, 7, 0xFF, 0xD9]);
    std::fs::write(site.path(&site.village("合影.jpg")), &jpeg).unwrap();
    assert_eq!(site.build().code, 0);
    let published = std::fs::read(site.path("public/ceshixian/ceshizhen/ceshicun/合影.jpg")).unwrap();
    assert!(!String::from_utf8_lossy(&published).contains("GPS"), "location removed");
    assert_eq!(
        published,
        [0xFF, 0xD8, 0xFF, 0xDA, 0, 2, 7, 7, 7, 0xFF, 0xD9],
        "image data kept as it was"
    );
}

#[test]
fn hostile_input_gets_clear_errors_not_crashes_issue_5() {
    // One small broken site per case; the exact text users see is kept in
    // tests/expected/hostile_*.txt.
    let households = "content/villages/测试县/测试镇/测试村/households.toml";
    let cases: Vec<(&str, &str, String)> = vec![
        (
            "hostile_deep_nesting",
            households,
            format!(
                "period = \"2022\"\nx = {}{}\n",
                "[".repeat(100_000),
                "]".repeat(100_000)
            ),
        ),
        ("hostile_empty_news", "content/news/empty.md", String::new()),
        (
            "hostile_unclosed_front_matter",
            "content/news/open.md",
            "+++\ntitle = \"x\"\n".into(),
        ),
        (
            "hostile_impossible_date",
            "content/news/d.md",
            "+++\ntitle = \"x\"\ndate = 2022-02-30\n+++\n".into(),
        ),
        (
            "hostile_date_out_of_range",
            "content/news/d.md",
            "+++\ntitle = \"x\"\ndate = 1066-10-14\n+++\n".into(),
        ),
        (
            "hostile_wrong_type",
            "content/site.toml",
            "title = \"t\"\nbase_url = \"https://example.org/\"\n[privacy]\nranking_size = \"ten\"\n".into(),
        ),
        (
            "hostile_slug_escape",
            "content/news/s.md",
            "+++\ntitle = \"x\"\ndate = 2022-11-01\nslug = \"../../etc\"\n+++\n".into(),
        ),
        (
            "hostile_two_files_one_url",
            "themes/default/theme.toml",
            "publish = [\"html\"]\n".into(),
        ),
    ];
    for (name, file, text) in cases {
        let site = Site::fixture("minimal");
        // With a theme that publishes HTML files, this one collides with the board.
        site.write("content/villages/测试县/测试镇/测试村/index.html", "<p>mine</p>");
        assert_eq!(site.build().code, 0);
        let before = site.snapshot();
        site.write(file, &text);
        let run = site.build();
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        assert!(
            run.stderr.lines().all(|l| l.chars().count() < 200),
            "{name}: long lines are cut"
        );
        assert_matches_expected(name, &run.stderr);
        assert_eq!(site.snapshot(), before, "{name}: public/ unchanged");
    }
}

mod properties {
    //! Random input through the pure pieces and the whole pipeline: no
    //! panics, and the invariants each piece promises.
    use proptest::prelude::*;

    use starboard::{markdown, scan, source::front_matter};

    proptest! {
        // 512 cases each by default; PROPTEST_CASES=100000 for a longer run.
        #![proptest_config(ProptestConfig::with_cases(
            std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512)
        ))]

        #[test]
        fn front_matter_split_never_panics_and_stays_inside(text in "(\\+\\+\\+|[\\r\\n ]|[a-z=\"]|[一-龥]){0,80}") {
            if let Ok(parts) = front_matter::split(&text) {
                prop_assert!(text.contains(parts.front) && text.ends_with(parts.body));
            }
        }

        #[test]
        fn markdown_never_emits_raw_html_unless_allowed(text in "(<[a-z]{1,6}[^>]{0,10}>|\\*{1,3}|[一-龥，。]|[a-z \\n#>\\-`\\[\\]()!]){0,120}") {
            let html = markdown::to_html(&text, false);
            prop_assert!(!html.contains("<script") && !html.contains("<iframe"));
            let allowed = markdown::to_html(&text, true);
            prop_assert!(!allowed.contains("<script") && !allowed.contains("javascript:"));
        }

        #[test]
        fn number_scan_never_panics(text in "([0-9]{1,20}|[ \\-xX+]|[一-龥]){0,40}") {
            for found in scan::scan(&text, &[]) {
                prop_assert!(text.is_char_boundary(found.offset));
            }
        }

        #[test]
        fn any_households_file_gives_a_result_not_a_panic(text in "(\\[\\[household\\]\\]\\n|id = \"[a-z0-9-]{0,6}\"\\n|head = \"[一-龥]{0,4}\"\\n|stars = \\[\"law\"(, \"[a-z]{1,8}\")?\\]\\n|period = \"[0-9]{0,5}\"\\n|grid = -?[0-9]{1,3}\\n|publish = (true|false)\\n|[=\\[\\]\"{}, a-z]{0,6}\\n){0,12}") {
            let site = crate::support::Site::fixture("minimal");
            site.write(&site.village("households.toml"), &text);
            let options = starboard::Options { root: site.dir.path().to_path_buf(), output: None, base_url: None };
            let _ = starboard::check(&options);
        }
    }
}

#[test]
fn check_lints_pasted_text_and_strict_fails_on_it_issue_5() {
    let site = Site::fixture("minimal");
    site.write(
        "content/news/pasted.md",
        "+++\ntitle = \"x\"\ndate = 2022-11-03\n+++\n新闻發(fā)布会。见[商家](../partners/)和[旧页](../old/)。\n",
    );
    let households = site.path(&site.village("households.toml"));
    let text = std::fs::read_to_string(&households).unwrap();
    std::fs::write(
        &households,
        format!("{text}\n[[household]]\nid = \"t-００4\"\nhead = \"王小五\"\n"),
    )
    .unwrap();
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "warnings only: {}", run.stderr);
    assert_matches_expected("lint_warnings", &run.stderr);
    assert_eq!(site.run(&["check", "--strict"]).code, 1);
}

#[test]
fn files_too_big_to_be_content_are_refused_issue_5() {
    let site = Site::fixture("minimal");
    let file = std::fs::File::create(site.path(&site.village("points.toml"))).unwrap();
    file.set_len(20 * 1024 * 1024).unwrap();
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("points.toml") && run.stderr.contains("这个文件有 20 MB"),
        "{}",
        run.stderr
    );
}

/// The progress bar is for people at a terminal: a piped build (scripts, CI)
/// never gets one, a build on a terminal does (the delay is set to zero so a
/// small fixture build is long enough to show it).
#[test]
fn progress_bar_only_on_a_terminal() {
    let site = Site::fixture("minimal");
    let bin = env!("CARGO_BIN_EXE_starboard");
    let piped = Command::new(bin)
        .arg("build")
        .env("STARBOARD_PROGRESS_AFTER_MS", "0")
        .current_dir(site.dir.path())
        .output()
        .unwrap();
    assert!(piped.status.success());
    let stderr = String::from_utf8_lossy(&piped.stderr);
    assert!(!stderr.contains('\u{1b}'), "no terminal codes when piped: {stderr:?}");
    assert!(!stderr.contains("render ["), "{stderr:?}");

    // `script` (util-linux) runs the build on a pseudo-terminal.
    let on_terminal = Command::new("script")
        .args(["-qec", &format!("{bin} build"), "/dev/null"])
        .env("STARBOARD_PROGRESS_AFTER_MS", "0")
        .current_dir(site.dir.path())
        .output();
    let Ok(on_terminal) = on_terminal else {
        println!("skipped the terminal half: `script` is not installed");
        return;
    };
    assert!(on_terminal.status.success());
    let shown = String::from_utf8_lossy(&on_terminal.stdout);
    let stage_shown = ["read", "validate", "render", "write"]
        .iter()
        .any(|s| shown.contains(s));
    assert!(
        shown.contains('\u{1b}') && stage_shown,
        "a bar on a terminal: {shown:?}"
    );
}

/// `check` inspects each village's pages as they are rendered; a link to
/// another village's page is settled once every page is known, so it is not
/// reported, while a link to no page is.
#[test]
fn check_settles_links_between_villages() {
    let site = Site::fixture("minimal");
    site.write(
        "content/villages/测试县/测试镇/二村/village.toml",
        "name = \"二村\"\n[six_no]\nno_gangs = true\nno_drugs = true\n",
    );
    site.write(
        &site.village("news/links.md"),
        "+++\ntitle = \"邻村\"\ndate = 2022-11-03\n+++\n见[二村](../../ercun/)和[三村](../../sancun/)。\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "warnings only: {}", run.stderr);
    assert!(
        run.stderr.contains("链接 `../../../sancun/` 指向的页面不存在"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("ercun/`"),
        "the other village's board exists: {}",
        run.stderr
    );
    assert!(site.run(&["build"]).code == 0 && site.public("ceshixian/ceshizhen/ercun/index.html").contains("二村"));
}

/// The peak memory `--timings` reports for the whole run, in MiB.
fn peak_mib(stderr: &str) -> u64 {
    stderr
        .lines()
        .filter(|l| l.starts_with("timings:"))
        .flat_map(|l| l.split("(peak ").skip(1))
        .filter_map(|p| p.split(' ').next()?.parse().ok())
        .max()
        .expect("--timings reports peak memory")
}

#[test]
fn a_huge_single_line_post_stays_linear_issue_10() {
    let site = Site::fixture("minimal");
    // 15 MB on one line, every character one the lint would flag.
    let body = "國語說話".repeat(1_250_000);
    site.write(
        "content/news/big.md",
        &format!("+++\ntitle = \"大\"\ndate = 2022-11-01\n+++\n\n{body}\n"),
    );
    let size_mib = (body.len() / (1024 * 1024)) as u64;
    let limit = std::time::Duration::from_secs(120);
    let built = site.run_within(&["build", "--timings"], limit);
    assert_eq!(built.code, 0, "{}", &built.stderr[..built.stderr.len().min(500)]);
    assert!(
        peak_mib(&built.stderr) < 10 * size_mib,
        "build peak {} MiB",
        peak_mib(&built.stderr)
    );
    let checked = site.run_within(&["check"], limit);
    let flagged = checked.stderr.matches("繁体字").count();
    assert!(
        flagged <= starboard::lint::PER_KIND + 1,
        "{flagged} warnings for one file"
    );
    assert!(checked.stderr.contains("同类问题还有"), "the rest are counted");
    assert!(
        checked.stderr.lines().all(|l| l.chars().count() < 200),
        "snippets are cut"
    );
}

#[test]
fn a_too_deep_table_header_is_located_on_its_line_issue_10() {
    let site = Site::fixture("minimal");
    let households = site.village("households.toml");
    let mut text = std::fs::read_to_string(site.path(&households)).unwrap();
    let line = text.lines().count() + 2;
    text.push_str(&format!("\n[{}]\nx = 1\n", vec!["a"; 100_000].join(".")));
    site.write(&households, &text);
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(&format!("--> {households}:{line}:1")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("嵌套太深"), "{}", run.stderr);
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
fn status_lines_are_in_the_sites_language() {
    let site = Site::fixture("minimal");
    let zh = [site.build(), site.run(&["check"])];
    assert!(zh[0].stdout.starts_with("已生成 "), "{}", zh[0].stdout);
    assert!(zh[1].stdout.starts_with("检查通过"), "{}", zh[1].stdout);
    let toml = std::fs::read_to_string(site.path("content/site.toml")).unwrap();
    site.write("content/site.toml", &toml.replace("zh-Hans", "en"));
    let en = [site.build(), site.run(&["check"])];
    assert!(en[0].stdout.starts_with("built "), "{}", en[0].stdout);
    assert!(en[1].stdout.starts_with("check passed"), "{}", en[1].stdout);
    // No site yet: the default language, zh-Hans.
    let fresh = tempfile::tempdir().unwrap();
    let init = site.run(&["init", fresh.path().join("新站").to_str().unwrap()]);
    assert!(init.stdout.contains("新建网站"), "{}", init.stdout);
    let missing = site.run(&["watch", "--root", "/no/such/site"]);
    assert_eq!(missing.code, 1);
    assert!(
        missing.stderr.starts_with("错误：打不开网站文件夹"),
        "{}",
        missing.stderr
    );
}
