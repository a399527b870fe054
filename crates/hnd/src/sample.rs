//! Plausible branches and groups for the demo and the benchmarks,
//! generated from a seed so that two runs give the same tree.

use hnd_domain::{Kind, Level, UnitCode, UnitName};
use hnd_store::{NewUnit, Unit};

/// SplitMix64: small, fast, good enough for sample data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.next() as usize % items.len()]
    }
}

const PLACES: &[&str] = &[
    "An Phú",
    "Bình Minh",
    "Tân Lập",
    "Hòa Bình",
    "Thạnh Lợi",
    "Phú Xuân",
    "Đông Hòa",
    "Tây Sơn",
    "Trung Hậu",
    "Long Hưng",
    "Mỹ Khánh",
    "Vĩnh Thạnh",
    "Quang Trung",
    "Hưng Đạo",
    "Thống Nhất",
    "Đoàn Kết",
    "Tân Tiến",
    "Phước Lộc",
    "Đồng Tâm",
    "Xuân Hòa",
    "Nam Sơn",
    "Bắc Hà",
    "Thuận An",
    "Lộc Thọ",
    "Cẩm Thành",
];

const TRADES: &[&str] = &[
    "Trồng lúa",
    "Trồng cây ăn quả",
    "Chăn nuôi bò",
    "Chăn nuôi heo",
    "Nuôi trồng thủy sản",
    "Trồng rau an toàn",
    "Trồng cà phê",
    "Trồng hồ tiêu",
    "Nuôi ong",
    "Dịch vụ nông nghiệp",
    "Trồng quế",
    "Trồng mía",
];

/// What residential branches are called where the base is: a ward has
/// tổ dân phố, a southern commune has ấp, others thôn.
fn settlement(base: &Unit) -> &'static str {
    let south = base.province_code.as_deref().is_some_and(|p| p >= "75");
    if base.name.starts_with("Phường") {
        "Tổ dân phố"
    } else if south {
        "Ấp"
    } else {
        "Thôn"
    }
}

fn unit(code: String, name: String, level: Level, kind: Kind, trade: Option<&str>, parent: &str) -> NewUnit {
    NewUnit {
        code: UnitCode::parse(&code).expect("generated codes are valid"),
        name: UnitName::parse(&name).expect("generated names are valid"),
        level,
        kind: Some(kind),
        trade: trade.map(str::to_string),
        parent: UnitCode::parse(parent).expect("existing codes are valid"),
        admin_commune: None,
        founded: None,
    }
}

/// For each base: 4–8 residential branches, 1–2 professional branches
/// with 1–3 professional groups each; about 10 units per base.
pub fn branches_and_groups(bases: &[Unit], rng: &mut Rng) -> Vec<NewUnit> {
    let mut out = Vec::new();
    for base in bases {
        let kind_of_place = settlement(base);
        for i in 1..=rng.range(4, 8) {
            let name = format!("Chi hội {kind_of_place} {}", rng.pick(PLACES));
            out.push(unit(
                format!("{}-CH{i:02}", base.code),
                name,
                Level::Branch,
                Kind::Residential,
                None,
                &base.code,
            ));
        }
        for i in 1..=rng.range(1, 2) {
            let trade = *rng.pick(TRADES);
            let code = format!("{}-NN{i:02}", base.code);
            let name = format!("Chi hội nghề nghiệp {}", trade.to_lowercase());
            out.push(unit(
                code.clone(),
                name,
                Level::Branch,
                Kind::Professional,
                Some(trade),
                &base.code,
            ));
            for g in 1..=rng.range(1, 3) {
                let name = format!("Tổ hội nghề nghiệp {} {}", trade.to_lowercase(), rng.pick(PLACES));
                out.push(unit(
                    format!("{code}-T{g}"),
                    name,
                    Level::Group,
                    Kind::Professional,
                    Some(trade),
                    &code,
                ));
            }
        }
    }
    out
}

/// Family names with their rough shares of the population (per mille).
const FAMILY: &[(&str, u64)] = &[
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 70),
    ("Hoàng", 30),
    ("Huỳnh", 20),
    ("Phan", 45),
    ("Vũ", 20),
    ("Võ", 19),
    ("Đặng", 21),
    ("Bùi", 20),
    ("Đỗ", 14),
    ("Hồ", 13),
    ("Ngô", 13),
    ("Dương", 10),
    ("Lý", 5),
    ("Đinh", 8),
    ("Trương", 7),
];
const MIDDLE_MALE: &[&str] = &[
    "Văn", "Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Thanh", "Xuân",
];
const MIDDLE_FEMALE: &[&str] = &[
    "Thị", "Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Hồng", "Mỹ",
];
const GIVEN_MALE: &[&str] = &[
    "Hùng", "Dũng", "Tuấn", "Minh", "Nam", "Hải", "Sơn", "Thắng", "Long", "Phong", "Bình", "Cường", "Tâm", "Toàn",
    "Hòa", "Lâm", "Quân", "Trung", "Đức", "An", "Tám", "Lợi", "Phúc", "Thành",
];
const GIVEN_FEMALE: &[&str] = &[
    "Hoa", "Lan", "Hương", "Mai", "Hà", "Linh", "Thảo", "Trang", "Nga", "Hằng", "Yến", "Phương", "Hạnh", "Loan",
    "Dung", "Tuyết", "Nhung", "Oanh", "Thủy", "Hoà", "Cúc", "Đào",
];

/// Ethnic groups beside the Kinh majority, by 2025 province, with the
/// share of members (per cent) that belong to them: the northern
/// mountains, the Central Highlands and the Khmer south.
fn minorities(province: &str) -> (u64, &'static [&'static str]) {
    match province {
        "04" | "08" | "11" | "12" | "14" | "15" | "19" | "20" => {
            (60, &["Tày", "Thái", "Hmông", "Nùng", "Dao", "Mường"])
        }
        "25" => (20, &["Mường", "Dao"]),
        "52" | "66" | "68" => (30, &["Gia Rai", "Ê Đê", "Ba Na", "Cơ Ho", "Mnông"]),
        "86" | "91" | "92" | "96" => (10, &["Khmer", "Hoa", "Chăm"]),
        _ => (2, &["Hoa", "Mường"]),
    }
}

/// Plausible members spread over `units` (branches and groups): names by
/// the usual distributions, ages 18–90 with most members between 40 and
/// 65, CCCD consistent with birth year, sex and a legacy birth province,
/// most already admitted with a card.
/// CCCD serials, counted per birth province, birth year and sex (the part
/// of the number they share), from a base: up to a million people per
/// such triple before numbers repeat, where one counter for everybody
/// repeated after a million people in all.
pub struct Serials {
    base: u32,
    next: std::collections::HashMap<(String, i32, &'static str), u32>,
}

impl Serials {
    pub fn new(base: u32) -> Serials {
        Serials {
            base,
            next: Default::default(),
        }
    }

    fn take(&mut self, province: &str, year: i32, sex: hnd_domain::Sex) -> u32 {
        let n = self
            .next
            .entry((format!("{province:0>3}"), year, sex.as_str()))
            .or_insert(self.base);
        *n = n.wrapping_add(1);
        *n - 1
    }
}

/// When generated members joined the Union.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joining {
    /// As a register holds them on the day of the load: most admitted in
    /// their twenties or thirties (not before 1990), about one in forty
    /// this year, the youngest still applicants.
    Usual,
    /// Admitted on a day spread evenly from `from` (and from the year they
    /// turn 18) to the day of the load; one in `applicants` (none when 0)
    /// has applied and waits for a decision.
    Between { from: hnd_domain::Day, applicants: u64 },
}

/// Admissions are dated up to `today`: the day the register is loaded on.
pub fn members(
    units: &[Unit],
    count: usize,
    serials: &mut Serials,
    rng: &mut Rng,
    today: hnd_domain::Day,
    joining: Joining,
) -> Vec<hnd_store::MemberRow> {
    use hnd_domain::{BirthDate, Cccd, Ethnicity, Sex};
    let legacy: Vec<_> = hnd_domain::admin::province_mappings();
    let total: u64 = FAMILY.iter().map(|(_, w)| w).sum();
    let mut out = Vec::with_capacity(count);
    let this_month: u64 = today.iso()[5..7].parse().expect("an ISO day");
    for _ in 0..count {
        let unit = &units[rng.next() as usize % units.len()];
        let province = unit.province_code.clone().unwrap_or_default();
        let sex = if rng.next().is_multiple_of(2) {
            Sex::Male
        } else {
            Sex::Female
        };
        let mut pick = rng.next() % total;
        let family = FAMILY
            .iter()
            .find(|(_, w)| {
                if pick < *w {
                    true
                } else {
                    pick -= w;
                    false
                }
            })
            .map(|f| f.0);
        let (middle, given) = match sex {
            Sex::Male => (*rng.pick(MIDDLE_MALE), *rng.pick(GIVEN_MALE)),
            Sex::Female => (*rng.pick(MIDDLE_FEMALE), *rng.pick(GIVEN_FEMALE)),
        };
        // The mean of two uniform draws: a triangle peaking in the fifties.
        let age = 18 + (rng.range(0, 72) + rng.range(0, 72)) / 2;
        // Born before the year `age` years back: `age` or older on any day
        // of the load's year, so every applicant is of the charter's age
        // on the day of the load (the same years as before for a 2026 load).
        let year = today.year() - 1 - age as i32;
        let birth =
            hnd_domain::Day::from_ymd(year, rng.range(1, 12) as u32, rng.range(1, 28) as u32).expect("valid day");
        let births: Vec<&str> = legacy
            .iter()
            .filter(|m| m.code_2025 == province)
            .map(|m| m.legacy_code)
            .collect();
        // A unit of the legacy tree carries its legacy province's code, which
        // is a birth province itself.
        let birth_province = births
            .get(rng.next() as usize % births.len().max(1))
            .copied()
            .unwrap_or(province.as_str());
        let (share, groups) = minorities(&province);
        let ethnic = if rng.range(1, 100) <= share {
            *rng.pick(groups)
        } else {
            "Kinh"
        };
        let joined_year = (year + 18).max(1990) + rng.range(0, 10) as i32;
        let decision = format!("{}-QĐ/HND", rng.range(1, 300));
        let admitted = if let Joining::Between { from, applicants } = joining {
            let adult = hnd_domain::Day::from_ymd(year + 18, 1, 1).expect("valid day");
            let first = from.max(adult);
            if (applicants > 0 && rng.range(1, applicants) == 1) || first > today {
                None
            } else {
                let day = first.plus_days(rng.range(0, first.days_until(today) as u64) as i64);
                Some((day, decision))
            }
        // About one in forty joined this year, up to today: the year's
        // admissions that plans count.
        } else if rng.range(1, 40) == 1 {
            let month = rng.range(1, this_month.max(1)) as u32;
            let day = hnd_domain::Day::from_ymd(today.year(), month, rng.range(1, 28) as u32).expect("valid day");
            Some((day.min(today), decision))
        } else {
            (joined_year <= 2025).then(|| {
                let day = hnd_domain::Day::from_ymd(joined_year, rng.range(1, 12) as u32, rng.range(1, 28) as u32);
                (day.expect("valid day").min(today), decision)
            })
        };
        out.push(hnd_store::MemberRow {
            member: hnd_store::NewMember {
                full_name: format!("{} {middle} {given}", family.unwrap_or("Nguyễn")),
                birth: BirthDate::Day(birth),
                sex,
                ethnicity: Ethnicity::parse(ethnic),
                religion: None,
                cccd: Some(Cccd::compose(
                    birth_province,
                    year,
                    sex,
                    serials.take(birth_province, year, sex),
                )),
                phone: None,
                village: None,
                unit: UnitCode::parse(&unit.code).expect("existing code"),
            },
            admitted,
            profile: None,
        });
    }
    out
}
