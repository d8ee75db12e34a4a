//! Bad input, on a SQLite portal: a form with a missing or oversized field, a forged or absent
//! CSRF token, a stale session, a code with letters. Each gets a clear message and leaves the
//! database's accounts, factors and pending enrolments as they were.
//!
//! And the verifier's rules as the pages show them: a drifting phone clock is followed, a
//! pending enrolment expires, a session that only knows the password cannot replace a factor.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::Path;

use common::{Client, Clock, Enrolled, PASSWORD, Portal, T0, sign_in, sign_up_and_enrol};

/// Every row of the tables that hold accounts and factors, as text.
fn snapshot(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut rows = Vec::new();
    for (table, columns) in [
        ("users", "id, name, password_hash"),
        (
            "factors",
            "user_id, active, hex(secret), version, state, recovery",
        ),
        ("pending", "user_id, hex(secret), expires"),
    ] {
        let mut statement = conn
            .prepare(&format!("SELECT {columns} FROM {table} ORDER BY 1"))
            .unwrap();
        let count = statement.column_count();
        let mut query = statement.query([]).unwrap();
        while let Some(row) = query.next().unwrap() {
            let cells: Vec<String> = (0..count)
                .map(|i| format!("{:?}", row.get_ref(i).unwrap()))
                .collect();
            rows.push(format!("{table}: {}", cells.join(" | ")));
        }
    }
    rows
}

struct Setup {
    _dir: tempfile::TempDir,
    db: std::path::PathBuf,
    clock: Clock,
    portal: Portal,
}

fn portal() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::new(dir.path(), T0);
    let db = dir.path().join("portal.db");
    let portal = Portal::start(dir.path(), db.to_str().unwrap(), &clock, &[]);
    Setup {
        _dir: dir,
        db,
        clock,
        portal,
    }
}

/// A user enrolled and signed out, and a session of theirs at the code step.
async fn at_code_step(s: &Setup) -> (Enrolled, Client) {
    let mut client = Client::new(&s.portal);
    let alice = sign_up_and_enrol(&mut client, "alice", &s.clock).await;
    let mut client = Client::new(&s.portal);
    let page = sign_in(&mut client, "alice").await;
    assert_eq!(page.location.as_deref(), Some("/signin/code"));
    client.get("/signin/code").await;
    (alice, client)
}

#[tokio::test]
async fn bad_forms_get_a_clear_message_and_change_nothing() {
    let s = portal();
    let (alice, mut client) = at_code_step(&s).await;
    let before = snapshot(&s.db);
    let unchanged = |what: &str| assert_eq!(snapshot(&s.db), before, "{what} changed the database");

    // A field missing.
    let page = client.post("/signin/code", &[]).await;
    assert_eq!(page.status, 400);
    assert!(
        page.message().contains("missing field `code`"),
        "{}",
        page.message()
    );
    unchanged("a missing field");

    // A body larger than any form needs.
    let huge = "7".repeat(20_000);
    let page = client.post("/signin/code", &[("code", &huge)]).await;
    assert_eq!(page.status, 413);
    assert!(
        page.message().contains("larger than 16 KiB"),
        "{}",
        page.message()
    );
    unchanged("an oversized form");

    // A field longer than it may be.
    let page = client
        .post("/signin/code", &[("code", &"1".repeat(33))])
        .await;
    assert_eq!(page.status, 400);
    assert!(page.message().contains("too long"), "{}", page.message());
    unchanged("an oversized field");

    // A code with letters: not a guess, not counted.
    let page = client.post("/signin/code", &[("code", "12a456")]).await;
    assert_eq!(page.status, 400);
    assert!(
        page.message().contains("not a code from your app"),
        "{}",
        page.message()
    );
    unchanged("a code with letters");

    // A forged token, and none at all.
    let right = alice.totp.generate(s.clock.now() + 30).unwrap();
    let page = client
        .post_raw(
            "/signin/code",
            &[("csrf", "forged"), ("code", right.as_str())],
        )
        .await;
    assert_eq!(page.status, 403);
    assert!(
        page.message().contains("does not belong to this session"),
        "{}",
        page.message()
    );
    let page = client
        .post_raw("/signin/code", &[("code", right.as_str())])
        .await;
    assert_eq!(page.status, 403);
    assert!(
        page.message().contains("no security token"),
        "{}",
        page.message()
    );
    unchanged("a forged form");

    // Another session's token is forged too.
    let mut other = Client::new(&s.portal);
    other.get("/signin").await;
    let stolen = other.csrf.clone().unwrap();
    let page = client
        .post_raw(
            "/signin/code",
            &[("csrf", &stolen), ("code", right.as_str())],
        )
        .await;
    assert_eq!(page.status, 403);
    unchanged("another session's token");

    // A stale session: signed out elsewhere, its old cookie and token sent again.
    let stale = client.clone();
    client.post("/signout", &[]).await;
    let mut stale = stale;
    let page = stale
        .post("/signin/code", &[("code", right.as_str())])
        .await;
    assert_eq!(page.status, 403);
    assert!(
        page.message().contains("session has expired"),
        "{}",
        page.message()
    );
    unchanged("a stale session");

    // Sign-up: a name with a line break, a short password, a taken name.
    let mut new = Client::new(&s.portal);
    new.get("/signup").await;
    for (name, password, says) in [
        ("bob\nadmin", PASSWORD, "control characters"),
        ("bob", "short", "too short"),
        ("alice", PASSWORD, "is taken"),
        (&"b".repeat(65), PASSWORD, "too long"),
    ] {
        let page = new
            .post("/signup", &[("name", name), ("password", password)])
            .await;
        assert_eq!(page.status, 400, "{name:?}");
        assert!(
            page.message().contains(says),
            "{name:?}: {}",
            page.message()
        );
    }
    unchanged("refused sign-ups");
}

#[tokio::test]
async fn a_drifting_phone_clock_is_followed() {
    let s = portal();
    let (alice, _) = at_code_step(&s).await;
    // A phone 30 s slow: its codes are one step behind. After three in a row (the policy's
    // `drift_after`), the verifier centres its window on the phone's time.
    s.clock.advance(30); // past the step that confirmed the enrolment
    let mut page_home = None;
    for _ in 0..3 {
        let now = s.clock.advance(30);
        let mut client = Client::new(&s.portal);
        sign_in(&mut client, "alice").await;
        client.get("/signin/code").await;
        let slow = alice.totp.generate(now - 30).unwrap();
        let page = client
            .post("/signin/code", &[("code", slow.as_str())])
            .await;
        assert_eq!(page.location.as_deref(), Some("/"), "{}", page.message());
        page_home = Some(client.get("/").await);
    }
    let home = page_home.unwrap();
    assert_eq!(
        home.text_of("drift").unwrap(),
        "Your app's clock is about 30 seconds behind ours; codes are checked around its time."
    );
    // Now two steps slow is still inside the window around the phone's time (a minute on,
    // so that the step is one not used yet).
    let now = s.clock.advance(60);
    let mut client = Client::new(&s.portal);
    sign_in(&mut client, "alice").await;
    client.get("/signin/code").await;
    let slower = alice.totp.generate(now - 60).unwrap();
    let page = client
        .post("/signin/code", &[("code", slower.as_str())])
        .await;
    assert_eq!(page.location.as_deref(), Some("/"), "{}", page.message());
}

#[tokio::test]
async fn a_pending_enrolment_expires_and_a_password_alone_cannot_replace_a_factor() {
    let s = portal();
    let mut client = Client::new(&s.portal);
    client.get("/signup").await;
    client
        .post("/signup", &[("name", "carol"), ("password", PASSWORD)])
        .await;
    client.get("/setup").await;
    client.post("/setup", &[("password", PASSWORD)]).await;
    let page = client.get("/setup/scan").await;
    let key = page.text_of("key").unwrap().replace(' ', "");
    let secret = otpkit::Secret::from_base32(&key).unwrap();
    let totp = otpkit::Totp::new(
        otpkit::Algorithm::Sha1,
        secret.as_bytes(),
        otpkit::Digits::SIX,
        30,
    )
    .unwrap();
    // Ten minutes and a second later, the key shown is no longer good.
    let now = s.clock.advance(601);
    let page = client
        .post(
            "/setup/scan",
            &[("code", totp.generate(now).unwrap().as_str())],
        )
        .await;
    assert_eq!(page.status, 400);
    assert!(
        page.message().contains("good for 10 minutes"),
        "{}",
        page.message()
    );
    assert!(
        !snapshot(&s.db).iter().any(|r| r.starts_with("pending:")),
        "the expired key is gone"
    );

    // Dave enrols; a session that signed in with his password only is sent to the code step,
    // not to a setup that would replace his factor.
    let mut first = Client::new(&s.portal);
    sign_up_and_enrol(&mut first, "dave", &s.clock).await;
    let before = snapshot(&s.db);
    let mut thief = Client::new(&s.portal);
    sign_in(&mut thief, "dave").await;
    for path in ["/setup", "/setup/scan", "/", "/settings"] {
        let page = thief.get(path).await;
        assert_eq!(page.location.as_deref(), Some("/signin/code"), "{path}");
    }
    thief.get("/signin/code").await; // the token of this session's current page
    let page = thief.post("/setup", &[("password", PASSWORD)]).await;
    assert_eq!(page.location.as_deref(), Some("/signin/code"));
    assert_eq!(snapshot(&s.db), before, "nothing changed");
}

#[tokio::test]
async fn the_session_id_changes_at_each_sign_in_step() {
    let s = portal();
    let (alice, mut client) = at_code_step(&s).await;
    let at_password = client.cookie.clone().unwrap();
    let mut anonymous = Client::new(&s.portal);
    anonymous.get("/signin").await;
    let before = anonymous.cookie.clone().unwrap();
    let page = sign_in(&mut anonymous, "alice").await;
    assert_eq!(page.location.as_deref(), Some("/signin/code"));
    assert_ne!(
        anonymous.cookie.clone().unwrap(),
        before,
        "a new id after the password"
    );
    let now = s.clock.advance(30);
    let code = alice.totp.generate(now).unwrap();
    let page = client
        .post("/signin/code", &[("code", code.as_str())])
        .await;
    assert_eq!(page.location.as_deref(), Some("/"));
    assert_ne!(
        client.cookie.clone().unwrap(),
        at_password,
        "a new id after the code"
    );
    // The id from before the code step is worth nothing now.
    let mut old = client.clone();
    old.cookie = Some(at_password);
    let page = old.get("/").await;
    assert_eq!(page.location.as_deref(), Some("/signin"));
}

#[tokio::test]
async fn expired_sessions_and_pending_enrolments_are_deleted_at_start() {
    let s = portal();
    let mut client = Client::new(&s.portal);
    client.get("/signup").await;
    client
        .post("/signup", &[("name", "erin"), ("password", PASSWORD)])
        .await;
    client.get("/setup").await;
    client.post("/setup", &[("password", PASSWORD)]).await;
    let conn = rusqlite::Connection::open(&s.db).unwrap();
    let count = |table: &str| -> i64 {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    };
    let sessions = count("sessions");
    assert!(sessions >= 1 && count("pending") == 1);
    conn.execute(
        "INSERT INTO sessions (id, data, expires) VALUES ('old', '{}', 1)",
        [],
    )
    .unwrap();
    // The portal restarts eleven minutes later: the old session and the key shown at setup
    // (good for ten) are gone; erin's live session stays.
    let Setup {
        _dir,
        db,
        clock,
        portal,
    } = s;
    drop(portal);
    clock.advance(660);
    let _again = Portal::start(_dir.path(), db.to_str().unwrap(), &clock, &[]);
    assert_eq!((count("sessions"), count("pending")), (sessions, 0));
}
