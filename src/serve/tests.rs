use super::*;

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
    std::fs::write(dir.path().join("index.html"), "home").unwrap();
    std::fs::write(dir.path().join("a/b/index.html"), "b").unwrap();
    std::fs::write(dir.path().join("a/照片.svg"), "svg").unwrap();
    dir
}

#[test]
fn resolves_at_root_and_under_base_path() {
    let dir = site();
    let root = dir.path();
    assert_eq!(resolve(root, "/", "/"), Some(root.join("index.html")));
    assert_eq!(resolve(root, "/a/b/", "/"), Some(root.join("a/b/index.html")));
    assert_eq!(resolve(root, "/sub/a/b/", "/sub/"), Some(root.join("a/b/index.html")));
    assert_eq!(resolve(root, "/sub", "/sub/"), Some(root.join("index.html")));
    assert_eq!(resolve(root, "/a/b/", "/sub/"), Some(root.join("a/b/index.html")));
    assert_eq!(
        resolve(root, "/a/%E7%85%A7%E7%89%87.svg", "/"),
        Some(root.join("a/照片.svg"))
    );
}

#[test]
fn refuses_to_leave_the_output_folder() {
    let dir = site();
    assert_eq!(resolve(&dir.path().join("a"), "/../index.html", "/"), None);
    assert_eq!(resolve(dir.path(), "/a/%2e%2e/%2e%2e/etc/passwd", "/"), None);
    assert_eq!(resolve(dir.path(), "/missing/", "/"), None);
    assert_eq!(resolve(dir.path(), "/%zz", "/"), None);
}

#[test]
fn injects_the_script_before_body_end() {
    let html = inject_live_reload(b"<html><body><p>x</p></body></html>".to_vec(), 7, Lang::Zh);
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains(EVENTS_PATH));
    assert!(
        html.contains("预览没有更新") && !html.contains("Preview not updated"),
        "in the site's language"
    );
    assert!(html.contains(r#"var generation = "7";"#), "the page knows its build");
    assert!(html.ends_with("</script>\n</body></html>"), "{html}");
}

#[test]
fn a_new_stream_says_which_build_is_current() {
    let live = Live::default();
    live.built();
    live.built();
    assert_eq!(EventStream::new(live).next_event(), "event: hello\ndata: 2\n\n");
}

#[test]
fn event_stream_reports_state_then_changes() {
    let live = Live::default();
    live.failed("错误: x\n--> a.toml:1:1".into());
    let mut stream = EventStream::new(live.clone());
    assert_eq!(
        stream.next_event(),
        "event: problems\ndata: 错误: x\ndata: --> a.toml:1:1\n\n"
    );
    live.built();
    assert_eq!(stream.next_event(), "event: reload\ndata: \n\n");
}

/// Read the terminal drawing back into modules: `ESC[fg;bgm▀` per cell.
fn modules_drawn(qr: &str) -> Vec<Vec<bool>> {
    let mut rows = Vec::new();
    for line in qr.lines() {
        let (mut top, mut bottom) = (Vec::new(), Vec::new());
        for cell in line.split('\u{1b}').filter(|c| c.ends_with('\u{2580}')) {
            let codes = cell.trim_start_matches('[').trim_end_matches("m\u{2580}");
            let (fg, bg) = codes.split_once(';').unwrap();
            top.push(fg == "30");
            bottom.push(bg == "40");
        }
        rows.push(top);
        rows.push(bottom);
    }
    rows
}

#[test]
fn terminal_qr_is_black_on_white_with_a_quiet_zone() {
    let url = "http://192.168.1.20:1111/";
    let drawn = modules_drawn(&terminal_qr(url).unwrap());
    let code = qrcode::QrCode::new(url.as_bytes()).unwrap();
    let width = code.width();
    let expected: Vec<bool> = code.to_colors().iter().map(|c| *c == qrcode::Color::Dark).collect();
    for y in 0..width {
        assert_eq!(
            &drawn[y + 4][4..4 + width],
            &expected[y * width..(y + 1) * width],
            "row {y}"
        );
    }
    let quiet_rows = [0, 1, 2, 3, width + 4, width + 5, width + 6, width + 7];
    for y in quiet_rows {
        assert!(drawn[y].iter().all(|dark| !dark), "quiet row {y} is white");
    }
    assert!(
        drawn.iter().all(|row| row[..4].iter().all(|d| !d)),
        "quiet columns are white"
    );
}
