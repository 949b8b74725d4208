//! A community's rules (numbered, rendered, at their version) and their history: every version
//! with its diff and the proposal that adopted it.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::{key_param, GovNav};
use crate::backend::{DiffView, ProposalRef};
use crate::components::form::{ActionError, CsrfField, ErrorBox};
use crate::server_fns::{get_rules, get_rules_history, gov_path, proposal_path, FoundRules};

/// "adopted by proposal …, passed": a link to the proposal and its verdict.
#[component]
fn AdoptedBy(key: String, by: Option<ProposalRef>) -> impl IntoView {
    match by {
        None => view! { <span>"founding rules"</span> }.into_any(),
        Some(p) => view! {
            <span>"adopted by "<a href=proposal_path(&key, p.id)>{p.title.clone()}</a>
                {p.verdict.clone().map(|v| format!(" ({v})"))}</span>
        }
        .into_any(),
    }
}

/// The owner's form for the founding rules of a community that has none yet.
#[component]
fn FoundingForm(key: String) -> impl IntoView {
    let found = ServerAction::<FoundRules>::new();
    view! {
        <section class="founding">
            <h2>"Write the founding rules"</h2>
            <p class="muted">"As the owner you write the first rules; after that, every change is a proposal the members vote on. Start each rule with a line “## Title”, then its text (Markdown)."</p>
            <ActionError value=found.value()/>
            <ActionForm action=found>
                <CsrfField/>
                <input type="hidden" name="key" value=key/>
                <label>"Rules"<textarea name="rules" rows="12" required maxlength="100000"
                    placeholder="## Be kind\nTreat every member with respect.\n\n## Share tools\nTools go back by dusk."></textarea></label>
                <button type="submit">"Adopt the founding rules"</button>
            </ActionForm>
        </section>
    }
}

/// A diff as lines marked added (+) and removed (−), with the counts.
#[component]
pub fn Diff(diff: DiffView) -> impl IntoView {
    let summary = format!(
        "{} line(s) added, {} line(s) removed",
        diff.added, diff.removed
    );
    view! {
        <div class="diff">
            <p class="muted">{summary}</p>
            <pre>
                {diff.lines.into_iter().map(|l| {
                    let (mark, tag) = match l.tag.as_str() {
                        "added" => ("+ ", "ins"),
                        "removed" => ("− ", "del"),
                        _ => ("  ", "same"),
                    };
                    view! { <span class=format!("line {tag}")>{format!("{mark}{}\n", l.text)}</span> }
                }).collect_view()}
            </pre>
        </div>
    }
}

#[component]
pub fn RulesPage() -> impl IntoView {
    let key = key_param();
    let rules = Resource::new_blocking(key, get_rules);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let v = match rules.await {
                    Ok(v) => v,
                    Err(e) => return view! { <ErrorBox error=e/> }.into_any(),
                };
                let key = v.community.key.clone();
                let title = format!("Rules of {}", v.community.title);
                let version = if v.version == 0 {
                    "No rules yet.".to_string()
                } else {
                    format!("Version {}{}", v.version,
                        v.adopted_at.as_ref().map(|a| format!(", in force since {a}")).unwrap_or_default())
                };
                let propose = v.community.may_propose.then(|| view! {
                    <p><a class="button" href=format!("{}?kind=rule_change", gov_path(&key, "proposals/new"))>"Propose a change"</a></p>
                });
                let body = if v.rules.is_empty() {
                    view! { <p class="muted">"This community has not adopted any rules."</p> }.into_any()
                } else {
                    view! {
                        <ol class="rules">
                            {v.rules.into_iter().map(|r| view! {
                                <li id=format!("rule-{}", r.number) class="rule">
                                    <h2>{format!("{}. {}", r.number, r.title)}</h2>
                                    <div class="body" inner_html=r.html></div>
                                </li>
                            }).collect_view()}
                        </ol>
                    }.into_any()
                };
                let founding = (v.version == 0 && v.community.is_owner && v.community.local)
                    .then(|| view! { <FoundingForm key=key.clone()/> });
                view! {
                    <Title text=title.clone()/>
                    <GovNav community=v.community.clone() current="rules"/>
                    <section class="card">
                        <h1>{title}</h1>
                        <p class="muted rules-version">{version}" · "
                            {(v.version > 0).then(|| view! { <AdoptedBy key=key.clone() by=v.adopted_by.clone()/>" · " })}
                            <a href=gov_path(&key, "rules/history")>"History"</a>
                        </p>
                        {body}
                        {founding}
                        {propose}
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
pub fn RulesHistoryPage() -> impl IntoView {
    let key = key_param();
    let history = Resource::new_blocking(key, get_rules_history);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let h = match history.await {
                    Ok(h) => h,
                    Err(e) => return view! { <ErrorBox error=e/> }.into_any(),
                };
                let key = h.community.key.clone();
                let title = format!("History of the rules of {}", h.community.title);
                let body = if h.entries.is_empty() {
                    view! { <p class="muted">"No versions yet."</p> }.into_any()
                } else {
                    h.entries.into_iter().map(|e| view! {
                        <article class="version" id=format!("version-{}", e.version)>
                            <h2>{format!("Version {}", e.version)}</h2>
                            <p class="meta">{format!("{} · ", e.adopted_at)}
                                <AdoptedBy key=key.clone() by=e.adopted_by.clone()/>
                            </p>
                            <Diff diff=e.diff/>
                        </article>
                    }).collect_view().into_any()
                };
                view! {
                    <Title text=title.clone()/>
                    <GovNav community=h.community.clone() current="rules/history"/>
                    <section class="card">
                        <h1>{title}</h1>
                        {body}
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}
