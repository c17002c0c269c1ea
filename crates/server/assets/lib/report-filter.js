// The report filter, shared by the consultation history (/reports, reports.js) and the
// dashboard (/reports/dashboard, dashboard.js): both pages render the same form
// (templates/report_filter_form.html). This module turns the form into the query string (so a
// reload or a shared link shows the same filter, and the link from one page to the other
// keeps it) and the query string into the API's filter body; fills the agent, category and
// division choices (GET /api/v1/agents/directory, GET /api/v1/categories); keeps the parameter
// conditions' rows; and shows an API refusal (422 `invalid_field`) beside the field it names.

import { api, ApiError } from './api.js';
import { $, clearFieldErrors, fieldError, h, setStatus } from './dom.js';
import { has, lang, t } from './i18n.js';

/** The query-string keys of the filter (anything else, `lang` among them, is kept). */
export const KEYS = ['from', 'to', 'channel', 'state', 'end', 'agent', 'category', 'division', 'rating', 'score', 'param'];
/** Days of the default period, today included. */
export const DEFAULT_DAYS = 7;

/** The sentence of an error. */
export function reason(e) {
  return e instanceof ApiError ? e.message : String(e?.message ?? e);
}

/** `YYYY-MM-DD` of a date in the browser's own time zone. */
export function localDay(d) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A column's heading: the page's words for a fixed column, the site's for a custom one. */
export function columnTitle(c) {
  const key = `report-col-${c.key.replaceAll('_', '-')}`;
  return !/^parameter\d+$/.test(c.key) && has(key) ? t(key) : c.title;
}

/** Whether a query string holds a filter (else the page starts with the default period). */
export function holdsFilter(query) {
  return KEYS.some((k) => query.has(k));
}

/** The last DEFAULT_DAYS days, today included, in the browser's own days. */
export function defaultQuery() {
  const today = new Date();
  const first = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (DEFAULT_DAYS - 1));
  return new URLSearchParams({ from: localDay(first), to: localDay(today) });
}

/** A `param` of the query string: `name:match:value` (the value may hold colons). */
function parseParam(text) {
  const [name, match, ...value] = text.split(':');
  return { name, match: match === 'contains' ? 'contains' : 'exact', value: value.join(':') };
}

/** The filter of a query string, as the API takes it. */
export function filterOf(q) {
  const f = {};
  if (q.get('from')) f.from = q.get('from');
  if (q.get('to')) f.to = q.get('to');
  const list = (k) => q.getAll(k).filter(Boolean);
  if (list('channel').length) f.channels = list('channel');
  if (list('state').length) f.states = list('state');
  if (list('end').length) f.end_types = list('end');
  for (const [k, field] of [['agent', 'agent_id'], ['category', 'category_id'], ['division', 'division_id']]) {
    if (q.get(k)) f[field] = Number(q.get(k));
  }
  if (q.get('rating')) f.rating = q.get('rating');
  if (list('score').length) f.scores = list('score').map(Number);
  const params = q.getAll('param').map(parseParam);
  if (params.length) f.params = params.map((p) => ({ name: p.name, match: p.match, value: p.value.trim() }));
  return f;
}

/**
 * The filter form of the page (`#report-filters`), with `cfg` (`fixed_params`, `max_params`,
 * `max_value`) and the page's status line. `search(filter)` is called with the API's filter
 * body when the form is sent, when the address changes (back, forward) and by `start()`.
 * `failedKey` is the page's sentence for a read that failed (with `{ $reason }`).
 */
export function reportFilter({ cfg, status, search, failedKey = 'report-status-failed' }) {
  const form = $('report-filters');
  const from = $('filter-from');
  const to = $('filter-to');
  const agentSelect = $('filter-agent');
  const categorySelect = $('filter-category');
  const divisionSelect = $('filter-division');
  const paramRows = $('param-rows');
  const paramAdd = $('param-add');
  /** The site's report columns: [{key, title, kind}] (custom parameters among them). */
  let columns = [];
  /** The categories: id → {name, divisions}. */
  const categories = new Map();

  function checked(name) {
    return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
  }

  function setChecked(name, values) {
    for (const i of form.querySelectorAll(`input[name="${name}"]`)) i.checked = values.includes(i.value);
  }

  /** The conditions as the rows of the form hold them. */
  function paramsOfForm() {
    return [...paramRows.children].map((li) => ({
      name: li.querySelector('select.param-name').value,
      match: li.querySelector('select.param-match').value,
      value: li.querySelector('input.param-value').value,
    }));
  }

  /** The filter the form holds, as the query string writes it. */
  function formQuery() {
    const q = new URLSearchParams();
    q.set('from', from.value);
    q.set('to', to.value);
    for (const v of checked('channels')) q.append('channel', v);
    for (const v of checked('states')) q.append('state', v);
    for (const v of checked('end_types')) q.append('end', v);
    if (agentSelect.value) q.set('agent', agentSelect.value);
    if (categorySelect.value) q.set('category', categorySelect.value);
    if (divisionSelect.value) q.set('division', divisionSelect.value);
    const rating = form.querySelector('input[name="rating"]:checked')?.value;
    if (rating) q.set('rating', rating);
    for (const v of checked('scores')) q.append('score', v);
    for (const p of paramsOfForm()) q.append('param', `${p.name}:${p.match}:${p.value}`);
    return q;
  }

  /** Chooses `value` in a select, adding it when the select lacks it (a shared link's id). */
  function selectValue(select, value) {
    if (value && ![...select.options].some((o) => o.value === value)) select.append(h('option', { value }, `#${value}`));
    select.value = value;
  }

  /** Fills the form from a query string (the selects' choices must be there already). */
  function fillForm(q) {
    from.value = q.get('from') ?? '';
    to.value = q.get('to') ?? '';
    setChecked('channels', q.getAll('channel'));
    setChecked('states', q.getAll('state'));
    setChecked('end_types', q.getAll('end'));
    selectValue(agentSelect, q.get('agent') ?? '');
    selectValue(categorySelect, q.get('category') ?? '');
    fillDivisions();
    selectValue(divisionSelect, q.get('division') ?? '');
    const rating = q.get('rating') ?? '';
    for (const i of form.querySelectorAll('input[name="rating"]')) i.checked = i.value === rating;
    setChecked('scores', q.getAll('score'));
    paramRows.replaceChildren();
    for (const p of q.getAll('param').slice(0, cfg.max_params)) addParamRow(parseParam(p));
    renumberParams();
  }

  /** Links marked `data-keeps-filter` (to the other report page) carry the filter shown. */
  function keepInLinks() {
    for (const a of document.querySelectorAll('a[data-keeps-filter]')) {
      const url = new URL(a.href, location.href);
      url.search = location.search;
      a.href = url.pathname + url.search;
    }
  }

  /** Writes the filter into the address (a new history entry when it changed). */
  function writeAddress(q) {
    const url = new URL(location.href);
    for (const k of KEYS) url.searchParams.delete(k);
    for (const [k, v] of q) url.searchParams.append(k, v);
    if (url.href !== location.href) history.pushState(null, '', url);
    keepInLinks();
  }

  // --- Parameter conditions -------------------------------------------------------------------

  /** The parameters a condition may name: the fixed ones and the site's custom ones in use. */
  function paramChoices() {
    const titles = new Map(columns.map((c) => [c.key, c.title]));
    const names = [...cfg.fixed_params, ...columns.map((c) => c.key).filter((k) => /^parameter\d+$/.test(k))];
    return names.map((name) => ({ name, title: columnTitle({ key: name, title: titles.get(name) ?? name }) }));
  }

  function paramOptions(select, value) {
    const choices = paramChoices();
    if (value && !choices.some((c) => c.name === value)) choices.push({ name: value, title: value });
    select.replaceChildren(...choices.map((c) => h('option', { value: c.name }, c.title === c.name ? c.name : `${c.title} (${c.name})`)));
    if (value) select.value = value;
  }

  function addParamRow(p = { name: '', match: 'exact', value: '' }) {
    const name = h('select', { class: 'param-name' });
    paramOptions(name, p.name || (paramChoices().find((c) => /^parameter/.test(c.name)) ?? paramChoices()[0])?.name);
    const match = h('select', { class: 'param-match' },
      h('option', { value: 'exact' }, t('report-match-exact')),
      h('option', { value: 'contains' }, t('report-match-contains')));
    match.value = p.match;
    const value = h('input', { type: 'text', class: 'param-value', value: p.value, maxlength: cfg.max_value });
    value.value = p.value;
    const error = h('span', { class: 'field-error' });
    const remove = h('button', { type: 'button', class: 'secondary small param-remove' }, t('report-param-remove-short'));
    const li = h('li', { class: 'param-row' }, name, match, value, remove, error);
    remove.addEventListener('click', () => {
      const at = [...paramRows.children].indexOf(li);
      li.remove();
      renumberParams();
      (paramRows.children[at] ?? paramRows.children[at - 1])?.querySelector('input')?.focus() ?? paramAdd.focus();
    });
    paramRows.append(li);
    return li;
  }

  /** Gives each condition's controls their names (by number) and keeps the count in bounds. */
  function renumberParams() {
    [...paramRows.children].forEach((li, i) => {
      const n = i + 1;
      const label = (sel, key) => li.querySelector(sel).setAttribute('aria-label', t(key, { n }));
      label('select.param-name', 'report-param-name');
      label('select.param-match', 'report-param-match');
      label('input.param-value', 'report-param-value');
      label('button.param-remove', 'report-param-remove');
    });
    const full = paramRows.children.length >= cfg.max_params;
    paramAdd.disabled = full;
    paramAdd.title = full ? t('report-param-limit', { max: cfg.max_params }) : '';
  }

  /** Takes the site's report columns (the custom parameters a condition may name). */
  function setColumns(list) {
    columns = list ?? [];
    for (const select of paramRows.querySelectorAll('select.param-name')) paramOptions(select, select.value);
  }

  // --- Choices --------------------------------------------------------------------------------

  function fillDivisions() {
    const category = categories.get(categorySelect.value);
    const keep = divisionSelect.value;
    divisionSelect.replaceChildren(divisionSelect.options[0],
      ...(category?.divisions ?? []).map((d) => h('option', { value: d.id }, d.name)));
    divisionSelect.disabled = !category || category.divisions.length === 0;
    divisionSelect.value = [...divisionSelect.options].some((o) => o.value === keep) ? keep : '';
  }

  async function loadChoices() {
    const [agents, tree] = await Promise.allSettled([api('/api/v1/agents/directory'), api('/api/v1/categories')]);
    if (agents.status === 'fulfilled') {
      const list = [...(agents.value?.agents ?? [])].sort((a, b) => a.display_name.localeCompare(b.display_name, lang));
      agentSelect.append(...list.map((a) => h('option', { value: a.id }, a.display_name)));
    }
    if (tree.status === 'fulfilled') {
      for (const c of tree.value?.categories ?? []) {
        categories.set(String(c.id), { name: c.name, divisions: c.divisions ?? [] });
        categorySelect.append(h('option', { value: c.id }, c.name));
      }
    }
    const failed = [agents, tree].find((r) => r.status === 'rejected');
    if (failed) setStatus(status, t('report-status-choices-failed', { reason: reason(failed.reason) }), 'bad');
  }

  // --- Sending --------------------------------------------------------------------------------

  /** Clears the errors shown; checks what the browser can (an empty condition value). */
  function check() {
    clearFieldErrors(form);
    for (const li of paramRows.children) {
      li.querySelector('.field-error').textContent = '';
      li.querySelector('input.param-value').removeAttribute('aria-invalid');
    }
    const empty = [...paramRows.children].find((li) => !li.querySelector('input.param-value').value.trim());
    if (!empty) return true;
    const input = empty.querySelector('input.param-value');
    input.setAttribute('aria-invalid', 'true');
    empty.querySelector('.field-error').textContent = t('report-err-param-value');
    setStatus(status, t('report-status-check'), 'bad');
    input.focus();
    return false;
  }

  /** Shows a refusal beside the field it names; the status says to look at the filter. */
  function showRefusal(e) {
    const field = e?.details?.field;
    if (e?.status === 422 && typeof field === 'string') {
      const name = field.replace(/\[.*$/, '').replace(/\..*$/, '');
      const key = `report-err-${name}`;
      const slot = fieldError(form, name, has(key) ? t(key) : e.message);
      if (slot) {
        setStatus(status, t('report-status-check'), 'bad');
        slot.focus?.();
        return;
      }
    }
    if (e?.status === 401) setStatus(status, t('report-status-login-again'), 'bad');
    else setStatus(status, t(failedKey, { reason: reason(e) }), 'bad');
  }

  /** The filter of the address (or the default period), put into the form. */
  function fromAddress() {
    const q = new URLSearchParams(location.search);
    fillForm(holdsFilter(q) ? q : defaultQuery());
    keepInLinks();
    return filterOf(formQuery());
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!check()) return;
    const q = formQuery();
    writeAddress(q);
    search(filterOf(q));
  });
  categorySelect.addEventListener('change', fillDivisions);
  paramAdd.addEventListener('click', () => {
    if (paramRows.children.length >= cfg.max_params) return;
    const li = addParamRow();
    renumberParams();
    li.querySelector('input.param-value').focus();
  });
  $('report-reset').addEventListener('click', () => {
    clearFieldErrors(form);
    fillForm(defaultQuery());
  });
  window.addEventListener('popstate', () => search(fromAddress()));

  return {
    form,
    loadChoices,
    setColumns,
    showRefusal,
    /** Fills the form from the address (choices loaded first) and searches it. */
    start() {
      return search(fromAddress());
    },
  };
}
