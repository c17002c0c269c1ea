//! The loader against the reference relay, briefly: it connects, sends, and its end-of-run
//! check finds every acknowledged message stored once and delivered to its agent and the
//! supervisor. Keeps the load generator working in CI (a few seconds).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

struct Relay(Child);

impl Drop for Relay {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn loader_against_relay_loses_nothing() -> Result<(), Box<dyn std::error::Error>> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sangdam-relay"))
        .args(["--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let relay = Relay(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .ok_or_else(|| format!("unexpected relay output {line:?}"))?
        .to_owned();

    let out = Command::new(env!("CARGO_BIN_EXE_sangdam-load"))
        .args(["--target", &base, "--mode", "relay", "--json"])
        .args([
            "--visitors",
            "10",
            "--kakao",
            "2",
            "--agents",
            "3",
            "--rate",
            "20",
        ])
        .args(["--warmup", "0.5", "--duration", "2.5", "--drain", "3"])
        .args(["--server-pid", &relay.0.id().to_string()])
        .output()?;
    drop(relay);
    assert!(
        out.status.success(),
        "loader failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let n = |k: &str| report[k].as_u64().unwrap_or(u64::MAX);
    assert_eq!(n("lost"), 0, "{report}");
    assert_eq!(n("duplicated"), 0, "{report}");
    assert_eq!(n("not_delivered_to_agent"), 0, "{report}");
    assert_eq!(n("not_delivered_to_supervisor"), 0, "{report}");
    assert_eq!(n("errors"), 0, "{report}");
    assert!(n("acked") > 100, "{report}");
    assert!(
        report["sustained_acked_msgs_per_s"].as_f64().unwrap_or(0.0) > 100.0,
        "{report}"
    );
    let held = report["consultations_per_agent"]
        .as_array()
        .ok_or("no consultations_per_agent")?;
    assert_eq!(held.len(), 3);
    assert!(held.iter().all(|h| h.as_u64() == Some(4)), "{report}");
    Ok(())
}
