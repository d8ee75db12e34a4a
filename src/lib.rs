#![doc = include_str!("../README.md")]
//!
//! # Features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `std` | yes | `*_now()` conveniences that read the system clock; [`Secret::generate_os`] and [`recovery::Codes::generate_os`] (the OS generator, `getrandom`); implies `alloc` |
//! | `alloc` | via `std` | [`Secret`], an owned key that is wiped on drop, and [`Secret::generate`] from any `rand_core` [`CryptoRng`](rand_core::CryptoRng); [`Credential`]; [`KeyUri`] (`otpauth://` URIs); [`secret::Strength`]`::check`; [`enroll::Enrollment`] (with [`enroll::Enrollment::start`] from the OS under `std`); [`recovery::Codes`] |
//! | `migration` | yes | Google Authenticator exports, `otpauth-migration://` ([`migration::import`], [`migration::export`]): the protobuf (`prost`) and base64 stack; implies `alloc` |
//! | `serde` | no | `Serialize`/`Deserialize` for [`Secret`] (base32 text in human-readable formats), [`Credential`], [`credential::Kind`], [`Algorithm`], [`Digits`], [`KeyUri`], [`enroll::Enrollment`], [`enroll::Confirmed`], [`verifier::Policy`], [`verifier::Throttle`], [`verifier::State`] and [`recovery::Codes`] (versioned stored forms); values are re-checked when read |
//! | `qr` | no | [`qr::QrCode`]: a URI as an SVG image (or its `data:` URI for `<img src>`) or as terminal text readable on dark and light themes (`qrcode`); [`enroll::Enrollment::qr`]; implies `std` |
//! | `png` | no | `qr::QrCode::to_png`: the QR code as a PNG file (`png`); implies `qr` |
//! | `wasm-js` | no | for `wasm32-unknown-unknown` in a browser or Node.js: the OS generator through `crypto.getRandomValues` (getrandom's `wasm_js`); implies `std`. That target has no clock: `*_now()` returns an error there |
//!
//! With no features the crate is `#![no_std]` without an allocator and still generates and
//! verifies codes: keys come in as `&[u8]` (or through [`decode_base32`] into a stack buffer),
//! and [`Code`] lives on the stack. CI builds it for `thumbv7em-none-eabihf`.
//!
//! # Coming from totp-rs
//!
//! The same jobs, one line each (`totp-rs` 5/6 on the left). Searching the docs for a totp-rs
//! name finds the otpkit item too. Times are unix seconds (`u64`) or a `SystemTime`; a `u64`
//! past year 5000 is taken for milliseconds and refused ([`Error::TimeInMilliseconds`]).
//!
//! | totp-rs | otpkit |
//! |---|---|
//! | `TOTP::new(Algorithm::SHA1, 6, 1, 30, secret)` | [`Totp::new`]`(Algorithm::Sha1, &secret, Digits::SIX, 30)`; the skew of 1 is [`Window::default`] at verification |
//! | `TOTP::from_url(url)` | [`Totp::from_uri`]`(url)`; [`KeyUri::parse`] keeps the issuer and account; [`KeyUri::from_pasted`] also takes a bare base32 secret |
//! | `TOTP::new_steam(secret, account)` | [`Totp::steam`]`(&key)`, [`Credential::steam`] |
//! | `totp.generate(time)` | [`Totp::generate`]`(time)`, [`Totp::generate_at`]`(system_time)` |
//! | `totp.generate_current()` | [`Totp::generate_now`] |
//! | `totp.check(token, time)` | [`Totp::verify`]`(code, time, window)`, which returns the [`Match`]ed step: store it and call [`Totp::verify_after`] next time, or a code can be used twice |
//! | `totp.check_current(token)` | [`Totp::verify_now`]`(code, window, last_step)` |
//! | `totp.ttl()` | [`Totp::seconds_left_now`] |
//! | `totp.next_step(time)` | `time + totp.seconds_left(time)?` ([`Totp::seconds_left`]) |
//! | `totp.get_url()`, `totp.to_url()` | [`KeyUri::new`]`(credential, Some(issuer), account)?.to_uri()` ([`KeyUri::to_uri`]); extra parameters with [`KeyUri::with_param`] |
//! | `totp.get_qr_base64()` | `qr::QrCode::new(&uri)?.to_svg_data_uri()` (feature `qr`): an SVG `data:` URI, ready for `<img src>` (totp-rs gives bare base64 of a PNG) |
//! | `totp.get_qr_png()` | `qr::QrCode::new(&uri)?.to_png()` (feature `png`) |
//! | `Secret::Encoded(s).to_bytes()` | [`Secret::from_base32`]`(s)?.as_bytes()`, or [`decode_base32`] into a stack buffer without `alloc` |
//! | `Secret::generate_secret()` | [`Secret::generate_os`] (160 bits) |
//! | `secret.to_encoded()`, `totp.get_secret_base32()` | [`Secret::to_base32`] |
//!
//! # Standards implemented
//!
//! - RFC 4226 (HOTP): §5.2 the HMAC of the 8-byte big-endian counter, §5.3 dynamic truncation
//!   and 6 or more digits, §7.2 look-ahead verification ([`Hotp::verify`]), §7.4
//!   resynchronisation from two codes ([`Hotp::resync`]). Appendix D is a test vector file.
//! - RFC 6238 (TOTP): §4 steps from `(time - T0) / period` with SHA-1, SHA-256 and SHA-512,
//!   §5.2 one-step network delay window ([`Window`]) and one accepted use per step
//!   ([`Totp::verify_after`]). Appendix B (all 18 rows) is a test vector file.
//! - Service-side policy ([`verifier::Verifier`]): RFC 4226 §7.3 throttling after consecutive failures,
//!   §7.4 resynchronisation of a stored counter; RFC 6238 §5.2 one use per step, §6 clock drift
//!   followed per user. The [`verifier::Verifier`] docs give an example of each rule.
//! - RFC 2104 (HMAC) through RustCrypto's `hmac`; RFC 4648 §6 base32 through `data-encoding`.
//!
//! # Security notes
//!
//! Read these before putting otpkit in front of a login.
//!
//! - **Secret storage.** A TOTP secret is a password the server must be able to read back:
//!   it cannot be hashed. Keep it encrypted at rest, apart from password hashes. In memory,
//!   [`Secret`] and the keyed [`Hotp`]/[`Totp`] states are wiped on drop and never appear in
//!   `Debug` output or error text; copies you make (a `String` from [`Secret::to_base32`],
//!   buffers you decode into) are yours to wipe.
//! - **Window size.** Every step in the window is one more code an attacker may hit. The
//!   default ±1 step accepts 3 codes out of 10^digits; [`Window::MAX`] caps each side at 100
//!   so one request cannot make the server compute more than 201 HMACs.
//! - **Constant time.** Verification computes and compares every candidate in the window with
//!   `subtle`, selects the match without branching on it, and decides once at the end. Only
//!   the code's length and characters, which the attacker chose, end it early. As `subtle`
//!   itself warns, this is best effort: the compiler is not bound to keep it so. Measure on
//!   your own target if it matters to you.
//! - **Replay.** [`Totp::verify`] alone accepts the same code for the whole window. Store the
//!   returned [`Match::step`] and verify with [`Totp::verify_after`] (RFC 6238 §5.2); HOTP's
//!   stored counter does the same job. Two simultaneous requests must update that state with a
//!   compare-and-swap, or both may pass.
//! - **Secret strength.** [`Secret::generate`] makes 160 bits by default and never fewer than
//!   128 (RFC 4226 §4). Parsing accepts any non-empty key; decide what you trust with
//!   [`secret::Strength`]: [`secret::Strength::ISSUER`] for keys you hand out, [`secret::Strength::LEGACY_VERIFIER`]
//!   (80 bits) only for old keys you must keep accepting.
//! - **Enrolment.** Activate 2FA only through [`enroll::Enrollment::confirm`]: it proves the user's app
//!   holds the key, and its accepted step must be stored so the confirming code is spent.
//!   Keep the pending enrolment server-side; its URI and QR code carry the secret.
//! - **Throttling.** Six digits fall to about a million guesses: a service must limit failed
//!   attempts per account (RFC 4226 §7.3). The core does not keep state, so it cannot;
//!   [`verifier::Verifier`] does, in the [`verifier::State`] you store.
//! - **Failures are opaque.** [`VerifyError::Mismatch`] says nothing about how close a guess
//!   was. [`VerifyError::Replayed`] does say that a code was right but already used: the code
//!   is spent either way, and the distinction helps the user.
//!
#![doc = include_str!("../SECURITY.md")]
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

// `alloc` gives the owned types; `std` the clock. Neither is needed to generate or verify.
#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(any(feature = "std", test))]
extern crate std;

mod algorithm;
mod base32;
#[cfg(feature = "std")]
mod clock;
mod code;
#[cfg(feature = "alloc")]
pub mod credential;
#[cfg(feature = "alloc")]
pub mod enroll;
mod error;
mod hotp;
#[cfg(feature = "migration")]
pub mod migration;
#[cfg(feature = "qr")]
pub mod qr;
#[cfg(feature = "alloc")]
pub mod recovery;
pub mod secret;
#[cfg(feature = "serde")]
mod serialize;
mod totp;
#[cfg(feature = "alloc")]
mod uri;
pub mod verifier;
mod verify;

// The public interface is the core a newcomer needs, here; the rest is in the public modules
// above, each named for its concept (`verifier`, `recovery`, `enroll`, `migration`, `qr`,
// `secret`, `credential`).
pub use crate::algorithm::Algorithm;
pub use crate::base32::{base32_decoded_len, base32_encoded_len, decode_base32, encode_base32};
pub use crate::code::{Code, Digits};
#[cfg(feature = "alloc")]
pub use crate::credential::Credential;
pub use crate::error::{Base32Error, CodeError, Error, VerifyError};
pub use crate::hotp::Hotp;
#[cfg(feature = "alloc")]
pub use crate::secret::Secret;
pub use crate::totp::Totp;
#[cfg(feature = "alloc")]
pub use crate::uri::{KeyUri, UriError};
pub use crate::verify::{Match, Window};
