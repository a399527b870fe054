//! `hnd`: the command line of the Farmers' Union management system.

mod bench;
mod cli;
mod demo;
mod r#gen;
mod households;
mod load;
mod members;
mod org;
mod plans;
mod sample;
mod settings;
mod tasks;
mod users;

use clap::Parser;
use hnd_domain::Lang;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let args = cli::Cli::parse();
    let lang = args.lang();
    match cli::run(args).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}", cli::describe(&e, lang));
            ExitCode::FAILURE
        }
    }
}

/// The language of messages, for modules that print.
pub(crate) fn tr(lang: Lang, key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    hnd_domain::i18n::t(lang, key, args)
}
