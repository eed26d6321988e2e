//! The HTTP/1.1 side of the preview: accepting connections within bounds,
//! reading a request head within a time and size limit, refusing methods
//! and Host names it does not serve, and writing whole responses.

use std::io::{Read, Write};
use std::net::{IpAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::{EVENTS_PATH, Live, ServeOptions, file_response, stream_events};
use crate::wording::{Say, say};

/// Connections served at once; more are answered 503 and closed, so a flood
/// of clients cannot take every thread or file descriptor.
pub const MAX_CONNECTIONS: usize = 512;
/// A request's line and headers may take this long and this many bytes;
/// a client that sends slower or more is answered 408 or 431 and dropped.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
pub const MAX_HEAD_BYTES: usize = 16 * 1024;
/// A reader that stops reading is dropped after this long.
const WRITE_TIMEOUT: Duration = Duration::from_secs(20);

/// What every connection's thread reads.
pub(super) struct Shared {
    pub(super) options: ServeOptions,
    pub(super) live: Live,
    pub(super) lan: Option<IpAddr>,
    pub(super) active: AtomicUsize,
}

pub(super) fn accept_forever(listener: &TcpListener, shared: &Arc<Shared>) {
    loop {
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            // Out of descriptors (EMFILE, ENFILE) or a connection that went
            // away before it was taken: wait a little and go on listening.
            Err(_) => {
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
        };
        if shared.active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            shared.active.fetch_sub(1, Ordering::SeqCst);
            let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
            let _ = respond(
                &stream,
                &Reply::plain(503, &say(shared.options.lang, Say::ServerBusy)),
                false,
            );
            continue;
        }
        let for_thread = Arc::clone(shared);
        let spawned = std::thread::Builder::new().spawn(move || {
            serve_connection(stream, &for_thread);
            for_thread.active.fetch_sub(1, Ordering::SeqCst);
        });
        if spawned.is_err() {
            // No thread to be had: the stream was dropped with the closure.
            shared.active.fetch_sub(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// One request, then the connection is closed (`Connection: close`): a
/// preview needs no keep-alive, and closing bounds what a client can hold.
fn serve_connection(stream: TcpStream, shared: &Shared) {
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let request = match read_head(&stream) {
        Ok(r) => r,
        Err(status) => {
            let _ = respond(&stream, &Reply::plain(status, reason(status)), false);
            return;
        }
    };
    let head = request.method == "HEAD";
    if request.method != "GET" && !head {
        let mut reply = Reply::plain(405, &say(shared.options.lang, Say::OnlyGetAndHead));
        reply.headers.push(("Allow", "GET, HEAD".into()));
        let _ = respond(&stream, &reply, false);
        return;
    }
    let local = stream.local_addr().ok().map(|a| a.ip());
    if !host_names_this_machine(request.host.as_deref(), local, shared.lan) {
        let _ = respond(
            &stream,
            &Reply::plain(403, &say(shared.options.lang, Say::UnknownHost)),
            false,
        );
        return;
    }
    let url = request.target.split(['?', '#']).next().unwrap_or("/").to_string();
    if url == EVENTS_PATH && !head {
        stream_events(stream, &shared.live);
    } else {
        let _ = respond(&stream, &file_response(&url, &shared.options, &shared.live), head);
    }
}

/// A request's method, target and Host header.
#[derive(Debug, PartialEq, Eq)]
struct RequestHead {
    method: String,
    target: String,
    host: Option<String>,
}

/// Read up to the blank line that ends the headers, within [`HEAD_TIMEOUT`]
/// and [`MAX_HEAD_BYTES`]; the error is the status to answer with.
fn read_head(mut stream: &TcpStream) -> Result<RequestHead, u16> {
    let started = Instant::now();
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        if let Some(end) = find_blank_line(&buf) {
            return parse_head(&buf[..end]).ok_or(400);
        }
        if buf.len() > MAX_HEAD_BYTES {
            return Err(431);
        }
        let left = HEAD_TIMEOUT
            .checked_sub(started.elapsed())
            .filter(|d| !d.is_zero())
            .ok_or(408u16)?;
        stream.set_read_timeout(Some(left)).map_err(|_| 400u16)?;
        match stream.read(&mut chunk) {
            Ok(0) => return Err(400),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                return Err(408);
            }
            Err(_) => return Err(400),
        }
    }
}

fn find_blank_line(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n")
}

fn parse_head(bytes: &[u8]) -> Option<RequestHead> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut lines = text.split("\r\n");
    let mut parts = lines.next()?.split(' ');
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !version.starts_with("HTTP/1.") || !target.starts_with('/') {
        return None;
    }
    let mut host = None;
    for line in lines {
        let (name, value) = line.split_once(':')?;
        if name.eq_ignore_ascii_case("host") {
            host = Some(value.trim().to_string());
        }
    }
    Some(RequestHead {
        method: method.to_string(),
        target: target.to_string(),
        host,
    })
}

/// Whether a Host header names this machine: localhost, a loopback address,
/// the address the client connected to, or the --lan address. Anything else
/// is a page elsewhere trying to reach the preview through its own domain
/// name (DNS rebinding).
fn host_names_this_machine(host: Option<&str>, local: Option<IpAddr>, lan: Option<IpAddr>) -> bool {
    let Some(host) = host else {
        return false;
    };
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(n, port)| {
            if port.chars().all(|c| c.is_ascii_digit()) {
                n
            } else {
                host
            }
        }),
    };
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let Ok(ip) = name.parse::<IpAddr>() else {
        return false;
    };
    ip.is_loopback() || Some(ip) == local || Some(ip) == lan
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        _ => "Service Unavailable",
    }
}

/// A whole response, held in memory (preview pages are small).
pub(super) struct Reply {
    pub(super) status: u16,
    pub(super) headers: Vec<(&'static str, String)>,
    pub(super) body: Vec<u8>,
}

impl Reply {
    fn plain(status: u16, text: &str) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type", "text/plain; charset=utf-8".into())],
            body: text.as_bytes().to_vec(),
        }
    }
}

fn respond(mut stream: &TcpStream, reply: &Reply, head_only: bool) -> std::io::Result<()> {
    use std::fmt::Write as _;
    let mut out = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (name, value) in &reply.headers {
        let _ = write!(out, "{name}: {value}\r\n");
    }
    let _ = write!(
        out,
        "Content-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        reply.body.len()
    );
    stream.write_all(out.as_bytes())?;
    if !head_only {
        stream.write_all(&reply.body)?;
    }
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_request_line_and_host() {
        let head = parse_head(b"GET /a/b?x=1 HTTP/1.1\r\nUser-Agent: x\r\nhost: 127.0.0.1:1111").unwrap();
        assert_eq!(
            head,
            RequestHead {
                method: "GET".into(),
                target: "/a/b?x=1".into(),
                host: Some("127.0.0.1:1111".into()),
            }
        );
        for bad in [
            &b"GET /"[..],
            b"GET / HTTP/2",
            b"GET http://x/ HTTP/1.1",
            b"GET / HTTP/1.1\r\nno colon",
        ] {
            assert_eq!(parse_head(bad), None, "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn only_names_of_this_machine_are_hosts() {
        let local: Option<IpAddr> = Some("10.0.0.5".parse().unwrap());
        let lan: Option<IpAddr> = Some("192.168.1.20".parse().unwrap());
        for good in [
            "localhost",
            "LOCALHOST:1111",
            "127.0.0.1:80",
            "[::1]:1111",
            "10.0.0.5",
            "192.168.1.20:1111",
        ] {
            assert!(host_names_this_machine(Some(good), local, lan), "{good}");
        }
        for bad in [
            "evil.example",
            "localhost.evil.example:1111",
            "192.168.1.21:1111",
            "[::2]:80",
            "",
        ] {
            assert!(!host_names_this_machine(Some(bad), local, lan), "{bad}");
        }
        assert!(!host_names_this_machine(None, local, lan));
    }
}
