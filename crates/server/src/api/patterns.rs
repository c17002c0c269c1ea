//! Regular expressions (ECMA 262, as OpenAPI uses them) that say in the document what the
//! server's own checks accept, so a client, and a tool generating requests from the document,
//! can tell a value the server will take from one it will refuse.
//!
//! They follow Rust's definitions: "trimmed" is `str::trim` (Unicode White_Space) and a control
//! character is `char::is_control` (U+0000–U+001F, U+007F–U+009F).

/// Unicode White_Space, as `str::trim` removes it.
const WS: &str = r"\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";
/// Control characters.
const CTRL: &str = r"\x00-\x1f\x7f-\x9f";

/// Whitespace.
pub fn ws() -> String {
    format!("[{WS}]")
}

/// A character that is neither whitespace nor a control character.
pub fn core() -> String {
    format!("[^{WS}{CTRL}]")
}

/// Text without control characters that, trimmed, has at most `max` characters (at least
/// one when `required`); `max` ≥ 2.
pub fn trimmed_text(max: usize, required: bool) -> String {
    let core = core();
    let inner = format!("{core}(?:[^{CTRL}]{{0,{}}}{core})?", max - 2);
    let inner = if required {
        inner
    } else {
        format!("(?:{inner})?")
    };
    format!("^{ws}*{inner}{ws}*$", ws = ws())
}

/// Any text that, trimmed, is not empty and has at most `max` characters.
pub fn trimmed_not_blank(max: usize) -> String {
    let ws = ws();
    format!(r"^{ws}*(?=[\s\S]{{1,{max}}}{ws}*$)[^{WS}][\s\S]*$")
}

/// Text with at least one character that is not whitespace.
pub fn not_blank() -> String {
    format!("[^{WS}]")
}

/// Empty, or, trimmed, an `http://` or `https://` URL of at most `max` characters with a host
/// (without `@`) and no whitespace or control characters (`is_http_url` of the site settings).
pub fn http_url_or_empty(max: usize) -> String {
    let ws = ws();
    let core = core();
    format!(
        "^{ws}*(?:(?={core}{{1,{max}}}{ws}*$)[Hh][Tt][Tt][Pp][Ss]?://[^/?#|@{WS}{CTRL}]+{core}*)?{ws}*$"
    )
}

/// Blank, or, trimmed, an origin as a site registers one (`sangdam_core::origin`): `http://` or
/// `https://` (any case), dot-separated labels of ASCII letters, digits and hyphens, an
/// optional port 1–65535 without leading zeros, an optional `/`; at most `max` characters.
pub fn origin_or_blank(max: usize) -> String {
    let ws = ws();
    let port =
        "(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])";
    format!(
        "^{ws}*(?:(?=[^{WS}]{{1,{max}}}{ws}*$)[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*(?::{port})?/?)?{ws}*$"
    )
}

/// Empty, or, trimmed, a consultation-info URL template of at most `max` characters: an
/// `http(s)://` URL without control characters whose `[variables]` are all among `vars`
/// (`inflow::Template`). A `[` not followed by `identifier]` is plain text.
pub fn template_or_empty(max: usize, vars: &[&str]) -> String {
    let ws = ws();
    let core = core();
    let known = vars.join("|");
    format!(
        r"^{ws}*(?:(?=[\s\S]{{1,{max}}}{ws}*$)[Hh][Tt][Tt][Pp][Ss]?://(?:[^\[{CTRL}]|\[(?:{known})\]|\[(?![A-Za-z_][A-Za-z0-9_]*\]))*{core})?{ws}*$"
    )
}

/// Empty, or, trimmed, a title-message template of at most `max` characters: text without
/// control characters but line breaks (`\n`, `\r\n`) whose `[variables]` are all among `vars`
/// (`inflow::TitleTemplate`). A `[` not followed by `identifier]` is plain text.
pub fn title_template_or_empty(max: usize, vars: &[&str]) -> String {
    let ws = ws();
    let known = vars.join("|");
    let bracket = format!(r"\[(?:{known})\]|\[(?![A-Za-z_][A-Za-z0-9_]*\])");
    let item = format!(r"[^\[{CTRL}]|\r\n|\n|{bracket}");
    let last = format!(r"[^\[{WS}{CTRL}]|{bracket}");
    format!(r"^{ws}*(?:(?=[\s\S]{{1,{max}}}{ws}*$)(?:{item})*(?:{last}))?{ws}*$")
}

/// One e-mail address as `inflow::is_email` takes it, at most `max` characters, trimmed; or
/// empty (which clears it): dot-separated runs of characters that are no whitespace, control
/// character or one of `" ( ) , : ; < > @ [ \ ]`, an `@`, and dot-separated labels of such
/// characters that do not begin or end with `-`.
pub fn email_or_empty(max: usize) -> String {
    let ws = ws();
    let forbidden = format!(r#"{WS}{CTRL}"(),:;<>@\[\\\]"#);
    let atom = format!("[^.{forbidden}]+");
    let label = format!("[^.{forbidden}-](?:[^.{forbidden}]*[^.{forbidden}-])?");
    format!(
        "^{ws}*(?:(?=[^{WS}]{{3,{max}}}{ws}*$){atom}(?:\\.{atom})*@{label}(?:\\.{label})*)?{ws}*$"
    )
}

/// A phone number as `inflow::is_phone` takes it, trimmed; or empty (which clears it): an
/// optional `+`, 3 to 20 digits, at most three of ` ( ) . -` in a row.
pub fn phone_or_empty() -> String {
    let ws = ws();
    let sep = "[ ().-]{0,3}";
    format!("^{ws}*(?:\\+?{sep}(?:[0-9]{sep}){{3,20}})?{ws}*$")
}

/// A string schema with `pattern`; `nullable` for an optional field that may be `null`.
pub fn string(pattern: String, nullable: bool) -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
    let kind = if nullable {
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::Type(Type::String)
    };
    ObjectBuilder::new()
        .schema_type(kind)
        .pattern(Some(pattern))
        .build()
}

/// Control characters other than tab, line feed and carriage return.
const CTRL_TEXT: &str = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f";

/// Text that may run over lines (tabs and line breaks, no other control characters) and,
/// trimmed, has at most `max` characters; at least one when `required`.
pub fn trimmed_lines(max: usize, required: bool) -> String {
    let ws = ws();
    let inner = format!(
        "(?=[^{CTRL_TEXT}]{{1,{max}}}{ws}*$)[^{WS}{CTRL_TEXT}](?:[^{CTRL_TEXT}]*[^{WS}{CTRL_TEXT}])?"
    );
    let inner = if required {
        inner
    } else {
        format!("(?:{inner})?")
    };
    format!("^{ws}*{inner}{ws}*$")
}

/// A tag as `sangdam_core::customer::normalize_tag` takes it: trimmed, 1 to `max`
/// characters, no control characters or commas, not starting with `#`.
pub fn tag(max: usize) -> String {
    let ws = ws();
    format!(
        "^{ws}*[^#,{WS}{CTRL}](?:[^,{CTRL}]{{0,{}}}[^,{WS}{CTRL}])?{ws}*$",
        max - 2
    )
}

/// A canned reply's shortcut (`sangdam_core::canned::check`): trimmed, an optional leading
/// `/`, then 1 to `max` characters that are no whitespace, control character or `/`.
pub fn shortcut(max: usize) -> String {
    let ws = ws();
    format!("^{ws}*/?[^/{WS}{CTRL}]{{1,{max}}}{ws}*$")
}

/// A template's text that may run over lines (tabs and line breaks, no other control
/// characters), trimmed 1 to `max` characters, whose `[variables]` are all among `vars`.
pub fn lines_template(max: usize, vars: &[&str]) -> String {
    let ws = ws();
    let known = vars.join("|");
    let bracket = format!(r"\[(?:{known})\]|\[(?![A-Za-z_][A-Za-z0-9_]*\])");
    let item = format!(r"[^\[{CTRL_TEXT}]|{bracket}");
    let last = format!(r"[^\[{WS}{CTRL_TEXT}]|{bracket}");
    format!(r"^{ws}*(?=[^{CTRL_TEXT}]{{1,{max}}}{ws}*$)(?:{item})*(?:{last}){ws}*$")
}
