// Login sessions and the audit log, used as a site's admin would: logged in on two browsers,
// the admin opens "로그인 세션" on one, sees both (this one marked), ends the other's session
// after confirming, and the other's console lands on the login page at once. The audit log
// then shows that session's end under the admin's name when filtered by its action.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, logIn, screenshot, until } from '../harness.mjs';

const WINDOWS_CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) '
  + 'Chrome/131.0.0.0 Safari/537.36';
const MAC_WHALE = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) '
  + 'Chrome/130.0.0.0 Whale/4.29.282.14 Safari/537.36';

test('the admin ends another browser\'s session, which is logged out; the audit log shows it', async () => {
  const s = await startServer();
  const browser = await launchBrowser();
  try {
    const admin = (await s.api('/api/v1/agents')).json.agents.find((a) => a.login === s.login);
    const options = { viewport: { width: 1280, height: 900 }, locale: 'ko-KR' };
    const a = await (await browser.newContext({ ...options, userAgent: WINDOWS_CHROME })).newPage();
    const b = await (await browser.newContext({ ...options, userAgent: MAC_WHALE })).newPage();
    const errors = [];
    for (const page of [a, b]) page.on('pageerror', (e) => errors.push(e));
    await logIn(a, s);
    await logIn(b, s);
    await b.goto(`${s.base}/console`);
    await until(async () => (await b.locator('#conn').textContent()) === '실시간 연결됨', 'B\'s console live');

    // A opens its sessions from the console: both browsers, this one marked.
    await a.goto(`${s.base}/console`);
    await a.getByRole('link', { name: '로그인 세션' }).click();
    await a.getByRole('heading', { level: 1, name: '로그인 세션' }).waitFor();
    const mine = a.locator('#mine-rows tr[data-session]');
    await until(async () => (await mine.count()) === 2, 'two sessions listed');
    const here = mine.filter({ hasText: '이 기기' });
    assert.equal(await here.count(), 1, 'one row is this device');
    assert.match(await here.innerText(), /Chrome · Windows/);
    assert.equal(await here.getByRole('button').innerText(), '로그아웃');
    const there = mine.filter({ hasText: 'Whale · macOS' });
    assert.equal(await there.count(), 1);
    assert.doesNotMatch(await there.innerText(), /이 기기/);
    assert.equal(await there.locator('[title]').getAttribute('title'), MAC_WHALE, 'the whole user agent as a tooltip');
    assert.match(await a.locator('#mine-status').textContent(), /세션 2개/);
    // The admin also sees every account's sessions, with the account.
    const everyone = a.locator('#everyone-rows tr[data-session]');
    await until(async () => (await everyone.count()) === 2, 'every account\'s sessions listed');
    assert.match(await everyone.first().innerText(), new RegExp(s.login));
    await screenshot(a, 'sessions-two-browsers');

    // End B's session, confirming.
    const asked = [];
    a.on('dialog', (d) => { asked.push(d.message()); d.accept(); });
    await there.getByRole('button', { name: /^Whale · macOS .*세션 종료$/ }).click();
    await a.locator('#mine-status').filter({ hasText: '세션을 종료했습니다.' }).waitFor();
    assert.equal(asked.length, 1);
    assert.match(asked[0], /Whale · macOS.*종료할까요/);
    await until(async () => (await mine.count()) === 1, 'the ended session gone from the list');
    await until(async () => (await everyone.count()) === 1, 'and from every account\'s');
    assert.equal(await a.locator('#end-others').isDisabled(), true, 'no other session is left to end');

    // B's console is closed and goes to the login page; its login no longer opens anything.
    await b.waitForURL(/\/login/);
    await b.goto(`${s.base}/account/sessions`);
    await b.waitForURL(/\/login\?next=/);
    assert.equal(new URL(b.url()).searchParams.get('next'), '/account/sessions');

    // The audit log, filtered by that action, names the admin.
    await a.getByRole('link', { name: '감사 로그' }).click();
    await a.getByRole('heading', { level: 1, name: '감사 로그' }).waitFor();
    await a.locator('#audit-status').filter({ hasText: /항목 \d+개/ }).waitFor();
    await a.getByLabel('작업', { exact: true }).selectOption({ label: '세션 종료' });
    await a.locator('#audit-status').filter({ hasText: '항목 1개를 보여 줍니다.' }).waitFor();
    const entries = a.locator('#audit-rows tr[data-entry]');
    assert.equal(await entries.count(), 1);
    const cells = await entries.first().locator('th, td').allInnerTexts();
    assert.equal(cells[1], admin.display_name, 'the account that acted');
    assert.equal(cells[2], '세션 종료');
    assert.match(cells[3], /^세션 #\d+$/);
    assert.match(cells[4], /device: Whale · macOS/);
    assert.equal(await a.locator('#audit-more').isVisible(), false, 'no older entries');
    await screenshot(a, 'audit-session-ended');

    // Another action with no entries says so.
    await a.getByLabel('작업', { exact: true }).selectOption({ label: '휴일 가져오기' });
    await a.locator('#audit-status').filter({ hasText: '조건에 맞는 항목이 없습니다.' }).waitFor();
    assert.equal(await entries.count(), 0);
    assert.deepEqual(errors, [], 'the pages threw no script errors');
  } finally {
    await browser.close();
    await s.stop();
  }
});

test('a person changes their own password on the sessions page; a wrong current one is said beside its field', async () => {
  const s = await startServer();
  const browser = await launchBrowser();
  try {
    await s.api('/api/v1/agents', {
      method: 'POST',
      body: { login: 'kim.agent', display_name: '김상담', password: 'kim-password-1' },
    });
    const options = { viewport: { width: 1280, height: 900 }, locale: 'ko-KR' };
    const page = await (await browser.newContext(options)).newPage();
    const other = await (await browser.newContext(options)).newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    await logIn(other, s, 'kim.agent', 'kim-password-1');
    await logIn(page, s, 'kim.agent', 'kim-password-1');
    await page.goto(`${s.base}/account/sessions`);
    const form = page.locator('#password-form');
    await form.getByLabel('지금 비밀번호').fill('not-my-password');
    await form.getByLabel('새 비밀번호', { exact: true }).fill('kim-password-2');
    await form.getByLabel('새 비밀번호 확인').fill('kim-password-3');
    await form.getByRole('button', { name: '비밀번호 변경' }).click();
    await page.locator('#repeat-password-error').filter({ hasText: '새 비밀번호와 확인이 다릅니다.' }).waitFor();

    await form.getByLabel('새 비밀번호 확인').fill('kim-password-2');
    await form.getByRole('button', { name: '비밀번호 변경' }).click();
    await page.locator('#current-password-error').filter({ hasText: '지금 비밀번호가 맞지 않습니다.' }).waitFor();
    assert.equal(await form.getByLabel('지금 비밀번호').getAttribute('aria-invalid'), 'true');

    await form.getByLabel('지금 비밀번호').fill('kim-password-1');
    await form.getByRole('button', { name: '비밀번호 변경' }).click();
    await page.locator('#password-status').filter({ hasText: '비밀번호를 바꿨습니다.' }).waitFor();
    assert.equal(await form.getByLabel('지금 비밀번호').inputValue(), '', 'the form is emptied');
    // The other browser's session ended; this one goes on; the new password logs in.
    await until(async () => (await page.locator('#mine-rows tr[data-session]').count()) === 1, 'one session left');
    await other.goto(`${s.base}/console`);
    await other.waitForURL(/\/login/);
    await logIn(other, s, 'kim.agent', 'kim-password-2');
    assert.deepEqual(errors, [], 'the page threw no script errors');
  } finally {
    await browser.close();
    await s.stop();
  }
});
