//! The words of the pages come from the wording table of the site's
//! language, and a site's theme can change any one of them.

use std::path::Path;

use crate::support::{Site, copy_dir};

/// The repository's example site (it uses every part of the theme) in a temp dir.
fn example() -> Site {
    let site = Site::fixture("minimal");
    std::fs::remove_dir_all(site.path("content")).unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &site.path("content"),
    );
    site
}

fn set_language(site: &Site, code: &str) {
    let path = site.path("content/site.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("language"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&path, format!("language = \"{code}\"\n{text}")).unwrap();
}

/// Every file under `dir`, read as text (lossily), with its path.
fn texts_under(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            texts_under(&path, out);
        } else {
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            out.push((path.display().to_string(), text));
        }
    }
}

/// The runs of two or more Chinese characters in the Chinese wording table,
/// between its `{placeholders}` and punctuation.
fn chinese_words() -> Vec<String> {
    let table =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/wording/zh-Hans.toml"))
            .unwrap();
    let table: toml::Table = toml::from_str(&table).unwrap();
    let mut words = Vec::new();
    for value in table.values() {
        let text = value.as_str().unwrap();
        let mut run = String::new();
        let mut in_placeholder = false;
        for c in text.chars().chain([' ']) {
            match c {
                '{' => in_placeholder = true,
                '}' => in_placeholder = false,
                '\u{4e00}'..='\u{9fff}' if !in_placeholder => {
                    run.push(c);
                    continue;
                }
                _ => {}
            }
            if run.chars().count() >= 2 {
                words.push(std::mem::take(&mut run));
            }
            run.clear();
        }
    }
    words.sort();
    words.dedup();
    words
}

#[test]
fn an_english_site_shows_english_chrome_on_every_page() {
    let site = example();
    set_language(&site, "en");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut content = Vec::new();
    texts_under(&site.path("content"), &mut content);
    let content: String = content.into_iter().map(|(_, t)| t).collect();
    let mut pages = Vec::new();
    texts_under(&site.path("public"), &mut pages);
    pages.retain(|(path, _)| path.ends_with(".html") || path.ends_with(".xml"));
    assert!(pages.len() > 20, "the example site has many pages");
    // A Chinese word of the theme may still show where the content has it
    // (a village named with it); anywhere else it is chrome left in Chinese.
    let chrome: Vec<String> = chinese_words().into_iter().filter(|w| !content.contains(w)).collect();
    assert!(
        chrome.len() > 40,
        "most of the theme's words are not in the content: {chrome:?}"
    );
    for (path, text) in &pages {
        for word in &chrome {
            assert!(!text.contains(word.as_str()), "{path} shows the Chinese word {word}");
        }
    }
    let board = site.public("tengxian/jinjizhen/tongrongcun/index.html");
    for english in [
        "Star standards",
        "Honour Roll",
        "Points ranking",
        "Scan with WeChat",
        "grid ",
    ] {
        assert!(board.contains(english), "the board says {english}");
    }
    assert!(site.public("index.html").contains("<html lang=\"en\">"));
}

#[test]
fn a_site_theme_changes_single_words_and_keeps_the_rest() {
    let site = Site::fixture("minimal");
    site.write(
        "themes/default/wording/zh-Hans.toml",
        "nav_news = \"要闻\"\nboard_title = \"{name}红榜\"\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let board = site.public("ceshixian/ceshizhen/ceshicun/index.html");
    assert!(board.contains("<h1>测试村红榜</h1>"), "the changed title");
    assert!(board.contains(">要闻</a>"), "the changed menu entry");
    assert!(board.contains(">评星标准</a>"), "words not changed stay the default");
    assert!(!board.contains("测试村光荣榜</h1>"));
}

#[test]
fn a_wrong_word_in_a_site_theme_is_named() {
    let site = Site::fixture("minimal");
    site.write("themes/default/wording/zh-Hans.toml", "nav_newz = \"要闻\"\n");
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("nav_newz"), "{}", run.stderr);
    site.write("themes/default/templates/404.html", "<p>{{ t.not_found_titel }}</p>");
    site.write("themes/default/wording/zh-Hans.toml", "");
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("404.html") && run.stderr.contains("t.not_found_titel"),
        "{}",
        run.stderr
    );
}

/// Failures of the system around the site are told in the site's language
/// too (issue 12): a missing theme folder, a port already taken.
#[test]
fn system_errors_are_in_the_sites_language() {
    let site = Site::fixture("minimal");
    let toml = std::fs::read_to_string(site.path("content/site.toml")).unwrap();
    site.write("content/site.toml", &format!("theme = \"nosuch\"\n{toml}"));
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("主题文件夹") && run.stderr.contains("nosuch"),
        "{}",
        run.stderr
    );
    set_language(&site, "en");
    let run = site.build();
    assert!(
        run.stderr.contains("theme folder") && !run.stderr.contains("主题"),
        "{}",
        run.stderr
    );

    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let run = site.run_within(&["serve", "--port", &port], std::time::Duration::from_secs(30));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("cannot listen on") && !run.stderr.contains("错误"),
        "an English site, told in English: {}",
        run.stderr
    );
    set_language(&site, "zh-Hans");
    let run = site.run_within(&["serve", "--port", &port], std::time::Duration::from_secs(30));
    assert!(
        run.stderr.contains("错误：无法在") && run.stderr.contains("--port"),
        "{}",
        run.stderr
    );
}
