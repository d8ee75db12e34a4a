use super::*;
use proptest::prelude::*;
use std::format;
use std::vec::Vec;

/// The MAC as RustCrypto's `hmac::Hmac<D>` computes it: the reference our block-level path
/// must equal, byte for byte.
fn reference(algorithm: Algorithm, key: &[u8], counter: u64) -> Vec<u8> {
    fn run<M: hmac::Mac + hmac::digest::KeyInit>(key: &[u8], counter: u64) -> Vec<u8> {
        let mut mac = <M as hmac::digest::KeyInit>::new_from_slice(key).unwrap();
        mac.update(&counter.to_be_bytes());
        mac.finalize().into_bytes().to_vec()
    }
    match algorithm {
        Algorithm::Sha1 => run::<hmac::Hmac<sha1::Sha1>>(key, counter),
        Algorithm::Sha256 => run::<hmac::Hmac<sha2::Sha256>>(key, counter),
        Algorithm::Sha512 => run::<hmac::Hmac<sha2::Sha512>>(key, counter),
    }
}

fn ours(algorithm: Algorithm, key: &[u8], counter: u64) -> Vec<u8> {
    let keyed = KeyedMac::new(algorithm, key).unwrap();
    assert_eq!(keyed.algorithm(), algorithm);
    keyed.mac(counter).as_bytes().to_vec()
}

/// A key of `len` bytes that differs from position to position and from length to length.
fn key_of(len: usize) -> Vec<u8> {
    let salt = len.to_le_bytes()[0] ^ 0x5a;
    (0..len)
        .map(|i| i.to_le_bytes()[0].wrapping_mul(31) ^ salt)
        .collect()
}

#[test]
fn mac_equals_hmac_crate_at_every_block_boundary() {
    // Around each block size (64 for SHA-1/256, 128 for SHA-512): shorter keys are zero-padded,
    // longer ones hashed first (RFC 2104 §2). 20 and 200 are the common and a long secret.
    let lengths = [1, 19, 20, 63, 64, 65, 127, 128, 129, 200];
    // 0, 1, the last counter, one with every byte different, the top bit alone, arbitrary
    // ones, and a TOTP step of today; the proptest below draws random ones.
    let counters = [
        0,
        1,
        u64::MAX,
        0x0102_0304_0506_0708,
        0x8000_0000_0000_0000,
        0x9e4f_27c1_5d03_b8a6,
        0x3b71_e0d4_c29a_5f18,
        56_666_666,
    ];
    // Under Miri, which interprets every compression (this test took three minutes there),
    // one key on each side of each block boundary and the two end counters.
    let (lengths, counters) = if cfg!(miri) {
        (&[20, 64, 65, 128, 129][..], &[0, u64::MAX][..])
    } else {
        (&lengths[..], &counters[..])
    };
    for algorithm in Algorithm::ALL {
        for &len in lengths {
            let key = key_of(len);
            let keyed = KeyedMac::new(algorithm, &key).unwrap();
            for &counter in counters {
                let expected = reference(algorithm, &key, counter);
                assert_eq!(expected.len(), algorithm.output_len());
                assert_eq!(
                    keyed.mac(counter).as_bytes(),
                    expected.as_slice(),
                    "{algorithm} key length {len} counter {counter:#x}"
                );
            }
        }
    }
}

#[test]
fn mac_of_rfc4226_appendix_d_counter_0() {
    // RFC 4226 Appendix D, the HMAC-SHA-1 of counter 0 with its 20-byte ASCII key.
    let mac = ours(Algorithm::Sha1, b"12345678901234567890", 0);
    let expected = [
        0xcc, 0x93, 0xcf, 0x18, 0x50, 0x8d, 0x94, 0x93, 0x4c, 0x64, 0xb6, 0x5d, 0x8b, 0xa7, 0x66,
        0x7f, 0xb7, 0xcd, 0xe4, 0xb0,
    ];
    assert_eq!(mac, expected);
}

#[test]
fn clones_give_the_same_mac_and_debug_shows_no_state() {
    for algorithm in Algorithm::ALL {
        let keyed = KeyedMac::new(algorithm, &key_of(20)).unwrap();
        let copy = keyed.clone();
        drop(keyed);
        assert_eq!(
            copy.mac(7).as_bytes(),
            reference(algorithm, &key_of(20), 7).as_slice()
        );
        assert_eq!(
            format!("{copy:?}"),
            format!("KeyedMac {{ algorithm: {algorithm:?}, .. }}")
        );
    }
}

#[test]
fn dropping_the_pads_wipes_both_states() {
    let mut pads = Pads::<u32, 5>::new::<sha1::Sha1, 64>(b"key", sha1::block_api::compress);
    assert_ne!(pads.inner, [0; 5]);
    assert_ne!(pads.outer, [0; 5]);
    // What `Drop` runs, called by name so that the value can still be read afterwards.
    pads.wipe();
    assert_eq!((pads.inner, pads.outer), ([0; 5], [0; 5]));
}

proptest! {
    #[test]
    #[cfg_attr(miri, ignore)] // 256 cases take minutes under Miri
    fn mac_equals_hmac_crate_for_any_key_and_counter(
        key in proptest::collection::vec(any::<u8>(), 1..300),
        counter in any::<u64>(),
        which in 0usize..3,
    ) {
        let algorithm = Algorithm::ALL[which];
        prop_assert_eq!(ours(algorithm, &key, counter), reference(algorithm, &key, counter));
    }
}

#[test]
fn parses_names_leniently_and_rejects_others() {
    for (s, a) in [
        ("SHA1", Algorithm::Sha1),
        ("sha1", Algorithm::Sha1),
        ("Sha-1", Algorithm::Sha1),
        ("SHA256", Algorithm::Sha256),
        ("sha-256", Algorithm::Sha256),
        ("SHA512", Algorithm::Sha512),
        ("SHA-512", Algorithm::Sha512),
    ] {
        assert_eq!(s.parse::<Algorithm>(), Ok(a), "{s}");
    }
    for s in [
        "MD5", "SHA3-256", "SHA", "SHA-", "SHA--1", "", "SHA1 ", "sha224", "é",
    ] {
        assert_eq!(
            s.parse::<Algorithm>(),
            Err(Error::UnsupportedAlgorithm),
            "{s}"
        );
    }
}

#[test]
fn truncation_matches_rfc4226_section_5_4() {
    // The worked example of RFC 4226 §5.4.
    let mac = [
        0x1f, 0x86, 0x98, 0x69, 0x0e, 0x02, 0xca, 0x16, 0x61, 0x85, 0x50, 0xef, 0x7f, 0x19, 0xda,
        0x8e, 0x94, 0x5b, 0x55, 0x5a,
    ];
    assert_eq!(truncate(&mac), 0x50ef_7f19);
}

#[test]
fn empty_key_is_refused() {
    assert!(matches!(
        KeyedMac::new(Algorithm::Sha1, b""),
        Err(Error::EmptyKey)
    ));
}

#[test]
// Hundreds of HMACs (SHA-512 in software): minutes under Miri, whose point here is the
// dependencies' memory safety, which the smaller tests already drive through the same code.
#[cfg_attr(miri, ignore)]
fn staged_runs_equal_one_mac_at_a_time_for_every_lane_count() {
    // Every run length from 0 to a full chunk, at counters that wrap past u64::MAX, for a key
    // shorter than, equal to and longer than each block: lane i holds the truncation of the
    // MAC of counter first + i, and slots past the chunk stay untouched.
    for algorithm in Algorithm::ALL {
        for key_len in [1, 20, 64, 128, 129] {
            let keyed = KeyedMac::new(algorithm, &key_of(key_len)).unwrap();
            for first in [0, 1_111_111, u64::MAX - 3] {
                for n in 0..=LANES + 1 {
                    let mut out = [u32::MAX; LANES + 2];
                    keyed.truncated_run(first, &mut out[..n]);
                    for (i, value) in out.iter().enumerate() {
                        let expected = if i < n.min(LANES) {
                            let counter = first.wrapping_add(i as u64);
                            truncate(&reference(algorithm, &key_of(key_len), counter))
                        } else {
                            u32::MAX
                        };
                        assert_eq!(
                            *value, expected,
                            "{algorithm} key {key_len} {first}+{i}/{n}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn masked_truncation_equals_the_indexed_reading_at_every_offset() {
    // The RFC's reading, by index, against the masked one: every offset 0..=15, for MACs of
    // 20, 32 and 64 bytes (the nibble is the last byte's wherever that is).
    for len in [20usize, 32, 64] {
        for offset in 0..16u8 {
            let mut mac: Vec<u8> = (0..len)
                .map(|i| i.to_le_bytes()[0].wrapping_mul(37) ^ 0xa5)
                .collect();
            let last = mac.len() - 1;
            mac[last] = (mac[last] & 0xf0) | offset;
            let o = usize::from(offset);
            let indexed =
                u32::from_be_bytes([mac[o], mac[o + 1], mac[o + 2], mac[o + 3]]) & 0x7fff_ffff;
            assert_eq!(truncate(&mac), indexed, "len {len} offset {offset}");
        }
    }
}
