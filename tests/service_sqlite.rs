//! The compare-and-swap pattern on a real database: sixteen threads, each with its own SQLite
//! connection to one file, submit the same valid code at the same moment. Exactly one may be
//! accepted; every other sees "already used", directly or after losing the write and retrying.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../examples/service/store.rs"]
mod store;

use std::path::PathBuf;
use std::sync::Barrier;

use otpkit::{
    Algorithm, Credential, Digits, Secret, recovery,
    verifier::{Outcome, Policy, Verifier},
};
use store::{Attempt, Store};

const THREADS: usize = 16;
const NOW: u64 = 1_700_000_000;

/// A database file of its own for each test, removed when dropped.
struct TempDb(PathBuf);

impl TempDb {
    fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!("otpkit-{name}-{}.db", std::process::id()));
        let db = Self(path);
        db.remove();
        db
    }

    fn remove(&self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut file = self.0.clone().into_os_string();
            file.push(suffix);
            let _ = std::fs::remove_file(file);
        }
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        self.remove();
    }
}

fn alice() -> Credential {
    let secret = Secret::from_bytes(b"12345678901234567890").unwrap();
    Credential::totp(secret, Algorithm::Sha1, Digits::SIX, 30).unwrap()
}

fn enrolled(db: &TempDb, recovery: &recovery::Codes) -> Store {
    let store = Store::open(&db.0, Policy::default()).unwrap();
    store.enroll("alice", &alice(), recovery).unwrap();
    store
}

/// Runs `attempt` on `THREADS` threads, each with its own connection, released together by a
/// barrier so that they really race.
fn race<O: Send>(db: &TempDb, attempt: impl Fn(&Store) -> Attempt<O> + Sync) -> Vec<Attempt<O>> {
    let barrier = Barrier::new(THREADS);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS)
            .map(|_| {
                scope.spawn(|| {
                    let store = Store::open(&db.0, Policy::default()).unwrap();
                    barrier.wait();
                    attempt(&store)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

#[test]
fn sixteen_racing_logins_with_one_code_accept_exactly_one() {
    let db = TempDb::new("otp-race");
    let store = enrolled(&db, &recovery::Codes::generate_os(1).unwrap().1);
    let code = alice().to_totp().unwrap().generate(NOW).unwrap();

    let results = race(&db, |s| s.login("alice", code.as_str(), NOW).unwrap());

    let accepted = results.iter().filter(|a| a.outcome.is_accepted()).count();
    assert_eq!(accepted, 1, "{results:?}");
    for a in results.iter().filter(|a| !a.outcome.is_accepted()) {
        assert_eq!(a.outcome, Outcome::AlreadyUsed, "{results:?}");
    }
    // One write landed: version 1, the step stored.
    let stored = store.load("alice").unwrap().unwrap().state;
    assert_eq!((stored.version, stored.last_step), (1, Some(NOW / 30)));
    let conflicts: u32 = results.iter().map(|a| a.conflicts).sum();
    eprintln!("{THREADS} racing logins: 1 accepted, {conflicts} lost writes retried");
}

#[test]
fn sixteen_racing_redemptions_of_one_recovery_code_accept_exactly_one() {
    let db = TempDb::new("recovery-race");
    let (shown, recovery) = recovery::Codes::generate_os(5).unwrap();
    let store = enrolled(&db, &recovery);
    let code = shown[2].as_str();

    let results = race(&db, |s| s.redeem("alice", code, NOW).unwrap());

    let accepted: Vec<_> = results.iter().filter(|a| a.outcome.is_accepted()).collect();
    assert_eq!(accepted.len(), 1, "{results:?}");
    assert_eq!(
        accepted[0].outcome,
        recovery::Outcome::Accepted { remaining: 4 }
    );
    for a in results.iter().filter(|a| !a.outcome.is_accepted()) {
        assert_eq!(
            a.outcome,
            recovery::Outcome::AlreadyUsed { remaining: 4 },
            "{results:?}"
        );
    }
    let account = store.load("alice").unwrap().unwrap();
    assert_eq!(account.state.version, 1);
    assert_eq!(
        (account.recovery.remaining(), account.recovery.used().len()),
        (4, 1)
    );
    let conflicts: u32 = results.iter().map(|a| a.conflicts).sum();
    eprintln!("{THREADS} racing redemptions: 1 accepted, {conflicts} lost writes retried");
}

#[test]
fn a_stale_write_is_refused_and_the_retry_sees_already_used() {
    // The race made deterministic: two connections read the same row and both accept.
    let db = TempDb::new("stale");
    let a = enrolled(&db, &recovery::Codes::generate_os(0).unwrap().1);
    let b = Store::open(&db.0, Policy::default()).unwrap();
    let code = alice().to_totp().unwrap().generate(NOW).unwrap();
    let verifier = Verifier::new(&alice(), Policy::default()).unwrap();

    let read_a = a.load("alice").unwrap().unwrap();
    let read_b = b.load("alice").unwrap().unwrap();
    let (outcome_a, new_a) = verifier.check(&read_a.state, code.as_str(), NOW);
    let (outcome_b, new_b) = verifier.check(&read_b.state, code.as_str(), NOW);
    assert!(outcome_a.is_accepted() && outcome_b.is_accepted());
    let version = read_a.state.version;
    assert!(
        a.compare_and_swap("alice", version, &new_a, &read_a.recovery)
            .unwrap()
    );
    assert!(
        !b.compare_and_swap("alice", version, &new_b, &read_b.recovery)
            .unwrap()
    );
    // B must not log the user in: it starts over and is refused.
    let retry = b.login("alice", code.as_str(), NOW).unwrap();
    assert_eq!((retry.outcome, retry.conflicts), (Outcome::AlreadyUsed, 0));
}

#[test]
fn the_throttle_is_stored_and_survives_a_new_connection() {
    let db = TempDb::new("throttle");
    let store = enrolled(&db, &recovery::Codes::generate_os(0).unwrap().1);
    for _ in 0..5 {
        let a = store.login("alice", "000000", NOW).unwrap();
        assert_eq!(a.outcome, Outcome::WrongCode);
    }
    drop(store);
    let reopened = Store::open(&db.0, Policy::default()).unwrap();
    let code = alice().to_totp().unwrap().generate(NOW + 1).unwrap();
    assert_eq!(
        reopened
            .login("alice", code.as_str(), NOW + 1)
            .unwrap()
            .outcome,
        Outcome::Throttled { until: NOW + 30 }
    );
}
