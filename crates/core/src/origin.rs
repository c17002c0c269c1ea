//! Web origins a site registers (the pages allowed to show its chat window in a frame), in the
//! one form Sangdam stores and writes into a Content-Security-Policy `frame-ancestors` list.
//!
//! An origin is `http://` or `https://`, a host of dot-separated labels of ASCII letters,
//! digits and hyphens (an internationalised domain in its `xn--` form; no IPv6 literal, which
//! a CSP source cannot name), and an optional port 1–65535 without leading zeros. Around it
//! whitespace is trimmed and one trailing `/` is allowed; nothing else is: no path, query,
//! fragment, user name, wildcard or space. It is kept with its scheme and host in lowercase and
//! without the scheme's default port (`HTTPS://Shop.Example:443/` is `https://shop.example`).
//! The grammar is exactly a CSP host source with a scheme, so a stored origin can be written
//! into the header as it is.

/// Longest origin, trimmed (a DNS name has at most 253 characters).
pub const MAX_ORIGIN_CHARS: usize = 255;

/// Why a text is not an origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OriginProblem {
    #[error("it has more than {MAX_ORIGIN_CHARS} characters")]
    TooLong,
    #[error("it must start with http:// or https://")]
    NotHttp,
    #[error(
        "its host must be letters, digits, hyphens and dots (a Korean domain in its xn-- form)"
    )]
    BadHost,
    #[error("its port must be a number from 1 to 65535")]
    BadPort,
    #[error("it must be only scheme://host[:port], without a path, query, fragment or user name")]
    NotOnlyOrigin,
}

/// The origin `given` names, normalised (lowercase, no default port, no trailing slash).
pub fn normalize_origin(given: &str) -> Result<String, OriginProblem> {
    let s = given.trim();
    if s.chars().count() > MAX_ORIGIN_CHARS {
        return Err(OriginProblem::TooLong);
    }
    let (scheme, rest) = split_scheme(s).ok_or(OriginProblem::NotHttp)?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.'))
        .unwrap_or(rest.len());
    let (host, after) = rest.split_at(end);
    if host.is_empty() || host.split('.').any(str::is_empty) {
        // `https://`, `https://a..b`, `https://*.shop.example`, `https://[::1]`.
        return Err(OriginProblem::BadHost);
    }
    match after.chars().next() {
        None | Some(':') => {}
        Some('/' | '?' | '#' | '@') => return Err(OriginProblem::NotOnlyOrigin),
        // A space, `_`, `;`, a Hangul syllable: not a character of a host.
        Some(_) => return Err(OriginProblem::BadHost),
    }
    let port = match after.strip_prefix(':') {
        None => None,
        Some(digits) => Some(parse_port(digits)?),
    };
    let host = host.to_ascii_lowercase();
    let default = if scheme == "https" { 443 } else { 80 };
    Ok(match port {
        Some(p) if p != default => format!("{scheme}://{host}:{p}"),
        _ => format!("{scheme}://{host}"),
    })
}

/// `("http" | "https", what follows "://")`, the scheme matched ignoring ASCII case.
fn split_scheme(s: &str) -> Option<(&'static str, &str)> {
    let (scheme, rest) = s.split_once("://")?;
    if scheme.eq_ignore_ascii_case("https") {
        Some(("https", rest))
    } else if scheme.eq_ignore_ascii_case("http") {
        Some(("http", rest))
    } else {
        None
    }
}

/// 1–65535 written without leading zeros; anything after the digits is not an origin.
fn parse_port(s: &str) -> Result<u16, OriginProblem> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits < s.len() {
        return Err(if digits == 0 {
            OriginProblem::BadPort
        } else {
            OriginProblem::NotOnlyOrigin
        });
    }
    match s.parse::<u16>() {
        Ok(p) if p > 0 && !s.starts_with('0') => Ok(p),
        _ => Err(OriginProblem::BadPort),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalised() {
        let cases = [
            ("https://shop.example", "https://shop.example"),
            ("  HTTPS://Shop.Example/  ", "https://shop.example"),
            ("http://localhost:8080", "http://localhost:8080"),
            ("http://127.0.0.1:3000/", "http://127.0.0.1:3000"),
            ("https://shop.example:443", "https://shop.example"),
            ("http://shop.example:80", "http://shop.example"),
            ("http://shop.example:443", "http://shop.example:443"),
            ("https://xn--3e0b707e.kr", "https://xn--3e0b707e.kr"),
            (
                "https://a-b.c-d.example:65535",
                "https://a-b.c-d.example:65535",
            ),
        ];
        for (given, want) in cases {
            assert_eq!(normalize_origin(given).as_deref(), Ok(want), "{given:?}");
        }
    }

    #[test]
    fn anything_but_an_origin_is_refused_with_its_reason() {
        use OriginProblem::*;
        let long = format!("https://{}.example", "a".repeat(MAX_ORIGIN_CHARS));
        let cases = [
            ("", NotHttp),
            ("shop.example", NotHttp),
            ("ftp://shop.example", NotHttp),
            ("javascript://x", NotHttp),
            ("//shop.example", NotHttp),
            ("https:shop.example", NotHttp),
            ("https://", BadHost),
            ("https:///", BadHost),
            ("https://a..b", BadHost),
            ("https://.shop.example", BadHost),
            ("https://shop.example.", BadHost),
            ("https://:8080", BadHost),
            ("https://[::1]:8080", BadHost),
            ("https://*.shop.example", BadHost),
            ("https://shop_1.example", BadHost),
            ("https://user@shop.example", NotOnlyOrigin),
            ("https://상점.kr", BadHost),
            ("https://shop.상점", BadHost),
            ("https://shop.example/path", NotOnlyOrigin),
            ("https://shop.example//", NotOnlyOrigin),
            ("https://shop.example?x=1", NotOnlyOrigin),
            ("https://shop.example#top", NotOnlyOrigin),
            ("https://shop example", BadHost),
            ("https://shop.example https://b.example", BadHost),
            ("https://shop.example;script-src *", BadHost),
            ("https://shop.example:", BadPort),
            ("https://shop.example:0", BadPort),
            ("https://shop.example:65536", BadPort),
            ("https://shop.example:08080", BadPort),
            ("https://shop.example:x", BadPort),
            ("https://shop.example:80/x", NotOnlyOrigin),
            ("https://shop.example:80x", NotOnlyOrigin),
            (long.as_str(), TooLong),
        ];
        for (given, want) in cases {
            assert_eq!(normalize_origin(given), Err(want), "{given:?}");
        }
    }

    #[test]
    fn a_normalised_origin_is_its_own_normal_form() {
        for given in ["HTTP://A.b:81/", "https://x:443", "http://x"] {
            let once = normalize_origin(given).unwrap_or_default();
            assert_eq!(normalize_origin(&once), Ok(once.clone()));
        }
    }
}
