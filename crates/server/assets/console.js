// The agent console: tabs of consultations kept live by the console WebSocket and the room view
// (messages, take, reply, close). Everything goes through the JSON API under /api/v1; every
// text comes from the page's texts (lib/i18n.js), in its language. The customer panel (profile,
// extra information, history across channels, correcting the room's ID with its journal) is
// its own module, drawn from the room this one opens; so is distribution: the accounts (the
// directory, the header's status and load, the managers' board), the queue (places, waiting
// times, the filter, the site's mode), handoffs (transfer, assign, send back, requests to
// answer, the timeline). Images and files show as a thumbnail or a download link; the agent sends
// them with the paperclip beside the reply box, or by pasting an image into it. Canned replies
// (typed after `/` in the reply box, and kept in their dialog) are console-canned.js's; typing,
// read marks, the lists' unread counts and previews console-live.js's; notifications and sounds
// console-alerts.js's.

import { api as request, ApiError } from './lib/api.js';
import { channelName, startOfToday, stateName, when } from './console-format.js';
import { closePhoneForm, initPanel, panelNotice, renderPanel } from './console-panel.js';
import { gradeBadges } from './console-notes.js';
import { closeCanned, initCanned } from './console-canned.js';
import { $, debounce, h } from './lib/dom.js';
import { fileView, pastedFiles, upload } from './lib/files.js';
import { t } from './lib/i18n.js';
import { initAgents, loadAgents, loadsChanged, myLoad, onAgent } from './console-agents.js';
import { initSearch } from './console-search.js';
import {
  initLive, markReadNow, markReadSoon, onMessage as liveMessage, onRead, onTyping, previewLine, readsAsItArrives, renderTyping,
  showReadMarks, silent, stopTyping, takeList, unreadBadge,
} from './console-live.js';
import { alertAssigned, alertMessage, alertWaiting, initAlerts } from './console-alerts.js';
import {
  initQueue, loadQueue, matches, mayTake, offerCategories, onQueue, queueInfo, queueOrder, showTools, takeRefusal,
} from './console-queue.js';
import {
  initHandoffs, loadTransfers, onTransfer, renderActions, showTimeline, timelineChanged,
} from './console-handoffs.js';

const root = $('console');
const cfg = JSON.parse(root.dataset.config);
const me = cfg.me;

// ---------------------------------------------------------------------------------------------
// Small helpers

/** What the agent did themself is not announced to them: the consultations they acted on (a
 * take, a close, a send-back…) and when they last changed anything (accepting a transfer). */
const acting = new Map(); // consultation id → until when
let lastAction = 0;
const OWN_ACTION_MS = 5000;
function ownAction(cid) {
  return (acting.get(cid) ?? 0) > Date.now();
}

/** Calls the API under /api/v1 with the session cookie; an expired login goes back to the
 * login page. Failures are ApiErrors (a lost connection says so in the console's words). */
async function api(path, options) {
  if (options?.method && options.method !== 'GET' && !path.endsWith('/read')) {
    lastAction = Date.now();
    const cid = path.match(/^\/consultations\/(\d+)\//)?.[1];
    if (cid) acting.set(Number(cid), Date.now() + OWN_ACTION_MS);
  }
  try {
    return await request(`/api/v1${path}`, options);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (e.status === 0) e.message = t('console-reconnecting');
    if (e.status === 401 && path !== '/auth/logout') {
      showError(t('console-session-over'));
      location.href = '/login';
    }
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Consultations and tabs

/** Every consultation the lists know, by id, kept current by the WebSocket. */
const consultations = new Map();
/** Whether the lists were read once (before, nothing in the feed is news). */
let listsReady = false;
let activeTab = 'waiting';

const TABS = {
  waiting: (c) => c.state === 'waiting',
  mine: (c) => c.state === 'in_progress' && c.agent_id === me.id,
  all: (c) => c.state === 'in_progress',
  closed: (c) => c.state === 'closed' && (c.closed_at ?? 0) >= startOfToday()
    && (cfg.sees_all || c.agent_id === me.id || c.closed_by === me.id),
};
const tabButtons = [...document.querySelectorAll('[role="tab"]')];

function listed(tab) {
  const list = [...consultations.values()].filter(TABS[tab]);
  // The queue in the order it is served; the others newest first.
  if (tab === 'waiting') list.sort(queueOrder);
  else list.sort((a, b) => b.updated_at - a.updated_at || b.id - a.id);
  return list;
}

async function loadLists() {
  const queries = [
    'state=waiting',
    cfg.sees_all ? 'state=in_progress' : 'state=in_progress&mine=true',
    `state=closed&limit=1000${cfg.sees_all ? '' : '&mine=true'}`,
  ];
  const results = await Promise.all(queries.map((q) => api(`/consultations?${q}`)));
  consultations.clear();
  for (const r of results) {
    for (const c of r.consultations) consultations.set(c.id, c);
    takeList(r);
  }
  listsReady = true;
  renderLists();
  if (current) showReadMarks();
}

/** Who a room's customer is, for the list (fetched once per room, refreshed on changes). */
const roomInfo = new Map(); // room id → promise of {name, site_uid, verified, grade, flagged}
const roomNames = new Map(); // room id → the name shown, once known
const roomMarks = new Map(); // room id → {grade, flagged}, once known
const infoOf = (p) => ({
  name: p.name, site_uid: p.site_uid, verified: p.verified, grade: p.grade, flagged: p.flagged,
});
function customerOf(roomId) {
  if (!roomInfo.has(roomId)) {
    const p = (async () => {
      const room = await api(`/rooms/${roomId}`);
      const profile = await api(`/profiles/${room.profile_id}`);
      return infoOf(profile);
    })();
    p.then((info) => setCustomerName(roomId, info), () => roomInfo.delete(roomId));
    roomInfo.set(roomId, p);
  }
  return roomInfo.get(roomId);
}
function setCustomerName(roomId, info) {
  const name = info.name || info.site_uid || t('console-anonymous');
  roomNames.set(roomId, name);
  roomMarks.set(roomId, { grade: info.grade, flagged: info.flagged });
  for (const el of document.querySelectorAll(`.item[data-room="${roomId}"] .who`)) el.textContent = name;
  // A VIP, a blocked or a starred customer is seen in the list before anyone opens it.
  for (const el of document.querySelectorAll(`.item[data-room="${roomId}"] .item-marks`)) {
    el.replaceChildren(...gradeBadges(roomMarks.get(roomId), { short: true }));
  }
}

/** Fills a list entry's button (kept in place, so focus stays on it while it changes): the
 * customer, their marks, the channel and the unread count; the last message (or that nobody
 * wrote yet); the number and time; in the queue, the place and how long it has waited. */
function fillItem(button, c) {
  button.setAttribute('aria-current', current && current.cid === c.id ? 'true' : 'false');
  button.classList.toggle('silent', silent(c.id));
  button.replaceChildren(
    h('span', { class: 'item-top' },
      h('span', { class: 'who' }, roomNames.get(c.room_id) ?? '…'),
      h('span', { class: 'item-marks' }, ...gradeBadges(roomMarks.get(c.room_id), { short: true })),
      h('span', { class: `badge ch-${c.channel}` }, channelName(c.channel)),
      unreadBadge(c.id)),
    previewLine(c),
    h('span', { class: 'item-meta muted' },
      `${t('console-consultation-no', { id: c.id })} · ${when(c.created_at)}`),
    ...(c.state === 'waiting' ? [queueInfo(c)] : []));
}

function renderListsNow() {
  for (const tab of Object.keys(TABS)) {
    const el = document.querySelector(`[data-count="${tab}"]`);
    if (el) el.textContent = String(listed(tab).length);
  }
  const items = $('items');
  const all = listed(activeTab);
  // The waiting list may be filtered by channel or category.
  const waiting = activeTab === 'waiting';
  if (waiting) offerCategories(all);
  showTools(waiting);
  const list = waiting ? all.filter(matches) : all;
  const existing = new Map([...items.children].map((li) => [Number(li.dataset.id), li]));
  const wanted = list.map((c) => {
    let li = existing.get(c.id);
    if (!li) {
      li = h('li', { dataset: { id: c.id } }, h('button', {
        type: 'button',
        class: 'item',
        dataset: { id: c.id, room: c.room_id },
        onclick: () => openRoom(c.id, c.room_id),
      }));
    }
    fillItem(li.firstChild, c);
    return li;
  });
  const unchanged = wanted.length === items.children.length && wanted.every((li, i) => items.children[i] === li);
  if (!unchanged) {
    const focusedId = document.activeElement?.closest?.('.item')?.dataset.id;
    items.replaceChildren(...wanted);
    if (focusedId) items.querySelector(`.item[data-id="${focusedId}"]`)?.focus();
  }
  for (const c of list) customerOf(c.room_id).catch(() => {});
  let empty = list.length ? '' : t(`console-empty-${activeTab}`);
  if (!list.length && all.length) empty = t('console-empty-filtered');
  $('list-empty').textContent = empty;
}
const renderLists = debounce(renderListsNow, 30);

function selectTab(tab, { focus = false } = {}) {
  activeTab = tab;
  for (const b of tabButtons) {
    const on = b.dataset.tab === tab;
    b.setAttribute('aria-selected', on ? 'true' : 'false');
    b.tabIndex = on ? 0 : -1;
    if (on) {
      $('list').setAttribute('aria-labelledby', b.id);
      if (focus) b.focus();
    }
  }
  renderListsNow();
}

for (const b of tabButtons) {
  b.addEventListener('click', () => selectTab(b.dataset.tab));
  b.addEventListener('keydown', (e) => {
    const i = tabButtons.indexOf(b);
    const go = {
      ArrowRight: i + 1, ArrowDown: i + 1, ArrowLeft: i - 1, ArrowUp: i - 1,
      Home: 0, End: tabButtons.length - 1,
    }[e.key];
    if (go === undefined) return;
    e.preventDefault();
    const next = tabButtons[(go + tabButtons.length) % tabButtons.length];
    selectTab(next.dataset.tab, { focus: true });
  });
}

function upsert(c) {
  const before = consultations.get(c.id);
  consultations.set(c.id, c);
  renderLists();
  loadsChanged(c, before);
  if (c.state === 'waiting' && before?.state !== 'waiting') {
    $('announce').textContent = t('console-new-waiting', { count: listed('waiting').length });
  }
  return before;
}

/** A consultation event is news for the agent: one they may take came into the queue, or one
 * was given to them, neither by their own hand. */
function announce(c, before) {
  if (!listsReady || ownAction(c.id)) return;
  if (c.state === 'waiting' && !c.agent_id && before?.state !== 'waiting') {
    if (mayTake()) alertWaiting(c, channelName(c.channel));
  } else if (c.state === 'in_progress' && c.agent_id === me.id && before?.agent_id !== me.id
    && (before?.state === 'waiting' || (!before && Date.now() - lastAction > OWN_ACTION_MS))) {
    alertAssigned(c, channelName(c.channel));
  }
}

// ---------------------------------------------------------------------------------------------
// Realtime

let socket = null;
let attempt = 0;
const resync = debounce(async () => {
  try {
    await Promise.all([loadLists(), loadQueue(), loadAgents(), loadTransfers()]);
    if (current) {
      await loadMessages();
      await refreshRoom();
    }
  } catch (e) {
    if (!leaveIfGone(e)) showError(t('console-load-failed', { reason: e.message }));
  }
}, 50);

/** The close code of a console whose login session was ended (or account deactivated). */
const SESSION_ENDED = 4401;
/** The close code of a console whose account's role changed. */
const ACCOUNT_CHANGED = 4409;

/** The account's role changed: the page is read again, to show what the new role sees. */
function accountChanged() {
  if (accountChanged.done) return;
  accountChanged.done = true;
  location.reload();
}

/** The login is over: say so and go to the login page (nothing reconnects). */
function sessionOver() {
  if (sessionOver.done) return;
  sessionOver.done = true;
  showError(t('console-session-over'));
  location.href = '/login?next=/console';
}

function setConnected(live) {
  const el = $('conn');
  el.textContent = live ? t('console-live') : t('console-reconnecting');
  el.classList.toggle('down', !live);
}

/** Sends a frame on the console's WebSocket; whether it went. */
function send(frame) {
  if (socket?.readyState !== WebSocket.OPEN) return false;
  socket.send(JSON.stringify(frame));
  return true;
}

/** Tells the server which room is open, so an agent receives its messages live even when the
 * consultation is not theirs (the server sends agents only the queue's and their own). */
function watch() {
  send({ type: 'watch', room_id: current?.roomId ?? null });
}

function connect() {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  socket = new WebSocket(`${proto}//${location.host}/api/v1/console/ws`);
  socket.addEventListener('message', (e) => {
    let m;
    try {
      m = JSON.parse(e.data);
    } catch {
      return;
    }
    onEvent(m);
  });
  socket.addEventListener('close', (e) => {
    setConnected(false);
    // 4401: this login was ended (logged out elsewhere, or from the sessions page).
    if (e.code === SESSION_ENDED) {
      sessionOver();
      return;
    }
    if (e.code === ACCOUNT_CHANGED) {
      accountChanged();
      return;
    }
    // Back off (1 s, 2 s, 4 s … at most 30 s, with jitter); make sure the login still holds.
    const delay = Math.min(30000, 1000 * 2 ** attempt) * (0.75 + Math.random() / 2);
    attempt += 1;
    if (attempt % 3 === 0) api('/me').catch(() => {});
    setTimeout(connect, delay);
  });
}

/** Reloads the open room; one the agent may no longer see closes. */
function reloadRoom() {
  const target = current;
  return refreshRoom().catch((e) => {
    if (current === target) leaveIfGone(e);
  });
}
const refreshProfileSoon = debounce(() => current && reloadRoom(), 300);
const refreshRoomSoon = debounce(() => current && reloadRoom(), 100);

function onEvent(m) {
  switch (m.type) {
    case 'hello':
      // Connected (first time or again): whatever happened meanwhile is read afresh.
      attempt = 0;
      setConnected(true);
      watch();
      resync();
      break;
    case 'resync':
      resync();
      break;
    case 'session_ended':
      sessionOver();
      break;
    case 'account_changed':
      accountChanged();
      break;
    case 'watching':
      // The server stopped sending the open room: the agent may no longer see it.
      if (m.left !== undefined && current?.roomId === m.left) leaveRoom();
      break;
    case 'consultation': {
      const c = m.consultation;
      const before = upsert(c);
      announce(c, before);
      roomInfo.delete(c.room_id);
      if (current && c.room_id === current.roomId) {
        timelineChanged();
        // A new consultation in the open room becomes the one shown.
        if (!before && c.id !== current.cid) current.cid = c.id;
        refreshRoomSoon();
        showReadMarks();
        // Taken by this agent: what is on screen is read now.
        markReadSoon();
      } else if (current) {
        // Perhaps another room of the customer on screen (another channel): their history.
        refreshProfileSoon();
      }
      break;
    }
    case 'message': {
      const msg = m.message;
      const open = current && msg.room_id === current.roomId;
      const read = readsAsItArrives(msg);
      if (open) {
        const gap = msg.seq > shownSeq + 1;
        addMessages([msg]);
        // Some of the room's messages have not come (another instance's, still on their way,
        // or lost while the socket was down): they are read from the server.
        if (gap && msg.seq > shownSeq + 1) loadMessages().catch(() => resync());
      }
      liveMessage(msg, { read });
      renderLists();
      if (msg.sender === 'customer' && listsReady
        && consultations.get(msg.consultation_id)?.agent_id === me.id
        && (!open || document.visibilityState !== 'visible')) {
        alertMessage(msg);
      }
      break;
    }
    case 'typing':
      onTyping(m);
      break;
    case 'read':
      onRead(m);
      break;
    case 'delivered':
      onDelivered(m);
      break;
    case 'queue':
      onQueue(m.places);
      break;
    case 'agent':
      onAgent(m.agent);
      break;
    case 'transfer':
      onTransfer(m.transfer);
      if (current && m.transfer.consultation_id === current.cid) timelineChanged();
      break;
    default:
      break;
  }
}

// ---------------------------------------------------------------------------------------------
// The room view

/** The open room: `{cid, roomId}`. */
let current = null;
let room = null;
let profile = null;
const shown = new Map(); // message id → message, of the open room
// The open room's sequence as far as it is shown without a gap: every message numbered up to
// here is in `shown` (a message arriving further on makes the console ask for the gap).
let shownSeq = 0;
const shownSeqs = new Set();

function notice(text) {
  $('room-error').textContent = '';
  $('room-notice').textContent = text;
}
function showError(text) {
  $('room-notice').textContent = '';
  $('room-error').textContent = text;
}

/** Closes the room view of a consultation the agent may no longer see (another agent took it,
 * or it was closed): the server answers for it as if it did not exist. */
function leaveRoom() {
  stopTyping();
  current = null;
  room = null;
  profile = null;
  shown.clear();
  shownSeq = 0;
  shownSeqs.clear();
  $('messages').replaceChildren();
  $('room-body').hidden = true;
  $('customer').hidden = true;
  $('room-placeholder').textContent = t('console-room-gone');
  $('room-placeholder').hidden = false;
  $('announce').textContent = t('console-room-gone');
  if ($('handoff-dialog').open) $('handoff-dialog').close();
  showTimeline(null);
  watch();
  renderTyping();
  renderListsNow();
}

/** Leaves the open room when `e` says the agent may no longer see it; whether it did. */
function leaveIfGone(e) {
  if (cfg.sees_all || !current || e?.status !== 404) return false;
  leaveRoom();
  return true;
}

async function openRoom(cid, roomId) {
  stopTyping();
  // What the room left shows has been seen.
  markReadNow();
  current = { cid, roomId };
  room = null;
  profile = null;
  shown.clear();
  shownSeq = 0;
  shownSeqs.clear();
  $('messages').replaceChildren();
  $('room-notice').textContent = '';
  $('room-error').textContent = '';
  panelNotice('');
  $('room-badges').replaceChildren();
  closeCanned();
  $('link-preview').replaceChildren();
  $('link-error').textContent = '';
  $('link-uid').value = '';
  closePhoneForm();
  $('room-placeholder').hidden = true;
  $('room-body').hidden = false;
  $('room-title').textContent = t('console-consultation-no', { id: cid });
  renderHead();
  renderTyping();
  renderListsNow();
  watch();
  try {
    $('messages').setAttribute('aria-busy', 'true');
    await Promise.all([loadMessages(), refreshRoom()]);
    markReadSoon();
  } catch (e) {
    if (!leaveIfGone(e)) showError(t('console-load-failed', { reason: e.message }));
  } finally {
    $('messages').removeAttribute('aria-busy');
  }
  if (current?.cid === cid) $('room-title').focus();
}

const OPEN = ['waiting', 'in_progress', 'bot', 'bot_waiting'];

/** Whether the server lets this account correct the open room's ID (and undo its links): the
 * admin and managers always, an agent while holding an open consultation in the room. */
function mayEditRoom() {
  return cfg.sees_all || (room?.consultations ?? []).some((c) => c.agent_id === me.id && OPEN.includes(c.state));
}

/** Whether it lets this account edit the customer shown: an agent while holding an open
 * consultation of theirs in any room. */
function mayEditProfile() {
  return cfg.sees_all || (profile?.history ?? []).some((x) => x.agent_id === me.id && OPEN.includes(x.state));
}

/** The consultation shown: the chosen one, as the lists know it now, else as the room has it. */
function consultation() {
  if (!current) return null;
  const live = consultations.get(current.cid);
  const inRoom = room?.consultations.find((c) => c.consultation_id === current.cid);
  if (live) return { ...inRoom, ...live };
  return inRoom ? { ...inRoom, id: inRoom.consultation_id } : null;
}

async function refreshRoom() {
  const target = current;
  const r = await api(`/rooms/${target.roomId}`);
  const p = await api(`/profiles/${r.profile_id}`);
  if (current !== target) return;
  room = r;
  profile = p;
  // A closed consultation whose room has opened another: show the open one.
  const open = [...r.consultations].reverse().find((c) => OPEN.includes(c.state));
  const mineNow = r.consultations.find((c) => c.consultation_id === current.cid);
  if (open && (!mineNow || !OPEN.includes(mineNow.state))) {
    current.cid = open.consultation_id;
  }
  const info = infoOf(p);
  roomInfo.set(target.roomId, Promise.resolve(info));
  setCustomerName(target.roomId, info);
  renderHead();
  renderPanel();
  showTimeline(current.cid);
}

function renderHead() {
  const c = consultation();
  const name = profile ? (profile.name || profile.site_uid || t('console-anonymous')) : '';
  $('room-title').textContent = name
    ? `${name} · ${t('console-consultation-no', { id: current.cid })}`
    : t('console-consultation-no', { id: current.cid });
  renderActions(c);
  if (!c) {
    $('take').hidden = true;
    $('close').hidden = true;
    $('hold-row').hidden = true;
    return;
  }
  const mine = c.agent_id === me.id;
  let who = '';
  if (c.state === 'in_progress') who = ` (${mine ? t('console-taken-by-me') : t('console-taken-by-other')})`;
  $('room-state').textContent = `${channelName(c.channel)} · ${stateName(c.state)}${who} · ${when(c.created_at)}`;
  // The customer's rating, once given after the end.
  const rating = $('room-rating');
  rating.hidden = !c.rating;
  rating.replaceChildren(...(c.rating ? [
    h('span', { class: 'stars', 'aria-hidden': 'true' }, '★'.repeat(c.rating) + '☆'.repeat(5 - c.rating)),
    ' ', t('console-rating', { score: c.rating }),
    c.rating_comment ? h('q', { class: 'rating-comment' }, c.rating_comment) : null,
  ] : []).filter((x) => x !== null));
  // In the fully automatic modes nobody takes from the queue by hand (the server refuses it).
  $('take').hidden = c.state !== 'waiting' || !mayTake();
  const mayAct = c.state === 'in_progress' && (mine || cfg.sees_all);
  $('close').hidden = !mayAct;
  // Exempt from auto-close while held.
  $('hold-row').hidden = !mayAct;
  $('hold').checked = Boolean(c.hold);
  const reply = $('reply');
  reply.disabled = !mayAct;
  $('send').disabled = !mayAct;
  $('attach').disabled = !mayAct;
  $('canned-open').disabled = !mayAct;
  if (!mayAct) closeCanned();
  let why = t('console-reply-closed');
  if (c.state === 'waiting') why = mayTake() ? t('console-reply-take-first') : t('console-reply-auto');
  else if (c.state === 'in_progress') why = t('console-reply-not-yours');
  reply.placeholder = mayAct ? '' : why;
}

async function loadMessages() {
  const target = current;
  let after = shownSeq;
  for (;;) {
    const r = await api(`/rooms/${target.roomId}/messages?after=${after}`);
    if (current !== target) return;
    addMessages(r.messages);
    if (r.messages.length < 1000) break;
    after = r.messages[r.messages.length - 1].seq;
  }
  if (!shown.size && !$('messages').children.length) {
    $('messages').append(h('li', { class: 'empty muted' }, t('console-no-messages')));
  }
}

function messageItem(m) {
  // A messenger message longer than Sangdam keeps was stored cut: the agent is told so.
  const cut = m.original_chars
    ? h('span', { class: 'msg-cut' }, t('console-message-cut', {
      kept: [...m.body].length.toLocaleString(), original: m.original_chars.toLocaleString(),
    }))
    : null;
  const body = m.file
    ? h('span', { class: 'msg-body msg-file' }, fileView(m.file, {
      href: `/api/v1/files/${encodeURIComponent(m.file.id)}`,
      thumbnail: `/api/v1/files/${encodeURIComponent(m.file.id)}/thumbnail`,
      newTab: t('console-new-tab'),
    }))
    : h('span', { class: 'msg-body' }, m.body);
  return h('li', { class: `msg ${m.sender}`, dataset: { id: m.id } },
    h('span', { class: 'msg-who' }, t(`console-sender-${m.sender}`)),
    body,
    ...(cut ? [cut] : []),
    h('span', { class: 'msg-foot' },
      pendingMark(m),
      // The customer has read up to here (console-live.js writes it in).
      m.sender === 'agent' ? h('span', { class: 'msg-read' }) : null,
      h('time', { class: 'msg-time', datetime: new Date(m.created_at).toISOString() }, when(m.created_at))));
}

/** How a message to a KakaoTalk user went out: at once through the callback of their last
 * message, through the Event API (billed), or with their next message. */
function viaMark(via) {
  if (!['callback', 'event_api', 'next_message'].includes(via)) return null;
  return h('span', { class: `msg-via via-${via}`, title: t(`console-via-${via}-help`) }, t(`console-via-${via}`));
}

/** A message to a messenger user that has not reached them yet: a Kakao user's waits for
 * their next message (unless an open callback or the Event API takes it at once), a Naver
 * user's for the send API. Once delivered to a Kakao user, how it went. */
function pendingMark(m) {
  if (m.delivered_at) return viaMark(m.delivered_via);
  if (m.sender !== 'agent' && m.sender !== 'system') return null;
  const channel = consultations.get(m.consultation_id)?.channel
    ?? room?.consultations.find((c) => c.consultation_id === m.consultation_id)?.channel;
  if (channel !== 'kakao' && channel !== 'naver') return null;
  return h('span', { class: 'msg-pending', title: t(`console-pending-${channel}-help`) },
    t(`console-pending-${channel}`));
}

/** Messages that reached their messenger user: their "waiting" mark goes. */
function onDelivered(ev) {
  for (const id of ev.message_ids ?? []) {
    const m = shown.get(id);
    if (m) shown.set(id, { ...m, delivered_at: ev.at, delivered_via: ev.via ?? null });
    const pending = document.querySelector(`#messages .msg[data-id="${id}"] .msg-pending`);
    const via = viaMark(ev.via);
    if (pending && via) pending.replaceWith(via);
    else pending?.remove();
  }
}

/** A divider before the first message of each consultation. */
function divider(m) {
  return h('li', { class: 'divider', role: 'separator', dataset: { consultation: m.consultation_id } },
    `${t('console-consultation-no', { id: m.consultation_id })} · ${when(m.created_at)}`);
}

/** Adds messages to the open room once each, in order, with a divider between consultations.
 * New messages are appended (a screen reader announces only them); one arriving out of order
 * redraws the list. A message shown already that comes again with its file (a messenger's
 * image, fetched after its text was stored) is drawn again in its place. */
function addMessages(list) {
  const ol = $('messages');
  const nearBottom = ol.scrollHeight - ol.scrollTop - ol.clientHeight < 80;
  for (const m of list) {
    const old = shown.get(m.id);
    if (!old || !m.file || old.file) continue;
    shown.set(m.id, m);
    ol.querySelector(`.msg[data-id="${m.id}"]`)?.replaceWith(messageItem(m));
    showReadMarks();
  }
  const last = [...shown.values()].reduce((a, m) => (a && a.seq > m.seq ? a : m), null);
  const fresh = list.filter((m) => !shown.has(m.id)).sort((a, b) => a.seq - b.seq);
  if (!fresh.length) return;
  for (const m of fresh) {
    shown.set(m.id, m);
    shownSeqs.add(m.seq);
  }
  while (shownSeqs.has(shownSeq + 1)) shownSeq += 1;
  ol.querySelector('.empty')?.remove();
  if (!last || fresh[0].seq > last.seq) {
    let consultationId = last?.consultation_id ?? null;
    for (const m of fresh) {
      if (m.consultation_id !== consultationId) ol.append(divider(m));
      consultationId = m.consultation_id;
      ol.append(messageItem(m));
    }
  } else {
    const nodes = [];
    let consultationId = null;
    for (const m of [...shown.values()].sort((a, b) => a.seq - b.seq)) {
      if (m.consultation_id !== consultationId) nodes.push(divider(m));
      consultationId = m.consultation_id;
      nodes.push(messageItem(m));
    }
    ol.replaceChildren(...nodes);
  }
  if (nearBottom || fresh.length > 1) ol.scrollTop = ol.scrollHeight;
  showReadMarks();
  markReadSoon();
}

$('take').addEventListener('click', async () => {
  const cid = current.cid;
  try {
    const r = await api(`/consultations/${cid}/take`, { method: 'POST' });
    upsert(r.consultation);
    notice(t('console-took'));
    selectTab('mine');
    renderHead();
    markReadSoon();
    $('reply').focus();
    refreshRoomSoon();
  } catch (e) {
    // An agent is told 404 when another agent took it first (it is no longer theirs to see).
    const taken = e.status === 409 || (e.status === 404 && !cfg.sees_all);
    const refusal = takeRefusal(e, myLoad());
    if (refusal) showError(refusal);
    else showError(taken ? t('console-already-taken') : t('console-action-failed', { reason: e.message }));
    reloadRoom();
  }
});

// Closing cannot be undone: it is confirmed in a dialog first (Cancel has the focus).
$('close').addEventListener('click', () => {
  $('close-dialog').returnValue = '';
  $('close-dialog').showModal();
});

$('close-dialog').addEventListener('close', async () => {
  if ($('close-dialog').returnValue !== 'close' || !current) {
    $('close').focus();
    return;
  }
  try {
    const r = await api(`/consultations/${current.cid}/close`, { method: 'POST' });
    upsert(r.consultation);
    notice(t('console-closed-ok'));
    renderHead();
    $('room-title').focus();
    refreshRoomSoon();
  } catch (e) {
    showError(t('console-action-failed', { reason: e.message }));
  }
});

$('hold').addEventListener('change', async () => {
  const hold = $('hold').checked;
  try {
    const r = await api(`/consultations/${current.cid}/hold`, { method: 'PUT', body: { hold } });
    upsert(r.consultation);
    notice(t(hold ? 'console-hold-on' : 'console-hold-off'));
  } catch (e) {
    $('hold').checked = !hold;
    showError(t('console-action-failed', { reason: e.message }));
  }
  renderHead();
});

$('reply-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = $('reply').value.trim();
  if (!text) {
    showError(t('console-reply-empty'));
    return;
  }
  $('send').disabled = true;
  try {
    const r = await api(`/consultations/${current.cid}/messages`, { method: 'POST', body: { body: text } });
    addMessages([r.message]);
    $('reply').value = '';
    stopTyping();
    // What an earlier action said is no longer news.
    $('room-error').textContent = '';
    $('room-notice').textContent = '';
  } catch (err) {
    showError(t('console-send-failed', { reason: err.message }));
  } finally {
    renderHead();
    $('reply').focus();
  }
});
$('reply').addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    $('reply-form').requestSubmit();
  }
});

// Images and files: the paperclip's picker and images pasted into the reply box, sent one
// after the other to the consultation shown, each saying how far it got.
let sending = Promise.resolve();

async function sendFile(cid, roomId, file) {
  const here = () => current?.roomId === roomId;
  if (!here()) return;
  const name = file.name || 'file';
  let shownPercent = 0;
  notice(t('console-file-sending', { name, percent: shownPercent }));
  try {
    const r = await upload(`/api/v1/consultations/${cid}/files`, file, {
      onProgress: (done) => {
        // In steps of ten: the notice is read out as it changes.
        const percent = Math.floor(done * 10) * 10;
        if (percent === shownPercent || !here()) return;
        shownPercent = percent;
        notice(t('console-file-sending', { name, percent }));
      },
    });
    if (here()) {
      addMessages([r.message]);
      $('room-notice').textContent = '';
    }
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (e.status === 0) e.message = t('console-reconnecting');
    if (e.status === 401) {
      showError(t('console-session-over'));
      location.href = '/login';
      return;
    }
    if (here()) showError(t('console-file-failed', { name, reason: e.message }));
  }
}

function sendFiles(files) {
  if (!current || $('attach').disabled) return;
  const { cid, roomId } = current;
  for (const file of files) {
    sending = sending.then(() => sendFile(cid, roomId, file)).catch((e) => {
      showError(t('console-file-failed', { name: file.name, reason: e.message }));
    });
  }
}

$('attach').addEventListener('click', () => $('attach-input').click());
$('attach-input').addEventListener('change', () => {
  const files = [...$('attach-input').files];
  $('attach-input').value = '';
  sendFiles(files);
  $('reply').focus();
});
$('reply').addEventListener('paste', (e) => {
  const files = pastedFiles(e);
  if (!files.length) return;
  e.preventDefault();
  sendFiles(files);
});

// ---------------------------------------------------------------------------------------------
// Logout and start

$('logout').addEventListener('click', async () => {
  // Leaving on purpose: the live connection the logout ends must not send us to the login
  // page "to come back to the console" first.
  sessionOver.done = true;
  try {
    await api('/auth/logout', { method: 'POST' });
  } finally {
    location.href = '/login';
  }
});

initPanel({
  api,
  me,
  slotLabels: cfg.slot_labels,
  room: () => room,
  profile: () => profile,
  setProfile: (p) => {
    profile = p;
    // The list shows the customer's name and marks as they now are.
    const info = infoOf(p);
    for (const r of p.rooms ?? []) {
      if (!roomInfo.has(r.id)) continue;
      roomInfo.set(r.id, Promise.resolve(info));
      setCustomerName(r.id, info);
    }
    if (current) {
      roomInfo.set(current.roomId, Promise.resolve(info));
      setCustomerName(current.roomId, info);
    }
  },
  consultation,
  current: () => current,
  mayEditProfile,
  mayEditRoom,
  messageItem,
  refreshRoom,
  forgetRoom: (roomId) => roomInfo.delete(roomId),
});
initAgents({ api, me, seesAll: cfg.sees_all });
initQueue({ api, onChange: renderLists });
initHandoffs({
  api,
  me,
  seesAll: cfg.sees_all,
  shown: consultation,
  upsert,
  open: (cid, roomId) => {
    selectTab('mine');
    openRoom(cid, roomId);
  },
  notice,
  redraw: () => current && renderHead(),
});

initCanned({
  api,
  me,
  seesAll: cfg.sees_all,
  consultationId: () => current?.cid ?? null,
  notice,
});

initSearch({
  api,
  open: (cid, roomId) => openRoom(cid, roomId),
  slotLabel: (n) => cfg.slot_labels?.[`parameter${n}`] || `parameter${n}`,
});

initLive({
  api,
  me,
  send,
  current: () => current,
  consultation: (id) => consultations.get(id) ?? null,
  shown: () => shown,
  mayReply: () => {
    const c = consultation();
    return Boolean(c && c.state === 'in_progress' && (c.agent_id === me.id || cfg.sees_all));
  },
  redraw: renderLists,
});

initAlerts({
  open: (cid, roomId) => {
    const c = consultations.get(cid);
    if (c) {
      const tab = Object.keys(TABS).find((k) => TABS[k](c));
      if (tab && document.querySelector(`[data-tab="${tab}"]`)) selectTab(tab);
    }
    openRoom(cid, roomId);
  },
  customerName: async (roomId) => {
    if (roomNames.has(roomId)) return roomNames.get(roomId);
    const info = await customerOf(roomId);
    return info.name || info.site_uid || null;
  },
});

setConnected(false);
$('conn').textContent = '';
loadLists().catch((e) => showError(t('console-load-failed', { reason: e.message })));
connect();
