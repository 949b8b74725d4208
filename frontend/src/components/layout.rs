//! The frame around every page: header with navigation, main area, footer.

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::app::PageResource;
use crate::components::form::CsrfField;
use crate::server_fns::Logout;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let ctx = expect_context::<PageResource>();
    let logout = ServerAction::<Logout>::new();
    let nav = move || {
        Suspend::new(async move {
            let ctx = ctx.await.ok();
            let name = ctx
                .as_ref()
                .map(|c| c.instance.name.clone())
                .unwrap_or_else(|| "Commonhall".into());
            let viewer = ctx.and_then(|c| c.viewer);
            let links = match viewer {
                Some(v) => {
                    let profile = format!("/u/{}", v.username);
                    view! {
                        <a href=profile>{v.display_name.clone().unwrap_or(v.username.clone())}</a>
                        <a href="/settings">"Settings"</a>
                        {v.is_admin.then(|| view! { <a href="/admin">"Admin"</a> })}
                        <ActionForm action=logout attr:class="inline">
                            <CsrfField/>
                            <button type="submit" class="link">"Sign out"</button>
                        </ActionForm>
                    }
                    .into_any()
                }
                None => view! {
                    <a href="/login">"Sign in"</a>
                    <a href="/register" class="button">"Join"</a>
                }
                .into_any(),
            };
            view! {
                <a href="/" class="brand">{name}</a>
                <nav aria-label="Sections" class="sections">
                    <a href="/communities">"Communities"</a>
                    <a href="/local">"Local"</a>
                    <a href="/all">"All"</a>
                    <a href="/network">"Network"</a>
                </nav>
                <nav aria-label="Account">{links}</nav>
            }
        })
    };
    view! {
        <header class="site">
            <Suspense>{nav}</Suspense>
        </header>
        <main>{children()}</main>
        <footer class="site">
            <p>"Owned and run by its members · Commonhall"</p>
        </footer>
    }
}
