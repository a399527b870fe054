use super::*;

const VOWELS: &str = "aăâeêioôơuưy";
/// No tone, sắc, huyền, hỏi, ngã, nặng.
const TONES: [&str; 6] = ["", "\u{301}", "\u{300}", "\u{309}", "\u{303}", "\u{323}"];

/// Every letter of the alphabet with every tone mark, small and capital.
fn letters() -> Vec<String> {
    let mut all = Vec::new();
    for v in VOWELS.chars() {
        for tone in TONES {
            let small: String = format!("{v}{tone}").nfc().collect();
            all.push(small.to_uppercase());
            all.push(small);
        }
    }
    all.extend(["đ".to_string(), "Đ".to_string()]);
    all
}

#[test]
fn every_letter_with_every_tone_reads_back_from_both_encodings() {
    let (mut checked, mut same) = (0, 0);
    for legacy in [Legacy::Tcvn3, Legacy::Vni] {
        for letter in letters() {
            // In a word: a capital in a word of capitals, a small letter
            // in a word of small letters, and alone.
            let word = if letter.chars().all(char::is_uppercase) {
                format!("T{letter}N")
            } else {
                format!("t{letter}n")
            };
            for text in [word, letter.clone()] {
                let encoded = encode(&text, legacy);
                assert!(
                    encoded.chars().all(|c| cp1252_byte(c).is_some()),
                    "{legacy:?} {text}: {encoded}"
                );
                if !text.is_ascii() && encoded == text {
                    same += 1;
                }
                // A capital alone has no word of capitals around it: TCVN3
                // cannot tell it from its small letter.
                let alone_capital = text == letter && legacy == Legacy::Tcvn3 && letter.chars().all(char::is_uppercase);
                let back = convert(&encoded, legacy);
                if alone_capital {
                    assert_eq!(back.to_lowercase(), text.to_lowercase(), "{legacy:?} {text}");
                } else {
                    assert_eq!(back, text, "{legacy:?} {text} ({encoded})");
                }
                checked += 1;
            }
        }
    }
    // 12 vowels × 6 tones × small and capital, đ and Đ: 146 letters, in a
    // word and alone, in two encodings.
    assert_eq!(checked, 146 * 2 * 2);
    // Letters an encoding writes as the same character: ý in TCVN3 (0xFD),
    // í and ì in VNI (0xED, 0xEC, capitals 0xCD, 0xCC); each in a word and alone.
    assert_eq!(same, 2 + 8);
}

#[test]
fn the_published_bytes_of_some_letters() {
    // TCVN 5712:1993: ễ 0xD4, đ 0xAE, ư 0xAD, ộ 0xE9, â 0xA9, Đ 0xA7.
    let bytes = |s: &str| s.chars().map(|c| cp1252_byte(c).unwrap()).collect::<Vec<u8>>();
    assert_eq!(
        bytes(&encode("ễđưộâĐ", Legacy::Tcvn3)),
        [0xD4, 0xAE, 0xAD, 0xE9, 0xA9, 0xA7]
    );
    // VNI-Windows: ễ = e 0xE3, ờ = 0xF4 0xF8, đ = 0xF1, ĩ = 0xF3, Ấ = A 0xC1.
    assert_eq!(bytes(&encode("ễ", Legacy::Vni)), [b'e', 0xE3]);
    assert_eq!(bytes(&encode("ờ", Legacy::Vni)), [0xF4, 0xF8]);
    assert_eq!(bytes(&encode("đĩ", Legacy::Vni)), [0xF1, 0xF3]);
    assert_eq!(bytes(&encode("Ấ", Legacy::Vni)), [b'A', 0xC1]);
}

#[test]
fn text_as_old_sheets_hold_it() {
    assert_eq!(convert("Héi N«ng d©n ViÖt Nam", Legacy::Tcvn3), "Hội Nông dân Việt Nam");
    assert_eq!(convert("NguyÔn ThÞ Hoµ", Legacy::Tcvn3), "Nguyễn Thị Hoà");
    assert_eq!(convert("NGUYÔN V¡N §¦îC", Legacy::Tcvn3), "NGUYỄN VĂN ĐƯỢC");
    assert_eq!(
        convert("Hoäi Noâng daân Vieät Nam", Legacy::Vni),
        "Hội Nông dân Việt Nam"
    );
    assert_eq!(convert("Nguyeãn Thò Hoøa", Legacy::Vni), "Nguyễn Thị Hòa");
    assert_eq!(convert("TRÖÔØNG ÑAÏI", Legacy::Vni), "TRƯỜNG ĐẠI");
    // Unicode text is never touched.
    assert_eq!(convert("Nguyễn Thị Hoà", Legacy::Tcvn3), "Nguyễn Thị Hoà");
}

#[test]
fn detection_tells_the_encodings_apart() {
    let names = [
        "Nguyễn Văn Hải",
        "Trần Thị Hoà",
        "Lê Đức Thọ",
        "Phạm Thị Bưởi",
        "Hồ Ngọc Ánh",
    ];
    for legacy in [Legacy::Tcvn3, Legacy::Vni] {
        let encoded: Vec<String> = names.iter().map(|n| encode(n, legacy)).collect();
        assert_eq!(detect(encoded.iter().map(String::as_str)), Some(legacy));
    }
    assert_eq!(detect(names), None);
    // Latin-1 Vietnamese with no legacy marks stays as it is.
    assert_eq!(detect(["Hà Tĩnh", "Lò Văn Tú", "Hoà"]), None);
}
