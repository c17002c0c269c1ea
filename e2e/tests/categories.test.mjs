// Consultation categories, used as people use them: the admin builds categories with a
// division on the parameter page, reorders and switches them, chooses the default and sets the
// title message (refused first, naming the unknown variable); a customer arrives by a chat URL
// carrying category_id and division_id and writes; the chat window opens with the title
// message; the agent console shows the classification and the agent changes it and adds a
// sub-label.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, logIn, screenshot, until } from '../harness.mjs';

const TIMEOUT = { timeout: 180_000 };

/** The tree as the API gives it: name → node (categories and divisions). */
async function nodes(s) {
  const r = await s.api('/api/v1/site/categories');
  assert.equal(r.status, 200, JSON.stringify(r.json));
  const out = {};
  for (const c of r.json.categories) {
    out[c.name] = c;
    for (const d of c.divisions) out[d.name] = d;
  }
  return { list: r.json.categories, byName: out };
}

/** The names of the categories in the order the page shows them. */
async function shownCategories(page) {
  return page.locator('#category-tree > li.category-node > .node-row .node-name').allTextContents();
}

async function addCategory(page, name) {
  await page.getByLabel('새 대분류 이름').fill(name);
  await page.getByRole('button', { name: '대분류 추가' }).click();
  await until(async () => (await shownCategories(page)).includes(name), `${name} listed`);
}

test('the admin builds the tree and the title message; a customer\'s chat opens with it; the agent reclassifies', TIMEOUT, async () => {
  const s = await startServer();
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    await logIn(page, s);
    await page.goto(`${s.base}/admin/parameters#categories`);
    await page.getByRole('heading', { name: '상담 분류' }).waitFor();
    assert.ok(await page.getByText('아직 분류가 없습니다').isVisible(), 'an empty tree says so');

    // Three categories, one division.
    await addCategory(page, '상품문의');
    await addCategory(page, '배송문의');
    await addCategory(page, '기타문의');
    await page.getByLabel('상품문의의 새 중분류 이름').fill('일반상담');
    await page.getByRole('button', { name: '중분류 추가' }).first().click();
    await until(async () => (await page.locator('.division-node .node-name').allTextContents()).includes('일반상담'),
      'the division listed');
    // A name over the limit is refused beside its field, in words.
    await page.getByLabel('새 대분류 이름').evaluate((el) => el.removeAttribute('maxlength'));
    await page.getByLabel('새 대분류 이름').fill('가'.repeat(16));
    await page.getByRole('button', { name: '대분류 추가' }).click();
    await until(async () => (await page.locator('#category-new-error').textContent()) === '이름이 너무 깁니다.',
      'the refusal beside the name');
    assert.equal(await page.getByLabel('새 대분류 이름').getAttribute('aria-invalid'), 'true');
    await page.getByLabel('새 대분류 이름').fill('');

    // Reorder with the arrows; the focus stays on the arrow pressed.
    await page.getByRole('button', { name: '기타문의 위로' }).click();
    await until(async () => (await shownCategories(page)).join() === '상품문의,기타문의,배송문의', 'the new order');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), '기타문의 위로');

    // The default category; a category switched off is marked, and its default radio is off.
    await page.getByRole('radio', { name: '상품문의을(를) 기본 분류로' }).check();
    await until(async () => (await nodes(s)).byName['상품문의'].is_default, 'the default saved');
    await page.getByRole('switch', { name: '배송문의 사용' }).uncheck();
    await until(async () => !(await nodes(s)).byName['배송문의'].used, 'switched off');
    const off = page.locator('#category-tree > li.category-node', { hasText: '배송문의' });
    await off.getByText('사용 안 함').waitFor();
    assert.ok(await page.getByRole('radio', { name: '배송문의을(를) 기본 분류로' }).isDisabled());
    // The default cannot be switched off: the server's refusal is said, the switch stays on.
    await page.getByRole('switch', { name: '상품문의 사용' }).click();
    await until(async () => (await page.locator('#categories-status').textContent()).includes('기본 대분류는 사용 중지할 수 없습니다'),
      'the refusal');
    assert.ok(await page.getByRole('switch', { name: '상품문의 사용' }).isChecked());

    // The title message: an unknown variable is named, then a good one is saved.
    const title = page.getByLabel('제목 메시지 템플릿');
    await title.fill('[[category_name]/[grade]] 접수');
    await page.getByRole('button', { name: '저장 (제목 메시지)' }).click();
    await until(async () => (await page.locator('#title-template-error').textContent()).includes('제목 메시지에 쓸 수 없는 변수입니다: [grade]'),
      'the unknown variable named');
    await title.fill('[[category_name]/[division_name]] 상담이 접수되었습니다');
    await page.getByRole('button', { name: '저장 (제목 메시지)' }).click();
    await until(async () => (await page.locator('#title-form .status').textContent()) === '저장되었습니다.', 'saved');
    assert.equal(await page.locator('#title-template-error').textContent(), '');
    await screenshot(page, 'admin-categories');

    // The page shows the ids a chat URL carries; the customer arrives with them.
    const { byName } = await nodes(s);
    const goods = byName['상품문의'];
    const general = byName['일반상담'];
    const other = byName['기타문의'];
    assert.ok(await page.getByText(`ID ${goods.id}`, { exact: true }).isVisible());
    const customer = await browser.newContext({ locale: 'ko-KR', viewport: { width: 420, height: 800 } });
    const chat = await customer.newPage();
    chat.on('pageerror', (e) => errors.push(e));
    await chat.goto(`${s.base}/chat/${s.siteId}?params=category_id=${goods.id},division_id=${general.id}`);
    const input = chat.getByRole('textbox', { name: '메시지' });
    await input.waitFor();
    await until(async () => {
      const line = await chat.getByRole('status').textContent();
      return line && !line.includes('연결 중') && !line.includes('끊겼');
    }, 'connected');
    await input.fill('교환하고 싶어요');
    await input.press('Enter');
    const bubbles = () => chat.getByRole('log').locator('.msg .bubble').allTextContents();
    await until(async () => (await bubbles()).join('|') === '[상품문의/일반상담] 상담이 접수되었습니다|교환하고 싶어요',
      'the title message, then the customer\'s');
    await screenshot(chat, 'chat-title-message');

    // An agent's console shows the classification; the agent changes it once they hold the
    // consultation.
    const added = await s.api('/api/v1/agents', {
      method: 'POST',
      body: { login: 'kim', display_name: '김상담', password: 'kim-password-1' },
    });
    assert.equal(added.status, 201, JSON.stringify(added.json));
    const agentContext = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1280, height: 900 } });
    const agentPage = await agentContext.newPage();
    agentPage.on('pageerror', (e) => errors.push(e));
    await logIn(agentPage, s, 'kim', 'kim-password-1');
    await agentPage.goto(`${s.base}/console`);
    await until(async () => (await agentPage.locator('#conn').textContent()) === '실시간 연결됨', 'the console live');
    await agentPage.locator('#items').getByRole('button').first().click();
    await agentPage.locator('#category-card').waitFor();
    await until(async () => (await agentPage.locator('#f-category').textContent()) === '상품문의', 'the category shown');
    // Waiting in the queue: not theirs to change yet, and nothing offers it.
    await agentPage.getByText('상담을 맡은 상담원과 매니저, 관리자가 분류를 바꿀 수 있습니다.').waitFor();
    assert.equal(await agentPage.getByRole('button', { name: '분류 바꾸기' }).count(), 0);
    await agentPage.getByRole('button', { name: '가져오기' }).click();
    await agentPage.getByRole('button', { name: '분류 바꾸기' }).waitFor();
    await page.close();
    assert.equal(await agentPage.locator('#f-division').textContent(), '일반상담');
    assert.equal(await agentPage.locator('#f-sub-label').textContent(), '없음');
    // The room shows the title message too.
    await until(async () => (await agentPage.locator('#messages .msg.system .msg-body').allTextContents())
      .includes('[상품문의/일반상담] 상담이 접수되었습니다'), 'the title in the console');
    // The form opens with a button; a category switched off is not offered.
    await agentPage.getByRole('button', { name: '분류 바꾸기' }).click();
    assert.equal(await agentPage.evaluate(() => document.activeElement?.id), 'category-select');
    const options = await agentPage.getByLabel('대분류', { exact: true }).locator('option').allTextContents();
    assert.deepEqual(options, ['선택 안 함', '상품문의', '기타문의']);
    await agentPage.getByLabel('대분류', { exact: true }).selectOption({ label: '기타문의' });
    assert.deepEqual(await agentPage.getByLabel('중분류', { exact: true }).locator('option').allTextContents(), ['선택 안 함']);
    await agentPage.getByLabel('소분류', { exact: true }).fill('재문의');
    await agentPage.getByRole('button', { name: '분류 저장' }).click();
    await until(async () => (await agentPage.locator('#category-saved').textContent()) === '분류를 저장했습니다.', 'saved');
    assert.equal(await agentPage.evaluate(() => document.activeElement?.id), 'category-change', 'the focus back on the button');
    await until(async () => (await agentPage.locator('#f-category').textContent()) === '기타문의', 'the new category shown');
    assert.equal(await agentPage.locator('#f-sub-label').textContent(), '재문의');
    await screenshot(agentPage, 'console-category');
    const { json } = await s.api('/api/v1/consultations?state=in_progress');
    const saved = json.consultations[0];
    assert.equal(saved.category_id, other.id);
    assert.equal(saved.division_id, null);
    assert.equal(saved.sub_label, '재문의');

    assert.deepEqual(errors, [], 'the pages threw no script errors');
  } finally {
    await browser.close();
    await s.stop();
  }
});
