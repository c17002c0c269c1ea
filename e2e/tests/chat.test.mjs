// The customer chat window and the web chat v2 button, used the way a customer uses them:
// open the chat URL, read, type, press Enter; an agent answers through the API meanwhile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { startServer, launchBrowser, screenshot } from '../harness.mjs';

const SITE_NAME = 'Sangdam 데모 쇼핑몰';
const TIMEOUT = { timeout: 180_000 };
/** What the customer is told, by Sangdam itself, when the demo's admin takes the consultation. */
const GREETING = '안녕하세요, 상담원 관리자입니다. 무엇을 도와드릴까요?';
// What the customer reads when the agent ends the consultation.
const CLOSING = '상담이 종료되었습니다. 이용해 주셔서 감사합니다.';

/** Percent-encoding as Sangdam's builder does it (only A–Z a–z 0–9 - . _ ~ stay). */
const enc = (v) => encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** A web chat v2 chat URL with `('…')`-quoted values. */
function v2Url(srv, params, extra = '') {
  const list = Object.entries(params).map(([k, v]) => `${k}=('${enc(v)}')`).join(',');
  return `${srv.base}/chat/${srv.siteId}?params=${list}${extra}`;
}

const hash = (secret, uid) => createHmac('sha256', secret).update(uid).digest('hex');

async function eventually(what, fn, ms = 15_000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

/** The open consultation whose inflow carried `siteUid`, as an agent finds it. */
async function consultationOf(srv, siteUid, state = 'waiting') {
  return eventually(`a ${state} consultation of ${siteUid}`, async () => {
    const { json } = await srv.api(`/api/v1/consultations?state=${state}`);
    for (const c of json.consultations) {
      const { json: detail } = await srv.api(`/api/v1/consultations/${c.id}`);
      if (detail.inflows.some((i) => i.site_uid === siteUid)) return detail;
    }
    return null;
  });
}

async function agentReply(srv, consultationId, body) {
  const r = await srv.api(`/api/v1/consultations/${consultationId}/messages`, { method: 'POST', body: { body } });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json.message;
}

async function take(srv, consultationId) {
  const r = await srv.api(`/api/v1/consultations/${consultationId}/take`, { method: 'POST' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
}

/** The conversation as the customer reads it: [{who, text, sending}] in screen order. */
async function conversation(page) {
  return page.getByRole('log').locator('.msg').evaluateAll((lis) => lis.map((li) => ({
    who: li.querySelector('.who').textContent,
    text: li.querySelector('.bubble').textContent,
    state: li.querySelector('.state').textContent,
  })));
}

/** Waits until `text` is on screen as a message that is no longer being sent. */
async function seen(page, text, ms = 15_000) {
  await eventually(`"${text}" on screen`, async () => {
    const all = await conversation(page);
    return all.some((m) => m.text === text && m.state === '');
  }, ms);
}

async function write(page, text) {
  const input = page.getByRole('textbox', { name: '메시지' });
  await input.fill(text);
  await input.press('Enter');
}

async function connected(page) {
  // The status line leaves "연결 중…" once the session is open and the socket connected.
  await eventually('the chat to connect', async () => {
    const s = await page.getByRole('status').textContent();
    return s && !s.includes('연결 중') && !s.includes('끊겼') ? s : null;
  });
}

async function withChat(fn) {
  const srv = await startServer();
  const browser = await launchBrowser();
  try {
    await fn(srv, browser);
  } finally {
    await browser.close();
    await srv.stop();
  }
}

const MEMBER01 = {
  site_uid: 'member01',
  cus_extra_username: '홍길동',
  cus_extra_phone: '010-1234-5678',
  parameter1: 'naver',
  parameter2: 'VIP',
};

test('a customer chats: the site name, a message, the agent\'s reply arrives live; keyboard only', TIMEOUT, async () => {
  await withChat(async (srv, browser) => {
    const context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(v2Url(srv, MEMBER01));
    await page.getByRole('heading', { name: SITE_NAME }).waitFor();
    assert.equal(await page.getByRole('log').getAttribute('aria-live'), 'polite');
    await connected(page);

    // Keyboard: Tab reaches the message input, Enter sends.
    let reached = false;
    for (let i = 0; i < 8 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.id === 'message-input');
    }
    assert.ok(reached, 'the message input is reachable with Tab');
    await page.keyboard.type('안녕하세요, 배송 문의드립니다.');
    await page.keyboard.press('Enter');
    await seen(page, '안녕하세요, 배송 문의드립니다.');
    assert.equal(await page.getByRole('textbox', { name: '메시지' }).inputValue(), '');

    // The agent finds it in the queue with the URL's parameters, takes it and answers.
    const detail = await consultationOf(srv, 'member01');
    const inflow = detail.inflows[0].parameters;
    assert.equal(inflow.fields.cus_extra_username, '홍길동');
    assert.equal(inflow.fields.cus_extra_phone, '010-1234-5678');
    assert.deepEqual(inflow.custom, { parameter1: 'naver', parameter2: 'VIP' });
    assert.ok(detail.messages.some((m) => m.body === '안녕하세요, 배송 문의드립니다.' && m.sender === 'customer'));
    await take(srv, detail.consultation.id);
    await agentReply(srv, detail.consultation.id, '네, 주문번호를 알려주시겠어요?');

    // No reload: the reply appears, as the agent's.
    await seen(page, '네, 주문번호를 알려주시겠어요?');
    const conv = await conversation(page);
    assert.deepEqual(conv.map((m) => [m.who, m.text]), [
      ['나', '안녕하세요, 배송 문의드립니다.'],
      ['안내', GREETING],
      ['상담원 관리자', '네, 주문번호를 알려주시겠어요?'],
    ]);
    await eventually('the status to say which agent is there', async () =>
      (await page.getByRole('status').textContent()).includes('상담원 관리자님과 상담 중입니다'));
    // Customer and agent messages look different.
    const [mine, theirs] = await page.getByRole('log').locator('.msg .bubble').evaluateAll((els) =>
      els.map((e) => getComputedStyle(e).backgroundColor));
    assert.notEqual(mine, theirs);
    await screenshot(page, 'chat-desktop');
    await context.close();
  });
});

test('a reload, and the language switch, keep the visitor and the conversation', TIMEOUT, async () => {
  await withChat(async (srv, browser) => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const page = await context.newPage();
    const url = v2Url(srv, { site_uid: 'member02', parameter1: 'naver' });
    await page.goto(url);
    await connected(page);
    await write(page, '첫 번째 질문입니다');
    await seen(page, '첫 번째 질문입니다');
    const detail = await consultationOf(srv, 'member02');
    await take(srv, detail.consultation.id);
    await agentReply(srv, detail.consultation.id, '첫 번째 답변입니다');
    await seen(page, '첫 번째 답변입니다');

    await page.reload();
    await connected(page);
    await seen(page, '첫 번째 답변입니다');
    assert.deepEqual((await conversation(page)).map((m) => m.text), ['첫 번째 질문입니다', GREETING, '첫 번째 답변입니다']);
    await write(page, '새로고침 후 질문');
    await seen(page, '새로고침 후 질문');

    // English: same conversation, English labels, the chat parameters still in the URL.
    await page.getByRole('link', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Send' }).waitFor();
    await eventually('the conversation in English', async () =>
      (await conversation(page)).map((m) => m.text).join('|') === `첫 번째 질문입니다|${GREETING}|첫 번째 답변입니다|새로고침 후 질문`);
    // The agent by name, once the socket has said whose the consultation is.
    await eventually('the agent named on their message', async () =>
      (await conversation(page))[2].who === '관리자 (agent)');
    assert.ok(decodeURIComponent(page.url()).includes("site_uid=('member02')"), page.url());

    // Still one room and one consultation: the reloads were the same visitor.
    const { json } = await srv.api(`/api/v1/rooms/${detail.consultation.room_id}/messages`);
    assert.deepEqual(json.messages.map((m) => m.body), ['첫 번째 질문입니다', GREETING, '첫 번째 답변입니다', '새로고침 후 질문']);
    assert.ok(json.messages.every((m) => m.consultation_id === detail.consultation.id));
    await context.close();
  });
});

test('a network drop loses and duplicates nothing', TIMEOUT, async () => {
  await withChat(async (srv, browser) => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const page = await context.newPage();
    await page.goto(v2Url(srv, { site_uid: 'member05' }));
    await connected(page);
    await write(page, '연결 전 질문');
    await seen(page, '연결 전 질문');
    const detail = await consultationOf(srv, 'member05');
    const cid = detail.consultation.id;
    await take(srv, cid);
    await agentReply(srv, cid, '연결 전 답변');
    await seen(page, '연결 전 답변');

    await context.setOffline(true);
    await eventually('the window to notice the drop', async () =>
      (await page.getByRole('status').textContent()).includes('연결이 끊겼습니다'));
    await agentReply(srv, cid, '끊긴 동안 답변 1');
    await write(page, '끊긴 동안 질문 1');
    await agentReply(srv, cid, '끊긴 동안 답변 2');
    await write(page, '끊긴 동안 질문 2');
    await page.waitForTimeout(1500);
    const offline = await conversation(page);
    assert.ok(!offline.some((m) => m.text.startsWith('끊긴 동안 답변')), 'offline, nothing can arrive');
    assert.deepEqual(offline.filter((m) => m.text.startsWith('끊긴 동안 질문')).map((m) => m.state),
      ['전송 중…', '전송 중…'], 'written offline: shown as being sent');

    await context.setOffline(false);
    for (const t of ['끊긴 동안 답변 1', '끊긴 동안 답변 2', '끊긴 동안 질문 1', '끊긴 동안 질문 2']) {
      await seen(page, t, 30_000);
    }
    await page.waitForTimeout(1500);
    const expected = ['연결 전 질문', GREETING, '연결 전 답변', '끊긴 동안 답변 1', '끊긴 동안 질문 1', '끊긴 동안 답변 2', '끊긴 동안 질문 2'];
    const screen = (await conversation(page)).map((m) => m.text);
    assert.deepEqual([...screen].sort(), [...expected].sort(), 'each message exactly once on screen');
    const { json } = await srv.api(`/api/v1/rooms/${detail.consultation.room_id}/messages`);
    const stored = json.messages.map((m) => m.body);
    assert.deepEqual([...stored].sort(), [...expected].sort(), 'each message exactly once in the store');
    // The screen shows them in the stored order.
    assert.deepEqual(screen, stored);

    // And it still works live afterwards.
    await agentReply(srv, cid, '다시 연결된 뒤 답변');
    await seen(page, '다시 연결된 뒤 답변');
    await context.close();
  });
});

test('a connection that dies between storing and acknowledging: resent, stored and shown once', TIMEOUT, async () => {
  await withChat(async (srv, browser) => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const page = await context.newPage();
    // Between the window and the server: the acknowledgement of one message is lost with
    // the connection, after the server stored it. Later connections pass everything.
    let lose = true;
    let connections = 0;
    await page.routeWebSocket(/\/api\/v1\/webchat\/\d+\/ws/, (ws) => {
      connections += 1;
      const server = ws.connectToServer();
      let dead = false;
      ws.onMessage((m) => { if (!dead) server.send(m); });
      server.onMessage((m) => {
        if (dead) return;
        if (lose && String(m).includes('"type":"ack"') && String(m).includes('답을 잃는 질문')) {
          lose = false;
          dead = true;
          ws.close({ code: 4000, reason: 'network gone' });
          server.close();
          return;
        }
        ws.send(m);
      });
    });
    await page.goto(v2Url(srv, { site_uid: 'member06' }));
    await connected(page);
    await write(page, '첫 질문');
    await seen(page, '첫 질문');
    await write(page, '답을 잃는 질문');
    await seen(page, '답을 잃는 질문', 30_000);
    await write(page, '그 다음 질문');
    await seen(page, '그 다음 질문');
    await eventually('the window to reconnect by itself', async () => connections >= 2);
    await page.waitForTimeout(1000);
    const expected = ['첫 질문', '답을 잃는 질문', '그 다음 질문'];
    assert.deepEqual((await conversation(page)).map((m) => m.text), expected, 'shown once each');
    const detail = await consultationOf(srv, 'member06');
    assert.deepEqual(detail.messages.map((m) => m.body), expected, 'stored once each');
    await context.close();
  });
});

test('a 360 px phone: everything fits, input and send are visible and usable', TIMEOUT, async () => {
  await withChat(async (srv, browser) => {
    const context = await browser.newContext({
      locale: 'ko-KR', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2,
    });
    const page = await context.newPage();
    await page.goto(v2Url(srv, MEMBER01));
    await connected(page);
    await write(page, '휴대폰에서 보내는 긴 메시지입니다. 화면 폭이 좁아도 줄이 바뀌어서 전부 보여야 합니다. https://example.com/a/very/long/link/that/must/wrap/somewhere');
    await seen(page, '휴대폰에서 보내는 긴 메시지입니다. 화면 폭이 좁아도 줄이 바뀌어서 전부 보여야 합니다. https://example.com/a/very/long/link/that/must/wrap/somewhere');
    const detail = await consultationOf(srv, 'member01');
    await take(srv, detail.consultation.id);
    await agentReply(srv, detail.consultation.id, '확인했습니다. 잠시만 기다려 주세요.');
    await seen(page, '확인했습니다. 잠시만 기다려 주세요.');

    for (const el of [page.getByRole('textbox', { name: '메시지' }), page.getByRole('button', { name: '보내기' }),
      page.getByRole('heading', { name: SITE_NAME })]) {
      assert.ok(await el.isVisible());
      const box = await el.boundingBox();
      assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= 360 && box.y + box.height <= 740,
        `inside the screen: ${JSON.stringify(box)}`);
    }
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= 360, `no sideways scrolling (${scrollWidth})`);
    await page.getByRole('textbox', { name: '메시지' }).tap();
    await page.keyboard.type('탭해서 보냄');
    await page.getByRole('button', { name: '보내기' }).tap();
    await seen(page, '탭해서 보냄');
    await screenshot(page, 'chat-360');
    await context.close();
  });
});

test('R2.8: an unverified ID does not see earlier consultations; a verified one does', TIMEOUT, async () => {
  await withChat(async (srv, browser) => {
    // member07's earlier consultation, with messages, closed.
    const open = await fetch(`${srv.base}/api/v1/webchat/${srv.siteId}/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: v2Url(srv, { site_uid: 'member07' }), channel: 'webchat_v2' }),
    }).then((r) => r.json());
    const sent = await fetch(`${srv.base}/api/v1/webchat/${srv.siteId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sangdam-visitor': open.visitor },
      body: JSON.stringify({ body: '제 카드 번호 끝자리는 4321입니다', client_msg_id: 'earlier-1' }),
    });
    assert.equal(sent.status, 200);
    // The first message opened the consultation.
    const { consultation_id: earlier } = await sent.json();
    await take(srv, earlier);
    await agentReply(srv, earlier, '주문번호 A-1234 환불 처리했습니다');
    const closed = await srv.api(`/api/v1/consultations/${earlier}/close`, { method: 'POST', body: {} });
    assert.equal(closed.status, 200);

    // Someone else claims member07 in a new browser, without the hash.
    const stranger = await browser.newContext({ locale: 'ko-KR' });
    const page = await stranger.newPage();
    await page.goto(v2Url(srv, { site_uid: 'member07' }));
    await connected(page);
    await write(page, '제 주문 내역 보여주세요');
    await seen(page, '제 주문 내역 보여주세요');
    await page.waitForTimeout(1000);
    const theirs = (await conversation(page)).map((m) => m.text);
    assert.deepEqual(theirs, ['제 주문 내역 보여주세요'], 'nothing from the earlier consultation');
    await page.reload();
    await connected(page);
    await seen(page, '제 주문 내역 보여주세요');
    await page.waitForTimeout(1000);
    assert.deepEqual((await conversation(page)).map((m) => m.text), ['제 주문 내역 보여주세요'], 'not after a reload either');
    await stranger.close();

    // The real member07, whose site signs the ID, sees the whole history.
    const owner = await browser.newContext({ locale: 'ko-KR' });
    const page2 = await owner.newPage();
    await page2.goto(v2Url(srv, { site_uid: 'member07', site_uid_hash: hash(srv.secret, 'member07') }));
    await connected(page2);
    await seen(page2, '제 카드 번호 끝자리는 4321입니다');
    await seen(page2, '주문번호 A-1234 환불 처리했습니다');
    assert.deepEqual((await conversation(page2)).map((m) => m.text),
      ['제 카드 번호 끝자리는 4321입니다', GREETING, '주문번호 A-1234 환불 처리했습니다', CLOSING, '제 주문 내역 보여주세요']);
    await owner.close();
  });
});

test('a closed consultation says so and a new one can be started', TIMEOUT, async () => {
  await withChat(async (srv, browser) => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const page = await context.newPage();
    await page.goto(v2Url(srv, { site_uid: 'member08' }));
    await connected(page);
    await write(page, '문의합니다');
    await seen(page, '문의합니다');
    const first = await consultationOf(srv, 'member08');
    await take(srv, first.consultation.id);
    await agentReply(srv, first.consultation.id, '해결되었습니다');
    await srv.api(`/api/v1/consultations/${first.consultation.id}/close`, { method: 'POST', body: {} });

    const restart = page.getByRole('button', { name: '새 상담 시작' });
    await restart.waitFor();
    assert.ok((await page.getByRole('status').textContent()).includes('상담이 종료되었습니다'));
    assert.ok(await page.getByRole('textbox', { name: '메시지' }).isDisabled());
    await restart.click();
    await eventually('the input to be usable again', async () => page.getByRole('textbox', { name: '메시지' }).isEnabled());
    await write(page, '하나 더 문의합니다');
    await seen(page, '하나 더 문의합니다');
    const second = await consultationOf(srv, 'member08');
    assert.notEqual(second.consultation.id, first.consultation.id);
    assert.deepEqual(second.messages.map((m) => m.body), ['하나 더 문의합니다']);
    await context.close();
  });
});

test('web chat v1 links open the window too; an unknown site gets a friendly 404', TIMEOUT, async () => {
  await withChat(async (srv, browser) => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const page = await context.newPage();
    await page.goto(`${srv.base}/chat/${srv.siteId}/v1?is_login=Y&uid=member03&parameter2=VIP`);
    await page.getByRole('heading', { name: SITE_NAME }).waitFor();
    await connected(page);
    await write(page, 'v1 에서 문의');
    await seen(page, 'v1 에서 문의');
    const detail = await consultationOf(srv, 'member03');
    assert.equal(detail.consultation.channel, 'webchat_v1');
    assert.equal(detail.inflows[0].parameters.custom.parameter2, 'VIP');

    const res = await page.goto(`${srv.base}/chat/987654`);
    assert.equal(res.status(), 404);
    const heading = page.getByRole('heading', { name: '상담 창을 찾을 수 없습니다' });
    await heading.waitFor();
    // On a phone-wide window the heading wraps between words, never inside one.
    await page.setViewportSize({ width: 220, height: 600 });
    const lines = await heading.evaluate((el) => {
      const text = el.firstChild;
      const tops = [];
      for (let i = 0; i < text.length; i += 1) {
        const r = document.createRange();
        r.setStart(text, i);
        r.setEnd(text, i + 1);
        tops.push([text.data[i], Math.round(r.getBoundingClientRect().top)]);
      }
      return tops;
    });
    assert.ok(new Set(lines.map(([, top]) => top)).size > 1, 'the heading wraps at this width');
    for (let i = 1; i < lines.length; i += 1) {
      if (lines[i][1] !== lines[i - 1][1]) {
        assert.ok(lines[i - 1][0] === ' ' || lines[i][0] === ' ', `a line breaks inside a word: ${JSON.stringify(lines)}`);
      }
    }
    // The site's icon: linked from the page, and where browsers look without a link.
    const icon = await page.locator('link[rel="icon"]').getAttribute('href');
    const iconRes = await page.request.get(`${srv.base}${icon}`);
    assert.equal(iconRes.status(), 200);
    assert.match(iconRes.headers()['content-type'], /^image\/svg\+xml/);
    assert.equal((await page.request.get(`${srv.base}/favicon.ico`)).status(), 200, 'followed to the icon');
    await context.close();
  });
});

test('the v2 chat button opens the window with the snippet\'s params, by keyboard', TIMEOUT, async () => {
  await withChat(async (srv, browser) => {
    const snippet = execFileSync(process.env.SANGDAM_BIN, ['url', 'snippet', '--site-id', String(srv.siteId),
      '--script-url', `${srv.base}/assets/widget.js`, '--fixed', 'partner_id=cafe24', '--fixed', 'shop_id=mall01',
      '--enabled', 'parameter1,parameter2', '--description', 'parameter1=유입경로', '--description', 'parameter2=유저구분'],
    { encoding: 'utf8' })
      // The integrator uncomments and fills the lines they use.
      .replace("// site_uid: '',", "site_uid: 'member09',")
      .replace("// cus_extra_username: '',", "cus_extra_username: '김철수 (VIP)',")
      .replace("// parameter1: '',", "parameter1: 'insta,gram',")
      .replace("// cus_extra_email: '',", "cus_extra_email: '',");
    assert.ok(snippet.includes("site_uid: 'member09'"));
    const shop = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>우리 쇼핑몰</title></head>
<body><h1>우리 쇼핑몰</h1><p>오늘의 상품을 구경하세요.</p>${snippet}</body></html>`);
    });
    await new Promise((r) => shop.listen(0, '127.0.0.1', r));
    try {
      // The shop registers its pages' origin, so browsers let them show the chat window.
      const registered = await srv.api('/api/v1/site/settings', {
        method: 'PUT', body: { frame_origins: [`http://127.0.0.1:${shop.address().port}`] },
      });
      assert.equal(registered.status, 200, JSON.stringify(registered.json));
      const context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${shop.address().port}/`);
      const button = page.getByRole('button', { name: '상담하기' });
      await button.waitFor();
      assert.equal(await button.getAttribute('aria-expanded'), 'false');
      // Nothing is opened before the customer asks.
      const before = await srv.api('/api/v1/consultations?state=waiting');
      assert.equal(before.json.consultations.length, 0);

      // Keyboard: Tab to the button, Enter opens the chat.
      await page.keyboard.press('Tab');
      assert.equal(await button.evaluate((b) => b.getRootNode().activeElement === b), true, 'Tab reaches the button');
      await page.keyboard.press('Enter');
      assert.equal(await button.getAttribute('aria-expanded'), 'true');
      const dialog = page.getByRole('dialog', { name: '채팅 상담' });
      await dialog.waitFor();
      const chat = page.frameLocator('iframe[title="채팅 상담"]');
      await chat.getByRole('heading', { name: SITE_NAME }).waitFor();
      const frame = await eventually('the chat frame', async () => page.frames().find((f) => f.url().includes('/chat/')));
      const url = new URL(frame.url());
      assert.equal(url.pathname, `/chat/${srv.siteId}`);
      assert.equal(url.searchParams.get('partner_id'), 'cafe24');
      assert.equal(url.searchParams.get('shop_id'), 'mall01');
      await eventually('the chat to connect', async () => {
        const s = await chat.getByRole('status').textContent();
        return !s.includes('연결 중');
      });

      // Tab into the chat's input and send with Enter.
      let reached = false;
      for (let i = 0; i < 10 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = await frame.evaluate(() => document.hasFocus() && document.activeElement?.id === 'message-input');
      }
      assert.ok(reached, 'the message input is reachable with Tab');
      await page.keyboard.type('버튼으로 들어왔어요');
      await page.keyboard.press('Enter');
      await eventually('the message to be sent', async () => {
        const items = await chat.getByRole('log').locator('.msg').evaluateAll((lis) =>
          lis.map((li) => [li.querySelector('.bubble').textContent, li.querySelector('.state').textContent]));
        return items.some(([t, s]) => t === '버튼으로 들어왔어요' && s === '');
      });
      await screenshot(page, 'widget-open');

      // The consultation carries the snippet's params.
      const detail = await consultationOf(srv, 'member09');
      const p = detail.inflows[0].parameters;
      assert.equal(p.fields.site_uid, 'member09');
      assert.equal(p.fields.cus_extra_username, '김철수 (VIP)');
      assert.equal(p.fields.cus_extra_email, undefined, 'an empty value is not sent');
      assert.deepEqual(p.custom, { parameter1: 'insta,gram' });
      assert.equal(p.extra.partner_id, 'cafe24');
      assert.equal(p.extra.shop_id, 'mall01');
      assert.deepEqual(detail.inflows[0].warnings, []);
      assert.deepEqual(detail.messages.map((m) => m.body), ['버튼으로 들어왔어요']);

      // The close button hides the panel and gives focus back to the chat button.
      await dialog.getByRole('button', { name: '닫기' }).click();
      await dialog.waitFor({ state: 'hidden' });
      assert.equal(await button.getAttribute('aria-expanded'), 'false');
      await context.close();
    } finally {
      shop.close();
    }
  });
});
