//! The web chat v2 chat-button source (R1.5) an integrator pastes into a page.
//!
//! Optional parameters are present but commented out (`// site_uid: '',`), so the integrator
//! removes `//` and fills the value; every line ends with a comma, so any set of lines can be
//! uncommented. Hosted-mall integration fields (`partner_id`, `shop_id`) are fixed and marked
//! "do not edit".

use std::fmt::Write;

use crate::channel::Channel;
use crate::param::Field;
use crate::settings::Settings;

/// What the snippet needs to know.
#[derive(Debug, Clone)]
pub struct SnippetOptions<'a> {
    /// The site the button opens a chat with.
    pub site_id: &'a str,
    /// Where the widget script is served (`https://chat.example.com/static/widget.js`).
    pub script_url: &'a str,
    pub settings: &'a Settings,
    /// Fixed integration fields such as `partner_id` and `shop_id` of hosted malls.
    pub fixed: &'a [(&'a str, &'a str)],
}

/// The fixed fields offered as optional lines, in order (the output-only names are not).
const OPTIONAL: [Field; 8] = [
    Field::SiteUid,
    Field::SiteUidHash,
    Field::Name,
    Field::Phone,
    Field::Email,
    Field::UserParameter,
    Field::CategoryId,
    Field::DivisionId,
];

/// A JavaScript string literal that is also safe inside an HTML `<script>` element.
fn js_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text safe for a `//` comment on one line.
fn comment_text(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .replace("</", "<\\/")
}

/// A JavaScript property key: bare when it is an identifier, quoted otherwise.
fn js_key(k: &str) -> String {
    let ident = k
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if ident { k.to_owned() } else { js_string(k) }
}

/// The chat-button source for web chat v2.
pub fn chat_button_snippet(opts: &SnippetOptions<'_>) -> String {
    let mut s = String::new();
    s.push_str("<!-- Sangdam chat button (web chat v2) -->\n<script>\n");
    s.push_str("  window.sangdamChat = {\n");
    let _ = writeln!(s, "    siteId: {},", js_string(opts.site_id));
    if !opts.fixed.is_empty() {
        s.push_str("    // Fixed for your hosted mall: do not edit or remove these lines.\n");
        for (k, v) in opts.fixed {
            let _ = writeln!(s, "    {}: {}, // do not edit", js_key(k), js_string(v));
        }
    }
    s.push_str("    // Remove // before a parameter to use it, and fill in its value.\n");
    s.push_str("    params: {\n");
    for f in OPTIONAL {
        let _ = writeln!(
            s,
            "      // {}: '', // {}",
            f.spelling(Channel::WebchatV2),
            comment_text(f.placeholder_label())
        );
    }
    for slot in opts.settings.enabled_slots() {
        let _ = writeln!(
            s,
            "      // {}: '', // {}",
            slot.name(),
            comment_text(opts.settings.label(slot))
        );
    }
    s.push_str("    },\n  };\n</script>\n");
    let _ = writeln!(
        s,
        "<script src={} async></script>",
        js_string(opts.script_url).replace("\\u0026", "&amp;")
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::param::Slot;

    #[test]
    fn optional_lines_are_commented_and_fixed_marked() {
        let mut settings = Settings::default();
        let p1 = Slot::new(1).unwrap();
        settings.slot_mut(p1).enabled = true;
        settings.slot_mut(p1).description = "유입경로".into();
        let out = chat_button_snippet(&SnippetOptions {
            site_id: "S1",
            script_url: "https://chat.example.com/static/widget.js",
            settings: &settings,
            fixed: &[("partner_id", "cafe24"), ("shop_id", "mall01")],
        });
        assert!(out.contains("siteId: \"S1\","));
        assert!(out.contains("partner_id: \"cafe24\", // do not edit"));
        assert!(out.contains("shop_id: \"mall01\", // do not edit"));
        assert!(out.contains("      // site_uid: '', // 고객ID\n"));
        assert!(out.contains("      // categoryID: '',"));
        assert!(out.contains("      // parameter1: '', // 유입경로\n"));
        assert!(!out.contains("parameter2"));
        assert!(
            out.contains(
                "<script src=\"https://chat.example.com/static/widget.js\" async></script>"
            )
        );
    }

    #[test]
    fn hostile_values_cannot_break_out_of_the_script() {
        let mut settings = Settings::default();
        let p1 = Slot::new(1).unwrap();
        settings.slot_mut(p1).enabled = true;
        settings.slot_mut(p1).description = "a\n</script><script>alert(1)//".into();
        let out = chat_button_snippet(&SnippetOptions {
            site_id: "\"</script>",
            script_url: "https://x/w.js",
            settings: &settings,
            fixed: &[],
        });
        assert_eq!(out.matches("</script>").count(), 2, "{out}");
        assert!(!out.contains("a\n<"));
    }
}
