//! `starboard serve` end to end: a real server, a real file watcher and a real
//! browser that must reload by itself and show problems over the page.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::browser::{Browser, chromium, http_get};
use crate::support::Site;

const BOARD: &str = "ceshixian/ceshizhen/ceshicun/";
const HOUSEHOLDS: &str = "content/villages/测试县/测试镇/测试村/households.toml";
const LIMIT: Duration = Duration::from_secs(20);

/// A running `starboard serve` on a free loopback port.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT/sub/`
    pub url: String,
    pub host: String,
}

impl Server {
    fn start(site: &Site) -> Server {
        Server::start_at(site.dir.path(), None)
    }

    /// Serve the site in `root`, writing to `output` (default `root/public`).
    pub fn start_at(root: &std::path::Path, output: Option<&std::path::Path>) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_starboard"));
        command.args(["serve", "--port", "0", "--root"]).arg(root);
        if let Some(output) = output {
            command.arg("--output").arg(output);
        }
        let mut child = command.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let line = lines
            .by_ref()
            .map_while(Result::ok)
            .find(|l| l.starts_with("serving at "))
            .expect("serve prints its address");
        // Edits count only once the watcher listens, which it says.
        lines
            .by_ref()
            .map_while(Result::ok)
            .find(|l| l.starts_with("watching"))
            .expect("serve says when it watches");
        std::thread::spawn(move || lines.for_each(drop));
        let url = line.trim_start_matches("serving at ").to_string();
        let host = url.trim_start_matches("http://").split('/').next().unwrap().to_string();
        Server { child, url, host }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn replace_in(site: &Site, rel: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(site.path(rel)).unwrap();
    assert!(text.contains(from));
    site.write(rel, &text.replace(from, to));
}

#[test]
fn serves_at_root_and_under_the_base_path_with_live_reload_script() {
    let site = Site::fixture("minimal");
    let server = Server::start(&site);
    let under_base = http_get(&server.host, &format!("/sub/{BOARD}"));
    let at_root = http_get(&server.host, &format!("/{BOARD}"));
    assert!(under_base.contains("测试村光荣榜") && at_root.contains("测试村光荣榜"));
    assert!(
        under_base.contains("/__starboard/events"),
        "live reload script injected"
    );
    let on_disk = std::fs::read_to_string(site.path(&format!("public/{BOARD}index.html"))).unwrap();
    assert!(
        !on_disk.contains("__starboard"),
        "the files on disk stay what build writes"
    );
    assert!(http_get(&server.host, "/sub/no/such/page/").contains("找不到这个页面"));
}

/// The fixture served, with its village board open in Chromium; None (the
/// test skips) without Chromium.
fn open_board() -> Option<(Site, Server, Browser)> {
    let chromium = chromium()?;
    let site = Site::fixture("minimal");
    let server = Server::start(&site);
    let mut browser = Browser::open(&chromium, &format!("{}{BOARD}", server.url));
    browser.wait_for(
        "document.body.innerText.includes('陈*华')",
        LIMIT,
        "document.body.innerText",
    );
    Some((site, server, browser))
}

#[test]
fn open_page_reloads_by_itself_after_an_edit_issue_3() {
    let Some((site, _server, mut browser)) = open_board() else {
        return;
    };
    // Mark this page load: a reload gives a fresh window without the mark.
    browser.eval("window.__loadMark = 'before-edit'; true");
    replace_in(&site, HOUSEHOLDS, "陈明华", "陈建国");
    browser.wait_for(
        "document.body.innerText.includes('陈*国') && window.__loadMark === undefined",
        LIMIT,
        "document.body.innerText",
    );
}

#[test]
fn bad_save_shows_an_overlay_and_the_fix_clears_it_issue_3() {
    let Some((site, _server, mut browser)) = open_board() else {
        return;
    };
    let good = std::fs::read_to_string(site.path(HOUSEHOLDS)).unwrap();
    site.write(
        HOUSEHOLDS,
        &good.replace("[[household]]\nid = \"t-002\"", "[[household]\nid = \"t-002\""),
    );
    browser.wait_for(
        "(document.getElementById('starboard-overlay')?.innerText || '').includes('households.toml:9:13')",
        LIMIT,
        "document.getElementById('starboard-overlay')?.innerText || document.body.innerText",
    );
    // The last good page is still the one shown underneath.
    assert_eq!(browser.eval("document.body.innerText.includes('陈*华')"), true);
    site.write(HOUSEHOLDS, &good.replace("陈明华", "陈建国"));
    browser.wait_for(
        "!document.getElementById('starboard-overlay') && document.body.innerText.includes('陈*国')",
        LIMIT,
        "document.body.innerText",
    );
}
