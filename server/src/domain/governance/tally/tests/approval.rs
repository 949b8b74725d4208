//! Approval: counts per option, top `seats` win, ties at the cut reported, class weighting.

use super::super::*;
use super::build::*;

fn approval(seats: u32) -> Rules {
    with_seats(rules(Method::Approval), seats)
}

#[test]
fn counts_approvals_and_picks_the_top_seats() {
    let b = Bs::new()
        .approve(3, M, &[0, 1])
        .approve(2, M, &[1, 2])
        .approve(1, M, &[3])
        .done();
    let o = run(&approval(2), &members(6), &letters(4), &b);
    assert_eq!(total(&o, 0), "3");
    assert_eq!(total(&o, 1), "5");
    assert_eq!(total(&o, 2), "2");
    assert_eq!(total(&o, 3), "1");
    assert_eq!(o.winners, names(&["B", "A"]));
    assert!(!o.tie);
    assert_eq!(o.passed, None);
}

#[test]
fn tie_at_the_cut_is_reported() {
    // A 5, B 3, C 3, D 1 with 2 seats: A wins, B and C tie for the second seat.
    let b = Bs::new()
        .approve(3, M, &[0, 1, 2])
        .approve(2, M, &[0])
        .approve(1, M, &[3])
        .done();
    let o = run(&approval(2), &members(6), &letters(4), &b);
    assert_eq!(o.winners, names(&["A"]));
    assert!(o.tie);
    assert_eq!(o.tied, names(&["B", "C"]));
    assert_eq!(o.reason, Some(Reason::Tie));
}

#[test]
fn tie_above_the_cut_is_no_tie() {
    // A 3, B 3, C 1 with 2 seats: A and B both win.
    let b = Bs::new().approve(3, M, &[0, 1]).approve(1, M, &[2]).done();
    let o = run(&approval(2), &members(4), &letters(3), &b);
    assert_eq!(o.winners, names(&["A", "B"]));
    assert!(!o.tie);
}

#[test]
fn empty_approvals_count_for_turnout_only() {
    let r = with_quorum(approval(1), Quorum::Share(Ratio::HALF));
    let b = Bs::new().approve(1, M, &[0]).approve(1, M, &[]).done();
    let o = run(&r, &members(4), &letters(2), &b);
    assert!(o.quorum_met);
    assert_eq!(o.winners, names(&["A"]));
    assert_eq!(total(&o, 0), "1");
}

#[test]
fn weighted_approval() {
    // worker 1/2 (1 ballot approving B), user 1/2 (4 ballots approving A).
    // A = 1/2, B = 1/2 → tie for one seat; with worker 3/5 B wins.
    let e = electorate(&[("user", 4), ("worker", 1)]);
    let b = Bs::new()
        .approve(1, "worker", &[1])
        .approve(4, "user", &[0])
        .done();
    let r = with_policy(approval(1), weighted(&[("worker", "1/2"), ("user", "1/2")]));
    let o = run(&r, &e, &letters(3), &b);
    assert!(o.tie);
    assert_eq!(o.tied, names(&["A", "B"]));
    let r = with_policy(approval(1), weighted(&[("worker", "3/5"), ("user", "2/5")]));
    let o = run(&r, &e, &letters(3), &b);
    assert_eq!(o.winners, names(&["B"]));
    assert_eq!(total(&o, 1), "3/5");
    assert_eq!(o.options[0].by_class["user"].raw, 4);
}

#[test]
fn approval_quorum_not_met() {
    let r = with_quorum(approval(1), Quorum::Count(3));
    let b = Bs::new().approve(2, M, &[0]).done();
    let o = run(&r, &members(5), &letters(2), &b);
    assert_eq!(o.reason, Some(Reason::QuorumNotMet));
    assert!(o.winners.is_empty());
}
