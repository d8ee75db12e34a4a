//! The whole flow in a real browser: Chromium, driven through ChromeDriver (WebDriver). Sign
//! up; the forced setup with the password again; the QR code read from a screenshot of the page
//! and checked against the key shown as text; the first code computed with otpkit at the
//! portal's clock; the recovery codes shown once; sign out and in with a code; the confirming
//! code and a used login code refused as already used; the throttle tripped, with the time
//! left; a recovery code; new recovery codes; two-step verification turned off.
//!
//! Skips with a message when `chromium` or `chromedriver` is missing, and fails instead with
//! `OTPKIT_REQUIRE_PEERS=1` (CI). `OTPKIT_WEB_SCREENSHOTS=DIR` keeps the setup and activated
//! pages' screenshots there (the README's pictures).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use core::time::Duration;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use common::{Clock, PASSWORD, Portal, T0, skip};
use fantoccini::{Client, ClientBuilder, Locator};
use otpkit::KeyUri;

fn find(names: &[&str]) -> Option<String> {
    names.iter().find_map(|name| {
        let out = Command::new("which").arg(name).output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
    })
}

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn fill(client: &Client, css: &str, text: &str) {
    let field = client.find(Locator::Css(css)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

/// Clicks what submits a form or follows a link, and waits until the next page has replaced
/// this one (the old document's root goes stale) and has loaded.
async fn click(client: &Client, css: &str) {
    let old = client.find(Locator::Css("html")).await.unwrap();
    client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let started = Instant::now();
    while old.tag_name().await.is_ok() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{css} did not load a page"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    while client
        .execute("return document.readyState", vec![])
        .await
        .unwrap()
        != "complete"
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the page did not finish loading"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn text(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn path(client: &Client) -> String {
    client.current_url().await.unwrap().path().to_owned()
}

/// Types a code into the sign-in code page and sends it.
async fn type_code(client: &Client, code: &str) {
    fill(client, "#code", code).await;
    click(client, "#submit").await;
}

async fn sign_in(client: &Client, base: &str) {
    client.goto(&format!("{base}/signin")).await.unwrap();
    fill(client, "#name", "alice").await;
    fill(client, "#password", PASSWORD).await;
    click(client, "#submit").await;
}

/// Decodes the one QR code in a PNG screenshot.
fn read_qr(png: &[u8]) -> String {
    let image = image::load_from_memory(png).unwrap().to_luma8();
    let (w, h) = image.dimensions();
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
        usize::try_from(w).unwrap(),
        usize::try_from(h).unwrap(),
        |x, y| {
            image
                .get_pixel(u32::try_from(x).unwrap(), u32::try_from(y).unwrap())
                .0[0]
        },
    );
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the setup page");
    grids[0].decode().unwrap().1
}

fn keep_screenshot(name: &str, png: &[u8]) {
    if let Some(dir) = std::env::var_os("OTPKIT_WEB_SCREENSHOTS") {
        std::fs::write(std::path::Path::new(&dir).join(name), png).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_flow_in_chromium() {
    let (Some(chromium), Some(chromedriver)) = (
        find(&["chromium", "chromium-browser", "google-chrome"]),
        find(&["chromedriver"]),
    ) else {
        skip("chromium and chromedriver (apt-get install chromium chromium-driver)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::new(dir.path(), T0);
    let db = dir.path().join("portal.db");
    let portal = Portal::start(dir.path(), db.to_str().unwrap(), &clock, &[]);
    let base = portal.url.replace("127.0.0.1", "localhost");

    let port = free_port();
    let _driver = Driver(
        Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--window-size=800,1000"],
        }),
    );
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .unwrap();

    // Sign up: every account must set up two-step verification, starting with the password.
    client.goto(&format!("{base}/signup")).await.unwrap();
    fill(&client, "#name", "alice").await;
    fill(&client, "#password", PASSWORD).await;
    click(&client, "#submit").await;
    assert_eq!(path(&client).await, "/setup");
    // A page the account may not see yet sends it back to the setup.
    client.goto(&format!("{base}/")).await.unwrap();
    assert_eq!(path(&client).await, "/setup");
    fill(&client, "#password", "not my password").await;
    click(&client, "#submit").await;
    assert!(
        text(&client, "#message")
            .await
            .contains("not your password")
    );
    fill(&client, "#password", PASSWORD).await;
    click(&client, "#submit").await;
    assert_eq!(path(&client).await, "/setup/scan");

    // The QR code, as a phone's camera would read it off the screen, says the key shown.
    let shot = client.screenshot().await.unwrap();
    keep_screenshot("setup.png", &shot);
    let scanned: KeyUri = read_qr(&shot).parse().unwrap();
    let shown = text(&client, "#key").await;
    assert_eq!(
        scanned.credential().secret().to_base32().as_str(),
        shown.replace(' ', "")
    );
    assert!(shown.split(' ').all(|group| group.len() <= 4), "{shown}");
    assert_eq!(
        (scanned.issuer(), scanned.account()),
        (Some("Example Portal"), "alice")
    );
    let totp = scanned.credential().to_totp().unwrap();

    // A wrong first code is refused and the same key shown again; the right one activates.
    type_code(&client, "000000").await;
    assert!(text(&client, "#message").await.contains("does not match"));
    assert_eq!(text(&client, "#key").await, shown);
    let first = totp.generate(clock.now()).unwrap();
    type_code(&client, first.as_str()).await;
    assert_eq!(
        text(&client, "#activated").await,
        "Two-step verification activated"
    );
    let codes: Vec<String> = {
        let mut out = Vec::new();
        for item in client.find_all(Locator::Css("#codes li")).await.unwrap() {
            out.push(item.text().await.unwrap());
        }
        out
    };
    assert_eq!(codes.len(), 10);
    keep_screenshot("activated.png", &client.screenshot().await.unwrap());
    click(&client, "#continue").await;
    assert!(text(&client, "#welcome").await.contains("alice"));

    // Signed out and in again: the code step. The code that confirmed the setup is used.
    click(&client, "#signout").await;
    sign_in(&client, &base).await;
    assert_eq!(path(&client).await, "/signin/code");
    type_code(&client, first.as_str()).await;
    assert!(text(&client, "#message").await.contains("already used"));
    let now = clock.advance(30);
    let login = totp.generate(now).unwrap();
    type_code(
        &client,
        &format!("{} {}", &login.as_str()[..3], &login.as_str()[3..]),
    )
    .await;
    assert_eq!(path(&client).await, "/");

    // The same code again, from a new sign-in: refused.
    click(&client, "#signout").await;
    sign_in(&client, &base).await;
    type_code(&client, login.as_str()).await;
    assert!(text(&client, "#message").await.contains("already used"));

    // Guessing: five wrong codes are checked, then the throttle says how long to wait, and
    // it covers recovery codes too.
    let wrong = (0..)
        .map(|i| format!("{:06}", i * 111_111 % 1_000_000))
        .find(|c| (0..=2).all(|s| totp.generate(now - 30 + 30 * s).unwrap().as_str() != c))
        .unwrap();
    for _ in 0..5 {
        type_code(&client, &wrong).await;
        assert!(text(&client, "#message").await.contains("Wrong code"));
    }
    type_code(&client, &wrong).await;
    assert!(
        text(&client, "#message")
            .await
            .contains("Try again in 30 seconds")
    );
    click(&client, "#use-recovery").await;
    fill(&client, "#code", &codes[3]).await;
    click(&client, "#submit").await;
    assert!(
        text(&client, "#message")
            .await
            .contains("Try again in 30 seconds")
    );

    // After the wait, a recovery code signs in, once.
    clock.advance(31);
    fill(&client, "#code", &codes[3].to_lowercase()).await;
    click(&client, "#submit").await;
    assert_eq!(path(&client).await, "/");
    assert_eq!(text(&client, "#remaining").await, "Recovery codes left: 9");

    // New recovery codes: password and a fresh code.
    click(&client, "#settings").await;
    let now = clock.advance(30);
    fill(&client, "#r-password", PASSWORD).await;
    fill(&client, "#r-code", totp.generate(now).unwrap().as_str()).await;
    click(&client, "#r-submit").await;
    assert_eq!(
        client
            .find_all(Locator::Css("#codes li"))
            .await
            .unwrap()
            .len(),
        10
    );

    // Turning it off needs a code not used yet; then the account must set it up again.
    client.goto(&format!("{base}/settings")).await.unwrap();
    fill(&client, "#d-password", PASSWORD).await;
    fill(&client, "#d-code", totp.generate(now).unwrap().as_str()).await;
    click(&client, "#d-submit").await;
    assert!(text(&client, "#message").await.contains("already used"));
    let now = clock.advance(30);
    fill(&client, "#d-password", PASSWORD).await;
    fill(&client, "#d-code", totp.generate(now).unwrap().as_str()).await;
    click(&client, "#d-submit").await;
    assert_eq!(path(&client).await, "/setup");

    client.close().await.unwrap();
}
