//! A member's profile in the browser: the "Hồ sơ" section of the member's
//! page (fields, positions, titles, ratings, photo), the edit form of the
//! scalar fields, the add and remove forms of the entries, and the photo.
//! Personal data (Party, insurance, CCCD issue date, photo) is shown,
//! changed and served only to who may see the member's sensitive data.

use crate::AppState;
use crate::auth::Viewer;
use crate::members::{EntryTyped, FieldErrors};
use crate::shell::{Nav, Posted, Tokened, Tr, app_problem, forbidden, render, store_problem};
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use hnd_app::{AppError, ErrorKind, Personal};
use hnd_domain::profile::{self, FIELDS, FieldError, NewRating, NewRole, NewTitle, Photo, Profile};
use hnd_domain::{Action, Lang, i18n};
use hnd_store::Store;
use std::collections::HashMap;

/// Largest photo upload request: the photo and the form around it.
pub const MAX_PHOTO_REQUEST: usize = profile::MAX_PHOTO_BYTES + 64 * 1024;

/// Field → message for the form, from the domain's refusals.
pub fn field_errors(errors: Vec<FieldError>, lang: Lang) -> FieldErrors {
    errors.into_iter().map(|e| (e.field, e.message(lang))).collect()
}

/// The member's unit path, checked: the user may edit the member there
/// (and, with `sensitive`, see their personal data too).
async fn allow_edit(store: &Store, viewer: &Viewer, id: i64, sensitive: bool) -> Result<String, Response> {
    let (path, _) = store.member_paths(id).await.map_err(|e| store_problem(viewer, e))?;
    let user = &viewer.user;
    if user.may(Action::EditMembers, &path) && (!sensitive || user.may(Action::ViewSensitive, &path)) {
        Ok(path)
    } else {
        Err(forbidden(viewer))
    }
}

// ---------------------------------------------------------------- the scalar fields

/// One field of the edit form: name, label, value as typed, and its
/// choices (value, label); no choices for a text field.
type Input = (&'static str, String, String, Vec<(String, String)>);

#[derive(Template)]
#[template(path = "member_profile_form.html")]
struct EditPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    id: i64,
    name: String,
    /// Personal fields only for who may see them.
    inputs: Vec<Input>,
    errors: FieldErrors,
}

impl EditPage {
    fn error(&self, field: &str) -> String {
        self.errors.get(field).cloned().unwrap_or_default()
    }
}

fn edit_page(viewer: &Viewer, id: i64, name: String, values: &HashMap<String, String>, reveal: bool) -> EditPage {
    let lang = viewer.lang;
    let yes = i18n::t(lang, "profile.yes", &[]);
    let no = i18n::t(lang, "profile.no", &[]);
    let unknown_allowed: Vec<&str> = Profile::default()
        .to_text()
        .into_iter()
        .filter(|(_, text)| text.is_empty())
        .map(|(field, _)| field)
        .collect();
    let inputs = FIELDS
        .iter()
        .filter(|f| reveal || !profile::is_sensitive(f))
        .map(|&field| {
            let choices: Vec<(String, String)> = if let Some(list) = profile::choices(field, lang) {
                std::iter::once((String::new(), String::new()))
                    .chain(list.into_iter().map(|(code, label)| (code.to_string(), label)))
                    .collect()
            } else if profile::is_yes_no(field) {
                // A yes/no that may be unknown is empty by default.
                let unknown = unknown_allowed
                    .contains(&field)
                    .then(|| (String::new(), i18n::t(lang, "profile.unknown", &[])));
                unknown
                    .into_iter()
                    .chain([("yes".to_string(), yes.clone()), ("no".to_string(), no.clone())])
                    .collect()
            } else {
                Vec::new()
            };
            let value = values.get(field).cloned().unwrap_or_default();
            (field, profile::field_label(field, lang), value, choices)
        })
        .collect();
    EditPage {
        t: Tr(lang),
        nav: Some(Nav::of(viewer, &format!("/members/{id}/profile"))),
        csrf: viewer.csrf.clone(),
        id,
        name,
        inputs,
        errors: FieldErrors::new(),
    }
}

pub async fn edit_form(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    let path = match allow_edit(&state.store, &viewer, id, false).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let (member, current) = match tokio::try_join!(state.store.member(id), state.store.member_profile(id)) {
        Ok(x) => x,
        Err(e) => return store_problem(&viewer, e),
    };
    let reveal = viewer.user.may(Action::ViewSensitive, &path);
    let values = current
        .profile
        .to_text()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let page = edit_page(&viewer, id, member.full_name, &values, reveal);
    render(page, StatusCode::OK, viewer.lang)
}

pub async fn save(State(state): State<AppState>, posted: EntryPost<i64>) -> Response {
    let (viewer, id, Entries(form)) = posted.into_parts();
    let path = match allow_edit(&state.store, &viewer, id, false).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let reveal = viewer.user.may(Action::ViewSensitive, &path);
    // Personal fields are not in the form of who may not see them: what
    // they do not see stays as it is (the operation keeps them).
    let given = |field: &str| {
        if profile::is_sensitive(field) && !reveal {
            String::new()
        } else {
            form.get(field).cloned().unwrap_or_default()
        }
    };
    let parsed = match Profile::parse(given) {
        Ok(p) => p,
        Err(errors) => {
            let member = match state.store.member(id).await {
                Ok(m) => m,
                Err(e) => return store_problem(&viewer, e),
            };
            let mut page = edit_page(&viewer, id, member.full_name, &form, reveal);
            page.errors = field_errors(errors, viewer.lang);
            return render(page, StatusCode::UNPROCESSABLE_ENTITY, viewer.lang);
        }
    };
    if let Err(e) = state
        .app
        .set_profile(&viewer.actor(), id, &parsed, Personal::Keep)
        .await
    {
        return app_problem(&viewer, e);
    }
    Redirect::to(&format!("/members/{id}?done=profile")).into_response()
}

// ---------------------------------------------------------------- entries

/// The member's page again with a refused entry form and why.
async fn refused(state: &AppState, viewer: &Viewer, id: i64, typed: EntryTyped) -> Response {
    crate::members::page_with_profile_form(state, viewer, id, typed).await
}

fn typed(form: &'static str, values: &HashMap<String, String>, errors: FieldErrors) -> EntryTyped {
    EntryTyped {
        form,
        values: values.clone(),
        errors,
    }
}

fn value<'a>(form: &'a HashMap<String, String>, field: &str) -> &'a str {
    form.get(field).map(String::as_str).unwrap_or_default()
}

/// A form of the profile as posted: its fields by name.
#[derive(serde::Deserialize)]
#[serde(transparent)]
pub struct Entries(HashMap<String, String>);

impl Tokened for Entries {
    fn csrf(&self) -> &str {
        value(&self.0, "csrf")
    }
}

/// A form of the profile posted on a member's page (`P`: the path's
/// parameters), its token checked.
type EntryPost<P> = Posted<P, Entries>;

pub async fn add_role(State(state): State<AppState>, posted: EntryPost<i64>) -> Response {
    let (viewer, id, Entries(f)) = posted.into_parts();
    let parse = |f: &HashMap<String, String>| {
        NewRole::parse(value(f, "position"), value(f, "unit"), value(f, "from"), value(f, "to"))
    };
    let add = async |role: NewRole| state.app.add_role(&viewer.actor(), id, &role).await;
    addition(&state, &viewer, id, &f, ("role", "unit"), parse, add).await
}

/// Adds an entry to a member's list (positions, titles, ratings): the
/// form's checks, `parse` of what was typed, then `add`; back to the list,
/// or the member's page with the form as typed and why: a field's error
/// beside its field, a refusal of the whole entry beside `form.1`.
async fn addition<T, R>(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    f: &HashMap<String, String>,
    form: (&'static str, &'static str),
    parse: impl FnOnce(&HashMap<String, String>) -> Result<T, Vec<FieldError>>,
    add: impl AsyncFnOnce(T) -> Result<R, AppError>,
) -> Response {
    if let Err(r) = allow_edit(&state.store, viewer, id, false).await {
        return r;
    }
    let (name, field) = form;
    let entry = match parse(f) {
        Ok(entry) => entry,
        Err(e) => return refused(state, viewer, id, typed(name, f, field_errors(e, viewer.lang))).await,
    };
    match add(entry).await {
        Ok(_) => Redirect::to(&format!("/members/{id}?done={name}#{name}s")).into_response(),
        Err(e) => match form_refusal(viewer, e) {
            Ok(message) => refused(state, viewer, id, typed(name, f, FieldErrors::from([(field, message)]))).await,
            Err(r) => r,
        },
    }
}

/// A refusal shown beside the form, or the page for one that is not the
/// form's to show (forbidden, not found, a failure).
fn form_refusal(viewer: &Viewer, e: AppError) -> Result<String, Response> {
    match e.kind() {
        ErrorKind::Invalid | ErrorKind::Conflict => Ok(e.message(viewer.lang)),
        _ => Err(app_problem(viewer, e)),
    }
}

/// A removal needs its box ticked; without it, the page says so beside the list.
async fn unconfirmed(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    list: &'static str,
    f: &HashMap<String, String>,
) -> Option<Response> {
    if f.contains_key("confirm") {
        return None;
    }
    let errors = FieldErrors::from([("confirm", viewer.t("profile.remove_needs_confirmation"))]);
    Some(refused(state, viewer, id, typed(list, f, errors)).await)
}

pub async fn remove_role(State(state): State<AppState>, posted: EntryPost<(i64, i64)>) -> Response {
    let (viewer, (id, entry), Entries(f)) = posted.into_parts();
    let remove = async || state.app.remove_role(&viewer.actor(), id, entry).await;
    removal(&state, &viewer, id, &f, "roles", remove).await
}

pub async fn add_title(State(state): State<AppState>, posted: EntryPost<i64>) -> Response {
    let (viewer, id, Entries(f)) = posted.into_parts();
    let parse = |f: &HashMap<String, String>| {
        NewTitle::parse(value(f, "year"), value(f, "level"), value(f, "kind"), value(f, "note"))
    };
    let add = async |title: NewTitle| state.app.add_title(&viewer.actor(), id, &title).await;
    addition(&state, &viewer, id, &f, ("title", "kind"), parse, add).await
}

pub async fn remove_title(State(state): State<AppState>, posted: EntryPost<(i64, i64)>) -> Response {
    let (viewer, (id, entry), Entries(f)) = posted.into_parts();
    let remove = async || state.app.remove_title(&viewer.actor(), id, entry).await;
    removal(&state, &viewer, id, &f, "titles", remove).await
}

pub async fn add_rating(State(state): State<AppState>, posted: EntryPost<i64>) -> Response {
    let (viewer, id, Entries(f)) = posted.into_parts();
    let parse = |f: &HashMap<String, String>| {
        let proposed = if f.contains_key("proposed_to_party") { "yes" } else { "" };
        NewRating::parse(value(f, "year"), value(f, "rating"), proposed)
    };
    let add = async |rating: NewRating| state.app.set_rating(&viewer.actor(), id, &rating).await;
    addition(&state, &viewer, id, &f, ("rating", "year"), parse, add).await
}

pub async fn remove_rating(State(state): State<AppState>, posted: EntryPost<(i64, i32)>) -> Response {
    let (viewer, (id, year), Entries(f)) = posted.into_parts();
    let remove = async || state.app.remove_rating(&viewer.actor(), id, year).await;
    removal(&state, &viewer, id, &f, "ratings", remove).await
}

/// Removes an entry of a member's `list` (positions, titles, ratings)
/// once the form is the session's and confirmed: `remove` does it; then
/// back to the list, or the refusal.
async fn removal<T>(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    f: &HashMap<String, String>,
    list: &'static str,
    remove: impl AsyncFnOnce() -> Result<T, AppError>,
) -> Response {
    if let Err(r) = allow_edit(&state.store, viewer, id, false).await {
        return r;
    }
    if let Some(r) = unconfirmed(state, viewer, id, list, f).await {
        return r;
    }
    match remove().await {
        Ok(_) => Redirect::to(&format!("/members/{id}?done=removed#{list}")).into_response(),
        Err(e) => app_problem(viewer, e),
    }
}

// ---------------------------------------------------------------- photo

/// The photo, to who may see the member's personal data; never cached
/// by shared caches.
pub async fn photo(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    let (path, _) = match state.store.member_paths(id).await {
        Ok(p) => p,
        Err(e) => return store_problem(&viewer, e),
    };
    if !viewer.user.may(Action::ViewSensitive, &path) {
        return forbidden(&viewer);
    }
    match state.store.member_photo(id).await {
        Ok(Some((content_type, bytes))) => (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, "no-store".to_string()),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => crate::shell::problem(
            Some(&viewer),
            viewer.lang,
            StatusCode::NOT_FOUND,
            viewer.t("profile.no_photo"),
        ),
        Err(e) => store_problem(&viewer, e),
    }
}

pub async fn upload_photo(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    mut form: Multipart,
) -> Response {
    if let Err(r) = allow_edit(&state.store, &viewer, id, true).await {
        return r;
    }
    let refuse = |error: FieldError| {
        let errors = field_errors(vec![error], viewer.lang);
        typed("photo", &HashMap::new(), errors)
    };
    let too_large = || FieldError {
        field: "photo",
        reason: "profile.why.photo_size",
        value: String::new(),
    };
    let (mut csrf, mut bytes) = (String::new(), None);
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return refused(&state, &viewer, id, refuse(too_large())).await,
        };
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("photo") | Some("file") => {
                if let Err(r) = viewer.check_csrf(&csrf) {
                    return r;
                }
                match field.bytes().await {
                    Ok(b) => bytes = Some(b.to_vec()),
                    Err(_) => return refused(&state, &viewer, id, refuse(too_large())).await,
                }
            }
            _ => {}
        }
    }
    if let Err(r) = viewer.check_csrf(&csrf) {
        return r;
    }
    let photo = match Photo::parse(bytes.unwrap_or_default()) {
        Ok(p) => p,
        Err(e) => return refused(&state, &viewer, id, refuse(e)).await,
    };
    if let Err(e) = state.app.set_photo(&viewer.actor(), id, &photo).await {
        return app_problem(&viewer, e);
    }
    Redirect::to(&format!("/members/{id}?done=photo#photo")).into_response()
}

pub async fn remove_photo(State(state): State<AppState>, posted: EntryPost<i64>) -> Response {
    let (viewer, id, Entries(f)) = posted.into_parts();
    if let Err(r) = allow_edit(&state.store, &viewer, id, true).await {
        return r;
    }
    if let Some(r) = unconfirmed(&state, &viewer, id, "photo", &f).await {
        return r;
    }
    match state.app.remove_photo(&viewer.actor(), id).await {
        Ok(_) => Redirect::to(&format!("/members/{id}?done=removed#photo")).into_response(),
        Err(e) => app_problem(&viewer, e),
    }
}
