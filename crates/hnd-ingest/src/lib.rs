//! Reading a plan's text into a draft plan: the text of a DOCX, a PDF
//! with a text layer or a plain text file; its head (number, date,
//! issuing body, title, period); its targets (chỉ tiêu) and its tasks
//! (nhiệm vụ) with the bodies they are given to and their deadlines.
//!
//! Rules over the folded text and small tables of Vietnamese words for
//! figures, units and bodies: nothing is downloaded and nothing is learnt
//! at run time. The types here are this crate's own; the command line and
//! the web turn them into the plan's targets and tasks at their edge.

mod figures;
mod header;
mod source;
mod targets;
mod tasks;
mod text;

pub use source::{IngestError, text_of};

use serde::Serialize;
use targets::Zone;
use text::{Folded, Marker, Para, has_word};

/// How a target compares the figure reached with its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Comparator {
    #[serde(rename = ">=")]
    AtLeast,
    #[serde(rename = "<=")]
    AtMost,
    #[serde(rename = "=")]
    Equal,
    /// From `value` to `value_max`.
    #[serde(rename = "range")]
    Range,
}

impl Comparator {
    pub fn code(self) -> &'static str {
        match self {
            Comparator::AtLeast => ">=",
            Comparator::AtMost => "<=",
            Comparator::Equal => "=",
            Comparator::Range => "range",
        }
    }
}

/// A target read from the text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    /// The clause it was read from.
    pub text: String,
    /// The catalogue's indicator, when the words name one.
    pub indicator: Option<String>,
    /// Otherwise a name for a new indicator, from the clause's words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proposed: Option<String>,
    pub comparator: Comparator,
    pub value: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_max: Option<f64>,
    /// "%", "hội viên", "hộ", "tỷ đồng", "mô hình"…
    pub unit: String,
    /// "hằng năm", "2023", "2021-2025", or empty (the plan's).
    pub period: String,
    /// "mỗi cơ sở Hội", "các cấp", or empty (the whole unit).
    pub scope: String,
    /// A reviewer said before that this phrase is not a target.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub not_target: bool,
    /// Byte range of the clause in [`Draft::source`].
    #[serde(skip)]
    pub start: usize,
    #[serde(skip)]
    pub end: usize,
}

impl Target {
    /// The phrase corrections are kept under: the clause folded (no
    /// accents, lower case), its figures and signs left out, so that the
    /// same words with other figures in another plan read the same.
    pub fn phrase(&self) -> String {
        phrase(&self.text)
    }
}

/// `text` folded, letters and single spaces only.
pub fn phrase(text: &str) -> String {
    let folded = Folded::new(text).text;
    let letters: String = folded
        .chars()
        .map(|c| if c.is_ascii_alphabetic() { c } else { ' ' })
        .collect();
    letters.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Draft {
    /// Reads again what reviewers corrected (phrase → indicator, '' for a
    /// phrase that is not a target): a corrected phrase takes the
    /// reviewer's indicator in place of the reader's.
    pub fn correct(&mut self, corrections: &[(String, String)]) {
        for t in &mut self.targets {
            let key = t.phrase();
            let Some((_, indicator)) = corrections.iter().find(|(p, _)| *p == key) else {
                continue;
            };
            if indicator.is_empty() {
                t.not_target = true;
            } else {
                t.indicator = Some(indicator.clone());
                t.proposed = None;
            }
        }
    }
}

/// A task read from the text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Task {
    pub title: String,
    pub directing: String,
    pub lead: String,
    pub coordinating: Vec<String>,
    /// As [`hnd_domain::plan::Deadline`] prints it, or as written.
    pub deadline: String,
    /// The item's numbering ("1.2"), to match "Nội dung (1.2): …".
    #[serde(skip)]
    pub label: String,
    #[serde(skip)]
    pub start: usize,
    #[serde(skip)]
    pub end: usize,
}

/// A draft plan read from a document.
#[derive(Debug, Clone, Serialize)]
pub struct Draft {
    pub number: String,
    /// dd/mm/yyyy, or empty.
    pub date: String,
    pub issuer: String,
    pub title: String,
    /// "2022", "2024-2030", or empty.
    pub period: String,
    pub targets: Vec<Target>,
    pub tasks: Vec<Task>,
    /// The text items point into (lines joined, marks removed).
    #[serde(skip)]
    pub source: String,
}

/// Reads a document's bytes (DOCX, PDF, or UTF-8 text).
pub fn read(bytes: &[u8]) -> Result<Draft, IngestError> {
    Ok(read_text(&text_of(bytes)?))
}

/// What a paragraph's heading opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Tasks,
    Organisation,
    /// "Mục đích, yêu cầu": what the plan is for, no one's work.
    Purpose,
}

/// Reads a plan's text.
pub fn read_text(raw: &str) -> Draft {
    let (source, paras) = text::paragraphs(raw);
    let head = header::head(&paras);
    let doc_year = head.date.rsplit('/').next().and_then(|y| y.parse().ok());
    let mut reader = Reader {
        paras: &paras,
        doc_year,
        targets: Vec::new(),
        tasks: Vec::new(),
        target_zone: None,
        section: None,
        pending: Vec::new(),
        block_open: false,
        deadline_list: false,
        body_heading: None,
        started: false,
        first_bullet: false,
        columns: None,
    };
    for i in 0..paras.len() {
        reader.paragraph(i);
    }
    Draft {
        number: head.number,
        date: head.date,
        issuer: head.issuer,
        title: head.title,
        period: head.period,
        targets: reader.targets,
        tasks: reader.tasks,
        source,
    }
}

struct Reader<'a> {
    paras: &'a [Para],
    doc_year: Option<i32>,
    targets: Vec<Target>,
    tasks: Vec<Task>,
    /// The list of targets open: its heading's depth and its period.
    target_zone: Option<(usize, Zone)>,
    /// The tasks section open and its heading's depth.
    section: Option<(Section, usize)>,
    /// Tasks the next "Cơ quan …" block gives bodies to.
    pending: Vec<usize>,
    block_open: bool,
    deadline_list: bool,
    /// "1. Hội Nông dân thành phố": its depth and name.
    body_heading: Option<(usize, String)>,
    /// A target or task list has been seen: plain paragraphs that give
    /// work to a body are tasks from here on.
    started: bool,
    /// The next bullet is the first under the task just read.
    first_bullet: bool,
    /// The columns of the table of tasks being read.
    columns: Option<Columns>,
}

/// Which cell of a table's rows holds what.
#[derive(Debug, Clone, Copy)]
struct Columns {
    title: usize,
    lead: usize,
    coordinating: Option<usize>,
    deadline: Option<usize>,
}

fn is_target_heading(f: &str) -> bool {
    has_word(f, "chi tieu") || has_word(f, "muc tieu cu the") || f.starts_with("muc tieu")
}

fn section_of(f: &str, marker: Marker) -> Option<Section> {
    if marker == Marker::Roman && (f.starts_with("muc dich") || f.starts_with("yeu cau")) {
        Some(Section::Purpose)
    } else if has_word(f, "to chuc thuc hien") || has_word(f, "phan cong") {
        Some(Section::Organisation)
    } else if has_word(f, "nhiem vu")
        || has_word(f, "giai phap")
        || (marker == Marker::Roman && f.starts_with("noi dung"))
    {
        Some(Section::Tasks)
    } else {
        None
    }
}

fn first_sentence(s: &str, words: usize) -> String {
    let end = s.find(". ").unwrap_or(s.len());
    let s = s[..end].trim().trim_end_matches(['.', ':', ';']);
    let mut out: Vec<&str> = s.split_whitespace().take(words).collect();
    if s.split_whitespace().count() > words {
        out.push("…");
    }
    let t = out.join(" ");
    let mut chars = t.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => t,
    }
}

impl Reader<'_> {
    fn paragraph(&mut self, i: usize) {
        let p = &self.paras[i];
        let body = p.body();
        let f = Folded::new(body).text;
        if self.assignment_block(p, &f) {
            return;
        }
        if f.starts_with("noi nhan") || f.starts_with("tren day la") {
            // The recipients and the closing words: no more items.
            self.section = None;
            self.target_zone = None;
            self.started = false;
            return;
        }
        if self.table_row(p) {
            return;
        }
        let numbered = matches!(p.marker, Marker::Roman | Marker::Number(_) | Marker::Letter);
        let heading = numbered && (f.split(' ').count() <= 25 || text::is_upper_line(body));
        // Close what a heading at the same depth or above ends.
        if numbered {
            let level = p.marker.level();
            if let Some((zl, _)) = &self.target_zone {
                let figures_here = body.chars().any(|c| c.is_ascii_digit());
                if level <= *zl || (*zl == 9 && !figures_here) || p.marker == Marker::Roman {
                    self.target_zone = None;
                }
            }
            if let Some((_, sl)) = self.section
                && (level <= sl || p.marker == Marker::Roman)
                && heading
            {
                self.section = None;
            }
            if self.body_heading.as_ref().is_some_and(|(l, _)| level <= *l) {
                self.body_heading = None;
            }
            if self.block_open {
                self.pending.clear();
                self.block_open = false;
                self.deadline_list = false;
            }
        }
        let opens_targets = is_target_heading(&f) && (heading || f.trim_end().ends_with(':'));
        if opens_targets {
            let level = if numbered { p.marker.level() } else { 9 };
            let period = targets::period_of(&f).unwrap_or_default();
            self.target_zone = Some((level, Zone { listed: true, period }));
            self.started = true;
        }
        // "1. Có trên 60% cơ sở Hội xếp loại hoàn thành tốt nhiệm vụ": an
        // item of a list of targets names "nhiệm vụ" without opening a
        // section of tasks.
        let target_item = self.target_zone.is_some() && body.chars().any(|c| c.is_ascii_digit());
        if heading
            && let Some(s) = section_of(&f, p.marker)
            && !opens_targets
            && !target_item
        {
            self.section = Some((s, p.marker.level()));
            self.started = true;
            return;
        }
        let zone = self.target_zone.as_ref().map(|(_, z)| z.clone()).unwrap_or_default();
        let found = targets::targets_of(body, p.start + p.body_at, &zone, self.doc_year);
        let had_targets = !found.is_empty();
        self.started |= had_targets;
        self.targets.extend(found);
        if opens_targets || (had_targets && self.target_zone.is_some()) {
            return;
        }
        self.tasks_of(i, &f);
    }

    /// "Cơ quan chỉ đạo: …", "Cơ quan chủ trì: …", "Thời gian thực hiện:
    /// …" and the "Nội dung (1.1): …" lines under it.
    fn assignment_block(&mut self, p: &Para, f: &str) -> bool {
        let body = p.body();
        let answer = || body.split_once(':').map(|(_, a)| a.trim()).unwrap_or("");
        if f.starts_with("co quan chi dao") {
            let who = answer().trim_end_matches('.').to_string();
            self.for_pending(|t| t.directing = who.clone());
            self.block_open = true;
            return true;
        }
        if f.starts_with("co quan phoi hop") || f.starts_with("don vi phoi hop") {
            let who = tasks::assigned(answer());
            self.for_pending(|t| {
                t.coordinating = [who.lead.clone()].into_iter().chain(who.coordinating.clone()).collect()
            });
            self.block_open = true;
            return true;
        }
        if f.starts_with("co quan") || f.starts_with("don vi chu tri") || f.starts_with("don vi thuc hien") {
            let who = tasks::assigned(answer());
            self.for_pending(|t| {
                t.lead = who.lead.clone();
                t.coordinating = who.coordinating.clone();
            });
            self.block_open = true;
            return true;
        }
        if f.starts_with("thoi gian") || f.starts_with("thoi han") {
            let when = answer();
            if when.is_empty() {
                self.deadline_list = true;
            } else {
                let d = tasks::deadline_in(when, true);
                self.for_pending(|t| t.deadline = d.clone());
            }
            self.block_open = true;
            return true;
        }
        if self.deadline_list && p.marker == Marker::Bullet {
            let label: String = body
                .split_once('(')
                .map(|(_, r)| r.chars().take_while(|c| *c != ')').collect())
                .unwrap_or_default();
            let d = tasks::deadline_in(answer(), true);
            let pending = self.pending.clone();
            for t in pending {
                if self.tasks[t].label == label {
                    self.tasks[t].deadline = d.clone();
                }
            }
            return true;
        }
        false
    }

    /// A row of a table of tasks ("Nội dung | Chủ trì | Phối hợp | Thời
    /// gian"): its header names the columns, each row below is a task.
    fn table_row(&mut self, p: &Para) -> bool {
        if !p.text.contains(" | ") && !p.text.contains('\t') {
            self.columns = None;
            return false;
        }
        let cells: Vec<&str> = p.text.split(['|', '\t']).map(str::trim).collect();
        let folded: Vec<String> = cells.iter().map(|c| Folded::new(c).text).collect();
        if let Some(lead) = folded.iter().position(|c| c.contains("chu tri")) {
            let find = |words: &[&str]| folded.iter().position(|c| words.iter().any(|w| c.contains(w)));
            self.columns = Some(Columns {
                title: find(&["noi dung", "nhiem vu", "cong viec", "hoat dong"]).unwrap_or(0),
                lead,
                coordinating: find(&["phoi hop"]),
                deadline: find(&["thoi gian", "thoi han", "hoan thanh"]),
            });
            self.started = true;
            return true;
        }
        let Some(cols) = self.columns else {
            return false;
        };
        let cell = |i: Option<usize>| i.and_then(|i| cells.get(i)).map_or("", |c| *c);
        let title = cell(Some(cols.title));
        if title.is_empty() {
            return true;
        }
        let start = p.start + title.as_ptr() as usize - p.text.as_ptr() as usize;
        self.tasks.push(Task {
            title: first_sentence(title, 30),
            directing: String::new(),
            lead: cell(Some(cols.lead)).to_string(),
            coordinating: tasks::assigned(cell(cols.coordinating)).all(),
            deadline: tasks::deadline_in(cell(cols.deadline), true),
            label: String::new(),
            start,
            end: start + title.len(),
        });
        true
    }

    fn for_pending(&mut self, mut set: impl FnMut(&mut Task)) {
        for &t in &self.pending {
            set(&mut self.tasks[t]);
        }
    }

    fn tasks_of(&mut self, i: usize, f: &str) {
        if self.section.is_some_and(|(s, _)| s == Section::Purpose) {
            return;
        }
        let p = &self.paras[i];
        let body = p.body();
        // "… nhiệm vụ, giải pháp chủ yếu, gồm: (1) …; (2) …"
        if let Some(list_at) = body.find("(1)")
            && has_word(&Folded::new(&body[..list_at]).text, "nhiem vu")
        {
            self.numbered_list(p, list_at);
            self.started = true;
            return;
        }
        let in_section = self.section.is_some();
        let marker = p.marker;
        if in_section && matches!(marker, Marker::Number(_) | Marker::Letter) {
            // A heading with items under it is a group, not a task.
            let deeper_follows = self.paras[i + 1..]
                .iter()
                .find(|q| matches!(q.marker, Marker::Number(_) | Marker::Roman))
                .is_some_and(|q| q.marker.level() > marker.level());
            if deeper_follows {
                return;
            }
            if tasks::is_body_heading(body) {
                self.body_heading = Some((marker.level(), body.trim_end_matches([':', '.']).to_string()));
                return;
            }
            self.push_task(p, true);
            return;
        }
        if marker == Marker::Bullet && in_section {
            if self.body_heading.is_some() || self.section.is_some_and(|(s, _)| s == Section::Organisation) {
                self.push_task(p, true);
                return;
            }
            // A bullet of a task: its first body leads the task if the
            // task's own words named none.
            let first_bullet = std::mem::take(&mut self.first_bullet);
            if let Some(last) = self.tasks.last_mut()
                && last.lead.is_empty()
                && first_bullet
            {
                let (roles, at) = tasks::roles_of(body);
                if at.is_some() && roles.directing.is_empty() {
                    last.lead = roles.lead;
                    last.coordinating = roles.coordinating;
                }
            }
            return;
        }
        // Outside a tasks section (a news report, a directive, a short
        // programme): an item or a sentence that begins with a body and
        // what it does.
        if self.target_zone.is_some() || has_word(f, "ban hanh") {
            return;
        }
        if matches!(marker, Marker::Number(_) | Marker::Letter) {
            if tasks::roles_of(body).1.is_some_and(|a| a > 0) {
                self.push_task(p, true);
            }
            return;
        }
        if !self.started {
            return;
        }
        let mut from = 0;
        for sentence in body.split_inclusive(". ") {
            let lead_in = tasks::lead_in(sentence);
            let rest = &sentence[lead_in..];
            if tasks::roles_of(rest).1.is_some_and(|a| a > 0) {
                let at = p.body_at + from + lead_in;
                self.push_sentence_task(p, at, rest.trim_end());
            }
            from += sentence.len();
        }
    }

    fn push_task(&mut self, p: &Para, numbered: bool) {
        self.push_sentence_task(p, p.body_at, p.body());
        if !numbered {
            self.tasks.last_mut().expect("just pushed").label.clear();
        }
        self.first_bullet = numbered;
    }

    /// A task from the words `body` at byte `at` of paragraph `p`.
    fn push_sentence_task(&mut self, p: &Para, at_byte: usize, body: &str) {
        let (mut roles, at) = tasks::roles_of(body);
        if roles.lead.is_empty()
            && let Some(later) = tasks::later_roles(body)
        {
            roles = later;
        }
        let own_words = at.map(|a| &body[Folded::new(body).orig(a)..]).unwrap_or(body);
        let own_words = own_words.trim_start_matches([',', ' ']);
        let title = if own_words.split_whitespace().count() >= 3 {
            first_sentence(own_words, 30)
        } else {
            first_sentence(body, 30)
        };
        let lead = match (&roles.lead, &self.body_heading) {
            (l, Some((_, h))) if l.is_empty() => h.clone(),
            (l, _) => l.clone(),
        };
        let label = p.text[..p.body_at].trim().trim_end_matches(['.', '-', ')']).to_string();
        let task = Task {
            title,
            directing: roles.directing,
            lead,
            coordinating: roles.coordinating,
            deadline: tasks::deadline_in(body, false),
            label,
            start: p.start + at_byte,
            end: p.start + at_byte + body.len(),
        };
        self.pending.push(self.tasks.len());
        self.tasks.push(task);
    }

    /// "(1) …; (2) …" in one paragraph: one task each.
    fn numbered_list(&mut self, p: &Para, from: usize) {
        let body = p.body();
        let mut rest = &body[from..];
        let mut n = 1;
        while let Some(at) = rest.find(&format!("({n})")) {
            let item_start = at + format!("({n})").len();
            let next = rest.find(&format!("({})", n + 1)).unwrap_or(rest.len());
            let item = rest[item_start..next].trim().trim_end_matches([';', '.', ' ']);
            let offset = p.start + p.body_at + (body.len() - rest.len()) + item_start;
            let (roles, _) = tasks::roles_of(item);
            self.tasks.push(Task {
                title: first_sentence(item, 30),
                directing: roles.directing,
                lead: roles.lead,
                coordinating: roles.coordinating,
                deadline: tasks::deadline_in(item, false),
                label: n.to_string(),
                start: offset,
                end: offset + item.len(),
            });
            rest = &rest[next..];
            n += 1;
        }
    }
}
