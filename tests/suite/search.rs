//! Search (issue 14): the index holds only what boards show, and the page
//! finds villages and households in a browser without WebAssembly or
//! Intl.Segmenter, with WeChat's user agent, on a 360 px screen.

use std::time::Duration;

use serde_json::json;

use crate::browser::{Browser, chromium};
use crate::serve::Server;
use crate::support::Site;

/// Every file of the index, as text.
fn index_text(site: &Site) -> String {
    let mut all = String::new();
    for entry in std::fs::read_dir(site.path("public/search")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json" || e == "txt") {
            all.push_str(&std::fs::read_to_string(path).unwrap());
        }
    }
    all
}

#[test]
fn the_index_holds_only_what_boards_show() {
    let site = Site::fixture("minimal");
    assert_eq!(site.build().code, 0);
    let index = index_text(&site);
    assert!(index.contains("测试村") && index.contains("\"陈*华\""), "{index}");
    // t-003 李秀英 has publish = false: neither name nor id; a masked
    // name is there only masked; no household id at all.
    for never in ["李秀英", "李*英", "t-003", "陈明华", "欧阳明华", "t-001", "t-002"] {
        assert!(!index.contains(never), "{never} is in the index");
    }
    // Publishing her puts her in, masked.
    let households = site.village("households.toml");
    let text = std::fs::read_to_string(site.path(&households)).unwrap();
    site.write(&households, &text.replace("publish = false", "publish = true"));
    assert_eq!(site.build().code, 0);
    assert!(index_text(&site).contains("\"李*英\""));
}

/// Results on the page for `query`, typed into the box: the links' text,
/// address and what is shown beside them.
fn search(browser: &mut Browser, query: &str) -> Vec<(String, String)> {
    browser.eval(
        "(() => { const q = document.getElementById('q'); q.value = ''; document.getElementById('search-results').removeAttribute('data-for'); q.focus(); return true; })()",
    );
    browser.call("Input.insertText", json!({ "text": query }));
    // The page marks its results with the query they answer.
    browser.wait_for(
        &format!("document.getElementById('search-results').getAttribute('data-for') === {}", json!(query)),
        Duration::from_secs(10),
        "document.getElementById('q').value + ' | ' + document.getElementById('search-results').getAttribute('data-for') + ' | ' + document.getElementById('search-status').textContent",
    );
    let found = browser.eval(
        "Array.from(document.querySelectorAll('#search-results li a')).map(a => [a.textContent, a.getAttribute('href')])",
    );
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().to_string(), p[1].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn search_works_in_wechat_without_webassembly_or_segmenter() {
    let Some(binary) = chromium() else { return };
    let site = Site::fixture("minimal");
    let server = Server::start_at(site.dir.path(), None);
    let wechat = "--user-agent=Mozilla/5.0 (Linux; Android 10; V2001A Build/QP1A.190711.020; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5235 MMWEBSDK/20230701 MMWEBID/1234 MicroMessenger/8.0.40.2420(0x28002837) WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64";
    let mut browser = Browser::open_with(&binary, "about:blank", 360, 740, &[wechat, "--js-flags=--jitless"]);
    browser.call(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": "delete window.WebAssembly; if (window.Intl) delete Intl.Segmenter;" }),
    );
    browser.call("Page.enable", json!({}));
    let page = format!("{}search/", server.url);
    browser.goto(&page);
    assert_eq!(
        browser.eval("typeof WebAssembly === 'undefined' && !(window.Intl && Intl.Segmenter) && navigator.userAgent.includes('MicroMessenger')"),
        json!(true),
        "the page runs without WebAssembly and Intl.Segmenter, as WeChat"
    );

    let board = "ceshixian/ceshizhen/ceshicun/";
    for query in ["csc", "ceshi", "测试", "试"] {
        let found = search(&mut browser, query);
        assert!(
            found
                .iter()
                .any(|(name, href)| name == "测试村" && href.ends_with(board)),
            "{query}: {found:?}"
        );
    }
    // The full name finds the masked one, linked to its row on the board.
    let found = search(&mut browser, "陈明华");
    assert_eq!(
        found
            .first()
            .map(|(n, h)| (n.as_str(), h.ends_with(&format!("{board}#h0")))),
        Some(("陈*华", true)),
        "{found:?}"
    );
    // One character: the surname, the last character.
    assert!(search(&mut browser, "陈").iter().any(|(n, _)| n == "陈*华"));
    // The last character: the commonest pair ending in it (陈*华 and
    // 欧阳*华 tie here), and the page says there are more.
    assert!(search(&mut browser, "华").iter().any(|(n, _)| n.ends_with("*华")));
    assert_eq!(
        browser.eval("document.getElementById('search-status').textContent === document.getElementById('search-data').getAttribute('data-more')"),
        json!(true)
    );
    // As the board shows it (陈华 for 陈*华), and a compound surname.
    assert!(search(&mut browser, "陈华").iter().any(|(n, _)| n == "陈*华"));
    assert!(search(&mut browser, "欧阳华").iter().any(|(n, _)| n == "欧阳*华"));
    // An unpublished household is not found, even by its full name.
    assert!(search(&mut browser, "李秀英").is_empty());
    // The row's anchor is on the board.
    browser.goto(&format!("{}{board}#h0", server.url));
    assert_eq!(
        browser.eval("document.getElementById('h0').textContent.startsWith('陈*华')"),
        json!(true)
    );
}

/// Opened from disk, the browser forbids fetch(): the page says so plainly
/// and points to the county and town list below instead of failing.
#[test]
fn from_files_the_search_page_says_it_cannot_search() {
    let Some(binary) = chromium() else { return };
    let site = Site::fixture("minimal");
    assert_eq!(site.build().code, 0);
    let url = format!("file://{}", site.path("public/search/index.html").display());
    let mut browser = Browser::open_with(&binary, "about:blank", 360, 740, &[]);
    browser.goto(&url);
    let offline = browser.eval("document.getElementById('search-data').getAttribute('data-offline')");
    assert_eq!(
        browser.eval("document.getElementById('search-status').textContent"),
        offline
    );
    assert!(offline.as_str().unwrap().contains("按县、镇查找"));
    assert_eq!(browser.eval("document.getElementById('q').disabled"), json!(true));
    // The list it points to leads to every county and town page.
    let links = browser.eval("Array.from(document.querySelectorAll('.browse a')).map(a => a.textContent)");
    assert_eq!(links, json!(["测试县", "测试镇"]));
}
