// Accounts, used as a site's admin would: open the accounts page from the console, add an agent
// (a bad login refused beside its field, a taken one too), read the password shown once, and
// log in as the new agent with it. An agent who opens the page is told it is the admin's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, logIn, screenshot, until } from '../harness.mjs';

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

test('the admin manages an account from its row: a new role, a new password, deactivated while its console is open', async () => {
  const s = await startServer();
  const browser = await launchBrowser();
  try {
    await s.api('/api/v1/agents', {
      method: 'POST',
      body: { login: 'lee.agent', display_name: '이상담', password: 'lee-password-1' },
    });
    const options = { viewport: { width: 1280, height: 900 }, locale: 'ko-KR' };
    const page = await (await browser.newContext(options)).newPage();
    const theirs = await (await browser.newContext(options)).newPage();
    const errors = [];
    for (const p of [page, theirs]) p.on('pageerror', (e) => errors.push(e));
    const live = async () => {
      await theirs.goto(`${s.base}/console`);
      await until(async () => (await theirs.locator('#conn').textContent()) === '실시간 연결됨', 'the agent\'s console live');
    };
    await logIn(theirs, s, 'lee.agent', 'lee-password-1');
    await live();

    await logIn(page, s);
    await page.goto(`${s.base}/admin/agents`);
    const row = page.locator('#account-rows tr', { hasText: 'lee.agent' });
    const dialog = page.locator('#manage-dialog');
    await row.getByRole('button', { name: '이상담 계정 관리' }).click();
    await dialog.getByRole('heading', { name: '이상담 계정 관리' }).waitFor();

    // A manager now: the row says so, and the agent's open console reloads as a manager's.
    await dialog.getByLabel('역할').selectOption('manager');
    await dialog.getByRole('button', { name: '이름과 역할 저장' }).click();
    await dialog.locator('#manage-status').filter({ hasText: '저장했습니다.' }).waitFor();
    assert.equal((await row.locator('.account-role').innerText()).trim(), '매니저');
    await theirs.locator('.who').filter({ hasText: '매니저' }).waitFor();

    // A new password, shown once: the agent's console is logged out; the new one works.
    await dialog.getByRole('button', { name: '새 비밀번호 만들기' }).click();
    await dialog.locator('#manage-new-password').waitFor();
    const password = (await dialog.locator('#manage-password').innerText()).trim();
    assert.ok(password.length >= 10, `a generated password is shown: ${password}`);
    await theirs.waitForURL(/\/login/);
    await logIn(theirs, s, 'lee.agent', password);
    await live();

    // Deactivated after a confirmation: the row is marked, the console is logged out, and a
    // login is told why.
    await dialog.getByRole('button', { name: '비활성화', exact: true }).click();
    await dialog.locator('#manage-confirm').filter({ hasText: '이 계정을 비활성화할까요?' }).waitFor();
    await screenshot(page, 'accounts-deactivate-confirm');
    await dialog.getByRole('button', { name: '네, 비활성화합니다' }).click();
    await dialog.locator('#manage-status').filter({ hasText: '비활성화했습니다.' }).waitFor();
    await row.locator('.badge.off').filter({ hasText: '비활성' }).waitFor();
    await theirs.waitForURL(/\/login/);
    await theirs.locator('#login').fill('lee.agent');
    await theirs.locator('#password').fill(password);
    await theirs.locator('form[action="/login"] button[type="submit"]').click();
    await theirs.locator('#login-error').filter({ hasText: '비활성화된 계정입니다' }).waitFor();

    // Let in again: the same password works.
    await dialog.getByRole('button', { name: '다시 활성화' }).click();
    await dialog.locator('#manage-status').filter({ hasText: '다시 활성화했습니다.' }).waitFor();
    assert.equal(await row.locator('.badge.off').count(), 0);
    await dialog.getByRole('button', { name: '닫기' }).click();
    await logIn(theirs, s, 'lee.agent', password);
    await live();

    // After a reload the page shows the account as stored.
    await page.reload();
    assert.match(await row.innerText(), /lee\.agent\s+이상담\s+매니저/);
    assert.deepEqual(errors, [], 'the pages threw no script errors');
  } finally {
    await browser.close();
    await s.stop();
  }
});
