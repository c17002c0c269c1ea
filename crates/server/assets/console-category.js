// The consultation's classification in the console's customer panel: its category, division
// and sub-label, read with the site's tree (/api/v1/categories) and, for whoever may handle
// the consultation (its holder, managers, the admin), changed in place
// (PUT /api/v1/consultations/{id}/category) in a form opened with a button. The console calls
// showCategory(consultation) whenever it draws the panel; what is on screen is kept while it
// has not changed, so a choice being made is not lost to a redraw.

import { api } from './lib/api.js';
import { $, h, setStatus } from './lib/dom.js';
import { t } from './lib/i18n.js';

const cfg = JSON.parse($('console').dataset.config);
/** The site's tree, read again for each consultation shown (names change). */
let tree = null;
let treeFor = null;
/** What is drawn: the consultation and its classification, and whether it may be changed. */
let drawn = null;
let drawnId = null;
let latest = null;
/** The consultation whose classification form is open. */
let editing = null;

function mayChange(c) {
  return cfg.sees_all || c.agent_id === cfg.me.id;
}

const none = () => h('span', { class: 'muted' }, t('console-none'));

function nameOf(id) {
  for (const c of tree?.categories ?? []) {
    if (c.id === id) return c.name;
    const d = c.divisions.find((x) => x.id === id);
    if (d) return d.name;
  }
  return id === null || id === undefined ? null : `#${id}`;
}

/** Options of a select: none, then the nodes in use, and the current one when it is off. */
function options(select, nodes, current) {
  const shown = nodes.filter((n) => n.used || n.id === current);
  select.replaceChildren(h('option', { value: '' }, t('console-category-choose')),
    ...shown.map((n) => h('option', { value: n.id, selected: n.id === current },
      n.used ? n.name : t('console-category-unused', { name: n.name }))));
  select.value = current ? String(current) : '';
}

function draw(c) {
  const body = $('category-body');
  const facts = h('dl', { class: 'facts' },
    h('dt', {}, t('console-category-category')), h('dd', { id: 'f-category' }, nameOf(c.category_id) ?? none()),
    h('dt', {}, t('console-category-division')), h('dd', { id: 'f-division' }, nameOf(c.division_id) ?? none()),
    h('dt', {}, t('console-category-sub-label')), h('dd', { id: 'f-sub-label' }, c.sub_label ?? none()));
  if (!mayChange(c)) {
    body.replaceChildren(facts, h('p', { class: 'muted hint' }, t('console-category-take-first')));
    return;
  }
  if (editing !== c.id) {
    body.replaceChildren(facts, h('div', { class: 'inline-form' }, h('button', {
      type: 'button',
      id: 'category-change',
      class: 'secondary small',
      onclick: () => {
        editing = c.id;
        render(latest ?? c, true);
        $('category-select')?.focus();
      },
    }, t('console-category-change'))));
    return;
  }
  const max = tree?.limits?.sub_label_chars ?? 8;
  const category = h('select', { id: 'category-select' });
  const division = h('select', { id: 'division-select' });
  const label = h('input', {
    id: 'sub-label-input', type: 'text', maxlength: max, autocomplete: 'off', value: c.sub_label ?? '',
    'aria-describedby': 'sub-label-hint',
  });
  const status = h('p', { id: 'category-status', class: 'notice', role: 'status', 'aria-live': 'polite' });
  const categories = tree?.categories ?? [];
  options(category, categories, c.category_id);
  const divisionsOf = (id) => categories.find((x) => x.id === id)?.divisions ?? [];
  options(division, divisionsOf(c.category_id), c.division_id);
  category.addEventListener('change', () => {
    options(division, divisionsOf(Number(category.value)), null);
  });
  const form = h('form', { id: 'category-form', class: 'category-form', novalidate: true },
    h('div', { class: 'facts' },
      h('label', { for: 'category-select' }, t('console-category-category')), category,
      h('label', { for: 'division-select' }, t('console-category-division')), division,
      h('label', { for: 'sub-label-input' }, t('console-category-sub-label')),
      h('div', {}, label, h('p', { id: 'sub-label-hint', class: 'muted hint' }, t('console-category-sub-label-hint', { max })))),
    h('div', { class: 'inline-form' },
      h('button', { type: 'submit', class: 'small' }, t('console-category-save')),
      h('button', {
        type: 'button',
        class: 'secondary small',
        onclick: () => {
          editing = null;
          render(latest ?? c, true);
          $('category-change')?.focus();
        },
      }, t('console-category-cancel'))),
    status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const id = (v) => (v ? Number(v) : null);
    try {
      const r = await api(`/api/v1/consultations/${c.id}/category`, {
        method: 'PUT',
        body: { category_id: id(category.value), division_id: id(division.value), sub_label: label.value },
      });
      latest = { ...c, ...r.consultation };
      editing = null;
      render(latest, true);
      setStatus($('category-saved'), t('console-category-saved'), 'ok');
      $('category-change')?.focus();
    } catch (e) {
      setStatus(status, t('console-category-failed', { reason: e.message }), 'bad');
    }
  });
  body.replaceChildren(facts, form);
}

function render(c, force = false) {
  const key = JSON.stringify([c.id, c.category_id, c.division_id, c.sub_label, mayChange(c), tree !== null,
    editing === c.id]);
  if (!force && key === drawn) return;
  drawn = key;
  // Another consultation shown: nothing said of the last one stays.
  if (drawnId !== c.id) setStatus($('category-saved'), '');
  drawnId = c.id;
  draw(c);
}

/** Shows the classification of consultation `c` (or hides the card without one). */
export function showCategory(c) {
  const card = $('category-card');
  if (!card) return;
  latest = c;
  if (!c) {
    card.hidden = true;
    drawn = null;
    return;
  }
  card.hidden = false;
  if (treeFor !== c.id) {
    treeFor = c.id;
    api('/api/v1/categories')
      .then((answer) => {
        tree = answer;
        drawn = null;
        if (latest) render(latest);
      })
      .catch(() => {});
  }
  render(c);
}
