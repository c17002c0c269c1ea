// The wallet's records on the wallet page: the history of movements with its filter, a page at
// a time (GET /api/v1/wallet/history, `before` for the next page) and as an xlsx download
// (GET /api/v1/wallet/history.xlsx with the same filter); a month's statement
// (GET /api/v1/wallet/statement?month=YYYY-MM); the card payments (GET /api/v1/wallet/payments);
// the tax invoices with their documents (GET /api/v1/wallet/invoices,
// /api/v1/wallet/invoices/{id}/document); and the notices sent (GET /api/v1/wallet/emails).

import { api } from './lib/api.js';
import { $, clearFieldErrors, h, setStatus } from './lib/dom.js';
import { t } from './lib/i18n.js';
import {
  busy, change, config, emptyRow, failed, fieldErrors, labelCells, num, refusal, thisMonth, time, usageKind, won, words,
} from './wallet-format.js';

// --- History -----------------------------------------------------------------------------------

const historyForm = $('history-form');
const historyStatus = $('history-status');
const moreButton = $('history-more');

/** The filter the table shows. */
let applied = {};
/** The oldest entry shown (the next page is older). */
let oldest = null;

function readFilter() {
  const f = {};
  for (const [name, id] of [['from', 'history-from'], ['to', 'history-to'], ['kind', 'history-kind'], ['usage_kind', 'history-usage']]) {
    const v = $(id).value.trim();
    if (v) f[name] = v;
  }
  return f;
}

const search = (params) => {
  const q = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
  return q ? `?${q}` : '';
};

function historyRow(e) {
  const u = e.usage;
  const reference = u?.reference ?? (e.payment_id ? t('wallet-history-payment', { id: e.payment_id }) : '—');
  return h('tr', { dataset: { entry: e.id, kind: e.kind } },
    h('td', {}, time(e.at)),
    h('td', {}, words('wallet-kind-', e.kind)),
    h('td', {}, u ? usageKind(u.kind) : '—'),
    h('td', { class: 'num' }, u ? num(u.quantity) : '—'),
    h('td', { class: 'num' }, u ? won(u.unit_price) : '—'),
    h('td', { class: 'num' }, won(e.amount)),
    h('td', { class: 'reference', translate: 'no' }, reference));
}

/** Reads the first page of `applied` (or, with `more`, the next one). */
async function loadHistory(more = false) {
  const params = { ...applied, limit: config.history_page };
  if (more && oldest !== null) params.before = oldest;
  setStatus(historyStatus, t('wallet-loading'));
  try {
    const { entries } = await api(`/api/v1/wallet/history${search(params)}`);
    setStatus(historyStatus, '');
    const rows = entries.map(historyRow);
    if (more) $('history-rows').append(...rows);
    else $('history-rows').replaceChildren(...(rows.length ? rows : [emptyRow(7, t('wallet-history-empty'))]));
    if (entries.length) oldest = entries[entries.length - 1].id;
    else if (!more) oldest = null;
    moreButton.hidden = entries.length < config.history_page;
  } catch (e) {
    if (!fieldErrors(historyForm, historyStatus, e)) failed(historyStatus, e);
  }
}

historyForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(historyForm);
  applied = readFilter();
  $('history-xlsx').href = `/api/v1/wallet/history.xlsx${search(applied)}`;
  await busy($('history-apply'), () => loadHistory());
});

moreButton.addEventListener('click', () => busy(moreButton, () => loadHistory(true)));

// --- Statement ---------------------------------------------------------------------------------

const statementForm = $('statement-form');
const statementStatus = $('statement-status');

const freeOf = (balances) => balances.grants.reduce((sum, g) => sum + g.remaining, 0);

async function loadStatement() {
  const month = $('statement-month').value || thisMonth();
  setStatus(statementStatus, t('wallet-loading'));
  try {
    const { statement: s } = await api(`/api/v1/wallet/statement${search({ month })}`);
    setStatus(statementStatus, t('wallet-statement-of', { month }));
    const figure = (key, get) => h('tr', {},
      h('th', { scope: 'row' }, t(key)),
      h('td', { class: 'num' }, won(get(s.opening))),
      h('td', { class: 'num' }, won(get(s.closing))));
    $('statement-figures').replaceChildren(
      figure('wallet-paid', (b) => b.paid),
      figure('wallet-free', freeOf),
      figure('wallet-due', (b) => b.due),
      figure('wallet-receivable', (b) => b.receivable));
    const vat = Math.floor(s.consumed / 10);
    $('statement-totals').replaceChildren(
      h('dt', {}, t('wallet-statement-consumed-total')), h('dd', {}, won(s.consumed)),
      h('dt', {}, t('wallet-statement-vat')), h('dd', {}, won(vat)),
      h('dt', {}, t('wallet-statement-invoiced')), h('dd', {}, won(s.consumed + vat)),
      h('dt', {}, t('wallet-statement-free-used')), h('dd', {}, won(s.free_used)));
    $('statement-empty').hidden = s.lines.length > 0;
    $('statement-lines').replaceChildren(...s.lines.map((l) => h('tr', {},
      h('td', {}, time(l.at)),
      h('td', {}, words('wallet-kind-', l.kind)),
      h('td', { class: 'num' }, change(l.paid)),
      h('td', { class: 'num' }, change(l.free)),
      h('td', { class: 'num' }, change(l.due)),
      h('td', { class: 'num' }, change(l.receivable)),
      h('td', { class: 'num' }, l.card ? won(l.card) : '—'),
      h('td', { class: 'num' }, l.consumed ? won(l.consumed) : '—'))));
    $('statement-body').hidden = false;
  } catch (e) {
    $('statement-body').hidden = true;
    if (!fieldErrors(statementForm, statementStatus, e)) failed(statementStatus, e);
  }
}

statementForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(statementForm);
  await busy($('statement-show'), loadStatement);
});

// --- Payments, invoices, notices ---------------------------------------------------------------

async function loadPayments() {
  const status = $('payments-status');
  try {
    const { payments } = await api('/api/v1/wallet/payments');
    setStatus(status, '');
    $('payment-rows').replaceChildren(...(payments.length ? payments.map((p) => h('tr', { dataset: { payment: p.id, state: p.state } },
      h('td', {}, time(p.created_at)),
      h('td', {}, words('wallet-purpose-', p.purpose)),
      h('td', { class: 'num' }, won(p.supply)),
      h('td', { class: 'num' }, won(p.amount)),
      h('td', { class: `state-${p.state}` }, words('wallet-payment-state-', p.state)),
      h('td', {}, p.refusal ? refusal(p.refusal) : '—',
        p.refusal && p.message ? h('small', { class: 'detail', translate: 'no' }, p.message) : null),
      h('td', { class: 'num' }, p.refunded ? won(p.refunded) : '—')))
      : [emptyRow(7, t('wallet-payments-empty'))]));
    labelCells($('payment-rows'));
  } catch (e) {
    failed(status, e);
  }
}

async function loadInvoices() {
  const status = $('invoices-status');
  try {
    const { invoices } = await api('/api/v1/wallet/invoices');
    setStatus(status, '');
    $('invoice-rows').replaceChildren(...(invoices.length ? invoices.map((i) => h('tr', { dataset: { invoice: i.id } },
      h('td', { translate: 'no' }, i.period),
      h('td', {}, time(i.issued_at, { dayOnly: true })),
      h('td', { translate: 'no' }, `${i.business_name} (${i.business_number})`, h('small', { class: 'detail' }, i.email)),
      h('td', { class: 'num' }, won(i.supply)),
      h('td', { class: 'num' }, won(i.vat)),
      h('td', { class: 'num' }, won(i.total)),
      h('td', { class: 'row-actions' }, h('a', {
        class: 'button secondary small',
        href: `/api/v1/wallet/invoices/${i.id}/document`,
        download: true,
        'aria-label': t('wallet-invoice-download-label', { period: i.period }),
      }, t('wallet-invoice-download')))))
      : [emptyRow(7, t('wallet-invoices-empty'))]));
    labelCells($('invoice-rows'));
  } catch (e) {
    failed(status, e);
  }
}

async function loadEmails() {
  const status = $('emails-status');
  try {
    const { emails } = await api('/api/v1/wallet/emails');
    setStatus(status, '');
    $('email-rows').replaceChildren(...(emails.length ? emails.map((m) => h('tr', { dataset: { email: m.id, state: m.state } },
      h('td', {}, time(m.created_at)),
      h('td', {}, words('wallet-email-kind-', m.kind)),
      h('td', { translate: 'no', class: 'address' }, m.to_name ? `${m.to_name} <${m.to_address}>` : m.to_address),
      h('td', { translate: 'no' }, m.subject),
      h('td', { class: `state-${m.state}` }, words('wallet-email-state-', m.state),
        m.sent_at ? h('small', { class: 'detail' }, time(m.sent_at)) : null,
        m.last_error ? h('small', { class: 'detail', translate: 'no' }, m.last_error) : null)))
      : [emptyRow(5, t('wallet-emails-empty'))]));
    labelCells($('email-rows'));
  } catch (e) {
    failed(status, e);
  }
}

/** The records of the wallet: `start` reads them the first time, `refresh` after a change. */
export const records = {
  start() {
    $('statement-month').value = thisMonth();
    $('statement-month').max = thisMonth();
    this.refresh();
  },
  refresh() {
    loadHistory();
    loadStatement();
    loadPayments();
    loadInvoices();
    loadEmails();
  },
};
