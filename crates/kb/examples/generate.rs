//! Learn the matcher's tables from labelled training pairs and (with `--write`) write them into
//! the crate: `src/learned/endings.txt`, `src/learned/canonical.tsv`, `src/generated.rs`.
//!
//! cargo run --release -p sangdam-kb --example generate -- \
//!     /work/shared/data/question_pair/train.txt --write [--keep-weights]
//!
//! 1. Endings: suffixes in which the words of paraphrase pairs differ after a common start
//!    (`힘들어` / `힘드네`), kept when frequent, added to a seed list of common endings and
//!    particles.
//! 2. Canonical spellings: when the stems of a paraphrase pair differ in exactly one stem on
//!    each side (`여친` / `여자친구`), the two are the same word; pairs seen at least twice are
//!    joined and mapped to their most frequent spelling.
//! 3. Channel weights and the idf exponent: coordinate search for the best top-1 on knowledge
//!    bases the size of the evaluation's (chunks of about 680 lines). The tables used for a
//!    chunk are learned from the other half of the data, so that the weights and the
//!    calibration see the tables as they behave on unseen questions.
//! 4. Calibration: a logistic fit of "best answer right" on the pair features of the best
//!    candidate (score, margin, channel cosines, how the two texts differ), over the best
//!    answers to paraphrases and, as wrong answers, to different-meaning questions answered
//!    with their look-alike; then isotonic regression (pool adjacent violators) of the same
//!    outcome on that combination.
//! 5. The minimum-accuracy sweep that `DEFAULT_MIN_ACCURACY` is chosen from.
// Matrix code (the Newton step) reads best with indices.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::needless_range_loop)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::Arc;

use kb::eval::{self, Outcome, Pair};
use kb::{
    CHANNELS, Calibration, Candidate, Lexicon, Model, PAIR_FEATURE_NAMES, PAIR_FEATURES, Weights,
    normalize, words,
};

/// Endings and particles every Korean reader knows; learning adds to them.
const SEED_ENDINGS: &[&str] = &[
    "습니다",
    "니다",
    "나요",
    "네요",
    "어요",
    "아요",
    "해요",
    "세요",
    "예요",
    "이에요",
    "에요",
    "는데",
    "인데",
    "은데",
    "거야",
    "이야",
    "잖아",
    "거든",
    "구나",
    "군요",
    "을까",
    "할까",
    "까요",
    "까",
    "요",
    "죠",
    "지",
    "야",
    "어",
    "아",
    "해",
    "네",
    "다",
    "니",
    "냐",
    "나",
    "래",
    "데",
    "게",
    "이",
    "가",
    "을",
    "를",
    "은",
    "는",
    "에",
    "에서",
    "랑",
    "이랑",
    "하고",
    "도",
    "만",
    "의",
    "로",
    "으로",
    "한테",
];

/// A suffix becomes an ending when paraphrases differ by it this often.
const MIN_ENDING_COUNT: usize = 8;
/// Two stems become one word when paraphrases swap them this often.
const MIN_SWAP_COUNT: usize = 2;
/// How much a different-meaning question answered with its look-alike counts in the logistic
/// fit, against one paraphrase: they are rarer than paraphrases, and each is a wrong answer a
/// customer would see.
const LOOK_ALIKE_WEIGHT: f64 = 3.0;
/// … and this share of the rarer stem's appearances in paraphrases.
const MIN_SWAP_SHARE: f64 = 0.25;
/// The ridge penalty of the logistic fit (on standardised features).
const RIDGE: f64 = 1.0;
/// Lines per knowledge base while tuning: the size of the evaluation's.
const CHUNK: usize = 682;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: generate TRAIN_PAIRS [--write]");
    let flags: Vec<String> = args.collect();
    let write = flags.iter().any(|a| a == "--write");
    // The weight search takes most of the time; `--keep-weights` starts from (and keeps) the
    // shipped weights, to refit the calibration alone.
    let keep_weights = flags.iter().any(|a| a == "--keep-weights");
    let text = std::fs::read_to_string(&path).expect("read the pairs file");
    let pairs = eval::parse_pairs(&text).expect("a pairs file");

    // Two halves; each half's chunks are matched with tables learned from the other half.
    let halves: [Vec<Pair>; 2] = [
        pairs.iter().step_by(2).cloned().collect(),
        pairs.iter().skip(1).step_by(2).cloned().collect(),
    ];
    let lexicons = [
        Arc::new(learn_lexicon(&halves[1]).0),
        Arc::new(learn_lexicon(&halves[0]).0),
    ];
    let chunks: Vec<(usize, Vec<Pair>)> = halves
        .iter()
        .enumerate()
        .flat_map(|(h, half)| half.chunks(CHUNK).map(move |c| (h, c.to_vec())))
        .collect();

    let mut weights = Weights {
        channels: [1.0, 1.0, 1.0, 0.5, 0.5, 0.5],
        idf_power: 1.0,
    };
    if keep_weights {
        weights = Model::builtin().weights;
    }
    let mut best = top1(&chunks, &lexicons, weights);
    eprintln!("start: top-1 {:.4}", best);
    let factors = [0.0, 0.5, 0.7, 1.4, 2.0];
    for round in 0..if keep_weights { 0 } else { 3 } {
        let mut improved = false;
        for ch in 0..=CHANNELS {
            for f in factors {
                let mut w = weights;
                if ch == CHANNELS {
                    w.idf_power = (w.idf_power * (1.0 + (f - 1.0) * 0.5)).clamp(0.5, 3.0);
                } else {
                    w.channels[ch] *= f;
                    if w.channels[ch] == 0.0 && weights.channels[ch] == 0.0 {
                        w.channels[ch] = 0.3;
                    }
                }
                let score = top1(&chunks, &lexicons, w);
                if score > best + 1e-4 {
                    best = score;
                    weights = w;
                    improved = true;
                    eprintln!("round {round}: {:?} → top-1 {:.4}", weights, best);
                }
            }
        }
        if !improved {
            break;
        }
    }
    // Scale so the largest weight is 1 (the calibration absorbs the scale anyway).
    let max = weights.channels.iter().copied().fold(0.0f32, f32::max);
    if max > 0.0 {
        for w in &mut weights.channels {
            *w /= max;
        }
    }
    println!("weights: {weights:?}, cross-fitted top-1 {best:.4}");

    // Calibration on the cross-fitted outcomes, each tagged with its half.
    let outcomes = all_outcomes(&chunks, &lexicons, weights);
    let rows = calibration_rows(&outcomes);
    // The figures below are cross-fitted too: each half is read with a calibration fitted on
    // the other half's outcomes.
    let halves_cal = [
        fit(&rows
            .iter()
            .filter(|r| r.half == 1)
            .cloned()
            .collect::<Vec<_>>()),
        fit(&rows
            .iter()
            .filter(|r| r.half == 0)
            .cloned()
            .collect::<Vec<_>>()),
    ];
    let calibration = fit(&rows);
    println!("calibration weights (feature: weight):");
    for (name, w) in PAIR_FEATURE_NAMES.iter().zip(calibration.model.iter()) {
        println!("  {name:<40} {w:8.3}");
    }
    println!(
        "  {:<40} {:8.3}\n  {} steps",
        "intercept",
        calibration.model[PAIR_FEATURES],
        calibration.table.len()
    );
    let scored: Vec<(bool, bool, Option<u8>)> = outcomes
        .iter()
        .map(|(h, o)| {
            (
                o.same,
                o.own.first().copied().unwrap_or(false),
                o.top.first().map(|c| halves_cal[*h].accuracy(c)),
            )
        })
        .collect();
    // The trade-off itself, free of the table's steps: rank the best answers by their
    // cross-fitted z and count the look-alikes above the cut that answers a given share of
    // paraphrases.
    let mut ranked: Vec<(f32, bool, bool)> = outcomes
        .iter()
        .filter_map(|(h, o)| {
            let c = o.top.first()?;
            Some((halves_cal[*h].z(c), o.same, o.own[0]))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    let paraphrases = ranked.iter().filter(|r| r.1).count();
    let mut line = String::from("look-alikes answered at a share of paraphrases answered:");
    for share in [0.55, 0.6, 0.65, 0.68, 0.7, 0.75] {
        let (mut para, mut look, mut right) = (0usize, 0usize, 0usize);
        for &(_, same, own) in &ranked {
            if para as f64 >= share * paraphrases as f64 {
                break;
            }
            if same {
                para += 1;
                right += usize::from(own);
            } else if own {
                look += 1;
            }
        }
        let _ = write!(
            line,
            " {:.0}%: {look} (right {:.1} %);",
            share * 100.0,
            right as f64 * 100.0 / para.max(1) as f64
        );
    }
    println!("{line}");
    println!("\nminimum accuracy sweep (cross-fitted, training pairs):");
    println!("| minimum | answered | right | different-meaning answered |");
    for t in (40..=95).step_by(5) {
        let (mut para, mut diff, mut answered, mut right, mut diff_answered) = (0, 0, 0, 0, 0);
        for &(same, own, acc) in &scored {
            let ans = acc.is_some_and(|a| a >= t);
            if same {
                para += 1;
                answered += usize::from(ans);
                right += usize::from(ans && own);
            } else {
                diff += 1;
                diff_answered += usize::from(ans && own);
            }
        }
        println!(
            "| {t} | {:.1} % | {:.1} % | {:.2} % ({diff_answered}) |",
            answered as f64 * 100.0 / para as f64,
            right as f64 * 100.0 / answered.max(1) as f64,
            diff_answered as f64 * 100.0 / diff as f64
        );
    }
    println!(
        "\ncalibration on the training pairs (cross-fitted; paraphrases, and different-meaning"
    );
    println!("questions answered with their look-alike as wrong answers):");
    let mut bins = [(0usize, 0f64, 0f64); 10];
    for &(same, own, acc) in &scored {
        let Some(acc) = acc else { continue };
        if !same && !own {
            continue;
        }
        let b = &mut bins[usize::from(acc.min(99) / 10)];
        b.0 += 1;
        b.1 += f64::from(acc);
        b.2 += if same && own { 100.0 } else { 0.0 };
    }
    for (i, (n, stated, observed)) in bins.iter().enumerate() {
        let n1 = (*n).max(1) as f64;
        println!(
            "{:>3}–{:<3} n={:<5} stated {:5.1} observed {:5.1}",
            i * 10,
            if i == 9 { 100 } else { i * 10 + 9 },
            n,
            stated / n1,
            observed / n1
        );
    }
    if write {
        let (_, endings, canonical) = learn_lexicon(&pairs);
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        std::fs::write(format!("{dir}/learned/endings.txt"), endings).expect("write endings");
        std::fs::write(format!("{dir}/learned/canonical.tsv"), canonical).expect("write canonical");
        std::fs::write(
            format!("{dir}/generated.rs"),
            rust_source(weights, &calibration),
        )
        .expect("write generated.rs");
        println!("\nwrote {dir}/learned/endings.txt, canonical.tsv, generated.rs");
    }
}

fn top1(chunks: &[(usize, Vec<Pair>)], lexicons: &[Arc<Lexicon>; 2], weights: Weights) -> f64 {
    let outs = all_outcomes(chunks, lexicons, weights);
    let para: Vec<&Outcome> = outs.iter().map(|o| &o.1).filter(|o| o.same).collect();
    para.iter().filter(|o| o.own.first() == Some(&true)).count() as f64 / para.len() as f64
}

fn all_outcomes(
    chunks: &[(usize, Vec<Pair>)],
    lexicons: &[Arc<Lexicon>; 2],
    weights: Weights,
) -> Vec<(usize, Outcome)> {
    chunks
        .iter()
        .flat_map(|(h, chunk)| {
            let model = Model {
                lexicon: Arc::clone(&lexicons[*h]),
                weights,
                calibration: Calibration::builtin(),
            };
            eval::outcomes(chunk, model)
                .into_iter()
                .map(move |o| (*h, o))
        })
        .collect()
}

/// The lexicon learned from pairs, and the two files that hold it.
fn learn_lexicon(pairs: &[Pair]) -> (Lexicon, String, String) {
    let para: Vec<(Vec<String>, Vec<String>)> = pairs
        .iter()
        .filter(|p| p.same)
        .map(|p| {
            let a = normalize(&p.question1);
            let b = normalize(&p.question2);
            (
                words(&a).map(str::to_owned).collect(),
                words(&b).map(str::to_owned).collect(),
            )
        })
        .collect();

    let mut suffixes: HashMap<String, usize> = HashMap::new();
    for (a, b) in &para {
        for x in a {
            for y in b {
                if x == y {
                    continue;
                }
                let lcp = x.chars().zip(y.chars()).take_while(|(p, q)| p == q).count();
                if lcp == 0 {
                    continue;
                }
                for w in [x, y] {
                    let suffix: String = w.chars().skip(lcp).collect();
                    let n = suffix.chars().count();
                    if (1..=3).contains(&n) {
                        *suffixes.entry(suffix).or_insert(0) += 1;
                    }
                }
            }
        }
    }
    let mut endings: BTreeMap<String, usize> = SEED_ENDINGS
        .iter()
        .map(|s| ((*s).to_owned(), usize::MAX))
        .collect();
    for (s, n) in suffixes {
        if n >= MIN_ENDING_COUNT {
            endings.entry(s).or_insert(n);
        }
    }
    let mut endings_text = String::from(
        "# Endings and particles a word loses before it is compared.\n\
         # Generated by examples/generate.rs (seed list + suffixes paraphrases differ by).\n",
    );
    for e in endings.keys() {
        let _ = writeln!(endings_text, "{e}");
    }
    let with_endings = Lexicon::parse(&endings_text, "");

    // Stems with the endings learned so far; swaps of one stem for another in paraphrases.
    let stems = |ws: &[String]| -> HashSet<String> {
        ws.iter().map(|w| kb::stem(w, &with_endings)).collect()
    };
    let mut freq: HashMap<String, usize> = HashMap::new();
    let mut swaps: HashMap<(String, String), usize> = HashMap::new();
    for (a, b) in &para {
        let (sa, sb) = (stems(a), stems(b));
        for s in sa.iter().chain(sb.iter()) {
            *freq.entry(s.clone()).or_insert(0) += 1;
        }
        let da: Vec<&String> = sa.difference(&sb).collect();
        let db: Vec<&String> = sb.difference(&sa).collect();
        if let ([x], [y]) = (da.as_slice(), db.as_slice()) {
            let key = if x < y {
                ((*x).clone(), (*y).clone())
            } else {
                ((*y).clone(), (*x).clone())
            };
            *swaps.entry(key).or_insert(0) += 1;
        }
    }
    // Union-find over the frequent swaps.
    let mut parent: HashMap<String, String> = HashMap::new();
    fn find(parent: &mut HashMap<String, String>, x: &str) -> String {
        let p = parent.get(x).cloned().unwrap_or_else(|| x.to_owned());
        if p == x {
            return p;
        }
        let root = find(parent, &p);
        parent.insert(x.to_owned(), root.clone());
        root
    }
    // A swap counts when it is a large share of the rarer stem's appearances: `괜찮` / `좋`
    // swap now and then, but each appears far more often without the other.
    let mut kept: Vec<(&(String, String), &usize)> = swaps
        .iter()
        .filter(|((x, y), n)| {
            let rarer = freq
                .get(x)
                .copied()
                .unwrap_or(0)
                .min(freq.get(y).copied().unwrap_or(0));
            **n >= MIN_SWAP_COUNT && (**n as f64) >= MIN_SWAP_SHARE * rarer as f64
        })
        .collect();
    kept.sort();
    for ((x, y), _) in &kept {
        let (rx, ry) = (find(&mut parent, x), find(&mut parent, y));
        if rx != ry {
            parent.insert(rx, ry);
        }
    }
    let members: Vec<String> = parent.keys().cloned().collect();
    let mut classes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for m in members {
        let root = find(&mut parent, &m);
        classes.entry(root.clone()).or_default().push(m);
    }
    let mut canonical_text = String::from(
        "# word<TAB>canonical spelling: stems that paraphrases swap for each other.\n\
         # Generated by examples/generate.rs.\n",
    );
    for (root, mut ms) in classes {
        ms.push(root);
        ms.sort();
        ms.dedup();
        let head = ms
            .iter()
            .max_by_key(|m| {
                (
                    freq.get(*m).copied().unwrap_or(0),
                    std::cmp::Reverse((*m).clone()),
                )
            })
            .cloned()
            .unwrap_or_default();
        for m in ms.iter().filter(|m| **m != head) {
            let _ = writeln!(canonical_text, "{m}\t{head}");
        }
    }
    let lexicon = Lexicon::parse(&endings_text, &canonical_text);
    (lexicon, endings_text, canonical_text)
}

/// One best answer whose rightness is known, for the calibration.
#[derive(Debug, Clone)]
struct Row {
    half: usize,
    features: [f32; PAIR_FEATURES],
    right: bool,
    /// A paraphrase (rightness: the best entry is its own); otherwise a different-meaning
    /// question answered with its look-alike (a wrong answer).
    paraphrase: bool,
}

/// The best answers to paraphrases (right or wrong) and, as wrong answers, those to
/// different-meaning questions that are their look-alike.
fn calibration_rows(outcomes: &[(usize, Outcome)]) -> Vec<Row> {
    outcomes
        .iter()
        .filter_map(|(h, o)| {
            let c = o.top.first()?;
            let own = o.own[0];
            (o.same || own).then_some(Row {
                half: *h,
                features: c.features,
                right: o.same && own,
                paraphrase: o.same,
            })
        })
        .collect()
}

/// The logistic model, then the isotonic table on its `z`.
fn fit(rows: &[Row]) -> Calibration {
    let model = logistic(rows);
    let table = isotonic(rows, model);
    Calibration { model, table }
}

/// Logistic regression of `right` on the pair features (standardised, a small ridge penalty),
/// by Newton's method; look-alike rows count `LOOK_ALIKE_WEIGHT` times. The weights are
/// returned for the raw features.
fn logistic(rows: &[Row]) -> [f32; PAIR_FEATURES + 1] {
    const D: usize = PAIR_FEATURES + 1;
    let weight = |r: &Row| if r.paraphrase { 1.0 } else { LOOK_ALIKE_WEIGHT };
    let n = rows.len().max(1) as f64;
    let mut mean = [0f64; PAIR_FEATURES];
    let mut sd = [0f64; PAIR_FEATURES];
    for r in rows {
        for k in 0..PAIR_FEATURES {
            mean[k] += f64::from(r.features[k]) / n;
        }
    }
    for r in rows {
        for k in 0..PAIR_FEATURES {
            sd[k] += (f64::from(r.features[k]) - mean[k]).powi(2) / n;
        }
    }
    for v in &mut sd {
        *v = v.sqrt().max(1e-6);
    }
    let xs: Vec<[f64; D]> = rows
        .iter()
        .map(|r| {
            let mut x = [1.0f64; D];
            for k in 0..PAIR_FEATURES {
                x[k] = (f64::from(r.features[k]) - mean[k]) / sd[k];
            }
            x
        })
        .collect();
    let mut w = [0f64; D];
    for _ in 0..30 {
        let mut g = [0f64; D];
        let mut h = [[0f64; D]; D];
        for (x, r) in xs.iter().zip(rows) {
            let z: f64 = (0..D).map(|k| w[k] * x[k]).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            let c = weight(r);
            let e = (p - if r.right { 1.0 } else { 0.0 }) * c;
            let v = (p * (1.0 - p)).max(1e-9) * c;
            for i in 0..D {
                g[i] += e * x[i];
                for j in 0..D {
                    h[i][j] += v * x[i] * x[j];
                }
            }
        }
        for i in 0..PAIR_FEATURES {
            g[i] += RIDGE * w[i];
            h[i][i] += RIDGE;
        }
        let step = solve(h, g);
        let mut moved = 0f64;
        for i in 0..D {
            w[i] -= step[i];
            moved = moved.max(step[i].abs());
        }
        if moved < 1e-8 {
            break;
        }
    }
    // Back to raw features: z = Σ w_k (x_k − m_k)/s_k + w_0.
    let mut out = [0f32; D];
    let mut intercept = w[PAIR_FEATURES];
    for k in 0..PAIR_FEATURES {
        out[k] = (w[k] / sd[k]) as f32;
        intercept -= w[k] * mean[k] / sd[k];
    }
    out[PAIR_FEATURES] = intercept as f32;
    out
}

/// Solve `a·x = b` by Gaussian elimination with partial pivoting.
fn solve<const D: usize>(mut a: [[f64; D]; D], mut b: [f64; D]) -> [f64; D] {
    for col in 0..D {
        let pivot = (col..D)
            .max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))
            .unwrap_or(col);
        a.swap(col, pivot);
        b.swap(col, pivot);
        let d = a[col][col];
        if d.abs() < 1e-12 {
            continue;
        }
        for row in col + 1..D {
            let f = a[row][col] / d;
            for k in col..D {
                a[row][k] -= f * a[col][k];
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = [0f64; D];
    for row in (0..D).rev() {
        let s: f64 = (row + 1..D).map(|k| a[row][k] * x[k]).sum();
        x[row] = if a[row][row].abs() < 1e-12 {
            0.0
        } else {
            (b[row] - s) / a[row][row]
        };
    }
    x
}

/// Isotonic regression of `right` on z: blocks of non-decreasing mean, as
/// `(lowest z of the block, accuracy %)`, merged where the rounded accuracy repeats. Every
/// row counts once: a look-alike answered with its paired entry is a wrong answer like any
/// other.
fn isotonic(rows: &[Row], model: [f32; PAIR_FEATURES + 1]) -> Vec<(f32, u8)> {
    let cal = Calibration {
        model,
        table: Vec::new(),
    };
    let mut points: Vec<(f32, f64)> = rows
        .iter()
        .map(|r| {
            let c = Candidate {
                entry: 0,
                question: 0,
                score: r.features[0],
                margin: r.features[1],
                features: r.features,
            };
            (cal.z(&c), if r.right { 1.0 } else { 0.0 })
        })
        .collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    // (start z, sum, count)
    let mut blocks: Vec<(f32, f64, f64)> = Vec::new();
    for (z, y) in points {
        blocks.push((z, y, 1.0));
        while blocks.len() >= 2 {
            let (b, a) = (blocks[blocks.len() - 1], blocks[blocks.len() - 2]);
            if a.1 / a.2 >= b.1 / b.2 {
                blocks.pop();
                let last = blocks.len() - 1;
                blocks[last] = (a.0, a.1 + b.1, a.2 + b.2);
            } else {
                break;
            }
        }
    }
    let mut table: Vec<(f32, u8)> = Vec::new();
    for (z, sum, count) in blocks {
        let acc = ((sum / count) * 100.0).round().clamp(0.0, 100.0) as u8;
        match table.last() {
            Some(&(_, last)) if last == acc => {}
            _ => table.push((z, acc)),
        }
    }
    // The first block starts at the lowest z seen; the lowest scores keep its accuracy.
    if let Some(first) = table.first_mut() {
        first.0 = f32::MIN;
    }
    table
}

fn rust_source(weights: Weights, calibration: &Calibration) -> String {
    let mut s = String::from(
        "//! Generated by `cargo run --release -p sangdam-kb --example generate -- TRAIN --write`;\n\
         //! do not edit.\n\nuse crate::features::CHANNELS;\nuse crate::pair::PAIR_FEATURES;\n\n\
         /// Channel weights: uni, bi, tri, stem, stem bigram, jamo.\n",
    );
    let ws: Vec<String> = weights.channels.iter().map(|w| format!("{w:?}")).collect();
    let _ = writeln!(
        s,
        "pub(crate) const WEIGHTS: [f32; CHANNELS] = [{}];\n",
        ws.join(", ")
    );
    let _ = writeln!(
        s,
        "/// The exponent of the inverse document frequency.\npub(crate) const IDF_POWER: f32 = {:?};\n",
        weights.idf_power
    );
    let ms: Vec<String> = calibration.model.iter().map(|w| format!("{w:?}")).collect();
    let _ = writeln!(
        s,
        "/// `z = Σ weight·feature + intercept`: one weight per pair feature (`PAIR_FEATURE_NAMES`),\n/// then the intercept.\npub(crate) const CALIBRATION_MODEL: [f32; PAIR_FEATURES + 1] = [{}];\n",
        ms.join(", ")
    );
    let _ = writeln!(
        s,
        "/// `(threshold on z, accuracy)`, ascending.\npub(crate) const CALIBRATION_TABLE: &[(f32, u8)] = &["
    );
    for (t, acc) in &calibration.table {
        if *t == f32::MIN {
            let _ = writeln!(s, "    (f32::MIN, {acc}),");
        } else {
            let _ = writeln!(s, "    ({t:?}, {acc}),");
        }
    }
    s.push_str("];\n");
    s
}
