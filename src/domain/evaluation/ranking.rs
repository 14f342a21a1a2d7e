//! Aggregation and ranking: pure arithmetic over the evaluators' totals,
//! kept apart from storage so the rules can be read and tested alone.
//!
//! - An entry's score is the mean of its evaluators' totals. Under
//!   `TRIMMED_MEAN`, with five or more totals, one highest and one lowest
//!   are left out first (去掉一个最高分和一个最低分); with fewer, the plain
//!   mean is taken. Scores are compared exactly (as fractions), and shown
//!   in hundredths of a point rounded half up.
//! - The ranking orders entries by score, highest first. Ties are broken
//!   by the higher lowest evaluator total (the entry no evaluator marked
//!   down as far), then by the earlier entry. An entry no evaluator scored
//!   is not ranked.
//! - The first `quota` ranked entries are selected, and the first
//!   `single_out` of them singled out.

use std::cmp::Ordering;

use chrono::{DateTime, Utc};

use crate::domain::kinds::AggregationRule;

/// How many totals `TRIMMED_MEAN` needs before it trims.
pub const TRIM_FROM: usize = 5;

/// An entry's totals, aggregated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Aggregate {
    /// Evaluators whose sheet stands.
    pub sheets: i32,
    /// Totals the rule counts.
    pub counted: i32,
    /// Their sum.
    pub counted_points: i64,
    /// The lowest total of any evaluator.
    pub lowest: i32,
    /// The highest total of any evaluator.
    pub highest: i32,
}

impl Aggregate {
    /// The score in hundredths of a point, rounded half up.
    pub fn score_centi(&self) -> i32 {
        let n = i64::from(self.counted);
        ((self.counted_points * 200 + n) / (2 * n)) as i32
    }

    /// Compares two scores exactly.
    pub fn cmp_score(&self, other: &Self) -> Ordering {
        let a = i128::from(self.counted_points) * i128::from(other.counted);
        let b = i128::from(other.counted_points) * i128::from(self.counted);
        a.cmp(&b)
    }
}

/// Aggregates `totals` under `rule`; `None` when there is none.
pub fn aggregate(rule: AggregationRule, totals: &[i32]) -> Option<Aggregate> {
    let lowest = *totals.iter().min()?;
    let highest = *totals.iter().max()?;
    let sum: i64 = totals.iter().map(|t| i64::from(*t)).sum();
    let trim = rule == AggregationRule::TrimmedMean && totals.len() >= TRIM_FROM;
    let (counted, counted_points) = if trim {
        (
            totals.len() - 2,
            sum - i64::from(lowest) - i64::from(highest),
        )
    } else {
        (totals.len(), sum)
    };
    Some(Aggregate {
        sheets: totals.len() as i32,
        counted: counted as i32,
        counted_points,
        lowest,
        highest,
    })
}

/// An entry to be ranked.
#[derive(Debug, Clone)]
pub struct Contender {
    /// The entry.
    pub entry_id: i64,
    /// When it entered.
    pub entered_at: DateTime<Utc>,
    /// The totals of the sheets standing for it.
    pub totals: Vec<i32>,
}

/// An entry's place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// The entry.
    pub entry_id: i64,
    /// Its rank from 1; `None` if no evaluator scored it.
    pub rank: Option<i32>,
    /// Its aggregate, if scored.
    pub aggregate: Option<Aggregate>,
    /// Within the quota.
    pub selected: bool,
    /// Within the number singled out.
    pub singled_out: bool,
}

/// Ranks `contenders` under `rule`, selecting `quota` and singling out
/// `single_out`; ranked entries first, in order, then the unscored in
/// order of entry.
pub fn rank(
    rule: AggregationRule,
    contenders: &[Contender],
    quota: i32,
    single_out: i32,
) -> Vec<Placed> {
    let mut scored: Vec<(&Contender, Aggregate)> = Vec::new();
    let mut unscored: Vec<&Contender> = Vec::new();
    for c in contenders {
        match aggregate(rule, &c.totals) {
            Some(a) => scored.push((c, a)),
            None => unscored.push(c),
        }
    }
    scored.sort_by(|(ca, a), (cb, b)| {
        b.cmp_score(a)
            .then(b.lowest.cmp(&a.lowest))
            .then(ca.entered_at.cmp(&cb.entered_at))
            .then(ca.entry_id.cmp(&cb.entry_id))
    });
    unscored.sort_by_key(|c| (c.entered_at, c.entry_id));
    let mut out = Vec::with_capacity(contenders.len());
    for (i, (c, a)) in scored.into_iter().enumerate() {
        let place = i as i32 + 1;
        out.push(Placed {
            entry_id: c.entry_id,
            rank: Some(place),
            aggregate: Some(a),
            selected: place <= quota,
            singled_out: place <= single_out,
        });
    }
    out.extend(unscored.into_iter().map(|c| Placed {
        entry_id: c.entry_id,
        rank: None,
        aggregate: None,
        selected: false,
        singled_out: false,
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 9, minute, 0).unwrap()
    }

    #[test]
    fn the_mean_and_the_trimmed_mean() {
        let totals = [80, 90, 85, 70, 95];
        let mean = aggregate(AggregationRule::Mean, &totals).unwrap();
        // (80 + 90 + 85 + 70 + 95) / 5 = 420 / 5 = 84.00
        assert_eq!((mean.counted, mean.counted_points), (5, 420));
        assert_eq!(mean.score_centi(), 8400);
        let trimmed = aggregate(AggregationRule::TrimmedMean, &totals).unwrap();
        // Without 95 and 70: (80 + 90 + 85) / 3 = 255 / 3 = 85.00
        assert_eq!((trimmed.counted, trimmed.counted_points), (3, 255));
        assert_eq!(trimmed.score_centi(), 8500);
        assert_eq!((trimmed.lowest, trimmed.highest), (70, 95));
        // Four totals are too few to trim: (80 + 90 + 85 + 70) / 4 = 81.25
        let four = aggregate(AggregationRule::TrimmedMean, &totals[..4]).unwrap();
        assert_eq!((four.counted, four.score_centi()), (4, 8125));
        // 2/3 of a point shows as 0.67; half a hundredth rounds up.
        let third = aggregate(AggregationRule::Mean, &[1, 1, 0]).unwrap();
        assert_eq!(third.score_centi(), 67);
        assert!(aggregate(AggregationRule::Mean, &[]).is_none());
    }

    #[test]
    fn ties_go_to_the_higher_lowest_total_then_the_earlier_entry() {
        let c = |id, minute, totals: &[i32]| Contender {
            entry_id: id,
            entered_at: at(minute),
            totals: totals.to_vec(),
        };
        let placed = rank(
            AggregationRule::Mean,
            &[
                // 85.00, lowest 80: second.
                c(1, 0, &[80, 90]),
                // 85.00, lowest 84: first.
                c(2, 5, &[84, 86]),
                // 85.00, lowest 80, entered after entry 1: third.
                c(3, 1, &[90, 80]),
                // Not scored: not ranked.
                c(4, 2, &[]),
                // 60.00: fourth, outside the quota of 3.
                c(5, 3, &[60]),
            ],
            3,
            1,
        );
        let order: Vec<(i64, Option<i32>, bool, bool)> = placed
            .iter()
            .map(|p| (p.entry_id, p.rank, p.selected, p.singled_out))
            .collect();
        assert_eq!(
            order,
            [
                (2, Some(1), true, true),
                (1, Some(2), true, false),
                (3, Some(3), true, false),
                (5, Some(4), false, false),
                (4, None, false, false),
            ]
        );
    }

    #[test]
    fn scores_compare_exactly_not_by_their_rounding() {
        // 170/2 = 85.000 against 256/3 = 85.333: both near 85, the second higher.
        let a = aggregate(AggregationRule::Mean, &[85, 85]).unwrap();
        let b = aggregate(AggregationRule::Mean, &[85, 85, 86]).unwrap();
        assert_eq!(b.cmp_score(&a), Ordering::Greater);
        assert_eq!((a.score_centi(), b.score_centi()), (8500, 8533));
    }
}
