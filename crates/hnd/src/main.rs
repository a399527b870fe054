//! `hnd`: the command line of the Farmers' Union management system.

mod backup;
#[cfg(feature = "bench")]
mod bench;
#[cfg(feature = "bench")]
mod bench_mapping;
mod cli;
mod demo;
mod demo_records;
mod fees;
mod r#gen;
mod households;
mod input;
mod legacy;
#[cfg(feature = "bench")]
mod load;
mod member_files;
mod member_profiles;
mod members;
mod org;
mod plan_reading;
mod plans;
mod report_flow;
mod reports;
mod sample;
mod serve;
mod settings;
mod sheet_files;
mod tasks;
mod users;

use clap::Parser;
use hnd_domain::Lang;
use std::process::ExitCode;

fn main() -> ExitCode {
    log_to_stderr();
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

/// What the server and the libraries log (`tracing`) goes to standard
/// error, filtered by `RUST_LOG` (default: `info`, the database driver
/// only for errors, since a bulk load's long statements are expected).
/// What the command line tells its user is printed, not logged.
fn log_to_stderr() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=error"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}

/// The language of messages, for modules that print.
pub(crate) fn tr(lang: Lang, key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    hnd_domain::i18n::t(lang, key, args)
}
