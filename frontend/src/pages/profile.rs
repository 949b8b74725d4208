//! A member's public profile.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::components::form::{page_ctx, ErrorBox};
use crate::server_fns::get_profile;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let params = use_params_map();
    let name = move || params.with(|p| p.get("name").unwrap_or_default());
    let profile = Resource::new_blocking(name, get_profile);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let own = page_ctx().await.ok().and_then(|c| c.viewer).map(|v| v.username);
                match profile.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(p) => {
                        let title = p.display_name.clone().unwrap_or(p.username.clone());
                        let is_own = own.as_deref() == Some(p.username.as_str());
                        view! {
                            <Title text=title.clone()/>
                            <article class="card profile">
                                <h1>{title}</h1>
                                <p class="handle">{p.handle.clone()}
                                    {p.is_admin.then(|| view! { " "<span class="badge">"admin"</span> })}
                                </p>
                                <div class="bio" inner_html=p.bio_html.clone()></div>
                                <p class="muted">"Member since "{p.joined.clone()}</p>
                                {is_own.then(|| view! { <p><a href="/settings" class="button">"Edit profile"</a></p> })}
                            </article>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
