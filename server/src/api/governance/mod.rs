//! Governance endpoints under `/communities/{name}/…`: rules and their history, proposals (list,
//! create, read), voting, the caller's ballot, results, receipt checks and the settings.

pub mod extend;
pub mod proposals;
pub mod rules;

use actix_web::http::StatusCode;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::governance::GovernanceError;
use crate::store::StoreError;
use crate::web::governance::views;

/// Code and status of a governance error: refusals are 4xx with the domain's sentence; database
/// and queueing failures are ours.
pub fn status(e: &GovernanceError) -> (&'static str, StatusCode) {
    use GovernanceError as G;
    match e {
        G::Invalid(_) | G::VotingRules(_) | G::Ballot(_) | G::RuleChange(_) | G::Remote => {
            ("invalid", StatusCode::UNPROCESSABLE_ENTITY)
        }
        G::NotFound | G::CommunityNotFound | G::Database(diesel::result::Error::NotFound) => {
            ("not_found", StatusCode::NOT_FOUND)
        }
        G::NotMember => ("not_member", StatusCode::FORBIDDEN),
        G::MayNotPropose(_) => ("may_not_propose", StatusCode::FORBIDDEN),
        G::NotAllowed(_) => ("forbidden", StatusCode::FORBIDDEN),
        G::NotEligible => ("not_eligible", StatusCode::FORBIDDEN),
        G::SecretBallot => ("secret_ballot", StatusCode::FORBIDDEN),
        G::NotYetOpen => ("not_open", StatusCode::CONFLICT),
        G::Closed => ("closed", StatusCode::CONFLICT),
        G::Conflict(_) => ("conflict", StatusCode::CONFLICT),
        G::Store(StoreError::Pool(_)) => ("unavailable", StatusCode::SERVICE_UNAVAILABLE),
        G::Database(_) | G::Publish(_) | G::Store(_) => {
            ("internal", StatusCode::INTERNAL_SERVER_ERROR)
        }
    }
}

/// A proposal in lists.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalSummaryOut {
    pub id: i64,
    /// Its ActivityPub id.
    pub ap_id: String,
    /// `rule_change`, `decision`, `election` or `poll`.
    pub kind: String,
    pub title: String,
    /// `scheduled`, `open` or `closed`.
    pub status: String,
    /// `consent`, `single_choice`, `approval`, `ranked` or `score`.
    pub method: String,
    /// `secret` or `roll_call`.
    pub ballot: String,
    pub opens_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
    /// Decisions: passed or failed once closed; elections: whether anyone was elected.
    pub passed: Option<bool>,
    /// The outcome in words, once closed.
    pub verdict: Option<String>,
}

impl ProposalSummaryOut {
    pub fn of(p: &crate::domain::governance::Proposal) -> ProposalSummaryOut {
        ProposalSummaryOut {
            id: p.id,
            ap_id: p.ap_id.clone(),
            kind: p.kind.as_str().into(),
            title: p.title.clone(),
            status: p.status.as_str().into(),
            method: views::method_str(p.voting.method).into(),
            ballot: p.ballot.as_str().into(),
            opens_at: p.opens_at,
            closes_at: p.closes_at,
            passed: p.passed,
            verdict: views::verdict(p),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DiffLineOut {
    /// `same`, `added` or `removed`.
    pub tag: String,
    pub text: String,
}

/// A line diff between two versions of the rules.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiffOut {
    pub lines: Vec<DiffLineOut>,
    /// The same as a unified diff.
    pub unified: String,
    pub added: usize,
    pub removed: usize,
}

impl DiffOut {
    pub fn of(d: &crate::domain::governance::RulesDiff) -> DiffOut {
        let v = views::diff_view(d);
        DiffOut {
            lines: v
                .lines
                .into_iter()
                .map(|l| DiffLineOut {
                    tag: l.tag,
                    text: l.text,
                })
                .collect(),
            unified: d.unified.clone(),
            added: d.added,
            removed: d.removed,
        }
    }
}

/// Who may propose and how votes may be extended.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsBody {
    /// `any` (every member) or `only` (the classes and roles listed).
    pub proposers: String,
    #[serde(default)]
    pub classes: Vec<String>,
    /// `member`, `moderator` (admits owners too) or `owner`.
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub allow_extension: bool,
    /// The most a vote may be extended past its original close (with `allow_extension`).
    #[serde(default)]
    pub max_extension_seconds: i64,
    #[serde(default)]
    pub withdraw_on_leave: bool,
}

/// Registers the governance endpoints.
pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.service(rules::get_rules)
        .service(rules::get_rules_history)
        .service(rules::get_settings)
        .service(rules::put_settings)
        .service(proposals::list_proposals)
        .service(proposals::create_proposal)
        .service(proposals::get_proposal)
        .service(proposals::vote)
        .service(proposals::my_ballot)
        .service(proposals::results)
        .service(proposals::check_receipt)
        .service(extend::extend_proposal);
}
