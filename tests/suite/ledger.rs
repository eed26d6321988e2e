//! The points ledger (issue 12): balance = awarded − deducted − redeemed, a
//! redemption may not overdraw it, deduction items are never ways to earn,
//! balances are published only when site.toml says so, and sites written
//! before these rules build as they did.

use crate::support::{Site, assert_matches_expected};

const BOARD: &str = "ceshixian/ceshizhen/ceshicun/index.html";

fn append(site: &Site, rel: &str, text: &str) {
    let old = std::fs::read_to_string(site.path(rel)).unwrap();
    site.write(rel, &format!("{old}\n{text}"));
}

fn redeem(household: &str, date: &str, points: u32) -> String {
    format!(
        "[[entry]]\nhousehold = \"{household}\"\ndate = {date}\nkind = \"redeem\"\nitem = \"soap\"\npoints = {points}\n"
    )
}

/// The `<section>` of a page that follows `heading` (up to the next section).
fn section_after<'a>(html: &'a str, heading: &str) -> &'a str {
    let start = html
        .find(heading)
        .unwrap_or_else(|| panic!("no {heading:?} in the page"));
    let rest = &html[start..];
    &rest[..rest.find("</table>").unwrap_or(rest.len())]
}

#[test]
fn a_redemption_beyond_the_balance_is_one_error_at_its_line() {
    let site = Site::fixture("minimal");
    assert_eq!(site.build().code, 0);
    let before = site.snapshot();
    // t-001 has 5 points (one volunteer award on 11-05). Spending 9 on 11-20
    // is refused; the 4 spent on 11-25 is then still affordable (the refused
    // redemption is not counted), so it is not a second error.
    let points = site.village("points.toml");
    append(&site, &points, &redeem("t-001", "2022-11-20", 9));
    append(&site, &points, &redeem("t-001", "2022-11-25", 4));
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("共 1 个错误"), "{}", run.stderr);
    assert_matches_expected("ledger_overdraft", &run.stderr);
    assert_eq!(site.snapshot(), before, "public/ unchanged");
}

#[test]
fn a_day_may_spend_what_it_earned_whatever_the_line_order() {
    let site = Site::fixture("minimal");
    let points = site.village("points.toml");
    // The redemption typed above the award of the same day.
    let text = std::fs::read_to_string(site.path(&points)).unwrap();
    let award =
        "[[entry]]\nhousehold = \"t-001\"\ndate = 2022-11-28\nkind = \"award\"\nitem = \"volunteer\"\npoints = 10\n";
    site.write(
        &points,
        &format!("{}\n{award}\n{text}", redeem("t-001", "2022-11-28", 15)),
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn an_entry_with_its_own_problem_does_not_cause_an_overdraft_error() {
    let site = Site::fixture("minimal");
    let points = site.village("points.toml");
    // The award has an unknown item: that is the one mistake; the
    // redemption it would have paid for is not reported as well.
    append(
        &site,
        &points,
        "[[entry]]\nhousehold = \"t-001\"\ndate = 2022-11-10\nkind = \"award\"\nitem = \"nosuch\"\npoints = 30\n",
    );
    append(&site, &points, &redeem("t-001", "2022-11-20", 30));
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("共 1 个错误"), "{}", run.stderr);
    assert!(run.stderr.contains("nosuch"), "{}", run.stderr);
}

#[test]
fn deduction_items_are_listed_apart_from_ways_to_earn() {
    let site = Site::fixture("minimal");
    // Written before the marker: 环境卫生 is an award item, and the deduct
    // entry that names it still builds (the entry's kind decides).
    assert_eq!(site.build().code, 0);
    let page = site.public("points/index.html");
    assert!(section_after(&page, "怎样得积分").contains("环境卫生"));
    assert!(!page.contains("哪些行为会扣分"));

    let standards = "content/standards.toml";
    let text = std::fs::read_to_string(site.path(standards)).unwrap();
    site.write(
        standards,
        &text.replacen("name = \"环境卫生\"\n", "name = \"环境卫生\"\nkind = \"deduct\"\n", 1),
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.public("points/index.html");
    let earn = section_after(&page, "怎样得积分");
    assert!(earn.contains("志愿服务") && !earn.contains("环境卫生"), "{earn}");
    let lose = section_after(&page, "哪些行为会扣分");
    assert!(lose.contains("环境卫生") && lose.contains("扣 3 分"), "{lose}");
}

#[test]
fn the_points_page_says_what_the_site_says_about_its_practice() {
    let site = Site::fixture("minimal");
    assert_eq!(site.build().code, 0);
    assert!(!site.public("points/index.html").contains("评议小组"));
    append(
        &site,
        "content/standards.toml",
        "[points]\nintro = \"每季度由村民代表会议评定一次积分。\"\n",
    );
    assert_eq!(site.build().code, 0);
    assert!(
        site.public("points/index.html")
            .contains("每季度由村民代表会议评定一次积分。")
    );
}

#[test]
fn balances_are_shown_only_when_the_site_turns_them_on() {
    let site = Site::fixture("minimal");
    let points = site.village("points.toml");
    // t-002: 8 awarded − 2 deducted − 4 redeemed = 2 left.
    append(&site, &points, &redeem("t-002", "2022-11-20", 4));
    assert_eq!(site.build().code, 0);
    assert!(!site.public(BOARD).contains("剩余积分"), "off by default");

    append(&site, "content/site.toml", "[privacy]\nshow_balances = true\n");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let board = site.public(BOARD);
    let table = section_after(&board, "<h2 id=\"left\">");
    assert!(table.contains("<td>欧阳*华</td><td>2 分</td>"), "{table}");
    assert!(table.contains("<td>陈*华</td><td>5 分</td>"), "{table}");
    assert!(!table.contains("李"), "an unpublished household has no line: {table}");
    // Rankings still count points earned, not what is left.
    let rank = &board[board.find("积分前").unwrap()..];
    assert!(
        rank.contains("欧阳*华 <span class=\"pts\">8 分"),
        "{}",
        &rank[..400.min(rank.len())]
    );
}
