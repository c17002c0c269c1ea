// Parameter management, used as a site's admin would: log in, enable and describe a custom
// parameter, copy the chat URLs it now appears in, set the consultation-info URL template
// (refused with the unknown variable named, then accepted), reveal and rotate the site secret
// and check hashes against node:crypto, require verified IDs, all by keyboard too, on a phone
// and in English.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { startServer, launchBrowser, logIn, screenshot, SCREENSHOTS, until } from '../harness.mjs';

const hmac = (secret, uid) => createHmac('sha256', secret).update(uid, 'utf8').digest('hex');

/** A server, a browser and a page; `run` gets them and everything is stopped afterwards. */
async function withAdmin(run, { viewport = { width: 1280, height: 900 }, locale = 'ko-KR', login = true } = {}) {
  const s = await startServer();
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ viewport, locale });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.base });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    if (login) await logInToParameters(page, s);
    await run(s, page);
    assert.deepEqual(errors, [], 'the page threw no script errors');
  } finally {
    await browser.close();
    await s.stop();
  }
}

/** Logs in through the login page (as a person does), then opens parameter management. */
async function logInToParameters(page, s) {
  await logIn(page, s);
  await page.goto(`${s.base}/admin/parameters`);
  await page.getByRole('heading', { level: 1 }).waitFor();
}

async function site(s) {
  const r = await s.api('/api/v1/site');
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json;
}

/** Opens a web chat v2 session as a customer would, with an ID and its hash. */
async function verifiedFor(s, uid, hash) {
  const url = `${s.base}/chat/${s.siteId}?params=site_uid=('${uid}'),site_uid_hash=('${hash}')`;
  const res = await fetch(`${s.base}/api/v1/webchat/${s.siteId}/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url, channel: 'webchat_v2' }),
  });
  assert.equal(res.status, 200);
  return (await res.json()).verified;
}

test('an admin enables a custom parameter and copies the chat URLs that now carry it', async () => {
  await withAdmin(async (s, page) => {
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), '파라미터 관리');
    // The fixed-parameter reference: every fixed parameter with its length and whether it is input.
    const fixed = page.getByRole('region', { name: '고정 파라미터 표' }).getByRole('table');
    for (const name of ['site_uid', 'cus_extra_username', 'cus_extra_phone', 'cus_extra_email', 'user_parameter',
      'category_id', 'division_id', 'category_name', 'division_name', 'bot_start', 'site_uid_hash']) {
      await fixed.getByRole('rowheader', { name, exact: true }).waitFor();
    }
    const uidRow = fixed.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'site_uid', exact: true }) });
    assert.match(await uidRow.textContent(), /회원 고유 식별번호[\s\S]*String[\s\S]*255[\s\S]*예/);
    const nameRow = fixed.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'category_name', exact: true }) });
    assert.match(await nameRow.textContent(), /아니요/);

    // The demo site's slots as saved.
    assert.equal(await page.getByLabel('parameter1 사용').isChecked(), true);
    assert.equal(await page.getByLabel('parameter1 설명').inputValue(), '유입경로');
    assert.equal(await page.getByLabel('parameter3 사용').isChecked(), false);
    await screenshot(page, 'admin-parameters');

    // The Kakao URL needs the site's channel address first.
    const kakao = page.getByLabel('카카오톡 채널', { exact: true });
    assert.equal(await kakao.inputValue(), '');
    assert.match(await page.locator('#url-kakao-hint').textContent(), /채널 주소/);
    await page.getByLabel('카카오톡 채널 채팅 URL').fill('https://pf.kakao.com/_sangdam/chat');
    await page.getByRole('button', { name: '저장 (채널 주소)' }).click();
    await until(async () => (await kakao.inputValue()).startsWith('https://pf.kakao.com/_sangdam/chat?'), 'the Kakao URL');

    // Enable parameter3 as 캠페인 and save.
    await page.getByLabel('parameter3 사용').check();
    await page.getByLabel('parameter3 설명').fill('캠페인');
    await page.getByRole('button', { name: '저장 (커스텀 파라미터)' }).click();
    const slotsStatus = page.locator('#slots-form [role="status"]');
    await until(async () => (await slotsStatus.textContent()) === '저장되었습니다.', 'the saved message');

    // The chat URLs now carry parameter3 as a placeholder, each in its channel's syntax.
    const v2 = page.getByLabel('웹채팅 v2', { exact: true });
    await until(async () => (await v2.inputValue()).includes("parameter3=('{캠페인}')"), 'parameter3 in the v2 URL');
    assert.equal(await v2.inputValue(),
      `${s.base}/chat/${s.siteId}?params=parameter1=('{유입경로}'),parameter2=('{유저구분}'),parameter3=('{캠페인}')`);
    await until(async () => (await kakao.inputValue()).includes('parameter3={캠페인}'), 'parameter3 in the Kakao URL');
    assert.equal(await kakao.inputValue(),
      'https://pf.kakao.com/_sangdam/chat?parameter1={유입경로}&parameter2={유저구분}&parameter3={캠페인}');
    assert.match(await page.getByLabel('웹채팅 v1', { exact: true }).inputValue(), /\/v1\?is_login=N&uid=&parameter1=.*&parameter3=\{캠페인\}$/);
    assert.equal(await page.getByLabel('네이버 톡톡', { exact: true }).inputValue(), '');

    // Copy buttons put exactly the field's text on the clipboard.
    await page.getByRole('button', { name: '웹채팅 v2 URL 복사' }).click();
    await until(async () => (await page.locator('#urls-copy-status').textContent()) === '복사되었습니다.', 'the copied message');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await v2.inputValue());
    await page.getByRole('button', { name: '카카오톡 채널 URL 복사' }).click();
    await until(async () => (await page.evaluate(() => navigator.clipboard.readText())).includes('parameter3={캠페인}'), 'the Kakao URL on the clipboard');

    // The v2 button source offers parameter3 as a line to uncomment.
    const snippet = page.getByLabel('웹채팅 v2 채팅 버튼 소스');
    assert.match(await snippet.inputValue(), /\/\/ parameter3: '', \/\/ 캠페인/);
    assert.match(await snippet.inputValue(), new RegExp(`src="${s.base}/assets/widget.js"`));
    await page.getByRole('button', { name: '소스 복사' }).click();
    await until(async () => (await page.evaluate(() => navigator.clipboard.readText())).includes('window.sangdamChat'), 'the snippet on the clipboard');
    assert.equal(await page.locator('#snippet-copy-status').textContent(), '복사되었습니다.');
    await page.locator('#urls').scrollIntoViewIfNeeded();
    await page.locator('#urls').screenshot({ path: join(SCREENSHOTS, 'admin-chat-urls.png') });

    // Saved for real: a reload shows it, and so does the API.
    await page.reload();
    assert.equal(await page.getByLabel('parameter3 사용').isChecked(), true);
    assert.equal(await page.getByLabel('parameter3 설명').inputValue(), '캠페인');
    assert.match(await page.getByLabel('웹채팅 v2', { exact: true }).inputValue(), /parameter3=\('\{캠페인\}'\)/);
    assert.deepEqual((await site(s)).settings.slots[2], { enabled: true, description: '캠페인' });

    // An enabled slot without a description is refused in words, next to the field.
    await page.getByLabel('parameter5 사용').check();
    await page.getByRole('button', { name: '저장 (커스텀 파라미터)' }).click();
    const err5 = page.locator('#slot-5-error');
    await until(async () => (await err5.textContent()).includes('설명을 입력'), 'the parameter5 error');
    assert.equal(await page.getByLabel('parameter5 설명').getAttribute('aria-invalid'), 'true');
    assert.match(await slotsStatus.textContent(), /저장하지 못했습니다/);
    assert.equal((await site(s)).settings.slots[4].enabled, false, 'nothing was saved');
  });
});

test('the consultation-info URL template is refused naming an unknown variable, then saved', async () => {
  await withAdmin(async (s, page) => {
    const before = (await site(s)).info_url_template;
    const field = page.getByLabel('상담정보 URL 템플릿');
    const save = page.getByRole('button', { name: '저장 (상담정보 URL)' });
    const status = page.locator('#template-form [role="status"]');
    await field.fill('https://crm.example.com/member?no=[member_no]&room=[room_id]');
    await save.click();
    const error = page.locator('#info-url-error');
    await until(async () => (await error.textContent()).includes('member_no'), 'the error naming member_no');
    assert.match(await error.textContent(), /알 수 없는 변수입니다: \[member_no\]/);
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.match(await status.textContent(), /저장하지 못했습니다/);
    assert.equal((await site(s)).info_url_template, before, 'the refused template was not saved');

    // The variables it may use are listed.
    const vars = page.getByRole('list', { name: '사용할 수 있는 변수' });
    for (const v of ['[site_uid]', '[parameter3]', '[room_id]', '[agent_id]']) {
      await vars.getByText(v, { exact: true }).waitFor();
    }

    await field.fill('https://crm.example.com/member?id=[site_uid]&c=[parameter3]');
    await save.click();
    await until(async () => (await status.textContent()) === '저장되었습니다.', 'the saved message');
    assert.equal(await error.textContent(), '');
    assert.equal(await field.getAttribute('aria-invalid'), null);
    assert.equal((await site(s)).info_url_template, 'https://crm.example.com/member?id=[site_uid]&c=[parameter3]');
    await page.reload();
    assert.equal(await page.getByLabel('상담정보 URL 템플릿').inputValue(), 'https://crm.example.com/member?id=[site_uid]&c=[parameter3]');
  });
});

test('identity: the hash helper matches HMAC-SHA256, rotating the secret retires old hashes, verified IDs can be required', async () => {
  await withAdmin(async (s, page) => {
    const secret = page.getByLabel('사이트 시크릿');
    assert.equal(await secret.inputValue(), '', 'the secret is not in the page until revealed');
    assert.equal(await secret.getAttribute('type'), 'password');
    const reveal = page.getByRole('button', { name: '보기', exact: true });
    await reveal.click();
    await until(async () => (await secret.inputValue()) !== '', 'the revealed secret');
    assert.equal(await secret.inputValue(), s.secret, 'the secret the server printed');
    assert.equal(await page.getByRole('button', { name: '숨기기', exact: true }).getAttribute('aria-pressed'), 'true');

    // The helper computes what the site's server would.
    const uid = page.getByLabel('site_uid', { exact: true });
    const out = page.locator('#hash-out code.hash');
    await uid.fill('member01');
    await page.getByRole('button', { name: '계산' }).click();
    await until(async () => (await out.count()) === 1, 'the hash');
    const oldHash = await out.textContent();
    assert.equal(oldHash, hmac(s.secret, 'member01'));
    assert.equal(await verifiedFor(s, 'member01', oldHash), true, 'the helper\'s hash verifies an inflow');

    // Rotation asks first; declining changes nothing.
    const rotate = page.getByRole('button', { name: '재발급', exact: true });
    page.once('dialog', (d) => d.dismiss());
    await rotate.click();
    await page.waitForTimeout(300);
    assert.equal(await secret.inputValue(), s.secret);
    const messages = [];
    page.once('dialog', (d) => { messages.push(d.message()); d.accept(); });
    await rotate.click();
    await until(async () => (await secret.inputValue()) !== s.secret, 'the new secret');
    assert.match(messages[0], /재발급할까요/);
    const newSecret = await secret.inputValue();
    assert.match(newSecret, /^[0-9a-f]{64}$/);
    assert.match(await page.locator('#secret-status').textContent(), /새 시크릿이 발급되었습니다/);
    await page.getByRole('button', { name: '계산' }).click();
    await until(async () => (await out.count()) === 1 && (await out.textContent()) !== oldHash, 'the new hash');
    assert.equal(await out.textContent(), hmac(newSecret, 'member01'));
    assert.equal(await verifiedFor(s, 'member01', oldHash), false, 'a hash made with the old secret no longer verifies');
    assert.equal(await verifiedFor(s, 'member01', hmac(newSecret, 'member01')), true);

    // Require verified IDs, and add a sentinel.
    const toggle = page.getByRole('switch', { name: '인증된 ID만 사용' });
    assert.equal(await toggle.isChecked(), false);
    await toggle.check();
    const sentinels = page.getByLabel("'ID 없음'으로 볼 값");
    await sentinels.fill(`${await sentinels.inputValue()}\nguest, 비회원`);
    await page.getByRole('button', { name: '저장 (ID 인증)' }).click();
    const status = page.locator('#identity-form [role="status"]');
    await until(async () => (await status.textContent()) === '저장되었습니다.', 'the saved message');
    const saved = await site(s);
    assert.equal(saved.require_verified_uid, true);
    assert.deepEqual(saved.settings.sentinels.slice(-2), ['guest', '비회원']);
    assert.match(await sentinels.inputValue(), /\nguest\n비회원$/);
    await page.locator('#identity').screenshot({ path: join(SCREENSHOTS, 'admin-identity.png') });
    await page.reload();
    assert.equal(await page.getByRole('switch', { name: '인증된 ID만 사용' }).isChecked(), true);
  });
});

test('messenger webhooks: the URLs to paste carry the channel keys; a rotated key keeps working for its grace period', async () => {
  await withAdmin(async (s, page) => {
    const kakao = page.getByLabel('카카오 오픈빌더 스킬 URL');
    const naver = page.getByLabel('네이버 톡톡 웹훅 URL');
    assert.equal(await kakao.inputValue(), '', 'the keys are not in the page until shown');
    await page.getByRole('button', { name: '주소 보기' }).click();
    await until(async () => (await kakao.inputValue()) !== '', 'the webhook URLs');
    assert.equal(await kakao.inputValue(), s.kakaoSkill, 'the Kakao skill URL the server printed');
    assert.equal(await naver.inputValue(), s.naverWebhook);

    const skill = (url) => fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userRequest: { utterance: '안녕하세요', user: { id: 'kakao-admin-e2e', type: 'botUserKey', properties: {} } } }),
    }).then((r) => r.status);
    assert.equal(await skill(s.kakaoSkill), 200);
    assert.equal(await skill(s.kakaoSkill.replace(/\?key=.*$/, '')), 401, 'no key: refused');

    // Rotate the Kakao key without grace: the old URL is refused at once, the new one works.
    await page.getByLabel('이전 키 유지').selectOption('0');
    const messages = [];
    page.once('dialog', (d) => { messages.push(d.message()); d.accept(); });
    await page.getByRole('button', { name: '키 재발급' }).first().click();
    await until(async () => (await kakao.inputValue()) !== s.kakaoSkill, 'the new Kakao URL');
    assert.match(messages[0], /카카오 오픈빌더 스킬 URL 채널 키를 재발급할까요/);
    assert.match(await page.locator('#webhooks-status').textContent(), /재발급했습니다/);
    const renewed = await kakao.inputValue();
    assert.equal(await skill(s.kakaoSkill), 401, 'the old key is refused');
    assert.equal(await skill(renewed), 200);
    assert.equal(await naver.inputValue(), s.naverWebhook, 'the Naver key is untouched');

    // With a day's grace both work, and the page says until when.
    await page.getByLabel('이전 키 유지').selectOption('1440');
    page.once('dialog', (d) => d.accept());
    await page.getByRole('button', { name: '키 재발급' }).first().click();
    await until(async () => /이전 키는 .*까지 받습니다/.test(await page.locator('#webhook-kakao-grace').textContent()), 'the grace note');
    const newest = await kakao.inputValue();
    assert.notEqual(newest, renewed);
    assert.equal(await skill(newest), 200);
    assert.equal(await skill(renewed), 200, 'the previous key within its grace');
    await page.locator('#webhooks').screenshot({ path: join(SCREENSHOTS, 'admin-webhooks.png') });
  });
});

test('without a login the page sends people to log in and the API answers 401', async () => {
  await withAdmin(async (s, page) => {
    await page.goto(`${s.base}/admin/parameters`);
    assert.equal(new URL(page.url()).pathname, '/login');
    for (const [method, path] of [['GET', '/api/v1/site'], ['PUT', '/api/v1/site/settings'], ['GET', '/api/v1/site/secret'],
      ['POST', '/api/v1/site/secret/rotate'], ['POST', '/api/v1/site/uid-hash'], ['GET', '/api/v1/site/chat-urls']]) {
      const res = await fetch(s.base + path, { method, headers: { 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{}' });
      assert.equal(res.status, 401, `${method} ${path}`);
      assert.equal((await res.json()).error.code, 'unauthorized');
    }
    // A wrong token is no better.
    const res = await fetch(`${s.base}/api/v1/site/secret`, { headers: { authorization: 'Bearer nope' } });
    assert.equal(res.status, 401);
  }, { login: false });
});

test('keyboard only: reach a slot, enable it, describe it and save', async () => {
  await withAdmin(async (s, page) => {
    const focused = () => page.evaluate(() => document.activeElement && document.activeElement.id);
    await page.locator('body').focus();
    let presses = 0;
    while ((await focused()) !== 'slot-4-enabled') {
      await page.keyboard.press('Tab');
      presses += 1;
      assert.ok(presses < 80, 'parameter4 can be reached with Tab');
    }
    await page.keyboard.press('Space');
    assert.equal(await page.getByLabel('parameter4 사용').isChecked(), true);
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'slot-4-desc');
    await page.keyboard.type('쿠폰');
    while (!(await page.evaluate(() => document.activeElement.matches('#slots-form button[type="submit"]')))) {
      await page.keyboard.press('Tab');
      presses += 1;
      assert.ok(presses < 120, 'the Save button can be reached with Tab');
    }
    await page.keyboard.press('Space');
    await until(async () => (await page.locator('#slots-form [role="status"]').textContent()) === '저장되었습니다.', 'the saved message');
    assert.deepEqual((await site(s)).settings.slots[3], { enabled: true, description: '쿠폰' });
    await until(async () => (await page.getByLabel('웹채팅 v2', { exact: true }).inputValue()).includes("parameter4=('{쿠폰}')"), 'parameter4 in the URL');
  });
});

test('on a 360-px phone, in English', async () => {
  await withAdmin(async (s, page) => {
    await page.goto(`${s.base}/admin/parameters?lang=en`);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Parameter management');
    assert.equal(await page.getByLabel('parameter1 enabled').isChecked(), true);
    assert.equal(await page.getByLabel('parameter1 description').inputValue(), '유입경로');
    await page.getByRole('button', { name: 'Reveal' }).waitFor();
    await page.getByRole('switch', { name: 'Require a verified ID' }).waitFor();
    await page.getByLabel('Consultation-info URL template').fill('https://crm.example.com/?x=[nope]');
    await page.getByRole('button', { name: 'Save (consultation-info URL)' }).click();
    await until(async () => (await page.locator('#info-url-error').textContent()) === 'Unknown variable: [nope]', 'the English error');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `the page fits a 360-px screen (scrollWidth ${width})`);
    // Wide content scrolls inside its own box, and every control stays on screen.
    for (const id of ['slot-10-desc', 'url-webchat_v2', 'secret-rotate', 'info-url']) {
      const box = await page.locator(`#${id}`).boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `#${id} is within the screen`);
    }
    await screenshot(page, 'admin-parameters-mobile');
  }, { viewport: { width: 360, height: 740 } });
});
