//! The inverted index: for every feature, the questions that have it with their TF-IDF weight
//! (normalised per channel, so that a channel's dot product is its cosine). A match touches only
//! the postings of the utterance's features, never the whole knowledge base.

use std::collections::HashMap;

use crate::features::{CHANNELS, Channel, Feature, extract, hash, stem, words};
use crate::learned::Lexicon;
use crate::normalize::normalize;
use crate::pair::{Side, quantities};

/// How much each channel's cosine counts in the raw score, and how sharp the inverse document
/// frequency is (`idf^power`: above 1, rare words count more against common endings).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    pub channels: [f32; CHANNELS],
    pub idf_power: f32,
}

/// One example question in the index.
#[derive(Debug)]
pub(crate) struct Question {
    /// Index of its entry.
    pub entry: u32,
    /// The question as the knowledge base gives it.
    pub text: String,
}

/// The postings and statistics; built once, read by any number of threads.
#[derive(Debug)]
pub(crate) struct Inverted {
    /// Feature key → feature number.
    ids: HashMap<u64, u32>,
    /// Inverse document frequency of each feature.
    idf: Vec<f32>,
    /// Postings of feature `f`: `postings[offsets[f]..offsets[f + 1]]`.
    offsets: Vec<u32>,
    postings: Vec<Posting>,
    /// The idf a feature no question has (it still counts in an utterance's norm).
    unseen_idf: f32,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, Copy)]
struct Posting {
    question: u32,
    weight: f32,
}

/// A question's raw score for an utterance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Scored {
    pub question: u32,
    pub score: f32,
}

fn tf(count: f32) -> f32 {
    1.0 + count.ln()
}

fn idf_of(n: usize, df: usize) -> f32 {
    ((n as f32 + 1.0) / (df as f32 + 1.0)).ln() + 1.0
}

impl Inverted {
    pub fn build(questions: Vec<Question>, lexicon: &Lexicon, idf_power: f32) -> Inverted {
        let features: Vec<Vec<Feature>> = questions
            .iter()
            .map(|q| extract(&normalize(&q.text), lexicon))
            .collect();
        let mut ids: HashMap<u64, u32> = HashMap::new();
        let mut df: Vec<u32> = Vec::new();
        for fs in &features {
            for f in fs {
                let next = df.len() as u32;
                let id = *ids.entry(f.key).or_insert(next);
                if id == next {
                    df.push(0);
                }
                df[id as usize] += 1;
            }
        }
        let n = questions.len();
        let idf: Vec<f32> = df
            .iter()
            .map(|&d| idf_of(n, d as usize).powf(idf_power))
            .collect();
        let mut offsets: Vec<u32> = Vec::with_capacity(df.len() + 1);
        let mut total = 0u32;
        offsets.push(0);
        for &d in &df {
            total += d;
            offsets.push(total);
        }
        let mut fill: Vec<u32> = offsets[..df.len()].to_vec();
        let mut postings = vec![
            Posting {
                question: 0,
                weight: 0.0
            };
            total as usize
        ];
        for (q, fs) in features.iter().enumerate() {
            let mut norms = [0f32; CHANNELS];
            let weighted: Vec<(u32, usize, f32)> = fs
                .iter()
                .filter_map(|f| {
                    let id = *ids.get(&f.key)?;
                    let w = tf(f.count) * idf[id as usize];
                    norms[f.channel as usize] += w * w;
                    Some((id, f.channel as usize, w))
                })
                .collect();
            for (id, ch, w) in weighted {
                let norm = norms[ch].sqrt();
                let slot = &mut fill[id as usize];
                postings[*slot as usize] = Posting {
                    question: q as u32,
                    weight: if norm > 0.0 { w / norm } else { 0.0 },
                };
                *slot += 1;
            }
        }
        Inverted {
            ids,
            idf,
            offsets,
            postings,
            unseen_idf: idf_of(n, 0).powf(idf_power),
            questions,
        }
    }

    /// Every question sharing a feature with the normalised utterance, with its raw score
    /// (the weighted sum of the channels' cosines), unordered; one whose score sums to 0 may be
    /// left out.
    pub fn score(&self, normalized: &str, lexicon: &Lexicon, weights: &Weights) -> Vec<Scored> {
        let features = extract(normalized, lexicon);
        let mut norms = [0f32; CHANNELS];
        let mut known: Vec<(u32, Channel, f32)> = Vec::with_capacity(features.len());
        for f in &features {
            let id = self.ids.get(&f.key).copied();
            let idf = id.map_or(self.unseen_idf, |i| self.idf[i as usize]);
            let w = tf(f.count) * idf;
            norms[f.channel as usize] += w * w;
            if let Some(id) = id {
                known.push((id, f.channel, w));
            }
        }
        // (postings, query weight) of each feature that counts.
        let lists: Vec<(&[Posting], f32)> = known
            .into_iter()
            .filter_map(|(id, ch, w)| {
                let norm = norms[ch as usize].sqrt();
                let cw = weights.channels[ch as usize];
                if norm <= 0.0 || cw == 0.0 {
                    return None;
                }
                let start = self.offsets[id as usize] as usize;
                let end = self.offsets[id as usize + 1] as usize;
                Some((&self.postings[start..end], cw * w / norm))
            })
            .collect();
        let mut scores = vec![0f32; self.questions.len()];
        let visits: usize = lists.iter().map(|(p, _)| p.len()).sum();
        if visits >= self.questions.len() {
            // Most questions are reached (features every question shares): adding without
            // noting which were reached, then reading every score, is the cheaper way.
            for (postings, qw) in lists {
                for p in postings {
                    scores[p.question as usize] += qw * p.weight;
                }
            }
            return scores
                .into_iter()
                .enumerate()
                .filter(|(_, s)| *s != 0.0)
                .map(|(q, score)| Scored {
                    question: q as u32,
                    score,
                })
                .collect();
        }
        let mut touched: Vec<u32> = Vec::new();
        for (postings, qw) in lists {
            for p in postings {
                let s = &mut scores[p.question as usize];
                if *s == 0.0 {
                    touched.push(p.question);
                }
                *s += qw * p.weight;
            }
        }
        touched
            .into_iter()
            .map(|q| Scored {
                question: q,
                score: scores[q as usize],
            })
            .collect()
    }

    /// The features of a normalised text as unit vectors per channel (TF-IDF, the norm
    /// counting features no question has), sorted by key.
    pub fn vector(&self, normalized: &str, lexicon: &Lexicon) -> Vec<(u64, Channel, f32)> {
        let mut norms = [0f32; CHANNELS];
        let mut out: Vec<(u64, Channel, f32)> = extract(normalized, lexicon)
            .into_iter()
            .map(|f| {
                let idf = self
                    .ids
                    .get(&f.key)
                    .map_or(self.unseen_idf, |&i| self.idf[i as usize]);
                let w = tf(f.count) * idf;
                norms[f.channel as usize] += w * w;
                (f.key, f.channel, w)
            })
            .collect();
        for (_, ch, w) in &mut out {
            let n = norms[*ch as usize].sqrt();
            *w = if n > 0.0 { *w / n } else { 0.0 };
        }
        out
    }

    /// The per-channel cosines of two [`Inverted::vector`]s.
    pub fn cosines(a: &[(u64, Channel, f32)], b: &[(u64, Channel, f32)]) -> [f32; CHANNELS] {
        let mut cos = [0f32; CHANNELS];
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    cos[a[i].1 as usize] += a[i].2 * b[j].2;
                    i += 1;
                    j += 1;
                }
            }
        }
        cos
    }

    /// A text's stems (distinct, sorted by key, with their idf), quantities, length,
    /// contrasting words and whether it asks, for the pair features; `typed` is the text as
    /// given, `normalized` the same after [`normalize`].
    pub fn side(&self, typed: &str, normalized: &str, lexicon: &Lexicon) -> Side {
        let mut stems: Vec<(u64, f32, String)> = words(normalized)
            .take(crate::features::MAX_CHARS / 2)
            .map(|w| {
                let text = stem(w, lexicon);
                let chars: Vec<char> = text.chars().collect();
                let key = hash(Channel::Stem, &chars);
                let idf = self
                    .ids
                    .get(&key)
                    .map_or(self.unseen_idf, |&i| self.idf[i as usize]);
                (key, idf, text)
            })
            .collect();
        stems.sort_unstable_by_key(|s| s.0);
        stems.dedup_by_key(|s| s.0);
        Side {
            stems,
            quantities: quantities(normalized),
            contrasts: crate::pair::contrast_words(normalized),
            question: crate::pair::is_question(typed, normalized),
            question_mark: crate::pair::has_question_mark(typed),
            chars: words(normalized)
                .map(|w| w.chars().count())
                .sum::<usize>()
                .min(crate::features::MAX_CHARS),
        }
    }

    /// The largest idf: that of a feature no question has.
    pub fn unseen_idf(&self) -> f32 {
        self.unseen_idf
    }

    /// Heap bytes held by the index (postings, tables, question texts), for the documentation.
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        self.ids.capacity() * (size_of::<u64>() + size_of::<u32>() + 1)
            + self.idf.capacity() * size_of::<f32>()
            + self.offsets.capacity() * size_of::<u32>()
            + self.postings.capacity() * size_of::<Posting>()
            + self.questions.capacity() * size_of::<Question>()
            + self
                .questions
                .iter()
                .map(|q| q.text.capacity())
                .sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use crate::normalize::normalize;
    use crate::{Entry, Index};

    /// Each question's raw score is the channels' cosines weighted, whether the utterance
    /// reaches most questions (every one shares its words) or a few.
    fn scores_are_the_weighted_cosines(entries: Vec<Entry>, utterances: &[&str]) {
        let index = Index::build(entries);
        let (inverted, model) = (&index.inverted, &index.model);
        for u in utterances {
            let n = normalize(u);
            let u_vector = inverted.vector(&n, &model.lexicon);
            let mut got: Vec<(u32, f32)> = inverted
                .score(&n, &model.lexicon, &model.weights)
                .into_iter()
                .map(|s| (s.question, s.score))
                .collect();
            got.sort_by_key(|g| g.0);
            let mut want = Vec::new();
            for (q, question) in inverted.questions.iter().enumerate() {
                let q_vector = inverted.vector(&normalize(&question.text), &model.lexicon);
                let cos = super::Inverted::cosines(&u_vector, &q_vector);
                let score: f32 = cos
                    .iter()
                    .zip(model.weights.channels)
                    .map(|(c, w)| c * w)
                    .sum();
                if score != 0.0 {
                    want.push((q as u32, score));
                }
            }
            assert_eq!(
                got.iter().map(|g| g.0).collect::<Vec<_>>(),
                want.iter().map(|w| w.0).collect::<Vec<_>>(),
                "{u}"
            );
            for ((q, g), (_, w)) in got.iter().zip(&want) {
                assert!(
                    (g - w).abs() < 1e-4,
                    "{u}: question {q} scored {g}, not {w}"
                );
            }
        }
    }

    #[test]
    fn scores_of_questions_sharing_their_words() {
        let entries = (0..40)
            .map(|i| Entry {
                id: format!("s{i}"),
                questions: vec![
                    format!("상품{i} 배송 언제 와요"),
                    format!("상품{i} 언제 도착하나요"),
                ],
            })
            .collect();
        scores_are_the_weighted_cosines(entries, &["상품7 주문했는데 언제 도착해요?", "배송 언제"]);
    }

    #[test]
    fn scores_of_questions_apart() {
        // Three questions an utterance may reach, and sixty of syllables no utterance has.
        let far = |i: u32| -> String {
            (0..3)
                .filter_map(|k| char::from_u32(0xB000 + i * 97 + k * 31))
                .collect()
        };
        let questions = [
            "환불은 어떻게 하나요",
            "배송비가 얼마예요",
            "비밀번호를 잊어버렸어요",
        ]
        .map(str::to_owned)
        .into_iter()
        .chain((0..60).map(|i| format!("{} {}", far(i), far(i + 60))));
        let entries = questions
            .enumerate()
            .map(|(i, q)| Entry {
                id: format!("e{i}"),
                questions: vec![q],
            })
            .collect();
        scores_are_the_weighted_cosines(entries, &["환불 받고 싶어요", "오늘 날씨"]);
    }
}
