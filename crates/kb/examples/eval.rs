//! The evaluation on a pairs file, the same as `sangdam kb eval --pairs FILE`:
//!
//! cargo run --release -p sangdam-kb --example eval -- /work/shared/data/question_pair/validation.txt [--list | --explain]
//!
//! `--list` prints, after the report, the wrong answers given at the default minimum accuracy
//! (different-meaning questions answered with their paired entry, paraphrases answered with
//! another entry) and the paraphrases left unanswered within ten points of it, with their
//! accuracies: what to look at when changing the matcher. `--explain` adds each one's pair
//! features, their weights and the `z` the calibration table is read at.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kb::{DEFAULT_MIN_ACCURACY, Model, eval};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .expect("usage: eval PAIRS_FILE [--list | --explain]");
    let flags: Vec<String> = args.collect();
    let explain = flags.iter().any(|a| a == "--explain");
    let list = explain || flags.iter().any(|a| a == "--list");
    let text = std::fs::read_to_string(&path).expect("read the pairs file");
    let pairs = eval::parse_pairs(&text).expect("a pairs file");
    print!(
        "{}",
        eval::report(&pairs, Model::builtin(), DEFAULT_MIN_ACCURACY)
    );
    if !list {
        return;
    }
    let model = Model::builtin();
    let outcomes = eval::outcomes(&pairs, Model::builtin());
    let min = DEFAULT_MIN_ACCURACY;
    println!("\nAt minimum accuracy {min}:\n");
    for (pair, o) in pairs.iter().zip(&outcomes) {
        let Some(best) = o.top.first() else { continue };
        let accuracy = model.calibration.accuracy(best);
        let own = o.own.first().copied().unwrap_or(false);
        let what = match (pair.same, own, accuracy >= min) {
            (false, true, true) => "different meaning, answered",
            (true, false, true) => "paraphrase, answered with another entry",
            (true, _, false) if accuracy + 10 >= min => "paraphrase, not answered",
            _ => continue,
        };
        let question = &pairs[best.entry].question1;
        println!(
            "{what} ({accuracy}): {} / {}  [best: {question}]",
            pair.question1, pair.question2
        );
        if explain {
            let z = model.calibration.z(best);
            for ((name, x), w) in kb::PAIR_FEATURE_NAMES
                .iter()
                .zip(best.features)
                .zip(model.calibration.model)
            {
                println!("    {name:<40} {x:6.3} × {w:6.3} = {:6.3}", x * w);
            }
            println!("    z = {z:.3}");
        }
    }
}
