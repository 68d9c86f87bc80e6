//! Streaming uploads and downloads of the object stores, on a directory and on
//! S3 (moto_server): hashing, size caps that leave nothing behind, ranged
//! reads, per-tenant deletion and type sniffing.

use std::{
    path::{Path, PathBuf},
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
};

use bytes::Bytes;
use crepo_api::{
    ids::TenantId,
    storage::{self, ByteStream, ObjectKey, ObjectStore, PutError, SniffedType},
};
use crepo_tests::{moto::Moto, TestEnv};
use futures_util::{stream, StreamExt, TryStreamExt};

const MIB: usize = 1024 * 1024;
const BUCKET: &str = "crepo-test";

/// An S3 store on a fresh moto_server; keep the `Moto` alive while using it.
struct S3 {
    _moto: Moto,
    client: aws_sdk_s3::Client,
    store: Arc<dyn ObjectStore>,
}

async fn s3_store() -> S3 {
    let moto = Moto::start().await;
    let client = moto.bucket(BUCKET).await;
    let mut env = TestEnv::new().await;
    moto.configure(&mut env);
    env.set("CREPO_STORAGE", format!("s3://{BUCKET}/objects"));
    let store = storage::from_settings(&env.settings()).await.unwrap();
    assert_eq!(store.kind(), "s3");
    let _moto = moto;
    S3 {
        _moto,
        client,
        store,
    }
}

async fn dir_store() -> (TestEnv, Arc<dyn ObjectStore>) {
    let env = TestEnv::new().await;
    let store = storage::from_settings(&env.settings()).await.unwrap();
    assert_eq!(store.kind(), "directory");
    (env, store)
}

/// Deterministic, incompressible bytes starting with `header`.
fn data(header: &[u8], len: usize) -> Bytes {
    let mut out = header.to_vec();
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(len);
    Bytes::from(out)
}

/// `data` as a stream of `chunk`-byte pieces (the last one shorter).
fn chunked(data: Bytes, chunk: usize) -> ByteStream {
    let pieces: Vec<Result<Bytes, std::io::Error>> = (0..data.len())
        .step_by(chunk)
        .map(|i| Ok(data.slice(i..data.len().min(i + chunk))))
        .collect();
    Box::pin(stream::iter(pieces))
}

/// A client that never stops sending.
fn endless() -> ByteStream {
    let chunk = Bytes::from(vec![7u8; 64 * 1024]);
    Box::pin(stream::repeat(chunk).map(Ok))
}

/// A client that sends `n` bytes and then stalls for ever.
fn stalls_after(n: usize) -> ByteStream {
    Box::pin(chunked(data(b"", n), 64 * 1024).chain(stream::pending()))
}

/// Like [`stalls_after`], raising `stalled` once the store has read all `n`
/// bytes (and so has finished with every full part before them).
fn stalls_after_flagging(n: usize, stalled: Arc<AtomicBool>) -> ByteStream {
    let flag = stream::once(async move {
        stalled.store(true, Ordering::SeqCst);
        None
    })
    .filter_map(|none: Option<Result<Bytes, std::io::Error>>| async move { none });
    Box::pin(
        chunked(data(b"", n), 64 * 1024)
            .chain(flag)
            .chain(stream::pending()),
    )
}

/// Waits up to 10 s for `check` to hold.
async fn eventually<F: std::future::Future<Output = bool>>(mut check: impl FnMut() -> F) {
    for _ in 0..200 {
        if check().await {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the condition never held");
}

fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(data))
}

async fn read_all(store: &dyn ObjectStore, key: &ObjectKey, range: Option<(u64, u64)>) -> Vec<u8> {
    let object = store.get_stream(key, range).await.unwrap().unwrap();
    let chunks: Vec<Bytes> = object.body.try_collect().await.unwrap();
    let body = chunks.concat();
    assert_eq!(body.len() as u64, object.content_length);
    body
}

/// Every file under `dir`, temp files included.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

async fn s3_keys(s3: &S3) -> Vec<String> {
    let page = s3
        .client
        .list_objects_v2()
        .bucket(BUCKET)
        .send()
        .await
        .unwrap();
    page.contents()
        .iter()
        .map(|o| o.key().unwrap().to_owned())
        .collect()
}

async fn s3_uploads_in_progress(s3: &S3) -> usize {
    let page = s3
        .client
        .list_multipart_uploads()
        .bucket(BUCKET)
        .send()
        .await
        .unwrap();
    page.uploads().len()
}

/// Streams `body` to `path` on S3 and checks what arrived; returns the ETag.
async fn s3_upload_arrives_whole_and_encrypted(s3: &S3, path: &str, body: Bytes) -> String {
    let tenant = TenantId::new();
    let key = ObjectKey::for_tenant(tenant, path).unwrap();
    // 100 000-byte chunks do not line up with 5 MiB parts.
    let input = chunked(body.clone(), 100_000);
    let cap = 50 * MIB as u64;
    let stored = s3.store.put_stream(&key, input, "application/pdf", cap);
    let stored = stored.await.unwrap();
    assert_eq!(stored.size, body.len() as u64);
    assert_eq!(stored.sha256, sha256_hex(&body));
    assert_eq!(stored.sniffed, SniffedType::Pdf);

    let head = s3.client.head_object().bucket(BUCKET);
    let head = head.key(format!("objects/{tenant}/{path}"));
    let head = head.send().await.unwrap();
    assert_eq!(
        head.server_side_encryption(),
        Some(&aws_sdk_s3::types::ServerSideEncryption::Aes256)
    );
    assert_eq!(head.content_length(), Some(body.len() as i64));
    assert_eq!(head.content_type(), Some("application/pdf"));
    assert_eq!(s3.store.head(&key).await.unwrap(), Some(stored.size));
    assert!(read_all(&*s3.store, &key, None).await == body);
    head.e_tag().unwrap().trim_matches('"').to_owned()
}

#[tokio::test]
async fn a_12_mib_streamed_upload_to_s3_arrives_whole_encrypted_and_in_three_parts() {
    let s3 = s3_store().await;
    let etag = s3_upload_arrives_whole_and_encrypted(&s3, "big.pdf", data(b"%PDF-", 12 * MIB));
    // A multipart ETag ends in the number of parts: 5 + 5 + 2 MiB.
    let etag = etag.await;
    assert!(etag.ends_with("-3"), "ETag {etag}");
    assert_eq!(s3_uploads_in_progress(&s3).await, 0);

    // Less than a part is one PutObject.
    let body = data(b"%PDF-", 5 * MIB - 1);
    let etag = s3_upload_arrives_whole_and_encrypted(&s3, "small.pdf", body).await;
    assert!(!etag.contains('-'), "ETag {etag}");
}

#[tokio::test]
async fn uploads_over_the_cap_leave_no_object_and_no_multipart_upload_on_s3() {
    let s3 = s3_store().await;
    let tenant = TenantId::new();
    // Caps below and above one part: the second has sent a part when it stops.
    for (name, cap) in [("small", 1000u64), ("large", 7 * MIB as u64)] {
        let key = ObjectKey::for_tenant(tenant, name).unwrap();
        let err = s3
            .store
            .put_stream(&key, endless(), "application/octet-stream", cap)
            .await
            .unwrap_err();
        assert!(
            matches!(err, PutError::TooLarge { limit } if limit == cap),
            "{err:?}"
        );
        assert_eq!(s3.store.head(&key).await.unwrap(), None);
    }
    assert_eq!(s3_keys(&s3).await, Vec::<String>::new());
    assert_eq!(s3_uploads_in_progress(&s3).await, 0);

    // Exactly at the cap is fine.
    let key = ObjectKey::for_tenant(tenant, "exact").unwrap();
    let body = data(b"", 6 * MIB);
    let stored = s3
        .store
        .put_stream(&key, chunked(body, MIB), "image/png", 6 * MIB as u64)
        .await
        .unwrap();
    assert_eq!(stored.size, 6 * MIB as u64);
}

#[tokio::test]
async fn uploads_over_the_cap_or_with_a_broken_body_leave_no_file_in_the_directory_store() {
    let (env, store) = dir_store().await;
    let tenant = TenantId::new();
    let key = ObjectKey::for_tenant(tenant, "files/too-big.bin").unwrap();
    let err = store
        .put_stream(&key, endless(), "application/octet-stream", 3 * MIB as u64)
        .await
        .unwrap_err();
    assert!(
        matches!(err, PutError::TooLarge { limit } if limit == 3 * MIB as u64),
        "{err:?}"
    );

    let broken: ByteStream = Box::pin(stream::iter(vec![
        Ok(Bytes::from_static(b"first chunk")),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "client went away",
        )),
    ]));
    let err = store
        .put_stream(&key, broken, "application/octet-stream", MIB as u64)
        .await
        .unwrap_err();
    assert!(matches!(err, PutError::Body(_)), "{err:?}");

    assert_eq!(store.head(&key).await.unwrap(), None);
    let objects = env.data_dir.path().join("objects");
    assert_eq!(files_under(&objects), Vec::<PathBuf>::new());
}

#[tokio::test]
async fn an_upload_cancelled_midway_leaves_nothing_behind_on_either_backend() {
    // A request handler's future is dropped when its client disconnects.
    let (env, store) = dir_store().await;
    let key = ObjectKey::for_tenant(TenantId::new(), "cancelled.bin").unwrap();
    let (k, cap) = (key.clone(), 50 * MIB as u64);
    let upload =
        tokio::spawn(async move { store.put_stream(&k, stalls_after(MIB), "x", cap).await });
    let objects = env.data_dir.path().join("objects");
    eventually(|| std::future::ready(files_under(&objects).len() == 1)).await;
    upload.abort();
    assert!(upload.await.unwrap_err().is_cancelled());
    assert_eq!(files_under(&objects), Vec::<PathBuf>::new());

    // On S3 one part is sent before the client stalls; the upload is aborted.
    // (Waiting for the stall, not merely for the upload to appear: a client
    // gone while S3 is still creating the upload leaves one the app never
    // heard of, for the bucket's lifecycle rule; see the README.)
    let s3 = &s3_store().await;
    let store = s3.store.clone();
    let stalled = Arc::new(AtomicBool::new(false));
    let body = stalls_after_flagging(6 * MIB, stalled.clone());
    let upload = tokio::spawn(async move { store.put_stream(&key, body, "x", cap).await });
    eventually(|| std::future::ready(stalled.load(Ordering::SeqCst))).await;
    assert_eq!(s3_uploads_in_progress(s3).await, 1);
    upload.abort();
    assert!(upload.await.unwrap_err().is_cancelled());
    eventually(|| async move { s3_uploads_in_progress(s3).await == 0 }).await;
    assert_eq!(s3_keys(s3).await, Vec::<String>::new());
}

/// Ranges at the edges and across read chunks return exactly their bytes.
async fn ranged_reads_return_exactly_the_requested_bytes(store: &dyn ObjectStore) {
    let tenant = TenantId::new();
    let key = ObjectKey::for_tenant(tenant, "files/ranged.bin").unwrap();
    let body = data(b"", 300_000);
    store
        .put_stream(
            &key,
            chunked(body.clone(), 4096),
            "application/octet-stream",
            MIB as u64,
        )
        .await
        .unwrap();
    assert_eq!(store.head(&key).await.unwrap(), Some(300_000));
    for (start, end) in [
        (0, 0),
        (0, 99),
        (10, 200_000),
        (65_535, 65_536),
        (299_999, 299_999),
    ] {
        let object = store
            .get_stream(&key, Some((start, end)))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(object.size, 300_000);
        assert_eq!(object.content_length, end - start + 1);
        let got = read_all(store, &key, Some((start, end))).await;
        assert!(
            got[..] == body[start as usize..=end as usize],
            "range {start}-{end}"
        );
    }
    let whole = store.get_stream(&key, None).await.unwrap().unwrap();
    assert_eq!((whole.size, whole.content_length), (300_000, 300_000));
    assert!(read_all(store, &key, None).await == body);

    let missing = ObjectKey::for_tenant(tenant, "files/missing.bin").unwrap();
    assert!(store.get_stream(&missing, None).await.unwrap().is_none());
    assert!(store
        .get_stream(&missing, Some((0, 9)))
        .await
        .unwrap()
        .is_none());
    assert_eq!(store.head(&missing).await.unwrap(), None);
}

#[tokio::test]
async fn ranged_reads_on_the_directory_store_return_exactly_the_requested_bytes() {
    let (_env, store) = dir_store().await;
    ranged_reads_return_exactly_the_requested_bytes(&*store).await;
}

#[tokio::test]
async fn ranged_reads_on_s3_return_exactly_the_requested_bytes() {
    let s3 = s3_store().await;
    ranged_reads_return_exactly_the_requested_bytes(&*s3.store).await;
}

/// Tenant A's objects go; tenant B's stay.
async fn delete_prefix_removes_only_that_tenants_objects(store: &dyn ObjectStore) {
    let (a, b) = (TenantId::new(), TenantId::new());
    let a_keys = ["one.txt", "files/two.png", "files/deep/three.pdf"];
    let b_keys = ["one.txt", "files/two.png"];
    for (tenant, paths) in [(a, &a_keys[..]), (b, &b_keys[..])] {
        for path in paths {
            let key = ObjectKey::for_tenant(tenant, path).unwrap();
            store
                .put_stream(&key, chunked(data(b"x", 100), 7), "text/plain", 1000)
                .await
                .unwrap();
        }
    }
    assert_eq!(
        store
            .delete_prefix(&ObjectKey::tenant_prefix(a))
            .await
            .unwrap(),
        3
    );
    for path in a_keys {
        let key = ObjectKey::for_tenant(a, path).unwrap();
        assert_eq!(store.head(&key).await.unwrap(), None, "{path}");
    }
    for path in b_keys {
        let key = ObjectKey::for_tenant(b, path).unwrap();
        assert_eq!(store.head(&key).await.unwrap(), Some(100), "{path}");
    }
    assert_eq!(
        store
            .delete_prefix(&ObjectKey::tenant_prefix(a))
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn delete_prefix_on_the_directory_store_removes_only_that_tenants_objects() {
    let (env, store) = dir_store().await;
    delete_prefix_removes_only_that_tenants_objects(&*store).await;
    assert_eq!(files_under(&env.data_dir.path().join("objects")).len(), 2);
}

#[tokio::test]
async fn delete_prefix_on_s3_removes_only_that_tenants_objects() {
    let s3 = s3_store().await;
    delete_prefix_removes_only_that_tenants_objects(&*s3.store).await;
    assert_eq!(s3_keys(&s3).await.len(), 2);
}

/// A PNG whose first chunk is only 3 bytes long is still recognised.
async fn sniffing_detects_a_png_even_when_the_first_chunk_is_3_bytes_long(store: &dyn ObjectStore) {
    let key = ObjectKey::for_tenant(TenantId::new(), "files/image").unwrap();
    let png = data(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 5000);
    let body: ByteStream =
        Box::pin(stream::iter(vec![png.slice(..3), png.slice(3..4), png.slice(4..)]).map(Ok));
    let stored = store
        .put_stream(&key, body, "application/octet-stream", 10_000)
        .await
        .unwrap();
    assert_eq!(stored.sniffed, SniffedType::Png);
    assert_eq!(stored.sniffed.mime(), "image/png");
    assert_eq!(stored.size, 5000);
}

#[tokio::test]
async fn sniffing_on_the_directory_store_detects_a_png_even_when_the_first_chunk_is_3_bytes_long() {
    let (_env, store) = dir_store().await;
    sniffing_detects_a_png_even_when_the_first_chunk_is_3_bytes_long(&*store).await;
}

#[tokio::test]
async fn sniffing_on_s3_detects_a_png_even_when_the_first_chunk_is_3_bytes_long() {
    let s3 = s3_store().await;
    sniffing_detects_a_png_even_when_the_first_chunk_is_3_bytes_long(&*s3.store).await;
}
