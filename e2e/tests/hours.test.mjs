// Business hours, used as people use them: the admin opens the hours page from the console,
// sets 09:00–18:00 for every day, registers today and tomorrow (in Seoul) as holidays, sees a
// bad time zone refused beside its field, and saves; the automatic greeting refuses a variable
// it may not use. A customer who then writes in the chat window is outside the hours and reads
// the off-hours message naming when the desk opens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, logIn, screenshot, until } from '../harness.mjs';

const TIMEOUT = { timeout: 180_000 };

/** The local date in Seoul `days` from now, as `YYYY-MM-DD`. */
function seoulDate(days = 0) {
  const at = new Date(Date.now() + days * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul' }).format(at);
}

test('the admin sets hours and holidays; a customer outside them hears when the desk opens', TIMEOUT, async () => {
  const s = await startServer();
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    await logIn(page, s);
    await page.goto(`${s.base}/console`);
    await page.getByRole('link', { name: '운영 시간 · 자동 메시지' }).click();
    await page.getByRole('heading', { level: 1, name: '운영 시간 · 자동 메시지' }).waitFor();
    await page.locator('#hours-note').filter({ hasText: '24시간 상담' }).waitFor();
    assert.equal(await page.getByLabel('시간대').inputValue(), 'Asia/Seoul');

    // Every day 09:00–18:00 (choosing "set hours" offers one range to edit).
    for (const day of ['weekdays', 'saturday', 'sunday']) {
      const fieldset = page.locator(`#day-${day}`);
      await fieldset.getByLabel('시간 지정').check();
      await fieldset.locator('input[data-end=from]').fill('09:00');
      await fieldset.locator('input[data-end=to]').fill('18:00');
    }
    // A second range that overlaps the first on weekdays is refused beside the weekdays.
    const weekdays = page.locator('#day-weekdays');
    await weekdays.getByRole('button', { name: '시간 추가' }).click();
    await weekdays.locator('input[data-end=from]').nth(1).fill('17:00');
    await weekdays.locator('input[data-end=to]').nth(1).fill('20:00');
    await page.getByRole('button', { name: '운영 시간 저장' }).click();
    await page.locator('#day-weekdays-error').filter({ hasText: '시간이 서로 겹칩니다' }).waitFor();
    await weekdays.getByRole('button', { name: /2번째 시간 삭제/ }).click();

    // A time zone that does not exist is refused beside its field.
    await page.getByLabel('시간대').fill('Asia/Nowhere');
    await page.getByRole('button', { name: '운영 시간 저장' }).click();
    await page.locator('#time-zone-error').filter({ hasText: '알 수 없는 시간대' }).waitFor();
    assert.equal(await page.getByLabel('시간대').getAttribute('aria-invalid'), 'true');
    await page.getByLabel('시간대').fill('Asia/Seoul');

    // Today and tomorrow are holidays (two, so that a test run across midnight in Seoul still
    // finds today closed).
    for (const [date, name] of [[seoulDate(0), '임시 휴무'], [seoulDate(1), '임시 휴무 둘째 날']]) {
      await page.getByLabel('날짜', { exact: true }).fill(date);
      await page.getByLabel('이름', { exact: true }).fill(name);
      await page.getByRole('button', { name: '휴일 추가' }).click();
      await page.locator(`#holiday-list li[data-date="${date}"]`).waitFor();
    }
    await page.getByRole('button', { name: '운영 시간 저장' }).click();
    await page.locator('#hours-status').filter({ hasText: '저장했습니다' }).waitFor();
    await screenshot(page, 'hours-saved');

    const saved = (await s.api('/api/v1/site/hours')).json;
    assert.equal(saved.saved, true);
    assert.deepEqual(saved.hours.weekdays, { kind: 'ranges', ranges: [{ from: '09:00', to: '18:00' }] });
    assert.deepEqual(saved.hours.holidays.map((h) => h.date), [seoulDate(0), seoulDate(1)].sort());
    assert.equal(saved.hours.holidays[0].schedule.kind, 'off');

    // After a reload the page shows what was stored.
    await page.reload();
    await page.locator(`#holiday-list li[data-date="${seoulDate(0)}"]`).waitFor();
    assert.equal(await page.locator('#day-weekdays input[data-end=from]').inputValue(), '09:00');

    // The greeting may not name the next opening: refused beside its text, naming it.
    const greeting = page.locator('#message-greeting');
    await greeting.fill('[counselor_name]입니다. [next_opening]');
    await page.getByRole('button', { name: '자동 메시지 저장' }).click();
    await page.locator('#message-greeting-error').filter({ hasText: '[next_opening]' }).waitFor();
    assert.equal(await greeting.getAttribute('aria-invalid'), 'true');
    await greeting.fill('안녕하세요, [counselor_name]입니다.');
    await page.getByRole('button', { name: '자동 메시지 저장' }).click();
    await page.locator('#messages-status').filter({ hasText: '저장했습니다' }).waitFor();
    assert.deepEqual(errors, [], 'the page threw no script errors');

    // A customer writes now: outside the hours, they read when the desk opens.
    const customer = await (await browser.newContext({ viewport: { width: 390, height: 760 }, locale: 'ko-KR' })).newPage();
    const customerErrors = [];
    customer.on('pageerror', (e) => customerErrors.push(e));
    await customer.goto(`${s.base}/chat/${s.siteId}`);
    await until(async () => (await customer.locator('#chat-status').textContent()) === '연결됨', 'the chat window connected');
    await customer.getByRole('textbox', { name: '메시지' }).fill('지금 상담되나요?');
    await customer.keyboard.press('Enter');
    await until(async () => /지금은 상담 시간이 아닙니다\.\s*\S.*오전 9시부터 상담이 가능합니다\./
      .test(await customer.locator('#messages').innerText()), 'the off-hours message with the next opening');
    await screenshot(customer, 'hours-chat-off-hours');
    assert.deepEqual(customerErrors, [], 'the chat window threw no script errors');
  } finally {
    await browser.close();
    await s.stop();
  }
});
