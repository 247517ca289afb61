//! Standard Webhooks signatures (<https://www.standardwebhooks.com/>).
//!
//! Each delivery carries three headers: `webhook-id` (the event's id, the same on every retry),
//! `webhook-timestamp` (Unix seconds) and `webhook-signature`: `v1,` followed by the Base64 of
//! the HMAC-SHA256 of `id.timestamp.body`, keyed by the Base64-decoded part of the
//! subscription's `whsec_…` secret. A receiver recomputes it over the raw body it received,
//! compares in constant time, and refuses timestamps too far from its clock (replays).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// Prefix of a signing secret.
pub const PREFIXE_SECRET: &str = "whsec_";

/// Header carrying the event id.
pub const EN_TETE_ID: &str = "webhook-id";
/// Header carrying the Unix timestamp of the attempt.
pub const EN_TETE_HORODATAGE: &str = "webhook-timestamp";
/// Header carrying the signatures.
pub const EN_TETE_SIGNATURE: &str = "webhook-signature";

/// Why a signature is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureInvalide {
    /// The secret is not `whsec_` followed by Base64.
    #[error("secret mal formé (attendu : whsec_ suivi de Base64)")]
    Secret,
    /// The timestamp is not a number or is too far from now.
    #[error("horodatage absent, illisible ou trop éloigné de l'heure actuelle")]
    Horodatage,
    /// No `v1` signature matches.
    #[error("aucune signature ne correspond")]
    Signature,
}

/// A new random secret: `whsec_` and 32 random bytes in Base64.
///
/// # Errors
/// The system's random source failed.
pub fn nouveau_secret() -> Result<String, getrandom::Error> {
    let mut bytes = [0_u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(format!("{PREFIXE_SECRET}{}", STANDARD.encode(bytes)))
}

fn cle(secret: &str) -> Result<Vec<u8>, SignatureInvalide> {
    let encoded = secret.strip_prefix(PREFIXE_SECRET).unwrap_or(secret);
    STANDARD
        .decode(encoded)
        .map_err(|_| SignatureInvalide::Secret)
}

fn mac(key: &[u8], id: &str, horodatage: i64, corps: &[u8]) -> Hmac<Sha256> {
    // HMAC accepts keys of any length.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC accepte toute longueur de clé"));
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(horodatage.to_string().as_bytes());
    mac.update(b".");
    mac.update(corps);
    mac
}

/// The `webhook-signature` header value for one message: `v1,<base64>`.
///
/// # Errors
/// [`SignatureInvalide::Secret`] for a malformed secret.
pub fn signer(
    secret: &str,
    id: &str,
    horodatage: i64,
    corps: &[u8],
) -> Result<String, SignatureInvalide> {
    let key = cle(secret)?;
    let tag = mac(&key, id, horodatage, corps).finalize().into_bytes();
    Ok(format!("v1,{}", STANDARD.encode(tag)))
}

/// Checks a received message as a receiver should: the timestamp within `tolerance_s` seconds
/// of `maintenant` (Unix seconds), and one of the space-separated `v1,…` signatures matching,
/// compared in constant time.
///
/// # Errors
/// Why the message is refused.
pub fn verifier(
    secret: &str,
    id: &str,
    horodatage: &str,
    signatures: &str,
    corps: &[u8],
    maintenant: i64,
    tolerance_s: i64,
) -> Result<(), SignatureInvalide> {
    let key = cle(secret)?;
    let horodatage: i64 = horodatage
        .trim()
        .parse()
        .map_err(|_| SignatureInvalide::Horodatage)?;
    if (maintenant - horodatage).abs() > tolerance_s {
        return Err(SignatureInvalide::Horodatage);
    }
    let matches = signatures
        .split_whitespace()
        .filter_map(|s| s.strip_prefix("v1,"))
        .filter_map(|b64| STANDARD.decode(b64).ok())
        .any(|tag| mac(&key, id, horodatage, corps).verify_slice(&tag).is_ok());
    if matches {
        Ok(())
    } else {
        Err(SignatureInvalide::Signature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The example of the Standard Webhooks specification's reference libraries.
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const TS: i64 = 1_614_265_330;
    const BODY: &[u8] = br#"{"test": 2432232314}"#;
    const EXPECTED: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    #[test]
    fn signs_like_the_reference_example() {
        assert_eq!(signer(SECRET, ID, TS, BODY), Ok(EXPECTED.to_owned()));
    }

    #[test]
    fn verification_checks_body_id_timestamp_and_age() {
        let ok = |sig: &str, body: &[u8], now: i64| {
            verifier(SECRET, ID, &TS.to_string(), sig, body, now, 300)
        };
        assert_eq!(ok(EXPECTED, BODY, TS), Ok(()));
        assert_eq!(ok(&format!("v1,AAAA {EXPECTED}"), BODY, TS + 299), Ok(()));
        assert_eq!(
            ok(EXPECTED, br#"{"test": 2432232315}"#, TS),
            Err(SignatureInvalide::Signature)
        );
        assert_eq!(
            ok(EXPECTED, BODY, TS + 301),
            Err(SignatureInvalide::Horodatage)
        );
        assert_eq!(
            verifier(
                SECRET,
                "msg_autre",
                &TS.to_string(),
                EXPECTED,
                BODY,
                TS,
                300
            ),
            Err(SignatureInvalide::Signature)
        );
        assert_eq!(
            verifier("whsec_!!", ID, "1", EXPECTED, BODY, 1, 300),
            Err(SignatureInvalide::Secret)
        );
    }

    #[test]
    fn new_secrets_are_random_and_usable() {
        let a = nouveau_secret().expect("random");
        let b = nouveau_secret().expect("random");
        assert_ne!(a, b);
        assert!(a.starts_with(PREFIXE_SECRET));
        let sig = signer(&a, "id", 1, b"{}").expect("valid secret");
        assert_eq!(verifier(&a, "id", "1", &sig, b"{}", 1, 0), Ok(()));
    }
}
