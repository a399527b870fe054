//! The indicator catalogue (chỉ tiêu) and the indicators users added.

/// What an indicator counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    People,
    Households,
    Units,
    Percent,
    Vnd,
    /// Events, articles, houses, ...
    Count,
}

/// Where an indicator's actual figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Counted from the register by the named query.
    Register(&'static str),
    /// The first indicator over the second, in percent.
    Ratio(&'static str, &'static str),
    /// Typed per unit and period.
    Entered,
    /// Share of units of a level under the unit meeting "≥ n" of an entered indicator.
    Coverage {
        of: &'static str,
        per: crate::Level,
        at_least: u32,
    },
}

/// One indicator of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Indicator {
    pub code: &'static str,
    pub name_vi: &'static str,
    pub name_en: &'static str,
    pub measure: Measure,
    pub source: Source,
}

macro_rules! indicator {
    ($code:literal, $vi:literal, $en:literal, $measure:ident, $source:expr) => {
        Indicator {
            code: $code,
            name_vi: $vi,
            name_en: $en,
            measure: Measure::$measure,
            source: $source,
        }
    };
}

/// The indicators of the plans in the seeds (DOMAIN.md, "Plans, targets
/// and tasks"): counted from the register where the register can know
/// them, ratios of those, the rest entered per unit and period.
pub const CATALOGUE: &[Indicator] = {
    use crate::Level::{Base, District};
    use Source::*;
    &[
        indicator!(
            "members",
            "Tổng số hội viên",
            "Members",
            People,
            Register("members_at_end")
        ),
        indicator!(
            "new_members",
            "Kết nạp hội viên mới",
            "New members admitted",
            People,
            Register("admitted_in_period")
        ),
        indicator!(
            "members_left",
            "Hội viên ra khỏi Hội, từ trần",
            "Members who left or died",
            People,
            Register("left_in_period")
        ),
        indicator!(
            "women_members",
            "Hội viên nữ",
            "Women members",
            People,
            Register("women_at_end")
        ),
        indicator!(
            "ethnic_minority_members",
            "Hội viên dân tộc thiểu số",
            "Ethnic minority members",
            People,
            Register("ethnic_minority_at_end")
        ),
        indicator!(
            "professional_branches_new",
            "Thành lập mới chi hội nghề nghiệp",
            "New professional branches",
            Units,
            Register("professional_branches_founded")
        ),
        indicator!(
            "professional_groups_new",
            "Thành lập mới tổ hội nghề nghiệp",
            "New professional groups",
            Units,
            Register("professional_groups_founded")
        ),
        indicator!(
            "members_bhyt",
            "Hội viên tham gia BHYT",
            "Members with health insurance",
            People,
            Entered
        ),
        indicator!(
            "members_bhyt_rate",
            "Tỷ lệ hội viên tham gia BHYT",
            "Share of members with health insurance",
            Percent,
            Ratio("members_bhyt", "members")
        ),
        indicator!(
            "members_bhxh",
            "Hội viên tham gia BHXH tự nguyện",
            "Members with voluntary social insurance",
            People,
            Entered
        ),
        indicator!(
            "cadres_trained_rate",
            "Cán bộ chuyên trách, chi hội trưởng được tập huấn",
            "Full-time cadres and branch heads trained",
            Percent,
            Entered
        ),
        indicator!(
            "vocational_trained",
            "Hội viên, lao động nông thôn được dạy nghề",
            "Members and rural workers given vocational training",
            People,
            Entered
        ),
        indicator!(
            "excellent_farmers_trained",
            "Nông dân SXKD giỏi được bồi dưỡng",
            "Excellent farmers given advanced training",
            People,
            Entered
        ),
        indicator!(
            "members_in_cooperatives",
            "Hội viên tham gia tổ hợp tác, hợp tác xã",
            "Members in cooperative groups and cooperatives",
            People,
            Entered
        ),
        indicator!(
            "cooperative_groups_new",
            "Thành lập mới tổ hợp tác",
            "New cooperative groups",
            Units,
            Entered
        ),
        indicator!(
            "cooperatives_new",
            "Thành lập mới hợp tác xã",
            "New cooperatives",
            Units,
            Entered
        ),
        indicator!("farm_households", "Hộ nông dân", "Farm households", Households, Entered),
        indicator!(
            "sxkd_registered",
            "Hộ đăng ký thi đua SXKD giỏi",
            "Households registered for excellent production",
            Households,
            Entered
        ),
        indicator!(
            "sxkd_registered_rate",
            "Tỷ lệ hộ đăng ký SXKD giỏi",
            "Share of farm households registered",
            Percent,
            Ratio("sxkd_registered", "farm_households")
        ),
        indicator!(
            "sxkd_achieved",
            "Hộ đạt danh hiệu SXKD giỏi",
            "Households achieving the title",
            Households,
            Entered
        ),
        indicator!(
            "sxkd_achieved_rate",
            "Tỷ lệ hộ đạt danh hiệu trên số đăng ký",
            "Share of registered households achieving it",
            Percent,
            Ratio("sxkd_achieved", "sxkd_registered")
        ),
        indicator!(
            "propaganda_attendances",
            "Lượt hội viên được tuyên truyền",
            "Propaganda attendances",
            Count,
            Entered
        ),
        indicator!(
            "bases_good_rate",
            "Cơ sở Hội xếp loại tốt, vững mạnh",
            "Bases rated good or strong",
            Percent,
            Entered
        ),
        indicator!(
            "members_proposed_to_party",
            "Hội viên ưu tú giới thiệu cho Đảng",
            "Outstanding members proposed to the Party",
            People,
            Entered
        ),
        indicator!(
            "party_proposal_coverage",
            "Cơ sở có ít nhất 1 hội viên ưu tú giới thiệu cho Đảng",
            "Bases proposing at least one member to the Party",
            Percent,
            Coverage {
                of: "members_proposed_to_party",
                per: Base,
                at_least: 1
            }
        ),
        indicator!(
            "support_fund_growth",
            "Tăng trưởng Quỹ Hỗ trợ nông dân",
            "Farmer Support Fund growth",
            Vnd,
            Entered
        ),
        indicator!(
            "households_out_of_poverty",
            "Hộ được giúp thoát nghèo",
            "Households helped out of poverty",
            Households,
            Entered
        ),
        indicator!(
            "poverty_help_coverage",
            "Cơ sở giúp ít nhất 2 hộ thoát nghèo",
            "Bases helping at least two households out of poverty",
            Percent,
            Coverage {
                of: "households_out_of_poverty",
                per: Base,
                at_least: 2
            }
        ),
        indicator!(
            "houses_built",
            "Nhà \"Mái ấm nông dân\"",
            "\"Mái ấm nông dân\" houses built",
            Count,
            Entered
        ),
        indicator!(
            "dialogues",
            "Đối thoại giữa chính quyền và nông dân",
            "Dialogues between authorities and farmers",
            Count,
            Entered
        ),
        indicator!(
            "dialogue_coverage",
            "Cấp huyện có ít nhất 1 cuộc đối thoại",
            "Districts holding at least one dialogue",
            Percent,
            Coverage {
                of: "dialogues",
                per: District,
                at_least: 1
            }
        ),
        indicator!(
            "environment_models",
            "Mô hình bảo vệ môi trường",
            "Environment models",
            Count,
            Entered
        ),
        indicator!(
            "environment_coverage",
            "Cơ sở có ít nhất 1 mô hình môi trường",
            "Bases with at least one environment model",
            Percent,
            Coverage {
                of: "environment_models",
                per: Base,
                at_least: 1
            }
        ),
        indicator!(
            "security_models",
            "Mô hình tự quản an ninh trật tự",
            "Security self-management models",
            Count,
            Entered
        ),
        indicator!(
            "security_coverage",
            "Cơ sở có ít nhất 5 mô hình tự quản",
            "Bases with at least five security models",
            Percent,
            Coverage {
                of: "security_models",
                per: Base,
                at_least: 5
            }
        ),
        indicator!("articles", "Tin, bài được đăng", "Articles published", Count, Entered),
    ]
};

/// The catalogue's indicator `code`.
pub fn indicator(code: &str) -> Option<&'static Indicator> {
    CATALOGUE.iter().find(|i| i.code == code).or_else(|| {
        ADDED
            .read()
            .expect("indicator registry")
            .iter()
            .copied()
            .find(|i| i.code == code)
    })
}

/// Indicators users added, beside [`CATALOGUE`]: the store keeps them in
/// its database and registers them here when it opens and when one is
/// added or looked for and missing. One process serves one register, so
/// the registry is the process's.
static ADDED: std::sync::RwLock<Vec<&'static Indicator>> = std::sync::RwLock::new(Vec::new());

/// Registers an indicator users added (once per code; a code already
/// known is left as it is). Its texts live as long as the process.
pub fn register(code: &str, name_vi: &str, name_en: &str, measure: Measure, source: AddedSource) {
    if indicator(code).is_some() {
        return;
    }
    let leak = |s: &str| -> &'static str { Box::leak(s.to_string().into_boxed_str()) };
    let source = match source {
        AddedSource::Entered => Source::Entered,
        AddedSource::Ratio(num, den) => Source::Ratio(leak(&num), leak(&den)),
    };
    let added = Indicator {
        code: leak(code),
        name_vi: leak(name_vi),
        name_en: leak(name_en),
        measure,
        source,
    };
    ADDED
        .write()
        .expect("indicator registry")
        .push(Box::leak(Box::new(added)));
}

/// Where an added indicator's figure comes from: typed per unit and
/// period, or the ratio of two known indicators (in percent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddedSource {
    Entered,
    Ratio(String, String),
}

/// The catalogue and the indicators users added, in that order.
pub fn all_indicators() -> Vec<&'static Indicator> {
    CATALOGUE
        .iter()
        .chain(ADDED.read().expect("indicator registry").iter().copied())
        .collect()
}

impl Measure {
    pub const ALL: [Measure; 6] = [
        Measure::People,
        Measure::Households,
        Measure::Units,
        Measure::Percent,
        Measure::Vnd,
        Measure::Count,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Measure::People => "people",
            Measure::Households => "households",
            Measure::Units => "units",
            Measure::Percent => "percent",
            Measure::Vnd => "vnd",
            Measure::Count => "count",
        }
    }

    pub fn parse(text: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.code() == text.trim())
    }
}

impl Indicator {
    /// Whether the figure adds up over the period (admissions, units
    /// founded, counts entered for the period) rather than being a state
    /// at its end (members, a share).
    pub fn accumulates(&self) -> bool {
        match self.source {
            Source::Register(q) => q.ends_with("_in_period") || q.ends_with("_founded"),
            Source::Entered => self.measure != Measure::Percent,
            _ => false,
        }
    }
}
