//! Tasks (nhiệm vụ) and the bodies they are given to: from the blocks
//! "Cơ quan chỉ đạo: … / Cơ quan chủ trì: … / Thời gian thực hiện: …" of
//! a task list, from cells of a table under "chủ trì" and "phối hợp"
//! headers, and from phrases ("Giao X chủ trì, phối hợp với Y …",
//! "Đề nghị X …", "X yêu cầu Y …", or an item that begins with a body).

use crate::text::{Folded, find_word, has_word};
use hnd_domain::plan::Deadline;

/// First words of a body's name (folded).
const BODY_STARTS: &[&str] = &[
    "ban",
    "so",
    "cac so",
    "ubnd",
    "uy ban",
    "dang doan",
    "dang uy",
    "ban can su",
    "hoi nong dan",
    "cac cap hoi",
    "cac cap uy",
    "cap uy",
    "mat tran",
    "mttq",
    "van phong",
    "trung tam",
    "ngan hang",
    "cong an",
    "bo ",
    "tinh uy",
    "huyen uy",
    "thanh uy",
    "cac huyen",
    "cac ban",
    "cac co so",
    "co so hoi",
    "giam doc",
    "thu truong",
    "chu tich",
    "thuong truc",
    "hoi dong",
    "cac to chuc",
    "tinh doan",
    "lien doan",
    "phong",
    "chi cuc",
    "cuc",
    "dai",
    "quy ho tro",
    "cac dong chi",
    "chi hoi",
    "to hoi",
    "cac chi hoi",
    "cac doan the",
    "doan thanh nien",
    "hoi lien hiep",
    "hoi cuu chien binh",
    "cac quan",
    "cac xa",
    "hnd",
    "cac don vi",
    "cac nganh",
    "cac co quan",
    "can bo, chuyen vien",
    "cac cap",
    "hoi nd",
];

/// Words that begin what a body does, ending its name.
const VERBS: &[&str] = &[
    "chu tri",
    "phoi hop",
    "chi dao",
    "huong dan",
    "lanh dao",
    "to chuc",
    "trien khai",
    "tang cuong",
    "xay dung",
    "tham muu",
    "tuyen truyen",
    "thuc hien",
    "theo doi",
    "kiem tra",
    "bao cao",
    "chu dong",
    "day manh",
    "tao",
    "la",
    "co trach nhiem",
    "quan tam",
    "tiep tuc",
    "can cu",
    "dua",
    "uu tien",
    "phat huy",
    "cung co",
    "doi moi",
    "nang cao",
    "giup",
    "huong ung",
    "thuong xuyen",
    "dinh ky",
    "khan truong",
    "phan cong",
    "cham",
    "boi duong",
    "van dong",
    "giam sat",
    "ra soat",
    "tap trung",
    "dam bao",
    "ho tro",
    "theo",
    "yeu cau",
    "de nghi",
    "dang tai",
    "ban hanh",
    "phat dong",
    "lam",
    "tham gia",
    "don doc",
    "xem xet",
    "bo tri",
    "dieu hanh",
    "phat hien",
    "thanh tra",
    "chiu trach nhiem",
    "duy tri",
    "giao",
];

/// Bodies named by a phrase of a task.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Roles {
    pub directing: String,
    pub lead: String,
    pub coordinating: Vec<String>,
}

/// Folded `f` with "giáo" (as in "Ban Tuyên giáo") spelled "gixo", so
/// that "giao" is only the verb "giao" (to assign).
fn marked_giao(f: &str, orig: &str) -> String {
    let mut out = f.to_string();
    for (i, _) in f.match_indices("giao") {
        let o = orig.char_indices().nth(i).map_or(0, |(b, _)| b);
        if !orig[o..].starts_with("giao") && !orig[o..].starts_with("Giao") {
            out.replace_range(i..i + 4, "gixo");
        }
    }
    out
}

/// Whether a verb begins at `pos` of folded `f`: not a noun after "các"
/// ("các tổ chức chính trị - xã hội").
fn verb_at(f: &str, pos: usize) -> bool {
    let before = &f[..pos];
    let noun = ["cac ", "nhung ", "- ", "quy "].iter().any(|w| before.ends_with(w));
    !noun
        && VERBS
            .iter()
            .any(|v| f[pos..].starts_with(v) && f[pos + v.len()..].starts_with([' ', ',', '.', ';']))
}

/// The body whose name begins folded `f` at `at` and where it ends (at
/// its verb), if one does within 30 words.
fn body_at(f: &str, at: usize) -> Option<usize> {
    let rest = &f[at..];
    if !BODY_STARTS
        .iter()
        .any(|b| rest.starts_with(b) && rest[b.len()..].starts_with([' ', ',', ':']))
    {
        return None;
    }
    let mut pos = at;
    // "Ban Tổ chức", "Ban Xây dựng Hội", "Sở Tư pháp": the word after
    // "Ban" or "Sở" names it, whatever verb it spells.
    let first = if rest.starts_with("ban ") || rest.starts_with("so ") {
        2
    } else {
        1
    };
    for (n, word) in f[at..].split(' ').enumerate() {
        if n >= first && n < 32 && verb_at(f, pos) {
            return Some(pos);
        }
        if n >= 32 || word.ends_with('.') {
            return None;
        }
        pos += word.len() + 1;
        if pos >= f.len() {
            return None;
        }
    }
    None
}

fn trim_body(s: &str) -> String {
    s.trim()
        .trim_matches(|c: char| c == ',' || c == ';' || c == ':' || c == '.' || c == ' ')
        .to_string()
}

/// Splits "A; B, C và các đơn vị liên quan" at ";".
fn list(s: &str) -> Vec<String> {
    s.split(';').map(trim_body).filter(|p| !p.is_empty()).collect()
}

/// Where the bodies listed after "phối hợp với" end: at "có liên quan"
/// (kept), at a verb, or at the clause's end.
fn coordinating_end(f: &str, from: usize) -> usize {
    let mut pos = from;
    for word in f[from..].split(' ') {
        let here = &f[pos..];
        if here.starts_with("co lien quan") {
            return pos + "co lien quan".len();
        }
        if here.starts_with("lien quan") {
            return pos + "lien quan".len();
        }
        if pos > from + 3 && verb_at(f, pos) {
            return pos;
        }
        if word.ends_with('.') {
            return pos + word.len() - 1;
        }
        pos += word.len() + 1;
        if pos >= f.len() {
            return f.len();
        }
    }
    f.len()
}

/// The roles a text's phrases give, and where the lead's name ends (the
/// task's own words follow).
pub fn roles_of(orig: &str) -> (Roles, Option<usize>) {
    let folded = Folded::new(orig);
    let f = &marked_giao(&folded.text, orig);
    let o = |a: usize, b: usize| orig[folded.orig(a)..folded.orig(b)].to_string();
    let mut roles = Roles::default();
    // Where a body may begin: the start, after "Giao", "Đề nghị", or a
    // clause boundary.
    let mut starts = vec![0];
    for w in ["giao ", "de nghi ", "yeu cau "] {
        if f.starts_with(w) {
            starts.insert(0, w.len());
        }
    }
    // "Căn cứ …; Giám đốc các sở … xây dựng kế hoạch": the body comes
    // after what the item rests on.
    if f.starts_with("can cu") || f.starts_with("tren co so") {
        for (i, c) in f.char_indices() {
            if c == ';' && f[i + 1..].starts_with(' ') {
                starts.push(i + 2);
            }
        }
    }
    for s in starts {
        let Some(end) = body_at(f, s) else { continue };
        let names = o(s, end);
        let mut parts = list(&names);
        if parts.is_empty() {
            continue;
        }
        let after = &f[end..];
        // "X yêu cầu Y …", "X giao Y …": X directs, Y leads.
        for w in ["yeu cau ", "de nghi ", "giao "] {
            if after.starts_with(w)
                && let Some(next) = body_at(f, end + w.len())
            {
                roles.directing = names.clone();
                let led = o(end + w.len(), next);
                let mut led = list(&led);
                roles.lead = led.remove(0);
                roles.coordinating = led;
                return (roles, Some(next));
            }
        }
        roles.lead = parts.remove(0);
        roles.coordinating = parts;
        let mut task_at = end;
        if let Some(p) = find_word(&f[end..], "phoi hop voi").map(|p| p + end)
            && p < end + 20
        {
            let from = p + "phoi hop voi".len() + 1;
            let to = coordinating_end(f, from.min(f.len()));
            roles.coordinating.extend(list(&o(from.min(to), to)));
            task_at = to;
        }
        if f[task_at..].trim_start().starts_with("chu tri") {
            task_at += f[task_at..].find("chu tri").unwrap_or(0) + "chu tri".len();
        }
        return (roles, Some(task_at));
    }
    (roles, None)
}

/// The roles a later sentence of a task's paragraph gives ("Rà soát …
/// . Giao Ban Tổ chức chủ trì, phối hợp với Văn phòng; thời gian …"):
/// the clause around "chủ trì", read as [`assigned`] reads it.
pub fn later_roles(orig: &str) -> Option<Roles> {
    let folded = Folded::new(orig);
    let f = &folded.text;
    let at = find_word(f, "chu tri")?;
    let mut from = [". ", "; "]
        .iter()
        .filter_map(|w| f[..at].rfind(w).map(|i| i + 2))
        .max()?;
    for w in ["giao ", "de nghi ", "yeu cau "] {
        if f[from..].starts_with(w) {
            from += w.len();
        }
    }
    let end = f[at..].find([';', '.']).map_or(f.len(), |i| at + i);
    let roles = assigned(&orig[folded.orig(from)..folded.orig(end)]);
    (!roles.lead.is_empty()).then_some(roles)
}

impl Roles {
    /// Every body named, the lead first.
    pub fn all(self) -> Vec<String> {
        Some(self.lead)
            .filter(|l| !l.is_empty())
            .into_iter()
            .chain(self.coordinating)
            .collect()
    }
}

/// Where the words of a sentence begin after an opening clause ("Để đạt
/// các chỉ tiêu trên, …", "Theo đó, …").
pub fn lead_in(sentence: &str) -> usize {
    let f = Folded::new(sentence).text;
    let opens = [
        "de ",
        "nham ",
        "theo do",
        "tren co so",
        "ben canh do",
        "dong thoi",
        "ngoai ra",
    ];
    match f.find(", ") {
        Some(comma) if opens.iter().any(|w| f.starts_with(w)) => sentence
            .char_indices()
            .nth(comma + 2)
            .map_or(sentence.len(), |(i, _)| i),
        _ => 0,
    }
}

/// The lead and coordinating bodies of "Cơ quan chủ trì / tham mưu,
/// thực hiện: …" text ("A chủ trì, phối hợp với B; C").
pub fn assigned(orig: &str) -> Roles {
    let folded = Folded::new(orig);
    let f = &folded.text;
    let o = |a: usize, b: usize| orig[folded.orig(a)..folded.orig(b)].to_string();
    let mut roles = Roles::default();
    let cut = ["chu tri", "phoi hop voi", "phoi hop"]
        .iter()
        .filter_map(|w| find_word(f, w))
        .min();
    match cut {
        Some(at) => {
            let mut lead = list(&o(0, at));
            if let Some(first) = lead.first().cloned() {
                roles.lead = first;
                lead.remove(0);
            }
            let rest_at = find_word(f, "phoi hop voi")
                .map(|p| p + "phoi hop voi".len())
                .unwrap_or(at);
            let rest = o(rest_at, f.len());
            roles.coordinating = lead.into_iter().chain(list(&rest)).collect();
        }
        None => {
            let mut parts = list(orig);
            if !parts.is_empty() {
                roles.lead = parts.remove(0);
            }
            roles.coordinating = parts;
        }
    }
    roles
}

/// A deadline in a task's words: "hoàn thành trong quý II/2024", "trước
/// ngày 15/11 hằng năm", "trong tháng 3/2020", "Thường xuyên" as an
/// answer. Read through [`Deadline::parse`]; kept as written when it
/// cannot be read.
pub fn deadline_in(orig: &str, answer: bool) -> String {
    let f = Folded::new(orig).text;
    if answer {
        return Deadline::parse(orig)
            .map(|d| d.to_string())
            .unwrap_or_else(|_| trim_body(orig));
    }
    for cue in [
        "truoc ngay",
        "trong quy",
        "quy ",
        "trong thang",
        "hoan thanh trong",
        "xong truoc",
        "thang ",
    ] {
        let Some(at) = f.find(cue) else { continue };
        let tail: String = f[at..].chars().take(40).collect();
        let tail = tail.split([')', ';', ',']).next().unwrap_or("");
        let tail = if has_word(&f, "hang nam") && !tail.contains("hang nam") {
            format!("{tail} hang nam")
        } else {
            tail.to_string()
        };
        let tail = tail.trim_end_matches(['.', ' ']);
        if let Ok(d) = Deadline::parse(tail) {
            return d.to_string();
        }
    }
    if has_word(&f, "thuc hien thuong xuyen") {
        return Deadline::Ongoing.to_string();
    }
    String::new()
}

/// Whether a paragraph is only a body's name ("1. Hội Nông dân thành
/// phố"): the bullets under it are its tasks.
pub fn is_body_heading(orig: &str) -> bool {
    let f = Folded::new(orig).text;
    let f = f.trim_end_matches(['.', ':']);
    f.split(' ').count() <= 8
        && BODY_STARTS.iter().any(|b| f.starts_with(b))
        && !VERBS.iter().skip(1).any(|v| has_word(f, v))
}
