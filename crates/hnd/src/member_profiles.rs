//! `hnd members profile | role | title | rating`: a member's profile
//! (hồ sơ) and its entries from the command line, through the operations.

use crate::tr;
use anyhow::Result;
use clap::Subcommand;
use hnd_app::{Actor, App};
use hnd_domain::Lang;
use hnd_domain::profile::{FIELDS, NewRating, NewRole, NewTitle, Profile};

#[derive(Subcommand, Debug)]
pub enum RoleCommand {
    Add {
        id: i64,
        /// branch_head | branch_deputy | group_head | group_deputy | full_time | executive | standing
        /// (or the Vietnamese name: "chi hội trưởng").
        #[arg(long)]
        position: String,
        /// Code of the unit where it is held.
        #[arg(long)]
        unit: Option<String>,
        /// dd/mm/yyyy
        #[arg(long)]
        from: String,
        /// dd/mm/yyyy; none while still held.
        #[arg(long)]
        to: Option<String>,
    },
    Remove {
        id: i64,
        entry: i64,
    },
}

#[derive(Subcommand, Debug)]
pub enum TitleCommand {
    Add {
        id: i64,
        #[arg(long)]
        year: String,
        /// commune | district | province | central (or "cấp tỉnh"…).
        #[arg(long)]
        level: String,
        /// excellent_farmer | certificate | merit | other.
        #[arg(long)]
        kind: String,
        /// Decision number or wording.
        #[arg(long)]
        note: Option<String>,
    },
    Remove {
        id: i64,
        entry: i64,
    },
}

#[derive(Subcommand, Debug)]
pub enum RatingCommand {
    /// Sets a year's rating (replacing that year's earlier one).
    Add {
        id: i64,
        #[arg(long)]
        year: String,
        /// excellent | good | done | not_done (or "hoàn thành tốt nhiệm vụ"…).
        #[arg(long)]
        rating: String,
        /// Proposed to the Party that year as an outstanding member.
        #[arg(long)]
        proposed_to_party: bool,
    },
    Remove {
        id: i64,
        year: i32,
    },
}

/// Shows a member's profile, after changing the fields of `set` (`FIELD=VALUE`).
pub async fn profile(app: &App, actor: &Actor, id: i64, set: &[String], json: bool, lang: Lang) -> Result<()> {
    if !set.is_empty() {
        set_profile(app, actor, id, set, lang).await?;
    }
    show_profile(&app.store().member_profile(id).await?, json, lang)
}

pub async fn role(app: &App, actor: &Actor, cmd: RoleCommand, lang: Lang) -> Result<()> {
    match cmd {
        RoleCommand::Add {
            id,
            position,
            unit,
            from,
            to,
        } => {
            let role = NewRole::parse(
                &position,
                unit.as_deref().unwrap_or_default(),
                &from,
                to.as_deref().unwrap_or_default(),
            )
            .map_err(|e| refused(e, lang))?;
            let entry = app.add_role(actor, id, &role).await?;
            println!("{}", tr(lang, "cli.entry_added", &[("entry", &entry)]));
        }
        RoleCommand::Remove { id, entry } => {
            app.remove_role(actor, id, entry).await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
    }
    Ok(())
}

pub async fn title(app: &App, actor: &Actor, cmd: TitleCommand, lang: Lang) -> Result<()> {
    match cmd {
        TitleCommand::Add {
            id,
            year,
            level,
            kind,
            note,
        } => {
            let title = NewTitle::parse(&year, &level, &kind, note.as_deref().unwrap_or_default())
                .map_err(|e| refused(e, lang))?;
            let entry = app.add_title(actor, id, &title).await?;
            println!("{}", tr(lang, "cli.entry_added", &[("entry", &entry)]));
        }
        TitleCommand::Remove { id, entry } => {
            app.remove_title(actor, id, entry).await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
    }
    Ok(())
}

pub async fn rating(app: &App, actor: &Actor, cmd: RatingCommand, lang: Lang) -> Result<()> {
    match cmd {
        RatingCommand::Add {
            id,
            year,
            rating,
            proposed_to_party,
        } => {
            let proposed = if proposed_to_party { "yes" } else { "no" };
            let rating = NewRating::parse(&year, &rating, proposed).map_err(|e| refused(e, lang))?;
            app.set_rating(actor, id, &rating).await?;
        }
        RatingCommand::Remove { id, year } => {
            app.remove_rating(actor, id, year).await?;
        }
    }
    println!("{}", tr(lang, "cli.done", &[]));
    Ok(())
}

/// The refusals of a profile's values, one sentence a line.
fn refused(errors: Vec<hnd_domain::profile::FieldError>, lang: Lang) -> anyhow::Error {
    let lines: Vec<String> = errors.iter().map(|e| e.message(lang)).collect();
    anyhow::anyhow!("{}", lines.join("\n"))
}

/// Changes the fields named by `FIELD=VALUE` items, the others as they are.
async fn set_profile(app: &App, actor: &Actor, id: i64, set: &[String], lang: Lang) -> Result<()> {
    let mut values: std::collections::HashMap<&str, String> = app
        .store()
        .member_profile(id)
        .await?
        .profile
        .to_text()
        .into_iter()
        .collect();
    for item in set {
        let field = item
            .split_once('=')
            .and_then(|(field, value)| FIELDS.iter().find(|f| **f == field.trim()).map(|f| (*f, value)));
        let Some((field, value)) = field else {
            let fields = FIELDS.join(", ");
            anyhow::bail!("{}", tr(lang, "cli.bad_set", &[("value", item), ("fields", &fields)]));
        };
        values.insert(field, value.trim().to_string());
    }
    let profile = Profile::parse(|f| values.get(f).cloned().unwrap_or_default()).map_err(|e| refused(e, lang))?;
    app.set_profile(actor, id, &profile, hnd_app::Personal::Keep).await?;
    println!("{}", tr(lang, "cli.profile_saved", &[("id", &id)]));
    Ok(())
}

fn show_profile(p: &hnd_store::MemberProfile, json: bool, lang: Lang) -> Result<()> {
    if json {
        println!("{}", serde_json::to_string(p)?);
        return Ok(());
    }
    for (field, value) in p.profile.display(lang) {
        if !value.is_empty() {
            println!("  {}: {value}", hnd_domain::profile::field_label(field, lang));
        }
    }
    for r in &p.roles {
        let to =
            r.to.map(|d| d.to_string())
                .unwrap_or_else(|| tr(lang, "profile.still", &[]));
        let unit = r.unit_code.as_deref().unwrap_or_default();
        println!("  [{}] {} {unit} {} – {to}", r.id, r.position.label(lang), r.from);
    }
    for t in &p.titles {
        let note = t.note.as_deref().unwrap_or_default();
        println!(
            "  [{}] {} {} — {} {note}",
            t.id,
            t.year,
            t.kind.label(lang),
            t.level.label(lang)
        );
    }
    for r in &p.ratings {
        let proposed = if r.proposed_to_party {
            format!(" — {}", tr(lang, "profile.field.proposed_to_party", &[]))
        } else {
            String::new()
        };
        println!("  {}: {}{proposed}", r.year, r.rating.label(lang));
    }
    Ok(())
}
