//! Reading a QR screenshot (PNG or JPEG): `image` decodes the file, `rqrr` finds and reads the
//! code. The text is expected to be an `otpauth://` URI; the form checks that.

use std::path::Path;

use anyhow::{Context, Result, bail};
use zeroize::Zeroizing;

/// The largest image file read (a screenshot is far smaller).
const MAX_FILE: u64 = 32 * 1024 * 1024;

/// The text of the first QR code found in the image file at `path`.
pub(crate) fn read_file(path: &Path) -> Result<Zeroizing<String>> {
    let len = std::fs::metadata(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .len();
    if len > MAX_FILE {
        bail!("{} is larger than 32 MiB", path.display());
    }
    let bytes = Zeroizing::new(
        std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?,
    );
    decode(&bytes)
}

/// The text of the first QR code found in a PNG or JPEG image.
pub(crate) fn decode(bytes: &[u8]) -> Result<Zeroizing<String>> {
    let image = image::load_from_memory(bytes).context("not a PNG or JPEG image")?;
    let luma = image.to_luma8();
    let (w, h) = luma.dimensions();
    let (Ok(w), Ok(h)) = (usize::try_from(w), usize::try_from(h)) else {
        bail!("the image is too large");
    };
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        match (u32::try_from(x), u32::try_from(y)) {
            (Ok(x), Ok(y)) => luma.get_pixel_checked(x, y).map_or(255, |p| p.0[0]),
            _ => 255,
        }
    });
    for grid in prepared.detect_grids() {
        if let Ok((_, text)) = grid.decode() {
            return Ok(Zeroizing::new(text));
        }
    }
    bail!("no QR code found in the image")
}
