//! What a phone number and an e-mail address may look like, wherever they come from (a chat
//! URL, an agent's edit): one rule, so a value accepted in one place is accepted in the other.

/// Longest e-mail address (RFC 5321's path limit).
pub const MAX_EMAIL_CHARS: usize = 254;

/// One address `local@domain`: the local part of letters, digits and
/// ``. ! # $ % & ' * + / = ? ^ _ ` { | } ~ -`` (no leading, trailing or doubled dot); the domain
/// of dot-separated labels of letters, digits and inner hyphens. No spaces, quotes, angle
/// brackets, commas or semicolons: never two addresses, never markup. Letters may be any
/// script (internationalised addresses). Lenient where mail servers differ (a long local part,
/// a domain without a dot such as an intranet's), strict on what could be read as markup or as
/// several addresses.
pub fn is_email(v: &str) -> bool {
    if v.chars().count() > MAX_EMAIL_CHARS {
        return false;
    }
    let Some((local, domain)) = v.rsplit_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.iter().all(|l| {
        !l.is_empty()
            && l.chars().count() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    });
    local_ok && domain_ok
}

/// A phone number as people write it: digits with spaces, hyphens, dots and parentheses, an
/// optional leading `+`; 3 to 20 digits.
pub fn is_phone(v: &str) -> bool {
    let body = v.strip_prefix('+').unwrap_or(v);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    (3..=20).contains(&digits)
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for ok in [
            "hong@example.com",
            "first.last+tag@mail.example.co.kr",
            "o'brien@example.ie",
            "홍길동@한국.kr",
            "a@b.c",
            "a@b",
            "x_y-z@sub-domain.example",
        ] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "",
            "hong",
            "hong@",
            "@example.com",
            "\"hong\"@example.com",
            "<script>@example.com",
            "hong@<b>example</b>.com",
            "a b@example.com",
            "a@b.com,c@d.com",
            "a@b.com;c@d.com",
            ".a@example.com",
            "a.@example.com",
            "a..b@example.com",
            "a@-example.com",
            "a@example-.com",
            "a@example..com",
            "a@b@example.com",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
        assert!(is_email(&format!("{}@example.com", "a".repeat(88))));
        assert!(
            !is_email(&format!("a@{}.com", "b".repeat(64))),
            "a label over 63"
        );
        assert!(!is_email(&format!(
            "{}@{}.com",
            "a".repeat(200),
            "b".repeat(60)
        )));
    }

    #[test]
    fn phones() {
        for ok in [
            "010-1234-5678",
            "01012345678",
            "+82 10 1234 5678",
            "(02) 123-4567",
            "02.123.4567",
            "114",
        ] {
            assert!(is_phone(ok), "{ok}");
        }
        for bad in [
            "",
            "abc<script>",
            "010-1234-5678<b>",
            "12",
            "+",
            "++8210",
            "010-1234-5678 ext",
            "010_1234_5678",
            "123456789012345678901",
        ] {
            assert!(!is_phone(bad), "{bad}");
        }
    }
}
