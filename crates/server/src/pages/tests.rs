//! Every page template rendered in every language, with sample data: no catalogue key shows
//! raw, no lookup misses, every word a person reads is a word of that language's catalogue
//! (a sentence typed into a template instead of the catalogue shows up as words the catalogue
//! lacks), every text a page's script asks for is among the texts the page hands it, and
//! nothing in a page or a page script needs more than the Content-Security-Policy allows.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use askama::Template;
use inflow::{Channel, Settings};

use super::Lang;
use super::accounts::{AccountRow, AccountsPage, ChannelBox, DistributionForm};
use super::admin::{self, AdminForbidden, ParametersPage};
use super::chat::{ChatPage, MissingPage};
use super::console::{CannedLimits, ConsolePage, LoginPage};
use crate::api::site::{self, ChatUrl};

/// Names and values the sample data brings (not UI text).
const SAMPLE_WORDS: &[&str] = &["Acme", "Kim", "Lee", "campaign"];
/// Data shown as it is in every language: type names in the fixed-parameter table, an example
/// login in a placeholder.
const DATA_WORDS: &[&str] = &["String", "Int", "Bool", "loginid"];

/// Every page, rendered in `lang`: (name, HTML).
fn pages(lang: Lang) -> Vec<(&'static str, String)> {
    let render = |t: &dyn DynRender| t.render_page();
    let mut parameters = ParametersPage::empty(lang);
    parameters.site_name = "Acme".into();
    parameters.agent_name = "Kim".into();
    parameters.fixed = admin::fixed_rows(lang);
    parameters.slots = inflow::Slot::all()
        .map(|slot| admin::SlotRow {
            number: slot.number().into(),
            name: slot.name(),
            enabled: slot.number() == 1,
            description: if slot.number() == 1 {
                "campaign".into()
            } else {
                String::new()
            },
        })
        .collect();
    let mut settings = Settings::default();
    settings.slots[0].enabled = true;
    settings.slots[0].description = "campaign".into();
    parameters.variables = admin::var_rows(&settings);
    parameters.chat = admin::chat_rows(
        &Channel::ALL
            .iter()
            .map(|&channel| ChatUrl {
                channel,
                base: None,
                url: (channel != Channel::Kakao).then(|| "https://chat.example/x".to_owned()),
                problem: None,
            })
            .collect::<Vec<_>>(),
    );
    parameters.snippet = "<script>window.sangdamChat = {};</script>".into();
    parameters.frame_origins = "https://shop.example\nhttp://localhost:3000".into();
    parameters.categories = vec![admin::CategoryRow {
        id: "7".into(),
        name: "Acme".into(),
        used: true,
        is_default: true,
        divisions: vec![admin::CategoryRow {
            id: "8".into(),
            name: "campaign".into(),
            used: false,
            is_default: false,
            divisions: Vec::new(),
        }],
    }];
    parameters.title_template = "[[category_name]/[division_name]]".into();
    vec![
        (
            "login",
            render(&LoginPage {
                lang,
                login: String::new(),
                error: None,
                wait_seconds: None,
                next: "/console".into(),
            }),
        ),
        (
            "login refused",
            render(&LoginPage {
                lang,
                login: "kim".into(),
                error: Some("login-error-wrong"),
                wait_seconds: None,
                next: "/console".into(),
            }),
        ),
        (
            "login throttled",
            render(&LoginPage {
                lang,
                login: "kim".into(),
                error: Some("login-error-throttled"),
                wait_seconds: Some("30".into()),
                next: "/console".into(),
            }),
        ),
        (
            "console",
            render(&ConsolePage {
                lang,
                agent_name: "Kim".into(),
                role: super::accounts::role_key(store::Role::Admin),
                site_name: "Acme".into(),
                sees_all: true,
                is_admin: true,
                config: "{}".into(),
                texts: ConsolePage::texts(lang),
                max_message: 4000,
                max_site_uid: 255,
                max_note: 200,
                max_canned: CannedLimits::default(),
                presences: ConsolePage::presences(),
                channels: ConsolePage::channels(),
            }),
        ),
        (
            "chat",
            render(&ChatPage {
                lang,
                site_id: 1,
                site_name: "Acme".into(),
                channel: "webchat_v2",
                uri: "/chat/1?params=site_uid=(%27a%27)".parse().unwrap(),
                max_message: 4000,
                texts: super::script_texts(lang, super::chat::SCRIPT_TEXTS, &[]),
            }),
        ),
        ("chat missing", render(&MissingPage { lang })),
        (
            "accounts",
            render(&AccountsPage {
                lang,
                site_name: "Acme".into(),
                accounts: vec![
                    AccountRow {
                        id: 1,
                        login: "kim".into(),
                        display_name: "Kim".into(),
                        role: "role-admin",
                        role_name: "admin",
                        active: true,
                        max_concurrent: 10,
                        channels: ChannelBox::all(&[]),
                        serves_categories: "[]".into(),
                    },
                    AccountRow {
                        id: 2,
                        login: "lee".into(),
                        display_name: "Lee".into(),
                        role: "role-agent",
                        role_name: "agent",
                        active: false,
                        max_concurrent: 3,
                        channels: ChannelBox::all(&[Channel::Kakao]),
                        serves_categories: "[3]".into(),
                    },
                ],
                max_login: 64,
                max_display_name: 50,
                distribution: DistributionForm::new(&store::DistributionSettings {
                    mode: sangdam_core::DistributionMode::Hybrid,
                    prefer_last_agent: true,
                    offline_after_minutes: 2,
                    reclaim_after_minutes: None,
                    max_waiting: Some(50),
                }),
                max_open: sangdam_core::MAX_OPEN_LIMIT,
                max_offline: sangdam_core::MAX_OFFLINE_AFTER_MINUTES,
                max_reclaim: sangdam_core::MAX_RECLAIM_AFTER_MINUTES,
                max_queue: sangdam_core::MAX_QUEUE_LIMIT,
                texts: super::accounts::texts(lang),
            }),
        ),
        ("parameters", render(&parameters)),
        (
            "hours",
            render(&super::hours::HoursPage {
                lang,
                site_name: "Acme".into(),
                days: &super::hours::DAYS,
                zones: super::hours::SUGGESTED_ZONES,
                max_holiday_name: sangdam_core::hours::MAX_HOLIDAY_NAME_CHARS,
                max_idle_minutes: sangdam_core::auto_close::MAX_IDLE_MINUTES,
                close_rules: &super::hours::CLOSE_RULES,
                texts: super::hours::texts(lang),
            }),
        ),
        (
            "bot",
            render(&super::bot::BotPage::new(lang, "Acme".into())),
        ),
        (
            "sessions",
            render(&super::sessions::SessionsPage {
                lang,
                site_name: "Acme".into(),
                agent_name: "Kim".into(),
                login: "kim".into(),
                min_password: 10,
                is_admin: true,
                sees_reports: true,
                config: r#"{"me":{"id":1,"role":"admin"},"is_admin":true}"#.into(),
                texts: super::sessions::texts(lang),
            }),
        ),
        (
            "sessions of an agent",
            render(&super::sessions::SessionsPage {
                lang,
                site_name: "Acme".into(),
                agent_name: "Lee".into(),
                login: "lee".into(),
                min_password: 10,
                is_admin: false,
                sees_reports: false,
                config: r#"{"me":{"id":2,"role":"agent"},"is_admin":false}"#.into(),
                texts: super::sessions::texts(lang),
            }),
        ),
        (
            "wallet",
            render(&super::wallet::WalletPage::new(
                lang,
                "Acme".into(),
                super::wallet::Me {
                    id: 1,
                    display_name: "Kim",
                    role: store::Role::Admin,
                },
                "Asia/Seoul",
                &[("event_message".into(), 15)],
            )),
        ),
        (
            "wallet of an agent",
            render(&super::wallet::WalletPage::new(
                lang,
                "Acme".into(),
                super::wallet::Me {
                    id: 2,
                    display_name: "Lee",
                    role: store::Role::Agent,
                },
                "Asia/Seoul",
                &[("event_message".into(), 15)],
            )),
        ),
        (
            "audit",
            render(&super::audit::AuditPage {
                lang,
                site_name: "Acme".into(),
                actions: super::audit::action_choices(),
                texts: super::audit::texts(lang),
            }),
        ),
        (
            "reports",
            render(&super::reports::ReportsPage {
                lang,
                site_name: "Acme".into(),
                is_admin: false,
                filter: super::reports::FilterChoices::all(),
                config: super::reports::config(),
                texts: super::reports::texts(lang),
            }),
        ),
        (
            "dashboard",
            render(&super::dashboard::DashboardPage {
                lang,
                site_name: "Acme".into(),
                is_admin: false,
                filter: super::reports::FilterChoices::all(),
                config: super::dashboard::config(&[]),
                texts: super::dashboard::texts(lang),
            }),
        ),
        (
            "dashboard of the admin",
            render(&super::dashboard::DashboardPage {
                lang,
                site_name: "Acme".into(),
                is_admin: true,
                filter: super::reports::FilterChoices::all(),
                config: super::dashboard::config(&[]),
                texts: super::dashboard::texts(lang),
            }),
        ),
        (
            "dashboard forbidden",
            render(&AdminForbidden {
                lang,
                reason: "dashboard-forbidden",
                agent_name: "Lee",
            }),
        ),
        (
            "reports forbidden",
            render(&AdminForbidden {
                lang,
                reason: "report-forbidden",
                agent_name: "Lee",
            }),
        ),
        (
            "forbidden",
            render(&AdminForbidden {
                lang,
                reason: "admin-forbidden-parameters",
                agent_name: "Lee",
            }),
        ),
        (
            "business",
            render(&super::business::BusinessPage::new(lang, "Acme".into())),
        ),
        (
            "business forbidden",
            render(&AdminForbidden {
                lang,
                reason: "business-forbidden",
                agent_name: "Lee",
            }),
        ),
        (
            "operator login",
            render(&super::operator::OperatorLoginPage {
                lang,
                texts: super::operator::login_texts(lang),
            }),
        ),
        (
            "operator",
            render(&super::operator::OperatorPage::new(lang, "Kim".into())),
        ),
    ]
}

trait DynRender {
    fn render_page(&self) -> String;
}

impl<T: Template> DynRender for T {
    fn render_page(&self) -> String {
        self.render().expect("the page renders")
    }
}

/// `s` with the few entities askama writes turned back into characters.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// What a person meets on a page: the text between tags and the attributes shown or read aloud,
/// outside `<script>` and `<style>`, and outside `<code>`, `<pre>` and `<textarea>` (examples
/// and values, not UI text).
fn visible(html: &str) -> Vec<String> {
    const SKIPPED: &[&str] = &["script", "style", "code", "pre", "textarea"];
    const SHOWN: &[&str] = &["aria-label", "placeholder", "title", "alt"];
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push(unescape(&rest[..open]));
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        for attribute in SHOWN {
            if let Some(at) = tag.find(&format!(" {attribute}=\"")) {
                let value = &tag[at + attribute.len() + 3..];
                out.push(unescape(&value[..value.find('"').unwrap_or(value.len())]));
            }
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if SKIPPED.contains(&name.as_str()) {
            let end = format!("</{name}>");
            rest = rest.find(&end).map_or("", |at| &rest[at + end.len()..]);
        }
    }
    out.push(unescape(rest));
    out.retain(|s| !s.trim().is_empty());
    out
}

/// The words of a text: runs of Hangul syllables, and runs of at least two Latin letters.
fn words(text: &str) -> BTreeSet<String> {
    #[derive(PartialEq, Clone, Copy)]
    enum Script {
        Hangul,
        Latin,
        Other,
    }
    let script = |c: char| {
        if ('가'..='힣').contains(&c) {
            Script::Hangul
        } else if c.is_ascii_alphabetic() {
            Script::Latin
        } else {
            Script::Other
        }
    };
    let mut out = BTreeSet::new();
    let mut word = String::new();
    let mut current = Script::Other;
    for c in text.chars().chain([' ']) {
        let next = script(c);
        if next != current {
            if current == Script::Hangul || (current == Script::Latin && word.len() >= 2) {
                out.insert(word.clone());
            }
            word.clear();
            current = next;
        }
        if next != Script::Other {
            word.push(c);
        }
    }
    out
}

/// The words of a language's catalogue, the languages' own names, and the samples.
fn allowed_words(lang: Lang) -> BTreeSet<String> {
    let mut allowed: BTreeSet<String> = i18n::export(lang, &[""], &[])
        .values()
        .filter_map(|v| v.as_str())
        .flat_map(words)
        .collect();
    for l in Lang::ALL {
        allowed.extend(words(&i18n::t(l, "language-name")));
    }
    allowed.extend(
        SAMPLE_WORDS
            .iter()
            .chain(DATA_WORDS)
            .map(|w| (*w).to_owned()),
    );
    allowed
}

/// The JSON a page hands its script, as key → text.
fn page_texts(html: &str) -> serde_json::Map<String, serde_json::Value> {
    let start = r#"<script type="application/json" id="texts">"#;
    let Some(at) = html.find(start) else {
        return serde_json::Map::new();
    };
    let json = &html[at + start.len()..];
    let json = &json[..json.find("</script>").expect("the texts end")];
    serde_json::from_str(json).expect("the texts are JSON")
}

#[test]
fn every_page_shows_catalogue_words_and_no_keys_in_every_language() {
    let keys = i18n::keys();
    let mut problems = Vec::new();
    for lang in Lang::ALL {
        let allowed = allowed_words(lang);
        for (name, html) in pages(lang) {
            assert!(html.contains(&format!("<html lang=\"{}\">", lang.code())));
            for text in visible(&html) {
                let raw = text
                    .split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')));
                for token in raw {
                    if keys.contains(token) {
                        problems.push(format!("{lang} {name}: the key {token:?} shows raw"));
                    }
                }
                // Example addresses (placeholders) are no words.
                let sentence = text
                    .split_whitespace()
                    .filter(|w| !w.contains("://"))
                    .collect::<Vec<_>>()
                    .join(" ");
                for word in words(&sentence) {
                    if !allowed.contains(&word) {
                        problems.push(format!(
                            "{lang} {name}: {word:?} (in {:?}) is no word of the {lang} catalogue",
                            text.trim()
                        ));
                    }
                }
            }
            for (key, text) in page_texts(&html) {
                let text = text.as_str().unwrap_or_default();
                if text.trim().is_empty() || keys.contains(text) {
                    problems.push(format!("{lang} {name}: the script's {key} is {text:?}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(i18n::missing_keys(), Vec::<String>::new());
}

#[test]
fn pages_are_translated_and_keep_the_language_switch() {
    let ko = pages(Lang::Ko);
    let en = pages(Lang::En);
    for ((name, ko), (_, en)) in ko.iter().zip(&en) {
        assert_ne!(
            visible(ko),
            visible(en),
            "{name} reads the same in both languages"
        );
        for html in [ko, en] {
            for l in Lang::ALL {
                assert!(
                    html.contains(&format!(
                        "lang=\"{}\">{}</a>",
                        l.code(),
                        i18n::t(l, "language-name")
                    )),
                    "{name}: the switch to {l}"
                );
            }
        }
    }
    let chat = &en
        .iter()
        .find(|(n, _)| *n == "chat")
        .expect("the chat page")
        .1;
    assert!(
        chat.contains(r#"href="/chat/1?params=site_uid=(%27a%27)&#38;lang=ko""#),
        "{chat}"
    );
}

#[test]
fn limits_come_from_their_constants() {
    let en = pages(Lang::En);
    let page = |name: &str| &en.iter().find(|(n, _)| *n == name).expect("a page").1;
    let parameters = visible(page("parameters")).join("\n");
    assert!(parameters.contains(&format!("parameter1 to parameter{}", inflow::Slot::COUNT)));
    assert!(parameters.contains(&format!(
        "Values keep {} characters",
        inflow::Slot::MAX_CHARS
    )));
    assert!(parameters.contains(&format!(
        "up to {} values of up to {} characters",
        site::MAX_SENTINELS,
        site::MAX_SENTINEL_CHARS
    )));
    assert!(parameters.contains(&format!("Up to {} sites.", site::MAX_FRAME_ORIGINS)));
    assert!(parameters.contains(&format!(
        "Names have up to {} characters",
        sangdam_core::category::MAX_CATEGORY_NAME_CHARS
    )));
    assert!(parameters.contains(&format!(
        "Up to {} characters; empty sends none.",
        site::MAX_TITLE_TEMPLATE_CHARS
    )));
    let texts = page_texts(page("parameters"));
    assert_eq!(
        texts["admin-err-too_many_frame_origins"],
        format!("At most {} sites.", site::MAX_FRAME_ORIGINS)
    );
    assert_eq!(
        texts["admin-err-description_too_long"],
        format!(
            "A description has at most {} characters.",
            site::MAX_DESCRIPTION_CHARS
        )
    );
    assert_eq!(
        texts["admin-err-url_too_long"],
        format!("At most {} characters.", site::MAX_URL_CHARS)
    );
    assert_eq!(
        texts["categories-err-template_too_long"],
        format!("At most {} characters.", site::MAX_TITLE_TEMPLATE_CHARS)
    );
    let accounts = page_texts(page("accounts"));
    assert_eq!(
        accounts["accounts-err-display_name"],
        format!(
            "A name has 1 to {} characters.",
            sangdam_core::MAX_DISPLAY_NAME_CHARS
        )
    );
    assert_eq!(
        accounts["accounts-routing-err-max_concurrent"],
        format!("A whole number from 1 to {}.", sangdam_core::MAX_OPEN_LIMIT)
    );
    let accounts_page = visible(page("accounts")).join("\n");
    assert!(accounts_page.contains(&format!(
        "holds 1 to {} consultations at once",
        sangdam_core::MAX_OPEN_LIMIT
    )));
    assert!(accounts_page.contains(&format!(
        "1 to {} minutes",
        sangdam_core::MAX_OFFLINE_AFTER_MINUTES
    )));
    assert!(accounts_page.contains(&format!(
        "1 to {} minutes",
        sangdam_core::MAX_RECLAIM_AFTER_MINUTES
    )));
    let console = visible(page("console")).join("\n");
    assert!(console.contains(&format!(
        "at most {} characters",
        sangdam_core::MAX_TRANSFER_NOTE_CHARS
    )));
    assert_eq!(
        page_texts(page("console"))["console-handoff-note"],
        format!(
            "Note (optional, at most {} characters)",
            sangdam_core::MAX_TRANSFER_NOTE_CHARS
        )
    );
}

/// The scripts of the pages and the texts each page hands its script.
const SCRIPTS: &[(&str, &str, &[&str])] = &[
    (
        "chat.js",
        include_str!("../../assets/chat.js"),
        super::chat::SCRIPT_TEXTS,
    ),
    (
        "chat-plugins.js",
        include_str!("../../assets/chat-plugins.js"),
        super::chat::SCRIPT_TEXTS,
    ),
    (
        "console.js",
        include_str!("../../assets/console.js"),
        super::console::SCRIPT_TEXTS,
    ),
    (
        "console-agents.js",
        include_str!("../../assets/console-agents.js"),
        super::console::SCRIPT_TEXTS,
    ),
    (
        "console-queue.js",
        include_str!("../../assets/console-queue.js"),
        super::console::SCRIPT_TEXTS,
    ),
    (
        "console-handoffs.js",
        include_str!("../../assets/console-handoffs.js"),
        super::console::SCRIPT_TEXTS,
    ),
    (
        "console-panel.js",
        include_str!("../../assets/console-panel.js"),
        super::console::SCRIPT_TEXTS,
    ),
    (
        "console-notes.js",
        include_str!("../../assets/console-notes.js"),
        super::console::SCRIPT_TEXTS,
    ),
    (
        "console-canned.js",
        include_str!("../../assets/console-canned.js"),
        super::console::SCRIPT_TEXTS,
    ),
    (
        "console-live.js",
        include_str!("../../assets/console-live.js"),
        super::console::SCRIPT_TEXTS,
    ),
    (
        "console-alerts.js",
        include_str!("../../assets/console-alerts.js"),
        super::console::SCRIPT_TEXTS,
    ),
    (
        "accounts-groups.js",
        include_str!("../../assets/accounts-groups.js"),
        super::accounts::SCRIPT_TEXTS,
    ),
    (
        "accounts-manage.js",
        include_str!("../../assets/accounts-manage.js"),
        super::accounts::SCRIPT_TEXTS,
    ),
    (
        "console-format.js",
        include_str!("../../assets/console-format.js"),
        super::console::SCRIPT_TEXTS,
    ),
    (
        "admin.js",
        include_str!("../../assets/admin.js"),
        admin::SCRIPT_TEXTS,
    ),
    (
        "site-tags.js",
        include_str!("../../assets/site-tags.js"),
        admin::SCRIPT_TEXTS,
    ),
    (
        "webhooks.js",
        include_str!("../../assets/webhooks.js"),
        admin::SCRIPT_TEXTS,
    ),
    (
        "categories.js",
        include_str!("../../assets/categories.js"),
        admin::SCRIPT_TEXTS,
    ),
    (
        "console-category.js",
        include_str!("../../assets/console-category.js"),
        super::console::SCRIPT_TEXTS,
    ),
    (
        "accounts.js",
        include_str!("../../assets/accounts.js"),
        super::accounts::SCRIPT_TEXTS,
    ),
    (
        "hours.js",
        include_str!("../../assets/hours.js"),
        super::hours::SCRIPT_TEXTS,
    ),
    (
        "bot-admin.js",
        include_str!("../../assets/bot-admin.js"),
        super::bot::SCRIPT_TEXTS,
    ),
    (
        "bot-response.js",
        include_str!("../../assets/bot-response.js"),
        super::bot::SCRIPT_TEXTS,
    ),
    (
        "bot-knowledge.js",
        include_str!("../../assets/bot-knowledge.js"),
        super::bot::SCRIPT_TEXTS,
    ),
    (
        "sessions.js",
        include_str!("../../assets/sessions.js"),
        super::sessions::SCRIPT_TEXTS,
    ),
    (
        "audit.js",
        include_str!("../../assets/audit.js"),
        super::audit::SCRIPT_TEXTS,
    ),
    (
        "reports.js",
        include_str!("../../assets/reports.js"),
        super::reports::SCRIPT_TEXTS,
    ),
    // The report filter runs on both report pages: each hands it the texts it asks for.
    (
        "lib/report-filter.js (reports)",
        include_str!("../../assets/lib/report-filter.js"),
        super::reports::SCRIPT_TEXTS,
    ),
    (
        "lib/report-filter.js (dashboard)",
        include_str!("../../assets/lib/report-filter.js"),
        super::dashboard::SCRIPT_TEXTS,
    ),
    (
        "dashboard.js",
        include_str!("../../assets/dashboard.js"),
        super::dashboard::SCRIPT_TEXTS,
    ),
    (
        "wallet.js",
        include_str!("../../assets/wallet.js"),
        super::wallet::SCRIPT_TEXTS,
    ),
    (
        "wallet-people.js",
        include_str!("../../assets/wallet-people.js"),
        super::wallet::SCRIPT_TEXTS,
    ),
    (
        "wallet-records.js",
        include_str!("../../assets/wallet-records.js"),
        super::wallet::SCRIPT_TEXTS,
    ),
    (
        "wallet-format.js",
        include_str!("../../assets/wallet-format.js"),
        super::wallet::SCRIPT_TEXTS,
    ),
    (
        "business.js",
        include_str!("../../assets/business.js"),
        super::business::SCRIPT_TEXTS,
    ),
    (
        "plugins.js",
        include_str!("../../assets/plugins.js"),
        super::business::SCRIPT_TEXTS,
    ),
    (
        "event-api.js",
        include_str!("../../assets/event-api.js"),
        super::business::SCRIPT_TEXTS,
    ),
    (
        "operator-login.js",
        include_str!("../../assets/operator-login.js"),
        super::operator::LOGIN_SCRIPT_TEXTS,
    ),
    (
        "operator.js",
        include_str!("../../assets/operator.js"),
        super::operator::SCRIPT_TEXTS,
    ),
];

#[test]
fn every_text_a_script_asks_for_is_in_its_page() {
    let mut problems = Vec::new();
    for (script, source, prefixes) in SCRIPTS {
        let texts = i18n::export(Lang::DEFAULT, prefixes, &[]);
        let mut asked = 0;
        // t('key' …), has('key'), and t(`prefix-${…}`) with a key made at run time.
        for call in ["t(", "has("] {
            for (at, _) in source.match_indices(call) {
                let before = source[..at].chars().next_back();
                if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_') {
                    continue;
                }
                let rest = &source[at + call.len()..];
                let Some(quote) = rest.chars().next().filter(|c| matches!(c, '\'' | '`')) else {
                    continue;
                };
                let literal = &rest[1..];
                let end = literal.find([quote, '$']).unwrap_or(literal.len());
                let key = &literal[..end];
                asked += 1;
                if literal[end..].starts_with('$') {
                    if !texts.keys().any(|k| k.starts_with(key)) {
                        problems.push(format!("{script}: no text starts with {key:?}"));
                    }
                } else if !texts.contains_key(key) {
                    problems.push(format!("{script}: {key:?} is not among its page's texts"));
                }
            }
        }
        assert!(asked > 0, "{script}: the texts it asks for were found");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_chat_button_carries_every_language() {
    let served = super::widget_with_texts(include_bytes!("../../assets/widget.js"));
    assert!(
        !served.contains(super::WIDGET_TEXTS),
        "the texts were put in"
    );
    for lang in Lang::ALL {
        assert!(
            served.contains(&format!(
                "\"widget-open\":\"{}\"",
                i18n::t(lang, "widget-open")
            )),
            "{lang}"
        );
    }
}

#[test]
fn script_json_cannot_close_its_element() {
    let json = super::script_json(&serde_json::json!({"k": "</script><!-- & >"}));
    assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
    let back: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(back["k"], "</script><!-- & >");
}

/// The tags of a page: `<name …>` as written (the JSON of a page's texts escapes `<`, so no
/// tag hides in it).
fn tags(html: &str) -> Vec<&str> {
    html.match_indices('<')
        .filter(|(at, _)| {
            html[at + 1..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
        })
        .map(|(at, _)| &html[at..at + html[at..].find('>').map_or(0, |e| e + 1)])
        .collect()
}

/// What the policy (`script-src 'self'; style-src 'self'`, no `'unsafe-inline'`) would block:
/// inline scripts and styles, event-handler attributes and `javascript:` URLs.
#[test]
fn pages_run_only_their_script_files() {
    for lang in Lang::ALL {
        for (name, html) in pages(lang) {
            let mut problems = Vec::new();
            for tag in tags(&html) {
                let lower = tag.to_ascii_lowercase();
                let script = lower.starts_with("<script");
                if script
                    && !(lower.contains(" src=") || lower.contains("type=\"application/json\""))
                {
                    problems.push(format!("inline script {tag}"));
                }
                if lower.starts_with("<style") {
                    problems.push(format!("style element {tag}"));
                }
                let attributes = lower.split_whitespace().skip(1);
                for attribute in attributes {
                    let key = attribute.split('=').next().unwrap_or_default();
                    if key == "style" || (key.starts_with("on") && attribute.contains('=')) {
                        problems.push(format!("{key} attribute in {tag}"));
                    }
                }
                if lower.contains("javascript:") {
                    problems.push(format!("javascript: URL in {tag}"));
                }
            }
            assert!(problems.is_empty(), "{name} ({lang:?}): {problems:#?}");
        }
    }
}

/// The pages' scripts build their DOM from elements and text and change styles through the
/// CSSOM (which the policy allows), never from strings the policy refuses to run.
#[test]
fn page_scripts_evaluate_no_strings() {
    let refused = [
        "eval(",
        "new Function",
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "setAttribute('style'",
        "javascript:",
    ];
    let mut checked = 0;
    for path in super::Assets::iter() {
        // The chat button runs on the site's own pages, under the site's policy, not ours.
        if !path.ends_with(".js") || path == "widget.js" {
            continue;
        }
        let file = super::Assets::get(&path).unwrap();
        let source = String::from_utf8_lossy(&file.data);
        for word in refused {
            assert!(!source.contains(word), "{path} uses {word}");
        }
        checked += 1;
    }
    assert!(checked >= 6, "{checked}");
}

/// The audit page offers every audited action by its name, in every language, and hands its
/// script every action's name (the table names each entry's action in words).
#[test]
fn the_audit_log_names_every_action() {
    let keys = i18n::keys();
    for lang in Lang::ALL {
        let html = &pages(lang)
            .into_iter()
            .find(|(n, _)| *n == "audit")
            .expect("the audit page")
            .1;
        let texts = page_texts(html);
        for action in sangdam_core::AuditAction::ALL {
            let key = super::audit::action_key(action);
            assert!(keys.contains(key.as_str()), "{lang}: no {key}");
            let name = i18n::t(lang, &key);
            assert!(
                html.contains(&format!(
                    "<option value=\"{}\">{name}</option>",
                    action.as_str()
                )),
                "{lang}: the filter offers {action}"
            );
            assert_eq!(
                texts[&key],
                name.as_str(),
                "{lang}: the script names {action}"
            );
        }
    }
    // Two actions never read the same in one language.
    for lang in Lang::ALL {
        let names: BTreeSet<String> = sangdam_core::AuditAction::ALL
            .into_iter()
            .map(|a| i18n::t(lang, &super::audit::action_key(a)))
            .collect();
        assert_eq!(names.len(), sangdam_core::AuditAction::ALL.len(), "{lang}");
    }
}

/// Every account sees its own sessions; only the admin's page has every account's (the script
/// reads them only where the page has their table).
#[test]
fn only_the_admin_page_lists_every_accounts_sessions() {
    for lang in Lang::ALL {
        let all = pages(lang);
        let page = |name: &str| &all.iter().find(|(n, _)| *n == name).expect("a page").1;
        let admin = page("sessions");
        let agent = page("sessions of an agent");
        for html in [admin, agent] {
            assert!(html.contains(r#"id="mine-rows""#));
            assert!(html.contains(r#"id="end-others""#));
            let title = i18n::t(lang, "sessions-mine-title");
            assert!(visible(html).iter().any(|text| text.contains(&title)));
        }
        assert!(admin.contains(r#"id="everyone-rows""#));
        let everyone = i18n::t(lang, "sessions-everyone-title");
        assert!(visible(admin).iter().any(|text| text.contains(&everyone)));
        assert!(!agent.contains(r#"id="everyone""#));
        assert!(!visible(agent).iter().any(|text| text.contains(&everyone)));
        assert!(
            !agent.contains(r#"href="/admin/audit""#),
            "no admin links for an agent"
        );
        assert!(admin.contains(r#"href="/admin/audit""#));
    }
}

/// Every admin page and the console lead to the audit log and to one's sessions.
#[test]
fn the_pages_lead_to_the_audit_log_and_the_sessions() {
    let all = pages(Lang::Ko);
    for name in ["console", "accounts", "parameters", "hours"] {
        let html = &all.iter().find(|(n, _)| *n == name).expect("a page").1;
        assert!(html.contains(r#"href="/admin/audit""#), "{name}");
        assert!(html.contains(r#"href="/account/sessions""#), "{name}");
    }
    let audit = &all.iter().find(|(n, _)| *n == "audit").expect("a page").1;
    assert!(audit.contains(r#"href="/account/sessions""#));
}

/// The consultation history offers every channel, state and end type by its name, in every
/// language, and hands its script the names the table shows; the limit of conditions comes from
/// its constant.
#[test]
fn the_report_page_names_every_choice() {
    use sangdam_core::report::{MAX_PARAM_FILTERS, MAX_PARAM_VALUE_CHARS};
    let keys = i18n::keys();
    for (lang, page) in Lang::ALL
        .into_iter()
        .flat_map(|l| [(l, "reports"), (l, "dashboard")])
    {
        let all = pages(lang);
        let html = &all.iter().find(|(n, _)| *n == page).expect("a page").1;
        let texts = page_texts(html);
        let choices = super::reports::channel_choices()
            .into_iter()
            .chain(super::reports::state_choices())
            .chain(super::reports::end_type_choices());
        for c in choices {
            assert!(keys.contains(c.key.as_str()), "{lang}: no {}", c.key);
            let name = i18n::t(lang, &c.key);
            assert!(
                html.contains(&format!("value=\"{}\"> {name}</label>", c.value)),
                "{lang}: the filter offers {}",
                c.value
            );
            assert_eq!(
                texts[&c.key],
                name.as_str(),
                "{lang}: the script names {}",
                c.value
            );
        }
        let hint = i18n::t_args(
            lang,
            "report-params-hint",
            &[
                ("max", MAX_PARAM_FILTERS.into()),
                ("chars", MAX_PARAM_VALUE_CHARS.into()),
            ],
        );
        assert!(visible(html).iter().any(|t| t.contains(&hint)), "{lang}");
        assert_eq!(
            texts["report-param-limit"],
            i18n::t_args(
                lang,
                "report-param-limit",
                &[("max", MAX_PARAM_FILTERS.into())]
            ),
        );
        assert!(
            !html.contains(r#"href="/admin/audit""#),
            "a manager's report page has no admin links"
        );
    }
}

/// Managers and the admin reach the consultation history from the console, the admin pages
/// and their sessions; agents are not led there.
#[test]
fn the_pages_lead_managers_to_the_reports() {
    let all = pages(Lang::Ko);
    let page = |name: &str| &all.iter().find(|(n, _)| *n == name).expect("a page").1;
    for name in [
        "console",
        "accounts",
        "parameters",
        "hours",
        "audit",
        "sessions",
        "dashboard",
    ] {
        assert!(page(name).contains(r#"href="/reports""#), "{name}");
    }
    for name in [
        "accounts",
        "parameters",
        "hours",
        "audit",
        "sessions",
        "reports",
    ] {
        assert!(
            page(name).contains(r#"href="/reports/dashboard""#),
            "{name} leads to the dashboard"
        );
    }
    assert!(!page("sessions of an agent").contains(r#"href="/reports""#));
    assert!(!page("sessions of an agent").contains(r#"href="/reports/dashboard""#));
    for name in ["reports", "dashboard"] {
        assert!(page(name).contains(r#"href="/account/sessions""#), "{name}");
        assert!(page(name).contains(r#"href="/console""#), "{name}");
    }
}

/// The dashboard draws with the vendored uPlot, from the binary (no CDN), with its licence
/// beside it; the script loads before the page's module, which uses its global.
#[test]
fn the_dashboard_uses_the_vendored_chart_library() {
    let all = pages(Lang::Ko);
    let html = &all
        .iter()
        .find(|(n, _)| *n == "dashboard")
        .expect("a page")
        .1;
    let library = html
        .find(r#"<script defer src="/assets/vendor/uplot/uPlot.iife.min.js"></script>"#)
        .expect("the library");
    let module = html
        .find(r#"<script type="module" src="/assets/dashboard.js"></script>"#)
        .expect("the page's script");
    assert!(library < module);
    assert!(html.contains(r#"href="/assets/vendor/uplot/uPlot.min.css""#));
    for tag in tags(html) {
        for attribute in [" src=\"", " href=\""] {
            if let Some(at) = tag.find(attribute) {
                let url = &tag[at + attribute.len()..];
                assert!(
                    url.starts_with('/') || url.starts_with('?'),
                    "nothing from elsewhere: {tag}"
                );
            }
        }
    }
    for file in ["uPlot.iife.min.js", "uPlot.min.css", "LICENSE", "README.md"] {
        let path = format!("vendor/uplot/{file}");
        assert!(super::Assets::get(&path).is_some(), "{path} is embedded");
    }
    // Every table a chart draws into is in the page (the numbers are not only on a canvas).
    for id in [
        "inflow-table",
        "waiting-table",
        "first-table",
        "categories-table",
        "agents-table",
        "scores-table",
    ] {
        assert!(html.contains(&format!(r#"id="{id}""#)), "{id}");
    }
}

/// The console's header names the agent and their role, but not twice: an admin still named
/// after the role ("관리자") reads "관리자", not "관리자 (관리자)".
#[test]
fn the_console_header_names_the_role_once() {
    let header = |name: &str| {
        let html = ConsolePage {
            lang: Lang::Ko,
            agent_name: name.into(),
            role: super::accounts::role_key(store::Role::Admin),
            site_name: "Acme".into(),
            sees_all: true,
            is_admin: true,
            config: "{}".into(),
            texts: ConsolePage::texts(Lang::Ko),
            max_message: 4000,
            max_site_uid: 255,
            max_note: 200,
            max_canned: CannedLimits::default(),
            presences: ConsolePage::presences(),
            channels: ConsolePage::channels(),
        }
        .render_page();
        let start = html
            .find("<span class=\"who\">")
            .expect("the header's name");
        let end = html[start..]
            .find("</span>\n")
            .map_or(html.len(), |e| start + e + 7);
        visible(&html[start..end])
            .iter()
            .map(|s| s.trim())
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(header("김상담"), "김상담 (관리자)");
    assert_eq!(header("관리자"), "관리자");
}

/// The chatbot page: its forms say the limits of their constants, its script gets the limits
/// its editors are built with, and every admin page and the console lead to it.
#[test]
fn the_bot_page_says_its_limits_and_is_linked() {
    use ::bot::limits::{ENTRIES_MAX, NAME_MAX, UTTERANCE_MAX, UTTERANCES_MAX};
    let en = pages(Lang::En);
    let page = |name: &str| &en.iter().find(|(n, _)| *n == name).expect("a page").1;
    let html = page("bot");
    let shown = visible(html).join("\n");
    assert!(shown.contains(&format!("At most {NAME_MAX} characters.")));
    assert!(shown.contains(&format!(
        "One a line, at most {UTTERANCES_MAX}, each at most {UTTERANCE_MAX} characters."
    )));
    assert!(html.contains(&format!(r#"id="block-name" maxlength="{NAME_MAX}""#)));
    assert!(html.contains(r#"<script type="module" src="/assets/bot-admin.js"></script>"#));
    let texts = page_texts(html);
    assert_eq!(
        texts["bot-kb-too-many"],
        i18n::t_args(
            Lang::En,
            "bot-kb-too-many",
            &[("max-entries", ENTRIES_MAX.into())]
        )
    );
    assert!(
        texts["bot-err-too-long"]
            .as_str()
            .unwrap()
            .contains("{ $max }")
    );
    let start = r#"<script type="application/json" id="bot-config">"#;
    let config = &html[html.find(start).expect("the config") + start.len()..];
    let config: serde_json::Value =
        serde_json::from_str(&config[..config.find("</script>").expect("its end")]).unwrap();
    assert_eq!(config["outputs_max"], protocol::kakao::limits::OUTPUTS_MAX);
    assert_eq!(
        config["buttons_max"],
        protocol::kakao::limits::BUTTONS_VERTICAL_MAX
    );
    for name in [
        "console",
        "accounts",
        "parameters",
        "hours",
        "audit",
        "sessions",
    ] {
        assert!(
            page(name).contains(r#"href="/admin/bot""#),
            "{name} leads to the chatbot"
        );
    }
    assert!(!page("sessions of an agent").contains(r#"href="/admin/bot""#));
    for lang in Lang::ALL {
        let all = pages(lang);
        let html = &all.iter().find(|(n, _)| *n == "bot").expect("a page").1;
        let title = i18n::t(lang, "bot-title");
        assert!(html.contains(&format!("<h1>{title}</h1>")), "{lang}");
    }
}

/// The wallet page: its limits come from their constants, it names every movement kind in the
/// history's filter and hands its script every kind's and refusal's name, the site's admin
/// gets the form that makes the wallet (an agent a sentence instead), and every page with a
/// navigation leads to it.
#[test]
fn the_wallet_page_says_its_limits_names_its_codes_and_is_linked() {
    use app::wallet::{MAX_CASH_CHARGE, MIN_CASH_CHARGE};
    let keys = i18n::keys();
    for lang in Lang::ALL {
        let all = pages(lang);
        let page = |name: &str| &all.iter().find(|(n, _)| *n == name).expect("a page").1;
        let html = page("wallet");
        let title = i18n::t(lang, "wallet-title");
        assert!(html.contains(&format!("<h1>{title}</h1>")), "{lang}");
        assert!(html.contains(r#"<script type="module" src="/assets/wallet.js"></script>"#));
        assert!(html.contains(&format!(
            r#"min="{}" max="{}""#,
            MIN_CASH_CHARGE.get(),
            MAX_CASH_CHARGE.get()
        )));
        let shown = visible(html).join("\n");
        assert!(
            shown.contains(&i18n::t_args(
                lang,
                "wallet-charge-lead",
                &[
                    ("min", MIN_CASH_CHARGE.to_string().into()),
                    ("max", MAX_CASH_CHARGE.to_string().into()),
                ],
            )),
            "{lang}"
        );
        let texts = page_texts(html);
        for kind in billing::EntryKind::ALL {
            let key = super::wallet::entry_kind_key(kind);
            assert!(keys.contains(key.as_str()), "{lang}: no {key}");
            let name = i18n::t(lang, &key);
            assert!(
                html.contains(&format!(
                    "<option value=\"{}\">{name}</option>",
                    kind.code()
                )),
                "{lang}: the filter offers {kind}"
            );
            assert_eq!(
                texts[&key],
                name.as_str(),
                "{lang}: the script names {kind}"
            );
        }
        for refusal in protocol::pay::Refusal::ALL {
            let key = format!("wallet-refusal-{}", refusal.code());
            assert!(texts.contains_key(&key), "{lang}: no {key}");
        }
        assert!(texts.contains_key("wallet-refusal-rejected"));
        assert_eq!(
            texts["wallet-err-amount"],
            i18n::t_args(
                lang,
                "wallet-err-amount",
                &[
                    ("min-charge", MIN_CASH_CHARGE.to_string().into()),
                    ("max-charge", MAX_CASH_CHARGE.to_string().into()),
                ],
            )
        );
        assert!(
            html.contains(r#"id="create-slot""#),
            "the admin makes the wallet"
        );
        let agent = page("wallet of an agent");
        assert!(!agent.contains(r#"id="create-slot""#));
        assert!(agent.contains(r#"id="no-wallet-note""#));
        assert!(!agent.contains(r#"href="/admin/audit""#));
    }
    let all = pages(Lang::Ko);
    for name in [
        "console",
        "accounts",
        "parameters",
        "hours",
        "bot",
        "audit",
        "sessions",
        "sessions of an agent",
        "reports",
        "dashboard",
    ] {
        let html = &all.iter().find(|(n, _)| *n == name).expect("a page").1;
        assert!(
            html.contains(r#"href="/wallet""#),
            "{name} leads to the wallet"
        );
    }
}

/// Every page with the admin's navigation leads to the business verification; an agent's
/// pages do not.
#[test]
fn the_admin_pages_lead_to_the_business_verification() {
    let all = pages(Lang::Ko);
    let page = |name: &str| &all.iter().find(|(n, _)| *n == name).expect("a page").1;
    for name in [
        "console",
        "accounts",
        "parameters",
        "hours",
        "bot",
        "audit",
        "sessions",
        "wallet",
        "dashboard of the admin",
    ] {
        assert!(
            page(name).contains(r#"href="/admin/business""#),
            "{name} leads to the business verification"
        );
    }
    assert!(!page("sessions of an agent").contains(r#"href="/admin/business""#));
    assert!(!page("wallet of an agent").contains(r#"href="/admin/business""#));
    let business = page("business");
    for link in ["/admin/audit", "/wallet", "/account/sessions", "/console"] {
        assert!(business.contains(&format!(r#"href="{link}""#)), "{link}");
    }
}

/// The business page's form says the limits of their constants, takes the documents the
/// server accepts, and hands its script the refusals with those limits.
#[test]
fn the_business_page_says_its_limits() {
    use sangdam_core::business::{
        MAX_BUSINESS_NAME_CHARS, MAX_DOCUMENT_BYTES, MAX_DOCUMENTS, MAX_REPRESENTATIVE_CHARS,
    };
    let en = pages(Lang::En);
    let html = &en.iter().find(|(n, _)| *n == "business").expect("a page").1;
    let mb = MAX_DOCUMENT_BYTES / (1024 * 1024);
    let shown = visible(html).join("\n");
    assert!(shown.contains(&format!(
        "at most {mb} MB each, at most {MAX_DOCUMENTS} of them"
    )));
    assert!(html.contains(r#"<script type="module" src="/assets/business.js"></script>"#));
    assert!(html.contains(&format!(r#"maxlength="{MAX_BUSINESS_NAME_CHARS}""#)));
    assert!(html.contains(&format!(r#"maxlength="{MAX_REPRESENTATIVE_CHARS}""#)));
    assert!(html.contains(&format!(r#"data-max-bytes="{MAX_DOCUMENT_BYTES}""#)));
    assert!(html.contains(r#"name="document""#) && html.contains(" multiple"));
    assert!(html.contains(r#"accept=".pdf,.jpg,.jpeg,.png"#));
    let texts = page_texts(html);
    assert_eq!(
        texts["business-err-documents-many"],
        format!("At most {MAX_DOCUMENTS} documents.")
    );
    assert!(
        texts["business-err-document-large"]
            .as_str()
            .unwrap()
            .contains(&format!("larger than {mb} MB"))
    );
}

/// The operator's pages are the operator's own: no site's navigation, their own login, a way
/// out, and the limits of the API's constants in their forms and their script's refusals.
#[test]
fn the_operator_pages_are_their_own_and_say_their_limits() {
    use crate::api::platform::{MAX_GRANT_DAYS, MAX_GRANT_KRW, MAX_PRICE_KRW};
    use sangdam_core::business::MAX_REASON_CHARS;
    for lang in Lang::ALL {
        let all = pages(lang);
        let page = |name: &str| &all.iter().find(|(n, _)| *n == name).expect("a page").1;
        for name in ["operator", "operator login"] {
            let html = page(name);
            assert!(
                !html.contains(r#"href="/admin/"#),
                "{lang} {name}: no site links"
            );
            assert!(!html.contains(r#"href="/console""#), "{lang} {name}");
            assert!(
                html.contains(r#"class="brand" href="/operator""#),
                "{lang} {name}"
            );
        }
        let login = page("operator login");
        assert!(
            login.contains(r#"<script type="module" src="/assets/operator-login.js"></script>"#)
        );
        assert!(login.contains(r#"role="alert""#));
        assert!(
            !login.contains(r#"action="/login""#),
            "not the sites' login"
        );
        let html = page("operator");
        assert!(html.contains(r#"<script type="module" src="/assets/operator.js"></script>"#));
        assert!(html.contains(r#"id="logout""#));
        assert!(html.contains(&format!(r#"maxlength="{MAX_REASON_CHARS}""#)));
        assert!(html.contains(&format!(r#"max="{MAX_GRANT_KRW}""#)));
        assert!(html.contains(&format!(r#"max="{MAX_GRANT_DAYS}""#)));
        assert!(html.contains(&format!(r#"data-max="{MAX_PRICE_KRW}""#)));
        assert!(html.contains(&format!(
            r#"value="{}""#,
            super::operator::DEFAULT_GRANT_DAYS
        )));
    }
    let en = pages(Lang::En);
    let html = &en.iter().find(|(n, _)| *n == "operator").expect("a page").1;
    let shown = visible(html).join("\n");
    let won = super::operator::won;
    assert!(
        shown.contains(&format!("From 1 to {} won.", won(MAX_GRANT_KRW))),
        "{shown}"
    );
    assert!(shown.contains(&format!("From 1 to {MAX_GRANT_DAYS} days.")));
    assert!(shown.contains(&format!("At most {MAX_REASON_CHARS} characters.")));
    assert!(shown.contains(&format!("(0 to {} won)", won(MAX_PRICE_KRW))));
    let texts = page_texts(html);
    assert_eq!(
        texts["operator-err-grant-amount"],
        format!("A whole number from 1 to {}.", won(MAX_GRANT_KRW))
    );
    assert_eq!(
        texts["operator-err-reason-long"],
        format!("A reason has at most {MAX_REASON_CHARS} characters.")
    );
    // The usage kinds' names come with the operator's texts (the prices' rows).
    assert!(texts.contains_key("wallet-usage-event_message"));
}
