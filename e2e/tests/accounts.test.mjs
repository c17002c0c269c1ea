// Accounts, used as a site's admin would: open the accounts page from the console, add an agent
// (a bad login refused beside its field, a taken one too), read the password shown once, and
// log in as the new agent with it. An agent who opens the page is told it is the admin's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, logIn, screenshot } from '../harness.mjs';

test('an admin adds an agent, who logs in with the password shown once', async () => {
  const s = await startServer();
  const browser = await launchBrowser();
  try {
    const admin = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ko-KR' });
    const page = await admin.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    await logIn(page, s);
    await page.goto(`${s.base}/console`);
    await page.getByRole('link', { name: '계정 관리' }).click();
    await page.getByRole('heading', { level: 1, name: '계정 관리' }).waitFor();
    const rows = page.locator('#account-rows tr');
    const before = await rows.count();
    assert.ok(before >= 1, 'the admin is listed');
    assert.match(await rows.first().innerText(), new RegExp(s.login));

    // A login that starts with a dot: refused beside the field, in Korean, nothing created.
    await page.getByLabel('로그인 ID').fill('.kim');
    await page.getByLabel('이름 (상담 화면에 보이는 이름)').fill('김상담');
    await page.getByRole('button', { name: '계정 만들기' }).click();
    await page.locator('#new-login-error').filter({ hasText: '영문이나 숫자로 시작' }).waitFor();
    assert.equal(await page.getByLabel('로그인 ID').getAttribute('aria-invalid'), 'true');
    assert.equal(await rows.count(), before);
    assert.equal(await page.locator('#created').isVisible(), false);

    await page.getByLabel('로그인 ID').fill('kim.agent');
    await page.getByRole('button', { name: '계정 만들기' }).click();
    await page.locator('#created').waitFor();
    assert.match(await page.locator('#created-note').innerText(), /한 번만/);
    assert.equal(await page.locator('#created-login').innerText(), 'kim.agent');
    const password = (await page.locator('#created-password').innerText()).trim();
    assert.ok(password.length >= 10, `a generated password is shown: ${password}`);
    assert.equal(await page.locator('#created-token').isVisible(), false, 'no token was asked for');
    assert.equal(await rows.count(), before + 1);
    assert.match(await rows.last().innerText(), /kim\.agent\s+김상담\s+상담원/);
    assert.equal(await page.getByLabel('로그인 ID').inputValue(), '', 'the form is ready for the next');
    await screenshot(page, 'accounts-created');

    // The same login again: refused as taken.
    await page.getByLabel('로그인 ID').fill('kim.agent');
    await page.getByLabel('이름 (상담 화면에 보이는 이름)').fill('다른 사람');
    await page.getByRole('button', { name: '계정 만들기' }).click();
    await page.locator('#new-login-error').filter({ hasText: '이미 쓰이는 로그인 ID' }).waitFor();
    assert.equal(await rows.count(), before + 1);

    // After a reload the account is still there: it was stored, not only drawn.
    await page.reload();
    assert.match(await page.locator('#account-rows').innerText(), /kim\.agent/);
    assert.deepEqual(errors, [], 'the page threw no script errors');

    // The new agent logs in with that password and reaches the console under their name; the
    // accounts page tells them it is the admin's.
    const agent = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ko-KR' });
    const theirs = await agent.newPage();
    await logIn(theirs, s, 'kim.agent', password);
    await theirs.goto(`${s.base}/console`);
    await theirs.locator('.who').filter({ hasText: '김상담' }).waitFor();
    assert.equal(await theirs.getByRole('link', { name: '계정 관리' }).count(), 0, 'no link for agents');
    const res = await theirs.goto(`${s.base}/admin/agents`);
    assert.equal(res.status(), 403);
    await theirs.getByRole('heading', { name: '권한이 없습니다' }).waitFor();
  } finally {
    await browser.close();
    await s.stop();
  }
});

test('without a login the accounts page sends people to log in', async () => {
  const s = await startServer();
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await page.goto(`${s.base}/admin/agents`);
    await page.waitForURL((u) => u.pathname === '/login');
    assert.equal(new URL(page.url()).searchParams.get('next'), '/admin/agents');
  } finally {
    await browser.close();
    await s.stop();
  }
});
