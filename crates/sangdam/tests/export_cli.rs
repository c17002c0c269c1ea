//! `sangdam export consultations` on the real binary, on SQLite and PostgreSQL, over
//! consultations made by `sangdam seed`: the CSV holds every consultation once, newest first,
//! with its creation time on the site's wall clock; the `.xlsx` of a channel and a period holds
//! exactly that channel's consultations of those days; the JSON line says what was written; an
//! existing file is never replaced; a bad flag is a usage error.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::process::{Command, Output};

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{any_pool, create_site, on_fresh_database, run_seed};
use serde_json::Value;
use sqlx::{AnyPool, Row};

/// 2025-12-01T00:00:00Z: a fixed end, so that the seeded rows are known.
const UNTIL: &str = "1764547200000";

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sangdam"))
        .args(args)
        .env("SANGDAM_LOG", "warn")
        .output()
        .expect("run sangdam")
}

fn export(url: &str, site: i64, extra: &[&str]) -> Output {
    let site = site.to_string();
    let mut args = vec![
        "export",
        "consultations",
        "--database-url",
        url,
        "--site",
        &site,
    ];
    args.extend_from_slice(extra);
    run(&args)
}

/// The JSON line an export prints last.
fn printed(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "export: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(text.lines().last().expect("a line")).expect("one JSON line")
}

/// The site's consultations as the report orders them (newest first): id, creation time.
async fn newest_first(db: &AnyPool, site: i64, extra: &str) -> Vec<(i64, i64)> {
    sqlx::query(&format!(
        "SELECT id, created_at FROM consultations WHERE site_id = $1 {extra} \
         ORDER BY created_at DESC, id DESC"
    ))
    .bind(site)
    .fetch_all(db)
    .await
    .expect("consultations")
    .iter()
    .map(|r| (r.get::<i64, _>(0), r.get::<i64, _>(1)))
    .collect()
}

/// 00:00 of a day in Seoul, in ms.
fn seoul_midnight(year: i16, month: i8, day: i8) -> i64 {
    jiff::civil::date(year, month, day)
        .at(0, 0, 0, 0)
        .in_tz("Asia/Seoul")
        .expect("Seoul")
        .timestamp()
        .as_millisecond()
}

fn seoul_text(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .expect("an instant")
        .in_tz("Asia/Seoul")
        .expect("Seoul")
        .strftime("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// Each CSV row's customer columns (key, ID, name, phone, e-mail) and names (category,
/// division, agent), in the file's order.
fn written_names(header: &csv::StringRecord, records: &[csv::StringRecord]) -> Vec<[String; 8]> {
    let titles = [
        "고객 키",
        "회원 ID",
        "이름",
        "전화",
        "이메일",
        "카테고리",
        "구분",
        "상담원",
    ];
    let at = titles.map(|t| header.iter().position(|h| h == t).expect(t));
    records
        .iter()
        .map(|r| at.map(|i| r[i].to_owned()))
        .collect()
}

/// The same values from a plain join of the tables, newest first.
async fn joined_names(db: &AnyPool, site: i64) -> Vec<[String; 8]> {
    let rows: Vec<[String; 8]> = sqlx::query(
        "SELECT r.customer_key, p.site_uid, p.name, p.phone, p.email, cat.name, divn.name, \
         a.display_name FROM consultations c JOIN rooms r ON r.id = c.room_id \
         JOIN profiles p ON p.id = r.profile_id \
         LEFT JOIN categories cat ON cat.id = c.category_id \
         LEFT JOIN categories divn ON divn.id = c.division_id \
         LEFT JOIN agents a ON a.id = c.agent_id \
         WHERE c.site_id = $1 ORDER BY c.created_at DESC, c.id DESC",
    )
    .bind(site)
    .fetch_all(db)
    .await
    .expect("names")
    .iter()
    .map(|r| std::array::from_fn(|i| r.get::<Option<String>, _>(i).unwrap_or_default()))
    .collect();
    for i in 0..8 {
        assert!(
            rows.iter().any(|n| !n[i].is_empty()),
            "the seeded rows have values in column {i}"
        );
    }
    rows
}

async fn scenario(url: String) {
    let site = create_site(&url)["site_id"].as_i64().expect("site_id");
    let seeded = run_seed(
        &url,
        site,
        &[
            "--consultations",
            "300",
            "--days",
            "10",
            "--seed",
            "5",
            "--until",
            UNTIL,
        ],
    );
    assert!(seeded.status.success(), "{seeded:?}");
    let db = any_pool(&url).await;
    let dir = std::env::temp_dir().join(store::testing::unique("sangdam_export_cli"));
    std::fs::create_dir_all(&dir).unwrap();

    // Everything as CSV.
    let csv_path = dir.join("all.csv");
    let csv = csv_path.to_str().unwrap();
    let said = printed(&export(&url, site, &["--format", "csv", "--out", csv]));
    let all = newest_first(&db, site, "").await;
    assert_eq!(all.len(), 300);
    assert_eq!(said["rows"], 300, "{said}");
    assert_eq!(said["out"], csv);
    assert_eq!(
        said["bytes"].as_u64(),
        Some(std::fs::metadata(&csv_path).unwrap().len())
    );
    let bytes = std::fs::read(&csv_path).unwrap();
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "a byte-order mark"
    );
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header = reader.headers().unwrap().clone();
    let at = |title: &str| header.iter().position(|h| h == title).expect(title);
    let (id_col, created_col) = (at("상담 번호"), at("생성 시각"));
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let ids: Vec<(String, String)> = records
        .iter()
        .map(|r| (r[id_col].to_owned(), r[created_col].to_owned()))
        .collect();
    let expected: Vec<(String, String)> = all
        .iter()
        .map(|(id, created)| (id.to_string(), seoul_text(*created)))
        .collect();
    assert_eq!(ids, expected, "every consultation once, newest first");
    // The customer's columns and the category's, the division's and the agent's names, as a
    // plain join of the tables gives them.
    assert_eq!(
        written_names(&header, &records),
        joined_names(&db, site).await
    );

    // The customer's data changes after the consultations were made: a profile's name,
    // phone and e-mail, a room linked to another profile, a room's key. The download shows it
    // as it stands now.
    let (room, profile): (i64, i64) = sqlx::query_as(
        "SELECT r.id, r.profile_id FROM rooms r WHERE r.site_id = $1 AND \
         (SELECT COUNT(*) FROM consultations c WHERE c.room_id = r.id) > 1 ORDER BY r.id LIMIT 1",
    )
    .bind(site)
    .fetch_one(&db)
    .await
    .expect("a room of two consultations");
    let other: i64 = sqlx::query_scalar(
        "SELECT id FROM profiles WHERE site_id = $1 AND id <> $2 AND name IS NOT NULL \
         ORDER BY id LIMIT 1",
    )
    .bind(site)
    .bind(profile)
    .fetch_one(&db)
    .await
    .expect("another profile");
    sqlx::query("UPDATE profiles SET name = '바뀐이름', phone = NULL, email = 'new@example.com' WHERE id = $1")
        .bind(other)
        .execute(&db)
        .await
        .unwrap();
    sqlx::query("UPDATE rooms SET profile_id = $1, customer_key = 'moved-key' WHERE id = $2")
        .bind(other)
        .bind(room)
        .execute(&db)
        .await
        .unwrap();
    let again_path = dir.join("again.csv");
    let again = again_path.to_str().unwrap();
    printed(&export(&url, site, &["--format", "csv", "--out", again]));
    let again_bytes = std::fs::read(&again_path).unwrap();
    let mut reader = csv::Reader::from_reader(&again_bytes[3..]);
    let again_header = reader.headers().unwrap().clone();
    let again_records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let written = written_names(&again_header, &again_records);
    assert_eq!(written, joined_names(&db, site).await);
    let moved: Vec<&[String; 8]> = written.iter().filter(|n| n[0] == "moved-key").collect();
    assert!(moved.len() > 1, "the room's consultations: {moved:?}");
    for n in moved {
        assert_eq!((n[2].as_str(), n[3].as_str()), ("바뀐이름", ""), "{n:?}");
        assert_eq!(n[4], "new@example.com");
    }

    // Kakao's consultations of 25 to 28 November (Seoul days) as .xlsx.
    let xlsx_path = dir.join("kakao.xlsx");
    let xlsx = xlsx_path.to_str().unwrap();
    let said = printed(&export(
        &url,
        site,
        &[
            "--format",
            "xlsx",
            "--channel",
            "kakao",
            "--from",
            "2025-11-25",
            "--to",
            "2025-11-28",
            "--out",
            xlsx,
        ],
    ));
    let (from, before) = (seoul_midnight(2025, 11, 25), seoul_midnight(2025, 11, 29));
    let kakao = newest_first(
        &db,
        site,
        &format!("AND channel = 'kakao' AND created_at >= {from} AND created_at < {before}"),
    )
    .await;
    assert!(!kakao.is_empty() && kakao.len() < 300, "{}", kakao.len());
    assert_eq!(said["rows"].as_u64(), Some(kakao.len() as u64), "{said}");
    let mut book: Xlsx<_> = open_workbook(&xlsx_path).unwrap();
    let sheet = book.worksheet_range("Sheet1").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    assert_eq!(rows[0][id_col], Data::String("상담 번호".into()));
    let got: Vec<i64> = rows[1..]
        .iter()
        .map(|r| match &r[id_col] {
            Data::Float(f) => *f as i64,
            other => panic!("an id cell: {other:?}"),
        })
        .collect();
    let want: Vec<i64> = kakao.iter().map(|(id, _)| *id).collect();
    assert_eq!(got, want);

    // An existing file is never replaced.
    let again = export(&url, site, &["--format", "csv", "--out", csv]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("never replaces"));
    assert_eq!(std::fs::read(&csv_path).unwrap(), bytes);
    // A format that is not one, a day that is not one: usage errors, nothing written.
    let other = dir.join("other.csv");
    let other = other.to_str().unwrap();
    for bad in [
        &["--format", "pdf", "--out", other][..],
        &["--format", "csv", "--from", "25.11.2025", "--out", other][..],
    ] {
        let refused = export(&url, site, bad);
        assert_eq!(refused.status.code(), Some(2), "{bad:?}: {refused:?}");
        assert!(!Path::new(other).exists());
    }
    db.close().await;
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exporting_from_sqlite_writes_what_the_database_holds() {
    on_fresh_database(store::Backend::Sqlite, scenario).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exporting_from_postgres_writes_what_the_database_holds() {
    on_fresh_database(store::Backend::Postgres, scenario).await;
}
