//! Where a chat URL keeps its parameters, per channel, and how the separators look.
//!
//! These helpers only cut strings; decoding and meaning live in `parse`.

use std::borrow::Cow;
use std::sync::LazyLock;

use memchr::memmem::Finder;

use crate::channel::Channel;
use crate::warning::{Warning, WarningCode};

/// A URL cut into the part before its parameters, the parameter section, and a fragment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Parts<'a> {
    pub base: &'a str,
    /// Query-style section (`a=1&b=2`), without the leading `?`/`&`.
    pub query: Option<&'a str>,
    /// Naver's `|`-separated section, without the leading `|`.
    pub pipes: Option<&'a str>,
    pub fragment: Option<&'a str>,
}

/// Whether a leading segment is a URL base rather than a `name=value` pair: bases contain a
/// scheme or a path, or no `=` at all.
fn looks_like_base(segment: &str) -> bool {
    !segment.contains('=') || segment.contains("://") || segment.starts_with('/')
}

/// Splits a query-style URL (`kakao`, `webchat_v1`, `webchat_v2`). A URL without `?` may still
/// carry parameters after its first `&` (the help page's `BASE&site_uid=…`).
pub(crate) fn query_parts(url: &str) -> Parts<'_> {
    let (url, fragment) = match url.split_once('#') {
        Some((u, f)) => (u, Some(f)),
        None => (url, None),
    };
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => match url.split_once('&') {
            Some((first, _)) if !looks_like_base(first) => ("", Some(url)),
            Some((b, q)) => (b, Some(q)),
            None if !looks_like_base(url) => ("", Some(url)),
            None => (url, None),
        },
    };
    Parts {
        base,
        query,
        pipes: None,
        fragment,
    }
}

/// Splits a Naver URL: `BASE|a=1|b=2`. The base may have its own query and fragment
/// (`…/ct/w4abcd?frm=x#nafullscreen`).
pub(crate) fn naver_parts(url: &str) -> Parts<'_> {
    let (head, pipes) = match url.split_once('|') {
        Some((h, p)) => (h, Some(p)),
        None => (url, None),
    };
    if looks_like_base(head) {
        let inner = query_parts(head);
        Parts { pipes, ..inner }
    } else {
        // No base at all: the whole string is the pair list (as in Naver's `options.from`).
        Parts {
            base: "",
            query: None,
            pipes: Some(url),
            fragment: None,
        }
    }
}

/// Splits `name=value` at the first `=`; a segment without one is a name with an empty value.
pub(crate) fn split_pair(segment: &str) -> (&str, &str) {
    segment.split_once('=').unwrap_or((segment, ""))
}

/// Non-empty segments of a list separated by `sep`.
pub(crate) fn segments(list: &str, sep: char) -> impl Iterator<Item = &str> {
    list.split(sep).filter(|s| !s.is_empty())
}

/// The separator that `¶` stands for on this channel (`&para` became `¶`).
fn mangled_separator(channel: Channel) -> char {
    match channel {
        Channel::Naver => '|',
        _ => '&',
    }
}

/// Repairs separators mangled by copy-paste from a web page that rendered `&para` as `¶`:
/// `¶ms=` is `&params=`, `¶meter1=` is `&parameter1=`. A raw `¶` never appears in a URL Sangdam
/// builds (values are percent-encoded), so every raw `¶` is such a mangling; the percent-encoded
/// form is only recognised where a parameter name and `=` follow.
pub(crate) fn repair_mangling<'a>(
    url: &'a str,
    channel: Channel,
    warnings: &mut Vec<Warning>,
) -> Cow<'a, str> {
    const RAW: &str = "¶";
    const ENCODED: &str = "%C2%B6";
    // `¶` is C2 B6 in UTF-8 and `%C2%B6` encoded: without a C2 byte or a "C2" after a `%`
    // there is nothing to repair (one pass, no allocation: the common case).
    let bytes = url.as_bytes();
    static UPPER: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"%C2%"));
    static LOWER: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"%c2%"));
    let maybe = memchr::memchr(0xC2, bytes).is_some()
        || UPPER.find(bytes).is_some()
        || LOWER.find(bytes).is_some();
    if !maybe {
        return Cow::Borrowed(url);
    }
    let sep = mangled_separator(channel);
    let mut out = String::with_capacity(url.len() + 8);
    let mut rest = url;
    while !rest.is_empty() {
        let (len, is_mangling) = if rest.starts_with(RAW) {
            (RAW.len(), true)
        } else if rest
            .as_bytes()
            .get(..ENCODED.len())
            .is_some_and(|b| b.eq_ignore_ascii_case(ENCODED.as_bytes()))
        {
            (ENCODED.len(), encoded_is_mangling(&rest[ENCODED.len()..]))
        } else {
            let ch_len = rest.chars().next().map_or(1, char::len_utf8);
            out.push_str(&rest[..ch_len]);
            rest = &rest[ch_len..];
            continue;
        };
        if is_mangling {
            let after = &rest[len..];
            let tail: String = after
                .chars()
                .take_while(|c| !matches!(c, '=' | '&' | '|' | ',' | '#'))
                .take(32)
                .collect();
            let name = format!("para{tail}");
            warnings.push(Warning::new(
                name.clone(),
                WarningCode::MangledSeparator,
                format!(
                    "\"¶{tail}\" is \"{sep}{name}\" mangled by copy-paste (an HTML page showed \
                     \"&para\" as ¶); read as \"{sep}{name}\""
                ),
            ));
            out.push(sep);
            out.push_str("para");
        } else {
            out.push_str(&rest[..len]);
        }
        rest = &rest[len..];
    }
    Cow::Owned(out)
}

/// After an encoded `¶`: `ms=` or `meter<digits>=` make it a mangled `&para`.
fn encoded_is_mangling(after: &str) -> bool {
    if after.starts_with("ms=") {
        return true;
    }
    match after.strip_prefix("meter") {
        Some(rest) => {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            digits > 0 && rest.as_bytes().get(digits) == Some(&b'=')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_with_question_mark() {
        let p = query_parts("https://x/chat?a=1&b=2#top");
        assert_eq!(p.base, "https://x/chat");
        assert_eq!(p.query, Some("a=1&b=2"));
        assert_eq!(p.fragment, Some("top"));
    }

    #[test]
    fn query_after_first_ampersand_without_question_mark() {
        let p = query_parts("https://pf.kakao.com/_abc/chat&site_uid=x&b=2");
        assert_eq!(p.base, "https://pf.kakao.com/_abc/chat");
        assert_eq!(p.query, Some("site_uid=x&b=2"));
    }

    #[test]
    fn bare_parameter_section() {
        assert_eq!(query_parts("site_uid=x&b=2").query, Some("site_uid=x&b=2"));
        assert_eq!(query_parts("site_uid=x").query, Some("site_uid=x"));
        assert_eq!(query_parts("https://x/chat").query, None);
    }

    #[test]
    fn naver_with_base_query_and_fragment() {
        let p =
            naver_parts("https://talk.naver.com/ct/w4abcd?frm=mnmb#nafullscreen|site_uid=a|b=c");
        assert_eq!(p.base, "https://talk.naver.com/ct/w4abcd");
        assert_eq!(p.query, Some("frm=mnmb"));
        assert_eq!(p.fragment, Some("nafullscreen"));
        assert_eq!(p.pipes, Some("site_uid=a|b=c"));
    }

    #[test]
    fn naver_bare_pairs() {
        let p = naver_parts("site_uid=m1|cus_extra_phone=010");
        assert_eq!(p.pipes, Some("site_uid=m1|cus_extra_phone=010"));
        assert_eq!(p.base, "");
    }

    #[test]
    fn raw_pilcrow_is_repaired_and_reported() {
        let mut w = Vec::new();
        let fixed = repair_mangling(
            "https://x/chat?a=1¶ms=site_uid=b",
            Channel::WebchatV2,
            &mut w,
        );
        assert_eq!(fixed, "https://x/chat?a=1&params=site_uid=b");
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].code, WarningCode::MangledSeparator);
        assert_eq!(w[0].param, "params");
    }

    #[test]
    fn encoded_pilcrow_only_where_a_name_follows() {
        let mut w = Vec::new();
        let fixed = repair_mangling(
            "BASE?x=1%C2%B6meter1=a&v=%C2%B6meter",
            Channel::Kakao,
            &mut w,
        );
        assert_eq!(fixed, "BASE?x=1&parameter1=a&v=%C2%B6meter");
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].param, "parameter1");
    }

    #[test]
    fn naver_pilcrow_becomes_pipe() {
        let mut w = Vec::new();
        let fixed = repair_mangling("B|site_uid=a¶meter2=b", Channel::Naver, &mut w);
        assert_eq!(fixed, "B|site_uid=a|parameter2=b");
    }
}
