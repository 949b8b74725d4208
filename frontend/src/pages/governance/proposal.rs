//! One proposal: what it proposes (with the diff of a rule change), its terms and window,
//! turnout, the ballot form for its method, the receipt shown once after voting, a receipt
//! checker, and the results (live for a roll call, after close for a secret ballot).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::results::Results;
use super::rules::Diff;
use super::{id_param, key_param, kind_label, GovNav};
use crate::backend::ProposalView;
use crate::components::content::PersonLink;
use crate::components::form::{textarea_text, ActionError, CsrfField, ErrorBox, Notice};
use crate::pages::query;
use crate::server_fns::{
    get_proposal, gov_path, take_receipt, CastVote, CheckReceipt, ExtendProposal,
};

/// The fields of a ballot for the proposal's method, filled with the current choice.
fn ballot_fields(p: &ProposalView) -> AnyView {
    let mine = p.my_choice.clone().unwrap_or_default();
    let method = p.summary.method.as_str();
    let options = p.options.clone();
    match method {
        "consent" => {
            let help = |o: &str| match o {
                "agree" => "Agree: I support it.",
                "abstain" => "Abstain: I stand aside.",
                "disagree" => "Disagree: I would rather not, but will not stop it.",
                _ => "Block: I have a serious objection; it must not pass (give your reason).",
            };
            view! {
                <fieldset class="choices">
                    <legend>"Your answer"</legend>
                    {options.into_iter().map(|o| {
                        let checked = mine.choice.as_deref() == Some(o.as_str());
                        view! { <label class="check"><input type="radio" name="choice" value=o.clone() checked=checked required/>" "{help(&o)}</label> }
                    }).collect_view()}
                </fieldset>
                <label>"Reason (required with Block)"<textarea name="reason" rows="3" maxlength="2000">{mine.reason.as_deref().map(textarea_text)}</textarea></label>
            }.into_any()
        }
        "single_choice" => view! {
            <fieldset class="choices">
                <legend>"Choose one"</legend>
                {options.into_iter().enumerate().map(|(i, o)| {
                    let checked = mine.choice.as_deref() == Some(i.to_string().as_str());
                    view! { <label class="check"><input type="radio" name="choice" value=i.to_string() checked=checked required/>" "{o}</label> }
                }).collect_view()}
            </fieldset>
        }.into_any(),
        "approval" => view! {
            <fieldset class="choices">
                <legend>"Tick every option you approve (none is a valid ballot)"</legend>
                {options.into_iter().enumerate().map(|(i, o)| {
                    let checked = mine.approved.contains(&i.to_string());
                    view! { <label class="check"><input type="checkbox" name=format!("approve[{i}]") value="on" checked=checked/>" "{o}</label> }
                }).collect_view()}
            </fieldset>
        }.into_any(),
        "ranked" => {
            let n = options.len();
            view! {
                <fieldset class="choices">
                    <legend>"Rank the options: 1 for your first choice; leave out any you would not rank"</legend>
                    {options.into_iter().enumerate().map(|(i, o)| {
                        let current = mine.ranks.get(&i.to_string()).cloned().unwrap_or_default();
                        view! {
                            <label>{o}
                                <select name=format!("rank[{i}]")>
                                    <option value="" selected=current.is_empty()>"not ranked"</option>
                                    {(1..=n).map(|r| {
                                        let v = r.to_string();
                                        view! { <option value=v.clone() selected=current == v>{v.clone()}</option> }
                                    }).collect_view()}
                                </select>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
            }.into_any()
        }
        _ => view! {
            <fieldset class="choices">
                <legend>"Score every option from 0 (worst) to 5 (best)"</legend>
                {options.into_iter().enumerate().map(|(i, o)| {
                    let current = mine.scores.get(&i.to_string()).cloned().unwrap_or_else(|| "0".into());
                    view! { <label>{o}<input type="number" name=format!("score[{i}]") min="0" max="5" required value=current/></label> }
                }).collect_view()}
            </fieldset>
        }.into_any(),
    }
}

/// Voting: the ballot form, the current ballot, or why the viewer cannot vote.
#[component]
fn VoteBox(p: ProposalView) -> impl IntoView {
    let vote = ServerAction::<CastVote>::new();
    let mine = p.my_ballot.clone().map(|b| {
        view! { <p class="my-ballot">"Your current ballot: "<strong>{b.join(", ")}</strong>". You can change it until the vote closes; only the latest counts."</p> }
    });
    let note = p.vote_note.clone();
    let form = p.can_vote.then(|| {
        let fields = ballot_fields(&p);
        let label = if p.my_ballot.is_some() {
            "Change my vote"
        } else {
            "Vote"
        };
        let (key, id) = (p.community.key.clone(), p.summary.id.to_string());
        view! {
            <ActionForm action=vote attr:class="ballot">
                <CsrfField/>
                <input type="hidden" name="key" value=key/>
                <input type="hidden" name="id" value=id/>
                {fields}
                <button type="submit">{label}</button>
            </ActionForm>
        }
    });
    view! {
        <section class="card vote" id="vote">
            <h2>"Your vote"</h2>
            <ActionError value=vote.value()/>
            {mine}
            {note.map(|n| view! { <p class="muted vote-note">{n}</p> })}
            {form}
        </section>
    }
}

/// Moderators: move the close later, within the community's extension rule.
#[component]
fn ExtendBox(key: String, id: i64, until: String) -> impl IntoView {
    let extend = ServerAction::<ExtendProposal>::new();
    view! {
        <section class="card" id="extend">
            <h2>"Extend the vote"</h2>
            <p class="muted">{format!("The community's rules allow closing it as late as {until} UTC.")}</p>
            <ActionError value=extend.value()/>
            <ActionForm action=extend attr:class="extend">
                <CsrfField/>
                <input type="hidden" name="key" value=key/>
                <input type="hidden" name="id" value=id.to_string()/>
                <label>"New close (UTC, YYYY-MM-DD HH:MM)"<input name="closes_at" required value=until/></label>
                <button type="submit">"Extend the vote"</button>
            </ActionForm>
        </section>
    }
}

/// The receipt checker: is the ballot with this receipt in the published count?
#[component]
fn ReceiptCheck(key: String, id: i64) -> impl IntoView {
    let check = ServerAction::<CheckReceipt>::new();
    let answer = query("receipt_check").map(|a| match a.as_str() {
        "counted" => "That receipt is in the published count: the ballot was counted.".to_string(),
        _ => {
            "That receipt is not in the published count (a later vote replaces an earlier receipt)."
                .to_string()
        }
    });
    view! {
        <section class="card" id="receipt-check">
            <h2>"Check a receipt"</h2>
            <ActionError value=check.value()/>
            {answer.map(|a| view! { <p class="notice receipt-answer" role="status">{a}</p> })}
            <ActionForm action=check attr:class="receipt-check">
                <input type="hidden" name="key" value=key/>
                <input type="hidden" name="id" value=id.to_string()/>
                <label>"Receipt"<input name="receipt" required maxlength="100" autocomplete="off"/></label>
                <button type="submit">"Check receipt"</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn ProposalPage() -> impl IntoView {
    let key = key_param();
    let id = id_param();
    let unchanged = query("unchanged").is_some();
    let extended = query("extended").is_some();
    // `?roll=N`: which page of the roll call to show.
    let roll = query("roll")
        .and_then(|r| r.parse::<i64>().ok())
        .unwrap_or(1);
    let proposal = Resource::new_blocking(
        move || (key(), id()),
        move |(k, i)| get_proposal(k, i, roll),
    );
    let receipt = Resource::new_blocking(id, take_receipt);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let p = match proposal.await {
                    Ok(p) => p,
                    Err(e) => return view! { <ErrorBox error=e/> }.into_any(),
                };
                let receipt = receipt.await.ok().flatten();
                let key = p.community.key.clone();
                let s = p.summary.clone();
                let window = match s.status.as_str() {
                    "scheduled" => format!("Opens {} · closes {}", s.opens_at, s.closes_at),
                    "open" => format!("Open since {} · closes {}", s.opens_at, s.closes_at),
                    _ => format!("Was open {} to {}", s.opens_at, s.closes_at),
                };
                let turnout = format!("{} of {} eligible members have voted.", p.ballots, p.eligible);
                let hidden = (p.result.is_none() && s.status == "open" && !p.live_results)
                    .then(|| view! { <p class="muted hidden-results">"Secret ballot: the count is published when the vote closes."</p> });
                let applied = p.result_rules_version.map(|v| view! {
                    <p class="notice">"Adopted: the rules are now at "
                        <a href=format!("{}#version-{v}", gov_path(&key, "rules/history"))>{format!("version {v}")}</a>"."</p>
                });
                let (page, pages) = (p.roll_call_page, p.roll_call_pages);
                let pager = (pages > 1).then(|| view! {
                    <nav class="pager" aria-label="Roll call pages">
                        {(page > 1).then(|| view! { <a href=format!("?roll={}#roll-call", page - 1)>"← Earlier"</a> })}
                        <span>{format!(" Page {page} of {pages} ")}</span>
                        {(page < pages).then(|| view! { <a href=format!("?roll={}#roll-call", page + 1)>"Later →"</a> })}
                    </nav>
                });
                let roll_call = p.roll_call.clone().map(|lines| view! {
                    <section class="card" id="roll-call">
                        <h2>"Roll call"</h2>
                        <table class="members roll-call">
                            <thead><tr><th>"Member"</th><th>"Class"</th><th>"Vote"</th></tr></thead>
                            <tbody>
                                {lines.into_iter().map(|l| view! {
                                    <tr><td><PersonLink person=l.voter/></td><td>{l.class}</td><td>{l.chosen.join(", ")}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        {pager}
                    </section>
                });
                let reasons = (!p.block_reasons.is_empty()).then(|| view! {
                    <section class="card" id="block-reasons">
                        <h2>"Reasons given for blocking"</h2>
                        <ul>{p.block_reasons.iter().map(|r| view! { <li><blockquote>{r.clone()}</blockquote></li> }).collect_view()}</ul>
                    </section>
                });
                let checkable = p.result.is_some();
                let elsewhere = (!p.community.local).then(|| view! {
                    <p class="muted">"Your ballot went to the community's own instance, which counts it under this receipt. When the vote closes its count comes back here: check your receipt on this page then."</p>
                });
                view! {
                    <Title text=s.title.clone()/>
                    <GovNav community=p.community.clone() current="proposals"/>
                    {receipt.map(|r| view! {
                        <section class="card receipt" id="receipt">
                            <p class="notice" role="status">"Your vote is recorded. Your receipt (shown only this once; keep it to check your ballot was counted):"</p>
                            <p><code class="receipt-code">{r}</code></p>
                            {elsewhere}
                        </section>
                    })}
                    {unchanged.then(|| view! { <Notice text="Your ballot is the same as before: nothing changed.".to_string()/> })}
                    {extended.then(|| view! { <Notice text="The vote is extended.".to_string()/> })}
                    <article class="card proposal" data-status=s.status.clone()>
                        <p class="meta"><span class="badge">{kind_label(&s.kind)}</span>" "
                            <span class=format!("badge status-{}", s.status)>{s.status.clone()}</span>
                            {p.author.clone().map(|a| view! { " · proposed by "<PersonLink person=a/> })}
                        </p>
                        <h1>{s.title.clone()}</h1>
                        <p class="window">{window}</p>
                        {s.verdict.clone().map(|v| view! { <p class="verdict"><strong>{v}</strong></p> })}
                        {applied}
                        {p.close_note.clone().map(|n| view! { <p class="error">{n}</p> })}
                        <div class="body" inner_html=p.body_html.clone()></div>
                        {p.diff.clone().map(|d| view! { <h2>"Proposed change to the rules"</h2><Diff diff=d/> })}
                        <h2>"Terms"</h2>
                        <dl class="terms">
                            {p.terms.iter().map(|(k, v)| view! { <dt>{k.clone()}</dt><dd>{v.clone()}</dd> }).collect_view()}
                        </dl>
                        <p class="turnout">{turnout}</p>
                        {hidden}
                    </article>
                    {(s.status == "open").then(|| view! { <VoteBox p=p.clone()/> })}
                    {p.extend_until.clone().map(|u| view! { <ExtendBox key=key.clone() id=s.id until=u/> })}
                    {p.result.clone().map(|r| view! { <Results result=r/> })}
                    {roll_call}
                    {reasons}
                    {checkable.then(|| view! { <ReceiptCheck key=key.clone() id=s.id/> })}
                }.into_any()
            })}
        </Suspense>
    }
}
