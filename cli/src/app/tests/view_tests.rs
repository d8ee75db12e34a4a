//! The screen at fixed times with the RFC 6238 keys, drawn into ratatui's `TestBackend`:
//! snapshots (`snapshots/*.snap`) of the list, the last five seconds (a 60 s account beside
//! 30 s ones), the search, the add form, 40 columns, the lock screen; and the colours in
//! 24-bit, 16 and none.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};

use super::super::state::App;
use super::super::theme::{Colors, nearest16};
use super::super::view::render;
use super::{PASSWORD, fixture, press, type_text, unlocked};

/// 1111111090: 20 s left in the 30 s step, 50 s in the 60 s one.
const MID: u64 = 1_111_111_090;
/// RFC 6238's 1111111109: 1 s left in the 30 s step (next codes shown), 31 s in the 60 s one.
const END: u64 = 1_111_111_109;

fn draw(app: &App, now: u64, colors: Colors, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| render(app, now, colors, f)).unwrap();
    t
}

/// The screen as text, with the scratch folder's path (it changes every run) replaced.
fn screen(app: &App, now: u64, w: u16, h: u16) -> String {
    let t = draw(app, now, Colors::True, w, h);
    t.backend().to_string()
}

#[test]
fn list() {
    let f = unlocked(MID);
    insta::assert_snapshot!(screen(&f.app, MID, 80, 8));
}

#[test]
fn last_five_seconds_with_a_60_s_account_beside_30_s_ones() {
    let mut f = unlocked(END);
    press(&mut f.app, KeyCode::Down, END);
    insta::assert_snapshot!(screen(&f.app, END, 80, 8));
}

#[test]
fn forty_columns() {
    let f = unlocked(END);
    let text = screen(&f.app, END, 40, 8);
    // Every code is whole at 40 columns, and so is the next one.
    assert!(text.contains("0708 1804"), "{text}");
    assert!(text.contains("5091 201"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn search() {
    let mut f = unlocked(MID);
    press(&mut f.app, KeyCode::Char('/'), MID);
    type_text(&mut f.app, "ba", MID);
    insta::assert_snapshot!(screen(&f.app, MID, 60, 6));
}

#[test]
fn add_form_shows_the_first_code() {
    let mut f = unlocked(MID);
    press(&mut f.app, KeyCode::Char('a'), MID);
    f.app.on_paste("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", MID);
    press(&mut f.app, KeyCode::Tab, MID);
    press(&mut f.app, KeyCode::Tab, MID);
    type_text(&mut f.app, "Forge", MID);
    press(&mut f.app, KeyCode::Tab, MID);
    type_text(&mut f.app, "erin", MID);
    press(&mut f.app, KeyCode::Tab, MID);
    press(&mut f.app, KeyCode::Right, MID);
    let text = screen(&f.app, MID, 60, 16);
    // The RFC key's code at 1111111090, six digits: 081804, with 20 s left.
    assert!(text.contains("First code 081 804  (20 s left)"), "{text}");
    assert!(
        !text.contains("GEZDGNBVGY3TQOJQ"),
        "the key is not shown whole"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn lock_screen_hides_the_password() {
    let mut f = fixture(MID);
    type_text(&mut f.app, "secret", MID);
    // The scratch folder's name changes every run; the screen shows whatever path it is given.
    f.app.path = "/home/you/.local/share/otpkit/vault.otpkit".into();
    let text = screen(&f.app, MID, 60, 7);
    assert!(
        text.contains("••••••") && !text.contains("secret"),
        "{text}"
    );
    // The password typed so far is what was typed.
    assert_ne!(*f.app.password, PASSWORD);
    insta::assert_snapshot!(text);
}

#[test]
fn colours_in_24_bit_16_and_none() {
    let f = unlocked(MID);
    // Row 1 (y = 1) is Example (red #E53935), selected; its swatch is at x = 1.
    let swatch = |c: Colors| draw(&f.app, MID, c, 80, 8).backend().buffer()[(1, 1)].clone();
    assert_eq!(swatch(Colors::True).fg, Color::Rgb(0xE5, 0x39, 0x35));
    assert_eq!(swatch(Colors::Ansi16).fg, Color::Red);
    // Blue #1E88E5 is nearest xterm's cyan (0, 205, 205); muted green #43A047 stays green
    // (by distance alone it would be grey), and grey #757575 is grey.
    assert_eq!(nearest16([0x1E, 0x88, 0xE5]), Color::Cyan);
    assert_eq!(nearest16([0x43, 0xA0, 0x47]), Color::Green);
    assert_eq!(nearest16([0x75, 0x75, 0x75]), Color::DarkGray);
    let none = draw(&f.app, MID, Colors::None, 80, 8);
    let buf = none.backend().buffer();
    for cell in buf.content() {
        assert!(
            matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
            "no colour at all under NO_COLOR"
        );
    }
    // The selection still reads, by reversal.
    assert!(buf[(10, 1)].modifier.contains(Modifier::REVERSED));
    assert!(!buf[(10, 2)].modifier.contains(Modifier::REVERSED));
}

/// A colour as the screenshots draw it (xterm's palette; `Reset` is the theme's default).
fn hex(c: Color, default: &str) -> String {
    let rgb = match c {
        Color::Rgb(r, g, b) => [r, g, b],
        Color::Red => [205, 49, 49],
        Color::Green => [13, 188, 121],
        Color::Yellow => [229, 229, 16],
        Color::Blue => [36, 114, 200],
        Color::Magenta => [188, 63, 188],
        Color::Cyan => [17, 168, 205],
        Color::Gray => [204, 204, 204],
        Color::DarkGray => [118, 118, 118],
        Color::White => [255, 255, 255],
        Color::Black => [0, 0, 0],
        _ => return default.to_owned(),
    };
    format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2])
}

/// The screen as an SVG picture: one monospace text run per cell of the same style.
fn to_svg(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    let (cw, ch) = (8.5_f32, 18.0_f32);
    let (fg0, bg0) = ("#d4d4d4", "#1e1e1e");
    let area = buf.area;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" \
         font-family=\"DejaVu Sans Mono\" font-size=\"14\">\
         <rect width=\"100%\" height=\"100%\" fill=\"{bg0}\"/>",
        f32::from(area.width) * cw + 16.0,
        f32::from(area.height) * ch + 16.0
    );
    for y in 0..area.height {
        for x in 0..area.width {
            let cell = &buf[(x, y)];
            let (mut fg, mut bg) = (hex(cell.fg, fg0), hex(cell.bg, bg0));
            if cell.modifier.contains(Modifier::REVERSED) {
                core::mem::swap(&mut fg, &mut bg);
            }
            let (px, py) = (8.0 + f32::from(x) * cw, 8.0 + f32::from(y) * ch);
            if bg != bg0 {
                out.push_str(&format!(
                    "<rect x=\"{px}\" y=\"{py}\" width=\"{cw}\" height=\"{ch}\" fill=\"{bg}\"/>"
                ));
            }
            let sym = cell.symbol();
            if sym.trim().is_empty() {
                continue;
            }
            let sym = sym
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            let weight = if cell.modifier.contains(Modifier::BOLD) {
                " font-weight=\"bold\""
            } else {
                ""
            };
            out.push_str(&format!(
                "<text x=\"{px}\" y=\"{}\" fill=\"{fg}\"{weight}>{sym}</text>",
                py + 13.5
            ));
        }
    }
    out.push_str("</svg>\n");
    out
}

/// The README's pictures: `scripts/app-screenshots.sh` runs this and turns the SVG files it
/// writes into `docs/app-*.png`.
#[test]
#[ignore = "writes the README's screenshots; run by scripts/app-screenshots.sh"]
fn screenshots() {
    let dir = std::path::PathBuf::from(std::env::var("OTPKIT_SCREENSHOT_DIR").unwrap());
    let mut f = unlocked(END);
    press(&mut f.app, KeyCode::Down, END);
    let t = draw(&f.app, END, Colors::True, 72, 7);
    std::fs::write(dir.join("app-list.svg"), to_svg(&t)).unwrap();
    press(&mut f.app, KeyCode::Char('a'), MID);
    f.app.on_paste("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", MID);
    press(&mut f.app, KeyCode::Tab, MID);
    press(&mut f.app, KeyCode::Tab, MID);
    type_text(&mut f.app, "Forge", MID);
    press(&mut f.app, KeyCode::Tab, MID);
    type_text(&mut f.app, "erin", MID);
    press(&mut f.app, KeyCode::Tab, MID);
    for _ in 0..4 {
        press(&mut f.app, KeyCode::Right, MID);
    }
    let t = draw(&f.app, MID, Colors::True, 60, 15);
    std::fs::write(dir.join("app-add.svg"), to_svg(&t)).unwrap();
}

#[test]
fn every_screen_draws_at_every_size_without_panicking() {
    let mut f = unlocked(END);
    let sizes = [1u16, 2, 3, 5, 10, 20, 39, 40, 41, 80, 200];
    let check = |app: &App| {
        for &w in &sizes {
            for &h in &[1u16, 2, 3, 5, 24] {
                for colors in [Colors::True, Colors::Ansi16, Colors::None] {
                    let _ = draw(app, END, colors, w, h);
                }
            }
        }
    };
    check(&f.app);
    press(&mut f.app, KeyCode::Char('/'), END);
    type_text(&mut f.app, "zz", END);
    check(&f.app);
    press(&mut f.app, KeyCode::Esc, END);
    press(&mut f.app, KeyCode::Char('d'), END);
    check(&f.app);
    press(&mut f.app, KeyCode::Char('n'), END);
    press(&mut f.app, KeyCode::Char('?'), END);
    check(&f.app);
    press(&mut f.app, KeyCode::Esc, END);
    press(&mut f.app, KeyCode::Char('a'), END);
    f.app
        .on_paste("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=60", END);
    check(&f.app);
    f.app.lock();
    check(&f.app);
}

#[test]
fn names_from_the_vault_reach_the_screen_escaped() {
    use otpkit::{Credential, Secret};
    let evil = super::super::vault_io::Details {
        issuer: "Evil\u{1b}]52;c;aGk=\u{7}".to_owned(),
        name: "x\u{1b}[2Jy".to_owned(),
        color: None,
    };
    let cred = Credential::steam(Secret::from_bytes(b"12345678901234567890").unwrap());
    let mut f = super::fixture_with(END, vec![(cred, evil)]);
    type_text(&mut f.app, PASSWORD, END);
    press(&mut f.app, KeyCode::Enter, END);
    let t = draw(&f.app, END, Colors::True, 80, 5);
    let text = t.backend().to_string();
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text}"
    );
    assert!(text.contains("Evil"), "{text}");
}
