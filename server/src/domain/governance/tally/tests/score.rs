//! Score voting: sums and means per option, highest total wins, ties, class policies.

use super::super::*;
use super::build::*;

fn score() -> Rules {
    rules(Method::Score)
}

#[test]
fn sums_and_means() {
    let b = Bs::new()
        .score(2, M, &[5, 3, 0])
        .score(1, M, &[1, 4, 5])
        .done();
    let o = run(&score(), &members(3), &letters(3), &b);
    assert_eq!(total(&o, 0), "11");
    assert_eq!(total(&o, 1), "10");
    assert_eq!(total(&o, 2), "5");
    assert_eq!(o.options[0].mean.as_ref().unwrap().exact, "11/3");
    assert_eq!(o.options[2].mean.as_ref().unwrap().exact, "5/3");
    assert_eq!(o.winners, names(&["A"]));
    assert_eq!(o.passed, None);
}

#[test]
fn equal_totals_tie() {
    let b = Bs::new().score(1, M, &[5, 0]).score(1, M, &[0, 5]).done();
    let o = run(&score(), &members(2), &letters(2), &b);
    assert!(o.tie);
    assert_eq!(o.tied, names(&["A", "B"]));
    assert_eq!(o.reason, Some(Reason::Tie));
}

#[test]
fn no_ballots_means_no_mean() {
    let o = run(&score(), &members(2), &letters(2), &[]);
    assert_eq!(o.options[0].mean, None);
    assert!(o.tie);
}

#[test]
fn weighted_score() {
    // worker 1/2 over 1 ballot: [0, 4] → A 0, B 4·1/2 = 2.
    // user 1/2 over 2 ballots: 2 × [5, 0] → A 10·1/4 = 5/2, B 0.
    let e = electorate(&[("user", 5), ("worker", 1)]);
    let r = with_policy(score(), weighted(&[("worker", "1/2"), ("user", "1/2")]));
    let b = Bs::new()
        .score(1, "worker", &[0, 4])
        .score(2, "user", &[5, 0])
        .done();
    let o = run(&r, &e, &letters(2), &b);
    assert_eq!(total(&o, 0), "5/2");
    assert_eq!(total(&o, 1), "2");
    // Weighted ballots: 1/2 + 2·1/4 = 1 → means equal totals (= Σ share × class mean).
    assert_eq!(o.options[0].mean.as_ref().unwrap().exact, "5/2");
    assert_eq!(o.winners, names(&["A"]));
}

#[test]
fn concurrent_score() {
    let e = electorate(&[("user", 5), ("worker", 2)]);
    let r = with_policy(score(), ClassPolicy::ConcurrentMajorities);
    let b = Bs::new()
        .score(2, "worker", &[4, 3])
        .score(3, "user", &[5, 1])
        .done();
    assert_eq!(run(&r, &e, &letters(2), &b).winners, names(&["A"]));
    let b = Bs::new()
        .score(2, "worker", &[1, 3])
        .score(3, "user", &[5, 1])
        .done();
    let o = run(&r, &e, &letters(2), &b);
    assert!(o.winners.is_empty());
    assert_eq!(
        o.reason,
        Some(Reason::FailedInClass {
            class: "worker".into()
        })
    );
}
