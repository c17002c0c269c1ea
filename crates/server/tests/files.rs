//! Images and files as customers and agents send them: checked on their bytes, stored, shown
//! with a thumbnail, and served only to those who may see the room, never as a page that runs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use std::time::Duration;

use common::{TestApp, kakao_request, newest_on};
use protocol::naver::testing::FakeNaver;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use server::Config;
use server::security::PublicUrl;
use store::Role;

both!(
    a_customer_and_an_agent_exchange_an_image_and_a_file,
    bytes_decide_the_type_not_the_name,
    the_site_rules_limit_size_and_kinds,
    only_those_who_see_the_room_fetch_its_files,
    a_retried_upload_is_stored_once,
    messengers_get_images_by_a_signed_link_and_files_as_links,
    a_naver_users_image_arrives_as_an_image,
    files_go_to_the_bucket_when_one_is_set,
    deleting_a_consultations_data_deletes_its_files,
);

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

fn form(name: &str, bytes: Vec<u8>, client_msg_id: Option<&str>) -> Form {
    let mut f = Form::new().part("file", Part::bytes(bytes).file_name(name.to_owned()));
    if let Some(id) = client_msg_id {
        f = f.text("client_msg_id", id.to_owned());
    }
    f
}

/// What an answer was: status, headers, and the body as bytes.
struct Got {
    status: u16,
    headers: reqwest::header::HeaderMap,
    bytes: Vec<u8>,
}

impl Got {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or(Value::Null)
    }

    #[track_caller]
    fn ok(&self) -> Value {
        assert_eq!(self.status, 200, "{}", String::from_utf8_lossy(&self.bytes));
        self.json()
    }

    #[track_caller]
    fn refused(&self, status: u16, code: &str) {
        assert_eq!(
            self.status,
            status,
            "{}",
            String::from_utf8_lossy(&self.bytes)
        );
        assert_eq!(self.json()["error"]["code"], code, "{}", self.json());
    }

    fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    }
}

async fn got(resp: reqwest::Response) -> Got {
    Got {
        status: resp.status().as_u16(),
        headers: resp.headers().clone(),
        bytes: resp.bytes().await.unwrap().to_vec(),
    }
}

async fn customer_upload(app: &TestApp, visitor: &str, f: Form) -> Got {
    got(app
        .http
        .post(format!("{}/api/v1/webchat/{}/files", app.base, app.site))
        .header("x-sangdam-visitor", visitor)
        .multipart(f)
        .send()
        .await
        .unwrap())
    .await
}

async fn agent_upload(app: &TestApp, token: &str, consultation: i64, f: Form) -> Got {
    got(app
        .http
        .post(format!(
            "{}/api/v1/consultations/{consultation}/files",
            app.base
        ))
        .bearer_auth(token)
        .multipart(f)
        .send()
        .await
        .unwrap())
    .await
}

async fn agent_fetch(app: &TestApp, token: &str, path: &str) -> Got {
    got(app
        .http
        .get(format!("{}/api/v1{path}", app.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap())
    .await
}

async fn visitor_fetch(app: &TestApp, visitor: &str, path: &str) -> Got {
    // As an <img> asks: the key in the query.
    got(app
        .http
        .get(format!(
            "{}/api/v1/webchat/{}/files{path}?visitor={visitor}",
            app.base, app.site
        ))
        .send()
        .await
        .unwrap())
    .await
}

async fn a_customer_and_an_agent_exchange_an_image_and_a_file(app: TestApp) {
    let chat = app.chat(&app.v2_url("")).await;
    let picture = png(800, 600);
    let sent = customer_upload(
        &app,
        &chat.visitor,
        form("영수증.png", picture.clone(), None),
    )
    .await
    .ok();
    assert_eq!(sent["body"], "영수증.png");
    assert_eq!(sent["consultation_id"], chat.consultation);
    let file = &sent["file"];
    assert_eq!(file["kind"], "image");
    assert_eq!(file["media_type"], "image/png");
    assert_eq!(
        (file["width"].as_i64(), file["height"].as_i64()),
        (Some(800), Some(600))
    );
    assert_eq!(file["size"], picture.len());
    assert_eq!(file["thumbnail"], true);
    let id = file["id"].as_i64().unwrap();

    // The agent sees it in the consultation and opens it and its thumbnail.
    let messages = app
        .get(&format!("/api/v1/consultations/{}", chat.consultation))
        .await
        .ok();
    let shown = messages["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == sent["id"])
        .cloned()
        .unwrap();
    assert_eq!(shown["file"], *file);
    let full = agent_fetch(&app, &app.token, &format!("/files/{id}")).await;
    assert_eq!(full.status, 200);
    assert_eq!(full.bytes, picture);
    assert_eq!(full.header("content-type"), "image/png");
    assert_eq!(full.header("x-content-type-options"), "nosniff");
    assert!(full.header("content-security-policy").contains("sandbox"));
    assert_eq!(
        full.header("content-disposition"),
        "inline; filename=\"___.png\"; filename*=UTF-8''%EC%98%81%EC%88%98%EC%A6%9D.png"
    );
    let thumb = agent_fetch(&app, &app.token, &format!("/files/{id}/thumbnail")).await;
    assert_eq!(thumb.header("content-type"), "image/jpeg");
    let small = image::load_from_memory(&thumb.bytes).unwrap();
    assert_eq!((small.width(), small.height()), (320, 240));
    // The window that sent it opens it too.
    let own = visitor_fetch(&app, &chat.visitor, &format!("/{id}")).await;
    assert_eq!(own.bytes, picture);

    // The agent answers with a document: the window lists it and downloads it.
    let reply = agent_upload(
        &app,
        &app.token,
        chat.consultation,
        form("견적서.pdf", PDF.to_vec(), None),
    )
    .await
    .ok();
    assert_eq!(reply["delivery"], "realtime");
    let doc = &reply["message"]["file"];
    assert_eq!(
        (doc["kind"].as_str(), doc["thumbnail"].as_bool()),
        (Some("pdf"), Some(false))
    );
    assert_eq!(reply["message"]["sender"], "agent");
    let listed = app.chat_bodies(&chat.visitor).await;
    assert!(listed.contains(&"견적서.pdf".to_owned()), "{listed:?}");
    let doc_id = doc["id"].as_i64().unwrap();
    let download = visitor_fetch(&app, &chat.visitor, &format!("/{doc_id}")).await;
    assert_eq!(download.bytes, PDF);
    assert_eq!(download.header("content-type"), "application/pdf");
    assert!(
        download
            .header("content-disposition")
            .starts_with("attachment;")
    );
    // A document has no thumbnail.
    visitor_fetch(&app, &chat.visitor, &format!("/{doc_id}/thumbnail"))
        .await
        .refused(404, "not_found");
}

async fn bytes_decide_the_type_not_the_name(app: TestApp) {
    let chat = app.chat(&app.v2_url("")).await;
    let page = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>";
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><script>alert(2)</script></svg>";
    for (name, bytes) in [
        ("photo.png", &page[..]),
        ("logo.svg", &svg[..]),
        ("logo.png", &svg[..]),
        (
            "program.pdf",
            &b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0"[..],
        ),
    ] {
        customer_upload(&app, &chat.visitor, form(name, bytes.to_vec(), None))
            .await
            .refused(422, "file_type_unknown");
    }
    // Bytes that start like an image but are not one.
    let mut broken = png(10, 10);
    broken.truncate(60);
    customer_upload(&app, &chat.visitor, form("broken.png", broken, None))
        .await
        .refused(422, "image_unreadable");
    customer_upload(&app, &chat.visitor, form("empty.png", Vec::new(), None))
        .await
        .refused(422, "file_empty");
    // A form without a file part.
    customer_upload(&app, &chat.visitor, Form::new().text("client_msg_id", "x"))
        .await
        .refused(422, "invalid_field");
    // Not a form at all.
    let raw = got(app
        .http
        .post(format!("{}/api/v1/webchat/{}/files", app.base, app.site))
        .header("x-sangdam-visitor", &chat.visitor)
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap())
    .await;
    raw.refused(400, "bad_request");
    // A PDF named like a page is offered under its real extension.
    let sent = customer_upload(
        &app,
        &chat.visitor,
        form("invoice.html", PDF.to_vec(), None),
    )
    .await
    .ok();
    assert_eq!(sent["file"]["name"], "invoice.html.pdf");
    assert_eq!(sent["file"]["media_type"], "application/pdf");
    // Nothing refused reached the conversation.
    let bodies = app.chat_bodies(&chat.visitor).await;
    assert!(
        !bodies
            .iter()
            .any(|b| b.contains("svg") || b.contains("photo")),
        "{bodies:?}"
    );
}

async fn the_site_rules_limit_size_and_kinds(app: TestApp) {
    let rules = app.get("/api/v1/site/file-rules").await.ok();
    assert_eq!(rules["max_bytes"], 10 * 1024 * 1024);
    assert_eq!(
        rules["kinds"],
        json!(["image", "pdf", "office", "archive", "text"])
    );
    let saved = app
        .put(
            "/api/v1/site/file-rules",
            &json!({"max_bytes": 2000, "kinds": ["image", "image"]}),
        )
        .await
        .ok();
    assert_eq!(saved, json!({"max_bytes": 2000, "kinds": ["image"]}));
    app.put(
        "/api/v1/site/file-rules",
        &json!({"max_bytes": 60 * 1024 * 1024, "kinds": []}),
    )
    .await
    .err(422, "invalid_field");
    let chat = app.chat(&app.v2_url("")).await;
    customer_upload(&app, &chat.visitor, form("a.pdf", PDF.to_vec(), None))
        .await
        .refused(422, "file_type_not_allowed");
    customer_upload(&app, &chat.visitor, form("big.png", png(300, 300), None))
        .await
        .refused(413, "file_too_large");
    customer_upload(&app, &chat.visitor, form("small.png", png(4, 4), None))
        .await
        .ok();
    // Only the admin sets them.
    let (_, manager) = app.agent("manager1", Role::Manager).await;
    let r = app
        .request(
            reqwest::Method::GET,
            "/api/v1/site/file-rules",
            Some(&manager),
            None,
        )
        .await;
    assert_eq!(r.status, 403);
}

async fn only_those_who_see_the_room_fetch_its_files(app: TestApp) {
    let chat = app.chat(&app.v2_url("")).await;
    let sent = customer_upload(&app, &chat.visitor, form("a.png", png(20, 20), None))
        .await
        .ok();
    let id = sent["file"]["id"].as_i64().unwrap();
    // Another site's admin: as if there were no such file.
    let other = app.other_site("다른 쇼핑몰").await;
    agent_fetch(&app, &other.api_token, &format!("/files/{id}"))
        .await
        .refused(404, "not_found");
    // An agent of the site who neither holds the consultation nor may take it... an agent
    // sees the queue, so it is readable while waiting; once the admin takes it, it is not.
    let (_, agent) = app.agent("agent1", Role::Agent).await;
    app.post(
        &format!("/api/v1/consultations/{}/take", chat.consultation),
        &json!({}),
    )
    .await
    .ok();
    agent_fetch(&app, &agent, &format!("/files/{id}"))
        .await
        .refused(404, "not_found");
    // Another browser on the site.
    let stranger = app.chat(&app.v2_url("")).await;
    visitor_fetch(&app, &stranger.visitor, &format!("/{id}"))
        .await
        .refused(404, "not_found");
    // No key at all.
    let anonymous = got(app
        .http
        .get(format!(
            "{}/api/v1/webchat/{}/files/{id}",
            app.base, app.site
        ))
        .send()
        .await
        .unwrap())
    .await;
    anonymous.refused(401, "unauthorized");
    // Not logged in.
    let r = got(app
        .http
        .get(format!("{}/api/v1/files/{id}", app.base))
        .send()
        .await
        .unwrap())
    .await;
    r.refused(401, "unauthorized");
    // A link that was never signed.
    let r = got(app
        .http
        .get(format!(
            "{}/files/{id}/99999999999999/{}",
            app.base,
            "0".repeat(64)
        ))
        .send()
        .await
        .unwrap())
    .await;
    r.refused(404, "not_found");
}

async fn a_retried_upload_is_stored_once(app: TestApp) {
    let chat = app.chat(&app.v2_url("")).await;
    let first = customer_upload(&app, &chat.visitor, form("a.png", png(8, 8), Some("up-1")))
        .await
        .ok();
    let again = customer_upload(&app, &chat.visitor, form("a.png", png(8, 8), Some("up-1")))
        .await
        .ok();
    assert_eq!(first["id"], again["id"]);
    assert_eq!(first["file"]["id"], again["file"]["id"]);
    let bodies = app.chat_bodies(&chat.visitor).await;
    assert_eq!(
        bodies.iter().filter(|b| *b == "a.png").count(),
        1,
        "{bodies:?}"
    );
}

/// The path and query of a link made for `base`.
fn path_of<'a>(url: &'a str, base: &str) -> &'a str {
    url.strip_prefix(base)
        .unwrap_or_else(|| panic!("{url} is not under {base}"))
}

async fn messengers_get_images_by_a_signed_link_and_files_as_links(app: TestApp) {
    const BASE: &str = "https://chat.example.com";
    let fake = FakeNaver::start("naver-files-key").await;
    let mut app = app;
    app.reconfigure(Config {
        naver: Some((fake.url(), "naver-files-key".to_owned())),
        public_url: Some(PublicUrl::parse(BASE).unwrap()),
        ..Config::default()
    })
    .await;
    let picture = png(64, 48);

    // Naver: the image goes as an image Naver fetches by its link, a document as its name
    // and link.
    let user = "al-2eGuGr5WQOnco1_V-FQ";
    app.naver(&json!({"event": "send", "user": user, "textContent": {"text": "사진 보내주세요"}}))
        .await
        .ok();
    let c = newest_on(&app, "naver").await["id"].as_i64().unwrap();
    let sent = agent_upload(&app, &app.token, c, form("상품.png", picture.clone(), None))
        .await
        .ok();
    assert_eq!(sent["delivery"], "sending");
    agent_upload(&app, &app.token, c, form("견적서.pdf", PDF.to_vec(), None))
        .await
        .ok();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    // Besides what Sangdam says itself (the place in the queue).
    let is_file_text = |m: &Value| {
        m["textContent"]["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("[파일]"))
    };
    let received = loop {
        let got = fake.received();
        if got.iter().any(|m| m.get("imageContent").is_some()) && got.iter().any(is_file_text) {
            break got;
        }
        assert!(std::time::Instant::now() < deadline, "Naver got {got:?}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    };
    let image_at = received
        .iter()
        .position(|m| m.get("imageContent").is_some())
        .unwrap();
    let text_at = received.iter().position(is_file_text).unwrap();
    assert!(image_at < text_at, "in the order sent: {received:?}");
    let image_url = received[image_at]["imageContent"]["imageUrl"]
        .as_str()
        .unwrap();
    let fetched = got(app
        .http
        .get(format!("{}{}", app.base, path_of(image_url, BASE)))
        .send()
        .await
        .unwrap())
    .await;
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.bytes, picture);
    assert_eq!(fetched.header("content-type"), "image/png");
    let text = received[text_at]["textContent"]["text"].as_str().unwrap();
    assert!(text.starts_with("[파일] 견적서.pdf"), "{text}");
    let link = text.lines().last().unwrap();
    let doc = got(app
        .http
        .get(format!("{}{}", app.base, path_of(link, BASE)))
        .send()
        .await
        .unwrap())
    .await;
    assert_eq!(doc.bytes, PDF);
    // A link whose signature was changed opens nothing.
    let mut forged = path_of(link, BASE).to_owned();
    let last = forged.pop().unwrap();
    forged.push(if last == '0' { '1' } else { '0' });
    got(app
        .http
        .get(format!("{}{forged}", app.base))
        .send()
        .await
        .unwrap())
    .await
    .refused(404, "not_found");

    // Kakao: the image comes as a simpleImage with the user's next answer.
    app.kakao(&kakao_request("fileUser", "사진 주세요", json!({})))
        .await
        .ok();
    let k = newest_on(&app, "kakao").await["id"].as_i64().unwrap();
    let sent = agent_upload(&app, &app.token, k, form("상품.png", picture.clone(), None))
        .await
        .ok();
    assert_eq!(sent["delivery"], "queued");
    let answer = app
        .kakao(&kakao_request("fileUser", "네", json!({})))
        .await
        .ok();
    let image = answer["template"]["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|o| o.get("simpleImage"))
        .cloned()
        .unwrap_or_else(|| panic!("no simpleImage: {answer}"));
    assert_eq!(image["altText"], "상품.png");
    let url = image["imageUrl"].as_str().unwrap();
    let fetched = got(app
        .http
        .get(format!("{}{}", app.base, path_of(url, BASE)))
        .send()
        .await
        .unwrap())
    .await;
    assert_eq!(fetched.bytes, picture);
}

/// A Naver user's image: stored at once with its address, then fetched from Naver's image
/// host (the local peer here), kept within the site's rules and attached, with a thumbnail;
/// an address off Naver's hosts is never fetched, and its message keeps the address.
async fn a_naver_users_image_arrives_as_an_image(app: TestApp) {
    let fake = FakeNaver::start("naver-image-key").await;
    let mut app = app;
    app.reconfigure(Config {
        naver: Some((fake.url(), "naver-image-key".to_owned())),
        ..Config::default()
    })
    .await;
    let picture = png(120, 80);
    let url = fake.serve_image("receipt.png", picture.clone());
    let user = "nv-image-user-xxxxxxxx";
    let answer = app
        .naver(&json!({"event": "send", "user": user, "imageContent": {"imageUrl": url}}))
        .await
        .ok();
    let message = answer["message_id"].as_i64().unwrap();
    let c = newest_on(&app, "naver").await["id"].as_i64().unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let file = loop {
        let detail = app.consultation(c).await;
        let m = detail["messages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == message)
            .cloned()
            .unwrap();
        assert!(m["body"].as_str().unwrap().contains(&url), "{m}");
        if !m["file"].is_null() {
            break m["file"].clone();
        }
        assert!(std::time::Instant::now() < deadline, "never attached: {m}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(file["kind"], "image");
    assert_eq!(
        (file["width"].clone(), file["height"].clone()),
        (json!(120), json!(80))
    );
    let id = file["id"].as_i64().unwrap();
    let fetched = got(app
        .http
        .get(format!("{}/api/v1/files/{id}", app.base))
        .bearer_auth(&app.token)
        .send()
        .await
        .unwrap())
    .await;
    assert_eq!(fetched.bytes, picture);
    let thumb = got(app
        .http
        .get(format!("{}/api/v1/files/{id}/thumbnail", app.base))
        .bearer_auth(&app.token)
        .send()
        .await
        .unwrap())
    .await;
    assert_eq!(thumb.status, 200);

    // Not Naver's: recorded as words, never fetched.
    let elsewhere = "http://169.254.169.254/latest/meta-data.png";
    let answer = app
        .naver(&json!({"event": "send", "user": user, "imageContent": {"imageUrl": elsewhere}}))
        .await
        .ok();
    let other = answer["message_id"].as_i64().unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let detail = app.consultation(c).await;
    let m = detail["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == other)
        .cloned()
        .unwrap();
    assert!(m["file"].is_null(), "{m}");
    assert!(m["body"].as_str().unwrap().contains(elsewhere), "{m}");
}

/// With a bucket configured, an upload's bytes (and its thumbnail) are kept there, and served
/// from there with the same checks.
async fn files_go_to_the_bucket_when_one_is_set(app: TestApp) {
    let Ok(endpoint) = std::env::var("SANGDAM_TEST_S3") else {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "SANGDAM_TEST_S3 is not set and CI=true: the bucket tests must run"
        );
        eprintln!("!!! SKIPPING the bucket test: no local S3 (set SANGDAM_TEST_S3)");
        return;
    };
    let s3: std::sync::Arc<dyn object_store::ObjectStore> = std::sync::Arc::new(
        object_store::aws::AmazonS3Builder::new()
            .with_endpoint(endpoint)
            .with_allow_http(true)
            .with_bucket_name("sangdam-test")
            .with_region("us-east-1")
            .with_access_key_id("test")
            .with_secret_access_key("test")
            .build()
            .unwrap(),
    );
    let prefix = format!("server-{}-{:?}", std::process::id(), app.backend);
    let mut app = app;
    app.reconfigure(Config {
        files_bucket: Some(std::sync::Arc::new(app::files::Bucket::new(
            s3.clone(),
            &prefix,
        ))),
        ..Config::default()
    })
    .await;
    let s = app.chat(&app.v2_url("site_uid=('bucket1')")).await;
    let picture = png(64, 64);
    let sent = customer_upload(&app, &s.visitor, form("사진.png", picture.clone(), None))
        .await
        .ok();
    let id = sent["file"]["id"].as_i64().unwrap();
    let served = got(app
        .http
        .get(format!("{}/api/v1/files/{id}", app.base))
        .bearer_auth(&app.token)
        .send()
        .await
        .unwrap())
    .await;
    assert_eq!(served.bytes, picture);
    let listed: Vec<object_store::ObjectMeta> = {
        use futures_util::TryStreamExt;
        s3.list(Some(&object_store::path::Path::from(prefix.as_str())))
            .try_collect()
            .await
            .unwrap()
    };
    // The image and its thumbnail, nothing else.
    assert_eq!(listed.len(), 2, "{listed:?}");
    let sizes: Vec<usize> = listed.iter().map(|m| m.size as usize).collect();
    assert!(sizes.contains(&picture.len()), "{sizes:?}");
}

/// The admin deletes a finished consultation's data: its messages and files go, and a file's
/// content too once no other file holds the same bytes; the consultation stays, deleted.
async fn deleting_a_consultations_data_deletes_its_files(app: TestApp) {
    let dir = std::env::temp_dir().join(format!(
        "sangdam-delete-{}-{:?}",
        std::process::id(),
        app.backend
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let mut app = app;
    app.reconfigure(Config {
        files_dir: Some(dir.clone()),
        ..Config::default()
    })
    .await;
    let blobs = || -> usize {
        fn count(p: &std::path::Path) -> usize {
            std::fs::read_dir(p).map_or(0, |entries| {
                entries
                    .flatten()
                    .map(|e| {
                        let path = e.path();
                        if path.is_dir() { count(&path) } else { 1 }
                    })
                    .sum()
            })
        }
        count(&dir)
    };
    let picture = png(40, 30);
    let a = app.chat(&app.v2_url("site_uid=('del-a')")).await;
    app.say(&a.visitor, "지울 문의").await.ok();
    let a_file = customer_upload(&app, &a.visitor, form("a.png", picture.clone(), None))
        .await
        .ok()["file"]["id"]
        .as_i64()
        .unwrap();
    let b = app.chat(&app.v2_url("site_uid=('del-b')")).await;
    customer_upload(&app, &b.visitor, form("b.png", picture.clone(), None))
        .await
        .ok();
    // One content and one thumbnail, held by both files.
    assert_eq!(blobs(), 2);

    let path = format!("/api/v1/consultations/{}", a.consultation);
    let e = app
        .request(reqwest::Method::DELETE, &path, Some(&app.token), None)
        .await
        .err(409, "conflict");
    assert!(e["message"].as_str().unwrap().contains("waiting"), "{e}");
    let (_, agent) = app.agent("agent1", Role::Agent).await;
    app.post(&format!("{path}/close"), &json!({})).await.ok();
    app.request(reqwest::Method::DELETE, &path, Some(&agent), None)
        .await
        .err(403, "forbidden");
    let other = app.other_site("다른 상점").await;
    app.request(reqwest::Method::DELETE, &path, Some(&other.api_token), None)
        .await
        .err(404, "not_found");

    let gone = app
        .request(reqwest::Method::DELETE, &path, Some(&app.token), None)
        .await
        .ok();
    assert_eq!(gone["consultation"]["state"], "deleted");
    assert_eq!(gone["files"], 1);
    assert!(gone["messages"].as_u64().unwrap() >= 2, "{gone}");
    let detail = app.consultation(a.consultation).await;
    assert_eq!(detail["messages"], json!([]));
    assert_eq!(detail["inflows"], json!([]));
    let fetched = got(app
        .http
        .get(format!("{}/api/v1/files/{a_file}", app.base))
        .bearer_auth(&app.token)
        .send()
        .await
        .unwrap())
    .await;
    fetched.refused(404, "not_found");
    // The other consultation's file still holds the bytes.
    assert_eq!(blobs(), 2);
    app.request(reqwest::Method::DELETE, &path, Some(&app.token), None)
        .await
        .err(409, "conflict");

    let b_path = format!("/api/v1/consultations/{}", b.consultation);
    app.post(&format!("{b_path}/close"), &json!({})).await.ok();
    app.request(reqwest::Method::DELETE, &b_path, Some(&app.token), None)
        .await
        .ok();
    assert_eq!(blobs(), 0, "no file names the bytes any more");
    let log = app.get("/api/v1/site/audit").await.ok();
    let deleted = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "consultation_deleted")
        .count();
    assert_eq!(deleted, 2);
    let _ = std::fs::remove_dir_all(&dir);
}
