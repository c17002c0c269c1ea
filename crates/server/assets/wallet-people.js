// The wallet's details and people on the wallet page: the form that makes the wallet (the
// site's admin, POST /api/v1/wallet) and changes it (its master and the admin, PUT
// /api/v1/wallet), the people with where each gets the notices (PUT
// /api/v1/wallet/notice-emails/{id}), and the workers added from the site's accounts
// (GET /api/v1/agents/directory, POST /api/v1/wallet/workers, DELETE
// /api/v1/wallet/workers/{id}).

import { api, ApiError } from './lib/api.js';
import { $, clearFieldErrors, fieldError, h, setStatus } from './lib/dom.js';
import { t } from './lib/i18n.js';
import {
  busy, config, failed, fieldErrors, fieldText, labelCells,
} from './wallet-format.js';

/** The site's accounts, read once. */
let accounts = null;

async function directory() {
  if (!accounts) {
    accounts = api('/api/v1/agents/directory').then((d) => d.agents).catch((e) => {
      accounts = null;
      throw e;
    });
  }
  return accounts;
}

/** An account as a choice: its name and role (the role once, for an admin named after it). */
function accountLabel(a) {
  const role = t(`role-${a.role}`);
  return a.display_name === role ? role : `${a.display_name} (${role})`;
}

let forms = 0;

/**
 * The details form (from the page's template) filled with `wallet` (or empty), whose master is
 * chosen among `choices`; `send(body)` saves it and resolves to the new view.
 */
function detailsForm({ wallet, choices, submit, send, saved }) {
  const form = $('details-template').content.firstElementChild.cloneNode(true);
  const prefix = `details-${++forms}`;
  form.querySelectorAll('[data-field]').forEach((input) => {
    const field = input.dataset.field;
    const error = form.querySelector(`[data-error-for="${field}"]`);
    if (error) error.id = `${prefix}-${field}-error`;
    if (input.tagName === 'FIELDSET') {
      input.setAttribute('aria-describedby', `${prefix}-${field}-error`);
      return;
    }
    input.id = `${prefix}-${field}`;
    const hint = input.parentElement.querySelector('.hint');
    if (hint) hint.id = `${prefix}-${field}-help`;
    input.setAttribute('aria-describedby', [hint ? hint.id : null, error ? error.id : null].filter(Boolean).join(' '));
  });
  form.querySelectorAll('label[data-for]').forEach((l) => { l.htmlFor = `${prefix}-${l.dataset.for}`; });
  form.querySelectorAll('input[name="kind"]').forEach((r) => { r.name = `${prefix}-kind`; });
  const field = (name) => form.querySelector(`[data-field="${name}"]`);
  const kind = () => form.querySelector(`input[name="${prefix}-kind"]:checked`)?.value ?? 'business';
  const business = form.querySelector('.business-fields');
  const drawKind = () => { business.hidden = kind() !== 'business'; };

  field('name').value = wallet?.name ?? '';
  for (const r of form.querySelectorAll(`input[name="${prefix}-kind"]`)) r.checked = r.value === (wallet?.kind ?? 'business');
  field('business_number').value = wallet?.business_number ?? '';
  field('business_name').value = wallet?.business_name ?? '';
  field('representative').value = wallet?.representative ?? '';
  field('invoice_email').value = wallet?.invoice_email ?? '';
  const master = wallet ? wallet.master_id : config.me.id;
  field('master_id').replaceChildren(...choices.map((a) => h('option', { value: a.id, selected: a.id === master }, accountLabel(a))));
  drawKind();
  form.addEventListener('change', drawKind);

  const button = form.querySelector('.details-submit');
  button.textContent = submit;
  const status = form.querySelector('.details-status');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFieldErrors(form);
    const text = (name) => field(name).value.trim();
    const isBusiness = kind() === 'business';
    const body = {
      name: text('name'),
      kind: kind(),
      business_number: isBusiness ? text('business_number') : null,
      business_name: isBusiness ? text('business_name') : null,
      representative: isBusiness ? text('representative') : null,
      invoice_email: isBusiness ? text('invoice_email') : null,
      master_id: Number(field('master_id').value),
    };
    setStatus(status, t('wallet-saving'));
    await busy(button, async () => {
      try {
        const next = await send(body);
        setStatus(status, t('wallet-saved'), 'ok');
        saved(next);
      } catch (e) {
        if (fieldErrors(form, status, e)) return;
        if (e instanceof ApiError && e.status === 404) {
          fieldError(form, 'master_id', t('wallet-err-master'))?.focus();
          setStatus(status, t('wallet-refused'), 'bad');
        } else if (e instanceof ApiError && e.status === 409) {
          setStatus(status, t('wallet-exists'), 'bad');
        } else {
          failed(status, e);
        }
      }
    });
  });
  return form;
}

/** The form that makes the site's wallet (the admin's, when there is none). */
export async function createWallet(slot, made) {
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  slot.replaceChildren(status);
  let choices;
  try {
    choices = await directory();
  } catch (e) {
    failed(status, e);
    return;
  }
  const form = detailsForm({
    wallet: null,
    choices,
    submit: t('wallet-create'),
    send: (body) => api('/api/v1/wallet', { method: 'POST', body }),
    saved: made,
  });
  slot.replaceChildren(form);
}

/** The details as read, for someone who does not change them. */
function detailsView(view) {
  const w = view.wallet;
  const master = view.people.find((p) => p.agent_id === w.master_id)?.name ?? String(w.master_id);
  const rows = [
    ['wallet-field-name', w.name],
    ['wallet-field-kind', t(`wallet-type-${w.kind}`)],
  ];
  if (w.kind === 'business') {
    rows.push(
      ['wallet-field-business-number', w.business_number],
      ['wallet-field-business-name', w.business_name],
      ['wallet-field-representative', w.representative],
      ['wallet-field-invoice-email', w.invoice_email],
    );
  }
  rows.push(['wallet-field-master', master]);
  return rows.flatMap(([key, value]) => [h('dt', {}, t(key)), h('dd', { translate: 'no' }, value ?? '—')]);
}

/** The version of the details the edit form was filled from (redrawn only when it changes). */
let detailsShown = null;
const versionOf = (w) => `${w.id}:${w.updated_at}`;

async function drawDetails(view, changed) {
  const w = view.wallet;
  const manages = view.role === 'chatbot_master' || view.role === 'master';
  $('details-view').replaceChildren(...(manages ? [] : detailsView(view)));
  $('details-view').hidden = manages;
  const slot = $('details-slot');
  if (!manages) {
    slot.replaceChildren();
    detailsShown = null;
    return;
  }
  if (detailsShown === versionOf(w)) return;
  detailsShown = versionOf(w);
  let choices;
  try {
    choices = await directory();
  } catch (e) {
    const status = h('p', { class: 'status', role: 'status' });
    slot.replaceChildren(status);
    failed(status, e);
    detailsShown = null;
    return;
  }
  slot.replaceChildren(detailsForm({
    wallet: w,
    choices,
    submit: t('wallet-details-save'),
    send: (body) => api('/api/v1/wallet', { method: 'PUT', body }),
    // The form stays as it is (with its status): it holds what was saved.
    saved: (next) => {
      detailsShown = versionOf(next.wallet);
      changed(next);
    },
  }));
}

/** Draws the details, the people and the worker form of `view`; `changed(next)` redraws. */
export function drawPeople(view, changed) {
  drawDetails(view, changed);
  const manages = view.role === 'chatbot_master' || view.role === 'master';
  const status = $('people-status');
  $('people-rows').replaceChildren(...view.people.map((p) => {
    const mine = p.agent_id === config.me.id;
    const editable = mine || manages;
    const id = `notice-${p.agent_id}`;
    let email;
    if (editable) {
      const input = h('input', {
        type: 'email', id, value: p.notice_email ?? '', autocomplete: mine ? 'email' : 'off', 'aria-describedby': `${id}-error`,
      });
      const save = h('button', { type: 'submit', class: 'secondary small' }, t('wallet-email-save'));
      const error = h('span', { id: `${id}-error`, class: 'field-error' });
      email = h('form', {
        class: 'notice-form',
        novalidate: true,
        onsubmit: async (ev) => {
          ev.preventDefault();
          error.textContent = '';
          input.removeAttribute('aria-invalid');
          const value = input.value.trim();
          setStatus(status, t('wallet-saving'));
          await busy(save, async () => {
            try {
              const next = await api(`/api/v1/wallet/notice-emails/${p.agent_id}`, {
                method: 'PUT', body: { email: value === '' ? null : value },
              });
              setStatus(status, value === '' ? t('wallet-email-cleared', { name: p.name }) : t('wallet-email-saved', { name: p.name }), 'ok');
              changed(next);
            } catch (e) {
              if (e instanceof ApiError && e.status === 422) {
                const entry = e.details?.errors?.[0];
                error.textContent = fieldText(entry?.field ?? 'email', entry?.message ?? e.message);
                input.setAttribute('aria-invalid', 'true');
                input.focus();
                setStatus(status, t('wallet-refused'), 'bad');
              } else {
                failed(status, e);
              }
            }
          });
        },
      },
      h('label', { for: id, class: 'visually-hidden' }, t('wallet-email-label', { name: p.name })),
      input, save, error);
    } else {
      email = p.notice_email ? h('span', { translate: 'no' }, p.notice_email) : h('span', { class: 'muted' }, t('wallet-email-none'));
    }
    const remove = manages && p.role === 'worker'
      ? h('button', {
        type: 'button',
        class: 'danger small',
        'aria-label': t('wallet-worker-remove-label', { name: p.name }),
        onclick: async (ev) => {
          setStatus(status, t('wallet-working'));
          await busy(ev.currentTarget, async () => {
            try {
              const next = await api(`/api/v1/wallet/workers/${p.agent_id}`, { method: 'DELETE' });
              setStatus(status, t('wallet-worker-removed', { name: p.name }), 'ok');
              changed(next);
            } catch (e) {
              failed(status, e);
            }
          });
        },
      }, t('wallet-worker-remove'))
      : null;
    return h('tr', { dataset: { agent: p.agent_id } },
      h('th', { scope: 'row' }, h('span', {},
        h('span', { translate: 'no' }, p.name), mine ? h('span', { class: 'badge' }, t('wallet-person-me')) : null)),
      h('td', {}, t(`wallet-role-${p.role}`)),
      h('td', {}, email),
      h('td', { class: 'row-actions' }, remove));
  }));
  labelCells($('people-rows'));
  drawWorkerForm(view, manages, changed);
}

async function drawWorkerForm(view, manages, changed) {
  const form = $('worker-form');
  form.hidden = !manages;
  if (!manages) return;
  const pick = $('worker-pick');
  const status = $('people-status');
  let all;
  try {
    all = await directory();
  } catch (e) {
    failed(status, e);
    return;
  }
  const people = new Set(view.people.map((p) => p.agent_id));
  const free = all.filter((a) => !people.has(a.id));
  pick.replaceChildren(...(free.length ? free.map((a) => h('option', { value: a.id }, accountLabel(a)))
    : [h('option', { value: '' }, t('wallet-worker-none'))]));
  pick.disabled = free.length === 0;
  $('worker-add').disabled = free.length === 0;
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    clearFieldErrors(form);
    const agentId = Number(pick.value);
    if (!agentId) return;
    const name = free.find((a) => a.id === agentId)?.display_name ?? '';
    setStatus(status, t('wallet-working'));
    await busy($('worker-add'), async () => {
      try {
        const next = await api('/api/v1/wallet/workers', { method: 'POST', body: { agent_id: agentId } });
        setStatus(status, t('wallet-worker-added', { name }), 'ok');
        changed(next);
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) fieldError(form, 'agent_id', t('wallet-err-account'));
        else if (!fieldErrors(form, status, e)) failed(status, e);
      }
    });
  };
}
