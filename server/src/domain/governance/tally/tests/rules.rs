//! Validation: rules at proposal creation, ballots when cast, and errors raised by `tally`.

use super::super::*;
use super::build::*;

#[test]
fn valid_rules_pass() {
    rules(Method::Consent).validate(&[]).unwrap();
    rules(Method::SingleChoice).validate(&letters(2)).unwrap();
    with_seats(rules(Method::Approval), 2)
        .validate(&letters(3))
        .unwrap();
    with_seats(rules(Method::Ranked), 3)
        .validate(&letters(4))
        .unwrap();
    rules(Method::Score).validate(&letters(2)).unwrap();
    with_threshold(rules(Method::SingleChoice), Threshold::TwoThirds)
        .validate(&opts(&["For", "Against", "Abstain"]))
        .unwrap();
}

#[test]
fn option_lists_are_checked() {
    assert_eq!(
        rules(Method::Ranked).validate(&letters(1)),
        Err(RulesError::TooFewOptions {
            method: Method::Ranked,
            min: 2,
            got: 1
        })
    );
    assert!(matches!(
        rules(Method::SingleChoice).validate(&[]),
        Err(RulesError::TooFewOptions { .. })
    ));
    assert_eq!(
        rules(Method::Score).validate(&opts(&["A", " a "])),
        Err(RulesError::DuplicateOption(" a ".into()))
    );
    assert_eq!(
        rules(Method::Approval).validate(&opts(&["A", "  "])),
        Err(RulesError::BlankOption { index: 1 })
    );
    let many: Vec<String> = (0..=MAX_OPTIONS).map(|i| i.to_string()).collect();
    assert!(matches!(
        rules(Method::Ranked).validate(&many),
        Err(RulesError::TooManyOptions { .. })
    ));
}

#[test]
fn seats_are_checked() {
    assert_eq!(
        with_seats(rules(Method::Ranked), 0).validate(&letters(3)),
        Err(RulesError::SeatsZero)
    );
    assert_eq!(
        with_seats(rules(Method::Approval), 3).validate(&letters(3)),
        Err(RulesError::SeatsNotFewerThanCandidates {
            seats: 3,
            candidates: 3
        })
    );
    assert_eq!(
        with_seats(rules(Method::Score), 2).validate(&letters(3)),
        Err(RulesError::SeatsNotApplicable {
            method: Method::Score,
            seats: 2
        })
    );
    assert!(with_seats(rules(Method::Consent), 0).validate(&[]).is_err());
}

#[test]
fn thresholds_are_checked() {
    assert_eq!(
        with_threshold(rules(Method::Ranked), Threshold::SimpleMajority).validate(&letters(3)),
        Err(RulesError::ThresholdNotApplicable {
            method: Method::Ranked
        })
    );
    assert_eq!(
        with_threshold(rules(Method::Consent), Threshold::Fraction(Ratio::ZERO)).validate(&[]),
        Err(RulesError::ThresholdZero)
    );
    let zero_consent = Threshold::Consent {
        min_agree: Some(Ratio::ZERO),
    };
    assert_eq!(
        with_threshold(rules(Method::Consent), zero_consent).validate(&[]),
        Err(RulesError::ThresholdZero)
    );
    assert_eq!(
        with_threshold(
            rules(Method::SingleChoice),
            Threshold::Consent { min_agree: None }
        )
        .validate(&opts(&["For", "Against"])),
        Err(RulesError::ConsentThresholdOnOtherMethod {
            method: Method::SingleChoice
        })
    );
    for bad in [
        &["For", "Maybe"][..],
        &["For", "Against", "Later"],
        &["For", "For"],
        &["Yes", "No"],
    ] {
        let r = with_threshold(rules(Method::SingleChoice), Threshold::SimpleMajority);
        assert!(
            matches!(
                r.validate(&opts(bad)),
                Err(RulesError::MotionOptions(_)) | Err(RulesError::DuplicateOption(_))
            ),
            "{bad:?}"
        );
    }
}

#[test]
fn weighted_shares_must_sum_to_exactly_one() {
    let r = |shares: &[(&str, &str)]| with_policy(rules(Method::Consent), weighted(shares));
    r(&[("worker", "1/3"), ("user", "2/3")])
        .validate(&[])
        .unwrap();
    r(&[("a", "0.2"), ("b", "0.3"), ("c", "1/2")])
        .validate(&[])
        .unwrap();
    assert_eq!(
        r(&[("worker", "1/3"), ("user", "0.666")]).validate(&[]),
        Err(RulesError::ShareSumNot1 {
            sum: "1499/1500".into()
        })
    );
    assert_eq!(
        r(&[("worker", "1/2"), ("user", "2/3")]).validate(&[]),
        Err(RulesError::ShareSumNot1 { sum: "7/6".into() })
    );
    assert_eq!(
        r(&[]).validate(&[]),
        Err(RulesError::ShareSumNot1 { sum: "0".into() })
    );
    assert_eq!(
        r(&[("worker", "1/2"), ("worker", "1/2")]).validate(&[]),
        Err(RulesError::DuplicateClass("worker".into()))
    );
    assert_eq!(r(&[("", "1")]).validate(&[]), Err(RulesError::BlankClass));
    // Negative shares cannot even be written.
    assert!("-1/2".parse::<Ratio>().is_err());
}

#[test]
fn weighted_shares_must_match_the_electorate() {
    let r = with_policy(
        rules(Method::Consent),
        weighted(&[("worker", "1/2"), ("user", "1/2")]),
    );
    r.validate_for(&[], &electorate(&[("worker", 3), ("user", 4)]))
        .unwrap();
    // A class with zero members may have a share.
    r.validate_for(&[], &electorate(&[("worker", 3), ("user", 0)]))
        .unwrap();
    assert_eq!(
        r.validate_for(&[], &electorate(&[("worker", 3)])),
        Err(RulesError::UnknownClass("user".into()))
    );
    assert_eq!(
        r.validate_for(
            &[],
            &electorate(&[("worker", 3), ("user", 4), ("supporter", 2)])
        ),
        Err(RulesError::ClassWithoutShare("supporter".into()))
    );
    // A class without members needs no share.
    r.validate_for(
        &[],
        &electorate(&[("worker", 3), ("user", 4), ("supporter", 0)]),
    )
    .unwrap();
}

#[test]
fn concurrent_majorities_refused_for_elections() {
    for m in [Method::Approval, Method::Ranked] {
        let r = with_policy(rules(m), ClassPolicy::ConcurrentMajorities);
        assert_eq!(
            r.validate(&letters(3)),
            Err(RulesError::ConcurrentNotSupported { method: m })
        );
    }
    for m in [Method::SingleChoice, Method::Score] {
        with_policy(rules(m), ClassPolicy::ConcurrentMajorities)
            .validate(&letters(3))
            .unwrap();
    }
}

#[test]
fn electorate_refuses_duplicates() {
    assert_eq!(
        Electorate::from_counts([("a", 1), ("a", 2)]),
        Err(RulesError::DuplicateClass("a".into()))
    );
    assert_eq!(
        Electorate::from_counts([(" ", 1)]),
        Err(RulesError::BlankClass)
    );
    let e = electorate(&[("a", 2), ("b", 3)]);
    assert_eq!(e.total(), 5);
    assert_eq!(e.eligible("b"), Some(3));
    assert_eq!(e.eligible("c"), None);
}

// ---- ballots ------------------------------------------------------------------------------

#[test]
fn ballot_validation() {
    use BallotChoice::*;
    let ranked = rules(Method::Ranked);
    let abc = letters(3);
    validate_ballot(&ranked, &abc, &Ranked(vec![2, 0])).unwrap();
    validate_ballot(&ranked, &abc, &Ranked(vec![])).unwrap();
    assert_eq!(
        validate_ballot(&ranked, &abc, &Ranked(vec![0, 3])),
        Err(BallotError::UnknownOption {
            index: 3,
            options: 3
        })
    );
    assert_eq!(
        validate_ballot(&ranked, &abc, &Ranked(vec![1, 0, 1])),
        Err(BallotError::DuplicateOption { index: 1 })
    );
    assert_eq!(
        validate_ballot(&ranked, &abc, &Consent(ConsentChoice::Agree)),
        Err(BallotError::WrongKind {
            expected: Method::Ranked,
            got: Method::Consent
        })
    );
    let approval = rules(Method::Approval);
    validate_ballot(&approval, &abc, &Approval(vec![])).unwrap();
    assert_eq!(
        validate_ballot(&approval, &abc, &Approval(vec![2, 2])),
        Err(BallotError::DuplicateOption { index: 2 })
    );
    let single = rules(Method::SingleChoice);
    assert!(validate_ballot(&single, &abc, &Single(3)).is_err());
    assert!(validate_ballot(&single, &abc, &Ranked(vec![0])).is_err());
    let score = rules(Method::Score);
    validate_ballot(&score, &abc, &Score(vec![0, 5, 3])).unwrap();
    assert_eq!(
        validate_ballot(&score, &abc, &Score(vec![0, 6, 3])),
        Err(BallotError::ScoreOutOfRange {
            index: 1,
            score: 6,
            max: 5
        })
    );
    assert_eq!(
        validate_ballot(&score, &abc, &Score(vec![1, 2])),
        Err(BallotError::ScoreLength {
            expected: 3,
            got: 2
        })
    );
    let consent = rules(Method::Consent);
    validate_ballot(&consent, &[], &Consent(ConsentChoice::Block)).unwrap();
    assert!(validate_ballot(&consent, &[], &Single(0)).is_err());
}

// ---- tally errors -------------------------------------------------------------------------

#[test]
fn tally_refuses_unknown_classes_and_bad_ballots() {
    let e = electorate(&[("worker", 3)]);
    let b = Bs::new().agree(1, "worker").agree(1, "stranger").done();
    assert_eq!(
        tally(&rules(Method::Consent), &e, &[], &b),
        Err(TallyError::UnknownClass {
            index: 1,
            class: "stranger".into()
        })
    );
    let b = Bs::new()
        .rank(1, "worker", &[0])
        .rank(1, "worker", &[0, 0])
        .done();
    assert_eq!(
        tally(&rules(Method::Ranked), &e, &letters(2), &b),
        Err(TallyError::Ballot {
            index: 1,
            error: BallotError::DuplicateOption { index: 0 }
        })
    );
    let b = Bs::new().agree(4, "worker").done();
    assert_eq!(
        tally(&rules(Method::Consent), &e, &[], &b),
        Err(TallyError::TooManyBallots {
            class: "worker".into(),
            ballots: 4,
            eligible: 3
        })
    );
    let bad = with_policy(rules(Method::Consent), weighted(&[("worker", "1/2")]));
    assert_eq!(
        tally(&bad, &e, &[], &[]),
        Err(TallyError::Rules(RulesError::ShareSumNot1 {
            sum: "1/2".into()
        }))
    );
    // Errors read well.
    let msg = TallyError::Rules(RulesError::ShareSumNot1 { sum: "1/2".into() }).to_string();
    assert_eq!(msg, "invalid rules: class shares add up to 1/2, not 1");
}

#[test]
fn share_sums_with_huge_denominators_are_exact() {
    // 1/p + (p-1)/p with p close to 2^64 is exactly 1; off by 1/p is refused.
    let p = 18446744073709551557u64; // largest prime below 2^64
    let r = |a: u64, b: u64| {
        let policy = ClassPolicy::WeightedClasses(vec![
            ClassShare {
                class: "a".into(),
                share: Ratio::new(a, p).unwrap(),
            },
            ClassShare {
                class: "b".into(),
                share: Ratio::new(b, p).unwrap(),
            },
        ]);
        with_policy(rules(Method::Consent), policy)
    };
    r(1, p - 1).validate(&[]).unwrap();
    assert!(matches!(
        r(1, p - 2).validate(&[]),
        Err(RulesError::ShareSumNot1 { .. })
    ));
}
