//! The app's state and what each key does: a pure state machine. The time comes in with every
//! event (the caller reads the one injected clock), the clipboard is a trait object, and the
//! vault is reached only through `vault_io`; so tests drive it without a terminal.

use std::collections::HashMap;
use std::path::PathBuf;

use otpkit::credential::Kind;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use zeroize::Zeroizing;

use super::clipboard::Copier;
use super::form::{Field, Form};
use super::theme::PALETTE;
use super::vault_io::{self, Account, Details, Session};

/// The default idle time before the app locks, in seconds.
pub(crate) const DEFAULT_LOCK_AFTER: u64 = 5 * 60;

/// Seconds before the end of a period from which the next code is shown too.
pub(crate) const NEXT_CODE_FROM: u64 = 5;

/// What the screen is showing.
pub(crate) enum Mode {
    /// Asking for the password; no secret in memory.
    Locked,
    /// The account list.
    List,
    /// Typing a search (the list filters as each key is typed).
    Search,
    /// The add or edit form.
    Form(Box<Form>),
    /// Asking whether to delete the account with this id.
    ConfirmDelete(String),
    /// The key list.
    Help,
}

/// One account as the list shows it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Row {
    pub(crate) color: Option<[u8; 3]>,
    pub(crate) issuer: String,
    pub(crate) name: String,
    /// The current code, grouped (`123 456`); `None` for an HOTP account not yet advanced.
    pub(crate) code: Option<String>,
    /// The next code, in the last [`NEXT_CODE_FROM`] seconds of a period.
    pub(crate) next: Option<String>,
    /// Seconds left in the period, and the period (time-based accounts).
    pub(crate) remaining: Option<(u64, u64)>,
    /// The counter of the next HOTP code.
    pub(crate) counter: Option<u64>,
}

/// The whole app.
pub(crate) struct App {
    pub(crate) path: PathBuf,
    pub(crate) mode: Mode,
    session: Option<Session>,
    /// What has been typed at the password prompt.
    pub(crate) password: Zeroizing<String>,
    /// The selected row among the visible (filtered) accounts.
    pub(crate) selected: usize,
    /// The search text.
    pub(crate) query: String,
    /// One line for the footer.
    pub(crate) status: Option<String>,
    /// The codes HOTP accounts showed since their last advance, by account id.
    hotp_codes: HashMap<String, Zeroizing<String>>,
    last_active: u64,
    /// Idle seconds before locking.
    pub(crate) lock_after: u64,
    copier: Copier,
    pub(crate) quit: bool,
}

/// `123 456`, `1234 567`, `1234 5678`: digits in two groups, the first the longer; other codes
/// (Steam's letters, five characters or fewer) as they are.
pub(crate) fn group(code: &str) -> String {
    let n = code.chars().count();
    if n <= 5 || !code.chars().all(|c| c.is_ascii_digit()) {
        return code.to_owned();
    }
    let (a, b) = code.split_at(n.div_ceil(2));
    format!("{a} {b}")
}

impl App {
    /// A locked app on the vault at `path`.
    pub(crate) fn new(path: PathBuf, lock_after: u64, copier: Copier, now: u64) -> Self {
        Self {
            path,
            mode: Mode::Locked,
            session: None,
            password: Zeroizing::new(String::new()),
            selected: 0,
            query: String::new(),
            status: None,
            hotp_codes: HashMap::new(),
            last_active: now,
            lock_after,
            copier,
            quit: false,
        }
    }

    /// Whether the vault is unlocked.
    pub(crate) fn unlocked(&self) -> bool {
        self.session.is_some()
    }

    /// The accounts the search lets through, in order.
    pub(crate) fn visible(&self) -> Vec<&Account> {
        let Some(s) = &self.session else {
            return Vec::new();
        };
        let q = self.query.to_lowercase();
        s.accounts()
            .iter()
            .filter(|a| {
                q.is_empty()
                    || a.issuer.to_lowercase().contains(&q)
                    || a.name.to_lowercase().contains(&q)
            })
            .collect()
    }

    /// How many accounts the vault holds.
    pub(crate) fn total(&self) -> usize {
        self.session.as_ref().map_or(0, |s| s.accounts().len())
    }

    /// The visible accounts as rows at time `now`.
    pub(crate) fn rows(&self, now: u64) -> Vec<Row> {
        self.visible()
            .into_iter()
            .map(|a| self.row(a, now))
            .collect()
    }

    fn row(&self, a: &Account, now: u64) -> Row {
        let c = &a.credential;
        let mut row = Row {
            color: vault_io::color_of(a),
            issuer: vault_io::escape(&a.issuer).into_owned(),
            name: vault_io::escape(&a.name).into_owned(),
            code: None,
            next: None,
            remaining: None,
            counter: c.counter(),
        };
        if let Kind::Hotp { .. } = c.kind() {
            row.code = self
                .hotp_codes
                .get(&vault_io::id_of(a))
                .map(|code| group(code));
            return row;
        }
        let (period, t0) = match c.kind() {
            Kind::Totp { period, t0 } => (period, t0),
            _ => (30, 0),
        };
        let Ok(totp) = c.to_totp() else {
            return row;
        };
        let Ok(code) = totp.generate(now) else {
            return row;
        };
        row.code = Some(group(code.as_str()));
        if period > 0 && now >= t0 {
            let left = period - (now - t0) % period;
            row.remaining = Some((left, period));
            if left <= NEXT_CODE_FROM {
                row.next = totp
                    .generate(now.saturating_add(left))
                    .ok()
                    .map(|n| group(n.as_str()));
            }
        }
        row
    }

    /// Handles one terminal event at time `now`.
    pub(crate) fn on_event(&mut self, event: &Event, now: u64) {
        match event {
            Event::Key(k) if k.kind != KeyEventKind::Release => self.on_key(*k, now),
            Event::Paste(text) => self.on_paste(text, now),
            _ => {}
        }
    }

    /// Pasted text: into the password prompt, the search or the form's field.
    pub(crate) fn on_paste(&mut self, text: &str, now: u64) {
        self.last_active = now;
        match &mut self.mode {
            Mode::Locked => self.password.push_str(text.trim_end_matches(['\r', '\n'])),
            Mode::Search => {
                self.query.push_str(text.trim());
                self.selected = 0;
            }
            Mode::Form(f) => f.insert(text),
            _ => {}
        }
    }

    /// Handles one key at time `now`.
    pub(crate) fn on_key(&mut self, key: KeyEvent, now: u64) {
        self.last_active = now;
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && matches!(key.code, KeyCode::Char('c' | 'q')) {
            self.quit = true;
            return;
        }
        match &self.mode {
            Mode::Locked => self.key_locked(key),
            Mode::List => self.key_list(key, now),
            Mode::Search => self.key_search(key),
            Mode::Form(_) => self.key_form(key, now),
            Mode::ConfirmDelete(id) => {
                let id = id.clone();
                self.key_confirm(key, &id);
            }
            Mode::Help => self.mode = Mode::List,
        }
    }

    fn key_locked(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::Enter => self.unlock(),
            KeyCode::Backspace => {
                self.password.pop();
            }
            KeyCode::Esc => self.quit = true,
            KeyCode::Char(c) => self.password.push(c),
            _ => {}
        }
    }

    fn unlock(&mut self) {
        let typed = core::mem::replace(&mut self.password, Zeroizing::new(String::new()));
        match Session::unlock(&self.path, &typed) {
            Ok(s) => {
                self.session = Some(s);
                self.mode = Mode::List;
                self.selected = 0;
                self.status = None;
            }
            Err(e) => self.status = Some(format!("{e:#}")),
        }
    }

    /// Drops every secret and asks for the password again.
    pub(crate) fn lock(&mut self) {
        self.session = None;
        self.hotp_codes.clear();
        self.password = Zeroizing::new(String::new());
        self.query.clear();
        self.selected = 0;
        self.mode = Mode::Locked;
    }

    fn move_by(&mut self, down: bool) {
        let n = self.visible().len();
        if n == 0 {
            self.selected = 0;
        } else if down {
            self.selected = (self.selected + 1).min(n - 1);
        } else {
            self.selected = self.selected.saturating_sub(1);
        }
    }

    /// The id of the selected visible account.
    fn selected_id(&self) -> Option<String> {
        self.visible()
            .get(self.selected)
            .map(|a| vault_io::id_of(a))
    }

    fn key_list(&mut self, key: KeyEvent, now: u64) {
        match key.code {
            KeyCode::Char('q') => self.quit = true,
            KeyCode::Char('?') => self.mode = Mode::Help,
            KeyCode::Char('/') => {
                self.mode = Mode::Search;
                self.status = None;
            }
            KeyCode::Char('j') | KeyCode::Down => self.move_by(true),
            KeyCode::Char('k') | KeyCode::Up => self.move_by(false),
            KeyCode::Home | KeyCode::Char('g') => self.selected = 0,
            KeyCode::End | KeyCode::Char('G') => {
                self.selected = self.visible().len().saturating_sub(1);
            }
            KeyCode::Esc => {
                self.query.clear();
                self.selected = 0;
            }
            KeyCode::Enter | KeyCode::Char('c') => self.copy(now),
            KeyCode::Char('n') => {
                self.advance();
            }
            KeyCode::Char('a') => self.mode = Mode::Form(Box::new(Form::add())),
            KeyCode::Char('e') => {
                if let Some(a) = self.visible().get(self.selected) {
                    let form = Form::edit(
                        vault_io::id_of(a),
                        &a.issuer,
                        &a.name,
                        vault_io::color_of(a),
                    );
                    self.mode = Mode::Form(Box::new(form));
                }
            }
            KeyCode::Char('d') | KeyCode::Delete => {
                if let Some(id) = self.selected_id() {
                    self.mode = Mode::ConfirmDelete(id);
                }
            }
            _ => {}
        }
    }

    /// Advances the selected HOTP account: its next code is shown, and the counter saved.
    fn advance(&mut self) -> Option<String> {
        let a = self.visible().get(self.selected).copied()?;
        if !matches!(a.credential.kind(), Kind::Hotp { .. }) {
            self.status = Some("only counter-based (HOTP) accounts advance".to_owned());
            return None;
        }
        let id = vault_io::id_of(a);
        let session = self.session.as_mut()?;
        match session.advance_hotp(&id) {
            Ok(code) => {
                self.hotp_codes.insert(id, Zeroizing::new(code.clone()));
                Some(code)
            }
            Err(e) => {
                self.status = Some(format!("{e:#}"));
                None
            }
        }
    }

    fn copy(&mut self, now: u64) {
        let Some(a) = self.visible().get(self.selected).copied() else {
            return;
        };
        let code = if matches!(a.credential.kind(), Kind::Hotp { .. }) {
            match self.hotp_codes.get(&vault_io::id_of(a)) {
                Some(code) => Some(code.to_string()),
                None => self.advance(),
            }
        } else {
            a.credential
                .to_totp()
                .and_then(|t| t.generate(now))
                .ok()
                .map(|c| c.as_str().to_owned())
        };
        let Some(code) = code.map(Zeroizing::new) else {
            return;
        };
        self.status = Some(match self.copier.copy(&code, now) {
            Ok(place) => format!(
                "copied to the {place}; cleared in {} s",
                super::clipboard::CLEAR_AFTER
            ),
            Err(e) => format!("cannot copy: {e}"),
        });
    }

    fn key_search(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::Enter => self.mode = Mode::List,
            KeyCode::Esc => {
                self.query.clear();
                self.selected = 0;
                self.mode = Mode::List;
            }
            KeyCode::Backspace => {
                self.query.pop();
                self.selected = 0;
            }
            KeyCode::Down => self.move_by(true),
            KeyCode::Up => self.move_by(false),
            KeyCode::Char(c) => {
                self.query.push(c);
                self.selected = 0;
            }
            _ => {}
        }
    }

    fn key_form(&mut self, key: KeyEvent, now: u64) {
        let Mode::Form(form) = &mut self.mode else {
            return;
        };
        match key.code {
            KeyCode::Esc => self.mode = Mode::List,
            KeyCode::Tab | KeyCode::Down => form.step(true),
            KeyCode::BackTab | KeyCode::Up => form.step(false),
            KeyCode::Left => form.choose(false),
            KeyCode::Right => form.choose(true),
            KeyCode::Char(' ')
                if matches!(
                    form.field,
                    Field::Color | Field::Digits | Field::Advanced | Field::Algorithm
                ) =>
            {
                form.choose(true);
            }
            KeyCode::Backspace => form.backspace(),
            KeyCode::Char(c) => form.insert(c.encode_utf8(&mut [0; 4])),
            KeyCode::Enter if form.field == Field::QrFile && !form.qr_file.trim().is_empty() => {
                let path = expand_home(form.qr_file.trim());
                match super::qr::read_file(&path) {
                    Ok(text) => form.set_qr_text(&text),
                    Err(e) => form.error = Some(format!("{e:#}")),
                }
            }
            KeyCode::Enter => self.save_form(now),
            _ => {}
        }
    }

    fn save_form(&mut self, now: u64) {
        let Mode::Form(form) = &mut self.mode else {
            return;
        };
        let Some(session) = self.session.as_mut() else {
            return;
        };
        let details = Details {
            issuer: form.issuer.trim().to_owned(),
            name: form.name.trim().to_owned(),
            color: form.color.and_then(|i| PALETTE.get(i)).map(|(_, c)| *c),
        };
        if details.issuer.is_empty() && details.name.is_empty() {
            form.error = Some("give a name (and an issuer) for the account".to_owned());
            return;
        }
        let label = if details.issuer.is_empty() {
            details.name.clone()
        } else {
            format!("{}:{}", details.issuer, details.name)
        };
        let result = match &form.editing {
            Some(id) => {
                let id = id.clone();
                session.edit(&id, details, now).map(|()| id)
            }
            None => match form.credential() {
                Ok(c) => session.add(c, details, now),
                Err(e) => {
                    form.error = Some(e);
                    return;
                }
            },
        };
        match result {
            Ok(id) => {
                let verb = if form.editing.is_some() {
                    "saved"
                } else {
                    "added"
                };
                self.status = Some(format!("{verb} {}", vault_io::escape(&label)));
                self.mode = Mode::List;
                self.query.clear();
                let at = self.visible().iter().position(|a| vault_io::id_of(a) == id);
                self.selected = at.unwrap_or(0);
            }
            Err(e) => form.error = Some(format!("{e:#}")),
        }
    }

    fn key_confirm(&mut self, key: KeyEvent, id: &str) {
        self.mode = Mode::List;
        if !matches!(key.code, KeyCode::Char('y' | 'Y')) {
            self.status = Some("nothing deleted".to_owned());
            return;
        }
        let Some(session) = self.session.as_mut() else {
            return;
        };
        self.status = Some(match session.remove(id) {
            Ok(()) => "deleted".to_owned(),
            Err(e) => format!("{e:#}"),
        });
        self.hotp_codes.remove(id);
        self.selected = self.selected.min(self.visible().len().saturating_sub(1));
    }

    /// The passing of time: clears the clipboard when due, locks after the idle time.
    pub(crate) fn tick(&mut self, now: u64) {
        if self.copier.tick(now) {
            self.status = Some("clipboard cleared".to_owned());
        }
        if self.unlocked() && now.saturating_sub(self.last_active) >= self.lock_after {
            self.lock();
            self.status = Some(format!(
                "locked after {} idle; type the password to unlock",
                idle_text(self.lock_after)
            ));
        }
    }

    /// Whether a copied code is waiting to be cleared.
    #[cfg(test)]
    pub(crate) fn clipboard_pending(&self) -> bool {
        self.copier.pending()
    }
}

/// A path as typed: a leading `~/` is the home folder, as a shell would read it.
pub(crate) fn expand_home(typed: &str) -> PathBuf {
    match (typed.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) if !home.is_empty() => PathBuf::from(home).join(rest),
        _ => PathBuf::from(typed),
    }
}

fn idle_text(secs: u64) -> String {
    if secs.is_multiple_of(60) && secs >= 60 {
        format!("{} min", secs / 60)
    } else {
        format!("{secs} s")
    }
}
