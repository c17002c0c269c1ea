// The platform operator's login page: sends the login and the password to
// POST /api/v1/operator/login (which sets the operator's own cookie) and goes to /operator. A
// wrong password, or too many failures in a row (429, with how long to wait in Retry-After),
// is said in the form's alert.

import { $, setStatus } from './lib/dom.js';
import { t } from './lib/i18n.js';

const form = $('operator-login-form');
const login = $('login');
const password = $('password');
const error = $('login-error');
const button = form.querySelector('button[type="submit"]');

/** Shows `text` as the form's refusal, marks the fields and focuses `focus`. */
function refuse(text, focus) {
  setStatus(error, text);
  for (const input of [login, password]) input.setAttribute('aria-invalid', 'true');
  focus.focus();
}

async function submit() {
  const body = { login: login.value.trim(), password: password.value };
  if (!body.login || !body.password) {
    refuse(t('operator-login-empty'), body.login ? password : login);
    return;
  }
  let res;
  try {
    res = await fetch('/api/v1/operator/login', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (e) {
    refuse(t('operator-login-failed', { reason: String(e?.message ?? e) }), login);
    return;
  }
  if (res.ok) {
    window.location.assign('/operator');
    return;
  }
  let answer = null;
  try {
    answer = await res.json();
  } catch {
    answer = null;
  }
  password.value = '';
  if (res.status === 429) {
    const seconds = Math.max(1, Number(res.headers.get('retry-after')) || 1);
    refuse(t('operator-login-throttled', { seconds }), password);
  } else if (res.status === 422 || res.status === 401) {
    refuse(t('operator-login-wrong'), password);
  } else {
    const reason = answer?.error?.message || res.statusText || `HTTP ${res.status}`;
    refuse(t('operator-login-failed', { reason }), login);
  }
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (button.disabled) return;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  const label = button.textContent;
  button.textContent = t('operator-login-busy');
  try {
    await submit();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = label;
  }
});

for (const input of [login, password]) {
  input.addEventListener('input', () => {
    login.removeAttribute('aria-invalid');
    password.removeAttribute('aria-invalid');
  });
}
