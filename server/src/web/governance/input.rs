//! Reading what people type (the proposal form, a ballot, the settings form, and the same fields
//! in the JSON API) into the governance domain's types. Only parsing lives here; every rule
//! about what is allowed stays in `domain::governance`, which checks the result again.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use commonhall_frontend::{BallotInput, GovSettingsInput, ProposalInput};

use crate::domain::governance::settings::GovernanceSettings;
use crate::domain::governance::tally::{
    BallotChoice, ClassPolicy, ClassShare, ConsentChoice, Method, Quorum, Ratio, Threshold,
};
use crate::domain::governance::BallotKind;
use crate::domain::governance::{
    GovernanceError, Proposal, ProposalContent, ProposalForm, Proposers,
};

/// The longest reason a Block may give.
pub const MAX_REASON: usize = 2000;

pub(super) fn invalid(msg: impl Into<String>) -> GovernanceError {
    GovernanceError::Invalid(msg.into())
}

/// `YYYY-MM-DD HH:MM[:SS]` (or with a `T`, or RFC 3339), read as UTC; empty is `None`.
pub fn parse_time(field: &str, s: &str) -> Result<Option<NaiveDateTime>, GovernanceError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(Some(t.naive_utc()));
    }
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, format) {
            return Ok(Some(t));
        }
    }
    Err(invalid(format!(
        "{field}: write the time as YYYY-MM-DD HH:MM (UTC), e.g. 2027-01-31 18:00."
    )))
}

pub fn parse_method(s: &str) -> Result<Method, GovernanceError> {
    match s.trim() {
        "consent" => Ok(Method::Consent),
        "single_choice" | "single" => Ok(Method::SingleChoice),
        "approval" | "multiple_choice" | "multiple" => Ok(Method::Approval),
        "ranked" => Ok(Method::Ranked),
        "score" => Ok(Method::Score),
        other => Err(invalid(format!(
            "Voting method “{other}”: choose consent, single_choice, approval, ranked or score."
        ))),
    }
}

/// `50%`, `1/2`, `0.5` (a share of the eligible members) or `10 ballots` (a count); empty: none.
pub fn parse_quorum(s: &str) -> Result<Quorum, GovernanceError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(Quorum::default());
    }
    let count = ["ballots", "ballot", "votes", "vote"]
        .iter()
        .find_map(|unit| s.strip_suffix(unit));
    if let Some(n) = count {
        return n.trim().parse::<u64>().map(Quorum::Count).map_err(|_| {
            invalid(format!(
                "Quorum “{s}”: a whole number of ballots, e.g. 10 ballots."
            ))
        });
    }
    s.parse::<Ratio>()
        .map(Quorum::Share)
        .map_err(|e| invalid(format!("Quorum: {e}; or write a count such as 10 ballots.")))
}

/// Empty: the method's default.
pub fn parse_threshold(s: &str) -> Result<Option<Threshold>, GovernanceError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse::<Threshold>()
        .map(Some)
        .map_err(|e| invalid(format!("Threshold: {e}")))
}

pub fn parse_ballot_kind(s: &str) -> Result<BallotKind, GovernanceError> {
    BallotKind::parse(s.trim()).ok_or_else(|| invalid("Ballot: choose secret or roll_call."))
}

/// The class policy, with the shares of weighted classes (blank shares are left out).
pub fn parse_class_policy(
    s: &str,
    weights: &BTreeMap<String, String>,
) -> Result<ClassPolicy, GovernanceError> {
    match s.trim() {
        "" | "one_member_one_vote" => Ok(ClassPolicy::OneMemberOneVote),
        "concurrent_majorities" => Ok(ClassPolicy::ConcurrentMajorities),
        "weighted_classes" => {
            let mut shares = Vec::new();
            for (class, share) in weights {
                if share.trim().is_empty() {
                    continue;
                }
                let share = share.trim().parse::<Ratio>().map_err(|e| {
                    invalid(format!("Share of the {class} class: {e}"))
                })?;
                shares.push(ClassShare {
                    class: class.trim().to_string(),
                    share,
                });
            }
            if shares.is_empty() {
                return Err(invalid(
                    "Weighted classes: give each class its share (they must add up to 100%).",
                ));
            }
            Ok(ClassPolicy::WeightedClasses(shares))
        }
        other => Err(invalid(format!(
            "Class policy “{other}”: choose one_member_one_vote, weighted_classes or concurrent_majorities."
        ))),
    }
}

/// Founding rules written as Markdown: each rule starts with a `## Title` line and runs to the
/// next one.
pub fn founding_rules(text: &str) -> Result<Vec<(String, String)>, GovernanceError> {
    let mut rules: Vec<(String, String)> = Vec::new();
    for line in text.replace("\r\n", "\n").lines() {
        match (line.strip_prefix("## "), rules.last_mut()) {
            (Some(title), _) => rules.push((title.trim().to_string(), String::new())),
            (None, Some((_, body))) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) if line.trim().is_empty() => {}
            (None, None) => {
                return Err(invalid(
                    "Start each rule with a line “## Title”, then write its text below it.",
                ))
            }
        }
    }
    if rules.is_empty() {
        return Err(invalid(
            "Write at least one rule, starting with “## Title”.",
        ));
    }
    Ok(rules)
}

/// Poll options or election candidates: one a line, blank lines left out.
pub fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

pub fn parse_seats(s: &str) -> Result<u32, GovernanceError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(1);
    }
    s.parse::<u32>()
        .map_err(|_| invalid("Seats: a whole number, at least 1."))
}

/// Line ends as the domain stores them, for comparing edited text with the current text.
pub(super) fn clean(s: &str) -> String {
    s.replace("\r\n", "\n").trim().to_string()
}

/// The terms every kind shares, read from the form; `content` is the kind's own substance.
pub fn proposal_form(
    input: &ProposalInput,
    content: ProposalContent,
) -> Result<ProposalForm, GovernanceError> {
    Ok(ProposalForm {
        title: input.title.clone(),
        body: input.body.clone(),
        content,
        method: parse_method(&input.method)?,
        quorum: parse_quorum(&input.quorum)?,
        threshold: parse_threshold(&input.threshold)?,
        class_policy: parse_class_policy(&input.class_policy, &input.weights)?,
        ballot: parse_ballot_kind(&input.ballot)?,
        opens_at: parse_time("Opens", &input.opens_at)?,
        closes_at: parse_time("Closes", &input.closes_at)?
            .ok_or_else(|| invalid("Closes: say when the vote closes."))?,
    })
}

fn option_index(p: &Proposal, s: &str) -> Result<usize, GovernanceError> {
    s.trim()
        .parse::<usize>()
        .ok()
        .filter(|i| *i < p.options.len())
        .ok_or_else(|| invalid("That is not one of this proposal's options."))
}

/// A ballot from the form's fields, for the proposal's method. A Block needs a reason.
pub fn ballot_choice(p: &Proposal, input: &BallotInput) -> Result<BallotChoice, GovernanceError> {
    let choice = input
        .choice
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    match p.voting.method {
        Method::Consent => {
            let c = choice.ok_or_else(|| invalid("Choose agree, abstain, disagree or block."))?;
            let c = ConsentChoice::ALL
                .into_iter()
                .find(|x| x.name().eq_ignore_ascii_case(c))
                .ok_or_else(|| invalid("Choose agree, abstain, disagree or block."))?;
            if c == ConsentChoice::Block && block_reason(input)?.is_none() {
                return Err(invalid(
                    "A Block must give a reason: say what would have to change for you to stand aside.",
                ));
            }
            Ok(BallotChoice::Consent(c))
        }
        Method::SingleChoice => {
            let c = choice.ok_or_else(|| invalid("Choose one option."))?;
            Ok(BallotChoice::Single(option_index(p, c)?))
        }
        Method::Approval => Ok(BallotChoice::Approval(
            input
                .approved
                .iter()
                .map(|s| option_index(p, s))
                .collect::<Result<_, _>>()?,
        )),
        Method::Ranked => {
            let mut ranked: Vec<(u32, usize)> = Vec::new();
            for (option, rank) in &input.ranks {
                if rank.trim().is_empty() {
                    continue;
                }
                let i = option_index(p, option)?;
                let r = rank
                    .trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|r| *r >= 1)
                    .ok_or_else(|| invalid("A rank is a number from 1."))?;
                if ranked.iter().any(|(x, _)| *x == r) {
                    return Err(invalid(format!(
                        "Two options have rank {r}: give each option its own rank."
                    )));
                }
                ranked.push((r, i));
            }
            ranked.sort_unstable();
            Ok(BallotChoice::Ranked(
                ranked.into_iter().map(|(_, i)| i).collect(),
            ))
        }
        Method::Score => {
            let mut scores = Vec::with_capacity(p.options.len());
            for i in 0..p.options.len() {
                let s = input
                    .scores
                    .get(&i.to_string())
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .ok_or_else(|| invalid("Score every option from 0 to 5."))?;
                scores.push(
                    s.parse::<u8>()
                        .ok()
                        .filter(|s| *s <= 5)
                        .ok_or_else(|| invalid("A score is a whole number from 0 to 5."))?,
                );
            }
            if input.scores.keys().any(|k| option_index(p, k).is_err()) {
                return Err(invalid("That is not one of this proposal's options."));
            }
            Ok(BallotChoice::Score(scores))
        }
    }
}

/// The reason given with a ballot, trimmed; `None` when blank.
pub fn block_reason(input: &BallotInput) -> Result<Option<String>, GovernanceError> {
    let reason = input.reason.as_deref().map(clean).filter(|r| !r.is_empty());
    if reason
        .as_ref()
        .is_some_and(|r| r.chars().count() > MAX_REASON)
    {
        return Err(invalid(format!(
            "A reason is at most {MAX_REASON} characters."
        )));
    }
    Ok(reason)
}

/// The settings form: who may propose, the extension limit in hours, withdrawal on leaving.
pub fn settings(input: &GovSettingsInput) -> Result<GovernanceSettings, GovernanceError> {
    let proposers = match input.proposers.trim() {
        "any" | "any_member" => Proposers::AnyMember,
        "only" => Proposers::Only {
            classes: input.classes.clone(),
            roles: input.roles.clone(),
        },
        other => {
            return Err(invalid(format!(
                "Who may propose “{other}”: choose any or only."
            )))
        }
    };
    let hours = input.max_extension_hours.trim();
    let max_extension_seconds = if !input.allow_extension {
        0
    } else {
        let h = hours
            .parse::<f64>()
            .ok()
            .filter(|h| h.is_finite() && *h > 0.0)
            .ok_or_else(|| invalid("Longest extension: a number of hours above 0."))?;
        (h * 3600.0).round().min(i64::MAX as f64) as i64
    };
    Ok(GovernanceSettings {
        proposers,
        allow_extension: input.allow_extension,
        max_extension_seconds,
        withdraw_on_leave: input.withdraw_on_leave,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn founding_rules_split_at_titles() {
        let rules = founding_rules("## A\r\nfirst\n\n## B\nsecond\nmore").unwrap();
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[1], ("B".to_string(), "second\nmore\n".to_string()));
        assert!(founding_rules("no title").is_err());
        assert!(founding_rules("  ").is_err());
    }

    #[test]
    fn quorums_and_times_read_as_people_write_them() {
        assert_eq!(parse_quorum("10 ballots").unwrap(), Quorum::Count(10));
        assert_eq!(parse_quorum("50%").unwrap(), Quorum::Share(Ratio::HALF));
        assert!(parse_quorum("lots").is_err());
        assert!(parse_time("Closes", "2027-01-31 18:00").unwrap().is_some());
        assert!(parse_time("Closes", "tomorrow").is_err());
        assert!(parse_class_policy("weighted_classes", &BTreeMap::new()).is_err());
    }
}
