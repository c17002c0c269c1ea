//! The chatbot at work (R4): the admin's bot (settings, blocks, the knowledge base with its
//! import and export, the test console), and the bot answering the consultations that start
//! with it until it hands them to agents.
//!
//! The rules are the `bot` crate's ([`bot::Brain`]); a site's brain is built once per version
//! of its bot (every change moves the version) and shared by its consultations.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use bot::{
    Action, Block, BlockKind, BlockPlugin, BotSettings, Brain, Candidate, HandoffReason, Input,
    KnowledgeEntry, Memory, ScenarioError, Source,
};
use inflow::Channel;
use protocol::kakao::{Output, SimpleText, SkillCall, SkillTemplate};
use sangdam_core::{ConsultationId, SiteId};
use serde::{Deserialize, Serialize};
use store::{
    AgentRecord, BlockRecord, BlockText, ConsultationRecord, EntryRecord, EntryText, Sender,
};

use crate::Services;
use crate::access::admin_only;
use crate::error::AppError;
use crate::events::Event;

/// Each site's brain with the version it was built from and when that version was last
/// read.
#[derive(Debug, Default)]
pub(crate) struct BotCache(Mutex<HashMap<SiteId, Cached>>);

#[derive(Debug, Clone)]
struct Cached {
    version: i64,
    brain: Arc<Brain>,
    checked: Instant,
}

/// Consultations known to have left the bot, which never comes back to them
/// ([`sangdam_core::ConsultationState::with_bot`]): a customer's message in one of them needs
/// no read to know that the bot stays silent. Two generations of at most [`PAST_THE_BOT`] ids
/// each; when the newer fills, the older is forgotten (a forgotten one costs one read to learn
/// again).
#[derive(Debug, Default)]
pub(crate) struct PastTheBot(Mutex<[HashSet<ConsultationId>; 2]>);

/// Most consultations a generation of [`PastTheBot`] holds.
const PAST_THE_BOT: usize = 50_000;

impl PastTheBot {
    fn knows(&self, id: ConsultationId) -> bool {
        let sets = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        sets.iter().any(|s| s.contains(&id))
    }

    fn remember(&self, id: ConsultationId) {
        let mut sets = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if sets[0].len() >= PAST_THE_BOT {
            sets[1] = std::mem::take(&mut sets[0]);
        }
        sets[0].insert(id);
    }
}

/// How long a customer's message trusts the cached answer to "is this site's bot on?"
/// before reading the bot's version again (a change made on another instance shows within
/// this; one made here at once).
const RECHECK: Duration = Duration::from_secs(2);

/// What a new bot says until the admin changes it.
const WELCOME_TEXT: &str = "안녕하세요! 무엇을 도와드릴까요?";
const FALLBACK_TEXT: &str = "죄송해요, 잘 이해하지 못했어요. 다른 말로 다시 물어봐 주세요.";

/// A block as the admin edits it (`id` is the block's as buttons name it).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlockView {
    pub id: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub kind: BlockKind,
    pub name: String,
    pub utterances: Vec<String>,
    pub keywords: Vec<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub response: SkillTemplate,
    pub skill_url: Option<String>,
    pub hand_off: bool,
    /// The Event API's event this block sends.
    pub event: Option<String>,
    /// The plugin the block asks the customer through (`profile`, `kakao_sync`, `location`).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub plugin: Option<BlockPlugin>,
    pub updated_at: i64,
}

/// What a block holds besides its kind and name (stored as JSON).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Definition {
    #[serde(default)]
    utterances: Vec<String>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    response: SkillTemplate,
    #[serde(default)]
    skill_url: Option<String>,
    #[serde(default)]
    hand_off: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    event: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    plugin: Option<BlockPlugin>,
}

/// A block's content as the admin saves it.
#[derive(Debug, Clone, Deserialize)]
pub struct BlockInput {
    pub name: String,
    #[serde(default)]
    pub utterances: Vec<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub response: SkillTemplate,
    #[serde(default)]
    pub skill_url: Option<String>,
    #[serde(default)]
    pub hand_off: bool,
    /// The Event API's event the block sends (none: it sends none).
    #[serde(default)]
    pub event: Option<String>,
    /// The plugin the block asks the customer through (none: none); it must be set up.
    #[serde(default)]
    pub plugin: Option<BlockPlugin>,
}

/// A knowledge-base entry as the admin edits it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntryView {
    pub id: i64,
    pub category: String,
    pub enabled: bool,
    pub questions: Vec<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub answer: SkillTemplate,
    pub updated_at: i64,
}

/// An entry's content as the admin saves it (or an import's row).
#[derive(Debug, Clone, Deserialize)]
pub struct EntryInput {
    #[serde(default)]
    pub category: String,
    #[serde(default = "yes")]
    pub enabled: bool,
    pub questions: Vec<String>,
    pub answer: SkillTemplate,
}

fn yes() -> bool {
    true
}

/// The site's bot for its admin.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BotView {
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub settings: BotSettings,
    /// Moves with every change of the settings, a block or an entry.
    pub version: i64,
    pub blocks: Vec<BlockView>,
    /// How many knowledge-base entries it has.
    pub entries: usize,
    /// The minimum accuracy measured best on labelled data (the default).
    pub default_min_accuracy: u8,
}

/// What the test console shows for an utterance.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BotTest {
    /// The best candidates (blocks' examples and entries), best first.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub candidates: Vec<Candidate>,
    /// What the bot would do: `reply` (with `source` and `response`), `skill`, `hand_off`.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub outcome: serde_json::Value,
}

fn scenario_error(e: ScenarioError) -> AppError {
    AppError::Fields(
        e.problems
            .into_iter()
            .map(|p| (p.field, p.message))
            .collect(),
    )
}

fn prefixed(prefix: &str, e: ScenarioError) -> Vec<(String, String)> {
    e.problems
        .into_iter()
        .map(|p| (format!("{prefix}{}", p.field), p.message))
        .collect()
}

fn block_view(r: &BlockRecord) -> Result<BlockView, AppError> {
    let d: Definition = serde_json::from_str(&r.definition)
        .map_err(|e| AppError::Internal(format!("block {}: {e}", r.id)))?;
    Ok(BlockView {
        id: r.id,
        kind: parse_kind(&r.kind)?,
        name: r.name.clone(),
        utterances: d.utterances,
        keywords: d.keywords,
        response: d.response,
        skill_url: d.skill_url,
        hand_off: d.hand_off,
        event: d.event,
        plugin: d.plugin,
        updated_at: r.updated_at,
    })
}

fn parse_kind(s: &str) -> Result<BlockKind, AppError> {
    match s {
        "welcome" => Ok(BlockKind::Welcome),
        "fallback" => Ok(BlockKind::Fallback),
        "general" => Ok(BlockKind::General),
        other => Err(AppError::Internal(format!("unknown block kind {other:?}"))),
    }
}

fn entry_view(r: &EntryRecord) -> Result<EntryView, AppError> {
    Ok(EntryView {
        id: r.id,
        category: r.category.clone(),
        enabled: r.enabled,
        questions: serde_json::from_str(&r.questions)
            .map_err(|e| AppError::Internal(format!("entry {}: {e}", r.id)))?,
        answer: serde_json::from_str(&r.answer)
            .map_err(|e| AppError::Internal(format!("entry {}: {e}", r.id)))?,
        updated_at: r.updated_at,
    })
}

fn to_block(v: &BlockView) -> Block {
    Block {
        id: v.id.to_string(),
        name: v.name.clone(),
        kind: v.kind,
        utterances: v.utterances.clone(),
        keywords: v.keywords.clone(),
        response: v.response.clone(),
        skill_url: v.skill_url.clone(),
        hand_off: v.hand_off,
        event: v.event.clone(),
        plugin: v.plugin,
    }
}

fn to_entry(v: &EntryView) -> KnowledgeEntry {
    KnowledgeEntry {
        id: v.id.to_string(),
        category: v.category.clone(),
        questions: v.questions.clone(),
        answer: v.answer.clone(),
        enabled: v.enabled,
    }
}

/// A template of one simple text.
pub fn text_template(text: &str) -> SkillTemplate {
    SkillTemplate {
        outputs: vec![Output::SimpleText(SimpleText {
            text: text.to_owned(),
        })],
        quick_replies: Vec::new(),
    }
}

/// Trims an input's texts and drops empty ones (a form's blank lines).
fn tidy(v: &[String]) -> Vec<String> {
    v.iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

impl Services {
    // --- the admin's bot ----------------------------------------------------------------------

    /// The site's bot, set up (off, with a welcome and a fallback block) the first time.
    pub async fn bot_view(&self, admin: &AgentRecord) -> Result<BotView, AppError> {
        admin_only(admin, "keeps the chatbot")?;
        let site = admin.site_id;
        let record = match self.store.bot(site).await? {
            Some(r) => r,
            None => self.create_bot(site).await?,
        };
        let settings: BotSettings = serde_json::from_str(&record.settings)
            .map_err(|e| AppError::Internal(format!("bot settings: {e}")))?;
        let blocks = self
            .store
            .bot_blocks(site)
            .await?
            .iter()
            .map(block_view)
            .collect::<Result<Vec<_>, _>>()?;
        let entries = self.store.kb_entries(site).await?.len();
        Ok(BotView {
            settings,
            version: record.version,
            blocks,
            entries,
            default_min_accuracy: kb::DEFAULT_MIN_ACCURACY,
        })
    }

    async fn create_bot(&self, site: SiteId) -> Result<store::BotRecord, AppError> {
        let settings = serde_json::to_string(&BotSettings::default())
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let welcome = serde_json::to_string(&Definition {
            response: text_template(WELCOME_TEXT),
            ..Definition::default()
        })
        .map_err(|e| AppError::Internal(e.to_string()))?;
        let fallback = serde_json::to_string(&Definition {
            response: text_template(FALLBACK_TEXT),
            ..Definition::default()
        })
        .map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(self
            .store
            .create_bot(
                site,
                &settings,
                &[
                    BlockText {
                        kind: BlockKind::Welcome.as_str(),
                        name: "웰컴 블록",
                        definition: &welcome,
                    },
                    BlockText {
                        kind: BlockKind::Fallback.as_str(),
                        name: "폴백 블록",
                        definition: &fallback,
                    },
                ],
                self.now(),
            )
            .await?)
    }

    /// The admin saves the bot's settings.
    pub async fn save_bot_settings(
        &self,
        admin: &AgentRecord,
        settings: &BotSettings,
    ) -> Result<BotView, AppError> {
        self.bot_view(admin).await?;
        bot::validate_settings(settings).map_err(scenario_error)?;
        let json =
            serde_json::to_string(settings).map_err(|e| AppError::Internal(e.to_string()))?;
        self.store
            .save_bot_settings(admin.site_id, &json, self.now())
            .await?;
        self.forget_kept(admin.site_id, crate::events::KeptSettings::Bot);
        self.publish([Event::SettingsChanged {
            site_id: admin.site_id,
            settings: crate::events::KeptSettings::Bot,
        }]);
        self.audit(
            admin,
            sangdam_core::AuditAction::BotSaved,
            "bot",
            crate::audit::detail(settings),
        )
        .await;
        self.bot_view(admin).await
    }

    /// Checks a block's content against the site's other blocks (`id`: the block being
    /// changed, whose own id may be named).
    async fn checked_block(
        &self,
        site: SiteId,
        kind: BlockKind,
        input: &BlockInput,
        id: Option<i64>,
    ) -> Result<(String, String), AppError> {
        let blocks = self.store.bot_blocks(site).await?;
        let existing: Vec<String> = blocks
            .iter()
            .map(|b| b.id.to_string())
            .chain(id.map(|i| i.to_string()))
            .collect();
        let block = Block {
            id: id.map(|i| i.to_string()).unwrap_or_default(),
            name: bot::trim_within(&input.name, bot::limits::NAME_MAX),
            kind,
            utterances: tidy(&input.utterances),
            keywords: tidy(&input.keywords),
            response: input.response.clone(),
            skill_url: input
                .skill_url
                .as_deref()
                .map(str::trim)
                .filter(|u| !u.is_empty())
                .map(str::to_owned),
            hand_off: input.hand_off,
            event: input
                .event
                .as_deref()
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .map(str::to_owned),
            plugin: input.plugin,
        };
        bot::validate_block(&block, &|target| existing.iter().any(|e| e == target))
            .map_err(scenario_error)?;
        if let Some(p) = block.plugin {
            self.plugin_ready_for_block(site, p).await?;
        }
        if let Some(event) = &block.event {
            for other in blocks.iter().filter(|b| Some(b.id) != id) {
                let d: Definition = serde_json::from_str(&other.definition).unwrap_or_default();
                if d.event.as_deref() == Some(event.as_str()) {
                    return Err(AppError::Fields(vec![(
                        "event".into(),
                        format!("block {:?} already sends the event {event:?}", other.name),
                    )]));
                }
            }
        }
        let definition = serde_json::to_string(&Definition {
            utterances: block.utterances,
            keywords: block.keywords,
            response: block.response,
            skill_url: block.skill_url,
            hand_off: block.hand_off,
            event: block.event,
            plugin: block.plugin,
        })
        .map_err(|e| AppError::Internal(e.to_string()))?;
        Ok((block.name, definition))
    }

    /// The site's block that sends event `name` (R5.1), if one does.
    pub(crate) async fn event_block(
        &self,
        site: SiteId,
        name: &str,
    ) -> Result<Option<BlockView>, AppError> {
        for b in self.store.bot_blocks(site).await? {
            let view = block_view(&b)?;
            if view.event.as_deref() == Some(name) {
                return Ok(Some(view));
            }
        }
        Ok(None)
    }

    /// The events the site's blocks send, by name.
    pub(crate) async fn bot_events(&self, site: SiteId) -> Result<Vec<String>, AppError> {
        let mut events = Vec::new();
        for b in self.store.bot_blocks(site).await? {
            events.extend(block_view(&b)?.event);
        }
        events.sort();
        Ok(events)
    }

    /// The admin adds a general block.
    pub async fn create_block(
        &self,
        admin: &AgentRecord,
        input: &BlockInput,
    ) -> Result<BlockView, AppError> {
        self.bot_view(admin).await?;
        let (name, definition) = self
            .checked_block(admin.site_id, BlockKind::General, input, None)
            .await?;
        let r = self
            .store
            .insert_block(
                admin.site_id,
                &BlockText {
                    kind: BlockKind::General.as_str(),
                    name: &name,
                    definition: &definition,
                },
                bot::limits::BLOCKS_MAX,
                self.now(),
            )
            .await?;
        block_view(&r)
    }

    async fn own_block(&self, admin: &AgentRecord, id: i64) -> Result<BlockRecord, AppError> {
        admin_only(admin, "keeps the chatbot")?;
        let b = self.store.bot_block(id).await?;
        if b.site_id != admin.site_id {
            return Err(AppError::NotFound("block"));
        }
        Ok(b)
    }

    /// The admin changes a block (its kind stays).
    pub async fn update_block(
        &self,
        admin: &AgentRecord,
        id: i64,
        input: &BlockInput,
    ) -> Result<BlockView, AppError> {
        let current = self.own_block(admin, id).await?;
        let kind = parse_kind(&current.kind)?;
        let (name, definition) = self
            .checked_block(admin.site_id, kind, input, Some(id))
            .await?;
        let r = self
            .store
            .update_block(
                id,
                &BlockText {
                    kind: kind.as_str(),
                    name: &name,
                    definition: &definition,
                },
                self.now(),
            )
            .await?;
        block_view(&r)
    }

    /// The admin deletes a general block no other block's button names.
    pub async fn delete_block(&self, admin: &AgentRecord, id: i64) -> Result<(), AppError> {
        let current = self.own_block(admin, id).await?;
        if current.kind != BlockKind::General.as_str() {
            return Err(AppError::Conflict(
                "the welcome and fallback blocks stay; change what they say instead".into(),
            ));
        }
        let target = id.to_string();
        let mut naming: Vec<String> = Vec::new();
        for b in self.store.bot_blocks(admin.site_id).await? {
            if b.id == id {
                continue;
            }
            let v = block_view(&b)?;
            if bot::block_targets(&v.response)
                .iter()
                .any(|(_, t)| *t == target)
            {
                naming.push(v.name);
            }
        }
        if !naming.is_empty() {
            return Err(AppError::Conflict(format!(
                "buttons of {} lead to this block; change them first",
                naming.join(", ")
            )));
        }
        Ok(self.store.delete_block(id, self.now()).await?)
    }

    // --- the knowledge base -----------------------------------------------------------------

    pub async fn kb_entries(&self, admin: &AgentRecord) -> Result<Vec<EntryView>, AppError> {
        admin_only(admin, "keeps the chatbot")?;
        self.store
            .kb_entries(admin.site_id)
            .await?
            .iter()
            .map(entry_view)
            .collect()
    }

    fn checked_entry(input: &EntryInput) -> Result<(String, String, String), ScenarioError> {
        let entry = KnowledgeEntry {
            id: String::new(),
            category: bot::trim_within(&input.category, bot::limits::CATEGORY_MAX),
            questions: tidy(&input.questions),
            answer: input.answer.clone(),
            enabled: input.enabled,
        };
        bot::validate_entry(&entry)?;
        let questions = serde_json::to_string(&entry.questions).unwrap_or_else(|_| "[]".into());
        let answer = serde_json::to_string(&entry.answer).unwrap_or_else(|_| "{}".into());
        Ok((entry.category, questions, answer))
    }

    /// The admin adds entries (one, or a whole import; with `replace`, instead of those there
    /// are). Every row is checked first: one refused row refuses the import, each problem named
    /// by its row.
    pub async fn add_entries(
        &self,
        admin: &AgentRecord,
        inputs: &[EntryInput],
        replace: bool,
    ) -> Result<Vec<EntryView>, AppError> {
        self.bot_view(admin).await?;
        let mut problems: Vec<(String, String)> = Vec::new();
        let mut checked = Vec::with_capacity(inputs.len());
        for (i, input) in inputs.iter().enumerate() {
            match Self::checked_entry(input) {
                Ok(c) => checked.push((c, input.enabled)),
                Err(e) if inputs.len() == 1 => return Err(scenario_error(e)),
                Err(e) => problems.extend(prefixed(&format!("rows[{}].", i + 2), e)),
            }
        }
        if !problems.is_empty() {
            return Err(AppError::Fields(problems));
        }
        let texts: Vec<EntryText<'_>> = checked
            .iter()
            .map(|((category, questions, answer), enabled)| EntryText {
                category,
                enabled: *enabled,
                questions,
                answer,
            })
            .collect();
        let records = self
            .store
            .insert_entries(
                admin.site_id,
                &texts,
                replace,
                bot::limits::ENTRIES_MAX,
                self.now(),
            )
            .await?;
        records.iter().map(entry_view).collect()
    }

    async fn own_entry(&self, admin: &AgentRecord, id: i64) -> Result<EntryRecord, AppError> {
        admin_only(admin, "keeps the chatbot")?;
        let e = self.store.kb_entry(id).await?;
        if e.site_id != admin.site_id {
            return Err(AppError::NotFound("entry"));
        }
        Ok(e)
    }

    pub async fn update_entry(
        &self,
        admin: &AgentRecord,
        id: i64,
        input: &EntryInput,
    ) -> Result<EntryView, AppError> {
        self.own_entry(admin, id).await?;
        let (category, questions, answer) = Self::checked_entry(input).map_err(scenario_error)?;
        let r = self
            .store
            .update_entry(
                id,
                &EntryText {
                    category: &category,
                    enabled: input.enabled,
                    questions: &questions,
                    answer: &answer,
                },
                self.now(),
            )
            .await?;
        entry_view(&r)
    }

    pub async fn delete_entry(&self, admin: &AgentRecord, id: i64) -> Result<(), AppError> {
        self.own_entry(admin, id).await?;
        Ok(self.store.delete_entry(id, self.now()).await?)
    }

    /// The test console: the best candidates for `utterance` and what the bot would do with it
    /// at the start of a conversation (nothing is stored).
    pub async fn bot_test(
        &self,
        admin: &AgentRecord,
        utterance: &str,
    ) -> Result<BotTest, AppError> {
        admin_only(admin, "keeps the chatbot")?;
        self.bot_view(admin).await?;
        let brain = self.brain(admin.site_id).await?;
        let candidates = brain.candidates(utterance, 3);
        let step = brain.step(&Memory::default(), Input::Text(utterance));
        Ok(BotTest {
            candidates,
            outcome: outcome_json(&step.action),
        })
    }

    // --- answering --------------------------------------------------------------------------

    /// The site's brain as its bot now is.
    pub(crate) async fn brain(&self, site: SiteId) -> Result<Arc<Brain>, AppError> {
        let version = self.store.bot_version(site).await?;
        if let Some(c) = self.cached_brain(site)
            && c.version == version
        {
            self.remember_brain(site, version, c.brain.clone());
            return Ok(c.brain);
        }
        let settings: BotSettings = match self.store.bot(site).await? {
            Some(r) => serde_json::from_str(&r.settings)
                .map_err(|e| AppError::Internal(format!("bot settings: {e}")))?,
            None => BotSettings::default(),
        };
        let blocks = self
            .store
            .bot_blocks(site)
            .await?
            .iter()
            .map(|r| block_view(r).map(|v| to_block(&v)))
            .collect::<Result<Vec<_>, _>>()?;
        let entries = self
            .store
            .kb_entries(site)
            .await?
            .iter()
            .map(|r| entry_view(r).map(|v| to_entry(&v)))
            .collect::<Result<Vec<_>, _>>()?;
        // Building the indexes takes CPU (a third of a second for 10,000 entries): off the
        // async workers.
        let brain = tokio::task::spawn_blocking(move || Brain::new(settings, blocks, entries))
            .await
            .map_err(|e| AppError::Internal(format!("building the bot: {e}")))?;
        let brain = Arc::new(brain);
        self.remember_brain(site, version, brain.clone());
        Ok(brain)
    }

    /// Forgets when the site's bot was last checked: the next message reads it again.
    pub(crate) fn recheck_bot(&self, site: SiteId) {
        let mut bots = self.bots.0.lock().unwrap_or_else(PoisonError::into_inner);
        match (bots.get_mut(&site), Instant::now().checked_sub(RECHECK)) {
            (Some(c), Some(long_ago)) => c.checked = long_ago,
            (Some(_), None) => {
                bots.remove(&site);
            }
            (None, _) => {}
        }
    }

    fn cached_brain(&self, site: SiteId) -> Option<Cached> {
        self.bots
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&site)
            .cloned()
    }

    fn remember_brain(&self, site: SiteId, version: i64, brain: Arc<Brain>) {
        self.bots
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(
                site,
                Cached {
                    version,
                    brain,
                    checked: Instant::now(),
                },
            );
    }

    /// Whether the site's bot is on, without reading the database more than every
    /// [`RECHECK`] (asked for every customer message).
    async fn bot_is_on(&self, site: SiteId) -> bool {
        if let Some(c) = self.cached_brain(site)
            && c.checked.elapsed() < RECHECK
        {
            return c.brain.settings().enabled;
        }
        match self.brain(site).await {
            Ok(b) => b.settings().enabled,
            Err(e) => {
                tracing::warn!(site = %site, error = %e, "the bot could not be read");
                false
            }
        }
    }

    /// Whether a chat window arriving with `inflow` starts with the bot (which greets at once).
    pub(crate) async fn bot_greets(&self, site: SiteId, inflow: &inflow::Inflow) -> bool {
        if !self.bot_is_on(site).await {
            return false;
        }
        inflow.fields.bot_start == Some(true)
            || self
                .cached_brain(site)
                .is_some_and(|c| c.brain.settings().bot_first)
    }

    /// A customer's message was stored in consultation `id`: if the site's bot is on and the
    /// consultation is with it, the bot answers. One read of the consultation (with what the
    /// bot remembers of it) on this path, none once it is known to have left the bot.
    pub async fn after_customer_message(
        &self,
        site: SiteId,
        id: ConsultationId,
        input: BotInput<'_>,
    ) {
        if !self.bot_is_on(site).await || self.past_bot.knows(id) {
            return;
        }
        match self.store.consultation_with_memory(id).await {
            Ok((c, memory)) if c.state.with_bot() => {
                if let Err(e) = self.bot_turn(&c, memory, input).await {
                    tracing::warn!(consultation = %c.id, error = %e, "the bot did not answer");
                }
            }
            Ok((c, _)) => self.past_bot.remember(c.id),
            Err(e) => tracing::warn!(consultation = %id, error = %e,
                "the bot could not read the consultation"),
        }
    }

    /// The site's brain, as read at most [`RECHECK`] ago.
    async fn recent_brain(&self, site: SiteId) -> Result<Arc<Brain>, AppError> {
        match self.cached_brain(site) {
            Some(c) if c.checked.elapsed() < RECHECK => Ok(c.brain),
            _ => self.brain(site).await,
        }
    }

    /// A consultation opened with the bot: its welcome block answers (web chat and TalkTalk;
    /// a KakaoTalk user's channel greets them itself, and the bot answers what they said).
    pub(crate) async fn bot_opened(&self, c: &ConsultationRecord) {
        if !c.state.with_bot() || c.channel == Channel::Kakao {
            return;
        }
        self.bot_turn_logged(c, BotInput::Start).await;
    }

    async fn bot_turn_logged(&self, c: &ConsultationRecord, input: BotInput<'_>) {
        let memory = match self.store.bot_state(c.id).await {
            Ok((memory, _)) => memory,
            Err(e) => {
                tracing::warn!(consultation = %c.id, error = %e, "the bot could not read its memory");
                return;
            }
        };
        if let Err(e) = self.bot_turn(c, memory, input).await {
            tracing::warn!(consultation = %c.id, error = %e, "the bot did not answer");
        }
    }

    async fn bot_turn(
        &self,
        c: &ConsultationRecord,
        memory: Option<String>,
        input: BotInput<'_>,
    ) -> Result<(), AppError> {
        let brain = self.recent_brain(c.site_id).await?;
        let memory: Memory = memory
            .and_then(|m| serde_json::from_str(&m).ok())
            .unwrap_or_default();
        let (step_input, utterance) = match input {
            BotInput::Start => (Input::Start, ""),
            BotInput::Text(t) => (Input::Text(t), t),
            BotInput::Block(b) => (Input::Block(b), ""),
            BotInput::Operator => (Input::Operator, ""),
        };
        let mut step = brain.step(&memory, step_input);
        if let Action::CallSkill {
            block_id,
            block_name,
            url,
        } = &step.action
        {
            step = self
                .call_skill(
                    &brain,
                    c,
                    &memory,
                    &step.memory,
                    block_id,
                    block_name,
                    url,
                    utterance,
                )
                .await;
        }
        match step.action {
            Action::Silent => Ok(()),
            Action::Reply { response, source } => {
                // The memory is stored with the answer, in the writer's batch; most answers
                // leave it as it was (no fallback before or after, no operator button).
                let changed = (step.memory != memory).then(|| memory_json(&step.memory));
                let plugin = match &source {
                    Source::Block { block_id, .. } => brain.block(block_id).and_then(|b| b.plugin),
                    _ => None,
                };
                let plugin = match plugin {
                    Some(p) => self.plugin_step(c, p).await,
                    None => None,
                };
                self.bot_says(c, &response, changed.as_deref(), plugin)
                    .await
            }
            Action::HandOff { reason, response } => {
                if let Some(r) = &response {
                    self.bot_says(c, r, None, None).await?;
                }
                self.bot_hands_off(c, &reason).await
            }
            Action::CallSkill { .. } => Err(AppError::Internal(
                "a skill block answered with another skill call".into(),
            )),
        }
    }

    #[allow(clippy::too_many_arguments)]
    async fn call_skill(
        &self,
        brain: &Brain,
        c: &ConsultationRecord,
        before: &Memory,
        after: &Memory,
        block_id: &str,
        block_name: &str,
        url: &str,
        utterance: &str,
    ) -> bot::Step {
        let user_key = format!("sangdam-room-{}", c.room_id);
        let bot_id = format!("sangdam-site-{}", c.site_id);
        let request = protocol::kakao::skill_request(&SkillCall {
            block_id,
            block_name,
            utterance,
            user_key: &user_key,
            bot_id: &bot_id,
            bot_name: "Sangdam",
        });
        match self.skills.call(url, &request).await {
            Ok(response) => {
                let template = response.template.unwrap_or_default();
                bot::Step {
                    memory: brain.answered(after, &template),
                    action: Action::Reply {
                        response: template,
                        source: Source::Block {
                            block_id: block_id.to_owned(),
                            block_name: block_name.to_owned(),
                            by: "skill".into(),
                            accuracy: None,
                        },
                    },
                }
            }
            Err(e) => {
                tracing::warn!(consultation = %c.id, block = block_id, url, reason = %e,
                    "a skill server failed; the fallback block answers");
                metrics::counter!("sangdam_bot_skill_failures_total").increment(1);
                brain.skill_failed(before)
            }
        }
    }

    /// Stores the bot's answer in the consultation (its text as the body, the template as
    /// `rich`, with the plugin step the window draws under it), sent on like any message to
    /// the customer.
    async fn bot_says(
        &self,
        c: &ConsultationRecord,
        response: &SkillTemplate,
        memory: Option<&str>,
        plugin: Option<BlockPlugin>,
    ) -> Result<(), AppError> {
        let body = bot::summary(response);
        let body = if body.trim().is_empty() {
            "…".to_owned()
        } else {
            body
        };
        let mut rich =
            serde_json::to_value(response).map_err(|e| AppError::Internal(e.to_string()))?;
        if let (Some(p), Some(fields)) = (plugin, rich.as_object_mut()) {
            fields.insert("plugin".into(), p.as_str().into());
        }
        self.write_rich(c, &body, &rich.to_string(), memory).await?;
        Ok(())
    }

    /// The bot hands the consultation to agents: it waits in the queue with the reason, and
    /// the desk meets it as any consultation that starts waiting.
    async fn bot_hands_off(
        &self,
        c: &ConsultationRecord,
        reason: &HandoffReason,
    ) -> Result<(), AppError> {
        let json = serde_json::to_string(reason).map_err(|e| AppError::Internal(e.to_string()))?;
        let (now, given) = self.store.hand_to_agent(c.id, &json, self.now()).await?;
        self.publish(std::iter::once(&now).chain(&given).map(Event::consultation));
        let note = i18n::t(crate::CUSTOMER_LANG, "bot-handed-off");
        self.write_to_customer(&now, Sender::System, None, &note)
            .await?;
        self.desk_meets(now, &given).await;
        self.wake_distribution(c.site_id);
        Ok(())
    }
}

/// What the customer did, as the bot hears it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BotInput<'a> {
    Start,
    Text(&'a str),
    /// A button or quick reply naming a block.
    Block(&'a str),
    /// The operator button.
    Operator,
}

fn memory_json(m: &Memory) -> String {
    serde_json::to_string(m).unwrap_or_else(|_| "{}".into())
}

fn outcome_json(a: &Action) -> serde_json::Value {
    match a {
        Action::Reply { response, source } => serde_json::json!({
            "kind": "reply", "source": source, "response": response,
            "text": bot::summary(response),
        }),
        Action::CallSkill {
            block_id,
            block_name,
            url,
        } => serde_json::json!({
            "kind": "skill", "block_id": block_id, "block_name": block_name, "url": url,
        }),
        Action::HandOff { reason, response } => serde_json::json!({
            "kind": "hand_off", "reason": reason, "response": response,
        }),
        Action::Silent => serde_json::json!({"kind": "silent"}),
    }
}
