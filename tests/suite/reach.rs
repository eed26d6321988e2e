//! Content cannot reach outside the site (issue 10): links that leave the
//! site folder, pipes, sockets and devices are refused with a located
//! problem and never opened; only files a page can show are published.

use std::os::unix::fs::symlink;
use std::time::Duration;

use crate::support::Site;

const LIMIT: Duration = Duration::from_secs(60);

/// A roster outside the site, with a name that must never be published.
fn outside_roster(site: &Site) -> std::path::PathBuf {
    let outside = site.path("../outside-roster.toml");
    std::fs::write(
        &outside,
        "period = \"2026\"\n[[household]]\nid = \"X1\"\nhead = \"外泄名\"\ngrid = 1\nstars = []\n",
    )
    .unwrap();
    outside
}

#[test]
fn links_out_of_the_site_at_fixed_names_are_refused_and_never_read() {
    let site = Site::fixture("minimal");
    assert_eq!(site.build().code, 0);
    let before = site.snapshot();
    let secret_home = site.path("../outside-home.md");
    std::fs::write(&secret_home, "外部首页文字").unwrap();
    let roster = outside_roster(&site);
    std::fs::remove_file(site.path("content/_index.md")).ok();
    symlink(&secret_home, site.path("content/_index.md")).unwrap();
    let households = site.path(&site.village("households.toml"));
    std::fs::remove_file(&households).unwrap();
    symlink(&roster, &households).unwrap();
    for command in ["build", "check"] {
        let run = site.run_within(&[command], LIMIT);
        assert_eq!(run.code, 1, "{command}: {}", run.stderr);
        assert!(
            run.stderr.contains("--> content/_index.md") && run.stderr.contains("网站文件夹以外"),
            "{command}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains(&format!("--> {}", site.village("households.toml"))),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains("外泄名") && !run.stderr.contains("外部首页文字"));
    }
    assert_eq!(site.snapshot(), before, "public/ unchanged");
}

#[test]
fn a_link_to_proc_environ_never_prints_the_environment() {
    let site = Site::fixture("minimal");
    let households = site.path(&site.village("households.toml"));
    std::fs::remove_file(&households).unwrap();
    symlink("/proc/self/environ", &households).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_starboard"))
        .arg("build")
        .current_dir(site.dir.path())
        .env("CI_SECRET_TOKEN", "hunter2-do-not-print")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("/proc/self/environ"), "names where it leads: {stderr}");
    assert!(
        !stderr.contains("hunter2") && !stderr.contains("CI_SECRET_TOKEN"),
        "{stderr}"
    );
}

#[test]
fn links_inside_the_site_are_followed_and_loops_refused() {
    let site = Site::fixture("minimal");
    let village = site.path(&site.village(""));
    std::fs::write(site.path("content/shared.png"), b"\x89PNG\r\n\x1a\nnot really").unwrap();
    symlink(site.path("content/shared.png"), village.join("徽标.png")).unwrap();
    let run = site.run_within(&["build"], LIMIT);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.path("public/ceshixian/ceshizhen/ceshicun/徽标.png").is_file());

    symlink(&village, village.join("loop")).unwrap();
    symlink("/etc", village.join("etc")).unwrap();
    let run = site.run_within(&["build"], LIMIT);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("--> {}", site.village("loop"))),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("绕回自己"), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("--> {}", site.village("etc"))),
        "{}",
        run.stderr
    );
    assert!(!site.path("public/ceshixian/ceshizhen/ceshicun/etc").exists());
}

#[test]
fn links_out_of_the_theme_folder_are_refused() {
    let site = Site::fixture("minimal");
    let outside = site.path("../outside-template.html");
    std::fs::write(&outside, "{{ site.title }} 外部模板").unwrap();
    std::fs::create_dir_all(site.path("themes/default/templates")).unwrap();
    symlink(&outside, site.path("themes/default/templates/home.html")).unwrap();
    let run = site.run_within(&["build"], LIMIT);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("--> themes/default/templates/home.html") && run.stderr.contains("网站文件夹以外"),
        "{}",
        run.stderr
    );
    assert!(!site.path("public").exists(), "nothing published");
}

#[test]
fn pipes_and_sockets_are_refused_without_opening_them() {
    let site = Site::fixture("minimal");
    let fifo = site.path("content/news/管道.md");
    let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o644) }, 0);
    let socket = site.path(&site.village("news/zz.md"));
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    for command in ["build", "check"] {
        // A FIFO opened for reading blocks until a writer comes: the
        // command finishing at all is the point.
        let run = site.run_within(&[command], LIMIT);
        assert_eq!(run.code, 1, "{command}: {}", run.stderr);
        assert!(run.stderr.contains("--> content/news/管道.md"), "{}", run.stderr);
        assert!(run.stderr.contains("命名管道"), "{}", run.stderr);
        assert!(run.stderr.contains(&format!("--> {}", site.village("news/zz.md"))));
        assert!(run.stderr.contains("套接字"), "{}", run.stderr);
    }
}

/// Files that name people and must never be published.
/// (households.xlsx itself is read as the roster: see tests/suite/sheets.rs.)
const PRIVATE: [&str; 6] = [
    "名册.xlsx",
    "~$households.xlsx",
    "名单.csv",
    "总结.docx",
    "照片.zip",
    "备份.bak",
];

#[test]
fn only_files_a_page_can_show_are_published() {
    let site = Site::fixture("minimal");
    let village = site.path(&site.village(""));
    for private in PRIVATE {
        std::fs::write(village.join(private), "陈明华 全名 13800000000").unwrap();
    }
    std::fs::write(village.join("说明.pdf"), b"%PDF-1.4").unwrap();
    std::fs::write(village.join("宣传.mp3"), b"ID3").unwrap();
    let run = site.run_within(&["build"], LIMIT);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let public = site.path("public/ceshixian/ceshizhen/ceshicun");
    let published: Vec<String> = std::fs::read_dir(&public)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(published.contains(&"说明.pdf".to_string()), "{published:?}");
    for never in PRIVATE {
        assert!(
            !published.contains(&never.to_string()),
            "{never} published: {published:?}"
        );
    }
    // An unknown kind is not published, and staff are told which file.
    assert!(!published.contains(&"宣传.mp3".to_string()));
    assert!(
        run.stderr.contains(&format!("--> {}", site.village("宣传.mp3"))) && run.stderr.contains("不会被发布"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("households.xlsx"),
        "known private kinds are left out quietly"
    );

    // A theme that plays audio declares it, and then it is published.
    site.write("themes/default/theme.toml", "publish = [\"mp3\"]\n");
    let run = site.run_within(&["build"], LIMIT);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(public.join("宣传.mp3").is_file());
    assert!(!run.stderr.contains("不会被发布"), "{}", run.stderr);
}

#[test]
fn control_characters_in_file_names_are_escaped_on_the_terminal() {
    let site = Site::fixture("minimal");
    site.write("content/news/\u{1b}[31mred.md", "+++\ntitle = \"x\"\n");
    let run = site.run_within(&["build"], LIMIT);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains('\u{1b}'), "no raw escape reaches the terminal");
    assert!(run.stderr.contains("\\u{1b}[31mred.md"), "{}", run.stderr);
}
