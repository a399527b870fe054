//! The words member lists head their columns with, folded (no accents,
//! lower case, punctuation as spaces), and the field each names. Checked
//! in order: the first rule whose phrase is among a label's words wins,
//! so the narrower rules come first ("ngày cấp thẻ" before "ngày cấp").

use crate::values::has_words;

/// What a label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    Field(&'static str),
    /// A column the register does not keep (numbering, notes).
    Ignore,
}

use Named::*;

/// (phrases, what they name), in order.
const RULES: &[(&[&str], Named)] = &[
    (
        &["ho va ten", "ho ten", "ten hoi vien", "ho va ten hoi vien"],
        Field("full_name"),
    ),
    (
        &["ngay vao dang", "ngay ket nap dang", "vao dang"],
        Field("party_joined_on"),
    ),
    (&["ngay chinh thuc", "ngay dang chinh thuc"], Field("party_official_on")),
    (&["dang vien", "dang vien dcsvn"], Field("party_member")),
    (
        &[
            "ngay vao hoi",
            "ngay ket nap",
            "vao hoi",
            "ngay gia nhap",
            "ket nap hoi",
            "ngay ket nap hoi",
        ],
        Field("joined_on"),
    ),
    (&["quyet dinh", "so qd", "qd ket nap", "qd"], Field("decision")),
    (&["ngay cap the", "cap the hoi vien"], Field("card_issued_on")),
    (&["so the hoi vien", "the hoi vien", "so the", "ma hoi vien"], Ignore),
    (
        &["so the bhyt", "ma the bhyt", "ma bhyt", "so bhyt"],
        Field("bhyt_number"),
    ),
    (
        &["han bhyt", "han the bhyt", "bhyt het han", "bhyt co gia tri den"],
        Field("bhyt_expires_on"),
    ),
    (&["bhyt", "bao hiem y te"], Field("bhyt")),
    (
        &["so bhxh", "ma so bhxh", "ma bhxh", "so so bhxh"],
        Field("bhxh_number"),
    ),
    (&["bhxh", "bao hiem xa hoi", "bhxh tu nguyen"], Field("bhxh")),
    (&["noi cap"], Ignore),
    (&["ngay cap", "cap ngay"], Field("cccd_issued_on")),
    (
        &[
            "cccd",
            "can cuoc",
            "cmnd",
            "chung minh",
            "dinh danh",
            "cmt",
            "so cccd",
            "can cuoc cong dan",
        ],
        Field("cccd"),
    ),
    (
        &[
            "ngay sinh",
            "nam sinh",
            "sinh ngay",
            "ngay thang nam sinh",
            "ngay thang sinh",
            "nam sinh nam",
        ],
        Field("birth"),
    ),
    (&["gioi tinh", "gioi"], Field("sex")),
    (&["dan toc"], Field("ethnicity")),
    (&["ton giao"], Field("religion")),
    (
        &["dien thoai", "sdt", "so dt", "dt", "di dong", "dtdd", "so dien thoai"],
        Field("phone"),
    ),
    (&["hoi vien dan cu", "dan cu"], Field("residential")),
    (&["hoi vien nghe nghiep"], Field("professional")),
    (&["nong cot", "hoi vien nong cot"], Field("core_member")),
    (&["danh du", "hoi vien danh du", "loai hoi vien"], Field("member_type")),
    (
        &["trinh do van hoa", "van hoa", "hoc van", "trinh do hoc van"],
        Field("general_grade"),
    ),
    (
        &["chuyen mon", "trinh do chuyen mon", "chuyen mon ky thuat"],
        Field("vocational"),
    ),
    (
        &["ly luan chinh tri", "ly luan", "chinh tri"],
        Field("political_theory"),
    ),
    (
        &[
            "ma chi hoi",
            "chi hoi",
            "to hoi",
            "ma don vi",
            "ten don vi",
            "don vi",
            "sinh hoat tai",
            "chi to hoi",
        ],
        Field("branch"),
    ),
    (
        &[
            "noi o hien nay",
            "cho o hien nay",
            "noi o hien tai",
            "dia chi hien nay",
            "noi o",
            "cho o",
        ],
        Field("current_address"),
    ),
    (
        &[
            "thon",
            "to dan pho",
            "ap",
            "ban",
            "xom",
            "khu pho",
            "tdp",
            "dia chi",
            "thuong tru",
            "ho khau",
            "khu dan cu",
            "buon",
            "lang",
        ],
        Field("village"),
    ),
    (
        &["nghe nghiep", "nghe", "cong viec", "viec lam", "nghe nghiep chinh"],
        Field("occupation"),
    ),
    (
        &["san pham", "cay trong", "vat nuoi", "mo hinh", "nganh hang"],
        Field("produce"),
    ),
    (&["dien tich"], Field("farm_area_m2")),
    (&["quy mo", "so con", "dan gia suc", "tong dan"], Field("herd_size")),
    (
        &[
            "ho ngheo",
            "can ngheo",
            "chinh sach",
            "phan loai ho",
            "hoan canh",
            "gia dinh chinh sach",
        ],
        Field("household_category"),
    ),
    (
        &[
            "ghi chu",
            "que quan",
            "nguyen quan",
            "noi sinh",
            "ky ten",
            "ky nhan",
            "chuc vu",
            "email",
            "stt",
            "so tt",
            "so thu tu",
        ],
        Ignore,
    ),
];

/// Labels that are only a number's column.
const NUMBERING: [&str; 4] = ["tt", "stt", "so tt", "so thu tu"];

/// What a label (already folded by [`crate::name_key`]) names.
pub fn named(key: &str) -> Option<Named> {
    if key.is_empty() {
        return None;
    }
    if NUMBERING.contains(&key) {
        return Some(Ignore);
    }
    // A name in two columns: "Họ (và tên đệm)" then "Tên".
    if matches!(
        key,
        "ho" | "ten" | "ho dem" | "ho va dem" | "ho va ten dem" | "ho va chu dem"
    ) {
        return Some(Field("full_name"));
    }
    RULES
        .iter()
        .find(|(phrases, _)| phrases.iter().any(|p| has_words(key, p)))
        .map(|(_, named)| *named)
}

/// Whether a cell reads like a column's label.
pub fn is_header_word(cell: &str) -> bool {
    let key = crate::fields::name_key(cell);
    key.len() <= 80 && named(&key).is_some()
}

/// Whether a cell is the label of the members' names.
pub fn is_name_label(cell: &str) -> bool {
    named(&crate::fields::name_key(cell)) == Some(Field("full_name"))
}

/// The sex a label or an instruction says the "X" stands for, and the
/// other: "Giới tính (Nam để X, Nữ không để gì)" → (Nam, Nữ).
pub fn sex_marked(key: &str) -> Option<(&'static str, &'static str)> {
    let male = ["nam de x", "nam danh dau x", "nam danh x", "nam x", "nam danh dau"];
    let female = ["nu de x", "nu danh dau x", "nu danh x", "nu x", "nu danh dau"];
    if male.iter().any(|p| has_words(key, p)) {
        return Some(("Nam", "Nữ"));
    }
    if female.iter().any(|p| has_words(key, p)) {
        return Some(("Nữ", "Nam"));
    }
    match key {
        "nam" => Some(("Nam", "Nữ")),
        "nu" => Some(("Nữ", "Nam")),
        _ => None,
    }
}

/// A household category a label names, as the register writes it.
pub fn household(key: &str) -> Option<&'static str> {
    [
        ("can ngheo", "cận nghèo"),
        ("ngheo", "nghèo"),
        ("chinh sach", "chính sách"),
    ]
    .iter()
    .find(|(p, _)| has_words(key, p))
    .map(|(_, v)| *v)
}
