// The queue as the console shows it: each waiting consultation's place and how long it has
// waited (in whole minutes, "대기 3분", read again every half minute), from GET /api/v1/queue and the feed's `queue` events (the places in the
// order they are served); the channel and category filter of the waiting list; and the site's
// distribution mode (GET /api/v1/site/distribution), which says whether anyone may take from
// the queue by hand (manual, hybrid) or the queue is distribution's alone.

import { $, h } from './lib/dom.js';
import { t } from './lib/i18n.js';

let call = null;
let changed = () => {};
/** consultation id → its place: {position, waiting_since, estimated_wait_ms, …} */
const places = new Map();
let mode = null;

/** `ctx`: {api, onChange} — onChange redraws the lists. */
export function initQueue(ctx) {
  call = ctx.api;
  changed = ctx.onChange;
  for (const id of ['queue-channel', 'queue-category']) $(id).addEventListener('change', () => changed());
  setInterval(tick, 30000);
}

function setPlaces(list) {
  places.clear();
  for (const p of list) places.set(p.consultation_id, p);
}

/** Reads the queue and the site's mode (on connecting, after a gap). */
export async function loadQueue() {
  const [q, settings] = await Promise.all([call('/queue'), call('/site/distribution')]);
  setPlaces(q.places);
  mode = settings.mode;
  $('queue-auto').hidden = mayTake();
  changed();
}

/** A `queue` event: the queue as it now stands. */
export function onQueue(list) {
  setPlaces(list);
  changed();
}

/** Whether the site lets anyone take a consultation from the queue by hand (the server
 * answers 409 `distribution_only` otherwise). Unknown until read: offered. */
export function mayTake() {
  return mode === null || mode === 'manual' || mode === 'hybrid';
}

/** Why the server refused a take, in words, when it was the site's mode or the caller's limit
 * (`load`: {open, max} as last read); null for anything else. */
export function takeRefusal(e, load) {
  if (e.code === 'limit_reached') return load ? t('console-refused-limit', load) : e.message;
  if (e.code !== 'distribution_only') return null;
  // The admin switched to a fully automatic mode meanwhile: the mode is read again.
  call('/site/distribution')
    .then((s) => {
      mode = s.mode;
      $('queue-auto').hidden = mayTake();
      changed();
    })
    .catch(() => {});
  return t('console-refused-auto');
}

/** Whether a waiting consultation passes the list's filter. */
export function matches(c) {
  const channel = $('queue-channel').value;
  const category = $('queue-category').value;
  return (!channel || c.channel === channel) && (!category || String(c.category_id) === category);
}

const since = (c) => places.get(c.id)?.waiting_since ?? c.waiting_since ?? c.created_at;

/** The order in which the queue is served: by place, then by when each started waiting. */
export function queueOrder(a, b) {
  const pa = places.get(a.id)?.position ?? Infinity;
  const pb = places.get(b.id)?.position ?? Infinity;
  return pa - pb || since(a) - since(b) || a.id - b.id;
}

/** Offers the categories of the waiting consultations in the filter (kept while chosen). */
export function offerCategories(waiting) {
  const select = $('queue-category');
  const ids = [...new Set(waiting.map((c) => c.category_id).filter((id) => id !== null && id !== undefined))]
    .sort((a, b) => a - b).map(String);
  if (select.value && !ids.includes(select.value)) ids.push(select.value);
  const have = [...select.options].slice(1).map((o) => o.value);
  if (have.join() !== ids.join()) {
    select.replaceChildren(select.options[0], ...ids.map((id) => h('option', { value: id }, `#${id}`)));
  }
  $('queue-category-box').hidden = ids.length === 0;
}

/** The filter is for the waiting list only. */
export function showTools(on) {
  $('queue-tools').hidden = !on;
}

/** How long, in whole minutes (a list is not a stopwatch). */
function duration(ms) {
  const minutes = Math.max(0, Math.floor(ms / 60000));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h) return t('console-duration-hours', { h, m });
  if (m) return t('console-duration-minutes', { m });
  return t('console-duration-under-minute');
}

function waitedText(from) {
  return t('console-queue-waited', { time: duration(Date.now() - from) });
}

/** A waiting consultation's place and waiting time, for its list entry. */
export function queueInfo(c) {
  const p = places.get(c.id);
  const from = since(c);
  return h('span', { class: 'queue-info' },
    p ? h('strong', { class: 'queue-position' }, t('console-queue-position', { position: p.position })) : null,
    p ? ' · ' : null,
    h('span', { class: 'queue-waited', dataset: { since: from } }, waitedText(from)));
}

function tick() {
  for (const el of document.querySelectorAll('.queue-waited[data-since]')) {
    const text = waitedText(Number(el.dataset.since));
    if (el.textContent !== text) el.textContent = text;
  }
}
