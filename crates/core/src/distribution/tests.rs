use super::*;
use proptest::prelude::*;

fn agent(id: i64) -> AgentLoad {
    AgentLoad {
        id: AgentId::new(id),
        presence: Presence::Online,
        takes_consultations: true,
        max_open: 5,
        open: 0,
        last_assigned_at: None,
        categories: Vec::new(),
        channels: Vec::new(),
    }
}

fn queued(id: i64, since: i64) -> Queued {
    Queued {
        id: ConsultationId::new(id),
        category_id: None,
        channel: Channel::WebchatV2,
        waiting_since: since,
        last_agent: None,
        avoid: None,
    }
}

fn rules(mode: DistributionMode) -> DistributionRules {
    DistributionRules {
        mode,
        prefer_last_agent: false,
    }
}

fn ids(plan: &[Assignment]) -> Vec<(i64, i64)> {
    plan.iter()
        .map(|a| (a.consultation.get(), a.agent.get()))
        .collect()
}

#[test]
fn modes_and_presences_by_name() {
    for m in DistributionMode::ALL {
        assert_eq!(m.as_str().parse(), Ok(m));
        assert_eq!(
            serde_json::to_string(&m).ok(),
            Some(format!("\"{}\"", m.as_str()))
        );
    }
    for p in Presence::ALL {
        assert_eq!(p.as_str().parse(), Ok(p));
    }
    assert!("LeastOpen".parse::<DistributionMode>().is_err());
    assert!("busy".parse::<Presence>().is_err());
    assert_eq!(DistributionMode::default(), DistributionMode::Manual);
}

#[test]
fn only_manual_and_hybrid_let_agents_pick_by_hand() {
    let pickup: Vec<_> = DistributionMode::ALL
        .into_iter()
        .filter(|m| m.allows_pickup())
        .collect();
    assert_eq!(pickup, [DistributionMode::Manual, DistributionMode::Hybrid]);
    assert_eq!(
        may_take(DistributionMode::LeastOpen, 0, 5, true),
        Err(CoreError::DistributionOnly {
            mode: DistributionMode::LeastOpen
        })
    );
    assert_eq!(may_take(DistributionMode::LeastOpen, 0, 5, false), Ok(()));
    assert_eq!(
        may_take(DistributionMode::Manual, 5, 5, true),
        Err(CoreError::AtLimit {
            open: 5,
            max_open: 5
        })
    );
    assert_eq!(
        may_take(DistributionMode::ByCategory, 9, 5, false),
        Err(CoreError::AtLimit {
            open: 9,
            max_open: 5
        })
    );
    assert_eq!(may_take(DistributionMode::Hybrid, 4, 5, true), Ok(()));
}

#[test]
fn limits_are_one_to_a_hundred() {
    assert_eq!(validate_max_open(1), Ok(1));
    assert_eq!(validate_max_open(100), Ok(100));
    for bad in [0, -1, 101, i64::MAX, i64::MIN] {
        assert!(validate_max_open(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_console_gone_for_long_makes_an_agent_offline() {
    let after = 120_000;
    use Presence::*;
    let cases = [
        (Online, Some(1_000), 1_000, Online),
        (Online, Some(1_000), 121_000, Online),
        (Online, Some(1_000), 121_001, Offline),
        (Away, Some(1_000), 2_000, Away),
        (Away, Some(1_000), 500_000, Offline),
        (Online, None, 0, Offline),
        (Offline, Some(1_000), 1_000, Offline),
    ];
    for (chosen, seen, now, want) in cases {
        assert_eq!(
            effective_presence(chosen, seen, now, after),
            want,
            "{chosen} {seen:?} {now}"
        );
    }
}

#[test]
fn manual_gives_nothing() {
    let mut agents = vec![agent(1), agent(2)];
    let queue = vec![queued(10, 1), queued(11, 2)];
    assert!(plan(&rules(DistributionMode::Manual), &queue, &mut agents, 5).is_empty());
    assert_eq!(
        choose(&rules(DistributionMode::Manual), &queue[0], &agents),
        None
    );
    assert!(agents.iter().all(|a| a.open == 0));
}

#[test]
fn least_open_goes_to_the_agent_with_fewest() {
    let mut agents = vec![agent(1), agent(2), agent(3)];
    agents[0].open = 2;
    agents[1].open = 1;
    agents[2].open = 3;
    let queue = vec![queued(10, 1), queued(11, 2), queued(12, 3)];
    let p = plan(&rules(DistributionMode::LeastOpen), &queue, &mut agents, 9);
    // 2 (1 open) gets the first; then 1 and 2 both have 2: 1 was never given one this pass.
    assert_eq!(ids(&p), [(10, 2), (11, 1), (12, 2)]);
    assert_eq!(agents.iter().map(|a| a.open).collect::<Vec<_>>(), [3, 3, 3]);
}

#[test]
fn hybrid_chooses_like_least_open() {
    let queue: Vec<_> = (0..7).map(|i| queued(10 + i, i)).collect();
    let mut a = vec![agent(1), agent(2), agent(3)];
    let mut b = a.clone();
    a[1].open = 2;
    b[1].open = 2;
    assert_eq!(
        plan(&rules(DistributionMode::Hybrid), &queue, &mut a, 1),
        plan(&rules(DistributionMode::LeastOpen), &queue, &mut b, 1)
    );
}

#[test]
fn round_robin_takes_turns_whatever_the_load() {
    let mut agents = vec![agent(1), agent(2), agent(3)];
    agents[0].last_assigned_at = Some(50);
    agents[1].last_assigned_at = Some(10);
    agents[2].last_assigned_at = None;
    agents[2].open = 4;
    let queue: Vec<_> = (0..5).map(|i| queued(10 + i, i)).collect();
    let p = plan(
        &rules(DistributionMode::RoundRobin),
        &queue,
        &mut agents,
        100,
    );
    // Never given one first (3), then the longest ago (2), then 1; 3 is full after one more.
    assert_eq!(ids(&p), [(10, 3), (11, 2), (12, 1), (13, 2), (14, 1)]);
}

#[test]
fn the_queue_is_served_oldest_first_whatever_order_it_comes_in() {
    let mut agents = vec![agent(1)];
    agents[0].max_open = 2;
    let queue = vec![
        queued(30, 300),
        queued(10, 100),
        queued(20, 100),
        queued(5, 400),
    ];
    let p = plan(
        &rules(DistributionMode::LeastOpen),
        &queue,
        &mut agents,
        500,
    );
    assert_eq!(ids(&p), [(10, 1), (20, 1)]);
}

#[test]
fn away_offline_and_no_consultation_agents_are_never_chosen() {
    let mut away = agent(1);
    away.presence = Presence::Away;
    let mut off = agent(2);
    off.presence = Presence::Offline;
    let mut closed = agent(3);
    closed.takes_consultations = false;
    let mut full = agent(4);
    full.open = 5;
    let mut agents = vec![away, off, closed, full];
    for mode in DistributionMode::ALL {
        let p = plan(&rules(mode), &[queued(10, 1)], &mut agents, 2);
        assert!(p.is_empty(), "{mode}");
    }
}

#[test]
fn by_category_keeps_to_the_category() {
    let mut a = agent(1);
    a.categories = vec![100];
    let mut b = agent(2);
    b.categories = vec![200, 300];
    let mut all = agent(3);
    all.max_open = 1;
    let mut agents = vec![a, b, all];
    let mut q1 = queued(10, 1);
    q1.category_id = Some(200);
    let mut q2 = queued(11, 2);
    q2.category_id = Some(100);
    let mut q3 = queued(12, 3);
    q3.category_id = Some(999);
    let mut q4 = queued(13, 4);
    q4.category_id = Some(999);
    let q5 = queued(14, 5);
    let p = plan(
        &rules(DistributionMode::ByCategory),
        &[q1, q2, q3, q4, q5],
        &mut agents,
        9,
    );
    // 999 and "none" are only for the agent who serves every category, who has room for one.
    assert_eq!(ids(&p), [(10, 2), (11, 1), (12, 3)]);
}

#[test]
fn by_channel_keeps_to_the_channel() {
    let mut kakao = agent(1);
    kakao.channels = vec![Channel::Kakao];
    let mut web = agent(2);
    web.channels = vec![Channel::WebchatV1, Channel::WebchatV2];
    let mut agents = vec![kakao, web];
    let mut q1 = queued(10, 1);
    q1.channel = Channel::Kakao;
    let q2 = queued(11, 2);
    let mut q3 = queued(12, 3);
    q3.channel = Channel::Naver;
    let p = plan(
        &rules(DistributionMode::ByChannel),
        &[q1, q2, q3],
        &mut agents,
        9,
    );
    assert_eq!(ids(&p), [(10, 1), (11, 2)]);
}

#[test]
fn a_returning_customer_goes_to_their_last_agent_when_free() {
    let mut agents = vec![agent(1), agent(2)];
    agents[1].open = 3;
    let mut q = queued(10, 1);
    q.last_agent = Some(AgentId::new(2));
    let prefer = DistributionRules {
        mode: DistributionMode::LeastOpen,
        prefer_last_agent: true,
    };
    assert_eq!(choose(&prefer, &q, &agents), Some(AgentId::new(2)));
    assert_eq!(
        choose(&rules(DistributionMode::LeastOpen), &q, &agents),
        Some(AgentId::new(1))
    );
    // Not free: the usual choice.
    agents[1].presence = Presence::Away;
    assert_eq!(choose(&prefer, &q, &agents), Some(AgentId::new(1)));
    // Not in manual mode either.
    let manual = DistributionRules {
        mode: DistributionMode::Manual,
        prefer_last_agent: true,
    };
    agents[1].presence = Presence::Online;
    assert_eq!(choose(&manual, &q, &agents), None);
}

#[test]
fn a_reclaimed_consultation_goes_to_someone_else_when_anyone_else_may_take_it() {
    let mut agents = vec![agent(1), agent(2)];
    agents[1].open = 4;
    let mut q = queued(10, 1);
    q.avoid = Some(AgentId::new(1));
    let r = rules(DistributionMode::LeastOpen);
    assert_eq!(choose(&r, &q, &agents), Some(AgentId::new(2)));
    agents[1].presence = Presence::Away;
    assert_eq!(
        choose(&r, &q, &agents),
        Some(AgentId::new(1)),
        "nobody else"
    );
}

#[test]
fn the_estimate_follows_recent_departures() {
    let now = 10 * 60_000;
    // Three departures over the last six minutes: one place every two minutes.
    let departures = [4 * 60_000, 6 * 60_000, 8 * 60_000];
    assert_eq!(estimated_wait_ms(1, &departures, now), Some(2 * 60_000));
    assert_eq!(estimated_wait_ms(3, &departures, now), Some(6 * 60_000));
    // Too few, or too old, to say.
    assert_eq!(estimated_wait_ms(1, &departures[..2], now), None);
    assert_eq!(estimated_wait_ms(1, &departures, now + 60 * 60_000), None);
    assert_eq!(estimated_wait_ms(0, &departures, now), None);
}

#[test]
fn queue_notices_do_not_flood() {
    let t = 1_000_000;
    assert!(queue_notice_due(7, None, t), "entering the queue");
    assert!(
        !queue_notice_due(7, Some((7, t)), t + 3_600_000),
        "not moved"
    );
    assert!(
        !queue_notice_due(8, Some((7, t)), t + 3_600_000),
        "moved back"
    );
    assert!(!queue_notice_due(6, Some((7, t)), t + 60_000), "too soon");
    assert!(queue_notice_due(6, Some((7, t)), t + QUEUE_NOTICE_EVERY_MS));
    assert!(queue_notice_due(1, Some((2, t)), t + 1), "next in line");
}

#[test]
fn reclaim_only_when_on_and_unanswered_for_long_enough() {
    let min = 60_000;
    assert!(!reclaim_due(Some(0), false, None, 10 * min), "off");
    assert!(
        !reclaim_due(Some(0), true, Some(5 * min), 10 * min),
        "answered"
    );
    assert!(!reclaim_due(Some(0), false, Some(5 * min), 5 * min - 1));
    assert!(reclaim_due(Some(0), false, Some(5 * min), 5 * min));
    assert!(
        !reclaim_due(None, false, Some(5 * min), 10 * min),
        "never assigned"
    );
}

// Random sequences of inflows, closes and status changes, with the plan run after each
// (as the store does): the invariants hold after every step.

#[derive(Debug, Clone)]
enum Step {
    Inflow {
        category: Option<i64>,
        channel: usize,
    },
    Close {
        agent: usize,
        nth: usize,
    },
    Status {
        agent: usize,
        presence: usize,
        takes: bool,
    },
    Limit {
        agent: usize,
        max: u32,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (proptest::option::of(1i64..4), 0usize..4)
            .prop_map(|(category, channel)| Step::Inflow { category, channel }),
        2 => (0usize..6, 0usize..8).prop_map(|(agent, nth)| Step::Close { agent, nth }),
        1 => (0usize..6, 0usize..3, any::<bool>())
            .prop_map(|(agent, presence, takes)| Step::Status { agent, presence, takes }),
        1 => (0usize..6, 1u32..6).prop_map(|(agent, max)| Step::Limit { agent, max }),
    ]
}

fn agents_strategy() -> impl Strategy<Value = Vec<AgentLoad>> {
    proptest::collection::vec(
        (
            1u32..6,
            proptest::collection::vec(1i64..4, 0..3),
            proptest::collection::vec(0usize..4, 0..3),
        ),
        1..6,
    )
    .prop_map(|specs| {
        specs
            .into_iter()
            .enumerate()
            .map(|(i, (max, categories, channels))| AgentLoad {
                max_open: max,
                categories,
                channels: channels.into_iter().map(|c| Channel::ALL[c]).collect(),
                ..agent(i64::try_from(i).unwrap_or(0) + 1)
            })
            .collect()
    })
}

/// Runs `steps` with a plan after each, checking every assignment; answers how many were made.
fn run(mode: DistributionMode, mut agents: Vec<AgentLoad>, steps: &[Step]) -> usize {
    let r = rules(mode);
    let mut queue: Vec<Queued> = Vec::new();
    // Consultations each agent holds.
    let mut held: Vec<Vec<Queued>> = vec![Vec::new(); agents.len()];
    let mut next = 1;
    let mut made = 0;
    for (t, s) in steps.iter().enumerate() {
        let now = i64::try_from(t).unwrap_or(0) * 1000;
        match s {
            Step::Inflow { category, channel } => {
                queue.push(Queued {
                    category_id: *category,
                    channel: Channel::ALL[*channel],
                    ..queued(next, now)
                });
                next += 1;
            }
            Step::Close { agent, nth } => {
                if let Some(h) = held.get_mut(*agent)
                    && !h.is_empty()
                {
                    h.remove(nth % h.len());
                    agents[*agent].open -= 1;
                }
            }
            Step::Status {
                agent,
                presence,
                takes,
            } => {
                if let Some(a) = agents.get_mut(*agent) {
                    a.presence = Presence::ALL[*presence];
                    a.takes_consultations = *takes;
                }
            }
            Step::Limit { agent, max } => {
                if let Some(a) = agents.get_mut(*agent) {
                    a.max_open = *max;
                }
            }
        }
        let before = agents.clone();
        let p = plan(&r, &queue, &mut agents, now);
        for (k, a) in p.iter().enumerate() {
            let i = before
                .iter()
                .position(|b| b.id == a.agent)
                .expect("an agent of the snapshot");
            let b = &before[i];
            assert_eq!(
                b.presence,
                Presence::Online,
                "{mode}: chose a {} agent",
                b.presence
            );
            assert!(b.takes_consultations, "{mode}: chose an agent taking none");
            let q = queue
                .iter()
                .find(|q| q.id == a.consultation)
                .expect("a queued consultation")
                .clone();
            assert!(
                b.serves(mode, &q),
                "{mode}: outside the agent's categories/channels"
            );
            if mode == DistributionMode::ByCategory && !b.categories.is_empty() {
                assert!(
                    q.category_id.is_some_and(|c| b.categories.contains(&c)),
                    "by_category gave category {:?} to an agent of {:?}",
                    q.category_id,
                    b.categories
                );
            }
            // No consultation given twice, in this plan or before.
            assert!(p[..k].iter().all(|o| o.consultation != a.consultation));
            queue.retain(|x| x.id != a.consultation);
            held[i].push(q);
        }
        made += p.len();
        for (a, h) in agents.iter().zip(&held) {
            assert_eq!(
                a.open as usize,
                h.len(),
                "the plan counted every assignment"
            );
            // A limit lowered below what an agent holds is not a limit exceeded by us: we
            // only never give more once they are at it.
            if !p.iter().any(|x| x.agent == a.id) {
                continue;
            }
            assert!(
                a.open <= a.max_open,
                "{mode}: {} over {}",
                a.open,
                a.max_open
            );
        }
        // Whoever could still take someone in the queue would have been given them.
        for q in &queue {
            assert!(
                choose(&r, q, &agents).is_none(),
                "{mode}: {q:?} left waiting while an agent could take it"
            );
        }
    }
    made
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_mode_keeps_its_invariants(
        mode in proptest::sample::select(DistributionMode::ALL.to_vec()),
        agents in agents_strategy(),
        steps in proptest::collection::vec(step(), 1..60),
    ) {
        let made = run(mode, agents, &steps);
        if mode == DistributionMode::Manual {
            prop_assert_eq!(made, 0);
        }
    }

    /// With inflows only, least-open keeps the open counts of the agents it may choose within
    /// one of each other while they have room.
    #[test]
    fn least_open_levels_the_load(
        n_agents in 1usize..8,
        max in 1u32..8,
        inflows in 1usize..80,
    ) {
        let mut agents: Vec<AgentLoad> = (1..=n_agents)
            .map(|i| AgentLoad { max_open: max, ..agent(i64::try_from(i).unwrap_or(1)) })
            .collect();
        let r = rules(DistributionMode::LeastOpen);
        let mut queue = Vec::new();
        for t in 0..inflows {
            let now = i64::try_from(t).unwrap_or(0);
            queue.push(queued(now + 1, now));
            let p = plan(&r, &queue, &mut agents, now);
            queue.retain(|q| p.iter().all(|a| a.consultation != q.id));
            let with_room: Vec<u32> =
                agents.iter().filter(|a| a.has_room()).map(|a| a.open).collect();
            if let (Some(lo), Some(hi)) = (with_room.iter().min(), with_room.iter().max()) {
                prop_assert!(hi - lo <= 1, "open counts {:?}", with_room);
            }
            let full = agents.iter().all(|a| !a.has_room());
            prop_assert_eq!(queue.is_empty(), !full || queue.is_empty());
        }
        let total: u32 = agents.iter().map(|a| a.open).sum();
        let capacity = max * u32::try_from(n_agents).unwrap_or(0);
        prop_assert_eq!(total as usize, inflows.min(capacity as usize));
    }
}

#[test]
fn the_queue_is_full_at_its_limit() {
    let cases = [
        (0, None, false),
        (10_000, None, false),
        (0, Some(1), false),
        (1, Some(1), true),
        (2, Some(3), false),
        (3, Some(3), true),
        (4, Some(3), true),
    ];
    for (waiting, limit, full) in cases {
        assert_eq!(
            queue_full(waiting, limit),
            full,
            "{waiting} waiting, limit {limit:?}"
        );
    }
}

#[test]
fn a_queue_limit_is_1_to_the_maximum() {
    assert_eq!(validate_queue_limit(1), Ok(1));
    assert_eq!(
        validate_queue_limit(i64::from(MAX_QUEUE_LIMIT)),
        Ok(MAX_QUEUE_LIMIT)
    );
    for bad in [0, -1, i64::from(MAX_QUEUE_LIMIT) + 1, i64::MAX] {
        let e = validate_queue_limit(bad).unwrap_err();
        assert_eq!(e.field_name(), Some("max_waiting"), "{bad}");
    }
}
