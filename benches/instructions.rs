//! Instruction counts, the noise-free second measure: one row of the criterion benches run
//! `ITERATIONS` times inside `measured`, which callgrind alone counts (valgrind's CPU has no
//! SHA extensions, so this is the `sha1`/`sha2` crates' software path). Not a timing: staging
//! does not lower the count, it lets a core overlap what is counted; the count shows that the
//! staged shape adds no work and how much a row does beside its compressions.
//!
//! ```sh
//! scripts/instructions            # every row, instructions per call
//! ```
//!
//! Without valgrind it runs each row once and prints the row names, so CI can run it.

#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{TIME, key, miss_code, otpkit_totp, totp_rs};
use core::hint::black_box;
use otpkit::{Algorithm, Code, Digits, Hotp, Window};

/// Calls per row under callgrind.
const ITERATIONS: u32 = 1000;

/// The region callgrind counts (`--toggle-collect=*instructions::measured*`).
#[inline(never)]
fn measured(iterations: u32, f: &dyn Fn()) {
    for _ in 0..iterations {
        f();
    }
}

fn floor(algorithm: Algorithm, k: usize) {
    let block64 = [[0x5a_u8; 64]];
    let block128 = [[0x5a_u8; 128]];
    match algorithm {
        Algorithm::Sha1 => {
            let mut s = [1u32; 5];
            for _ in 0..k {
                sha1::block_api::compress(black_box(&mut s), black_box(&block64));
            }
        }
        Algorithm::Sha256 => {
            let mut s = [1u32; 8];
            for _ in 0..k {
                sha2::block_api::compress256(black_box(&mut s), black_box(&block64));
            }
        }
        Algorithm::Sha512 => {
            let mut s = [1u64; 8];
            for _ in 0..k {
                sha2::block_api::compress512(black_box(&mut s), black_box(&block128));
            }
        }
    }
}

fn main() {
    let iterations = if std::env::args().any(|a| a == "--once") {
        1
    } else {
        ITERATIONS
    };
    let wanted: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    let run = |name: &str, f: &dyn Fn()| {
        if wanted.as_deref().is_none_or(|w| w == name) {
            measured(iterations, f);
            println!("{name}");
        }
    };
    for algorithm in Algorithm::ALL {
        let a = algorithm.as_str();
        let key = key(algorithm);
        let ours = otpkit_totp(algorithm, &key);
        let miss = miss_code(algorithm, &key, 1);
        let theirs = totp_rs(algorithm, &key, 1);
        run(&format!("floor/{a}"), &|| floor(algorithm, 1));
        run(&format!("generate/otpkit/{a}"), &|| {
            black_box(black_box(&ours).generate(black_box(TIME)).unwrap());
        });
        run(&format!("generate/totp-rs/{a}"), &|| {
            black_box(black_box(&theirs).generate(black_box(TIME)));
        });
        run(&format!("verify_miss/otpkit/{a}"), &|| {
            let r = black_box(&ours).verify(black_box(&miss), black_box(TIME), Window::default());
            assert!(r.is_err());
        });
        run(&format!("verify_miss/totp-rs/{a}"), &|| {
            assert!(
                black_box(&theirs)
                    .check(black_box(&miss), black_box(TIME))
                    .is_none()
            );
        });
        run(&format!("verify_from_secret/otpkit/{a}"), &|| {
            let totp = otpkit_totp(algorithm, black_box(&key));
            assert!(
                totp.verify(black_box(&miss), TIME, Window::default())
                    .is_err()
            );
        });
        run(&format!("verify_from_secret/totp-rs/{a}"), &|| {
            assert!(
                totp_rs(algorithm, black_box(&key), 1)
                    .check(black_box(&miss), TIME)
                    .is_none()
            );
        });
        let miss20 = miss_code(algorithm, &key, 20);
        let w20 = Window::symmetric(20).unwrap();
        let theirs20 = totp_rs(algorithm, &key, 20);
        run(&format!("verify_window/otpkit/{a}-w20"), &|| {
            assert!(
                black_box(&ours)
                    .verify(black_box(&miss20), TIME, w20)
                    .is_err()
            );
        });
        run(&format!("verify_window/totp-rs/{a}-w20"), &|| {
            assert!(
                black_box(&theirs20)
                    .check(black_box(&miss20), TIME)
                    .is_none()
            );
        });
        let hotp = Hotp::new(algorithm, &key, Digits::SIX).unwrap();
        run(&format!("generate_batch/otpkit/{a}-8"), &|| {
            let mut out = [Code::default(); 8];
            black_box(&hotp).generate_batch(black_box(1000), &mut out);
            black_box(&out);
        });
        run(&format!("generate_one_by_one/otpkit/{a}-8"), &|| {
            let out: [Code; 8] =
                core::array::from_fn(|i| black_box(&hotp).generate(1000 + i as u64));
            black_box(&out);
        });
    }
}
