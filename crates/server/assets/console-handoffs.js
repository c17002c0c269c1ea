// Handing a consultation on, in the room view: its holder asks another agent to take it over
// (a transfer request, with a note), sends it back to the queue (into another category and
// division of the site's tree if they choose: distribution then places it by that category),
// and managers assign it to an agent directly — one dialog for the three. Transfer requests addressed to the agent appear
// at the top of the console with the sender, the note and accept/decline, until answered or
// lapsed (GET /api/v1/transfers on connecting, then the feed's `transfer` events); the sender
// is told the outcome there too. The consultation's timeline in the customer panel says who
// assigned, took, transferred, sent back or reclaimed it, and when, as sentences (the
// `timeline` of GET /api/v1/consultations/{id}), read when a consultation is shown and again
// when the feed says it changed; a send-back into another category says from which to which.

import { $, debounce, h, setStatus } from './lib/dom.js';
import { has, lang, t } from './lib/i18n.js';
import { boardLoad, everyone, loadPeople, myLoad, nameOf, onPeople, presenceName } from './console-agents.js';

let ctx = null;
/** Pending requests to the caller, by request id. */
const received = new Map();
/** Pending requests from the caller, by consultation id. */
const sent = new Map();
/** The dialog's errand: {kind: 'transfer'|'assign'|'send-back', c} while it is open. */
let errand = null;
/** The site's category tree (GET /api/v1/categories), read when it is needed: names change. */
let tree = null;

/**
 * `context`: {api, me, seesAll, shown() (the consultation on screen or null), upsert(c),
 * open(cid, roomId), notice(text), redraw()}.
 */
export function initHandoffs(context) {
  ctx = context;
  $('transfer').addEventListener('click', () => openDialog('transfer'));
  $('send-back').addEventListener('click', () => openDialog('send-back'));
  $('assign').addEventListener('click', () => openDialog('assign'));
  $('handoff-form').addEventListener('submit', (e) => {
    e.preventDefault();
    submit();
  });
  $('handoff-cancel').addEventListener('click', () => $('handoff-dialog').close());
  $('handoff-category').addEventListener('change', () => {
    if (errand) fillDivisions(errand.c);
  });
  $('handoff-dialog').addEventListener('close', () => {
    // The button that opened it (its id is the errand's kind).
    const opener = errand && $(errand.kind);
    errand = null;
    if (opener && !opener.hidden) opener.focus();
  });
  onPeople(() => {
    renderRequests();
    renderTimeline();
    ctx.redraw();
  });
  setInterval(tickRequests, 1000);
}

// ---------------------------------------------------------------------------------------------
// The room's buttons

/** Shows what the caller may do with the consultation on screen (`c`, or null). */
export function renderActions(c) {
  const open = c && c.state === 'in_progress';
  const holder = open && c.agent_id === ctx.me.id;
  const asking = c ? sent.get(c.id) : undefined;
  $('transfer').hidden = !holder;
  $('transfer').disabled = Boolean(asking);
  $('send-back').hidden = !(open && (holder || ctx.seesAll));
  $('assign').hidden = !(ctx.seesAll && c && (c.state === 'waiting' || c.state === 'in_progress'));
  const pending = $('transfer-pending');
  if (holder && asking) {
    pending.replaceChildren(t('console-transfer-pending', { name: nameOf(asking.to_agent_id) }), ' ',
      h('button', { type: 'button', id: 'transfer-withdraw', class: 'secondary small', onclick: () => withdraw(asking) },
        t('console-withdraw')));
  } else {
    pending.replaceChildren();
  }
  pending.hidden = !(holder && asking);
}

/** The sender takes back a request not answered yet. */
async function withdraw(r) {
  try {
    await ctx.api(`/transfers/${r.id}/withdraw`, { method: 'POST' });
    // The feed brings the same: whichever comes first says so, once.
    if (sent.get(r.consultation_id)?.id === r.id) {
      sent.delete(r.consultation_id);
      news(t('console-transfer-withdrawn', { name: nameOf(r.to_agent_id), id: r.consultation_id }));
    }
    ctx.redraw();
    $('transfer')?.focus();
  } catch (e) {
    // Answered or lapsed meanwhile: its outcome comes with the feed.
    news(t('console-request-failed', { reason: e.message }));
  }
}

// ---------------------------------------------------------------------------------------------
// The dialog

function agentOption(a, withLoad) {
  const load = withLoad ? boardLoad(a.id) : null;
  const label = load
    ? t('console-agent-option-load', { name: a.display_name, presence: presenceName(a.presence), open: load.open, max: load.max })
    : t('console-agent-option', { name: a.display_name, presence: presenceName(a.presence) });
  return h('option', { value: a.id }, label);
}

async function openDialog(kind) {
  const c = ctx.shown();
  if (!c) return;
  errand = { kind, c };
  const form = $('handoff-form');
  $('handoff-title').textContent = t(`console-${kind}-title`);
  const lead = { transfer: t('console-transfer-lead'), 'send-back': t('console-send-back-lead') }[kind] ?? '';
  $('handoff-lead').textContent = lead;
  $('handoff-lead').hidden = !lead;
  $('handoff-submit').textContent = t(`console-${kind}-send`);
  $('handoff-submit').disabled = false;
  $('handoff-note').value = '';
  $('handoff-note-field').hidden = kind === 'assign';
  $('handoff-agent-field').hidden = kind === 'send-back';
  $('handoff-category-field').hidden = true;
  $('handoff-division-field').hidden = true;
  $('handoff-category').replaceChildren();
  $('handoff-division').replaceChildren();
  setStatus($('handoff-error'), '');
  $('handoff-agent').removeAttribute('aria-invalid');
  form.dataset.kind = kind;
  const select = $('handoff-agent');
  select.replaceChildren();
  $('handoff-dialog').showModal();
  if (kind === 'send-back') {
    $('handoff-note').focus();
    await loadTree();
    if (errand?.c === c) fillCategories(c);
    return;
  }
  try {
    // Presence changes by the minute: read afresh whom there is.
    await loadPeople();
  } catch {
    /* the names known so far */
  }
  if (errand?.c !== c) return;
  const candidates = everyone().filter((a) => (kind === 'transfer' ? a.id !== ctx.me.id : a.id !== c.agent_id));
  // Those who are online first, then by name.
  const rank = { online: 0, away: 1, offline: 2 };
  candidates.sort((a, b) => (rank[a.presence] ?? 3) - (rank[b.presence] ?? 3)
    || a.display_name.localeCompare(b.display_name));
  select.replaceChildren(h('option', { value: '' }, t('console-handoff-choose')),
    ...candidates.map((a) => agentOption(a, kind === 'assign')));
  if (!candidates.length) {
    setStatus($('handoff-error'), t('console-no-agents'), 'bad');
    $('handoff-submit').disabled = true;
  }
  select.focus();
}

async function submit() {
  if (!errand) return;
  const { kind, c } = errand;
  const note = $('handoff-note').value.trim();
  const to = Number($('handoff-agent').value);
  setStatus($('handoff-error'), '');
  if (kind !== 'send-back' && !to) {
    $('handoff-agent').setAttribute('aria-invalid', 'true');
    setStatus($('handoff-error'), t('console-choose-agent-first'), 'bad');
    $('handoff-agent').focus();
    return;
  }
  $('handoff-submit').disabled = true;
  try {
    if (kind === 'transfer') {
      const r = await ctx.api(`/consultations/${c.id}/transfers`, {
        method: 'POST',
        body: note ? { to_agent_id: to, note } : { to_agent_id: to },
      });
      sent.set(c.id, r.transfer);
      ctx.notice(t('console-transfer-requested', { name: nameOf(to) }));
    } else if (kind === 'assign') {
      const r = await ctx.api(`/consultations/${c.id}/assign`, { method: 'POST', body: { agent_id: to } });
      ctx.upsert(r.consultation);
      ctx.notice(t('console-assigned', { name: nameOf(to) }));
    } else {
      const body = note ? { note } : {};
      const category = Number($('handoff-category').value);
      const division = Number($('handoff-division').value);
      if (category) body.category_id = category;
      if (division) body.division_id = division;
      const r = await ctx.api(`/consultations/${c.id}/send-back`, { method: 'POST', body });
      ctx.upsert(r.consultation);
      const moved = r.consultation.category_id !== c.category_id || r.consultation.division_id !== c.division_id;
      // At the top of the console, not in the room: distribution may give it to someone else
      // at once, and the room then closes.
      news(moved
        ? t('console-sent-back-into', {
          id: c.id, category: classification(r.consultation.category_id, r.consultation.division_id),
        })
        : t('console-sent-back', { id: c.id }));
    }
    $('handoff-dialog').close();
    ctx.redraw();
  } catch (e) {
    const text = e.code === 'limit_reached' && kind === 'assign'
      ? t('console-refused-agent-limit', { name: nameOf(to) })
      : e.message;
    setStatus($('handoff-error'), text, 'bad');
  } finally {
    $('handoff-submit').disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------
// Categories: where a consultation sent back goes, and their names on the timeline

/** Reads the site's tree afresh (the last one read stays when that fails). */
async function loadTree() {
  try {
    tree = await ctx.api('/categories');
  } catch {
    /* the names known so far */
  }
}

/** A category's or division's name (its id when the tree does not have it). */
function nodeName(id) {
  if (id === null || id === undefined) return null;
  for (const c of tree?.categories ?? []) {
    if (c.id === id) return c.name;
    const d = c.divisions.find((x) => x.id === id);
    if (d) return d.name;
  }
  return `#${id}`;
}

/** "배송 / 지연", "배송", or none. */
function classification(category, division) {
  if (category === null || category === undefined) return t('console-none');
  return division === null || division === undefined
    ? nodeName(category)
    : t('console-send-back-path', { category: nodeName(category), division: nodeName(division) });
}

/** The category select of the send-back: keep the consultation's, or one in use. */
function fillCategories(c) {
  const used = (tree?.categories ?? []).filter((x) => x.used);
  $('handoff-category').replaceChildren(
    h('option', { value: '' }, t('console-send-back-keep', { name: nodeName(c.category_id) ?? t('console-none') })),
    ...used.map((x) => h('option', { value: x.id }, x.name)));
  $('handoff-category').value = '';
  // A site without categories has nothing to choose.
  $('handoff-category-field').hidden = used.length === 0;
  fillDivisions(c);
}

/** The division select, for the category chosen: keep the consultation's division while the
 * category stays, none for another category, or a division in use of it. */
function fillDivisions(c) {
  const chosen = Number($('handoff-category').value) || null;
  const same = chosen === null || chosen === c.category_id;
  const category = same ? c.category_id : chosen;
  const divisions = ((tree?.categories ?? []).find((x) => x.id === category)?.divisions ?? []).filter((d) => d.used);
  const first = same
    ? t('console-send-back-keep', { name: nodeName(c.division_id) ?? t('console-none') })
    : t('console-send-back-no-division');
  $('handoff-division').replaceChildren(h('option', { value: '' }, first),
    ...divisions.map((d) => h('option', { value: d.id }, d.name)));
  $('handoff-division').value = '';
  // Nothing to choose but what the first option says: no select.
  $('handoff-division-field').hidden = $('handoff-category-field').hidden || divisions.length === 0;
}

// ---------------------------------------------------------------------------------------------
// Requests addressed to the caller, and what became of the caller's own

/** A line at the top of the console (newest first; the last few are kept, each dismissable). */
export function news(text) {
  const list = $('news');
  list.prepend(h('li', {},
    h('span', {}, text),
    h('button', {
      type: 'button',
      class: 'link',
      'aria-label': t('console-dialog-close'),
      onclick: (e) => e.currentTarget.closest('li').remove(),
    }, '×')));
  while (list.children.length > 4) list.lastElementChild.remove();
}

function secondsLeft(r) {
  return Math.max(0, Math.ceil((r.expires_at - Date.now()) / 1000));
}

function requestItem(r) {
  return h('li', { class: 'request', dataset: { request: r.id } },
    h('p', { class: 'request-from' }, t('console-request-from', { name: nameOf(r.from_agent_id), id: r.consultation_id })),
    r.note ? h('p', { class: 'request-note' }, t('console-request-note', { note: r.note })) : null,
    h('p', { class: 'request-expires muted' }, t('console-request-expires', { seconds: secondsLeft(r) })),
    h('div', { class: 'request-actions' },
      h('button', { type: 'button', onclick: () => answer(r, true) }, t('console-accept')),
      h('button', { type: 'button', class: 'secondary', onclick: () => answer(r, false) }, t('console-decline'))));
}

function renderRequests() {
  const list = $('request-list');
  const focused = document.activeElement?.closest?.('.request')?.dataset.request;
  list.replaceChildren(...[...received.values()].sort((a, b) => a.id - b.id).map(requestItem));
  $('requests').hidden = received.size === 0;
  if (focused) list.querySelector(`.request[data-request="${focused}"] button`)?.focus();
}

function tickRequests() {
  for (const r of [...received.values()]) {
    if (Date.now() > r.expires_at + 1000) {
      // Lapsed: the server says so within seconds; the prompt goes now.
      received.delete(r.id);
      news(t('console-request-lapsed', { id: r.consultation_id }));
      renderRequests();
      continue;
    }
    const el = document.querySelector(`.request[data-request="${r.id}"] .request-expires`);
    if (el) el.textContent = t('console-request-expires', { seconds: secondsLeft(r) });
  }
}

async function answer(r, accept) {
  try {
    await ctx.api(`/transfers/${r.id}/${accept ? 'accept' : 'decline'}`, { method: 'POST' });
    received.delete(r.id);
    renderRequests();
    if (!accept) {
      news(t('console-request-declined', { id: r.consultation_id }));
      return;
    }
    news(t('console-request-accepted', { id: r.consultation_id }));
    // It is the caller's now: shown at once (the feed brings the same).
    const d = await ctx.api(`/consultations/${r.consultation_id}`);
    ctx.upsert(d.consultation);
    ctx.open(d.consultation.id, d.consultation.room_id);
  } catch (e) {
    if (e.code === 'limit_reached') {
      const load = myLoad();
      news(load ? t('console-refused-limit', load) : e.message);
    } else if (e.status === 409 || e.status === 404) {
      // Answered, lapsed or moved meanwhile.
      received.delete(r.id);
      renderRequests();
      news(t('console-request-lapsed', { id: r.consultation_id }));
    } else {
      news(t('console-request-failed', { reason: e.message }));
    }
  }
}

const OUTCOME = {
  accepted: 'console-transfer-accepted',
  declined: 'console-transfer-declined',
  expired: 'console-transfer-expired',
  withdrawn: 'console-transfer-withdrawn',
};

/** A `transfer` event: a request to or from the caller was made, answered or lapsed. */
export function onTransfer(r) {
  if (r.to_agent_id === ctx.me.id) {
    if (r.state === 'pending') {
      received.set(r.id, r);
      // Read out by screen readers: the prompt itself appears at the top of the page.
      $('announce').textContent = t('console-request-from', { name: nameOf(r.from_agent_id), id: r.consultation_id });
    } else if (received.delete(r.id) && r.state === 'expired') {
      news(t('console-request-lapsed', { id: r.consultation_id }));
    } else if (r.state === 'withdrawn') {
      news(t('console-request-withdrawn', { name: nameOf(r.from_agent_id), id: r.consultation_id }));
    }
    renderRequests();
  }
  if (r.from_agent_id === ctx.me.id) {
    if (r.state === 'pending') {
      sent.set(r.consultation_id, r);
    } else if (sent.get(r.consultation_id)?.id === r.id) {
      sent.delete(r.consultation_id);
      news(t(OUTCOME[r.state] ?? 'console-transfer-expired', { name: nameOf(r.to_agent_id), id: r.consultation_id }));
    }
    ctx.redraw();
  }
}

/** Reads the pending requests to and from the caller (on connecting, after a gap). */
export async function loadTransfers() {
  const r = await ctx.api('/transfers');
  received.clear();
  sent.clear();
  for (const x of r.transfers) {
    if (x.state !== 'pending') continue;
    if (x.to_agent_id === ctx.me.id) received.set(x.id, x);
    if (x.from_agent_id === ctx.me.id) sent.set(x.consultation_id, x);
  }
  renderRequests();
  ctx.redraw();
}

// ---------------------------------------------------------------------------------------------
// The timeline

/** The consultation whose timeline is on screen, and its entries. */
let shownId = null;
let entries = [];

const timeFmt = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'ko-KR', {
  month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});

function sentence(e) {
  const args = { agent: nameOf(e.agent_id), actor: nameOf(e.actor_id), from: nameOf(e.from_agent_id) };
  const key = `console-tl-${e.kind}`;
  return has(key) ? t(key, args) : t('console-tl-other');
}

function renderTimeline() {
  const list = $('timeline');
  if (shownId === null) {
    list.replaceChildren();
    return;
  }
  list.replaceChildren(...entries.map((e) => h('li', { dataset: { kind: e.kind } },
    h('time', { datetime: new Date(e.at).toISOString() }, timeFmt.format(e.at)),
    ' ',
    h('span', { class: 'tl-text' }, sentence(e)),
    e.category_id ? h('span', { class: 'tl-category' }, t('console-tl-recategorized', {
      from: classification(e.from_category_id, e.from_division_id),
      to: classification(e.category_id, e.division_id),
    })) : null,
    e.note ? h('span', { class: 'tl-note' }, t('console-tl-note', { note: e.note })) : null)));
  if (!entries.length) list.append(h('li', { class: 'muted' }, t('console-timeline-empty')));
}

/** Shows the timeline of consultation `cid` (null: none). */
export async function showTimeline(cid) {
  if (cid !== shownId) {
    shownId = cid;
    entries = [];
    renderTimeline();
  }
  if (cid === null) return;
  try {
    const d = await ctx.api(`/consultations/${cid}`);
    if (shownId !== cid) return;
    // Names of the categories a send-back moved it between.
    if ((d.timeline ?? []).some((e) => e.category_id)) await loadTree();
    if (shownId !== cid) return;
    entries = d.timeline ?? [];
    renderTimeline();
    showHandoff(d.handoff);
  } catch {
    /* the panel says what failed; the timeline stays as it was */
  }
}

/** Why the chatbot handed the consultation to agents, above its conversation with the bot. */
function showHandoff(handoff) {
  const line = $('room-handoff');
  if (!line) return;
  let text = '';
  if (handoff?.kind === 'operator') text = t('console-handoff-operator');
  else if (handoff?.kind === 'block') text = t('console-handoff-block', { block: handoff.block_name ?? '' });
  else if (handoff?.kind === 'fallbacks') text = t('console-handoff-fallbacks', { count: handoff.in_row ?? 0 });
  line.textContent = text;
  line.hidden = !text;
}

/** The shown consultation changed: its timeline is read again shortly. */
export const timelineChanged = debounce(() => {
  if (shownId !== null) showTimeline(shownId);
}, 200);
