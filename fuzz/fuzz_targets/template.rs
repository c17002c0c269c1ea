//! `Template::parse` and `render` on arbitrary input: no panic, and a rendered URL never
//! contains a raw separator coming from a value; `TitleTemplate` likewise: no panic, and a
//! rendered title is its text with the value put in as it is.
#![no_main]

use inflow::{Template, TitleTemplate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: (&str, &str)| {
    let (source, value) = data;
    if let Ok(template) = Template::parse(source) {
        let plain = template.render(|_| None);
        let rendered = template.render(|_| Some(value));
        if !template.variables().is_empty() {
            // Values are percent-encoded: only unreserved ASCII and escapes are added.
            assert!(rendered.len() >= plain.len());
            assert_eq!(rendered.matches('&').count(), plain.matches('&').count());
            assert_eq!(rendered.matches('#').count(), plain.matches('#').count());
        }
    }
    if let Ok(title) = TitleTemplate::parse(source) {
        let plain = title.render(|_| None);
        let rendered = title.render(|_| Some(value));
        let uses = title.render(|_| Some("\u{0}")).matches('\u{0}').count()
            - plain.matches('\u{0}').count();
        assert_eq!(rendered.len(), plain.len() + uses * value.len());
        if title.variables().is_empty() {
            assert_eq!(plain, source.trim());
        }
    }
});
