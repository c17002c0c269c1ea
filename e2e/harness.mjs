// Shared by every browser test: start a real Sangdam (fresh SQLite file, demo site), launch
// the system Chromium through playwright-core, keep screenshots for CI artifacts, and fail
// every test in which a page (or a frame in it) reported a Content-Security-Policy violation.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'node:test';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const SCREENSHOTS = join(here, 'screenshots');

/** Starts `sangdam serve --demo` on a free port with its own database (and `args`). */
export async function startServer(args = []) {
  const bin = process.env.SANGDAM_BIN;
  if (!bin) throw new Error('SANGDAM_BIN is not set (e2e/run.sh sets it)');
  const dir = mkdtempSync(join(tmpdir(), 'sangdam-e2e-'));
  const child = spawn(bin, ['serve', '--demo', '--listen', '127.0.0.1:0',
    '--database-url', join(dir, 'e2e.db'), '--webchat-per-minute', '100000', '--sessions-per-minute', '100000',
    ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SANGDAM_LOG: 'warn' },
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const info = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}\n${err}`)), 30000);
    child.on('exit', (code) => reject(new Error(`server exited ${code}:\n${out}\n${err}`)));
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[^\s]+)/);
      if (m) {
        clearTimeout(timer);
        resolve({
          base: m[1],
          siteId: Number(out.match(/Demo site (\d+)/)[1]),
          login: out.match(/Console login:\s+(\S+) \/ (\S+)/)[1],
          password: out.match(/Console login:\s+(\S+) \/ (\S+)/)[2],
          token: out.match(/API token:\s+(\S+)/)[1],
          secret: out.match(/Site secret:\s+(\S+)/)[1],
          // The messenger webhook URLs, with the site's channel keys.
          kakaoSkill: out.match(/Kakao skill:\s+POST (\S+)/)[1],
          naverWebhook: out.match(/Naver:\s+POST (\S+)/)[1],
        });
      }
    });
  });
  return {
    ...info,
    /** Calls the JSON API as the demo admin. */
    async api(path, { method = 'GET', body } = {}) {
      const res = await fetch(info.base + path, {
        method,
        headers: { authorization: `Bearer ${info.token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : null };
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// --- Content-Security-Policy violations -------------------------------------------------------

/** What the pages of this test reported: Chromium's console lines about the policy. */
const violations = [];
/** Violations the running test provokes on purpose (a frame it expects to be refused). */
let expected = [];

/** Every violation reported so far in this test (to check that an expected one happened). */
export function cspViolations() {
  return [...violations];
}

/** Lets the running test provoke violations matching `pattern` (a RegExp). */
export function expectViolation(pattern) {
  expected.push(pattern);
}

// Sangdam's pages run under a policy without 'unsafe-inline': an inline script, style or event
// handler, an eval, a connection elsewhere would be blocked and break the page, and Chromium
// reports each on the console (and as a `securitypolicyviolation` event, logged below with
// where it came from). Any such report fails the test it happened in.
afterEach(() => {
  const found = violations.splice(0);
  const allowed = expected;
  expected = [];
  const unexpected = found.filter((v) => !allowed.some((p) => p.test(v)));
  assert.deepEqual(unexpected, [], 'no page reported a Content-Security-Policy violation');
});

/** Records the policy reports of every page and frame of `context`. */
async function watchPolicy(context) {
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}`
        + ` in ${e.documentURI} (${e.sourceFile || '?'}:${e.lineNumber})`);
    });
  });
  context.on('console', (msg) => {
    const text = msg.text();
    if (/Content Security Policy|CSP violation/i.test(text)) {
      violations.push(`${msg.location()?.url || msg.page()?.url() || '?'}: ${text}`);
    }
  });
}

/** The system Chromium, headless, without the network chatter this machine refuses. Every
 * context and page it opens has its policy reports recorded. */
export async function launchBrowser() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await watchPolicy(context);
    return context;
  };
  browser.newPage = async (options) => (await browser.newContext(options)).newPage();
  return browser;
}

/** Logs in through the login form as a person does (the site's admin unless told otherwise). */
export async function logIn(page, s, login = s.login, password = s.password) {
  await page.goto(`${s.base}/login`);
  await page.locator('#login').fill(login);
  await page.locator('#password').fill(password);
  await page.locator('form[action="/login"] button[type="submit"]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** Saves a full-page screenshot as e2e/screenshots/<name>.png. */
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Polls `fn` until it returns a truthy value (returned) or fails after `ms` with `what`. */
export async function until(fn, what, ms = 15_000) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${last})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
