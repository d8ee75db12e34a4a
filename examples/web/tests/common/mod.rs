//! What the portal's tests share: a portal process on a free port (its clock a file the test
//! moves), an HTTP client that keeps one session's cookie and sends each form with the CSRF
//! token of the page it came from, and an enrolment walked through the real pages.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use otpkit::{KeyUri, Totp};

/// A time in the middle of a 30-second step, so that a test's step is never about to change.
pub const T0: u64 = 1_800_000_015;

/// The password every test user has.
pub const PASSWORD: &str = "correct horse battery staple";

/// Whether a test that needs `what` must fail rather than skip when it is missing (CI).
pub fn required() -> bool {
    std::env::var_os("OTPKIT_REQUIRE_PEERS").is_some_and(|v| v == "1")
}

/// Skips (prints why) or, when required, fails.
pub fn skip(why: &str) {
    assert!(
        !required(),
        "required by OTPKIT_REQUIRE_PEERS=1 but missing: {why}"
    );
    eprintln!("skipped: {why}");
}

/// The portal's clock: a file holding unix seconds, shared by every instance.
pub struct Clock(PathBuf);

impl Clock {
    pub fn new(dir: &Path, now: u64) -> Self {
        let clock = Self(dir.join("clock"));
        clock.set(now);
        clock
    }
    pub fn set(&self, now: u64) {
        let tmp = self.0.with_extension("tmp");
        std::fs::write(&tmp, now.to_string()).unwrap();
        std::fs::rename(&tmp, &self.0).unwrap();
    }
    pub fn now(&self) -> u64 {
        std::fs::read_to_string(&self.0)
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    }
    pub fn advance(&self, seconds: u64) -> u64 {
        let now = self.now() + seconds;
        self.set(now);
        now
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

/// A running portal, killed when dropped.
pub struct Portal {
    child: Child,
    pub url: String,
}

impl Portal {
    /// Starts the portal binary on `database` with the key and clock in `dir`.
    pub fn start(dir: &Path, database: &str, clock: &Clock, extra: &[&str]) -> Self {
        let key = dir.join("service.key");
        if !key.exists() {
            std::fs::write(&key, "ab".repeat(32)).unwrap();
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_otpkit-web"))
            .args(["--listen", "127.0.0.1:0", "--database", database])
            .arg("--key-file")
            .arg(&key)
            .arg("--clock-file")
            .arg(clock.path())
            .args(extra)
            .env_remove("OTPKIT_WEB_KEY")
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("the portal did not start: {line:?}"))
            .to_owned();
        Self { child, url }
    }
}

impl Drop for Portal {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A response, read whole.
#[derive(Debug)]
pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

impl Page {
    /// The text of the element with this id (up to its first tag).
    pub fn text_of(&self, id: &str) -> Option<String> {
        let start = self.body.find(&format!("id=\"{id}\""))?;
        let rest = &self.body[start..];
        let open = rest.find('>')? + 1;
        let close = rest[open..].find('<')?;
        Some(unescape(rest[open..open + close].trim()))
    }

    /// The message box's text.
    pub fn message(&self) -> String {
        self.text_of("message").unwrap_or_default()
    }

    pub fn csrf(&self) -> Option<String> {
        let start = self.body.find("name=\"csrf\" value=\"")? + 19;
        let end = self.body[start..].find('"')?;
        Some(self.body[start..start + end].to_owned())
    }
}

fn unescape(s: &str) -> String {
    s.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// One browser-like session against one portal: the cookie it was given, and the CSRF token
/// of the last page it read.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    pub base: String,
    pub cookie: Option<String>,
    pub csrf: Option<String>,
}

impl Client {
    pub fn new(portal: &Portal) -> Self {
        Self::at(&portal.url)
    }

    pub fn at(base: &str) -> Self {
        Self {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: base.to_owned(),
            cookie: None,
            csrf: None,
        }
    }

    /// The same session, sent to another instance.
    pub fn to(&self, portal: &Portal) -> Self {
        Self {
            base: portal.url.clone(),
            ..self.clone()
        }
    }

    async fn read(&mut self, response: reqwest::Response) -> Page {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        for value in headers.get_all("set-cookie") {
            let pair = value
                .to_str()
                .unwrap()
                .split(';')
                .next()
                .unwrap()
                .to_owned();
            self.cookie = Some(pair);
        }
        let location = headers
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned());
        let body = response.text().await.unwrap();
        let page = Page {
            status,
            location,
            body,
        };
        if let Some(token) = page.csrf() {
            self.csrf = Some(token);
        }
        page
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        request
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let response = self
            .request(reqwest::Method::GET, path)
            .send()
            .await
            .unwrap();
        self.read(response).await
    }

    /// Posts `fields`, with the CSRF token of the last page read.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.csrf.clone().unwrap_or_default();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// Posts exactly `fields` (no token added).
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let response = self
            .request(reqwest::Method::POST, path)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        self.read(response).await
    }
}

/// A user enrolled through the pages: their authenticator and their recovery codes.
pub struct Enrolled {
    pub totp: Totp,
    pub recovery: Vec<String>,
}

/// Signs `name` up and walks the forced setup, confirming with the code at the clock's time.
pub async fn sign_up_and_enrol(client: &mut Client, name: &str, clock: &Clock) -> Enrolled {
    client.get("/signup").await;
    let page = client
        .post("/signup", &[("name", name), ("password", PASSWORD)])
        .await;
    assert_eq!(page.location.as_deref(), Some("/setup"), "{}", page.body);
    client.get("/setup").await;
    let page = client.post("/setup", &[("password", PASSWORD)]).await;
    assert_eq!(
        page.location.as_deref(),
        Some("/setup/scan"),
        "{}",
        page.body
    );
    let page = client.get("/setup/scan").await;
    let key = page.text_of("key").expect("the key as text");
    let uri: KeyUri = format!(
        "otpauth://totp/Example%20Portal:{name}?secret={}",
        key.replace(' ', "")
    )
    .parse()
    .unwrap();
    let totp = uri.credential().to_totp().unwrap();
    let code = totp.generate(clock.now()).unwrap();
    let page = client.post("/setup/scan", &[("code", code.as_str())]).await;
    assert!(
        page.body.contains("Two-step verification activated"),
        "{}",
        page.body
    );
    Enrolled {
        totp,
        recovery: recovery_codes(&page),
    }
}

/// The recovery codes listed on a page.
pub fn recovery_codes(page: &Page) -> Vec<String> {
    let Some(start) = page.body.find("id=\"codes\"") else {
        return Vec::new();
    };
    let list = &page.body[start..];
    let list = &list[..list.find("</ul>").unwrap()];
    list.split("<li>")
        .skip(1)
        .map(|item| item.split('<').next().unwrap().trim().to_owned())
        .collect()
}

/// Signs in with the password; the page after (a redirect to the code step).
pub async fn sign_in(client: &mut Client, name: &str) -> Page {
    client.get("/signin").await;
    client
        .post("/signin", &[("name", name), ("password", PASSWORD)])
        .await
}
