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
        Server::spawn(Command::new(env!("CARGO_BIN_EXE_starboard")), root, output)
    }

    /// Serve with at most `fds` open file descriptors (`ulimit -n`).
    fn start_with_fd_limit(root: &std::path::Path, fds: u32) -> Server {
        let mut command = Command::new("sh");
        command
            .args(["-c", &format!("ulimit -n {fds} && exec \"$0\" \"$@\"")])
            .arg(env!("CARGO_BIN_EXE_starboard"));
        Server::spawn(command, root, None)
    }

    fn spawn(mut command: Command, root: &std::path::Path, output: Option<&std::path::Path>) -> Server {
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
            .find(|l| l.contains("http://127.0.0.1:"))
            .expect("serve prints its address");
        // Edits count only once the watcher listens, which it says.
        lines
            .by_ref()
            .map_while(Result::ok)
            .find(|l| l.contains("Ctrl+C"))
            .expect("serve says when it watches");
        std::thread::spawn(move || lines.for_each(drop));
        // In the site's language: 预览地址：http://…
        assert!(line.starts_with("预览地址："), "{line}");
        let url = line[line.find("http://").unwrap()..].to_string();
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

/// Send `request` as it is and read the whole answer (the server closes
/// every connection after one response).
fn raw(host: &str, request: &[u8]) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    stream.set_read_timeout(Some(LIMIT)).unwrap();
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

fn status(answer: &str) -> &str {
    answer.split(' ').nth(1).unwrap_or("")
}

#[test]
fn only_get_and_head_are_answered() {
    let site = Site::fixture("minimal");
    let server = Server::start(&site);
    let host = &server.host;
    let get = raw(host, format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes());
    assert_eq!(status(&get), "200", "{get}");
    let head = raw(host, format!("HEAD / HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes());
    assert_eq!(status(&head), "200");
    assert!(head.ends_with("\r\n\r\n"), "HEAD has no body");
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        length,
        get.split_once("\r\n\r\n").unwrap().1.len(),
        "HEAD tells GET's length"
    );
    for method in ["POST", "PUT", "DELETE", "TRACE", "FOO"] {
        let answer = raw(host, format!("{method} / HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes());
        assert_eq!(status(&answer), "405", "{method}: {answer}");
        assert!(answer.contains("Allow: GET, HEAD"), "{answer}");
    }
}

#[test]
fn only_host_names_of_this_machine_are_served() {
    let site = Site::fixture("minimal");
    let server = Server::start(&site);
    let port = server.host.rsplit(':').next().unwrap();
    for good in [
        server.host.clone(),
        format!("localhost:{port}"),
        "localhost".into(),
        format!("[::1]:{port}"),
    ] {
        let answer = raw(
            &server.host,
            format!("GET / HTTP/1.1\r\nHost: {good}\r\n\r\n").as_bytes(),
        );
        assert_eq!(status(&answer), "200", "Host: {good}");
    }
    // A page elsewhere whose domain name was rebound to this machine.
    for bad in [
        format!("evil.example:{port}"),
        "192.0.2.7".into(),
        "localhost.evil.example".into(),
    ] {
        let answer = raw(
            &server.host,
            format!("GET / HTTP/1.1\r\nHost: {bad}\r\n\r\n").as_bytes(),
        );
        assert_eq!(status(&answer), "403", "Host: {bad}: {answer}");
        assert!(!answer.contains("<html"), "no page for {bad}");
    }
    let none = raw(&server.host, b"GET / HTTP/1.1\r\n\r\n");
    assert_eq!(status(&none), "403");
}

#[test]
fn oversized_headers_are_refused_without_being_kept() {
    let site = Site::fixture("minimal");
    let server = Server::start(&site);
    let host = &server.host;
    let mut request = format!("GET / HTTP/1.1\r\nHost: {host}\r\nX-Big: ").into_bytes();
    request.extend(std::iter::repeat_n(b'a', 4 * 1024 * 1024));
    let answer = raw(host, &request);
    assert_eq!(status(&answer), "431", "{}", &answer[..answer.len().min(200)]);
    let after = raw(host, format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes());
    assert_eq!(status(&after), "200", "still serving");
}

#[test]
fn slow_clients_do_not_block_others_and_are_dropped() {
    use std::io::{Read, Write};
    let site = Site::fixture("minimal");
    let server = Server::start(&site);
    let host = &server.host;
    // Clients that start a request and never finish it.
    let slow: Vec<std::net::TcpStream> = (0..100)
        .map(|_| {
            let mut s = std::net::TcpStream::connect(host).unwrap();
            s.write_all(b"GET / HTTP/1.1\r\nHost: ").unwrap();
            s
        })
        .collect();
    let answer = raw(host, format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes());
    assert_eq!(status(&answer), "200", "served while 100 clients dawdle");
    // Each slow one is answered 408 and closed once its time is up.
    let mut first = &slow[0];
    first.set_read_timeout(Some(LIMIT)).unwrap();
    let mut text = String::new();
    let _ = first.read_to_string(&mut text);
    assert_eq!(status(&text), "408", "{text}");
}

#[test]
fn the_server_survives_running_out_of_file_descriptors() {
    let site = Site::fixture("minimal");
    let server = Server::start_with_fd_limit(site.dir.path(), 64);
    let host = server.host.clone();
    // Far more connections than descriptors: the kernel queues them, the
    // server cannot take them all (accept fails with EMFILE).
    let idle: Vec<std::net::TcpStream> = (0..300)
        .filter_map(|_| std::net::TcpStream::connect(&host).ok())
        .collect();
    assert!(idle.len() > 64, "only {} connections made", idle.len());
    drop(idle);
    // Once they are gone, it answers again: poll until it does, or fail.
    let deadline = std::time::Instant::now() + LIMIT;
    loop {
        let answer = raw(&host, format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes());
        if status(&answer) == "200" {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "never answered again: {answer}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_preview_follows_a_new_base_url() {
    let site = Site::fixture("minimal");
    let server = Server::start(&site);
    let host = &server.host;
    let get = |path: &str| raw(host, format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes());
    assert_eq!(status(&get("/sub/news/")), "200", "served under site.toml's base_url");
    let toml = std::fs::read_to_string(site.path("content/site.toml")).unwrap();
    site.write("content/site.toml", &toml.replace("/sub/", "/neu/"));
    // The rebuild takes a moment: poll until the new path is served, or fail.
    let deadline = std::time::Instant::now() + LIMIT;
    while status(&get("/neu/news/")) != "200" {
        assert!(
            std::time::Instant::now() < deadline,
            "never served under the new base_url"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(status(&get("/sub/news/")), "404", "the old path is gone");
}
