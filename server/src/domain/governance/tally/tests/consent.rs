//! Consent: block veto, threshold base without abstentions, quorum edges, every class policy.

use super::super::*;
use super::build::*;

fn consent() -> Rules {
    rules(Method::Consent)
}

fn no_options() -> Vec<String> {
    Vec::new()
}

#[test]
fn majority_of_agree_passes() {
    let b = Bs::new().agree(3, M).disagree(2, M).done();
    let o = run(&consent(), &members(5), &no_options(), &b);
    assert_eq!(o.passed, Some(true));
    assert_eq!(o.reason, None);
    assert!(o.quorum_met);
    assert_eq!(o.winners, Vec::<String>::new());
    let labels: Vec<_> = o.options.iter().map(|x| x.option.as_str()).collect();
    assert_eq!(labels, ["agree", "abstain", "disagree", "block"]);
    assert_eq!(total(&o, 0), "3");
    assert_eq!(total(&o, 2), "2");
}

#[test]
fn a_single_block_among_many_agrees_fails() {
    let b = Bs::new().agree(99, M).block(1, M).done();
    let o = run(&consent(), &members(100), &no_options(), &b);
    assert_eq!(o.passed, Some(false));
    assert_eq!(o.reason, Some(Reason::Blocked { count: 1 }));
}

#[test]
fn blocks_are_counted() {
    let b = Bs::new().agree(5, M).block(3, M).done();
    let o = run(&consent(), &members(8), &no_options(), &b);
    assert_eq!(o.reason, Some(Reason::Blocked { count: 3 }));
    assert_eq!(total(&o, 3), "3");
}

#[test]
fn exactly_half_agree_fails_the_default_threshold() {
    let b = Bs::new().agree(2, M).disagree(2, M).done();
    let o = run(&consent(), &members(4), &no_options(), &b);
    assert_eq!(o.passed, Some(false));
    assert_eq!(o.reason, Some(Reason::ThresholdNotMet));
}

#[test]
fn abstentions_are_not_in_the_threshold_base() {
    // 1 agree, 5 abstain, 0 disagree: 1/1 of the decided votes agree.
    let b = Bs::new().agree(1, M).abstain(5, M).done();
    let o = run(&consent(), &members(6), &no_options(), &b);
    assert_eq!(o.passed, Some(true));
    // 2 agree, 1 disagree, 10 abstain: 2/3 > 1/2.
    let b = Bs::new().agree(2, M).disagree(1, M).abstain(10, M).done();
    assert_eq!(
        run(&consent(), &members(13), &no_options(), &b).passed,
        Some(true)
    );
}

#[test]
fn all_abstain_fails_the_threshold() {
    let b = Bs::new().abstain(7, M).done();
    let o = run(&consent(), &members(7), &no_options(), &b);
    assert!(o.quorum_met);
    assert_eq!(o.passed, Some(false));
    assert_eq!(o.reason, Some(Reason::ThresholdNotMet));
}

#[test]
fn abstentions_count_toward_quorum() {
    let r = with_quorum(consent(), Quorum::Share(Ratio::HALF));
    let b = Bs::new().agree(1, M).abstain(4, M).done();
    let o = run(&r, &members(10), &no_options(), &b);
    assert!(o.quorum_met);
    assert_eq!(o.passed, Some(true));
    assert_eq!(o.turnout.ballots, 5);
    assert_eq!(o.turnout.share.as_ref().unwrap().exact, "1/2");
}

#[test]
fn quorum_share_is_inclusive() {
    let r = with_quorum(consent(), Quorum::Share(Ratio::HALF));
    let five = Bs::new().agree(5, M).done();
    assert!(run(&r, &members(10), &no_options(), &five).quorum_met);
    let four = Bs::new().agree(4, M).done();
    let o = run(&r, &members(10), &no_options(), &four);
    assert!(!o.quorum_met);
    assert_eq!(o.passed, Some(false));
    assert_eq!(o.reason, Some(Reason::QuorumNotMet));
    // Totals are still reported when the quorum fails.
    assert_eq!(total(&o, 0), "4");
}

#[test]
fn quorum_count() {
    let r = with_quorum(consent(), Quorum::Count(3));
    let three = Bs::new().agree(3, M).done();
    assert_eq!(
        run(&r, &members(50), &no_options(), &three).passed,
        Some(true)
    );
    let two = Bs::new().agree(2, M).done();
    let o = run(&r, &members(50), &no_options(), &two);
    assert_eq!(o.reason, Some(Reason::QuorumNotMet));
}

#[test]
fn quorum_two_thirds_exact() {
    let r = with_quorum(consent(), Quorum::Share(ratio("2/3")));
    assert!(
        run(
            &r,
            &members(9),
            &no_options(),
            &Bs::new().agree(6, M).done()
        )
        .quorum_met
    );
    assert!(
        !run(
            &r,
            &members(9),
            &no_options(),
            &Bs::new().agree(5, M).done()
        )
        .quorum_met
    );
}

#[test]
fn zero_turnout() {
    let r = with_quorum(consent(), Quorum::Share(ratio("0.1")));
    let o = run(&r, &members(10), &no_options(), &[]);
    assert!(!o.quorum_met);
    assert_eq!(o.reason, Some(Reason::QuorumNotMet));
    assert_eq!(o.turnout.share.as_ref().unwrap().exact, "0");
    // Without a quorum, nobody voting still fails: nobody agreed.
    let o = run(&consent(), &members(10), &no_options(), &[]);
    assert!(o.quorum_met);
    assert_eq!(o.reason, Some(Reason::ThresholdNotMet));
}

#[test]
fn zero_eligible_never_meets_quorum() {
    let o = run(&consent(), &Electorate::new(), &no_options(), &[]);
    assert!(!o.quorum_met);
    assert_eq!(o.passed, Some(false));
    assert_eq!(o.reason, Some(Reason::QuorumNotMet));
    assert_eq!(o.turnout.share, None);
    let o = run(&consent(), &members(0), &no_options(), &[]);
    assert!(!o.quorum_met);
    assert_eq!(o.turnout.by_class[M].quorum_met, None);
}

#[test]
fn quorum_failure_takes_precedence_over_block() {
    let r = with_quorum(consent(), Quorum::Share(Ratio::HALF));
    let b = Bs::new().block(1, M).done();
    let o = run(&r, &members(10), &no_options(), &b);
    assert_eq!(o.reason, Some(Reason::QuorumNotMet));
}

#[test]
fn custom_consent_fraction_is_inclusive() {
    let r = with_threshold(consent(), "consent:3/4".parse().unwrap());
    let b = Bs::new().agree(3, M).disagree(1, M).done();
    assert_eq!(run(&r, &members(4), &no_options(), &b).passed, Some(true));
    let b = Bs::new().agree(2, M).disagree(1, M).done();
    let o = run(&r, &members(3), &no_options(), &b);
    assert_eq!(o.reason, Some(Reason::ThresholdNotMet));
    let b = Bs::new().agree(30, M).disagree(1, M).block(1, M).done();
    let o = run(&r, &members(32), &no_options(), &b);
    assert_eq!(o.reason, Some(Reason::Blocked { count: 1 }));
}

#[test]
fn other_thresholds_on_consent_still_honour_blocks() {
    let two_thirds = with_threshold(consent(), Threshold::TwoThirds);
    let b = Bs::new().agree(2, M).disagree(1, M).done();
    assert_eq!(
        run(&two_thirds, &members(3), &no_options(), &b).passed,
        Some(true)
    );
    let b = Bs::new().agree(2, M).disagree(1, M).block(1, M).done();
    assert_eq!(
        run(&two_thirds, &members(4), &no_options(), &b).reason,
        Some(Reason::Blocked { count: 1 })
    );
    let simple = with_threshold(consent(), Threshold::SimpleMajority);
    let b = Bs::new().agree(3, M).disagree(3, M).done();
    assert_eq!(
        run(&simple, &members(6), &no_options(), &b).passed,
        Some(false)
    );
    let frac = with_threshold(consent(), Threshold::Fraction(ratio("3/5")));
    let b = Bs::new().agree(3, M).disagree(2, M).done();
    assert_eq!(
        run(&frac, &members(5), &no_options(), &b).passed,
        Some(true)
    );
}

#[test]
fn options_are_ignored_for_consent() {
    let b = Bs::new().agree(1, M).done();
    let o = run(&consent(), &members(1), &opts(&["whatever"]), &b);
    assert_eq!(o.passed, Some(true));
}

// ---- weighted classes -------------------------------------------------------------------

fn two_classes() -> Electorate {
    electorate(&[("user", 40), ("worker", 5)])
}

#[test]
fn weighted_classes_scale_each_class_to_its_share() {
    // worker (1/2): 2 agree. user (1/2): 4 agree, 6 disagree.
    // agree = 1/2·2/2 + 1/2·4/10 = 7/10, disagree = 1/2·6/10 = 3/10 → passes.
    let r = with_policy(consent(), weighted(&[("worker", "1/2"), ("user", "1/2")]));
    let b = Bs::new()
        .agree(2, "worker")
        .agree(4, "user")
        .disagree(6, "user")
        .done();
    let o = run(&r, &two_classes(), &no_options(), &b);
    assert_eq!(o.passed, Some(true));
    assert_eq!(total(&o, 0), "7/10");
    assert_eq!(total(&o, 2), "3/10");
    assert_eq!(o.options[0].by_class["worker"].raw, 2);
    assert_eq!(o.options[0].by_class["worker"].weighted.exact, "1/2");
    assert_eq!(o.options[0].by_class["user"].weighted.exact, "1/5");
    assert!((o.options[0].total.approx - 0.7).abs() < 1e-12);
    // The same ballots one member one vote: 6 agree vs 6 disagree fails.
    let omov = run(&consent(), &two_classes(), &no_options(), &b);
    assert_eq!(omov.passed, Some(false));
}

#[test]
fn weighted_abstentions_hold_part_of_their_class_share() {
    // worker (1/2): 5 agree + 5 abstain → agree 1/4. user (1/2): 10 disagree → 1/2.
    // 1/4 vs 1/2 → 1/3 agree: fails (same as one member one vote with equal turnout).
    let r = with_policy(consent(), weighted(&[("worker", "1/2"), ("user", "1/2")]));
    let e = electorate(&[("user", 10), ("worker", 10)]);
    let b = Bs::new()
        .agree(5, "worker")
        .abstain(5, "worker")
        .disagree(10, "user")
        .done();
    let o = run(&r, &e, &no_options(), &b);
    assert_eq!(total(&o, 0), "1/4");
    assert_eq!(total(&o, 1), "1/4");
    assert_eq!(o.passed, Some(false));
}

#[test]
fn weighted_class_without_ballots_contributes_nothing_and_is_not_renormalised() {
    let r = with_policy(consent(), weighted(&[("worker", "1/3"), ("user", "2/3")]));
    let b = Bs::new().agree(2, "worker").disagree(1, "worker").done();
    let o = run(&r, &two_classes(), &no_options(), &b);
    assert_eq!(total(&o, 0), "2/9");
    assert_eq!(total(&o, 2), "1/9");
    assert_eq!(o.passed, Some(true));
}

#[test]
fn weighted_block_in_a_tiny_class_still_blocks() {
    let r = with_policy(
        consent(),
        weighted(&[("worker", "1/100"), ("user", "99/100")]),
    );
    let b = Bs::new().block(1, "worker").agree(40, "user").done();
    let o = run(&r, &two_classes(), &no_options(), &b);
    assert_eq!(o.reason, Some(Reason::Blocked { count: 1 }));
}

#[test]
fn weighted_zero_share_class_is_advisory() {
    let r = with_policy(consent(), weighted(&[("worker", "1"), ("user", "0")]));
    let b = Bs::new().agree(1, "worker").disagree(30, "user").done();
    let o = run(&r, &two_classes(), &no_options(), &b);
    assert_eq!(o.passed, Some(true));
    assert_eq!(total(&o, 2), "0");
    assert_eq!(o.turnout.ballots, 31);
}

#[test]
fn weighted_exact_half_fails_simple_majority() {
    // worker (1/3): 1 agree → 1/3; user (2/3): 1 agree 3 disagree → 1/6 agree, 1/2 disagree.
    // agree 1/2 vs disagree 1/2: exactly half → fails.
    let r = with_policy(consent(), weighted(&[("worker", "1/3"), ("user", "2/3")]));
    let b = Bs::new()
        .agree(1, "worker")
        .agree(1, "user")
        .disagree(3, "user")
        .done();
    let o = run(&r, &two_classes(), &no_options(), &b);
    assert_eq!(total(&o, 0), "1/2");
    assert_eq!(total(&o, 2), "1/2");
    assert_eq!(o.reason, Some(Reason::ThresholdNotMet));
}
