// The whole story with two people in two browsers: a customer opens a chat URL carrying who
// they are and where they came from, and writes; an agent logs in, takes it, finds every value
// where it belongs, and answers; the customer reads the answer. Then the same customer arrives
// on Kakao and the agent sees one profile with both channels' history.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, screenshot } from '../harness.mjs';

async function until(fn, what, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if (await fn()) return;
    } catch {
      // not there yet
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** A customer-panel value as the agent reads it next to its label. */
async function fact(page, label) {
  return page.evaluate((label) => {
    const dt = [...document.querySelectorAll('#customer dt')]
      .find((d) => d.textContent.trim().startsWith(label));
    return dt ? dt.nextElementSibling.textContent.replace(/\s+/g, ' ').trim() : null;
  }, label);
}

const q = (v) => `('${encodeURIComponent(v)}')`;

test('a customer and an agent talk: every parameter in its place, the reply arrives, history spans channels', async () => {
  const s = await startServer();
  const browser = await launchBrowser();
  try {
    // The customer, on a phone.
    const customer = await (await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'ko-KR' })).newPage();
    const params = [
      `site_uid=${q('story-01')}`,
      `cus_extra_username=${q('이영희')}`,
      `cus_extra_phone=${q('010-5555-0101')}`,
      `parameter1=${q('카카오 광고')}`,
      `parameter2=${q('신규')}`,
    ].join(',');
    await customer.goto(`${s.base}/chat/${s.siteId}?params=${params}`);
    await customer.getByRole('heading', { name: /Sangdam 데모 쇼핑몰/ }).waitFor();
    const input = customer.getByRole('textbox', { name: '메시지' });
    await input.fill('주문한 상품 색상을 바꿀 수 있나요?');
    await input.press('Enter');

    // The agent, at a desk.
    const agent = await (await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'ko-KR' })).newPage();
    await agent.goto(`${s.base}/login`);
    await agent.getByLabel('아이디', { exact: true }).fill(s.login);
    await agent.getByLabel('비밀번호', { exact: true }).fill(s.password);
    await agent.getByRole('button', { name: '로그인', exact: true }).click();
    await agent.waitForURL(`${s.base}/console`);
    const item = agent.locator('#items').getByRole('button', { name: /이영희/ });
    await item.waitFor({ timeout: 15000 });
    await item.click();
    await until(async () => (await agent.locator('#messages').textContent()).includes('주문한 상품 색상을 바꿀 수 있나요?'),
      'the customer message in the console');
    await agent.getByRole('button', { name: '가져오기' }).click();
    await until(async () => /진행 중/.test(await agent.locator('#room-state').textContent()), 'the consultation taken');

    assert.equal(await fact(agent, 'ID'), 'story-01 미인증');
    assert.equal(await fact(agent, '이름'), '이영희');
    assert.match(await fact(agent, '전화번호'), /^010-5555-0101/);
    assert.equal(await fact(agent, '유입경로'), '카카오 광고');
    assert.equal(await fact(agent, '유저구분'), '신규');
    assert.match(await fact(agent, '채널'), /웹채팅 v2/);

    const reply = agent.getByRole('textbox', { name: '답장' });
    await reply.fill('네, 배송 전이라 바꿔 드릴 수 있습니다. 어떤 색으로 바꿀까요?');
    await reply.press('Enter');

    // The customer reads the answer without reloading.
    await until(async () => (await customer.locator('body').textContent())
      .includes('네, 배송 전이라 바꿔 드릴 수 있습니다. 어떤 색으로 바꿀까요?'), 'the reply in the chat window');
    await screenshot(customer, 'story-customer');

    // The same person arrives on Kakao: a different room, the same profile and history.
    const kakao = await fetch(s.kakaoSkill, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        userRequest: { utterance: '카카오로도 문의해요', user: { id: 'kakao-story-user', type: 'botUserKey', properties: {} } },
        action: { params: { site_uid: 'story-01' } },
      }),
    });
    assert.equal(kakao.status, 200);
    await until(async () => /카카오톡/.test(await agent.locator('#history').textContent()),
      'the Kakao consultation in the same profile history');
    assert.match(await agent.locator('#history').textContent(), /웹채팅 v2/);
    await screenshot(agent, 'story-agent');
  } finally {
    await browser.close();
    await s.stop();
  }
});
