//! Plans: issued by a unit for a range of years, with targets for units
//! (handed down the tree and split further) and tasks with deadlines;
//! progress of a unit against its targets, measured from the register.

use crate::org::Change;
use crate::sql::path_end;
use crate::{Result, Store};
use hnd_domain::plan::{Comparator, Cutoff, Measure, Period, Source, indicator};
use hnd_domain::{Day, PlanError};
use serde::Serialize;
use sqlx::Row;
use std::collections::HashMap;

/// A plan to issue.
#[derive(Debug, Clone)]
pub struct NewPlan {
    /// The document's number ("115-CTr/TU"); generated when it has none.
    pub number: Option<String>,
    pub title: String,
    pub unit: String,
    pub issued_on: Day,
    pub first_year: i32,
    pub last_year: i32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub number: String,
    pub title: String,
    pub unit: String,
    pub unit_name: String,
    pub issued_on: String,
    pub first_year: i64,
    pub last_year: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Target {
    pub unit: String,
    pub indicator: String,
    pub comparator: String,
    pub value: f64,
}

/// How a target is handed down to the units below.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// The same value for each.
    Equal,
    /// In proportion to each unit's members on a day (percentages are
    /// handed down unchanged).
    ByMembers(Day),
    /// In proportion to the households of each unit's members on a day.
    ByHouseholds(Day),
}

impl Split {
    /// `equal`, `members` or `households` (weights counted on `day`).
    pub fn parse(text: &str, day: Day) -> Option<Split> {
        match text.trim() {
            "equal" => Some(Split::Equal),
            "members" => Some(Split::ByMembers(day)),
            "households" => Some(Split::ByHouseholds(day)),
            _ => None,
        }
    }
}

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

/// After a split: the sum handed down against the parent's target.
#[derive(Debug, Clone, Serialize)]
pub struct SplitOutcome {
    pub units: usize,
    pub sum: f64,
    pub parent: f64,
}

/// Plans with their issuing unit as it is on day `$1`.
macro_rules! plan_select {
    () => {
        "SELECT p.number, p.title, v.code, v.name, p.issued_on, p.first_year, p.last_year FROM plans p
         JOIN unit_versions v ON v.unit_id = p.unit_id AND v.valid_from <= $1 AND v.valid_to > $1"
    };
}

fn plan_from_row(r: &sqlx::any::AnyRow) -> Result<Plan> {
    let issued: String = r.try_get(4)?;
    Ok(Plan {
        number: r.try_get(0)?,
        title: r.try_get(1)?,
        unit: r.try_get(2)?,
        unit_name: r.try_get(3)?,
        issued_on: Day::from_iso(&issued).map(|d| d.to_string()).unwrap_or(issued),
        first_year: r.try_get(5)?,
        last_year: r.try_get(6)?,
    })
}

/// Sets (or replaces) one target.
async fn put_target(
    conn: &mut sqlx::AnyConnection,
    plan: i64,
    unit: i64,
    province: Option<String>,
    indicator_code: &str,
    comparator: &str,
    value: f64,
) -> Result<()> {
    sqlx::query("DELETE FROM targets WHERE plan_id = $1 AND unit_id = $2 AND indicator = $3")
        .bind(plan)
        .bind(unit)
        .bind(indicator_code.to_string())
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO targets (plan_id, unit_id, province_code, indicator, comparator, value) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(plan)
    .bind(unit)
    .bind(province)
    .bind(indicator_code.to_string())
    .bind(comparator.to_string())
    .bind(value)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn check_value(code: &str, value: f64) -> Result<()> {
    let ind = indicator(code).ok_or_else(|| PlanError::UnknownIndicator { code: code.to_string() })?;
    if value < 0.0 {
        return Err(PlanError::Negative {
            indicator: code.into(),
            value: value.to_string(),
        }
        .into());
    }
    if ind.measure == Measure::Percent && value > 100.0 {
        return Err(PlanError::PercentAbove100 {
            indicator: code.into(),
            value: value.to_string(),
        }
        .into());
    }
    Ok(())
}

/// An indicator to add: code, names, unit of measure, and for a ratio its
/// numerator and denominator (else typed per unit and period).
pub struct NewIndicator {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub measure: String,
    pub ratio: Option<(String, String)>,
}

impl Store {
    /// Registers the indicators users added in this database (see
    /// [`hnd_domain::plan::register`]); returns how many there are.
    pub async fn load_indicators(&self) -> Result<usize> {
        let rows =
            sqlx::query("SELECT code, name_vi, name_en, measure, numerator, denominator FROM indicators ORDER BY code")
                .fetch_all(&self.read)
                .await?;
        for r in &rows {
            let measure: String = r.try_get(3)?;
            let (num, den): (Option<String>, Option<String>) = (r.try_get(4)?, r.try_get(5)?);
            let source = match (num, den) {
                (Some(n), Some(d)) => hnd_domain::plan::AddedSource::Ratio(n, d),
                _ => hnd_domain::plan::AddedSource::Entered,
            };
            hnd_domain::plan::register(
                &r.try_get::<String, _>(0)?,
                &r.try_get::<String, _>(1)?,
                &r.try_get::<String, _>(2)?,
                Measure::parse(&measure).unwrap_or(Measure::Count),
                source,
            );
        }
        Ok(rows.len())
    }

    /// Adds an indicator beside the catalogue, after checking it: a code of
    /// 2–40 lower-case letters, digits and underscores not yet taken, a
    /// Vietnamese name, a unit of measure, and for a ratio two known
    /// indicators. The English name defaults to the Vietnamese.
    pub async fn add_indicator(&self, new: &NewIndicator, change: &Change) -> Result<()> {
        let code = new.code.trim();
        let good = (2..=40).contains(&code.len())
            && code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && code.starts_with(|c: char| c.is_ascii_lowercase());
        if !good {
            return Err(PlanError::BadIndicatorCode { code: code.into() }.into());
        }
        // Taken: in the catalogue, or added in this database (the registry
        // may also hold indicators of other databases this process opened).
        let added: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM indicators WHERE code = $1")
            .bind(code.to_string())
            .fetch_one(&self.read)
            .await?;
        if added > 0 || hnd_domain::plan::CATALOGUE.iter().any(|i| i.code == code) {
            return Err(PlanError::IndicatorExists { code: code.into() }.into());
        }
        let name_vi = new.name_vi.trim();
        if name_vi.is_empty() {
            return Err(PlanError::IndicatorName.into());
        }
        let name_en = match new.name_en.trim() {
            "" => name_vi,
            n => n,
        };
        let measure = Measure::parse(&new.measure).ok_or_else(|| PlanError::BadMeasure {
            text: new.measure.clone(),
        })?;
        let ratio = match &new.ratio {
            Some((n, d)) => {
                for part in [n, d] {
                    if indicator(part.trim()).is_none() {
                        return Err(PlanError::UnknownIndicator { code: part.clone() }.into());
                    }
                }
                Some((n.trim().to_string(), d.trim().to_string()))
            }
            None => None,
        };
        let inserted = sqlx::query(
            "INSERT INTO indicators (code, name_vi, name_en, measure, numerator, denominator, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (code) DO NOTHING",
        )
        .bind(code.to_string())
        .bind(name_vi.to_string())
        .bind(name_en.to_string())
        .bind(measure.code().to_string())
        .bind(ratio.as_ref().map(|r| r.0.clone()))
        .bind(ratio.as_ref().map(|r| r.1.clone()))
        .bind(change.author.clone())
        .bind(chrono::Utc::now().to_rfc3339())
        .execute(&self.write)
        .await?;
        if inserted.rows_affected() == 0 {
            return Err(PlanError::IndicatorExists { code: code.into() }.into());
        }
        self.load_indicators().await?;
        Ok(())
    }

    /// Issues a plan; returns its number (given, or `KH-UNIT-YEAR-N`).
    pub async fn create_plan(&self, plan: &NewPlan, change: &Change) -> Result<String> {
        let unit = self.unit(&plan.unit, plan.issued_on).await?.unit;
        let mut tx = self.write.begin().await?;
        let number = match &plan.number {
            Some(n) => n.trim().to_string(),
            None => {
                let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM plans WHERE unit_id = $1")
                    .bind(unit.id)
                    .fetch_one(&mut *tx)
                    .await?;
                format!("KH-{}-{}-{}", unit.code, plan.issued_on.year(), n + 1)
            }
        };
        let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM plans WHERE number = $1")
            .bind(number.clone())
            .fetch_one(&mut *tx)
            .await?;
        if taken > 0 {
            return Err(PlanError::NumberTaken { number }.into());
        }
        sqlx::query(
            "INSERT INTO plans (number, title, unit_id, province_code, issued_on, first_year, last_year, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(number.clone())
        .bind(plan.title.trim().to_string())
        .bind(unit.id)
        .bind(unit.province_code.clone())
        .bind(plan.issued_on.iso())
        .bind(plan.first_year as i64)
        .bind(plan.last_year as i64)
        .bind(change.author.clone())
        .bind(chrono::Utc::now().to_rfc3339())
        .execute(&mut *tx)
        .await?;
        crate::accounts::commit(tx, change).await?;
        Ok(number)
    }

    /// The plan `number`: its id, and its unit's id and path.
    pub(crate) async fn plan_ref(&self, number: &str) -> Result<(i64, String, String)> {
        let row = sqlx::query(
            "SELECT p.id, v.path, v.code FROM plans p
             JOIN unit_versions v ON v.unit_id = p.unit_id AND v.valid_from <= $2 AND v.valid_to > $2
             WHERE p.number = $1",
        )
        .bind(number.to_string())
        .bind(Day::today().iso())
        .fetch_optional(&self.read)
        .await?
        .ok_or_else(|| PlanError::UnknownPlan {
            number: number.to_string(),
        })?;
        Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?))
    }

    /// Sets `unit`'s target of `indicator` in plan `number` (replacing one).
    pub async fn set_target(
        &self,
        number: &str,
        unit: &str,
        indicator_code: &str,
        comparator: Comparator,
        value: f64,
    ) -> Result<()> {
        let target = (unit.to_string(), indicator_code.to_string(), comparator, value);
        self.set_targets(number, &[target]).await?;
        Ok(())
    }

    /// Checks a target as [`Store::set_targets`] would, writing nothing.
    pub async fn check_target(&self, number: &str, unit: &str, indicator_code: &str, value: f64) -> Result<()> {
        let (_, plan_path, plan_unit) = self.plan_ref(number).await?;
        self.checked_target(&plan_path, &plan_unit, unit, indicator_code, value)
            .await?;
        Ok(())
    }

    /// The unit's id and province once the target passes every rule.
    async fn checked_target(
        &self,
        plan_path: &str,
        plan_unit: &str,
        unit: &str,
        indicator_code: &str,
        value: f64,
    ) -> Result<(i64, Option<String>)> {
        if indicator(indicator_code).is_none() {
            // Added by another process since this one opened the database?
            self.load_indicators().await?;
        }
        check_value(indicator_code, value)?;
        let u = self.unit(unit, Day::today()).await?.unit;
        if !u.path.starts_with(plan_path) {
            return Err(PlanError::OutsidePlan {
                unit: unit.into(),
                plan_unit: plan_unit.into(),
            }
            .into());
        }
        if let Some(Source::Coverage { per, .. }) = indicator(indicator_code).map(|i| i.source)
            && u.level >= per
        {
            return Err(PlanError::NotApplicable {
                indicator: indicator_code.into(),
                unit: unit.into(),
            }
            .into());
        }
        Ok((u.id, u.province_code))
    }

    /// Sets many targets of plan `number` at once, all or none, each
    /// checked as [`Store::set_target`] checks one. Returns how many.
    pub async fn set_targets(&self, number: &str, targets: &[(String, String, Comparator, f64)]) -> Result<usize> {
        let (plan, plan_path, plan_unit) = self.plan_ref(number).await?;
        let mut checked = Vec::with_capacity(targets.len());
        for (unit, indicator_code, comparator, value) in targets {
            let (id, province) = self
                .checked_target(&plan_path, &plan_unit, unit, indicator_code, *value)
                .await?;
            checked.push((id, province, indicator_code, comparator.code(), *value));
        }
        let mut tx = self.write.begin().await?;
        for (unit, province, indicator_code, comparator, value) in &checked {
            put_target(
                &mut tx,
                plan,
                *unit,
                province.clone(),
                indicator_code,
                comparator,
                *value,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(checked.len())
    }

    /// The targets of plan `number` for `unit`.
    pub async fn targets(&self, number: &str, unit: &str) -> Result<Vec<Target>> {
        let (plan, _, _) = self.plan_ref(number).await?;
        let u = self.unit(unit, Day::today()).await?.unit;
        let rows = sqlx::query(
            "SELECT indicator, comparator, value FROM targets WHERE plan_id = $1 AND unit_id = $2 ORDER BY indicator",
        )
        .bind(plan)
        .bind(u.id)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Target {
                    unit: unit.to_string(),
                    indicator: r.try_get(0)?,
                    comparator: r.try_get(1)?,
                    value: r.try_get(2)?,
                })
            })
            .collect()
    }

    /// Hands `unit`'s target of `indicator` down to the units directly
    /// below it, all or none. Counts are rounded up to whole numbers, so
    /// the sum may exceed the parent's target a little: the outcome says
    /// by how much. Percentages go down unchanged.
    pub async fn split_target(
        &self,
        number: &str,
        unit: &str,
        indicator_code: &str,
        how: Split,
    ) -> Result<SplitOutcome> {
        let (plan, _, _) = self.plan_ref(number).await?;
        let today = Day::today();
        let parent = self.unit(unit, today).await?.unit;
        let row =
            sqlx::query("SELECT comparator, value FROM targets WHERE plan_id = $1 AND unit_id = $2 AND indicator = $3")
                .bind(plan)
                .bind(parent.id)
                .bind(indicator_code.to_string())
                .fetch_optional(&self.read)
                .await?
                .ok_or_else(|| PlanError::NoTarget {
                    indicator: indicator_code.into(),
                    unit: unit.into(),
                })?;
        let comparator: String = row.try_get(0)?;
        let value: f64 = row.try_get(1)?;
        let children = self.children(parent.id, today).await?;
        if children.is_empty() {
            return Err(PlanError::NoChildren { unit: unit.into() }.into());
        }
        let percent = indicator(indicator_code).is_some_and(|i| i.measure == Measure::Percent);
        let mut weights: Vec<f64> = Vec::with_capacity(children.len());
        for c in &children {
            weights.push(match how {
                Split::Equal => 1.0,
                Split::ByMembers(day) => self.count_members(&c.code, day).await? as f64,
                Split::ByHouseholds(day) => self.count_households(&c.code, day).await? as f64,
            });
        }
        if weights.iter().sum::<f64>() == 0.0 {
            weights = vec![1.0; children.len()];
        }
        let total: f64 = weights.iter().sum();
        let shares: Vec<f64> = weights
            .iter()
            .map(|w| if percent { value } else { (value * w / total).ceil() })
            .collect();
        let mut tx = self.write.begin().await?;
        for (c, share) in children.iter().zip(&shares) {
            put_target(
                &mut tx,
                plan,
                c.id,
                c.province_code.clone(),
                indicator_code,
                &comparator,
                *share,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(SplitOutcome {
            units: children.len(),
            sum: if percent { value } else { shares.iter().sum() },
            parent: value,
        })
    }

    /// What `unit` has handed down of plan `number`: for each indicator,
    /// how many of the units directly below it have a target and their
    /// sum; with the number of units below.
    pub async fn handed_down(&self, number: &str, unit: &str) -> Result<(usize, HashMap<String, (i64, f64)>)> {
        let (plan, _, _) = self.plan_ref(number).await?;
        let today = Day::today();
        let parent = self.unit(unit, today).await?.unit;
        let below = self.children(parent.id, today).await?.len();
        let rows = sqlx::query(
            "SELECT t.indicator, COUNT(*), SUM(t.value) FROM targets t
             JOIN unit_versions v ON v.unit_id = t.unit_id AND v.valid_from <= $3 AND v.valid_to > $3
             WHERE t.plan_id = $1 AND v.parent_id = $2 GROUP BY t.indicator",
        )
        .bind(plan)
        .bind(parent.id)
        .bind(today.iso())
        .fetch_all(&self.read)
        .await?;
        let mut out = HashMap::new();
        for r in &rows {
            out.insert(r.try_get::<String, _>(0)?, (r.try_get(1)?, r.try_get(2)?));
        }
        Ok((below, out))
    }

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

    /// Plans issued by `scope` or any unit in its subtree, newest first.
    pub async fn plans(&self, scope: &str) -> Result<Vec<Plan>> {
        let today = Day::today();
        let unit = self.unit(scope, today).await?.unit;
        let rows = sqlx::query(concat!(
            plan_select!(),
            " WHERE v.path >= $2 AND v.path < $3 ORDER BY p.issued_on DESC, p.number"
        ))
        .bind(today.iso())
        .bind(unit.path.clone())
        .bind(path_end(&unit.path))
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(plan_from_row).collect()
    }

    /// The plan `number`.
    pub async fn plan(&self, number: &str) -> Result<Plan> {
        let row = sqlx::query(concat!(plan_select!(), " WHERE p.number = $2"))
            .bind(Day::today().iso())
            .bind(number.to_string())
            .fetch_optional(&self.read)
            .await?
            .ok_or_else(|| PlanError::UnknownPlan {
                number: number.to_string(),
            })?;
        plan_from_row(&row)
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

    /// Records a figure the register cannot know, for a unit and period
    /// (replacing an earlier one).
    pub async fn enter_value(
        &self,
        unit: &str,
        indicator_code: &str,
        period: Period,
        value: f64,
        change: &Change,
    ) -> Result<()> {
        if indicator(indicator_code).is_none() {
            // Added by another process since this one opened the database?
            self.load_indicators().await?;
        }
        check_value(indicator_code, value)?;
        let ind = indicator(indicator_code).expect("checked");
        if ind.source != Source::Entered {
            return Err(PlanError::NotApplicable {
                indicator: indicator_code.into(),
                unit: unit.into(),
            }
            .into());
        }
        let u = self.unit(unit, Day::today()).await?.unit;
        let mut tx = self.write.begin().await?;
        sqlx::query("DELETE FROM indicator_values WHERE unit_id = $1 AND indicator = $2 AND period = $3")
            .bind(u.id)
            .bind(indicator_code.to_string())
            .bind(period.code())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO indicator_values (unit_id, province_code, indicator, period, value, entered_by, entered_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(u.id)
        .bind(u.province_code.clone())
        .bind(indicator_code.to_string())
        .bind(period.code())
        .bind(value)
        .bind(change.author.clone())
        .bind(chrono::Utc::now().to_rfc3339())
        .execute(&mut *tx)
        .await?;
        crate::accounts::commit(tx, change).await?;
        Ok(())
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
             WHERE day >= $1 AND day <= $2 GROUP BY province_code, kind",
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
