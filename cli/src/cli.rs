//! The command line: every command, argument and flag, with the examples `--help` shows.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use otpkit::Algorithm;

/// Shown under the top-level help.
const EXAMPLES: &str = "\
Examples:
  otpkit demo
  echo JBSWY3DPEHPK3PXP | otpkit code
  otpkit verify --key-file key.txt --code 123456
  otpkit inspect --json < uri.txt
  otpkit new --issuer Example --account alice@example.com

Exit status: 0 success, 1 error, 2 no match (verify) or refused confirmation (new --confirm).";

/// One-time passwords (HOTP, TOTP, Steam Guard): codes, verification, otpauth:// URIs,
/// enrolment, and Google Authenticator import and export.
#[derive(Debug, Parser)]
#[command(name = "otpkit", version, after_help = EXAMPLES, arg_required_else_help = true)]
pub(crate) struct Opts {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Print the current code (or the code at --time), and with --window the next ones.
    #[command(after_help = "\
Examples:
  echo JBSWY3DPEHPK3PXP | otpkit code
  otpkit code --key-file key.txt --time 1700000000 --window 2
  otpkit code --hotp --counter 5 --hex 3132333435363738393031323334353637383930
  otpkit code --watch --key-file key.txt")]
    Code(CodeArgs),

    /// Check a typed code; print the matched offset (TOTP) or the next counter to store (HOTP).
    #[command(after_help = "\
Examples:
  echo JBSWY3DPEHPK3PXP | otpkit verify --code 123456
  otpkit verify --key-file key.txt --code '123 456' --behind 2 --ahead 0
  otpkit verify --key-file key.txt --hotp --counter 7 --window 10 --code 162583

Exit status: 0 and the offset (0, -1, +1; for HOTP the next counter) on stdout when the code
matches, 2 and nothing on stdout when no code in the window matches, 1 on any error.")]
    Verify(VerifyArgs),

    /// Show what an otpauth:// URI holds, for a person or (--json) for a script.
    #[command(after_help = "\
Examples:
  otpkit inspect < uri.txt
  otpkit inspect --json 'otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer=Example'")]
    Inspect(InspectArgs),

    /// Create a fresh secret for an account: print the URI, the key for typing, and a QR code.
    #[command(after_help = "\
Examples:
  otpkit new --issuer Example --account alice@example.com
  otpkit new --issuer Example --account alice --bits 256 --svg qr.svg --no-qr
  otpkit new --issuer Example --account alice --confirm

Exit status with --confirm: 0 when the first code is confirmed, 2 when it is refused.")]
    New(NewArgs),

    /// Turn a Google Authenticator export (otpauth-migration://) into otpauth:// URIs.
    #[command(after_help = "\
Examples:
  otpkit import < export.txt
  otpkit import --json 'otpauth-migration://offline?data=...'")]
    Import(ImportArgs),

    /// Turn otpauth:// URIs into Google Authenticator exports, at most 10 accounts each.
    #[command(after_help = "\
Examples:
  otpkit export < uris.txt
  otpkit export --no-qr 'otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer=Example'")]
    Export(ExportArgs),

    /// The encrypted account store: add accounts, read codes, import from other apps.
    #[command(after_help = "\
Examples:
  otpkit vault init
  otpkit vault import aegis-export.json
  otpkit vault code github
  otpkit vault list --json

Exit status: 0 success, 1 error, 2 no account matches or several do (the candidates are listed).")]
    Vault(crate::commands::vault::VaultArgs),

    /// Walk through an enrolment, a login and two refused codes, as service and app see them.
    #[command(after_help = "\
Example:
  otpkit demo")]
    Demo,
}

/// Where the key comes from, and what overrides the URI's parameters.
#[derive(Debug, Args)]
pub(crate) struct KeyArgs {
    /// An otpauth:// URI or a base32 secret; `-` or absent: the first line of standard input.
    #[arg(value_name = "KEY")]
    pub(crate) key: Option<String>,

    /// Read KEY as hex instead of base32 (as oathtool does).
    #[arg(long)]
    pub(crate) hex: bool,

    /// Read KEY from the first line of FILE.
    #[arg(long, value_name = "FILE", conflicts_with = "key")]
    pub(crate) key_file: Option<PathBuf>,

    /// Counter-based codes (HOTP, RFC 4226).
    #[arg(long, conflicts_with = "steam")]
    pub(crate) hotp: bool,

    /// Steam Guard codes (five characters, 30 seconds).
    #[arg(long)]
    pub(crate) steam: bool,

    /// The HMAC hash: sha1, sha256 or sha512 (any case).
    #[arg(long, value_name = "NAME", value_parser = parse_algorithm)]
    pub(crate) algorithm: Option<Algorithm>,

    /// Digits per code, 6 to 10.
    #[arg(long, value_name = "N")]
    pub(crate) digits: Option<u8>,

    /// Seconds per TOTP step.
    #[arg(long, value_name = "SECONDS")]
    pub(crate) period: Option<u64>,

    /// Unix time at which TOTP step 0 starts.
    #[arg(long, value_name = "SECONDS")]
    pub(crate) t0: Option<u64>,

    /// The HOTP counter (default: the URI's, else 0).
    #[arg(long, value_name = "N")]
    pub(crate) counter: Option<u64>,
}

fn parse_algorithm(s: &str) -> Result<Algorithm, String> {
    s.parse()
        .map_err(|_| String::from("expected sha1, sha256 or sha512"))
}

#[derive(Debug, Args)]
pub(crate) struct CodeArgs {
    #[command(flatten)]
    pub(crate) key: KeyArgs,

    /// The unix time to make the code for, instead of now.
    #[arg(long, value_name = "UNIX", conflicts_with = "watch")]
    pub(crate) time: Option<u64>,

    /// Also print the next N codes, one per line.
    #[arg(long, value_name = "N", conflicts_with = "watch")]
    pub(crate) window: Option<u64>,

    /// Show the live code and the seconds it has left, refreshed every second, until Ctrl-C.
    #[arg(long)]
    pub(crate) watch: bool,
}

#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    #[command(flatten)]
    pub(crate) key: KeyArgs,

    /// The code to check (spaces are ignored).
    #[arg(long, value_name = "CODE")]
    pub(crate) code: String,

    /// The unix time to check at, instead of now.
    #[arg(long, value_name = "UNIX")]
    pub(crate) time: Option<u64>,

    /// Accept N steps either way (TOTP) or N counters ahead (HOTP) [default: 1].
    #[arg(long, value_name = "N", conflicts_with_all = ["behind", "ahead"])]
    pub(crate) window: Option<u32>,

    /// Accept N earlier steps (TOTP only) [default: 1].
    #[arg(long, value_name = "N")]
    pub(crate) behind: Option<u32>,

    /// Accept N later steps, or N counters ahead for HOTP [default: 1].
    #[arg(long, value_name = "N")]
    pub(crate) ahead: Option<u32>,
}

#[derive(Debug, Args)]
pub(crate) struct InspectArgs {
    #[command(flatten)]
    pub(crate) key: KeyArgs,

    /// One JSON object instead of text for a person.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct NewArgs {
    /// The service the account belongs to.
    #[arg(long, value_name = "ISSUER")]
    pub(crate) issuer: String,

    /// The account name (often an email address).
    #[arg(long, value_name = "ACCOUNT")]
    pub(crate) account: String,

    /// The HMAC hash: sha1, sha256 or sha512 (any case) [default: sha1].
    #[arg(long, value_name = "NAME", value_parser = parse_algorithm)]
    pub(crate) algorithm: Option<Algorithm>,

    /// Digits per code, 6 to 10 [default: 6].
    #[arg(long, value_name = "N")]
    pub(crate) digits: Option<u8>,

    /// Seconds per step [default: 30].
    #[arg(long, value_name = "SECONDS")]
    pub(crate) period: Option<u64>,

    /// Length of the new secret in bits.
    #[arg(long, value_name = "N", default_value_t = 160)]
    pub(crate) bits: usize,

    /// Also write the QR code as an SVG image to FILE.
    #[arg(long, value_name = "FILE")]
    pub(crate) svg: Option<PathBuf>,

    /// Do not draw the QR code in the terminal.
    #[arg(long)]
    pub(crate) no_qr: bool,

    /// Then read the first code from the app and confirm it as the service would.
    #[arg(long)]
    pub(crate) confirm: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// An otpauth-migration:// URI; `-` or absent: one per line on standard input.
    #[arg(value_name = "MIGRATION_URI")]
    pub(crate) uri: Option<String>,

    /// A JSON list of the objects `inspect --json` prints.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// otpauth:// URIs; `-` or none: one per line on standard input.
    #[arg(value_name = "URI")]
    pub(crate) uris: Vec<String>,

    /// Do not draw a QR code after each export URI.
    #[arg(long)]
    pub(crate) no_qr: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn opts_are_consistent() {
        Opts::command().debug_assert();
    }

    #[test]
    fn every_command_has_an_example() {
        let cmd = Opts::command();
        for sub in cmd.get_subcommands() {
            let help = sub.get_after_help().map(ToString::to_string);
            assert!(
                help.as_deref().is_some_and(|h| h.contains("otpkit ")),
                "{} has no example",
                sub.get_name()
            );
        }
    }
}
