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
    validate_name(
        "display_name",
        "a display name",
        name,
        MAX_DISPLAY_NAME_CHARS,
    )
}

/// Longest group name.
pub const MAX_GROUP_NAME_CHARS: usize = 30;

/// A group's name: trimmed, 1 to 30 characters, no control characters.
pub fn validate_group_name(name: &str) -> Result<&str, CoreError> {
    validate_name("name", "a group's name", name, MAX_GROUP_NAME_CHARS)
}

fn validate_name<'a>(
    field: &'static str,
    what: &str,
    name: &'a str,
    max: usize,
) -> Result<&'a str, CoreError> {
    let name = name.trim();
    let n = name.chars().count();
    if n == 0 || n > max {
        return Err(CoreError::field(
            field,
            format!("{what} has 1 to {max} characters"),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(CoreError::field(
            field,
            format!("{what} has no control characters"),
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

/// What the site's admin does to an account after it was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountChange {
    /// A new display name.
    Rename,
    /// A new role.
    ChangeRole(Role),
    /// Deactivate: no more logins, sessions or tokens; open consultations back to the queue.
    Deactivate,
    /// Let a deactivated account log in again.
    Reactivate,
    /// Set a new password without knowing the old one (its sessions end).
    ResetPassword,
}

/// Whether the site's admin may make `change` to an account whose role is `target` (their
/// own account is the one admin's). Agents and managers may be renamed, change between the
/// two roles, be deactivated, reactivated and given a new password. The site has exactly one
/// admin, made with the site: nobody becomes admin, the admin stays admin and stays active,
/// and changes their own password knowing the current one, not by a reset.
pub fn check_account_change(target: Role, change: AccountChange) -> Result<(), CoreError> {
    match (target, change) {
        (_, AccountChange::ChangeRole(Role::Admin)) => Err(CoreError::field(
            "role",
            "a site has one admin, made with the site; an account is an agent or a manager",
        )),
        (Role::Admin, AccountChange::ChangeRole(_)) => Err(CoreError::AccountChangeRefused(
            "the site's admin stays its admin",
        )),
        (Role::Admin, AccountChange::Deactivate) => Err(CoreError::AccountChangeRefused(
            "the site's admin cannot be deactivated",
        )),
        (Role::Admin, AccountChange::ResetPassword) => Err(CoreError::AccountChangeRefused(
            "the admin changes their own password with the current one (on the sessions page)",
        )),
        (Role::Admin, AccountChange::Rename | AccountChange::Reactivate)
        | (
            Role::Manager | Role::Agent,
            AccountChange::Rename
            | AccountChange::ChangeRole(Role::Manager | Role::Agent)
            | AccountChange::Deactivate
            | AccountChange::Reactivate
            | AccountChange::ResetPassword,
        ) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_admin_may_change_of_each_role() {
        use AccountChange as C;
        let changes = [
            C::Rename,
            C::ChangeRole(Role::Admin),
            C::ChangeRole(Role::Manager),
            C::ChangeRole(Role::Agent),
            C::Deactivate,
            C::Reactivate,
            C::ResetPassword,
        ];
        for target in Role::ALL {
            for change in changes {
                let got = check_account_change(target, change);
                let expected_ok = match (target, change) {
                    (_, C::ChangeRole(Role::Admin)) => false,
                    (Role::Admin, C::Rename | C::Reactivate) => true,
                    (Role::Admin, _) => false,
                    _ => true,
                };
                assert_eq!(got.is_ok(), expected_ok, "{target:?} {change:?}: {got:?}");
            }
        }
        // Making someone admin is a refused value of the role field; the rest are refusals.
        assert_eq!(
            check_account_change(Role::Agent, C::ChangeRole(Role::Admin))
                .err()
                .and_then(|e| e.field_name().map(str::to_owned)),
            Some("role".to_owned())
        );
        assert_eq!(
            check_account_change(Role::Admin, C::Deactivate).map_err(|e| e.code()),
            Err("account_change_refused")
        );
    }

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
