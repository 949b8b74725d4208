//! Published receipts: the hashes of the ballots a closed proposal's count took in (one row
//! each, served in pages at `<proposal>/receipts`), our copy of the list a remote community
//! published, and checking a voter's receipt against the count — the live count of an open
//! roll-call vote, the published list once closed.

use super::ballots::{is_receipt_hash, receipt_hash};
use super::proposals::{self, Proposal, Status};
use super::GovernanceError;
use crate::store::counted_receipts;
use crate::store::{ballots as store_ballots, memberships, DbConn};

/// Receipt hashes to a page of the published list (67 bytes each in JSON: ~67 KB a page).
pub const PAGE_SIZE: i64 = 1000;

/// What a receipt check found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReceiptCheck {
    /// The ballot with this receipt is in the count.
    pub counted: bool,
    /// The count is the final one (the vote closed), not a live count.
    pub is_final: bool,
}

/// A receipt check, or what it still needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Checked {
    Done(ReceiptCheck),
    /// Our copy of a remote community's closed proposal lacks the counted receipts its
    /// instance publishes: fetch them ([`take_remote`]) and check again.
    Missing(MissingList),
}

/// The counted receipts our copy of a remote proposal lacks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingList {
    /// Where the community publishes them (on its own instance).
    pub url: String,
    /// How many ballots it counted: the most hashes to take.
    pub ballots: u64,
}

const NO_COUNT_YET: &str =
    "No count is published yet: a secret ballot's count is published when the vote closes.";

/// Records the receipt hashes a local proposal's closing count took in (in the close's
/// transaction).
pub fn publish(
    conn: &mut DbConn,
    proposal_id: i64,
    hashes: &[String],
) -> Result<(), GovernanceError> {
    counted_receipts::replace(conn, proposal_id, hashes)?;
    Ok(())
}

/// Whether the ballot whose receipt this is was counted: in the published count once the vote
/// closed, in the live count of an open roll-call vote.
pub fn check(
    conn: &mut DbConn,
    proposal_id: i64,
    receipt: &str,
) -> Result<Checked, GovernanceError> {
    let p = proposals::get(conn, proposal_id)?;
    let hash = receipt_hash(receipt);
    match p.status {
        Status::Closed => {
            if p.result.is_none() {
                return Err(GovernanceError::Conflict(
                    "This vote closed without a count, so no receipts were published.".into(),
                ));
            }
            if let Some(list) = missing(conn, &p)? {
                return Ok(Checked::Missing(list));
            }
            Ok(Checked::Done(ReceiptCheck {
                counted: counted_receipts::contains(conn, p.id, &hash)?,
                is_final: true,
            }))
        }
        Status::Open if p.live_results() => Ok(Checked::Done(ReceiptCheck {
            counted: live_counted(conn, &p, &hash)?,
            is_final: false,
        })),
        _ => Err(GovernanceError::Conflict(NO_COUNT_YET.into())),
    }
}

/// Whether the live count of an open vote takes in the ballot with this receipt hash (the
/// latest ballot of a voter who has not withdrawn it by leaving).
fn live_counted(conn: &mut DbConn, p: &Proposal, hash: &str) -> Result<bool, GovernanceError> {
    let Some(ballot) = store_ballots::by_receipt(conn, p.id, hash)? else {
        return Ok(false);
    };
    if !p.withdraw_on_leave {
        return Ok(true);
    }
    let Some(voter) = ballot.voter_id else {
        return Ok(false);
    };
    Ok(memberships::find(conn, p.community_id, voter)?.is_some_and(|m| m.is_active()))
}

/// What our copy of a remote community's closed proposal lacks of its counted receipts, to be
/// fetched from the address its count named when that is on the community's own instance.
pub fn missing(conn: &mut DbConn, p: &Proposal) -> Result<Option<MissingList>, GovernanceError> {
    if p.local || p.status != Status::Closed {
        return Ok(None);
    }
    let Some(result) = &p.result else {
        return Ok(None);
    };
    let Some(url) = result.receipts.as_deref() else {
        return Ok(None);
    };
    let host = |u: &str| {
        url::Url::parse(u)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
    };
    if host(url).is_none() || host(url) != host(&p.ap_id) {
        return Ok(None);
    }
    let have = u64::try_from(counted_receipts::count(conn, p.id)?).unwrap_or(0);
    let ballots = result.outcome.turnout.ballots;
    Ok((have < ballots).then(|| MissingList {
        url: url.to_owned(),
        ballots,
    }))
}

/// Stores the counted receipts a remote community published for our copy of its closed
/// proposal: well-formed hashes only, at most as many as it counted ballots. Returns how many.
pub fn take_remote(
    conn: &mut DbConn,
    proposal_id: i64,
    hashes: Vec<String>,
) -> Result<usize, GovernanceError> {
    let p = proposals::get(conn, proposal_id)?;
    let Some(result) = p.result.as_ref().filter(|_| !p.local) else {
        return Err(GovernanceError::Invalid(
            "Only a remote community's closed count takes receipts from its instance.".into(),
        ));
    };
    let most = usize::try_from(result.outcome.turnout.ballots).unwrap_or(usize::MAX);
    let mut kept: Vec<String> = hashes.into_iter().filter(|h| is_receipt_hash(h)).collect();
    kept.sort_unstable();
    kept.dedup();
    kept.truncate(most);
    crate::store::write_transaction(conn, |conn| {
        Ok::<_, GovernanceError>(counted_receipts::replace(conn, proposal_id, &kept)?)
    })
}

/// Page `page` (from 0) of a local closed proposal's counted receipt hashes, with their total;
/// `None` while nothing is published (open, or closed without a count).
pub fn page(
    conn: &mut DbConn,
    p: &Proposal,
    page: i64,
) -> Result<Option<(Vec<String>, i64)>, GovernanceError> {
    if !p.local || p.status != Status::Closed || p.result.is_none() {
        return Ok(None);
    }
    let total = counted_receipts::count(conn, p.id)?;
    let items = counted_receipts::page(conn, p.id, page.max(0), PAGE_SIZE)?;
    Ok(Some((items, total)))
}
