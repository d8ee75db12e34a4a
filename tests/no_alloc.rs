//! Generation and verification allocate nothing: a counting global allocator watches them.

// Tests state their expectations bluntly; the library itself may not.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss
)]

use otpkit::verifier::{Policy, State, Verifier};
use otpkit::{Algorithm, Code, Digits, Hotp, Totp, Window, decode_base32};

/// Allocations made by the current thread while `f` runs, counted by `allocation-counter`'s
/// global allocator (per thread, so the harness's other threads do not disturb the count).
fn allocations_during(f: impl FnOnce()) -> u64 {
    allocation_counter::measure(f).count_total
}

#[test]
fn the_counter_sees_allocations() {
    // Without this the tests below could not fail.
    assert!(allocations_during(|| drop(core::hint::black_box(vec![1u8; 64]))) >= 1);
}

#[test]
fn keying_generating_and_verifying_allocate_nothing() {
    for algorithm in Algorithm::ALL {
        let n = allocations_during(|| {
            let mut buf = [0u8; 64];
            let key = decode_base32("GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ", &mut buf).unwrap();
            // A 200-byte key is longer than every block, so it is hashed first.
            let long = [7u8; 200];
            for key in [&key[..], &long[..]] {
                let totp = Totp::new(algorithm, key, Digits::EIGHT, 30).unwrap();
                let code = totp.generate(1_111_111_109).unwrap();
                assert_eq!(code.len(), 8);
                let m = totp.verify(code.as_str(), 1_111_111_109, Window::symmetric(5).unwrap());
                assert!(m.is_ok());
                let miss = totp.verify_after("0000 0000", 1_111_111_109, Window::default(), 0);
                assert!(miss.is_err());
                let hotp = Hotp::new(algorithm, key, Digits::SIX).unwrap();
                let c = hotp.generate(7);
                assert!(hotp.verify(c.as_str(), 0, 10).is_ok());
                let next = hotp.generate(8);
                assert!(hotp.resync(c.as_str(), next.as_str(), 0, 50).is_ok());
                let steam = Totp::steam(key).unwrap();
                assert_eq!(steam.generate(59).unwrap().len(), 5);
                // Batches, across more than one chunk of staged HMACs.
                let mut batch = [Code::default(); 20];
                assert_eq!(hotp.generate_batch(3, &mut batch), 20);
                assert_eq!(batch[4], hotp.generate(7));
                assert_eq!(totp.generate_batch(1_111_111_109, &mut batch).unwrap(), 20);
                // The widest window: 201 steps, in chunks on the stack.
                let widest = Window::symmetric(Window::MAX).unwrap();
                let far = totp.generate(1_111_111_109 + 100 * 30).unwrap();
                let m = totp.verify(far.as_str(), 1_111_111_109, widest).unwrap();
                assert_eq!(m.offset, 100);
                // The verifier's check goes through the same staged scan.
                let v = Verifier::totp(totp.clone(), Policy::default());
                let (outcome, _) = v.check(&State::new(), code.as_str(), 1_111_111_109);
                assert!(outcome.is_accepted());
            }
        });
        assert_eq!(n, 0, "{algorithm}: {n} allocations");
    }
}
