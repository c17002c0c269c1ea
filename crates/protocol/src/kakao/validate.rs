//! Every limit of `docs/PROTOCOLS.md` §1, checked on a whole response.

use super::response::*;
use crate::limit::{Checker, LimitError};

/// Per-component limits, in characters or entries.
pub mod limits {
    pub const OUTPUTS_MIN: usize = 1;
    pub const OUTPUTS_MAX: usize = 3;
    pub const QUICK_REPLIES_MAX: usize = 10;
    pub const QUICK_REPLY_LABEL_MAX: usize = 14;
    pub const SIMPLE_TEXT_MAX: usize = 1000;
    pub const ALT_TEXT_MAX: usize = 50;
    pub const TEXT_CARD_TITLE_MAX: usize = 50;
    pub const TEXT_CARD_DESCRIPTION_MAX: usize = 400;
    pub const TEXT_CARD_DESCRIPTION_IN_CAROUSEL_MAX: usize = 128;
    pub const BASIC_CARD_TITLE_MAX: usize = 50;
    pub const BASIC_CARD_DESCRIPTION_MAX: usize = 230;
    pub const COMMERCE_CARD_TITLE_MAX: usize = 30;
    pub const COMMERCE_CARD_DESCRIPTION_MAX: usize = 40;
    pub const COMMERCE_CARD_THUMBNAILS: usize = 1;
    pub const COMMERCE_CURRENCY: &str = "won";
    pub const LIST_CARD_ITEMS_MAX: usize = 5;
    pub const LIST_CARD_ITEMS_IN_CAROUSEL_MAX: usize = 4;
    pub const ITEM_CARD_ITEMS_MAX: usize = 10;
    pub const ITEM_CARD_ITEMS_IN_CAROUSEL_MAX: usize = 5;
    pub const BUTTONS_VERTICAL_MAX: usize = 3;
    pub const BUTTONS_HORIZONTAL_MAX: usize = 2;
    pub const BUTTON_LABEL_VERTICAL_MAX: usize = 14;
    pub const BUTTON_LABEL_HORIZONTAL_MAX: usize = 8;
    pub const CAROUSEL_ITEMS_MAX: usize = 10;
    pub const CAROUSEL_LIST_CARDS_MAX: usize = 5;
}

use limits::*;

impl SkillResponse {
    /// Checks every limit Open Builder enforces and returns all broken ones (not just the
    /// first), each located by its JSON path, e.g. `template.outputs[0].simpleText.text`.
    /// Lengths count Unicode characters, not bytes.
    ///
    /// Besides the documented limits it refuses what Open Builder cannot render at all: a
    /// response with neither a template nor `useCallback`/`data`, empty required texts, a text
    /// card with neither title nor description, an empty list/item card or carousel, a button
    /// or quick reply without its target, a simpleImage URL that is not http(s).
    pub fn validate(&self) -> Result<(), Vec<LimitError>> {
        let mut c = Checker::default();
        if self.version != VERSION {
            c.invalid(
                "version",
                format!("version is {:?}; it must be {VERSION:?}", self.version),
            );
        }
        match &self.template {
            Some(t) => template(&mut c, t),
            None if self.use_callback || self.data.is_some() => {}
            None => c.missing("template", "template (or useCallback, or data)"),
        }
        if let Some(ctx) = &self.context {
            for (i, v) in ctx.values.iter().enumerate() {
                c.required(
                    &format!("context.values[{i}].name"),
                    "context name",
                    Some(&v.name),
                );
            }
        }
        c.finish()
    }
}

fn template(c: &mut Checker, t: &SkillTemplate) {
    let n = t.outputs.len();
    c.min_items("template.outputs", "template.outputs", n, OUTPUTS_MIN);
    c.max_items("template.outputs", "template.outputs", n, OUTPUTS_MAX);
    for (i, o) in t.outputs.iter().enumerate() {
        output(c, &format!("template.outputs[{i}]"), o);
    }
    c.max_items(
        "template.quickReplies",
        "template.quickReplies",
        t.quick_replies.len(),
        QUICK_REPLIES_MAX,
    );
    for (i, q) in t.quick_replies.iter().enumerate() {
        quick_reply(c, &format!("template.quickReplies[{i}]"), q);
    }
}

fn quick_reply(c: &mut Checker, path: &str, q: &QuickReply) {
    let label = format!("{path}.label");
    c.required(&label, "quick reply label", Some(&q.label));
    c.max_chars(&label, "quick reply label", &q.label, QUICK_REPLY_LABEL_MAX);
    match &q.action {
        QuickReplyAction::Message { message_text, .. } => c.required(
            &format!("{path}.messageText"),
            "messageText of a message quick reply",
            Some(message_text),
        ),
        QuickReplyAction::Block { block_id, .. } => c.required(
            &format!("{path}.blockId"),
            "blockId of a block quick reply",
            Some(block_id),
        ),
    }
}

fn output(c: &mut Checker, path: &str, o: &Output) {
    match o {
        Output::SimpleText(t) => {
            let p = format!("{path}.simpleText.text");
            c.required(&p, "simpleText.text", Some(&t.text));
            c.max_chars(&p, "simpleText.text", &t.text, SIMPLE_TEXT_MAX);
        }
        Output::SimpleImage(img) => simple_image(c, &format!("{path}.simpleImage"), img),
        Output::TextCard(card) => text_card(c, &format!("{path}.textCard"), card, false),
        Output::BasicCard(card) => basic_card(c, &format!("{path}.basicCard"), card),
        Output::CommerceCard(card) => commerce_card(c, &format!("{path}.commerceCard"), card),
        Output::ListCard(card) => list_card(c, &format!("{path}.listCard"), card, false),
        Output::ItemCard(card) => item_card(c, &format!("{path}.itemCard"), card, false),
        Output::Carousel(car) => carousel(c, &format!("{path}.carousel"), car),
    }
}

fn simple_image(c: &mut Checker, path: &str, img: &SimpleImage) {
    let url = format!("{path}.imageUrl");
    if img.image_url.trim().is_empty() {
        c.missing(&url, "simpleImage.imageUrl");
    } else if !is_http_url(&img.image_url) {
        c.invalid(
            &url,
            format!(
                "simpleImage.imageUrl {:?} is not an http(s) URL",
                img.image_url
            ),
        );
    }
    let alt = format!("{path}.altText");
    c.required(&alt, "simpleImage.altText", Some(&img.alt_text));
    c.max_chars(&alt, "simpleImage.altText", &img.alt_text, ALT_TEXT_MAX);
}

fn is_http_url(s: &str) -> bool {
    let lower = s.trim().to_ascii_lowercase();
    ["http://", "https://"]
        .iter()
        .any(|scheme| lower.len() > scheme.len() && lower.starts_with(scheme))
}

fn opt_max(c: &mut Checker, path: &str, what: &str, s: &Option<String>, limit: usize) {
    if let Some(s) = s {
        c.max_chars(path, what, s, limit);
    }
}

fn text_card(c: &mut Checker, path: &str, card: &TextCard, in_carousel: bool) {
    let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
    if blank(&card.title) && blank(&card.description) {
        c.missing(path, "textCard title or description");
    }
    opt_max(
        c,
        &format!("{path}.title"),
        "textCard.title",
        &card.title,
        TEXT_CARD_TITLE_MAX,
    );
    let (limit, what) = if in_carousel {
        (
            TEXT_CARD_DESCRIPTION_IN_CAROUSEL_MAX,
            "textCard.description in a carousel",
        )
    } else {
        (TEXT_CARD_DESCRIPTION_MAX, "textCard.description")
    };
    opt_max(
        c,
        &format!("{path}.description"),
        what,
        &card.description,
        limit,
    );
    buttons(c, path, &card.buttons, card.button_layout);
}

fn basic_card(c: &mut Checker, path: &str, card: &BasicCard) {
    opt_max(
        c,
        &format!("{path}.title"),
        "basicCard.title",
        &card.title,
        BASIC_CARD_TITLE_MAX,
    );
    opt_max(
        c,
        &format!("{path}.description"),
        "basicCard.description",
        &card.description,
        BASIC_CARD_DESCRIPTION_MAX,
    );
    c.required(
        &format!("{path}.thumbnail.imageUrl"),
        "basicCard.thumbnail",
        Some(&card.thumbnail.image_url),
    );
    buttons(c, path, &card.buttons, card.button_layout);
}

fn commerce_card(c: &mut Checker, path: &str, card: &CommerceCard) {
    opt_max(
        c,
        &format!("{path}.title"),
        "commerceCard.title",
        &card.title,
        COMMERCE_CARD_TITLE_MAX,
    );
    opt_max(
        c,
        &format!("{path}.description"),
        "commerceCard.description",
        &card.description,
        COMMERCE_CARD_DESCRIPTION_MAX,
    );
    if card.price < 0 {
        c.invalid(
            &format!("{path}.price"),
            format!(
                "commerceCard.price is {}; it must be a whole number of won, 0 or more",
                card.price
            ),
        );
    }
    if card.currency != COMMERCE_CURRENCY {
        c.invalid(
            &format!("{path}.currency"),
            format!(
                "commerceCard.currency is {:?}; only {COMMERCE_CURRENCY:?} is accepted",
                card.currency
            ),
        );
    }
    let thumbs = format!("{path}.thumbnails");
    let n = card.thumbnails.len();
    c.min_items(
        &thumbs,
        "commerceCard.thumbnails",
        n,
        COMMERCE_CARD_THUMBNAILS,
    );
    c.max_items(
        &thumbs,
        "commerceCard.thumbnails",
        n,
        COMMERCE_CARD_THUMBNAILS,
    );
    for (i, t) in card.thumbnails.iter().enumerate() {
        c.required(
            &format!("{thumbs}[{i}].imageUrl"),
            "commerceCard thumbnail imageUrl",
            Some(&t.image_url),
        );
    }
    buttons(c, path, &card.buttons, card.button_layout);
}

fn list_card(c: &mut Checker, path: &str, card: &ListCard, in_carousel: bool) {
    c.required(
        &format!("{path}.header.title"),
        "listCard.header",
        Some(&card.header.title),
    );
    let items = format!("{path}.items");
    let (limit, what) = if in_carousel {
        (
            LIST_CARD_ITEMS_IN_CAROUSEL_MAX,
            "listCard.items in a carousel",
        )
    } else {
        (LIST_CARD_ITEMS_MAX, "listCard.items")
    };
    c.min_items(&items, what, card.items.len(), 1);
    c.max_items(&items, what, card.items.len(), limit);
    for (i, item) in card.items.iter().enumerate() {
        c.required(
            &format!("{items}[{i}].title"),
            "listCard item title",
            Some(&item.title),
        );
    }
    buttons(c, path, &card.buttons, card.button_layout);
}

fn item_card(c: &mut Checker, path: &str, card: &ItemCard, in_carousel: bool) {
    let list = format!("{path}.itemList");
    let (limit, what) = if in_carousel {
        (
            ITEM_CARD_ITEMS_IN_CAROUSEL_MAX,
            "itemCard.itemList in a carousel",
        )
    } else {
        (ITEM_CARD_ITEMS_MAX, "itemCard.itemList")
    };
    c.min_items(&list, what, card.item_list.len(), 1);
    c.max_items(&list, what, card.item_list.len(), limit);
    if let Some(t) = &card.thumbnail {
        c.required(
            &format!("{path}.thumbnail.imageUrl"),
            "itemCard.thumbnail.imageUrl",
            Some(&t.image_url),
        );
    }
    buttons(c, path, &card.buttons, card.button_layout);
}

fn carousel(c: &mut Checker, path: &str, car: &Carousel) {
    let items = format!("{path}.items");
    let n = car.items.len();
    let (limit, what) = match car.items {
        CarouselItems::ListCard(_) => (CAROUSEL_LIST_CARDS_MAX, "a carousel of listCards"),
        _ => (CAROUSEL_ITEMS_MAX, "carousel.items"),
    };
    c.min_items(&items, what, n, 1);
    c.max_items(&items, what, n, limit);
    match &car.items {
        CarouselItems::TextCard(v) => {
            for (i, card) in v.iter().enumerate() {
                text_card(c, &format!("{items}[{i}]"), card, true);
            }
        }
        CarouselItems::BasicCard(v) => {
            for (i, card) in v.iter().enumerate() {
                basic_card(c, &format!("{items}[{i}]"), card);
            }
        }
        CarouselItems::CommerceCard(v) => {
            for (i, card) in v.iter().enumerate() {
                commerce_card(c, &format!("{items}[{i}]"), card);
            }
        }
        CarouselItems::ListCard(v) => {
            for (i, card) in v.iter().enumerate() {
                list_card(c, &format!("{items}[{i}]"), card, true);
            }
        }
        CarouselItems::ItemCard(v) => {
            for (i, card) in v.iter().enumerate() {
                item_card(c, &format!("{items}[{i}]"), card, true);
            }
        }
    }
    if let Some(h) = &car.header {
        c.required(
            &format!("{path}.header.thumbnail.imageUrl"),
            "carousel header thumbnail",
            Some(&h.thumbnail.image_url),
        );
    }
}

fn buttons(c: &mut Checker, card_path: &str, buttons: &[Button], layout: Option<ButtonLayout>) {
    let path = format!("{card_path}.buttons");
    let (max, label_max, what) = match layout.unwrap_or_default() {
        ButtonLayout::Vertical => (BUTTONS_VERTICAL_MAX, BUTTON_LABEL_VERTICAL_MAX, "buttons"),
        ButtonLayout::Horizontal => (
            BUTTONS_HORIZONTAL_MAX,
            BUTTON_LABEL_HORIZONTAL_MAX,
            "buttons in a horizontal layout",
        ),
    };
    c.max_items(&path, what, buttons.len(), max);
    for (i, b) in buttons.iter().enumerate() {
        let p = format!("{path}[{i}]");
        let label = format!("{p}.label");
        c.required(&label, "button label", Some(&b.label));
        c.max_chars(&label, "button label", &b.label, label_max);
        match &b.action {
            ButtonAction::WebLink { web_link_url } => c.required(
                &format!("{p}.webLinkUrl"),
                "webLinkUrl of a webLink button",
                Some(web_link_url),
            ),
            ButtonAction::Message { message_text, .. } => c.required(
                &format!("{p}.messageText"),
                "messageText of a message button",
                Some(message_text),
            ),
            ButtonAction::Phone { phone_number } => c.required(
                &format!("{p}.phoneNumber"),
                "phoneNumber of a phone button",
                Some(phone_number),
            ),
            ButtonAction::Block { block_id, .. } => c.required(
                &format!("{p}.blockId"),
                "blockId of a block button",
                Some(block_id),
            ),
            ButtonAction::Share | ButtonAction::Operator => {}
        }
    }
}
