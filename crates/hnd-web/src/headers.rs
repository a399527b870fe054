//! Security headers on every answer of the application.
//!
//! - `Content-Security-Policy`: scripts and styles only from this site or,
//!   inline, by the SHA-256 of their text (computed here from the page
//!   templates, so an edited `<style>` keeps working); no inline `style`
//!   attributes or event handlers, no plugins, no framing, forms post only
//!   here.
//! - `X-Frame-Options: DENY` (for browsers that ignore `frame-ancestors`),
//!   `Referrer-Policy: same-origin` (a search such as `/members?q=…` never
//!   leaves the site in a `Referer`), `X-Content-Type-Options: nosniff`.
//! - `Cache-Control: no-store`. Nearly every answer carries personal data
//!   (member pages, the member API, exports, photos, audit) or depends on
//!   who is signed in, so no answer is kept by the browser or a proxy
//!   unless its handler says otherwise: each header is set only when the
//!   handler has not set it.

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use base64::Engine;
use sha2::{Digest, Sha256};
use tower_http::set_header::SetResponseHeaderLayer;

/// Templates whose inline `<style>` and `<script>` blocks the policy allows.
/// Every page extends `base.html`; the API's page is served as it is.
const INLINE_SOURCES: [&str; 2] = [
    include_str!("../templates/base.html"),
    include_str!("../templates/api_docs.html"),
];

/// The texts of the `<tag>…</tag>` blocks (without attributes) of `source`.
fn inline_blocks<'a>(source: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    let mut blocks = Vec::new();
    let mut rest = source;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        let Some(end) = after.find(&close) else { break };
        blocks.push(&after[..end]);
        rest = &after[end + close.len()..];
    }
    blocks
}

/// `'sha256-…'` sources for the inline `tag` blocks of the templates.
fn hashes(tag: &str) -> String {
    INLINE_SOURCES
        .iter()
        .flat_map(|source| inline_blocks(source, tag))
        .map(|text| {
            let digest = Sha256::digest(text.as_bytes());
            format!(" 'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
        })
        .collect()
}

/// The policy every answer carries.
pub fn content_security_policy() -> String {
    format!(
        "default-src 'self'; script-src 'self'{}; style-src 'self'{}; img-src 'self' data:; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        hashes("script"),
        hashes("style")
    )
}

/// The headers every answer carries, besides the policy, unless its
/// handler set them.
const FIXED: [(HeaderName, &str); 4] = [
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::REFERRER_POLICY, "same-origin"),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::CACHE_CONTROL, "no-store"),
];

/// `router` with the security headers on every answer.
pub fn secure(router: Router) -> Router {
    let csp = HeaderValue::from_str(&content_security_policy()).expect("the policy is ASCII");
    let fixed = FIXED.map(|(name, value)| (name, HeaderValue::from_static(value)));
    [(header::CONTENT_SECURITY_POLICY, csp)]
        .into_iter()
        .chain(fixed)
        .fold(router, |router, (name, value)| {
            router.layer(SetResponseHeaderLayer::if_not_present(name, value))
        })
}
