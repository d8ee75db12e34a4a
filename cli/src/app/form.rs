//! The add and edit form, as Authy Desktop's: paste a key (base32, spaces and hyphens allowed)
//! or an `otpauth://` URI that fills the fields, or give a QR image file; name, issuer, a
//! colour from the palette, 6/7/8 digits (6 preselected), and period and algorithm under
//! "advanced". It shows the first code before saving.

use otpkit::credential::Kind;
use otpkit::{Algorithm, Credential, Digits, KeyUri, Secret};
use zeroize::Zeroizing;

use super::theme::PALETTE;

/// A field of the form, in the order Tab visits them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Field {
    Key,
    QrFile,
    Issuer,
    Name,
    Color,
    Digits,
    Advanced,
    Period,
    Algorithm,
}

/// The digit counts the form offers.
pub(crate) const DIGITS: [u8; 3] = [6, 7, 8];

/// The form's state.
pub(crate) struct Form {
    /// `Some(id)` when editing an account: only issuer, name and colour change.
    pub(crate) editing: Option<String>,
    pub(crate) field: Field,
    pub(crate) key: Zeroizing<String>,
    pub(crate) qr_file: String,
    pub(crate) issuer: String,
    pub(crate) name: String,
    /// An index into [`PALETTE`], or `None` for no colour.
    pub(crate) color: Option<usize>,
    pub(crate) digits: u8,
    pub(crate) advanced: bool,
    pub(crate) period: String,
    pub(crate) algorithm: Algorithm,
    /// HOTP or Steam, when a URI said so (the form itself makes TOTP).
    pub(crate) kind: Option<Kind>,
    /// What went wrong reading the key, the URI or the QR file.
    pub(crate) error: Option<String>,
}

impl Form {
    /// An empty add form: 6 digits, 30 s, SHA-1.
    pub(crate) fn add() -> Self {
        Self {
            editing: None,
            field: Field::Key,
            key: Zeroizing::new(String::new()),
            qr_file: String::new(),
            issuer: String::new(),
            name: String::new(),
            color: None,
            digits: 6,
            advanced: false,
            period: "30".to_owned(),
            algorithm: Algorithm::Sha1,
            kind: None,
            error: None,
        }
    }

    /// The edit form of an account.
    pub(crate) fn edit(id: String, issuer: &str, name: &str, color: Option<[u8; 3]>) -> Self {
        Self {
            editing: Some(id),
            field: Field::Issuer,
            issuer: issuer.to_owned(),
            name: name.to_owned(),
            color: color.and_then(|c| PALETTE.iter().position(|(_, p)| *p == c)),
            ..Self::add()
        }
    }

    /// The fields shown, in order.
    pub(crate) fn fields(&self) -> Vec<Field> {
        if self.editing.is_some() {
            return vec![Field::Issuer, Field::Name, Field::Color];
        }
        let mut f = vec![
            Field::Key,
            Field::QrFile,
            Field::Issuer,
            Field::Name,
            Field::Color,
            Field::Digits,
            Field::Advanced,
        ];
        if self.advanced {
            f.extend([Field::Period, Field::Algorithm]);
        }
        f
    }

    /// Moves to the next (`forward`) or previous field, wrapping.
    pub(crate) fn step(&mut self, forward: bool) {
        let fields = self.fields();
        let n = fields.len();
        let i = fields.iter().position(|f| *f == self.field).unwrap_or(0);
        let j = if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        };
        if let Some(f) = fields.get(j) {
            self.field = *f;
        }
    }

    /// The text of the field being typed into, if it is a text field.
    fn text_mut(&mut self) -> Option<&mut String> {
        match self.field {
            Field::Key => Some(&mut self.key),
            Field::QrFile => Some(&mut self.qr_file),
            Field::Issuer => Some(&mut self.issuer),
            Field::Name => Some(&mut self.name),
            Field::Period => Some(&mut self.period),
            _ => None,
        }
    }

    /// Types (or pastes) `text` into the current field.
    pub(crate) fn insert(&mut self, text: &str) {
        // Pasted text may end with a line end, and must not bring control characters.
        let clean: String = text.chars().filter(|c| !c.is_control()).collect();
        if let Some(t) = self.text_mut() {
            t.push_str(&clean);
        }
        if self.field == Field::Key {
            self.key_changed();
        }
    }

    /// Deletes the last character of the current field.
    pub(crate) fn backspace(&mut self) {
        if let Some(t) = self.text_mut() {
            t.pop();
        }
        if self.field == Field::Key {
            self.key_changed();
        }
    }

    /// Left/right on a choice field: colour, digits, algorithm, advanced.
    pub(crate) fn choose(&mut self, forward: bool) {
        match self.field {
            Field::Color => {
                let n = PALETTE.len();
                self.color = match (self.color, forward) {
                    (None, true) => Some(0),
                    (None, false) => Some(n - 1),
                    (Some(i), true) if i + 1 < n => Some(i + 1),
                    (Some(i), false) if i > 0 => Some(i - 1),
                    _ => None,
                };
            }
            Field::Digits => {
                let i = DIGITS.iter().position(|d| *d == self.digits).unwrap_or(0);
                let j = if forward { (i + 1) % 3 } else { (i + 2) % 3 };
                self.digits = DIGITS.get(j).copied().unwrap_or(6);
            }
            Field::Algorithm => {
                let all = Algorithm::ALL;
                let i = all.iter().position(|a| *a == self.algorithm).unwrap_or(0);
                let j = if forward { (i + 1) % 3 } else { (i + 2) % 3 };
                self.algorithm = all.get(j).copied().unwrap_or(Algorithm::Sha1);
            }
            Field::Advanced => self.advanced = !self.advanced,
            _ => {}
        }
    }

    /// A URI in the key field fills the other fields.
    fn key_changed(&mut self) {
        self.error = None;
        let text = self.key.trim();
        if !text.starts_with("otpauth://") {
            self.kind = None;
            return;
        }
        match KeyUri::parse(text) {
            Ok(uri) => {
                let c = uri.credential();
                self.issuer = uri.issuer().unwrap_or_default().to_owned();
                self.name = uri.account().to_owned();
                self.digits = c.digits().get();
                self.algorithm = c.algorithm();
                if let Some(p) = c.period() {
                    self.period = p.to_string();
                }
                self.kind = match c.kind() {
                    Kind::Totp { .. } => None,
                    k => Some(k),
                };
                // Anything but 6 digits, 30 s and SHA-1 is worth showing.
                self.advanced =
                    self.advanced || self.period != "30" || self.algorithm != Algorithm::Sha1;
            }
            Err(e) => self.error = Some(format!("not a valid otpauth:// URI: {e}")),
        }
    }

    /// Puts the text of a QR code into the key field (it must be an `otpauth://` URI).
    pub(crate) fn set_qr_text(&mut self, text: &str) {
        if !text.trim().starts_with("otpauth://") {
            self.error = Some("the QR code holds no otpauth:// URI".to_owned());
            return;
        }
        self.key = Zeroizing::new(text.trim().to_owned());
        self.key_changed();
    }

    /// The credential the form describes, or why there is none.
    pub(crate) fn credential(&self) -> Result<Credential, String> {
        let text = self.key.trim();
        if text.is_empty() {
            return Err("paste a key or an otpauth:// URI, or give a QR image file".to_owned());
        }
        let secret = if text.starts_with("otpauth://") {
            let uri =
                KeyUri::parse(text).map_err(|e| format!("not a valid otpauth:// URI: {e}"))?;
            uri.credential().secret().clone()
        } else {
            Secret::from_base32(text).map_err(|e| format!("the key is not base32: {e}"))?
        };
        let digits = Digits::new(self.digits).map_err(|e| e.to_string())?;
        match self.kind {
            Some(Kind::Steam) => Ok(Credential::steam(secret)),
            Some(Kind::Hotp { counter }) => {
                Ok(Credential::hotp(secret, self.algorithm, digits, counter))
            }
            _ => {
                let period: u64 = self
                    .period
                    .trim()
                    .parse()
                    .map_err(|_| "the period is a whole number of seconds".to_owned())?;
                Credential::totp(secret, self.algorithm, digits, period)
                    .map_err(|e| format!("period: {e}"))
            }
        }
    }
}
