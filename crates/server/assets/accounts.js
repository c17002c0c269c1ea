// Accounts page: adds an agent or a manager through POST /api/v1/agents, shows the generated
// password (and API token) once, and adds the account to the table. The page is rendered with
// the current accounts; this script only talks to the API.

import { api, ApiError } from './lib/api.js';
import { $, clearFieldErrors, fieldError, setStatus } from './lib/dom.js';
import { has, t } from './lib/i18n.js';

const form = $('add-form');
const status = $('add-status');
const submit = $('add-submit');

/** Shows an error beside its field and moves the focus there; false when there is no such field. */
function showFieldError(field, text) {
  const target = fieldError(form, field, text);
  target?.focus();
  return Boolean(target);
}

function addRow(agent) {
  const tr = document.createElement('tr');
  const th = document.createElement('th');
  th.scope = 'row';
  const code = document.createElement('code');
  code.textContent = agent.login;
  th.append(code);
  const name = document.createElement('td');
  name.textContent = agent.display_name;
  const role = document.createElement('td');
  role.textContent = has(`role-${agent.role}`) ? t(`role-${agent.role}`) : agent.role;
  tr.append(th, name, role);
  $('account-rows').append(tr);
}

function showCreated(account) {
  $('created-note').textContent = t('accounts-status-created');
  $('created-login').textContent = account.agent.login;
  $('created-password').textContent = account.password || '';
  $('created-token').textContent = account.api_token || '';
  document.querySelectorAll('#created .token-row').forEach((el) => { el.hidden = !account.api_token; });
  $('created').hidden = false;
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(form);
  $('created').hidden = true;
  const body = {
    login: form.elements.login.value.trim(),
    display_name: form.elements.display_name.value.trim(),
    role: form.elements.role.value,
    api_token: form.elements.api_token.checked,
  };
  submit.disabled = true;
  setStatus(status, t('accounts-status-saving'));
  let data;
  try {
    data = await api('/api/v1/agents', { method: 'POST', body });
  } catch (e) {
    submit.disabled = false;
    if (!(e instanceof ApiError)) throw e;
    failed(e);
    return;
  }
  submit.disabled = false;
  if (data && data.agent) {
    setStatus(status, '');
    showCreated(data);
    addRow(data.agent);
    form.reset();
  }
});

function failed(e) {
  if (e.status === 401) {
    setStatus(status, t('accounts-status-login-again'), 'bad');
  } else if (e.status === 403) {
    setStatus(status, t('accounts-status-not-allowed'), 'bad');
  } else if (e.status === 409) {
    showFieldError('login', t('accounts-err-taken'));
    setStatus(status, '');
  } else if (e.status === 422) {
    const field = e.details?.field || (e.code === 'invalid_role' ? 'role' : '');
    // Words in the page's language for a field it knows; the error's sentence otherwise.
    const words = has(`accounts-err-${field}`) ? t(`accounts-err-${field}`) : e.message;
    const shown = field && showFieldError(field, words);
    if (shown) setStatus(status, '');
    else setStatus(status, t('accounts-status-failed', { reason: e.message }), 'bad');
  } else {
    setStatus(status, t('accounts-status-failed', { reason: e.message }), 'bad');
  }
}
