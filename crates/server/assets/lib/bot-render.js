// Draws a chatbot answer — a Kakao i Open Builder skill template `{outputs, quickReplies}` — the
// way the chat window shows it. The chat window and the chatbot's admin preview share this
// module, so an admin sees what a customer will see.
//
// Framework-free and safe with any template: every text goes in as text (never parsed as
// markup), links are followed only when they are http(s) or a telephone number, and unknown
// parts are skipped. Images load only from Sangdam itself by default (the pages' policy refuses
// other hosts); elsewhere a placeholder names the image.
//
// renderTemplate(template, { onTap, imageSrc }) returns a `.bot-rich` element:
//   onTap(tap)     called when a button, clickable list item or quick reply that is no link
//                  is pressed: `tap` is the template's own object (`{label, action, messageText,
//                  blockId, …}`) plus `kind` ('button', 'listItem', 'quickReply').
//   imageSrc(url)  the address to load for an image URL, or null to draw its placeholder.

/** `url` as an absolute http(s) address, or null. */
export function httpUrl(url) {
  if (typeof url !== 'string' || !url.trim()) return null;
  try {
    const u = new URL(url.trim(), window.location.href);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** A `tel:` address for a phone number (digits, `+`, `-`, `*`, `#` and spaces), or null. */
export function telUrl(number) {
  if (typeof number !== 'string') return null;
  const n = number.trim();
  if (!/^[+\d][\d\s\-*#().]*$/.test(n) || !/\d/.test(n)) return null;
  return `tel:${n.replace(/[\s().]/g, '')}`;
}

/** Loads images of this origin only; other images are drawn as their placeholder. */
function sameOrigin(url) {
  const href = httpUrl(url);
  return href && new URL(href).origin === window.location.origin ? href : null;
}

const str = (v) => (typeof v === 'string' ? v : '');
const list = (v) => (Array.isArray(v) ? v : []);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null && text !== '') node.textContent = String(text);
  return node;
}

class Renderer {
  constructor({ onTap, imageSrc } = {}) {
    this.onTap = typeof onTap === 'function' ? onTap : null;
    this.imageSrc = typeof imageSrc === 'function' ? imageSrc : sameOrigin;
  }

  image(url, alt, className = 'bot-card-img') {
    const src = this.imageSrc(str(url));
    if (src) {
      const img = el('img', className);
      img.src = src;
      img.alt = str(alt);
      img.loading = 'lazy';
      img.decoding = 'async';
      return img;
    }
    let where = '';
    const href = httpUrl(str(url));
    if (href) where = new URL(href).host;
    const box = el('div', `${className} bot-img-placeholder`, str(alt) || where || '—');
    box.setAttribute('role', 'img');
    box.setAttribute('aria-label', str(alt) || where || '');
    return box;
  }

  tap(node, item, kind) {
    node.addEventListener('click', (ev) => {
      ev.preventDefault();
      if (this.onTap) this.onTap({ ...item, kind });
    });
  }

  button(b) {
    const label = str(b?.label);
    const action = str(b?.action);
    let node = null;
    if (action === 'webLink') {
      const href = httpUrl(b.webLinkUrl);
      if (href) {
        node = el('a', 'bot-button', label);
        node.href = href;
        node.target = '_blank';
        node.rel = 'noopener noreferrer';
      }
    } else if (action === 'phone') {
      const href = telUrl(b.phoneNumber);
      if (href) {
        node = el('a', 'bot-button', label);
        node.href = href;
      }
    } else if (['message', 'block', 'operator'].includes(action)) {
      node = el('button', 'bot-button', label);
      node.type = 'button';
      this.tap(node, b, 'button');
    }
    if (!node) {
      // A link that may not be followed, a share button: shown, inert.
      node = el('button', 'bot-button', label);
      node.type = 'button';
      node.disabled = true;
    }
    node.dataset.action = action;
    return node;
  }

  buttons(items, layout) {
    const bs = list(items);
    if (!bs.length) return null;
    const row = el('div', 'bot-buttons');
    if (layout === 'horizontal') row.classList.add('bot-buttons-horizontal');
    for (const b of bs) row.append(this.button(b));
    return row;
  }

  card(kind, c) {
    const card = el('div', kind === 'listCard' ? 'bot-card bot-list' : `bot-card bot-${kind}`);
    card.dataset.type = kind;
    const parts = [];
    if (kind === 'basicCard' && c.thumbnail) parts.push(this.image(c.thumbnail.imageUrl, c.title));
    if (kind === 'commerceCard') {
      const thumb = list(c.thumbnails)[0];
      if (thumb) parts.push(this.image(thumb.imageUrl, c.title));
    }
    if (kind === 'itemCard') {
      if (c.thumbnail) parts.push(this.image(c.thumbnail.imageUrl, c.title));
      if (c.head?.title) parts.push(el('div', 'bot-card-head', c.head.title));
    }
    if (kind === 'listCard') {
      parts.push(el('div', 'bot-card-title bot-list-header', c.header?.title));
      const items = el('ul', 'bot-list-items');
      for (const it of list(c.items)) items.append(this.listItem(it));
      parts.push(items);
    } else {
      if (str(c.title)) parts.push(el('div', 'bot-card-title', c.title));
      if (str(c.description)) parts.push(el('div', 'bot-card-desc', c.description));
    }
    if (kind === 'commerceCard' && Number.isFinite(c.price)) {
      const price = el('div', 'bot-card-price');
      const shown = Number.isFinite(c.discountedPrice) ? c.discountedPrice : c.price;
      price.textContent = c.currency === 'won'
        ? new Intl.NumberFormat(document.documentElement.lang || 'ko', { style: 'currency', currency: 'KRW' }).format(shown)
        : shown.toLocaleString();
      parts.push(price);
    }
    if (kind === 'itemCard') {
      const dl = el('dl', 'bot-card-items');
      for (const row of [...list(c.itemList), ...(c.itemListSummary ? [c.itemListSummary] : [])]) {
        dl.append(el('dt', '', row?.title), el('dd', '', row?.description));
      }
      parts.push(dl);
    }
    const buttons = this.buttons(c.buttons, c.buttonLayout);
    if (buttons) parts.push(buttons);
    card.append(...parts.filter(Boolean));
    return card;
  }

  listItem(it) {
    const clickable = ['message', 'block'].includes(str(it?.action));
    const link = clickable ? null : httpUrl(it?.link?.web ?? it?.link?.mobile ?? it?.link?.pc);
    let node;
    if (clickable) {
      node = el('button', 'bot-list-item');
      node.type = 'button';
      this.tap(node, it, 'listItem');
    } else if (link) {
      node = el('a', 'bot-list-item');
      node.href = link;
      node.target = '_blank';
      node.rel = 'noopener noreferrer';
    } else {
      node = el('div', 'bot-list-item');
    }
    const text = el('span', 'bot-list-text');
    text.append(el('span', 'bot-card-title', it?.title));
    if (str(it?.description)) text.append(el('span', 'bot-card-desc', it.description));
    node.append(text);
    if (str(it?.imageUrl)) node.append(this.image(it.imageUrl, it.title, 'bot-card-img bot-list-img'));
    const li = el('li', '');
    li.append(node);
    return li;
  }

  output(o) {
    if (!o || typeof o !== 'object') return null;
    if (o.simpleText) {
      const text = el('div', 'bot-text', str(o.simpleText.text));
      text.dataset.type = 'simpleText';
      return text;
    }
    if (o.simpleImage) {
      const box = el('div', 'bot-card bot-image');
      box.dataset.type = 'simpleImage';
      box.append(this.image(o.simpleImage.imageUrl, o.simpleImage.altText));
      return box;
    }
    for (const kind of ['basicCard', 'textCard', 'listCard', 'commerceCard', 'itemCard']) {
      if (o[kind] && typeof o[kind] === 'object') return this.card(kind, o[kind]);
    }
    if (o.carousel && typeof o.carousel === 'object') {
      const kind = str(o.carousel.type);
      const row = el('div', 'bot-carousel');
      row.dataset.type = 'carousel';
      row.tabIndex = 0;
      const head = o.carousel.header;
      if (head && typeof head === 'object') {
        row.append(this.card('basicCard', { title: head.title, description: head.description, thumbnail: head.thumbnail }));
      }
      if (['basicCard', 'textCard', 'listCard', 'commerceCard', 'itemCard'].includes(kind)) {
        for (const item of list(o.carousel.items)) {
          if (item && typeof item === 'object') row.append(this.card(kind, item));
        }
      }
      return row;
    }
    return null;
  }

  quickReplies(items) {
    const qs = list(items);
    if (!qs.length) return null;
    const row = el('div', 'bot-quick');
    for (const q of qs) {
      const b = el('button', 'bot-quick-reply', str(q?.label));
      b.type = 'button';
      b.dataset.action = str(q?.action);
      this.tap(b, q, 'quickReply');
      row.append(b);
    }
    return row;
  }
}

/** The answer `template` drawn as the chat window draws a bot's message. */
export function renderTemplate(template, options = {}) {
  const r = new Renderer(options);
  const root = el('div', 'bot-rich');
  const t = template && typeof template === 'object' ? template : {};
  for (const o of list(t.outputs)) {
    const node = r.output(o);
    if (node) root.append(node);
  }
  const quick = r.quickReplies(t.quickReplies);
  if (quick) root.append(quick);
  return root;
}
