//! The command line: every command, argument and flag, with the examples `--help` shows.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use otpkit::{Algorithm, Digits, Secret, Totp, Window, enroll};

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
    /// Print the current code (or the code at --time), and with --next the ones after it.
    #[command(after_help = "\
Examples:
  echo JBSWY3DPEHPK3PXP | otpkit code
  otpkit code --key-file key.txt --time 1700000000 --next 2
  otpkit code --hotp --counter 5 --hex 3132333435363738393031323334353637383930
  otpkit code --watch --key-file key.txt

--next used to be spelled --window. That name is verify's (N steps either way), so one name
keeps one meaning: `code --window` now stops with an error that points to --next.")]
    Code(CodeArgs),

    /// Check a typed code; print the matched offset (TOTP) or the next counter to store (HOTP).
    #[command(after_help = "\
Examples:
  echo JBSWY3DPEHPK3PXP | otpkit verify --code 123456
  otpkit verify --key-file key.txt --code '123 456' --behind 2 --ahead 0
  otpkit verify --key-file key.txt --hotp --counter 7 --window 10 --code 162583

--window N is N steps either way (TOTP) or N counters ahead (HOTP); it is not code's --next.

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

The issuer and the account cannot contain ':', which separates them in the URI's label.
Secrets over 512 bits and codes over 8 digits work here, but some clients refuse them (otplib;
pyotp and otplib): a warning says so, and the key is still made.

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

    /// The terminal authenticator on the vault: live codes, copy, add (key, URI or QR image).
    #[command(after_help = "\
Examples:
  otpkit app
  otpkit app --vault ~/work.otpkit --lock-after 120

Keys: ↑/↓ or j/k move, Enter copies, / searches, a adds, e edits, d deletes, ? helps, q quits.")]
    App(crate::app::AppArgs),

    /// Walk through an enrolment, a login and two refused codes, as service and app see them.
    #[command(after_help = "\
Example:
  otpkit demo")]
    Demo,
}

/// The help headings of the shared groups. Set on each argument rather than on the group, so
/// that the arguments a command adds after a group stay under its own "Options".
const KEY_HEADING: &str = "Key";
const PARAMS_HEADING: &str = "Code parameters";

/// Where the key comes from, what it is, and what overrides the URI's parameters. Every
/// command that reads a key (`code`, `verify`, `inspect`) flattens this one group.
#[derive(Debug, Args)]
pub(crate) struct KeyArgs {
    /// An otpauth:// URI or a base32 secret; `-` or absent: the first line of standard input.
    #[arg(value_name = "KEY", help_heading = KEY_HEADING)]
    pub(crate) key: Option<String>,

    /// Read KEY as hex instead of base32 (as oathtool does).
    #[arg(long, help_heading = KEY_HEADING)]
    pub(crate) hex: bool,

    /// Read KEY from the first line of FILE.
    #[arg(long, value_name = "FILE", conflicts_with = "key", help_heading = KEY_HEADING)]
    pub(crate) key_file: Option<PathBuf>,

    /// Counter-based codes (HOTP, RFC 4226).
    #[arg(long, conflicts_with = "steam", help_heading = PARAMS_HEADING)]
    pub(crate) hotp: bool,

    /// Steam Guard codes (five characters, 30 seconds).
    #[arg(long, help_heading = PARAMS_HEADING)]
    pub(crate) steam: bool,

    #[command(flatten)]
    pub(crate) params: ParamArgs,

    /// Unix time at which TOTP step 0 starts.
    #[arg(long, value_name = "SECONDS", help_heading = PARAMS_HEADING)]
    pub(crate) t0: Option<u64>,

    /// The HOTP counter (default: the URI's, else 0).
    #[arg(long, value_name = "N", help_heading = PARAMS_HEADING)]
    pub(crate) counter: Option<u64>,
}

/// The code parameters, one group for every command that has them: `new` makes its key with
/// them, and `code`, `verify` and `inspect` apply them over what a key's URI says. Each is
/// read and checked by the library's own rules, so a value means the same everywhere.
#[derive(Debug, Args)]
pub(crate) struct ParamArgs {
    /// The HMAC hash: sha1, sha256 or sha512 (any case).
    #[arg(long, value_name = "NAME", value_parser = parse_algorithm, help = algorithm_help(), help_heading = PARAMS_HEADING)]
    pub(crate) algorithm: Option<Algorithm>,

    /// Digits per code, 6 to 10.
    #[arg(long, value_name = "N", value_parser = parse_digits, help = digits_help(), help_heading = PARAMS_HEADING)]
    pub(crate) digits: Option<Digits>,

    /// Seconds per TOTP step.
    #[arg(long, value_name = "SECONDS", value_parser = parse_period, help = period_help(), help_heading = PARAMS_HEADING)]
    pub(crate) period: Option<u64>,
}

/// The library's defaults for a new key; a key that is read has the same unless its URI says
/// otherwise. `Algorithm` has no default of its own: an enrolment's is the library's choice.
const DEFAULTS: enroll::Options = enroll::Options::new();

fn algorithm_help() -> String {
    format!(
        "The HMAC hash: sha1, sha256 or sha512 (any case) [default: a URI's, else {}]",
        DEFAULTS.algorithm().as_str().to_ascii_lowercase()
    )
}

fn digits_help() -> String {
    format!(
        "Digits per code, 6 to 10 [default: a URI's, else {}]",
        Digits::default().get()
    )
}

fn period_help() -> String {
    format!(
        "Seconds per TOTP step [default: a URI's, else {}]",
        Totp::DEFAULT_PERIOD
    )
}

fn parse_algorithm(s: &str) -> Result<Algorithm, String> {
    s.parse()
        .map_err(|_| String::from("expected sha1, sha256 or sha512"))
}

/// A code length, checked as the library checks it.
fn parse_digits(s: &str) -> Result<Digits, String> {
    let n: u8 = s
        .parse()
        .map_err(|_| String::from("expected a number from 6 to 10"))?;
    Digits::new(n).map_err(|e| e.to_string())
}

/// A TOTP period, checked as the library checks it.
fn parse_period(s: &str) -> Result<u64, String> {
    let seconds: u64 = s
        .parse()
        .map_err(|_| String::from("expected a whole number of seconds"))?;
    DEFAULTS
        .with_period(seconds)
        .map(|_| seconds)
        .map_err(|e| e.to_string())
}

/// The time to work at instead of the clock, shared by `code` and `verify`.
#[derive(Debug, Args)]
pub(crate) struct TimeArgs {
    /// The unix time to use instead of now.
    #[arg(long, value_name = "UNIX")]
    pub(crate) time: Option<u64>,
}

#[derive(Debug, Args)]
pub(crate) struct CodeArgs {
    #[command(flatten)]
    pub(crate) key: KeyArgs,

    #[command(flatten)]
    pub(crate) time: TimeArgs,

    /// Also print the N codes after it (the next steps, or the next counters), one per line.
    #[arg(long, value_name = "N")]
    pub(crate) next: Option<u64>,

    /// The old spelling of --next, refused with a pointer to it: `--window` is verify's (N
    /// steps either way), and a name that meant two things would keep the confusion alive.
    #[arg(long, value_name = "N", hide = true)]
    pub(crate) window: Option<u64>,

    /// Show the live code and the seconds it has left, refreshed every second, until Ctrl-C.
    #[arg(long, conflicts_with_all = ["time", "next"])]
    pub(crate) watch: bool,
}

#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    #[command(flatten)]
    pub(crate) key: KeyArgs,

    /// The code to check (spaces are ignored).
    #[arg(long, value_name = "CODE")]
    pub(crate) code: String,

    #[command(flatten)]
    pub(crate) time: TimeArgs,

    /// Accept N steps either way (TOTP) or N counters ahead (HOTP).
    #[arg(long, value_name = "N", conflicts_with_all = ["behind", "ahead"], help = window_help())]
    pub(crate) window: Option<u32>,

    /// Accept N earlier steps (TOTP only).
    #[arg(long, value_name = "N", help = behind_help())]
    pub(crate) behind: Option<u32>,

    /// Accept N later steps, or N counters ahead for HOTP.
    #[arg(long, value_name = "N", help = ahead_help())]
    pub(crate) ahead: Option<u32>,
}

fn window_help() -> String {
    let window = Window::default();
    format!(
        "Accept N steps either way (TOTP) or N counters ahead (HOTP) [default: {} behind, {} ahead]",
        window.behind(),
        window.ahead()
    )
}

fn behind_help() -> String {
    format!(
        "Accept N earlier steps (TOTP only) [default: {}]",
        Window::default().behind()
    )
}

fn ahead_help() -> String {
    format!(
        "Accept N later steps, or N counters ahead for HOTP [default: {}]",
        Window::default().ahead()
    )
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

    #[command(flatten)]
    pub(crate) params: ParamArgs,

    /// Length of the new secret in bits, in whole bytes.
    #[arg(long, value_name = "N", default_value_t = Secret::DEFAULT_BITS, help = bits_help(), help_heading = PARAMS_HEADING)]
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

fn bits_help() -> String {
    format!(
        "Length of the new secret in bits, {} to {} in whole bytes",
        Secret::MIN_GENERATED_BITS,
        Secret::MAX_GENERATED_BITS
    )
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
