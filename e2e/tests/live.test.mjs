// Live signals between the chat window and the console, used as a customer and agents use them:
// each sees the other typing; read marks both ways ("읽음" under the last message the other side
// has read); the console's lists with an unread count that grows with the customer's messages
// and clears when the holder opens the room, the last message as a preview, the waiting time,
// and a consultation nobody wrote in yet looking different; browser notifications for a new
// consultation in the queue and a customer's message, none once switched off; a Naver user's
// image shown first as its address, then as the image in its place; and groups: the
// admin makes one on the accounts page, puts an agent and a manager in it, and the manager's
// console lists only the group's consultations (and the queue).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import {
  startServer, launchBrowser, withServer, logIn, screenshot, until, VIEWPORT,
  chatWindow, messageBox, write, webchatInflow, customerSays, consoleOf, takeFromQueue,
} from '../harness.mjs';

const TIMEOUT = { timeout: 180_000 };

/** The chat window's messages: text, who wrote it, and its read mark. */
function conversation(page) {
  return page.locator('#messages .msg').evaluateAll((els) => els.map((el) => ({
    text: el.querySelector('.bubble').textContent,
    sender: el.dataset.sender,
    read: el.querySelector('.read')?.textContent ?? '',
  })));
}

/** The console's list entry that shows `name`. */
const listItem = (page, name) => page.locator('#items .item', { hasText: name });

/** An account of the demo site with its API token: {agent, api_token}. */
async function account(s, login, name, role = 'agent') {
  const r = await s.api('/api/v1/agents', {
    method: 'POST',
    body: { login, display_name: name, role, password: `${login}-pass-1`, api_token: true },
  });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json;
}

function as(s, token, path, { method = 'POST', body } = {}) {
  return fetch(`${s.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

test('each side sees the other typing, and it goes once they stop', TIMEOUT, async () => {
  await withServer(async (s, browser) => {
    const customer = await chatWindow(browser, s, { site_uid: 'typing-01', cus_extra_username: '입력고객' });
    await write(customer, '배송 문의드립니다');
    const agent = await consoleOf(browser, s);
    await takeFromQueue(agent, listItem(agent, '입력고객'));
    // Open and held: what the customer wrote is read, and not counted.
    await until(async () => (await listItem(agent, '입력고객').locator('.unread-count').count()) === 0, 'nothing unread');

    // The customer types: the room and its list entry say so.
    await messageBox(customer).pressSequentially('주문번호가');
    await until(async () => (await agent.locator('#room-typing').textContent()) === '고객이 입력 중…', 'the room to show the customer typing');
    assert.ok(await agent.locator('#room-typing').isVisible());
    await until(async () => /입력 중…/.test(await listItem(agent, '입력고객').locator('.item-preview').textContent()),
      'the list entry to show the typing');
    await screenshot(agent, 'live-console-typing');
    // Emptying the box stops it at once.
    await messageBox(customer).fill('');
    await messageBox(customer).press('Backspace');
    await until(async () => agent.locator('#room-typing').isHidden(), 'the typing line to go');
    await until(async () => (await listItem(agent, '입력고객').locator('.item-preview').textContent()) === '배송 문의드립니다',
      'the preview back in the list');

    // The agent types: the chat window says an agent is typing; sending ends it.
    const reply = agent.getByRole('textbox', { name: '답장' });
    await reply.pressSequentially('확인해 보겠');
    const typing = customer.locator('#chat-typing');
    await until(async () => (await typing.textContent()) === '상담원이 입력 중…' && typing.isVisible(), 'the chat window to show the agent typing');
    await screenshot(customer, 'live-chat-typing');
    await reply.pressSequentially('습니다');
    await reply.press('Enter');
    await until(async () => (await conversation(customer)).some((m) => m.text === '확인해 보겠습니다'), 'the reply in the chat window');
    await until(async () => typing.isHidden(), 'the typing line to go with the reply');

    // Typing that stops without a message goes away on its own after a few seconds.
    await messageBox(customer).pressSequentially('그리고');
    await until(async () => agent.locator('#room-typing').isVisible(), 'the customer typing again');
    await until(async () => agent.locator('#room-typing').isHidden(), 'the typing line to lapse', 15_000);

    assert.deepEqual([...agent.errors, ...customer.errors], [], 'no script errors');
  });
});

test('read marks: the customer sees the agent has read, the agent sees the customer has', TIMEOUT, async () => {
  await withServer(async (s, browser) => {
    const customer = await chatWindow(browser, s, { site_uid: 'read-01', cus_extra_username: '읽음고객' });
    await write(customer, '첫 질문입니다');
    await write(customer, '두 번째 질문입니다');
    await until(async () => (await conversation(customer)).filter((m) => m.sender === 'customer').length === 2, 'both messages stored');
    const before = await conversation(customer);
    assert.ok(before.every((m) => m.read === ''), 'nothing read before an agent opens it');

    // The agent takes it and has it open: the customer's last message says 읽음 (only the last).
    const agent = await consoleOf(browser, s);
    await takeFromQueue(agent, listItem(agent, '읽음고객'));
    await until(async () => {
      const mine = (await conversation(customer)).filter((m) => m.sender === 'customer');
      return mine[1].read === '읽음' && mine[0].read === '';
    }, 'the customer\'s last message marked read');
    const { json } = await s.api('/api/v1/consultations?state=in_progress');
    const c = json.consultations[0];
    assert.ok(c.agent_read_to > 0, 'the mark is stored');
    assert.equal(json.unread[c.id] ?? 0, 0, 'nothing unread');

    // The agent answers; the customer's window shows it, so the console says the customer read it.
    await agent.getByRole('textbox', { name: '답장' }).fill('네, 말씀하세요');
    await agent.getByRole('textbox', { name: '답장' }).press('Enter');
    const answer = agent.locator('#messages .msg.agent', { hasText: '네, 말씀하세요' });
    await answer.waitFor();
    await until(async () => (await answer.locator('.msg-read').textContent()) === '읽음', 'the agent\'s message marked read');
    await screenshot(agent, 'live-console-read');

    // The next customer message is read as it arrives (the room is open): the mark moves to it.
    await write(customer, '세 번째 질문입니다');
    await until(async () => {
      const mine = (await conversation(customer)).filter((m) => m.sender === 'customer');
      return mine.length === 3 && mine[2].read === '읽음' && mine[1].read === '';
    }, 'the mark to move to the newest message');
    await screenshot(customer, 'live-chat-read');

    // The divider of a new consultation says so.
    await agent.getByRole('button', { name: '상담 종료' }).click();
    await agent.locator('#close-confirm').click();
    await customer.getByRole('button', { name: '새 상담 시작' }).click();
    await until(async () => messageBox(customer).isEnabled(), 'the input usable again');
    await write(customer, '다른 문의입니다');
    await until(async () => /^새 상담/.test((await customer.locator('#messages .divider').last().textContent()) ?? ''),
      'a divider naming the new consultation');
    assert.match(await customer.locator('#chat-status').textContent(), /상담원 연결을 기다리고 있습니다/,
      'the status says the customer waits for an agent');

    assert.deepEqual([...agent.errors, ...customer.errors], [], 'no script errors');
  });
});

test('the lists count unread messages, preview the last one, show the wait, and mark the silent', TIMEOUT, async () => {
  await withServer(async (s, browser) => {
    const held = await webchatInflow(s, { uid: 'count-01', name: '카운트고객', message: '안녕하세요' });
    const agent = await consoleOf(browser, s);
    await takeFromQueue(agent, listItem(agent, '카운트고객'));
    // Another room open: the held consultation is not read while the customer writes.
    await webchatInflow(s, { uid: 'count-02', name: '대기고객', message: '기다리고 있어요' });
    await webchatInflow(s, { uid: 'count-03', name: '조용한고객' });
    await agent.getByRole('tab', { name: /^대기/ }).click();
    await listItem(agent, '대기고객').click();
    await agent.getByRole('button', { name: '가져오기' }).waitFor();

    // The queue: the preview, the waiting time, and the consultation nobody wrote in.
    const waiting = listItem(agent, '대기고객');
    assert.equal(await waiting.locator('.item-preview').textContent(), '기다리고 있어요');
    assert.match(await waiting.locator('.queue-waited').textContent(), /^대기 (1분 미만|\d+분)$/);
    assert.equal(await waiting.locator('.unread-count [aria-hidden]').textContent(), '1', 'the queue counts too');
    const silent = listItem(agent, '조용한고객');
    await silent.waitFor();
    assert.equal(await silent.locator('.item-preview').textContent(), '메시지 없음');
    assert.match(await silent.getAttribute('class'), /\bsilent\b/);
    assert.equal(await silent.locator('.unread-count').count(), 0);
    await screenshot(agent, 'live-console-queue');

    // The customer of the held consultation writes twice: its count goes to 2.
    await agent.getByRole('tab', { name: /^내 상담/ }).click();
    const mine = listItem(agent, '카운트고객');
    await mine.waitFor();
    assert.equal(await mine.locator('.unread-count').count(), 0, 'read when taken');
    await customerSays(s, held, '주문을 바꾸고 싶어요');
    await until(async () => (await mine.locator('.unread-count [aria-hidden]').textContent().catch(() => '')) === '1', 'the count at 1');
    await customerSays(s, held, '가능할까요?');
    await until(async () => (await mine.locator('.unread-count [aria-hidden]').textContent().catch(() => '')) === '2', 'the count at 2');
    assert.equal(await mine.locator('.item-preview').textContent(), '가능할까요?');
    assert.match(await mine.textContent(), /안 읽은 메시지 2개/, 'the count is named for screen readers');
    // The server counts the same.
    const list = (await s.api('/api/v1/consultations?state=in_progress')).json;
    assert.equal(list.unread[held.consultation_id], 2);
    await screenshot(agent, 'live-console-unread');

    // A reload reads the count from the server.
    await agent.reload();
    await until(async () => (await agent.locator('#conn').textContent()) === '실시간 연결됨', 'live again');
    await agent.getByRole('tab', { name: /^내 상담/ }).click();
    await until(async () => (await mine.locator('.unread-count [aria-hidden]').textContent().catch(() => '')) === '2', 'the count after a reload');

    // Opening it reads it: the count goes, here and on the server.
    await mine.click();
    await until(async () => (await mine.locator('.unread-count').count()) === 0, 'the count cleared');
    await until(async () => ((await s.api('/api/v1/consultations?state=in_progress')).json.unread[held.consultation_id] ?? 0) === 0,
      'the server to count none');

    assert.deepEqual(agent.errors, [], 'no script errors');
  });
});

/** Records the notifications a page makes (headless Chromium shows none). */
async function recordNotifications(context) {
  await context.grantPermissions(['notifications']);
  await context.addInitScript(() => {
    window.shownNotifications = [];
    class Recorded {
      constructor(title, options = {}) {
        this.title = title;
        this.body = options.body;
        this.tag = options.tag;
        this.onclick = null;
        window.shownNotifications.push(this);
      }

      close() {
        this.closed = true;
      }

      static permission = 'granted';

      static requestPermission() {
        return Promise.resolve('granted');
      }
    }
    window.Notification = Recorded;
  });
}

const notifications = (page) => page.evaluate(() => window.shownNotifications.map((n) => ({ title: n.title, body: n.body })));

test('notifications: a new consultation in the queue and a customer\'s message, none once switched off', TIMEOUT, async () => {
  await withServer(async (s, browser) => {
    const agent = await consoleOf(browser, s, { init: recordNotifications });
    const notify = agent.getByRole('switch', { name: '알림' });
    const sound = agent.getByRole('switch', { name: '소리' });
    assert.equal(await notify.isChecked(), true, 'notifications start on');
    assert.equal(await sound.isChecked(), true, 'sounds start on');

    await webchatInflow(s, { uid: 'note-01', name: '알림고객', message: '상담 부탁드려요' });
    await until(async () => (await notifications(agent)).length === 1, 'a notification for the new consultation');
    assert.deepEqual((await notifications(agent))[0], { title: '새 상담이 대기 중입니다', body: '알림고객 · 웹채팅 v2' });

    // Clicking it opens the consultation.
    await agent.evaluate(() => window.shownNotifications[0].onclick());
    await until(async () => /알림고객/.test(await agent.locator('#room-title').textContent()), 'the room opened from the notification');
    await agent.getByRole('button', { name: '가져오기' }).click();
    await until(async () => /진행 중/.test(await agent.locator('#room-state').textContent()), 'taken');
    // Taking it was the agent's own doing: nothing more was announced.
    await agent.waitForTimeout(500);
    assert.equal((await notifications(agent)).length, 1);

    // A message in one of the agent's consultations while another room is open.
    const other = await webchatInflow(s, { uid: 'note-02', name: '둘째고객', message: '저도 문의가 있어요' });
    await until(async () => (await notifications(agent)).length === 2, 'a notification for the second consultation');
    await agent.getByRole('tab', { name: /^대기/ }).click();
    await listItem(agent, '둘째고객').click();
    await agent.getByRole('button', { name: '가져오기' }).click();
    await until(async () => /진행 중/.test(await agent.locator('#room-state').textContent()), 'the second taken');
    await agent.getByRole('tab', { name: /^내 상담/ }).click();
    await listItem(agent, '알림고객').click();
    await until(async () => /알림고객/.test(await agent.locator('#room-title').textContent()), 'the first room open again');
    await customerSays(s, other, '답변 기다리고 있어요');
    await until(async () => (await notifications(agent)).length === 3, 'a notification for the message');
    assert.deepEqual((await notifications(agent))[2], { title: '둘째고객 님의 새 메시지', body: '답변 기다리고 있어요' });
    // A message in the open room is seen, not announced.
    const { json } = await s.api('/api/v1/consultations?state=in_progress');
    assert.equal(json.consultations.length, 2);

    // Switched off (and remembered): nothing more, even for a new consultation.
    await notify.click();
    assert.equal(await notify.isChecked(), false);
    await until(async () => /껐습니다/.test(await agent.locator('#alert-status').textContent()), 'the switch said so');
    await agent.getByRole('tab', { name: /^대기/ }).click();
    await webchatInflow(s, { uid: 'note-03', name: '셋째고객', message: '안녕하세요' });
    await listItem(agent, '셋째고객').waitFor();
    await agent.waitForTimeout(1000);
    assert.equal((await notifications(agent)).length, 3, 'no notification once switched off');
    await agent.reload();
    await until(async () => (await agent.locator('#conn').textContent()) === '실시간 연결됨', 'live again');
    assert.equal(await agent.getByRole('switch', { name: '알림' }).isChecked(), false, 'remembered after a reload');
    await screenshot(agent, 'live-console-alerts-off');

    assert.deepEqual(agent.errors, [], 'no script errors');
  });
});

test('groups: the admin makes a team, and its manager sees the team\'s consultations and the queue', TIMEOUT, async () => {
  await withServer(async (s, browser) => {
    const kim = await account(s, 'team.kim', '김팀원');
    await account(s, 'team.boss', '박매니저', 'manager');
    const lee = await account(s, 'other.lee', '이외부');
    // Kim holds one, Lee another, and one waits.
    const ours = await webchatInflow(s, { uid: 'grp-01', name: '우리팀고객', message: '김팀원님께' });
    assert.equal((await as(s, kim.api_token, `/api/v1/consultations/${ours.consultation_id}/take`)).status, 200);
    const theirs = await webchatInflow(s, { uid: 'grp-02', name: '다른팀고객', message: '이외부님께' });
    assert.equal((await as(s, lee.api_token, `/api/v1/consultations/${theirs.consultation_id}/take`)).status, 200);
    await webchatInflow(s, { uid: 'grp-03', name: '대기팀고객', message: '기다립니다' });

    const admin = await (await browser.newContext(VIEWPORT)).newPage();
    admin.errors = [];
    admin.on('pageerror', (e) => admin.errors.push(e));
    await logIn(admin, s);
    await admin.goto(`${s.base}/admin/agents`);
    const section = admin.locator('#groups');
    await section.getByText('아직 그룹이 없습니다.').waitFor();

    // A name is needed; a group is added and listed with no members.
    await section.getByRole('button', { name: '그룹 추가' }).click();
    await until(async () => /그룹 이름을 적어 주세요/.test(await section.locator('#group-new-name-error').textContent()), 'the empty name refused');
    assert.equal(await section.getByLabel('새 그룹 이름').getAttribute('aria-invalid'), 'true');
    await section.getByLabel('새 그룹 이름').fill('상담1팀');
    await section.getByRole('button', { name: '그룹 추가' }).click();
    const groupRow = section.locator('#group-rows tr').first();
    await until(async () => (await section.getByRole('textbox', { name: '상담1팀 그룹 이름' }).inputValue()) === '상담1팀', 'the group listed');
    assert.equal(await groupRow.locator('.group-members').textContent(), '0명');
    // The same name again is refused beside the field.
    await section.getByLabel('새 그룹 이름').fill('상담1팀');
    await section.getByRole('button', { name: '그룹 추가' }).click();
    await until(async () => (await section.locator('#group-new-name-error').textContent()) === '이미 있는 그룹 이름입니다.', 'the taken name refused');

    // Kim and the manager join it from their rows' dialogs.
    const dialog = admin.locator('#manage-dialog');
    for (const [login, name] of [['team.kim', '김팀원'], ['team.boss', '박매니저']]) {
      const row = admin.locator('#account-rows tr', { hasText: login });
      assert.equal(await row.locator('.account-group').textContent(), '그룹 없음');
      await row.getByRole('button', { name: `${name} 계정 관리` }).click();
      await dialog.getByRole('heading', { name: `${name} 계정 관리` }).waitFor();
      await dialog.getByLabel('그룹', { exact: true }).selectOption({ label: '상담1팀' });
      await dialog.getByRole('button', { name: '그룹 저장' }).click();
      await dialog.locator('#manage-status').filter({ hasText: '그룹을 바꿨습니다.' }).waitFor();
      await dialog.getByRole('button', { name: '닫기' }).click();
      await until(async () => (await row.locator('.account-group').textContent()) === '상담1팀', `${login}'s row names the group`);
    }
    await until(async () => (await groupRow.locator('.group-members').textContent()) === '2명', 'two members counted');
    await screenshot(admin, 'live-accounts-groups');

    // The manager's console: the team's consultation and the queue, not Lee's.
    const boss = await consoleOf(browser, s, { login: 'team.boss', password: 'team.boss-pass-1' });
    await boss.getByRole('tab', { name: /^전체 진행/ }).click();
    await listItem(boss, '우리팀고객').waitFor();
    await boss.waitForTimeout(500);
    assert.equal(await listItem(boss, '다른팀고객').count(), 0, 'another team\'s consultation is not listed');
    await boss.getByRole('tab', { name: /^대기/ }).click();
    await listItem(boss, '대기팀고객').waitFor();
    await screenshot(boss, 'live-console-group-manager');

    // Renamed, then deleted: the accounts stay, in no group.
    await section.getByRole('textbox', { name: '상담1팀 그룹 이름' }).fill('상담A팀');
    await section.getByRole('button', { name: '상담1팀 그룹 이름 저장' }).click();
    await until(async () => (await admin.locator('#account-rows tr', { hasText: 'team.kim' }).locator('.account-group').textContent()) === '상담A팀',
      'the rows name the new name');
    await section.getByRole('button', { name: '상담A팀 그룹 삭제' }).click();
    await section.getByText('상담A팀 그룹을 삭제할까요? 소속 계정 2명은 그룹 없이 남습니다.').waitFor();
    await section.getByRole('button', { name: '네, 삭제합니다' }).click();
    await section.getByText('아직 그룹이 없습니다.').waitFor();
    assert.equal(await admin.locator('#account-rows tr', { hasText: 'team.kim' }).locator('.account-group').textContent(), '그룹 없음');
    const agents = (await s.api('/api/v1/agents')).json.agents;
    assert.equal(agents.find((a) => a.login === 'team.kim').group_id, null);

    assert.deepEqual([...admin.errors, ...boss.errors], [], 'no script errors');
  });
});

/** A 40×30 PNG. */
const PICTURE = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAACgAAAAeCAIAAADRv8uKAAAAK0lEQVR4nO3NMQ0AAAgDsMlBDrKRhQw4mvRvputExGKxWCwWi8VisVj8N14vntxMf8LYZAAAAABJRU5ErkJggg==', 'base64');

/** A stand-in for Naver's send API and image host: every send succeeds; the image is served
 * once `release()` is called (until then the user's message is only its address). */
async function fakeNaver() {
  let release;
  const released = new Promise((r) => { release = r; });
  const server = createServer(async (req, res) => {
    if (req.method === 'GET' && req.url.startsWith('/images/')) {
      await released;
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': PICTURE.length });
      res.end(PICTURE);
      return;
    }
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ success: true, resultCode: '00' }));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, release, close: () => new Promise((r) => server.close(r)) };
}

test('a Naver user\'s image shown first as its address becomes the image, in its place', TIMEOUT, async () => {
  const naver = await fakeNaver();
  const s = await startServer(['--naver-endpoint', naver.url, '--naver-key', 'live-naver-key']);
  const browser = await launchBrowser();
  try {
    const send = (event) => fetch(s.naverWebhook, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event),
    });
    const user = 'nv-live-user-xxxxxxxx';
    assert.equal((await send({ event: 'send', user, textContent: { text: '영수증 보내드릴게요' } })).status, 200);
    const agent = await consoleOf(browser, s);
    const item = agent.locator('#items .item', { hasText: '네이버 톡톡' });
    await item.waitFor();
    await item.click();
    await agent.locator('#messages .msg.customer', { hasText: '영수증 보내드릴게요' }).waitFor();

    const imageUrl = `${naver.url}/images/receipt.png`;
    assert.equal((await send({ event: 'send', user, imageContent: { imageUrl } })).status, 200);
    const shown = agent.locator('#messages .msg.customer').last();
    await until(async () => (await shown.textContent()).includes(imageUrl), 'the image\'s address shown first');
    const count = await agent.locator('#messages .msg').count();
    // The list's preview is the last message (its address, for now).
    await until(async () => (await item.locator('.item-preview').textContent()).includes('receipt.png'), 'the preview');

    naver.release();
    await until(async () => (await shown.locator('img').count()) === 1, 'the image in place of its address', 30_000);
    assert.equal(await agent.locator('#messages .msg').count(), count, 'the same message, not another');
    assert.ok(!(await shown.textContent()).includes(imageUrl), 'the address is gone');
    await until(async () => (await item.locator('.item-preview').textContent()) === '사진', 'the preview says 사진');
    await screenshot(agent, 'live-console-naver-image');

    assert.deepEqual(agent.errors, [], 'no script errors');
  } finally {
    await browser.close();
    await s.stop();
    await naver.close();
  }
});
