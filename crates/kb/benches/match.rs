//! Matching against 10,000 entries, and building their index.
//!
//! cargo bench -p sangdam-kb --bench match
//!
//! The entries are 10,000 distinct questions of the training pairs (both columns; the file is
//! `$KB_PAIRS`, by default `/work/shared/data/question_pair/train.txt`), each its own entry;
//! the utterances are 2,000 questions of the same file with a character dropped, a space
//! moved or an ending changed. Besides criterion's figures it prints, once, the p50/p99/max of
//! single matches over the 2,000 utterances (std::time::Instant), the build time and the
//! index's heap bytes. A second matching benchmark uses the load generator's knowledge base,
//! 1,000 entries whose questions all share their words.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use kb::{Entry, Index};

fn data() -> Option<(Vec<Entry>, Vec<String>)> {
    let path = std::env::var("KB_PAIRS")
        .unwrap_or_else(|_| "/work/shared/data/question_pair/train.txt".to_owned());
    let text = std::fs::read_to_string(&path).ok()?;
    let mut seen = HashSet::new();
    let mut questions = Vec::new();
    for line in text.lines().skip(1) {
        for q in line.split('\t').take(2) {
            let q = q.trim();
            if !q.is_empty() && seen.insert(q.to_owned()) {
                questions.push(q.to_owned());
            }
        }
    }
    questions.truncate(10_000);
    let entries: Vec<Entry> = questions
        .iter()
        .enumerate()
        .map(|(i, q)| Entry {
            id: format!("e{i}"),
            questions: vec![q.clone()],
        })
        .collect();
    let utterances = questions
        .iter()
        .step_by(5)
        .take(2_000)
        .enumerate()
        .map(|(i, q)| {
            let chars: Vec<char> = q.chars().collect();
            match i % 4 {
                0 => chars
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| *k != chars.len() / 2)
                    .map(|(_, c)| c)
                    .collect(),
                1 => q.replace(' ', ""),
                2 => format!("{}요?", q.trim_end_matches(['?', '.', '!'])),
                _ => format!("{q} ㅋㅋㅋ"),
            }
        })
        .collect();
    Some((entries, utterances))
}

fn report_once(entries: &[Entry], utterances: &[String]) {
    let start = Instant::now();
    let index = Index::build(entries.to_vec());
    let build = start.elapsed();
    let mut times: Vec<Duration> = utterances
        .iter()
        .map(|u| {
            let t = Instant::now();
            black_box(index.top(u, 3));
            t.elapsed()
        })
        .collect();
    times.sort();
    let at = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    eprintln!(
        "kb: {} entries, build {:?}, heap {:.1} MB; {} matches: p50 {:?}, p99 {:?}, max {:?}",
        index.len(),
        build,
        index.heap_bytes() as f64 / 1e6,
        times.len(),
        at(0.5),
        at(0.99),
        at(1.0)
    );
}

fn bench(c: &mut Criterion) {
    let Some((entries, utterances)) = data() else {
        eprintln!("kb bench: no pairs file (set KB_PAIRS); skipped");
        return;
    };
    report_once(&entries, &utterances);
    let index = Index::build(entries.clone());
    let mut i = 0usize;
    c.bench_function("match_top3_10k_entries", |b| {
        b.iter(|| {
            i = (i + 1) % utterances.len();
            black_box(index.top(&utterances[i], 3))
        })
    });
    // The load generator's knowledge base: every question shares its words with all the
    // others (상품N 배송 언제 와요 / 상품N 언제 도착하나요), so every posting list is long.
    let shared: Vec<Entry> = (0..1_000)
        .map(|i| Entry {
            id: format!("s{i}"),
            questions: vec![
                format!("상품{i} 배송 언제 와요"),
                format!("상품{i} 언제 도착하나요"),
            ],
        })
        .collect();
    let shared = Index::build(shared);
    let asked: Vec<String> = (0..2_000)
        .map(|n| {
            format!(
                "lg:{}:{n}:1700000{n} 상품{} 주문했는데 언제 도착해요?",
                n % 500,
                n * 7 % 1_000
            )
        })
        .collect();
    c.bench_function("match_top3_1k_entries_sharing_words", |b| {
        b.iter(|| {
            i = (i + 1) % asked.len();
            black_box(shared.top(&asked[i], 3))
        })
    });
    let mut group = c.benchmark_group("build");
    group.sample_size(10);
    group.bench_function("index_10k_entries", |b| {
        b.iter(|| black_box(Index::build(entries.clone())))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
