//! One route of the table: its method, path, access and handler.

use crate::AppState;
use crate::authorize::Access;
use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::routing::MethodRouter;

/// One route: method, path pattern, the access it needs, its handler.
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    pub(crate) handler: MethodRouter<AppState>,
    /// Whether the route takes a file: it may then take [`UPLOAD_TIMEOUT`]
    /// rather than the state's `request_timeout`.
    pub(crate) upload: bool,
}

/// How long an ordinary request may take, unless the state says otherwise.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// How long an upload may take: a large spreadsheet sent from a commune's
/// slow line must not be cut off (the import itself runs as a job).
pub const UPLOAD_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15 * 60);

pub(crate) fn route(method: Method, path: &'static str, access: Access, handler: MethodRouter<AppState>) -> Route {
    Route {
        method,
        path,
        access,
        handler,
        upload: false,
    }
}

impl Route {
    /// A route that takes a file of up to `max` bytes: its own body limit
    /// and the upload's time.
    pub(crate) fn upload(mut self, max: usize) -> Route {
        self.handler = self.handler.layer(DefaultBodyLimit::max(max));
        self.upload = true;
        self
    }
}
