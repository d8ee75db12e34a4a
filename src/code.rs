//! Codes: the number of digits, rendering a truncated MAC as decimal or Steam Guard text, and
//! reading what a user typed.

use core::fmt;

use subtle::{Choice, ConstantTimeEq};

use crate::error::{CodeError, Error};

mod read;

pub(crate) use read::read_typed;

/// The number of decimal digits of a code: 6 to 10, checked once when it is built.
///
/// RFC 4226 §5.3 asks for at least 6; 10 is the most a 31-bit truncated value can fill.
///
/// # Examples
///
/// ```
/// use otpkit::{Digits, Error};
///
/// assert_eq!(Digits::new(8)?.get(), 8);
/// assert_eq!(Digits::default(), Digits::SIX);
/// assert_eq!(Digits::new(11), Err(Error::InvalidDigits { digits: 11 }));
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digits(u8);

impl Digits {
    /// Six digits, what nearly every authenticator shows.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::Digits::SIX.get(), 6);
    /// ```
    pub const SIX: Self = Self(6);
    /// Seven digits.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::Digits::SEVEN.get(), 7);
    /// ```
    pub const SEVEN: Self = Self(7);
    /// Eight digits, as in RFC 6238's test vectors.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::Digits::EIGHT.get(), 8);
    /// ```
    pub const EIGHT: Self = Self(8);
    /// The fewest digits, RFC 4226 §5.3's minimum.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::Digits;
    /// assert!(Digits::new(Digits::MIN.get() - 1).is_err());
    /// ```
    pub const MIN: Self = Self(6);
    /// The most digits: ten fill the 31-bit truncated value.
    ///
    /// # Examples
    ///
    /// ```
    /// use otpkit::Digits;
    /// assert!(Digits::new(Digits::MAX.get() + 1).is_err());
    /// ```
    pub const MAX: Self = Self(10);

    /// Checks that `digits` is within [`Digits::MIN`] to [`Digits::MAX`] (6 to 10).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidDigits`] for anything outside 6 to 10.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(otpkit::Digits::new(10).is_ok());
    /// assert!(otpkit::Digits::new(5).is_err());
    /// ```
    pub const fn new(digits: u8) -> Result<Self, Error> {
        if digits >= Self::MIN.0 && digits <= Self::MAX.0 {
            Ok(Self(digits))
        } else {
            Err(Error::InvalidDigits { digits })
        }
    }

    /// The number of digits.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(otpkit::Digits::SEVEN.get(), 7);
    /// ```
    #[must_use]
    pub const fn get(self) -> u8 {
        self.0
    }
}

impl Default for Digits {
    fn default() -> Self {
        Self::SIX
    }
}

impl TryFrom<u8> for Digits {
    type Error = Error;

    fn try_from(digits: u8) -> Result<Self, Error> {
        Self::new(digits)
    }
}

/// The alphabet of Steam Guard codes: digits and consonants without look-alikes.
/// Rendering and reading compute it arithmetically ([`steam_char`], [`steam_index`]); the tests
/// check both against it.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) const STEAM_ALPHABET: &[u8; 26] = b"23456789BCDFGHJKMNPQRTVWXY";
/// The character of [`STEAM_ALPHABET`] at `index` (below 26), computed without indexing memory
/// or branching on it: the value is secret until shown. The alphabet is `'2'..='9'` followed by
/// consonants, so the character is `'2' + index` plus 8 from the ninth entry on (the gap from
/// `'9'` to `'B'`) and one for each letter skipped after that (E, I, L, O, S, U); each
/// "`index` ≥ t" is the sign bit of `t - 1 - index`, an arithmetic mask.
#[allow(clippy::cast_possible_truncation)] // below 0x60
fn steam_char(index: u32) -> u8 {
    let at_least = |t: u32| (t.wrapping_sub(1).wrapping_sub(index)) >> 31;
    let skips = 8 * at_least(8)
        + at_least(11)
        + at_least(14)
        + at_least(16)
        + at_least(18)
        + at_least(21)
        + at_least(22);
    (u32::from(b'2') + index + skips) as u8
}

/// The index of `c` in [`STEAM_ALPHABET`], if it is there: [`steam_char`] inverted by the same
/// arithmetic masks (a digit is `c - '2'`; a letter is `c - 'B' + 8` less the letters skipped
/// before it), then checked by rendering the index back. Neither a table nor a comparison per
/// entry: a set-membership test over the alphabet compiles to a tree of branches, which showed
/// in the dudect bench as a difference between typed Steam codes.
#[allow(clippy::cast_possible_truncation)] // below 2^8 after the check
fn steam_index(c: u8) -> Option<u8> {
    let x = u32::from(c);
    let at_least = |t: u32| (t.wrapping_sub(1).wrapping_sub(x)) >> 31;
    let letter = 0u32.wrapping_sub(at_least(u32::from(b'B')));
    let skips = at_least(u32::from(b'F'))
        + at_least(u32::from(b'J'))
        + at_least(u32::from(b'M'))
        + at_least(u32::from(b'P'))
        + at_least(u32::from(b'T'))
        + at_least(u32::from(b'V'));
    let as_letter = x
        .wrapping_sub(u32::from(b'B'))
        .wrapping_add(8)
        .wrapping_sub(skips);
    let as_digit = x.wrapping_sub(u32::from(b'2'));
    let index = (as_letter & letter) | (as_digit & !letter);
    let valid = u8::from(index < 26) & u8::from(steam_char(index % 26) == c);
    (valid == 1).then_some(index as u8)
}

/// Steam Guard codes have five characters.
pub(crate) const STEAM_LEN: u8 = 5;
/// The longest code: ten digits.
const MAX_LEN: usize = 10;
/// `MAX_LEN` bytes of ASCII '0', in the low bytes of a u128.
const ASCII_ZEROS: u128 = 0x3030_3030_3030_3030_3030;

/// For the digit of place 10^p (p = 8 down to 0): ⌈2^64 / 10^(p+1)⌉, so that
/// `value * it mod 2^64` is the fraction part of `value / 10^(p+1)` in 64-bit fixed point, and
/// ten times that fraction has the digit as its integer part. The rounding error stays below
/// `value / 2^64 < 2^31 / 2^64`, under the `1 / 10^9 ≥ 2^33 / 2^64` a digit could tolerate
/// (a test checks all ten digits against `format!`; every 31-bit value was checked once).
const DIGIT_FRACTIONS: [u64; MAX_LEN - 1] = [
    fraction_of_power_of_ten(9),
    fraction_of_power_of_ten(8),
    fraction_of_power_of_ten(7),
    fraction_of_power_of_ten(6),
    fraction_of_power_of_ten(5),
    fraction_of_power_of_ten(4),
    fraction_of_power_of_ten(3),
    fraction_of_power_of_ten(2),
    fraction_of_power_of_ten(1),
];

/// ⌈2^64 / 10^exponent⌉ (rounded up by one where exact, which no power of ten is).
#[allow(clippy::cast_possible_truncation)] // below 2^64 for every exponent of 1 or more
const fn fraction_of_power_of_ten(exponent: u32) -> u64 {
    ((1u128 << 64) / 10u128.pow(exponent) + 1) as u64
}

/// The ten decimal digits of `value` (below 2^31, as truncation gives), one digit value (0-9)
/// per byte of a u128, the most significant digit in the lowest byte, so that the bytes read in
/// order are the digits in order.
///
/// Branch-free, without tables (the value is secret until shown) and without a chain of
/// divisions: each digit comes from two multiplications that do not wait on the other digits.
fn ten_digits(value: u32) -> u128 {
    let mut all = u128::from(value / 1_000_000_000);
    let mut shift = 8;
    for fraction in DIGIT_FRACTIONS {
        let digit = (u128::from(u64::from(value).wrapping_mul(fraction)) * 10) >> 64;
        all |= digit << shift;
        shift += 8;
    }
    all
}

/// How a truncated value becomes text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Format {
    /// `value mod 10^digits`, zero-padded (RFC 4226 §5.3).
    Decimal(Digits),
    /// Five characters of [`STEAM_ALPHABET`], least significant first.
    Steam,
}

impl Format {
    pub(crate) const fn len(self) -> u8 {
        match self {
            Self::Decimal(d) => d.get(),
            Self::Steam => STEAM_LEN,
        }
    }

    /// The number a code of this format shows for the truncated value `value`: `value mod
    /// 10^digits` (decimal), or `value mod 26^5`, the five base-26 digits a Steam code spells.
    /// Verification compares this with [`TypedCode`]'s number instead of rendering each
    /// candidate's text. The format is public, so the `match` is a branch on public data;
    /// each divisor is a constant, which compiles to a multiplication (no `div` instruction,
    /// whose time can depend on its operands).
    #[inline(always)]
    pub(crate) fn reduce(self, value: u32) -> u64 {
        let v = u64::from(value);
        match self {
            Self::Decimal(d) => match d.get() {
                6 => v % 1_000_000,
                7 => v % 10_000_000,
                8 => v % 100_000_000,
                9 => v % 1_000_000_000,
                _ => v,
            },
            Self::Steam => v % STEAM_MODULUS,
        }
    }
}

/// 26^5: a Steam Guard code's five base-26 digits.
const STEAM_MODULUS: u64 = 26u64.pow(STEAM_LEN as u32);

/// A one-time code on the stack: 6 to 10 ASCII digits with leading zeros kept, or the
/// 5 characters of a Steam Guard code. Formats without allocating.
///
/// Compare a code with what a user typed through [`Totp::verify`](crate::Totp::verify) or
/// [`Hotp::verify`](crate::Hotp::verify), which compare in constant time; `==` on two `Code`s is
/// meant for tests and tools.
///
/// # Examples
///
/// ```
/// use otpkit::{Algorithm, Digits, Hotp};
///
/// let hotp = Hotp::new(Algorithm::Sha1, b"12345678901234567890", Digits::SIX)?;
/// let code = hotp.generate(0);
/// assert_eq!(code.as_str(), "755224");
/// assert_eq!(code.len(), 6);
/// assert_eq!(format!("{code}"), "755224");
/// # Ok::<(), otpkit::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Code {
    chars: [u8; MAX_LEN],
    len: u8,
}

impl Code {
    /// A placeholder for arrays that are filled before they are read.
    pub(crate) const BLANK: Self = Self {
        chars: [b'0'; MAX_LEN],
        len: 0,
    };

    /// Renders a 31-bit truncated value in `format`.
    pub(crate) fn render(value: u32, format: Format) -> Self {
        let mut chars = [b'0'; MAX_LEN];
        let len = format.len();
        match format {
            Format::Decimal(digits) => {
                // The last `digits` of the value's ten decimal digits are `value mod 10^digits`,
                // zero-padded: render all ten, then shift the wanted ones to the front.
                let skip = MAX_LEN.saturating_sub(usize::from(digits.get()));
                let text = (ten_digits(value) >> (8 * skip)) + ASCII_ZEROS;
                if let Some(bytes) = text.to_le_bytes().first_chunk::<MAX_LEN>() {
                    chars = *bytes;
                }
            }
            Format::Steam => {
                let mut v = value;
                for slot in chars.iter_mut().take(usize::from(STEAM_LEN)) {
                    *slot = steam_char(v % 26);
                    v /= 26;
                }
            }
        }
        Self { chars, len }
    }

    /// The code as text.
    ///
    /// # Examples
    ///
    /// ```
    /// # let hotp = otpkit::Hotp::new(otpkit::Algorithm::Sha1, b"12345678901234567890", otpkit::Digits::EIGHT)?;
    /// assert_eq!(hotp.generate(1).as_str(), "94287082");
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(self.as_bytes()).unwrap_or("")
    }

    /// The code as ASCII bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// # let hotp = otpkit::Hotp::new(otpkit::Algorithm::Sha1, b"12345678901234567890", otpkit::Digits::SIX)?;
    /// assert_eq!(hotp.generate(0).as_bytes(), b"755224");
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.chars.get(..usize::from(self.len)).unwrap_or(&[])
    }

    /// The number of characters: 6 to 10, or 5 for Steam Guard.
    ///
    /// # Examples
    ///
    /// ```
    /// # let hotp = otpkit::Hotp::new(otpkit::Algorithm::Sha1, b"12345678901234567890", otpkit::Digits::SIX)?;
    /// assert_eq!(hotp.generate(0).len(), 6);
    /// # Ok::<(), otpkit::Error>(())
    /// ```
    #[must_use]
    #[allow(clippy::len_without_is_empty)] // a code is never empty
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }
}

/// An empty placeholder (no characters, [`Code::len`] 0), for arrays that
/// [`Hotp::generate_batch`](crate::Hotp::generate_batch) or
/// [`Totp::generate_batch`](crate::Totp::generate_batch) fill; no generated code is empty.
///
/// # Examples
///
/// ```
/// assert_eq!(otpkit::Code::default().as_str(), "");
/// ```
impl Default for Code {
    fn default() -> Self {
        Self::BLANK
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Code").field(&self.as_str()).finish()
    }
}

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

/// What a user typed, normalised: separators dropped, Steam letters upper-cased, padded like
/// `Code`; and the number it spells ([`Format::reduce`]'s counterpart), which verification
/// compares.
pub(crate) struct TypedCode {
    value: u64,
}

impl TypedCode {
    /// Reads a typed code in `format` with the one reader of typed codes ([`read_typed`], whose
    /// module says which separators are accepted where). Only the length and the characters,
    /// public facts, decide errors.
    pub(crate) fn parse(input: &str, format: Format) -> Result<Self, CodeError> {
        let mut chars = [b'0'; MAX_LEN];
        let len = format.len();
        let (out, _) = chars.split_at_mut(usize::from(len).min(MAX_LEN));
        match format {
            Format::Decimal(_) => read_typed(input, out, |c| {
                u8::try_from(c).ok().filter(u8::is_ascii_digit)
            })?,
            Format::Steam => read_typed(input, out, |c| {
                u8::try_from(c)
                    .ok()
                    .map(|b| b.to_ascii_uppercase())
                    .filter(|b| steam_index(*b).is_some())
            })?,
        }
        // The number the text spells: decimal digits most significant first, Steam characters
        // least significant first (as `Code::render` writes them). This is the typed input, not
        // a secret of the verifier, and every character was checked above.
        let value = match format {
            Format::Decimal(_) => out
                .iter()
                .fold(0u64, |v, c| v * 10 + u64::from(c.wrapping_sub(b'0'))),
            Format::Steam => out.iter().rev().fold(0u64, |v, c| {
                v * 26 + u64::from(steam_index(*c).unwrap_or(0))
            }),
        };
        Ok(Self { value })
    }

    /// Constant-time comparison with a candidate's number ([`Format::reduce`] of its truncated
    /// value, in the same format): one `Choice` per candidate.
    pub(crate) fn ct_eq_value(&self, reduced: u64) -> Choice {
        self.value.ct_eq(&reduced)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::String;

    #[test]
    fn digits_range_is_checked() {
        for d in 0..=255u8 {
            assert_eq!(Digits::new(d).is_ok(), (6..=10).contains(&d), "{d}");
        }
    }

    #[test]
    fn decimal_keeps_leading_zeros_and_truncates() {
        let six = Format::Decimal(Digits::SIX);
        assert_eq!(Code::render(42, six).as_str(), "000042");
        assert_eq!(Code::render(1_234_567, six).as_str(), "234567");
        let ten = Format::Decimal(Digits::new(10).unwrap());
        assert_eq!(Code::render(0x7fff_ffff, ten).as_str(), "2147483647");
        assert_eq!(Code::render(7, ten).as_str(), "0000000007");
    }

    #[test]
    fn decimal_rendering_equals_format_for_every_digit_count() {
        // Spread over the whole 31-bit range; fewer under Miri, which interprets each one.
        const SPREAD: u32 = if cfg!(miri) { 60 } else { 200_000 };
        let values = [
            0,
            9,
            10,
            99,
            100,
            12_345_678,
            99_999_999,
            100_000_000,
            999_999_999,
            1_000_000_000,
            1_999_999_999,
            2_147_483_647,
        ];
        for digits in 6..=10u8 {
            let format = Format::Decimal(Digits::new(digits).unwrap());
            let modulus = 10u64.pow(u32::from(digits));
            for value in values
                .into_iter()
                .chain((0..SPREAD).map(|i| i * (2_147_483_647 / SPREAD) + 7))
            {
                let expected = std::format!(
                    "{:0width$}",
                    u64::from(value) % modulus,
                    width = usize::from(digits)
                );
                assert_eq!(Code::render(value, format).as_str(), expected, "{value}");
            }
        }
    }

    #[test]
    fn steam_characters_are_the_alphabet_without_lookups() {
        for (index, &expected) in (0u32..).zip(STEAM_ALPHABET.iter()) {
            assert_eq!(steam_char(index), expected, "{index}");
            assert_eq!(steam_index(expected).map(u32::from), Some(index));
        }
        for c in 0..=255u8 {
            assert_eq!(steam_index(c).is_some(), STEAM_ALPHABET.contains(&c), "{c}");
        }
    }

    #[test]
    fn steam_renders_least_significant_first() {
        // 26 -> digits [0, 1, 0, 0, 0] in base 26 -> "2", "3", "2", "2", "2".
        assert_eq!(Code::render(26, Format::Steam).as_str(), "23222");
        assert_eq!(Code::render(0, Format::Steam).as_str(), "22222");
        assert_eq!(Code::render(25, Format::Steam).as_str(), "Y2222");
    }

    #[test]
    fn typed_codes_allow_separators_and_report_the_rest() {
        let six = Format::Decimal(Digits::SIX);
        let ok = TypedCode::parse(" 123 456 ", six).unwrap();
        assert_eq!(ok.value, 123_456);
        assert_eq!(TypedCode::parse("123-456\n", six).unwrap().value, 123_456);
        let eight = Format::Decimal(Digits::EIGHT);
        assert_eq!(TypedCode::parse("0075 5224", eight).unwrap().value, 755_224);
        assert_eq!(
            TypedCode::parse("123\u{2009}456", six).err(),
            Some(CodeError::InvalidCharacter { position: 3 })
        );
        assert_eq!(
            TypedCode::parse("12345", six).err(),
            Some(CodeError::WrongLength {
                expected: 6,
                found: 5
            })
        );
        assert_eq!(
            TypedCode::parse("", six).err(),
            Some(CodeError::WrongLength {
                expected: 6,
                found: 0
            })
        );
        assert_eq!(
            TypedCode::parse("１２３４５６", six).err(),
            Some(CodeError::InvalidCharacter { position: 0 })
        );
        let long: String = "1".repeat(300);
        assert_eq!(
            TypedCode::parse(&long, six).err(),
            Some(CodeError::WrongLength {
                expected: 6,
                found: 255
            })
        );
        assert_eq!(
            TypedCode::parse("12345a", six).err(),
            Some(CodeError::InvalidCharacter { position: 5 })
        );
    }

    #[test]
    fn steam_typed_codes_are_case_insensitive() {
        let t = TypedCode::parse("y2b 3c", Format::Steam).unwrap();
        // Y2B3C, least significant first: 25, 0, 8, 1, 9 in base 26.
        let expected = 25 + 8 * 26u64.pow(2) + 26u64.pow(3) + 9 * 26u64.pow(4);
        assert_eq!(t.value, expected);
        assert_eq!(
            TypedCode::parse("A2222", Format::Steam).err(),
            Some(CodeError::InvalidCharacter { position: 0 })
        );
    }

    #[test]
    #[cfg_attr(miri, ignore)] // thousands of renderings: minutes under Miri, no unsafe reached
    fn typed_numbers_equal_the_reduced_values_of_the_codes_they_spell() {
        // For every format, a rendered code read back as typed spells the number that
        // `reduce` gives for the same truncated value; a one-character change does not.
        let formats = (6..=10u8)
            .map(|d| Format::Decimal(Digits::new(d).unwrap()))
            .chain([Format::Steam]);
        for format in formats {
            for value in [
                0u32,
                1,
                25,
                26,
                755_224,
                11_881_375,
                11_881_376,
                0x7fff_ffff,
            ]
            .into_iter()
            .chain((0..2000u32).map(|i| i.wrapping_mul(1_073_741)))
            {
                let value = value & 0x7fff_ffff;
                let code = Code::render(value, format);
                let typed = TypedCode::parse(code.as_str(), format).unwrap();
                assert!(
                    bool::from(typed.ct_eq_value(format.reduce(value))),
                    "{value}"
                );
                let mut other = code.as_bytes().to_vec();
                other[0] = if other[0] == b'3' { b'4' } else { b'3' };
                let other = TypedCode::parse(core::str::from_utf8(&other).unwrap(), format);
                assert!(!bool::from(
                    other.unwrap().ct_eq_value(format.reduce(value))
                ));
            }
        }
    }
}
