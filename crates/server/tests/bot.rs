//! The chatbot: the admin's bot (settings, blocks, knowledge base, import and export, the test
//! console) with every limit named; a consultation that starts with the bot on the web chat,
//! KakaoTalk and TalkTalk, the handoff to agents with its reason and the bot silent after it;
//! outside skill servers that answer, time out or answer garbage.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use std::time::Duration;

use common::{TestApp, kakao_request, naver_user, newest_on};
use protocol::naver::testing::FakeNaver;
use reqwest::Method;
use serde_json::{Value, json};
use server::Config;
use store::Role;

both!(
    the_admin_keeps_the_bot_and_every_limit_is_named,
    a_web_chat_visitor_talks_with_the_bot_then_an_agent,
    buttons_reach_their_block_or_an_agent,
    bot_start_is_not_heard_while_the_bot_is_off,
    skill_servers_answer_time_out_or_answer_garbage,
    the_bot_answers_on_kakao_and_hands_off,
    the_bot_answers_on_naver_with_cards_and_codes,
    the_knowledge_base_imports_and_exports,
);

const WELCOME: &str = "안녕하세요! 무엇을 도와드릴까요?";
const FALLBACK: &str = "죄송해요, 잘 이해하지 못했어요. 다른 말로 다시 물어봐 주세요.";
const HANDED_OFF: &str = "상담원에게 연결해 드릴게요. 잠시만 기다려 주세요.";

fn text(t: &str) -> Value {
    json!({"outputs": [{"simpleText": {"text": t}}]})
}

async fn turn_on(app: &TestApp, extra: Value) -> Value {
    let bot = app.get("/api/v1/bot").await.ok();
    let mut settings = json!({
        "enabled": true, "bot_first": false,
        "min_accuracy": bot["default_min_accuracy"], "fallbacks_before_offer": 2,
        "handoff_label": "상담원 연결",
    });
    for (k, v) in extra.as_object().cloned().unwrap_or_default() {
        settings[k] = v;
    }
    app.put("/api/v1/bot/settings", &settings).await.ok()
}

async fn add_block(app: &TestApp, body: Value) -> i64 {
    let b = app.post("/api/v1/bot/blocks", &body).await;
    assert_eq!(b.status, 201, "{}", b.body);
    b.body["id"].as_i64().unwrap()
}

async fn add_entry(app: &TestApp, questions: &[&str], answer: &str) -> i64 {
    let e = app
        .post(
            "/api/v1/bot/knowledge",
            &json!({"questions": questions, "answer": answer, "category": "주문"}),
        )
        .await;
    assert_eq!(e.status, 201, "{}", e.body);
    e.body["id"].as_i64().unwrap()
}

/// A shop's bot: 배송 (keyword), a help card with an operator button, the refund entry.
async fn shop_bot(app: &TestApp) -> (i64, i64) {
    turn_on(app, json!({})).await;
    let ship = add_block(
        app,
        json!({"name": "배송 안내", "keywords": ["배송조회"], "utterances": ["택배 언제 와요"],
               "response": text("배송은 2~3일 걸립니다.")}),
    )
    .await;
    let help = add_block(
        app,
        json!({"name": "도움말", "keywords": ["도움말"],
               "response": {"outputs": [{"basicCard": {
                   "title": "무엇을 도와드릴까요?", "description": "아래에서 골라 주세요",
                   "thumbnail": {"imageUrl": "https://shop.example/help.png"},
                   "buttons": [{"label": "상담원 연결", "action": "operator"},
                               {"label": "배송 안내", "action": "block", "blockId": ship.to_string()}]}}],
                 "quickReplies": [{"label": "배송", "action": "block", "blockId": ship.to_string()}]}}),
    )
    .await;
    add_entry(
        app,
        &["환불하고 싶어요", "환불 어떻게 하나요"],
        "마이페이지 > 주문내역에서 환불을 신청하세요.",
    )
    .await;
    (ship, help)
}

/// The consultation's messages as (sender, body).
async fn said(app: &TestApp, consultation: i64) -> Vec<(String, String)> {
    app.consultation(consultation).await["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["sender"].as_str().unwrap().to_owned(),
                m["body"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn bot_says(app: &TestApp, consultation: i64) -> Vec<String> {
    said(app, consultation)
        .await
        .into_iter()
        .filter(|(s, _)| s == "bot")
        .map(|(_, b)| b)
        .collect()
}

async fn the_admin_keeps_the_bot_and_every_limit_is_named(app: TestApp) {
    // Set up on first reading: off, a welcome and a fallback block.
    let bot = app.get("/api/v1/bot").await.ok();
    assert_eq!(bot["settings"]["enabled"], false);
    let kinds: Vec<&str> = bot["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["welcome", "fallback"]);
    assert!((0..=100).contains(&bot["default_min_accuracy"].as_i64().unwrap()));
    // Only the admin.
    let (_, agent) = app.agent("bot-agent", Role::Agent).await;
    app.request(Method::GET, "/api/v1/bot", Some(&agent), None)
        .await
        .err(403, "forbidden");

    // Settings: each refused value named.
    let e = app
        .put(
            "/api/v1/bot/settings",
            &json!({"enabled": true, "bot_first": false, "min_accuracy": 101,
            "fallbacks_before_offer": 11, "handoff_label": "상담원과 직접 이야기할래요 지금 당장"}),
        )
        .await
        .err(422, "invalid_field");
    let fields: Vec<&str> = e["details"]["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("{e}"))
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["min_accuracy", "fallbacks_before_offer", "handoff_label"]
    );
    // The label's limit counts what is sent: padded past 14 characters it is refused, within
    // them it is kept without its outer spaces.
    let settings = |label: &str| {
        json!({"enabled": false, "bot_first": false, "min_accuracy": 75,
            "fallbacks_before_offer": 2, "handoff_label": label})
    };
    let e = app
        .put(
            "/api/v1/bot/settings",
            &settings("\u{c}    상담원 연결하기***"),
        )
        .await
        .err(422, "invalid_field");
    assert_eq!(e["details"]["errors"][0]["field"], "handoff_label", "{e}");
    let saved = app
        .put("/api/v1/bot/settings", &settings("  상담원 연결  "))
        .await
        .ok();
    assert_eq!(saved["settings"]["handoff_label"], "상담원 연결", "{saved}");

    // A block: every broken limit of Open Builder, by its path.
    let e = app
        .post("/api/v1/bot/blocks", &json!({"name": "긴 블록",
            "response": {"outputs": [{"simpleText": {"text": "가".repeat(1001)}},
                                     {"basicCard": {"title": "t".repeat(51), "thumbnail": {"imageUrl": "https://x.example/a.png"},
                                        "buttons": [{"label": "a", "action": "block", "blockId": "999999"}]}}],
                         "quickReplies": [{"label": "열네 글자를 넘는 아주 긴 라벨입니다", "action": "message", "messageText": "x"}]}}))
        .await
        .err(422, "invalid_field");
    let problems = e["details"]["errors"].as_array().unwrap();
    let fields: Vec<&str> = problems
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    for want in [
        "response.outputs[0].simpleText.text",
        "response.outputs[1].basicCard.title",
        "response.quickReplies[0].label",
        "response.outputs[1].basicCard.buttons[0].blockId",
    ] {
        assert!(fields.contains(&want), "{want} in {fields:?}");
    }
    assert!(
        problems[0]["message"].as_str().unwrap().contains("1000"),
        "{e}"
    );
    // Not a template at all: a bad request.
    app.post(
        "/api/v1/bot/blocks",
        &json!({"name": "x", "response": {"outputs": "no"}}),
    )
    .await
    .err(400, "bad_request");

    // Welcome and fallback stay; a block other blocks' buttons lead to stays until changed.
    let welcome = bot["blocks"][0]["id"].as_i64().unwrap();
    app.request(
        Method::DELETE,
        &format!("/api/v1/bot/blocks/{welcome}"),
        Some(&app.token),
        None,
    )
    .await
    .err(409, "conflict");
    let (ship, help) = shop_bot(&app).await;
    let e = app
        .request(
            Method::DELETE,
            &format!("/api/v1/bot/blocks/{ship}"),
            Some(&app.token),
            None,
        )
        .await
        .err(409, "conflict");
    assert!(e["message"].as_str().unwrap().contains("도움말"), "{e}");
    let r = app
        .request(
            Method::DELETE,
            &format!("/api/v1/bot/blocks/{help}"),
            Some(&app.token),
            None,
        )
        .await;
    assert_eq!(r.status, 204);
    let r = app
        .request(
            Method::DELETE,
            &format!("/api/v1/bot/blocks/{ship}"),
            Some(&app.token),
            None,
        )
        .await;
    assert_eq!(r.status, 204);

    // Another site's admin sees none of it.
    let other = app.other_site("다른 상점").await;
    let e = app
        .request(
            Method::PUT,
            &format!("/api/v1/bot/blocks/{welcome}"),
            Some(&other.api_token),
            Some(&json!({"name": "x", "response": text("x")})),
        )
        .await;
    assert_eq!(e.status, 404, "{}", e.body);

    // The test console: the entry first, with its accuracy, and the answer it would give.
    let t = app
        .post(
            "/api/v1/bot/test",
            &json!({"utterance": "환불은 어떻게 하나요?"}),
        )
        .await
        .ok();
    assert_eq!(t["candidates"][0]["kind"], "knowledge", "{t}");
    assert!(
        t["candidates"][0]["accuracy"].as_i64().unwrap()
            >= bot["default_min_accuracy"].as_i64().unwrap(),
        "{t}"
    );
    assert_eq!(t["outcome"]["kind"], "reply");
    assert_eq!(
        t["outcome"]["text"],
        "마이페이지 > 주문내역에서 환불을 신청하세요."
    );
    let t = app
        .post("/api/v1/bot/test", &json!({"utterance": "ㅁㄴㅇㄹ"}))
        .await
        .ok();
    assert_eq!(t["outcome"]["source"]["kind"], "fallback", "{t}");
}

async fn a_web_chat_visitor_talks_with_the_bot_then_an_agent(app: TestApp) {
    shop_bot(&app).await;
    let s = app
        .chat(&app.v2_url("site_uid=('bot1'),bot_start=('true')"))
        .await;
    let c = app.consultation(s.consultation).await;
    assert_eq!(c["consultation"]["state"], "bot");
    // Greeted before writing; the welcome block's answer carries its template.
    assert_eq!(bot_says(&app, s.consultation).await, [WELCOME]);
    let messages = app
        .get(&format!(
            "/api/v1/webchat/{}/messages?visitor={}",
            app.site, s.visitor
        ))
        .await
        .ok();
    let welcome = messages["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["sender"] == "bot")
        .unwrap()
        .clone();
    assert_eq!(welcome["rich"]["outputs"][0]["simpleText"]["text"], WELCOME);
    // Nobody's queue holds it.
    let queue = app.get("/api/v1/queue").await.ok();
    assert!(
        !queue
            .to_string()
            .contains(&format!("\"consultation_id\":{}", s.consultation)),
        "{queue}"
    );

    app.say(&s.visitor, "배송 조회 부탁해요").await.ok();
    app.say(&s.visitor, "환불하고 싶어요").await.ok();
    assert_eq!(
        bot_says(&app, s.consultation).await[1..],
        [
            "배송은 2~3일 걸립니다.",
            "마이페이지 > 주문내역에서 환불을 신청하세요."
        ]
    );
    // Not understood twice: the second time the bot offers an agent.
    app.say(&s.visitor, "ㅁㄴㅇㄹ").await.ok();
    app.say(&s.visitor, "zzzz qqqq").await.ok();
    let detail = app.consultation(s.consultation).await;
    let bots: Vec<&Value> = detail["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["sender"] == "bot")
        .collect();
    assert_eq!(bots[3]["body"], FALLBACK);
    assert_eq!(bots[3]["rich"]["quickReplies"], Value::Null);
    assert_eq!(bots[4]["rich"]["quickReplies"][0]["label"], "상담원 연결");
    // Taking the offer: the queue, with the reason; the bot says no more.
    app.say(&s.visitor, "상담원 연결").await.ok();
    let detail = app.consultation(s.consultation).await;
    assert_eq!(detail["consultation"]["state"], "waiting");
    assert_eq!(detail["handoff"], json!({"kind": "fallbacks", "in_row": 2}));
    assert!(
        said(&app, s.consultation)
            .await
            .iter()
            .any(|(s, b)| s == "system" && b == HANDED_OFF)
    );
    let before = bot_says(&app, s.consultation).await.len();
    app.say(&s.visitor, "배송조회").await.ok();
    app.say(&s.visitor, "환불하고 싶어요").await.ok();
    assert_eq!(
        bot_says(&app, s.consultation).await.len(),
        before,
        "the bot is silent once handed off"
    );
    let queue = app.get("/api/v1/queue").await.ok();
    assert!(
        queue
            .to_string()
            .contains(&format!("\"consultation_id\":{}", s.consultation)),
        "{queue}"
    );

    // An agent takes it and sees the whole bot conversation.
    let took = app
        .post(
            &format!("/api/v1/consultations/{}/take", s.consultation),
            &json!({}),
        )
        .await
        .ok();
    assert_eq!(took["consultation"]["state"], "in_progress");
    let seen = said(&app, s.consultation).await;
    assert!(seen.iter().any(|(s, b)| s == "bot" && b == WELCOME));
    assert!(seen.iter().any(|(s, b)| s == "customer" && b == "ㅁㄴㅇㄹ"));
}

async fn buttons_reach_their_block_or_an_agent(app: TestApp) {
    let (ship, _) = shop_bot(&app).await;
    let s = app
        .chat(&app.v2_url("site_uid=('bot2'),bot_start=('true')"))
        .await;
    let tap = |body: Value| {
        let app = &app;
        let visitor = s.visitor.clone();
        async move {
            app.raw(
                Method::POST,
                &format!("/api/v1/webchat/{}/messages", app.site),
                &[
                    ("x-sangdam-visitor", &visitor),
                    ("content-type", "application/json"),
                ],
                body.to_string().into_bytes(),
            )
            .await
        }
    };
    tap(json!({"body": "배송", "bot": {"block_id": ship.to_string()}}))
        .await
        .ok();
    assert_eq!(
        bot_says(&app, s.consultation).await.last().unwrap(),
        "배송은 2~3일 걸립니다."
    );
    // The help card's operator button.
    app.say(&s.visitor, "도움말").await.ok();
    tap(json!({"body": "상담원 연결", "bot": {"operator": true}}))
        .await
        .ok();
    let detail = app.consultation(s.consultation).await;
    assert_eq!(detail["consultation"]["state"], "waiting");
    assert_eq!(detail["handoff"], json!({"kind": "operator"}));
    // A tap on a consultation with an agent is only the customer's message.
    let before = bot_says(&app, s.consultation).await;
    assert_eq!(before.len(), 3, "welcome, 배송, the help card: {before:?}");
    let r = tap(json!({"body": "배송", "bot": {"block_id": ship.to_string()}})).await;
    assert_eq!(r.status, 200);
    assert_eq!(bot_says(&app, s.consultation).await, before);
    // A tap naming nothing usable is refused as any bad body.
    let r = tap(json!({"body": "x", "bot": {"block": 1}})).await;
    assert_eq!(r.status, 400, "{}", r.body);
}

async fn bot_start_is_not_heard_while_the_bot_is_off(app: TestApp) {
    // Never set up.
    let s = app
        .chat(&app.v2_url("site_uid=('off1'),bot_start=('true')"))
        .await;
    assert_eq!(
        app.consultation(s.consultation).await["consultation"]["state"],
        "waiting"
    );
    // Set up, then switched off.
    shop_bot(&app).await;
    turn_on(&app, json!({"enabled": false})).await;
    let s = app
        .chat(&app.v2_url("site_uid=('off2'),bot_start=('true')"))
        .await;
    assert_eq!(
        app.consultation(s.consultation).await["consultation"]["state"],
        "waiting"
    );
    assert!(bot_says(&app, s.consultation).await.is_empty());
    // "Bot first": every new consultation, without the parameter.
    turn_on(&app, json!({"bot_first": true})).await;
    let s = app.chat(&app.v2_url("site_uid=('off3')")).await;
    assert_eq!(
        app.consultation(s.consultation).await["consultation"]["state"],
        "bot"
    );
    assert_eq!(bot_says(&app, s.consultation).await, [WELCOME]);
}

/// A local skill server: `/ok` echoes the utterance, `/slow` answers after 3 s, `/garbage`
/// answers something that is no skill response, `/long` one breaking a limit.
async fn skill_server() -> String {
    use axum::routing::post;
    let router = axum::Router::new()
        .route(
            "/ok",
            post(|axum::Json(req): axum::Json<Value>| async move {
                let u = req["userRequest"]["utterance"].as_str().unwrap_or("").to_owned();
                let block = req["userRequest"]["block"]["name"].as_str().unwrap_or("").to_owned();
                axum::Json(json!({"version": "2.0", "template": {"outputs": [
                    {"simpleText": {"text": format!("스킬 응답({block}): {u}")}}]}}))
            }),
        )
        .route(
            "/slow",
            post(|| async {
                tokio::time::sleep(Duration::from_secs(3)).await;
                axum::Json(json!({"version": "2.0", "template": {"outputs": [{"simpleText": {"text": "늦은 답"}}]}}))
            }),
        )
        .route("/garbage", post(|| async { "<html>oops</html>" }))
        .route(
            "/long",
            post(|| async {
                axum::Json(json!({"version": "2.0", "template": {"outputs": [{"simpleText": {"text": "가".repeat(1001)}}]}}))
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.ok() });
    format!("http://{addr}")
}

async fn skill_servers_answer_time_out_or_answer_garbage(mut app: TestApp) {
    app.reconfigure(Config {
        skill_timeout: Duration::from_secs(1),
        ..Config::default()
    })
    .await;
    let base = skill_server().await;
    turn_on(&app, json!({})).await;
    for (word, path) in [
        ("주문조회", "ok"),
        ("느린답", "slow"),
        ("엉망답", "garbage"),
        ("긴답", "long"),
    ] {
        add_block(&app, json!({"name": format!("{word} 블록"), "keywords": [word], "skill_url": format!("{base}/{path}")})).await;
    }
    let s = app
        .chat(&app.v2_url("site_uid=('skill1'),bot_start=('true')"))
        .await;
    app.say(&s.visitor, "주문조회 해 주세요").await.ok();
    assert_eq!(
        bot_says(&app, s.consultation).await.last().unwrap(),
        "스킬 응답(주문조회 블록): 주문조회 해 주세요"
    );
    for said in ["느린답 주세요", "엉망답 주세요", "긴답 주세요"] {
        app.say(&s.visitor, said).await.ok();
        let last = bot_says(&app, s.consultation).await.pop().unwrap();
        assert!(last.starts_with(FALLBACK), "{said}: {last}");
    }
    // Three failures in a row count as fallbacks: the offer came.
    let detail = app.consultation(s.consultation).await;
    let last = detail["messages"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|m| m["sender"] == "bot")
        .unwrap()
        .clone();
    assert_eq!(last["rich"]["quickReplies"][0]["label"], "상담원 연결");
}

async fn the_bot_answers_on_kakao_and_hands_off(app: TestApp) {
    shop_bot(&app).await;
    let r = app
        .kakao(&kakao_request(
            "kbot-1",
            "환불하고 싶어요",
            json!({"bot_start": "true"}),
        ))
        .await
        .ok();
    let texts: Vec<&str> = r["template"]["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["simpleText"]["text"].as_str())
        .collect();
    assert!(
        texts.contains(&"마이페이지 > 주문내역에서 환불을 신청하세요."),
        "{r}"
    );
    let c = newest_on(&app, "kakao").await;
    assert_eq!(c["state"], "bot");
    // A card: the operator button is a message button on KakaoTalk (its label comes back).
    let r = app
        .kakao(&kakao_request("kbot-1", "도움말", json!({})))
        .await
        .ok();
    let card = &r["template"]["outputs"][0]["basicCard"];
    assert_eq!(card["title"], "무엇을 도와드릴까요?", "{r}");
    assert_eq!(
        card["buttons"][0],
        json!({"label": "상담원 연결", "action": "message", "messageText": "상담원 연결"})
    );
    assert_eq!(card["buttons"][1]["action"], "block");
    assert_eq!(r["template"]["quickReplies"][0]["label"], "배송");
    // Its label hands off: the answer says so, with the place in the queue.
    let r = app
        .kakao(&kakao_request("kbot-1", "상담원 연결", json!({})))
        .await
        .ok();
    let all = r.to_string();
    assert!(all.contains(HANDED_OFF), "{r}");
    let c = app.consultation(c["id"].as_i64().unwrap()).await;
    assert_eq!(c["consultation"]["state"], "waiting");
    assert_eq!(c["handoff"], json!({"kind": "operator"}));
}

async fn the_bot_answers_on_naver_with_cards_and_codes(app: TestApp) {
    let fake = FakeNaver::start("naver-bot-key").await;
    let mut app = app;
    app.reconfigure(Config {
        naver: Some((fake.url(), "naver-bot-key".to_owned())),
        ..Config::default()
    })
    .await;
    shop_bot(&app).await;
    turn_on(&app, json!({"bot_first": true})).await;
    let user = naver_user("bot");
    app.naver(&json!({"event": "open", "user": user, "options": {"inflow": "button"}}))
        .await
        .ok();
    let sent = |want: &'static str| {
        let fake = &fake;
        async move {
            for _ in 0..100 {
                if fake.received().iter().any(|e| e.to_string().contains(want)) {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            panic!("TalkTalk never got {want:?}: {:?}", fake.received());
        }
    };
    sent(WELCOME).await;
    app.naver(&json!({"event": "send", "user": user, "textContent": {"text": "도움말", "inputType": "typing"}})).await.ok();
    sent("compositeContent").await;
    let card = fake
        .received()
        .into_iter()
        .find(|e| e.get("compositeContent").is_some())
        .unwrap();
    let buttons = &card["compositeContent"]["compositeList"][0]["buttonList"];
    assert_eq!(
        buttons[0],
        json!({"type": "TEXT", "data": {"title": "상담원 연결", "code": "operator"}}),
        "{card}"
    );
    assert_eq!(
        card["compositeContent"]["quickReply"]["buttonList"][0]["data"]["title"],
        "배송"
    );
    // The operator button's code hands off.
    app.naver(&json!({"event": "send", "user": user, "textContent": {"text": "상담원 연결", "code": "operator", "inputType": "button"}})).await.ok();
    let c = newest_on(&app, "naver").await;
    let detail = app.consultation(c["id"].as_i64().unwrap()).await;
    assert_eq!(detail["consultation"]["state"], "waiting");
    assert_eq!(detail["handoff"], json!({"kind": "operator"}));
    sent(HANDED_OFF).await;
}

async fn the_knowledge_base_imports_and_exports(app: TestApp) {
    turn_on(&app, json!({})).await;
    let import = |format: &'static str, replace: bool, bytes: Vec<u8>| {
        let app = &app;
        async move {
            app.raw(
                Method::POST,
                &format!("/api/v1/bot/knowledge/import?format={format}&replace={replace}"),
                &[
                    ("authorization", &format!("Bearer {}", app.token)),
                    ("content-type", "application/octet-stream"),
                ],
                bytes,
            )
            .await
        }
    };
    let csv = "분류,질문,답변,사용\n배송,\"배송 언제 와요\n택배 언제 도착해요\",2~3일 걸립니다,Y\n환불,환불하고 싶어요,마이페이지에서 신청하세요,N\n";
    let r = import("csv", false, csv.as_bytes().to_vec()).await.ok();
    assert_eq!(r["imported"], 2);
    let list = app.get("/api/v1/bot/knowledge").await.ok();
    let entries = list["entries"].as_array().unwrap();
    assert_eq!(
        entries[0]["questions"],
        json!(["배송 언제 와요", "택배 언제 도착해요"])
    );
    assert_eq!(entries[1]["enabled"], false);
    // A disabled entry never answers.
    let t = app
        .post("/api/v1/bot/test", &json!({"utterance": "환불하고 싶어요"}))
        .await
        .ok();
    assert_ne!(t["outcome"]["source"]["kind"], "knowledge", "{t}");
    // Bad rows: each named, nothing imported.
    let bad = "questions,answer,enabled\n질문,답,maybe\n,답만,Y\n";
    let e = import("csv", false, bad.as_bytes().to_vec())
        .await
        .err(422, "invalid_field");
    let fields: Vec<&str> = e["details"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["rows[2].enabled"], "{e}");
    let e = import("xlsx", false, b"not a workbook".to_vec())
        .await
        .err(422, "invalid_field");
    assert_eq!(e["details"]["errors"][0]["field"], "file");
    assert_eq!(
        app.get("/api/v1/bot/knowledge").await.ok()["entries"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // Exports read back, in both formats; replace keeps only the file's rows.
    for format in ["csv", "xlsx"] {
        let file = app
            .http
            .get(format!(
                "{}/api/v1/bot/knowledge/export?format={format}",
                app.base
            ))
            .bearer_auth(&app.token)
            .send()
            .await
            .unwrap();
        assert_eq!(file.status(), 200);
        assert!(
            file.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains(&format!("knowledge-base.{format}"))
        );
        let bytes = file.bytes().await.unwrap().to_vec();
        let r = import(format, true, bytes).await.ok();
        assert_eq!(r["imported"], 2, "{format}");
        let again = app.get("/api/v1/bot/knowledge").await.ok();
        let entries = again["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(
            entries[0]["questions"],
            json!(["배송 언제 와요", "택배 언제 도착해요"])
        );
        assert_eq!(entries[0]["answer"], text("2~3일 걸립니다"));
        assert_eq!(entries[1]["enabled"], false);
    }
    // Entries by hand: a JSON answer, problems named.
    let e = app
        .post(
            "/api/v1/bot/knowledge",
            &json!({"questions": [], "answer": "x"}),
        )
        .await
        .err(422, "invalid_field");
    assert_eq!(e["details"]["errors"][0]["field"], "questions");
    let id = add_entry(&app, &["영업시간"], "평일 9시~6시").await;
    let edited = app
        .put(&format!("/api/v1/bot/knowledge/{id}"),
            &json!({"questions": ["영업시간", "몇 시까지 해요"], "answer": text("평일 9시~6시입니다"), "enabled": true}))
        .await
        .ok();
    assert_eq!(edited["questions"][1], "몇 시까지 해요");
    let r = app
        .request(
            Method::DELETE,
            &format!("/api/v1/bot/knowledge/{id}"),
            Some(&app.token),
            None,
        )
        .await;
    assert_eq!(r.status, 204);
}
