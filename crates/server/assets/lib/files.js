// Images and files in a conversation, shown and sent the same way by the chat window and the
// console. A message's `file` is shown from the server's own addresses (the pages' policy
// loads images only from Sangdam): an image as its thumbnail, at a size known before it loads,
// linking to the whole image in a new tab; any other file as a link that downloads it, with
// its name and size. A file goes out as a multipart form, whose progress the caller hears of;
// a refusal is an ApiError, in the page's words when it has them.

import { ApiError } from './api.js';
import { h } from './dom.js';
import { has, lang, t } from './i18n.js';

/** The largest a thumbnail is shown, in CSS pixels a side (the server makes them ≤ 320). */
export const THUMB_BOX = 240;

const oneDecimal = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });

/** A size in bytes as people read it: `512 B`, `1.5 KB`, `12 KB`, `3.2 MB`. */
export function humanSize(bytes) {
  const n = Number(bytes) || 0;
  if (n < 1024) return `${whole.format(n)} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${(v < 10 ? oneDecimal : whole).format(v)} ${units[i]}`;
}

/** The size an image of `width`×`height` is shown at: within the box, never enlarged. */
function fitted(width, height) {
  if (!(width > 0 && height > 0)) return null;
  const scale = Math.min(1, THUMB_BOX / width, THUMB_BOX / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

const SVG = 'http://www.w3.org/2000/svg';
const ICONS = {
  document: 'M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8zM14 2v6h6M16 13H8M16 17H8',
  clip: 'M21.44 11.05l-9.19 9.19a6 6 0 0 1-8.49-8.49l9.19-9.19a4 4 0 0 1 5.66 5.66l-9.2 9.19a2 2 0 0 1-2.83-2.83l8.49-8.48',
};

/** A line icon (`document`, `clip`), drawn in the text's colour and hidden from screen readers. */
export function icon(name) {
  const svg = document.createElementNS(SVG, 'svg');
  for (const [k, v] of Object.entries({
    viewBox: '0 0 24 24', width: '20', height: '20', fill: 'none', stroke: 'currentColor',
    'stroke-width': '2', 'stroke-linecap': 'round', 'stroke-linejoin': 'round', 'aria-hidden': 'true',
    focusable: 'false', class: 'file-icon',
  })) svg.setAttribute(k, v);
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', ICONS[name]);
  svg.append(path);
  return svg;
}

/** The name and size of a file, as one line: `견적서.pdf · 12 KB`. */
export function fileLine(file) {
  return [
    h('span', { class: 'file-name' }, file.name),
    h('span', { class: 'file-size' }, ` · ${humanSize(file.size)}`),
  ];
}

/**
 * What a message's file looks like. `href` fetches the whole file, `thumbnail` its thumbnail;
 * `newTab` is the page's words for "(opens in a new tab)", read after the link's name.
 */
export function fileView(file, { href, thumbnail, newTab }) {
  const hidden = (text) => h('span', { class: 'visually-hidden' }, ` ${text}`);
  if (file.thumbnail) {
    const size = fitted(file.width, file.height);
    return h('a', {
      class: 'file-image', href, target: '_blank', rel: 'noopener', dataset: { kind: file.kind },
    },
    h('img', {
      src: thumbnail, alt: file.name, width: size?.width, height: size?.height, loading: 'lazy', decoding: 'async',
    }),
    hidden(newTab));
  }
  return h('a', {
    class: 'file-card', href, download: file.name, target: '_blank', rel: 'noopener', dataset: { kind: file.kind },
  },
  icon('document'),
  h('span', { class: 'file-text' }, ...fileLine(file)));
}

/** A file still on its way: its name and size, not yet a link. */
export function filePending(file) {
  return h('span', { class: 'file-card' },
    icon('clip'),
    h('span', { class: 'file-text' }, ...fileLine(file)));
}

/** The page's words for an error code (as lib/api.js finds them), else the server's. */
function words(code, message) {
  const key = `error-${code}`;
  return has(key) ? t(key) : message;
}

/**
 * Sends `file` to `path` as the form part `file` (with `fields` beside it) and resolves to the
 * answer's JSON. `onProgress(fraction)` hears how much has gone. Throws an ApiError as
 * lib/api.js does (status 0: no answer came).
 */
export function upload(path, file, { fields = {}, headers = {}, onProgress } = {}) {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    form.append('file', file, file.name || 'file');
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('accept', 'application/json');
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    if (onProgress) {
      xhr.upload.addEventListener('progress', (e) => {
        if (e.lengthComputable && e.total > 0) onProgress(Math.min(1, e.loaded / e.total));
      });
    }
    const lost = () => reject(new ApiError(0, 'network', words('network', 'no answer')));
    xhr.addEventListener('error', lost);
    xhr.addEventListener('abort', lost);
    xhr.addEventListener('timeout', lost);
    xhr.addEventListener('load', () => {
      let data = null;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        data = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(data);
        return;
      }
      const error = data?.error ?? {};
      const code = typeof error.code === 'string' ? error.code : 'http';
      const message = error.message || xhr.statusText || `HTTP ${xhr.status}`;
      reject(new ApiError(xhr.status, code, words(code, message), error.details ?? null));
    });
    xhr.send(form);
  });
}

/** The files a paste carries, when it carries no text (text pastes as text). */
export function pastedFiles(e) {
  const data = e.clipboardData;
  if (!data || !data.files || !data.files.length) return [];
  if ((data.getData('text/plain') || '').trim()) return [];
  return [...data.files];
}
