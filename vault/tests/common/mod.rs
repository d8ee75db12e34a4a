//! Helpers shared by the vault's integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use otpkit::{Algorithm, Credential, Digits, Secret};
use otpkit_vault::{Account, Password};

pub fn password() -> Password {
    Password::new("correct horse battery staple".into())
}

/// Seven accounts covering SHA-1/256/512, 6/7/8 digits, periods 20/30/50, HOTP and Steam.
pub fn seven() -> Vec<Account> {
    let s = |b: &str| Secret::from_base32(b).unwrap();
    let creds = [
        (
            "Example",
            "alice@example.com",
            Credential::totp(s("JBSWY3DPEHPK3PXP"), Algorithm::Sha1, Digits::SIX, 30).unwrap(),
        ),
        (
            "Big Bank",
            "bob",
            Credential::totp(
                s("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
                Algorithm::Sha256,
                Digits::EIGHT,
                30,
            )
            .unwrap(),
        ),
        (
            "Shop",
            "carol",
            Credential::totp(
                s("KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"),
                Algorithm::Sha512,
                Digits::SEVEN,
                50,
            )
            .unwrap(),
        ),
        (
            "Mail",
            "dave",
            Credential::totp(
                s("MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U"),
                Algorithm::Sha1,
                Digits::SIX,
                20,
            )
            .unwrap(),
        ),
        (
            "VPN",
            "erin",
            Credential::hotp(
                s("ONSWG4TFORSXG5CTMVRXEZLU"),
                Algorithm::Sha1,
                Digits::SIX,
                7,
            ),
        ),
        (
            "Steam",
            "frank",
            Credential::steam(s("OBQXG43XN5ZGIMJSGM2DKNRXHA4TAMJS")),
        ),
        (
            "Cloud",
            "grace",
            Credential::totp(
                s("NBSWY3DPO5XXE3DEMFRGGZDFMZTWQ2LK"),
                Algorithm::Sha256,
                Digits::SIX,
                30,
            )
            .unwrap(),
        ),
    ];
    creds
        .into_iter()
        .enumerate()
        .map(|(i, (issuer, name, cred))| {
            let mut a = Account::new(issuer, name, cred, 1_700_000_000 + i as u64).unwrap();
            a.order = u32::try_from(i).unwrap();
            a
        })
        .collect()
}
