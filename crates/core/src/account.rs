//! Staff accounts: their roles and what each sees, and what a login, a display name and a
//! chosen password may be.

use serde::{Deserialize, Serialize};

use crate::error::CoreError;

/// What a staff member is on their site. Stored and sent by its snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    /// The site's admin: its settings, accounts and everything a manager does.
    Admin,
    Manager,
    Agent,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Manager, Role::Agent];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Agent => "agent",
        }
    }

    /// A role by its [`as_str`](Self::as_str) name; exact (roles are stored, not typed).
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "manager" => Some(Role::Manager),
            "agent" => Some(Role::Agent),
            _ => None,
        }
    }

    /// Admins and managers see every consultation, room and profile of the site; agents the
    /// queue, their own consultations and the customers of those (see [`crate::access`]).
    pub fn sees_all(self) -> bool {
        matches!(self, Role::Admin | Role::Manager)
    }
}

/// Longest login.
pub const MAX_LOGIN_CHARS: usize = 64;
/// Longest display name (what customers and colleagues see).
pub const MAX_DISPLAY_NAME_CHARS: usize = 50;
/// Shortest password a person may choose (generated ones are longer).
pub const MIN_PASSWORD_CHARS: usize = 10;

/// A login: 3 to 64 of ASCII letters, digits and `. _ - @`, starting with a letter or digit.
/// Logins are typed on the login page and appear in logs, so nothing that needs escaping.
pub fn validate_login(login: &str) -> Result<&str, CoreError> {
    let n = login.chars().count();
    if !(3..=MAX_LOGIN_CHARS).contains(&n) {
        return Err(CoreError::field(
            "login",
            format!("a login has 3 to {MAX_LOGIN_CHARS} characters"),
        ));
    }
    if !login.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(CoreError::field(
            "login",
            "a login starts with a letter or a digit",
        ));
    }
    if let Some(bad) = login
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@')))
    {
        return Err(CoreError::field(
            "login",
            format!("{bad:?} is not allowed in a login (letters, digits, . _ - @)"),
        ));
    }
    Ok(login)
}

/// A display name: trimmed, 1 to 50 characters, no control characters.
pub fn validate_display_name(name: &str) -> Result<&str, CoreError> {
    let name = name.trim();
    let n = name.chars().count();
    if n == 0 || n > MAX_DISPLAY_NAME_CHARS {
        return Err(CoreError::field(
            "display_name",
            format!("a display name has 1 to {MAX_DISPLAY_NAME_CHARS} characters"),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(CoreError::field(
            "display_name",
            "a display name has no control characters",
        ));
    }
    Ok(name)
}

/// A password a person chose: at least 10 characters, not only spaces.
pub fn validate_password(password: &str) -> Result<&str, CoreError> {
    if password.chars().count() < MIN_PASSWORD_CHARS || password.trim().is_empty() {
        return Err(CoreError::field(
            "password",
            format!("a password has at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    Ok(password)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_by_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            assert_eq!(
                serde_json::to_value(role).ok(),
                Some(serde_json::Value::from(role.as_str()))
            );
        }
        for bad in [
            "", "Admin", "ADMIN", " agent", "agent ", "owner", "managers",
        ] {
            assert_eq!(Role::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn admins_and_managers_see_every_room_agents_do_not() {
        let seen: Vec<_> = Role::ALL.iter().map(|r| (*r, r.sees_all())).collect();
        assert_eq!(
            seen,
            [
                (Role::Admin, true),
                (Role::Manager, true),
                (Role::Agent, false)
            ]
        );
    }

    #[test]
    fn logins() {
        for ok in ["abc", "agent.kim", "kim_01", "a-b", "kim@shop.kr", "007"] {
            assert_eq!(validate_login(ok), Ok(ok));
        }
        let long = "a".repeat(MAX_LOGIN_CHARS);
        assert!(validate_login(&long).is_ok());
        for bad in [
            "",
            "ab",
            &"a".repeat(MAX_LOGIN_CHARS + 1),
            ".kim",
            "_kim",
            "kim lee",
            "김상담",
            "kim/lee",
            "kim\nlee",
            "kim<b>",
        ] {
            let e = validate_login(bad).expect_err(bad);
            assert_eq!(e.code(), "invalid_field", "{bad}");
        }
    }

    #[test]
    fn display_names() {
        assert_eq!(validate_display_name("  김상담 "), Ok("김상담"));
        assert!(validate_display_name(&"가".repeat(MAX_DISPLAY_NAME_CHARS)).is_ok());
        for bad in [
            "",
            "   ",
            "a\u{7}b",
            &"가".repeat(MAX_DISPLAY_NAME_CHARS + 1),
        ] {
            assert!(validate_display_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn passwords() {
        assert!(validate_password("correct horse").is_ok());
        assert!(validate_password("비밀번호는열글자이상").is_ok());
        for bad in ["", "short", "123456789", "          "] {
            assert!(validate_password(bad).is_err(), "{bad:?}");
        }
    }
}
