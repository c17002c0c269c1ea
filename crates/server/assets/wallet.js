// The wallet page (/wallet): reads the wallet (GET /api/v1/wallet; 404 when the site has none
// or the caller is none of its people) and draws its figures and cards; registers a card
// through the gateway's window (POST /api/v1/wallet/card-registration, then, when the window
// comes back here with `authKey` and `customerKey`, POST /api/v1/wallet/cards); puts cards in
// the wallet and takes them out (PUT/DELETE /api/v1/wallet/cards/{id}, DELETE
// /api/v1/me/cards/{id}); buys paid cash (POST /api/v1/wallet/cash) and refunds it
// (POST /api/v1/wallet/refund). The details and people are wallet-people.js's; the history,
// statement, payments, invoices and notices wallet-records.js's.

import { api, ApiError } from './lib/api.js';
import { $, clearFieldErrors, fieldError, h, setStatus } from './lib/dom.js';
import { t } from './lib/i18n.js';
import {
  busy, config, failed, fieldErrors, gross, labelCells, newKey, refusal, time, when, won,
} from './wallet-format.js';
import { createWallet, drawPeople } from './wallet-people.js';
import { records } from './wallet-records.js';

/** The wallet as last read (WalletView), or null. */
let view = null;

const pageStatus = $('wallet-status');

/** The caller changes the wallet's details, people and payment card, and refunds. */
const manages = () => view && (view.role === 'chatbot_master' || view.role === 'master');

// --- Loading -----------------------------------------------------------------------------------

/** Reads the wallet again and draws it (and, the first time, its records). */
async function load() {
  try {
    view = await api('/api/v1/wallet');
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      view = null;
      showNoWallet();
      return;
    }
    failed(pageStatus, e);
    return;
  }
  showWallet();
}

/** The wallet changed (an answer carrying the new view, or null to read it again). */
async function changed(next = null) {
  if (next) {
    view = next;
    showWallet();
  } else {
    await load();
  }
  records.refresh();
}

function showNoWallet() {
  setStatus(pageStatus, '');
  $('wallet-body').hidden = true;
  $('wallet-toc').hidden = true;
  $('no-wallet').hidden = false;
  if (config.is_admin) {
    createWallet($('create-slot'), (made) => {
      $('no-wallet').hidden = true;
      $('create-slot').replaceChildren();
      view = made;
      showWallet();
      setStatus(pageStatus, t('wallet-created'), 'ok');
    });
  }
}

let recordsStarted = false;

function showWallet() {
  if (pageStatus.textContent === t('wallet-loading')) setStatus(pageStatus, '');
  $('no-wallet').hidden = true;
  $('wallet-body').hidden = false;
  $('wallet-toc').hidden = false;
  drawRole();
  drawBalances();
  drawCards();
  drawChargeForm();
  $('refund').hidden = !manages();
  drawPeople(view, changed);
  if (!recordsStarted) {
    recordsStarted = true;
    records.start();
  }
}

function drawRole() {
  const w = view.wallet;
  const type = t(`wallet-type-${w.kind}`);
  $('role-line').replaceChildren(
    t('wallet-role-line', { role: t(`wallet-role-${view.role}`) }), ' · ',
    h('strong', { translate: 'no' }, w.name), ` (${type})`,
  );
}

// --- Figures -----------------------------------------------------------------------------------

function drawBalances() {
  const b = view.balances;
  $('paid-cash').textContent = won(b.paid);
  $('free-cash').textContent = won(b.free);
  $('due').textContent = won(b.due);
  $('receivable').textContent = won(b.receivable);
  $('next-settlement').textContent = t('wallet-next-settlement', { time: when(b.next_settlement_at) });
  const owing = b.receivable > 0;
  $('receivable-figure').classList.toggle('warn', owing);
  const alert = $('receivable-alert');
  alert.hidden = !owing;
  alert.replaceChildren(...(owing ? [
    h('strong', {}, t('wallet-receivable-alert-title')), ' ',
    t('wallet-receivable-alert', { amount: won(b.receivable) }),
    view.wallet.receivable_since ? [' ', t('wallet-receivable-since', { time: when(view.wallet.receivable_since) })] : null,
  ] : []));
  $('grants').hidden = b.grants.length === 0;
  $('grant-rows').replaceChildren(...b.grants.map((g) => h('tr', {},
    h('td', { translate: 'no' }, g.reason),
    h('td', { class: 'num' }, won(g.granted)),
    h('td', { class: 'num' }, won(g.remaining)),
    h('td', {}, time(g.expires_at)))));
}

/** A failed card request: a server without a payment gateway says so in its own words. */
function cardFailed(el, e) {
  if (e instanceof ApiError && e.code === 'payments_not_configured') setStatus(el, t('wallet-no-gateway'), 'bad');
  else failed(el, e);
}

// --- Cards -------------------------------------------------------------------------------------

const cardStatus = $('card-status');

/** A card as people tell it apart: its company and masked number. */
const cardName = (c) => `${c.card_company} ${c.masked_number}`;

/** The wallet's place of one of the caller's cards, or null. */
const placeOf = (cardId) => view.cards.find((c) => c.card.id === cardId) ?? null;

/** A button of a card's row, named with the card for a screen reader. */
function cardButton(label, card, onclick, cls = 'secondary small') {
  return h('button', {
    type: 'button', class: cls, 'aria-label': t('wallet-card-action', { action: label, card: cardName(card) }), onclick,
  }, label);
}

/** Runs a card change from a row's button; the status line says how it went. */
async function cardChange(button, fn, done) {
  setStatus(cardStatus, t('wallet-working'));
  await busy(button, async () => {
    try {
      const next = await fn();
      setStatus(cardStatus, done, 'ok');
      await changed(next && next.wallet ? next : null);
    } catch (e) {
      failed(cardStatus, e);
    }
  });
}

function drawCards() {
  const mine = new Set(view.my_cards.map((c) => c.id));
  $('no-wallet-cards').hidden = view.cards.length > 0;
  $('wallet-card-rows').replaceChildren(...view.cards.map((c) => {
    const card = c.card;
    const mayDrop = mine.has(card.id) || manages();
    return h('tr', { dataset: { card: card.id } },
      h('td', {}, c.order ? String(c.order) : '—'),
      h('td', {}, t(`wallet-slot-${c.slot}`)),
      h('td', { translate: 'no' }, c.owner_name),
      h('td', { translate: 'no' }, card.card_company),
      h('td', { translate: 'no', class: 'card-number' }, card.masked_number),
      h('td', { class: c.last_refusal ? 'refused' : '' }, refusal(c.last_refusal)),
      h('td', { class: 'row-actions' }, mayDrop ? cardButton(t('wallet-card-drop'), card, (ev) => cardChange(ev.currentTarget,
        () => api(`/api/v1/wallet/cards/${card.id}`, { method: 'DELETE' }), t('wallet-card-dropped'))) : null));
  }));
  $('no-my-cards').hidden = view.my_cards.length > 0;
  $('my-card-rows').replaceChildren(...view.my_cards.map((card) => {
    const place = placeOf(card.id);
    const where = !place ? t('wallet-in-wallet-no')
      : place.slot === 'payment' ? t('wallet-in-wallet-payment') : t('wallet-in-wallet-backup', { order: place.order });
    const use = (slot) => (ev) => cardChange(ev.currentTarget,
      () => api(`/api/v1/wallet/cards/${card.id}`, { method: 'PUT', body: { slot } }),
      t(slot === 'payment' ? 'wallet-card-now-payment' : 'wallet-card-now-backup'));
    return h('tr', { dataset: { card: card.id } },
      h('td', { translate: 'no' }, card.card_company),
      h('td', { translate: 'no', class: 'card-number' }, card.masked_number),
      h('td', {}, time(card.created_at, { dayOnly: true })),
      h('td', {}, where),
      h('td', { class: 'row-actions' },
        place?.slot !== 'backup' ? cardButton(t('wallet-card-use-backup'), card, use('backup')) : null,
        view.role === 'master' && place?.slot !== 'payment' ? cardButton(t('wallet-card-use-payment'), card, use('payment'), 'small') : null,
        place ? cardButton(t('wallet-card-drop'), card, (ev) => cardChange(ev.currentTarget,
          () => api(`/api/v1/wallet/cards/${card.id}`, { method: 'DELETE' }), t('wallet-card-dropped'))) : null,
        cardButton(t('wallet-card-delete'), card, (ev) => {
          if (!window.confirm(t('wallet-card-delete-confirm', { card: cardName(card) }))) return;
          cardChange(ev.currentTarget, () => api(`/api/v1/me/cards/${card.id}`, { method: 'DELETE' }), t('wallet-card-deleted'));
        }, 'danger small')));
  }));
  labelCells($('wallet-card-rows'));
  labelCells($('my-card-rows'));
  $('card-register').disabled = view.my_cards.length >= config.max_cards;
}

$('card-register').addEventListener('click', async (ev) => {
  const status = $('card-register-status');
  setStatus(status, t('wallet-card-opening'));
  await busy(ev.currentTarget, async () => {
    try {
      const r = await api('/api/v1/wallet/card-registration', {
        method: 'POST', body: { return_url: `${window.location.origin}/wallet` },
      });
      window.location.assign(r.url);
      // The button stays pressed until the browser leaves.
      await new Promise((resolve) => { setTimeout(resolve, 10_000); });
    } catch (e) {
      cardFailed(status, e);
    }
  });
});

/**
 * The gateway's window came back: with `authKey` and `customerKey` the card is registered;
 * with `code` and `message` the window says why not. Either way the address loses them.
 */
async function cameBack() {
  const q = new URLSearchParams(window.location.search);
  const authKey = q.get('authKey');
  const customerKey = q.get('customerKey');
  const code = q.get('code');
  if (!authKey && !code) return;
  window.history.replaceState(null, '', '/wallet');
  if (authKey) {
    setStatus(cardStatus, t('wallet-card-registering'));
    try {
      await api('/api/v1/wallet/cards', { method: 'POST', body: { auth_key: authKey, customer_key: customerKey ?? '' } });
      setStatus(cardStatus, t('wallet-card-registered'), 'ok');
    } catch (e) {
      if (e instanceof ApiError && e.status === 422) setStatus(cardStatus, t('wallet-card-not-yours'), 'bad');
      else cardFailed(cardStatus, e);
    }
  } else {
    setStatus(cardStatus, t('wallet-card-window-failed', { message: q.get('message') || code }), 'bad');
  }
}

// --- Paid cash ---------------------------------------------------------------------------------

const chargeForm = $('charge-form');
const chargeStatus = $('charge-status');
const amountInput = $('charge-amount');
const cardSelect = $('charge-card');

/** The amount typed, when it is a whole number of won in range; else null. */
function chargeAmount() {
  const raw = amountInput.value.trim();
  if (!/^\d+$/.test(raw)) return null;
  const n = Number(raw);
  return n >= config.min_charge && n <= config.max_charge ? n : null;
}

function drawGross() {
  const n = chargeAmount();
  $('charge-gross').textContent = n === null ? t('wallet-charge-gross-none')
    : t('wallet-charge-gross', { amount: won(gross(n)) });
  $('charge-submit').textContent = n === null ? t('wallet-charge-submit') : t('wallet-charge-submit-amount', { amount: won(gross(n)) });
}

function drawChargeForm() {
  const chosen = cardSelect.value;
  const payment = view.cards.find((c) => c.slot === 'payment')?.card.id;
  const options = view.my_cards.map((c) => h('option', { value: c.id, translate: 'no' },
    c.id === payment ? t('wallet-charge-card-payment', { card: cardName(c) }) : cardName(c)));
  if (!options.length) options.push(h('option', { value: '' }, t('wallet-charge-no-card')));
  cardSelect.replaceChildren(...options);
  const keep = view.my_cards.some((c) => String(c.id) === chosen) ? chosen : String(payment ?? view.my_cards[0]?.id ?? '');
  cardSelect.value = keep;
  cardSelect.disabled = view.my_cards.length === 0;
  $('charge-submit').disabled = view.my_cards.length === 0;
  drawGross();
}

/** The attempt in flight or left undecided: the same amount and card retry with its key. */
let attempt = null;

amountInput.addEventListener('input', () => { drawGross(); attempt = null; });
cardSelect.addEventListener('change', () => { attempt = null; });

/**
 * After a charge left pending, reads the payments every few seconds until it is decided (the
 * server asks the gateway again within about a minute), then the wallet.
 */
function followPending(paymentId, tries = 30) {
  setTimeout(async () => {
    try {
      const { payments } = await api('/api/v1/wallet/payments');
      const p = payments.find((x) => x.id === paymentId);
      if (p && p.state !== 'pending') {
        attempt = null;
        if (p.state === 'done') setStatus(chargeStatus, t('wallet-charge-done', { amount: won(p.supply), gross: won(p.amount) }), 'ok');
        else setStatus(chargeStatus, t('wallet-charge-refused', { reason: refusal(p.refusal) }), 'bad');
        await changed();
        return;
      }
    } catch (e) {
      failed(chargeStatus, e);
      return;
    }
    if (tries > 1) followPending(paymentId, tries - 1);
    else setStatus(chargeStatus, t('wallet-charge-still-pending'));
  }, 5000);
}

chargeForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(chargeForm);
  const amount = chargeAmount();
  const cardId = Number(cardSelect.value);
  if (amount === null) {
    fieldError(chargeForm, 'amount', t('wallet-err-amount'))?.focus();
    setStatus(chargeStatus, t('wallet-refused'), 'bad');
    return;
  }
  if (!cardId) {
    fieldError(chargeForm, 'card_id', t('wallet-charge-no-card'))?.focus();
    return;
  }
  if (!attempt || attempt.amount !== amount || attempt.cardId !== cardId) attempt = { amount, cardId, key: newKey() };
  const { key } = attempt;
  setStatus(chargeStatus, t('wallet-charge-paying'));
  await busy([$('charge-submit'), cardSelect], async () => {
    try {
      const r = await api('/api/v1/wallet/cash', { method: 'POST', body: { card_id: cardId, amount, idempotency_key: key } });
      if (r.state === 'pending') {
        setStatus(chargeStatus, t('wallet-charge-pending'));
        followPending(r.payment.id);
        await changed();
        return;
      }
      attempt = null;
      amountInput.value = '';
      setStatus(chargeStatus, t('wallet-charge-done', { amount: won(r.payment.supply), gross: won(r.payment.amount) }), 'ok');
      await changed();
    } catch (e) {
      if (e instanceof ApiError && e.status === 402) {
        attempt = null;
        setStatus(chargeStatus, await refusedWhy(e, cardId), 'bad');
        await changed();
      } else if (e instanceof ApiError && (e.status === 0 || e.status >= 500)) {
        // Undecided: the same press again asks with the same key (no second charge).
        failed(chargeStatus, e);
      } else {
        attempt = null;
        if (!fieldErrors(chargeForm, chargeStatus, e)) cardFailed(chargeStatus, e);
      }
    }
  });
  drawGross();
});

/** A refusal with the card company's reason: the error's own, or the refused payment's. */
async function refusedWhy(e, cardId) {
  if (e.details?.refusal) return t('wallet-charge-refused', { reason: refusal(e.details.refusal) });
  try {
    const { payments } = await api('/api/v1/wallet/payments');
    const p = payments.find((x) => x.card_id === cardId && x.purpose === 'cash');
    if (p && p.state === 'refused') return t('wallet-charge-refused', { reason: refusal(p.refusal) });
  } catch {
    // The reason is a courtesy: the refusal itself is said below.
  }
  return e.message;
}

// --- Refund ------------------------------------------------------------------------------------

const refundForm = $('refund-form');
const refundStatus = $('refund-status');
const refundAmount = $('refund-amount');

refundForm.addEventListener('change', () => {
  const part = refundForm.querySelector('input[name="refund-kind"]:checked')?.value === 'amount';
  refundAmount.disabled = !part;
  if (part) refundAmount.max = String(view?.balances.paid ?? '');
});

refundForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(refundForm);
  const part = refundForm.querySelector('input[name="refund-kind"]:checked')?.value === 'amount';
  let amount = null;
  if (part) {
    const raw = refundAmount.value.trim();
    amount = /^\d+$/.test(raw) ? Number(raw) : 0;
    if (amount < 1) {
      fieldError(refundForm, 'amount', t('wallet-err-refund-amount'))?.focus();
      return;
    }
  }
  const shown = won(amount ?? view.balances.paid);
  if (!window.confirm(t('wallet-refund-confirm', { amount: shown }))) return;
  setStatus(refundStatus, t('wallet-working'));
  await busy($('refund-submit'), async () => {
    try {
      const body = { idempotency_key: newKey() };
      if (amount !== null) body.amount = amount;
      const r = await api('/api/v1/wallet/refund', { method: 'POST', body });
      setStatus(refundStatus, t('wallet-refund-done', { amount: won(r.refunded) }), 'ok');
      refundAmount.value = '';
      await changed();
    } catch (e) {
      if (!fieldErrors(refundForm, refundStatus, e)) failed(refundStatus, e);
    }
  });
});

// --- Start -------------------------------------------------------------------------------------

(async () => {
  await cameBack();
  await load();
})();

