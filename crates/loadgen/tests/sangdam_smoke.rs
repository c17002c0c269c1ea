//! The loader against Sangdam itself (in this process, over real HTTP, on a SQLite file),
//! briefly: it adds its agent and supervisor accounts, the agents take the visitors'
//! consultations evenly, and the end-of-run check finds every acknowledged message stored once
//! and delivered to its agent and the supervisor. Agents receive only the queue's and their own
//! consultations' messages, so this also checks that nothing an agent holds is withheld.

use std::time::Duration;

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loader_against_sangdam_loses_nothing() -> Res<()> {
    let dir = std::env::temp_dir().join(format!("sangdam-load-smoke-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let db = dir.join("load.db");
    let store = store::Store::connect(db.to_str().ok_or("path")?).await?;
    let site =
        server::provision::create_site(&store, "부하 시험", &server::provision::demo_settings())
            .await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let config = server::Config {
        webchat_per_minute: 1_000_000,
        sessions_per_minute: 1_000_000,
        ..server::Config::default()
    };
    let app = server::App::build(store.clone(), &config, listener).await?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(app.run_until_stopped(async move {
        let _ = stopped.await;
    }));

    let out = tokio::time::timeout(
        Duration::from_secs(120),
        tokio::process::Command::new(env!("CARGO_BIN_EXE_sangdam-load"))
            .args(["--target", &base, "--json"])
            .args([
                "--site",
                &site.site_id.to_string(),
                "--token",
                &site.api_token,
            ])
            .args(["--visitors", "12", "--kakao", "2", "--agents", "3"])
            .args([
                "--rate",
                "10",
                "--warmup",
                "0.5",
                "--duration",
                "2.5",
                "--drain",
                "5",
            ])
            .output(),
    )
    .await??;
    let _ = stop.send(());
    let _ = serving.await;
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);

    assert!(
        out.status.success(),
        "loader failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let n = |k: &str| report[k].as_u64().unwrap_or(u64::MAX);
    assert_eq!(n("connected_visitors"), 12, "{report}");
    assert_eq!(n("lost"), 0, "{report}");
    assert_eq!(n("duplicated"), 0, "{report}");
    assert_eq!(n("not_delivered_to_agent"), 0, "{report}");
    assert_eq!(n("not_delivered_to_supervisor"), 0, "{report}");
    assert_eq!(n("unacknowledged"), 0, "{report}");
    assert_eq!(n("take_errors"), 0, "{report}");
    assert_eq!(n("errors"), 0, "{report}");
    assert!(n("acked") > 60, "{report}");
    // 12 visitors and 2 Kakao users over 3 agents.
    let held: Vec<u64> = report["consultations_per_agent"]
        .as_array()
        .ok_or("no consultations_per_agent")?
        .iter()
        .filter_map(serde_json::Value::as_u64)
        .collect();
    assert_eq!(held.iter().sum::<u64>(), 14, "{report}");
    assert!(held.iter().all(|h| (4..=5).contains(h)), "{report}");
    Ok(())
}
