//! Turns domain events into activities queued for the instances that must hear of them.

use std::sync::Arc;

use super::outgoing::{self, Origin};
use super::policy::{permits, AllowlistSwitch};
use crate::domain::events::{Event, PublishError, Publisher};
use crate::domain::Instance;
use crate::store::{instances, DbConn};

/// The federation side of the domain's [`Publisher`] seam.
pub struct FederationPublisher {
    pub instance: Instance,
    /// Read at each event, so an admin's change applies to the next activity.
    pub allowlist: Arc<AllowlistSwitch>,
}

impl Publisher for FederationPublisher {
    fn publish(&self, conn: &mut DbConn, event: Event) -> Result<(), PublishError> {
        let origin = Origin {
            instance: self.instance.clone(),
            allowlist_only: self.allowlist.get(),
        };
        outgoing::queue_for_event(conn, &origin, event)
    }

    fn reaches(&self, conn: &mut DbConn, host: &str) -> Result<bool, PublishError> {
        let policy = instances::by_host(conn, host)?.map(|i| i.policy);
        Ok(permits(policy.as_deref(), self.allowlist.get()))
    }
}
