//! Event blocks (R5.1): a block bound to an event name is what the Event API sends. Its texts
//! may use the request's values as `{{data.KEY}}` (the event's `data`) and `{{params.KEY}}`
//! (the request's `params`); a request that lacks a value its block uses is refused, naming
//! it, so no customer ever reads a hole in a message.

use protocol::kakao::SkillTemplate;
use serde_json::{Map, Value};

/// Longest event name.
pub const EVENT_NAME_MAX: usize = 50;

/// Whether `name` can name an event: 1 to 50 ASCII letters, digits and `_` (as Kakao's).
pub fn check_event_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.chars().count() > EVENT_NAME_MAX {
        return Err(format!(
            "an event name has 1 to {EVENT_NAME_MAX} characters"
        ));
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err("an event name has only letters, digits and _".into());
    }
    Ok(())
}

/// A value as text in a message: a string as it is, a number or flag as written, anything else
/// as its JSON.
fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// `text` with every `{{data.KEY}}` and `{{params.KEY}}` filled; the placeholders whose value
/// is missing, when any is.
pub fn fill(
    text: &str,
    data: &Map<String, Value>,
    params: &Map<String, Value>,
) -> Result<String, Vec<String>> {
    let mut out = String::with_capacity(text.len());
    let mut missing = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let inner = after[..end].trim();
        let value = match inner.split_once('.') {
            Some(("data", key)) => Some(data.get(key)),
            Some(("params", key)) => Some(params.get(key)),
            _ => None,
        };
        match value {
            Some(Some(v)) => out.push_str(&as_text(v)),
            Some(None) => {
                missing.push(inner.to_owned());
            }
            // Not ours (Open Builder's own `{{#…}}`, or plain braces): kept as written.
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    if missing.is_empty() {
        Ok(out)
    } else {
        missing.sort();
        missing.dedup();
        Err(missing)
    }
}

/// The block's response with the request's values filled in every text; the placeholders
/// missing a value when any does.
pub fn render_event(
    response: &SkillTemplate,
    data: &Map<String, Value>,
    params: &Map<String, Value>,
) -> Result<SkillTemplate, Vec<String>> {
    let mut json = serde_json::to_value(response).map_err(|e| vec![e.to_string()])?;
    let mut missing = Vec::new();
    fill_all(&mut json, data, params, &mut missing);
    if !missing.is_empty() {
        missing.sort();
        missing.dedup();
        return Err(missing);
    }
    serde_json::from_value(json).map_err(|e| vec![e.to_string()])
}

fn fill_all(
    v: &mut Value,
    data: &Map<String, Value>,
    params: &Map<String, Value>,
    missing: &mut Vec<String>,
) {
    match v {
        Value::String(s) => match fill(s, data, params) {
            Ok(filled) => *s = filled,
            Err(m) => missing.extend(m),
        },
        Value::Array(items) => {
            for item in items {
                fill_all(item, data, params, missing);
            }
        }
        Value::Object(map) => {
            for (_, item) in map.iter_mut() {
                fill_all(item, data, params, missing);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn names_are_kakaos() {
        assert!(check_event_name("order_shipped").is_ok());
        assert!(check_event_name("A1").is_ok());
        assert!(check_event_name("").is_err());
        assert!(check_event_name("주문").is_err());
        assert!(check_event_name("order shipped").is_err());
        assert!(check_event_name(&"a".repeat(EVENT_NAME_MAX + 1)).is_err());
        assert!(check_event_name(&"a".repeat(EVENT_NAME_MAX)).is_ok());
    }

    #[test]
    fn placeholders_are_filled_and_others_kept() {
        let data = map(json!({"order": "A-17", "count": 3, "vip": true}));
        let params = map(json!({"name": "김고객"}));
        assert_eq!(
            fill(
                "{{params.name}}님, 주문 {{ data.order }} ({{data.count}}개, {{data.vip}}) {{#webhook.x}} {a}",
                &data,
                &params
            )
            .unwrap(),
            "김고객님, 주문 A-17 (3개, true) {{#webhook.x}} {a}"
        );
        assert_eq!(
            fill("{{data.none}} {{params.who}} {{data.none}}", &data, &params).unwrap_err(),
            ["data.none", "params.who"].map(String::from).to_vec()
        );
        assert_eq!(
            fill("open {{ never closed", &data, &params).unwrap(),
            "open {{ never closed"
        );
    }

    #[test]
    fn a_whole_template_is_rendered() {
        let t: SkillTemplate = serde_json::from_value(json!({
            "outputs": [{"simpleText": {"text": "{{params.name}}님, {{data.order}} 출발했어요"}}],
            "quickReplies": [{"label": "배송 조회", "action": "message", "messageText": "{{data.order}} 조회"}]
        }))
        .unwrap();
        let out = render_event(
            &t,
            &map(json!({"order": "A-17"})),
            &map(json!({"name": "김고객"})),
        )
        .unwrap();
        let v = serde_json::to_value(out).unwrap();
        assert_eq!(
            v["outputs"][0]["simpleText"]["text"],
            "김고객님, A-17 출발했어요"
        );
        assert_eq!(v["quickReplies"][0]["messageText"], "A-17 조회");
        assert_eq!(
            render_event(&t, &Map::new(), &Map::new()).unwrap_err(),
            ["data.order", "params.name"].map(String::from).to_vec()
        );
    }
}
