//! A community's governance settings, for its moderators: who may propose, whether a vote may
//! be extended (and by how much at most), and whether leaving withdraws a ballot.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::{key_param, GovNav};
use crate::components::form::{ActionError, CsrfField, ErrorBox, Notice};
use crate::pages::query;
use crate::server_fns::{get_governance_settings, UpdateGovernanceSettings};

const ROLES: [(&str, &str); 3] = [
    ("member", "Members (any role)"),
    ("moderator", "Moderators (and owners)"),
    ("owner", "Owners"),
];

#[component]
pub fn GovernanceSettingsPage() -> impl IntoView {
    let key = key_param();
    let saved = query("saved").is_some();
    let update = ServerAction::<UpdateGovernanceSettings>::new();
    let settings = Resource::new_blocking(key, get_governance_settings);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let s = match settings.await {
                    Ok(s) => s,
                    Err(e) => return view! { <ErrorBox error=e/> }.into_any(),
                };
                let title = format!("Governance of {}", s.community.title);
                let classes = s.community.classes.iter().map(|c| {
                    let checked = s.classes.contains(c);
                    view! { <label class="check"><input type="checkbox" name=format!("classes[{c}]") value="on" checked=checked/>{format!(" Members of the {c} class")}</label> }
                }).collect_view();
                let roles = ROLES.iter().map(|(r, label)| {
                    let checked = s.roles.iter().any(|x| x == r);
                    view! { <label class="check"><input type="checkbox" name=format!("roles[{r}]") value="on" checked=checked/>" "{*label}</label> }
                }).collect_view();
                view! {
                    <Title text=title.clone()/>
                    <GovNav community=s.community.clone() current="governance"/>
                    <section class="card">
                        <h1>{title}</h1>
                        <p class="muted">"These settings apply to proposals made after they are saved; votes already under way keep the terms they started with."</p>
                        {saved.then(|| view! { <Notice text="The governance settings are saved.".to_string()/> })}
                        <ActionError value=update.value()/>
                        <ActionForm action=update attr:class="governance-settings">
                            <CsrfField/>
                            <input type="hidden" name="key" value=s.community.key.clone()/>
                            <fieldset>
                                <legend>"Who may make proposals"</legend>
                                <label class="check"><input type="radio" name="proposers" value="any" checked=s.any_member/>" Every member"</label>
                                <label class="check"><input type="radio" name="proposers" value="only" checked=!s.any_member/>" Only those ticked below"</label>
                                {classes}
                                {roles}
                            </fieldset>
                            <fieldset>
                                <legend>"Extending a vote"</legend>
                                <label class="check"><input type="checkbox" name="allow_extension" value="on" checked=s.allow_extension/>" Moderators may move a vote's close later"</label>
                                <label>"By at most (hours)"<input name="max_extension_hours" type="number" min="0" step="any" value=s.max_extension_hours.clone()/></label>
                            </fieldset>
                            <fieldset>
                                <legend>"Leaving"</legend>
                                <label class="check"><input type="checkbox" name="withdraw_on_leave" value="on" checked=s.withdraw_on_leave/>" A member who leaves before a vote closes has their ballot withdrawn"</label>
                            </fieldset>
                            <button type="submit">"Save governance settings"</button>
                        </ActionForm>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}
