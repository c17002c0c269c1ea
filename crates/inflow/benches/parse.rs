//! `inflow::parse` on realistic chat URLs of each channel, beside a bare
//! `form_urlencoded::parse` (collecting owned pairs) of the same URLs' query.
//!
//! cargo bench -p sangdam-inflow --bench parse
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use inflow::{Channel, Settings, Slot, parse};

const NAME: &str = "%ED%99%8D%EA%B8%B8%EB%8F%99";
const SOURCE: &str = "%EB%84%A4%EC%9D%B4%EB%B2%84%20%EA%B2%80%EC%83%89";

fn urls() -> Vec<(Channel, String)> {
    vec![
        (
            Channel::Kakao,
            format!(
                "https://chat.example.com/kakao/chat_open?yid=%40sangdam&site_id=4000001234\
                 &category_id=74133&division_id=74134&site_uid=member_8812\
                 &cus_extra_username={NAME}&cus_extra_phone=01012345678&parameter1={SOURCE}\
                 &parameter2=VIP&bot_start=true"
            ),
        ),
        (
            Channel::WebchatV1,
            format!(
                "https://chat.example.com/chat/v1?site_id=4000001234&category_id=74133\
                 &division_id=74134&is_login=Y&uid=member_8812&cus_extra_username={NAME}\
                 &cus_extra_email=hong%40example.com&cus_extra_phone=010-1234-5678\
                 &parameter1={SOURCE}&parameter2=VIP"
            ),
        ),
        (
            Channel::WebchatV2,
            format!(
                "https://chat.example.com/chat/v2?siteId=4000001234&partner_id=cafe24\
                 &shop_id=mall01&params=site_uid=('member_8812'),cus_extra_username=('{NAME}'),\
                 cus_extra_phone=('010-1234-5678'),categoryID=74133,divisionID=74134,\
                 parameter1=('{SOURCE}'),parameter2=('VIP')"
            ),
        ),
        (
            Channel::Naver,
            format!(
                "https://talk.naver.com/ct/w4abcd#nafullscreen|site_uid=member_8812\
                 |cus_extra_username={NAME}|cus_extra_phone=01012345678\
                 |parameter1={SOURCE}|parameter2=VIP"
            ),
        ),
    ]
}

fn settings() -> Settings {
    let mut s = Settings::with_enabled([Slot::new(1).unwrap(), Slot::new(2).unwrap()]);
    s.slot_mut(Slot::new(1).unwrap()).description = "유입경로".into();
    s.slot_mut(Slot::new(2).unwrap()).description = "유저구분".into();
    s
}

/// The baseline: what a bare split and decode of the query costs.
fn bare_split(url: &str) -> Vec<(String, String)> {
    let query = url.split_once('?').map_or(url, |(_, q)| q);
    form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn bench(c: &mut Criterion) {
    let settings = settings();
    for (channel, url) in urls() {
        let inflow = parse(channel, &url, &settings);
        assert!(
            inflow.warnings.is_empty(),
            "{channel}: benchmark URL must be clean: {:?}",
            inflow.warnings
        );
        assert_eq!(inflow.fields.site_uid.as_deref(), Some("member_8812"));
        let mut group = c.benchmark_group(format!("parse/{channel}"));
        group.bench_function("sangdam", |b| {
            b.iter(|| parse(black_box(channel), black_box(&url), black_box(&settings)))
        });
        group.bench_function("form_urlencoded", |b| {
            b.iter(|| bare_split(black_box(&url)))
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
