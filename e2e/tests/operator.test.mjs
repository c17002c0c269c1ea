// The platform operator and a site's business verification, as the two people involved use
// them: the site's admin opens "사업자 인증", is told a mistyped registration number beside the
// field, submits a valid one with a PDF and sees it under review; the operator (made with
// `sangdam operator create` in the server's database) logs in on their own page, opens the
// document, is refused a rejection without a reason, rejects with one; the site's admin reads
// the reason and submits again; the operator approves; the site's admin sees the business
// verified, and the site's audit log names the operator's decisions. The operator also grants
// free cash to the site's wallet from the sites' list, and sets a price. The site's admin sets
// the profile plugin up; a bot block asks through it, a customer fills the form in the chat
// window, and the agent reads the values. Then: a wrong operator
// password is said on the login page, and /operator without the operator's login (a site's
// login included) leads to that login page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  VIEWPORT, chatWindow, consoleOf, logIn, screenshot, takeFromQueue, until, withServer, write,
} from '../harness.mjs';

const TIMEOUT = { timeout: 180_000 };

/**
 * Server options that make a platform operator with `sangdam operator create` in the server's
 * database before the server opens it, as whoever installs Sangdam does (`s.prepared` is then
 * their login and password).
 */
function withOperator(login, name) {
  return {
    beforeStart(databaseUrl) {
      const out = execFileSync(process.env.SANGDAM_BIN, [
        'operator', 'create', '--login', login, '--name', name, '--database-url', databaseUrl,
      ], { encoding: 'utf8', env: { ...process.env, SANGDAM_LOG: 'warn' } });
      const json = out.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('{')).pop();
      const made = JSON.parse(json);
      assert.equal(made.operator.login, login);
      assert.equal(made.login_url, '/operator/login');
      return { login, password: made.password };
    },
  };
}

/** A small PDF (one empty page) in a temporary folder: its path. */
function pdfFile(dir, name) {
  const objects = [
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj',
  ];
  let body = '%PDF-1.4\n';
  const offsets = [];
  for (const o of objects) {
    offsets.push(body.length);
    body += `${o}\n`;
  }
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  body += `trailer << /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

/** A page in a context of its own (Korean, a desktop screen), its script errors kept. */
async function pageOf(browser) {
  const page = await (await browser.newContext(VIEWPORT)).newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e));
  return page;
}

/** The operator logs in on their own login page and lands on /operator. */
async function operatorLogIn(page, s, op) {
  await page.goto(`${s.base}/operator`);
  await page.waitForURL(`${s.base}/operator/login`);
  await page.getByLabel('아이디', { exact: true }).fill(op.login);
  await page.getByLabel('비밀번호', { exact: true }).fill(op.password);
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await page.waitForURL(`${s.base}/operator`);
}

/** The site's admin submits the business form (the file field keeps its files otherwise). */
async function submitBusiness(page, { number, name, representative, files }) {
  await page.getByLabel('사업자등록번호').fill(number);
  await page.getByLabel('상호').fill(name);
  await page.getByLabel('대표자').fill(representative);
  if (files) await page.getByLabel('서류', { exact: true }).setInputFiles(files);
  await page.getByRole('button', { name: '신청', exact: true }).click();
}

const text = async (locator) => (await locator.textContent())?.trim() ?? '';

test('a site submits its business, the operator rejects with a reason and approves, and the site is verified', TIMEOUT, async () => {
  await withServer(async (s, browser) => {
    const dir = mkdtempSync(join(tmpdir(), 'sangdam-e2e-docs-'));
    try {
      const op = s.prepared;
      const certificate = pdfFile(dir, 'certificate.pdf');
      const clearer = pdfFile(dir, 'certificate-clear.pdf');
      // The site has a wallet, for the operator's free cash.
      const me = (await s.api('/api/v1/agents/directory')).json.agents.find((a) => a.role === 'admin');
      assert.equal((await s.api('/api/v1/wallet', {
        method: 'POST', body: { name: '데모 월렛', kind: 'personal', master_id: me.id },
      })).status, 201);

      // --- The site's admin: nothing submitted yet; a mistyped number is said beside it.
      const admin = await pageOf(browser);
      await logIn(admin, s);
      await admin.goto(`${s.base}/admin/parameters`);
      await admin.getByRole('link', { name: '사업자 인증' }).click();
      await admin.getByRole('heading', { level: 1, name: '사업자 인증' }).waitFor();
      const verified = admin.locator('#verified-line');
      await verified.filter({ hasText: '사업자 인증이 되어 있지 않습니다.' }).waitFor();
      assert.equal(await text(admin.locator('#latest-line')), '아직 신청하지 않았습니다. 아래 양식으로 신청하세요.');
      assert.match(await text(admin.locator('#history-rows')), /신청 내역이 없습니다/);

      await submitBusiness(admin, {
        number: '123-45-67890', name: '상담상사', representative: '김대표', files: certificate,
      });
      const numberError = admin.locator('#business-number-error');
      await numberError.filter({ hasText: '올바른 사업자등록번호가 아닙니다' }).waitFor();
      const number = admin.getByLabel('사업자등록번호');
      assert.equal(await number.getAttribute('aria-invalid'), 'true');
      assert.equal(await number.evaluate((el) => el === document.activeElement), true, 'the refused field has the focus');
      assert.match(await number.getAttribute('aria-describedby'), /business-number-error/);
      assert.equal(await text(admin.locator('#submit-status')), '신청하지 못했습니다. 표시된 항목을 고쳐 주세요.');
      assert.equal(await text(admin.locator('#business-name-error')), '', 'the other fields were fine');
      await screenshot(admin, 'business-number-refused');

      // A valid number (its check digit matches): under review, and no second submission.
      await submitBusiness(admin, { number: '220-81-62517', name: '상담상사', representative: '김대표' });
      await admin.locator('#submit-status').filter({ hasText: '신청했습니다. 운영자가 검토합니다.' }).waitFor();
      assert.equal(await numberError.isVisible(), false);
      assert.match(await text(admin.locator('#latest-line')), /^최근 신청: 심사 중 \(.+ 신청\)$/);
      assert.equal(await text(verified), '사업자 인증이 되어 있지 않습니다.');
      assert.equal(await admin.locator('#submit-blocked').isVisible(), true);
      assert.equal(await admin.getByRole('button', { name: '신청', exact: true }).isDisabled(), true);
      assert.equal(await admin.getByLabel('사업자등록번호').isDisabled(), true);
      const history = admin.locator('#history-rows tr[data-verification]');
      assert.equal(await history.count(), 1);
      let cells = await history.first().locator('th, td').allInnerTexts();
      assert.equal(cells[1], '220-81-62517');
      assert.equal(cells[2], '상담상사');
      assert.equal(cells[4], '심사 중');
      assert.equal(cells[5], '검토 전');
      assert.match(cells[6], /^certificate\.pdf \(\d+ B\)/);
      await screenshot(admin, 'business-pending');

      // --- The operator: /operator asks for the operator's login first.
      const operator = await pageOf(browser);
      await operatorLogIn(operator, s, op);
      await operator.getByRole('heading', { level: 1, name: '플랫폼 운영' }).waitFor();
      assert.match(await text(operator.locator('.topbar .who')), /^운영자/);
      await operator.locator('#review-status').filter({ hasText: '검토할 신청이 1건 있습니다.' }).waitFor();
      const card = operator.locator('#review-list article');
      assert.equal(await card.count(), 1);
      const siteName = await text(card.getByRole('heading', { level: 3 }));
      assert.ok(siteName, 'the card names the site');
      assert.equal(await operator.getByRole('article', { name: siteName }).count(), 1, 'the card is named after its site');
      const facts = await text(card.locator('dl'));
      for (const fact of ['220-81-62517', '상담상사', '김대표']) assert.ok(facts.includes(fact), fact);
      // The document opens from the operator's own address.
      const link = card.getByRole('link', { name: /certificate\.pdf/ });
      assert.equal(await link.getAttribute('target'), '_blank');
      const doc = await operator.request.get(new URL(await link.getAttribute('href'), s.base).href);
      assert.equal(doc.status(), 200);
      assert.match((await doc.body()).toString('latin1'), /^%PDF-1\.4/);

      // A rejection without a reason is refused, and said beside the reason's field.
      await card.getByRole('button', { name: '반려' }).click();
      const reasonError = card.locator('[data-error-for="reason"]');
      await reasonError.filter({ hasText: '반려하려면 사유를 적어 주세요.' }).waitFor();
      const reason = card.getByLabel('반려 사유');
      assert.equal(await reason.getAttribute('aria-invalid'), 'true');
      assert.equal(await card.count(), 1, 'still waiting');
      await screenshot(operator, 'operator-reject-needs-reason');
      await reason.fill('사업자등록증 사본이 흐려 읽을 수 없습니다.');
      await card.getByRole('button', { name: '반려' }).click();
      await operator.locator('#review-status').filter({ hasText: '사업자 인증을 반려했습니다.' }).waitFor();
      assert.match(await text(operator.locator('#review-status')), /검토할 신청이 없습니다\./);
      assert.equal(await card.count(), 0);
      const siteRow = operator.locator(`#site-rows tr[data-site="${s.siteId}"]`);
      await until(async () => (await text(siteRow.locator('td').nth(4))) === '반려됨', 'the site shown rejected');

      // --- The site's admin reads the reason and submits again.
      await admin.reload();
      await admin.locator('#reason-line').filter({ hasText: '운영자의 반려 사유: 사업자등록증 사본이 흐려 읽을 수 없습니다.' }).waitFor();
      assert.match(await text(admin.locator('#latest-line')), /^최근 신청: 반려됨/);
      assert.equal(await text(verified), '사업자 인증이 되어 있지 않습니다.');
      assert.equal(await admin.locator('#submit-blocked').isVisible(), false);
      cells = await history.first().locator('th, td').allInnerTexts();
      assert.equal(cells[4], '반려됨');
      assert.match(cells[5], /검토\n사업자등록증 사본이 흐려 읽을 수 없습니다\./);
      await submitBusiness(admin, {
        number: '2208162517', name: '상담상사', representative: '김대표', files: clearer,
      });
      await admin.locator('#submit-status').filter({ hasText: '신청했습니다.' }).waitFor();
      assert.equal(await history.count(), 2);

      // --- The operator sees the new submission and approves it.
      await operator.reload();
      await operator.locator('#review-status').filter({ hasText: '검토할 신청이 1건 있습니다.' }).waitFor();
      assert.equal(await card.getByRole('link', { name: /certificate-clear\.pdf/ }).count(), 1);
      await card.getByRole('button', { name: '승인' }).click();
      await operator.locator('#review-status').filter({ hasText: `${siteName}(220-81-62517)의 사업자 인증을 승인했습니다.` }).waitFor();
      assert.equal(await card.count(), 0);
      assert.equal(await operator.locator('#review-title').evaluate((el) => el === document.activeElement), true,
        'the focus stays in the section');
      await until(async () => (await text(siteRow.locator('td').nth(4))).startsWith('인증됨'), 'the site shown verified');
      await siteRow.getByRole('button', { name: '인증 취소' }).waitFor();
      const siteCells = await siteRow.locator('th, td').allInnerTexts();
      assert.equal(siteCells[0], String(s.siteId));
      assert.equal(siteCells[1], siteName);
      assert.equal(siteCells[4], '있음', 'the site has a wallet');

      // Free cash for the site's wallet; the form's key makes it once.
      await siteRow.getByRole('button', { name: '무상캐시 지급' }).click();
      const grant = operator.locator('.grant-row form');
      await grant.getByRole('group', { name: `${siteName}에 무상캐시 지급` }).waitFor();
      assert.equal(await grant.getByLabel('유효 기간 (일)').inputValue(), '30');
      await grant.getByLabel('금액 (원)').fill('0');
      await grant.getByLabel('사유', { exact: true }).fill('가입 축하');
      await grant.getByRole('button', { name: '지급', exact: true }).click();
      await grant.locator('[data-error-for="krw"]').filter({ hasText: '1부터 10,000,000까지의 정수를 적어 주세요.' }).waitFor();
      await grant.getByLabel('금액 (원)').fill('5000');
      await grant.getByRole('button', { name: '지급', exact: true }).click();
      await siteRow.locator('.grant-result').filter({ hasText: `${siteName}에 5,000원을 지급했습니다.` }).waitFor();
      assert.equal(await operator.locator('.grant-row').count(), 0, 'the form closed');
      assert.equal((await s.api('/api/v1/wallet')).json.balances.free, 5000);

      // A price set by the operator.
      const prices = operator.locator('#price-rows tr[data-kind]');
      await until(async () => (await prices.count()) > 0, 'the prices listed');
      const firstPrice = prices.first();
      const kind = await firstPrice.getAttribute('data-kind');
      await firstPrice.getByRole('spinbutton').fill('17');
      await firstPrice.getByRole('button').click();
      await operator.locator('#prices-status').filter({ hasText: '값을 17원으로 정했습니다.' }).waitFor();
      const saved = operator.locator(`#price-rows tr[data-kind="${kind}"]`);
      assert.equal(await saved.getByRole('spinbutton').inputValue(), '17');
      assert.equal(await text(saved.locator('td').nth(1)), '운영자가 정함');
      await screenshot(operator, 'operator-page');

      // --- The site's admin sees the business verified.
      await admin.reload();
      await verified.filter({ hasText: '사업자 인증이 완료되었습니다.' }).waitFor();
      assert.match(await text(admin.locator('#latest-line')), /^최근 신청: 승인됨/);
      assert.equal(await admin.locator('#reason-line').isVisible(), false);
      assert.equal(await admin.getByRole('button', { name: '신청', exact: true }).isDisabled(), false);
      cells = await history.first().locator('th, td').allInnerTexts();
      assert.equal(cells[4], '승인됨');
      await screenshot(admin, 'business-verified');

      // --- Now verified, the site's admin sets the profile plugin up: refused while the app
      // lacks its reviews (the missing item said), set up on the development channel once
      // they are ticked; unlinking the development channel stops it, and the page says why.
      const plugins = admin.locator('#plugins');
      const profileRow = plugins.locator('tr[data-plugin="profile"]');
      await profileRow.waitFor();
      assert.match(await text(profileRow.locator('td').nth(0)), /^꺼짐/);
      assert.match(await text(profileRow.locator('td').nth(1)), /비즈니스 채널이 앱에 연결됨 · 미충족/);
      await admin.getByLabel('개발 채널 ID').fill('@shop_dev');
      await plugins.getByRole('button', { name: '저장', exact: true }).click();
      await plugins.locator('#channels-status').filter({ hasText: '저장했습니다.' }).waitFor();
      await profileRow.getByRole('button', { name: '설정 · 프로필' }).click();
      await plugins.locator('#plugins-status').filter({ hasText: '설정하지 못했습니다. 먼저 갖추어야 할 조건: 비즈니스 채널이 앱에 연결됨' }).waitFor();
      await admin.getByLabel('비즈니스 채널이 앱에 연결됨').check();
      await admin.getByLabel("'개인정보 항목' 심사 통과").check();
      await plugins.getByRole('button', { name: '저장', exact: true }).click();
      await until(async () => /비즈니스 채널이 앱에 연결됨 · 충족/.test(await text(profileRow.locator('td').nth(1))), 'the checklist met');
      await profileRow.getByRole('button', { name: '설정 · 프로필' }).click();
      await until(async () => (await text(profileRow.locator('td').nth(0))) === '설정됨 (개발 채널)', 'the plugin set up');

      // --- A bot block asks through the profile plugin: the customer fills the form in the
      // chat window (refused without consent, said beside the form), the agent who takes the
      // consultation reads the values in the conversation and in the customer's profile.
      const bot = (await s.api('/api/v1/bot')).json;
      assert.equal((await s.api('/api/v1/bot/settings', {
        method: 'PUT',
        body: {
          enabled: true, bot_first: false, min_accuracy: bot.default_min_accuracy,
          fallbacks_before_offer: 2, handoff_label: '상담원 연결',
        },
      })).status, 200);
      const block = await s.api('/api/v1/bot/blocks', {
        method: 'POST',
        body: {
          name: '회원 정보', keywords: ['회원정보'], plugin: 'profile',
          response: {
            outputs: [{
              textCard: {
                title: '회원 정보', description: '상담을 위해 정보를 알려 주세요.',
                buttons: [{ label: '상담원 연결', action: 'operator' }],
              },
            }],
          },
        },
      });
      assert.equal(block.status, 201, JSON.stringify(block.json));
      const chat = await chatWindow(browser, s, { site_uid: 'plugin-e2e', bot_start: 'true' });
      await write(chat, '회원정보');
      const form = chat.locator('.chat-plugin-form');
      await form.waitFor();
      await form.getByLabel('이름').fill('김고객');
      await form.getByLabel('전화번호').fill('010-2345-6789');
      await form.getByLabel('이메일').fill('kim@example.com');
      await form.getByRole('button', { name: '보내기' }).click();
      await form.locator('.chat-plugin-status').filter({ hasText: '정보 제공에 동의해 주셔야 보낼 수 있습니다.' }).waitFor();
      await form.getByLabel('상담을 위해 위 정보를 제공하는 데 동의합니다.').check();
      await screenshot(chat, 'plugin-profile-form');
      await form.getByRole('button', { name: '보내기' }).click();
      await chat.locator('.chat-plugin-done').filter({ hasText: '보내 주신 정보가 상담원에게 전달됩니다.' }).waitFor();
      await chat.locator('#messages .msg-customer').filter({ hasText: '이름: 김고객' }).waitFor();
      await chat.locator('#messages .msg-bot').filter({ hasText: '보내 주셔서 감사합니다.' }).waitFor();
      await chat.locator('#messages .msg-bot').getByRole('button', { name: '상담원 연결' }).click();
      await chat.locator('#messages .msg').filter({ hasText: '상담원에게 연결해 드릴게요' }).waitFor();
      const agent = await consoleOf(browser, s);
      await takeFromQueue(agent, agent.locator('#items .item', { hasText: '김고객' }));
      await agent.locator('#messages .msg').filter({ hasText: '전화번호: 010-2345-6789' }).waitFor();
      await until(async () => (await text(agent.locator('#f-name'))) === '김고객', 'the name in the profile');
      assert.equal(await text(agent.locator('#phone-value')), '010-2345-6789');
      assert.equal(await text(agent.locator('#f-email')), 'kim@example.com');
      await screenshot(agent, 'plugin-profile-console');
      assert.deepEqual(chat.errors, [], 'no script errors in the chat window');
      assert.deepEqual(agent.errors, [], 'no script errors in the console');
      await admin.getByLabel('개발 채널 ID').fill('');
      await plugins.getByRole('button', { name: '저장', exact: true }).click();
      const stopped = plugins.locator('#plugins-stopped');
      await stopped.waitFor();
      assert.match(await text(stopped), /개발 채널 연결 해제로 프로필 플러그인이 동작하지 않습니다/);
      assert.match(await text(profileRow.locator('td').nth(0)), /^중지됨/);
      await screenshot(admin, 'plugins-stopped');

      // --- The audit log names the operator's decisions.
      await admin.getByRole('link', { name: '감사 로그' }).click();
      await admin.getByRole('heading', { level: 1, name: '감사 로그' }).waitFor();
      await admin.locator('#audit-status').filter({ hasText: /항목 \d+개/ }).waitFor();
      await admin.getByLabel('작업', { exact: true }).selectOption({ label: '사업자 인증 심사' });
      await admin.locator('#audit-status').filter({ hasText: '항목 2개를 보여 줍니다.' }).waitFor();
      const entries = admin.locator('#audit-rows tr[data-entry]');
      const approved = await entries.nth(0).locator('th, td').allInnerTexts();
      assert.match(approved[1], /^운영자/, 'the operator acted');
      assert.equal(approved[2], '사업자 인증 심사');
      assert.match(approved[3], /^사업자 인증 신청 #\d+$/);
      assert.match(approved[4], /state: approved/);
      const rejected = await entries.nth(1).locator('th, td').allInnerTexts();
      assert.match(rejected[1], /^운영자/);
      assert.match(rejected[4], /state: rejected/);
      assert.match(rejected[4], /reason: 사업자등록증 사본이 흐려 읽을 수 없습니다\./);
      await admin.getByLabel('작업', { exact: true }).selectOption({ label: '무상캐시 지급' });
      await admin.locator('#audit-status').filter({ hasText: '항목 1개를 보여 줍니다.' }).waitFor();
      const granted = await entries.nth(0).locator('th, td').allInnerTexts();
      assert.match(granted[1], /^운영자/);
      assert.match(granted[3], /^무상캐시 지급 #\d+$/);
      assert.match(granted[4], /amount: 5000/);

      // --- The operator revokes the verification from the sites' list (a reason is asked
      // for); the site's admin reads it, and the business is no longer verified.
      await operator.reload();
      await siteRow.getByRole('button', { name: '인증 취소' }).click();
      const revoke = operator.locator('.revoke-row form');
      await revoke.getByRole('button', { name: '인증 취소' }).click();
      await revoke.locator('[data-error-for="reason"]').filter({ hasText: '인증을 취소하려면 사유를 적어 주세요.' }).waitFor();
      await revoke.getByLabel('취소 사유 (사이트 관리자에게 보입니다)').fill('폐업 신고가 확인되었습니다.');
      await revoke.getByRole('button', { name: '인증 취소' }).click();
      await operator.locator('#sites-status').filter({ hasText: `${siteName}의 사업자 인증을 취소했습니다.` }).waitFor();
      await until(async () => (await text(siteRow.locator('td').nth(4))) === '인증 취소됨', 'the state revoked');
      assert.equal(await siteRow.getByRole('button', { name: '인증 취소' }).count(), 0, 'nothing left to revoke');
      await admin.goto(`${s.base}/admin/business`);
      await admin.locator('#verified-line').filter({ hasText: '사업자 인증이 되어 있지 않습니다.' }).waitFor();
      assert.equal(await text(admin.locator('#reason-line')), '운영자의 인증 취소 사유: 폐업 신고가 확인되었습니다.');
      assert.equal(await admin.getByRole('button', { name: '신청', exact: true }).isDisabled(), false, 'the site may submit again');

      // The operator logs out: back to the login page, and /operator asks for it again.
      await operator.getByRole('button', { name: '로그아웃' }).click();
      await operator.waitForURL(`${s.base}/operator/login`);
      await operator.goto(`${s.base}/operator`);
      await operator.waitForURL(`${s.base}/operator/login`);

      assert.deepEqual(admin.errors, [], 'no script errors on the site admin\'s pages');
      assert.deepEqual(operator.errors, [], 'no script errors on the operator\'s pages');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, [], withOperator('op1', '운영자'));
});

test('the operator\'s login says a wrong password; /operator without the operator\'s login leads to it', TIMEOUT, async () => {
  await withServer(async (s, browser) => {
    const op = s.prepared;
    const page = await pageOf(browser);
    await page.goto(`${s.base}/operator`);
    await page.waitForURL(`${s.base}/operator/login`);
    await page.getByRole('heading', { level: 1, name: '플랫폼 운영자 로그인' }).waitFor();
    assert.equal(await page.locator('#login-error').getAttribute('role'), 'alert');
    assert.equal(await text(page.locator('#login-error')), '', 'nothing said before trying');
    const alert = page.getByRole('alert');

    await page.getByRole('button', { name: '로그인', exact: true }).click();
    await alert.filter({ hasText: '아이디와 비밀번호를 모두 입력해 주세요.' }).waitFor();

    await page.getByLabel('아이디', { exact: true }).fill(op.login);
    await page.getByLabel('비밀번호', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    await alert.filter({ hasText: '아이디 또는 비밀번호가 틀렸습니다.' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/operator/login', 'still on the login page');
    assert.equal(await page.getByLabel('비밀번호', { exact: true }).inputValue(), '', 'the password is cleared');
    assert.equal(await page.getByLabel('비밀번호', { exact: true }).getAttribute('aria-invalid'), 'true');
    await screenshot(page, 'operator-login-refused');

    // A site's admin, logged in, is not the operator.
    const admin = await pageOf(browser);
    await logIn(admin, s);
    await admin.goto(`${s.base}/operator`);
    await admin.waitForURL(`${s.base}/operator/login`);
    const api = await admin.request.get(`${s.base}/api/v1/operator/sites`);
    assert.equal(api.status(), 401);

    // In English when the browser asks for it.
    const en = await (await browser.newContext({ ...VIEWPORT, locale: 'en-US' })).newPage();
    en.errors = [];
    en.on('pageerror', (e) => en.errors.push(e));
    await en.goto(`${s.base}/operator/login`);
    await en.getByRole('heading', { level: 1, name: 'Platform operator login' }).waitFor();
    await en.getByLabel('Login', { exact: true }).fill(op.login);
    await en.getByLabel('Password', { exact: true }).fill('wrong again');
    await en.getByRole('button', { name: 'Log in', exact: true }).click();
    await en.getByRole('alert').filter({ hasText: 'The login or the password is wrong.' }).waitFor();
    // The right password opens the operator's page, in English.
    await en.getByLabel('Password', { exact: true }).fill(op.password);
    await en.getByRole('button', { name: 'Log in', exact: true }).click();
    await en.waitForURL(`${s.base}/operator`);
    await en.getByRole('heading', { level: 1, name: 'Platform operation' }).waitFor();
    await en.locator('#review-status').filter({ hasText: 'No submission waits for review.' }).waitFor();
    await en.locator('#sites-status').filter({ hasText: /^Sites: \d+$/ }).waitFor();

    for (const p of [page, admin, en]) assert.deepEqual(p.errors, [], 'no script errors');
  }, [], withOperator('op2', 'Operator Two'));
});

test('the business verification page is the site admin\'s: others are told so, and a login comes back to it', TIMEOUT, async () => {
  await withServer(async (s, browser) => {
    const made = await s.api('/api/v1/agents', {
      method: 'POST',
      body: { login: 'kim.agent', display_name: '김상담', role: 'agent', password: 'kim-password-1' },
    });
    assert.equal(made.status, 201);
    // Without a login: the login page, which comes back here.
    const page = await pageOf(browser);
    await page.goto(`${s.base}/admin/business`);
    await page.waitForURL(/\/login\?next=/);
    assert.equal(new URL(page.url()).searchParams.get('next'), '/admin/business');
    await page.getByLabel('아이디', { exact: true }).fill('kim.agent');
    await page.getByLabel('비밀번호', { exact: true }).fill('kim-password-1');
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    // An agent: the page says who may use it.
    await page.waitForURL(`${s.base}/admin/business`);
    await page.getByRole('heading', { level: 1, name: '권한이 없습니다' }).waitFor();
    assert.match(await text(page.locator('main')), /사업자 인증은 사이트 관리자만 신청하고 볼 수 있습니다\./);
    assert.equal(await page.locator('#business-form').count(), 0);
    const answer = await page.request.get(`${s.base}/admin/business`);
    assert.equal(answer.status(), 403);
    assert.deepEqual(page.errors, [], 'no script errors');
  });
});
