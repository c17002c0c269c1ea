//! The evaluation on a pairs file, the same as `sangdam kb eval --pairs FILE`:
//!
//! cargo run --release -p sangdam-kb --example eval -- /work/shared/data/question_pair/validation.txt
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kb::{DEFAULT_MIN_ACCURACY, Model, eval};

fn main() {
    let path = std::env::args().nth(1).expect("usage: eval PAIRS_FILE");
    let text = std::fs::read_to_string(&path).expect("read the pairs file");
    let pairs = eval::parse_pairs(&text).expect("a pairs file");
    print!(
        "{}",
        eval::report(&pairs, Model::builtin(), DEFAULT_MIN_ACCURACY)
    );
}
