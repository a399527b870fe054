//! Reports computed from the register: the strength report (báo cáo
//! thực lực Hội) of a unit for a period, read on screen or taken away as
//! a workbook.
//!
//! Policy: read by who may read the unit's members (`ViewMembers`); a
//! workbook taken away is an export, audited under the unit once the file
//! is whole and before it is sent.

use crate::actor::Entry;
use crate::{Actor, App, AppError};
use hnd_domain::plan::Period;
use hnd_domain::{Action, Day, Lang, PlanError};
use hnd_store::StrengthReport;
use serde_json::json;

/// The period a reader asked for: a code (`2025`, `2025-Q1`, `2025-H1`…)
/// or as documents write it; this year when left empty.
pub fn period_of(text: &str) -> Result<Period, AppError> {
    match text.trim() {
        "" => Ok(Period::Year {
            year: Day::today().year(),
        }),
        text => Period::parse(text).map_err(|_| AppError::field("period", PlanError::BadPeriod { text: text.into() })),
    }
}

impl App {
    /// The strength report of unit `code` for `period`.
    pub async fn strength_report(
        &self,
        reader: &Actor,
        code: &str,
        period: Period,
    ) -> Result<StrengthReport, AppError> {
        let (_, path) = self.store.unit_path(code).await?;
        if !reader.may(Action::ViewMembers, &path) {
            return Err(AppError::Forbidden);
        }
        Ok(self.store.strength_report(code, period).await?)
    }

    /// The strength report as an XLSX workbook labelled in `lang`, its
    /// export audited (`report.export`).
    pub async fn strength_workbook(
        &self,
        actor: &Actor,
        code: &str,
        period: Period,
        lang: Lang,
    ) -> Result<Vec<u8>, AppError> {
        let report = self.strength_report(actor, code, period).await?;
        let bytes = hnd_import::strength_xlsx(&report, lang)
            .map_err(|e| AppError::File(hnd_import::ExportError::from(e).into()))?;
        let (unit_id, _) = self.store.unit_path(code).await?;
        let entry = Entry {
            action: "report.export",
            unit_id: Some(unit_id),
            member_id: None,
            detail: json!({"before": {}, "after": {"report": "strength", "period": report.period, "format": "xlsx",
                                                   "rows": report.rows.len()}}),
        };
        self.store.record(&actor.change("", entry)).await?;
        Ok(bytes)
    }
}
