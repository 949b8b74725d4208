//! ActivityPub wire shapes: the serde types of everything Commonhall sends and receives (Lemmy-compatible FEP-1b12 plus our `coop:` governance extension), and the inbox dispatcher.
//!
//! Reading is liberal (one-or-many addressing, ids or embedded objects,
//! missing and `null` fields); writing is strict (no `null`s, Lemmy's
//! single-value spellings). Ids are plain `url::Url`: wrapping them in
//! `activitypub_federation` types is the integrator's job.
//!
//! - `values`: shared values (`OneOrMany`, `Source`, `PublicKey`, …)
//! - `context`: the `@context` we send
//! - `objects`: actors, posts, comments, proposals, votes, collections
//! - `activities`: one file per activity family
//! - `inbox`: `InboxActivity`, what an inbox accepts
//! - `error`: `ParseError`

pub mod activities;
pub mod context;
pub mod error;
pub mod inbox;
pub(crate) mod lenient;
pub mod objects;
pub(crate) mod shape;
pub mod values;

#[cfg(test)]
mod tests;

pub use context::{context, WithContext};
pub use error::ParseError;
pub use inbox::{IgnoreReason, InboxActivity};
pub use objects::ApObject;
