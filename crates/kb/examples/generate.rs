//! Learn the matcher's tables from labelled training pairs and (with `--write`) write them into
//! the crate: `src/learned/endings.txt`, `src/learned/canonical.tsv`, `src/generated.rs`.
//!
//! cargo run --release -p sangdam-kb --example generate -- \
//!     /work/shared/data/question_pair/train.txt --write
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
//! 4. Calibration: a logistic fit of "best answer right" on the raw score and its margin, then
//!    isotonic regression (pool adjacent violators) of the same outcome on that combination.
//! 5. The minimum-accuracy sweep that `DEFAULT_MIN_ACCURACY` is chosen from.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::Arc;

use kb::eval::{self, Outcome, Pair};
use kb::{CHANNELS, Calibration, Candidate, Lexicon, Model, Weights, normalize, words};

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
/// Lines per knowledge base while tuning: the size of the evaluation's.
const CHUNK: usize = 682;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: generate TRAIN_PAIRS [--write]");
    let write = args.any(|a| a == "--write");
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
    let mut best = top1(&chunks, &lexicons, weights);
    eprintln!("start: top-1 {:.4}", best);
    let factors = [0.0, 0.5, 0.7, 1.4, 2.0];
    for round in 0..3 {
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

    // Calibration on the cross-fitted outcomes.
    let outcomes = all_outcomes(&chunks, &lexicons, weights);
    // The logistic fit sees the best answers to paraphrases (right or wrong) and, as wrong
    // answers, different-meaning questions answered with their look-alike; the isotonic map
    // is fitted on the paraphrases alone, whose right answer is known.
    let rows: Vec<(Candidate, bool, bool)> = outcomes
        .iter()
        .filter_map(|o| {
            let c = *o.top.first()?;
            if o.same {
                Some((c, o.own[0], true))
            } else if o.own[0] {
                Some((c, false, false))
            } else {
                None
            }
        })
        .collect();
    let model_abc = logistic(&rows);
    let para: Vec<(Candidate, bool)> = rows.iter().filter(|r| r.2).map(|r| (r.0, r.1)).collect();
    let table = isotonic(&para, model_abc);
    let calibration = Calibration {
        model: model_abc,
        table: table.clone(),
    };
    println!("calibration model {model_abc:?}, {} steps", table.len());

    let model = Model {
        lexicon: Arc::new(Lexicon::default()),
        weights,
        calibration: calibration.clone(),
    };
    println!("\nminimum accuracy sweep (cross-fitted, training pairs):");
    println!("| minimum | answered | right | different-meaning answered |");
    for t in (40..=95).step_by(5) {
        let f = eval::figures_at(&outcomes, &model, t);
        println!(
            "| {t} | {:.1} % | {:.1} % | {:.2} % |",
            f.at.answered * 100.0,
            f.at.right * 100.0,
            f.at.different_answered * 100.0
        );
    }
    println!("\ncalibration on the training pairs (cross-fitted):");
    for b in eval::calibration_bins(&outcomes, &model) {
        println!(
            "{:>3}–{:<3} n={:<5} stated {:5.1} observed {:5.1}",
            b.low, b.high, b.count, b.stated, b.observed
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
    let para: Vec<&Outcome> = outs.iter().filter(|o| o.same).collect();
    para.iter().filter(|o| o.own.first() == Some(&true)).count() as f64 / para.len() as f64
}

fn all_outcomes(
    chunks: &[(usize, Vec<Pair>)],
    lexicons: &[Arc<Lexicon>; 2],
    weights: Weights,
) -> Vec<Outcome> {
    chunks
        .iter()
        .flat_map(|(h, chunk)| {
            let model = Model {
                lexicon: Arc::clone(&lexicons[*h]),
                weights,
                calibration: Calibration::builtin(),
            };
            eval::outcomes(chunk, model)
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

/// Logistic regression of `right` on (score, margin, unmatched), by gradient descent; the
/// look-alike rows count `LOOK_ALIKE_WEIGHT` times.
fn logistic(rows: &[(Candidate, bool, bool)]) -> [f32; 4] {
    let mut w = [4.0f64, 4.0, 0.0, -2.0];
    let n: f64 = rows
        .iter()
        .map(|r| if r.2 { 1.0 } else { LOOK_ALIKE_WEIGHT })
        .sum::<f64>()
        .max(1.0);
    for _ in 0..6_000 {
        let mut g = [0.0f64; 4];
        for (c, y, para) in rows {
            let x = [
                f64::from(c.score),
                f64::from(c.margin),
                f64::from(c.unmatched),
                1.0,
            ];
            let z: f64 = (0..4).map(|k| w[k] * x[k]).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            let e = (p - if *y { 1.0 } else { 0.0 }) * if *para { 1.0 } else { LOOK_ALIKE_WEIGHT };
            for k in 0..4 {
                g[k] += e * x[k];
            }
        }
        for k in 0..4 {
            w[k] -= 2.0 * g[k] / n;
        }
    }
    [w[0] as f32, w[1] as f32, w[2] as f32, w[3] as f32]
}

/// Isotonic regression of `right` on z: blocks of non-decreasing mean, as
/// `(lowest z of the block, accuracy %)`, merged where the rounded accuracy repeats.
fn isotonic(rows: &[(Candidate, bool)], model: [f32; 4]) -> Vec<(f32, u8)> {
    let cal = Calibration {
        model,
        table: Vec::new(),
    };
    let mut points: Vec<(f32, f64)> = rows
        .iter()
        .map(|(c, y)| (cal.z(c), if *y { 1.0 } else { 0.0 }))
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
    // The first block starts at the lowest z seen; below it, the table says 0 — start it at
    // minus infinity's stand-in so the lowest scores keep the first block's accuracy.
    if let Some(first) = table.first_mut() {
        first.0 = f32::MIN;
    }
    table
}

fn rust_source(weights: Weights, calibration: &Calibration) -> String {
    let mut s = String::from(
        "//! Generated by `cargo run --release -p sangdam-kb --example generate -- TRAIN --write`;\n\
         //! do not edit.\n\nuse crate::features::CHANNELS;\n\n\
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
    let [a, b, d, c] = calibration.model;
    let _ = writeln!(
        s,
        "/// `z = a·score + b·margin + d·unmatched + c`: a, b, d, c.\npub(crate) const CALIBRATION_MODEL: [f32; 4] = [{a:?}, {b:?}, {d:?}, {c:?}];\n"
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
