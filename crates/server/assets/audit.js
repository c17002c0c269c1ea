// Audit log page: reads the site's log a page at a time, newest first
// (GET /api/v1/site/audit?action=&actor=&before=), of one action or one account, and shows each
// entry in words: the action's name, its target (an account by its name when the site has it,
// else "account #7", "session #12", …) and what changed, as `key: value` lines. The accounts
// of the filter come from GET /api/v1/agents. Changing a filter reads again from the newest.

import { api, ApiError } from './lib/api.js';
import { $, h, setStatus } from './lib/dom.js';
import { has, lang, t } from './lib/i18n.js';

/** Entries per page. */
const PAGE = 50;
/** How much of a nested value a cell shows (all of it is in its title). */
const LONGEST_VALUE = 160;

const when = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium' });
const rows = $('audit-rows');
const status = $('audit-status');
const more = $('audit-more');
const filterAction = $('filter-action');
const filterActor = $('filter-actor');

/** The site's accounts: id (as text) → name. */
const names = new Map();
/** Why the accounts could not be read, if they could not. */
let accountsFailure = null;
let shown = 0;
let nextBefore = null;
/** Counts the reads, so that an answer to an older filter is dropped. */
let reading = 0;

function reason(e) {
  return e instanceof ApiError ? e.message : String(e?.message ?? e);
}

function time(ms) {
  const at = new Date(ms);
  return h('time', { datetime: at.toISOString() }, when.format(at));
}

function actionName(action) {
  return has(`audit-action-${action}`) ? t(`audit-action-${action}`) : action;
}

/** `agent:7`, `session:12`, `kakao`, or empty (the site), in words. */
function target(text) {
  if (!text) return t('audit-target-site');
  const m = /^([a-z_]+):(.+)$/.exec(text);
  if (m) {
    const [, kind, id] = m;
    if (kind === 'agent' && names.has(id)) return names.get(id);
    return has(`audit-target-${kind}`) ? t(`audit-target-${kind}`, { id }) : text;
  }
  return has(`console-channel-${text}`) ? t(`console-channel-${text}`) : text;
}

/** A value of the detail as one line (nested values as JSON text, cut when long). */
function valueText(v) {
  if (v === null || v === undefined) return { text: '—' };
  if (typeof v !== 'object') return { text: String(v) };
  const json = JSON.stringify(v);
  return json.length > LONGEST_VALUE ? { text: `${json.slice(0, LONGEST_VALUE)}…`, title: json } : { text: json };
}

function detail(d) {
  if (d === null || d === undefined) return t('audit-detail-none');
  if (typeof d !== 'object' || Array.isArray(d)) return valueText(d).text;
  const entries = Object.entries(d);
  if (entries.length === 0) return t('audit-detail-none');
  return entries.map(([k, v]) => {
    const { text, title } = valueText(v);
    return h('div', { class: 'detail-line', title }, h('span', { class: 'muted' }, `${k}: `), text);
  });
}

function actor(e) {
  // No account: the server itself, or someone above the site (the platform operator, by name).
  if (e.actor_id === null || e.actor_id === undefined) {
    return e.actor_name ? t('audit-actor-operator', { name: e.actor_name }) : t('audit-actor-server');
  }
  return e.actor_name || names.get(String(e.actor_id)) || t('audit-target-agent', { id: e.actor_id });
}

function row(e) {
  return h('tr', { dataset: { entry: e.id } },
    h('th', { scope: 'row' }, time(e.at)),
    h('td', {}, actor(e)),
    h('td', { dataset: { action: e.action } }, actionName(e.action)),
    h('td', {}, target(e.target)),
    h('td', { class: 'detail' }, detail(e.detail)));
}

function showCount() {
  let text = t('audit-status-empty');
  if (shown > 0) text = nextBefore === null ? t('audit-status-count', { count: shown }) : t('audit-status-count-more', { count: shown });
  if (accountsFailure) text = `${text} ${t('audit-status-accounts-failed', { reason: reason(accountsFailure) })}`;
  setStatus(status, text);
}

/** Reads a page of the log: from the newest when `fresh` (a filter changed), else older ones. */
async function load(fresh) {
  reading += 1;
  const mine = reading;
  const params = new URLSearchParams({ limit: String(PAGE) });
  if (filterAction.value) params.set('action', filterAction.value);
  if (filterActor.value) params.set('actor', filterActor.value);
  if (fresh) {
    shown = 0;
    nextBefore = null;
    more.hidden = true;
  } else if (nextBefore !== null) {
    params.set('before', String(nextBefore));
  }
  setStatus(status, t('audit-status-loading'));
  more.disabled = true;
  let page;
  try {
    page = await api(`/api/v1/site/audit?${params}`);
  } catch (e) {
    if (mine !== reading) return;
    more.disabled = false;
    if (e?.status === 401) setStatus(status, t('audit-status-login-again'), 'bad');
    else setStatus(status, t('audit-status-failed', { reason: reason(e) }), 'bad');
    return;
  }
  if (mine !== reading) return;
  const entries = page?.entries ?? [];
  if (fresh) rows.replaceChildren();
  rows.append(...entries.map(row));
  shown += entries.length;
  nextBefore = page?.next_before ?? null;
  if (shown === 0) {
    rows.replaceChildren(h('tr', { class: 'empty' }, h('td', { colspan: 5, class: 'muted' }, t('audit-status-empty'))));
  }
  const hadFocus = document.activeElement === more;
  more.hidden = nextBefore === null;
  more.disabled = false;
  if (hadFocus && more.hidden) document.querySelector('#log .table-scroll')?.focus();
  showCount();
}

async function loadAccounts() {
  try {
    const { agents = [] } = (await api('/api/v1/agents')) ?? {};
    for (const a of agents) {
      names.set(String(a.id), a.display_name);
      filterActor.append(h('option', { value: a.id }, `${a.display_name} (${a.login})`));
    }
  } catch (e) {
    accountsFailure = e;
  }
}

$('audit-filters').addEventListener('submit', (ev) => {
  ev.preventDefault();
  load(true);
});
filterAction.addEventListener('change', () => load(true));
filterActor.addEventListener('change', () => load(true));
more.addEventListener('click', () => load(false));

setStatus(status, t('audit-status-loading'));
await loadAccounts();
await load(true);
