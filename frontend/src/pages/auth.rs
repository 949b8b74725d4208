//! Sign-in and registration pages.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::query;
use crate::backend::Registration;
use crate::components::form::{page_ctx, ActionError, CsrfField, ErrorBox};
use crate::server_fns::{Login, Register};

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let next = query("next").unwrap_or_else(|| "/".into());
    view! {
        <Title text="Sign in"/>
        <section class="card narrow">
            <h1>"Sign in"</h1>
            <ActionError value=login.value()/>
            <ActionForm action=login>
                <CsrfField/>
                <input type="hidden" name="next" value=next/>
                <label>"User name"<input name="username" autocomplete="username" required maxlength="30"/></label>
                <label>"Password"<input type="password" name="password" autocomplete="current-password" required maxlength="256"/></label>
                <button type="submit">"Sign in"</button>
            </ActionForm>
            <p class="muted">"New here? "<a href="/register">"Join this co-op"</a></p>
        </section>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let register = ServerAction::<Register>::new();
    view! {
        <Title text="Join"/>
        <Suspense>
            {move || Suspend::new(async move {
                let ctx = match page_ctx().await {
                    Ok(ctx) => ctx,
                    Err(e) => return view! { <ErrorBox error=e/> }.into_any(),
                };
                let mode = ctx.instance.registration;
                if mode == Registration::Closed {
                    return view! {
                        <section class="card narrow">
                            <h1>"Registration is closed"</h1>
                            <p>"This co-op creates accounts for its members itself. Ask an admin for an account."</p>
                        </section>
                    }.into_any();
                }
                let approval = mode == Registration::Approval;
                view! {
                    <section class="card narrow">
                        <h1>"Join "{ctx.instance.name.clone()}</h1>
                        {approval.then(|| view! {
                            <p class="muted">"An admin reviews each application before the account can be used."</p>
                        })}
                        <ActionError value=register.value()/>
                        <ActionForm action=register>
                            <CsrfField/>
                            <label>"User name"
                                <input name="username" autocomplete="username" required minlength="2" maxlength="30" pattern="[A-Za-z][A-Za-z0-9_]*"/>
                                <small>"Letters, digits and _; starts with a letter. Others will see you as @name@"{ctx.instance.hostname.clone()}"."</small>
                            </label>
                            <label>"Display name (optional)"<input name="display_name" maxlength="100"/></label>
                            <label>"Password"<input type="password" name="password" autocomplete="new-password" required minlength="10" maxlength="256"/>
                                <small>"At least 10 characters."</small>
                            </label>
                            <label>"Password again"<input type="password" name="password_again" autocomplete="new-password" required minlength="10" maxlength="256"/></label>
                            {approval.then(|| view! {
                                <label>"Why do you want to join?"<textarea name="application" required maxlength="2000" rows="4"></textarea></label>
                            })}
                            <button type="submit">{if approval { "Apply" } else { "Create account" }}</button>
                        </ActionForm>
                        <p class="muted">"Already a member? "<a href="/login">"Sign in"</a></p>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
pub fn RegisterSentPage() -> impl IntoView {
    view! {
        <Title text="Application sent"/>
        <section class="card narrow">
            <h1>"Application sent"</h1>
            <p>"Thank you. An admin will look at your application; once approved, you can sign in."</p>
        </section>
    }
}
