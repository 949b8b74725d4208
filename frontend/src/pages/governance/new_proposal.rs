//! The new-proposal form, one kind at a time (chosen with links, so it works without
//! JavaScript): the rule-change editor (every current rule editable, with a position and a
//! repeal box, plus a slot for a new rule), decisions, elections and polls, and the voting terms.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::{key_param, kind_label, method_label, GovNav};
use crate::backend::{ProposalFormView, RuleView};
use crate::components::form::{ActionError, CsrfField, ErrorBox};
use crate::pages::query;
use crate::server_fns::{get_proposal_form, gov_path, CreateProposal};

const KINDS: [&str; 4] = ["rule_change", "decision", "election", "poll"];

/// The methods a kind of proposal may use, the first being the default.
fn methods(kind: &str) -> &'static [&'static str] {
    match kind {
        "rule_change" | "decision" => &["consent", "single_choice"],
        _ => &["single_choice", "approval", "ranked", "score"],
    }
}

/// One current rule, editable: position, title, text, and a box to repeal it.
#[component]
fn RuleEditor(rule: RuleView) -> impl IntoView {
    let name = |field: &str| format!("rules[{}][{field}]", rule.id);
    view! {
        <fieldset class="rule-edit">
            <legend>{format!("Rule {}", rule.number)}</legend>
            <label class="position">"Position"
                <input name=name("position") type="number" min="1" value=rule.number.to_string()/>
            </label>
            <label>"Title"<input name=name("title") maxlength="200" value=rule.title.clone()/></label>
            <label>"Text (Markdown)"<textarea name=name("text") rows="4" maxlength="20000">{rule.text.clone()}</textarea></label>
            <label class="check"><input type="checkbox" name=name("repeal") value="on"/>" Repeal this rule"</label>
        </fieldset>
    }
}

/// What only a rule change asks for.
fn rule_fields(form: &ProposalFormView) -> impl IntoView {
    let next = form.rules.len() + 1;
    view! {
        <fieldset class="rules-editor">
            <legend>"The rules as they would read"</legend>
            <p class="muted">"Change the text of any rule, renumber them with the positions, tick the rules to repeal, or add one. The proposal page shows the difference."</p>
            <input type="hidden" name="base_version" value=form.rules_version.to_string()/>
            {form.rules.iter().cloned().map(|r| view! { <RuleEditor rule=r/> }).collect_view()}
            <fieldset class="rule-edit new">
                <legend>"Add a rule"</legend>
                <label class="position">"Position"<input name="new_position" type="number" min="1" value=next.to_string()/></label>
                <label>"Title"<input name="new_title" maxlength="200"/></label>
                <label>"Text (Markdown)"<textarea name="new_text" rows="4" maxlength="20000"></textarea></label>
            </fieldset>
        </fieldset>
    }
}

/// Options of a poll, or candidates of an election, and the seats.
fn choice_fields(kind: &str, form: &ProposalFormView) -> impl IntoView {
    let election = kind == "election";
    let hint = if election {
        let names: Vec<String> = form
            .candidates
            .iter()
            .map(|(user, shown)| {
                if user == shown {
                    user.clone()
                } else {
                    format!("{user} ({shown})")
                }
            })
            .collect();
        format!(
            "One member's user name per line. Members: {}.",
            names.join(", ")
        )
    } else {
        "One option per line.".to_string()
    };
    view! {
        <label>{if election { "Candidates" } else { "Options" }}
            <textarea name="options" rows="5" required maxlength="20000"></textarea>
            <small>{hint}</small>
        </label>
        <label>"Seats (winners)"<input name="seats" type="number" min="1" value="1"/>
            <small>"More than one only for multiple-choice and ranked votes."</small>
        </label>
    }
}

/// Window, quorum, threshold, ballot and class policy.
fn terms_fields(kind: &str, form: &ProposalFormView) -> impl IntoView {
    let decision = kind == "rule_change" || kind == "decision";
    view! {
        <fieldset>
            <legend>"How it is decided"</legend>
            <label>"Voting method"
                <select name="method">
                    {methods(kind).iter().map(|m| view! { <option value=*m>{method_label(m)}</option> }).collect_view()}
                </select>
                {decision.then(|| view! { <small>"Single choice here means a For / Against / Abstain motion."</small> })}
            </label>
            <label>"Opens (UTC, YYYY-MM-DD HH:MM)"<input name="opens_at" placeholder="empty: now"/></label>
            <label>"Closes (UTC, YYYY-MM-DD HH:MM)"<input name="closes_at" required value=form.default_closes_at.clone()/></label>
            <label>"Quorum"<input name="quorum" placeholder="e.g. 50%, 1/3, or 10 ballots; empty: none"/></label>
            {decision.then(|| view! {
                <label>"Threshold"
                    <select name="threshold">
                        <option value="">"The method's default (majority; consent: no block and a majority agreeing)"</option>
                        <option value="simple_majority">"Simple majority (more than half)"</option>
                        <option value="two_thirds">"Two thirds"</option>
                        <option value="3/4">"Three quarters"</option>
                        <option value="consent">"Consent: no block, more agree than disagree"</option>
                        <option value="consent:2/3">"Consent: no block, two thirds agree"</option>
                    </select>
                </label>
            })}
            <label>"Ballot"
                <select name="ballot">
                    <option value="secret">"Secret: only counts are shown, once the vote closes"</option>
                    <option value="roll_call">"Roll call: who voted what is public, results are live"</option>
                </select>
            </label>
            <label>"Stakeholder classes"
                <select name="class_policy">
                    <option value="one_member_one_vote">"One member, one vote"</option>
                    <option value="weighted_classes">"Weighted classes (shares below)"</option>
                    <option value="concurrent_majorities">"Concurrent majorities (must pass in every class)"</option>
                </select>
            </label>
            <fieldset class="weights">
                <legend>"Class shares (weighted classes only; they must add up to 100%)"</legend>
                {form.community.classes.iter().map(|c| view! {
                    <label>{c.clone()}<input name=format!("weights[{c}]") placeholder="e.g. 40%"/></label>
                }).collect_view()}
            </fieldset>
        </fieldset>
    }
}

#[component]
pub fn NewProposalPage() -> impl IntoView {
    let key = key_param();
    let kind = query("kind")
        .filter(|k| KINDS.contains(&k.as_str()))
        .unwrap_or_else(|| "rule_change".to_string());
    let create = ServerAction::<CreateProposal>::new();
    let form = Resource::new_blocking(key, get_proposal_form);
    view! {
        <Suspense>
            {move || {
                let kind = kind.clone();
                Suspend::new(async move {
                let f = match form.await {
                    Ok(f) => f,
                    Err(e) => return view! { <ErrorBox error=e/> }.into_any(),
                };
                let key = f.community.key.clone();
                let title = format!("New proposal in {}", f.community.title);
                let tabs = KINDS.iter().map(|k| {
                    let current = *k == kind.as_str();
                    view! {
                        <a href=format!("{}?kind={k}", gov_path(&key, "proposals/new"))
                           class=if current { "current" } else { "" }
                           aria-current=current.then_some("page")>{kind_label(k)}</a>
                    }
                }).collect_view();
                let specific = match kind.as_str() {
                    "rule_change" => rule_fields(&f).into_any(),
                    "election" | "poll" => choice_fields(&kind, &f).into_any(),
                    _ => ().into_any(),
                };
                let terms = terms_fields(&kind, &f);
                let body_label = if kind == "decision" { "What is decided (Markdown)" } else { "Description (Markdown)" };
                view! {
                    <Title text=title.clone()/>
                    <GovNav community=f.community.clone() current="proposals"/>
                    <section class="card">
                        <h1>{title}</h1>
                        <nav class="tabs" aria-label="Kind of proposal">{tabs}</nav>
                        <ActionError value=create.value()/>
                        <ActionForm action=create attr:class="proposal-form">
                            <CsrfField/>
                            <input type="hidden" name="key" value=key.clone()/>
                            <input type="hidden" name="kind" value=kind.clone()/>
                            <label>"Title"<input name="title" required maxlength="200"/></label>
                            <label>{body_label}<textarea name="body" rows="5" maxlength="20000"></textarea></label>
                            {specific}
                            {terms}
                            <button type="submit">"Submit proposal"</button>
                        </ActionForm>
                    </section>
                }.into_any()
            })}}
        </Suspense>
    }
}
