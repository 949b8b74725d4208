//! Proposals and ballots on the wire: a proposal's `coop:proposal` read back into the same voting
//! rules, ballots as Notes read back into the same ballot, and the exact JSON Mastodon sends for
//! a poll vote read as a ballot.

use chrono::NaiveDate;
use serde_json::json;
use url::Url;

use super::ballot::{choice, notes, VoteError};
use super::question::{coop_proposal, option_names, remote_proposal};
use crate::domain::governance::proposals::{BallotKind, Proposal, ProposalKind, Status};
use crate::domain::governance::tally::{
    BallotChoice, ClassPolicy, ClassShare, ConsentChoice, Electorate, Method, Quorum, Ratio, Rules,
    Threshold,
};
use crate::domain::governance::RuleOp;
use crate::federation::protocol::objects::{PollOption, Question};
use crate::federation::protocol::InboxActivity;

const GROUP: &str = "https://music.example/c/music";
const QUESTION: &str = "https://music.example/c/music/proposals/7";

fn u(s: &str) -> Url {
    Url::parse(s).expect("test URL")
}

fn proposal(kind: ProposalKind, voting: Rules, options: &[&str]) -> Proposal {
    let t = NaiveDate::from_ymd_opt(2026, 11, 1)
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .expect("date");
    Proposal {
        id: 7,
        ap_id: QUESTION.into(),
        community_id: 1,
        author_id: None,
        local: true,
        kind,
        title: "Add rule 4".into(),
        body_markdown: String::new(),
        body_html: "<p>Why</p>".into(),
        rule_changes: Vec::new(),
        base_rules_version: None,
        candidates: Vec::new(),
        options: options.iter().map(|o| o.to_string()).collect(),
        voting,
        ballot: BallotKind::Secret,
        withdraw_on_leave: false,
        max_extension_seconds: 0,
        opens_at: t,
        closes_at: t + chrono::Duration::days(7),
        original_closes_at: t + chrono::Duration::days(7),
        status: Status::Open,
        electorate: Some(Electorate::single("worker", 3)),
        closed_at: None,
        result: None,
        passed: None,
        result_rules_version: None,
        close_note: None,
        created_at: t,
    }
}

fn rules(method: Method) -> Rules {
    Rules {
        method,
        quorum: Quorum::default(),
        threshold: None,
        class_policy: ClassPolicy::OneMemberOneVote,
        seats: 1,
    }
}

/// The `Question` a peer receives, as far as this test needs it.
fn as_question(p: &Proposal) -> Question {
    let mut q = Question::new(
        u(&p.ap_id),
        u(GROUP),
        u(&format!("{GROUP}/followers")),
        p.title.clone(),
    );
    let options = option_names(p)
        .into_iter()
        .map(|n| PollOption::new(n, 0))
        .collect();
    if p.voting.method == Method::Approval {
        q.any_of = Some(options);
    } else {
        q.one_of = Some(options);
    }
    q.end_time = Some(chrono::DateTime::from_naive_utc_and_offset(
        p.closes_at,
        chrono::Utc,
    ));
    q.proposal = Some(coop_proposal(p));
    q
}

#[test]
fn voting_rules_survive_the_wire() {
    let mut weighted = rules(Method::Consent);
    weighted.quorum = Quorum::Share(Ratio::new(1, 2).expect("ratio"));
    weighted.threshold = Some(Threshold::Consent {
        min_agree: Some(Ratio::new(3, 4).expect("ratio")),
    });
    weighted.class_policy = ClassPolicy::WeightedClasses(vec![
        ClassShare {
            class: "worker".into(),
            share: Ratio::new(2, 5).expect("ratio"),
        },
        ClassShare {
            class: "user".into(),
            share: Ratio::new(3, 5).expect("ratio"),
        },
    ]);
    let mut ranked = rules(Method::Ranked);
    ranked.quorum = Quorum::Count(4);
    ranked.seats = 2;
    let mut motion = rules(Method::SingleChoice);
    motion.threshold = Some(Threshold::TwoThirds);
    motion.class_policy = ClassPolicy::ConcurrentMajorities;
    let mut change = proposal(ProposalKind::RuleChange, weighted, &[]);
    change.rule_changes = vec![RuleOp::Amend {
        rule: 3,
        title: "Tickets".into(),
        text: "At face value.".into(),
    }];
    change.base_rules_version = Some(2);
    change.ballot = BallotKind::RollCall;
    let cases = [
        change,
        proposal(ProposalKind::Election, ranked, &["ann", "bob", "cleo"]),
        proposal(
            ProposalKind::Decision,
            motion,
            &["For", "Against", "Abstain"],
        ),
        proposal(ProposalKind::Poll, rules(Method::Approval), &["Mon", "Tue"]),
        proposal(ProposalKind::Poll, rules(Method::Score), &["Mon", "Tue"]),
    ];
    for p in cases {
        let q = as_question(&p);
        let wire = serde_json::to_value(&q).expect("serialise");
        let back: Question = serde_json::from_value(wire).expect("parse");
        let r = remote_proposal(&back, 9).expect("readable");
        assert_eq!(r.voting, p.voting, "{:?}", p.kind);
        assert_eq!(r.kind, p.kind);
        assert_eq!(
            r.options,
            if p.voting.method == Method::Consent {
                vec![]
            } else {
                p.options.clone()
            }
        );
        assert_eq!(r.ballot, p.ballot);
        assert_eq!(r.rule_changes, p.rule_changes);
        assert_eq!(r.base_rules_version, p.base_rules_version);
        assert_eq!(r.electorate, p.electorate);
        assert_eq!(r.closes_at, p.closes_at);
        assert_eq!(r.community_id, 9);
    }
}

#[test]
fn a_question_says_how_it_is_decided() {
    let p = proposal(ProposalKind::RuleChange, rules(Method::Consent), &[]);
    let q = serde_json::to_value(as_question(&p)).expect("serialise");
    let names: Vec<&str> = q["oneOf"]
        .as_array()
        .expect("oneOf")
        .iter()
        .filter_map(|o| o["name"].as_str())
        .collect();
    assert_eq!(names, ["Agree", "Abstain", "Disagree", "Block"]);
    assert_eq!(q["coop:proposal"]["kind"], "rule_change");
    assert_eq!(q["coop:proposal"]["method"], "consent");
    assert_eq!(q["coop:proposal"]["classPolicy"], "one_member_one_vote");
    assert_eq!(q["coop:proposal"]["ballot"], "secret");
    assert_eq!(q["coop:proposal"]["eligibleCount"], 3);
    let approval = proposal(ProposalKind::Poll, rules(Method::Approval), &["a", "b"]);
    let q = serde_json::to_value(as_question(&approval)).expect("serialise");
    assert!(q.get("oneOf").is_none() && q["anyOf"].is_array());
}

#[test]
fn an_unreadable_proposal_is_refused() {
    let p = proposal(ProposalKind::Poll, rules(Method::SingleChoice), &["a", "b"]);
    let mut q = as_question(&p);
    q.end_time = None;
    assert!(remote_proposal(&q, 1).is_err(), "no end time");
    let mut q = as_question(&p);
    if let Some(coop) = q.proposal.as_mut() {
        coop.method = Some("lottery".into());
    }
    assert!(remote_proposal(&q, 1).is_err(), "unknown method");
    let mut q = as_question(&p);
    if let Some(coop) = q.proposal.as_mut() {
        coop.kind = "amend_rules".into();
    }
    assert_eq!(
        remote_proposal(&q, 1).map(|r| r.kind).ok(),
        Some(ProposalKind::RuleChange)
    );
}

fn ids() -> impl FnMut() -> Url {
    let mut n = 0;
    move || {
        n += 1;
        u(&format!("https://a.example/activities/vote/x/{n}"))
    }
}

/// Sends `ballot` as Notes and reads them back, one after the other, as the community would.
fn round_trip(p: &Proposal, ballot: &BallotChoice) -> BallotChoice {
    let sent = notes(
        p,
        ballot,
        &u("https://a.example/u/ann"),
        &u(GROUP),
        &u(QUESTION),
        ids(),
    );
    let mut current: Option<BallotChoice> = None;
    for note in &sent {
        let json = serde_json::to_value(note).expect("serialise");
        let back = serde_json::from_value(json).expect("parse");
        current = Some(choice(p, &back, current.as_ref()).expect("readable"));
    }
    current.expect("at least one note")
}

#[test]
fn ballots_survive_the_wire() {
    let consent = proposal(ProposalKind::Decision, rules(Method::Consent), &[]);
    let poll = proposal(
        ProposalKind::Poll,
        rules(Method::SingleChoice),
        &["Mon", "Tue", "Wed"],
    );
    let approval = proposal(
        ProposalKind::Poll,
        rules(Method::Approval),
        &["Mon", "Tue", "Wed"],
    );
    let ranked = proposal(
        ProposalKind::Poll,
        rules(Method::Ranked),
        &["Mon", "Tue", "Wed"],
    );
    let score = proposal(
        ProposalKind::Poll,
        rules(Method::Score),
        &["Mon", "Tue", "Wed"],
    );
    for (p, b) in [
        (&consent, BallotChoice::Consent(ConsentChoice::Block)),
        (&poll, BallotChoice::Single(2)),
        (&approval, BallotChoice::Approval(vec![0, 2])),
        (&ranked, BallotChoice::Ranked(vec![2, 0, 1])),
        (&score, BallotChoice::Score(vec![1, 5, 0])),
    ] {
        assert_eq!(round_trip(p, &b), b);
    }
    // Multiple choice goes as one Note per option, each carrying the whole ballot.
    let sent = notes(
        &approval,
        &BallotChoice::Approval(vec![0, 2]),
        &u("https://a.example/u/ann"),
        &u(GROUP),
        &u(QUESTION),
        ids(),
    );
    assert_eq!(sent.len(), 2);
    assert_ne!(sent[0].id, sent[1].id);
    assert_eq!(
        sent[1].choices,
        Some(vec!["Mon".to_owned(), "Wed".to_owned()])
    );
    // A changed multiple-choice ballot replaces the earlier one.
    let before = BallotChoice::Approval(vec![0, 1, 2]);
    let changed = notes(
        &approval,
        &BallotChoice::Approval(vec![1]),
        &u("https://a.example/u/ann"),
        &u(GROUP),
        &u(QUESTION),
        ids(),
    );
    assert_eq!(
        choice(&approval, &changed[0], Some(&before)),
        Ok(BallotChoice::Approval(vec![1]))
    );
}

/// What Mastodon's `ActivityPub::VoteSerializer` sends for an answer to a poll: a `Create` with
/// a bare-string `to`, a `Note` with only a `name`, and ids under the voter's `#votes/`.
fn mastodon_vote(option: &str, n: u32) -> serde_json::Value {
    json!({
        "@context": [
            "https://www.w3.org/ns/activitystreams",
            "https://w3id.org/security/v1"
        ],
        "id": format!("https://mastodon.example/users/bob#votes/{n}/activity"),
        "type": "Create",
        "actor": "https://mastodon.example/users/bob",
        "to": GROUP,
        "object": {
            "id": format!("https://mastodon.example/users/bob#votes/{n}"),
            "type": "Note",
            "name": option,
            "attributedTo": "https://mastodon.example/users/bob",
            "inReplyTo": QUESTION,
            "to": GROUP
        }
    })
}

fn read_vote(value: &serde_json::Value) -> crate::federation::protocol::objects::Vote {
    match InboxActivity::from_value(value) {
        Ok(InboxActivity::CreateVote(c)) => c.object,
        other => panic!("not a vote: {other:?}"),
    }
}

#[test]
fn a_mastodon_poll_answer_is_a_ballot() {
    let consent = proposal(ProposalKind::Decision, rules(Method::Consent), &[]);
    let v = read_vote(&mastodon_vote("Agree", 1));
    assert_eq!(
        choice(&consent, &v, None),
        Ok(BallotChoice::Consent(ConsentChoice::Agree))
    );
    // Mastodon's multiple choice: one Create per option, adding up.
    let approval = proposal(
        ProposalKind::Poll,
        rules(Method::Approval),
        &["Mon", "Tue", "Wed"],
    );
    let first = choice(&approval, &read_vote(&mastodon_vote("Wed", 2)), None).expect("first");
    let both = choice(
        &approval,
        &read_vote(&mastodon_vote("Mon", 3)),
        Some(&first),
    )
    .expect("second");
    assert_eq!(both, BallotChoice::Approval(vec![2, 0]));
    // A ranked proposal answered from Mastodon: a first preference only.
    let ranked = proposal(
        ProposalKind::Poll,
        rules(Method::Ranked),
        &["Mon", "Tue", "Wed"],
    );
    assert_eq!(
        choice(&ranked, &read_vote(&mastodon_vote("tue", 4)), None),
        Ok(BallotChoice::Ranked(vec![1]))
    );
    // What cannot be read.
    assert_eq!(
        choice(&consent, &read_vote(&mastodon_vote("Maybe", 5)), None),
        Err(VoteError::UnknownOption("Maybe".into()))
    );
    let score = proposal(ProposalKind::Poll, rules(Method::Score), &["Mon", "Tue"]);
    assert_eq!(
        choice(&score, &read_vote(&mastodon_vote("Mon", 6)), None),
        Err(VoteError::NoScores)
    );
}
