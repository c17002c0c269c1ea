// Groups (teams) on the accounts page: the admin adds, renames and deletes the site's groups
// (GET|POST /api/v1/groups, PUT|DELETE /api/v1/groups/{id}), each shown with how many accounts
// it has; the accounts table says which group each account is in (GET /api/v1/agents: the page
// is rendered without it). An account is put in a group from its "manage" dialog
// (accounts-manage.js, through setAccountGroup here). A manager in a group sees only that
// group's accounts and consultations; deleting a group leaves its accounts in none.

import { api, ApiError } from './lib/api.js';
import { $, clearFieldErrors, fieldError, h, setStatus } from './lib/dom.js';
import { t } from './lib/i18n.js';

/** The site's groups by name, as last read: [{id, name, members}]; null until read. */
let groups = null;
const listeners = [];

/** The groups as last read (an empty list until then). */
export function groupList() {
  return groups ?? [];
}

/** Calls `fn` whenever the groups were read again. */
export function onGroups(fn) {
  listeners.push(fn);
}

/** The name of group `id` (null: none; one the page does not know: its number). */
export function groupName(id) {
  if (id === null || id === undefined || id === '') return null;
  return groupList().find((g) => g.id === Number(id))?.name ?? `#${id}`;
}

// ---------------------------------------------------------------------------------------------
// The table's group column

function drawCell(row) {
  const cell = row.querySelector('.account-group');
  if (!cell) return;
  const name = groupName(row.dataset.group);
  if (row.dataset.group === undefined) {
    cell.replaceChildren();
  } else if (name === null) {
    cell.replaceChildren(h('span', { class: 'muted' }, t('accounts-manage-group-none')));
  } else {
    cell.replaceChildren(h('span', { class: 'group-name' }, name));
  }
}

function drawCells() {
  document.querySelectorAll('#account-rows tr[data-agent]').forEach(drawCell);
}

/** The account of `row` is now in group `groupId` (null: none). */
export function setAccountGroup(row, groupId) {
  row.dataset.group = groupId === null || groupId === undefined ? '' : String(groupId);
  drawCell(row);
}

async function loadAccounts() {
  const r = await api('/api/v1/agents');
  for (const a of r.agents) {
    const row = document.querySelector(`#account-rows tr[data-agent="${a.id}"]`);
    if (row) row.dataset.group = a.group_id === null || a.group_id === undefined ? '' : String(a.group_id);
  }
  drawCells();
}

// ---------------------------------------------------------------------------------------------
// The groups' section

const rows = $('group-rows');
const status = $('groups-status');

function groupRow(g) {
  const inputId = `group-name-${g.id}`;
  const errorId = `group-name-error-${g.id}`;
  return h('tr', { dataset: { group: g.id, name: g.name } },
    h('td', {},
      h('form', { class: 'rename-form group-rename', novalidate: true },
        h('label', { for: inputId, class: 'visually-hidden' }, t('accounts-manage-group-name-for', { name: g.name })),
        h('input', {
          type: 'text', id: inputId, value: g.name, autocomplete: 'off', 'data-field': 'name',
          'aria-describedby': errorId,
        }),
        h('button', {
          type: 'submit', class: 'secondary small',
          'aria-label': t('accounts-manage-group-rename-for', { name: g.name }),
        }, t('accounts-manage-group-rename')),
        h('span', { id: errorId, class: 'field-error', 'data-error-for': 'name' }))),
    h('td', { class: 'group-members' }, t('accounts-manage-group-members', { count: g.members })),
    h('td', { class: 'group-actions' },
      h('button', {
        type: 'button', class: 'danger small', 'data-delete': true,
        'aria-label': t('accounts-manage-group-delete-for', { name: g.name }),
      }, t('accounts-manage-group-delete')),
      h('span', { class: 'confirm', hidden: true },
        h('span', {}, t('accounts-manage-group-delete-confirm', { name: g.name, count: g.members })),
        ' ',
        h('button', { type: 'button', class: 'danger small', 'data-delete-yes': true }, t('accounts-manage-group-delete-yes')),
        ' ',
        h('button', { type: 'button', class: 'secondary small', 'data-delete-no': true }, t('accounts-manage-group-cancel')))));
}

function render() {
  const list = groupList();
  rows.replaceChildren(...list.map(groupRow));
  $('groups-table').hidden = list.length === 0;
  $('groups-empty').hidden = list.length > 0;
  drawCells();
  for (const fn of listeners) fn();
}

/** Reads the groups again (after one changed, or an account moved: the counts change). */
export async function loadGroups() {
  try {
    groups = (await api('/api/v1/groups')).groups;
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    setStatus(status, t('accounts-manage-group-unread', { reason: e.message }), 'bad');
    return;
  }
  render();
}

/** Why the server refused a group's name, beside the field; true when it was the name. */
function nameRefused(form, e) {
  if (e.status === 409) {
    fieldError(form, 'name', t('accounts-manage-group-err-taken'))?.focus();
    return true;
  }
  if (e.status === 422 || e.status === 400) {
    fieldError(form, 'name', t('accounts-manage-group-err-name'))?.focus();
    return true;
  }
  return false;
}

$('group-add-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const form = ev.currentTarget;
  clearFieldErrors(form);
  setStatus(status, '');
  const name = form.elements.name.value.trim();
  if (!name) {
    fieldError(form, 'name', t('accounts-manage-group-err-name'))?.focus();
    return;
  }
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  try {
    const g = await api('/api/v1/groups', { method: 'POST', body: { name } });
    form.reset();
    await loadGroups();
    setStatus(status, t('accounts-manage-group-created', { name: g.name }), 'ok');
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (!nameRefused(form, e)) setStatus(status, t('accounts-manage-group-failed', { reason: e.message }), 'bad');
  } finally {
    button.disabled = false;
  }
});

rows.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const form = ev.target.closest('form');
  const row = form.closest('tr');
  clearFieldErrors(form);
  setStatus(status, '');
  const name = form.elements[0].value.trim();
  if (!name) {
    fieldError(form, 'name', t('accounts-manage-group-err-name'))?.focus();
    return;
  }
  try {
    await api(`/api/v1/groups/${row.dataset.group}`, { method: 'PUT', body: { name } });
    const id = row.dataset.group;
    await loadGroups();
    setStatus(status, t('accounts-manage-group-renamed', { name }), 'ok');
    rows.querySelector(`tr[data-group="${id}"] input`)?.focus();
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (!nameRefused(form, e)) setStatus(status, t('accounts-manage-group-failed', { reason: e.message }), 'bad');
  }
});

rows.addEventListener('click', async (ev) => {
  const row = ev.target.closest('tr');
  if (!row) return;
  const confirm = row.querySelector('.confirm');
  const del = row.querySelector('[data-delete]');
  if (ev.target.closest('[data-delete]')) {
    del.hidden = true;
    confirm.hidden = false;
    confirm.querySelector('[data-delete-no]').focus();
  } else if (ev.target.closest('[data-delete-no]')) {
    confirm.hidden = true;
    del.hidden = false;
    del.focus();
  } else if (ev.target.closest('[data-delete-yes]')) {
    const { group, name } = row.dataset;
    try {
      await api(`/api/v1/groups/${group}`, { method: 'DELETE' });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      setStatus(status, t('accounts-manage-group-failed', { reason: e.message }), 'bad');
      return;
    }
    // Its accounts stay, in no group.
    document.querySelectorAll(`#account-rows tr[data-group="${group}"]`).forEach((r) => setAccountGroup(r, null));
    await loadGroups();
    setStatus(status, t('accounts-manage-group-deleted', { name }), 'ok');
    $('group-new-name').focus();
  }
});

loadGroups();
loadAccounts().catch(() => {});
