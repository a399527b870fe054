//! Spreadsheets in the browser: member import with progress and the
//! error file, export of a filtered list, the template. Both are
//! operations of the application layer (`App::import_members`,
//! `App::export_members`); this is their adapter.
//!
//! An upload is written to a work file, then imported into the chosen
//! unit by a background job (`jobs.rs`: the same operation as `hnd members
//! import`, with the web's limits and short chunks); the job page
//! refreshes itself every second with the rows read so far until the
//! summary is in. Jobs live in memory: a restart forgets the page, not the
//! data (every chunk is its own transaction and a re-run adds nothing).
//! On shutdown the work directory is removed.

mod jobs;
mod wizard;

pub use jobs::Jobs;
pub use wizard::{map_page, map_post};

use crate::AppState;
use crate::auth::Viewer;
use crate::members::ListParams;
use crate::shell::{Nav, Tr, forbidden, problem, render};
use askama::Template;
use axum::body::Body;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use hnd_domain::{Action, Day, fmt::int, i18n};
use hnd_import::ImportSummary;
use jobs::{Job, JobState};
use tokio::io::AsyncWriteExt;

/// The largest upload accepted (the import's own limit is on rows and bytes).
pub const MAX_UPLOAD: usize = 210 * 1024 * 1024;

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    error: Option<String>,
    /// The unit imported into by default: the highest the user may.
    home: String,
    /// Mappings saved for the units the user imports into:
    /// ("UNIT/NAME", "name · unit").
    mappings: Vec<(String, String)>,
}

pub async fn import_page(State(state): State<AppState>, viewer: Viewer) -> Response {
    if !viewer.user.may_somewhere(Action::Import) {
        return forbidden(&viewer);
    }
    import_form(&state, &viewer, None, StatusCode::OK).await
}

async fn import_form(state: &AppState, viewer: &Viewer, error: Option<String>, status: StatusCode) -> Response {
    let mappings = state
        .app
        .usable_import_mappings(&viewer.actor())
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|m| {
            (
                format!("{}/{}", m.unit_code, m.name),
                format!("{} · {}", m.name, m.unit_name),
            )
        })
        .collect();
    let page = ImportPage {
        t: Tr(viewer.lang),
        nav: Some(Nav::of(viewer, "/import")),
        csrf: viewer.csrf.clone(),
        error,
        home: viewer
            .user
            .home(Action::Import)
            .map(|h| h.unit_code.clone())
            .unwrap_or_default(),
        mappings,
    };
    render(page, status, viewer.lang)
}

pub async fn template() -> Response {
    const TEMPLATE: &str = include_str!("../../../templates/hoi-vien-mau.csv");
    let mut response = TEMPLATE.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"hoi-vien-mau.csv\""),
    );
    response
}

/// Data rows of a CSV: its lines but the header (a quoted cell that spans
/// lines makes this an estimate, which a progress bar can live with).
/// The file is read a block at a time: an upload may be 200 MB.
async fn count_rows(path: &std::path::Path) -> Option<usize> {
    use tokio::io::AsyncReadExt;
    let mut file = tokio::fs::File::open(path).await.ok()?;
    let mut block = vec![0u8; 256 * 1024];
    let (mut lines, mut last) = (0, b'\n');
    loop {
        let n = file.read(&mut block).await.ok()?;
        if n == 0 {
            break;
        }
        lines += block[..n].iter().filter(|b| **b == b'\n').count();
        last = block[n - 1];
    }
    Some((lines + (last != b'\n') as usize).saturating_sub(1))
}

pub async fn upload(State(state): State<AppState>, viewer: Viewer, mut form: Multipart) -> Response {
    if !viewer.user.may_somewhere(Action::Import) {
        return forbidden(&viewer);
    }
    let lang = viewer.lang;
    let id = state.jobs.next_id();
    if let Err(e) = tokio::fs::create_dir_all(&state.work_dir).await {
        tracing::error!(error = %e, "import work dir");
        return problem(
            Some(&viewer),
            lang,
            StatusCode::INTERNAL_SERVER_ERROR,
            viewer.t("web.internal"),
        );
    }
    let (mut csrf, mut unit, mut saved, mut mapping_name) = (String::new(), String::new(), None, String::new());
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return import_form(&state, &viewer, Some(e.body_text()), StatusCode::BAD_REQUEST).await,
        };
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("unit") => unit = field.text().await.unwrap_or_default(),
            Some("mapping") => mapping_name = field.text().await.unwrap_or_default(),
            Some("file") => {
                // The token comes first in the form: nothing is written without it.
                if let Err(r) = viewer.check_csrf(&csrf) {
                    return r;
                }
                match save_spreadsheet(field, &state.work_dir.join(format!("upload-{id}")), lang).await {
                    Ok(file) => saved = Some(file),
                    Err((status, message)) => return import_form(&state, &viewer, Some(message), status).await,
                }
            }
            _ => {}
        }
    }
    if let Err(r) = viewer.check_csrf(&csrf) {
        return r;
    }
    let Some((file_name, path, ext)) = saved else {
        return import_form(
            &state,
            &viewer,
            Some(viewer.t("web.choose_file")),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    // Without a choice: the highest unit the user imports into.
    let unit = match (unit.trim(), viewer.user.home(Action::Import)) {
        ("", Some(home)) => home.unit_code.clone(),
        (code, _) => code.to_string(),
    };
    let actor = viewer.actor();
    let refused = |e: hnd_app::AppError| {
        let _ = std::fs::remove_file(&path);
        crate::shell::told(&viewer, e)
    };
    // A mapping saved for the unit ("UNIT/NAME"): the import starts at once.
    if let Some((at, name)) = mapping_name.split_once('/') {
        return match state.app.import_mapping(&actor, at, name).await {
            Ok(mapping) => {
                let file = Upload {
                    unit: at.to_string(),
                    file_name,
                    path,
                    total: None,
                };
                start_job(&state, &viewer, file, Some(mapping))
            }
            Err(e) => match refused(e) {
                Ok(message) => import_form(&state, &viewer, Some(message), StatusCode::UNPROCESSABLE_ENTITY).await,
                Err(r) => r,
            },
        };
    }
    // A file in a layout of its own goes to the wizard with a proposed
    // mapping; the template's own (or one the reader refuses, which the
    // job then tells) is imported at once.
    let head = path.clone();
    let own_layout = matches!(
        tokio::task::spawn_blocking(move || hnd_import::is_template(&head)).await,
        Ok(Ok(false))
    );
    if own_layout {
        return match state.app.propose_import(&actor, &unit, &path).await {
            Ok(proposal) => {
                let draft = jobs::Draft {
                    user: viewer.user.id,
                    unit,
                    file_name,
                    path,
                    mapping: proposal.mapping,
                    at: std::time::Instant::now(),
                };
                state.jobs.put_draft(id, draft);
                Redirect::to(&format!("/import/map/{id}")).into_response()
            }
            Err(e) => match refused(e) {
                Ok(message) => import_form(&state, &viewer, Some(message), StatusCode::UNPROCESSABLE_ENTITY).await,
                Err(r) => r,
            },
        };
    }
    let total = if ext == "csv" { count_rows(&path).await } else { None };
    let file = Upload {
        unit,
        file_name,
        path,
        total,
    };
    start_job(&state, &viewer, file, None)
}

/// A file uploaded for import: the unit it goes into, its name as the user
/// gave it, where it is, and its rows when counted beforehand.
struct Upload {
    unit: String,
    file_name: String,
    path: std::path::PathBuf,
    total: Option<usize>,
}

/// Starts the import of `file` (through `mapping` when it is in a layout
/// of its own) as a job, and sends the user to its page.
fn start_job(state: &AppState, viewer: &Viewer, file: Upload, mapping: Option<hnd_import::Mapping>) -> Response {
    let (id, lang) = (state.jobs.next_id(), viewer.lang);
    let errors_path = state.work_dir.join(format!("errors-{id}.csv"));
    let Upload {
        unit,
        file_name,
        path,
        total,
    } = file;
    let job = Job {
        user: viewer.user.id,
        file_name: file_name.clone(),
        total,
        state: JobState::Waiting,
        errors_path: errors_path.clone(),
        ended: None,
    };
    let (app, jobs, actor) = (state.app.clone(), state.jobs.clone(), viewer.actor());
    let cancelled = i18n::t(lang, "import.cancelled", &[]);
    state.jobs.spawn(id, job, cancelled, move || async move {
        let stop = || jobs.stopping();
        let options = hnd_import::ImportOptions {
            cancel: Some(&stop),
            mapping: mapping.as_ref(),
            ..hnd_import::ImportOptions::WEB
        };
        let file = hnd_app::MemberFile {
            unit: &unit,
            path: &path,
            name: &file_name,
            errors_path: &errors_path,
            job: Some(id),
            day: Day::today(),
        };
        let mut progress = |s: &ImportSummary| jobs.progress(id, s);
        let result = app.import_members(&actor, &file, &options, &mut progress).await;
        let _ = tokio::fs::remove_file(&path).await;
        result.map_err(|e| e.message(lang))
    });
    Redirect::to(&format!("/import/{id}")).into_response()
}

/// Writes an uploaded file to `path`, chunk by chunk.
/// Saves an uploaded spreadsheet to `stem` with the file's own extension,
/// one the reader takes (csv, xlsx, xls, ods): (its name, the path, the
/// extension), or the status and sentence refusing it.
pub(crate) async fn save_spreadsheet(
    field: axum::extract::multipart::Field<'_>,
    stem: &std::path::Path,
    lang: hnd_domain::Lang,
) -> Result<(String, std::path::PathBuf, String), (StatusCode, String)> {
    let name = field.file_name().unwrap_or("tep").to_string();
    let ext = std::path::Path::new(&name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if !["csv", "xlsx", "xls", "ods"].contains(&ext.as_str()) {
        let message = i18n::t(lang, "import.not_spreadsheet", &[("path", &name)]);
        return Err((StatusCode::UNPROCESSABLE_ENTITY, message));
    }
    let path = stem.with_extension(&ext);
    if let Err(message) = save(field, &path).await {
        let _ = std::fs::remove_file(&path);
        return Err((StatusCode::BAD_REQUEST, message));
    }
    Ok((name, path, ext))
}

async fn save(mut field: axum::extract::multipart::Field<'_>, path: &std::path::Path) -> Result<(), String> {
    let mut out = tokio::fs::File::create(path).await.map_err(|e| e.to_string())?;
    while let Some(chunk) = field.chunk().await.map_err(|e| e.body_text())? {
        out.write_all(&chunk).await.map_err(|e| e.to_string())?;
    }
    out.flush().await.map_err(|e| e.to_string())
}

#[derive(Template)]
#[template(path = "import_job.html")]
struct JobPage {
    t: Tr,
    nav: Option<Nav>,
    id: u64,
    file_name: String,
    running: bool,
    waiting: bool,
    read: String,
    read_n: usize,
    total: Option<usize>,
    summary: Option<String>,
    failed: Option<String>,
    lines: Vec<String>,
    has_errors: bool,
}

fn own_job(state: &AppState, viewer: &Viewer, id: u64) -> Result<Job, Response> {
    if !viewer.user.may_somewhere(Action::Import) {
        return Err(forbidden(viewer));
    }
    match state.jobs.get(id) {
        Some(job) if job.user == viewer.user.id => Ok(job),
        Some(_) => Err(forbidden(viewer)),
        None => Err(problem(
            Some(viewer),
            viewer.lang,
            StatusCode::NOT_FOUND,
            viewer.t("web.not_found"),
        )),
    }
}

pub async fn job_page(State(state): State<AppState>, viewer: Viewer, Path(id): Path<u64>) -> Response {
    let job = match own_job(&state, &viewer, id) {
        Ok(j) => j,
        Err(r) => return r,
    };
    let lang = viewer.lang;
    let (running, summary, failed) = match &job.state {
        JobState::Waiting => (true, ImportSummary::default(), None),
        JobState::Running(s) => (true, s.clone(), None),
        JobState::Done(s) => (false, s.clone(), None),
        JobState::Failed(m) => (false, ImportSummary::default(), Some(m.clone())),
    };
    let done = (!running && failed.is_none()).then(|| {
        i18n::t(
            lang,
            "cli.members_imported",
            &[
                ("created", &int(summary.created as i64, lang)),
                ("unchanged", &int(summary.unchanged as i64, lang)),
                ("refused", &int(summary.refused as i64, lang)),
            ],
        )
    });
    let page = JobPage {
        t: Tr(lang),
        nav: Some(Nav::of(&viewer, &format!("/import/{id}"))),
        id,
        file_name: job.file_name,
        running,
        waiting: matches!(job.state, JobState::Waiting),
        read: int(summary.read as i64, lang),
        read_n: summary.read,
        total: job.total,
        summary: done,
        failed,
        lines: summary
            .warnings
            .iter()
            .take(20)
            .chain(&summary.first_errors)
            .cloned()
            .collect(),
        has_errors: summary.error_file.is_some(),
    };
    render(page, StatusCode::OK, lang)
}

pub async fn job_errors(State(state): State<AppState>, viewer: Viewer, Path(id): Path<u64>) -> Response {
    let job = match own_job(&state, &viewer, id) {
        Ok(j) => j,
        Err(r) => return r,
    };
    match tokio::fs::read(&job.errors_path).await {
        Ok(bytes) => download(
            Body::from(bytes),
            "text/csv; charset=utf-8",
            &format!("loi-nhap-{id}.csv"),
        ),
        Err(_) => problem(
            Some(&viewer),
            viewer.lang,
            StatusCode::NOT_FOUND,
            viewer.t("web.no_error_file"),
        ),
    }
}

fn download(body: Body, content_type: &'static str, file_name: &str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

#[derive(serde::Deserialize)]
pub struct ExportParams {
    #[serde(default)]
    format: String,
    #[serde(flatten)]
    list: ListParams,
}

/// The filtered list as a spreadsheet: written to a work file a page at a
/// time, then sent from it in chunks, so neither step holds every row.
pub async fn export(State(state): State<AppState>, viewer: Viewer, Query(p): Query<ExportParams>) -> Response {
    // Without a unit: the highest the user exports from.
    let unit = match (p.list.unit.trim(), viewer.user.home(Action::Export)) {
        ("", Some(home)) => home.unit_code.clone(),
        ("", None) => return forbidden(&viewer),
        (code, _) => code.to_string(),
    };
    let xlsx = p.format != "csv";
    let ext = if xlsx { "xlsx" } else { "csv" };
    if let Err(e) = tokio::fs::create_dir_all(&state.work_dir).await {
        tracing::error!(error = %e, "export work dir");
        return problem(
            Some(&viewer),
            viewer.lang,
            StatusCode::INTERNAL_SERVER_ERROR,
            viewer.t("web.internal"),
        );
    }
    let file = state.work_dir.join(format!("export-{}.{ext}", state.jobs.next_id()));
    // The operation masks what the user may not see, and refuses a filter
    // on personal data they may not use: a file cannot carry a notice.
    let query = p.list.query(unit.clone(), 500, true);
    if let Err(e) = state.app.export_members(&viewer.actor(), &query, &file).await {
        let _ = tokio::fs::remove_file(&file).await;
        return match (e.kind(), e.field_name()) {
            (hnd_app::ErrorKind::Forbidden, Some(name)) => {
                let field = viewer.t(&format!("web.personal_filter.{name}"));
                let message = i18n::t(viewer.lang, "web.personal_filter_refused", &[("field", &field)]);
                problem(Some(&viewer), viewer.lang, StatusCode::FORBIDDEN, message)
            }
            _ => crate::shell::app_problem(&viewer, e),
        };
    }
    let opened = tokio::fs::File::open(&file).await;
    // The name stays on disk only while the response reads it.
    let _ = tokio::fs::remove_file(&file).await;
    let Ok(opened) = opened else {
        return problem(
            Some(&viewer),
            viewer.lang,
            StatusCode::INTERNAL_SERVER_ERROR,
            viewer.t("web.internal"),
        );
    };
    let stream = futures_util::stream::unfold(opened, |mut f| async move {
        use tokio::io::AsyncReadExt;
        let mut buf = vec![0u8; 64 * 1024];
        match f.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(buf), f))
            }
            Err(e) => Some((Err(e), f)),
        }
    });
    let content_type = if xlsx {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    } else {
        "text/csv; charset=utf-8"
    };
    download(
        Body::from_stream(stream),
        content_type,
        &format!("hoi-vien-{unit}.{ext}"),
    )
}
