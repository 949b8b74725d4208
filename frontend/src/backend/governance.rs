//! The governance part of the UI's port: the `GovernanceBackend` trait and the view types of the
//! rules, history, proposal, ballot and settings pages.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{AppResult, PersonRef, Viewer};

/// The community a governance page belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GovCommunity {
    pub key: String,
    pub title: String,
    pub local: bool,
    /// Stakeholder classes, in order.
    pub classes: Vec<String>,
    pub is_member: bool,
    pub is_moderator: bool,
    /// Owners write a community's founding rules (once, while it has none).
    pub is_owner: bool,
    /// Whether the viewer may make proposals, and if not, why.
    pub may_propose: bool,
    pub propose_note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleView {
    pub number: usize,
    pub id: i64,
    pub title: String,
    /// Markdown source.
    pub text: String,
    /// Sanitised HTML.
    pub html: String,
}

/// A proposal as links and lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposalRef {
    pub id: i64,
    pub title: String,
    /// `rule_change`, `decision`, `election` or `poll`.
    pub kind: String,
    /// `scheduled`, `open` or `closed`.
    pub status: String,
    pub method: String,
    pub opens_at: String,
    pub closes_at: String,
    /// Decisions: passed or failed, once closed.
    pub passed: Option<bool>,
    /// "Passed", "Failed (quorum not met)", "Winners: A, B" — once closed.
    pub verdict: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RulesView {
    pub community: GovCommunity,
    /// 0 when there are no rules yet.
    pub version: i64,
    pub adopted_at: Option<String>,
    pub adopted_by: Option<ProposalRef>,
    pub rules: Vec<RuleView>,
}

/// One line of a diff: `same`, `added` or `removed`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiffLineView {
    pub tag: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiffView {
    pub lines: Vec<DiffLineView>,
    pub added: usize,
    pub removed: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntryView {
    pub version: i64,
    pub adopted_at: String,
    /// `None` for founding rules.
    pub adopted_by: Option<ProposalRef>,
    pub diff: DiffView,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryView {
    pub community: GovCommunity,
    /// Newest first.
    pub entries: Vec<HistoryEntryView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposalsView {
    pub community: GovCommunity,
    pub open: Vec<ProposalRef>,
    pub scheduled: Vec<ProposalRef>,
    pub closed: Vec<ProposalRef>,
}

/// What the new-proposal form needs: the current rules to edit, and the defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposalFormView {
    pub community: GovCommunity,
    pub rules_version: i64,
    pub rules: Vec<RuleView>,
    /// Active members who may stand in an election: (user name, shown name).
    pub candidates: Vec<(String, String)>,
    /// Suggested close time, `YYYY-MM-DD HH:MM` UTC.
    pub default_closes_at: String,
    /// What the member typed last time, when that submission was refused.
    pub draft: Option<ProposalInput>,
}

/// One current rule as edited in the rule-change form.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RuleEdit {
    pub title: Option<String>,
    pub text: Option<String>,
    pub position: Option<String>,
    /// Present (`on`) when the box "repeal" is ticked.
    pub repeal: Option<String>,
}

/// A rule a rule change adds (left empty for none).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewRule {
    pub title: Option<String>,
    pub text: Option<String>,
    /// Where it goes (1 = first); empty: at the end.
    pub position: Option<String>,
}

impl NewRule {
    pub fn is_empty(&self) -> bool {
        [&self.title, &self.text]
            .iter()
            .all(|s| s.as_deref().is_none_or(|s| s.trim().is_empty()))
    }
}

/// The new-proposal form as posted: every field as text, checked on the server.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProposalInput {
    /// `rule_change`, `decision`, `election` or `poll`.
    pub kind: String,
    pub title: String,
    pub body: String,
    /// `consent`, `single_choice`, `approval`, `ranked` or `score`.
    pub method: String,
    /// Empty: now. Otherwise `YYYY-MM-DD HH:MM[:SS]` UTC.
    pub opens_at: String,
    pub closes_at: String,
    /// `50%`, `1/2`, `0.5`, or a count of ballots such as `10 ballots`; empty: none.
    pub quorum: String,
    /// `simple_majority`, `two_thirds`, `consent`, a fraction; empty: the method's default.
    pub threshold: String,
    /// `secret` or `roll_call`.
    pub ballot: String,
    /// `one_member_one_vote`, `weighted_classes` or `concurrent_majorities`.
    pub class_policy: String,
    /// Weighted classes: class → share (`40%`, `2/5`, `0.4`).
    pub weights: BTreeMap<String, String>,
    /// Polls: one option per line. Elections: one candidate user name per line.
    pub options: String,
    pub seats: String,
    /// The rules version the edits were made against.
    pub base_version: Option<i64>,
    /// Rule changes: the current rules by id, as edited.
    pub rules: BTreeMap<String, RuleEdit>,
    /// Rules to add, by the form's slot number; empty slots are left out.
    pub added: BTreeMap<String, NewRule>,
}

/// A ballot as chosen on the form. Options are named by their index in the proposal's list of
/// options (0-based, as text), so option text never has to survive a form field name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BallotInput {
    /// Consent: `agree`, `abstain`, `disagree` or `block`. Single choice: the option's index.
    pub choice: Option<String>,
    /// Approval: the indices of every option approved.
    pub approved: Vec<String>,
    /// Ranked: option index → rank (1 = first); options left without a rank are not ranked.
    pub ranks: BTreeMap<String, String>,
    /// Score: option index → 0..=5.
    pub scores: BTreeMap<String, String>,
    /// Why (required with Block).
    pub reason: Option<String>,
}

/// One bar of a chart: a label and its value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// The exact value in words ("7", "7/3").
    pub text: String,
}

/// A group of bars with a heading (a class, a round).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BarGroup {
    pub title: String,
    pub bars: Vec<Bar>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TurnoutView {
    pub ballots: u64,
    pub eligible: u64,
    /// Percent, one decimal.
    pub share: Option<String>,
    /// class, ballots, eligible.
    pub by_class: Vec<(String, u64, u64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultView {
    /// `false` while a roll-call vote is still open.
    pub is_final: bool,
    pub verdict: String,
    pub quorum_met: bool,
    pub turnout: TurnoutView,
    /// Totals per option, overall.
    pub totals: BarGroup,
    /// Per class (empty with one class).
    pub by_class: Vec<BarGroup>,
    /// Ranked choice: the count at the start of every round, and what happened.
    pub rounds: Vec<(BarGroup, Vec<String>)>,
    pub quota: Option<String>,
    pub withdrawn: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RollCallLine {
    pub voter: PersonRef,
    pub class: String,
    pub chosen: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposalView {
    pub community: GovCommunity,
    pub summary: ProposalRef,
    pub author: Option<PersonRef>,
    pub body_html: String,
    /// How it is decided, in words: method, quorum, threshold, ballot, class policy, seats.
    pub terms: Vec<(String, String)>,
    /// The names a ballot chooses among.
    pub options: Vec<String>,
    pub diff: Option<DiffView>,
    pub eligible: u64,
    pub ballots: u64,
    pub live_results: bool,
    pub result: Option<ResultView>,
    /// One page of the roll call (roll-call ballots only).
    pub roll_call: Option<Vec<RollCallLine>>,
    /// Which page of the roll call this is (from 1), and how many there are.
    pub roll_call_page: i64,
    pub roll_call_pages: i64,
    /// Reasons given with a Block (without names on a secret ballot).
    pub block_reasons: Vec<String>,
    /// The viewer's current ballot in words.
    pub my_ballot: Option<Vec<String>>,
    pub my_choice: Option<BallotInput>,
    pub can_vote: bool,
    /// Why the viewer cannot vote, when they cannot.
    pub vote_note: Option<String>,
    /// Why a passed proposal changed nothing, or could not be counted.
    pub close_note: Option<String>,
    pub result_rules_version: Option<i64>,
    /// Moderators: the latest close time the community's extension rule allows for this vote
    /// (`YYYY-MM-DD HH:MM:SS` UTC), when it may still be extended.
    pub extend_until: Option<String>,
}

/// What voting did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum VoteOutcome {
    /// Show this receipt once.
    Counted {
        receipt: String,
        changed: bool,
    },
    Unchanged,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GovSettingsView {
    pub community: GovCommunity,
    pub any_member: bool,
    pub classes: Vec<String>,
    pub roles: Vec<String>,
    pub allow_extension: bool,
    pub max_extension_hours: String,
    pub withdraw_on_leave: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GovSettingsInput {
    /// `any` or `only`.
    pub proposers: String,
    pub classes: Vec<String>,
    pub roles: Vec<String>,
    pub allow_extension: bool,
    pub max_extension_hours: String,
    pub withdraw_on_leave: bool,
}

/// What the UI asks of the server about governance.
#[async_trait::async_trait]
pub trait GovernanceBackend: Send + Sync + 'static {
    async fn rules(&self, viewer: Option<&Viewer>, key: String) -> AppResult<RulesView>;
    /// The owner writes the founding rules of a community that has none: Markdown, each rule
    /// starting with a `## Title` line.
    async fn found_rules(&self, viewer: &Viewer, key: String, rules: String) -> AppResult<()>;
    async fn rules_history(&self, viewer: Option<&Viewer>, key: String) -> AppResult<HistoryView>;
    async fn proposals(&self, viewer: Option<&Viewer>, key: String) -> AppResult<ProposalsView>;
    async fn proposal_form(&self, viewer: &Viewer, key: String) -> AppResult<ProposalFormView>;
    /// Keeps a refused submission, so the form comes back with it (once).
    async fn keep_proposal_draft(&self, viewer: &Viewer, key: String, input: ProposalInput);
    /// Returns the new proposal's id.
    async fn create_proposal(
        &self,
        viewer: &Viewer,
        key: String,
        input: ProposalInput,
    ) -> AppResult<i64>;
    async fn proposal(
        &self,
        viewer: Option<&Viewer>,
        key: String,
        id: i64,
        roll_call_page: i64,
    ) -> AppResult<ProposalView>;
    async fn vote(
        &self,
        viewer: &Viewer,
        key: String,
        id: i64,
        ballot: BallotInput,
    ) -> AppResult<VoteOutcome>;
    /// A moderator moves an open vote's close later, within the community's extension rule.
    async fn extend_proposal(
        &self,
        viewer: &Viewer,
        key: String,
        id: i64,
        closes_at: String,
    ) -> AppResult<()>;
    /// Whether the ballot with this receipt was counted in the published result.
    async fn check_receipt(&self, key: String, id: i64, receipt: String) -> AppResult<bool>;
    async fn governance_settings(&self, viewer: &Viewer, key: String)
        -> AppResult<GovSettingsView>;
    async fn update_governance_settings(
        &self,
        viewer: &Viewer,
        key: String,
        input: GovSettingsInput,
    ) -> AppResult<()>;
}
