//! A community's rules, their history, and its governance settings.

use actix_web::{get, put, web};
use chrono::NaiveDateTime;
use serde::Serialize;
use utoipa::ToSchema;

use super::{DiffOut, SettingsBody};
use crate::api::auth::ApiUser;
use crate::api::error::{nul_free, ApiError, ErrorBody};
use crate::domain::governance::rules::NumberedRule;
use crate::domain::governance::settings::GovernanceSettings;
use crate::domain::governance::{rules, settings, Proposers, RulesVersion};
use crate::state::AppState;
use crate::web::governance::service::community;

#[derive(Debug, Serialize, ToSchema)]
pub struct RuleOut {
    /// 1-based position.
    pub number: usize,
    /// Stable across versions: amendments and repeals name it.
    pub id: i64,
    pub title: String,
    pub text_markdown: String,
    pub text_html: String,
}

impl From<NumberedRule> for RuleOut {
    fn from(r: NumberedRule) -> RuleOut {
        RuleOut {
            number: r.number,
            id: r.id,
            title: r.title,
            text_markdown: r.text,
            text_html: r.html,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RulesOut {
    /// 0 when the community has no rules yet.
    pub version: i64,
    pub adopted_at: Option<NaiveDateTime>,
    /// The proposal that adopted this version (none for founding rules).
    pub proposal_id: Option<i64>,
    pub rules: Vec<RuleOut>,
}

impl From<RulesVersion> for RulesOut {
    fn from(v: RulesVersion) -> RulesOut {
        RulesOut {
            version: v.version,
            adopted_at: v.adopted_at,
            proposal_id: v.proposal_id,
            rules: v.numbered().into_iter().map(RuleOut::from).collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntryOut {
    pub version: i64,
    pub adopted_at: NaiveDateTime,
    /// The proposal that adopted it, its title and whether it passed; none for founding rules.
    pub proposal_id: Option<i64>,
    pub proposal_title: Option<String>,
    /// The adopting proposal's outcome, as published (see `GET …/results`).
    #[schema(value_type = Option<Object>)]
    pub outcome: Option<serde_json::Value>,
    /// From the previous version.
    pub diff: DiffOut,
}

/// The rules in force.
#[utoipa::path(get, path = "/api/v1/communities/{name}/rules", tag = "governance",
    params(("name" = String, Path, description = "`name` or `name@host`")),
    responses((status = 200, body = RulesOut), (status = 404, body = ErrorBody)))]
#[get("/communities/{name}/rules")]
pub async fn get_rules(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<web::Json<RulesOut>, ApiError> {
    let key = path.into_inner();
    let st = state.clone();
    let v = state
        .db(move |c| {
            let (cm, _) = community(c, &st.instance, &key)?;
            rules::current(c, cm.id)
        })
        .await?;
    Ok(web::Json(v.into()))
}

/// Every version of the rules, newest first, with its diff and what adopted it.
#[utoipa::path(get, path = "/api/v1/communities/{name}/rules/history", tag = "governance",
    params(("name" = String, Path)),
    responses((status = 200, body = [HistoryEntryOut]), (status = 404, body = ErrorBody)))]
#[get("/communities/{name}/rules/history")]
pub async fn get_rules_history(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<web::Json<Vec<HistoryEntryOut>>, ApiError> {
    let key = path.into_inner();
    let st = state.clone();
    let history = state
        .db(move |c| {
            let (cm, _) = community(c, &st.instance, &key)?;
            rules::history(c, cm.id)
        })
        .await?;
    let out = history
        .into_iter()
        .map(|e| HistoryEntryOut {
            version: e.version,
            adopted_at: e.adopted_at,
            proposal_id: e.adopted_by.as_ref().map(|a| a.proposal_id),
            proposal_title: e.adopted_by.as_ref().map(|a| a.title.clone()),
            outcome: e
                .adopted_by
                .as_ref()
                .and_then(|a| a.result.as_ref())
                .and_then(|r| serde_json::to_value(&r.outcome).ok()),
            diff: DiffOut::of(&e.diff),
        })
        .collect();
    Ok(web::Json(out))
}

fn settings_out(s: GovernanceSettings) -> SettingsBody {
    let (proposers, classes, roles) = match s.proposers {
        Proposers::AnyMember => ("any", Vec::new(), Vec::new()),
        Proposers::Only { classes, roles } => ("only", classes, roles),
    };
    SettingsBody {
        proposers: proposers.into(),
        classes,
        roles,
        allow_extension: s.allow_extension,
        max_extension_seconds: s.max_extension_seconds,
        withdraw_on_leave: s.withdraw_on_leave,
    }
}

/// Who may propose, whether votes may be extended, and whether leaving withdraws a ballot.
#[utoipa::path(get, path = "/api/v1/communities/{name}/governance", tag = "governance",
    params(("name" = String, Path)),
    responses((status = 200, body = SettingsBody), (status = 404, body = ErrorBody)))]
#[get("/communities/{name}/governance")]
pub async fn get_settings(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<web::Json<SettingsBody>, ApiError> {
    let key = path.into_inner();
    let st = state.clone();
    let s = state
        .db(move |c| {
            let (cm, _) = community(c, &st.instance, &key)?;
            settings::get(c, cm.id)
        })
        .await?;
    Ok(web::Json(settings_out(s)))
}

/// Change the governance settings (the community's moderators; proposals made later use them).
#[utoipa::path(put, path = "/api/v1/communities/{name}/governance", tag = "governance",
    security(("bearer" = [])), params(("name" = String, Path)), request_body = SettingsBody,
    responses((status = 200, body = SettingsBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[put("/communities/{name}/governance")]
pub async fn put_settings(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<String>,
    body: web::Json<SettingsBody>,
) -> Result<web::Json<SettingsBody>, ApiError> {
    let key = path.into_inner();
    let b = body.into_inner();
    nul_free(b.classes.iter().chain(&b.roles).map(String::as_str))?;
    let proposers = match b.proposers.as_str() {
        "any" => Proposers::AnyMember,
        "only" => Proposers::Only {
            classes: b.classes,
            roles: b.roles,
        },
        other => {
            return Err(ApiError::Invalid(format!(
                "proposers “{other}”: use any or only."
            )))
        }
    };
    let wanted = GovernanceSettings {
        proposers,
        allow_extension: b.allow_extension,
        max_extension_seconds: b.max_extension_seconds,
        withdraw_on_leave: b.withdraw_on_leave,
    };
    let person = user.live.actor.id;
    let st = state.clone();
    let saved = state
        .db(move |c| {
            let (cm, _) = community(c, &st.instance, &key)?;
            settings::update(c, cm.id, person, &wanted)
        })
        .await?;
    Ok(web::Json(settings_out(saved)))
}
