//! `otpkit verify`: checks a typed code within a window, as a service would at login.

use std::io::{self, Write};

use anyhow::{Context, Result, anyhow, bail};
use otpkit::{VerifyError, Window, credential::Kind};

use crate::cli::VerifyArgs;
use crate::exit_codes::ExitCode;
use crate::key;
use crate::time;

pub(crate) fn run(args: &VerifyArgs) -> Result<ExitCode> {
    let credential = key::credential(&args.key)?;
    let default = Window::default();
    let result = if let Kind::Hotp { counter } = credential.kind() {
        if args.time.time.is_some() {
            bail!("HOTP codes do not depend on time: drop --time, and give --counter");
        }
        if args.behind.is_some() {
            bail!("HOTP counters only move forward: use --ahead or --window instead of --behind");
        }
        let look_ahead = args.window.or(args.ahead).unwrap_or(default.ahead());
        credential
            .to_hotp()?
            .verify(&args.code, counter, look_ahead)
            .map(|m| m.next_counter().to_string())
    } else {
        let window = match args.window {
            Some(n) => Window::symmetric(n),
            None => Window::new(
                args.behind.unwrap_or(default.behind()),
                args.ahead.unwrap_or(default.ahead()),
            ),
        }
        .context("--window, --behind, --ahead")?;
        let time = time::at(&args.time)?;
        credential
            .to_totp()?
            .verify(&args.code, time, window)
            .map(|m| offset_text(m.offset))
    };
    match result {
        Ok(text) => {
            writeln!(io::stdout().lock(), "{text}")?;
            Ok(ExitCode::Success)
        }
        Err(VerifyError::Mismatch) => {
            eprintln!("otpkit: no code in the window matches");
            Ok(ExitCode::NoMatch)
        }
        Err(VerifyError::Setup(otpkit::Error::LookAheadTooLarge)) => {
            bail!(
                "the window is larger than {} steps: give a smaller one",
                Window::MAX
            )
        }
        Err(VerifyError::Setup(otpkit::Error::TimeBeforeT0)) => {
            bail!("--time is before --t0: give a later time or an earlier --t0")
        }
        // Not as a source: its Display already includes the cause.
        Err(e) => Err(anyhow!("--code: {e}")),
    }
}

/// `0`, or the offset with its sign: `-1`, `+1`.
fn offset_text(offset: i64) -> String {
    if offset == 0 {
        String::from("0")
    } else {
        format!("{offset:+}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn offsets_carry_a_sign_except_zero() {
        assert_eq!(super::offset_text(0), "0");
        assert_eq!(super::offset_text(-1), "-1");
        assert_eq!(super::offset_text(2), "+2");
    }
}
