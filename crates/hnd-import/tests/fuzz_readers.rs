//! The readers of lists in any layout on random and mutated input: the
//! TCVN3/VNI converter, the text decoders, the value parsers (dates,
//! phones, CCCD), the header finder and the proposal, the mapped parser,
//! and every file reader on files with bytes flipped, cut or inserted.
//! None may panic; a file is read or refused with a sentence; no row the
//! mapped parser accepts fails the register's checks. The number of
//! inputs tried is counted and asserted (BENCHMARKS.md records it).

use hnd_domain::profile::Profile;
use hnd_domain::{Cccd, Lang, Phone, UnitCode};
use hnd_import::{
    Head, Legacy, Limits, MemberParser, MemberSheet, RawRows, UnitName, convert_legacy, detect_legacy, encode_legacy,
    propose, read_head,
};
use std::path::Path;

/// xorshift64*: a reproducible stream of numbers.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    /// A string of random characters: ASCII, Latin-1, Vietnamese, controls.
    fn text(&mut self, max: usize) -> String {
        let len = self.below(max + 1);
        (0..len)
            .map(|_| match self.below(5) {
                0 => (0x20 + self.below(0x5F) as u8) as char,
                1 => char::from_u32(0x80 + self.below(0x80) as u32).unwrap(),
                2 => char::from_u32(0x1EA0 + self.below(0x5A) as u32).unwrap(),
                3 => char::from_u32(self.below(0x20) as u32).unwrap(),
                _ => char::from_u32(self.below(0x3000) as u32).unwrap_or('x'),
            })
            .collect()
    }
}

/// Words lists are made of: labels, marks, dates, numbers, names.
const WORDS: &[&str] = &[
    "Họ và tên",
    "Ngày sinh",
    "Năm sinh",
    "Giới tính",
    "Nam",
    "Nữ",
    "X",
    "x",
    "",
    "",
    "",
    "Số CCCD",
    "CMND",
    "Điện thoại",
    "Đảng viên",
    "Dự bị",
    "Chính thức",
    "Chi hội",
    "Mã chi hội",
    "Thôn",
    "Hộ nghèo",
    "Nông dân",
    "Hưu trí",
    "Hội viên dân cư",
    "Hội viên nghề nghiệp",
    "BHYT",
    "Có",
    "Không",
    "STT",
    "Ghi chú",
    "Nguyễn Văn A",
    "Trần Thị B",
    "12/05/1985",
    "31179",
    "1975",
    "1985-05-12",
    "001185000012",
    "123456789",
    "0912 345 678",
    "+84912345678",
    "CH TDP Đồng Tâm",
    "00004-CH01",
    "T-1",
    "Kinh",
    "Tày",
    "=1+1",
    "\"",
    ",",
    "\t",
    "Giới tính (Nam để X)",
    "Ngày vào Hội",
    "15/03/2010",
    "30/02/2000",
    "2099",
    "Trồng trọt",
    "12/12",
    "GD4010123456789",
];

fn units() -> Vec<UnitName> {
    [
        "Chi hội Tổ dân phố Đồng Tâm",
        "Chi hội Thôn 1",
        "Tổ hội nghề nghiệp Nuôi ong",
    ]
    .iter()
    .enumerate()
    .map(|(i, n)| UnitName {
        code: format!("00004-CH0{i}"),
        name: n.to_string(),
    })
    .collect()
}

/// Every row the parser accepted passes the register's own checks.
fn all_valid(sheet: &MemberSheet) {
    for r in &sheet.rows {
        let m = &r.entry.member;
        assert!(
            !m.full_name.trim().is_empty() && m.full_name.chars().count() <= 100,
            "{m:?}"
        );
        assert!(UnitCode::parse(m.unit.as_str()).is_ok());
        if let Some(c) = &m.cccd {
            assert!(Cccd::parse(c.as_str()).is_ok());
        }
        if let Some(p) = &m.phone {
            assert!(Phone::parse(p.as_str()).is_ok());
        }
        if let Some(p) = &r.entry.profile {
            let text = p.to_text();
            let again = Profile::parse(|f| {
                text.iter()
                    .find(|(n, _)| *n == f)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            });
            assert_eq!(again.as_ref(), Ok(p), "the profile loaded reads back the same");
        }
    }
}

/// Proposes a mapping for `head` and parses its rows with it.
fn propose_and_parse(head: &Head) -> usize {
    let rows = head.rows.clone();
    let mut values = |col: usize, first: usize| {
        Ok(rows
            .iter()
            .filter(|(n, _)| *n >= first)
            .filter_map(|(_, r)| r.get(col).cloned())
            .collect())
    };
    let proposal = match propose(head, "00004", &units(), None, &mut values) {
        Ok(p) => p,
        Err(e) => {
            assert!(matches!(e, hnd_import::ImportError::MappingMissing(_)), "{e:?}");
            return 0;
        }
    };
    let mapping = accept(proposal.mapping);
    let mut parser = MemberParser::mapped(&mapping, mapping.headers(), Limits::WEB);
    let mut it = head.rows.clone().into_iter();
    let mut loaded = 0;
    while let Ok(Some(sheet)) = parser.chunk(7, || it.next().map(Ok)) {
        all_valid(&sheet);
        loaded += sheet.rows.len();
    }
    loaded
}

/// Rows of random words.
fn noise(rng: &mut Rng) -> Vec<(usize, Vec<String>)> {
    let width = 1 + rng.below(12);
    (0..rng.below(14))
        .map(|r| {
            let cells = (0..width)
                .map(|_| match rng.below(10) {
                    0 => rng.text(12),
                    _ => rng.pick(WORDS).to_string(),
                })
                .collect();
            (r + 1, cells)
        })
        .collect()
}

/// A list with a header and values of each column's kind, some of them
/// wrong, some cells random.
fn list(rng: &mut Rng) -> Vec<(usize, Vec<String>)> {
    let columns: &[(&str, &[&str])] = &[
        ("Họ và tên", &["Nguyễn Văn A", "Trần Thị B", "", "Lê C"]),
        ("Ngày sinh", &["12/05/1985", "31179", "1975", "30/02/2000", "2099", "x"]),
        ("Giới tính", &["Nam", "Nữ", "X", "", "nam"]),
        (
            "Chi hội",
            &["CH TDP Đồng Tâm", "00004-CH01", "Chi hội Thôn 1", "T-1", "Sao Mai", ""],
        ),
        ("Số CCCD", &["001185000012", "123456789", "1185000012", "abc", ""]),
        ("Điện thoại", &["0912 345 678", "+84912345678", "12", ""]),
        ("Đảng viên", &["X", "", "Có"]),
        ("Nghề nghiệp", &["Nông dân", "Hưu trí", "bay", ""]),
        ("Ngày vào Hội", &["15/03/2010", "2010", "", "31/12/2099"]),
        ("BHYT", &["Có", "Không", "x", ""]),
    ];
    let mut order: Vec<usize> = (0..columns.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let mut rows = vec![(1, vec!["DANH SÁCH HỘI VIÊN".to_string()])];
    rows.push((2, order.iter().map(|&c| columns[c].0.to_string()).collect()));
    for r in 0..rng.below(12) {
        let cells = order
            .iter()
            .map(|&c| match rng.below(12) {
                0 => rng.text(10),
                _ => rng.pick(columns[c].1).to_string(),
            })
            .collect();
        rows.push((r + 3, cells));
    }
    rows
}

/// Every proposed branch match taken, as --accept-proposed does.
fn accept(mut m: hnd_import::Mapping) -> hnd_import::Mapping {
    for b in &mut m.branches {
        b.confirm = false;
    }
    m
}

#[test]
fn random_text_never_panics_the_converter_the_decoders_or_the_value_parsers() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut tried = 0;
    for _ in 0..4_000 {
        let s = rng.text(40);
        for legacy in [Legacy::Tcvn3, Legacy::Vni] {
            let out = convert_legacy(&s, legacy);
            // Text no legacy font produces is never touched.
            if s.chars().any(|c| hnd_import::cp1252_byte(c).is_none()) {
                assert_eq!(out, s);
            }
            let _ = encode_legacy(&s, legacy);
        }
        let _ = detect_legacy([s.as_str()]);
        let bytes: Vec<u8> = (0..rng.below(200)).map(|_| rng.next() as u8).collect();
        let encoding = hnd_import::sniff_encoding(&bytes);
        let whole = encoding.decode(&bytes);
        let mut streamed = String::new();
        std::io::Read::read_to_string(&mut hnd_import::Decoded::new(bytes.as_slice(), encoding), &mut streamed)
            .unwrap();
        assert_eq!(streamed, whole.replace("\r\n", "\n"));
        let _ = hnd_import::sniff_delimiter(&whole);
        tried += 1;
    }
    assert_eq!(tried, 4_000);
}

#[test]
fn random_sheets_never_panic_and_never_load_a_bad_row() {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let (mut sheets, mut loaded) = (0, 0);
    for _ in 0..3_000 {
        let rows = if rng.below(2) == 0 {
            noise(&mut rng)
        } else {
            list(&mut rng)
        };
        let head = Head {
            rows,
            merges: Vec::new(),
            text: None,
        };
        loaded += propose_and_parse(&head);
        sheets += 1;
    }
    assert_eq!(sheets, 3_000);
    assert!(loaded > 0, "some random rows make members: the check is not empty");
}

/// The four kinds of files, then each mutated: bytes flipped, cut, inserted.
#[test]
fn mutated_files_are_read_or_refused_with_a_sentence() {
    let dir = std::env::temp_dir().join(format!("hnd-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let header = "Họ và tên,Ngày sinh,Giới tính,Chi hội,Số CCCD\n";
    let rows = "Nguyễn Văn A,12/05/1985,Nam,CH TDP Đồng Tâm,001085000012\nTrần Thị B,1975,Nữ,Chi hội Thôn 1,\n";
    let text = format!("DANH SÁCH\n{header}{rows}");
    let mut seeds: Vec<(&str, Vec<u8>)> = vec![
        ("csv", [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat()),
        ("txt", {
            let mut b = vec![0xFF, 0xFE];
            text.replace(',', "\t")
                .encode_utf16()
                .for_each(|u| b.extend(u.to_le_bytes()));
            b
        }),
        (
            "csv",
            encode_legacy(&text, Legacy::Tcvn3)
                .chars()
                .map(|c| hnd_import::cp1252_byte(c).unwrap())
                .collect(),
        ),
    ];
    let book = dir.join("seed.xlsx");
    {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let s = wb.add_worksheet();
        for (r, line) in text.lines().enumerate() {
            for (c, v) in line.split(',').enumerate() {
                s.write_string(r as u32, c as u16, v).unwrap();
            }
        }
        wb.save(&book).unwrap();
    }
    seeds.push(("xlsx", std::fs::read(&book).unwrap()));
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut tried = 0;
    for round in 0..400 {
        for (ext, seed) in &seeds {
            let mut bytes = seed.clone();
            for _ in 0..1 + rng.below(4) {
                if bytes.is_empty() {
                    break;
                }
                let at = rng.below(bytes.len());
                match rng.below(3) {
                    0 => bytes[at] ^= 1 << rng.below(8),
                    1 => bytes.truncate(at),
                    _ => bytes.insert(at, rng.next() as u8),
                }
            }
            let path = dir.join(format!("m{round}.{ext}"));
            std::fs::write(&path, &bytes).unwrap();
            read_any(&path);
            tried += 1;
        }
    }
    assert_eq!(tried, 1_600);
    // A file of no bytes, and one past the size allowed.
    let empty = dir.join("rong.csv");
    std::fs::write(&empty, b"").unwrap();
    let e = read_head(&empty, 100, Limits::WEB).err().unwrap();
    assert_eq!(e, hnd_import::ImportError::Empty);
    let small = Limits {
        sheet_bytes: 64,
        ..Limits::WEB
    };
    let large = dir.join("lon.csv");
    std::fs::write(&large, text.repeat(10)).unwrap();
    let e = read_head(&large, 100, small).err().unwrap();
    assert!(e.message(Lang::Vi).contains("Tệp quá lớn"), "{}", e.message(Lang::Vi));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Reads a file's head, proposes a mapping and parses every row: any
/// refusal is a sentence.
fn read_any(path: &Path) {
    let refusal = |e: hnd_import::ImportError| {
        let message = e.message(Lang::Vi);
        assert!(!message.is_empty() && !message.contains("/tmp"), "{message}");
    };
    match read_head(path, 100, Limits::WEB) {
        Ok(head) => {
            propose_and_parse(&head);
            if let Ok(mut rows) = RawRows::open(path, Limits::WEB, head.text) {
                while let Some(row) = rows.next_row() {
                    if let Err(e) = row {
                        refusal(e);
                        break;
                    }
                }
            }
        }
        Err(e) => refusal(e),
    }
}
