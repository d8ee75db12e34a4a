//! Files the CLI writes that may hold a secret.

use std::io::{self, Write};
use std::path::Path;

/// Writes `contents` to `path` so that no one else can read it at any moment, whatever was
/// there: a new file is made in the same directory with mode 0600 and `O_EXCL` (so an
/// attacker's file or symlink under the temporary name is not opened), written, flushed to
/// disk, then renamed over `path`. A symlink at `path` is replaced, not followed; an existing
/// file is replaced whole (its old mode does not carry over), never truncated in place.
pub(crate) fn write_private(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    // tempfile's errors name the path, which the user typed: keep only what went wrong.
    let mut file = tempfile::Builder::new()
        .prefix(".otpkit-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| io::Error::from(e.kind()))?;
    file.write_all(contents)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}
