//! The import wizard: a member list in a layout of its own, uploaded on
//! `/import`, comes here with the mapping proposed for it
//! ([`hnd_app::App::propose_import`]). The page shows each column of the
//! file with a few of its values and the field it fills (a choice the user
//! may change, or "not imported"), the groups of X-marked columns, every
//! branch name with the unit it stands for (a close match is offered,
//! never taken: the user chooses), and the first rows as they will be
//! imported with every error the import would give them
//! ([`hnd_app::App::preview_import`]). "Xem lại" keeps the choices and
//! shows the rows again; "Nhập" starts the import as a job, after saving
//! the mapping under a name for the unit when one is given.

use super::jobs::Draft;
use crate::AppState;
use crate::auth::Viewer;
use crate::shell::{Nav, Tr, forbidden, problem, render, told};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hnd_domain::{Action, Day, Lang, Level};
use hnd_import::{Mapping, column_of};
use std::collections::HashMap;

/// Rows of the file shown as they will be imported.
const PREVIEW_ROWS: usize = 10;

/// Units offered in a list for a branch name; past this, a code is typed
/// (with the unit picker).
const BRANCH_OPTIONS: usize = 300;

struct ColumnView {
    letter: String,
    header: String,
    samples: String,
    field: String,
}

struct GroupView {
    index: usize,
    field: String,
    columns: String,
    kept: bool,
}

struct BranchView {
    index: usize,
    name: String,
    unit: String,
    confirm: bool,
    candidates: String,
}

struct RowView {
    row: usize,
    cells: Vec<String>,
    errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "import_map.html")]
struct MapPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    id: u64,
    file_name: String,
    unit: String,
    error: Option<String>,
    summary: Vec<String>,
    missing: String,
    fields: Vec<(&'static str, String)>,
    columns: Vec<ColumnView>,
    groups: Vec<GroupView>,
    splits: Vec<String>,
    branches: Vec<BranchView>,
    /// The branches and groups a name may stand for (code, label); empty
    /// when there are too many to list.
    units: Vec<(String, String)>,
    preview_fields: Vec<String>,
    rows: Vec<RowView>,
    good: usize,
    bad: usize,
    save_name: String,
}

fn own_draft(state: &AppState, viewer: &Viewer, id: u64) -> Result<Draft, Response> {
    if !viewer.user.may_somewhere(Action::Import) {
        return Err(forbidden(viewer));
    }
    match state.jobs.draft(id) {
        Some(d) if d.user == viewer.user.id => Ok(d),
        Some(_) => Err(forbidden(viewer)),
        None => Err(problem(
            Some(viewer),
            viewer.lang,
            StatusCode::NOT_FOUND,
            viewer.t("web.import_map_gone"),
        )),
    }
}

pub async fn map_page(State(state): State<AppState>, viewer: Viewer, Path(id): Path<u64>) -> Response {
    match own_draft(&state, &viewer, id) {
        Ok(draft) => page(&state, &viewer, id, &draft, None, String::new(), StatusCode::OK).await,
        Err(r) => r,
    }
}

/// The wizard's page for `draft`, with `error` told above the form.
async fn page(
    state: &AppState,
    viewer: &Viewer,
    id: u64,
    draft: &Draft,
    error: Option<String>,
    save_name: String,
    status: StatusCode,
) -> Response {
    let (lang, m) = (viewer.lang, &draft.mapping);
    let actor = viewer.actor();
    let (preview, read_error) = match state
        .app
        .preview_import(&actor, &draft.unit, &draft.path, m, PREVIEW_ROWS)
        .await
    {
        Ok(p) => (p, None),
        Err(e) => match told(viewer, e) {
            Ok(message) => (hnd_import::Preview::default(), Some(message)),
            Err(r) => return r,
        },
    };
    let sample = |letter: &str| -> String {
        column_of(letter)
            .and_then(|c| preview.samples.get(c))
            .map(|v| v.join(" · "))
            .unwrap_or_default()
    };
    let mut columns: Vec<ColumnView> = m
        .columns
        .iter()
        .map(|c| (c.column.clone(), c.header.clone(), c.field.clone()))
        .chain(
            m.ignored
                .iter()
                .map(|i| (i.column.clone(), i.header.clone(), String::new())),
        )
        .map(|(letter, header, field)| ColumnView {
            samples: sample(&letter),
            letter,
            header,
            field,
        })
        .collect();
    columns.sort_by_key(|c| column_of(&c.letter));
    let groups = m
        .marks
        .iter()
        .enumerate()
        .map(|(index, g)| GroupView {
            index,
            field: hnd_import::field_label(&g.field, lang),
            columns: g
                .columns
                .iter()
                .map(|c| format!("{} «{}» → {}", c.column, c.header, c.value))
                .collect::<Vec<_>>()
                .join("; "),
            kept: true,
        })
        .collect();
    let splits = m
        .splits
        .iter()
        .map(|s| {
            let cols: Vec<String> = s
                .columns
                .iter()
                .map(|c| format!("{} «{}»", c.column, c.header))
                .collect();
            format!(
                "{} / {}: {}",
                hnd_import::field_label(&s.field, lang),
                hnd_import::field_label(&s.by, lang),
                cols.join(", ")
            )
        })
        .collect();
    let branches = m
        .branches
        .iter()
        .enumerate()
        .map(|(index, b)| BranchView {
            index,
            name: b.name.clone(),
            unit: if b.confirm { String::new() } else { b.unit.clone() },
            confirm: b.confirm,
            candidates: if b.confirm && !b.unit.is_empty() {
                std::iter::once(format!("{} · {}", b.unit, b.unit_name))
                    .chain(b.candidates.iter().cloned())
                    .collect::<Vec<_>>()
                    .join("; ")
            } else {
                String::new()
            },
        })
        .collect();
    let units = if m.branches.is_empty() {
        Vec::new()
    } else {
        branch_units(state, &draft.unit).await
    };
    let mut summary = vec![hnd_domain::i18n::t(
        lang,
        "map.header",
        &[("rows", &rows_text(&m.header_rows)), ("first", &m.first_row)],
    )];
    if let Some(legacy) = m.legacy {
        summary.push(hnd_domain::i18n::t(
            lang,
            "map.legacy",
            &[("encoding", &legacy.name().to_uppercase())],
        ));
    }
    if m.sections {
        summary.push(hnd_domain::i18n::t(lang, "map.sections", &[]));
    }
    let missing = hnd_import::missing_fields(&m.fields(), lang).join(", ");
    let good = preview.rows.iter().filter(|r| r.errors.is_empty()).count();
    let rows: Vec<RowView> = preview
        .rows
        .into_iter()
        .map(|r| RowView {
            row: r.row,
            cells: r.cells,
            errors: r.errors,
        })
        .collect();
    let page = MapPage {
        t: Tr(lang),
        nav: Some(Nav::of(viewer, "/import")),
        csrf: viewer.csrf.clone(),
        id,
        file_name: draft.file_name.clone(),
        unit: unit_label(state, &draft.unit).await,
        error: error.or(read_error),
        summary,
        missing,
        fields: hnd_import::field_choices(lang),
        columns,
        groups,
        splits,
        branches,
        units,
        preview_fields: preview.fields,
        bad: rows.len() - good,
        good,
        rows,
        save_name,
    };
    render(page, status, lang)
}

/// The branches and groups under `unit` (or the unit itself), as offered
/// for a branch name; none when they are too many to list.
async fn branch_units(state: &AppState, unit: &str) -> Vec<(String, String)> {
    let store = &state.store;
    let day = Day::today();
    let Ok(top) = store.unit(unit, day).await else {
        return Vec::new();
    };
    let mut units: Vec<(String, String)> = store
        .descendants(&top.unit, day)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|u| matches!(u.level, Level::Branch | Level::Group))
        .map(|u| (u.code.clone(), format!("{} ({})", u.name, u.code)))
        .collect();
    if matches!(top.unit.level, Level::Branch | Level::Group) {
        units.push((top.unit.code.clone(), format!("{} ({})", top.unit.name, top.unit.code)));
    }
    if units.len() > BRANCH_OPTIONS {
        return Vec::new();
    }
    units.sort_by(|a, b| a.1.cmp(&b.1));
    units
}

/// "Name (CODE)" of unit `code` today, or the code alone.
async fn unit_label(state: &AppState, code: &str) -> String {
    match state.store.unit(code, Day::today()).await {
        Ok(u) => format!("{} ({})", u.unit.name, u.unit.code),
        Err(_) => code.to_string(),
    }
}

fn rows_text(rows: &[usize]) -> String {
    rows.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")
}

/// The user's choices applied to `mapping`: each column's field (or none),
/// the X-mark groups kept or not, each branch name's unit.
fn apply_choices(mapping: &Mapping, form: &HashMap<String, String>, lang: Lang) -> Mapping {
    let known: Vec<&str> = hnd_import::field_choices(lang).into_iter().map(|(f, _)| f).collect();
    let mut m = mapping.clone();
    let mut all: Vec<(String, String, String)> = m
        .columns
        .drain(..)
        .map(|c| (c.column, c.header, c.field))
        .chain(m.ignored.drain(..).map(|i| (i.column, i.header, String::new())))
        .collect();
    all.sort_by_key(|(letter, _, _)| column_of(letter));
    for (column, header, field) in all {
        let field = match form.get(&format!("col_{column}")) {
            Some(chosen) => chosen.clone(),
            None => field,
        };
        if known.contains(&field.as_str()) {
            m.columns.push(hnd_import::Column { column, header, field });
        } else {
            m.ignored.push(hnd_import::Ignored { column, header });
        }
    }
    let groups = std::mem::take(&mut m.marks);
    for (i, group) in groups.into_iter().enumerate() {
        if form.get(&format!("marks_{i}")).is_some_and(|v| v == "on") {
            m.marks.push(group);
        } else {
            m.ignored.extend(group.columns.into_iter().map(|c| hnd_import::Ignored {
                column: c.column,
                header: c.header,
            }));
        }
    }
    for (i, branch) in m.branches.iter_mut().enumerate() {
        let Some(chosen) = form.get(&format!("branch_{i}")).map(|v| v.trim()) else {
            continue;
        };
        if chosen.is_empty() {
            // Left unchosen: a proposed match stays to be confirmed.
            if !branch.confirm {
                branch.unit.clear();
                branch.unit_name.clear();
            }
            continue;
        }
        if chosen != branch.unit {
            branch.unit_name.clear();
        }
        branch.unit = chosen.to_string();
        branch.confirm = false;
        branch.candidates.clear();
    }
    m
}

pub async fn map_post(State(state): State<AppState>, viewer: Viewer, Path(id): Path<u64>, body: Bytes) -> Response {
    let draft = match own_draft(&state, &viewer, id) {
        Ok(d) => d,
        Err(r) => return r,
    };
    let form: HashMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
    if let Err(r) = viewer.check_csrf(form.get("csrf").map(String::as_str).unwrap_or_default()) {
        return r;
    }
    let lang = viewer.lang;
    let draft = Draft {
        mapping: apply_choices(&draft.mapping, &form, lang),
        ..draft
    };
    state.jobs.put_draft(id, draft.clone());
    let save_name = form.get("save_name").map(|s| s.trim().to_string()).unwrap_or_default();
    if form.get("go").map(String::as_str) != Some("import") {
        return page(&state, &viewer, id, &draft, None, save_name, StatusCode::OK).await;
    }
    let refuse = |message: String| {
        page(
            &state,
            &viewer,
            id,
            &draft,
            Some(message),
            save_name.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let missing = hnd_import::missing_fields(&draft.mapping.fields(), lang);
    let unready = if !missing.is_empty() {
        Some(hnd_domain::i18n::t(
            lang,
            "map.missing",
            &[("fields", &missing.join(", "))],
        ))
    } else {
        draft.mapping.ready(false, lang).err().map(|e| e.message(lang))
    };
    if let Some(message) = unready {
        return refuse(message).await;
    }
    if !save_name.is_empty() {
        let saved = state
            .app
            .save_import_mapping(&viewer.actor(), &draft.unit, &save_name, &draft.mapping)
            .await;
        let refused = match saved {
            Ok(()) => None,
            Err(e) => Some(told(&viewer, e)),
        };
        match refused {
            None => {}
            Some(Ok(message)) => return refuse(message).await,
            Some(Err(r)) => return r,
        }
    }
    let Some(draft) = state.jobs.take_draft(id) else {
        return Redirect::to("/import").into_response();
    };
    let file = super::Upload {
        unit: draft.unit,
        file_name: draft.file_name,
        path: draft.path,
        total: None,
    };
    super::start_job(&state, &viewer, file, Some(draft.mapping))
}
