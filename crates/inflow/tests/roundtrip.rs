#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Property tests of the builder/parser pair (SPEC R1.5: "building then parsing gives back the
//! same values"), of the parser's robustness, of placeholder-mode URLs and of template
//! rendering, for every channel.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use inflow::{
    BuildError, Channel, DEFAULT_SENTINELS, Field, Fields, Inflow, Param, Settings, Slot, Template,
    Var, WarningCode, build, parse, parse_params, placeholder_params,
};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

// ---------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------

/// Characters that stress every channel's syntax, Hangul, emoji and anything else.
fn any_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::sample::select(vec![
            '\'', ')', '(', ',', '=', '|', '&', '%', '+', '#', '¶', ' ', '?', ';', '/', '\\',
            '"', '{', '}', '[', ']', '<', '>', '$', '@', '\t', '\n', '~', '-', '_', '.', '*',
            '!', ':',
        ]),
        4 => prop::char::range('가', '힣'),
        1 => prop::sample::select(vec![
            '😀', '👍', '🇰', '\u{200D}', '\u{3000}', '\u{FEFF}', '\u{2028}', '\u{0}', 'é',
            '\u{85}', '\u{FFFD}', 'ㄱ', '１',
        ]),
        4 => prop::char::range('a', 'z'),
        1 => prop::char::range('A', 'Z'),
        2 => prop::char::range('0', '9'),
        1 => any::<char>(),
    ]
}

fn text(len: RangeInclusive<usize>) -> impl Strategy<Value = String> {
    prop::collection::vec(any_char(), len).prop_map(|v| v.into_iter().collect())
}

/// What the parser reads as an unfilled template marker (SPEC R1.4), conservatively: anything
/// wrapped in brackets of any kind, or one of the help page's labels.
fn looks_like_placeholder(v: &str) -> bool {
    let t = v.trim();
    let wrapped = t.starts_with(['{', '[', '<', '(', '$']) && t.ends_with(['}', ']', '>', ')']);
    wrapped || Field::ALL.iter().any(|f| f.placeholder_label() == t)
}

/// A value a text field stores as given.
fn usable(v: &str) -> bool {
    !v.trim().is_empty() && !looks_like_placeholder(v)
}

/// A value site_uid stores as given.
fn usable_id(v: &str) -> bool {
    usable(v)
        && !DEFAULT_SENTINELS
            .iter()
            .any(|s| s.eq_ignore_ascii_case(v.trim()))
}

fn valid_text(len: RangeInclusive<usize>) -> impl Strategy<Value = String> {
    text(len).prop_filter("usable value", |v| usable(v))
}

fn valid_id() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => text(1..=40),
        1 => text(250..=255),
    ]
    .prop_filter("usable ID", |v| usable_id(v))
}

/// One `local@domain` address as `inflow::is_email` takes it: letters of any script, digits
/// and the local part's symbols; dot-separated domain labels.
fn valid_email() -> impl Strategy<Value = String> {
    let word = |symbols: &'static str| {
        prop::collection::vec(
            any_char().prop_filter("address character", move |c| {
                c.is_alphanumeric() || symbols.contains(*c)
            }),
            1..=20,
        )
        .prop_map(|v| v.into_iter().collect::<String>())
    };
    (
        prop::collection::vec(word("!#$%&'*+/=?^_`{|}~-"), 1..=2),
        prop::collection::vec(word(""), 1..=3),
    )
        .prop_map(|(l, d)| format!("{}@{}", l.join("."), d.join(".")))
        .prop_filter("usable address", |v| usable(v) && inflow::is_email(v))
}

/// Names Sangdam does not know on any channel.
fn is_unknown_name(n: &str) -> bool {
    n.parse::<Field>().is_err()
        && n.parse::<Slot>().is_err()
        && ![
            "category_name",
            "division_name",
            "is_login",
            "in_login",
            "uid",
            "params",
        ]
        .contains(&n)
}

fn extra_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "partner_id",
            "shop_id",
            "siteId",
            "siteName",
            "frm",
            "yid",
            "utm_source",
            "member_no",
            "site_username",
        ])
        .prop_map(String::from),
        "[a-z][a-z0-9_]{0,12}".prop_filter("unknown name", |n| is_unknown_name(n)),
    ]
}

/// A base chat URL per channel, with the parameters it already carries (which survive).
fn bases(ch: Channel) -> Vec<(&'static str, Vec<(&'static str, &'static str)>)> {
    match ch {
        Channel::Kakao => vec![
            ("https://pf.kakao.com/_xjxkxbT/chat", vec![]),
            (
                "https://pf.kakao.com/_xjxkxbT/chat?yid=%40sangdam",
                vec![("yid", "@sangdam")],
            ),
        ],
        Channel::WebchatV1 => vec![
            ("https://chat.example.com/chat/v1", vec![]),
            (
                "https://chat.example.com/chat/v1?site_id=4000000000&is_login=N&uid=",
                vec![("site_id", "4000000000")],
            ),
        ],
        Channel::WebchatV2 => vec![
            ("https://chat.example.com/chat/v2", vec![]),
            (
                "https://design.happytalkio.com/chatting?siteId=4000000000\
                 &siteName=%ED%95%B4%ED%94%BC%ED%86%A1",
                vec![("siteId", "4000000000"), ("siteName", "해피톡")],
            ),
        ],
        Channel::Naver => vec![
            ("https://talk.naver.com/ct/w4abcd", vec![]),
            ("https://talk.naver.com/ct/w4abcd#nafullscreen", vec![]),
            (
                "https://talk.naver.com/ct/w4abcd?frm=mnmb",
                vec![("frm", "mnmb")],
            ),
        ],
    }
}

fn channel() -> impl Strategy<Value = Channel> {
    prop::sample::select(Channel::ALL.to_vec())
}

/// A channel and one of its bases.
fn channel_and_base() -> impl Strategy<Value = (Channel, &'static str, BTreeMap<String, String>)> {
    channel().prop_flat_map(|ch| {
        prop::sample::select(bases(ch)).prop_map(move |(base, extra)| {
            let extra = extra
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
            (ch, base, extra)
        })
    })
}

/// Values that are all valid: building must succeed and parsing must give them back.
#[derive(Debug, Clone)]
struct Values {
    site_uid: Option<String>,
    name: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    user_parameter: Option<String>,
    category_id: Option<u64>,
    division_id: Option<u64>,
    bot_start: Option<bool>,
    site_uid_hash: Option<String>,
    custom: BTreeMap<u8, String>,
    extra: BTreeMap<String, String>,
    /// Write the phone as `cus_extra_tel_phone`, the category as `categoryID`, the division as
    /// `divisionID`: the builder accepts every spelling.
    aliases: (bool, bool, bool),
}

const MAX_ID: u64 = 99_999_999_999;

fn values() -> impl Strategy<Value = Values> {
    let fixed = (
        prop::option::of(valid_id()),
        prop::option::of(valid_text(1..=100)),
        prop::option::of(valid_text(1..=100)),
        prop::option::of(valid_email()),
        prop::option::of(prop_oneof![3 => valid_text(1..=60), 1 => valid_text(190..=200)]),
        prop::option::of(prop_oneof![0..=MAX_ID, Just(MAX_ID), Just(0)]),
        prop::option::of(0..=MAX_ID),
        prop::option::of(any::<bool>()),
        prop::option::of("[0-9a-f]{64}"),
    );
    let rest = (
        prop::collection::btree_map(1u8..=10, valid_text(1..=20), 0..=4),
        prop::collection::btree_map(extra_name(), text(0..=30), 0..=3),
        any::<(bool, bool, bool)>(),
    );
    (fixed, rest).prop_map(
        |(
            (
                site_uid,
                name,
                phone,
                email,
                user_parameter,
                category_id,
                division_id,
                bot_start,
                site_uid_hash,
            ),
            (custom, extra, aliases),
        )| Values {
            site_uid,
            name,
            phone,
            email,
            user_parameter,
            category_id,
            division_id,
            bot_start,
            site_uid_hash,
            custom,
            extra,
            aliases,
        },
    )
}

impl Values {
    fn params(&self) -> Vec<Param> {
        let (tel, cat, div) = self.aliases;
        let mut p = Vec::new();
        let mut push = |name: &str, v: &Option<String>| {
            if let Some(v) = v {
                p.push(Param::value(name, v.clone()));
            }
        };
        push("site_uid", &self.site_uid);
        push("cus_extra_username", &self.name);
        push(
            if tel {
                "cus_extra_tel_phone"
            } else {
                "cus_extra_phone"
            },
            &self.phone,
        );
        push("cus_extra_email", &self.email);
        push("user_parameter", &self.user_parameter);
        push(
            if cat { "categoryID" } else { "category_id" },
            &self.category_id.map(|n| n.to_string()),
        );
        push(
            if div { "divisionID" } else { "division_id" },
            &self.division_id.map(|n| n.to_string()),
        );
        push("bot_start", &self.bot_start.map(|b| b.to_string()));
        push("site_uid_hash", &self.site_uid_hash);
        for (n, v) in &self.custom {
            p.push(Param::value(format!("parameter{n}"), v.clone()));
        }
        for (n, v) in &self.extra {
            p.push(Param::value(n.clone(), v.clone()));
        }
        p
    }

    fn fields(&self) -> Fields {
        Fields {
            site_uid: self.site_uid.clone(),
            name: self.name.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            user_parameter: self.user_parameter.clone(),
            category_id: self.category_id,
            division_id: self.division_id,
            bot_start: self.bot_start,
            site_uid_hash: self.site_uid_hash.clone(),
        }
    }

    fn custom(&self) -> BTreeMap<Slot, String> {
        self.custom
            .iter()
            .map(|(n, v)| (Slot::new(*n).unwrap(), v.clone()))
            .collect()
    }
}

/// Values and the order they are written in.
fn values_in_any_order() -> impl Strategy<Value = (Values, Vec<Param>)> {
    values().prop_flat_map(|v| {
        let params = v.params();
        (Just(v), Just(params).prop_shuffle())
    })
}

/// Anything at all, valid or not: sentinels, placeholders, values over every limit, blanks,
/// malformed numbers and addresses.
fn wild() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => text(0..=30),
        1 => text(95..=105),
        1 => text(195..=205),
        1 => text(250..=260),
        1 => text(18..=23),
        3 => prop::sample::select(vec![
            "", " ", "\t", "\u{3000}", "guest", "비회원", "VIP", "유입경로", "undefined", "NULL", "none", "nil", "NaN", "0", "-",
            "{고객ID}", "[site_uid]", "{{id}}", "('고객ID')", "고객ID", "고객이름", "<x>",
            "${id}", "007", "-1", "+1", " 1", "99999999999", "100000000000",
            "000000000001", "TRUE", "False", "true ", "yes", "a@b", "a@b@c", "a b@c", "@",
            "a@", "a@b,c@d", "¶ms=", "%C2%B6meter1=", "&amp;", "%", "%FF", "'),x=('",
        ])
        .prop_map(String::from),
    ]
}

#[derive(Debug, Clone)]
struct WildValues {
    fixed: Vec<(&'static str, Option<String>)>,
    custom: BTreeMap<u8, String>,
    extra: BTreeMap<String, String>,
    settings: Settings,
}

/// A site: some slots enabled, some described (descriptions may equal generated values), and
/// either the default sentinel list or its own.
fn site() -> impl Strategy<Value = Settings> {
    (
        prop::collection::vec(
            (
                any::<bool>(),
                prop::option::of(prop_oneof![
                    prop::sample::select(vec!["유입경로", "VIP", "a", " "]).prop_map(String::from),
                    text(0..=6),
                ]),
            ),
            10,
        ),
        any::<bool>(),
    )
        .prop_map(|(slots, own_sentinels)| {
            let mut s = Settings::default();
            for (slot, (on, description)) in Slot::all().zip(slots) {
                s.slot_mut(slot).enabled = on;
                if let Some(d) = description {
                    s.slot_mut(slot).description = d;
                }
            }
            if own_sentinels {
                s.sentinels = vec!["guest".into(), "비회원".into()];
            }
            s
        })
}

fn wild_values() -> impl Strategy<Value = WildValues> {
    let opt = || prop::option::weighted(0.4, wild());
    (
        (opt(), opt(), opt(), opt(), opt(), opt(), opt(), opt()),
        prop::collection::btree_map(1u8..=10, wild(), 0..=4),
        prop::collection::btree_map(extra_name(), wild(), 0..=2),
        site(),
    )
        .prop_map(
            |((a, b, c, d, e, f, g, h), custom, extra, settings)| WildValues {
                fixed: vec![
                    ("site_uid", a),
                    ("cus_extra_username", b),
                    ("cus_extra_phone", c),
                    ("cus_extra_email", d),
                    ("user_parameter", e),
                    ("category_id", f),
                    ("division_id", g),
                    ("bot_start", h),
                ],
                custom,
                extra,
                settings,
            },
        )
}

fn settings_enabling(enabled: &[bool]) -> Settings {
    Settings::with_enabled(
        Slot::all()
            .zip(enabled)
            .filter(|(_, on)| **on)
            .map(|(s, _)| s),
    )
}

fn no_warnings(inf: &Inflow) -> Result<(), TestCaseError> {
    prop_assert!(
        inf.warnings.is_empty(),
        "unexpected warnings: {:?}",
        inf.warnings
    );
    Ok(())
}

fn fail<T>(msg: String) -> Result<T, TestCaseError> {
    Err(TestCaseError::fail(msg))
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// SPEC R1.5: fill mode builds a URL that parses back to exactly the values given, with no
    /// warning, on every channel and base.
    #[test]
    fn valid_values_round_trip(
        (ch, base, base_extra) in channel_and_base(),
        (values, params) in values_in_any_order(),
    ) {
        let settings = Settings::all_enabled();
        let url = match build(ch, base, &params, &settings) {
            Ok(url) => url,
            Err(e) => return fail(format!("{ch}: build refused valid values: {e}")),
        };
        let inf = parse(ch, &url, &settings);
        prop_assert_eq!(inf.channel, ch);
        no_warnings(&inf)?;
        prop_assert_eq!(&inf.fields, &values.fields(), "{}", url);
        prop_assert_eq!(&inf.custom, &values.custom(), "{}", url);
        let mut extra = base_extra;
        extra.extend(values.extra.clone());
        prop_assert_eq!(&inf.extra, &extra, "{}", url);

        // Naver's pair section alone (as in a webhook's `options.from`) reads the same.
        if ch == Channel::Naver
            && inf.extra == values.extra
            && let Some((_, pipes)) = url.split_once('|')
        {
            let alone = parse_params(ch, pipes, &settings);
            prop_assert_eq!(alone, inf);
        }
    }

    /// Building twice (the built URL as the base of the same parameters) changes nothing.
    #[test]
    fn rebuilding_on_a_built_url_is_stable(
        (ch, base, _base_extra) in channel_and_base(),
        (_values, params) in values_in_any_order(),
    ) {
        let settings = Settings::all_enabled();
        let once = build(ch, base, &params, &settings).unwrap();
        let twice = build(ch, &once, &params, &settings).unwrap();
        prop_assert_eq!(parse(ch, &twice, &settings), parse(ch, &once, &settings));
    }

    /// For any values at all, either the builder refuses them, or the URL it builds parses back
    /// to exactly those values with no warning. (A blank value of a field other than the ID is
    /// "absent": the builder leaves it out and the parser reads it as absent.)
    #[test]
    fn any_values_are_refused_or_round_trip(
        (ch, base, base_extra) in channel_and_base(),
        wild in wild_values(),
    ) {
        let settings = &wild.settings;
        let mut params: Vec<Param> = wild
            .fixed
            .iter()
            .filter_map(|(n, v)| v.as_ref().map(|v| Param::value(*n, v.clone())))
            .collect();
        params.extend(wild.custom.iter().map(|(n, v)| Param::value(format!("parameter{n}"), v.clone())));
        params.extend(wild.extra.iter().map(|(n, v)| Param::value(n.clone(), v.clone())));

        let url = match build(ch, base, &params, settings) {
            Err(BuildError::Rejected(problems)) => {
                prop_assert!(!problems.is_empty());
                for p in &problems {
                    prop_assert!(!p.detail.is_empty());
                }
                return Ok(());
            }
            Err(e) => return fail(format!("unexpected error {e:?}")),
            Ok(url) => url,
        };
        let inf = parse(ch, &url, settings);
        no_warnings(&inf)?;

        let given = |name: &str| -> Option<String> {
            wild.fixed
                .iter()
                .find(|(n, _)| *n == name)
                .and_then(|(_, v)| v.clone())
                .filter(|v| !v.trim().is_empty())
        };
        let text = |name: &str| given(name);
        // The ID is never blank once built: a blank ID is refused as a sentinel.
        prop_assert_eq!(&inf.fields.site_uid, &wild.fixed[0].1);
        prop_assert_eq!(&inf.fields.name, &text("cus_extra_username"));
        prop_assert_eq!(&inf.fields.phone, &text("cus_extra_phone"));
        prop_assert_eq!(&inf.fields.email, &text("cus_extra_email"));
        prop_assert_eq!(&inf.fields.user_parameter, &text("user_parameter"));
        for (name, got) in [
            ("category_id", inf.fields.category_id),
            ("division_id", inf.fields.division_id),
        ] {
            let want = match given(name) {
                None => None,
                Some(v) => match v.parse::<u64>() {
                    Ok(n) => Some(n),
                    Err(_) => return fail(format!("{ch}: built {name}={v:?}: {url}")),
                },
            };
            prop_assert_eq!(got, want, "{}", name);
        }
        let want_bot = match given("bot_start") {
            None => None,
            Some(v) if v.eq_ignore_ascii_case("true") => Some(true),
            Some(v) if v.eq_ignore_ascii_case("false") => Some(false),
            Some(v) => return fail(format!("{ch}: built bot_start={v:?}: {url}")),
        };
        prop_assert_eq!(inf.fields.bot_start, want_bot);

        let want_custom: BTreeMap<Slot, String> = wild
            .custom
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(n, v)| (Slot::new(*n).unwrap(), v.clone()))
            .collect();
        prop_assert_eq!(&inf.custom, &want_custom);
        let mut extra = base_extra;
        extra.extend(wild.extra.clone());
        prop_assert_eq!(&inf.extra, &extra);
    }

    /// SPEC R1.5 placeholder mode: the chat-URL template parses to one `placeholder` warning per
    /// placeholder and nothing else, whatever the slot descriptions say.
    #[test]
    fn placeholder_urls_parse_to_placeholder_warnings_only(
        (ch, base, base_extra) in channel_and_base(),
        fixed in prop::sample::subsequence(Field::ALL.to_vec(), 0..=Field::ALL.len()),
        slots in prop::collection::vec((any::<bool>(), prop::option::of(text(0..=15))), 10),
    ) {
        let mut settings = Settings::default();
        for (slot, (on, description)) in Slot::all().zip(&slots) {
            settings.slot_mut(slot).enabled = *on;
            if let Some(d) = description {
                settings.slot_mut(slot).description = d.clone();
            }
        }
        let params = placeholder_params(&settings, &fixed);
        let url = match build(ch, base, &params, &settings) {
            Ok(url) => url,
            Err(e) => return fail(format!("{ch}: placeholders refused: {e}")),
        };
        let inf = parse(ch, &url, &settings);
        prop_assert_eq!(&inf.fields, &Fields::default(), "{}", url);
        prop_assert!(inf.custom.is_empty(), "{}: {:?}", url, inf.custom);
        prop_assert_eq!(&inf.extra, &base_extra, "{}", url);
        for w in &inf.warnings {
            prop_assert_eq!(w.code, WarningCode::Placeholder, "{}: {:?}", url, w);
        }
        let mut got: Vec<String> = inf.warnings.iter().map(|w| w.param.clone()).collect();
        let mut want: Vec<String> = fixed
            .iter()
            .map(|f| match (ch, f) {
                (Channel::WebchatV1, Field::SiteUid) => "uid".to_owned(),
                (Channel::WebchatV2, Field::CategoryId) => "categoryID".to_owned(),
                (Channel::WebchatV2, Field::DivisionId) => "divisionID".to_owned(),
                _ => f.name().to_owned(),
            })
            .chain(settings.enabled_slots().map(|s| s.name().to_owned()))
            .collect();
        got.sort();
        want.sort();
        prop_assert_eq!(got, want, "{}", url);
    }

    /// `parse` never panics, and whatever it accepts respects every limit of R1.1/R1.2.
    #[test]
    fn parse_never_panics_on_arbitrary_strings(
        ch in channel(),
        input in prop_oneof![
            any::<String>(),
            text(0..=200),
            prop::collection::vec(
                prop::sample::select(vec![
                    "?", "&", "=", "|", ",", "('", "')", "(\"", "\")", "%", "%C2%B6", "%c2%b6",
                    "¶", "ms=", "meter1=", "params=", "params", "site_uid", "uid", "is_login",
                    "in_login", "Y", "N", "#", "amp;", "+", "%3D", "%2C", "%FF", "%C8%AB",
                    "%ED%99%8D", "가", "😀", " ", "https://x/c", "parameter1", "parameter21",
                    "categoryID", "bot_start", "true", "{고객ID}", "undefined", "0",
                ]),
                0..=60,
            )
            .prop_map(|v| v.concat()),
        ],
        enabled in prop::collection::vec(any::<bool>(), 10),
    ) {
        let settings = settings_enabling(&enabled);
        for inf in [parse(ch, &input, &settings), parse_params(ch, &input, &settings)] {
            prop_assert_eq!(inf.channel, ch);
            let f = &inf.fields;
            let chars = |v: &Option<String>| v.as_ref().map_or(0, |s| s.chars().count());
            prop_assert!(chars(&f.site_uid) <= 255);
            prop_assert!(f.site_uid.as_ref().is_none_or(|s| !s.trim().is_empty()));
            prop_assert!(chars(&f.name) <= 100);
            prop_assert!(chars(&f.phone) <= 100);
            prop_assert!(chars(&f.email) <= 100);
            prop_assert!(f.email.as_ref().is_none_or(|e| e.contains('@')));
            prop_assert!(chars(&f.user_parameter) <= 200);
            prop_assert!(f.category_id.is_none_or(|n| n <= MAX_ID));
            prop_assert!(f.division_id.is_none_or(|n| n <= MAX_ID));
            for (slot, v) in &inf.custom {
                prop_assert!(settings.is_enabled(*slot));
                prop_assert!(v.chars().count() <= 20);
            }
            for w in &inf.warnings {
                prop_assert!(!w.detail.is_empty());
            }
            // The JSON output reads back as the same inflow.
            let json = serde_json::to_string(&inf).unwrap();
            let back: Inflow = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(back, inf);
        }
    }

    /// `build` never panics either, whatever the base and the parameters.
    #[test]
    fn build_never_panics(
        ch in channel(),
        base in prop_oneof![text(0..=40), Just("https://x/c?a=1&params=b=('c')|d=e#f".to_owned())],
        params in prop::collection::vec(
            (
                prop_oneof![extra_name(), text(0..=12), Just("params".to_owned()), Just("uid".to_owned())],
                wild(),
                any::<bool>(),
            ),
            0..=6,
        ),
    ) {
        let params: Vec<Param> = params
            .into_iter()
            .map(|(n, v, ph)| if ph { Param::placeholder(n, v) } else { Param::value(n, v) })
            .collect();
        let settings = Settings::all_enabled();
        if let Ok(url) = build(ch, &base, &params, &settings) {
            let _ = parse(ch, &url, &settings);
        }
    }

    /// SPEC R1.6: rendered values are percent-encoded, so they decode back exactly and can never
    /// change the link's structure.
    #[test]
    fn template_values_are_encoded_and_decode_back(
        a in text(0..=40),
        b in text(0..=40),
    ) {
        let t = Template::parse("https://crm.example.com/view?id=[site_uid]&src=[parameter1]#[room_id]").unwrap();
        let url = t.render(|v| match v {
            Var::SiteUid => Some(a.as_str()),
            Var::Custom(s) if s.number() == 1 => Some(b.as_str()),
            Var::RoomId => Some("42"),
            _ => None,
        });
        let rest = url.strip_prefix("https://crm.example.com/view?id=").unwrap();
        let (query, room) = rest.split_once('#').unwrap();
        prop_assert_eq!(room, "42");
        let (id, src) = query.split_once("&src=").unwrap();
        for (encoded, raw) in [(id, &a), (src, &b)] {
            prop_assert!(
                encoded.bytes().all(|c| c.is_ascii_alphanumeric() || b"%-._~".contains(&c)),
                "{}",
                encoded
            );
            let decoded = percent_encoding::percent_decode_str(encoded).decode_utf8().unwrap();
            prop_assert_eq!(decoded.as_ref(), raw.as_str());
        }
    }
}
