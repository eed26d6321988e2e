//! `starboard template` and `starboard import`: starter workbooks for staff
//! who keep their rosters in Excel or WPS, with drop-down lists from the
//! site's standards; and a workbook turned into TOML for those who prefer
//! text.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{DataValidation, ExcelDateTime, Format, Formula, Workbook, Worksheet, XlsxError};

use crate::error::{Problem, Problems};
use crate::fs::{self, FsError};
use crate::model::Standards;
use crate::source::SourceFile;
use crate::source::sheet::{self, Roster};

/// Why a template or an import was not written.
#[derive(Debug)]
pub enum WorkbookError {
    /// The file is there already; `--force` replaces it.
    Exists(PathBuf),
    /// The folder keeps this roster as TOML: a workbook beside it would be
    /// a second one (the build refuses both).
    BesideToml(PathBuf),
    /// The site's standards.toml, or the workbook, has problems.
    Problems(Problems),
    Io(FsError),
    Xlsx(String),
}

impl From<FsError> for WorkbookError {
    fn from(e: FsError) -> Self {
        WorkbookError::Io(e)
    }
}

impl From<XlsxError> for WorkbookError {
    fn from(e: XlsxError) -> Self {
        WorkbookError::Xlsx(e.to_string())
    }
}

/// The standards of the site at `root`, for the drop-down lists.
pub fn site_standards(root: &Path) -> Result<Standards, WorkbookError> {
    let path = root.join("content").join("standards.toml");
    let text = String::from_utf8_lossy(&fs::read_regular(&path)?).into_owned();
    let file = SourceFile::new(
        path.clone(),
        PathBuf::from("content/standards.toml"),
        text,
        (None, 0),
        false,
    );
    let mut problems = Problems::default();
    let standards = crate::validate::standards::parse(Some(&file), &mut problems);
    if problems.has_errors() {
        return Err(WorkbookError::Problems(problems));
    }
    Ok(standards)
}

/// households.xlsx and points.xlsx in `dir`: headers, an example row, and
/// drop-down lists for stars, items, kinds and yes/no.
pub fn template(standards: &Standards, dir: &Path, force: bool) -> Result<Vec<PathBuf>, WorkbookError> {
    let files = [
        (dir.join("households.xlsx"), households_template(standards)?),
        (dir.join("points.xlsx"), points_template(standards)?),
    ];
    for toml in ["households.toml", "points.toml"] {
        if fs::exists(&dir.join(toml)) {
            return Err(WorkbookError::BesideToml(dir.join(toml)));
        }
    }
    refuse_existing(files.iter().map(|(p, _)| p.as_path()), force)?;
    for (path, bytes) in &files {
        fs::write(path, bytes)?;
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

fn refuse_existing<'a>(paths: impl Iterator<Item = &'a Path>, force: bool) -> Result<(), WorkbookError> {
    for path in paths {
        if !force && fs::exists(path) {
            return Err(WorkbookError::Exists(path.to_path_buf()));
        }
    }
    Ok(())
}

/// Rows the drop-downs cover.
const ROWS: u32 = 2000;
const LISTS: &str = "选项";

fn households_template(s: &Standards) -> Result<Vec<u8>, WorkbookError> {
    let mut book = Workbook::new();
    let stars: Vec<&str> = s.stars.iter().map(|x| x.name.as_str()).collect();
    let sheet = book.add_worksheet();
    sheet.set_name("住户")?;
    header(
        sheet,
        &["编号", "户主", "网格", "星", "同意公开全名", "公开", "隐去姓名"],
    )?;
    let example_stars = stars.iter().take(2).copied().collect::<Vec<_>>().join("、");
    for (col, value) in ["t-001", "陈明华", "", &example_stars, "否", "是", "否"]
        .iter()
        .enumerate()
    {
        sheet.write_string(1, col as u16, *value)?;
    }
    sheet.write_number(1, 2, 1)?;
    sheet.set_column_width(3, 24)?;
    sheet.set_column_width(4, 14)?;
    // Several stars go in one cell: the list helps pick, and typing more
    // (separated by 、) is allowed.
    let stars_list = list_from(LISTS, 0, stars.len())?
        .show_error_message(false)
        .set_input_message("可以从列表里选一颗星；有几颗星就用、隔开写在一格里")?;
    sheet.add_data_validation(1, 3, ROWS, 3, &stars_list)?;
    yes_no(sheet, &[4, 5, 6])?;
    lists(&mut book, &[&stars])?;
    Ok(book.save_to_buffer()?)
}

fn points_template(s: &Standards) -> Result<Vec<u8>, WorkbookError> {
    let mut book = Workbook::new();
    let items: Vec<&str> = s
        .points_items
        .iter()
        .map(|x| x.name.as_str())
        .chain(s.rewards.iter().map(|r| r.name.as_str()))
        .collect();
    let sheet = book.add_worksheet();
    sheet.set_name("积分")?;
    header(sheet, &["编号", "日期", "类别", "项目", "分值", "备注"])?;
    sheet.write_string(1, 0, "t-001")?;
    let date = Format::new().set_num_format("yyyy-mm-dd");
    sheet.write_datetime_with_format(1, 1, ExcelDateTime::from_ymd(2026, 11, 5)?, &date)?;
    sheet.write_string(1, 2, "加分")?;
    if let Some(first) = s.points_items.iter().find(|i| !i.deducts) {
        sheet.write_string(1, 3, &first.name)?;
        sheet.write_number(1, 4, f64::from(first.points))?;
    }
    sheet.write_string(1, 5, "参加河道清理")?;
    sheet.set_column_width(1, 12)?;
    sheet.set_column_width(3, 16)?;
    sheet.set_column_width(5, 24)?;
    let kinds = DataValidation::new()
        .allow_list_strings(&["加分", "扣分", "兑换"])?
        .set_input_message("加分：参加活动得分；扣分：违反约定扣分；兑换：在积分超市用分换物品")?;
    sheet.add_data_validation(1, 2, ROWS, 2, &kinds)?;
    let item_list = list_from(LISTS, 0, items.len())?;
    sheet.add_data_validation(1, 3, ROWS, 3, &item_list)?;
    lists(&mut book, &[&items])?;
    Ok(book.save_to_buffer()?)
}

fn header(sheet: &mut Worksheet, titles: &[&str]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold().set_background_color("#F2DCDB");
    for (col, title) in titles.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, &bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    // Printed for the notice board or a meeting: one page wide, with lines.
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_print_gridlines(true);
    Ok(())
}

/// A list drop-down taken from column `col` of the hidden lists sheet.
fn list_from(sheet: &str, col: u16, len: usize) -> Result<DataValidation, XlsxError> {
    let letter = char::from(b'A' + col as u8);
    let last = len.max(1);
    Ok(DataValidation::new().allow_list_formula(Formula::new(format!("='{sheet}'!${letter}$1:${letter}${last}"))))
}

fn yes_no(sheet: &mut Worksheet, cols: &[u16]) -> Result<(), XlsxError> {
    let choice = DataValidation::new().allow_list_strings(&["是", "否"])?;
    for col in cols {
        sheet.add_data_validation(1, *col, ROWS, *col, &choice)?;
    }
    Ok(())
}

/// The hidden sheet the drop-downs read their choices from (starboard
/// does not read hidden sheets).
fn lists(book: &mut Workbook, columns: &[&[&str]]) -> Result<(), XlsxError> {
    let sheet = book.add_worksheet();
    sheet.set_name(LISTS)?;
    for (col, values) in columns.iter().enumerate() {
        for (row, value) in values.iter().enumerate() {
            sheet.write_string(row as u32, col as u16, *value)?;
        }
    }
    sheet.set_hidden(true);
    Ok(())
}

/// The TOML files a workbook stands for, written into `village` (one
/// roster per sheet kind; every sheet of one kind goes into one file).
pub fn import(file: &Path, shown: &Path, village: &Path, force: bool) -> Result<Vec<PathBuf>, WorkbookError> {
    let bytes = fs::read_regular(file)?;
    let csv = file.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let sheets = sheet::convert_each(shown, &bytes, csv);
    let mut problems = Problems::default();
    let mut out: Vec<(PathBuf, String)> = Vec::new();
    for (_, roster, toml, map) in sheets {
        problems.extend(map.problems.iter().cloned());
        let name = match roster {
            Roster::Households => "households.toml",
            Roster::Points => "points.toml",
        };
        let path = village.join(name);
        match out.iter_mut().find(|(p, _)| *p == path) {
            Some((_, text)) => text.push_str(&toml),
            None => out.push((
                path,
                format!("# 由 {} 转换（starboard import）\n\n{toml}", shown.display()),
            )),
        }
    }
    if problems.has_errors() {
        return Err(WorkbookError::Problems(problems));
    }
    refuse_existing(out.iter().map(|(p, _)| p.as_path()), force)?;
    for (path, text) in &out {
        fs::write(path, text.as_bytes())?;
    }
    Ok(out.into_iter().map(|(p, _)| p).collect())
}

/// A town's workbook: each sheet, named after a village folder under
/// `town`, imported into that folder.
pub fn import_town(file: &Path, shown: &Path, town: &Path, force: bool) -> Result<Vec<PathBuf>, WorkbookError> {
    let bytes = fs::read_regular(file)?;
    let mut written = Vec::new();
    let mut problems = Problems::default();
    let mut plan = Vec::new();
    for (name, roster, toml, map) in sheet::convert_each(shown, &bytes, false) {
        problems.extend(map.problems.iter().cloned());
        let village = town.join(&name);
        if !fs::exists(&village.join("village.toml")) {
            problems.push(Problem::error(
                shown,
                None,
                crate::error::t(
                    format!("sheet `{name}` names no village folder under {}", town.display()),
                    format!("工作表“{name}”在 {} 下没有同名的村文件夹", town.display()),
                ),
                crate::error::t(
                    "name each sheet after its village's folder",
                    "每个工作表请用村文件夹的名字命名",
                ),
            ));
            continue;
        }
        let file = if roster == Roster::Households {
            "households.toml"
        } else {
            "points.toml"
        };
        plan.push((
            village.join(file),
            format!(
                "# 由 {}（工作表“{name}”）转换（starboard import）\n\n{toml}",
                shown.display()
            ),
        ));
    }
    if problems.has_errors() {
        return Err(WorkbookError::Problems(problems));
    }
    refuse_existing(plan.iter().map(|(p, _)| p.as_path()), force)?;
    for (path, text) in plan {
        fs::write(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}
