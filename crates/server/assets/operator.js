// The platform operator's page, by the operator's own cookie:
// - the submissions waiting for review (GET /api/v1/operator/verifications?state=pending),
//   oldest first, each with its documents (GET …/verifications/{id}/documents/{document_id},
//   in a new tab) and a decision (POST …/verifications/{id}/decision: approve, or reject with
//   the reason the site's admin reads); a decided one leaves the list and the section's status
//   line says what was done;
// - every site (GET /api/v1/operator/sites) with its verification state in words and, for a
//   site with a wallet, a free-cash form (POST /api/v1/operator/sites/{id}/grants) whose key is
//   made when the form opens, so sending it twice grants once;
// - the prices of the usage kinds (GET /api/v1/operator/prices, PUT …/prices/{kind}).
// The operator logs out with POST /api/v1/operator/logout.

import { api, ApiError } from './lib/api.js';
import { $, clearFieldErrors, fieldError, h, setStatus } from './lib/dom.js';
import { humanSize } from './lib/files.js';
import { has, lang, t } from './lib/i18n.js';

const locale = lang === 'ko' ? 'ko-KR' : 'en-US';
const times = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
const numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });

const pageStatus = $('operator-status');
const reviewStatus = $('review-status');
const reviewList = $('review-list');
const sitesStatus = $('sites-status');
const siteRows = $('site-rows');
const pricesStatus = $('prices-status');
const priceRows = $('price-rows');

/** A number with its thousands grouped. */
const num = (n) => numbers.format(n);

/** An instant (ms) as a `<time>`, with the time of day unless `dayOnly`. */
function time(ms, { dayOnly = false } = {}) {
  if (ms === null || ms === undefined) return t('operator-none');
  const at = new Date(ms);
  return h('time', { datetime: at.toISOString() }, (dayOnly ? dates : times).format(at));
}

function why(e) {
  return e instanceof ApiError ? e.message : String(e?.message ?? e);
}

/** The operator's session has ended: said once at the top, with the way back. */
function loginAgain() {
  pageStatus.replaceChildren(t('operator-login-again'), ' ',
    h('a', { href: '/operator/login' }, t('operator-login-submit')));
  pageStatus.classList.add('bad');
}

/** A failed read or write, in `el`: `key` says what failed (its `reason` is the server's). */
function failed(el, key, e) {
  if (e instanceof ApiError && e.status === 401) {
    loginAgain();
    setStatus(el, t('operator-login-again'), 'bad');
    return;
  }
  setStatus(el, t(key, { reason: why(e) }), 'bad');
}

/** The refused fields of a 422: `[{ field, message }]` (empty for any other error). */
function refusedFields(e) {
  if (!(e instanceof ApiError) || e.status !== 422) return [];
  if (Array.isArray(e.details?.errors)) return e.details.errors;
  if (e.details?.field) return [{ field: e.details.field, message: e.message }];
  return [];
}

/** A text field's refusal (written for developers) in the page's words. */
function textRefusal(message) {
  const m = String(message ?? '');
  let x;
  if (/is empty$|required$/.test(m)) return t('operator-err-required');
  if ((x = m.match(/at most (\d+) characters/))) return t('operator-err-too-long', { max: x[1] });
  if (/control character/.test(m)) return t('operator-err-control');
  return t('operator-err-other', { reason: m });
}

/** Gives each `[data-field]` of a cloned form its own id, and its label, hint and error theirs. */
function wire(form, prefix) {
  form.querySelectorAll('[data-field]').forEach((input) => {
    const field = input.dataset.field;
    input.id = `${prefix}-${field}`;
    const box = input.closest('.field');
    const hint = box?.querySelector('.hint');
    const error = box?.querySelector(`[data-error-for="${field}"]`);
    if (hint) hint.id = `${prefix}-${field}-help`;
    if (error) error.id = `${prefix}-${field}-error`;
    input.setAttribute('aria-describedby', [hint?.id, error?.id].filter(Boolean).join(' '));
  });
  form.querySelectorAll('label[data-for]').forEach((l) => { l.htmlFor = `${prefix}-${l.dataset.for}`; });
}

/** Runs `fn` with `buttons` disabled (a second press sends nothing), and gives them back. */
async function busy(buttons, fn) {
  const before = buttons.map((b) => b.disabled);
  buttons.forEach((b) => { b.disabled = true; b.setAttribute('aria-busy', 'true'); });
  try {
    return await fn();
  } finally {
    buttons.forEach((b, i) => { b.disabled = before[i]; b.removeAttribute('aria-busy'); });
  }
}

/** A request key that names one opening of a form (the same key again grants nothing more). */
function newKey() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// --- Submissions waiting for review -----------------------------------------------------------

function reviewCount() {
  const n = reviewList.children.length;
  return n ? t('operator-review-count', { count: n }) : t('operator-review-empty');
}

function documentLink(v, d) {
  return h('li', {},
    h('a', {
      href: `/api/v1/operator/verifications/${v.verification.id}/documents/${d.id}`,
      target: '_blank',
      rel: 'noopener',
    },
    t('operator-document', { name: d.name, size: humanSize(d.size) }),
    h('span', { class: 'visually-hidden' }, ` ${t('operator-new-tab')}`)));
}

/** One submission, with its documents and the decision form. */
function reviewItem(v) {
  const node = $('review-template').content.firstElementChild.cloneNode(true);
  const id = v.verification.id;
  const prefix = `review-${id}`;
  const slot = (name) => node.querySelector(`[data-slot="${name}"]`);
  node.dataset.verification = id;
  slot('site').id = `${prefix}-title`;
  slot('site').textContent = v.site_name;
  node.setAttribute('aria-labelledby', `${prefix}-title`);
  slot('number').textContent = v.business_number;
  slot('name').textContent = v.verification.business_name;
  slot('representative').textContent = v.verification.representative;
  slot('submitted').replaceChildren(time(v.verification.submitted_at));
  slot('documents-title').id = `${prefix}-documents`;
  slot('documents').setAttribute('aria-labelledby', `${prefix}-documents`);
  slot('documents').replaceChildren(...(v.documents.length
    ? v.documents.map((d) => documentLink(v, d))
    : [h('li', { class: 'muted' }, t('operator-documents-none'))]));
  const form = node.querySelector('form');
  wire(form, prefix);
  form.addEventListener('submit', (ev) => ev.preventDefault());
  for (const button of form.querySelectorAll('button[data-decision]')) {
    button.addEventListener('click', () => decide(v, button.dataset.decision, node));
  }
  return node;
}

function drawReview(list) {
  // Oldest first: the one that has waited longest is on top.
  reviewList.replaceChildren(...[...list].reverse().map(reviewItem));
  setStatus(reviewStatus, reviewCount());
}

async function loadReview() {
  setStatus(reviewStatus, t('operator-review-loading'));
  try {
    const { verifications = [] } = (await api('/api/v1/operator/verifications?state=pending')) ?? {};
    drawReview(verifications);
    return true;
  } catch (e) {
    failed(reviewStatus, 'operator-review-failed', e);
    return false;
  }
}

async function decide(v, decision, node) {
  const form = node.querySelector('form');
  const status = node.querySelector('.decision-status');
  const buttons = [...node.querySelectorAll('button')];
  const reasonField = form.querySelector('[data-field="reason"]');
  clearFieldErrors(form);
  const body = decision === 'reject' ? { decision, reason: reasonField.value.trim() } : { decision };
  setStatus(status, t('operator-deciding'));
  await busy(buttons, async () => {
    try {
      await api(`/api/v1/operator/verifications/${v.verification.id}/decision`, { method: 'POST', body });
    } catch (e) {
      const reason = refusedFields(e).find((f) => f.field === 'reason');
      if (reason) {
        const long = /at most/.test(reason.message);
        fieldError(form, 'reason', t(long ? 'operator-err-reason-long' : 'operator-err-reason-required'))?.focus();
        setStatus(status, t('operator-refused'), 'bad');
      } else if (e instanceof ApiError && (e.status === 404 || e.status === 409)) {
        setStatus(status, '');
        if (await loadReview()) setStatus(reviewStatus, `${t('operator-decided-already')} ${reviewCount()}`, 'bad');
        $('review-title').focus();
      } else {
        failed(status, 'operator-decision-failed', e);
      }
      return;
    }
    node.remove();
    const words = { site: v.site_name, number: v.business_number };
    const done = t(decision === 'approve' ? 'operator-approved' : 'operator-rejected', words);
    setStatus(reviewStatus, `${done} ${reviewCount()}`, 'ok');
    $('review-title').focus();
    loadSites();
  });
}

// --- Sites and free cash ------------------------------------------------------------------------

/** The site's verification state in words. */
function stateWords(row) {
  if (row.verified && row.verification === 'pending') return t('operator-state-verified-pending');
  if (row.verified) return t('operator-state-approved');
  return row.verification ? t(`operator-state-${row.verification}`) : t('operator-state-none');
}

let opened = 0;

/** What a refused grant field says, by the field. */
function grantRefusal(field, message) {
  if (field === 'krw' || field === 'amount') return ['krw', t('operator-err-grant-amount')];
  if (field === 'days' || field === 'expires_at') return ['days', t('operator-err-grant-days')];
  return [field, textRefusal(message)];
}

/** Opens the free-cash form of `site` under its row (a fresh key for each opening). */
function openGrant(site, row, opener, result) {
  const next = row.nextElementSibling;
  if (next?.classList.contains('grant-row')) {
    next.querySelector('input')?.focus();
    return;
  }
  const form = $('grant-template').content.firstElementChild.cloneNode(true);
  opened += 1;
  wire(form, `grant-${site.id}-${opened}`);
  form.querySelector('[data-slot="legend"]').textContent = t('operator-grant-legend', { site: site.name });
  const key = newKey();
  const formRow = h('tr', { class: 'grant-row', dataset: { grantFor: site.id } }, h('td', { colspan: 7 }, form));
  row.after(formRow);
  opener.setAttribute('aria-expanded', 'true');
  setStatus(result, '');
  const status = form.querySelector('.grant-status');
  const field = (name) => form.querySelector(`[data-field="${name}"]`);
  const close = () => {
    formRow.remove();
    opener.setAttribute('aria-expanded', 'false');
    opener.focus();
  };
  form.querySelector('[data-action="close"]').addEventListener('click', close);
  form.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') close();
  });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFieldErrors(form);
    const body = {
      krw: Number(field('krw').value || 0),
      days: Number(field('days').value || 0),
      reason: field('reason').value.trim(),
      key,
    };
    setStatus(status, t('operator-granting'));
    await busy([...form.querySelectorAll('button')], async () => {
      try {
        const answer = await api(`/api/v1/operator/sites/${site.id}/grants`, { method: 'POST', body });
        const amount = num(answer.grant.amount);
        if (answer.created) {
          close();
          const expires = dates.format(new Date(answer.grant.expires_at));
          setStatus(result, t('operator-granted', { site: site.name, amount, expires }), 'ok');
        } else {
          setStatus(status, t('operator-granted-before', { amount }), 'bad');
        }
      } catch (e) {
        const refused = refusedFields(e);
        if (refused.length) {
          const elsewhere = [];
          const shown = refused.map((f) => {
            const [name, text] = grantRefusal(f.field, f.message);
            const at = fieldError(form, name, text);
            if (!at) elsewhere.push(text);
            return at;
          });
          shown.find(Boolean)?.focus();
          setStatus(status, elsewhere.length ? elsewhere.join(' ') : t('operator-refused'), 'bad');
        } else if (e instanceof ApiError && e.status === 404) {
          setStatus(status, t('operator-grant-no-wallet'), 'bad');
        } else {
          failed(status, 'operator-grant-failed', e);
        }
      }
    });
  });
  field('krw').focus();
}

/** The grant cell of a site: the button that opens its form and where the result is said. */
function grantCell(site, row) {
  if (!site.has_wallet) return h('td', { class: 'muted' }, t('operator-none'));
  const result = h('p', { class: 'status grant-result', role: 'status', 'aria-live': 'polite' });
  const opener = h('button', {
    type: 'button', class: 'secondary small', 'aria-expanded': 'false',
    onclick: () => openGrant(site, row, opener, result),
  }, t('operator-grant-open'));
  return h('td', { class: 'grant-cell' }, opener, result);
}

/** A site's cells but the grant's (kept as they are when the list is read again). */
function siteCells(r) {
  const s = r.site;
  return [
    h('td', { translate: 'no' }, String(s.id)),
    h('th', { scope: 'row' }, s.name),
    h('td', {}, time(s.created_at, { dayOnly: true })),
    h('td', { class: 'num' }, num(s.accounts)),
    h('td', {}, t(s.has_wallet ? 'operator-wallet-yes' : 'operator-wallet-no')),
    h('td', { dataset: { state: r.verification ?? 'none', verified: String(r.verified) } }, stateWords(r),
      r.approved ? [' ', h('button', {
        type: 'button', class: 'link revoke-open', 'aria-expanded': 'false',
        onclick: (ev) => openRevoke(r, ev.currentTarget),
      }, t('operator-revoke-open'))] : null),
  ];
}

/** Opens the form that revokes `r`'s verification (a reason the site's admin reads) under its
 * row. */
function openRevoke(r, opener) {
  const row = opener.closest('tr');
  const next = row.nextElementSibling;
  if (next?.classList.contains('revoke-row')) {
    next.querySelector('textarea')?.focus();
    return;
  }
  opened += 1;
  const id = `revoke-${r.site.id}-${opened}`;
  const reason = h('textarea', {
    id: `${id}-reason`, rows: '2', maxlength: '500', 'data-field': 'reason', 'aria-describedby': `${id}-error`,
  });
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const close = () => {
    formRow.remove();
    opener.setAttribute('aria-expanded', 'false');
    opener.focus();
  };
  const form = h('form', { class: 'revoke-form', novalidate: true },
    h('p', { class: 'legend' }, t('operator-revoke-legend', { site: r.site.name })),
    h('label', { for: reason.id }, t('operator-revoke-reason')),
    reason,
    h('span', { id: `${id}-error`, class: 'field-error', 'data-error-for': 'reason' }),
    h('p', { class: 'actions' },
      h('button', { type: 'submit', class: 'danger small' }, t('operator-revoke-submit')),
      ' ',
      h('button', { type: 'button', class: 'secondary small', onclick: close }, t('operator-grant-close'))),
    status);
  const formRow = h('tr', { class: 'revoke-row' }, h('td', { colspan: 7 }, form));
  row.after(formRow);
  opener.setAttribute('aria-expanded', 'true');
  form.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') close();
  });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFieldErrors(form);
    setStatus(status, t('operator-deciding'));
    await busy([...form.querySelectorAll('button')], async () => {
      try {
        await api(`/api/v1/operator/verifications/${r.approved}/decision`, {
          method: 'POST', body: { decision: 'revoke', reason: reason.value.trim() },
        });
      } catch (e) {
        const refusedReason = refusedFields(e).find((f) => f.field === 'reason');
        if (refusedReason) {
          const long = /at most/.test(refusedReason.message);
          fieldError(form, 'reason', t(long ? 'operator-err-reason-long' : 'operator-err-revoke-reason'))?.focus();
          setStatus(status, t('operator-refused'), 'bad');
        } else if (e instanceof ApiError && (e.status === 404 || e.status === 409)) {
          setStatus(status, t('operator-decided-already'), 'bad');
          loadSites();
        } else {
          failed(status, 'operator-decision-failed', e);
        }
        return;
      }
      formRow.remove();
      await loadSites();
      setStatus(sitesStatus, t('operator-revoked', { site: r.site.name }), 'ok');
      sitesStatus.focus?.();
    });
  });
  reason.focus();
}

function drawSites(rows) {
  const kept = new Map([...siteRows.querySelectorAll('tr[data-site]')].map((tr) => [tr.dataset.site, tr]));
  const out = [];
  for (const r of rows) {
    const id = String(r.site.id);
    let tr = kept.get(id);
    const hadWallet = tr?.dataset.wallet === 'true';
    if (tr && hadWallet === r.site.has_wallet) {
      // The grant cell (an open form's result) stays; the rest is read again.
      const grant = tr.lastElementChild;
      tr.replaceChildren(...siteCells(r), grant);
    } else {
      tr = h('tr', { dataset: { site: id, wallet: String(r.site.has_wallet) } });
      tr.append(...siteCells(r), grantCell(r.site, tr));
    }
    out.push(tr);
    const form = tr.nextElementSibling?.classList.contains('grant-row') ? tr.nextElementSibling : null;
    if (form) out.push(form);
  }
  if (!out.length) out.push(h('tr', { class: 'empty' }, h('td', { colspan: 7, class: 'muted' }, t('operator-sites-empty'))));
  siteRows.replaceChildren(...out);
  setStatus(sitesStatus, rows.length ? t('operator-sites-count', { count: rows.length }) : t('operator-sites-empty'));
}

async function loadSites() {
  try {
    const { sites = [] } = (await api('/api/v1/operator/sites')) ?? {};
    drawSites(sites);
  } catch (e) {
    failed(sitesStatus, 'operator-sites-failed', e);
  }
}

// --- Prices -------------------------------------------------------------------------------------

const maxPrice = Number(priceRows.dataset.max);

function kindName(kind) {
  return has(`wallet-usage-${kind}`) ? t(`wallet-usage-${kind}`) : kind;
}

function priceRow(p) {
  const id = `price-${p.kind}`;
  const input = h('input', {
    type: 'number', id, min: 0, max: maxPrice, step: 1, inputmode: 'numeric', value: p.krw,
    'aria-label': t('operator-price-label', { kind: kindName(p.kind) }), 'aria-describedby': `${id}-error`,
  });
  const error = h('span', { class: 'field-error', id: `${id}-error` });
  const save = h('button', {
    type: 'button', class: 'secondary small', 'aria-label': t('operator-price-save-label', { kind: kindName(p.kind) }),
  }, t('operator-price-save'));
  const send = () => savePrice(p, input, error, save);
  save.addEventListener('click', send);
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      send();
    }
  });
  return h('tr', { dataset: { kind: p.kind } },
    h('th', { scope: 'row' }, kindName(p.kind), ' ', h('code', { translate: 'no' }, p.kind)),
    h('td', {}, input, error),
    h('td', {}, t(p.set_by_operator ? 'operator-price-by-operator' : 'operator-price-by-server')),
    h('td', {}, save));
}

function drawPrices(prices, focusKind) {
  priceRows.replaceChildren(...(prices.length ? prices.map(priceRow)
    : [h('tr', { class: 'empty' }, h('td', { colspan: 4, class: 'muted' }, t('operator-prices-empty')))]));
  if (focusKind) priceRows.querySelector(`tr[data-kind="${CSS.escape(focusKind)}"] input`)?.focus();
}

async function savePrice(p, input, error, save) {
  error.textContent = '';
  input.removeAttribute('aria-invalid');
  const krw = Number(input.value === '' ? Number.NaN : input.value);
  if (!Number.isInteger(krw) || krw < 0 || krw > maxPrice) {
    error.textContent = t('operator-err-price');
    input.setAttribute('aria-invalid', 'true');
    input.focus();
    return;
  }
  setStatus(pricesStatus, t('operator-price-saving'));
  await busy([save], async () => {
    try {
      const { prices = [] } = (await api(`/api/v1/operator/prices/${encodeURIComponent(p.kind)}`, {
        method: 'PUT', body: { krw },
      })) ?? {};
      drawPrices(prices, p.kind);
      setStatus(pricesStatus, t('operator-price-saved', { kind: kindName(p.kind), amount: num(krw) }), 'ok');
    } catch (e) {
      if (refusedFields(e).length) {
        error.textContent = t('operator-err-price');
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        setStatus(pricesStatus, t('operator-refused'), 'bad');
      } else {
        failed(pricesStatus, 'operator-price-failed', e);
      }
    }
  });
}

async function loadPrices() {
  try {
    const { prices = [] } = (await api('/api/v1/operator/prices')) ?? {};
    drawPrices(prices);
    setStatus(pricesStatus, prices.length ? t('operator-prices-count', { count: prices.length }) : t('operator-prices-empty'));
  } catch (e) {
    failed(pricesStatus, 'operator-prices-failed', e);
  }
}

// --- Logging out --------------------------------------------------------------------------------

$('logout').addEventListener('click', async (ev) => {
  const button = ev.currentTarget;
  await busy([button], async () => {
    try {
      await api('/api/v1/operator/logout', { method: 'POST' });
      window.location.assign('/operator/login');
    } catch (e) {
      setStatus(pageStatus, t('operator-logout-failed', { reason: why(e) }), 'bad');
    }
  });
});

await Promise.all([loadReview(), loadSites(), loadPrices()]);
