//! The site's templates with `[variables]`: the consultation-info URL (R1.6,
//! `https://crm.example.com/view?id=[site_uid]`) and the title message a consultation opens
//! with (R3.2, `[[category_name]/[division_name]] 상담이 접수되었습니다`).
//!
//! A template is validated once, when a site saves it (an unknown variable is refused, naming
//! it), and rendered each time it is used: a URL with each value percent-encoded, a title with
//! the values as they are. Both read `[name]` as a variable when `name` is an identifier, and
//! any other bracket as text, so `[[category_name]]` renders the name in brackets.

use std::fmt;
use std::str::FromStr;

use percent_encoding::utf8_percent_encode;

use crate::build::VALUE;

use crate::param::Slot;

/// A variable a template may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Var {
    SiteUid,
    CusExtraUsername,
    CusExtraPhone,
    CusExtraEmail,
    UserParameter,
    CategoryId,
    DivisionId,
    CategoryName,
    DivisionName,
    BotStart,
    Custom(Slot),
    RoomId,
    ConsultationId,
    CustomerKey,
    Channel,
    AgentId,
}

impl Var {
    /// Every variable, in the order they are documented.
    pub fn all() -> impl Iterator<Item = Var> {
        const FIXED: [Var; 10] = [
            Var::SiteUid,
            Var::CusExtraUsername,
            Var::CusExtraPhone,
            Var::CusExtraEmail,
            Var::UserParameter,
            Var::CategoryId,
            Var::DivisionId,
            Var::CategoryName,
            Var::DivisionName,
            Var::BotStart,
        ];
        const ROOM: [Var; 5] = [
            Var::RoomId,
            Var::ConsultationId,
            Var::CustomerKey,
            Var::Channel,
            Var::AgentId,
        ];
        FIXED
            .into_iter()
            .chain(Slot::all().map(Var::Custom))
            .chain(ROOM)
    }

    /// The variables a title message may use: what a customer may read back in their own
    /// chat (the classification, the consultation's number, and the values their own inflows
    /// brought), never the profile's or the site's internals (an ID, a phone number, a room's
    /// key, an agent).
    pub fn title() -> impl Iterator<Item = Var> {
        const FIXED: [Var; 6] = [
            Var::CategoryName,
            Var::DivisionName,
            Var::CategoryId,
            Var::DivisionId,
            Var::CusExtraUsername,
            Var::UserParameter,
        ];
        FIXED
            .into_iter()
            .chain(Slot::all().map(Var::Custom))
            .chain([Var::ConsultationId])
    }

    pub fn name(self) -> &'static str {
        match self {
            Var::SiteUid => "site_uid",
            Var::CusExtraUsername => "cus_extra_username",
            Var::CusExtraPhone => "cus_extra_phone",
            Var::CusExtraEmail => "cus_extra_email",
            Var::UserParameter => "user_parameter",
            Var::CategoryId => "category_id",
            Var::DivisionId => "division_id",
            Var::CategoryName => "category_name",
            Var::DivisionName => "division_name",
            Var::BotStart => "bot_start",
            Var::Custom(s) => s.name(),
            Var::RoomId => "room_id",
            Var::ConsultationId => "consultation_id",
            Var::CustomerKey => "customer_key",
            Var::Channel => "channel",
            Var::AgentId => "agent_id",
        }
    }
}

impl fmt::Display for Var {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Var {
    type Err = TemplateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Var::all()
            .find(|v| v.name() == s)
            .ok_or_else(|| TemplateError::UnknownVariables(vec![s.to_owned()]))
    }
}

/// Why a template was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("unknown template variable{}: {}", if .0.len() == 1 { "" } else { "s" }, .0.iter().map(|v| format!("[{v}]")).collect::<Vec<_>>().join(", "))]
    UnknownVariables(Vec<String>),
    #[error("a consultation-info URL must start with http:// or https://")]
    NotHttp,
    /// A variable in the scheme or host: customer input could choose where the link leads.
    #[error("variables may appear only in the path, query and fragment, never in the host")]
    VariableInHost,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Var(Var),
}

/// A validated consultation-info URL template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    source: String,
    pieces: Vec<Piece>,
}

/// `[name]` is a variable when `name` is an identifier; other brackets (an IPv6 host such as
/// `[::1]`) are text.
fn is_identifier(s: &str) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// One piece of a bracket template's source (see [`segments`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'a> {
    /// Text as written, brackets that are no variable included.
    Text(&'a str),
    /// The name inside `[name]`, an identifier.
    Name(&'a str),
}

/// Splits a template's source into text and `[name]`s: the one reading of the bracket syntax
/// every Sangdam template shares (URL and title templates here, the automatic messages in
/// core). `[name]` is a name when `name` is an identifier; any other bracket is text, so
/// `[[category_name]]` is the name between two bracket characters. Concatenating the text and
/// the names in brackets gives back the source.
pub fn segments(source: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut text_start = 0;
    let mut at = 0;
    while let Some(open) = source[at..].find('[').map(|i| at + i) {
        let after = open + 1;
        match source[after..].find(']') {
            Some(len) if is_identifier(&source[after..after + len]) => {
                if text_start < open {
                    out.push(Segment::Text(&source[text_start..open]));
                }
                out.push(Segment::Name(&source[after..after + len]));
                at = after + len + 1;
                text_start = at;
            }
            _ => at = after,
        }
    }
    if text_start < source.len() {
        out.push(Segment::Text(&source[text_start..]));
    }
    out
}

/// What [`scan`] found in a template's source.
struct Scanned {
    pieces: Vec<Piece>,
    /// Names in brackets that are no variable the template allows, once each, in order.
    unknown: Vec<String>,
    /// Where (byte offset in the source) the first variable starts.
    first_var: Option<usize>,
}

/// Splits `source` into text and the variables `allowed` takes.
fn scan(source: &str, allowed: impl Fn(Var) -> bool) -> Scanned {
    let mut pieces = Vec::new();
    let mut unknown = Vec::new();
    let mut first_var = None;
    let mut text = String::new();
    let mut offset = 0;
    for segment in segments(source) {
        match segment {
            Segment::Text(t) => {
                text.push_str(t);
                offset += t.len();
            }
            Segment::Name(name) => {
                first_var.get_or_insert(offset);
                offset += name.len() + 2;
                match Var::all().find(|v| v.name() == name && allowed(*v)) {
                    Some(var) => {
                        if !text.is_empty() {
                            pieces.push(Piece::Text(std::mem::take(&mut text)));
                        }
                        pieces.push(Piece::Var(var));
                    }
                    None => {
                        if !unknown.iter().any(|u| u == name) {
                            unknown.push(name.to_owned());
                        }
                    }
                }
            }
        }
    }
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    Scanned {
        pieces,
        unknown,
        first_var,
    }
}

/// The variables used by `pieces`, in order of first use.
fn variables(pieces: &[Piece]) -> Vec<Var> {
    let mut vars = Vec::new();
    for p in pieces {
        if let Piece::Var(v) = p
            && !vars.contains(v)
        {
            vars.push(*v);
        }
    }
    vars
}

impl Template {
    /// Validates a template. Every unknown variable is named in the error.
    pub fn parse(source: &str) -> Result<Template, TemplateError> {
        let source = source.trim();
        let lower = source.get(..8).unwrap_or(source).to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            return Err(TemplateError::NotHttp);
        }
        // Where the host (and port) ends: the first `/`, `?` or `#` after `://`. Everything
        // before is fixed when the template is saved, so a value a customer brings can never
        // choose the site the agent's link opens.
        let authority_end = source
            .find("://")
            .map(|i| i + 3)
            .and_then(|start| source[start..].find(['/', '?', '#']).map(|e| start + e))
            .unwrap_or(source.len());
        let scanned = scan(source, |_| true);
        if !scanned.unknown.is_empty() {
            return Err(TemplateError::UnknownVariables(scanned.unknown));
        }
        if scanned.first_var.is_some_and(|at| at < authority_end) {
            return Err(TemplateError::VariableInHost);
        }
        Ok(Template {
            source: source.to_owned(),
            pieces: scanned.pieces,
        })
    }

    /// The template as saved.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The variables used, in order of first use.
    pub fn variables(&self) -> Vec<Var> {
        variables(&self.pieces)
    }

    /// Renders the URL; `value` gives each variable's value (absent renders empty). Values are
    /// percent-encoded so they can never change the URL's structure.
    pub fn render<'v>(&self, value: impl Fn(Var) -> Option<&'v str>) -> String {
        let mut out = String::with_capacity(self.source.len() + 32);
        for p in &self.pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Var(v) => {
                    if let Some(s) = value(*v) {
                        out.extend(utf8_percent_encode(s, VALUE));
                    }
                }
            }
        }
        out
    }
}

impl FromStr for Template {
    type Err = TemplateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Template::parse(s)
    }
}

/// A validated title-message template (R3.2): plain text whose `[variables]` are among
/// [`Var::title`], rendered as the text a customer reads (values as they are, no encoding).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleTemplate {
    source: String,
    pieces: Vec<Piece>,
}

impl TitleTemplate {
    /// Validates a title template (trimmed). Every variable it may not use is named in the
    /// error, the known ones that do not belong in a title as much as the unknown ones.
    pub fn parse(source: &str) -> Result<TitleTemplate, TemplateError> {
        let source = source.trim();
        let scanned = scan(source, |v| Var::title().any(|t| t == v));
        if !scanned.unknown.is_empty() {
            return Err(TemplateError::UnknownVariables(scanned.unknown));
        }
        Ok(TitleTemplate {
            source: source.to_owned(),
            pieces: scanned.pieces,
        })
    }

    /// The template as saved.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The variables used, in order of first use.
    pub fn variables(&self) -> Vec<Var> {
        variables(&self.pieces)
    }

    /// The text; `value` gives each variable's value (absent renders empty).
    pub fn render<'v>(&self, value: impl Fn(Var) -> Option<&'v str>) -> String {
        let mut out = String::with_capacity(self.source.len() + 32);
        for p in &self.pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Var(v) => {
                    if let Some(s) = value(*v) {
                        out.push_str(s);
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_with_encoded_values() {
        let t = Template::parse(
            "https://crm.example.com/view?id=[site_uid]&src=[parameter1]&room=[room_id]",
        )
        .unwrap();
        let url = t.render(|v| match v {
            Var::SiteUid => Some("a&b=c"),
            Var::Custom(s) if s.number() == 1 => Some("네이버 검색"),
            Var::RoomId => Some("42"),
            _ => None,
        });
        assert_eq!(
            url,
            "https://crm.example.com/view?id=a%26b%3Dc&src=%EB%84%A4%EC%9D%B4%EB%B2%84%20%EA%B2%80%EC%83%89&room=42"
        );
    }

    #[test]
    fn absent_values_render_empty() {
        let t = Template::parse("https://x/?a=[agent_id]&c=[channel]").unwrap();
        assert_eq!(t.render(|_| None), "https://x/?a=&c=");
    }

    #[test]
    fn unknown_variables_are_named() {
        let err =
            Template::parse("https://x/?a=[site_uid]&b=[member_no]&c=[parameter11]&d=[member_no]")
                .unwrap_err();
        assert_eq!(
            err,
            TemplateError::UnknownVariables(vec!["member_no".into(), "parameter11".into()])
        );
        assert!(err.to_string().contains("[member_no]"));
    }

    #[test]
    fn brackets_that_are_not_identifiers_are_text() {
        let t = Template::parse("http://[::1]:8080/v?id=[site_uid]&x=[").unwrap();
        assert_eq!(t.variables(), vec![Var::SiteUid]);
        assert_eq!(t.render(|_| Some("u")), "http://[::1]:8080/v?id=u&x=[");
    }

    #[test]
    fn only_http_links() {
        assert_eq!(
            Template::parse("javascript:alert([site_uid])"),
            Err(TemplateError::NotHttp)
        );
        assert!(Template::parse("HTTPS://X/[room_id]").is_ok());
    }

    #[test]
    fn every_variable_is_accepted() {
        let all: String = Var::all().map(|v| format!("[{v}]")).collect();
        let t = Template::parse(&format!("https://x/{all}")).unwrap();
        assert_eq!(t.variables().len(), 25);
        for v in Var::all() {
            assert_eq!(v.name().parse::<Var>(), Ok(v));
        }
    }

    #[test]
    fn the_scheme_and_host_are_fixed() {
        for refused in [
            "https://[parameter1]/crm?id=[site_uid]",
            "https://crm.[parameter1].example/view",
            "https://crm.example:[parameter2]/view",
            "https://[site_uid]@crm.example/view",
            "https://crm.example[parameter1]",
            "https://crm.example?x=1"
                .replace("?x=1", "[parameter1]?x=1")
                .as_str(),
        ] {
            assert_eq!(
                Template::parse(refused),
                Err(TemplateError::VariableInHost),
                "{refused}"
            );
        }
        for accepted in [
            "https://crm.example/[parameter1]/view?id=[site_uid]#[room_id]",
            "https://crm.example?id=[site_uid]",
            "https://crm.example#[room_id]",
            "http://[::1]:8080/v?id=[site_uid]",
        ] {
            assert!(Template::parse(accepted).is_ok(), "{accepted}");
        }
        // Unknown variables are still named first.
        assert_eq!(
            Template::parse("https://[nope]/x"),
            Err(TemplateError::UnknownVariables(vec!["nope".into()]))
        );
    }

    #[test]
    fn a_title_renders_its_values_as_they_are() {
        let t = TitleTemplate::parse(" [[category_name]/[division_name]] 상담이 접수되었습니다 ")
            .unwrap();
        assert_eq!(
            t.as_str(),
            "[[category_name]/[division_name]] 상담이 접수되었습니다"
        );
        assert_eq!(t.variables(), [Var::CategoryName, Var::DivisionName]);
        let text = t.render(|v| match v {
            Var::CategoryName => Some("상품문의"),
            Var::DivisionName => Some("A&B <일반>"),
            _ => None,
        });
        assert_eq!(text, "[상품문의/A&B <일반>] 상담이 접수되었습니다");
        assert_eq!(t.render(|_| None), "[/] 상담이 접수되었습니다");
        // Brackets that are no variable, and text without any, are text.
        let plain = TitleTemplate::parse("[안내] 잠시만 기다려 주세요 [").unwrap();
        assert!(plain.variables().is_empty());
        assert_eq!(plain.render(|_| Some("x")), "[안내] 잠시만 기다려 주세요 [");
    }

    proptest::proptest! {
        /// Whatever the source: parsing never panics; what it accepts renders its text as
        /// written and each value verbatim, once per use, and nothing else.
        #[test]
        fn a_title_renders_exactly_its_text_and_values(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just("[category_name]".to_owned()),
                    proptest::strategy::Just("[consultation_id]".to_owned()),
                    proptest::strategy::Just("[site_uid]".to_owned()),
                    "[\\[\\]a-z_ 가-힣/]{0,6}",
                ],
                0..8,
            ),
            value in "\\PC{0,10}",
        ) {
            let source: String = parts.concat();
            if let Ok(t) = TitleTemplate::parse(&source) {
                let plain = t.render(|_| None);
                proptest::prop_assert_eq!(t.render(|_| Some("")), plain.clone());
                let uses = t.pieces.iter().filter(|p| matches!(p, Piece::Var(_))).count();
                let rendered = t.render(|_| Some(value.as_str()));
                proptest::prop_assert_eq!(
                    rendered.chars().count(),
                    plain.chars().count() + uses * value.chars().count()
                );
                if uses == 0 {
                    proptest::prop_assert_eq!(plain, source.trim());
                }
            }
        }
    }

    proptest::proptest! {
        /// The segments give back the source, and every name is an identifier.
        #[test]
        fn segments_rebuild_the_source(source in "[\\[\\]a-z_0-9 가-힣]{0,24}") {
            let mut rebuilt = String::new();
            for s in segments(&source) {
                match s {
                    Segment::Text(t) => rebuilt.push_str(t),
                    Segment::Name(n) => {
                        proptest::prop_assert!(is_identifier(n), "{}", n);
                        rebuilt.push('[');
                        rebuilt.push_str(n);
                        rebuilt.push(']');
                    }
                }
            }
            proptest::prop_assert_eq!(rebuilt, source);
        }
    }

    #[test]
    fn segments_read_identifiers_in_brackets_as_names() {
        assert_eq!(
            segments("[[category_name]] [x-y] [a] ["),
            [
                Segment::Text("["),
                Segment::Name("category_name"),
                Segment::Text("] [x-y] "),
                Segment::Name("a"),
                Segment::Text(" ["),
            ]
        );
        assert!(segments("").is_empty());
    }

    #[test]
    fn a_title_uses_only_what_the_customer_may_read() {
        let every: String = Var::title().map(|v| format!("[{v}]")).collect();
        let t = TitleTemplate::parse(&every).unwrap();
        assert_eq!(t.variables(), Var::title().collect::<Vec<_>>());
        assert_eq!(t.variables().len(), 17);
        // Known to the URL template, refused here, and named like unknown ones.
        assert_eq!(
            TitleTemplate::parse("[site_uid] [cus_extra_phone] [member] [room_id] [agent_id]"),
            Err(TemplateError::UnknownVariables(vec![
                "site_uid".into(),
                "cus_extra_phone".into(),
                "member".into(),
                "room_id".into(),
                "agent_id".into(),
            ]))
        );
        for v in Var::title() {
            assert!(Var::all().any(|a| a == v), "{v}");
        }
    }
}
