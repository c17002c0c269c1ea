//! What a bot is made of: its settings, its blocks and its knowledge-base entries, each checked
//! on save with errors that name the field and the limit.

use protocol::kakao::{SkillResponse, SkillTemplate, VERSION};
use serde::{Deserialize, Serialize};

/// How many of each a bot may have, and how long each text may be (characters).
pub mod limits {
    pub const NAME_MAX: usize = 50;
    pub const BLOCKS_MAX: usize = 300;
    pub const UTTERANCES_MAX: usize = 100;
    pub const UTTERANCE_MAX: usize = 200;
    pub const KEYWORDS_MAX: usize = 20;
    pub const KEYWORD_MAX: usize = 30;
    pub const ENTRIES_MAX: usize = 10_000;
    pub const QUESTIONS_MAX: usize = 50;
    pub const CATEGORY_MAX: usize = 50;
    pub const SKILL_URL_MAX: usize = 500;
    pub const FALLBACKS_BEFORE_OFFER_MAX: u8 = 10;
    /// The handoff offer is a quick reply: Open Builder's label limit.
    pub const HANDOFF_LABEL_MAX: usize = 14;
}

use limits::*;

/// A text as saved: without its outer spaces when it is within `max` characters as sent, else
/// as sent, so that the check on save refuses it. The limit counts what is sent (the API
/// document's `maxLength`): a text padded past it is refused, not trimmed into it.
pub fn trim_within(text: &str, max: usize) -> String {
    if text.chars().count() > max {
        text.to_owned()
    } else {
        text.trim().to_owned()
    }
}

/// Which part a block plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// Answers the customer's first entry.
    Welcome,
    /// Answers what nothing else understood.
    Fallback,
    /// Answers utterances like its examples, or containing its keywords.
    General,
}

impl BlockKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BlockKind::Welcome => "welcome",
            BlockKind::Fallback => "fallback",
            BlockKind::General => "general",
        }
    }
}

/// One block of the scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Block {
    /// Stable id; buttons and quick replies name it as `blockId`.
    pub id: String,
    pub name: String,
    pub kind: BlockKind,
    /// Example utterances, scored like the knowledge base's questions.
    #[serde(default)]
    pub utterances: Vec<String>,
    /// Words that pick the block when an utterance contains one.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// What the block answers (Open Builder's template).
    pub response: SkillTemplate,
    /// An outside skill server asked for the answer instead (Open Builder's request).
    #[serde(default)]
    pub skill_url: Option<String>,
    /// The consultation plugin: reaching the block hands the customer to an agent (after its
    /// response, if it has one).
    #[serde(default)]
    pub hand_off: bool,
    /// The Event API's event this block sends (R5.1); its texts may use `{{data.KEY}}` and
    /// `{{params.KEY}}`. One block per event name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// A plugin's own step the block takes after its response (R6.1): the profile form or
    /// the location request in the web chat window. On KakaoTalk the plugin is Open Builder's,
    /// and its result comes back in the skill request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plugin: Option<BlockPlugin>,
}

/// A plugin a block asks the customer through (the consultation plugin is `hand_off`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockPlugin {
    /// The customer's name, phone and e-mail, with their consent.
    Profile,
    /// Sign-up with the Kakao account (on the web chat: the profile form with consent to the
    /// sign-up terms).
    KakaoSync,
    /// The customer's current location, with their consent.
    Location,
}

impl BlockPlugin {
    pub const ALL: [BlockPlugin; 3] = [
        BlockPlugin::Profile,
        BlockPlugin::KakaoSync,
        BlockPlugin::Location,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BlockPlugin::Profile => "profile",
            BlockPlugin::KakaoSync => "kakao_sync",
            BlockPlugin::Location => "location",
        }
    }

    pub fn parse(s: &str) -> Option<BlockPlugin> {
        BlockPlugin::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// One knowledge-base entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KnowledgeEntry {
    pub id: String,
    #[serde(default)]
    pub category: String,
    pub questions: Vec<String>,
    pub answer: SkillTemplate,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

/// A bot's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BotSettings {
    /// The bot answers at all (off: every consultation goes to agents as before).
    pub enabled: bool,
    /// Every new consultation starts with the bot, not only those whose URL says
    /// `bot_start=true`.
    pub bot_first: bool,
    /// The knowledge base or a block's examples answer only from this accuracy (0–100).
    pub min_accuracy: u8,
    /// After this many fallbacks in a row the bot offers an agent (0: never offers).
    pub fallbacks_before_offer: u8,
    /// The label of that offer (and of the operator button on channels without one).
    pub handoff_label: String,
}

impl Default for BotSettings {
    fn default() -> Self {
        BotSettings {
            enabled: false,
            bot_first: false,
            min_accuracy: kb::DEFAULT_MIN_ACCURACY,
            fallbacks_before_offer: 2,
            handoff_label: "상담원 연결".to_owned(),
        }
    }
}

/// What is wrong with a block, an entry or the settings: every problem, each located.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .problems.iter().map(|p| format!("{}: {}", p.field, p.message)).collect::<Vec<_>>().join("; "))]
pub struct ScenarioError {
    pub problems: Vec<Problem>,
}

/// One problem: the field (a JSON path such as `response.outputs[0].basicCard.title`) and a
/// sentence saying the limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

#[derive(Debug, Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(Problem {
            field: field.into(),
            message: message.into(),
        });
    }

    fn text(&mut self, field: &str, value: &str, max: usize, required: bool) {
        let n = value.chars().count();
        if required && value.trim().is_empty() {
            self.add(field, "is required");
        } else if n > max {
            self.add(field, format!("is {n} characters; at most {max}"));
        }
    }

    fn texts(&mut self, field: &str, values: &[String], max_count: usize, max_chars: usize) {
        if values.len() > max_count {
            self.add(
                field,
                format!("has {} entries; at most {max_count}", values.len()),
            );
        }
        for (i, v) in values.iter().enumerate() {
            self.text(&format!("{field}[{i}]"), v, max_chars, true);
        }
    }

    fn template(&mut self, field: &str, template: &SkillTemplate) {
        let response = SkillResponse {
            version: VERSION.to_owned(),
            template: Some(template.clone()),
            context: None,
            data: None,
            use_callback: false,
        };
        if let Err(errors) = response.validate() {
            for e in errors {
                let path = e.path.strip_prefix("template").unwrap_or(&e.path);
                self.add(format!("{field}{path}"), e.message);
            }
        }
    }

    fn done(self) -> Result<(), ScenarioError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ScenarioError { problems: self.0 })
        }
    }
}

/// Checks a block on its own: names, examples, keywords and its response against every limit
/// of Open Builder, a skill server's address. `known` says whether a block id exists (the
/// targets of its block buttons and quick replies).
pub fn validate_block(block: &Block, known: &dyn Fn(&str) -> bool) -> Result<(), ScenarioError> {
    let mut p = Problems::default();
    p.text("name", &block.name, NAME_MAX, true);
    p.texts(
        "utterances",
        &block.utterances,
        UTTERANCES_MAX,
        UTTERANCE_MAX,
    );
    p.texts("keywords", &block.keywords, KEYWORDS_MAX, KEYWORD_MAX);
    match &block.skill_url {
        Some(url) => {
            p.text("skill_url", url, SKILL_URL_MAX, true);
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                p.add("skill_url", "must be an http(s) address");
            }
        }
        None => p.template("response", &block.response),
    }
    if block.skill_url.is_some() && !block.response.outputs.is_empty() {
        p.template("response", &block.response);
    }
    if let Some(event) = &block.event {
        if let Err(why) = crate::event::check_event_name(event) {
            p.add("event", why);
        }
        if block.skill_url.is_some() {
            p.add(
                "event",
                "an event block answers with its own response, not a skill server",
            );
        }
    }
    if block.plugin.is_some() && block.hand_off {
        p.add(
            "plugin",
            "a block that hands the customer to an agent asks nothing through another plugin",
        );
    }
    if block.plugin.is_some() && block.event.is_some() {
        p.add(
            "plugin",
            "an event block is sent to customers who may not be in a chat: it asks nothing through a plugin",
        );
    }
    for (path, target) in block_targets(&block.response) {
        if !known(&target) {
            p.add(
                format!("response{path}"),
                format!("names block {target:?}, which does not exist"),
            );
        }
    }
    p.done()
}

/// Checks a knowledge-base entry.
pub fn validate_entry(entry: &KnowledgeEntry) -> Result<(), ScenarioError> {
    let mut p = Problems::default();
    if entry.questions.is_empty() {
        p.add("questions", "needs at least one question");
    }
    p.texts("questions", &entry.questions, QUESTIONS_MAX, UTTERANCE_MAX);
    p.text("category", &entry.category, CATEGORY_MAX, false);
    p.template("answer", &entry.answer);
    p.done()
}

/// Checks a bot's settings.
pub fn validate_settings(s: &BotSettings) -> Result<(), ScenarioError> {
    let mut p = Problems::default();
    if s.min_accuracy > 100 {
        p.add("min_accuracy", "is an accuracy from 0 to 100");
    }
    if s.fallbacks_before_offer > FALLBACKS_BEFORE_OFFER_MAX {
        p.add(
            "fallbacks_before_offer",
            format!("is at most {FALLBACKS_BEFORE_OFFER_MAX} (0: never offer)"),
        );
    }
    p.text("handoff_label", &s.handoff_label, HANDOFF_LABEL_MAX, true);
    p.done()
}

/// The blocks a template's buttons and quick replies name, with where.
pub fn block_targets(t: &SkillTemplate) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, q) in t.quick_replies.iter().enumerate() {
        if let protocol::kakao::QuickReplyAction::Block { block_id, .. } = &q.action {
            out.push((format!(".quickReplies[{i}].blockId"), block_id.clone()));
        }
    }
    crate::summary::for_each_button(t, &mut |path, b| {
        if let protocol::kakao::ButtonAction::Block { block_id, .. } = &b.action {
            out.push((format!("{path}.blockId"), block_id.clone()));
        }
    });
    out
}
