// Auto-close: the admin sets the rules on the hours page; an agent answers and the customer
// goes quiet: the chat window reads the warning first, then the closing message, and the
// console shows the consultation closed. A held consultation stays open. The server runs the
// rules with two-second minutes (`--auto-close-minute-ms`), so "4 minutes" pass in 8 seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, screenshot, until } from '../harness.mjs';

const q = (v) => `('${encodeURIComponent(v)}')`;

async function login(browser, s) {
  const page = await (await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'ko-KR' })).newPage();
  await page.goto(`${s.base}/login`);
  await page.getByLabel('아이디', { exact: true }).fill(s.login);
  await page.getByLabel('비밀번호', { exact: true }).fill(s.password);
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await page.waitForURL(`${s.base}/console`);
  return page;
}

async function customerWrites(browser, s, name, text) {
  const page = await (await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'ko-KR' })).newPage();
  await page.goto(`${s.base}/chat/${s.siteId}?params=cus_extra_username=${q(name)}`);
  await until(async () => (await page.locator('#chat-status').textContent()) === '연결됨', 'the chat window connected');
  const input = page.getByRole('textbox', { name: '메시지' });
  await input.fill(text);
  await input.press('Enter');
  return page;
}

async function takeAndAnswer(agent, name, text) {
  await agent.getByRole('tab', { name: /대기/ }).click();
  const item = agent.locator('#items').getByRole('button', { name: new RegExp(name) });
  await item.waitFor({ timeout: 15000 });
  await item.click();
  await agent.getByRole('button', { name: '가져오기' }).click();
  await until(async () => /진행 중/.test(await agent.locator('#room-state').textContent()), 'the consultation taken');
  const reply = agent.getByRole('textbox', { name: '답장' });
  await reply.fill(text);
  await reply.press('Enter');
}

test('an idle consultation is warned, then closes by itself; a held one stays open', async () => {
  const s = await startServer(['--auto-close-minute-ms', '2000']);
  const browser = await launchBrowser();
  try {
    const errors = [];
    const agent = await login(browser, s);
    agent.on('pageerror', (e) => errors.push(e));

    // The admin sets the rules: close after 4 minutes without an answer, warn 2 before.
    await agent.goto(`${s.base}/admin/hours`);
    await agent.getByRole('heading', { name: '자동 종료' }).waitFor();
    // The rules are read after the page loads: wait for them before reading the form.
    await agent.locator('#auto-close-note')
      .filter({ hasText: '아직 저장하지 않아 기본값(고객 무응답 30분)으로 종료합니다.' }).waitFor();
    assert.equal(await agent.getByRole('switch', { name: '고객 무응답 시 자동 종료' }).isChecked(), true);
    const minutes = agent.getByLabel('고객 무응답 시 자동 종료 (분)');
    assert.equal(await minutes.inputValue(), '30');
    // A warning as long as the close is refused beside its field.
    await agent.getByRole('switch', { name: '종료 전 예고' }).check();
    await agent.getByLabel('종료 전 예고 (분)').fill('30');
    await agent.getByRole('button', { name: '자동 종료 저장' }).click();
    await agent.locator('#close-warning-error').filter({ hasText: '예고는 켜 둔 자동 종료 시간보다 짧아야' }).waitFor();
    await minutes.fill('4');
    await agent.getByLabel('종료 전 예고 (분)').fill('2');
    await agent.getByRole('button', { name: '자동 종료 저장' }).click();
    await agent.locator('#auto-close-status').filter({ hasText: '저장했습니다' }).waitFor();
    await screenshot(agent, 'auto-close-settings');
    const saved = (await s.api('/api/v1/site/auto-close')).json;
    assert.deepEqual(saved, { customer_idle_minutes: 4, agent_idle_minutes: null, warning_minutes: 2, saved: true, max_minutes: 10080 });

    // Two customers write; the agent answers both and holds the second.
    const quiet = await customerWrites(browser, s, '조용한고객', '배송 문의드립니다');
    const held = await customerWrites(browser, s, '보류고객', '환불 문의드립니다');
    await agent.goto(`${s.base}/console`);
    await takeAndAnswer(agent, '보류고객', '확인 후 다시 연락드리겠습니다.');
    const hold = agent.getByRole('switch', { name: '자동 종료 보류' });
    assert.equal(await hold.isChecked(), false);
    await hold.check();
    await until(async () => (await agent.locator('#room-notice').textContent()).includes('보류했습니다'), 'the hold confirmed');
    await takeAndAnswer(agent, '조용한고객', '주문번호를 알려주시겠어요?');
    await until(async () => (await quiet.locator('#messages').innerText()).includes('주문번호를 알려주시겠어요?'),
      'the answer in the chat window');

    // The customer says nothing: first the warning, then the close.
    await until(async () => (await quiet.locator('#messages').innerText()).includes('2분 동안 답변이 없으면 상담이 자동으로 종료됩니다.'),
      'the warning', 20000);
    assert.ok(!(await quiet.locator('#messages').innerText()).includes('자동으로 종료되었습니다'), 'warned before the close');
    await screenshot(quiet, 'auto-close-warning');
    await until(async () => (await quiet.locator('#messages').innerText()).includes('4분 동안 답변이 없어 상담이 자동으로 종료되었습니다.'),
      'the closing message', 20000);
    const text = await quiet.locator('#messages').innerText();
    assert.ok(text.indexOf('자동으로 종료됩니다') < text.indexOf('자동으로 종료되었습니다'), 'the warning came first');
    await screenshot(quiet, 'auto-close-closed');
    await until(async () => /종료/.test(await agent.locator('#room-state').textContent()), 'the console shows it closed');
    const closed = (await s.api('/api/v1/consultations?state=closed')).json;
    assert.ok(JSON.stringify(closed).includes('"auto_close"'), 'closed as auto_close');

    // The held consultation is still open, its customer told nothing.
    assert.ok(!(await held.locator('#messages').innerText()).includes('자동으로 종료'), 'the held one was not warned');
    const open = (await s.api('/api/v1/consultations?state=in_progress')).json;
    assert.equal(JSON.stringify(open).match(/"hold":true/g)?.length, 1, 'one held consultation still in progress');
    assert.deepEqual(errors, [], 'the pages threw no script errors');
  } finally {
    await browser.close();
    await s.stop();
  }
});
