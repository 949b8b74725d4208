//! Class bookkeeping: turnout per class, exact weights on a common denominator, overflow.

use super::super::classes::ClassTable;
use super::super::*;
use super::build::*;

fn table(names: &[&str], eligible: &[u64], ballots: &[u64]) -> ClassTable {
    ClassTable {
        names: opts(names),
        eligible: eligible.to_vec(),
        ballots: ballots.to_vec(),
        of_ballot: Vec::new(),
        total_eligible: eligible.iter().fold(0u64, |a, &b| a.saturating_add(b)),
        total_ballots: ballots.iter().fold(0u64, |a, &b| a.saturating_add(b)),
    }
}

#[test]
fn weights_share_a_common_denominator() {
    // a: 1/3 over 2 ballots → 1/6; b: 2/3 over 4 ballots → 1/6; c: 0 over 5 → 0.
    let t = table(&["a", "b", "c"], &[5, 5, 5], &[2, 4, 5]);
    let w = t
        .weights(&weighted(&[("a", "1/3"), ("b", "2/3"), ("c", "0")]))
        .unwrap();
    assert_eq!(w.den, 6);
    assert_eq!(w.per_class, vec![1, 1, 0]);
    // a: 1/2 over 3 → 1/6; b: 1/2 over 4 → 1/8 → den 24, weights 4 and 3.
    let t = table(&["a", "b"], &[5, 5], &[3, 4]);
    let w = t.weights(&weighted(&[("a", "1/2"), ("b", "1/2")])).unwrap();
    assert_eq!((w.den, w.per_class.clone()), (24, vec![4, 3]));
    assert_eq!(w.totals(&[vec![3, 0], vec![1, 3]], 2).unwrap(), vec![15, 9]);
    assert_eq!(w.sum(&[3, 4]).unwrap(), 24);
}

#[test]
fn one_member_one_vote_weights_are_one() {
    let t = table(&["a", "b"], &[5, 5], &[3, 4]);
    for p in [
        ClassPolicy::OneMemberOneVote,
        ClassPolicy::ConcurrentMajorities,
    ] {
        let w = t.weights(&p).unwrap();
        assert_eq!((w.den, w.per_class), (1, vec![1, 1]));
    }
}

#[test]
fn weights_overflow_is_a_typed_error() {
    // lcm(2·p, 2·q) for two primes close to 2^64 needs ~129 bits.
    let (p, q) = (18446744073709551557u64, 18446744073709551533u64);
    let t = table(&["a", "b"], &[u64::MAX, u64::MAX], &[p, q]);
    let r = t.weights(&weighted(&[("a", "1/2"), ("b", "1/2")]));
    assert!(matches!(r, Err(TallyError::Overflow)));
}

#[test]
fn per_class_turnout_and_quorum() {
    let t = table(&["a", "b", "c"], &[10, 4, 0], &[5, 1, 0]);
    let q = Quorum::Share(Ratio::HALF);
    assert!(!t.quorum_met(&q)); // 6/14
    assert_eq!(t.class_quorum_met(&q, 0), Some(true));
    assert_eq!(t.class_quorum_met(&q, 1), Some(false));
    assert_eq!(t.class_quorum_met(&q, 2), None);
    let turnout = t.turnout(&q);
    assert_eq!(turnout.ballots, 6);
    assert_eq!(turnout.eligible, 14);
    assert_eq!(turnout.share.unwrap().exact, "3/7");
    assert_eq!(turnout.by_class["a"].share.as_ref().unwrap().exact, "1/2");
    assert_eq!(turnout.by_class["c"].share, None);
}

#[test]
fn equal_shares_and_equal_turnout_equal_one_member_one_vote() {
    // Two classes of 6 members, 4 ballots each: every ballot weighs 1/8 → same decision as 1m1v.
    let e = electorate(&[("user", 6), ("worker", 6)]);
    let b = Bs::new()
        .agree(3, "worker")
        .disagree(1, "worker")
        .agree(1, "user")
        .disagree(3, "user")
        .done();
    let consent = rules(Method::Consent);
    let w = with_policy(
        consent.clone(),
        weighted(&[("worker", "1/2"), ("user", "1/2")]),
    );
    let (a, b) = (run(&consent, &e, &[], &b), run(&w, &e, &[], &b));
    assert_eq!(a.passed, b.passed);
    assert_eq!(a.reason, b.reason);
    assert_eq!(total(&b, 0), "1/2");
    assert_eq!(total(&a, 0), "4");
}
