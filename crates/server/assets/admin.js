// Parameter management page: saves each section through /api/v1/site, refreshes the chat URLs
// after a save, copies URLs and the button source, reveals and rotates the site secret, and
// computes site_uid_hash for testing. The page is rendered with the saved state; this script
// only talks to the API.

import { api, ApiError } from './lib/api.js';
import { $, clearFieldErrors, fieldError, setStatus } from './lib/dom.js';
import { has, t } from './lib/i18n.js';

/** Calls the JSON API; resolves to {ok, status, data, error} (an ApiError when not ok). */
async function call(method, path, body) {
  try {
    return { ok: true, status: 200, data: await api(path, { method, body }) };
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return { ok: false, status: e.status, data: null, error: e };
  }
}

/** A sentence for a failed request that is not a field error. */
function failure(r) {
  if (r.status === 401) return t('admin-status-login-again');
  if (r.status === 403) return t('admin-status-not-allowed');
  return t('admin-status-failed', { reason: r.error.message });
}

/** Shows each field error next to its field (in words, in the page's language). */
function showErrors(form, errors) {
  // A field refused for several reasons (two bad frame origins) shows every one.
  const byField = new Map();
  for (const e of errors) {
    const key = `admin-err-${e.code}`;
    const values = (e.values || []).map((v) => (e.code === 'unknown_template_variable' ? `[${v}]` : v)).join(', ');
    // Words in the page's language, naming the offending values (an unknown template
    // variable, a too-long sentinel); the server's sentence when the code is new to this page.
    const text = has(key) ? t(key, { values }) : e.message;
    byField.set(e.field, [...(byField.get(e.field) || []), text]);
  }
  let first = null;
  for (const [field, texts] of byField) {
    const input = fieldError(form, field, texts.join(' '));
    if (input && !first) first = input;
  }
  if (first) first.focus();
  return errors.length > 0 && !first;
}

/** Saves part of the settings from a form; returns the saved site or null. */
async function save(form, body) {
  const status = form.querySelector('.status');
  const button = form.querySelector('button[type="submit"]');
  clearFieldErrors(form);
  setStatus(status, t('admin-status-saving'));
  button.disabled = true;
  const r = await call('PUT', '/api/v1/site/settings', body);
  button.disabled = false;
  if (r.ok) {
    setStatus(status, t('admin-status-saved'), 'ok');
    refreshChatUrls();
    return r.data;
  }
  const errors = r.error.details?.errors;
  if (r.status === 422 && Array.isArray(errors)) {
    const unplaced = showErrors(form, errors);
    setStatus(status, unplaced ? failure(r) : t('admin-status-not-saved'), 'bad');
  } else {
    setStatus(status, failure(r), 'bad');
  }
  return null;
}

// Custom slots.
const slotsForm = $('slots-form');
slotsForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const slots = [...slotsForm.querySelectorAll('tr[data-slot]')].map((row) => ({
    enabled: row.querySelector('input[type="checkbox"]').checked,
    description: row.querySelector('input[name="description"]').value,
  }));
  save(slotsForm, { slots }).then((site) => {
    if (!site) return;
    // Show the descriptions as saved (trimmed).
    slotsForm.querySelectorAll('tr[data-slot]').forEach((row, i) => {
      row.querySelector('input[name="description"]').value = site.settings.slots[i].description;
    });
  });
});

// Channel base URLs.
const channelsForm = $('channels-form');
channelsForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  save(channelsForm, {
    channel_urls: {
      kakao: channelsForm.elements.kakao.value,
      naver: channelsForm.elements.naver.value,
    },
  }).then((site) => {
    if (!site) return;
    channelsForm.elements.kakao.value = site.channel_urls.kakao || '';
    channelsForm.elements.naver.value = site.channel_urls.naver || '';
  });
});

// Sites whose pages may show the chat window in a frame: one origin per line (or separated by
// commas or spaces); shown back as saved (normalised, without duplicates).
const framesForm = $('frames-form');
framesForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const origins = framesForm.elements.frame_origins.value
    .split(/[\s,]+/)
    .filter((s) => s !== '');
  save(framesForm, { frame_origins: origins }).then((site) => {
    if (!site) return;
    framesForm.elements.frame_origins.value = site.frame_origins.join('\n');
  });
});

// Identity: require verified ID and the sentinel list.
const identityForm = $('identity-form');
identityForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const sentinels = identityForm.elements.sentinels.value
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  save(identityForm, {
    require_verified_uid: identityForm.elements.require_verified_uid.checked,
    sentinels,
  }).then((site) => {
    if (!site) return;
    identityForm.elements.sentinels.value = site.settings.sentinels.join('\n');
  });
});

// Consultation-info URL template (a wrapping one-line field: Enter saves, as in an input).
const templateForm = $('template-form');
templateForm.elements.info_url_template.addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter' && !ev.isComposing) {
    ev.preventDefault();
    templateForm.requestSubmit();
  }
});
templateForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  save(templateForm, { info_url_template: templateForm.elements.info_url_template.value })
    .then((site) => {
      if (!site) return;
      templateForm.elements.info_url_template.value = site.info_url_template || '';
    });
});

/** Re-reads the chat URLs and the snippet (after a save changed them). */
async function refreshChatUrls() {
  const r = await call('GET', '/api/v1/site/chat-urls');
  if (!r.ok || !r.data) return;
  for (const c of r.data.channels) {
    const input = $(`url-${c.channel}`);
    if (input) input.value = c.url || '';
    // Kakao's and Naver's hints say how to get a URL while there is none.
    const missing = `admin-url-hint-${c.channel}-missing`;
    const hint = $(`url-${c.channel}-hint`);
    if (hint && has(missing)) hint.textContent = c.url ? t(`admin-url-hint-${c.channel}`) : t(missing);
  }
  const snippet = $('snippet');
  if (snippet) snippet.value = r.data.snippet;
}

// Copy buttons: the clipboard API, else the old selection copy, else leave it selected.
document.querySelectorAll('button.copy').forEach((button) => {
  const copyStatus = $(button.dataset.status);
  button.addEventListener('click', async () => {
    const field = $(button.dataset.copy);
    const text = field ? field.value : '';
    if (!text) {
      setStatus(copyStatus, t('admin-status-nothing-to-copy'), 'bad');
      return;
    }
    try {
      await navigator.clipboard.writeText(text);
      setStatus(copyStatus, t('admin-status-copied'), 'ok');
      return;
    } catch {
      // Not permitted (or not a secure context): fall back to selecting the text.
    }
    field.focus();
    field.select();
    let copied = false;
    try { copied = document.execCommand('copy'); } catch { copied = false; }
    setStatus(copyStatus, copied ? t('admin-status-copied') : t('admin-status-selected'), copied ? 'ok' : '');
  });
});

// Site secret: reveal / hide, rotate.
const secret = $('secret');
const reveal = $('secret-reveal');
const rotate = $('secret-rotate');
const secretStatus = $('secret-status');
const hashForm = $('hash-form');
const hashOut = $('hash-out');

function showSecret(value) {
  secret.value = value;
  secret.type = 'text';
  reveal.textContent = t('admin-secret-hide');
  reveal.setAttribute('aria-pressed', 'true');
}

function hideSecret() {
  secret.type = 'password';
  secret.value = '';
  reveal.textContent = t('admin-secret-reveal');
  reveal.setAttribute('aria-pressed', 'false');
}

reveal.addEventListener('click', async () => {
  if (reveal.getAttribute('aria-pressed') === 'true') {
    hideSecret();
    setStatus(secretStatus, '', '');
    return;
  }
  const r = await call('GET', '/api/v1/site/secret');
  if (r.ok) {
    showSecret(r.data.secret);
    setStatus(secretStatus, '', '');
  } else {
    setStatus(secretStatus, failure(r), 'bad');
  }
});

rotate.addEventListener('click', async () => {
  if (!window.confirm(t('admin-secret-rotate-confirm'))) return;
  rotate.disabled = true;
  const r = await call('POST', '/api/v1/site/secret/rotate');
  rotate.disabled = false;
  if (r.ok) {
    showSecret(r.data.secret);
    setStatus(secretStatus, t('admin-status-rotated'), 'ok');
    hashOut.textContent = '';
  } else {
    setStatus(secretStatus, failure(r), 'bad');
  }
});

// site_uid_hash helper.
hashForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const siteUid = hashForm.elements.site_uid.value;
  hashOut.classList.remove('bad');
  const r = await call('POST', '/api/v1/site/uid-hash', { site_uid: siteUid });
  if (r.ok) {
    hashOut.textContent = '';
    const label = document.createElement('span');
    label.textContent = `${t('admin-status-hash-for', { uid: r.data.site_uid })} `;
    const code = document.createElement('code');
    code.className = 'hash';
    code.textContent = r.data.site_uid_hash;
    hashOut.append(label, code);
  } else {
    const key = `admin-err-${r.error.code}`;
    hashOut.textContent = has(key) ? t(key) : failure(r);
    hashOut.classList.add('bad');
  }
});
