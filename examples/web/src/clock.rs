//! The one clock of the portal: the system's, or (for tests) a file holding unix seconds.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// Where the time comes from. Every check of a code, every expiry and every throttle reads it
/// here, so a test that moves the file's number moves the whole portal, across instances.
#[derive(Clone, Debug)]
pub enum Clock {
    /// The system clock.
    System,
    /// `--clock-file`: the file's text is the unix time in seconds (tests only).
    File(Arc<PathBuf>),
}

impl Clock {
    /// The unix time in seconds.
    pub fn now(&self) -> anyhow::Result<u64> {
        match self {
            Self::System => Ok(SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs()),
            Self::File(path) => {
                let text = std::fs::read_to_string(path.as_ref())?;
                Ok(text.trim().parse()?)
            }
        }
    }
}
