//! The wallet over a month on a test clock, against the payment gateway's local peer (real
//! HTTP) and a real SMTP server on localhost: usages consumed in order, daily settlements, a
//! dormant payment card giving way to a backup, every card failing and then recovering, free
//! cash expiring, the long-failing notice, the invoice on the 1st, and a charge whose answer is
//! lost that is confirmed once, never twice.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use std::sync::Arc;
use std::time::Duration;

use app::Services;
use app::billing_run::{UsageOutcome, UsageRequest};
use app::mail::sink::MailSink;
use app::mail::{SmtpMailer, SmtpSettings};
use app::scheduler::{Scheduler, SchedulerConfig};
use app::wallet::{Payments, WalletInput};
use billing::{CardSlot, Krw};
use common::{START, TestApp};
use protocol::pay::peer::{CardBehaviour, TossPeer};
use protocol::pay::toss::TossPayments;
use store::{AgentRecord, Role};

both!(
    a_month_of_the_wallet,
    a_lost_answer_is_confirmed_once,
    notices_wait_out_an_smtp_outage
);

const SECRET: &str = "test_sk_wallet";
const DAY: i64 = 86_400_000;
/// 2026-01-06 00:00 KST: the first midnight after `START`.
const JAN_6: i64 = START + 15 * 3_600_000;
const OK_CARD: &str = "4330123412341234";
const BACKUP_CARD: &str = "5310123412345678";

struct Rig {
    s: Services,
    peer: TossPeer,
    sink: MailSink,
    admin: AgentRecord,
    master: AgentRecord,
    worker: AgentRecord,
}

async fn rig(t: &TestApp, client_timeout: Duration) -> Rig {
    let peer = TossPeer::start(SECRET).await;
    let sink = MailSink::start();
    let mailer = SmtpMailer::new(
        SmtpSettings::parse(&sink.url(), "Sangdam <no-reply@sangdam.test>").unwrap(),
    );
    let s = t
        .services
        .clone()
        .with_payments(Payments {
            gateway: Arc::new(TossPayments::new(&peer.base_url(), SECRET, client_timeout)),
            registration_url: format!("{}/peer/billing-auth", peer.base_url()),
        })
        .with_mailer(Arc::new(mailer));
    let admin = t
        .store
        .create_agent(t.site_id(), "admin", "-", "관리자", Role::Admin, START)
        .await
        .unwrap();
    let master = t
        .store
        .create_agent(t.site_id(), "lee", "-", "이월렛", Role::Manager, START)
        .await
        .unwrap();
    let worker = t.agent.clone();
    s.create_wallet(
        &admin,
        &WalletInput {
            name: "테스트상점".into(),
            kind: "business".into(),
            business_number: Some("123-45-67891".into()),
            business_name: Some("(주)테스트상점".into()),
            representative: Some("홍길동".into()),
            invoice_email: Some("tax@shop.test".into()),
            master_id: master.id,
        },
    )
    .await
    .unwrap();
    s.add_wallet_worker(&admin, worker.id).await.unwrap();
    for (who, email) in [
        (&admin, "admin@shop.test"),
        (&master, "master@shop.test"),
        (&worker, "worker@shop.test"),
    ] {
        s.set_notice_email(who, who.id, Some(email)).await.unwrap();
    }
    Rig {
        s,
        peer,
        sink,
        admin,
        master,
        worker,
    }
}

impl Rig {
    fn scheduler(&self) -> Scheduler {
        app::billing_run::with_handlers(app::notices::with_handlers(Scheduler::new(
            self.s.clone(),
            SchedulerConfig::default(),
        )))
    }

    /// Runs every job due now (and what those make due now, such as e-mails).
    async fn run_jobs(&self) {
        for _ in 0..5 {
            if self.scheduler().run_due().await.unwrap().total() == 0 {
                return;
            }
        }
    }

    /// Registers a card of `who` at the peer's window and puts it in the wallet.
    async fn card(&self, who: &AgentRecord, number: &str, slot: CardSlot) -> store::CardRecord {
        let reg = self
            .s
            .card_registration(who, "http://sangdam.test/wallet")
            .unwrap();
        let auth = self.peer.auth_key_for(&reg.customer_key, number).unwrap();
        let card = self
            .s
            .register_card(who, &auth, &reg.customer_key)
            .await
            .unwrap();
        self.s.use_card(who, card.id, slot).await.unwrap();
        card
    }

    async fn bill(&self, key: &str, count: i64) -> UsageOutcome {
        let out = self
            .s
            .bill_usages(
                self.worker.site_id,
                &[UsageRequest {
                    key: key.into(),
                    kind: "event_message".into(),
                    quantity: count,
                    reference: None,
                }],
            )
            .await
            .unwrap();
        out.into_iter().next().unwrap()
    }

    /// (paid, usable free, due, receivable) as the wallet page shows them.
    async fn figures(&self) -> (i64, i64, i64, i64) {
        let v = self.s.wallet_view(&self.master).await.unwrap();
        (
            v.balances.paid,
            v.balances.free,
            v.balances.due,
            v.balances.receivable,
        )
    }

    /// Subjects of the e-mails `to` received, in order.
    fn subjects_to(&self, to: &str) -> Vec<String> {
        self.sink
            .received()
            .into_iter()
            .filter(|m| m.to.iter().any(|r| r == to))
            .map(|m| m.subject)
            .collect()
    }

    fn peer_amounts(&self) -> Vec<i64> {
        self.peer.charges().iter().map(|c| c.amount).collect()
    }
}

fn billed(o: &UsageOutcome) -> (i64, i64, i64) {
    match o {
        UsageOutcome::Billed {
            free, paid, card, ..
        } => (*free, *paid, *card),
        other => panic!("not billed: {other:?}"),
    }
}

async fn a_month_of_the_wallet(t: TestApp) {
    let r = rig(&t, Duration::from_secs(5)).await;
    let card_a = r.card(&r.master, OK_CARD, CardSlot::Payment).await;
    let card_b = r.card(&r.worker, BACKUP_CARD, CardSlot::Backup).await;
    let wallet = t.store.wallet_of_site(t.site_id()).await.unwrap().unwrap();

    // Free cash: 3,000 expiring on the 20th, 2,000 expiring on the 10th (used first).
    let jan = |d: i64| JAN_6 + (d - 6) * DAY;
    r.s.grant_cash(
        t.site_id(),
        Krw::won(3_000),
        jan(20),
        "가입 축하",
        "grant-1",
    )
    .await
    .unwrap();
    let (early, new) =
        r.s.grant_cash(t.site_id(), Krw::won(2_000), jan(10), "이벤트", "grant-2")
            .await
            .unwrap();
    assert!(new);
    // The same grant again changes nothing.
    let (again, new) =
        r.s.grant_cash(t.site_id(), Krw::won(2_000), jan(10), "이벤트", "grant-2")
            .await
            .unwrap();
    assert!(!new);
    assert_eq!(again.id, early.id);
    assert_eq!(r.figures().await, (0, 5_000, 0, 0));

    // 100 messages: 1,500 from the grant expiring first.
    assert_eq!(billed(&r.bill("u1", 100).await), (1_500, 0, 0));
    // Paid cash bought: the card pays 1,100 (VAT included).
    let charge =
        r.s.charge_cash(&r.master, card_a.id, Krw::won(1_000), "cash-1")
            .await
            .unwrap();
    assert_eq!(charge.state, "done");
    assert_eq!(r.peer_amounts(), vec![1_100]);
    assert_eq!(r.figures().await, (1_000, 3_500, 0, 0));
    // 300 messages (4,500): the rest of both grants (3,500), then paid cash (1,000)…
    assert_eq!(billed(&r.bill("u2", 300).await), (3_500, 1_000, 0));
    // …and 40 more (600) accrue on the card.
    assert_eq!(billed(&r.bill("u3", 40).await), (0, 0, 600));
    assert_eq!(r.figures().await, (0, 0, 600, 0));
    // A replayed key bills nothing.
    assert!(matches!(
        r.bill("u3", 40).await,
        UsageOutcome::Replayed { amount: 600, .. }
    ));

    // Midnight of the 6th: the payment card pays 660.
    t.clock.set(JAN_6);
    r.run_jobs().await;
    assert_eq!(r.peer_amounts(), vec![1_100, 660]);
    assert_eq!(r.figures().await, (0, 0, 0, 0));

    // The payment card turns dormant: the backup pays the next day's 1,500 (1,650).
    r.peer
        .set_behaviour(&card_a.billing_key, CardBehaviour::Dormant);
    assert_eq!(billed(&r.bill("u4", 100).await), (0, 0, 1_500));
    t.clock.set(jan(7));
    r.run_jobs().await;
    assert_eq!(r.peer_amounts(), vec![1_100, 660, 1_650]);
    assert_eq!(
        r.peer.charges().last().unwrap().billing_key,
        card_b.billing_key,
        "the backup card paid"
    );
    let view = r.s.wallet_view(&r.master).await.unwrap();
    let refusals: Vec<_> = view
        .cards
        .iter()
        .map(|c| (c.order, c.card.last_refusal.clone()))
        .collect();
    assert_eq!(
        refusals,
        vec![(1, Some("dormant".to_owned())), (2, None)],
        "the page shows the payment card refused as dormant"
    );

    // Every card fails: the 1,500 of the 7th becomes a receivable and billing stops.
    r.peer
        .set_behaviour(&card_b.billing_key, CardBehaviour::OverLimit);
    assert_eq!(billed(&r.bill("u5", 100).await), (0, 0, 1_500));
    t.clock.set(jan(8));
    r.run_jobs().await;
    assert_eq!(r.figures().await, (0, 0, 0, 1_500));
    match r.bill("u6", 1).await {
        UsageOutcome::Refused { code, .. } => assert_eq!(code, "receivable_outstanding"),
        other => panic!("billed with a receivable outstanding: {other:?}"),
    }
    // Retried every day; after five days the long-failing notice goes out once.
    for d in 9..=14 {
        t.clock.set(jan(d));
        r.run_jobs().await;
    }
    assert_eq!(r.figures().await.3, 1_500, "still owed");
    let overdue: Vec<_> = r
        .subjects_to("master@shop.test")
        .into_iter()
        .filter(|s| s.contains("5일 이상 결제 실패"))
        .collect();
    assert_eq!(overdue.len(), 1, "{:?}", r.subjects_to("master@shop.test"));
    // The card recovers: the next round pays the receivable and billing works again.
    r.peer.set_behaviour(&card_b.billing_key, CardBehaviour::Ok);
    t.clock.set(jan(15));
    r.run_jobs().await;
    assert_eq!(r.figures().await, (0, 0, 0, 0));
    assert_eq!(*r.peer_amounts().last().unwrap(), 1_650);
    assert_eq!(billed(&r.bill("u7", 10).await), (0, 0, 150));

    // A grant given now expires on the 20th with 500 left; its notice went out before.
    r.s.grant_cash(t.site_id(), Krw::won(500), jan(20), "보상", "grant-3")
        .await
        .unwrap();
    t.clock.set(jan(16));
    r.run_jobs().await;
    assert!(
        r.subjects_to("worker@shop.test")
            .iter()
            .any(|s| s.contains("500원이 곧 만료됩니다")),
        "{:?}",
        r.subjects_to("worker@shop.test")
    );
    for d in 17..=20 {
        t.clock.set(jan(d));
        r.run_jobs().await;
    }
    assert_eq!(r.figures().await, (0, 0, 0, 0), "the free cash expired");

    // The 1st of February: January's invoice, for what paid cash and cards paid.
    // Consumed from paid cash 1,000; on the card 600 + 1,500 + 1,500 + 150.
    for d in 21..=32 {
        t.clock.set(jan(d));
        r.run_jobs().await;
    }
    let invoices = t.store.invoices(wallet.id).await.unwrap();
    assert_eq!(invoices.len(), 1, "{invoices:?}");
    let i = &invoices[0];
    assert_eq!(
        (
            i.period.as_str(),
            i.supply.get(),
            i.vat.get(),
            i.total.get()
        ),
        ("2026-01", 4_750, 475, 5_225)
    );
    let tax = r.subjects_to("tax@shop.test");
    assert_eq!(
        tax,
        vec!["[Sangdam] 「테스트상점」 2026-01 세금계산서 발행"]
    );

    // Every notice reached its people.
    let master = r.subjects_to("master@shop.test");
    for expected in [
        "무상캐시 3,000원이 지급되었습니다",
        "유상캐시 1,000원 충전 완료",
        "자동결제 완료 (600원)",
        "자동결제 실패 안내",
        "잔액 부족 안내",
        "세금계산서 발행",
    ] {
        assert!(
            master.iter().any(|s| s.contains(expected)),
            "{expected:?} not in {master:?}"
        );
    }
    let body = r
        .sink
        .received()
        .into_iter()
        .find(|m| m.subject.contains("자동결제 실패"))
        .unwrap()
        .body;
    assert!(body.contains("1,500원(부가세 포함 1,650원)"), "{body}");
    // Each notice went once to each person, whatever the retries.
    let mut seen = std::collections::HashSet::new();
    for m in r.sink.received() {
        assert!(
            seen.insert((m.to.clone(), m.message_id.clone())),
            "sent twice: {:?}",
            m.subject
        );
    }
    // The ledger balances: the kept sums are the postings' sums, every entry balances.
    assert_eq!(t.store.check_ledger().await.unwrap(), vec![]);
    let _ = &r.admin;
}

async fn a_lost_answer_is_confirmed_once(t: TestApp) {
    // The client gives up after 300 ms; the peer holds a `timeout` card's answer far longer.
    let r = rig(&t, Duration::from_millis(300)).await;
    let card = r
        .card(&r.master, "4330123412340007", CardSlot::Payment)
        .await;
    let first =
        r.s.charge_cash(&r.master, card.id, Krw::won(10_000), "cash-lost")
            .await
            .unwrap();
    assert_eq!(first.state, "pending", "no answer yet");
    assert_eq!(r.figures().await.0, 0, "no cash before the charge is known");
    // The same request again does not charge again.
    let again =
        r.s.charge_cash(&r.master, card.id, Krw::won(10_000), "cash-lost")
            .await
            .unwrap();
    assert_eq!(again.payment.id, first.payment.id);
    // A minute later the follow-up asks again with the same idempotency key.
    t.clock.advance(61_000);
    r.run_jobs().await;
    assert_eq!(r.figures().await.0, 10_000);
    assert_eq!(
        r.peer_amounts(),
        vec![11_000],
        "charged once at the gateway"
    );
    let done = t.store.payment(first.payment.id).await.unwrap();
    assert_eq!(done.state, "done");
    assert_eq!(
        r.subjects_to("master@shop.test")
            .iter()
            .filter(|s| s.contains("충전 완료"))
            .count(),
        1
    );
    // Refunding all of it returns 11,000 to the card.
    let refunded = r.s.refund(&r.master, None, "refund-1").await.unwrap();
    assert_eq!(refunded.get(), 10_000);
    assert_eq!(r.peer.charges()[0].cancelled_amount, 11_000);
    assert_eq!(r.figures().await.0, 0);
    assert_eq!(t.store.check_ledger().await.unwrap(), vec![]);
}

async fn notices_wait_out_an_smtp_outage(t: TestApp) {
    let r = rig(&t, Duration::from_secs(5)).await;
    r.sink.set_down(true);
    r.s.grant_cash(t.site_id(), Krw::won(1_000), START + 30 * DAY, "보상", "g")
        .await
        .unwrap();
    r.run_jobs().await;
    assert!(r.sink.received().is_empty(), "the relay is down");
    let emails = t.store.emails_of_site(t.site_id(), 10).await.unwrap();
    assert_eq!(emails.len(), 3, "one for each person with an address");
    assert!(
        emails
            .iter()
            .all(|e| e.state == "pending" && e.last_error.is_some()),
        "{emails:?}"
    );
    // The relay is back: after the backoff each goes out once.
    r.sink.set_down(false);
    for _ in 0..3 {
        t.clock.advance(15 * 60_000);
        r.run_jobs().await;
    }
    let mut to: Vec<String> = r.sink.received().into_iter().flat_map(|m| m.to).collect();
    to.sort();
    assert_eq!(
        to,
        vec!["admin@shop.test", "master@shop.test", "worker@shop.test"]
    );
    let body = &r.sink.received()[0].body;
    assert!(body.contains("무상캐시 1,000원이 지급되었습니다"), "{body}");
    let emails = t.store.emails_of_site(t.site_id(), 10).await.unwrap();
    assert!(emails.iter().all(|e| e.state == "sent"), "{emails:?}");
}
