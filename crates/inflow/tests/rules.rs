#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The rules of SPEC R1.1–R1.6, through the public API only, for every channel.
//!
//! Each test asserts what a user of the JSON output sees: the accepted `fields`, the `custom`
//! slot values, the unknown parameters kept in `extra`, and every warning as `(param, code)`
//! (codes compared in their serialised snake_case form, which is the contract).

use std::fmt::Write as _;

use inflow::{
    BuildError, Channel, Field, Inflow, Param, Settings, Slot, SnippetComments, SnippetOptions,
    Template, TemplateError, Var, WarningCode, build, chat_button_snippet, parse, parse_params,
    placeholder_params,
};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const KAKAO: &str = "https://pf.kakao.com/_xjxkxbT/chat";
const V1: &str = "https://chat.example.com/chat/v1";
const V2: &str = "https://chat.example.com/chat/v2";
const NAVER: &str = "https://talk.naver.com/ct/w4abcd";

/// 홍길동, percent-encoded UTF-8.
const HONG: &str = "%ED%99%8D%EA%B8%B8%EB%8F%99";
/// 홍길동, percent-encoded CP949 (what old Internet Explorer sends).
const HONG_CP949: &str = "%C8%AB%B1%E6%B5%BF";

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            write!(out, "%{b:02X}").unwrap();
        }
    }
    out
}

fn base(ch: Channel) -> &'static str {
    match ch {
        Channel::Kakao => KAKAO,
        Channel::WebchatV1 => V1,
        Channel::WebchatV2 => V2,
        Channel::Naver => NAVER,
    }
}

/// Writes already URL-encoded `name=value` pairs in the channel's own syntax. Web chat v2
/// values containing a comma are quoted `('…')`, others are written bare.
fn url(ch: Channel, pairs: &[(&str, &str)]) -> String {
    let list = |sep: &str, v2: bool| {
        pairs
            .iter()
            .map(|(n, v)| {
                if v2 && v.contains(',') {
                    format!("{n}=('{v}')")
                } else {
                    format!("{n}={v}")
                }
            })
            .collect::<Vec<_>>()
            .join(sep)
    };
    match ch {
        Channel::Kakao | Channel::WebchatV1 => format!("{}?{}", base(ch), list("&", false)),
        Channel::WebchatV2 => format!("{V2}?params={}", list(",", true)),
        Channel::Naver => format!("{NAVER}|{}", list("|", false)),
    }
}

fn slot(n: u8) -> Slot {
    Slot::new(n).unwrap()
}

/// Slots 1 and 2 enabled with the help page's descriptions.
fn site_settings() -> Settings {
    let mut s = Settings::with_enabled([slot(1), slot(2)]);
    s.slot_mut(slot(1)).description = "유입경로".into();
    s.slot_mut(slot(2)).description = "유저구분".into();
    s
}

fn parse_all(ch: Channel, pairs: &[(&str, &str)]) -> Inflow {
    parse(ch, &url(ch, pairs), &Settings::all_enabled())
}

/// Asserts the whole JSON-visible content of an inflow. Warnings are compared as a multiset of
/// `(param, code)`; every warning must also explain itself in a non-empty detail.
#[track_caller]
fn check(inf: &Inflow, fields: Value, custom: Value, extra: Value, warnings: &[(&str, &str)]) {
    let ctx = format!("channel {}: {inf:#?}", inf.channel);
    assert_eq!(
        serde_json::to_value(&inf.fields).unwrap(),
        fields,
        "fields of {ctx}"
    );
    assert_eq!(
        serde_json::to_value(&inf.custom).unwrap(),
        custom,
        "custom of {ctx}"
    );
    assert_eq!(
        serde_json::to_value(&inf.extra).unwrap(),
        extra,
        "extra of {ctx}"
    );
    let mut got: Vec<(String, String)> = inf
        .warnings
        .iter()
        .map(|w| {
            let code = serde_json::to_value(w.code).unwrap();
            (w.param.clone(), code.as_str().unwrap().to_owned())
        })
        .collect();
    let mut want: Vec<(String, String)> = warnings
        .iter()
        .map(|(p, c)| ((*p).to_owned(), (*c).to_owned()))
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want, "warnings of {ctx}");
    for w in &inf.warnings {
        assert!(!w.detail.trim().is_empty(), "empty detail in {ctx}");
    }
}

/// Only fields, no custom/extra, with the given warnings.
#[track_caller]
fn check_fields(inf: &Inflow, fields: Value, warnings: &[(&str, &str)]) {
    check(inf, fields, json!({}), json!({}), warnings);
}

// ---------------------------------------------------------------------------------------------
// JSON shape
// ---------------------------------------------------------------------------------------------

#[test]
fn json_output_has_the_documented_shape() {
    let inf = parse(
        Channel::Kakao,
        &format!(
            "{KAKAO}?site_uid=m1&cus_extra_username={HONG}&parameter1=x&parameter3=y&shop_id=s"
        ),
        &site_settings(),
    );
    let v = serde_json::to_value(&inf).unwrap();
    assert_eq!(
        v,
        json!({
            "channel": "kakao",
            "fields": {"site_uid": "m1", "cus_extra_username": "홍길동"},
            "custom": {"parameter1": "x"},
            "extra": {"shop_id": "s"},
            "warnings": [{
                "param": "parameter3",
                "code": "not_enabled",
                "detail": inf.warnings[0].detail.clone(),
            }],
        })
    );
    for ch in Channel::ALL {
        let inf = parse(ch, base(ch), &Settings::default());
        assert_eq!(
            serde_json::to_value(&inf).unwrap(),
            json!({"channel": ch.as_str(), "fields": {}, "custom": {}, "extra": {}, "warnings": []})
        );
    }
}

#[test]
fn warning_codes_serialise_as_documented() {
    let codes = [
        (WarningCode::Truncated, "truncated"),
        (WarningCode::TooLong, "too_long"),
        (WarningCode::Invalid, "invalid"),
        (WarningCode::ReadOnly, "read_only"),
        (WarningCode::NotEnabled, "not_enabled"),
        (WarningCode::Duplicate, "duplicate"),
        (WarningCode::LegacyEncoding, "legacy_encoding"),
        (WarningCode::MangledSeparator, "mangled_separator"),
        (WarningCode::Placeholder, "placeholder"),
        (WarningCode::Sentinel, "sentinel"),
        (WarningCode::Ignored, "ignored"),
        (WarningCode::Misspelled, "misspelled"),
        (WarningCode::Unverified, "unverified"),
        (WarningCode::Unknown, "unknown"),
        (WarningCode::Unused, "unused"),
        (WarningCode::Mismatch, "mismatch"),
    ];
    for (code, name) in codes {
        assert_eq!(serde_json::to_value(code).unwrap(), json!(name));
        assert_eq!(code.as_str(), name);
        assert_eq!(code.to_string(), name);
    }
}

// ---------------------------------------------------------------------------------------------
// R1.1 Fixed parameters
// ---------------------------------------------------------------------------------------------

#[test]
fn every_fixed_parameter_is_read_on_every_channel() {
    for ch in Channel::ALL {
        let inf = parse_all(
            ch,
            &[
                ("site_uid", "member_8812"),
                ("cus_extra_username", HONG),
                ("cus_extra_phone", "010-1234-5678"),
                ("cus_extra_email", "happytalk%40happytalk.io"),
                ("user_parameter", "abcdabcd"),
                ("category_id", "74133"),
                ("division_id", "74134"),
                ("bot_start", "true"),
            ],
        );
        check_fields(
            &inf,
            json!({
                "site_uid": "member_8812",
                "cus_extra_username": "홍길동",
                "cus_extra_phone": "010-1234-5678",
                "cus_extra_email": "happytalk@happytalk.io",
                "user_parameter": "abcdabcd",
                "category_id": 74133,
                "division_id": 74134,
                "bot_start": true,
            }),
            &[],
        );
        assert_eq!(inf.channel, ch);
    }
}

#[test]
fn site_uid_counts_characters_not_bytes_255_kept_256_refused() {
    for ch in Channel::ALL {
        for unit in ["a", "가", "😀"] {
            let ok = unit.repeat(255);
            let inf = parse_all(ch, &[("site_uid", &enc(&ok)), ("cus_extra_phone", "1")]);
            check_fields(&inf, json!({"site_uid": ok, "cus_extra_phone": "1"}), &[]);

            let long = unit.repeat(256);
            let inf = parse_all(ch, &[("site_uid", &enc(&long)), ("cus_extra_phone", "1")]);
            check_fields(
                &inf,
                json!({"cus_extra_phone": "1"}),
                &[("site_uid", "too_long")],
            );
        }
    }
}

#[test]
fn name_phone_email_are_cut_at_100_characters() {
    for ch in Channel::ALL {
        for unit in ["a", "가"] {
            let at_limit = unit.repeat(100);
            let over = unit.repeat(101);
            for (name, key) in [
                ("cus_extra_username", "cus_extra_username"),
                ("cus_extra_phone", "cus_extra_phone"),
                ("cus_extra_tel_phone", "cus_extra_phone"),
            ] {
                let inf = parse_all(ch, &[(name, &enc(&at_limit))]);
                check_fields(&inf, json!({ key: at_limit }), &[]);
                let inf = parse_all(ch, &[(name, &enc(&over))]);
                check_fields(&inf, json!({ key: at_limit }), &[(name, "truncated")]);
            }

            // An address of exactly 100 characters, and one of 101 that is still an address
            // after the cut.
            let local = unit.repeat(100 - "@example.com".chars().count());
            let email = format!("{local}@example.com");
            assert_eq!(email.chars().count(), 100);
            let inf = parse_all(ch, &[("cus_extra_email", &enc(&email))]);
            check_fields(&inf, json!({ "cus_extra_email": email }), &[]);
            let longer = format!("{email}x");
            let inf = parse_all(ch, &[("cus_extra_email", &enc(&longer))]);
            check_fields(
                &inf,
                json!({ "cus_extra_email": email }),
                &[("cus_extra_email", "truncated")],
            );
        }
    }
}

#[test]
fn an_email_whose_cut_loses_its_domain_is_invalid() {
    for ch in Channel::ALL {
        let email = format!("{}@example.com", "a".repeat(100));
        let inf = parse_all(ch, &[("cus_extra_email", &enc(&email))]);
        check_fields(&inf, json!({}), &[("cus_extra_email", "invalid")]);
    }
}

#[test]
fn user_parameter_is_cut_at_200_characters() {
    for ch in Channel::ALL {
        for unit in ["a", "가", "😀"] {
            let at_limit = unit.repeat(200);
            let inf = parse_all(ch, &[("user_parameter", &enc(&at_limit))]);
            check_fields(&inf, json!({ "user_parameter": at_limit }), &[]);
            let inf = parse_all(ch, &[("user_parameter", &enc(&unit.repeat(201)))]);
            check_fields(
                &inf,
                json!({ "user_parameter": at_limit }),
                &[("user_parameter", "truncated")],
            );
        }
    }
}

#[test]
fn phone_alias_cus_extra_tel_phone_fills_phone() {
    for ch in Channel::ALL {
        let inf = parse_all(ch, &[("cus_extra_tel_phone", "01012345678")]);
        check_fields(&inf, json!({"cus_extra_phone": "01012345678"}), &[]);
    }
}

#[test]
fn category_and_division_spellings_are_accepted_on_every_channel() {
    for ch in Channel::ALL {
        for (c, d) in [
            ("category_id", "division_id"),
            ("categoryID", "divisionID"),
            ("categoryId", "divisionId"),
        ] {
            let inf = parse_all(ch, &[(c, "74133"), (d, "74134")]);
            check_fields(
                &inf,
                json!({"category_id": 74133, "division_id": 74134}),
                &[],
            );
        }
    }
}

#[test]
fn category_and_division_accept_up_to_11_digits() {
    for ch in Channel::ALL {
        for (raw, n) in [
            ("0", 0_u64),
            ("7", 7),
            ("00000000000", 0),
            ("00000074133", 74133),
            ("99999999999", 99_999_999_999),
        ] {
            let inf = parse_all(ch, &[("category_id", raw), ("divisionID", raw)]);
            check_fields(&inf, json!({"category_id": n, "division_id": n}), &[]);
        }
    }
}

#[test]
fn category_and_division_that_are_not_small_non_negative_integers_are_invalid() {
    for ch in Channel::ALL {
        for raw in [
            "100000000000", // 12 digits
            "000000000001", // 12 digits, even with a small value
            "-1",
            "-0",
            "12a",
            "abc",
            "1.5",
            "1e3",
            "0x1F",
            "%EF%BC%91%EF%BC%92", // full-width １２
            "%D9%A3",             // Arabic-Indic digit three
            "1%2C000",            // 1,000
        ] {
            let inf = parse_all(ch, &[("category_id", raw), ("division_id", raw)]);
            check_fields(
                &inf,
                json!({}),
                &[("category_id", "invalid"), ("division_id", "invalid")],
            );
        }
    }
}

#[test]
fn empty_category_is_absent_without_a_warning() {
    for ch in Channel::ALL {
        let inf = parse_all(ch, &[("category_id", ""), ("division_id", "")]);
        check_fields(&inf, json!({}), &[]);
    }
}

#[test]
fn bot_start_true_false_and_invalid() {
    for ch in Channel::ALL {
        for (raw, b) in [
            ("true", true),
            ("false", false),
            ("TRUE", true),
            ("False", false),
        ] {
            let inf = parse_all(ch, &[("bot_start", raw)]);
            check_fields(&inf, json!({ "bot_start": b }), &[]);
        }
        for raw in ["yes", "1", "0", "Y", "on", "truee", "%EC%98%88"] {
            let inf = parse_all(ch, &[("bot_start", raw)]);
            check_fields(&inf, json!({}), &[("bot_start", "invalid")]);
        }
        let inf = parse_all(ch, &[("bot_start", "")]);
        check_fields(&inf, json!({}), &[]);
    }
}

#[test]
fn email_validity() {
    for ch in Channel::ALL {
        for ok in [
            "a@b",
            "happytalk@happytalk.io",
            "hong.gil-dong%2Btag@example.co.kr",
            "%ED%99%8D@%EC%98%88%EC%8B%9C.kr", // 홍@예시.kr
        ] {
            let inf = parse_all(ch, &[("cus_extra_email", ok)]);
            let want = match ok {
                "hong.gil-dong%2Btag@example.co.kr" => "hong.gil-dong+tag@example.co.kr",
                "%ED%99%8D@%EC%98%88%EC%8B%9C.kr" => "홍@예시.kr",
                other => other,
            };
            check_fields(&inf, json!({ "cus_extra_email": want }), &[]);
        }
        for bad in [
            "not-an-email",
            "happytalk%40%20happytalk.io", // "happytalk@ happytalk.io", as on the help page
            "a%20b@example.com",
            "@example.com",
            "hong@",
            "a@b@c",
            "a@b.com%2Cc@d.com",
            "a@b.com%3Bc@d.com",
            "a@b%09.com",
            "%22hong%22@example.com", // "hong"@example.com
            "%3Cscript%3Ealert(1)%3C%2Fscript%3E@x.com", // <script>…@x.com
            "hong@%3Cb%3Eexample%3C%2Fb%3E.com", // hong@<b>example</b>.com
            "a..b@example.com",
        ] {
            let inf = parse_all(ch, &[("cus_extra_email", bad)]);
            check_fields(&inf, json!({}), &[("cus_extra_email", "invalid")]);
        }
    }
}

#[test]
fn read_only_names_are_reported_and_never_stored() {
    for ch in Channel::ALL {
        let inf = parse_all(
            ch,
            &[
                ("category_name", "%EC%83%81%ED%92%88%EB%AC%B8%EC%9D%98"), // 상품문의
                ("division_name", "%EC%9D%BC%EB%B0%98"),
                ("site_uid", "m1"),
            ],
        );
        check_fields(
            &inf,
            json!({"site_uid": "m1"}),
            &[
                ("category_name", "read_only"),
                ("division_name", "read_only"),
            ],
        );
        // Empty: nothing to lose, nothing to say.
        let inf = parse_all(ch, &[("category_name", ""), ("division_name", "")]);
        check_fields(&inf, json!({}), &[]);
    }
}

#[test]
fn text_values_are_kept_as_written() {
    // Inner and surrounding spaces, punctuation and emoji survive (only whitespace-only values
    // count as absent).
    for ch in Channel::ALL {
        let name = " 홍 길동 (VIP) 😀 ";
        let inf = parse_all(ch, &[("cus_extra_username", &enc(name))]);
        check_fields(&inf, json!({ "cus_extra_username": name }), &[]);
        let inf = parse_all(
            ch,
            &[("cus_extra_username", "%20%20"), ("user_parameter", "")],
        );
        check_fields(&inf, json!({}), &[]);
    }
}

// ---------------------------------------------------------------------------------------------
// R1.2 Custom parameters
// ---------------------------------------------------------------------------------------------

#[test]
fn enabled_custom_slots_are_stored() {
    for ch in Channel::ALL {
        let pairs: Vec<(String, String)> = Slot::all()
            .map(|s| (s.name().to_owned(), format!("v{}", s.number())))
            .collect();
        let pairs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let inf = parse_all(ch, &pairs);
        let custom: serde_json::Map<String, Value> = Slot::all()
            .map(|s| (s.name().to_owned(), json!(format!("v{}", s.number()))))
            .collect();
        check(&inf, json!({}), Value::Object(custom), json!({}), &[]);
    }
}

#[test]
fn custom_slot_that_is_not_enabled_is_reported_not_stored() {
    for ch in Channel::ALL {
        let inf = parse(
            ch,
            &url(
                ch,
                &[
                    ("parameter1", "naver"),
                    ("parameter3", "x"),
                    ("parameter10", "y"),
                ],
            ),
            &site_settings(),
        );
        check(
            &inf,
            json!({}),
            json!({"parameter1": "naver"}),
            json!({}),
            &[
                ("parameter3", "not_enabled"),
                ("parameter10", "not_enabled"),
            ],
        );
        // An empty value of a disabled slot carries nothing: not reported.
        let inf = parse(ch, &url(ch, &[("parameter3", "")]), &site_settings());
        check(&inf, json!({}), json!({}), json!({}), &[]);
    }
}

#[test]
fn custom_values_are_cut_at_20_characters() {
    for ch in Channel::ALL {
        for unit in ["a", "가", "😀"] {
            let twenty = unit.repeat(20);
            let inf = parse_all(ch, &[("parameter1", &enc(&twenty))]);
            check(
                &inf,
                json!({}),
                json!({ "parameter1": twenty }),
                json!({}),
                &[],
            );
            let inf = parse_all(ch, &[("parameter1", &enc(&unit.repeat(21)))]);
            check(
                &inf,
                json!({}),
                json!({ "parameter1": twenty }),
                json!({}),
                &[("parameter1", "truncated")],
            );
        }
        // The help page's own example value, 해피북문의하기 (7 Hangul syllables).
        let inf = parse_all(ch, &[("parameter1", &enc("해피북문의하기"))]);
        check(
            &inf,
            json!({}),
            json!({"parameter1": "해피북문의하기"}),
            json!({}),
            &[],
        );
    }
}

#[test]
fn slot_descriptions_do_not_change_how_values_are_read() {
    let mut described = Settings::all_enabled();
    for s in Slot::all() {
        described.slot_mut(s).description = format!("설명{}", s.number());
    }
    for ch in Channel::ALL {
        let u = url(
            ch,
            &[
                ("parameter1", &enc("네이버 검색")),
                ("parameter2", &enc(&"가".repeat(21))),
                ("parameter10", "VIP"),
                ("site_uid", "m1"),
            ],
        );
        let plain = parse(ch, &u, &Settings::all_enabled());
        let with_descriptions = parse(ch, &u, &described);
        assert_eq!(plain, with_descriptions);
        check(
            &plain,
            json!({"site_uid": "m1"}),
            json!({"parameter1": "네이버 검색", "parameter2": "가".repeat(20), "parameter10": "VIP"}),
            json!({}),
            &[("parameter2", "truncated")],
        );
    }
}

#[test]
fn a_value_equal_to_a_slot_description_is_an_unfilled_placeholder() {
    // v2's `parameter1=('유입경로')` is the help page's template left unfilled.
    for ch in Channel::ALL {
        let inf = parse(
            ch,
            &url(
                ch,
                &[
                    ("parameter1", &enc("유입경로")),
                    ("parameter2", "%7B유저구분%7D"),
                ],
            ),
            &site_settings(),
        );
        check(
            &inf,
            json!({}),
            json!({}),
            json!({}),
            &[("parameter1", "placeholder"), ("parameter2", "placeholder")],
        );
    }
}

#[test]
fn names_that_are_not_slots_are_extra() {
    for ch in Channel::ALL {
        let inf = parse_all(
            ch,
            &[
                ("parameter11", "a"),
                ("parameter0", "b"),
                ("parameter01", "c"),
                ("Parameter1", "d"),
                ("parameter", "e"),
            ],
        );
        check(
            &inf,
            json!({}),
            json!({}),
            json!({
                "parameter11": "a",
                "parameter0": "b",
                "parameter01": "c",
                "Parameter1": "d",
                "parameter": "e",
            }),
            &[],
        );
    }
}

// ---------------------------------------------------------------------------------------------
// R1.3 Channel syntaxes
// ---------------------------------------------------------------------------------------------

#[test]
fn v2_quoted_values_keep_commas_equals_and_parentheses() {
    let u = format!(
        "{V2}?params=parameter1=('a,b'),user_parameter=('k=v,x=y'),\
         cus_extra_username=('(주)해피톡'),parameter2=('it')s'),cus_extra_phone=('010)'),\
         site_uid=(\"m,1\")"
    );
    let inf = parse(Channel::WebchatV2, &u, &Settings::all_enabled());
    check(
        &inf,
        json!({
            "site_uid": "m,1",
            "cus_extra_username": "(주)해피톡",
            "cus_extra_phone": "010)",
            "user_parameter": "k=v,x=y",
        }),
        json!({"parameter1": "a,b", "parameter2": "it')s"}),
        json!({}),
        &[],
    );
}

#[test]
fn v2_bare_values_and_spaces_after_commas() {
    let u = format!(
        "{V2}?params=site_uid=abc, cus_extra_username=홍길동 ,  parameter1=x=y,categoryID=74133"
    );
    let inf = parse(Channel::WebchatV2, &u, &Settings::all_enabled());
    check(
        &inf,
        json!({"site_uid": "abc", "cus_extra_username": "홍길동", "category_id": 74133}),
        json!({"parameter1": "x=y"}),
        json!({}),
        &[],
    );
    // Encoded spaces after the commas, as a browser sends them.
    let u = format!("{V2}?params=site_uid=('abc'),%20cus_extra_username=('{HONG}'),+parameter1=x");
    let inf = parse(Channel::WebchatV2, &u, &Settings::all_enabled());
    check(
        &inf,
        json!({"site_uid": "abc", "cus_extra_username": "홍길동"}),
        json!({"parameter1": "x"}),
        json!({}),
        &[],
    );
}

#[test]
fn v2_whole_params_value_may_be_percent_encoded() {
    let list = "site_uid=('abc'),cus_extra_username=('홍길동'),categoryID=74133,parameter1=('a,b')";
    for encoded in [
        enc(list),
        // encodeURIComponent leaves ' ( ) alone
        list.replace('=', "%3D")
            .replace(',', "%2C")
            .replace("홍길동", HONG),
        list.replace('=', "%3d")
            .replace(',', "%2c")
            .replace("홍길동", HONG),
    ] {
        let u = format!("{V2}?params={encoded}&partner_id=cafe24");
        let inf = parse(Channel::WebchatV2, &u, &Settings::all_enabled());
        check(
            &inf,
            json!({"site_uid": "abc", "cus_extra_username": "홍길동", "category_id": 74133}),
            json!({"parameter1": "a,b"}),
            json!({"partner_id": "cafe24"}),
            &[],
        );
    }
}

#[test]
fn v2_unterminated_quote_is_reported() {
    let u = format!("{V2}?params=site_uid=('m1'),cus_extra_username=('{HONG}");
    let inf = parse(Channel::WebchatV2, &u, &Settings::all_enabled());
    // A value whose quote is never closed is refused and reported, not guessed at.
    check(
        &inf,
        json!({"site_uid": "m1"}),
        json!({}),
        json!({}),
        &[("cus_extra_username", "invalid")],
    );
}

#[test]
fn v2_quote_left_open_before_the_next_item_is_reported() {
    let u = format!("{V2}?params=site_uid=('abc,cus_extra_username=('{HONG}')");
    let inf = parse(Channel::WebchatV2, &u, &Settings::default());
    // The broken value (up to the next comma) is refused and reported; reading resumes with the
    // next item, which is not swallowed.
    check_fields(
        &inf,
        json!({"cus_extra_username": "홍길동"}),
        &[("site_uid", "invalid")],
    );
}

#[test]
fn v2_items_without_value_and_empty_items() {
    let u = format!("{V2}?params=,,site_uid=m1,,flag,,parameter1=,");
    let inf = parse(Channel::WebchatV2, &u, &Settings::all_enabled());
    check(
        &inf,
        json!({"site_uid": "m1"}),
        json!({}),
        json!({"flag": ""}),
        &[],
    );
}

#[test]
fn v2_parameters_outside_params_are_read_too() {
    // The help page appends custom parameters to the copied URL as `&parameter1=…`.
    let u = format!(
        "{V2}?siteId=4000000000&params=site_uid=('m1')&parameter1={}&cus_extra_phone=010",
        enc("네이버")
    );
    let inf = parse(Channel::WebchatV2, &u, &site_settings());
    check(
        &inf,
        json!({"site_uid": "m1", "cus_extra_phone": "010"}),
        json!({"parameter1": "네이버"}),
        json!({"siteId": "4000000000"}),
        &[],
    );
}

#[test]
fn params_is_only_a_list_on_web_chat_v2() {
    for ch in [Channel::Kakao, Channel::WebchatV1, Channel::Naver] {
        let inf = parse_all(ch, &[("params", "site_uid=('m1')")]);
        check(
            &inf,
            json!({}),
            json!({}),
            json!({"params": "site_uid=('m1')"}),
            &[],
        );
    }
}

#[test]
fn naver_pairs_with_and_without_base() {
    let settings = Settings::all_enabled();
    let want = |inf: &Inflow, extra: Value| {
        check(
            inf,
            json!({"site_uid": "abc", "cus_extra_username": "홍길동"}),
            json!({"parameter1": "x"}),
            extra,
            &[],
        );
    };
    for u in [
        format!("{NAVER}|site_uid=abc|cus_extra_username={HONG}|parameter1=x"),
        format!("{NAVER}#nafullscreen|site_uid=abc|cus_extra_username={HONG}|parameter1=x"),
        format!("site_uid=abc|cus_extra_username={HONG}|parameter1=x"),
        format!("{NAVER}||site_uid=abc||cus_extra_username=홍길동|parameter1=x|"),
    ] {
        want(&parse(Channel::Naver, &u, &settings), json!({}));
    }
    want(
        &parse(
            Channel::Naver,
            &format!(
                "{NAVER}?frm=mnmb#nafullscreen|site_uid=abc|cus_extra_username={HONG}|parameter1=x"
            ),
            &settings,
        ),
        json!({"frm": "mnmb"}),
    );
    want(
        &parse_params(
            Channel::Naver,
            &format!("site_uid=abc|cus_extra_username={HONG}|parameter1=x"),
            &settings,
        ),
        json!({}),
    );
}

#[test]
fn naver_values_keep_plus_and_query_values_make_it_a_space() {
    let settings = Settings::all_enabled();
    for ch in Channel::ALL {
        let inf = parse(
            ch,
            &url(
                ch,
                &[
                    ("cus_extra_username", "%ED%99%8D+%EA%B8%B8%EB%8F%99"),
                    ("parameter1", "a%2Bb"),
                ],
            ),
            &settings,
        );
        let name = if ch == Channel::Naver {
            "홍+길동"
        } else {
            "홍 길동"
        };
        check(
            &inf,
            json!({ "cus_extra_username": name }),
            json!({"parameter1": "a+b"}),
            json!({}),
            &[],
        );
    }
}

#[test]
fn kakao_parameters_after_ampersand_without_question_mark() {
    for base in [KAKAO, "카카오톡채팅URL"] {
        let u = format!("{base}&site_uid=abc&cus_extra_username={HONG}&bot_start=true");
        let inf = parse(Channel::Kakao, &u, &Settings::default());
        check_fields(
            &inf,
            json!({"site_uid": "abc", "cus_extra_username": "홍길동", "bot_start": true}),
            &[],
        );
    }
    // The help page's advice for customers without an ID: `site_uid=` then other parameters.
    let u = format!("{KAKAO}&site_uid=&cus_extra_phone=01012345678");
    let inf = parse(Channel::Kakao, &u, &Settings::default());
    check_fields(
        &inf,
        json!({"cus_extra_phone": "01012345678"}),
        &[("site_uid", "sentinel")],
    );
}

#[test]
fn query_parameters_without_a_base() {
    for ch in [Channel::Kakao, Channel::WebchatV1] {
        let inf = parse(ch, "site_uid=abc&cus_extra_phone=010", &Settings::default());
        check_fields(
            &inf,
            json!({"site_uid": "abc", "cus_extra_phone": "010"}),
            &[],
        );
        let inf = parse_params(ch, "site_uid=abc&cus_extra_phone=010", &Settings::default());
        check_fields(
            &inf,
            json!({"site_uid": "abc", "cus_extra_phone": "010"}),
            &[],
        );
    }
    let inf = parse_params(
        Channel::WebchatV2,
        "site_uid=('abc'),cus_extra_phone=010",
        &Settings::default(),
    );
    check_fields(
        &inf,
        json!({"site_uid": "abc", "cus_extra_phone": "010"}),
        &[],
    );
    let inf = parse_params(
        Channel::WebchatV2,
        "siteId=1&params=site_uid=('abc'),cus_extra_phone=010",
        &Settings::default(),
    );
    check(
        &inf,
        json!({"site_uid": "abc", "cus_extra_phone": "010"}),
        json!({}),
        json!({"siteId": "1"}),
        &[],
    );
}

#[test]
fn fragments_are_never_read_and_parameters_in_them_are_reported() {
    for ch in [Channel::Kakao, Channel::WebchatV1, Channel::WebchatV2] {
        let u = format!("{}?site_uid=abc#cus_extra_phone=010", base(ch));
        let inf = parse(ch, &u, &Settings::default());
        check(
            &inf,
            json!({"site_uid": "abc"}),
            json!({}),
            json!({}),
            &[("#", "ignored")],
        );
        // A fragment without parameters (`#nafullscreen`) is just part of the address.
        let inf = parse(
            ch,
            &format!("{}?site_uid=abc#top", base(ch)),
            &Settings::default(),
        );
        check_fields(&inf, json!({"site_uid": "abc"}), &[]);
    }
}

// --- web chat v1 ------------------------------------------------------------------------------

fn v1(query: &str) -> Inflow {
    parse(
        Channel::WebchatV1,
        &format!("{V1}?{query}"),
        &Settings::default(),
    )
}

#[test]
fn v1_uid_with_is_login_y_is_the_id() {
    for q in [
        "is_login=Y&uid=abc",
        "uid=abc&is_login=Y",
        "is_login=y&uid=abc",
    ] {
        check_fields(&v1(q), json!({"site_uid": "abc"}), &[]);
    }
}

#[test]
fn v1_uid_without_login_is_ignored_and_reported() {
    check_fields(&v1("is_login=N&uid=abc"), json!({}), &[("uid", "ignored")]);
    check_fields(&v1("uid=abc"), json!({}), &[("uid", "ignored")]);
    // is_login=N with an empty uid is the help page's form for customers without an ID.
    check_fields(&v1("is_login=N&uid="), json!({}), &[]);
    check_fields(&v1("is_login=N"), json!({}), &[]);
    check_fields(&v1("is_login=Y"), json!({}), &[]);
}

#[test]
fn v1_is_login_other_values_are_invalid() {
    check_fields(
        &v1("is_login=X&uid=abc"),
        json!({}),
        &[("is_login", "invalid"), ("uid", "ignored")],
    );
    check_fields(&v1("is_login=true"), json!({}), &[("is_login", "invalid")]);
}

#[test]
fn v1_in_login_is_read_as_is_login_with_a_warning() {
    check_fields(
        &v1("in_login=Y&uid=abc"),
        json!({"site_uid": "abc"}),
        &[("in_login", "misspelled")],
    );
    // The help page's literal advice: "in_login=N, &uid=빈 값".
    check_fields(
        &v1("in_login=N&uid="),
        json!({}),
        &[("in_login", "misspelled")],
    );
    check_fields(
        &v1("in_login=N&uid=abc"),
        json!({}),
        &[("in_login", "misspelled"), ("uid", "ignored")],
    );
}

#[test]
fn v1_plain_site_uid_is_accepted() {
    check_fields(&v1("site_uid=abc"), json!({"site_uid": "abc"}), &[]);
    check_fields(
        &v1("is_login=N&site_uid=abc"),
        json!({"site_uid": "abc"}),
        &[],
    );
    check_fields(
        &v1("is_login=N&uid=&site_uid=abc"),
        json!({"site_uid": "abc"}),
        &[],
    );
}

#[test]
fn v1_site_uid_and_uid_conflict_logged_in_uid_wins() {
    for q in [
        "site_uid=other&is_login=Y&uid=abc",
        "is_login=Y&uid=abc&site_uid=other",
    ] {
        check_fields(
            &v1(q),
            json!({"site_uid": "abc"}),
            &[("site_uid", "ignored")],
        );
    }
    // The same ID twice is no conflict.
    check_fields(
        &v1("site_uid=abc&is_login=Y&uid=abc"),
        json!({"site_uid": "abc"}),
        &[],
    );
    // Not logged in: uid is ignored and the plain site_uid stays.
    check_fields(
        &v1("site_uid=other&is_login=N&uid=abc"),
        json!({"site_uid": "other"}),
        &[("uid", "ignored")],
    );
}

#[test]
fn v1_uid_obeys_the_id_rules() {
    check_fields(
        &v1("is_login=Y&uid=undefined"),
        json!({}),
        &[("uid", "sentinel")],
    );
    check_fields(&v1("is_login=Y&uid=%20"), json!({}), &[("uid", "sentinel")]);
    check_fields(
        &v1("is_login=Y&uid={고객ID}"),
        json!({}),
        &[("uid", "placeholder")],
    );
    let long = "a".repeat(256);
    check_fields(
        &v1(&format!("is_login=Y&uid={long}")),
        json!({}),
        &[("uid", "too_long")],
    );
    check_fields(
        &v1("is_login=Y&uid=a&uid=b"),
        json!({"site_uid": "b"}),
        &[("uid", "duplicate")],
    );
}

#[test]
fn v1_sentinel_uid_does_not_override_a_real_site_uid() {
    check_fields(
        &v1("site_uid=abc&is_login=Y&uid=undefined"),
        json!({"site_uid": "abc"}),
        &[("uid", "sentinel")],
    );
    check_fields(
        &v1("site_uid=abc&is_login=Y&uid={고객ID}"),
        json!({"site_uid": "abc"}),
        &[("uid", "placeholder")],
    );
}

#[test]
fn v1_logged_in_with_empty_uid_is_reported() {
    check_fields(&v1("is_login=Y&uid="), json!({}), &[("uid", "sentinel")]);
}

#[test]
fn v1_names_mean_nothing_special_on_other_channels() {
    for ch in [Channel::Kakao, Channel::WebchatV2, Channel::Naver] {
        let inf = parse_all(ch, &[("is_login", "Y"), ("uid", "abc"), ("in_login", "N")]);
        check(
            &inf,
            json!({}),
            json!({}),
            json!({"is_login": "Y", "uid": "abc", "in_login": "N"}),
            &[],
        );
    }
}

// --- copy-paste mangling ----------------------------------------------------------------------

#[test]
fn pilcrow_params_is_a_mangled_ampersand_params() {
    for mangled in ["¶ms=", "%C2%B6ms=", "%c2%b6ms="] {
        let u =
            format!("{V2}?siteId=4000000000{mangled}site_uid=('m1'),cus_extra_username=('{HONG}')");
        let inf = parse(Channel::WebchatV2, &u, &Settings::default());
        check(
            &inf,
            json!({"site_uid": "m1", "cus_extra_username": "홍길동"}),
            json!({}),
            json!({"siteId": "4000000000"}),
            &[("params", "mangled_separator")],
        );
    }
}

#[test]
fn pilcrow_parameter_is_a_mangled_separator_on_every_channel() {
    for ch in Channel::ALL {
        for mangled in ["¶", "%C2%B6"] {
            let u = format!(
                "{}{mangled}meter1=naver{mangled}meter2=vip",
                url(ch, &[("site_uid", "m1")])
            );
            let inf = parse(ch, &u, &site_settings());
            check(
                &inf,
                json!({"site_uid": "m1"}),
                json!({"parameter1": "naver", "parameter2": "vip"}),
                json!({}),
                &[
                    ("parameter1", "mangled_separator"),
                    ("parameter2", "mangled_separator"),
                ],
            );
        }
    }
}

#[test]
fn encoded_pilcrow_inside_a_value_is_a_pilcrow() {
    for ch in Channel::ALL {
        let inf = parse_all(
            ch,
            &[("parameter1", "a%C2%B6b"), ("parameter2", "%C2%B6meter")],
        );
        check(
            &inf,
            json!({}),
            json!({"parameter1": "a¶b", "parameter2": "¶meter"}),
            json!({}),
            &[],
        );
    }
}

#[test]
fn html_escaped_ampersand_is_repaired_and_reported() {
    for ch in [Channel::Kakao, Channel::WebchatV1] {
        let u = format!(
            "{}?partner_id=cafe24&amp;site_uid=m1&amp;cus_extra_phone=010",
            base(ch)
        );
        let inf = parse(ch, &u, &Settings::default());
        check(
            &inf,
            json!({"site_uid": "m1", "cus_extra_phone": "010"}),
            json!({}),
            json!({"partner_id": "cafe24"}),
            &[
                ("site_uid", "mangled_separator"),
                ("cus_extra_phone", "mangled_separator"),
            ],
        );
    }
    let u = format!("{V2}?params=site_uid=('m1')&amp;parameter1=x");
    let inf = parse(Channel::WebchatV2, &u, &Settings::all_enabled());
    check(
        &inf,
        json!({"site_uid": "m1"}),
        json!({"parameter1": "x"}),
        json!({}),
        &[("parameter1", "mangled_separator")],
    );
}

#[test]
fn html_escaped_ampersand_before_v2_params() {
    let u = format!("{V2}?siteId=1&amp;params=site_uid=('m1'),cus_extra_phone=('010')");
    let inf = parse(Channel::WebchatV2, &u, &Settings::default());
    check(
        &inf,
        json!({"site_uid": "m1", "cus_extra_phone": "010"}),
        json!({}),
        json!({"siteId": "1"}),
        &[("params", "mangled_separator")],
    );
}

// --- encodings --------------------------------------------------------------------------------

#[test]
fn cp949_korean_is_decoded_and_reported() {
    for ch in Channel::ALL {
        let inf = parse_all(
            ch,
            &[
                ("cus_extra_username", HONG_CP949),
                ("parameter1", HONG_CP949),
                ("shop_id", HONG_CP949),
            ],
        );
        check(
            &inf,
            json!({"cus_extra_username": "홍길동"}),
            json!({"parameter1": "홍길동"}),
            json!({"shop_id": "홍길동"}),
            &[
                ("cus_extra_username", "legacy_encoding"),
                ("parameter1", "legacy_encoding"),
                ("shop_id", "legacy_encoding"),
            ],
        );
    }
    // Inside a quoted v2 value.
    let u = format!("{V2}?params=cus_extra_username=('{HONG_CP949}')");
    let inf = parse(Channel::WebchatV2, &u, &Settings::default());
    check_fields(
        &inf,
        json!({"cus_extra_username": "홍길동"}),
        &[("cus_extra_username", "legacy_encoding")],
    );
}

#[test]
fn utf8_korean_is_not_mistaken_for_cp949() {
    for ch in Channel::ALL {
        let inf = parse_all(ch, &[("cus_extra_username", HONG), ("site_uid", "홍길동")]);
        check_fields(
            &inf,
            json!({"cus_extra_username": "홍길동", "site_uid": "홍길동"}),
            &[],
        );
    }
}

#[test]
fn bytes_that_are_neither_utf8_nor_cp949_are_invalid_and_not_stored() {
    for ch in Channel::ALL {
        let inf = parse_all(
            ch,
            &[
                ("site_uid", "ab%FFc"),
                ("cus_extra_username", "%FF"),
                ("shop_id", "%FF%FF"),
            ],
        );
        check(
            &inf,
            json!({}),
            json!({}),
            json!({}),
            &[
                ("site_uid", "invalid"),
                ("cus_extra_username", "invalid"),
                ("shop_id", "invalid"),
            ],
        );
    }
}

#[test]
fn v2_wholly_encoded_list_with_undecodable_bytes_is_not_stored() {
    let u = format!("{V2}?params=site_uid%3D('ab%FFc')");
    let inf = parse(Channel::WebchatV2, &u, &Settings::default());
    check_fields(&inf, json!({}), &[("params", "invalid")]);
}

#[test]
fn malformed_percent_escapes_stay_as_written() {
    for ch in Channel::ALL {
        let inf = parse_all(
            ch,
            &[("cus_extra_username", "100%"), ("parameter1", "%zz%4")],
        );
        check(
            &inf,
            json!({"cus_extra_username": "100%"}),
            json!({"parameter1": "%zz%4"}),
            json!({}),
            &[],
        );
    }
}

// --- duplicates and unknown parameters ---------------------------------------------------------

#[test]
fn a_parameter_given_twice_last_wins_and_is_reported() {
    for ch in Channel::ALL {
        let inf = parse_all(
            ch,
            &[
                ("site_uid", "first"),
                ("cus_extra_phone", "1"),
                ("parameter1", "a"),
                ("partner_id", "p1"),
                ("site_uid", "second"),
                ("cus_extra_tel_phone", "2"),
                ("parameter1", "b"),
                ("partner_id", "p2"),
                ("categoryID", "1"),
                ("category_id", "2"),
            ],
        );
        check(
            &inf,
            json!({"site_uid": "second", "cus_extra_phone": "2", "category_id": 2}),
            json!({"parameter1": "b"}),
            json!({"partner_id": "p2"}),
            &[
                ("site_uid", "duplicate"),
                ("cus_extra_tel_phone", "duplicate"),
                ("parameter1", "duplicate"),
                ("partner_id", "duplicate"),
                ("category_id", "duplicate"),
            ],
        );
    }
}

#[test]
fn duplicate_where_the_last_value_is_a_sentinel_leaves_no_id() {
    for ch in Channel::ALL {
        let inf = parse_all(ch, &[("site_uid", "abc"), ("site_uid", "")]);
        check_fields(
            &inf,
            json!({}),
            &[("site_uid", "duplicate"), ("site_uid", "sentinel")],
        );
    }
}

#[test]
fn unknown_parameters_are_kept_as_extra_and_never_as_customer_info() {
    for ch in Channel::ALL {
        let inf = parse_all(
            ch,
            &[
                ("partner_id", "cafe24"),
                ("shop_id", "mall01"),
                ("siteId", "4000000000"),
                ("site_id", "4000000000"),
                ("site_username", &enc("해피톡")),
                ("SITE_UID", "X"),
                ("empty", ""),
            ],
        );
        check(
            &inf,
            json!({}),
            json!({}),
            json!({
                "partner_id": "cafe24",
                "shop_id": "mall01",
                "siteId": "4000000000",
                "site_id": "4000000000",
                "site_username": "해피톡",
                "SITE_UID": "X",
                "empty": "",
            }),
            &[],
        );
    }
}

// --- R1.4 identity safety ----------------------------------------------------------------------

#[test]
fn placeholder_site_uid_is_absent_and_reported() {
    for ch in Channel::ALL {
        for raw in [
            "{고객ID}",
            "%7B%EA%B3%A0%EA%B0%9DID%7D",
            "[site_uid]",
            "{{id}}",
            "<id>",
            "${id}",
            "고객ID",
            "%20{고객ID}%20",
        ] {
            let inf = parse_all(ch, &[("site_uid", raw), ("cus_extra_phone", "010")]);
            check_fields(
                &inf,
                json!({"cus_extra_phone": "010"}),
                &[("site_uid", "placeholder")],
            );
        }
    }
    // `('고객ID')`: quoted on v2 (the help page's form), written literally elsewhere.
    for ch in Channel::ALL {
        let u = match ch {
            Channel::WebchatV2 => format!("{V2}?params=site_uid=('고객ID')"),
            _ => url(ch, &[("site_uid", "('고객ID')")]),
        };
        let inf = parse(ch, &u, &Settings::default());
        check_fields(&inf, json!({}), &[("site_uid", "placeholder")]);
    }
}

#[test]
fn placeholders_in_other_fields_are_absent_and_reported() {
    for ch in Channel::ALL {
        let inf = parse(
            ch,
            &url(
                ch,
                &[
                    ("cus_extra_username", "{고객이름}"),
                    ("cus_extra_phone", "{전화번호}"),
                    ("cus_extra_email", "[cus_extra_email]"),
                    ("user_parameter", "{{user_parameter}}"),
                    ("category_id", "{상담분류번호}"),
                    ("bot_start", "[bot_start]"),
                    ("parameter1", "{유입경로}"),
                ],
            ),
            &site_settings(),
        );
        check_fields(
            &inf,
            json!({}),
            &[
                ("cus_extra_username", "placeholder"),
                ("cus_extra_phone", "placeholder"),
                ("cus_extra_email", "placeholder"),
                ("user_parameter", "placeholder"),
                ("category_id", "placeholder"),
                ("bot_start", "placeholder"),
                ("parameter1", "placeholder"),
            ],
        );
    }
}

#[test]
fn sentinel_site_uid_is_absent_and_reported() {
    for ch in Channel::ALL {
        for raw in [
            "undefined",
            "UNDEFINED",
            "null",
            "NULL",
            "none",
            "nil",
            "NaN",
            "nan",
            "0",
            "-",
            "",
            "%20",
            "%20%20%09",
            "%20undefined%20",
            "%E3%80%80", // ideographic space
        ] {
            let inf = parse_all(ch, &[("site_uid", raw), ("cus_extra_username", HONG)]);
            check_fields(
                &inf,
                json!({"cus_extra_username": "홍길동"}),
                &[("site_uid", "sentinel")],
            );
        }
        // Near misses are real IDs.
        for raw in ["00", "undefined_user", "0a", "nullable", "--", "1"] {
            let inf = parse_all(ch, &[("site_uid", raw)]);
            check_fields(&inf, json!({ "site_uid": raw }), &[]);
        }
    }
}

#[test]
fn sentinels_apply_to_the_id_only() {
    for ch in Channel::ALL {
        let inf = parse_all(
            ch,
            &[
                ("cus_extra_username", "undefined"),
                ("cus_extra_phone", "0"),
                ("user_parameter", "null"),
                ("parameter1", "-"),
            ],
        );
        check(
            &inf,
            json!({"cus_extra_username": "undefined", "cus_extra_phone": "0", "user_parameter": "null"}),
            json!({"parameter1": "-"}),
            json!({}),
            &[],
        );
    }
}

#[test]
fn sentinel_list_is_per_site() {
    let settings = Settings {
        sentinels: vec!["guest".into(), "비회원".into(), " anonymous ".into()],
        ..Settings::default()
    };
    for ch in Channel::ALL {
        for raw in ["guest", "GUEST", &enc("비회원"), "anonymous", "", "%20"] {
            let inf = parse(ch, &url(ch, &[("site_uid", raw)]), &settings);
            check_fields(&inf, json!({}), &[("site_uid", "sentinel")]);
        }
        // Not on this site's list any more.
        for raw in ["undefined", "0", "null"] {
            let inf = parse(ch, &url(ch, &[("site_uid", raw)]), &settings);
            check_fields(&inf, json!({ "site_uid": raw }), &[]);
        }
    }
    // An empty list still treats an empty ID as absent.
    let mut none = Settings::default();
    none.sentinels.clear();
    let inf = parse(
        Channel::Kakao,
        &url(Channel::Kakao, &[("site_uid", "")]),
        &none,
    );
    check_fields(&inf, json!({}), &[("site_uid", "sentinel")]);
}

// ---------------------------------------------------------------------------------------------
// The help page's own examples, with realistic bases
// ---------------------------------------------------------------------------------------------

const V2_REAL: &str = "https://design.happytalkio.com/chatting?siteId=4000000000\
                       &siteName=%ED%95%B4%ED%94%BC%ED%86%A1&categoryId=74133&divisionId=74134";

#[test]
fn seed_kakao_example() {
    let u = format!(
        "{KAKAO}&site_uid={{고객ID}}&cus_extra_username={{고객이름}}&cus_extra_phone={{전화번호}}"
    );
    let inf = parse(Channel::Kakao, &u, &Settings::default());
    check_fields(
        &inf,
        json!({}),
        &[
            ("site_uid", "placeholder"),
            ("cus_extra_username", "placeholder"),
            ("cus_extra_phone", "placeholder"),
        ],
    );
    // Filled in by an integrator.
    let u = format!(
        "{KAKAO}&site_uid=member_8812&cus_extra_username={HONG}&cus_extra_phone=01012345678&bot_start=true"
    );
    check_fields(
        &parse(Channel::Kakao, &u, &Settings::default()),
        json!({
            "site_uid": "member_8812",
            "cus_extra_username": "홍길동",
            "cus_extra_phone": "01012345678",
            "bot_start": true,
        }),
        &[],
    );
}

#[test]
fn seed_webchat_v2_example() {
    let u = format!(
        "{V2_REAL}¶ms=site_uid=('고객ID'),cus_extra_username=('고객이름'),cus_extra_phone=('전화번호')"
    );
    let inf = parse(Channel::WebchatV2, &u, &Settings::default());
    check(
        &inf,
        json!({"category_id": 74133, "division_id": 74134}),
        json!({}),
        json!({"siteId": "4000000000", "siteName": "해피톡"}),
        &[
            ("params", "mangled_separator"),
            ("site_uid", "placeholder"),
            ("cus_extra_username", "placeholder"),
            ("cus_extra_phone", "placeholder"),
        ],
    );
    let u = format!(
        "{V2_REAL}¶ms=site_uid=('member_8812'),cus_extra_username=('{HONG}'),cus_extra_phone=('010-1234-5678')"
    );
    let inf = parse(Channel::WebchatV2, &u, &Settings::default());
    check(
        &inf,
        json!({
            "site_uid": "member_8812",
            "cus_extra_username": "홍길동",
            "cus_extra_phone": "010-1234-5678",
            "category_id": 74133,
            "division_id": 74134,
        }),
        json!({}),
        json!({"siteId": "4000000000", "siteName": "해피톡"}),
        &[("params", "mangled_separator")],
    );
    // Literally as on the page: the base written as a word, no `?`.
    let u = "웹채팅v2채팅URL¶ms=site_uid=('m1'),cus_extra_username=('홍길동')";
    check_fields(
        &parse(Channel::WebchatV2, u, &Settings::default()),
        json!({"site_uid": "m1", "cus_extra_username": "홍길동"}),
        &[("params", "mangled_separator")],
    );
}

#[test]
fn seed_webchat_v2_inflow_example() {
    // "채팅URL¶ms=site_username=해피톡,cus_extra_phone=010-0000-0000,parameter1=해피북문의하기,
    // parameter2=우수고객" (site_username is not a fixed parameter: kept, not dropped).
    let u = "https://design.happytalkio.com/chatting?siteId=4000000000¶ms=site_username=해피톡,\
             cus_extra_phone=010-0000-0000,parameter1=해피북문의하기,parameter2=우수고객";
    let inf = parse(Channel::WebchatV2, u, &site_settings());
    check(
        &inf,
        json!({"cus_extra_phone": "010-0000-0000"}),
        json!({"parameter1": "해피북문의하기", "parameter2": "우수고객"}),
        json!({"siteId": "4000000000", "site_username": "해피톡"}),
        &[("params", "mangled_separator")],
    );
}

#[test]
fn seed_naver_example() {
    let u = format!(
        "{NAVER}#nafullscreen|site_uid={{고객ID}}|cus_extra_username={{고객이름}}|cus_extra_phone={{전화번호}}"
    );
    let inf = parse(Channel::Naver, &u, &Settings::default());
    check_fields(
        &inf,
        json!({}),
        &[
            ("site_uid", "placeholder"),
            ("cus_extra_username", "placeholder"),
            ("cus_extra_phone", "placeholder"),
        ],
    );
    let u = "네이버톡톡채팅URL|site_uid=m1|cus_extra_username=홍길동|cus_extra_phone=010";
    check_fields(
        &parse(Channel::Naver, u, &Settings::default()),
        json!({"site_uid": "m1", "cus_extra_username": "홍길동", "cus_extra_phone": "010"}),
        &[],
    );
}

#[test]
fn seed_custom_parameter_example() {
    // "채팅 URL 뒤에 ¶meter1={유입경로}¶meter2={유저구분}"
    for ch in [Channel::Kakao, Channel::WebchatV1, Channel::WebchatV2] {
        let u = format!(
            "{}?siteId=1¶meter1={{유입경로}}¶meter2={{유저구분}}",
            base(ch)
        );
        let inf = parse(ch, &u, &site_settings());
        check(
            &inf,
            json!({}),
            json!({}),
            json!({"siteId": "1"}),
            &[
                ("parameter1", "mangled_separator"),
                ("parameter2", "mangled_separator"),
                ("parameter1", "placeholder"),
                ("parameter2", "placeholder"),
            ],
        );
        let u = format!(
            "{}?siteId=1¶meter1={}¶meter2={}",
            base(ch),
            enc("네이버 검색"),
            enc("우수고객")
        );
        let inf = parse(ch, &u, &site_settings());
        check(
            &inf,
            json!({}),
            json!({"parameter1": "네이버 검색", "parameter2": "우수고객"}),
            json!({"siteId": "1"}),
            &[
                ("parameter1", "mangled_separator"),
                ("parameter2", "mangled_separator"),
            ],
        );
    }
}

#[test]
fn seed_webchat_v1_example() {
    let u = "https://chat.example.com/chat/v1?site_id=4000000000&is_login=Y&uid={고객ID}";
    check(
        &parse(Channel::WebchatV1, u, &Settings::default()),
        json!({}),
        json!({}),
        json!({"site_id": "4000000000"}),
        &[("uid", "placeholder")],
    );
    let u = "https://chat.example.com/chat/v1?site_id=4000000000&is_login=Y&uid=member_8812";
    check(
        &parse(Channel::WebchatV1, u, &Settings::default()),
        json!({"site_uid": "member_8812"}),
        json!({}),
        json!({"site_id": "4000000000"}),
        &[],
    );
}

#[test]
fn seed_site_uid_undefined_warning() {
    // "ID가 없을 때 임의의 값으로 설정하는 경우(예: site_uid=undefined) … 모든 고객정보와
    // 상담이력이 하나로 연동되는 점 주의": Sangdam refuses to merge.
    for ch in Channel::ALL {
        let inf = parse_all(
            ch,
            &[("site_uid", "undefined"), ("cus_extra_username", HONG)],
        );
        check_fields(
            &inf,
            json!({"cus_extra_username": "홍길동"}),
            &[("site_uid", "sentinel")],
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Bad input never panics
// ---------------------------------------------------------------------------------------------

#[test]
fn bad_input_never_panics_and_yields_nothing_spurious() {
    let quiet = [
        "", "?", "&", "&&&", "=", "==", "?&=&", "%", "%%", "%2", "#", "#=", "|", "||", "|=|", "('",
        "')", ",,,",
    ];
    for ch in Channel::ALL {
        for input in quiet {
            let inf = parse(ch, input, &Settings::all_enabled());
            assert_eq!(inf.channel, ch);
            assert_eq!(
                serde_json::to_value(&inf.fields).unwrap(),
                json!({}),
                "{ch} {input:?}: {inf:?}"
            );
            assert!(inf.custom.is_empty(), "{ch} {input:?}: {inf:?}");
            let _ = parse_params(ch, input, &Settings::all_enabled());
        }
        assert_eq!(parse(ch, "", &Settings::default()).warnings, vec![]);
    }
}

#[test]
fn hostile_and_huge_input_never_panics() {
    let long_a = "a".repeat(1 << 20);
    let inputs = [
        "¶".to_owned(),
        "¶¶¶".to_owned(),
        "%C2%B6".to_owned(),
        "%C2%B6ms=".to_owned(),
        "%C2".to_owned(),
        "params=".to_owned(),
        "params=('".to_owned(),
        "params=a=('".to_owned(),
        "params=a=(\"".to_owned(),
        "params=%3D".to_owned(),
        "?params=site_uid%3D".to_owned(),
        "amp;".to_owned(),
        "&amp;=".to_owned(),
        "\u{0}\u{FFFF}\u{10FFFF}".to_owned(),
        format!("?site_uid={long_a}"),
        format!("?{long_a}"),
        format!("|{long_a}"),
        "&".repeat(100_000),
        "¶".repeat(50_000),
        "%C2%B6meter1=".repeat(20_000),
        format!("?params=a=('{}", "')x".repeat(50_000)),
        format!("?params={}", "a=('x'),".repeat(50_000)),
        format!("?params={}", ",".repeat(100_000)),
        format!("?params={}", "('".repeat(50_000)),
        format!("{}|{}", "=".repeat(10_000), "|=".repeat(10_000)),
        "%FF".repeat(10_000),
        // `%` right before a multi-byte character (a slicing hazard).
        "?site_uid=%가&x=%2가&y=%C가%B6ms=".to_owned(),
        "%20{고객ID}%20".to_owned(),
        "%C2%가¶가%c2%b6가".to_owned(),
        format!("?cus_extra_username={}", "%EA%B0%80".repeat(100_000)),
    ];
    for ch in Channel::ALL {
        for input in &inputs {
            let inf = parse(ch, input, &Settings::all_enabled());
            assert_eq!(inf.channel, ch);
            let _ = parse_params(ch, input, &Settings::all_enabled());
            let _ = serde_json::to_string(&inf).unwrap();
        }
    }
}

#[test]
fn warning_details_stay_short_for_huge_values() {
    let huge = "가".repeat(100_000);
    for ch in Channel::ALL {
        let inf = parse_all(
            ch,
            &[
                ("site_uid", &enc(&huge)),
                ("cus_extra_username", &enc(&huge)),
                ("category_id", &enc(&huge)),
            ],
        );
        assert_eq!(inf.warnings.len(), 3, "{:?}", inf.warnings);
        for w in &inf.warnings {
            assert!(w.detail.chars().count() < 500, "{}", w.detail.len());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// R1.5 Builder and chat button
// ---------------------------------------------------------------------------------------------

#[test]
fn build_fill_mode_writes_each_channels_syntax() {
    let params = [
        Param::value("site_uid", "member_8812"),
        Param::value("cus_extra_username", "홍길동"),
        Param::value("category_id", "74133"),
        Param::value("parameter1", "a,b=c"),
        Param::value("partner_id", "cafe24"),
    ];
    let s = site_settings();
    let name = HONG;
    let cases = [
        (
            Channel::Kakao,
            format!(
                "{KAKAO}?site_uid=member_8812&cus_extra_username={name}&category_id=74133\
                 &parameter1=a%2Cb%3Dc&partner_id=cafe24"
            ),
        ),
        (
            Channel::WebchatV1,
            format!(
                "{V1}?is_login=Y&uid=member_8812&cus_extra_username={name}&category_id=74133\
                 &parameter1=a%2Cb%3Dc&partner_id=cafe24"
            ),
        ),
        (
            Channel::WebchatV2,
            format!(
                "{V2}?params=site_uid=('member_8812'),cus_extra_username=('{name}'),\
                 categoryID=('74133'),parameter1=('a%2Cb%3Dc')&partner_id=cafe24"
            ),
        ),
        (
            Channel::Naver,
            format!(
                "{NAVER}|site_uid=member_8812|cus_extra_username={name}|category_id=74133\
                 |parameter1=a%2Cb%3Dc|partner_id=cafe24"
            ),
        ),
    ];
    for (ch, want) in cases {
        let got = build(ch, base(ch), &params, &s).unwrap();
        assert_eq!(got, want, "{ch}");
        check(
            &parse(ch, &got, &s),
            json!({"site_uid": "member_8812", "cus_extra_username": "홍길동", "category_id": 74133}),
            json!({"parameter1": "a,b=c"}),
            json!({"partner_id": "cafe24"}),
            &[],
        );
    }
}

#[test]
fn build_replaces_parameters_already_in_the_base() {
    let s = Settings::default();
    let got = build(
        Channel::WebchatV1,
        &format!("{V1}?site_id=4000000000&is_login=N&uid=#top"),
        &[Param::value("site_uid", "m1")],
        &s,
    )
    .unwrap();
    assert_eq!(
        got,
        format!("{V1}?site_id=4000000000&is_login=Y&uid=m1#top")
    );

    let got = build(
        Channel::Kakao,
        &format!("{KAKAO}?site_uid=old&cus_extra_tel_phone=1&shop_id=s"),
        &[
            Param::value("site_uid", "new"),
            Param::value("cus_extra_phone", "2"),
        ],
        &s,
    )
    .unwrap();
    assert_eq!(
        got,
        format!("{KAKAO}?shop_id=s&site_uid=new&cus_extra_phone=2")
    );

    let got = build(
        Channel::WebchatV2,
        &format!("{V2}?siteId=1&params=site_uid=('old'),cus_extra_phone=('010')"),
        &[Param::value("site_uid", "new")],
        &s,
    )
    .unwrap();
    check(
        &parse(Channel::WebchatV2, &got, &s),
        json!({"site_uid": "new", "cus_extra_phone": "010"}),
        json!({}),
        json!({"siteId": "1"}),
        &[],
    );

    let got = build(
        Channel::Naver,
        &format!("{NAVER}#nafullscreen|site_uid=old|frm=x"),
        &[Param::value("site_uid", "new")],
        &s,
    )
    .unwrap();
    assert_eq!(got, format!("{NAVER}#nafullscreen|frm=x|site_uid=new"));
}

#[test]
fn build_naver_replaces_parameters_in_the_base_query() {
    let s = Settings::default();
    for (name, value, fields, extra) in [
        ("frm", "talk", json!({}), json!({"frm": "talk"})),
        ("site_uid", "new", json!({"site_uid": "new"}), json!({})),
    ] {
        let base = format!("{NAVER}?{name}=old");
        let u = build(Channel::Naver, &base, &[Param::value(name, value)], &s).unwrap();
        check(
            &parse(Channel::Naver, &u, &s),
            fields,
            json!({}),
            extra,
            &[],
        );
    }
}

#[test]
fn build_v2_keeps_the_base_params_items_it_does_not_replace() {
    let s = site_settings();
    let base = format!(
        "{V2}?siteId=1&params=site_uid=('{{고객ID}}'),parameter1=('{{유입경로}}'),parameter3=('x')"
    );
    let u = build(
        Channel::WebchatV2,
        &base,
        &[Param::value("cus_extra_username", "홍길동")],
        &s,
    )
    .unwrap();
    check(
        &parse(Channel::WebchatV2, &u, &s),
        json!({"cus_extra_username": "홍길동"}),
        json!({}),
        json!({"siteId": "1"}),
        &[
            ("site_uid", "placeholder"),
            ("parameter1", "placeholder"),
            ("parameter3", "not_enabled"),
        ],
    );
}

#[test]
fn build_keeps_base_parameters_it_does_not_replace_on_query_channels() {
    let s = site_settings();
    for ch in [Channel::Kakao, Channel::WebchatV1] {
        let base = format!("{}?site_uid={{고객ID}}&parameter3=x", base(ch));
        let u = build(
            ch,
            &base,
            &[Param::value("cus_extra_username", "홍길동")],
            &s,
        )
        .unwrap();
        assert_eq!(u, format!("{base}&cus_extra_username={HONG}"), "{ch}");
    }
}

#[test]
fn build_refuses_what_the_parser_would_not_read_back() {
    let s = site_settings();
    let refused = |ch: Channel, params: &[Param]| -> Vec<(String, WarningCode)> {
        match build(ch, base(ch), params, &s) {
            Err(BuildError::Rejected(ws)) => ws.into_iter().map(|w| (w.param, w.code)).collect(),
            other => panic!("{ch} {params:?}: expected a refusal, got {other:?}"),
        }
    };
    for ch in Channel::ALL {
        let cases: Vec<(Vec<Param>, &str, WarningCode)> = vec![
            (
                vec![Param::value("site_uid", "a".repeat(256))],
                "site_uid",
                WarningCode::TooLong,
            ),
            (
                vec![Param::value("site_uid", "undefined")],
                "site_uid",
                WarningCode::Sentinel,
            ),
            (
                vec![Param::value("site_uid", "")],
                "site_uid",
                WarningCode::Sentinel,
            ),
            (
                vec![Param::value("site_uid", "{고객ID}")],
                "site_uid",
                WarningCode::Placeholder,
            ),
            (
                vec![Param::value("cus_extra_username", "가".repeat(101))],
                "cus_extra_username",
                WarningCode::Truncated,
            ),
            (
                vec![Param::value("cus_extra_email", "nope")],
                "cus_extra_email",
                WarningCode::Invalid,
            ),
            (
                vec![Param::value("category_id", "-1")],
                "category_id",
                WarningCode::Invalid,
            ),
            (
                vec![Param::value("bot_start", "yes")],
                "bot_start",
                WarningCode::Invalid,
            ),
            (
                vec![Param::value("category_name", "x")],
                "category_name",
                WarningCode::ReadOnly,
            ),
            (
                vec![Param::value("parameter3", "x")],
                "parameter3",
                WarningCode::NotEnabled,
            ),
            (
                vec![Param::placeholder("parameter3", "x")],
                "parameter3",
                WarningCode::NotEnabled,
            ),
            (
                vec![Param::value("parameter1", "a".repeat(21))],
                "parameter1",
                WarningCode::Truncated,
            ),
            (
                vec![Param::value("site_uid", "a"), Param::value("site_uid", "b")],
                "site_uid",
                WarningCode::Duplicate,
            ),
            (
                vec![
                    Param::value("cus_extra_phone", "1"),
                    Param::value("cus_extra_tel_phone", "2"),
                ],
                "cus_extra_tel_phone",
                WarningCode::Duplicate,
            ),
            (vec![Param::value("", "x")], "", WarningCode::Invalid),
        ];
        for (params, param, code) in cases {
            assert_eq!(
                refused(ch, &params),
                vec![(param.to_owned(), code)],
                "{ch} {params:?}"
            );
        }
    }
    assert_eq!(
        refused(Channel::WebchatV1, &[Param::value("uid", "a")]),
        vec![("uid".to_owned(), WarningCode::Invalid)]
    );
    assert_eq!(
        refused(Channel::WebchatV2, &[Param::value("params", "site_uid=a")]),
        vec![("params".to_owned(), WarningCode::Invalid)]
    );
    // Every problem is reported at once.
    assert_eq!(
        refused(
            Channel::Kakao,
            &[
                Param::value("site_uid", "null"),
                Param::value("bot_start", "1")
            ]
        )
        .len(),
        2
    );
    for ch in Channel::ALL {
        assert_eq!(build(ch, "  ", &[], &s), Err(BuildError::EmptyBase));
    }
}

#[test]
fn build_placeholder_mode_parses_back_as_placeholders() {
    let s = site_settings();
    let params = placeholder_params(&s, &[Field::SiteUid, Field::Name, Field::Phone]);
    assert_eq!(
        params,
        vec![
            Param::placeholder("site_uid", "고객ID"),
            Param::placeholder("cus_extra_username", "고객이름"),
            Param::placeholder("cus_extra_phone", "전화번호"),
            Param::placeholder("parameter1", "유입경로"),
            Param::placeholder("parameter2", "유저구분"),
        ]
    );
    for ch in Channel::ALL {
        let u = build(ch, base(ch), &params, &s).unwrap();
        let id = if ch == Channel::WebchatV1 {
            "uid"
        } else {
            "site_uid"
        };
        check_fields(
            &parse(ch, &u, &s),
            json!({}),
            &[
                (id, "placeholder"),
                ("cus_extra_username", "placeholder"),
                ("cus_extra_phone", "placeholder"),
                ("parameter1", "placeholder"),
                ("parameter2", "placeholder"),
            ],
        );
    }
    // A slot without description is labelled by its name.
    let s = Settings::with_enabled([slot(3)]);
    assert_eq!(
        placeholder_params(&s, &[]),
        vec![Param::placeholder("parameter3", "parameter3")]
    );
}

#[test]
fn build_placeholders_are_readable() {
    let s = site_settings();
    let params = placeholder_params(&s, &[Field::SiteUid]);
    let cases = [
        (
            Channel::Kakao,
            format!("{KAKAO}?site_uid={{고객ID}}&parameter1={{유입경로}}&parameter2={{유저구분}}"),
        ),
        (
            Channel::WebchatV1,
            format!(
                "{V1}?is_login=Y&uid={{고객ID}}&parameter1={{유입경로}}&parameter2={{유저구분}}"
            ),
        ),
        (
            Channel::WebchatV2,
            format!(
                "{V2}?params=site_uid=('{{고객ID}}'),parameter1=('{{유입경로}}'),\
                 parameter2=('{{유저구분}}')"
            ),
        ),
        (
            Channel::Naver,
            format!("{NAVER}|site_uid={{고객ID}}|parameter1={{유입경로}}|parameter2={{유저구분}}"),
        ),
    ];
    for (ch, want) in cases {
        assert_eq!(build(ch, base(ch), &params, &s).unwrap(), want, "{ch}");
    }
    // Separators inside a label are encoded; the rest stays readable.
    let mut s = Settings::with_enabled([slot(1)]);
    s.slot_mut(slot(1)).description = "유입 경로(A|B),¶".into();
    let u = build(Channel::Kakao, KAKAO, &placeholder_params(&s, &[]), &s).unwrap();
    assert_eq!(
        u,
        format!("{KAKAO}?parameter1={{유입%20경로%28A%7CB%29%2C%C2%B6}}")
    );
    check(
        &parse(Channel::Kakao, &u, &s),
        json!({}),
        json!({}),
        json!({}),
        &[("parameter1", "placeholder")],
    );
}

fn snippet(settings: &Settings, fixed: &[(&str, &str)]) -> String {
    chat_button_snippet(&SnippetOptions {
        site_id: "4000000000",
        script_url: "https://chat.example.com/static/widget.js?v=2&lang=ko",
        settings,
        fixed,
        comments: SnippetComments::ENGLISH,
    })
}

/// The lines inside the `params: { … }` block.
fn params_lines(out: &str) -> Vec<&str> {
    out.lines()
        .skip_while(|l| l.trim() != "params: {")
        .skip(1)
        .take_while(|l| l.trim() != "},")
        .collect()
}

#[test]
fn snippet_lists_every_optional_parameter_commented_out() {
    let s = site_settings();
    let out = snippet(&s, &[]);
    let lines = params_lines(&out);
    let keys: Vec<&str> = lines
        .iter()
        .map(|l| {
            let l = l.trim();
            assert!(l.starts_with("// "), "not commented out: {l}");
            assert!(l.contains(": '',"), "every line ends in a comma: {l}");
            l.trim_start_matches("// ").split(':').next().unwrap()
        })
        .collect();
    assert_eq!(
        keys,
        [
            "site_uid",
            "site_uid_hash",
            "cus_extra_username",
            "cus_extra_phone",
            "cus_extra_email",
            "user_parameter",
            "categoryID",
            "divisionID",
            "parameter1",
            "parameter2",
        ]
    );
    assert!(out.contains("// parameter1: '', // 유입경로"));
    assert!(out.contains("// parameter2: '', // 유저구분"));
    assert!(!out.contains("category_name") && !out.contains("division_name"));
    assert!(!out.contains("do not edit"), "no fixed fields, no marker");

    // Every key, uncommented and filled, is a parameter the v2 parser knows.
    for key in keys {
        let inf = parse(
            Channel::WebchatV2,
            &format!("{V2}?params={key}=('1')"),
            &Settings::all_enabled(),
        );
        assert!(inf.extra.is_empty(), "{key} would land in extra: {inf:?}");
    }
}

#[test]
fn snippet_marks_hosted_mall_fields_and_escapes_them() {
    let out = snippet(
        &Settings::default(),
        &[
            ("partner_id", "cafe24"),
            ("shop_id", "mall\"01"),
            ("shop-no", "7"),
        ],
    );
    assert!(
        out.contains("partner_id: \"cafe24\", // do not edit"),
        "{out}"
    );
    assert!(
        out.contains("shop_id: \"mall\\\"01\", // do not edit"),
        "{out}"
    );
    assert!(out.contains("\"shop-no\": \"7\", // do not edit"), "{out}");
    assert!(out.contains("siteId: \"4000000000\","));
    assert!(
        out.contains("<script src=\"https://chat.example.com/static/widget.js?v=2&amp;lang=ko\" async></script>"),
        "{out}"
    );
    // Nothing from a slot that is not enabled.
    assert!(!out.contains("// parameter"), "{out}");
}

#[test]
fn snippet_label_falls_back_to_slot_name() {
    let s = Settings::with_enabled([slot(10)]);
    let out = snippet(&s, &[]);
    assert!(
        out.contains("// parameter10: '', // parameter10\n"),
        "{out}"
    );
}

// ---------------------------------------------------------------------------------------------
// R1.6 Consultation-info URL template
// ---------------------------------------------------------------------------------------------

#[test]
fn template_spec_example_renders_encoded_values() {
    let t: Template = "https://crm.example.com/view?id=[site_uid]&src=[parameter1]&room=[room_id]"
        .parse()
        .unwrap();
    assert_eq!(
        t.variables(),
        vec![Var::SiteUid, Var::Custom(slot(1)), Var::RoomId]
    );
    let url = t.render(|v| match v {
        Var::SiteUid => Some("홍 길동&x=1#y"),
        Var::Custom(s) if s == slot(1) => Some("a/b?c"),
        Var::RoomId => Some("12345"),
        _ => None,
    });
    assert_eq!(
        url,
        "https://crm.example.com/view?id=%ED%99%8D%20%EA%B8%B8%EB%8F%99%26x%3D1%23y&src=a%2Fb%3Fc&room=12345"
    );
}

#[test]
fn template_accepts_every_documented_variable() {
    let names = [
        "site_uid",
        "cus_extra_username",
        "cus_extra_phone",
        "cus_extra_email",
        "user_parameter",
        "category_id",
        "division_id",
        "category_name",
        "division_name",
        "bot_start",
        "parameter1",
        "parameter5",
        "parameter10",
        "room_id",
        "consultation_id",
        "customer_key",
        "channel",
        "agent_id",
    ];
    for name in names {
        let t = Template::parse(&format!("https://crm.example.com/v?x=[{name}]")).unwrap();
        assert_eq!(t.variables().len(), 1);
        assert_eq!(t.variables()[0].name(), name);
        assert_eq!(t.render(|_| Some("v")), "https://crm.example.com/v?x=v");
    }
}

#[test]
fn template_refuses_unknown_variables_naming_each_once() {
    let err = Template::parse(
        "https://crm.example.com/v?a=[member_no]&b=[Site_Uid]&c=[parameter0]&d=[member_no]&e=[uid]",
    )
    .unwrap_err();
    assert_eq!(
        err,
        TemplateError::UnknownVariables(vec![
            "member_no".into(),
            "Site_Uid".into(),
            "parameter0".into(),
            "uid".into(),
        ])
    );
    let msg = err.to_string();
    for name in ["[member_no]", "[Site_Uid]", "[parameter0]", "[uid]"] {
        assert!(msg.contains(name), "{msg}");
    }
    assert_eq!(
        Template::parse("https://x/[nope]").unwrap_err().to_string(),
        "unknown template variable: [nope]"
    );
}

#[test]
fn template_only_links_to_http() {
    for bad in [
        "",
        "   ",
        "ftp://x/[site_uid]",
        "//x/[site_uid]",
        "/view?id=[site_uid]",
        "javascript:[site_uid]",
        "http:/x",
    ] {
        assert_eq!(Template::parse(bad), Err(TemplateError::NotHttp), "{bad:?}");
    }
    let t = Template::parse("  http://crm.example.com/[room_id]  ").unwrap();
    assert_eq!(t.as_str(), "http://crm.example.com/[room_id]");
    assert_eq!(t.render(|_| Some("7")), "http://crm.example.com/7");
}

#[test]
fn template_text_brackets_and_repeated_variables() {
    let t =
        Template::parse("https://x/?a=[[site_uid]]&b=[ site_uid ]&c=[]&d=[site_uid]&e=[channel]")
            .unwrap();
    assert_eq!(t.variables(), vec![Var::SiteUid, Var::Channel]);
    assert_eq!(
        t.render(|v| match v {
            Var::SiteUid => Some("u"),
            Var::Channel => Some("webchat_v2"),
            _ => None,
        }),
        "https://x/?a=[u]&b=[ site_uid ]&c=[]&d=u&e=webchat_v2"
    );
    // Absent values render empty.
    assert_eq!(
        t.render(|_| None),
        "https://x/?a=[]&b=[ site_uid ]&c=[]&d=&e="
    );
}

// --- parameters that arrive already split (Kakao action params, JSON) -------------------------

#[test]
fn parse_pairs_applies_the_same_rules_without_decoding() {
    let inf = inflow::parse_pairs(
        Channel::Kakao,
        [
            ("site_uid", "m1"),
            ("cus_extra_username", "홍+길동%20"),
            ("categoryID", "74133"),
            ("parameter1", "123456789012345678901"),
            ("partner_id", "p"),
            ("site_uid", "m2"),
        ],
        &Settings::all_enabled(),
    );
    check(
        &inf,
        json!({"site_uid": "m2", "cus_extra_username": "홍+길동%20", "category_id": 74133}),
        json!({"parameter1": "12345678901234567890"}),
        json!({"partner_id": "p"}),
        &[("parameter1", "truncated"), ("site_uid", "duplicate")],
    );
}

#[test]
fn v2_quotes_percent_encoded_by_the_browser_still_quote() {
    // Browsers send `'` in a query as %27: a link written `site_uid=('a,b')` arrives like this.
    let u = format!(
        "{V2}?params=site_uid=(%27member01%27),cus_extra_username=(%27{HONG}%27),parameter1=(%22a,b%22)"
    );
    let inf = parse(Channel::WebchatV2, &u, &Settings::all_enabled());
    check(
        &inf,
        json!({"site_uid": "member01", "cus_extra_username": "홍길동"}),
        json!({"parameter1": "a,b"}),
        json!({}),
        &[],
    );
    // Left open, the encoded quote is refused like a raw one.
    let u = format!("{V2}?params=site_uid=(%27abc,cus_extra_username=(%27{HONG}%27)");
    let inf = parse(Channel::WebchatV2, &u, &Settings::all_enabled());
    check_fields(
        &inf,
        json!({"cus_extra_username": "홍길동"}),
        &[("site_uid", "invalid")],
    );
}
