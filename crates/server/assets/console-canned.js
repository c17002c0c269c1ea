// Canned replies in the console. In the reply box, `/` at the start or after a space opens a
// list of the replies matching what follows it (`/환불` looks for 환불), filled in for the open
// consultation (the customer's name, the agent's); ↑↓ choose, Enter or Tab put the reply in
// place of the `/word` typed, Escape closes. Ctrl+/ and the button beside the paperclip open the
// same list. The text is put in the box, never sent: the agent reads it and sends it. A variable
// the server could not fill stays in brackets, and the room's notice says so.
//
// The "canned replies" dialog (from the header) lists the agent's own replies and the shared
// ones, and adds, edits and deletes them: the agent's own always, the shared ones when a manager
// or the admin (the server refuses the others, and that is said too).

import { ApiError } from './lib/api.js';
import { $, clearFieldErrors, debounce, fieldError, h } from './lib/dom.js';
import { t } from './lib/i18n.js';

/** {api, me, seesAll, consultationId(), notice(text)} */
let ctx = null;

export function initCanned(context) {
  ctx = context;
}

// ---------------------------------------------------------------------------------------------
// The picker in the reply box

const reply = $('reply');
const popup = $('canned-popup');
const list = $('canned-list');
/** The replies listed, the one chosen (-1: none) and whether the list shows. */
let items = [];
let active = -1;
let open = false;
/** Answers to earlier searches are dropped when a later one was asked. */
let asked = 0;
/** Whether the list waits for an answer, and whether Enter or Tab was pressed meanwhile (the
 * best match goes in as soon as it comes). */
let loading = false;
let insertWhenFound = false;
/** The `/` the picker put in itself (Ctrl+/, the button): taken back when closed unused. */
let ownSlash = null;

/** The `/word` before the caret: where it starts and ends, and the word (null: none). */
function token() {
  const pos = reply.selectionStart;
  if (pos !== reply.selectionEnd) return null;
  const before = reply.value.slice(0, pos);
  const m = before.match(/(?:^|\s)\/([^\s/]*)$/);
  if (!m) return null;
  const after = reply.value.slice(pos).match(/^[^\s/]*/)[0];
  return { start: pos - m[1].length - 1, end: pos + after.length, query: m[1] + after };
}

export function closeCanned() {
  if (!open && popup.hidden) return;
  open = false;
  asked += 1;
  loading = false;
  insertWhenFound = false;
  items = [];
  active = -1;
  popup.hidden = true;
  list.replaceChildren();
  reply.removeAttribute('aria-activedescendant');
  $('canned-status').textContent = '';
}

function choose(i) {
  active = i;
  for (const [n, li] of [...list.children].entries()) li.setAttribute('aria-selected', n === i ? 'true' : 'false');
  const li = list.children[i];
  if (li) {
    reply.setAttribute('aria-activedescendant', li.id);
    li.scrollIntoView({ block: 'nearest' });
  } else {
    reply.removeAttribute('aria-activedescendant');
  }
}

function showEmpty(text) {
  const empty = $('canned-empty');
  empty.textContent = text;
  empty.hidden = !text;
}

function show(replies) {
  items = replies;
  list.replaceChildren(...replies.map((r, i) => h('li', {
    role: 'option',
    id: `canned-option-${r.id}`,
    class: 'canned-option',
    'aria-selected': 'false',
    // The box keeps the focus (and the caret) while one is picked with the mouse.
    onmousedown: (e) => e.preventDefault(),
    onclick: () => insert(i),
  },
  h('span', { class: 'canned-line' },
    h('span', { class: 'canned-shortcut' }, `/${r.shortcut}`), ' ',
    h('span', { class: 'canned-title' }, r.title), ' ',
    h('span', { class: `badge canned-scope ${r.scope}` },
      t(r.scope === 'shared' ? 'console-canned-shared' : 'console-canned-personal'))),
  h('span', { class: 'canned-preview' }, r.rendered?.text ?? r.body))));
  showEmpty(replies.length ? '' : t('console-canned-none'));
  choose(replies.length ? 0 : -1);
  $('canned-status').textContent = replies.length
    ? t('console-canned-found', { count: replies.length })
    : t('console-canned-none');
}

async function search() {
  const tk = token();
  if (!tk || reply.disabled) {
    closeCanned();
    return;
  }
  const n = ++asked;
  const query = new URLSearchParams({ q: tk.query });
  const cid = ctx.consultationId();
  if (cid) query.set('consultation_id', String(cid));
  try {
    const r = await ctx.api(`/canned-replies?${query}`);
    if (n !== asked || !open) return;
    loading = false;
    show(r.replies ?? []);
    if (insertWhenFound) {
      insertWhenFound = false;
      if (items.length) insert(0);
    }
  } catch (e) {
    if (n !== asked || !open) return;
    loading = false;
    insertWhenFound = false;
    show([]);
    showEmpty(t('console-canned-failed', { reason: e.message }));
  }
}
const searchSoon = debounce(search, 120);

/** Opens the list for the `/word` at the caret (it says it is looking until the answer). */
function openList() {
  if (!open) {
    open = true;
    popup.hidden = false;
    list.replaceChildren();
    items = [];
    choose(-1);
    showEmpty(t('console-canned-loading'));
  }
  loading = true;
  searchSoon();
}

/** Ctrl+/ and the button: a `/` at the caret (after a space when needed), and the list. */
function openPicker() {
  if (reply.disabled) return;
  reply.focus();
  if (!token()) {
    const start = reply.selectionStart;
    const before = reply.value.slice(0, start);
    const text = before && !/\s$/.test(before) ? ' /' : '/';
    reply.setRangeText(text, start, reply.selectionEnd, 'end');
    ownSlash = { start, text };
  }
  openList();
}

/** Puts reply `i` in place of the `/word`, and says what the agent must still fill in. */
function insert(i) {
  const r = items[i];
  const tk = token();
  if (!r || !tk) {
    closeCanned();
    return;
  }
  const text = r.rendered?.text ?? r.body;
  reply.setRangeText(text, tk.start, tk.end, 'end');
  ownSlash = null;
  closeCanned();
  reply.focus();
  const missing = r.rendered?.missing ?? [];
  if (missing.length) {
    const vars = missing.map((v) => `[${v}] (${t(`console-canned-var-${v}`)})`).join(', ');
    ctx.notice(t('console-canned-missing', { vars }));
  } else {
    ctx.notice(t('console-canned-inserted'));
  }
}

/** Closes the list; a `/` the picker put in itself and nothing typed after it goes too. */
function dismiss() {
  const tk = token();
  if (ownSlash && tk && tk.query === '' && reply.value.slice(ownSlash.start, tk.end) === ownSlash.text) {
    reply.setRangeText('', ownSlash.start, tk.end, 'end');
  }
  ownSlash = null;
  closeCanned();
}

reply.addEventListener('input', () => {
  if (token()) openList();
  else if (open) dismiss();
});
reply.addEventListener('blur', () => {
  if (open) dismiss();
});
reply.addEventListener('click', () => {
  if (open && !token()) dismiss();
});

// Before the console's own keys (Enter sends): caught on the way down, at the form.
$('reply-form').addEventListener('keydown', (e) => {
  if (e.target !== reply || e.isComposing) return;
  if (e.key === '/' && (e.ctrlKey || e.metaKey) && !e.altKey) {
    e.preventDefault();
    openPicker();
    return;
  }
  if (!open) return;
  const stop = () => {
    e.preventDefault();
    e.stopPropagation();
  };
  switch (e.key) {
    case 'ArrowDown':
    case 'ArrowUp': {
      stop();
      if (!items.length) return;
      const step = e.key === 'ArrowDown' ? 1 : -1;
      choose((active + step + items.length) % items.length);
      break;
    }
    case 'Enter':
    case 'Tab':
      if (e.shiftKey || e.ctrlKey || e.altKey || e.metaKey) return;
      if (loading) {
        // Still looking: the best match goes in when it comes (`/word` is not sent).
        stop();
        insertWhenFound = true;
      } else if (active >= 0 && items[active]) {
        stop();
        insert(active);
      } else {
        closeCanned();
      }
      break;
    case 'Escape':
      stop();
      dismiss();
      break;
    case 'ArrowLeft':
    case 'ArrowRight':
    case 'Home':
    case 'End':
      // The caret may leave the word: the list follows after it moved.
      setTimeout(() => {
        if (open && !token()) dismiss();
      });
      break;
    default:
      break;
  }
}, true);
popup.addEventListener('mousedown', (e) => e.preventDefault());
$('canned-open').addEventListener('click', openPicker);

// ---------------------------------------------------------------------------------------------
// The dialog that keeps them

const dialog = $('canned-dialog');
const form = $('canned-form');
/** The reply being edited (null: a new one). */
let editing = null;

function dialogStatus(text) {
  $('canned-dialog-status').textContent = text;
}

function hideForm() {
  form.hidden = true;
  editing = null;
  clearFieldErrors(form);
  $('canned-form-error').textContent = '';
}

function showForm(r = null) {
  editing = r;
  clearFieldErrors(form);
  $('canned-form-error').textContent = '';
  $('canned-form-title').textContent = t(r ? 'console-canned-edit-title' : 'console-canned-new-title');
  const scope = $('canned-scope');
  if (scope) {
    scope.value = r?.scope ?? 'personal';
    // A reply keeps its scope: a shared one stays shared.
    scope.disabled = Boolean(r);
  }
  $('canned-shortcut').value = r?.shortcut ?? '';
  $('canned-title').value = r?.title ?? '';
  $('canned-body').value = r?.body ?? '';
  form.hidden = false;
  (scope && !r ? scope : $('canned-shortcut')).focus();
}

const mayChange = (r) => r.scope === 'personal' || ctx.seesAll;

function managedItem(r) {
  const actions = h('div', { class: 'canned-item-actions' });
  const li = h('li', { class: 'canned-item', dataset: { id: r.id } },
    h('div', { class: 'canned-item-head' },
      h('span', { class: 'canned-shortcut' }, `/${r.shortcut}`), ' ',
      h('strong', { class: 'canned-title' }, r.title)),
    // A title taken from the body's first line is not shown twice.
    r.body === r.title ? null : h('p', { class: 'canned-item-body' }, r.body),
    actions);
  const buttons = () => [
    h('button', {
      type: 'button',
      class: 'secondary small canned-edit',
      'aria-label': t('console-canned-edit-label', { shortcut: r.shortcut }),
      onclick: () => showForm(r),
    }, t('console-canned-edit')),
    h('button', {
      type: 'button',
      class: 'secondary small danger',
      'aria-label': t('console-canned-delete-label', { shortcut: r.shortcut }),
      onclick: () => confirmDelete(),
    }, t('console-canned-delete')),
  ];
  // Deleting asks once more, in place.
  const confirmDelete = () => {
    const no = h('button', {
      type: 'button',
      class: 'secondary small',
      onclick: () => {
        actions.replaceChildren(...buttons());
        actions.querySelector('.danger').focus();
      },
    }, t('console-canned-delete-no'));
    actions.replaceChildren(
      h('span', { class: 'canned-confirm' }, t('console-canned-delete-confirm')), ' ',
      h('button', { type: 'button', class: 'small danger', onclick: () => remove(r) }, t('console-canned-delete-yes')),
      no);
    no.focus();
  };
  if (mayChange(r)) actions.append(...buttons());
  return li;
}

async function loadManaged() {
  const q = $('canned-q').value.trim();
  const n = ++loadManaged.asked;
  try {
    const r = await ctx.api(`/canned-replies${q ? `?q=${encodeURIComponent(q)}` : ''}`);
    if (n !== loadManaged.asked) return;
    const replies = r.replies ?? [];
    const byShortcut = (a, b) => a.shortcut.localeCompare(b.shortcut);
    const mine = replies.filter((x) => x.scope === 'personal').sort(byShortcut);
    const shared = replies.filter((x) => x.scope === 'shared').sort(byShortcut);
    $('canned-mine').replaceChildren(...mine.map(managedItem));
    $('canned-shared').replaceChildren(...shared.map(managedItem));
    for (const [el, some] of [[$('canned-mine'), mine], [$('canned-shared'), shared]]) {
      if (!some.length) el.append(h('li', { class: 'muted' }, t('console-canned-empty')));
    }
    // The API answers at most 50 at once: more may be found by a search.
    $('canned-more').hidden = replies.length < 50;
  } catch (e) {
    if (n !== loadManaged.asked) return true;
    dialogStatus(t('console-canned-failed', { reason: e.message }));
    return false;
  }
}
loadManaged.asked = 0;

/** Whether another reply of the same scope already has `shortcut` (the server refuses the
 * field either way: its form, or its being taken). */
async function shortcutTaken(scope, shortcut) {
  try {
    const word = shortcut.trim().replace(/^\//, '');
    const r = await ctx.api(`/canned-replies?q=${encodeURIComponent(word)}`);
    return (r.replies ?? []).some((x) => x.scope === scope && x.id !== editing?.id
      && x.shortcut.toLowerCase() === word.toLowerCase());
  } catch {
    return false;
  }
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  clearFieldErrors(form);
  $('canned-form-error').textContent = '';
  const texts = {
    shortcut: $('canned-shortcut').value,
    title: $('canned-title').value,
    body: $('canned-body').value,
  };
  const scope = editing?.scope ?? ($('canned-scope')?.value || 'personal');
  $('canned-save').disabled = true;
  try {
    const r = editing
      ? await ctx.api(`/canned-replies/${editing.id}`, { method: 'PUT', body: texts })
      : await ctx.api('/canned-replies', { method: 'POST', body: { scope, ...texts } });
    hideForm();
    // Said once the lists show it (or that they could not be read again).
    if (await loadManaged() !== false) dialogStatus(t('console-canned-saved', { shortcut: r.shortcut }));
    (dialog.querySelector(`.canned-item[data-id="${r.id}"] .canned-edit`) ?? $('canned-new')).focus();
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const field = err.details?.field;
    if (err.status === 422 && field === 'shortcut' && await shortcutTaken(scope, texts.shortcut)) {
      fieldError(form, 'shortcut', t('console-canned-err-shortcut-taken'))?.focus();
    } else if (err.status === 422 && ['shortcut', 'title', 'body'].includes(field)) {
      fieldError(form, field, t(`console-canned-err-${field}`))?.focus();
    } else {
      $('canned-form-error').textContent = t('console-canned-save-failed', { reason: err.message });
    }
  } finally {
    $('canned-save').disabled = false;
  }
});

async function remove(r) {
  try {
    await ctx.api(`/canned-replies/${r.id}`, { method: 'DELETE' });
    if (editing?.id === r.id) hideForm();
    dialogStatus(t('console-canned-deleted', { shortcut: r.shortcut }));
    await loadManaged();
    $('canned-new').focus();
  } catch (err) {
    dialogStatus(t('console-canned-save-failed', { reason: err.message }));
  }
}

$('canned-new').addEventListener('click', () => showForm(null));
$('canned-cancel').addEventListener('click', () => {
  hideForm();
  $('canned-new').focus();
});
$('canned-search-form').addEventListener('submit', (e) => {
  e.preventDefault();
  loadManaged();
});
$('canned-q').addEventListener('input', debounce(loadManaged, 200));

$('canned-manage').addEventListener('click', () => {
  hideForm();
  dialogStatus('');
  dialog.showModal();
  $('canned-q').focus();
  loadManaged();
});
dialog.addEventListener('close', () => $('canned-manage').focus());
