//! Targets (chỉ tiêu) read from clauses: the figure, its unit, the
//! comparator the words set, the indicator of the catalogue the words
//! name (or one proposed from them), the year, and the scope ("mỗi xã",
//! "các cấp").

use crate::figures::{Figure, figures};
use crate::text::{Folded, find_word, has_word};
use crate::{Comparator, Target};
use hnd_domain::plan::indicator;

/// Words that make a clause outside a list of targets state one.
const TARGET_CUES: &[&str] = &[
    "phan dau",
    "chi tieu",
    "muc tieu",
    "tro len",
    "it nhat",
    "toi thieu",
    "khong duoi",
    "khong it hon",
    "toi da",
    "khong qua",
    "dat ty le",
    "phan dau dat",
];

/// Words that make a clause a result already reached, not a target.
const RESULT_CUES: &[&str] = &[
    "vua qua",
    "ket qua",
    "so voi",
    "dat duoc",
    "da dat",
    "luy ke",
    "tinh den nay",
    "hien co",
];

/// Words before a figure that set "≥".
const AT_LEAST: &[&str] = &[
    "it nhat",
    "toi thieu",
    "khong duoi",
    "khong it hon",
    "tren",
    "hon",
    "vuot",
];
/// Words before a figure that set "≤".
const AT_MOST: &[&str] = &[
    "toi da",
    "khong qua",
    "khong vuot qua",
    "duoi",
    "it hon",
    "xuong con",
    "con duoi",
    "chi con",
    "qua",
];

/// Words that start the part of a clause after its scope ("mỗi cơ sở Hội
/// | xây dựng được").
const SCOPE_ENDS: &[&str] = &[
    "co",
    "xay",
    "giup",
    "van",
    "to chuc",
    "chi dao",
    "thanh lap",
    "phoi",
    "dat",
    "duoc",
    "it",
    "tu",
    "phan",
    "ket",
    "lap",
    "tham",
    "cat",
    "ho tro",
    "dang",
    "thuc",
];

/// Keywords (all must appear in the folded context) naming a catalogue
/// indicator; `percent` says whether the figure is a share. Tried in order.
const INDICATORS: &[(&[&str], Option<bool>, &str)] = &[
    (&["bao hiem y te"], Some(true), "members_bhyt_rate"),
    (&["bhyt"], Some(true), "members_bhyt_rate"),
    (&["bao hiem y te"], Some(false), "members_bhyt"),
    (&["bao hiem xa hoi"], Some(false), "members_bhxh"),
    (&["bhxh"], Some(false), "members_bhxh"),
    (&["dat danh hieu"], Some(true), "sxkd_achieved_rate"),
    (&["dang ky", "gioi"], Some(true), "sxkd_registered_rate"),
    (&["dang ky", "danh hieu"], Some(true), "sxkd_registered_rate"),
    (&["dat danh hieu"], Some(false), "sxkd_achieved"),
    (&["dang ky", "gioi"], Some(false), "sxkd_registered"),
    (&["uu tu"], Some(false), "members_proposed_to_party"),
    (&["ket nap"], Some(false), "new_members"),
    (&["phat trien moi"], Some(false), "new_members"),
    (&["phat trien hoi vien"], Some(false), "new_members"),
    (&["tong so hoi vien"], Some(false), "members"),
    (&["hoi vien nu"], Some(false), "women_members"),
    (
        &["hoi vien", "dan toc thieu so"],
        Some(false),
        "ethnic_minority_members",
    ),
    (&["nghe nghiep", "to hoi"], Some(false), "professional_groups_new"),
    (&["nghe nghiep", "chi hoi"], Some(false), "professional_branches_new"),
    (&["tham gia to hop tac"], Some(false), "members_in_cooperatives"),
    (&["tham gia hop tac xa"], Some(false), "members_in_cooperatives"),
    (&["to hop tac"], Some(false), "cooperative_groups_new"),
    (&["hop tac xa"], Some(false), "cooperatives_new"),
    (&["xuat sac"], Some(false), "excellent_farmers_trained"),
    (&["kinh doanh gioi cap"], Some(false), "excellent_farmers_trained"),
    (&["nghe"], Some(false), "vocational_trained"),
    (&["chuyen trach"], Some(true), "cadres_trained_rate"),
    (&["chi hoi truong"], Some(true), "cadres_trained_rate"),
    (&["can bo chi hoi"], Some(true), "cadres_trained_rate"),
    (&["co so", "vung manh"], Some(true), "bases_good_rate"),
    (&["co so", "hoan thanh tot"], Some(true), "bases_good_rate"),
    (&["tuyen truyen", "luot"], Some(false), "propaganda_attendances"),
    (&["quy ho tro nong dan"], None, "support_fund_growth"),
    (&["thoat ngheo"], Some(false), "households_out_of_poverty"),
    (&["mai am"], Some(false), "houses_built"),
    (&["doi thoai"], Some(true), "dialogue_coverage"),
    (&["doi thoai"], Some(false), "dialogues"),
    (&["moi truong"], Some(false), "environment_models"),
    (&["an ninh"], Some(false), "security_models"),
    (&["bai"], Some(false), "articles"),
];

/// How a paragraph stands to targets.
#[derive(Debug, Clone, Default)]
pub struct Zone {
    /// Inside a list of targets: figures need no cue word.
    pub listed: bool,
    /// The period the list is for ("hằng năm", "2022").
    pub period: String,
}

/// The targets of one paragraph (`text`, at `start` in the source).
pub fn targets_of(text: &str, start: usize, zone: &Zone, doc_year: Option<i32>) -> Vec<Target> {
    let folded = Folded::new(text);
    let f = &folded.text;
    let mut out = Vec::new();
    let all = clauses(f);
    // "Hằng năm, phấn đấu …: (1) …" sets the period of the list it opens.
    let own_period = match &zone.period {
        p if p.is_empty() => all.first().and_then(|(a, b)| period_of(&f[*a..*b])).unwrap_or_default(),
        p => p.clone(),
    };
    for (a, b) in all {
        let clause = &f[a..b];
        let figs = figures(clause, &text[folded.orig(a)..folded.orig(b)]);
        if figs.is_empty() {
            continue;
        }
        let cued = zone.listed || TARGET_CUES.iter().any(|w| has_word(clause, w)) || has_word(f, "phan dau");
        if !cued || is_result(clause, &text[folded.orig(a)..folded.orig(b)], doc_year, zone.listed) {
            continue;
        }
        let o_clause = &text[folded.orig(a)..folded.orig(b)];
        // Each figure's own words: from the last "và" or comma before it
        // to the next one after it.
        let windows: Vec<(usize, usize)> = figs
            .iter()
            .enumerate()
            .map(|(n, fig)| {
                let lo = figs.get(n.wrapping_sub(1)).map_or(0, |p| p.end);
                let hi = figs.get(n + 1).map_or(clause.len(), |x| x.start);
                let before = &clause[lo..fig.start];
                // "sản xuất, kinh doanh giỏi" is one name, its comma no cut.
                let lo = [" va ", ", "]
                    .iter()
                    .filter_map(|w| {
                        before
                            .match_indices(w)
                            .filter(|(i, _)| !before[i + w.len()..].starts_with("kinh doanh"))
                            .map(|(i, _)| lo + i + w.len())
                            .last()
                    })
                    .max()
                    .unwrap_or(lo);
                let after = &clause[fig.end..hi];
                let hi = [" va ", ", co ", "; "]
                    .iter()
                    .filter_map(|w| after.find(w).map(|i| fig.end + i))
                    .min()
                    .unwrap_or(hi);
                (lo, hi)
            })
            .collect();
        let local: Vec<Option<&'static str>> = figs
            .iter()
            .zip(&windows)
            .map(|(fig, (lo, hi))| indicator_of(&clause[*lo..*hi], fig, &[]))
            .collect();
        let used: Vec<&str> = local.iter().flatten().copied().collect();
        let mut percent_end: Option<usize> = None;
        for (n, fig) in figs.iter().enumerate() {
            let (lo, hi) = windows[n];
            let before = &clause[lo..fig.start];
            let after = &clause[fig.end..hi];
            // "100% cơ sở … tổ chức được ít nhất 01 hoạt động": the
            // figures after a share are what each unit counted must reach.
            if let Some(p_end) = percent_end
                && fig.unit != "%"
                && ["it nhat", "toi thieu", " tu "]
                    .iter()
                    .any(|w| clause[p_end..fig.start].contains(w))
                && !clause[p_end..fig.start].contains(" va ")
            {
                continue;
            }
            // "trị giá mỗi căn từ 40 triệu đồng": a condition, not a target.
            if has_word(before, "tri gia") || has_word(before, "muc") {
                continue;
            }
            if fig.unit.is_empty() && (local[n].is_none() || !zone.listed) {
                continue;
            }
            let code = local[n].or_else(|| indicator_of(clause, fig, &used));
            let proposed = code.is_none().then(|| proposed_name(slice_chars(o_clause, lo, hi)));
            let unit = match fig.unit {
                "" => inferred_unit(code),
                u => u.to_string(),
            };
            if fig.unit == "%" {
                percent_end = Some(fig.end);
            }
            let (o_a, o_b) = (folded.orig(a), folded.orig(b));
            out.push(Target {
                text: text[o_a..o_b]
                    .trim()
                    .trim_start_matches(['-', '+', ':', ' '])
                    .trim()
                    .to_string(),
                indicator: code.map(str::to_string),
                proposed,
                comparator: comparator(before, after, fig),
                value: fig.value,
                value_max: fig.value_max,
                unit,
                period: period_of(clause).unwrap_or_else(|| own_period.clone()),
                scope: scope_of(clause, o_clause),
                not_target: false,
                start: start + o_a,
                end: start + o_b,
            });
        }
    }
    out
}

/// The clauses of a folded paragraph: split at ";", at "(1)"-style
/// numbering and at full stops.
fn clauses(f: &str) -> Vec<(usize, usize)> {
    let b = f.as_bytes();
    let mut cuts = vec![0];
    for i in 0..b.len() {
        let numbered = b[i] == b'('
            && b.get(i + 1).is_some_and(u8::is_ascii_digit)
            && (b.get(i + 2) == Some(&b')')
                || (b.get(i + 2).is_some_and(u8::is_ascii_digit) && b.get(i + 3) == Some(&b')')));
        let stop = b[i] == b'.' && b.get(i + 1).is_none_or(|c| *c == b' ') && i > 0 && !b[i - 1].is_ascii_digit();
        if numbered {
            cuts.push(i);
        } else if b[i] == b';' || stop {
            cuts.push(i + 1);
        }
    }
    cuts.push(b.len());
    cuts.dedup();
    cuts.windows(2).map(|w| (w[0], w[1])).filter(|(a, b)| b > a).collect()
}

/// Whether a clause reports a result ("năm 2024 đã kết nạp 3.100 hội
/// viên") rather than set a target.
///
/// In a list of targets, "so với" compares the target with its base ("76%
/// so với tổng số hộ", "tăng 10% so với năm 2024"): not a result there.
fn is_result(f: &str, orig: &str, doc_year: Option<i32>, listed: bool) -> bool {
    let done = orig.split(|c: char| !c.is_alphabetic()).any(|w| w == "đã" || w == "Đã");
    let cue = RESULT_CUES
        .iter()
        .any(|w| has_word(f, w) && !(listed && *w == "so voi"));
    if done || cue {
        return !has_word(f, "phan dau");
    }
    // A year before the document's, without words that look ahead.
    let past_year = doc_year.is_some_and(|doc| {
        f.split(|c: char| !c.is_ascii_digit())
            .filter_map(|d| (d.len() == 4).then(|| d.parse::<i32>().ok()).flatten())
            .any(|y| (1930..doc).contains(&y))
    });
    past_year && !["phan dau", "den", "dat", "chi tieu"].iter().any(|w| has_word(f, w))
}

fn comparator(before: &str, after: &str, fig: &Figure) -> Comparator {
    if fig.value_max.is_some() {
        return Comparator::Range;
    }
    let near: String = before
        .split_whitespace()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<Vec<_>>()
        .join(" ");
    if ["khong duoi", "khong it hon"].iter().any(|w| has_word(&near, w)) {
        return Comparator::AtLeast;
    }
    if AT_MOST.iter().any(|w| has_word(&near, w)) || has_word(after, "tro xuong") {
        return Comparator::AtMost;
    }
    if AT_LEAST.iter().any(|w| has_word(&near, w)) || has_word(after, "tro len") {
        return Comparator::AtLeast;
    }
    // A bare figure of a plan is a floor: more members, more insured,
    // more models are better. Only words say otherwise.
    // "giảm xuống còn 2%" sets a ceiling; "giảm bình quân 1,5%/năm" a
    // reduction to reach, a floor.
    let yearly = has_word(before, "binh quan") || after.trim_start().starts_with("/nam") || has_word(after, "moi nam");
    if has_word(before, "giam") && (has_word(before, "ty le") || has_word(before, "con")) && !yearly {
        return Comparator::AtMost;
    }
    Comparator::AtLeast
}

/// The chars `lo..hi` of `s` (folded offsets are char counts).
fn slice_chars(s: &str, lo: usize, hi: usize) -> &str {
    &s[char_offset(s, lo)..char_offset(s, hi)]
}

/// The catalogue indicator the words around a figure name, other than
/// those `taken` by its neighbours.
fn indicator_of(words: &str, fig: &Figure, taken: &[&str]) -> Option<&'static str> {
    let percent = fig.unit == "%";
    let unit_fits = |code: &str| {
        let Some(ind) = indicator(code) else { return false };
        use hnd_domain::plan::Measure::*;
        match ind.measure {
            Percent => percent,
            Vnd => fig.unit.contains("đồng"),
            _ => !percent,
        }
    };
    INDICATORS
        .iter()
        .find(|(keys, p, code)| {
            keys.iter().all(|w| has_word(words, w))
                && p.is_none_or(|p| p == percent)
                && unit_fits(code)
                && !taken.contains(code)
        })
        .map(|(.., code)| *code)
}

/// A name for an indicator the catalogue lacks, from the clause's words
/// without its figures and comparators.
fn proposed_name(orig: &str) -> String {
    let words: Vec<&str> = orig
        .split_whitespace()
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit()) && *w != "-" && *w != "+")
        .take(14)
        .collect();
    let name = words.join(" ");
    let name = name.trim_matches(|c: char| !c.is_alphanumeric());
    let mut chars = name.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn inferred_unit(code: Option<&str>) -> String {
    let Some(ind) = code.and_then(indicator) else {
        return String::new();
    };
    use hnd_domain::plan::Measure::*;
    match ind.measure {
        People if ind.code.contains("member") => "hội viên",
        People => "người",
        Households => "hộ",
        Percent => "%",
        Vnd => "đồng",
        Units | Count => "",
    }
    .to_string()
}

/// "năm 2022", "đến hết năm 2023", "giai đoạn 2021-2025" in a clause.
pub fn period_of(f: &str) -> Option<String> {
    if let Some(at) = find_word(f, "giai doan") {
        let near: String = f[at..].split(' ').take(5).collect::<Vec<_>>().join(" ");
        let years: Vec<&str> = near
            .split(|c: char| !c.is_ascii_digit())
            .filter(|d| d.len() == 4)
            .take(2)
            .collect();
        if years.len() == 2 {
            return Some(format!("{}-{}", years[0], years[1]));
        }
    }
    if has_word(f, "hang nam") || has_word(f, "moi nam") {
        return Some("hằng năm".into());
    }
    let at = find_word(f, "nam")?;
    let year: String = f[at + 3..]
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (year.len() == 4).then_some(year)
}

/// "mỗi cơ sở Hội", "mỗi quận, huyện", "các cấp" as the clause writes it.
fn scope_of(f: &str, orig: &str) -> String {
    // "mỗi" (each), not "mới" (new): both fold to "moi".
    let each = f.match_indices("moi").map(|(i, _)| i).find(|&i| {
        crate::text::word_at(f, i, "moi") && {
            let o = char_offset(orig, f[..i].chars().count());
            orig[o..].starts_with("mỗi") || orig[o..].starts_with("Mỗi")
        }
    });
    if let Some(at) = each {
        let words: Vec<&str> = f[at..].split(' ').collect();
        let mut take = 1;
        while take < words.len() && take < 6 {
            let w = words[take].trim_end_matches(',');
            let two = format!("{w} {}", words.get(take + 1).unwrap_or(&""));
            let co_so = w == "co" && two.starts_with("co so");
            if !co_so && (SCOPE_ENDS.contains(&w) || SCOPE_ENDS.contains(&two.trim_end_matches(',')))
                || w.chars().any(|c| c.is_ascii_digit())
            {
                break;
            }
            take += 1;
        }
        let len: usize = words[..take].iter().map(|w| w.len() + 1).sum::<usize>() - 1;
        let o_at = char_offset(orig, f[..at].chars().count());
        let o_end = char_offset(orig, f[..at + len].chars().count());
        return orig[o_at..o_end].trim_end_matches(',').to_string();
    }
    if has_word(f, "cac cap") {
        return "các cấp".into();
    }
    String::new()
}

fn char_offset(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i)
}
