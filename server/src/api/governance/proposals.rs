//! Proposals through the API: list, create, read, vote, the caller's ballot, results (with the
//! roll call of a roll-call vote) and receipt checks.

use std::collections::BTreeMap;

use activitypub_federation::config::Data;
use actix_web::{get, post, web, HttpResponse};
use chrono::NaiveDateTime;
use commonhall_frontend::{BallotInput, ProposalInput};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{DiffOut, ProposalSummaryOut};
use crate::api::auth::ApiUser;
use crate::api::error::{nul_free, ApiError, ErrorBody};
use crate::domain::governance::tally::Method;
use crate::domain::governance::{
    ballots, proposals, Cast, GovernanceError, Proposal, ProposalContent, RuleOp, Status,
};
use crate::federation::receipts;
use crate::state::AppState;
use crate::store::block_reasons;
use crate::web::governance::{input, service};

/// A proposal in full.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalOut {
    #[serde(flatten)]
    pub summary: ProposalSummaryOut,
    pub author_id: Option<String>,
    pub body_markdown: String,
    pub body_html: String,
    /// What a ballot chooses among (consent: agree, abstain, disagree, block).
    pub options: Vec<String>,
    /// Method, quorum, threshold, class policy and seats, as the tally engine reads them.
    #[schema(value_type = Object)]
    pub voting: serde_json::Value,
    /// Rule changes: the operations, and the diff against the rules they were written for.
    #[schema(value_type = Vec<Object>)]
    pub rule_changes: Vec<RuleOp>,
    pub diff: Option<DiffOut>,
    pub eligible: u64,
    pub ballots: u64,
    pub closed_at: Option<NaiveDateTime>,
    /// The rules version a passed rule change created.
    pub result_rules_version: Option<i64>,
    pub close_note: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProposal {
    /// `rule_change`, `decision`, `election` or `poll`.
    pub kind: String,
    pub title: String,
    /// Markdown.
    #[serde(default)]
    pub body: String,
    /// `consent`, `single_choice`, `approval`, `ranked` or `score`.
    pub method: String,
    /// UTC (`2027-01-31T18:00:00Z` or `2027-01-31 18:00`); now when left out.
    pub opens_at: Option<String>,
    pub closes_at: String,
    /// `50%`, `1/2`, `0.5` or `10 ballots`; none when left out.
    pub quorum: Option<String>,
    /// `simple_majority`, `two_thirds`, `consent`, `consent:2/3` or a fraction.
    pub threshold: Option<String>,
    /// `secret` (default) or `roll_call`.
    pub ballot: Option<String>,
    /// `one_member_one_vote` (default), `weighted_classes` or `concurrent_majorities`.
    pub class_policy: Option<String>,
    /// Weighted classes: class → share; the shares must add up to 1.
    #[serde(default)]
    pub weights: BTreeMap<String, String>,
    /// Polls: the options.
    #[serde(default)]
    pub options: Vec<String>,
    /// Elections: the candidates' user names (members of this instance).
    #[serde(default)]
    pub candidates: Vec<String>,
    pub seats: Option<u32>,
    /// Rule changes: `{"op":"add","title","text","position"?}`, `{"op":"amend","rule","title","text"}`,
    /// `{"op":"repeal","rule"}`, `{"op":"reorder","order":[ids]}`, applied in order.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub changes: Vec<RuleOp>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoteBody {
    /// Consent: `agree`, `abstain`, `disagree` or `block`. Single choice: the option's name.
    pub choice: Option<String>,
    /// Approval: the names of the options approved.
    #[serde(default)]
    pub approve: Vec<String>,
    /// Ranked: option names, most preferred first.
    #[serde(default)]
    pub ranking: Vec<String>,
    /// Score: option name → 0..=5, for every option.
    #[serde(default)]
    pub scores: BTreeMap<String, u8>,
    /// Required with `block`.
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VoteOut {
    /// `false` when the ballot was the same as the one already cast (nothing changed).
    pub recorded: bool,
    /// Whether it replaced an earlier ballot.
    pub changed: bool,
    /// Shown only now: keep it to check later that the ballot was counted.
    pub receipt: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BallotOut {
    /// Your current ballot in words; null when you have none (or the secret ballot has closed).
    pub chosen: Option<Vec<String>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RollCallOut {
    pub voter: String,
    pub voter_id: String,
    pub class: String,
    pub chosen: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResultsOut {
    pub status: String,
    pub ballots: u64,
    pub eligible: u64,
    /// The outcome (per option, per class, turnout, quorum, passed, winners, rounds): once
    /// closed, or live for a roll-call vote; null for an open secret ballot.
    #[schema(value_type = Option<Object>)]
    pub result: Option<serde_json::Value>,
    /// Roll-call votes only.
    pub roll_call: Option<Vec<RollCallOut>>,
    /// Reasons given with a Block (never with names).
    pub block_reasons: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptBody {
    pub receipt: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptOut {
    /// Whether the ballot with this receipt is in the published count.
    pub counted: bool,
    /// `false` while the count is a live roll-call count.
    #[serde(rename = "final")]
    pub is_final: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// `scheduled`, `open` or `closed`; all when left out.
    pub status: Option<String>,
}

fn proposal_out(
    c: &mut crate::store::DbConn,
    p: &Proposal,
) -> Result<ProposalOut, GovernanceError> {
    let counts = ballots::results(c, p.id)?;
    let diff = proposals::change_diff(c, p)?.map(|d| DiffOut::of(&d));
    let author_id = match p.author_id {
        Some(a) => Some(crate::store::actors::by_id(c, a)?.ap_id),
        None => None,
    };
    Ok(ProposalOut {
        summary: ProposalSummaryOut::of(p),
        author_id,
        body_markdown: p.body_markdown.clone(),
        body_html: p.body_html.clone(),
        options: p.option_names(),
        voting: serde_json::to_value(&p.voting)
            .map_err(|e| GovernanceError::Invalid(e.to_string()))?,
        rule_changes: p.rule_changes.clone(),
        diff,
        eligible: counts.eligible,
        ballots: counts.ballots,
        closed_at: p.closed_at,
        result_rules_version: p.result_rules_version,
        close_note: p.close_note.clone(),
    })
}

/// A community's proposals, newest first.
#[utoipa::path(get, path = "/api/v1/communities/{name}/proposals", tag = "governance",
    params(("name" = String, Path), ListQuery),
    responses((status = 200, body = [ProposalSummaryOut]), (status = 400, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
#[get("/communities/{name}/proposals")]
pub async fn list_proposals(
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<ListQuery>,
) -> Result<web::Json<Vec<ProposalSummaryOut>>, ApiError> {
    let status = match query.status.as_deref() {
        None => None,
        Some(s) => Some(Status::parse(s).ok_or_else(|| {
            ApiError::BadRequest("status: use scheduled, open or closed.".into())
        })?),
    };
    let key = path.into_inner();
    let st = state.clone();
    let list = state
        .db(move |c| {
            let (cm, _) = service::community(c, &st.instance, &key)?;
            proposals::list(c, cm.id, status, 500)
        })
        .await?;
    Ok(web::Json(list.iter().map(ProposalSummaryOut::of).collect()))
}

/// Make a proposal (members, as the community's governance settings allow).
#[utoipa::path(post, path = "/api/v1/communities/{name}/proposals", tag = "governance",
    security(("bearer" = [])), params(("name" = String, Path)), request_body = NewProposal,
    responses((status = 201, body = ProposalOut), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/communities/{name}/proposals")]
pub async fn create_proposal(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<String>,
    body: web::Json<NewProposal>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    nul_free(
        [b.title.as_str(), &b.body]
            .into_iter()
            .chain(b.options.iter().map(String::as_str))
            .chain(b.changes.iter().flat_map(|op| match op {
                RuleOp::Add { title, text, .. } | RuleOp::Amend { title, text, .. } => {
                    vec![title.as_str(), text.as_str()]
                }
                _ => Vec::new(),
            })),
    )?;
    let terms = ProposalInput {
        kind: b.kind.clone(),
        title: b.title,
        body: b.body,
        method: b.method,
        opens_at: b.opens_at.unwrap_or_default(),
        closes_at: b.closes_at,
        quorum: b.quorum.unwrap_or_default(),
        threshold: b.threshold.unwrap_or_default(),
        ballot: b.ballot.unwrap_or_else(|| "secret".into()),
        class_policy: b.class_policy.unwrap_or_default(),
        weights: b.weights,
        ..ProposalInput::default()
    };
    let seats = b.seats.unwrap_or(1);
    let (changes, options, candidates) = (b.changes, b.options, b.candidates);
    let key = path.into_inner();
    let person = user.live.actor.id;
    let st = state.clone();
    let out = state
        .db(move |c| {
            let (cm, _) = service::community(c, &st.instance, &key)?;
            let content = match b.kind.as_str() {
                "rule_change" => ProposalContent::RuleChange { changes },
                "decision" => ProposalContent::Decision,
                "election" => ProposalContent::Election {
                    candidates: service::candidates(c, &candidates)?,
                    seats,
                },
                "poll" => ProposalContent::Poll { options, seats },
                other => {
                    return Err(GovernanceError::Invalid(format!(
                        "kind “{other}”: use rule_change, decision, election or poll."
                    )))
                }
            };
            let form = input::proposal_form(&terms, content)?;
            let p = proposals::create(c, &*st.publisher, &st.instance, cm.id, person, &form)?;
            proposal_out(c, &p)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// One proposal.
#[utoipa::path(get, path = "/api/v1/communities/{name}/proposals/{id}", tag = "governance",
    params(("name" = String, Path), ("id" = i64, Path)),
    responses((status = 200, body = ProposalOut), (status = 404, body = ErrorBody)))]
#[get("/communities/{name}/proposals/{id}")]
pub async fn get_proposal(
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> Result<web::Json<ProposalOut>, ApiError> {
    let (key, id) = path.into_inner();
    let st = state.clone();
    let out = state
        .db(move |c| {
            let p = service::find(c, &st.instance, &key, id)?;
            proposal_out(c, &p)
        })
        .await?;
    Ok(web::Json(out))
}

/// The API's option names as the form's option indices.
fn ballot_input(p: &Proposal, b: VoteBody) -> Result<BallotInput, GovernanceError> {
    let index = |name: &str| {
        p.option_index(name)
            .map(|i| i.to_string())
            .ok_or_else(|| GovernanceError::Invalid(format!("There is no option “{name}”.")))
    };
    let choice = match (p.voting.method, b.choice) {
        (Method::SingleChoice, Some(name)) => Some(index(&name)?),
        (_, other) => other,
    };
    for (n, name) in b.ranking.iter().enumerate() {
        if b.ranking[..n]
            .iter()
            .any(|x| p.option_index(x) == p.option_index(name))
        {
            return Err(GovernanceError::Invalid(format!(
                "“{name}” is ranked twice: rank each option once."
            )));
        }
    }
    Ok(BallotInput {
        choice,
        approved: b
            .approve
            .iter()
            .map(|n| index(n))
            .collect::<Result<_, _>>()?,
        ranks: b
            .ranking
            .iter()
            .enumerate()
            .map(|(r, n)| Ok((index(n)?, (r + 1).to_string())))
            .collect::<Result<_, GovernanceError>>()?,
        scores: b
            .scores
            .iter()
            .map(|(n, s)| Ok((index(n)?, s.to_string())))
            .collect::<Result<_, GovernanceError>>()?,
        reason: b.reason,
    })
}

/// Vote, or change your vote (only the latest counts) while the proposal is open.
#[utoipa::path(post, path = "/api/v1/communities/{name}/proposals/{id}/vote", tag = "governance",
    security(("bearer" = [])), params(("name" = String, Path), ("id" = i64, Path)),
    request_body = VoteBody,
    responses((status = 200, body = VoteOut), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
#[post("/communities/{name}/proposals/{id}/vote")]
pub async fn vote(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<(String, i64)>,
    body: web::Json<VoteBody>,
) -> Result<web::Json<VoteOut>, ApiError> {
    let (key, id) = path.into_inner();
    let b = body.into_inner();
    nul_free(b.reason.as_deref())?;
    let person = user.live.actor.id;
    let st = state.clone();
    let cast = state
        .db(move |c| {
            let p = service::find(c, &st.instance, &key, id)?;
            let ballot = ballot_input(&p, b)?;
            service::vote(c, &st, &p, person, &ballot)
        })
        .await?;
    Ok(web::Json(match cast {
        Cast::Counted { receipt, changed } => VoteOut {
            recorded: true,
            changed,
            receipt: Some(receipt),
        },
        Cast::Unchanged => VoteOut {
            recorded: false,
            changed: false,
            receipt: None,
        },
    }))
}

/// Your current ballot on a proposal.
#[utoipa::path(get, path = "/api/v1/communities/{name}/proposals/{id}/ballot", tag = "governance",
    security(("bearer" = [])), params(("name" = String, Path), ("id" = i64, Path)),
    responses((status = 200, body = BallotOut), (status = 404, body = ErrorBody)))]
#[get("/communities/{name}/proposals/{id}/ballot")]
pub async fn my_ballot(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<(String, i64)>,
) -> Result<web::Json<BallotOut>, ApiError> {
    let (key, id) = path.into_inner();
    let person = user.live.actor.id;
    let st = state.clone();
    let chosen = state
        .db(move |c| {
            let p = service::find(c, &st.instance, &key, id)?;
            Ok::<_, GovernanceError>(
                ballots::my_ballot(c, p.id, person)?.map(|b| ballots::describe(&p, &b)),
            )
        })
        .await?;
    Ok(web::Json(BallotOut { chosen }))
}

/// Turnout, and the count as the ballot kind allows (live for roll call, after close for secret).
#[utoipa::path(get, path = "/api/v1/communities/{name}/proposals/{id}/results", tag = "governance",
    params(("name" = String, Path), ("id" = i64, Path)),
    responses((status = 200, body = ResultsOut), (status = 404, body = ErrorBody)))]
#[get("/communities/{name}/proposals/{id}/results")]
pub async fn results(
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> Result<web::Json<ResultsOut>, ApiError> {
    let (key, id) = path.into_inner();
    let st = state.clone();
    let out = state
        .db(move |c| {
            let p = service::find(c, &st.instance, &key, id)?;
            let r = ballots::results(c, p.id)?;
            let roll_call = match p.live_results() {
                true => Some(
                    ballots::roll_call(c, p.id)?
                        .into_iter()
                        .map(|e| RollCallOut {
                            voter: e.voter,
                            voter_id: e.voter_ap_id,
                            class: e.class,
                            chosen: e.chosen,
                        })
                        .collect(),
                ),
                false => None,
            };
            Ok::<_, GovernanceError>(ResultsOut {
                status: r.status.as_str().into(),
                ballots: r.ballots,
                eligible: r.eligible,
                result: r
                    .result
                    .as_ref()
                    .map(serde_json::to_value)
                    .transpose()
                    .map_err(|e| GovernanceError::Invalid(e.to_string()))?,
                roll_call,
                block_reasons: block_reasons::current(c, p.id)?,
            })
        })
        .await?;
    Ok(web::Json(out))
}

/// Check that the ballot with this receipt is in the published count.
#[utoipa::path(post, path = "/api/v1/communities/{name}/proposals/{id}/receipt", tag = "governance",
    params(("name" = String, Path), ("id" = i64, Path)), request_body = ReceiptBody,
    responses((status = 200, body = ReceiptOut), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
#[post("/communities/{name}/proposals/{id}/receipt")]
pub async fn check_receipt(
    data: Data<AppState>,
    path: web::Path<(String, i64)>,
    body: web::Json<ReceiptBody>,
) -> Result<web::Json<ReceiptOut>, ApiError> {
    let (key, id) = path.into_inner();
    let receipt = body.into_inner().receipt;
    let st = (*data).clone();
    let proposal = data
        .db(move |c| Ok::<_, GovernanceError>(service::find(c, &st.instance, &key, id)?.id))
        .await?;
    let checked = receipts::check(&data, proposal, receipt).await?;
    Ok(web::Json(ReceiptOut {
        counted: checked.counted,
        is_final: checked.is_final,
    }))
}
