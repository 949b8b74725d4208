//! Ballots as Mastodon poll answers: one of our member's ballots as the `Note`s sent to a remote
//! community (one per chosen option, as Mastodon sends multiple choice), and a received `Note`
//! read back into a ballot.

use std::collections::BTreeMap;

use url::Url;

use crate::domain::governance::tally::{BallotChoice, ConsentChoice, Method};
use crate::domain::governance::Proposal;
use crate::federation::objects::question::option_names;
use crate::federation::protocol::objects::Vote;

/// Why a received vote cannot be read as a ballot on its proposal.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum VoteError {
    #[error("the proposal has no option {0:?}")]
    UnknownOption(String),
    #[error("a score ballot must carry coop:scores")]
    NoScores,
}

/// The `Note`s carrying one ballot. `ids` makes a fresh id for each.
pub fn notes(
    p: &Proposal,
    choice: &BallotChoice,
    voter: &Url,
    community: &Url,
    question: &Url,
    mut ids: impl FnMut() -> Url,
) -> Vec<Vote> {
    let names = option_names(p);
    let name = |i: usize| names.get(i).cloned().unwrap_or_default();
    let mut note = |option: String| {
        Vote::new(
            ids(),
            voter.clone(),
            question.clone(),
            community.clone(),
            option,
        )
    };
    match choice {
        BallotChoice::Consent(c) => vec![note(name(c.index()))],
        BallotChoice::Single(i) => vec![note(name(*i))],
        BallotChoice::Approval(list) => {
            let all: Vec<String> = list.iter().map(|&i| name(i)).collect();
            all.iter()
                .map(|option| {
                    let mut v = note(option.clone());
                    v.choices = Some(all.clone());
                    v
                })
                .collect()
        }
        BallotChoice::Ranked(list) => {
            let ranking: Vec<String> = list.iter().map(|&i| name(i)).collect();
            let mut v = note(ranking.first().cloned().unwrap_or_default());
            v.ranking = Some(ranking);
            vec![v]
        }
        BallotChoice::Score(scores) => {
            let best = (0..scores.len())
                .max_by_key(|&i| (scores[i], std::cmp::Reverse(i)))
                .unwrap_or(0);
            let mut v = note(name(best));
            v.scores = Some(
                scores
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (name(i), *s))
                    .collect::<BTreeMap<_, _>>(),
            );
            vec![v]
        }
    }
}

fn index(p: &Proposal, name: &str) -> Result<usize, VoteError> {
    p.option_index(name)
        .ok_or_else(|| VoteError::UnknownOption(name.chars().take(200).collect()))
}

/// Reads a received vote as a ballot on `p`. `previous` is the voter's current ballot: Mastodon
/// sends a multiple-choice answer as one `Note` per option without `coop:choices`, so those add
/// up; with `coop:choices` the whole ballot replaces the earlier one.
pub fn choice(
    p: &Proposal,
    v: &Vote,
    previous: Option<&BallotChoice>,
) -> Result<BallotChoice, VoteError> {
    let chosen = index(p, &v.name)?;
    let all = |names: &[String]| -> Result<Vec<usize>, VoteError> {
        names.iter().map(|n| index(p, n)).collect()
    };
    Ok(match p.voting.method {
        Method::Consent => BallotChoice::Consent(
            *ConsentChoice::ALL
                .get(chosen)
                .ok_or_else(|| VoteError::UnknownOption(v.name.clone()))?,
        ),
        Method::SingleChoice => BallotChoice::Single(chosen),
        Method::Approval => match (&v.choices, previous) {
            (Some(names), _) => BallotChoice::Approval(all(names)?),
            (None, Some(BallotChoice::Approval(before))) => {
                let mut set = before.clone();
                if !set.contains(&chosen) {
                    set.push(chosen);
                }
                BallotChoice::Approval(set)
            }
            (None, _) => BallotChoice::Approval(vec![chosen]),
        },
        Method::Ranked => match &v.ranking {
            Some(names) => BallotChoice::Ranked(all(names)?),
            None => BallotChoice::Ranked(vec![chosen]),
        },
        Method::Score => {
            let given = v.scores.as_ref().ok_or(VoteError::NoScores)?;
            let mut scores = vec![0u8; p.options.len()];
            for (name, score) in given {
                let i = index(p, name)?;
                if let Some(s) = scores.get_mut(i) {
                    *s = *score;
                }
            }
            BallotChoice::Score(scores)
        }
    })
}
