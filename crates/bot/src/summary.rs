//! A response as plain text: what the console, search and the reports read of a bot's answer,
//! and the walk over a response's buttons.

use protocol::kakao::{Button, CarouselItems, Output, SkillTemplate};

/// The texts of a response, one output a paragraph: simple texts as they are, cards as their
/// title and description, lists as their header and items, images as `[이미지] alt`; buttons
/// and quick replies as `[label]`.
pub fn summary(t: &SkillTemplate) -> String {
    let mut parts: Vec<String> = Vec::new();
    for o in &t.outputs {
        let mut lines: Vec<String> = Vec::new();
        output_lines(o, &mut lines);
        parts.push(lines.join("\n"));
    }
    let labels: Vec<String> = t
        .quick_replies
        .iter()
        .map(|q| format!("[{}]", q.label))
        .collect();
    if !labels.is_empty() {
        parts.push(labels.join(" "));
    }
    parts.retain(|p| !p.trim().is_empty());
    parts.join("\n\n")
}

fn push(lines: &mut Vec<String>, s: Option<&str>) {
    if let Some(s) = s.map(str::trim).filter(|s| !s.is_empty()) {
        lines.push(s.to_owned());
    }
}

fn buttons_line(lines: &mut Vec<String>, buttons: &[Button]) {
    if !buttons.is_empty() {
        lines.push(
            buttons
                .iter()
                .map(|b| format!("[{}]", b.label))
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
}

fn output_lines(o: &Output, lines: &mut Vec<String>) {
    match o {
        Output::SimpleText(s) => push(lines, Some(&s.text)),
        Output::SimpleImage(i) => lines.push(format!("[이미지] {}", i.alt_text.trim())),
        Output::TextCard(c) => {
            push(lines, c.title.as_deref());
            push(lines, c.description.as_deref());
            buttons_line(lines, &c.buttons);
        }
        Output::BasicCard(c) => {
            push(lines, c.title.as_deref());
            push(lines, c.description.as_deref());
            buttons_line(lines, &c.buttons);
        }
        Output::CommerceCard(c) => {
            push(lines, c.title.as_deref());
            push(lines, c.description.as_deref());
            lines.push(format!("{}원", c.discounted_price.unwrap_or(c.price)));
            buttons_line(lines, &c.buttons);
        }
        Output::ListCard(c) => {
            push(lines, Some(&c.header.title));
            for item in &c.items {
                lines.push(format!("· {}", item.title.trim()));
            }
            buttons_line(lines, &c.buttons);
        }
        Output::ItemCard(c) => {
            push(lines, c.head.as_ref().map(|h| h.title.as_str()));
            push(lines, c.title.as_deref());
            push(lines, c.description.as_deref());
            for item in &c.item_list {
                lines.push(format!(
                    "{}: {}",
                    item.title.trim(),
                    item.description.trim()
                ));
            }
            buttons_line(lines, &c.buttons);
        }
        Output::Carousel(c) => {
            if let Some(h) = &c.header {
                push(lines, Some(&h.title));
            }
            for o in carousel_outputs(&c.items) {
                output_lines(&o, lines);
            }
        }
    }
}

/// A carousel's cards as outputs of their own.
pub(crate) fn carousel_outputs(items: &CarouselItems) -> Vec<Output> {
    match items {
        CarouselItems::TextCard(v) => v.iter().cloned().map(Output::TextCard).collect(),
        CarouselItems::BasicCard(v) => v.iter().cloned().map(Output::BasicCard).collect(),
        CarouselItems::CommerceCard(v) => v.iter().cloned().map(Output::CommerceCard).collect(),
        CarouselItems::ListCard(v) => v.iter().cloned().map(Output::ListCard).collect(),
        CarouselItems::ItemCard(v) => v.iter().cloned().map(Output::ItemCard).collect(),
    }
}

/// The buttons of an output (not of a carousel's cards).
pub(crate) fn buttons_of(o: &Output) -> &[Button] {
    match o {
        Output::TextCard(c) => &c.buttons,
        Output::BasicCard(c) => &c.buttons,
        Output::CommerceCard(c) => &c.buttons,
        Output::ListCard(c) => &c.buttons,
        Output::ItemCard(c) => &c.buttons,
        Output::SimpleText(_) | Output::SimpleImage(_) | Output::Carousel(_) => &[],
    }
}

/// Calls `f` with every card button of a template and its JSON path (without `template`).
pub(crate) fn for_each_button(t: &SkillTemplate, f: &mut dyn FnMut(&str, &Button)) {
    for (i, o) in t.outputs.iter().enumerate() {
        match o {
            Output::Carousel(c) => {
                for (j, card) in carousel_outputs(&c.items).iter().enumerate() {
                    for (k, b) in buttons_of(card).iter().enumerate() {
                        f(
                            &format!(".outputs[{i}].carousel.items[{j}].buttons[{k}]"),
                            b,
                        );
                    }
                }
            }
            other => {
                let name = output_name(other);
                for (k, b) in buttons_of(other).iter().enumerate() {
                    f(&format!(".outputs[{i}].{name}.buttons[{k}]"), b);
                }
            }
        }
    }
}

pub(crate) fn output_name(o: &Output) -> &'static str {
    match o {
        Output::SimpleText(_) => "simpleText",
        Output::SimpleImage(_) => "simpleImage",
        Output::TextCard(_) => "textCard",
        Output::BasicCard(_) => "basicCard",
        Output::CommerceCard(_) => "commerceCard",
        Output::ListCard(_) => "listCard",
        Output::ItemCard(_) => "itemCard",
        Output::Carousel(_) => "carousel",
    }
}

/// A response as the bot answers on KakaoTalk through Sangdam's skill: an operator button
/// would call Kakao's own consultation plugin, so it becomes a message button sending its
/// label, which the bot hears as the operator (see [`crate::Memory::operator_labels`]).
pub fn for_kakao(mut t: SkillTemplate) -> SkillTemplate {
    fn fix(buttons: &mut [Button]) {
        for b in buttons {
            if matches!(b.action, protocol::kakao::ButtonAction::Operator) {
                b.action = protocol::kakao::ButtonAction::Message {
                    message_text: b.label.clone(),
                    extra: None,
                };
            }
        }
    }
    fn fix_output(o: &mut Output) {
        match o {
            Output::TextCard(c) => fix(&mut c.buttons),
            Output::BasicCard(c) => fix(&mut c.buttons),
            Output::CommerceCard(c) => fix(&mut c.buttons),
            Output::ListCard(c) => fix(&mut c.buttons),
            Output::ItemCard(c) => fix(&mut c.buttons),
            Output::Carousel(c) => match &mut c.items {
                CarouselItems::TextCard(v) => v.iter_mut().for_each(|c| fix(&mut c.buttons)),
                CarouselItems::BasicCard(v) => v.iter_mut().for_each(|c| fix(&mut c.buttons)),
                CarouselItems::CommerceCard(v) => {
                    v.iter_mut().for_each(|c| fix(&mut c.buttons));
                }
                CarouselItems::ListCard(v) => v.iter_mut().for_each(|c| fix(&mut c.buttons)),
                CarouselItems::ItemCard(v) => v.iter_mut().for_each(|c| fix(&mut c.buttons)),
            },
            Output::SimpleText(_) | Output::SimpleImage(_) => {}
        }
    }
    t.outputs.iter_mut().for_each(fix_output);
    t
}
