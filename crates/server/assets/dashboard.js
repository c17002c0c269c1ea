// The report dashboard: the figures of a filter (POST /api/v1/reports/dashboard) as charts,
// each with its numbers in a table. The filter (form, query string, choices, refusals beside
// their fields) is lib/report-filter.js, shared with the consultation history, so a link
// between the two pages keeps it.
//
// Per-day series (inflow per channel, waiting and first-response times) are uPlot line charts
// (vendor/uplot, a global `uPlot` loaded before this module); the x axis is the day's index,
// labelled with the site's dates as the API gives them, so no time zone is worked out here.
// Counts per category, agent and score are tables with a bar in each row (see the template).

import { api } from './lib/api.js';
import { $, debounce, h, setStatus } from './lib/dom.js';
import { has, lang, t } from './lib/i18n.js';
import { reportFilter } from './lib/report-filter.js';

const cfg = JSON.parse($('dashboard-page').dataset.config);
const status = $('report-status');
const charts = $('charts');
const empty = $('dashboard-empty');

/** The order channels are listed in, and how their lines look (colour and dash, so that
 * lines stay apart without colour too). */
const CHANNELS = {
  webchat_v2: { stroke: '#1d4ed8', dash: undefined },
  webchat_v1: { stroke: '#0e7490', dash: [8, 4] },
  kakao: { stroke: '#b45309', dash: undefined },
  naver: { stroke: '#15803d', dash: [3, 3] },
};
const CHART_HEIGHT = 260;

const numbers = new Intl.NumberFormat(lang);
const decimal = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });

/** The uPlot instances drawn, by the id of their box. */
const plots = new Map();
/** Counts the reads, so that an answer to an older filter is dropped. */
let reading = 0;

const reportForm = reportFilter({ cfg, status, search: load, failedKey: 'dashboard-status-failed' });
reportForm.setColumns(cfg.columns);

// --- Words for numbers -----------------------------------------------------------------------

/** A duration in words: `42초`, `3분 5초`, `2시간 10분` (a tenth of a second under 10 s). */
function durationText(ms) {
  if (ms === null || ms === undefined) return '–';
  if (ms < 60_000) {
    const s = ms < 10_000 ? Math.round(ms / 100) / 10 : Math.round(ms / 1000);
    if (s < 60) return t('dashboard-dur-s', { s: decimal.format(s) });
  }
  const total = Math.round(ms / 1000);
  if (total < 3600) return t('dashboard-dur-ms', { m: Math.floor(total / 60), s: total % 60 });
  return t('dashboard-dur-hm', { h: numbers.format(Math.floor(total / 3600)), m: Math.floor((total % 3600) / 60) });
}

function channelName(c) {
  return has(`console-channel-${c}`) ? t(`console-channel-${c}`) : c;
}

function percent(part, whole) {
  return whole > 0 ? (100 * part) / whole : 0;
}

/** A format with as many decimals as the axis's step needs (0.05 apart: two). */
function tickFormat(splits) {
  const step = splits.length > 1 ? Math.abs(splits[1] - splits[0]) : 1;
  const digits = step > 0 ? Math.min(3, Math.max(0, -Math.floor(Math.log10(step) + 1e-9))) : 0;
  return new Intl.NumberFormat(lang, { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** The unit a time chart's axis uses, after its longest value. */
function unitFor(maxMs) {
  if (maxMs < 120_000) return { div: 1000, key: 'dashboard-axis-seconds' };
  if (maxMs < 2 * 3_600_000) return { div: 60_000, key: 'dashboard-axis-minutes' };
  return { div: 3_600_000, key: 'dashboard-axis-hours' };
}

// --- Charts ----------------------------------------------------------------------------------

/** The x axis of days: whole indexes only, as many labels as fit, `MM-DD`. */
function dayAxis(days) {
  return {
    splits: (u) => {
      const room = Math.max(2, Math.floor(u.width / 64));
      const step = Math.max(1, Math.ceil(days.length / room));
      const out = [];
      for (let i = 0; i < days.length; i += step) out.push(i);
      return out;
    },
    values: (u, splits) => splits.map((i) => days[i]?.date.slice(5) ?? ''),
    grid: { show: false },
  };
}

/** Draws (again) the chart in box `id`: days on x, `series` ([{label, values, stroke, dash}]). */
function lineChart(id, days, series, { axisLabel, format, incrs }) {
  plots.get(id)?.destroy();
  const box = $(id);
  const top = Math.max(0, ...series.flatMap((s) => s.values.filter((v) => v !== null)));
  const opts = {
    width: Math.max(280, box.clientWidth),
    height: CHART_HEIGHT,
    cursor: { drag: { x: false, y: false }, points: { size: 8 } },
    legend: { show: true, live: true },
    scales: {
      // Half a day of room either side, so the first and last points (and a lone day) show.
      x: { time: false, range: () => [-0.5, days.length - 0.5] },
      y: { range: () => [0, top > 0 ? top * 1.12 : 1] },
    },
    axes: [
      dayAxis(days),
      {
        label: axisLabel,
        size: 56,
        incrs,
        values: (u, splits) => splits.map((v) => tickFormat(splits).format(v)),
      },
    ],
    series: [
      { label: t('dashboard-col-date'), value: (u, i) => (i === null ? '–' : days[i]?.date ?? '') },
      ...series.map((s) => ({
        label: s.label,
        stroke: s.stroke,
        dash: s.dash,
        width: 2,
        spanGaps: false,
        points: { show: true, size: 6, fill: s.stroke },
        value: (u, v) => (v === null || v === undefined ? '–' : format(v)),
      })),
    ],
  };
  const data = [days.map((_, i) => i), ...series.map((s) => s.values)];
  box.replaceChildren();
  plots.set(id, new uPlot(opts, data, box));
}

/** Steps of a count axis: whole numbers only. */
const COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 1_000_000];

function countChart(id, days, series) {
  lineChart(id, days, series, { axisLabel: t('dashboard-axis-count'), format: (v) => numbers.format(v), incrs: COUNT_STEPS });
}

/** Median and 90th percentile per day of a `waiting` or `first_response` spread. */
function spreadChart(id, days, field) {
  const top = Math.max(0, ...days.map((d) => d[field].p90_ms ?? 0));
  const unit = unitFor(top);
  const of = (k) => days.map((d) => (d[field][k] === null ? null : d[field][k] / unit.div));
  lineChart(id, days, [
    { label: t('dashboard-col-median'), values: of('median_ms'), stroke: '#1d4ed8' },
    { label: t('dashboard-col-p90'), values: of('p90_ms'), stroke: '#b91c1c', dash: [6, 4] },
  ], { axisLabel: t(unit.key), format: (v) => `${decimal.format(v)} ${t(unit.key)}` });
}

const resize = debounce(() => {
  for (const [id, u] of plots) {
    const width = Math.max(280, $(id).clientWidth);
    if (width !== u.width) u.setSize({ width, height: CHART_HEIGHT });
  }
}, 100);
new ResizeObserver(resize).observe(charts);

// --- Tables ----------------------------------------------------------------------------------

function num(v) {
  return h('td', { class: 'num' }, numbers.format(v));
}

/** The inflow table: a row per day, a column per channel, and the totals. */
function drawInflowTable(days, channels) {
  const table = $('inflow-table');
  table.tHead.rows[0].replaceChildren(
    h('th', { scope: 'col' }, t('dashboard-col-date')),
    ...channels.map((c) => h('th', { scope: 'col', class: 'num', dataset: { channel: c } }, channelName(c))),
    h('th', { scope: 'col', class: 'num' }, t('dashboard-col-total')));
  const sums = Object.fromEntries(channels.map((c) => [c, 0]));
  const rows = days.map((d) => {
    let total = 0;
    const cells = channels.map((c) => {
      const n = d.inflow[c] ?? 0;
      sums[c] += n;
      total += n;
      return num(n);
    });
    return h('tr', { dataset: { date: d.date } }, h('th', { scope: 'row' }, d.date), ...cells, num(total));
  });
  const all = Object.values(sums).reduce((a, b) => a + b, 0);
  rows.push(h('tr', { class: 'sum' }, h('th', { scope: 'row' }, t('dashboard-col-total')),
    ...channels.map((c) => num(sums[c])), num(all)));
  table.tBodies[0].replaceChildren(...rows);
}

function drawSpreadTable(id, days, field) {
  $(id).tBodies[0].replaceChildren(...days.map((d) => h('tr', { dataset: { date: d.date } },
    h('th', { scope: 'row' }, d.date),
    h('td', { class: 'num' }, durationText(d[field].median_ms)),
    h('td', { class: 'num' }, durationText(d[field].p90_ms)),
    num(d[field].count))));
}

/** A table of counts with a bar each: [{label, count}], shares of `total`. */
function drawBars(id, entries, total) {
  const top = Math.max(1, ...entries.map((e) => e.count));
  $(id).tBodies[0].replaceChildren(...entries.map((e) => {
    const bar = h('span', { class: 'bar' });
    // Through the CSSOM: the policy refuses style attributes, not this.
    bar.style.width = `${percent(e.count, top)}%`;
    return h('tr', {},
      h('th', { scope: 'row' }, e.label),
      num(e.count),
      h('td', { class: 'num' }, t('dashboard-percent', { n: decimal.format(percent(e.count, total)) })),
      h('td', { class: 'bar-cell', 'aria-hidden': 'true' }, bar));
  }));
}

function drawHeadline(d, total) {
  $('headline-total').textContent = numbers.format(total);
  $('headline-waiting-median').textContent = durationText(d.waiting.median_ms);
  $('headline-waiting-p90').textContent = durationText(d.waiting.p90_ms);
  $('headline-waiting-count').textContent = t('dashboard-based-on', { count: numbers.format(d.waiting.count) });
  $('headline-first-median').textContent = durationText(d.first_response.median_ms);
  $('headline-first-p90').textContent = durationText(d.first_response.p90_ms);
  $('headline-first-count').textContent = t('dashboard-based-on', { count: numbers.format(d.first_response.count) });
}

// --- Reading ---------------------------------------------------------------------------------

function draw(d) {
  const days = d.days ?? [];
  const channels = Object.keys(CHANNELS).filter((c) => days.some((day) => c in day.inflow));
  for (const day of days) for (const c of Object.keys(day.inflow)) if (!channels.includes(c)) channels.push(c);
  const total = days.reduce((sum, day) => sum + Object.values(day.inflow).reduce((a, b) => a + b, 0), 0);
  drawHeadline(d, total);
  empty.hidden = total > 0;
  charts.hidden = total === 0;
  drawInflowTable(days, channels);
  drawSpreadTable('waiting-table', days, 'waiting');
  drawSpreadTable('first-table', days, 'first_response');
  drawBars('categories-table', (d.categories ?? []).map((c) => ({
    label: c.name ?? (c.id === null ? t('dashboard-unclassified') : t('dashboard-category-id', { id: c.id })),
    count: c.count,
  })), total);
  drawBars('agents-table', (d.agents ?? []).map((a) => ({
    label: a.name ?? (a.id === null ? t('dashboard-nobody') : t('dashboard-agent-id', { id: a.id })),
    count: a.count,
  })), total);
  drawBars('scores-table', [
    ...(d.scores ?? []).map((count, i) => ({ label: t('report-score', { score: i + 1 }), count })),
    { label: t('dashboard-unrated'), count: d.unrated ?? 0 },
  ], total);
  if (total === 0) {
    for (const u of plots.values()) u.destroy();
    plots.clear();
    return;
  }
  // Only the channels with consultations get a line (the table lists every channel).
  const shown = channels.filter((c) => days.some((day) => (day.inflow[c] ?? 0) > 0));
  countChart('inflow-chart', days, shown.map((c) => ({
    label: channelName(c),
    values: days.map((day) => day.inflow[c] ?? 0),
    ...(CHANNELS[c] ?? { stroke: '#6b7280' }),
  })));
  spreadChart('waiting-chart', days, 'waiting');
  spreadChart('first-chart', days, 'first_response');
}

/** Reads the figures of `filter` and draws them. */
async function load(filter) {
  reading += 1;
  const mine = reading;
  setStatus(status, t('dashboard-status-loading'));
  let d;
  try {
    d = await api('/api/v1/reports/dashboard', { method: 'POST', body: { filter } });
  } catch (e) {
    if (mine === reading) reportForm.showRefusal(e);
    return;
  }
  if (mine !== reading) return;
  draw(d);
  setStatus(status, '');
}

setStatus(status, t('dashboard-status-loading'));
await reportForm.loadChoices();
await reportForm.start();
