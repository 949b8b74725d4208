//! The server's implementation of the UI's `GovernanceBackend` port, over the governance domain.

pub mod input;
pub mod rule_form;
pub mod service;
pub mod views;

use async_trait::async_trait;
use commonhall_frontend::{
    AppError, AppResult, BallotInput, GovSettingsInput, GovSettingsView, GovernanceBackend,
    HistoryEntryView, HistoryView, PersonRef, ProposalFormView, ProposalInput, ProposalView,
    ProposalsView, RollCallLine, RulesView, Viewer, VoteOutcome,
};

use self::service::{community, gov_community, proposal_of};
use self::views::{diff_view, proposal_ref, result_view, rule_view, terms};
use super::read;
use crate::domain::governance::tally::BallotChoice;
use crate::domain::governance::{
    ballots, proposals, rules, settings, BallotKind, Cast, GovernanceError, Proposers, Status,
};
use crate::federation::config::FedConfig;
use crate::federation::receipts;
use crate::state::AppState;
use crate::store::{self, actors, block_reasons, memberships, DbConn};

/// Refusals read as sentences; failures of ours are logged and kept vague.
impl From<GovernanceError> for AppError {
    fn from(e: GovernanceError) -> Self {
        match e {
            GovernanceError::NotFound | GovernanceError::CommunityNotFound => AppError::NotFound,
            GovernanceError::Database(diesel::result::Error::NotFound) => AppError::NotFound,
            GovernanceError::Database(_)
            | GovernanceError::Publish(_)
            | GovernanceError::Store(_) => {
                tracing::error!(error = %e, "governance operation failed");
                AppError::Internal
            }
            other => AppError::Invalid(other.to_string()),
        }
    }
}

pub struct ServerGovernance {
    state: AppState,
    /// For what needs another instance: a remote community's counted receipts.
    federation: FedConfig,
}

impl ServerGovernance {
    pub fn new(state: AppState, federation: FedConfig) -> Self {
        ServerGovernance { state, federation }
    }

    async fn db<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut DbConn, &AppState) -> Result<T, GovernanceError> + Send + 'static,
    ) -> AppResult<T> {
        let state = self.state.clone();
        Ok(self.state.db(move |c| work(c, &state)).await?)
    }
}

fn person(actor: &actors::Actor) -> PersonRef {
    PersonRef {
        name: read::person_name(actor),
        handle: read::person_handle(actor),
        url: read::person_url(actor),
    }
}

/// The choice as the form shows it, to fill the ballot form with the current vote.
fn choice_input(choice: &BallotChoice) -> BallotInput {
    let mut b = BallotInput::default();
    match choice {
        BallotChoice::Consent(c) => b.choice = Some(c.name().to_string()),
        BallotChoice::Single(i) => b.choice = Some(i.to_string()),
        BallotChoice::Approval(l) => b.approved = l.iter().map(usize::to_string).collect(),
        BallotChoice::Ranked(l) => {
            b.ranks = l
                .iter()
                .enumerate()
                .map(|(r, i)| (i.to_string(), (r + 1).to_string()))
                .collect()
        }
        BallotChoice::Score(s) => {
            b.scores = s
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v.to_string()))
                .collect()
        }
    }
    b
}

/// Lines per page of the roll call on the proposal page.
pub const ROLL_CALL_PAGE: i64 = 200;

fn proposal_page(
    conn: &mut DbConn,
    state: &AppState,
    key: &str,
    id: i64,
    viewer: Option<i64>,
    roll_call_page: i64,
) -> Result<ProposalView, GovernanceError> {
    let wa = community(conn, &state.instance, key)?;
    let gc = gov_community(conn, &wa, viewer)?;
    let p = proposal_of(conn, wa.0.id, id)?;
    let results = ballots::results(conn, p.id)?;
    let author = match p.author_id {
        Some(a) => Some(person(&actors::by_id(conn, a)?)),
        None => None,
    };
    let diff = proposals::change_diff(conn, &p)?.map(|d| diff_view(&d));
    let (roll_call, roll_call_pages) = match p.ballot {
        BallotKind::RollCall => {
            let (mut lines, total) =
                ballots::roll_call_page(conn, p.id, roll_call_page, ROLL_CALL_PAGE)?;
            let last = ((total + ROLL_CALL_PAGE - 1) / ROLL_CALL_PAGE).max(1);
            if roll_call_page > last {
                // Past the end (an old link): the last page.
                lines = ballots::roll_call_page(conn, p.id, last, ROLL_CALL_PAGE)?.0;
            }
            let lines = lines
                .into_iter()
                .map(|(e, actor)| RollCallLine {
                    voter: person(&actor),
                    class: e.class,
                    chosen: e.chosen,
                })
                .collect();
            (Some(lines), last)
        }
        BallotKind::Secret => (None, 0),
    };
    let mine = match viewer {
        Some(v) => ballots::my_ballot(conn, p.id, v)?,
        None => None,
    };
    let vote_note = service::vote_refusal(conn, &p, viewer)?;
    let extend_until =
        service::extend_until(conn, &p, viewer)?.map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string());
    Ok(ProposalView {
        community: gc,
        summary: proposal_ref(&p),
        author,
        body_html: p.body_html.clone(),
        terms: terms(&p),
        options: p.option_names(),
        diff,
        eligible: results.eligible,
        ballots: results.ballots,
        live_results: p.live_results(),
        result: results.result.as_ref().map(|r| result_view(p.kind, r)),
        roll_call,
        roll_call_page: roll_call_page.clamp(1, roll_call_pages.max(1)),
        roll_call_pages,
        block_reasons: block_reasons::current(conn, p.id)?,
        my_ballot: mine.as_ref().map(|c| ballots::describe(&p, c)),
        my_choice: mine.as_ref().map(choice_input),
        can_vote: vote_note.is_none(),
        vote_note,
        close_note: p.close_note.clone(),
        result_rules_version: p.result_rules_version,
        extend_until,
    })
}

#[async_trait]
impl GovernanceBackend for ServerGovernance {
    async fn rules(&self, viewer: Option<&Viewer>, key: String) -> AppResult<RulesView> {
        let person = viewer.map(|v| v.actor_id);
        self.db(move |c, state| {
            let wa = community(c, &state.instance, &key)?;
            let gc = gov_community(c, &wa, person)?;
            let v = rules::current(c, wa.0.id)?;
            let adopted_by = match v.proposal_id {
                Some(id) => Some(proposal_ref(&proposals::get(c, id)?)),
                None => None,
            };
            Ok(RulesView {
                community: gc,
                version: v.version,
                adopted_at: v.adopted_at.map(read::human_time),
                adopted_by,
                rules: v.numbered().into_iter().map(rule_view).collect(),
            })
        })
        .await
    }

    async fn found_rules(&self, viewer: &Viewer, key: String, text: String) -> AppResult<()> {
        if read::has_nul([text.as_str()]) {
            return Err(AppError::Invalid(read::NUL_REFUSED.into()));
        }
        let person = viewer.actor_id;
        self.db(move |c, state| {
            let found = input::founding_rules(&text)?;
            let (community_row, _) = community(c, &state.instance, &key)?;
            rules::found(c, &*state.publisher, community_row.id, person, &found)?;
            Ok(())
        })
        .await
    }

    async fn rules_history(&self, viewer: Option<&Viewer>, key: String) -> AppResult<HistoryView> {
        let person = viewer.map(|v| v.actor_id);
        self.db(move |c, state| {
            let wa = community(c, &state.instance, &key)?;
            let gc = gov_community(c, &wa, person)?;
            let entries = rules::history(c, wa.0.id)?
                .into_iter()
                .map(|e| {
                    let adopted_by = match &e.adopted_by {
                        Some(a) => Some(proposal_ref(&proposals::get(c, a.proposal_id)?)),
                        None => None,
                    };
                    Ok(HistoryEntryView {
                        version: e.version,
                        adopted_at: read::human_time(e.adopted_at),
                        adopted_by,
                        diff: diff_view(&e.diff),
                    })
                })
                .collect::<Result<Vec<_>, GovernanceError>>()?;
            Ok(HistoryView {
                community: gc,
                entries,
            })
        })
        .await
    }

    async fn proposals(&self, viewer: Option<&Viewer>, key: String) -> AppResult<ProposalsView> {
        let person = viewer.map(|v| v.actor_id);
        self.db(move |c, state| {
            let wa = community(c, &state.instance, &key)?;
            let gc = gov_community(c, &wa, person)?;
            let list = |c: &mut DbConn, s| -> Result<_, GovernanceError> {
                Ok(proposals::list(c, wa.0.id, Some(s), 200)?
                    .iter()
                    .map(proposal_ref)
                    .collect())
            };
            Ok(ProposalsView {
                community: gc,
                open: list(c, Status::Open)?,
                scheduled: list(c, Status::Scheduled)?,
                closed: list(c, Status::Closed)?,
            })
        })
        .await
    }

    async fn proposal_form(&self, viewer: &Viewer, key: String) -> AppResult<ProposalFormView> {
        let person = viewer.actor_id;
        self.db(move |c, state| {
            let wa = community(c, &state.instance, &key)?;
            let gc = gov_community(c, &wa, Some(person))?;
            if !gc.may_propose {
                return Err(GovernanceError::Invalid(
                    gc.propose_note.clone().unwrap_or_default(),
                ));
            }
            let current = rules::current(c, wa.0.id)?;
            let candidates = memberships::list(c, wa.0.id, "active")?
                .into_iter()
                .filter(|(_, a)| a.local)
                .map(|(_, a)| (a.name.clone(), read::person_name(&a)))
                .collect();
            let closes = store::now() + chrono::Duration::days(7);
            Ok(ProposalFormView {
                community: gc,
                rules_version: current.version,
                rules: current.numbered().into_iter().map(rule_view).collect(),
                candidates,
                default_closes_at: closes.format("%Y-%m-%d %H:%M").to_string(),
                draft: state.drafts.take(person, &draft_form(&key)),
            })
        })
        .await
    }

    async fn keep_proposal_draft(&self, viewer: &Viewer, key: String, input: ProposalInput) {
        self.state
            .drafts
            .keep(viewer.actor_id, &draft_form(&key), &input);
    }

    async fn create_proposal(
        &self,
        viewer: &Viewer,
        key: String,
        input: ProposalInput,
    ) -> AppResult<i64> {
        if has_nul(&input) {
            return Err(AppError::Invalid(read::NUL_REFUSED.into()));
        }
        let person = viewer.actor_id;
        self.db(move |c, state| {
            let (community_row, _) = community(c, &state.instance, &key)?;
            Ok(service::create(c, state, community_row.id, person, &input)?.id)
        })
        .await
    }

    async fn proposal(
        &self,
        viewer: Option<&Viewer>,
        key: String,
        id: i64,
        roll_call_page: i64,
    ) -> AppResult<ProposalView> {
        let person = viewer.map(|v| v.actor_id);
        self.db(move |c, state| proposal_page(c, state, &key, id, person, roll_call_page))
            .await
    }

    async fn vote(
        &self,
        viewer: &Viewer,
        key: String,
        id: i64,
        ballot: BallotInput,
    ) -> AppResult<VoteOutcome> {
        let person = viewer.actor_id;
        let cast = self
            .db(move |c, state| {
                let p = service::find(c, &state.instance, &key, id)?;
                service::vote(c, state, &p, person, &ballot)
            })
            .await?;
        Ok(match cast {
            Cast::Counted { receipt, changed } => VoteOutcome::Counted { receipt, changed },
            Cast::Unchanged => VoteOutcome::Unchanged,
        })
    }

    async fn extend_proposal(
        &self,
        viewer: &Viewer,
        key: String,
        id: i64,
        closes_at: String,
    ) -> AppResult<()> {
        let person = viewer.actor_id;
        self.db(move |c, state| {
            let until = input::parse_time("New close", &closes_at)?
                .ok_or_else(|| GovernanceError::Invalid("New close: say when.".into()))?;
            let p = service::find(c, &state.instance, &key, id)?;
            proposals::extend(c, &*state.publisher, p.id, person, until)?;
            Ok(())
        })
        .await
    }

    async fn check_receipt(&self, key: String, id: i64, receipt: String) -> AppResult<bool> {
        let proposal = self
            .db(move |c, state| Ok(service::find(c, &state.instance, &key, id)?.id))
            .await?;
        let data = self.federation.to_request_data();
        Ok(receipts::check(&data, proposal, receipt).await?.counted)
    }

    async fn governance_settings(
        &self,
        viewer: &Viewer,
        key: String,
    ) -> AppResult<GovSettingsView> {
        let person = viewer.actor_id;
        let view = self
            .db(move |c, state| {
                let wa = community(c, &state.instance, &key)?;
                let gc = gov_community(c, &wa, Some(person))?;
                let s = settings::get(c, wa.0.id)?;
                Ok((gc, s))
            })
            .await?;
        let (community, s) = view;
        if !community.is_moderator || !community.local {
            return Err(AppError::Forbidden);
        }
        let (classes, roles) = match s.proposers {
            Proposers::AnyMember => (Vec::new(), Vec::new()),
            Proposers::Only { classes, roles } => (classes, roles),
        };
        Ok(GovSettingsView {
            any_member: classes.is_empty() && roles.is_empty(),
            community,
            classes,
            roles,
            allow_extension: s.allow_extension,
            max_extension_hours: if s.max_extension_seconds > 0 {
                format!("{}", s.max_extension_seconds as f64 / 3600.0)
            } else {
                String::new()
            },
            withdraw_on_leave: s.withdraw_on_leave,
        })
    }

    async fn update_governance_settings(
        &self,
        viewer: &Viewer,
        key: String,
        input: GovSettingsInput,
    ) -> AppResult<()> {
        let person = viewer.actor_id;
        self.db(move |c, state| {
            let settings_in = input::settings(&input)?;
            let (community_row, _) = community(c, &state.instance, &key)?;
            settings::update(c, community_row.id, person, &settings_in)?;
            Ok(())
        })
        .await
    }
}

/// Which form a kept proposal draft belongs to.
fn draft_form(community_key: &str) -> String {
    format!("proposal:{community_key}")
}

/// PostgreSQL cannot store NUL: refuse it before it reaches the database.
fn has_nul(i: &ProposalInput) -> bool {
    let edits = i
        .rules
        .values()
        .flat_map(|e| [e.title.as_deref(), e.text.as_deref()])
        .chain(
            i.added
                .values()
                .flat_map(|r| [r.title.as_deref(), r.text.as_deref(), r.position.as_deref()]),
        )
        .flatten();
    read::has_nul(
        [
            i.title.as_str(),
            &i.body,
            &i.options,
            &i.weights.values().map(String::as_str).collect::<String>(),
        ]
        .into_iter()
        .chain(edits),
    )
}
