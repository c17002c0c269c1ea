// Who may show Sangdam's pages in a frame: the admin registers the shop's origin on the
// parameter page (a bad entry is refused and named first); the shop's page then shows the chat
// window in a frame and the customer chats in it, while another origin's frame of the chat
// window, and any frame of the console, is refused by the browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startServer, launchBrowser, logIn, screenshot, cspViolations, expectViolation, until } from '../harness.mjs';

const SITE_NAME = 'Sangdam 데모 쇼핑몰';

/** A shop's web server on its own port of 127.0.0.1 (so its own origin): each of its pages
 * (path → address) shows that address in a frame. */
async function shop(title, pages) {
  const server = createServer((req, res) => {
    const src = pages[new URL(req.url, 'http://x').pathname];
    if (!src) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>${title}</title></head>
<body><h1>${title}</h1><iframe title="상담 창" src="${src}" width="400" height="600"></iframe></body></html>`);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

test('a registered shop frames the chat window; an unregistered one and any console frame are refused', { timeout: 180_000 }, async () => {
  const s = await startServer();
  const browser = await launchBrowser();
  const chatUrl = `${s.base}/chat/${s.siteId}?params=site_uid=('framed01')`;
  const registered = await shop('우리 쇼핑몰', { '/': chatUrl, '/login': `${s.base}/login` });
  const stranger = await shop('모르는 사이트', { '/': chatUrl });
  try {
    // The admin registers the shop on the parameter page; a path is refused, naming the entry.
    const admin = await (await browser.newContext({ locale: 'ko-KR', viewport: { width: 1280, height: 900 } })).newPage();
    await logIn(admin, s);
    await admin.goto(`${s.base}/admin/parameters`);
    const field = admin.getByLabel('사이트 주소(오리진)');
    const save = admin.getByRole('button', { name: '저장 (채팅 창을 띄울 수 있는 사이트)' });
    const status = admin.locator('#frames-form [role="status"]');
    const error = admin.locator('#frame-origins-error');
    await field.fill(`${registered.origin}/shop/index.html`);
    await save.click();
    await until(async () => (await error.textContent()).includes(`${registered.origin}/shop/index.html`), 'the error naming the entry');
    assert.match(await error.textContent(), /사이트 주소가 아닙니다/);
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.match(await status.textContent(), /저장하지 못했습니다/);
    assert.deepEqual((await s.api('/api/v1/site')).json.frame_origins, [], 'nothing was saved');

    await field.fill(`${registered.origin.toUpperCase()}/\n\n`);
    await save.click();
    await until(async () => (await status.textContent()) === '저장되었습니다.', 'the saved message');
    assert.equal(await field.inputValue(), registered.origin, 'shown as saved');
    assert.deepEqual((await s.api('/api/v1/site')).json.frame_origins, [registered.origin]);
    await screenshot(admin, 'admin-frame-origins');

    // On the registered shop's page the chat window shows and works.
    const customer = await (await browser.newContext({ locale: 'ko-KR', viewport: { width: 1000, height: 800 } })).newPage();
    await customer.goto(`${registered.origin}/`);
    const chat = customer.frameLocator('iframe[title="상담 창"]');
    await chat.getByRole('heading', { name: SITE_NAME }).waitFor();
    await until(async () => {
      const line = await chat.getByRole('status').first().textContent();
      return !line.includes('연결 중');
    }, 'the chat in the frame to connect');
    await chat.getByRole('textbox', { name: '메시지' }).fill('프레임 안에서 보냅니다');
    await chat.getByRole('textbox', { name: '메시지' }).press('Enter');
    await until(async () => {
      const { json } = await s.api('/api/v1/consultations?state=waiting');
      for (const c of json.consultations) {
        const { json: d } = await s.api(`/api/v1/consultations/${c.id}`);
        if (d.messages.some((m) => m.body === '프레임 안에서 보냅니다')) return true;
      }
      return false;
    }, 'the message sent from the framed window');
    await screenshot(customer, 'frame-registered');

    // Another site's frame of the same window is refused by the browser.
    expectViolation(/frame-ancestors/);
    const other = await (await browser.newContext({ locale: 'ko-KR' })).newPage();
    await other.goto(`${stranger.origin}/`);
    await until(() => cspViolations().some((v) => v.includes(`"frame-ancestors 'self' ${registered.origin}"`)),
      'the browser to refuse the unregistered frame with the chat window\'s policy');
    await until(() => other.frames().some((f) => f.url().startsWith('chrome-error:')), 'the frame to show the browser\'s error');
    assert.equal(await other.frameLocator('iframe[title="상담 창"]').getByRole('heading', { name: SITE_NAME }).count(), 0);

    // Nobody may frame the console's pages, not even the registered shop.
    const framed = await (await browser.newContext({ locale: 'ko-KR' })).newPage();
    await framed.goto(`${registered.origin}/login`);
    await until(() => cspViolations().some((v) => v.includes(`"frame-ancestors 'none'"`)),
      'the browser to refuse the login page in a frame');
    await until(() => framed.frames().some((f) => f.url().startsWith('chrome-error:')), 'the frame to show the browser\'s error');
    assert.equal(await framed.frameLocator('iframe[title="상담 창"]').locator('#login').count(), 0);
  } finally {
    registered.close();
    stranger.close();
    await browser.close();
    await s.stop();
  }
});
