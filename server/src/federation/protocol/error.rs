//! `ParseError`: why an incoming document could not be read, naming the type being read and the serde error.

/// Why an incoming document could not be read. Answer it with a 400.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// The body is not JSON (or nests deeper than serde_json allows).
    #[error("body is not valid JSON: {0}")]
    Json(#[source] serde_json::Error),
    /// The body is JSON but not an object.
    #[error("expected a JSON object, found {0}")]
    NotAnObject(&'static str),
    /// The object has no string `type`.
    #[error("the object has no string `type`")]
    MissingType,
    /// A known type whose fields are wrong: `kind` names it (`Create{Note}`).
    #[error("malformed {kind}: {source}")]
    Malformed {
        /// The type being read, with the object's type in braces.
        kind: String,
        /// What serde found wrong.
        #[source]
        source: serde_json::Error,
    },
}

impl ParseError {
    /// The `Malformed` error for `kind`.
    pub(crate) fn malformed(kind: impl Into<String>, source: serde_json::Error) -> Self {
        Self::Malformed {
            kind: kind.into(),
            source,
        }
    }
}
