//! ActivityPub federation: actors and objects, discovery, the inbox, and the persistent outgoing queue.

pub mod cache;
pub mod config;
pub mod delivery;
pub mod error;
pub mod http_client;
pub mod inbox;
pub mod instance_actor;
pub mod network;
pub mod objects;
pub mod outgoing;
pub mod policy;
pub mod protocol;
pub mod publisher;
pub mod raw;
pub mod receipts;
pub mod resolve;
pub mod routes;
