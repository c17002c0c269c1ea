// The chatbot page's knowledge base: the entries' table with a search (GET /api/v1/bot/knowledge),
// the add/edit dialog (POST, PUT /api/v1/bot/knowledge[/{id}]), deleting, switching an entry on
// or off, and importing a CSV or xlsx file (POST /api/v1/bot/knowledge/import?format=…, the file
// as the body). A refused import lists each refused row by its number in the file.

import { api, ApiError } from './lib/api.js';
import { $, clearFieldErrors, fieldError, h, setStatus } from './lib/dom.js';
import { has, t } from './lib/i18n.js';
import { problemLine, problemText } from './bot-response.js';

/** The answer's one text, when it is a single simpleText with nothing else. */
function plainText(answer) {
  const outputs = answer?.outputs ?? [];
  if (outputs.length === 1 && outputs[0]?.simpleText && !(answer.quickReplies ?? []).length) {
    return outputs[0].simpleText.text ?? '';
  }
  return null;
}

/** The answer in a line: its texts, each card by its kind and title. */
function summary(answer) {
  return (answer?.outputs ?? []).map((o) => {
    const [type, body] = Object.entries(o ?? {})[0] ?? [];
    if (type === 'simpleText') return body?.text ?? '';
    const kind = has(`bot-type-${type}`) ? t(`bot-type-${type}`) : type;
    const title = body?.title ?? body?.header?.title ?? body?.altText ?? '';
    return title ? `[${kind}] ${title}` : `[${kind}]`;
  }).join(' / ');
}

/**
 * The knowledge-base section. `failed(el, e)` writes a failure; `preview(box, template)` draws
 * an answer; `config` holds the page's limits.
 */
export function knowledgeBase({ failed, preview, config }) {
  let entries = [];
  /** The entry in the dialog (null: a new one). */
  let editing = null;

  const rows = $('kb-rows');
  const search = $('kb-search');
  const status = $('kb-status');
  const dialog = $('entry-dialog');
  const form = $('entry-form');

  function matches(e, words) {
    if (!words.length) return true;
    const hay = [e.category, ...e.questions, summary(e.answer)].join('\n').toLowerCase();
    return words.every((w) => hay.includes(w));
  }

  function draw() {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    const shown = entries.filter((e) => matches(e, words));
    $('kb-count').textContent = t('bot-kb-count', { shown: shown.length, total: entries.length });
    if (!shown.length) {
      rows.replaceChildren(h('tr', {}, h('td', { colspan: 5, class: 'muted' },
        t(entries.length ? 'bot-kb-no-match' : 'bot-kb-empty'))));
      return;
    }
    rows.replaceChildren(...shown.map((e) => {
      const question = e.questions[0] ?? '';
      const more = e.questions.length - 1;
      const toggle = h('input', {
        type: 'checkbox', role: 'switch', checked: e.enabled,
        'aria-label': t('bot-kb-enabled-label', { question }),
      });
      toggle.addEventListener('change', () => save(e, { ...body(e), enabled: toggle.checked }, toggle));
      return h('tr', { class: e.enabled ? '' : 'off', dataset: { id: e.id } },
        h('td', { class: 'kb-category' }, e.category || '—'),
        h('td', { class: 'kb-question' }, question,
          more > 0 ? h('span', { class: 'muted' }, ` ${t('bot-kb-more-questions', { count: more })}`) : null),
        h('td', { class: 'kb-answer' }, h('span', { class: 'clamp' }, summary(e.answer))),
        h('td', { class: 'kb-enabled' }, h('span', { class: 'switch-row compact' }, toggle,
          h('span', { class: e.enabled ? 'on' : 'muted' }, t(e.enabled ? 'bot-kb-on' : 'bot-kb-off')))),
        h('td', { class: 'kb-actions' },
          h('button', {
            type: 'button', class: 'secondary small', 'aria-label': t('bot-kb-edit-label', { question }),
            onclick: () => open(e),
          }, t('bot-kb-edit')),
          ' ',
          h('button', {
            type: 'button', class: 'danger small', 'aria-label': t('bot-kb-delete-label', { question }),
            onclick: () => remove(e),
          }, t('bot-kb-delete'))));
    }));
  }

  search.addEventListener('input', draw);

  /** What the API takes for entry `e` as it is. */
  function body(e) {
    return { category: e.category, enabled: e.enabled, questions: e.questions, answer: e.answer };
  }

  /** Saves a change made in the table (switching an entry on or off). */
  async function save(e, next, control) {
    setStatus(status, t('bot-status-saving'));
    control.disabled = true;
    try {
      const saved = await api(`/api/v1/bot/knowledge/${e.id}`, { method: 'PUT', body: next });
      entries = entries.map((x) => (x.id === saved.id ? saved : x));
      draw();
      setStatus(status, t('bot-status-saved'), 'ok');
    } catch (err) {
      control.checked = e.enabled;
      control.disabled = false;
      failed(status, err);
    }
  }

  async function remove(e) {
    const question = e.questions[0] ?? '';
    if (!window.confirm(t('bot-kb-delete-confirm', { question }))) return;
    setStatus(status, t('bot-status-saving'));
    try {
      await api(`/api/v1/bot/knowledge/${e.id}`, { method: 'DELETE' });
      entries = entries.filter((x) => x.id !== e.id);
      draw();
      setStatus(status, t('bot-kb-deleted', { question }), 'ok');
      search.focus();
    } catch (err) {
      failed(status, err);
    }
  }

  // --- The dialog ---------------------------------------------------------------------------

  const answer = $('entry-answer');
  const kind = () => form.querySelector('input[name="answer-kind"]:checked')?.value ?? 'text';

  /** The answer the dialog holds: a text, a template, or null when the JSON is no template. */
  function answerValue() {
    if (kind() === 'text') return answer.value;
    try {
      const v = JSON.parse(answer.value);
      return v && typeof v === 'object' && Array.isArray(v.outputs) ? v : null;
    } catch {
      return null;
    }
  }

  function drawPreview() {
    const v = answerValue();
    const template = typeof v === 'string' ? { outputs: v.trim() ? [{ simpleText: { text: v } }] : [] } : v;
    preview($('entry-preview'), template, null);
  }

  answer.addEventListener('input', drawPreview);
  for (const radio of form.querySelectorAll('input[name="answer-kind"]')) {
    radio.addEventListener('change', () => {
      // Text → JSON keeps the text as a template; JSON → text keeps a template's one text.
      if (kind() === 'json') {
        const text = answer.value;
        answer.value = JSON.stringify({ outputs: [{ simpleText: { text } }] }, null, 2);
      } else {
        let text = '';
        try { text = plainText(JSON.parse(answer.value)) ?? answer.value; } catch { text = answer.value; }
        answer.value = text;
      }
      answer.classList.toggle('json', kind() === 'json');
      drawPreview();
    });
  }

  function open(entry) {
    editing = entry;
    clearFieldErrors(form);
    setStatus($('entry-status'), '');
    $('entry-title').textContent = t(entry ? 'bot-entry-edit-title' : 'bot-entry-add-title');
    $('entry-category').value = entry?.category ?? '';
    $('entry-questions').value = (entry?.questions ?? []).join('\n');
    $('entry-enabled').checked = entry?.enabled ?? true;
    const text = entry ? plainText(entry.answer) : '';
    form.querySelector(`input[name="answer-kind"][value="${text === null ? 'json' : 'text'}"]`).checked = true;
    answer.value = text ?? JSON.stringify(entry.answer, null, 2);
    answer.classList.toggle('json', text === null);
    drawPreview();
    dialog.showModal();
    $(entry ? 'entry-questions' : 'entry-category').focus();
  }

  $('kb-add').addEventListener('click', () => open(null));
  $('entry-cancel').addEventListener('click', () => dialog.close());

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFieldErrors(form);
    const el = $('entry-status');
    const value = answerValue();
    if (value === null) {
      fieldError(form, 'answer', t('bot-json-not-template'))?.focus();
      setStatus(el, t('bot-status-refused'), 'bad');
      return;
    }
    const next = {
      category: $('entry-category').value.trim(),
      enabled: $('entry-enabled').checked,
      questions: $('entry-questions').value.split('\n').map((s) => s.trim()).filter(Boolean),
      answer: value,
    };
    setStatus(el, t('bot-status-saving'));
    try {
      const saved = editing
        ? await api(`/api/v1/bot/knowledge/${editing.id}`, { method: 'PUT', body: next })
        : await api('/api/v1/bot/knowledge', { method: 'POST', body: next });
      if (editing) entries = entries.map((x) => (x.id === saved.id ? saved : x));
      else entries.push(saved);
      dialog.close();
      draw();
      setStatus(status, t('bot-status-saved'), 'ok');
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      const errors = e.status === 422 ? e.details?.errors ?? [] : [];
      if (errors.length) {
        const byField = new Map();
        for (const entry of errors) {
          const field = String(entry.field).split(/[.[]/)[0];
          const plain = entry.field === field || (kind() === 'text' && field === 'answer');
          const words = plain ? problemText(entry.message) : problemLine(entry);
          byField.set(field, [...(byField.get(field) ?? []), words]);
        }
        const shown = [...byField].map(([field, words]) => fieldError(form, field, words.join(' ')));
        shown.find(Boolean)?.focus();
        setStatus(el, t('bot-status-refused'), 'bad');
      } else if (e.status === 400 && /answer is not/.test(e.message)) {
        fieldError(form, 'answer', t('bot-err-not-template', { reason: e.message }))?.focus();
        setStatus(el, t('bot-status-refused'), 'bad');
      } else if (e.status === 409) {
        setStatus(el, t('bot-kb-too-many'), 'bad');
      } else {
        failed(el, e);
      }
    }
  });

  // --- Import -------------------------------------------------------------------------------

  const importStatus = $('import-status');
  const problems = $('import-problems');

  $('import-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    problems.hidden = true;
    problems.replaceChildren();
    const file = $('import-file').files?.[0];
    if (!file) {
      setStatus(importStatus, t('bot-import-no-file'), 'bad');
      $('import-file').focus();
      return;
    }
    const format = file.name.toLowerCase().match(/\.(csv|xlsx)$/)?.[1];
    if (!format) {
      setStatus(importStatus, t('bot-import-format'), 'bad');
      return;
    }
    if (file.size > config.import_max_bytes) {
      setStatus(importStatus, t('bot-import-too-large'), 'bad');
      return;
    }
    const replace = $('import-replace').checked;
    if (replace && !window.confirm(t('bot-import-replace-confirm', { count: entries.length }))) return;
    setStatus(importStatus, t('bot-import-running'));
    $('import-submit').disabled = true;
    try {
      const query = `format=${format}${replace ? '&replace=true' : ''}`;
      const done = await api(`/api/v1/bot/knowledge/import?${query}`, { method: 'POST', file });
      setStatus(importStatus, t('bot-import-done', { count: done.imported }), 'ok');
      $('import-file').value = '';
      $('import-replace').checked = false;
      await load();
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      const errors = e.status === 422 ? e.details?.errors ?? [] : [];
      if (errors.length) {
        problems.replaceChildren(...errors.map((x) => h('li', {}, problemLine(x))));
        problems.hidden = false;
        setStatus(importStatus, t('bot-import-refused', { count: errors.length }), 'bad');
      } else if (e.status === 413) {
        setStatus(importStatus, t('bot-import-too-large'), 'bad');
      } else if (e.status === 409) {
        setStatus(importStatus, t('bot-kb-too-many'), 'bad');
      } else {
        failed(importStatus, e, 'bot-import-failed');
      }
    } finally {
      $('import-submit').disabled = false;
    }
  });

  async function load() {
    try {
      entries = (await api('/api/v1/bot/knowledge')).entries;
      draw();
    } catch (e) {
      failed(status, e, 'bot-status-load-failed');
    }
  }

  return { load };
}
