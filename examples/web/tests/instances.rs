//! Three instances of the portal on one PostgreSQL database, as a service with several servers
//! runs it: 30 sessions send the same valid code at once, spread over the instances, and
//! exactly one signs in (the others read "already used"); 50 wrong guesses at once are each
//! counted by the throttle, and the next is refused on every instance.
//!
//! Needs `OTPKIT_TEST_POSTGRES` (a URL whose role may create databases; each run makes its own
//! and drops it). Skips with a message without it, and fails instead with
//! `OTPKIT_REQUIRE_PEERS=1` (CI, which starts PostgreSQL on loopback).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::time::Instant;

use common::{Client, Clock, Portal, T0, sign_in, sign_up_and_enrol, skip};
use otpkit::verifier::State;
use tokio_postgres::NoTls;

/// `url` with its database name replaced.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let cut = base
        .rfind('/')
        .filter(|&i| i > "postgres://".len())
        .unwrap_or(base.len());
    let mut out = format!("{}/{name}", &base[..cut]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

async fn connect(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, NoTls).await.unwrap();
    tokio::spawn(connection);
    client
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_instances_on_one_postgres_database() {
    let Ok(url) = std::env::var("OTPKIT_TEST_POSTGRES") else {
        skip("OTPKIT_TEST_POSTGRES (a PostgreSQL URL; .ci/run starts one)");
        return;
    };
    let admin = connect(&url).await;
    let name = format!(
        "otpkit_web_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let database = with_database(&url, &name);

    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::new(dir.path(), T0);
    // Fifty free failures, so that each of the fifty guesses below is checked and counted.
    let portals: Vec<Portal> = (0..3)
        .map(|_| Portal::start(dir.path(), &database, &clock, &["--free-failures", "50"]))
        .collect();
    let mut first = Client::new(&portals[0]);
    let alice = sign_up_and_enrol(&mut first, "alice", &clock).await;

    // Thirty sign-ins to the code step, over the three instances.
    let mut sessions = Vec::new();
    for i in 0..30 {
        let mut session = Client::new(&portals[i % 3]);
        let page = sign_in(&mut session, "alice").await;
        assert_eq!(page.location.as_deref(), Some("/signin/code"));
        session.get("/signin/code").await;
        sessions.push(session);
    }

    // The same valid code from all thirty at once, each to another instance than the one it
    // signed in on: the compare-and-swap on the state's version lets exactly one in.
    let now = clock.advance(30);
    let code = alice.totp.generate(now).unwrap().as_str().to_owned();
    let started = Instant::now();
    let tasks: Vec<_> = sessions
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut s = s.to(&portals[(i + 1) % 3]);
            let code = code.clone();
            tokio::spawn(async move {
                let page = s.post("/signin/code", &[("code", &code)]).await;
                (s, page)
            })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    let race = started.elapsed();
    let winners: Vec<_> = results
        .iter()
        .filter(|(_, page)| page.location.as_deref() == Some("/"))
        .collect();
    assert_eq!(winners.len(), 1, "exactly one of 30 signs in");
    let refused = results
        .iter()
        .filter(|(_, page)| page.status == 400 && page.message().contains("already used"))
        .count();
    assert_eq!(refused, 29, "the other 29 read that the code was used");
    // The winner's session is signed in on every instance.
    for portal in &portals {
        let page = winners[0].0.to(portal).get("/").await;
        assert!(page.body.contains("Welcome, alice"), "{}", page.body);
    }

    // Fifty wrong guesses at once from the waiting sessions, over the instances.
    let window: Vec<String> = (0..=2)
        .map(|s| {
            alice
                .totp
                .generate(now - 30 + 30 * s)
                .unwrap()
                .as_str()
                .to_owned()
        })
        .collect();
    let guesses: Vec<String> = (0..)
        .map(|i: u32| format!("{:06}", (i * 7_919) % 1_000_000))
        .filter(|g| !window.contains(g))
        .take(50)
        .collect();
    let waiting: Vec<Client> = results
        .into_iter()
        .filter(|(_, page)| page.location.is_none())
        .map(|(s, _)| s)
        .collect();
    let started = Instant::now();
    let tasks: Vec<_> = guesses
        .iter()
        .enumerate()
        .map(|(i, guess)| {
            let mut s = waiting[i % waiting.len()].to(&portals[i % 3]);
            let guess = guess.clone();
            tokio::spawn(async move { s.post("/signin/code", &[("code", &guess)]).await })
        })
        .collect();
    let mut pages = Vec::new();
    for task in tasks {
        pages.push(task.await.unwrap());
    }
    let guessing = started.elapsed();
    let wrong = pages
        .iter()
        .filter(|p| p.status == 400 && p.message().contains("Wrong code"))
        .count();
    assert_eq!(
        wrong,
        50,
        "every guess was checked: {:?}",
        pages.iter().map(|p| p.message()).collect::<Vec<_>>()
    );
    let db = connect(&database).await;
    let row = db
        .query_one(
            "SELECT f.state FROM factors f JOIN users u ON u.id = f.user_id WHERE u.name = 'alice'",
            &[],
        )
        .await
        .unwrap();
    let state: State = serde_json::from_str(row.get::<_, &str>(0)).unwrap();
    assert_eq!(state.failures, 50, "the throttle counted all 50");
    // The next attempt waits, whichever instance it reaches, even with the right code.
    for (i, portal) in portals.iter().enumerate() {
        let page = waiting[i]
            .to(portal)
            .post("/signin/code", &[("code", &window[2])])
            .await;
        assert_eq!(page.status, 429, "{}", page.body);
        assert!(
            page.message().contains("Try again in 30 seconds"),
            "{}",
            page.message()
        );
    }
    eprintln!(
        "three instances: 30 concurrent sign-ins with one code → 1 in, 29 already used, in \
         {race:?}; 50 concurrent wrong guesses → failures = {} in {guessing:?}",
        state.failures
    );

    drop(db);
    drop(portals);
    admin
        .batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .await
        .unwrap();
}
