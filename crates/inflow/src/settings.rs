//! The per-site settings the parameter rules depend on.

use serde::{Deserialize, Serialize};

use crate::param::Slot;

/// Values that stand for "no ID" when an integrator fills a missing site_uid with something
/// (R1.4). Compared case-insensitively after trimming; empty is always a sentinel.
pub const DEFAULT_SENTINELS: [&str; 7] = ["undefined", "null", "none", "nil", "NaN", "0", "-"];

/// One custom slot's configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlotSetting {
    pub enabled: bool,
    /// The label agents and reports see, e.g. "유입경로".
    pub description: String,
}

/// What [`crate::parse`] and [`crate::build`] need to know about a site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Settings {
    /// `parameter1` … `parameter10`, in order.
    #[cfg_attr(feature = "openapi", schema(min_items = 10, max_items = 10))]
    pub slots: [SlotSetting; Slot::COUNT],
    /// site_uid values treated as absent. Lower-cased on comparison.
    pub sentinels: Vec<String>,
}

impl Default for Settings {
    /// No custom slot enabled; the default sentinel list.
    fn default() -> Self {
        Settings {
            slots: Default::default(),
            sentinels: DEFAULT_SENTINELS.iter().map(|s| (*s).to_owned()).collect(),
        }
    }
}

impl Settings {
    /// Every slot enabled without a description (what the command line assumes when told
    /// nothing about the site).
    pub fn all_enabled() -> Self {
        let mut s = Settings::default();
        for slot in &mut s.slots {
            slot.enabled = true;
        }
        s
    }

    /// Only the given slots enabled.
    pub fn with_enabled(slots: impl IntoIterator<Item = Slot>) -> Self {
        let mut s = Settings::default();
        for slot in slots {
            s.slots[slot.index()].enabled = true;
        }
        s
    }

    pub fn slot(&self, slot: Slot) -> &SlotSetting {
        &self.slots[slot.index()]
    }

    pub fn slot_mut(&mut self, slot: Slot) -> &mut SlotSetting {
        &mut self.slots[slot.index()]
    }

    pub fn is_enabled(&self, slot: Slot) -> bool {
        self.slot(slot).enabled
    }

    /// Enabled slots in order.
    pub fn enabled_slots(&self) -> impl Iterator<Item = Slot> + '_ {
        Slot::all().filter(|s| self.is_enabled(*s))
    }

    /// The label shown for a slot: its description, or its name when it has none.
    pub fn label(&self, slot: Slot) -> &str {
        let d = self.slot(slot).description.trim();
        if d.is_empty() { slot.name() } else { d }
    }

    pub(crate) fn is_sentinel(&self, trimmed: &str) -> bool {
        trimmed.is_empty()
            || self.sentinels.iter().any(|s| {
                s.len() >= trimmed.len() && {
                    let s = s.trim();
                    s.len() == trimmed.len() && (s == trimmed || s.eq_ignore_ascii_case(trimmed))
                }
            })
    }
}
