//! `hnd bench reports`: the reports' workflow at the scale of the country,
//! on an existing database with the 2025 tree (for instance the demo's).
//! Every base (commune) of the tree gets an approved year's review with
//! its typed figures; each province then fills its own with the sums of
//! its bases' approved reports (timed), submits it and has it approved;
//! the centre fills its own from the provinces' (timed). Timed: the provinces' aggregation of
//! all the base reports and the centre's, and one province's strength
//! report as DOCX and PDF together.

use super::{ms, percentiles};
use anyhow::Result;
use hnd_app::{Actor, App};
use hnd_domain::{Day, Lang, Level, ReportForm, ReportStep};
use hnd_store::{Change, Store};
use std::collections::BTreeMap;
use std::time::Instant;

pub(super) async fn reports(db: &str, period: &str, runs: usize) -> Result<()> {
    let store = Store::open(db).await?;
    let app = App::new(store.clone());
    let actor = Actor::operator("bench", Lang::Vi);
    let today = Day::today();
    let (form, p) = hnd_app::form_period("year", period)?;
    let root = store.unit("TW", today).await?.unit;
    let provinces = store.children(root.id, today).await?;
    // The base reports, written and approved through the store (setup).
    let change = Change::new("bench", "bench");
    let t = Instant::now();
    let mut bases = 0;
    for province in &provinces {
        for base in store.children(province.id, today).await? {
            if base.level != Level::Base {
                continue;
            }
            if store.report(&base.code, form, p).await?.is_none() {
                let typed: BTreeMap<String, i64> = [
                    ("farm_households".to_string(), 1000 + bases as i64 % 500),
                    ("villages".to_string(), 10),
                ]
                .into_iter()
                .collect();
                store
                    .save_report(&base.code, form, p, &BTreeMap::new(), &typed, &change)
                    .await?;
                for step in [ReportStep::Submit, ReportStep::Approve] {
                    store
                        .take_report_step(&base.code, form, p, step, "", today, &change)
                        .await?;
                }
            }
            bases += 1;
        }
    }
    println!("{bases} approved base reports in place ({})", ms(t.elapsed()));
    let at = (form.code(), period);
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        for province in &provinces {
            app.aggregate_report(&actor, &province.code, at.0, at.1).await?;
        }
        times.push(t.elapsed());
    }
    println!(
        "{} provinces each filled with the sums of their approved base reports ({bases} in all): {} runs: {}",
        provinces.len(),
        times.len(),
        percentiles(&mut times)
    );
    for province in &provinces {
        for step in [ReportStep::Submit, ReportStep::Approve] {
            app.report_step(&actor, &province.code, at, step, "").await?;
        }
    }
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        app.aggregate_report(&actor, "TW", at.0, at.1).await?;
        times.push(t.elapsed());
    }
    let national = app.report_view(&actor, "TW", at.0, at.1).await?;
    println!(
        "the centre filled with the sums of the {} approved province reports (farm households {}): {} runs: {}",
        provinces.len(),
        national.aggregated.get("farm_households").copied().unwrap_or(0),
        times.len(),
        percentiles(&mut times)
    );
    // One province's strength report as an official document, both forms.
    let province = provinces.first().map(|p| p.code.clone()).unwrap_or_default();
    let strength_period = p.code();
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let docx = app
            .report_document(&actor, &province, ReportForm::Strength.code(), &strength_period, "docx")
            .await?;
        let pdf = app
            .report_document(&actor, &province, ReportForm::Strength.code(), &strength_period, "pdf")
            .await?;
        times.push(t.elapsed());
        assert!(!docx.is_empty() && !pdf.is_empty());
    }
    println!(
        "strength report of province {province} as DOCX and PDF together: {} runs: {}",
        times.len(),
        percentiles(&mut times)
    );
    Ok(())
}
