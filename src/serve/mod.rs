//! The preview server: serves the output folder over HTTP/1.1, at `/`
//! and under base_url's path, injects a small live-reload script into HTML
//! responses, and pushes "reload" or "problems" to open pages over
//! server-sent events. The files on disk stay exactly what `build` writes.

use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

mod http;

pub use http::{HEAD_TIMEOUT, MAX_CONNECTIONS, MAX_HEAD_BYTES};
use http::{Reply, Shared, accept_forever};

use crate::error::Lang;
use crate::wording::{Say, say};

/// The path the live-reload event stream is served at.
pub const EVENTS_PATH: &str = "/__starboard/events";

/// What open pages should show: a build generation and the last problems.
#[derive(Debug, Default, Clone)]
struct LiveState {
    generation: u64,
    /// The report of a failed rebuild, shown as an overlay; None when good.
    problems: Option<String>,
}

/// Shared between the rebuild loop and the event streams of open pages.
#[derive(Clone, Default)]
pub struct Live {
    inner: Arc<(Mutex<LiveState>, Condvar)>,
}

impl Live {
    /// A rebuild succeeded: pages reload and drop any overlay.
    pub fn built(&self) {
        self.update(None);
    }

    /// A rebuild failed: pages show `report` over the last good site.
    pub fn failed(&self, report: String) {
        self.update(Some(report));
    }

    fn update(&self, problems: Option<String>) {
        let (lock, cvar) = &*self.inner;
        let mut state = lock
            .lock()
            .expect("live state lock is never poisoned: no panics while held");
        state.generation += 1;
        state.problems = problems;
        cvar.notify_all();
    }

    fn snapshot(&self) -> LiveState {
        self.inner.0.lock().expect("live state lock is never poisoned").clone()
    }

    /// Wait until the generation passes `seen`, or `timeout` (for heartbeats).
    fn wait_past(&self, seen: u64, timeout: Duration) -> LiveState {
        let (lock, cvar) = &*self.inner;
        let guard = lock.lock().expect("live state lock is never poisoned");
        let (state, _) = cvar
            .wait_timeout_while(guard, timeout, |s| s.generation <= seen)
            .expect("live state lock is never poisoned");
        state.clone()
    }
}

/// base_url's path (`/` or `/sub/`), shared with the rebuild loop, which
/// sets it from site.toml after every good rebuild.
#[derive(Clone, Default)]
pub struct BasePath(Arc<Mutex<String>>);

impl BasePath {
    /// Set the path; None (no site.toml read yet) means `/`.
    pub fn set(&self, path: Option<&str>) {
        *self.0.lock().expect("no panic while holding the base path") = path.unwrap_or("/").to_string();
    }

    pub fn get(&self) -> String {
        let path = self.0.lock().expect("no panic while holding the base path").clone();
        if path.is_empty() { "/".to_string() } else { path }
    }
}

/// Where to listen and what to serve.
pub struct ServeOptions {
    pub output: PathBuf,
    /// Pages are served at `/` and under base_url's path too.
    pub base_path: BasePath,
    /// Serving the local network too: the machine's LAN address is a Host
    /// pages may be asked for by.
    pub lan: bool,
    /// The site's language, for what the server itself says.
    pub lang: Lang,
}

pub struct Preview {
    listener: TcpListener,
    pub addr: SocketAddr,
}

impl Preview {
    /// Bind the address (fails when the port is taken).
    pub fn bind(addr: SocketAddr) -> std::io::Result<Preview> {
        let listener = TcpListener::bind(addr)?;
        let addr = listener.local_addr().unwrap_or(addr);
        Ok(Preview { listener, addr })
    }

    /// Accept connections on a background thread and serve each on a thread
    /// of its own, at most [`MAX_CONNECTIONS`] at once (event streams stay
    /// open for as long as the page does). When the process runs out of file
    /// descriptors, accepting pauses and resumes once some are free: the
    /// server never stops listening.
    pub fn start(&self, options: ServeOptions, live: Live) {
        let listener = match self.listener.try_clone() {
            Ok(l) => l,
            Err(e) => {
                eprintln!("{}", say(options.lang, Say::CannotListen(&self.addr, &e)));
                return;
            }
        };
        let lan = options.lan.then(lan_address).flatten();
        let shared = Arc::new(Shared {
            options,
            live,
            lan,
            active: AtomicUsize::new(0),
        });
        std::thread::spawn(move || accept_forever(&listener, &shared));
    }
}

/// Hold the connection open and write one event per rebuild, flushing each
/// at once. Ends when the page goes away and a write fails.
fn stream_events(mut stream: TcpStream, live: &Live) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    let mut events = EventStream::new(live.clone());
    let mut chunk = head.to_string();
    loop {
        chunk.push_str(&events.next_event());
        if stream
            .write_all(chunk.as_bytes())
            .and_then(|()| stream.flush())
            .is_err()
        {
            return;
        }
        chunk.clear();
    }
}

/// The file for a URL path: under base_path or at `/`, folders give their
/// index.html, anything missing gives 404.html with status 404.
fn file_response(url: &str, options: &ServeOptions, live: &Live) -> Reply {
    let base = options.base_path.get();
    let found = resolve(&options.output, url, &base).and_then(|p| std::fs::read(&p).ok().map(|b| (p, b)));
    let (status, path, bytes) = match found {
        Some((p, b)) => (200, p, b),
        None => {
            let p = options.output.join("404.html");
            let b = std::fs::read(&p).unwrap_or_else(|_| b"404".to_vec());
            (404, p, b)
        }
    };
    let kind = content_type(&path);
    let body = if kind.starts_with("text/html") {
        inject_live_reload(bytes, live.snapshot().generation, options.lang)
    } else {
        bytes
    };
    Reply {
        status,
        headers: vec![("Content-Type", kind.to_string())],
        body,
    }
}

/// Map a URL path to a file inside `root`, or None. Rejects `..` and anything
/// that would leave the output folder.
pub fn resolve(root: &Path, url: &str, base_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url)?;
    let base = base_path.trim_end_matches('/');
    let rel = if !base.is_empty() && (decoded == base || decoded.starts_with(&format!("{base}/"))) {
        &decoded[base.len()..]
    } else {
        decoded.as_str()
    };
    let rel = Path::new(rel.trim_start_matches('/'));
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return None;
    }
    let path = root.join(rel);
    if path.is_dir() {
        let index = path.join("index.html");
        return index.is_file().then_some(index);
    }
    path.is_file().then_some(path)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    crate::mime::content_type(&path.to_string_lossy())
}

/// The live-reload client: reload on a good rebuild, show the problems over
/// the page on a bad one. Added to served HTML only, never written to disk.
const LIVE_RELOAD: &str = include_str!("live_reload.html");

fn inject_live_reload(mut html: Vec<u8>, generation: u64, lang: Lang) -> Vec<u8> {
    let needle = b"</body>";
    let at = html
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
        .unwrap_or(html.len());
    let script = LIVE_RELOAD
        .replace("__STARBOARD_GENERATION__", &generation.to_string())
        .replace("__STARBOARD_NOT_UPDATED__", &say(lang, Say::PreviewNotUpdated));
    html.splice(at..at, script.bytes());
    html
}

/// A server-sent event stream: first the current state, then one event per
/// rebuild, with a comment line every 15 s so dead connections are noticed.
struct EventStream {
    live: Live,
    seen: u64,
    started: bool,
}

impl EventStream {
    fn new(live: Live) -> EventStream {
        let seen = live.snapshot().generation;
        EventStream {
            live,
            seen,
            started: false,
        }
    }

    fn next_event(&mut self) -> String {
        if !self.started {
            self.started = true;
            let state = self.live.snapshot();
            return match state.problems {
                Some(p) => sse("problems", &p),
                None => sse("hello", &state.generation.to_string()),
            };
        }
        let state = self.live.wait_past(self.seen, Duration::from_secs(15));
        if state.generation == self.seen {
            return ": ping\n\n".to_string();
        }
        self.seen = state.generation;
        match state.problems {
            Some(p) => sse("problems", &p),
            None => sse("reload", ""),
        }
    }
}

fn sse(event: &str, data: &str) -> String {
    let mut out = format!("event: {event}\n");
    for line in data.split('\n') {
        out.push_str("data: ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out
}

/// This machine's address on the local network: the source address the
/// system would use to reach another host (no packet is sent).
pub fn lan_address() -> Option<IpAddr> {
    let socket = UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("192.168.0.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

/// A QR code of `text` for the terminal, two rows of modules per line
/// (`▀` with the top module as the text colour and the bottom one as the
/// background). The colours are set explicitly, black on white with a
/// white quiet zone, so phones read it on dark and light terminals alike.
pub fn terminal_qr(text: &str) -> Option<String> {
    use std::fmt::Write as _;
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    let (width, colors) = (code.width(), code.to_colors());
    let quiet = 4;
    let size = width + 2 * quiet;
    let dark = |x: usize, y: usize| {
        (quiet..quiet + width).contains(&x)
            && (quiet..quiet + width).contains(&y)
            && colors[(y - quiet) * width + (x - quiet)] == qrcode::Color::Dark
    };
    let mut out = String::new();
    for y in (0..size).step_by(2) {
        for x in 0..size {
            let fg = if dark(x, y) { 30 } else { 97 };
            let bg = if dark(x, y + 1) { 40 } else { 107 };
            let _ = write!(out, "\x1b[{fg};{bg}m\u{2580}");
        }
        out.push_str("\x1b[0m\n");
    }
    Some(out)
}

#[cfg(test)]
mod tests;
