//! A response as Naver TalkTalk messages, within TalkTalk's limits: simple texts as text,
//! images as images, cards and lists as composite cards, quick replies as TalkTalk's quick
//! replies on the last message.
//!
//! Buttons TalkTalk has no kind of are sent as text buttons whose `code` says what they do:
//! [`OPERATOR_CODE`] for the operator button, `block:<id>` ([`BLOCK_CODE`]) for a block
//! button; the TalkTalk adapter reads the code back from the user's message.

use protocol::kakao::{Button as KButton, ButtonAction, Output, QuickReplyAction, SkillTemplate};
use protocol::naver::{Button, Card, CardImage, SendEvent, limits};

/// A text button's code meaning "connect me to an agent".
pub const OPERATOR_CODE: &str = "operator";
/// The prefix of a text button's code naming a block.
pub const BLOCK_CODE: &str = "block:";

fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

fn button(b: &KButton) -> Option<Button> {
    let title = cut(&b.label, limits::BUTTON_TITLE_MAX);
    match &b.action {
        ButtonAction::WebLink { web_link_url } => Some(Button::link(title, web_link_url.clone())),
        ButtonAction::Phone { phone_number } => {
            Some(Button::link(title, format!("tel:{phone_number}")))
        }
        ButtonAction::Message { message_text, .. } => {
            // TalkTalk sends a text button's title back; the code carries the full text.
            Some(Button::text(title, Some(message_text.clone())))
        }
        ButtonAction::Block { block_id, .. } => {
            Some(Button::text(title, Some(format!("{BLOCK_CODE}{block_id}"))))
        }
        ButtonAction::Operator => Some(Button::text(title, Some(OPERATOR_CODE.to_owned()))),
        ButtonAction::Share => None,
    }
}

fn card(
    title: Option<&str>,
    description: Option<String>,
    image: Option<&str>,
    buttons: &[KButton],
) -> Card {
    Card {
        title: title.map(|t| t.to_owned()).filter(|t| !t.trim().is_empty()),
        description: description.filter(|d| !d.trim().is_empty()),
        image: image.map(|url| CardImage {
            image_url: Some(url.to_owned()),
            image_id: None,
        }),
        button_list: buttons
            .iter()
            .filter_map(button)
            .take(limits::BUTTON_LIST_MAX)
            .collect(),
    }
}

fn cards_of(o: &Output) -> Vec<Card> {
    match o {
        Output::TextCard(c) => vec![card(
            c.title.as_deref(),
            c.description.clone(),
            None,
            &c.buttons,
        )],
        Output::BasicCard(c) => vec![card(
            c.title.as_deref(),
            c.description.clone(),
            Some(&c.thumbnail.image_url),
            &c.buttons,
        )],
        Output::CommerceCard(c) => {
            let price = format!("{}원", c.discounted_price.unwrap_or(c.price));
            let description = match &c.description {
                Some(d) => format!("{d}\n{price}"),
                None => price,
            };
            vec![card(
                c.title.as_deref(),
                Some(description),
                c.thumbnails.first().map(|t| t.image_url.as_str()),
                &c.buttons,
            )]
        }
        Output::ListCard(c) => {
            let items: Vec<String> = c
                .items
                .iter()
                .map(|i| match &i.description {
                    Some(d) if !d.trim().is_empty() => format!("· {} — {}", i.title, d),
                    _ => format!("· {}", i.title),
                })
                .collect();
            vec![card(
                Some(&c.header.title),
                Some(items.join("\n")),
                None,
                &c.buttons,
            )]
        }
        Output::ItemCard(c) => {
            let lines: Vec<String> = c
                .item_list
                .iter()
                .map(|i| format!("{}: {}", i.title, i.description))
                .collect();
            let title = c
                .title
                .as_deref()
                .or(c.head.as_ref().map(|h| h.title.as_str()));
            let description = match &c.description {
                Some(d) => format!("{d}\n{}", lines.join("\n")),
                None => lines.join("\n"),
            };
            vec![card(
                title,
                Some(description),
                c.thumbnail.as_ref().map(|t| t.image_url.as_str()),
                &c.buttons,
            )]
        }
        Output::Carousel(c) => crate::summary::carousel_outputs(&c.items)
            .iter()
            .flat_map(cards_of)
            .collect(),
        Output::SimpleText(_) | Output::SimpleImage(_) => Vec::new(),
    }
}

/// The TalkTalk messages of a response to `user`, in order.
pub fn messages(t: &SkillTemplate, user: &str) -> Vec<SendEvent> {
    let mut out: Vec<SendEvent> = Vec::new();
    for o in &t.outputs {
        match o {
            Output::SimpleText(s) => {
                out.push(SendEvent::text(user, cut(&s.text, limits::TEXT_MAX)));
            }
            Output::SimpleImage(i) => out.push(SendEvent::image(user, i.image_url.clone())),
            other => {
                let cards = cards_of(other);
                for chunk in cards.chunks(limits::COMPOSITE_LIST_MAX) {
                    out.push(SendEvent::composite(user, chunk.to_vec()));
                }
            }
        }
    }
    let quick: Vec<Button> = t
        .quick_replies
        .iter()
        .map(|q| {
            let title = cut(&q.label, limits::QUICK_REPLY_TITLE_MAX);
            match &q.action {
                QuickReplyAction::Message { message_text, .. } => {
                    Button::text(title, Some(message_text.clone()))
                }
                QuickReplyAction::Block { block_id, .. } => {
                    Button::text(title, Some(format!("{BLOCK_CODE}{block_id}")))
                }
            }
        })
        .take(limits::QUICK_REPLY_BUTTONS_MAX)
        .collect();
    if !quick.is_empty() {
        match out.pop() {
            Some(last) => out.push(last.with_quick_replies(quick)),
            None => out.push(SendEvent::text(user, " ").with_quick_replies(quick)),
        }
    }
    out
}

/// What a TalkTalk text button's `code` asks of the bot.
pub fn read_code(code: &str) -> Option<crate::Input<'_>> {
    if code == OPERATOR_CODE {
        Some(crate::Input::Operator)
    } else {
        code.strip_prefix(BLOCK_CODE).map(crate::Input::Block)
    }
}
