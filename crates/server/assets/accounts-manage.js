// Managing an account from the accounts page: the "manage" button of a row opens a dialog to
// rename it or change its role (PATCH /api/v1/agents/{id}), reset its password (POST
// …/password: the generated one is shown once), and deactivate it (after a confirmation) or
// let it in again (POST …/deactivate, …/reactivate), and put it in a group or take it out
// (PATCH … `group_id`; the groups themselves are accounts-groups.js's). The row shows what
// changed. The site's admin is renamed only: the admin's own password is changed on the
// sessions page.

import { api, ApiError } from './lib/api.js';
import { $, clearFieldErrors, fieldError, h, setStatus } from './lib/dom.js';
import { has, t } from './lib/i18n.js';
import {
  groupList, loadGroups, onGroups, setAccountGroup,
} from './accounts-groups.js';

const dialog = $('manage-dialog');
const form = $('manage-form');
const groupForm = $('manage-group-form');
const status = $('manage-status');
/** The row of the account in the dialog. */
let row = null;

const roleName = (role) => (has(`role-${role}`) ? t(`role-${role}`) : role);

/** Shows the dialog's parts for the row's account as it stands. */
function fill() {
  const { name, role, active } = row.dataset;
  const admin = role === 'admin';
  const on = active === 'true';
  $('manage-title').textContent = t('accounts-manage-title', { name });
  form.elements.display_name.value = name;
  form.elements.role.value = admin ? 'agent' : role;
  $('manage-role-field').hidden = admin;
  $('manage-more').hidden = admin;
  // The admin sees the whole site whatever group: only agents and managers are put in one.
  groupForm.hidden = admin;
  fillGroups();
  $('manage-deactivate').hidden = !on;
  $('manage-reactivate').hidden = on;
  $('manage-confirm').hidden = true;
  $('manage-standing-help').textContent = t(on ? 'accounts-deactivate-help' : 'accounts-reactivate-help');
}

/** Draws what the server answered into the row. */
function update(agent) {
  row.dataset.name = agent.display_name;
  row.dataset.role = agent.role;
  row.dataset.active = String(agent.deactivated_at === null);
  row.querySelector('.account-name').textContent = agent.display_name;
  row.querySelector('.account-role').textContent = roleName(agent.role);
  const off = agent.deactivated_at !== null;
  row.classList.toggle('deactivated', off);
  row.querySelector('.badge.off')?.remove();
  if (off) {
    const badge = document.createElement('span');
    badge.className = 'badge off';
    badge.textContent = t('accounts-deactivated');
    row.querySelector('.account-name').after(' ', badge);
  }
  row.querySelector('[data-manage]').setAttribute('aria-label', t('accounts-manage-for', { name: agent.display_name }));
}

function failed(e) {
  if (!(e instanceof ApiError)) throw e;
  if (e.status === 401) {
    setStatus(status, t('accounts-status-login-again'), 'bad');
    return;
  }
  const field = e.details?.field || (e.code === 'invalid_role' ? 'role' : '');
  if (e.status === 422 && field) {
    const words = has(`accounts-err-${field}`) ? t(`accounts-err-${field}`) : e.message;
    const target = fieldError(form, field, words);
    if (target) {
      target.focus();
      setStatus(status, '');
      return;
    }
  }
  setStatus(status, t('accounts-manage-failed', { reason: e.message }), 'bad');
}

/** Calls the account's API; the account as it is now, or null (the failure is shown). */
async function call(path, method, body) {
  clearFieldErrors(form);
  setStatus(status, t('accounts-status-saving'));
  try {
    return await api(`/api/v1/agents/${row.dataset.agent}${path}`, { method, body });
  } catch (e) {
    failed(e);
    return null;
  }
}

$('account-rows').addEventListener('click', (ev) => {
  const button = ev.target.closest('[data-manage]');
  if (!button) return;
  row = button.closest('tr');
  clearFieldErrors(form);
  setStatus(status, '');
  $('manage-new-password').hidden = true;
  $('manage-password').textContent = '';
  fill();
  dialog.showModal();
  form.elements.display_name.focus();
});

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const body = { display_name: form.elements.display_name.value.trim() };
  if (row.dataset.role !== 'admin') body.role = form.elements.role.value;
  const data = await call('', 'PATCH', body);
  if (!data) return;
  update(data.agent);
  fill();
  setStatus(status, t('accounts-manage-saved'), 'ok');
});

$('manage-reset').addEventListener('click', async () => {
  const data = await call('/password', 'POST', {});
  if (!data) return;
  $('manage-password').textContent = data.password || '';
  $('manage-new-password').hidden = false;
  setStatus(status, t('accounts-reset-status'), 'ok');
});

$('manage-deactivate').addEventListener('click', () => {
  $('manage-confirm').hidden = false;
  $('manage-deactivate-yes').focus();
});
$('manage-deactivate-no').addEventListener('click', () => {
  $('manage-confirm').hidden = true;
  $('manage-deactivate').focus();
});
$('manage-deactivate-yes').addEventListener('click', async () => {
  const data = await call('/deactivate', 'POST', {});
  if (!data) return;
  update(data.agent);
  fill();
  setStatus(status, t('accounts-deactivated-status'), 'ok');
  $('manage-reactivate').focus();
});
$('manage-reactivate').addEventListener('click', async () => {
  const data = await call('/reactivate', 'POST', {});
  if (!data) return;
  update(data.agent);
  fill();
  setStatus(status, t('accounts-reactivated-status'), 'ok');
  $('manage-deactivate').focus();
});
/** The group choice: none, or one of the site's groups (the row's chosen). */
function fillGroups() {
  if (!row) return;
  const select = groupForm.elements.group_id;
  const chosen = row.dataset.group ?? '';
  select.replaceChildren(
    h('option', { value: '' }, t('accounts-manage-group-none')),
    ...groupList().map((g) => h('option', { value: String(g.id) }, g.name)));
  // A group the page does not know yet (added in another tab) stays chosen.
  if (chosen && !groupList().some((g) => String(g.id) === chosen)) {
    select.append(h('option', { value: chosen }, `#${chosen}`));
  }
  select.value = chosen;
}
onGroups(() => {
  if (dialog.open) fillGroups();
});

groupForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(groupForm);
  const raw = groupForm.elements.group_id.value;
  const groupId = raw === '' ? null : Number(raw);
  setStatus(status, t('accounts-status-saving'));
  let data;
  try {
    data = await api(`/api/v1/agents/${row.dataset.agent}`, { method: 'PATCH', body: { group_id: groupId } });
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (e.status === 404 && groupId !== null) {
      // Deleted meanwhile (in another tab): said beside the choice, which is read again.
      fieldError(groupForm, 'group_id', t('accounts-manage-group-err-gone'))?.focus();
      setStatus(status, '');
      await loadGroups();
      return;
    }
    failed(e);
    return;
  }
  setAccountGroup(row, data.agent.group_id ?? null);
  update(data.agent);
  await loadGroups();
  fillGroups();
  setStatus(status, t('accounts-manage-group-saved'), 'ok');
});

$('manage-close').addEventListener('click', () => dialog.close());
dialog.addEventListener('close', () => {
  row?.querySelector('[data-manage]')?.focus();
});
