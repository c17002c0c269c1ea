// The chatbot with a customer and an agent, as they use it: a visitor arriving by a chat URL
// with bot_start=true is greeted by the welcome block, asks a knowledge-base question and gets
// its answer card, taps a quick reply (the block it leads to answers), then presses the card's
// 상담원 연결 button; the consultation waits for an agent, who takes it and sees the bot
// conversation and why it was handed over; the bot says nothing more.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  withServer, screenshot, until, chatWindow, write, consoleOf, takeFromQueue,
} from '../harness.mjs';

const TIMEOUT = { timeout: 180_000 };
const WELCOME = '안녕하세요! 무엇을 도와드릴까요?';

async function ok(s, path, body, method = 'POST') {
  const r = await s.api(path, { method, body });
  assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

/** A shop's bot: 배송 (a block), the refund entry answering with a card. */
async function shopBot(s) {
  const bot = await ok(s, '/api/v1/bot', undefined, 'GET');
  await ok(s, '/api/v1/bot/settings', {
    enabled: true, bot_first: false, min_accuracy: bot.default_min_accuracy,
    fallbacks_before_offer: 2, handoff_label: '상담원 연결',
  }, 'PUT');
  const ship = await ok(s, '/api/v1/bot/blocks', {
    name: '배송 안내', keywords: ['배송조회'],
    response: { outputs: [{ simpleText: { text: '배송은 2~3일 걸립니다.' } }] },
  });
  await ok(s, '/api/v1/bot/knowledge', {
    questions: ['환불하고 싶어요', '환불 어떻게 하나요'],
    answer: {
      outputs: [{
        basicCard: {
          title: '환불 안내', description: '마이페이지 > 주문내역에서 환불을 신청하세요.',
          thumbnail: { imageUrl: 'https://shop.example/refund.png' },
          buttons: [{ label: '상담원 연결', action: 'operator' }],
        },
      }],
      quickReplies: [{ label: '배송 문의', action: 'block', blockId: String(ship.id) }],
    },
  });
}

/** The chat window's bot answers, as text. */
const botTexts = (page) => page.locator('#messages .msg-bot .bubble').allTextContents();

test('a visitor talks with the bot, then an agent takes over with the conversation and the reason', TIMEOUT, async () => {
  await withServer(async (s, browser) => {
    await shopBot(s);
    const chat = await chatWindow(browser, s, { site_uid: 'bot-e2e', bot_start: 'true' });
    // Greeted before writing anything.
    await until(async () => (await botTexts(chat)).some((t) => t.includes(WELCOME)), 'the welcome block');

    await write(chat, '환불하고 싶어요');
    const card = chat.locator('#messages .msg-bot .bot-card').filter({ hasText: '환불 안내' });
    await card.waitFor();
    assert.match(await card.textContent(), /마이페이지 > 주문내역에서 환불을 신청하세요/);
    await screenshot(chat, 'bot-answer-card');

    // The quick reply under the card: the block it leads to answers.
    await chat.getByRole('button', { name: '배송 문의' }).click();
    await chat.locator('#messages .msg-customer').filter({ hasText: '배송 문의' }).waitFor();
    await until(async () => (await botTexts(chat)).some((t) => t.includes('배송은 2~3일 걸립니다.')), 'the block reached by the quick reply');
    assert.equal(await chat.locator('#messages .bot-quick:visible').count(), 0, 'quick replies go once used');

    // The card's operator button: to an agent.
    await card.getByRole('button', { name: '상담원 연결' }).click();
    await chat.locator('#messages .msg').filter({ hasText: '상담원에게 연결해 드릴게요' }).waitFor();
    const before = (await botTexts(chat)).length;

    const agent = await consoleOf(browser, s);
    const item = agent.locator('#items .item', { hasText: 'bot-e2e' });
    await takeFromQueue(agent, item);
    await until(async () => /고객이 상담원 연결을 선택했습니다/.test(await agent.locator('#room-handoff').textContent()),
      'the reason of the handoff');
    const bots = await agent.locator('#messages .msg.bot').allTextContents();
    assert.ok(bots.some((t) => t.includes(WELCOME)), `the welcome in the console: ${bots}`);
    assert.ok(bots.some((t) => t.includes('환불 안내')), `the answer card's text in the console: ${bots}`);
    await screenshot(agent, 'bot-handoff-console');

    // The bot says nothing more; the agent answers.
    await write(chat, '배송조회');
    await chat.locator('#messages .msg-customer').filter({ hasText: '배송조회' }).waitFor();
    const reply = agent.getByRole('textbox', { name: '답장' });
    await reply.fill('안녕하세요, 상담원입니다.');
    await reply.press('Enter');
    await chat.locator('#messages .msg-agent').filter({ hasText: '안녕하세요, 상담원입니다.' }).waitFor();
    assert.equal((await botTexts(chat)).length, before, 'the bot is silent once handed off');
    assert.deepEqual(chat.errors, []);
    assert.deepEqual(agent.errors, []);
  });
});
