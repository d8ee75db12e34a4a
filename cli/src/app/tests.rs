//! Tests of the app without a terminal: the state machine driven by key events, the screen
//! drawn into ratatui's `TestBackend` at fixed times (snapshots in `snapshots/`), and the QR
//! file reader on codes the library itself draws.

mod qr_tests;
mod state_tests;
mod view_tests;

use core::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use otpkit::{Algorithm, Credential, Digits, Secret};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::clipboard::{Clipboard, Copier};
use super::state::App;
use super::vault_io::{self, Details};

/// The vault password of every test vault.
pub(super) const PASSWORD: &str = "test password";

/// A clipboard in memory that tests can look into and write to as "another program".
#[derive(Clone, Default)]
pub(super) struct Board(pub(super) Rc<RefCell<Option<String>>>);

impl Clipboard for Board {
    fn set(&mut self, text: &str) -> Result<(), String> {
        *self.0.borrow_mut() = Some(text.to_owned());
        Ok(())
    }
    fn get(&mut self) -> Option<String> {
        Some(self.0.borrow().clone().unwrap_or_default())
    }
    fn name(&self) -> &'static str {
        "test clipboard"
    }
}

impl Board {
    pub(super) fn text(&self) -> Option<String> {
        self.0.borrow().clone()
    }
}

/// The RFC 6238 appendix B keys: 20, 32 and 64 bytes for SHA-1, SHA-256 and SHA-512.
pub(super) fn rfc_secret(alg: Algorithm) -> Secret {
    let key: &[u8] = match alg {
        Algorithm::Sha256 => b"12345678901234567890123456789012",
        Algorithm::Sha512 => b"1234567890123456789012345678901234567890123456789012345678901234",
        _ => b"12345678901234567890",
    };
    match Secret::from_bytes(key) {
        Ok(s) => s,
        Err(_) => unreachable!("the RFC keys are not empty"),
    }
}

fn totp(alg: Algorithm, digits: u8, period: u64) -> Credential {
    let Ok(d) = Digits::new(digits) else {
        unreachable!("6 to 8 digits")
    };
    match Credential::totp(rfc_secret(alg), alg, d, period) {
        Ok(c) => c,
        Err(_) => unreachable!("a valid period"),
    }
}

fn details(issuer: &str, name: &str, color: Option<[u8; 3]>) -> Details {
    Details {
        issuer: issuer.to_owned(),
        name: name.to_owned(),
        color,
    }
}

/// The four test accounts: SHA-1 8 digits 30 s (red), SHA-256 8 digits 60 s (blue), SHA-512
/// 7 digits 30 s (no colour), and HOTP 6 digits (RFC 4226 key, counter 0; green).
pub(super) fn accounts() -> Vec<(Credential, Details)> {
    let hotp = Credential::hotp(rfc_secret(Algorithm::Sha1), Algorithm::Sha1, Digits::SIX, 0);
    vec![
        (
            totp(Algorithm::Sha1, 8, 30),
            details("Example", "alice@example.com", Some([0xE5, 0x39, 0x35])),
        ),
        (
            totp(Algorithm::Sha256, 8, 60),
            details("Bank", "bob", Some([0x1E, 0x88, 0xE5])),
        ),
        (
            totp(Algorithm::Sha512, 7, 30),
            details("Mail", "carol@mail.test", None),
        ),
        (
            hotp,
            details("Legacy VPN", "dave", Some([0x43, 0xA0, 0x47])),
        ),
    ]
}

/// A scratch folder with a vault of [`accounts`], and an app on it (locked) with a test
/// clipboard, at time `now`.
pub(super) struct Fixture {
    pub(super) _dir: tempfile::TempDir,
    pub(super) path: PathBuf,
    pub(super) app: App,
    pub(super) board: Board,
}

pub(super) fn fixture(now: u64) -> Fixture {
    fixture_with(now, accounts())
}

pub(super) fn fixture_with(now: u64, list: Vec<(Credential, Details)>) -> Fixture {
    let Ok(dir) = tempfile::tempdir() else {
        unreachable!("a scratch folder")
    };
    let path = dir.path().join("vault.otpkit");
    vault_io::test_vault(&path, PASSWORD, list);
    let board = Board::default();
    let app = App::new(path.clone(), 300, Copier::new(Box::new(board.clone())), now);
    Fixture {
        _dir: dir,
        path,
        app,
        board,
    }
}

/// The app unlocked.
pub(super) fn unlocked(now: u64) -> Fixture {
    let mut f = fixture(now);
    type_text(&mut f.app, PASSWORD, now);
    press(&mut f.app, KeyCode::Enter, now);
    assert!(f.app.unlocked(), "{:?}", f.app.status);
    f
}

pub(super) fn press(app: &mut App, code: KeyCode, now: u64) {
    app.on_key(KeyEvent::new(code, KeyModifiers::NONE), now);
}

pub(super) fn type_text(app: &mut App, text: &str, now: u64) {
    for c in text.chars() {
        press(app, KeyCode::Char(c), now);
    }
}

/// The accounts on disk, opened afresh.
pub(super) fn on_disk(path: &Path) -> Vec<vault_io::Account> {
    match vault_io::Session::unlock(path, PASSWORD) {
        Ok(s) => s.accounts().to_vec(),
        Err(e) => unreachable!("the test vault opens: {e:#}"),
    }
}
