//! Sangdam's application layer: the use cases every entry point calls.
//!
//! A chat window, a messenger webhook, an agent's click and a timer all enter here: receive an
//! inflow, write a message, change a consultation's state, reply, link a room, classify a
//! consultation. Each use case
//! asks `sangdam_core` to decide, has the store apply the decision in one transaction, and
//! publishes the events it caused in one place ([`Services::publish`]) after the commit. The
//! adapters above (HTTP handlers, channel webhooks, workers) parse and answer; they hold no
//! rules of their own.
//!
//! Also here: the [`Clock`] (nothing reads the system time itself), durable jobs and their
//! [`scheduler`], the [`outbox`] of outbound sends, and the [`workers`] set that starts and
//! stops the background tasks together.

pub mod access;
pub mod accounts;
pub mod agent_tools;
pub mod audit;
pub mod auto_close;
pub mod billing_run;
pub mod bot;
pub mod bot_io;
pub mod categories;
pub mod channel_keys;
pub mod clock;
pub mod consultations;
pub mod desk_closing;
pub mod distribution;
pub mod error;
pub mod event_api;
pub mod events;
pub mod export;
pub mod exports;
pub mod files;
pub mod groups;
pub mod hours;
pub mod invoices;
pub mod kakao;
pub mod links;
pub mod live;
pub mod login;
pub mod mail;
pub mod messenger;
pub mod messenger_images;
pub mod notices;
pub mod outbox;
pub mod platform;
pub mod plugin_steps;
pub mod plugins;
pub mod profiles;
pub mod reports;
pub mod scheduler;
pub mod search;
pub mod secrets;
pub mod sessions;
pub mod wallet;
pub mod wallet_io;
pub mod webchat;
pub mod workers;

use std::sync::Arc;

use protocol::naver::NaverClient;
use store::Store;
use tokio::sync::Notify;

/// The language of what Sangdam itself writes to customers on the messengers (queue places,
/// rating requests): a site has no language of its own yet, and its customers are Korean.
pub(crate) const CUSTOMER_LANG: i18n::Lang = i18n::Lang::DEFAULT;

pub use crate::clock::{Clock, Millis, SystemClock, TestClock};
pub use crate::error::AppError;
pub use crate::events::{Event, EventSink, NoEvents, RecordedEvents};

/// The application: what every use case needs. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Services {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    events: Arc<dyn EventSink>,
    /// The Naver TalkTalk send API, when replies to Naver users are sent.
    naver: Option<Arc<NaverClient>>,
    /// Wakes the scheduler when a job falls due now (rather than at its next look).
    jobs_due: Arc<Notify>,
    /// Failed logins per account and per address.
    logins: Arc<login::LoginGuard>,
    /// Sites waiting for a distribution pass.
    marks: Arc<distribution::Marks>,
    auto_close: Arc<auto_close::AutoCloseRules>,
    /// Report downloads (none: the server writes no files, e.g. a command-line tool).
    exports: Option<Arc<exports::Exports>>,
    /// Where images and files are stored (none: files are refused, e.g. a command-line tool).
    files: Option<Arc<dyn files::FileStorage>>,
    /// The server's public address (`https://chat.example.com`), for links that leave
    /// Sangdam (a file sent to a messenger user); none: such links are not made.
    public_url: Option<Arc<str>>,
    /// Each site's chatbot, built once per version of it.
    bots: Arc<bot::BotCache>,
    /// Consultations known to have left the bot (no read to find the bot silent there).
    past_bot: Arc<bot::PastTheBot>,
    /// Calls outside skill servers for the chatbot's blocks.
    skills: Arc<protocol::kakao::SkillClient>,
    /// The installation's prices and billing limits.
    billing: Arc<wallet::BillingConfig>,
    /// The payment gateway cards are charged through (none: the wallet's charges refused).
    payments: Option<Arc<wallet::Payments>>,
    /// Where e-mail goes out (none: notices are kept and marked unsent).
    mailer: Option<Arc<dyn mail::Mailer>>,
    /// Issues the monthly tax invoices.
    invoice_issuer: Arc<dyn invoices::InvoiceIssuer>,
    /// Kakao's Event API (`https://bot-api.kakao.com`, or a local peer of it).
    kakao_bot_api: Arc<str>,
    /// Answers Kakao skill requests later, through their callback URL.
    kakao_callbacks: protocol::kakao::event::CallbackClient,
    /// How long a Kakao request's callback URL is used.
    kakao_callback_ms: clock::Millis,
}

impl Services {
    /// The application over `store`. Every message the store's writer commits is published
    /// from here too (see [`events`]).
    pub fn new(store: Store, clock: Arc<dyn Clock>, events: Arc<dyn EventSink>) -> Self {
        let services = Services {
            store,
            clock,
            events,
            naver: None,
            jobs_due: Arc::new(Notify::new()),
            logins: Arc::new(login::LoginGuard::default()),
            marks: Arc::new(distribution::Marks::default()),
            auto_close: Arc::new(auto_close::AutoCloseRules::default()),
            exports: None,
            files: None,
            public_url: None,
            bots: Arc::new(bot::BotCache::default()),
            past_bot: Arc::new(bot::PastTheBot::default()),
            skills: Arc::new(protocol::kakao::SkillClient::default()),
            billing: Arc::new(wallet::BillingConfig::default()),
            payments: None,
            mailer: None,
            invoice_issuer: Arc::new(invoices::KeepAndEmail),
            kakao_bot_api: Arc::from(event_api::KAKAO_BOT_API),
            kakao_callbacks: protocol::kakao::event::CallbackClient::new(),
            kakao_callback_ms: kakao::CALLBACK_MS,
        };
        // The hook holds the sink, not the services (which hold the store, which holds the
        // hook).
        let sink = services.events.clone();
        services
            .store
            .on_new_message(Arc::new(move |site_id, message| {
                events::publish(
                    &*sink,
                    [Event::Message {
                        site_id,
                        message: message.clone(),
                    }],
                )
            }));
        services
    }

    /// Replies to Naver users go out through `client` (by the outbox).
    /// Sends KakaoTalk event messages through the Event API at `url` instead of Kakao's.
    pub fn with_kakao_bot_api(mut self, url: &str) -> Self {
        self.kakao_bot_api = Arc::from(url.trim_end_matches('/'));
        self
    }

    pub(crate) fn kakao_bot_api(&self) -> &str {
        &self.kakao_bot_api
    }

    /// Uses a Kakao request's callback URL for `ms` instead of Kakao's minute (less a margin);
    /// shorter only for tests.
    pub fn with_kakao_callback_ms(mut self, ms: clock::Millis) -> Self {
        self.kakao_callback_ms = ms.max(1);
        self
    }

    pub(crate) fn kakao_callback_ms(&self) -> clock::Millis {
        self.kakao_callback_ms
    }

    pub fn with_naver(mut self, client: NaverClient) -> Self {
        self.naver = Some(Arc::new(client));
        self
    }

    /// Failed logins are throttled with these policies (per account, per address).
    pub fn with_login_policies(
        mut self,
        account: sangdam_core::ThrottlePolicy,
        address: sangdam_core::ThrottlePolicy,
    ) -> Self {
        self.logins = Arc::new(login::LoginGuard::new(account, address));
        self
    }

    /// Report downloads are written by a worker into `config.dir`.
    pub fn with_exports(mut self, config: exports::ExportConfig) -> Self {
        self.exports = Some(Arc::new(exports::Exports::new(config)));
        self
    }

    /// Runs the auto-close rules with minutes of `minute_ms` milliseconds (tests and demos
    /// that cannot wait real minutes).
    pub fn with_auto_close_minute_ms(mut self, minute_ms: Millis) -> Self {
        self.auto_close = Arc::new(auto_close::AutoCloseRules::with_minute(minute_ms));
        self
    }

    pub fn with_skill_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.skills = Arc::new(protocol::kakao::SkillClient::new(timeout));
        self
    }

    /// Charges cards through `payments`.
    pub fn with_payments(mut self, payments: wallet::Payments) -> Self {
        self.payments = Some(Arc::new(payments));
        self
    }

    /// Sends e-mail through `mailer`.
    pub fn with_mailer(mut self, mailer: Arc<dyn mail::Mailer>) -> Self {
        self.mailer = Some(mailer);
        self
    }

    /// Issues tax invoices through `issuer` (an e-invoicing provider) instead of only keeping
    /// and e-mailing them.
    pub fn with_invoice_issuer(mut self, issuer: Arc<dyn invoices::InvoiceIssuer>) -> Self {
        self.invoice_issuer = issuer;
        self
    }

    /// Bills with these prices and limits.
    pub fn with_billing(mut self, config: wallet::BillingConfig) -> Self {
        self.billing = Arc::new(config);
        self
    }

    pub fn naver(&self) -> Option<&NaverClient> {
        self.naver.as_deref()
    }

    pub fn now(&self) -> Millis {
        self.clock.now_ms()
    }

    /// The one place events leave the application. A change that may let the queue move
    /// asks for a distribution pass over its site.
    pub fn publish(&self, events: impl IntoIterator<Item = Event>) {
        let marks = &self.marks;
        events::publish(
            &*self.events,
            events.into_iter().inspect(|e| {
                if let Some(site) = distribution::moves_queue(e) {
                    marks.mark(site);
                }
            }),
        );
    }

    /// Settings kept read here changed (on another instance, or here): they are read again at
    /// their next use.
    pub fn forget_kept(&self, site: sangdam_core::SiteId, settings: events::KeptSettings) {
        match settings {
            events::KeptSettings::Bot => self.recheck_bot(site),
            events::KeptSettings::AutoClose => self.auto_close.forget(site),
        }
    }

    /// What another instance published, as it arrives here: the settings it changed are read
    /// again.
    pub fn heard(&self, event: &Event) {
        if let Event::SettingsChanged { site_id, settings } = event {
            self.forget_kept(*site_id, *settings);
        }
    }

    /// Tells the scheduler that a job may be due now.
    pub fn wake_jobs(&self) {
        self.jobs_due.notify_one();
    }

    pub(crate) fn jobs_due(&self) -> Arc<Notify> {
        self.jobs_due.clone()
    }
}

impl Services {
    /// Starts every background worker: the store's message writer (and SQLite checkpointer)
    /// and the job scheduler with the application's handlers. Stop them with
    /// [`workers::Workers::stop`].
    pub fn start_workers(&self, config: scheduler::SchedulerConfig) -> workers::Workers {
        let mut workers = workers::Workers::new();
        for (name, task) in self.store.start_tasks(workers.stop_signal()) {
            workers.add(name, task);
        }
        let scheduler = kakao::with_handlers(event_api::with_handlers(billing_run::with_handlers(
            notices::with_handlers(desk_closing::with_handlers(auto_close::with_handlers(
                outbox::with_handlers(scheduler::Scheduler::new(self.clone(), config)),
            ))),
        )));
        let stop = workers.stop_signal();
        let services = self.clone();
        workers.spawn("job scheduler", async move {
            // Every consultation in progress gets its auto-close timer again before the first
            // look: what a crash lost between a batch of messages and its timers is set right.
            match services.rearm_all().await {
                Ok(n) => tracing::info!(timers = n, "auto-close timers set"),
                Err(e) => tracing::warn!(error = %e, "auto-close timers were not set at start"),
            }
            match services.arm_all_desk_closings().await {
                Ok(n) => tracing::info!(sites = n, "desk-closing timers set"),
                Err(e) => tracing::warn!(error = %e, "desk-closing timers were not set at start"),
            }
            match services.arm_all_wallets().await {
                Ok(n) => tracing::info!(wallets = n, "wallets' daily rounds set"),
                Err(e) => tracing::warn!(error = %e, "wallets' daily rounds were not set at start"),
            }
            scheduler.run(stop).await;
        });
        workers.spawn(
            "distribution",
            self.clone().run_distribution(workers.stop_signal()),
        );
        workers.spawn(
            "search indexer",
            self.clone().run_search_indexer(workers.stop_signal()),
        );
        if self.exports.is_some() {
            workers.spawn(
                "report exports",
                exports::run(self.clone(), workers.stop_signal()),
            );
        }
        workers
    }
}
