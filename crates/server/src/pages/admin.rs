//! Admin: parameter management (`/admin/parameters`, the seed's help page made real). The
//! site-settings API it uses, and the rules a save follows, are in [`crate::api::site`].
//!
//! The page is rendered with the site's current state, so it reads right without JavaScript;
//! `assets/admin.js` saves each section through the API and refreshes the chat URLs.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use inflow::{Channel, Settings, Var};
use serde_json::{Value, json};
use store::{AgentRecord, Role};

use crate::api::site::{ChatUrl, MAX_DESCRIPTION_CHARS, chat_urls_for, origin, snippet_for};
use crate::auth::AuthAgent;
use crate::error::ApiError;
use crate::pages::{Lang, page};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/parameters", get(parameters_page))
}

// ---------------------------------------------------------------------------------------------
// The page.

/// One row of the fixed-parameter reference table.
#[derive(Debug, Clone)]
pub struct FixedRow {
    pub group: &'static str,
    pub name: &'static str,
    pub label: &'static str,
    pub ty: &'static str,
    pub length: &'static str,
    pub input: bool,
    pub example: &'static str,
    pub meaning: &'static str,
}

/// The fixed parameters (R1.1, and `site_uid_hash` of R2.8), in the page's language.
pub fn fixed_rows(lang: Lang) -> Vec<FixedRow> {
    let customer = lang.pick("고객", "Customer");
    let room = lang.pick("대화방", "Room");
    let verification = lang.pick("검증", "Verification");
    let row = |group, name, label, ty, length, input, example, meaning| FixedRow {
        group,
        name,
        label,
        ty,
        length,
        input,
        example,
        meaning,
    };
    vec![
        row(
            customer,
            "site_uid",
            lang.pick("회원 고유 식별번호 (ID)", "Member ID"),
            "String",
            "255",
            true,
            "loginid",
            lang.pick(
                "회원을 식별하는 값(로그인 ID, 회원 번호 등). 같은 ID로 들어온 모든 채널의 상담이 하나의 고객정보로 연동됩니다. ID가 없으면 빈 값으로 보내세요(undefined 등은 무시됩니다).",
                "Identifies the member (login ID, member number…). Every channel's consultations with the same ID share one profile. Send it empty when there is no ID (undefined and the like are ignored).",
            ),
        ),
        row(
            customer,
            "cus_extra_username",
            lang.pick("고객 이름", "Customer name"),
            "String",
            "100",
            true,
            lang.pick("홍길동", "Hong Gildong"),
            lang.pick("고객정보의 이름", "The profile's name"),
        ),
        row(
            customer,
            "cus_extra_phone",
            lang.pick("고객 전화번호", "Customer phone"),
            "String",
            "100",
            true,
            "01012345678",
            lang.pick(
                "고객정보의 '전화'(수정 가능). 본인 인증된 '휴대폰'과는 별개입니다.",
                "The profile's phone (editable), never the verified mobile.",
            ),
        ),
        row(
            customer,
            "cus_extra_email",
            lang.pick("고객 이메일", "Customer e-mail"),
            "String",
            "100",
            true,
            "customer@example.com",
            lang.pick("고객정보의 이메일", "The profile's e-mail"),
        ),
        row(
            room,
            "user_parameter",
            lang.pick("사용자변수", "User variable"),
            "String",
            "200",
            true,
            "abcdabcd",
            lang.pick(
                "커스텀 작업 시 자유롭게 활용 (20자가 넘는 값에 사용)",
                "Free use by integrators (for values longer than 20 characters)",
            ),
        ),
        row(
            room,
            "category_id",
            lang.pick("상담분류번호(대분류)", "Category ID"),
            "Int",
            "11",
            true,
            "74133",
            lang.pick(
                "상담 분류의 대분류 id (웹채팅 v2에서는 categoryID)",
                "Id of the consultation category (web chat v2: categoryID)",
            ),
        ),
        row(
            room,
            "division_id",
            lang.pick("상담분류번호(중분류)", "Division ID"),
            "Int",
            "11",
            true,
            "74134",
            lang.pick(
                "상담 분류의 중분류 id (웹채팅 v2에서는 divisionID)",
                "Id of the division (web chat v2: divisionID)",
            ),
        ),
        row(
            room,
            "category_name",
            lang.pick("상담분류명(대분류)", "Category name"),
            "String",
            "100",
            false,
            lang.pick("상품문의", "Product questions"),
            lang.pick(
                "대분류 이름. 출력 전용(제목 메시지, 리포트)",
                "Category name; output only (title messages, reports)",
            ),
        ),
        row(
            room,
            "division_name",
            lang.pick("상담분류명(중분류)", "Division name"),
            "String",
            "100",
            false,
            lang.pick("일반상담", "General"),
            lang.pick(
                "중분류 이름. 출력 전용(제목 메시지, 리포트)",
                "Division name; output only (title messages, reports)",
            ),
        ),
        row(
            room,
            "bot_start",
            lang.pick("챗봇으로 시작", "Start with the chatbot"),
            "Bool",
            "—",
            true,
            "true",
            lang.pick(
                "true이면 상담원 대신 챗봇으로 상담을 시작합니다 (카카오톡: &bot_start=true)",
                "true starts the consultation with the chatbot instead of an agent (Kakao: &bot_start=true)",
            ),
        ),
        row(
            verification,
            "site_uid_hash",
            lang.pick("ID 서명", "ID signature"),
            lang.pick("String (16진수)", "String (hex)"),
            "64",
            true,
            "9f86d081884c7d65…",
            lang.pick(
                "site_uid를 사이트 시크릿으로 HMAC-SHA256 한 값(소문자 16진수). 일치하면 ID가 인증됩니다. 사이트 서버에서 계산하세요.",
                "Lowercase hex HMAC-SHA256 of site_uid under the site secret, computed by your server; a match marks the ID verified.",
            ),
        ),
    ]
}

/// One custom slot row of the page.
#[derive(Debug, Clone)]
pub struct SlotRow {
    pub number: usize,
    pub name: &'static str,
    pub enabled: bool,
    pub description: String,
}

/// One channel's chat-URL field.
#[derive(Debug, Clone)]
pub struct ChatRow {
    pub channel: &'static str,
    pub label: &'static str,
    pub url: String,
    pub hint: &'static str,
}

fn channel_label(channel: Channel, lang: Lang) -> &'static str {
    match channel {
        Channel::Kakao => lang.pick("카카오톡 채널", "KakaoTalk channel"),
        Channel::WebchatV1 => lang.pick("웹채팅 v1", "Web chat v1"),
        Channel::WebchatV2 => lang.pick("웹채팅 v2", "Web chat v2"),
        Channel::Naver => lang.pick("네이버 톡톡", "Naver TalkTalk"),
    }
}

fn channel_hint(channel: Channel, lang: Lang, missing: bool) -> &'static str {
    match (channel, missing) {
        (Channel::Kakao, true) => lang.pick(
            "아래 '채널 주소'에 카카오톡 채널 채팅 URL을 저장하면 만들어집니다.",
            "Save your KakaoTalk channel chat URL under 'Channel addresses' below to get this URL.",
        ),
        (Channel::Naver, true) => lang.pick(
            "아래 '채널 주소'에 네이버 톡톡 URL을 저장하면 만들어집니다.",
            "Save your Naver TalkTalk URL under 'Channel addresses' below to get this URL.",
        ),
        (Channel::Kakao, false) => lang.pick(
            "파라미터는 &로 구분합니다. 예: &site_uid={고객ID}",
            "Parameters are separated by &, e.g. &site_uid={고객ID}",
        ),
        (Channel::WebchatV1, _) => lang.pick(
            "ID를 넘기려면 is_login=Y&uid={고객ID}로 바꾸세요. ID가 없으면 is_login=N&uid= 그대로 둡니다.",
            "To pass an ID, change it to is_login=Y&uid={고객ID}; without one keep is_login=N&uid= as it is.",
        ),
        (Channel::WebchatV2, _) => lang.pick(
            "params= 뒤에 쉼표로 구분합니다. 예: site_uid=('고객ID')",
            "Parameters go after params=, separated by commas, e.g. site_uid=('고객ID')",
        ),
        (Channel::Naver, false) => lang.pick(
            "파라미터는 |로 구분합니다. 예: |site_uid={고객ID}",
            "Parameters are separated by |, e.g. |site_uid={고객ID}",
        ),
    }
}

pub fn chat_rows(chat: &[ChatUrl], lang: Lang) -> Vec<ChatRow> {
    chat.iter()
        .map(|c| ChatRow {
            channel: c.channel.as_str(),
            label: channel_label(c.channel, lang),
            url: c.url.clone().unwrap_or_default(),
            hint: channel_hint(c.channel, lang, c.url.is_none()),
        })
        .collect()
}

/// A template variable as listed on the page, with the slot's description for custom slots.
#[derive(Debug, Clone)]
pub struct VarRow {
    pub name: &'static str,
    pub hint: String,
}

fn var_rows(settings: &Settings) -> Vec<VarRow> {
    Var::all()
        .map(|v| VarRow {
            name: v.name(),
            hint: match v {
                Var::Custom(slot) => settings.slot(slot).description.clone(),
                _ => String::new(),
            },
        })
        .collect()
}

/// Texts the script shows, in the page's language.
fn script_texts(lang: Lang) -> Value {
    let t = |ko, en| Value::from(lang.pick(ko, en));
    json!({
        "saved": t("저장되었습니다.", "Saved."),
        "saving": t("저장 중…", "Saving…"),
        "notSaved": t("저장하지 못했습니다. 표시된 항목을 고쳐 주세요.", "Not saved. Correct the fields marked below."),
        "failed": t("요청이 실패했습니다: ", "The request failed: "),
        "loginAgain": t("로그인이 만료되었습니다. 다시 로그인해 주세요.", "Your session has ended. Log in again."),
        "forbidden": t("관리자만 변경할 수 있습니다.", "Only the site's admin can change this."),
        "copied": t("복사되었습니다.", "Copied."),
        "selected": t("선택되었습니다. Ctrl+C(⌘C)로 복사하세요.", "Selected. Press Ctrl+C (⌘C) to copy."),
        "nothingToCopy": t("복사할 내용이 없습니다.", "Nothing to copy yet."),
        "reveal": t("보기", "Reveal"),
        "hide": t("숨기기", "Hide"),
        "rotateConfirm": t(
            "사이트 시크릿을 재발급할까요? 이전 시크릿으로 만든 site_uid_hash는 즉시 검증되지 않습니다. 사이트 서버의 시크릿도 바꿔야 합니다.",
            "Rotate the site secret? site_uid_hash values made with the old secret stop verifying at once; your server must switch to the new one."
        ),
        "rotated": t("새 시크릿이 발급되었습니다. 이전 시크릿으로 만든 해시는 더 이상 인증되지 않습니다.", "A new secret was issued. Hashes made with the old one no longer verify."),
        "hashFor": t("의 site_uid_hash:", " → site_uid_hash:"),
        "hints": {
            "kakao": {
                "missing": channel_hint(Channel::Kakao, lang, true),
                "ok": channel_hint(Channel::Kakao, lang, false),
            },
            "naver": {
                "missing": channel_hint(Channel::Naver, lang, true),
                "ok": channel_hint(Channel::Naver, lang, false),
            },
        },
        "err": {
            "description_required": t("사용하는 파라미터에는 설명을 입력해야 합니다.", "An enabled parameter needs a description."),
            "description_too_long": t("설명은 20자까지 입력할 수 있습니다.", "A description has at most 20 characters."),
            "invalid_description": t("설명에 쓸 수 없는 문자가 있습니다.", "The description contains a character that is not allowed."),
            "sentinel_too_long": t("값 하나는 50자까지입니다: ", "Each value has at most 50 characters: "),
            "too_many_sentinels": t("값은 50개까지 입력할 수 있습니다.", "At most 50 values."),
            "invalid_sentinel": t("쓸 수 없는 문자가 있습니다.", "A value contains a character that is not allowed."),
            "unknown_template_variable": t("알 수 없는 변수입니다: ", "Unknown variable: "),
            "template_not_http": t("http:// 또는 https://로 시작해야 합니다.", "It must start with http:// or https://."),
            "template_too_long": t("2000자를 넘을 수 없습니다.", "At most 2000 characters."),
            "invalid_template": t("쓸 수 없는 문자가 있습니다.", "It contains a character that is not allowed."),
            "invalid_url": t("http:// 또는 https://로 시작하는 공백 없는 주소를 입력하세요.", "Enter an http:// or https:// address without spaces."),
            "url_too_long": t("2000자를 넘을 수 없습니다.", "At most 2000 characters."),
            "invalid_site_uid": t("site_uid를 입력하세요.", "Enter a site_uid."),
            "too_long": t("site_uid는 255자까지입니다.", "A site_uid has at most 255 characters.")
        }
    })
}

/// What a logged-in agent who is not the admin sees on an admin page.
#[derive(Debug, Template)]
#[template(path = "admin_forbidden.html")]
struct AdminForbidden<'a> {
    lang: Lang,
    reason: &'a str,
    agent_name: &'a str,
}

/// Who gets an admin page: the admin (`Ok(Ok(admin))`); without a login, the login page coming
/// back to `path`; anyone else logged in, a 403 page saying `reason` (`Ok(Err(response))`).
pub(crate) fn admin_page_access(
    auth: Result<AuthAgent, ApiError>,
    lang: Lang,
    path: &str,
    reason: &str,
) -> Result<Result<AgentRecord, Response>, ApiError> {
    let agent = match auth {
        Ok(AuthAgent(agent)) => agent,
        Err(ApiError::Unauthorized) => {
            let next = path.replace('/', "%2F");
            return Ok(Err(
                Redirect::to(&format!("/login?next={next}")).into_response()
            ));
        }
        Err(e) => return Err(e),
    };
    if agent.role == Role::Admin {
        return Ok(Ok(agent));
    }
    let mut res = page(
        &AdminForbidden {
            lang,
            reason,
            agent_name: &agent.display_name,
        },
        lang,
    )?;
    *res.status_mut() = StatusCode::FORBIDDEN;
    Ok(Err(res))
}

#[derive(Debug, Template)]
#[template(path = "admin_parameters.html")]
pub struct ParametersPage {
    pub lang: Lang,
    pub site_name: String,
    pub agent_name: String,
    pub fixed: Vec<FixedRow>,
    pub slots: Vec<SlotRow>,
    pub max_description: usize,
    pub chat: Vec<ChatRow>,
    pub snippet: String,
    pub kakao_base: String,
    pub naver_base: String,
    pub require_verified: bool,
    pub sentinels: String,
    pub template: String,
    pub variables: Vec<VarRow>,
    pub texts: String,
}

impl ParametersPage {
    fn empty(lang: Lang) -> Self {
        ParametersPage {
            lang,
            site_name: String::new(),
            agent_name: String::new(),
            fixed: Vec::new(),
            slots: Vec::new(),
            max_description: MAX_DESCRIPTION_CHARS,
            chat: Vec::new(),
            snippet: String::new(),
            kakao_base: String::new(),
            naver_base: String::new(),
            require_verified: false,
            sentinels: String::new(),
            template: String::new(),
            variables: Vec::new(),
            texts: script_texts(lang).to_string(),
        }
    }
}

/// `GET /admin/parameters`: the admin's parameter management page. Without a login: to the
/// login page; a logged-in non-admin: 403 with a page that says why.
pub async fn parameters_page(
    State(st): State<AppState>,
    lang: Lang,
    headers: HeaderMap,
    auth: Result<AuthAgent, ApiError>,
) -> Result<Response, ApiError> {
    let agent = match admin_page_access(
        auth,
        lang,
        "/admin/parameters",
        lang.pick(
            "파라미터 관리는 사이트 관리자만 할 수 있습니다.",
            "Only the site's admin manages parameters.",
        ),
    )? {
        Ok(admin) => admin,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let site = st.store.site(agent.site_id).await?;
    let urls = st.store.channel_urls(agent.site_id).await?;
    let origin = origin(&headers);
    let chat = chat_urls_for(&site, &urls, &origin);
    let mut p = ParametersPage::empty(lang);
    p.site_name = site.name.clone();
    p.agent_name = agent.display_name;
    p.fixed = fixed_rows(lang);
    p.slots = inflow::Slot::all()
        .map(|slot| {
            let s = site.settings.slot(slot);
            SlotRow {
                number: slot.number().into(),
                name: slot.name(),
                enabled: s.enabled,
                description: s.description.clone(),
            }
        })
        .collect();
    p.chat = chat_rows(&chat, lang);
    p.snippet = snippet_for(&site, &origin);
    p.kakao_base = urls.kakao.clone().unwrap_or_default();
    p.naver_base = urls.naver.clone().unwrap_or_default();
    p.require_verified = site.require_verified_uid;
    p.sentinels = site.settings.sentinels.join("\n");
    p.template = site.info_url_template.clone().unwrap_or_default();
    p.variables = var_rows(&site.settings);
    page(&p, lang)
}
