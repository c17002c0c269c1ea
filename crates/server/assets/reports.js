// Consultation history page: reads the history of a filter a page at a time, newest first
// (POST /api/v1/reports/consultations, the counters with the first page), shows the columns
// the account chose (GET/PUT /api/v1/reports/columns), and makes downloads of the same filter
// (POST /api/v1/reports/exports, followed every half second until done). The filter is also
// the page's query string, so a reload or a shared link shows the same report. The agents and
// categories of the filter come from GET /api/v1/agents/directory and GET /api/v1/categories.

import { api, ApiError } from './lib/api.js';
import { $, clearFieldErrors, fieldError, h, setStatus } from './lib/dom.js';
import { has, lang, t } from './lib/i18n.js';

/** Rows per page. */
const PAGE = 50;
/** How often a download in progress is asked about (ms). */
const POLL = 500;
/** The query-string keys of the filter (anything else, `lang` among them, is kept). */
const KEYS = ['from', 'to', 'channel', 'state', 'end', 'agent', 'category', 'division', 'rating', 'score', 'param'];
const COUNTERS = ['total', 'closed_by_agent', 'closed_by_customer', 'auto_closed', 'still_open'];
/** Columns whose values are names the page has words for. */
const WORDS = { channel: 'console-channel-', state: 'console-state-', end_type: 'report-end-' };

const cfg = JSON.parse($('reports-page').dataset.config);
const form = $('report-filters');
const from = $('filter-from');
const to = $('filter-to');
const agentSelect = $('filter-agent');
const categorySelect = $('filter-category');
const divisionSelect = $('filter-division');
const paramRows = $('param-rows');
const paramAdd = $('param-add');
const head = $('report-head');
const body = $('report-rows');
const status = $('report-status');
const count = $('report-count');
const more = $('report-more');
const columnBoxes = $('column-boxes');
const columnStatus = $('column-status');

const numbers = new Intl.NumberFormat(lang);

/** The site's columns as the last answer gave them: [{key, title, kind}]. */
let columns = [];
/** The keys of the columns shown (null until read). */
let chosen = null;
/** The rows read so far, and what is known of the rest. */
let rows = [];
let total = null;
let next = null;
let timeZone = 'Asia/Seoul';
/** The filter the table shows (downloads use it). */
let shownFilter = {};
/** Counts the reads, so that an answer to an older filter is dropped. */
let reading = 0;
/** The categories: id → {name, divisions}. */
const categories = new Map();

function reason(e) {
  return e instanceof ApiError ? e.message : String(e?.message ?? e);
}

// --- Dates and times --------------------------------------------------------------------------

/** `YYYY-MM-DD` of a date in the browser's own time zone. */
function localDay(d) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const timeFormats = new Map();

/** `YYYY-MM-DD HH:mm:ss` of ms since the epoch, in the site's time zone. */
function timeText(ms) {
  if (!timeFormats.has(timeZone)) {
    timeFormats.set(timeZone, new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    }));
  }
  const parts = Object.fromEntries(timeFormats.get(timeZone).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** A size in bytes, in the page's language. */
function sizeText(bytes) {
  const n = Number(bytes) || 0;
  const [value, unit] = n >= 1024 * 1024 ? [n / (1024 * 1024), 'megabyte'] : n >= 1024 ? [n / 1024, 'kilobyte'] : [n, 'byte'];
  return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(value);
}

// --- The filter: form ⇄ query string ⇄ API body ------------------------------------------------

/** Whether a query string holds a filter (else the page starts with the last seven days). */
function holdsFilter(query) {
  return KEYS.some((k) => query.has(k));
}

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

/** A `param` of the query string: `name:match:value` (the value may hold colons). */
function parseParam(text) {
  const [name, match, ...value] = text.split(':');
  return { name, match: match === 'contains' ? 'contains' : 'exact', value: value.join(':') };
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

/** Chooses `value` in a select, adding it when the select lacks it (a shared link's id). */
function selectValue(select, value) {
  if (value && ![...select.options].some((o) => o.value === value)) select.append(h('option', { value }, `#${value}`));
  select.value = value;
}

/** The filter of a query string, as the API takes it. */
function filterOf(q) {
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

/** Writes the filter into the address (a new history entry when it changed). */
function writeAddress(q) {
  const url = new URL(location.href);
  for (const k of KEYS) url.searchParams.delete(k);
  for (const [k, v] of q) url.searchParams.append(k, v);
  if (url.href !== location.href) history.pushState(null, '', url);
}

// --- Parameter conditions ---------------------------------------------------------------------

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

function refreshParamOptions() {
  for (const select of paramRows.querySelectorAll('select.param-name')) paramOptions(select, select.value);
}

// --- The table --------------------------------------------------------------------------------

/** A column's heading: the page's words for a fixed column, the site's for a custom one. */
function columnTitle(c) {
  const key = `report-col-${c.key.replaceAll('_', '-')}`;
  return !/^parameter\d+$/.test(c.key) && has(key) ? t(key) : c.title;
}

function shownColumns() {
  const keep = new Set(chosen ?? columns.map((c) => c.key));
  const shown = columns.filter((c) => keep.has(c.key));
  return shown.length ? shown : columns;
}

function cell(c, v) {
  if (v === null || v === undefined) return '';
  if (c.kind === 'time') return h('time', { datetime: new Date(v).toISOString() }, timeText(v));
  const words = WORDS[c.key];
  if (words && has(`${words}${v}`)) return t(`${words}${v}`);
  return String(v);
}

function rowElement(r, shown) {
  return h('tr', { dataset: { consultation: r.consultation_id ?? '' } },
    shown.map((c) => h('td', { dataset: { col: c.key }, class: c.kind === 'int' ? 'num' : undefined }, cell(c, r[c.key]))));
}

function drawHead(shown) {
  head.replaceChildren(...shown.map((c) => h('th', { scope: 'col', dataset: { col: c.key } }, columnTitle(c))));
}

function drawTable() {
  const shown = shownColumns();
  drawHead(shown);
  if (rows.length === 0) {
    body.replaceChildren(h('tr', { class: 'empty' }, h('td', { colspan: shown.length || 1, class: 'muted' }, t('report-status-empty'))));
  } else {
    body.replaceChildren(...rows.map((r) => rowElement(r, shown)));
  }
}

function drawCounters(counters) {
  for (const k of COUNTERS) $(`counter-${k}`).textContent = counters ? numbers.format(counters[k]) : '–';
}

function drawCount() {
  count.textContent = total === null ? '' : t('report-count', { total: numbers.format(total), shown: numbers.format(rows.length) });
}

function drawColumnBoxes() {
  const keep = new Set(shownColumns().map((c) => c.key));
  const legend = columnBoxes.querySelector('legend');
  columnBoxes.replaceChildren(legend, ...columns.map((c) => h('label', {},
    h('input', { type: 'checkbox', value: c.key, checked: keep.has(c.key) }), ' ', columnTitle(c))));
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
  else setStatus(status, t('report-status-failed', { reason: reason(e) }), 'bad');
}

/** Reads a page: the first one of `filter` when `fresh`, else the next of the one shown. */
async function load(fresh, filter = shownFilter) {
  reading += 1;
  const mine = reading;
  setStatus(status, t('report-status-loading'));
  more.disabled = true;
  let page;
  try {
    page = await api('/api/v1/reports/consultations', {
      method: 'POST',
      body: { filter, cursor: fresh ? null : next, limit: PAGE },
    });
  } catch (e) {
    if (mine !== reading) return;
    more.disabled = false;
    showRefusal(e);
    return;
  }
  if (mine !== reading) return;
  const hadColumns = columns.length > 0;
  columns = page.columns ?? [];
  timeZone = page.time_zone || timeZone;
  if (fresh) {
    shownFilter = filter;
    rows = [];
    total = page.counters?.total ?? null;
    drawCounters(page.counters);
  }
  rows.push(...(page.rows ?? []));
  next = page.next ?? null;
  if (!hadColumns) {
    refreshParamOptions();
    drawColumnBoxes();
  }
  const hadFocus = document.activeElement === more;
  drawTable();
  drawCount();
  more.hidden = next === null;
  more.disabled = false;
  if (hadFocus && more.hidden) document.querySelector('#result .table-scroll')?.focus();
  setStatus(status, rows.length === 0 ? t('report-status-empty') : '');
}

/** Checks what the browser can, then reads the filter of the form (and keeps it in the address). */
function search() {
  clearFieldErrors(form);
  for (const li of paramRows.children) {
    li.querySelector('.field-error').textContent = '';
    li.querySelector('input.param-value').removeAttribute('aria-invalid');
  }
  const empty = [...paramRows.children].find((li) => !li.querySelector('input.param-value').value.trim());
  if (empty) {
    const input = empty.querySelector('input.param-value');
    input.setAttribute('aria-invalid', 'true');
    empty.querySelector('.field-error').textContent = t('report-err-param-value');
    setStatus(status, t('report-status-check'), 'bad');
    input.focus();
    return;
  }
  const q = formQuery();
  writeAddress(q);
  load(true, filterOf(q));
}

// --- Columns shown ----------------------------------------------------------------------------

columnBoxes.addEventListener('change', async (ev) => {
  const box = ev.target;
  const keys = [...columnBoxes.querySelectorAll('input:checked')].map((i) => i.value);
  if (keys.length === 0) {
    box.checked = true;
    setStatus(columnStatus, t('report-columns-at-least-one'), 'bad');
    return;
  }
  const before = chosen;
  chosen = keys;
  drawTable();
  try {
    const saved = await api('/api/v1/reports/columns', { method: 'PUT', body: { columns: keys } });
    chosen = saved?.columns ?? keys;
    setStatus(columnStatus, t('report-columns-saved'), 'ok');
  } catch (e) {
    chosen = before;
    drawColumnBoxes();
    drawTable();
    setStatus(columnStatus, t('report-columns-failed', { reason: reason(e) }), 'bad');
  }
});

// --- Downloads --------------------------------------------------------------------------------

const current = $('export-current');
const exportStatus = $('export-status');
const progress = $('export-progress');
const exportCount = $('export-count');
const cancel = $('export-cancel');
const done = $('export-done');
const link = $('export-link');
const exportRows = $('export-rows');
let following = null;
let pollTimer = null;

function stateWords(e) {
  const key = `report-export-state-${e.state}`;
  const words = has(key) ? t(key) : e.state;
  return e.state === 'failed' && e.error ? t('report-export-failed-reason', { state: words, reason: e.error }) : words;
}

function formatName(format) {
  return has(`report-format-${format}`) ? t(`report-format-${format}`) : format;
}

function drawExport(e) {
  current.hidden = false;
  const running = e.state === 'queued' || e.state === 'running';
  setStatus(exportStatus, stateWords(e), e.state === 'done' ? 'ok' : ['failed', 'cancelled', 'expired'].includes(e.state) ? 'bad' : '');
  const totalRows = e.rows_total ?? null;
  progress.max = Math.max(1, totalRows ?? 1);
  if (totalRows === null && running) progress.removeAttribute('value');
  else progress.value = e.state === 'done' ? progress.max : Math.min(e.rows_done, progress.max);
  exportCount.textContent = t('report-export-count', { done: numbers.format(e.rows_done), total: totalRows === null ? '?' : numbers.format(totalRows) });
  cancel.hidden = !running;
  done.hidden = !(e.state === 'done' && e.download_url);
  if (e.state === 'done' && e.download_url) {
    link.href = e.download_url;
    link.textContent = t('report-export-download', { format: formatName(e.format), size: sizeText(e.bytes) });
  }
}

async function follow(id) {
  clearTimeout(pollTimer);
  following = id;
  let e;
  try {
    e = await api(`/api/v1/reports/exports/${id}`);
  } catch (err) {
    if (following !== id) return;
    setStatus(exportStatus, t('report-export-start-failed', { reason: reason(err) }), 'bad');
    return;
  }
  if (following !== id) return;
  drawExport(e);
  if (e.state === 'queued' || e.state === 'running') pollTimer = setTimeout(() => follow(id), POLL);
  else loadExports();
}

async function startExport(format) {
  clearTimeout(pollTimer);
  following = null;
  done.hidden = true;
  for (const b of document.querySelectorAll('#downloads button[data-format]')) b.disabled = true;
  try {
    const e = await api('/api/v1/reports/exports', { method: 'POST', body: { filter: shownFilter, format } });
    drawExport(e);
    loadExports();
    following = e.id;
    pollTimer = setTimeout(() => follow(e.id), POLL);
  } catch (err) {
    current.hidden = false;
    setStatus(exportStatus, t('report-export-start-failed', { reason: reason(err) }), 'bad');
  } finally {
    for (const b of document.querySelectorAll('#downloads button[data-format]')) b.disabled = false;
  }
}

cancel.addEventListener('click', async () => {
  if (following === null) return;
  const id = following;
  cancel.disabled = true;
  try {
    const e = await api(`/api/v1/reports/exports/${id}/cancel`, { method: 'POST' });
    clearTimeout(pollTimer);
    following = null;
    drawExport(e);
    loadExports();
  } catch {
    // It ended meanwhile: the next poll shows how.
    follow(id);
  } finally {
    cancel.disabled = false;
  }
});

async function loadExports() {
  let list;
  try {
    list = (await api('/api/v1/reports/exports'))?.exports ?? [];
  } catch {
    return;
  }
  if (list.length === 0) {
    exportRows.replaceChildren(h('tr', { class: 'empty' }, h('td', { colspan: 5, class: 'muted' }, t('report-exports-none'))));
    return;
  }
  exportRows.replaceChildren(...list.map((e) => h('tr', { dataset: { export: e.id } },
    h('td', {}, h('time', { datetime: new Date(e.created_at).toISOString() }, timeText(e.created_at))),
    h('td', {}, formatName(e.format)),
    h('td', {}, stateWords(e)),
    h('td', { class: 'num' }, e.rows_total === null ? numbers.format(e.rows_done) : `${numbers.format(e.rows_done)} / ${numbers.format(e.rows_total)}`),
    h('td', {}, e.state === 'done' && e.download_url
      ? h('a', { href: e.download_url, download: '' }, t('report-exports-file', { size: sizeText(e.bytes) }))
      : ''))));
}

for (const b of document.querySelectorAll('#downloads button[data-format]')) {
  b.addEventListener('click', () => startExport(b.dataset.format));
}

// --- Choices of the filter ---------------------------------------------------------------------

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

async function loadChosen() {
  try {
    chosen = (await api('/api/v1/reports/columns'))?.columns ?? null;
  } catch {
    chosen = null;
  }
}

// --- Start ------------------------------------------------------------------------------------

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  search();
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
more.addEventListener('click', () => load(false));
window.addEventListener('popstate', () => {
  const q = new URLSearchParams(location.search);
  fillForm(holdsFilter(q) ? q : defaultQuery());
  load(true, filterOf(formQuery()));
});

/** The last seven days, today included, in the browser's own days. */
function defaultQuery() {
  const today = new Date();
  const first = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 6);
  return new URLSearchParams({ from: localDay(first), to: localDay(today) });
}

setStatus(status, t('report-status-loading'));
await Promise.all([loadChoices(), loadChosen(), loadExports()]);
const start = new URLSearchParams(location.search);
fillForm(holdsFilter(start) ? start : defaultQuery());
await load(true, filterOf(formQuery()));
