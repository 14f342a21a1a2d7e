//! The arithmetic of Civil Code art. 278, exactly, in integers.
//!
//! Quorum: owners holding at least 2/3 of the total exclusive area AND at
//! least 2/3 of all owners by head take part. Items 6–8 pass when at least
//! 3/4 of the participating area AND of the participating owners agree;
//! every other item when more than 1/2 of both agree. "以上" is ≥, "过半数"
//! is >. Areas are hundredths of a square metre; products are taken in
//! i128 so no comparison can overflow or round.

use crate::domain::kinds::{BallotChoice, VoteRule};

/// Area and heads of one group of owners.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Weight {
    /// Exclusive area, in hundredths of a square metre.
    pub area_centi: i64,
    /// Owners, counted by DOMAIN.md's head-count rules.
    pub heads: i64,
}

impl Weight {
    fn add_all(&mut self, w: Weight) {
        self.area_centi += w.area_centi;
        self.heads += w.heads;
    }
}

/// A tally: the register's totals and the standing ballots.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Everyone on the register.
    pub total: Weight,
    /// Those who cast a ballot (agree, disagree or abstain).
    pub participating: Weight,
    /// Those who agree.
    pub agree: Weight,
    /// Those who disagree.
    pub disagree: Weight,
    /// Those who abstain.
    pub abstain: Weight,
}

impl Tally {
    /// A tally over a register with these totals and no ballots yet.
    pub fn new(total: Weight) -> Self {
        Self {
            total,
            ..Self::default()
        }
    }

    /// Counts one owner's standing ballot.
    pub fn count(&mut self, area_centi: i64, choice: BallotChoice) {
        self.count_all(
            choice,
            Weight {
                area_centi,
                heads: 1,
            },
        );
    }

    /// Counts the standing ballots of several owners with one `choice`,
    /// whose heads and areas are already summed in `w`.
    pub fn count_all(&mut self, choice: BallotChoice, w: Weight) {
        self.participating.add_all(w);
        match choice {
            BallotChoice::Agree => self.agree.add_all(w),
            BallotChoice::Disagree => self.disagree.add_all(w),
            BallotChoice::Abstain => self.abstain.add_all(w),
        }
    }
}

/// `part / whole >= num / den`, exactly.
fn at_least(part: i64, whole: i64, num: i64, den: i64) -> bool {
    i128::from(part) * i128::from(den) >= i128::from(whole) * i128::from(num)
}

/// `part / whole > num / den`, exactly.
fn more_than(part: i64, whole: i64, num: i64, den: i64) -> bool {
    i128::from(part) * i128::from(den) > i128::from(whole) * i128::from(num)
}

/// Whether the quorum is met: at least 2/3 of the area and of the heads
/// took part. An empty register has no quorum.
pub fn quorum_met(t: &Tally) -> bool {
    t.total.heads > 0
        && at_least(t.participating.area_centi, t.total.area_centi, 2, 3)
        && at_least(t.participating.heads, t.total.heads, 2, 3)
}

/// Whether the participating owners agree by `rule`.
pub fn agreed(t: &Tally, rule: VoteRule) -> bool {
    if t.participating.heads == 0 {
        return false;
    }
    match rule {
        VoteRule::ThreeQuarters => {
            at_least(t.agree.area_centi, t.participating.area_centi, 3, 4)
                && at_least(t.agree.heads, t.participating.heads, 3, 4)
        }
        VoteRule::MoreThanHalf => {
            more_than(t.agree.area_centi, t.participating.area_centi, 1, 2)
                && more_than(t.agree.heads, t.participating.heads, 1, 2)
        }
    }
}

/// Whether the matter is adopted: quorum met and agreement by `rule`.
pub fn adopted(t: &Tally, rule: VoteRule) -> bool {
    quorum_met(t) && agreed(t, rule)
}

/// The council's resolution rule, exactly: Urban Residents (art. 10) needs
/// more than half of the representatives present; Villagers (art. 26) at
/// least two thirds; both need more than half of those present agreeing.
pub fn council_resolution(
    rule: crate::domain::kinds::CouncilRule,
    representatives: i64,
    present: i64,
    votes_for: i64,
) -> (bool, bool) {
    use crate::domain::kinds::CouncilRule;
    let quorum = match rule {
        CouncilRule::UrbanResidents => more_than(present, representatives, 1, 2),
        CouncilRule::Villagers => at_least(present, representatives, 2, 3),
    };
    let passed = present > 0 && more_than(votes_for, present, 1, 2);
    (quorum, quorum && passed)
}

#[cfg(test)]
// Areas are written `300_00` to read as 300.00 m² in hundredths.
#[allow(clippy::inconsistent_digit_grouping)]
mod tests {
    use super::*;
    use crate::domain::kinds::CouncilRule;

    fn tally(total: (i64, i64), part: (i64, i64), agree: (i64, i64)) -> Tally {
        Tally {
            total: Weight {
                area_centi: total.0,
                heads: total.1,
            },
            participating: Weight {
                area_centi: part.0,
                heads: part.1,
            },
            agree: Weight {
                area_centi: agree.0,
                heads: agree.1,
            },
            ..Tally::default()
        }
    }

    #[test]
    fn quorum_is_two_thirds_inclusive_of_both_area_and_heads() {
        // Exactly 2/3 of area (200/300) and of heads (6/9): met.
        assert!(quorum_met(&tally((300_00, 9), (200_00, 6), (0, 0))));
        // One hundredth of a square metre under 2/3 of the area: not met.
        assert!(!quorum_met(&tally((300_00, 9), (200_00 - 1, 6), (0, 0))));
        // Area fine, one head short: not met.
        assert!(!quorum_met(&tally((300_00, 9), (300_00, 5), (0, 0))));
        // Thirds that do not divide evenly: 2/3 of 100.00 m² is 66.666…
        assert!(!quorum_met(&tally((100_00, 3), (66_66, 2), (0, 0))));
        assert!(quorum_met(&tally((100_00, 3), (66_67, 2), (0, 0))));
        assert!(!quorum_met(&Tally::default()));
    }

    #[test]
    fn three_quarters_is_inclusive() {
        let rule = VoteRule::ThreeQuarters;
        assert!(agreed(&tally((0, 0), (400_00, 8), (300_00, 6)), rule));
        assert!(!agreed(&tally((0, 0), (400_00, 8), (300_00 - 1, 6)), rule));
        assert!(!agreed(&tally((0, 0), (400_00, 8), (400_00, 5)), rule));
    }

    #[test]
    fn more_than_half_excludes_exactly_half() {
        let rule = VoteRule::MoreThanHalf;
        assert!(!agreed(&tally((0, 0), (200_00, 4), (100_00, 3)), rule));
        assert!(!agreed(&tally((0, 0), (200_00, 4), (150_00, 2)), rule));
        assert!(agreed(&tally((0, 0), (200_00, 4), (100_01, 3)), rule));
        assert!(!agreed(&Tally::default(), rule));
    }

    #[test]
    fn adoption_needs_quorum_too() {
        let t = tally((300_00, 9), (190_00, 6), (190_00, 6));
        assert!(agreed(&t, VoteRule::MoreThanHalf));
        assert!(!adopted(&t, VoteRule::MoreThanHalf));
    }

    #[test]
    fn counting_adds_area_and_one_head_per_owner() {
        let mut t = Tally::new(Weight {
            area_centi: 1000,
            heads: 3,
        });
        t.count(400, BallotChoice::Agree);
        t.count(100, BallotChoice::Abstain);
        assert_eq!(
            t.participating,
            Weight {
                area_centi: 500,
                heads: 2
            }
        );
        assert_eq!(
            t.agree,
            Weight {
                area_centi: 400,
                heads: 1
            }
        );
        assert_eq!(
            t.abstain,
            Weight {
                area_centi: 100,
                heads: 1
            }
        );
    }

    #[test]
    fn council_rules_follow_the_two_organic_laws() {
        // Urban: more than half present; 10 representatives, 5 present is not enough.
        assert_eq!(
            council_resolution(CouncilRule::UrbanResidents, 10, 5, 5),
            (false, false)
        );
        assert_eq!(
            council_resolution(CouncilRule::UrbanResidents, 10, 6, 4),
            (true, true)
        );
        assert_eq!(
            council_resolution(CouncilRule::UrbanResidents, 10, 6, 3),
            (true, false)
        );
        // Villagers: at least two thirds present; 9 representatives need 6.
        assert_eq!(
            council_resolution(CouncilRule::Villagers, 9, 6, 4),
            (true, true)
        );
        assert_eq!(
            council_resolution(CouncilRule::Villagers, 9, 5, 5),
            (false, false)
        );
    }
}
