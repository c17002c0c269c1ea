//! What each account reaches through the application: the lists, filtered by the database,
//! agree with the core's rule record by record, before paging.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use std::collections::BTreeSet;

use app::access::ListFilter;
use app::consultations::Actor;
use app::webchat::OpenChat;
use common::TestApp;
use inflow::Channel;
use sangdam_core::{
    Action, ConsultationId, ConsultationState, EndType, Relation, RoomId, Transition,
};
use store::{AgentRecord, Role};

both!(lists_hold_what_each_account_may_see);

async fn chat(t: &TestApp, url: &str) -> (ConsultationId, RoomId) {
    let c = t
        .services
        .open_chat(OpenChat {
            site: t.site_id(),
            channel: Channel::WebchatV2,
            url,
            visitor: None,
            referrer: None,
            user_agent: None,
            start: true,
        })
        .await
        .unwrap();
    (c.consultation_id.expect("started"), c.room_id)
}

async fn account(t: &TestApp, login: &str, role: Role) -> AgentRecord {
    t.store
        .create_agent(t.site_id(), login, "-", login, role, common::START)
        .await
        .unwrap()
}

/// One consultation in each situation an agent can stand to: queued, held by them or another
/// (open and finished), finished without an agent, with the chatbot. The lists show an agent
/// exactly those the core calls their business, and the rooms exactly those they may read.
async fn lists_hold_what_each_account_may_see(t: TestApp) {
    let s = &t.services;
    let kim = t.agent.clone();
    let lee = account(&t, "lee", Role::Agent).await;
    let manager = account(&t, "park", Role::Manager).await;
    let admin = account(&t, "choi", Role::Admin).await;
    let url = "https://shop.example/chat";
    let act = async |who: &AgentRecord, c: ConsultationId, tr: Transition| {
        s.transition(Actor::Agent(who), c, tr).await.unwrap();
    };

    chat(&t, url).await; // waiting
    let (c, _) = chat(&t, url).await;
    act(&kim, c, Transition::Take).await;
    let (c, _) = chat(&t, url).await;
    act(&lee, c, Transition::Take).await;
    let (c, _) = chat(&t, url).await;
    act(&kim, c, Transition::Take).await;
    act(&kim, c, Transition::Close(EndType::Agent)).await;
    let (c, _) = chat(&t, url).await;
    act(&lee, c, Transition::Take).await;
    act(&lee, c, Transition::Close(EndType::Agent)).await;
    let (c, _) = chat(&t, url).await;
    act(&manager, c, Transition::Close(EndType::Manager)).await;
    // The site's chatbot on: a chat URL with bot_start=true starts with it.
    s.save_bot_settings(
        &admin,
        &bot::BotSettings {
            enabled: true,
            ..bot::BotSettings::default()
        },
    )
    .await
    .unwrap();
    let (c, _) = chat(&t, "https://shop.example/chat?params=bot_start=true").await;
    assert_eq!(
        t.store.consultation(c).await.unwrap().state,
        ConsultationState::Bot
    );

    let everything = s
        .consultations(&manager, ListFilter::default())
        .await
        .unwrap();
    assert_eq!(everything.len(), 7);
    assert_eq!(
        s.consultations(&admin, ListFilter::default())
            .await
            .unwrap()
            .len(),
        7
    );
    for me in [&kim, &lee] {
        let want: Vec<ConsultationId> = everything
            .iter()
            .filter(|c| Relation::of_consultation(c.state, c.agent_id, me.id).is_business())
            .map(|c| c.id)
            .collect();
        let got: Vec<ConsultationId> = s
            .consultations(me, ListFilter::default())
            .await
            .unwrap()
            .iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(got, want, "{}", me.login);
        assert_eq!(
            got.len(),
            3,
            "the queue, an open and a finished one of theirs"
        );
        // Filtered before the limit: the newest of theirs, not the site's newest.
        let first = s
            .consultations(
                me,
                ListFilter {
                    limit: Some(1),
                    ..ListFilter::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(first.iter().map(|c| c.id).collect::<Vec<_>>(), want[..1]);
        let mine = s
            .consultations(
                me,
                ListFilter {
                    mine: true,
                    ..ListFilter::default()
                },
            )
            .await
            .unwrap();
        assert!(mine.iter().all(|c| c.agent_id == Some(me.id)));
        assert_eq!(mine.len(), 2);

        // The rooms listed are exactly those the agent may read.
        let listed: BTreeSet<RoomId> = s
            .rooms(me, ListFilter::default())
            .await
            .unwrap()
            .iter()
            .map(|(r, _)| r.id)
            .collect();
        let mut readable = BTreeSet::new();
        for (room, _) in s.rooms(&manager, ListFilter::default()).await.unwrap() {
            if s.room_for(me, room.id, Action::Read).await.is_ok() {
                readable.insert(room.id);
            }
        }
        assert_eq!(listed, readable, "{}", me.login);
        assert_eq!(listed.len(), 3);
    }
}
