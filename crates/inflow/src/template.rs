//! The consultation-info URL template (R1.6): `https://crm.example.com/view?id=[site_uid]`.
//!
//! A template is validated once, when a site saves it (an unknown variable is refused, naming
//! it), and rendered for every room an agent opens, with each value percent-encoded.

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
        let mut pieces = Vec::new();
        let mut unknown = Vec::new();
        let mut in_host = false;
        let mut text = String::new();
        let mut rest = source;
        while let Some(open) = rest.find('[') {
            let after = &rest[open + 1..];
            match after.find(']') {
                Some(close) if is_identifier(&after[..close]) => {
                    if source.len() - rest.len() + open < authority_end {
                        in_host = true;
                    }
                    text.push_str(&rest[..open]);
                    let name = &after[..close];
                    match Var::all().find(|v| v.name() == name) {
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
                    rest = &after[close + 1..];
                }
                _ => {
                    text.push_str(&rest[..=open]);
                    rest = after;
                }
            }
        }
        text.push_str(rest);
        if !text.is_empty() {
            pieces.push(Piece::Text(text));
        }
        if !unknown.is_empty() {
            return Err(TemplateError::UnknownVariables(unknown));
        }
        if in_host {
            return Err(TemplateError::VariableInHost);
        }
        Ok(Template {
            source: source.to_owned(),
            pieces,
        })
    }

    /// The template as saved.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The variables used, in order of first use.
    pub fn variables(&self) -> Vec<Var> {
        let mut vars = Vec::new();
        for p in &self.pieces {
            if let Piece::Var(v) = p
                && !vars.contains(v)
            {
                vars.push(*v);
            }
        }
        vars
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
}
