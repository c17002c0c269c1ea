// An admin who opens the parameter page without a session logs in and lands back on it; the
// console offers the way to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser } from '../harness.mjs';

test('login returns to the page that asked for it; the console links to parameter management', async () => {
  const s = await startServer();
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext({ locale: 'ko-KR' })).newPage();
    await page.goto(`${s.base}/admin/parameters`);
    await page.waitForURL(/\/login\?next=/);
    await page.getByLabel('아이디', { exact: true }).fill(s.login);
    await page.getByLabel('비밀번호', { exact: true }).fill(s.password);
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    await page.waitForURL(`${s.base}/admin/parameters`);
    assert.ok(await page.getByRole('heading', { level: 1 }).isVisible());

    await page.goto(`${s.base}/console`);
    await page.getByRole('link', { name: '파라미터 관리' }).click();
    await page.waitForURL(`${s.base}/admin/parameters`);
  } finally {
    await browser.close();
    await s.stop();
  }
});
