//! `otpkit new`: the service's side of enrolment. A fresh secret for an account, shown as the
//! URI, the key grouped for typing and a QR code; with `--confirm`, the first code from the app
//! is checked as the service would before anything is active.

use std::io::{self, IsTerminal, Write};

use anyhow::{Context, Result, anyhow, bail};
use otpkit::{
    VerifyError,
    enroll::{self, Enrollment},
};

use crate::cli::NewArgs;
use crate::exit_codes::ExitCode;
use crate::key::read_stdin_line;
use crate::output::grouped;
use crate::time::now;

/// Tries a person at a terminal gets to type the first code; a script gets one.
const TRIES_AT_A_TERMINAL: u32 = 3;

/// The longest secret that every client checked in `cli/tests/peers.rs` accepts: otplib (13)
/// refuses a key of more than 64 bytes (its `MAX_SECRET_BYTES`). Longer keys are made, with a
/// warning, since the library and the other clients take them.
const WIDELY_ACCEPTED_BITS: usize = 512;

/// The longest code that every client checked in `cli/tests/peers.rs` reads from a URI: pyotp
/// and otplib take 6, 7 or 8 digits. Longer codes are made, with a warning, as for the bits.
const WIDELY_ACCEPTED_DIGITS: u8 = 8;

pub(crate) fn run(args: &NewArgs) -> Result<ExitCode> {
    for (flag, name) in [("--issuer", &args.issuer), ("--account", &args.account)] {
        if name.contains(':') {
            bail!(
                "{flag} cannot contain ':', which separates issuer and account in the URI \
                 (apps misread it even as %3A): use another character, such as '-'"
            );
        }
    }
    let mut options = enroll::Options::new();
    if let Some(algorithm) = args.params.algorithm {
        options = options.with_algorithm(algorithm);
    }
    if let Some(digits) = args.params.digits {
        options = options.with_digits(digits);
    }
    if let Some(period) = args.params.period {
        options = options.with_period(period).context("--period")?;
    }
    let options = options.with_secret_bits(args.bits).context("--bits")?;
    if args.bits > WIDELY_ACCEPTED_BITS {
        eprintln!(
            "otpkit: warning: a {}-bit secret is longer than some verifiers accept (otplib takes \
             at most {WIDELY_ACCEPTED_BITS}): use --bits {WIDELY_ACCEPTED_BITS} or less if they must read it",
            args.bits
        );
    }
    let digits = options.digits().get();
    if digits > WIDELY_ACCEPTED_DIGITS {
        eprintln!(
            "otpkit: warning: {digits}-digit codes are longer than some apps and libraries read \
             (pyotp and otplib take 6 to {WIDELY_ACCEPTED_DIGITS}): use --digits {WIDELY_ACCEPTED_DIGITS} or less if they must read it"
        );
    }
    let enrollment = Enrollment::start(&args.issuer, &args.account, options)
        .context("--issuer and --account")?;

    let mut out = io::stdout().lock();
    writeln!(out, "{}", enrollment.uri().as_str())?;
    writeln!(
        out,
        "key: {} ({} bits)",
        grouped(&enrollment.secret().to_base32()).as_str(),
        enrollment.secret().bits()
    )?;
    if !args.no_qr || args.svg.is_some() {
        let qr = enrollment
            .qr()
            .context("the issuer and account are too long for a QR code: shorten them")?;
        if let Some(path) = &args.svg {
            crate::files::write_private(path, qr.to_svg().as_bytes())
                .context("cannot write the file given to --svg")?;
        }
        if !args.no_qr {
            write!(out, "{}", qr.to_terminal().as_str())?;
        }
    }
    out.flush()?;
    drop(out);
    if args.confirm {
        return confirm(enrollment);
    }
    Ok(ExitCode::Success)
}

/// Reads the first code the app shows and confirms the enrolment with it: status 0 when
/// confirmed, 2 when refused.
fn confirm(mut enrollment: Enrollment) -> Result<ExitCode> {
    let tries = if io::stdin().is_terminal() {
        TRIES_AT_A_TERMINAL
    } else {
        1
    };
    for left in (0..tries).rev() {
        let code = read_stdin_line("code shown by the app: ")?;
        if code.is_empty() {
            bail!("no code on standard input: type the code the app shows for the new key");
        }
        match enrollment.confirm(&code, now()?) {
            Ok(confirmed) => {
                writeln!(
                    io::stdout().lock(),
                    "confirmed: store the credential with last step {} (clock offset {})",
                    confirmed.step,
                    confirmed.offset
                )?;
                return Ok(ExitCode::Success);
            }
            Err(rejected) => match rejected.error() {
                VerifyError::Mismatch if left > 0 => {
                    eprintln!("otpkit: code refused; try again ({left} left)");
                    enrollment = rejected.into_enrollment();
                }
                VerifyError::Mismatch => {
                    eprintln!("otpkit: code refused: the enrolment is not confirmed");
                    return Ok(ExitCode::NoMatch);
                }
                other => {
                    return Err(anyhow!(
                        "the code: {other}: type the code the app shows for the new key"
                    ));
                }
            },
        }
    }
    Ok(ExitCode::NoMatch)
}
