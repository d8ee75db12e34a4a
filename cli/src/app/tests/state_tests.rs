//! Key events on the app state, no terminal: unlock, move, search, copy and clear, add (key,
//! URI), edit, delete, HOTP advance, auto-lock, help and quit.

use otpkit::credential::Kind;
use otpkit::{Algorithm, Totp};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::super::form::Field;
use super::super::state::{Mode, group};
use super::{PASSWORD, fixture, on_disk, press, rfc_secret, type_text, unlocked};

/// RFC 6238 appendix B, T = 1111111109: SHA-1 `07081804`, SHA-256 `68084774`, SHA-512
/// `25091201`.
const T: u64 = 1_111_111_109;

fn library_code(alg: Algorithm, digits: u8, period: u64, t: u64) -> String {
    let secret = rfc_secret(alg);
    let totp = Totp::new(
        alg,
        secret.as_bytes(),
        otpkit::Digits::new(digits).unwrap(),
        period,
    )
    .unwrap();
    totp.generate(t).unwrap().as_str().to_owned()
}

#[test]
fn codes_are_grouped_for_reading() {
    assert_eq!(group("123456"), "123 456");
    assert_eq!(group("1234567"), "1234 567");
    assert_eq!(group("12345678"), "1234 5678");
    assert_eq!(group("2BX7C"), "2BX7C");
}

#[test]
fn a_wrong_password_keeps_it_locked_and_the_right_one_unlocks() {
    let mut f = fixture(T);
    assert!(matches!(f.app.mode, Mode::Locked));
    type_text(&mut f.app, "nope", T);
    press(&mut f.app, KeyCode::Enter, T);
    assert!(!f.app.unlocked());
    assert_eq!(f.app.status.as_deref(), Some("wrong password"));
    assert!(f.app.password.is_empty(), "the typed password is not kept");
    type_text(&mut f.app, PASSWORD, T);
    press(&mut f.app, KeyCode::Backspace, T);
    type_text(&mut f.app, &PASSWORD[PASSWORD.len() - 1..], T);
    press(&mut f.app, KeyCode::Enter, T);
    assert!(f.app.unlocked());
    assert_eq!(f.app.rows(T).len(), 4);
}

#[test]
fn rows_carry_the_rfc_codes_the_own_period_and_the_next_code_at_the_end() {
    let f = unlocked(T);
    let rows = f.app.rows(T);
    assert_eq!(rows[0].code.as_deref(), Some("0708 1804"));
    assert_eq!(rows[0].remaining, Some((1, 30)));
    let next = library_code(Algorithm::Sha1, 8, 30, T + 1);
    assert_eq!(rows[0].next.as_deref(), Some(group(&next).as_str()));
    // The 60 s account: 31 s left, so no next code yet.
    assert_eq!(rows[1].remaining, Some((31, 60)));
    assert_eq!(
        rows[1].code.as_deref(),
        Some(group(&library_code(Algorithm::Sha256, 8, 60, T)).as_str())
    );
    assert_eq!(rows[1].next, None);
    // SHA-512, 7 digits: the last seven of 25091201.
    assert_eq!(rows[2].code.as_deref(), Some("5091 201"));
    // HOTP: no code until advanced.
    assert_eq!((rows[3].code.as_deref(), rows[3].counter), (None, Some(0)));
    // Five seconds before the end the next code shows; six before, not yet.
    assert!(f.app.rows(1_111_111_080 + 25)[0].next.is_some());
    assert!(f.app.rows(1_111_111_080 + 24)[0].next.is_none());
}

#[test]
fn j_k_and_the_arrows_move_within_the_list() {
    let mut f = unlocked(T);
    press(&mut f.app, KeyCode::Char('k'), T);
    assert_eq!(f.app.selected, 0);
    press(&mut f.app, KeyCode::Char('j'), T);
    press(&mut f.app, KeyCode::Down, T);
    assert_eq!(f.app.selected, 2);
    for _ in 0..5 {
        press(&mut f.app, KeyCode::Down, T);
    }
    assert_eq!(f.app.selected, 3);
    press(&mut f.app, KeyCode::Up, T);
    assert_eq!(f.app.selected, 2);
}

#[test]
fn search_filters_issuer_and_name_as_each_key_is_typed() {
    let mut f = unlocked(T);
    press(&mut f.app, KeyCode::Char('j'), T);
    press(&mut f.app, KeyCode::Char('/'), T);
    assert!(matches!(f.app.mode, Mode::Search));
    press(&mut f.app, KeyCode::Char('a'), T);
    // "a": Example:alice, Bank, Mail:carol, Legacy VPN:dave.
    assert_eq!(f.app.visible().len(), 4);
    assert_eq!(f.app.selected, 0);
    press(&mut f.app, KeyCode::Char('R'), T);
    // "aR", case-insensitive: carol.
    let names: Vec<&str> = f.app.visible().iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["carol@mail.test"]);
    press(&mut f.app, KeyCode::Backspace, T);
    press(&mut f.app, KeyCode::Backspace, T);
    type_text(&mut f.app, "vpn", T);
    assert_eq!(f.app.visible()[0].issuer, "Legacy VPN");
    // Enter keeps the filter and goes back to the list keys ('q' would quit now).
    press(&mut f.app, KeyCode::Enter, T);
    assert!(matches!(f.app.mode, Mode::List));
    assert_eq!(f.app.visible().len(), 1);
    press(&mut f.app, KeyCode::Esc, T);
    assert_eq!(f.app.visible().len(), 4);
    // Esc in the search clears it too.
    press(&mut f.app, KeyCode::Char('/'), T);
    type_text(&mut f.app, "zzz", T);
    assert!(f.app.visible().is_empty());
    press(&mut f.app, KeyCode::Esc, T);
    assert!(f.app.query.is_empty() && matches!(f.app.mode, Mode::List));
}

#[test]
fn enter_copies_the_code_and_it_is_cleared_after_20_s_if_still_ours() {
    let mut f = unlocked(T);
    press(&mut f.app, KeyCode::Enter, T);
    assert_eq!(f.board.text().as_deref(), Some("07081804"));
    assert_eq!(
        f.app.status.as_deref(),
        Some("copied to the test clipboard; cleared in 20 s")
    );
    f.app.tick(T + 19);
    assert_eq!(f.board.text().as_deref(), Some("07081804"));
    f.app.tick(T + 20);
    assert_eq!(f.board.text().as_deref(), Some(""));
    assert_eq!(f.app.status.as_deref(), Some("clipboard cleared"));
    assert!(!f.app.clipboard_pending());

    // Something else copied in between is left alone.
    press(&mut f.app, KeyCode::Down, T + 30);
    press(&mut f.app, KeyCode::Enter, T + 30);
    let bank = library_code(Algorithm::Sha256, 8, 60, T + 30);
    assert_eq!(f.board.text(), Some(bank));
    *f.board.0.borrow_mut() = Some("the user's own text".to_owned());
    f.app.tick(T + 50);
    assert_eq!(f.board.text().as_deref(), Some("the user's own text"));
    assert!(!f.app.clipboard_pending());
}

#[test]
fn n_advances_an_hotp_account_and_saves_the_counter() {
    let mut f = unlocked(T);
    for _ in 0..3 {
        press(&mut f.app, KeyCode::Down, T);
    }
    press(&mut f.app, KeyCode::Char('n'), T);
    // RFC 4226 appendix D: counter 0 → 755224, 1 → 287082.
    assert_eq!(f.app.rows(T)[3].code.as_deref(), Some("755 224"));
    assert_eq!(f.app.rows(T)[3].counter, Some(1));
    assert_eq!(on_disk(&f.path)[3].credential.counter(), Some(1));
    // Enter copies the code shown, without advancing.
    press(&mut f.app, KeyCode::Enter, T);
    assert_eq!(f.board.text().as_deref(), Some("755224"));
    assert_eq!(on_disk(&f.path)[3].credential.counter(), Some(1));
    press(&mut f.app, KeyCode::Char('n'), T);
    assert_eq!(f.app.rows(T)[3].code.as_deref(), Some("287 082"));
    assert_eq!(on_disk(&f.path)[3].credential.counter(), Some(2));
    // On a TOTP row, n says why nothing happens.
    press(&mut f.app, KeyCode::Char('g'), T);
    press(&mut f.app, KeyCode::Char('n'), T);
    assert_eq!(
        f.app.status.as_deref(),
        Some("only counter-based (HOTP) accounts advance")
    );
}

#[test]
fn add_a_pasted_key_with_name_issuer_colour_and_the_default_6_digits() {
    let mut f = unlocked(T);
    press(&mut f.app, KeyCode::Char('a'), T);
    // As a login page shows it: grouped, lower case, with hyphens.
    f.app.on_event(
        &Event::Paste("gezd gnbv-gy3t qojq gezd gnbv gy3t qojq\n".to_owned()),
        T,
    );
    let Mode::Form(form) = &f.app.mode else {
        panic!("the add form")
    };
    assert_eq!(form.digits, 6, "6 digits preselected");
    assert_eq!(form.credential().unwrap().period(), Some(30));
    press(&mut f.app, KeyCode::Tab, T); // QR image
    press(&mut f.app, KeyCode::Tab, T); // issuer
    type_text(&mut f.app, "Forge", T);
    press(&mut f.app, KeyCode::Tab, T);
    type_text(&mut f.app, "erin", T);
    press(&mut f.app, KeyCode::Tab, T); // colour
    press(&mut f.app, KeyCode::Right, T);
    press(&mut f.app, KeyCode::Right, T); // orange
    press(&mut f.app, KeyCode::Enter, T);
    assert!(matches!(f.app.mode, Mode::List));
    assert_eq!(f.app.status.as_deref(), Some("added Forge:erin"));
    assert_eq!(f.app.selected, 4, "the new account is selected");
    let saved = &on_disk(&f.path)[4];
    assert_eq!(
        (saved.issuer.as_str(), saved.name.as_str()),
        ("Forge", "erin")
    );
    assert_eq!(saved.color.map(|c| c.0), Some([0xFB, 0x8C, 0x00]));
    assert_eq!(saved.credential.digits().get(), 6);
    // Its code is the library's: the RFC key, last six digits of 07081804.
    assert_eq!(f.app.rows(T)[4].code.as_deref(), Some("081 804"));
}

#[test]
fn a_pasted_uri_fills_the_fields_and_advanced_shows_period_and_algorithm() {
    let mut f = unlocked(T);
    press(&mut f.app, KeyCode::Char('a'), T);
    let uri = "otpauth://totp/Big%20Bank:%C3%A9lodie?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
               &issuer=Big%20Bank&algorithm=SHA256&digits=8&period=60";
    f.app.on_paste(uri, T);
    let Mode::Form(form) = &f.app.mode else {
        panic!("the add form")
    };
    assert_eq!(
        (form.issuer.as_str(), form.name.as_str()),
        ("Big Bank", "élodie")
    );
    assert_eq!((form.digits, form.period.as_str()), (8, "60"));
    assert_eq!(form.algorithm, Algorithm::Sha256);
    assert!(form.advanced && form.fields().contains(&Field::Algorithm));
    press(&mut f.app, KeyCode::Enter, T);
    let saved = &on_disk(&f.path)[4];
    assert_eq!(saved.credential.kind(), Kind::Totp { period: 60, t0: 0 });
    assert_eq!(saved.credential.algorithm(), Algorithm::Sha256);
}

#[test]
fn digits_cycle_6_7_8_and_the_form_refuses_a_bad_key_or_no_name() {
    let mut f = unlocked(T);
    press(&mut f.app, KeyCode::Char('a'), T);
    type_text(&mut f.app, "not base32 at all!", T);
    let Mode::Form(form) = &mut f.app.mode else {
        panic!("the add form")
    };
    form.field = Field::Digits;
    press(&mut f.app, KeyCode::Right, T);
    let Mode::Form(form) = &f.app.mode else {
        panic!()
    };
    assert_eq!(form.digits, 7);
    press(&mut f.app, KeyCode::Right, T);
    press(&mut f.app, KeyCode::Char(' '), T);
    let Mode::Form(form) = &f.app.mode else {
        panic!()
    };
    assert_eq!(form.digits, 6);
    press(&mut f.app, KeyCode::Left, T);
    let Mode::Form(form) = &f.app.mode else {
        panic!()
    };
    assert_eq!(form.digits, 8);
    // No name yet.
    press(&mut f.app, KeyCode::Enter, T);
    let Mode::Form(form) = &mut f.app.mode else {
        panic!()
    };
    assert_eq!(
        form.error.as_deref(),
        Some("give a name (and an issuer) for the account")
    );
    form.name = "x".to_owned();
    press(&mut f.app, KeyCode::Enter, T);
    let Mode::Form(form) = &f.app.mode else {
        panic!()
    };
    assert!(
        form.error
            .as_deref()
            .unwrap()
            .starts_with("the key is not base32"),
        "{:?}",
        form.error
    );
    press(&mut f.app, KeyCode::Esc, T);
    assert!(matches!(f.app.mode, Mode::List));
    assert_eq!(on_disk(&f.path).len(), 4, "nothing saved");
}

#[test]
fn e_edits_issuer_name_and_colour_and_saves() {
    let mut f = unlocked(T);
    press(&mut f.app, KeyCode::Down, T);
    press(&mut f.app, KeyCode::Char('e'), T);
    let Mode::Form(form) = &f.app.mode else {
        panic!("the edit form")
    };
    assert_eq!(form.fields(), [Field::Issuer, Field::Name, Field::Color]);
    assert_eq!(form.color, Some(5), "blue, from the palette");
    press(&mut f.app, KeyCode::Tab, T);
    type_text(&mut f.app, "by", T);
    press(&mut f.app, KeyCode::Tab, T);
    press(&mut f.app, KeyCode::Left, T);
    press(&mut f.app, KeyCode::Enter, T);
    assert_eq!(f.app.status.as_deref(), Some("saved Bank:bobby"));
    let saved = &on_disk(&f.path)[1];
    assert_eq!(saved.name, "bobby");
    assert_eq!(saved.color.map(|c| c.0), Some([0x00, 0x89, 0x7B]), "teal");
    assert!(saved.updated == T && saved.created == 0);
}

#[test]
fn d_deletes_only_after_y() {
    let mut f = unlocked(T);
    press(&mut f.app, KeyCode::Char('d'), T);
    assert!(matches!(f.app.mode, Mode::ConfirmDelete(_)));
    press(&mut f.app, KeyCode::Char('n'), T);
    assert_eq!(f.app.status.as_deref(), Some("nothing deleted"));
    assert_eq!(on_disk(&f.path).len(), 4);
    press(&mut f.app, KeyCode::End, T);
    press(&mut f.app, KeyCode::Char('d'), T);
    press(&mut f.app, KeyCode::Char('y'), T);
    let left: Vec<String> = on_disk(&f.path).iter().map(|a| a.issuer.clone()).collect();
    assert_eq!(left, ["Example", "Bank", "Mail"]);
    assert_eq!(f.app.selected, 2, "the selection stays in the list");
}

#[test]
fn it_locks_after_the_idle_time_and_drops_every_secret() {
    let mut f = unlocked(T);
    press(&mut f.app, KeyCode::End, T);
    press(&mut f.app, KeyCode::Char('n'), T);
    press(&mut f.app, KeyCode::Char('/'), T);
    type_text(&mut f.app, "leg", T);
    f.app.tick(T + 299);
    assert!(f.app.unlocked());
    // A key press is activity: the clock starts again.
    press(&mut f.app, KeyCode::Enter, T + 200);
    f.app.tick(T + 499);
    assert!(f.app.unlocked());
    f.app.tick(T + 500);
    assert!(!f.app.unlocked());
    assert!(matches!(f.app.mode, Mode::Locked));
    assert!(f.app.rows(T + 500).is_empty() && f.app.query.is_empty());
    assert_eq!(
        f.app.status.as_deref(),
        Some("locked after 5 min idle; type the password to unlock")
    );
    // Unlocking again shows the HOTP row without the old code (it was dropped).
    type_text(&mut f.app, PASSWORD, T + 501);
    press(&mut f.app, KeyCode::Enter, T + 501);
    assert_eq!(f.app.rows(T + 501)[3].code, None);
    assert_eq!(f.app.rows(T + 501)[3].counter, Some(1));
}

#[test]
fn help_q_and_ctrl_c() {
    let mut f = unlocked(T);
    press(&mut f.app, KeyCode::Char('?'), T);
    assert!(matches!(f.app.mode, Mode::Help));
    press(&mut f.app, KeyCode::Char('q'), T);
    assert!(
        !f.app.quit && matches!(f.app.mode, Mode::List),
        "a key leaves the help"
    );
    // A key release (Windows sends them) does nothing.
    let mut release = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
    release.kind = KeyEventKind::Release;
    f.app.on_event(&Event::Key(release), T);
    assert!(!f.app.quit);
    press(&mut f.app, KeyCode::Char('q'), T);
    assert!(f.app.quit);
    let mut g = fixture(T);
    g.app
        .on_key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL), T);
    assert!(g.app.quit, "Ctrl-C quits even at the password prompt");
}

#[test]
fn a_typed_qr_path_may_start_with_the_home_folder() {
    use super::super::state::expand_home;
    let home = std::env::var_os("HOME").unwrap();
    assert_eq!(
        expand_home("~/qr.png"),
        std::path::PathBuf::from(home).join("qr.png")
    );
    assert_eq!(
        expand_home("/tmp/qr.png"),
        std::path::Path::new("/tmp/qr.png")
    );
    assert_eq!(
        expand_home("~user/qr.png"),
        std::path::Path::new("~user/qr.png")
    );
}

#[test]
fn steam_codes_show_as_steam_shows_them() {
    use otpkit::Credential;
    let steam = Credential::steam(rfc_secret(Algorithm::Sha1));
    let expected = steam.to_totp().unwrap().generate(T).unwrap();
    let details = super::super::vault_io::Details {
        issuer: "Steam".to_owned(),
        name: "gamer".to_owned(),
        color: None,
    };
    let mut f = super::fixture_with(T, vec![(steam, details)]);
    type_text(&mut f.app, PASSWORD, T);
    press(&mut f.app, KeyCode::Enter, T);
    let row = &f.app.rows(T)[0];
    // Five characters of Steam's alphabet, not split into groups.
    assert_eq!(row.code.as_deref(), Some(expected.as_str()));
    assert_eq!(expected.len(), 5);
    assert!(
        expected
            .as_str()
            .chars()
            .all(|c| "23456789BCDFGHJKMNPQRTVWXY".contains(c))
    );
    assert_eq!(row.remaining, Some((1, 30)));
}

#[test]
fn osc_52_sets_the_terminal_clipboard_and_is_cleared_blind() {
    use super::super::clipboard::{Clipboard, Copier, Osc52, osc52};
    assert_eq!(osc52("081804").as_str(), "\x1b]52;c;MDgxODA0\x07");
    assert_eq!(osc52("").as_str(), "\x1b]52;c;\x07");
    let mut out = Vec::new();
    Osc52(&mut out).set("081804").unwrap();
    assert_eq!(out, b"\x1b]52;c;MDgxODA0\x07");

    /// OSC 52 into a buffer the test reads afterwards.
    struct Shared(std::rc::Rc<core::cell::RefCell<Vec<u8>>>);
    impl std::io::Write for Shared {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let bytes = std::rc::Rc::new(core::cell::RefCell::new(Vec::new()));
    let mut copier = Copier::new(Box::new(Osc52(Shared(bytes.clone()))));
    assert_eq!(copier.copy("081804", T), Ok("terminal clipboard (OSC 52)"));
    assert!(!copier.tick(T + 19));
    // It cannot be read back, so it is cleared when due.
    assert!(copier.tick(T + 20));
    assert_eq!(
        bytes.borrow().as_slice(),
        b"\x1b]52;c;MDgxODA0\x07\x1b]52;c;\x07"
    );
}
