// Live signals in the console, none of which is a message: who is typing, what has been read,
// and what the lists say of each consultation besides its customer.
//
// Typing: while the agent has text in the reply box and pressed a key in the last few seconds,
// the console sends `{"type": "typing", "consultation_id", "typing": true}` on its WebSocket
// (again every few seconds while it goes on), and `false` once the message is sent, the box is
// emptied, it loses the focus, or nothing was typed for a while. The customer's typing (and other
// agents') arrives as `typing` events: the list entry and the room say "입력 중…" until `false`,
// a message from that side, or a few seconds without a new `true`.
//
// Read marks: the holder of the open consultation marks it read (POST
// /api/v1/consultations/{id}/read) up to the newest message shown, while the tab is visible;
// the customer's window marks what it has shown, and the agent's last message the customer has
// read says "읽음" (one mark, on the last one, as messengers do: the ones before it are read too).
//
// The lists: a count of the customer's messages the holder has not read (GET /consultations'
// `unread`, then kept by the feed's message and read events), the last message as a one-line
// preview (`last_messages`), and a consultation in which nobody wrote yet shown as such.

import { $, h } from './lib/dom.js';
import { t } from './lib/i18n.js';

/**
 * {api, me, send(frame) (on the console's WebSocket), current() ({cid, roomId} or null),
 * consultation(id) (as the lists know it, or null), shown() (the open room's messages by id),
 * mayReply() (whether the agent may write in the open consultation), redraw() (the lists)}
 */
let ctx = null;

/** How long "still typing" lasts without a new signal, and how often the console repeats it. */
const TYPING_SHOWN_MS = 6000;
const TYPING_REPEAT_MS = 3000;
/** Without a key pressed for this long, the agent has stopped typing. */
const TYPING_IDLE_MS = 5000;

export function initLive(context) {
  ctx = context;
  const reply = $('reply');
  reply.addEventListener('input', typed);
  reply.addEventListener('blur', () => stopTyping());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') markReadSoon();
  });
  window.addEventListener('focus', () => markReadSoon());
  setInterval(expireTyping, 1000);
}

// ---------------------------------------------------------------------------------------------
// The agent's typing

/** The consultation the console last said the agent is typing in, and when. */
let typingIn = null;
let typingSentAt = 0;
let idleTimer = null;

function typed() {
  const cur = ctx.current();
  if (!cur || !ctx.mayReply() || !$('reply').value.trim()) {
    stopTyping();
    return;
  }
  if (typingIn !== null && typingIn !== cur.cid) stopTyping();
  const now = Date.now();
  if (typingIn !== cur.cid || now - typingSentAt >= TYPING_REPEAT_MS) {
    if (ctx.send({ type: 'typing', consultation_id: cur.cid, typing: true })) {
      typingIn = cur.cid;
      typingSentAt = now;
    }
  }
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => stopTyping(), TYPING_IDLE_MS);
}

/** The agent stopped typing (sent, emptied the box, left it or the room): said once. */
export function stopTyping() {
  clearTimeout(idleTimer);
  if (typingIn === null) return;
  ctx.send({ type: 'typing', consultation_id: typingIn, typing: false });
  typingIn = null;
  typingSentAt = 0;
}

// ---------------------------------------------------------------------------------------------
// Others' typing

/** consultation id → {side, name, until} of whoever types there (not the agent themself). */
const typists = new Map();

/** A `typing` event. */
export function onTyping(m) {
  if (m.side === 'agent' && m.agent_id === ctx.me.id) return;
  const had = typists.has(m.consultation_id);
  if (m.typing) {
    typists.set(m.consultation_id, {
      side: m.side, name: m.agent_name ?? null, until: Date.now() + TYPING_SHOWN_MS,
    });
  } else {
    typists.delete(m.consultation_id);
  }
  if (had !== typists.has(m.consultation_id)) ctx.redraw();
  renderTyping();
}

/** Someone's message ends their typing. */
function typingEnded(m) {
  const who = typists.get(m.consultation_id);
  if (!who) return;
  const side = m.sender === 'customer' ? 'customer' : 'agent';
  if (who.side === side) {
    typists.delete(m.consultation_id);
    ctx.redraw();
    renderTyping();
  }
}

function expireTyping() {
  const now = Date.now();
  let gone = false;
  for (const [cid, who] of typists) {
    if (who.until <= now) {
      typists.delete(cid);
      gone = true;
    }
  }
  if (gone) {
    ctx.redraw();
    renderTyping();
  }
}

function typingWords(who) {
  if (who.side === 'customer') return t('console-typing-customer');
  return who.name ? t('console-typing-agent', { name: who.name }) : t('console-typing-someone');
}

/** Whoever types in the open consultation, under its messages. */
export function renderTyping() {
  const line = $('room-typing');
  const cur = ctx?.current();
  const who = cur ? typists.get(cur.cid) : null;
  const text = who ? typingWords(who) : '';
  if (line.textContent !== text) line.textContent = text;
  line.hidden = !who;
}

// ---------------------------------------------------------------------------------------------
// Unread counts and previews, for the lists

/** consultation id → {base, ids}: the list's count, and the customer's messages since. */
const unread = new Map();
/** consultation id → the list's preview: {sender, body, file_kind, created_at}. */
const previews = new Map();
/** consultation id → when the list's last message was written (older events are counted). */
const listedAt = new Map();

/** Takes what GET /consultations said of its consultations. */
export function takeList(answer) {
  for (const c of answer.consultations) {
    const count = Number(answer.unread?.[c.id] ?? 0);
    unread.set(c.id, { base: count, ids: new Set() });
    const p = answer.last_messages?.[c.id];
    if (p) {
      previews.set(c.id, p);
      listedAt.set(c.id, p.created_at);
    } else {
      previews.delete(c.id);
      listedAt.delete(c.id);
    }
  }
}

/** How many of the customer's messages in consultation `cid` its holder has not read. */
export function unreadCount(cid) {
  const u = unread.get(cid);
  return u ? u.base + u.ids.size : 0;
}

/** A message of the feed: the preview, the count (unless the holder reads it now: `read`),
 * and the typing it ends. */
export function onMessage(m, { read }) {
  typingEnded(m);
  if (m.sender === 'system') return;
  const before = previews.get(m.consultation_id);
  if (!before || before.created_at <= m.created_at) {
    previews.set(m.consultation_id, {
      sender: m.sender,
      body: [...m.body].slice(0, 100).join(''),
      file_kind: m.file?.kind ?? null,
      created_at: m.created_at,
    });
  }
  if (m.sender !== 'customer' || read) return;
  // Written before the list was read: the list's count has it already.
  if (m.created_at < (listedAt.get(m.consultation_id) ?? 0)) return;
  const u = unread.get(m.consultation_id) ?? { base: 0, ids: new Set() };
  u.ids.add(m.id);
  unread.set(m.consultation_id, u);
}

/** The desk read consultation `cid` up to message `upTo`. */
function readTo(cid, upTo) {
  const u = unread.get(cid);
  if (!u) return;
  // What the list counted came before anything the feed brought.
  u.base = 0;
  for (const id of u.ids) if (id <= upTo) u.ids.delete(id);
}

/** The one-line preview of a list entry: the last message, or "no message yet". */
export function previewLine(c) {
  const who = typists.get(c.id);
  if (who) return h('span', { class: 'item-preview typing' }, typingWords(who));
  const p = previews.get(c.id);
  if (!p) return h('span', { class: 'item-preview none' }, t('console-preview-none'));
  let text = p.body;
  if (p.file_kind === 'image') text = t('console-preview-image');
  else if (p.file_kind) text = t('console-preview-file', { name: p.body });
  const by = p.sender === 'customer' ? '' : `${t(`console-sender-${p.sender}`)}: `;
  return h('span', { class: 'item-preview', title: `${by}${text}` }, `${by}${text}`);
}

/** Whether nobody (customer, agent or bot) wrote in consultation `cid` yet. */
export function silent(cid) {
  return !previews.has(cid);
}

/** The count badge of a list entry (nothing at 0). */
export function unreadBadge(cid) {
  const n = unreadCount(cid);
  if (!n) return null;
  return h('span', { class: 'unread-count' },
    h('span', { 'aria-hidden': 'true' }, n > 99 ? '99+' : String(n)),
    h('span', { class: 'visually-hidden' }, t('console-unread-count', { count: n })));
}

// ---------------------------------------------------------------------------------------------
// Read marks

/** Whether the agent reads the open consultation now: theirs, in progress, the tab visible. */
function readingNow() {
  const cur = ctx.current();
  if (!cur || document.visibilityState !== 'visible') return null;
  const c = ctx.consultation(cur.cid);
  if (!c || c.state !== 'in_progress' || c.agent_id !== ctx.me.id) return null;
  return c;
}

/** Whether a message of the feed is read as it arrives (so it is not counted). */
export function readsAsItArrives(m) {
  const c = readingNow();
  return Boolean(c && m.room_id === ctx.current()?.roomId && m.consultation_id === c.id);
}

/** The highest mark sent per consultation (so the same one is not sent twice). */
const marked = new Map();

async function markRead() {
  const c = readingNow();
  if (!c) return;
  let newest = 0;
  for (const m of ctx.shown().values()) {
    if (m.consultation_id === c.id && m.id > newest) newest = m.id;
  }
  if (!newest || newest <= Math.max(c.agent_read_to ?? 0, marked.get(c.id) ?? 0)) {
    if (unreadCount(c.id)) {
      readTo(c.id, Math.max(c.agent_read_to ?? 0, newest));
      ctx.redraw();
    }
    return;
  }
  marked.set(c.id, newest);
  try {
    await ctx.api(`/consultations/${c.id}/read`, { method: 'POST', body: { message_id: newest } });
    c.agent_read_to = Math.max(c.agent_read_to ?? 0, newest);
    readTo(c.id, newest);
    ctx.redraw();
  } catch {
    // Not marked (taken away meanwhile, or offline): tried again with the next message.
    marked.delete(c.id);
  }
}

/** Marks the open consultation read soon (messages shown, the tab back, the room taken): once
 * within a moment however often asked (a burst of messages and focus changes must not put it
 * off for ever, as a debounce would). */
let markTimer = null;
export function markReadSoon() {
  if (markTimer !== null) return;
  markTimer = setTimeout(() => {
    markTimer = null;
    markRead().catch(() => {});
  }, 300);
}

/** Marks the open consultation read now: the agent leaves it for another. */
export function markReadNow() {
  markRead().catch(() => {});
}

/** A `read` event: the customer's window showed, or the desk read, up to `up_to`. */
export function onRead(m) {
  const c = ctx.consultation(m.consultation_id);
  if (m.side === 'customer') {
    if (c) c.customer_read_to = Math.max(c.customer_read_to ?? 0, m.up_to);
    showReadMarks();
    return;
  }
  if (c) c.agent_read_to = Math.max(c.agent_read_to ?? 0, m.up_to);
  readTo(m.consultation_id, m.up_to);
  ctx.redraw();
}

/** Under the agents' last message the customer has read, in each consultation of the open room:
 * "읽음". */
export function showReadMarks() {
  const list = $('messages');
  const last = new Map(); // consultation id → the last agent message read
  for (const m of ctx.shown().values()) {
    if (m.sender !== 'agent') continue;
    const upTo = ctx.consultation(m.consultation_id)?.customer_read_to ?? 0;
    if (m.id <= upTo && m.id > (last.get(m.consultation_id) ?? 0)) last.set(m.consultation_id, m.id);
  }
  const wanted = new Set(last.values());
  for (const el of list.querySelectorAll('.msg.agent')) {
    const mark = el.querySelector('.msg-read');
    if (!mark) continue;
    const text = wanted.has(Number(el.dataset.id)) ? t('console-read') : '';
    if (mark.textContent !== text) mark.textContent = text;
  }
}
