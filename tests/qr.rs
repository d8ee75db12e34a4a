//! QR codes decode back to the URI they were made from: the SVG (and its `data:` URI) through
//! an independent SVG rasteriser (resvg), the PNG through the `png` crate's decoder, the terminal text through a small terminal emulator on a dark and on a
//! light theme, both read by an independent QR decoder (rqrr) that has to find the code in
//! the picture, quiet zone and all.
#![cfg(feature = "qr")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
// Pixel sizes and grey levels are small and positive.
#![allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]

use otpkit::qr::{self, QrCode};
use proptest::prelude::*;

const URIS: &[&str] = &[
    "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
    "otpauth://hotp/ACME%20Co:john.doe%40email.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME%20Co&counter=7",
    "otpauth://totp/Big%20Bank:%C3%A9lodie?secret=KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TFOQ&issuer=Big%20Bank&algorithm=SHA512&digits=8&period=60",
    // A long one: a 512-bit secret and an image parameter, about 300 bytes (version 13).
    "otpauth://totp/Very%20Long%20Issuer%20Name%20Incorporated:someone.with.a.long.address@subdomain.example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Very%20Long%20Issuer%20Name%20Incorporated&algorithm=SHA512&image=https%3A%2F%2Fexample.org%2Flogo.png",
    // Any text, not only URIs, and raw UTF-8.
    "Grüße, 東京",
];

/// Reads the one QR code in a greyscale picture, as a camera app would.
fn scan(width: usize, height: usize, grey: impl FnMut(usize, usize) -> u8) -> String {
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(width, height, grey);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "exactly one QR code in the picture");
    grids[0].decode().expect("the code decodes").1
}

/// Rasterises an SVG with resvg onto a dark grey page (so the SVG must bring its own white
/// background and quiet zone) and returns the greyscale pixels.
fn rasterise_svg(svg: &str, scale: f32) -> (usize, usize, Vec<u8>) {
    let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default()).unwrap();
    let size = tree.size();
    let (w, h) = (
        (size.width() * scale).ceil() as u32,
        (size.height() * scale).ceil() as u32,
    );
    // A margin of page around the image.
    let margin = 20;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w + 2 * margin, h + 2 * margin).unwrap();
    pixmap.fill(resvg::tiny_skia::Color::from_rgba8(40, 40, 40, 255));
    let transform = resvg::tiny_skia::Transform::from_scale(scale, scale)
        .post_translate(margin as f32, margin as f32);
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    let grey = pixmap
        .pixels()
        .iter()
        .map(|p| {
            let c = p.demultiply();
            ((u16::from(c.red()) + u16::from(c.green()) + u16::from(c.blue())) / 3) as u8
        })
        .collect();
    (pixmap.width() as usize, pixmap.height() as usize, grey)
}

#[test]
fn svg_rasterised_by_resvg_decodes_to_the_uri() {
    for uri in URIS {
        let svg = QrCode::new(uri).unwrap().to_svg();
        // At its own size (8 px a module) and shrunk to 3 px a module.
        for scale in [1.0, 0.375] {
            let (w, h, grey) = rasterise_svg(&svg, scale);
            assert_eq!(scan(w, h, |x, y| grey[y * w + x]), *uri, "scale {scale}");
        }
    }
}

#[test]
fn svg_draws_exactly_the_dark_modules() {
    let qr = QrCode::new(URIS[0]).unwrap();
    let (w, h, grey) = rasterise_svg(&qr.to_svg(), 1.0);
    let side = qr.width() + 2 * QrCode::QUIET_ZONE;
    assert_eq!((w, h), (side * 8 + 40, side * 8 + 40));
    for my in 0..side {
        for mx in 0..side {
            // The centre pixel of every module, quiet zone included.
            let (px, py) = (20 + mx * 8 + 4, 20 + my * 8 + 4);
            let dark = mx >= 4 && my >= 4 && qr.is_dark(mx - 4, my - 4);
            assert_eq!(
                grey[py * w + px],
                if dark { 0 } else { 255 },
                "({mx}, {my})"
            );
        }
    }
}

#[test]
fn svg_data_uri_is_the_svg_in_base64_and_scans() {
    for uri in URIS {
        let qr = QrCode::new(uri).unwrap();
        let src = qr.to_svg_data_uri();
        let b64 = src
            .strip_prefix("data:image/svg+xml;base64,")
            .expect("the data: prefix");
        // Standard, padded base64: what browsers accept in a data: URI.
        assert!(
            b64.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
        );
        let base64 = &data_encoding::BASE64;
        let mut svg = vec![0; base64.decode_len(b64.len()).unwrap()];
        let len = base64.decode_mut(b64.as_bytes(), &mut svg).unwrap();
        svg.truncate(len);
        let svg = String::from_utf8(svg).unwrap();
        assert_eq!(svg, *qr.to_svg());
        let (w, h, grey) = rasterise_svg(&svg, 0.5);
        assert_eq!(scan(w, h, |x, y| grey[y * w + x]), *uri);
    }
}

/// Decodes a PNG with the `png` crate into 8-bit greyscale pixels.
#[cfg(feature = "png")]
fn decode_png(bytes: &[u8]) -> (usize, usize, Vec<u8>) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    // Expand the 1-bit samples to 8 bits (0 or 255).
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    buf.truncate(info.buffer_size());
    (info.width as usize, info.height as usize, buf)
}

#[cfg(feature = "png")]
#[test]
fn png_decodes_to_the_uri_with_its_quiet_zone() {
    for uri in URIS {
        let qr = QrCode::new(uri).unwrap();
        let png = qr.to_png().unwrap();
        let (w, h, grey) = decode_png(&png);
        let side = (qr.width() + 2 * QrCode::QUIET_ZONE) * QrCode::PNG_MODULE_PX;
        assert_eq!((w, h), (side, side));
        // Every pixel is the module it belongs to: the quiet zone white, the code exact.
        let px = QrCode::PNG_MODULE_PX;
        for y in 0..h {
            for x in 0..w {
                let (mx, my) = (x / px, y / px);
                let dark = mx >= 4 && my >= 4 && qr.is_dark(mx - 4, my - 4);
                assert_eq!(grey[y * w + x], if dark { 0 } else { 255 }, "({x}, {y})");
            }
        }
        // And a scanner finds it on a dark page, which the quiet zone makes possible.
        let margin = 16;
        let page = w + 2 * margin;
        let read = scan(page, page, |x, y| {
            match (x.checked_sub(margin), y.checked_sub(margin)) {
                (Some(x), Some(y)) if x < w && y < h => grey[y * w + x],
                _ => 40,
            }
        });
        assert_eq!(read, *uri);
        // One bit a pixel: small, even for the largest code here.
        assert!(png.len() < 8 * 1024, "{} bytes", png.len());
    }
}

/// A terminal theme: the colours of text and background when a program sets none.
#[derive(Clone, Copy, Debug)]
struct Theme {
    fg: u8,
    bg: u8,
}

const DARK_THEME: Theme = Theme { fg: 220, bg: 25 };
const LIGHT_THEME: Theme = Theme { fg: 30, bg: 245 };

/// The grey level of a 256-colour palette entry: only the two the renderer uses.
fn palette(index: u8) -> u8 {
    match index {
        16 => 0,
        231 => 255,
        other => panic!("unexpected palette colour {other}"),
    }
}

/// Emulates a terminal showing `text`: interprets SGR escapes (`38;5;N`, `48;5;N`, `0`) and the
/// four half-block characters, and returns one row of grey levels per *half* character cell,
/// with a margin of theme background around it (the rest of the terminal window).
fn emulate(text: &str, theme: Theme) -> Vec<Vec<u8>> {
    let margin = 3;
    let mut cells: Vec<Vec<(u8, u8)>> = Vec::new();
    for line in text.lines() {
        let (mut fg, mut bg) = (theme.fg, theme.bg);
        let mut row = Vec::new();
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                assert_eq!(chars.next(), Some('['));
                let params: String = chars.by_ref().take_while(|&c| c != 'm').collect();
                let nums: Vec<u8> = params.split(';').map(|n| n.parse().unwrap()).collect();
                let mut i = 0;
                while i < nums.len() {
                    match nums[i] {
                        0 => (fg, bg) = (theme.fg, theme.bg),
                        38 if nums[i + 1] == 5 => {
                            fg = palette(nums[i + 2]);
                            i += 2;
                        }
                        48 if nums[i + 1] == 5 => {
                            bg = palette(nums[i + 2]);
                            i += 2;
                        }
                        other => panic!("unexpected SGR parameter {other}"),
                    }
                    i += 1;
                }
                continue;
            }
            row.push(match c {
                '█' => (fg, fg),
                '▀' => (fg, bg),
                '▄' => (bg, fg),
                ' ' => (bg, bg),
                other => panic!("unexpected character {other:?}"),
            });
        }
        cells.push(row);
    }
    let cols = cells.iter().map(Vec::len).max().unwrap() + 2 * margin;
    let mut halves = vec![vec![theme.bg; cols]; 2 * margin];
    for row in cells {
        let mut top = vec![theme.bg; cols];
        let mut bottom = vec![theme.bg; cols];
        for (i, (t, b)) in row.into_iter().enumerate() {
            top[margin + i] = t;
            bottom[margin + i] = b;
        }
        halves.push(top);
        halves.push(bottom);
    }
    halves.extend(vec![vec![theme.bg; cols]; 2 * margin]);
    halves
}

#[test]
fn terminal_text_reads_on_dark_and_light_terminals() {
    for uri in URIS {
        let text = QrCode::new(uri).unwrap().to_terminal();
        for theme in [DARK_THEME, LIGHT_THEME] {
            let halves = emulate(&text, theme);
            // A half cell is about square: draw each as 4x4 pixels.
            let (w, h) = (halves[0].len() * 4, halves.len() * 4);
            let decoded = scan(w, h, |x, y| halves[y / 4][x / 4]);
            assert_eq!(decoded, *uri, "{theme:?}");
        }
    }
}

/// Parses the half-block text back into modules (true = dark), quiet zone included, checking
/// the exact shape of every line on the way.
fn parse_terminal(text: &str) -> Vec<Vec<bool>> {
    assert!(text.ends_with("\x1b[0m\n"));
    let mut rows = Vec::new();
    for line in text.split_terminator('\n') {
        let body = line
            .strip_prefix("\x1b[38;5;16;48;5;231m")
            .and_then(|l| l.strip_suffix("\x1b[0m"))
            .expect("every line sets and resets its colours");
        let (mut top, mut bottom) = (Vec::new(), Vec::new());
        for c in body.chars() {
            let (t, b) = match c {
                '█' => (true, true),
                '▀' => (true, false),
                '▄' => (false, true),
                ' ' => (false, false),
                other => panic!("unexpected character {other:?}"),
            };
            top.push(t);
            bottom.push(b);
        }
        rows.push(top);
        rows.push(bottom);
    }
    rows
}

#[test]
fn terminal_text_is_the_module_grid_two_rows_a_line() {
    for uri in URIS {
        let qr = QrCode::new(uri).unwrap();
        let rows = parse_terminal(&qr.to_terminal());
        let side = qr.width() + 2 * QrCode::QUIET_ZONE;
        // An odd side: the last line's lower half is one more light row.
        assert_eq!(side % 2, 1);
        assert_eq!(rows.len(), side + 1);
        assert!(rows[side].iter().all(|&dark| !dark));
        for (y, row) in rows.iter().take(side).enumerate() {
            assert_eq!(row.len(), side);
            for (x, &dark) in row.iter().enumerate() {
                let inside = (4..4 + qr.width()).contains(&x) && (4..4 + qr.width()).contains(&y);
                assert_eq!(dark, inside && qr.is_dark(x - 4, y - 4), "({x}, {y})");
            }
        }
        // And the grid, without the quiet zone, is a code rqrr reads.
        let grid = rqrr::SimpleGrid::from_func(qr.width(), |x, y| rows[y + 4][x + 4]);
        assert_eq!(rqrr::Grid::new(grid).decode().unwrap().1, *uri);
    }
}

#[test]
fn sizes_follow_the_qr_capacity_tables() {
    // Byte-mode capacity at level M (ISO/IEC 18004 table 7): version 1 holds 14 bytes,
    // version 2 holds 26, version 40 holds 2331.
    let lower = |n: usize| "a".repeat(n);
    assert_eq!(QrCode::new(&lower(14)).unwrap().width(), 21);
    assert_eq!(QrCode::new(&lower(15)).unwrap().width(), 25);
    assert_eq!(QrCode::new(&lower(26)).unwrap().width(), 25);
    assert_eq!(QrCode::new(&lower(2331)).unwrap().width(), 177);
    assert_eq!(
        QrCode::new(&lower(2332)).err(),
        Some(qr::Error::DataTooLong { len: 2332 })
    );
    assert_eq!(
        QrCode::new(&lower(100_000)).err(),
        Some(qr::Error::DataTooLong { len: 100_000 })
    );
    assert_eq!(
        qr::Error::DataTooLong { len: 2332 }.to_string(),
        "data too long for a qr code: 2332 bytes"
    );
    assert_eq!(qr::Error::Encoder.to_string(), "qr encoder failed");
}

#[test]
fn modules_outside_the_code_are_light() {
    let qr = QrCode::new("hello").unwrap();
    assert!(qr.is_dark(20, 0) && !qr.is_dark(21, 0) && !qr.is_dark(0, 21));
    assert!(!qr.is_dark(usize::MAX, usize::MAX));
    assert_eq!(format!("{qr:?}"), "QrCode { width: 21, .. }");
}

#[test]
fn empty_text_is_a_code_too() {
    let qr = QrCode::new("").unwrap();
    assert_eq!(qr.width(), 21);
    let rows = parse_terminal(&qr.to_terminal());
    let grid = rqrr::SimpleGrid::from_func(21, |x, y| rows[y + 4][x + 4]);
    assert_eq!(rqrr::Grid::new(grid).decode().unwrap().1, "");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_text_round_trips_through_the_terminal_grid(text in "\\PC{0,200}") {
        let qr = QrCode::new(&text).unwrap();
        let rows = parse_terminal(&qr.to_terminal());
        let grid = rqrr::SimpleGrid::from_func(qr.width(), |x, y| rows[y + 4][x + 4]);
        prop_assert_eq!(rqrr::Grid::new(grid).decode().unwrap().1, text);
    }
}
