//! The evaluation protocol on labelled question pairs, and the baseline it is compared with.
//!
//! A pairs file has a header line, then `question1<TAB>question2<TAB>label` lines, label `0`
//! when the two ask the same thing and `1` when they do not. One entry is built per line from
//! `question1`; each `question2` is asked. A paraphrase (label 0) is answered right when the
//! best entry is its own line's (or another line with the very same question). A different-
//! meaning pair (label 1) counts against the matcher when its own line's entry is answered.

use std::collections::HashMap;
use std::fmt::{self, Write as _};

use crate::{Candidate, Entry, Index, Model};

/// Why a pairs file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KbError {
    /// A line without three tab-separated fields or with a label other than 0 or 1.
    #[error("line {line}: expected question1<TAB>question2<TAB>0|1")]
    BadPair { line: usize },
}

/// One labelled pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub question1: String,
    pub question2: String,
    /// The two ask the same thing (label 0).
    pub same: bool,
}

/// Read a pairs file; the first line is a header when it does not end in a label.
pub fn parse_pairs(text: &str) -> Result<Vec<Pair>, KbError> {
    let mut pairs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || (i == 0 && line.starts_with("question1")) {
            continue;
        }
        let mut fields = line.split('\t');
        let (Some(q1), Some(q2), Some(label), None) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            return Err(KbError::BadPair { line: i + 1 });
        };
        let same = match label.trim() {
            "0" => true,
            "1" => false,
            _ => return Err(KbError::BadPair { line: i + 1 }),
        };
        pairs.push(Pair {
            question1: q1.to_owned(),
            question2: q2.to_owned(),
            same,
        });
    }
    Ok(pairs)
}

/// The knowledge base of a pairs file: one entry per line, id = line position, the line's
/// `question1` its only question.
pub fn entries(pairs: &[Pair]) -> Vec<Entry> {
    pairs
        .iter()
        .enumerate()
        .map(|(i, p)| Entry {
            id: i.to_string(),
            questions: vec![p.question1.clone()],
        })
        .collect()
}

/// What the matcher answered to one pair's `question2`.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The pair's label: the same meaning.
    pub same: bool,
    /// Best first, at most three.
    pub top: Vec<Candidate>,
    /// Whether candidate `i` of `top` is the pair's own question (its line, or a line with
    /// the same question1).
    pub own: Vec<bool>,
}

/// Ask every pair's `question2` of a knowledge base built from the `question1`s.
pub fn outcomes(pairs: &[Pair], model: Model) -> Vec<Outcome> {
    let index = Index::build_with(entries(pairs), model);
    pairs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let top = index.candidates(&p.question2, 3);
            let own = top
                .iter()
                .map(|c| c.entry == i || pairs[c.entry].question1 == p.question1)
                .collect();
            Outcome {
                same: p.same,
                top,
                own,
            }
        })
        .collect()
}

/// Figures at one threshold.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct AtThreshold {
    /// Of the paraphrases answered, the fraction answered right.
    pub right: f64,
    /// Of the paraphrases, the fraction answered.
    pub answered: f64,
    /// Of the different-meaning pairs, the fraction answered with their own line's entry.
    pub different_answered: f64,
}

/// Top-1 and threshold figures of one matcher.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Figures {
    /// Of the paraphrases, the fraction whose best entry is their own.
    pub top1: f64,
    pub at: AtThreshold,
}

/// The figures from `(best is own, best score, answered)` per pair.
fn figures(rows: impl Iterator<Item = (bool, bool, bool)>) -> Figures {
    let (mut para, mut diff, mut top1, mut answered, mut right, mut diff_answered) =
        (0usize, 0usize, 0usize, 0usize, 0usize, 0usize);
    for (same, own, ans) in rows {
        if same {
            para += 1;
            top1 += usize::from(own);
            answered += usize::from(ans);
            right += usize::from(ans && own);
        } else {
            diff += 1;
            diff_answered += usize::from(ans && own);
        }
    }
    let frac = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    Figures {
        top1: frac(top1, para),
        at: AtThreshold {
            right: frac(right, answered),
            answered: frac(answered, para),
            different_answered: frac(diff_answered, diff),
        },
    }
}

/// The matcher's figures at a minimum accuracy, from its outcomes.
pub fn figures_at(outcomes: &[Outcome], model: &Model, min_accuracy: u8) -> Figures {
    figures(outcomes.iter().map(|o| {
        let own = o.own.first().copied().unwrap_or(false);
        let ans = o
            .top
            .first()
            .is_some_and(|c| model.calibration.accuracy(c) >= min_accuracy);
        (o.same, own, ans)
    }))
}

/// One bin of the calibration check.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bin {
    /// Accuracies `low..=high`.
    pub low: u8,
    pub high: u8,
    /// Best answers in the bin (to paraphrases, and look-alikes answered with their pair).
    pub count: usize,
    /// Their mean stated accuracy, percent.
    pub stated: f64,
    /// The fraction of them that is right, percent.
    pub observed: f64,
}

/// Stated against observed accuracy, in bins of ten, of the best answers whose rightness is
/// known: those to paraphrases (right when the entry is the pair's own) and those to
/// different-meaning questions that are their look-alike (a wrong answer).
pub fn calibration_bins(outcomes: &[Outcome], model: &Model) -> Vec<Bin> {
    let mut bins: Vec<Bin> = (0..10u8)
        .map(|b| Bin {
            low: b * 10,
            high: if b == 9 { 100 } else { b * 10 + 9 },
            count: 0,
            stated: 0.0,
            observed: 0.0,
        })
        .collect();
    for o in outcomes {
        let Some(c) = o.top.first() else { continue };
        let own = o.own.first().copied().unwrap_or(false);
        if !o.same && !own {
            continue;
        }
        let acc = model.calibration.accuracy(c);
        let bin = &mut bins[usize::from(acc.min(99) / 10)];
        bin.count += 1;
        bin.stated += f64::from(acc);
        bin.observed += if o.same && own { 100.0 } else { 0.0 };
    }
    for b in &mut bins {
        if b.count > 0 {
            b.stated /= b.count as f64;
            b.observed /= b.count as f64;
        }
    }
    bins
}

/// The baseline: character 1–3-gram TF-IDF cosine over the text with spaces collapsed, no
/// other processing; answers at cosine ≥ [`BASELINE_THRESHOLD`].
#[derive(Debug)]
pub struct Baseline {
    postings: HashMap<String, Vec<(u32, f32)>>,
    idf: HashMap<String, f32>,
    docs: usize,
}

/// The cosine at which the baseline answers.
pub const BASELINE_THRESHOLD: f32 = 0.3;

fn baseline_grams(text: &str) -> HashMap<String, f32> {
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars: Vec<char> = text.to_lowercase().chars().collect();
    let mut counts: HashMap<String, f32> = HashMap::new();
    for n in 1..=3 {
        for g in chars.windows(n) {
            *counts.entry(g.iter().collect()).or_insert(0.0) += 1.0;
        }
    }
    counts
}

impl Baseline {
    /// Index the texts.
    pub fn build(texts: &[&str]) -> Baseline {
        let grams: Vec<HashMap<String, f32>> = texts.iter().map(|t| baseline_grams(t)).collect();
        let mut df: HashMap<String, usize> = HashMap::new();
        for g in &grams {
            for k in g.keys() {
                *df.entry(k.clone()).or_insert(0) += 1;
            }
        }
        let n = texts.len();
        let idf: HashMap<String, f32> = df
            .into_iter()
            .map(|(k, d)| (k, ((n as f32 + 1.0) / (d as f32 + 1.0)).ln() + 1.0))
            .collect();
        let mut postings: HashMap<String, Vec<(u32, f32)>> = HashMap::new();
        for (i, g) in grams.into_iter().enumerate() {
            let weighted: Vec<(String, f32)> = g
                .into_iter()
                .map(|(k, c)| {
                    let w = c * idf.get(&k).copied().unwrap_or(1.0);
                    (k, w)
                })
                .collect();
            let norm = weighted.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            for (k, w) in weighted {
                postings.entry(k).or_default().push((i as u32, w / norm));
            }
        }
        Baseline {
            postings,
            idf,
            docs: n,
        }
    }

    /// The best text and its cosine, if any shares a gram.
    pub fn best(&self, query: &str) -> Option<(usize, f32)> {
        let unseen = (self.docs as f32 + 1.0).ln() + 1.0;
        let weighted: Vec<(String, f32)> = baseline_grams(query)
            .into_iter()
            .map(|(k, c)| {
                let w = c * self.idf.get(&k).copied().unwrap_or(unseen);
                (k, w)
            })
            .collect();
        let norm = weighted.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm <= 0.0 {
            return None;
        }
        let mut scores: HashMap<u32, f32> = HashMap::new();
        for (k, w) in weighted {
            for &(d, dw) in self.postings.get(&k).map(Vec::as_slice).unwrap_or(&[]) {
                *scores.entry(d).or_insert(0.0) += w / norm * dw;
            }
        }
        scores
            .into_iter()
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(d, s)| (d as usize, s))
    }
}

/// The baseline's figures on pairs.
pub fn baseline_figures(pairs: &[Pair]) -> Figures {
    let texts: Vec<&str> = pairs.iter().map(|p| p.question1.as_str()).collect();
    let base = Baseline::build(&texts);
    figures(pairs.iter().enumerate().map(|(i, p)| {
        let best = base.best(&p.question2);
        let own = best.is_some_and(|(d, _)| d == i || pairs[d].question1 == p.question1);
        let ans = best.is_some_and(|(_, s)| s >= BASELINE_THRESHOLD);
        (p.same, own, ans)
    }))
}

/// The full report of `sangdam kb eval`: ours and the baseline side by side, a threshold
/// sweep, and the calibration check.
#[derive(Debug, Clone)]
pub struct Report {
    pub paraphrases: usize,
    pub different: usize,
    pub min_accuracy: u8,
    pub ours: Figures,
    pub baseline: Figures,
    pub sweep: Vec<(u8, AtThreshold)>,
    pub bins: Vec<Bin>,
}

/// Evaluate the shipped matcher (at `min_accuracy`) and the baseline on pairs.
pub fn report(pairs: &[Pair], model: Model, min_accuracy: u8) -> Report {
    let outs = outcomes(pairs, model.clone());
    Report {
        paraphrases: pairs.iter().filter(|p| p.same).count(),
        different: pairs.iter().filter(|p| !p.same).count(),
        min_accuracy,
        ours: figures_at(&outs, &model, min_accuracy),
        baseline: baseline_figures(pairs),
        sweep: (4..=19u8)
            .map(|t| (t * 5, figures_at(&outs, &model, t * 5).at))
            .collect(),
        bins: calibration_bins(&outs, &model),
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct = |x: f64| format!("{:.1} %", x * 100.0);
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{} paraphrase pairs, {} different-meaning pairs\n",
            self.paraphrases, self.different
        );
        let _ = writeln!(
            s,
            "| matcher | top-1 | answered | right | different-meaning answered |"
        );
        let _ = writeln!(s, "|---|---|---|---|---|");
        let _ = writeln!(
            s,
            "| sangdam-kb, accuracy ≥ {} | {} | {} | {} | {} |",
            self.min_accuracy,
            pct(self.ours.top1),
            pct(self.ours.at.answered),
            pct(self.ours.at.right),
            pct(self.ours.at.different_answered)
        );
        let _ = writeln!(
            s,
            "| baseline (char 1–3-gram TF-IDF cosine), cosine ≥ {BASELINE_THRESHOLD} | {} | {} | {} | {} |",
            pct(self.baseline.top1),
            pct(self.baseline.at.answered),
            pct(self.baseline.at.right),
            pct(self.baseline.at.different_answered)
        );
        let _ = writeln!(s, "\nMinimum accuracy sweep (sangdam-kb):\n");
        let _ = writeln!(
            s,
            "| minimum accuracy | answered | right | different-meaning answered |"
        );
        let _ = writeln!(s, "|---|---|---|---|");
        for (t, at) in &self.sweep {
            let _ = writeln!(
                s,
                "| {t} | {} | {} | {} |",
                pct(at.answered),
                pct(at.right),
                pct(at.different_answered)
            );
        }
        let _ = writeln!(
            s,
            "\nCalibration (best answers to paraphrases, and to different-meaning questions answered with their paired entry, which are wrong):\n\n| accuracy | answers | mean stated | observed right |\n|---|---|---|---|"
        );
        for b in &self.bins {
            if b.count == 0 {
                let _ = writeln!(s, "| {}–{} | 0 | – | – |", b.low, b.high);
            } else {
                let _ = writeln!(
                    s,
                    "| {}–{} | {} | {:.1} | {:.1} % |",
                    b.low, b.high, b.count, b.stated, b.observed
                );
            }
        }
        f.write_str(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_parse_with_a_header_and_report_bad_lines() {
        let text = "question1\tquestion2\tis_duplicate\n가\t나\t0\n다\t라\t1\n";
        let pairs = parse_pairs(text).unwrap_or_default();
        assert_eq!(pairs.len(), 2);
        assert!(pairs[0].same && !pairs[1].same);
        assert_eq!(
            parse_pairs("a\tb\t0\nbroken line\n"),
            Err(KbError::BadPair { line: 2 })
        );
        assert_eq!(parse_pairs("a\tb\t2\n"), Err(KbError::BadPair { line: 1 }));
    }

    #[test]
    fn the_baseline_finds_an_identical_question() {
        let base = Baseline::build(&["배고파", "졸려", "집에 가고 싶다"]);
        let best = base.best("집에 가고 싶어");
        assert_eq!(best.map(|b| b.0), Some(2));
        assert!(base.best("").is_none());
    }
}
