//! Images and files in consultations (R3.7): what a site accepts, decided on the bytes.
//!
//! A file's type is read from its first bytes (its magic number), never from its name or the
//! type its sender claimed: a page named `photo.png` is still a page, and is refused. Only the
//! types below are accepted at all; each belongs to a [`FileKind`] a site switches on or off,
//! under a size limit of its own ([`FileRules`]). Markup (HTML, SVG, XML) is never accepted,
//! and what is accepted is served so that it cannot run as a page of the site
//! ([`served_as`]).

use serde::{Deserialize, Serialize};

use crate::error::CoreError;

/// The size limit a site has until its admin sets one: 10 MB.
pub const DEFAULT_MAX_BYTES: u64 = 10 * 1024 * 1024;
/// The largest limit a site may set: 50 MB.
pub const MAX_BYTES_CEILING: u64 = 50 * 1024 * 1024;
/// Longest file name kept, in characters (the extension included).
pub const MAX_NAME_CHARS: usize = 100;

/// The groups of file types a site switches on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// JPEG, PNG, GIF and WebP: shown in the conversation, with a thumbnail.
    Image,
    /// PDF documents.
    Pdf,
    /// Word processor, spreadsheet and presentation files: Microsoft Office (old and new),
    /// OpenDocument and Hangul (`.hwp`).
    Office,
    /// ZIP archives.
    Archive,
    /// Plain text and CSV in UTF-8 (no markup).
    Text,
}

impl FileKind {
    pub const ALL: [FileKind; 5] = [
        FileKind::Image,
        FileKind::Pdf,
        FileKind::Office,
        FileKind::Archive,
        FileKind::Text,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Image => "image",
            FileKind::Pdf => "pdf",
            FileKind::Office => "office",
            FileKind::Archive => "archive",
            FileKind::Text => "text",
        }
    }
}

/// What the bytes of a file are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sniffed {
    pub kind: FileKind,
    /// The media type it is stored and served with.
    pub media_type: &'static str,
    /// The extensions a name of this type may end with; the first is the one added when the
    /// given name ends with another.
    pub extensions: &'static [&'static str],
}

/// The types Sangdam accepts, by the media type `infer` reads off the bytes.
const KNOWN: &[(&str, FileKind, &[&str])] = &[
    ("image/jpeg", FileKind::Image, &["jpg", "jpeg", "jpe"]),
    ("image/png", FileKind::Image, &["png"]),
    ("image/gif", FileKind::Image, &["gif"]),
    ("image/webp", FileKind::Image, &["webp"]),
    ("application/pdf", FileKind::Pdf, &["pdf"]),
    ("application/msword", FileKind::Office, &["doc"]),
    ("application/vnd.ms-excel", FileKind::Office, &["xls"]),
    ("application/vnd.ms-powerpoint", FileKind::Office, &["ppt"]),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        FileKind::Office,
        &["docx"],
    ),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        FileKind::Office,
        &["xlsx"],
    ),
    (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        FileKind::Office,
        &["pptx"],
    ),
    (
        "application/vnd.oasis.opendocument.text",
        FileKind::Office,
        &["odt"],
    ),
    (
        "application/vnd.oasis.opendocument.spreadsheet",
        FileKind::Office,
        &["ods"],
    ),
    (
        "application/vnd.oasis.opendocument.presentation",
        FileKind::Office,
        &["odp"],
    ),
    ("application/zip", FileKind::Archive, &["zip", "hwpx"]),
];

const HWP: Sniffed = Sniffed {
    kind: FileKind::Office,
    media_type: "application/x-hwp",
    extensions: &["hwp"],
};
const TEXT: Sniffed = Sniffed {
    kind: FileKind::Text,
    media_type: "text/plain",
    extensions: &["txt", "text", "log"],
};
const CSV: Sniffed = Sniffed {
    kind: FileKind::Text,
    media_type: "text/csv",
    extensions: &["csv"],
};

/// The signature of an OLE compound file (old Office formats, Hangul `.hwp`).
const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// What `bytes` are, if Sangdam accepts their type at all. `name` only tells apart what the
/// bytes cannot: a compound file that is neither Word, Excel nor PowerPoint is a Hangul
/// document only when named `.hwp`, and text is CSV when named `.csv`.
pub fn sniff(bytes: &[u8], name: &str) -> Option<Sniffed> {
    let ext = extension(name);
    if let Some(t) = infer::get(bytes) {
        let mime = t.mime_type();
        if let Some((media_type, kind, extensions)) = KNOWN.iter().find(|(m, _, _)| *m == mime) {
            return Some(Sniffed {
                kind: *kind,
                media_type,
                extensions,
            });
        }
        // Anything else `infer` recognises (markup, scripts, executables, other media) is not
        // accepted, whatever it is named.
        if !(bytes.starts_with(&OLE) && ext.as_deref() == Some("hwp")) {
            return None;
        }
    }
    if bytes.starts_with(&OLE) {
        return (ext.as_deref() == Some("hwp")).then_some(HWP);
    }
    if is_plain_text(bytes) {
        return Some(if ext.as_deref() == Some("csv") {
            CSV
        } else {
            TEXT
        });
    }
    None
}

/// UTF-8 text with no control characters but tabs, line ends and form feeds, that does not
/// open like markup (a page, an SVG, XML), after an optional byte-order mark and blank space.
fn is_plain_text(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    if body.trim_start().starts_with('<') {
        return false;
    }
    body.chars()
        .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
}

/// The lowercase extension of a file name, if it has one.
fn extension(name: &str) -> Option<String> {
    let base = base_name(name);
    let (stem, ext) = base.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_lowercase())
}

/// The last part of a path, whichever separator it used.
fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// Why a file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileRefusal {
    #[error("the file is empty")]
    Empty,
    #[error("the file has {size} bytes; this site accepts files of at most {max} bytes")]
    TooLarge { size: u64, max: u64 },
    /// The bytes are of no type Sangdam accepts (markup, programs, unknown formats).
    #[error(
        "the file's content is not of a type Sangdam accepts (images, PDF, office documents, ZIP, plain text), whatever its name says"
    )]
    UnknownType,
    #[error("this site does not accept {} files", .kind.as_str())]
    NotAllowed { kind: FileKind },
    /// An image whose bytes start like one but cannot be read as one.
    #[error("the image cannot be read: {0}")]
    BrokenImage(String),
}

impl FileRefusal {
    /// The stable snake_case code of the refusal.
    pub fn code(&self) -> &'static str {
        match self {
            FileRefusal::Empty => "file_empty",
            FileRefusal::TooLarge { .. } => "file_too_large",
            FileRefusal::UnknownType => "file_type_unknown",
            FileRefusal::NotAllowed { .. } => "file_type_not_allowed",
            FileRefusal::BrokenImage(_) => "image_unreadable",
        }
    }
}

/// What a site accepts: a size limit and the kinds switched on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileRules {
    /// Largest file accepted, in bytes (1 to 52,428,800).
    pub max_bytes: u64,
    /// The kinds accepted; none turns files off for the site.
    pub kinds: Vec<FileKind>,
}

impl Default for FileRules {
    fn default() -> Self {
        FileRules {
            max_bytes: DEFAULT_MAX_BYTES,
            kinds: FileKind::ALL.to_vec(),
        }
    }
}

impl FileRules {
    /// Rules an admin gave, checked: a limit within 1 byte and [`MAX_BYTES_CEILING`]; the
    /// kinds kept once each, in a fixed order.
    pub fn new(max_bytes: u64, kinds: &[FileKind]) -> Result<Self, CoreError> {
        if max_bytes == 0 || max_bytes > MAX_BYTES_CEILING {
            return Err(CoreError::InvalidField {
                field: "max_bytes",
                reason: format!("the limit is 1 to {MAX_BYTES_CEILING} bytes"),
            });
        }
        let mut kinds = kinds.to_vec();
        kinds.sort();
        kinds.dedup();
        Ok(FileRules { max_bytes, kinds })
    }

    pub fn accepts(&self, kind: FileKind) -> bool {
        self.kinds.contains(&kind)
    }

    /// Whether any file at all is accepted.
    pub fn any(&self) -> bool {
        !self.kinds.is_empty()
    }
}

/// A file a site accepts, with the name it is kept under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub sniffed: Sniffed,
    pub name: String,
    pub size: u64,
}

/// Checks a file against a site's rules: not empty, within the limit, of a type Sangdam
/// accepts and the site switched on. The name is cleaned ([`clean_name`]).
pub fn check_upload(rules: &FileRules, name: &str, bytes: &[u8]) -> Result<Accepted, FileRefusal> {
    let size = bytes.len() as u64;
    if size == 0 {
        return Err(FileRefusal::Empty);
    }
    if size > rules.max_bytes {
        return Err(FileRefusal::TooLarge {
            size,
            max: rules.max_bytes,
        });
    }
    let sniffed = sniff(bytes, name).ok_or(FileRefusal::UnknownType)?;
    if !rules.accepts(sniffed.kind) {
        return Err(FileRefusal::NotAllowed { kind: sniffed.kind });
    }
    Ok(Accepted {
        name: clean_name(name, &sniffed),
        sniffed,
        size,
    })
}

/// The name a file is kept and offered under: the last part of the given path, without
/// control or direction-changing characters, at most [`MAX_NAME_CHARS`] characters, and
/// ending with an extension of its real type (added when the given one is another, so that
/// `invoice.html` holding a PDF downloads as `invoice.html.pdf`).
pub fn clean_name(given: &str, sniffed: &Sniffed) -> String {
    let cleaned: String = base_name(given)
        .chars()
        .filter(|c| !c.is_control() && !is_direction_mark(*c))
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    let fitting = extension(cleaned).is_some_and(|e| sniffed.extensions.contains(&e.as_str()));
    let stem = if cleaned.is_empty() {
        match sniffed.kind {
            FileKind::Image => "image",
            _ => "file",
        }
    } else {
        cleaned
    };
    let suffix = if fitting && !cleaned.is_empty() {
        String::new()
    } else {
        format!(".{}", sniffed.extensions.first().copied().unwrap_or("bin"))
    };
    let room = MAX_NAME_CHARS.saturating_sub(suffix.chars().count());
    let count = stem.chars().count();
    let stem: String = if count > room {
        // Keep the end of the name (its extension) when it is the one kept.
        if fitting {
            let ext_len = extension(stem).map_or(0, |e| e.chars().count() + 1);
            let head: String = stem.chars().take(room.saturating_sub(ext_len)).collect();
            let tail: String = stem.chars().skip(count - ext_len).collect();
            format!("{head}{tail}")
        } else {
            stem.chars().take(room).collect()
        }
    } else {
        stem.to_owned()
    };
    format!("{stem}{suffix}")
}

/// Characters that turn the direction of text: they make `exe.png` read as `gnp.exe`.
fn is_direction_mark(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// How a stored file is served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    /// The `Content-Type`: an image's own, or a type no browser runs as a page.
    pub content_type: &'static str,
    /// Shown in the page (images) or always downloaded (everything else).
    pub inline: bool,
}

/// How a file of `media_type` is served. Images Sangdam accepted are shown inline with their
/// own type; everything else is a download, text as `text/plain`, and any type not on
/// Sangdam's list as `application/octet-stream`. The server adds `nosniff` and a sandboxing
/// content security policy besides.
pub fn served_as(media_type: &str) -> Served {
    match KNOWN.iter().find(|(m, _, _)| *m == media_type) {
        Some((m, FileKind::Image, _)) => Served {
            content_type: m,
            inline: true,
        },
        Some((m, _, _)) => Served {
            content_type: m,
            inline: false,
        },
        None if media_type == TEXT.media_type => Served {
            content_type: "text/plain; charset=utf-8",
            inline: false,
        },
        None if media_type == CSV.media_type => Served {
            content_type: "text/csv; charset=utf-8",
            inline: false,
        },
        None if media_type == HWP.media_type => Served {
            content_type: HWP.media_type,
            inline: false,
        },
        None => Served {
            content_type: "application/octet-stream",
            inline: false,
        },
    }
}

/// The `Content-Disposition` of a file: `inline` or `attachment`, with its name both as an
/// ASCII fallback (other characters as `_`) and in UTF-8 (RFC 6266 / RFC 8187), so a Korean
/// name arrives whole.
pub fn content_disposition(name: &str, inline: bool) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::with_capacity(name.len() * 3);
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    let how = if inline { "inline" } else { "attachment" };
    format!("{how}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// Whether an image of `width` × `height` is made into a thumbnail at all: images over 40
/// megapixels are kept and offered as files, but not decoded (a decompression bomb costs
/// memory, not bytes).
pub const MAX_IMAGE_PIXELS: u64 = 40_000_000;
/// The longest side of a thumbnail, in pixels.
pub const THUMBNAIL_SIDE: u32 = 320;

/// The size of a thumbnail of a `width` × `height` image: at most [`THUMBNAIL_SIDE`] on its
/// longer side, the proportions kept, never larger than the image, never zero.
pub fn thumbnail_size(width: u32, height: u32) -> (u32, u32) {
    let (w, h) = (u64::from(width.max(1)), u64::from(height.max(1)));
    let side = u64::from(THUMBNAIL_SIDE);
    if w <= side && h <= side {
        return (width.max(1), height.max(1));
    }
    let (tw, th) = if w >= h {
        (side, (h * side).div_ceil(w))
    } else {
        ((w * side).div_ceil(h), side)
    };
    (
        u32::try_from(tw.max(1)).unwrap_or(THUMBNAIL_SIDE),
        u32::try_from(th.max(1)).unwrap_or(THUMBNAIL_SIDE),
    )
}

/// How long a link handed to a messenger platform works: Naver and Kakao fetch an image when
/// it is sent, and a customer may open a file's link later that day.
pub const LINK_LIFETIME_MS: i64 = 24 * 60 * 60 * 1000;

/// The signature of a link to file `id` that works until `expires` (Unix ms): HMAC-SHA256
/// with the site's secret, as 64 hex digits. Messenger platforms and their users fetch files
/// through such links; everyone else must show who they are.
pub fn link_signature(secret: &[u8], id: crate::FileId, expires: i64) -> String {
    use hmac::Mac;
    // HMAC takes keys of any length: this never fails, and an empty signature matches none.
    let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(format!("sangdam-file:{id}:{expires}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Whether a link's signature is the one of file `id` until `expires`, and `now` is before
/// then. Compared in constant time.
pub fn link_valid(
    secret: &[u8],
    id: crate::FileId,
    expires: i64,
    signature: &str,
    now: i64,
) -> bool {
    use subtle::ConstantTimeEq;
    now < expires
        && !signature.is_empty()
        && bool::from(
            link_signature(secret, id, expires)
                .as_bytes()
                .ct_eq(signature.as_bytes()),
        )
}

#[cfg(test)]
mod tests;
