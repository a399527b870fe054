//! Spreadsheets in the browser: member import with progress and the
//! error file, export of a filtered list, the template.
//!
//! An upload is written to a work file, then imported by a background
//! task (the same code as `hnd members import`, with the web's limits and
//! short chunks); the job page refreshes itself every second with the rows
//! read so far until the summary is in. Jobs live in memory: a restart
//! forgets the page, not the data (every chunk is its own transaction and
//! a re-run adds nothing).
//!
//! Imports have their own budget: one runs at a time on a server (the
//! others wait their turn), each holding one connection for one chunk at a
//! time, so the pools that pages and sign-in use are never all taken by
//! imports. A job and its error file are removed [`JOB_TTL`] after it
//! ends; on shutdown running jobs stop at their next chunk and the work
//! directory is removed.

use crate::AppState;
use crate::auth::Viewer;
use crate::members::{ListParams, audit};
use crate::shell::{Nav, Tr, forbidden, problem, render};
use askama::Template;
use axum::body::Body;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use hnd_domain::{Action, Day, fmt::int, i18n};
use hnd_import::ImportSummary;
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::io::AsyncWriteExt;

/// The largest upload accepted (the import's own limit is on rows and bytes).
pub const MAX_UPLOAD: usize = 210 * 1024 * 1024;

/// How long a finished job (its page and its error file) is kept.
pub const JOB_TTL: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// Imports running at once on one server.
const IMPORTS_AT_ONCE: usize = 1;

/// Imports waiting, running or done, by number.
pub struct Jobs {
    next: AtomicU64,
    jobs: Mutex<HashMap<u64, Job>>,
    /// The imports' budget: a job holds a permit while it reads and loads.
    budget: tokio::sync::Semaphore,
    /// Set on shutdown: jobs stop at their next chunk.
    stopping: std::sync::atomic::AtomicBool,
    /// Jobs whose task has not ended yet, and a signal when one ends.
    live: std::sync::atomic::AtomicUsize,
    ended: tokio::sync::Notify,
}

impl Default for Jobs {
    fn default() -> Jobs {
        Jobs {
            next: AtomicU64::new(0),
            jobs: Mutex::new(HashMap::new()),
            budget: tokio::sync::Semaphore::new(IMPORTS_AT_ONCE),
            stopping: Default::default(),
            live: Default::default(),
            ended: tokio::sync::Notify::new(),
        }
    }
}

#[derive(Clone)]
struct Job {
    /// Who started it: the only one who may see it.
    user: i64,
    file_name: String,
    /// Data rows in the file, when known beforehand (CSV).
    total: Option<usize>,
    state: JobState,
    errors_path: std::path::PathBuf,
    /// When it ended, for its expiry.
    ended: Option<std::time::Instant>,
}

#[derive(Clone)]
enum JobState {
    /// Waiting for the imports' budget.
    Waiting,
    Running(ImportSummary),
    Done(ImportSummary),
    Failed(String),
}

impl Jobs {
    fn update(&self, id: u64, state: JobState) {
        if let Some(job) = self.jobs.lock().expect("jobs lock").get_mut(&id) {
            if matches!(state, JobState::Done(_) | JobState::Failed(_)) {
                job.ended = Some(std::time::Instant::now());
            }
            job.state = state;
        }
    }

    /// Forgets the jobs that ended more than [`JOB_TTL`] ago, and removes
    /// their error files.
    fn expire(&self) {
        let mut jobs = self.jobs.lock().expect("jobs lock");
        jobs.retain(|_, job| {
            let keep = job.ended.is_none_or(|at| at.elapsed() < JOB_TTL);
            if !keep {
                let _ = std::fs::remove_file(&job.errors_path);
            }
            keep
        });
    }

    /// Asks running and waiting jobs to stop at their next chunk; new
    /// jobs end as soon as they start.
    pub fn cancel(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        self.budget.close();
    }

    /// [`Jobs::cancel`], then waits until every job has ended, for
    /// `deadline` at most.
    pub async fn stop(&self, deadline: std::time::Duration) {
        self.cancel();
        let all_ended = async {
            loop {
                let ended = self.ended.notified();
                if self.live.load(Ordering::SeqCst) == 0 {
                    return;
                }
                ended.await;
            }
        };
        let _ = tokio::time::timeout(deadline, all_ended).await;
    }

    /// Imports in progress and the rows they have read.
    pub fn running(&self) -> (usize, usize) {
        self.expire();
        let jobs = self.jobs.lock().expect("jobs lock");
        jobs.values().fold((0, 0), |(n, rows), job| match &job.state {
            JobState::Running(s) => (n + 1, rows + s.read),
            _ => (n, rows),
        })
    }

    fn get(&self, id: u64) -> Option<Job> {
        self.jobs.lock().expect("jobs lock").get(&id).cloned()
    }
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    error: Option<String>,
}

pub async fn import_page(viewer: Viewer) -> Response {
    if !viewer.user.may_somewhere(Action::Import) {
        return forbidden(&viewer);
    }
    import_form(&viewer, None, StatusCode::OK)
}

fn import_form(viewer: &Viewer, error: Option<String>, status: StatusCode) -> Response {
    let page = ImportPage {
        t: Tr(viewer.lang),
        nav: Some(Nav::of(viewer, "/import")),
        csrf: viewer.csrf.clone(),
        error,
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
    let id = state.jobs.next.fetch_add(1, Ordering::Relaxed) + 1;
    if let Err(e) = tokio::fs::create_dir_all(&state.work_dir).await {
        tracing::error!(error = %e, "import work dir");
        return problem(
            Some(&viewer),
            lang,
            StatusCode::INTERNAL_SERVER_ERROR,
            viewer.t("web.internal"),
        );
    }
    let (mut csrf, mut saved) = (String::new(), None);
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return import_form(&viewer, Some(e.body_text()), StatusCode::BAD_REQUEST),
        };
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("file") => {
                // The token comes first in the form: nothing is written without it.
                if let Err(r) = viewer.check_csrf(&csrf) {
                    return r;
                }
                match save_spreadsheet(field, &state.work_dir.join(format!("upload-{id}")), lang).await {
                    Ok(file) => saved = Some(file),
                    Err((status, message)) => return import_form(&viewer, Some(message), status),
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
            &viewer,
            Some(viewer.t("web.choose_file")),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let total = if ext == "csv" { count_rows(&path).await } else { None };
    let errors_path = state.work_dir.join(format!("errors-{id}.csv"));
    state.jobs.expire();
    state.jobs.jobs.lock().expect("jobs lock").insert(
        id,
        Job {
            user: viewer.user.id,
            file_name: file_name.clone(),
            total,
            state: JobState::Waiting,
            errors_path: errors_path.clone(),
            ended: None,
        },
    );
    audit(
        &state.store,
        &viewer,
        "import.start",
        None,
        None,
        serde_json::json!({"file": file_name, "job": id}),
    )
    .await;
    let user = viewer.user.clone();
    let change = crate::members::change_of(&viewer, &format!("nhập tệp {file_name}"));
    let (address, jobs, store) = (viewer.address.clone(), state.jobs.clone(), state.store.clone());
    jobs.live.fetch_add(1, Ordering::SeqCst);
    tokio::spawn(async move {
        let allowed = |action: Action, path: &str| user.may(action, path);
        let mut progress = |s: &ImportSummary| jobs.update(id, JobState::Running(s.clone()));
        let cancel = || jobs.stopping.load(Ordering::SeqCst);
        let options = hnd_import::ImportOptions {
            cancel: Some(&cancel),
            ..hnd_import::ImportOptions::WEB
        };
        // The budget is closed on shutdown: the job then ends as cancelled.
        let result = match jobs.budget.acquire().await {
            Ok(_permit) => {
                jobs.update(id, JobState::Running(ImportSummary::default()));
                hnd_import::import_members_with(
                    &store,
                    &path,
                    &errors_path,
                    Day::today(),
                    &change,
                    lang,
                    &allowed,
                    &mut progress,
                    &options,
                )
                .await
            }
            Err(_) => Err(hnd_import::RunError::Cancelled),
        };
        let _ = tokio::fs::remove_file(&path).await;
        let (state, detail) = match result {
            Ok(summary) => {
                let detail = serde_json::json!({"file": file_name, "job": id, "created": summary.created,
                    "unchanged": summary.unchanged, "refused": summary.refused});
                (JobState::Done(summary), detail)
            }
            Err(e) => {
                let message = e.message(lang);
                let detail = serde_json::json!({"file": file_name, "job": id, "failed": message});
                (JobState::Failed(message), detail)
            }
        };
        jobs.update(id, state);
        crate::shell::record(&store, &user.login, &address, "import.end", None, None, detail).await;
        jobs.live.fetch_sub(1, Ordering::SeqCst);
        jobs.ended.notify_waiters();
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
    let (unit, unit_id, path) = match crate::members::scope(&state.store, &viewer, Action::Export, &p.list.unit).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let reveal = viewer.user.may(Action::ViewSensitive, &path);
    // A file cannot carry a notice: a filter on personal data asked by who
    // may not use it is refused, not dropped (a CCCD or phone in `q` is
    // simply not matched).
    let personal = viewer.user.may_search_personal(&path);
    if !personal && let Some(name) = p.list.personal_filters().first() {
        let field = viewer.t(&format!("web.personal_filter.{name}"));
        let message = i18n::t(viewer.lang, "web.personal_filter_refused", &[("field", &field)]);
        return problem(Some(&viewer), viewer.lang, StatusCode::FORBIDDEN, message);
    }
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
    let n = state.jobs.next.fetch_add(1, Ordering::Relaxed) + 1;
    let file = state.work_dir.join(format!("export-{n}.{ext}"));
    let query = p.list.query(unit.clone(), 500, personal);
    let rows = match hnd_import::export_members(&state.store, &file, &query, reveal).await {
        Ok(rows) => rows,
        Err(e) => {
            let _ = tokio::fs::remove_file(&file).await;
            return problem(
                Some(&viewer),
                viewer.lang,
                StatusCode::INTERNAL_SERVER_ERROR,
                e.message(viewer.lang),
            );
        }
    };
    let detail = serde_json::json!({"format": ext, "rows": rows, "masked": !reveal, "q": p.list.q,
        "sex": p.list.sex, "status": p.list.status, "ethnicity": p.list.ethnicity, "age": p.list.age});
    audit(&state.store, &viewer, "export", None, Some(unit_id), detail).await;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A job ended more than [`JOB_TTL`] ago is forgotten with its error
    /// file; a running one and a recent one are kept.
    #[test]
    fn ended_jobs_expire_with_their_error_files() {
        let dir = std::env::temp_dir().join(format!("hnd-jobs-expire-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let jobs = Jobs::default();
        let long_ago = std::time::Instant::now()
            .checked_sub(JOB_TTL + std::time::Duration::from_secs(1))
            .expect("an instant an hour ago");
        for (id, ended) in [(1, Some(long_ago)), (2, Some(std::time::Instant::now())), (3, None)] {
            let errors_path = dir.join(format!("errors-{id}.csv"));
            std::fs::write(&errors_path, "x").unwrap();
            let job = Job {
                user: 1,
                file_name: "tep.csv".into(),
                total: None,
                state: JobState::Done(ImportSummary::default()),
                errors_path,
                ended,
            };
            jobs.jobs.lock().unwrap().insert(id, job);
        }
        jobs.expire();
        assert!(jobs.get(1).is_none() && !dir.join("errors-1.csv").exists());
        assert!(jobs.get(2).is_some() && dir.join("errors-2.csv").exists());
        assert!(jobs.get(3).is_some() && dir.join("errors-3.csv").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
