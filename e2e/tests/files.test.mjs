// Images and files, used as people use them: a customer pastes a screenshot into the chat
// window and sees its thumbnail; the agent sees it in the console and opens the whole image;
// the agent sends a document with the paperclip and the customer gets it as a download link; a
// file dropped on the window is sent as well. A file the server refuses says why, on both sides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, logIn, screenshot, until } from '../harness.mjs';

const TIMEOUT = { timeout: 180_000 };
const q = (v) => `('${encodeURIComponent(v)}')`;

/** The chat window says it is connected. */
async function connected(page) {
  await until(async () => {
    const s = await page.locator('#chat-status').textContent();
    return s && !s.includes('연결 중') && !s.includes('끊겼');
  }, 'the chat to connect');
}

/** Pastes a 640×400 PNG drawn on a canvas into the message input, as a screenshot is pasted.
 * Whether the window took the paste (and kept it from the input). */
async function pasteImage(page, name) {
  return page.locator('#message-input').evaluate(async (input, name) => {
    const canvas = document.createElement('canvas');
    canvas.width = 640;
    canvas.height = 400;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#2457d6';
    ctx.fillRect(0, 0, 640, 400);
    ctx.fillStyle = '#ffd400';
    ctx.fillRect(80, 60, 300, 200);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
    const data = new DataTransfer();
    data.items.add(new File([blob], name, { type: 'image/png' }));
    input.focus();
    const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
    input.dispatchEvent(event);
    return event.defaultPrevented;
  }, name);
}

/** Whether an `<img>` has loaded a picture. */
const loaded = (img) => img.evaluate((el) => el.complete && el.naturalWidth > 0);

/** Fetches `href` in the page (its cookies and origin): the status, type, disposition, bytes. */
function fetchIn(page, href) {
  return page.evaluate(async (href) => {
    const r = await fetch(href);
    const bytes = new Uint8Array(await r.arrayBuffer());
    return {
      status: r.status,
      type: r.headers.get('content-type'),
      disposition: r.headers.get('content-disposition'),
      head: [...bytes.slice(0, 8)],
      text: new TextDecoder().decode(bytes),
    };
  }, href);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

test('a pasted image and an attached document reach the other side; refusals say why', TIMEOUT, async () => {
  const s = await startServer();
  const browser = await launchBrowser();
  const errors = [];
  try {
    // The customer, with nothing written yet: the pasted image opens the consultation.
    const customer = await (await browser.newContext({ locale: 'ko-KR', viewport: { width: 480, height: 800 } })).newPage();
    customer.on('pageerror', (e) => errors.push(e));
    await customer.goto(`${s.base}/chat/${s.siteId}?params=site_uid=${q('files-01')},cus_extra_username=${q('김파일')}`);
    await connected(customer);
    assert.ok(await customer.getByRole('button', { name: '파일 첨부' }).isVisible(), 'the paperclip is labelled');

    assert.equal(await pasteImage(customer, '캡처.png'), true, 'the window takes the pasted image');
    assert.equal(await customer.locator('#message-input').inputValue(), '', 'nothing is pasted as text');
    const mine = customer.locator('#messages .msg-customer');
    const thumb = mine.locator('.file-image img');
    await until(async () => (await mine.count()) === 1 && (await mine.locator('.state').textContent()) === ''
      && loaded(thumb), 'the thumbnail in the customer\'s own window');
    assert.equal(await thumb.getAttribute('alt'), '캡처.png');
    // 640×400 shown within 240 px a side: its place is kept before it loads.
    assert.equal(await thumb.getAttribute('width'), '240');
    assert.equal(await thumb.getAttribute('height'), '150');
    assert.match(await thumb.getAttribute('src'), /\/api\/v1\/webchat\/\d+\/files\/\d+\/thumbnail\?visitor=/);
    const whole = await mine.locator('a.file-image').getAttribute('href');
    assert.equal(await mine.locator('a.file-image').getAttribute('target'), '_blank');
    const own = await fetchIn(customer, whole);
    assert.equal(own.status, 200);
    assert.equal(own.type, 'image/png');
    // Shown once, though it came back over both the upload and the WebSocket.
    await customer.waitForTimeout(500);
    assert.equal(await customer.locator('#messages .file-image').count(), 1, 'the image is shown once');
    await screenshot(customer, 'files-chat-image');

    // The agent finds it in the console.
    const agent = await (await browser.newContext({ locale: 'ko-KR', viewport: { width: 1360, height: 900 } })).newPage();
    agent.on('pageerror', (e) => errors.push(e));
    await logIn(agent, s);
    await until(async () => (await agent.locator('#conn').textContent()) === '실시간 연결됨', 'the live connection');
    const item = agent.locator('#items').getByRole('button', { name: /김파일/ });
    await item.waitFor({ timeout: 15_000 });
    await item.click();
    const seen = agent.locator('#messages .msg.customer .file-image img');
    await until(async () => (await seen.count()) === 1 && loaded(seen), 'the thumbnail in the console');
    assert.equal(await seen.getAttribute('alt'), '캡처.png');
    assert.ok(await seen.evaluate((el) => el.naturalWidth <= 320 && el.naturalHeight <= 320), 'a thumbnail, not the whole');
    const link = agent.locator('#messages .msg.customer a.file-image');
    const href = await link.getAttribute('href');
    assert.match(href, /^\/api\/v1\/files\/\d+$/);
    assert.equal(await link.getAttribute('target'), '_blank');
    const full = await fetchIn(agent, href);
    assert.equal(full.status, 200);
    assert.equal(full.type, 'image/png');
    assert.deepEqual(full.head, PNG_SIGNATURE, 'the link returns the PNG itself');

    // The agent takes it and sends a document with the paperclip.
    await agent.getByRole('button', { name: '가져오기' }).click();
    await until(async () => /진행 중/.test(await agent.locator('#room-state').textContent()), 'the consultation taken');
    const attach = agent.getByRole('button', { name: '파일 첨부' });
    await until(() => attach.isEnabled(), 'the paperclip to be usable');
    const text = '견적 금액: 120,000원\n납기: 3일\n';
    await agent.locator('#attach-input').setInputFiles({ name: '견적서.txt', mimeType: 'text/plain', buffer: Buffer.from(text) });
    const sent = agent.locator('#messages .msg.agent a.file-card');
    await until(async () => (await sent.count()) === 1, 'the document in the console');
    assert.match(await sent.textContent(), /^견적서\.txt · \d+ B$/);
    await agent.waitForTimeout(500);
    assert.equal(await agent.locator('#messages .msg.agent .file-card').count(), 1, 'the document is shown once');
    assert.equal(await agent.locator('#room-error').textContent(), '');

    // The customer gets it as a download link with its name and size.
    const doc = customer.locator('#messages .msg-agent a.file-card');
    await until(async () => (await doc.count()) === 1, 'the document in the chat window');
    const size = Buffer.byteLength(text);
    assert.equal(await doc.textContent(), `견적서.txt · ${size} B`);
    assert.equal(await doc.getAttribute('download'), '견적서.txt');
    const docHref = await doc.getAttribute('href');
    assert.match(docHref, /\/api\/v1\/webchat\/\d+\/files\/\d+\?visitor=/);
    const got = await fetchIn(customer, docHref);
    assert.equal(got.status, 200);
    assert.match(got.disposition, /^attachment/);
    assert.equal(got.text, text);
    await screenshot(customer, 'files-chat');
    await screenshot(agent, 'files-console');

    // A file dropped on the window is sent too.
    await customer.locator('#messages').evaluate((list) => {
      const data = new DataTransfer();
      data.items.add(new File(['주문번호: 2026-1201\n'], '주문.txt', { type: 'text/plain' }));
      list.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true, cancelable: true }));
      list.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    const dropped = customer.locator('#messages .msg-customer a.file-card');
    await until(async () => (await dropped.count()) === 1, 'the dropped file sent');
    assert.match(await dropped.textContent(), /^주문\.txt · \d+ B$/);
    assert.ok(await customer.locator('#chat-drop').isHidden(), 'the drop hint is gone after the drop');
    await until(async () => (await agent.locator('#messages .msg.customer a.file-card').count()) === 1,
      'the dropped file in the console');

    // Refused: an empty file in the chat window, a page in the console; each says why.
    await customer.locator('#file-input').setInputFiles({ name: '빈파일.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) });
    const failed = customer.locator('#messages .msg.failed');
    await until(async () => (await failed.count()) === 1, 'the refused file marked');
    assert.equal(await failed.locator('.state').textContent(), '보내지 못했습니다: 빈 파일은 보낼 수 없습니다.');
    assert.equal(await failed.locator('.retry').count(), 0, 'a refused file is not offered again');

    await agent.locator('#attach-input').setInputFiles({
      name: 'page.html', mimeType: 'text/html', buffer: Buffer.from('<!doctype html><script>alert(1)</script>'),
    });
    await until(async () => (await agent.locator('#room-error').textContent()).includes('page.html'), 'the refusal in the console');
    assert.equal(await agent.locator('#room-error').textContent(), 'page.html 파일을 보내지 못했습니다: 보낼 수 없는 형식의 파일입니다.');

    const { json } = await s.api(`/api/v1/rooms/${(await s.api('/api/v1/consultations?state=in_progress')).json.consultations[0].room_id}/messages`);
    assert.deepEqual(json.messages.filter((m) => m.file).map((m) => [m.sender, m.body, m.file.kind]),
      [['customer', '캡처.png', 'image'], ['agent', '견적서.txt', 'text'], ['customer', '주문.txt', 'text']],
      'each file stored once');
    assert.deepEqual(errors, [], 'the pages threw no script errors');
  } finally {
    await browser.close();
    await s.stop();
  }
});
