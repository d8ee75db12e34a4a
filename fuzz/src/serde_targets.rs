//! The serde fuzz target: stored forms read from arbitrary JSON. Separate from `targets.rs`
//! because it needs `serde_json` and otpkit's `serde` feature; the library's
//! `tests/fuzz_corpus.rs` includes it by path when that feature is on.

use otpkit::recovery::Codes;
use otpkit::verifier::State;

/// Reads the fuzzer's bytes front to back; zeros past the end.
struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&first, rest)) => {
                self.0 = rest;
                first
            }
            None => 0,
        }
    }

    fn u64(&mut self) -> u64 {
        (0..8).fold(0u64, |n, _| (n << 8) | u64::from(self.byte()))
    }

    fn rest(&mut self) -> &'a [u8] {
        core::mem::take(&mut self.0)
    }
}

/// One JSON value for a field: mostly a number that fits, sometimes one at or past the edges
/// of its type, `null`, a negative number, a string, or a float.
fn field_value(input: &mut Bytes<'_>, signed: bool) -> (String, Option<i128>) {
    match input.byte() % 10 {
        0 => ("null".into(), None),
        1 => (format!("\"{}\"", input.byte()), None),
        2 => ("1.5".into(), None),
        3 => {
            let n = -i128::from(input.u64());
            (n.to_string(), Some(n))
        }
        4 => (
            (u128::from(u64::MAX) + 1).to_string(),
            Some(i128::from(u64::MAX) + 1),
        ),
        5 => {
            let n = i128::from(u64::MAX - u64::from(input.byte()));
            (n.to_string(), Some(n))
        }
        _ => {
            let n = i128::from(input.byte());
            let n = if signed && input.byte() & 1 != 0 {
                -n
            } else {
                n
            };
            (n.to_string(), Some(n))
        }
    }
}

/// The state's stored fields, their JSON type's range and whether `null` is allowed.
const STATE_FIELDS: [(&str, i128, i128, bool); 8] = [
    ("version", 0, u64::MAX as i128, false),
    ("last_step", 0, u64::MAX as i128, true),
    ("counter", 0, u64::MAX as i128, false),
    ("failures", 0, u32::MAX as i128, false),
    ("locked_until", 0, u64::MAX as i128, true),
    ("drift", i32::MIN as i128, i32::MAX as i128, false),
    ("drift_pending", i32::MIN as i128, i32::MAX as i128, false),
    ("drift_streak", 0, u32::MAX as i128, false),
];

/// The value of field `name` of a state, as a number (`None` for `null`).
fn state_field(state: &State, name: &str) -> Option<i128> {
    match name {
        "version" => Some(i128::from(state.version)),
        "last_step" => state.last_step.map(i128::from),
        "counter" => Some(i128::from(state.counter)),
        "failures" => Some(i128::from(state.failures)),
        "locked_until" => state.locked_until.map(i128::from),
        "drift" => Some(i128::from(state.drift)),
        "drift_pending" => Some(i128::from(state.drift_pending)),
        _ => Some(i128::from(state.drift_streak)),
    }
}

/// `stored_forms`: `State` and `recovery::Codes` read from arbitrary JSON never panic, and
/// what they accept writes a form that reads back the same and writes the same text again.
/// The JSON is built from the input (every field present, missing, `null`, out of its type's
/// range, the wrong type, duplicated, unknown fields, other formats), or is the raw input.
/// A state object whose every field is present and in range reads, and holds exactly the
/// values written (read back independently of the library, from the JSON built here).
pub fn stored_forms(data: &[u8]) {
    let mut input = Bytes(data);
    match input.byte() % 4 {
        0 => {
            let text = String::from_utf8_lossy(input.rest()).into_owned();
            check_state(&text, None);
            check_codes(&text);
        }
        1 | 2 => state_object(&mut input),
        _ => codes_object(&mut input),
    }
}

fn state_object(input: &mut Bytes<'_>) {
    let flags = input.byte();
    let format = if flags & 1 == 0 {
        1
    } else {
        u64::from(input.byte())
    };
    let mut parts = vec![format!("\"format\":{format}")];
    let mut complete = format == 1;
    let mut expected = Vec::new();
    for (name, min, max, nullable) in STATE_FIELDS {
        let presence = input.byte();
        if presence % 8 == 0 {
            complete = false;
            continue;
        }
        let (text, value) = if presence % 8 == 1 {
            field_value(input, min < 0)
        } else {
            let n = i128::from(input.byte());
            let n = if min < 0 && presence & 0x80 != 0 {
                -n
            } else {
                n
            };
            (n.to_string(), Some(n))
        };
        let fits = match value {
            Some(n) => (min..=max).contains(&n),
            None => nullable && text == "null",
        };
        complete &= fits;
        expected.push((name, value));
        parts.push(format!("\"{name}\":{text}"));
    }
    if flags & 2 != 0 {
        parts.push("\"extra\":true".into());
    }
    if flags & 4 != 0 {
        // A repeated field: serde's derive refuses it.
        complete = false;
        parts.push("\"counter\":0".into());
    }
    let text = format!("{{{}}}", parts.join(","));
    check_state(&text, complete.then_some(expected.as_slice()));
}

fn check_state(text: &str, complete: Option<&[(&str, Option<i128>)]>) {
    let read = serde_json::from_str::<State>(text);
    if let Some(expected) = complete {
        let state = read.as_ref().unwrap_or_else(|e| panic!("{text}: {e}"));
        for &(name, value) in expected {
            assert_eq!(state_field(state, name), value, "{text}: field {name}");
        }
    }
    let Ok(state) = read else { return };
    let written = serde_json::to_string(&state).unwrap_or_else(|e| panic!("{state:?}: {e}"));
    let again = serde_json::from_str::<State>(&written);
    assert_eq!(
        again.as_ref().ok(),
        Some(&state),
        "{text} was written as {written}"
    );
    if let Ok(again) = again {
        assert_eq!(
            serde_json::to_string(&again).ok().as_deref(),
            Some(written.as_str())
        );
    }
}

fn hex(input: &mut Bytes<'_>, len: usize) -> String {
    match input.byte() % 8 {
        0 => "zz".repeat(len),
        1 => "ab".repeat(len.saturating_sub(1)),
        2 => "AB".repeat(len),
        _ => {
            let b = input.byte();
            (0u8..)
                .take(len)
                .map(|i| format!("{:02x}", b.wrapping_add(i)))
                .collect()
        }
    }
}

fn codes_object(input: &mut Bytes<'_>) {
    let flags = input.byte();
    let format = if flags & 1 == 0 {
        1
    } else {
        u64::from(input.byte())
    };
    let mut parts = vec![format!("\"format\":{format}")];
    if flags & 2 == 0 {
        parts.push(format!("\"salt\":\"{}\"", hex(input, 16)));
    }
    let list = |input: &mut Bytes<'_>| {
        let n = usize::from(input.byte() % 6);
        let items: Vec<String> = (0..n).map(|_| format!("\"{}\"", hex(input, 32))).collect();
        format!("[{}]", items.join(","))
    };
    if flags & 4 == 0 {
        parts.push(format!("\"unused\":{}", list(input)));
    }
    if flags & 8 == 0 {
        parts.push(format!("\"used\":{}", list(input)));
    }
    if flags & 16 != 0 {
        parts.push("\"extra\":1".into());
    }
    check_codes(&format!("{{{}}}", parts.join(",")));
}

fn check_codes(text: &str) {
    let Ok(codes) = serde_json::from_str::<Codes>(text) else {
        return;
    };
    let written = serde_json::to_string(&codes).unwrap_or_else(|e| panic!("{text}: {e}"));
    let again =
        serde_json::from_str::<Codes>(&written).unwrap_or_else(|e| panic!("{written}: {e}"));
    assert_eq!(
        serde_json::to_string(&again).ok().as_deref(),
        Some(written.as_str()),
        "{text}"
    );
    assert_eq!(again.remaining(), codes.remaining(), "{text}");
}
