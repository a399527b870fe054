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
mod tasks;
mod users;

use clap::Parser;
use hnd_domain::Lang;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    let lang = args.lang();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("{}", tr(lang, "cli.error", &[("error", &e)]));
            return ExitCode::FAILURE;
        }
    };
    let code = match runtime.block_on(cli::run(args)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}", cli::describe(&e, lang));
            ExitCode::FAILURE
        }
    };
    // Work still running (a file being read on a blocking thread, a request
    // the server gave up on at its deadline) is not waited for: once the
    // command has finished, the process ends within a second.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    code
}

/// The language of messages, for modules that print.
pub(crate) fn tr(lang: Lang, key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    hnd_domain::i18n::t(lang, key, args)
}
