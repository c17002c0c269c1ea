//! `Template::parse` and `render` on arbitrary input: no panic, and a rendered URL never
//! contains a raw separator coming from a value.
#![no_main]

use inflow::Template;
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
});
