//! One turn of the bot: given what the customer did and what the bot remembers of the
//! consultation, what it does next.

use std::collections::HashMap;

use kb::{Entry, Index};
use protocol::kakao::{ButtonAction, QuickReply, SkillTemplate};
use serde::{Deserialize, Serialize};

use crate::scenario::{Block, BlockKind, BotSettings, KnowledgeEntry};

/// What the bot remembers of a consultation between turns (kept by the caller as JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Memory {
    /// Fallbacks in a row, reset by any understood utterance.
    #[serde(default)]
    pub fallbacks_in_row: u8,
    /// Labels that hand the customer to an agent when sent back as text: the operator buttons
    /// of the last answer, and the handoff offer once made.
    #[serde(default)]
    pub operator_labels: Vec<String>,
    /// The customer went to an agent: from then on the bot is silent.
    #[serde(default)]
    pub handed_off: bool,
}

/// What the customer did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input<'a> {
    /// The consultation opens with the bot: the welcome block.
    Start,
    /// A message (typed, or a message button's text).
    Text(&'a str),
    /// A button or quick reply naming a block.
    Block(&'a str),
    /// The operator button (the consultation plugin).
    Operator,
}

/// Why the customer went to an agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HandoffReason {
    /// They pressed an operator button (or its label on a channel without one).
    Operator,
    /// They reached a block that is the consultation plugin.
    Block {
        block_id: String,
        block_name: String,
    },
    /// The bot did not understand them this many times in a row and they took its offer.
    Fallbacks { in_row: u8 },
}

/// Where an answer came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    Block {
        block_id: String,
        block_name: String,
        /// How the utterance reached it: `start`, `keyword`, `example` (with its accuracy) or
        /// `button`.
        by: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        accuracy: Option<u8>,
    },
    Knowledge {
        entry_id: String,
        accuracy: u8,
        question: String,
    },
    Fallback {
        in_row: u8,
        /// The answer offers an agent.
        offered: bool,
    },
}

/// What the bot does.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Answers.
    Reply {
        response: SkillTemplate,
        source: Source,
    },
    /// Asks an outside skill server for the answer (Open Builder's request); if that fails
    /// the caller runs [`Brain::skill_failed`].
    CallSkill {
        block_id: String,
        block_name: String,
        url: String,
    },
    /// Hands the customer to an agent, saying `response` first when there is one.
    HandOff {
        reason: HandoffReason,
        response: Option<SkillTemplate>,
    },
    /// The bot has nothing to say (the customer is with an agent already).
    Silent,
}

/// An action and the memory to keep.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub action: Action,
    pub memory: Memory,
}

/// A bot ready to answer: its blocks and knowledge base with their indexes. Built once per
/// change of the bot, shared by every consultation.
#[derive(Debug)]
pub struct Brain {
    settings: BotSettings,
    blocks: Vec<Block>,
    by_id: HashMap<String, usize>,
    welcome: Option<usize>,
    fallback: Option<usize>,
    /// (normalised keyword, block)
    keywords: Vec<(String, usize)>,
    examples: Index,
    knowledge: Index,
    entries: HashMap<String, KnowledgeEntry>,
}

/// One candidate: the blocks' examples or the knowledge base, with its best match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    /// `block` or `knowledge`.
    pub kind: &'static str,
    pub id: String,
    /// The block's name or the entry's first question.
    pub name: String,
    pub question: String,
    pub accuracy: u8,
}

impl Brain {
    /// Builds the bot. Blocks and entries are taken as saved (each checked on save); disabled
    /// entries are left out.
    pub fn new(settings: BotSettings, blocks: Vec<Block>, entries: Vec<KnowledgeEntry>) -> Brain {
        let by_id: HashMap<String, usize> = blocks
            .iter()
            .enumerate()
            .map(|(i, b)| (b.id.clone(), i))
            .collect();
        let first = |kind: BlockKind| blocks.iter().position(|b| b.kind == kind);
        let welcome = first(BlockKind::Welcome);
        let fallback = first(BlockKind::Fallback);
        let mut keywords: Vec<(String, usize)> = blocks
            .iter()
            .enumerate()
            .flat_map(|(i, b)| {
                b.keywords
                    .iter()
                    .map(move |k| (squeeze(k), i))
                    .filter(|(k, _)| !k.is_empty())
            })
            .collect();
        // The longest keyword wins ("배송 조회" before "배송").
        keywords.sort_by_key(|k| std::cmp::Reverse(k.0.chars().count()));
        let examples = Index::build(
            blocks
                .iter()
                .filter(|b| b.kind == BlockKind::General && !b.utterances.is_empty())
                .map(|b| Entry {
                    id: b.id.clone(),
                    questions: b.utterances.clone(),
                })
                .collect(),
        );
        let entries: HashMap<String, KnowledgeEntry> = entries
            .into_iter()
            .filter(|e| e.enabled)
            .map(|e| (e.id.clone(), e))
            .collect();
        let knowledge = Index::build(
            entries
                .values()
                .map(|e| Entry {
                    id: e.id.clone(),
                    questions: e.questions.clone(),
                })
                .collect(),
        );
        Brain {
            settings,
            blocks,
            by_id,
            welcome,
            fallback,
            keywords,
            examples,
            knowledge,
            entries,
        }
    }

    pub fn settings(&self) -> &BotSettings {
        &self.settings
    }

    pub fn block(&self, id: &str) -> Option<&Block> {
        self.by_id.get(id).and_then(|&i| self.blocks.get(i))
    }

    /// What the bot does with `input`, remembering `memory`.
    pub fn step(&self, memory: &Memory, input: Input<'_>) -> Step {
        if memory.handed_off {
            return Step {
                action: Action::Silent,
                memory: memory.clone(),
            };
        }
        match input {
            Input::Start => match self.welcome {
                Some(i) => self.enter(memory, i, "start", None),
                None => self.fallback_step(memory),
            },
            Input::Operator => self.hand_off(memory, HandoffReason::Operator, None),
            Input::Block(id) => match self.by_id.get(id) {
                Some(&i) => self.enter(memory, i, "button", None),
                None => self.fallback_step(memory),
            },
            Input::Text(text) => self.understand(memory, text),
        }
    }

    /// A skill server failed (timed out, refused, answered garbage): the fallback answers.
    pub fn skill_failed(&self, memory: &Memory) -> Step {
        self.fallback_step(memory)
    }

    /// The skill server's answer was shown: the memory after it (operator buttons it has).
    pub fn answered(&self, memory: &Memory, response: &SkillTemplate) -> Memory {
        Memory {
            fallbacks_in_row: 0,
            operator_labels: operator_labels(response),
            handed_off: memory.handed_off,
        }
    }

    /// The three best candidates of each kind for an utterance, best first (the test console).
    pub fn candidates(&self, text: &str, top: usize) -> Vec<Candidate> {
        let mut out: Vec<Candidate> = Vec::new();
        for m in self.examples.top(text, top) {
            let name = self
                .block(&m.id)
                .map(|b| b.name.clone())
                .unwrap_or_default();
            out.push(Candidate {
                kind: "block",
                id: m.id,
                name,
                question: m.question,
                accuracy: m.accuracy,
            });
        }
        for m in self.knowledge.top(text, top) {
            let name = self
                .entries
                .get(&m.id)
                .and_then(|e| e.questions.first().cloned())
                .unwrap_or_default();
            out.push(Candidate {
                kind: "knowledge",
                id: m.id,
                name,
                question: m.question,
                accuracy: m.accuracy,
            });
        }
        out.sort_by_key(|c| std::cmp::Reverse(c.accuracy));
        out.truncate(top);
        out
    }

    fn understand(&self, memory: &Memory, text: &str) -> Step {
        let said = kb::normalize(text);
        if said.is_empty() {
            return self.fallback_step(memory);
        }
        if memory
            .operator_labels
            .iter()
            .any(|l| kb::normalize(l) == said)
        {
            let reason = if memory.fallbacks_in_row > 0 {
                HandoffReason::Fallbacks {
                    in_row: memory.fallbacks_in_row,
                }
            } else {
                HandoffReason::Operator
            };
            return self.hand_off(memory, reason, None);
        }
        let squeezed = squeeze(text);
        if let Some(&(_, i)) = self
            .keywords
            .iter()
            .find(|(k, _)| squeezed.contains(k.as_str()))
        {
            return self.enter(memory, i, "keyword", None);
        }
        let min = self.settings.min_accuracy;
        let block = self.examples.top(text, 1).into_iter().next();
        let entry = self.knowledge.top(text, 1).into_iter().next();
        let block_acc = block.as_ref().map_or(0, |m| m.accuracy);
        let entry_acc = entry.as_ref().map_or(0, |m| m.accuracy);
        if let Some(m) = block.filter(|m| m.accuracy >= min && m.accuracy >= entry_acc)
            && let Some(&i) = self.by_id.get(&m.id)
        {
            return self.enter(memory, i, "example", Some(m.accuracy));
        }
        if let Some(m) = entry.filter(|m| m.accuracy >= min && m.accuracy > block_acc)
            && let Some(e) = self.entries.get(&m.id)
        {
            return Step {
                action: Action::Reply {
                    response: e.answer.clone(),
                    source: Source::Knowledge {
                        entry_id: e.id.clone(),
                        accuracy: m.accuracy,
                        question: m.question,
                    },
                },
                memory: Memory {
                    fallbacks_in_row: 0,
                    operator_labels: operator_labels(&e.answer),
                    handed_off: false,
                },
            };
        }
        self.fallback_step(memory)
    }

    fn enter(&self, memory: &Memory, i: usize, by: &str, accuracy: Option<u8>) -> Step {
        let Some(b) = self.blocks.get(i) else {
            return self.fallback_step(memory);
        };
        if b.kind == BlockKind::Fallback {
            return self.fallback_step(memory);
        }
        if b.hand_off {
            let response = (!b.response.outputs.is_empty()).then(|| b.response.clone());
            return self.hand_off(
                memory,
                HandoffReason::Block {
                    block_id: b.id.clone(),
                    block_name: b.name.clone(),
                },
                response,
            );
        }
        let memory = Memory {
            fallbacks_in_row: 0,
            operator_labels: operator_labels(&b.response),
            handed_off: false,
        };
        if let Some(url) = &b.skill_url {
            return Step {
                action: Action::CallSkill {
                    block_id: b.id.clone(),
                    block_name: b.name.clone(),
                    url: url.clone(),
                },
                memory,
            };
        }
        Step {
            action: Action::Reply {
                response: b.response.clone(),
                source: Source::Block {
                    block_id: b.id.clone(),
                    block_name: b.name.clone(),
                    by: by.to_owned(),
                    accuracy,
                },
            },
            memory,
        }
    }

    fn hand_off(
        &self,
        memory: &Memory,
        reason: HandoffReason,
        response: Option<SkillTemplate>,
    ) -> Step {
        Step {
            action: Action::HandOff { reason, response },
            memory: Memory {
                handed_off: true,
                operator_labels: Vec::new(),
                fallbacks_in_row: memory.fallbacks_in_row,
            },
        }
    }

    fn fallback_step(&self, memory: &Memory) -> Step {
        let in_row = memory.fallbacks_in_row.saturating_add(1);
        let fallback = self.fallback.and_then(|i| self.blocks.get(i));
        if let Some(b) = fallback.filter(|b| b.hand_off) {
            let response = (!b.response.outputs.is_empty()).then(|| b.response.clone());
            return self.hand_off(
                &Memory {
                    fallbacks_in_row: in_row,
                    ..memory.clone()
                },
                HandoffReason::Fallbacks { in_row },
                response,
            );
        }
        let mut response = fallback
            .map(|b| b.response.clone())
            .unwrap_or_else(|| SkillTemplate {
                outputs: vec![protocol::kakao::Output::SimpleText(
                    protocol::kakao::SimpleText {
                        text: "죄송합니다. 이해하지 못했어요. 다른 말로 물어봐 주세요.".to_owned(),
                    },
                )],
                quick_replies: Vec::new(),
            });
        let mut labels = operator_labels(&response);
        let n = self.settings.fallbacks_before_offer;
        let offered = n > 0 && in_row >= n;
        if offered {
            let label = self.settings.handoff_label.clone();
            if response.quick_replies.len() >= protocol::kakao::limits::QUICK_REPLIES_MAX {
                response.quick_replies.pop();
            }
            response
                .quick_replies
                .push(QuickReply::message(label.clone(), label.clone()));
            labels.push(label);
        }
        Step {
            action: Action::Reply {
                response,
                source: Source::Fallback { in_row, offered },
            },
            memory: Memory {
                fallbacks_in_row: in_row,
                operator_labels: labels,
                handed_off: false,
            },
        }
    }
}

/// A text as keywords are compared: normalised, without spaces ("배송 조회" has "배송조회").
fn squeeze(text: &str) -> String {
    kb::normalize(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The labels of a response's operator buttons.
fn operator_labels(t: &SkillTemplate) -> Vec<String> {
    let mut out = Vec::new();
    crate::summary::for_each_button(t, &mut |_, b| {
        if matches!(b.action, ButtonAction::Operator) {
            out.push(b.label.clone());
        }
    });
    out
}
