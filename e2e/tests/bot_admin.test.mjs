// The chatbot page, used as an admin uses it: from the console they open 챗봇, switch the bot on
// and save; add a block whose answer is a basic card with an agent button and see the preview
// draw the card; see a text over Open Builder's limit refused with its place and the limit; add
// a knowledge-base entry by hand and two from a CSV file; and try a question in the test
// console, which names the imported entry as the best candidate, with its accuracy, and shows
// its answer. An agent who opens the page is told it is the admin's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logIn, screenshot, until, withServer } from '../harness.mjs';

const TIMEOUT = { timeout: 240_000 };

test('the admin sets up the chatbot: settings, a card block, the knowledge base, the test console', TIMEOUT, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sangdam-bot-'));
  try {
    await withServer(async (s, browser) => {
      const context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1400, height: 1000 } });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e));
      const dialogs = [];
      page.on('dialog', (d) => { dialogs.push(d.message()); d.accept(); });
      await logIn(page, s);
      await page.goto(`${s.base}/console`);
      await page.getByRole('link', { name: '챗봇', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: '챗봇' }).waitFor();

      // --- Settings: the bot starts off; the measured default accuracy is named. -------------
      await page.locator('#bot-note').filter({ hasText: '챗봇이 꺼져 있습니다' }).waitFor();
      const view = (await s.api('/api/v1/bot')).json;
      assert.equal(view.settings.enabled, false);
      await page.locator('#min-accuracy-help').filter({ hasText: `측정된 기본값은 ${view.default_min_accuracy}%` }).waitFor();
      assert.equal(await page.getByLabel('최소 답변 정확도(%)').inputValue(), String(view.settings.min_accuracy));
      const enabled = page.getByRole('switch', { name: '사용', exact: true });
      await enabled.check();
      // A number out of range is refused beside its field, before anything is sent.
      await page.getByLabel('연속 폴백 후 상담원 연결 제안').fill('11');
      await page.getByRole('button', { name: '설정 저장' }).click();
      await page.locator('#fallbacks-error').filter({ hasText: '0에서 10 사이의 정수' }).waitFor();
      await page.getByLabel('연속 폴백 후 상담원 연결 제안').fill('3');
      await page.getByRole('button', { name: '설정 저장' }).click();
      await page.locator('#settings-status').filter({ hasText: '저장했습니다' }).waitFor();
      assert.equal(await page.locator('#bot-note').textContent(), '');
      const settings = (await s.api('/api/v1/bot')).json.settings;
      assert.equal(settings.enabled, true);
      assert.equal(settings.fallbacks_before_offer, 3);

      // --- A block answering with a basic card and an agent button. ---------------------------
      const blocks = page.locator('#block-list');
      await blocks.getByRole('button', { name: /웰컴 블록/ }).waitFor();
      await page.getByRole('button', { name: '새 블록 추가' }).click();
      const form = page.locator('#block-form');
      await form.getByLabel('이름', { exact: true }).fill('배송 안내');
      await form.getByLabel('예시 발화').fill('배송 언제 와요?\n배송 조회하고 싶어요');
      await form.getByLabel('키워드').fill('배송, 택배');
      const first = page.locator('#outputs > li').first();
      await first.getByLabel('종류').selectOption({ label: '기본 카드' });
      await first.getByLabel('썸네일 이미지 주소').fill('https://example.com/box.png');
      await first.getByLabel('제목').fill('배송 조회');
      await first.getByLabel('설명').fill('주문 번호로 배송 상태를 확인하세요.');
      await first.getByRole('button', { name: '버튼 추가' }).click();
      const button = first.locator('.buttons-editor li').first();
      await button.getByLabel('문구').fill('상담원 연결');
      await button.getByLabel('동작').selectOption({ label: '상담원 연결' });
      // The preview draws the card as the chat window will.
      const preview = page.locator('#block-preview');
      await preview.locator('.bot-card .bot-card-title').filter({ hasText: '배송 조회' }).waitFor();
      await preview.locator('.bot-card .bot-card-desc').filter({ hasText: '주문 번호로 배송 상태를 확인하세요.' }).waitFor();
      assert.equal(await preview.locator('.bot-card .bot-card-img').count(), 1, 'the thumbnail has its place');
      const agentButton = preview.locator('.bot-buttons .bot-button[data-action="operator"]');
      assert.equal(await agentButton.textContent(), '상담원 연결');
      await agentButton.click();
      await page.locator('#preview-tap').filter({ hasText: '상담원에게 연결합니다' }).waitFor();
      await screenshot(page, 'bot-admin-card-preview');
      await page.getByRole('button', { name: '블록 저장' }).click();
      await page.locator('#block-status').filter({ hasText: '저장했습니다' }).waitFor();
      await blocks.getByRole('button', { name: /배송 안내/ }).waitFor();
      const saved = (await s.api('/api/v1/bot')).json.blocks.find((b) => b.name === '배송 안내');
      assert.deepEqual(saved.keywords, ['배송', '택배']);
      assert.deepEqual(saved.response.outputs[0].basicCard.buttons, [{ label: '상담원 연결', action: 'operator' }]);
      assert.equal(saved.response.outputs[0].basicCard.thumbnail.imageUrl, 'https://example.com/box.png');

      // --- A text over 1000 characters is refused, naming the text and the limit. -------------
      await page.getByRole('button', { name: '출력 추가' }).click();
      const second = page.locator('#outputs > li').nth(1);
      await second.getByLabel('본문').fill('가'.repeat(1001));
      await page.getByRole('button', { name: '블록 저장' }).click();
      await page.locator('#block-status').filter({ hasText: '저장하지 못했습니다' }).waitFor();
      const problems = page.locator('#response-problem-list');
      await problems.filter({ hasText: '출력 2 · 텍스트 · 본문: 1001자입니다. 최대 1000자까지 쓸 수 있습니다.' }).waitFor();
      await second.locator('.field-error').filter({ hasText: '1001자입니다' }).waitFor();
      assert.equal(await second.getByLabel('본문').getAttribute('aria-invalid'), 'true');
      await screenshot(page, 'bot-admin-text-too-long');
      await page.getByRole('button', { name: '출력 2 삭제' }).click();
      await page.getByRole('button', { name: '블록 저장' }).click();
      await page.locator('#block-status').filter({ hasText: '저장했습니다' }).waitFor();
      assert.equal(await page.locator('#response-problems').isHidden(), true);

      // --- What the form does not edit (a carousel) is edited as JSON. ------------------------
      await page.getByRole('tab', { name: 'JSON' }).click();
      const json = page.getByRole('textbox', { name: '스킬 템플릿(JSON)' });
      assert.match(await json.inputValue(), /"basicCard"/);
      const card = (title) => ({ title, thumbnail: { imageUrl: 'https://example.com/c.png' }, buttons: [{ label: '자세히', action: 'webLink', webLinkUrl: 'https://example.com/' }] });
      await json.fill(JSON.stringify({ outputs: [{ carousel: { type: 'basicCard', items: [card('일반 배송'), card('빠른 배송')] } }] }));
      await preview.locator('.bot-carousel .bot-card').nth(1).filter({ hasText: '빠른 배송' }).waitFor();
      assert.equal(await preview.locator('.bot-carousel a.bot-button').first().getAttribute('href'), 'https://example.com/');
      await page.getByRole('tab', { name: '구성' }).click();
      await page.locator('#form-unsupported').filter({ hasText: 'JSON 탭에서만' }).waitFor();
      assert.equal(await page.locator('#outputs').isHidden(), true);
      await page.getByRole('tab', { name: 'JSON' }).click();
      assert.match(await json.inputValue(), /"carousel"/, 'the JSON is kept');
      await json.fill('{"outputs": [');
      await page.locator('#response-json-error').filter({ hasText: 'JSON으로 읽을 수 없습니다' }).waitFor();
      await json.fill(JSON.stringify({ outputs: [{ carousel: { type: 'basicCard', items: [card('일반 배송'), card('빠른 배송')] } }] }));
      await page.getByRole('button', { name: '블록 저장' }).click();
      await page.locator('#block-status').filter({ hasText: '저장했습니다' }).waitFor();
      const carousel = (await s.api('/api/v1/bot')).json.blocks.find((b) => b.name === '배송 안내').response.outputs[0].carousel;
      assert.equal(carousel.type, 'basicCard');
      assert.equal(carousel.items.length, 2);
      assert.equal(await page.getByRole('tab', { name: 'JSON' }).getAttribute('aria-selected'), 'true', 'a carousel opens as JSON');

      // --- The knowledge base: one entry by hand. ---------------------------------------------
      await page.getByRole('button', { name: '항목 추가' }).click();
      const dialog = page.locator('#entry-dialog');
      // Saved empty: each field says what it lacks.
      await dialog.getByRole('button', { name: '저장' }).click();
      await dialog.locator('#entry-questions-error').filter({ hasText: '질문이 하나 이상 있어야 합니다.' }).waitFor();
      await dialog.locator('#entry-answer-error').filter({ hasText: '비어 있습니다' }).waitFor();
      await dialog.getByLabel('분류').fill('결제');
      await dialog.getByLabel('질문', { exact: true }).fill('환불은 어떻게 하나요?\n환불 방법 알려주세요');
      await dialog.getByLabel('답변', { exact: true }).fill('주문 내역에서 환불을 신청하세요.');
      await dialog.locator('#entry-preview .bot-text').filter({ hasText: '주문 내역에서 환불을 신청하세요.' }).waitFor();
      await dialog.getByRole('button', { name: '저장' }).click();
      await dialog.waitFor({ state: 'hidden' });
      const rows = page.locator('#kb-rows');
      await rows.locator('tr').filter({ hasText: '환불은 어떻게 하나요?' }).filter({ hasText: '외 1개' }).waitFor();

      // --- Two more from a CSV file. ----------------------------------------------------------
      // A file with a row without questions imports nothing and names the row.
      const bad = join(dir, 'bad.csv');
      writeFileSync(bad, ['분류,질문,답변', '회원,비밀번호를 잊어버렸어요,찾기를 누르세요.', '회원,,답만 있는 행'].join('\n'));
      await page.getByLabel('파일', { exact: true }).setInputFiles(bad);
      await page.getByRole('button', { name: '가져오기', exact: true }).click();
      await page.locator('#import-problems').filter({ hasText: '3행 · 질문: 질문이 하나 이상 있어야 합니다.' }).waitFor();
      await page.locator('#import-status').filter({ hasText: '가져오지 않았습니다' }).waitFor();
      assert.equal(await rows.locator('tr').count(), 1, 'nothing was imported');
      const csv = join(dir, '지식베이스.csv');
      writeFileSync(csv, [
        '분류,질문,답변,사용',
        '회원,비밀번호를 잊어버렸어요,로그인 화면의 ‘비밀번호 찾기’를 누르세요.,Y',
        '회원,"회원 탈퇴는 어디서 하나요?\n탈퇴하고 싶어요",마이페이지의 설정에서 탈퇴할 수 있습니다.,Y',
      ].join('\n'));
      await page.getByLabel('파일', { exact: true }).setInputFiles(csv);
      await page.getByRole('button', { name: '가져오기', exact: true }).click();
      await page.locator('#import-status').filter({ hasText: '2개 항목을 가져왔습니다.' }).waitFor();
      await rows.locator('tr').filter({ hasText: '비밀번호를 잊어버렸어요' }).waitFor();
      await rows.locator('tr').filter({ hasText: '회원 탈퇴는 어디서 하나요?' }).waitFor();
      assert.equal(await rows.locator('tr').count(), 3);
      await page.locator('#kb-count').filter({ hasText: '3개 중 3개 표시' }).waitFor();
      // The search narrows the table.
      await page.getByLabel('검색').fill('탈퇴');
      await until(async () => (await rows.locator('tr').count()) === 1, 'the search to leave one entry');
      await page.getByLabel('검색').fill('');
      await screenshot(page, 'bot-admin-knowledge');

      // --- The test console names the imported entry and shows its answer. --------------------
      await page.getByLabel('고객의 말').fill('비밀번호를 잊어버렸어요');
      await page.getByRole('button', { name: '시험하기' }).click();
      const best = page.locator('#test-candidates tbody tr').first();
      await best.waitFor();
      assert.equal(await best.getAttribute('data-kind'), 'knowledge');
      const cells = await best.locator('td').allInnerTexts();
      assert.equal(cells[1], '지식');
      assert.equal(cells[3], '비밀번호를 잊어버렸어요');
      const accuracy = Number(cells[4].match(/(\d+)%/)?.[1]);
      assert.ok(accuracy >= settings.min_accuracy && accuracy <= 100, `accuracy ${cells[4]}`);
      assert.equal(cells[5], '이 후보가 답합니다');
      await page.locator('#test-outcome').filter({ hasText: '챗봇의 답' }).waitFor();
      await page.locator('#test-preview .bot-text').filter({ hasText: '로그인 화면의 ‘비밀번호 찾기’를 누르세요.' }).waitFor();
      await screenshot(page, 'bot-admin-test-console');
      assert.deepEqual(errors, [], 'the page threw no script errors');

      // --- An agent is told the page is the admin's. ------------------------------------------
      const created = await s.api('/api/v1/agents', {
        method: 'POST',
        body: { login: 'kim.agent', display_name: '김상담', password: 'kim-password-1' },
      });
      assert.equal(created.status, 201);
      const agent = await (await browser.newContext({ locale: 'ko-KR' })).newPage();
      await logIn(agent, s, 'kim.agent', 'kim-password-1');
      const res = await agent.goto(`${s.base}/admin/bot`);
      assert.equal(res.status(), 403);
      await agent.getByRole('heading', { name: '권한이 없습니다' }).waitFor();
      await agent.getByText('챗봇은 사이트 관리자만 관리할 수 있습니다.').waitFor();
      await agent.goto(`${s.base}/console`);
      await agent.locator('.who').filter({ hasText: '김상담' }).waitFor();
      assert.equal(await agent.getByRole('link', { name: '챗봇', exact: true }).count(), 0, 'no link for agents');
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
