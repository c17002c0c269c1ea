//! The skill response a skill server returns, as builder types.
//!
//! Serialising one gives exactly the JSON Open Builder expects (absent options are left out).
//! Check it with [`SkillResponse::validate`] before sending: Open Builder refuses or mangles a
//! response that breaks a limit, and the user then sees nothing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::validate::limits::{OUTPUTS_MAX, SIMPLE_TEXT_MAX};

/// The protocol version every response carries.
pub const VERSION: &str = "2.0";

/// What [`SkillResponse::text`] appends to a text it had to cut.
pub const ELLIPSIS: char = '…';

/// A skill response: `{"version": "2.0", "template": …, "context": …, "data": …,
/// "useCallback": …}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkillResponse {
    /// Always [`VERSION`].
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<SkillTemplate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<ContextControl>,
    /// Free data the block can show (`{{#webhook.key}}`), also the waiting text of a callback
    /// response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<serde_json::Map<String, Value>>,
    /// The real answer comes later through the request's callback URL.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub use_callback: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkillTemplate {
    /// 1–3 outputs.
    pub outputs: Vec<Output>,
    /// At most 10.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quick_replies: Vec<QuickReply>,
}

/// One output component, serialised as `{"simpleText": {…}}`, `{"basicCard": {…}}`, …
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Output {
    SimpleText(SimpleText),
    SimpleImage(SimpleImage),
    TextCard(TextCard),
    BasicCard(BasicCard),
    CommerceCard(CommerceCard),
    ListCard(ListCard),
    ItemCard(ItemCard),
    Carousel(Carousel),
}

/// Text of at most 1000 characters (after 500 Kakao folds it behind "전체 보기").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimpleText {
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimpleImage {
    /// An absolute http(s) URL.
    pub image_url: String,
    /// At most 50 characters; shown where the image cannot be.
    pub alt_text: String,
}

/// A card of text and buttons: title ≤ 50, description ≤ 400 (128 in a carousel); at least
/// one of the two.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TextCard {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Button>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button_layout: Option<ButtonLayout>,
}

/// A card with a thumbnail: title ≤ 50, description ≤ 230, thumbnail required.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BasicCard {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub thumbnail: Thumbnail,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Button>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button_layout: Option<ButtonLayout>,
}

/// A product card: title ≤ 30, description ≤ 40, a price in won, exactly one thumbnail.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommerceCard {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Required; whole won, not negative.
    pub price: i64,
    /// Only `"won"` is accepted.
    pub currency: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_rate: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discounted_price: Option<i64>,
    /// Exactly one.
    pub thumbnails: Vec<Thumbnail>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<Profile>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Button>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button_layout: Option<ButtonLayout>,
}

/// A list with a header: at most 5 items (4 in a carousel).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListCard {
    pub header: ListCardHeader,
    pub items: Vec<ListItem>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Button>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button_layout: Option<ButtonLayout>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListCardHeader {
    /// Required.
    pub title: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListItem {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<Link>,
    /// `"block"` or `"message"`, when the item is clickable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<serde_json::Map<String, Value>>,
}

/// A receipt-like card (minimal): itemList ≤ 10 (5 in a carousel).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemCard {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<Thumbnail>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<ItemCardHead>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<Profile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub item_list: Vec<ItemListEntry>,
    /// `"left"` or `"right"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_list_alignment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_list_summary: Option<ItemListEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Button>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button_layout: Option<ButtonLayout>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemCardHead {
    pub title: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemListEntry {
    pub title: String,
    pub description: String,
}

/// A horizontal row of cards of one kind: at most 10 (5 list cards).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Carousel {
    /// Serialised as `"type"` and `"items"`.
    #[serde(flatten)]
    pub items: CarouselItems,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<CarouselHeader>,
}

/// The cards of a carousel, all of one type (the type enforces it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "items", rename_all = "camelCase")]
pub enum CarouselItems {
    TextCard(Vec<TextCard>),
    BasicCard(Vec<BasicCard>),
    CommerceCard(Vec<CommerceCard>),
    ListCard(Vec<ListCard>),
    ItemCard(Vec<ItemCard>),
}

impl CarouselItems {
    pub fn len(&self) -> usize {
        match self {
            CarouselItems::TextCard(v) => v.len(),
            CarouselItems::BasicCard(v) => v.len(),
            CarouselItems::CommerceCard(v) => v.len(),
            CarouselItems::ListCard(v) => v.len(),
            CarouselItems::ItemCard(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The introduction card of a basic/commerce card carousel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarouselHeader {
    pub title: String,
    pub description: String,
    pub thumbnail: Thumbnail,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Thumbnail {
    /// Required: an image URL.
    pub image_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<Link>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fixed_ratio: bool,
}

impl Thumbnail {
    pub fn new(image_url: impl Into<String>) -> Thumbnail {
        Thumbnail {
            image_url: image_url.into(),
            link: None,
            fixed_ratio: false,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pc: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub nickname: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ButtonLayout {
    /// Up to 3 buttons, labels ≤ 14 characters.
    #[default]
    Vertical,
    /// Up to 2 buttons, labels ≤ 8 characters.
    Horizontal,
}

/// A card button: `{"label": "…", "action": "webLink", "webLinkUrl": "…"}` and so on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    /// At most 14 characters (8 in a horizontal layout).
    pub label: String,
    #[serde(flatten)]
    pub action: ButtonAction,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "action",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ButtonAction {
    WebLink {
        web_link_url: String,
    },
    Message {
        message_text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        extra: Option<serde_json::Map<String, Value>>,
    },
    Phone {
        phone_number: String,
    },
    Block {
        block_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message_text: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        extra: Option<serde_json::Map<String, Value>>,
    },
    Share,
    /// The consultation plugin: connects the customer to a human agent.
    Operator,
}

impl Button {
    pub fn web_link(label: impl Into<String>, url: impl Into<String>) -> Button {
        Button {
            label: label.into(),
            action: ButtonAction::WebLink {
                web_link_url: url.into(),
            },
        }
    }

    pub fn message(label: impl Into<String>, text: impl Into<String>) -> Button {
        Button {
            label: label.into(),
            action: ButtonAction::Message {
                message_text: text.into(),
                extra: None,
            },
        }
    }

    pub fn phone(label: impl Into<String>, number: impl Into<String>) -> Button {
        Button {
            label: label.into(),
            action: ButtonAction::Phone {
                phone_number: number.into(),
            },
        }
    }

    pub fn block(label: impl Into<String>, block_id: impl Into<String>) -> Button {
        Button {
            label: label.into(),
            action: ButtonAction::Block {
                block_id: block_id.into(),
                message_text: None,
                extra: None,
            },
        }
    }

    pub fn share(label: impl Into<String>) -> Button {
        Button {
            label: label.into(),
            action: ButtonAction::Share,
        }
    }

    /// "Talk to an agent" (the consultation plugin).
    pub fn operator(label: impl Into<String>) -> Button {
        Button {
            label: label.into(),
            action: ButtonAction::Operator,
        }
    }
}

/// A quick reply under the answer: `{"label": "…", "action": "message", "messageText": "…"}`
/// or `{"label": "…", "action": "block", "blockId": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuickReply {
    /// At most 14 characters.
    pub label: String,
    #[serde(flatten)]
    pub action: QuickReplyAction,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "action",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum QuickReplyAction {
    Message {
        message_text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        extra: Option<serde_json::Map<String, Value>>,
    },
    Block {
        block_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message_text: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        extra: Option<serde_json::Map<String, Value>>,
    },
}

impl QuickReply {
    /// Sends `text` as the user's utterance.
    pub fn message(label: impl Into<String>, text: impl Into<String>) -> QuickReply {
        QuickReply {
            label: label.into(),
            action: QuickReplyAction::Message {
                message_text: text.into(),
                extra: None,
            },
        }
    }

    /// Jumps to a block.
    pub fn block(label: impl Into<String>, block_id: impl Into<String>) -> QuickReply {
        QuickReply {
            label: label.into(),
            action: QuickReplyAction::Block {
                block_id: block_id.into(),
                message_text: None,
                extra: None,
            },
        }
    }
}

/// Contexts to open, refresh or close (`lifeSpan` 0 deletes).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContextControl {
    pub values: Vec<ContextValue>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContextValue {
    pub name: String,
    /// How many turns it lives; 0 deletes it.
    pub life_span: u32,
    /// Seconds it lives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<u32>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, String>,
}

impl SkillResponse {
    /// A response with these outputs and nothing else.
    pub fn new(outputs: impl IntoIterator<Item = Output>) -> SkillResponse {
        SkillResponse {
            version: VERSION.to_owned(),
            template: Some(SkillTemplate {
                outputs: outputs.into_iter().collect(),
                quick_replies: Vec::new(),
            }),
            context: None,
            data: None,
            use_callback: false,
        }
    }

    /// A text answer. A text longer than 1000 characters is split across up to three
    /// simpleText outputs (at a line break or space near the end of each part when there is
    /// one) instead of being refused; what does not fit in three is cut, and the third part
    /// ends in "…".
    pub fn text(s: impl AsRef<str>) -> SkillResponse {
        SkillResponse::new(
            split_text(s.as_ref(), SIMPLE_TEXT_MAX, OUTPUTS_MAX)
                .into_iter()
                .map(|text| Output::SimpleText(SimpleText { text })),
        )
    }

    /// The immediate answer to a request that will be answered later through its callback URL:
    /// `{"version": "2.0", "useCallback": true}`.
    pub fn callback() -> SkillResponse {
        SkillResponse {
            version: VERSION.to_owned(),
            template: None,
            context: None,
            data: None,
            use_callback: true,
        }
    }

    /// Adds quick replies (to a response with a template).
    pub fn with_quick_replies(mut self, replies: impl IntoIterator<Item = QuickReply>) -> Self {
        self.template
            .get_or_insert_with(SkillTemplate::default)
            .quick_replies
            .extend(replies);
        self
    }

    /// Marks the response as answered later through the callback URL.
    pub fn use_callback(mut self) -> Self {
        self.use_callback = true;
        self
    }

    /// Adds a context value.
    pub fn with_context(mut self, value: ContextValue) -> Self {
        self.context
            .get_or_insert_with(ContextControl::default)
            .values
            .push(value);
        self
    }

    /// Sets one `data` entry.
    pub fn with_data(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.data
            .get_or_insert_with(serde_json::Map::new)
            .insert(key.into(), value.into());
        self
    }
}

/// Splits `s` into at most `parts` pieces of at most `max` characters each. Each piece but
/// the last ends at the last line break, else the last whitespace, in the second half of its
/// window (unless that would push text that fits out of the last piece), else exactly at
/// `max`; whitespace around the cuts is dropped. If the text does not fit, the last piece is
/// cut to `max - 1` characters and ends in [`ELLIPSIS`].
pub(crate) fn split_text(s: &str, max: usize, parts: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while out.len() < parts {
        let len = crate::limit::chars(rest);
        if len <= max {
            // A continuation part loses trailing blanks like the others; a text that fits in
            // one part is left exactly as given.
            let last = if out.is_empty() {
                rest
            } else {
                rest.trim_end()
            };
            out.push(last.to_owned());
            return out;
        }
        if out.len() + 1 == parts {
            let cut: String = rest.chars().take(max.saturating_sub(1)).collect();
            let mut piece = cut.trim_end().to_owned();
            if piece.is_empty() {
                piece = cut;
            }
            piece.push(ELLIPSIS);
            out.push(piece);
            return out;
        }
        let end = byte_index(rest, max);
        let window = &rest[..end];
        let half = byte_index(rest, max / 2);
        let at_separator = window[half..]
            .rfind('\n')
            .or_else(|| window[half..].rfind(char::is_whitespace))
            .map(|i| {
                let i = half + i;
                // Cut after the separator (it may be more than one byte).
                i + window[i..].chars().next().map_or(1, char::len_utf8)
            });
        // A cut at a separator wastes the end of the window; take it only when the rest still
        // fits in the parts left (or would not fit anyway), so no text that fits is lost.
        let room_after = (parts - out.len() - 1) * max;
        let cut = match at_separator {
            Some(c) if crate::limit::chars(&rest[c..]) <= room_after || len - max > room_after => c,
            _ => end,
        };
        let (piece, next) = rest.split_at(cut);
        let trimmed = piece.trim_end();
        out.push(if trimmed.is_empty() { piece } else { trimmed }.to_owned());
        // The next part starts at its first visible character; nothing visible left, no part.
        rest = next.trim_start();
        if rest.is_empty() {
            return out;
        }
    }
    out
}

/// The byte offset of the `n`th character (or the end).
fn byte_index(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}
