//! `hnd households …`: households and their category by year.

use crate::input::bad_field as bad;
use crate::tr;
use anyhow::Result;
use clap::Subcommand;
use hnd_domain::{HouseholdCategory, HouseholdRole, Lang};
use hnd_store::Store;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum HouseholdsCommand {
    /// A new household headed by a member.
    Create {
        #[arg(long)]
        head: i64,
        #[arg(long)]
        address: Option<String>,
    },
    /// Put a member in a household: vợ/chồng, con, cha/mẹ, khác.
    Join {
        household: i64,
        member: i64,
        #[arg(long)]
        role: String,
    },
    /// The household's category in a year: nghèo, cận nghèo, chính sách, khác.
    Category {
        household: i64,
        #[arg(long)]
        year: i32,
        #[arg(long)]
        category: String,
    },
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(cmd: HouseholdsCommand, db: &str, author: &str, lang: Lang) -> Result<ExitCode> {
    let store = Store::open(db).await?;
    let app = hnd_app::App::new(store.clone());
    let actor = hnd_app::Actor::operator(author, lang);
    match cmd {
        HouseholdsCommand::Create { head, address } => {
            let id = app.create_household(&actor, head, address).await?;
            println!("{}", tr(lang, "cli.household_created", &[("id", &id)]));
        }
        HouseholdsCommand::Join {
            household,
            member,
            role,
        } => {
            let role = HouseholdRole::parse(&role).ok_or_else(|| bad(lang, "field.household_role", &role))?;
            app.join_household(&actor, household, member, role).await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        HouseholdsCommand::Category {
            household,
            year,
            category,
        } => {
            let parsed =
                HouseholdCategory::parse(&category).ok_or_else(|| bad(lang, "field.household_category", &category))?;
            app.set_household_category(&actor, household, year, parsed).await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        HouseholdsCommand::Show { id, json } => {
            let h = store.household(id).await?;
            if json {
                println!("{}", serde_json::to_string(&h)?);
                return Ok(ExitCode::SUCCESS);
            }
            println!("{} — {}", h.id, h.address.as_deref().unwrap_or(""));
            for (member, name, role) in &h.members {
                println!(
                    "  {member:>8}  {name}  ({})",
                    tr(lang, &format!("household.role.{role}"), &[])
                );
            }
            for (year, category) in &h.categories {
                println!("  {year}: {}", tr(lang, &format!("household.category.{category}"), &[]));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
