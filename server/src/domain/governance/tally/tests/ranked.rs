//! Ranked choice: IRV and Scottish STV behaviour, rounds, transfers, tie-breaks, weights.

use super::super::*;
use super::build::*;

fn irv() -> Rules {
    rules(Method::Ranked)
}

fn stv(seats: u32) -> Rules {
    with_seats(rules(Method::Ranked), seats)
}

fn events(o: &Outcome, round: usize) -> &[RoundEvent] {
    &o.rounds[round - 1].events
}

fn elected(option: &str, because: ElectedBecause) -> RoundEvent {
    RoundEvent::Elected {
        option: option.into(),
        because,
    }
}

fn eliminated(option: &str, tie_break: Option<TieBreak>) -> RoundEvent {
    RoundEvent::Eliminated {
        option: option.into(),
        tie_break,
    }
}

#[test]
fn irv_first_round_majority() {
    let b = Bs::new().rank(3, M, &[0, 1]).rank(2, M, &[1]).done();
    let o = run(&irv(), &members(5), &letters(3), &b);
    assert_eq!(o.winners, names(&["A"]));
    assert_eq!(o.rounds.len(), 1);
    assert_eq!(events(&o, 1), [elected("A", ElectedBecause::Majority)]);
    assert_eq!(o.quota, None);
    assert_eq!(o.passed, None);
    assert!(!o.tie);
}

#[test]
fn irv_majority_is_of_the_votes_still_in_the_count() {
    // A 4, B 3, C 2 (C voters rank nobody else). After C is out, A has 4 of 7 live votes.
    let b = Bs::new()
        .rank(4, M, &[0])
        .rank(3, M, &[1])
        .rank(2, M, &[2])
        .done();
    let o = run(&irv(), &members(9), &letters(3), &b);
    assert_eq!(o.winners, names(&["A"]));
    assert_eq!(events(&o, 1), [eliminated("C", None)]);
    assert_eq!(o.rounds[1].exhausted.exact, "2");
    assert_eq!(events(&o, 2), [elected("A", ElectedBecause::Majority)]);
    // Excluded candidates are not listed in later rounds.
    assert_eq!(o.rounds[1].votes.len(), 2);
}

#[test]
fn irv_transfers_to_next_continuing_preference() {
    // C is eliminated first; its ballots rank D (already out) then B.
    let b = Bs::new()
        .rank(5, M, &[0])
        .rank(4, M, &[1])
        .rank(2, M, &[2, 3, 1])
        .rank(1, M, &[3, 1])
        .done();
    let o = run(&irv(), &members(12), &letters(4), &b);
    assert_eq!(events(&o, 1), [eliminated("D", None)]);
    assert_eq!(round_votes(&o, 2, "B"), "5");
    assert_eq!(events(&o, 2), [eliminated("C", None)]);
    assert_eq!(round_votes(&o, 3, "B"), "7");
    assert_eq!(o.winners, names(&["B"]));
}

#[test]
fn blank_rankings_count_for_turnout_only() {
    let r = with_quorum(irv(), Quorum::Share(Ratio::HALF));
    let b = Bs::new().rank(1, M, &[1]).rank(2, M, &[]).done();
    let o = run(&r, &members(6), &letters(2), &b);
    assert!(o.quorum_met);
    assert_eq!(o.winners, names(&["B"]));
    assert_eq!(total(&o, 1), "1");
}

#[test]
fn nobody_ranked_anyone_is_a_tie() {
    let b = Bs::new().rank(2, M, &[]).done();
    let o = run(&stv(2), &members(2), &letters(3), &b);
    assert!(o.winners.is_empty());
    assert!(o.tie);
    assert_eq!(o.reason, Some(Reason::Tie));
}

#[test]
fn backwards_tie_break_uses_the_most_recent_round_that_differs() {
    // Round 1: A 6, B 4, C 3, D 1 → D out, its ballot goes to C. Round 2: B 4, C 4 tied; at
    // round 1 C had fewer (3 < 4) → C is excluded.
    let b = Bs::new()
        .rank(6, M, &[0])
        .rank(4, M, &[1])
        .rank(3, M, &[2])
        .rank(1, M, &[3, 2])
        .done();
    let o = run(&irv(), &members(14), &letters(4), &b);
    let tb = TieBreak::EarlierRound {
        round: 1,
        among: names(&["B", "C"]),
    };
    assert_eq!(events(&o, 2), [eliminated("C", Some(tb))]);
    assert!(!o.tie);
}

#[test]
fn equal_at_every_round_falls_back_to_option_order() {
    // A 3, B 3: the option listed last (B) is excluded; the result is flagged as a tie.
    let b = Bs::new().rank(3, M, &[0]).rank(3, M, &[1]).done();
    let o = run(&irv(), &members(6), &letters(2), &b);
    let tb = TieBreak::OptionOrder {
        among: names(&["A", "B"]),
    };
    assert_eq!(events(&o, 1), [eliminated("B", Some(tb))]);
    // With B out, A holds every live vote: a majority.
    assert_eq!(events(&o, 2), [elected("A", ElectedBecause::Majority)]);
    assert_eq!(o.winners, names(&["A"]));
    assert!(o.tie);
    assert_eq!(o.tied, names(&["A", "B"]));
    assert_eq!(o.reason, None);
}

#[test]
fn stv_weighted_inclusive_gregory_truncates_to_five_decimals() {
    // 7 × [A, B], 1 × [B], 3 × [C]; 2 seats; quota ⌊11/3⌋ + 1 = 4.
    // A's surplus 3 moves at ⌊3 × 1 / 7⌋₅ = 0.42857 per ballot: B gets 2.99999, 0.00001 is lost.
    let b = Bs::new()
        .rank(7, M, &[0, 1])
        .rank(1, M, &[1])
        .rank(3, M, &[2])
        .done();
    let o = run(&stv(2), &members(11), &letters(3), &b);
    assert_eq!(o.quota.as_ref().unwrap().exact, "4");
    assert_eq!(
        events(&o, 1),
        [
            elected("A", ElectedBecause::ReachedQuota),
            RoundEvent::SurplusTransferred {
                option: "A".into(),
                surplus: o
                    .quota
                    .clone()
                    .map(|_| Value {
                        exact: "3".into(),
                        approx: 3.0
                    })
                    .unwrap(),
                tie_break: None
            }
        ]
    );
    assert_eq!(round_votes(&o, 2, "A"), "4");
    assert_eq!(round_votes(&o, 2, "B"), "399999/100000");
    assert_eq!(o.rounds[1].rounding_loss.exact, "1/100000");
    assert!(o.rounds[1]
        .votes
        .iter()
        .any(|v| v.option == "A" && v.elected));
    assert_eq!(events(&o, 2), [eliminated("C", None)]);
    assert_eq!(o.rounds[2].exhausted.exact, "3");
    assert_eq!(
        events(&o, 3),
        [elected("B", ElectedBecause::RemainingSeats)]
    );
    assert_eq!(o.winners, names(&["A", "B"]));
}

#[test]
fn surplus_skips_already_elected_candidates() {
    // 3 seats, quota ⌊13/4⌋ + 1 = 4. A 5 and B 4 elected at once; A's ballots [A, B, C] pass B.
    let b = Bs::new()
        .rank(5, M, &[0, 1, 2])
        .rank(4, M, &[1, 3])
        .rank(2, M, &[2])
        .rank(2, M, &[3])
        .done();
    let o = run(&stv(3), &members(13), &letters(4), &b);
    assert_eq!(
        &events(&o, 1)[..2],
        [
            elected("A", ElectedBecause::ReachedQuota),
            elected("B", ElectedBecause::ReachedQuota)
        ]
    );
    assert_eq!(round_votes(&o, 2, "B"), "4");
    assert_eq!(round_votes(&o, 2, "C"), "3");
    assert_eq!(events(&o, 2), [eliminated("D", None)]);
    assert_eq!(o.winners, names(&["A", "B", "C"]));
}

#[test]
fn largest_surplus_is_transferred_first() {
    // 3 seats, total 21, quota 6: A 8 (surplus 2) before B 7 (surplus 1).
    let b = Bs::new()
        .rank(8, M, &[0, 2])
        .rank(7, M, &[1, 3])
        .rank(1, M, &[2])
        .rank(1, M, &[3])
        .rank(4, M, &[4])
        .done();
    let o = run(&stv(3), &members(21), &letters(5), &b);
    assert!(
        matches!(&events(&o, 1)[2], RoundEvent::SurplusTransferred { option, .. } if option == "A")
    );
    assert_eq!(round_votes(&o, 2, "C"), "3");
    assert!(
        matches!(&events(&o, 2)[0], RoundEvent::SurplusTransferred { option, surplus, .. } if option == "B" && surplus.exact == "1")
    );
    // 7 × ⌊1/7⌋₅ = 7 × 0.14285 = 0.99995.
    assert_eq!(round_votes(&o, 3, "D"), "39999/20000");
    assert_eq!(o.rounds[2].rounding_loss.exact, "1/20000");
    assert_eq!(o.winners, names(&["A", "B", "E"]));
}

#[test]
fn equal_surpluses_fall_back_to_option_order() {
    let b = Bs::new()
        .rank(7, M, &[0, 2])
        .rank(7, M, &[1, 3])
        .rank(1, M, &[2])
        .rank(1, M, &[3])
        .rank(4, M, &[4])
        .done();
    let o = run(&stv(3), &members(20), &letters(5), &b);
    let first = events(&o, 1).last().unwrap();
    assert!(
        matches!(first, RoundEvent::SurplusTransferred { option, tie_break: Some(TieBreak::OptionOrder { .. }), .. } if option == "A")
    );
    assert!(o.tie);
}

#[test]
fn weighted_classes_scale_ranked_ballot_values() {
    // N = 4 ballots. worker (1/2, 1 ballot): worth 1/2·4/1 = 2 votes. user (1/2, 3 ballots):
    // 1/2·4/3 = 0.66666 each (5 decimals) → A 1.99998 < B 2, and B has a majority of 3.99998.
    let r = with_policy(irv(), weighted(&[("worker", "1/2"), ("user", "1/2")]));
    let e = electorate(&[("user", 3), ("worker", 1)]);
    let b = Bs::new()
        .rank(1, "worker", &[1])
        .rank(3, "user", &[0])
        .done();
    let o = run(&r, &e, &letters(2), &b);
    assert_eq!(total(&o, 0), "99999/50000");
    assert_eq!(total(&o, 1), "2");
    assert_eq!(o.options[0].by_class["user"].raw, 3);
    assert_eq!(o.winners, names(&["B"]));
    assert_eq!(run(&irv(), &e, &letters(2), &b).winners, names(&["A"]));
}

#[test]
fn ranked_quorum_not_met_reports_rounds_but_no_winner() {
    let r = with_quorum(irv(), Quorum::Count(10));
    let b = Bs::new().rank(3, M, &[0]).done();
    let o = run(&r, &members(20), &letters(2), &b);
    assert!(o.winners.is_empty());
    assert_eq!(o.reason, Some(Reason::QuorumNotMet));
    assert!(!o.rounds.is_empty());
}

#[test]
fn ten_thousand_ballots_are_grouped() {
    // 10,000 ballots over 5 candidates and a handful of distinct rankings.
    let patterns: [&[usize]; 6] = [
        &[0, 1, 2],
        &[1, 0],
        &[2, 3, 4, 1],
        &[3, 2],
        &[4, 3, 2, 1, 0],
        &[1, 2, 3],
    ];
    let mut bs = Bs::new();
    for (i, p) in patterns.iter().enumerate() {
        bs = bs.rank(1000 + 300 * i, M, p);
    }
    let b = bs.done();
    assert_eq!(b.len(), 10_500);
    let o = run(&stv(2), &members(10_500), &letters(5), &b);
    assert_eq!(o.winners.len(), 2);
    let one = run(&irv(), &members(10_500), &letters(5), &b);
    assert_eq!(one.winners.len(), 1);
}

#[test]
fn zero_vote_ties_that_decide_a_seat_are_flagged() {
    // 2 seats. A 5 is elected (quota ⌊5/3⌋ + 1 = 2) with a surplus that exhausts. B and C have
    // no votes and are tied at every round: excluding one elects the other — option order decides.
    let b = Bs::new().rank(5, M, &[0]).done();
    let o = run(&stv(2), &members(5), &letters(3), &b);
    assert_eq!(o.winners, names(&["A", "B"]));
    assert!(o.tie);
    assert_eq!(o.tied, names(&["B", "C"]));
    // With 4 zero-vote candidates and 1 seat left after A, their order still matters (rule 52
    // fills the seat with the survivor): flagged.
    let o = run(&stv(2), &members(5), &letters(5), &b);
    assert!(o.tie);
    // One seat: D and E (no votes) are excluded in a row before C, then A wins: not flagged,
    // though the order of their exclusion was decided by option order (E first).
    let b = Bs::new()
        .rank(2, M, &[0])
        .rank(2, M, &[1])
        .rank(1, M, &[2, 0])
        .done();
    let o = run(&irv(), &members(5), &letters(5), &b);
    assert_eq!(
        events(&o, 1)[0],
        eliminated(
            "E",
            Some(TieBreak::OptionOrder {
                among: names(&["D", "E"])
            })
        )
    );
    assert_eq!(events(&o, 2)[0], eliminated("D", None));
    assert_eq!(events(&o, 3)[0], eliminated("C", None));
    assert_eq!(o.winners, names(&["A"]));
    assert!(!o.tie);
}
