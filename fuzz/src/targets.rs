//! The properties the fuzz targets check, as plain functions of the fuzzer's bytes.
//!
//! Each function panics (through `assert!`) when its property fails, and must not panic
//! otherwise. They use only `otpkit` and `std`, and reach the reference code as
//! `crate::reference`, so that `tests/fuzz_corpus.rs` can include this file by path.

use otpkit::{
    Algorithm, Base32Error, Error, KeyUri, Secret, Totp, VerifyError, Window, credential::Kind,
};

use crate::reference;

/// Reads structured values from the front of the fuzzer's bytes. Past the end it reads zeros,
/// so every input, even an empty one, means something.
struct Input<'a> {
    data: &'a [u8],
}

impl<'a> Input<'a> {
    fn new(data: &'a [u8]) -> Self {
        Self { data }
    }

    fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&first, rest)) => {
                self.data = rest;
                first
            }
            None => 0,
        }
    }

    fn signed_byte(&mut self) -> i8 {
        i8::from_le_bytes([self.byte()])
    }

    fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.byte(), self.byte(), self.byte(), self.byte()])
    }

    fn u64(&mut self) -> u64 {
        (u64::from(self.u32()) << 32) | u64::from(self.u32())
    }

    /// Up to `n` bytes, fewer if the input runs out.
    fn take(&mut self, n: usize) -> &'a [u8] {
        let (taken, rest) = self.data.split_at(n.min(self.data.len()));
        self.data = rest;
        taken
    }

    fn rest(&mut self) -> &'a [u8] {
        self.take(self.data.len())
    }

    /// A `u64` biased towards the edges where arithmetic goes wrong: near 0, near
    /// `u64::MAX`, a present-day unix time, or anything.
    fn edgy_u64(&mut self) -> u64 {
        match self.byte() % 4 {
            0 => u64::from(self.byte()),
            1 => u64::MAX - u64::from(self.byte()),
            2 => 1_700_000_000 + u64::from(self.u32()),
            _ => self.u64(),
        }
    }

    /// A window side or look-ahead: mostly 0 to 3 steps, which keeps an execution to a few
    /// HMACs, and otherwise any `u32`, to reach the bounds checks.
    fn side(&mut self) -> u32 {
        let b = self.byte();
        if b & 0x80 == 0 {
            u32::from(b & 3)
        } else {
            self.u32()
        }
    }
}

/// `base32_secret`: otpkit's base32 agrees with the bit-by-bit reference in `reference.rs`.
///
/// Decoding arbitrary text gives the same bytes or the same error, down to the position it
/// names, into a buffer of any size (`BufferTooSmall` when it is short), through
/// `decode_base32`, `base32_decoded_len` and `Secret::from_base32` alike. Encoding (the
/// decoded bytes, and the raw fuzz input) gives the reference's text and decodes back, and
/// `base32_encoded_len` is exact for every length or saturates.
pub fn base32_secret(data: &[u8]) {
    let mut input = Input::new(data);
    let size_byte = input.byte();
    let text = String::from_utf8_lossy(input.rest());
    let want = reference::decode_base32(&text);

    // 255 stands for a buffer that is always large enough, the rest for exactly that size.
    let size = if size_byte == u8::MAX {
        text.len()
    } else {
        usize::from(size_byte)
    };
    let mut buf = vec![0u8; size];
    let got = otpkit::decode_base32(&text, &mut buf).map(|bytes| bytes.to_vec());
    let want_in_buf = match &want {
        Ok(bytes) if bytes.len() > size => Err(Base32Error::BufferTooSmall {
            needed: bytes.len(),
        }),
        other => other.clone(),
    };
    assert_eq!(
        got, want_in_buf,
        "decode_base32({text:?}) into {size} bytes"
    );

    let want_len = want.as_ref().map(Vec::len).map_err(|e| *e);
    assert_eq!(otpkit::base32_decoded_len(&text), want_len, "{text:?}");

    let secret = Secret::from_base32(&text);
    assert_eq!(
        secret
            .as_ref()
            .map(|s| s.as_bytes().to_vec())
            .map_err(|e| *e),
        want,
        "Secret::from_base32({text:?})"
    );
    if let Ok(secret) = &secret {
        let bytes = secret.as_bytes();
        assert_eq!(*secret.to_base32(), reference::encode_base32(bytes));
        encodes_and_decodes_back(bytes);
    }
    encodes_and_decodes_back(data);

    let len = usize::try_from(Input::new(data).u64()).unwrap_or(usize::MAX);
    assert_eq!(
        otpkit::base32_encoded_len(len),
        reference::base32_encoded_len(len),
        "base32_encoded_len({len})"
    );
}

fn encodes_and_decodes_back(bytes: &[u8]) {
    let want = reference::encode_base32(bytes);
    assert_eq!(otpkit::base32_encoded_len(bytes.len()), want.len());
    let mut buf = vec![0u8; want.len()];
    let got = otpkit::encode_base32(bytes, &mut buf).map(str::to_owned);
    assert_eq!(
        got.as_deref(),
        Ok(want.as_str()),
        "encode_base32({bytes:02x?})"
    );
    if let Some(short) = want.len().checked_sub(1) {
        let mut small = vec![0u8; short];
        assert_eq!(
            otpkit::encode_base32(bytes, &mut small),
            Err(Base32Error::BufferTooSmall { needed: want.len() })
        );
    }
    let mut back = vec![0u8; bytes.len()];
    let decoded = otpkit::decode_base32(&want, &mut back).map(|b| b.to_vec());
    if bytes.is_empty() {
        assert_eq!(decoded, Err(Base32Error::Empty));
    } else {
        assert_eq!(decoded.as_deref(), Ok(bytes), "decode_base32({want:?})");
    }
}

/// `verify`: TOTP and HOTP verification never panic and answer exactly as a plain model
/// (`reference::scan`) that generates every code of the window.
///
/// Covers arbitrary code text and well-formed codes of steps near the current one, times
/// near 0, near T0 and near `u64::MAX` (refused as milliseconds after `Totp::MAX_TIME`), periods from 0 to `u64::MAX`, windows on both sides of
/// [`Window::MAX`], every algorithm, 0 to 255 digits and Steam Guard, replay protection, HOTP
/// look-ahead and resynchronisation. So an accepted code is the code generated at the
/// returned step, that step lies in the window (clipped at 0 and `u64::MAX`) and after the last
/// accepted one, and the offset is the signed distance to the current step or counter.
pub fn verify(data: &[u8]) {
    let mut input = Input::new(data);
    let flags = input.byte();
    let algorithm = match flags % 3 {
        0 => Algorithm::Sha1,
        1 => Algorithm::Sha256,
        _ => Algorithm::Sha512,
    };
    let steam = flags & 0x80 != 0;
    let pair_is_consecutive = flags & 0x40 != 0;
    // Mostly a valid 6..=10; otherwise the next byte, whatever it is.
    let digits_byte = input.byte();
    let digits = if digits_byte < 0xc0 {
        6 + digits_byte % 5
    } else {
        input.byte()
    };
    let key_len = usize::from(input.byte());
    let key = input.take(key_len);
    let period = match input.byte() % 4 {
        0 => 0,
        1 => 30,
        2 => u64::from(input.byte()),
        _ => input.u64(),
    };
    let t0 = input.edgy_u64();
    let time = match input.byte() % 3 {
        0 => t0.saturating_sub(u64::from(input.byte())),
        1 => t0.saturating_add(u64::from(input.u32())),
        _ => input.edgy_u64(),
    };
    let behind = input.side();
    let ahead = input.side();
    let last_step_mode = input.byte() % 3;
    let last_step_delta = input.signed_byte();
    let last_step_edgy = input.edgy_u64();
    let counter_is_edgy = input.byte() & 1 == 1;
    let counter_edgy = input.edgy_u64();
    let look_ahead = input.side();
    let resync_raw = input.side();
    let code_mode = input.byte() % 4;
    let code_delta = input.signed_byte();

    // Building: the parameters are checked in the documented order.
    let built_digits = otpkit::Digits::new(digits);
    assert_eq!(built_digits.is_ok(), (6..=10).contains(&digits));
    let built = if steam {
        Totp::steam(key)
    } else {
        built_digits.and_then(|d| Totp::new(algorithm, key, d, period))
    };
    let totp = match built {
        Ok(totp) => totp.with_t0(t0),
        Err(e) => {
            let want = if !steam && !(6..=10).contains(&digits) {
                Error::InvalidDigits { digits }
            } else if !steam && period == 0 {
                Error::InvalidPeriod
            } else {
                assert!(key.is_empty(), "refused a valid generator: {e}");
                Error::EmptyKey
            };
            assert_eq!(e, want);
            return;
        }
    };
    let (algorithm, period, len) = if steam {
        (Algorithm::Sha1, 30, 5)
    } else {
        (algorithm, period, usize::from(digits))
    };
    assert!(!key.is_empty());
    assert_eq!(totp.algorithm(), algorithm);
    assert_eq!((totp.period(), totp.t0()), (period, t0));
    assert_eq!(totp.hotp().code_len(), len);
    assert_eq!(totp.hotp().is_steam(), steam);

    // Time to step, countdown and code. A time after the start of year 5000 is milliseconds
    // by mistake, and refused before T0 is looked at.
    let time_error = if time > Totp::MAX_TIME {
        Error::TimeInMilliseconds
    } else {
        Error::TimeBeforeT0
    };
    let current = (time <= Totp::MAX_TIME)
        .then(|| time.checked_sub(t0).map(|since| since / period))
        .flatten();
    assert_eq!(totp.step(time).ok(), current);
    match current {
        None => {
            assert_eq!(totp.step(time), Err(time_error));
            assert_eq!(totp.seconds_left(time), Err(time_error));
            assert_eq!(totp.generate(time), Err(time_error));
        }
        Some(step) => {
            let left = totp.seconds_left(time);
            assert!(
                left.is_ok_and(|left| (1..=period).contains(&left)),
                "{left:?}"
            );
            let left = left.unwrap_or(1);
            // The code changes exactly `left` seconds from now (if time goes on that long).
            let before_5000 = |t: &u64| *t <= Totp::MAX_TIME;
            if let Some(last_second) = time.checked_add(left - 1).filter(before_5000) {
                assert_eq!(totp.step(last_second), Ok(step));
            }
            if let Some(next) = time.checked_add(left).filter(before_5000) {
                assert_eq!(totp.step(next), Ok(step + 1));
            }
            assert_eq!(totp.generate(time), Ok(totp.generate_at_step(step)));
        }
    }
    let code_at = |step: u64| totp.generate_at_step(step).as_str().to_owned();
    let first_code = code_at(0);
    assert_eq!(first_code.len(), len);
    assert!(
        reference::normalise_code(&first_code, steam, len).as_deref() == Ok(first_code.as_str()),
        "generated {first_code:?}, which is not a well-formed code"
    );

    // The code typed: arbitrary text, or a code of a step near the current one, as generated,
    // decorated with spaces and lower case, or with one character changed.
    let anchor = current.unwrap_or(0);
    let counter = if counter_is_edgy {
        counter_edgy
    } else {
        anchor
    };
    let code_step = anchor.wrapping_add_signed(i64::from(code_delta));
    let code = match code_mode {
        0 => String::from_utf8_lossy(input.rest()).into_owned(),
        1 => code_at(code_step),
        2 => {
            let lower = input.byte() & 1 == 1;
            let mut text = String::new();
            for (c, gaps) in code_at(code_step).chars().zip(input.rest().iter()) {
                text.push(if lower { c.to_ascii_lowercase() } else { c });
                text.extend(core::iter::repeat_n(' ', usize::from(gaps % 3)));
            }
            text
        }
        _ => {
            let at = usize::from(input.byte()) % len;
            let with = char::from(input.byte());
            code_at(code_step)
                .chars()
                .enumerate()
                .map(|(i, c)| if i == at { with } else { c })
                .collect()
        }
    };
    let typed = reference::normalise_code(&code, steam, len).map_err(VerifyError::Malformed);

    // TOTP, with and without a last accepted step.
    let window = match Window::new(behind, ahead) {
        Ok(window) => window,
        Err(e) => {
            assert!(behind > Window::MAX || ahead > Window::MAX);
            assert_eq!(e, Error::WindowTooLarge);
            Window::new(behind % 4, ahead % 4).unwrap_or_default()
        }
    };
    let last_step = match last_step_mode {
        0 => None,
        1 => Some(anchor.wrapping_add_signed(i64::from(last_step_delta))),
        _ => Some(last_step_edgy),
    };
    for last_accepted in [None, last_step] {
        let got = match last_accepted {
            None => totp.verify(&code, time, window),
            Some(used) => totp.verify_after(&code, time, window, used),
        };
        let want = typed.clone().and_then(|typed| {
            let current = current.ok_or(VerifyError::Setup(time_error))?;
            let first = current.saturating_sub(u64::from(window.behind()));
            let last = current.saturating_add(u64::from(window.ahead()));
            reference::scan(first, last, current, &typed, last_accepted, code_at)
        });
        assert_eq!(
            got, want,
            "TOTP {code:?} at {time}, {window:?}, after {last_accepted:?}"
        );
        if let (Ok(m), Ok(typed), Some(current)) = (got, &typed, current) {
            assert_eq!(&code_at(m.step), typed);
            assert!(-i64::from(window.behind()) <= m.offset);
            assert!(m.offset <= i64::from(window.ahead()));
            assert_eq!(
                i128::from(m.step) - i128::from(current),
                i128::from(m.offset)
            );
            assert!(last_accepted.is_none_or(|used| m.step > used));
        }
    }

    // HOTP look-ahead.
    let hotp = totp.hotp();
    let got = hotp.verify(&code, counter, look_ahead);
    let want = typed.clone().and_then(|typed| {
        if look_ahead > Window::MAX {
            return Err(VerifyError::Setup(Error::LookAheadTooLarge));
        }
        // Counter u64::MAX is never accepted, so that the next counter always fits.
        let last = counter
            .saturating_add(u64::from(look_ahead))
            .min(u64::MAX - 1);
        if counter > last {
            return Err(VerifyError::Mismatch);
        }
        reference::scan(counter, last, counter, &typed, None, code_at)
    });
    assert_eq!(got, want, "HOTP {code:?} at {counter} + {look_ahead}");
    if let Ok(m) = got {
        assert_eq!(m.next_counter(), m.step + 1);
        assert!((0..=i64::from(look_ahead)).contains(&m.offset));
    }

    // HOTP resynchronisation from two codes. Look-aheads of 9 to 1000 are folded to 0..=8
    // to keep executions fast; 1001 and above must be refused before any HMAC.
    let resync_ahead = if (9..=otpkit::Hotp::MAX_RESYNC_WINDOW).contains(&resync_raw) {
        resync_raw % 9
    } else {
        resync_raw
    };
    let second = if code_mode == 0 {
        code.clone()
    } else if pair_is_consecutive {
        code_at(code_step.wrapping_add(1))
    } else {
        code_at(code_step.wrapping_add(2))
    };
    let typed_second = reference::normalise_code(&second, steam, len);
    let got = hotp.resync(&code, &second, counter, resync_ahead);
    let want = typed.and_then(|first| {
        let second = typed_second.map_err(VerifyError::Malformed)?;
        if resync_ahead > otpkit::Hotp::MAX_RESYNC_WINDOW {
            return Err(VerifyError::Setup(Error::ResyncLookAheadTooLarge));
        }
        // The second code's counter stays below u64::MAX, as in `verify`.
        let last = counter
            .saturating_add(u64::from(resync_ahead))
            .min(u64::MAX - 2);
        (counter..=last)
            .filter(|&c| code_at(c) == first && code_at(c + 1) == second)
            .max()
            .map(|c| otpkit::Match {
                step: c + 1,
                offset: reference::offset(c + 1, counter),
            })
            .ok_or(VerifyError::Mismatch)
    });
    assert_eq!(
        got, want,
        "resync {code:?} {second:?} at {counter} + {resync_ahead}"
    );
}

/// `uri_parse`: `KeyUri::parse` never panics on any text, and every key it accepts survives a
/// round trip: writing it with `to_uri` or `to_uri_minimal` and reading that back gives an
/// equal key, which writes the same text again. The credential it describes builds a working
/// generator, and its `Debug` does not show the secret.
pub fn uri_parse(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let key = match KeyUri::parse(&text) {
        Ok(key) => key,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    for uri in [key.to_uri(), key.to_uri_minimal()] {
        let again = KeyUri::parse(&uri);
        assert_eq!(
            again.as_ref(),
            Ok(&key),
            "{text:?} was written as {:?}",
            *uri
        );
        if let Ok(again) = again {
            let rewritten = if *uri == *key.to_uri() {
                again.to_uri()
            } else {
                again.to_uri_minimal()
            };
            assert_eq!(*rewritten, *uri);
        }
    }

    let credential = key.credential();
    let len = credential.code_len();
    match credential.kind() {
        Kind::Hotp { counter } => {
            let hotp = credential.to_hotp();
            assert!(hotp.is_ok(), "{:?}", hotp.err());
            if let Ok(hotp) = hotp {
                assert_eq!(hotp.generate(counter).len(), len);
            }
        }
        _ => {
            let totp = credential.to_totp();
            assert!(totp.is_ok(), "{:?}", totp.err());
            if let Ok(totp) = totp {
                assert_eq!(totp.generate_at_step(0).len(), len);
            }
        }
    }
    let secret = credential.secret().to_base32();
    assert!(!format!("{credential:?}").contains(secret.as_str()));
    check_against_reading(&text, &key);
}

/// The accepted key holds what a separate, plain reading of the same text finds
/// (`reference::read_uri`): type, label split, each security parameter's value and the
/// other parameters in order.
fn check_against_reading(text: &str, key: &KeyUri) {
    let reading = reference::read_uri(text);
    assert!(
        reading.is_some(),
        "accepted, but not a URI to the plain reading: {text:?}"
    );
    let Some(reading) = reading else { return };
    let value = |name: &str| {
        reading
            .known
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let credential = key.credential();
    let secret = value("secret").map(reference::decode_base32);
    assert!(
        matches!(&secret, Some(Ok(bytes)) if bytes.as_slice() == credential.secret().as_bytes()),
        "secret of {text:?}"
    );
    let algorithm = match value("algorithm").map(|a| a.to_ascii_uppercase().replace('-', "")) {
        None => Some(Algorithm::Sha1),
        Some(a) if a == "SHA1" => Some(Algorithm::Sha1),
        Some(a) if a == "SHA256" => Some(Algorithm::Sha256),
        Some(a) if a == "SHA512" => Some(Algorithm::Sha512),
        Some(_) => None,
    };
    assert_eq!(
        algorithm,
        Some(credential.algorithm()),
        "algorithm of {text:?}"
    );
    let number = |name: &str, default: u64| value(name).map_or(Some(default), |v| v.parse().ok());
    let kind = match reading.kind.as_str() {
        "steam" => Some(Kind::Steam),
        "hotp" => number("counter", 0).map(|counter| Kind::Hotp { counter }),
        _ => number("period", 30).map(|period| Kind::Totp { period, t0: 0 }),
    };
    assert_eq!(kind, Some(credential.kind()), "kind of {text:?}");
    if reading.kind != "steam" {
        assert_eq!(
            number("digits", 6),
            Some(u64::from(credential.digits().get())),
            "digits of {text:?}"
        );
    }
    assert_eq!(key.issuer_param(), value("issuer"), "issuer of {text:?}");
    assert_eq!(
        key.label_issuer(),
        reading.label_issuer.as_deref(),
        "label of {text:?}"
    );
    assert_eq!(key.account(), reading.account, "account of {text:?}");
    assert_eq!(
        key.params(),
        reading.others.as_slice(),
        "parameters of {text:?}"
    );
}

/// `migration_import`: `migration::import_batch` never panics, on arbitrary text, on arbitrary
/// bytes carried as the `data` of an export URI, and on protobuf-shaped payloads built from
/// the input (accounts with any subset of fields, any enum and counter values, invalid UTF-8,
/// unknown fields, more accounts than one QR code holds). What it imports agrees with
/// `migration::import`, every key survives `to_uri` and `KeyUri::parse`, and exporting the
/// keys and importing them again gives the same keys.
pub fn migration_import(data: &[u8]) {
    let mut input = Input::new(data);
    let uri = match input.byte() % 3 {
        0 => String::from_utf8_lossy(input.rest()).into_owned(),
        1 => migration_uri(input.rest()),
        _ => {
            let payload = protobuf_payload(&mut input);
            migration_uri(&payload)
        }
    };
    let batch = match otpkit::migration::import_batch(&uri) {
        Ok(batch) => batch,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            assert_eq!(otpkit::migration::import(&uri), Err(e));
            return;
        }
    };
    assert_eq!(otpkit::migration::import(&uri).as_ref(), Ok(&batch.keys));
    for key in &batch.keys {
        assert_eq!(KeyUri::parse(&key.to_uri()).as_ref(), Ok(key), "{key:?}");
    }
    let exported = otpkit::migration::export(&batch.keys);
    assert!(exported.is_ok(), "{:?}", exported.err());
    let mut again = Vec::new();
    for uri in exported.iter().flatten() {
        let keys = otpkit::migration::import(uri);
        assert!(keys.is_ok(), "{:?}", keys.err());
        again.extend(keys.into_iter().flatten());
    }
    assert_eq!(again, batch.keys);
}

/// An export URI carrying `payload` as its `data`, encoded as Google Authenticator does.
fn migration_uri(payload: &[u8]) -> String {
    let mut uri = String::from("otpauth-migration://offline?data=");
    for c in reference::encode_base64(payload).chars() {
        match c {
            '+' => uri.push_str("%2B"),
            '/' => uri.push_str("%2F"),
            '=' => uri.push_str("%3D"),
            c => uri.push(c),
        }
    }
    uri
}

/// A `MigrationPayload` built from the input: up to 11 accounts, each with the fields the
/// input picks, then the batch numbers.
fn protobuf_payload(input: &mut Input<'_>) -> Vec<u8> {
    // An enum or number field: mostly a small value, sometimes any 64 bits (negative int32
    // and int64 values are 10-byte varints).
    fn value(input: &mut Input<'_>) -> u64 {
        let b = input.byte();
        if b < 0xf0 {
            u64::from(b % 6)
        } else {
            input.u64()
        }
    }
    let mut payload = Vec::new();
    for _ in 0..input.byte() % 12 {
        let mut otp = Vec::new();
        let fields = input.byte();
        if fields & 1 != 0 {
            let len = usize::from(input.byte() % 80);
            reference::put_bytes_field(&mut otp, 1, input.take(len));
        }
        for (bit, tag) in [(2, 2), (4, 3)] {
            if fields & bit != 0 {
                let len = usize::from(input.byte() % 40);
                reference::put_bytes_field(&mut otp, tag, input.take(len));
            }
        }
        for (bit, tag) in [(8, 4), (16, 5), (32, 6), (64, 7)] {
            if fields & bit != 0 {
                let v = value(input);
                reference::put_varint_field(&mut otp, tag, v);
            }
        }
        if fields & 128 != 0 {
            // A field this version of the format does not have.
            let tag = 8 + u64::from(input.byte() % 8);
            let len = usize::from(input.byte() % 8);
            reference::put_bytes_field(&mut otp, tag, input.take(len));
        }
        reference::put_bytes_field(&mut payload, 1, &otp);
    }
    for tag in 2..=5 {
        if input.byte() & 1 != 0 {
            let v = value(input);
            reference::put_varint_field(&mut payload, tag, v);
        }
    }
    payload
}

/// `verifier_check`: `Verifier::check` and `Verifier::resync` over arbitrary stored states
/// (every field any value: a last step ahead of the clock, a counter at `u64::MAX`, any drift,
/// any lock), arbitrary policies, TOTP and HOTP, never panic, and every answer keeps the
/// rules: an accepted code is the one generated at the returned step, moves the state
/// strictly forward (past the last accepted step for TOTP, past the counter for HOTP), clears
/// the failures and is already used if sent again; a wrong code counts one failure; any other
/// outcome stores nothing new; a throttled state answers `Throttled` and nothing else.
pub fn verifier_check(data: &[u8]) {
    use otpkit::verifier::{Outcome, Policy, State, Verifier};

    let mut input = Input::new(data);
    let flags = input.byte();
    let hotp_kind = flags & 1 != 0;
    let mut policy = Policy::default().with_window(
        Window::new(u32::from(input.byte() % 4), u32::from(input.byte() % 4)).unwrap_or_default(),
    );
    if let Ok(p) = policy.with_max_drift(input.side()) {
        policy = p;
    }
    policy = policy.with_drift_after(u32::from(input.byte() % 4));
    if let Ok(p) = policy.with_look_ahead(input.side()) {
        policy = p;
    }
    if let Ok(p) = policy.with_resync_look_ahead(input.side()) {
        policy = p;
    }
    let mut state = State::new();
    state.version = input.edgy_u64();
    state.last_step = (flags & 2 != 0).then(|| input.edgy_u64());
    state.counter = input.edgy_u64();
    state.failures = u32::from(input.byte() % 8);
    state.locked_until = (flags & 4 != 0).then(|| input.edgy_u64());
    state.drift = i32::from(input.signed_byte());
    state.drift_pending = i32::from(input.signed_byte());
    state.drift_streak = u32::from(input.byte() % 4);
    let time = input.edgy_u64();
    let near = i64::from(input.signed_byte() % 8);
    let key = b"12345678901234567890";
    let Ok(totp) = Totp::new(Algorithm::Sha1, key, otpkit::Digits::EIGHT, 30) else {
        return;
    };
    let totp = totp.with_t0(if flags & 8 != 0 { input.edgy_u64() } else { 0 });
    let hotp = totp.hotp().clone();
    let (verifier, origin) = if hotp_kind {
        (Verifier::hotp(hotp.clone(), policy), state.counter)
    } else {
        let current = totp.step(time).unwrap_or(0);
        let centre = current.saturating_add_signed(i64::from(state.drift));
        (Verifier::totp(totp.clone(), policy), centre)
    };
    let code_at = |step: u64| hotp.generate(step).as_str().to_owned();
    let step = origin.saturating_add_signed(near);
    let code = if flags & 0x10 != 0 {
        String::from_utf8_lossy(input.rest()).into_owned()
    } else {
        code_at(step)
    };

    let check_rules = |outcome: &Outcome, after: &State, typed: &str, what: &str| {
        if let Some(until) = state.throttled_until(time) {
            assert_eq!(*outcome, Outcome::Throttled { until }, "{what}");
        }
        match outcome {
            Outcome::Accepted(m) => {
                assert_eq!(
                    code_at(m.step),
                    typed,
                    "{what}: accepted code of step {}",
                    m.step
                );
                assert_eq!(after.version, state.version.wrapping_add(1), "{what}");
                assert_eq!((after.failures, after.locked_until), (0, None), "{what}");
                assert_eq!(after.last_step, Some(m.step), "{what}");
                if hotp_kind {
                    assert!(
                        after.counter > state.counter,
                        "{what}: {state:?} -> {after:?}"
                    );
                    assert_eq!(after.counter, m.step + 1, "{what}");
                } else if let Some(used) = state.last_step {
                    assert!(m.step > used, "{what}: step {} after {used}", m.step);
                }
                let (again, _) = verifier.check(after, typed, time);
                assert!(!again.is_accepted(), "{what}: accepted twice: {again:?}");
            }
            Outcome::WrongCode => {
                assert_eq!(after.version, state.version.wrapping_add(1), "{what}");
                assert_eq!(after.failures, state.failures.saturating_add(1), "{what}");
                assert_eq!(
                    (after.counter, after.last_step),
                    (state.counter, state.last_step),
                    "{what}"
                );
            }
            _ => assert_eq!(*after, state, "{what}: {outcome:?}"),
        }
    };
    let (outcome, after) = verifier.check(&state, &code, time);
    check_rules(&outcome, &after, &code, "check");
    let (first, second) = (code_at(step.saturating_sub(1)), code.clone());
    let (outcome, after) = verifier.resync(&state, &first, &second, time);
    check_rules(&outcome, &after, &second, "resync");
}
