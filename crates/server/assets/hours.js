// Business hours, auto-close and automatic messages page: reads the site's hours
// (GET /api/v1/site/hours), auto-close rules (GET /api/v1/site/auto-close) and messages
// (GET /api/v1/site/auto-messages), draws their editors, saves them (PUT), imports holidays
// from an .ics file (POST /api/v1/site/hours/import) and shows what the import did.
// A refusal names its field (`saturday.ranges[1]`, `auto_messages.greeting.text`): it is shown
// beside that field, in the page's words for its problem when the page has them.

import { api, ApiError } from './lib/api.js';
import { $, clearFieldErrors, fieldError, h, setStatus } from './lib/dom.js';
import { has, t } from './lib/i18n.js';

const DAYS = ['weekdays', 'saturday', 'sunday'];
// The messages Sangdam sends today; the API keeps the other kinds for what sends them later.
const SENT = ['greeting', 'off_hours', 'busy', 'unavailable', 'queue_position', 'desk_closing', 'closed',
  'auto_close_warning', 'auto_closed', 'over_capacity', 'blocked'];

const form = $('hours-form');
const status = $('hours-status');

/** The holidays as edited: `{date, name, schedule}` in date order. */
let holidays = [];

/** The sentence of a refusal: the page's words for its problem, else the server's. */
function refusal(e, entry) {
  const problem = entry?.problem;
  if (problem && has(`hours-err-${problem}`)) {
    return t(`hours-err-${problem}`, { values: (entry.values ?? []).map((v) => `[${v}]`).join(', ') });
  }
  return entry?.message || e.message;
}

function failedStatus(el, e) {
  if (e.status === 401) setStatus(el, t('hours-status-login-again'), 'bad');
  else if (e.status === 403) setStatus(el, t('hours-status-not-allowed'), 'bad');
  else setStatus(el, t('hours-status-failed', { reason: e.message }), 'bad');
}

// --- Day schedules ------------------------------------------------------------------------------

function rangeRow(fieldset, range = { from: '09:00', to: '18:00' }) {
  const list = fieldset.querySelector('.ranges');
  const n = list.children.length + 1;
  const legend = fieldset.querySelector('legend').textContent;
  const li = h('li', { class: 'range' },
    h('label', {}, t('hours-range-from'), ' ',
      h('input', { type: 'time', value: range.from, 'data-end': 'from', 'aria-label': t('hours-range-from-label', { day: legend, n }) })),
    ' – ',
    h('label', {}, t('hours-range-to'), ' ',
      h('input', { type: 'time', value: range.to === '24:00' ? '00:00' : range.to, 'data-end': 'to', 'aria-label': t('hours-range-to-label', { day: legend, n }) })),
    ' ',
    h('button', {
      type: 'button', class: 'secondary small', 'aria-label': t('hours-range-remove-label', { day: legend, n }),
      onclick: () => { li.remove(); },
    }, t('hours-range-remove')));
  list.append(li);
  return li;
}

function showKind(fieldset) {
  const kind = fieldset.querySelector('input[type=radio]:checked')?.value ?? 'off';
  const ranges = kind === 'ranges';
  fieldset.querySelector('.ranges').hidden = !ranges;
  fieldset.querySelector('[data-add-range]').hidden = !ranges;
  if (ranges && fieldset.querySelector('.ranges').children.length === 0) rangeRow(fieldset);
}

function drawDay(key, schedule) {
  const fieldset = $(`day-${key}`);
  fieldset.querySelector('.ranges').replaceChildren();
  for (const r of schedule.ranges ?? []) rangeRow(fieldset, r);
  const radio = fieldset.querySelector(`input[value="${schedule.kind}"]`);
  if (radio) radio.checked = true;
  showKind(fieldset);
}

/** A schedule as the form holds it; `to` 00:00 is the end of the day (or past midnight). */
function readSchedule(fieldset) {
  const kind = fieldset.querySelector('input[type=radio]:checked')?.value ?? 'off';
  if (kind !== 'ranges') return { kind };
  const ranges = [...fieldset.querySelectorAll('.range')].map((li) => ({
    from: li.querySelector('[data-end=from]').value,
    to: li.querySelector('[data-end=to]').value,
  }));
  return { kind, ranges };
}

for (const key of DAYS) {
  const fieldset = $(`day-${key}`);
  fieldset.querySelectorAll('input[type=radio]').forEach((r) => r.addEventListener('change', () => showKind(fieldset)));
  fieldset.querySelector('[data-add-range]').addEventListener('click', () => {
    rangeRow(fieldset).querySelector('input')?.focus();
  });
}

// --- Holidays ----------------------------------------------------------------------------------

function drawHolidays() {
  const list = $('holiday-list');
  if (holidays.length === 0) {
    list.replaceChildren(h('li', { class: 'muted' }, t('hours-holidays-empty')));
    return;
  }
  list.replaceChildren(...holidays.map((holiday, i) => {
    const label = holiday.name ? `${holiday.date} ${holiday.name}` : holiday.date;
    const changed = holiday.schedule?.kind === 'ranges';
    const ranges = h('span', { class: 'holiday-ranges' });
    const from = h('input', { type: 'time', value: holiday.schedule?.ranges?.[0]?.from ?? '10:00', 'aria-label': t('hours-range-from-label', { day: label, n: 1 }) });
    const to = h('input', { type: 'time', value: holiday.schedule?.ranges?.[0]?.to ?? '15:00', 'aria-label': t('hours-range-to-label', { day: label, n: 1 }) });
    const sync = () => {
      holiday.schedule = select.value === 'ranges'
        ? { kind: 'ranges', ranges: [{ from: from.value, to: to.value }] }
        : { kind: 'off' };
      ranges.hidden = select.value !== 'ranges';
    };
    const select = h('select', { 'aria-label': t('hours-holiday-kind-label', { day: label }), onchange: sync },
      h('option', { value: 'off', selected: !changed }, t('hours-holiday-whole-day')),
      h('option', { value: 'ranges', selected: changed }, t('hours-holiday-changed')));
    from.addEventListener('change', sync);
    to.addEventListener('change', sync);
    ranges.append(from, ' – ', to);
    ranges.hidden = !changed;
    return h('li', { class: 'holiday', dataset: { date: holiday.date } },
      h('span', { class: 'holiday-label' }, label), ' ', select, ' ', ranges, ' ',
      h('button', {
        type: 'button', class: 'secondary small', 'aria-label': t('hours-holiday-remove-label', { day: label }),
        onclick: () => { holidays.splice(i, 1); drawHolidays(); },
      }, t('hours-holiday-remove')),
      h('span', { class: 'field-error', 'data-error-for': `holidays[${i}]` }));
  }));
}

$('holiday-add').addEventListener('click', () => {
  const date = $('holiday-date').value;
  const name = $('holiday-name').value.trim();
  const slot = form.querySelector('[data-error-for="holidays"]');
  slot.textContent = '';
  if (!date) {
    slot.textContent = t('hours-holiday-no-date');
    $('holiday-date').focus();
    return;
  }
  if (holidays.some((x) => x.date === date)) {
    slot.textContent = t('hours-err-duplicate_holiday');
    return;
  }
  holidays.push({ date, name: name || null, schedule: { kind: 'off' } });
  holidays.sort((a, b) => a.date.localeCompare(b.date));
  $('holiday-date').value = '';
  $('holiday-name').value = '';
  drawHolidays();
});

// --- The whole calendar ------------------------------------------------------------------------

function drawHours(view) {
  const hours = view.hours;
  $('time-zone').value = hours.time_zone;
  for (const key of DAYS) drawDay(key, hours[key]);
  holidays = hours.holidays.map((x) => ({ ...x }));
  drawHolidays();
  $('queue-off-hours').checked = hours.accept_off_hours_into_queue;
  $('hours-note').textContent = view.saved ? '' : t('hours-status-never-saved');
}

/** The form's field for a refused path: a day, a holiday, the zone (their first segment). */
function fieldOf(path) {
  const head = path.split('.')[0];
  if (DAYS.includes(head) || head === 'time_zone') return head;
  if (head.startsWith('holidays[') && form.querySelector(`[data-error-for="${CSS.escape(head)}"]`)) return head;
  return 'holidays';
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(form);
  const body = {
    time_zone: $('time-zone').value.trim(),
    weekdays: readSchedule($('day-weekdays')),
    saturday: readSchedule($('day-saturday')),
    sunday: readSchedule($('day-sunday')),
    holidays: holidays.map((x) => ({ date: x.date, name: x.name || null, schedule: x.schedule ?? { kind: 'off' } })),
    accept_off_hours_into_queue: $('queue-off-hours').checked,
  };
  setStatus(status, t('hours-status-saving'));
  try {
    const view = await api('/api/v1/site/hours', { method: 'PUT', body });
    drawHours(view);
    setStatus(status, t('hours-status-saved'), 'ok');
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    const errors = e.details?.errors ?? [];
    if (e.status === 422 && errors.length) {
      for (const entry of errors) fieldError(form, fieldOf(entry.field ?? ''), refusal(e, entry));
      setStatus(status, t('hours-status-refused'), 'bad');
    } else {
      failedStatus(status, e);
    }
  }
});

// --- Import ------------------------------------------------------------------------------------

function drawReport(report) {
  const box = $('import-report');
  const parts = [h('p', {}, t('hours-import-added', { count: report.added.length }))];
  if (report.added.length) {
    parts.push(h('ul', { class: 'import-added' },
      report.added.map((x) => h('li', {}, x.name ? `${x.date} ${x.name}` : x.date))));
  }
  if (report.already_registered.length) {
    parts.push(h('p', {}, t('hours-import-kept', { dates: report.already_registered.join(', ') })));
  }
  if (report.skipped.length) {
    parts.push(h('h3', {}, t('hours-import-skipped-title')));
    parts.push(h('ul', { class: 'import-skipped' }, report.skipped.map((s) => h('li', {},
      `${s.summary ?? '—'}${s.start ? ` (${s.start})` : ''}: `,
      has(`hours-import-skip-${s.reason}`) ? t(`hours-import-skip-${s.reason}`) : s.message))));
  }
  box.replaceChildren(...parts);
  box.hidden = false;
}

$('import-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const el = $('import-status');
  const file = $('ics-file').files?.[0];
  $('import-report').hidden = true;
  if (!file) {
    setStatus(el, t('hours-import-no-file'), 'bad');
    return;
  }
  setStatus(el, t('hours-status-saving'));
  try {
    const report = await api('/api/v1/site/hours/import', { method: 'POST', body: { ics: await file.text() } });
    drawReport(report);
    drawHours(report.hours);
    setStatus(el, t('hours-status-imported'), 'ok');
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (e.status === 422 || e.status === 413) setStatus(el, e.message, 'bad');
    else failedStatus(el, e);
  }
});

// --- Auto-close --------------------------------------------------------------------------------

const closeForm = $('auto-close-form');
// Each rule's field in the API.
const CLOSE_FIELDS = { customer: 'customer_idle_minutes', agent: 'agent_idle_minutes', warning: 'warning_minutes' };
// What a rule switched on starts from.
const CLOSE_DEFAULTS = { customer: 30, agent: 15, warning: 5 };

function showRule(rule) {
  const on = $(`close-${rule}-on`).checked;
  const minutes = $(`close-${rule}-minutes`);
  minutes.disabled = !on;
  if (on && !minutes.value) minutes.value = CLOSE_DEFAULTS[rule];
}

function drawAutoClose(view) {
  for (const [rule, field] of Object.entries(CLOSE_FIELDS)) {
    const value = view[field];
    $(`close-${rule}-on`).checked = value !== null && value !== undefined;
    $(`close-${rule}-minutes`).value = value ?? '';
    showRule(rule);
  }
  $('auto-close-note').textContent = view.saved ? '' : t('hours-close-never-saved');
}

for (const rule of Object.keys(CLOSE_FIELDS)) {
  $(`close-${rule}-on`).addEventListener('change', () => showRule(rule));
}

closeForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(closeForm);
  const el = $('auto-close-status');
  const body = {};
  for (const [rule, field] of Object.entries(CLOSE_FIELDS)) {
    const on = $(`close-${rule}-on`).checked;
    const n = Number.parseInt($(`close-${rule}-minutes`).value, 10);
    if (on && !(n >= 1)) {
      fieldError(closeForm, rule, t('hours-close-minutes-required'));
      setStatus(el, t('hours-status-refused'), 'bad');
      return;
    }
    body[field] = on ? n : null;
  }
  setStatus(el, t('hours-status-saving'));
  try {
    drawAutoClose(await api('/api/v1/site/auto-close', { method: 'PUT', body }));
    setStatus(el, t('hours-status-saved'), 'ok');
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    const field = e.details?.field ?? e.details?.errors?.[0]?.field;
    const rule = Object.keys(CLOSE_FIELDS).find((r) => CLOSE_FIELDS[r] === field);
    if (e.status === 422 && rule) {
      const words = rule === 'warning'
        ? t('hours-close-err-warning')
        : t('hours-close-err-range', { max: $(`close-${rule}-minutes`).max });
      fieldError(closeForm, rule, words)?.focus();
      setStatus(el, t('hours-status-refused'), 'bad');
    } else {
      failedStatus(el, e);
    }
  }
});

// --- Automatic messages ------------------------------------------------------------------------

const messagesForm = $('messages-form');

function drawMessages(view) {
  const list = $('message-list');
  list.replaceChildren(...view.messages.filter((m) => SENT.includes(m.kind)).map((m) => {
    const field = `auto_messages.${m.kind}.text`;
    const id = `message-${m.kind}`;
    return h('fieldset', { class: 'auto-message', dataset: { kind: m.kind } },
      h('legend', {}, t(`hours-msg-${m.kind}`)),
      h('p', { class: 'hint' }, t(`hours-msg-${m.kind}-help`)),
      h('div', { class: 'switch-row' },
        h('input', { type: 'checkbox', role: 'switch', id: `${id}-on`, checked: m.enabled }),
        h('label', { for: `${id}-on` }, t('hours-msg-enabled'))),
      h('label', { for: id }, t('hours-msg-text')),
      h('textarea', {
        id, rows: 3, maxlength: view.max_chars, 'data-field': field,
        'aria-describedby': `${id}-vars ${id}-error`,
      }, m.text),
      h('p', { id: `${id}-vars`, class: 'hint' }, t('hours-msg-variables', {
        vars: m.variables.map((v) => `[${v}]`).join(' '),
      })),
      h('span', { id: `${id}-error`, class: 'field-error', 'data-error-for': field }));
  }));
}

messagesForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(messagesForm);
  const el = $('messages-status');
  const body = {};
  for (const fieldset of messagesForm.querySelectorAll('.auto-message')) {
    const kind = fieldset.dataset.kind;
    body[kind] = {
      enabled: fieldset.querySelector('input[type=checkbox]').checked,
      text: fieldset.querySelector('textarea').value,
    };
  }
  setStatus(el, t('hours-status-saving'));
  try {
    drawMessages(await api('/api/v1/site/auto-messages', { method: 'PUT', body }));
    setStatus(el, t('hours-status-saved'), 'ok');
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    const errors = e.details?.errors ?? [];
    if (e.status === 422 && errors.length) {
      let first = null;
      for (const entry of errors) {
        const input = fieldError(messagesForm, entry.field, refusal(e, entry));
        first ??= input;
      }
      first?.focus();
      setStatus(el, t('hours-status-refused'), 'bad');
    } else {
      failedStatus(el, e);
    }
  }
});

// --- Start -------------------------------------------------------------------------------------

async function load() {
  try {
    const [hours, autoClose, messages] = await Promise.all([
      api('/api/v1/site/hours'),
      api('/api/v1/site/auto-close'),
      api('/api/v1/site/auto-messages'),
    ]);
    drawHours(hours);
    drawAutoClose(autoClose);
    drawMessages(messages);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    failedStatus(status, e);
  }
}

load();
