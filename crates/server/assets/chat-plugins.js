// The plugin steps a chatbot's answer may carry in the chat window (`rich.plugin`): a profile
// form (name, phone, e-mail and consent; for Kakao Sync the consent names the sign-up terms)
// and a request for the browser's current location, asked only when the customer presses the
// button (the browser then asks its own permission). What the customer sends goes to
// POST …/profile-form or …/location with the bot message's id, and comes back as their message.

import { api as call, ApiError } from './lib/api.js';
import { h } from './lib/dom.js';
import { has, t } from './lib/i18n.js';

/**
 * The step of `plugin` under bot message `messageId`, or null for a plugin this window does not
 * know. `api` is the web chat API's base, `headers()` the visitor's, `onSent(m)` receives the
 * stored message.
 */
export function pluginStep(plugin, messageId, { api, headers, onSent }) {
  const ctx = { api, headers, onSent, messageId };
  if (plugin === 'profile' || plugin === 'kakao_sync') return profileForm(plugin, ctx);
  if (plugin === 'location') return locationAsk(ctx);
  return null;
}

/** Hides the steps of bot messages before `messageId` (the customer has written since);
 * a step answered here keeps saying so. */
export function retirePluginSteps(root, messageId) {
  root.querySelectorAll('.chat-plugin:not(.chat-plugin-sent)').forEach((step) => {
    if (Number(step.dataset.message) < messageId) step.hidden = true;
  });
}

/** The step once answered: says so, in place of the form. */
function answered(box) {
  // The customer's message may have come over the socket first, and retired the step.
  box.hidden = false;
  box.classList.add('chat-plugin-sent');
  box.replaceChildren(h('p', { class: 'chat-plugin-done', role: 'status' }, t('chat-plugin-sent')));
}

function stepBox(kind, messageId, ...children) {
  return h('div', { class: `chat-plugin chat-plugin-${kind}`, dataset: { message: String(messageId) } }, ...children);
}

function reason(err) {
  if (err instanceof ApiError && err.code === 'invalid_field' && err.details?.field) {
    const key = `chat-plugin-bad-${err.details.field}`;
    if (has(key)) return t(key);
  }
  return t('chat-plugin-failed', { reason: err.message });
}

function profileForm(plugin, ctx) {
  const id = (name) => `chat-plugin-${ctx.messageId}-${name}`;
  const field = (name, type, autocomplete) => h('p', { class: 'chat-plugin-field' },
    h('label', { for: id(name) }, t(`chat-plugin-${name}`)),
    h('input', { id: id(name), name, type, autocomplete, maxlength: '100' }));
  const consent = h('input', { id: id('consent'), name: 'consent', type: 'checkbox' });
  const status = h('p', { class: 'chat-plugin-status', role: 'status', 'aria-live': 'polite' });
  const send = h('button', { type: 'submit' }, t('chat-plugin-send'));
  const form = h('form', { class: 'chat-plugin-form', novalidate: true },
    h('p', { class: 'chat-plugin-title' }, t(plugin === 'kakao_sync' ? 'chat-plugin-sync-title' : 'chat-plugin-profile-title')),
    field('name', 'text', 'name'),
    field('phone', 'tel', 'tel'),
    field('email', 'email', 'email'),
    h('p', { class: 'chat-plugin-consent' }, consent,
      h('label', { for: consent.id }, t(plugin === 'kakao_sync' ? 'chat-plugin-consent-sync' : 'chat-plugin-consent'))),
    send,
    status);
  const box = stepBox('profile', ctx.messageId, form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const value = (name) => form.elements[name].value.trim();
    if (!value('name') && !value('phone') && !value('email')) {
      status.textContent = t('chat-plugin-empty');
      form.elements.name.focus();
      return;
    }
    if (!consent.checked) {
      status.textContent = t('chat-plugin-consent-needed');
      consent.focus();
      return;
    }
    send.disabled = true;
    status.textContent = t('chat-plugin-sending');
    try {
      const m = await call(`${ctx.api}/profile-form`, {
        method: 'POST',
        headers: ctx.headers(),
        body: {
          message_id: ctx.messageId,
          name: value('name'),
          phone: value('phone'),
          email: value('email'),
          consent: true,
        },
      });
      answered(box);
      if (m) ctx.onSent(m);
    } catch (err) {
      send.disabled = false;
      status.textContent = reason(err);
    }
  });
  return box;
}

function locationAsk(ctx) {
  const status = h('p', { class: 'chat-plugin-status', role: 'status', 'aria-live': 'polite' });
  const share = h('button', { type: 'button', class: 'chat-plugin-share' }, t('chat-plugin-location-share'));
  const box = stepBox('location', ctx.messageId,
    h('p', { class: 'chat-plugin-title' }, t('chat-plugin-location-title')),
    share,
    status);
  share.addEventListener('click', () => {
    if (!navigator.geolocation) {
      status.textContent = t('chat-plugin-location-unavailable');
      return;
    }
    share.disabled = true;
    status.textContent = t('chat-plugin-location-finding');
    navigator.geolocation.getCurrentPosition(async (pos) => {
      status.textContent = t('chat-plugin-sending');
      try {
        const m = await call(`${ctx.api}/location`, {
          method: 'POST',
          headers: ctx.headers(),
          body: {
            message_id: ctx.messageId,
            latitude: pos.coords.latitude,
            longitude: pos.coords.longitude,
            accuracy: Number.isFinite(pos.coords.accuracy) ? pos.coords.accuracy : null,
          },
        });
        answered(box);
        if (m) ctx.onSent(m);
      } catch (err) {
        share.disabled = false;
        status.textContent = reason(err);
      }
    }, () => {
      share.disabled = false;
      status.textContent = t('chat-plugin-location-denied');
    }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 });
  });
  return box;
}
