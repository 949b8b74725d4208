//! Proposals: rule changes, general decisions, elections and polls, each with its voting rules
//! (method, quorum, threshold, class policy, seats), its ballot kind and its window.
//!
//! A proposal opens at once or at a set time; when it opens, the members active with a class
//! are copied into its electorate (joining later gives no vote). It closes at its close time,
//! extendable only within the limit the community's settings allowed when it was made.
//! Rule changes and decisions pass or fail (consent, or a For/Against/Abstain motion); elections
//! and polls have winners (single choice, approval, ranked, score).

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::ballots::ProposalResult;
use super::rules::{self, RuleOp, RulesDiff};
use super::settings::{self, Proposers};
use super::tally::{ClassPolicy, ConsentChoice, Electorate, Method, Quorum, Rules, Threshold};
use super::{community, corrupt, not_found, GovernanceError};
use crate::domain::events::{Event, Publisher};
use crate::domain::{markdown, Instance};
use crate::store::proposals::{self as store_proposals, NewProposal};
use crate::store::{self, actors, memberships, DbConn};

pub const MAX_TITLE: usize = 200;
pub const MAX_BODY: usize = 20_000;
pub const MAX_OPTIONS: usize = 50;
pub const MAX_OPTION: usize = 200;
/// The longest a vote may stay open: a year.
pub const MAX_WINDOW_DAYS: i64 = 366;

/// What a proposal is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalKind {
    RuleChange,
    Decision,
    Election,
    Poll,
}

impl ProposalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalKind::RuleChange => "rule_change",
            ProposalKind::Decision => "decision",
            ProposalKind::Election => "election",
            ProposalKind::Poll => "poll",
        }
    }

    pub fn parse(s: &str) -> Option<ProposalKind> {
        match s {
            "rule_change" => Some(ProposalKind::RuleChange),
            "decision" => Some(ProposalKind::Decision),
            "election" => Some(ProposalKind::Election),
            "poll" => Some(ProposalKind::Poll),
            _ => None,
        }
    }

    /// Rule changes and decisions pass or fail; elections and polls have winners.
    pub fn is_decision(self) -> bool {
        matches!(self, ProposalKind::RuleChange | ProposalKind::Decision)
    }
}

/// Secret: only counts are ever shown, and results only once closed. Roll call: who voted what
/// is public, and results are live.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BallotKind {
    Secret,
    RollCall,
}

impl BallotKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BallotKind::Secret => "secret",
            BallotKind::RollCall => "roll_call",
        }
    }

    pub fn parse(s: &str) -> Option<BallotKind> {
        match s {
            "secret" => Some(BallotKind::Secret),
            "roll_call" => Some(BallotKind::RollCall),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Its opening time has not come.
    Scheduled,
    Open,
    Closed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Scheduled => "scheduled",
            Status::Open => "open",
            Status::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "scheduled" => Some(Status::Scheduled),
            "open" => Some(Status::Open),
            "closed" => Some(Status::Closed),
            _ => None,
        }
    }
}

/// The substance of a proposal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProposalContent {
    /// Changes to the rules, with their exact new text (against the rules in force now).
    RuleChange { changes: Vec<RuleOp> },
    /// A general decision: the proposal's text is what is decided.
    Decision,
    /// Candidates (actor ids of active members) for `seats` moderator seats. If it has winners,
    /// they become the moderators and the moderators not elected step down (owners stay).
    Election { candidates: Vec<i64>, seats: u32 },
    /// A question with options; `seats` winners (1 unless approval/ranked should name several).
    Poll { options: Vec<String>, seats: u32 },
}

impl ProposalContent {
    pub fn kind(&self) -> ProposalKind {
        match self {
            ProposalContent::RuleChange { .. } => ProposalKind::RuleChange,
            ProposalContent::Decision => ProposalKind::Decision,
            ProposalContent::Election { .. } => ProposalKind::Election,
            ProposalContent::Poll { .. } => ProposalKind::Poll,
        }
    }
}

/// What a member fills in to propose.
#[derive(Clone, Debug)]
pub struct ProposalForm {
    pub title: String,
    /// Markdown.
    pub body: String,
    pub content: ProposalContent,
    /// Rule changes and decisions: `Consent` or `SingleChoice` (a For/Against/Abstain motion).
    /// Elections and polls: `SingleChoice`, `Approval`, `Ranked` or `Score`.
    pub method: Method,
    pub quorum: Quorum,
    /// Motions default to a simple majority; consent to no Block and more Agree than Disagree.
    /// Elections and polls take none.
    pub threshold: Option<Threshold>,
    pub class_policy: ClassPolicy,
    pub ballot: BallotKind,
    /// `None` (or a time already past) opens it now.
    pub opens_at: Option<NaiveDateTime>,
    pub closes_at: NaiveDateTime,
}

/// The options of a motion, in this order.
pub const MOTION_OPTIONS: [&str; 3] = ["For", "Against", "Abstain"];

/// A proposal as the domain sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Proposal {
    pub id: i64,
    pub ap_id: String,
    pub community_id: i64,
    pub author_id: Option<i64>,
    pub local: bool,
    pub kind: ProposalKind,
    pub title: String,
    pub body_markdown: String,
    pub body_html: String,
    /// Rule changes: the operations and the rules version they were written against.
    pub rule_changes: Vec<RuleOp>,
    pub base_rules_version: Option<i64>,
    /// Elections: actor ids, parallel to `options`.
    pub candidates: Vec<i64>,
    /// Option names (empty for consent: see [`Proposal::option_names`]).
    pub options: Vec<String>,
    pub voting: Rules,
    pub ballot: BallotKind,
    pub withdraw_on_leave: bool,
    /// 0: the close time cannot be moved.
    pub max_extension_seconds: i64,
    pub opens_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
    pub original_closes_at: NaiveDateTime,
    pub status: Status,
    /// Eligible members per class, from when it opened.
    pub electorate: Option<Electorate>,
    pub closed_at: Option<NaiveDateTime>,
    pub result: Option<ProposalResult>,
    /// Decisions: passed or failed; elections: whether anyone was elected; polls: `None`.
    pub passed: Option<bool>,
    /// The rules version a passed rule change created.
    pub result_rules_version: Option<i64>,
    /// Why it changed nothing although it passed, or could not be counted.
    pub close_note: Option<String>,
    pub created_at: NaiveDateTime,
}

impl Proposal {
    pub fn from_row(row: store_proposals::Proposal) -> Result<Proposal, GovernanceError> {
        Ok(Proposal {
            id: row.id,
            ap_id: row.ap_id,
            community_id: row.community_id,
            author_id: row.author_id,
            local: row.local,
            kind: ProposalKind::parse(&row.kind)
                .ok_or_else(|| GovernanceError::Invalid(format!("unknown kind {}", row.kind)))?,
            title: row.title,
            body_markdown: row.body_markdown,
            body_html: row.body_html,
            rule_changes: match row.rule_changes.as_deref() {
                Some(s) => serde_json::from_str(s).map_err(|e| corrupt("rule changes", e))?,
                None => Vec::new(),
            },
            base_rules_version: row.base_rules_version,
            candidates: match row.candidates.as_deref() {
                Some(s) => serde_json::from_str(s).map_err(|e| corrupt("candidates", e))?,
                None => Vec::new(),
            },
            options: serde_json::from_str(&row.options).map_err(|e| corrupt("options", e))?,
            voting: serde_json::from_str(&row.voting).map_err(|e| corrupt("voting rules", e))?,
            ballot: BallotKind::parse(&row.ballot).ok_or_else(|| {
                GovernanceError::Invalid(format!("unknown ballot kind {}", row.ballot))
            })?,
            withdraw_on_leave: row.withdraw_on_leave,
            max_extension_seconds: row.max_extension_seconds,
            opens_at: row.opens_at,
            closes_at: row.closes_at,
            original_closes_at: row.original_closes_at,
            status: Status::parse(&row.status).ok_or_else(|| {
                GovernanceError::Invalid(format!("unknown status {}", row.status))
            })?,
            electorate: match row.electorate.as_deref() {
                Some(s) => Some(serde_json::from_str(s).map_err(|e| corrupt("electorate", e))?),
                None => None,
            },
            closed_at: row.closed_at,
            result: match row.result.as_deref() {
                Some(s) => Some(serde_json::from_str(s).map_err(|e| corrupt("result", e))?),
                None => None,
            },
            passed: row.passed,
            result_rules_version: row.result_rules_version,
            close_note: row.close_note,
            created_at: row.created_at,
        })
    }

    /// The names a voter chooses among: the options, or for consent agree/abstain/disagree/block.
    pub fn option_names(&self) -> Vec<String> {
        if self.voting.method == Method::Consent {
            ConsentChoice::ALL
                .iter()
                .map(|c| c.name().to_string())
                .collect()
        } else {
            self.options.clone()
        }
    }

    /// The index of an option by name (trimmed, case-insensitive), as ballots refer to it.
    pub fn option_index(&self, name: &str) -> Option<usize> {
        let key = name.trim().to_lowercase();
        self.option_names()
            .iter()
            .position(|o| o.trim().to_lowercase() == key)
    }

    /// Whether results are shown while voting goes on (roll call) or only once closed (secret).
    pub fn live_results(&self) -> bool {
        self.ballot == BallotKind::RollCall
    }

    /// Whether votes are taken at `now`.
    pub fn accepts_votes_at(&self, now: NaiveDateTime) -> bool {
        self.status == Status::Open && now < self.closes_at
    }
}

/// Timestamps keep microseconds, as both databases do.
pub(crate) fn micros(t: NaiveDateTime) -> NaiveDateTime {
    t - chrono::Duration::nanoseconds(i64::from(t.and_utc().timestamp_subsec_nanos() % 1000))
}

/// Eligible members per class: every class of the community (0 if empty), plus any class a
/// member holds that the community no longer lists.
pub(crate) fn electorate_of<'a>(
    community_classes: &[String],
    member_classes: impl IntoIterator<Item = &'a String>,
) -> Electorate {
    let mut counts: BTreeMap<String, u64> =
        community_classes.iter().map(|c| (c.clone(), 0)).collect();
    for c in member_classes {
        *counts.entry(c.clone()).or_default() += 1;
    }
    Electorate::from_counts(counts).unwrap_or_default()
}

/// A proposal by id.
pub fn get(conn: &mut DbConn, proposal_id: i64) -> Result<Proposal, GovernanceError> {
    Proposal::from_row(store_proposals::by_id(conn, proposal_id).map_err(not_found)?)
}

/// A proposal by its ActivityPub id.
pub fn by_ap_id(conn: &mut DbConn, ap_id: &str) -> Result<Option<Proposal>, GovernanceError> {
    store_proposals::by_ap_id(conn, ap_id)?
        .map(Proposal::from_row)
        .transpose()
}

/// A community's proposals, newest first.
pub fn list(
    conn: &mut DbConn,
    community_id: i64,
    status: Option<Status>,
    limit: i64,
) -> Result<Vec<Proposal>, GovernanceError> {
    store_proposals::list(
        conn,
        community_id,
        status.map(Status::as_str),
        limit.clamp(1, 500),
    )?
    .into_iter()
    .map(Proposal::from_row)
    .collect()
}

/// A rule change's diff: the rules it was written against, and those rules with it applied.
/// `None` for other kinds, or when the base version is gone.
pub fn change_diff(
    conn: &mut DbConn,
    proposal: &Proposal,
) -> Result<Option<RulesDiff>, GovernanceError> {
    if proposal.kind != ProposalKind::RuleChange {
        return Ok(None);
    }
    let base_no = proposal.base_rules_version.unwrap_or(0);
    let Some(base) = rules::version(conn, proposal.community_id, base_no)? else {
        return Ok(None);
    };
    let (after, _) = rules::apply(&base.rules, base.next_rule_id, &proposal.rule_changes)?;
    Ok(Some(rules::diff(
        &base.rules,
        &after,
        &format!("version {base_no}"),
        "proposed",
    )))
}

fn invalid(msg: impl Into<String>) -> GovernanceError {
    GovernanceError::Invalid(msg.into())
}

/// A member proposes. Checks who may propose, the text, the window and the voting rules (with
/// the tally engine's own validation), then stores it; if it opens now, the electorate is
/// snapshotted and `ProposalOpened` published in the same transaction.
pub fn create(
    conn: &mut DbConn,
    publisher: &dyn Publisher,
    instance: &Instance,
    community_id: i64,
    author_actor_id: i64,
    form: &ProposalForm,
) -> Result<Proposal, GovernanceError> {
    let (c, community_actor) = community(conn, community_id)?;
    if !c.local {
        return Err(GovernanceError::Remote);
    }
    let member = match memberships::find(conn, community_id, author_actor_id)? {
        Some(m) if m.is_active() => m,
        _ => return Err(GovernanceError::NotMember),
    };
    let gov = settings::get(conn, community_id)?;
    if !gov.proposers.admits(&member) {
        return Err(GovernanceError::MayNotPropose(match &gov.proposers {
            Proposers::AnyMember => "members".into(),
            p => p.describe(),
        }));
    }

    let title = form.title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE {
        return Err(invalid(format!("Title: 1 to {MAX_TITLE} characters.")));
    }
    let body = form.body.trim();
    if body.chars().count() > MAX_BODY {
        return Err(invalid(format!("Text: at most {MAX_BODY} characters.")));
    }

    let now = store::now();
    let opens_at = match form.opens_at.map(micros) {
        Some(t) if t > now => t,
        _ => now,
    };
    let closes_at = micros(form.closes_at);
    if closes_at <= opens_at {
        return Err(invalid("The vote must close after it opens."));
    }
    if closes_at - opens_at > chrono::Duration::days(MAX_WINDOW_DAYS) {
        return Err(invalid(format!(
            "A vote may stay open at most {MAX_WINDOW_DAYS} days."
        )));
    }

    let kind = form.content.kind();
    let mut threshold = form.threshold;
    let mut rule_changes = None;
    let mut base_rules_version = None;
    let mut candidates = None;
    let (options, seats): (Vec<String>, u32) = match &form.content {
        ProposalContent::RuleChange { .. } | ProposalContent::Decision => {
            let options = match form.method {
                Method::Consent => Vec::new(),
                Method::SingleChoice => {
                    threshold.get_or_insert(Threshold::SimpleMajority);
                    MOTION_OPTIONS.iter().map(|s| s.to_string()).collect()
                }
                _ => return Err(invalid(
                    "A rule change or decision is voted by consent or For/Against (single choice).",
                )),
            };
            if let ProposalContent::RuleChange { changes } = &form.content {
                let ops = rules::normalise(changes);
                let current = rules::current(conn, community_id)?;
                rules::apply(&current.rules, current.next_rule_id, &ops)?;
                rule_changes =
                    Some(serde_json::to_string(&ops).map_err(|e| invalid(e.to_string()))?);
                base_rules_version = Some(current.version);
            }
            (options, 1)
        }
        ProposalContent::Election {
            candidates: ids,
            seats,
        } => {
            if form.threshold.is_some() {
                return Err(invalid("An election has winners, not a threshold."));
            }
            let mut names = Vec::with_capacity(ids.len());
            for (i, &id) in ids.iter().enumerate() {
                if ids[..i].contains(&id) {
                    return Err(invalid("A candidate is listed twice."));
                }
                match memberships::find(conn, community_id, id)? {
                    Some(m) if m.is_active() => {}
                    _ => {
                        return Err(invalid(
                            "Every candidate must be an active member of the community.",
                        ))
                    }
                }
                let a = actors::by_id(conn, id)?;
                names.push(if a.local {
                    a.name
                } else {
                    format!("{}@{}", a.name, a.domain)
                });
            }
            candidates = Some(serde_json::to_string(ids).map_err(|e| invalid(e.to_string()))?);
            (names, *seats)
        }
        ProposalContent::Poll { options, seats } => {
            if form.threshold.is_some() {
                return Err(invalid("A poll has winners, not a threshold."));
            }
            if options.len() > MAX_OPTIONS {
                return Err(invalid(format!("At most {MAX_OPTIONS} options.")));
            }
            let options: Vec<String> = options.iter().map(|o| o.trim().to_string()).collect();
            if options.iter().any(|o| o.chars().count() > MAX_OPTION) {
                return Err(invalid(format!(
                    "An option is at most {MAX_OPTION} characters."
                )));
            }
            (options, *seats)
        }
    };
    if !kind.is_decision() && form.method == Method::Consent {
        return Err(invalid(
            "Elections and polls are voted by single choice, approval, ranking or score.",
        ));
    }
    let voting = Rules {
        method: form.method,
        quorum: form.quorum,
        threshold,
        class_policy: form.class_policy.clone(),
        seats,
    };
    // The engine's own checks, against the community's classes and its members now.
    let member_classes = store_proposals::active_class_counts(conn, community_id)?;
    let electorate_now = electorate_of(&c.classes(), &member_classes);
    voting.validate_for(&options, &electorate_now)?;

    let opens_now = opens_at <= now;
    let options_json = serde_json::to_string(&options).map_err(|e| invalid(e.to_string()))?;
    let voting_json = serde_json::to_string(&voting).map_err(|e| invalid(e.to_string()))?;
    let body_html = markdown::to_safe_html(body);
    let provisional = instance.provisional_id();
    let id = crate::store::write_transaction(conn, |conn| {
        let row = store_proposals::insert(
            conn,
            &NewProposal {
                ap_id: &provisional,
                community_id,
                author_id: Some(author_actor_id),
                local: true,
                kind: kind.as_str(),
                title,
                body_markdown: body,
                body_html: &body_html,
                rule_changes: rule_changes.as_deref(),
                base_rules_version,
                candidates: candidates.as_deref(),
                options: &options_json,
                voting: &voting_json,
                ballot: form.ballot.as_str(),
                withdraw_on_leave: gov.withdraw_on_leave,
                max_extension_seconds: if gov.allow_extension {
                    gov.max_extension_seconds
                } else {
                    0
                },
                opens_at,
                closes_at,
                original_closes_at: closes_at,
                status: if opens_now { "open" } else { "scheduled" },
                created_at: now,
                updated_at: now,
            },
        )?;
        let ap_id = format!("{}/proposals/{}", community_actor.ap_id, row.id);
        store_proposals::set_ap_id(conn, row.id, &ap_id)?;
        if opens_now {
            snapshot(conn, row.id, community_id, &c.classes())?;
            publisher.publish(
                conn,
                Event::ProposalOpened {
                    proposal_id: row.id,
                },
            )?;
        }
        Ok::<_, GovernanceError>(row.id)
    })?;
    get(conn, id)
}

/// Copies the electorate (call in the opening transaction).
pub(crate) fn snapshot(
    conn: &mut DbConn,
    proposal_id: i64,
    community_id: i64,
    community_classes: &[String],
) -> Result<Electorate, GovernanceError> {
    let members = store_proposals::snapshot_electorate(conn, proposal_id, community_id)?;
    let electorate = electorate_of(community_classes, members.iter().map(|(_, c)| c));
    let json = serde_json::to_string(&electorate).map_err(|e| invalid(e.to_string()))?;
    store_proposals::set_electorate(conn, proposal_id, &json)?;
    Ok(electorate)
}

/// A moderator moves an open proposal's close time later, within the extension the community
/// allowed when the proposal was made (none by default).
pub fn extend(
    conn: &mut DbConn,
    publisher: &dyn Publisher,
    proposal_id: i64,
    moderator_actor_id: i64,
    new_closes_at: NaiveDateTime,
) -> Result<Proposal, GovernanceError> {
    let p = get(conn, proposal_id)?;
    if !p.local {
        return Err(GovernanceError::Remote);
    }
    match memberships::find(conn, p.community_id, moderator_actor_id)? {
        Some(m) if m.is_moderator() => {}
        _ => return Err(GovernanceError::NotAllowed("the community's moderators")),
    }
    let now = store::now();
    if p.status == Status::Closed || now >= p.closes_at {
        return Err(GovernanceError::Closed);
    }
    if p.max_extension_seconds <= 0 {
        return Err(invalid(
            "This community's rules did not allow extending this vote when it was proposed.",
        ));
    }
    let new_closes_at = micros(new_closes_at);
    if new_closes_at <= p.closes_at {
        return Err(invalid("An extension must move the close time later."));
    }
    let limit = p.original_closes_at + chrono::Duration::seconds(p.max_extension_seconds);
    if new_closes_at > limit {
        return Err(invalid(format!(
            "This vote may be extended at most until {} UTC.",
            limit.format("%Y-%m-%d %H:%M:%S")
        )));
    }
    crate::store::write_transaction(conn, |conn| {
        if store_proposals::extend(conn, p.id, new_closes_at, now)? == 0 {
            return Err(GovernanceError::Closed);
        }
        publisher.publish(conn, Event::ProposalExtended { proposal_id: p.id })?;
        Ok(())
    })?;
    get(conn, p.id)
}
