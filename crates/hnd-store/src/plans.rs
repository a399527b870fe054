//! Plans: issued by a unit for a range of years, with targets for units
//! (handed down the tree and split further) and tasks with deadlines;
//! progress of a unit against its targets, measured from the register.

use crate::indicators::check_value;
use crate::org::Change;
use crate::sql::path_end;
use crate::{Result, Store};
use hnd_domain::plan::{Comparator, Measure, PlanKind, PlanStatus, Source, indicator, printed_number};
use hnd_domain::{Day, PlanError};
use serde::Serialize;
use sqlx::Row;
use std::collections::HashMap;

/// A plan to draft (or, for the operator's tools and tests, to keep as
/// issued at once).
#[derive(Debug, Clone)]
pub struct NewPlan {
    /// The document's number ("115-CTr/TU"); given by the system when it
    /// has none (`hnd_domain::plan::plan_number`).
    pub number: Option<String>,
    pub title: String,
    pub unit: String,
    /// The document's date.
    pub issued_on: Day,
    pub first_year: i32,
    pub last_year: i32,
    pub kind: PlanKind,
    /// What it implements, if anything.
    pub implements: Option<Implements>,
    /// The day by which the units below must issue their implementing plans.
    pub implement_by: Option<Day>,
}

/// What a plan implements: a plan of a level above, by its number, or a
/// document from outside the register ("46-NQ/TW" of 20/12/2023).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Implements {
    Plan { number: String },
    Document { number: String, date: String },
}

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub number: String,
    /// The number as the document prints it ("12-KH/HNDT").
    pub printed: String,
    pub title: String,
    pub unit: String,
    pub unit_name: String,
    pub issued_on: String,
    pub first_year: i64,
    pub last_year: i64,
    pub kind: String,
    pub status: String,
    pub implements: Option<Implements>,
    /// The day (dd/mm/yyyy) by which the units below issue their own.
    pub implement_by: Option<String>,
    /// The version it replaces, and the one that replaced or will replace it.
    pub replaces: Option<String>,
    pub replaced_by: Option<String>,
    /// The signed document's file name.
    pub document: Option<String>,
}

impl Plan {
    pub fn status(&self) -> PlanStatus {
        PlanStatus::parse(&self.status).unwrap_or(PlanStatus::Issued)
    }
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

    /// The word [`Split::parse`] reads.
    pub fn code(self) -> &'static str {
        match self {
            Split::Equal => "equal",
            Split::ByMembers(_) => "members",
            Split::ByHouseholds(_) => "households",
        }
    }
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
        "SELECT p.number, p.title, v.code, v.name, p.issued_on, p.first_year, p.last_year, p.kind, p.status,
                ip.number, p.implements_doc, p.implements_doc_on, p.implement_by, op.number,
                (SELECT MIN(np.number) FROM plans np WHERE np.replaces_id = p.id), d.name
         FROM plans p
         JOIN unit_versions v ON v.unit_id = p.unit_id AND v.valid_from <= $1 AND v.valid_to > $1
         LEFT JOIN plans ip ON ip.id = p.implements_id
         LEFT JOIN plans op ON op.id = p.replaces_id
         LEFT JOIN plan_documents d ON d.plan_id = p.id"
    };
}
pub(crate) use plan_select;

fn shown(day: Option<String>) -> Option<String> {
    day.map(|d| Day::from_iso(&d).map(|d| d.to_string()).unwrap_or(d))
}

pub(crate) fn plan_from_row(r: &sqlx::any::AnyRow) -> Result<Plan> {
    let issued: String = r.try_get(4)?;
    let number: String = r.try_get(0)?;
    let implements = match (r.try_get::<Option<String>, _>(9)?, r.try_get::<Option<String>, _>(10)?) {
        (Some(number), _) => Some(Implements::Plan { number }),
        (None, Some(number)) => Some(Implements::Document {
            number,
            date: shown(r.try_get(11)?).unwrap_or_default(),
        }),
        (None, None) => None,
    };
    Ok(Plan {
        printed: printed_number(&number).to_string(),
        number,
        title: r.try_get(1)?,
        unit: r.try_get(2)?,
        unit_name: r.try_get(3)?,
        issued_on: Day::from_iso(&issued).map(|d| d.to_string()).unwrap_or(issued),
        first_year: r.try_get(5)?,
        last_year: r.try_get(6)?,
        kind: r.try_get(7)?,
        status: r.try_get(8)?,
        implements,
        implement_by: shown(r.try_get(12)?),
        replaces: r.try_get(13)?,
        replaced_by: r.try_get(14)?,
        document: r.try_get(15)?,
    })
}

/// Sets (or replaces) one target.
pub(crate) async fn put_target(
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

impl Store {
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
        change: &Change,
    ) -> Result<()> {
        let target = (unit.to_string(), indicator_code.to_string(), comparator, value);
        self.set_targets(number, &[target], change).await?;
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
    pub(crate) async fn checked_target(
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
    pub async fn set_targets(
        &self,
        number: &str,
        targets: &[(String, String, Comparator, f64)],
        change: &Change,
    ) -> Result<usize> {
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
        crate::accounts::commit(tx, change).await?;
        Ok(checked.len())
    }

    /// The issued plans that set targets for unit `code` and cover `year`:
    /// number and title, oldest first.
    pub async fn plans_with_targets(&self, code: &str, year: i32) -> Result<Vec<(String, String)>> {
        let unit = self.unit(code, Day::today()).await?.unit;
        let rows = sqlx::query(
            "SELECT p.number, p.title FROM plans p
             WHERE p.status = 'issued' AND p.first_year <= $2 AND p.last_year >= $2
               AND EXISTS (SELECT 1 FROM targets t WHERE t.plan_id = p.id AND t.unit_id = $1)
             ORDER BY p.issued_on, p.number",
        )
        .bind(unit.id)
        .bind(i64::from(year))
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
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
        change: &Change,
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
        let outcome = SplitOutcome {
            units: children.len(),
            sum: if percent { value } else { shares.iter().sum() },
            parent: value,
        };
        // What only the write knows: how much went down, against what.
        let change = change
            .clone()
            .with_after("units", outcome.units.into())
            .with_after("sum", outcome.sum.into())
            .with_after("parent", outcome.parent.into());
        crate::accounts::commit(tx, &change).await?;
        Ok(outcome)
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
}
