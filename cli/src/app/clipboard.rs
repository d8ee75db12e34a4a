//! Copying a code: the system clipboard (`arboard`) where a display exists, OSC 52 (the
//! terminal sets the clipboard, also over SSH) otherwise; cleared after [`CLEAR_AFTER`]
//! seconds if it still holds our code. Behind the [`Clipboard`] trait so tests run headless.

use std::io::Write;

use base64::Engine;
use zeroize::Zeroizing;

/// Seconds after which a copied code is cleared (if the clipboard still holds it).
pub(crate) const CLEAR_AFTER: u64 = 20;

/// Somewhere a code can be put.
pub(crate) trait Clipboard {
    /// Puts `text` on the clipboard.
    fn set(&mut self, text: &str) -> Result<(), String>;
    /// What the clipboard holds, or `None` when it cannot be read back (OSC 52).
    fn get(&mut self) -> Option<String>;
    /// A short name for the status line.
    fn name(&self) -> &'static str;
}

/// The system clipboard. Kept for the app's whole run: on X11 the copied text lives as long
/// as the process that owns it.
pub(crate) struct System(arboard::Clipboard);

impl System {
    /// The system clipboard, when a display is there to hold one.
    pub(crate) fn new() -> Option<Self> {
        let has_display = ["DISPLAY", "WAYLAND_DISPLAY"]
            .iter()
            .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()));
        if cfg!(target_os = "linux") && !has_display {
            return None;
        }
        arboard::Clipboard::new().ok().map(Self)
    }
}

impl Clipboard for System {
    fn set(&mut self, text: &str) -> Result<(), String> {
        let set = self.0.set();
        // Clipboard managers keep a history; a one-time code should not be in it.
        #[cfg(target_os = "linux")]
        let set = arboard::SetExtLinux::exclude_from_history(set);
        #[cfg(target_os = "windows")]
        let set = arboard::SetExtWindows::exclude_from_history(set);
        #[cfg(target_os = "macos")]
        let set = arboard::SetExtApple::exclude_from_history(set);
        set.text(text.to_owned()).map_err(|e| e.to_string())
    }

    fn get(&mut self) -> Option<String> {
        self.0.get_text().ok()
    }

    fn name(&self) -> &'static str {
        "clipboard"
    }
}

/// OSC 52: the terminal is asked to set its clipboard (xterm, kitty, iTerm2, WezTerm, tmux
/// with `set-clipboard on`), which works over SSH. It cannot be read back.
pub(crate) struct Osc52<W: Write>(pub(crate) W);

/// The OSC 52 sequence that sets the clipboard to `text` (empty clears it).
pub(crate) fn osc52(text: &str) -> Zeroizing<String> {
    let b64 = Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(text));
    Zeroizing::new(format!("\x1b]52;c;{}\x07", b64.as_str()))
}

impl<W: Write> Clipboard for Osc52<W> {
    fn set(&mut self, text: &str) -> Result<(), String> {
        let seq = osc52(text);
        self.0
            .write_all(seq.as_bytes())
            .and_then(|()| self.0.flush())
            .map_err(|e| e.to_string())
    }

    fn get(&mut self) -> Option<String> {
        None
    }

    fn name(&self) -> &'static str {
        "terminal clipboard (OSC 52)"
    }
}

/// The clipboard and the code we last put there, with when to clear it.
pub(crate) struct Copier {
    board: Box<dyn Clipboard>,
    ours: Option<(Zeroizing<String>, u64)>,
}

impl Copier {
    pub(crate) fn new(board: Box<dyn Clipboard>) -> Self {
        Self { board, ours: None }
    }

    /// Copies `code` at time `now`; it is cleared at `now + CLEAR_AFTER` if still there.
    pub(crate) fn copy(&mut self, code: &str, now: u64) -> Result<&'static str, String> {
        self.board.set(code)?;
        self.ours = Some((
            Zeroizing::new(code.to_owned()),
            now.saturating_add(CLEAR_AFTER),
        ));
        Ok(self.board.name())
    }

    /// Clears our code once its time is up, unless something else was copied since (a
    /// clipboard that cannot be read back is cleared anyway). Returns whether it cleared.
    pub(crate) fn tick(&mut self, now: u64) -> bool {
        let due = matches!(&self.ours, Some((_, at)) if now >= *at);
        if !due {
            return false;
        }
        let Some((code, _)) = self.ours.take() else {
            return false;
        };
        let still_ours = self.board.get().is_none_or(|held| held == *code);
        still_ours && self.board.set("").is_ok()
    }

    /// Whether a copied code is waiting to be cleared.
    #[cfg(test)]
    pub(crate) fn pending(&self) -> bool {
        self.ours.is_some()
    }
}
