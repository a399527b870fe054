//! The profile's values, checks and entries.

use super::*;

fn form<'a>(fields: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> String + 'a {
    move |name| {
        fields
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
            .unwrap_or_default()
    }
}

fn refused(fields: &[(&str, &str)]) -> Vec<(&'static str, &'static str)> {
    Profile::parse(form(fields))
        .expect_err("refused")
        .into_iter()
        .map(|e| (e.field, e.reason))
        .collect()
}

#[test]
fn a_full_profile_reads_back_from_its_text() {
    let p = Profile::parse(form(&[
        ("cccd_issued_on", "15/03/2021"),
        ("current_address", "  Thôn  Đông, xã Tịnh Phong "),
        ("occupation", "Trồng trọt"),
        ("produce", "lúa"),
        ("farm_area_m2", "5.000"),
        ("herd_size", "12"),
        ("general_grade", "12/12"),
        ("vocational", "trung cap"),
        ("political_theory", "sơ cấp"),
        ("card_issued_on", "2022-01-10"),
        ("residential", "có"),
        ("professional", "on"),
        ("member_type", "honorary"),
        ("core_member", "yes"),
        ("party_member", "1"),
        ("party_joined_on", "03/02/2010"),
        ("party_official_on", "03/02/2011"),
        ("bhyt", "có"),
        ("bhyt_number", "gd 4 01 0123456789"),
        ("bhyt_expires_on", "31/12/2030"),
        ("bhxh", "không"),
    ]))
    .unwrap();
    assert_eq!(p.current_address.as_deref(), Some("Thôn Đông, xã Tịnh Phong"));
    assert_eq!(p.occupation, Some(Occupation::Crop));
    assert_eq!(p.farm_area_m2, Some(5000));
    assert_eq!(p.vocational, Some(Vocational::Intermediate));
    assert_eq!(p.political_theory, Some(PoliticalTheory::Elementary));
    assert_eq!(p.member_type, MemberType::Honorary);
    assert_eq!(p.bhyt_number.as_ref().unwrap().as_str(), "GD4010123456789");
    assert_eq!(p.bhxh, Some(false));
    let text = p.to_text();
    let again = Profile::parse(|name| text.iter().find(|(k, _)| *k == name).unwrap().1.clone()).unwrap();
    assert_eq!(again, p);
}

#[test]
fn each_field_is_checked_and_named() {
    // A residential member's profile with one field wrong: the field, its
    // value, why it is refused.
    let one_wrong = [
        ("cccd_issued_on", "31/02/2020", "profile.why.date"),
        ("card_issued_on", "01/01/2999", "profile.why.future"),
        ("general_grade", "13/12", "profile.why.choice"),
        ("farm_area_m2", "mười", "profile.why.number"),
        ("herd_size", "99999999999", "profile.why.number"),
        ("farm_area_m2", "5000.5", "profile.why.number"),
        ("farm_area_m2", "5,00", "profile.why.number"),
        ("farm_area_m2", "-3", "profile.why.number"),
        ("farm_area_m2", "1.2.3", "profile.why.number"),
        ("farm_area_m2", "200000000", "profile.why.too_large"),
        ("occupation", "phi công", "profile.why.choice"),
        ("bhyt_number", "0123456789", "profile.why.no_bhyt"),
        ("party_joined_on", "01/01/2010", "profile.why.not_party"),
    ];
    for (field, value, why) in one_wrong {
        assert_eq!(
            refused(&[("residential", "yes"), (field, value)]),
            [(field, why)],
            "{field} = {value}"
        );
    }
    assert_eq!(
        refused(&[("residential", "có lẽ")]),
        [("residential", "profile.why.yes_no")]
    );
    assert_eq!(refused(&[]), [("residential", "profile.why.no_branch_kind")]);
    assert_eq!(
        refused(&[("residential", "yes"), ("bhyt", "yes"), ("bhyt_number", "123")]),
        [("bhyt_number", "profile.why.choice")]
    );
    assert_eq!(
        refused(&[
            ("residential", "yes"),
            ("bhxh", "yes"),
            ("bhxh_number", "GD4010123456789")
        ]),
        [("bhxh_number", "profile.why.bhxh_number")]
    );
    assert_eq!(
        refused(&[
            ("residential", "yes"),
            ("party_member", "yes"),
            ("party_joined_on", "01/01/2010"),
            ("party_official_on", "01/01/2009"),
        ]),
        [("party_official_on", "profile.why.before_joined")]
    );
    let e = Profile::parse(form(&[("residential", "yes"), ("general_grade", "13/12")])).unwrap_err();
    assert_eq!(
        e[0].message(Lang::Vi),
        "Trình độ văn hóa \"13/12\": không có trong danh sách hoặc sai dạng."
    );
    assert!(e[0].message(Lang::En).starts_with("General education \"13/12\""));
}

#[test]
fn roles_titles_and_ratings_are_checked() {
    let role = NewRole::parse("Chi hội trưởng", "00004-CH01", "01/01/2020", "").unwrap();
    assert_eq!(role.position, Position::BranchHead);
    let e = NewRole::parse("vua", "", "", "").unwrap_err();
    let fields: Vec<_> = e.iter().map(|e| (e.field, e.reason)).collect();
    assert_eq!(
        fields,
        [("position", "profile.why.choice"), ("from", "profile.why.required")]
    );
    let e = NewRole::parse("branch_head", "", "01/01/2020", "01/01/2019").unwrap_err();
    assert_eq!(e[0].field, "to");
    let title = NewTitle::parse("2024", "cấp tỉnh", "excellent_farmer", "").unwrap();
    assert_eq!(title.level, AwardLevel::Province);
    assert_eq!(
        NewTitle::parse("1900", "commune", "merit", "").unwrap_err()[0].field,
        "year"
    );
    let next = (Day::today().year() + 1).to_string();
    assert_eq!(
        NewTitle::parse(&next, "commune", "merit", "").unwrap_err()[0].field,
        "year"
    );
    let r = NewRating::parse("2025", "Hoàn thành tốt nhiệm vụ", "có").unwrap();
    assert_eq!((r.rating, r.proposed_to_party), (Rating::Good, true));
    assert_eq!(NewRating::parse("2025", "xuất sắc", "").unwrap_err()[0].field, "rating");
}

#[test]
fn photos_are_jpeg_or_png_up_to_two_megabytes() {
    let jpeg = [vec![0xFF, 0xD8, 0xFF, 0xE0], vec![0; 100]].concat();
    assert_eq!(Photo::parse(jpeg).unwrap().content_type(), "image/jpeg");
    let png = [b"\x89PNG\r\n\x1a\n".to_vec(), vec![0; 100]].concat();
    assert_eq!(Photo::parse(png).unwrap().content_type(), "image/png");
    assert_eq!(
        Photo::parse(b"GIF89a....".to_vec()).unwrap_err().reason,
        "profile.why.photo_type"
    );
    let big = [vec![0xFF, 0xD8, 0xFF], vec![0; MAX_PHOTO_BYTES]].concat();
    assert_eq!(Photo::parse(big).unwrap_err().reason, "profile.why.photo_size");
}

#[test]
fn the_declaration_gives_every_list() {
    assert_eq!(FIELDS.len(), 22);
    assert_eq!(
        SENSITIVE,
        [
            "cccd_issued_on",
            "party_member",
            "party_joined_on",
            "party_official_on",
            "bhyt",
            "bhyt_number",
            "bhyt_expires_on",
            "bhxh",
            "bhxh_number",
        ]
    );
    assert_eq!(
        SHEET_FIELDS,
        [
            "occupation",
            "general_grade",
            "bhyt",
            "bhxh",
            "party_member",
            "party_joined_on"
        ]
    );
    assert_eq!(SHEET_COLUMNS[0], ("Nghề nghiệp", "occupation"));
    let names: Vec<&str> = Profile::default().to_text().into_iter().map(|(f, _)| f).collect();
    assert_eq!(names, FIELDS);
    assert!(is_yes_no("bhyt") && is_yes_no("residential") && !is_yes_no("occupation"));
    assert!(choices("occupation", Lang::Vi).is_some() && choices("produce", Lang::Vi).is_none());
    assert_eq!(field("herd_size").map(|f| f.label), Some("profile.field.herd_size"));
}

#[test]
fn a_profile_stored_reads_back_the_same() {
    let p = Profile::parse(form(&[
        ("occupation", "crop"),
        ("farm_area_m2", "5.000"),
        ("general_grade", "9/12"),
        ("residential", "yes"),
        ("member_type", "honorary"),
        ("party_member", "yes"),
        ("party_joined_on", "03/02/2010"),
        ("bhyt", "no"),
    ]))
    .unwrap();
    assert_eq!(Profile::from_stored(&p.stored()), p);
    // Nothing stored: the defaults.
    let nulls: Vec<Stored> = FIELD_LIST.iter().map(|f| Stored::null(f.kind)).collect();
    assert_eq!(Profile::from_stored(&nulls), Profile::default());
    // Who may not see personal data keeps them as they were.
    let kept = Profile::default().keeping_sensitive(&p);
    assert_eq!(
        (kept.party_member, kept.bhyt, kept.occupation),
        (true, Some(false), None)
    );
    assert_eq!(p.personal_set(), Some("party_member"));
    assert_eq!(Profile::default().personal_set(), None);
}
