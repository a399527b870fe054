//! Searching the register by any part of a name: every typed word must
//! begin some word of the name, in any order ("lam", "nguyen lam", "ng
//! la"), accents and case ignored (đ → d).
//!
//! The list is ranked: the name typed exactly first, then the names that
//! begin with the words as typed (the folded name starts with the folded
//! text), then the rest; within each, by folded name, birth year and id,
//! and across the country province by province inside each rank.
//!
//! The first two ranks are read from the province's name index (a seek and
//! a range, in the list's order). The rest is read from the words' index
//! (`member_words`, ordered by province, word, name, birth year, id): the
//! rarest typed word leads, each distinct word it begins giving its members
//! already in the list's order, the other typed words checked on the folded
//! name kept beside them, until the page is full. A search therefore reads
//! about a page of rows whatever the size of the register, except when
//! every typed word is common and the combination rare (then up to the
//! leading word's members in the province).

use super::types::member_select;
use crate::sql::Val;
use crate::{Result, Store};
use sqlx::Row;
use sqlx::any::AnyRow;

/// Index entries counted at most per typed word to pick the rarest.
const COUNT_CAP: i64 = 2000;
/// Distinct words a typed word may begin and still lead; a shorter prefix
/// (one letter) is read through the name index instead, where it is common.
const MAX_STREAMS: i64 = 24;

/// The text typed, folded, as the search reads it.
pub(crate) struct Words {
    /// The folded text: names equal to it are found first, names starting
    /// with it next.
    pub text: String,
    /// Its distinct words.
    pub words: Vec<String>,
}

impl Words {
    pub(crate) fn of(folded: &str) -> Option<Words> {
        let words: Vec<String> = super::words::words(folded).into_iter().map(str::to_string).collect();
        (!words.is_empty()).then(|| Words {
            text: folded.to_string(),
            words,
        })
    }

    /// Everything that starts with `s` sorts in [s, s + U+10FFFF).
    fn end(s: &str) -> String {
        format!("{s}\u{10FFFF}")
    }
}

/// `' ' || name LIKE '% word%'`: `word` begins a word of the name.
fn begins_a_word(word: &str) -> String {
    let mut p = String::from("% ");
    for c in word.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// The conditions every statement shares (scope and filters) with their
/// parameters; a statement adds its own after them.
#[derive(Clone)]
pub(crate) struct Conditions {
    pub sql: String,
    pub binds: Vec<Val>,
}

impl Conditions {
    /// Adds a parameter; returns its number.
    pub(crate) fn param(&mut self, v: Val) -> usize {
        self.binds.push(v);
        self.binds.len()
    }

    /// `AND {cond} $n` with `value` as parameter n.
    pub(crate) fn and(&mut self, cond: &str, value: Val) {
        let n = self.param(value);
        self.sql.push_str(&format!(" AND {cond} ${n}"));
    }

    fn in_list(&mut self, values: &[String]) -> String {
        let list: Vec<String> = values
            .iter()
            .map(|v| format!("${}", self.param(v.clone().into())))
            .collect();
        list.join(", ")
    }
}

/// Up to `want` rows of the members of `provinces` that match `words`,
/// in the list's order.
pub(crate) async fn by_words(
    store: &Store,
    provinces: &[String],
    words: &Words,
    shared: &Conditions,
    want: usize,
) -> Result<Vec<AnyRow>> {
    let mut rows = Vec::new();
    if provinces.is_empty() {
        return Ok(rows);
    }
    let scope = "JOIN unit_versions v ON v.unit_id = m.unit_id AND v.valid_from <= $1 AND v.valid_to > $1
                 WHERE v.path >= $2 AND v.path < $3";
    // The name typed exactly, then the names that begin with it.
    for exact in [true, false] {
        let need = want - rows.len();
        if need == 0 {
            return Ok(rows);
        }
        let mut c = shared.clone();
        let list = c.in_list(provinces);
        let text = c.param(words.text.clone().into());
        let (cond, order) = if exact {
            (
                format!("m.name_folded = ${text}"),
                "m.province_code, m.birth_year, m.id",
            )
        } else {
            let end = c.param(Words::end(&words.text).into());
            (
                format!("m.name_folded > ${text} AND m.name_folded < ${end}"),
                "m.province_code, m.name_folded, m.birth_year, m.id",
            )
        };
        let sql = format!(
            "{} {scope}{} AND m.province_code IN ({list}) AND {cond} ORDER BY {order} LIMIT {need}",
            member_select!(""),
            c.sql
        );
        rows.extend(fetch(store, sql, c.binds).await?);
    }
    // The rest, province by province.
    for province in provinces {
        let need = want - rows.len();
        if need == 0 {
            break;
        }
        rows.extend(rest_in(store, province, words, shared, need).await?);
    }
    Ok(rows)
}

async fn fetch(store: &Store, sql: String, binds: Vec<Val>) -> Result<Vec<AnyRow>> {
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for b in binds {
        query = crate::sql::bind(query, b);
    }
    Ok(query.fetch_all(&store.read).await?)
}

/// Up to `need` members of `province` matching `words` whose folded name
/// does not begin with the text typed, in the list's order.
async fn rest_in(
    store: &Store,
    province: &str,
    words: &Words,
    shared: &Conditions,
    need: usize,
) -> Result<Vec<AnyRow>> {
    // How many entries each typed word has here, up to the cap.
    let mut counts = Vec::new();
    let mut binds: Vec<Val> = vec![province.into()];
    for w in &words.words {
        binds.push(w.clone().into());
        binds.push(Words::end(w).into());
        let (lo, hi) = (binds.len() - 1, binds.len());
        counts.push(format!(
            "(SELECT COUNT(*) FROM (SELECT 1 FROM member_words
               WHERE province_code = $1 AND word >= ${lo} AND word < ${hi} LIMIT {COUNT_CAP}) c{lo})"
        ));
    }
    let row = fetch(store, format!("SELECT {}", counts.join(", ")), binds)
        .await?
        .pop()
        .expect("one row");
    let mut lead = 0;
    let mut fewest = i64::MAX;
    for i in 0..words.words.len() {
        let n: i64 = row.try_get(i)?;
        if n == 0 {
            return Ok(Vec::new());
        }
        // On a tie (both at the cap), the later word: the given name, typed last.
        if n <= fewest {
            (lead, fewest) = (i, n);
        }
    }
    // The distinct words the leading one begins, a seek each.
    let leading = &words.words[lead];
    let distinct: Vec<String> = sqlx::query_scalar(
        "WITH RECURSIVE d(word, n) AS (
             SELECT MIN(word), 1 FROM member_words WHERE province_code = $1 AND word >= $2 AND word < $3
             UNION ALL
             SELECT (SELECT MIN(word) FROM member_words WHERE province_code = $1 AND word > d.word AND word < $3), n + 1
             FROM d WHERE d.word IS NOT NULL AND n <= $4
         )
         SELECT word FROM d WHERE word IS NOT NULL",
    )
    .bind(province.to_string())
    .bind(leading.clone())
    .bind(Words::end(leading))
    .bind(MAX_STREAMS)
    .fetch_all(&store.read)
    .await?;

    let mut c = shared.clone();
    let text = c.param(words.text.clone().into());
    let end = c.param(Words::end(&words.text).into());
    let p = c.param(province.into());
    let scope = "JOIN unit_versions v ON v.unit_id = m.unit_id AND v.valid_from <= $1 AND v.valid_to > $1
                 WHERE v.path >= $2 AND v.path < $3";
    if distinct.len() as i64 > MAX_STREAMS {
        // A prefix so short it begins many words: common, so the
        // province's name index read in order finds a page soon.
        let mut checks = String::new();
        for w in &words.words {
            let n = c.param(begins_a_word(w).into());
            checks.push_str(&format!(" AND (' ' || m.name_folded) LIKE ${n} ESCAPE '\\'"));
        }
        let sql = format!(
            "{} {scope}{} AND m.province_code = ${p} AND NOT (m.name_folded >= ${text} AND m.name_folded < ${end}){checks}
             ORDER BY m.name_folded, m.birth_year, m.id LIMIT {need}",
            member_select!(""),
            c.sql
        );
        return fetch(store, sql, c.binds).await;
    }
    let mut checks = String::new();
    for (i, w) in words.words.iter().enumerate() {
        if i != lead {
            let n = c.param(begins_a_word(w).into());
            checks.push_str(&format!(" AND (' ' || w.name_folded) LIKE ${n} ESCAPE '\\'"));
        }
    }
    // One stream per distinct word, each in the list's order from the
    // words' index, merged.
    let mut streams = Vec::new();
    for (i, d) in distinct.iter().enumerate() {
        let n = c.param(d.clone().into());
        streams.push(format!(
            "SELECT * FROM ({} JOIN member_words w ON w.member_id = m.id {scope}{} AND w.province_code = ${p} AND w.word = ${n}{checks}
               AND NOT (w.name_folded >= ${text} AND w.name_folded < ${end})
             ORDER BY w.name_folded, w.birth_year, w.member_id LIMIT {need}) s{i}",
            member_select!(", w.name_folded", ""),
            // The words lead: the members and their places are joined to them.
            c.sql
        ));
    }
    if streams.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("{} ORDER BY 18, 4, 1 LIMIT {need}", streams.join(" UNION ALL "));
    fetch(store, sql, c.binds).await
}
