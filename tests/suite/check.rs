//! `check` beyond what `build` does: it writes nothing, fails on a heavy
//! board, settles links across villages; and the progress bar both show.

use std::process::Command;

use crate::support::Site;

#[test]
fn check_validates_but_writes_nothing() {
    let site = Site::fixture("minimal");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.path("public").exists());
    site.write(&site.village("households.toml"), "period = \"twenty\"\n");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("households.toml:1:10"), "{}", run.stderr);
}

#[test]
fn heavy_village_board_warns_on_build_and_fails_check_issue_4() {
    let site = Site::fixture("minimal");
    // A stylesheet of 60 KB puts every board over the 50 KB budget.
    let padding = format!("/* {} */\n", "x".repeat(60 * 1024));
    let css = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/static/style.css")).unwrap();
    site.write("themes/default/static/style.css", &format!("{css}{padding}"));
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("警告: 这个页面连同样式表共"), "{}", run.stderr);
    assert!(
        run.stderr.contains("ceshixian/ceshizhen/ceshicun/index.html"),
        "{}",
        run.stderr
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("错误: 这个页面连同样式表共"), "{}", run.stderr);
    // Without the padding the same site is within budget.
    std::fs::remove_file(site.path("themes/default/static/style.css")).unwrap();
    assert_eq!(site.run(&["check"]).code, 0);
}

/// The progress bar is for people at a terminal: a piped build (scripts, CI)
/// never gets one, a build on a terminal does (the delay is set to zero so a
/// small fixture build is long enough to show it).
#[test]
fn progress_bar_only_on_a_terminal() {
    let site = Site::fixture("minimal");
    let bin = env!("CARGO_BIN_EXE_starboard");
    let piped = Command::new(bin)
        .arg("build")
        .env("STARBOARD_PROGRESS_AFTER_MS", "0")
        .current_dir(site.dir.path())
        .output()
        .unwrap();
    assert!(piped.status.success());
    let stderr = String::from_utf8_lossy(&piped.stderr);
    assert!(!stderr.contains('\u{1b}'), "no terminal codes when piped: {stderr:?}");
    assert!(!stderr.contains("生成 ["), "{stderr:?}");

    // `script` (util-linux) runs the build on a pseudo-terminal.
    let on_terminal = Command::new("script")
        .args(["-qec", &format!("{bin} build"), "/dev/null"])
        .env("STARBOARD_PROGRESS_AFTER_MS", "0")
        .current_dir(site.dir.path())
        .output();
    let Ok(on_terminal) = on_terminal else {
        println!("skipped the terminal half: `script` is not installed");
        return;
    };
    assert!(on_terminal.status.success());
    let shown = String::from_utf8_lossy(&on_terminal.stdout);
    // The fixture is a Chinese site: its stages are named in Chinese.
    let stage_shown = ["读取", "检查", "生成", "写入"].iter().any(|s| shown.contains(s));
    assert!(
        shown.contains('\u{1b}') && stage_shown,
        "a bar on a terminal: {shown:?}"
    );
}

/// `check` inspects each village's pages as they are rendered; a link to
/// another village's page is settled once every page is known, so it is not
/// reported, while a link to no page is.
#[test]
fn check_settles_links_between_villages() {
    let site = Site::fixture("minimal");
    site.write(
        "content/villages/测试县/测试镇/二村/village.toml",
        "name = \"二村\"\n[six_no]\nno_gangs = true\nno_drugs = true\n",
    );
    site.write(
        &site.village("news/links.md"),
        "+++\ntitle = \"邻村\"\ndate = 2022-11-03\n+++\n见[二村](../../ercun/)和[三村](../../sancun/)。\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "warnings only: {}", run.stderr);
    // At the link's line and column in the Markdown, as it is written there.
    assert!(
        run.stderr.contains("链接 `../../sancun/` 指向的页面不存在"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("测试村/news/links.md:5:26"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("ercun/`"),
        "the other village's board exists: {}",
        run.stderr
    );
    assert!(site.run(&["build"]).code == 0 && site.public("ceshixian/ceshizhen/ercun/index.html").contains("二村"));
}

/// Text that only looks like a link is not checked: code spans, code
/// blocks and escaped brackets (issue 12).
#[test]
fn check_ignores_link_lookalikes_in_code_and_escaped_text() {
    let site = Site::fixture("minimal");
    site.write(
        &site.village("news/code.md"),
        "+++\ntitle = \"代码\"\ndate = 2022-11-03\n+++\n写法是 `<a href=\"nowhere/\">` 或 `[x](gone/)`，\\[不是链接\\](lost/)。\n\n```\n[y](missing/)\n```\n\n真的坏链接：[z](absent/)\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for fake in ["nowhere/", "gone/", "lost/", "missing/"] {
        assert!(!run.stderr.contains(fake), "{fake}: {}", run.stderr);
    }
    assert!(run.stderr.contains("链接 `absent/` 指向的页面不存在"), "{}", run.stderr);
    assert!(run.stderr.contains("news/code.md:11:11"), "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("警告:").count(),
        1,
        "one warning only: {}",
        run.stderr
    );
}
