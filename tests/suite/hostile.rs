//! Hostile and careless input (issues 5 and 10): personal numbers in pages,
//! photo metadata, broken and huge files, pasted-in text; random input
//! through the pure pieces.

use crate::support::{Site, assert_matches_expected};

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
