// Distribution to agents, used as the people involved use it: the admin chooses how
// consultations are distributed and an agent's limit on the accounts page; an agent steps away
// while a customer writes (the chat window shows the customer's place in the queue) and comes
// back to find the consultation theirs; one agent transfers a consultation to another, who
// answers the request; a manager watches the board of agents' loads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withServer, screenshot, until, customerSays, consoleOf, waitLive } from '../harness.mjs';

const PASSWORD = 'distribution-pass-1';

/** Calls the JSON API with an account's token. */
async function as(s, token, path, { method = 'GET', body } = {}) {
  const res = await fetch(s.base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

/** An account made by the admin (with a password to log in with and an API token). */
async function addAccount(s, login, name, { role = 'agent', max } = {}) {
  const r = await s.api('/api/v1/agents', {
    method: 'POST',
    body: { login, display_name: name, role, password: PASSWORD, api_token: true },
  });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const id = r.json.agent.id;
  if (max) {
    const set = await s.api(`/api/v1/agents/${id}/routing`, { method: 'PUT', body: { max_concurrent: max } });
    assert.equal(set.status, 200, JSON.stringify(set.json));
  }
  return { id, login, name, token: r.json.api_token };
}

async function setMode(s, mode) {
  const r = await s.api('/api/v1/site/distribution', { method: 'PUT', body: { mode } });
  assert.equal(r.status, 200, JSON.stringify(r.json));
}

/** A customer arriving by the web chat and writing, through the API: the consultation's id. */
async function customerWrites(s, body) {
  const res = await fetch(`${s.base}/api/v1/webchat/${s.siteId}/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url: `${s.base}/chat/${s.siteId}`, channel: 'webchat_v2' }),
  });
  assert.equal(res.status, 200);
  return (await customerSays(s, await res.json(), body)).consultation_id;
}

/** A browser context logged in to the console as `login`, with the page's script errors kept,
 * ready once the header's status can be switched. */
function consoleAs(browser, s, login, password = PASSWORD) {
  return consoleOf(browser, s, { login, password, ready: statusSwitchable });
}

/** The console is connected and has read its lists: the header's status can be switched. */
async function statusSwitchable(page) {
  await waitLive(page, { settle: false });
  await until(async () => !(await page.locator('fieldset.presence input[type=radio]').first().isDisabled()), 'the status switch');
}

/** The status the header shows as chosen. */
async function chosenStatus(page) {
  return page.locator('fieldset.presence input[type=radio]:checked + label').textContent();
}

async function switchStatus(page, name) {
  await page.locator('fieldset.presence label', { hasText: name }).click();
  await until(async () => (await chosenStatus(page)) === name, `the status ${name}`);
}

/** The number a tab shows next to its name. */
async function tabCount(page, name) {
  return Number(await page.getByRole('tab', { name: new RegExp(`^${name}`) }).locator('.count').textContent());
}

function listItem(page, id) {
  return page.locator('#items').getByRole('button', { name: new RegExp(`상담 #${id}(\\D|$)`) });
}

test('the admin chooses the distribution mode and an agent\'s limit on the accounts page', async () => {
  await withServer(async (s, browser) => {
    const kim = await addAccount(s, 'kim', '김상담');
    const admin = await consoleAs(browser, s, s.login, s.password);
    await admin.goto(`${s.base}/admin/agents`);
    const section = admin.getByRole('region', { name: '상담 배분' });
    await section.getByRole('heading', { name: '상담 배분' }).waitFor();
    assert.ok(await section.getByLabel('수동').isChecked(), 'manual by default');
    assert.match(await section.textContent(), /모든 상담이 대기열에 들어가고, 상담원이 직접 가져갑니다/);
    assert.ok(await section.getByLabel('답하지 않은 상담 회수').isVisible());
    assert.ok(await section.getByLabel('회수까지 (분)').isDisabled(), 'reclaim is off by default');

    // A time out of range is refused beside its field, and nothing is saved.
    await section.getByLabel('적은 순').check();
    await section.getByLabel('콘솔이 닫힌 뒤 오프라인으로 보기까지 (분)').fill('0');
    await section.getByRole('button', { name: '배분 설정 저장' }).click();
    await section.locator('#offline-after-error').filter({ hasText: '1~60 사이의 정수(분)로 적어 주세요.' }).waitFor();
    assert.equal(await section.getByLabel('콘솔이 닫힌 뒤 오프라인으로 보기까지 (분)').getAttribute('aria-invalid'), 'true');
    assert.equal((await s.api('/api/v1/site/distribution')).json.mode, 'manual', 'a refused save changes nothing');

    await section.getByLabel('콘솔이 닫힌 뒤 오프라인으로 보기까지 (분)').fill('3');
    await section.getByLabel('답하지 않은 상담 회수').check();
    await section.getByLabel('회수까지 (분)').fill('15');
    await section.getByLabel('다시 찾은 고객은 지난번 상담원에게 (그 상담원에게 여유가 있을 때)').check();
    await section.getByRole('button', { name: '배분 설정 저장' }).click();
    await section.getByRole('status').filter({ hasText: '배분 설정을 저장했습니다.' }).waitFor();
    assert.equal(await section.locator('#offline-after-error').textContent(), '');

    // The agent's limit: a refused one is explained in its row, then 3 is kept.
    const row = admin.locator('#account-rows tr', { hasText: '김상담' });
    const limit = row.getByLabel('김상담의 동시 상담 한도');
    assert.equal(await limit.inputValue(), '10', 'the default limit');
    await limit.fill('101');
    await row.getByRole('button', { name: '김상담의 배분 설정 저장' }).click();
    await row.getByText('1~100 사이의 정수로 적어 주세요.').waitFor();
    assert.equal(await limit.getAttribute('aria-invalid'), 'true');
    await limit.fill('3');
    await row.getByLabel('카카오톡').check();
    await row.getByRole('button', { name: '김상담의 배분 설정 저장' }).click();
    await row.getByRole('status').filter({ hasText: '저장했습니다.' }).waitFor();
    await screenshot(admin, 'distribution-settings');

    // After a reload the page shows what was stored.
    await admin.reload();
    const again = admin.getByRole('region', { name: '상담 배분' });
    assert.ok(await again.getByLabel('적은 순').isChecked(), 'least_open is the mode now');
    assert.equal(await again.getByLabel('콘솔이 닫힌 뒤 오프라인으로 보기까지 (분)').inputValue(), '3');
    assert.ok(await again.getByLabel('답하지 않은 상담 회수').isChecked());
    assert.equal(await again.getByLabel('회수까지 (분)').inputValue(), '15');
    assert.ok(await again.getByLabel('다시 찾은 고객은 지난번 상담원에게 (그 상담원에게 여유가 있을 때)').isChecked());
    const kimRow = admin.locator('#account-rows tr', { hasText: '김상담' });
    assert.equal(await kimRow.getByLabel('김상담의 동시 상담 한도').inputValue(), '3');
    assert.ok(await kimRow.getByLabel('카카오톡').isChecked());
    assert.ok(!(await kimRow.getByLabel('네이버 톡톡').isChecked()));
    const stored = (await as(s, kim.token, '/api/v1/me/presence')).json;
    assert.equal(stored.agent.max_concurrent, 3);
    assert.deepEqual(stored.agent.serves_channels, ['kakao']);
    assert.deepEqual(admin.errors, [], 'the page threw no script errors');
  });
});

test('an agent back from away finds the waiting customer theirs; the chat window showed its place', async () => {
  await withServer(async (s, browser) => {
    await setMode(s, 'least_open');
    await addAccount(s, 'kim', '김상담', { max: 4 });
    const agent = await consoleAs(browser, s, 'kim');
    assert.equal(await chosenStatus(agent), '온라인', 'logging in is coming to work');
    assert.equal(await agent.locator('#load').textContent(), '0/4');
    await switchStatus(agent, '자리 비움');
    // The automatic mode: nobody takes from the queue by hand, and the console says so.
    await agent.getByText('이 사이트는 상담을 자동으로 배분합니다.', { exact: false }).first().waitFor();

    const customer = await (await browser.newContext({ viewport: { width: 390, height: 760 }, locale: 'ko-KR' })).newPage();
    const customerErrors = [];
    customer.on('pageerror', (e) => customerErrors.push(e));
    await customer.goto(`${s.base}/chat/${s.siteId}`);
    await until(async () => (await customer.locator('#chat-status').textContent()) === '연결됨', 'the chat window connected');
    assert.ok(!(await customer.locator('#chat-queue').isVisible()), 'no queue line before writing');
    await customer.getByRole('textbox', { name: '메시지' }).fill('상담 가능할까요?');
    await customer.keyboard.press('Enter');
    const queueLine = customer.locator('#chat-queue');
    await until(async () => (await queueLine.isVisible()) && (await queueLine.textContent()).startsWith('대기 순번 1번째'),
      'the place in the queue');
    await screenshot(customer, 'distribution-chat-waiting');

    // The agent's queue shows it first, with how long it has waited, and no take button.
    await until(async () => (await tabCount(agent, '대기')) === 1, 'the consultation in the queue');
    const waiting = agent.locator('#items .item').first();
    await until(async () => /1번째 · 대기 (1분 미만|\d+분)/.test(await waiting.textContent()), 'its place and waiting time');
    await waiting.click();
    await agent.locator('#room-title').filter({ hasText: '상담 #' }).waitFor();
    assert.ok(!(await agent.getByRole('button', { name: '가져오기' }).isVisible()), 'no take in an automatic mode');
    assert.equal(await agent.getByRole('textbox', { name: '답장' }).getAttribute('placeholder'), '자동 배분을 기다리는 상담입니다.');
    await screenshot(agent, 'distribution-agent-away');

    // Back online: the consultation is theirs at once.
    await switchStatus(agent, '온라인');
    await until(async () => (await tabCount(agent, '내 상담')) === 1, 'the consultation in "mine"');
    assert.equal(await tabCount(agent, '대기'), 0);
    await until(async () => (await agent.locator('#load').textContent()) === '1/4', 'the header load 1/4');
    await until(async () => /진행 중 \(담당: 나\)/.test(await agent.locator('#room-state').textContent()), 'the room as theirs');
    await agent.getByRole('tab', { name: /^내 상담/ }).click();
    assert.equal(await agent.locator('#items .item').count(), 1);
    await until(async () => (await agent.locator('#timeline').textContent()).includes('자동 배분으로 김상담님에게 배정되었습니다.'),
      'the timeline says distribution gave it');

    await until(async () => !(await queueLine.isVisible()), 'the queue line gone');
    await until(async () => /^상담원 .+님과 상담 중입니다$/.test(await customer.locator('#chat-status').textContent()), 'the customer told, with the agent\'s name');
    await screenshot(agent, 'distribution-agent-online');
    assert.deepEqual(agent.errors, [], 'the console threw no script errors');
    assert.deepEqual(customerErrors, [], 'the chat window threw no script errors');
  });
});

test('an agent transfers a consultation with a note; the other declines, then accepts', async () => {
  await withServer(async (s, browser) => {
    const kim = await addAccount(s, 'kim', '김상담');
    const lee = await addAccount(s, 'lee', '이상담');
    const a = await consoleAs(browser, s, 'kim');
    const b = await consoleAs(browser, s, 'lee');
    await switchStatus(b, '온라인');
    const cid = await customerWrites(s, '배송 문의드려요');

    // A takes it from the queue (manual, the default mode).
    await listItem(a, cid).click();
    await a.getByRole('button', { name: '가져오기' }).click();
    await until(async () => (await tabCount(a, '내 상담')) === 1, 'the consultation taken');
    await until(async () => (await a.locator('#timeline').textContent()).includes('김상담님이 대기열에서 가져갔습니다.'),
      'the timeline says who took it');

    /** A asks B to take it over, with a note. */
    async function requestTransfer(note) {
      await a.getByRole('button', { name: '전달' }).click();
      const dialog = a.getByRole('dialog', { name: '다른 상담원에게 전달' });
      await dialog.waitFor();
      const select = dialog.getByLabel('상담원');
      await until(async () => (await select.locator('option').count()) > 1, 'the agents to choose from');
      const options = await select.locator('option').allTextContents();
      assert.ok(!options.some((o) => o.startsWith('김상담')), `not oneself: ${options}`);
      const theirs = options.find((o) => o.startsWith('이상담'));
      assert.equal(theirs, '이상담 · 온라인', 'with their presence');
      await select.selectOption({ label: theirs });
      await dialog.getByLabel('메모 (선택, 최대 200자)').fill(note);
      await dialog.getByRole('button', { name: '전달 요청' }).click();
      await until(async () => !(await dialog.isVisible()), 'the dialog closed');
      await a.locator('#transfer-pending').filter({ hasText: '이상담님에게 전달 요청 중' }).waitFor();
      assert.ok(await a.getByRole('button', { name: '전달' }).isDisabled(), 'one request at a time');
    }

    // B declines the first request: the consultation stays with A, who is told.
    await requestTransfer('제 담당이 아니에요');
    const requests = b.getByRole('region', { name: '받은 전달 요청' });
    await requests.getByText(`김상담님의 전달 요청: 상담 #${cid}`).waitFor();
    await requests.getByText('메모: 제 담당이 아니에요').waitFor();
    await requests.getByRole('button', { name: '거절' }).click();
    await until(async () => !(await requests.isVisible()), 'the prompt gone after declining');
    await a.locator('#news').getByText(`이상담님이 전달을 거절했습니다: 상담 #${cid}`, { exact: false }).waitFor();
    await until(async () => !(await a.locator('#transfer-pending').isVisible()), 'no longer pending');
    assert.equal(await tabCount(a, '내 상담'), 1, 'still A\'s');

    // A asks again but takes it back before B answers: B's prompt goes, B is told.
    await requestTransfer('잘못 보냈어요');
    await requests.getByText('메모: 잘못 보냈어요').waitFor();
    await a.locator('#transfer-pending').getByRole('button', { name: '요청 취소' }).click();
    await until(async () => !(await a.locator('#transfer-pending').isVisible()), 'no longer pending after withdrawing');
    await a.locator('#news').getByText(`이상담님에게 보낸 전달 요청을 취소했습니다: 상담 #${cid}`).waitFor();
    await until(async () => !(await requests.isVisible()), 'B\'s prompt gone');
    await b.locator('#news').getByText(`김상담님이 전달 요청을 취소했습니다: 상담 #${cid}`).waitFor();
    assert.ok(await a.getByRole('button', { name: '전달' }).isEnabled(), 'a new request may be made');

    // The second request, accepted: the consultation moves to B.
    await requestTransfer('배송 건은 이상담님이 잘 아세요');
    await requests.getByText('메모: 배송 건은 이상담님이 잘 아세요').waitFor();
    assert.match(await requests.textContent(), /\d+초 뒤 만료/);
    await screenshot(b, 'distribution-transfer-request');
    await requests.getByRole('button', { name: '수락' }).click();
    await until(async () => !(await requests.isVisible()), 'the prompt gone after accepting');
    await until(async () => (await tabCount(b, '내 상담')) === 1, 'the consultation in B\'s list');
    // The entry reads: the customer, the channel, the last message, the consultation and when.
    const entry = new RegExp(`^이름 없는 고객웹채팅 v2\\S.*상담 #${cid} · \\S.*\\d$`);
    await until(async () => entry.test(await b.locator('#items .item').textContent()), 'B\'s list entry');
    await until(async () => /진행 중 \(담당: 나\)/.test(await b.locator('#room-state').textContent()), 'B has it open as theirs');
    await until(async () => (await b.locator('#messages').textContent()).includes('배송 문의드려요'), 'the conversation in B\'s room');
    const timeline = b.locator('#timeline');
    await until(async () => (await timeline.textContent()).includes('김상담님에게서 이상담님에게 전달되었습니다.'),
      'the timeline shows the transfer');
    const lines = await timeline.locator('li .tl-text').allTextContents();
    assert.deepEqual(lines, [
      '김상담님이 대기열에서 가져갔습니다.',
      '김상담님이 이상담님에게 전달을 요청했습니다.',
      '이상담님이 전달을 거절했습니다.',
      '김상담님이 이상담님에게 전달을 요청했습니다.',
      '김상담님이 이상담님에게 보낸 전달 요청을 취소했습니다.',
      '김상담님이 이상담님에게 전달을 요청했습니다.',
      '김상담님에게서 이상담님에게 전달되었습니다.',
    ]);
    assert.match(await timeline.textContent(), /메모: 배송 건은 이상담님이 잘 아세요/);
    await screenshot(b, 'distribution-transferred');

    // A: it left their list, and they were told.
    await a.locator('#news').getByText(`이상담님이 전달을 수락했습니다: 상담 #${cid}`).waitFor();
    await until(async () => (await tabCount(a, '내 상담')) === 0, 'gone from A\'s list');
    assert.equal((await as(s, lee.token, `/api/v1/consultations/${cid}`)).json.consultation.agent_id, lee.id);
    assert.notEqual(kim.id, lee.id);
    assert.deepEqual(a.errors, [], 'A\'s console threw no script errors');
    assert.deepEqual(b.errors, [], 'B\'s console threw no script errors');
  });
});

test('a manager watches the agents\' presence and loads on the board, live', async () => {
  await withServer(async (s, browser) => {
    const kim = await addAccount(s, 'kim', '김상담', { max: 5 });
    const lee = await addAccount(s, 'lee', '이상담', { max: 3 });
    await addAccount(s, 'park', '박매니저', { role: 'manager' });
    for (const [who, status] of [[kim, 'online'], [lee, 'away']]) {
      const r = await as(s, who.token, '/api/v1/me/presence', { method: 'PUT', body: { status } });
      assert.equal(r.status, 200);
    }
    const takeOne = async (who) => {
      const cid = await customerWrites(s, '문의드립니다');
      const r = await as(s, who.token, `/api/v1/consultations/${cid}/take`, { method: 'POST' });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      return cid;
    };
    await takeOne(kim);
    await takeOne(kim);
    await takeOne(lee);

    const manager = await consoleAs(browser, s, 'park');
    const board = manager.getByRole('region', { name: '상담원 현황' });
    const row = (name) => board.locator('#board-rows tr', { hasText: name });
    const cells = async (name) => (await row(name).locator('th, td').allTextContents()).map((x) => x.trim());
    await until(async () => (await row('이상담').count()) === 1, 'the board filled');
    assert.deepEqual(await cells('김상담'), ['김상담', '온라인', '2/5', '받음']);
    assert.deepEqual(await cells('이상담'), ['이상담', '자리 비움', '1/3', '받음']);
    // The manager is online from logging in (managers take and assign by hand).
    assert.deepEqual((await cells('박매니저')).slice(1), ['온라인', '0/10', '받음']);
    await screenshot(manager, 'distribution-board');

    // Live: another consultation for Kim, and Lee switches "takes no consultations" on.
    await takeOne(kim);
    await until(async () => (await cells('김상담'))[2] === '3/5', 'Kim\'s load 3/5 without a reload');
    const r = await as(s, lee.token, '/api/v1/me/presence', { method: 'PUT', body: { takes_consultations: false } });
    assert.equal(r.status, 200);
    await until(async () => (await cells('이상담'))[3] === '받지 않음', 'Lee takes none');
    assert.deepEqual(manager.errors, [], 'the console threw no script errors');
  });
});

test('the chat window\'s place moves up with the queue, with an estimate once there is history', async () => {
  await withServer(async (s, browser) => {
    const take = async (cid) => {
      const r = await s.api(`/api/v1/consultations/${cid}/take`, { method: 'POST' });
      assert.equal(r.status, 200, JSON.stringify(r.json));
    };
    // Three customers already served from the queue: enough recent waiting times to estimate.
    for (let i = 0; i < 3; i += 1) await take(await customerWrites(s, `이전 문의 ${i}`));
    const ahead = await customerWrites(s, '먼저 온 문의');

    const customer = await (await browser.newContext({ viewport: { width: 390, height: 760 }, locale: 'ko-KR' })).newPage();
    const errors = [];
    customer.on('pageerror', (e) => errors.push(e));
    await customer.goto(`${s.base}/chat/${s.siteId}`);
    await until(async () => (await customer.locator('#chat-status').textContent()) === '연결됨', 'the chat window connected');
    await customer.getByRole('textbox', { name: '메시지' }).fill('언제 연결되나요?');
    await customer.keyboard.press('Enter');
    const line = customer.locator('#chat-queue');
    await until(async () => (await line.textContent()) === '대기 순번 2번째 · 예상 대기 약 1분', 'second, with an estimate');

    // The one ahead is taken: the window moves up without a reload.
    await take(ahead);
    await until(async () => (await line.textContent()) === '대기 순번 1번째 · 예상 대기 약 1분', 'first now');
    assert.ok(await line.isVisible());

    // Its own turn: the line goes.
    const mine = (await s.api('/api/v1/queue')).json.places[0].consultation_id;
    await take(mine);
    await until(async () => !(await line.isVisible()), 'the queue line gone');
    assert.deepEqual(errors, [], 'the chat window threw no script errors');
  });
});
