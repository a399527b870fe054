//! The document's head: its number ("Số 115-CTr/TU"), date ("Cần Thơ,
//! ngày 14 tháng 6 năm 2025", or "Ngày 15/4/2024, … ban hành" in a news
//! report), issuing body ("Ban Thường vụ Tỉnh ủy ban hành …"), title and
//! period.

use crate::text::{Folded, Para, find_word, is_upper_line};
use hnd_domain::Day;

/// Kinds of document a title begins with (folded, upper case in the head).
const KINDS: &[&str] = &[
    "ke hoach",
    "chuong trinh hanh dong",
    "chuong trinh",
    "nghi quyet",
    "chi thi",
    "huong dan",
    "ket luan",
    "thong bao",
    "de an",
    "quyet dinh",
];

/// Document types of the numbers a plan itself carries (not the
/// resolutions it implements).
const OWN_TYPES: &[&str] = &["KH", "CTr", "CTR", "HD", "CT", "KL", "TB", "ĐA", "QĐ"];

#[derive(Debug, Default)]
pub struct Head {
    pub number: String,
    pub date: String,
    pub issuer: String,
    pub title: String,
    pub period: String,
}

pub fn head(paras: &[Para]) -> Head {
    let early = &paras[..paras.len().min(25)];
    let title = title(early);
    let kind = Folded::new(&title).text;
    // "chương trình hành động" is issued as "Chương trình số …": the
    // kind's first two words name it.
    let kind = KINDS
        .iter()
        .find(|k| kind.starts_with(*k))
        .copied()
        .unwrap_or("ke hoach");
    let kind = &kind[..kind.match_indices(' ').nth(1).map_or(kind.len(), |(i, _)| i)];
    // The sentence that issues the plan comes before its first part ("I.
    // MỤC ĐÍCH, YÊU CẦU"); a body named later is given work, not issuing.
    let intro = early
        .iter()
        .position(|p| p.marker == crate::text::Marker::Roman)
        .unwrap_or(early.len());
    let issuer = Some(issuer(&early[..intro], kind))
        .filter(|i| !i.is_empty())
        .unwrap_or_else(|| header_body(early));
    let mut h = Head {
        number: number(early, kind),
        date: date(early, kind),
        issuer,
        title,
        ..Head::default()
    };
    let f = Folded::new(&h.title).text;
    h.period = crate::targets::period_of(&f)
        .filter(|p| p != "hằng năm")
        .unwrap_or_default();
    h
}

/// Where folded `f` says "ban hành <kind>" (or "xây dựng <kind>") of the
/// document's own kind: the offset after the kind.
fn issues_own(f: &str, kind: &str) -> Option<usize> {
    ["ban hanh ", "da ban hanh ", "xay dung "].iter().find_map(|w| {
        let at = f
            .match_indices(w)
            .map(|(i, _)| i + w.len())
            .find(|&i| f[i..].starts_with(kind))?;
        Some(at + kind.len())
    })
}

/// "Số 15-KH/HNDT", or the number right after "ban hành <kind> … số".
fn number(paras: &[Para], kind: &str) -> String {
    let refs = |s: &str| -> Vec<String> {
        s.split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')' || c == ';')
            .filter(|w| {
                let Some((n, rest)) = w.split_once('-') else {
                    return false;
                };
                let Some((ty, by)) = rest.split_once('/') else {
                    return false;
                };
                n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty() && OWN_TYPES.contains(&ty) && !by.is_empty()
            })
            .map(|w| w.trim_end_matches('.').to_string())
            .collect()
    };
    for p in paras {
        let f = Folded::new(&p.text).text;
        if (f.starts_with("so ") || f.starts_with("so:"))
            && let Some(n) = refs(&p.text).into_iter().next()
        {
            return n;
        }
    }
    // A head laid out as a table (a DOCX's usual head) puts "Số …" inside
    // a line that begins with the issuing body: the word "Số" right
    // before the number says it is the document's own.
    for p in paras {
        let words: Vec<&str> = p.text.split_whitespace().collect();
        for pair in words.windows(2) {
            let so = Folded::new(pair[0]).text;
            if (so == "so" || so == "so:")
                && let Some(n) = refs(pair[1]).into_iter().next()
            {
                return n;
            }
        }
    }
    for p in paras {
        let f = Folded::new(&p.text).text;
        if let Some(at) = issues_own(&f, kind) {
            let near: String = f[at..].split(' ').take(4).collect::<Vec<_>>().join(" ");
            let Some(so) = find_word(&near, "so") else { continue };
            let o = p.text.char_indices().nth(at + so).map_or(0, |(i, _)| i);
            if let Some(n) = refs(&p.text[o..]).into_iter().next() {
                return n;
            }
        }
    }
    String::new()
}

/// The date in dd/mm/yyyy.
fn date(paras: &[Para], kind: &str) -> String {
    for p in paras {
        let f = Folded::new(&p.text).text;
        // "Cần Thơ, ngày 14 tháng 6 năm 2025"
        if let Some(at) = f.find("ngay ")
            && f.len() < 80
            && f[at..].contains(" thang ")
        {
            let nums: Vec<u32> = f[at..]
                .split(|c: char| !c.is_ascii_digit())
                .filter_map(|d| d.parse().ok())
                .take(3)
                .collect();
            if let [d, m, y] = nums[..]
                && let Ok(day) = Day::parse(&format!("{d:02}/{m:02}/{y}"))
            {
                return day.to_string();
            }
        }
        // "Ngày 15/4/2024, Ban Thường vụ … ban hành"
        let sentence = &f[..f.find(". ").unwrap_or(f.len())];
        if f.starts_with("ngay ") && issues_own(sentence, kind).is_some() {
            let d: String = f[5..].chars().take_while(|c| c.is_ascii_digit() || *c == '/').collect();
            if let Ok(day) = Day::parse(&d) {
                return day.to_string();
            }
        }
    }
    String::new()
}

/// The body before "ban hành" or "xây dựng kế hoạch".
fn issuer(paras: &[Para], kind: &str) -> String {
    for p in paras {
        let f = Folded::new(&p.text).text;
        let Some(end) = issues_own(&f, kind) else { continue };
        let verb = ["ban hanh", "xay dung"].iter().filter_map(|w| f[..end].rfind(w)).max();
        let Some(at) = verb else { continue };
        let before = f[..at].trim_end().trim_end_matches(" da").trim_end();
        let from = before.rfind([',', '.', ';', ')']).map_or(0, |i| i + 1);
        let words = before[from..].split_whitespace().count();
        let o = |i: usize| {
            p.text
                .char_indices()
                .nth(f[..i].chars().count())
                .map_or(p.text.len(), |(i, _)| i)
        };
        let name = p.text[o(from)..o(before.len())].trim();
        if (2..=12).contains(&words) && name.starts_with(|c: char| c.is_uppercase()) {
            return name.to_string();
        }
    }
    String::new()
}

/// The issuing body in the header block: the last line in capitals
/// before the number or the title that is not the Union's or the State's
/// name ("BCH HỘI NÔNG DÂN XÃ HÒA BÌNH", "BAN THƯỜNG VỤ TỈNH ỦY").
fn header_body(paras: &[Para]) -> String {
    let mut found = String::new();
    for p in paras.iter().take(8) {
        let f = Folded::new(&p.text).text;
        if f.starts_with("so ") || f.starts_with("so:") || KINDS.iter().any(|k| f.starts_with(k)) {
            break;
        }
        let national = ["hoi nong dan viet nam", "cong hoa", "doc lap", "dang cong san"]
            .iter()
            .any(|w| f.starts_with(w));
        if is_upper_line(&p.text) && !national && !f.contains(", ngay ") {
            // "HỘI NÔNG DÂN TỈNH BẮC GIANG" over "BAN THƯỜNG VỤ": the
            // committee of the body above it.
            let committee = ["ban thuong vu", "ban chap hanh", "bch", "thuong truc"]
                .iter()
                .any(|w| f.trim() == *w);
            found = if committee && !found.is_empty() {
                format!("{} {}", p.text.trim(), found)
            } else {
                p.text.trim().to_string()
            };
        }
    }
    found
}

/// "KẾ HOẠCH" with the line(s) under it, or "<kind> …" in the sentence
/// that issues it.
fn title(paras: &[Para]) -> String {
    for (i, p) in paras.iter().enumerate() {
        let f = Folded::new(&p.text).text;
        let f = f.trim_end();
        // "KẾ HOẠCH", "About KẾ HOẠCH" (a page's menu before it),
        // "CHƯƠNG TRÌNH CÔNG TÁC".
        let at = KINDS.iter().find_map(|k| {
            if f.ends_with(*k) {
                Some(f.len() - k.len())
            } else if f.starts_with(*k) {
                Some(0)
            } else {
                None
            }
        });
        let Some(at) = at else { continue };
        if !is_upper_line(&p.text[at..]) || f[at..].split(' ').count() > 6 {
            continue;
        }
        let word = p.text[p.text.char_indices().nth(at).map_or(0, |(i, _)| i)..].trim();
        let mut title = capitalised(&word.to_lowercase());
        // "KẾ HOẠCH" over its subject: the line under it completes the
        // title; "CHƯƠNG TRÌNH CÔNG TÁC NĂM 2026" is whole, and "Căn cứ …"
        // under a title is the preamble.
        let kind_alone = KINDS.iter().any(|k| f[at..].trim() == *k);
        let next = paras
            .get(i + 1)
            .filter(|n| kind_alone && !Folded::new(&n.text).text.starts_with("can cu"));
        if let Some(next) = next {
            let sub = next.text.trim();
            let mut chars = sub.chars();
            let first: String = chars.next().map(|c| c.to_lowercase().collect()).unwrap_or_default();
            let sub = first + chars.as_str();
            title = format!("{title} {}", sub.trim_end_matches('.'));
        }
        return title;
    }
    for p in paras {
        let f = Folded::new(&p.text).text;
        let Some(at) = find_word(&f, "ban hanh") else { continue };
        let rest = f[at + 8..].trim_start();
        let from = f.len() - rest.len();
        if let Some(kind) = KINDS.iter().find(|k| rest.starts_with(*k)) {
            let o = |i: usize| {
                p.text
                    .char_indices()
                    .nth(f[..i].chars().count())
                    .map_or(p.text.len(), |(i, _)| i)
            };
            let end = f[from..].find(". ").map_or(f.len(), |e| from + e);
            let _ = kind;
            return capitalised(p.text[o(from)..o(end)].trim_end_matches('.'));
        }
    }
    String::new()
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
