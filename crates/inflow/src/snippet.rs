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

/// The snippet's comments, in the language of whoever pastes it (the caller's catalogue).
#[derive(Debug, Clone, Copy)]
pub struct SnippetComments<'a> {
    /// The first line, inside `<!-- … -->`.
    pub heading: &'a str,
    /// Above the fixed hosted-mall lines.
    pub fixed: &'a str,
    /// After each fixed line.
    pub do_not_edit: &'a str,
    /// Above the optional parameters.
    pub optional: &'a str,
}

impl SnippetComments<'static> {
    /// The comments in English.
    pub const ENGLISH: SnippetComments<'static> = SnippetComments {
        heading: "Sangdam chat button (web chat v2)",
        fixed: "Fixed for your hosted mall: do not edit or remove these lines.",
        do_not_edit: "do not edit",
        optional: "Remove // before a parameter to use it, and fill in its value.",
    };
}

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
    pub comments: SnippetComments<'a>,
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
    let c = &opts.comments;
    let _ = writeln!(
        s,
        "<!-- {} -->\n<script>",
        comment_text(c.heading).replace("--", "- -")
    );
    s.push_str("  window.sangdamChat = {\n");
    let _ = writeln!(s, "    siteId: {},", js_string(opts.site_id));
    if !opts.fixed.is_empty() {
        let _ = writeln!(s, "    // {}", comment_text(c.fixed));
        for (k, v) in opts.fixed {
            let _ = writeln!(
                s,
                "    {}: {}, // {}",
                js_key(k),
                js_string(v),
                comment_text(c.do_not_edit)
            );
        }
    }
    let _ = writeln!(s, "    // {}", comment_text(c.optional));
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
            comments: SnippetComments::ENGLISH,
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
            comments: SnippetComments::ENGLISH,
        });
        assert_eq!(out.matches("</script>").count(), 2, "{out}");
        assert!(!out.contains("a\n<"));
    }

    #[test]
    fn comments_come_in_the_given_words_and_cannot_end_theirs_early() {
        let settings = Settings::default();
        let out = chat_button_snippet(&SnippetOptions {
            site_id: "1",
            script_url: "https://x/w.js",
            settings: &settings,
            fixed: &[("shop_id", "mall01")],
            comments: SnippetComments {
                heading: "상담 버튼 --> <script>",
                fixed: "고정 값\n</script>",
                do_not_edit: "수정 금지",
                optional: "쓰려는 줄의 // 를 지우세요",
            },
        });
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "<!-- 상담 버튼 - -> <script> -->", "{out}");
        assert!(out.contains("    // 고정 값 <\\/script>\n"), "{out}");
        assert!(out.contains("shop_id: \"mall01\", // 수정 금지\n"), "{out}");
        assert!(out.contains("    // 쓰려는 줄의 // 를 지우세요\n"), "{out}");
        assert_eq!(out.matches("</script>").count(), 2, "{out}");
    }
}
