//! The QR-file path of the add form: a QR drawn by the library's own renderer (its PNG, and its
//! SVG rasterised by resvg as a browser would draw it, saved as PNG and as JPEG) is read back,
//! and the form fills itself from it.

use std::io::Cursor;

use otpkit::qr::QrCode;
use ratatui::crossterm::event::KeyCode;

use super::super::form::Field;
use super::super::qr;
use super::super::state::Mode;
use super::{on_disk, press, type_text, unlocked};

const URI: &str = "otpauth://totp/Forge:erin%40forge.test?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
                   &issuer=Forge&digits=8";

/// The library's SVG, rasterised on a white page at 4 px per SVG unit, encoded as `format`.
fn rasterised_svg(format: image::ImageFormat) -> Vec<u8> {
    let svg = QrCode::new(URI).unwrap().to_svg();
    let tree = resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default()).unwrap();
    let size = tree.size();
    // The library's SVG is a whole number of units wide and high.
    let scale = 4;
    let size = size.to_int_size();
    let (w, h) = (size.width() * scale, size.height() * scale);
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h).unwrap();
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(4.0, 4.0),
        &mut pixmap.as_mut(),
    );
    let rgba = image::RgbaImage::from_raw(w, h, pixmap.data().to_vec()).unwrap();
    let rgb = image::DynamicImage::ImageRgba8(rgba).to_rgb8();
    let mut out = Cursor::new(Vec::new());
    rgb.write_to(&mut out, format).unwrap();
    out.into_inner()
}

#[test]
fn reads_the_librarys_own_png() {
    let png = QrCode::new(URI).unwrap().to_png().unwrap();
    assert_eq!(qr::decode(&png).unwrap().as_str(), URI);
}

#[test]
fn reads_a_rasterised_svg_as_png_and_as_jpeg() {
    let png = rasterised_svg(image::ImageFormat::Png);
    assert_eq!(qr::decode(&png).unwrap().as_str(), URI);
    let jpeg = rasterised_svg(image::ImageFormat::Jpeg);
    assert_eq!(&jpeg[..2], [0xFF, 0xD8], "a JPEG file");
    assert_eq!(qr::decode(&jpeg).unwrap().as_str(), URI);
}

#[test]
fn says_what_is_wrong_with_a_bad_file() {
    let err = qr::decode(b"not an image").unwrap_err();
    assert_eq!(
        format!("{err:#}").split(':').next(),
        Some("not a PNG or JPEG image")
    );
    // A picture with no code in it.
    let blank = image::GrayImage::from_pixel(64, 64, image::Luma([255]));
    let mut out = Cursor::new(Vec::new());
    blank.write_to(&mut out, image::ImageFormat::Png).unwrap();
    assert_eq!(
        qr::decode(&out.into_inner()).unwrap_err().to_string(),
        "no QR code found in the image"
    );
    let missing = std::path::Path::new("/nonexistent/qr.png");
    assert!(
        format!("{:#}", qr::read_file(missing).unwrap_err())
            .starts_with("cannot read /nonexistent/qr.png")
    );
}

#[test]
fn the_form_fills_itself_from_a_qr_screenshot_and_saves_it() {
    let mut f = unlocked(1_111_111_109);
    let t = 1_111_111_109;
    let shot = f.path.with_file_name("login-page.png");
    std::fs::write(&shot, rasterised_svg(image::ImageFormat::Png)).unwrap();
    press(&mut f.app, KeyCode::Char('a'), t);
    press(&mut f.app, KeyCode::Tab, t);
    type_text(&mut f.app, &shot.display().to_string(), t);
    press(&mut f.app, KeyCode::Enter, t);
    let Mode::Form(form) = &f.app.mode else {
        panic!("still the form, now filled")
    };
    assert_eq!(form.error, None);
    assert_eq!(
        (form.issuer.as_str(), form.name.as_str()),
        ("Forge", "erin@forge.test")
    );
    assert_eq!(form.digits, 8);
    assert_eq!(form.field, Field::QrFile);
    press(&mut f.app, KeyCode::Tab, t);
    press(&mut f.app, KeyCode::Enter, t);
    assert_eq!(on_disk(&f.path)[4].name, "erin@forge.test");
    // The RFC 6238 SHA-1 key at 1111111109: 07081804.
    assert_eq!(f.app.rows(t)[4].code.as_deref(), Some("0708 1804"));

    // A QR code that holds something else is refused, and says so.
    press(&mut f.app, KeyCode::Char('a'), t);
    let other = f.path.with_file_name("other.png");
    std::fs::write(
        &other,
        QrCode::new("https://example.com")
            .unwrap()
            .to_png()
            .unwrap(),
    )
    .unwrap();
    press(&mut f.app, KeyCode::Tab, t);
    type_text(&mut f.app, &other.display().to_string(), t);
    press(&mut f.app, KeyCode::Enter, t);
    let Mode::Form(form) = &f.app.mode else {
        panic!()
    };
    assert_eq!(
        form.error.as_deref(),
        Some("the QR code holds no otpauth:// URI")
    );
    assert!(form.key.is_empty());
}
