//! Rule changes applied, checked and diffed.

use super::*;

fn r(id: i64, t: &str) -> Rule {
    Rule {
        id,
        title: t.into(),
        text: format!("{t} text"),
    }
}

#[test]
fn operations_apply_in_order_with_stable_ids() {
    let rules = vec![r(1, "A"), r(2, "B"), r(3, "C")];
    let (out, next) = apply(
        &rules,
        4,
        &[
            RuleOp::Add {
                title: "D".into(),
                text: "D text".into(),
                position: Some(1),
            },
            RuleOp::Repeal { rule: 2 },
            RuleOp::Amend {
                rule: 3,
                title: "C2".into(),
                text: "new".into(),
            },
            RuleOp::Reorder {
                order: vec![1, 3, 4],
            },
        ],
    )
    .unwrap();
    assert_eq!(next, 5);
    let ids: Vec<i64> = out.iter().map(|r| r.id).collect();
    assert_eq!(ids, vec![1, 3, 4]);
    assert_eq!(out[1].title, "C2");
}

#[test]
fn bad_operations_are_refused() {
    let rules = vec![r(1, "A")];
    assert_eq!(apply(&rules, 2, &[]), Err(RuleChangeError::Empty));
    assert_eq!(
        apply(&rules, 2, &[RuleOp::Repeal { rule: 9 }]),
        Err(RuleChangeError::UnknownRule(9))
    );
    assert_eq!(
        apply(&rules, 2, &[RuleOp::Reorder { order: vec![1, 1] }]),
        Err(RuleChangeError::Reorder)
    );
    assert_eq!(
        apply(
            &rules,
            2,
            &[RuleOp::Add {
                title: "x".into(),
                text: "y".into(),
                position: Some(3)
            }]
        ),
        Err(RuleChangeError::Position {
            position: 3,
            max: 2
        })
    );
    assert_eq!(
        apply(&rules, 2, &[RuleOp::Reorder { order: vec![1] }]),
        Err(RuleChangeError::NoChange)
    );
    assert_eq!(
        apply(
            &rules,
            2,
            &[RuleOp::Amend {
                rule: 1,
                title: " ".into(),
                text: "y".into()
            }]
        ),
        Err(RuleChangeError::Title)
    );
}

#[test]
fn diff_marks_added_and_removed_lines() {
    let old = vec![r(1, "A"), r(2, "B")];
    let new = vec![
        r(1, "A"),
        Rule {
            id: 2,
            title: "B".into(),
            text: "changed".into(),
        },
    ];
    let d = diff(&old, &new, "v1", "v2");
    assert_eq!((d.added, d.removed), (1, 1));
    assert!(d.unified.contains("-B text"), "{}", d.unified);
    assert!(d.unified.contains("+changed"), "{}", d.unified);
    assert!(d
        .lines
        .iter()
        .any(|l| l.tag == DiffTag::Same && l.text == "## A"));
}

#[test]
fn a_change_to_an_amended_rule_conflicts() {
    let base = vec![r(1, "A")];
    let current = vec![Rule {
        id: 1,
        title: "A".into(),
        text: "other".into(),
    }];
    let ops = [RuleOp::Repeal { rule: 1 }];
    assert_eq!(
        check_unchanged_since(&base, &current, &ops),
        Err(RuleChangeError::ChangedSince("A".into()))
    );
    assert_eq!(check_unchanged_since(&base, &base, &ops), Ok(()));
}
