//! What several commands print the same way: the JSON object of a key (`inspect --json`,
//! `import --json`) and a base32 secret grouped for typing (`inspect`, `new`, `demo`).

use otpkit::{Credential, KeyUri};
use serde_json::{Map, Value, json};
use zeroize::Zeroizing;

/// The JSON object for a key, with exactly the keys of the interface (in this order): `type`,
/// `issuer`, `label_issuer`, `account`, `secret`, `bits`, `algorithm`, `digits`, `period`,
/// `counter`, `params`.
///
/// `credential` is the effective one (override flags applied); `uri` gives the names and the
/// unknown parameters, and is `None` for a bare secret.
pub(crate) fn describe(credential: &Credential, uri: Option<&KeyUri>) -> Value {
    let mut params = Map::new();
    for (name, value) in uri.map(KeyUri::params).unwrap_or_default() {
        // A repeated unknown parameter keeps its first value, as the URI's reader does for
        // the known ones it accepts.
        params
            .entry(name.clone())
            .or_insert_with(|| Value::String(value.clone()));
    }
    json!({
        "type": credential.kind().name(),
        "issuer": uri.and_then(KeyUri::issuer),
        "label_issuer": uri.and_then(KeyUri::label_issuer),
        "account": uri.map_or("", KeyUri::account),
        "secret": credential.secret().to_base32().as_str(),
        "bits": credential.secret().bits(),
        "algorithm": credential.algorithm().as_str(),
        "digits": credential.code_len(),
        "period": credential.period(),
        "counter": credential.counter(),
        "params": params,
    })
}

/// Base32 in groups of four, as people copy a key into an app by hand.
pub(crate) fn grouped(base32: &str) -> Zeroizing<String> {
    let mut text = Zeroizing::new(String::with_capacity(base32.len() * 5 / 4 + 1));
    for (i, c) in base32.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            text.push(' ');
        }
        text.push(c);
    }
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn grouped_in_fours() {
        assert_eq!(
            super::grouped("JBSWY3DPEHPK3PXP").as_str(),
            "JBSW Y3DP EHPK 3PXP"
        );
        assert_eq!(super::grouped("GEZDGNB").as_str(), "GEZD GNB");
        assert_eq!(super::grouped("").as_str(), "");
    }
}
