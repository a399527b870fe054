//! What only the benchmarks may do to a store, built with the `bench`
//! feature (which `hnd`'s own `bench` feature turns on): never part of the
//! store a server runs.

use crate::{Backend, Result, Store};

impl Store {
    /// Stops keeping the maintained counts in this database (its triggers
    /// dropped, bulk loads writing none): for the benchmark that measures
    /// an import with and without them, on a throwaway database only. The
    /// dashboards of such a database are wrong from then on.
    pub async fn drop_counts_for_benchmark(&self) -> Result<()> {
        self.counts.store(false, std::sync::atomic::Ordering::Relaxed);
        let statements: &[&str] = match self.backend {
            Backend::Sqlite => &[
                "DROP TRIGGER memberships_count_insert",
                "DROP TRIGGER memberships_count_update",
                "DROP TRIGGER member_events_count",
                "DROP TRIGGER unit_member_deltas_total_insert",
                "DROP TRIGGER unit_member_deltas_total_update",
                "DROP TRIGGER members_kind_update",
                "DROP TRIGGER province_member_deltas_total_insert",
                "DROP TRIGGER province_member_deltas_total_update",
            ],
            Backend::Postgres => &[
                "DROP TRIGGER memberships_count_insert ON memberships",
                "DROP TRIGGER memberships_count_update ON memberships",
                "DROP TRIGGER member_events_count ON member_events",
                "DROP TRIGGER unit_member_deltas_total ON unit_member_deltas",
                "DROP TRIGGER members_kind ON members",
                "DROP TRIGGER province_member_deltas_total ON province_member_deltas",
            ],
        };
        for sql in statements {
            sqlx::query(*sql).execute(&self.write).await?;
        }
        Ok(())
    }
}
