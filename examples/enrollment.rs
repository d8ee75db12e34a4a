//! The seed flow of a 2FA rollout, acting as both sides: the service enrols a user, the user's
//! authenticator app reads the URI and shows codes, the service confirms the first one, and
//! later logins are checked against the stored credential and last accepted step.
//!
//! Run with `cargo run --example enrollment` (add `--features qr` to see the QR code drawn in
//! the terminal, `--features serde` to see the stored record as JSON). It needs no input.

use otpkit::{
    KeyUri, VerifyError, Window,
    enroll::{self, Enrollment},
};

fn main() -> Result<(), Box<dyn core::error::Error>> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs();

    // ── Service: start an enrolment. A fresh 160-bit secret from the OS; nothing is active yet.
    let enrollment = Enrollment::start("ACME Co", "alice@example.com", enroll::Options::new())?;
    let uri = enrollment.uri();
    println!("service: scan this with your authenticator app");
    show_qr(&enrollment)?;
    println!(
        "service: or type this key: {}",
        *enrollment.secret().to_base32()
    );

    // ── Authenticator: read the URI (from the QR code) and show the current code.
    let key = KeyUri::parse(&uri)?;
    let app = key.credential().to_totp()?;
    println!(
        "app: added {} ({}); code {} ({}s left)",
        key.issuer().unwrap_or("?"),
        key.account(),
        app.generate(now)?,
        app.seconds_left(now)?
    );

    // ── Service: the user mistypes the first code. The enrolment comes back to try again.
    let code = app.generate(now)?;
    let window = [app.generate(now - 30)?, code, app.generate(now + 30)?];
    let typo = mistype(code.as_str(), |t| window.iter().any(|c| c.as_str() == t));
    let enrollment = match enrollment.confirm(&typo, now) {
        Ok(_) => return Err("a wrong code was accepted".into()),
        Err(rejected) => {
            println!("service: {typo} refused ({rejected}); please try again");
            rejected.into_enrollment()
        }
    };

    // ── Service: the right code confirms it. Store the credential and the accepted step.
    let confirmed = enrollment
        .confirm(code.as_str(), now)
        .map_err(|r| r.into_error())?;
    println!(
        "service: {code} confirmed at step {} (clock offset {}); 2FA is on",
        confirmed.step, confirmed.offset
    );
    store(&confirmed)?;
    let mut last_step = confirmed.step;
    let totp = confirmed.credential.to_totp()?;

    // ── Later: someone replays the confirming code. It was spent at enrolment.
    match totp.verify_after(code.as_str(), now + 5, Window::default(), last_step) {
        Err(VerifyError::Replayed) => println!("service: replayed {code} refused"),
        other => return Err(format!("replay not refused: {other:?}").into()),
    }

    // ── Next login, a step later: the app shows a new code, the service accepts it once.
    let later = now + 30;
    let next = app.generate(later)?;
    let accepted = totp.verify_after(next.as_str(), later, Window::default(), last_step)?;
    last_step = accepted.step;
    println!("service: login with {next} accepted (step {last_step})");
    assert_eq!(
        totp.verify_after(next.as_str(), later + 1, Window::default(), last_step),
        Err(VerifyError::Replayed)
    );
    println!("service: the same code again is refused");
    Ok(())
}

/// A code with its last digit changed, as a typo, that no step of the window would accept.
fn mistype(code: &str, accepted: impl Fn(&str) -> bool) -> String {
    let stem = &code[..code.len() - 1];
    ('0'..='9')
        .map(|last| format!("{stem}{last}"))
        .find(|typo| !accepted(typo))
        .unwrap_or_default()
}

#[cfg(feature = "qr")]
fn show_qr(enrollment: &Enrollment) -> Result<(), Box<dyn core::error::Error>> {
    print!("{}", *enrollment.qr()?.to_terminal());
    Ok(())
}

#[cfg(not(feature = "qr"))]
fn show_qr(enrollment: &Enrollment) -> Result<(), Box<dyn core::error::Error>> {
    // The URI holds the secret: a real service shows it only to the user enrolling.
    println!("  {}", *enrollment.uri());
    println!("  (run with --features qr to draw it as a QR code)");
    Ok(())
}

#[cfg(feature = "serde")]
fn store(confirmed: &enroll::Confirmed) -> Result<(), Box<dyn core::error::Error>> {
    // Encrypt this at rest: a TOTP secret cannot be hashed.
    println!("service: stored {}", serde_json::to_string(confirmed)?);
    Ok(())
}

#[cfg(not(feature = "serde"))]
fn store(confirmed: &enroll::Confirmed) -> Result<(), Box<dyn core::error::Error>> {
    println!(
        "service: stored the credential ({}-bit secret) and step {}",
        confirmed.credential.secret().bits(),
        confirmed.step
    );
    Ok(())
}
