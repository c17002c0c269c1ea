//! `sangdam kb match` as the bot and a script use it: a knowledge-base file, utterances on
//! standard input, one JSON line out per utterance.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

fn kb_match(kb: &str, args: &[&str], stdin: &str) -> Output {
    let dir = std::env::temp_dir().join(format!("sangdam-kb-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let file = dir.join(format!("kb-{}.jsonl", NEXT.fetch_add(1, Ordering::Relaxed)));
    std::fs::write(&file, kb).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sangdam"))
        .args(["kb", "match", "--kb", file.to_str().unwrap()])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run sangdam");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

const KB: &str = r#"{"id": "hours", "questions": ["영업시간이 어떻게 되나요?", "몇 시에 문 열어요?"], "answer": "평일 9시부터 6시까지입니다."}
{"id": "refund", "questions": ["환불하고 싶어요", "환불 어떻게 해요?"], "answer": "주문 내역에서 환불을 신청하세요.", "tags": ["order"]}

{"id": "delivery", "questions": ["배송 언제 와요?", "택배가 안 와요"], "answer": "보통 2일 걸립니다."}
"#;

fn lines(out: &Output) -> Vec<Value> {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
        .collect()
}

#[test]
fn each_utterance_gets_one_line_with_its_best_entries() {
    let out = kb_match(
        KB,
        &[],
        "환불 하고싶어요!!\n택배가 안와요 ㅠㅠ\n오늘 날씨 어때\n\n",
    );
    let got = lines(&out);
    assert_eq!(got.len(), 4, "one line per input line, the empty one too");

    assert_eq!(got[0]["utterance"], "환불 하고싶어요!!");
    assert_eq!(got[0]["matches"][0]["id"], "refund");
    assert!(got[0]["matches"][0]["accuracy"].as_u64().unwrap() <= 100);
    assert_eq!(got[0]["answered"], true);

    assert_eq!(got[1]["matches"][0]["id"], "delivery");
    assert_eq!(got[1]["answered"], true);

    // Nothing in common with any entry: no match, not answered.
    assert_eq!(got[2]["answered"], false);
    assert_eq!(got[3]["matches"], serde_json::json!([]));
    assert_eq!(got[3]["answered"], false);
    for line in &got {
        assert!(line["matches"].as_array().unwrap().len() <= 3);
    }
}

#[test]
fn top_and_min_accuracy_are_honoured() {
    let out = kb_match(
        KB,
        &["--top", "1", "--min-accuracy", "100"],
        "배송 언제 와\n",
    );
    let got = lines(&out);
    assert_eq!(got.len(), 1);
    let matches = got[0]["matches"].as_array().unwrap();
    assert_eq!(matches.len(), 1);
    assert_eq!(matches[0]["id"], "delivery");
    let accuracy = matches[0]["accuracy"].as_u64().unwrap();
    assert_eq!(got[0]["answered"], accuracy >= 100);

    let out = kb_match(KB, &["--min-accuracy", "0"], "배송 언제 와\n");
    assert_eq!(lines(&out)[0]["answered"], true);
}

#[test]
fn a_bad_line_is_refused_with_its_number() {
    let bad = "{\"id\": \"a\", \"questions\": [\"안녕\"]}\n{\"id\": \"b\"}\n";
    let out = kb_match(bad, &[], "안녕\n");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2"), "stderr: {err}");
    assert!(out.stdout.is_empty());

    let out = kb_match("not json\n", &[], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 1"));
}
