//! What staff see when content is wrong: every problem at once, located,
//! with a hint, in the site's language; usage errors; status lines.

use crate::support::{Site, assert_matches_expected};

#[test]
fn unknown_star_is_reported_with_position_and_snippet() {
    let site = Site::fixture("minimal");
    let file = site.village("households.toml");
    let text = std::fs::read_to_string(site.path(&file)).unwrap();
    site.write(&file, &text.replacen("\"mutual-aid\"]", "\"mutual_aid\"]", 1));
    let run = site.build();
    assert_eq!(run.code, 1);
    assert_matches_expected("unknown_star", &run.stderr);
}

#[test]
fn personal_fields_are_rejected_with_the_reason() {
    let site = Site::fixture("minimal");
    let file = site.village("households.toml");
    let text = std::fs::read_to_string(site.path(&file)).unwrap();
    site.write(
        &file,
        &text.replacen(
            "grid = 1\n",
            "grid = 1\nphone = \"13800000000\"\nid_number = \"x\"\n",
            1,
        ),
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("个人信息保护法"));
    assert_matches_expected("personal_fields", &run.stderr);
}

#[test]
fn every_problem_in_every_file_is_reported_at_once() {
    let site = Site::fixture("minimal");
    site.write(
        &site.village("village.toml"),
        "name = \"测试村\"\ngridz = 2\n\n[six_no]\nno_gangs = true\n",
    );
    site.write(
        &site.village("points.toml"),
        "[[entry]]\nhousehold = \"t-999\"\ndate = 2022-02-30\nkind = \"award\"\nitem = \"volunteer\"\n\n[[entry]]\nhousehold = \"t-001\"\ndate = 2022-11-01\nkind = \"bonus\"\nitem = \"x\"\n",
    );
    site.write(
        "content/partners.toml",
        "[[partner]]\nid = \"p\"\nname = \"n\"\nkind = \"fuel\"\noffer = \"o\"\neligible = [\"nobody\"]\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert_matches_expected("many_problems", &run.stderr);
}

#[test]
fn messages_are_english_for_non_chinese_sites() {
    let site = Site::fixture("minimal");
    site.write(
        "content/site.toml",
        "title = \"t\"\nbase_url = \"https://example.org/\"\nlanguage = \"en\"\n",
    );
    site.write(
        &site.village("village.toml"),
        "name = \"测试村\"\n[six_no]\nno_gangs = true\nno_drugs = maybe\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert_matches_expected("english_syntax_error", &run.stderr);
}

#[test]
fn household_ids_are_per_village() {
    let site = Site::fixture("minimal");
    let other = "content/villages/测试县/测试镇/二村";
    site.write(
        &format!("{other}/village.toml"),
        "name = \"二村\"\n[six_no]\nno_gangs = true\nno_drugs = false\n",
    );
    site.write(
        &format!("{other}/households.toml"),
        "period = \"2022\"\n[[household]]\nid = \"t-001\"\nhead = \"王五\"\nstars = [\"law\", \"hygiene\"]\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "the same id in two villages is fine: {}", run.stderr);
    site.write(&format!("{other}/households.toml"), "period = \"2022\"\n[[household]]\nid = \"t-001\"\nhead = \"王五\"\n[[household]]\nid = \"t-001\"\nhead = \"赵六\"\n");
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("二村/households.toml:6:6"), "{}", run.stderr);
    assert!(run.stderr.contains("第 3 行已经用过它"), "{}", run.stderr);
}

#[test]
fn missing_site_toml_says_what_to_do() {
    let site = Site::fixture("minimal");
    std::fs::remove_file(site.path("content/site.toml")).unwrap();
    let run = site.build();
    assert_eq!(run.code, 1);
    // No site.toml says otherwise: the default language, zh-Hans.
    assert!(run.stderr.contains("缺少 content/site.toml") && run.stderr.contains("starboard init"));
}

#[test]
fn usage_errors_exit_with_2() {
    let site = Site::fixture("minimal");
    assert_eq!(site.run(&["build", "--no-such-flag"]).code, 2);
    assert_eq!(site.run(&["frobnicate"]).code, 2);
    let help = site.run(&["build", "--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("--base-url"));
}

#[test]
fn status_lines_are_in_the_sites_language() {
    let site = Site::fixture("minimal");
    let zh = [site.build(), site.run(&["check"])];
    assert!(zh[0].stdout.starts_with("已生成 "), "{}", zh[0].stdout);
    assert!(zh[1].stdout.starts_with("检查通过"), "{}", zh[1].stdout);
    let toml = std::fs::read_to_string(site.path("content/site.toml")).unwrap();
    site.write("content/site.toml", &toml.replace("zh-Hans", "en"));
    let en = [site.build(), site.run(&["check"])];
    assert!(en[0].stdout.starts_with("built "), "{}", en[0].stdout);
    assert!(en[1].stdout.starts_with("check passed"), "{}", en[1].stdout);
    // No site yet: the default language, zh-Hans.
    let fresh = tempfile::tempdir().unwrap();
    let init = site.run(&["init", fresh.path().join("新站").to_str().unwrap()]);
    assert!(init.stdout.contains("新建网站"), "{}", init.stdout);
    // init refuses a folder that has a site, in Chinese too (issue 12).
    let again = site.run(&["init", fresh.path().join("新站").to_str().unwrap()]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("已经存在，不会覆盖"), "{}", again.stderr);
    let missing = site.run(&["watch", "--root", "/no/such/site"]);
    assert_eq!(missing.code, 1);
    assert!(
        missing.stderr.starts_with("错误：打不开网站文件夹"),
        "{}",
        missing.stderr
    );
}
