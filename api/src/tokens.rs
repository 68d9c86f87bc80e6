//! Signing keys and token claims. HS256 with a `kid` naming the key, so that
//! after a key change tokens signed with the previous key still verify.

use crate::error::ErrorCode;
use std::path::Path;

use anyhow::Context;
use hmac::{Hmac, Mac};
use jsonwebtoken::{
    decode, decode_header, encode, errors::ErrorKind, Algorithm, DecodingKey, EncodingKey, Header,
    Validation,
};
use rand::RngCore;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{config::Settings, error::ApiError};

pub const ISSUER: &str = "crepo";
/// Access tokens of tenant users.
pub const AUD_TENANT: &str = "tenant";
/// Access tokens of operators.
pub const AUD_OPS: &str = "ops";
/// Tokens that only let a user enter the SMS code of one challenge.
pub const AUD_MFA: &str = "mfa";
pub const AUD_OPS_MFA: &str = "ops-mfa";

/// Claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    pub iss: String,
    pub aud: String,
    /// User or operator id.
    pub sub: Uuid,
    /// Tenant id; absent for operators.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tid: Option<Uuid>,
    /// Session id, checked against the live session on every request.
    pub sid: Uuid,
    pub jti: Uuid,
    pub iat: i64,
    pub exp: i64,
}

/// Claims of an `mfa_token`: bound to one challenge of one subject.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MfaClaims {
    pub iss: String,
    pub aud: String,
    pub sub: Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tid: Option<Uuid>,
    /// The challenge id.
    pub cid: Uuid,
    pub jti: Uuid,
    pub iat: i64,
    pub exp: i64,
}

struct Key {
    kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
    /// Keys the HMAC of one-time codes.
    otp: [u8; 32],
}

impl Key {
    fn new(secret: &[u8]) -> Key {
        let digest = |label: &[u8]| -> [u8; 32] {
            let mut h = Sha256::new();
            h.update(label);
            h.update(secret);
            h.finalize().into()
        };
        Key {
            kid: hex::encode(&digest(b"crepo-kid:")[..8]),
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            otp: digest(b"crepo-otp:"),
        }
    }
}

pub struct Keys {
    current: Key,
    previous: Option<Key>,
    access_ttl_secs: i64,
}

impl Keys {
    /// `CREPO_JWT_SECRET`, or a secret generated once and kept (mode 0600) in
    /// the data directory.
    pub fn load(settings: &Settings) -> anyhow::Result<Keys> {
        let secret = match &settings.jwt_secret {
            Some(s) => s.expose().as_bytes().to_vec(),
            None => load_or_generate(&settings.data_dir.join("jwt-secret"))?,
        };
        Ok(Keys {
            current: Key::new(&secret),
            previous: settings
                .jwt_previous_secret
                .as_ref()
                .map(|s| Key::new(s.expose().as_bytes())),
            access_ttl_secs: settings.access_token_ttl_secs,
        })
    }

    /// Seconds an access token lives.
    pub fn access_ttl_secs(&self) -> i64 {
        self.access_ttl_secs
    }

    pub fn sign<T: Serialize>(&self, claims: &T) -> Result<String, ApiError> {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(self.current.kid.clone());
        encode(&header, claims, &self.current.encoding).map_err(ApiError::internal)
    }

    /// Verifies signature, issuer, audience and expiry; anything wrong is 401.
    pub fn verify<T: DeserializeOwned>(&self, token: &str, audience: &str) -> Result<T, ApiError> {
        let invalid = || {
            ApiError::unauthorized(
                ErrorCode::InvalidToken,
                "the token is invalid or has expired",
            )
        };
        let header = decode_header(token).map_err(|_| invalid())?;
        let kid = header.kid.ok_or_else(invalid)?;
        let key = [Some(&self.current), self.previous.as_ref()]
            .into_iter()
            .flatten()
            .find(|k| k.kid == kid)
            .ok_or_else(invalid)?;
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 5;
        decode::<T>(token, &key.decoding, &validation)
            .map(|data| data.claims)
            .map_err(|e| match e.kind() {
                // A client that sees this refreshes and tries once more.
                ErrorKind::ExpiredSignature => ApiError::unauthorized(
                    ErrorCode::TokenExpired,
                    "the token has expired; refresh it",
                ),
                _ => invalid(),
            })
    }

    /// HMAC-SHA256 of a one-time code bound to its challenge: a leaked table
    /// does not give the codes away without the server's key.
    pub fn code_hash(&self, challenge: Uuid, code: &str) -> String {
        code_hash_with(&self.current.otp, challenge, code)
    }

    /// Does `code` match `stored` under the current or previous key?
    pub fn code_matches(&self, challenge: Uuid, code: &str, stored: &str) -> bool {
        [Some(&self.current), self.previous.as_ref()]
            .into_iter()
            .flatten()
            .any(|k| verify_code_with(&k.otp, challenge, code, stored))
    }
}

fn mac(key: &[u8; 32], challenge: Uuid, code: &str) -> Option<Hmac<Sha256>> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).ok()?;
    mac.update(challenge.as_bytes());
    mac.update(code.as_bytes());
    Some(mac)
}

fn code_hash_with(key: &[u8; 32], challenge: Uuid, code: &str) -> String {
    mac(key, challenge, code)
        .map(|m| hex::encode(m.finalize().into_bytes()))
        .unwrap_or_default()
}

fn verify_code_with(key: &[u8; 32], challenge: Uuid, code: &str, stored: &str) -> bool {
    let (Some(mac), Ok(expected)) = (mac(key, challenge, code), hex::decode(stored)) else {
        return false;
    };
    // Constant-time comparison.
    mac.verify_slice(&expected).is_ok()
}

fn load_or_generate(path: &Path) -> anyhow::Result<Vec<u8>> {
    if let Ok(existing) = std::fs::read_to_string(path) {
        let secret = existing.trim().to_owned();
        if secret.len() >= 32 {
            return Ok(secret.into_bytes());
        }
        anyhow::bail!(
            "{} holds a secret shorter than 32 characters",
            path.display()
        );
    }
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret = hex::encode(bytes);
    write_private(path, &secret).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(secret.into_bytes())
}

#[cfg(unix)]
pub fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::{io::Write, os::unix::fs::OpenOptionsExt};
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents.as_bytes())
}

#[cfg(not(unix))]
pub fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    std::fs::write(path, contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_hash_matches_only_its_code_and_challenge() {
        let key = [7u8; 32];
        let challenge = Uuid::new_v4();
        let stored = code_hash_with(&key, challenge, "123456");
        assert!(verify_code_with(&key, challenge, "123456", &stored));
        assert!(!verify_code_with(&key, challenge, "123457", &stored));
        assert!(!verify_code_with(&key, Uuid::new_v4(), "123456", &stored));
        assert!(!verify_code_with(&[8u8; 32], challenge, "123456", &stored));
    }
}
