// Telling the agent something happened while they look elsewhere: a browser notification and a
// short sound (made with Web Audio, no file) for a new consultation in the queue they may take,
// a consultation given to them, and a customer's message in one of their consultations that is
// not open (or while the console's tab is hidden). Two switches in the header turn each off;
// they are remembered in this browser (localStorage) and start on. The browser's permission is
// asked on a gesture of the agent's (the first click or key while notifications are on, or
// turning them on), never on loading the page. Clicking a notification brings the console to
// the front with that consultation open. What the agent did themself is not announced.

import { $ } from './lib/dom.js';
import { t } from './lib/i18n.js';

const NOTIFY_KEY = 'sangdam.console.notify';
const SOUND_KEY = 'sangdam.console.sound';

/** {open(cid, roomId), customerName(roomId) (a promise of the name, or null)} */
let ctx = null;
let audio = null;

function stored(key) {
  try {
    return localStorage.getItem(key) !== 'off';
  } catch {
    return true;
  }
}
function store(key, on) {
  try {
    localStorage.setItem(key, on ? 'on' : 'off');
  } catch {
    /* remembered for this page only */
  }
}

const supported = () => typeof window.Notification === 'function';

export function initAlerts(context) {
  ctx = context;
  const notify = $('alert-notify');
  const sound = $('alert-sound');
  notify.checked = stored(NOTIFY_KEY);
  sound.checked = stored(SOUND_KEY);
  notify.addEventListener('change', () => {
    store(NOTIFY_KEY, notify.checked);
    if (notify.checked) askPermission();
    say(notify.checked ? 'console-alerts-notify-on' : 'console-alerts-notify-off');
    renderBlocked();
  });
  sound.addEventListener('change', () => {
    store(SOUND_KEY, sound.checked);
    if (sound.checked) {
      unlockAudio();
      chime('message');
    }
    say(sound.checked ? 'console-alerts-sound-on' : 'console-alerts-sound-off');
  });
  // The first gesture of the agent's: the browser lets a page ask and play only after one.
  const first = () => {
    document.removeEventListener('pointerdown', first, true);
    document.removeEventListener('keydown', first, true);
    if (notify.checked) askPermission();
    if (sound.checked) unlockAudio();
  };
  document.addEventListener('pointerdown', first, true);
  document.addEventListener('keydown', first, true);
  renderBlocked();
}

function say(key) {
  $('alert-status').textContent = t(key);
}

function askPermission() {
  if (!supported() || Notification.permission !== 'default') return;
  try {
    const asked = Notification.requestPermission(renderBlocked);
    if (asked && typeof asked.then === 'function') asked.then(renderBlocked, () => {});
  } catch {
    /* an old browser: the callback form only */
  }
}

/** When the browser refuses notifications, the switch says so. */
function renderBlocked() {
  const blocked = $('alert-blocked');
  const refused = $('alert-notify').checked && (!supported() || Notification.permission === 'denied');
  blocked.hidden = !refused;
  blocked.textContent = refused
    ? t(supported() ? 'console-alerts-blocked' : 'console-alerts-unsupported') : '';
}

// ---------------------------------------------------------------------------------------------
// Sound: two short notes for a new consultation, one for a message.

function unlockAudio() {
  try {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    if (!audio) audio = new Ctx();
    if (audio.state === 'suspended') audio.resume().catch(() => {});
  } catch {
    audio = null;
  }
}

function note(at, frequency, length) {
  const osc = audio.createOscillator();
  const gain = audio.createGain();
  osc.type = 'sine';
  osc.frequency.setValueAtTime(frequency, at);
  gain.gain.setValueAtTime(0.0001, at);
  gain.gain.exponentialRampToValueAtTime(0.18, at + 0.015);
  gain.gain.exponentialRampToValueAtTime(0.0001, at + length);
  osc.connect(gain).connect(audio.destination);
  osc.start(at);
  osc.stop(at + length + 0.02);
}

function chime(kind) {
  if (!$('alert-sound').checked || !audio || audio.state !== 'running') return;
  try {
    const now = audio.currentTime + 0.01;
    if (kind === 'waiting') {
      note(now, 660, 0.16);
      note(now + 0.17, 990, 0.22);
    } else {
      note(now, 880, 0.18);
    }
  } catch {
    /* no sound this time */
  }
}

// ---------------------------------------------------------------------------------------------
// Notifications

function show(title, body, tag, onClick) {
  if (!$('alert-notify').checked || !supported() || Notification.permission !== 'granted') return;
  try {
    const n = new Notification(title, { body, tag, lang: document.documentElement.lang || 'ko' });
    n.onclick = () => {
      window.focus();
      onClick();
      n.close();
    };
  } catch {
    /* a browser that shows them only from a service worker */
  }
}

async function nameFor(roomId) {
  try {
    return (await ctx.customerName(roomId)) || t('console-anonymous');
  } catch {
    return t('console-anonymous');
  }
}

/** A consultation the agent may take has come into the queue. */
export async function alertWaiting(c, channel) {
  chime('waiting');
  const name = await nameFor(c.room_id);
  show(t('console-alert-waiting-title'), t('console-alert-waiting-body', { name, channel }),
    `sangdam-consultation-${c.id}`, () => ctx.open(c.id, c.room_id));
}

/** A consultation was given to the agent (by distribution, a manager, a transfer). */
export async function alertAssigned(c, channel) {
  chime('waiting');
  const name = await nameFor(c.room_id);
  show(t('console-alert-assigned-title'), t('console-alert-assigned-body', { name, channel }),
    `sangdam-consultation-${c.id}`, () => ctx.open(c.id, c.room_id));
}

/** The customer wrote in one of the agent's consultations that they do not see now. */
export async function alertMessage(m) {
  chime('message');
  const name = await nameFor(m.room_id);
  let body = m.body;
  if (m.file?.kind === 'image') body = t('console-preview-image');
  else if (m.file) body = t('console-preview-file', { name: m.body });
  if ([...body].length > 120) body = `${[...body].slice(0, 119).join('')}…`;
  show(t('console-alert-message-title', { name }), body,
    `sangdam-consultation-${m.consultation_id}`, () => ctx.open(m.consultation_id, m.room_id));
}
