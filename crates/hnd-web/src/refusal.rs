//! One error type for the handlers of pages and of the API.
//!
//! A handler returns `Result<Response, Refusal>` and uses `?` on what an
//! operation, the store or a JSON body gives it. The refusal keeps the
//! reason, not a rendering: `shell::shape_errors`, which knows the route
//! and the request's language, answers the API's JSON error
//! (`{"error": {"code", "message", "field"}}`) under `/api/` and the
//! error page elsewhere. A page that shows a refusal beside the form the
//! user filled in renders it itself; everything else goes through here.

use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hnd_app::{AppError, ErrorKind};
use hnd_domain::{Lang, i18n};
use hnd_store::StoreError;
use std::sync::Arc;

/// Why a request is refused.
#[derive(Clone)]
pub struct Refusal(Arc<Why>);

enum Why {
    /// An operation (or the store under it) refused or failed.
    App(AppError),
    /// A body that could not be read as the route's JSON.
    Body {
        status: StatusCode,
        code: &'static str,
        key: &'static str,
    },
    /// One value of the request the adapter itself reads (a date in a
    /// query, a day in a body) that is not what it must be.
    Value {
        status: StatusCode,
        field: String,
        says: Says,
    },
}

/// A sentence to be said in the request's language.
type Says = Box<dyn Fn(Lang) -> String + Send + Sync>;

impl From<AppError> for Refusal {
    fn from(e: AppError) -> Refusal {
        Refusal(Arc::new(Why::App(e)))
    }
}

impl From<StoreError> for Refusal {
    fn from(e: StoreError) -> Refusal {
        AppError::Store(e).into()
    }
}

impl From<JsonRejection> for Refusal {
    /// Over the size limit (413, `too_large`), not declared as JSON (415),
    /// or not JSON of the right shape (400); the last two are `bad_json`.
    fn from(rejection: JsonRejection) -> Refusal {
        let (status, code, key) = match rejection {
            JsonRejection::MissingJsonContentType(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "bad_json", "web.bad_json")
            }
            r if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                (StatusCode::PAYLOAD_TOO_LARGE, "too_large", "web.too_large")
            }
            _ => (StatusCode::BAD_REQUEST, "bad_json", "web.bad_json"),
        };
        Refusal(Arc::new(Why::Body { status, code, key }))
    }
}

/// The answer's status for a kind of operation error.
pub fn status_of_kind(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl Refusal {
    /// The value `field` is refused with `status`, for the reason `says`
    /// gives in the request's language.
    pub fn value(
        status: StatusCode,
        field: impl Into<String>,
        says: impl Fn(Lang) -> String + Send + Sync + 'static,
    ) -> Refusal {
        Refusal(Arc::new(Why::Value {
            status,
            field: field.into(),
            says: Box::new(says),
        }))
    }

    /// The caller may not do this.
    pub fn forbidden() -> Refusal {
        AppError::Forbidden.into()
    }

    pub fn status(&self) -> StatusCode {
        match &*self.0 {
            Why::App(e) => status_of_kind(e.kind()),
            Why::Body { status, .. } | Why::Value { status, .. } => *status,
        }
    }

    /// The API's code for it.
    pub fn code(&self) -> &'static str {
        match &*self.0 {
            Why::App(e) => match e.kind() {
                ErrorKind::NotFound => "not_found",
                ErrorKind::Forbidden => "forbidden",
                ErrorKind::Conflict => "conflict",
                ErrorKind::Internal => "internal",
                ErrorKind::Invalid => "refused",
            },
            Why::Body { code, .. } => code,
            Why::Value { .. } => "invalid",
        }
    }

    /// What the person reads, in `lang`; an internal failure is not
    /// described (it is in the log).
    pub fn message(&self, lang: Lang) -> String {
        match &*self.0 {
            Why::App(e) if e.kind() == ErrorKind::Internal => i18n::t(lang, "web.internal", &[]),
            Why::App(e) => e.message(lang),
            Why::Body { key, .. } => i18n::t(lang, key, &[]),
            Why::Value { says, .. } => says(lang),
        }
    }

    /// The one field refused, when it is one.
    pub fn field(&self) -> Option<&str> {
        match &*self.0 {
            Why::App(e) => e.field_name(),
            Why::Body { .. } => None,
            Why::Value { field, .. } => Some(field.as_str()),
        }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        if let Why::App(e) = &*self.0
            && e.kind() == ErrorKind::Internal
        {
            tracing::error!(error = %e, "operation failed");
        }
        let mut response = self.status().into_response();
        response.extensions_mut().insert(self);
        response
    }
}
