//! Property tests: monotonicity of consent, block veto, ballot-order independence, IRV/STV
//! consistency, approval totals, weighted-vs-unweighted equivalence, conservation of votes.

use proptest::prelude::*;

use super::super::ranked::{run_count, Mode, Paper, SCALE};
use super::super::*;
use super::build::*;

const CLASSES: [&str; 3] = ["a", "b", "c"];

fn big_electorate() -> Electorate {
    electorate(&[("a", 1000), ("b", 1000), ("c", 1000)])
}

/// Random class policies: one member one vote, weighted shares summing to 1, concurrent.
fn policy(allow_concurrent: bool) -> impl Strategy<Value = ClassPolicy> {
    let weighted = proptest::collection::vec(1u64..10, 3).prop_map(|w| {
        let sum: u64 = w.iter().sum();
        ClassPolicy::WeightedClasses(
            CLASSES
                .iter()
                .zip(&w)
                .map(|(c, &x)| ClassShare {
                    class: c.to_string(),
                    share: Ratio::new(x, sum).unwrap(),
                })
                .collect(),
        )
    });
    let concurrent = if allow_concurrent { 1 } else { 0 };
    prop_oneof![
        1 => Just(ClassPolicy::OneMemberOneVote),
        1 => weighted,
        concurrent => Just(ClassPolicy::ConcurrentMajorities),
    ]
}

fn class() -> impl Strategy<Value = String> {
    (0usize..3).prop_map(|i| CLASSES[i].to_string())
}

fn consent_choice() -> impl Strategy<Value = ConsentChoice> {
    prop_oneof![
        Just(ConsentChoice::Agree),
        Just(ConsentChoice::Abstain),
        Just(ConsentChoice::Disagree),
        Just(ConsentChoice::Block),
    ]
}

fn consent_ballots(max: usize) -> impl Strategy<Value = Vec<Ballot>> {
    proptest::collection::vec(
        (class(), consent_choice()).prop_map(|(c, k)| Ballot::new(c, BallotChoice::Consent(k))),
        0..max,
    )
}

fn threshold() -> impl Strategy<Value = Threshold> {
    prop_oneof![
        Just(Threshold::Consent { min_agree: None }),
        Just(Threshold::SimpleMajority),
        Just(Threshold::TwoThirds),
        (1u64..=4, 4u64..=5).prop_map(|(n, d)| Threshold::Fraction(Ratio::new(n, d).unwrap())),
    ]
}

/// A ranking: a shuffled prefix of the candidates (length 0..=n when `blank`, else 1..=n).
fn ranking(n: usize, blank: bool) -> impl Strategy<Value = Vec<usize>> {
    let min = if blank { 0 } else { 1 };
    (Just((0..n).collect::<Vec<usize>>()).prop_shuffle(), min..=n)
        .prop_map(|(v, len)| v[..len].to_vec())
}

fn ranked_ballots(n: usize, max: usize) -> impl Strategy<Value = Vec<Ballot>> {
    proptest::collection::vec(
        (class(), ranking(n, true)).prop_map(|(c, r)| Ballot::new(c, BallotChoice::Ranked(r))),
        1..max,
    )
}

/// Ballots and the same ballots shuffled.
fn with_shuffle<T: Clone + std::fmt::Debug>(
    s: impl Strategy<Value = Vec<T>>,
) -> impl Strategy<Value = (Vec<T>, Vec<T>)> {
    s.prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle()))
}

fn consent_rules(p: ClassPolicy, t: Threshold, q: u64) -> Rules {
    with_quorum(
        with_policy(with_threshold(rules(Method::Consent), t), p),
        Quorum::Count(q),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn adding_an_agree_never_turns_a_pass_into_a_fail(
        ballots in consent_ballots(40), p in policy(true), t in threshold(),
        q in 0u64..20, c in class(),
    ) {
        let r = consent_rules(p, t, q);
        let e = big_electorate();
        let before = run(&r, &e, &[], &ballots);
        let mut more = ballots.clone();
        more.push(Ballot::new(c, BallotChoice::Consent(ConsentChoice::Agree)));
        let after = run(&r, &e, &[], &more);
        if before.passed == Some(true) {
            prop_assert_eq!(after.passed, Some(true));
        }
    }

    #[test]
    fn adding_a_block_always_fails_consent(
        ballots in consent_ballots(40), p in policy(true), t in threshold(), c in class(),
    ) {
        let mut with_block = ballots;
        with_block.push(Ballot::new(c, BallotChoice::Consent(ConsentChoice::Block)));
        let o = run(&consent_rules(p, t, 0), &big_electorate(), &[], &with_block);
        prop_assert_eq!(o.passed, Some(false));
        let blocked = matches!(o.reason, Some(Reason::Blocked { .. }));
        prop_assert!(blocked);
    }

    #[test]
    fn consent_is_independent_of_ballot_order(
        (a, b) in with_shuffle(consent_ballots(40)), p in policy(true), t in threshold(),
    ) {
        let r = consent_rules(p, t, 3);
        prop_assert_eq!(run(&r, &big_electorate(), &[], &a), run(&r, &big_electorate(), &[], &b));
    }

    #[test]
    fn single_choice_is_independent_of_ballot_order(
        (a, b) in with_shuffle(proptest::collection::vec(
            (class(), 0usize..3).prop_map(|(c, i)| Ballot::new(c, BallotChoice::Single(i))), 0..40)),
        p in policy(true), motion in any::<bool>(),
    ) {
        let (r, options) = if motion {
            (with_threshold(rules(Method::SingleChoice), Threshold::TwoThirds),
             opts(&["For", "Against", "Abstain"]))
        } else {
            (rules(Method::SingleChoice), letters(3))
        };
        let r = with_policy(r, p);
        prop_assert_eq!(
            run(&r, &big_electorate(), &options, &a),
            run(&r, &big_electorate(), &options, &b)
        );
    }

    #[test]
    fn approval_totals_count_approvals_and_ignore_order(
        (a, b) in with_shuffle(proptest::collection::vec(
            (class(), proptest::sample::subsequence((0..4usize).collect::<Vec<_>>(), 0..=4))
                .prop_map(|(c, s)| Ballot::new(c, BallotChoice::Approval(s))), 0..40)),
        p in policy(false), seats in 1u32..4,
    ) {
        let r = with_policy(with_seats(rules(Method::Approval), seats), p.clone());
        let o = run(&r, &big_electorate(), &letters(4), &a);
        prop_assert_eq!(&o, &run(&r, &big_electorate(), &letters(4), &b));
        let approvals: u64 = a.iter().map(|x| match &x.choice {
            BallotChoice::Approval(s) => s.len() as u64,
            _ => 0,
        }).sum();
        let raw: u64 = o.options.iter().flat_map(|x| x.by_class.values()).map(|c| c.raw).sum();
        prop_assert_eq!(raw, approvals);
        if p == ClassPolicy::OneMemberOneVote {
            let totals: u64 = o.options.iter().map(|x| x.total.exact.parse::<u64>().unwrap()).sum();
            prop_assert_eq!(totals, approvals);
        }
        prop_assert!(o.winners.len() <= seats as usize);
        if !o.tie {
            prop_assert_eq!(o.winners.len(), seats as usize);
        } else {
            prop_assert!(o.winners.len() + o.tied.len() > seats as usize);
        }
    }

    #[test]
    fn score_is_independent_of_ballot_order(
        (a, b) in with_shuffle(proptest::collection::vec(
            (class(), proptest::collection::vec(0u8..=5, 3))
                .prop_map(|(c, s)| Ballot::new(c, BallotChoice::Score(s))), 0..30)),
        p in policy(true),
    ) {
        let r = with_policy(rules(Method::Score), p);
        prop_assert_eq!(
            run(&r, &big_electorate(), &letters(3), &a),
            run(&r, &big_electorate(), &letters(3), &b)
        );
    }

    #[test]
    fn ranked_is_independent_of_ballot_order(
        (a, b) in with_shuffle(ranked_ballots(5, 60)), p in policy(false), seats in 1u32..4,
    ) {
        let r = with_policy(with_seats(rules(Method::Ranked), seats), p);
        prop_assert_eq!(
            run(&r, &big_electorate(), &letters(5), &a),
            run(&r, &big_electorate(), &letters(5), &b)
        );
    }

    #[test]
    fn irv_elects_a_first_preference_majority(ballots in ranked_ballots(4, 60)) {
        let o = run(&rules(Method::Ranked), &big_electorate(), &letters(4), &ballots);
        let mut first = [0u64; 4];
        let mut valid = 0u64;
        for b in &ballots {
            if let BallotChoice::Ranked(r) = &b.choice {
                if let Some(&top) = r.first() {
                    first[top] += 1;
                    valid += 1;
                }
            }
        }
        if let Some(m) = (0..4).find(|&c| first[c] * 2 > valid) {
            prop_assert_eq!(o.winners.clone(), vec![letters(4)[m].clone()]);
            prop_assert_eq!(o.rounds.len(), 1);
        }
    }

    #[test]
    fn irv_with_two_candidates_is_plurality(ballots in ranked_ballots(2, 60)) {
        let irv = run(&rules(Method::Ranked), &big_electorate(), &letters(2), &ballots);
        let singles: Vec<Ballot> = ballots.iter().filter_map(|b| match &b.choice {
            BallotChoice::Ranked(r) if !r.is_empty() => {
                Some(Ballot::new(b.class.clone(), BallotChoice::Single(r[0])))
            }
            _ => None,
        }).collect();
        let poll = run(&rules(Method::SingleChoice), &big_electorate(), &letters(2), &singles);
        if poll.tie {
            // Plurality reports the tie; IRV resolves it by the declared rule and flags it.
            prop_assert!(irv.tie);
        } else {
            prop_assert_eq!(irv.winners, poll.winners);
            prop_assert!(!irv.tie);
        }
    }

    #[test]
    fn stv_with_one_seat_equals_irv(rankings in proptest::collection::vec(
        (ranking(5, false), 1u64..4), 1..40)
    ) {
        let papers: Vec<Paper> = rankings.iter().map(|(r, n)| Paper {
            ranking: r.iter().map(|&c| c as u16).collect(),
            count: *n,
            value: SCALE,
            pos: 0,
        }).collect();
        let irv = run_count(5, Mode::Irv, papers.clone());
        let stv = run_count(5, Mode::Stv { seats: 1 }, papers);
        prop_assert_eq!(irv.elected, stv.elected);
    }

    #[test]
    fn stv_conserves_votes_and_fills_the_seats(
        ballots in ranked_ballots(6, 80), seats in 2u32..5, p in policy(false),
    ) {
        let r = with_policy(with_seats(rules(Method::Ranked), seats), p);
        let o = run(&r, &big_electorate(), &letters(6), &ballots);
        let units = |v: &Value| {
            let (n, d) = v.exact.split_once('/').unwrap_or((&v.exact, "1"));
            n.parse::<u128>().unwrap() * SCALE as u128 / d.parse::<u128>().unwrap()
        };
        let first: u128 = o.options.iter().map(|x| units(&x.total)).sum();
        for round in &o.rounds {
            let live: u128 = round.votes.iter().map(|v| units(&v.votes)).sum();
            prop_assert_eq!(live + units(&round.exhausted) + units(&round.rounding_loss), first);
        }
        if first > 0 {
            prop_assert_eq!(o.winners.len(), seats as usize);
            let mut w = o.winners.clone();
            w.sort();
            w.dedup();
            prop_assert_eq!(w.len(), seats as usize);
        }
    }

    #[test]
    fn equal_shares_with_equal_class_turnout_equal_one_member_one_vote(
        items in (1usize..8).prop_flat_map(|len| proptest::collection::vec(
            (consent_choice(), 0usize..4, ranking(4, true), proptest::collection::vec(0u8..=5, 4)),
            3 * len)),
        method in 0usize..5,
    ) {
        // Each class casts the same number of (different) ballots: the weight basis is ballots
        // cast, so equal shares then give every ballot the same weight.
        let per_class = items.len() / 3;
        let ballots: Vec<Ballot> = items.iter().enumerate().map(|(i, (k, s, r, sc))| {
            let choice = match method {
                0 => BallotChoice::Consent(*k),
                1 => BallotChoice::Single(*s),
                2 => BallotChoice::Approval(r.clone()),
                3 => BallotChoice::Ranked(r.clone()),
                _ => BallotChoice::Score(sc.clone()),
            };
            Ballot::new(CLASSES[i / per_class], choice)
        }).collect();
        let m = [Method::Consent, Method::SingleChoice, Method::Approval, Method::Ranked, Method::Score][method];
        let base = rules(m);
        let options = if m == Method::Consent { Vec::new() } else { letters(4) };
        let eq = weighted(&[("a", "1/3"), ("b", "1/3"), ("c", "1/3")]);
        let e = electorate(&[("a", 20), ("b", 20), ("c", 20)]);
        let omov = run(&base, &e, &options, &ballots);
        let w = run(&with_policy(base, eq), &e, &options, &ballots);
        prop_assert_eq!(omov.passed, w.passed);
        prop_assert_eq!(&omov.winners, &w.winners);
        prop_assert_eq!(&omov.tied, &w.tied);
        prop_assert_eq!(&omov.reason, &w.reason);
        prop_assert_eq!(omov.rounds.len(), w.rounds.len());
    }

    #[test]
    fn thresholds_match_naive_rational_comparison(
        yes in 0u64..500, no in 0u64..500,
        (num, den) in (1u64..20).prop_flat_map(|den| (1..=den, Just(den))),
    ) {
        let t = Threshold::Fraction(Ratio::new(num, den).unwrap());
        let expected = yes > 0 && (yes as u128) * (den as u128) >= (num as u128) * ((yes + no) as u128);
        prop_assert_eq!(super::super::decide::meets(t, yes as u128, no as u128), expected);
        let simple = yes > 0 && 2 * yes > yes + no;
        prop_assert_eq!(super::super::decide::meets(Threshold::SimpleMajority, yes as u128, no as u128), simple);
        let two = yes > 0 && 3 * yes >= 2 * (yes + no);
        prop_assert_eq!(super::super::decide::meets(Threshold::TwoThirds, yes as u128, no as u128), two);
    }

    #[test]
    fn ratios_round_trip(
        (num, den) in (1u64..1_000_000).prop_flat_map(|den| (0..=den, Just(den))),
    ) {
        let r = Ratio::new(num, den).unwrap();
        prop_assert_eq!(r.to_string().parse::<Ratio>().unwrap(), r);
        prop_assert_eq!(r.num() as u128 * den as u128, num as u128 * r.den() as u128);
    }
}
