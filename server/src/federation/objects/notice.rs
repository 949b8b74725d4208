//! The short `Page` that announces a local community's proposal to software that cannot show a
//! `Question` (Lemmy): the proposal while its vote is open, the outcome once it closed. It is
//! sent by the community and served at its own id, `<proposal id>/page`.

use chrono::{DateTime, Utc};
use url::Url;

use crate::domain::governance::proposals::{Proposal, Status};
use crate::domain::governance::GovernanceError;
use crate::federation::protocol::objects::Page;

/// The notice's id: the proposal's id with `/page` appended.
pub fn id(p: &Proposal) -> String {
    format!("{}/page", p.ap_id)
}

fn url(s: &str) -> Result<Url, GovernanceError> {
    Url::parse(s).map_err(|e| GovernanceError::Invalid(format!("invalid URL {s}: {e}")))
}

fn utc(t: chrono::NaiveDateTime) -> DateTime<Utc> {
    DateTime::from_naive_utc_and_offset(t, Utc)
}

/// The notice as it stands: the proposal while it is scheduled or open, its outcome once closed.
/// `community` is the community's actor id.
pub fn page(p: &Proposal, community: &str) -> Result<Page, GovernanceError> {
    let group = url(community)?;
    let link = format!(
        "<p><a href=\"{0}\">{0}</a></p>",
        ammonia::clean_text(&p.ap_id)
    );
    let closed = p.status == Status::Closed;
    let (name, text) = if closed {
        let verdict = match p.passed {
            Some(true) => "passed",
            Some(false) => "did not pass",
            None => "closed",
        };
        let winners = p
            .result
            .as_ref()
            .map(|r| r.outcome.winners.join(", "))
            .filter(|w| !w.is_empty())
            .map(|w| format!(" Chosen: {}.", ammonia::clean_text(&w)))
            .unwrap_or_default();
        (
            format!("Result: {}", p.title),
            format!("<p>The vote {verdict}.{winners}</p>{link}"),
        )
    } else {
        (
            format!("Proposal: {}", p.title),
            format!(
                "<p>A vote is open until {} UTC.</p>{link}",
                p.closes_at.format("%Y-%m-%d %H:%M")
            ),
        )
    };
    let mut page = Page::new(url(&id(p))?, group.clone(), group, name);
    page.content = Some(text);
    page.published = Some(utc(p.opens_at));
    if closed {
        page.updated = Some(utc(p.closed_at.unwrap_or(p.closes_at)));
    }
    Ok(page)
}
