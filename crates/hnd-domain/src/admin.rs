//! The official administrative units before and after the 2025 reform,
//! shipped inside the binary (`data/admin/` of the repository: General
//! Statistics Office codes, MIT licence, see its README and LICENSE).

/// A province as the reference data names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Province {
    pub code: &'static str,
    pub name: &'static str,
}

/// A commune (xã, phường, đặc khu) of the 2025 list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commune2025 {
    pub province_code: &'static str,
    pub code: &'static str,
    pub name: &'static str,
    pub kind: &'static str,
}

/// One row of the legacy list: a commune in its district, or an island
/// district without communes (`commune` is `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyRow {
    pub province: Province,
    pub district_code: &'static str,
    pub district_name: &'static str,
    pub commune: Option<(&'static str, &'static str)>,
}

/// Where a legacy commune went: `whole` or `part` of it, and whether this
/// is the new commune most of it went to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommuneMapping {
    pub legacy_code: &'static str,
    pub code_2025: &'static str,
    pub whole: bool,
    pub is_default: bool,
}

/// An island district without communes and the special zone it became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictMapping {
    pub legacy_code: &'static str,
    pub code_2025: &'static str,
}

/// A legacy province and the 2025 province it became part of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvinceMapping {
    pub legacy_code: &'static str,
    pub code_2025: &'static str,
    pub name_2025: &'static str,
}

const UNITS_2025: &str = include_str!("../../../data/admin/admin_units_2025.csv");
const UNITS_LEGACY: &str = include_str!("../../../data/admin/admin_units_legacy.csv");
const MERGER: &str = include_str!("../../../data/admin/merger_2025.csv");
const MERGER_DISTRICTS: &str = include_str!("../../../data/admin/merger_2025_districts.csv");
const MERGER_PROVINCES: &str = include_str!("../../../data/admin/province_merger_2025.csv");

/// Rows of a shipped CSV without its header. The files hold no quoted
/// fields (checked by a test), so a comma always separates.
fn rows(text: &'static str, columns: usize) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines().skip(1).filter(|l| !l.trim().is_empty()).map(move |l| {
        let fields: Vec<&'static str> = l.trim_end_matches('\r').split(',').collect();
        assert_eq!(
            fields.len(),
            columns,
            "shipped reference row has {} fields: {l}",
            fields.len()
        );
        fields
    })
}

pub fn communes_2025() -> Vec<Commune2025> {
    rows(UNITS_2025, 5)
        .map(|f| Commune2025 {
            province_code: f[0],
            code: f[2],
            name: f[3],
            kind: f[4],
        })
        .collect()
}

/// The 34 provinces of 2025, in file order.
pub fn provinces_2025() -> Vec<Province> {
    let mut out: Vec<Province> = Vec::new();
    for f in rows(UNITS_2025, 5) {
        if out.last().map(|p| p.code) != Some(f[0]) && !out.iter().any(|p| p.code == f[0]) {
            out.push(Province { code: f[0], name: f[1] });
        }
    }
    out
}

pub fn legacy_rows() -> Vec<LegacyRow> {
    rows(UNITS_LEGACY, 8)
        .map(|f| LegacyRow {
            province: Province { code: f[0], name: f[1] },
            district_code: f[2],
            district_name: f[3],
            commune: (!f[5].is_empty()).then_some((f[5], f[6])),
        })
        .collect()
}

pub fn commune_mappings() -> Vec<CommuneMapping> {
    rows(MERGER, 4)
        .map(|f| CommuneMapping {
            legacy_code: f[0],
            code_2025: f[1],
            whole: f[2] == "whole",
            is_default: f[3] == "1",
        })
        .collect()
}

pub fn district_mappings() -> Vec<DistrictMapping> {
    rows(MERGER_DISTRICTS, 4)
        .map(|f| DistrictMapping {
            legacy_code: f[0],
            code_2025: f[2],
        })
        .collect()
}

pub fn province_mappings() -> Vec<ProvinceMapping> {
    rows(MERGER_PROVINCES, 4)
        .map(|f| ProvinceMapping {
            legacy_code: f[0],
            code_2025: f[2],
            name_2025: f[3],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn reference_counts_match_the_official_figures() {
        assert_eq!(provinces_2025().len(), 34);
        assert_eq!(communes_2025().len(), 3321);
        let legacy = legacy_rows();
        let provinces: HashSet<_> = legacy.iter().map(|r| r.province.code).collect();
        let districts: HashSet<_> = legacy.iter().map(|r| r.district_code).collect();
        assert_eq!(provinces.len(), 63);
        assert_eq!(districts.len(), 696);
        assert_eq!(legacy.iter().filter(|r| r.commune.is_some()).count(), 10_035);
        assert_eq!(district_mappings().len(), 5);
        assert_eq!(province_mappings().len(), 63);
        let mappings = commune_mappings();
        let legacy_mapped: HashSet<_> = mappings.iter().map(|m| m.legacy_code).collect();
        assert_eq!(legacy_mapped.len(), 10_035);
        for code in legacy_mapped {
            let defaults = mappings
                .iter()
                .filter(|m| m.legacy_code == code && m.is_default)
                .count();
            assert_eq!(defaults, 1, "legacy commune {code} needs exactly one default target");
        }
    }

    #[test]
    fn shipped_files_hold_no_quoted_fields() {
        for text in [UNITS_2025, UNITS_LEGACY, MERGER, MERGER_DISTRICTS, MERGER_PROVINCES] {
            assert!(!text.contains('"'));
        }
    }
}
