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
