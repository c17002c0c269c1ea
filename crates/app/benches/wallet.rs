//! Billing 1,000 usages in one request (`Services::bill_usages`, what `POST
//! /api/v1/wallet/usages` runs): one transaction that locks the wallet, reads its balances,
//! plans each usage in the R5.2 order and writes 1,000 entries with their postings. On SQLite
//! (a file in the temporary directory) and, with `SANGDAM_TEST_PG`, on PostgreSQL.
//!
//! `cargo bench -p sangdam-app --bench wallet`
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_debug_implementations
)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use app::billing_run::UsageRequest;
use app::wallet::WalletInput;
use app::{NoEvents, Services, SystemClock};
use billing::{IdempotencyKey, Krw};
use criterion::{Criterion, criterion_group, criterion_main};
use store::testing::TestDb;
use store::{Backend, Role, Store};

const BATCH: usize = 1000;

struct Bench {
    services: Services,
    site: sangdam_core::SiteId,
    db: TestDb,
}

async fn setup(backend: Backend) -> Option<Bench> {
    let db = TestDb::fresh(backend).await?;
    let store = Store::connect(&db.url).await.unwrap();
    let services = Services::new(store.clone(), Arc::new(SystemClock), Arc::new(NoEvents));
    let site = store
        .create_site("벤치", "secret", &inflow::Settings::default(), 0)
        .await
        .unwrap();
    let admin = store
        .create_agent(site.id, "admin", "-", "관리자", Role::Admin, 0)
        .await
        .unwrap();
    services
        .create_wallet(
            &admin,
            &WalletInput {
                name: "벤치".into(),
                kind: "personal".into(),
                business_number: None,
                business_name: None,
                representative: None,
                invoice_email: None,
                master_id: admin.id,
            },
        )
        .await
        .unwrap();
    let wallet = store.wallet_of_site(site.id).await.unwrap().unwrap();
    // Free cash for every iteration criterion runs.
    store
        .grant_cash(
            wallet.id,
            Krw::new(4_000_000_000_000).unwrap(),
            i64::MAX / 2,
            "bench",
            &IdempotencyKey::parse("bench").unwrap(),
            0,
        )
        .await
        .unwrap();
    Some(Bench {
        services,
        site: site.id,
        db,
    })
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let serial = AtomicU64::new(0);
    for (name, backend) in [("sqlite", Backend::Sqlite), ("postgres", Backend::Postgres)] {
        let Some(b) = rt.block_on(setup(backend)) else {
            eprintln!("{name}: skipped (no SANGDAM_TEST_PG)");
            continue;
        };
        let mut group = c.benchmark_group("bill_usages");
        group.sample_size(20);
        group.bench_function(format!("{BATCH} usages, {name}"), |bench| {
            bench.iter(|| {
                let n = serial.fetch_add(1, Ordering::Relaxed);
                let usages: Vec<UsageRequest> = (0..BATCH)
                    .map(|i| UsageRequest {
                        key: format!("u-{n}-{i}"),
                        kind: "event_message".into(),
                        quantity: 1,
                        reference: Some(format!("task-{n}:recipient-{i}")),
                    })
                    .collect();
                let out = rt
                    .block_on(b.services.bill_usages(b.site, &usages))
                    .unwrap();
                assert_eq!(out.len(), BATCH);
            });
        });
        group.finish();
        rt.block_on(b.db.remove());
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
