//! The new-proposal form, one kind at a time (chosen with links, so it works without
//! JavaScript): the rule-change editor (every current rule editable, with a position and a
//! repeal box, plus slots for new rules), decisions, elections and polls, and the voting terms.
//! A refused submission comes back filled in (the server keeps it as a draft, once).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::{key_param, kind_label, method_label, GovNav};
use crate::backend::{NewRule, ProposalFormView, ProposalInput, RuleEdit, RuleView};
use crate::components::form::{textarea_text, ActionError, CsrfField, ErrorBox};
use crate::pages::query;
use crate::server_fns::{get_proposal_form, gov_path, CreateProposal};

const KINDS: [&str; 4] = ["rule_change", "decision", "election", "poll"];
/// Empty "add a rule" slots shown by default, and at most (`?slots=N` asks for more).
const NEW_RULE_SLOTS: usize = 3;
const MAX_NEW_RULE_SLOTS: usize = 30;

/// The methods a kind of proposal may use, the first being the default.
fn methods(kind: &str) -> &'static [&'static str] {
    match kind {
        "rule_change" | "decision" => &["consent", "single_choice"],
        _ => &["single_choice", "approval", "ranked", "score"],
    }
}

/// One current rule, editable: position, title, text, and a box to repeal it.
/// As typed last time, else `current`.
fn typed(last: Option<&String>, current: impl Into<String>) -> String {
    last.cloned().unwrap_or_else(|| current.into())
}

#[component]
fn RuleEditor(rule: RuleView, edit: Option<RuleEdit>) -> impl IntoView {
    let name = |field: &str| format!("rules[{}][{field}]", rule.id);
    let edit = edit.unwrap_or_default();
    view! {
        <fieldset class="rule-edit">
            <legend>{format!("Rule {}", rule.number)}</legend>
            <label class="position">"Position"
                <input name=name("position") type="number" min="1" value=typed(edit.position.as_ref(), rule.number.to_string())/>
            </label>
            <label>"Title"<input name=name("title") maxlength="200" value=typed(edit.title.as_ref(), rule.title.clone())/></label>
            <label>"Text (Markdown)"<textarea name=name("text") rows="4" maxlength="20000">{textarea_text(typed(edit.text.as_ref(), rule.text.clone()))}</textarea></label>
            <label class="check"><input type="checkbox" name=name("repeal") value="on" checked=edit.repeal.is_some()/>" Repeal this rule"</label>
        </fieldset>
    }
}

/// One slot for a rule to add.
fn new_rule_slot(slot: usize, rule: Option<&NewRule>) -> impl IntoView {
    let name = |field: &str| format!("added[{slot}][{field}]");
    let value =
        |f: fn(&NewRule) -> &Option<String>| rule.and_then(|r| f(r).clone()).unwrap_or_default();
    view! {
        <fieldset class="rule-edit new">
            <legend>{format!("Add a rule ({})", slot + 1)}</legend>
            <label class="position">"Position"<input name=name("position") type="number" min="1" placeholder="end" value=value(|r| &r.position)/></label>
            <label>"Title"<input name=name("title") maxlength="200" value=value(|r| &r.title)/></label>
            <label>"Text (Markdown)"<textarea name=name("text") rows="4" maxlength="20000">{textarea_text(value(|r| &r.text))}</textarea></label>
        </fieldset>
    }
}

/// What only a rule change asks for: every current rule, then the slots for new ones (as many
/// as the draft filled, at least [`NEW_RULE_SLOTS`], more on request).
fn rule_fields(
    form: &ProposalFormView,
    draft: Option<&ProposalInput>,
    asked: usize,
) -> impl IntoView {
    let added: Vec<&NewRule> = draft
        .map(|d| {
            let mut slots: Vec<(u64, &NewRule)> = d
                .added
                .iter()
                .filter(|(_, r)| !r.is_empty())
                .filter_map(|(k, r)| Some((k.parse().ok()?, r)))
                .collect();
            slots.sort_by_key(|(k, _)| *k);
            slots.into_iter().map(|(_, r)| r).collect()
        })
        .unwrap_or_default();
    let slots = asked
        .max(added.len() + 1)
        .min(MAX_NEW_RULE_SLOTS.max(added.len()));
    let more = (slots + NEW_RULE_SLOTS).min(MAX_NEW_RULE_SLOTS);
    view! {
        <fieldset class="rules-editor">
            <legend>"The rules as they would read"</legend>
            <p class="muted">"Change the text of any rule, renumber them with the positions, tick the rules to repeal, or add rules (a position puts a new rule at that place in the new list; without one it goes at the end). The proposal page shows the difference."</p>
            <input type="hidden" name="base_version" value=form.rules_version.to_string()/>
            {form.rules.iter().cloned().map(|r| {
                let edit = draft.and_then(|d| d.rules.get(&r.id.to_string()).cloned());
                view! { <RuleEditor rule=r edit=edit/> }
            }).collect_view()}
            {(0..slots).map(|i| new_rule_slot(i, added.get(i).copied())).collect_view()}
            {(slots < MAX_NEW_RULE_SLOTS).then(|| view! {
                <p class="muted"><a href=format!("?kind=rule_change&slots={more}")>"Adding more rules? Show more empty slots"</a>" (before you start typing)."</p>
            })}
        </fieldset>
    }
}

/// Options of a poll, or candidates of an election, and the seats.
fn choice_fields(
    kind: &str,
    form: &ProposalFormView,
    draft: Option<&ProposalInput>,
) -> impl IntoView {
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
            <textarea name="options" rows="5" required maxlength="20000">{draft.map(|d| textarea_text(&d.options))}</textarea>
            <small>{hint}</small>
        </label>
        <label>"Seats (winners)"<input name="seats" type="number" min="1" value=typed(draft.map(|d| &d.seats), "1")/>
            <small>"More than one only for multiple-choice and ranked votes."</small>
        </label>
    }
}

/// A `<select>`'s options as (value, label), the draft's choice (or the first) selected.
fn choices(options: &[(&'static str, &'static str)], chosen: Option<&str>) -> impl IntoView {
    options
        .iter()
        .map(|(value, label)| {
            let selected = chosen == Some(*value);
            view! { <option value=*value selected=selected>{*label}</option> }
        })
        .collect_view()
}

const THRESHOLDS: [(&str, &str); 6] = [
    (
        "",
        "The method's default (majority; consent: no block and a majority agreeing)",
    ),
    ("simple_majority", "Simple majority (more than half)"),
    ("two_thirds", "Two thirds"),
    ("3/4", "Three quarters"),
    ("consent", "Consent: no block, more agree than disagree"),
    ("consent:2/3", "Consent: no block, two thirds agree"),
];
const BALLOTS: [(&str, &str); 2] = [
    (
        "secret",
        "Secret: only counts are shown, once the vote closes",
    ),
    (
        "roll_call",
        "Roll call: who voted what is public, results are live",
    ),
];
const CLASS_POLICIES: [(&str, &str); 3] = [
    ("one_member_one_vote", "One member, one vote"),
    ("weighted_classes", "Weighted classes (shares below)"),
    (
        "concurrent_majorities",
        "Concurrent majorities (must pass in every class)",
    ),
];

/// Window, quorum, threshold, ballot and class policy.
fn terms_fields(
    kind: &str,
    form: &ProposalFormView,
    draft: Option<&ProposalInput>,
) -> impl IntoView {
    let decision = kind == "rule_change" || kind == "decision";
    let chosen = |f: fn(&ProposalInput) -> &String| draft.map(|d| f(d).as_str());
    let method_choices: Vec<(&'static str, &'static str)> = methods(kind)
        .iter()
        .map(|m| (*m, method_label(m)))
        .collect();
    let weight = |class: &str| {
        draft
            .and_then(|d| d.weights.get(class).cloned())
            .unwrap_or_default()
    };
    view! {
        <fieldset>
            <legend>"How it is decided"</legend>
            <label>"Voting method"
                <select name="method">{choices(&method_choices, chosen(|d| &d.method))}</select>
                {decision.then(|| view! { <small>"Single choice here means a For / Against / Abstain motion."</small> })}
            </label>
            <label>"Opens (UTC, YYYY-MM-DD HH:MM)"<input name="opens_at" placeholder="empty: now" value=typed(draft.map(|d| &d.opens_at), "")/></label>
            <label>"Closes (UTC, YYYY-MM-DD HH:MM)"<input name="closes_at" required value=typed(draft.map(|d| &d.closes_at), form.default_closes_at.clone())/></label>
            <label>"Quorum"<input name="quorum" placeholder="e.g. 50%, 1/3, or 10 ballots; empty: none" value=typed(draft.map(|d| &d.quorum), "")/></label>
            {decision.then(|| view! {
                <label>"Threshold"<select name="threshold">{choices(&THRESHOLDS, chosen(|d| &d.threshold))}</select></label>
            })}
            <label>"Ballot"<select name="ballot">{choices(&BALLOTS, chosen(|d| &d.ballot))}</select></label>
            <label>"Stakeholder classes"
                <select name="class_policy">{choices(&CLASS_POLICIES, chosen(|d| &d.class_policy))}</select>
            </label>
            <fieldset class="weights">
                <legend>"Class shares (weighted classes only; they must add up to 100%)"</legend>
                {form.community.classes.iter().map(|c| view! {
                    <label>{c.clone()}<input name=format!("weights[{c}]") placeholder="e.g. 40%" value=weight(c)/></label>
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
    let slots = query("slots")
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(NEW_RULE_SLOTS)
        .clamp(1, MAX_NEW_RULE_SLOTS);
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
                // What was typed last time, if it was refused, for this kind of proposal.
                let draft = f.draft.clone().filter(|d| d.kind == kind);
                let draft = draft.as_ref();
                let specific = match kind.as_str() {
                    "rule_change" => rule_fields(&f, draft, slots).into_any(),
                    "election" | "poll" => choice_fields(&kind, &f, draft).into_any(),
                    _ => ().into_any(),
                };
                let terms = terms_fields(&kind, &f, draft);
                let typed_title = typed(draft.map(|d| &d.title), "");
                let typed_body = typed(draft.map(|d| &d.body), "");
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
                            <label>"Title"<input name="title" required maxlength="200" value=typed_title/></label>
                            <label>{body_label}<textarea name="body" rows="5" maxlength="20000">{textarea_text(typed_body)}</textarea></label>
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
