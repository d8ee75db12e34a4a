//! `otpkit code`: the code for now or `--time`, the ones after it with `--next`, or a live view.

use core::time::Duration;
use std::io::{self, IsTerminal, Write};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, anyhow, bail};
use otpkit::{Totp, credential::Kind};

use crate::cli::CodeArgs;
use crate::exit_codes::ExitCode;
use crate::key;
use crate::output::escape;
use crate::time;

/// Width of the seconds-left bar of `--watch`, in characters.
const BAR_WIDTH: u64 = 30;

pub(crate) fn run(args: &CodeArgs) -> Result<ExitCode> {
    if args.window.is_some() {
        bail!(
            "--window is verify's (N steps either way): for the N codes after this one, use --next N"
        );
    }
    let key = key::read(&args.key)?;
    let credential = key.credential;
    let extra = args.next.unwrap_or(0);
    let mut out = io::stdout().lock();
    if let Kind::Hotp { counter } = credential.kind() {
        if args.time.time.is_some() || args.watch {
            bail!("HOTP codes do not depend on time: drop --time and --watch, or use --counter");
        }
        let hotp = credential.to_hotp()?;
        for c in (0..=extra).map_while(|i| counter.checked_add(i)) {
            writeln!(out, "{}", hotp.generate(c))?;
        }
        return Ok(ExitCode::Success);
    }
    let totp = credential.to_totp()?;
    if args.watch {
        // Which account the code is for, as an authenticator app shows above it.
        if let Some(uri) = &key.uri {
            match uri.issuer() {
                Some(issuer) => {
                    writeln!(out, "{} ({})", escape(issuer), escape(uri.account()))?;
                }
                None => writeln!(out, "{}", escape(uri.account()))?,
            }
        }
        drop(out);
        return watch(&totp);
    }
    let time = time::at(&args.time)?;
    let step = totp
        .step(time)
        .map_err(|_| anyhow!("--time is before --t0: give a later time or an earlier --t0"))?;
    for s in (0..=extra).map_while(|i| step.checked_add(i)) {
        writeln!(out, "{}", totp.generate_at_step(s))?;
    }
    Ok(ExitCode::Success)
}

/// Redraws the current code and a bar of the seconds it has left on one terminal line, once a
/// second, until Ctrl-C, which ends the line and the command with status 0.
fn watch(totp: &Totp) -> Result<ExitCode> {
    let mut out = io::stdout();
    if !out.is_terminal() {
        bail!("--watch needs a terminal to redraw on: run it in one, or drop --watch for one code");
    }
    let (stop, stopped) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop.send(());
    })
    .context("cannot catch Ctrl-C to end --watch")?;
    loop {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .context("the system clock is before 1970: set the clock")?;
        let time = now.as_secs();
        let code = totp
            .generate(time)
            .map_err(|_| anyhow!("now is before --t0: give an earlier --t0"))?;
        let left = totp.seconds_left(time)?;
        // `\r` and "erase line" redraw in place, as an authenticator app's countdown does.
        write!(
            out,
            "\r\x1b[2K{code}  {}  {left:>2}s left",
            bar(left, totp.period())
        )?;
        out.flush()?;
        let to_next_second = Duration::from_secs(1)
            .saturating_sub(Duration::from_nanos(u64::from(now.subsec_nanos())));
        match stopped.recv_timeout(to_next_second) {
            Err(RecvTimeoutError::Timeout) => {}
            Ok(()) | Err(RecvTimeoutError::Disconnected) => {
                writeln!(out)?;
                return Ok(ExitCode::Success);
            }
        }
    }
}

/// `left` of `period` seconds as a bar of [`BAR_WIDTH`] cells, full when the code is new.
fn bar(left: u64, period: u64) -> String {
    let filled = u128::from(left)
        .saturating_mul(u128::from(BAR_WIDTH))
        .div_ceil(u128::from(period.max(1)))
        .min(u128::from(BAR_WIDTH));
    (0..u128::from(BAR_WIDTH))
        .map(|i| if i < filled { '█' } else { '░' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::bar;

    #[test]
    fn bar_shrinks_with_the_seconds_left() {
        assert_eq!(bar(30, 30), "█".repeat(30));
        assert_eq!(bar(15, 30), format!("{}{}", "█".repeat(15), "░".repeat(15)));
        assert_eq!(bar(1, 30), format!("█{}", "░".repeat(29)));
        // A long period still shows something until the last second.
        assert_eq!(bar(1, 3600), format!("█{}", "░".repeat(29)));
    }
}
