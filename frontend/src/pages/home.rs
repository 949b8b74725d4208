//! The start page: what this co-op is, and a way in.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::form::{page_ctx, ErrorBox};

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text=""/>
        <Suspense>
            {move || Suspend::new(async move {
                match page_ctx().await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(ctx) => {
                        let welcome = match &ctx.viewer {
                            Some(v) => view! {
                                <p>"Welcome back, "<a href=format!("/u/{}", v.username)>{v.display_name.clone().unwrap_or(v.username.clone())}</a>"."</p>
                            }.into_any(),
                            None => view! {
                                <p><a href="/register" class="button">"Join this co-op"</a>" or "<a href="/login">"sign in"</a>"."</p>
                            }.into_any(),
                        };
                        let members = format!(
                            "{} member{}",
                            ctx.instance.users,
                            if ctx.instance.users == 1 { "" } else { "s" }
                        );
                        view! {
                            <section class="card hero">
                                <h1>{ctx.instance.name.clone()}</h1>
                                <p class="lead">{ctx.instance.description.clone()}</p>
                                <p class="muted">{members}" · "{ctx.instance.hostname.clone()}</p>
                                {welcome}
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
