// The site's accounts as the console knows them. The directory (GET /api/v1/agents/directory):
// the names the timeline, transfer requests and the board show, and whom a consultation may
// be handed to; an id it does not know (an account added since) reads it again, once. The
// header's own status (online, away, offline), the "takes no consultations" switch and the
// load ("3/10": consultations held of the most held at once), through GET|PUT
// /api/v1/me/presence. For managers and the admin, the live board of agents
// (GET /api/v1/agents/board). They follow the console's feed: an `agent` event carries an
// account's new presence and load at once; consultation events change loads, read again.

import { $, debounce, h, setStatus } from './lib/dom.js';
import { t } from './lib/i18n.js';

let call = null;
let me = null;
let seesAll = false;
/** The caller as last read: {status, takes, presence, open, max}. */
let mine = null;
/** The board's rows by account id, in the server's order. */
const board = new Map();

// ---------------------------------------------------------------------------------------------
// The directory

/** id → {id, display_name, role, presence} */
const people = new Map();
const listeners = [];
const asked = new Set();
let loading = null;

/** Calls `fn` whenever the directory was read again. */
export function onPeople(fn) {
  listeners.push(fn);
}

/** Reads the directory (one read at a time). */
export function loadPeople() {
  if (!loading) {
    loading = call('/agents/directory')
      .then((r) => {
        people.clear();
        for (const a of r.agents) people.set(a.id, a);
        for (const fn of listeners) fn();
        return people;
      })
      .finally(() => {
        loading = null;
      });
  }
  return loading;
}

/** The name of account `id`; one the console does not know yet is read, and shown by number
 * until then. */
export function nameOf(id) {
  const a = people.get(id);
  if (a) return a.display_name;
  if (id !== null && id !== undefined && !asked.has(id)) {
    asked.add(id);
    loadPeople().catch(() => {});
  }
  return t('console-someone', { id });
}

/** Every account, in the directory's order. */
export function everyone() {
  return [...people.values()];
}

/** An account's presence changed (from the console's live feed). */
function setPresence(id, presence) {
  const a = people.get(id);
  if (a) a.presence = presence;
}

// ---------------------------------------------------------------------------------------------
// The caller's own presence and load

const radios = () => [...document.querySelectorAll('input[name="presence"]')];
/** A presence's name in the page's language. */
export const presenceName = (p) => t(`console-presence-${p}`);

/** One account's presence and load, from the API's `{agent, presence, open}` or an `agent`
 * event's flat record. */
function normalise(load) {
  const a = load.agent && typeof load.agent === 'object' ? load.agent : load;
  return {
    id: a.id,
    name: a.display_name,
    status: a.status,
    takes: a.takes_consultations,
    max: a.max_concurrent,
    presence: load.presence,
    open: load.open,
  };
}

function renderMine() {
  if (!mine) return;
  for (const r of radios()) {
    r.checked = r.value === mine.status;
    r.disabled = false;
  }
  const takesNone = $('takes-none');
  takesNone.checked = !mine.takes;
  takesNone.disabled = false;
  const load = $('load');
  load.textContent = t('console-load', { open: mine.open, max: mine.max });
  load.title = t('console-load-title', { open: mine.open, max: mine.max });
  load.classList.toggle('full', mine.open >= mine.max);
}

/** The caller's load as last read, for the sentences that explain a refusal. */
export function myLoad() {
  return mine ? { open: mine.open, max: mine.max } : null;
}

async function loadMine() {
  mine = normalise(await call('/me/presence'));
  renderMine();
}
const refreshMine = debounce(() => loadMine().catch(() => {}), 150);

async function change(body) {
  setStatus($('presence-error'), '');
  try {
    mine = normalise(await call('/me/presence', { method: 'PUT', body }));
    renderMine();
    $('presence-status').textContent = body.takes_consultations === false
      ? t('console-takes-none-on')
      : t('console-presence-now', { status: presenceName(mine.status) });
  } catch (e) {
    renderMine();
    setStatus($('presence-error'), t('console-presence-failed', { reason: e.message }), 'bad');
  }
}

// ---------------------------------------------------------------------------------------------
// The board (managers and the admin)

function boardRow(a) {
  return h('tr', { dataset: { agent: a.id } },
    h('th', { scope: 'row' }, a.name),
    h('td', {}, h('span', { class: `presence-dot ${a.presence}` }, presenceName(a.presence))),
    h('td', { class: a.open >= a.max ? 'load full' : 'load' }, t('console-load', { open: a.open, max: a.max })),
    h('td', {}, a.takes ? t('console-board-takes-yes') : t('console-board-takes-no')));
}

function renderBoard() {
  const rows = $('board-rows');
  if (!rows) return;
  rows.replaceChildren(...[...board.values()].map(boardRow));
  $('board-empty').hidden = board.size > 0;
}

/** An account's load as the board last read it (managers), else null. */
export function boardLoad(id) {
  const a = board.get(id);
  return a ? { open: a.open, max: a.max, presence: a.presence } : null;
}

async function loadBoard() {
  if (!seesAll) return;
  const r = await call('/agents/board');
  board.clear();
  for (const l of r.agents) {
    const a = normalise(l);
    board.set(a.id, a);
  }
  renderBoard();
}
const refreshBoard = debounce(() => loadBoard().catch(() => {}), 300);

// ---------------------------------------------------------------------------------------------
// Wiring

/** `ctx`: {api, me, seesAll}. */
export function initAgents(ctx) {
  call = ctx.api;
  me = ctx.me;
  seesAll = ctx.seesAll;
  // Presence also changes when consoles go away, which no event tells: the board is read
  // again now and then.
  if (seesAll) setInterval(refreshBoard, 30000);
  for (const r of radios()) {
    r.addEventListener('change', () => {
      if (r.checked) change({ status: r.value });
    });
  }
  $('takes-none').addEventListener('change', (e) => change({ takes_consultations: !e.target.checked }));
}

/** Reads the directory, the caller's presence and, for managers, the board (on connecting,
 * after a gap). */
export function loadAgents() {
  return Promise.all([loadPeople(), loadMine(), loadBoard()]);
}

/** An `agent` event: an account's presence or load changed. */
export function onAgent(load) {
  const a = normalise(load);
  setPresence(a.id, a.presence);
  if (a.id === me.id) {
    mine = a;
    renderMine();
  }
  if (seesAll) {
    board.set(a.id, a);
    renderBoard();
  }
}

/** A consultation changed: whoever held it or holds it now has another load. */
export function loadsChanged(c, before) {
  if (c.agent_id === me.id || before?.agent_id === me.id) refreshMine();
  if (seesAll && (c.agent_id !== null || before?.agent_id)) refreshBoard();
}
