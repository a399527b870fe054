//! What an operation answers instead of a result.

use hnd_domain::{AccountError, Lang, MemberError, OrgError, PlanError};
use hnd_store::StoreError;

/// The kind of a refusal: what an adapter turns into a status code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Outside the actor's part of the tree, or beyond their role.
    Forbidden,
    /// What the request names does not exist.
    NotFound,
    /// The register already holds what the request would add.
    Conflict,
    /// The input breaks a rule; nothing changed.
    Invalid,
    /// The database failed; nothing is told but that.
    Internal,
}

/// A refused or failed operation. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("forbidden")]
    Forbidden,
    /// One field of the input is refused.
    #[error("{field}: {error}")]
    Field { field: &'static str, error: StoreError },
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A member file that could not be read or written, or an import
    /// stopped between two chunks.
    #[error(transparent)]
    File(hnd_import::RunError),
    /// Figures of an entry grid refused, or to be confirmed (warnings
    /// only): each with its indicator.
    #[error("figures refused")]
    Figures(Vec<FigureProblem>),
    /// A document that could not be read (a plan's text to draft from).
    #[error(transparent)]
    Document(hnd_ingest::IngestError),
}

/// A figure of an entry grid refused, or one to confirm (`warning`), with why.
#[derive(Debug, Clone)]
pub struct FigureProblem {
    pub indicator: String,
    pub warning: bool,
    pub error: PlanError,
}

/// The kind of a store's refusal or failure.
pub fn kind_of(e: &StoreError) -> ErrorKind {
    match e {
        StoreError::Account(AccountError::Forbidden) => ErrorKind::Forbidden,
        StoreError::Org(OrgError::UnknownUnit { .. })
        | StoreError::Member(
            MemberError::UnknownMember { .. }
            | MemberError::UnknownEntry { .. }
            | MemberError::UnknownHousehold { .. }
            | MemberError::UnknownMapping { .. },
        )
        | StoreError::Plan(PlanError::UnknownPlan { .. } | PlanError::UnknownTask { .. })
        | StoreError::Report(hnd_domain::ReportError::Unknown { .. }) => ErrorKind::NotFound,
        StoreError::Member(MemberError::DuplicateCccd { .. } | MemberError::CccdTaken { .. })
        | StoreError::Fee(hnd_domain::FeeError::PaidAlready { .. })
        | StoreError::Report(hnd_domain::ReportError::Step { .. })
        | StoreError::Plan(
            PlanError::NotDraft { .. }
            | PlanError::NotIssued { .. }
            | PlanError::NumberTaken { .. }
            | PlanError::PeriodLocked { .. },
        ) => ErrorKind::Conflict,
        StoreError::BadUrl(_) | StoreError::Db(_) => ErrorKind::Internal,
        _ => ErrorKind::Invalid,
    }
}

impl AppError {
    /// A refused field: `field` as the input names it, with the rule it broke.
    pub fn field(field: &'static str, error: impl Into<StoreError>) -> AppError {
        AppError::Field {
            field,
            error: error.into(),
        }
    }

    /// A refused field: `value` is not one `field` takes.
    pub fn bad_value(field: &'static str, value: &str) -> AppError {
        let value = value.to_string();
        AppError::field(field, hnd_domain::MemberError::BadField { field, value })
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            AppError::Forbidden
            | AppError::Field {
                error: StoreError::Account(AccountError::Forbidden),
                ..
            } => ErrorKind::Forbidden,
            AppError::Field { .. } => ErrorKind::Invalid,
            AppError::File(hnd_import::RunError::Import(_)) => ErrorKind::Invalid,
            AppError::File(_) => ErrorKind::Internal,
            AppError::Store(e) => kind_of(e),
            AppError::Figures(_) | AppError::Document(_) => ErrorKind::Invalid,
        }
    }

    /// The field the refusal is about, if it is one field's.
    pub fn field_name(&self) -> Option<&'static str> {
        match self {
            AppError::Field { field, .. } => Some(field),
            _ => None,
        }
    }

    /// A sentence for a person, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            AppError::Forbidden => AccountError::Forbidden.message(lang),
            AppError::Field { error, .. } | AppError::Store(error) => error.message(lang),
            AppError::File(e) => e.message(lang),
            AppError::Document(e) => e.message(lang),
            AppError::Figures(problems) => problems
                .iter()
                .map(|p| p.error.message(lang))
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

impl From<hnd_import::RunError> for AppError {
    fn from(e: hnd_import::RunError) -> AppError {
        match e {
            hnd_import::RunError::Store(e) => AppError::Store(e),
            e => AppError::File(e),
        }
    }
}

impl From<MemberError> for AppError {
    fn from(e: MemberError) -> AppError {
        AppError::Store(e.into())
    }
}

impl From<PlanError> for AppError {
    fn from(e: PlanError) -> AppError {
        AppError::Store(e.into())
    }
}

impl From<OrgError> for AppError {
    fn from(e: OrgError) -> AppError {
        AppError::Store(e.into())
    }
}
