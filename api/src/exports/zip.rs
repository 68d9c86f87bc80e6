//! A ZIP archive written as a stream, in constant memory: each member's
//! local header goes out before its bytes are known, its sizes and CRC follow
//! in a data descriptor, and the central directory closes the archive.
//! Members use DEFLATE (documents) or STORE (design files, which are
//! compressed already). ZIP64 records are added only where an offset or the
//! entry count needs them; a single member must stay below 4 GiB.

use std::io::Write;

use bytes::Bytes;
use chrono::{DateTime, Datelike, Timelike, Utc};
use flate2::{write::DeflateEncoder, Compression};
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;

const U32_MAX: u64 = 0xFFFF_FFFF;
/// Bytes gathered before they are handed to the channel.
const FLUSH_AT: usize = 64 * 1024;

fn broken() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::BrokenPipe,
        "the archive's reader is gone",
    )
}

struct CentralEntry {
    name: String,
    deflate: bool,
    crc: u32,
    compressed: u64,
    size: u64,
    offset: u64,
}

/// What a member turned out to be, for the manifest.
#[derive(Debug, Clone)]
pub struct MemberDigest {
    pub size: u64,
    /// Lowercase hex SHA-256 of the member's (uncompressed) bytes.
    pub sha256: String,
}

pub struct ZipWriter {
    out: mpsc::Sender<std::io::Result<Bytes>>,
    buf: Vec<u8>,
    offset: u64,
    entries: Vec<CentralEntry>,
    dos_time: u16,
    dos_date: u16,
}

impl ZipWriter {
    /// Every member carries `at` as its modification time.
    pub fn new(out: mpsc::Sender<std::io::Result<Bytes>>, at: DateTime<Utc>) -> Self {
        let dos_time =
            ((at.hour() as u16) << 11) | ((at.minute() as u16) << 5) | (at.second() as u16 / 2);
        let year = at.year().clamp(1980, 2107) as u16;
        let dos_date = ((year - 1980) << 9) | ((at.month() as u16) << 5) | at.day() as u16;
        Self {
            out,
            buf: Vec::with_capacity(FLUSH_AT * 2),
            offset: 0,
            entries: Vec::new(),
            dos_time,
            dos_date,
        }
    }

    /// Bytes written so far.
    pub fn offset(&self) -> u64 {
        self.offset + self.buf.len() as u64
    }

    async fn emit(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= FLUSH_AT {
            self.flush().await?;
        }
        Ok(())
    }

    async fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buf,
            Vec::with_capacity(FLUSH_AT * 2),
        ));
        self.offset += chunk.len() as u64;
        self.out.send(Ok(chunk)).await.map_err(|_| broken())
    }

    /// Starts a member named `name` (`/`-separated, UTF-8).
    pub async fn member(&mut self, name: &str, deflate: bool) -> std::io::Result<Member<'_>> {
        let offset = self.offset();
        let mut h = Vec::with_capacity(30 + name.len());
        h.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        h.extend_from_slice(&20u16.to_le_bytes());
        // Sizes follow the data (bit 3); the name is UTF-8 (bit 11).
        h.extend_from_slice(&(0x0008u16 | 0x0800).to_le_bytes());
        h.extend_from_slice(&(if deflate { 8u16 } else { 0 }).to_le_bytes());
        h.extend_from_slice(&self.dos_time.to_le_bytes());
        h.extend_from_slice(&self.dos_date.to_le_bytes());
        h.extend_from_slice(&[0; 12]);
        h.extend_from_slice(&(name.len() as u16).to_le_bytes());
        h.extend_from_slice(&0u16.to_le_bytes());
        h.extend_from_slice(name.as_bytes());
        self.emit(&h).await?;
        Ok(Member {
            zip: self,
            name: name.to_owned(),
            offset,
            deflated: deflate,
            encoder: deflate.then(|| DeflateEncoder::new(Vec::new(), Compression::default())),
            crc: crc32fast::Hasher::new(),
            sha: Sha256::new(),
            size: 0,
            compressed: 0,
        })
    }

    /// Writes the central directory and ends the stream; returns the
    /// archive's size.
    pub async fn finish(mut self) -> std::io::Result<u64> {
        let cd_start = self.offset();
        let entries = std::mem::take(&mut self.entries);
        for e in &entries {
            let mut extra = Vec::new();
            let size32 = if e.size >= U32_MAX || e.compressed >= U32_MAX || e.offset >= U32_MAX {
                extra.extend_from_slice(&1u16.to_le_bytes());
                let mut fields = Vec::new();
                if e.size >= U32_MAX {
                    fields.extend_from_slice(&e.size.to_le_bytes());
                }
                if e.compressed >= U32_MAX {
                    fields.extend_from_slice(&e.compressed.to_le_bytes());
                }
                if e.offset >= U32_MAX {
                    fields.extend_from_slice(&e.offset.to_le_bytes());
                }
                extra.extend_from_slice(&(fields.len() as u16).to_le_bytes());
                extra.extend_from_slice(&fields);
                false
            } else {
                true
            };
            let clamp = |v: u64| {
                if v >= U32_MAX {
                    U32_MAX as u32
                } else {
                    v as u32
                }
            };
            let mut h = Vec::with_capacity(46 + e.name.len() + extra.len());
            h.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
            // Made by: Unix, spec 4.5; needed: 2.0, or 4.5 with ZIP64 fields.
            h.extend_from_slice(&(0x0300u16 | 45).to_le_bytes());
            h.extend_from_slice(&(if size32 { 20u16 } else { 45 }).to_le_bytes());
            h.extend_from_slice(&(0x0008u16 | 0x0800).to_le_bytes());
            h.extend_from_slice(&(if e.deflate { 8u16 } else { 0 }).to_le_bytes());
            h.extend_from_slice(&self.dos_time.to_le_bytes());
            h.extend_from_slice(&self.dos_date.to_le_bytes());
            h.extend_from_slice(&e.crc.to_le_bytes());
            h.extend_from_slice(&clamp(e.compressed).to_le_bytes());
            h.extend_from_slice(&clamp(e.size).to_le_bytes());
            h.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
            h.extend_from_slice(&(extra.len() as u16).to_le_bytes());
            h.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
            h.extend_from_slice(&(0o100_644u32 << 16).to_le_bytes());
            h.extend_from_slice(&clamp(e.offset).to_le_bytes());
            h.extend_from_slice(e.name.as_bytes());
            h.extend_from_slice(&extra);
            self.emit(&h).await?;
        }
        let cd_end = self.offset();
        let cd_size = cd_end - cd_start;
        let count = entries.len() as u64;
        let mut tail = Vec::new();
        if count >= 0xFFFF || cd_start >= U32_MAX || cd_size >= U32_MAX {
            tail.extend_from_slice(&0x0606_4b50u32.to_le_bytes());
            tail.extend_from_slice(&44u64.to_le_bytes());
            tail.extend_from_slice(&(0x0300u16 | 45).to_le_bytes());
            tail.extend_from_slice(&45u16.to_le_bytes());
            tail.extend_from_slice(&[0; 8]); // this disk, the directory's disk
            tail.extend_from_slice(&count.to_le_bytes());
            tail.extend_from_slice(&count.to_le_bytes());
            tail.extend_from_slice(&cd_size.to_le_bytes());
            tail.extend_from_slice(&cd_start.to_le_bytes());
            tail.extend_from_slice(&0x0706_4b50u32.to_le_bytes());
            tail.extend_from_slice(&0u32.to_le_bytes());
            tail.extend_from_slice(&cd_end.to_le_bytes());
            tail.extend_from_slice(&1u32.to_le_bytes());
        }
        let count16 = count.min(0xFFFF) as u16;
        tail.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        tail.extend_from_slice(&[0; 4]);
        tail.extend_from_slice(&count16.to_le_bytes());
        tail.extend_from_slice(&count16.to_le_bytes());
        tail.extend_from_slice(&(cd_size.min(U32_MAX) as u32).to_le_bytes());
        tail.extend_from_slice(&(cd_start.min(U32_MAX) as u32).to_le_bytes());
        tail.extend_from_slice(&0u16.to_le_bytes());
        self.emit(&tail).await?;
        self.flush().await?;
        Ok(self.offset)
    }
}

/// One member being written; call [`Member::finish`] before the next.
pub struct Member<'a> {
    zip: &'a mut ZipWriter,
    name: String,
    offset: u64,
    deflated: bool,
    encoder: Option<DeflateEncoder<Vec<u8>>>,
    crc: crc32fast::Hasher,
    sha: Sha256,
    size: u64,
    compressed: u64,
}

impl Member<'_> {
    pub async fn write(&mut self, data: &[u8]) -> std::io::Result<()> {
        self.crc.update(data);
        self.sha.update(data);
        self.size += data.len() as u64;
        if self.size >= U32_MAX {
            return Err(std::io::Error::other(format!(
                "{} is too large for one archive member",
                self.name
            )));
        }
        match &mut self.encoder {
            Some(enc) => {
                enc.write_all(data)?;
                let out = std::mem::take(enc.get_mut());
                self.compressed += out.len() as u64;
                self.zip.emit(&out).await
            }
            None => {
                self.compressed += data.len() as u64;
                self.zip.emit(data).await
            }
        }
    }

    pub async fn finish(mut self) -> std::io::Result<MemberDigest> {
        if let Some(enc) = self.encoder.take() {
            let rest = enc.finish()?;
            self.compressed += rest.len() as u64;
            self.zip.emit(&rest).await?;
        }
        let crc = self.crc.clone().finalize();
        let mut d = Vec::with_capacity(16);
        d.extend_from_slice(&0x0807_4b50u32.to_le_bytes());
        d.extend_from_slice(&crc.to_le_bytes());
        d.extend_from_slice(&(self.compressed as u32).to_le_bytes());
        d.extend_from_slice(&(self.size as u32).to_le_bytes());
        self.zip.emit(&d).await?;
        self.zip.entries.push(CentralEntry {
            name: std::mem::take(&mut self.name),
            deflate: self.deflated,
            crc,
            compressed: self.compressed,
            size: self.size,
            offset: self.offset,
        });
        Ok(MemberDigest {
            size: self.size,
            sha256: hex::encode(self.sha.clone().finalize()),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    async fn archive(members: &[(&str, bool, Vec<u8>)]) -> Vec<u8> {
        let (tx, mut rx) = mpsc::channel(4);
        let owned: Vec<(String, bool, Vec<u8>)> = members
            .iter()
            .map(|(n, d, b)| (n.to_string(), *d, b.clone()))
            .collect();
        let writer = tokio::spawn(async move {
            let mut zip = ZipWriter::new(tx, Utc::now());
            for (name, deflate, bytes) in owned {
                let mut m = zip.member(&name, deflate).await.unwrap();
                for chunk in bytes.chunks(7000) {
                    m.write(chunk).await.unwrap();
                }
                m.finish().await.unwrap();
            }
            zip.finish().await.unwrap()
        });
        let mut out = Vec::new();
        while let Some(chunk) = rx.recv().await {
            out.extend_from_slice(&chunk.unwrap());
        }
        assert_eq!(writer.await.unwrap(), out.len() as u64);
        out
    }

    #[tokio::test]
    async fn a_streamed_archive_reads_back_with_every_member_intact() {
        let text = "緑茶 ".repeat(50_000).into_bytes();
        let noise: Vec<u8> = (0..200_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let bytes = archive(&[
            ("manifest.json", true, b"{}".to_vec()),
            ("files/p/緑茶.txt", true, text.clone()),
            ("files/p/raw.bin", false, noise.clone()),
            ("empty.jsonl", true, Vec::new()),
        ])
        .await;
        let mut zip = ::zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(zip.len(), 4);
        for (name, want) in [
            ("files/p/緑茶.txt", &text),
            ("files/p/raw.bin", &noise),
            ("empty.jsonl", &Vec::new()),
        ] {
            let mut got = Vec::new();
            zip.by_name(name).unwrap().read_to_end(&mut got).unwrap();
            assert_eq!(&got, want, "{name}");
        }
    }
}
