//! The compare-and-swap pattern on a real database: sixteen threads, each with its own SQLite
//! connection to one file, submit the same valid code at the same moment. Exactly one may be
//! accepted; every other sees "already used", directly or after losing the write and retrying.
//! Every thread reads the row before any writes (a barrier between read and write), so the
//! writes really conflict, and the tests assert that they did. Wrong guesses raced the same
//! way are each counted by the throttle; a re-enrolment defeats a request that read the old
//! row (ABA).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../examples/service/store.rs"]
mod store;

use std::path::PathBuf;
use std::sync::Barrier;

use otpkit::{
    Algorithm, Credential, Digits, Secret,
    enroll::{self, Enrollment},
    recovery,
    verifier::{Outcome, Policy, State, Throttle, Verifier},
};
use store::{Attempt, Pause, Store};

const RACERS: u32 = 16;
const THREADS: usize = RACERS as usize;
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

/// The recovery codes' service key of these tests (a service keeps it outside the database).
fn key() -> recovery::Key {
    recovery::Key::from_bytes(&[0x42; 32]).unwrap()
}

fn enrolled(db: &TempDb, recovery: &recovery::Codes) -> Store {
    let store = Store::open(&db.0, Policy::default(), &key()).unwrap();
    store
        .enroll(
            "alice",
            &alice(),
            &State::for_credential(&alice()),
            recovery,
        )
        .unwrap();
    store
}

/// Runs `attempt` on `THREADS` threads, each with its own connection and policy. Each
/// thread's first read of the row is held at a barrier until every thread has read, so all
/// read version 0 and all but one first write must lose the compare-and-swap.
fn race<O: Send>(
    db: &TempDb,
    policy: Policy,
    attempt: impl Fn(usize, &Store, Pause<'_>) -> Attempt<O> + Sync,
) -> Vec<Attempt<O>> {
    let barrier = Barrier::new(THREADS);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS)
            .map(|i| {
                let (barrier, attempt) = (&barrier, &attempt);
                scope.spawn(move || {
                    let store = Store::open(&db.0, policy, &key()).unwrap();
                    let mut first_read = true;
                    let mut pause = || {
                        if core::mem::take(&mut first_read) {
                            barrier.wait();
                        }
                    };
                    attempt(i, &store, &mut pause)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

fn conflicts<O>(results: &[Attempt<O>]) -> u32 {
    results.iter().map(|a| a.conflicts).sum()
}

#[test]
fn sixteen_racing_logins_with_one_code_accept_exactly_one() {
    let db = TempDb::new("otp-race");
    let store = enrolled(&db, &recovery::Codes::generate_os(&key(), 1).unwrap().1);
    let code = alice().to_totp().unwrap().generate(NOW).unwrap();

    let results = race(&db, Policy::default(), |_, s, pause| {
        s.login_pausing("alice", code.as_str(), NOW, pause).unwrap()
    });

    let accepted = results.iter().filter(|a| a.outcome.is_accepted()).count();
    assert_eq!(accepted, 1, "{results:?}");
    for a in results.iter().filter(|a| !a.outcome.is_accepted()) {
        assert_eq!(a.outcome, Outcome::AlreadyUsed, "{results:?}");
    }
    // One write landed: version 1, the step stored.
    let stored = store.load("alice").unwrap().unwrap().state;
    assert_eq!((stored.version, stored.last_step), (1, Some(NOW / 30)));
    // The threads really raced: all read version 0, so every write but one lost, and each
    // loser retried once and then saw "already used", which writes nothing.
    assert_eq!(conflicts(&results), RACERS - 1, "{results:?}");
}

#[test]
fn sixteen_racing_redemptions_of_one_recovery_code_accept_exactly_one() {
    let db = TempDb::new("recovery-race");
    let (shown, recovery) = recovery::Codes::generate_os(&key(), 5).unwrap();
    let store = enrolled(&db, &recovery);
    let code = shown[2].as_str();

    let results = race(&db, Policy::default(), |_, s, pause| {
        s.redeem_pausing("alice", code, NOW, pause).unwrap()
    });

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
    assert_eq!(conflicts(&results), RACERS - 1, "{results:?}");
}

#[test]
fn a_stale_write_is_refused_and_the_retry_sees_already_used() {
    // The race made deterministic: two connections read the same row and both accept.
    let db = TempDb::new("stale");
    let a = enrolled(&db, &recovery::Codes::generate_os(&key(), 0).unwrap().1);
    let b = Store::open(&db.0, Policy::default(), &key()).unwrap();
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
    let store = enrolled(&db, &recovery::Codes::generate_os(&key(), 0).unwrap().1);
    for _ in 0..5 {
        let a = store.login("alice", "000000", NOW).unwrap();
        assert_eq!(a.outcome, Outcome::WrongCode);
    }
    drop(store);
    let reopened = Store::open(&db.0, Policy::default(), &key()).unwrap();
    let code = alice().to_totp().unwrap().generate(NOW + 1).unwrap();
    assert_eq!(
        reopened
            .login("alice", code.as_str(), NOW + 1)
            .unwrap()
            .outcome,
        Outcome::Throttled { until: NOW + 30 }
    );
}

/// Sixteen different wrong codes for alice at `NOW` (none of them her code).
fn wrong_guess(i: usize) -> String {
    let right = alice().to_totp().unwrap().generate(NOW).unwrap();
    let guess = format!("{:06}", 100_000 + i);
    if guess == right.as_str() {
        format!("{:06}", 200_000 + i)
    } else {
        guess
    }
}

#[test]
fn sixteen_racing_wrong_guesses_are_each_counted_by_the_throttle() {
    // A throttle that does not lock before 16 failures: a lost update (two failures stored
    // as one) would show as fewer than 16.
    let db = TempDb::new("guess-race");
    let store = enrolled(&db, &recovery::Codes::generate_os(&key(), 0).unwrap().1);
    let policy = Policy::default().with_throttle(Throttle::new(100, 30, 3600));
    let results = race(&db, policy, |i, s, pause| {
        s.login_pausing("alice", &wrong_guess(i), NOW, pause)
            .unwrap()
    });
    assert!(
        results.iter().all(|a| a.outcome == Outcome::WrongCode),
        "{results:?}"
    );
    let stored = store.load("alice").unwrap().unwrap().state;
    assert_eq!(
        (stored.failures, stored.version),
        (RACERS, u64::from(RACERS))
    );
    assert!(conflicts(&results) >= RACERS - 1, "{results:?}");
}

#[test]
fn racing_wrong_guesses_lock_the_account_after_exactly_the_free_failures() {
    // With the default throttle (5 free failures): five guesses are checked and counted,
    // the other eleven are refused unchecked; no guess slips past the lock.
    let db = TempDb::new("guess-race-default");
    let store = enrolled(&db, &recovery::Codes::generate_os(&key(), 0).unwrap().1);
    let results = race(&db, Policy::default(), |i, s, pause| {
        s.login_pausing("alice", &wrong_guess(i), NOW, pause)
            .unwrap()
    });
    let wrong = results
        .iter()
        .filter(|a| a.outcome == Outcome::WrongCode)
        .count();
    let throttled = results
        .iter()
        .filter(|a| a.outcome == Outcome::Throttled { until: NOW + 30 })
        .count();
    assert_eq!((wrong, throttled), (5, THREADS - 5), "{results:?}");
    let stored = store.load("alice").unwrap().unwrap().state;
    assert_eq!(
        (stored.failures, stored.version, stored.locked_until),
        (5, 5, Some(NOW + 30))
    );
    assert!(conflicts(&results) >= RACERS - 1, "{results:?}");
}

#[test]
fn a_request_that_read_the_row_before_a_re_enrolment_cannot_log_in() {
    // Issue 11, item 10 (ABA): alice never logged in, so her state is version 0. A request
    // reads the old credential and state; alice re-enrols (the old secret leaked); the
    // request's code of the old secret is right for what it read — its write must fail.
    let db = TempDb::new("reenrol");
    let (old_codes, old_set) = recovery::Codes::generate_os(&key(), 1).unwrap();
    let store = enrolled(&db, &old_set);
    let stale_conn = Store::open(&db.0, Policy::default(), &key()).unwrap();
    let stale = stale_conn.load("alice").unwrap().unwrap();
    assert_eq!(stale.state.version, 0);
    let leaked = alice().to_totp().unwrap().generate(NOW).unwrap();

    let enrollment = Enrollment::start("Example", "alice", enroll::Options::new()).unwrap();
    let first = enrollment
        .credential()
        .to_totp()
        .unwrap()
        .generate(NOW)
        .unwrap();
    let confirmed = enrollment.confirm(first.as_str(), NOW).unwrap();
    let (_, fresh) = recovery::Codes::generate_os(&key(), 2).unwrap();
    assert!(
        store
            .reenroll("alice", &stale.state, &confirmed, &fresh)
            .unwrap()
    );
    let now = store.load("alice").unwrap().unwrap();
    assert_eq!(now.state.version, 1);
    assert_eq!(now.state.last_step, Some(confirmed.step));

    let old = Verifier::new(&stale.credential, Policy::default()).unwrap();
    let (outcome, state) = old.check(&stale.state, leaked.as_str(), NOW);
    assert!(outcome.is_accepted());
    assert!(
        !stale_conn
            .compare_and_swap("alice", stale.state.version, &state, &stale.recovery)
            .unwrap(),
        "a write based on the replaced credential landed"
    );
    // Starting over reads the new credential: the old code is wrong, the confirming code used.
    assert_eq!(
        stale_conn
            .login("alice", leaked.as_str(), NOW)
            .unwrap()
            .outcome,
        if leaked.as_str() == first.as_str() {
            Outcome::AlreadyUsed
        } else {
            Outcome::WrongCode
        }
    );
    assert_eq!(
        stale_conn
            .login("alice", first.as_str(), NOW + 1)
            .unwrap()
            .outcome,
        Outcome::AlreadyUsed
    );
    // The old recovery codes went with the old credential.
    assert_eq!(
        stale_conn
            .redeem("alice", old_codes[0].as_str(), NOW + 2)
            .unwrap()
            .outcome,
        recovery::Outcome::WrongCode
    );
    // A second re-enrolment from the same stale read is refused too.
    assert!(
        !store
            .reenroll("alice", &stale.state, &confirmed, &fresh)
            .unwrap()
    );
}

#[test]
fn the_secret_is_stored_as_its_bytes_and_read_back_the_same() {
    // A login reads the key with no base32 decoding (issue 11, item 12): the column holds the
    // raw bytes, and the credential read back is the one enrolled.
    let db = TempDb::new("secret-bytes");
    let store = enrolled(&db, &recovery::Codes::generate_os(&key(), 1).unwrap().1);
    let conn = rusqlite::Connection::open(&db.0).unwrap();
    let (kind, stored): (String, Vec<u8>) = conn
        .query_row(
            "SELECT typeof(secret), secret FROM accounts WHERE name = 'alice'",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    assert_eq!(kind, "blob");
    assert_eq!(stored, b"12345678901234567890");
    let account = store.load("alice").unwrap().unwrap();
    assert_eq!(account.credential.secret().as_bytes(), stored.as_slice());
}
