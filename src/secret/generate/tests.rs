use super::*;
use std::string::ToString;

/// A predictable generator that claims to be cryptographic, so the tests can see exactly which
/// bytes reach the secret. Never do this outside a test.
struct Counting(u8);

impl rand_core::TryRng for Counting {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(u32::from(self.next()))
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok(u64::from(self.next()))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        dst.iter_mut().for_each(|b| *b = self.next());
        Ok(())
    }
}

impl rand_core::TryCryptoRng for Counting {}

impl Counting {
    fn next(&mut self) -> u8 {
        self.0 = self.0.wrapping_add(1);
        self.0
    }
}

#[test]
fn default_is_160_bits_taken_from_the_generator() {
    let mut rng = Counting(0);
    let s = Secret::generate(&mut rng);
    assert_eq!(s.bits(), 160);
    assert_eq!(s.as_bytes(), (1..=20).collect::<vec::Vec<u8>>());
    // The next secret continues the stream: nothing is cached or reused.
    let t = Secret::generate(&mut rng);
    assert_eq!(t.as_bytes(), (21..=40).collect::<vec::Vec<u8>>());
}

#[test]
fn sizes_from_128_to_1024_bits_in_whole_bytes() {
    for bits in (128..=1024).step_by(8) {
        let s = Secret::generate_bits(&mut Counting(0), bits).unwrap();
        assert_eq!(s.bits(), bits);
        assert_eq!(s.as_bytes().first(), Some(&1));
    }
}

#[test]
fn sizes_refused_exactly() {
    let cases = [
        (0, GenerateError::TooShort { bits: 0 }),
        (80, GenerateError::TooShort { bits: 80 }),
        (127, GenerateError::TooShort { bits: 127 }),
        (129, GenerateError::NotWholeBytes { bits: 129 }),
        (255, GenerateError::NotWholeBytes { bits: 255 }),
        (1023, GenerateError::NotWholeBytes { bits: 1023 }),
        (1025, GenerateError::TooLong { bits: 1025 }),
        (1032, GenerateError::TooLong { bits: 1032 }),
        (usize::MAX, GenerateError::TooLong { bits: usize::MAX }),
    ];
    for (bits, expected) in cases {
        assert_eq!(
            Secret::generate_bits(&mut Counting(0), bits).err(),
            Some(expected),
            "{bits}"
        );
        #[cfg(feature = "std")]
        assert_eq!(
            Secret::generate_os_bits(bits).err(),
            Some(expected),
            "{bits}"
        );
    }
}

#[test]
fn messages_are_exact() {
    let cases = [
        (
            GenerateError::TooShort { bits: 80 },
            "a new secret must have at least 128 bits, got 80",
        ),
        (
            GenerateError::TooLong { bits: 2048 },
            "a new secret must have at most 1024 bits, got 2048",
        ),
        (
            GenerateError::NotWholeBytes { bits: 130 },
            "a secret must be a whole number of bytes, got 130 bits",
        ),
        (
            GenerateError::Os,
            "the operating system's random number generator failed",
        ),
    ];
    for (e, text) in cases {
        assert_eq!(e.to_string(), text);
    }
}

#[test]
fn generated_secrets_pass_the_issuer_policy() {
    assert_eq!(
        Strength::ISSUER.check(&Secret::generate(&mut Counting(0))),
        Ok(())
    );
    let smallest = Secret::generate_bits(&mut Counting(0), Secret::MIN_GENERATED_BITS).unwrap();
    assert_eq!(Strength::ISSUER.check(&smallest), Ok(()));
}

#[test]
fn works_through_a_trait_object_and_a_reference() {
    let mut rng = Counting(0);
    let dynamic: &mut dyn CryptoRng = &mut rng;
    assert_eq!(Secret::generate(dynamic).len(), 20);
    let mut by_ref = &mut rng;
    assert_eq!(Secret::generate_bits(&mut by_ref, 256).unwrap().len(), 32);
}

#[cfg(feature = "std")]
#[test]
fn os_secrets_are_fresh() {
    let a = Secret::generate_os().unwrap();
    let b = Secret::generate_os().unwrap();
    assert_eq!((a.bits(), b.bits()), (160, 160));
    // Equal 160-bit draws, or an all-zero one, would mean the bytes never came from the OS.
    assert_ne!(a, b);
    assert!(a.as_bytes().iter().any(|&x| x != 0));
    assert_eq!(Secret::generate_os_bits(256).unwrap().len(), 32);
    assert_eq!(
        std::format!("{a:?}"),
        "Secret { bits: 160, .. }",
        "Debug shows the size only"
    );
}
