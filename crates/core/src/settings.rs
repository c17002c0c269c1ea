//! What a site's parameter settings may hold: the rules a settings save follows, one rule set
//! for the parameter page and the API. Each check takes a part as given and returns it as it is
//! stored (trimmed, blanks and duplicates dropped), or every problem it found; a caller that
//! gets any problem saves nothing.
//!
//! - custom slots: exactly ten; a description has at most 20 characters and no control
//!   characters, and an enabled slot needs one (it is the label agents, reports and the
//!   chat-URL placeholder `parameter1={유입경로}` show);
//! - sentinels: at most 50 values of at most 50 characters each, trimmed, blanks dropped,
//!   duplicates (ignoring ASCII case) kept once;
//! - the consultation-info URL template: empty clears it; otherwise an `http(s)://` URL of at
//!   most 2000 characters whose `[variables]` are all known (`inflow::Template`);
//! - the title message a consultation opens with (R3.2): empty clears it (no title message);
//!   otherwise text of at most 500 characters, line breaks allowed, whose `[variables]` are
//!   among those a title may use (`inflow::TitleTemplate`);
//! - the Kakao channel and Naver TalkTalk base URLs: empty clears; otherwise `http(s)://host…`
//!   of at most 2000 characters without spaces;
//! - the frame origins (the sites whose pages may show the chat window in a frame): at most 20
//!   origins `http(s)://host[:port]` ([`crate::origin`]), blanks dropped, duplicates kept once.
//!
//! A problem names its field (`parameter3`, `sentinels`, `info_url_template`,
//! `title_template`, `channel_urls.kakao`, `frame_origins`) so a form can show it beside that
//! field, and carries a stable [`SettingsCode`] and an English sentence.

use inflow::{Channel, Slot, SlotSetting, TemplateError};

pub use crate::origin::MAX_ORIGIN_CHARS;
use crate::origin::normalize_origin;

/// Longest custom-slot description (the help page's limit for a custom value, reused so that a
/// label fits where its value does).
pub const MAX_DESCRIPTION_CHARS: usize = 20;
/// Most sentinels a site keeps (after blanks and duplicates are dropped).
pub const MAX_SENTINELS: usize = 50;
/// Longest sentinel.
pub const MAX_SENTINEL_CHARS: usize = 50;
/// Longest consultation-info URL template and channel base URL.
pub const MAX_URL_CHARS: usize = 2000;
/// Most origins allowed to frame the chat window (the entries of a save, blanks included).
pub const MAX_FRAME_ORIGINS: usize = 20;
/// Longest title-message template (what it renders is cut to what a messenger carries).
pub const MAX_TITLE_TEMPLATE_CHARS: usize = 500;

/// Why one part of a settings save was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SettingsCode {
    /// Not exactly ten custom slots.
    InvalidSlots,
    DescriptionTooLong,
    /// A description with a control character.
    InvalidDescription,
    /// An enabled slot without a description.
    DescriptionRequired,
    SentinelTooLong,
    /// A sentinel with a control character.
    InvalidSentinel,
    TooManySentinels,
    TemplateTooLong,
    /// A template with a control character.
    InvalidTemplate,
    UnknownTemplateVariable,
    TemplateNotHttp,
    /// A template with a variable in its scheme or host.
    TemplateVariableInHost,
    UrlTooLong,
    /// A channel URL that is not an `http(s)://` address without spaces.
    InvalidUrl,
    /// A frame origin that is not `http(s)://host[:port]`.
    InvalidFrameOrigin,
    TooManyFrameOrigins,
}

impl SettingsCode {
    pub const ALL: [SettingsCode; 16] = [
        SettingsCode::InvalidSlots,
        SettingsCode::DescriptionTooLong,
        SettingsCode::InvalidDescription,
        SettingsCode::DescriptionRequired,
        SettingsCode::SentinelTooLong,
        SettingsCode::InvalidSentinel,
        SettingsCode::TooManySentinels,
        SettingsCode::TemplateTooLong,
        SettingsCode::InvalidTemplate,
        SettingsCode::UnknownTemplateVariable,
        SettingsCode::TemplateNotHttp,
        SettingsCode::TemplateVariableInHost,
        SettingsCode::UrlTooLong,
        SettingsCode::InvalidUrl,
        SettingsCode::InvalidFrameOrigin,
        SettingsCode::TooManyFrameOrigins,
    ];

    /// The stable snake_case name, for API responses.
    pub fn as_str(self) -> &'static str {
        match self {
            SettingsCode::InvalidSlots => "invalid_slots",
            SettingsCode::DescriptionTooLong => "description_too_long",
            SettingsCode::InvalidDescription => "invalid_description",
            SettingsCode::DescriptionRequired => "description_required",
            SettingsCode::SentinelTooLong => "sentinel_too_long",
            SettingsCode::InvalidSentinel => "invalid_sentinel",
            SettingsCode::TooManySentinels => "too_many_sentinels",
            SettingsCode::TemplateTooLong => "template_too_long",
            SettingsCode::InvalidTemplate => "invalid_template",
            SettingsCode::UnknownTemplateVariable => "unknown_template_variable",
            SettingsCode::TemplateNotHttp => "template_not_http",
            SettingsCode::TemplateVariableInHost => "template_variable_in_host",
            SettingsCode::UrlTooLong => "url_too_long",
            SettingsCode::InvalidUrl => "invalid_url",
            SettingsCode::InvalidFrameOrigin => "invalid_frame_origin",
            SettingsCode::TooManyFrameOrigins => "too_many_frame_origins",
        }
    }
}

/// One refused part of a settings save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsProblem {
    /// `parameter3`, `sentinels`, `info_url_template`, `channel_urls.kakao`, …
    pub field: String,
    pub code: SettingsCode,
    /// The sentence a person reads, in English.
    pub message: String,
    /// The offending names or values (unknown template variables, a too-long sentinel).
    pub values: Vec<String>,
}

impl SettingsProblem {
    fn new(field: impl Into<String>, code: SettingsCode, message: impl Into<String>) -> Self {
        SettingsProblem {
            field: field.into(),
            code,
            message: message.into(),
            values: Vec::new(),
        }
    }
}

fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

/// Checks the custom slots as given, `parameter1` first; they come back with their
/// descriptions trimmed. Every slot is checked, so one save reports every bad slot.
pub fn check_slots(
    given: &[SlotSetting],
) -> Result<[SlotSetting; Slot::COUNT], Vec<SettingsProblem>> {
    if given.len() != Slot::COUNT {
        return Err(vec![SettingsProblem::new(
            "slots",
            SettingsCode::InvalidSlots,
            format!(
                "exactly {} custom slots are expected, got {}",
                Slot::COUNT,
                given.len()
            ),
        )]);
    }
    let mut slots: [SlotSetting; Slot::COUNT] = Default::default();
    let mut problems = Vec::new();
    for (i, (input, out)) in given.iter().zip(slots.iter_mut()).enumerate() {
        let field = format!("parameter{}", i + 1);
        let description = input.description.trim();
        let chars = description.chars().count();
        if chars > MAX_DESCRIPTION_CHARS {
            problems.push(SettingsProblem::new(
                &field,
                SettingsCode::DescriptionTooLong,
                format!(
                    "the description of {field} has {chars} characters; at most \
                     {MAX_DESCRIPTION_CHARS} are allowed"
                ),
            ));
        } else if has_control(description) {
            problems.push(SettingsProblem::new(
                &field,
                SettingsCode::InvalidDescription,
                format!("the description of {field} contains a control character"),
            ));
        } else if input.enabled && description.is_empty() {
            problems.push(SettingsProblem::new(
                &field,
                SettingsCode::DescriptionRequired,
                format!(
                    "{field} is enabled without a description; agents and reports show the \
                     description as its label"
                ),
            ));
        }
        *out = SlotSetting {
            enabled: input.enabled,
            description: description.to_owned(),
        };
    }
    if problems.is_empty() {
        Ok(slots)
    } else {
        Err(problems)
    }
}

/// Checks the sentinels; they come back trimmed, without blanks or duplicates. The count is
/// checked after dropping those, so a list pasted with repeats is not refused for them.
pub fn check_sentinels<S: AsRef<str>>(given: &[S]) -> Result<Vec<String>, Vec<SettingsProblem>> {
    let mut out: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    for s in given
        .iter()
        .map(|s| s.as_ref().trim())
        .filter(|s| !s.is_empty())
    {
        if s.chars().count() > MAX_SENTINEL_CHARS {
            let mut p = SettingsProblem::new(
                "sentinels",
                SettingsCode::SentinelTooLong,
                format!("a sentinel has at most {MAX_SENTINEL_CHARS} characters"),
            );
            // Which one, cut at the limit: enough for a person to recognise it beside the
            // field, however long the pasted value was.
            p.values
                .push(s.chars().take(MAX_SENTINEL_CHARS).collect::<String>() + "…");
            problems.push(p);
        } else if has_control(s) {
            problems.push(SettingsProblem::new(
                "sentinels",
                SettingsCode::InvalidSentinel,
                "a sentinel contains a control character",
            ));
        } else if !out.iter().any(|o| o.eq_ignore_ascii_case(s)) {
            out.push(s.to_owned());
        }
    }
    if out.len() > MAX_SENTINELS {
        problems.push(SettingsProblem::new(
            "sentinels",
            SettingsCode::TooManySentinels,
            format!(
                "{} sentinels given; at most {MAX_SENTINELS} are allowed",
                out.len()
            ),
        ));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// Checks a consultation-info URL template; `Ok(None)` (given nothing, or only spaces) clears
/// it.
pub fn check_template(given: Option<&str>) -> Result<Option<String>, SettingsProblem> {
    const FIELD: &str = "info_url_template";
    let source = given.map(str::trim).unwrap_or_default();
    if source.is_empty() {
        return Ok(None);
    }
    if source.chars().count() > MAX_URL_CHARS {
        return Err(SettingsProblem::new(
            FIELD,
            SettingsCode::TemplateTooLong,
            format!("the consultation-info URL has more than {MAX_URL_CHARS} characters"),
        ));
    }
    if has_control(source) {
        return Err(SettingsProblem::new(
            FIELD,
            SettingsCode::InvalidTemplate,
            "the consultation-info URL contains a control character",
        ));
    }
    match inflow::Template::parse(source) {
        Ok(t) => Ok(Some(t.as_str().to_owned())),
        Err(e) => {
            let code = match &e {
                TemplateError::UnknownVariables(_) => SettingsCode::UnknownTemplateVariable,
                TemplateError::NotHttp => SettingsCode::TemplateNotHttp,
                TemplateError::VariableInHost => SettingsCode::TemplateVariableInHost,
            };
            let mut p = SettingsProblem::new(FIELD, code, e.to_string());
            if let TemplateError::UnknownVariables(names) = e {
                p.values = names;
            }
            Err(p)
        }
    }
}

/// Checks a title-message template; `Ok(None)` (given nothing, or only spaces) clears it.
/// Line breaks are kept (`\r\n` as `\n`); other control characters are refused.
pub fn check_title_template(given: Option<&str>) -> Result<Option<String>, SettingsProblem> {
    const FIELD: &str = "title_template";
    let given = given.map(str::trim).unwrap_or_default();
    if given.is_empty() {
        return Ok(None);
    }
    // Counted as given (a `\r\n` is two), as the API document's pattern counts.
    if given.chars().count() > MAX_TITLE_TEMPLATE_CHARS {
        return Err(SettingsProblem::new(
            FIELD,
            SettingsCode::TemplateTooLong,
            format!("the title message has more than {MAX_TITLE_TEMPLATE_CHARS} characters"),
        ));
    }
    let source = given.replace("\r\n", "\n");
    if source.chars().any(|c| c.is_control() && c != '\n') {
        return Err(SettingsProblem::new(
            FIELD,
            SettingsCode::InvalidTemplate,
            "the title message contains a control character other than a line break",
        ));
    }
    match inflow::TitleTemplate::parse(&source) {
        Ok(t) => Ok(Some(t.as_str().to_owned())),
        Err(e) => {
            let mut p =
                SettingsProblem::new(FIELD, SettingsCode::UnknownTemplateVariable, e.to_string());
            if let TemplateError::UnknownVariables(names) = e {
                p.values = names;
            }
            Err(p)
        }
    }
}

/// Whether `url` is an `http(s)://` URL with a host and nothing a chat URL cannot contain.
/// A userinfo part (`https://pf.kakao.com@evil.example/`) is refused: the button would show one
/// host and open another.
fn is_http_url(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        url.get(8..)
    } else if lower.starts_with("http://") {
        url.get(7..)
    } else {
        None
    };
    let Some(rest) = rest else {
        return false;
    };
    let host_end = rest.find(['/', '?', '#', '|']).unwrap_or(rest.len());
    let host = rest.get(..host_end).unwrap_or_default();
    !host.is_empty()
        && !host.contains('@')
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Checks one messenger channel's base URL (Kakao or Naver); `Ok(None)` means "not set".
pub fn check_channel_url(
    channel: Channel,
    given: Option<&str>,
) -> Result<Option<String>, SettingsProblem> {
    let url = given.map(str::trim).unwrap_or_default();
    if url.is_empty() {
        return Ok(None);
    }
    let field = format!("channel_urls.{channel}");
    if url.chars().count() > MAX_URL_CHARS {
        return Err(SettingsProblem::new(
            field,
            SettingsCode::UrlTooLong,
            format!("the {channel} chat URL has more than {MAX_URL_CHARS} characters"),
        ));
    }
    if !is_http_url(url) {
        return Err(SettingsProblem::new(
            field,
            SettingsCode::InvalidUrl,
            format!("the {channel} chat URL must be an http:// or https:// address without spaces"),
        ));
    }
    Ok(Some(url.to_owned()))
}

/// Checks the origins allowed to frame the chat window; they come back normalised
/// ([`normalize_origin`]), without blanks or duplicates. Every bad entry is a problem of its
/// own naming it, so the admin sees which line to correct.
pub fn check_frame_origins<S: AsRef<str>>(
    given: &[S],
) -> Result<Vec<String>, Vec<SettingsProblem>> {
    const FIELD: &str = "frame_origins";
    let mut out: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    if given.len() > MAX_FRAME_ORIGINS {
        problems.push(SettingsProblem::new(
            FIELD,
            SettingsCode::TooManyFrameOrigins,
            format!(
                "{} frame origins given; at most {MAX_FRAME_ORIGINS} are allowed",
                given.len()
            ),
        ));
    }
    for entry in given.iter().map(|s| s.as_ref().trim()) {
        if entry.is_empty() {
            continue;
        }
        match normalize_origin(entry) {
            Ok(origin) => {
                if !out.contains(&origin) {
                    out.push(origin);
                }
            }
            Err(why) => {
                // The entry as written (cut, when a whole page was pasted), for the admin to
                // find it in the list.
                let shown: String = entry.chars().take(100).collect();
                let mut p = SettingsProblem::new(
                    FIELD,
                    SettingsCode::InvalidFrameOrigin,
                    format!("{shown:?} is not an origin: {why}"),
                );
                p.values.push(shown);
                problems.push(p);
            }
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn slots(f: impl Fn(usize) -> (bool, String)) -> Vec<SlotSetting> {
        (0..Slot::COUNT)
            .map(|i| {
                let (enabled, description) = f(i);
                SlotSetting {
                    enabled,
                    description,
                }
            })
            .collect()
    }

    /// `(field, code)` of each problem, to compare with a table.
    fn codes(problems: &[SettingsProblem]) -> Vec<(&str, &'static str)> {
        problems
            .iter()
            .map(|p| (p.field.as_str(), p.code.as_str()))
            .collect()
    }

    /// A part as given, and what is stored (`Ok`) or the code of the one problem (`Err`).
    type Case<'a> = (Option<&'a str>, Result<Option<&'a str>, &'a str>);

    fn assert_cases(
        cases: &[Case<'_>],
        field: &str,
        check: impl Fn(Option<&str>) -> Result<Option<String>, SettingsProblem>,
    ) {
        for &(given, want) in cases {
            let got = check(given);
            match want {
                Ok(stored) => assert_eq!(got, Ok(stored.map(str::to_owned)), "{given:?}"),
                Err(code) => {
                    let p = got.err();
                    let p = p.as_ref().map(|p| (p.field.as_str(), p.code.as_str()));
                    assert_eq!(p, Some((field, code)), "{given:?}");
                }
            }
        }
    }

    #[test]
    fn codes_are_distinct_snake_case() {
        let names: BTreeSet<&str> = SettingsCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names.len(), SettingsCode::ALL.len());
        for name in names {
            assert!(
                name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{name}"
            );
        }
    }

    #[test]
    fn slots_come_back_trimmed() {
        let given = slots(|i| {
            (
                i == 2,
                if i == 2 {
                    " 캠페인 ".into()
                } else {
                    " ".into()
                },
            )
        });
        let ok = check_slots(&given).unwrap_or_else(|p| panic!("refused: {p:?}"));
        assert_eq!(ok[2].description, "캠페인");
        assert!(ok[2].enabled);
        assert_eq!(ok[0], SlotSetting::default());
    }

    #[test]
    fn one_slot_description_rule_per_case() {
        // (enabled, description, the problem's code), for parameter4.
        let cases: [(bool, String, Option<&str>); 10] = [
            (false, String::new(), None),
            (true, "유입경로".into(), None),
            // Twenty Hangul syllables are twenty characters, not sixty bytes.
            (true, "가".repeat(MAX_DESCRIPTION_CHARS), None),
            (
                true,
                format!("  {}  ", "가".repeat(MAX_DESCRIPTION_CHARS)),
                None,
            ),
            (
                false,
                "가".repeat(MAX_DESCRIPTION_CHARS + 1),
                Some("description_too_long"),
            ),
            (true, "a\u{7}b".into(), Some("invalid_description")),
            (false, "a\nb".into(), Some("invalid_description")),
            (true, String::new(), Some("description_required")),
            (true, "   ".into(), Some("description_required")),
            // Too long is said first: it is the one a person fixes by typing.
            (true, "\u{7}".repeat(21), Some("description_too_long")),
        ];
        for (enabled, description, code) in cases {
            let given = slots(|i| {
                if i == 3 {
                    (enabled, description.clone())
                } else {
                    (false, String::new())
                }
            });
            let got = check_slots(&given).err().unwrap_or_default();
            let want: Vec<_> = code.iter().map(|c| ("parameter4", *c)).collect();
            assert_eq!(codes(&got), want, "{enabled} {description:?}");
        }
    }

    #[test]
    fn every_bad_slot_is_reported_with_its_sentence() {
        let given = slots(|i| {
            (
                i < 2,
                if i == 1 {
                    "가".repeat(21)
                } else {
                    String::new()
                },
            )
        });
        let problems = check_slots(&given).err().unwrap_or_default();
        assert_eq!(
            codes(&problems),
            [
                ("parameter1", "description_required"),
                ("parameter2", "description_too_long")
            ]
        );
        assert_eq!(
            problems[0].message,
            "parameter1 is enabled without a description; agents and reports show the \
             description as its label"
        );
        assert_eq!(
            problems[1].message,
            "the description of parameter2 has 21 characters; at most 20 are allowed"
        );
    }

    #[test]
    fn exactly_ten_slots() {
        for n in [0, 1, 9, 11, 20] {
            let given = vec![SlotSetting::default(); n];
            let problems = check_slots(&given).err().unwrap_or_default();
            assert_eq!(codes(&problems), [("slots", "invalid_slots")], "{n}");
            assert_eq!(
                problems[0].message,
                format!("exactly 10 custom slots are expected, got {n}")
            );
        }
        assert!(check_slots(&vec![SlotSetting::default(); 10]).is_ok());
    }

    #[test]
    fn sentinels_are_trimmed_deduplicated_and_kept_in_order() {
        let cases: [(&[&str], &[&str]); 5] = [
            (&[], &[]),
            (&["", "  "], &[]),
            (
                &[" undefined", "UNDEFINED", "", "null ", "-"],
                &["undefined", "null", "-"],
            ),
            // ASCII case only: other scripts have no case to ignore.
            (&["없음", "없음 ", "NaN", "nan"], &["없음", "NaN"]),
            (&["Ä", "ä"], &["Ä", "ä"]),
        ];
        for (given, want) in cases {
            assert_eq!(
                check_sentinels(given),
                Ok(want.iter().map(|s| (*s).to_owned()).collect())
            );
        }
    }

    #[test]
    fn sentinels_are_bounded() {
        let at_most: Vec<String> = (0..MAX_SENTINELS).map(|i| format!("s{i}")).collect();
        assert_eq!(
            check_sentinels(&at_most).map(|s| s.len()),
            Ok(MAX_SENTINELS)
        );
        // Duplicates do not count towards the limit.
        let mut repeated = at_most.clone();
        repeated.extend(at_most.iter().map(|s| s.to_uppercase()));
        assert!(check_sentinels(&repeated).is_ok());
        assert!(check_sentinels(&["x".repeat(MAX_SENTINEL_CHARS)]).is_ok());

        let cases: [(Vec<String>, &[&str]); 4] = [
            (
                (0..=MAX_SENTINELS).map(|i| format!("s{i}")).collect(),
                &["too_many_sentinels"],
            ),
            (
                vec!["x".repeat(MAX_SENTINEL_CHARS + 1)],
                &["sentinel_too_long"],
            ),
            (vec!["a\tb".into(), "ok".into()], &["invalid_sentinel"]),
            (
                vec!["a\u{0}".into(), "가".repeat(51), "a\u{1b}".into()],
                &["invalid_sentinel", "sentinel_too_long", "invalid_sentinel"],
            ),
        ];
        for (given, want) in cases {
            let problems = check_sentinels(&given).err().unwrap_or_default();
            let got: Vec<_> = problems.iter().map(|p| p.code.as_str()).collect();
            assert_eq!(got, want, "{given:?}");
            assert!(problems.iter().all(|p| p.field == "sentinels"));
        }
    }

    #[test]
    fn sentinel_problems_say_which_and_how_many() {
        let long = format!("{}tail", "가".repeat(MAX_SENTINEL_CHARS));
        let problems = check_sentinels(&[long]).err().unwrap_or_default();
        assert_eq!(problems[0].message, "a sentinel has at most 50 characters");
        assert_eq!(problems[0].values, [format!("{}…", "가".repeat(50))]);

        let many: Vec<String> = (0..51).map(|i| format!("s{i}")).collect();
        let problems = check_sentinels(&many).err().unwrap_or_default();
        assert_eq!(
            problems[0].message,
            "51 sentinels given; at most 50 are allowed"
        );

        let problems = check_sentinels(&["a\nb"]).err().unwrap_or_default();
        assert_eq!(
            problems[0].message,
            "a sentinel contains a control character"
        );
    }

    #[test]
    fn templates() {
        let too_long = format!("https://crm.example.com/?{}", "a".repeat(MAX_URL_CHARS));
        let longest = format!(
            "https://crm.example.com/?{}",
            "a".repeat(MAX_URL_CHARS - "https://crm.example.com/?".len())
        );
        let cases: [Case<'_>; 12] = [
            (None, Ok(None)),
            (Some(""), Ok(None)),
            (Some("  "), Ok(None)),
            (
                Some(" https://crm.example.com/v?id=[site_uid] "),
                Ok(Some("https://crm.example.com/v?id=[site_uid]")),
            ),
            (
                Some("HTTP://crm.example.com/"),
                Ok(Some("HTTP://crm.example.com/")),
            ),
            (Some(longest.as_str()), Ok(Some(longest.as_str()))),
            (Some(too_long.as_str()), Err("template_too_long")),
            (
                Some("https://crm.example.com/\u{7}"),
                Err("invalid_template"),
            ),
            (
                Some("https://crm.example.com/v?m=[member_no]"),
                Err("unknown_template_variable"),
            ),
            (Some("ftp://x/[site_uid]"), Err("template_not_http")),
            (Some("crm.example.com/[site_uid]"), Err("template_not_http")),
            (
                Some("https://[parameter1]/crm?id=[site_uid]"),
                Err("template_variable_in_host"),
            ),
        ];
        assert_cases(&cases, "info_url_template", check_template);
    }

    #[test]
    fn templates_name_their_unknown_variables() {
        let p = check_template(Some("https://crm.example.com/v?m=[member_no]&x=[grade]"))
            .err()
            .unwrap_or_else(|| panic!("accepted"));
        assert_eq!(p.code, SettingsCode::UnknownTemplateVariable);
        assert_eq!(
            p.message,
            "unknown template variables: [member_no], [grade]"
        );
        assert_eq!(p.values, ["member_no", "grade"]);
        let p = check_template(Some("ftp://x/")).err().map(|p| p.message);
        assert_eq!(
            p.as_deref(),
            Some("a consultation-info URL must start with http:// or https://")
        );
    }

    #[test]
    fn title_templates() {
        let longest = format!(
            "[category_name]{}",
            "가".repeat(MAX_TITLE_TEMPLATE_CHARS - 15)
        );
        let too_long = format!("{longest}가");
        let cases: [Case<'_>; 11] = [
            (None, Ok(None)),
            (Some(""), Ok(None)),
            (Some(" \n "), Ok(None)),
            (
                Some(" [[category_name]/[division_name]] 상담이 접수되었습니다 "),
                Ok(Some(
                    "[[category_name]/[division_name]] 상담이 접수되었습니다",
                )),
            ),
            // No URL: any text, with line breaks.
            (
                Some("상담이 접수되었습니다.\r\n잠시만 기다려 주세요."),
                Ok(Some("상담이 접수되었습니다.\n잠시만 기다려 주세요.")),
            ),
            (Some(longest.as_str()), Ok(Some(longest.as_str()))),
            (Some(too_long.as_str()), Err("template_too_long")),
            (Some("접수\t완료"), Err("invalid_template")),
            (Some("접수\u{7}"), Err("invalid_template")),
            (Some("[member_no]님 접수"), Err("unknown_template_variable")),
            // Known to the consultation-info URL, not for a customer's eyes.
            (
                Some("[cus_extra_phone] 접수"),
                Err("unknown_template_variable"),
            ),
        ];
        assert_cases(&cases, "title_template", check_title_template);
        let p = check_title_template(Some("[grade] [site_uid] [category_name]")).err();
        assert_eq!(
            p.as_ref().map(|p| (p.message.as_str(), p.values.clone())),
            Some((
                "unknown template variables: [grade], [site_uid]",
                vec!["grade".to_owned(), "site_uid".to_owned()]
            ))
        );
    }

    #[test]
    fn channel_urls_must_be_http_with_a_host() {
        let longest = format!("https://pf.kakao.com/{}", "a".repeat(MAX_URL_CHARS - 21));
        let too_long = format!("{longest}a");
        let cases: [Case<'_>; 17] = [
            (None, Ok(None)),
            (Some(""), Ok(None)),
            (Some("   "), Ok(None)),
            (
                Some(" https://pf.kakao.com/_abc/chat "),
                Ok(Some("https://pf.kakao.com/_abc/chat")),
            ),
            (
                Some("http://talk.naver.com/ct/w4abcd"),
                Ok(Some("http://talk.naver.com/ct/w4abcd")),
            ),
            (
                Some("HTTPS://pf.kakao.com"),
                Ok(Some("HTTPS://pf.kakao.com")),
            ),
            (Some("https://x?a=b"), Ok(Some("https://x?a=b"))),
            (Some(longest.as_str()), Ok(Some(longest.as_str()))),
            (Some(too_long.as_str()), Err("url_too_long")),
            (Some("javascript:alert(1)"), Err("invalid_url")),
            (Some("https://"), Err("invalid_url")),
            (Some("https:///path"), Err("invalid_url")),
            (Some("pf.kakao.com/_abc"), Err("invalid_url")),
            (Some("https://a b"), Err("invalid_url")),
            (Some("https://a/\u{7}"), Err("invalid_url")),
            (
                Some("https://pf.kakao.com@evil.example/"),
                Err("invalid_url"),
            ),
            (Some("ftp://pf.kakao.com/"), Err("invalid_url")),
        ];
        assert_cases(&cases, "channel_urls.kakao", |given| {
            check_channel_url(Channel::Kakao, given)
        });
    }

    #[test]
    fn channel_url_problems_name_their_channel() {
        let p = check_channel_url(Channel::Naver, Some("talk.naver.com")).err();
        assert_eq!(
            p.map(|p| (p.field, p.message)),
            Some((
                "channel_urls.naver".into(),
                "the naver chat URL must be an http:// or https:// address without spaces".into()
            ))
        );
        let p = check_channel_url(
            Channel::Kakao,
            Some(&format!("https://{}", "a".repeat(2000))),
        );
        assert_eq!(
            p.err().map(|p| p.message),
            Some("the kakao chat URL has more than 2000 characters".into())
        );
    }

    #[test]
    fn frame_origins_are_normalised_deduplicated_and_bounded() {
        assert_eq!(
            check_frame_origins(&[
                " https://Shop.Example/ ",
                "",
                "https://shop.example:443",
                "http://localhost:8080",
            ]),
            Ok(vec![
                "https://shop.example".to_owned(),
                "http://localhost:8080".to_owned()
            ])
        );
        let most: Vec<String> = (0..MAX_FRAME_ORIGINS)
            .map(|i| format!("https://s{i}.example"))
            .collect();
        assert_eq!(
            check_frame_origins(&most).map(|o| o.len()),
            Ok(MAX_FRAME_ORIGINS)
        );
        let mut too_many = most.clone();
        too_many.push("https://one-more.example".into());
        let problems = check_frame_origins(&too_many).err().unwrap_or_default();
        assert_eq!(
            codes(&problems),
            [("frame_origins", "too_many_frame_origins")]
        );
        assert_eq!(
            problems[0].message,
            "21 frame origins given; at most 20 are allowed"
        );
    }

    #[test]
    fn each_bad_frame_origin_is_named() {
        let problems = check_frame_origins(&[
            "https://ok.example",
            "https://shop.example/chat",
            "*.shop.example",
        ])
        .err()
        .unwrap_or_default();
        assert_eq!(
            codes(&problems),
            [
                ("frame_origins", "invalid_frame_origin"),
                ("frame_origins", "invalid_frame_origin")
            ]
        );
        assert_eq!(problems[0].values, ["https://shop.example/chat"]);
        assert_eq!(
            problems[0].message,
            "\"https://shop.example/chat\" is not an origin: it must be only \
             scheme://host[:port], without a path, query, fragment or user name"
        );
        assert_eq!(problems[1].values, ["*.shop.example"]);
        assert_eq!(
            problems[1].message,
            "\"*.shop.example\" is not an origin: it must start with http:// or https://"
        );
    }
}
