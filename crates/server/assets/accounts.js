// Accounts page: adds an agent or a manager through POST /api/v1/agents, shows the generated
// password (and API token) once, and adds the account to the table. The page is rendered with
// the current accounts; this script only talks to the API.

const root = document.getElementById('accounts');
const T = JSON.parse(root.dataset.texts || '{}');
const form = document.getElementById('add-form');
const status = document.getElementById('add-status');
const submit = document.getElementById('add-submit');

function setStatus(text, kind) {
  status.textContent = text;
  status.classList.toggle('ok', kind === 'ok');
  status.classList.toggle('bad', kind === 'bad');
}

function clearErrors() {
  form.querySelectorAll('[data-error-for]').forEach((s) => { s.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((i) => i.removeAttribute('aria-invalid'));
}

/** Shows an error beside its field and moves the focus there. */
function fieldError(field, text) {
  const slot = form.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
  const input = form.querySelector(`[data-field="${CSS.escape(field)}"]`);
  if (slot) slot.textContent = text;
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }
  return Boolean(slot);
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
  role.textContent = (T.roles && T.roles[agent.role]) || agent.role;
  tr.append(th, name, role);
  document.getElementById('account-rows').append(tr);
}

function showCreated(account) {
  document.getElementById('created-note').textContent = T.created;
  document.getElementById('created-login').textContent = account.agent.login;
  document.getElementById('created-password').textContent = account.password || '';
  document.getElementById('created-token').textContent = account.api_token || '';
  document.querySelectorAll('#created .token-row').forEach((el) => { el.hidden = !account.api_token; });
  document.getElementById('created').hidden = false;
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearErrors();
  document.getElementById('created').hidden = true;
  const body = {
    login: form.elements.login.value.trim(),
    display_name: form.elements.display_name.value.trim(),
    role: form.elements.role.value,
    api_token: form.elements.api_token.checked,
  };
  submit.disabled = true;
  setStatus(T.saving, '');
  let res;
  let data = null;
  try {
    res = await fetch('/api/v1/agents', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    try { data = await res.json(); } catch { data = null; }
  } catch (e) {
    submit.disabled = false;
    setStatus(T.failed + String(e.message || e), 'bad');
    return;
  }
  submit.disabled = false;
  if (res.status === 201 && data && data.agent) {
    setStatus('', '');
    showCreated(data);
    addRow(data.agent);
    form.reset();
    return;
  }
  const error = (data && data.error) || {};
  if (res.status === 401) {
    setStatus(T.loginAgain, 'bad');
  } else if (res.status === 403) {
    setStatus(T.forbidden, 'bad');
  } else if (res.status === 409) {
    fieldError('login', T.taken);
    setStatus('', '');
  } else if (res.status === 422) {
    const field = (error.details && error.details.field) || (error.code === 'invalid_role' ? 'role' : '');
    // Words in the page's language for a field it knows; the server's sentence otherwise.
    const shown = field && fieldError(field, (T.err && T.err[field]) || error.message);
    setStatus(shown ? '' : T.failed + (error.message || res.status), shown ? '' : 'bad');
  } else {
    setStatus(T.failed + (error.message || `HTTP ${res.status}`), 'bad');
  }
});
