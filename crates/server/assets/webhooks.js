// Messenger webhooks on the parameter page: shows the Kakao skill URL and the Naver webhook URL
// with the site's channel keys (fetched only when asked for, never rendered into the page), and
// rotates a key with the grace period chosen beside the buttons.

import { api, ApiError } from './lib/api.js';
import { $, setStatus } from './lib/dom.js';
import { lang, t } from './lib/i18n.js';

const reveal = $('webhooks-reveal');
const grace = $('webhook-grace');
const status = $('webhooks-status');
const fields = () => document.querySelectorAll('input.webhook');

/** A sentence for a failed request. */
function failure(e) {
  if (!(e instanceof ApiError)) throw e;
  if (e.status === 401) return t('admin-status-login-again');
  if (e.status === 403) return t('admin-status-not-allowed');
  return t('admin-status-failed', { reason: e.message });
}

/** Shows one platform's URL and until when its old key still works. */
function show(key) {
  const input = $(`webhook-${key.platform}`);
  const note = $(`webhook-${key.platform}-grace`);
  if (!input) return;
  input.value = key.webhook_url;
  input.type = 'text';
  note.textContent = key.previous_valid_until
    ? t('admin-webhook-previous', { until: new Date(key.previous_valid_until).toLocaleString(lang) })
    : '';
  reveal.textContent = t('admin-webhooks-hide');
  reveal.setAttribute('aria-pressed', 'true');
}

function hide() {
  fields().forEach((input) => { input.type = 'password'; input.value = ''; });
  document.querySelectorAll('.webhook-grace').forEach((note) => { note.textContent = ''; });
  reveal.textContent = t('admin-webhooks-reveal');
  reveal.setAttribute('aria-pressed', 'false');
}

reveal.addEventListener('click', async () => {
  setStatus(status, '', '');
  if (reveal.getAttribute('aria-pressed') === 'true') {
    hide();
    return;
  }
  try {
    const answer = await api('/api/v1/site/channel-keys');
    answer.keys.forEach(show);
  } catch (e) {
    setStatus(status, failure(e), 'bad');
  }
});

document.querySelectorAll('button.webhook-rotate').forEach((button) => {
  button.addEventListener('click', async () => {
    const platform = button.dataset.platform;
    const label = t(`admin-webhook-${platform}`);
    if (!window.confirm(t('admin-webhook-rotate-confirm', { platform: label }))) return;
    button.disabled = true;
    try {
      const key = await api(`/api/v1/site/channel-keys/${platform}/rotate`, {
        method: 'POST',
        body: { grace_minutes: Number(grace.value) },
      });
      show(key);
      setStatus(status, t('admin-webhook-rotated'), 'ok');
    } catch (e) {
      setStatus(status, failure(e), 'bad');
    } finally {
      button.disabled = false;
    }
  });
});
