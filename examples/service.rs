//! A login service on SQLite: enrol two accounts, then log in the way a web service would —
//! one-time codes, the confirming code refused, a replay, a throttled guesser, a recovery
//! code, an HOTP token resynchronised, and a re-enrolment that a stale request cannot slip
//! past. Each check reads the row, runs the policy and writes back with compare-and-swap on
//! the state's version (`store.rs`).
//!
//! Run it with `cargo run --example service`.

#[path = "service/store.rs"]
mod store;

use std::time::{SystemTime, UNIX_EPOCH};

use otpkit::{
    Algorithm, Credential, Digits, Secret,
    enroll::{self, Enrollment},
    recovery,
    verifier::{Policy, State, Verifier},
};
use store::Store;

type Result<T> = core::result::Result<T, Box<dyn core::error::Error + Send + Sync>>;

fn main() -> Result<()> {
    let path = std::env::temp_dir().join(format!("otpkit-service-{}.db", std::process::id()));
    let outcome = run(&path);
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.clone().into_os_string();
        file.push(suffix);
        let _ = std::fs::remove_file(file);
    }
    outcome
}

fn run(path: &std::path::Path) -> Result<()> {
    // The recovery codes' service key. A real service reads it from its secret store (never
    // from the accounts database), so a stolen database cannot be used to test guesses.
    let recovery_key = recovery::Key::generate_os()?;
    let store = Store::open(path, Policy::default(), &recovery_key)?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();

    // Enrolment, half a minute ago: a random secret, confirmed by the first code the phone
    // showed, and ten recovery codes, shown to the user once. The confirmed step is stored
    // as used, so the confirming code cannot log in again.
    let enrollment = Enrollment::start("Example", "alice", enroll::Options::new())?;
    let first = enrollment.credential().to_totp()?.generate(now - 30)?;
    let confirmed = enrollment
        .confirm(first.as_str(), now - 30)
        .map_err(|r| r.into_error())?;
    let alice = confirmed.credential.clone();
    let (shown, recovery) =
        recovery::Codes::generate_os(&recovery_key, recovery::Codes::DEFAULT_COUNT)?;
    store.enroll(
        "alice",
        &alice,
        &State::for_confirmed(&confirmed),
        &recovery,
    )?;
    let codes: Vec<&str> = shown.iter().map(|c| c.as_str()).collect();
    println!("alice enrolled; recovery codes: {}", codes.join(" "));
    println!(
        "login {first} (the confirming code): {}",
        store.login("alice", first.as_str(), now - 20)?.outcome
    );

    // Alice's phone shows the current code.
    let totp = alice.to_totp()?;
    let code = totp.generate(now)?;
    println!(
        "login {code}: {}",
        store.login("alice", code.as_str(), now)?.outcome
    );
    println!(
        "login {code} again: {}",
        store.login("alice", code.as_str(), now + 3)?.outcome
    );

    // Someone guesses: five wrong codes, then everything waits, even the right code.
    for guess in ["000000", "111111", "222222", "333333", "444444", "555555"] {
        println!(
            "login {guess}: {}",
            store.login("alice", guess, now + 10)?.outcome
        );
    }
    let next = totp.generate(now + 20)?;
    println!(
        "login {next} at +20 s: {}",
        store.login("alice", next.as_str(), now + 20)?.outcome
    );
    let later = now + 70;
    let next = totp.generate(later)?;
    println!(
        "login {next} at +70 s: {}",
        store.login("alice", next.as_str(), later)?.outcome
    );

    // The same code sent by eight requests at once, each with its own connection: the
    // compare-and-swap lets exactly one in.
    let racing = totp.generate(later + 30)?;
    let barrier = std::sync::Barrier::new(8);
    let results: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                scope.spawn(|| -> Result<String> {
                    let store = Store::open(path, Policy::default(), &recovery_key)?;
                    barrier.wait();
                    let attempt = store.login("alice", racing.as_str(), later + 30)?;
                    Ok(format!(
                        "{} ({} conflicts)",
                        attempt.outcome, attempt.conflicts
                    ))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| "thread panicked")?
                    .map_err(|e| e.to_string().into())
            })
            .collect::<Result<_>>()
    })?;
    println!(
        "eight requests with {racing} at once: {}",
        results.join(", ")
    );

    // Alice lost her phone: a recovery code, once.
    let typed = shown.first().ok_or("ten codes")?.as_str().to_lowercase();
    println!(
        "recovery {typed}: {}",
        store.redeem("alice", &typed, later + 5)?.outcome
    );
    println!(
        "recovery {typed} again: {}",
        store.redeem("alice", &typed, later + 6)?.outcome
    );

    // Bob has an HOTP token whose button was pressed 40 times without logging in.
    let bob = Credential::hotp(Secret::generate_os()?, Algorithm::Sha1, Digits::SIX, 0);
    let none = recovery::Codes::generate_os(&recovery_key, 0)?.1;
    store.enroll("bob", &bob, &State::for_credential(&bob), &none)?;
    let hotp = bob.to_hotp()?;
    let (c40, c41) = (hotp.generate(40), hotp.generate(41));
    println!(
        "bob login {c40}: {}",
        store.login("bob", c40.as_str(), now)?.outcome
    );
    let account = store.load("bob")?.ok_or("bob is enrolled")?;
    let verifier = Verifier::new(&account.credential, Policy::default())?;
    let (outcome, state) = verifier.resync(&account.state, c40.as_str(), c41.as_str(), now);
    let stored = store.compare_and_swap("bob", account.state.version, &state, &account.recovery)?;
    println!(
        "bob resync {c40} {c41}: {outcome}; stored: {stored}; counter now {}",
        state.counter
    );
    let c42 = hotp.generate(42);
    println!(
        "bob login {c42}: {}",
        store.login("bob", c42.as_str(), now)?.outcome
    );

    // Alice's old phone leaked; she enrols a new one. A request that read her row just before
    // holds the old credential and state: its compare-and-swap must fail, or a code of the
    // leaked secret would log in (the new state's version moves past the old one's).
    let stale = store.load("alice")?.ok_or("alice is enrolled")?;
    let leaked = totp.generate(later + 90)?;
    let enrollment = Enrollment::start("Example", "alice", enroll::Options::new())?;
    let first = enrollment.credential().to_totp()?.generate(later + 90)?;
    let confirmed = enrollment
        .confirm(first.as_str(), later + 90)
        .map_err(|r| r.into_error())?;
    let (_, fresh) = recovery::Codes::generate_os(&recovery_key, recovery::Codes::DEFAULT_COUNT)?;
    let replaced = store.reenroll("alice", &stale.state, &confirmed, &fresh)?;
    let old_verifier = Verifier::new(&stale.credential, Policy::default())?;
    let (outcome, state) = old_verifier.check(&stale.state, leaked.as_str(), later + 90);
    let stored = store.compare_and_swap("alice", stale.state.version, &state, &stale.recovery)?;
    println!(
        "alice re-enrolled: {replaced}; a stale request with the old code {leaked}: {outcome}, \
         stored: {stored} (not logged in); the old code now: {}",
        store.login("alice", leaked.as_str(), later + 90)?.outcome
    );
    Ok(())
}
