//! Automatic messages (R3.4): what Sangdam says to a customer by itself, per site, each with
//! an on/off switch and a text in the site's bracket syntax (`[counselor_name]`).
//!
//! The kinds, and when the application sends each:
//! - `greeting`: an agent takes the consultation (`[counselor_name]`, `[customer_name]`);
//! - `unavailable`: the desk is open but no agent takes consultations now (none online);
//! - `off_hours`: a consultation opens outside business hours (`[next_opening]`);
//! - `busy`: it enters the queue because every available agent is at their limit;
//! - `queue_position`: the customer's place as the queue moves (`[position]`,
//!   `[wait_minutes]`);
//! - `over_capacity`: the site takes no more waiting consultations; nothing is queued;
//! - `desk_closing`: the desk closes while the customer still waits (`[next_opening]`);
//! - `closed`: an agent, manager or the customer ends the consultation;
//! - `auto_close_warning`: the consultation closes in `[minutes]` without a reply (R3.5);
//! - `auto_closed`: it was closed after `[minutes]` without a reply;
//! - `blocked`: a customer whose grade is blocked starts a consultation; it closes at once
//!   (`crate::customer`);
//! - `rating_request`: asks for the satisfaction score at close (R3.8), with the score
//!   buttons (`rating::quick_replies`).
//!
//! Each kind allows its own variables; a text naming any other is refused on save, naming
//! them. A text has at most [`MAX_AUTO_MESSAGE_CHARS`] characters (one Kakao `simpleText`; a
//! Naver text takes 10,000), and what it renders is cut to the same. An enabled message needs
//! a text. A line whose variable has no value at the time (no wait estimate yet) is left out
//! of the rendered text, so a text can offer a sentence only when it can be said; a message
//! whose every line is left out is not sent.
//!
//! The bracket syntax is read by `inflow::segments`, the one reading shared with the URL and
//! title templates. The defaults, in every language of [`Lang`], are written here as stored
//! texts in that syntax: what a site starts with and edits, checked by the same rules in the
//! tests.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use i18n::Lang;
use inflow::Segment;
use serde::{Deserialize, Serialize};

use crate::error::CoreError;

/// Longest automatic message, in characters: a Kakao `simpleText` (Naver takes more).
pub const MAX_AUTO_MESSAGE_CHARS: usize = 1000;

/// What an automatic message is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AutoMessageKind {
    Greeting,
    Unavailable,
    OffHours,
    Busy,
    QueuePosition,
    OverCapacity,
    DeskClosing,
    Closed,
    AutoCloseWarning,
    AutoClosed,
    RatingRequest,
    Blocked,
}

impl AutoMessageKind {
    pub const ALL: [AutoMessageKind; 12] = [
        AutoMessageKind::Greeting,
        AutoMessageKind::Unavailable,
        AutoMessageKind::OffHours,
        AutoMessageKind::Busy,
        AutoMessageKind::QueuePosition,
        AutoMessageKind::OverCapacity,
        AutoMessageKind::DeskClosing,
        AutoMessageKind::Closed,
        AutoMessageKind::AutoCloseWarning,
        AutoMessageKind::AutoClosed,
        AutoMessageKind::RatingRequest,
        AutoMessageKind::Blocked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AutoMessageKind::Greeting => "greeting",
            AutoMessageKind::Unavailable => "unavailable",
            AutoMessageKind::OffHours => "off_hours",
            AutoMessageKind::Busy => "busy",
            AutoMessageKind::QueuePosition => "queue_position",
            AutoMessageKind::OverCapacity => "over_capacity",
            AutoMessageKind::DeskClosing => "desk_closing",
            AutoMessageKind::Closed => "closed",
            AutoMessageKind::AutoCloseWarning => "auto_close_warning",
            AutoMessageKind::AutoClosed => "auto_closed",
            AutoMessageKind::RatingRequest => "rating_request",
            AutoMessageKind::Blocked => "blocked",
        }
    }

    /// The variables its text may use.
    pub fn variables(self) -> &'static [MessageVar] {
        use MessageVar::*;
        match self {
            AutoMessageKind::Greeting | AutoMessageKind::Closed => &[CounselorName, CustomerName],
            AutoMessageKind::Unavailable
            | AutoMessageKind::Busy
            | AutoMessageKind::OverCapacity
            | AutoMessageKind::Blocked => &[CustomerName],
            AutoMessageKind::OffHours | AutoMessageKind::DeskClosing => {
                &[NextOpening, CustomerName]
            }
            AutoMessageKind::QueuePosition => &[Position, WaitMinutes, CustomerName],
            AutoMessageKind::AutoCloseWarning | AutoMessageKind::AutoClosed => {
                &[Minutes, CustomerName]
            }
            AutoMessageKind::RatingRequest => &[CounselorName, CustomerName],
        }
    }

    /// The field a problem with its text is reported on.
    fn field(self) -> String {
        format!("auto_messages.{}.text", self.as_str())
    }

    /// The text a site starts with, in `lang`.
    pub fn default_text(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ko => match self {
                AutoMessageKind::Greeting => {
                    "안녕하세요, 상담원 [counselor_name]입니다. 무엇을 도와드릴까요?"
                }
                AutoMessageKind::Unavailable => {
                    "지금은 연결 가능한 상담원이 없습니다. 남겨 주신 메시지는 상담원이 확인 후 답변드리겠습니다."
                }
                AutoMessageKind::OffHours => {
                    "지금은 상담 시간이 아닙니다.\n[next_opening] 상담이 가능합니다."
                }
                AutoMessageKind::Busy => {
                    "지금은 모든 상담원이 상담 중입니다. 잠시만 기다려 주시면 순서대로 연결해 드리겠습니다."
                }
                AutoMessageKind::QueuePosition => {
                    "대기 순번은 [position]번째입니다.\n예상 대기 시간은 약 [wait_minutes]분입니다."
                }
                AutoMessageKind::OverCapacity => {
                    "지금은 상담 요청이 많아 새 상담을 받을 수 없습니다. 잠시 후 다시 문의해 주세요."
                }
                AutoMessageKind::DeskClosing => {
                    "상담 시간이 끝났습니다.\n[next_opening] 순서대로 답변드리겠습니다."
                }
                AutoMessageKind::Closed => "상담이 종료되었습니다. 이용해 주셔서 감사합니다.",
                AutoMessageKind::AutoCloseWarning => {
                    "[minutes]분 동안 답변이 없으면 상담이 자동으로 종료됩니다."
                }
                AutoMessageKind::AutoClosed => {
                    "[minutes]분 동안 답변이 없어 상담이 자동으로 종료되었습니다. 다시 문의하시려면 메시지를 보내 주세요."
                }
                AutoMessageKind::RatingRequest => "오늘 상담은 어떠셨나요? 만족도를 선택해 주세요.",
                AutoMessageKind::Blocked => {
                    "죄송합니다. 지금은 이 채널로 상담을 도와드리기 어렵습니다. 필요하신 내용은 고객센터로 문의해 주세요."
                }
            },
            Lang::En => match self {
                AutoMessageKind::Greeting => "Hello, this is [counselor_name]. How can I help you?",
                AutoMessageKind::Unavailable => {
                    "No agent is available right now. Leave a message and an agent will answer it."
                }
                AutoMessageKind::OffHours => "We are closed now.\nWe are back [next_opening].",
                AutoMessageKind::Busy => {
                    "All our agents are busy. Please wait and we will connect you in turn."
                }
                AutoMessageKind::QueuePosition => {
                    "You are number [position] in the queue.\nThe estimated wait is about [wait_minutes] minutes."
                }
                AutoMessageKind::OverCapacity => {
                    "We cannot take new conversations right now. Please try again a little later."
                }
                AutoMessageKind::DeskClosing => {
                    "Our hours have ended.\nWe will answer in turn from [next_opening]."
                }
                AutoMessageKind::Closed => {
                    "This conversation has ended. Thank you for contacting us."
                }
                AutoMessageKind::AutoCloseWarning => {
                    "This conversation will close if there is no reply within [minutes] minutes."
                }
                AutoMessageKind::AutoClosed => {
                    "This conversation was closed after [minutes] minutes without a reply. Send a message to start again."
                }
                AutoMessageKind::RatingRequest => {
                    "How was your conversation today? Please choose a rating."
                }
                AutoMessageKind::Blocked => {
                    "Sorry, we cannot help you through this channel right now. Please contact our customer centre."
                }
            },
        }
    }
}

impl fmt::Display for AutoMessageKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AutoMessageKind {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                CoreError::field("kind", format!("{s:?} is not a kind of automatic message"))
            })
    }
}

/// A variable an automatic message may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MessageVar {
    /// The agent's display name.
    CounselorName,
    /// The customer's name as their profile has it.
    CustomerName,
    /// The next opening in words (`hours::describe_opening`).
    NextOpening,
    /// The place in the queue, 1 being next.
    Position,
    /// The estimated wait in whole minutes.
    WaitMinutes,
    /// The auto-close rule's minutes.
    Minutes,
}

impl MessageVar {
    pub const ALL: [MessageVar; 6] = [
        MessageVar::CounselorName,
        MessageVar::CustomerName,
        MessageVar::NextOpening,
        MessageVar::Position,
        MessageVar::WaitMinutes,
        MessageVar::Minutes,
    ];

    pub fn name(self) -> &'static str {
        match self {
            MessageVar::CounselorName => "counselor_name",
            MessageVar::CustomerName => "customer_name",
            MessageVar::NextOpening => "next_opening",
            MessageVar::Position => "position",
            MessageVar::WaitMinutes => "wait_minutes",
            MessageVar::Minutes => "minutes",
        }
    }
}

impl fmt::Display for MessageVar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}]", self.name())
    }
}

/// Why an automatic message was refused; each has a stable [`MessageProblem::code`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageProblem {
    /// Names in brackets this kind may not use (unknown ones, or another kind's), once each,
    /// in order; `allowed` are the ones it may.
    UnknownVariables {
        names: Vec<String>,
        allowed: Vec<&'static str>,
    },
    TooLong {
        chars: usize,
    },
    /// Enabled without a text.
    Required,
    /// A control character other than a line break or a tab.
    ControlCharacter,
}

impl MessageProblem {
    pub fn code(&self) -> &'static str {
        match self {
            MessageProblem::UnknownVariables { .. } => "unknown_variables",
            MessageProblem::TooLong { .. } => "message_too_long",
            MessageProblem::Required => "message_required",
            MessageProblem::ControlCharacter => "invalid_message",
        }
    }
}

impl fmt::Display for MessageProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let brackets = |names: &mut dyn Iterator<Item = &str>| {
            names
                .map(|n| format!("[{n}]"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            MessageProblem::UnknownVariables { names, allowed } => write!(
                f,
                "{} cannot be used in this message; it may use {}",
                brackets(&mut names.iter().map(String::as_str)),
                brackets(&mut allowed.iter().copied()),
            ),
            MessageProblem::TooLong { chars } => write!(
                f,
                "a message has at most {MAX_AUTO_MESSAGE_CHARS} characters (one Kakao text); \
                 this one has {chars}"
            ),
            MessageProblem::Required => f.write_str("an enabled message needs a text"),
            MessageProblem::ControlCharacter => {
                f.write_str("a message may contain line breaks but no other control characters")
            }
        }
    }
}

/// One automatic message, checked for its kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AutoMessage {
    pub enabled: bool,
    text: String,
}

impl AutoMessage {
    /// Checks a message for `kind`: the text is trimmed, its line breaks made `\n`.
    pub fn parse(kind: AutoMessageKind, enabled: bool, text: &str) -> Result<Self, CoreError> {
        let problem = |problem| CoreError::InvalidAutoMessage {
            field: kind.field(),
            problem,
        };
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let text = text.trim();
        let chars = text.chars().count();
        if chars > MAX_AUTO_MESSAGE_CHARS {
            return Err(problem(MessageProblem::TooLong { chars }));
        }
        if text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(problem(MessageProblem::ControlCharacter));
        }
        if enabled && text.is_empty() {
            return Err(problem(MessageProblem::Required));
        }
        let mut names: Vec<String> = Vec::new();
        for segment in inflow::segments(text) {
            if let Segment::Name(name) = segment
                && !kind.variables().iter().any(|v| v.name() == name)
                && !names.iter().any(|n| n == name)
            {
                names.push(name.to_owned());
            }
        }
        if !names.is_empty() {
            return Err(problem(MessageProblem::UnknownVariables {
                names,
                allowed: kind.variables().iter().map(|v| v.name()).collect(),
            }));
        }
        Ok(AutoMessage {
            enabled,
            text: text.to_owned(),
        })
    }

    /// The default of `kind` in `lang`, enabled.
    pub fn default_for(kind: AutoMessageKind, lang: Lang) -> AutoMessage {
        AutoMessage {
            enabled: true,
            text: kind.default_text(lang).to_owned(),
        }
    }

    /// The text as saved.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text with `values` filled in, or `None` when the message is off or says nothing
    /// with these values. A line using a variable without a value is left out; values go in
    /// as they are (brackets in a name stay text); the result is cut to
    /// [`MAX_AUTO_MESSAGE_CHARS`].
    pub fn render(&self, values: &MessageValues<'_>) -> Option<String> {
        if !self.enabled {
            return None;
        }
        let mut lines = Vec::new();
        for line in self.text.split('\n') {
            let mut out = String::with_capacity(line.len());
            let mut complete = true;
            for segment in inflow::segments(line) {
                match segment {
                    Segment::Text(t) => out.push_str(t),
                    Segment::Name(name) => match MessageVar::ALL
                        .into_iter()
                        .find(|v| v.name() == name)
                        .and_then(|v| values.get(v))
                    {
                        Some(value) => out.push_str(&value),
                        None => complete = false,
                    },
                }
            }
            if complete {
                lines.push(out);
            }
        }
        let text = lines.join("\n");
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        Some(cut(text, MAX_AUTO_MESSAGE_CHARS))
    }
}

/// `text` in at most `max` characters, ending in `…` when cut.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The values a message is rendered with; an absent one leaves its line out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MessageValues<'a> {
    pub counselor_name: Option<&'a str>,
    pub customer_name: Option<&'a str>,
    pub next_opening: Option<&'a str>,
    pub position: Option<u32>,
    pub wait_minutes: Option<u32>,
    pub minutes: Option<u32>,
}

impl MessageValues<'_> {
    fn get(&self, var: MessageVar) -> Option<String> {
        let text = |s: Option<&str>| {
            s.map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        match var {
            MessageVar::CounselorName => text(self.counselor_name),
            MessageVar::CustomerName => text(self.customer_name),
            MessageVar::NextOpening => text(self.next_opening),
            MessageVar::Position => self.position.map(|n| n.to_string()),
            MessageVar::WaitMinutes => self.wait_minutes.map(|n| n.to_string()),
            MessageVar::Minutes => self.minutes.map(|n| n.to_string()),
        }
    }
}

/// A message as a site saves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoMessageSpec {
    pub enabled: bool,
    #[serde(default)]
    pub text: String,
}

/// A site's automatic messages, one of each kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoMessages {
    messages: BTreeMap<AutoMessageKind, AutoMessage>,
}

impl AutoMessages {
    /// Every kind's default in `lang`, enabled.
    pub fn defaults(lang: Lang) -> AutoMessages {
        AutoMessages {
            messages: AutoMessageKind::ALL
                .into_iter()
                .map(|k| (k, AutoMessage::default_for(k, lang)))
                .collect(),
        }
    }

    /// Checks a save: every message given is checked (every problem reported, each naming its
    /// field); a kind not given keeps its message in `current`.
    pub fn parse(
        current: &AutoMessages,
        given: &BTreeMap<AutoMessageKind, AutoMessageSpec>,
    ) -> Result<AutoMessages, Vec<CoreError>> {
        let mut out = current.clone();
        let mut problems = Vec::new();
        for (kind, spec) in given {
            match AutoMessage::parse(*kind, spec.enabled, &spec.text) {
                Ok(m) => {
                    out.messages.insert(*kind, m);
                }
                Err(e) => problems.push(e),
            }
        }
        if problems.is_empty() {
            Ok(out)
        } else {
            Err(problems)
        }
    }

    pub fn get(&self, kind: AutoMessageKind) -> &AutoMessage {
        // Every kind is present by construction; the fallback only satisfies the type.
        self.messages.get(&kind).unwrap_or(&DISABLED)
    }

    /// What to send for `kind` with `values`, or `None` (off, or nothing to say).
    pub fn render(&self, kind: AutoMessageKind, values: &MessageValues<'_>) -> Option<String> {
        self.get(kind).render(values)
    }

    /// Every message, by kind, as a site edits them.
    pub fn to_specs(&self) -> BTreeMap<AutoMessageKind, AutoMessageSpec> {
        self.messages
            .iter()
            .map(|(k, m)| {
                (
                    *k,
                    AutoMessageSpec {
                        enabled: m.enabled,
                        text: m.text.clone(),
                    },
                )
            })
            .collect()
    }
}

static DISABLED: AutoMessage = AutoMessage {
    enabled: false,
    text: String::new(),
};

#[cfg(test)]
mod tests;
