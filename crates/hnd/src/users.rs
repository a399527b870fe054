//! `hnd users …`: accounts, roles on units, password resets, API tokens.
//!
//! The command line is the tool of whoever runs the installation (it holds
//! the database address), so it is not itself signed in; it is where the
//! first central administrator comes from.

use crate::tr;
use anyhow::Result;
use clap::Subcommand;
use hnd_domain::{AccountError, Lang, Role};
use hnd_store::Store;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum UsersCommand {
    /// A new account. Without --password a random one is made and printed.
    Create {
        login: String,
        #[arg(long)]
        name: String,
        #[arg(long, env = "HND_NEW_PASSWORD")]
        password: Option<String>,
    },
    /// Grant a role on a unit (valid for its whole subtree): central_admin,
    /// province_officer, commune_officer, branch_head, viewer.
    Grant {
        login: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        unit: String,
    },
    /// Take a role on a unit back.
    Revoke {
        login: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        unit: String,
    },
    /// Reset a password (ends the user's sessions, lifts a lockout).
    Passwd {
        login: String,
        #[arg(long, env = "HND_NEW_PASSWORD")]
        password: Option<String>,
    },
    /// A new API token for scripts, printed once.
    Token {
        login: String,
        #[arg(long, default_value = "script")]
        label: String,
    },
    /// Make an account act for a body outside the Union that tasks name
    /// (e.g. "Sở Nông nghiệp và PTNT"): it sees and reports on that body's
    /// tasks only. See `hnd tasks bodies`.
    Body { login: String, name: String },
    /// An account and its roles.
    Show {
        login: String,
        #[arg(long)]
        json: bool,
    },
}

fn role(text: &str) -> Result<Role> {
    Ok(Role::parse(text)
        .ok_or_else(|| hnd_store::StoreError::Account(AccountError::UnknownRole { role: text.into() }))?)
}

pub async fn run(cmd: UsersCommand, db: &str, author: &str, lang: Lang) -> Result<ExitCode> {
    let store = Store::open(db).await?;
    let app = hnd_app::App::new(store.clone());
    let actor = hnd_app::Actor::operator(author, lang);
    match cmd {
        UsersCommand::Create { login, name, password } => {
            let shown = password.is_none();
            let password = password.unwrap_or_else(hnd_store::random_password);
            app.create_user(&actor, &login, &name, &password).await?;
            println!("{}", tr(lang, "cli.user_created", &[("login", &login)]));
            if shown {
                println!("{}", tr(lang, "cli.user_password", &[("password", &password)]));
            }
        }
        UsersCommand::Grant { login, role: r, unit } => {
            app.grant_role(&actor, &login, role(&r)?, &unit).await?;
            println!("{}", tr(lang, "cli.done", &[]));
        }
        UsersCommand::Revoke { login, role: r, unit } => {
            let n = app.revoke_role(&actor, &login, role(&r)?, &unit).await?;
            println!("{}", tr(lang, "cli.revoked", &[("count", &n)]));
        }
        UsersCommand::Passwd { login, password } => {
            let shown = password.is_none();
            let password = password.unwrap_or_else(hnd_store::random_password);
            app.reset_password(&actor, &login, &password).await?;
            println!("{}", tr(lang, "cli.done", &[]));
            if shown {
                println!("{}", tr(lang, "cli.user_password", &[("password", &password)]));
            }
        }
        UsersCommand::Body { login, name } => {
            let name = store.set_user_body(&login, &name).await?;
            println!("{}", tr(lang, "cli.user_body", &[("login", &login), ("body", &name)]));
        }
        UsersCommand::Token { login, label } => {
            println!("{}", app.issue_token(&actor, &login, &label).await?);
        }
        UsersCommand::Show { login, json } => {
            let user = store.principal_by_login(&login).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&user)?);
            } else {
                println!("{} ({})", user.full_name, user.login);
                if let Some(b) = &user.body {
                    println!(
                        "  {}",
                        tr(lang, "cli.user_body", &[("login", &user.login), ("body", &b.name)])
                    );
                }
                for g in user.grants() {
                    println!("  {} · {} {}", g.role.label(lang), g.unit_code, g.unit_name);
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
