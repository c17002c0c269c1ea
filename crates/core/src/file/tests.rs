use super::*;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";
const JPEG: &[u8] = b"\xff\xd8\xff\xe0\0\x10JFIF\0\x01";
const GIF: &[u8] = b"GIF89a\x01\0\x01\0";
const WEBP: &[u8] = b"RIFF\x24\0\0\0WEBPVP8 ";
const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
const ZIP: &[u8] = b"PK\x03\x04\x14\0\0\0\0\0";
const ELF: &[u8] = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0";

fn rules() -> FileRules {
    FileRules::default()
}

fn kind_of(bytes: &[u8], name: &str) -> Option<FileKind> {
    sniff(bytes, name).map(|s| s.kind)
}

#[test]
fn images_are_read_off_their_bytes() {
    for (bytes, media) in [
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (GIF, "image/gif"),
        (WEBP, "image/webp"),
    ] {
        let s = sniff(bytes, "whatever.bin").expect("an image");
        assert_eq!((s.kind, s.media_type), (FileKind::Image, media));
    }
}

#[test]
fn documents_archives_and_text_are_accepted() {
    assert_eq!(kind_of(PDF, "a.pdf"), Some(FileKind::Pdf));
    assert_eq!(kind_of(ZIP, "a.zip"), Some(FileKind::Archive));
    assert_eq!(
        kind_of("주문 번호 123\n배송지 변경".as_bytes(), "memo.txt"),
        Some(FileKind::Text)
    );
    let csv = sniff(b"name,phone\nkim,010\n", "list.csv").expect("text");
    assert_eq!(csv.media_type, "text/csv");
    let plain = sniff(b"name,phone\n", "list").expect("text");
    assert_eq!(plain.media_type, "text/plain");
}

#[test]
fn a_compound_file_is_hangul_only_when_named_so() {
    let mut ole = OLE.to_vec();
    ole.extend_from_slice(&[0u8; 504]);
    assert_eq!(
        sniff(&ole, "계약서.hwp").map(|s| s.media_type),
        Some("application/x-hwp")
    );
    assert_eq!(sniff(&ole, "unknown.bin"), None);
}

#[test]
fn markup_and_programs_are_refused_whatever_their_name() {
    let html = b"<!DOCTYPE html><html><script>alert(1)</script></html>";
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
    let xml = b"<?xml version=\"1.0\"?><svg/>";
    for (bytes, name) in [
        (&html[..], "photo.png"),
        (&svg[..], "logo.svg"),
        (&svg[..], "logo.png"),
        (&xml[..], "data.txt"),
        (&b"\xef\xbb\xbf  <html>"[..], "a.txt"),
        (ELF, "report.pdf"),
        (&b"\0\x01\x02binary"[..], "a.txt"),
        (&b"\xff\xfe\xfd"[..], "a.txt"),
    ] {
        assert_eq!(sniff(bytes, name), None, "{name}: {bytes:?}");
        assert_eq!(
            check_upload(&rules(), name, bytes),
            Err(FileRefusal::UnknownType)
        );
    }
}

#[test]
fn the_site_limit_and_kinds_are_enforced() {
    let small = FileRules::new(10, &[FileKind::Image]).expect("rules");
    assert_eq!(check_upload(&small, "a.png", b""), Err(FileRefusal::Empty));
    assert_eq!(
        check_upload(&small, "a.png", PNG),
        Err(FileRefusal::TooLarge {
            size: PNG.len() as u64,
            max: 10
        })
    );
    let images = FileRules::new(1000, &[FileKind::Image]).expect("rules");
    assert_eq!(
        check_upload(&images, "a.png", PNG).map(|a| a.size),
        Ok(PNG.len() as u64)
    );
    assert_eq!(
        check_upload(&images, "a.pdf", PDF),
        Err(FileRefusal::NotAllowed {
            kind: FileKind::Pdf
        })
    );
    let none = FileRules::new(1000, &[]).expect("rules");
    assert!(!none.any());
    assert!(check_upload(&none, "a.png", PNG).is_err());
}

#[test]
fn rules_are_checked_and_kept_in_order() {
    assert!(FileRules::new(0, &[]).is_err());
    assert!(FileRules::new(MAX_BYTES_CEILING + 1, &[]).is_err());
    let r = FileRules::new(
        MAX_BYTES_CEILING,
        &[FileKind::Text, FileKind::Image, FileKind::Text],
    )
    .expect("rules");
    assert_eq!(r.kinds, vec![FileKind::Image, FileKind::Text]);
    assert_eq!(FileRules::default().max_bytes, 10 * 1024 * 1024);
    assert_eq!(FileRules::default().kinds.len(), FileKind::ALL.len());
}

#[test]
fn names_keep_their_words_and_get_their_real_extension() {
    let png = sniff(PNG, "").expect("png");
    let jpeg = sniff(JPEG, "").expect("jpeg");
    let pdf = sniff(PDF, "").expect("pdf");
    assert_eq!(clean_name("영수증.png", &png), "영수증.png");
    assert_eq!(clean_name("PHOTO.JPEG", &jpeg), "PHOTO.JPEG");
    assert_eq!(clean_name("photo.png", &jpeg), "photo.png.jpg");
    assert_eq!(clean_name("invoice.html", &pdf), "invoice.html.pdf");
    assert_eq!(clean_name("C:\\Users\\kim\\계약.pdf", &pdf), "계약.pdf");
    assert_eq!(clean_name("../../etc/passwd", &pdf), "passwd.pdf");
    assert_eq!(clean_name("", &png), "image.png");
    assert_eq!(clean_name("  ...  ", &pdf), "file.pdf");
    assert_eq!(clean_name(".hidden.pdf", &pdf), "hidden.pdf");
    assert_eq!(clean_name("a\u{0}b\nc.pdf", &pdf), "abc.pdf");
    // Right-to-left override: "exe.png" shown as "gnp.exe".
    assert_eq!(clean_name("x\u{202e}gnp.exe", &png), "xgnp.exe.png");
    let long = format!("{}.pdf", "가".repeat(300));
    let cut = clean_name(&long, &pdf);
    assert_eq!(cut.chars().count(), MAX_NAME_CHARS);
    assert!(cut.ends_with(".pdf"), "{cut}");
    let long = "나".repeat(300);
    let cut = clean_name(&long, &pdf);
    assert_eq!(cut.chars().count(), MAX_NAME_CHARS);
    assert!(cut.ends_with(".pdf"), "{cut}");
}

#[test]
fn only_accepted_images_are_shown_in_the_page() {
    assert_eq!(
        served_as("image/png"),
        Served {
            content_type: "image/png",
            inline: true
        }
    );
    assert!(!served_as("application/pdf").inline);
    assert_eq!(
        served_as("text/plain").content_type,
        "text/plain; charset=utf-8"
    );
    assert_eq!(
        served_as("text/csv").content_type,
        "text/csv; charset=utf-8"
    );
    for odd in ["image/svg+xml", "text/html", "application/xhtml+xml", ""] {
        assert_eq!(
            served_as(odd),
            Served {
                content_type: "application/octet-stream",
                inline: false
            },
            "{odd}"
        );
    }
}

#[test]
fn dispositions_carry_korean_names_and_a_safe_fallback() {
    assert_eq!(
        content_disposition("영수증 1.png", true),
        "inline; filename=\"___ 1.png\"; filename*=UTF-8''%EC%98%81%EC%88%98%EC%A6%9D%201.png"
    );
    assert_eq!(
        content_disposition("a\"b\\c.pdf", false),
        "attachment; filename=\"a_b_c.pdf\"; filename*=UTF-8''a%22b%5Cc.pdf"
    );
}

#[test]
fn thumbnails_fit_the_side_and_keep_proportions() {
    assert_eq!(thumbnail_size(100, 50), (100, 50));
    assert_eq!(thumbnail_size(3200, 1600), (320, 160));
    assert_eq!(thumbnail_size(1000, 3000), (107, 320));
    assert_eq!(thumbnail_size(10_000, 1), (320, 1));
    assert_eq!(thumbnail_size(0, 0), (1, 1));
}

#[test]
fn refusals_have_stable_codes() {
    let codes: Vec<_> = [
        FileRefusal::Empty,
        FileRefusal::TooLarge { size: 2, max: 1 },
        FileRefusal::UnknownType,
        FileRefusal::NotAllowed {
            kind: FileKind::Pdf,
        },
        FileRefusal::BrokenImage("x".into()),
    ]
    .iter()
    .map(FileRefusal::code)
    .collect();
    assert_eq!(
        codes,
        [
            "file_empty",
            "file_too_large",
            "file_type_unknown",
            "file_type_not_allowed",
            "image_unreadable"
        ]
    );
}

#[test]
fn links_work_for_their_file_until_they_expire() {
    let id = crate::FileId::new(7);
    let sig = link_signature(b"secret", id, 1000);
    assert_eq!(sig.len(), 64);
    assert!(link_valid(b"secret", id, 1000, &sig, 999));
    assert!(!link_valid(b"secret", id, 1000, &sig, 1000), "expired");
    assert!(
        !link_valid(b"other", id, 1000, &sig, 0),
        "another site's secret"
    );
    assert!(
        !link_valid(b"secret", crate::FileId::new(8), 1000, &sig, 0),
        "another file"
    );
    assert!(!link_valid(b"secret", id, 2000, &sig, 0), "a later expiry");
    assert!(!link_valid(b"secret", id, 1000, "", 0));
    assert!(!link_valid(b"secret", id, 1000, &sig[..63], 0));
}
