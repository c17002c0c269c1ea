//! `sangdam site create` then `sangdam agent create`, as an operator scripts them: JSON on
//! stdout, exit 1 for a refused account, 2 for a usage error.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

use serde_json::Value;

fn sangdam(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sangdam"))
        .args(args)
        .args(["--database-url", db])
        .env("SANGDAM_LOG", "error")
        .output()
        .expect("run sangdam")
}

fn json_of(out: &Output) -> Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON object")
}

#[test]
fn an_operator_adds_an_agent_from_the_command_line() {
    let dir = std::env::temp_dir().join(format!("sangdam-agent-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("s.db");
    let db = db.to_str().unwrap();
    let site = json_of(&sangdam(db, &["site", "create", "--name", "명령줄 가게"]));
    let site_id = site["site_id"].to_string();

    let agent = json_of(&sangdam(
        db,
        &[
            "agent",
            "create",
            "--site",
            &site_id,
            "--login",
            "kim.cli",
            "--name",
            "김상담",
            "--api-token",
        ],
    ));
    assert_eq!(agent["agent"]["login"], "kim.cli");
    assert_eq!(agent["agent"]["role"], "agent");
    assert!(agent["password"].as_str().is_some_and(|p| p.len() >= 16));
    assert!(agent["api_token"].as_str().is_some_and(|t| !t.is_empty()));

    let manager = json_of(&sangdam(
        db,
        &[
            "agent",
            "create",
            "--site",
            &site_id,
            "--login",
            "lee.cli",
            "--name",
            "이팀장",
            "--role",
            "manager",
        ],
    ));
    assert_eq!(manager["agent"]["role"], "manager");
    assert!(manager.get("api_token").is_none());

    // Refused: a taken login, a bad login, an unknown site (exit 1); a bad role (exit 2).
    for (args, code, says) in [
        (
            vec!["--site", &site_id, "--login", "kim.cli", "--name", "x"],
            1,
            "already taken",
        ),
        (
            vec!["--site", &site_id, "--login", "김", "--name", "x"],
            1,
            "login",
        ),
        (
            vec!["--site", "999", "--login", "park", "--name", "x"],
            1,
            "site not found",
        ),
        (
            vec![
                "--site", &site_id, "--login", "park", "--name", "x", "--role", "admin",
            ],
            2,
            "agent or manager",
        ),
        (
            vec!["--site", "abc", "--login", "park", "--name", "x"],
            2,
            "--site",
        ),
    ] {
        let mut all = vec!["agent", "create"];
        all.extend(args.iter().copied());
        let out = sangdam(db, &all);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{all:?}: {stderr}");
        assert!(stderr.contains(says), "{all:?}: {stderr}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
