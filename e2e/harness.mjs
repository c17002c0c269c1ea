// Shared by every browser test: start a real Sangdam (fresh SQLite file, demo site), launch
// the system Chromium through playwright-core, keep screenshots for CI artifacts, and fail
// every test in which a page (or a frame in it) reported a Content-Security-Policy violation.
// Below those, what several tests do as the people involved: a customer in the chat window, on
// the web chat's API or on KakaoTalk, and an agent in the console.
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

/**
 * Starts `sangdam serve --demo` on a free port with its own database (and `args`).
 * `beforeStart(databaseUrl)` runs first, with the database the server will open: the place for
 * `sangdam` commands that write to it (`operator create`), run while no server has it open.
 */
export async function startServer(args = [], { beforeStart } = {}) {
  const bin = process.env.SANGDAM_BIN;
  if (!bin) throw new Error('SANGDAM_BIN is not set (e2e/run.sh sets it)');
  const dir = mkdtempSync(join(tmpdir(), 'sangdam-e2e-'));
  const databaseUrl = join(dir, 'e2e.db');
  const prepared = beforeStart ? await beforeStart(databaseUrl) : undefined;
  const child = spawn(bin, ['serve', '--demo', '--listen', '127.0.0.1:0',
    '--database-url', databaseUrl, '--webchat-per-minute', '100000', '--sessions-per-minute', '100000',
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
    /** What `beforeStart` answered. */
    prepared,
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

/** Runs `run(s, browser)` with a server (started with `args` and `options`, as `startServer`
 * takes them) and a browser, both stopped after. */
export async function withServer(run, args = [], options = {}) {
  const s = await startServer(args, options);
  const browser = await launchBrowser();
  try {
    await run(s, browser);
  } finally {
    await browser.close();
    await s.stop();
  }
}

// --- The customer -----------------------------------------------------------------------------

/** A value for a v2 chat URL's `params=name=('value')`. */
const enc = (v) => encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The customer's chat window, opened by a v2 chat URL with these parameters. */
export async function chatWindow(browser, s, params) {
  const page = await (await browser.newContext({ locale: 'ko-KR', viewport: { width: 480, height: 800 } })).newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e));
  const list = Object.entries(params).map(([k, v]) => `${k}=('${enc(v)}')`).join(',');
  await page.goto(`${s.base}/chat/${s.siteId}?params=${list}`);
  await until(async () => {
    const text = await page.locator('#chat-status').textContent();
    return text && !text.includes('연결 중') && !text.includes('끊겼');
  }, 'the chat to connect');
  return page;
}

/** The chat window's message box. */
export const messageBox = (page) => page.getByRole('textbox', { name: '메시지' });

/** The customer writes `text` in the chat window and sends it with Enter. */
export async function write(page, text) {
  const input = messageBox(page);
  await input.fill(text);
  await input.press('Enter');
}

/** A web chat customer arriving by a v2 chat URL (over the API) with these parameters, then
 * writing `message` if given (the session then has its `consultation_id`). */
export async function webchatInflow(s, { uid, name, phone, p1, p2, message }) {
  const params = [];
  if (uid) params.push(`site_uid=('${uid}')`);
  if (name) params.push(`cus_extra_username=('${enc(name)}')`);
  if (phone) params.push(`cus_extra_phone=('${phone}')`);
  if (p1) params.push(`parameter1=('${enc(p1)}')`);
  if (p2) params.push(`parameter2=('${enc(p2)}')`);
  const url = `${s.base}/chat/${s.siteId}?params=${params.join(',')}`;
  const res = await fetch(`${s.base}/api/v1/webchat/${s.siteId}/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // Opening the chat opens no consultation: the first message does (or a start button).
    body: JSON.stringify({ url, channel: 'webchat_v2', ...(message ? {} : { start: true }) }),
  });
  assert.equal(res.status, 200, 'the chat session opens');
  const session = await res.json();
  if (message) session.consultation_id = (await customerSays(s, session, message)).consultation_id;
  return session;
}

/** The customer of a web chat `session` writes `body` (over the API): the stored message. */
export async function customerSays(s, session, body) {
  const res = await fetch(`${s.base}/api/v1/webchat/${s.siteId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-sangdam-visitor': session.visitor },
    body: JSON.stringify({ body, client_msg_id: `m-${Date.now()}-${Math.random()}` }),
  });
  assert.equal(res.status, 200, 'the customer message is stored');
  return res.json();
}

/** A KakaoTalk user's skill request, as Open Builder sends it, with the action's `params`: the
 * skill's answer. The user's plusfriend key is `pf-<user>` unless told. */
export async function kakaoSays(s, user, utterance, params = {}, { plusfriendUserKey = `pf-${user}` } = {}) {
  const r = await fetch(s.kakaoSkill, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      intent: { id: 'b1', name: '상담' },
      userRequest: {
        timezone: 'Asia/Seoul', params: { surface: 'Kakaotalk.plusfriend' }, block: { id: 'b1', name: '상담' },
        utterance, lang: 'ko',
        user: { id: user, type: 'botUserKey', properties: { plusfriendUserKey, isFriend: true } },
      },
      bot: { id: 'bot1', name: '쇼핑봇' },
      action: { id: 'a1', name: 'sangdam', params, detailParams: {}, clientExtra: {} },
      contexts: [],
    }),
  });
  assert.equal(r.status, 200);
  return r.json();
}

// --- The agent ----------------------------------------------------------------------------------

/** The browser context of the console and the admin pages: a desktop screen, in Korean. */
export const VIEWPORT = { viewport: { width: 1360, height: 900 }, locale: 'ko-KR' };

/** Waits until the console says it is connected (`text`, in the page's language) and, unless
 * `settle` is false, a moment more for it to have read its lists after connecting. */
export async function waitLive(page, { text = '실시간 연결됨', settle = true } = {}) {
  await until(async () => (await page.locator('#conn').textContent()) === text, 'the live connection');
  if (settle) await page.waitForTimeout(300);
}

/** The console in a context of its own, logged in through the form as `login` (the demo admin
 * unless told), with the page's script errors kept in `page.errors`. `init(context)` runs before
 * the page opens; `ready(page)` says when the console can be used (by default `waitLive`). */
export async function consoleOf(browser, s, { login = s.login, password = s.password, init, ready = waitLive } = {}) {
  const context = await browser.newContext(VIEWPORT);
  if (init) await init(context);
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e));
  await page.goto(`${s.base}/login`);
  await page.getByLabel('아이디', { exact: true }).fill(login);
  await page.getByLabel('비밀번호', { exact: true }).fill(password);
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await page.waitForURL(`${s.base}/console`);
  await ready(page);
  return page;
}

/** Opens the consultation of the list entry `item` (a Locator) and takes it; with `panel`, also
 * waits until the customer panel can be edited (it has read the customer's history). */
export async function takeFromQueue(page, item, { panel = false } = {}) {
  await item.waitFor({ timeout: 15_000 });
  await item.click();
  await page.getByRole('button', { name: '가져오기' }).click();
  await until(async () => /진행 중/.test(await page.locator('#room-state').textContent()), 'the consultation taken');
  await until(async () => !(await page.locator('#reply').isDisabled()), 'the reply box usable');
  if (panel) await until(async () => !(await page.locator('#flag').isDisabled()), 'the panel editable');
}
