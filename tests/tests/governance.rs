//! Governance on a running instance, on SQLite and PostgreSQL: proposals of every kind and the
//! ones refused, voting and its refusals, secret and roll-call ballots, receipts, the close job
//! (on time, exactly once, after a restart), rule changes applying themselves, elections
//! changing moderators, and what leaving does to a ballot.

use std::time::Duration;

use chrono::NaiveDateTime;
use commonhall::domain::accounts::{self, CreatedBy, Registration};
use commonhall::domain::communities::membership::{self, JoinRequest};
use commonhall::domain::communities::{self, CommunityForm};
use commonhall::domain::events::Publisher;
use commonhall::domain::governance::ballots::{self, Cast};
use commonhall::domain::governance::close;
use commonhall::domain::governance::proposals::{
    self, BallotKind, ProposalContent, ProposalForm, Status,
};
use commonhall::domain::governance::rules::{self, DiffTag, RuleOp};
use commonhall::domain::governance::settings::{self, GovernanceSettings, Proposers};
use commonhall::domain::governance::tally::{
    BallotChoice, BallotError, ClassPolicy, ClassShare, ConsentChoice, Method, Quorum, Reason,
    RulesError,
};
use commonhall::domain::governance::{receipts, Checked, GovernanceError, Proposal, ReceiptCheck};
use commonhall::domain::Instance;
use commonhall::state::AppState;
use commonhall::store::{self, DbConn};
use commonhall_tests::instance::PgDatabase;
use commonhall_tests::network::eventually;
use commonhall_tests::{on_both_backends, Db, TestInstance};
use diesel::prelude::*;

/// Database work with the instance's identity and publisher, as the web layer does it.
#[derive(Clone)]
struct Ctx {
    pool: store::Pool,
    instance: Instance,
    publisher: std::sync::Arc<dyn Publisher>,
}

impl Ctx {
    fn of(state: &AppState) -> Ctx {
        Ctx {
            pool: state.pool.clone(),
            instance: state.instance.clone(),
            publisher: state.publisher.clone(),
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut DbConn, &Ctx) -> T + Send + 'static,
    ) -> T {
        let ctx = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = ctx.pool.get().expect("connection");
            f(&mut conn, &ctx)
        })
        .await
        .expect("database task")
    }

    /// A local user; returns their actor id.
    async fn user(&self, name: &str) -> i64 {
        let name = name.to_string();
        self.run(move |c, ctx| {
            let reg = Registration {
                username: name,
                password: "tomato soup at noon".into(),
                display_name: None,
                application: None,
            };
            accounts::register(
                c,
                &ctx.instance,
                &reg,
                CreatedBy::Admin { make_admin: false },
            )
            .expect("user")
            .actor_id
        })
        .await
    }

    /// An open community with the classes worker, user, supporter, owned by a new user.
    /// Returns (community id, owner actor id).
    async fn community(&self, name: &str) -> (i64, i64) {
        let owner_name = format!("{name}_owner");
        let name = name.to_string();
        self.run(move |c, ctx| {
            let reg = Registration {
                username: owner_name,
                password: "tomato soup at noon".into(),
                display_name: None,
                application: None,
            };
            let u = accounts::register(
                c,
                &ctx.instance,
                &reg,
                CreatedBy::Admin { make_admin: true },
            )
            .expect("owner");
            let form = CommunityForm {
                name,
                title: "Our co-op".into(),
                description: String::new(),
                join_policy: "open".into(),
                classes: "worker, user, supporter".into(),
            };
            let community =
                communities::create(c, &ctx.instance, u.id, u.actor_id, &form).expect("community");
            (community.id, u.actor_id)
        })
        .await
    }

    async fn join(&self, community: i64, person: i64, class: &str) {
        let class = class.to_string();
        self.run(move |c, ctx| {
            let req = JoinRequest {
                class: Some(class),
                ..JoinRequest::default()
            };
            membership::request_join(c, &*ctx.publisher, community, person, &req).expect("join");
        })
        .await
    }

    async fn leave(&self, community: i64, person: i64) {
        self.run(move |c, ctx| {
            membership::leave(c, &*ctx.publisher, community, person).expect("leave")
        })
        .await
    }

    async fn propose(
        &self,
        community: i64,
        author: i64,
        form: ProposalForm,
    ) -> Result<Proposal, GovernanceError> {
        self.run(move |c, ctx| {
            proposals::create(c, &*ctx.publisher, &ctx.instance, community, author, &form)
        })
        .await
    }

    async fn vote(
        &self,
        proposal: i64,
        voter: i64,
        choice: BallotChoice,
    ) -> Result<Cast, GovernanceError> {
        self.run(move |c, _| ballots::cast(c, proposal, voter, &choice, None))
            .await
    }

    async fn receipt(&self, proposal: i64, voter: i64, choice: BallotChoice) -> String {
        match self.vote(proposal, voter, choice).await.expect("vote") {
            Cast::Counted { receipt, .. } => receipt,
            Cast::Unchanged => panic!("expected a counted ballot"),
        }
    }

    /// What a receipt check on this instance answers.
    async fn check(&self, proposal: i64, receipt: &str) -> Result<ReceiptCheck, GovernanceError> {
        let receipt = receipt.to_owned();
        self.run(move |c, _| match receipts::check(c, proposal, &receipt)? {
            Checked::Done(r) => Ok(r),
            Checked::Missing(list) => panic!("a local count lacks receipts: {list:?}"),
        })
        .await
    }

    /// Whether the closed proposal's published count took in the ballot with this receipt.
    async fn counted(&self, proposal: i64, receipt: &str) -> bool {
        let r = self.check(proposal, receipt).await.expect("receipt check");
        assert!(r.is_final, "the count is final");
        r.counted
    }

    async fn proposal(&self, id: i64) -> Proposal {
        self.run(move |c, _| proposals::get(c, id).expect("proposal"))
            .await
    }

    async fn proposal_count(&self) -> i64 {
        self.run(|c, _| {
            store::schema::proposals::table
                .count()
                .get_result::<i64>(c)
                .expect("count")
        })
        .await
    }

    async fn role(&self, community: i64, person: i64) -> String {
        self.run(move |c, _| {
            store::memberships::find(c, community, person)
                .expect("membership")
                .expect("member")
                .role
        })
        .await
    }

    /// Waits until the close job has closed the proposal.
    async fn closed(&self, id: i64) -> Proposal {
        let ctx = self.clone();
        eventually(30, "the close job closes the proposal", || {
            let ctx = ctx.clone();
            async move {
                let p = ctx.proposal(id).await;
                (p.status == Status::Closed).then_some(p)
            }
        })
        .await
    }
}

fn in_secs(s: i64) -> NaiveDateTime {
    store::now() + chrono::Duration::seconds(s)
}

fn form(title: &str, content: ProposalContent, method: Method) -> ProposalForm {
    ProposalForm {
        title: title.into(),
        body: "Why this matters.".into(),
        content,
        method,
        quorum: Quorum::default(),
        threshold: None,
        class_policy: ClassPolicy::OneMemberOneVote,
        ballot: BallotKind::Secret,
        opens_at: None,
        closes_at: in_secs(3600),
    }
}

fn poll(options: &[&str]) -> ProposalContent {
    ProposalContent::Poll {
        options: options.iter().map(|s| s.to_string()).collect(),
        seats: 1,
    }
}

fn agree() -> BallotChoice {
    BallotChoice::Consent(ConsentChoice::Agree)
}

fn disagree() -> BallotChoice {
    BallotChoice::Consent(ConsentChoice::Disagree)
}

/// Sleeps until just after `t`.
async fn sleep_past(t: NaiveDateTime) {
    let ms = (t - store::now()).num_milliseconds() + 50;
    if ms > 0 {
        tokio::time::sleep(Duration::from_millis(ms as u64)).await;
    }
}

async fn proposals_of_each_kind_and_bad_ones_refused(db: Db) {
    let i = TestInstance::start(db).await;
    let ctx = Ctx::of(&i.state);
    let (co, owner) = ctx.community("bakers").await;
    let ann = ctx.user("ann").await;
    let bob = ctx.user("bob").await;
    let outsider = ctx.user("zed").await;
    ctx.join(co, ann, "worker").await;
    ctx.join(co, bob, "user").await;

    // A rule change shows its diff against the current (empty) rules.
    let add = ProposalContent::RuleChange {
        changes: vec![RuleOp::Add {
            title: "Fair prices".into(),
            text: "No resale above face value.".into(),
            position: None,
        }],
    };
    let rc = ctx
        .propose(co, ann, form("Add a rule", add, Method::Consent))
        .await
        .expect("rule change");
    assert_eq!(rc.status, Status::Open);
    assert_eq!(rc.base_rules_version, Some(0));
    assert!(rc
        .ap_id
        .ends_with(&format!("/c/bakers/proposals/{}", rc.id)));
    let diff = ctx
        .run(move |c, _| proposals::change_diff(c, &rc).expect("diff"))
        .await
        .expect("a rule change has a diff");
    assert!(diff
        .lines
        .iter()
        .any(|l| l.tag == DiffTag::Added && l.text == "No resale above face value."));

    let decision = ctx
        .propose(
            co,
            bob,
            form(
                "Buy an oven",
                ProposalContent::Decision,
                Method::SingleChoice,
            ),
        )
        .await
        .expect("decision");
    assert_eq!(decision.options, vec!["For", "Against", "Abstain"]);
    assert_eq!(decision.electorate.as_ref().map(|e| e.total()), Some(3));

    let election = ctx
        .propose(
            co,
            ann,
            form(
                "Moderators 2027",
                ProposalContent::Election {
                    candidates: vec![ann, bob, owner],
                    seats: 2,
                },
                Method::Ranked,
            ),
        )
        .await
        .expect("election");
    assert_eq!(election.options, vec!["ann", "bob", "bakers_owner"]);
    assert_eq!(election.voting.seats, 2);

    let p = ctx
        .propose(
            co,
            ann,
            form(
                "Picnic day",
                poll(&["Saturday", "Sunday"]),
                Method::Approval,
            ),
        )
        .await
        .expect("poll");
    assert_eq!(p.kind, proposals::ProposalKind::Poll);

    let before = ctx.proposal_count().await;
    // Weighted class shares that do not add up to 1.
    let mut weighted = form("Weighted", ProposalContent::Decision, Method::Consent);
    weighted.class_policy = ClassPolicy::WeightedClasses(vec![
        ClassShare {
            class: "worker".into(),
            share: "1/2".parse().unwrap(),
        },
        ClassShare {
            class: "user".into(),
            share: "1/3".parse().unwrap(),
        },
        ClassShare {
            class: "supporter".into(),
            share: "0".parse().unwrap(),
        },
    ]);
    let e = ctx.propose(co, ann, weighted).await.unwrap_err();
    assert!(
        matches!(
            e,
            GovernanceError::VotingRules(RulesError::ShareSumNot1 { .. })
        ),
        "{e:?}"
    );
    // As many seats as candidates.
    let e = ctx
        .propose(
            co,
            ann,
            form(
                "Everyone wins",
                ProposalContent::Election {
                    candidates: vec![ann, bob],
                    seats: 2,
                },
                Method::Approval,
            ),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            GovernanceError::VotingRules(RulesError::SeatsNotFewerThanCandidates { .. })
        ),
        "{e:?}"
    );
    // Closing before it opens.
    let mut backwards = form("Backwards", ProposalContent::Decision, Method::Consent);
    backwards.opens_at = Some(in_secs(600));
    backwards.closes_at = in_secs(300);
    let e = ctx.propose(co, ann, backwards).await.unwrap_err();
    assert!(
        matches!(&e, GovernanceError::Invalid(m) if m.contains("close after it opens")),
        "{e:?}"
    );
    // Not a member.
    let e = ctx
        .propose(
            co,
            outsider,
            form("From outside", ProposalContent::Decision, Method::Consent),
        )
        .await
        .unwrap_err();
    assert!(matches!(e, GovernanceError::NotMember), "{e:?}");
    // Only workers may propose: a user-class member is refused.
    ctx.run(move |c, _| {
        settings::update(
            c,
            co,
            owner,
            &GovernanceSettings {
                proposers: Proposers::Only {
                    classes: vec!["worker".into()],
                    roles: vec![],
                },
                ..GovernanceSettings::default()
            },
        )
        .expect("settings")
    })
    .await;
    let e = ctx
        .propose(
            co,
            bob,
            form("From a user", ProposalContent::Decision, Method::Consent),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&e, GovernanceError::MayNotPropose(who) if who.contains("worker")),
        "{e:?}"
    );
    // A rule change against a rule that does not exist.
    let e = ctx
        .propose(
            co,
            ann,
            form(
                "Repeal nothing",
                ProposalContent::RuleChange {
                    changes: vec![RuleOp::Repeal { rule: 42 }],
                },
                Method::Consent,
            ),
        )
        .await
        .unwrap_err();
    assert!(matches!(e, GovernanceError::RuleChange(_)), "{e:?}");
    assert_eq!(ctx.proposal_count().await, before, "refusals write nothing");
    // Workers still may.
    ctx.propose(
        co,
        ann,
        form("From a worker", ProposalContent::Decision, Method::Consent),
    )
    .await
    .expect("a worker proposes");
    i.stop().await;
}

async fn voting_and_its_refusals(db: Db) {
    let i = TestInstance::start(db).await;
    let ctx = Ctx::of(&i.state);
    let (co, _owner) = ctx.community("weavers").await;
    let ann = ctx.user("ann").await;
    let bob = ctx.user("bob").await;
    let outsider = ctx.user("zed").await;
    let late = ctx.user("late").await;
    ctx.join(co, ann, "worker").await;
    ctx.join(co, bob, "user").await;
    let mut f = form(
        "Colour of the year",
        poll(&["Red", "Blue", "Green"]),
        Method::SingleChoice,
    );
    f.closes_at = in_secs(4);
    let p = ctx.propose(co, ann, f).await.expect("poll");
    ctx.join(co, late, "worker").await;

    let first = ctx.receipt(p.id, ann, BallotChoice::Single(0)).await;
    match ctx.vote(p.id, ann, BallotChoice::Single(1)).await.unwrap() {
        Cast::Counted { receipt, changed } => {
            assert!(changed);
            assert_ne!(receipt, first, "a changed vote gets a new receipt");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        ctx.vote(p.id, ann, BallotChoice::Single(1)).await.unwrap(),
        Cast::Unchanged,
        "the same vote again changes nothing"
    );
    // Re-delivery of the same federated vote is recognised by its id.
    let pid = p.id;
    let again = ctx
        .run(move |c, _| {
            let a = ballots::cast(c, pid, bob, &BallotChoice::Single(2), Some("https://x/v/1"))
                .unwrap();
            let b = ballots::cast(c, pid, bob, &BallotChoice::Single(2), Some("https://x/v/1"))
                .unwrap();
            (a, b)
        })
        .await;
    assert!(matches!(again.0, Cast::Counted { changed: false, .. }));
    assert_eq!(again.1, Cast::Unchanged);

    let e = ctx
        .vote(p.id, outsider, BallotChoice::Single(0))
        .await
        .unwrap_err();
    assert!(matches!(e, GovernanceError::NotMember), "{e:?}");
    assert!(e.to_string().contains("Only members"));
    let e = ctx
        .vote(p.id, late, BallotChoice::Single(0))
        .await
        .unwrap_err();
    assert!(matches!(e, GovernanceError::NotEligible), "{e:?}");
    let e = ctx
        .vote(p.id, bob, BallotChoice::Single(7))
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            GovernanceError::Ballot(BallotError::UnknownOption { index: 7, .. })
        ),
        "{e:?}"
    );
    let e = ctx.vote(p.id, bob, agree()).await.unwrap_err();
    assert!(
        matches!(e, GovernanceError::Ballot(BallotError::WrongKind { .. })),
        "{e:?}"
    );
    assert_eq!(
        ctx.run(move |c, _| ballots::my_ballot(c, pid, bob).unwrap())
            .await,
        Some(BallotChoice::Single(2)),
        "refused votes changed nothing"
    );

    sleep_past(p.closes_at).await;
    let e = ctx
        .vote(p.id, bob, BallotChoice::Single(0))
        .await
        .unwrap_err();
    assert!(matches!(e, GovernanceError::Closed), "{e:?}");
    let closed = ctx.closed(p.id).await;
    let result = closed.result.expect("result");
    assert_eq!(result.outcome.turnout.ballots, 2);
    assert_eq!(result.outcome.turnout.eligible, 3);
    let totals: Vec<&str> = result
        .outcome
        .options
        .iter()
        .map(|o| o.total.exact.as_str())
        .collect();
    assert_eq!(totals, vec!["0", "1", "1"], "only the latest vote counts");
    assert!(!ctx.counted(p.id, &first).await, "the replaced receipt");
    let e = ctx
        .vote(p.id, ann, BallotChoice::Single(0))
        .await
        .unwrap_err();
    assert!(matches!(e, GovernanceError::Closed), "{e:?}");
    i.stop().await;
}

async fn secret_and_roll_call_ballots(db: Db) {
    let i = TestInstance::start(db).await;
    let ctx = Ctx::of(&i.state);
    let (co, owner) = ctx.community("potters").await;
    let ann = ctx.user("ann").await;
    let bob = ctx.user("bob").await;
    ctx.join(co, ann, "worker").await;
    ctx.join(co, bob, "worker").await;

    let mut secret = form("Secret", ProposalContent::Decision, Method::Consent);
    secret.closes_at = in_secs(4);
    let mut open = secret.clone();
    open.title = "Roll call".into();
    open.ballot = BallotKind::RollCall;
    let s = ctx.propose(co, ann, secret).await.unwrap();
    let r = ctx.propose(co, ann, open).await.unwrap();

    let ann_receipt = ctx.receipt(s.id, ann, agree()).await;
    let bob_receipt = ctx.receipt(s.id, bob, disagree()).await;
    let ann_roll_first = ctx.receipt(r.id, ann, disagree()).await;
    let ann_roll = ctx.receipt(r.id, ann, agree()).await;
    ctx.receipt(r.id, bob, disagree()).await;
    // While open: a roll call's receipts check against the live count, a secret ballot's not.
    let live_check = ctx.check(r.id, &ann_roll).await.expect("live check");
    assert_eq!(
        live_check,
        ReceiptCheck {
            counted: true,
            is_final: false
        }
    );
    assert!(!ctx.check(r.id, &ann_roll_first).await.unwrap().counted);
    let e = ctx.check(s.id, &ann_receipt).await.unwrap_err();
    assert!(matches!(e, GovernanceError::Conflict(_)), "{e:?}");

    let (sid, rid) = (s.id, r.id);
    let (secret_roll, secret_results, roll, live) = ctx
        .run(move |c, _| {
            (
                ballots::roll_call(c, sid),
                ballots::results(c, sid).unwrap(),
                ballots::roll_call(c, rid).unwrap(),
                ballots::results(c, rid).unwrap(),
            )
        })
        .await;
    assert!(matches!(secret_roll, Err(GovernanceError::SecretBallot)));
    assert_eq!((secret_results.ballots, secret_results.eligible), (2, 3));
    assert!(
        secret_results.result.is_none(),
        "a secret ballot's results are hidden until it closes"
    );
    let who: Vec<(String, Vec<String>)> = roll
        .iter()
        .map(|e| (e.voter.clone(), e.chosen.clone()))
        .collect();
    assert_eq!(
        who,
        vec![
            ("ann".to_string(), vec!["agree".to_string()]),
            ("bob".to_string(), vec!["disagree".to_string()]),
        ]
    );
    // Page by page, in the same order, with the total.
    let pages = ctx
        .run(move |c, _| {
            [1, 2, 3, 0].map(|page| {
                let (lines, total) = ballots::roll_call_page(c, rid, page, 1).unwrap();
                let names: Vec<String> = lines
                    .iter()
                    .map(|(e, a)| {
                        assert_eq!(e.voter_id, a.id);
                        e.voter.clone()
                    })
                    .collect();
                (names, total)
            })
        })
        .await;
    let one = |n: &str| vec![n.to_string()];
    assert_eq!(
        pages,
        [
            (one("ann"), 2),
            (one("bob"), 2),
            (vec![], 2),
            (one("ann"), 2)
        ],
        "page 0 reads as page 1; past the end is empty"
    );
    assert!(ctx
        .run(move |c, _| ballots::roll_call_page(c, sid, 1, 10))
        .await
        .is_err());
    let live = live.result.expect("roll call results are live");
    assert!(!live.is_final);
    assert_eq!(live.outcome.turnout.ballots, 2);

    let s = ctx.closed(s.id).await;
    let r = ctx.closed(r.id).await;
    let result = s.result.clone().expect("secret result");
    assert!(result.is_final);
    assert!(ctx.counted(s.id, &ann_receipt).await);
    assert!(ctx.counted(s.id, &bob_receipt).await);
    assert!(!ctx.counted(s.id, "not-a-receipt").await);
    // Nothing links a secret ballot to its voter any more, even in the database.
    let linked = ctx
        .run(move |c, _| {
            use store::schema::ballots::dsl as b;
            b::ballots
                .filter(b::proposal_id.eq(sid))
                .filter(b::voter_id.is_not_null())
                .count()
                .get_result::<i64>(c)
                .unwrap()
        })
        .await;
    assert_eq!(linked, 0);
    let json = serde_json::to_string(&result).unwrap();
    for name in ["ann", "bob"] {
        assert!(!json.contains(name), "the published result names nobody");
    }
    assert!(ctx
        .run(move |c, _| ballots::roll_call(c, sid))
        .await
        .is_err());
    // The roll call stays public after close.
    assert_eq!(
        ctx.run(move |c, _| ballots::roll_call(c, rid).unwrap().len())
            .await,
        2
    );
    assert_eq!(
        r.passed,
        Some(false),
        "1 agree, 1 disagree is not a majority"
    );
    let _ = owner;
    i.stop().await;
}

async fn close_job_closes_on_time_exactly_once(db: Db) {
    let i = TestInstance::start(db).await;
    let ctx = Ctx::of(&i.state);
    let (co, owner) = ctx.community("millers").await;
    let ann = ctx.user("ann").await;
    ctx.join(co, ann, "worker").await;
    let mut f = form(
        "Add a rule",
        ProposalContent::RuleChange {
            changes: vec![RuleOp::Add {
                title: "Share flour".into(),
                text: "Flour is shared.".into(),
                position: None,
            }],
        },
        Method::Consent,
    );
    f.closes_at = in_secs(3);
    let p = ctx.propose(co, ann, f).await.unwrap();
    ctx.receipt(p.id, ann, agree()).await;
    ctx.receipt(p.id, owner, agree()).await;
    assert_eq!(ctx.proposal(p.id).await.status, Status::Open);

    // No request: the job notices the close time.
    let closed = ctx.closed(p.id).await;
    assert_eq!(closed.passed, Some(true));
    assert_eq!(closed.result_rules_version, Some(1));
    assert!(closed.closed_at.unwrap() >= closed.closes_at);

    // Closing again, twice at once, does nothing.
    let pid = p.id;
    let a = ctx.run(move |c, ctx| close::close(c, &*ctx.publisher, pid, store::now()));
    let b = ctx.run(move |c, ctx| close::close(c, &*ctx.publisher, pid, store::now()));
    let (a, b) = tokio::join!(a, b);
    assert_eq!(a.unwrap(), None);
    assert_eq!(b.unwrap(), None);

    // A second proposal closed by two closers racing the job: exactly one of them closes it.
    let mut f = form(
        "Another rule",
        ProposalContent::RuleChange {
            changes: vec![RuleOp::Add {
                title: "Sweep".into(),
                text: "Sweep the floor.".into(),
                position: None,
            }],
        },
        Method::Consent,
    );
    f.closes_at = in_secs(2);
    let q = ctx.propose(co, ann, f).await.unwrap();
    ctx.receipt(q.id, ann, agree()).await;
    sleep_past(q.closes_at).await;
    let qid = q.id;
    let a = ctx.run(move |c, ctx| close::close(c, &*ctx.publisher, qid, store::now()));
    let b = ctx.run(move |c, ctx| close::close(c, &*ctx.publisher, qid, store::now()));
    let (a, b) = tokio::join!(a, b);
    let closers = [a.unwrap(), b.unwrap()]
        .iter()
        .filter(|x| x.is_some())
        .count();
    assert!(closers <= 1, "at most one of the racing closers");
    ctx.closed(q.id).await;
    let versions = ctx.run(move |c, _| rules::history(c, co).unwrap()).await;
    assert_eq!(versions.len(), 2, "one new version per passed change");
    assert_eq!(
        versions
            .iter()
            .filter(|v| v.adopted_by.as_ref().map(|a| a.proposal_id) == Some(qid))
            .count(),
        1
    );
    i.stop().await;
}

async fn rule_changes_apply_themselves(db: Db) {
    let i = TestInstance::start(db).await;
    let ctx = Ctx::of(&i.state);
    let (co, owner) = ctx.community("brewers").await;
    let ann = ctx.user("ann").await;
    let bob = ctx.user("bob").await;
    ctx.join(co, ann, "worker").await;
    ctx.join(co, bob, "user").await;
    let v1 = ctx
        .run(move |c, ctx| {
            rules::found(
                c,
                &*ctx.publisher,
                co,
                owner,
                &[
                    ("Be kind".into(), "Assume good faith.".into()),
                    ("Pay dues".into(), "Dues are 10 a month.".into()),
                ],
            )
        })
        .await
        .expect("founding rules");
    assert_eq!(v1.version, 1);
    let again = ctx
        .run(move |c, ctx| rules::found(c, &*ctx.publisher, co, owner, &[("X".into(), "y".into())]))
        .await;
    assert!(matches!(again, Err(GovernanceError::Conflict(_))));
    let dues = v1.id_of(2).unwrap();

    let mut f = form(
        "Lower dues, add a rule",
        ProposalContent::RuleChange {
            changes: vec![
                RuleOp::Amend {
                    rule: dues,
                    title: "Pay dues".into(),
                    text: "Dues are 5 a month.".into(),
                },
                RuleOp::Add {
                    title: "Brew together".into(),
                    text: "Every Friday.".into(),
                    position: Some(1),
                },
            ],
        },
        Method::SingleChoice,
    );
    f.closes_at = in_secs(3);
    let pass = ctx.propose(co, ann, f.clone()).await.unwrap();
    let mut failing = f;
    failing.title = "Same, but it fails".into();
    let fail = ctx.propose(co, ann, failing).await.unwrap();
    for who in [ann, bob, owner] {
        ctx.receipt(pass.id, who, BallotChoice::Single(0)).await;
    }
    ctx.receipt(fail.id, ann, BallotChoice::Single(0)).await;
    ctx.receipt(fail.id, bob, BallotChoice::Single(1)).await;
    ctx.receipt(fail.id, owner, BallotChoice::Single(1)).await;

    let pass = ctx.closed(pass.id).await;
    let fail = ctx.closed(fail.id).await;
    assert_eq!(pass.passed, Some(true));
    assert_eq!(pass.result_rules_version, Some(2));
    assert_eq!(fail.passed, Some(false));
    assert_eq!(
        fail.result_rules_version, None,
        "a failed change changes nothing"
    );
    assert_eq!(
        fail.result.as_ref().unwrap().outcome.reason,
        Some(Reason::ThresholdNotMet)
    );

    let (current, history) = ctx
        .run(move |c, _| {
            (
                rules::current(c, co).unwrap(),
                rules::history(c, co).unwrap(),
            )
        })
        .await;
    assert_eq!(current.version, 2, "exactly one new version");
    let titles: Vec<String> = current.numbered().into_iter().map(|r| r.title).collect();
    assert_eq!(titles, vec!["Brew together", "Be kind", "Pay dues"]);
    assert_eq!(current.rules[2].text, "Dues are 5 a month.");
    assert_eq!(current.rules[2].id, dues, "a rule keeps its id");
    assert_eq!(history.len(), 2);
    let v2 = &history[0];
    assert_eq!(v2.version, 2);
    assert_eq!(v2.adopted_at, pass.closes_at);
    let by = v2.adopted_by.as_ref().expect("adopted by the proposal");
    assert_eq!(by.proposal_id, pass.id);
    assert_eq!(by.title, "Lower dues, add a rule");
    let result = by.result.as_ref().expect("by what result");
    assert_eq!(result.outcome.passed, Some(true));
    assert_eq!(result.outcome.turnout.ballots, 3);
    assert!(v2.diff.unified.contains("-Dues are 10 a month."));
    assert!(v2.diff.unified.contains("+Dues are 5 a month."));
    assert!(v2.diff.unified.contains("+## Brew together"));
    assert!(history[1].adopted_by.is_none(), "founding rules");
    i.stop().await;
}

async fn election_changes_moderators(db: Db) {
    let i = TestInstance::start(db).await;
    let ctx = Ctx::of(&i.state);
    let (co, owner) = ctx.community("cobblers").await;
    let ann = ctx.user("ann").await;
    let bob = ctx.user("bob").await;
    let cy = ctx.user("cy").await;
    for who in [ann, bob, cy] {
        ctx.join(co, who, "worker").await;
    }
    ctx.run(move |c, _| store::proposals::set_role(c, co, cy, "moderator", store::now()).unwrap())
        .await;
    let mut f = form(
        "Moderators",
        ProposalContent::Election {
            candidates: vec![ann, bob, cy],
            seats: 2,
        },
        Method::Approval,
    );
    f.closes_at = in_secs(3);
    let p = ctx.propose(co, owner, f).await.unwrap();
    ctx.receipt(p.id, ann, BallotChoice::Approval(vec![0, 1]))
        .await;
    ctx.receipt(p.id, bob, BallotChoice::Approval(vec![1, 0]))
        .await;
    ctx.receipt(p.id, cy, BallotChoice::Approval(vec![2, 0]))
        .await;
    let p = ctx.closed(p.id).await;
    assert_eq!(p.passed, Some(true));
    assert_eq!(
        p.result.as_ref().unwrap().outcome.winners,
        vec!["ann", "bob"]
    );
    assert_eq!(ctx.role(co, ann).await, "moderator");
    assert_eq!(ctx.role(co, bob).await, "moderator");
    assert_eq!(ctx.role(co, cy).await, "member", "not re-elected");
    assert_eq!(ctx.role(co, owner).await, "owner");
    i.stop().await;
}

async fn leaving_after_voting(db: Db) {
    let i = TestInstance::start(db).await;
    let ctx = Ctx::of(&i.state);
    let (co, owner) = ctx.community("growers").await;
    let ann = ctx.user("ann").await;
    let bob = ctx.user("bob").await;
    ctx.join(co, ann, "worker").await;
    ctx.join(co, bob, "worker").await;

    // Default: a ballot cast before leaving still counts.
    let mut f = form("Default", ProposalContent::Decision, Method::Consent);
    f.closes_at = in_secs(3);
    let kept = ctx.propose(co, owner, f.clone()).await.unwrap();
    let ann_receipt = ctx.receipt(kept.id, ann, agree()).await;
    ctx.receipt(kept.id, bob, agree()).await;

    // With the setting on, leaving withdraws it.
    ctx.run(move |c, _| {
        settings::update(
            c,
            co,
            owner,
            &GovernanceSettings {
                withdraw_on_leave: true,
                ..GovernanceSettings::default()
            },
        )
        .unwrap()
    })
    .await;
    let mut f2 = f;
    f2.title = "Withdrawing".into();
    let withdrawn = ctx.propose(co, owner, f2).await.unwrap();
    let ann_receipt2 = ctx.receipt(withdrawn.id, ann, agree()).await;
    ctx.receipt(withdrawn.id, bob, agree()).await;

    ctx.leave(co, ann).await;
    // Having left, ann can no longer vote.
    let e = ctx.vote(kept.id, ann, disagree()).await.unwrap_err();
    assert!(matches!(e, GovernanceError::NotMember), "{e:?}");

    let kept = ctx.closed(kept.id).await;
    let r = kept.result.unwrap();
    assert_eq!(r.outcome.turnout.ballots, 2);
    assert_eq!(r.withdrawn, 0);
    assert!(ctx.counted(kept.id, &ann_receipt).await);

    let withdrawn = ctx.closed(withdrawn.id).await;
    let r = withdrawn.result.unwrap();
    assert_eq!(r.outcome.turnout.ballots, 1);
    assert_eq!(
        r.outcome.turnout.eligible, 3,
        "eligibility is fixed at opening"
    );
    assert_eq!(r.withdrawn, 1);
    assert!(!ctx.counted(withdrawn.id, &ann_receipt2).await);
    i.stop().await;
}

async fn extension_only_as_allowed_in_advance(db: Db) {
    let i = TestInstance::start(db).await;
    let ctx = Ctx::of(&i.state);
    let (co, owner) = ctx.community("joiners").await;
    let ann = ctx.user("ann").await;
    ctx.join(co, ann, "worker").await;
    let not_extendable = ctx
        .propose(
            co,
            ann,
            form("Fixed", ProposalContent::Decision, Method::Consent),
        )
        .await
        .unwrap();
    ctx.run(move |c, _| {
        settings::update(
            c,
            co,
            owner,
            &GovernanceSettings {
                allow_extension: true,
                max_extension_seconds: 3600,
                ..GovernanceSettings::default()
            },
        )
        .unwrap()
    })
    .await;
    let extendable = ctx
        .propose(
            co,
            ann,
            form("Movable", ProposalContent::Decision, Method::Consent),
        )
        .await
        .unwrap();
    let (a, b, too_far, by_member) = (
        not_extendable.clone(),
        extendable.clone(),
        extendable.clone(),
        extendable.clone(),
    );
    let e = ctx
        .run(move |c, ctx| {
            proposals::extend(
                c,
                &*ctx.publisher,
                a.id,
                owner,
                a.closes_at + chrono::Duration::seconds(60),
            )
        })
        .await
        .unwrap_err();
    assert!(
        matches!(&e, GovernanceError::Invalid(m) if m.contains("did not allow")),
        "{e:?}"
    );
    let e = ctx
        .run(move |c, ctx| {
            proposals::extend(
                c,
                &*ctx.publisher,
                too_far.id,
                owner,
                too_far.closes_at + chrono::Duration::seconds(7200),
            )
        })
        .await
        .unwrap_err();
    assert!(
        matches!(&e, GovernanceError::Invalid(m) if m.contains("at most")),
        "{e:?}"
    );
    let e = ctx
        .run(move |c, ctx| {
            proposals::extend(
                c,
                &*ctx.publisher,
                by_member.id,
                ann,
                by_member.closes_at + chrono::Duration::seconds(60),
            )
        })
        .await
        .unwrap_err();
    assert!(matches!(e, GovernanceError::NotAllowed(_)), "{e:?}");
    let moved = ctx
        .run(move |c, ctx| {
            proposals::extend(
                c,
                &*ctx.publisher,
                b.id,
                owner,
                b.closes_at + chrono::Duration::seconds(1800),
            )
        })
        .await
        .unwrap();
    assert_eq!(
        moved.closes_at,
        extendable.closes_at + chrono::Duration::seconds(1800)
    );
    assert_eq!(moved.original_closes_at, extendable.closes_at);
    i.stop().await;
}

async fn scheduled_weighted_and_ranked(db: Db) {
    let i = TestInstance::start(db).await;
    let ctx = Ctx::of(&i.state);
    let (co, owner) = ctx.community("smiths").await;
    let ann = ctx.user("ann").await;
    let bob = ctx.user("bob").await;
    let cy = ctx.user("cy").await;
    ctx.join(co, ann, "worker").await;
    ctx.join(co, bob, "user").await;

    // Opens in 2 s: no votes before, and whoever is a member at the opening is eligible.
    let mut f = form("Weighted", ProposalContent::Decision, Method::Consent);
    f.class_policy = ClassPolicy::WeightedClasses(vec![
        ClassShare {
            class: "worker".into(),
            share: "2/3".parse().unwrap(),
        },
        ClassShare {
            class: "user".into(),
            share: "1/3".parse().unwrap(),
        },
        ClassShare {
            class: "supporter".into(),
            share: "0".parse().unwrap(),
        },
    ]);
    f.opens_at = Some(in_secs(2));
    f.closes_at = in_secs(6);
    let w = ctx.propose(co, owner, f).await.unwrap();
    assert_eq!(w.status, Status::Scheduled);
    assert!(w.electorate.is_none());
    let e = ctx.vote(w.id, ann, agree()).await.unwrap_err();
    assert!(matches!(e, GovernanceError::NotYetOpen), "{e:?}");
    ctx.join(co, cy, "supporter").await;
    let ctx2 = ctx.clone();
    let wid = w.id;
    let opened = eventually(30, "the job opens the proposal", || {
        let ctx = ctx2.clone();
        async move {
            let p = ctx.proposal(wid).await;
            (p.status == Status::Open).then_some(p)
        }
    })
    .await;
    let electorate = opened.electorate.expect("snapshotted at opening");
    assert_eq!(electorate.eligible("supporter"), Some(1));
    assert_eq!(electorate.eligible("worker"), Some(2), "owner and ann");
    ctx.receipt(w.id, ann, agree()).await;
    ctx.receipt(w.id, bob, disagree()).await;
    ctx.receipt(w.id, cy, disagree()).await;

    // A ranked election for one seat: instant runoff, rounds recorded.
    let mut f = form(
        "Chair",
        ProposalContent::Election {
            candidates: vec![ann, bob, cy],
            seats: 1,
        },
        Method::Ranked,
    );
    f.closes_at = in_secs(4);
    f.ballot = BallotKind::RollCall;
    let r = ctx.propose(co, owner, f).await.unwrap();
    ctx.receipt(r.id, owner, BallotChoice::Ranked(vec![2, 1]))
        .await;
    ctx.receipt(r.id, ann, BallotChoice::Ranked(vec![0, 1]))
        .await;
    ctx.receipt(r.id, bob, BallotChoice::Ranked(vec![1])).await;
    ctx.receipt(r.id, cy, BallotChoice::Ranked(vec![1, 0]))
        .await;

    let w = ctx.closed(w.id).await;
    let outcome = &w.result.as_ref().unwrap().outcome;
    // Workers (2/3) all agree, users and supporters (1/3 + 0) all disagree: 2/3 agree.
    assert_eq!(w.passed, Some(true), "{outcome:?}");
    let agree_total = &outcome.options[0];
    assert_eq!(agree_total.total.exact, "2/3");
    assert_eq!(agree_total.by_class["worker"].raw, 1);

    let r = ctx.closed(r.id).await;
    let outcome = &r.result.as_ref().unwrap().outcome;
    assert_eq!(outcome.winners, vec!["bob"]);
    assert!(outcome.rounds.len() >= 2, "{:?}", outcome.rounds);
    assert_eq!(ctx.role(co, bob).await, "moderator");
    i.stop().await;
}

/// A database that outlives the instances using it.
fn database_url(db: Db, dir: &std::path::Path, pg: Option<&PgDatabase>) -> String {
    match db {
        Db::Sqlite => dir.join("commonhall.db").display().to_string(),
        Db::Postgres => pg.expect("database").url.clone(),
    }
}

async fn closes_once_after_a_restart(db: Db) {
    let dir = tempfile::tempdir().unwrap();
    let pg = match db {
        Db::Postgres => Some(PgDatabase::create().unwrap()),
        Db::Sqlite => None,
    };
    let url = database_url(db, dir.path(), pg.as_ref());
    let url_again = url.clone();
    let data_dir = dir.path().to_path_buf();
    let use_db = move |s: &mut commonhall::config::Settings| {
        s.data_dir = data_dir.clone();
        s.database_url = url.clone();
    };

    // First life: propose and vote, then stop before the close time.
    let first = TestInstance::start_with(db, use_db.clone()).await;
    let host = first.settings.hostname.clone();
    let ctx = Ctx::of(&first.state);
    let (co, owner) = ctx.community("bakers").await;
    let ann = ctx.user("ann").await;
    ctx.join(co, ann, "worker").await;
    let mut f = form(
        "A rule",
        ProposalContent::RuleChange {
            changes: vec![RuleOp::Add {
                title: "Bake".into(),
                text: "Bake on Mondays.".into(),
                position: None,
            }],
        },
        Method::Consent,
    );
    f.closes_at = in_secs(3);
    let p = ctx.propose(co, ann, f).await.unwrap();
    let receipt = ctx.receipt(p.id, ann, agree()).await;
    ctx.receipt(p.id, owner, disagree()).await;
    first.stop().await;
    drop(ctx);
    let pool = store::open_pool(&url_again, 1).unwrap();
    let status = tokio::task::spawn_blocking(move || {
        let mut c = pool.get().unwrap();
        store::proposals::by_id(&mut c, p.id).unwrap().status
    })
    .await
    .unwrap();
    assert_eq!(status, "open", "stopped before the close time");

    // The close time passes while no server runs.
    sleep_past(p.closes_at + chrono::Duration::seconds(1)).await;

    // Second life: the job closes it on start, once.
    let second = TestInstance::start_with(db, move |s| {
        use_db(s);
        s.hostname = host;
    })
    .await;
    let ctx = Ctx::of(&second.state);
    let closed = ctx.closed(p.id).await;
    assert_eq!(closed.passed, Some(false), "1 agree, 1 disagree");
    let result = closed.result.clone().unwrap();
    assert_eq!(result.outcome.turnout.ballots, 2);
    assert!(ctx.counted(closed.id, &receipt).await);
    let pid = p.id;
    assert_eq!(
        ctx.run(move |c, ctx| close::close(c, &*ctx.publisher, pid, store::now()))
            .await
            .unwrap(),
        None
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let again = ctx.proposal(p.id).await;
    assert_eq!(again.closed_at, closed.closed_at, "closed exactly once");
    assert_eq!(again.result, closed.result);
    second.stop().await;
}

on_both_backends!(
    proposals_of_each_kind_and_bad_ones_refused,
    voting_and_its_refusals,
    secret_and_roll_call_ballots,
    close_job_closes_on_time_exactly_once,
    rule_changes_apply_themselves,
    election_changes_moderators,
    leaving_after_voting,
    extension_only_as_allowed_in_advance,
    closes_once_after_a_restart,
    scheduled_weighted_and_ranked,
);
