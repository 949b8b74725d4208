//! A community's proposals: open, scheduled and closed, with a link to make a new one.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{key_param, GovNav, ProposalItem};
use crate::backend::ProposalRef;
use crate::components::form::ErrorBox;
use crate::server_fns::{get_proposals, gov_path};

/// One titled list of proposals, or a line saying there are none.
fn section(
    key: &str,
    title: &'static str,
    list: Vec<ProposalRef>,
    empty: &'static str,
) -> impl IntoView {
    let key = key.to_string();
    let class = format!("proposals {}", title.to_lowercase());
    view! {
        <h2>{title}</h2>
        {if list.is_empty() {
            view! { <p class="muted">{empty}</p> }.into_any()
        } else {
            view! {
                <ul class=class>
                    {list.into_iter().map(|p| view! { <ProposalItem key=key.clone() p=p/> }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

#[component]
pub fn ProposalsPage() -> impl IntoView {
    let key = key_param();
    let proposals = Resource::new_blocking(key, get_proposals);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let v = match proposals.await {
                    Ok(v) => v,
                    Err(e) => return view! { <ErrorBox error=e/> }.into_any(),
                };
                let key = v.community.key.clone();
                let title = format!("Proposals in {}", v.community.title);
                let propose = if v.community.may_propose {
                    view! { <p><a class="button" href=gov_path(&key, "proposals/new")>"New proposal"</a></p> }.into_any()
                } else {
                    view! { <p class="muted">{v.community.propose_note.clone()}</p> }.into_any()
                };
                view! {
                    <Title text=title.clone()/>
                    <GovNav community=v.community.clone() current="proposals"/>
                    <section class="card">
                        <h1>{title}</h1>
                        {propose}
                        {section(&key, "Open", v.open, "No vote is open.")}
                        {section(&key, "Scheduled", v.scheduled, "Nothing is scheduled.")}
                        {section(&key, "Closed", v.closed, "No vote has closed yet.")}
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}
