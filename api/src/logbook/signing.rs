//! The server's Ed25519 key that signs access-log checkpoints.

use std::path::Path;

use anyhow::Context;
use base64::{engine::general_purpose::STANDARD, Engine};
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::entry::format_time;
use crate::config::Settings;

pub struct LogSigner {
    key: SigningKey,
    key_id: String,
    /// Public keys of earlier signing keys, by id: their checkpoints still verify.
    trusted: Vec<(String, VerifyingKey)>,
}

fn key_id(key: &VerifyingKey) -> String {
    hex::encode(&Sha256::digest(key.as_bytes())[..8])
}

/// What a checkpoint signs.
pub fn message(tenant: Uuid, seq: i64, hash: &str, at: DateTime<Utc>, kind: &str) -> String {
    format!(
        "crepo-access-log-checkpoint\n{tenant}\n{seq}\n{hash}\n{}\n{kind}",
        format_time(at)
    )
}

/// What a checkpoint signs: itself and, when it is part of the chain of
/// checkpoints (`prev`: the previous one's signature), that too.
pub fn checkpoint_message(cp: &crate::entities::platform::access_log_checkpoint::Model) -> String {
    let own = message(cp.tenant_id, cp.seq, &cp.hash, cp.at, &cp.kind);
    match &cp.prev_signature {
        Some(prev) => format!("{own}\nprev {prev}"),
        None => own,
    }
}

impl LogSigner {
    /// `CREPO_LOG_SIGNING_KEY` (base64 of a 32-byte seed), or a key generated
    /// once and kept in the data directory. `CREPO_LOG_TRUSTED_KEYS` lists
    /// earlier public keys (base64, comma-separated).
    pub fn load(settings: &Settings) -> anyhow::Result<LogSigner> {
        let seed = match &settings.log_signing_key {
            Some(s) => decode_seed(s.expose()).context("CREPO_LOG_SIGNING_KEY")?,
            None => load_or_generate(&settings.data_dir.join("log-signing.key"))?,
        };
        let key = SigningKey::from_bytes(&seed);
        let mut trusted = vec![(key_id(&key.verifying_key()), key.verifying_key())];
        for encoded in &settings.log_trusted_keys {
            let bytes: [u8; 32] = STANDARD
                .decode(encoded.trim())
                .ok()
                .and_then(|b| b.try_into().ok())
                .context("CREPO_LOG_TRUSTED_KEYS: not base64 of 32 bytes")?;
            let public = VerifyingKey::from_bytes(&bytes)
                .context("CREPO_LOG_TRUSTED_KEYS: not an Ed25519 key")?;
            trusted.push((key_id(&public), public));
        }
        Ok(LogSigner {
            key_id: key_id(&key.verifying_key()),
            key,
            trusted,
        })
    }

    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    pub fn public_key_base64(&self) -> String {
        STANDARD.encode(self.key.verifying_key().as_bytes())
    }

    pub fn sign(&self, message: &str) -> String {
        STANDARD.encode(self.key.sign(message.as_bytes()).to_bytes())
    }

    /// Does `signature` by key `key_id` sign `message`?
    pub fn verify(&self, key_id: &str, message: &str, signature: &str) -> bool {
        let Some((_, public)) = self.trusted.iter().find(|(id, _)| id == key_id) else {
            return false;
        };
        let Ok(bytes) = STANDARD.decode(signature) else {
            return false;
        };
        let Ok(sig) = Signature::from_slice(&bytes) else {
            return false;
        };
        public.verify(message.as_bytes(), &sig).is_ok()
    }
}

fn decode_seed(encoded: &str) -> anyhow::Result<[u8; 32]> {
    STANDARD
        .decode(encoded.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .context("not base64 of a 32-byte seed")
}

fn load_or_generate(path: &Path) -> anyhow::Result<[u8; 32]> {
    if let Ok(existing) = std::fs::read_to_string(path) {
        return decode_seed(&existing).with_context(|| format!("{}", path.display()));
    }
    let key = SigningKey::generate(&mut rand::rngs::OsRng);
    crate::tokens::write_private(path, &STANDARD.encode(key.to_bytes()))
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(key.to_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_its_message() {
        let signer = LogSigner {
            key: SigningKey::from_bytes(&[3u8; 32]),
            key_id: key_id(&SigningKey::from_bytes(&[3u8; 32]).verifying_key()),
            trusted: vec![(
                key_id(&SigningKey::from_bytes(&[3u8; 32]).verifying_key()),
                SigningKey::from_bytes(&[3u8; 32]).verifying_key(),
            )],
        };
        let msg = message(Uuid::nil(), 10, &"a".repeat(64), Utc::now(), "periodic");
        let sig = signer.sign(&msg);
        assert!(signer.verify(signer.key_id(), &msg, &sig));
        assert!(!signer.verify(signer.key_id(), &msg.replace("10", "11"), &sig));
        assert!(!signer.verify("unknown", &msg, &sig));
    }
}
