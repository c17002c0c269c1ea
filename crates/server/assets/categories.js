// Consultation categories on the parameter page: the site's tree read from
// /api/v1/site/categories and edited there — add categories and divisions, rename, move up and
// down, switch on and off, choose the default — and the title message template, saved with the
// site settings. The page renders the tree as it was; this script replaces it with controls.

import { api, ApiError } from './lib/api.js';
import { $, clearFieldErrors, fieldError, h, setStatus } from './lib/dom.js';
import { has, t } from './lib/i18n.js';

const editor = $('category-editor');
const list = $('category-tree');
const status = $('categories-status');
const addForm = $('category-add-form');
const maxName = Number(editor.dataset.maxName);
/** The tree as the server last answered it. */
let tree = null;

/** A sentence for a failed request. */
function failure(e) {
  if (!(e instanceof ApiError)) throw e;
  if (e.status === 401) return t('admin-status-login-again');
  if (e.status === 403) return t('admin-status-not-allowed');
  return t('admin-status-failed', { reason: e.message });
}

const nodes = () => (tree?.categories ?? []).flatMap((c) => [c, ...c.divisions]);
const byId = (id) => nodes().find((n) => n.id === id);
const siblingsOf = (node) => (node.category_id === undefined
  ? tree.categories
  : tree.categories.find((c) => c.id === node.category_id).divisions);

/** Runs a change; the tree it answers (or reads again) is shown, and `focus` (a selector) gets
 * the focus back, as re-drawing the list would otherwise lose it. */
async function change(run, { saved = t('categories-saved'), focus = null, onError = null } = {}) {
  setStatus(status, t('admin-status-saving'));
  try {
    const answer = await run();
    tree = answer?.categories ? answer : await api('/api/v1/site/categories');
    render();
    setStatus(status, saved, 'ok');
    if (focus) editor.querySelector(focus)?.focus();
    return true;
  } catch (e) {
    if (onError && onError(e)) {
      setStatus(status, t('admin-status-not-saved'), 'bad');
    } else {
      setStatus(status, failure(e), 'bad');
    }
    return false;
  }
}

const edit = (id, body) => api(`/api/v1/site/categories/${id}`, { method: 'PATCH', body });
const move = (id, position) => api(`/api/v1/site/categories/${id}/move`, { method: 'POST', body: { position } });

/** Shows a refusal of a name beside its field (true when it is one). */
function nameError(form) {
  return (e) => {
    if (!(e instanceof ApiError) || e.details?.field !== 'name') return false;
    const input = fieldError(form, 'name', e.message);
    input?.focus();
    return true;
  };
}

/** The inline form that renames `node`. */
function renameForm(node, row) {
  const inputId = `rename-${node.id}`;
  const form = h('form', { class: 'rename-form', novalidate: true },
    h('label', { for: inputId, class: 'visually-hidden' }, t('categories-rename-label', { name: node.name })),
    h('input', {
      type: 'text', id: inputId, value: node.name, maxlength: maxName, autocomplete: 'off',
      'data-field': 'name', 'aria-describedby': `${inputId}-error`,
    }),
    h('button', { type: 'submit', class: 'small' }, t('categories-save-name')),
    h('button', {
      type: 'button',
      class: 'secondary small',
      onclick: () => {
        render();
        editor.querySelector(`[data-rename="${node.id}"]`)?.focus();
      },
    }, t('categories-cancel')),
    h('span', { id: `${inputId}-error`, class: 'field-error', 'data-error-for': 'name' }));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearFieldErrors(form);
    change(() => edit(node.id, { name: form.querySelector('input').value }), {
      focus: `[data-rename="${node.id}"]`,
      onError: nameError(form),
    });
  });
  form.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') {
      render();
      editor.querySelector(`[data-rename="${node.id}"]`)?.focus();
    }
  });
  row.querySelector('.node-name').replaceWith(form);
  form.querySelector('input').select();
}

/** One category's or division's row: its name, id, marks and controls. */
function nodeRow(node, { first, last, parentUsed }) {
  const isCategory = node.category_id === undefined;
  const row = h('div', { class: 'node-row' },
    h('span', { class: 'node-name' }, node.name),
    h('span', { class: 'node-id' }, t('categories-id', { id: node.id })),
    node.is_default ? h('span', { class: 'badge' }, t('categories-default-badge')) : null,
    node.used ? null : h('span', { class: 'badge off' }, t('categories-unused-badge')));
  const position = siblingsOf(node).findIndex((n) => n.id === node.id);
  const controls = h('span', { class: 'node-controls' },
    h('button', {
      type: 'button', class: 'secondary small', 'data-up': node.id, disabled: first,
      'aria-label': t('categories-up-label', { name: node.name }),
      onclick: () => change(() => move(node.id, position - 1), { focus: `[data-up="${node.id}"]:not([disabled]), [data-down="${node.id}"]` }),
    }, '↑ ', t('categories-up')),
    h('button', {
      type: 'button', class: 'secondary small', 'data-down': node.id, disabled: last,
      'aria-label': t('categories-down-label', { name: node.name }),
      onclick: () => change(() => move(node.id, position + 1), { focus: `[data-down="${node.id}"]:not([disabled]), [data-up="${node.id}"]` }),
    }, '↓ ', t('categories-down')),
    h('button', {
      type: 'button', class: 'secondary small', 'data-rename': node.id,
      onclick: () => renameForm(node, row),
    }, t('categories-rename')));
  const usedId = `used-${node.id}`;
  controls.append(h('span', { class: 'toggle' },
    h('input', {
      type: 'checkbox', role: 'switch', id: usedId, checked: node.used,
      // A division comes on only under a category in use.
      disabled: !node.used && !parentUsed,
      'aria-label': t('categories-used-label', { name: node.name }),
      onchange: (ev) => change(() => edit(node.id, { used: ev.target.checked }), { focus: `#${usedId}` })
        .then((ok) => { if (!ok) ev.target.checked = !ev.target.checked; }),
    }),
    h('label', { for: usedId, 'aria-hidden': 'true' }, t('categories-used'))));
  if (isCategory) {
    const defaultId = `default-${node.id}`;
    controls.append(h('span', { class: 'toggle' },
      h('input', {
        type: 'radio', name: 'category-default', id: defaultId, checked: node.is_default,
        disabled: !node.used,
        'aria-label': t('categories-default-label', { name: node.name }),
        onchange: () => change(() => edit(node.id, { default: true }), { focus: `#${defaultId}` }),
      }),
      h('label', { for: defaultId, 'aria-hidden': 'true' }, t('categories-default'))));
  }
  row.append(controls);
  return row;
}

/** The form that adds a division to `category`. */
function addDivisionForm(category) {
  const inputId = `division-new-${category.id}`;
  const form = h('form', { class: 'add-node add-division', novalidate: true },
    h('label', { for: inputId, class: 'visually-hidden' }, t('categories-new-division', { category: category.name })),
    h('input', {
      type: 'text', id: inputId, maxlength: maxName, autocomplete: 'off', 'data-field': 'name',
      placeholder: t('categories-new-division', { category: category.name }),
      'aria-describedby': `${inputId}-error`,
    }),
    h('button', { type: 'submit', class: 'secondary small' }, t('categories-add-division')),
    h('span', { id: `${inputId}-error`, class: 'field-error', 'data-error-for': 'name' }));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearFieldErrors(form);
    const name = form.querySelector('input').value;
    change(() => api('/api/v1/site/categories', { method: 'POST', body: { name, parent_id: category.id } }), {
      saved: t('categories-added', { name: name.trim() }),
      focus: `#${inputId}`,
      onError: nameError(form),
    });
  });
  return form;
}

function render() {
  const categories = tree.categories;
  $('categories-empty').hidden = categories.length > 0;
  const noDefault = h('li', { class: 'no-default' },
    h('span', { class: 'toggle' },
      h('input', {
        type: 'radio', name: 'category-default', id: 'default-none',
        checked: !categories.some((c) => c.is_default),
        onchange: () => {
          const current = categories.find((c) => c.is_default);
          if (current) change(() => edit(current.id, { default: false }), { focus: '#default-none' });
        },
      }),
      h('label', { for: 'default-none' }, t('categories-no-default'))));
  list.replaceChildren(...(categories.length ? [noDefault] : []), ...categories.map((c, i) => {
    const divisions = h('ul', { class: 'division-list', 'aria-label': t('categories-divisions', { category: c.name }) },
      ...c.divisions.map((d, j) => h('li', { class: 'division-node', dataset: { id: d.id } },
        nodeRow(d, { first: j === 0, last: j === c.divisions.length - 1, parentUsed: c.used }))));
    return h('li', { class: 'category-node', dataset: { id: c.id } },
      nodeRow(c, { first: i === 0, last: i === categories.length - 1, parentUsed: true }),
      c.divisions.length ? divisions : null,
      c.used ? addDivisionForm(c) : null);
  }));
}

// A refusal beside a name goes once the name is edited.
editor.addEventListener('input', (ev) => {
  const form = ev.target.closest('form');
  if (form) clearFieldErrors(form);
});

addForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  clearFieldErrors(addForm);
  const input = addForm.elements.name;
  const name = input.value;
  change(() => api('/api/v1/site/categories', { method: 'POST', body: { name } }), {
    saved: t('categories-added', { name: name.trim() }),
    onError: nameError(addForm),
  }).then((ok) => {
    if (!ok) return;
    input.value = '';
    input.focus();
  });
});

api('/api/v1/site/categories')
  .then((answer) => {
    tree = answer;
    render();
  })
  .catch((e) => setStatus(status, failure(e), 'bad'));

// The title message: saved with the site settings; a refused variable is named beside it.
const titleForm = $('title-form');
titleForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const formStatus = titleForm.querySelector('.status');
  const field = titleForm.elements.title_template;
  clearFieldErrors(titleForm);
  setStatus(formStatus, t('admin-status-saving'));
  try {
    const site = await api('/api/v1/site/settings', { method: 'PUT', body: { title_template: field.value } });
    field.value = site.title_template || '';
    setStatus(formStatus, t('admin-status-saved'), 'ok');
  } catch (e) {
    const errors = e instanceof ApiError ? e.details?.errors : null;
    if (e.status === 422 && Array.isArray(errors)) {
      const texts = errors.map((err) => {
        const key = `categories-err-${err.code}`;
        const values = (err.values || []).map((v) => `[${v}]`).join(', ');
        return has(key) ? t(key, { values }) : err.message;
      });
      fieldError(titleForm, 'title_template', texts.join(' '))?.focus();
      setStatus(formStatus, t('admin-status-not-saved'), 'bad');
    } else {
      setStatus(formStatus, failure(e), 'bad');
    }
  }
});
