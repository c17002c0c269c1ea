// The agents' tools in the console, used as agents use them: a canned reply found by typing
// `/인사` in the reply box, filled in with the customer's name and sent by the agent; a customer
// blocked from the panel whose next consultation never reaches the queue; a memo written twice
// with its history, tags from the site's list and typed freely, the star and VIP, all still
// there after a reload; the canned replies' dialog, where an agent keeps their own and only
// reads the shared ones; and the admin's tag list on the parameter page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withServer, screenshot, until, chatWindow, write, consoleOf, takeFromQueue } from '../harness.mjs';

const TIMEOUT = { timeout: 180_000 };
const PASSWORD = 'agent-tools-pass-1';
/** What a blocked customer reads (the site's `blocked` message as Sangdam writes it). */
const BLOCKED = '죄송합니다. 지금은 이 채널로 상담을 도와드리기 어렵습니다. 필요하신 내용은 고객센터로 문의해 주세요.';

/** The texts of the chat window's messages, in screen order. */
function chatTexts(page) {
  return page.locator('#messages .msg .bubble').allTextContents();
}

/** The console's list entry whose name (as read) names `name`. */
const entryNamed = (page, name) => page.locator('#items').getByRole('button', { name: new RegExp(name) });

/** The panel's notice, as read. */
const panelNotice = (page) => page.locator('#panel-notice').textContent();

test('a canned reply found by /인사 is filled in with the customer\'s name and sent by the agent', TIMEOUT, async () => {
  await withServer(async (s, browser) => {
    const added = await s.api('/api/v1/canned-replies', {
      method: 'POST',
      body: {
        scope: 'shared',
        shortcut: '인사',
        title: '첫인사',
        body: '안녕하세요 [customer_name]님, 상담원 [counselor_name]입니다. 무엇을 도와드릴까요?',
      },
    });
    assert.equal(added.status, 201, JSON.stringify(added.json));
    const other = await s.api('/api/v1/canned-replies', {
      method: 'POST',
      body: { scope: 'shared', shortcut: '환불', title: '환불 안내', body: '환불은 3영업일 안에 처리됩니다.' },
    });
    assert.equal(other.status, 201, JSON.stringify(other.json));

    const customer = await chatWindow(browser, s, { site_uid: 'canned-01', cus_extra_username: '김고객' });
    await write(customer, '주문 관련 문의입니다');
    const agent = await consoleOf(browser, s);
    await takeFromQueue(agent, entryNamed(agent, '김고객'), { panel: true });

    const reply = agent.getByRole('textbox', { name: '답장' });
    await reply.click();
    await reply.pressSequentially('/인사');
    const listbox = agent.getByRole('listbox', { name: '상용구 목록' });
    await listbox.waitFor();
    const option = listbox.getByRole('option', { name: /\/인사/ });
    await option.waitFor();
    assert.equal(await listbox.getByRole('option').count(), 1, 'only what matches /인사 is listed');
    assert.equal(await option.getAttribute('aria-selected'), 'true', 'the best match is chosen');
    assert.equal(await reply.getAttribute('aria-activedescendant'), await option.getAttribute('id'));
    assert.match(await option.textContent(), /안녕하세요 김고객님, 상담원 관리자입니다/, 'the list shows it filled in');
    await screenshot(agent, 'agent-tools-canned-picker');

    await reply.press('Enter');
    const text = '안녕하세요 김고객님, 상담원 관리자입니다. 무엇을 도와드릴까요?';
    await until(async () => (await reply.inputValue()) === text, 'the reply in the box, filled in');
    assert.ok(await listbox.isHidden(), 'the list closes');
    assert.match(await agent.locator('#room-notice').textContent(), /확인한 뒤 보내세요/);
    // Put in the box, not sent.
    await agent.waitForTimeout(500);
    assert.equal(await agent.locator('#messages .msg.agent .msg-body', { hasText: '김고객님' }).count(), 0, 'nothing was sent');
    assert.ok(!(await chatTexts(customer)).includes(text), 'the customer has not got it yet');

    await reply.press('Enter');
    await until(async () => (await chatTexts(customer)).includes(text), 'the reply in the customer\'s window');
    // The box empties when the server has taken the reply, which the customer's window may beat.
    await until(async () => (await reply.inputValue()) === '', 'the reply box emptied once sent');
    await screenshot(customer, 'agent-tools-canned-customer');

    // Ctrl+/ opens the same list after the text; ↓ chooses, Tab puts it in, and Escape on an
    // unused list takes its `/` back.
    await reply.fill('네, ');
    await reply.press('End');
    await reply.press('Control+/');
    await until(async () => (await listbox.getByRole('option').count()) === 2, 'both replies listed');
    assert.equal(await reply.inputValue(), '네, /');
    await reply.press('Escape');
    assert.ok(await listbox.isHidden());
    assert.equal(await reply.inputValue(), '네, ', 'the / the picker put in is gone');
    await agent.getByRole('button', { name: '상용구', exact: true }).click();
    await until(async () => (await listbox.getByRole('option').count()) === 2, 'the list, from the button');
    await reply.pressSequentially('환');
    await until(async () => (await listbox.getByRole('option').count()) === 1
      && /환불 안내/.test(await listbox.getByRole('option').textContent()), 'the list narrowed to 환불');
    await reply.press('Tab');
    assert.equal(await reply.inputValue(), '네, 환불은 3영업일 안에 처리됩니다.');

    assert.deepEqual([...agent.errors, ...customer.errors], [], 'no script errors');
  });
});

test('a customer blocked from the panel: their next consultation is answered, closed and never queued', TIMEOUT, async () => {
  await withServer(async (s, browser) => {
    const customer = await chatWindow(browser, s, { site_uid: 'block-01', cus_extra_username: '차단고객' });
    await write(customer, '첫 문의입니다');
    const agent = await consoleOf(browser, s);
    await takeFromQueue(agent, entryNamed(agent, '차단고객'), { panel: true });
    const first = Number((await agent.locator('#room-title').textContent()).match(/#(\d+)/)[1]);

    // Choosing 차단 asks first; Cancel leaves the grade as it was.
    await agent.locator('label[for="grade-blocked"]').click();
    const dialog = agent.getByRole('dialog', { name: '이 고객을 차단할까요?' });
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /바로 종료됩니다/);
    await dialog.getByRole('button', { name: '취소' }).click();
    assert.ok(await dialog.isHidden());
    // The dialog's close event, which puts the grade back, comes a moment after it hides.
    await until(async () => agent.getByRole('radio', { name: '일반' }).isChecked(), 'still normal');
    assert.equal(await agent.getByRole('radio', { name: '차단' }).isChecked(), false, 'not blocked');

    await agent.locator('label[for="grade-blocked"]').click();
    await dialog.waitFor();
    await screenshot(agent, 'agent-tools-block-dialog');
    await dialog.getByRole('button', { name: '차단', exact: true }).click();
    await until(async () => /차단했습니다/.test(await panelNotice(agent)), 'the notice of the block');
    assert.equal(await agent.getByRole('radio', { name: '차단' }).isChecked(), true);
    assert.ok(await agent.locator('#customer-badges').getByText('차단된 고객').isVisible(), 'the badge at the top of the panel');
    assert.ok(await agent.locator('#room-badges').getByText('차단된 고객').isVisible(), 'the badge beside the title');

    // The consultation going on goes on until the agent closes it.
    await agent.getByRole('button', { name: '상담 종료' }).click();
    await agent.locator('#close-confirm').click();
    await until(async () => /종료/.test(await agent.locator('#room-state').textContent()), 'the consultation closed');

    // The same visitor starts again and writes.
    const restart = customer.getByRole('button', { name: '새 상담 시작' });
    await restart.waitFor();
    await restart.click();
    await until(async () => customer.getByRole('textbox', { name: '메시지' }).isEnabled(), 'the input usable again');
    await write(customer, '다시 문의합니다');
    await until(async () => (await chatTexts(customer)).includes(BLOCKED), 'the blocked message in the chat window');
    await screenshot(customer, 'agent-tools-blocked-customer');

    // The consultation is on record, closed as blocked.
    const closed = await until(async () => {
      const { json } = await s.api('/api/v1/consultations?state=closed');
      return json.consultations.find((c) => c.id > first);
    }, 'the blocked consultation on record');
    const detail = await s.api(`/api/v1/consultations/${closed.id}`);
    assert.equal(detail.json.consultation.state, 'closed');
    assert.equal(detail.json.consultation.end_type, 'blocked');
    assert.equal(detail.json.consultation.agent_id, null, 'no agent had it');
    assert.deepEqual(detail.json.messages.filter((m) => m.sender === 'customer').map((m) => m.body), ['다시 문의합니다']);

    // The queue never showed it.
    await agent.getByRole('tab', { name: /^대기/ }).click();
    for (let i = 0; i < 10; i += 1) {
      assert.equal(await agent.locator(`#items .item[data-id="${closed.id}"]`).count(), 0, 'not in the queue');
      assert.equal(await agent.locator('[data-count="waiting"]').textContent(), '0');
      await agent.waitForTimeout(200);
    }
    const waiting = await s.api('/api/v1/consultations?state=waiting');
    assert.deepEqual(waiting.json.consultations, []);

    assert.deepEqual([...agent.errors, ...customer.errors], [], 'no script errors');
  });
});

test('a memo twice with its history, tags from the list and typed, star and VIP: kept after a reload', TIMEOUT, async () => {
  await withServer(async (s, browser) => {
    const listed = await s.api('/api/v1/site/tags', { method: 'PUT', body: { tags: ['단골', '환불요청', '배송지연'] } });
    assert.equal(listed.status, 200, JSON.stringify(listed.json));
    const customer = await chatWindow(browser, s, { site_uid: 'memo-01', cus_extra_username: '박메모' });
    await write(customer, '배송이 늦어요');
    const agent = await consoleOf(browser, s);
    await takeFromQueue(agent, entryNamed(agent, '박메모'), { panel: true });

    // The memo, twice: the first one goes into the history with who wrote it.
    const memo = agent.getByRole('textbox', { name: '고객 메모' });
    await memo.fill('첫 메모: 지난달에도 배송 지연');
    await agent.getByRole('button', { name: '메모 남기기' }).click();
    await until(async () => (await panelNotice(agent)) === '메모를 남겼습니다.', 'the memo saved');
    assert.match(await agent.locator('#memo-meta').textContent(), /관리자/);
    await memo.fill('두 번째 메모: 쿠폰 안내함');
    await agent.getByRole('button', { name: '메모 남기기' }).click();
    await until(async () => (await agent.locator('#memo-history-summary').textContent()) === '메모 기록 (1)', 'the history counted');
    await agent.getByText('메모 기록 (1)').click();
    const history = agent.locator('#memo-history li');
    assert.equal(await history.count(), 1);
    assert.match(await history.textContent(), /관리자/);
    assert.match(await history.textContent(), /첫 메모: 지난달에도 배송 지연/);

    // Tags: one of the site's (the list offers them), one typed and ended with a comma.
    const offered = await agent.locator('#site-tag-list option').evaluateAll((os) => os.map((o) => o.value));
    assert.deepEqual(offered, ['단골', '환불요청', '배송지연']);
    const tagInput = agent.getByRole('combobox', { name: '태그 추가' });
    assert.equal(await tagInput.getAttribute('list'), 'site-tag-list');
    await tagInput.fill('배송지연');
    await tagInput.press('Enter');
    await until(async () => (await panelNotice(agent)) === '태그를 추가했습니다: #배송지연', 'the listed tag added');
    assert.equal(await tagInput.inputValue(), '');
    await tagInput.pressSequentially('쿠폰발송,');
    await until(async () => (await panelNotice(agent)) === '태그를 추가했습니다: #쿠폰발송', 'the typed tag added');
    const chips = () => agent.locator('#tags .tag-name').allTextContents();
    assert.deepEqual(await chips(), ['#배송지연', '#쿠폰발송']);
    // A tag already there is said so (and the notice replaces the last one).
    await tagInput.fill('#배송지연');
    await tagInput.press('Enter');
    await until(async () => (await panelNotice(agent)) === '이미 붙어 있는 태그입니다: #배송지연', 'the duplicate refused');
    await tagInput.fill('');

    // The star and VIP, shown at the top of the panel.
    const star = agent.getByRole('button', { name: '별표', exact: true });
    assert.equal(await star.getAttribute('aria-pressed'), 'false');
    await star.click();
    await until(async () => (await star.getAttribute('aria-pressed')) === 'true', 'the star on');
    assert.equal(await panelNotice(agent), '별표를 달았습니다.');
    await agent.locator('label[for="grade-vip"]').click();
    await until(async () => (await panelNotice(agent)) === 'VIP 고객으로 표시했습니다.', 'VIP saved');
    assert.deepEqual(await agent.locator('#customer-badges .badge').allTextContents(), ['VIP 고객', '★ 별표 고객']);
    await screenshot(agent, 'agent-tools-panel');

    // After a reload everything is still there.
    await agent.reload();
    await until(async () => (await agent.locator('#conn').textContent()) === '실시간 연결됨', 'the live connection again');
    await agent.getByRole('tab', { name: /^내 상담/ }).click();
    const item = entryNamed(agent, '박메모');
    await item.waitFor();
    await until(async () => (await item.locator('.item-marks .badge').allTextContents()).join(' ') === 'VIP ★별표 고객',
      'the VIP badge and the star in the list');
    await item.click();
    await until(async () => (await memo.inputValue()) === '두 번째 메모: 쿠폰 안내함', 'the memo after the reload');
    assert.deepEqual(await chips(), ['#배송지연', '#쿠폰발송']);
    assert.equal(await agent.getByRole('button', { name: '별표', exact: true }).getAttribute('aria-pressed'), 'true');
    assert.equal(await agent.getByRole('radio', { name: 'VIP' }).isChecked(), true);
    assert.equal(await agent.locator('#memo-history-summary').textContent(), '메모 기록 (1)');
    assert.equal(await panelNotice(agent), '', 'no notice left from before');

    // A tag is removed with its button.
    await agent.getByRole('button', { name: '태그 지우기: 쿠폰발송' }).click();
    await until(async () => (await panelNotice(agent)) === '태그를 지웠습니다: #쿠폰발송', 'the tag removed');
    assert.deepEqual(await chips(), ['#배송지연']);
    // Clearing the memo is a version of its own, shown as cleared.
    await memo.fill('');
    await agent.getByRole('button', { name: '메모 남기기' }).click();
    await until(async () => (await panelNotice(agent)) === '메모를 지웠습니다.', 'the memo cleared');
    assert.match(await agent.locator('#memo-meta').textContent(), /\(메모 삭제\)/);
    assert.equal(await agent.locator('#memo-history-summary').textContent(), '메모 기록 (2)');

    assert.deepEqual([...agent.errors, ...customer.errors], [], 'no script errors');
  });
});

test('the canned replies\' dialog: an agent keeps their own, reads the shared ones; a taken shortcut is said beside it', TIMEOUT, async () => {
  await withServer(async (s, browser) => {
    const shared = await s.api('/api/v1/canned-replies', {
      method: 'POST',
      body: { scope: 'shared', shortcut: '마무리', title: '', body: '더 궁금하신 점 있으시면 말씀해 주세요.' },
    });
    assert.equal(shared.status, 201);
    const made = await s.api('/api/v1/agents', {
      method: 'POST',
      body: { login: 'choi.agent', display_name: '최상담', role: 'agent', password: PASSWORD },
    });
    assert.equal(made.status, 201, JSON.stringify(made.json));

    // The admin adds a shared one from the dialog; a shortcut already used is refused beside it.
    const admin = await consoleOf(browser, s);
    await admin.getByRole('button', { name: '상용구 관리' }).click();
    const dialog = admin.getByRole('dialog', { name: '상용구 관리' });
    await dialog.waitFor();
    await until(async () => (await dialog.locator('#canned-shared .canned-item').count()) === 1, 'the shared one listed');
    await dialog.getByRole('button', { name: '새 상용구' }).click();
    await dialog.getByLabel('범위').selectOption('shared');
    await dialog.getByLabel('단축어').fill('마무리');
    await dialog.getByLabel('내용').fill('감사합니다, [customer_name]님.');
    await dialog.getByRole('button', { name: '저장' }).click();
    await until(async () => /이미 쓰고 있는 단축어/.test(await dialog.locator('#canned-shortcut-error').textContent()), 'the taken shortcut');
    assert.equal(await dialog.getByLabel('단축어').getAttribute('aria-invalid'), 'true');
    await dialog.getByLabel('단축어').fill('감사');
    await dialog.getByLabel('내용').fill('감사합니다, [customer].');
    await dialog.getByRole('button', { name: '저장' }).click();
    await until(async () => /\[customer_name\]과 \[counselor_name\]만/.test(await dialog.locator('#canned-body-error').textContent()), 'the unknown variable');
    await dialog.getByLabel('내용').fill('감사합니다, [customer_name]님.');
    await dialog.getByRole('button', { name: '저장' }).click();
    await until(async () => (await dialog.locator('#canned-dialog-status').textContent()) === '상용구를 저장했습니다: /감사', 'saved');
    assert.equal(await dialog.locator('#canned-shared .canned-item').count(), 2);
    await screenshot(admin, 'agent-tools-canned-dialog');
    await admin.keyboard.press('Escape');
    assert.ok(await dialog.isHidden());

    // An agent: their own are theirs to keep; the shared ones are read only.
    const agent = await consoleOf(browser, s, { login: 'choi.agent', password: PASSWORD });
    await agent.getByRole('button', { name: '상용구 관리' }).click();
    const theirs = agent.getByRole('dialog', { name: '상용구 관리' });
    await until(async () => (await theirs.locator('#canned-shared .canned-item').count()) === 2, 'the shared ones');
    assert.equal(await theirs.locator('#canned-shared button').count(), 0, 'no buttons on the shared ones');
    assert.ok(await theirs.getByText('공유 상용구는 매니저와 관리자가 관리합니다.').isVisible());
    assert.equal(await theirs.getByLabel('범위').count(), 0, 'no scope to choose');
    await theirs.getByRole('button', { name: '새 상용구' }).click();
    await theirs.getByLabel('단축어').fill('/마무리');
    await theirs.getByLabel('제목 (선택)').fill('내 마무리');
    await theirs.getByLabel('내용').fill('오늘 상담은 [counselor_name]이 도와드렸습니다.');
    await theirs.getByRole('button', { name: '저장' }).click();
    await until(async () => (await theirs.locator('#canned-mine .canned-item').count()) === 1, 'their own listed');
    assert.match(await theirs.locator('#canned-mine .canned-item').textContent(), /\/마무리.*내 마무리/);
    // Edited, then deleted after the second question.
    await theirs.getByRole('button', { name: '상용구 수정: /마무리' }).click();
    await theirs.getByLabel('제목 (선택)').fill('나의 마무리');
    await theirs.getByRole('button', { name: '저장' }).click();
    await until(async () => /나의 마무리/.test(await theirs.locator('#canned-mine').textContent()), 'edited');
    await theirs.getByRole('button', { name: '상용구 삭제: /마무리' }).click();
    assert.ok(await theirs.getByText('정말 지울까요?').isVisible());
    await theirs.getByRole('button', { name: '지우기' }).click();
    await until(async () => (await theirs.locator('#canned-dialog-status').textContent()) === '상용구를 지웠습니다: /마무리', 'deleted');
    // The list is drawn again after the status says so.
    await until(async () => (await theirs.locator('#canned-mine .canned-item').count()) === 0, 'the deleted one gone');
    // What the server refuses is said, not hidden: a shared one changed behind the page's back.
    const refused = await agent.evaluate(async (id) => {
      const r = await fetch(`/api/v1/canned-replies/${id}`, {
        method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ shortcut: 'x', body: 'y' }),
      });
      return r.status;
    }, shared.json.id);
    assert.equal(refused, 403);

    assert.deepEqual([...admin.errors, ...agent.errors], [], 'no script errors');
  });
});

test('the admin keeps the site\'s tag list on the parameter page; the hours page lists the blocked message', TIMEOUT, async () => {
  await withServer(async (s, browser) => {
    const page = await consoleOf(browser, s);
    await page.goto(`${s.base}/admin/parameters`);
    const box = page.getByRole('textbox', { name: '태그 목록 (한 줄에 하나)' });
    await until(async () => !(await box.isDisabled()), 'the list read');
    assert.equal(await box.inputValue(), '');
    await box.fill('단골\n#VIP후보\n\n환불요청, 배송지연');
    const section = page.locator('#customer-tags');
    await section.getByRole('button', { name: /저장/ }).click();
    await until(async () => (await section.getByRole('status').textContent()) === '저장되었습니다. 태그 4개', 'saved');
    assert.equal(await box.inputValue(), '단골\nVIP후보\n환불요청\n배송지연');
    const { json } = await s.api('/api/v1/site/tags');
    assert.deepEqual(json.tags, ['단골', 'VIP후보', '환불요청', '배송지연']);
    await box.fill('가'.repeat(30));
    await section.getByRole('button', { name: /저장/ }).click();
    await until(async () => /너무 길거나/.test(await section.locator('#site-tags-error').textContent()), 'the refusal beside the list');
    assert.equal(await box.getAttribute('aria-invalid'), 'true');
    await page.reload();
    await until(async () => (await box.inputValue()) === '단골\nVIP후보\n환불요청\n배송지연', 'the list after a reload');
    await screenshot(page, 'agent-tools-site-tags');

    await page.goto(`${s.base}/admin/hours`);
    const blocked = page.locator('fieldset.auto-message[data-kind="blocked"]');
    await blocked.waitFor();
    assert.equal(await blocked.locator('legend').textContent(), '차단 고객 안내');
    assert.equal(await blocked.locator('textarea').inputValue(), BLOCKED);
    assert.deepEqual(page.errors, [], 'no script errors');
  });
});
