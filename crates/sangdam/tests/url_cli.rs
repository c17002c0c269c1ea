//! `sangdam url …` as a script would use it: JSON on stdout, exit codes as documented.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

use serde_json::{Value, json};

fn sangdam(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sangdam"))
        .args(args)
        .output()
        .expect("run sangdam")
}

fn parse_json(out: &Output) -> Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON object")
}

#[test]
fn parse_prints_the_documented_object() {
    let out = sangdam(&[
        "url",
        "parse",
        "--channel",
        "webchat_v2",
        "--enabled",
        "parameter1",
        "https://chat.example.com/v2?siteId=S1¶ms=site_uid=('abc'),cus_extra_username=\
         ('%ED%99%8D%EA%B8%B8%EB%8F%99'),categoryID=74133,bot_start=true,parameter1=x,parameter2=y\
         &partner_id=p",
    ]);
    let v = parse_json(&out);
    assert_eq!(v["channel"], "webchat_v2");
    assert_eq!(
        v["fields"],
        json!({"site_uid": "abc", "cus_extra_username": "홍길동", "category_id": 74133, "bot_start": true})
    );
    assert_eq!(v["custom"], json!({"parameter1": "x"}));
    assert_eq!(v["extra"], json!({"siteId": "S1", "partner_id": "p"}));
    let codes: Vec<(&str, &str)> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["param"].as_str().unwrap(), w["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        codes,
        vec![
            ("params", "mangled_separator"),
            ("parameter2", "not_enabled")
        ]
    );
    for w in v["warnings"].as_array().unwrap() {
        assert!(!w["detail"].as_str().unwrap().is_empty());
    }
}

#[test]
fn parse_without_enabled_counts_all_slots_and_aliases_are_canonical() {
    let v = parse_json(&sangdam(&[
        "url",
        "parse",
        "--channel",
        "webchat_v1",
        "https://c.example/v1?is_login=Y&uid=m1&cus_extra_tel_phone=010&parameter10=z",
    ]));
    assert_eq!(
        v["fields"],
        json!({"site_uid": "m1", "cus_extra_phone": "010"})
    );
    assert_eq!(v["custom"], json!({"parameter10": "z"}));
    assert_eq!(v["warnings"], json!([]));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(
        sangdam(&["url", "parse", "--channel", "line", "x"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        sangdam(&["url", "parse", "--channel", "kakao"])
            .status
            .code(),
        Some(2)
    );
    let out = sangdam(&[
        "url",
        "parse",
        "--channel",
        "kakao",
        "--enabled",
        "parameter11",
        "x",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("parameter11"));
}

#[test]
fn build_then_parse_gives_the_values_back() {
    for channel in ["kakao", "webchat_v1", "webchat_v2", "naver"] {
        let out = sangdam(&[
            "url",
            "build",
            "--channel",
            channel,
            "--base",
            "https://chat.example.com/c",
            "--set",
            "site_uid=a,b=('c')|&#%+¶",
            "--set",
            "cus_extra_username=홍 길동",
            "--set",
            "parameter3=유입",
        ]);
        assert_eq!(out.status.code(), Some(0));
        let url = String::from_utf8(out.stdout).unwrap();
        let v = parse_json(&sangdam(&[
            "url",
            "parse",
            "--channel",
            channel,
            url.trim(),
        ]));
        assert_eq!(
            v["fields"],
            json!({"site_uid": "a,b=('c')|&#%+¶", "cus_extra_username": "홍 길동"}),
            "{channel}: {url}"
        );
        assert_eq!(v["custom"], json!({"parameter3": "유입"}));
        assert_eq!(v["warnings"], json!([]), "{channel}: {url}");
    }
}

#[test]
fn build_placeholders_and_refusals() {
    let out = sangdam(&[
        "url",
        "build",
        "--channel",
        "kakao",
        "--base",
        "https://pf.kakao.com/_abc/chat",
        "--placeholders",
        "--enabled",
        "parameter1",
        "--description",
        "parameter1=유입경로",
    ]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        "https://pf.kakao.com/_abc/chat?parameter1={유입경로}"
    );
    let out = sangdam(&[
        "url",
        "build",
        "--channel",
        "kakao",
        "--base",
        "https://pf.kakao.com/_abc/chat",
        "--set",
        "site_uid=undefined",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("sentinel"));
}

#[test]
fn template_renders_and_names_unknown_variables() {
    let out = sangdam(&[
        "url",
        "template",
        "https://crm.example.com/view?id=[site_uid]&src=[parameter1]&room=[room_id]",
        "--set",
        "site_uid=a&b",
        "--set",
        "parameter1=네이버",
        "--set",
        "room_id=42",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        "https://crm.example.com/view?id=a%26b&src=%EB%84%A4%EC%9D%B4%EB%B2%84&room=42"
    );
    let out = sangdam(&["url", "template", "https://crm.example.com/?x=[member_no]"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[member_no]"));
}

#[test]
fn snippet_has_commented_optional_lines() {
    let args = [
        "url",
        "snippet",
        "--site-id",
        "S1",
        "--script-url",
        "https://chat.example.com/static/widget.js",
        "--fixed",
        "partner_id=cafe24",
    ];
    let slot = [
        "--enabled",
        "parameter1",
        "--description",
        "parameter1=유입경로",
    ];
    let out = sangdam(&[&args[..], &slot].concat());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("      // site_uid: '', // 고객ID"));
    assert!(text.contains("      // parameter1: '', // 유입경로"));
    assert!(
        text.contains("partner_id: \"cafe24\", // 수정 금지"),
        "{text}"
    );
    assert!(
        text.starts_with("<!-- 상담 채팅 버튼 (웹채팅 v2) -->"),
        "{text}"
    );

    // In English on request; an unknown language is refused.
    let english = sangdam(&[&args[..], &["--lang", "en"]].concat());
    let english = String::from_utf8(english.stdout).unwrap();
    assert!(
        english.contains("partner_id: \"cafe24\", // do not edit"),
        "{english}"
    );
    let refused = sangdam(&[&args[..], &["--lang", "fr"]].concat());
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--lang"));
}
