// The consultation history, used as a site's manager would: three customers arrive through the
// chat window from different places (parameter1, "유입경로"); the manager filters the history by
// 유입경로 containing "네이버", sees the counters and exactly those two consultations, hides a
// column (which stays hidden after a reload, as does the filter), downloads the same report as
// an Excel file and the file, read back on its own, holds the same two consultations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, launchBrowser, screenshot, until } from '../harness.mjs';

const PASSWORD = 'manager-pass-2024!';
const q = (v) => `('${encodeURIComponent(v)}')`;

/** A customer opens the chat window on a phone, arriving from `source`, and writes. */
async function customerArrives(browser, s, uid, source, message) {
  const page = await (await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'ko-KR' })).newPage();
  await page.goto(`${s.base}/chat/${s.siteId}?params=site_uid=${q(uid)},parameter1=${q(source)}`);
  await page.getByRole('heading', { name: /Sangdam 데모 쇼핑몰/ }).waitFor();
  const input = page.getByRole('textbox', { name: '메시지' });
  await input.fill(message);
  await input.press('Enter');
  await until(async () => (await page.locator('body').textContent()).includes(message), 'the message shown as sent');
  return page;
}

/** The rows of the first sheet of an .xlsx, read with Python's standard library alone (an empty
 * cell is absent from the file: each cell says its column). */
function xlsxRows(path) {
  const script = `
import json, sys, zipfile, xml.etree.ElementTree as ET
ns = {'m': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}
with zipfile.ZipFile(sys.argv[1]) as z:
    root = ET.fromstring(z.read('xl/worksheets/sheet1.xml'))
def column(ref):
    n = 0
    for ch in ref:
        if not ch.isalpha():
            break
        n = n * 26 + ord(ch) - ord('A') + 1
    return n - 1
rows = []
for row in root.iter('{%s}row' % ns['m']):
    cells = {}
    for c in row.findall('m:c', ns):
        t = c.find('m:is/m:t', ns)
        v = c.find('m:v', ns)
        cells[column(c.get('r'))] = t.text if t is not None else (v.text if v is not None else '')
    rows.append([cells.get(i, '') for i in range(max(cells, default=-1) + 1)])
print(json.dumps(rows))
`;
  return JSON.parse(execFileSync('python3', ['-c', script, path], { encoding: 'utf8' }));
}

test('a manager filters the consultation history by a parameter, chooses columns and downloads the same as Excel', async () => {
  const s = await startServer();
  const browser = await launchBrowser();
  try {
    const made = await s.api('/api/v1/agents', {
      method: 'POST',
      body: { login: 'park', display_name: '박매니저', role: 'manager', password: PASSWORD },
    });
    assert.equal(made.status, 201, JSON.stringify(made.json));

    // Three customers, from three places.
    const arrivals = [
      ['naver-ad', '네이버 검색광고', '배송이 언제 되나요?'],
      ['kakao-ad', '카카오 광고', '쿠폰을 쓸 수 있나요?'],
      ['naver-blog', '네이버 블로그', '교환하고 싶어요.'],
    ];
    for (const [uid, source, message] of arrivals) await customerArrives(browser, s, uid, source, message);

    // The manager, at a desk, opens the history from the console.
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'ko-KR', timezoneId: 'Asia/Seoul', acceptDownloads: true });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    await page.goto(`${s.base}/login`);
    await page.getByLabel('아이디', { exact: true }).fill('park');
    await page.getByLabel('비밀번호', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    await page.waitForURL(`${s.base}/console`);
    await page.getByRole('link', { name: '상담 내역' }).click();
    await page.getByRole('heading', { level: 1, name: '상담 내역' }).waitFor();
    // The last seven days by default: the three consultations of today.
    const counter = (name) => page.locator('#counters div', { has: page.locator('dt', { hasText: new RegExp(`^${name}$`) }) }).locator('dd');
    await until(async () => (await counter('전체').textContent()) === '3', 'the three consultations counted');
    assert.match(await page.getByLabel('종료일').inputValue(), /^\d{4}-\d{2}-\d{2}$/);

    // 유입경로 contains 네이버.
    await page.getByRole('button', { name: '조건 추가' }).click();
    await page.getByLabel('조건 1 파라미터').selectOption({ label: '유입경로 (parameter1)' });
    await page.getByLabel('조건 1 비교 방식').selectOption({ label: '포함' });
    await page.getByLabel('조건 1 값').fill('네이버');
    await page.getByRole('button', { name: '검색', exact: true }).click();
    await page.locator('#report-count').filter({ hasText: '2건 중 2건 표시' }).waitFor();
    assert.equal(await counter('전체').textContent(), '2');
    assert.equal(await counter('진행 중').textContent(), '2', 'both still waiting for an answer');
    assert.equal(await counter('상담원 종료').textContent(), '0');

    const table = page.locator('#report-table');
    const headers = async () => (await table.locator('thead th').allTextContents()).map((x) => x.trim());
    const shown = async () => {
      const heads = await headers();
      const lines = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
      return lines.map((cells) => Object.fromEntries(heads.map((name, i) => [name, cells[i]])));
    };
    let rows = await shown();
    assert.equal(rows.length, 2);
    assert.deepEqual(rows.map((r) => r['유입경로']).sort(), ['네이버 검색광고', '네이버 블로그']);
    assert.deepEqual(rows.map((r) => r['회원 ID']).sort(), ['naver-ad', 'naver-blog']);
    for (const r of rows) {
      assert.match(r['상담 번호'], /^\d+$/);
      assert.match(r['생성 시각'], /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      assert.equal(r['채널'], '웹채팅 v2');
      assert.equal(r['종료 시각'], '', 'an empty cell stays empty');
    }
    // Newest first.
    assert.equal(rows[0]['회원 ID'], 'naver-blog');
    const seen = rows.map((r) => [r['상담 번호'], r['유입경로']]);
    assert.equal(new URL(page.url()).searchParams.get('param'), 'parameter1:contains:네이버', 'the filter is in the address');
    await screenshot(page, 'reports-filtered');

    // Hide the room column: it goes at once, and stays hidden after a reload, with the filter.
    assert.ok((await headers()).includes('채팅방 번호'));
    await page.locator('summary', { hasText: '표시할 열' }).click();
    await page.locator('#column-boxes').getByLabel('채팅방 번호').uncheck();
    assert.ok(!(await headers()).includes('채팅방 번호'), 'the column is gone');
    await page.locator('#column-status').filter({ hasText: '표시할 열을 저장했습니다.' }).waitFor();
    await page.reload();
    await page.locator('#report-count').filter({ hasText: '2건 중 2건 표시' }).waitFor();
    assert.equal(await page.getByLabel('조건 1 값').inputValue(), '네이버');
    assert.equal(await page.getByLabel('조건 1 비교 방식').inputValue(), 'contains');
    const after = await headers();
    assert.ok(!after.includes('채팅방 번호'), 'still hidden after a reload');
    assert.ok(after.includes('상담 번호') && after.includes('유입경로'));
    await page.locator('summary', { hasText: '표시할 열' }).click();
    assert.equal(await page.locator('#column-boxes').getByLabel('채팅방 번호').isChecked(), false);
    rows = await shown();
    assert.deepEqual(rows.map((r) => [r['상담 번호'], r['유입경로']]), seen);

    // Download the same as Excel: progress, then the file's link.
    await page.getByRole('button', { name: 'Excel(.xlsx) 다운로드' }).click();
    const progress = page.getByRole('progressbar', { name: '진행' });
    await progress.waitFor();
    const link = page.getByRole('link', { name: /^Excel 파일 받기 \(.+\)$/ });
    await link.waitFor();
    assert.equal(await page.locator('#export-count').textContent(), '2 / 2');
    assert.equal(await page.locator('#export-status').textContent(), '파일이 준비되었습니다.');
    assert.equal(await page.getByRole('button', { name: '취소' }).isVisible(), false, 'nothing left to cancel');
    await until(async () => (await page.locator('#export-rows tr[data-export]').count()) === 1, 'the recent downloads list it');
    assert.match(await page.locator('#export-rows tr[data-export]').innerText(), /Excel\s+파일이 준비되었습니다.\s+2 \/ 2/);
    await screenshot(page, 'reports-download');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.match(download.suggestedFilename(), /\.xlsx$/);
    const file = xlsxRows(await download.path());
    const [heading, ...data] = file;
    const idAt = heading.indexOf('상담 번호');
    const sourceAt = heading.indexOf('유입경로');
    assert.ok(idAt >= 0 && sourceAt >= 0, `the file's header: ${heading}`);
    assert.equal(data.length, 2, 'the file holds the two consultations');
    assert.deepEqual(data.map((r) => [r[idAt], r[sourceAt]]), seen, 'the same consultations, in the same order');

    // On a phone, the page is usable: the table scrolls inside its box.
    await page.setViewportSize({ width: 360, height: 740 });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `the page fits a phone (${width}px)`);
    await screenshot(page, 'reports-phone');
    assert.deepEqual(errors, [], 'the page threw no script errors');
  } finally {
    await browser.close();
    await s.stop();
  }
});

test('an agent is told the history is not for them; without a login, the login page comes back to it', async () => {
  const s = await startServer();
  const browser = await launchBrowser();
  try {
    const made = await s.api('/api/v1/agents', {
      method: 'POST',
      body: { login: 'kim', display_name: '김상담', role: 'agent', password: PASSWORD },
    });
    assert.equal(made.status, 201);
    const page = await browser.newPage({ locale: 'ko-KR' });
    await page.goto(`${s.base}/reports`);
    await page.waitForURL(/\/login\?next=/);
    assert.equal(new URL(page.url()).searchParams.get('next'), '/reports');
    await page.getByLabel('아이디', { exact: true }).fill('kim');
    await page.getByLabel('비밀번호', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '권한이 없습니다' }).waitFor();
    assert.match(await page.locator('main').innerText(), /상담 내역은 매니저와 사이트 관리자만 볼 수 있습니다/);
    await page.goto(`${s.base}/console`);
    assert.equal(await page.getByRole('link', { name: '상담 내역' }).count(), 0, 'no link for an agent');
  } finally {
    await browser.close();
    await s.stop();
  }
});
