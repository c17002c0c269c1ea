//! The consultation history (reports): a manager filters by period (whole days of the site's
//! time zone), channel, state and parameter values; the counters count the whole filter; rows
//! carry every column, custom parameters headed by their descriptions; pages follow one
//! another without repeats; agents are refused; bad filters are clear errors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use std::sync::Arc;

use app::TestClock;
use common::TestApp;
use reqwest::Method;
use serde_json::{Value, json};
use server::Config;
use store::Role;

both!(
    a_manager_reads_the_history_by_day_parameter_and_state,
    agents_are_refused_and_bad_filters_name_their_field,
    a_download_holds_exactly_the_rows_the_page_shows,
    the_report_pages_are_for_managers_and_the_admin,
);

/// 2026-03-01 23:59:58 in Seoul (14:59:58 UTC).
const BEFORE_MIDNIGHT_SEOUL: i64 = 1_772_377_198_000;

async fn report(app: &TestApp, token: &str, body: Value) -> common::Resp {
    app.request(
        Method::POST,
        "/api/v1/reports/consultations",
        Some(token),
        Some(&body),
    )
    .await
}

fn ids(page: &Value) -> Vec<i64> {
    page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["consultation_id"].as_i64().unwrap())
        .collect()
}

async fn a_manager_reads_the_history_by_day_parameter_and_state(mut app: TestApp) {
    let clock = TestClock::at(BEFORE_MIDNIGHT_SEOUL);
    app.reconfigure(Config {
        clock: Arc::new(clock.clone()),
        ..Config::default()
    })
    .await;
    let (_, manager) = app.agent("manager1", Role::Manager).await;

    // One customer a second before midnight in Seoul, two just after.
    let late = app
        .chat(&app.v2_url(
            "cus_extra_username=('홍길동'),parameter1=('네이버검색'),user_parameter=('A-1')",
        ))
        .await;
    clock.advance(3_000);
    let early = app
        .chat(&app.v2_url("cus_extra_username=('김민지'),parameter1=('카카오광고')"))
        .await;
    clock.advance(1_000);
    let formula = app
        .chat(&app.v2_url("cus_extra_username=('=1%2B1'),parameter1=('카카오톡')"))
        .await;
    // The admin answers and closes the first.
    let path = format!("/api/v1/consultations/{}", late.consultation);
    app.say(&late.visitor, "환불 문의드려요").await.ok();
    app.post(&format!("{path}/take"), &json!({})).await.ok();
    app.post(
        &format!("{path}/messages"),
        &json!({"body": "처리했습니다."}),
    )
    .await
    .ok();
    app.post(&format!("{path}/close"), &json!({})).await.ok();

    // Everything, newest first, with the counters.
    let all = report(&app, &manager, json!({})).await.ok();
    assert_eq!(
        ids(&all),
        vec![formula.consultation, early.consultation, late.consultation]
    );
    assert_eq!(
        all["counters"],
        json!({"total": 3, "closed_by_agent": 1, "closed_by_customer": 0, "auto_closed": 0, "still_open": 2})
    );
    // The columns: custom parameters headed by their descriptions, only the enabled ones.
    let columns = all["columns"].as_array().unwrap();
    let title = |key: &str| {
        columns
            .iter()
            .find(|c| c["key"] == key)
            .map(|c| c["title"].as_str().unwrap().to_owned())
    };
    assert_eq!(title("parameter1").as_deref(), Some("유입경로"));
    assert_eq!(title("parameter2").as_deref(), Some("유저구분"));
    assert_eq!(title("parameter3"), None);
    assert_eq!(title("created_at").as_deref(), Some("생성 시각"));
    // The closed one's row, cell by cell where it matters.
    let row = &all["rows"][2];
    assert_eq!(row["cus_extra_username"], "홍길동");
    assert_eq!(row["parameter1"], "네이버검색");
    assert_eq!(row["parameter2"], Value::Null);
    assert_eq!(row["user_parameter"], "A-1");
    assert_eq!(row["channel"], "webchat_v2");
    assert_eq!(row["state"], "closed");
    assert_eq!(row["state_code"], 2);
    assert_eq!(row["end_type"], "manager", "the admin closed it");
    assert_eq!(row["customer_key"], late.customer_key.as_str());
    assert_eq!(row["room_id"], late.room);
    assert_eq!(row["created_at"], BEFORE_MIDNIGHT_SEOUL);
    // Every message of the consultation: the greeting, the customer's, the answer, the
    // closing message.
    let stored = app.room_bodies(late.room).await.len();
    assert_eq!(row["message_count"], stored as i64);
    assert!(stored >= 2);
    assert!(row["first_response_at"].is_i64());
    assert!(row["agent_name"].is_string());
    // A value that looks like a formula is a value like any other here.
    assert_eq!(all["rows"][0]["cus_extra_username"], "=1+1");

    // Days are the site's (Seoul): 1 March holds only the first, 2 March the other two.
    let first = report(
        &app,
        &manager,
        json!({"filter": {"from": "2026-03-01", "to": "2026-03-01"}}),
    )
    .await
    .ok();
    assert_eq!(ids(&first), vec![late.consultation]);
    assert_eq!(first["counters"]["total"], 1);
    let second = report(&app, &manager, json!({"filter": {"from": "2026-03-02"}}))
        .await
        .ok();
    assert_eq!(ids(&second), vec![formula.consultation, early.consultation]);

    // A custom parameter, exact and contained; a fixed one; and a state.
    let exact = report(
        &app,
        &manager,
        json!({"filter": {"params": [{"name": "parameter1", "value": "카카오광고"}]}}),
    )
    .await
    .ok();
    assert_eq!(ids(&exact), vec![early.consultation]);
    let contains = report(
        &app,
        &manager,
        json!({"filter": {"params": [{"name": "parameter1", "match": "contains", "value": "카카오"}]}}),
    )
    .await
    .ok();
    assert_eq!(
        ids(&contains),
        vec![formula.consultation, early.consultation]
    );
    assert_eq!(contains["counters"]["total"], 2);
    let wildcard = report(
        &app,
        &manager,
        json!({"filter": {"params": [{"name": "parameter1", "match": "contains", "value": "%"}]}}),
    )
    .await
    .ok();
    assert_eq!(
        ids(&wildcard),
        Vec::<i64>::new(),
        "% is a character, not a wildcard"
    );
    // The customer comes back to the open consultation by another URL: the filter finds it
    // by the value it has now, not by the one it had.
    let again = app
        .chat_as(
            "webchat_v2",
            &app.v2_url("parameter1=('네이버쇼핑'),parameter2=('P-7')"),
            Some(&early.visitor),
        )
        .await;
    assert_eq!(again.consultation, early.consultation);
    for (slot, value, found) in [
        ("parameter1", "네이버쇼핑", vec![early.consultation]),
        ("parameter1", "카카오광고", vec![]),
        ("parameter2", "P-7", vec![early.consultation]),
    ] {
        let by = report(
            &app,
            &manager,
            json!({"filter": {"params": [{"name": slot, "value": value}]}}),
        )
        .await
        .ok();
        assert_eq!(ids(&by), found, "{slot} = {value}");
    }
    let by_name = report(
        &app,
        &manager,
        json!({"filter": {"params": [{"name": "cus_extra_username", "value": "홍길동"}], "states": ["closed"]}}),
    )
    .await
    .ok();
    assert_eq!(ids(&by_name), vec![late.consultation]);
    let open = report(
        &app,
        &manager,
        json!({"filter": {"states": ["waiting", "in_progress"]}}),
    )
    .await
    .ok();
    assert_eq!(open["counters"]["still_open"], 2);
    assert_eq!(open["counters"]["total"], 2);

    // The dashboard: the two days of Seoul, inflow per channel, the waiting time of the one
    // taken (4 s after it was created), who held what.
    let board = app
        .request(
            Method::POST,
            "/api/v1/reports/dashboard",
            Some(&manager),
            Some(&json!({})),
        )
        .await
        .ok();
    assert_eq!(board["time_zone"], "Asia/Seoul");
    let days = board["days"].as_array().unwrap();
    assert_eq!(days.len(), 2);
    assert_eq!(days[0]["date"], "2026-03-01");
    assert_eq!(days[0]["inflow"]["webchat_v2"], 1);
    assert_eq!(days[0]["inflow"]["kakao"], 0);
    assert_eq!(days[1]["date"], "2026-03-02");
    assert_eq!(days[1]["inflow"]["webchat_v2"], 2);
    assert_eq!(
        days[0]["waiting"],
        json!({"count": 1, "median_ms": 4000, "p90_ms": 4000})
    );
    assert_eq!(
        days[1]["waiting"],
        json!({"count": 0, "median_ms": null, "p90_ms": null})
    );
    assert_eq!(board["first_response"]["count"], 1);
    assert_eq!(
        board["agents"][0],
        json!({"id": null, "name": null, "count": 2})
    );
    assert_eq!(board["agents"][1]["count"], 1);
    assert!(board["agents"][1]["name"].is_string());
    assert_eq!(board["unrated"], 3);
    let one_day = app
        .request(
            Method::POST,
            "/api/v1/reports/dashboard",
            Some(&manager),
            Some(&json!({"filter": {"from": "2026-02-28", "to": "2026-03-01"}})),
        )
        .await
        .ok();
    let dates: Vec<&str> = one_day["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["date"].as_str().unwrap())
        .collect();
    assert_eq!(
        dates,
        vec!["2026-02-28", "2026-03-01"],
        "empty days are shown"
    );

    // Pages of one: each row once, in order, the counters on the first page only.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut body = json!({"limit": 1});
        if let Some(c) = &cursor {
            body["cursor"] = json!(c);
        }
        let page = report(&app, &manager, body).await.ok();
        assert_eq!(page["counters"].is_null(), cursor.is_some());
        seen.extend(ids(&page));
        match page["next"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(
        seen,
        vec![formula.consultation, early.consultation, late.consultation]
    );
}

async fn agents_are_refused_and_bad_filters_name_their_field(app: TestApp) {
    let (_, agent) = app.agent("agent1", Role::Agent).await;
    report(&app, &agent, json!({})).await.err(403, "forbidden");
    let admin = app.token.clone();
    for (filter, field) in [
        (json!({"from": "2026-03-02", "to": "2026-03-01"}), "to"),
        (json!({"scores": [6]}), "scores"),
        (
            json!({"params": [{"name": "parameter3", "value": "x"}]}),
            "params",
        ),
        (
            json!({"params": [{"name": "nickname", "value": "x"}]}),
            "params",
        ),
        (
            json!({"params": [{"name": "parameter1", "value": "  "}]}),
            "params",
        ),
        (json!({"agent_id": 0}), "agent_id"),
    ] {
        let e = report(&app, &admin, json!({ "filter": filter }))
            .await
            .err(422, "invalid_field");
        assert_eq!(e["details"]["field"], field, "{filter}: {e}");
    }
    let e = report(&app, &admin, json!({"cursor": "yesterday"}))
        .await
        .err(422, "invalid_field");
    assert_eq!(e["details"]["field"], "cursor");
    let e = report(&app, &admin, json!({"limit": 501}))
        .await
        .err(422, "invalid_field");
    assert_eq!(e["details"]["field"], "limit");

    // The column chooser: every column until one chooses; kept per account, in the site's
    // order; unknown keys refused.
    let (_, manager) = app.agent("manager1", Role::Manager).await;
    let columns = |token: String| {
        let app = &app;
        async move {
            app.request(Method::GET, "/api/v1/reports/columns", Some(&token), None)
                .await
                .ok()["columns"]
                .clone()
        }
    };
    let all = columns(manager.clone()).await;
    assert_eq!(all[0], "consultation_id");
    assert!(all.as_array().unwrap().contains(&json!("parameter1")));
    let kept = app
        .request(
            Method::PUT,
            "/api/v1/reports/columns",
            Some(&manager),
            Some(&json!({"columns": ["parameter1", "consultation_id"]})),
        )
        .await
        .ok();
    assert_eq!(kept["columns"], json!(["consultation_id", "parameter1"]));
    assert_eq!(
        columns(manager.clone()).await,
        json!(["consultation_id", "parameter1"])
    );
    assert_eq!(
        columns(admin.clone()).await,
        all,
        "the admin's own choice is untouched"
    );
    for bad in [json!([]), json!(["parameter9"]), json!(["nope"])] {
        let e = app
            .request(
                Method::PUT,
                "/api/v1/reports/columns",
                Some(&manager),
                Some(&json!({ "columns": bad })),
            )
            .await
            .err(422, "invalid_field");
        assert_eq!(e["details"]["field"], "columns");
    }
    report(&app, &agent, json!({})).await.err(403, "forbidden");
}

/// The finished export (polled), then its file's bytes.
async fn exported(app: &TestApp, token: &str, body: Value) -> (Value, Vec<u8>, String) {
    let started = app
        .request(
            Method::POST,
            "/api/v1/reports/exports",
            Some(token),
            Some(&body),
        )
        .await;
    assert_eq!(started.status, 202, "{:?}", started.body);
    let id = started.body["id"].as_i64().unwrap();
    let mut export = started.body;
    for _ in 0..300 {
        if export["state"] == "done" {
            break;
        }
        assert!(
            export["state"] == "queued" || export["state"] == "running",
            "{export}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        export = app
            .request(
                Method::GET,
                &format!("/api/v1/reports/exports/{id}"),
                Some(token),
                None,
            )
            .await
            .ok();
    }
    assert_eq!(export["state"], "done", "{export}");
    let url = export["download_url"].as_str().unwrap().to_owned();
    let file = app
        .http
        .get(format!("{}{url}", app.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), 200);
    let disposition = file.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    let bytes = file.bytes().await.unwrap().to_vec();
    assert_eq!(export["bytes"], bytes.len() as i64);
    (export, bytes, disposition)
}

async fn a_download_holds_exactly_the_rows_the_page_shows(mut app: TestApp) {
    use calamine::{Data, Reader, Xlsx};
    let clock = TestClock::at(BEFORE_MIDNIGHT_SEOUL);
    app.reconfigure(Config {
        clock: Arc::new(clock.clone()),
        ..Config::default()
    })
    .await;
    let (_, manager) = app.agent("manager1", Role::Manager).await;
    let mut rooms = Vec::new();
    for (i, (name, source)) in [
        ("홍길동", "네이버검색"),
        ("=HYPERLINK(\"http://x\")", "카카오광고"),
        ("김민지", "카카오톡"),
        ("-할인", "네이버검색"),
    ]
    .into_iter()
    .enumerate()
    {
        let params = format!(
            "cus_extra_username=('{}'),parameter1=('{source}'),user_parameter=('u{i}')",
            name.replace('=', "%3D").replace('"', "%22")
        );
        rooms.push(app.chat(&app.v2_url(&params)).await.room);
        clock.advance(1_000);
    }
    // An agent tags one customer: the report shows their tags, in the order added.
    let profile = app.profile_of_room(rooms[1]).await["profile_id"]
        .as_i64()
        .unwrap();
    app.put(
        &format!("/api/v1/profiles/{profile}/tags"),
        &json!({"tags": ["재구매", "VIP"]}),
    )
    .await
    .ok();
    let filter =
        json!({"params": [{"name": "parameter1", "match": "contains", "value": "카카오"}]});
    let page = report(&app, &manager, json!({"filter": filter})).await.ok();
    let rows = page["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let tags: Vec<&Value> = rows.iter().map(|r| &r["tags"]).collect();
    assert_eq!(tags, [&Value::Null, &json!("재구매, VIP")], "{page}");
    let columns = page["columns"].as_array().unwrap();

    // The .xlsx, read back with calamine: the header, then every cell of every row.
    let (export, bytes, disposition) =
        exported(&app, &manager, json!({"filter": filter, "format": "xlsx"})).await;
    assert_eq!(export["rows_done"], 2);
    assert!(
        disposition.starts_with("attachment; filename=\"consultations-"),
        "{disposition}"
    );
    assert!(disposition.ends_with(".xlsx\""));
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("Sheet1").unwrap();
    assert_eq!(sheet.get_size(), (3, columns.len()));
    let seoul = jiff::tz::TimeZone::get("Asia/Seoul").unwrap();
    for (c, column) in columns.iter().enumerate() {
        assert_eq!(
            sheet.get((0, c)),
            Some(&Data::String(column["title"].as_str().unwrap().to_owned()))
        );
        for (r, row) in rows.iter().enumerate() {
            let want = &row[column["key"].as_str().unwrap()];
            let got = sheet.get((r + 1, c)).unwrap_or(&Data::Empty);
            match (column["kind"].as_str().unwrap(), want) {
                (_, Value::Null) => assert_eq!(got, &Data::Empty, "{column}"),
                ("int", v) => assert_eq!(got, &Data::Float(v.as_f64().unwrap()), "{column}"),
                ("text", v) => {
                    assert_eq!(got, &Data::String(v.as_str().unwrap().into()), "{column}")
                }
                ("time", v) => match got {
                    Data::DateTime(d) => assert!(
                        (d.as_f64() - app::export::excel_serial(v.as_i64().unwrap(), &seoul)).abs()
                            < 1e-9,
                        "{column}"
                    ),
                    other => panic!("{column}: {other:?}"),
                },
                other => panic!("{other:?}"),
            }
        }
    }
    // The formula-looking name is a string cell, never a formula.
    let formulas = book.worksheet_formula("Sheet1").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));

    // The CSV: a BOM, the same header, the same rows, the formula behind an apostrophe.
    let (_, bytes, _) = exported(&app, &manager, json!({"filter": filter, "format": "csv"})).await;
    let text = String::from_utf8(bytes).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a byte-order mark");
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let titles: Vec<String> = columns
        .iter()
        .map(|c| c["title"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(header, titles);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 2);
    let name_col = columns
        .iter()
        .position(|c| c["key"] == "cus_extra_username")
        .unwrap();
    assert_eq!(&records[1][name_col], "'=HYPERLINK(\"http://x\")");
    assert_eq!(&records[0][name_col], "김민지");
    // The list shows both, newest first; a finished export has nothing to cancel.
    let list = app
        .request(Method::GET, "/api/v1/reports/exports", Some(&manager), None)
        .await
        .ok();
    assert_eq!(list["exports"].as_array().unwrap().len(), 2);
    assert_eq!(list["exports"][0]["format"], "csv");
    let id = list["exports"][0]["id"].as_i64().unwrap();
    app.request(
        Method::POST,
        &format!("/api/v1/reports/exports/{id}/cancel"),
        Some(&manager),
        None,
    )
    .await
    .err(409, "conflict");
    // Another manager does not see it.
    let (_, other) = app.agent("manager2", Role::Manager).await;
    app.request(
        Method::GET,
        &format!("/api/v1/reports/exports/{id}"),
        Some(&other),
        None,
    )
    .await
    .err(404, "not_found");
}

/// `/reports` and `/reports/dashboard`: without a login, the login page coming back to the
/// page; an agent is told, with 403; a manager and the admin get the page, which links to the
/// other one.
async fn the_report_pages_are_for_managers_and_the_admin(app: TestApp) {
    let (_, agent) = app.agent("page.agent", Role::Agent).await;
    let (_, manager) = app.agent("page.manager", Role::Manager).await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for (path, other, next) in [
        ("/reports", "/reports/dashboard", "/login?next=%2Freports"),
        (
            "/reports/dashboard",
            "/reports",
            "/login?next=%2Freports%2Fdashboard",
        ),
    ] {
        let page = format!("{}{path}", app.base);
        let anonymous = http.get(&page).send().await.unwrap();
        assert_eq!(anonymous.status(), 303, "{path}");
        assert_eq!(anonymous.headers()["location"], next, "{path}");
        let denied = http.get(&page).bearer_auth(&agent).send().await.unwrap();
        assert_eq!(denied.status(), 403, "{path}");
        let html = denied.text().await.unwrap();
        assert!(html.contains("권한이 없습니다"), "{path}: {html}");
        assert!(!html.contains("report-filters"), "{path}");
        for token in [&manager, &app.token] {
            let ok = http.get(&page).bearer_auth(token).send().await.unwrap();
            assert_eq!(ok.status(), 200, "{path}");
            let html = ok.text().await.unwrap();
            assert!(html.contains(r#"id="report-filters""#), "{path}");
            assert!(html.contains(&format!(r#"href="{other}""#)), "{path}");
        }
    }
}
