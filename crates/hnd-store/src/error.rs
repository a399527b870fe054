use hnd_domain::{AccountError, Lang, MemberError, OrgError, PlanError, i18n::t};

/// What the storage can answer instead of a result.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The request breaks a rule of the organisation tree; nothing changed.
    #[error("{}", .0.message(Lang::Vi))]
    Org(#[from] OrgError),
    /// The request breaks a rule of the member register; nothing changed.
    #[error("{}", .0.message(Lang::Vi))]
    Member(MemberError),
    /// Refused by the rules of plans and targets; nothing changed.
    #[error("{}", .0.message(Lang::Vi))]
    Plan(#[from] PlanError),
    /// Refused by the rules of accounts and access; nothing changed.
    #[error("{}", .0.message(Lang::Vi))]
    Account(AccountError),
    /// Refused by the rules of membership fees; nothing changed.
    #[error("{}", .0.message(Lang::Vi))]
    Fee(#[from] hnd_domain::FeeError),
    /// Refused by the reports' workflow; nothing changed.
    #[error("{}", .0.message(Lang::Vi))]
    Report(#[from] hnd_domain::ReportError),
    /// A backup or a restore refused or failed; nothing half done.
    #[error("{0}")]
    Backup(#[from] crate::backup_report::BackupError),
    #[error("unsupported database address {0:?}: use sqlite:PATH or postgres://…")]
    BadUrl(String),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

impl StoreError {
    /// A sentence for a person in `lang`. Database failures are not
    /// detailed (the detail goes to the log, not to the user).
    pub fn message(&self, lang: Lang) -> String {
        match self {
            StoreError::Org(e) => e.message(lang),
            StoreError::Member(e) => e.message(lang),
            StoreError::Account(e) => e.message(lang),
            StoreError::Plan(e) => e.message(lang),
            StoreError::Fee(e) => e.message(lang),
            StoreError::Report(e) => e.message(lang),
            StoreError::Backup(e) => e.message(lang),
            StoreError::BadUrl(url) => t(lang, "store.bad_url", &[("url", url)]),
            StoreError::Db(_) => t(lang, "store.db", &[]),
        }
    }
}

impl From<hnd_domain::BadDay> for StoreError {
    fn from(e: hnd_domain::BadDay) -> StoreError {
        StoreError::Org(e.into())
    }
}

impl From<hnd_domain::BadUnitText> for StoreError {
    fn from(e: hnd_domain::BadUnitText) -> StoreError {
        StoreError::Org(e.into())
    }
}
