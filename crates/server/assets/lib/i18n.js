// The page's words. The server renders the texts its script needs, from the Fluent catalogue
// (locales/<language>/*.ftl) and in the page's language, into
// <script type="application/json" id="texts">; arguments the server could not fill are left
// as `{ $name }` for t() to fill here.

const element = document.getElementById('texts');
const texts = element ? JSON.parse(element.textContent) : {};

/** The page's language (`ko`, `en`), for dates and numbers. */
export const lang = document.documentElement.lang || 'ko';

/** Whether the page has the text `key`. */
export function has(key) {
  return Object.prototype.hasOwnProperty.call(texts, key);
}

/** Fills `{ $name }` in `text` from `args` (names the arguments lack stay as they are). */
export function format(text, args = {}) {
  return text.replace(/\{\s*\$([A-Za-z][A-Za-z0-9_-]*)\s*\}/g, (whole, name) => (
    Object.prototype.hasOwnProperty.call(args, name) ? String(args[name]) : whole));
}

/** The text of `key` with its arguments; the key itself, and a warning, when the page lacks it. */
export function t(key, args) {
  if (!has(key)) {
    console.warn(`sangdam: the page has no text "${key}"`);
    return key;
  }
  return format(texts[key], args);
}
