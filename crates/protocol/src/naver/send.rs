//! Bodies of the send API (`POST {gw}/chatbot/v1/event`): messages and thread handover.

use serde::{Deserialize, Serialize};

use crate::LimitError;
use crate::limit::Checker;

/// Limits of the send API, in characters or entries.
pub mod limits {
    pub const TEXT_MAX: usize = 10_000;
    pub const COMPOSITE_LIST_MAX: usize = 10;
    pub const BUTTON_LIST_MAX: usize = 10;
    pub const BUTTON_TITLE_MAX: usize = 18;
    pub const QUICK_REPLY_BUTTONS_MAX: usize = 10;
    pub const QUICK_REPLY_TITLE_MAX: usize = 10;
}

use limits::*;

/// A message to a user: `{"event": "send", "user": "…", "textContent": {…}}` (or
/// `imageContent` / `compositeContent`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename = "send", rename_all = "camelCase")]
pub struct SendEvent {
    pub user: String,
    #[serde(flatten)]
    pub content: SendContent,
}

/// What a [`SendEvent`] carries; serialised as its own key (`textContent`, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SendContent {
    TextContent(Text),
    ImageContent(Image),
    CompositeContent(Composite),
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Text {
    /// At most 10,000 characters.
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quick_reply: Option<QuickReply>,
}

/// An image by public URL or by the id the image upload API returned.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Image {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quick_reply: Option<QuickReply>,
}

/// Cards: at most 10.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Composite {
    pub composite_list: Vec<Card>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quick_reply: Option<QuickReply>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Card {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<CardImage>,
    /// At most 10 buttons, titles ≤ 18 characters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub button_list: Vec<Button>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardImage {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
}

/// Quick-reply buttons under a message: at most 10, titles ≤ 10 characters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuickReply {
    pub button_list: Vec<Button>,
}

/// A button: `{"type": "TEXT", "data": {"title": "…", "code": "…"}}` or
/// `{"type": "LINK", "data": {"title": "…", "url": "…", "mobileUrl": "…"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "UPPERCASE")]
pub enum Button {
    /// Sends `title` (and `code`) back as the user's message.
    Text {
        title: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<String>,
    },
    /// Opens a page.
    Link {
        title: String,
        url: String,
        #[serde(default, rename = "mobileUrl", skip_serializing_if = "Option::is_none")]
        mobile_url: Option<String>,
    },
}

impl Button {
    pub fn text(title: impl Into<String>, code: Option<String>) -> Button {
        Button::Text {
            title: title.into(),
            code,
        }
    }

    pub fn link(title: impl Into<String>, url: impl Into<String>) -> Button {
        Button::Link {
            title: title.into(),
            url: url.into(),
            mobile_url: None,
        }
    }

    pub fn title(&self) -> &str {
        match self {
            Button::Text { title, .. } | Button::Link { title, .. } => title,
        }
    }
}

impl SendEvent {
    /// A text message.
    pub fn text(user: impl Into<String>, text: impl Into<String>) -> SendEvent {
        SendEvent {
            user: user.into(),
            content: SendContent::TextContent(Text {
                text: text.into(),
                code: None,
                quick_reply: None,
            }),
        }
    }

    /// The same, with quick-reply buttons under it (on a text, an image or cards).
    pub fn with_quick_reply(mut self, quick_reply: QuickReply) -> SendEvent {
        match &mut self.content {
            SendContent::TextContent(t) => t.quick_reply = Some(quick_reply),
            SendContent::ImageContent(i) => i.quick_reply = Some(quick_reply),
            SendContent::CompositeContent(c) => c.quick_reply = Some(quick_reply),
        }
        self
    }

    /// An image by URL.
    pub fn image(user: impl Into<String>, image_url: impl Into<String>) -> SendEvent {
        SendEvent {
            user: user.into(),
            content: SendContent::ImageContent(Image {
                image_url: Some(image_url.into()),
                image_id: None,
                quick_reply: None,
            }),
        }
    }

    /// Cards.
    pub fn composite(user: impl Into<String>, cards: Vec<Card>) -> SendEvent {
        SendEvent {
            user: user.into(),
            content: SendContent::CompositeContent(Composite {
                composite_list: cards,
                quick_reply: None,
            }),
        }
    }

    /// Puts quick-reply buttons under the message.
    pub fn with_quick_replies(mut self, buttons: impl IntoIterator<Item = Button>) -> Self {
        let slot = match &mut self.content {
            SendContent::TextContent(t) => &mut t.quick_reply,
            SendContent::ImageContent(i) => &mut i.quick_reply,
            SendContent::CompositeContent(c) => &mut c.quick_reply,
        };
        slot.get_or_insert_with(QuickReply::default)
            .button_list
            .extend(buttons);
        self
    }

    /// Checks the send API's limits: user present, text ≤ 10,000 characters, an image by URL
    /// or id, compositeList 1–10 cards, each card's buttonList ≤ 10 with titles ≤ 18,
    /// quick replies ≤ 10 with titles ≤ 10. Returns every broken limit with its JSON path.
    pub fn validate(&self) -> Result<(), Vec<LimitError>> {
        let mut c = Checker::default();
        c.required("user", "user", Some(&self.user));
        match &self.content {
            SendContent::TextContent(t) => {
                c.required("textContent.text", "textContent.text", Some(&t.text));
                c.max_chars("textContent.text", "textContent.text", &t.text, TEXT_MAX);
                quick_reply(&mut c, "textContent.quickReply", &t.quick_reply);
            }
            SendContent::ImageContent(i) => {
                let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
                if blank(&i.image_url) && blank(&i.image_id) {
                    c.missing("imageContent.imageUrl", "imageContent.imageUrl or imageId");
                }
                quick_reply(&mut c, "imageContent.quickReply", &i.quick_reply);
            }
            SendContent::CompositeContent(comp) => {
                let path = "compositeContent.compositeList";
                let n = comp.composite_list.len();
                c.min_items(path, "compositeList", n, 1);
                c.max_items(path, "compositeList", n, COMPOSITE_LIST_MAX);
                for (i, card) in comp.composite_list.iter().enumerate() {
                    let bl = format!("{path}[{i}].buttonList");
                    c.max_items(&bl, "buttonList", card.button_list.len(), BUTTON_LIST_MAX);
                    buttons(
                        &mut c,
                        &bl,
                        &card.button_list,
                        BUTTON_TITLE_MAX,
                        "button title",
                    );
                }
                quick_reply(&mut c, "compositeContent.quickReply", &comp.quick_reply);
            }
        }
        c.finish()
    }
}

fn quick_reply(c: &mut Checker, path: &str, q: &Option<QuickReply>) {
    let Some(q) = q else { return };
    let bl = format!("{path}.buttonList");
    c.max_items(
        &bl,
        "quickReply.buttonList",
        q.button_list.len(),
        QUICK_REPLY_BUTTONS_MAX,
    );
    buttons(
        c,
        &bl,
        &q.button_list,
        QUICK_REPLY_TITLE_MAX,
        "quick-reply title",
    );
}

fn buttons(c: &mut Checker, path: &str, list: &[Button], title_max: usize, what: &str) {
    for (i, b) in list.iter().enumerate() {
        let p = format!("{path}[{i}].data.title");
        c.required(&p, what, Some(b.title()));
        c.max_chars(&p, what, b.title(), title_max);
        if let Button::Link { url, .. } = b {
            c.required(
                &format!("{path}[{i}].data.url"),
                "link button url",
                Some(url),
            );
        }
    }
}

/// Who controls the thread: the bot hands it to the partner's agents (`passThread`) or takes
/// it back (`takeThread`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Control {
    PassThread,
    TakeThread,
}

/// A handover request: `{"event": "handover", "user": "…", "options": {"control":
/// "passThread", "targetId": 1}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename = "handover")]
pub struct HandoverRequest {
    pub user: String,
    pub options: HandoverRequestOptions,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HandoverRequestOptions {
    pub control: Control,
    /// Who receives the thread on `passThread`: 1 is the partner centre (the agents).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<String>,
}

/// The partner centre's target id.
pub const PARTNER_CENTER_TARGET: i64 = 1;

impl HandoverRequest {
    /// Gives the thread to the partner's agents.
    pub fn pass_thread(user: impl Into<String>) -> HandoverRequest {
        HandoverRequest {
            user: user.into(),
            options: HandoverRequestOptions {
                control: Control::PassThread,
                target_id: Some(PARTNER_CENTER_TARGET),
                metadata: None,
            },
        }
    }

    /// Takes the thread back for the bot.
    pub fn take_thread(user: impl Into<String>) -> HandoverRequest {
        HandoverRequest {
            user: user.into(),
            options: HandoverRequestOptions {
                control: Control::TakeThread,
                target_id: None,
                metadata: None,
            },
        }
    }

    pub fn validate(&self) -> Result<(), Vec<LimitError>> {
        let mut c = Checker::default();
        c.required("user", "user", Some(&self.user));
        c.finish()
    }
}
