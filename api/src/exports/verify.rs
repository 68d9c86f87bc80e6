//! `crepo export verify`: checks an export offline. Every member's size and
//! SHA-256 against the manifest (and nothing unlisted), the access log's
//! chain entry by entry, and the signed checkpoints that cover it: with the
//! provider's public key (`--public-key`) they prove the log is the one the
//! server signed; with only the key inside the archive they prove no more
//! than consistency.

use std::{
    collections::{BTreeMap, HashSet},
    io::{BufRead, BufReader, Read},
    path::Path,
};

use anyhow::Context;
use base64::{engine::general_purpose::STANDARD, Engine};
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};

use super::archive::ManifestMember;
use crate::{
    entities::{platform::access_log_checkpoint, tenant::access_log},
    logbook::{
        entry::{hash_of, GENESIS},
        signing::checkpoint_message,
    },
};

#[derive(Debug, Default)]
pub struct Report {
    pub members: usize,
    pub entries: u64,
    pub checkpoints: usize,
    /// The checkpoints were checked with a key given from outside.
    pub key_from_outside: bool,
    pub problems: Vec<String>,
}

#[derive(serde::Deserialize)]
struct Manifest {
    format: String,
    access_log: LogFacts,
    members: Vec<ManifestMember>,
}

#[derive(serde::Deserialize)]
struct LogFacts {
    first_seq: i64,
    last_seq: i64,
    last_hash: String,
    signing_public_key: String,
}

fn key_from(text: &str) -> anyhow::Result<VerifyingKey> {
    // A path to a file holding the key, or the key itself.
    let text = match std::fs::read_to_string(text) {
        Ok(s) => s,
        Err(_) => text.to_owned(),
    };
    let bytes: [u8; 32] = STANDARD
        .decode(text.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .context("the public key is not base64 of 32 bytes")?;
    VerifyingKey::from_bytes(&bytes).context("not an Ed25519 public key")
}

pub fn verify_file(path: &Path, public_key: Option<&str>) -> anyhow::Result<Report> {
    let file = std::fs::File::open(path).with_context(|| format!("{}", path.display()))?;
    let mut zip = ::zip::ZipArchive::new(file).context("not a ZIP archive")?;
    let manifest: Manifest = {
        let m = zip.by_name("manifest.json").context("no manifest.json")?;
        serde_json::from_reader(m).context("manifest.json is not a Crepo manifest")?
    };
    if manifest.format != "crepo-export" {
        anyhow::bail!("manifest.json is not a Crepo export's");
    }
    let mut report = Report::default();
    let listed: HashSet<&str> = manifest.members.iter().map(|m| m.path.as_str()).collect();
    for name in zip.file_names() {
        if name != "manifest.json" && !listed.contains(name) {
            report
                .problems
                .push(format!("{name}: in the archive but not in the manifest"));
        }
    }
    for m in &manifest.members {
        let Ok(mut entry) = zip.by_name(&m.path) else {
            report
                .problems
                .push(format!("{}: listed in the manifest but missing", m.path));
            continue;
        };
        let mut sha = Sha256::new();
        let mut size = 0u64;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = entry.read(&mut buf).with_context(|| m.path.clone())?;
            if n == 0 {
                break;
            }
            sha.update(&buf[..n]);
            size += n as u64;
        }
        if size != m.size || hex::encode(sha.finalize()) != m.sha256 {
            report
                .problems
                .push(format!("{}: its content differs from the manifest", m.path));
        }
        report.members += 1;
    }

    let key = match public_key {
        Some(k) => {
            report.key_from_outside = true;
            key_from(k)?
        }
        None => key_from(&manifest.access_log.signing_public_key)?,
    };
    let walked = check_log(&mut zip, &manifest.access_log, &mut report)?;
    check_checkpoints(&mut zip, &key, &manifest.access_log, &walked, &mut report)?;
    Ok(report)
}

/// What the walk of the exported log found.
#[derive(Default)]
struct Walked {
    /// Each entry's hash, by seq.
    hashes: BTreeMap<i64, String>,
    /// The first entry's link to the one before it (purged).
    first_prev: Option<String>,
}

/// Walks the exported log.
fn check_log(
    zip: &mut ::zip::ZipArchive<std::fs::File>,
    facts: &LogFacts,
    report: &mut Report,
) -> anyhow::Result<Walked> {
    let mut walked = Walked::default();
    let log = zip
        .by_name("access_log.jsonl")
        .context("no access_log.jsonl")?;
    let mut prev: Option<String> = (facts.first_seq <= 1).then(|| GENESIS.to_owned());
    let numbered = (facts.first_seq.max(1)..).zip(BufReader::new(log).lines().enumerate());
    for (expected, (i, line)) in numbered {
        let line = line?;
        let row: access_log::Model = serde_json::from_str(&line)
            .with_context(|| format!("access_log.jsonl line {}", i + 1))?;
        if row.seq != expected {
            report
                .problems
                .push(format!("access log: entry {expected} is missing"));
            return Ok(walked);
        }
        if walked.first_prev.is_none() {
            walked.first_prev = Some(row.prev_hash.clone());
        }
        if prev.as_ref().is_some_and(|p| *p != row.prev_hash) {
            report.problems.push(format!(
                "access log: entry {} does not link to the one before it",
                row.seq
            ));
            return Ok(walked);
        }
        if hash_of(&row) != row.hash {
            report.problems.push(format!(
                "access log: entry {} was altered (its hash does not match)",
                row.seq
            ));
            return Ok(walked);
        }
        prev = Some(row.hash.clone());
        walked.hashes.insert(row.seq, row.hash);
        report.entries += 1;
    }
    let last = walked.hashes.last_key_value();
    let ends_right = match last {
        Some((seq, hash)) => *seq == facts.last_seq && *hash == facts.last_hash,
        None => facts.last_seq == 0,
    };
    if !ends_right {
        report.problems.push(format!(
            "access log: it should end at entry {} as the manifest says",
            facts.last_seq
        ));
    }
    Ok(walked)
}

fn check_checkpoints(
    zip: &mut ::zip::ZipArchive<std::fs::File>,
    key: &VerifyingKey,
    facts: &LogFacts,
    walked: &Walked,
    report: &mut Report,
) -> anyhow::Result<()> {
    let hashes = &walked.hashes;
    let file = zip
        .by_name("access_log_checkpoints.jsonl")
        .context("no access_log_checkpoints.jsonl")?;
    let mut checkpoints = Vec::new();
    for line in BufReader::new(file).lines() {
        let cp: access_log_checkpoint::Model = serde_json::from_str(&line?)?;
        checkpoints.push(cp);
    }
    let mut before = String::new();
    for cp in &checkpoints {
        let signed = STANDARD
            .decode(&cp.signature)
            .ok()
            .and_then(|b| Signature::from_slice(&b).ok())
            .is_some_and(|sig| key.verify(checkpoint_message(cp).as_bytes(), &sig).is_ok());
        if !signed {
            report.problems.push(format!(
                "checkpoint at entry {}: the signature does not verify with this key",
                cp.seq
            ));
        }
        if cp.prev_signature.as_ref().is_some_and(|p| *p != before) {
            report.problems.push(format!(
                "checkpoint at entry {}: the one before it is missing",
                cp.seq
            ));
        }
        before.clone_from(&cp.signature);
        let covered = cp.seq >= facts.first_seq && cp.seq <= facts.last_seq;
        if covered && hashes.get(&cp.seq).is_some_and(|h| *h != cp.hash) {
            report.problems.push(format!(
                "access log: entry {} differs from what the checkpoint signed",
                cp.seq
            ));
        }
        report.checkpoints += 1;
    }
    // A log that starts after a retention purge must link to the purged
    // head a checkpoint signed.
    if facts.first_seq > 1 {
        let linked = checkpoints.iter().any(|cp| {
            cp.kind == "purge"
                && cp.seq + 1 == facts.first_seq
                && walked.first_prev.as_ref() == Some(&cp.hash)
        });
        if !linked {
            report.problems.push(format!(
                "access log: it starts at entry {} without a signed purge checkpoint it links to",
                facts.first_seq
            ));
        }
    }
    Ok(())
}
