//! What keeps other sites' pages from using Sangdam through a visitor's browser: the origin
//! check, and the security headers every answer carries.
//!
//! - Origin: a browser names the page a request comes from in `Origin`. A state-changing request
//!   (any method but GET, HEAD, OPTIONS and TRACE) or a WebSocket upgrade whose `Origin` is
//!   present and is not Sangdam's own is refused with 403 `forbidden_origin` before any handler
//!   runs; `Origin: null` (a sandboxed frame, a `file:` page) counts as foreign. Sangdam's own
//!   origin is the one whose host and port are the request's `Host`, or the configured public
//!   URL (for a proxy in front that changes `Host`). Requests without `Origin` pass: API
//!   clients, curl and server-to-server calls send none, and a browser always sends it on these
//!   requests. The messenger webhooks (`/kakao/…`, `/naver/…`) are not checked: no browser
//!   calls them. The OpenAPI document says 403 on every route checked ([`document`]).
//! - Headers ([`headers`]): a Content-Security-Policy that runs only Sangdam's own scripts and
//!   styles (no inline code) and says who may frame the page (nobody, except the chat window,
//!   which its site's registered origins may frame: [`FrameAncestors`]), `X-Frame-Options: DENY`
//!   where nobody may, `X-Content-Type-Options: nosniff`, and `Referrer-Policy: same-origin`, so
//!   a console address never reaches the outside sites agents open.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{
    CONTENT_SECURITY_POLICY, HOST, ORIGIN, REFERRER_POLICY, UPGRADE, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::uri::Authority;
use axum::http::{HeaderMap, HeaderValue, Method, Response, Uri};
use axum::middleware::Next;
use axum::response::IntoResponse;
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder};

use crate::error::ApiError;

// ---------------------------------------------------------------------------------------------
// Origins.

/// `scheme://host[:port]` reduced to what two origins are compared by.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Site {
    https: bool,
    /// Lowercase.
    host: String,
    /// The port, the scheme's default when none is written.
    port: u16,
}

impl Site {
    /// An origin (`https://shop.example:8443`, optionally with a `/`); `None` for anything
    /// else, `null` included.
    fn parse(text: &str) -> Option<Site> {
        let uri: Uri = text.parse().ok()?;
        let https = match uri.scheme_str()? {
            s if s.eq_ignore_ascii_case("https") => true,
            s if s.eq_ignore_ascii_case("http") => false,
            _ => return None,
        };
        let authority = uri.authority()?;
        let only_origin = uri.path_and_query().is_none_or(|p| p.as_str() == "/");
        if !only_origin || authority.as_str().contains('@') {
            return None;
        }
        Some(Site::at(authority, https))
    }

    fn at(authority: &Authority, https: bool) -> Site {
        Site {
            https,
            host: authority.host().to_ascii_lowercase(),
            port: authority.port_u16().unwrap_or(if https { 443 } else { 80 }),
        }
    }
}

/// Sangdam's public address (`--public-url`), whose pages are its own whatever `Host` a proxy
/// in front sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(Site);

impl PublicUrl {
    /// `http(s)://host[:port]`, optionally with a trailing `/`.
    pub fn parse(url: &str) -> Result<PublicUrl, String> {
        Site::parse(url.trim()).map(PublicUrl).ok_or_else(|| {
            format!(
                "the public URL must be http(s)://host[:port] without a path or user name, \
                 not {url:?}"
            )
        })
    }

    /// Whether people reach Sangdam over HTTPS (its cookies are then `Secure`).
    pub fn is_https(&self) -> bool {
        self.0.https
    }

    /// `scheme://host[:port]` (the port only when it is not the scheme's default): what links
    /// for people and platforms outside start with.
    pub fn base(&self) -> String {
        let Site { https, host, port } = &self.0;
        let scheme = if *https { "https" } else { "http" };
        let default = if *https { 443 } else { 80 };
        if *port == default {
            format!("{scheme}://{host}")
        } else {
            format!("{scheme}://{host}:{port}")
        }
    }
}

/// Which origins are Sangdam's own.
#[derive(Debug, Clone, Default)]
pub struct OriginPolicy {
    public: Option<Arc<PublicUrl>>,
}

impl OriginPolicy {
    pub fn new(public: Option<PublicUrl>) -> Self {
        OriginPolicy {
            public: public.map(Arc::new),
        }
    }

    /// Whether `origin` (an `Origin` header) is the origin of this server as the request
    /// reached it: the host and port of `host` (its `Host`), or the public URL.
    fn is_own(&self, origin: &HeaderValue, host: Option<&Authority>) -> bool {
        let Some(origin) = origin.to_str().ok().and_then(Site::parse) else {
            return false;
        };
        let by_host = host.is_some_and(|h| {
            let own = Site::at(h, origin.https);
            own.host == origin.host && own.port == origin.port
        });
        by_host || self.public.as_deref().is_some_and(|p| p.0 == origin)
    }
}

/// The messenger platforms' webhooks: called by their servers, never by a browser.
fn is_webhook(path: &str) -> bool {
    path.starts_with("/kakao/") || path.starts_with("/naver/")
}

/// Whether a request of `method` to `path` has its `Origin` checked.
pub fn is_checked(method: &Method, path: &str, websocket: bool) -> bool {
    !is_webhook(path) && (websocket || !method.is_safe())
}

fn is_websocket(headers: &HeaderMap) -> bool {
    headers
        .get(UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

/// The request's `Host` (or, over HTTP/2, its URI's authority).
fn host_of(req: &Request) -> Option<Authority> {
    req.headers()
        .get(HOST)
        .and_then(|v| v.to_str().ok())
        .and_then(|h| h.parse().ok())
        .or_else(|| req.uri().authority().cloned())
}

/// The middleware: refuses a checked request whose `Origin` is another site's.
pub async fn check_origin(
    State(policy): State<OriginPolicy>,
    req: Request,
    next: Next,
) -> axum::response::Response {
    let checked = is_checked(req.method(), req.uri().path(), is_websocket(req.headers()));
    if checked {
        let host = host_of(&req);
        let foreign = req
            .headers()
            .get_all(ORIGIN)
            .iter()
            .find(|o| !policy.is_own(o, host.as_ref()));
        if let Some(origin) = foreign {
            let shown: String = String::from_utf8_lossy(origin.as_bytes())
                .chars()
                .take(200)
                .collect();
            tracing::warn!(origin = %shown, method = %req.method(), path = req.uri().path(),
                "refused a request from another site's page");
            return ApiError::ForbiddenOrigin(format!(
                "this request comes from a page of another site (Origin: {shown}); Sangdam \
                 accepts changes only from its own pages"
            ))
            .into_response();
        }
    }
    next.run(req).await
}

/// The 403 every checked route may answer, as the document says it.
const REFUSAL: &str = "`forbidden_origin`: the request's `Origin` is another site's page \
                       (requests without `Origin` are not refused for it).";

/// Documents the origin check: a 403 on every route [`is_checked`] (the state-changing ones,
/// and the WebSocket routes, known by their `Upgrade` header parameter), so the document says
/// every status the middleware can answer without each handler repeating it.
pub fn document(doc: &mut OpenApi) {
    for (path, item) in doc.paths.paths.iter_mut() {
        let ops = [
            (Method::GET, &mut item.get),
            (Method::PUT, &mut item.put),
            (Method::POST, &mut item.post),
            (Method::DELETE, &mut item.delete),
            (Method::PATCH, &mut item.patch),
        ];
        for (method, op) in ops {
            let Some(op) = op.as_mut() else { continue };
            if is_checked(&method, path, upgrades(op)) {
                add_refusal(op);
            }
        }
    }
}

fn upgrades(op: &Operation) -> bool {
    op.parameters.iter().flatten().any(|p| {
        matches!(p.parameter_in, ParameterIn::Header) && p.name.eq_ignore_ascii_case("upgrade")
    })
}

fn add_refusal(op: &mut Operation) {
    match op.responses.responses.get_mut("403") {
        Some(RefOr::T(existing)) => {
            existing.description = format!("{} Or {REFUSAL}", existing.description);
        }
        Some(RefOr::Ref(_)) => {}
        None => {
            let refusal = ResponseBuilder::new()
                .description(REFUSAL)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build();
            op.responses
                .responses
                .insert("403".to_owned(), RefOr::T(refusal));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Headers.

/// The policy of every page but who may frame it: Sangdam's own scripts, styles, images and
/// connections (`'self'` covers its WebSockets too), no plugins, no `<base>`, forms only to
/// itself. (A macro, to be `concat!`ed into [`FRAMED_BY_NONE`].)
macro_rules! policy {
    () => {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
    };
}
const POLICY: &str = policy!();
/// The policy of every answer but the chat window's.
const FRAMED_BY_NONE: &str = concat!(policy!(), "; frame-ancestors 'none'");

/// Set by the chat window's page on its answer: the origins, besides Sangdam's own, whose
/// pages may show it in a frame (the site's registered frame origins, normalised by the
/// settings rules, so each is a valid CSP source).
#[derive(Debug, Clone)]
pub struct FrameAncestors(pub Vec<String>);

/// Set on the answer that serves an image or file someone sent: whatever its bytes are, a
/// browser that opens it runs nothing, loads nothing, and treats it as a page of no origin.
#[derive(Debug, Clone, Copy)]
pub struct ServedFile;

/// The policy of a served file.
const FILE_POLICY: &str = "default-src 'none'; sandbox; frame-ancestors 'none'";

fn content_security_policy(res: &Response<Body>) -> Option<HeaderValue> {
    if res.extensions().get::<ServedFile>().is_some() {
        return Some(HeaderValue::from_static(FILE_POLICY));
    }
    let Some(FrameAncestors(origins)) = res.extensions().get::<FrameAncestors>() else {
        return Some(HeaderValue::from_static(FRAMED_BY_NONE));
    };
    let mut policy = format!("{POLICY}; frame-ancestors 'self'");
    for origin in origins {
        policy.push(' ');
        policy.push_str(origin);
    }
    // Stored origins are plain `scheme://host[:port]`; should one not be, the window is
    // framed by Sangdam's pages only rather than not protected.
    HeaderValue::from_str(&policy)
        .ok()
        .or_else(|| HeaderValue::from_str(&format!("{POLICY}; frame-ancestors 'self'")).ok())
}

fn frame_options(res: &Response<Body>) -> Option<HeaderValue> {
    // Where some page may frame it, the policy's frame-ancestors says which (X-Frame-Options
    // cannot name them).
    match res.extensions().get::<FrameAncestors>() {
        None => Some(HeaderValue::from_static("DENY")),
        Some(_) => None,
    }
}

/// Wraps `router` so that every answer, whatever produced it (a handler, a refusal, axum's
/// own 404), carries the security headers. tower-http's `SetResponseHeaderLayer` sets each.
pub fn headers<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router
        .layer(SetResponseHeaderLayer::overriding(
            CONTENT_SECURITY_POLICY,
            content_security_policy as fn(&Response<Body>) -> Option<HeaderValue>,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            X_FRAME_OPTIONS,
            frame_options as fn(&Response<Body>) -> Option<HeaderValue>,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn own(policy: &OriginPolicy, origin: &str, host: &str) -> bool {
        policy.is_own(
            &HeaderValue::from_str(origin).unwrap(),
            host.parse::<Authority>().ok().as_ref(),
        )
    }

    #[test]
    fn an_origin_is_own_when_its_host_and_port_are_the_requests() {
        let p = OriginPolicy::default();
        let cases = [
            ("http://127.0.0.1:8080", "127.0.0.1:8080", true),
            ("http://Chat.Example", "chat.example", true),
            ("https://chat.example", "chat.example:443", true),
            ("http://chat.example", "chat.example:80", true),
            ("http://[::1]:8080", "[::1]:8080", true),
            ("http://chat.example/", "chat.example", true),
            ("http://127.0.0.1:8081", "127.0.0.1:8080", false),
            ("http://localhost:8080", "127.0.0.1:8080", false),
            // The scheme is not compared: behind a TLS proxy the server cannot tell.
            ("https://chat.example", "chat.example", true),
            ("https://chat.example.evil", "chat.example", false),
            ("http://evil@chat.example", "chat.example", false),
            ("http://chat.example/x", "chat.example", false),
            ("null", "chat.example", false),
            ("chat.example", "chat.example", false),
            ("file://", "chat.example", false),
            ("ws://chat.example", "chat.example", false),
            ("", "chat.example", false),
        ];
        for (origin, host, want) in cases {
            assert_eq!(own(&p, origin, host), want, "{origin} at {host}");
        }
        assert!(!p.is_own(&HeaderValue::from_static("http://x"), None));
    }

    #[test]
    fn the_public_base_drops_a_default_port() {
        let base = |u: &str| PublicUrl::parse(u).unwrap().base();
        assert_eq!(
            base("https://Chat.Example.com/"),
            "https://chat.example.com"
        );
        assert_eq!(base("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(base("https://x.example:443"), "https://x.example");
    }

    #[test]
    fn the_public_url_is_own_too() {
        let p = OriginPolicy::new(Some(PublicUrl::parse("https://Chat.Example/").unwrap()));
        assert!(own(&p, "https://chat.example", "127.0.0.1:8080"));
        assert!(own(&p, "https://chat.example:443", "127.0.0.1:8080"));
        assert!(!own(&p, "http://chat.example", "127.0.0.1:8080"));
        assert!(!own(&p, "https://other.example", "127.0.0.1:8080"));
        for bad in [
            "chat.example",
            "https://chat.example/sangdam",
            "ftp://x",
            "https://a@b",
        ] {
            assert!(PublicUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn changes_and_websockets_are_checked_but_not_the_webhooks() {
        assert!(is_checked(
            &Method::POST,
            "/api/v1/consultations/1/take",
            false
        ));
        assert!(is_checked(&Method::DELETE, "/anything", false));
        assert!(is_checked(&Method::POST, "/login", false));
        assert!(is_checked(&Method::GET, "/api/v1/console/ws", true));
        assert!(!is_checked(&Method::GET, "/api/v1/site", false));
        assert!(!is_checked(&Method::HEAD, "/console", false));
        assert!(!is_checked(&Method::OPTIONS, "/api/v1/site", false));
        assert!(!is_checked(&Method::POST, "/kakao/1/skill", false));
        assert!(!is_checked(&Method::POST, "/naver/1/webhook", false));
    }

    #[test]
    fn the_document_says_403_wherever_the_origin_is_checked() {
        let doc = crate::openapi();
        let mut checked = 0;
        for (path, item) in &doc.paths.paths {
            let ops = [
                (Method::GET, &item.get),
                (Method::PUT, &item.put),
                (Method::POST, &item.post),
                (Method::DELETE, &item.delete),
                (Method::PATCH, &item.patch),
            ];
            for (method, op) in ops {
                let Some(op) = op else { continue };
                let says = match op.responses.responses.get("403") {
                    Some(RefOr::T(r)) => r.description.contains("forbidden_origin"),
                    _ => false,
                };
                assert_eq!(
                    says,
                    is_checked(&method, path, upgrades(op)),
                    "{method} {path}"
                );
                checked += usize::from(says);
            }
        }
        assert!(checked > 10, "{checked}");
        let says =
            |op: &Option<Operation>| match op.as_ref().unwrap().responses.responses.get("403") {
                Some(RefOr::T(r)) => r.description.contains("forbidden_origin"),
                _ => false,
            };
        let paths = &doc.paths.paths;
        for ws in ["/api/v1/console/ws", "/api/v1/webchat/{site_id}/ws"] {
            assert!(says(&paths[ws].get), "{ws}");
        }
        assert!(says(&paths["/api/v1/consultations/{id}/take"].post));
        assert!(says(&paths["/api/v1/auth/login"].post));
        assert!(says(&paths["/api/v1/site/settings"].put));
        assert!(!says(&paths["/kakao/{site_id}/skill"].post));
        assert!(!says(&paths["/api/v1/site"].get));
        // An admin-only change keeps its own 403 and adds the refusal.
        let RefOr::T(both) = &paths["/api/v1/site/settings"]
            .put
            .as_ref()
            .unwrap()
            .responses
            .responses["403"]
        else {
            panic!("no 403");
        };
        assert!(
            both.description.starts_with("Not the site's admin."),
            "{}",
            both.description
        );
    }

    #[test]
    fn the_chat_window_names_its_frame_origins() {
        let mut res = Response::new(Body::empty());
        let csp = content_security_policy(&res).unwrap();
        assert!(csp.to_str().unwrap().ends_with("frame-ancestors 'none'"));
        assert!(csp.to_str().unwrap().starts_with(POLICY));
        assert_eq!(frame_options(&res).unwrap(), "DENY");
        res.extensions_mut().insert(FrameAncestors(vec![
            "https://shop.example".into(),
            "http://localhost:8080".into(),
        ]));
        let csp = content_security_policy(&res).unwrap();
        assert_eq!(
            csp.to_str().unwrap(),
            format!("{POLICY}; frame-ancestors 'self' https://shop.example http://localhost:8080")
        );
        assert_eq!(frame_options(&res), None);
        // A value that cannot be a header (never stored, but never trusted either).
        res.extensions_mut()
            .insert(FrameAncestors(vec!["https://a\nb".into()]));
        let csp = content_security_policy(&res).unwrap();
        assert!(csp.to_str().unwrap().ends_with("frame-ancestors 'self'"));
    }
}
