//! Lists read from standard input (`import`, `export`): every non-blank line, each read no
//! further than the longest URI the library accepts.

use std::io;

use anyhow::{Result, anyhow};
use zeroize::Zeroizing;

use crate::key::read_line_limited;

/// Every non-blank line of standard input, trimmed, in strings that are wiped on drop.
pub(crate) fn stdin_lines() -> Result<Vec<Zeroizing<String>>> {
    let mut lines = Vec::new();
    let mut stdin = io::stdin().lock();
    while let Some(line) =
        read_line_limited(&mut stdin).map_err(|e| anyhow!("cannot read standard input: {e}"))?
    {
        if !line.is_empty() {
            lines.push(line);
        }
    }
    Ok(lines)
}
