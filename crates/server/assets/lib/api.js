// One way to call Sangdam's JSON API from a page. A body goes out as JSON, the answer's JSON
// comes back; the session cookie goes along. Whatever fails — no answer, or an error answer
// `{"error": {"code", "message", "details"}}` — throws an ApiError carrying the HTTP status (0
// when no answer came), the code, a sentence and the details. The sentence is the catalogue's
// `error-<code>` text when the page has it, else the server's own message.

import { has, t } from './i18n.js';

export class ApiError extends Error {
  constructor(status, code, message, details = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** The page's words for an error code, filled with the details that are plain values. */
function words(code, message, details) {
  const key = `error-${code}`;
  if (!has(key)) return message;
  const args = {};
  for (const [k, v] of Object.entries(details && typeof details === 'object' ? details : {})) {
    if (v === null || typeof v !== 'object') args[k] = v;
  }
  return t(key, args);
}

/**
 * Calls `path` (`/api/v1/…`) and resolves to the answer's JSON (null when it has none).
 * `headers` are added to the request's own. `file` (a File or Blob) goes out as the body as it
 * is (`application/octet-stream`), instead of a JSON `body`.
 */
export async function api(path, { method = 'GET', body, file, headers = {} } = {}) {
  const init = { method, credentials: 'same-origin', headers: { accept: 'application/json', ...headers } };
  if (file !== undefined) {
    init.headers['content-type'] = 'application/octet-stream';
    init.body = file;
  } else if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'network', words('network', String(e?.message ?? e), null));
  }
  let data = null;
  try {
    const text = await res.text();
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const error = data?.error ?? {};
    const code = typeof error.code === 'string' ? error.code : 'http';
    const message = error.message || res.statusText || `HTTP ${res.status}`;
    throw new ApiError(res.status, code, words(code, message, error.details), error.details ?? null);
  }
  return data;
}
