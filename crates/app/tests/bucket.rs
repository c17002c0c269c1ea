//! Files in an S3-compatible bucket, against a local S3 (moto's server, which the test
//! command starts: `SANGDAM_TEST_S3` is its address, with a bucket `sangdam-test`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use app::files::{Bucket, FileStorage};
use object_store::ObjectStore;

/// The local S3's bucket as object_store reaches it; `None` (skipped, loudly) when there is
/// none, which on CI is a failure.
pub fn local_s3() -> Option<Arc<dyn ObjectStore>> {
    let Ok(endpoint) = std::env::var("SANGDAM_TEST_S3") else {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("SANGDAM_TEST_S3 is not set and CI=true: the bucket tests must run");
        }
        eprintln!("!!! SKIPPING the bucket test: no local S3 (set SANGDAM_TEST_S3)");
        return None;
    };
    let store = object_store::aws::AmazonS3Builder::new()
        .with_endpoint(endpoint)
        .with_allow_http(true)
        .with_bucket_name("sangdam-test")
        .with_region("us-east-1")
        .with_access_key_id("test")
        .with_secret_access_key("test")
        .build()
        .unwrap();
    Some(Arc::new(store))
}

fn key(byte: u8) -> String {
    hex::encode([byte; 32])
}

#[tokio::test]
async fn a_bucket_keeps_gets_and_deletes_by_key() {
    let Some(s3) = local_s3() else { return };
    let prefix = format!("t{}", std::process::id());
    let bucket = Bucket::new(s3.clone(), &format!("/{prefix}/"));
    let k = key(0xab);
    assert_eq!(bucket.get(&k).await.unwrap(), None);
    bucket.put(&k, b"first bytes").await.unwrap();
    // Content-addressed: the same key twice keeps the first.
    bucket.put(&k, b"other bytes").await.unwrap();
    assert_eq!(
        bucket.get(&k).await.unwrap().as_deref(),
        Some(&b"first bytes"[..])
    );
    // Where it lives: under the prefix, in two levels of the key.
    let path = object_store::path::Path::from(format!("{prefix}/ab/ab/{k}"));
    let raw = s3.get(&path).await.unwrap().bytes().await.unwrap();
    assert_eq!(&raw[..], b"first bytes");
    bucket.delete(&k).await.unwrap();
    assert_eq!(bucket.get(&k).await.unwrap(), None);
    // Deleting what is gone is no error; a key that is no key names nothing.
    bucket.delete(&k).await.unwrap();
    for bad in ["../etc/passwd", "AB", &"g".repeat(64)] {
        assert!(bucket.put(bad, b"x").await.is_err(), "{bad}");
        assert!(bucket.get(bad).await.is_err(), "{bad}");
    }
}

#[test]
fn bucket_addresses_are_checked() {
    for bad in ["", "bucket", "http://x/y", "s3://", "s3:///prefix"] {
        assert!(Bucket::from_url(bad).is_err(), "{bad}");
    }
}
