// What the console's modules show the same way: times (short when today), channel and state
// names, and "none".

import { h } from './lib/dom.js';
import { lang, t } from './lib/i18n.js';

const dateFmt = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'ko-KR', {
  year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
});
const timeFmt = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'ko-KR', {
  hour: '2-digit', minute: '2-digit',
});
export function startOfToday() {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}
/** A time, short when it is today. */
export function when(ms) {
  if (ms === null || ms === undefined) return '';
  return ms >= startOfToday() ? timeFmt.format(ms) : dateFmt.format(ms);
}
export const channelName = (c) => t(`console-channel-${c}`);
export const stateName = (s) => t(`console-state-${s}`);
export const none = () => h('span', { class: 'muted' }, t('console-none'));
