//! Plain text holding secrets, built in wiped buffers that never grow: JSON measured first and
//! then written into a buffer of exactly its size, and lines joined the same way. A buffer
//! that grows moves its bytes and frees the old copy unwiped; these never do.

use std::io::{self, Write};

use serde::Serialize;
use zeroize::Zeroizing;

/// `value` as JSON (pretty when `pretty`), in a wiped buffer allocated once at its final size.
pub(crate) fn to_wiped_vec<T: Serialize + ?Sized>(
    value: &T,
    pretty: bool,
) -> Result<Zeroizing<Vec<u8>>, serde_json::Error> {
    fn write<T: Serialize + ?Sized, W: Write>(
        w: W,
        value: &T,
        pretty: bool,
    ) -> Result<(), serde_json::Error> {
        if pretty {
            serde_json::to_writer_pretty(w, value)
        } else {
            serde_json::to_writer(w, value)
        }
    }
    let mut counter = Counter(0);
    write(&mut counter, value, pretty)?;
    let mut out = Zeroizing::new(Vec::with_capacity(counter.0));
    write(&mut *out, value, pretty)?;
    Ok(out)
}

/// The same, as text.
pub(crate) fn to_wiped_string<T: Serialize + ?Sized>(
    value: &T,
    pretty: bool,
) -> Result<Zeroizing<String>, serde_json::Error> {
    let mut bytes = to_wiped_vec(value, pretty)?;
    // serde_json writes UTF-8; the bytes move into the String without a copy.
    let text = String::from_utf8(core::mem::take(&mut *bytes)).map_err(|e| {
        let mut lost = e.into_bytes();
        zeroize::Zeroize::zeroize(&mut lost);
        <serde_json::Error as serde::ser::Error>::custom("serde_json wrote invalid UTF-8")
    })?;
    Ok(Zeroizing::new(text))
}

/// Each part followed by a line end, in one wiped buffer of exactly that size.
pub(crate) fn wiped_lines<S: AsRef<str>>(parts: &[S]) -> Zeroizing<String> {
    let len = parts
        .iter()
        .map(|p| p.as_ref().len().saturating_add(1))
        .fold(0usize, usize::saturating_add);
    let mut out = Zeroizing::new(String::with_capacity(len));
    for p in parts {
        out.push_str(p.as_ref());
        out.push('\n');
    }
    out
}

/// A writer that only counts the bytes.
struct Counter(usize);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 = self.0.saturating_add(buf.len());
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn buffers_are_allocated_once_at_their_final_size() {
        let value = serde_json::json!({"secret": "JBSWY3DPEHPK3PXP", "list": [1, 2, 3]});
        for pretty in [false, true] {
            let v = to_wiped_vec(&value, pretty).unwrap();
            assert_eq!(v.len(), v.capacity());
            let expected = if pretty {
                serde_json::to_vec_pretty(&value).unwrap()
            } else {
                serde_json::to_vec(&value).unwrap()
            };
            assert_eq!(*v, expected);
            let s = to_wiped_string(&value, pretty).unwrap();
            assert_eq!((s.as_bytes(), s.len()), (expected.as_slice(), s.capacity()));
        }
        let lines = wiped_lines(&["a", "bc"]);
        assert_eq!((lines.as_str(), lines.capacity()), ("a\nbc\n", 5));
    }
}
