// The wallet page, used as the site's admin uses it: with no wallet they see the form that
// makes one, see a business registration number whose check digit is wrong refused beside its
// field, and make a business wallet with themself as its master; they set where their notices
// go and add a worker; register a card through the gateway's window (the demo's local gateway)
// and make it the payment card; buy 10,000 KRW of paid cash, seeing the 11,000 KRW the card
// pays before paying; see a dormant card refused with the reason; after usages billed through
// the API see the paid cash go down and the usage in the history, download the history as an
// xlsx file and read the usage back from it; read the month's statement; refund everything.
// The worker sees the wallet without the refund. A charge the gateway answers too late shows as
// being confirmed until the server confirms it. An agent who is none of the wallet's people is
// told whose it is. In English the page says nothing in Korean but the data it shows, and it
// reads on a phone's width without the page scrolling sideways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { logIn, screenshot, until, withServer } from '../harness.mjs';

const TIMEOUT = { timeout: 300_000 };
const VIEW = { locale: 'ko-KR', viewport: { width: 1360, height: 900 } };

/** The files of a zip archive (an xlsx is one): name → bytes. */
function unzip(buf) {
  let end = buf.length - 22;
  while (end >= 0 && buf.readUInt32LE(end) !== 0x06054b50) end -= 1;
  assert.ok(end >= 0, 'the archive has its end record');
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const files = new Map();
  for (let i = 0; i < count; i += 1) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50, 'a central directory entry');
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const skip = nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    const data = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(data, data + size);
    files.set(name, method === 8 ? inflateRawSync(raw) : raw);
    at += 46 + skip;
  }
  return files;
}

/** The texts of a page's table body, row by row. */
async function rows(page, tbody) {
  return page.locator(`#${tbody} tr`).evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
}

/** A card of the demo's gateway registered for the account of `s.api`'s token, over the API. */
async function apiCard(s, number) {
  const reg = await s.api('/api/v1/wallet/card-registration', { method: 'POST', body: { return_url: `${s.base}/wallet` } });
  assert.equal(reg.status, 200);
  const peer = new URL(reg.json.url).origin;
  const auth = await fetch(`${peer}/peer/auth-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ customerKey: reg.json.customer_key, cardNumber: number }),
  });
  assert.equal(auth.status, 200);
  const { authKey } = await auth.json();
  const card = await s.api('/api/v1/wallet/cards', { method: 'POST', body: { auth_key: authKey, customer_key: reg.json.customer_key } });
  assert.equal(card.status, 201);
  return card.json;
}

test('the admin makes a business wallet, registers a card, buys cash, sees usage and refunds', TIMEOUT, async () => {
  await withServer(async (s, browser) => {
    const context = await browser.newContext(VIEW);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    const dialogs = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); d.accept(); });
    // A worker-to-be.
    const made = await s.api('/api/v1/agents', {
      method: 'POST', body: { login: 'lee.agent', display_name: '이상담', password: 'lee-password-1' },
    });
    assert.equal(made.status, 201);

    await logIn(page, s);
    await page.goto(`${s.base}/console`);
    await page.getByRole('link', { name: '월렛', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '월렛' }).waitFor();

    // --- No wallet: the admin's form. ---------------------------------------------------------
    await page.getByRole('heading', { name: '월렛이 없습니다' }).waitFor();
    const create = page.locator('#create-slot form');
    await create.getByLabel('월렛 이름').fill('데모 쇼핑몰 월렛');
    assert.equal(await create.getByRole('radio', { name: '사업자' }).isChecked(), true, 'a business wallet by default');
    await create.getByLabel('사업자등록번호').fill('123-45-67890');
    await create.getByLabel('상호').fill('데모 쇼핑몰 주식회사');
    await create.getByLabel('대표자').fill('김대표');
    await create.getByLabel('세금계산서 받을 이메일').fill('tax@demo.example');
    const master = create.getByLabel('월렛 마스터');
    assert.equal(await master.locator('option:checked').textContent(), '관리자', 'the admin is the master by default');
    await screenshot(page, 'wallet-none');
    await create.getByRole('button', { name: '월렛 만들기' }).click();
    const numberError = create.locator('[data-error-for="business_number"]');
    await numberError.filter({ hasText: '검증 숫자가 맞지 않으니' }).waitFor();
    assert.equal(await create.getByLabel('사업자등록번호').getAttribute('aria-invalid'), 'true');
    assert.equal((await s.api('/api/v1/wallet')).status, 404, 'nothing was made');
    await screenshot(page, 'wallet-business-number-refused');
    await create.getByLabel('사업자등록번호').fill('123-45-67891');
    await create.getByRole('button', { name: '월렛 만들기' }).click();
    await page.locator('#wallet-status').filter({ hasText: '월렛을 만들었습니다' }).waitFor();
    await page.locator('#role-line').filter({ hasText: '내 역할: 월렛 마스터' }).waitFor();
    assert.equal(await page.locator('#paid-cash').textContent(), '0원');
    const wallet = (await s.api('/api/v1/wallet')).json.wallet;
    assert.equal(wallet.business_number, '123-45-67891');
    assert.equal(wallet.kind, 'business');

    // --- People: my notices, and a worker. ----------------------------------------------------
    const people = page.locator('#people');
    await people.getByLabel('관리자의 알림 이메일').fill('not-an-address');
    await people.getByRole('button', { name: '저장', exact: true }).click();
    await people.locator('.field-error').filter({ hasText: '이메일 주소 형식이 아닙니다' }).waitFor();
    await people.getByLabel('관리자의 알림 이메일').fill('admin@demo.example');
    await people.getByRole('button', { name: '저장', exact: true }).click();
    await page.locator('#people-status').filter({ hasText: '알림 이메일을 저장했습니다' }).waitFor();
    await people.getByLabel('작업자 추가').selectOption({ label: '이상담 (상담원)' });
    await people.getByRole('button', { name: '추가', exact: true }).click();
    await page.locator('#people-status').filter({ hasText: '이상담을(를) 작업자로 추가했습니다' }).waitFor();
    const roles = await rows(page, 'people-rows');
    assert.deepEqual(roles.map((r) => r[1]).sort(), ['월렛 마스터', '작업자']);

    // --- A card through the gateway's window. -------------------------------------------------
    await page.getByRole('button', { name: '카드 등록' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/peer/billing-auth'));
    await page.getByLabel('카드 번호').fill('4330123412341234');
    await page.getByRole('button', { name: '등록' }).click();
    await page.waitForURL((u) => u.pathname === '/wallet');
    await page.locator('#card-status').filter({ hasText: '카드를 등록했습니다' }).waitFor();
    assert.equal(new URL(page.url()).search, '', 'the window\'s keys left the address');
    await until(async () => (await rows(page, 'my-card-rows')).length === 1, 'the card among my cards');
    const [mine] = await rows(page, 'my-card-rows');
    assert.match(mine[1], /^43301234/, 'the masked number');
    assert.equal(mine[3], '사용 안 함');
    await page.locator('#my-card-rows').getByRole('button', { name: /^결제 카드로 사용/ }).click();
    await page.locator('#card-status').filter({ hasText: '결제 카드로 등록했습니다' }).waitFor();
    const charged = await rows(page, 'wallet-card-rows');
    assert.equal(charged.length, 1);
    assert.deepEqual(charged[0].slice(0, 3), ['1', '결제 카드', '관리자']);
    assert.equal(charged[0][5], '없음');
    assert.equal((await rows(page, 'my-card-rows'))[0][3], '결제 카드(1순위)');

    // --- Paid cash: the card's amount is shown before paying. ---------------------------------
    await page.getByLabel('충전 금액(원, 부가세 별도)').fill('10000');
    await page.locator('#charge-gross').filter({ hasText: '카드 결제 금액(부가세 포함): 11,000원' }).waitFor();
    await screenshot(page, 'wallet-charge');
    await page.getByRole('button', { name: '11,000원 결제하고 충전' }).click();
    await page.locator('#charge-status').filter({ hasText: '유상캐시 10,000원을 충전했습니다(카드 결제 11,000원)' }).waitFor();
    await until(async () => (await page.locator('#paid-cash').textContent()) === '10,000원', 'paid cash 10,000');
    await page.locator('#payment-rows tr[data-state="done"]').first().waitFor();
    // An amount out of range is refused beside its field, before anything is sent.
    await page.getByLabel('충전 금액(원, 부가세 별도)').fill('999');
    await page.locator('#charge-gross').filter({ hasText: '금액을 입력하세요' }).waitFor();
    await page.getByRole('button', { name: '충전', exact: true }).click();
    await page.locator('#charge-amount-error').filter({ hasText: '1,000원부터 10,000,000원 사이' }).waitFor();

    // A dormant card is refused, and the page says why.
    await page.getByRole('button', { name: '카드 등록' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/peer/billing-auth'));
    await page.getByLabel('카드 번호').fill('5310123412340001');
    await page.getByRole('button', { name: '등록' }).click();
    await page.locator('#card-status').filter({ hasText: '카드를 등록했습니다' }).waitFor();
    await until(async () => (await rows(page, 'my-card-rows')).length === 2, 'two cards of mine');
    const dormant = page.locator('#charge-card option').filter({ hasText: '53101234' });
    await page.locator('#charge-card').selectOption(await dormant.getAttribute('value'));
    await page.getByLabel('충전 금액(원, 부가세 별도)').fill('5000');
    await page.getByRole('button', { name: '5,500원 결제하고 충전' }).click();
    await page.locator('#charge-status').filter({ hasText: '카드사가 결제를 거절했습니다: 휴면(정지된 카드)' }).waitFor();
    await page.locator('#payment-rows tr[data-state="refused"]').filter({ hasText: '휴면(정지된 카드)' }).waitFor();
    assert.equal(await page.locator('#paid-cash').textContent(), '10,000원', 'nothing was bought');
    // The dormant card goes.
    await page.locator('#my-card-rows tr').filter({ hasText: '53101234' }).getByRole('button', { name: /^카드 삭제/ }).click();
    await page.locator('#card-status').filter({ hasText: '카드를 삭제했습니다' }).waitFor();
    assert.match(dialogs.at(-1), /카드를 삭제할까요/);
    await until(async () => (await rows(page, 'my-card-rows')).length === 1, 'one card of mine');
    // A number the window refuses comes back as a sentence.
    await page.getByRole('button', { name: '카드 등록' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/peer/billing-auth'));
    await page.getByLabel('카드 번호').fill('1234');
    await page.getByRole('button', { name: '등록' }).click();
    await page.locator('#card-status').filter({ hasText: '카드를 등록하지 못했습니다:' }).waitFor();
    assert.equal(new URL(page.url()).search, '', 'the window\'s answer left the address');
    assert.equal((await rows(page, 'my-card-rows')).length, 1, 'no card was added');

    // --- Usage billed by a feature, seen after a reload. --------------------------------------
    const billed = await s.api('/api/v1/wallet/usages', {
      method: 'POST', body: { usages: [{ key: 'e2e-1', kind: 'event_message', quantity: 100, reference: '캠페인 A' }] },
    });
    assert.equal(billed.status, 200);
    assert.equal(billed.json.results[0].result, 'billed');
    assert.equal(billed.json.results[0].paid, 1500);
    await page.reload();
    await until(async () => (await page.locator('#paid-cash').textContent()) === '8,500원', 'paid cash 8,500');
    const history = page.locator('#history-rows tr[data-kind="usage"]');
    await history.first().waitFor();
    const [usage] = await history.evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
    assert.deepEqual(usage.slice(1), ['사용', '이벤트 메시지', '100', '15원', '1,500원', '캠페인 A']);
    assert.match(usage[0], /^\d{4}\. \d{2}\. \d{2}\. \d{2}:\d{2}$/, 'a time in the site\'s zone');
    assert.ok(await page.locator('#history-rows tr[data-kind="cash_charged"]').count() >= 1);
    // Filtered to usages, the download carries the same filter.
    await page.getByLabel('구분', { exact: true }).selectOption({ label: '사용' });
    await page.getByRole('button', { name: '조회' }).click();
    await until(async () => (await page.locator('#history-rows tr').count()) === 1, 'only the usage');
    assert.match(await page.locator('#history-xlsx').getAttribute('href'), /history\.xlsx\?kind=usage$/);
    await screenshot(page, 'wallet-history');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#history-xlsx').click()]);
    const xlsx = readFileSync(await download.path());
    assert.equal(xlsx.subarray(0, 2).toString(), 'PK', 'an xlsx (zip) file');
    const files = unzip(xlsx);
    const sheet = ['xl/worksheets/sheet1.xml', 'xl/sharedStrings.xml'].map((f) => files.get(f)?.toString('utf8') ?? '').join('\n');
    assert.match(sheet, /사용 항목/, 'the headings');
    assert.match(sheet, /event_message/, 'the usage row');
    assert.match(sheet, /<v>1500<\/v>/, 'its amount');
    assert.doesNotMatch(sheet, /유상캐시 충전/, 'only what the filter shows');

    // The month's statement: the usage among its lines, and what an invoice would say.
    await page.locator('#statement-lines tr').filter({ hasText: '사용' }).first().waitFor();
    const totals = await page.locator('#statement-totals').textContent();
    assert.match(totals, /1,500원/, 'the consumption');
    assert.match(totals, /150원/, 'its VAT');

    // --- Refund everything. -------------------------------------------------------------------
    await page.getByRole('button', { name: '환불', exact: true }).click();
    await page.locator('#refund-status').filter({ hasText: '유상캐시 8,500원을 환불했습니다' }).waitFor();
    assert.match(dialogs.at(-1), /8,500원을 환불할까요/);
    await until(async () => (await page.locator('#paid-cash').textContent()) === '0원', 'paid cash 0');
    await page.locator('#payment-rows tr[data-state="done"]').filter({ hasText: '9,350원' }).waitFor();
    await page.locator('#email-rows tr').filter({ hasText: '환불 완료' }).waitFor();
    await screenshot(page, 'wallet-refunded');
    // Nothing left to refund: said beside the form.
    await page.getByRole('button', { name: '환불', exact: true }).click();
    await page.locator('#refund-status').filter({ hasText: '환불할 유상캐시가 없습니다' }).waitFor();
    assert.deepEqual(errors, [], 'the page threw no script errors');

    // --- The worker sees the wallet, buys nothing yet, refunds nothing. -----------------------
    const worker = await (await browser.newContext(VIEW)).newPage();
    const workerErrors = [];
    worker.on('pageerror', (e) => workerErrors.push(e));
    await logIn(worker, s, 'lee.agent', 'lee-password-1');
    await worker.goto(`${s.base}/wallet`);
    await worker.locator('#role-line').filter({ hasText: '내 역할: 작업자' }).waitFor();
    assert.equal(await worker.locator('#paid-cash').textContent(), '0원');
    assert.equal(await worker.locator('#refund').isHidden(), true, 'no refund for a worker');
    assert.equal(await worker.locator('#worker-form').isHidden(), true, 'no workers added by a worker');
    assert.equal(await worker.getByRole('button', { name: '카드 등록' }).isEnabled(), true);
    await worker.locator('#details-view').filter({ hasText: '123-45-67891' }).waitFor();
    assert.deepEqual(workerErrors, []);
  });
});

test('a charge the gateway answers late is shown as being confirmed', TIMEOUT, async () => {
  await withServer(async (s, browser) => {
    const me = (await s.api('/api/v1/agents/directory')).json.agents.find((a) => a.role === 'admin');
    assert.equal((await s.api('/api/v1/wallet', {
      method: 'POST', body: { name: '늦은 결제 월렛', kind: 'personal', master_id: me.id },
    })).status, 201);
    // The demo gateway answers a card ending 0008 after 2 seconds; the server waits 1, then
    // leaves the charge to be confirmed in the background.
    await apiCard(s, '4330123412340008');
    const page = await (await browser.newContext(VIEW)).newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    await logIn(page, s);
    await page.goto(`${s.base}/wallet`);
    await page.getByLabel('충전 금액(원, 부가세 별도)').fill('1000');
    await page.getByRole('button', { name: '1,100원 결제하고 충전' }).click();
    await page.locator('#charge-status').filter({ hasText: '결제 확인 중입니다' }).waitFor();
    await page.locator('#payment-rows tr[data-state="pending"]').filter({ hasText: '확인 중' }).waitFor();
    assert.equal(await page.locator('#paid-cash').textContent(), '0원', 'no cash before it is confirmed');
    await screenshot(page, 'wallet-charge-pending');
    // The server asks the gateway again about a minute later; the page, still watching, says so.
    await page.locator('#charge-status').filter({ hasText: '유상캐시 1,000원을 충전했습니다' }).waitFor({ timeout: 150_000 });
    await until(async () => (await page.locator('#paid-cash').textContent()) === '1,000원', 'the cash after the confirmation');
    await page.locator('#payment-rows tr[data-state="done"]').waitFor();
    assert.deepEqual(errors, []);
  }, ['--payments-timeout-seconds', '1']);
});

test('an agent who is none of the wallet\'s people logs in to it and is told whose it is', TIMEOUT, async () => {
  await withServer(async (s, browser) => {
    const made = await s.api('/api/v1/agents', {
      method: 'POST', body: { login: 'park.agent', display_name: '박상담', password: 'park-password-1' },
    });
    assert.equal(made.status, 201);
    const page = await (await browser.newContext(VIEW)).newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    // Without a login the page sends them to log in, and back.
    await page.goto(`${s.base}/wallet`);
    await page.waitForURL(/\/login\?next=%2Fwallet/);
    await page.getByLabel('아이디', { exact: true }).fill('park.agent');
    await page.getByLabel('비밀번호', { exact: true }).fill('park-password-1');
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    await page.waitForURL(`${s.base}/wallet`);
    await page.getByText('이 사이트의 월렛은 사이트 관리자(챗봇 마스터)가 만듭니다.', { exact: false }).waitFor();
    assert.equal(await page.locator('#create-slot').count(), 0, 'no form for an agent');
    assert.equal(await page.locator('#wallet-body').isHidden(), true);
    assert.deepEqual(errors, []);
  });
});

test('in English, and on a phone\'s width, the wallet says nothing in Korean but its data', TIMEOUT, async () => {
  await withServer(async (s, browser) => {
    // A wallet with a card, cash, a usage and a refused charge, made over the API.
    const me = (await s.api('/api/v1/agents/directory')).json.agents.find((a) => a.role === 'admin');
    const made = await s.api('/api/v1/wallet', {
      method: 'POST', body: { name: 'Demo wallet', kind: 'personal', master_id: me.id },
    });
    assert.equal(made.status, 201);
    const good = await apiCard(s, '4330123412341234');
    const dormant = await apiCard(s, '4330123412340001');
    assert.equal((await s.api(`/api/v1/wallet/cards/${good.id}`, { method: 'PUT', body: { slot: 'payment' } })).status, 200);
    assert.equal((await s.api(`/api/v1/wallet/cards/${dormant.id}`, { method: 'PUT', body: { slot: 'backup' } })).status, 200);
    assert.equal((await s.api(`/api/v1/wallet/notice-emails/${me.id}`, { method: 'PUT', body: { email: 'admin@demo.example' } })).status, 200);
    const cash = await s.api('/api/v1/wallet/cash', { method: 'POST', body: { card_id: good.id, amount: 20000, idempotency_key: 'e2e-en-1' } });
    assert.equal(cash.status, 200);
    const refused = await s.api('/api/v1/wallet/cash', { method: 'POST', body: { card_id: dormant.id, amount: 1000, idempotency_key: 'e2e-en-2' } });
    assert.equal(refused.status, 402);
    await s.api('/api/v1/wallet/usages', { method: 'POST', body: { usages: [{ key: 'e2e-en', kind: 'event_message', quantity: 10 }] } });

    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    await logIn(page, s);
    await page.goto(`${s.base}/wallet?lang=en`);
    await page.getByRole('heading', { level: 1, name: 'Wallet' }).waitFor();
    await page.locator('#role-line').filter({ hasText: 'Your role: Wallet master' }).waitFor();
    assert.equal(await page.locator('#paid-cash').textContent(), '19,850 KRW');
    await page.locator('#payment-rows tr[data-state="refused"]').filter({ hasText: 'Dormant (suspended card)' }).waitFor();
    await page.locator('#history-rows tr[data-kind="usage"]').filter({ hasText: 'Event message' }).waitFor();
    await page.locator('#email-rows tr').first().waitFor();
    await page.locator('#statement-body').waitFor();
    await page.getByLabel('Amount to buy (KRW, VAT excluded)').fill('1000');
    await page.locator('#charge-gross').filter({ hasText: 'The card pays (VAT included): 1,100 KRW' }).waitFor();
    // Every text of the page's own (its main part, not the shared header with the brand and the
    // language switch) and every label it gave, but its data: the names, card companies,
    // notices and gateway messages the API sent, or what it marked translate="no".
    const view = (await s.api('/api/v1/wallet')).json;
    const data = [
      ...(await s.api('/api/v1/agents/directory')).json.agents.map((a) => a.display_name),
      ...view.cards.map((c) => c.card.card_company), ...view.my_cards.map((c) => c.card_company),
      ...(await s.api('/api/v1/wallet/payments')).json.payments.map((p) => p.message),
      ...(await s.api('/api/v1/wallet/emails')).json.emails.flatMap((m) => [m.subject, m.to_name, m.last_error]),
    ].filter(Boolean);
    const korean = await page.evaluate((known) => {
      const own = (text) => known.reduce((rest, d) => rest.split(d).join(''), text);
      const out = [];
      const main = document.getElementById('main');
      const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!el || el.closest('[translate="no"], script, [lang]:not(html)') || !el.checkVisibility()) continue;
        if (/[가-힣]/.test(own(n.textContent))) out.push(n.textContent.trim());
      }
      for (const el of main.querySelectorAll('[aria-label], [placeholder], [title]')) {
        for (const a of ['aria-label', 'placeholder', 'title']) {
          const v = el.getAttribute(a);
          if (v && /[가-힣]/.test(own(v))) out.push(`${a}: ${v}`);
        }
      }
      return out;
    }, data);
    assert.deepEqual(korean, [], 'no Korean of the page\'s own');
    await screenshot(page, 'wallet-en');

    // A phone: the figures and forms fit; wide tables scroll inside their boxes.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(200);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page does not scroll sideways (${overflow}px)`);
    await screenshot(page, 'wallet-en-390');
    assert.deepEqual(errors, [], 'the page threw no script errors');
  });
});
