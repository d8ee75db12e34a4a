//! The authenticator's side with nothing but the core: a base32 secret (as a user types it from
//! the enrolment page) becomes the current code and its countdown, with no allocation.
//!
//! Run with `cargo run --example authenticator [BASE32-SECRET]`; without an argument it uses
//! RFC 4226's test secret.

use otpkit::{Algorithm, Digits, Totp, Window, decode_base32};

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn core::error::Error>> {
    let text = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ".to_owned());
    let mut buf = [0u8; 128];
    let key = decode_base32(&text, &mut buf)?;
    let totp = Totp::new(Algorithm::Sha1, key, Digits::SIX, 30)?;

    let code = totp.generate_now()?;
    let left = totp.seconds_left_now()?;
    println!("code {code}  ({left:>2}s left)");

    // What the service does with it.
    let accepted = totp.verify_now(code.as_str(), Window::default(), None)?;
    println!(
        "service accepts it at step {} (offset {:+})",
        accepted.step, accepted.offset
    );
    let replay = totp.verify_now(code.as_str(), Window::default(), Some(accepted.step));
    println!(
        "the same code again: {}",
        replay.err().map_or("accepted?!".into(), |e| e.to_string())
    );
    Ok(())
}
