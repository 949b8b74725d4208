//! What a user name may look like.

pub const MIN_LEN: usize = 2;
pub const MAX_LEN: usize = 30;

/// Names that would collide with our own routes or confuse members.
const RESERVED: &[&str] = &[
    "admin",
    "administrator",
    "api",
    "instance",
    "root",
    "system",
    "commonhall",
    "moderator",
    "support",
    "webfinger",
    "nodeinfo",
    "inbox",
    "outbox",
    "settings",
    "login",
    "logout",
    "register",
];

/// ASCII letters, digits and `_`, starting with a letter; compared case-insensitively.
pub fn check_username(name: &str) -> Result<(), String> {
    let len = name.chars().count();
    if !(MIN_LEN..=MAX_LEN).contains(&len) {
        return Err(format!(
            "User name must be {MIN_LEN} to {MAX_LEN} characters long."
        ));
    }
    if !name.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        return Err("User name must start with a letter.".into());
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err("User name may contain only letters, digits and underscores.".into());
    }
    if RESERVED.contains(&name.to_lowercase().as_str()) {
        return Err("That user name is reserved.".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_refuses() {
        for ok in ["ann", "Bob_2", "zz"] {
            assert!(check_username(ok).is_ok(), "{ok}");
        }
        for bad in [
            "a",
            "1abc",
            "ann smith",
            "ann@x",
            "Admin",
            "émile",
            &"x".repeat(31),
        ] {
            assert!(check_username(bad).is_err(), "{bad}");
        }
    }
}
