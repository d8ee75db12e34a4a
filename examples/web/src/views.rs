//! The pages, one askama template each (in `templates/`, HTML-escaped). Every page has what
//! the layout (`base.html`) shows: the CSRF token for its forms, the signed-in user's name, and
//! a message.

use askama::Template;

/// What every page's layout needs.
#[derive(Debug, Default)]
pub struct Chrome {
    pub csrf: String,
    pub user: Option<String>,
    pub message: Option<String>,
}

macro_rules! page {
    ($(#[$doc:meta])* $name:ident, $path:literal { $($field:ident : $ty:ty),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Template, Debug)]
        #[template(path = $path)]
        pub struct $name {
            pub csrf: String,
            pub user: Option<String>,
            pub message: Option<String>,
            $(pub $field: $ty,)*
        }

        impl $name {
            #[allow(clippy::too_many_arguments)]
            pub fn new(chrome: Chrome, $($field: $ty),*) -> Self {
                Self {
                    csrf: chrome.csrf,
                    user: chrome.user,
                    message: chrome.message,
                    $($field,)*
                }
            }
        }
    };
}

page!(
    /// An error or notice.
    MessagePage, "message.html" { title: String }
);
page!(SignIn, "signin.html" { name: String });
page!(SignUp, "signup.html" { name: String, min_password: usize });
page!(
    /// The second step of signing in.
    CodePage, "code.html" { digits: u8 }
);
page!(RecoveryPage, "recovery.html" {});
page!(SetupPassword, "setup_password.html" {});
page!(
    /// The QR code and the key of a pending enrolment.
    SetupScan, "setup_scan.html" {
        qr: String,
        key: String,
        issuer: String,
        digits: u8,
        period: u64,
        minutes: u64,
    }
);
page!(Activated, "activated.html" { codes: Vec<String> });
page!(NewCodes, "codes.html" { codes: Vec<String> });
page!(
    /// The signed-in home page, with the state of the second factor.
    Home, "home.html" { name: String, since: String, remaining: usize, drift: String }
);
page!(Settings, "settings.html" {});
