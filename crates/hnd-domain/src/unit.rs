//! Units of the organisation tree (cấp Hội) and the values that name them.

use std::fmt;

/// Level of a unit (cấp). Order is top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Trung ương Hội.
    Central,
    /// Hội Nông dân tỉnh/thành phố.
    Province,
    /// Huyện/quận/thị xã: abolished on 1/7/2025, kept for history.
    District,
    /// Cơ sở Hội: a commune, ward or special zone union.
    Base,
    /// Chi hội: a branch of a base.
    Branch,
    /// Tổ hội: a group of a branch.
    Group,
}

impl Level {
    pub const ALL: [Level; 6] = [
        Level::Central,
        Level::Province,
        Level::District,
        Level::Base,
        Level::Branch,
        Level::Group,
    ];

    /// Storage and JSON name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Level::Central => "central",
            Level::Province => "province",
            Level::District => "district",
            Level::Base => "base",
            Level::Branch => "branch",
            Level::Group => "group",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// The locale key of the level's name.
    pub fn label_key(&self) -> &'static str {
        match self {
            Level::Central => "level.central",
            Level::Province => "level.province",
            Level::District => "level.district",
            Level::Base => "level.base",
            Level::Branch => "level.branch",
            Level::Group => "level.group",
        }
    }

    /// Levels a unit of this level may hang under. A base sits under a
    /// district (legacy) or a province; a branch under a base, or directly
    /// under a province ("chi hội trực thuộc": enterprises, farms), or under
    /// one of the five legacy island districts whose union had no communes;
    /// a group under a branch, or directly under a base.
    pub fn allowed_parents(&self) -> &'static [Level] {
        match self {
            Level::Central => &[],
            Level::Province => &[Level::Central],
            Level::District => &[Level::Province],
            Level::Base => &[Level::District, Level::Province],
            Level::Branch => &[Level::Base, Level::District, Level::Province],
            Level::Group => &[Level::Branch, Level::Base],
        }
    }
}

impl serde::Serialize for Level {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Kind of a branch or group: residential (theo địa bàn dân cư) or
/// professional (nghề nghiệp, with a trade).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Residential,
    Professional,
}

impl Kind {
    pub fn as_str(&self) -> &'static str {
        match self {
            Kind::Residential => "residential",
            Kind::Professional => "professional",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "residential" => Some(Kind::Residential),
            "professional" => Some(Kind::Professional),
            _ => None,
        }
    }
}

/// A text that cannot be a unit's code or name, as typed (the domain's
/// errors take it in: `OrgError::BadCode`, `OrgError::BadName`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadUnitText {
    Code(String),
    Name(String),
}

/// The code of a unit: GSO codes for provinces (2 digits), districts (3)
/// and communes (5); any 1–32 letters, digits, `.`, `_` or `-` for
/// branches and groups. Codes are unique among units alive at the same
/// time; the statistics office reused commune codes in 2025, so a code
/// names a unit only together with a date.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnitCode(String);

impl UnitCode {
    pub fn parse(s: &str) -> Result<UnitCode, BadUnitText> {
        let s = s.trim();
        let ok = !s.is_empty() && s.len() <= 32 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
        if ok {
            Ok(UnitCode(s.to_string()))
        } else {
            Err(BadUnitText::Code(s.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this code fits a new branch or group whose place gives
    /// `prefixes` (its parent's code, its commune's and its province's):
    /// it begins with one of them followed by `-`, `.` or `_`, the way the
    /// Union numbers them (`00004-CH01` in commune `00004`, `21025-NN02-T1`
    /// in branch `21025-NN02`). So a code never claims another place
    /// (`01-…` under a commune of another province; `01004-A`, which only
    /// looks like province `01`'s, is refused as well).
    pub fn fits(&self, prefixes: &[String]) -> bool {
        prefixes.iter().filter(|p| !p.is_empty()).any(|p| {
            self.0
                .strip_prefix(p.as_str())
                .and_then(|rest| rest.chars().next())
                .is_some_and(|c| matches!(c, '-' | '.' | '_'))
        })
    }
}

impl fmt::Display for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The name of a unit: 1–200 characters after trimming, spaces collapsed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnitName(String);

impl UnitName {
    pub fn parse(s: &str) -> Result<UnitName, BadUnitText> {
        let name = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
            return Err(BadUnitText::Name(s.to_string()));
        }
        Ok(UnitName(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnitName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_refuse_what_cannot_be_stored() {
        assert!(UnitCode::parse("00004").is_ok());
        assert!(UnitCode::parse("00004-CH01").is_ok());
        assert!(UnitCode::parse("").is_err());
        assert!(UnitCode::parse("a b").is_err());
        assert!(UnitCode::parse(&"x".repeat(33)).is_err());
        assert_eq!(
            UnitName::parse("  Chi hội   thôn An Phú ").unwrap().as_str(),
            "Chi hội thôn An Phú"
        );
        assert!(UnitName::parse("   ").is_err());
    }

    #[test]
    fn a_new_code_begins_with_its_place() {
        let place = ["21025-NN02".to_string(), "21025".to_string(), "19".to_string()];
        let fits = |c: &str| UnitCode::parse(c).unwrap().fits(&place);
        assert!(fits("21025-NN02-T1"));
        assert!(fits("21025-T5"));
        assert!(fits("19-DN01"));
        assert!(!fits("01-CH01"), "another province");
        assert!(!fits("19025-A"), "only looks like the province's");
        assert!(!fits("21025"));
        assert!(!fits("X"));
    }

    #[test]
    fn levels_only_hang_under_higher_levels() {
        for level in Level::ALL {
            assert!(level.allowed_parents().iter().all(|p| *p < level));
        }
    }
}
