//! QR codes of a URI (feature `qr`): an SVG image (also as a `data:` URI for `<img src>`),
//! text for a terminal, and with feature `png` a PNG file.
//!
//! The encoding is the `qrcode` crate's; the two renderings are written here from the module
//! matrix, because neither of that crate's renderers sets terminal colours, and because the
//! output holds the secret: each is written into one allocation of the exact size, which is
//! wiped on drop.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::{self, Write};

use qrcode::{Color, EcLevel};
use zeroize::{Zeroize, Zeroizing};

/// A QR code could not be made.
///
/// # Examples
///
/// ```
/// use otpkit::qr::{self, QrCode};
///
/// let too_long = "a".repeat(3000);
/// assert_eq!(QrCode::new(&too_long).err(), Some(qr::Error::DataTooLong { len: 3000 }));
/// assert_eq!(
///     qr::Error::DataTooLong { len: 3000 }.to_string(),
///     "data too long for a qr code: 3000 bytes"
/// );
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Error {
    /// The data does not fit the largest QR code (version 40) at error correction level M,
    /// which holds at most 2331 bytes of arbitrary text.
    DataTooLong {
        /// The length of the data in bytes.
        len: usize,
    },
    /// The encoder refused the data for another reason, or (feature `png`) the PNG encoder
    /// failed. Byte-mode text always encodes and writing a PNG into memory does not fail, so
    /// this is not expected; it exists so that no input can panic.
    Encoder,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DataTooLong { len } => write!(f, "data too long for a qr code: {len} bytes"),
            Self::Encoder => f.write_str("qr encoder failed"),
        }
    }
}

impl core::error::Error for Error {}

/// A QR code of some text (an `otpauth://` URI), ready to draw.
///
/// Error correction is level M (15% of the code may be damaged), the usual choice for codes
/// shown on a screen. Both renderings carry the four-module light border (quiet zone) that the
/// QR standard requires and that scanners use to find the code, and both spell out their
/// colours instead of leaving them to a stylesheet or a terminal theme.
///
/// The URI holds the secret, and so does the code: the module matrix and the rendered strings
/// are wiped on drop. The `qrcode` crate's own working buffers are not wiped (it does not
/// offer that); render codes in a process that is trusted with the secret anyway.
///
/// # Examples
///
/// ```
/// use otpkit::qr::QrCode;
///
/// let qr = QrCode::new("otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example")?;
/// assert_eq!(qr.width(), 37); // 84 bytes: version 5, the smallest that holds them at level M
/// assert!(qr.is_dark(0, 0)); // a finder pattern's corner
/// assert!(qr.to_svg().starts_with("<svg "));
/// println!("{}", *qr.to_terminal());
/// # Ok::<(), otpkit::qr::Error>(())
/// ```
pub struct QrCode {
    width: usize,
    /// `width * width` modules, row by row: 1 dark, 0 light.
    modules: Zeroizing<Vec<u8>>,
}

impl QrCode {
    /// The light border around the code, in modules, as the QR standard (ISO/IEC 18004) asks.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::qr::QrCode;
    ///
    /// let qr = QrCode::new("hello")?;
    /// // 21 modules and the border on both sides: 29 characters a line.
    /// let line = qr.to_terminal().lines().next().unwrap().to_owned();
    /// assert_eq!(line.matches(' ').count(), qr.width() + 2 * QrCode::QUIET_ZONE);
    /// # Ok::<(), otpkit::qr::Error>(())
    /// ```
    pub const QUIET_ZONE: usize = 4;

    /// The side of one module in the SVG's `width`/`height`, in CSS pixels.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::qr::QrCode;
    ///
    /// let qr = QrCode::new("hello")?;
    /// let px = (qr.width() + 2 * QrCode::QUIET_ZONE) * QrCode::SVG_MODULE_PX;
    /// assert!(qr.to_svg().contains(&format!(r#"width="{px}" height="{px}""#)));
    /// # Ok::<(), otpkit::qr::Error>(())
    /// ```
    pub const SVG_MODULE_PX: usize = 8;

    /// The side of one module in [`QrCode::to_png`]'s image, in pixels.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::qr::QrCode;
    ///
    /// // 21 modules and the quiet zone, 8 pixels each: a 232-pixel square.
    /// let side = (21 + 2 * QrCode::QUIET_ZONE) * QrCode::PNG_MODULE_PX;
    /// assert_eq!(side, 232);
    /// ```
    #[cfg(feature = "png")]
    pub const PNG_MODULE_PX: usize = 8;

    /// Encodes text (any `&str`; meant for an `otpauth://` URI) in the smallest QR code that
    /// holds it at error correction level M.
    ///
    /// # Errors
    ///
    /// [`Error::DataTooLong`] for more than fits a version 40 code (2331 bytes of arbitrary
    /// text).
    ///
    /// # Examples
    ///
    /// ```
    /// let qr = otpkit::qr::QrCode::new("otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP")?;
    /// assert_eq!(qr.width(), 29); // version 3: 4 * 3 + 17 modules
    /// # Ok::<(), otpkit::qr::Error>(())
    /// ```
    pub fn new(data: &str) -> Result<Self, Error> {
        let code =
            qrcode::QrCode::with_error_correction_level(data, EcLevel::M).map_err(|e| match e {
                qrcode::types::QrError::DataTooLong => Error::DataTooLong { len: data.len() },
                _ => Error::Encoder,
            })?;
        let width = code.width();
        let mut colors = code.into_colors();
        let modules = Zeroizing::new(
            colors
                .iter()
                .map(|&c| u8::from(c == Color::Dark))
                .collect::<Vec<u8>>(),
        );
        // Best effort for the encoder's copy: `Color` cannot be zeroized from outside its crate.
        colors.fill(Color::Light);
        core::hint::black_box(&colors);
        Ok(Self { width, modules })
    }

    /// The number of modules on a side, without the quiet zone: 21 for version 1, four more
    /// for each version up to 177 for version 40.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::qr::QrCode::new("hello")?.width(), 21);
    /// # Ok::<(), otpkit::qr::Error>(())
    /// ```
    #[must_use]
    pub fn width(&self) -> usize {
        self.width
    }

    /// Whether the module at column `x`, row `y` (from the top left, without the quiet zone)
    /// is dark. Outside the code, in the quiet zone or beyond, every module is light.
    ///
    /// # Examples
    ///
    /// ```
    /// let qr = otpkit::qr::QrCode::new("hello")?;
    /// // The top-left finder pattern: a dark ring, a light ring, a dark 3x3 centre.
    /// assert!(qr.is_dark(0, 0) && !qr.is_dark(1, 1) && qr.is_dark(3, 3));
    /// assert!(!qr.is_dark(21, 0));
    /// # Ok::<(), otpkit::qr::Error>(())
    /// ```
    #[must_use]
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width
            && y < self.width
            && y.checked_mul(self.width)
                .and_then(|row| row.checked_add(x))
                .and_then(|i| self.modules.get(i))
                == Some(&1)
    }

    /// Whether the module at (`x`, `y`) of the code *with* its quiet zone is dark.
    fn is_dark_framed(&self, x: usize, y: usize) -> bool {
        match (
            x.checked_sub(Self::QUIET_ZONE),
            y.checked_sub(Self::QUIET_ZONE),
        ) {
            (Some(x), Some(y)) => self.is_dark(x, y),
            _ => false,
        }
    }

    /// The side of the code with its quiet zone, in modules.
    fn framed_width(&self) -> usize {
        self.width.saturating_add(2 * Self::QUIET_ZONE)
    }

    /// The code as a standalone SVG document: black (`#000000`) modules on a white
    /// (`#ffffff`) square that includes the quiet zone.
    ///
    /// The `viewBox` counts modules; `width` and `height` are [`QrCode::SVG_MODULE_PX`] CSS
    /// pixels per module (override them with CSS to scale it). `shape-rendering="crispEdges"`
    /// keeps module edges sharp. Each run of dark modules in a row is one rectangle of one
    /// path.
    ///
    /// # Examples
    ///
    /// ```
    /// let svg = otpkit::qr::QrCode::new("hello")?.to_svg();
    /// assert!(svg.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="232" height="232" viewBox="0 0 29 29""#));
    /// assert!(svg.ends_with("\"/></svg>\n"));
    /// # Ok::<(), otpkit::qr::Error>(())
    /// ```
    #[must_use]
    pub fn to_svg(&self) -> Zeroizing<String> {
        render(|out| self.write_svg(out))
    }

    /// The SVG of [`QrCode::to_svg`] as a `data:` URI, for an `<img src="…">` or a CSS
    /// `url(…)` without serving a file: `data:image/svg+xml;base64,` and the document in
    /// standard base64 (RFC 4648 §4, padded). Like the SVG, it is wiped on drop.
    ///
    /// # Examples
    ///
    /// ```
    /// let qr = otpkit::qr::QrCode::new("otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP")?;
    /// let src = qr.to_svg_data_uri();
    /// assert!(src.starts_with("data:image/svg+xml;base64,PHN2ZyB4bWxucz0i")); // "<svg xmlns=\""
    /// let html = format!(r#"<img src="{}" alt="QR code">"#, src.as_str());
    /// # assert!(html.len() > src.len());
    /// # Ok::<(), otpkit::qr::Error>(())
    /// ```
    #[doc(alias = "to_qr_base64", alias = "get_qr_base64")]
    #[must_use]
    pub fn to_svg_data_uri(&self) -> Zeroizing<String> {
        const PREFIX: &str = "data:image/svg+xml;base64,";
        let svg = self.to_svg();
        let encoding = &data_encoding::BASE64;
        let len = encoding.encode_len(svg.len());
        // One allocation of the exact size, encoded in place: no copy of the secret is left.
        let mut bytes = Zeroizing::new(alloc::vec![0u8; PREFIX.len().saturating_add(len)]);
        if let Some((head, tail)) = bytes.split_at_mut_checked(PREFIX.len()) {
            head.copy_from_slice(PREFIX.as_bytes());
            encoding.encode_mut(svg.as_bytes(), tail);
        }
        match String::from_utf8(core::mem::take(&mut *bytes)) {
            Ok(text) => Zeroizing::new(text),
            Err(e) => {
                // Base64 and the prefix are ASCII; this does not happen.
                e.into_bytes().zeroize();
                Zeroizing::new(String::new())
            }
        }
    }

    /// The code as a PNG file (feature `png`): black modules on white, the four-module quiet
    /// zone included, [`QrCode::PNG_MODULE_PX`] (8) pixels a module, so a version 5 code
    /// (37 modules) is a 360-pixel square. One bit a pixel, greyscale: a few kilobytes.
    ///
    /// The file is wiped on drop, and so is the pixel buffer it is made from; the `png`
    /// crate's compressor keeps working buffers of its own that are not (as with `qrcode`,
    /// see [`QrCode`]).
    ///
    /// # Errors
    ///
    /// [`Error::Encoder`] if the PNG encoder fails, which writing into memory does not.
    ///
    /// # Examples
    ///
    /// ```
    /// let png = otpkit::qr::QrCode::new("otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP")?.to_png()?;
    /// assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    /// // Width and height, big-endian, in the IHDR chunk: (29 + 8) * 8 = 296 pixels.
    /// assert_eq!(png[16..24], [0, 0, 1, 40, 0, 0, 1, 40]);
    /// # Ok::<(), otpkit::qr::Error>(())
    /// ```
    #[cfg(feature = "png")]
    #[doc(alias = "to_qr_png", alias = "get_qr_png")]
    pub fn to_png(&self) -> Result<Zeroizing<Vec<u8>>, Error> {
        let px = Self::PNG_MODULE_PX;
        let side = self.framed_width().saturating_mul(px);
        let side_u32 = u32::try_from(side).map_err(|_| Error::Encoder)?;
        // One bit a pixel, most significant first, each row padded to whole bytes; 1 is white.
        let row_bytes = side.div_ceil(8);
        let mut pixels = Zeroizing::new(alloc::vec![0u8; row_bytes.saturating_mul(side)]);
        for (y, row) in pixels.chunks_exact_mut(row_bytes).enumerate() {
            for x in 0..side {
                if !self.is_dark_framed(x / px, y / px) {
                    if let Some(byte) = row.get_mut(x / 8) {
                        *byte |= 0x80 >> (x % 8);
                    }
                }
            }
        }
        // Room for the file up front, so the vector is never reallocated (which would leave
        // an unwiped copy): the filtered rows, plus more than deflate and the chunks add even
        // when nothing compresses.
        let raw = row_bytes.saturating_add(1).saturating_mul(side);
        let mut out = Zeroizing::new(Vec::with_capacity(
            raw.saturating_add(raw / 8).saturating_add(4096),
        ));
        let mut encoder = png::Encoder::new(&mut *out, side_u32, side_u32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::One);
        let mut writer = encoder.write_header().map_err(|_| Error::Encoder)?;
        writer
            .write_image_data(&pixels)
            .map_err(|_| Error::Encoder)?;
        writer.finish().map_err(|_| Error::Encoder)?;
        Ok(out)
    }

    fn write_svg(&self, out: &mut dyn Write) -> fmt::Result {
        let side = self.framed_width();
        let px = side.saturating_mul(Self::SVG_MODULE_PX);
        write!(
            out,
            concat!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{px}" height="{px}""#,
                r#" viewBox="0 0 {side} {side}" shape-rendering="crispEdges">"#,
                r##"<rect width="{side}" height="{side}" fill="#ffffff"/>"##,
                r##"<path fill="#000000" d=""##,
            ),
            px = px,
            side = side,
        )?;
        for y in 0..self.width {
            let mut x = 0;
            while x < self.width {
                if self.is_dark(x, y) {
                    let start = x;
                    while x < self.width && self.is_dark(x, y) {
                        x += 1;
                    }
                    let run = x - start;
                    write!(
                        out,
                        "M{} {}h{run}v1h-{run}z",
                        start + Self::QUIET_ZONE,
                        y + Self::QUIET_ZONE
                    )?;
                } else {
                    x += 1;
                }
            }
        }
        out.write_str("\"/></svg>\n")
    }

    /// The code as text for a terminal: each character is two modules stacked (`▀`, `▄`, `█`
    /// or a space), so modules come out about square in a usual terminal font.
    ///
    /// It reads the same on a dark and on a light terminal, because it does not use the
    /// terminal's colours at all: every line starts with the escape sequence
    /// `ESC[38;5;16;48;5;231m` (foreground colour 16, black; background colour 231, white) and
    /// ends with `ESC[0m` before its newline, and the quiet zone is printed as white cells. A
    /// camera needs dark modules on a light ground with a light border; leaving either colour
    /// to the theme would invert the code, or hide its border, on one kind of terminal. Colours
    /// 16 and 231 are the corners of the 256-colour cube, which themes leave alone, unlike the
    /// 16 basic colours (and unlike 24-bit colour, they work on every 256-colour terminal).
    /// Resetting before each newline keeps a scrolling terminal from painting the rest of the
    /// line white.
    ///
    /// # Examples
    ///
    /// ```
    /// let text = otpkit::qr::QrCode::new("hello")?.to_terminal();
    /// let first = text.lines().next().unwrap();
    /// // A white line of quiet zone: 29 modules wide.
    /// assert_eq!(first, format!("\x1b[38;5;16;48;5;231m{}\x1b[0m", " ".repeat(29)));
    /// assert_eq!(text.lines().count(), 15); // 29 rows, two per line
    /// print!("{}", *text);
    /// # Ok::<(), otpkit::qr::Error>(())
    /// ```
    #[must_use]
    pub fn to_terminal(&self) -> Zeroizing<String> {
        render(|out| self.write_terminal(out))
    }

    fn write_terminal(&self, out: &mut dyn Write) -> fmt::Result {
        let side = self.framed_width();
        for y in (0..side).step_by(2) {
            out.write_str(TERMINAL_COLOURS)?;
            for x in 0..side {
                let top = self.is_dark_framed(x, y);
                let bottom = self.is_dark_framed(x, y + 1);
                out.write_char(match (top, bottom) {
                    (true, true) => '█',
                    (true, false) => '▀',
                    (false, true) => '▄',
                    (false, false) => ' ',
                })?;
            }
            out.write_str(TERMINAL_RESET)?;
            out.write_char('\n')?;
        }
        Ok(())
    }
}

/// Foreground colour 16 (black) and background colour 231 (white) of the 256-colour cube.
const TERMINAL_COLOURS: &str = "\x1b[38;5;16;48;5;231m";
/// Back to the terminal's own colours.
const TERMINAL_RESET: &str = "\x1b[0m";

/// Runs `write` twice: once to measure, once into a string of exactly that capacity, so the
/// text never moves (a move would leave an unwiped copy behind).
fn render(write: impl Fn(&mut dyn Write) -> fmt::Result) -> Zeroizing<String> {
    let mut counter = Counter(0);
    let mut out = Zeroizing::new(String::new());
    if write(&mut counter).is_ok() {
        out.reserve_exact(counter.0);
        if write(&mut *out).is_err() {
            out.clear();
        }
    }
    out
}

/// Counts the bytes that would be written.
struct Counter(usize);

impl Write for Counter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0 = self.0.saturating_add(s.len());
        Ok(())
    }
}

impl fmt::Debug for QrCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QrCode")
            .field("width", &self.width)
            .finish_non_exhaustive()
    }
}
