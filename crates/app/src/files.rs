//! Images and files in consultations (R3.7).
//!
//! A file is checked on its bytes against its site's rules (core's [`check_upload`]), stored
//! once by the SHA-256 of its content in the file storage ([`FileStorage`]: local disk by
//! default), given a thumbnail when it is an image Sangdam can read, recorded, and sent as a
//! message whose body is its name. It is served only to those who may see its room: agents by
//! the room's access rules, a chat window by what it sees of the room (R2.8), a messenger
//! platform and its user through a signed link that expires.

use std::fmt::Debug;
use std::future::Future;
use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

use sangdam_core::file::{self, Accepted, FileKind, FileRefusal, FileRules};
use sangdam_core::{Action, ConsultationId, CoreError, FileId, RoomId, SiteId};
use sha2::{Digest, Sha256};
use store::{AgentRecord, FileRecord, MessageRecord, NewFile, StoreError, VisitorRecord};

use crate::Services;
use crate::consultations::Reply;
use crate::error::AppError;

/// A future of the file storage.
pub type StorageFuture<'a, T> = Pin<Box<dyn Future<Output = io::Result<T>> + Send + 'a>>;

/// Where the bytes of files live, by key (the hex SHA-256 of the bytes). Putting the same key
/// twice keeps one copy; a key that is not there reads as `None`.
pub trait FileStorage: Send + Sync + Debug {
    fn put<'a>(&'a self, key: &'a str, bytes: &'a [u8]) -> StorageFuture<'a, ()>;
    fn get<'a>(&'a self, key: &'a str) -> StorageFuture<'a, Option<Vec<u8>>>;
    fn delete<'a>(&'a self, key: &'a str) -> StorageFuture<'a, ()>;
}

/// Files on local disk, under `root/ab/cd/<key>`: outside any directory the server serves
/// pages from, written to a temporary name and renamed, so a half-written file is never read.
#[derive(Debug, Clone)]
pub struct LocalDisk {
    root: PathBuf,
}

impl LocalDisk {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        LocalDisk { root: root.into() }
    }

    /// The path of a key; `None` for anything but a key (see [`key_path`]).
    fn path(&self, key: &str) -> Option<PathBuf> {
        key_path(key).map(|p| self.root.join(p))
    }
}

/// Where a key lives under a storage's root: `ab/cd/<key>`; `None` for anything but 64
/// lowercase hex digits (no key from elsewhere ever names a path).
fn key_path(key: &str) -> Option<String> {
    let valid = key.len() == 64 && key.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    valid.then(|| format!("{}/{}/{key}", &key[..2], &key[2..4]))
}

/// Files in an S3-compatible bucket (AWS S3, MinIO, Ceph, Cloudflare R2, NCP Object Storage),
/// under `prefix/ab/cd/<key>`: the bucket is private; files are served by Sangdam with the
/// same checks as from disk.
#[derive(Debug, Clone)]
pub struct Bucket {
    store: Arc<dyn object_store::ObjectStore>,
    prefix: String,
}

impl Bucket {
    /// The bucket of `url` (`s3://bucket` or `s3://bucket/prefix`), with its credentials,
    /// region and endpoint from the usual `AWS_*` variables (`AWS_ACCESS_KEY_ID`,
    /// `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, `AWS_ENDPOINT` for a service other than AWS,
    /// `AWS_ALLOW_HTTP=true` for a plain-HTTP endpoint).
    pub fn from_url(url: &str) -> Result<Bucket, String> {
        let rest = url
            .strip_prefix("s3://")
            .ok_or_else(|| format!("{url:?}: a bucket is s3://bucket or s3://bucket/prefix"))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(format!("{url:?}: no bucket name"));
        }
        let store = object_store::aws::AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .build()
            .map_err(|e| format!("{url}: {e}"))?;
        Ok(Bucket::new(Arc::new(store), prefix))
    }

    /// A bucket reached by `store`, keeping files under `prefix`.
    pub fn new(store: Arc<dyn object_store::ObjectStore>, prefix: &str) -> Bucket {
        Bucket {
            store,
            prefix: prefix.trim_matches('/').to_owned(),
        }
    }

    fn path(&self, key: &str) -> io::Result<object_store::path::Path> {
        let p = key_path(key).ok_or_else(bad_key)?;
        let full = if self.prefix.is_empty() {
            p
        } else {
            format!("{}/{p}", self.prefix)
        };
        object_store::path::Path::parse(full)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))
    }
}

fn bucket_error(e: object_store::Error) -> io::Error {
    io::Error::other(e)
}

impl FileStorage for Bucket {
    fn put<'a>(&'a self, key: &'a str, bytes: &'a [u8]) -> StorageFuture<'a, ()> {
        Box::pin(async move {
            let path = self.path(key)?;
            // Content-addressed: what is there is these bytes already.
            match self.store.head(&path).await {
                Ok(_) => return Ok(()),
                Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(bucket_error(e)),
            }
            self.store
                .put(&path, object_store::PutPayload::from(bytes.to_vec()))
                .await
                .map(|_| ())
                .map_err(bucket_error)
        })
    }

    fn get<'a>(&'a self, key: &'a str) -> StorageFuture<'a, Option<Vec<u8>>> {
        Box::pin(async move {
            let path = self.path(key)?;
            match self.store.get(&path).await {
                Ok(found) => Ok(Some(found.bytes().await.map_err(bucket_error)?.to_vec())),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(e) => Err(bucket_error(e)),
            }
        })
    }

    fn delete<'a>(&'a self, key: &'a str) -> StorageFuture<'a, ()> {
        Box::pin(async move {
            let path = self.path(key)?;
            match self.store.delete(&path).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                Err(e) => Err(bucket_error(e)),
            }
        })
    }
}

fn bad_key() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, "not a file key")
}

impl FileStorage for LocalDisk {
    fn put<'a>(&'a self, key: &'a str, bytes: &'a [u8]) -> StorageFuture<'a, ()> {
        Box::pin(async move {
            let path = self.path(key).ok_or_else(bad_key)?;
            if tokio::fs::try_exists(&path).await? {
                return Ok(());
            }
            let dir = path.parent().ok_or_else(bad_key)?;
            tokio::fs::create_dir_all(dir).await?;
            let temp = dir.join(format!(
                ".{key}.{}",
                hex::encode(crate::secrets::random_bytes::<8>())
            ));
            let written = async {
                let mut f = tokio::fs::File::create(&temp).await?;
                tokio::io::AsyncWriteExt::write_all(&mut f, bytes).await?;
                f.sync_all().await?;
                tokio::fs::rename(&temp, &path).await
            }
            .await;
            if written.is_err() {
                let _ = tokio::fs::remove_file(&temp).await;
            }
            written
        })
    }

    fn get<'a>(&'a self, key: &'a str) -> StorageFuture<'a, Option<Vec<u8>>> {
        Box::pin(async move {
            let path = self.path(key).ok_or_else(bad_key)?;
            match tokio::fs::read(&path).await {
                Ok(bytes) => Ok(Some(bytes)),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            }
        })
    }

    fn delete<'a>(&'a self, key: &'a str) -> StorageFuture<'a, ()> {
        Box::pin(async move {
            let path = self.path(key).ok_or_else(bad_key)?;
            match tokio::fs::remove_file(&path).await {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            }
        })
    }
}

/// An image's size and its thumbnail (a JPEG), when Sangdam could read it.
#[derive(Debug, Default)]
struct ImageFacts {
    width: Option<i64>,
    height: Option<i64>,
    thumbnail: Option<Vec<u8>>,
}

/// Reads an image Sangdam accepted: its size, and a thumbnail of at most
/// [`file::THUMBNAIL_SIDE`] pixels a side. An image over [`file::MAX_IMAGE_PIXELS`] keeps its
/// size but gets no thumbnail (it is not decoded); one that cannot be read is refused.
fn read_image(bytes: &[u8]) -> Result<ImageFacts, FileRefusal> {
    use image::ImageReader;
    use std::io::Cursor;
    let broken = |e: image::ImageError| FileRefusal::BrokenImage(e.to_string());
    let reader = || {
        ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| FileRefusal::BrokenImage(e.to_string()))
    };
    let (w, h) = reader()?.into_dimensions().map_err(broken)?;
    let mut facts = ImageFacts {
        width: Some(i64::from(w)),
        height: Some(i64::from(h)),
        thumbnail: None,
    };
    if u64::from(w) * u64::from(h) > file::MAX_IMAGE_PIXELS {
        return Ok(facts);
    }
    let mut reader = reader()?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let decoded = reader.decode().map_err(broken)?;
    let (tw, th) = file::thumbnail_size(w, h);
    let small = decoded.thumbnail(tw, th).to_rgba8();
    // JPEG has no transparency: what was transparent shows on white, as in a chat bubble.
    let mut flat = image::RgbImage::new(small.width(), small.height());
    for (x, y, p) in small.enumerate_pixels() {
        let [r, g, b, a] = p.0;
        let over = |c: u8| {
            let (c, a) = (u16::from(c), u16::from(a));
            u8::try_from((c * a + 255 * (255 - a)) / 255).unwrap_or(255)
        };
        flat.put_pixel(x, y, image::Rgb([over(r), over(g), over(b)]));
    }
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&flat)
        .map_err(broken)?;
    facts.thumbnail = Some(out);
    Ok(facts)
}

/// The hex SHA-256 of some bytes: their key in the file storage.
pub fn content_key(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A file message as a messenger shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessengerFile {
    /// An image the platform fetches from `url`; `alt` is its name (at most 50 characters).
    Image { url: String, alt: String },
    /// A text naming the file (with its link, when there is one).
    Text(String),
}

/// A file fetched for someone who may see it: its record and its bytes (or its thumbnail's).
#[derive(Debug)]
pub struct Fetched {
    pub file: FileRecord,
    pub bytes: Vec<u8>,
    /// The thumbnail was asked for (a JPEG), not the file.
    pub thumbnail: bool,
}

pub(crate) fn storage_error(e: io::Error) -> AppError {
    AppError::Internal(format!("file storage: {e}"))
}

impl Services {
    /// Files are stored in `storage`.
    pub fn with_file_storage(mut self, storage: Arc<dyn FileStorage>) -> Self {
        self.files = Some(storage);
        self
    }

    /// Links that leave Sangdam start with `base` (`https://chat.example.com`).
    pub fn with_public_url(mut self, base: impl Into<Arc<str>>) -> Self {
        self.public_url = Some(base.into());
        self
    }

    /// How a file message reaches a messenger customer: an image by a link the platform
    /// fetches it from, another file as its name and a link; only its name (saying where to
    /// see it) when the server's public address is not configured.
    pub async fn messenger_file(&self, f: &store::FileRef) -> Result<MessengerFile, AppError> {
        let lang = crate::CUSTOMER_LANG;
        let Some(base) = self.public_url.as_deref() else {
            return Ok(MessengerFile::Text(i18n::t_args(
                lang,
                "channel-file-unlinked",
                &[("name", f.name.as_str().into())],
            )));
        };
        let record = self.store.file(f.id).await?;
        let url = format!("{base}{}", self.file_link(&record).await?);
        Ok(match f.kind {
            FileKind::Image => MessengerFile::Image {
                url,
                alt: f.name.chars().take(50).collect(),
            },
            _ => MessengerFile::Text(i18n::t_args(
                lang,
                "channel-file",
                &[("name", f.name.as_str().into()), ("url", url.into())],
            )),
        })
    }

    pub(crate) fn file_storage(&self) -> Result<&dyn FileStorage, AppError> {
        self.files
            .as_deref()
            .ok_or_else(|| AppError::Internal("this server has no file storage configured".into()))
    }

    /// What site `site` accepts.
    pub async fn file_rules(&self, site: SiteId) -> Result<FileRules, AppError> {
        Ok(self.store.file_rules(site).await?)
    }

    /// The admin sets what the site accepts.
    pub async fn set_file_rules(
        &self,
        site: SiteId,
        max_bytes: u64,
        kinds: &[FileKind],
    ) -> Result<FileRules, AppError> {
        let rules = FileRules::new(max_bytes, kinds)?;
        self.store.save_file_rules(site, &rules).await?;
        Ok(rules)
    }

    /// Checks a file against its site's rules, stores its bytes (and an image's thumbnail)
    /// and records it in `room`. Not yet in any message.
    pub(crate) async fn keep_file(
        &self,
        site: SiteId,
        room: RoomId,
        name: &str,
        bytes: Vec<u8>,
    ) -> Result<FileRecord, AppError> {
        let rules = self.store.file_rules(site).await?;
        let refused = |r: FileRefusal| AppError::Rule(CoreError::FileRefused(r));
        let Accepted {
            sniffed,
            name,
            size,
        } = file::check_upload(&rules, name, &bytes).map_err(refused)?;
        // Hashing and decoding are work for a blocking thread, not the server's.
        let kind = sniffed.kind;
        let (bytes, key, facts) = tokio::task::spawn_blocking(move || {
            let key = content_key(&bytes);
            let facts = match kind {
                FileKind::Image => read_image(&bytes),
                _ => Ok(ImageFacts::default()),
            };
            (bytes, key, facts)
        })
        .await
        .map_err(|e| AppError::Internal(format!("reading the file: {e}")))?;
        let facts = facts.map_err(refused)?;
        let storage = self.file_storage()?;
        storage.put(&key, &bytes).await.map_err(storage_error)?;
        let thumb_key = match &facts.thumbnail {
            Some(t) => {
                let k = content_key(t);
                storage.put(&k, t).await.map_err(storage_error)?;
                Some(k)
            }
            None => None,
        };
        let record = self
            .store
            .insert_file(&NewFile {
                site,
                room,
                sha256: &key,
                kind,
                media_type: sniffed.media_type,
                name: &name,
                size: i64::try_from(size).unwrap_or(i64::MAX),
                width: facts.width,
                height: facts.height,
                thumb_sha256: thumb_key.as_deref(),
                now: self.now(),
            })
            .await?;
        metrics::counter!("sangdam_files_stored_total", "kind" => kind.as_str()).increment(1);
        Ok(record)
    }

    /// A file kept for a message that was not stored with it (a retry of a message stored
    /// before, a consultation that closed meanwhile): its record goes, and its bytes when no
    /// other record names them.
    pub(crate) async fn drop_unsent(&self, id: FileId) {
        let unused = match self.store.remove_unsent_file(id).await {
            Ok(unused) => unused,
            Err(e) => {
                tracing::warn!(error = %e, file = %id, "an unsent file's record was not removed");
                return;
            }
        };
        if let Ok(storage) = self.file_storage() {
            for key in unused {
                if let Err(e) = storage.delete(&key).await {
                    tracing::warn!(error = %e, "an unsent file's bytes were not removed");
                }
            }
        }
    }

    /// A customer sends a file from the chat window: like [`Services::customer_send`], with
    /// the file's name as the message's body. A retry with the same `client_msg_id` answers
    /// the message stored before (`false`) and keeps nothing new.
    pub async fn customer_send_file(
        &self,
        v: &mut VisitorRecord,
        name: &str,
        bytes: Vec<u8>,
        client_msg_id: Option<&str>,
    ) -> Result<(MessageRecord, bool), AppError> {
        if let Some(id) = client_msg_id
            && let Some(stored) = self.store.message_by_client_id(v.room_id, id).await?
        {
            return Ok((stored, false));
        }
        let kept = self.keep_file(v.site_id, v.room_id, name, bytes).await?;
        let sent = self
            .customer_write(v, &kept.name, client_msg_id, Some(kept.to_ref()), None)
            .await;
        match sent {
            Ok((message, true)) => Ok((message, true)),
            other => {
                self.drop_unsent(kept.id).await;
                other
            }
        }
    }

    /// An agent sends a file in a consultation they may reply in: like
    /// [`Services::reply`], with the file's name as the message's body. A Naver user gets an
    /// image as an image and another file as its name and a link (through the outbox, when the
    /// send API and the server's public address are configured); a Kakao user gets them with
    /// their next message.
    pub async fn reply_file(
        &self,
        agent: &AgentRecord,
        id: ConsultationId,
        name: &str,
        bytes: Vec<u8>,
    ) -> Result<Reply, AppError> {
        let c = self.reply_target(agent, id).await?;
        let kept = self.keep_file(c.site_id, c.room_id, name, bytes).await?;
        let sent = self
            .write_file_to_customer(&c, agent.id, &kept.name, &kept.to_ref())
            .await;
        match sent {
            Ok(message) => Ok(Reply {
                delivery: self.delivery_of(c.channel),
                message,
            }),
            Err(e) => {
                self.drop_unsent(kept.id).await;
                Err(e)
            }
        }
    }

    /// A file an agent may see: one of a room they may read.
    pub async fn file_for_agent(
        &self,
        agent: &AgentRecord,
        id: FileId,
        thumbnail: bool,
    ) -> Result<Fetched, AppError> {
        let f = match self.store.file(id).await {
            Ok(f) if f.site_id == agent.site_id => f,
            Ok(_) | Err(StoreError::NotFound(_)) => return Err(AppError::NotFound("file")),
            Err(e) => return Err(e.into()),
        };
        self.room_for(agent, f.room_id, Action::Read)
            .await
            .map_err(hide_refusal)?;
        // A file no message carries (its sending failed) is nobody's to see.
        if self.store.message_of_file(f.id).await?.is_none() {
            return Err(AppError::NotFound("file"));
        }
        self.fetch(f, thumbnail).await
    }

    /// A file a chat window may see: carried by a message the window sees (R2.8).
    pub async fn file_for_visitor(
        &self,
        v: &VisitorRecord,
        id: FileId,
        thumbnail: bool,
    ) -> Result<Fetched, AppError> {
        let f = match self.store.file(id).await {
            Ok(f) if f.room_id == v.room_id => f,
            Ok(_) | Err(StoreError::NotFound(_)) => return Err(AppError::NotFound("file")),
            Err(e) => return Err(e.into()),
        };
        match self.store.message_of_file(f.id).await? {
            Some(m) if Self::visitor_sees(v, &m) => self.fetch(f, thumbnail).await,
            _ => Err(AppError::NotFound("file")),
        }
    }

    /// A file through a signed link (see [`Services::file_link`]).
    pub async fn file_by_link(
        &self,
        id: FileId,
        expires: i64,
        signature: &str,
    ) -> Result<Fetched, AppError> {
        let f = match self.store.file(id).await {
            Ok(f) => f,
            Err(StoreError::NotFound(_)) => return Err(AppError::NotFound("file")),
            Err(e) => return Err(e.into()),
        };
        let site = self.store.site(f.site_id).await?;
        if !file::link_valid(site.secret.as_bytes(), id, expires, signature, self.now()) {
            return Err(AppError::NotFound("file"));
        }
        self.fetch(f, false).await
    }

    /// The path of a link to `f` that works for [`file::LINK_LIFETIME_MS`] without logging
    /// in, signed with its site's secret: what a messenger platform fetches an image from.
    pub async fn file_link(&self, f: &FileRecord) -> Result<String, AppError> {
        let site = self.store.site(f.site_id).await?;
        let expires = self.now() + file::LINK_LIFETIME_MS;
        let signature = file::link_signature(site.secret.as_bytes(), f.id, expires);
        Ok(format!("/files/{}/{expires}/{signature}", f.id))
    }

    async fn fetch(&self, file: FileRecord, thumbnail: bool) -> Result<Fetched, AppError> {
        let key = match (&file.thumb_sha256, thumbnail) {
            (Some(t), true) => t.clone(),
            (None, true) => return Err(AppError::NotFound("thumbnail")),
            (_, false) => file.sha256.clone(),
        };
        let bytes = self
            .file_storage()?
            .get(&key)
            .await
            .map_err(storage_error)?
            .ok_or_else(|| {
                AppError::Internal(format!("file {} is missing from the storage", file.id))
            })?;
        Ok(Fetched {
            file,
            bytes,
            thumbnail,
        })
    }

    /// How a message reaches a customer of `channel`.
    pub(crate) fn delivery_of(&self, channel: inflow::Channel) -> crate::consultations::Delivery {
        use crate::consultations::Delivery;
        use inflow::Channel;
        match channel {
            Channel::WebchatV1 | Channel::WebchatV2 => Delivery::Realtime,
            Channel::Kakao => Delivery::Queued,
            Channel::Naver if self.naver().is_some() => Delivery::Sending,
            Channel::Naver => Delivery::NotConfigured,
        }
    }
}

/// Whoever may not read the room learns nothing of the file: not found, as for another
/// site's.
fn hide_refusal(e: AppError) -> AppError {
    match e {
        AppError::Forbidden(_) | AppError::NotFound(_) => AppError::NotFound("file"),
        other => other,
    }
}

impl Services {
    /// The admin deletes a finished consultation's data: its messages, the files they carried
    /// (their contents too, unless another file holds the same bytes), its inflows. The
    /// consultation stays, marked deleted, for the reports' counts.
    pub async fn delete_consultation_data(
        &self,
        admin: &AgentRecord,
        id: ConsultationId,
    ) -> Result<store::Deleted, AppError> {
        crate::access::admin_only(admin, "deletes consultations' data")?;
        let c = self.consultation_for(admin, id, Action::Read).await?;
        let deleted = self
            .store
            .delete_consultation_data(c.id, self.now())
            .await?;
        if let Ok(storage) = self.file_storage() {
            for key in &deleted.unused_blobs {
                if let Err(e) = storage.delete(key).await {
                    tracing::warn!(error = %e, consultation = %id,
                        "a deleted consultation's file content was not removed");
                }
            }
        }
        self.publish([crate::events::Event::consultation(&deleted.consultation)]);
        self.audit(
            admin,
            sangdam_core::AuditAction::ConsultationDeleted,
            format!("consultation:{id}"),
            serde_json::json!({"messages": deleted.messages, "files": deleted.files}),
        )
        .await;
        Ok(deleted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32, alpha: u8) -> Vec<u8> {
        let img = image::RgbaImage::from_pixel(w, h, image::Rgba([10, 20, 30, alpha]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn an_image_gets_its_size_and_a_small_jpeg() {
        let facts = read_image(&png(800, 400, 255)).unwrap();
        assert_eq!((facts.width, facts.height), (Some(800), Some(400)));
        let thumb = facts.thumbnail.unwrap();
        let t = image::load_from_memory(&thumb).unwrap();
        assert_eq!((t.width(), t.height()), (320, 160));
        assert_eq!(
            file::sniff(&thumb, "").map(|s| s.media_type),
            Some("image/jpeg")
        );
    }

    #[test]
    fn transparency_shows_on_white() {
        let facts = read_image(&png(4, 4, 0)).unwrap();
        let t = image::load_from_memory(&facts.thumbnail.unwrap())
            .unwrap()
            .to_rgb8();
        let p = t.get_pixel(1, 1).0;
        assert!(p.iter().all(|c| *c > 240), "{p:?}");
    }

    #[test]
    fn a_broken_image_is_refused() {
        let mut bytes = png(10, 10, 255);
        bytes.truncate(40);
        assert!(matches!(
            read_image(&bytes),
            Err(FileRefusal::BrokenImage(_))
        ));
    }

    #[tokio::test]
    async fn local_disk_keeps_one_copy_per_key_and_no_other_paths() {
        let dir = std::env::temp_dir().join(format!(
            "sangdam-files-test-{}",
            hex::encode(crate::secrets::random_bytes::<6>())
        ));
        let disk = LocalDisk::new(&dir);
        let key = content_key(b"hello");
        disk.put(&key, b"hello").await.unwrap();
        disk.put(&key, b"hello").await.unwrap();
        assert_eq!(
            disk.get(&key).await.unwrap().as_deref(),
            Some(&b"hello"[..])
        );
        assert!(dir.join(&key[..2]).join(&key[2..4]).join(&key).exists());
        for bad in ["../../etc/passwd", "ABC", &key.to_uppercase(), ""] {
            assert!(disk.get(bad).await.is_err(), "{bad}");
            assert!(disk.put(bad, b"x").await.is_err(), "{bad}");
        }
        disk.delete(&key).await.unwrap();
        disk.delete(&key).await.unwrap();
        assert_eq!(disk.get(&key).await.unwrap(), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
