// The customer chat window (served with /chat/{site_id} and /chat/{site_id}/v1).
//
// The page's own URL is the chat URL: it is handed to POST /api/v1/webchat/{site}/sessions,
// which reads its parameters and answers with this browser's visitor credential (kept in
// localStorage per site, so a reload is the same customer). Messages then flow over the web
// chat WebSocket, or over plain HTTP while it is down. Every message the customer writes carries
// a client_msg_id and stays "sending" until the server acknowledges it; after a drop it is sent
// again with the same id, which the server stores once. Messages are shown once each (by their
// server id) in the order of their room's sequence (`seq`); after a reconnect the window asks
// for everything after the last number it has seen.
// While the consultation waits for an agent, the window shows its place in the queue and the
// estimated wait, as the server's `queue` frames tell them. Once a consultation an agent
// answered has ended, the window offers to rate it (1 to 5 stars and a comment), once.
// Images and files go up one at a time as forms (picked with the paperclip, dropped on the
// window, or pasted into the input), each with its own client_msg_id, shown "sending" with how
// far it got; the stored message comes back like any other and takes the place of the one being
// sent. A refused file says why, in the page's words, and one that found no server can be sent
// again.
// Live signals: while the customer types the window tells the desk (`typing` frames, again every
// few seconds while it goes on, `false` once sent, emptied or left), and shows "상담원이 입력 중…"
// while an agent types. What the window has shown while the page is visible is marked read
// (POST …/read); the customer's last message the desk has read says "읽음" (one mark, on the
// last one: the ones before it are read too). The status line says whether the customer waits
// for an agent or talks with one, and a line marks where a new consultation starts.

import { api as call, ApiError } from './lib/api.js';
import { $, h } from './lib/dom.js';
import {
  fileView, filePending, pastedFiles, upload,
} from './lib/files.js';
import { lang, t } from './lib/i18n.js';
import { renderTemplate } from './lib/bot-render.js';
import { pluginStep, retirePluginSteps } from './chat-plugins.js';

const root = $('chat');
const list = $('messages');
const statusEl = $('chat-status');
const form = $('composer');
const input = $('message-input');
const sendButton = $('send-button');
const closedBox = $('chat-closed');
const queueLine = $('chat-queue');
const restartButton = $('chat-restart');
const ratingBox = $('chat-rating');
const attachButton = $('attach-button');
const fileInput = $('file-input');
const dropZone = $('chat-drop');
const typingLine = $('chat-typing');

const site = root.dataset.site;
const channel = root.dataset.channel;
const api = `/api/v1/webchat/${encodeURIComponent(site)}`;
const VISITOR_KEY = `sangdam.visitor.${site}`;
const PENDING_KEY = `sangdam.pending.${site}`;
/** The last consultation this browser rated (so the form is not offered again). */
const RATED_KEY = `sangdam.rated.${site}`;
const CLOSED_STATES = new Set(['closed', 'deleted', 'bot_closed']);

const state = {
  visitor: null,
  roomId: null,
  consultationId: null,
  /** The highest message id received from a complete stream (WebSocket or GET messages). */
  lastSeq: 0,
  /** message id → its element */
  shown: new Map(),
  /** client_msg_id → { id, body, el, inflight: false | 'ws' | 'http', failed } (in order) */
  pending: new Map(),
  /** client_msg_id → { id, file, el, failed } of the images and files being sent (in order) */
  uploads: new Map(),
  /** The uploads run one after the other, in the order they were chosen. */
  uploading: Promise.resolve(),
  /** Entries sent over the current socket and not answered yet, oldest first. */
  wsInflight: [],
  ws: null,
  wsOpen: false,
  attempt: 0,
  reconnectTimer: null,
  heartbeat: null,
  lastFrameAt: 0,
  conn: 'connecting',
  phase: null,
  closed: false,
  stopped: false,
  reopening: null,
  catchingUp: false,
  /** Consultations in which an agent's message was seen (only those can be rated). */
  answered: new Set(),
  /** The open consultation's state as its last frame said (null: no frame yet). */
  consultationState: null,
  /** consultation id → the newest message the desk has read (from `read` frames). */
  agentReadTo: new Map(),
  /** agent id → the name the consultation frames gave, shown on their messages. */
  agentNames: new Map(),
  /** The name of the agent who has the open consultation, when known. */
  agentName: null,
  /** The newest message id this window marked read. */
  markedTo: 0,
  /** Whether the customer was last said to be typing, and when it was said. */
  typing: false,
  typingAt: 0,
  typingIdle: null,
  /** When the agent's "typing" goes away without news. */
  agentTypingTimer: null,
};

// --- storage (may be refused: private windows, blocked third-party storage) -----------------

const memory = new Map();
function load(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return memory.get(key) ?? null;
  }
}
function save(key, value) {
  memory.set(key, value);
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    /* kept in memory only */
  }
}

function savePending() {
  const items = [...state.pending.values()]
    .filter((e) => !e.failed)
    .map((e) => (e.bot ? { id: e.id, body: e.body, bot: e.bot } : { id: e.id, body: e.body }));
  save(PENDING_KEY, items.length ? JSON.stringify(items) : null);
}

function uuid() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // crypto.randomUUID needs a secure context; a self-hosted server may be plain http.
  const b = crypto.getRandomValues(new Uint8Array(16));
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const visitorHeader = () => ({ 'x-sangdam-visitor': state.visitor });
function backoff(attempt) {
  const base = Math.min(15000, 500 * 2 ** Math.min(attempt, 5));
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

// --- the chat URL -----------------------------------------------------------------------------

/**
 * The page's own URL is the chat URL, exactly as the browser has it (the server reads web chat
 * v2's quotes whether the browser kept them as `('…')` or encoded them as `(%27…%27)`).
 */
function chatUrl() {
  return location.href;
}

// --- status line ------------------------------------------------------------------------------

function renderStatus() {
  let status;
  if (state.closed) status = 'closed';
  else if (state.conn !== 'online') status = state.conn; // offline, connecting, unavailable
  else status = state.phase ?? 'online'; // bot, waiting, in-progress
  const text = status === 'in-progress' && state.agentName
    ? t('chat-status-in-progress-named', { name: state.agentName })
    : t(`chat-status-${status}`);
  if (statusEl.textContent !== text) statusEl.textContent = text;
  statusEl.classList.toggle('online', state.conn === 'online' && !state.closed);
  statusEl.classList.toggle('offline', state.conn === 'offline' || state.conn === 'unavailable');
}
function setConn(conn) {
  state.conn = conn;
  renderStatus();
}

/** The consultation's place in the queue (`null`: not waiting, the line goes). */
function showQueue(place) {
  if (!place) {
    queueLine.hidden = true;
    queueLine.textContent = '';
    return;
  }
  const ms = place.estimated_wait_ms;
  const text = typeof ms === 'number'
    ? t('chat-queue-place-estimate', { position: place.position, minutes: Math.max(1, Math.round(ms / 60000)) })
    : t('chat-queue-place', { position: place.position });
  if (queueLine.textContent !== text) queueLine.textContent = text;
  queueLine.hidden = false;
}

// --- rendering ----------------------------------------------------------------------------------

const timeFmt = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' });
const dateFmt = new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const dayFmt = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'long', day: 'numeric' });

function formatTime(ms) {
  const d = new Date(ms);
  const today = new Date();
  return d.toDateString() === today.toDateString() ? timeFmt.format(d) : dateFmt.format(d);
}

const WHO = { customer: 'me', agent: 'agent', bot: 'bot', system: 'system' };

function messageElement(sender, body, agentId = null) {
  const el = document.createElement('div');
  el.className = `msg msg-${WHO[sender] ? sender : 'system'}`;
  const who = document.createElement('span');
  who.className = 'who';
  who.textContent = t(`chat-sender-${WHO[sender] || 'system'}`);
  if (sender === 'agent' && agentId !== null) {
    // The agent's name once a consultation frame has said it (nameAgents fills it in later).
    el.dataset.agent = String(agentId);
    const name = state.agentNames.get(agentId);
    if (name) who.textContent = t('chat-sender-agent-named', { name });
  }
  const bubble = document.createElement('div');
  bubble.className = 'bubble';
  bubble.textContent = body;
  const meta = document.createElement('div');
  meta.className = 'meta';
  const time = document.createElement('time');
  const st = document.createElement('span');
  st.className = 'state';
  meta.append(time, st);
  if (sender === 'customer') {
    // The desk has read up to here (showReadMarks writes it in).
    const read = document.createElement('span');
    read.className = 'read';
    meta.append(read);
  }
  el.append(who, bubble, meta);
  return el;
}

function markConfirmed(el, m) {
  el.classList.remove('pending', 'failed');
  el.dataset.id = String(m.id);
  el.dataset.seq = String(m.seq);
  el.dataset.consultation = String(m.consultation_id);
  const time = el.querySelector('time');
  time.dateTime = new Date(m.created_at).toISOString();
  time.textContent = formatTime(m.created_at);
  el.querySelector('.state').textContent = '';
}

function nearBottom() {
  return list.scrollHeight - list.scrollTop - list.clientHeight < 80;
}
function scrollDown() {
  list.scrollTop = list.scrollHeight;
}

/** Puts a confirmed message in the order of its room (`seq`), before the ones still being sent. */
function place(el, seq) {
  let ref = list.lastElementChild;
  while (ref && (!ref.dataset.seq || Number(ref.dataset.seq) > seq)) ref = ref.previousElementSibling;
  if (ref) {
    if (ref.nextElementSibling !== el) ref.after(el);
  } else if (list.firstElementChild !== el) {
    list.prepend(el);
  }
}

/** A line between consultations ("새 상담" and its day), so earlier ones read as earlier. */
function refreshDividers() {
  for (const d of list.querySelectorAll('.divider')) d.remove();
  let prev = null;
  for (const el of [...list.children]) {
    const c = el.dataset.consultation;
    if (!c) continue;
    if (prev !== null && c !== prev) {
      const d = document.createElement('div');
      d.className = 'divider';
      d.setAttribute('aria-hidden', 'true');
      const time = el.querySelector('time');
      const day = time && time.dateTime ? dayFmt.format(new Date(time.dateTime)) : '';
      d.textContent = day ? t('chat-message-divider-day', { day }) : t('chat-message-divider');
      el.before(d);
    }
    prev = c;
  }
}

/** A message from the server. `complete` when it comes from a stream that skips nothing. */
function receive(m, complete) {
  if (!m || typeof m.id !== 'number') return;
  if (complete && m.seq > state.lastSeq) state.lastSeq = m.seq;
  if (state.shown.has(m.id)) {
    // The same message again, now with its file (a messenger's image fetched later).
    const shownEl = state.shown.get(m.id);
    if (m.file && !shownEl.querySelector('.bubble-file')) showFile(shownEl, m.file);
    return;
  }
  const stick = nearBottom();
  let el;
  const entry = m.client_msg_id ? state.pending.get(m.client_msg_id) : undefined;
  const sent = m.client_msg_id ? state.uploads.get(m.client_msg_id) : undefined;
  if (entry) {
    state.pending.delete(entry.id);
    state.wsInflight = state.wsInflight.filter((e) => e !== entry);
    savePending();
    el = entry.el;
  } else if (sent) {
    state.uploads.delete(sent.id);
    el = sent.el;
    el.querySelector('.retry')?.remove();
    el.querySelector('.state').removeAttribute('role');
  } else {
    el = messageElement(m.sender, m.body, m.agent_id ?? null);
    if (m.sender === 'bot' && m.rich && typeof m.rich === 'object') showRich(el, m.rich, m.id);
  }
  if (m.file) showFile(el, m.file);
  markConfirmed(el, m);
  state.shown.set(m.id, el);
  place(el, m.seq);
  refreshDividers();
  if (m.sender === 'agent' && !state.answered.has(m.consultation_id)) {
    state.answered.add(m.consultation_id);
    if (state.closed) renderRating();
  }
  if (m.consultation_id === state.consultationId && m.sender === 'agent' && !state.closed) {
    state.phase = 'in-progress';
    renderStatus();
  }
  // The customer wrote in the open consultation: they wait for an agent until one answers (the
  // consultation's frames say better when they come).
  if (m.consultation_id === state.consultationId && m.sender === 'customer' && !state.closed && !state.phase
    && state.consultationState === null) {
    state.phase = 'waiting';
    renderStatus();
  }
  if (m.sender === 'agent') agentTyping(false);
  if (m.sender === 'customer') retirePluginSteps(list, m.id);
  el.dataset.sender = m.sender;
  if (state.agentReadTo.size) showReadMarks();
  if (m.sender !== 'customer') markReadSoon();
  if (stick || entry || sent) scrollDown();
}

// --- the chatbot's answers ----------------------------------------------------------------------

/** A bot's answer drawn as its cards, lists, carousels and buttons (its text stays for screen
 * readers in the drawing's own texts). Only the newest answer keeps its quick replies. */
function showRich(el, template, id) {
  const bubble = el.querySelector('.bubble');
  bubble.classList.add('bubble-rich');
  bubble.replaceChildren(renderTemplate(template, { onTap: tapBot }));
  const newest = [...state.shown.keys()].every((shownId) => shownId < id);
  // A plugin's step (the profile form, the location request) while the customer has not
  // written since; it goes as soon as they do.
  const answeredSince = [...state.shown].some(([shownId, e]) => shownId > id && e.dataset.sender === 'customer');
  const step = typeof template.plugin === 'string' && !answeredSince && !state.closed
    ? pluginStep(template.plugin, id, { api, headers: visitorHeader, onSent: (m) => receive(m, false) })
    : null;
  if (step) bubble.append(step);
  if (newest) hideQuickReplies(bubble);
  else bubble.querySelectorAll('.bot-quick').forEach((q) => { q.hidden = true; });
}

/** Hides the quick replies of earlier answers (those of `keep` stay). */
function hideQuickReplies(keep = null) {
  list.querySelectorAll('.bot-quick').forEach((q) => {
    if (!keep || !keep.contains(q)) q.hidden = true;
  });
}

/** A tap on a bot's button or quick reply: sent as the customer's message (its label or its
 * text), saying what it asks of the bot (a block, an agent). Links open by themselves. */
function tapBot(tap) {
  if (!tap || state.closed) return;
  const label = typeof tap.label === 'string' ? tap.label : (typeof tap.title === 'string' ? tap.title : '');
  const text = typeof tap.messageText === 'string' && tap.messageText.trim() ? tap.messageText : label;
  let bot = null;
  if (tap.action === 'block' && typeof tap.blockId === 'string' && tap.blockId) bot = { block_id: tap.blockId };
  else if (tap.action === 'operator') bot = { operator: true };
  else if (tap.action !== 'message' && !(tap.kind === 'listItem' && text)) return;
  const body = text.trim();
  if (!body) return;
  addPending(uuid(), body, bot);
  savePending();
  scrollDown();
  flush();
}

// --- read marks and typing ----------------------------------------------------------------------

/** Under the customer's last message the desk has read, in each consultation: "읽음". */
function showReadMarks() {
  const last = new Map(); // consultation id → the customer's last message read
  for (const [id, el] of state.shown) {
    if (el.dataset.sender !== 'customer') continue;
    const c = Number(el.dataset.consultation);
    if (id <= (state.agentReadTo.get(c) ?? 0) && id > (last.get(c) ?? 0)) last.set(c, id);
  }
  const wanted = new Set(last.values());
  for (const [id, el] of state.shown) {
    const mark = el.querySelector('.read');
    if (!mark) continue;
    const text = wanted.has(id) ? t('chat-message-read') : '';
    if (mark.textContent !== text) mark.textContent = text;
  }
}

let markTimer = null;
/** Marks read what the window shows, once the page is seen: once within a moment however many
 * messages come (never put off for ever by a stream of them). */
function markReadSoon() {
  if (markTimer !== null) return;
  markTimer = setTimeout(() => {
    markTimer = null;
    markRead();
  }, 500);
}

/** Whether the customer can see the window: the page shown, and (in the chat button's frame)
 * the panel open — a closed panel's frame has no size. */
const seen = () => document.visibilityState === 'visible' && window.innerHeight > 0 && window.innerWidth > 0;

async function markRead() {
  if (!state.visitor || !seen()) return;
  let newest = 0;
  let news = false;
  for (const [id, el] of state.shown) {
    if (id > newest) newest = id;
    if (id > state.markedTo && el.dataset.sender !== 'customer') news = true;
  }
  if (!news) return;
  const before = state.markedTo;
  state.markedTo = newest;
  try {
    await call(`${api}/read`, { method: 'POST', headers: visitorHeader(), body: { message_id: newest } });
  } catch {
    // Offline or refused: the next message or the next look tries again.
    if (state.markedTo === newest) state.markedTo = before;
  }
}

/** A `read` frame: the desk has read the consultation up to `up_to`. */
function onRead(f) {
  if (f.side !== 'agent' || typeof f.up_to !== 'number') return;
  const was = state.agentReadTo.get(f.consultation_id) ?? 0;
  if (f.up_to <= was) return;
  state.agentReadTo.set(f.consultation_id, f.up_to);
  showReadMarks();
}

/** How long an agent's "typing" lasts without news, how often the window repeats the
 * customer's, and after how long without a key the customer has stopped. */
const TYPING_SHOWN_MS = 6000;
const TYPING_REPEAT_MS = 3000;
const TYPING_IDLE_MS = 5000;

/** Shows (or hides) that an agent is typing. */
function agentTyping(on) {
  clearTimeout(state.agentTypingTimer);
  typingLine.textContent = on ? t('chat-message-typing') : '';
  typingLine.hidden = !on;
  if (on) state.agentTypingTimer = setTimeout(() => agentTyping(false), TYPING_SHOWN_MS);
}

function sendTyping(typing) {
  if (!state.wsOpen) return false;
  try {
    state.ws.send(JSON.stringify({ type: 'typing', typing }));
    return true;
  } catch {
    return false;
  }
}

/** A key in the message box: the desk is told the customer types (when a consultation is open). */
function typed() {
  if (!input.value.trim() || state.closed || state.consultationId === null) {
    stopTyping();
    return;
  }
  const now = Date.now();
  if ((!state.typing || now - state.typingAt >= TYPING_REPEAT_MS) && sendTyping(true)) {
    state.typing = true;
    state.typingAt = now;
  }
  clearTimeout(state.typingIdle);
  state.typingIdle = setTimeout(stopTyping, TYPING_IDLE_MS);
}

function stopTyping() {
  clearTimeout(state.typingIdle);
  if (!state.typing) return;
  state.typing = false;
  sendTyping(false);
}

/** Where the window fetches a file of its conversation (as `<img src>` and links). */
function fileUrl(id, thumbnail = false) {
  return `${api}/files/${encodeURIComponent(id)}${thumbnail ? '/thumbnail' : ''}?visitor=${encodeURIComponent(state.visitor)}`;
}

/** Shows a message's image or file in its bubble. */
function showFile(el, file) {
  const bubble = el.querySelector('.bubble');
  bubble.classList.add('bubble-file');
  bubble.replaceChildren(fileView(file, {
    href: fileUrl(file.id),
    thumbnail: fileUrl(file.id, true),
    newTab: t('chat-message-new-tab'),
  }));
}

function clearConversation() {
  for (const el of [...list.children]) if (el.dataset.id || el.classList.contains('divider')) el.remove();
  state.shown.clear();
  state.lastSeq = 0;
  state.markedTo = 0;
  state.agentReadTo.clear();
}

// --- sending ------------------------------------------------------------------------------------

function addPending(id, body, bot = null) {
  const el = messageElement('customer', body);
  el.classList.add('pending');
  el.querySelector('.state').textContent = t('chat-message-sending');
  const entry = { id, body, bot, el, inflight: false, failed: false };
  hideQuickReplies();
  state.pending.set(id, entry);
  list.append(el);
  return entry;
}

function fail(entry) {
  entry.failed = true;
  entry.inflight = false;
  entry.el.classList.remove('pending');
  entry.el.classList.add('failed');
  entry.el.querySelector('.state').textContent = t('chat-message-failed');
  state.pending.delete(entry.id);
  savePending();
}

function sendWs(entry) {
  entry.inflight = 'ws';
  state.wsInflight.push(entry);
  try {
    const frame = { type: 'message', body: entry.body, client_msg_id: entry.id };
    if (entry.bot) frame.bot = entry.bot;
    state.ws.send(JSON.stringify(frame));
  } catch {
    entry.inflight = false;
  }
}

/**
 * Sends what is waiting, in order: pipelined over an open WebSocket (the server answers frames
 * in order), else one at a time over HTTP so that they cannot overtake each other.
 */
function flush() {
  if (!state.visitor || state.closed || state.stopped) return;
  for (const entry of state.pending.values()) {
    if (entry.inflight === 'http') return;
    if (entry.inflight === 'ws') continue;
    if (state.wsOpen) {
      sendWs(entry);
      continue;
    }
    postMessage(entry);
    return;
  }
}

async function postMessage(entry) {
  entry.inflight = 'http';
  let m;
  try {
    m = await call(`${api}/messages`, {
      method: 'POST',
      headers: visitorHeader(),
      body: entry.bot
        ? { body: entry.body, client_msg_id: entry.id, bot: entry.bot }
        : { body: entry.body, client_msg_id: entry.id },
    });
  } catch (e) {
    entry.inflight = false;
    if (!(e instanceof ApiError)) throw e;
    await refused(entry, e.status);
    return;
  }
  entry.inflight = false;
  if (m) receive(m, false);
  flush();
}

/** What to do when the server did not take a message (status 0: no answer came). */
async function refused(entry, status) {
  if (status === 0) {
    // Offline: the reconnect loop sends it again.
  } else if (status === 409) {
    // The consultation was closed meanwhile: the message waits for a new one.
    showClosed();
  } else if (status === 401) {
    await reopen();
  } else if (status === 429 || status >= 500) {
    setTimeout(flush, backoff(2));
  } else {
    fail(entry);
    flush();
  }
}

function submit() {
  const body = input.value.trim();
  if (!body || state.closed) return;
  input.value = '';
  stopTyping();
  autosize();
  addPending(uuid(), body);
  savePending();
  scrollDown();
  flush();
}

// --- sending images and files -----------------------------------------------------------------

function addUpload(id, file) {
  const el = messageElement('customer', file.name);
  el.classList.add('pending');
  const bubble = el.querySelector('.bubble');
  bubble.classList.add('bubble-file');
  bubble.replaceChildren(filePending(file));
  el.querySelector('.state').textContent = t('chat-message-sending');
  const entry = { id, file, el, failed: false };
  state.uploads.set(id, entry);
  list.append(el);
  return entry;
}

/** Sends files the customer chose, dropped or pasted, one message each. */
function sendFiles(files) {
  if (state.closed || state.stopped) return;
  for (const file of files) {
    const entry = addUpload(uuid(), file);
    queueUpload(entry);
  }
  scrollDown();
}

function queueUpload(entry) {
  state.uploading = state.uploading.then(() => runUpload(entry)).catch((e) => uploadFailed(entry, e));
}

/** Sends one file (again, after a failure: the same client_msg_id, so it is stored once). */
async function runUpload(entry) {
  while (!state.visitor && !state.stopped) await sleep(300);
  if (!state.uploads.has(entry.id) || state.stopped) return;
  const stateEl = entry.el.querySelector('.state');
  entry.failed = false;
  entry.el.classList.remove('failed');
  entry.el.classList.add('pending');
  entry.el.querySelector('.retry')?.remove();
  stateEl.removeAttribute('role');
  stateEl.textContent = t('chat-message-sending');
  let m;
  try {
    m = await upload(`${api}/files`, entry.file, {
      fields: { client_msg_id: entry.id },
      headers: visitorHeader(),
      onProgress: (done) => {
        if (state.uploads.has(entry.id) && !entry.failed) {
          stateEl.textContent = t('chat-message-uploading', { percent: Math.floor(done * 100) });
        }
      },
    });
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (e.status === 401 && !entry.reopened) {
      // The credential was refused: open the session again, then send once more.
      entry.reopened = true;
      await reopen();
      await runUpload(entry);
      return;
    }
    if (e.status === 409) showClosed();
    uploadFailed(entry, e);
    return;
  }
  if (m) receive(m, false);
}

/** Says why a file was not sent; one that may go through later can be sent again. */
function uploadFailed(entry, e) {
  if (!state.uploads.has(entry.id)) return;
  entry.failed = true;
  entry.el.classList.remove('pending');
  entry.el.classList.add('failed');
  let reason = e.message;
  if (e.status === 0) reason = t('chat-message-file-offline');
  else if (e.status === 409) reason = t('chat-message-file-closed');
  else if (e.code === 'payload_too_large') reason = t('chat-message-file-too-large');
  const stateEl = entry.el.querySelector('.state');
  stateEl.setAttribute('role', 'alert');
  stateEl.textContent = t('chat-message-file-failed', { reason });
  const again = e.status === 0 || e.status === 401 || e.status === 409 || e.status === 429 || e.status >= 500;
  if (again) {
    const retry = h('button', { type: 'button', class: 'retry' }, t('chat-message-retry'));
    retry.addEventListener('click', () => {
      entry.reopened = false;
      queueUpload(entry);
    });
    entry.el.querySelector('.meta').append(retry);
  }
}

// --- the WebSocket ------------------------------------------------------------------------------

function connect() {
  if (state.ws || !state.visitor || state.stopped) return;
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${proto}//${location.host}${api}/ws?visitor=${encodeURIComponent(state.visitor)}&after=${state.lastSeq}`;
  let ws;
  try {
    ws = new WebSocket(url);
  } catch {
    scheduleReconnect();
    return;
  }
  state.ws = ws;
  ws.onopen = () => {
    if (state.ws !== ws) return;
    state.wsOpen = true;
    state.attempt = 0;
    // A consultation still waiting gets its place again right after the backlog.
    showQueue(null);
    state.lastFrameAt = Date.now();
    setConn('online');
    clearInterval(state.heartbeat);
    state.heartbeat = setInterval(() => beat(ws), 20000);
    flush();
  };
  ws.onmessage = (ev) => {
    if (state.ws !== ws) return;
    state.lastFrameAt = Date.now();
    let frame;
    try {
      frame = JSON.parse(ev.data);
    } catch {
      return;
    }
    onFrame(frame);
  };
  ws.onclose = () => drop(ws);
  ws.onerror = () => {
    /* onclose follows */
  };
}

/** A socket that answers nothing for 45 s is dead even if the browser has not noticed. */
function beat(ws) {
  if (state.ws !== ws) return;
  if (Date.now() - state.lastFrameAt > 45000) {
    drop(ws);
    return;
  }
  try {
    ws.send(JSON.stringify({ type: 'ping' }));
  } catch {
    drop(ws);
  }
}

/** Forgets a socket (closed, dead or abandoned) and starts getting back. */
function drop(ws) {
  if (state.ws !== ws) return;
  state.ws = null;
  state.wsOpen = false;
  clearInterval(state.heartbeat);
  for (const e of state.wsInflight) if (e.inflight === 'ws') e.inflight = false;
  state.wsInflight = [];
  try {
    ws.close();
  } catch {
    /* already closed */
  }
  if (state.stopped) return;
  // Still "connecting" while the first attempts fail; "lost" once it had worked or is offline.
  if (state.conn === 'online' || navigator.onLine === false || state.attempt >= 2) setConn('offline');
  catchUp();
  scheduleReconnect();
}

function scheduleReconnect(now = false) {
  if (state.stopped || state.ws) return;
  clearTimeout(state.reconnectTimer);
  const delay = now ? 0 : backoff(state.attempt++);
  state.reconnectTimer = setTimeout(() => {
    state.reconnectTimer = null;
    connect();
  }, delay);
}

function onFrame(f) {
  switch (f.type) {
    case 'message':
      receive(f.message, true);
      break;
    case 'ack':
      receive(f.message, false);
      break;
    case 'consultation':
      onConsultation(f);
      break;
    case 'queue':
      // Only this window's consultation's place comes; a newer consultation is followed.
      if (typeof f.position === 'number' && !state.closed
        && (state.consultationId === null || f.consultation_id >= state.consultationId)) {
        showQueue(f);
        // In the queue: the customer waits for an agent (also after a reload).
        if (state.phase !== 'waiting') {
          state.phase = 'waiting';
          renderStatus();
        }
      }
      break;
    case 'typing':
      if (f.side === 'agent' && !state.closed) agentTyping(Boolean(f.typing));
      break;
    case 'read':
      onRead(f);
      break;
    case 'error': {
      // The server answers frames in order, so the oldest unanswered message failed. Ask
      // again over HTTP, whose answer says why (closed, too long, …); same client_msg_id.
      const entry = state.wsInflight.shift();
      if (entry && state.pending.has(entry.id)) postMessage(entry);
      break;
    }
    default:
      break; // pong: the socket is alive
  }
}

/** Names the messages of an agent whose name a consultation frame gave. */
function nameAgents(agentId, name) {
  if (state.agentNames.get(agentId) === name) return;
  state.agentNames.set(agentId, name);
  for (const el of document.querySelectorAll(`.msg-agent[data-agent="${agentId}"] .who`)) {
    el.textContent = t('chat-sender-agent-named', { name });
  }
}

function onConsultation(f) {
  if (typeof f.agent_id === 'number' && f.agent_name) nameAgents(f.agent_id, f.agent_name);
  // How far the desk has read, as it stood when the socket connected (after a reload too).
  if (typeof f.agent_read_to === 'number') {
    onRead({ side: 'agent', consultation_id: f.consultation_id, up_to: f.agent_read_to });
  }
  if (f.consultation_id !== state.consultationId) {
    // This window's first message opened the consultation, or another tab of this browser
    // started a new one in this room: follow it.
    if (!(typeof f.consultation_id === 'number' && f.consultation_id > (state.consultationId ?? 0)
      && !CLOSED_STATES.has(f.state))) return;
    state.consultationId = f.consultation_id;
    hideClosed();
    flush();
  }
  state.consultationState = f.state;
  state.agentName = f.state === 'in_progress' ? (f.agent_name || null) : null;
  if (CLOSED_STATES.has(f.state)) showClosed();
  else if (f.state === 'in_progress') state.phase = 'in-progress';
  else if (f.state === 'waiting') state.phase = 'waiting';
  else if (f.state === 'bot' || f.state === 'bot_waiting') state.phase = 'bot';
  else state.phase = null;
  if (f.state !== 'in_progress') agentTyping(false);
  // Waiting again (sent back), its place comes with the queue's next frame.
  if (f.state !== 'waiting') showQueue(null);
  renderStatus();
}

// --- HTTP catch-up (while the socket is down) ------------------------------------------------

async function catchUp() {
  if (!state.visitor || state.catchingUp) return;
  state.catchingUp = true;
  try {
    const r = await call(`${api}/messages?after=${state.lastSeq}`, { headers: visitorHeader() });
    for (const m of r?.messages || []) receive(m, true);
    flush();
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (e.status === 401) {
      state.catchingUp = false;
      await reopen();
      return;
    }
    /* offline, or the server is busy: the next reconnect asks again */
  } finally {
    state.catchingUp = false;
  }
}

// --- the session --------------------------------------------------------------------------------

/** Opens (or continues) the consultation; retries until the server answers. */
async function openSession() {
  let visitor = state.visitor || load(VISITOR_KEY);
  for (let attempt = 0; !state.stopped; attempt++) {
    let status = 200;
    try {
      const body = { url: chatUrl(), channel };
      if (visitor) body.visitor = visitor;
      const s = await call(`${api}/sessions`, { method: 'POST', body });
      if (s && s.visitor) return s;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      status = e.status;
    }
    if (status === 0) {
      setConn(attempt > 0 ? 'offline' : 'connecting');
      await sleep(backoff(attempt));
      continue;
    }
    if (status === 200) {
      // An answer without a visitor: ask again.
    } else if (visitor && status >= 400 && status < 500 && status !== 429) {
      // The stored credential was refused: start over as a new visitor.
      visitor = null;
      continue;
    } else if (status >= 400 && status < 500 && status !== 429) {
      setConn('unavailable');
      state.stopped = true;
      input.disabled = true;
      sendButton.disabled = true;
      attachButton.disabled = true;
      return null;
    }
    await sleep(backoff(attempt));
  }
  return null;
}

/** Takes a session answer. Its warnings are for agents and are not shown here. */
function adopt(s) {
  const sameVisitor = state.visitor === null || state.visitor === s.visitor;
  const sameRoom = state.roomId === null || state.roomId === s.room_id;
  if (!sameVisitor || !sameRoom) {
    clearConversation();
    if (state.ws) drop(state.ws);
  }
  state.visitor = s.visitor;
  state.roomId = s.room_id;
  if (state.consultationId !== s.consultation_id) state.consultationState = null;
  state.consultationId = s.consultation_id;
  save(VISITOR_KEY, s.visitor);
  hideClosed();
}

async function reopen() {
  if (!state.reopening) {
    state.reopening = (async () => {
      const s = await openSession();
      if (s) {
        adopt(s);
        connect();
        flush();
      }
    })().finally(() => {
      state.reopening = null;
    });
  }
  return state.reopening;
}

function showClosed() {
  if (state.closed) return;
  const hadFocus = form.contains(document.activeElement);
  state.closed = true;
  state.phase = null;
  showQueue(null);
  stopTyping();
  agentTyping(false);
  closedBox.hidden = false;
  input.disabled = true;
  sendButton.disabled = true;
  attachButton.disabled = true;
  for (const e of state.pending.values()) e.el.querySelector('.state').textContent = t('chat-message-queued');
  renderStatus();
  renderRating();
  if (hadFocus) restartButton.focus();
  scrollDown();
}

// --- rating ---------------------------------------------------------------------------------

/** Offers to rate the ended consultation, when an agent answered it and it is not rated yet. */
function renderRating() {
  const cid = state.consultationId;
  const rated = Number(load(RATED_KEY));
  if (!state.closed || cid === null || !state.answered.has(cid) || rated === cid) {
    if (rated !== cid || !state.closed) ratingBox.replaceChildren();
    ratingBox.hidden = !ratingBox.childNodes.length;
    return;
  }
  if (ratingBox.dataset.consultation === String(cid) && ratingBox.childNodes.length) return;
  ratingBox.dataset.consultation = String(cid);
  const status = h('p', { class: 'chat-rating-status', id: 'chat-rating-status', role: 'status', 'aria-live': 'polite' });
  const stars = [];
  for (let n = 1; n <= 5; n += 1) {
    const radio = h('input', { type: 'radio', name: 'chat-score', value: String(n), id: `chat-score-${n}`, required: true });
    stars.push(h('span', { class: 'chat-star' }, radio, h('label', { for: radio.id, title: t('chat-rating-score', { score: n }) },
      h('span', { 'aria-hidden': 'true' }, '★'),
      h('span', { class: 'visually-hidden' }, t('chat-rating-score', { score: n })))));
  }
  const comment = h('textarea', { id: 'chat-rating-comment', rows: '2', maxlength: '500' });
  const send = h('button', { type: 'submit', id: 'chat-rating-send' }, t('chat-rating-send'));
  const form = h('form', { class: 'chat-rating-form', novalidate: true },
    h('fieldset', {},
      h('legend', {}, t('chat-rating-question')),
      h('div', { class: 'chat-stars' }, ...stars)),
    h('label', { for: comment.id }, t('chat-rating-comment')),
    comment,
    h('div', { class: 'chat-rating-actions' }, send),
    status);
  // The stars up to the chosen one are filled.
  form.addEventListener('change', () => {
    if (!send.disabled) status.textContent = '';
    const score = Number(form.querySelector('input[name="chat-score"]:checked')?.value ?? 0);
    for (const label of form.querySelectorAll('.chat-stars label')) {
      label.classList.toggle('on', Number(label.htmlFor.replace('chat-score-', '')) <= score);
    }
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const chosen = form.querySelector('input[name="chat-score"]:checked');
    if (!chosen) {
      status.textContent = t('chat-rating-choose');
      form.querySelector('input[name="chat-score"]')?.focus();
      return;
    }
    send.disabled = true;
    status.textContent = t('chat-rating-sending');
    try {
      await call(`${api}/rating`, {
        method: 'POST',
        headers: visitorHeader(),
        body: { consultation_id: cid, score: Number(chosen.value), comment: comment.value },
      });
      thank(cid, Number(chosen.value));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'already_rated') {
        thank(cid, null);
        return;
      }
      send.disabled = false;
      status.textContent = t('chat-rating-failed', { reason: err.message });
    }
  });
  ratingBox.replaceChildren(form);
  ratingBox.hidden = false;
}

function thank(cid, score) {
  save(RATED_KEY, String(cid));
  const words = score === null ? t('chat-rating-thanks') : t('chat-rating-thanks-score', { score });
  ratingBox.replaceChildren(h('p', { class: 'chat-rating-thanks', role: 'status' }, words));
  ratingBox.hidden = false;
  restartButton.focus();
}

function hideClosed() {
  state.closed = false;
  closedBox.hidden = true;
  ratingBox.replaceChildren();
  ratingBox.hidden = true;
  input.disabled = false;
  sendButton.disabled = false;
  attachButton.disabled = false;
  for (const e of state.pending.values()) e.el.querySelector('.state').textContent = t('chat-message-sending');
  renderStatus();
}

// --- wiring ---------------------------------------------------------------------------------------

function autosize() {
  input.style.height = 'auto';
  input.style.height = `${Math.min(input.scrollHeight + 2, 128)}px`;
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  submit();
});
input.addEventListener('keydown', (e) => {
  // Enter sends, Shift+Enter is a new line; Enter that ends a Hangul composition is not a send.
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
    e.preventDefault();
    submit();
  }
});
input.addEventListener('input', () => {
  autosize();
  typed();
});
input.addEventListener('blur', stopTyping);

// Images and files: the paperclip's picker, a paste into the input, a drop on the window.
attachButton.addEventListener('click', () => fileInput.click());
fileInput.addEventListener('change', () => {
  const files = [...fileInput.files];
  fileInput.value = '';
  sendFiles(files);
  input.focus();
});
input.addEventListener('paste', (e) => {
  const files = pastedFiles(e);
  if (!files.length) return;
  e.preventDefault();
  sendFiles(files);
});
const carriesFiles = (e) => [...(e.dataTransfer?.types ?? [])].includes('Files');
let dragDepth = 0;
function showDrop(on) {
  dropZone.hidden = !on || state.closed || state.stopped;
}
document.addEventListener('dragenter', (e) => {
  if (!carriesFiles(e)) return;
  e.preventDefault();
  dragDepth += 1;
  showDrop(true);
});
document.addEventListener('dragover', (e) => {
  if (!carriesFiles(e)) return;
  // Dropped anywhere, a file is sent rather than opened in place of the window.
  e.preventDefault();
  e.dataTransfer.dropEffect = state.closed || state.stopped ? 'none' : 'copy';
});
document.addEventListener('dragleave', (e) => {
  if (!carriesFiles(e)) return;
  dragDepth = Math.max(0, dragDepth - 1);
  if (!dragDepth) showDrop(false);
});
document.addEventListener('drop', (e) => {
  if (!carriesFiles(e)) return;
  e.preventDefault();
  dragDepth = 0;
  showDrop(false);
  sendFiles([...(e.dataTransfer.files ?? [])]);
});

restartButton.addEventListener('click', async () => {
  restartButton.disabled = true;
  try {
    const s = await openSession();
    if (s) {
      adopt(s);
      // Nothing is opened until the customer writes.
      state.phase = null;
      renderStatus();
      connect();
      flush();
      input.focus();
    }
  } finally {
    restartButton.disabled = false;
  }
});

window.addEventListener('offline', () => {
  setConn('offline');
  if (state.ws) drop(state.ws);
});
window.addEventListener('online', () => {
  state.attempt = 0;
  if (!state.ws) scheduleReconnect(true);
  catchUp();
});
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState !== 'visible') return;
  if (!state.ws && state.visitor) scheduleReconnect(true);
  // What came while the page was hidden is read now.
  markReadSoon();
});
// The chat button's panel opened again (its frame has a size again).
window.addEventListener('resize', () => {
  if (seen()) markReadSoon();
});

async function start() {
  // Messages written before a reload or while offline are still to be sent.
  try {
    const saved = JSON.parse(load(PENDING_KEY) || '[]');
    if (Array.isArray(saved)) {
      for (const p of saved) {
        if (p && typeof p.id === 'string' && typeof p.body === 'string') {
          addPending(p.id, p.body, p.bot && typeof p.bot === 'object' ? p.bot : null);
        }
      }
    }
  } catch {
    save(PENDING_KEY, null);
  }
  renderStatus();
  const s = await openSession();
  if (!s) return;
  adopt(s);
  connect();
}

start();
