//! Storage of `hnd`: one interface ([`Store`]) over two backends.
//!
//! SQLite is the embedded default (one file, WAL, one writer); PostgreSQL
//! is the path to national scale. Both run the same SQL, written in the
//! subset both engines accept (`$n` parameters, ISO-text dates, `RETURNING`)
//! through sqlx's `Any` driver, so no query is written twice. What differs
//! lives in [`backend`]: each engine's own migrations and connection set-up.

mod access;
mod accounts;
pub mod backend;
mod backup;
mod backup_report;
#[cfg(feature = "bench")]
mod bench;
mod bodies;
mod corrections;
mod edit;
mod entry;
mod error;
mod fees;
mod figures;
mod households;
mod import_mappings;
mod indicators;
mod members;
mod merger;
mod org;
mod plan_life;
mod plan_reading;
mod plans;
mod profiles;
mod reports;
mod sessions;
mod settings;
mod sql;
mod statistics;
mod strength;
mod task_edits;
mod tasks;
pub mod testing;
mod users;

pub use accounts::{Audit, AuditEntry, AuditFilter, MemberPlace, random_password, secret};
pub use backend::Backend;
pub use backup::{BackupError, Copied, Progress};
pub use corrections::{Corrected, Correction};
pub use entry::EnteredValue;
pub use error::StoreError;
pub use fees::{FeeMember, FeePayment, FeeReport, FeeRow};
pub use figures::ProgressRow;
pub use households::Household;
pub use import_mappings::SavedMapping;
pub use indicators::NewIndicator;
pub use members::{
    Added, CccdHolder, LikelyDuplicate, LoadOutcome, Member, MemberCounts, MemberEvent, MemberPage, MemberQuery,
    MemberRow, NewMember,
};
pub use merger::{MergerReport, ReviewRow};
pub use org::{Change, LevelCounts, Lineage, LineageLink, NewUnit, OrgEvent, SplitPart, Unit, UnitDetails, UnitHit};
pub use plan_life::{Implementing, PlanDocument};
pub use plan_reading::ReadPlan;
pub use plans::{Implements, NewPlan, Plan, Split, SplitOutcome, Target};
pub use profiles::{MemberProfile, RatingEntry, RoleEntry, TitleEntry};
pub use reports::{Report, ReportStepRow};
pub use sessions::{ACCOUNT_FAILURES, PAIR_FAILURES, PAIR_FAILURES_UNDER_ATTACK, Session, THROTTLE_MINUTES};
pub use statistics::Bulk;
pub use strength::{AgeBands, Breakdown, Columns, Figure, LIST_LIMIT, MemberMove, StrengthReport, StrengthRow};
pub use tasks::{MAX_FILE_MB, NewFile, NewTask, STATUSES, Task, TaskDetails, TaskFile, TaskNote};
pub use users::{TokenRow, UserRow};

use sqlx::AnyPool;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The storage of one `hnd` installation.
#[derive(Clone)]
pub struct Store {
    backend: Backend,
    /// The address it was opened with: a backup of PostgreSQL opens its
    /// own connection, outside the `Any` pools, for `COPY`.
    url: std::sync::Arc<str>,
    /// Readers: several connections.
    read: AnyPool,
    /// Writers: on SQLite a single connection, so that writes queue in the
    /// application instead of failing with `SQLITE_BUSY`; on PostgreSQL the
    /// same pool as the readers.
    write: AnyPool,
    /// Today's tree's names, for finding a unit by name.
    names: org::NameCache,
    /// Whether writes keep the maintained counts; off only in the
    /// benchmark that measures what keeping them costs.
    #[cfg(feature = "bench")]
    counts: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Store {
    /// Opens `url` (`sqlite:PATH` or `postgres://…`) and brings its schema
    /// up to date.
    pub async fn open(url: &str) -> Result<Store> {
        let store = Store::connect(url).await?;
        store.migrate().await?;
        store.load_indicators().await?;
        Ok(store)
    }

    /// Opens `url` without touching the schema.
    pub async fn connect(url: &str) -> Result<Store> {
        let backend = Backend::of_url(url)?;
        let (read, write) = backend.pools(url).await?;
        Ok(Store {
            backend,
            url: url.into(),
            read,
            write,
            names: Default::default(),
            #[cfg(feature = "bench")]
            counts: std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true)),
        })
    }

    /// Applies the migrations this database has not seen; returns their names.
    pub async fn migrate(&self) -> Result<Vec<String>> {
        let applied = self.backend.migrate(&self.write, None).await?;
        if !applied.is_empty() {
            self.refresh_statistics(Bulk::Everything).await?;
        }
        Ok(applied)
    }

    /// Whether writes keep the maintained counts: always, but in the
    /// benchmark of what keeping them costs.
    pub(crate) fn keeps_counts(&self) -> bool {
        #[cfg(feature = "bench")]
        return self.counts.load(std::sync::atomic::Ordering::Relaxed);
        #[cfg(not(feature = "bench"))]
        true
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes the pools, waiting for connections in use.
    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }
}

/// Connections of the store's pools, for monitoring.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct PoolStats {
    pub read_size: u32,
    pub read_idle: usize,
    pub write_size: u32,
    pub write_idle: usize,
}

impl Store {
    pub fn pool_stats(&self) -> PoolStats {
        PoolStats {
            read_size: self.read.size(),
            read_idle: self.read.num_idle(),
            write_size: self.write.size(),
            write_idle: self.write.num_idle(),
        }
    }
}
