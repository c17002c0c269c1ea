// The chatbot page (/admin/bot): reads the bot (GET /api/v1/bot), saves its settings
// (PUT /api/v1/bot/settings), lists and edits its blocks (POST /api/v1/bot/blocks,
// PUT/DELETE /api/v1/bot/blocks/{id}) with a preview drawn as the chat window draws it, and runs
// the test console (POST /api/v1/bot/test). The knowledge base is bot-knowledge.js's; a block's
// answer editor is bot-response.js's.

import { api, ApiError } from './lib/api.js';
import { $, clearFieldErrors, fieldError, h, setStatus } from './lib/dom.js';
import { t } from './lib/i18n.js';
import { renderTemplate } from './lib/bot-render.js';
import { problemText, readablePath, responseEditor } from './bot-response.js';
import { knowledgeBase } from './bot-knowledge.js';

const config = JSON.parse($('bot-config').textContent);

/** The bot as last read or saved (BotView). */
let bot = null;
/** The id of the block in the editor (null: a new block). */
let editing = null;
/** The block form holds changes not saved. */
let dirty = false;

const KIND_ORDER = { welcome: 0, fallback: 1, general: 2 };

/** A status line for a failure that is not a refusal of fields. */
export function failed(el, e, key = 'bot-status-failed') {
  if (!(e instanceof ApiError)) throw e;
  if (e.status === 401) setStatus(el, t('bot-status-login-again'), 'bad');
  else if (e.status === 403) setStatus(el, t('bot-status-not-allowed'), 'bad');
  else setStatus(el, t(key, { reason: e.message }), 'bad');
}

/** A block's name for people (its kind when it has none). */
function blockName(id) {
  const b = bot?.blocks.find((x) => String(x.id) === String(id));
  return b ? b.name : String(id);
}

/** What a tap in a preview would do, said under the preview. */
function tapNote(el) {
  return (tap) => {
    const label = tap.label || tap.title || '';
    let words;
    if (tap.action === 'block') words = t('bot-preview-tap-block', { label, block: blockName(tap.blockId) });
    else if (tap.action === 'operator') words = t('bot-preview-tap-operator', { label });
    else words = t('bot-preview-tap-message', { label, text: tap.messageText ?? label });
    el.textContent = words;
  };
}

/** Draws `template` into `box` as the chat window would (or says why there is nothing). */
export function preview(box, template, note, empty = 'bot-preview-empty') {
  if (!template || !Array.isArray(template.outputs) || (template.outputs.length === 0 && !template.quickReplies?.length)) {
    box.replaceChildren(h('p', { class: 'preview-empty' }, t(empty)));
    return;
  }
  box.replaceChildren(renderTemplate(template, { onTap: note ? tapNote(note) : undefined }));
}

// --- Settings ----------------------------------------------------------------------------------

const settingsForm = $('settings-form');
const settingsStatus = $('settings-status');

function drawSettings() {
  const s = bot.settings;
  $('bot-enabled').checked = s.enabled;
  $('bot-first').checked = s.bot_first;
  $('min-accuracy').value = s.min_accuracy;
  $('fallbacks').value = s.fallbacks_before_offer;
  $('handoff-label').value = s.handoff_label;
  $('min-accuracy-help').textContent = t('bot-min-accuracy-help', { default: bot.default_min_accuracy });
  $('min-accuracy-default').textContent = t('bot-min-accuracy-reset', { default: bot.default_min_accuracy });
  $('bot-note').textContent = s.enabled ? '' : t('bot-note-off');
}

$('min-accuracy-default').addEventListener('click', () => {
  $('min-accuracy').value = bot?.default_min_accuracy ?? '';
  $('min-accuracy').focus();
});

/** A whole number from `min` to `max` in `input`, or null. */
function whole(input, min, max) {
  const raw = input.value.trim();
  if (!/^\d+$/.test(raw)) return null;
  const n = Number(raw);
  return n >= min && n <= max ? n : null;
}

settingsForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(settingsForm);
  const minAccuracy = whole($('min-accuracy'), 0, 100);
  const fallbacks = whole($('fallbacks'), 0, Number($('fallbacks').max));
  const refused = [];
  if (minAccuracy === null) refused.push(fieldError(settingsForm, 'min_accuracy', t('bot-err-accuracy')));
  if (fallbacks === null) refused.push(fieldError(settingsForm, 'fallbacks_before_offer', t('bot-err-fallbacks', { max: $('fallbacks').max })));
  if (!$('handoff-label').value.trim()) refused.push(fieldError(settingsForm, 'handoff_label', t('bot-err-required')));
  if (refused.length) {
    refused.find(Boolean)?.focus();
    setStatus(settingsStatus, t('bot-status-refused'), 'bad');
    return;
  }
  const body = {
    enabled: $('bot-enabled').checked,
    bot_first: $('bot-first').checked,
    min_accuracy: minAccuracy,
    fallbacks_before_offer: fallbacks,
    handoff_label: $('handoff-label').value.trim(),
  };
  setStatus(settingsStatus, t('bot-status-saving'));
  try {
    bot = await api('/api/v1/bot/settings', { method: 'PUT', body });
    drawSettings();
    setStatus(settingsStatus, t('bot-status-saved'), 'ok');
  } catch (e) {
    const errors = e instanceof ApiError && e.status === 422 ? e.details?.errors ?? [] : [];
    if (!errors.length) {
      failed(settingsStatus, e);
      return;
    }
    const shown = errors.map((entry) => fieldError(settingsForm, entry.field, problemText(entry.message)));
    shown.find(Boolean)?.focus();
    setStatus(settingsStatus, t('bot-status-refused'), 'bad');
  }
});

// --- Blocks ------------------------------------------------------------------------------------

const blockForm = $('block-form');
const blockStatus = $('block-status');

const editor = responseEditor({
  formTab: $('tab-form'),
  jsonTab: $('tab-json'),
  formPanel: $('panel-form'),
  jsonPanel: $('panel-json'),
  formEditor: $('form-editor'),
  unsupported: $('form-unsupported'),
  outputs: $('outputs'),
  quickReplies: $('quick-replies'),
  outputAdd: $('output-add'),
  quickAdd: $('quick-add'),
  json: $('response-json'),
  jsonError: $('response-json-error'),
  problems: $('response-problems'),
  problemList: $('response-problem-list'),
}, {
  limits: config,
  blocks: () => (bot?.blocks ?? []).filter((b) => b.id !== editing).map((b) => ({ id: b.id, name: b.name })),
  onChange: (template) => {
    dirty = true;
    preview($('block-preview'), template, $('preview-tap'), $('block-skill-url').value.trim() ? 'bot-preview-skill' : 'bot-preview-empty');
  },
});

blockForm.addEventListener('input', () => { dirty = true; });
blockForm.addEventListener('change', () => { dirty = true; });
$('block-skill-url').addEventListener('input', () => {
  preview($('block-preview'), editor.get(), $('preview-tap'), $('block-skill-url').value.trim() ? 'bot-preview-skill' : 'bot-preview-empty');
});

function sortedBlocks() {
  return [...bot.blocks].sort((a, b) => (KIND_ORDER[a.kind] - KIND_ORDER[b.kind]) || (a.id - b.id));
}

function drawBlockList() {
  $('block-list').replaceChildren(...sortedBlocks().map((b) => {
    const current = b.id === editing;
    return h('li', {},
      h('button', {
        type: 'button', class: 'block-pick', 'aria-current': current ? 'true' : null, dataset: { id: b.id },
        onclick: () => { if (mayLeave()) openBlock(b); },
      },
      h('span', { class: 'block-pick-name' }, b.name),
      h('span', { class: `badge kind-${b.kind}` }, t(`bot-kind-${b.kind}`)),
      b.hand_off ? h('span', { class: 'badge hand-off' }, t('bot-badge-hand-off')) : null,
      b.skill_url ? h('span', { class: 'badge skill' }, t('bot-badge-skill')) : null,
      b.event ? h('span', { class: 'badge event' }, t('bot-badge-event', { name: b.event })) : null));
  }));
  $('block-new').disabled = bot.blocks.length >= config.blocks_max;
}

function mayLeave() {
  return !dirty || window.confirm(t('bot-block-discard-confirm'));
}

/** Puts `block` (or a new block, for null) in the editor. */
function openBlock(block) {
  editing = block ? block.id : null;
  clearFieldErrors(blockForm);
  editor.clearProblems();
  setStatus(blockStatus, '');
  $('preview-tap').textContent = '';
  $('block-editor-title').textContent = block ? t('bot-block-edit-title', { name: block.name }) : t('bot-block-new-title');
  $('block-kind-help').textContent = t(`bot-block-kind-help-${block ? block.kind : 'general'}`);
  $('block-name').value = block?.name ?? '';
  $('block-utterances').value = (block?.utterances ?? []).join('\n');
  $('block-keywords').value = (block?.keywords ?? []).join(', ');
  $('block-skill-url').value = block?.skill_url ?? '';
  $('block-hand-off').checked = block?.hand_off ?? false;
  $('block-event').value = block?.event ?? '';
  $('block-plugin').value = block?.plugin ?? '';
  $('block-delete').hidden = !block || block.kind !== 'general';
  editor.set(block?.response ?? { outputs: [{ simpleText: { text: '' } }] });
  dirty = false;
  drawBlockList();
}

$('block-new').addEventListener('click', () => {
  if (!mayLeave()) return;
  openBlock(null);
  $('block-name').focus();
});

const lines = (text) => text.split('\n').map((s) => s.trim()).filter(Boolean);

/** Where a refusal of `field` is shown: the form's field of its first segment. */
function blockField(field) {
  return String(field).split(/[.[]/)[0];
}

blockForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(blockForm);
  editor.clearProblems();
  const response = editor.get();
  if (response === null) {
    $('response-json-error').textContent ||= t('bot-json-not-template');
    $('response-json').focus();
    setStatus(blockStatus, t('bot-status-refused'), 'bad');
    return;
  }
  const body = {
    name: $('block-name').value.trim(),
    utterances: lines($('block-utterances').value),
    keywords: $('block-keywords').value.split(/[,\n]/).map((s) => s.trim()).filter(Boolean),
    response,
    skill_url: $('block-skill-url').value.trim() || null,
    hand_off: $('block-hand-off').checked,
    event: $('block-event').value.trim() || null,
    plugin: $('block-plugin').value || null,
  };
  setStatus(blockStatus, t('bot-status-saving'));
  try {
    const saved = editing === null
      ? await api('/api/v1/bot/blocks', { method: 'POST', body })
      : await api(`/api/v1/bot/blocks/${editing}`, { method: 'PUT', body });
    const at = bot.blocks.findIndex((b) => b.id === saved.id);
    if (at >= 0) bot.blocks[at] = saved;
    else bot.blocks.push(saved);
    openBlock(saved);
    setStatus(blockStatus, t('bot-status-saved'), 'ok');
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    const errors = e.status === 422 ? e.details?.errors ?? [] : [];
    if (errors.length) {
      const shown = [];
      const answer = errors.filter((x) => blockField(x.field) === 'response');
      for (const entry of errors.filter((x) => blockField(x.field) !== 'response')) {
        const indexed = entry.field !== blockField(entry.field);
        const words = indexed ? `${readablePath(entry.field)}: ${problemText(entry.message)}` : problemText(entry.message);
        const slot = blockForm.querySelector(`[data-error-for="${CSS.escape(blockField(entry.field))}"]`);
        if (slot?.textContent) slot.textContent += ` ${words}`;
        else shown.push(fieldError(blockForm, blockField(entry.field), words));
      }
      if (answer.length) shown.push(editor.showProblems(answer));
      shown.find(Boolean)?.focus();
      setStatus(blockStatus, t('bot-status-refused'), 'bad');
    } else if (e.status === 400 && /skill template/.test(e.message)) {
      editor.showError(t('bot-err-not-template', { reason: e.message }));
      setStatus(blockStatus, t('bot-status-refused'), 'bad');
    } else if (e.status === 409) {
      setStatus(blockStatus, t('bot-block-too-many'), 'bad');
    } else {
      failed(blockStatus, e);
    }
  }
});

/** The names of the other blocks whose buttons or quick replies lead to block `id`. */
function leadingTo(id) {
  const target = String(id);
  const names = [];
  for (const b of bot.blocks) {
    if (b.id === id) continue;
    const json = JSON.stringify(b.response ?? {});
    if (json.includes(`"blockId":${JSON.stringify(target)}`)) names.push(b.name);
  }
  return names;
}

$('block-delete').addEventListener('click', async () => {
  const block = bot.blocks.find((b) => b.id === editing);
  if (!block) return;
  const linked = leadingTo(block.id);
  if (linked.length) {
    setStatus(blockStatus, t('bot-block-delete-linked', { names: linked.map((n) => `‘${n}’`).join(', ') }), 'bad');
    return;
  }
  if (!window.confirm(t('bot-block-delete-confirm', { name: block.name }))) return;
  setStatus(blockStatus, t('bot-status-saving'));
  try {
    await api(`/api/v1/bot/blocks/${block.id}`, { method: 'DELETE' });
    bot.blocks = bot.blocks.filter((b) => b.id !== block.id);
    dirty = false;
    openBlock(sortedBlocks()[0] ?? null);
    setStatus(blockStatus, t('bot-block-deleted', { name: block.name }), 'ok');
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (e.status === 409) {
      const names = e.message.match(/^buttons of (.+) lead to this block/)?.[1];
      setStatus(blockStatus, names
        ? t('bot-block-delete-linked', { names })
        : t('bot-block-delete-kept'), 'bad');
    } else {
      failed(blockStatus, e);
    }
  }
});

// --- Test console ------------------------------------------------------------------------------

const testForm = $('test-form');

/** Whether candidate `c` is where the outcome's answer came from. */
function answering(c, outcome) {
  const source = outcome?.source ?? outcome?.reason ?? {};
  if (c.kind === 'knowledge') return source.kind === 'knowledge' && String(source.entry_id) === String(c.id);
  const block = source.block_id ?? outcome?.block_id;
  return source.kind !== 'knowledge' && block !== undefined && String(block) === String(c.id)
    && (source.by === undefined || source.by === 'example' || source.by === 'keyword');
}

function accuracyBar(accuracy, min) {
  const bar = h('span', { class: 'bar', 'aria-hidden': 'true' }, h('span', { class: 'bar-fill' }), h('span', { class: 'bar-min' }));
  bar.firstChild.style.width = `${Math.max(0, Math.min(100, accuracy))}%`;
  bar.lastChild.style.left = `${min}%`;
  if (accuracy < min) bar.classList.add('below');
  return h('span', { class: 'accuracy' }, bar, h('span', { class: 'accuracy-value' }, t('bot-test-accuracy', { accuracy })));
}

function outcomeWords(o) {
  const s = o.source ?? {};
  switch (o.kind) {
    case 'reply':
      if (s.kind === 'knowledge') return t('bot-test-source-knowledge', { question: s.question, accuracy: s.accuracy });
      if (s.kind === 'fallback') return s.offered ? t('bot-test-source-fallback-offer', { count: s.in_row }) : t('bot-test-source-fallback', { count: s.in_row });
      return t('bot-test-source-block', { name: s.block_name, by: t(`bot-test-by-${['start', 'keyword', 'example', 'button'].includes(s.by) ? s.by : 'example'}`) });
    case 'skill':
      return t('bot-test-skill', { name: o.block_name, url: o.url });
    case 'hand_off': {
      const r = o.reason ?? {};
      if (r.kind === 'block') return t('bot-test-handoff-block', { name: r.block_name });
      if (r.kind === 'fallbacks') return t('bot-test-handoff-fallbacks', { count: r.in_row });
      return t('bot-test-handoff-operator');
    }
    default:
      return t('bot-test-silent');
  }
}

function drawTest(result) {
  const min = bot?.settings.min_accuracy ?? 0;
  const outcome = result.outcome ?? {};
  const parts = [];
  if (bot && !bot.settings.enabled) parts.push(h('p', { class: 'notice' }, t('bot-test-bot-off')));
  parts.push(h('h3', {}, t('bot-test-candidates')));
  parts.push(h('p', { class: 'hint' }, t('bot-test-min', { min })));
  if (!result.candidates.length) {
    parts.push(h('p', { class: 'muted' }, t('bot-test-no-candidates')));
  } else {
    parts.push(h('div', { class: 'table-scroll' }, h('table', { class: 'candidates', id: 'test-candidates' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('bot-test-col-rank')),
        h('th', { scope: 'col' }, t('bot-test-col-kind')),
        h('th', { scope: 'col' }, t('bot-test-col-name')),
        h('th', { scope: 'col' }, t('bot-test-col-question')),
        h('th', { scope: 'col' }, t('bot-test-col-accuracy')),
        h('th', { scope: 'col' }, t('bot-test-col-verdict')))),
      h('tbody', {}, result.candidates.map((c, i) => {
        const answers = answering(c, outcome);
        const verdict = answers ? 'answers' : c.accuracy >= min ? 'above' : 'below';
        return h('tr', { class: `verdict-${verdict}`, dataset: { kind: c.kind, id: c.id } },
          h('td', {}, String(i + 1)),
          h('td', {}, t(`bot-test-kind-${c.kind === 'block' ? 'block' : 'knowledge'}`)),
          h('td', {}, c.name),
          h('td', {}, c.question),
          h('td', {}, accuracyBar(c.accuracy, min)),
          h('td', { class: 'verdict' }, t(`bot-test-verdict-${verdict}`)));
      })))));
  }
  parts.push(h('h3', {}, t('bot-test-outcome')));
  const kind = ['reply', 'skill', 'hand_off'].includes(outcome.kind) ? outcome.kind : 'silent';
  parts.push(h('p', { class: `outcome outcome-${kind}`, id: 'test-outcome' },
    h('strong', {}, t(`bot-test-outcome-${kind}`)), ' · ', outcomeWords(outcome)));
  const reply = kind === 'reply' ? outcome.response : kind === 'hand_off' ? outcome.response : null;
  if (reply) {
    const box = h('div', { class: 'preview-bubble', id: 'test-preview' });
    const note = h('p', { class: 'hint', role: 'status' });
    preview(box, reply, note);
    parts.push(h('div', { class: 'chat-sample' }, box), note);
  }
  $('test-result').replaceChildren(...parts);
}

testForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(testForm);
  const utterance = $('test-utterance').value.trim();
  if (!utterance) {
    fieldError(testForm, 'utterance', t('bot-test-empty'))?.focus();
    return;
  }
  $('test-submit').disabled = true;
  try {
    drawTest(await api('/api/v1/bot/test', { method: 'POST', body: { utterance } }));
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    const slot = testForm.querySelector('[data-error-for="utterance"]');
    failed(slot, e, 'bot-test-failed');
  } finally {
    $('test-submit').disabled = false;
  }
});

// --- Start -------------------------------------------------------------------------------------

const kb = knowledgeBase({ failed, preview, config });

window.addEventListener('beforeunload', (ev) => {
  if (dirty) ev.preventDefault();
});

async function load() {
  setStatus($('bot-note'), t('bot-status-loading'));
  try {
    bot = await api('/api/v1/bot');
    setStatus($('bot-note'), '');
    drawSettings();
    openBlock(sortedBlocks()[0] ?? null);
    await kb.load();
  } catch (e) {
    failed($('bot-note'), e, 'bot-status-load-failed');
  }
}

load();
