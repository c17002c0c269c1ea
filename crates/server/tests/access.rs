//! Who may do what, over every route of the API document (`/api/openapi.json`).
//!
//! The walk calls each route with the ids of one site's records — a consultation held by one
//! agent (with its room, profile and a link of that room) and a consultation waiting in the
//! queue (likewise) — and a valid request for that route, as the site's admin, a manager, the
//! agent holding the consultation, another agent of the site, the admin and an agent of
//! another site, and nobody. Each answer must be the one the table below expects; a refused
//! write must change nothing; the lists must show each caller only what the rules let them
//! see. A route in the document without an expectation here fails the walk (so does an
//! expectation for a route that is gone), so a route added later has to say who may use it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{TestApp, WAIT, kakao_request, newest_on};
use reqwest::Method;
use serde_json::{Value, json};
use server::Config;
use store::Role;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

both!(
    every_route_answers_each_caller_as_the_rules_say,
    an_agent_reads_the_history_of_the_customer_they_serve,
    an_agents_console_follows_the_queue_and_their_own,
);

// ---------------------------------------------------------------------------------------------
// Who calls

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Admin,
    Manager,
    /// The agent holding the consultation of the scene.
    Holder,
    /// Another agent of the same site.
    Bystander,
    OtherAdmin,
    OtherAgent,
    /// No credential at all.
    Nobody,
}

/// In the order of the columns of [`routes`].
const CALLERS: [Caller; 7] = [
    Caller::Admin,
    Caller::Manager,
    Caller::Holder,
    Caller::Bystander,
    Caller::OtherAdmin,
    Caller::OtherAgent,
    Caller::Nobody,
];

#[derive(Debug)]
struct Accounts {
    site: i64,
    admin: String,
    manager: String,
    manager_id: i64,
    holder: String,
    holder_id: i64,
    bystander: String,
    bystander_id: i64,
    /// An agent of the site with nothing in the scene: the one deactivated, reactivated and
    /// given a new password by the walk.
    spare_id: i64,
    other_site: i64,
    other_admin: String,
    other_agent: String,
    /// Every account of the test site.
    site_agents: Vec<i64>,
}

impl Accounts {
    async fn new(app: &TestApp) -> Accounts {
        let (manager_id, manager) = app.agent("walk-manager", Role::Manager).await;
        let (holder_id, holder) = app.agent("walk-holder", Role::Agent).await;
        let (bystander_id, bystander) = app.agent("walk-bystander", Role::Agent).await;
        let (spare_id, _) = app.agent("walk-spare", Role::Agent).await;
        let other = app.other_site("다른 회사").await;
        let other_site = other.site_id.get();
        let (_, other_agent) = app.agent_of(other_site, "other-agent", Role::Agent).await;
        let me = app.get("/api/v1/me").await.ok();
        // The site's wallet: the manager its master, the holder a worker; the bystander is
        // nothing to it, and the other site has none.
        app.post(
            "/api/v1/wallet",
            &json!({"name": "월렛", "kind": "personal", "master_id": manager_id}),
        )
        .await
        .ok();
        app.post("/api/v1/wallet/workers", &json!({"agent_id": holder_id}))
            .await
            .ok();
        Accounts {
            site: app.site,
            admin: app.token.clone(),
            manager,
            manager_id,
            holder,
            holder_id,
            bystander,
            bystander_id,
            spare_id,
            other_site,
            other_admin: other.api_token,
            other_agent,
            site_agents: vec![
                me["agent"]["id"].as_i64().unwrap(),
                manager_id,
                holder_id,
                bystander_id,
                spare_id,
            ],
        }
    }

    fn token(&self, caller: Caller) -> Option<&str> {
        Some(match caller {
            Caller::Admin => &self.admin,
            Caller::Manager => &self.manager,
            Caller::Holder => &self.holder,
            Caller::Bystander => &self.bystander,
            Caller::OtherAdmin => &self.other_admin,
            Caller::OtherAgent => &self.other_agent,
            Caller::Nobody => return None,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// What they call it on

/// One customer's records.
#[derive(Debug, Clone)]
struct Records {
    consultation: i64,
    room: i64,
    profile: i64,
    /// The latest link of the room (set by the admin).
    link: i64,
    /// The customer's chat window.
    visitor: String,
    /// The image the customer sent.
    file: i64,
    /// The customer's first message.
    message: i64,
}

/// A consultation held by [`Caller::Holder`] and one waiting in the queue, of two customers,
/// and a category of the site.
#[derive(Debug, Clone)]
struct Scene {
    held: Records,
    waiting: Records,
    /// The manager, the wallet's master.
    manager_id: i64,
    bystander_id: i64,
    spare_id: i64,
    category: i64,
    /// A shared canned reply of the site.
    canned: i64,
    /// A group of the site (nobody in it).
    group: i64,
    /// A general block of the site's chatbot and a knowledge-base entry.
    block: i64,
    entry: i64,
    /// The site's channel keys, which the messenger webhooks need.
    kakao_key: String,
    naver_key: String,
}

static SERIAL: AtomicUsize = AtomicUsize::new(0);

fn serial() -> usize {
    SERIAL.fetch_add(1, Ordering::Relaxed)
}

/// A customer who writes once, whose room the admin gives an ID.
async fn customer(app: &TestApp, uid: &str) -> Records {
    let s = app.chat(&app.v2_url("")).await;
    let message = app.say(&s.visitor, "문의드립니다").await.ok()["id"]
        .as_i64()
        .unwrap();
    let linked = app
        .put(
            &format!("/api/v1/rooms/{}/site_uid", s.room),
            &json!({"site_uid": uid}),
        )
        .await
        .ok();
    Records {
        consultation: s.consultation,
        room: s.room,
        profile: linked["profile_id"].as_i64().unwrap(),
        link: linked["journal"][0]["id"].as_i64().unwrap(),
        file: send_image(app, &s.visitor).await,
        visitor: s.visitor,
        message,
    }
}

/// A small PNG.
/// A business verification form: valid fields and one PDF, as a browser sends it.
fn submission() -> Req {
    const BOUNDARY: &str = "walk-boundary-7MA4YWxkTrZu0gW";
    let mut raw = Vec::new();
    for (name, value) in [
        ("business_number", "220-81-62517"),
        ("business_name", "걷기 상사"),
        ("representative", "홍길동"),
    ] {
        raw.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    raw.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"document\"; \
             filename=\"certificate.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
        )
        .as_bytes(),
    );
    raw.extend_from_slice(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n\r\n");
    raw.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    Req {
        raw: Some(raw),
        headers: vec![(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )],
        ..Req::default()
    }
}

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(4, 4, image::Rgb([200, 30, 30]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// The customer of `visitor` sends an image; its file's id.
async fn send_image(app: &TestApp, visitor: &str) -> i64 {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(png()).file_name("사진.png"),
    );
    let sent: Value = app
        .http
        .post(format!("{}/api/v1/webchat/{}/files", app.base, app.site))
        .header("x-sangdam-visitor", visitor)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    sent["file"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no file sent: {sent}"))
}

async fn scene(app: &TestApp, acc: &Accounts) -> Scene {
    // The holder's earlier scenes end, so their limit never refuses a new one.
    for c in app.consultations("state=in_progress&limit=1000").await {
        if c["agent_id"].as_i64() == Some(acc.holder_id) {
            app.post(
                &format!("/api/v1/consultations/{}/close", c["id"]),
                &json!({}),
            )
            .await
            .ok();
        }
    }
    let n = serial();
    let held = customer(app, &format!("held-{n}")).await;
    app.request(
        Method::POST,
        &format!("/api/v1/consultations/{}/take", held.consultation),
        Some(&acc.holder),
        None,
    )
    .await
    .ok();
    let waiting = customer(app, &format!("waiting-{n}")).await;
    let category = app
        .post(
            "/api/v1/site/categories",
            &json!({"name": format!("분류{n}")}),
        )
        .await
        .ok()["id"]
        .as_i64()
        .unwrap();
    let canned = app
        .post(
            "/api/v1/canned-replies",
            &json!({"scope": "shared", "shortcut": format!("공유{n}"), "body": "안녕하세요"}),
        )
        .await
        .ok()["id"]
        .as_i64()
        .unwrap();
    let group = app
        .post("/api/v1/groups", &json!({"name": format!("팀{n}")}))
        .await
        .ok()["id"]
        .as_i64()
        .unwrap();
    let block = app
        .post(
            "/api/v1/bot/blocks",
            &json!({"name": format!("블록{n}"), "response": {"outputs": [{"simpleText": {"text": "안녕하세요"}}]}}),
        )
        .await
        .ok()["id"]
        .as_i64()
        .unwrap();
    let entry = app
        .post(
            "/api/v1/bot/knowledge",
            &json!({"questions": [format!("질문{n}")], "answer": "답"}),
        )
        .await
        .ok()["id"]
        .as_i64()
        .unwrap();
    Scene {
        held,
        waiting,
        manager_id: acc.manager_id,
        bystander_id: acc.bystander_id,
        spare_id: acc.spare_id,
        category,
        canned,
        group,
        block,
        entry,
        kakao_key: app.kakao_key.clone(),
        naver_key: app.naver_key.clone(),
    }
}

/// Which of the scene's records a route's path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// None (or only the site).
    Site,
    Held,
    Waiting,
    /// The site's category.
    Category,
}

impl Scene {
    fn records(&self, target: Target) -> Option<&Records> {
        match target {
            Target::Site | Target::Category => None,
            Target::Held => Some(&self.held),
            Target::Waiting => Some(&self.waiting),
        }
    }
}

/// The path with its parameters filled: `{site_id}` with the test site, `{id}` with the
/// target's record of the kind the path is about (or the scene's category, or the account
/// `agent`).
fn fill(template: &str, site: i64, agent: i64, records: Option<&Records>, scene: &Scene) -> String {
    // A platform's key is rotated with its default grace: the old one still works.
    let mut path = template
        .replace("{site_id}", &site.to_string())
        .replace("{platform}", "naver")
        .replace("{kind}", "event_message")
        .replace("{document_id}", "1")
        .replace("{task_id}", "no-such-task")
        .replace("{plugin}", "no_such_plugin");
    if template.starts_with("/api/v1/site/categories/") {
        path = path.replace("{id}", &scene.category.to_string());
    } else if template.starts_with("/api/v1/canned-replies/") {
        path = path.replace("{id}", &scene.canned.to_string());
    } else if template.starts_with("/api/v1/groups/") {
        path = path.replace("{id}", &scene.group.to_string());
    } else if template.starts_with("/api/v1/bot/blocks/") {
        path = path.replace("{id}", &scene.block.to_string());
    } else if template.starts_with("/api/v1/bot/knowledge/") {
        path = path.replace("{id}", &scene.entry.to_string());
    } else if template.starts_with("/api/v1/wallet/notice-emails/") {
        path = path.replace("{id}", &agent.to_string());
    } else if template.starts_with("/api/v1/wallet/workers/") {
        path = path.replace("{id}", &scene.spare_id.to_string());
    } else if template.starts_with("/api/v1/wallet/")
        || template.starts_with("/api/v1/me/cards/")
        || template.starts_with("/api/v1/operator/")
        || template.starts_with("/api/v1/site/business/")
    {
        // Cards and invoices of nobody's: who reaches the lookup at all is what is tested.
        path = path.replace("{id}", "999999999");
    } else if records.is_none() {
        // An account's routes name the holder; a transfer request, one that does not exist
        // (answering real ones is tested with the transfers themselves).
        if template.starts_with("/api/v1/agents/{id}/") && !template.ends_with("/routing") {
            path = path.replace("{id}", &scene.spare_id.to_string());
        } else if template.starts_with("/api/v1/agents/") {
            path = path.replace("{id}", &agent.to_string());
        } else if template.starts_with("/api/v1/transfers/")
            || template.starts_with("/api/v1/sessions/")
            || template.starts_with("/api/v1/reports/exports/")
        {
            path = path.replace("{id}", "999999999");
        }
    }
    if let Some(r) = records {
        path = path.replace("{file_id}", &r.file.to_string());
        let id = [
            ("/api/v1/webchat/", r.file),
            ("/api/v1/files/", r.file),
            ("/api/v1/consultations/", r.consultation),
            ("/api/v1/rooms/", r.room),
            ("/api/v1/profiles/", r.profile),
            ("/api/v1/links/", r.link),
        ]
        .into_iter()
        .find(|(prefix, _)| template.starts_with(prefix))
        .map(|(_, id)| id)
        .unwrap_or_else(|| panic!("{template}: which record does it name?"));
        path = path.replace("{id}", &id.to_string());
    }
    assert!(!path.contains('{'), "{template}: a parameter left unfilled");
    path
}

// ---------------------------------------------------------------------------------------------
// The table

/// A valid request beyond its path: the query string, the JSON body and extra headers.
#[derive(Debug, Default)]
struct Req {
    query: String,
    body: Option<Value>,
    headers: Vec<(&'static str, String)>,
    /// A file sent as the `file` part of a multipart form, instead of a JSON body.
    upload: Option<Vec<u8>>,
    /// Bytes sent as they are, instead of a JSON body.
    raw: Option<Vec<u8>>,
}

/// What a route answers each caller, per record its path names.
struct Route {
    method: &'static str,
    path: &'static str,
    /// Per target, the status each caller gets, in [`CALLERS`] order.
    cases: Vec<(Target, [u16; 7])>,
    request: fn(&Scene, Option<&Records>, usize) -> Req,
}

fn none(_: &Scene, _: Option<&Records>, _: usize) -> Req {
    Req::default()
}

fn upload(headers: Vec<(&'static str, String)>) -> Req {
    Req {
        upload: Some(png()),
        headers,
        ..Req::default()
    }
}

fn body(v: Value) -> Req {
    Req {
        body: Some(v),
        ..Req::default()
    }
}

// Columns: admin, manager, holder, another agent, other site's admin, other site's agent,
// nobody.
/// Everybody of the site, and of another site for what is their own.
const ANYONE: [u16; 7] = [200, 200, 200, 200, 200, 200, 401];
/// A public route: credentials change nothing.
const PUBLIC: [u16; 7] = [200; 7];
/// The admin's alone (another site's admin gets their own site's).
const ADMIN: [u16; 7] = [200, 403, 403, 403, 200, 403, 401];
/// The admin's alone, on a record of the site (another site's admin finds none).
const OWN_ADMIN: [u16; 7] = [200, 403, 403, 403, 404, 403, 401];
/// Reading the held consultation's records: the site's admin and manager, and its holder.
const READ_HELD: [u16; 7] = [200, 200, 200, 404, 404, 404, 401];
/// Reading the waiting one's: everybody of the site.
const READ_WAITING: [u16; 7] = [200, 200, 200, 200, 404, 404, 401];
/// Acting on the held one: its holder, the admin, the manager.
const ACT_HELD: [u16; 7] = READ_HELD;
/// The wallet's people read it (the admin, the master manager, the worker holder); nobody
/// else learns it exists.
const WALLET_READ: [u16; 7] = [200, 200, 200, 404, 404, 404, 401];
/// The master and the admin change it; a worker is refused.
const WALLET_MANAGE: [u16; 7] = [200, 200, 403, 404, 404, 404, 401];
/// A record (card, invoice) that is nobody's: every caller finds none.
const NOBODYS: [u16; 7] = [404, 404, 404, 404, 404, 404, 401];
/// Acting on the waiting one (replying, closing, linking, editing): agents take it first.
const ACT_WAITING: [u16; 7] = [200, 200, 403, 403, 404, 404, 401];

fn route(
    method: &'static str,
    path: &'static str,
    cases: Vec<(Target, [u16; 7])>,
    request: fn(&Scene, Option<&Records>, usize) -> Req,
) -> Route {
    Route {
        method,
        path,
        cases,
        request,
    }
}

fn routes() -> Vec<Route> {
    use Target::{Category, Held, Site, Waiting};
    vec![
        // Logging in and out, who one is.
        route(
            "POST",
            "/api/v1/auth/login",
            vec![(Site, PUBLIC)],
            |_, _, _| {
                // Filled in by the walk with the admin's login (it knows the password).
                Req::default()
            },
        ),
        route("POST", "/api/v1/auth/logout", vec![(Site, [204; 7])], none),
        route("GET", "/api/v1/me", vec![(Site, ANYONE)], none),
        // Accounts: managers and the admin list, the admin adds.
        route(
            "GET",
            "/api/v1/agents",
            vec![(Site, [200, 200, 403, 403, 200, 403, 401])],
            none,
        ),
        route(
            "POST",
            "/api/v1/agents",
            vec![(Site, [201, 403, 403, 403, 201, 403, 401])],
            |_, _, n| body(json!({"login": format!("added-{n}"), "display_name": "새 상담원"})),
        ),
        // The admin changes accounts of the site: the holder's name; a spare agent
        // deactivated, reactivated and given a new password.
        route(
            "PATCH",
            "/api/v1/agents/{id}",
            vec![(Site, OWN_ADMIN)],
            |_, _, n| body(json!({"display_name": format!("바뀐 이름 {n}")})),
        ),
        route(
            "POST",
            "/api/v1/agents/{id}/deactivate",
            vec![(Site, OWN_ADMIN)],
            none,
        ),
        route(
            "POST",
            "/api/v1/agents/{id}/reactivate",
            vec![(Site, OWN_ADMIN)],
            none,
        ),
        route(
            "POST",
            "/api/v1/agents/{id}/password",
            vec![(Site, OWN_ADMIN)],
            |_, _, _| body(json!({})),
        ),
        // One's own password, knowing the current one (here: a new one too short, refused
        // before the current one is checked; changes are tested with the accounts).
        route(
            "PUT",
            "/api/v1/me/password",
            vec![(Site, [422, 422, 422, 422, 422, 422, 401])],
            |_, _, _| body(json!({"current_password": "모르는 비밀번호", "new_password": "짧음"})),
        ),
        // Every account of one's own site: names, roles and presence (whom to transfer to).
        route(
            "GET",
            "/api/v1/agents/directory",
            vec![(Site, ANYONE)],
            none,
        ),
        // Search: everybody of a site, within what they may see (tested with the search).
        route("GET", "/api/v1/search", vec![(Site, ANYONE)], |_, _, _| {
            Req {
                query: "?q=%EA%B3%A0%EA%B0%9D".into(),
                ..Req::default()
            }
        }),
        // Consultations.
        route("GET", "/api/v1/consultations", vec![(Site, ANYONE)], none),
        route(
            "GET",
            "/api/v1/consultations/{id}",
            vec![(Held, READ_HELD), (Waiting, READ_WAITING)],
            none,
        ),
        route(
            "POST",
            "/api/v1/consultations/{id}/take",
            vec![
                // Already in progress: the state machine refuses whoever may try.
                (Held, [409, 409, 409, 404, 404, 404, 401]),
                (Waiting, READ_WAITING),
            ],
            none,
        ),
        route(
            "POST",
            "/api/v1/consultations/{id}/close",
            vec![(Held, ACT_HELD), (Waiting, ACT_WAITING)],
            |_, _, _| body(json!({})),
        ),
        route(
            "POST",
            "/api/v1/consultations/{id}/messages",
            vec![(Held, ACT_HELD), (Waiting, ACT_WAITING)],
            |_, _, _| body(json!({"body": "확인해 드리겠습니다"})),
        ),
        // Deleting a consultation's data: the admin's, once it is closed (both of the scene's
        // are open: refused by their state, after the role).
        route(
            "DELETE",
            "/api/v1/consultations/{id}",
            vec![
                (Held, [409, 403, 403, 403, 404, 403, 401]),
                (Waiting, [409, 403, 403, 403, 404, 403, 401]),
            ],
            none,
        ),
        // Read marks: by whoever may reply.
        route(
            "POST",
            "/api/v1/consultations/{id}/read",
            vec![
                (Held, ACT_HELD.map(|s| if s == 200 { 204 } else { s })),
                (Waiting, ACT_WAITING.map(|s| if s == 200 { 204 } else { s })),
            ],
            |_, r, _| body(json!({"message_id": r.map_or(0, |r| r.message)})),
        ),
        // Images and files: read with the room, sent like a reply.
        route(
            "POST",
            "/api/v1/consultations/{id}/files",
            vec![(Held, ACT_HELD), (Waiting, ACT_WAITING)],
            |_, _, _| upload(Vec::new()),
        ),
        route(
            "GET",
            "/api/v1/files/{id}",
            vec![(Held, READ_HELD), (Waiting, READ_WAITING)],
            none,
        ),
        route(
            "GET",
            "/api/v1/files/{id}/thumbnail",
            vec![(Held, READ_HELD), (Waiting, READ_WAITING)],
            none,
        ),
        route(
            "PUT",
            "/api/v1/consultations/{id}/hold",
            vec![(Held, ACT_HELD), (Waiting, ACT_WAITING)],
            |_, _, _| body(json!({"hold": true})),
        ),
        // Who answers: presence, the board, routing, settings, the queue, assignment,
        // send-back and transfers.
        route("GET", "/api/v1/me/presence", vec![(Site, ANYONE)], none),
        route(
            "PUT",
            "/api/v1/me/presence",
            vec![(Site, ANYONE)],
            |_, _, _| body(json!({"status": "online"})),
        ),
        route(
            "GET",
            "/api/v1/agents/board",
            vec![(Site, [200, 200, 403, 403, 200, 403, 401])],
            none,
        ),
        route(
            "PUT",
            "/api/v1/agents/{id}/routing",
            vec![(Site, [200, 403, 403, 403, 404, 403, 401])],
            |_, _, _| body(json!({"max_concurrent": 10})),
        ),
        route(
            "GET",
            "/api/v1/site/distribution",
            vec![(Site, ANYONE)],
            none,
        ),
        route(
            "PUT",
            "/api/v1/site/distribution",
            vec![(Site, ADMIN)],
            |_, _, _| body(json!({"prefer_last_agent": false})),
        ),
        route("GET", "/api/v1/queue", vec![(Site, ANYONE)], none),
        route(
            "POST",
            "/api/v1/consultations/{id}/assign",
            vec![
                (Held, [200, 200, 403, 403, 404, 403, 401]),
                (Waiting, [200, 200, 403, 403, 404, 403, 401]),
            ],
            |s, _, _| body(json!({"agent_id": s.bystander_id})),
        ),
        route(
            "POST",
            "/api/v1/consultations/{id}/send-back",
            vec![
                (Held, ACT_HELD),
                // Not assigned: nothing to send back, for whoever may act on it.
                (Waiting, [409, 409, 403, 403, 404, 404, 401]),
            ],
            |_, _, _| body(json!({})),
        ),
        route(
            "POST",
            "/api/v1/consultations/{id}/transfers",
            vec![
                // Only its holder asks another to take it over.
                (Held, [409, 409, 200, 404, 404, 404, 401]),
                (Waiting, [409, 409, 403, 403, 404, 404, 401]),
            ],
            |s, _, _| body(json!({"to_agent_id": s.bystander_id, "note": "부탁드립니다"})),
        ),
        route("GET", "/api/v1/transfers", vec![(Site, ANYONE)], none),
        route(
            "POST",
            "/api/v1/transfers/{id}/accept",
            vec![(Site, [404, 404, 404, 404, 404, 404, 401])],
            none,
        ),
        route(
            "POST",
            "/api/v1/transfers/{id}/decline",
            vec![(Site, [404, 404, 404, 404, 404, 404, 401])],
            none,
        ),
        route(
            "POST",
            "/api/v1/transfers/{id}/withdraw",
            vec![(Site, [404, 404, 404, 404, 404, 404, 401])],
            none,
        ),
        // Classifying is handling: the holder, the manager, the admin.
        route(
            "PUT",
            "/api/v1/consultations/{id}/category",
            vec![(Held, ACT_HELD), (Waiting, ACT_WAITING)],
            |scene, _, _| body(json!({"category_id": scene.category, "sub_label": "재문의"})),
        ),
        // The category tree: everybody reads their own site's; its admin changes it.
        route("GET", "/api/v1/categories", vec![(Site, ANYONE)], none),
        route("GET", "/api/v1/site/categories", vec![(Site, ADMIN)], none),
        route(
            "POST",
            "/api/v1/site/categories",
            vec![(Site, [201, 403, 403, 403, 201, 403, 401])],
            |_, _, n| body(json!({"name": format!("새분류{n}")})),
        ),
        route(
            "PATCH",
            "/api/v1/site/categories/{id}",
            vec![(Category, OWN_ADMIN)],
            |_, _, n| body(json!({"name": format!("이름{n}"), "default": true})),
        ),
        route(
            "POST",
            "/api/v1/site/categories/{id}/move",
            vec![(Category, OWN_ADMIN)],
            |_, _, _| body(json!({"position": 0})),
        ),
        // Rooms and links.
        route("GET", "/api/v1/rooms", vec![(Site, ANYONE)], none),
        route(
            "GET",
            "/api/v1/rooms/{id}",
            vec![(Held, READ_HELD), (Waiting, READ_WAITING)],
            none,
        ),
        route(
            "GET",
            "/api/v1/rooms/{id}/messages",
            vec![(Held, READ_HELD), (Waiting, READ_WAITING)],
            none,
        ),
        route(
            "GET",
            "/api/v1/rooms/{id}/link-preview",
            vec![(Held, ACT_HELD), (Waiting, ACT_WAITING)],
            |_, _, n| Req {
                query: format!("?site_uid=moved-{n}"),
                ..Req::default()
            },
        ),
        route(
            "PUT",
            "/api/v1/rooms/{id}/site_uid",
            vec![(Held, ACT_HELD), (Waiting, ACT_WAITING)],
            |_, _, n| body(json!({"site_uid": format!("moved-{n}")})),
        ),
        route(
            "POST",
            "/api/v1/links/{id}/undo",
            vec![(Held, ACT_HELD), (Waiting, ACT_WAITING)],
            none,
        ),
        // Profiles.
        route(
            "GET",
            "/api/v1/profiles/{id}",
            vec![(Held, READ_HELD), (Waiting, READ_WAITING)],
            none,
        ),
        route(
            "PATCH",
            "/api/v1/profiles/{id}",
            vec![(Held, ACT_HELD), (Waiting, ACT_WAITING)],
            |_, _, _| body(json!({"phone": "010-2222-3333"})),
        ),
        route(
            "PUT",
            "/api/v1/profiles/{id}/memo",
            vec![(Held, ACT_HELD), (Waiting, ACT_WAITING)],
            |_, _, n| body(json!({"body": format!("메모{n}")})),
        ),
        route(
            "PATCH",
            "/api/v1/profiles/{id}/marks",
            vec![(Held, ACT_HELD), (Waiting, ACT_WAITING)],
            |_, _, _| body(json!({"flagged": true})),
        ),
        route(
            "PUT",
            "/api/v1/profiles/{id}/tags",
            vec![(Held, ACT_HELD), (Waiting, ACT_WAITING)],
            |_, _, n| body(json!({"tags": [format!("태그{n}")]})),
        ),
        route(
            "POST",
            "/api/v1/profiles/{id}/mobile-verifications",
            vec![
                (Held, [200, 403, 403, 404, 404, 404, 401]),
                (Waiting, [200, 403, 403, 403, 404, 404, 401]),
            ],
            |_, _, _| body(json!({"mobile": "010-9999-8888", "method": "sms"})),
        ),
        // The console's feed (a WebSocket: 101 is the handshake accepted).
        route(
            "GET",
            "/api/v1/console/ws",
            vec![(Site, [101, 101, 101, 101, 101, 101, 401])],
            none,
        ),
        // The site's settings: the admin's.
        route("GET", "/api/v1/site", vec![(Site, ADMIN)], none),
        route(
            "PUT",
            "/api/v1/site/settings",
            vec![(Site, ADMIN)],
            |_, _, _| body(json!({})),
        ),
        route("GET", "/api/v1/site/secret", vec![(Site, ADMIN)], none),
        route("GET", "/api/v1/site/file-rules", vec![(Site, ADMIN)], none),
        // Groups: managers see them, the admin keeps them.
        route(
            "GET",
            "/api/v1/groups",
            vec![(Site, [200, 200, 403, 403, 200, 403, 401])],
            none,
        ),
        route(
            "POST",
            "/api/v1/groups",
            vec![(Site, [201, 403, 403, 403, 201, 403, 401])],
            |_, _, n| body(json!({"name": format!("새팀{n}")})),
        ),
        route(
            "PUT",
            "/api/v1/groups/{id}",
            vec![(Site, OWN_ADMIN)],
            |_, _, n| body(json!({"name": format!("바꾼팀{n}")})),
        ),
        route(
            "DELETE",
            "/api/v1/groups/{id}",
            vec![(Site, OWN_ADMIN.map(|s| if s == 200 { 204 } else { s }))],
            none,
        ),
        // The chatbot: the admin's alone (another site's admin has their own).
        route("GET", "/api/v1/bot", vec![(Site, ADMIN)], none),
        route(
            "PUT",
            "/api/v1/bot/settings",
            vec![(Site, ADMIN)],
            |_, _, _| {
                body(
                    json!({"enabled": false, "bot_first": false, "min_accuracy": 70,
                    "fallbacks_before_offer": 2, "handoff_label": "상담원 연결"}),
                )
            },
        ),
        route(
            "POST",
            "/api/v1/bot/blocks",
            vec![(Site, [201, 403, 403, 403, 201, 403, 401])],
            |_, _, n| {
                body(
                    json!({"name": format!("새블록{n}"), "response": {"outputs": [{"simpleText": {"text": "네"}}]}}),
                )
            },
        ),
        route(
            "PUT",
            "/api/v1/bot/blocks/{id}",
            vec![(Site, OWN_ADMIN)],
            |_, _, n| {
                body(
                    json!({"name": format!("바꾼블록{n}"), "response": {"outputs": [{"simpleText": {"text": "네"}}]}}),
                )
            },
        ),
        route(
            "DELETE",
            "/api/v1/bot/blocks/{id}",
            vec![(Site, OWN_ADMIN.map(|s| if s == 200 { 204 } else { s }))],
            none,
        ),
        route("GET", "/api/v1/bot/knowledge", vec![(Site, ADMIN)], none),
        route(
            "POST",
            "/api/v1/bot/knowledge",
            vec![(Site, [201, 403, 403, 403, 201, 403, 401])],
            |_, _, n| body(json!({"questions": [format!("새질문{n}")], "answer": "답"})),
        ),
        route(
            "PUT",
            "/api/v1/bot/knowledge/{id}",
            vec![(Site, OWN_ADMIN)],
            |_, _, n| body(json!({"questions": [format!("바꾼질문{n}")], "answer": "답"})),
        ),
        route(
            "DELETE",
            "/api/v1/bot/knowledge/{id}",
            vec![(Site, OWN_ADMIN.map(|s| if s == 200 { 204 } else { s }))],
            none,
        ),
        route(
            "POST",
            "/api/v1/bot/knowledge/import",
            vec![(Site, ADMIN)],
            |_, _, n| Req {
                query: "?format=csv".into(),
                raw: Some(format!("질문,답변\n가져온질문{n},답\n").into_bytes()),
                headers: vec![("content-type", "text/csv".into())],
                ..Req::default()
            },
        ),
        route(
            "GET",
            "/api/v1/bot/knowledge/export",
            vec![(Site, ADMIN)],
            |_, _, _| Req {
                query: "?format=csv".into(),
                ..Req::default()
            },
        ),
        route(
            "POST",
            "/api/v1/bot/test",
            vec![(Site, ADMIN)],
            |_, _, _| body(json!({"utterance": "환불하고 싶어요"})),
        ),
        // The wallet: its people (the admin, the master manager, the worker holder) read it;
        // the master and the admin change it; nobody else learns it exists.
        route("GET", "/api/v1/wallet", vec![(Site, WALLET_READ)], none),
        route(
            "POST",
            "/api/v1/wallet",
            vec![(Site, [409, 403, 403, 403, 404, 403, 401])],
            |_, _, _| body(json!({"name": "두 번째", "kind": "personal", "master_id": 1})),
        ),
        route(
            "PUT",
            "/api/v1/wallet",
            vec![(Site, WALLET_MANAGE)],
            |s, _, n| {
                body(
                    json!({"name": format!("월렛 {n}"), "kind": "personal", "master_id": s.manager_id}),
                )
            },
        ),
        route(
            "POST",
            "/api/v1/wallet/workers",
            vec![(Site, WALLET_MANAGE)],
            |s, _, _| body(json!({"agent_id": s.spare_id})),
        ),
        // The admin takes the spare off first; then there is none to take off.
        route(
            "DELETE",
            "/api/v1/wallet/workers/{id}",
            vec![(Site, [200, 404, 403, 404, 404, 404, 401])],
            none,
        ),
        route(
            "PUT",
            "/api/v1/wallet/notice-emails/{id}",
            vec![(Site, [200, 200, 200, 404, 404, 404, 401])],
            |_, _, n| body(json!({"email": format!("holder{n}@shop.test")})),
        ),
        // No payment gateway is configured in the walk: its people hear so.
        route(
            "POST",
            "/api/v1/wallet/card-registration",
            vec![(Site, [409, 409, 409, 404, 404, 404, 401])],
            |_, _, _| body(json!({"return_url": "http://sangdam.test/wallet"})),
        ),
        route(
            "POST",
            "/api/v1/wallet/cards",
            vec![(Site, [409, 409, 409, 409, 409, 409, 401])],
            |_, _, _| body(json!({"auth_key": "auth", "customer_key": "sangdam-agent-1"})),
        ),
        route(
            "DELETE",
            "/api/v1/me/cards/{id}",
            vec![(Site, NOBODYS)],
            none,
        ),
        route(
            "PUT",
            "/api/v1/wallet/cards/{id}",
            vec![(Site, NOBODYS)],
            |_, _, _| body(json!({"slot": "backup"})),
        ),
        route(
            "DELETE",
            "/api/v1/wallet/cards/{id}",
            vec![(Site, NOBODYS)],
            none,
        ),
        route(
            "POST",
            "/api/v1/wallet/cash",
            vec![(Site, NOBODYS)],
            |_, _, n| {
                body(
                    json!({"card_id": 999999999, "amount": 1000, "idempotency_key": format!("cash-{n}")}),
                )
            },
        ),
        // Nothing was bought: nothing to refund.
        route(
            "POST",
            "/api/v1/wallet/refund",
            vec![(Site, [409, 409, 403, 404, 404, 404, 401])],
            |_, _, n| body(json!({"idempotency_key": format!("refund-{n}")})),
        ),
        // Features bill with the site's admin token.
        // The platform operator's API answers the operator's cookie alone: no account of a
        // site, whatever its role, reaches it.
        route(
            "POST",
            "/api/v1/operator/login",
            vec![(Site, [422; 7])],
            // A login of its own each time: the failures are throttled per login.
            |_, _, n| body(json!({"login": format!("walk-operator-{n}"), "password": "not-it"})),
        ),
        route(
            "POST",
            "/api/v1/operator/logout",
            vec![(Site, [204; 7])],
            none,
        ),
        route("GET", "/api/v1/operator/me", vec![(Site, [401; 7])], none),
        route(
            "GET",
            "/api/v1/operator/sites",
            vec![(Site, [401; 7])],
            none,
        ),
        route(
            "GET",
            "/api/v1/operator/verifications",
            vec![(Site, [401; 7])],
            none,
        ),
        route(
            "POST",
            "/api/v1/operator/verifications/{id}/decision",
            vec![(Site, [401; 7])],
            |_, _, _| body(json!({"decision": "approve"})),
        ),
        route(
            "GET",
            "/api/v1/operator/verifications/{id}/documents/{document_id}",
            vec![(Site, [401; 7])],
            none,
        ),
        route(
            "POST",
            "/api/v1/operator/sites/{site_id}/grants",
            vec![(Site, [401; 7])],
            |_, _, n| {
                body(json!({"krw": 1000, "days": 30, "reason": "walk", "key": format!("walk-{n}")}))
            },
        ),
        route(
            "GET",
            "/api/v1/operator/prices",
            vec![(Site, [401; 7])],
            none,
        ),
        route(
            "PUT",
            "/api/v1/operator/prices/{kind}",
            vec![(Site, [401; 7])],
            |_, _, _| body(json!({"krw": 20})),
        ),
        // The Event API answers the site's `KakaoAK` key alone, never an account's token; its
        // settings are the admin's.
        route(
            "POST",
            "/api/v1/event/bots/{site_id}/talk",
            vec![(Site, [401; 7])],
            |_, _, _| {
                body(
                    json!({"event": {"name": "walk"}, "user": [{"type": "botUserKey", "id": "u"}]}),
                )
            },
        ),
        route(
            "GET",
            "/api/v1/event/tasks/{task_id}",
            vec![(Site, [401; 7])],
            none,
        ),
        route("GET", "/api/v1/site/event-api", vec![(Site, ADMIN)], none),
        route(
            "PUT",
            "/api/v1/site/event-api",
            vec![(Site, ADMIN)],
            |_, _, n| body(json!({"kakao_bot_id": format!("walk-bot-{n}")})),
        ),
        route(
            "POST",
            "/api/v1/site/event-api/key",
            vec![(Site, [201, 403, 403, 403, 201, 403, 401])],
            none,
        ),
        // The bot's channels and plugins are the admin's (a plugin that does not exist is
        // looked up only by an admin).
        route("GET", "/api/v1/site/plugins", vec![(Site, ADMIN)], none),
        route(
            "PUT",
            "/api/v1/site/bot-channels",
            vec![(Site, ADMIN)],
            |_, _, n| body(json!({"operating_channel": format!("@walk{n}")})),
        ),
        route(
            "PUT",
            "/api/v1/site/plugins/{plugin}",
            vec![(Site, [404, 403, 403, 403, 404, 403, 401])],
            none,
        ),
        route(
            "DELETE",
            "/api/v1/site/plugins/{plugin}",
            vec![(Site, [404, 403, 403, 403, 404, 403, 401])],
            none,
        ),
        // The business verification is the admin's: each admin submits their own site's.
        route("GET", "/api/v1/site/business", vec![(Site, ADMIN)], none),
        route(
            "POST",
            "/api/v1/site/business",
            vec![(Site, [201, 403, 403, 403, 201, 403, 401])],
            |_, _, _| submission(),
        ),
        route(
            "GET",
            "/api/v1/site/business/{id}/documents/{document_id}",
            vec![(Site, [404, 403, 403, 403, 404, 403, 401])],
            none,
        ),
        route(
            "POST",
            "/api/v1/wallet/usages",
            vec![(Site, [200, 403, 403, 403, 404, 403, 401])],
            |_, _, n| {
                body(json!({"usages": [{"key": format!("walk-{n}"), "kind": "event_message"}]}))
            },
        ),
        route(
            "GET",
            "/api/v1/wallet/history",
            vec![(Site, WALLET_READ)],
            none,
        ),
        route(
            "GET",
            "/api/v1/wallet/history.xlsx",
            vec![(Site, WALLET_READ)],
            none,
        ),
        route(
            "GET",
            "/api/v1/wallet/statement",
            vec![(Site, WALLET_READ)],
            |_, _, _| Req {
                query: "?month=2026-01".into(),
                ..Req::default()
            },
        ),
        route(
            "GET",
            "/api/v1/wallet/payments",
            vec![(Site, WALLET_READ)],
            none,
        ),
        route(
            "GET",
            "/api/v1/wallet/invoices",
            vec![(Site, WALLET_READ)],
            none,
        ),
        route(
            "GET",
            "/api/v1/wallet/invoices/{id}/document",
            vec![(Site, NOBODYS)],
            none,
        ),
        route(
            "GET",
            "/api/v1/wallet/emails",
            vec![(Site, WALLET_READ)],
            none,
        ),
        // The tag list: everyone reads their site's, the admin keeps it.
        route("GET", "/api/v1/site/tags", vec![(Site, ANYONE)], none),
        route(
            "PUT",
            "/api/v1/site/tags",
            vec![(Site, ADMIN)],
            |_, _, n| body(json!({"tags": [format!("태그{n}")]})),
        ),
        // Canned replies: everyone keeps their own; the shared ones are the managers' and
        // the admin's (another site's, and anybody's own, are absent to the rest).
        route("GET", "/api/v1/canned-replies", vec![(Site, ANYONE)], none),
        route(
            "POST",
            "/api/v1/canned-replies",
            vec![(Site, [201, 201, 201, 201, 201, 201, 401])],
            |_, _, n| body(json!({"scope": "personal", "shortcut": format!("내{n}"), "body": "b"})),
        ),
        route(
            "PUT",
            "/api/v1/canned-replies/{id}",
            vec![(Site, [200, 200, 403, 403, 404, 404, 401])],
            |_, _, n| body(json!({"shortcut": format!("바꾼{n}"), "body": "b"})),
        ),
        route(
            "DELETE",
            "/api/v1/canned-replies/{id}",
            vec![(Site, [204, 204, 403, 403, 404, 404, 401])],
            none,
        ),
        route(
            "PUT",
            "/api/v1/site/file-rules",
            vec![(Site, ADMIN)],
            |_, _, _| {
                body(
                    json!({"max_bytes": 10_485_760, "kinds": ["image", "pdf", "office", "archive", "text"]}),
                )
            },
        ),
        route(
            "POST",
            "/api/v1/site/secret/rotate",
            vec![(Site, ADMIN)],
            none,
        ),
        route(
            "POST",
            "/api/v1/site/uid-hash",
            vec![(Site, ADMIN)],
            |_, _, _| body(json!({"site_uid": "member01"})),
        ),
        route("GET", "/api/v1/site/chat-urls", vec![(Site, ADMIN)], none),
        // Business hours and automatic messages: the admin's.
        route("GET", "/api/v1/site/hours", vec![(Site, ADMIN)], none),
        route(
            "PUT",
            "/api/v1/site/hours",
            vec![(Site, ADMIN)],
            |_, _, _| {
                body(json!({
                    "weekdays": {"kind": "all_day"},
                    "saturday": {"kind": "all_day"},
                    "sunday": {"kind": "all_day"}
                }))
            },
        ),
        route(
            "POST",
            "/api/v1/site/hours/import",
            vec![(Site, ADMIN)],
            |_, _, _| {
                body(
                    json!({"ics": "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20300101\r\nSUMMARY:New year\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"}),
                )
            },
        ),
        route(
            "GET",
            "/api/v1/site/auto-messages",
            vec![(Site, ADMIN)],
            none,
        ),
        route("GET", "/api/v1/site/auto-close", vec![(Site, ADMIN)], none),
        route(
            "PUT",
            "/api/v1/site/auto-close",
            vec![(Site, ADMIN)],
            |_, _, _| body(json!({"customer_idle_minutes": 30})),
        ),
        route(
            "PUT",
            "/api/v1/site/auto-messages",
            vec![(Site, ADMIN)],
            |_, _, _| body(json!({})),
        ),
        route(
            "GET",
            "/api/v1/site/channel-keys",
            vec![(Site, ADMIN)],
            none,
        ),
        route(
            "POST",
            "/api/v1/site/channel-keys/{platform}/rotate",
            vec![(Site, ADMIN)],
            |_, _, _| body(json!({})),
        ),
        // Customers' entry points: public, whoever else calls.
        route(
            "POST",
            "/api/v1/webchat/{site_id}/sessions",
            vec![(Site, PUBLIC)],
            |_, _, n| {
                let url = format!("https://shop.example/chat?params=site_uid=('web-{n}')");
                body(json!({ "url": url }))
            },
        ),
        route(
            "GET",
            "/api/v1/webchat/{site_id}/messages",
            vec![(Site, PUBLIC)],
            |scene, _, _| Req {
                headers: vec![("x-sangdam-visitor", scene.waiting.visitor.clone())],
                ..Req::default()
            },
        ),
        // A window marks what it has shown: its key decides, whoever else calls.
        route(
            "POST",
            "/api/v1/webchat/{site_id}/read",
            vec![(Site, [204; 7])],
            |scene, _, _| Req {
                body: Some(json!({"message_id": scene.waiting.message})),
                headers: vec![("x-sangdam-visitor", scene.waiting.visitor.clone())],
                ..Req::default()
            },
        ),
        route(
            "POST",
            "/api/v1/webchat/{site_id}/messages",
            vec![(Site, PUBLIC)],
            |scene, _, _| Req {
                body: Some(json!({"body": "추가 문의"})),
                headers: vec![("x-sangdam-visitor", scene.waiting.visitor.clone())],
                ..Req::default()
            },
        ),
        // A customer's file: their window's key decides, whoever else calls.
        route(
            "POST",
            "/api/v1/webchat/{site_id}/files",
            vec![(Site, PUBLIC)],
            |scene, _, _| upload(vec![("x-sangdam-visitor", scene.waiting.visitor.clone())]),
        ),
        route(
            "GET",
            "/api/v1/webchat/{site_id}/files/{file_id}",
            vec![(Waiting, PUBLIC)],
            |scene, _, _| Req {
                headers: vec![("x-sangdam-visitor", scene.waiting.visitor.clone())],
                ..Req::default()
            },
        ),
        route(
            "GET",
            "/api/v1/webchat/{site_id}/files/{file_id}/thumbnail",
            vec![(Waiting, PUBLIC)],
            |scene, _, _| Req {
                headers: vec![("x-sangdam-visitor", scene.waiting.visitor.clone())],
                ..Req::default()
            },
        ),
        // A plugin's step: the window's key decides, whoever else calls; the window's own
        // message asks for nothing.
        route(
            "POST",
            "/api/v1/webchat/{site_id}/profile-form",
            vec![(Site, [409; 7])],
            |scene, _, _| Req {
                body: Some(
                    json!({"message_id": scene.waiting.message, "name": "홍길동", "consent": true}),
                ),
                headers: vec![("x-sangdam-visitor", scene.waiting.visitor.clone())],
                ..Req::default()
            },
        ),
        route(
            "POST",
            "/api/v1/webchat/{site_id}/location",
            vec![(Site, [409; 7])],
            |scene, _, _| Req {
                body: Some(
                    json!({"message_id": scene.waiting.message, "latitude": 37.5, "longitude": 127.0}),
                ),
                headers: vec![("x-sangdam-visitor", scene.waiting.visitor.clone())],
                ..Req::default()
            },
        ),
        // A customer's rating: their window's key decides, not a login; another customer's
        // consultation is not found by this window, whoever else calls.
        route(
            "POST",
            "/api/v1/webchat/{site_id}/rating",
            vec![(Site, [404; 7])],
            |scene, _, _| Req {
                body: Some(json!({"consultation_id": scene.held.consultation, "score": 4})),
                headers: vec![("x-sangdam-visitor", scene.waiting.visitor.clone())],
                ..Req::default()
            },
        ),
        route(
            "GET",
            "/api/v1/webchat/{site_id}/ws",
            vec![(Site, [101; 7])],
            |scene, _, _| Req {
                query: format!("?visitor={}", scene.waiting.visitor),
                ..Req::default()
            },
        ),
        route(
            "POST",
            "/kakao/{site_id}/skill",
            vec![(Site, PUBLIC)],
            |s, _, n| Req {
                headers: vec![("x-sangdam-channel-key", s.kakao_key.clone())],
                ..body(kakao_request(&format!("walk-{n}"), "문의", json!({})))
            },
        ),
        route(
            "POST",
            "/naver/{site_id}/webhook",
            vec![(Site, PUBLIC)],
            |s, _, n| Req {
                headers: vec![("x-sangdam-channel-key", s.naver_key.clone())],
                ..body(
                    json!({"event": "send", "user": common::naver_user(&format!("w{n}")),
                            "textContent": {"text": "문의"}}),
                )
            },
        ),
        route("GET", "/healthz", vec![(Site, PUBLIC)], none),
        // Login sessions: one's own (an API token has none); everyone's for the admin; ending
        // one that is not the caller's (here: none at all) is not found. Real sessions are
        // tested with the sessions themselves.
        route("GET", "/api/v1/sessions", vec![(Site, ANYONE)], none),
        route("GET", "/api/v1/site/sessions", vec![(Site, ADMIN)], none),
        route(
            "DELETE",
            "/api/v1/sessions/{id}",
            vec![(Site, [404, 404, 404, 404, 404, 404, 401])],
            none,
        ),
        // The audit log: the admin's.
        route("GET", "/api/v1/site/audit", vec![(Site, ADMIN)], none),
        // Reports: managers and the admin, each of their own site.
        route(
            "POST",
            "/api/v1/reports/consultations",
            vec![(Site, [200, 200, 403, 403, 200, 403, 401])],
            |_, _, _| body(json!({})),
        ),
        // Downloads: managers and the admin queue them and see their own (ones that do not
        // exist here; real ones are tested with the reports).
        route(
            "POST",
            "/api/v1/reports/exports",
            vec![(Site, [202, 202, 403, 403, 202, 403, 401])],
            |_, _, _| body(json!({"format": "csv"})),
        ),
        route(
            "GET",
            "/api/v1/reports/exports",
            vec![(Site, [200, 200, 403, 403, 200, 403, 401])],
            none,
        ),
        route(
            "GET",
            "/api/v1/reports/exports/{id}",
            vec![(Site, [404, 404, 403, 403, 404, 403, 401])],
            none,
        ),
        route(
            "POST",
            "/api/v1/reports/exports/{id}/cancel",
            vec![(Site, [404, 404, 403, 403, 404, 403, 401])],
            none,
        ),
        route(
            "GET",
            "/api/v1/reports/exports/{id}/file",
            vec![(Site, [404, 404, 403, 403, 404, 403, 401])],
            none,
        ),
        route(
            "POST",
            "/api/v1/reports/dashboard",
            vec![(Site, [200, 200, 403, 403, 200, 403, 401])],
            |_, _, _| body(json!({})),
        ),
        route(
            "GET",
            "/api/v1/reports/columns",
            vec![(Site, [200, 200, 403, 403, 200, 403, 401])],
            none,
        ),
        route(
            "PUT",
            "/api/v1/reports/columns",
            vec![(Site, [200, 200, 403, 403, 200, 403, 401])],
            |_, _, _| body(json!({"columns": ["consultation_id", "created_at"]})),
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// The walk

/// Every (method, path) of the served API document.
async fn documented(app: &TestApp) -> BTreeSet<(String, String)> {
    let doc = app
        .request(Method::GET, "/api/openapi.json", None, None)
        .await
        .ok();
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ] {
            if item.get(method).is_some() {
                out.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    out
}

/// What the admin sees of the scene and the site: whatever a write could change.
async fn snapshot(app: &TestApp, scene: &Scene) -> Value {
    let (h, w) = (&scene.held, &scene.waiting);
    let mut out = serde_json::Map::new();
    for path in [
        format!("/api/v1/consultations/{}", h.consultation),
        format!("/api/v1/consultations/{}", w.consultation),
        format!("/api/v1/rooms/{}", h.room),
        format!("/api/v1/rooms/{}", w.room),
        format!("/api/v1/rooms/{}/messages", h.room),
        format!("/api/v1/rooms/{}/messages", w.room),
        format!("/api/v1/profiles/{}", h.profile),
        format!("/api/v1/profiles/{}", w.profile),
        "/api/v1/site".to_owned(),
        "/api/v1/site/categories".to_owned(),
        "/api/v1/site/secret".to_owned(),
        "/api/v1/agents".to_owned(),
        "/api/v1/site/tags".to_owned(),
        "/api/v1/canned-replies".to_owned(),
        "/api/v1/groups".to_owned(),
    ] {
        let v = app.get(&path).await.ok();
        out.insert(path, v);
    }
    Value::Object(out)
}

/// Opens a WebSocket the way a browser does; the handshake's status (101 when accepted).
async fn ws_status(app: &TestApp, path: &str, token: Option<&str>) -> (u16, Value) {
    let mut req = app.ws_url(path).into_client_request().unwrap();
    if let Some(t) = token {
        req.headers_mut()
            .insert("authorization", format!("Bearer {t}").parse().unwrap());
    }
    match tokio_tungstenite::connect_async(req).await {
        Ok((mut ws, _)) => {
            let _ = ws.close(None).await;
            (101, Value::Null)
        }
        Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => {
            let body = resp
                .body()
                .as_deref()
                .and_then(|b| serde_json::from_slice(b).ok())
                .unwrap_or(Value::Null);
            (resp.status().as_u16(), body)
        }
        Err(e) => panic!("WebSocket {path}: {e}"),
    }
}

/// The error code a refusal of the route with this status carries.
fn refusal_code(path: &str, status: u16) -> Option<&'static str> {
    // A refund with no paid cash bought, and cards without a gateway, have codes of their own.
    match (path, status) {
        ("/api/v1/wallet/refund", 409) => return Some("nothing_to_refund"),
        ("/api/v1/wallet/card-registration" | "/api/v1/wallet/cards", 409) => {
            return Some("payments_not_configured");
        }
        _ => {}
    }
    match status {
        401 => Some("unauthorized"),
        403 => Some("forbidden"),
        404 => Some("not_found"),
        409 => Some("conflict"),
        _ => None,
    }
}

fn ids(list: &Value, pick: impl Fn(&Value) -> &Value) -> BTreeSet<i64> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|v| pick(v).as_i64().expect("an id"))
        .collect()
}

/// What a list shows the caller, beyond its status.
fn check_list(
    caller: Caller,
    path: &str,
    answer: &Value,
    scene: &Scene,
    acc: &Accounts,
    problems: &mut Vec<String>,
) {
    let (h, w) = (&scene.held, &scene.waiting);
    let mut expect = |ok: bool, what: String| {
        if !ok {
            problems.push(format!("{caller:?} GET {path}: {what}; got {answer}"));
        }
    };
    match path {
        "/api/v1/consultations" => {
            let list = &answer["consultations"];
            let got = ids(list, |c| &c["id"]);
            let (held, waiting) = match caller {
                Caller::Admin | Caller::Manager | Caller::Holder => (true, true),
                Caller::Bystander => (false, true),
                _ => (false, false),
            };
            expect(
                got.contains(&h.consultation) == held,
                format!("the held consultation listed: {held}"),
            );
            expect(
                got.contains(&w.consultation) == waiting,
                format!("the waiting consultation listed: {waiting}"),
            );
            let me = match caller {
                Caller::Holder => Some(acc.holder_id),
                Caller::Bystander => Some(acc.bystander_id),
                _ => None,
            };
            if let Some(me) = me {
                for c in list.as_array().unwrap() {
                    let business = c["agent_id"].as_i64() == Some(me)
                        || (c["agent_id"].is_null() && c["state"] == "waiting");
                    expect(business, format!("only the queue and their own, not {c}"));
                }
            }
        }
        "/api/v1/rooms" => {
            let got = ids(&answer["rooms"], |r| &r["room"]["id"]);
            let (held, waiting) = match caller {
                Caller::Admin | Caller::Manager | Caller::Holder => (true, true),
                Caller::Bystander => (false, true),
                _ => (false, false),
            };
            expect(
                got.contains(&h.room) == held,
                format!("the held room listed: {held}"),
            );
            expect(
                got.contains(&w.room) == waiting,
                format!("the waiting room listed: {waiting}"),
            );
        }
        "/api/v1/agents" | "/api/v1/agents/directory" => {
            let got = ids(&answer["agents"], |a| &a["id"]);
            let ours = acc.site_agents.iter().all(|id| got.contains(id));
            let any_ours = acc.site_agents.iter().any(|id| got.contains(id));
            match caller {
                Caller::OtherAdmin | Caller::OtherAgent => {
                    expect(!any_ours, "none of this site's accounts".into());
                }
                _ => expect(ours, "every account of the site".into()),
            }
        }
        "/api/v1/categories" | "/api/v1/site/categories" => {
            let ours = answer["categories"]
                .as_array()
                .expect("categories")
                .iter()
                .any(|c| c["id"] == scene.category);
            let other = matches!(caller, Caller::OtherAdmin | Caller::OtherAgent);
            expect(
                ours != other,
                format!("the site's category listed: {}", !other),
            );
        }
        "/api/v1/site" => {
            let want = if caller == Caller::OtherAdmin {
                acc.other_site
            } else {
                acc.site
            };
            expect(
                answer["id"] == want,
                format!("the caller's own site {want}"),
            );
        }
        _ => {}
    }
}

async fn every_route_answers_each_caller_as_the_rules_say(app: TestApp) {
    // The walk opens many chat sessions from one address.
    let mut app = app;
    app.reconfigure(Config {
        webchat_per_minute: 1_000_000,
        sessions_per_minute: 1_000_000,
        ..Config::default()
    })
    .await;
    let acc = Accounts::new(&app).await;
    let table = routes();

    // Every documented route has its expectations, and every expectation its route.
    let documented = documented(&app).await;
    let expected: BTreeSet<(String, String)> = table
        .iter()
        .map(|r| (r.method.to_owned(), r.path.to_owned()))
        .collect();
    let missing: Vec<_> = documented.difference(&expected).collect();
    let stale: Vec<_> = expected.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "routes without an expectation of who may call them (add them to `routes()`): {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "expectations for routes that are gone: {stale:?}"
    );
    assert_eq!(expected.len(), table.len(), "one entry per route");

    let mut problems = Vec::new();
    let mut scene = scene(&app, &acc).await;
    let mut calls = 0;
    for route in &table {
        let method = Method::from_bytes(route.method.as_bytes()).unwrap();
        let writes = method != Method::GET;
        for (target, statuses) in &route.cases {
            for (caller, want) in CALLERS.into_iter().zip(*statuses) {
                let n = serial();
                let records = scene.records(*target);
                let mut req = (route.request)(&scene, records, n);
                if route.path == "/api/v1/auth/login" {
                    req.body =
                        Some(json!({"login": app.admin_login, "password": app.admin_password}));
                }
                let path = format!(
                    "{}{}",
                    fill(route.path, app.site, acc.holder_id, records, &scene),
                    req.query
                );
                let token = acc.token(caller);
                let before = if writes {
                    Some(snapshot(&app, &scene).await)
                } else {
                    None
                };
                let (status, answer) = if route.path.ends_with("/ws") {
                    ws_status(&app, &path, token).await
                } else {
                    let mut r = app
                        .http
                        .request(method.clone(), format!("{}{path}", app.base));
                    if let Some(t) = token {
                        r = r.bearer_auth(t);
                    }
                    if let Some(b) = &req.body {
                        r = r.json(b);
                    }
                    if let Some(bytes) = &req.upload {
                        r = r.multipart(reqwest::multipart::Form::new().part(
                            "file",
                            reqwest::multipart::Part::bytes(bytes.clone()).file_name("첨부.png"),
                        ));
                    }
                    if let Some(bytes) = &req.raw {
                        r = r.body(bytes.clone());
                    }
                    for (k, v) in &req.headers {
                        r = r.header(*k, v);
                    }
                    let resp = r.send().await.unwrap();
                    let status = resp.status().as_u16();
                    let bytes = resp.bytes().await.unwrap();
                    (
                        status,
                        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
                    )
                };
                calls += 1;
                let what = format!("{caller:?} {} {path} ({target:?})", route.method);
                if status != want {
                    problems.push(format!("{what}: {status}, expected {want}: {answer}"));
                }
                if let Some(code) = refusal_code(route.path, status)
                    && answer["error"]["code"] != code
                {
                    problems.push(format!("{what}: {status} without code {code}: {answer}"));
                }
                if status == 200 && method == Method::GET {
                    check_list(caller, route.path, &answer, &scene, &acc, &mut problems);
                }
                if let Some(before) = before {
                    if (200..300).contains(&status) {
                        // It may have changed the scene: the next call gets a fresh one.
                        scene = self::scene(&app, &acc).await;
                    } else if snapshot(&app, &scene).await != before {
                        problems.push(format!("{what}: refused ({status}) yet changed something"));
                        scene = self::scene(&app, &acc).await;
                    }
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {calls} calls answered otherwise than expected:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// The customer an agent serves, and the console's feed

/// An agent serving a customer reads that customer's history in their other rooms (even
/// consultations someone else handled), acts on none of it, and edits the customer only once
/// they hold the consultation; another agent sees none of it.
async fn an_agent_reads_the_history_of_the_customer_they_serve(app: TestApp) {
    let (_, agent) = app.agent("serving", Role::Agent).await;
    let (_, stranger) = app.agent("stranger", Role::Agent).await;
    let call = |method: Method, path: String, token: &str, body: Option<Value>| {
        let app = &app;
        let token = token.to_owned();
        async move {
            app.request(method, &path, Some(&token), body.as_ref())
                .await
        }
    };

    // Last week on the web, handled and closed by the admin.
    let web = app.chat(&app.v2_url("site_uid=('cust-1')")).await;
    app.say(&web.visitor, "지난번 문의").await.ok();
    let old = format!("/api/v1/consultations/{}", web.consultation);
    app.post(&format!("{old}/take"), &json!({})).await.ok();
    app.post(&format!("{old}/close"), &json!({})).await.ok();
    // Today on KakaoTalk, waiting in the queue.
    app.kakao(&kakao_request(
        "cust-1-kakao",
        "오늘 문의",
        json!({"site_uid": "cust-1"}),
    ))
    .await
    .ok();
    let kakao = newest_on(&app, "kakao").await;
    let (now, kakao_room) = (
        kakao["id"].as_i64().unwrap(),
        kakao["room_id"].as_i64().unwrap(),
    );
    let profile = app.room(web.room).await["profile_id"].as_i64().unwrap();
    assert_eq!(app.room(kakao_room).await["profile_id"], profile);

    // The queue makes the customer every agent's business: their history reads, acts do not.
    let history = [
        old.clone(),
        format!("/api/v1/rooms/{}", web.room),
        format!("/api/v1/rooms/{}/messages", web.room),
        format!("/api/v1/profiles/{profile}"),
    ];
    for path in &history {
        for token in [&agent, &stranger] {
            call(Method::GET, path.clone(), token, None).await.ok();
        }
    }
    call(Method::POST, format!("{old}/take"), &agent, None)
        .await
        .err(403, "forbidden");
    call(
        Method::POST,
        format!("{old}/messages"),
        &agent,
        Some(json!({"body": "x"})),
    )
    .await
    .err(403, "forbidden");
    let edit = json!({"phone": "010-5555-6666"});
    call(
        Method::PATCH,
        format!("/api/v1/profiles/{profile}"),
        &agent,
        Some(edit.clone()),
    )
    .await
    .err(403, "forbidden");
    let listed = call(Method::GET, "/api/v1/consultations".into(), &agent, None)
        .await
        .ok();
    let listed = ids(&listed["consultations"], |c| &c["id"]);
    assert!(listed.contains(&now) && !listed.contains(&web.consultation));
    let rooms = call(Method::GET, "/api/v1/rooms".into(), &agent, None)
        .await
        .ok();
    let rooms = ids(&rooms["rooms"], |r| &r["room"]["id"]);
    assert!(
        rooms.contains(&web.room) && rooms.contains(&kakao_room),
        "{rooms:?}"
    );

    // Once they hold the new consultation, the customer is theirs alone: they edit the
    // customer and set the ID of its room (not of the room of the old one); other agents no
    // longer see any of it.
    call(
        Method::POST,
        format!("/api/v1/consultations/{now}/take"),
        &agent,
        None,
    )
    .await
    .ok();
    for path in &history {
        call(Method::GET, path.clone(), &agent, None).await.ok();
        call(Method::GET, path.clone(), &stranger, None)
            .await
            .err(404, "not_found");
    }
    let rooms = call(Method::GET, "/api/v1/rooms".into(), &stranger, None)
        .await
        .ok();
    let rooms = ids(&rooms["rooms"], |r| &r["room"]["id"]);
    assert!(!rooms.contains(&web.room) && !rooms.contains(&kakao_room));
    let p = call(
        Method::PATCH,
        format!("/api/v1/profiles/{profile}"),
        &agent,
        Some(edit),
    )
    .await
    .ok();
    assert_eq!(p["phone"], "010-5555-6666");
    call(
        Method::PUT,
        format!("/api/v1/rooms/{}/site_uid", web.room),
        &agent,
        Some(json!({"site_uid": "cust-2"})),
    )
    .await
    .err(403, "forbidden");
    call(
        Method::GET,
        format!("/api/v1/rooms/{kakao_room}/link-preview?site_uid=cust-2"),
        &agent,
        None,
    )
    .await
    .ok();
    call(
        Method::POST,
        format!("/api/v1/consultations/{now}/messages"),
        &agent,
        Some(json!({"body": "도와드리겠습니다"})),
    )
    .await
    .ok();
    call(
        Method::POST,
        format!("/api/v1/consultations/{now}/messages"),
        &stranger,
        Some(json!({"body": "끼어들기"})),
    )
    .await
    .err(404, "not_found");
}

/// An agent's console receives the queue's and their own events only, watches only a room they
/// may read, and stops receiving a room's messages once it passes to another agent.
async fn an_agents_console_follows_the_queue_and_their_own(app: TestApp) {
    let acc = Accounts::new(&app).await;
    let scene = scene(&app, &acc).await;
    let auth = format!("Bearer {}", acc.bystander);
    let mut ws = app
        .ws("/api/v1/console/ws", &[("authorization", auth.as_str())])
        .await;
    ws.until(WAIT, |v| v["type"] == "hello").await;

    // Another agent's room cannot be watched; the queue's can.
    ws.send_json(&json!({"type": "watch", "room_id": scene.held.room}))
        .await;
    let refused = ws
        .until(WAIT, |v| v["type"] != "message" && v["type"] != "queue")
        .await;
    assert_eq!(refused["type"], "error", "{refused}");
    ws.send_json(&json!({"type": "watch", "room_id": scene.waiting.room}))
        .await;
    ws.until(WAIT, |v| v["type"] == "watching").await;

    app.say(&scene.held.visitor, "담당자에게만").await.ok();
    app.say(&scene.waiting.visitor, "대기 중 문의").await.ok();
    let mut seen = ws
        .frames_until(|v| v["message"]["body"] == "대기 중 문의")
        .await;

    // The holder takes the waiting one too: the bystander is told once, then leaves the room.
    app.request(
        Method::POST,
        &format!("/api/v1/consultations/{}/take", scene.waiting.consultation),
        Some(&acc.holder),
        None,
    )
    .await
    .ok();
    let frames = ws
        .frames_until(|v| v["type"] == "watching" && v["room_id"].is_null())
        .await;
    let taken: Vec<_> = frames
        .iter()
        .filter(|v| v["type"] == "consultation")
        .collect();
    assert_eq!(taken.len(), 1, "told once it left the queue: {frames:?}");
    assert_eq!(taken[0]["consultation"]["agent_id"], acc.holder_id);
    assert_eq!(frames.last().unwrap()["left"], scene.waiting.room);
    seen.extend(frames.into_iter().filter(|v| v["type"] != "consultation"));
    app.say(&scene.waiting.visitor, "이제 담당자에게만")
        .await
        .ok();
    ws.send_json(&json!({"type": "ping"})).await;
    let deadline = tokio::time::Instant::now() + Duration::from_millis(500);
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match ws.next_json(left).await {
            Some(v) => seen.push(v),
            None => break,
        }
    }
    assert!(
        seen.iter().any(|v| v["type"] == "pong"),
        "the socket still answers: {seen:?}"
    );
    for v in &seen {
        let body = v["message"]["body"].as_str().unwrap_or_default();
        assert!(
            !["담당자에게만", "이제 담당자에게만"].contains(&body),
            "another agent's message reached the bystander: {v}"
        );
        assert_ne!(v["type"], "consultation", "a later event of another's: {v}");
    }
}
