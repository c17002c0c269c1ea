//! Planning a room's ID change (R2.5): an agent sets or corrects the site_uid of a room, which
//! links the room to that ID's profile exactly as an inflow carrying the ID would.
//!
//! Core only decides what the change means; the store carries it out in one transaction and
//! writes the link journal entry (who, when, from which profile) that makes it undoable.

use std::borrow::Cow;

use inflow::{Channel, Param, Settings};
use serde::{Deserialize, Serialize};

use crate::error::CoreError;
use crate::ids::ProfileId;

/// What setting a room's ID does to its profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "plan", rename_all = "snake_case")]
pub enum LinkPlan {
    /// The room already has this ID: nothing to do, nothing to journal.
    Unchanged,
    /// Another profile already has this ID: move the room from `from` to `to`, merging the
    /// room's history into that profile's.
    LinkExisting { to: ProfileId, from: ProfileId },
    /// Nobody has this ID yet: create its profile and move the room there from `from`.
    CreateProfile { from: ProfileId },
}

/// Checks a site_uid an agent typed by the rules the chat-URL parser applies to `site_uid`
/// (R1.1, R1.4): not blank, at most 255 characters (never cut), not a sentinel such as
/// `undefined` or `0`, not an unfilled placeholder such as `{고객ID}`. A value refused here is
/// one no inflow could carry, so it could never link the room to a real customer.
///
/// `settings` supplies the site's sentinel list (and slot descriptions, which count as
/// placeholders when written as values).
pub fn validate_site_uid(site_uid: &str, settings: &Settings) -> Result<(), CoreError> {
    // The builder applies the parser's own judgement to the value and reports exactly the
    // warning the parser would give; reusing it keeps one definition of a valid ID.
    let param = Param::value(inflow::Field::SiteUid.name(), site_uid);
    match inflow::build(Channel::Kakao, "-", &[param], settings) {
        Ok(_) => Ok(()),
        Err(inflow::BuildError::Rejected(warnings)) => {
            let reason = warnings
                .into_iter()
                .map(|w| w.detail)
                .collect::<Vec<_>>()
                .join("; ");
            Err(CoreError::field("site_uid", non_empty(reason)))
        }
        Err(e) => Err(CoreError::field("site_uid", e.to_string())),
    }
}

fn non_empty(reason: String) -> Cow<'static, str> {
    if reason.is_empty() {
        Cow::Borrowed("not a usable ID")
    } else {
        Cow::Owned(reason)
    }
}

/// [`plan_link_with`] under the default sentinel list.
pub fn plan_link(
    current_profile: ProfileId,
    current_site_uid: Option<&str>,
    new_site_uid: &str,
    existing_profile_for_uid: Option<ProfileId>,
) -> Result<LinkPlan, CoreError> {
    plan_link_with(
        &Settings::default(),
        current_profile,
        current_site_uid,
        new_site_uid,
        existing_profile_for_uid,
    )
}

/// What setting a room's ID to `new_site_uid` does, given the room's profile and ID now and the
/// profile that already has the new ID (looked up by the store), under the site's settings.
pub fn plan_link_with(
    settings: &Settings,
    current_profile: ProfileId,
    current_site_uid: Option<&str>,
    new_site_uid: &str,
    existing_profile_for_uid: Option<ProfileId>,
) -> Result<LinkPlan, CoreError> {
    validate_site_uid(new_site_uid, settings)?;
    if current_site_uid == Some(new_site_uid) {
        return Ok(LinkPlan::Unchanged);
    }
    Ok(match existing_profile_for_uid {
        // The room is already on that ID's profile (the store's view of the room's ID lagged):
        // linking it to itself would journal a merge that merged nothing.
        Some(to) if to == current_profile => LinkPlan::Unchanged,
        Some(to) => LinkPlan::LinkExisting {
            to,
            from: current_profile,
        },
        None => LinkPlan::CreateProfile {
            from: current_profile,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const P1: ProfileId = ProfileId::new(1);
    const P2: ProfileId = ProfileId::new(2);

    #[test]
    fn same_id_is_unchanged() {
        assert_eq!(
            plan_link(P1, Some("member-42"), "member-42", Some(P1)),
            Ok(LinkPlan::Unchanged)
        );
        // Whatever the store believes about other profiles, the room already has this ID.
        assert_eq!(
            plan_link(P1, Some("member-42"), "member-42", None),
            Ok(LinkPlan::Unchanged)
        );
    }

    #[test]
    fn an_id_someone_has_links_to_their_profile() {
        assert_eq!(
            plan_link(P1, None, "member-42", Some(P2)),
            Ok(LinkPlan::LinkExisting { to: P2, from: P1 })
        );
        assert_eq!(
            plan_link(P1, Some("member-41"), "member-42", Some(P2)),
            Ok(LinkPlan::LinkExisting { to: P2, from: P1 })
        );
        assert_eq!(
            plan_link(P1, Some("홍길동"), "김철수", Some(P2)),
            Ok(LinkPlan::LinkExisting { to: P2, from: P1 })
        );
    }

    #[test]
    fn a_new_id_creates_its_profile() {
        assert_eq!(
            plan_link(P1, None, "member-42", None),
            Ok(LinkPlan::CreateProfile { from: P1 })
        );
        assert_eq!(
            plan_link(P1, Some("member-41"), "member-42", None),
            Ok(LinkPlan::CreateProfile { from: P1 })
        );
    }

    #[test]
    fn existing_profile_that_is_the_rooms_own_is_unchanged() {
        assert_eq!(
            plan_link(P1, None, "member-42", Some(P1)),
            Ok(LinkPlan::Unchanged)
        );
    }

    #[test]
    fn ids_no_inflow_could_carry_are_refused() {
        for bad in [
            "",
            "   ",
            "undefined",
            "NULL",
            "None",
            "nil",
            "nan",
            "0",
            "-",
            " 0 ",
            "{고객ID}",
            "('고객ID')",
            "[site_uid]",
            "{{id}}",
            "고객ID",
        ] {
            let got = plan_link(P1, None, bad, None);
            assert!(
                matches!(
                    got,
                    Err(CoreError::InvalidField {
                        field: "site_uid",
                        ..
                    })
                ),
                "{bad:?} gave {got:?}"
            );
        }
    }

    #[test]
    fn ids_are_limited_to_255_characters_and_never_cut() {
        let longest = "가".repeat(255);
        assert_eq!(
            plan_link(P1, None, &longest, None),
            Ok(LinkPlan::CreateProfile { from: P1 })
        );
        let err = plan_link(P1, None, &"가".repeat(256), None);
        assert!(err.is_err_and(|e| e.to_string().contains("255")));
    }

    #[test]
    fn refusal_explains_itself() {
        let err = plan_link(P1, None, "undefined", None).err();
        let text = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(text.starts_with("site_uid: "), "{text}");
        assert!(text.contains("no ID"), "{text}");
    }

    #[test]
    fn site_sentinels_apply() {
        let mut settings = Settings::default();
        settings.sentinels.push("guest".into());
        let got = plan_link_with(&settings, P1, None, "guest", None);
        assert!(got.is_err());
        assert!(plan_link(P1, None, "guest", None).is_ok());
        // A site whose member numbers include 0 can take it off its list.
        settings.sentinels.retain(|s| s != "0");
        assert_eq!(
            plan_link_with(&settings, P1, None, "0", None),
            Ok(LinkPlan::CreateProfile { from: P1 })
        );
    }

    #[test]
    fn plans_serialise_with_their_kind() {
        let json = serde_json::to_string(&LinkPlan::LinkExisting { to: P2, from: P1 }).ok();
        assert_eq!(
            json.as_deref(),
            Some(r#"{"plan":"link_existing","to":2,"from":1}"#)
        );
    }
}
