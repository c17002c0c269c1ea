//! What a phone number and an e-mail address may look like, wherever they come from (a chat
//! URL, an agent's edit): one rule, so a value accepted in one place is accepted in the other.

/// Longest e-mail address (RFC 5321's path limit).
pub const MAX_EMAIL_CHARS: usize = 254;

/// Characters an address never has: whitespace, control characters, and those that make it
/// a quoted string, a list, a comment or markup.
const NOT_IN_ADDRESS: &str = "\"(),:;<>@[\\]";

fn address_char(c: char) -> bool {
    !c.is_whitespace() && !c.is_control() && !NOT_IN_ADDRESS.contains(c)
}

/// One address `local@domain`. The local part: dot-separated runs of characters that are no
/// whitespace, control character or one of `" ( ) , : ; < > @ [ \ ]` (no leading, trailing or
/// doubled dot); the domain: dot-separated labels of such characters, not beginning or ending
/// with a hyphen. Never two addresses, never a quoted string, never markup. Letters may be any
/// script (internationalised addresses); lenient where mail servers differ (a long local part,
/// a domain without a dot such as an intranet's). `api::patterns::email_or_empty` in the server
/// states the same rule as a regular expression.
pub fn is_email(v: &str) -> bool {
    if v.chars().count() > MAX_EMAIL_CHARS {
        return false;
    }
    let Some((local, domain)) = v.split_once('@') else {
        return false;
    };
    let local_ok = local
        .split('.')
        .all(|atom| !atom.is_empty() && atom.chars().all(address_char));
    let domain_ok = domain.split('.').all(|label| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(address_char)
    });
    local_ok && domain_ok
}

/// Separators a phone number may have between its digits.
const PHONE_SEPARATORS: &str = " ().-";

/// A phone number as people write it: an optional leading `+`, 3 to 20 digits, and between
/// them spaces, hyphens, dots and parentheses, at most three in a row. (The server's
/// `api::patterns::phone_or_empty` states the same rule as a regular expression.)
pub fn is_phone(v: &str) -> bool {
    let body = v.strip_prefix('+').unwrap_or(v);
    let mut digits = 0;
    let mut run = 0;
    for c in body.chars() {
        if c.is_ascii_digit() {
            digits += 1;
            run = 0;
        } else if PHONE_SEPARATORS.contains(c) {
            run += 1;
            if run > 3 {
                return false;
            }
        } else {
            return false;
        }
    }
    (3..=20).contains(&digits)
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
            "a(comment)@example.com",
            "a@[127.0.0.1]",
            "a\\b@example.com",
            "a:b@example.com",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
        assert!(is_email(&format!("{}@example.com", "a".repeat(88))));
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
            "010    1234",
            "010_1234_5678",
            "123456789012345678901",
        ] {
            assert!(!is_phone(bad), "{bad}");
        }
    }
}
