//! Communities: the list (with the admins' create form), a community's page,
//! its members, its settings and its applications queue.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::feeds::feed_or_error;
use super::query;
use crate::backend::{AppError, CommunitySummary, CommunityView, FeedView, Standing};
use crate::components::content::{counted, PersonLink};
use crate::components::form::{page_ctx, textarea_text, ActionError, CsrfField, ErrorBox, Notice};
use crate::server_fns::{
    get_community, get_feed, get_join_applications, get_members, list_communities, CreateCommunity,
    CreatePost, DecideMembership, FollowCommunity, JoinCommunity, LeaveCommunity,
    UnfollowCommunity, UpdateCommunity,
};

/// How a join policy reads to people.
pub fn policy_label(policy: &str) -> &'static str {
    match policy {
        "open" => "Open: anyone may join",
        "approval" => "By application",
        "invite" => "By invitation",
        _ => "Unknown",
    }
}

/// A community's counts in one line: members, followers, how to join and the proposals open
/// for votes (for a community elsewhere, those whose `Question` reached us).
pub fn summary_line(s: &CommunitySummary) -> String {
    format!(
        "{} · {} · {} · {}",
        counted(s.members, "member", "members"),
        counted(s.followers, "follower", "followers"),
        policy_label(&s.join_policy),
        counted(s.open_proposals, "open proposal", "open proposals")
    )
}

/// The `:name` route parameter (a community key).
fn key_param() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.with(|p| p.get("name").unwrap_or_default())
}

/// Title, description, join policy and classes: shared by create and edit.
#[component]
fn CommunityFields(
    title: String,
    description: String,
    policy: String,
    classes: String,
) -> impl IntoView {
    let option = move |value: &'static str, label: &'static str| {
        let selected = policy == value;
        view! { <option value=value selected=selected>{label}</option> }
    };
    view! {
        <label>"Title"<input name="title" required maxlength="100" value=title/></label>
        <label>"Description (Markdown)"<textarea name="description" rows="5" maxlength="10000">{textarea_text(description)}</textarea></label>
        <label>"Who may join"
            <select name="join_policy">
                {option("open", "Anyone (open)")}
                {option("approval", "By application to the moderators (approval)")}
                {option("invite", "Only people a moderator invites (invite)")}
            </select>
        </label>
        <label>"Stakeholder classes"<input name="classes" maxlength="400" value=classes placeholder="worker, user, supporter"/>
            <small>"Comma-separated. Members join in one class; the first is the default."</small>
        </label>
    }
}

#[component]
pub fn CommunitiesPage() -> impl IntoView {
    let create = ServerAction::<CreateCommunity>::new();
    let list = Resource::new_blocking(|| (), |_| list_communities());
    view! {
        <Title text="Communities"/>
        <Suspense>
            {move || Suspend::new(async move {
                let viewer = page_ctx().await.ok().and_then(|c| c.viewer);
                let list = match list.await {
                    Ok(l) => l,
                    Err(e) => return view! { <ErrorBox error=e/> }.into_any(),
                };
                let is_admin = viewer.as_ref().is_some_and(|v| v.is_admin);
                let rows = if list.is_empty() {
                    view! { <p class="muted">"No communities yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="communities">
                            {list.into_iter().map(|c| view! {
                                <li>
                                    <a href=format!("/c/{}", c.key) class="title">{c.title.clone()}</a>
                                    {(!c.local).then(|| view! { " "<span class="badge">"elsewhere"</span> })}
                                    <span class="handle">{c.handle.clone()}</span>
                                    <span class="muted counts">{summary_line(&c)}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                };
                view! {
                    <ActionError value=create.value()/>
                    <section class="card">
                        <h1>"Communities"</h1>
                        {rows}
                        <p class="muted">"Looking for a community of another co-op? "<a href="/network">"Find it in the network"</a></p>
                    </section>
                    {is_admin.then(|| view! {
                        <section class="card">
                            <h2>"Create community"</h2>
                            <ActionForm action=create>
                                <CsrfField/>
                                <label>"Name"<input name="name" required minlength="2" maxlength="30" pattern="[a-z][a-z0-9_]*"/>
                                    <small>"Lower-case letters, digits and _; it becomes the address /c/name and can't change."</small>
                                </label>
                                <CommunityFields title=String::new() description=String::new()
                                    policy="open".to_string() classes=String::new()/>
                                <button type="submit">"Create community"</button>
                            </ActionForm>
                        </section>
                    })}
                }.into_any()
            })}
        </Suspense>
    }
}

/// The viewer's membership and follow, with the buttons that change them.
#[component]
pub fn StandingBox(community: CommunityView, standing: Standing) -> impl IntoView {
    let join = ServerAction::<JoinCommunity>::new();
    let leave = ServerAction::<LeaveCommunity>::new();
    let follow = ServerAction::<FollowCommunity>::new();
    let unfollow = ServerAction::<UnfollowCommunity>::new();
    let key = community.summary.key.clone();
    let policy = community.summary.join_policy.clone();
    let status = standing.membership.as_ref().map(|m| m.status.clone());
    let can_join = !matches!(
        status.as_deref(),
        Some("active") | Some("pending") | Some("removed")
    );
    let leave_key = key.clone();
    let membership = standing.membership.clone().map(move |m| {
        let text = match m.status.as_str() {
            "active" if m.role == "member" => format!("You are a member, as {}.", m.class),
            "active" => format!(
                "You are a member, as {}, and {} of this community.",
                m.class, m.role
            ),
            "pending" => format!(
                "Your application (as {}) is waiting for a moderator.",
                m.class
            ),
            "refused" => match m.reason.as_deref() {
                Some(r) => format!("Your application was refused: {r}"),
                None => "Your application was refused.".to_string(),
            },
            "removed" => "You were removed from this community.".to_string(),
            "left" => "You left this community.".to_string(),
            other => format!("Membership: {other}."),
        };
        let leaving = (m.status == "active" || m.status == "pending").then(|| {
            let label = if m.status == "active" {
                "Leave"
            } else {
                "Withdraw application"
            };
            view! {
                <ActionForm action=leave attr:class="inline">
                    <CsrfField/>
                    <input type="hidden" name="key" value=leave_key.clone()/>
                    <button type="submit" class="secondary small">{label}</button>
                </ActionForm>
            }
        });
        view! { <div class="membership line" data-status=m.status.clone()><span>{text}</span>{leaving}</div> }
    });
    let join_key = key.clone();
    let join_form = can_join.then(move || {
        if policy == "invite" {
            return view! { <p class="muted">"Joining is by invitation: ask a moderator."</p> }.into_any();
        }
        let approval = policy == "approval";
        view! {
            <ActionForm action=join attr:class="join">
                <CsrfField/>
                <input type="hidden" name="key" value=join_key.clone()/>
                <label>"Join as"
                    <select name="class">
                        {community.classes.iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
                    </select>
                </label>
                {approval.then(|| view! {
                    <label>"Why do you want to join?"<textarea name="application" rows="3" maxlength="2000" required></textarea>
                        <small>"The moderators read this before deciding."</small>
                    </label>
                })}
                <button type="submit">{if approval { "Apply to join" } else { "Join" }}</button>
            </ActionForm>
        }
        .into_any()
    });
    let follow_box = match standing.following.as_deref() {
        Some(state) => {
            let text = if state == "accepted" {
                "You follow this community."
            } else {
                "Follow requested; waiting for its instance."
            };
            view! {
                <div class="following line"><span>{text}</span>
                    <ActionForm action=unfollow attr:class="inline">
                        <CsrfField/>
                        <input type="hidden" name="key" value=key.clone()/>
                        <button type="submit" class="secondary small">"Unfollow"</button>
                    </ActionForm>
                </div>
            }
            .into_any()
        }
        None => view! {
            <div class="following line">
                <ActionForm action=follow attr:class="inline">
                    <CsrfField/>
                    <input type="hidden" name="key" value=key.clone()/>
                    <button type="submit" class="secondary small">"Follow"</button>
                </ActionForm>
                <small class="inline-note">"See its posts in your feed without joining."</small>
            </div>
        }
        .into_any(),
    };
    view! {
        <div class="standing">
            <ActionError value=join.value()/>
            <ActionError value=leave.value()/>
            <ActionError value=follow.value()/>
            <ActionError value=unfollow.value()/>
            {membership}
            {join_form}
            {follow_box}
        </div>
    }
}

#[component]
pub fn CommunityPage() -> impl IntoView {
    let key = key_param();
    let sort = query("sort");
    let after = query("after");
    let paged = after.is_some();
    let deleted = query("deleted").is_some();
    let post = ServerAction::<CreatePost>::new();
    let community = Resource::new_blocking(key, get_community);
    let feed = Resource::new_blocking(
        move || (key(), sort.clone(), after.clone()),
        |(k, sort, after)| get_feed("community".into(), Some(k), sort, after),
    );
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let c = match community.await {
                    Ok(c) => c,
                    Err(e) => return view! { <ErrorBox error=e/> }.into_any(),
                };
                let feed: Result<FeedView, AppError> = feed.await;
                let s = c.summary.clone();
                let base = format!("/c/{}", s.key);
                let standing = c.standing.clone();
                let is_mod = standing.as_ref().is_some_and(|s| s.is_moderator);
                let is_member = standing
                    .as_ref()
                    .and_then(|s| s.membership.as_ref())
                    .is_some_and(|m| m.status == "active");
                let counts = summary_line(&s);
                let classes = format!("Stakeholder classes: {}", c.classes.join(", "));
                let standing_view = match standing {
                    Some(st) => view! { <StandingBox community=c.clone() standing=st/> }.into_any(),
                    None => view! {
                        <p><a href=format!("/login?next=/c/{}", s.key) class="button">"Sign in to join or follow"</a></p>
                    }.into_any(),
                };
                let mod_links = is_mod.then(|| {
                    let apps = if c.pending_applications > 0 {
                        format!("Applications ({})", c.pending_applications)
                    } else {
                        "Applications".to_string()
                    };
                    view! {
                        <p class="mod-links">
                            <a href=format!("{base}/settings")>"Edit settings"</a>" · "
                            <a href=format!("{base}/applications")>{apps}</a>
                        </p>
                    }
                });
                let new_post = is_member.then(|| view! {
                    <section class="card">
                        <details class="new-post" open=post.value().get_untracked().is_some_and(|r| r.is_err())>
                            <summary><h2 class="inline">"New post"</h2></summary>
                            <ActionForm action=post>
                                <CsrfField/>
                                <input type="hidden" name="key" value=s.key.clone()/>
                                <label>"Title"<input name="title" required maxlength="200"/></label>
                                <label>"Link (optional)"<input name="link" type="url" maxlength="2000" placeholder="https://"/></label>
                                <label>"Text (Markdown)"<textarea name="body" rows="6" maxlength="50000"></textarea></label>
                                <button type="submit">"Post"</button>
                            </ActionForm>
                        </details>
                    </section>
                });
                let feed_view = feed_or_error(feed, &base, paged, false);
                view! {
                    <Title text=s.title.clone()/>
                    <ActionError value=post.value()/>
                    {deleted.then(|| view! { <Notice text="The post was deleted.".to_string()/> })}
                    <section class="card community">
                        <h1>{s.title.clone()}</h1>
                        <p class="handle">{s.handle.clone()}
                            {(!s.local).then(|| view! { " "<span class="badge">"on another instance"</span> })}
                        </p>
                        <div class="bio" inner_html=c.description_html.clone()></div>
                        <p class="muted counts">{counts}" · "<a href=format!("{base}/members")>"Members"</a></p>
                        <p class="muted">{classes}</p>
                        <p class="gov-links"><a href=format!("{base}/rules")>"Rules"</a>" · "<a href=format!("{base}/proposals")>"Proposals"</a></p>
                        {mod_links}
                        {standing_view}
                    </section>
                    {new_post}
                    <section class="card">
                        <h2>"Posts"</h2>
                        {feed_view}
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
pub fn MembersPage() -> impl IntoView {
    let key = key_param();
    let community = Resource::new_blocking(key, get_community);
    let members = Resource::new_blocking(key, get_members);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let c = match community.await {
                    Ok(c) => c,
                    Err(e) => return view! { <ErrorBox error=e/> }.into_any(),
                };
                let list = match members.await {
                    Ok(l) => l,
                    Err(e) => return view! { <ErrorBox error=e/> }.into_any(),
                };
                let title = format!("Members of {}", c.summary.title);
                view! {
                    <Title text=title.clone()/>
                    <section class="card">
                        <h1>{title}</h1>
                        <p><a href=format!("/c/{}", c.summary.key)>"← Back to the community"</a></p>
                        <table class="members">
                            <thead><tr><th>"Member"</th><th>"Class"</th><th>"Role"</th><th>"Since"</th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|m| view! {
                                    <tr>
                                        <td><PersonLink person=m.person.clone()/></td>
                                        <td>{m.class.clone()}</td>
                                        <td>{m.role.clone()}</td>
                                        <td>{m.since.clone()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
pub fn CommunitySettingsPage() -> impl IntoView {
    let key = key_param();
    let update = ServerAction::<UpdateCommunity>::new();
    let saved = query("saved").is_some();
    let community = Resource::new_blocking(key, get_community);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let c = match community.await {
                    Ok(c) => c,
                    Err(e) => return view! { <ErrorBox error=e/> }.into_any(),
                };
                match &c.standing {
                    None => return view! { <ErrorBox error=AppError::Unauthenticated/> }.into_any(),
                    Some(s) if !s.is_moderator => return view! { <ErrorBox error=AppError::Forbidden/> }.into_any(),
                    _ => {}
                }
                let s = c.summary.clone();
                view! {
                    <Title text=format!("Settings of {}", s.title)/>
                    <section class="card">
                        <h1>{format!("Settings of {}", s.title)}</h1>
                        <p><a href=format!("/c/{}", s.key)>"← Back to the community"</a></p>
                        {saved.then(|| view! { <Notice text="The settings are saved.".to_string()/> })}
                        <ActionError value=update.value()/>
                        <ActionForm action=update>
                            <CsrfField/>
                            <input type="hidden" name="key" value=s.key.clone()/>
                            <CommunityFields title=s.title.clone() description=c.description_markdown.clone()
                                policy=s.join_policy.clone() classes=c.classes.join(", ")/>
                            <button type="submit">"Save settings"</button>
                        </ActionForm>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
pub fn JoinApplicationsPage() -> impl IntoView {
    let key = key_param();
    let decide = ServerAction::<DecideMembership>::new();
    let community = Resource::new_blocking(key, get_community);
    let pending = Resource::new_blocking(key, get_join_applications);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let c = match community.await {
                    Ok(c) => c,
                    Err(e) => return view! { <ErrorBox error=e/> }.into_any(),
                };
                let list = match pending.await {
                    Ok(l) => l,
                    Err(e) => return view! { <ErrorBox error=e/> }.into_any(),
                };
                let title = format!("Applications to {}", c.summary.title);
                let body = if list.is_empty() {
                    view! { <p class="muted">"No applications are waiting."</p> }.into_any()
                } else {
                    view! {
                        <ul class="applications">
                            {list.into_iter().map(|a| view! {
                                <li class="application">
                                    <h3><PersonLink person=a.person.clone()/></h3>
                                    <p class="muted">{format!("Applied {} as {}", a.applied, a.class)}</p>
                                    <blockquote>{a.application.clone()}</blockquote>
                                    <ActionForm action=decide>
                                        <CsrfField/>
                                        <input type="hidden" name="membership_id" value=a.membership_id.to_string()/>
                                        <label>"Reason (shown to the applicant)"<input name="reason" maxlength="2000"/></label>
                                        <button type="submit" name="decision" value="approve">"Approve"</button>
                                        " "
                                        <button type="submit" name="decision" value="refuse" class="secondary">"Refuse"</button>
                                    </ActionForm>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                };
                view! {
                    <Title text=title.clone()/>
                    <section class="card">
                        <h1>{title}</h1>
                        <p><a href=format!("/c/{}", c.summary.key)>"← Back to the community"</a></p>
                        <ActionError value=decide.value()/>
                        {body}
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}
