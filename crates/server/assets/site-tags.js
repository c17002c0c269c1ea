// The site's customer tags on the parameter page: the list agents are offered when they tag a
// customer in the console, read from and saved to /api/v1/site/tags (the admin's), one a line.

import { api, ApiError } from './lib/api.js';
import { $, clearFieldErrors, fieldError, setStatus } from './lib/dom.js';
import { t } from './lib/i18n.js';

const form = $('site-tags-form');
const input = $('site-tags');
const status = $('site-tags-status');

function failure(e) {
  if (!(e instanceof ApiError)) throw e;
  if (e.status === 401) return t('admin-status-login-again');
  if (e.status === 403) return t('admin-status-not-allowed');
  return t('admin-status-failed', { reason: e.message });
}

const show = (tags) => {
  input.value = tags.join('\n');
};

/** The tags typed: one a line (commas part them too), without a leading #, blanks dropped. */
const typed = () => input.value.split(/[\n,]/).map((x) => x.trim().replace(/^#+/, '').trim()).filter(Boolean);

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  clearFieldErrors(form);
  setStatus(status, t('admin-status-saving'));
  try {
    const r = await api('/api/v1/site/tags', { method: 'PUT', body: { tags: typed() } });
    show(r.tags);
    setStatus(status, t('categories-tags-saved', { count: r.tags.length }), 'ok');
  } catch (err) {
    if (err instanceof ApiError && err.status === 422 && err.details?.field === 'tags') {
      fieldError(form, 'tags', t('categories-tags-err'))?.focus();
      setStatus(status, t('admin-status-not-saved'), 'bad');
    } else {
      setStatus(status, failure(err), 'bad');
    }
  }
});

async function load() {
  setStatus(status, t('categories-tags-loading'));
  input.disabled = true;
  try {
    show((await api('/api/v1/site/tags')).tags ?? []);
    setStatus(status, '');
  } catch (err) {
    setStatus(status, failure(err), 'bad');
  } finally {
    input.disabled = false;
  }
}
load();
