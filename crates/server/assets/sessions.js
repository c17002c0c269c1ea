// Login sessions page: lists the caller's own sessions (GET /api/v1/sessions) and, for the
// admin, every account's (GET /api/v1/site/sessions); ends one after asking
// (DELETE /api/v1/sessions/{id}), or every other one of the caller's in turn. Ending the
// session of this very page logs out, so the page goes to the login page. Also changes the
// caller's own password (PUT /api/v1/me/password), which ends their other sessions.

import { api, ApiError } from './lib/api.js';
import { $, clearFieldErrors, fieldError, h, setStatus } from './lib/dom.js';
import { lang, t } from './lib/i18n.js';

const cfg = JSON.parse($('sessions-page').dataset.config);
const when = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });

const mineStatus = $('mine-status');
const everyoneStatus = $('everyone-status');
const endOthers = $('end-others');

/** The caller's own sessions, as last read (and kept as they are ended). */
let mine = [];

function time(ms) {
  const at = new Date(ms);
  return h('time', { datetime: at.toISOString() }, when.format(at));
}

const device = (s) => s.device || t('sessions-unknown-device');
const address = (s) => s.address || '—';
const words = (s) => ({ device: device(s), address: address(s), name: s.agent_name, login: s.agent_login });

function reason(e) {
  return e instanceof ApiError ? e.message : String(e?.message ?? e);
}

function failed(el, key, e) {
  if (e?.status === 401) setStatus(el, t('sessions-status-login-again'), 'bad');
  else setStatus(el, t(key, { reason: reason(e) }), 'bad');
}

/** The device, marked when it is this one, with the browser's whole User-Agent below it. */
function deviceCell(tag, s) {
  const attrs = tag === 'th' ? { scope: 'row', class: 'device' } : { class: 'device' };
  return h(tag, { ...attrs, title: s.user_agent || undefined },
    device(s),
    s.current ? [' ', h('strong', { class: 'badge this-device' }, t('sessions-this-device'))] : null,
    s.user_agent ? [h('br'), h('small', { class: 'muted' }, s.user_agent)] : null);
}

/** The button that ends `s` (for this device: logs out), reporting in `status`. */
function endButton(s, status, everyone) {
  const other = everyone && s.agent_id !== cfg.me.id;
  let label = t('sessions-end-label', words(s));
  if (s.current) label = t('sessions-logout');
  else if (other) label = t('sessions-end-account-label', words(s));
  return h('button', {
    type: 'button', class: 'secondary small', 'data-end': s.id, 'aria-label': label,
    onclick: () => endOne(s, status, everyone),
  }, s.current ? t('sessions-logout') : t('sessions-end'));
}

function emptyRow(columns) {
  return h('tr', { class: 'empty' }, h('td', { colspan: columns, class: 'muted' }, t('sessions-status-empty')));
}

function drawMine() {
  const rows = mine.map((s) => h('tr', { dataset: { session: s.id }, class: s.current ? 'current' : undefined },
    deviceCell('th', s),
    h('td', {}, address(s)),
    h('td', {}, time(s.created_at)),
    h('td', {}, time(s.last_seen_at)),
    h('td', {}, endButton(s, mineStatus, false))));
  $('mine-rows').replaceChildren(...(rows.length ? rows : [emptyRow(5)]));
  endOthers.disabled = !mine.some((s) => !s.current);
}

function drawEveryone(sessions) {
  const rows = sessions.map((s) => h('tr', { dataset: { session: s.id }, class: s.current ? 'current' : undefined },
    h('th', { scope: 'row' }, s.agent_name, ' ', h('code', {}, s.agent_login)),
    deviceCell('td', s),
    h('td', {}, address(s)),
    h('td', {}, time(s.created_at)),
    h('td', {}, time(s.last_seen_at)),
    h('td', {}, endButton(s, everyoneStatus, true))));
  $('everyone-rows').replaceChildren(...(rows.length ? rows : [emptyRow(6)]));
  setStatus(everyoneStatus, t('sessions-status-count', { count: sessions.length }));
}

/** Takes an ended session off both tables (the admin's own are in both). */
function removeSession(id) {
  mine = mine.filter((s) => s.id !== id);
  document.querySelectorAll('tr[data-session]').forEach((tr) => {
    if (tr.dataset.session === String(id)) {
      const body = tr.parentElement;
      tr.remove();
      if (body.children.length === 0) body.append(emptyRow(body.id === 'everyone-rows' ? 6 : 5));
    }
  });
  endOthers.disabled = !mine.some((s) => !s.current);
}

function goToLogin(status) {
  setStatus(status, t('sessions-status-logged-out'), 'ok');
  location.assign('/login');
}

async function endOne(s, status, everyone) {
  let question = t('sessions-confirm-end', words(s));
  if (s.current) question = t('sessions-confirm-logout');
  else if (everyone && s.agent_id !== cfg.me.id) question = t('sessions-confirm-end-account', words(s));
  if (!window.confirm(question)) return;
  const buttons = document.querySelectorAll(`button[data-end="${s.id}"]`);
  buttons.forEach((b) => { b.disabled = true; });
  try {
    await api(`/api/v1/sessions/${s.id}`, { method: 'DELETE' });
  } catch (e) {
    buttons.forEach((b) => { b.disabled = false; });
    failed(status, 'sessions-status-failed', e);
    return;
  }
  if (s.current) {
    goToLogin(status);
    return;
  }
  const region = status.closest('section')?.querySelector('.table-scroll');
  removeSession(s.id);
  setStatus(status, t('sessions-status-ended'), 'ok');
  region?.focus();
}

endOthers.addEventListener('click', async () => {
  const others = mine.filter((s) => !s.current);
  if (others.length === 0) {
    setStatus(mineStatus, t('sessions-status-no-others'));
    return;
  }
  if (!window.confirm(t('sessions-confirm-end-others', { count: others.length }))) return;
  endOthers.disabled = true;
  const total = others.length;
  let done = 0;
  let failure = null;
  for (const s of others) {
    setStatus(mineStatus, t('sessions-status-ending', { done, total }));
    try {
      await api(`/api/v1/sessions/${s.id}`, { method: 'DELETE' });
      removeSession(s.id);
      done += 1;
    } catch (e) {
      failure = e;
      if (e?.status === 401) break;
    }
  }
  if (failure?.status === 401) failed(mineStatus, 'sessions-status-failed', failure);
  else if (failure) setStatus(mineStatus, t('sessions-status-ended-some', { done, total, reason: reason(failure) }), 'bad');
  else setStatus(mineStatus, t('sessions-status-ended-others', { total }), 'ok');
  endOthers.disabled = !mine.some((s) => !s.current);
});

async function loadMine() {
  setStatus(mineStatus, t('sessions-status-loading'));
  try {
    mine = (await api('/api/v1/sessions')).sessions ?? [];
  } catch (e) {
    failed(mineStatus, 'sessions-status-load-failed', e);
    return;
  }
  drawMine();
  setStatus(mineStatus, t('sessions-status-count', { count: mine.length }));
}

async function loadEveryone() {
  setStatus(everyoneStatus, t('sessions-status-loading'));
  try {
    drawEveryone((await api('/api/v1/site/sessions')).sessions ?? []);
  } catch (e) {
    failed(everyoneStatus, 'sessions-status-load-failed', e);
  }
}

// --- One's own password ----------------------------------------------------------------------

const passwordForm = $('password-form');
const passwordStatus = $('password-status');

passwordForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(passwordForm);
  const f = passwordForm.elements;
  const body = { current_password: f.current_password.value, new_password: f.new_password.value };
  const refuse = (field, key) => {
    fieldError(passwordForm, field, t(key))?.focus();
    setStatus(passwordStatus, '');
  };
  if (!body.current_password) return refuse('current_password', 'sessions-password-err-current');
  if ([...body.new_password].length < cfg.min_password || !body.new_password.trim()) {
    return refuse('new_password', 'sessions-password-err-new');
  }
  if (f.repeat_password.value !== body.new_password) return refuse('repeat_password', 'sessions-password-err-repeat');
  $('password-save').disabled = true;
  setStatus(passwordStatus, t('sessions-password-saving'));
  try {
    await api('/api/v1/me/password', { method: 'PUT', body });
  } catch (e) {
    $('password-save').disabled = false;
    if (e instanceof ApiError && e.code === 'wrong_password') return refuse('current_password', 'sessions-password-err-wrong');
    if (e instanceof ApiError && e.status === 422 && e.details?.field === 'new_password') {
      return refuse('new_password', 'sessions-password-err-new');
    }
    failed(passwordStatus, 'sessions-password-failed', e);
    return;
  }
  $('password-save').disabled = false;
  passwordForm.reset();
  setStatus(passwordStatus, t('sessions-password-changed'), 'ok');
  await loadMine();
});

await loadMine();
if (cfg.is_admin && $('everyone')) await loadEveryone();
