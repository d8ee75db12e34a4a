//! The pieces of reading a URI: the known parameters, percent-decoding, the label, and the
//! credential they describe.

use super::*;

/// The security parameters, which may appear once each.
#[derive(Clone, Copy)]
pub(super) enum Known {
    Secret,
    Issuer,
    Algorithm,
    Digits,
    Period,
    Counter,
}

impl Known {
    const ALL: [Self; 6] = [
        Self::Secret,
        Self::Issuer,
        Self::Algorithm,
        Self::Digits,
        Self::Period,
        Self::Counter,
    ];

    const fn name(self) -> &'static str {
        match self {
            Self::Secret => "secret",
            Self::Issuer => "issuer",
            Self::Algorithm => "algorithm",
            Self::Digits => "digits",
            Self::Period => "period",
            Self::Counter => "counter",
        }
    }

    /// The parameter `name` names, in any ASCII case: `Digits=8` is `digits=8`, never a
    /// harmless extra beside the real one (apps that read names case-insensitively would
    /// take it as the value).
    pub(super) fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(name))
    }
}

/// The security parameters' decoded values, each seen at most once.
#[derive(Default)]
pub(super) struct Seen {
    pub(super) secret: Option<Zeroizing<String>>,
    pub(super) issuer: Option<String>,
    pub(super) algorithm: Option<String>,
    pub(super) digits: Option<String>,
    pub(super) period: Option<String>,
    pub(super) counter: Option<String>,
}

impl Seen {
    pub(super) fn set(&mut self, known: Known, value: Zeroizing<String>) -> Result<(), UriError> {
        let duplicate = match known {
            Known::Secret => self.secret.replace(value).is_some(),
            Known::Issuer => self.issuer.replace(plain(value)).is_some(),
            Known::Algorithm => self.algorithm.replace(plain(value)).is_some(),
            Known::Digits => self.digits.replace(plain(value)).is_some(),
            Known::Period => self.period.replace(plain(value)).is_some(),
            Known::Counter => self.counter.replace(plain(value)).is_some(),
        };
        if duplicate {
            return Err(UriError::DuplicateParameter { name: known.name() });
        }
        Ok(())
    }
}

/// Moves a decoded value that is not secret out of its wrapper.
pub(super) fn plain(mut value: Zeroizing<String>) -> String {
    core::mem::take(&mut *value)
}

/// The index of the first `%` in `raw` that does not start a two-hex-digit escape.
pub(crate) fn first_bad_escape(raw: &str) -> Option<usize> {
    let bytes = raw.as_bytes();
    let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
    bytes
        .iter()
        .enumerate()
        .find(|&(i, &b)| b == b'%' && !(hex(i + 1) && hex(i + 2)))
        .map(|(i, _)| i)
}

/// Trims surrounding ASCII white space and any `#fragment`, checks the scheme (any case), and
/// returns what follows it together with its byte offset in `uri`, for error positions. Shared
/// by `otpauth://` and `otpauth-migration://` parsing.
pub(crate) fn after_scheme<'a>(uri: &'a str, scheme: &str) -> Option<(usize, &'a str)> {
    let start = uri.len()
        - uri
            .trim_start_matches(|c: char| c.is_ascii_whitespace())
            .len();
    let text = uri
        .get(start..)?
        .trim_end_matches(|c: char| c.is_ascii_whitespace());
    let text = text.split('#').next().unwrap_or("");
    let head = text.get(..scheme.len())?;
    if !head.eq_ignore_ascii_case(scheme) {
        return None;
    }
    Some((start + scheme.len(), text.get(scheme.len()..)?))
}

/// Checks that every `%` starts a two-hex-digit escape. `offset` is where `raw` starts in the URI.
pub(super) fn check_escapes(raw: &str, offset: usize) -> Result<(), UriError> {
    match first_bad_escape(raw) {
        Some(i) => Err(UriError::InvalidPercentEncoding {
            position: offset + i,
        }),
        None => Ok(()),
    }
}

/// Percent-decodes one component as UTF-8 into a string that is wiped on drop. With
/// `plus_is_space`, `+` is a space (query values); otherwise it is a plus (the label).
pub(super) fn decode(
    raw: &str,
    offset: usize,
    plus_is_space: bool,
) -> Result<Zeroizing<String>, UriError> {
    check_escapes(raw, offset)?;
    // Both buffers are sized up front so that no reallocation leaves a copy of a secret behind.
    let mut spaced = Zeroizing::new(Vec::with_capacity(raw.len()));
    spaced.extend(raw.bytes().map(|b| match b {
        b'+' if plus_is_space => b' ',
        b => b,
    }));
    let mut bytes = Zeroizing::new(Vec::with_capacity(raw.len()));
    bytes.extend(percent_decode(&spaced));
    match String::from_utf8(core::mem::take(&mut *bytes)) {
        Ok(text) => Ok(Zeroizing::new(text)),
        Err(e) => {
            e.into_bytes().zeroize();
            Err(UriError::InvalidUtf8 { position: offset })
        }
    }
}

/// Percent-encodes one label part, name or value.
pub(super) fn enc(text: &str) -> percent_encoding::PercentEncode<'_> {
    utf8_percent_encode(text, COMPONENT)
}

/// Reads a number written as plain ASCII digits.
pub(super) fn number(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.bytes().try_fold(0u64, |n, b| {
        n.checked_mul(10)?.checked_add(u64::from(b - b'0'))
    })
}

/// The three kinds a URI's type can name before `encoder` is looked at.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum UriType {
    Totp,
    Hotp,
    Steam,
}

/// Splits the raw label into its issuer prefix (if any) and account, decoded.
pub(super) fn split_label(
    raw: &str,
    offset: usize,
) -> Result<(Option<String>, Zeroizing<String>), UriError> {
    check_escapes(raw, offset)?;
    let separator = match raw.find(':') {
        Some(i) => Some((i, 1)),
        None => raw
            .as_bytes()
            .windows(3)
            .position(|w| w.eq_ignore_ascii_case(b"%3A"))
            .map(|i| (i, 3)),
    };
    let Some((at, width)) = separator else {
        return Ok((None, decode(raw, offset, false)?));
    };
    let prefix = raw.get(..at).unwrap_or("");
    let rest = raw.get(at + width..).unwrap_or("");
    let issuer = plain(decode(prefix, offset, false)?);
    let account = decode(rest, offset + at + width, false)?;
    let trimmed = account.trim_start_matches(' ');
    let account = if trimmed.len() == account.len() {
        account
    } else {
        Zeroizing::new(trimmed.to_owned())
    };
    Ok(((!issuer.is_empty()).then_some(issuer), account))
}

/// The label split after an issuer parameter that has colons, written unescaped in the label
/// as otplib does (`Ac:me:alice` with `issuer=Ac:me`): when the raw label's literal colon that
/// follows as many colons as the issuer has ends a prefix that decodes to the issuer, that
/// colon separates, so the account is `alice`. `None` when the rule does not apply (the issuer
/// has no colon, or the label does not start with it); the first-colon rule stands then.
pub(super) fn split_after_issuer(
    raw: &str,
    offset: usize,
    issuer: &str,
) -> Result<Option<(String, Zeroizing<String>)>, UriError> {
    let colons = issuer.matches(':').count();
    if colons == 0 {
        return Ok(None);
    }
    let Some((at, _)) = raw.match_indices(':').nth(colons) else {
        return Ok(None);
    };
    let prefix = decode(raw.get(..at).unwrap_or(""), offset, false)?;
    if prefix.as_str() != issuer {
        return Ok(None);
    }
    let account = decode(raw.get(at + 1..).unwrap_or(""), offset + at + 1, false)?;
    let trimmed = account.trim_start_matches(' ');
    let account = if trimmed.len() == account.len() {
        account
    } else {
        Zeroizing::new(trimmed.to_owned())
    };
    Ok(Some((plain(prefix), account)))
}

/// Builds the credential from the security parameters of a URI of type `kind`.
pub(super) fn build_credential(kind: UriType, seen: &Seen) -> Result<Credential, UriError> {
    let secret = seen.secret.as_ref().ok_or(UriError::MissingSecret)?;
    let secret = Secret::from_base32(secret).map_err(UriError::InvalidSecret)?;
    let algorithm = match &seen.algorithm {
        Some(name) => name
            .parse::<Algorithm>()
            .map_err(|_| UriError::UnsupportedAlgorithm)?,
        None => Algorithm::Sha1,
    };
    let digits = match &seen.digits {
        Some(text) => Some(number(text).ok_or(UriError::InvalidDigits)?),
        None => None,
    };
    let period = match &seen.period {
        Some(text) => Some(
            number(text)
                .filter(|&p| p >= 1)
                .ok_or(UriError::InvalidPeriod)?,
        ),
        None => None,
    };
    let counter = match &seen.counter {
        Some(text) => Some(number(text).ok_or(UriError::InvalidCounter)?),
        None => None,
    };

    if kind == UriType::Steam {
        if algorithm != Algorithm::Sha1 {
            return Err(UriError::SteamParameter { name: "algorithm" });
        }
        if digits.is_some_and(|d| d != 5) {
            return Err(UriError::SteamParameter { name: "digits" });
        }
        if period.is_some_and(|p| p != Totp::DEFAULT_PERIOD) {
            return Err(UriError::SteamParameter { name: "period" });
        }
        return Ok(Credential::steam(secret));
    }

    let digits = match digits {
        Some(d) => u8::try_from(d)
            .ok()
            .and_then(|d| Digits::new(d).ok())
            .ok_or(UriError::InvalidDigits)?,
        None => Digits::SIX,
    };
    match kind {
        UriType::Hotp => Ok(Credential::hotp(
            secret,
            algorithm,
            digits,
            counter.unwrap_or(0),
        )),
        UriType::Totp | UriType::Steam => Credential::totp(
            secret,
            algorithm,
            digits,
            period.unwrap_or(Totp::DEFAULT_PERIOD),
        )
        // A period of 0 was refused above; this maps the only error `totp` has.
        .map_err(|_| UriError::InvalidPeriod),
    }
}
