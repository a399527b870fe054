//! A report as an official document of its unit (`hnd_docs`): the header
//! block of the unit and the one above, its number, place and date, the
//! title of its form and period, its narrative parts, its typed figures and
//! where the units below stand, the signature and the recipients.

use crate::actor::Entry;
use crate::{Actor, App, AppError, ReportView};
use hnd_docs::{Block, Cell, Document, Signature, Table};
use hnd_domain::fmt::int;
use hnd_domain::report::TYPED;
use hnd_domain::{Day, Lang, Level, ReportForm, ReportStatus, i18n::t};
use serde_json::json;

/// A unit's name without its kind of place: "Tỉnh Quảng Ngãi" → "Quảng Ngãi".
fn place(name: &str) -> String {
    for prefix in ["Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu ", "Thị trấn "] {
        if let Some(rest) = name.strip_prefix(prefix) {
            return rest.to_string();
        }
    }
    name.to_string()
}

const ROMAN: [&str; 8] = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"];

/// The strength report's figures as a table: each column of the report a
/// row, with what the period added, what it lost and the total at its end.
fn strength_table(report: &hnd_store::StrengthReport, lang: Lang) -> Table {
    let figure = |v: Option<i64>| v.map(|v| int(v, lang)).unwrap_or_default();
    let rows = hnd_domain::strength::COLUMNS
        .iter()
        .map(|c| {
            let f = report.columns.get(c.key);
            vec![
                t(lang, &format!("strength.col.{}", c.key), &[]),
                figure(f.new),
                figure(f.lost),
                figure(f.total),
            ]
        })
        .collect();
    Table {
        header: vec![vec![
            Cell::new(t(lang, "report.doc.figure", &[])),
            Cell::new(t(lang, "strength.new", &[])),
            Cell::new(t(lang, "strength.lost", &[])),
            Cell::new(t(lang, "strength.total", &[])),
        ]],
        rows,
        widths: vec![3.0, 1.2, 1.2, 1.2],
        numeric: vec![false, true, true, true],
        bold_rows: vec![0],
    }
}

/// The document of `view`, as of `today`, with `above` the name of the
/// unit above (none for the Central Committee) and, for the strength
/// report, its figures computed from the register.
pub fn report_document(
    view: &ReportView,
    above: Option<&str>,
    strength: Option<&hnd_store::StrengthReport>,
    today: Day,
    lang: Lang,
) -> Document {
    let u = &view.unit;
    let union = "HỘI NÔNG DÂN VIỆT NAM".to_string();
    let issuer = match (u.level, above) {
        (Level::Central, _) | (_, None) => vec![union.clone(), "BAN CHẤP HÀNH TRUNG ƯƠNG".to_string()],
        (Level::Province, _) => vec![union.clone(), format!("BCH HỘI NÔNG DÂN {}", u.name.to_uppercase())],
        (Level::Branch | Level::Group, Some(above)) => {
            vec![format!("HỘI NÔNG DÂN {}", above.to_uppercase()), u.name.to_uppercase()]
        }
        (_, Some(above)) => vec![
            format!("HỘI NÔNG DÂN {}", above.to_uppercase()),
            format!("BCH HỘI NÔNG DÂN {}", u.name.to_uppercase()),
        ],
    };
    let report = view.report.as_ref();
    let number = match report.and_then(|r| r.number.as_deref()) {
        Some(n) => format!("Số {n}"),
        // Not numbered until submitted: the place is left for the number.
        None => format!("Số ......-BC/{}", hnd_domain::plan::issuer(u.level)),
    };
    let iso = today.iso();
    let ymd: Vec<&str> = iso.split('-').collect();
    let place_date = format!(
        "{}, ngày {} tháng {} năm {}",
        place(&u.name),
        ymd[2].trim_start_matches('0'),
        ymd[1].trim_start_matches('0'),
        ymd[0]
    );
    let form = ReportForm::parse(view.form).unwrap_or(ReportForm::Strength);
    let period = hnd_domain::report::period_of(&view.period)
        .map(|p| p.to_string())
        .unwrap_or(view.period.clone());
    let subtitle = match form {
        ReportForm::Strength => format!("Thực lực Hội {period}"),
        ReportForm::SixMonth => format!("Sơ kết công tác Hội và phong trào nông dân {period}"),
        ReportForm::Year => format!("Tổng kết công tác Hội và phong trào nông dân {period}"),
    };
    let mut blocks = Vec::new();
    let mut section = 0;
    let mut heading = |title: String, blocks: &mut Vec<Block>| {
        blocks.push(Block::Heading(format!(
            "{}. {}",
            ROMAN[section.min(7)],
            title.to_uppercase()
        )));
        section += 1;
    };
    if let Some(report) = strength {
        heading(t(lang, "strength.sheet", &[]), &mut blocks);
        let day = |iso: &str| Day::parse(iso).map(|d| d.to_string()).unwrap_or(iso.to_string());
        let span = t(
            lang,
            "strength.span",
            &[("from", &day(&report.from)), ("to", &day(&report.to))],
        );
        blocks.push(Block::Paragraph(span));
        blocks.push(Block::Table(strength_table(report, lang)));
    }
    work_sections(view, lang, &mut heading, &mut blocks);
    for part in form.parts() {
        let text = report.and_then(|r| r.parts.get(*part)).cloned().unwrap_or_default();
        heading(t(lang, &format!("report.part.{part}"), &[]), &mut blocks);
        for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
            blocks.push(Block::Paragraph(paragraph.to_string()));
        }
    }
    let typed: Vec<Vec<String>> = TYPED
        .iter()
        .filter_map(|k| {
            let v = report.and_then(|r| r.typed.get(*k))?;
            Some(vec![t(lang, &format!("report.typed.{k}"), &[]), int(*v, lang)])
        })
        .collect();
    if !typed.is_empty() {
        heading(t(lang, "report.doc.figures", &[]), &mut blocks);
        blocks.push(Block::Table(Table {
            header: vec![vec![
                Cell::new(t(lang, "report.doc.figure", &[])),
                Cell::new(t(lang, "report.doc.value", &[])),
            ]],
            rows: typed,
            widths: vec![3.0, 1.0],
            numeric: vec![false, true],
            bold_rows: Vec::new(),
        }));
    }
    if !view.below.is_empty() {
        heading(t(lang, "report.doc.below", &[]), &mut blocks);
        let rows = view
            .below
            .iter()
            .map(|b| {
                let status = b
                    .status
                    .as_deref()
                    .and_then(ReportStatus::parse)
                    .map(|s| s.label(lang))
                    .unwrap_or_else(|| t(lang, "report.status.missing", &[]));
                let on = b
                    .submitted_on
                    .as_deref()
                    .and_then(|d| Day::parse(d).ok())
                    .map(|d| d.to_string())
                    .unwrap_or_default();
                vec![b.name.clone(), status, on]
            })
            .collect();
        blocks.push(Block::Table(Table {
            header: vec![vec![
                Cell::new(t(lang, "report.doc.unit", &[])),
                Cell::new(t(lang, "report.doc.status", &[])),
                Cell::new(t(lang, "report.doc.submitted_on", &[])),
            ]],
            rows,
            widths: vec![3.0, 2.0, 1.2],
            numeric: vec![false, false, true],
            bold_rows: Vec::new(),
        }));
    }
    let mut recipients = Vec::new();
    if let Some(above) = above {
        recipients.push(format!("- Ban Thường vụ Hội Nông dân {above};"));
    }
    recipients.push("- Lưu VP.".to_string());
    Document {
        issuer,
        union_line: union,
        number,
        place_date,
        title: "Báo cáo".into(),
        subtitle,
        blocks,
        signature: Signature {
            on_behalf: "T/M BAN THƯỜNG VỤ".into(),
            role: "CHỦ TỊCH".into(),
            name: String::new(),
        },
        recipients,
    }
}

impl App {
    /// Unit `unit`'s report on `form` for `period` as a document, `docx`
    /// or `pdf`; the download is audited.
    pub async fn report_document(
        &self,
        actor: &Actor,
        unit: &str,
        form: &str,
        period: &str,
        format: &str,
    ) -> Result<Vec<u8>, AppError> {
        let view = self.report_view(actor, unit, form, period).await?;
        let above = match view.unit.parent_id {
            Some(_) if view.unit.level != Level::Central => {
                let parents = self.store.ancestors(&view.unit, Day::today()).await?;
                parents.last().map(|p| p.name.clone())
            }
            _ => None,
        };
        let strength = match ReportForm::parse(view.form) {
            Some(ReportForm::Strength) => {
                let period = hnd_domain::report::period_of(&view.period).expect("the view's own period");
                Some(self.strength_report(actor, &view.unit.code, period).await?)
            }
            _ => None,
        };
        let doc = report_document(&view, above.as_deref(), strength.as_ref(), Day::today(), actor.lang);
        let bytes = match format {
            "docx" => hnd_docs::to_docx(&doc),
            "pdf" => hnd_docs::to_pdf(&doc),
            other => return Err(AppError::bad_value("format", other)),
        }
        .map_err(|e| AppError::bad_value("format", &e.to_string()))?;
        let entry = Entry {
            action: "report.export",
            unit_id: Some(view.unit.id),
            member_id: None,
            detail: json!({"before": {}, "after": {"form": view.form, "period": view.period, "format": format}}),
        };
        self.store.record(&actor.change("", entry)).await?;
        Ok(bytes)
    }
}

/// A review's computed sections: each plan's targets against the period's
/// figures, and the unit's tasks with where they stand.
fn work_sections(
    view: &ReportView,
    lang: Lang,
    heading: &mut dyn FnMut(String, &mut Vec<Block>),
    blocks: &mut Vec<Block>,
) {
    if !view.plans.is_empty() {
        heading(t(lang, "report.doc.targets", &[]), blocks);
        for plan in &view.plans {
            blocks.push(Block::Paragraph(plan.heading()));
            let rows = plan
                .printed(lang)
                .into_iter()
                .map(|(cells, _)| cells.to_vec())
                .collect();
            blocks.push(Block::Table(Table {
                header: vec![vec![
                    Cell::new(t(lang, "report.doc.indicator", &[])),
                    Cell::new(t(lang, "report.doc.target", &[])),
                    Cell::new(t(lang, "report.doc.actual", &[])),
                    Cell::new(t(lang, "report.doc.met", &[])),
                ]],
                rows,
                widths: vec![3.0, 1.2, 1.2, 1.2],
                numeric: vec![false, true, true, false],
                bold_rows: Vec::new(),
            }));
        }
    }
    if !view.tasks.is_empty() {
        heading(t(lang, "report.doc.tasks", &[]), blocks);
        let rows = view
            .tasks
            .iter()
            .map(|task| {
                let mut status = t(lang, &format!("task.status.{}", task.status), &[]);
                if task.overdue {
                    status = format!("{status} {}", t(lang, "cli.overdue", &[]));
                }
                vec![task.title.clone(), task.deadline.clone(), status]
            })
            .collect();
        blocks.push(Block::Table(Table {
            header: vec![vec![
                Cell::new(t(lang, "report.doc.task", &[])),
                Cell::new(t(lang, "report.doc.deadline", &[])),
                Cell::new(t(lang, "report.doc.task_status", &[])),
            ]],
            rows,
            widths: vec![3.5, 1.3, 1.5],
            numeric: vec![false, false, false],
            bold_rows: Vec::new(),
        }));
    }
}
