//! What a proposal is: its kind, content, voting rules, ballot kind and status, and how a stored
//! row becomes one.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::super::ballots::ProposalResult;
use super::super::rules::RuleOp;
use super::super::tally::{
    ClassPolicy, ConsentChoice, Electorate, Method, Quorum, Rules, Threshold,
};
use super::super::{corrupt, GovernanceError};
use crate::store::proposals as store_proposals;

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
