//! Tables learned from labelled paraphrase pairs (`examples/generate.rs` writes them): the
//! endings and particles a stem loses, and canonical spellings of words that paraphrases use
//! interchangeably (`여친` → `여자친구`). They ship inside the binary.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock};

/// One ending or particle a line.
const ENDINGS: &str = include_str!("learned/endings.txt");
/// `word<TAB>canonical` a line.
const CANONICAL: &str = include_str!("learned/canonical.tsv");

static BUILTIN: LazyLock<Arc<Lexicon>> =
    LazyLock::new(|| Arc::new(Lexicon::parse(ENDINGS, CANONICAL)));

/// Endings and canonical spellings.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    endings: HashSet<String>,
    canonical: HashMap<String, String>,
}

impl Lexicon {
    /// The tables that ship with the crate.
    pub fn builtin() -> Arc<Lexicon> {
        Arc::clone(&BUILTIN)
    }

    /// Read the two tables: endings one a line, canonical spellings `word<TAB>canonical` a
    /// line; `#` starts a comment line.
    pub fn parse(endings: &str, canonical: &str) -> Lexicon {
        let live = |l: &&str| !l.trim().is_empty() && !l.starts_with('#');
        Lexicon {
            endings: endings
                .lines()
                .filter(live)
                .map(|l| l.trim().to_owned())
                .collect(),
            canonical: canonical
                .lines()
                .filter(live)
                .filter_map(|l| l.split_once('\t'))
                .map(|(a, b)| (a.trim().to_owned(), b.trim().to_owned()))
                .filter(|(a, b)| !a.is_empty() && !b.is_empty() && a != b)
                .collect(),
        }
    }

    /// Whether `suffix` is a known ending or particle.
    pub fn is_ending(&self, suffix: &str) -> bool {
        self.endings.contains(suffix)
    }

    /// The canonical spelling of a word or stem, if it has another one.
    pub fn canonical(&self, word: &str) -> Option<&str> {
        self.canonical.get(word).map(String::as_str)
    }

    /// How many endings and canonical spellings there are.
    pub fn sizes(&self) -> (usize, usize) {
        (self.endings.len(), self.canonical.len())
    }
}
