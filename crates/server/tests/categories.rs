//! Consultation categories (R3.2) over the API, on both databases: the admin builds the tree
//! (and is refused what the rules refuse, changing nothing); inflows over web chat, Kakao and
//! Naver classify their consultations as the rules say, with a warning agents read in the
//! consultation's inflows; the site's title message opens each consultation, in the chat window
//! and to the messengers; agents change a consultation's category and sub-label.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use std::time::Duration;

use common::{
    TestApp, WAIT, fixture, has_warning, kakao_request, naver_user, newest_on, skill_texts,
};
use protocol::naver::testing::FakeNaver;
use reqwest::Method;
use serde_json::{Value, json};
use server::Config;
use store::Role;

both!(
    the_admin_builds_the_tree,
    refused_changes_change_nothing,
    web_chat_inflows_classify_as_the_rules_say,
    a_kakao_skill_request_is_classified_and_gets_the_title,
    a_waiting_kakao_user_reads_the_title_then_their_place,
    the_title_message_opens_each_consultation,
    title_templates_are_checked_when_saved,
    agents_reclassify_and_label_their_consultations,
);

fn id(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an id: {v}"))
}

/// The tree as the admin reads it: `(name, used, default, [(division, used)])` in order.
async fn tree(app: &TestApp) -> Vec<(String, bool, bool, Vec<(String, bool)>)> {
    let t = app.get("/api/v1/site/categories").await.ok();
    t["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_owned(),
                c["used"].as_bool().unwrap(),
                c["is_default"].as_bool().unwrap(),
                c["divisions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|d| {
                        (
                            d["name"].as_str().unwrap().to_owned(),
                            d["used"].as_bool().unwrap(),
                        )
                    })
                    .collect(),
            )
        })
        .collect()
}

async fn add(app: &TestApp, name: &str, parent: Option<i64>) -> i64 {
    let body = match parent {
        Some(p) => json!({"name": name, "parent_id": p}),
        None => json!({"name": name}),
    };
    let resp = app.post("/api/v1/site/categories", &body).await;
    assert_eq!(resp.status, 201, "{}", resp.body);
    id(&resp.body["id"])
}

async fn patch(app: &TestApp, node: i64, body: Value) -> common::Resp {
    app.patch(&format!("/api/v1/site/categories/{node}"), &body)
        .await
}

/// The ids of a tree most tests use: 상품문의 (default) with 일반상담 and 교환반품 (unused),
/// 배송문의 with 배송지연, 이벤트 (unused) with 지난행사 (unused with it).
#[derive(Debug, Clone, Copy)]
struct Ids {
    goods: i64,
    general: i64,
    returns: i64,
    delivery: i64,
    late: i64,
    event: i64,
    past: i64,
}

async fn build(app: &TestApp) -> Ids {
    let goods = add(app, "상품문의", None).await;
    let delivery = add(app, "배송문의", None).await;
    let event = add(app, "이벤트", None).await;
    let general = add(app, "일반상담", Some(goods)).await;
    let returns = add(app, "교환반품", Some(goods)).await;
    let late = add(app, "배송지연", Some(delivery)).await;
    let past = add(app, "지난행사", Some(event)).await;
    patch(app, goods, json!({"default": true})).await.ok();
    patch(app, returns, json!({"used": false})).await.ok();
    // Off, with its division.
    patch(app, event, json!({"used": false})).await.ok();
    Ids {
        goods,
        general,
        returns,
        delivery,
        late,
        event,
        past,
    }
}

fn s(x: &str) -> String {
    x.to_owned()
}

async fn the_admin_builds_the_tree(app: TestApp) {
    assert!(tree(&app).await.is_empty(), "a new site has no categories");
    let ids = build(&app).await;
    assert_eq!(
        tree(&app).await,
        [
            (
                s("상품문의"),
                true,
                true,
                vec![(s("일반상담"), true), (s("교환반품"), false)]
            ),
            (s("배송문의"), true, false, vec![(s("배송지연"), true)]),
            (s("이벤트"), false, false, vec![(s("지난행사"), false)]),
        ]
    );

    // Reorder: the last category first, a division up; the others close up.
    let moved = app
        .post(
            &format!("/api/v1/site/categories/{}/move", ids.event),
            &json!({"position": 0}),
        )
        .await
        .ok();
    let names: Vec<_> = moved["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap(), c["position"].as_i64().unwrap()))
        .collect();
    assert_eq!(names, [("이벤트", 0), ("상품문의", 1), ("배송문의", 2)]);
    // JSON Schema's integers: 1.0 is 1.
    app.post(
        &format!("/api/v1/site/categories/{}/move", ids.returns),
        &json!({"position": 0.0}),
    )
    .await
    .ok();

    // Rename; switch a category off (its divisions go with it) and on again (they stay off).
    patch(&app, ids.delivery, json!({"name": " 배송 "}))
        .await
        .ok();
    patch(&app, ids.delivery, json!({"used": false})).await.ok();
    patch(&app, ids.delivery, json!({"used": true})).await.ok();
    // The default moves to another used category in one request.
    patch(&app, ids.delivery, json!({"default": true}))
        .await
        .ok();
    assert_eq!(
        tree(&app).await,
        [
            (s("이벤트"), false, false, vec![(s("지난행사"), false)]),
            (
                s("상품문의"),
                true,
                false,
                vec![(s("교환반품"), false), (s("일반상담"), true)]
            ),
            (s("배송"), true, true, vec![(s("배송지연"), false)]),
        ]
    );
    // Given up and switched off in one request; then no default at all.
    patch(&app, ids.delivery, json!({"default": false, "used": false}))
        .await
        .ok();
    assert!(tree(&app).await.iter().all(|(_, _, default, _)| !default));

    // Agents read the same tree (to classify with).
    let (_, agent) = app.agent("reader", Role::Agent).await;
    let theirs = app
        .request(Method::GET, "/api/v1/categories", Some(&agent), None)
        .await
        .ok();
    let admins = app.get("/api/v1/site/categories").await.ok();
    assert_eq!(theirs, admins);
    assert_eq!(
        admins["limits"],
        json!({"name_chars": 15, "sub_label_chars": 8})
    );
    // Nothing was deleted: the general division still has its id.
    let general = &admins["categories"][1]["divisions"][1];
    assert_eq!(id(&general["id"]), ids.general);
    assert_eq!(id(&general["category_id"]), ids.goods);
}

async fn refused_changes_change_nothing(app: TestApp) {
    let ids = build(&app).await;
    let other = app.other_site("다른 회사").await;
    let before = app.get("/api/v1/site/categories").await.ok();
    let refused = |resp: common::Resp, status: u16, code: &str, field: Option<&str>| {
        let e = resp.err(status, code);
        if let Some(field) = field {
            assert_eq!(e["details"]["field"], field, "{e}");
        }
    };
    let post = |body: Value| {
        let app = &app;
        async move { app.post("/api/v1/site/categories", &body).await }
    };
    // Names: at most 15 characters (a Hangul syllable is one), not blank, unique among siblings.
    refused(
        post(json!({"name": "가".repeat(16)})).await,
        422,
        "category_name_too_long",
        Some("name"),
    );
    refused(
        post(json!({"name": "  "})).await,
        422,
        "invalid_category_name",
        Some("name"),
    );
    refused(
        post(json!({"name": "상품문의"})).await,
        422,
        "duplicate_category_name",
        Some("name"),
    );
    refused(
        post(json!({"name": "일반상담", "parent_id": ids.goods})).await,
        422,
        "duplicate_category_name",
        Some("name"),
    );
    // Parents: a used category of this site.
    refused(
        post(json!({"name": "새행사", "parent_id": ids.event})).await,
        422,
        "category_unused",
        Some("parent_id"),
    );
    refused(
        post(json!({"name": "세부", "parent_id": ids.general})).await,
        422,
        "not_a_category",
        Some("parent_id"),
    );
    refused(
        post(json!({"name": "세부", "parent_id": 999_999})).await,
        422,
        "unknown_category",
        Some("parent_id"),
    );
    refused(
        post(json!({"name": "세부", "parent_id": 1.5})).await,
        422,
        "invalid_field",
        Some("parent_id"),
    );
    let theirs = app
        .request(
            Method::POST,
            "/api/v1/site/categories",
            Some(&other.api_token),
            Some(&json!({"name": "그쪽"})),
        )
        .await;
    let theirs = id(&theirs.ok()["id"]);
    refused(
        post(json!({"name": "세부", "parent_id": theirs})).await,
        422,
        "unknown_category",
        Some("parent_id"),
    );
    refused(post(json!({"title": "x"})).await, 400, "bad_request", None);
    // Switching and the default.
    // A division comes on only under a category in use.
    refused(
        patch(&app, ids.past, json!({"used": true})).await,
        422,
        "category_unused",
        Some("used"),
    );
    refused(
        patch(&app, ids.goods, json!({"used": false})).await,
        422,
        "category_is_default",
        Some("used"),
    );
    refused(
        patch(&app, ids.event, json!({"default": true})).await,
        422,
        "category_unused",
        Some("default"),
    );
    refused(
        patch(&app, ids.general, json!({"default": true})).await,
        422,
        "not_a_category",
        Some("default"),
    );
    refused(
        patch(&app, ids.delivery, json!({"name": "상품문의"})).await,
        422,
        "duplicate_category_name",
        Some("name"),
    );
    refused(
        app.post(
            &format!("/api/v1/site/categories/{}/move", ids.goods),
            &json!({"position": 3}),
        )
        .await,
        422,
        "invalid_position",
        Some("position"),
    );
    // Another site's node, or none at all, is not found.
    refused(
        patch(&app, theirs, json!({"name": "x"})).await,
        404,
        "not_found",
        None,
    );
    refused(
        patch(&app, 999_999, json!({"name": "x"})).await,
        404,
        "not_found",
        None,
    );
    // Only the admin changes the tree.
    for role in [Role::Manager, Role::Agent] {
        let (_, token) = app
            .agent(&format!("not-admin-{}", role.as_str()), role)
            .await;
        for (method, path, body) in [
            (
                Method::POST,
                s("/api/v1/site/categories"),
                json!({"name": "새분류"}),
            ),
            (
                Method::PATCH,
                format!("/api/v1/site/categories/{}", ids.delivery),
                json!({"name": "바꿈"}),
            ),
            (
                Method::POST,
                format!("/api/v1/site/categories/{}/move", ids.delivery),
                json!({"position": 0}),
            ),
            (Method::GET, s("/api/v1/site/categories"), Value::Null),
        ] {
            let body = (!body.is_null()).then_some(body);
            app.request(method, &path, Some(&token), body.as_ref())
                .await
                .err(403, "forbidden");
        }
    }
    assert_eq!(app.get("/api/v1/site/categories").await.ok(), before);
}

/// A web chat customer arriving with `params` (v2 syntax) who writes once; their
/// consultation as an agent reads it.
async fn arrive(app: &TestApp, params: &str) -> Value {
    let v = app
        .open_session(&json!({"channel": "webchat_v2", "url": app.v2_url(params)}))
        .await
        .ok();
    assert!(
        v["consultation_id"].is_null(),
        "opening the chat opens nothing"
    );
    let visitor = v["visitor"].as_str().unwrap();
    let m = app.say(visitor, "문의드립니다").await.ok();
    app.consultation(id(&m["consultation_id"])).await
}

/// What a consultation came to: (category, division, the warnings of its inflow).
type Classified = (Option<i64>, Option<i64>, Value);

fn classified(c: &Value) -> Classified {
    (
        c["consultation"]["category_id"].as_i64(),
        c["consultation"]["division_id"].as_i64(),
        c["inflows"][0]["warnings"].clone(),
    )
}

async fn web_chat_inflows_classify_as_the_rules_say(app: TestApp) {
    let mut app = app;
    app.reconfigure(Config {
        webchat_per_minute: 1_000_000,
        sessions_per_minute: 1_000_000,
        ..Config::default()
    })
    .await;
    let i = build(&app).await;
    // (params, category, division, the one warning as (param, code))
    type Case = (
        String,
        Option<i64>,
        Option<i64>,
        Option<(&'static str, &'static str)>,
    );
    let cases: Vec<Case> = vec![
        // A used category and a used division of it.
        (
            format!("category_id={},division_id={}", i.goods, i.general),
            Some(i.goods),
            Some(i.general),
            None,
        ),
        // Web chat v2 spells them categoryID / divisionID too.
        (
            format!("categoryID=('{}'),divisionID=('{}')", i.delivery, i.late),
            Some(i.delivery),
            Some(i.late),
            None,
        ),
        // Nothing: the default category, no warning.
        (String::new(), Some(i.goods), None, None),
        // A division alone: its own category.
        (
            format!("division_id={}", i.late),
            Some(i.delivery),
            Some(i.late),
            None,
        ),
        // A division that is unused, of another category, unknown: the category alone.
        (
            format!("category_id={},division_id={}", i.goods, i.returns),
            Some(i.goods),
            None,
            Some(("division_id", "unused")),
        ),
        (
            format!("category_id={},division_id={}", i.goods, i.late),
            Some(i.goods),
            None,
            Some(("division_id", "mismatch")),
        ),
        (
            format!("category_id={},division_id=424242", i.delivery),
            Some(i.delivery),
            None,
            Some(("division_id", "unknown")),
        ),
        // An unknown or unused category: the default category.
        (
            "category_id=424242".into(),
            Some(i.goods),
            None,
            Some(("category_id", "unknown")),
        ),
        (
            format!("category_id={},division_id={}", i.event, i.general),
            Some(i.goods),
            None,
            Some(("category_id", "unused")),
        ),
        // A division's id given as the category.
        (
            format!("category_id={}", i.late),
            Some(i.goods),
            None,
            Some(("category_id", "unknown")),
        ),
    ];
    for (params, category, division, warning) in cases {
        let c = arrive(&app, &params).await;
        let (got_category, got_division, warnings) = classified(&c);
        assert_eq!(
            (got_category, got_division),
            (category, division),
            "{params}"
        );
        let ours: Vec<_> = warnings
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| w["param"] == "category_id" || w["param"] == "division_id")
            .map(|w| {
                (
                    w["param"].as_str().unwrap().to_owned(),
                    w["code"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let want: Vec<_> = warning
            .iter()
            .map(|(p, c)| ((*p).to_owned(), (*c).to_owned()))
            .collect();
        assert_eq!(ours, want, "{params}: {warnings}");
        if warning.is_some() {
            // A sentence for the agent, saying what the consultation got instead.
            let detail = warnings[0]["detail"].as_str().unwrap_or_default();
            assert!(
                detail.contains("상품문의") || detail.contains("alone"),
                "{detail}"
            );
        }
    }

    // An explicit start classifies the same way; an inflow joining the open consultation
    // changes it only with ids of its own that choose a category.
    let s = app
        .chat(&app.v2_url(&format!("category_id={}", i.delivery)))
        .await;
    let c = app.consultation(s.consultation).await;
    assert_eq!(classified(&c).0, Some(i.delivery));
    let again = app
        .chat_as(
            "webchat_v2",
            &app.v2_url("category_id=424242"),
            Some(&s.visitor),
        )
        .await;
    assert_eq!(again.consultation, s.consultation);
    let c = app.consultation(s.consultation).await;
    assert_eq!(
        classified(&c).0,
        Some(i.delivery),
        "a fallback changes nothing"
    );
    assert!(has_warning(
        &c["inflows"][1]["warnings"],
        "category_id",
        "unknown"
    ));
    app.chat_as(
        "webchat_v2",
        &app.v2_url(&format!(
            "category_id={},division_id={}",
            i.goods, i.general
        )),
        Some(&s.visitor),
    )
    .await;
    let c = app.consultation(s.consultation).await;
    assert_eq!(
        (classified(&c).0, classified(&c).1),
        (Some(i.goods), Some(i.general))
    );

    // The room view (the console's panel) shows the same.
    let room = app.room(id(&c["consultation"]["room_id"])).await;
    assert_eq!(room["consultations"][0]["category_id"], i.goods);
    assert_eq!(room["consultations"][0]["sub_label"], Value::Null);
}

async fn set_title(app: &TestApp, template: &str) {
    app.put(
        "/api/v1/site/settings",
        &json!({"title_template": template}),
    )
    .await
    .ok();
}

const TITLE: &str = "[[category_name]/[division_name]] 상담이 접수되었습니다";

async fn a_kakao_skill_request_is_classified_and_gets_the_title(app: TestApp) {
    let i = build(&app).await;
    set_title(&app, TITLE).await;
    let req = kakao_request(
        "kakao-cat-1",
        "환불 문의합니다",
        json!({"category_id": i.goods.to_string(), "division_id": i.general.to_string()}),
    );
    // The title goes out with the very skill response that opened the consultation, and the
    // customer's place after it (manual mode: it waits).
    let texts = skill_texts(&app.kakao(&req).await.ok());
    assert_eq!(
        texts,
        [
            "[상품문의/일반상담] 상담이 접수되었습니다",
            "상담원 연결을 기다리고 있습니다. 잠시만 기다려 주세요. 대기 순번은 1번째입니다."
        ]
    );
    let c = newest_on(&app, "kakao").await;
    assert_eq!(
        (c["category_id"].as_i64(), c["division_id"].as_i64()),
        (Some(i.goods), Some(i.general))
    );
    let detail = app.consultation(id(&c["id"])).await;
    let messages: Vec<_> = detail["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["sender"].as_str().unwrap().to_owned(),
                m["body"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        messages,
        [
            (s("system"), s("[상품문의/일반상담] 상담이 접수되었습니다")),
            (s("customer"), s("환불 문의합니다")),
        ]
    );
    // Sent once: the next request answers with the acknowledgement only.
    let next = kakao_request("kakao-cat-1", "여보세요", json!({}));
    let texts = skill_texts(&app.kakao(&next).await.ok());
    assert!(
        !texts.iter().any(|t| t.contains("접수되었습니다")),
        "{texts:?}"
    );

    // An unused category: the default one, and the warning in the consultation's inflow.
    let req = kakao_request(
        "kakao-cat-2",
        "문의",
        json!({"category_id": i.event.to_string()}),
    );
    let texts = skill_texts(&app.kakao(&req).await.ok());
    assert_eq!(texts[0], "[상품문의/] 상담이 접수되었습니다");
    assert!(texts[1].ends_with("대기 순번은 2번째입니다."), "{texts:?}");
    let c = newest_on(&app, "kakao").await;
    assert_eq!(c["category_id"], i.goods);
    let detail = app.consultation(id(&c["id"])).await;
    assert!(
        has_warning(&detail["inflows"][0]["warnings"], "category_id", "unused"),
        "{}",
        detail["inflows"]
    );
}

/// A KakaoTalk user arriving through a skill request shaped as Open Builder sends it (the
/// fixture's, with the bot's parameters carrying a category) reads the title message first and
/// then their place in the queue, in one answer; the next answer has their place alone.
async fn a_waiting_kakao_user_reads_the_title_then_their_place(app: TestApp) {
    let i = build(&app).await;
    set_title(&app, "[[category_name]] 상담이 접수되었습니다").await;
    // Someone is waiting already.
    app.chat(&app.v2_url("")).await;
    let all = fixture("kakao/kakao_chatbot_templates_requests.json");
    let mut request = all.values().next().unwrap().clone();
    request["action"]["params"] = json!({"category_id": i.delivery.to_string()});
    let waiting = "상담원 연결을 기다리고 있습니다. 잠시만 기다려 주세요. 대기 순번은 2번째입니다.";

    let texts = skill_texts(&app.kakao(&request).await.ok());
    assert_eq!(texts, ["[배송문의] 상담이 접수되었습니다", waiting]);
    let c = newest_on(&app, "kakao").await;
    assert_eq!(c["category_id"], i.delivery);
    assert_eq!(c["state"], "waiting");

    // Writing again: the title went out once; the place is said again.
    request["userRequest"]["utterance"] = json!("아직인가요?");
    let texts = skill_texts(&app.kakao(&request).await.ok());
    assert_eq!(texts, [waiting]);

    // Once an agent has it, the next answer carries the greeting, without a place; the one
    // after, with nothing waiting, answers later through the request's callback (the fixture
    // carries one) and says meanwhile that the message was passed on.
    app.request(
        Method::POST,
        &format!("/api/v1/consultations/{}/take", id(&c["id"])),
        Some(&app.token),
        None,
    )
    .await
    .ok();
    request["userRequest"]["utterance"] = json!("감사합니다");
    let texts = skill_texts(&app.kakao(&request).await.ok());
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(common::is_greeting(&texts[0]), "{texts:?}");
    request["userRequest"]["utterance"] = json!("네");
    let later = app.kakao(&request).await.ok();
    assert_eq!(later["useCallback"], true, "{later}");
    assert_eq!(later["data"]["text"], "메시지가 상담원에게 전달되었습니다.");
}

async fn the_title_message_opens_each_consultation(app: TestApp) {
    let i = build(&app).await;
    // Without a template, no title message.
    let c = arrive(&app, "").await;
    assert_eq!(common::bodies(&c["messages"]), ["문의드립니다"]);

    set_title(
        &app,
        "[cus_extra_username]님, [[category_name]/[division_name]] 상담이 접수되었습니다",
    )
    .await;
    let params = format!(
        "cus_extra_username=('{}'),category_id={},division_id={}",
        common::enc("홍길동"),
        i.delivery,
        i.late
    );
    let v = app
        .open_session(&json!({"channel": "webchat_v2", "url": app.v2_url(&params)}))
        .await
        .ok();
    let visitor = v["visitor"].as_str().unwrap();
    let title = "홍길동님, [배송문의/배송지연] 상담이 접수되었습니다";
    // Opening the chat sends nothing: no consultation yet.
    assert!(app.chat_bodies(visitor).await.is_empty());
    let m = app.say(visitor, "언제 오나요?").await.ok();
    // The chat window shows the title, then the customer's message.
    assert_eq!(app.chat_bodies(visitor).await, [title, "언제 오나요?"]);
    let detail = app.consultation(id(&m["consultation_id"])).await;
    assert_eq!(detail["messages"][0]["sender"], "system");
    assert_eq!(detail["messages"][0]["body"], title);
    // Once per consultation: the next message brings none.
    app.say(visitor, "빨리요").await.ok();
    assert_eq!(
        app.chat_bodies(visitor).await,
        [title, "언제 오나요?", "빨리요"]
    );

    // A console watching the room receives it live, like any message.
    let cookie = common::login_cookie(&app).await;
    let mut console = app.ws("/api/v1/console/ws", &[("cookie", &cookie)]).await;
    console.until(WAIT, |f| f["type"] == "hello").await;
    let s = app.chat(&app.v2_url("")).await;
    let frame = console
        .until(WAIT, |f| {
            f["type"] == "message" && f["message"]["room_id"] == s.room
        })
        .await;
    assert_eq!(frame["message"]["sender"], "system");
    assert_eq!(
        frame["message"]["body"],
        "님, [상품문의/] 상담이 접수되었습니다"
    );

    // To a Naver user, through the outbox, as an agent's reply goes.
    let fake = FakeNaver::start("naver-title-key").await;
    let mut app = app;
    app.reconfigure(Config {
        naver: Some((fake.url(), "naver-title-key".to_owned())),
        ..Config::default()
    })
    .await;
    set_title(&app, TITLE).await;
    let user = naver_user("title");
    app.naver(&json!({"event": "open", "user": user,
        "options": {"inflow": "button", "from": format!("category_id={}", i.goods)}}))
        .await
        .ok();
    // What reached Naver but the queue-position notices Sangdam sends a waiting customer.
    let sent = || {
        fake.received()
            .into_iter()
            .filter(|e| {
                !e["textContent"]["text"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("대기 순번"))
            })
            .collect::<Vec<_>>()
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while sent().is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "the title did not reach Naver"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(
        sent(),
        [json!({"event": "send", "user": user,
            "textContent": {"text": "[상품문의/] 상담이 접수되었습니다"}})]
    );

    // Switched off again: no title message.
    app.put("/api/v1/site/settings", &json!({"title_template": null}))
        .await
        .ok();
    let c = arrive(&app, "").await;
    assert_eq!(common::bodies(&c["messages"]), ["문의드립니다"]);
}

async fn title_templates_are_checked_when_saved(app: TestApp) {
    let before = app.get("/api/v1/site").await.ok();
    assert_eq!(before["title_template"], Value::Null);
    assert!(
        before["title_variables"]
            .as_array()
            .unwrap()
            .contains(&json!("category_name"))
    );
    // An unknown variable, or one no customer may read, is refused and named.
    let e = app
        .put(
            "/api/v1/site/settings",
            &json!({"title_template": "[grade] [site_uid] [category_name] 접수"}),
        )
        .await
        .err(422, "invalid_settings");
    let errors = &e["details"]["errors"];
    assert_eq!(errors[0]["field"], "title_template");
    assert_eq!(errors[0]["code"], "unknown_template_variable");
    assert_eq!(errors[0]["values"], json!(["grade", "site_uid"]));
    let e = app
        .put(
            "/api/v1/site/settings",
            &json!({"title_template": "가".repeat(501)}),
        )
        .await
        .err(422, "invalid_settings");
    assert_eq!(e["details"]["errors"][0]["code"], "template_too_long");
    assert_eq!(app.get("/api/v1/site").await.ok(), before, "nothing saved");

    // Saved trimmed, line breaks kept; the other settings untouched.
    let saved = app
        .put(
            "/api/v1/site/settings",
            &json!({"title_template": " [[category_name]] 접수\r\n잠시만 기다려 주세요 "}),
        )
        .await
        .ok();
    assert_eq!(
        saved["title_template"],
        "[[category_name]] 접수\n잠시만 기다려 주세요"
    );
    assert_eq!(saved["settings"], before["settings"]);
    let saved = app
        .put("/api/v1/site/settings", &json!({"title_template": "  "}))
        .await
        .ok();
    assert_eq!(saved["title_template"], Value::Null);
}

async fn agents_reclassify_and_label_their_consultations(app: TestApp) {
    let i = build(&app).await;
    let (holder_id, holder) = app.agent("classifier", Role::Agent).await;
    let (_, other) = app.agent("other-agent", Role::Agent).await;
    let url = app.v2_url(&format!("category_id={}", i.goods));
    let v = app
        .open_session(&json!({"channel": "webchat_v2", "url": url}))
        .await
        .ok();
    let visitor = v["visitor"].as_str().unwrap().to_owned();
    let m = app.say(&visitor, "문의드립니다").await.ok();
    let cid = id(&m["consultation_id"]);
    let path = format!("/api/v1/consultations/{cid}/category");
    let call = |token: &str, body: Value| {
        let (app, path, token) = (&app, path.clone(), token.to_owned());
        async move {
            app.request(Method::PUT, &path, Some(&token), Some(&body))
                .await
        }
    };
    // Waiting in the queue: take it first.
    call(&holder, json!({"category_id": i.delivery}))
        .await
        .err(403, "forbidden");
    app.request(
        Method::POST,
        &format!("/api/v1/consultations/{cid}/take"),
        Some(&holder),
        None,
    )
    .await
    .ok();
    call(&other, json!({"category_id": i.delivery}))
        .await
        .err(404, "not_found");

    // The console hears of the change like any change of the consultation.
    let cookie = common::login_cookie(&app).await;
    let mut console = app.ws("/api/v1/console/ws", &[("cookie", &cookie)]).await;
    console.until(WAIT, |f| f["type"] == "hello").await;
    let done = call(
        &holder,
        json!({"category_id": i.delivery, "division_id": i.late, "sub_label": " 재문의 "}),
    )
    .await
    .ok();
    assert_eq!(done["consultation"]["category_id"], i.delivery);
    assert_eq!(done["consultation"]["division_id"], i.late);
    assert_eq!(done["consultation"]["sub_label"], "재문의");
    let frame = console
        .until(WAIT, |f| {
            f["type"] == "consultation" && f["consultation"]["id"] == cid
        })
        .await;
    assert_eq!(frame["consultation"]["sub_label"], "재문의");

    // Refusals change nothing.
    for (body, code, field) in [
        (
            json!({"category_id": i.delivery, "sub_label": "가나다라마바사아자"}),
            "sub_label_too_long",
            "sub_label",
        ),
        (
            json!({"category_id": i.event}),
            "category_unused",
            "category_id",
        ),
        (
            json!({"category_id": i.goods, "division_id": i.late}),
            "division_not_of_category",
            "division_id",
        ),
        (
            json!({"category_id": i.goods, "division_id": i.returns}),
            "category_unused",
            "division_id",
        ),
        (
            json!({"category_id": 424_242}),
            "unknown_category",
            "category_id",
        ),
        (json!({"category_id": 0}), "invalid_field", "category_id"),
    ] {
        let e = call(&holder, body.clone()).await.err(422, code);
        assert_eq!(e["details"]["field"], field, "{body}");
    }
    let detail = app.consultation(cid).await;
    assert_eq!(detail["consultation"]["sub_label"], "재문의");
    assert_eq!(detail["consultation"]["division_id"], i.late);

    // The customer reloads the chat page with the URL that carried the first category: the
    // agent's classification stands.
    let again = app.chat_as("webchat_v2", &url, Some(&visitor)).await;
    assert_eq!(again.consultation, cid);
    let detail = app.consultation(cid).await;
    assert_eq!(detail["inflows"].as_array().map(Vec::len), Some(2));
    assert_eq!(detail["consultation"]["category_id"], i.delivery);

    // A division alone brings its category; clearing everything leaves none. Each change is
    // recorded with who made it.
    call(&holder, json!({"division_id": i.general})).await.ok();
    let detail = app.consultation(cid).await;
    assert_eq!(detail["consultation"]["category_id"], i.goods);
    assert_eq!(detail["consultation"]["sub_label"], Value::Null);
    call(&holder, json!({})).await.ok();
    let detail = app.consultation(cid).await;
    assert_eq!(detail["consultation"]["category_id"], Value::Null);
    let log: Vec<_> = detail["classifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["agent_id"].as_i64(),
                c["category_id"].as_i64(),
                c["sub_label"].clone(),
            )
        })
        .collect();
    assert_eq!(
        log,
        [
            (Some(holder_id), Some(i.delivery), json!("재문의")),
            (Some(holder_id), Some(i.goods), Value::Null),
            (Some(holder_id), None, Value::Null),
        ]
    );

    // Closed, it can still be classified (reports read it); the consultation-info link
    // names the category.
    call(
        &holder,
        json!({"category_id": i.delivery, "sub_label": "완료"}),
    )
    .await
    .ok();
    app.request(
        Method::POST,
        &format!("/api/v1/consultations/{cid}/close"),
        Some(&holder),
        None,
    )
    .await
    .ok();
    patch(&app, i.delivery, json!({"used": false})).await.ok();
    // Its category is off now, and stays allowed for it.
    call(
        &holder,
        json!({"category_id": i.delivery, "sub_label": "재확인"}),
    )
    .await
    .ok();
    app.put(
        "/api/v1/site/settings",
        &json!({"info_url_template": "https://crm.example.com/v?c=[category_name]&s=[consultation_id]"}),
    )
    .await
    .ok();
    let room = app.room(id(&detail["consultation"]["room_id"])).await;
    assert_eq!(
        room["info_url"],
        format!(
            "https://crm.example.com/v?c={}&s={cid}",
            common::enc("배송문의")
        )
    );
}
