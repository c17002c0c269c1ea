// Parameter management page: saves each section through /api/v1/site, refreshes the chat URLs
// after a save, copies URLs and the button source, reveals and rotates the site secret, and
// computes site_uid_hash for testing. The page is rendered with the saved state; this script
// only talks to the API.

const root = document.getElementById('admin');
const T = JSON.parse(root.dataset.texts || '{}');

/** Calls the JSON API; resolves to {ok, status, data}. */
async function api(method, path, body) {
  let res;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    return { ok: false, status: 0, data: { error: { code: 'network', message: String(e.message || e) } } };
  }
  let data = null;
  try { data = await res.json(); } catch { data = null; }
  return { ok: res.ok, status: res.status, data };
}

/** A sentence for a failed request that is not a field error. */
function failure(r) {
  if (r.status === 401) return T.loginAgain;
  if (r.status === 403) return T.forbidden;
  const msg = r.data && r.data.error ? r.data.error.message : `HTTP ${r.status}`;
  return T.failed + msg;
}

function setStatus(el, text, kind) {
  if (!el) return;
  el.textContent = text;
  el.classList.toggle('ok', kind === 'ok');
  el.classList.toggle('bad', kind === 'bad');
}

/** Clears the field errors of a form. */
function clearErrors(form) {
  form.querySelectorAll('[data-error-for]').forEach((s) => { s.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((i) => i.removeAttribute('aria-invalid'));
}

/** Shows each field error next to its field (in words, in the page's language). */
function showErrors(form, errors) {
  let first = null;
  for (const e of errors) {
    const slot = form.querySelector(`[data-error-for="${CSS.escape(e.field)}"]`);
    const input = form.querySelector(`[data-field="${CSS.escape(e.field)}"]`);
    const words = (T.err && T.err[e.code]) || '';
    const values = (e.values || []).map((v) => (e.code === 'unknown_template_variable' ? `[${v}]` : v)).join(', ');
    // Words in the page's language, naming the offending values (an unknown template
    // variable, a too-long sentinel); the server's sentence when the code is new to this page.
    const text = words ? `${words}${values}` : e.message;
    if (slot) slot.textContent = text;
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      if (!first) first = input;
    }
  }
  if (first) first.focus();
  return errors.length > 0 && !first;
}

/** Saves part of the settings from a form; returns the saved site or null. */
async function save(form, body) {
  const status = form.querySelector('.status');
  const button = form.querySelector('button[type="submit"]');
  clearErrors(form);
  setStatus(status, T.saving, '');
  button.disabled = true;
  const r = await api('PUT', '/api/v1/site/settings', body);
  button.disabled = false;
  if (r.ok) {
    setStatus(status, T.saved, 'ok');
    refreshChatUrls();
    return r.data;
  }
  const errors = r.data && r.data.error && r.data.error.details && r.data.error.details.errors;
  if (r.status === 422 && Array.isArray(errors)) {
    const unplaced = showErrors(form, errors);
    setStatus(status, unplaced ? failure(r) : T.notSaved, 'bad');
  } else {
    setStatus(status, failure(r), 'bad');
  }
  return null;
}

// Custom slots.
const slotsForm = document.getElementById('slots-form');
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
const channelsForm = document.getElementById('channels-form');
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

// Identity: require verified ID and the sentinel list.
const identityForm = document.getElementById('identity-form');
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
const templateForm = document.getElementById('template-form');
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
  const r = await api('GET', '/api/v1/site/chat-urls');
  if (!r.ok || !r.data) return;
  for (const c of r.data.channels) {
    const input = document.getElementById(`url-${c.channel}`);
    if (input) input.value = c.url || '';
    const hints = T.hints && T.hints[c.channel];
    const hint = document.getElementById(`url-${c.channel}-hint`);
    if (hints && hint) hint.textContent = c.url ? hints.ok : hints.missing;
  }
  const snippet = document.getElementById('snippet');
  if (snippet) snippet.value = r.data.snippet;
}

// Copy buttons: the clipboard API, else the old selection copy, else leave it selected.
document.querySelectorAll('button.copy').forEach((button) => {
  const copyStatus = document.getElementById(button.dataset.status);
  button.addEventListener('click', async () => {
    const field = document.getElementById(button.dataset.copy);
    const text = field ? field.value : '';
    if (!text) {
      setStatus(copyStatus, T.nothingToCopy, 'bad');
      return;
    }
    try {
      await navigator.clipboard.writeText(text);
      setStatus(copyStatus, T.copied, 'ok');
      return;
    } catch {
      // Not permitted (or not a secure context): fall back to selecting the text.
    }
    field.focus();
    field.select();
    let copied = false;
    try { copied = document.execCommand('copy'); } catch { copied = false; }
    setStatus(copyStatus, copied ? T.copied : T.selected, copied ? 'ok' : '');
  });
});

// Site secret: reveal / hide, rotate.
const secret = document.getElementById('secret');
const reveal = document.getElementById('secret-reveal');
const rotate = document.getElementById('secret-rotate');
const secretStatus = document.getElementById('secret-status');
const hashForm = document.getElementById('hash-form');
const hashOut = document.getElementById('hash-out');

function showSecret(value) {
  secret.value = value;
  secret.type = 'text';
  reveal.textContent = T.hide;
  reveal.setAttribute('aria-pressed', 'true');
}

function hideSecret() {
  secret.type = 'password';
  secret.value = '';
  reveal.textContent = T.reveal;
  reveal.setAttribute('aria-pressed', 'false');
}

reveal.addEventListener('click', async () => {
  if (reveal.getAttribute('aria-pressed') === 'true') {
    hideSecret();
    setStatus(secretStatus, '', '');
    return;
  }
  const r = await api('GET', '/api/v1/site/secret');
  if (r.ok) {
    showSecret(r.data.secret);
    setStatus(secretStatus, '', '');
  } else {
    setStatus(secretStatus, failure(r), 'bad');
  }
});

rotate.addEventListener('click', async () => {
  if (!window.confirm(T.rotateConfirm)) return;
  rotate.disabled = true;
  const r = await api('POST', '/api/v1/site/secret/rotate');
  rotate.disabled = false;
  if (r.ok) {
    showSecret(r.data.secret);
    setStatus(secretStatus, T.rotated, 'ok');
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
  const r = await api('POST', '/api/v1/site/uid-hash', { site_uid: siteUid });
  if (r.ok) {
    hashOut.textContent = '';
    const label = document.createElement('span');
    label.textContent = `${r.data.site_uid}${T.hashFor} `;
    const code = document.createElement('code');
    code.className = 'hash';
    code.textContent = r.data.site_uid_hash;
    hashOut.append(label, code);
  } else {
    const code = r.data && r.data.error && r.data.error.code;
    hashOut.textContent = (T.err && T.err[code]) || failure(r);
    hashOut.classList.add('bad');
  }
});
