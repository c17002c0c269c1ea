// The small DOM helpers the pages share.

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

/** An element with attributes and children (strings become text: never parsed as HTML). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Writes a status line; `kind` 'ok' or 'bad' colours it. */
export function setStatus(el, text, kind = '') {
  if (!el) return;
  el.textContent = text;
  el.classList.toggle('ok', kind === 'ok');
  el.classList.toggle('bad', kind === 'bad');
}

/** Clears the field errors of a form (`[data-error-for]` beside `[data-field]` inputs). */
export function clearFieldErrors(form) {
  form.querySelectorAll('[data-error-for]').forEach((s) => { s.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((i) => i.removeAttribute('aria-invalid'));
}

/**
 * Shows `text` beside the form's field `field` and marks the field invalid. Returns the field's
 * input (to focus), or null when the form has no such field.
 */
export function fieldError(form, field, text) {
  const slot = form.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
  const input = form.querySelector(`[data-field="${CSS.escape(field)}"]`);
  if (slot) slot.textContent = text;
  if (input) input.setAttribute('aria-invalid', 'true');
  return slot ? input ?? slot : null;
}

/** Runs `fn` once after the calls of this moment (coalesces bursts). */
export function debounce(fn, ms = 150) {
  let timer = null;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}
