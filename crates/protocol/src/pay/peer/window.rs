//! The card registration window: the page Toss hosts, where the customer types a card and is
//! sent back to the merchant's `successUrl` with a one-time auth key (or to `failUrl`).

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::Shared;
use crate::pay::wire::{self, Refused};

/// The window's query (`GET`) and form (`POST`).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct WindowParams {
    customer_key: String,
    success_url: String,
    fail_url: String,
    card_number: String,
}

/// The window's `successUrl` and `failUrl`, checked as Toss checks them.
fn window_urls(p: &WindowParams) -> Result<(reqwest::Url, reqwest::Url), Refused> {
    wire::check_customer_key(&p.customer_key)?;
    if p.success_url.is_empty() {
        return Err(Refused::new(
            400,
            "INVALID_SUCCESS_URL",
            "successUrl 값은 필수 값입니다.",
        ));
    }
    let web = |raw: &str| {
        reqwest::Url::parse(raw)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
    };
    let success = web(&p.success_url).ok_or_else(|| {
        Refused::new(
            400,
            "INCORRECT_SUCCESS_URL_FORMAT",
            "잘못된 successUrl 입니다.",
        )
    })?;
    let fail = web(&p.fail_url)
        .ok_or_else(|| Refused::new(400, "INCORRECT_FAIL_URL_FORMAT", "잘못된 failUrl 입니다."))?;
    Ok((success, fail))
}

pub(super) async fn window(Query(p): Query<WindowParams>) -> Response {
    if let Err(r) = window_urls(&p) {
        return refusal_page(r);
    }
    let hidden = |name: &str, value: &str| {
        format!(
            r#"<input type="hidden" name="{name}" value="{}">"#,
            escape(value)
        )
    };
    // The form posts to this same path, relative, so the page works wherever the peer is
    // mounted.
    Html(format!(
        r#"<!doctype html>
<html lang="ko">
<head><meta charset="utf-8"><title>카드 등록</title></head>
<body>
<h1>카드 등록</h1>
<p>자동결제에 사용할 카드를 등록합니다. (Sangdam 결제 테스트 서버)</p>
<form method="post" action="billing-auth">
{}
{}
{}
<label for="cardNumber">카드 번호</label>
<input id="cardNumber" name="cardNumber" inputmode="numeric" autocomplete="cc-number" placeholder="1234-5678-9012-3456" required>
<button type="submit">등록</button>
</form>
<p>카드 번호 끝 네 자리로 카드의 응답이 정해집니다: 0001 정지, 0002 한도 초과, 0003 카드사 거절, 0004 유효기간 만료, 0005 분실·도난, 0006 무효, 0007 응답 없음, 0008 늦은 응답, 그 밖에는 승인.</p>
</body>
</html>
"#,
        hidden("customerKey", &p.customer_key),
        hidden("successUrl", &p.success_url),
        hidden("failUrl", &p.fail_url),
    ))
    .into_response()
}

pub(super) async fn window_submit(
    State(shared): State<Arc<Shared>>,
    axum::Form(p): axum::Form<WindowParams>,
) -> Response {
    let (mut success, mut fail) = match window_urls(&p) {
        Ok(urls) => urls,
        Err(r) => return refusal_page(r),
    };
    match shared.lock().new_auth_key(&p.customer_key, &p.card_number) {
        Ok(auth_key) => {
            success
                .query_pairs_mut()
                .append_pair("customerKey", &p.customer_key)
                .append_pair("authKey", &auth_key);
            Redirect::to(success.as_str()).into_response()
        }
        Err(r) => {
            fail.query_pairs_mut()
                .append_pair("code", r.code)
                .append_pair("message", &r.message);
            Redirect::to(fail.as_str()).into_response()
        }
    }
}

/// What the window shows when it cannot even send the customer back.
fn refusal_page(r: Refused) -> Response {
    let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::BAD_REQUEST);
    let page = format!(
        "<!doctype html>\n<html lang=\"ko\"><head><meta charset=\"utf-8\"><title>카드 등록 오류</title></head>\n<body><h1>카드를 등록할 수 없습니다</h1><p><code>{}</code> {}</p></body></html>\n",
        escape(r.code),
        escape(&r.message)
    );
    (status, Html(page)).into_response()
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
