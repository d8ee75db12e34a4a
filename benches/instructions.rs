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

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss
)]

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

/// A named call to time.
type Row = (String, Box<dyn Fn()>);

/// `--min-time`: each row's least time per call over many short rounds, the rows of one
/// algorithm interleaved round by round. On a loaded machine the minimum is the figure other
/// processes disturb least (they only ever add time), so ratios of minima from one run are the
/// timing figures of `benches/README.md` when criterion's medians are noise.
fn min_time(rows: &[Row]) {
    const CALLS: u32 = 32;
    const ROUNDS: u32 = 3000;
    let mut best = vec![f64::INFINITY; rows.len()];
    for _ in 0..ROUNDS {
        for ((_, f), best) in rows.iter().zip(best.iter_mut()) {
            let start = std::time::Instant::now();
            for _ in 0..CALLS {
                f();
            }
            let ns = start.elapsed().as_nanos() as f64 / f64::from(CALLS);
            *best = best.min(ns);
        }
    }
    for ((name, _), ns) in rows.iter().zip(best) {
        println!("{name} {ns:.1}");
    }
}

fn main() {
    if std::env::args().any(|a| a == "--min-time") {
        for algorithm in [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512] {
            timing_rows(algorithm);
        }
        return;
    }
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

/// The rows of `--min-time` for one algorithm.
fn timing_rows(algorithm: Algorithm) {
    let a = algorithm.as_str();
    let key = key(algorithm);
    let ours = otpkit_totp(algorithm, &key);
    let theirs = totp_rs(algorithm, &key, 1);
    let miss = miss_code(algorithm, &key, 1);
    let miss20 = miss_code(algorithm, &key, 20);
    let theirs20 = totp_rs(algorithm, &key, 20);
    let w20 = Window::symmetric(20).unwrap();
    let hotp = Hotp::new(algorithm, &key, Digits::SIX).unwrap();
    let step = TIME / 30;
    let mut rows: Vec<Row> = Vec::new();
    let latency = move || floor(algorithm, 8);
    rows.push((format!("floor/latency-x8/{a}"), Box::new(latency)));
    let throughput = move || independent(algorithm);
    rows.push((format!("floor/k8/{a}"), Box::new(throughput)));
    let (o, t) = (ours.clone(), theirs.clone());
    rows.push((
        format!("generate/otpkit/{a}"),
        Box::new(move || {
            black_box(black_box(&o).generate(black_box(TIME)).unwrap());
        }),
    ));
    rows.push((
        format!("generate/totp-rs/{a}"),
        Box::new(move || {
            black_box(black_box(&t).generate(black_box(TIME)));
        }),
    ));
    let (o, m) = (ours.clone(), miss.clone());
    rows.push((
        format!("verify_miss/otpkit/{a}"),
        Box::new(move || {
            black_box(black_box(&o).verify(black_box(&m), black_box(TIME), Window::default())).ok();
        }),
    ));
    // Today's codes one at a time, each to the end before the next (the shape before staging;
    // not constant time, a timing reference only).
    let (o, m) = (ours.clone(), miss.clone());
    rows.push((
        format!("verify_miss/one-by-one/{a}"),
        Box::new(move || {
            let o = black_box(&o);
            let hit = (step - 1..=step + 1)
                .fold(false, |hit, s| hit | (o.generate_at_step(s).as_str() == m));
            black_box(hit);
        }),
    ));
    let (t, m) = (theirs.clone(), miss.clone());
    rows.push((
        format!("verify_miss/totp-rs/{a}"),
        Box::new(move || {
            black_box(black_box(&t).check(black_box(&m), black_box(TIME)));
        }),
    ));
    let (k, m) = (key.clone(), miss.clone());
    rows.push((
        format!("verify_from_secret/otpkit/{a}"),
        Box::new(move || {
            let totp = otpkit_totp(algorithm, black_box(&k));
            black_box(totp.verify(black_box(&m), TIME, Window::default())).ok();
        }),
    ));
    let (k, m) = (key.clone(), miss.clone());
    rows.push((
        format!("verify_from_secret/totp-rs/{a}"),
        Box::new(move || {
            black_box(totp_rs(algorithm, black_box(&k), 1).check(black_box(&m), TIME));
        }),
    ));
    let (o, m) = (ours.clone(), miss20.clone());
    rows.push((
        format!("verify_window/otpkit/{a}-w20"),
        Box::new(move || {
            black_box(black_box(&o).verify(black_box(&m), TIME, w20)).ok();
        }),
    ));
    let (t, m) = (theirs20, miss20);
    rows.push((
        format!("verify_window/totp-rs/{a}-w20"),
        Box::new(move || {
            black_box(black_box(&t).check(black_box(&m), TIME));
        }),
    ));
    let h = hotp.clone();
    rows.push((
        format!("generate_batch/otpkit/{a}-8"),
        Box::new(move || {
            let mut out = [Code::default(); 8];
            black_box(&h).generate_batch(black_box(1000), &mut out);
            black_box(&out);
        }),
    ));
    rows.push((
        format!("generate_batch/one-by-one/{a}-8"),
        Box::new(move || {
            let out: [Code; 8] =
                core::array::from_fn(|i| black_box(&hotp).generate(1000 + i as u64));
            black_box(&out);
        }),
    ));
    min_time(&rows);
}

/// Eight independent compressions (the throughput floor's work).
fn independent(algorithm: Algorithm) {
    let block64 = [[0x5a_u8; 64]];
    let block128 = [[0x5a_u8; 128]];
    match algorithm {
        Algorithm::Sha1 => {
            let mut s = [[1u32; 5]; 8];
            for s in black_box(&mut s) {
                sha1::block_api::compress(s, black_box(&block64));
            }
            black_box(&s);
        }
        Algorithm::Sha256 => {
            let mut s = [[1u32; 8]; 8];
            for s in black_box(&mut s) {
                sha2::block_api::compress256(s, black_box(&block64));
            }
            black_box(&s);
        }
        Algorithm::Sha512 => {
            let mut s = [[1u64; 8]; 8];
            for s in black_box(&mut s) {
                sha2::block_api::compress512(s, black_box(&block128));
            }
            black_box(&s);
        }
    }
}
