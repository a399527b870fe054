//! `hnd settings …`: the limits the operator may change (the date rules:
//! how far ahead an event may be dated, an applicant's minimum age).

use crate::tr;
use anyhow::Result;
use clap::Subcommand;
use hnd_domain::Lang;
use hnd_store::Store;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum SettingsCommand {
    /// Every setting with its value (a default unless set).
    List,
    /// Set one: dates.event_days_ahead (0–366, default 30),
    /// dates.birth_days_ahead (0–366, default 0), members.min_age (14–100,
    /// default 18, the charter's age).
    Set { key: String, value: String },
}

pub async fn run(cmd: SettingsCommand, db: &str, lang: Lang) -> Result<ExitCode> {
    let store = Store::open(db).await?;
    let rules = match cmd {
        SettingsCommand::List => store.date_rules().await?,
        SettingsCommand::Set { key, value } => {
            let rules = store.set_setting(&key, &value).await?;
            println!("{}", tr(lang, "cli.done", &[]));
            rules
        }
    };
    for (key, value) in rules.list() {
        println!("{key} = {value}");
    }
    Ok(ExitCode::SUCCESS)
}
