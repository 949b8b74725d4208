//! Single choice: motions (For/Against with exact thresholds) and plurality polls with ties.

use super::super::*;
use super::build::*;

fn motion(t: Threshold) -> Rules {
    with_threshold(rules(Method::SingleChoice), t)
}

fn fa() -> Vec<String> {
    opts(&["For", "Against"])
}

fn fab() -> Vec<String> {
    opts(&["For", "Against", "Abstain"])
}

fn vote(for_: usize, against: usize, abstain: usize) -> Vec<Ballot> {
    Bs::new()
        .single(for_, M, 0)
        .single(against, M, 1)
        .single(abstain, M, 2)
        .done()
}

#[test]
fn simple_majority_needs_strictly_more_than_half() {
    let r = motion(Threshold::SimpleMajority);
    let o = run(&r, &members(10), &fa(), &vote(3, 2, 0));
    assert_eq!(o.passed, Some(true));
    assert_eq!(o.winners, Vec::<String>::new());
    let o = run(&r, &members(10), &fa(), &vote(2, 2, 0));
    assert_eq!(o.passed, Some(false));
    assert_eq!(o.reason, Some(Reason::ThresholdNotMet));
    assert!(!o.tie);
    let o = run(&r, &members(2000), &fa(), &vote(1000, 1000, 0));
    assert_eq!(o.passed, Some(false));
    let o = run(&r, &members(2000), &fa(), &vote(1001, 999, 0));
    assert_eq!(o.passed, Some(true));
}

#[test]
fn two_thirds_exactly_passes() {
    let r = motion(Threshold::TwoThirds);
    assert_eq!(
        run(&r, &members(9), &fa(), &vote(6, 3, 0)).passed,
        Some(true)
    );
    assert_eq!(
        run(&r, &members(9), &fa(), &vote(5, 3, 0)).passed,
        Some(false)
    );
    assert_eq!(
        run(&r, &members(3), &fa(), &vote(2, 1, 0)).passed,
        Some(true)
    );
    assert_eq!(
        run(&r, &members(300), &fa(), &vote(199, 100, 0)).passed,
        Some(false)
    );
    assert_eq!(
        run(&r, &members(300), &fa(), &vote(200, 100, 0)).passed,
        Some(true)
    );
}

#[test]
fn fraction_thresholds_are_inclusive() {
    let r = motion(Threshold::Fraction(ratio("0.6")));
    assert_eq!(
        run(&r, &members(5), &fa(), &vote(3, 2, 0)).passed,
        Some(true)
    );
    assert_eq!(
        run(&r, &members(7), &fa(), &vote(4, 3, 0)).passed,
        Some(false)
    );
    let half = motion(Threshold::Fraction(Ratio::HALF));
    assert_eq!(
        run(&half, &members(4), &fa(), &vote(2, 2, 0)).passed,
        Some(true)
    );
    let all = motion(Threshold::Fraction(Ratio::ONE));
    assert_eq!(
        run(&all, &members(4), &fa(), &vote(4, 0, 0)).passed,
        Some(true)
    );
    assert_eq!(
        run(&all, &members(5), &fa(), &vote(4, 1, 0)).passed,
        Some(false)
    );
}

#[test]
fn motion_abstentions_are_outside_the_base() {
    let r = motion(Threshold::SimpleMajority);
    let o = run(&r, &members(20), &fab(), &vote(2, 1, 10));
    assert_eq!(o.passed, Some(true));
    assert_eq!(total(&o, 2), "10");
    let o = run(&r, &members(20), &fab(), &vote(0, 0, 10));
    assert_eq!(o.reason, Some(Reason::ThresholdNotMet));
}

#[test]
fn motion_options_in_any_order_and_case() {
    let r = motion(Threshold::SimpleMajority);
    let options = opts(&["abstain", "AGAINST", "for"]);
    let b = Bs::new().single(2, M, 2).single(1, M, 1).done();
    assert_eq!(run(&r, &members(3), &options, &b).passed, Some(true));
}

#[test]
fn motion_quorum() {
    let r = with_quorum(
        motion(Threshold::SimpleMajority),
        Quorum::Share(ratio("0.5")),
    );
    let o = run(&r, &members(10), &fa(), &vote(4, 0, 0));
    assert_eq!(o.passed, Some(false));
    assert_eq!(o.reason, Some(Reason::QuorumNotMet));
}

// ---- polls ---------------------------------------------------------------------------------

fn poll() -> Rules {
    rules(Method::SingleChoice)
}

#[test]
fn plurality_winner() {
    let options = letters(3);
    let b = Bs::new()
        .single(4, M, 0)
        .single(5, M, 1)
        .single(3, M, 2)
        .done();
    let o = run(&poll(), &members(12), &options, &b);
    assert_eq!(o.passed, None);
    assert_eq!(o.winners, names(&["B"]));
    assert!(!o.tie);
    assert_eq!(o.reason, None);
    assert_eq!(total(&o, 1), "5");
    let ranks: Vec<_> = o.options.iter().map(|x| x.rank).collect();
    assert_eq!(ranks, [2, 1, 3]);
}

#[test]
fn tie_for_first_is_reported_not_resolved() {
    let options = letters(3);
    let b = Bs::new()
        .single(4, M, 0)
        .single(2, M, 1)
        .single(4, M, 2)
        .done();
    let o = run(&poll(), &members(10), &options, &b);
    assert_eq!(o.winners, Vec::<String>::new());
    assert!(o.tie);
    assert_eq!(o.tied, names(&["A", "C"]));
    assert_eq!(o.reason, Some(Reason::Tie));
    let ranks: Vec<_> = o.options.iter().map(|x| x.rank).collect();
    assert_eq!(ranks, [1, 3, 1]);
}

#[test]
fn nobody_voting_is_a_tie_of_everyone() {
    let o = run(&poll(), &members(10), &letters(2), &[]);
    assert!(o.tie);
    assert_eq!(o.tied, names(&["A", "B"]));
}

#[test]
fn poll_quorum_not_met_has_no_winner() {
    let r = with_quorum(poll(), Quorum::Count(5));
    let b = Bs::new().single(4, M, 0).done();
    let o = run(&r, &members(10), &letters(2), &b);
    assert_eq!(o.passed, None);
    assert_eq!(o.winners, Vec::<String>::new());
    assert_eq!(o.reason, Some(Reason::QuorumNotMet));
}

#[test]
fn weighted_poll() {
    // worker 1/2 (2 ballots, both A), user 1/2 (6 ballots: 4 B, 2 A).
    // A = 1/2 + 1/6 = 2/3, B = 1/3 → A wins; one member one vote: B (4) beats A (4)? tie.
    let r = with_policy(poll(), weighted(&[("worker", "1/2"), ("user", "1/2")]));
    let e = electorate(&[("user", 10), ("worker", 2)]);
    let b = Bs::new()
        .single(2, "worker", 0)
        .single(4, "user", 1)
        .single(2, "user", 0)
        .done();
    let o = run(&r, &e, &letters(2), &b);
    assert_eq!(o.winners, names(&["A"]));
    assert_eq!(total(&o, 0), "2/3");
    assert_eq!(total(&o, 1), "1/3");
    let omov = run(&poll(), &e, &letters(2), &b);
    assert!(omov.tie);
}

#[test]
fn weighted_motion_two_thirds_exact() {
    // worker 1/3: 1 For. user 2/3: 1 For, 1 Against → For 1/3 + 1/3 = 2/3, Against 1/3.
    let r = with_policy(
        motion(Threshold::TwoThirds),
        weighted(&[("worker", "1/3"), ("user", "2/3")]),
    );
    let e = electorate(&[("user", 2), ("worker", 1)]);
    let b = Bs::new()
        .single(1, "worker", 0)
        .single(1, "user", 0)
        .single(1, "user", 1)
        .done();
    let o = run(&r, &e, &fa(), &b);
    assert_eq!(total(&o, 0), "2/3");
    assert_eq!(o.passed, Some(true));
}

#[test]
fn concurrent_motion_fails_in_a_class() {
    let r = with_policy(
        motion(Threshold::SimpleMajority),
        ClassPolicy::ConcurrentMajorities,
    );
    let e = electorate(&[("user", 10), ("worker", 3)]);
    let b = Bs::new()
        .single(1, "worker", 0)
        .single(2, "worker", 1)
        .single(9, "user", 0)
        .done();
    let o = run(&r, &e, &fa(), &b);
    assert_eq!(o.passed, Some(false));
    assert_eq!(
        o.reason,
        Some(Reason::FailedInClass {
            class: "worker".into()
        })
    );
    let b = Bs::new()
        .single(2, "worker", 0)
        .single(1, "worker", 1)
        .single(9, "user", 0)
        .done();
    assert_eq!(run(&r, &e, &fa(), &b).passed, Some(true));
}

#[test]
fn concurrent_poll_needs_the_same_winner_everywhere() {
    let r = with_policy(poll(), ClassPolicy::ConcurrentMajorities);
    let e = electorate(&[("user", 10), ("worker", 3)]);
    let b = Bs::new()
        .single(2, "worker", 0)
        .single(6, "user", 0)
        .single(3, "user", 1);
    let o = run(&r, &e, &letters(2), &b.done());
    assert_eq!(o.winners, names(&["A"]));
    assert_eq!(o.passed, None);
    let b = Bs::new()
        .single(2, "worker", 1)
        .single(6, "user", 0)
        .single(1, "user", 1);
    let o = run(&r, &e, &letters(2), &b.done());
    assert_eq!(o.winners, Vec::<String>::new());
    assert_eq!(
        o.reason,
        Some(Reason::FailedInClass {
            class: "worker".into()
        })
    );
    let worker = o.classes.iter().find(|c| c.class == "worker").unwrap();
    assert_eq!(worker.winners, names(&["B"]));
    // An overall tie is reported as a tie.
    let b = Bs::new().single(2, "worker", 1).single(2, "user", 0);
    let o = run(&r, &e, &letters(2), &b.done());
    assert_eq!(o.reason, Some(Reason::Tie));
    assert!(o.tie);
}
