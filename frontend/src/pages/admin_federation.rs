//! The admin's federation page: every known instance with its policy,
//! software, last contact and delivery state; allow, block, clear and follow
//! buttons; adding an instance by host; and the allowlist-only switch.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::query;
use crate::components::form::{ActionError, CsrfField, ErrorBox, Notice};
use crate::federation::{FederationAdminView, InstanceRow};
use crate::server_fns::{get_federation_admin, ManageInstance, SetAllowlistOnly};

fn policy_text(policy: &str) -> &'static str {
    match policy {
        "allow" => "Allowed",
        "block" => "Blocked",
        _ => "No policy",
    }
}

fn delivery_text(row: &InstanceRow) -> String {
    match row.delivery.as_str() {
        "healthy" => "Healthy".to_string(),
        "backing_off" => format!(
            "Backing off after {} failures; next try {}",
            row.fail_count,
            row.next_attempt.as_deref().unwrap_or("soon")
        ),
        "parked" => format!(
            "Parked after {} failures; next try {}",
            row.fail_count,
            row.next_attempt.as_deref().unwrap_or("later")
        ),
        other => other.to_string(),
    }
}

/// A button posting `action` for `host`.
#[component]
fn InstanceButton(
    action: ServerAction<ManageInstance>,
    host: String,
    value: &'static str,
    label: &'static str,
) -> impl IntoView {
    view! {
        <ActionForm action=action attr:class="inline">
            <CsrfField/>
            <input type="hidden" name="host" value=host/>
            <button type="submit" name="action" value=value class="secondary small">{label}</button>
        </ActionForm>
    }
}

#[component]
fn InstanceTable(rows: Vec<InstanceRow>, manage: ServerAction<ManageInstance>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">"No other instance is known yet."</p> }.into_any();
    }
    view! {
        <table class="members instances">
            <thead><tr>
                <th>"Instance"</th><th>"Policy"</th><th>"Software"</th>
                <th>"Last contact"</th><th>"Delivery"</th><th>"Actions"</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|r| {
                    let host = r.host.clone();
                    let button = move |value: &'static str, label: &'static str| {
                        view! { <InstanceButton action=manage host=host.clone() value=value label=label/> }
                    };
                    view! {
                        <tr data-host=r.host.clone() data-policy=r.policy.clone() data-delivery=r.delivery.clone()>
                            <td>{r.host.clone()}{r.followed.then(|| view! { " "<span class="badge">"followed"</span> })}</td>
                            <td>{policy_text(&r.policy)}</td>
                            <td>{r.software.clone().unwrap_or_else(|| "unknown".into())}</td>
                            <td>{r.last_contact.clone().unwrap_or_else(|| "never".into())}</td>
                            <td title=r.last_error.clone().unwrap_or_default()>{delivery_text(&r)}</td>
                            <td>
                                {(r.policy != "allow").then(|| button("allow", "Allow"))}
                                {(r.policy != "block").then(|| button("block", "Block"))}
                                {(r.policy == "block").then(|| button("clear", "Unblock"))}
                                {(r.policy == "allow").then(|| button("clear", "Remove from allowlist"))}
                                {if r.followed { button("unfollow", "Unfollow") } else { button("follow", "Follow") }}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

fn allowlist_box(view_: &FederationAdminView, toggle: ServerAction<SetAllowlistOnly>) -> AnyView {
    let on = view_.allowlist_only;
    let (text, value, label) = if on {
        (
            "Allowlist-only is on: this co-op federates only with the instances allowed below.",
            "false",
            "Federate with every instance not blocked",
        )
    } else {
        (
            "Allowlist-only is off: this co-op federates with every instance that is not blocked.",
            "true",
            "Federate only with allowed instances",
        )
    };
    view! {
        <div class="line allowlist" data-allowlist-only=on.to_string()>
            <span>{text}</span>
            <ActionForm action=toggle attr:class="inline">
                <CsrfField/>
                <input type="hidden" name="enabled" value=value/>
                <button type="submit" class="small">{label}</button>
            </ActionForm>
        </div>
    }
    .into_any()
}

#[component]
pub fn AdminFederationPage() -> impl IntoView {
    let manage = ServerAction::<ManageInstance>::new();
    let toggle = ServerAction::<SetAllowlistOnly>::new();
    let saved = query("saved").is_some();
    let data = Resource::new_blocking(|| (), |_| get_federation_admin());
    view! {
        <Title text="Federation"/>
        // Outside the page's data: a refusal shows even to whom the page is refused.
        <ActionError value=manage.value()/>
        <ActionError value=toggle.value()/>
        <Suspense>
            {move || Suspend::new(async move {
                let v = match data.await {
                    Ok(v) => v,
                    Err(e) => return view! { <ErrorBox error=e/> }.into_any(),
                };
                view! {
                    <section class="card">
                        <h1>"Federation"</h1>
                        <p><a href="/admin">"← Admin"</a>" · "<a href="/network">"Network view"</a></p>
                        {saved.then(|| view! { <Notice text="Saved.".to_string()/> })}
                        {allowlist_box(&v, toggle)}
                    </section>
                    <section class="card">
                        <h2>"Add an instance"</h2>
                        <p class="muted">"Following a co-op instance brings its public communities into the network view."</p>
                        <ActionForm action=manage attr:class="line add-instance">
                            <CsrfField/>
                            <label>"Host"<input name="host" required maxlength="255" placeholder="music.example"/></label>
                            <button type="submit" name="action" value="follow">"Follow"</button>
                            <button type="submit" name="action" value="allow" class="secondary">"Allow"</button>
                            <button type="submit" name="action" value="block" class="secondary">"Block"</button>
                        </ActionForm>
                    </section>
                    <section class="card">
                        <h2>"Known instances"</h2>
                        <InstanceTable rows=v.instances manage=manage/>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}
