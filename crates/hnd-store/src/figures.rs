//! Figures for plans: each indicator of a unit's subtree over a period,
//! from the maintained counts, the register and the figures typed; a
//! unit's targets against them; the national table.

use crate::sql::path_end;
use crate::{Result, Store};
use hnd_domain::Day;
use hnd_domain::plan::{Comparator, Cutoff, Period, Source, indicator};
use serde::Serialize;
use sqlx::Row;

/// One row of progress: the target and the actual figure, where the
/// register can count it.
#[derive(Debug, Clone, Serialize)]
pub struct ProgressRow {
    pub indicator: String,
    pub comparator: String,
    pub target: f64,
    pub actual: Option<f64>,
    pub met: Option<bool>,
}

impl Store {
    /// Households with a member counting in `code`'s subtree on `day`
    /// (read from the register: a planning step, not a dashboard).
    pub async fn count_households(&self, code: &str, day: Day) -> Result<i64> {
        let unit = self.unit(code, day).await?.unit;
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT m.household_id) FROM memberships ms
             JOIN members m ON m.id = ms.member_id
             JOIN unit_versions v ON v.unit_id = ms.unit_id AND v.valid_from <= $1 AND v.valid_to > $1
             WHERE ms.valid_from <= $1 AND ms.valid_to > $1 AND v.path >= $2 AND v.path < $3
               AND m.household_id IS NOT NULL",
        )
        .bind(day.iso())
        .bind(unit.path.clone())
        .bind(path_end(&unit.path))
        .fetch_one(&self.read)
        .await?;
        Ok(n)
    }

    /// Member events of `kinds` ("admit", "remove", "death") in `code`'s
    /// subtree (the tree of `to`) between two days, inclusive, from the
    /// maintained counts.
    pub async fn event_count(&self, code: &str, kinds: &[&str], from: Day, to: Day) -> Result<i64> {
        let unit = self.unit(code, to).await?.unit;
        let mut total = 0;
        for kind in kinds {
            let n: Option<i64> = if unit.parent_id.is_none() {
                sqlx::query_scalar(
                    "SELECT CAST(SUM(n) AS BIGINT) FROM province_event_counts WHERE kind = $1 AND day >= $2 AND day <= $3",
                )
                .bind(kind.to_string())
                .bind(from.iso())
                .bind(to.iso())
                .fetch_one(&self.read)
                .await?
            } else {
                sqlx::query_scalar(
                    "SELECT CAST(SUM(c.n) AS BIGINT) FROM unit_event_counts c
                     JOIN unit_versions v ON v.unit_id = c.unit_id AND v.valid_from <= $3 AND v.valid_to > $3
                     WHERE c.kind = $1 AND c.day >= $2 AND c.day <= $3 AND v.path >= $4 AND v.path < $5",
                )
                .bind(kind.to_string())
                .bind(from.iso())
                .bind(to.iso())
                .bind(unit.path.clone())
                .bind(path_end(&unit.path))
                .fetch_one(&self.read)
                .await?
            };
            total += n.unwrap_or(0);
        }
        Ok(total)
    }

    /// Members admitted in `code`'s subtree between two days, inclusive.
    pub async fn admissions(&self, code: &str, from: Day, to: Day) -> Result<i64> {
        self.event_count(code, &["admit"], from, to).await
    }

    /// The sum of a typed figure over `code`'s subtree, or `None` when no
    /// unit there has entered it for the period.
    async fn entered_total(&self, code: &str, indicator_code: &str, period: Period) -> Result<Option<f64>> {
        let unit = self.unit(code, Day::today()).await?.unit;
        let row = sqlx::query(
            "SELECT COUNT(*), SUM(x.value) FROM indicator_values x
             JOIN unit_versions v ON v.unit_id = x.unit_id AND v.valid_from <= $1 AND v.valid_to > $1
             WHERE x.indicator = $2 AND x.period = $3 AND v.path >= $4 AND v.path < $5",
        )
        .bind(Day::today().iso())
        .bind(indicator_code.to_string())
        .bind(period.code())
        .bind(unit.path.clone())
        .bind(path_end(&unit.path))
        .fetch_one(&self.read)
        .await?;
        let n: i64 = row.try_get(0)?;
        Ok(if n == 0 {
            None
        } else {
            row.try_get::<Option<f64>, _>(1)?
        })
    }

    /// The share (percent) of the units of `level` in `code`'s subtree whose
    /// entered `of` for the period is at least `at_least`.
    async fn coverage(
        &self,
        code: &str,
        of: &str,
        level: hnd_domain::Level,
        at_least: u32,
        period: Period,
    ) -> Result<Option<f64>> {
        let today = Day::today();
        let unit = self.unit(code, today).await?.unit;
        let row = sqlx::query(
            "SELECT COUNT(*), SUM(CASE WHEN x.value >= $4 THEN 1 ELSE 0 END) FROM unit_versions v
             LEFT JOIN indicator_values x ON x.unit_id = v.unit_id AND x.indicator = $5 AND x.period = $6
             WHERE v.valid_from <= $1 AND v.valid_to > $1 AND v.level = $7 AND v.path >= $2 AND v.path < $3",
        )
        .bind(today.iso())
        .bind(unit.path.clone())
        .bind(path_end(&unit.path))
        .bind(at_least as f64)
        .bind(of.to_string())
        .bind(period.code())
        .bind(level.as_str().to_string())
        .fetch_one(&self.read)
        .await?;
        let units: i64 = row.try_get(0)?;
        let meeting: Option<i64> = row.try_get(1)?;
        Ok((units > 0).then(|| meeting.unwrap_or(0) as f64 * 100.0 / units as f64))
    }

    /// A figure that is not a ratio: counted from the register, entered, or coverage.
    async fn base_figure(&self, code: &str, indicator_code: &str, period: Period) -> Result<Option<f64>> {
        let (from, to) = period.range(Cutoff::Statistical);
        let end = to.min(Day::today());
        Ok(match indicator(indicator_code).map(|i| i.source) {
            Some(Source::Register("members_at_end")) => Some(self.count_members(code, end).await? as f64),
            Some(Source::Register("women_at_end")) => Some(self.member_counts(code, end).await?.women as f64),
            Some(Source::Register("ethnic_minority_at_end")) => {
                Some(self.member_counts(code, end).await?.minority as f64)
            }
            Some(Source::Register("admitted_in_period")) => {
                Some(self.event_count(code, &["admit"], from, end).await? as f64)
            }
            Some(Source::Register("left_in_period")) => {
                Some(self.event_count(code, &["remove", "death"], from, end).await? as f64)
            }
            Some(Source::Register(q @ ("professional_branches_founded" | "professional_groups_founded"))) => {
                let level = if q == "professional_branches_founded" {
                    "branch"
                } else {
                    "group"
                };
                Some(self.units_founded(code, level, from, end).await? as f64)
            }
            Some(Source::Entered) => self.entered_total(code, indicator_code, period).await?,
            Some(Source::Coverage { of, per, at_least }) => self.coverage(code, of, per, at_least, period).await?,
            _ => None,
        })
    }

    /// Professional branches or groups founded in `code`'s subtree between two days.
    async fn units_founded(&self, code: &str, level: &str, from: Day, to: Day) -> Result<i64> {
        let unit = self.unit(code, to).await?.unit;
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM units u
             JOIN unit_versions v ON v.unit_id = u.id AND v.valid_from <= $2 AND v.valid_to > $2
             WHERE u.kind = 'professional' AND v.level = $3 AND u.valid_from >= $1 AND u.valid_from <= $2
               AND v.path >= $4 AND v.path < $5",
        )
        .bind(from.iso())
        .bind(to.iso())
        .bind(level.to_string())
        .bind(unit.path.clone())
        .bind(path_end(&unit.path))
        .fetch_one(&self.read)
        .await?;
        Ok(n)
    }

    /// The actual figure of an indicator for `code`'s subtree over `period`.
    pub async fn figure(&self, code: &str, indicator_code: &str, period: Period) -> Result<Option<f64>> {
        match indicator(indicator_code).map(|i| i.source) {
            Some(Source::Ratio(num, den)) => {
                let (n, d) = (
                    self.base_figure(code, num, period).await?,
                    self.base_figure(code, den, period).await?,
                );
                Ok(match (n, d) {
                    (Some(n), Some(d)) if d > 0.0 => Some((n * 1000.0 / d).round() / 10.0),
                    _ => None,
                })
            }
            _ => self.base_figure(code, indicator_code, period).await,
        }
    }

    /// `unit`'s targets in plan `number` against the register (and the
    /// figures entered) over `period`.
    pub async fn progress(&self, number: &str, unit: &str, period: Period) -> Result<Vec<ProgressRow>> {
        let targets = self.targets(number, unit).await?;
        let mut out = Vec::with_capacity(targets.len());
        for t in targets {
            let actual = self.figure(unit, &t.indicator, period).await?;
            let comparator = Comparator::parse(&t.comparator).unwrap_or(Comparator::Equal);
            out.push(ProgressRow {
                met: actual.map(|a| comparator.met(a, t.value)),
                indicator: t.indicator,
                comparator: t.comparator,
                target: t.value,
                actual,
            });
        }
        Ok(out)
    }

    /// Every catalogue indicator for every province over `period`, each
    /// from the province-level maintained counts and entered figures: a
    /// dozen grouped queries over small tables, never the member tables.
    /// Rows are (province code, indicator code, figure).
    pub async fn national_figures(&self, period: Period) -> Result<Vec<(String, &'static str, Option<f64>)>> {
        use std::collections::HashMap;
        let (from, to) = period.range(Cutoff::Statistical);
        let end = to.min(Day::today());
        let provinces = self.province_member_counts(end).await?;
        let members: HashMap<String, f64> = provinces.iter().map(|(p, c)| (p.clone(), c.members as f64)).collect();
        let mut base: HashMap<(String, String), f64> = HashMap::new();
        for (province, c) in &provinces {
            base.insert((province.clone(), "women_members".into()), c.women as f64);
            base.insert((province.clone(), "ethnic_minority_members".into()), c.minority as f64);
        }
        // Admissions and departures by province.
        let rows = sqlx::query(
            "SELECT province_code, kind, CAST(SUM(n) AS BIGINT) FROM province_event_counts
             WHERE day >= $1 AND day <= $2 AND kind IN ('admit', 'remove', 'death') GROUP BY province_code, kind",
        )
        .bind(from.iso())
        .bind(end.iso())
        .fetch_all(&self.read)
        .await?;
        for r in &rows {
            let (province, kind, n): (String, String, i64) = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
            let key = if kind == "admit" { "new_members" } else { "members_left" };
            *base.entry((province, key.to_string())).or_default() += n as f64;
        }
        // Professional branches and groups founded.
        let rows = sqlx::query(
            "SELECT v.province_code, v.level, COUNT(*) FROM units u
             JOIN unit_versions v ON v.unit_id = u.id AND v.valid_from <= $2 AND v.valid_to > $2
             WHERE u.kind = 'professional' AND u.valid_from >= $1 AND u.valid_from <= $2
             GROUP BY v.province_code, v.level",
        )
        .bind(from.iso())
        .bind(end.iso())
        .fetch_all(&self.read)
        .await?;
        for r in &rows {
            let (province, level, n): (Option<String>, String, i64) = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
            let key = if level == "branch" {
                "professional_branches_new"
            } else {
                "professional_groups_new"
            };
            base.insert((province.unwrap_or_default(), key.to_string()), n as f64);
        }
        // Entered figures.
        let rows = sqlx::query(
            "SELECT province_code, indicator, SUM(value) FROM indicator_values WHERE period = $1
             GROUP BY province_code, indicator",
        )
        .bind(period.code())
        .fetch_all(&self.read)
        .await?;
        for r in &rows {
            let (province, ind, v): (Option<String>, String, f64) = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
            base.insert((province.unwrap_or_default(), ind), v);
        }
        // Coverage: units of a level meeting a threshold, per province. The
        // units of each level are counted in one pass over the tree, the
        // entered figures read once; each coverage indicator is then a
        // count in memory.
        let indicators = hnd_domain::plan::all_indicators();
        let mut coverage: HashMap<(String, &'static str), f64> = HashMap::new();
        if indicators.iter().any(|i| matches!(i.source, Source::Coverage { .. })) {
            let mut units: HashMap<(String, String), i64> = HashMap::new();
            for r in sqlx::query(
                "SELECT v.province_code, v.level, COUNT(*) FROM unit_versions v
                 WHERE v.valid_from <= $1 AND v.valid_to > $1 AND v.level IN ('district', 'base')
                 GROUP BY v.province_code, v.level",
            )
            .bind(end.iso())
            .fetch_all(&self.read)
            .await?
            {
                let (province, level, n): (Option<String>, String, i64) = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
                units.insert((province.unwrap_or_default(), level), n);
            }
            let entered = sqlx::query(
                "SELECT v.province_code, v.level, x.indicator, x.value FROM indicator_values x
                 JOIN unit_versions v ON v.unit_id = x.unit_id AND v.valid_from <= $1 AND v.valid_to > $1
                 WHERE x.period = $2",
            )
            .bind(end.iso())
            .bind(period.code())
            .fetch_all(&self.read)
            .await?;
            let mut meeting: HashMap<(String, &'static str), i64> = HashMap::new();
            for ind in &indicators {
                let Source::Coverage { of, per, at_least } = ind.source else {
                    continue;
                };
                for r in &entered {
                    let (province, level, code, value): (Option<String>, String, String, f64) =
                        (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?);
                    if code == of && level == per.as_str() && value >= at_least as f64 {
                        *meeting.entry((province.unwrap_or_default(), ind.code)).or_default() += 1;
                    }
                }
                for ((province, level), n) in &units {
                    if level == per.as_str() && *n > 0 {
                        let met = meeting.get(&(province.clone(), ind.code)).copied().unwrap_or(0);
                        coverage.insert((province.clone(), ind.code), met as f64 * 100.0 / *n as f64);
                    }
                }
            }
        }
        let value = |province: &str, code: &str| -> Option<f64> {
            match indicator(code).map(|i| i.source) {
                Some(Source::Register("members_at_end")) => members.get(province).copied(),
                Some(Source::Register(_)) => {
                    let counted = matches!(
                        code,
                        "new_members"
                            | "members_left"
                            | "professional_branches_new"
                            | "professional_groups_new"
                            | "women_members"
                            | "ethnic_minority_members"
                    );
                    counted.then(|| {
                        base.get(&(province.to_string(), code.to_string()))
                            .copied()
                            .unwrap_or(0.0)
                    })
                }
                Some(Source::Entered) => base.get(&(province.to_string(), code.to_string())).copied(),
                _ => None,
            }
        };
        let mut out = Vec::new();
        for (province, _) in &provinces {
            for ind in &indicators {
                let figure = match ind.source {
                    Source::Ratio(num, den) => match (value(province, num), value(province, den)) {
                        (Some(n), Some(d)) if d > 0.0 => Some((n * 1000.0 / d).round() / 10.0),
                        _ => None,
                    },
                    Source::Coverage { .. } => coverage.get(&(province.clone(), ind.code)).copied(),
                    _ => value(province, ind.code),
                };
                out.push((province.clone(), ind.code, figure));
            }
        }
        Ok(out)
    }

    /// For comparison in benchmarks: members at the end of `period` and
    /// admissions in it by province, by a plain GROUP BY over the member
    /// tables (what a dashboard without maintained counts would run).
    pub async fn plain_group_by(&self, period: Period) -> Result<usize> {
        let (from, to) = period.range(Cutoff::Statistical);
        let end = to.min(Day::today());
        let members = sqlx::query(
            "SELECT province_code, COUNT(*) FROM memberships WHERE valid_from <= $1 AND valid_to > $1 GROUP BY province_code",
        )
        .bind(end.iso())
        .fetch_all(&self.read)
        .await?;
        let admitted = sqlx::query(
            "SELECT province_code, COUNT(*) FROM member_events
             WHERE kind = 'admit' AND effective_date >= $1 AND effective_date <= $2 GROUP BY province_code",
        )
        .bind(from.iso())
        .bind(end.iso())
        .fetch_all(&self.read)
        .await?;
        Ok(members.len() + admitted.len())
    }
}
