//! Printables for the village: door plaques for every star household, the
//! month's ranking poster, and (certified villages) the six-no notice.
//! Written by `starboard print` into print/ (never into the site), made
//! from the same privacy-safe view as the board.

use serde::Serialize;

use super::village::Board;
use super::{PageCtx, RenderError, Renderer};
use crate::config::PlaqueName;
use crate::privacy::mask_name;

/// One door plaque.
#[derive(Serialize, Hash)]
struct Plaque<'a> {
    /// As privacy allows (the board's name), or the family (陈家).
    name: String,
    tier: &'a str,
    stars: &'a [std::sync::Arc<str>],
}

/// Plaques of the village's star households, in sheets.
pub(super) fn plaques(r: &mut Renderer<'_>, b: &Board<'_>) -> Result<(), RenderError> {
    let print = r.site.config.print;
    let other = r.words().text(crate::theme::Key::OtherStars).to_string();
    let households = b
        .view
        .tiers
        .iter()
        .flat_map(|t| t.households.iter().map(move |h| (t.name.as_str(), h)))
        .chain(b.view.other_stars.iter().map(|h| (other.as_str(), h)));
    let plaques: Vec<Plaque> = households
        .map(|(tier, h)| Plaque {
            name: match print.names {
                PlaqueName::Shown => h.name.clone(),
                PlaqueName::Family => family(&h.name),
            },
            tier,
            stars: &h.stars,
        })
        .collect();
    let sheets: Vec<&[Plaque]> = plaques.chunks(print.plaques.per_sheet()).collect();
    let size = match print.plaques {
        crate::config::PlaqueSheet::A4 => "A4",
        crate::config::PlaqueSheet::A5 => "A5",
        crate::config::PlaqueSheet::A6 => "A6",
    };
    let mut ctx = PageCtx::unhashed();
    ctx.put_value("village", b.view_value());
    ctx.put("sheets", &sheets);
    ctx.put("size", &size);
    let meta = r.meta(&b.v.name, "", &b.path, true);
    r.page("print_plaques.html", &format!("{}plaques.html", b.path), meta, ctx)
}

/// The month's ranking, the points supermarket and the QR code: A4.
pub(super) fn ranking(r: &mut Renderer<'_>, b: &Board<'_>) -> Result<(), RenderError> {
    let mut ctx = PageCtx::unhashed();
    ctx.put_value("village", b.view_value());
    let meta = r.meta(&b.v.name, "", &b.path, true);
    r.page("print_ranking.html", &format!("{}ranking.html", b.path), meta, ctx)
}

/// A certified village's six-no notice: the date and the criteria ticked.
pub(super) fn six_no(r: &mut Renderer<'_>, b: &Board<'_>) -> Result<(), RenderError> {
    if !b.view.is_six_no {
        return Ok(());
    }
    let mut ctx = PageCtx::unhashed();
    ctx.put_value("village", b.view_value());
    let meta = r.meta(&b.v.name, "", &b.path, true);
    r.page("print_six_no.html", &format!("{}six-no.html", b.path), meta, ctx)
}

/// 陈家 for 陈*华 (or a full name shown with consent): the surname as the
/// masking keeps it, and 家.
fn family(shown: &str) -> String {
    let masked = if shown.contains('*') {
        shown.to_string()
    } else {
        mask_name(shown)
    };
    let surname: String = masked.chars().take_while(|c| *c != '*').collect();
    format!("{surname}家")
}

#[cfg(test)]
mod tests {
    use super::family;

    #[test]
    fn a_family_is_the_surname_and_jia() {
        assert_eq!(family("陈*华"), "陈家");
        assert_eq!(family("欧阳*华"), "欧阳家");
        assert_eq!(family("韦国华"), "韦家", "a full name shown with consent");
    }
}
