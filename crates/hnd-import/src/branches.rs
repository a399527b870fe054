//! Branch and group names as lists write them ("Chi hội Tổ dân phố Đồng
//! Tâm", "CH TDP Đồng Tâm", "NN-Nuôi ong") matched to the units of the
//! commune: accents, case and punctuation ignored, abbreviations spelt
//! out. A name that reads as exactly one unit's is taken; a name close to
//! some is proposed with the others it could be, and marked for a person
//! to confirm; it is never taken silently.

use crate::fields::name_key;
use crate::mapping::Branch;

/// A unit a name may stand for.
#[derive(Debug, Clone)]
pub struct UnitName {
    pub code: String,
    pub name: String,
}

/// Abbreviations of branch names, spelt out.
const SHORT: [(&str, &str); 14] = [
    ("ch", "chi hoi"),
    ("th", "to hoi"),
    ("tdp", "to dan pho"),
    ("nn", "nghe nghiep"),
    ("kdc", "khu dan cu"),
    ("kp", "khu pho"),
    ("dc", "dan cu"),
    ("clb", "cau lac bo"),
    ("tt", "thi tran"),
    ("chnn", "chi hoi nghe nghiep"),
    ("thnn", "to hoi nghe nghiep"),
    ("dp", "dan pho"),
    ("hv", "hoi vien"),
    ("hnd", "hoi nong dan"),
];

/// The words of a name, abbreviations spelt out, "số" before a number
/// and a number's leading zeros dropped.
fn words(name: &str) -> Vec<String> {
    let key = name_key(name);
    let mut raw: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
    // A heading's number: "I. Chi hội …", "2) Tổ hội …", "a. …".
    const ROMAN: [&str; 12] = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"];
    if raw.len() > 2 && (ROMAN.contains(&raw[0]) || raw[0].len() == 1 || raw[0].bytes().all(|b| b.is_ascii_digit())) {
        raw.remove(0);
    }
    let mut out = Vec::new();
    for (i, w) in raw.iter().enumerate() {
        if *w == "so" && raw.get(i + 1).is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit())) {
            continue;
        }
        if w.bytes().all(|b| b.is_ascii_digit()) {
            let n = w.trim_start_matches('0');
            out.push(if n.is_empty() { "0" } else { n }.to_string());
            continue;
        }
        match SHORT.iter().find(|(s, _)| s == w) {
            Some((_, long)) => out.extend(long.split(' ').map(str::to_string)),
            None => out.push(w.to_string()),
        }
    }
    out
}

/// The words without the kind of unit ("chi hội", "tổ hội") they start with.
fn core(words: &[String]) -> Vec<String> {
    let joined = words.join(" ");
    for prefix in ["chi hoi", "to hoi"] {
        if let Some(rest) = joined.strip_prefix(prefix) {
            return rest.split_whitespace().map(str::to_string).collect();
        }
    }
    words.to_vec()
}

/// Words that say what kind of place a branch is, not which.
const KINDS: [&str; 15] = [
    "to", "dan", "pho", "thon", "khu", "ap", "ban", "xom", "nghe", "nghiep", "cu", "lang", "buon", "doi", "so",
];

/// A name's own words: its kind left out.
fn proper(words: &[String]) -> Vec<String> {
    words.iter().filter(|w| !KINDS.contains(&w.as_str())).cloned().collect()
}

/// How alike two names' words are, from 0 to 1: the share of words in
/// common, and of letters in common in order (edit distance).
fn likeness(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let common = a.iter().filter(|w| b.contains(w)).count() as f64;
    let dice = 2.0 * common / (a.len() + b.len()) as f64;
    let (x, y) = (a.join(" "), b.join(" "));
    let distance = levenshtein(&x, &y) as f64;
    let chars = x.chars().count().max(y.chars().count()) as f64;
    dice.max(1.0 - distance / chars)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The unit each of `names` stands for among `units`.
pub fn match_names(names: &[String], units: &[UnitName]) -> Vec<Branch> {
    let known: Vec<(Vec<String>, Vec<String>, &UnitName)> = units
        .iter()
        .map(|u| {
            let w = words(&u.name);
            (core(&w), w, u)
        })
        .collect();
    names
        .iter()
        .map(|name| {
            let w = words(name);
            let c = core(&w);
            let shown = |u: &UnitName| format!("{} · {}", u.code, u.name);
            let by_code: Vec<&UnitName> = units
                .iter()
                .filter(|u| u.code.eq_ignore_ascii_case(name.trim()))
                .collect();
            let whole: Vec<&UnitName> = known.iter().filter(|(_, kw, _)| *kw == w).map(|(_, _, u)| *u).collect();
            let cores: Vec<&UnitName> = known.iter().filter(|(kc, _, _)| *kc == c).map(|(_, _, u)| *u).collect();
            let exact = match (by_code.as_slice(), whole.as_slice(), cores.as_slice()) {
                ([u], _, _) | ([], [u], _) | ([], [], [u]) => Some(*u),
                _ => None,
            };
            if let Some(u) = exact {
                return Branch {
                    name: name.clone(),
                    unit: u.code.clone(),
                    unit_name: u.name.clone(),
                    confirm: false,
                    candidates: Vec::new(),
                };
            }
            let own = proper(&c);
            let mut ranked: Vec<(f64, &UnitName)> = known
                .iter()
                .map(|(kc, kw, u)| {
                    let theirs = proper(kc);
                    let score = if own.is_empty() || theirs.is_empty() {
                        likeness(&w, kw)
                    } else {
                        likeness(&own, &theirs)
                    };
                    (score, *u)
                })
                .filter(|(score, _)| *score >= 0.4)
                .collect();
            ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.code.cmp(&b.1.code)));
            let best = ranked.first().filter(|(score, _)| *score >= 0.6).map(|(_, u)| *u);
            Branch {
                name: name.clone(),
                unit: best.map(|u| u.code.clone()).unwrap_or_default(),
                unit_name: best.map(|u| u.name.clone()).unwrap_or_default(),
                confirm: true,
                candidates: ranked
                    .iter()
                    .skip(usize::from(best.is_some()))
                    .take(3)
                    .map(|(_, u)| shown(u))
                    .collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(code: &str, name: &str) -> UnitName {
        UnitName {
            code: code.into(),
            name: name.into(),
        }
    }

    #[test]
    fn names_are_matched_exactly_or_proposed() {
        let units = [
            unit("X-CH01", "Chi hội Tổ dân phố Đồng Tâm"),
            unit("X-CH02", "Chi hội Tổ dân phố Hòa Bình"),
            unit("X-TH01", "Tổ hội nghề nghiệp Nuôi ong"),
            unit("X-CH03", "Chi hội Thôn 1"),
        ];
        let names: Vec<String> = [
            "Chi hội Tổ dân phố Đồng Tâm",
            "CH TDP Đồng Tâm",
            "ch.tdp dong tam",
            "NN-Nuôi ong",
            "Chi hội thôn số 01",
            "X-CH02",
            "TDP Đồng Tân",
            "Chi hội Sao Mai",
        ]
        .map(String::from)
        .to_vec();
        let found = match_names(&names, &units);
        let got: Vec<(&str, bool)> = found.iter().map(|b| (b.unit.as_str(), b.confirm)).collect();
        assert_eq!(
            got,
            [
                ("X-CH01", false),
                ("X-CH01", false),
                ("X-CH01", false),
                ("X-TH01", false),
                ("X-CH03", false),
                ("X-CH02", false),
                ("X-CH01", true),
                ("", true),
            ]
        );
    }
}
