//! Server functions for governance: rules, history, proposals, ballots, receipts and settings.
//! Thin, like the others: check CSRF, find the viewer, call the `GovernanceBackend`, redirect.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::backend::{
    AppError, GovSettingsView, HistoryView, NewRule, ProposalFormView, ProposalView, ProposalsView,
    RuleEdit, RulesView,
};
#[cfg(feature = "ssr")]
use crate::backend::{BallotInput, GovSettingsInput, ProposalInput, VoteOutcome};
#[cfg(feature = "ssr")]
use crate::ssr;

/// Where a community's governance pages live.
pub fn gov_path(key: &str, rest: &str) -> String {
    format!("/c/{key}/{rest}")
}

/// The address of a proposal's page.
pub fn proposal_path(key: &str, id: i64) -> String {
    format!("/c/{key}/proposals/{id}")
}

#[cfg(feature = "ssr")]
pub mod port {
    //! The server's `GovernanceBackend`, provided as context like the `Backend`.

    use std::sync::Arc;

    use leptos::prelude::use_context;

    use crate::backend::{AppError, GovernanceBackend};

    #[derive(Clone)]
    pub struct GovernanceHandle(pub Arc<dyn GovernanceBackend>);

    pub fn governance() -> Result<Arc<dyn GovernanceBackend>, AppError> {
        use_context::<GovernanceHandle>()
            .map(|h| h.0)
            .ok_or(AppError::Internal)
    }

    /// The receipt cookie: shown once on the proposal's page after voting, then cleared.
    pub const RECEIPT_COOKIE: &str = "ch_receipt";

    pub fn receipt_cookie(proposal_id: i64, receipt: &str) -> String {
        format!("{RECEIPT_COOKIE}={proposal_id}.{receipt}; Path=/; Max-Age=600; HttpOnly; SameSite=Strict")
    }

    pub fn clear_receipt_cookie() -> String {
        format!("{RECEIPT_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict")
    }
}

#[server(prefix = "/_app", endpoint = "gov_rules")]
pub async fn get_rules(key: String) -> Result<RulesView, AppError> {
    let session = ssr::session();
    port::governance()?
        .rules(session.viewer.as_ref(), key)
        .await
}

#[server(prefix = "/_app", endpoint = "gov_found_rules")]
pub async fn found_rules(csrf: String, key: String, rules: String) -> Result<(), AppError> {
    let session = ssr::check_csrf(&csrf)?;
    let viewer = ssr::require_viewer(&session)?;
    port::governance()?
        .found_rules(&viewer, key.clone(), rules)
        .await?;
    leptos_actix::redirect(&gov_path(&key, "rules"));
    Ok(())
}

#[server(prefix = "/_app", endpoint = "gov_history")]
pub async fn get_rules_history(key: String) -> Result<HistoryView, AppError> {
    let session = ssr::session();
    port::governance()?
        .rules_history(session.viewer.as_ref(), key)
        .await
}

#[server(prefix = "/_app", endpoint = "gov_proposals")]
pub async fn get_proposals(key: String) -> Result<ProposalsView, AppError> {
    let session = ssr::session();
    port::governance()?
        .proposals(session.viewer.as_ref(), key)
        .await
}

#[server(prefix = "/_app", endpoint = "gov_proposal_form")]
pub async fn get_proposal_form(key: String) -> Result<ProposalFormView, AppError> {
    let viewer = ssr::require_viewer(&ssr::session())?;
    port::governance()?.proposal_form(&viewer, key).await
}

#[server(prefix = "/_app", endpoint = "gov_proposal")]
pub async fn get_proposal(
    key: String,
    id: i64,
    roll_call_page: i64,
) -> Result<ProposalView, AppError> {
    let session = ssr::session();
    port::governance()?
        .proposal(session.viewer.as_ref(), key, id, roll_call_page)
        .await
}

/// The receipt of the vote just cast on this proposal, once: reading it clears it.
#[server(prefix = "/_app", endpoint = "gov_take_receipt")]
pub async fn take_receipt(id: i64) -> Result<Option<String>, AppError> {
    let Some(req) = use_context::<leptos_actix::Request>() else {
        return Ok(None);
    };
    let Some(cookie) = req.cookie(port::RECEIPT_COOKIE) else {
        return Ok(None);
    };
    let receipt = cookie
        .value()
        .split_once('.')
        .filter(|(pid, _)| *pid == id.to_string())
        .map(|(_, r)| r.to_string());
    if receipt.is_some() {
        ssr::set_cookie(&port::clear_receipt_cookie());
    }
    Ok(receipt)
}

#[allow(clippy::too_many_arguments)]
#[server(prefix = "/_app", endpoint = "gov_create_proposal")]
pub async fn create_proposal(
    csrf: String,
    key: String,
    kind: String,
    title: String,
    body: Option<String>,
    method: String,
    opens_at: Option<String>,
    closes_at: String,
    quorum: Option<String>,
    threshold: Option<String>,
    ballot: String,
    class_policy: String,
    weights: Option<BTreeMap<String, String>>,
    options: Option<String>,
    seats: Option<String>,
    base_version: Option<i64>,
    rules: Option<BTreeMap<String, RuleEdit>>,
    added: Option<BTreeMap<String, NewRule>>,
) -> Result<(), AppError> {
    let session = ssr::check_csrf(&csrf)?;
    let viewer = ssr::require_viewer(&session)?;
    let input = ProposalInput {
        kind,
        title,
        body: body.unwrap_or_default(),
        method,
        opens_at: opens_at.unwrap_or_default(),
        closes_at,
        quorum: quorum.unwrap_or_default(),
        threshold: threshold.unwrap_or_default(),
        ballot,
        class_policy,
        weights: weights.unwrap_or_default(),
        options: options.unwrap_or_default(),
        seats: seats.unwrap_or_default(),
        base_version,
        rules: rules.unwrap_or_default(),
        added: added.unwrap_or_default(),
    };
    let port = port::governance()?;
    let id = match port
        .create_proposal(&viewer, key.clone(), input.clone())
        .await
    {
        Ok(id) => id,
        Err(e) => {
            // Without JavaScript the browser loads the form again: let it come back filled in.
            if ssr::is_plain_form_post() {
                port.keep_proposal_draft(&viewer, key, input).await;
            }
            return Err(e);
        }
    };
    leptos_actix::redirect(&proposal_path(&key, id));
    Ok(())
}

#[allow(clippy::too_many_arguments)]
#[server(prefix = "/_app", endpoint = "gov_vote")]
pub async fn cast_vote(
    csrf: String,
    key: String,
    id: i64,
    choice: Option<String>,
    approve: Option<BTreeMap<String, String>>,
    rank: Option<BTreeMap<String, String>>,
    score: Option<BTreeMap<String, String>>,
    reason: Option<String>,
) -> Result<(), AppError> {
    let session = ssr::check_csrf(&csrf)?;
    let viewer = ssr::require_viewer(&session)?;
    let ballot = BallotInput {
        choice,
        approved: approve.unwrap_or_default().into_keys().collect(),
        ranks: rank.unwrap_or_default(),
        scores: score.unwrap_or_default(),
        reason,
    };
    let outcome = port::governance()?
        .vote(&viewer, key.clone(), id, ballot)
        .await?;
    let path = proposal_path(&key, id);
    match outcome {
        VoteOutcome::Counted { receipt, .. } => {
            ssr::set_cookie(&port::receipt_cookie(id, &receipt));
            leptos_actix::redirect(&format!("{path}?voted=1#receipt"));
        }
        VoteOutcome::Unchanged => leptos_actix::redirect(&format!("{path}?unchanged=1")),
    }
    Ok(())
}

#[server(prefix = "/_app", endpoint = "gov_extend")]
pub async fn extend_proposal(
    csrf: String,
    key: String,
    id: i64,
    closes_at: String,
) -> Result<(), AppError> {
    let session = ssr::check_csrf(&csrf)?;
    let viewer = ssr::require_viewer(&session)?;
    port::governance()?
        .extend_proposal(&viewer, key.clone(), id, closes_at)
        .await?;
    leptos_actix::redirect(&format!("{}?extended=1", proposal_path(&key, id)));
    Ok(())
}

#[server(prefix = "/_app", endpoint = "gov_check_receipt")]
pub async fn check_receipt(key: String, id: i64, receipt: String) -> Result<(), AppError> {
    let counted = port::governance()?
        .check_receipt(key.clone(), id, receipt)
        .await?;
    let answer = if counted { "counted" } else { "missing" };
    leptos_actix::redirect(&format!(
        "{}?receipt_check={answer}#receipt-check",
        proposal_path(&key, id)
    ));
    Ok(())
}

#[server(prefix = "/_app", endpoint = "gov_settings")]
pub async fn get_governance_settings(key: String) -> Result<GovSettingsView, AppError> {
    let viewer = ssr::require_viewer(&ssr::session())?;
    port::governance()?.governance_settings(&viewer, key).await
}

#[allow(clippy::too_many_arguments)]
#[server(prefix = "/_app", endpoint = "gov_update_settings")]
pub async fn update_governance_settings(
    csrf: String,
    key: String,
    proposers: String,
    classes: Option<BTreeMap<String, String>>,
    roles: Option<BTreeMap<String, String>>,
    allow_extension: Option<String>,
    max_extension_hours: Option<String>,
    withdraw_on_leave: Option<String>,
) -> Result<(), AppError> {
    let session = ssr::check_csrf(&csrf)?;
    let viewer = ssr::require_viewer(&session)?;
    let input = GovSettingsInput {
        proposers,
        classes: classes.unwrap_or_default().into_keys().collect(),
        roles: roles.unwrap_or_default().into_keys().collect(),
        allow_extension: allow_extension.is_some(),
        max_extension_hours: max_extension_hours.unwrap_or_default(),
        withdraw_on_leave: withdraw_on_leave.is_some(),
    };
    port::governance()?
        .update_governance_settings(&viewer, key.clone(), input)
        .await?;
    leptos_actix::redirect(&format!("{}?saved=1", gov_path(&key, "governance")));
    Ok(())
}
