//! Governance scenes for the benches: many remote members of a community (inserted straight
//! into the store) and an open ranked roll-call poll they are eligible to vote on.

use commonhall::domain::governance::proposals::{
    self, BallotKind, Proposal, ProposalContent, ProposalForm,
};
use commonhall::domain::governance::tally::{ClassPolicy, Method, Quorum};
use commonhall::store;
use commonhall_tests::governance::crowd;
use commonhall_tests::TestInstance;

use super::ballots::{self, CANDIDATES};

/// The stakeholder classes of [`super::community`], members spread over them in turn.
pub const CLASSES: [&str; 3] = ["worker", "user", "supporter"];

/// `n` remote people `http://{host}/u/m{k}`, active members of `community` spread over
/// [`CLASSES`], all with the public key of actor `key_of`. Returns their actor ids, in order.
pub async fn members(
    i: &TestInstance,
    community: i64,
    key_of: i64,
    host: &str,
    n: usize,
) -> Vec<i64> {
    crowd::members(i, community, key_of, host, n, &CLASSES).await
}

/// Opens a ranked roll-call poll of [`CANDIDATES`] in `community` by `author` (an actor id),
/// closing in an hour: its electorate is every active member now.
pub async fn ranked_poll(i: &TestInstance, community: i64, author: i64) -> Proposal {
    let (publisher, instance) = (i.state.publisher.clone(), i.state.instance.clone());
    let form = ProposalForm {
        title: "Who should chair the harvest council?".into(),
        body: "Rank the candidates you would back.".into(),
        content: ProposalContent::Poll {
            options: ballots::names(&CANDIDATES),
            seats: 1,
        },
        method: Method::Ranked,
        quorum: Quorum::default(),
        threshold: None,
        class_policy: ClassPolicy::OneMemberOneVote,
        ballot: BallotKind::RollCall,
        opens_at: None,
        closes_at: store::now() + chrono::Duration::hours(1),
    };
    i.db(move |c| {
        proposals::create(c, &*publisher, &instance, community, author, &form).expect("proposal")
    })
    .await
}

/// How many ballots a proposal has.
pub async fn ballot_count(i: &TestInstance, proposal: i64) -> i64 {
    i.db(move |c| store::ballots::count(c, proposal).expect("count ballots"))
        .await
}
