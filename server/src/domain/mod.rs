//! Business rules with no HTTP in them: accounts now; communities, posts and governance as they arrive.

pub mod accounts;
pub mod keys;
pub mod markdown;

/// What the domain needs to know about this instance to mint ids.
#[derive(Debug, Clone)]
pub struct Instance {
    /// e.g. `https://music.example`
    pub base_url: String,
    /// host[:port], e.g. `music.example`
    pub domain: String,
}

impl Instance {
    pub fn person_id(&self, username: &str) -> String {
        format!("{}/u/{}", self.base_url, username)
    }
}
