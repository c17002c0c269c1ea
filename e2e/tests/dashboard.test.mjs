// The report dashboard, used as a site's manager would: two customers write through the web
// chat and one through KakaoTalk; an agent takes one of each and answers the web one. The
// manager opens the dashboard from the consultation history and reads today's inflow per
// channel, the headline times, who took what and the charts; filters to the web chat (the
// figures follow, and the link back to the history keeps the filter); a period without
// consultations says so; a period that ends before it starts is refused beside its field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withServer, screenshot, until, kakaoSays } from '../harness.mjs';

const PASSWORD = 'manager-pass-2024!';

/** A customer opens the web chat (v2) and writes; resolves to the consultation's id. */
async function webCustomer(s, uid, message) {
  const url = `${s.base}/chat/${s.siteId}?params=site_uid=('${uid}')`;
  const opened = await fetch(`${s.base}/api/v1/webchat/${s.siteId}/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url, channel: 'webchat_v2' }),
  });
  assert.equal(opened.status, 200);
  const session = await opened.json();
  const sent = await fetch(`${s.base}/api/v1/webchat/${s.siteId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-sangdam-visitor': session.visitor },
    body: JSON.stringify({ body: message, client_msg_id: `m-${uid}` }),
  });
  assert.equal(sent.status, 200);
  return (await sent.json()).consultation_id;
}

/** Today's date in the site's time zone (the demo site's is Seoul). */
function seoulToday() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** A table as the page shows it: one object per body row, keyed by the column headings. */
async function tableRows(page, id) {
  return page.locator(`#${id}`).evaluate((table) => {
    const heads = [...table.tHead.rows[0].cells].map((c) => c.textContent.trim());
    return [...table.tBodies[0].rows].map((tr) => Object.fromEntries([...tr.cells].map((c, i) => [heads[i], c.textContent.trim()])));
  });
}

test('a manager reads the dashboard: inflow per channel, times, agents, charts, a filter, an empty period', async () => {
  await withServer(async (s, browser) => {
    const manager = await s.api('/api/v1/agents', {
      method: 'POST',
      body: { login: 'park', display_name: '박매니저', role: 'manager', password: PASSWORD },
    });
    assert.equal(manager.status, 201, JSON.stringify(manager.json));
    const agent = await s.api('/api/v1/agents', {
      method: 'POST',
      body: { login: 'kim', display_name: '김상담', role: 'agent', password: PASSWORD, api_token: true },
    });
    assert.equal(agent.status, 201, JSON.stringify(agent.json));
    const asKim = async (path, body) => {
      const res = await fetch(`${s.base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${agent.json.api_token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      assert.equal(res.status, 200, `${path}: ${await res.text()}`);
    };

    // Two on the web chat, one on KakaoTalk; Kim takes the first web one and the Kakao one and
    // answers the web one.
    const web1 = await webCustomer(s, 'web-1', '배송 문의입니다.');
    await webCustomer(s, 'web-2', '환불 문의입니다.');
    await kakaoSays(s, 'kakao-dash-1', '카카오에서 문의합니다', { site_uid: 'kakao-dash-1' });
    const waiting = await until(async () => {
      const { json } = await s.api('/api/v1/consultations?state=waiting');
      return json.consultations.length === 3 && json.consultations;
    }, 'three consultations waiting');
    const kakao = waiting.find((c) => c.channel === 'kakao');
    assert.ok(kakao, JSON.stringify(waiting));
    await asKim(`/api/v1/consultations/${web1}/take`);
    await asKim(`/api/v1/consultations/${kakao.id}/take`);
    await asKim(`/api/v1/consultations/${web1}/messages`, { body: '확인해 드리겠습니다.' });

    // The manager, on a laptop, goes from the history to the dashboard.
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'ko-KR', timezoneId: 'Asia/Seoul' });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    await page.goto(`${s.base}/login?next=%2Freports`);
    await page.getByLabel('아이디', { exact: true }).fill('park');
    await page.getByLabel('비밀번호', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '상담 내역' }).waitFor();
    await page.getByRole('link', { name: '상담 대시보드' }).click();
    await page.getByRole('heading', { level: 1, name: '상담 대시보드' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/reports/dashboard');

    const today = seoulToday();
    const headline = (id) => page.locator(`#headline-${id}`).textContent();
    await until(async () => (await headline('total')) === '3', 'three consultations in the headline');
    assert.equal(await page.getByText('이 조건에 맞는 상담이 없습니다', { exact: false }).isVisible(), false);

    // Today's inflow, per channel (the table under the chart, opened as a person would).
    await page.locator('#inflow summary', { hasText: '표로 보기' }).click();
    let inflow = await tableRows(page, 'inflow-table');
    let day = inflow.find((r) => r['날짜'] === today);
    assert.ok(day, `a row for ${today}: ${JSON.stringify(inflow)}`);
    assert.equal(day['웹채팅 v2'], '2');
    assert.equal(day['카카오톡'], '1');
    assert.equal(day['네이버 톡톡'], '0');
    assert.equal(day['합계'], '3');
    assert.equal(inflow.length, 7 + 1, 'the last seven days and the totals');
    assert.equal(inflow.at(-1)['합계'], '3');

    // Times: two taken (waiting), one answered (first response), shown as durations.
    assert.match(await headline('waiting-median'), /^\d+(\.\d)?초$|분/);
    assert.equal(await headline('waiting-count'), '2건 기준');
    assert.equal(await headline('first-count'), '1건 기준');
    const waitingDay = (await tableRows(page, 'waiting-table')).find((r) => r['날짜'] === today);
    assert.equal(waitingDay['대상 상담'], '2');
    const firstDay = (await tableRows(page, 'first-table')).find((r) => r['날짜'] === today);
    assert.equal(firstDay['대상 상담'], '1');
    assert.notEqual(firstDay['중앙값'], '–');

    // Who took them, by name; and the satisfaction (nobody rated).
    const agents = await tableRows(page, 'agents-table');
    assert.deepEqual(agents.map((r) => [r['상담원'], r['건수']]), [['김상담', '2'], ['가져간 상담원 없음', '1']]);
    const scores = await tableRows(page, 'scores-table');
    assert.equal(scores.find((r) => r['점수'] === '평가 안 함')['건수'], '3');
    assert.equal(scores.find((r) => r['점수'] === '5점')['건수'], '0');
    const categories = await tableRows(page, 'categories-table');
    assert.equal(categories.reduce((n, r) => n + Number(r['건수']), 0), 3);

    // The charts are drawn, each a visible canvas of real size, with the channels' names.
    for (const id of ['inflow-chart', 'waiting-chart', 'first-chart']) {
      const canvas = page.locator(`#${id} canvas`);
      assert.equal(await canvas.count(), 1, id);
      const box = await canvas.boundingBox();
      assert.ok(box && box.width > 200 && box.height > 100, `${id}: ${JSON.stringify(box)}`);
    }
    const legend = await page.locator('#inflow-chart .u-legend').innerText();
    assert.match(legend, /웹채팅 v2/);
    assert.match(legend, /카카오톡/);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 1366, `the page fits a laptop (${width}px)`);
    await screenshot(page, 'dashboard');

    // Only the web chat: the figures follow, and the filter is in the address.
    await page.locator('#filter-channels').getByLabel('웹채팅 v2').check();
    await page.getByRole('button', { name: '검색', exact: true }).click();
    await until(async () => (await headline('total')) === '2', 'two web consultations');
    inflow = await tableRows(page, 'inflow-table');
    day = inflow.find((r) => r['날짜'] === today);
    assert.equal(day['웹채팅 v2'], '2');
    assert.equal(day['카카오톡'], '0');
    assert.equal(day['합계'], '2');
    assert.deepEqual((await tableRows(page, 'agents-table')).map((r) => [r['상담원'], r['건수']]).sort(),
      [['가져간 상담원 없음', '1'], ['김상담', '1']]);
    assert.deepEqual(new URL(page.url()).searchParams.getAll('channel'), ['webchat_v2']);
    assert.doesNotMatch(await page.locator('#inflow-chart .u-legend').innerText(), /카카오톡/, 'no Kakao line');

    // A period that ends before it starts: said beside the end date, nothing redrawn.
    await page.getByLabel('시작일').fill('2026-03-10');
    await page.getByLabel('종료일').fill('2026-03-01');
    await page.getByRole('button', { name: '검색', exact: true }).click();
    await page.locator('[data-error-for="to"]').filter({ hasText: '기간의 종료일이 시작일보다 앞섭니다.' }).waitFor();
    assert.equal(await page.getByLabel('종료일').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#report-status').textContent(), '조건을 확인하세요.');
    assert.equal(await headline('total'), '2', 'the figures shown stay');

    // A period without consultations: said plainly, no charts.
    await page.getByLabel('시작일').fill('2020-01-01');
    await page.getByLabel('종료일').fill('2020-01-31');
    await page.getByRole('button', { name: '검색', exact: true }).click();
    await page.getByText('이 조건에 맞는 상담이 없습니다. 기간이나 조건을 바꿔 보세요.').waitFor();
    assert.equal(await headline('total'), '0');
    assert.equal(await page.locator('#charts').isVisible(), false, 'no empty charts');
    assert.equal(await page.locator('[data-error-for="to"]').textContent(), '', 'the error is gone');
    await screenshot(page, 'dashboard-empty');

    // The filter reset (the last seven days, every channel), the web chat again, then to the
    // history: the link keeps the filter.
    await page.getByRole('button', { name: '조건 초기화' }).click();
    assert.equal(await page.locator('#filter-channels').getByLabel('웹채팅 v2').isChecked(), false);
    await page.locator('#filter-channels').getByLabel('웹채팅 v2').check();
    await page.getByRole('button', { name: '검색', exact: true }).click();
    await until(async () => (await headline('total')) === '2', 'the web-chat figures again');
    assert.equal(await page.locator('#charts').isVisible(), true, 'the charts are back');
    await page.getByRole('link', { name: '상담 내역', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '상담 내역' }).waitFor();
    assert.deepEqual(new URL(page.url()).searchParams.getAll('channel'), ['webchat_v2']);
    const total = page.locator('#counters div', { has: page.locator('dt', { hasText: /^전체$/ }) }).locator('dd');
    await until(async () => (await total.textContent()) === '2', 'the history shows the same two');
    assert.deepEqual(errors, [], 'the pages threw no script errors');
  });
});

test('an agent is told the dashboard is not for them; without a login, the login page comes back to it', async () => {
  await withServer(async (s, browser) => {
    const made = await s.api('/api/v1/agents', {
      method: 'POST',
      body: { login: 'kim', display_name: '김상담', role: 'agent', password: PASSWORD },
    });
    assert.equal(made.status, 201);
    const page = await browser.newPage({ locale: 'ko-KR' });
    await page.goto(`${s.base}/reports/dashboard`);
    await page.waitForURL(/\/login\?next=/);
    assert.equal(new URL(page.url()).searchParams.get('next'), '/reports/dashboard');
    await page.getByLabel('아이디', { exact: true }).fill('kim');
    await page.getByLabel('비밀번호', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '권한이 없습니다' }).waitFor();
    assert.match(await page.locator('main').innerText(), /상담 대시보드는 매니저와 사이트 관리자만 볼 수 있습니다/);
  });
});
