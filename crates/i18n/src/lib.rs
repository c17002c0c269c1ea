//! Sangdam's UI text: one Fluent catalogue per language, embedded in the binary.
//!
//! Every sentence a person reads — pages, scripts, the chat button, what the messenger adapters
//! send or record — is a message in `locales/<language>/<area>.ftl` at the repository root (one
//! file per area: common, chat, console, admin, accounts, login, channels, widget…). The build
//! embeds every file it finds there (`build.rs`); the languages are the [`Lang`] enum, the one
//! list the code knows. Adding a language is adding its folder with the same files and keys, and
//! its variant in [`Lang`] (`ALL` and `code`); the tests refuse a folder without a variant, a
//! variant without a folder, and a key or an argument that one language has and another lacks.
//!
//! Numbers and names go in as arguments (`{ $max }`), so a limit is written once, as the Rust
//! constant that enforces it. Fluent's Unicode isolation marks are off: the texts land in HTML
//! and in form fields, where invisible marks would be copied along.
//!
//! A key is a message id (`console-title`) or a message attribute (`admin-fixed-site_uid.meaning`).
//! A lookup that misses never goes unnoticed: [`t`] falls back to the other languages, then to
//! the key itself, logs a warning once and remembers it for [`missing_keys`], which the tests
//! assert empty after rendering every page.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::{LazyLock, Mutex, PoisonError};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;
use serde_json::{Map, Value};

include!(concat!(env!("OUT_DIR"), "/files.rs"));

/// A language of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    Ko,
    En,
}

impl Lang {
    /// Every language, the default first; missing texts fall back in this order. Each has the
    /// folder `locales/<code>/`.
    pub const ALL: [Lang; 2] = [Lang::Ko, Lang::En];

    /// The language of a request that names none Sangdam has.
    pub const DEFAULT: Lang = Lang::ALL[0];

    /// The BCP 47 code, which is also the catalogue folder's name.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }

    /// A language from a tag such as `ko`, `en-US`, `EN_gb` or an `Accept-Language` item
    /// (`en;q=0.8`): its primary subtag decides.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_', ';']).next()?.trim();
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(primary))
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An argument of a message: a name or other text, or a number (plural rules apply to it).
#[derive(Debug, Clone, PartialEq)]
pub enum Arg<'a> {
    Text(Cow<'a, str>),
    Number(f64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Text(Cow::Borrowed(s))
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Self {
        Arg::Text(Cow::Borrowed(s))
    }
}

impl From<String> for Arg<'_> {
    fn from(s: String) -> Self {
        Arg::Text(Cow::Owned(s))
    }
}

macro_rules! number_args {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg<'_> {
            #[allow(clippy::cast_lossless, clippy::cast_precision_loss)]
            fn from(n: $t) -> Self {
                Arg::Number(n as f64)
            }
        }

        // Templates pass their fields by reference.
        impl From<&$t> for Arg<'_> {
            fn from(n: &$t) -> Self {
                Arg::from(*n)
            }
        }
    )*};
}
number_args!(u8, u16, u32, u64, usize, i32, i64, f64);

impl Arg<'_> {
    fn fluent(&self) -> FluentValue<'_> {
        match self {
            Arg::Text(s) => FluentValue::String(Cow::Borrowed(s)),
            Arg::Number(n) => FluentValue::from(*n),
        }
    }
}

/// Why [`try_t`] gave no clean text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    /// The language has no such message or attribute.
    Missing { lang: Lang, key: String },
    /// The message exists but formatting it reported errors (an argument it uses was not given,
    /// a reference to a missing message…); `text` is what Fluent made of it anyway.
    Format {
        lang: Lang,
        key: String,
        errors: Vec<String>,
        text: String,
    },
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextError::Missing { lang, key } => write!(f, "{lang}: no text {key:?}"),
            TextError::Format {
                lang, key, errors, ..
            } => write!(f, "{lang}: {key:?}: {}", errors.join("; ")),
        }
    }
}

impl std::error::Error for TextError {}

/// The text of `key` in `lang`. A key this language lacks falls back to another language, then
/// to the key itself; either way it is logged once and listed by [`missing_keys`].
pub fn t(lang: Lang, key: &str) -> String {
    CATALOGUE.text(lang, key, &[])
}

/// The text of `key` in `lang` with arguments: `t_args(lang, "admin-err-too-long", &[("max",
/// MAX.into())])`. Falls back like [`t`].
pub fn t_args(lang: Lang, key: &str, args: &[(&str, Arg<'_>)]) -> String {
    CATALOGUE.text(lang, key, args)
}

/// The text of `key` in `lang` with no fallback: an error when it is missing or does not
/// format cleanly with these arguments.
pub fn try_t(lang: Lang, key: &str, args: &[(&str, Arg<'_>)]) -> Result<String, TextError> {
    CATALOGUE.format(lang, key, args)
}

/// Whether `lang` has the message or attribute `key`.
pub fn has(lang: Lang, key: &str) -> bool {
    CATALOGUE.pattern(lang, key).is_some()
}

/// Every key (message ids and `id.attribute`s) of any language, sorted.
pub fn keys() -> BTreeSet<String> {
    CATALOGUE.all_keys()
}

/// The variables (`$name`) the text of `key` uses in `lang`, following references to other
/// messages; `None` when the language lacks the key.
pub fn variables(lang: Lang, key: &str) -> Option<BTreeSet<String>> {
    CATALOGUE.variables(lang, key)
}

/// The texts a script needs, as a JSON object key → text: every key starting with one of
/// `prefixes`, in `lang` (falling back like [`t`]). `args` fill the variables they name (limits,
/// known on the server); every other variable stays in the text as `{ $name }`, for the
/// script to fill (`assets/lib/i18n.js`).
pub fn export(lang: Lang, prefixes: &[&str], args: &[(&str, Arg<'_>)]) -> Map<String, Value> {
    CATALOGUE.export(lang, prefixes, args)
}

/// Lookups that missed since the start — `"en: no text \"key\""` — and texts that formatted with
/// errors, sorted. Empty when every page found every text it asked for.
pub fn missing_keys() -> Vec<String> {
    CATALOGUE.missed()
}

/// What went wrong loading the catalogue: syntax errors, a message defined twice, a folder that
/// is no [`Lang`], a [`Lang`] without a folder. Empty in a good build (a test says so).
pub fn catalogue_problems() -> Vec<String> {
    CATALOGUE.problems.clone()
}

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| Catalogue::load(FILES));

type Bundle = FluentBundle<FluentResource>;

/// The bundles of every language, built once, and what went wrong.
struct Catalogue {
    /// One per language, in the order of [`Lang::ALL`].
    bundles: Vec<(Lang, Bundle)>,
    /// Every key of each language.
    keys: BTreeMap<Lang, BTreeSet<String>>,
    problems: Vec<String>,
    missed: Mutex<BTreeSet<String>>,
}

impl Catalogue {
    fn load(files: &[(&str, &str, &str)]) -> Catalogue {
        let mut problems = Vec::new();
        for (folder, _, _) in files {
            if Lang::parse(folder).is_none_or(|l| l.code() != *folder) {
                problems.push(format!("locales/{folder}/ is not a language of i18n::Lang"));
            }
        }
        let mut bundles = Vec::new();
        let mut keys = BTreeMap::new();
        for lang in Lang::ALL {
            let id = lang.code().parse().unwrap_or_default();
            let mut bundle = Bundle::new_concurrent(vec![id]);
            bundle.set_use_isolating(false);
            let mut lang_keys = BTreeSet::new();
            let mut found = false;
            for (_, name, source) in files.iter().filter(|(f, _, _)| *f == lang.code()) {
                found = true;
                let resource = match FluentResource::try_new((*source).to_owned()) {
                    Ok(r) => r,
                    Err((r, errors)) => {
                        for e in errors {
                            problems.push(format!("locales/{lang}/{name}: {e:?}"));
                        }
                        r
                    }
                };
                for entry in resource.entries() {
                    if let ast::Entry::Message(m) = entry {
                        lang_keys.insert(m.id.name.to_owned());
                        for a in &m.attributes {
                            lang_keys.insert(format!("{}.{}", m.id.name, a.id.name));
                        }
                    }
                }
                if let Err(errors) = bundle.add_resource(resource) {
                    for e in errors {
                        problems.push(format!("locales/{lang}/{name}: {e}"));
                    }
                }
            }
            if !found {
                problems.push(format!("{lang} has no catalogue (locales/{lang}/*.ftl)"));
            }
            keys.insert(lang, lang_keys);
            bundles.push((lang, bundle));
        }
        Catalogue {
            bundles,
            keys,
            problems,
            missed: Mutex::new(BTreeSet::new()),
        }
    }

    fn bundle(&self, lang: Lang) -> Option<&Bundle> {
        self.bundles
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, b)| b)
    }

    fn pattern(&self, lang: Lang, key: &str) -> Option<&ast::Pattern<&str>> {
        pattern_in(self.bundle(lang)?, key)
    }

    fn all_keys(&self) -> BTreeSet<String> {
        self.keys.values().flatten().cloned().collect()
    }

    fn format(&self, lang: Lang, key: &str, args: &[(&str, Arg<'_>)]) -> Result<String, TextError> {
        let missing = || TextError::Missing {
            lang,
            key: key.to_owned(),
        };
        let bundle = self.bundle(lang).ok_or_else(missing)?;
        let pattern = pattern_in(bundle, key).ok_or_else(missing)?;
        let mut fluent_args = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            fluent_args.set(*name, value.fluent());
        }
        let mut errors = Vec::new();
        let text = bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned();
        if errors.is_empty() {
            Ok(text)
        } else {
            Err(TextError::Format {
                lang,
                key: key.to_owned(),
                errors: errors.iter().map(ToString::to_string).collect(),
                text,
            })
        }
    }

    /// The text in `lang`, else in the first language that has it, else the key; every miss
    /// remembered.
    fn text(&self, lang: Lang, key: &str, args: &[(&str, Arg<'_>)]) -> String {
        let fallbacks = std::iter::once(lang).chain(Lang::ALL.into_iter().filter(|l| *l != lang));
        for candidate in fallbacks {
            match self.format(candidate, key, args) {
                Ok(text) => return text,
                Err(e @ TextError::Format { .. }) => {
                    self.miss(&e);
                    if let TextError::Format { text, .. } = e {
                        return text;
                    }
                }
                Err(e) => self.miss(&e),
            }
        }
        key.to_owned()
    }

    fn miss(&self, e: &TextError) {
        let entry = e.to_string();
        let new = self
            .missed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(entry.clone());
        if new {
            tracing::warn!("UI text: {entry}");
        }
    }

    fn missed(&self) -> Vec<String> {
        self.missed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .cloned()
            .collect()
    }

    fn variables(&self, lang: Lang, key: &str) -> Option<BTreeSet<String>> {
        let bundle = self.bundle(lang)?;
        let mut names = BTreeSet::new();
        pattern_variables(bundle, pattern_in(bundle, key)?, &mut names, 0);
        Some(names)
    }

    fn export(
        &self,
        lang: Lang,
        prefixes: &[&str],
        args: &[(&str, Arg<'_>)],
    ) -> Map<String, Value> {
        let mut out = Map::new();
        for key in self.all_keys() {
            if !prefixes.iter().any(|p| key.starts_with(p)) {
                continue;
            }
            // Variables the server does not know stay in the text for the script to fill.
            let names = Lang::ALL
                .into_iter()
                .filter_map(|l| self.variables(l, &key))
                .flatten()
                .collect::<BTreeSet<_>>();
            let placeholders: Vec<(String, String)> = names
                .into_iter()
                .filter(|n| !args.iter().any(|(given, _)| given == n))
                .map(|n| {
                    let shown = format!("{{ ${n} }}");
                    (n, shown)
                })
                .collect();
            let mut all: Vec<(&str, Arg<'_>)> = args.to_vec();
            all.extend(
                placeholders
                    .iter()
                    .map(|(n, shown)| (n.as_str(), Arg::from(shown.as_str()))),
            );
            out.insert(key.clone(), Value::String(self.text(lang, &key, &all)));
        }
        out
    }
}

fn pattern_in<'b>(bundle: &'b Bundle, key: &str) -> Option<&'b ast::Pattern<&'b str>> {
    let (id, attribute) = match key.split_once('.') {
        Some((id, attribute)) => (id, Some(attribute)),
        None => (key, None),
    };
    let message = bundle.get_message(id)?;
    match attribute {
        Some(a) => message.get_attribute(a).map(|a| a.value()),
        None => message.value(),
    }
}

/// How deep message references are followed (a cycle is a catalogue error Fluent reports).
const MAX_REFERENCE_DEPTH: u8 = 8;

fn pattern_variables(
    bundle: &Bundle,
    pattern: &ast::Pattern<&str>,
    out: &mut BTreeSet<String>,
    depth: u8,
) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(bundle, expression, out, depth);
        }
    }
}

fn expression_variables(
    bundle: &Bundle,
    expression: &ast::Expression<&str>,
    out: &mut BTreeSet<String>,
    depth: u8,
) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            inline_variables(bundle, selector, out, depth);
            for v in variants {
                pattern_variables(bundle, &v.value, out, depth);
            }
        }
        ast::Expression::Inline(inline) => inline_variables(bundle, inline, out, depth),
    }
}

fn inline_variables(
    bundle: &Bundle,
    inline: &ast::InlineExpression<&str>,
    out: &mut BTreeSet<String>,
    depth: u8,
) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        ast::InlineExpression::MessageReference { id, attribute }
            if depth < MAX_REFERENCE_DEPTH =>
        {
            let key = match attribute {
                Some(a) => format!("{}.{}", id.name, a.name),
                None => id.name.to_owned(),
            };
            if let Some(p) = pattern_in(bundle, &key) {
                pattern_variables(bundle, p, out, depth + 1);
            }
        }
        ast::InlineExpression::FunctionReference { arguments, .. }
        | ast::InlineExpression::TermReference {
            arguments: Some(arguments),
            ..
        } => {
            // A term's own variables are bound by its arguments; only these come from outside.
            for a in &arguments.positional {
                inline_variables(bundle, a, out, depth);
            }
            for a in &arguments.named {
                inline_variables(bundle, &a.value, out, depth);
            }
        }
        ast::InlineExpression::Placeable { expression } => {
            expression_variables(bundle, expression, out, depth);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
