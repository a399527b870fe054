//! The indicators users add beside the catalogue, and the figures the
//! register cannot know, typed per unit and period (`indicator_values`).

use crate::org::Change;
use crate::sql::Stamped;
use crate::{Result, Store};
use hnd_domain::PlanError;
use hnd_domain::plan::{Measure, Period, indicator};
use sqlx::Row;

/// An indicator to add: code, names, unit of measure, and for a ratio its
/// numerator and denominator (else typed per unit and period).
pub struct NewIndicator {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub measure: String,
    pub ratio: Option<(String, String)>,
}

/// Refuses a value no target or figure of indicator `code` may take.
pub(crate) fn check_value(code: &str, value: f64) -> Result<()> {
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
        let mut tx = self.write.begin().await?;
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
        .stamped(change)
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 0 {
            return Err(PlanError::IndicatorExists { code: code.into() }.into());
        }
        crate::accounts::commit(tx, change).await?;
        self.load_indicators().await?;
        Ok(())
    }

    /// The figure unit `unit_id` itself entered for an indicator and
    /// period, if any (its subtree's sum is [`Store::figure`]).
    pub async fn entered_value(&self, unit_id: i64, indicator_code: &str, period: Period) -> Result<Option<f64>> {
        let value = sqlx::query_scalar(
            "SELECT value FROM indicator_values WHERE unit_id = $1 AND indicator = $2 AND period = $3",
        )
        .bind(unit_id)
        .bind(indicator_code.to_string())
        .bind(period.code())
        .fetch_optional(&self.read)
        .await?;
        Ok(value)
    }
}
