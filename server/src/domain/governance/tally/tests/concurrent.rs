//! Concurrent majorities on consent: every class with members must pass, per-class quorum.

use super::super::*;
use super::build::*;

fn two_classes() -> Electorate {
    electorate(&[("user", 40), ("worker", 5)])
}

fn no_options() -> Vec<String> {
    Vec::new()
}

fn concurrent() -> Rules {
    with_policy(rules(Method::Consent), ClassPolicy::ConcurrentMajorities)
}

#[test]
fn concurrent_passes_when_every_class_passes() {
    let b = Bs::new()
        .agree(2, "worker")
        .disagree(1, "worker")
        .agree(21, "user")
        .done();
    let o = run(&concurrent(), &two_classes(), &no_options(), &b);
    assert_eq!(o.passed, Some(true));
    assert_eq!(o.classes.len(), 2);
    assert!(o.classes.iter().all(|c| c.passed == Some(true)));
    assert_eq!(total(&o, 0), "23");
}

#[test]
fn concurrent_fails_in_one_class() {
    // Overall 22 agree vs 19 disagree would pass, but the workers reject it.
    let b = Bs::new()
        .agree(1, "worker")
        .disagree(2, "worker")
        .agree(21, "user")
        .disagree(17, "user");
    let o = run(&concurrent(), &two_classes(), &no_options(), &b.done());
    assert_eq!(o.passed, Some(false));
    assert_eq!(
        o.reason,
        Some(Reason::FailedInClass {
            class: "worker".into()
        })
    );
    let worker = o.classes.iter().find(|c| c.class == "worker").unwrap();
    assert_eq!(worker.reason, Some(Reason::ThresholdNotMet));
    let user = o.classes.iter().find(|c| c.class == "user").unwrap();
    assert_eq!(user.passed, Some(true));
}

#[test]
fn concurrent_skips_classes_without_members() {
    let e = electorate(&[("supporter", 0), ("user", 3), ("worker", 2)]);
    let b = Bs::new().agree(1, "worker").agree(2, "user").done();
    let o = run(&concurrent(), &e, &no_options(), &b);
    assert_eq!(o.passed, Some(true));
    assert_eq!(o.classes.len(), 2);
    assert_eq!(o.turnout.by_class["supporter"].quorum_met, None);
}

#[test]
fn concurrent_class_that_did_not_vote_fails() {
    let b = Bs::new().agree(3, "user").done();
    let o = run(&concurrent(), &two_classes(), &no_options(), &b);
    assert_eq!(
        o.reason,
        Some(Reason::FailedInClass {
            class: "worker".into()
        })
    );
}

#[test]
fn concurrent_quorum_is_per_class_too() {
    // Quorum 1/2: overall 24/45 is met, but only 1 of 5 workers voted.
    let r = with_quorum(concurrent(), Quorum::Share(Ratio::HALF));
    let b = Bs::new().agree(1, "worker").agree(23, "user").done();
    let o = run(&r, &two_classes(), &no_options(), &b);
    assert!(!o.quorum_met);
    assert!(o.turnout.by_class["user"].quorum_met.unwrap());
    assert!(!o.turnout.by_class["worker"].quorum_met.unwrap());
    assert_eq!(o.passed, Some(false));
    assert_eq!(
        o.reason,
        Some(Reason::FailedInClass {
            class: "worker".into()
        })
    );
    let worker = o.classes.iter().find(|c| c.class == "worker").unwrap();
    assert_eq!(worker.reason, Some(Reason::QuorumNotMet));
    // Overall quorum missed: reported as such.
    let b = Bs::new().agree(3, "worker").agree(10, "user").done();
    let o = run(&r, &two_classes(), &no_options(), &b);
    assert_eq!(o.reason, Some(Reason::QuorumNotMet));
}

#[test]
fn concurrent_count_quorum_is_converted_to_each_class() {
    // Count 9 of 45 = 1/5 of each class: workers need 1 of 5, users 8 of 40.
    let r = with_quorum(concurrent(), Quorum::Count(9));
    let b = Bs::new().agree(1, "worker").agree(8, "user").done();
    assert_eq!(
        run(&r, &two_classes(), &no_options(), &b).passed,
        Some(true)
    );
    let b = Bs::new().agree(2, "worker").agree(7, "user").done();
    let o = run(&r, &two_classes(), &no_options(), &b);
    assert!(!o.quorum_met);
    assert_eq!(
        o.reason,
        Some(Reason::FailedInClass {
            class: "user".into()
        })
    );
}

#[test]
fn concurrent_block_reports_blocked() {
    let b = Bs::new()
        .agree(4, "worker")
        .agree(20, "user")
        .block(1, "user")
        .done();
    let o = run(&concurrent(), &two_classes(), &no_options(), &b);
    assert_eq!(o.reason, Some(Reason::Blocked { count: 1 }));
    let user = o.classes.iter().find(|c| c.class == "user").unwrap();
    assert_eq!(user.reason, Some(Reason::Blocked { count: 1 }));
}
