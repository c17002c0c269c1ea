//! `inflow::parse` and `parse_params` on arbitrary input: no panic, no hang, and whatever comes
//! out respects the limits a stored value must respect.
#![no_main]

use inflow::{Channel, Settings, Slot, parse, parse_params};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let channel = Channel::ALL[usize::from(selector & 3)];
    let text = String::from_utf8_lossy(rest);
    let mut settings = Settings::with_enabled(Slot::all().filter(|s| s.number() % 2 == 1));
    settings.slot_mut(Slot::new(1).unwrap()).description = "유입경로".into();
    let inflows = if selector & 4 == 0 {
        parse(channel, &text, &settings)
    } else {
        parse_params(channel, &text, &settings)
    };
    let f = &inflows.fields;
    assert!(f.site_uid.as_ref().is_none_or(|v| v.chars().count() <= 255 && !v.trim().is_empty()));
    assert!(f.name.as_ref().is_none_or(|v| v.chars().count() <= 100));
    assert!(f.phone.as_ref().is_none_or(|v| v.chars().count() <= 100));
    assert!(f.email.as_ref().is_none_or(|v| v.chars().count() <= 100 && v.contains('@')));
    assert!(f.user_parameter.as_ref().is_none_or(|v| v.chars().count() <= 200));
    assert!(f.category_id.is_none_or(|v| v <= 99_999_999_999));
    assert!(f.division_id.is_none_or(|v| v <= 99_999_999_999));
    for (slot, value) in &inflows.custom {
        assert!(settings.is_enabled(*slot));
        assert!(value.chars().count() <= 20);
    }
});
