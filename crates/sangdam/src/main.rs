//! The `sangdam` command: a thin shell over the library crates.

mod url;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "sangdam",
    version,
    about = "Sangdam: self-hosted multi-channel customer consultation"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Chat URLs: parse, build, render consultation-info templates, make the v2 button snippet.
    Url {
        #[command(subcommand)]
        command: url::UrlCommand,
    },
}

/// How a command failed: a usage error (exit 2) or a refused request (exit 1).
#[derive(Debug)]
pub enum Failure {
    Usage(String),
    Refused(String),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Url { command } => url::run(command),
    };
    match result {
        Ok(output) => {
            println!("{output}");
            ExitCode::SUCCESS
        }
        Err(Failure::Usage(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
        Err(Failure::Refused(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
    }
}
