//! The application over a fresh database of each backend, with a test clock and every event
//! recorded: `both!(name)` runs `async fn name(t: TestApp)` as `name::sqlite` and
//! `name::postgres`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::future::Future;
use std::sync::Arc;

use app::workers::Workers;
use app::{RecordedEvents, Services, TestClock};
use sangdam_core::{ConsultationId, SiteId};
use store::testing::TestDb;
use store::{AgentRecord, Backend, Role, Sender, SiteRecord, Store};

macro_rules! both {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                crate::common::run(store::Backend::Sqlite, super::$name).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                crate::common::run(store::Backend::Postgres, super::$name).await;
            }
        }
    )+};
}

/// 2026-01-05 09:00 KST, a Monday.
pub const START: i64 = 1_767_571_200_000;

#[derive(Debug)]
pub struct TestApp {
    pub backend: Backend,
    pub db: TestDb,
    pub store: Store,
    pub clock: TestClock,
    pub events: Arc<RecordedEvents>,
    pub services: Services,
    pub site: SiteRecord,
    pub agent: AgentRecord,
}

impl TestApp {
    /// Another application (as a second instance would be) over the same database.
    pub async fn second_instance(&self) -> Services {
        let store = Store::connect(&self.db.url).await.unwrap();
        Services::new(store, Arc::new(self.clock.clone()), self.events.clone())
    }

    pub fn site_id(&self) -> SiteId {
        self.site.id
    }

    /// The test clock's time.
    pub fn clock_now(&self) -> i64 {
        use app::Clock;
        self.clock.now_ms()
    }

    /// The bodies of Sangdam's own messages in consultation `id`, in order.
    pub async fn system_texts(&self, id: ConsultationId) -> Vec<String> {
        self.store
            .consultation_messages(id)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.sender == Sender::System)
            .map(|m| m.body)
            .collect()
    }
}

pub async fn run<F, Fut>(backend: Backend, test: F)
where
    F: FnOnce(TestApp) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(db) = TestDb::fresh(backend).await else {
        return;
    };
    let store = Store::connect(&db.url).await.unwrap();
    let clock = TestClock::at(START);
    let events = Arc::new(RecordedEvents::default());
    let services = Services::new(store.clone(), Arc::new(clock.clone()), events.clone());
    // The store's own workers (the message writer); tests drive the scheduler themselves.
    let mut workers = Workers::new();
    for (name, task) in store.start_tasks(workers.stop_signal()) {
        workers.add(name, task);
    }
    let site = store
        .create_site("테스트 상점", "secret", &inflow::Settings::default(), START)
        .await
        .unwrap();
    let agent = store
        .create_agent(site.id, "kim", "-", "김상담", Role::Agent, START)
        .await
        .unwrap();
    let t = TestApp {
        backend,
        db: db.clone(),
        store: store.clone(),
        clock,
        events,
        services,
        site,
        agent,
    };
    let outcome = tokio::spawn(test(t)).await;
    workers.stop().await;
    store.close().await;
    db.remove().await;
    if let Err(e) = outcome {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("test task failed: {e}"),
        }
    }
}

/// A browser without an ID opens the shop's chat.
pub async fn anonymous_chat(
    s: &app::Services,
    t: &TestApp,
    channel: inflow::Channel,
) -> app::webchat::ChatSession {
    s.open_chat(app::webchat::OpenChat {
        site: t.site_id(),
        channel,
        url: "https://shop.example/chat",
        visitor: None,
        referrer: None,
        user_agent: None,
        start: false,
    })
    .await
    .unwrap()
}

/// A browser without an ID opens the chat and writes its first message, which opens the
/// consultation: the session, the visitor as it now is, and the consultation.
pub async fn anonymous_consultation(
    s: &app::Services,
    t: &TestApp,
    channel: inflow::Channel,
) -> (
    app::webchat::ChatSession,
    store::VisitorRecord,
    sangdam_core::ConsultationId,
) {
    let chat = anonymous_chat(s, t, channel).await;
    assert_eq!(chat.consultation_id, None, "opening the page opens nothing");
    let mut visitor = s.visitor(t.site_id(), &chat.visitor).await.unwrap();
    let (m, _) = s
        .customer_send(&mut visitor, "안녕하세요", None)
        .await
        .unwrap();
    (chat, visitor, m.consultation_id)
}

/// A Naver TalkTalk user arrives (an `open` without parameters): their room and consultation.
pub async fn naver_customer(
    s: &app::Services,
    t: &TestApp,
    user: &str,
) -> (store::RoomRecord, store::ConsultationRecord) {
    let inflow = inflow::parse_params(inflow::Channel::Naver, "", &t.site.settings);
    s.messenger_inflow(app::messenger::MessengerInflow {
        site: &t.site,
        channel: inflow::Channel::Naver,
        user,
        inflow: &inflow,
        raw: "{}",
        referrer: None,
    })
    .await
    .unwrap()
}
