//! The page-weight rule: a village board must stay light for cheap phones
//! on slow networks. `build` warns about a heavy board; `check` fails.

use std::path::Path;

use crate::error::{Problem, t};
use crate::theme::Theme;

/// A village board page must stay light for cheap phones on slow networks.
pub const PAGE_BUDGET: usize = 50 * 1024;

/// Boards (path, bytes) over the budget with the theme's stylesheets, as
/// errors (`check` makes them warnings for `build`).
pub(super) fn heavy_boards<'a>(boards: impl Iterator<Item = &'a (String, usize)>, theme: &Theme) -> Vec<Problem> {
    let css = css_bytes(theme);
    boards
        .filter(|(_, bytes)| bytes + css > PAGE_BUDGET)
        .map(|(page, bytes)| over_budget(page, bytes + css))
        .collect()
}

/// Bytes of the theme's stylesheets, which every page loads.
fn css_bytes(theme: &Theme) -> usize {
    theme
        .statics
        .iter()
        .filter(|(p, _)| p.ends_with(".css"))
        .map(|(_, b)| b.len())
        .sum()
}

/// A board over the budget, named with its size.
fn over_budget(page: &str, bytes: usize) -> Problem {
    let kb = bytes.div_ceil(1024);
    let limit = PAGE_BUDGET / 1024;
    Problem::error(
        Path::new(page),
        None,
        t(
            format!("page weighs {kb} KB with its stylesheet, over the {limit} KB budget for phones on slow networks"),
            format!("这个页面连同样式表共 {kb} KB，超过了 {limit} KB 的预算（手机网络慢时打开太久）"),
        ),
        t(
            "move older news off the village, or shorten long descriptions",
            "把较早的新闻移走，或缩短过长的介绍文字",
        ),
    )
}
