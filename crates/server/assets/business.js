// The site's business verification page (the site's admin): reads where the business stands
// (GET /api/v1/site/business): verified or not, the latest submission's state and, when it was
// rejected, the operator's reason, and every submission with its documents
// (GET /api/v1/site/business/{id}/documents/{document_id}, in a new tab). Submits the business
// as a multipart form (POST /api/v1/site/business: the fields and 1 to 5 parts `document`),
// showing each refused field beside it. While a submission waits for the operator, the form is
// disabled and says why.

import { api, ApiError } from './lib/api.js';
import { $, clearFieldErrors, fieldError, h, setStatus } from './lib/dom.js';
import { humanSize } from './lib/files.js';
import { has, lang, t } from './lib/i18n.js';

const locale = lang === 'ko' ? 'ko-KR' : 'en-US';
const times = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });

const form = $('business-form');
const fields = $('business-fields');
const submitButton = $('business-submit');
const status = $('business-status');
const submitStatus = $('submit-status');
const blocked = $('submit-blocked');
const documents = $('documents');
const maxBytes = Number(form.dataset.maxBytes);
const maxDocuments = Number(form.dataset.maxDocuments);

function why(e) {
  return e instanceof ApiError ? e.message : String(e?.message ?? e);
}

function failed(el, key, e) {
  if (e instanceof ApiError && e.status === 401) setStatus(el, t('business-login-again'), 'bad');
  else setStatus(el, t(key, { reason: why(e) }), 'bad');
}

function time(ms) {
  const at = new Date(ms);
  return h('time', { datetime: at.toISOString() }, times.format(at));
}

const stateName = (state) => (has(`business-state-${state}`) ? t(`business-state-${state}`) : state);

/** Shows `el` with `text`, or hides it when there is none. */
function line(el, text) {
  el.textContent = text ?? '';
  el.hidden = !text;
}

function documentLinks(v) {
  return h('ul', { class: 'documents' }, v.documents.map((d) => h('li', {},
    h('a', {
      href: `/api/v1/site/business/${v.verification.id}/documents/${d.id}`,
      target: '_blank',
      rel: 'noopener',
    },
    t('business-document', { name: d.name, size: humanSize(d.size) }),
    h('span', { class: 'visually-hidden' }, ` ${t('business-new-tab')}`)))));
}

function historyRow(v) {
  const r = v.verification;
  const review = r.reviewed_at
    ? [t('business-reviewed', { when: times.format(new Date(r.reviewed_at)) }),
      ...(r.reason ? [h('br'), h('span', { class: 'reason' }, r.reason)] : [])]
    : [h('span', { class: 'muted' }, t('business-not-reviewed'))];
  return h('tr', { dataset: { verification: r.id, state: r.state } },
    h('th', { scope: 'row' }, time(r.submitted_at)),
    h('td', { translate: 'no' }, v.business_number),
    h('td', {}, r.business_name),
    h('td', {}, r.representative),
    h('td', {}, stateName(r.state)),
    h('td', {}, ...review),
    h('td', {}, documentLinks(v)));
}

/** Draws where the business stands (`b`: the API's BusinessStatus). */
function draw(b) {
  const submissions = b.submissions ?? [];
  const latest = submissions[0]?.verification;
  const verified = $('verified-line');
  line(verified, t(b.verified ? 'business-verified' : 'business-not-verified'));
  verified.dataset.verified = String(b.verified);
  verified.classList.toggle('ok', b.verified);
  verified.classList.toggle('bad', !b.verified);
  line($('latest-line'), latest
    ? t('business-latest', { state: stateName(latest.state), when: times.format(new Date(latest.submitted_at)) })
    : t('business-latest-none'));
  const refused = latest?.state === 'rejected' || latest?.state === 'revoked';
  line($('reason-line'), refused && latest.reason
    ? t(`business-${latest.state}-reason`, { reason: latest.reason }) : null);
  let next = null;
  if (latest?.state === 'pending') next = t('business-pending-note');
  else if (refused) next = t(`business-${latest.state}-note`);
  line($('next-line'), next);
  setStatus(status, '');

  fields.disabled = b.pending;
  blocked.hidden = !b.pending;
  if (b.pending) fields.setAttribute('aria-describedby', 'submit-blocked');
  else fields.removeAttribute('aria-describedby');

  $('history-rows').replaceChildren(...(submissions.length ? submissions.map(historyRow)
    : [h('tr', { class: 'empty' }, h('td', { colspan: 7, class: 'muted' }, t('business-history-empty')))]));
}

async function load() {
  try {
    draw(await api('/api/v1/site/business'));
  } catch (e) {
    failed(status, 'business-failed', e);
  }
}

// --- The submission -----------------------------------------------------------------------------

/** Sends the multipart form `data`; resolves to the answer's JSON, throws an ApiError as
 * lib/api.js does (the page's words for the code when it has them). */
async function post(path, data) {
  let res;
  try {
    res = await fetch(path, {
      method: 'POST', credentials: 'same-origin', headers: { accept: 'application/json' }, body: data,
    });
  } catch (e) {
    throw new ApiError(0, 'network', String(e?.message ?? e));
  }
  let answer = null;
  try {
    answer = await res.json();
  } catch {
    answer = null;
  }
  if (!res.ok) {
    const error = answer?.error ?? {};
    throw new ApiError(res.status, error.code ?? 'http', error.message || res.statusText || `HTTP ${res.status}`,
      error.details ?? null);
  }
  return answer;
}

/** Where a refused field is shown: a document's refusal (`documents[2]`) beside the file field. */
const slotOf = (field) => (/^documents(\[\d+\])?$/.test(field) ? 'documents' : field);

/** A refused field (its message is written for developers) in the page's words; `files` are
 * the documents sent, to name the one refused. */
function refusal(field, message, files) {
  const m = String(message ?? '');
  let x;
  const input = form.querySelector(`[data-field="${CSS.escape(field)}"]`);
  if (input && input.type !== 'file' && !input.value.trim()) return t('business-err-required');
  if (field === 'business_number') {
    return t(/does not check/.test(m) ? 'business-err-number-check' : 'business-err-number-format');
  }
  if (field === 'documents') {
    if (/attach/.test(m)) return t('business-err-documents-none');
    if (/documents$/.test(m)) return t('business-err-documents-many');
  }
  if ((x = /^documents\[(\d+)\]$/.exec(field))) {
    const name = files[Number(x[1])]?.name ?? m.split(': ')[0];
    if (/PDF, JPEG or PNG/.test(m)) return t('business-err-document-type', { name });
    if (/is empty/.test(m)) return t('business-err-document-empty', { name });
    if (/bytes/.test(m)) return t('business-err-document-large', { name });
  }
  if (/required$/.test(m)) return t('business-err-required');
  if ((x = m.match(/at most (\d+) characters/))) return t('business-err-too-long', { max: x[1] });
  if (/control character/.test(m)) return t('business-err-control');
  return t('business-err-other', { reason: m });
}

/** Shows refusals (`[[field, text]]`) beside their fields, several of one field together; the
 * rest in the status line. True when there were any. */
function showRefusals(refusals) {
  if (!refusals.length) return false;
  const bySlot = new Map();
  for (const [field, text] of refusals) {
    const slot = slotOf(field);
    bySlot.set(slot, [...(bySlot.get(slot) ?? []), text]);
  }
  const elsewhere = [];
  const shown = [...bySlot].map(([slot, texts]) => {
    const at = fieldError(form, slot, texts.join(' '));
    if (!at) elsewhere.push(...texts);
    return at;
  });
  // The first refused field in the form's order.
  const order = ['business_number', 'business_name', 'representative', 'documents'];
  const first = order.map((f) => form.querySelector(`[data-field="${f}"][aria-invalid="true"]`)).find(Boolean);
  (first ?? shown.find(Boolean))?.focus();
  setStatus(submitStatus, [t('business-refused'), ...elsewhere].join(' '), 'bad');
  return true;
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (fields.disabled) return;
  clearFieldErrors(form);
  const files = [...documents.files];
  // What the server would refuse after the whole upload, said before it.
  const early = [];
  if (files.length > maxDocuments) early.push(['documents', t('business-err-documents-many')]);
  files.forEach((f, i) => {
    if (f.size > maxBytes) early.push([`documents[${i}]`, t('business-err-document-large', { name: f.name })]);
  });
  if (showRefusals(early)) return;

  const data = new FormData();
  data.append('business_number', $('business-number').value.trim());
  data.append('business_name', $('business-name').value.trim());
  data.append('representative', $('representative').value.trim());
  for (const f of files) data.append('document', f, f.name);
  setStatus(submitStatus, t('business-submitting'));
  submitButton.disabled = true;
  submitButton.setAttribute('aria-busy', 'true');
  try {
    await post('/api/v1/site/business', data);
    form.reset();
    await load();
    setStatus(submitStatus, t('business-submitted'), 'ok');
    $('state-title').focus();
  } catch (e) {
    if (e instanceof ApiError && e.status === 422) {
      const list = Array.isArray(e.details?.errors) ? e.details.errors
        : [{ field: e.details?.field ?? 'form', message: e.message }];
      showRefusals(list.map((f) => [f.field, refusal(f.field, f.message, files)]));
    } else if (e instanceof ApiError && e.status === 409) {
      setStatus(submitStatus, t('business-conflict'), 'bad');
      await load();
    } else if (e instanceof ApiError && e.status === 413) {
      showRefusals([['documents', t('business-err-too-large')]]);
    } else {
      failed(submitStatus, 'business-submit-failed', e);
    }
  } finally {
    submitButton.disabled = false;
    submitButton.removeAttribute('aria-busy');
  }
});

await load();
