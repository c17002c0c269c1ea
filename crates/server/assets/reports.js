// Consultation history page: reads the history of a filter a page at a time, newest first
// (POST /api/v1/reports/consultations, the counters with the first page), shows the columns
// the account chose (GET/PUT /api/v1/reports/columns), and makes downloads of the same filter
// (POST /api/v1/reports/exports, followed every half second until done). The filter (its form,
// its query string, its choices and its refusals) is lib/report-filter.js, shared with the
// dashboard.

import { api } from './lib/api.js';
import { $, h, setStatus } from './lib/dom.js';
import { has, lang, t } from './lib/i18n.js';
import { columnTitle, reason, reportFilter } from './lib/report-filter.js';

/** Rows per page. */
const PAGE = 50;
/** How often a download in progress is asked about (ms). */
const POLL = 500;
const COUNTERS = ['total', 'closed_by_agent', 'closed_by_customer', 'auto_closed', 'still_open'];
/** Columns whose values are names the page has words for. */
const WORDS = { channel: 'console-channel-', state: 'console-state-', end_type: 'report-end-' };

const cfg = JSON.parse($('reports-page').dataset.config);
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
const reportForm = reportFilter({ cfg, status, search: (f) => load(true, f) });

// --- Dates and times --------------------------------------------------------------------------

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

// --- The table --------------------------------------------------------------------------------

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
    reportForm.showRefusal(e);
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
    reportForm.setColumns(columns);
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

async function loadChosen() {
  try {
    chosen = (await api('/api/v1/reports/columns'))?.columns ?? null;
  } catch {
    chosen = null;
  }
}

// --- Start ------------------------------------------------------------------------------------

more.addEventListener('click', () => load(false));

setStatus(status, t('report-status-loading'));
await Promise.all([reportForm.loadChoices(), loadChosen(), loadExports()]);
await reportForm.start();
