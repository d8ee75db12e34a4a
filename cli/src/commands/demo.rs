//! `otpkit demo`: the seed flow of a 2FA rollout with no input, both sides in one process. A
//! service enrols a user, the user's authenticator reads the key and shows a code, the service
//! confirms it, a later login verifies, and a replayed code and one from outside the window are
//! refused. Logins go through the service-side `Verifier` (policy) and the `State` it keeps.

use std::io::{self, Write};

use anyhow::{Result, anyhow, bail};
use otpkit::{
    Code, KeyUri, Totp,
    enroll::{self, Enrollment},
    verifier::{Outcome, Policy, State, Verifier},
};

use crate::exit_codes::ExitCode;
use crate::output::grouped;
use crate::time::now;

/// The made-up service and account of the demo.
const ISSUER: &str = "Azets Cozone";
const ACCOUNT: &str = "ada.lovelace@example.com";
/// Seconds between showing the code and the user typing it.
const TYPING: u64 = 4;
/// Seconds from enrolment to the later login.
const LATER: u64 = 45;

pub(crate) fn run() -> Result<ExitCode> {
    let mut out = io::stdout().lock();
    let now = now()?;

    title(
        &mut out,
        1,
        "Service: start an enrolment, show the QR code and the key",
    )?;
    let enrollment = Enrollment::start(ISSUER, ACCOUNT, enroll::Options::new())?;
    writeln!(
        out,
        "   {ISSUER} enrols {ACCOUNT}; nothing is active until a code confirms it."
    )?;
    write!(out, "{}", enrollment.qr()?.to_terminal().as_str())?;
    writeln!(
        out,
        "   key: {} ({} bits)",
        grouped(&enrollment.secret().to_base32()).as_str(),
        enrollment.secret().bits()
    )?;

    title(&mut out, 2, "Authenticator: read the key, show the code")?;
    let key = KeyUri::parse(&enrollment.uri())?;
    let app = key.credential().to_totp()?;
    let first = app.generate(now)?;
    writeln!(
        out,
        "   {} ({}): {first}, {} s left",
        key.issuer().unwrap_or("?"),
        key.account(),
        app.seconds_left(now)?
    )?;

    title(&mut out, 3, "Service: confirm the first code")?;
    let confirmed = enrollment
        .confirm(first.as_str(), now + TYPING)
        .map_err(|r| anyhow!("the demo's first code was refused: {r}"))?;
    writeln!(
        out,
        "   {first} accepted (clock offset {}): two-factor login is on; stored step {}",
        confirmed.offset, confirmed.step
    )?;
    // The service stores the credential and the state its login check keeps beside it; the
    // confirmed step counts as used, so the confirming code cannot log in again.
    let service = Verifier::new(&confirmed.credential, Policy::default())?;
    let mut state = State::for_confirmed(&confirmed);

    title(
        &mut out,
        4,
        &format!("Later login, {LATER} s on: the new code verifies"),
    )?;
    let later = now + LATER;
    let code = app.generate(later)?;
    match service.check(&state, code.as_str(), later) {
        (Outcome::Accepted(m), next) => {
            state = next;
            writeln!(
                out,
                "   {code} accepted (offset {}); stored step {}",
                m.offset, m.step
            )?;
        }
        (other, _) => bail!("the demo's login was refused: {other}"),
    }

    title(&mut out, 5, "Replay: the same code again is refused")?;
    let replay_time = later + TYPING;
    refused(
        &mut out,
        (&service, &mut state),
        (&code, ""),
        replay_time,
        Outcome::AlreadyUsed,
    )?;

    title(&mut out, 6, "A code from outside the window is refused")?;
    let (old, then) = outside_window(&app, replay_time)?;
    let what = format!(
        ", the code of {} minutes earlier,",
        (replay_time - then) / 60
    );
    refused(
        &mut out,
        (&service, &mut state),
        (&old, &what),
        replay_time,
        Outcome::WrongCode,
    )?;
    Ok(ExitCode::Success)
}

fn title(out: &mut impl Write, n: u32, text: &str) -> io::Result<()> {
    writeln!(out, "{n}. {text}")
}

/// Checks `code` as the service would and fails the demo unless it is refused with
/// `expected`. `what` follows the code in the line printed.
fn refused(
    out: &mut impl Write,
    (service, state): (&Verifier, &mut State),
    (code, what): (&Code, &str),
    time: u64,
    expected: Outcome,
) -> Result<()> {
    let (outcome, next) = service.check(state, code.as_str(), time);
    *state = next;
    if outcome != expected {
        bail!("the demo expected {code} to be refused ({expected}), got {outcome}");
    }
    writeln!(out, "   {code}{what} refused: {outcome}")?;
    Ok(())
}

/// A code (and its time) from five minutes or more before `time` that no code of the default
/// window at `time` shares, so that it is refused as out of the window rather than by chance
/// accepted.
fn outside_window(app: &Totp, time: u64) -> Result<(Code, u64)> {
    let near: Vec<Code> = [time.saturating_sub(30), time, time.saturating_add(30)]
        .iter()
        .map(|&t| app.generate(t))
        .collect::<Result<_, _>>()?;
    for minutes in 5..60 {
        let then = time.saturating_sub(minutes * 60);
        let code = app.generate(then)?;
        if !near.contains(&code) {
            return Ok((code, then));
        }
    }
    bail!("no code outside the window differs from every code inside it")
}
