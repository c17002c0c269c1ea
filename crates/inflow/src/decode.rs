//! Percent-decoding of parameter names and values, with the CP949 fallback for old browsers.

use std::borrow::Cow;

/// Whether `+` means a space (form/query style) or itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Plus {
    Space,
    Literal,
}

/// How the bytes of a decoded value had to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Charset {
    Utf8,
    /// Not UTF-8 but valid CP949 (what old Internet Explorer sends for Korean).
    Cp949,
    /// Neither: undecodable bytes were replaced with U+FFFD.
    Lossy,
}

/// Percent-decodes `raw`. Malformed escapes (`%zz`, a trailing `%`) stay as written, as browsers
/// leave them. Borrows when there is nothing to decode.
pub(crate) fn decode(raw: &str, plus: Plus) -> (Cow<'_, str>, Charset) {
    let plus_is_space = plus == Plus::Space;
    let special = if plus_is_space {
        memchr::memchr2(b'%', b'+', raw.as_bytes())
    } else {
        memchr::memchr(b'%', raw.as_bytes())
    };
    if special.is_none() {
        return (Cow::Borrowed(raw), Charset::Utf8);
    }
    let bytes = percent_decode_bytes(raw.as_bytes(), plus_is_space);
    match String::from_utf8(bytes) {
        Ok(s) => (Cow::Owned(s), Charset::Utf8),
        Err(e) => {
            let bytes = e.into_bytes();
            match encoding_rs::EUC_KR.decode_without_bom_handling_and_without_replacement(&bytes) {
                Some(s) => (Cow::Owned(s.into_owned()), Charset::Cp949),
                None => (
                    Cow::Owned(String::from_utf8_lossy(&bytes).into_owned()),
                    Charset::Lossy,
                ),
            }
        }
    }
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// `%XX` to its byte (malformed escapes kept as written), and `+` to a space when asked.
/// Hand-written rather than `percent_encoding::percent_decode` because the parser spends most
/// of its time here and this loop copies runs of plain bytes at once.
fn percent_decode_bytes(raw: &[u8], plus_is_space: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while let Some(&b) = raw.get(i) {
        match b {
            b'%' => {
                let escaped = raw
                    .get(i + 1)
                    .and_then(|&h| hex(h))
                    .zip(raw.get(i + 2).and_then(|&l| hex(l)));
                match escaped {
                    Some((h, l)) => {
                        out.push(h << 4 | l);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                // Copy the run of plain bytes up to the next escape at once.
                let rest = &raw[i..];
                let next = if plus_is_space {
                    memchr::memchr2(b'%', b'+', rest)
                } else {
                    memchr::memchr(b'%', rest)
                };
                let run = next.unwrap_or(rest.len());
                out.extend_from_slice(&rest[..run]);
                i += run;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrows_plain_text() {
        let (v, cs) = decode("abc홍길동", Plus::Space);
        assert!(matches!(v, Cow::Borrowed("abc홍길동")));
        assert_eq!(cs, Charset::Utf8);
    }

    #[test]
    fn plus_is_space_only_in_query_style() {
        assert_eq!(decode("a+b%2B", Plus::Space).0, "a b+");
        assert_eq!(decode("a+b%2B", Plus::Literal).0, "a+b+");
    }

    #[test]
    fn utf8_korean() {
        assert_eq!(
            decode("%ED%99%8D%EA%B8%B8%EB%8F%99", Plus::Space),
            (Cow::Owned("홍길동".into()), Charset::Utf8)
        );
    }

    #[test]
    fn cp949_korean_is_recognised() {
        // "홍길동" in CP949/EUC-KR.
        let (v, cs) = decode("%C8%AB%B1%E6%B5%BF", Plus::Space);
        assert_eq!(v, "홍길동");
        assert_eq!(cs, Charset::Cp949);
    }

    #[test]
    fn undecodable_bytes_are_replaced_and_flagged() {
        let (v, cs) = decode("a%FFb", Plus::Space);
        assert_eq!(cs, Charset::Lossy);
        assert!(v.contains('\u{FFFD}'));
    }

    #[test]
    fn malformed_escapes_stay() {
        assert_eq!(decode("100%", Plus::Space).0, "100%");
        assert_eq!(decode("%zz%4", Plus::Space).0, "%zz%4");
    }
}
