//! Reading a chat URL: the rules of R1.1–R1.4 as one pass over the parameters.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::channel::Channel;
use crate::decode::{Charset, Plus, decode};
use crate::fields::{Custom, Fields, Inflow};
use crate::param::{Field, Known, Slot, classify};
use crate::settings::Settings;
use crate::syntax::{naver_parts, query_parts, repair_mangling, segments, split_pair};
use crate::warning::{Warning, WarningCode, excerpt};

/// Reads a chat URL of `channel` into an [`Inflow`].
///
/// Never fails: whatever cannot be used becomes a [`Warning`], and parameters Sangdam does not
/// know are kept in `extra`.
pub fn parse(channel: Channel, url: &str, settings: &Settings) -> Inflow {
    let mut c = Collector::new(channel, settings);
    let url = repair_mangling(url, channel, &mut c.warnings);
    let parts = match channel {
        Channel::Naver => naver_parts(&url),
        _ => query_parts(&url),
    };
    if let Some(query) = parts.query {
        c.query(query);
    }
    if let Some(pipes) = parts.pipes {
        c.pipes(pipes);
    }
    if let Some(fragment) = parts.fragment.filter(|f| f.contains('=')) {
        c.warnings.push(Warning::new(
            "#",
            WarningCode::Ignored,
            format!(
                "the text after '#' ({}) is a fragment, which browsers never send to a server; \
                 parameters in it were not read",
                excerpt(fragment)
            ),
        ));
    }
    c.finish()
}

/// Reads only a parameter section, without a base URL: Naver's `a=1|b=2` (as in the webhook's
/// `options.from`), a query string for `kakao`/`webchat_v1`, and for `webchat_v2` either a
/// query string holding `params=` or the bare `params` list itself.
pub fn parse_params(channel: Channel, section: &str, settings: &Settings) -> Inflow {
    let mut c = Collector::new(channel, settings);
    let section = repair_mangling(section, channel, &mut c.warnings);
    match channel {
        Channel::Naver => c.pipes(&section),
        Channel::WebchatV2
            if !section
                .split('&')
                .any(|s| split_pair(s).0.trim() == "params") =>
        {
            c.v2_list(&section)
        }
        _ => c.query(&section),
    }
    c.finish()
}

/// Reads parameters that arrive already split and decoded (a Kakao skill request's
/// `action.params`, a JSON body) by the same rules, without any URL syntax.
pub fn parse_pairs<'p>(
    channel: Channel,
    pairs: impl IntoIterator<Item = (&'p str, &'p str)>,
    settings: &Settings,
) -> Inflow {
    let mut c = Collector::new(channel, settings);
    for (name, value) in pairs {
        c.push(Cow::Borrowed(name), Cow::Borrowed(value), Charset::Utf8);
    }
    c.finish()
}

/// A parameter value waiting for the end of the URL (the last occurrence wins).
#[derive(Debug)]
struct Pending<'a> {
    /// The name as written, for warnings.
    param: Cow<'a, str>,
    value: Cow<'a, str>,
}

struct Collector<'a, 's> {
    channel: Channel,
    settings: &'s Settings,
    fields: [Option<Pending<'a>>; Field::ALL.len()],
    custom: [Option<Pending<'a>>; Slot::COUNT],
    is_login: Option<Pending<'a>>,
    uid: Option<Pending<'a>>,
    extra: BTreeMap<String, String>,
    warnings: Vec<Warning>,
}

impl<'a, 's> Collector<'a, 's> {
    fn new(channel: Channel, settings: &'s Settings) -> Self {
        Collector {
            channel,
            settings,
            fields: Default::default(),
            custom: Default::default(),
            is_login: None,
            uid: None,
            extra: BTreeMap::new(),
            warnings: Vec::new(),
        }
    }

    /// `a=1&b=2`, form style: `+` is a space.
    fn query(&mut self, query: &'a str) {
        for segment in segments(query, '&') {
            let (name, value) = split_pair(segment);
            let (name, _) = decode(name, Plus::Space);
            let name = self.unescape_amp(name);
            if self.channel == Channel::WebchatV2
                && classify(name.trim_ascii(), self.channel) == Known::Params
            {
                self.v2_params(value);
            } else {
                let (value, charset) = decode(value, Plus::Space);
                self.push(name, value, charset);
            }
        }
    }

    /// Naver's `a=1|b=2`: percent-encoded, `+` is itself.
    fn pipes(&mut self, pipes: &'a str) {
        for segment in segments(pipes, '|') {
            let (name, value) = split_pair(segment);
            let (name, _) = decode(name, Plus::Literal);
            let name = self.unescape_amp(name);
            let (value, charset) = decode(value, Plus::Literal);
            self.push(name, value, charset);
        }
    }

    /// The raw value of v2's `params` query parameter. It may have been percent-encoded as a
    /// whole (`site_uid%3D('a')%2C…`): then it is decoded once before being read as a list.
    fn v2_params(&mut self, raw: &'a str) {
        let wholly_encoded = !raw.contains('=') && (raw.contains("%3D") || raw.contains("%3d"));
        if wholly_encoded {
            let (list, charset) = decode(raw, Plus::Space);
            self.charset_warning("params", charset);
            if charset == Charset::Lossy {
                return;
            }
            for item in v2_items(&list, Plus::Literal) {
                match item {
                    V2Item::Pair(name, value, charset) => self.push(
                        Cow::Owned(name.into_owned()),
                        Cow::Owned(value.into_owned()),
                        charset,
                    ),
                    V2Item::Problem(w) => self.warnings.push(w),
                }
            }
        } else {
            self.v2_list(raw);
        }
    }

    /// A `params` list as written (not wholly encoded).
    fn v2_list(&mut self, list: &'a str) {
        for item in v2_items(list, Plus::Space) {
            match item {
                V2Item::Pair(name, value, charset) => self.push(name, value, charset),
                V2Item::Problem(w) => self.warnings.push(w),
            }
        }
    }

    fn charset_warning(&mut self, param: &str, charset: Charset) {
        match charset {
            Charset::Utf8 => {}
            Charset::Cp949 => self.warnings.push(Warning::new(
                param,
                WarningCode::LegacyEncoding,
                "the value was not UTF-8 but CP949/EUC-KR (as old Internet Explorer sends it) \
                 and was decoded as such; percent-encode values as UTF-8",
            )),
            Charset::Lossy => self.warnings.push(Warning::new(
                param,
                WarningCode::Invalid,
                "the value's bytes are neither UTF-8 nor CP949; it was not stored",
            )),
        }
    }

    /// `&amp;name=` is an HTML-escaped separator (copied from a page's source): the name is
    /// `name`.
    fn unescape_amp(&mut self, name: Cow<'a, str>) -> Cow<'a, str> {
        match name.strip_prefix("amp;") {
            Some(stripped) => {
                let stripped = stripped.to_owned();
                self.warnings.push(Warning::new(
                    stripped.clone(),
                    WarningCode::MangledSeparator,
                    format!(
                        "\"&amp;{stripped}\" is an HTML-escaped separator; read as \"&{stripped}\""
                    ),
                ));
                Cow::Owned(stripped)
            }
            None => name,
        }
    }

    fn push(&mut self, name: Cow<'a, str>, value: Cow<'a, str>, charset: Charset) {
        let trimmed_name = name.trim_ascii();
        let known = classify(trimmed_name, self.channel);
        self.charset_warning(trimmed_name, charset);
        if charset == Charset::Lossy {
            return;
        }
        let slot = match known {
            Known::Field(f) => &mut self.fields[f as usize],
            Known::Custom(s) => &mut self.custom[s.index()],
            Known::IsLogin { misspelled } => {
                if misspelled {
                    self.warnings.push(Warning::new(
                        trimmed_name,
                        WarningCode::Misspelled,
                        "\"in_login\" (the help page's misspelling) was read as \"is_login\"",
                    ));
                }
                &mut self.is_login
            }
            Known::Uid => &mut self.uid,
            Known::ReadOnly => {
                if !value.is_empty() {
                    self.warnings.push(Warning::new(
                        trimmed_name,
                        WarningCode::ReadOnly,
                        format!(
                            "{trimmed_name} is output only (it comes from the category settings); \
                             the value {} was not used",
                            excerpt(&value)
                        ),
                    ));
                }
                return;
            }
            Known::Params => {
                // `params` outside v2's query (e.g. nested in its own list): keep it visible.
                self.keep_extra(trimmed_name, &value);
                return;
            }
            Known::Extra => {
                if !trimmed_name.is_empty() || !value.is_empty() {
                    self.keep_extra(trimmed_name, &value);
                }
                return;
            }
        };
        let param = if trimmed_name.len() == name.len() {
            name
        } else {
            Cow::Owned(trimmed_name.to_owned())
        };
        if let Some(earlier) = slot.replace(Pending { param, value }) {
            let later = slot.as_ref().map_or("", |p| p.param.as_ref());
            self.warnings.push(Warning::new(
                later,
                WarningCode::Duplicate,
                format!(
                    "given more than once; the last value wins ({}={} was ignored)",
                    earlier.param,
                    excerpt(&earlier.value)
                ),
            ));
        }
    }

    fn keep_extra(&mut self, name: &str, value: &str) {
        if let Some(earlier) = self.extra.insert(name.to_owned(), value.to_owned()) {
            self.warnings.push(Warning::new(
                name,
                WarningCode::Duplicate,
                format!(
                    "given more than once; the last value wins ({} was ignored)",
                    excerpt(&earlier)
                ),
            ));
        }
    }

    /// v1's login flag: the ID is written `uid` and honoured only with `is_login=Y`.
    fn resolve_v1_identity(&mut self) {
        let logged_in = match self.is_login.take() {
            None => None,
            Some(p) => match p.value.trim() {
                v if v.eq_ignore_ascii_case("y") => Some(true),
                v if v.eq_ignore_ascii_case("n") => Some(false),
                "" => None,
                other => {
                    self.warnings.push(Warning::new(
                        p.param.as_ref(),
                        WarningCode::Invalid,
                        format!("expected Y or N, got {}", excerpt(other)),
                    ));
                    None
                }
            },
        };
        let Some(uid) = self.uid.take() else { return };
        if uid.value.is_empty() && logged_in != Some(true) {
            // `is_login=N&uid=` is how the help page says "no ID".
            return;
        }
        if logged_in != Some(true) {
            let why = if logged_in == Some(false) {
                "is_login=N"
            } else {
                "no is_login=Y"
            };
            self.warnings.push(Warning::new(
                uid.param.as_ref(),
                WarningCode::Ignored,
                format!(
                    "uid is honoured only with is_login=Y; with {why} the value {} was ignored",
                    excerpt(&uid.value)
                ),
            ));
            return;
        }
        // An unusable uid (empty, a sentinel, a placeholder) is absent: it is reported and
        // cannot override a real site_uid.
        let trimmed = uid.value.trim();
        if self.settings.is_sentinel(trimmed) || is_placeholder(trimmed, self.settings) {
            let judged = judge_field(Field::SiteUid, &uid.param, uid.value, self.settings);
            self.warnings.extend(judged.warning);
            return;
        }
        let site_uid = &mut self.fields[Field::SiteUid as usize];
        if let Some(other) = site_uid.as_ref().filter(|s| s.value != uid.value) {
            self.warnings.push(Warning::new(
                other.param.as_ref(),
                WarningCode::Ignored,
                format!(
                    "both site_uid and uid with is_login=Y were given; the logged-in uid wins \
                     and site_uid={} was ignored",
                    excerpt(&other.value)
                ),
            ));
        }
        *site_uid = Some(uid);
    }

    fn finish(mut self) -> Inflow {
        if self.channel == Channel::WebchatV1 {
            self.resolve_v1_identity();
        }
        let mut fields = Fields::default();
        for field in Field::ALL {
            let Some(p) = self.fields[field as usize].take() else {
                continue;
            };
            let judged = judge_field(field, &p.param, p.value, self.settings);
            self.warnings.extend(judged.warning);
            match (field, judged.value) {
                (_, None) => {}
                (Field::SiteUid, Some(Accepted::Text(v))) => fields.site_uid = Some(v),
                (Field::Name, Some(Accepted::Text(v))) => fields.name = Some(v),
                (Field::Phone, Some(Accepted::Text(v))) => fields.phone = Some(v),
                (Field::Email, Some(Accepted::Text(v))) => fields.email = Some(v),
                (Field::UserParameter, Some(Accepted::Text(v))) => fields.user_parameter = Some(v),
                (Field::SiteUidHash, Some(Accepted::Text(v))) => fields.site_uid_hash = Some(v),
                (Field::CategoryId, Some(Accepted::Number(n))) => fields.category_id = Some(n),
                (Field::DivisionId, Some(Accepted::Number(n))) => fields.division_id = Some(n),
                (Field::BotStart, Some(Accepted::Bool(b))) => fields.bot_start = Some(b),
                // judge_field returns the kind matching the field; nothing else can arrive.
                (_, Some(_)) => {}
            }
        }
        let mut custom = Custom::new();
        for slot in Slot::all() {
            let Some(p) = self.custom[slot.index()].take() else {
                continue;
            };
            let judged = judge_custom(slot, &p.param, p.value, self.settings);
            self.warnings.extend(judged.warning);
            if let Some(Accepted::Text(v)) = judged.value {
                custom.insert(slot, v);
            }
        }
        Inflow {
            channel: self.channel,
            fields,
            custom,
            extra: self.extra,
            warnings: self.warnings,
        }
    }
}

/// The items of a `params` list as written (`name`, `name=('value')`), for the builder to keep
/// the ones it does not replace exactly as they were.
pub(crate) fn v2_raw_items(list: &str) -> Vec<(String, &str)> {
    let mut items = v2_items(list, Plus::Space);
    let mut out = Vec::new();
    loop {
        let start = items
            .rest
            .trim_start_matches(|c: char| c == ',' || c.is_ascii_whitespace());
        let Some(item) = items.next() else { break };
        let raw = start[..start.len() - items.rest.len()].trim_end();
        let name = match item {
            V2Item::Pair(name, ..) => name.into_owned(),
            V2Item::Problem(w) => w.param,
        };
        out.push((name, raw));
    }
    out
}

/// One item of v2's `params` list, or a problem met while reading it.
enum V2Item<'l> {
    Pair(Cow<'l, str>, Cow<'l, str>, Charset),
    Problem(Warning),
}

/// Reads v2's `name=('value'),name=value,…` lazily. Inside `('…')` commas and `=` belong to
/// the value; the quote ends at a `')` followed by a comma or the end of the list.
struct V2Items<'l> {
    rest: &'l str,
    plus: Plus,
}

fn v2_items(list: &str, plus: Plus) -> V2Items<'_> {
    V2Items { rest: list, plus }
}

impl<'l> Iterator for V2Items<'l> {
    type Item = V2Item<'l>;

    fn next(&mut self) -> Option<V2Item<'l>> {
        let rest = self
            .rest
            .trim_start_matches(|c: char| c == ',' || c.is_ascii_whitespace());
        if rest.is_empty() {
            self.rest = rest;
            return None;
        }
        // memchr rather than `str::find` with a char set: this runs for every item.
        let name_end = memchr::memchr2(b'=', b',', rest.as_bytes()).unwrap_or(rest.len());
        let name = rest[..name_end].trim_ascii();
        if rest.as_bytes().get(name_end) != Some(&b'=') {
            // An item without `=`: a name with no value.
            self.rest = &rest[name_end..];
            return Some(V2Item::Pair(
                decode(name, self.plus).0,
                Cow::Borrowed(""),
                Charset::Utf8,
            ));
        }
        let after_eq = rest[name_end + 1..].trim_start();
        let (raw_value, next) = match quoted(after_eq) {
            Some(Quoted::Closed { value, rest }) => (value, rest),
            Some(Quoted::Unterminated { value, rest }) => {
                // Refused rather than guessed: a broken quote around an ID must not produce a
                // wrong ID, and must not swallow the items after it.
                self.rest = rest;
                return Some(V2Item::Problem(Warning::new(
                    name,
                    WarningCode::Invalid,
                    format!(
                        "the ('…') quote is not closed; the value {} was not stored",
                        excerpt(value)
                    ),
                )));
            }
            None => {
                let end = memchr::memchr(b',', after_eq.as_bytes()).unwrap_or(after_eq.len());
                (after_eq[..end].trim_end(), &after_eq[end..])
            }
        };
        self.rest = next;
        let (value, charset) = decode(raw_value, self.plus);
        Some(V2Item::Pair(decode(name, self.plus).0, value, charset))
    }
}

enum Quoted<'a> {
    Closed {
        value: &'a str,
        rest: &'a str,
    },
    /// No closing quote: the value runs to the next comma, where reading resumes.
    Unterminated {
        value: &'a str,
        rest: &'a str,
    },
}

/// A `('…')` (or `("…")`) quoted value at the start of `s`.
fn quoted(s: &str) -> Option<Quoted<'_>> {
    let quote = opening_quote(s)?;
    let body = &s[1 + quote.len()..];
    let bytes = body.as_bytes();
    let mut from = 0;
    while let Some(pos) = memchr::memchr(quote.as_bytes()[0], &bytes[from..]) {
        let end = from + pos;
        let tail = &bytes[end..];
        let closes = tail.len() > quote.len()
            && tail[..quote.len()].eq_ignore_ascii_case(quote.as_bytes())
            && tail[quote.len()] == b')';
        if closes {
            let after = body[end + quote.len() + 1..].trim_start();
            if after.is_empty() || after.starts_with(',') {
                // A quote that seems to close here but contains `,name=('` was left open: the
                // next item starts there (a value Sangdam builds never contains a raw `('`).
                if let Some(comma) = next_quoted_item(&body[..end]) {
                    return Some(Quoted::Unterminated {
                        value: &body[..comma],
                        rest: &body[comma..],
                    });
                }
                return Some(Quoted::Closed {
                    value: &body[..end],
                    rest: after,
                });
            }
        }
        from = end + 1;
    }
    let end = body.find(',').unwrap_or(body.len());
    Some(Quoted::Unterminated {
        value: &body[..end],
        rest: &body[end..],
    })
}

/// The quote after a `(` that opens a quoted value: `'` or `"`, or their percent-encoded forms
/// `%27`/`%22` (browsers encode `'` in a query, so a link written `('abc')` arrives as
/// `(%27abc%27)`). A value Sangdam builds never starts with `(` unencoded.
fn opening_quote(s: &str) -> Option<&'static str> {
    let rest = s.strip_prefix('(')?.as_bytes();
    ["'", "\"", "%27", "%22"].into_iter().find(|q| {
        rest.get(..q.len())
            .is_some_and(|b| b.eq_ignore_ascii_case(q.as_bytes()))
    })
}

/// The position of a `,` that starts another quoted item (`, name=('`), if any.
fn next_quoted_item(body: &str) -> Option<usize> {
    let bytes = body.as_bytes();
    memchr::memchr_iter(b',', bytes).find(|&comma| {
        let after = body[comma + 1..].trim_start();
        let name_len = after
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        name_len > 0 && {
            let rest = after[name_len..].trim_start();
            rest.strip_prefix('=')
                .map(str::trim_start)
                .is_some_and(|v| opening_quote(v).is_some())
        }
    })
}

/// A value as it will be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Accepted {
    Text(String),
    Number(u64),
    Bool(bool),
}

/// The verdict on one value: what is stored (if anything) and what is reported (if anything).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Judgement {
    pub value: Option<Accepted>,
    pub warning: Option<Warning>,
}

impl Judgement {
    fn absent() -> Self {
        Judgement {
            value: None,
            warning: None,
        }
    }
    fn accept(value: Accepted) -> Self {
        Judgement {
            value: Some(value),
            warning: None,
        }
    }
    fn refuse(param: &str, code: WarningCode, detail: impl Into<String>) -> Self {
        Judgement {
            value: None,
            warning: Some(Warning::new(param, code, detail)),
        }
    }
}

/// The rules of R1.1/R1.4 for one fixed field. Shared by the parser and the builder, so a URL
/// Sangdam builds is always read back as it was meant.
pub(crate) fn judge_field(
    field: Field,
    param: &str,
    value: Cow<'_, str>,
    settings: &Settings,
) -> Judgement {
    let trimmed = value.trim();
    if field == Field::SiteUid {
        if settings.is_sentinel(trimmed) {
            let detail = if trimmed.is_empty() {
                "empty ID: the customer is treated as having no ID".to_owned()
            } else {
                format!(
                    "{} stands for \"no ID\"; treated as absent so that anonymous customers are \
                     not merged into one profile",
                    excerpt(&value)
                )
            };
            return Judgement::refuse(param, WarningCode::Sentinel, detail);
        }
    } else if trimmed.is_empty() {
        return Judgement::absent();
    }
    if is_placeholder(trimmed, settings) {
        return Judgement::refuse(
            param,
            WarningCode::Placeholder,
            format!(
                "{} is an unfilled placeholder, not a value; treated as absent",
                excerpt(&value)
            ),
        );
    }
    match field {
        Field::CategoryId | Field::DivisionId => {
            if value.len() <= 11 && value.bytes().all(|b| b.is_ascii_digit()) {
                match value.parse::<u64>() {
                    Ok(n) => Judgement::accept(Accepted::Number(n)),
                    Err(_) => invalid_integer(param, &value),
                }
            } else {
                invalid_integer(param, &value)
            }
        }
        Field::BotStart => {
            if value.eq_ignore_ascii_case("true") {
                Judgement::accept(Accepted::Bool(true))
            } else if value.eq_ignore_ascii_case("false") {
                Judgement::accept(Accepted::Bool(false))
            } else {
                Judgement::refuse(
                    param,
                    WarningCode::Invalid,
                    format!("expected true or false, got {}", excerpt(&value)),
                )
            }
        }
        Field::SiteUidHash => {
            if value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
                Judgement::accept(Accepted::Text(value.to_ascii_lowercase()))
            } else {
                Judgement::refuse(
                    param,
                    WarningCode::Invalid,
                    "expected 64 hexadecimal characters (HMAC-SHA256 of site_uid)",
                )
            }
        }
        Field::SiteUid => {
            let max = 255;
            if value.chars().nth(max).is_some() {
                Judgement::refuse(
                    param,
                    WarningCode::TooLong,
                    format!(
                        "{} characters, more than the {max} allowed; an ID is never cut (a cut \
                         ID could link the wrong customer), so it was not used",
                        value.chars().count()
                    ),
                )
            } else {
                Judgement::accept(Accepted::Text(value.into_owned()))
            }
        }
        Field::Name | Field::Phone | Field::Email | Field::UserParameter => {
            let max = field.max_chars().unwrap_or(usize::MAX);
            let (kept, warning) = cut(param, value, max);
            let cut_note = if warning.is_some() {
                " (after cutting it to the limit)"
            } else {
                ""
            };
            if field == Field::Email && !crate::is_email(&kept) {
                return Judgement::refuse(
                    param,
                    WarningCode::Invalid,
                    format!(
                        "{} is not one address of the form local@domain{cut_note}; not stored",
                        excerpt(&kept)
                    ),
                );
            }
            Judgement {
                value: Some(Accepted::Text(kept)),
                warning,
            }
        }
    }
}

/// The rules of R1.2 for one custom slot.
pub(crate) fn judge_custom(
    slot: Slot,
    param: &str,
    value: Cow<'_, str>,
    settings: &Settings,
) -> Judgement {
    if value.trim().is_empty() {
        return Judgement::absent();
    }
    if !settings.is_enabled(slot) {
        return Judgement::refuse(
            param,
            WarningCode::NotEnabled,
            format!(
                "{slot} is not enabled for this site; the value {} was not stored",
                excerpt(&value)
            ),
        );
    }
    if is_placeholder(value.trim(), settings) {
        return Judgement::refuse(
            param,
            WarningCode::Placeholder,
            format!(
                "{} is an unfilled placeholder, not a value; treated as absent",
                excerpt(&value)
            ),
        );
    }
    let (kept, warning) = cut(param, value, Slot::MAX_CHARS);
    Judgement {
        value: Some(Accepted::Text(kept)),
        warning,
    }
}

fn invalid_integer(param: &str, value: &str) -> Judgement {
    Judgement::refuse(
        param,
        WarningCode::Invalid,
        format!(
            "expected a non-negative integer of at most 11 digits, got {}",
            excerpt(value)
        ),
    )
}

/// Cuts `value` to `max` characters, reporting the cut.
fn cut(param: &str, value: Cow<'_, str>, max: usize) -> (String, Option<Warning>) {
    match value.char_indices().nth(max) {
        None => (value.into_owned(), None),
        Some((at, _)) => {
            let warning = Warning::new(
                param,
                WarningCode::Truncated,
                format!(
                    "{} characters, cut to the {max} allowed",
                    value.chars().count()
                ),
            );
            let mut kept = value.into_owned();
            kept.truncate(at);
            (kept, Some(warning))
        }
    }
}

/// Template markers an integrator forgot to fill: `{고객ID}`, `('고객ID')`, `[site_uid]`,
/// `{{id}}`, `<id>`, `${id}`, or the help page's own labels (`고객ID`) and the site's slot
/// descriptions written as values.
pub(crate) fn is_placeholder(trimmed: &str, settings: &Settings) -> bool {
    const WRAPPERS: [(&str, &str); 6] = [
        ("{", "}"),
        ("[", "]"),
        ("<", ">"),
        ("('", "')"),
        ("(\"", "\")"),
        ("${", "}"),
    ];
    let wrapped = WRAPPERS.iter().any(|(open, close)| {
        trimmed.len() >= open.len() + close.len()
            && trimmed.starts_with(open)
            && trimmed.ends_with(close)
    });
    if wrapped {
        return true;
    }
    Field::ALL.iter().any(|f| f.placeholder_label() == trimmed)
        || settings.slots.iter().any(|s| {
            // Lengths first: trimming every description for every value is the parser's
            // most expensive step otherwise.
            let d = s.description.as_str();
            d.len() >= trimmed.len() && d.len() <= trimmed.len() + 16 && d.trim() == trimmed
        })
}
