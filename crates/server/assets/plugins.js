// The plugins' and channels' section of the business page (the site's admin): the bot's
// development and operating channels and what Kakao's console says of the app
// (PUT /api/v1/site/bot-channels), each plugin with its state and checklist
// (GET /api/v1/site/plugins), set up (PUT /api/v1/site/plugins/{plugin}) or taken off
// (DELETE …). Unlinking the development channel says which plugins stopped and what to redo.

import { api, ApiError } from './lib/api.js';
import { $, clearFieldErrors, fieldError, h, setStatus } from './lib/dom.js';
import { t } from './lib/i18n.js';

const form = $('channels-form');
const status = $('plugins-status');
const flags = {
  business_channel_linked: 'business-channel-linked',
  personal_info_review: 'personal-info-review',
  sync_terms_review: 'sync-terms-review',
  channels_same_app: 'channels-same-app',
};

function why(e) {
  return e instanceof ApiError ? e.message : String(e?.message ?? e);
}

function stateText(p) {
  if (p.broken) return t('plugins-state-broken');
  if (p.enabled) return t('plugins-state-on', { channel: t(`plugins-channel-${p.slot}`) });
  return t('plugins-state-off');
}

function checklist(p) {
  return h('ul', { class: 'checklist' }, p.checklist.map((c) => h('li', { class: c.met ? 'met' : 'unmet' },
    `${c.met ? '✓' : '✗'} ${t(`plugins-check-${c.check}`)} · ${c.met ? t('plugins-met') : t('plugins-unmet')}`,
    c.met ? null : h('div', { class: 'hint' }, c.explain))));
}

/** The plugins as last drawn. */
let shown = [];

/** What a refusal to set a plugin up says: the first item of its checklist not met. */
function refusal(name, e) {
  if (e instanceof ApiError && e.status === 409) return t('plugins-no-channel');
  if (e instanceof ApiError && e.code === 'plugin_check_missing') {
    const first = shown.find((p) => p.plugin === name)?.checklist.find((c) => !c.met);
    if (first) return t('plugins-missing', { check: t(`plugins-check-${first.check}`) });
  }
  return t('plugins-failed', { reason: why(e) });
}

async function act(name, method, done) {
  setStatus(status, '');
  try {
    draw(await api(`/api/v1/site/plugins/${name}`, { method }));
    setStatus(status, t(done), 'ok');
  } catch (e) {
    setStatus(status, refusal(name, e), 'bad');
  }
}

function row(p) {
  const name = t(`plugins-name-${p.plugin}`);
  const actions = [];
  if (!p.enabled) {
    actions.push(h('button', {
      type: 'button', class: 'small', 'aria-label': `${p.broken ? t('plugins-reenable') : t('plugins-enable')} · ${name}`,
      onclick: () => act(p.plugin, 'PUT', 'plugins-enabled'),
    }, p.broken ? t('plugins-reenable') : t('plugins-enable')));
  }
  if (p.enabled || p.broken) {
    actions.push(h('button', {
      type: 'button', class: 'secondary small', 'aria-label': `${t('plugins-disable')} · ${name}`,
      onclick: () => act(p.plugin, 'DELETE', 'plugins-disabled'),
    }, t('plugins-disable')));
  }
  return h('tr', { dataset: { plugin: p.plugin } },
    h('th', { scope: 'row' }, name),
    h('td', {}, stateText(p), p.broken_reason ? h('div', { class: 'hint' }, p.broken_reason) : null),
    h('td', {}, checklist(p)),
    h('td', {}, ...actions));
}

/** Draws the channels and plugins (`v`: the API's PluginsView). */
function draw(v) {
  const c = v.channels ?? {};
  $('development-channel').value = c.development_channel ?? '';
  $('operating-channel').value = c.operating_channel ?? '';
  for (const [key, id] of Object.entries(flags)) $(id).checked = Boolean(c[key]);
  shown = v.plugins ?? [];
  $('plugin-rows').replaceChildren(...shown.map(row));
  const stopped = $('plugins-stopped');
  const broken = v.broken_now ?? [];
  if (broken.length) {
    const reason = v.plugins.find((p) => p.plugin === broken[0])?.broken_reason ?? '';
    stopped.textContent = t('plugins-stopped', {
      names: broken.map((p) => t(`plugins-name-${p}`)).join(', '),
      reason,
    });
    stopped.hidden = false;
  }
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(form);
  $('plugins-stopped').hidden = true;
  const body = {
    development_channel: $('development-channel').value.trim() || null,
    operating_channel: $('operating-channel').value.trim() || null,
  };
  for (const [key, id] of Object.entries(flags)) body[key] = $(id).checked;
  try {
    draw(await api('/api/v1/site/bot-channels', { method: 'PUT', body }));
    setStatus($('channels-status'), t('plugins-saved'), 'ok');
  } catch (e) {
    const errors = e instanceof ApiError ? e.details?.errors ?? [] : [];
    let first = null;
    for (const f of errors) first ??= fieldError(form, f.field, f.message);
    first?.focus?.();
    setStatus($('channels-status'), t('plugins-failed', { reason: why(e) }), 'bad');
  }
});

api('/api/v1/site/plugins').then(draw).catch((e) => setStatus(status, t('plugins-failed', { reason: why(e) }), 'bad'));
