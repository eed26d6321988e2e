use std::path::Path;

use super::*;

fn csv(roster: Roster, text: &str) -> (String, CellMap) {
    convert(roster, Path::new("households.csv"), text.as_bytes(), true)
}

#[test]
fn a_households_sheet_becomes_the_toml_it_stands_for() {
    let (toml, map) = csv(
        Roster::Households,
        "编号,户主,网格,星,同意公开全名\nt-001,陈明华,第1网格,\"守纪星、卫生星\",是\n\n合计,,,,\n",
    );
    assert!(map.problems.is_empty(), "{:?}", map.problems);
    assert_eq!(
        toml,
        "[[household]]\nid = \"t-001\"\nhead = \"陈明华\"\ngrid = 1\nstars = [\"守纪星\", \"卫生星\"]\nconsent = true\n\n"
    );
    // The second star points into its cell.
    let at = toml.find("\"卫生星\"").unwrap();
    let loc = map.locate(at).unwrap();
    assert_eq!((loc.cell.as_deref(), loc.line, loc.column), (Some("D2"), 2, 5));
    assert_eq!(loc.line_text, "守纪星、卫生星");
}

#[test]
fn unknown_and_personal_columns_are_refused_and_the_rest_read() {
    let (toml, map) = csv(
        Roster::Households,
        "编号,户主,电话,爱好\nt-001,陈明华,13800138000,钓鱼\n",
    );
    let said: Vec<String> = map.problems.iter().map(|p| p.render(crate::error::Lang::Zh)).collect();
    assert_eq!(said.len(), 2, "{said:?}");
    assert!(
        said[0].contains("households.csv: C1") && said[0].contains("电话"),
        "{}",
        said[0]
    );
    assert!(
        said[1].contains("不认识的列 `爱好`") && said[1].contains("编号/id"),
        "{}",
        said[1]
    );
    assert!(!toml.contains("138"), "a refused column is never read: {toml}");
}

#[test]
fn a_row_with_an_unreadable_cell_is_left_out_once() {
    let (toml, map) = csv(
        Roster::Points,
        "编号,日期,类别,项目,分值\nt-001,2022/11/5,加分,志愿服务,5分\nt-002,明天,加分,志愿服务,5\n",
    );
    assert_eq!(map.problems.len(), 1);
    assert!(map.problems[0].render(crate::error::Lang::Zh).contains("B3"));
    assert_eq!(map.left_out, ["t-002"]);
    assert_eq!(
        toml,
        "[[entry]]\nhousehold = \"t-001\"\ndate = 2022-11-05\nkind = \"award\"\nitem = \"志愿服务\"\npoints = 5\n\n"
    );
}
