//! The `commonhall` binary.

use clap::Parser;

fn main() -> std::process::ExitCode {
    match commonhall::cli::run(commonhall::cli::Cli::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
