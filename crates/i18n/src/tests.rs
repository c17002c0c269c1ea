#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

/// The folders the build found, each with its file names.
fn folders() -> BTreeMap<&'static str, BTreeSet<&'static str>> {
    let mut out: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (folder, name, _) in FILES {
        out.entry(folder).or_default().insert(name);
    }
    out
}

/// Every message id and `id.attribute` of a language, read straight from its files with the
/// Fluent parser (not through the bundles the lookups use).
fn parsed_keys(lang: Lang) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for (_, name, source) in FILES.iter().filter(|(f, _, _)| *f == lang.code()) {
        let resource = fluent_syntax::parser::parse(*source)
            .unwrap_or_else(|(_, errors)| panic!("locales/{lang}/{name}: {errors:?}"));
        for entry in resource.body {
            match entry {
                ast::Entry::Message(m) => {
                    assert!(
                        keys.insert(m.id.name.to_owned()),
                        "locales/{lang}/{name}: {} twice",
                        m.id.name
                    );
                    for a in m.attributes {
                        keys.insert(format!("{}.{}", m.id.name, a.id.name));
                    }
                }
                ast::Entry::Junk { content } => {
                    panic!("locales/{lang}/{name}: cannot read {content:?}")
                }
                _ => {}
            }
        }
    }
    keys
}

#[test]
fn every_folder_is_a_language_and_every_language_a_folder() {
    let found: BTreeSet<&str> = folders().keys().copied().collect();
    let known: BTreeSet<&str> = Lang::ALL.iter().map(|l| l.code()).collect();
    assert_eq!(found, known, "locales/ folders against i18n::Lang::ALL");
    assert_eq!(catalogue_problems(), Vec::<String>::new());
}

#[test]
fn every_language_has_the_same_files() {
    let folders = folders();
    let default = &folders[Lang::DEFAULT.code()];
    for (folder, files) in &folders {
        assert_eq!(files, default, "locales/{folder}/ against locales/ko/");
    }
}

#[test]
fn every_language_has_the_same_keys() {
    let default = parsed_keys(Lang::DEFAULT);
    assert!(default.len() > 100, "the catalogue was read");
    for lang in Lang::ALL {
        let keys = parsed_keys(lang);
        let lacks: Vec<_> = default.difference(&keys).collect();
        let extra: Vec<_> = keys.difference(&default).collect();
        assert!(
            lacks.is_empty() && extra.is_empty(),
            "{lang} lacks {lacks:?} and has {extra:?} that {} does not",
            Lang::DEFAULT
        );
        assert_eq!(
            keys, CATALOGUE.keys[&lang],
            "the bundles hold what the files say"
        );
    }
}

#[test]
fn every_text_formats_cleanly_with_the_arguments_it_declares() {
    for lang in Lang::ALL {
        for key in parsed_keys(lang) {
            let names = variables(lang, &key).expect("a key of the language");
            let args: Vec<(&str, Arg<'_>)> =
                names.iter().map(|n| (n.as_str(), Arg::from(2u8))).collect();
            let text = try_t(lang, &key, &args).unwrap_or_else(|e| panic!("{e}"));
            assert!(!text.trim().is_empty(), "{lang}: {key} is empty");
            assert!(
                !text.contains(['\u{2068}', '\u{2069}']),
                "{lang}: {key} carries isolation marks"
            );
            assert!(!text.contains("{ $"), "{lang}: {key}: {text}");
        }
    }
}

#[test]
fn every_language_uses_the_same_arguments() {
    for key in parsed_keys(Lang::DEFAULT) {
        let default = variables(Lang::DEFAULT, &key);
        for lang in Lang::ALL {
            assert_eq!(
                variables(lang, &key),
                default,
                "{key}: the arguments of {lang} and {}",
                Lang::DEFAULT
            );
        }
    }
}

#[test]
fn a_text_without_its_arguments_is_an_error() {
    let refused = try_t(Lang::Ko, "admin-err-too_long", &[]);
    assert!(
        matches!(refused, Err(TextError::Format { .. })),
        "{refused:?}"
    );
    assert_eq!(
        t_args(
            Lang::En,
            "admin-err-too_long",
            &[("max-site-uid", 255usize.into())]
        ),
        "A site_uid has at most 255 characters."
    );
}

#[test]
fn a_missing_text_falls_back_to_another_language_then_to_its_key_and_is_reported() {
    let c = Catalogue::load(&[
        ("en", "a.ftl", "both = both\n"),
        ("ko", "a.ftl", "both = 둘\nonly-ko = 한국어만\n"),
    ]);
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    assert_eq!(c.text(Lang::En, "both", &[]), "both");
    assert!(c.missed().is_empty());
    assert_eq!(c.text(Lang::En, "only-ko", &[]), "한국어만");
    assert_eq!(c.missed(), ["en: no text \"only-ko\""]);
    assert_eq!(c.text(Lang::Ko, "nowhere", &[]), "nowhere");
    assert_eq!(
        c.missed(),
        [
            "en: no text \"nowhere\"",
            "en: no text \"only-ko\"",
            "ko: no text \"nowhere\""
        ]
    );
}

#[test]
fn a_broken_catalogue_is_reported() {
    let c = Catalogue::load(&[
        ("en", "a.ftl", "fine = Fine\nbroken = { $\n"),
        ("ko", "a.ftl", "fine = 좋음\nfine = 또\n"),
        ("xx", "a.ftl", "fine = ?\n"),
    ]);
    let problems = c.problems.join("\n");
    assert!(
        problems.contains("locales/xx/ is not a language"),
        "{problems}"
    );
    assert!(problems.contains("locales/en/a.ftl"), "{problems}");
    assert!(problems.contains("locales/ko/a.ftl"), "{problems}");
    let empty = Catalogue::load(&[("ko", "a.ftl", "fine = 좋음\n")]);
    assert!(
        empty
            .problems
            .iter()
            .any(|p| p.starts_with("en has no catalogue")),
        "{:?}",
        empty.problems
    );
}

#[test]
fn languages_are_read_from_tags() {
    for (tag, lang) in [
        ("ko", Some(Lang::Ko)),
        ("KO-kr", Some(Lang::Ko)),
        ("en-US", Some(Lang::En)),
        ("en_GB", Some(Lang::En)),
        (" en;q=0.8", Some(Lang::En)),
        ("fr", None),
        ("", None),
        ("english", None),
    ] {
        assert_eq!(Lang::parse(tag), lang, "{tag:?}");
    }
    for lang in Lang::ALL {
        assert_eq!(Lang::parse(lang.code()), Some(lang));
    }
    assert_eq!(Lang::DEFAULT, Lang::Ko);
}

#[test]
fn an_export_fills_what_the_server_knows_and_leaves_the_rest_to_the_script() {
    let texts = export(
        Lang::Ko,
        &["admin-err-", "console-new-waiting"],
        &[("max-description", Arg::from(20usize))],
    );
    assert_eq!(
        texts["admin-err-description_too_long"],
        "설명은 20자까지 입력할 수 있습니다."
    );
    assert_eq!(
        texts["admin-err-unknown_template_variable"],
        "알 수 없는 변수입니다: { $values }"
    );
    // A reference to another message is resolved on the server.
    assert_eq!(
        texts["console-new-waiting"],
        "새 상담이 대기열에 들어왔습니다 (대기 { $count })"
    );
    assert!(
        texts
            .keys()
            .all(|k| k.starts_with("admin-err-") || k == "console-new-waiting")
    );
    assert!(!texts.contains_key("admin-title"));
    let en = export(Lang::En, &["admin-fixed-site_uid_hash"], &[]);
    assert_eq!(en["admin-fixed-site_uid_hash.type"], "String (hex)");
}

#[test]
fn messages_format_numbers_and_references() {
    assert_eq!(
        t_args(Lang::Ko, "console-new-waiting", &[("count", 3usize.into())]),
        "새 상담이 대기열에 들어왔습니다 (대기 3)"
    );
    assert_eq!(
        t_args(
            Lang::En,
            "admin-custom-intro",
            &[("slots", 10u8.into()), ("max", 20usize.into())]
        )
        .split(". ")
        .next(),
        Some("Values the fixed parameters do not cover go into parameter1 to parameter10")
    );
    assert_eq!(
        t(Lang::En, "admin-fixed-cus_extra_username.example"),
        "Hong Gildong"
    );
}

#[test]
fn the_channel_adapters_texts_are_there_in_every_language() {
    let today = [
        (
            "channel-waiting",
            vec![],
            "상담원 연결을 기다리고 있습니다. 잠시만 기다려 주세요.",
        ),
        (
            "channel-received",
            vec![],
            "메시지가 상담원에게 전달되었습니다.",
        ),
        ("channel-left", vec![], "고객이 채팅방을 나갔습니다."),
        ("channel-friend-on", vec![], "고객이 친구로 추가했습니다."),
        ("channel-friend-off", vec![], "고객이 친구를 해제했습니다."),
        (
            "channel-handover",
            vec![("control", Arg::from("standby"))],
            "대화 제어권 변경: standby",
        ),
        (
            "channel-image",
            vec![("url", Arg::from("https://img.example/a.jpg"))],
            "[이미지] https://img.example/a.jpg",
        ),
    ];
    for (key, args, korean) in &today {
        assert_eq!(try_t(Lang::Ko, key, args).as_deref(), Ok(*korean), "{key}");
        let english = try_t(Lang::En, key, args).unwrap();
        assert!(
            !english.contains(|c: char| ('가'..='힣').contains(&c)),
            "{key}: {english}"
        );
    }
    assert_eq!(
        try_t(Lang::En, "channel-image", &today[6].1).as_deref(),
        Ok("[Image] https://img.example/a.jpg")
    );
}
