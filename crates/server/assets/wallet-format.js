// What the wallet page's scripts share: the page's settings, amounts (whole won, grouped by
// thousands) and times (in the site's zone) as people read them, the words of codes the API
// sends (refusals, kinds, states), and how a failed request is shown beside what caused it.

import { ApiError } from './lib/api.js';
import { fieldError, h, setStatus } from './lib/dom.js';
import { has, lang, t } from './lib/i18n.js';

/** The page's settings: who is logged in, the site's zone, the limits (pages/wallet.rs). */
export const config = JSON.parse(document.getElementById('wallet-config').textContent);

const locale = lang === 'ko' ? 'ko-KR' : 'en-US';
const numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });

/** The site's zone when the browser knows it, else Seoul (Sangdam's default). */
const zone = (() => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: config.zone }).format(0);
    return config.zone;
  } catch {
    return 'Asia/Seoul';
  }
})();

const times = new Intl.DateTimeFormat(locale, {
  timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});
const days = new Intl.DateTimeFormat(locale, { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
/** `YYYY-MM-DD` parts of an instant in the site's zone. */
const isoParts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });

/** A number with its thousands grouped. */
export const num = (n) => numbers.format(n);

/** An amount of won. */
export const won = (n) => t('wallet-won', { amount: num(n) });

/** A change of an amount: `+1,000원`, `-1,000원`, or a dash for none. */
export function change(n) {
  if (!n) return '—';
  return n > 0 ? `+${won(n)}` : `−${won(-n)}`;
}

/** What a card pays for `supply` of cash: the supply and 10% VAT, rounded down. */
export const gross = (supply) => supply + Math.floor(supply / 10);

/** An instant (ms) as a `<time>` in the site's zone. */
export function time(ms, { dayOnly = false } = {}) {
  if (ms === null || ms === undefined) return '—';
  const d = new Date(ms);
  return h('time', { datetime: d.toISOString(), translate: 'no' }, (dayOnly ? days : times).format(d));
}

/** An instant (ms) as text in the site's zone. */
export const when = (ms) => times.format(new Date(ms));

/** Today (`YYYY-MM-DD`) in the site's zone. */
export function today() {
  const parts = Object.fromEntries(isoParts.formatToParts(new Date()).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** This month (`YYYY-MM`) in the site's zone. */
export const thisMonth = () => today().slice(0, 7);

/** The words of a code under `prefix` (the code itself when the catalogue has none). */
export function words(prefix, code) {
  if (code === null || code === undefined || code === '') return '—';
  return has(`${prefix}${code}`) ? t(`${prefix}${code}`) : String(code);
}

/** Why a card was refused, in words. */
export const refusal = (code) => (code ? words('wallet-refusal-', code) : t('wallet-refusal-none'));

/** A usage kind (`event_message`) in words. */
export const usageKind = (kind) => words('wallet-usage-', kind);

/** A request key that names one attempt (the same key again changes nothing at the server). */
export function newKey() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A field's refusal (`details.errors[].message`, written for developers) in the page's words. */
export function fieldText(field, message) {
  const m = String(message ?? '');
  let x;
  if (field === 'business_number') {
    if (/does not check/.test(m)) return t('wallet-err-business-check');
    if (/expected 10 digits/.test(m)) return t('wallet-err-business-format');
  }
  if (/is required$|is empty$/.test(m)) return t('wallet-err-required');
  if (/not an e-mail address/.test(m)) return t('wallet-err-email');
  if ((x = m.match(/has at most (\d+) characters/))) return t('wallet-err-too-long', { max: x[1] });
  if (/control character/.test(m)) return t('wallet-err-control');
  if (/is between/.test(m)) return t('wallet-err-amount');
  if (/YYYY-MM-DD/.test(m)) return t('wallet-err-day');
  if (/YYYY-MM|not a month/.test(m)) return t('wallet-err-month');
  if (/is business or personal/.test(m)) return t('wallet-err-kind');
  return t('wallet-err-other', { reason: m });
}

/** A failed request in a status line (a refusal of fields is `fieldErrors`'). */
export function failed(el, e) {
  if (!(e instanceof ApiError)) throw e;
  if (e.status === 401) setStatus(el, t('wallet-login-again'), 'bad');
  else if (e.status === 403) setStatus(el, t('wallet-not-allowed'), 'bad');
  else setStatus(el, t('wallet-failed', { reason: e.message }), 'bad');
}

/**
 * Shows a 422's refused fields beside their inputs in `form` (those the form lacks in `status`)
 * and focuses the first; false when `e` refused no fields.
 */
export function fieldErrors(form, status, e) {
  if (!(e instanceof ApiError) || e.status !== 422) return false;
  const errors = Array.isArray(e.details?.errors) ? e.details.errors
    : e.details?.field ? [{ field: e.details.field, message: e.message }] : [];
  if (!errors.length) return false;
  const elsewhere = [];
  const shown = errors.map((entry) => {
    const text = fieldText(entry.field, entry.message);
    const at = fieldError(form, entry.field, text);
    if (!at) elsewhere.push(text);
    return at;
  });
  shown.find(Boolean)?.focus();
  setStatus(status, elsewhere.length ? elsewhere.join(' ') : t('wallet-refused'), 'bad');
  return true;
}

/** Runs `fn` with `buttons` disabled (a second press sends nothing), and gives them back. */
export async function busy(buttons, fn) {
  const list = (Array.isArray(buttons) ? buttons : [buttons]).filter(Boolean);
  const before = list.map((b) => b.disabled);
  list.forEach((b) => { b.disabled = true; b.setAttribute('aria-busy', 'true'); });
  try {
    return await fn();
  } finally {
    list.forEach((b, i) => { b.disabled = before[i]; b.removeAttribute('aria-busy'); });
  }
}

/** A table row that says the table is empty (`text`). */
export function emptyRow(columns, text) {
  return h('tr', { class: 'empty' }, h('td', { colspan: columns }, text));
}

/**
 * Names each cell of `tbody`'s rows after its column's heading (`data-label`), for the narrow
 * screens where a `.stacked` table shows each row as a list of labelled values.
 */
export function labelCells(tbody) {
  const heads = [...(tbody.closest('table')?.tHead?.rows[0]?.cells ?? [])]
    .map((th) => (th.querySelector('.visually-hidden') ? '' : th.textContent.trim()));
  for (const row of tbody.rows) {
    if (row.classList.contains('empty')) continue;
    [...row.cells].forEach((cell, i) => { cell.dataset.label = heads[i] ?? ''; });
  }
}
