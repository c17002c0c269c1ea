//! The desk's parsers on arbitrary input: business hours as a site saves them (JSON), an
//! iCalendar file, an automatic message and a customer's rating reply. None may panic; hours
//! that parse answer "open?" and "next opening?" consistently (the next opening is open, and
//! an open desk's next opening is the instant itself); a reply read as a score reads back from
//! that score's own quick-reply label; a message that parses renders within its limit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sangdam_core::auto_message::{
    AutoMessage, AutoMessageKind, MAX_AUTO_MESSAGE_CHARS, MessageValues,
};
use sangdam_core::hours::{self, Hours};
use sangdam_core::rating::Score;

fuzz_target!(|data: (&str, &str, i64, u8)| {
    let (text, other, millis, pick) = data;

    if let Ok(h) = serde_json::from_str::<Hours>(text)
        && let Ok(at) = jiff::Timestamp::from_millisecond(millis)
    {
        let open = hours::is_open(&h, at);
        match hours::next_opening(&h, at) {
            Some(next) => {
                assert!(hours::is_open(&h, next), "the next opening is open");
                if open {
                    assert_eq!(next, at, "an open desk opens now");
                }
            }
            None => assert!(!open, "an open desk has an opening"),
        }
    }

    let _ = hours::import_ics(text);

    let kinds = AutoMessageKind::ALL;
    let kind = kinds[usize::from(pick) % kinds.len()];
    if let Ok(m) = AutoMessage::parse(kind, true, text) {
        let values = MessageValues {
            counselor_name: Some(other),
            customer_name: Some(other),
            next_opening: Some(other),
            position: Some(u32::from(pick)),
            wait_minutes: Some(3),
            minutes: Some(5),
        };
        if let Some(rendered) = m.render(&values) {
            assert!(rendered.chars().count() <= MAX_AUTO_MESSAGE_CHARS);
        }
    }

    if let Some(score) = Score::from_reply(text) {
        for lang in [i18n::Lang::Ko, i18n::Lang::En] {
            assert_eq!(Score::from_reply(&score.label(lang)), Some(score));
        }
    }
});
