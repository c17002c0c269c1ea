//! Who may do what on a site: the roles' rules over consultations, rooms and profiles as one
//! decision, [`access`], of the account's [`Role`], how it stands to the resource
//! ([`Relation`]) and what it wants to do ([`Action`]).
//!
//! - The admin: everything of their site. A manager: every consultation, room and profile of
//!   their group, as an agent's business is theirs (the queue, and what the group's agents
//!   hold, open or finished, and those customers' other records); a manager who leads no
//!   group has the whole site for one. Not what is the admin's alone (recording a verified
//!   mobile number here; the settings and accounts elsewhere).
//! - An agent: the queue and their own consultations. A consultation is their business when it
//!   waits in the queue (waiting for an agent, none assigned) or is assigned to them, open or
//!   finished. They take a waiting one; they reply in and close only their own. They read a
//!   room, its messages, its profile and the customer's history across the profile's rooms
//!   when one of that customer's consultations is their business (so they see the history of
//!   the customer they serve). They edit a profile, or set or undo a room's ID, only while they
//!   hold an open consultation there.
//! - Whatever an account may not see answers as absent ([`Access::NotFound`]): another site's
//!   records, and for an agent whatever is none of their business, so nobody learns what exists
//!   beyond what they may read. Something they see but may not act on is
//!   [`Access::Forbidden`].
//!
//! Whether the action suits the consultation's state (taking one already taken, replying in a
//! closed one) is [`crate::transition`]'s business, decided after this one.

use crate::account::Role;
use crate::consultation::{ConsultationState, Transition};
use crate::ids::AgentId;

/// How an account stands to a consultation, a room or a profile, weakest first.
///
/// A room's or a profile's relation is the strongest of its consultations' (a room: those of
/// the room; a profile: those of every room linked to it); a consultation, room or profile of
/// a customer one of whose consultations is the agent's business, but none of its own, is
/// [`Relation::Customer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Relation {
    /// It belongs to another site.
    OtherSite,
    /// Of the site, and none of the agent's business: another agent's, the chatbot's, or
    /// finished without them.
    Unrelated,
    /// Of a customer the agent serves (another consultation or room of the same profile).
    Customer,
    /// Waiting in the queue: waiting for an agent, none assigned.
    Queued,
    /// Assigned to the agent, finished.
    Held,
    /// Assigned to the agent and open.
    HoldsOpen,
}

impl Relation {
    pub const ALL: [Relation; 6] = [
        Relation::OtherSite,
        Relation::Unrelated,
        Relation::Customer,
        Relation::Queued,
        Relation::Held,
        Relation::HoldsOpen,
    ];

    /// How one consultation of the agent's site stands to agent `me`, by its state and who
    /// holds it (never [`Relation::Customer`], which needs the customer's other
    /// consultations, nor [`Relation::OtherSite`]).
    pub fn of_consultation(
        state: ConsultationState,
        holder: Option<AgentId>,
        me: AgentId,
    ) -> Relation {
        Relation::of_consultation_in(state, holder, &[me])
    }

    /// [`Relation::of_consultation`] for an account whose own are those held by any of
    /// `ours` (a manager: the agents of their group, themselves among them).
    pub fn of_consultation_in(
        state: ConsultationState,
        holder: Option<AgentId>,
        ours: &[AgentId],
    ) -> Relation {
        match holder {
            Some(h) if ours.contains(&h) && state.is_open() => Relation::HoldsOpen,
            Some(h) if ours.contains(&h) => Relation::Held,
            Some(_) => Relation::Unrelated,
            None if state == ConsultationState::Waiting => Relation::Queued,
            None => Relation::Unrelated,
        }
    }

    /// The strongest relation of several consultations (a room's, a profile's); none is
    /// [`Relation::Unrelated`].
    pub fn of_all(
        consultations: impl IntoIterator<Item = (ConsultationState, Option<AgentId>)>,
        me: AgentId,
    ) -> Relation {
        Relation::of_all_in(consultations, &[me])
    }

    /// [`Relation::of_all`] for an account whose own are those held by any of `ours`.
    pub fn of_all_in(
        consultations: impl IntoIterator<Item = (ConsultationState, Option<AgentId>)>,
        ours: &[AgentId],
    ) -> Relation {
        consultations
            .into_iter()
            .map(|(state, holder)| Relation::of_consultation_in(state, holder, ours))
            .max()
            .unwrap_or(Relation::Unrelated)
    }

    /// Whether the consultation (room, profile) is the agent's business: queued, or theirs.
    pub fn is_business(self) -> bool {
        matches!(
            self,
            Relation::Queued | Relation::Held | Relation::HoldsOpen
        )
    }

    /// The relation of a resource whose own consultations stand in `own` to the agent, given
    /// how the customer's consultations (all of the profile's) stand: its own if it has one,
    /// else [`Relation::Customer`] when the customer is the agent's business.
    pub fn through_customer(own: Relation, customer: Relation) -> Relation {
        if own != Relation::Unrelated {
            own
        } else if customer.is_business() {
            Relation::Customer
        } else {
            Relation::Unrelated
        }
    }
}

/// What an account wants to do with a consultation, a room or a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// See it: a consultation with its messages, a room with its messages and link journal, a
    /// profile with its rooms and history.
    Read,
    /// Take a waiting consultation.
    Take,
    /// Reply in, close or transfer a consultation.
    Handle,
    /// Edit a customer's profile, preview or set a room's ID, undo a link.
    EditCustomer,
    /// Record a completed verification of a mobile number (the site's server, with the
    /// admin's credential).
    RecordVerification,
}

impl Action {
    pub const ALL: [Action; 5] = [
        Action::Read,
        Action::Take,
        Action::Handle,
        Action::EditCustomer,
        Action::RecordVerification,
    ];

    /// What a state change asks of the account making it: taking is [`Action::Take`],
    /// anything else (closing, transferring, …) [`Action::Handle`].
    pub fn of_transition(t: Transition) -> Action {
        match t {
            Transition::Take => Action::Take,
            _ => Action::Handle,
        }
    }

    /// How the refusal reads (after "an agent may not …" or alone).
    pub fn refusal(self) -> &'static str {
        match self {
            Action::Read => "this is not among the consultations you may read",
            Action::Take => "an agent takes only consultations waiting in the queue",
            Action::Handle => {
                "an agent replies in and closes only the consultations they hold; take it first"
            }
            Action::EditCustomer => {
                "an agent edits a customer, or sets a room's ID, only while holding an open \
                 consultation of theirs"
            }
            Action::RecordVerification => {
                "only the site's server (the admin's credential) records verifications"
            }
        }
    }
}

/// The answer to "may this account do that?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    Allowed,
    /// It sees the resource but may not do this: answered 403.
    Forbidden,
    /// It may not even see the resource: answered as if it did not exist (404).
    NotFound,
}

/// Whether an account of `role`, standing in `relation` to a consultation, room or profile,
/// may do `action` with it.
pub fn access(role: Role, relation: Relation, action: Action) -> Access {
    use Access::{Allowed, Forbidden, NotFound};
    if relation == Relation::OtherSite {
        return NotFound;
    }
    match role {
        Role::Admin => Allowed,
        // Their group's business, with an agent's sight and a manager's hands.
        Role::Manager if relation == Relation::Unrelated => NotFound,
        Role::Manager => match action {
            Action::RecordVerification => Forbidden,
            _ => Allowed,
        },
        Role::Agent => {
            if relation == Relation::Unrelated {
                return NotFound;
            }
            let allowed = match action {
                Action::Read => true,
                // Taking what is already theirs is refused by the state machine (409).
                Action::Take => relation >= Relation::Queued,
                // A finished one of theirs too: the state machine says it is closed (409).
                Action::Handle => relation >= Relation::Held,
                Action::EditCustomer => relation == Relation::HoldsOpen,
                Action::RecordVerification => false,
            };
            if allowed { Allowed } else { Forbidden }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ConsultationState as S;
    use Relation as R;

    /// The whole table, written out: every role × every relation × every action.
    #[test]
    fn every_role_relation_and_action() {
        const A: Access = Access::Allowed;
        const F: Access = Access::Forbidden;
        const N: Access = Access::NotFound;
        // Columns in Action::ALL order: read, take, handle, edit customer, record verification.
        #[rustfmt::skip]
        let table: [(Role, Relation, [Access; 5]); 18] = [
            (Role::Admin,   R::OtherSite, [N, N, N, N, N]),
            (Role::Admin,   R::Unrelated, [A, A, A, A, A]),
            (Role::Admin,   R::Customer,  [A, A, A, A, A]),
            (Role::Admin,   R::Queued,    [A, A, A, A, A]),
            (Role::Admin,   R::Held,      [A, A, A, A, A]),
            (Role::Admin,   R::HoldsOpen, [A, A, A, A, A]),
            (Role::Manager, R::OtherSite, [N, N, N, N, N]),
            (Role::Manager, R::Unrelated, [N, N, N, N, N]),
            (Role::Manager, R::Customer,  [A, A, A, A, F]),
            (Role::Manager, R::Queued,    [A, A, A, A, F]),
            (Role::Manager, R::Held,      [A, A, A, A, F]),
            (Role::Manager, R::HoldsOpen, [A, A, A, A, F]),
            (Role::Agent,   R::OtherSite, [N, N, N, N, N]),
            (Role::Agent,   R::Unrelated, [N, N, N, N, N]),
            (Role::Agent,   R::Customer,  [A, F, F, F, F]),
            (Role::Agent,   R::Queued,    [A, A, F, F, F]),
            (Role::Agent,   R::Held,      [A, A, A, F, F]),
            (Role::Agent,   R::HoldsOpen, [A, A, A, A, F]),
        ];
        let rows: Vec<_> = table.iter().map(|(role, rel, _)| (*role, *rel)).collect();
        let all: Vec<_> = Role::ALL
            .into_iter()
            .flat_map(|role| R::ALL.into_iter().map(move |rel| (role, rel)))
            .collect();
        assert_eq!(rows, all, "one row per role and relation, in order");
        for (role, relation, row) in table {
            for (action, want) in Action::ALL.into_iter().zip(row) {
                assert_eq!(
                    access(role, relation, action),
                    want,
                    "{role:?} {relation:?} {action:?}"
                );
            }
        }
    }

    /// What lets the application skip working out the admin's relation: within the site it
    /// changes nothing they may do. Another site's records are absent for all.
    #[test]
    fn only_the_admins_relation_within_the_site_does_not_matter() {
        for role in Role::ALL {
            for action in Action::ALL {
                assert_eq!(access(role, R::OtherSite, action), Access::NotFound);
            }
        }
        for action in Action::ALL {
            for rel in &R::ALL[1..] {
                assert_eq!(access(Role::Admin, *rel, action), Access::Allowed);
            }
        }
    }

    #[test]
    fn a_managers_group_is_their_business() {
        let (me, member, outsider) = (AgentId::new(7), AgentId::new(8), AgentId::new(9));
        let ours = [me, member];
        for s in S::ALL {
            let want = if s.is_open() { R::HoldsOpen } else { R::Held };
            assert_eq!(Relation::of_consultation_in(s, Some(member), &ours), want);
            assert_eq!(Relation::of_consultation_in(s, Some(me), &ours), want);
            assert_eq!(
                Relation::of_consultation_in(s, Some(outsider), &ours),
                R::Unrelated
            );
        }
        assert_eq!(
            Relation::of_all_in(
                [(S::Closed, Some(outsider)), (S::Closed, Some(member))],
                &ours
            ),
            R::Held
        );
        assert_eq!(
            access(Role::Manager, R::Unrelated, Action::Read),
            Access::NotFound
        );
    }

    #[test]
    fn a_consultation_is_an_agents_business_when_queued_or_theirs() {
        let me = AgentId::new(7);
        let other = AgentId::new(8);
        for s in S::ALL {
            let unassigned = Relation::of_consultation(s, None, me);
            let want = if s == S::Waiting {
                R::Queued
            } else {
                R::Unrelated
            };
            assert_eq!(unassigned, want, "{s} unassigned");
            let mine = Relation::of_consultation(s, Some(me), me);
            let want = if s.is_open() { R::HoldsOpen } else { R::Held };
            assert_eq!(mine, want, "{s} mine");
            assert!(mine.is_business());
            assert_eq!(
                Relation::of_consultation(s, Some(other), me),
                R::Unrelated,
                "{s} another agent's"
            );
        }
        let business: Vec<_> = R::ALL.into_iter().filter(|r| r.is_business()).collect();
        assert_eq!(business, [R::Queued, R::Held, R::HoldsOpen]);
    }

    #[test]
    fn a_room_or_profile_stands_as_its_strongest_consultation() {
        let me = AgentId::new(7);
        let other = AgentId::new(8);
        assert_eq!(Relation::of_all([], me), R::Unrelated);
        assert_eq!(
            Relation::of_all(
                [
                    (S::Closed, Some(other)),
                    (S::Closed, Some(me)),
                    (S::Waiting, None)
                ],
                me
            ),
            R::Held
        );
        assert_eq!(
            Relation::of_all([(S::Closed, Some(me)), (S::InProgress, Some(me))], me),
            R::HoldsOpen
        );
        assert_eq!(
            Relation::of_all([(S::InProgress, Some(other)), (S::Bot, None)], me),
            R::Unrelated
        );
    }

    #[test]
    fn the_customer_an_agent_serves_is_readable_across_rooms() {
        for own in R::ALL {
            for customer in R::ALL {
                let got = Relation::through_customer(own, customer);
                let want = match own {
                    R::Unrelated if customer.is_business() => R::Customer,
                    R::Unrelated => R::Unrelated,
                    _ => own,
                };
                assert_eq!(got, want, "{own:?} through {customer:?}");
            }
        }
    }

    #[test]
    fn taking_is_taking_and_everything_else_handles() {
        for t in Transition::ALL {
            let want = if t == Transition::Take {
                Action::Take
            } else {
                Action::Handle
            };
            assert_eq!(Action::of_transition(t), want, "{t:?}");
        }
        for a in Action::ALL {
            assert!(!a.refusal().is_empty());
        }
    }
}
