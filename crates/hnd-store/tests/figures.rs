//! The entry grid's figures on both backends: a unit's figures for a
//! period written together or not at all, with who entered each and
//! when, and refused while the period is locked for the unit or a unit
//! above it.

use hnd_domain::PlanError;
use hnd_domain::plan::Period;
use hnd_store::{Change, Store, StoreError};

hnd_store::both_backends!(a_locked_period_refuses_its_figures);

fn plan_error(e: StoreError) -> PlanError {
    match e {
        StoreError::Plan(e) => e,
        other => panic!("expected a plan rule, got {other:?}"),
    }
}

async fn a_locked_period_refuses_its_figures(store: Store) {
    let who = Change::new("cán bộ xã", "nhập số liệu");
    store.bootstrap(false, &who).await.unwrap();
    let year = Period::Year { year: 2026 };
    let figures = |pairs: &[(&str, f64)]| pairs.iter().map(|(c, v)| (c.to_string(), *v)).collect::<Vec<_>>();
    store
        .enter_values(
            "00004",
            year,
            &figures(&[("vocational_trained", 12.0), ("articles", 3.0)]),
            &who,
        )
        .await
        .unwrap();
    let (unit, _) = store.unit_path("00004").await.unwrap();
    let entered = store.entered_values(unit, year).await.unwrap();
    let read: Vec<_> = entered.iter().map(|v| (v.indicator.as_str(), v.value)).collect();
    assert_eq!(read, [("articles", 3.0), ("vocational_trained", 12.0)]);
    assert!(
        entered
            .iter()
            .all(|v| v.entered_by == "cán bộ xã" && !v.entered_at.is_empty())
    );
    // One figure refused: none of the batch is written.
    let e = store
        .enter_values(
            "00004",
            year,
            &figures(&[("articles", 5.0), ("cadres_trained_rate", 120.0)]),
            &who,
        )
        .await
        .unwrap_err();
    assert!(matches!(plan_error(e), PlanError::PercentAbove100 { .. }));
    assert_eq!(store.entered_value(unit, "articles", year).await.unwrap(), Some(3.0));

    // The province's report for 2026 approved: its communes' 2026 figures
    // are locked, another period's are not; unlocked, they are taken again.
    store.lock_period("01", year, &who).await.unwrap();
    store.lock_period("01", year, &who).await.unwrap();
    assert!(store.period_locked("00004", year).await.unwrap());
    let e = store
        .enter_value("00004", "articles", year, 4.0, &who)
        .await
        .unwrap_err();
    assert!(matches!(plan_error(e), PlanError::PeriodLocked { .. }));
    assert_eq!(store.entered_value(unit, "articles", year).await.unwrap(), Some(3.0));
    let quarter = Period::Quarter { year: 2026, quarter: 1 };
    assert!(!store.period_locked("00004", quarter).await.unwrap());
    store
        .enter_value("00004", "articles", quarter, 1.0, &who)
        .await
        .unwrap();
    // Another province is not locked by this one's report.
    assert!(!store.period_locked("51", year).await.unwrap());
    store.unlock_period("01", year, &who).await.unwrap();
    store.enter_value("00004", "articles", year, 4.0, &who).await.unwrap();
    assert_eq!(store.entered_value(unit, "articles", year).await.unwrap(), Some(4.0));
}
