// Search in the console: the box above the lists asks GET /api/v1/search (customers by name,
// phone, e-mail, ID or customer key; consultations by a parameter's value; messages by their
// text, Korean-aware) and lists what it found under three headings, the searched text marked
// in each message; a click opens that consultation. An agent finds what they may see: their
// own consultations and the queue's. Escape or an empty box closes the results.

import { ApiError } from './lib/api.js';
import { $, h, setStatus } from './lib/dom.js';
import { t } from './lib/i18n.js';
import { channelName, stateName, when } from './console-format.js';

let ctx = null;
/** The search whose answer is awaited (an older answer arriving later is dropped). */
let asked = 0;

/** The letters and digits of a text, lower case: what the server's search compares. */
function letters(text) {
  return [...text.normalize('NFKC').toLowerCase()].filter((c) => /[\p{L}\p{N}]/u.test(c));
}

/**
 * The message's text with the searched letters marked: the server matches ignoring spaces and
 * punctuation, so the mark spans from the first matched letter to the last (with some text
 * around it).
 */
function marked(body, q) {
  const want = letters(q);
  const chars = [...body];
  // Every letter of the text with the index of the character it came from.
  const flat = [];
  chars.forEach((c, i) => letters(c).forEach((l) => flat.push([l, i])));
  for (let p = 0; p + want.length <= flat.length; p += 1) {
    if (want.every((l, k) => flat[p + k][0] === l)) {
      const start = flat[p][1];
      const end = flat[p + want.length - 1][1] + 1;
      const from = Math.max(0, start - 30);
      return [from > 0 ? '…' : '', chars.slice(from, start).join(''),
        h('mark', {}, chars.slice(start, end).join('')), chars.slice(end, end + 80).join(''),
        end + 80 < chars.length ? '…' : ''];
    }
  }
  return [chars.slice(0, 110).join(''), chars.length > 110 ? '…' : ''];
}

function hit(cid, roomId, top, meta, text) {
  return h('li', {},
    h('button', { type: 'button', class: 'item', onclick: () => ctx.open(cid, roomId) },
      h('span', { class: 'item-top' }, ...top),
      text ? h('span', { class: 'hit-text' }, ...text) : null,
      h('span', { class: 'item-meta muted' }, meta)));
}

function group(title, items) {
  return items.length ? [h('h3', {}, title), h('ul', {}, items)] : [];
}

function draw(found, q) {
  const customers = found.customers.map((c) => hit(c.consultation_id, c.room_id,
    [h('span', {}, c.name || c.site_uid || c.customer_key), h('span', { class: `badge ch-${c.channel}` }, channelName(c.channel))],
    [c.phone, c.email, c.site_uid ? `ID ${c.site_uid}` : null, stateName(c.state)].filter(Boolean).join(' · ')));
  const params = found.parameters.map((p) => hit(p.consultation_id, p.room_id,
    [h('span', {}, t('console-consultation-no', { id: p.consultation_id })), h('span', { class: `badge ch-${p.channel}` }, channelName(p.channel))],
    [`${ctx.slotLabel(p.slot)}: ${p.value}`, p.customer_name, stateName(p.state), when(p.created_at)].filter(Boolean).join(' · ')));
  const messages = found.messages.map((m) => hit(m.consultation_id, m.room_id,
    [h('span', {}, m.customer_name || t('console-consultation-no', { id: m.consultation_id })), h('span', { class: `badge ch-${m.channel}` }, channelName(m.channel))],
    [t(`console-search-sender-${m.sender}`), when(m.created_at)].join(' · '),
    marked(m.body, q)));
  const box = $('search-results');
  box.replaceChildren(
    ...group(t('console-search-customers'), customers),
    ...group(t('console-search-parameters'), params),
    ...group(t('console-search-messages'), messages));
  const total = customers.length + params.length + messages.length;
  box.hidden = total === 0;
  const behind = found.index.done < found.index.newest;
  setStatus($('search-status'), [
    total ? t('console-search-found', { count: total }) : t('console-search-none', { q }),
    behind ? t('console-search-indexing') : '',
  ].filter(Boolean).join(' '));
}

function close() {
  asked += 1;
  $('search-results').hidden = true;
  $('search-results').replaceChildren();
  setStatus($('search-status'), '');
}

async function run(q) {
  if (letters(q).length < 2) {
    close();
    if (q.trim()) setStatus($('search-status'), t('console-search-short'));
    return;
  }
  const mine = ++asked;
  setStatus($('search-status'), t('console-search-searching'));
  try {
    const found = await ctx.api(`/search?q=${encodeURIComponent(q)}`);
    if (mine === asked) draw(found, q);
  } catch (e) {
    if (mine !== asked) return;
    $('search-results').hidden = true;
    const reason = e instanceof ApiError ? e.message : String(e?.message ?? e);
    setStatus($('search-status'), t('console-search-failed', { reason }), 'bad');
  }
}

/** `context`: {api, open(cid, roomId), slotLabel(n)}. */
export function initSearch(context) {
  ctx = context;
  const input = $('search-q');
  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    run(input.value);
  });
  input.addEventListener('input', () => {
    if (!input.value.trim()) close();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      input.value = '';
      close();
    }
  });
}
