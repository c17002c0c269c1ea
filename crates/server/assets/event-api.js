// The Event API's section of the business page (the site's admin): what requests still need
// and the events the chatbot's blocks send (GET /api/v1/site/event-api), the key — issued after
// a confirmation and shown this once (POST /api/v1/site/event-api/key) — and the Kakao bot the
// KakaoTalk messages go through (PUT /api/v1/site/event-api), each refused field beside it.

import { api, ApiError } from './lib/api.js';
import { $, clearFieldErrors, fieldError, h, setStatus } from './lib/dom.js';
import { has, t } from './lib/i18n.js';

const status = $('event-api-status');
const form = $('event-api-form');
const saveStatus = $('event-api-save-status');

function why(e) {
  return e instanceof ApiError ? e.message : String(e?.message ?? e);
}

/** Draws the settings (`v`: the API's EventApiView). */
function draw(v) {
  const missing = v.missing ?? [];
  setStatus(status, missing.length ? t('eventapi-not-ready') : t('eventapi-ready'), missing.length ? 'bad' : 'ok');
  const list = $('event-api-missing');
  list.replaceChildren(...missing.map((r) => h('li', {}, has(`requirement-${r}`) ? t(`requirement-${r}`) : r)));
  list.hidden = missing.length === 0;
  $('event-api-events').textContent = v.events?.length
    ? t('eventapi-events', { events: v.events.join(', ') })
    : t('eventapi-events-none');
  $('event-api-key-state').textContent = v.has_key ? t('eventapi-key-issued') : t('eventapi-key-none');
  $('kakao-bot-id').value = v.kakao_bot_id ?? '';
  $('kakao-reply-event').value = v.kakao_reply_event ?? '';
  const key = $('kakao-rest-key');
  key.value = '';
  key.placeholder = v.has_kakao_rest_key ? t('eventapi-kakao-key-set') : '';
}

async function load() {
  try {
    draw(await api('/api/v1/site/event-api'));
  } catch (e) {
    setStatus(status, t('eventapi-failed', { reason: why(e) }), 'bad');
  }
}

$('event-api-issue').addEventListener('click', async () => {
  if (!window.confirm(t('eventapi-issue-confirm'))) return;
  try {
    const { key } = await api('/api/v1/site/event-api/key', { method: 'POST', body: {} });
    const shown = $('event-api-key');
    shown.value = key;
    $('event-api-key-shown').hidden = false;
    shown.focus();
    shown.select();
    await load();
  } catch (e) {
    setStatus(status, t('eventapi-failed', { reason: why(e) }), 'bad');
  }
});

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(form);
  setStatus(saveStatus, '');
  const body = {
    kakao_bot_id: $('kakao-bot-id').value.trim() || null,
    kakao_rest_key: $('kakao-rest-key').value.trim() || null,
    kakao_reply_event: $('kakao-reply-event').value.trim() || null,
  };
  try {
    draw(await api('/api/v1/site/event-api', { method: 'PUT', body }));
    setStatus(saveStatus, t('eventapi-saved'), 'ok');
  } catch (e) {
    const errors = e instanceof ApiError ? e.details?.errors ?? [] : [];
    let first = null;
    for (const f of errors) first ??= fieldError(form, f.field, f.message);
    first?.focus?.();
    setStatus(saveStatus, t('eventapi-failed', { reason: why(e) }), 'bad');
  }
});

load();
