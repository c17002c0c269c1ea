// The console's customer panel: the room's customer (ID and its mark, name, phone edited in
// place, mobile, e-mail), the extra information of the consultation and the profile, the
// inflows' warnings, the history across channels (one consultation in a dialog), and correcting
// the room's ID (preview, confirm, the journal with undo); what agents keep about the customer
// (grade, star, tags, memo) is console-notes.js's. The console owns the open room and hands it
// over through the context given to `initPanel`.

import { showCategory } from './console-category.js';
import { channelName, none, stateName, when } from './console-format.js';
import { initNotes, renderNotes } from './console-notes.js';
import { $, h } from './lib/dom.js';
import { t } from './lib/i18n.js';

/**
 * {api, me, slotLabels, room(), profile(), setProfile(p), consultation(), current(),
 *  mayEditProfile(), mayEditRoom(), messageItem(m), refreshRoom(), forgetRoom(roomId)}
 */
let ctx = null;

export function initPanel(context) {
  ctx = context;
  initNotes({
    api: ctx.api,
    profile: ctx.profile,
    setProfile: ctx.setProfile,
    mayEditProfile: ctx.mayEditProfile,
    redraw: renderPanel,
    notice: panelNotice,
  });
}

/** Says what the panel's last action did (or why it failed), replacing what it said before. */
export function panelNotice(text, { error = false } = {}) {
  const el = $('panel-notice');
  el.textContent = text;
  el.classList.toggle('error', error);
}

function fact(id, ...content) {
  const dd = $(id);
  dd.replaceChildren(...content.filter((x) => x !== null && x !== undefined && x !== ''));
  if (!dd.childNodes.length) dd.append(none());
}

export function renderPanel() {
  const room = ctx.room();
  const profile = ctx.profile();
  if (!room || !profile) return;
  $('customer').hidden = false;
  const c = ctx.consultation();

  fact('f-uid', profile.site_uid ? h('span', { class: 'uid' }, profile.site_uid) : null,
    profile.site_uid ? ' ' : null,
    profile.site_uid
      ? h('span', { class: profile.verified ? 'mark ok' : 'mark no' }, profile.verified ? t('console-verified') : t('console-unverified'))
      : null);
  fact('f-name', profile.name);
  $('phone-value').replaceChildren(profile.phone ? profile.phone : none());
  // What the server would refuse is not offered: an agent edits only while holding it.
  const editProfile = ctx.mayEditProfile();
  const editRoom = ctx.mayEditRoom();
  if (!editProfile) closePhoneForm();
  $('phone-edit').hidden = !editProfile || !$('phone-form').hidden;
  $('link-form').hidden = !editRoom;
  if (!editRoom) $('link-preview').replaceChildren();
  $('edit-locked').textContent = t('console-edit-take-first');
  $('edit-locked').hidden = editProfile && editRoom;
  const mv = profile.mobile_verification;
  fact('f-mobile', profile.mobile ? h('span', { class: 'mobile' }, profile.mobile) : none(),
    mv ? h('span', { class: 'muted how' }, ` · ${t(`console-method-${mv.method}`)} · ${when(mv.verified_at)}`) : null,
    h('span', { class: 'muted read-only' }, ` (${t('console-mobile-read-only')})`));
  fact('f-email', profile.email);
  fact('f-key', h('code', {}, room.customer_key));
  fact('f-channel', channelName(room.channel));

  // Extra information: this consultation's custom parameters, then those only the profile has.
  const labels = { ...ctx.slotLabels };
  for (const p of profile.custom) labels[p.param] = p.label;
  const rows = [];
  const custom = c?.custom ?? {};
  const slotOrder = (a, b) => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, ''));
  for (const param of Object.keys(custom).sort(slotOrder)) {
    rows.push(h('dt', {}, labels[param] ?? param, ' ', h('span', { class: 'param' }, param)),
      h('dd', { dataset: { param } }, custom[param]));
  }
  for (const p of profile.custom) {
    if (p.param in custom) continue;
    rows.push(h('dt', {}, p.label, ' ', h('span', { class: 'param' }, `${p.param} · ${t('console-from-profile')}`)),
      h('dd', { dataset: { param: p.param } }, p.value));
  }
  for (const key of ['user_parameter', 'category_id', 'division_id']) {
    const v = c?.[key];
    if (v === null || v === undefined || v === '') continue;
    rows.push(h('dt', {}, t(`console-extra-${key}`)), h('dd', {}, String(v)));
  }
  $('extra').replaceChildren(...rows);
  showCategory(c);
  if (!rows.length) $('extra').append(h('dd', { class: 'muted' }, t('console-no-extra')));
  const link = $('info-link');
  // The template is validated as http(s) when saved; checked again so no other scheme is a link.
  if (room.info_url && /^https?:\/\//i.test(room.info_url)) {
    link.href = room.info_url;
    $('info-link-row').hidden = false;
  } else {
    $('info-link-row').hidden = true;
  }

  // Warnings of the shown consultation's inflows.
  const warnings = (c?.inflows ?? []).flatMap((i) => i.warnings ?? []);
  $('warnings').replaceChildren(...warnings.map((w) => h('li', {},
    h('code', {}, w.param), ' ', h('strong', {}, t(`console-warn-${w.code}`)), ' — ', h('span', { class: 'muted' }, w.detail))));
  if (!warnings.length) $('warnings').append(h('li', { class: 'muted' }, t('console-no-warnings')));

  // Every consultation of every room linked to this profile, newest first.
  const history = [...profile.history].sort((a, b) => b.created_at - a.created_at);
  $('history').replaceChildren(...history.map((x) => h('li', {},
    h('button', {
      type: 'button',
      class: 'link history-item',
      dataset: { id: x.consultation_id },
      onclick: (e) => openHistory(x.consultation_id, e.currentTarget),
    },
    `${t('console-consultation-no', { id: x.consultation_id })} · ${channelName(x.channel)} · ${stateName(x.state)} · ${when(x.created_at)}`,
    x.consultation_id === ctx.current()?.cid ? ` (${t('console-current')})` : ''))));
  if (!history.length) $('history').append(h('li', { class: 'muted' }, t('console-no-history')));

  renderNotes();
  renderJournal();
}

// Phone: edited in place; the server's validation is shown as it answers.
export function closePhoneForm() {
  $('phone-form').hidden = true;
  $('phone-edit').hidden = false;
  $('phone-value').hidden = false;
  $('phone-error').textContent = '';
  $('phone-input').removeAttribute('aria-invalid');
}
$('phone-edit').addEventListener('click', () => {
  $('phone-input').value = ctx.profile()?.phone ?? '';
  $('phone-form').hidden = false;
  $('phone-edit').hidden = true;
  $('phone-value').hidden = true;
  $('phone-input').focus();
});
$('phone-cancel').addEventListener('click', () => {
  closePhoneForm();
  $('phone-edit').focus();
});
$('phone-input').addEventListener('keydown', (e) => {
  if (e.key === 'Escape') {
    closePhoneForm();
    $('phone-edit').focus();
  }
});
$('phone-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  try {
    const p = await ctx.api(`/profiles/${ctx.profile().profile_id}`, { method: 'PATCH', body: { phone: $('phone-input').value } });
    ctx.setProfile(p);
    closePhoneForm();
    renderPanel();
    panelNotice(t('console-phone-saved'));
    $('phone-edit').focus();
  } catch (err) {
    $('phone-input').setAttribute('aria-invalid', 'true');
    $('phone-error').textContent = t('console-phone-failed', { reason: err.message });
  }
});

// History: one consultation's messages in a dialog.
async function openHistory(cid, opener) {
  const dialog = $('history-dialog');
  try {
    const r = await ctx.api(`/consultations/${cid}`);
    const c = r.consultation;
    $('dialog-title').textContent = t('console-history-title', { id: c.id });
    $('dialog-meta').textContent = `${channelName(c.channel)} · ${stateName(c.state)} · ${when(c.created_at)}`;
    $('dialog-messages').replaceChildren(...r.messages.map(ctx.messageItem));
    if (!r.messages.length) $('dialog-messages').append(h('li', { class: 'muted' }, t('console-no-messages')));
    dialog.addEventListener('close', () => opener?.focus(), { once: true });
    dialog.showModal();
  } catch (e) {
    panelNotice(t('console-load-failed', { reason: e.message }), { error: true });
  }
}

// Correcting the room's ID: preview which profile it joins, then confirm; the journal after.
let previewed = null;
$('link-uid').addEventListener('input', () => {
  previewed = null;
  $('link-preview').replaceChildren();
});
$('link-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const uid = $('link-uid').value.trim();
  $('link-error').textContent = '';
  $('link-preview').replaceChildren();
  previewed = null;
  if (!uid) return;
  const roomId = ctx.current().roomId;
  try {
    const r = await ctx.api(`/rooms/${roomId}/link-preview?site_uid=${encodeURIComponent(uid)}`);
    if (ctx.current()?.roomId !== roomId) return;
    previewed = uid;
    const target = r.target_profile;
    const same = target && target.id === r.current_profile.id;
    const parts = [h('p', {}, t('console-preview-into'))];
    if (target) {
      parts.push(h('dl', { class: 'facts target' },
        h('dt', {}, 'ID'), h('dd', {}, target.site_uid ?? ''),
        h('dt', {}, t('console-name')), h('dd', {}, target.name || t('console-none')),
        h('dt', {}, t('console-phone')), h('dd', {}, target.phone || t('console-none'))));
    } else {
      parts.push(h('p', { class: 'new-profile' }, t('console-new-profile')));
    }
    if (r.merges) parts.push(h('p', { class: 'warn' }, t('console-merges')));
    if (same) {
      parts.push(h('p', { class: 'muted' }, t('console-same-profile')));
    } else {
      parts.push(h('button', { type: 'button', id: 'link-confirm', onclick: () => confirmLink(roomId, uid) },
        t('console-confirm-link', { uid })));
    }
    $('link-preview').replaceChildren(...parts);
  } catch (err) {
    $('link-error').textContent = t('console-link-failed', { reason: err.message });
  }
});

async function confirmLink(roomId, uid) {
  if (previewed !== uid) {
    $('link-error').textContent = t('console-preview-first');
    return;
  }
  try {
    await ctx.api(`/rooms/${roomId}/site_uid`, { method: 'PUT', body: { site_uid: uid } });
    previewed = null;
    $('link-preview').replaceChildren();
    $('link-uid').value = '';
    ctx.forgetRoom(roomId);
    await ctx.refreshRoom();
    panelNotice(t('console-linked'));
    document.querySelector('#journal button')?.focus();
  } catch (err) {
    $('link-error').textContent = t('console-link-failed', { reason: err.message });
  }
}

function actorName(actor) {
  const [kind, rest] = actor.split(':');
  if (kind === 'agent') return Number(rest) === ctx.me.id ? `${t('console-by-agent')} (${t('console-by-me')})` : `${t('console-by-agent')} #${rest}`;
  if (kind === 'inflow') return `${t('console-by-inflow')} (${channelName(rest)})`;
  return actor;
}
function reasonText(reason) {
  if (reason === 'set by an agent') return t('console-reason-agent');
  if (reason === 'the inflow carried this site_uid') return t('console-reason-inflow');
  return reason;
}

function renderJournal() {
  const journal = ctx.room().journal ?? [];
  const inForce = journal.filter((j) => !j.undone_at).map((j) => j.id);
  const latest = inForce.length ? Math.max(...inForce) : null;
  $('journal').replaceChildren(...journal.map((j) => h('li', { class: j.undone_at ? 'undone' : '' },
    h('span', { class: 'change' }, `${j.from_site_uid ?? t('console-none')} → ${j.to_site_uid ?? t('console-none')}`),
    h('span', { class: 'muted' }, ` · ${actorName(j.actor)} · ${reasonText(j.reason)} · ${when(j.created_at)}`),
    j.undone_at ? h('span', { class: 'muted' }, ` · ${t('console-undone-at')} ${when(j.undone_at)}`) : null,
    j.id === latest && ctx.mayEditRoom() ? h('button', {
      type: 'button',
      class: 'secondary small',
      'aria-label': `${t('console-undo')}: ${j.from_site_uid ?? t('console-none')} → ${j.to_site_uid ?? t('console-none')}`,
      onclick: () => undoLink(j.id),
    }, t('console-undo')) : null)));
  if (!journal.length) $('journal').append(h('li', { class: 'muted' }, t('console-no-journal')));
}

async function undoLink(id) {
  const roomId = ctx.current().roomId;
  try {
    await ctx.api(`/links/${id}/undo`, { method: 'POST' });
    ctx.forgetRoom(roomId);
    await ctx.refreshRoom();
    panelNotice(t('console-undone'));
    $('link-uid').focus();
  } catch (err) {
    $('link-error').textContent = t('console-link-failed', { reason: err.message });
  }
}
