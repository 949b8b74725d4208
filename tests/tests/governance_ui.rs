//! Governance through the web UI as a browser with JavaScript off uses it, on SQLite and
//! PostgreSQL: rules and history pages, the proposal forms and their refusals, ballots of every
//! method, receipts, and live and hidden results with their charts.

use commonhall_tests::governance::form::{error_of, propose, propose_ok, receipt, shown, vote};
use commonhall_tests::governance::{
    ballot_count, close_now, coop, proposal_count, signed_in, user,
};
use commonhall_tests::{on_both_backends, Db, TestInstance};
use reqwest::StatusCode;

async fn rule_change_from_proposal_to_new_rules(db: Db) {
    let i = TestInstance::start(db).await;
    coop(&i, "garden", "olga", &[("bob", "worker"), ("cy", "user")]).await;
    user(&i, "dan", false).await;
    let olga = signed_in(&i, "olga").await;
    let bob = signed_in(&i, "bob").await;
    let dan = signed_in(&i, "dan").await;

    // The community links to its rules and proposals; the rules are numbered, at version 1.
    let page = olga.get("/c/garden").await;
    assert!(
        page.body.contains(r#"href="/c/garden/rules""#),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"href="/c/garden/proposals""#));
    let rules = i.client().get("/c/garden/rules").await;
    assert_eq!(rules.status, StatusCode::OK);
    assert!(shown(&rules).contains("1. Be kind"), "{}", shown(&rules));
    assert!(shown(&rules).contains("2. Share tools"));
    assert!(shown(&rules).contains("Version 1"));

    // The form shows the current rules, editable.
    let form = olga.get("/c/garden/proposals/new?kind=rule_change").await;
    assert!(
        shown(&form).contains(r#"name="rules[1][title]""#),
        "{}",
        shown(&form)
    );
    assert!(shown(&form).contains("Tools go back to the shed by dusk."));

    // Amend rule 1, repeal rule 2, add a new first rule and a last one; roll call, so results
    // are live.
    let (r, id) = propose_ok(
        &i,
        &olga,
        "rule_change",
        &[
            ("title", "Seeds first"),
            ("body", "Seeds matter most."),
            ("method", "consent"),
            ("ballot", "roll_call"),
            ("base_version", "1"),
            ("rules[1][title]", "Be kind"),
            (
                "rules[1][text]",
                "Treat every member and visitor with respect.",
            ),
            ("rules[1][position]", "2"),
            ("rules[2][title]", "Share tools"),
            ("rules[2][text]", "Tools go back to the shed by dusk."),
            ("rules[2][position]", "3"),
            ("rules[2][repeal]", "on"),
            ("added[0][title]", "Save seeds"),
            ("added[0][text]", "Keep a share of every harvest's seeds."),
            ("added[0][position]", "1"),
            // A second new rule, without a position: it goes at the end.
            ("added[1][title]", "Mend what you break"),
            ("added[1][text]", "Or tell the shed keeper."),
        ],
    )
    .await;
    let page = shown(&r);
    assert!(page.contains("<h1>Seeds first</h1>"), "{page}");
    assert!(page.contains("Proposed change to the rules"));
    assert!(page.contains("+ ## Save seeds"), "{page}");
    assert!(page.contains("+ ## Mend what you break"), "{page}");
    assert!(page.contains("− ## Share tools"), "{page}");
    assert!(page.contains("Treat every member and visitor with respect."));

    // Listed as open.
    let list = i.client().get("/c/garden/proposals").await;
    assert!(shown(&list).contains(&format!(r#"href="/c/garden/proposals/{id}""#)));

    // Refusals change nothing: a Block needs a reason; a non-member has no vote.
    let r = vote(&bob, id, &[("choice", "block"), ("reason", "  ")]).await;
    assert!(
        error_of(&r).contains("A Block must give a reason"),
        "{}",
        error_of(&r)
    );
    let r = vote(&dan, id, &[("choice", "agree")]).await;
    assert_eq!(error_of(&r), "Only members of this community may do that.");
    assert_eq!(ballot_count(&i).await, 0);

    // Bob blocks with a reason, then changes to agree: the receipt is shown once.
    let r = vote(
        &bob,
        id,
        &[("choice", "block"), ("reason", "We need the shed rule.")],
    )
    .await;
    let first = receipt(&r).expect("receipt shown");
    assert!(
        shown(&r).contains("We need the shed rule."),
        "{}",
        shown(&r)
    );
    let r = vote(&bob, id, &[("choice", "agree")]).await;
    let second = receipt(&r).expect("a new receipt for a changed vote");
    assert_ne!(first, second);
    assert!(
        !shown(&r).contains("We need the shed rule."),
        "a replaced ballot's reason goes"
    );
    assert!(shown(&r).contains("Your current ballot: <strong>agree</strong>"));
    let again = bob.get(&format!("/c/garden/proposals/{id}")).await;
    assert!(receipt(&again).is_none(), "the receipt is shown only once");
    let r = vote(&bob, id, &[("choice", "agree")]).await;
    assert!(shown(&r).contains("nothing changed"), "{}", shown(&r));
    assert_eq!(ballot_count(&i).await, 1);

    // Roll call: the live count with its chart, and who voted what.
    let page = i.client().get(&format!("/c/garden/proposals/{id}")).await;
    let html = shown(&page);
    assert!(html.contains("Live count (roll call)"), "{html}");
    assert!(
        html.contains(r#"<svg role="img" aria-labelledby="chart-totals-title chart-totals-desc""#),
        "{html}"
    );
    assert!(
        html.contains("agree: 1"),
        "the chart describes its bars: {html}"
    );
    assert!(
        html.contains(r#"id="roll-call""#) && html.contains(">bob</a>"),
        "{html}"
    );
    assert!(
        html.contains("1 of 3 eligible members have voted."),
        "{html}"
    );
    // One page of roll call: no pager; an old link past the end shows the last page.
    assert!(!html.contains("Roll call pages"), "{html}");
    let past = i
        .client()
        .get(&format!("/c/garden/proposals/{id}?roll=9"))
        .await;
    assert!(shown(&past).contains(">bob</a>"), "{}", shown(&past));

    // Closing applies the change: version 2, with the proposal in the history.
    let p = close_now(&i, id).await;
    assert_eq!(p.passed, Some(true), "{p:?}");
    let r = vote(&olga, id, &[("choice", "agree")]).await;
    assert!(
        error_of(&r).contains("closed") || !shown(&r).contains(r#"class="ballot""#),
        "no voting after close: {}",
        shown(&r)
    );
    let rules = i.client().get("/c/garden/rules").await;
    let html = shown(&rules);
    assert!(html.contains("Version 2"), "{html}");
    assert!(
        html.contains("1. Save seeds")
            && html.contains("2. Be kind")
            && html.contains("3. Mend what you break"),
        "{html}"
    );
    assert!(!html.contains("Share tools"));
    let history = i.client().get("/c/garden/rules/history").await;
    let html = shown(&history);
    assert!(
        html.contains("Version 2") && html.contains("Version 1"),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            r#"href="/c/garden/proposals/{id}">Seeds first</a>"#
        )),
        "{html}"
    );
    assert!(
        html.contains("(Passed)") && html.contains("founding rules"),
        "{html}"
    );

    // The receipt checker finds the latest receipt, not the replaced one.
    let check = |receipt: String| {
        let b = &bob;
        let path = format!("/c/garden/proposals/{id}");
        async move {
            b.submit_and_follow(
                &path,
                "/_app/gov_check_receipt",
                &[
                    ("key", "garden"),
                    ("id", &id.to_string()),
                    ("receipt", &receipt),
                ],
            )
            .await
        }
    };
    let r = check(second).await;
    assert!(
        shown(&r).contains("the ballot was counted"),
        "{}",
        shown(&r)
    );
    let r = check(first).await;
    assert!(
        shown(&r).contains("is not in the published count"),
        "{}",
        shown(&r)
    );
    i.stop().await;
}

/// A kind of proposal, the fields posted, and the words the refusal must contain.
type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);

async fn bad_proposals_are_refused_and_write_nothing(db: Db) {
    let i = TestInstance::start(db).await;
    coop(&i, "garden", "olga", &[("bob", "worker"), ("cy", "user")]).await;
    user(&i, "dan", false).await;
    let bob = signed_in(&i, "bob").await;
    let dan = signed_in(&i, "dan").await;
    let cases: &[Case] = &[
        (
            "decision",
            &[("title", " "), ("method", "consent")],
            "Title",
        ),
        (
            "decision",
            &[
                ("title", "Late"),
                ("method", "consent"),
                ("closes_at", "2001-01-01 10:00"),
            ],
            "close after it opens",
        ),
        (
            "decision",
            &[
                ("title", "When"),
                ("method", "consent"),
                ("closes_at", "soon"),
            ],
            "YYYY-MM-DD",
        ),
        (
            "decision",
            &[
                ("title", "Weights"),
                ("method", "consent"),
                ("class_policy", "weighted_classes"),
                ("weights[worker]", "50%"),
                ("weights[user]", "40%"),
            ],
            "add up to",
        ),
        (
            "decision",
            &[
                ("title", "Quorum"),
                ("method", "consent"),
                ("quorum", "lots"),
            ],
            "Quorum",
        ),
        (
            "poll",
            &[
                ("title", "Empty poll"),
                ("method", "single_choice"),
                ("options", ""),
            ],
            "options",
        ),
        (
            "election",
            &[
                ("title", "Council"),
                ("method", "ranked"),
                ("options", "bob\nnobody_here"),
            ],
            "no member called",
        ),
        (
            "rule_change",
            &[
                ("title", "Nothing"),
                ("method", "consent"),
                ("base_version", "1"),
            ],
            "Change at least one rule",
        ),
    ];
    for (kind, fields, expected) in cases {
        let r = propose(&bob, kind, fields).await;
        let e = error_of(&r);
        assert!(
            e.contains(expected),
            "{kind} {fields:?}: expected “{expected}”, got “{e}”"
        );
    }
    let r = propose(
        &dan,
        "decision",
        &[("title", "Outsider"), ("method", "consent")],
    )
    .await;
    assert!(error_of(&r).contains("Only members"), "{}", error_of(&r));
    assert_eq!(proposal_count(&i).await, 0);
    i.stop().await;
}

async fn ballots_of_every_method_and_secret_results(db: Db) {
    let i = TestInstance::start(db).await;
    coop(&i, "garden", "olga", &[("bob", "worker"), ("cy", "user")]).await;
    let olga = signed_in(&i, "olga").await;
    let bob = signed_in(&i, "bob").await;
    let cy = signed_in(&i, "cy").await;

    // Approval poll, secret: checkboxes; the count stays hidden until close.
    let (r, poll) = propose_ok(
        &i,
        &olga,
        "poll",
        &[
            ("title", "Which crops?"),
            ("method", "approval"),
            ("options", "Beans\nKale\nLeeks"),
        ],
    )
    .await;
    assert!(shown(&r).contains(r#"name="approve[2]""#), "{}", shown(&r));
    vote(&bob, poll, &[("approve[0]", "on"), ("approve[2]", "on")]).await;
    let r = vote(&cy, poll, &[("approve[0]", "on")]).await;
    assert!(receipt(&r).is_some());
    let page = i.client().get(&format!("/c/garden/proposals/{poll}")).await;
    assert!(shown(&page).contains("the count is published when the vote closes"));
    assert!(!shown(&page).contains(r#"class="chart""#));
    close_now(&i, poll).await;
    let page = i.client().get(&format!("/c/garden/proposals/{poll}")).await;
    let html = shown(&page);
    assert!(html.contains("Winner: Beans"), "{html}");
    assert!(
        html.contains("Class worker") && html.contains("Class user"),
        "per-class charts: {html}"
    );
    assert!(
        !html.contains(r#"id="roll-call""#),
        "a secret ballot has no roll call"
    );

    // Ranked election: a rank per candidate; round by round after close.
    let (_, election) = propose_ok(
        &i,
        &olga,
        "election",
        &[
            ("title", "Moderator"),
            ("method", "ranked"),
            ("options", "bob\ncy\nolga"),
            ("ballot", "roll_call"),
        ],
    )
    .await;
    let r = vote(&bob, election, &[("rank[0]", "1"), ("rank[1]", "1")]).await;
    assert!(
        error_of(&r).contains("Two options have rank 1"),
        "{}",
        error_of(&r)
    );
    vote(
        &bob,
        election,
        &[("rank[0]", "1"), ("rank[1]", "2"), ("rank[2]", "")],
    )
    .await;
    vote(&cy, election, &[("rank[1]", "1"), ("rank[0]", "2")]).await;
    vote(&olga, election, &[("rank[0]", "1")]).await;
    let p = close_now(&i, election).await;
    assert_eq!(p.passed, Some(true));
    let html = shown(
        &i.client()
            .get(&format!("/c/garden/proposals/{election}"))
            .await,
    )
    .to_string();
    assert!(html.contains("Elected: bob"), "{html}");
    assert!(
        html.contains("Round by round") && html.contains("Round 1"),
        "{html}"
    );

    // Score poll: 0–5 for every option; a score out of range is refused.
    let (r, score) = propose_ok(
        &i,
        &olga,
        "poll",
        &[
            ("title", "Rate the tools"),
            ("method", "score"),
            ("options", "Spade\nHoe"),
        ],
    )
    .await;
    assert!(shown(&r).contains(r#"name="score[1]""#));
    let r = vote(&bob, score, &[("score[0]", "9"), ("score[1]", "2")]).await;
    assert!(error_of(&r).contains("0 to 5"), "{}", error_of(&r));
    let r = vote(&bob, score, &[("score[0]", "5"), ("score[1]", "2")]).await;
    assert!(receipt(&r).is_some(), "{}", shown(&r));
    i.stop().await;
}

/// Without JavaScript a refused proposal comes back with everything typed, once, to its author.
async fn a_refused_proposal_comes_back_filled_in(db: Db) {
    let i = TestInstance::start(db).await;
    coop(&i, "garden", "olga", &[("bob", "worker"), ("cy", "user")]).await;
    let bob = signed_in(&i, "bob").await;
    let cy = signed_in(&i, "cy").await;
    let fields = [
        ("title", "Seed library"),
        ("body", "\nWhy: seeds <get> lost."),
        ("method", "consent"),
        ("quorum", "lots"),
        ("threshold", "two_thirds"),
        ("ballot", "roll_call"),
        ("base_version", "1"),
        ("rules[1][text]", "Be kind, always."),
        ("rules[2][repeal]", "on"),
        ("added[0][title]", "Lend seeds"),
        ("added[0][text]", "Return twice what you borrow."),
        ("added[0][position]", "1"),
        ("added[1][title]", "Label packets"),
        ("added[1][text]", "Name and date on each."),
    ];
    let r = propose(&bob, "rule_change", &fields).await;
    assert!(error_of(&r).contains("Quorum"), "{}", error_of(&r));
    let html = shown(&r);
    for typed in [
        r#"name="title" required maxlength="200" value="Seed library""#,
        "maxlength=\"20000\">\n\nWhy: seeds &lt;get&gt; lost.</textarea>",
        r#"value="lots""#,
        r#"<option value="two_thirds" selected"#,
        r#"<option value="roll_call" selected"#,
        "Be kind, always.</textarea>",
        r#"name="rules[2][repeal]" value="on" checked"#,
        r#"name="added[0][position]" type="number" min="1" placeholder="end" value="1""#,
        r#"value="Lend seeds""#,
        "Return twice what you borrow.</textarea>",
        r#"value="Label packets""#,
    ] {
        assert!(html.contains(typed), "{typed} is filled in: {html}");
    }
    assert_eq!(proposal_count(&i).await, 0, "nothing was written");
    // Only once, and only for its author.
    let again = bob.get("/c/garden/proposals/new?kind=rule_change").await;
    assert!(!shown(&again).contains("Seed library"));
    let r = propose(&bob, "rule_change", &fields).await;
    assert!(shown(&r).contains("Seed library"));
    let other = cy.get("/c/garden/proposals/new?kind=rule_change").await;
    assert!(!shown(&other).contains("Seed library"));
    // Fixed, it goes through with both new rules.
    let mut fixed = fields.to_vec();
    fixed.retain(|(k, _)| *k != "quorum");
    let (r, _) = propose_ok(&i, &bob, "rule_change", &fixed).await;
    assert!(shown(&r).contains("+ ## Lend seeds"), "{}", shown(&r));
    assert!(shown(&r).contains("+ ## Label packets"));
    // More slots on request.
    let more = bob
        .get("/c/garden/proposals/new?kind=rule_change&slots=6")
        .await;
    assert!(shown(&more).contains(r#"name="added[5][title]""#));
    assert!(!shown(&more).contains(r#"name="added[6][title]""#));
    i.stop().await;
}

on_both_backends!(
    rule_change_from_proposal_to_new_rules,
    bad_proposals_are_refused_and_write_nothing,
    a_refused_proposal_comes_back_filled_in,
    ballots_of_every_method_and_secret_results,
);
