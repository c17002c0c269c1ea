// The chatbot page's answer editor and the words of the server's refusals.
//
// A block's answer is an Open Builder skill template. The structured editor covers the common
// cases (text, image, basic card with buttons, list card, quick replies); the JSON tab edits the
// raw template for anything else. A template the structured editor cannot hold without losing a
// part (a carousel, a text card, a thumbnail link, …) is edited as JSON only.
//
// Refusals name their place by a path (`response.outputs[0].basicCard.title`, `rows[3].questions`)
// and say what is wrong in a sentence: readablePath() and problemText() put both in the page's
// words ("출력 1 · 기본 카드 · 제목", "51자입니다. 최대 50자까지 쓸 수 있습니다.").

import { h } from './lib/dom.js';
import { has, t } from './lib/i18n.js';

// --- The words of a refusal --------------------------------------------------------------------

/** A refusal's path in words: `response.outputs[0].simpleText.text` → "출력 1 · 텍스트 · 본문". */
export function readablePath(path) {
  const segments = String(path ?? '').split('.').filter(Boolean);
  if (segments.length > 1 && ['response', 'answer'].includes(segments[0])) segments.shift();
  const words = segments.map((seg) => {
    const m = seg.match(/^([A-Za-z_]+)(?:\[(\d+)\])?$/);
    if (!m) return seg;
    const [, name, index] = m;
    if (name === 'rows' && index !== undefined) return t('bot-path-rows', { n: index });
    let word = name;
    if (has(`bot-type-${name}`)) word = t(`bot-type-${name}`);
    else if (has(`bot-path-${name}`)) word = t(`bot-path-${name}`);
    return index === undefined ? word : `${word} ${Number(index) + 1}`;
  });
  return words.join(' · ');
}

/** The server's sentence about a problem, in the page's words when it is one the page knows. */
export function problemText(message) {
  const m = String(message ?? '');
  let x;
  if ((x = m.match(/is (\d+) characters; at most (\d+)/))) return t('bot-err-too-long', { count: x[1], max: x[2] });
  if ((x = m.match(/has (\d+) entries; at most (\d+)/))) return t('bot-err-too-many', { count: x[1], max: x[2] });
  if ((x = m.match(/has (\d+) entries; at least (\d+)/))) return t('bot-err-too-few', { min: x[2] });
  if ((x = m.match(/names block "(.*)", which does not exist/))) return t('bot-err-unknown-block', { id: x[1] });
  if (/needs at least one question/.test(m)) return t('bot-err-no-question');
  if (/is an accuracy from 0 to 100/.test(m)) return t('bot-err-accuracy');
  if ((x = m.match(/is at most (\d+) \(0: never offer\)/))) return t('bot-err-fallbacks', { max: x[1] });
  if (/http\(s\)/.test(m)) return t('bot-err-url');
  if (/is required$/.test(m)) return t('bot-err-required');
  return m;
}

/** "path: problem" for a list of refusals. */
export function problemLine(entry) {
  const where = readablePath(entry?.field);
  const what = problemText(entry?.message);
  return where ? `${where}: ${what}` : what;
}

// --- Templates ---------------------------------------------------------------------------------

const ACTIONS = ['webLink', 'message', 'phone', 'block', 'operator'];
const VALUE_OF = { webLink: 'webLinkUrl', message: 'messageText', phone: 'phoneNumber', block: 'blockId' };
const TYPES = ['simpleText', 'simpleImage', 'basicCard', 'listCard'];

/** JSON with keys in a fixed order (to compare two templates). */
function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

const text = (v) => (typeof v === 'string' ? v : '');

function buttonToForm(b) {
  const action = ACTIONS.includes(b?.action) ? b.action : 'message';
  return { label: text(b?.label), action, value: VALUE_OF[action] ? text(b[VALUE_OF[action]]) : '' };
}

function buttonFromForm(b) {
  const out = { label: b.label, action: b.action };
  if (VALUE_OF[b.action]) out[VALUE_OF[b.action]] = b.value;
  return out;
}

function outputToForm(o) {
  if (o?.simpleText) return { type: 'simpleText', text: text(o.simpleText.text) };
  if (o?.simpleImage) return { type: 'simpleImage', imageUrl: text(o.simpleImage.imageUrl), altText: text(o.simpleImage.altText) };
  if (o?.basicCard) {
    const c = o.basicCard;
    return {
      type: 'basicCard', title: text(c.title), description: text(c.description),
      imageUrl: text(c.thumbnail?.imageUrl), buttons: (c.buttons ?? []).map(buttonToForm),
    };
  }
  if (o?.listCard) {
    const c = o.listCard;
    return {
      type: 'listCard', header: text(c.header?.title),
      items: (c.items ?? []).map((it) => ({ title: text(it?.title), description: text(it?.description) })),
      buttons: (c.buttons ?? []).map(buttonToForm),
    };
  }
  return null;
}

function outputFromForm(o) {
  const withButtons = (card, buttons) => {
    if (buttons.length) card.buttons = buttons.map(buttonFromForm);
    return card;
  };
  switch (o.type) {
    case 'simpleText': return { simpleText: { text: o.text } };
    case 'simpleImage': return { simpleImage: { imageUrl: o.imageUrl, altText: o.altText } };
    case 'basicCard': {
      const card = {};
      if (o.title) card.title = o.title;
      if (o.description) card.description = o.description;
      card.thumbnail = { imageUrl: o.imageUrl };
      return { basicCard: withButtons(card, o.buttons) };
    }
    default: {
      const items = o.items.map((it) => (it.description ? { title: it.title, description: it.description } : { title: it.title }));
      return { listCard: withButtons({ header: { title: o.header }, items }, o.buttons) };
    }
  }
}

function quickToForm(q) {
  return { label: text(q?.label), action: q?.action === 'block' ? 'block' : 'message', value: text(q?.action === 'block' ? q?.blockId : q?.messageText) };
}

function quickFromForm(q) {
  return q.action === 'block'
    ? { label: q.label, action: 'block', blockId: q.value }
    : { label: q.label, action: 'message', messageText: q.value };
}

/** The template the form holds. */
export function fromForm(form) {
  const out = { outputs: form.outputs.map(outputFromForm) };
  if (form.quickReplies.length) out.quickReplies = form.quickReplies.map(quickFromForm);
  return out;
}

/** The form of a template, or null when the form cannot hold all of it. */
export function toForm(template) {
  if (!template || typeof template !== 'object' || Array.isArray(template)) return null;
  const outputs = (Array.isArray(template.outputs) ? template.outputs : []).map(outputToForm);
  if (outputs.some((o) => o === null)) return null;
  const quickReplies = Array.isArray(template.quickReplies) ? template.quickReplies.map(quickToForm) : [];
  const form = { outputs, quickReplies };
  const again = fromForm(form);
  const original = { ...template };
  if (Array.isArray(original.quickReplies) && original.quickReplies.length === 0) delete original.quickReplies;
  return canonical(again) === canonical(original) ? form : null;
}

/** A new output of `type`. */
function blankOutput(type) {
  switch (type) {
    case 'simpleImage': return { type, imageUrl: '', altText: '' };
    case 'basicCard': return { type, title: '', description: '', imageUrl: '', buttons: [] };
    case 'listCard': return { type, header: '', items: [{ title: '', description: '' }], buttons: [] };
    default: return { type: 'simpleText', text: '' };
  }
}

/** An output turned into another type, keeping what both have. */
function retype(o, type) {
  const next = blankOutput(type);
  const title = o.title || o.header || '';
  if ('title' in next) next.title = title;
  if ('header' in next) next.header = title;
  if ('description' in next) next.description = o.description || o.text || '';
  if ('text' in next) next.text = o.text || o.description || '';
  if ('imageUrl' in next) next.imageUrl = o.imageUrl || '';
  if ('altText' in next) next.altText = o.altText || o.title || '';
  if ('buttons' in next && o.buttons) next.buttons = o.buttons;
  return next;
}

// --- The editor --------------------------------------------------------------------------------

/**
 * The answer editor in `elements` ({formTab, jsonTab, formPanel, jsonPanel, formEditor,
 * unsupported, outputs, quickReplies, outputAdd, quickAdd, json, jsonError, problems,
 * problemList}). `limits` are the page's; `blocks()` the blocks a button may lead to
 * (`[{id, name}]`); `onChange(template|null)` hears every change.
 */
export function responseEditor(elements, { limits, blocks, onChange }) {
  const el = elements;
  let form = { outputs: [], quickReplies: [] };
  let mode = 'form';
  /** The form holds the template (false: it holds parts the form does not edit). */
  let usable = true;
  /** The last template the JSON text held (null while it is no JSON object). */
  let parsed = null;

  const changed = () => onChange(current());

  function current() {
    if (mode === 'json' || !usable) return parsed;
    return fromForm(form);
  }

  // Fields of the form, each with the path a refusal names it by.
  function input(label, value, path, set, { multiline = false, type = 'text', rows = 3 } = {}) {
    const id = `f-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;
    const control = multiline
      ? h('textarea', { id, rows, 'data-path': path, 'aria-describedby': `${id}-error` }, value)
      : h('input', { id, type, value, autocomplete: 'off', 'data-path': path, 'aria-describedby': `${id}-error` });
    if (type === 'url') control.spellcheck = false;
    control.addEventListener('input', () => {
      set(control.value);
      control.removeAttribute('aria-invalid');
      changed();
    });
    return h('div', { class: 'field' },
      h('label', { for: id }, label), control,
      h('span', { id: `${id}-error`, class: 'field-error', 'data-error-path': path }));
  }

  function blockSelect(value, path, set, label) {
    const id = `f-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;
    const known = blocks();
    const options = [h('option', { value: '' }, t('bot-button-choose-block'))];
    for (const b of known) options.push(h('option', { value: String(b.id), selected: String(b.id) === value }, b.name));
    if (value && !known.some((b) => String(b.id) === value)) {
      options.push(h('option', { value, selected: true }, t('bot-button-missing-block', { id: value })));
    }
    const select = h('select', { id, 'data-path': path, 'aria-describedby': `${id}-error` }, options);
    select.addEventListener('change', () => { set(select.value); select.removeAttribute('aria-invalid'); changed(); });
    return h('div', { class: 'field' }, h('label', { for: id }, label), select,
      h('span', { id: `${id}-error`, class: 'field-error', 'data-error-path': path }));
  }

  /** A small button that changes the structure and redraws. */
  function action(label, aria, fn, disabled = false) {
    return h('button', {
      type: 'button', class: 'secondary small', 'aria-label': aria, disabled,
      onclick: () => { fn(); draw(); changed(); },
    }, label);
  }

  function buttonEditor(list, i, base, what) {
    const b = list[i];
    const path = `${base}[${i}]`;
    const n = i + 1;
    const select = h('select', { id: `f-${path.replace(/[^A-Za-z0-9]+/g, '-')}-action` },
      ACTIONS.map((a) => h('option', { value: a, selected: a === b.action }, t(`bot-action-${a}`))));
    select.addEventListener('change', () => { b.action = select.value; b.value = ''; draw(); changed(); });
    const parts = [
      input(t('bot-button-label'), b.label, `${path}.label`, (v) => { b.label = v; }),
      h('div', { class: 'field' }, h('label', { for: select.id }, t('bot-button-action')), select),
    ];
    if (b.action === 'block') {
      parts.push(blockSelect(b.value, `${path}.blockId`, (v) => { b.value = v; }, t('bot-button-blockId')));
    } else if (VALUE_OF[b.action]) {
      const field = VALUE_OF[b.action];
      parts.push(input(t(`bot-button-${field}`), b.value, `${path}.${field}`, (v) => { b.value = v; },
        { type: b.action === 'webLink' ? 'url' : b.action === 'phone' ? 'tel' : 'text' }));
    }
    return h('li', { class: 'sub-item' },
      h('fieldset', {},
        h('legend', {}, t(`bot-${what}-legend`, { n })),
        h('div', { class: 'sub-fields' }, parts),
        h('span', { class: 'field-error', 'data-error-path': path }),
        action(t('bot-remove'), t(`bot-${what}-remove-label`, { n }), () => list.splice(i, 1))));
  }

  function buttonsEditor(o, base) {
    const rows = o.buttons.map((_, i) => buttonEditor(o.buttons, i, `${base}.buttons`, 'button'));
    return h('div', { class: 'buttons-editor' },
      h('p', { class: 'sub-title' }, t('bot-buttons', { max: limits.buttons_max })),
      h('ol', { class: 'sub-list' }, rows),
      h('span', { class: 'field-error', 'data-error-path': `${base}.buttons` }),
      action(t('bot-button-add'), null, () => o.buttons.push({ label: '', action: 'webLink', value: '' }),
        o.buttons.length >= limits.buttons_max));
  }

  function outputEditor(o, i) {
    const base = `response.outputs[${i}]`;
    const typed = `${base}.${o.type}`;
    const n = i + 1;
    const typeSelect = h('select', { id: `output-${i}-type` },
      TYPES.map((type) => h('option', { value: type, selected: type === o.type }, t(`bot-type-${type}`))));
    typeSelect.addEventListener('change', () => { form.outputs[i] = retype(o, typeSelect.value); draw(); changed(); });
    const fields = [];
    if (o.type === 'simpleText') {
      fields.push(input(t('bot-path-text'), o.text, `${typed}.text`, (v) => { o.text = v; }, { multiline: true, rows: 4 }));
      fields.push(h('p', { class: 'hint' }, t('bot-text-help', { max: limits.text_max })));
    } else if (o.type === 'simpleImage') {
      fields.push(input(t('bot-path-imageUrl'), o.imageUrl, `${typed}.imageUrl`, (v) => { o.imageUrl = v; }, { type: 'url' }));
      fields.push(input(t('bot-path-altText'), o.altText, `${typed}.altText`, (v) => { o.altText = v; }));
    } else if (o.type === 'basicCard') {
      fields.push(input(t('bot-path-thumbnail'), o.imageUrl, `${typed}.thumbnail.imageUrl`, (v) => { o.imageUrl = v; }, { type: 'url' }));
      fields.push(input(t('bot-path-title'), o.title, `${typed}.title`, (v) => { o.title = v; }));
      fields.push(input(t('bot-path-description'), o.description, `${typed}.description`, (v) => { o.description = v; }, { multiline: true }));
      fields.push(buttonsEditor(o, typed));
    } else {
      fields.push(input(t('bot-path-header'), o.header, `${typed}.header.title`, (v) => { o.header = v; }));
      const items = o.items.map((it, k) => h('li', { class: 'sub-item' },
        h('fieldset', {},
          h('legend', {}, t('bot-item-legend', { n: k + 1 })),
          h('div', { class: 'sub-fields' },
            input(t('bot-path-title'), it.title, `${typed}.items[${k}].title`, (v) => { it.title = v; }),
            input(t('bot-path-description'), it.description, `${typed}.items[${k}].description`, (v) => { it.description = v; })),
          action(t('bot-remove'), t('bot-item-remove-label', { n: k + 1 }), () => o.items.splice(k, 1)))));
      fields.push(h('div', { class: 'items-editor' },
        h('p', { class: 'sub-title' }, t('bot-items', { max: limits.list_items_max })),
        h('ol', { class: 'sub-list' }, items),
        h('span', { class: 'field-error', 'data-error-path': `${typed}.items` }),
        action(t('bot-item-add'), null, () => o.items.push({ title: '', description: '' }), o.items.length >= limits.list_items_max)));
      fields.push(buttonsEditor(o, typed));
    }
    const last = form.outputs.length - 1;
    return h('li', { class: 'output', dataset: { type: o.type } },
      h('fieldset', {},
        h('legend', {}, t('bot-output-legend', { n })),
        h('div', { class: 'output-head' },
          h('label', { for: typeSelect.id }, t('bot-output-type')), typeSelect,
          h('span', { class: 'output-moves' },
            action('↑', t('bot-output-up-label', { n }), () => form.outputs.splice(i - 1, 2, form.outputs[i], form.outputs[i - 1]), i === 0),
            action('↓', t('bot-output-down-label', { n }), () => form.outputs.splice(i, 2, form.outputs[i + 1], form.outputs[i]), i === last),
            action(t('bot-remove'), t('bot-output-remove-label', { n }), () => form.outputs.splice(i, 1)))),
        fields,
        h('span', { class: 'field-error', 'data-error-path': base })));
  }

  function quickEditor(q, i) {
    const path = `response.quickReplies[${i}]`;
    const n = i + 1;
    const select = h('select', { id: `quick-${i}-action` },
      ['message', 'block'].map((a) => h('option', { value: a, selected: a === q.action }, t(`bot-action-${a}`))));
    select.addEventListener('change', () => { q.action = select.value; q.value = ''; draw(); changed(); });
    return h('li', { class: 'sub-item' },
      h('fieldset', {},
        h('legend', {}, t('bot-quick-legend', { n })),
        h('div', { class: 'sub-fields' },
          input(t('bot-button-label'), q.label, `${path}.label`, (v) => { q.label = v; }),
          h('div', { class: 'field' }, h('label', { for: select.id }, t('bot-button-action')), select),
          q.action === 'block'
            ? blockSelect(q.value, `${path}.blockId`, (v) => { q.value = v; }, t('bot-button-blockId'))
            : input(t('bot-button-messageText'), q.value, `${path}.messageText`, (v) => { q.value = v; })),
        h('span', { class: 'field-error', 'data-error-path': path }),
        action(t('bot-remove'), t('bot-quick-remove-label', { n }), () => form.quickReplies.splice(i, 1))));
  }

  function draw() {
    el.outputs.replaceChildren(...form.outputs.map(outputEditor));
    el.quickReplies.replaceChildren(...form.quickReplies.map(quickEditor));
    el.outputAdd.disabled = form.outputs.length >= limits.outputs_max;
    el.quickAdd.disabled = form.quickReplies.length >= limits.quick_replies_max;
  }

  function showTab(next) {
    mode = next;
    const json = next === 'json';
    el.formTab.setAttribute('aria-selected', String(!json));
    el.jsonTab.setAttribute('aria-selected', String(json));
    el.formTab.tabIndex = json ? -1 : 0;
    el.jsonTab.tabIndex = json ? 0 : -1;
    el.formPanel.hidden = json;
    el.jsonPanel.hidden = !json;
  }

  function setJson(template) {
    el.json.value = JSON.stringify(template, null, 2);
    parsed = template;
    el.jsonError.textContent = '';
    el.json.removeAttribute('aria-invalid');
  }

  function toJson() {
    if (mode === 'json') return;
    if (usable) setJson(fromForm(form));
    showTab('json');
  }

  /** Whether the form holds the template: it shows the editor, or says why it cannot. */
  function setUsable(next) {
    usable = next;
    el.unsupported.hidden = next;
    el.formEditor.hidden = !next;
  }

  function toStructured() {
    if (mode === 'form') return;
    if (parsed === null) {
      showTab('json');
      el.json.focus();
      return;
    }
    const next = toForm(parsed);
    setUsable(next !== null);
    if (next) {
      form = next;
      draw();
    }
    showTab('form');
    changed();
  }

  el.formTab.addEventListener('click', toStructured);
  el.jsonTab.addEventListener('click', toJson);
  for (const tab of [el.formTab, el.jsonTab]) {
    tab.addEventListener('keydown', (ev) => {
      if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(ev.key)) return;
      ev.preventDefault();
      const other = tab === el.formTab ? el.jsonTab : el.formTab;
      other.click();
      (mode === 'json' ? el.jsonTab : el.formTab).focus();
    });
  }
  el.json.addEventListener('input', () => {
    try {
      const value = JSON.parse(el.json.value);
      if (!value || typeof value !== 'object' || Array.isArray(value) || !Array.isArray(value.outputs)) {
        throw new Error(t('bot-json-not-template'));
      }
      parsed = value;
      el.jsonError.textContent = '';
      el.json.removeAttribute('aria-invalid');
    } catch (e) {
      parsed = null;
      el.jsonError.textContent = t('bot-json-invalid', { reason: e.message });
      el.json.setAttribute('aria-invalid', 'true');
    }
    changed();
  });
  el.outputAdd.addEventListener('click', () => {
    if (form.outputs.length >= limits.outputs_max) return;
    form.outputs.push(blankOutput('simpleText'));
    draw();
    changed();
    el.outputs.lastElementChild?.querySelector('textarea, input')?.focus();
  });
  el.quickAdd.addEventListener('click', () => {
    if (form.quickReplies.length >= limits.quick_replies_max) return;
    form.quickReplies.push({ label: '', action: 'message', value: '' });
    draw();
    changed();
    el.quickReplies.lastElementChild?.querySelector('input')?.focus();
  });

  function clearProblems() {
    el.problems.hidden = true;
    el.problemList.replaceChildren();
    el.jsonError.textContent = '';
    for (const slot of el.formPanel.querySelectorAll('[data-error-path]')) slot.textContent = '';
    for (const c of el.formPanel.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
  }

  return {
    /** Starts editing `template` (structured when the form can hold it, else as JSON). */
    set(template) {
      clearProblems();
      const next = toForm(template);
      setJson(template);
      setUsable(next !== null);
      form = next ?? { outputs: [], quickReplies: [] };
      draw();
      showTab(next ? 'form' : 'json');
      changed();
    },
    /** The template being edited, or null while the JSON text is no template. */
    get: current,
    /** Redraws the block choices (after a block was added, renamed or deleted). */
    refreshBlocks() {
      if (mode === 'form') draw();
    },
    clearProblems,
    /**
     * Shows refusals of the answer (`[{field, message}]`, fields under `response`): listed by
     * place, and beside the structured editor's field when it has it. Returns the first field.
     */
    showProblems(errors) {
      let first = null;
      el.problemList.replaceChildren(...errors.map((e) => h('li', {}, problemLine(e))));
      el.problems.hidden = errors.length === 0;
      if (mode === 'form') {
        for (const e of errors) {
          const path = e.field ?? '';
          const control = el.formPanel.querySelector(`[data-path="${CSS.escape(path)}"]`);
          const slot = el.formPanel.querySelector(`[data-error-path="${CSS.escape(path)}"]`);
          if (slot) slot.textContent = [slot.textContent, problemText(e.message)].filter(Boolean).join(' ');
          if (control) {
            control.setAttribute('aria-invalid', 'true');
            first ??= control;
          }
        }
      } else if (errors.length) {
        el.json.setAttribute('aria-invalid', 'true');
        first = el.json;
      }
      return first ?? el.problems;
    },
    /** Shows one sentence about the whole answer (a template the server could not read). */
    showError(text) {
      el.problemList.replaceChildren(h('li', {}, text));
      el.problems.hidden = false;
    },
  };
}
