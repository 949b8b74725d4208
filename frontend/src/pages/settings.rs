//! The signed-in member's settings: profile and password.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::query;
use crate::backend::AppError;
use crate::components::form::{page_ctx, textarea_text, ActionError, CsrfField, ErrorBox, Notice};
use crate::server_fns::{get_profile, ChangePassword, UpdateProfile};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let update = ServerAction::<UpdateProfile>::new();
    let password = ServerAction::<ChangePassword>::new();
    let notice = match query("saved").as_deref() {
        Some("profile") => Some("Your profile is saved."),
        Some("password") => Some("Your password is changed. Other sessions were signed out."),
        _ if query("welcome").is_some() => {
            Some("Welcome! Your account is ready; tell the co-op about yourself.")
        }
        _ => None,
    };
    view! {
        <Title text="Settings"/>
        <Suspense>
            {move || Suspend::new(async move {
                let viewer = match page_ctx().await.map(|c| c.viewer) {
                    Ok(Some(v)) => v,
                    Ok(None) => return view! { <ErrorBox error=AppError::Unauthenticated/> }.into_any(),
                    Err(e) => return view! { <ErrorBox error=e/> }.into_any(),
                };
                let profile = match get_profile(viewer.username.clone()).await {
                    Ok(p) => p,
                    Err(e) => return view! { <ErrorBox error=e/> }.into_any(),
                };
                view! {
                    <section class="card">
                        <h1>"Settings"</h1>
                        {notice.map(|n| view! { <Notice text=n.to_string()/> })}
                        <h2>"Profile"</h2>
                        <ActionError value=update.value()/>
                        <ActionForm action=update>
                            <CsrfField/>
                            <label>"Display name"<input name="display_name" maxlength="100" value=profile.display_name.clone().unwrap_or_default()/></label>
                            <label>"About you (Markdown)"<textarea name="bio" rows="6" maxlength="5000">{textarea_text(&profile.bio_markdown)}</textarea></label>
                            <button type="submit">"Save profile"</button>
                        </ActionForm>
                        <p><a href=format!("/u/{}", profile.username)>"See your public profile"</a></p>
                    </section>
                    <section class="card">
                        <h2>"Password"</h2>
                        <ActionError value=password.value()/>
                        <ActionForm action=password>
                            <CsrfField/>
                            <label>"Current password"<input type="password" name="current_password" autocomplete="current-password" required maxlength="256"/></label>
                            <label>"New password"<input type="password" name="new_password" autocomplete="new-password" required minlength="10" maxlength="256"/></label>
                            <label>"New password again"<input type="password" name="new_password_again" autocomplete="new-password" required minlength="10" maxlength="256"/></label>
                            <button type="submit">"Change password"</button>
                        </ActionForm>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}
