//! `otpkit`, the command-line tool of the otpkit library: one-time codes for a key, verification
//! as a service does it, otpauth:// URIs, enrolment and authenticator import and export.
//!
//! `main` parses the command line and calls [`run`]; every error comes back here and is printed
//! in one place, as one line on standard error that never contains key material.

mod app;
mod cli;
mod commands;
mod exit_codes;
mod files;
mod input;
mod key;
mod output;
mod time;

use std::io::{self, Write};

use anyhow::Result;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, Parser};

use crate::cli::{Command, Opts};
use crate::exit_codes::ExitCode;

fn main() -> std::process::ExitCode {
    match run() {
        Ok(code) => code.into(),
        Err(err) if is_broken_pipe(&err) => ExitCode::Success.into(),
        Err(err) => {
            // The causes on the same line, "what: why", as `{:#}` puts them, less a cause the
            // message already quotes (the vault's I/O errors say their reason and return it
            // as their source too). Causes may quote a URI's text: no control character
            // reaches the terminal.
            let mut message = String::new();
            for cause in err.chain() {
                let text = cause.to_string();
                if !message.contains(&text) {
                    if !message.is_empty() {
                        message.push_str(": ");
                    }
                    message.push_str(&text);
                }
            }
            let message = message.replace(['\n', '\r'], " ");
            let message = output::escape(&message);
            let _ = writeln!(io::stderr(), "otpkit: {message}");
            ExitCode::GeneralError.into()
        }
    }
}

fn run() -> Result<ExitCode> {
    let opts = match Opts::try_parse() {
        Ok(opts) => opts,
        Err(err) => return Ok(usage_error(&err)),
    };
    match opts.command {
        Command::Code(args) => commands::code::run(&args),
        Command::Verify(args) => commands::verify::run(&args),
        Command::Inspect(args) => commands::inspect::run(&args),
        Command::Import(args) => commands::import::run(&args),
        Command::New(args) => commands::new::run(&args),
        Command::Export(args) => commands::export::run(&args),
        Command::Demo => commands::demo::run(),
        Command::Vault(args) => commands::vault::run(&args),
        Command::App(args) => app::run(&args),
    }
}

/// Help and version go to standard output with status 0. A usage mistake is an error like any
/// other: status 1 and one line on standard error, naming the command whose `--help` explains.
fn usage_error(err: &clap::Error) -> ExitCode {
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = err.print();
            ExitCode::Success
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = err.print();
            ExitCode::GeneralError
        }
        // clap would repeat the stray word, and a stray word may be a second key.
        ErrorKind::UnknownArgument if !stray_is_a_flag(err) => {
            let _ = writeln!(
                io::stderr(),
                "otpkit: unexpected extra argument (not repeated here: it may be a key); see `{}`",
                help_command()
            );
            ExitCode::GeneralError
        }
        // `otpkit KEY` would be repeated back too.
        ErrorKind::InvalidSubcommand => {
            let names: Vec<String> = Opts::command()
                .get_subcommands()
                .map(|c| c.get_name().to_owned())
                .filter(|name| name != "help")
                .collect();
            let _ = writeln!(
                io::stderr(),
                "otpkit: unknown command (expected one of {}); see `otpkit --help`",
                names.join(", ")
            );
            ExitCode::GeneralError
        }
        // clap would repeat the value, and a key typed where a flag's value belongs would be
        // printed: name the option and the rule, never the value.
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let option = match err.get(ContextKind::InvalidArg) {
                Some(ContextValue::String(option)) => option.clone(),
                _ => String::from("an option"),
            };
            let why = match (err.kind(), err.get(ContextKind::ValidValue)) {
                (ErrorKind::InvalidValue, Some(ContextValue::Strings(valid))) => {
                    format!("expected one of {}", valid.join(", "))
                }
                _ => core::error::Error::source(err)
                    .map_or_else(|| String::from("not a valid value"), ToString::to_string),
            };
            let why = redact_arguments(&why);
            let _ = writeln!(
                io::stderr(),
                "otpkit: invalid value for {option}: {}; see `{}`",
                output::escape(&why),
                help_command()
            );
            ExitCode::GeneralError
        }
        _ => {
            // clap's message runs to the first blank line (then come usage and a tip).
            let text = err.to_string();
            let message: Vec<&str> = text
                .lines()
                .take_while(|line| !line.trim().is_empty())
                .map(str::trim)
                .collect();
            let message = message.join(" ");
            let message = message.strip_prefix("error: ").unwrap_or(&message);
            let message = redact_arguments(message);
            let _ = writeln!(
                io::stderr(),
                "otpkit: {}; see `{}`",
                output::escape(&message),
                help_command()
            );
            ExitCode::GeneralError
        }
    }
}

/// `text` with every quoted value from the command line (`'JBSW…'`, as clap quotes them)
/// replaced by a placeholder: no value a user typed is repeated in an error, since it may be a
/// key typed where a flag's value belongs.
fn redact_arguments(text: &str) -> String {
    let mut text = text.to_owned();
    for arg in std::env::args().skip(1) {
        let value = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with('-') => value,
            _ if arg.starts_with('-') => continue,
            _ => arg.as_str(),
        };
        if !value.is_empty() {
            text = text.replace(&format!("'{value}'"), "(a value, not repeated here)");
        }
    }
    text
}

/// Whether the argument clap did not expect looks like a flag (`--bogus`), which is safe to
/// repeat, rather than a value.
fn stray_is_a_flag(err: &clap::Error) -> bool {
    match err.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(arg)) => arg.starts_with('-'),
        _ => false,
    }
}

/// `otpkit COMMAND --help` when the command line names a command, else `otpkit --help`.
fn help_command() -> String {
    let named = std::env::args()
        .nth(1)
        .filter(|name| Opts::command().find_subcommand(name).is_some());
    match named {
        Some(name) => format!("otpkit {name} --help"),
        None => String::from("otpkit --help"),
    }
}

/// Writing to a closed pipe (`otpkit code --next 9 | head -1`) is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
