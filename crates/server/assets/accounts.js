// Accounts page: adds an agent or a manager through POST /api/v1/agents, shows the generated
// password (and API token) once, and adds the account to the table (changing an account is
// accounts-manage.js's); saves each account's limit,
// channels and categories (PUT /api/v1/agents/{id}/routing) and the site's distribution
// settings (PUT /api/v1/site/distribution). The page is rendered with the current accounts and
// settings; the categories' boxes are drawn here from the site's tree
// (GET /api/v1/site/categories), which the admin edits on another page.

import { api, ApiError } from './lib/api.js';
import { $, clearFieldErrors, fieldError, h, setStatus } from './lib/dom.js';
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

// In the order the page shows them (inflow's Channel::ALL).
const CHANNELS = ['kakao', 'webchat_v1', 'webchat_v2', 'naver'];

/** The row of a new account, with the same controls as the rendered ones. */
function addRow(agent) {
  const errorId = `max-error-${agent.id}`;
  const name = agent.display_name;
  const tr = h('tr', { dataset: { agent: agent.id, name, role: agent.role, active: 'true', group: '' } },
    h('th', { scope: 'row' }, h('code', {}, agent.login)),
    h('td', {}, h('span', { class: 'account-name' }, name)),
    h('td', { class: 'account-role' }, has(`role-${agent.role}`) ? t(`role-${agent.role}`) : agent.role),
    // A new account is in no group (put in one from its "manage" dialog).
    h('td', { class: 'account-group' }, h('span', { class: 'muted' }, t('accounts-manage-group-none'))),
    h('td', { class: 'routing-max' },
      h('input', {
        type: 'number', min: 1, max: document.querySelector('.routing-max input')?.max ?? 100, step: 1,
        value: agent.max_concurrent, 'data-field': 'max_concurrent',
        'aria-label': t('accounts-routing-max-for', { name }), 'aria-describedby': errorId,
      }),
      h('span', { id: errorId, class: 'field-error', 'data-error-for': 'max_concurrent' })),
    h('td', { class: 'routing-channels' },
      h('fieldset', { class: 'channel-boxes', 'data-field': 'serves_channels' },
        h('legend', { class: 'visually-hidden' }, `${t('accounts-routing-channels')} · ${name}`),
        CHANNELS.map((c) => h('label', {},
          h('input', { type: 'checkbox', value: c, checked: (agent.serves_channels ?? []).includes(c) }),
          ` ${t(`console-channel-${c}`)}`))),
      h('span', { class: 'field-error', 'data-error-for': 'serves_channels' })),
    h('td', { class: 'routing-categories' },
      h('fieldset', {
        class: 'category-boxes', 'data-field': 'serves_categories',
        'data-serves': JSON.stringify(agent.serves_categories ?? []),
      }, h('legend', { class: 'visually-hidden' }, `${t('accounts-routing-categories')} · ${name}`)),
      h('span', { class: 'field-error', 'data-error-for': 'serves_categories' })),
    h('td', { class: 'routing-save' },
      h('button', {
        type: 'button', class: 'secondary small', 'data-save-routing': true,
        'aria-label': t('accounts-routing-save-for', { name }),
      }, t('accounts-routing-save')),
      h('span', { class: 'status', role: 'status', 'aria-live': 'polite' })),
    h('td', { class: 'account-manage' },
      h('button', {
        type: 'button', class: 'secondary small', 'data-manage': true,
        'aria-label': t('accounts-manage-for', { name }),
      }, t('accounts-manage-open'))));
  $('account-rows').append(tr);
  drawCategories(tr.querySelector('.category-boxes'));
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

// --- An account's limit, channels and categories ---------------------------------------------

/** The site's categories (top level: agents serve categories), or null until read. */
let categories = null;

/**
 * An account's boxes: the categories in use, and those switched off that it serves still
 * (marked, so the admin sees why and may untick them). The ids it serves are the fieldset's
 * `data-serves` until the admin changes them.
 */
function drawCategories(fieldset) {
  const legend = fieldset.querySelector('legend');
  if (categories === null) {
    fieldset.replaceChildren(legend, h('span', { class: 'muted' }, t('accounts-routing-categories-unread')));
    return;
  }
  let serves = [];
  try {
    serves = JSON.parse(fieldset.dataset.serves || '[]');
  } catch {
    /* drawn as serving none */
  }
  const shown = categories.filter((c) => c.used || serves.includes(c.id));
  const boxes = shown.map((c) => h('label', {},
    h('input', { type: 'checkbox', value: c.id, checked: serves.includes(c.id) }),
    ` ${c.used ? c.name : t('accounts-routing-category-unused', { name: c.name })}`));
  fieldset.replaceChildren(legend, ...(boxes.length ? boxes
    : [h('span', { class: 'muted' }, t('accounts-routing-categories-none'))]));
}

async function loadCategories() {
  try {
    categories = (await api('/api/v1/site/categories')).categories;
  } catch {
    categories = null;
  }
  document.querySelectorAll('#account-rows .category-boxes').forEach(drawCategories);
}
loadCategories();

/** A typed number, or null when the field holds none (its range is the server's to check). */
function number(input) {
  const raw = input.value.trim();
  return raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : null;
}

$('account-rows').addEventListener('click', async (ev) => {
  const button = ev.target.closest('[data-save-routing]');
  if (!button) return;
  const row = button.closest('tr');
  const line = row.querySelector('.routing-save .status');
  clearFieldErrors(row);
  setStatus(line, '');
  const max = number(row.querySelector('[data-field="max_concurrent"]'));
  if (max === null) {
    fieldError(row, 'max_concurrent', t('accounts-routing-err-max_concurrent'))?.focus();
    return;
  }
  const body = {
    max_concurrent: max,
    serves_channels: [...row.querySelectorAll('.channel-boxes input:checked')].map((i) => i.value),
  };
  const categoryBoxes = row.querySelector('.category-boxes');
  // Unread, the boxes are not there to say what it serves: what is stored stays.
  if (categories !== null) {
    body.serves_categories = [...categoryBoxes.querySelectorAll('input:checked')].map((i) => Number(i.value));
  }
  button.disabled = true;
  try {
    const r = await api(`/api/v1/agents/${row.dataset.agent}/routing`, { method: 'PUT', body });
    row.querySelector('[data-field="max_concurrent"]').value = r.agent.max_concurrent;
    categoryBoxes.dataset.serves = JSON.stringify(r.agent.serves_categories);
    setStatus(line, t('accounts-routing-status-saved'), 'ok');
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    // A category the tree no longer has as one (changed in another tab): named beside the boxes.
    const treeChanged = 'serves_categories' in body && (e.status === 404 || e.status === 409);
    const field = e.details?.field || (e.code === 'invalid_channel' ? 'serves_channels' : '')
      || (treeChanged ? 'serves_categories' : '');
    if (field && has(`accounts-routing-err-${field}`) && fieldError(row, field, t(`accounts-routing-err-${field}`))) {
      row.querySelector(`[data-field="${field}"]`)?.focus();
    } else {
      setStatus(line, t('accounts-routing-status-failed', { reason: e.message }), 'bad');
    }
  } finally {
    button.disabled = false;
  }
});

// --- The site's distribution ----------------------------------------------------------------

const dist = $('dist-form');
const distStatus = $('dist-status');

function syncReclaim() {
  dist.elements.reclaim_after_minutes.disabled = !dist.elements.reclaim_on.checked;
}
dist.elements.reclaim_on.addEventListener('change', syncReclaim);
syncReclaim();

function syncLimit() {
  dist.elements.max_waiting.disabled = !dist.elements.limit_on.checked;
}
dist.elements.limit_on.addEventListener('change', syncLimit);
syncLimit();


dist.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(dist);
  const mode = dist.querySelector('input[name="mode"]:checked')?.value;
  if (!mode) {
    fieldError(dist, 'mode', t('accounts-dist-err-mode'));
    return;
  }
  const reclaim = dist.elements.reclaim_on.checked;
  const limited = dist.elements.limit_on.checked;
  const body = {
    mode,
    prefer_last_agent: dist.elements.prefer_last_agent.checked,
    offline_after_minutes: number(dist.elements.offline_after_minutes),
    reclaim_after_minutes: reclaim ? number(dist.elements.reclaim_after_minutes) : null,
    max_waiting: limited ? number(dist.elements.max_waiting) : null,
  };
  const unreadable = body.offline_after_minutes === null ? 'offline_after_minutes'
    : reclaim && body.reclaim_after_minutes === null ? 'reclaim_after_minutes'
      : limited && body.max_waiting === null ? 'max_waiting' : null;
  if (unreadable) {
    fieldError(dist, unreadable, t(`accounts-dist-err-${unreadable}`))?.focus();
    return;
  }
  $('dist-save').disabled = true;
  setStatus(distStatus, t('accounts-dist-status-saving'));
  try {
    const saved = await api('/api/v1/site/distribution', { method: 'PUT', body });
    dist.elements.offline_after_minutes.value = saved.offline_after_minutes;
    if (saved.reclaim_after_minutes !== null) dist.elements.reclaim_after_minutes.value = saved.reclaim_after_minutes;
    if (saved.max_waiting !== null) dist.elements.max_waiting.value = saved.max_waiting;
    setStatus(distStatus, t('accounts-dist-status-saved'), 'ok');
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    const field = e.details?.field;
    if (field && has(`accounts-dist-err-${field}`)) {
      fieldError(dist, field, t(`accounts-dist-err-${field}`))?.focus();
      setStatus(distStatus, '');
    } else {
      setStatus(distStatus, t('accounts-dist-status-failed', { reason: e.message }), 'bad');
    }
  } finally {
    $('dist-save').disabled = false;
  }
});
