//! Canned replies (R3.6): texts agents insert instead of typing, shared by the site or kept by
//! one agent, found by a shortcut typed after `/` in the console, with variables filled in
//! for the consultation at hand.
//!
//! - A reply has a shortcut (one word: no spaces, control characters or `/`), a title
//!   and a body in the bracket syntax every Sangdam template shares (`[customer_name]`). Only
//!   [`CannedVar`]s may be used; a body naming another is refused on save, naming it.
//! - Shared replies are kept by the admin and managers; a personal one by its agent. A
//!   shortcut is unique (ignoring case) among the shared ones and among each agent's own; a
//!   personal reply may use a shared one's shortcut, and comes first when both match.
//! - [`search`] ranks what matches a query: exact shortcut, then shortcut prefix, then
//!   shortcut, title and body containing it.
//! - [`render`] fills the variables for a consultation. A variable without a value (a
//!   customer with no name) stays in brackets, so the agent sees it in the message box and
//!   fixes it before sending; the answer lists those left.

use serde::{Deserialize, Serialize};

use crate::error::CoreError;

/// Longest shortcut, in characters.
pub const MAX_SHORTCUT_CHARS: usize = 20;
/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 50;
/// Longest body, in characters: a chat message's limit.
pub const MAX_BODY_CHARS: usize = 4000;
/// Most shared replies a site keeps.
pub const MAX_SHARED: usize = 500;
/// Most personal replies one agent keeps.
pub const MAX_PERSONAL: usize = 200;

/// Whose a canned reply is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CannedScope {
    /// One agent's own; only they see and use it.
    Personal,
    /// The site's; every account sees it, the admin and managers keep it.
    Shared,
}

impl CannedScope {
    pub fn as_str(self) -> &'static str {
        match self {
            CannedScope::Personal => "personal",
            CannedScope::Shared => "shared",
        }
    }

    /// How many replies of this scope one owner (the site, an agent) keeps at most.
    pub fn limit(self) -> usize {
        match self {
            CannedScope::Personal => MAX_PERSONAL,
            CannedScope::Shared => MAX_SHARED,
        }
    }
}

/// A variable a canned reply may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CannedVar {
    /// The customer's name as their profile has it.
    CustomerName,
    /// The replying agent's display name.
    CounselorName,
}

impl CannedVar {
    pub const ALL: [CannedVar; 2] = [CannedVar::CustomerName, CannedVar::CounselorName];

    pub fn name(self) -> &'static str {
        match self {
            CannedVar::CustomerName => "customer_name",
            CannedVar::CounselorName => "counselor_name",
        }
    }
}

/// A canned reply's texts, checked and normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CannedText {
    pub shortcut: String,
    pub title: String,
    pub body: String,
}

/// Checks a canned reply: the shortcut (trimmed, without a leading `/`), the title (trimmed;
/// empty takes the body's first line) and the body (trimmed, known variables only, line
/// breaks made `\n`). Lengths are counted as given (a CR LF is two). The first problem is
/// answered, on its field.
pub fn check(shortcut: &str, title: &str, body: &str) -> Result<CannedText, CoreError> {
    let shortcut = shortcut.trim();
    let shortcut = shortcut.strip_prefix('/').unwrap_or(shortcut);
    let chars = shortcut.chars().count();
    if chars == 0 || chars > MAX_SHORTCUT_CHARS {
        return Err(CoreError::field(
            "shortcut",
            format!("a shortcut has 1 to {MAX_SHORTCUT_CHARS} characters; this one has {chars}"),
        ));
    }
    if shortcut
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '/')
    {
        return Err(CoreError::field(
            "shortcut",
            "a shortcut is one word: no spaces, control characters or /",
        ));
    }
    let body = body.trim();
    let chars = body.chars().count();
    if chars == 0 {
        return Err(CoreError::field("body", "a canned reply needs a text"));
    }
    if chars > MAX_BODY_CHARS {
        return Err(CoreError::field(
            "body",
            format!("a canned reply has at most {MAX_BODY_CHARS} characters; this one has {chars}"),
        ));
    }
    if body
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(CoreError::field(
            "body",
            "a canned reply may contain line breaks but no other control characters",
        ));
    }
    let body = body.replace("\r\n", "\n").replace('\r', "\n");
    let mut unknown: Vec<&str> = Vec::new();
    for segment in inflow::segments(&body) {
        if let inflow::Segment::Name(name) = segment
            && !CannedVar::ALL.iter().any(|v| v.name() == name)
            && !unknown.contains(&name)
        {
            unknown.push(name);
        }
    }
    if !unknown.is_empty() {
        let list = |names: &mut dyn Iterator<Item = &str>| {
            names
                .map(|n| format!("[{n}]"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Err(CoreError::field(
            "body",
            format!(
                "{} cannot be used in a canned reply; it may use {}",
                list(&mut unknown.into_iter()),
                list(&mut CannedVar::ALL.iter().map(|v| v.name())),
            ),
        ));
    }
    let title = title.trim();
    let chars = title.chars().count();
    if chars > MAX_TITLE_CHARS {
        return Err(CoreError::field(
            "title",
            format!("a title has at most {MAX_TITLE_CHARS} characters; this one has {chars}"),
        ));
    }
    if title.chars().any(char::is_control) {
        return Err(CoreError::field(
            "title",
            "a title cannot contain control characters",
        ));
    }
    let title = if title.is_empty() {
        let first: String = body
            .lines()
            .next()
            .unwrap_or_default()
            .chars()
            .take(MAX_TITLE_CHARS)
            .collect();
        first.trim().replace('\t', " ")
    } else {
        title.to_owned()
    };
    Ok(CannedText {
        shortcut: shortcut.to_owned(),
        title,
        body,
    })
}

/// The values a canned reply is rendered with; `None` leaves the variable in brackets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CannedValues<'a> {
    pub customer_name: Option<&'a str>,
    pub counselor_name: Option<&'a str>,
}

impl CannedValues<'_> {
    fn get(&self, var: CannedVar) -> Option<&str> {
        let value = match var {
            CannedVar::CustomerName => self.customer_name,
            CannedVar::CounselorName => self.counselor_name,
        };
        value.map(str::trim).filter(|v| !v.is_empty())
    }
}

/// A canned reply filled in for a consultation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rendered {
    pub text: String,
    /// The variables that had no value and stay in brackets, once each.
    pub missing: Vec<&'static str>,
}

/// `body` with `values` filled in.
pub fn render(body: &str, values: &CannedValues<'_>) -> Rendered {
    let mut text = String::with_capacity(body.len());
    let mut missing: Vec<&'static str> = Vec::new();
    for segment in inflow::segments(body) {
        match segment {
            inflow::Segment::Text(t) => text.push_str(t),
            inflow::Segment::Name(name) => {
                let var = CannedVar::ALL.into_iter().find(|v| v.name() == name);
                match var.and_then(|v| values.get(v).map(|value| (v, value))) {
                    Some((_, value)) => text.push_str(value),
                    None => {
                        text.push('[');
                        text.push_str(name);
                        text.push(']');
                        if let Some(v) = var
                            && !missing.contains(&v.name())
                        {
                            missing.push(v.name());
                        }
                    }
                }
            }
        }
    }
    Rendered { text, missing }
}

/// What [`search`] ranks: a reply's scope and texts.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    pub scope: CannedScope,
    pub shortcut: &'a str,
    pub title: &'a str,
    pub body: &'a str,
}

/// The indexes of `candidates` that match `query` (a leading `/` ignored, case ignored), best
/// first: exact shortcut, shortcut prefix, shortcut containing, title containing, body
/// containing; ties personal first, then by shortcut. An empty query matches all. At most
/// `limit`.
pub fn search(query: &str, candidates: &[Candidate<'_>], limit: usize) -> Vec<usize> {
    let query = query.trim();
    let query = query.strip_prefix('/').unwrap_or(query).to_lowercase();
    let mut ranked: Vec<(u8, CannedScope, String, usize)> = candidates
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let shortcut = c.shortcut.to_lowercase();
            let rank = if query.is_empty() || shortcut == query {
                0
            } else if shortcut.starts_with(&query) {
                1
            } else if shortcut.contains(&query) {
                2
            } else if c.title.to_lowercase().contains(&query) {
                3
            } else if c.body.to_lowercase().contains(&query) {
                4
            } else {
                return None;
            };
            Some((rank, c.scope, shortcut, i))
        })
        .collect();
    ranked.sort();
    ranked.into_iter().take(limit).map(|(.., i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_normalises_and_names_the_field() {
        let t = check(
            " /인사 ",
            "  첫 인사 ",
            "안녕하세요 [customer_name]님\r\n무엇을 도와드릴까요?  ",
        )
        .unwrap();
        assert_eq!(t.shortcut, "인사");
        assert_eq!(t.title, "첫 인사");
        assert_eq!(t.body, "안녕하세요 [customer_name]님\n무엇을 도와드릴까요?");
        // No title: the first line of the body.
        assert_eq!(check("a", "", "첫 줄\n둘째 줄").unwrap().title, "첫 줄");
        let long_line = "가".repeat(80);
        assert_eq!(
            check("a", " ", &long_line).unwrap().title.chars().count(),
            MAX_TITLE_CHARS
        );

        let field =
            |r: Result<CannedText, CoreError>| r.unwrap_err().field_name().map(String::from);
        assert_eq!(field(check("", "t", "b")).as_deref(), Some("shortcut"));
        assert_eq!(field(check("/", "t", "b")).as_deref(), Some("shortcut"));
        assert_eq!(field(check("a b", "t", "b")).as_deref(), Some("shortcut"));
        assert_eq!(field(check("a/b", "t", "b")).as_deref(), Some("shortcut"));
        assert_eq!(
            field(check(&"a".repeat(21), "t", "b")).as_deref(),
            Some("shortcut")
        );
        assert!(check(&"가".repeat(20), "t", "b").is_ok());
        assert!(check("refund_2-b", "t", "b").is_ok());
        assert!(check("환불?!", "t", "b").is_ok());
        assert_eq!(field(check("a\tb", "t", "b")).as_deref(), Some("shortcut"));
        assert_eq!(field(check("a", "t", "  ")).as_deref(), Some("body"));
        assert_eq!(
            field(check("a", "t", &"b".repeat(MAX_BODY_CHARS + 1))).as_deref(),
            Some("body")
        );
        assert!(check("a", "t", &"b".repeat(MAX_BODY_CHARS)).is_ok());
        assert_eq!(field(check("a", "t", "x\u{1b}y")).as_deref(), Some("body"));
        assert_eq!(
            field(check("a", &"t".repeat(51), "b")).as_deref(),
            Some("title")
        );
    }

    #[test]
    fn unknown_variables_are_refused_by_name() {
        let e = check("a", "t", "[customer_name] [position] [foo] [foo]").unwrap_err();
        let text = e.to_string();
        assert!(text.contains("[position], [foo] cannot"), "{text}");
        assert!(text.contains("[customer_name], [counselor_name]"), "{text}");
        // A bracket that is no identifier is text.
        assert!(check("a", "t", "[1] [고객] [ a ]").is_ok());
    }

    #[test]
    fn render_fills_known_values_and_keeps_the_rest() {
        let values = CannedValues {
            customer_name: Some("김하늘"),
            counselor_name: Some("  "),
        };
        let r = render(
            "[customer_name]님, 상담원 [counselor_name]입니다. [1]",
            &values,
        );
        assert_eq!(r.text, "김하늘님, 상담원 [counselor_name]입니다. [1]");
        assert_eq!(r.missing, vec!["counselor_name"]);
        let r = render("[customer_name] [customer_name]", &CannedValues::default());
        assert_eq!(r.text, "[customer_name] [customer_name]");
        assert_eq!(r.missing, vec!["customer_name"]);
        // A value's brackets stay text.
        let values = CannedValues {
            customer_name: Some("[counselor_name]"),
            counselor_name: Some("박"),
        };
        assert_eq!(render("[customer_name]", &values).text, "[counselor_name]");
    }

    #[test]
    fn search_ranks_shortcut_before_title_before_body() {
        let c = |scope, shortcut, title, body| Candidate {
            scope,
            shortcut,
            title,
            body,
        };
        use CannedScope::{Personal, Shared};
        let all = [
            c(Shared, "환불안내", "환불 절차", "영업일 3일 이내 환불"),
            c(Shared, "배송", "배송 조회", "송장 번호로 조회하세요"),
            c(
                Personal,
                "환불",
                "내 환불 답변",
                "확인 후 환불해 드리겠습니다",
            ),
            c(Shared, "환불", "환불", "환불"),
            c(Shared, "인사", "첫 인사", "안녕하세요"),
            c(Shared, "교환", "교환 문의", "환불 또는 교환"),
            c(Shared, "Greet", "Hello", "hi"),
        ];
        assert_eq!(search("/환불", &all, 10), vec![2, 3, 0, 5]);
        assert_eq!(search("조회", &all, 10), vec![1]);
        assert_eq!(search("GREET", &all, 10), vec![6]);
        assert_eq!(search("gr", &all, 10), vec![6]);
        assert_eq!(search("없는말", &all, 10), Vec::<usize>::new());
        assert_eq!(search("환불", &all, 2), vec![2, 3]);
        // Empty: everything, personal first, then by shortcut.
        assert_eq!(search(" / ", &all, 10)[0], 2);
        assert_eq!(search("", &all, 10).len(), all.len());
    }
}
