//! The life of one consultation (R3.1): its states with HappyTalk's integer codes, how it
//! ended, which actions move it where, and whether an inflow opens a new one or joins one.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::access::Relation;
use crate::error::CoreError;
use crate::ids::{AgentId, ConsultationId};

/// Where a consultation is. The integer [`code`](Self::code)s are HappyTalk's and are kept in
/// exports, so reports stay comparable with what sites used before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ConsultationState {
    /// Opened for the chatbot, which has not answered yet.
    BotWaiting,
    /// A chatbot is answering.
    Bot,
    /// Queued for an agent.
    Waiting,
    /// Assigned to an agent.
    InProgress,
    Closed,
    Deleted,
    /// Ended inside the bot, no agent involved.
    BotClosed,
}

impl ConsultationState {
    /// Every state, in code order.
    pub const ALL: [ConsultationState; 7] = [
        ConsultationState::BotWaiting,
        ConsultationState::Bot,
        ConsultationState::Waiting,
        ConsultationState::InProgress,
        ConsultationState::Closed,
        ConsultationState::Deleted,
        ConsultationState::BotClosed,
    ];

    /// HappyTalk's integer code.
    pub fn code(self) -> i64 {
        match self {
            ConsultationState::BotWaiting => -2,
            ConsultationState::Bot => -1,
            ConsultationState::Waiting => 0,
            ConsultationState::InProgress => 1,
            ConsultationState::Closed => 2,
            ConsultationState::Deleted => 3,
            ConsultationState::BotClosed => 4,
        }
    }

    pub fn from_code(code: i64) -> Option<ConsultationState> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The stable snake_case name used in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            ConsultationState::BotWaiting => "bot_waiting",
            ConsultationState::Bot => "bot",
            ConsultationState::Waiting => "waiting",
            ConsultationState::InProgress => "in_progress",
            ConsultationState::Closed => "closed",
            ConsultationState::Deleted => "deleted",
            ConsultationState::BotClosed => "bot_closed",
        }
    }

    /// How the state reads in a sentence ("a consultation that is …").
    pub fn label(self) -> &'static str {
        match self {
            ConsultationState::BotWaiting => "waiting for the chatbot",
            ConsultationState::Bot => "with the chatbot",
            ConsultationState::Waiting => "waiting for an agent",
            ConsultationState::InProgress => "in progress",
            ConsultationState::Closed => "closed",
            ConsultationState::Deleted => "deleted",
            ConsultationState::BotClosed => "closed by the chatbot",
        }
    }

    /// Whether the chatbot answers the customer in this state. No transition leads into it:
    /// a consultation opens with the bot or never sees it, and one that has left it never
    /// comes back (so "no longer with the bot" may be remembered without reading it again).
    pub fn with_bot(self) -> bool {
        matches!(self, ConsultationState::BotWaiting | ConsultationState::Bot)
    }

    /// Whether the consultation is still going on: a new inflow joins it instead of opening
    /// another, and it counts as "still open" in reports.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ConsultationState::BotWaiting
                | ConsultationState::Bot
                | ConsultationState::Waiting
                | ConsultationState::InProgress
        )
    }
}

impl fmt::Display for ConsultationState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ConsultationState {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| {
                CoreError::field(
                    "state",
                    format!(
                        "{s:?} is not a consultation state: expected bot_waiting, bot, waiting, \
                         in_progress, closed, deleted or bot_closed"
                    ),
                )
            })
    }
}

/// Who ended a closed consultation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EndType {
    Agent,
    Customer,
    Manager,
    /// Closed by the auto-close rules (R3.5).
    AutoClose,
    /// Closed as it opened, outside business hours, on a site that does not queue off-hours
    /// inflows (R3.4): the customer heard the off-hours message and nobody was to answer.
    OffHours,
    /// Closed as it opened because the site's queue was full (its queue limit, R3.3): the
    /// customer heard the over-capacity message.
    OverCapacity,
    /// Closed as it opened because the customer is blocked (their grade): the customer heard
    /// the site's `blocked` message and no agent saw it.
    Blocked,
}

impl EndType {
    pub const ALL: [EndType; 7] = [
        EndType::Agent,
        EndType::Customer,
        EndType::Manager,
        EndType::AutoClose,
        EndType::OffHours,
        EndType::OverCapacity,
        EndType::Blocked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EndType::Agent => "agent",
            EndType::Customer => "customer",
            EndType::Manager => "manager",
            EndType::AutoClose => "auto_close",
            EndType::OffHours => "off_hours",
            EndType::OverCapacity => "over_capacity",
            EndType::Blocked => "blocked",
        }
    }
}

impl fmt::Display for EndType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EndType {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|e| e.as_str() == s)
            .ok_or_else(|| {
                CoreError::field(
                    "end_type",
                    format!(
                        "{s:?} is not an end type: expected agent, customer, manager, auto_close, off_hours, over_capacity or blocked"
                    ),
                )
            })
    }
}

/// Something that happens to a consultation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    /// The chatbot hands the customer to a human (the consultation plugin, R4.2).
    HandToAgent,
    /// An agent takes a queued consultation (manual pickup or distribution).
    Take,
    /// The consultation moves to another agent; it stays in progress.
    Transfer,
    /// An assigned consultation goes back to the queue (unanswered for too long, or
    /// transferred to a category), keeping its first waiting start.
    SendBack,
    Close(EndType),
    /// Removed from lists; only a finished consultation can be.
    Delete,
    /// The conversation ended inside the chatbot.
    BotEnd,
}

impl Transition {
    /// Every transition, with every end type for `Close`.
    pub const ALL: [Transition; 13] = [
        Transition::HandToAgent,
        Transition::Take,
        Transition::Transfer,
        Transition::SendBack,
        Transition::Close(EndType::Agent),
        Transition::Close(EndType::Customer),
        Transition::Close(EndType::Manager),
        Transition::Close(EndType::AutoClose),
        Transition::Close(EndType::OffHours),
        Transition::Close(EndType::OverCapacity),
        Transition::Close(EndType::Blocked),
        Transition::Delete,
        Transition::BotEnd,
    ];

    /// The action's snake_case name, as [`CoreError::InvalidTransition`] carries it.
    pub fn action(self) -> &'static str {
        match self {
            Transition::HandToAgent => "hand_to_agent",
            Transition::Take => "take",
            Transition::Transfer => "transfer",
            Transition::SendBack => "send_back",
            Transition::Close(_) => "close",
            Transition::Delete => "delete",
            Transition::BotEnd => "bot_end",
        }
    }
}

/// The state a consultation in `from` is in after `t`, or why `t` is not allowed there.
pub fn transition(from: ConsultationState, t: Transition) -> Result<ConsultationState, CoreError> {
    use ConsultationState as S;
    let to = match (from, t) {
        (S::BotWaiting | S::Bot, Transition::HandToAgent) => S::Waiting,
        (S::Waiting, Transition::Take) => S::InProgress,
        (S::InProgress, Transition::Transfer) => S::InProgress,
        (S::InProgress, Transition::SendBack) => S::Waiting,
        // Any open consultation can be closed by anyone: a customer leaves the bot, a manager
        // clears the queue, auto-close ends a silent one.
        (S::BotWaiting | S::Bot | S::Waiting | S::InProgress, Transition::Close(_)) => S::Closed,
        (S::BotWaiting | S::Bot, Transition::BotEnd) => S::BotClosed,
        // Only finished consultations are deleted, so nobody loses a conversation in progress.
        (S::Closed | S::BotClosed, Transition::Delete) => S::Deleted,
        _ => {
            return Err(CoreError::InvalidTransition {
                from,
                action: t.action(),
            });
        }
    };
    Ok(to)
}

/// What an inflow does to a room's consultations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InflowOutcome {
    /// Open a new consultation in this state.
    Open { state: ConsultationState },
    /// Add the inflow (its parameters) to this open consultation.
    Join(ConsultationId),
}

/// Whether an inflow opens a consultation or joins the room's open one (R3.1, R4.4).
///
/// `open` is the room's latest open consultation, if any. A finished one passed by mistake is
/// treated as none: joining a closed consultation would hide the new inflow from the queue.
pub fn on_inflow(
    open: Option<(ConsultationId, ConsultationState)>,
    bot_start: bool,
) -> InflowOutcome {
    match open {
        Some((id, state)) if state.is_open() => InflowOutcome::Join(id),
        _ => InflowOutcome::Open {
            state: if bot_start {
                ConsultationState::Bot
            } else {
                ConsultationState::Waiting
            },
        },
    }
}

/// Whether an agent (not a manager or admin, who follow everything) follows a consultation
/// live (R3.6: agents see their own rooms and the queue): it waits in the queue for anyone to
/// take, or it is open and theirs. Consultations other agents hold, the chatbot's, and closed
/// ones are not followed.
pub fn agent_follows(state: ConsultationState, holder: Option<AgentId>, me: AgentId) -> bool {
    follows_in(state, holder, &[me])
}

/// [`agent_follows`] for an account whose own are those held by any of `ours` (a manager who
/// leads a group: its agents and themselves).
pub fn follows_in(state: ConsultationState, holder: Option<AgentId>, ours: &[AgentId]) -> bool {
    matches!(
        Relation::of_consultation_in(state, holder, ours),
        Relation::Queued | Relation::HoldsOpen
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ConsultationState as S;

    #[test]
    fn codes_are_happytalks_and_round_trip() {
        let codes: Vec<_> = S::ALL.iter().map(|s| (s.as_str(), s.code())).collect();
        assert_eq!(
            codes,
            [
                ("bot_waiting", -2),
                ("bot", -1),
                ("waiting", 0),
                ("in_progress", 1),
                ("closed", 2),
                ("deleted", 3),
                ("bot_closed", 4)
            ]
        );
        for s in S::ALL {
            assert_eq!(S::from_code(s.code()), Some(s));
            assert_eq!(s.as_str().parse(), Ok(s));
            assert_eq!(s.to_string(), s.as_str());
            assert_eq!(
                serde_json::to_string(&s).ok(),
                Some(format!("\"{}\"", s.as_str()))
            );
        }
        for bad in [-3, 5, i64::MIN, i64::MAX] {
            assert_eq!(S::from_code(bad), None);
        }
        assert!("Closed".parse::<S>().is_err());
        assert!("".parse::<S>().is_err());
    }

    #[test]
    fn open_states_are_the_four_before_an_end() {
        let open: Vec<_> = S::ALL.into_iter().filter(|s| s.is_open()).collect();
        assert_eq!(open, [S::BotWaiting, S::Bot, S::Waiting, S::InProgress]);
    }

    #[test]
    fn end_types_by_name() {
        for e in EndType::ALL {
            assert_eq!(e.as_str().parse(), Ok(e));
            assert_eq!(
                serde_json::to_string(&e).ok(),
                Some(format!("\"{}\"", e.as_str()))
            );
        }
        assert_eq!("auto_close".parse(), Ok(EndType::AutoClose));
        assert!("auto".parse::<EndType>().is_err());
    }

    /// The whole table, written out: every state × every transition.
    #[test]
    fn every_state_and_transition() {
        type Row = [Result<S, ()>; 13];
        let (x, wa, ip, cl, de, bc) = (
            Err(()),
            Ok(S::Waiting),
            Ok(S::InProgress),
            Ok(S::Closed),
            Ok(S::Deleted),
            Ok(S::BotClosed),
        );
        // Columns in Transition::ALL order: hand_to_agent, take, transfer, send_back,
        // close(agent), close(customer), close(manager), close(auto_close), close(off_hours),
        // close(over_capacity), close(blocked), delete, bot_end.
        #[rustfmt::skip]
        let table: [(S, Row); 7] = [
            (S::BotWaiting, [wa, x,  x,  x,  cl, cl, cl, cl, cl, cl, cl, x,  bc]),
            (S::Bot,        [wa, x,  x,  x,  cl, cl, cl, cl, cl, cl, cl, x,  bc]),
            (S::Waiting,    [x,  ip, x,  x,  cl, cl, cl, cl, cl, cl, cl, x,  x ]),
            (S::InProgress, [x,  x,  ip, wa, cl, cl, cl, cl, cl, cl, cl, x,  x ]),
            (S::Closed,     [x,  x,  x,  x,  x,  x,  x,  x,  x,  x,  x,  de, x ]),
            (S::Deleted,    [x,  x,  x,  x,  x,  x,  x,  x,  x,  x,  x,  x,  x ]),
            (S::BotClosed,  [x,  x,  x,  x,  x,  x,  x,  x,  x,  x,  x,  de, x ]),
        ];
        assert_eq!(table.map(|(s, _)| s), S::ALL);
        for (from, row) in table {
            for (t, want) in Transition::ALL.into_iter().zip(row) {
                let got = transition(from, t);
                match want {
                    Ok(to) => assert_eq!(got, Ok(to), "{from} {t:?}"),
                    Err(()) => assert_eq!(
                        got,
                        Err(CoreError::InvalidTransition {
                            from,
                            action: t.action()
                        }),
                        "{from} {t:?}"
                    ),
                }
            }
        }
    }

    #[test]
    fn a_consultation_ends_and_nothing_revives_it() {
        for end in [S::Closed, S::BotClosed, S::Deleted] {
            for t in Transition::ALL {
                if let Ok(to) = transition(end, t) {
                    assert!(!to.is_open(), "{end} {t:?} reopened it");
                }
            }
        }
    }

    #[test]
    fn nothing_brings_a_consultation_back_to_the_bot() {
        for from in S::ALL {
            for t in Transition::ALL {
                if let Ok(to) = transition(from, t) {
                    assert!(!to.with_bot(), "{from} {t:?} went to the bot");
                }
            }
        }
        let with_bot: Vec<S> = S::ALL.into_iter().filter(|s| s.with_bot()).collect();
        assert_eq!(with_bot, [S::BotWaiting, S::Bot]);
    }

    #[test]
    fn refused_transitions_read_as_sentences() {
        let err = transition(S::Bot, Transition::Take).err();
        assert_eq!(
            err.map(|e| e.to_string()).as_deref(),
            Some("a consultation that is with the chatbot cannot be taken by an agent")
        );
    }

    #[test]
    fn inflow_opens_when_nothing_is_open() {
        assert_eq!(
            on_inflow(None, false),
            InflowOutcome::Open { state: S::Waiting }
        );
        assert_eq!(on_inflow(None, true), InflowOutcome::Open { state: S::Bot });
    }

    #[test]
    fn inflow_joins_the_open_consultation_whatever_bot_start_says() {
        let id = ConsultationId::new(9);
        for state in S::ALL.into_iter().filter(|s| s.is_open()) {
            for bot in [false, true] {
                assert_eq!(on_inflow(Some((id, state)), bot), InflowOutcome::Join(id));
            }
        }
    }

    #[test]
    fn inflow_after_a_finished_consultation_opens_a_new_one() {
        let id = ConsultationId::new(9);
        for state in S::ALL.into_iter().filter(|s| !s.is_open()) {
            assert_eq!(
                on_inflow(Some((id, state)), true),
                InflowOutcome::Open { state: S::Bot }
            );
        }
    }
    #[test]
    fn agents_follow_the_queue_and_their_own_open_consultations() {
        let me = AgentId::new(7);
        let other = AgentId::new(8);
        for s in S::ALL {
            assert_eq!(
                agent_follows(s, None, me),
                s == S::Waiting,
                "{s} unassigned"
            );
            assert_eq!(agent_follows(s, Some(me), me), s.is_open(), "{s} mine");
            assert!(!agent_follows(s, Some(other), me), "{s} another agent's");
        }
    }
}
