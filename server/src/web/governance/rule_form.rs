//! The rule-change form (every current rule as edited, and the rules to add) read into rule
//! operations on the current rules: repeals and amendments, a new order if positions changed,
//! then each addition at its place.

use std::collections::BTreeMap;

use commonhall_frontend::{NewRule, RuleEdit};

use super::input::{clean, invalid};
use crate::domain::governance::{GovernanceError, RuleOp, RulesVersion};

fn position(field: &str, s: Option<&str>, default: usize) -> Result<usize, GovernanceError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(p) => p
            .parse::<usize>()
            .ok()
            .filter(|p| *p >= 1)
            .ok_or_else(|| invalid(format!("{field}: a position is a number from 1."))),
    }
}

/// The operations that turn `current` into the rules as the form shows them.
///
/// Positions are places in the new list. A new rule takes the place it asks for (the next free
/// one when two ask for the same); new rules without a position go at the end; the current
/// rules fill the other places in the order of their positions (ties keep the current order).
pub fn rule_ops(
    current: &RulesVersion,
    edits: &BTreeMap<String, RuleEdit>,
    added: &BTreeMap<String, NewRule>,
) -> Result<Vec<RuleOp>, GovernanceError> {
    for id in edits.keys() {
        if !current.rules.iter().any(|r| r.id.to_string() == *id) {
            return Err(invalid(format!(
                "The rules changed while you were editing (rule id {id} is gone): reload the form."
            )));
        }
    }
    let mut ops = Vec::new();
    // (position asked for, current place, rule id) of the rules that stay.
    let mut kept: Vec<(usize, usize, i64)> = Vec::new();
    for (i, rule) in current.rules.iter().enumerate() {
        let Some(edit) = edits.get(&rule.id.to_string()) else {
            kept.push((i + 1, i, rule.id));
            continue;
        };
        if edit.repeal.is_some() {
            ops.push(RuleOp::Repeal { rule: rule.id });
            continue;
        }
        let title = clean(edit.title.as_deref().unwrap_or(&rule.title));
        let text = clean(edit.text.as_deref().unwrap_or(&rule.text));
        if title != clean(&rule.title) || text != clean(&rule.text) {
            ops.push(RuleOp::Amend {
                rule: rule.id,
                title,
                text,
            });
        }
        let label = format!("Rule {}", i + 1);
        kept.push((
            position(&label, edit.position.as_deref(), i + 1)?,
            i,
            rule.id,
        ));
    }
    // New rules in the order the form shows them (slot numbers, not their text order).
    let mut slots: Vec<(u64, &NewRule)> = Vec::new();
    for (slot, rule) in added {
        let n = slot
            .parse::<u64>()
            .map_err(|_| invalid("A new rule's slot is not a number: reload the form."))?;
        if !rule.is_empty() {
            slots.push((n, rule));
        }
    }
    slots.sort_by_key(|(n, _)| *n);
    let total = kept.len() + slots.len();
    let mut places: Vec<Option<&NewRule>> = vec![None; total];
    let mut at_end = Vec::new();
    for (k, (_, rule)) in slots.iter().enumerate() {
        let label = format!("New rule {}", k + 1);
        let Some(asked) = rule.position.as_deref().filter(|p| !p.trim().is_empty()) else {
            at_end.push(*rule);
            continue;
        };
        let asked = position(&label, Some(asked), total)?.min(total) - 1;
        // The place asked for, else the next free one after it, else the nearest before.
        let free = (asked..total)
            .chain((0..asked).rev())
            .find(|&at| places[at].is_none())
            .ok_or_else(|| invalid("Too many new rules for their places: reload the form."))?;
        places[free] = Some(rule);
    }
    // The rules without a position take the last free places, in the form's order.
    let free: Vec<usize> = (0..total).filter(|&at| places[at].is_none()).collect();
    for (rule, at) in at_end.iter().zip(free.iter().skip(kept.len())) {
        places[*at] = Some(rule);
    }
    let before: Vec<i64> = kept.iter().map(|k| k.2).collect();
    kept.sort_by_key(|&(asked, place, _)| (asked, place));
    let after: Vec<i64> = kept.iter().map(|k| k.2).collect();
    if after != before {
        ops.push(RuleOp::Reorder { order: after });
    }
    // In increasing place, each addition lands where the form put it.
    for (at, rule) in places.iter().enumerate() {
        let Some(rule) = rule else { continue };
        let title = clean(rule.title.as_deref().unwrap_or_default());
        if title.is_empty() {
            return Err(invalid(format!(
                "New rule at position {}: give it a title.",
                at + 1
            )));
        }
        ops.push(RuleOp::Add {
            title,
            text: clean(rule.text.as_deref().unwrap_or_default()),
            position: Some(at + 1),
        });
    }
    if ops.is_empty() {
        return Err(invalid(
            "Change at least one rule: edit a text, renumber, repeal, or add a rule.",
        ));
    }
    Ok(ops)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::governance::Rule;

    fn added(rules: &[(&str, &str, &str)]) -> BTreeMap<String, NewRule> {
        rules
            .iter()
            .enumerate()
            .map(|(i, (title, text, position))| {
                let rule = NewRule {
                    title: Some(title.to_string()),
                    text: Some(text.to_string()),
                    position: Some(position.to_string()),
                };
                (i.to_string(), rule)
            })
            .collect()
    }

    fn titles(ops: &[RuleOp]) -> Vec<String> {
        let (rules, _) = crate::domain::governance::rules::apply(&current().rules, 4, ops).unwrap();
        rules.into_iter().map(|r| r.title).collect()
    }

    fn current() -> RulesVersion {
        RulesVersion {
            community_id: 1,
            version: 1,
            rules: vec![
                Rule {
                    id: 1,
                    title: "A".into(),
                    text: "a".into(),
                },
                Rule {
                    id: 2,
                    title: "B".into(),
                    text: "b".into(),
                },
                Rule {
                    id: 3,
                    title: "C".into(),
                    text: "c".into(),
                },
            ],
            next_rule_id: 4,
            proposal_id: None,
            adopted_at: None,
        }
    }

    fn edit(title: &str, text: &str, pos: &str, repeal: bool) -> RuleEdit {
        RuleEdit {
            title: Some(title.into()),
            text: Some(text.into()),
            position: Some(pos.into()),
            repeal: repeal.then(|| "on".into()),
        }
    }

    #[test]
    fn the_form_becomes_operations() {
        let mut edits = BTreeMap::new();
        edits.insert("1".to_string(), edit("A", "a\r\n", "3", false));
        edits.insert("2".to_string(), edit("B", "b", "2", true));
        edits.insert("3".to_string(), edit("C", "c changed", "1", false));
        let ops = rule_ops(&current(), &edits, &added(&[("D", "d", "2")])).unwrap();
        assert_eq!(
            ops,
            vec![
                RuleOp::Repeal { rule: 2 },
                RuleOp::Amend {
                    rule: 3,
                    title: "C".into(),
                    text: "c changed".into()
                },
                RuleOp::Reorder { order: vec![3, 1] },
                RuleOp::Add {
                    title: "D".into(),
                    text: "d".into(),
                    position: Some(2)
                },
            ]
        );
        let (rules, _) =
            crate::domain::governance::rules::apply(&current().rules, 4, &ops).unwrap();
        let titles: Vec<&str> = rules.iter().map(|r| r.title.as_str()).collect();
        assert_eq!(titles, ["C", "D", "A"]);
    }

    #[test]
    fn an_untouched_form_is_refused() {
        let mut edits = BTreeMap::new();
        edits.insert("1".to_string(), edit("A", "a", "1", false));
        assert!(rule_ops(&current(), &edits, &added(&[("", "", "4")])).is_err());
        edits.insert("9".to_string(), edit("X", "x", "1", false));
        assert!(rule_ops(&current(), &edits, &added(&[("N", "n", "")])).is_err());
    }

    #[test]
    fn several_rules_are_added_each_at_its_place() {
        let none = BTreeMap::new();
        // First, between the second and third, and (no position) at the end.
        let ops = rule_ops(
            &current(),
            &none,
            &added(&[
                ("Z", "z", "1"),
                ("Y", "y", "3"),
                ("X", "x", ""),
                ("", "", "2"),
            ]),
        )
        .unwrap();
        assert_eq!(titles(&ops), ["Z", "A", "Y", "B", "C", "X"]);
        // Two asking for the same place: the later slot takes the next free one.
        let ops = rule_ops(
            &current(),
            &none,
            &added(&[("Z", "z", "2"), ("Y", "y", "2")]),
        )
        .unwrap();
        assert_eq!(titles(&ops), ["A", "Z", "Y", "B", "C"]);
        // Together with a repeal and a move: positions count in the new list.
        let mut edits = BTreeMap::new();
        edits.insert("1".to_string(), edit("A", "a", "1", true));
        edits.insert("3".to_string(), edit("C", "c", "1", false));
        let ops = rule_ops(
            &current(),
            &edits,
            &added(&[("N", "n", "2"), ("M", "m", "9")]),
        )
        .unwrap();
        assert_eq!(titles(&ops), ["C", "N", "B", "M"]);
        // Slots keep the form's order whatever their text order (slot 10 after slot 9).
        let mut slots = added(&[("P", "p", "")]);
        slots.insert("10".to_string(), slots["0"].clone());
        slots.get_mut("10").unwrap().title = Some("Q".into());
        slots.insert("9".to_string(), slots["0"].clone());
        slots.get_mut("9").unwrap().title = Some("R".into());
        let ops = rule_ops(&current(), &none, &slots).unwrap();
        assert_eq!(titles(&ops), ["A", "B", "C", "P", "R", "Q"]);
    }

    #[test]
    fn a_new_rule_needs_a_title_and_a_readable_position() {
        let none = BTreeMap::new();
        let e = rule_ops(&current(), &none, &added(&[("", "text only", "")])).unwrap_err();
        assert!(e.to_string().contains("give it a title"), "{e}");
        assert!(rule_ops(&current(), &none, &added(&[("T", "t", "first")])).is_err());
        let mut bad = added(&[("T", "t", "")]);
        bad.insert("x".into(), bad["0"].clone());
        assert!(rule_ops(&current(), &none, &bad).is_err());
    }
}
