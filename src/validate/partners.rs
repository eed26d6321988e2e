//! partners.toml: the incentive partners, each checked against the site's
//! groups, and later its areas against the places under content/villages.

use std::ops::Range;

use crate::error::{Problems, t};
use crate::model::{County, Partner, PartnerKind, Standards};
use crate::source::SourceFile;
use crate::source::raw::{RawPartner, RawPartnerKind};
use crate::source::toml_doc::Doc;

use super::Ctx;
use super::ids::{IdSet, unknown_ref};

/// Partners with their area paths still to check against the places.
pub(crate) struct PendingPartner {
    partner: Partner,
    areas: Vec<(String, Range<usize>)>,
}

pub(crate) struct PendingPartners<'f> {
    list: Vec<PendingPartner>,
    file: Option<&'f SourceFile>,
}

pub fn partners<'f>(
    file: Option<&'f SourceFile>,
    standards: &Standards,
    problems: &mut Problems,
) -> PendingPartners<'f> {
    let mut out = PendingPartners { list: Vec::new(), file };
    let Some(file) = file else {
        return out;
    };
    let doc = Doc::of(file);
    let table = doc.parse_recovering(problems);
    let mut ids = IdSet::new(&doc, ("partner", "合作商家"));
    for (_, value) in doc.top_level(table, &["partner"], problems) {
        for (raw, _) in doc.each::<RawPartner>(value, problems) {
            for group in &raw.eligible {
                if !standards.groups.iter().any(|g| &g.id == group.get_ref()) {
                    problems.push(unknown_ref(
                        &doc,
                        group,
                        ("group", "群体"),
                        &standards.groups.iter().map(|g| g.id.as_str()).collect::<Vec<_>>(),
                    ));
                }
            }
            if !ids.add(raw.id.get_ref(), raw.id.span(), problems) {
                continue;
            }
            let kind = match raw.kind {
                RawPartnerKind::Fuel => PartnerKind::Fuel,
                RawPartnerKind::CarWash => PartnerKind::CarWash,
                RawPartnerKind::CreditUnion => PartnerKind::CreditUnion,
                RawPartnerKind::Shop => PartnerKind::Shop,
                RawPartnerKind::Other => PartnerKind::Other,
            };
            out.list.push(PendingPartner {
                areas: raw.area.iter().map(|a| (a.get_ref().clone(), a.span())).collect(),
                partner: Partner {
                    id: raw.id.into_inner(),
                    name: raw.name,
                    kind,
                    offer: raw.offer,
                    eligible: raw.eligible.into_iter().map(|g| g.into_inner()).collect(),
                    area: raw.area.into_iter().map(|a| a.into_inner()).collect(),
                    address: raw.address,
                    phone: raw.phone,
                    hours: raw.hours,
                },
            });
        }
    }
    out
}

/// Check that each partner's `area` names a county or county/town folder.
pub(crate) fn check_partner_areas(
    ctx: &mut Ctx<'_>,
    pending: PendingPartners<'_>,
    counties: &[County],
) -> Vec<Partner> {
    let known = |area: &str| {
        let mut parts = area.splitn(3, '/');
        let (c, t, v) = (parts.next(), parts.next(), parts.next());
        counties
            .iter()
            .filter(|county| Some(county.folder.as_str()) == c)
            .any(|county| {
                t.is_none()
                    || county
                        .children
                        .iter()
                        .filter(|town| Some(town.folder.as_str()) == t)
                        .any(|town| v.is_none() || town.children.iter().any(|village| village.place_path == area))
            })
    };
    let PendingPartners { list, file } = pending;
    let mut out = Vec::new();
    for p in list {
        for (area, span) in &p.areas {
            if !known(area)
                && let Some(file) = &file
            {
                let doc = Doc::of(file);
                ctx.problems.push(doc.problem(
                    span.clone(),
                    t(
                        format!("no place `{area}` under content/villages"),
                        format!("content/villages 下没有 `{area}`"),
                    ),
                    t(
                        "write the folder names as on disk, separated by '/', e.g. \"藤县\" or \"藤县/金鸡镇\"",
                        "按文件夹名书写，用 '/' 分隔，例如 \"藤县\" 或 \"藤县/金鸡镇\"",
                    ),
                ));
            }
        }
        out.push(p.partner);
    }
    out
}
