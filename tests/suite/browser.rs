//! A real headless Chromium driven over the DevTools protocol, for the tests
//! that must see what a page does by itself. Tests that need it skip with a
//! printed reason when Chromium is absent, and fail instead under CI=true.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::{Message, WebSocket, stream::MaybeTlsStream};

/// The Chromium binary, or None (with the reason printed) when the test should skip.
pub fn chromium() -> Option<String> {
    let candidates = ["chromium", "chromium-browser", "google-chrome"];
    let found = std::env::var("STARBOARD_CHROMIUM").ok().into_iter().chain(
        candidates
            .iter()
            .filter(|c| {
                Command::new(c)
                    .arg("--version")
                    .output()
                    .is_ok_and(|o| o.status.success())
            })
            .map(|c| c.to_string()),
    );
    let found = found.into_iter().next();
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "Chromium is required under CI=true (apt-get install -y chromium)"
        );
        eprintln!("skipping: Chromium not found (install Debian's chromium to run browser tests)");
    }
    found
}

pub struct Browser {
    child: Child,
    socket: WebSocket<MaybeTlsStream<TcpStream>>,
    next_id: u64,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Start headless Chromium on `url` and attach to that page.
    pub fn open(binary: &str, url: &str) -> Browser {
        Browser::open_sized(binary, url, 390, 844)
    }

    /// Like `open`, with the window (the phone's screen) `width`×`height`.
    pub fn open_sized(binary: &str, url: &str, width: u32, height: u32) -> Browser {
        Browser::open_with(binary, url, width, height, &[])
    }

    /// Like `open_sized`, with more command-line switches (a user agent,
    /// V8 flags).
    pub fn open_with(binary: &str, url: &str, width: u32, height: u32, extra: &[&str]) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
                "--hide-scrollbars",
            ])
            .arg(format!("--window-size={width},{height}"))
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(extra)
            .arg(url)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("chromium starts");
        let devtools = devtools_address(&mut child);
        let socket_url = page_socket(&devtools, url);
        let (socket, _) = tungstenite::connect(socket_url.as_str()).expect("DevTools websocket");
        Browser {
            child,
            socket,
            next_id: 1,
            _profile: profile,
        }
    }

    /// Call a DevTools protocol method on the page; returns its result.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let call = json!({ "id": id, "method": method, "params": params });
        self.socket.send(Message::text(call.to_string())).unwrap();
        loop {
            let message = self.socket.read().unwrap();
            let Message::Text(text) = message else { continue };
            let reply: Value = serde_json::from_str(text.as_str()).unwrap();
            if reply["id"] == id {
                assert!(reply.get("error").is_none(), "{method} failed: {reply}");
                return reply["result"].clone();
            }
        }
    }

    /// The text of the one QR code drawn by the element `selector`, from a
    /// screenshot of it (decoded by rqrr).
    pub fn decode_qr(&mut self, selector: &str) -> String {
        let rect = self.eval(&format!(
            "(() => {{ const q = document.querySelector({}); q.scrollIntoView(); \
             const r = q.getBoundingClientRect(); return [r.x + scrollX, r.y + scrollY, r.width, r.height]; }})()",
            json!(selector)
        ));
        let [x, y, w, h] = [0, 1, 2, 3].map(|i| rect[i].as_f64().unwrap());
        let shot = self.call(
            "Page.captureScreenshot",
            json!({ "format": "png", "captureBeyondViewport": true,
                    "clip": { "x": x, "y": y, "width": w, "height": h, "scale": 2 } }),
        );
        let png = base64(shot["data"].as_str().unwrap());
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut pixels).unwrap();
        let channels = info.line_size / info.width as usize;
        let (width, height) = (info.width as usize, info.height as usize);
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
            pixels[y * info.line_size + x * channels]
        });
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code in the screenshot of {selector}");
        grids[0].decode().unwrap().1
    }

    /// The page printed by Chromium (its CSS page size): the number of
    /// pages and the PDF's text.
    pub fn print_pages(&mut self) -> (usize, String) {
        let pdf = self.call(
            "Page.printToPDF",
            json!({ "preferCSSPageSize": true, "printBackground": true }),
        );
        let pdf = base64(pdf["data"].as_str().unwrap());
        let text = String::from_utf8_lossy(&pdf).into_owned();
        let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
        (pages, text)
    }

    /// Evaluate JavaScript in the page and return its value.
    pub fn eval(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
        );
        result["result"]["value"].clone()
    }

    /// Load `url` in this tab and wait until it has loaded.
    pub fn goto(&mut self, url: &str) {
        self.call("Page.navigate", json!({ "url": url }));
        self.wait_for(
            &format!("location.href === {} && document.readyState === 'complete'", json!(url)),
            Duration::from_secs(20),
            "location.href + ' ' + document.readyState",
        );
    }

    /// Poll `expression` until it is `true`, or fail after `limit` with what
    /// `describe` shows of the page.
    pub fn wait_for(&mut self, expression: &str, limit: Duration, describe: &str) {
        let deadline = Instant::now() + limit;
        loop {
            if self.eval(expression) == Value::Bool(true) {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "timed out waiting for `{expression}`; page shows: {}",
                    self.eval(describe)
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Chromium prints `DevTools listening on ws://127.0.0.1:PORT/devtools/browser/…`.
fn devtools_address(child: &mut Child) -> String {
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let line = lines
        .by_ref()
        .map_while(Result::ok)
        .find(|l| l.contains("DevTools listening on ws://"))
        .expect("chromium reports its DevTools address");
    // Keep draining stderr so Chromium never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    let rest = line.split("ws://").nth(1).unwrap();
    rest.split('/').next().unwrap().to_string()
}

/// The websocket of the page target showing `url`.
fn page_socket(devtools: &str, url: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let targets = http_get(devtools, "/json/list");
        let list: Value = serde_json::from_str(&targets).unwrap_or(Value::Null);
        let page = list.as_array().and_then(|a| {
            a.iter()
                .find(|t| t["type"] == "page" && t["url"].as_str().is_some_and(|u| u.starts_with(url)))
        });
        if let Some(page) = page {
            return page["webSocketDebuggerUrl"].as_str().unwrap().to_string();
        }
        assert!(Instant::now() < deadline, "no page for {url} in {targets}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A plain HTTP GET; returns the body. Reads by Content-Length, since
/// Chromium's DevTools server keeps connections open.
pub fn http_get(host: &str, path: &str) -> String {
    let stream = TcpStream::connect(host).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut writer = stream.try_clone().unwrap();
    write!(
        writer,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut length = None;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = Vec::new();
    match length {
        Some(n) => {
            body.resize(n, 0);
            reader.read_exact(&mut body).unwrap();
        }
        None => {
            reader.read_to_end(&mut body).unwrap();
        }
    }
    String::from_utf8(body).unwrap()
}

/// Standard base64 (as DevTools sends screenshots and PDFs) to bytes.
pub fn base64(text: &str) -> Vec<u8> {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut bits, mut count) = (0u32, 0);
    for c in text.bytes().filter(|c| *c != b'=') {
        let v = alphabet.iter().position(|a| *a == c).expect("base64 character") as u32;
        bits = (bits << 6) | v;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    out
}
