//! What a request says of itself, and the error shape of the API: read by
//! the pages, the API and the framework's own refusals alike.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header::COOKIE};
use axum::response::{IntoResponse, Response};
use hnd_domain::Lang;
use serde_json::{Value, json};

/// An answer, or the answer refusing the request: handlers that stop at
/// their first refusal return it and use `?`.
pub type Answer = Result<Response, Response>;

/// A JSON body as a handler receives it: read, or why it is not.
pub type JsonBody<T> = Result<Json<T>, JsonRejection>;

/// An API error response.
pub fn error(status: StatusCode, code: &str, message: String, field: Option<&str>) -> Response {
    let body = json!({"error": {"code": code, "message": message, "field": field}});
    (status, Json(body)).into_response()
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The language of a request: `?lang=`, else the `hnd_lang` cookie, else Vietnamese.
pub fn lang_of(parts: &Parts) -> Lang {
    let from_query = parts.uri.query().and_then(|q| {
        q.split('&')
            .find_map(|kv| kv.strip_prefix("lang="))
            .and_then(Lang::parse)
    });
    from_query
        .or_else(|| cookie(&parts.headers, "hnd_lang").and_then(|v| Lang::parse(&v)))
        .unwrap_or_default()
}

/// The language of an API request: `?lang=`, else `Accept-Language`, else Vietnamese.
pub fn api_lang(parts: &Parts) -> Lang {
    let query = lang_of(parts);
    if parts.uri.query().is_some_and(|q| q.contains("lang=")) {
        return query;
    }
    let accept = parts
        .headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if accept.starts_with("en") { Lang::En } else { Lang::Vi }
}

/// The pieces the OpenAPI document's operations are written with: the
/// error shape above as a response, the `id` path parameter, a JSON
/// object answered, a JSON body.
pub struct Doc {
    pub error: Value,
    pub id: Value,
}

impl Doc {
    pub fn new() -> Doc {
        Doc {
            error: json!({"$ref": "#/components/responses/Error"}),
            id: json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64"}}),
        }
    }

    /// An operation's answers: `ok` with 200, or an error.
    pub fn common(&self, ok: Value) -> Value {
        let error = &self.error;
        json!({"200": ok, "400": error, "401": error, "403": error, "404": error, "422": error})
    }

    /// A JSON object answered, as `description` says.
    pub fn ok(&self, description: &str) -> Value {
        json!({"description": description, "content": {"application/json": {"schema": {"type": "object"}}}})
    }

    /// A required JSON body of the document's schema `schema`.
    pub fn body(&self, schema: &str) -> Value {
        let schema = json!({"$ref": format!("#/components/schemas/{schema}")});
        json!({"required": true, "content": {"application/json": {"schema": schema}}})
    }
}
