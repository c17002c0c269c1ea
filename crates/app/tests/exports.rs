//! Report downloads: a file holds every row of the filter, chunk after chunk; one cancelled
//! midway leaves no file; the background worker writes a queued export to the end and offers
//! its file, and one cancelled before it ran is never written; agents may not export.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use app::export::FileFormat;
use app::exports::ExportConfig;
use app::reports::EXPORT_CHUNK_ROWS;
use common::TestApp;
use sangdam_core::report::{FilterSpec, Match, ParamSpec};
use sangdam_core::{Role, SiteId};
use store::{ExportState, SeedBatch, SeedConsultation, SeedProfile, SeedRoom};

both!(
    a_file_holds_every_chunk_and_a_cancel_midway_leaves_none,
    the_stream_holds_each_row_once_and_none_made_while_reading,
    the_worker_writes_queued_exports_and_skips_cancelled_ones,
    messages_written_after_the_close_are_counted,
);

/// More rows than two chunks: closed consultations in one room, a minute apart.
const ROWS: i64 = 2 * EXPORT_CHUNK_ROWS as i64 + 7;

/// Seeds [`ROWS`] closed consultations (`order-0` first, with no messages) in one room;
/// answers the first one's id and the room.
async fn seed(t: &TestApp) -> (i64, i64) {
    let site: SiteId = t.site_id();
    let start = t.store.seed_start(site, "%").await.unwrap();
    let ids = start.max_ids;
    let (profile, room) = (ids.profiles + 1, ids.rooms + 1);
    let at = |i: i64| t.clock_now() - (ROWS - i) * 60_000;
    let batch = SeedBatch {
        profiles: vec![SeedProfile {
            id: profile,
            site_uid: Some("member-1".into()),
            name: "홍길동".into(),
            phone: "010-1234-5678".into(),
            email: None,
            created_at: at(0),
        }],
        rooms: vec![SeedRoom {
            id: room,
            platform: "kakao",
            channel: "kakao",
            customer_key: "kakao-user-1".into(),
            profile_id: profile,
            created_at: at(0),
        }],
        consultations: (0..ROWS)
            .map(|i| SeedConsultation {
                id: ids.consultations + 1 + i,
                room_id: room,
                channel: "kakao",
                state: 2,
                end_type: Some("customer"),
                agent_id: None,
                closed_by: None,
                category_id: None,
                division_id: None,
                user_parameter: Some(format!("order-{i}")),
                custom: "{}".into(),
                created_at: at(i),
                assigned_at: None,
                first_response_at: None,
                closed_at: Some(at(i) + 30_000),
                updated_at: at(i) + 30_000,
                waiting_since: Some(at(i)),
                answered_at: None,
                rating: None,
                rating_comment: None,
                rated_at: None,
                message_count: Some(0),
            })
            .collect(),
        ..SeedBatch::default()
    };
    t.store.seed_batch(site, &batch).await.unwrap();
    t.store.seed_finish().await.unwrap();
    (ids.consultations + 1, room)
}

async fn manager(t: &TestApp) -> store::AgentRecord {
    t.store
        .create_agent(
            t.site_id(),
            "boss",
            "-",
            "팀장",
            Role::Manager,
            t.clock_now(),
        )
        .await
        .unwrap()
}

fn dir(t: &TestApp) -> std::path::PathBuf {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    t.db.url.hash(&mut h);
    std::env::temp_dir().join(format!("sangdam-exports-test-{:x}", h.finish()))
}

async fn a_file_holds_every_chunk_and_a_cancel_midway_leaves_none(t: TestApp) {
    seed(&t).await;
    let site = t.site_id();
    let context = t.services.report_context(site).await.unwrap();
    let filter = context.filter(FilterSpec::default()).unwrap();
    let dir = dir(&t);
    std::fs::create_dir_all(&dir).unwrap();

    // Whole: every row, progress up to the total.
    let csv = dir.join("all.csv");
    let mut seen = Vec::new();
    let written = t
        .services
        .write_report(
            site,
            &context,
            &filter,
            &context.columns,
            i18n::Lang::Ko,
            FileFormat::Csv,
            &csv,
            |done, total| {
                seen.push((done, total));
                true
            },
        )
        .await
        .unwrap();
    assert_eq!(written.rows, ROWS as u64);
    let total = ROWS as u64;
    let chunk = EXPORT_CHUNK_ROWS as u64;
    assert_eq!(
        seen,
        vec![(chunk, total), (2 * chunk, total), (total, total)]
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(
        text.lines().count(),
        ROWS as usize + 1,
        "a header and every row"
    );
    assert!(text.starts_with("\u{feff}상담 번호,"));
    // Newest first: the last seeded is the first row.
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .contains(&format!("order-{}", ROWS - 1))
    );

    // Cancelled after the first chunk: no file, partial or whole.
    let xlsx = dir.join("cancelled.xlsx");
    let outcome = t
        .services
        .write_report(
            site,
            &context,
            &filter,
            &context.columns,
            i18n::Lang::Ko,
            FileFormat::Xlsx,
            &xlsx,
            |done, _| done < chunk,
        )
        .await;
    assert!(
        matches!(outcome, Err(app::AppError::Cancelled)),
        "{outcome:?}"
    );
    assert!(!xlsx.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A download reads its rows in one pass: chunk after chunk, they hold every row once, newest
/// first, and a consultation made while they are read is not among them.
async fn the_stream_holds_each_row_once_and_none_made_while_reading(t: TestApp) {
    seed(&t).await;
    let site = t.site_id();
    let context = t.services.report_context(site).await.unwrap();
    let filter = context.filter(FilterSpec::default()).unwrap();
    let mut chunks = t.store.report_stream(site, &filter);
    let first = chunks.recv().await.unwrap().unwrap();
    assert_eq!(first.len(), EXPORT_CHUNK_ROWS);

    // A customer writes in while the download is being read.
    let (_, _, late) =
        common::anonymous_consultation(&t.services, &t, inflow::Channel::WebchatV2).await;
    let now = t.store.report_counters(site, &filter).await.unwrap();
    assert_eq!(now.total, ROWS as u64 + 1, "{late} is in the history now");
    let mut sizes = vec![first.len()];
    let mut ids: Vec<String> = first
        .iter()
        .map(|r| r.user_parameter.clone().unwrap_or_default())
        .collect();
    while let Some(chunk) = chunks.recv().await {
        let chunk = chunk.unwrap();
        sizes.push(chunk.len());
        ids.extend(
            chunk
                .iter()
                .map(|r| r.user_parameter.clone().unwrap_or_default()),
        );
    }
    assert_eq!(sizes, vec![EXPORT_CHUNK_ROWS, EXPORT_CHUNK_ROWS, 7]);
    let expected: Vec<String> = (0..ROWS).rev().map(|i| format!("order-{i}")).collect();
    assert_eq!(ids, expected);

    // A parameter's value, with quotes and LIKE's own characters taken as they are (on
    // PostgreSQL the values are written into the statement).
    for (matching, value, want) in [
        (Match::Exact, "order-7", vec!["order-7"]),
        (
            Match::Contains,
            "ER-100",
            vec![
                "order-1009",
                "order-1008",
                "order-1007",
                "order-1006",
                "order-1005",
                "order-1004",
                "order-1003",
                "order-1002",
                "order-1001",
                "order-1000",
                "order-100",
            ],
        ),
        (Match::Contains, "order-1'", vec![]),
        (Match::Exact, "o'clock", vec![]),
        (Match::Contains, "%", vec![]),
        (Match::Contains, "_", vec![]),
    ] {
        let filter = context
            .filter(FilterSpec {
                params: vec![ParamSpec {
                    name: "user_parameter".into(),
                    matching,
                    value: value.into(),
                }],
                ..FilterSpec::default()
            })
            .unwrap();
        let mut chunks = t.store.report_stream(site, &filter);
        let mut got = Vec::new();
        while let Some(chunk) = chunks.recv().await {
            got.extend(
                chunk
                    .unwrap()
                    .into_iter()
                    .map(|r| r.user_parameter.unwrap_or_default()),
            );
        }
        assert_eq!(got, want, "{matching:?} {value:?}");
    }
}

async fn the_worker_writes_queued_exports_and_skips_cancelled_ones(t: TestApp) {
    seed(&t).await;
    let dir = dir(&t);
    let services = t
        .services
        .clone()
        .with_exports(ExportConfig::in_dir(dir.clone()));
    let boss = manager(&t).await;

    // An agent may not export.
    let refused = services
        .start_export(&t.agent, FilterSpec::default(), FileFormat::Csv)
        .await;
    assert!(matches!(refused, Err(app::AppError::Forbidden(_))));

    // One cancelled while queued, one to write.
    let dropped = services
        .start_export(&boss, FilterSpec::default(), FileFormat::Xlsx)
        .await
        .unwrap();
    let cancelled = services.cancel_export(&boss, dropped.id).await.unwrap();
    assert_eq!(cancelled.state, ExportState::Cancelled);
    let wanted = services
        .start_export(&boss, FilterSpec::default(), FileFormat::Xlsx)
        .await
        .unwrap();
    assert_eq!(wanted.state, ExportState::Queued);

    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(app::exports::run(services.clone(), stop));
    let mut done = None;
    for _ in 0..600 {
        let e = services.export_of(&boss, wanted.id).await.unwrap();
        if e.state == ExportState::Done {
            done = Some(e);
            break;
        }
        assert!(
            matches!(e.state, ExportState::Queued | ExportState::Running),
            "{e:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let _ = stop_tx.send(true);
    worker.await.unwrap();
    let done = done.expect("the export finished");
    assert_eq!(done.rows_done, ROWS);
    assert_eq!(done.rows_total, Some(ROWS));
    assert_eq!(done.actor_name, "팀장");
    let (path, name, format) = services.export_file(&boss, wanted.id).await.unwrap();
    assert_eq!(format, FileFormat::Xlsx);
    assert!(
        name.starts_with(&format!("consultations-{}-", t.site_id())) && name.ends_with(".xlsx")
    );
    assert_eq!(
        std::fs::metadata(&path).unwrap().len() as i64,
        done.bytes.unwrap()
    );
    // The cancelled one was never written, and no partial file is left anywhere.
    let after = services.export_of(&boss, dropped.id).await.unwrap();
    assert_eq!(after.state, ExportState::Cancelled);
    assert!(services.export_file(&boss, dropped.id).await.is_err());
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|f| f.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(
        files,
        vec![path.file_name().unwrap().to_str().unwrap().to_owned()]
    );
    // Ended: nothing to cancel.
    assert!(matches!(
        services.cancel_export(&boss, wanted.id).await,
        Err(app::AppError::Conflict(_))
    ));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A closed consultation's message count (a report column) takes in what is written to it
/// afterwards (a closing message, a rating request), several messages at once to several
/// consultations included; an open one's is counted when read.
async fn messages_written_after_the_close_are_counted(t: TestApp) {
    let (first, room) = seed(&t).await;
    let site = t.site_id();
    let (_, _, open) =
        common::anonymous_consultation(&t.services, &t, inflow::Channel::WebchatV2).await;
    let open = t.store.consultation(open).await.unwrap();
    // All at once, so the writer takes several in one batch.
    let mut writes = tokio::task::JoinSet::new();
    for i in 0..12 {
        // order-0 gets six, order-1 four, the open consultation two.
        let (target, room) = match i {
            0..6 => (sangdam_core::ConsultationId::new(first), room),
            6..10 => (sangdam_core::ConsultationId::new(first + 1), room),
            _ => (open.id, open.room_id.get()),
        };
        let (store, now) = (t.store.clone(), t.clock_now());
        writes.spawn(async move {
            let body = format!("안내 {i}");
            store
                .add_message(store::NewMessage::plain(
                    site,
                    sangdam_core::RoomId::new(room),
                    store::Target::Consultation(target),
                    store::Sender::System,
                    &body,
                    now,
                ))
                .await
        });
    }
    while let Some(written) = writes.join_next().await {
        assert!(written.unwrap().unwrap().1, "each message is new");
    }
    let context = t.services.report_context(site).await.unwrap();
    let filter = context.filter(FilterSpec::default()).unwrap();
    let mut chunks = t.store.report_stream(site, &filter);
    let mut counts = std::collections::HashMap::new();
    while let Some(chunk) = chunks.recv().await {
        for row in chunk.unwrap() {
            counts.insert(row.id.get(), row.message_count);
        }
    }
    assert_eq!(counts[&first], 6);
    assert_eq!(counts[&(first + 1)], 4);
    assert_eq!(counts[&(first + 2)], 0, "untouched");
    let in_open = t
        .store
        .room_messages(open.room_id, 0, 1000)
        .await
        .unwrap()
        .len() as i64;
    assert!(in_open >= 2);
    assert_eq!(counts[&open.id.get()], in_open);
}
