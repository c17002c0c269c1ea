// What agents keep about the customer on screen, in the console's customer panel: the grade
// (normal, VIP, blocked — blocking is confirmed first), the star, tags (the site's list offered,
// free ones typed; Enter or a comma adds) and the memo with its earlier versions. Each change
// goes to the API, which answers with the profile as it now is: the panel is drawn again from
// it and says what happened in its notice (which the next action replaces). The grade and the
// star also show as badges at the top of the panel and beside the consultation's title.

import { when } from './console-format.js';
import { $, h } from './lib/dom.js';
import { t } from './lib/i18n.js';

/** {api, profile(), setProfile(p), mayEditProfile(), redraw(), notice(text, {error})} */
let ctx = null;
/** The memo the textarea was last filled with, so a redraw keeps what the agent is typing. */
let memoShown = { profileId: null, body: '' };
/** The site's tag list (offered in the datalist), and when it was read. */
let siteTags = [];
let siteTagsAt = 0;

export function initNotes(context) {
  ctx = context;
  loadSiteTags();
}

async function loadSiteTags() {
  siteTagsAt = Date.now();
  try {
    const r = await ctx.api('/site/tags');
    siteTags = r.tags ?? [];
    $('site-tag-list').replaceChildren(...siteTags.map((tag) => h('option', { value: tag })));
  } catch {
    // Without the list the agent still types tags; the next focus tries again.
    siteTagsAt = 0;
  }
}

/** The badges of a profile's grade and star (for the panel's top and the room's title); short
 * ones (VIP, 차단, ★) for the list, where the name needs the room. */
export function gradeBadges(profile, { short = false } = {}) {
  if (!profile) return [];
  const out = [];
  const badge = (kind, long, brief) => h('span', { class: `badge ${kind}`, title: short ? t(long) : null },
    short ? brief : t(long));
  if (profile.grade === 'vip') out.push(badge('grade-vip', 'console-badge-vip', t('console-grade-vip')));
  if (profile.grade === 'blocked') out.push(badge('grade-blocked', 'console-badge-blocked', t('console-grade-blocked')));
  if (profile.flagged) {
    out.push(short
      ? badge('flagged', 'console-badge-flagged', [h('span', { 'aria-hidden': 'true' }, '★'),
        h('span', { class: 'visually-hidden' }, t('console-badge-flagged'))])
      : h('span', { class: 'badge flagged' }, h('span', { 'aria-hidden': 'true' }, '★ '), t('console-badge-flagged')));
  }
  return out;
}

function showBadges(el, profile) {
  const badges = gradeBadges(profile);
  el.replaceChildren(...badges);
  if (badges.length) el.setAttribute('aria-label', t('console-badges'));
  else el.removeAttribute('aria-label');
  el.setAttribute('role', badges.length ? 'group' : 'none');
}

/** Draws the grade, star, tags and memo of the profile shown. */
export function renderNotes() {
  const profile = ctx.profile();
  if (!profile) return;
  const edit = ctx.mayEditProfile();
  showBadges($('customer-badges'), profile);
  showBadges($('room-badges'), profile);

  // Grade and star.
  for (const input of document.querySelectorAll('input[name="grade"]')) {
    input.checked = input.value === profile.grade;
    input.disabled = !edit;
  }
  const flag = $('flag');
  flag.setAttribute('aria-pressed', profile.flagged ? 'true' : 'false');
  $('flag-star').textContent = profile.flagged ? '★' : '☆';
  flag.disabled = !edit;

  // Tags, each with its remove button.
  const tags = profile.tags ?? [];
  $('tags').replaceChildren(...tags.map((tag) => h('li', { class: 'tag' },
    h('span', { class: 'tag-name' }, `#${tag}`),
    edit ? h('button', {
      type: 'button',
      class: 'tag-remove',
      'aria-label': t('console-tag-remove', { tag }),
      title: t('console-tag-remove', { tag }),
      onclick: () => removeTag(tag),
    }, '×') : null)));
  if (!tags.length) $('tags').append(h('li', { class: 'muted' }, t('console-no-tags')));
  $('tag-form').hidden = !edit;

  // The memo: the textarea keeps a draft the agent is typing (a redraw comes with every event
  // of the room); it takes the saved memo when it shows another customer or holds no change.
  const memo = profile.memo;
  const body = memo?.body ?? '';
  const textarea = $('memo');
  if (memoShown.profileId !== profile.profile_id || textarea.value === memoShown.body) textarea.value = body;
  memoShown = { profileId: profile.profile_id, body };
  textarea.readOnly = !edit;
  $('memo-save').hidden = !edit;
  $('memo-meta').textContent = memo
    ? `${memo.body ? '' : `${t('console-memo-deleted')} · `}${t('console-memo-by', { name: memo.agent_name, time: when(memo.created_at) })}`
    : t('console-memo-none');
  const history = profile.memo_history ?? [];
  $('memo-history-summary').textContent = t('console-memo-history-count', { count: history.length });
  $('memo-history').replaceChildren(...history.map((m) => h('li', {},
    h('span', { class: 'memo-who' }, m.agent_name, ' · ',
      h('time', { datetime: new Date(m.created_at).toISOString() }, when(m.created_at))),
    m.body
      ? h('span', { class: 'memo-body' }, m.body)
      : h('span', { class: 'memo-body muted' }, t('console-memo-deleted')))));
  if (!history.length) $('memo-history').append(h('li', { class: 'muted' }, t('console-memo-history-none')));
}

/** Sends a change of the profile; its answer (the profile) is drawn, and `done(profile)` says
 * what happened. Whether it was saved. */
async function change(path, method, body, done, { saved = () => {} } = {}) {
  const profile = ctx.profile();
  if (!profile) return false;
  try {
    const p = await ctx.api(`/profiles/${profile.profile_id}${path}`, { method, body });
    // The answer is for the customer still shown (another may have been opened meanwhile).
    if (ctx.profile()?.profile_id !== p.profile_id) return true;
    saved(p);
    ctx.setProfile(p);
    ctx.redraw();
    ctx.notice(done(p));
    return true;
  } catch (e) {
    const field = e.details?.field;
    const reason = e.status === 422 && (field === 'body' || field === 'tags')
      ? t(`console-notes-err-${field}`)
      : e.message;
    ctx.notice(t('console-notes-failed', { reason }), { error: true });
    renderNotes();
    return false;
  }
}

// The grade: choosing "blocked" is confirmed in a dialog first (Cancel has the focus).
function setGrade(grade) {
  change('/marks', 'PATCH', { grade }, (p) => t(`console-grade-now-${p.grade}`));
}
for (const input of document.querySelectorAll('input[name="grade"]')) {
  input.addEventListener('change', () => {
    if (!input.checked) return;
    if (input.value === 'blocked') {
      $('block-dialog').returnValue = '';
      $('block-dialog').showModal();
    } else {
      setGrade(input.value);
    }
  });
}
$('block-dialog').addEventListener('close', () => {
  if ($('block-dialog').returnValue === 'block') {
    setGrade('blocked');
  } else {
    // Not blocked: the grade shown goes back to what it is.
    renderNotes();
    document.querySelector('input[name="grade"]:checked')?.focus();
  }
});

$('flag').addEventListener('click', () => {
  const on = $('flag').getAttribute('aria-pressed') !== 'true';
  change('/marks', 'PATCH', { flagged: on }, () => t(on ? 'console-flag-on' : 'console-flag-off'));
});

// Tags: the whole list is sent each time (the API replaces it).
function cleanTag(text) {
  // A tag is shown as #tag; one typed with its # is meant without it.
  return text.trim().replace(/^#+/, '').trim();
}

/** Whether tags are being saved (a comma and Enter in a row add once). */
let adding = false;

async function addTags(texts) {
  const profile = ctx.profile();
  if (!profile || adding) return;
  const tags = [...(profile.tags ?? [])];
  const added = [];
  for (const text of texts) {
    const tag = cleanTag(text);
    if (!tag) continue;
    if (tags.some((x) => x.toLowerCase() === tag.toLowerCase())) {
      ctx.notice(t('console-tag-duplicate', { tag }));
      continue;
    }
    tags.push(tag);
    added.push(tag);
  }
  if (!added.length) return;
  adding = true;
  try {
    const saved = await change('/tags', 'PUT', { tags }, () => t('console-tag-added', { tag: added.join(', #') }));
    // What was added leaves the field (what was typed after a comma stays).
    if (saved && added.includes(cleanTag($('tag-input').value.split(',')[0]))) $('tag-input').value = '';
  } finally {
    adding = false;
  }
  $('tag-input').focus();
}

function removeTag(tag) {
  const tags = (ctx.profile()?.tags ?? []).filter((x) => x !== tag);
  change('/tags', 'PUT', { tags }, () => t('console-tag-removed', { tag })).then(() => $('tag-input').focus());
}

$('tag-form').addEventListener('submit', (e) => {
  e.preventDefault();
  addTags($('tag-input').value.split(','));
});
$('tag-input').addEventListener('input', (e) => {
  const input = $('tag-input');
  // A comma ends a tag; so does picking one of the site's tags from the list.
  if (input.value.includes(',')) {
    const parts = input.value.split(',');
    input.value = parts.pop();
    addTags(parts);
  } else if ((!(e instanceof InputEvent) || e.inputType === 'insertReplacementText')
    && siteTags.includes(input.value)) {
    addTags([input.value]);
  }
});
$('tag-input').addEventListener('focus', () => {
  if (Date.now() - siteTagsAt > 60_000) loadSiteTags();
});

// The memo: saved as a new version (an empty one clears it).
$('memo-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const body = $('memo').value.trim();
  if (body === (ctx.profile()?.memo?.body ?? '')) {
    ctx.notice(t('console-memo-unchanged'));
    return;
  }
  $('memo-save').disabled = true;
  try {
    await change('/memo', 'PUT', { body }, (p) => t(p.memo?.body ? 'console-memo-saved' : 'console-memo-cleared'), {
      // What was saved is no draft: the textarea takes the memo as the server keeps it.
      saved: () => { memoShown.body = $('memo').value; },
    });
  } finally {
    $('memo-save').disabled = false;
  }
});
$('memo').addEventListener('keydown', (e) => {
  // Ctrl+Enter saves, as in many memo fields; Enter alone starts a new line.
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.isComposing) {
    e.preventDefault();
    $('memo-form').requestSubmit();
  }
});
