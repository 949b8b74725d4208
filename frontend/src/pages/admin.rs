//! The admin's page: applications waiting for a decision.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::form::{ActionError, CsrfField, ErrorBox};
use crate::server_fns::{pending_applications, DecideApplication};

#[component]
pub fn AdminPage() -> impl IntoView {
    let decide = ServerAction::<DecideApplication>::new();
    let pending = Resource::new_blocking(|| (), |_| pending_applications());
    view! {
        <Title text="Admin"/>
        <p class="mod-links"><a href="/admin/federation">"Federation: instances, allowlist and blocks"</a></p>
        <section class="card">
            <h1>"Applications"</h1>
            <ActionError value=decide.value()/>
            <Suspense>
                {move || Suspend::new(async move {
                    match pending.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="muted">"No applications are waiting."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="applications">
                                {list.into_iter().map(|a| view! {
                                    <li class="application">
                                        <h3>{a.username.clone()}</h3>
                                        <p class="muted">"Applied "{a.applied.clone()}</p>
                                        <blockquote>{a.application.clone()}</blockquote>
                                        <ActionForm action=decide>
                                            <CsrfField/>
                                            <input type="hidden" name="user_id" value=a.user_id.to_string()/>
                                            <label>"Reason (shown to the applicant if refused)"<input name="reason" maxlength="2000"/></label>
                                            <button type="submit" name="decision" value="approve">"Approve"</button>
                                            " "
                                            <button type="submit" name="decision" value="refuse" class="secondary">"Refuse"</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
