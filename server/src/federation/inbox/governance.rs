//! Incoming governance: votes on our communities' proposals (the Mastodon poll answer, with our
//! extensions), and a remote community's proposals, extensions and outcomes for our copy.
//!
//! A vote is applied through the domain as the person who signed it, or refused changing
//! nothing: not theirs, not a member, not eligible, closed, an unknown option, a malformed or
//! taken receipt hash. The ballot is counted under the receipt hash the voter's instance sent
//! (`coop:receipt`), so the voter can check the published count from home.

use activitypub_federation::config::Data;
use activitypub_federation::protocol::verification::verify_domains_match;

use crate::domain::governance::{ballots, proposals, receipts, remote};
use crate::federation::error::FedError;
use crate::federation::objects::actor::ApubActor;
use crate::federation::objects::{ballot, question};
use crate::federation::protocol::activities::{CreateOrUpdate, CreateVote};
use crate::federation::protocol::objects::Question;
use crate::state::AppState;
use crate::store::communities;

/// A vote on one of our proposals, signed by its voter.
pub async fn vote(
    create: CreateVote,
    signer: ApubActor,
    data: &Data<AppState>,
) -> Result<(), FedError> {
    let note = create.object;
    if note
        .attributed_to
        .primary()
        .is_some_and(|voter| voter != &signer.url)
    {
        return Err(FedError::Refused(
            "a vote may only be sent by its voter".into(),
        ));
    }
    verify_domains_match(&note.id, &signer.url)?;
    data.db(move |c| {
        let Some(p) = proposals::by_ap_id(c, note.in_reply_to.as_str())? else {
            return Ok(());
        };
        if !p.local {
            return Ok(());
        }
        let voter = signer.row.id;
        let previous = ballots::my_ballot(c, p.id, voter)?;
        let choice = ballot::choice(&p, &note, previous.as_ref())
            .map_err(|e| FedError::Refused(e.to_string()))?;
        ballots::cast_federated(
            c,
            p.id,
            voter,
            &choice,
            note.id.as_str(),
            note.receipt.as_deref(),
        )?;
        Ok(())
    })
    .await
}

/// A remote community's proposal opened, extended or closed: our copy follows it.
pub async fn question(
    activity: CreateOrUpdate<Question>,
    signer: ApubActor,
    data: &Data<AppState>,
) -> Result<(), FedError> {
    let q = activity.object;
    if q.attributed_to.primary() != Some(&signer.url) {
        return Err(FedError::Refused(
            "a proposal may only be sent by its community".into(),
        ));
    }
    verify_domains_match(&q.id, &signer.url)?;
    let stored = data
        .db(move |c| {
            let Some((community, _)) = communities::by_ap_id(c, signer.url.as_str())? else {
                return Ok::<_, FedError>(None);
            };
            if community.local {
                return Ok(None);
            }
            let proposal = question::remote_proposal(&q, community.id)?;
            let stored = remote::store(c, &proposal)?;
            let lacking = receipts::missing(c, &stored)?.is_some();
            Ok(lacking.then_some(stored.id))
        })
        .await?;
    // A close names the list of counted receipts: fetch it for our voters' checks, apart from
    // this activity (a receipt check fetches it again if this fails).
    if let Some(id) = stored {
        let data = data.reset_request_count();
        tokio::spawn(async move {
            if let Err(e) = crate::federation::receipts::fetch_missing(&data, id).await {
                tracing::info!(proposal = id, error = %e, "could not fetch counted receipts");
            }
        });
    }
    Ok(())
}
