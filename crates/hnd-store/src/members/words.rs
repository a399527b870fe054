//! The words of the members' folded names (`member_words`, migration
//! 0023): one row per distinct word of a name, under the member's
//! province, with the folded name and birth year the list is ordered by.
//! Written in the transaction of every write of a name, a birth year or a
//! province: a member added or loaded, a correction, a transfer confirmed
//! and a unit's move to another province (those two through
//! `MEMBER_SIDE_TABLES`). Read by the name search (`find.rs`).

use crate::Result;
use crate::sql::Val;
use sqlx::{AnyConnection, Row};

/// The distinct words of a folded name, in their order.
pub(crate) fn words(folded: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for w in folded.split(' ').filter(|w| !w.is_empty()) {
        if !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

/// The rows of `member_words` for one member, in the table's column order.
pub(crate) fn word_rows(id: i64, province: &str, folded: &str, birth_year: i64) -> Vec<Vec<Val>> {
    words(folded)
        .into_iter()
        .map(|w| vec![province.into(), w.into(), folded.into(), birth_year.into(), id.into()])
        .collect()
}

/// The head of the insert [`word_rows`] feed, five columns.
pub(crate) const INSERT_WORDS: &str =
    "INSERT INTO member_words (province_code, word, name_folded, birth_year, member_id)";

/// Writes member `id`'s words again from their row as it stands.
pub(crate) async fn rewrite_words(conn: &mut AnyConnection, id: i64) -> Result<()> {
    sqlx::query("DELETE FROM member_words WHERE member_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let row = sqlx::query("SELECT province_code, name_folded, birth_year FROM members WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    let (province, folded, year): (String, String, i64) = (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
    crate::sql::insert_many(conn, INSERT_WORDS, 5, word_rows(id, &province, &folded, year)).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::words;

    #[test]
    fn a_name_gives_each_word_once() {
        assert_eq!(words("nguyen thi thi hoa"), ["nguyen", "thi", "hoa"]);
        assert_eq!(words("h'hen nie"), ["h'hen", "nie"]);
        assert!(words("").is_empty());
    }
}
