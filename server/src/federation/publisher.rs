//! Turns domain events into activities queued for the instances that must hear of them.

use super::outgoing::{self, Origin};
use crate::domain::events::{Event, PublishError, Publisher};
use crate::store::DbConn;

/// The federation side of the domain's [`Publisher`] seam.
pub struct FederationPublisher {
    pub origin: Origin,
}

impl Publisher for FederationPublisher {
    fn publish(&self, conn: &mut DbConn, event: Event) -> Result<(), PublishError> {
        outgoing::queue_for_event(conn, &self.origin, event)
    }
}
