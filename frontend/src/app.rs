//! The HTML shell, the router and the page-wide context every page reads.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::components::layout::Layout;
use crate::pages::{
    admin, admin_federation, auth, communities, feeds, governance, home, network, not_found, posts,
    profile, settings,
};
use crate::server_fns::{load_page, PageData};

/// The document around the app. The stylesheet is served by the server;
/// nothing loads from elsewhere.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let _ = options;
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="stylesheet" href="/static/commonhall.css"/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Page-wide data, loaded once per page.
pub type PageResource = Resource<Result<PageData, crate::AppError>>;

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let ctx: PageResource = Resource::new_blocking(|| (), |_| load_page());
    provide_context(ctx);
    view! {
        <Title formatter=|t: String| if t.is_empty() { "Commonhall".to_string() } else { format!("{t} · Commonhall") }/>
        <Router>
            <Layout>
                <Routes fallback=not_found::NotFound>
                    <Route path=path!("/") view=home::HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=auth::LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/register") view=auth::RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("/register/sent") view=auth::RegisterSentPage ssr=SsrMode::Async/>
                    <Route path=path!("/u/:name") view=profile::ProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/settings") view=settings::SettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view=admin::AdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/local") view=feeds::LocalFeedPage ssr=SsrMode::Async/>
                    <Route path=path!("/all") view=feeds::AllFeedPage ssr=SsrMode::Async/>
                    <Route path=path!("/communities") view=communities::CommunitiesPage ssr=SsrMode::Async/>
                    <Route path=path!("/c/:name") view=communities::CommunityPage ssr=SsrMode::Async/>
                    <Route path=path!("/c/:name/members") view=communities::MembersPage ssr=SsrMode::Async/>
                    <Route path=path!("/c/:name/settings") view=communities::CommunitySettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/c/:name/applications") view=communities::JoinApplicationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/c/:name/rules") view=governance::rules::RulesPage ssr=SsrMode::Async/>
                    <Route path=path!("/c/:name/rules/history") view=governance::rules::RulesHistoryPage ssr=SsrMode::Async/>
                    <Route path=path!("/c/:name/proposals") view=governance::proposals::ProposalsPage ssr=SsrMode::Async/>
                    <Route path=path!("/c/:name/proposals/new") view=governance::new_proposal::NewProposalPage ssr=SsrMode::Async/>
                    <Route path=path!("/c/:name/proposals/:id") view=governance::proposal::ProposalPage ssr=SsrMode::Async/>
                    <Route path=path!("/c/:name/governance") view=governance::settings::GovernanceSettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/post/:id") view=posts::PostPage ssr=SsrMode::Async/>
                    <Route path=path!("/post/:id/edit") view=posts::EditPostPage ssr=SsrMode::Async/>
                    // Federation.
                    <Route path=path!("/network") view=network::NetworkPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/federation") view=admin_federation::AdminFederationPage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}
