// Distribution by category, used as the people involved use it: the admin builds the site's
// categories and the title message on the parameters page, chooses "by category" and says on
// the accounts page which categories each agent serves; a customer arrives by a chat URL that
// names a category and reads the title message; the consultation is the agent's who serves that
// category, not the other's; that agent sends it back into another category and division, and
// it becomes the other agent's, whose timeline says who moved it from where to where.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, logIn, screenshot, until } from '../harness.mjs';

const TIMEOUT = { timeout: 240_000 };
const PASSWORD = 'by-category-pass-1';
const VIEWPORT = { viewport: { width: 1360, height: 900 }, locale: 'ko-KR' };

/** An agent made by the admin, with a password to log in with. */
async function addAgent(s, login, name) {
  const r = await s.api('/api/v1/agents', {
    method: 'POST',
    body: { login, display_name: name, role: 'agent', password: PASSWORD },
  });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json.agent.id;
}

/** The site's categories and divisions by name, as the API gives them. */
async function nodes(s) {
  const r = await s.api('/api/v1/site/categories');
  assert.equal(r.status, 200, JSON.stringify(r.json));
  const out = {};
  for (const c of r.json.categories) {
    out[c.name] = c;
    for (const d of c.divisions) out[d.name] = d;
  }
  return out;
}

/** A browser context logged in to the console as `login`, with the page's script errors kept. */
async function consoleOf(browser, s, login) {
  const context = await browser.newContext(VIEWPORT);
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e));
  await page.goto(`${s.base}/login`);
  await page.getByLabel('아이디', { exact: true }).fill(login);
  await page.getByLabel('비밀번호', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await page.waitForURL(`${s.base}/console`);
  await until(async () => (await page.locator('#conn').textContent()) === '실시간 연결됨', 'the live connection');
  await until(async () => !(await page.locator('fieldset.presence input[type=radio]').first().isDisabled()), 'the status switch');
  return page;
}

async function goOnline(page) {
  await page.locator('fieldset.presence label', { hasText: '온라인' }).click();
  await until(async () => (await page.locator('fieldset.presence input[type=radio]:checked + label').textContent()) === '온라인',
    'online');
}

/** The number a tab shows next to its name. */
async function tabCount(page, name) {
  return Number(await page.getByRole('tab', { name: new RegExp(`^${name}`) }).locator('.count').textContent());
}

/** Opens the agent's own consultation `cid` from the "mine" tab. */
async function openMine(page, cid) {
  await page.getByRole('tab', { name: /^내 상담/ }).click();
  await page.locator('#items').getByRole('button', { name: new RegExp(`상담 #${cid}(\\D|$)`) }).click();
  await until(async () => /진행 중 \(담당: 나\)/.test(await page.locator('#room-state').textContent()), 'the room as theirs');
}

async function addCategory(page, name) {
  await page.getByLabel('새 대분류 이름').fill(name);
  await page.getByRole('button', { name: '대분류 추가' }).click();
  await page.locator('#category-tree .node-name', { hasText: name }).first().waitFor();
}

test('by category: the customer\'s category picks the agent; sent back into another, it goes to the other', TIMEOUT, async () => {
  const s = await startServer();
  const browser = await launchBrowser();
  try {
    const kim = await addAgent(s, 'kim', '김배송');
    const lee = await addAgent(s, 'lee', '이환불');

    // The admin builds the categories, a division of 배송, and the title message.
    const admin = await (await browser.newContext(VIEWPORT)).newPage();
    const adminErrors = [];
    admin.on('pageerror', (e) => adminErrors.push(e));
    await logIn(admin, s);
    await admin.goto(`${s.base}/admin/parameters#categories`);
    await admin.getByRole('heading', { name: '상담 분류' }).waitFor();
    await addCategory(admin, '배송');
    await addCategory(admin, '환불');
    await addCategory(admin, '이벤트');
    await admin.getByLabel('배송의 새 중분류 이름').fill('지연');
    await admin.getByRole('button', { name: '중분류 추가' }).first().click();
    await admin.locator('.division-node .node-name', { hasText: '지연' }).waitFor();
    await admin.getByLabel('제목 메시지 템플릿').fill('[[category_name]] 상담이 접수되었습니다');
    await admin.getByRole('button', { name: '저장 (제목 메시지)' }).click();
    await until(async () => (await admin.locator('#title-form .status').textContent()) === '저장되었습니다.', 'the title saved');
    const ids = await nodes(s);

    // The accounts page: "by category", and who serves what.
    await admin.goto(`${s.base}/admin/agents`);
    const section = admin.getByRole('region', { name: '상담 배분' });
    await section.getByLabel('카테고리별').check();
    await section.getByRole('button', { name: '배분 설정 저장' }).click();
    await section.getByRole('status').filter({ hasText: '배분 설정을 저장했습니다.' }).waitFor();
    const row = (name) => admin.locator('#account-rows tr', { hasText: name });
    const boxes = async (name) => row(name).locator('.category-boxes label').allTextContents();
    await until(async () => (await boxes('김배송')).length === 3, 'the categories drawn in the rows');
    assert.deepEqual((await boxes('김배송')).map((x) => x.trim()), ['배송', '환불', '이벤트'], 'the categories, not their divisions');
    await row('김배송').getByLabel('배송', { exact: true }).check();
    await row('김배송').getByLabel('이벤트', { exact: true }).check();
    await row('김배송').getByRole('button', { name: '김배송의 배분 설정 저장' }).click();
    await row('김배송').getByRole('status').filter({ hasText: '저장했습니다.' }).waitFor();
    await row('이환불').getByLabel('환불', { exact: true }).check();
    await row('이환불').getByRole('button', { name: '이환불의 배분 설정 저장' }).click();
    await row('이환불').getByRole('status').filter({ hasText: '저장했습니다.' }).waitFor();

    // A category switched off that an agent still serves stays in their row, marked, checked;
    // the others no longer see it offered.
    const off = await s.api(`/api/v1/site/categories/${ids['이벤트'].id}`, { method: 'PATCH', body: { used: false } });
    assert.equal(off.status, 200, JSON.stringify(off.json));
    await admin.reload();
    await until(async () => (await boxes('김배송')).length === 3, 'the rows drawn again');
    assert.ok(await row('김배송').getByLabel('이벤트 (사용 안 함)').isChecked());
    assert.ok(await row('김배송').getByLabel('배송', { exact: true }).isChecked());
    assert.ok(!(await row('김배송').getByLabel('환불', { exact: true }).isChecked()));
    assert.deepEqual((await boxes('이환불')).map((x) => x.trim()), ['배송', '환불']);
    assert.ok(await row('이환불').getByLabel('환불', { exact: true }).isChecked());
    await screenshot(admin, 'by-category-accounts');
    // Kim stops serving it.
    await row('김배송').getByLabel('이벤트 (사용 안 함)').uncheck();
    await row('김배송').getByRole('button', { name: '김배송의 배분 설정 저장' }).click();
    await row('김배송').getByRole('status').filter({ hasText: '저장했습니다.' }).waitFor();
    const board = (await s.api('/api/v1/agents/board')).json.agents;
    const serves = (id) => board.find((a) => a.agent.id === id).agent.serves_categories;
    assert.deepEqual(serves(kim), [ids['배송'].id]);
    assert.deepEqual(serves(lee), [ids['환불'].id]);

    // Both agents online, each in their own browser.
    const a = await consoleOf(browser, s, 'kim');
    const b = await consoleOf(browser, s, 'lee');
    await goOnline(a);
    await goOnline(b);

    // A customer comes for a refund: the title message, then their own, then the greeting of
    // the agent it went to.
    const chat = await (await browser.newContext({ viewport: { width: 390, height: 760 }, locale: 'ko-KR' })).newPage();
    const chatErrors = [];
    chat.on('pageerror', (e) => chatErrors.push(e));
    await chat.goto(`${s.base}/chat/${s.siteId}?params=category_id=${ids['환불'].id}`);
    await until(async () => (await chat.locator('#chat-status').textContent()) === '연결됨', 'the chat window connected');
    await chat.getByRole('textbox', { name: '메시지' }).fill('환불하고 싶어요');
    await chat.keyboard.press('Enter');
    const bubbles = () => chat.getByRole('log').locator('.msg .bubble').allTextContents();
    await until(async () => (await bubbles()).join('|')
      === '[환불] 상담이 접수되었습니다|환불하고 싶어요|안녕하세요, 상담원 이환불입니다. 무엇을 도와드릴까요?',
    'the title message, then the customer\'s, then Lee\'s greeting');
    await until(async () => (await chat.locator('#chat-status').textContent()) === '상담원 이환불님과 상담 중입니다', 'the agent connected, by name');
    await screenshot(chat, 'by-category-chat');

    // It is Lee's (환불), not Kim's (배송).
    await until(async () => (await tabCount(b, '내 상담')) === 1, 'the consultation in Lee\'s list');
    const cid = (await s.api('/api/v1/consultations?state=in_progress')).json.consultations[0].id;
    assert.equal(await tabCount(a, '내 상담'), 0, 'not in Kim\'s list');
    await openMine(b, cid);
    await until(async () => (await b.locator('#f-category').textContent()) === '환불', 'the category shown');
    await until(async () => (await b.locator('#timeline').textContent()).includes('자동 배분으로 이환불님에게 배정되었습니다.'),
      'the timeline says distribution gave it to Lee');

    // Lee sends it back into 배송 / 지연 through the dialog.
    await b.getByRole('button', { name: '대기열로 돌려보내기' }).click();
    const dialog = b.getByRole('dialog', { name: '대기열로 돌려보내기' });
    await dialog.waitFor();
    const category = dialog.getByLabel('보낼 대분류');
    await until(async () => (await category.locator('option').count()) > 1, 'the categories to choose from');
    assert.deepEqual(await category.locator('option').allTextContents(), ['바꾸지 않음 (환불)', '배송', '환불'],
      'the categories in use, the current one kept by default');
    assert.equal(await category.inputValue(), '');
    assert.ok(!(await dialog.getByLabel('보낼 중분류').isVisible()), '환불 has no division to choose');
    await category.selectOption({ label: '배송' });
    const division = dialog.getByLabel('보낼 중분류');
    await division.waitFor();
    assert.deepEqual(await division.locator('option').allTextContents(), ['중분류 없음', '지연']);
    await division.selectOption({ label: '지연' });
    await dialog.getByLabel('메모 (선택, 최대 200자)').fill('배송 지연 건입니다');
    await screenshot(b, 'by-category-send-back');
    await dialog.getByRole('button', { name: '돌려보내기' }).click();
    await until(async () => !(await dialog.isVisible()), 'the dialog closed');
    await b.locator('#news').getByText(`대기열로 돌려보냈습니다: 상담 #${cid} · 분류 배송 / 지연`).waitFor();

    // Now Kim's, classified as chosen, with the move on its timeline.
    await until(async () => (await tabCount(a, '내 상담')) === 1, 'the consultation in Kim\'s list');
    await until(async () => (await tabCount(b, '내 상담')) === 0, 'gone from Lee\'s list');
    await openMine(a, cid);
    await until(async () => (await a.locator('#f-category').textContent()) === '배송', 'the new category shown');
    assert.equal(await a.locator('#f-division').textContent(), '지연');
    const timeline = a.locator('#timeline');
    await until(async () => (await timeline.locator('li .tl-text').count()) === 3, 'three entries');
    assert.deepEqual(await timeline.locator('li .tl-text').allTextContents(), [
      '자동 배분으로 이환불님에게 배정되었습니다.',
      '이환불님이 대기열로 돌려보냈습니다.',
      '자동 배분으로 김배송님에게 배정되었습니다.',
    ]);
    const sentBack = timeline.locator('li', { hasText: '이환불님이 대기열로 돌려보냈습니다.' });
    assert.equal(await sentBack.locator('.tl-category').textContent(), '분류: 환불 → 배송 / 지연');
    assert.equal(await sentBack.locator('.tl-note').textContent(), '메모: 배송 지연 건입니다');
    await until(async () => (await a.locator('#messages').textContent()).includes('환불하고 싶어요'), 'the conversation in Kim\'s room');
    await screenshot(a, 'by-category-landed');

    assert.deepEqual(adminErrors, [], 'the admin pages threw no script errors');
    assert.deepEqual(a.errors, [], 'Kim\'s console threw no script errors');
    assert.deepEqual(b.errors, [], 'Lee\'s console threw no script errors');
    assert.deepEqual(chatErrors, [], 'the chat window threw no script errors');
  } finally {
    await browser.close();
    await s.stop();
  }
});
