//! Percent-decoding of parameter names and values, with the CP949 fallback for old browsers.

use std::borrow::Cow;

use percent_encoding::percent_decode;

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
    let has_plus = plus == Plus::Space && raw.as_bytes().contains(&b'+');
    if !has_plus && !raw.as_bytes().contains(&b'%') {
        return (Cow::Borrowed(raw), Charset::Utf8);
    }
    let spaced: Cow<'_, [u8]> = if has_plus {
        Cow::Owned(
            raw.bytes()
                .map(|b| if b == b'+' { b' ' } else { b })
                .collect(),
        )
    } else {
        Cow::Borrowed(raw.as_bytes())
    };
    let bytes: Vec<u8> = percent_decode(&spaced).collect();
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
