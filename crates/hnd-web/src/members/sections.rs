//! The sections of a member's page as the reader sees them: the profile
//! ("Hồ sơ"), the household, the steps and the correction form, with what
//! a refused form had typed. Built here from what the store read, so that
//! the page and the handlers of each section's forms share them without
//! importing each other.

use hnd_app::FieldErrors;
use hnd_domain::profile::{self, AwardLevel, Position, Rating, TitleKind};
use hnd_domain::{Day, HouseholdCategory, HouseholdRole, Lang, i18n};
use hnd_store::{Corrected, Household, Member, MemberProfile};
use std::collections::HashMap;

/// What was typed into one of the section's forms that was refused.
#[derive(Default)]
pub struct EntryTyped {
    /// `role`, `title`, `rating`, `photo`, or `roles`/`titles`/`ratings`
    /// for a removal.
    pub form: &'static str,
    pub values: HashMap<String, String>,
    pub errors: FieldErrors,
}

impl EntryTyped {
    /// The value typed in `field` of `form`, if that form came back.
    pub fn value(&self, form: &str, field: &str) -> String {
        if self.form == form {
            self.values.get(field).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    }

    pub fn error(&self, form: &str, field: &str) -> String {
        if self.form == form {
            self.errors.get(field).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    }
}

/// The "Hồ sơ" section of a member's page.
pub struct ProfileSection {
    /// (label, value as shown), in form order, those with a value;
    /// personal data masked (whether filled or not).
    pub fields: Vec<(String, String)>,
    /// (entry id, position, unit, from, to).
    pub roles: Vec<(i64, String, String, String, String)>,
    /// (entry id, year, level, title, note).
    pub titles: Vec<(i64, i32, String, String, String)>,
    /// (year, rating, proposed to the Party).
    pub ratings: Vec<(i32, String, String)>,
    pub reveal: bool,
    pub has_photo: bool,
    pub can_edit: bool,
    pub positions: Vec<(&'static str, String)>,
    pub levels: Vec<(&'static str, String)>,
    pub kinds: Vec<(&'static str, String)>,
    pub rating_choices: Vec<(&'static str, String)>,
    pub typed: EntryTyped,
}

impl ProfileSection {
    pub fn of(p: MemberProfile, reveal: bool, can_edit: bool, typed: EntryTyped, lang: Lang) -> ProfileSection {
        let masked = i18n::t(lang, "profile.masked", &[]);
        let yes_no = |b: bool| i18n::t(lang, if b { "profile.yes" } else { "profile.no" }, &[]);
        let fields = p
            .profile
            .display(lang)
            .into_iter()
            .map(|(field, value)| {
                let value = if profile::is_sensitive(field) && !reveal {
                    masked.clone()
                } else {
                    value
                };
                (profile::field_label(field, lang), value)
            })
            .filter(|(_, value)| !value.is_empty())
            .collect();
        let still = i18n::t(lang, "profile.still", &[]);
        ProfileSection {
            fields,
            roles: p
                .roles
                .into_iter()
                .map(|r| {
                    let to = r.to.map(|d| d.to_string()).unwrap_or_else(|| still.clone());
                    let unit = r.unit_code.unwrap_or_default();
                    (r.id, r.position.label(lang), unit, r.from.to_string(), to)
                })
                .collect(),
            titles: p
                .titles
                .into_iter()
                .map(|t| {
                    let note = t.note.unwrap_or_default();
                    (t.id, t.year, t.level.label(lang), t.kind.label(lang), note)
                })
                .collect(),
            ratings: p
                .ratings
                .into_iter()
                .map(|r| (r.year, r.rating.label(lang), yes_no(r.proposed_to_party)))
                .collect(),
            reveal,
            has_photo: reveal && p.has_photo,
            can_edit,
            positions: Position::choices(lang),
            levels: AwardLevel::choices(lang),
            kinds: TitleKind::choices(lang),
            rating_choices: Rating::choices(lang),
            typed,
        }
    }
}

const ROLES: [HouseholdRole; 4] = [
    HouseholdRole::Spouse,
    HouseholdRole::Child,
    HouseholdRole::Parent,
    HouseholdRole::Other,
];
const CATEGORIES: [HouseholdCategory; 4] = [
    HouseholdCategory::Poor,
    HouseholdCategory::NearPoor,
    HouseholdCategory::Policy,
    HouseholdCategory::Other,
];

/// What the section shows.
#[derive(Default)]
pub struct HouseholdSection {
    /// The household's number, if the member is in one.
    pub id: Option<i64>,
    pub address: String,
    /// (member id, full name, role), the head first.
    pub members: Vec<(i64, String, String)>,
    /// (year, category), oldest first.
    pub categories: Vec<(i32, String)>,
    pub can_edit: bool,
    pub roles: Vec<(&'static str, String)>,
    pub choices: Vec<(&'static str, String)>,
    pub year: String,
    /// Why the last form was refused.
    pub error: Option<String>,
}

impl HouseholdSection {
    /// The section of a member's page, from the household the store read
    /// with the page (`None`: the member is in none).
    pub fn of(household: Option<Household>, can_edit: bool, error: Option<String>, lang: Lang) -> HouseholdSection {
        let mut section = HouseholdSection {
            can_edit,
            roles: ROLES
                .iter()
                .map(|r| {
                    (
                        r.as_str(),
                        i18n::t(lang, &format!("household.role.{}", r.as_str()), &[]),
                    )
                })
                .collect(),
            choices: CATEGORIES
                .iter()
                .map(|c| {
                    (
                        c.as_str(),
                        i18n::t(lang, &format!("household.category.{}", c.as_str()), &[]),
                    )
                })
                .collect(),
            year: Day::today().year().to_string(),
            error,
            ..HouseholdSection::default()
        };
        if let Some(h) = household {
            section.id = Some(h.id);
            section.address = h.address.unwrap_or_default();
            section.members = h
                .members
                .into_iter()
                .map(|(id, name, role)| (id, name, i18n::t(lang, &format!("household.role.{role}"), &[])))
                .collect();
            section.categories = h
                .categories
                .into_iter()
                .map(|(year, c)| (year, i18n::t(lang, &format!("household.category.{c}"), &[])))
                .collect();
        }
        section
    }
}

/// A refused step, with what was typed and why.
#[derive(Default)]
pub struct StepTyped {
    pub code: String,
    pub date: String,
    pub decision: String,
    pub reason: String,
    pub error: Option<String>,
}

/// The correction form: the member's values, or what was typed into a
/// refused one, with the refusal and the field it is about.
#[derive(Default)]
pub struct CorrectTyped {
    pub full_name: Option<String>,
    pub birth: String,
    pub cccd: String,
    pub phone: String,
    pub village: String,
    pub error: Option<String>,
    pub field: String,
}

impl CorrectTyped {
    /// The form filled with the member's values (CCCD and phone only for
    /// who may see them).
    pub fn of(m: &Member, reveal: bool) -> CorrectTyped {
        let personal = |v: &Option<String>| {
            if reveal {
                v.clone().unwrap_or_default()
            } else {
                String::new()
            }
        };
        CorrectTyped {
            full_name: Some(m.full_name.clone()),
            birth: m.birth_date.clone(),
            cccd: personal(&m.cccd),
            phone: personal(&m.phone),
            village: m.village.clone().unwrap_or_default(),
            error: None,
            field: String::new(),
        }
    }
}

/// Earlier corrections as rows: field, old, new, who, when; CCCD and
/// phone masked unless `reveal`.
pub fn correction_rows(c: Vec<Corrected>, reveal: bool, lang: Lang) -> Vec<(String, String, String, String, String)> {
    c.into_iter()
        .map(|c| {
            let personal = c.field == "cccd" || c.field == "phone";
            let show = |v: Option<String>| {
                let v = v.unwrap_or_else(|| "—".to_string());
                if personal && !reveal {
                    hnd_domain::access::mask(&v, 3)
                } else {
                    v
                }
            };
            (
                i18n::t(lang, &format!("audit.field.{}", c.field), &[]),
                show(c.old_value),
                show(c.new_value),
                c.author,
                c.recorded_at
                    .get(..10)
                    .and_then(|d| Day::from_iso(d).ok())
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            )
        })
        .collect()
}
