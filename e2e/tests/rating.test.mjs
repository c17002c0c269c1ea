// Satisfaction ratings: once an agent has answered and closed the consultation, the customer's
// chat window offers 1 to 5 stars and a comment; the agent sees the rating in the console.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, screenshot, until } from '../harness.mjs';

const q = (v) => `('${encodeURIComponent(v)}')`;

test('the customer rates the consultation 4 stars with a comment and the agent sees it', async () => {
  const s = await startServer();
  const browser = await launchBrowser();
  try {
    const customer = await (await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'ko-KR' })).newPage();
    const errors = [];
    customer.on('pageerror', (e) => errors.push(e));
    await customer.goto(`${s.base}/chat/${s.siteId}?params=cus_extra_username=${q('박평가')}`);
    await customer.getByRole('heading', { name: /Sangdam 데모 쇼핑몰/ }).waitFor();
    const input = customer.getByRole('textbox', { name: '메시지' });
    await input.fill('교환 신청했는데 확인 부탁드려요');
    await input.press('Enter');

    // The agent at the console takes it, answers and closes it.
    const agent = await (await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'ko-KR' })).newPage();
    agent.on('pageerror', (e) => errors.push(e));
    await agent.goto(`${s.base}/login`);
    await agent.getByLabel('아이디', { exact: true }).fill(s.login);
    await agent.getByLabel('비밀번호', { exact: true }).fill(s.password);
    await agent.getByRole('button', { name: '로그인', exact: true }).click();
    await agent.waitForURL(`${s.base}/console`);
    const item = agent.locator('#items').getByRole('button', { name: /박평가/ });
    await item.waitFor({ timeout: 15000 });
    await item.click();
    await agent.getByRole('button', { name: '가져오기' }).click();
    await until(async () => /진행 중/.test(await agent.locator('#room-state').textContent()), 'the consultation taken');
    const reply = agent.getByRole('textbox', { name: '답장' });
    await reply.fill('교환 접수 확인했습니다. 내일 발송됩니다.');
    await reply.press('Enter');
    await until(async () => (await customer.locator('#messages').textContent()).includes('내일 발송됩니다'),
      'the answer in the chat window');
    assert.ok(await agent.locator('#room-rating').isHidden(), 'no rating before the end');
    await agent.getByRole('button', { name: '상담 종료' }).click();
    await agent.getByRole('dialog', { name: '이 상담을 종료할까요?' }).getByRole('button', { name: '종료', exact: true }).click();

    // The window offers the rating; sending without stars asks for them first.
    await customer.getByRole('group', { name: '상담은 어떠셨나요?' }).waitFor({ timeout: 15000 });
    await customer.getByRole('button', { name: '평가 보내기' }).click();
    await until(async () => (await customer.locator('#chat-rating-status').textContent()).includes('먼저 별 1~5개'),
      'asked to choose stars');
    await customer.getByRole('radio', { name: '5점 만점에 4점' }).check();
    assert.equal(await customer.locator('.chat-stars label.on').count(), 4, 'four stars filled');
    await customer.getByRole('textbox', { name: '남기실 말씀 (선택)' }).fill('빠르게 처리해 주셔서 좋았어요');
    await screenshot(customer, 'rating-chat-window');
    await customer.getByRole('button', { name: '평가 보내기' }).click();
    await until(async () => (await customer.locator('#chat-rating').textContent())
      .includes('이 상담을 5점 만점에 4점으로 평가해 주셔서 감사합니다.'), 'the thanks');
    assert.equal(await customer.getByRole('group', { name: '상담은 어떠셨나요?' }).count(), 0, 'the form is gone');

    // The agent's console shows it on the consultation, live.
    await until(async () => !(await agent.locator('#room-rating').isHidden()), 'the rating in the console');
    const shown = await agent.locator('#room-rating').textContent();
    assert.match(shown, /★★★★☆/);
    assert.match(shown, /고객 만족도 5점 만점에 4점/);
    assert.match(shown, /빠르게 처리해 주셔서 좋았어요/);
    await screenshot(agent, 'rating-console');

    // A reload of the window (ready for a new consultation, the conversation above) does not
    // offer it again.
    await customer.reload();
    await until(async () => (await customer.locator('#messages').textContent()).includes('내일 발송됩니다'),
      'the conversation after the reload');
    await customer.waitForTimeout(500);
    assert.equal(await customer.getByRole('group', { name: '상담은 어떠셨나요?' }).count(), 0, 'not offered twice');
    assert.deepEqual(errors, [], 'the pages threw no script errors');
  } finally {
    await browser.close();
    await s.stop();
  }
});
