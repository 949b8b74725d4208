//! Business rules with no HTTP in them: accounts now; communities, posts and governance as they arrive.

pub mod accounts;
pub mod communities;
pub mod content;
pub mod events;
pub mod governance;
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

    pub fn community_id(&self, name: &str) -> String {
        format!("{}/c/{}", self.base_url, name)
    }

    pub fn post_id(&self, id: i64) -> String {
        format!("{}/post/{}", self.base_url, id)
    }

    pub fn comment_id(&self, id: i64) -> String {
        format!("{}/comment/{}", self.base_url, id)
    }

    /// A fresh id for an activity of the given kind.
    pub fn activity_id(&self, kind: &str) -> String {
        format!(
            "{}/activities/{}/{}",
            self.base_url,
            kind.to_lowercase(),
            uuid::Uuid::new_v4()
        )
    }

    /// A temporary unique id for a row whose real id depends on its row number.
    pub fn provisional_id(&self) -> String {
        format!("{}/provisional/{}", self.base_url, uuid::Uuid::new_v4())
    }
}
