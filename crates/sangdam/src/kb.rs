//! `sangdam kb …`: the knowledge-base matcher on the command line, the same code the bot runs.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use ::kb::{DEFAULT_MIN_ACCURACY, Entry, Index, Model, eval};
use clap::Subcommand;
use serde::{Deserialize, Serialize};

use crate::Failure;

#[derive(Debug, Subcommand)]
pub enum KbCommand {
    /// Match utterances (standard input, one a line) against a knowledge base; prints one JSON
    /// line per utterance: `{"utterance", "matches": [{"id", "accuracy"}], "answered"}`.
    Match {
        /// The knowledge base: one JSON object a line, `{"id", "questions": [...], "answer"}`.
        #[arg(long)]
        kb: PathBuf,
        /// How many candidates to print.
        #[arg(long, default_value_t = 3)]
        top: usize,
        /// The accuracy (0–100) the best match needs for the knowledge base to answer.
        #[arg(long, default_value_t = DEFAULT_MIN_ACCURACY,
              value_parser = clap::value_parser!(u8).range(0..=100))]
        min_accuracy: u8,
    },
    /// Evaluate on labelled pairs (`question1<TAB>question2<TAB>0|1`, a header first): the
    /// matcher and a character n-gram TF-IDF baseline side by side, a minimum-accuracy sweep
    /// and the calibration check, as Markdown.
    Eval {
        #[arg(long)]
        pairs: PathBuf,
        /// The minimum accuracy the headline figures use.
        #[arg(long, default_value_t = DEFAULT_MIN_ACCURACY,
              value_parser = clap::value_parser!(u8).range(0..=100))]
        min_accuracy: u8,
    },
}

/// One line of a knowledge-base file; other keys (the answer) are ignored.
#[derive(Debug, Deserialize)]
struct KbLine {
    id: String,
    questions: Vec<String>,
}

#[derive(Debug, Serialize)]
struct MatchLine<'a> {
    utterance: &'a str,
    matches: Vec<MatchOut<'a>>,
    answered: bool,
}

#[derive(Debug, Serialize)]
struct MatchOut<'a> {
    id: &'a str,
    accuracy: u8,
}

pub fn run(command: KbCommand) -> Result<String, Failure> {
    match command {
        KbCommand::Match {
            kb,
            top,
            min_accuracy,
        } => {
            let index = Index::build(read_kb(&kb)?);
            let stdin = std::io::stdin();
            let mut out = std::io::stdout().lock();
            for line in stdin.lock().lines() {
                let line =
                    line.map_err(|e| Failure::Refused(format!("cannot read standard input: {e}")))?;
                let matches = index.top(&line, top);
                let answered = matches.first().is_some_and(|m| m.accuracy >= min_accuracy);
                let record = MatchLine {
                    utterance: &line,
                    matches: matches
                        .iter()
                        .map(|m| MatchOut {
                            id: &m.id,
                            accuracy: m.accuracy,
                        })
                        .collect(),
                    answered,
                };
                let json = serde_json::to_string(&record)
                    .map_err(|e| Failure::Refused(format!("could not write JSON: {e}")))?;
                writeln!(out, "{json}")
                    .and_then(|()| out.flush())
                    .map_err(|e| Failure::Refused(format!("cannot write: {e}")))?;
            }
            Ok(String::new())
        }
        KbCommand::Eval {
            pairs,
            min_accuracy,
        } => {
            let text = std::fs::read_to_string(&pairs)
                .map_err(|e| Failure::Usage(format!("{}: {e}", pairs.display())))?;
            let pairs = eval::parse_pairs(&text)
                .map_err(|e| Failure::Usage(format!("{}: {e}", pairs.display())))?;
            Ok(eval::report(&pairs, Model::builtin(), min_accuracy)
                .to_string()
                .trim_end()
                .to_owned())
        }
    }
}

/// Read a knowledge-base file; a line that is not an entry is a usage error naming its number.
fn read_kb(path: &PathBuf) -> Result<Vec<Entry>, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))?;
    let mut entries = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let entry: KbLine = serde_json::from_str(line).map_err(|e| {
            Failure::Usage(format!(
                "{}: line {}: not a knowledge-base entry ({{\"id\", \"questions\": [...]}}): {e}",
                path.display(),
                i + 1
            ))
        })?;
        entries.push(Entry {
            id: entry.id,
            questions: entry.questions,
        });
    }
    Ok(entries)
}
