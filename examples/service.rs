//! A login service on SQLite: enrol two accounts, then log in the way a web service would —
//! one-time codes, a replay, a throttled guesser, a recovery code, and an HOTP token
//! resynchronised. Each check reads the row, runs the policy and writes back with
//! compare-and-swap on the state's version (`store.rs`).
//!
//! Run it with `cargo run --example service`.

#[path = "service/store.rs"]
mod store;

use std::time::{SystemTime, UNIX_EPOCH};

use otpkit::{Algorithm, Credential, Digits, Secret, recovery, verifier::Policy};
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
    let store = Store::open(path, Policy::default())?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();

    // Enrolment: a random secret and ten recovery codes, shown to the user once.
    let alice = Credential::totp(Secret::generate_os()?, Algorithm::Sha1, Digits::SIX, 30)?;
    let (shown, recovery) = recovery::Codes::generate_os(recovery::Codes::DEFAULT_COUNT)?;
    store.enroll("alice", &alice, &recovery)?;
    let codes: Vec<&str> = shown.iter().map(|c| c.as_str()).collect();
    println!("alice enrolled; recovery codes: {}", codes.join(" "));

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
                    let store = Store::open(path, Policy::default())?;
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
    store.enroll("bob", &bob, &recovery::Codes::generate_os(0)?.1)?;
    let hotp = bob.to_hotp()?;
    let (c40, c41) = (hotp.generate(40), hotp.generate(41));
    println!(
        "bob login {c40}: {}",
        store.login("bob", c40.as_str(), now)?.outcome
    );
    let account = store.load("bob")?.ok_or("bob is enrolled")?;
    let verifier = otpkit::verifier::Verifier::new(&account.credential, Policy::default())?;
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
    Ok(())
}
