//! From a candidate to a calibrated accuracy: a logistic combination of its pair features (the
//! raw score, its lead over the best other entry, the channel cosines, how the utterance and the
//! question differ), then an isotonic (monotone, piecewise constant) map fitted on labelled
//! question pairs, so that among answers given with accuracy about X, about X % are right (a
//! different-meaning question answered with its look-alike counts as a wrong answer).
//! `examples/generate.rs` fits both and writes `generated.rs`.

use crate::Candidate;
use crate::generated;
use crate::pair::PAIR_FEATURES;

/// The calibration: `z = Σ wᵢ·featureᵢ + c` over the candidate's pair features, then the
/// accuracy of the last step of `table` whose threshold `z` reaches (steps ascending).
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    /// One weight per pair feature, then the intercept.
    pub model: [f32; PAIR_FEATURES + 1],
    /// `(threshold on z, accuracy in percent)`, thresholds ascending, accuracies not
    /// decreasing.
    pub table: Vec<(f32, u8)>,
}

impl Calibration {
    /// The calibration compiled into the crate.
    pub fn builtin() -> Calibration {
        Calibration {
            model: generated::CALIBRATION_MODEL,
            table: generated::CALIBRATION_TABLE.to_vec(),
        }
    }

    /// The value the table is read at.
    pub fn z(&self, c: &Candidate) -> f32 {
        let (w, k) = self.model.split_at(PAIR_FEATURES);
        w.iter().zip(&c.features).map(|(w, x)| w * x).sum::<f32>() + k[0]
    }

    /// The calibrated accuracy, 0..=100.
    pub fn accuracy(&self, c: &Candidate) -> u8 {
        let z = self.z(c);
        if !z.is_finite() {
            return 0;
        }
        let steps = self.table.partition_point(|&(t, _)| t <= z);
        match steps.checked_sub(1).and_then(|i| self.table.get(i)) {
            Some(&(_, acc)) => acc.min(100),
            None => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_monotone_and_bounded() {
        let c = Calibration::builtin();
        assert!(!c.table.is_empty());
        for w in c.table.windows(2) {
            assert!(w[0].0 < w[1].0, "thresholds ascend");
            assert!(w[0].1 <= w[1].1, "accuracies do not decrease");
        }
        assert!(c.table.iter().all(|&(_, a)| a <= 100));
    }

    #[test]
    fn reading_the_table() {
        let c = Calibration {
            model: {
                let mut m = [0.0; PAIR_FEATURES + 1];
                m[0] = 1.0;
                m
            },
            table: vec![(0.2, 10), (0.5, 60), (0.8, 95)],
        };
        let at = |score: f32| Candidate {
            entry: 0,
            question: 0,
            score,
            margin: 0.0,
            features: {
                let mut f = [0.0; PAIR_FEATURES];
                f[0] = score;
                f
            },
        };
        assert_eq!(c.accuracy(&at(0.1)), 0);
        assert_eq!(c.accuracy(&at(0.2)), 10);
        assert_eq!(c.accuracy(&at(0.6)), 60);
        assert_eq!(c.accuracy(&at(5.0)), 95);
        assert_eq!(c.accuracy(&at(f32::NAN)), 0);
    }
}
