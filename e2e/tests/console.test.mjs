// The agent console, used as an agent would: log in, watch the queue fill live, take a
// consultation, read the customer panel, reply, close, edit the phone, correct a room's ID and
// undo it, open the history of another channel, do it all by keyboard, and in English.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withServer, screenshot, until, waitLive, webchatInflow, customerSays, kakaoSays } from '../harness.mjs';

/** A server, a browser and a page; `run` gets them and everything is stopped afterwards. */
async function withConsole(run, { viewport = { width: 1360, height: 900 } } = {}) {
  await withServer(async (s, browser) => {
    const context = await browser.newContext({ viewport, locale: 'ko-KR' });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    await run(s, page);
    assert.deepEqual(errors, [], 'the page threw no script errors');
  });
}

async function logIn(page, s, query = '', { login = s.login, password = s.password } = {}) {
  await page.goto(`${s.base}/login${query}`);
  const en = query.includes('en');
  await page.getByLabel(en ? 'Login' : '아이디', { exact: true }).fill(login);
  await page.getByLabel(en ? 'Password' : '비밀번호', { exact: true }).fill(password);
  await page.getByRole('button', { name: en ? 'Log in' : '로그인', exact: true }).click();
  await page.waitForURL(`${s.base}/console`);
  await waitLive(page, { text: en ? 'Live' : '실시간 연결됨' });
}

/** The number a tab shows next to its name. */
async function tabCount(page, name) {
  const text = await page.getByRole('tab', { name: new RegExp(`^${name}`) }).locator('.count').textContent();
  return Number(text);
}

/** The value shown next to a label in the customer panel (a dt/dd pair, as read on screen). */
async function fact(page, label) {
  return page.evaluate((label) => {
    const dt = [...document.querySelectorAll('#customer dt')]
      .find((d) => d.textContent.trim().startsWith(label));
    return dt ? dt.nextElementSibling.textContent.replace(/\s+/g, ' ').trim() : null;
  }, label);
}

/** The list entry of a consultation, found by what the agent reads on it. */
function listItem(page, text) {
  return page.locator('#items').getByRole('button', { name: new RegExp(text) });
}

test('login: a wrong password is refused in words, the right one opens the console, logout leaves', async () => {
  await withConsole(async (s, page) => {
    // Without a login the console sends people to the login form.
    await page.goto(`${s.base}/console`);
    assert.equal(page.url(), `${s.base}/login`);
    await screenshot(page, 'login');

    await page.getByLabel('아이디').fill(s.login);
    await page.getByLabel('비밀번호').fill('not-the-password');
    await page.getByRole('button', { name: '로그인' }).click();
    const alert = page.getByRole('alert');
    await until(async () => (await alert.textContent()).includes('아이디 또는 비밀번호가 틀렸습니다'), 'the error');
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.equal(await page.getByLabel('아이디').inputValue(), s.login, 'the login typed is kept');
    assert.equal(await page.getByLabel('비밀번호').getAttribute('aria-invalid'), 'true');

    await page.getByLabel('비밀번호').fill(s.password);
    await page.getByRole('button', { name: '로그인' }).click();
    await page.waitForURL(`${s.base}/console`);
    await waitLive(page);
    assert.ok(await page.getByText('관리자').first().isVisible(), 'who is logged in is shown');
    for (const tab of ['대기', '내 상담', '전체 진행', '오늘 종료']) {
      assert.ok(await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).isVisible(), `tab ${tab}`);
    }
    assert.equal(await tabCount(page, '대기'), 0);

    // The root address leads to the console; logging out ends the session.
    await page.goto(`${s.base}/`);
    assert.equal(page.url(), `${s.base}/console`);
    await page.getByRole('button', { name: '로그아웃' }).click();
    await page.waitForURL(`${s.base}/login`);
    await page.goto(`${s.base}/console`);
    assert.equal(page.url(), `${s.base}/login`, 'the session is gone');
  });
});

test('an inflow reaches the queue live; take, read the panel, reply, close', async () => {
  await withConsole(async (s, page) => {
    await logIn(page, s);
    assert.equal(await tabCount(page, '대기'), 0);

    const session = await webchatInflow(s, {
      uid: 'member-e2e-1', name: '홍길동', phone: '010-1234-5678', p1: '네이버 검색', p2: 'VIP',
      message: '배송이 언제 오나요?',
    });
    // No reload: the WebSocket brings it.
    await until(async () => (await tabCount(page, '대기')) === 1, 'the waiting count to become 1');
    const item = listItem(page, '홍길동');
    await item.waitFor();
    assert.match(await item.textContent(), /웹채팅 v2/);
    await screenshot(page, 'console-waiting');

    await item.click();
    const messages = page.locator('#messages');
    await until(async () => (await messages.textContent()).includes('배송이 언제 오나요?'), 'the customer message');
    assert.equal(await page.locator('#messages .msg.customer .msg-body').first().textContent(), '배송이 언제 오나요?');
    assert.ok(await page.getByRole('textbox', { name: '답장' }).isDisabled(), 'no reply before taking');

    await page.getByRole('button', { name: '가져오기' }).click();
    await until(async () => (await tabCount(page, '내 상담')) === 1, 'mine to count 1');
    assert.equal(await tabCount(page, '대기'), 0);
    assert.equal(await tabCount(page, '전체 진행'), 1);
    assert.match(await page.locator('#room-state').textContent(), /진행 중 \(담당: 나\)/);

    // The customer panel: every value in its place.
    assert.equal(await fact(page, 'ID'), 'member-e2e-1 미인증');
    assert.equal(await fact(page, '이름'), '홍길동');
    assert.match(await fact(page, '전화번호'), /^010-1234-5678/);
    assert.match(await fact(page, '채널'), /웹채팅 v2/);
    assert.equal(await fact(page, '고객 키'), session.customer_key);
    assert.equal(await fact(page, '유입경로'), '네이버 검색');
    assert.equal(await fact(page, '유저구분'), 'VIP');
    const info = page.getByRole('link', { name: /상담 정보 보기/ });
    assert.equal(await info.getAttribute('href'),
      `https://crm.example.com/view?id=member-e2e-1&src=${encodeURIComponent('네이버 검색')}&room=${session.room_id}`);
    assert.equal(await info.getAttribute('target'), '_blank');
    await until(async () => new RegExp(`상담 #${session.consultation_id} · 웹채팅 v2 · 진행 중 · .* \\(현재\\)`)
      .test(await page.locator('#history').textContent()), 'the history to show it in progress');

    // Reply with Enter; the reply is shown once and stored.
    await page.getByRole('textbox', { name: '답장' }).fill('내일 도착합니다.');
    await page.keyboard.press('Enter');
    await until(async () => (await page.locator('#messages .msg.agent').count()) === 1, 'the reply on screen');
    assert.equal(await page.locator('#messages .msg.agent .msg-body').textContent(), '내일 도착합니다.');
    const stored = await s.api(`/api/v1/rooms/${session.room_id}/messages`);
    const reply = stored.json.messages.find((m) => m.body === '내일 도착합니다.');
    assert.ok(reply, 'the reply is stored');
    assert.equal(reply.sender, 'agent');

    // The customer writes again: it appears in the open room without a reload.
    await customerSays(s, session, '감사합니다!');
    await until(async () => (await page.locator('#messages .msg.customer').count()) === 2, 'the second customer message');
    await page.waitForTimeout(300);
    assert.equal(await page.locator('#messages .msg.agent').count(), 1, 'the reply is not duplicated');
    await screenshot(page, 'console-room');

    // Close asks first: cancelled, nothing changes and the focus is back on the button.
    await page.getByRole('button', { name: '상담 종료' }).click();
    const confirmClose = page.getByRole('dialog', { name: '이 상담을 종료할까요?' });
    await confirmClose.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.textContent), '취소', 'Cancel has the focus');
    await confirmClose.getByRole('button', { name: '취소' }).click();
    await confirmClose.waitFor({ state: 'hidden' });
    assert.equal((await s.api(`/api/v1/consultations/${session.consultation_id}`)).json.consultation.state, 'in_progress');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'close');
    // Confirmed: it leaves "mine" and counts as closed today.
    await page.getByRole('button', { name: '상담 종료' }).click();
    await confirmClose.getByRole('button', { name: '종료', exact: true }).click();
    await until(async () => (await tabCount(page, '오늘 종료')) === 1, 'closed today to count 1');
    assert.equal(await tabCount(page, '내 상담'), 0);
    assert.match(await page.locator('#room-state').textContent(), /종료/);
    assert.equal((await s.api(`/api/v1/consultations/${session.consultation_id}`)).json.consultation.state, 'closed');

    // A phone-sized screen: one column, nothing wider than the screen.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.waitForTimeout(200);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `the console fits 360 px (scrollWidth ${width})`);
    await screenshot(page, 'console-room-360');
  });
});

test('an agent sees the queue and their own, and is offered only what they may do', async () => {
  await withConsole(async (s, page) => {
    // Two agents of the demo site, added by its admin; Lee works through the API.
    const account = async (login, name) => {
      const r = await s.api('/api/v1/agents', {
        method: 'POST',
        body: { login, display_name: name, password: 'agent-pass-1234', api_token: true },
      });
      assert.equal(r.status, 201);
      return r.json;
    };
    await account('agent.kim', '김상담');
    const lee = await account('agent.lee', '이상담');
    const asLee = (path) => fetch(`${s.base}${path}`, {
      method: 'POST', headers: { authorization: `Bearer ${lee.api_token}` },
    });
    const held = await webchatInflow(s, { uid: 'lee-1', name: '홍길동', message: '이상담님께' });
    assert.equal((await asLee(`/api/v1/consultations/${held.consultation_id}/take`)).status, 200);
    await webchatInflow(s, { uid: 'queue-1', name: '성춘향', message: '대기 중' });

    await logIn(page, s, '', { login: 'agent.kim', password: 'agent-pass-1234' });
    assert.equal(await page.getByRole('tab', { name: /^전체 진행/ }).count(), 0, 'no "all in progress" tab');
    await until(async () => (await tabCount(page, '대기')) === 1, 'the queue to count 1');
    await until(async () => (await listItem(page, '성춘향').count()) === 1, 'the queued customer listed');
    assert.equal(await listItem(page, '홍길동').count(), 0, "another agent's consultation is not listed");

    // A waiting consultation: take is offered; closing, replying and editing come after.
    await listItem(page, '성춘향').click();
    await page.getByRole('button', { name: '가져오기' }).waitFor();
    await until(async () => page.locator('#customer').isVisible(), 'the customer panel');
    assert.ok(await page.getByRole('button', { name: '상담 종료' }).isHidden(), 'no close before taking');
    assert.ok(await page.getByRole('button', { name: '전화번호 수정' }).isHidden(), 'no phone edit before taking');
    assert.ok(await page.locator('#link-form').isHidden(), 'no ID correction before taking');
    assert.ok((await page.locator('#edit-locked').textContent()).includes('먼저 상담을 가져오세요'));
    await screenshot(page, 'console-agent-queue');

    // Lee takes it first: the room closes, since Kim may no longer see it.
    const queued = await s.api('/api/v1/consultations?state=waiting');
    const waitingId = queued.json.consultations[0].id;
    assert.equal((await asLee(`/api/v1/consultations/${waitingId}/take`)).status, 200);
    await until(async () => page.locator('#room-placeholder').isVisible(), 'the room view to close');
    assert.ok((await page.locator('#room-placeholder').textContent()).includes('더 볼 수 없습니다'));
    await until(async () => (await tabCount(page, '대기')) === 0, 'the queue to empty');

    // Another customer: once taken, everything of theirs is offered.
    await webchatInflow(s, { uid: 'queue-2', name: '이몽룡', message: '문의합니다' });
    await listItem(page, '이몽룡').click();
    await page.getByRole('button', { name: '가져오기' }).click();
    await page.getByRole('button', { name: '상담 종료' }).waitFor();
    await until(async () => page.getByRole('button', { name: '전화번호 수정' }).isVisible(), 'the phone edit');
    assert.ok(await page.locator('#link-form').isVisible());
    assert.ok(await page.locator('#edit-locked').isHidden());
  });
});

test('taking a consultation another agent took first says so', async () => {
  await withConsole(async (s, page) => {
    // The console's event feed, as it travels: consultation events can be held back, as a slow
    // network would, so the page still shows the consultation as waiting when it is taken.
    let hold = false;
    const held = [];
    await page.routeWebSocket(/\/api\/v1\/console\/ws/, (ws) => {
      const server = ws.connectToServer();
      server.onMessage((m) => {
        if (hold && String(m).includes('"type":"consultation"')) held.push(m);
        else ws.send(m);
      });
    });
    await logIn(page, s);
    const session = await webchatInflow(s, { uid: 'race-1', name: '이순신', message: '문의' });
    await listItem(page, '이순신').click();
    await page.getByRole('button', { name: '가져오기' }).waitFor();

    hold = true;
    assert.equal((await s.api(`/api/v1/consultations/${session.consultation_id}/take`, { method: 'POST' })).status, 200);
    await page.getByRole('button', { name: '가져오기' }).click();
    await until(async () => (await page.getByRole('alert').filter({ hasText: '이미 다른 상담원이 가져갔습니다' }).count()) === 1,
      'the already-taken message');
    hold = false;
    assert.ok(held.length >= 1, 'an event was held back');
  });
});

test('another channel with the same ID joins the profile history, each consultation openable', async () => {
  await withConsole(async (s, page) => {
    await logIn(page, s);
    const web = await webchatInflow(s, { uid: 'member-x', name: '박지성', message: '웹에서 문의' });
    await listItem(page, '박지성').click();
    await until(async () => (await page.locator('#history li').count()) === 1, 'one consultation in the history');

    // The same member arrives on KakaoTalk while the panel is open.
    await kakaoSays(s, 'kakao-user-e2e', '카카오에서 다시 문의합니다', { site_uid: 'member-x' }, { plusfriendUserKey: 'pf-e2e' });
    await until(async () => (await page.locator('#history li').count()) === 2, 'two consultations in the history');
    const kakaoEntry = page.locator('#history').getByRole('button', { name: /카카오톡/ });
    assert.equal(await kakaoEntry.count(), 1);
    assert.equal(await page.locator('#history').getByRole('button', { name: /웹채팅 v2.*\(현재\)/ }).count(), 1);
    // Both rooms are the same profile's, on the server too.
    const webRoom = (await s.api(`/api/v1/rooms/${web.room_id}`)).json;
    const profile = (await s.api(`/api/v1/profiles/${webRoom.profile_id}`)).json;
    assert.deepEqual(profile.history.map((h) => h.channel).sort(), ['kakao', 'webchat_v2']);

    // Open the Kakao consultation: its messages in a dialog; Escape closes it.
    await kakaoEntry.click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /카카오에서 다시 문의합니다/);
    assert.match(await dialog.textContent(), /카카오톡/);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement?.textContent ?? ''),
      await kakaoEntry.textContent(), 'focus returns to the history entry');
  });
});

test('phone is editable with validation; mobile is read-only with how it was verified', async () => {
  await withConsole(async (s, page) => {
    await logIn(page, s);
    const session = await webchatInflow(s, { uid: 'member-m', name: '김연아', phone: '010-2222-3333', message: '안녕하세요' });
    const room = (await s.api(`/api/v1/rooms/${session.room_id}`)).json;
    const verified = await s.api(`/api/v1/profiles/${room.profile_id}/mobile-verifications`, {
      method: 'POST', body: { mobile: '010-9999-0000', method: 'sms' },
    });
    assert.equal(verified.status, 200);
    await listItem(page, '김연아').click();
    await until(async () => (await fact(page, '휴대폰')) !== null && (await fact(page, '휴대폰')).includes(verified.json.mobile),
      'the mobile number');
    const mobile = await fact(page, '휴대폰');
    assert.match(mobile, /SMS 인증/);
    assert.match(mobile, /읽기 전용/);
    assert.equal(await page.locator('#f-mobile').locator('input, button, textarea, [contenteditable]').count(), 0,
      'nothing edits the mobile');

    // A phone over 100 characters is refused, in words, and nothing changes.
    await page.getByRole('button', { name: '전화번호 수정' }).click();
    const input = page.getByRole('textbox', { name: '전화번호' });
    await input.fill('1'.repeat(101));
    await page.getByRole('button', { name: '저장' }).click();
    const error = page.locator('#phone-error');
    await until(async () => (await error.textContent()).includes('전화번호를 저장하지 못했습니다'), 'the phone error');
    assert.equal(await error.getAttribute('role'), 'alert');
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    assert.equal((await s.api(`/api/v1/profiles/${room.profile_id}`)).json.phone, '010-2222-3333');

    await input.fill('02-555-1234');
    await page.getByRole('button', { name: '저장' }).click();
    await until(async () => (await fact(page, '전화번호'))?.startsWith('02-555-1234'), 'the new phone');
    assert.equal((await s.api(`/api/v1/profiles/${room.profile_id}`)).json.phone, '02-555-1234');
    assert.equal((await s.api(`/api/v1/profiles/${room.profile_id}`)).json.mobile, verified.json.mobile);
  });
});

test("correcting a room's ID: preview, confirm, journal, undo", async () => {
  await withConsole(async (s, page) => {
    await logIn(page, s);
    const member = await webchatInflow(s, { uid: 'member-a', name: '김철수', phone: '010-1111-2222', message: '회원 문의' });
    const anon = await webchatInflow(s, { message: '로그인 안 하고 문의합니다' });
    const before = (await s.api(`/api/v1/rooms/${anon.room_id}`)).json.profile_id;
    await listItem(page, '이름 없는 고객').click();
    await until(async () => (await fact(page, 'ID')) === '없음', 'an anonymous room');

    const uidInput = page.getByRole('textbox', { name: /이 방에 연결할 고객 ID/ });
    // An ID nobody has yet: a new profile.
    await uidInput.fill('brand-new');
    await page.getByRole('button', { name: '미리보기' }).click();
    await until(async () => (await page.locator('#link-preview').textContent()).includes('새 프로필'), 'the new-profile preview');

    // The member's ID: the preview names the profile it will merge into.
    await uidInput.fill('member-a');
    assert.equal(await page.locator('#link-preview').textContent(), '', 'an edited ID needs a new preview');
    await page.getByRole('button', { name: '미리보기' }).click();
    const preview = page.locator('#link-preview');
    await until(async () => (await preview.textContent()).includes('김철수'), 'the preview');
    assert.match(await preview.textContent(), /member-a/);
    assert.match(await preview.textContent(), /010-1111-2222/);
    assert.match(await preview.textContent(), /합쳐집니다/);
    assert.equal((await s.api(`/api/v1/rooms/${anon.room_id}`)).json.profile_id, before, 'nothing changes on preview');
    await screenshot(page, 'console-link-preview');

    await page.getByRole('button', { name: /연결 확인/ }).click();
    await until(async () => (await fact(page, 'ID')) === 'member-a 미인증', 'the room to show the new ID');
    assert.equal(await fact(page, '이름'), '김철수');
    const journal = page.locator('#journal');
    assert.match(await journal.textContent(), /없음 → member-a · 상담원 \(나\) · 상담원이 설정/);
    // The member's earlier consultation is now in this room's history too.
    assert.match(await page.locator('#history').textContent(), new RegExp(`상담 #${member.consultation_id}`));
    const memberProfile = (await s.api(`/api/v1/rooms/${member.room_id}`)).json.profile_id;
    assert.equal((await s.api(`/api/v1/rooms/${anon.room_id}`)).json.profile_id, memberProfile);

    await journal.getByRole('button', { name: /되돌리기/ }).click();
    await until(async () => (await fact(page, 'ID')) === '없음', 'the room to lose the ID again');
    assert.match(await journal.textContent(), /되돌림/);
    assert.equal(await journal.getByRole('button', { name: /되돌리기/ }).count(), 0, 'nothing left to undo');
    assert.equal((await s.api(`/api/v1/rooms/${anon.room_id}`)).json.profile_id, before, 'the room is back on its profile');
  });
});

test('search: a Korean word inside a message, a customer by phone, a parameter value; a click opens the consultation', async () => {
  await withConsole(async (s, page) => {
    await logIn(page, s);
    const kim = await webchatInflow(s, {
      uid: 'search-1', name: '김민지', phone: '010-2345-6789', p1: '봄세일',
      message: '지난주에 주문한 운동화 환불 요청드립니다!',
    });
    await webchatInflow(s, { uid: 'search-2', name: '이서준', message: '배송이 언제 되나요?' });
    const box = page.getByRole('searchbox', { name: '고객, 파라미터 값, 메시지 검색' });
    const results = page.locator('#search-results');

    // A one-letter search is not sent; the page says why.
    await box.fill('환');
    await box.press('Enter');
    await page.locator('#search-status').filter({ hasText: '두 글자 이상' }).waitFor();

    // "환불요청" finds "환불 요청드립니다" (spacing aside), marked; the index may lag a moment.
    await until(async () => {
      await box.fill('환불요청');
      await box.press('Enter');
      await page.locator('#search-status').filter({ hasNotText: '검색하는 중' }).waitFor();
      return (await results.locator('mark').count()) === 1;
    }, 'the message found');
    assert.equal(await results.locator('mark').innerText(), '환불 요청');
    assert.match(await results.innerText(), /메시지[\s\S]*김민지/);
    await screenshot(page, 'console-search');
    await results.getByRole('button', { name: /김민지/ }).click();
    await until(async () => (await page.locator('#room-title').textContent()).includes(String(kim.consultation_id)), 'the consultation opened');
    await until(async () => (await page.locator('#messages').textContent()).includes('운동화 환불'), 'its messages');

    // A customer by phone without dashes; a parameter's value.
    await box.fill('01023456789');
    await box.press('Enter');
    await results.locator('h3', { hasText: '고객' }).waitFor();
    assert.match(await results.innerText(), /김민지[\s\S]*010-2345-6789/);
    await box.fill('봄세일');
    await box.press('Enter');
    await results.locator('h3', { hasText: '파라미터 값' }).waitFor();
    assert.match(await results.innerText(), /봄세일/);

    // Nothing found says so; Escape clears the box and the results.
    await box.fill('교환반품');
    await box.press('Enter');
    await page.locator('#search-status').filter({ hasText: "'교환반품'에 맞는 결과가 없습니다." }).waitFor();
    assert.equal(await results.isVisible(), false);
    await box.press('Escape');
    assert.equal(await box.inputValue(), '');
  });
});

test('keyboard only: log in, pick the queue, take and answer', async () => {
  await withConsole(async (s, page) => {
    await page.goto(`${s.base}/login`);
    // The login field has focus on arrival.
    await until(async () => page.evaluate(() => document.activeElement?.id === 'login'), 'focus in the login field');
    await page.keyboard.type(s.login);
    await page.keyboard.press('Tab');
    await page.keyboard.type(s.password);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${s.base}/console`);
    await waitLive(page);
    const session = await webchatInflow(s, { uid: 'kb-1', name: '유관순', message: '키보드 문의' });
    await until(async () => (await tabCount(page, '대기')) === 1, 'the inflow');

    const focused = () => page.evaluate(() => {
      const el = document.activeElement;
      return `${el?.getAttribute('role') ?? el?.tagName.toLowerCase()}:${el?.textContent.trim().replace(/\s+/g, ' ')}`;
    });
    // Tab through the page until the tab list.
    await until(async () => {
      await page.keyboard.press('Tab');
      return (await focused()).startsWith('tab:대기');
    }, 'focus on the waiting tab', 5000);
    // Arrows move between tabs; Home comes back.
    await page.keyboard.press('ArrowRight');
    assert.match(await focused(), /^tab:내 상담/);
    assert.equal(await page.getByRole('tab', { name: /^내 상담/ }).getAttribute('aria-selected'), 'true');
    await page.keyboard.press('Home');
    assert.match(await focused(), /^tab:대기/);
    // Past the queue's channel filter into the list; open the consultation, take it, answer it.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.labels?.[0]?.textContent), '채널');
    await page.keyboard.press('Tab');
    assert.match(await focused(), /유관순/);
    await page.keyboard.press('Enter');
    await until(async () => page.evaluate(() => document.activeElement.id === 'room-title'), 'focus on the room title');
    assert.match(await focused(), /유관순/);
    await page.keyboard.press('Tab');
    assert.match(await focused(), /가져오기/);
    await page.keyboard.press('Enter');
    await until(async () => page.evaluate(() => document.activeElement.id === 'reply'), 'focus in the reply box');
    await page.keyboard.type('키보드로 답합니다');
    await page.keyboard.press('Enter');
    await until(async () => (await page.locator('#messages .msg.agent').count()) === 1, 'the reply');

    const c = (await s.api(`/api/v1/consultations/${session.consultation_id}`)).json;
    assert.equal(c.consultation.state, 'in_progress');
    assert.ok(c.messages.some((m) => m.sender === 'agent' && m.body === '키보드로 답합니다'));
  });
});

test('English: ?lang=en shows English labels on the login page and the console', async () => {
  await withConsole(async (s, page) => {
    await page.goto(`${s.base}/login?lang=en`);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Agent login');
    await page.getByLabel('Login', { exact: true }).fill(s.login);
    await page.getByLabel('Password', { exact: true }).fill('wrong');
    await page.getByRole('button', { name: 'Log in' }).click();
    await until(async () => (await page.getByRole('alert').textContent()).includes('The login or the password is wrong.'), 'the English error');

    await logIn(page, s, '?lang=en');
    for (const tab of ['Waiting', 'Mine', 'All in progress', 'Closed today']) {
      assert.ok(await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).isVisible(), `tab ${tab}`);
    }
    assert.ok(await page.getByRole('button', { name: 'Log out' }).isVisible());
    await webchatInflow(s, { uid: 'en-1', name: 'Jane', p1: 'ad', message: 'Hello' });
    await kakaoSays(s, 'kakao-en', 'Hi from KakaoTalk', { site_uid: 'kakao-english-customer' });
    await listItem(page, 'kakao-english-customer').waitFor();
    // The channel badges keep their one line in English (longer words than Korean): nothing
    // clipped, nothing stretched to the height of a wrapped name.
    for (const badge of await page.locator('#items .item .badge[class*="ch-"]').all()) {
      const box = await badge.evaluate((el) => ({
        clipped: el.scrollWidth > el.clientWidth, height: el.getBoundingClientRect().height,
        line: parseFloat(getComputedStyle(el).fontSize) * 2,
      }));
      assert.ok(!box.clipped && box.height <= box.line, `badge ${await badge.textContent()}: ${JSON.stringify(box)}`);
    }
    // The agents' board stays inside its panel.
    const spill = await page.locator('#board').evaluate((el) => el.scrollWidth - el.clientWidth);
    assert.ok(spill <= 0, `the board spills by ${spill}px`);
    await listItem(page, 'Jane').click();
    await page.getByRole('button', { name: 'Take' }).click();
    await until(async () => (await fact(page, 'Name')) === 'Jane', 'the panel');
    assert.equal(await fact(page, 'ID'), 'en-1 Unverified');
    assert.match(await fact(page, 'Channel'), /Web chat v2/);
    for (const heading of ['Customer', 'Basic information', 'Extra information', 'History (every channel)', 'Correct the ID']) {
      assert.ok(await page.getByRole('heading', { name: heading }).isVisible(), `heading ${heading}`);
    }
    // The panel may be filled before the take is answered: the state follows it.
    await until(async () => /In progress \(assigned to you\)/.test(await page.locator('#room-state').textContent()), 'the state after taking');
    assert.ok(await page.getByRole('textbox', { name: 'Reply' }).isEnabled());
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  });
});

test('a reply to a KakaoTalk user shows it waits for their next message, until it goes', async () => {
  await withConsole(async (s, page) => {
    await logIn(page, s);
    await kakaoSays(s, 'kakao-wait-e2e', '카카오 문의입니다', { site_uid: 'kakao-wait' });
    await page.locator('#items .item').filter({ hasText: 'kakao-wait' }).click();
    await page.getByRole('button', { name: '가져오기' }).click();
    const reply = page.getByRole('textbox', { name: '답장' });
    await reply.fill('확인 후 안내드리겠습니다');
    await reply.press('Enter');
    const mine = page.locator('#messages .msg.agent').filter({ hasText: '확인 후 안내드리겠습니다' });
    await mine.waitFor();
    const pending = mine.locator('.msg-pending');
    await until(async () => (await pending.count()) === 1 && (await pending.textContent()) === '전달 대기',
      'the reply marked as waiting');
    assert.match(await pending.getAttribute('title'), /다음 메시지를 보내면/);

    // The user writes again: the reply goes with the answer, and the mark goes away.
    const answer = await kakaoSays(s, 'kakao-wait-e2e', '네');
    assert.ok(JSON.stringify(answer).includes('확인 후 안내드리겠습니다'), JSON.stringify(answer));
    await until(async () => (await pending.count()) === 0, 'the mark gone once delivered');
    // A reload agrees.
    await page.reload();
    await page.getByRole('tab', { name: /내 상담/ }).click();
    await page.locator('#items .item').filter({ hasText: 'kakao-wait' }).click();
    await page.locator('#messages .msg.agent').filter({ hasText: '확인 후 안내드리겠습니다' }).waitFor();
    assert.equal(await page.locator('#messages .msg-pending').count(), 0);
  });
});
