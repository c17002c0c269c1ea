// Sangdam's web chat v2 button, for a site's own pages. The site pastes the snippet that the
// admin page (or `sangdam url snippet`) prints:
//
//   <script>
//     window.sangdamChat = { siteId: "12", partner_id: "cafe24", params: { site_uid: 'abc' } };
//   </script>
//   <script src="https://sangdam.example.com/assets/widget.js" async></script>
//
// and gets a floating "상담하기 / Chat" button that opens the chat window in a panel. The window's
// URL is the web chat v2 chat URL, built the way Sangdam's Rust builder builds it:
// `<origin>/chat/<siteId>?params=name=('<value>'),…&partner_id=…`, every value
// percent-encoded with only `A–Z a–z 0–9 - . _ ~` left as they are. Empty values are skipped.
(function () {
  'use strict';
  if (window.__sangdamChatWidget) return;
  var cfg = window.sangdamChat;
  if (!cfg || cfg.siteId === undefined || cfg.siteId === null || String(cfg.siteId).trim() === '') {
    if (window.console) console.warn('Sangdam: window.sangdamChat.siteId is not set; no chat button.');
    return;
  }
  window.__sangdamChatWidget = true;

  // Where this script was loaded from is where Sangdam runs.
  var script = document.currentScript;
  if (!script) {
    var all = document.getElementsByTagName('script');
    for (var i = all.length - 1; i >= 0; i--) {
      if (/\/assets\/widget\.js(\?|#|$)/.test(all[i].src)) { script = all[i]; break; }
    }
  }
  var origin = new URL(script && script.src ? script.src : location.href).origin;

  /** encodeURIComponent leaves !'()* as they are; the builder encodes them too. */
  function enc(value) {
    return encodeURIComponent(String(value)).replace(/[!'()*]/g, function (c) {
      return '%' + c.charCodeAt(0).toString(16).toUpperCase();
    });
  }
  function present(v) {
    return v !== undefined && v !== null && typeof v !== 'object' && typeof v !== 'function'
      && String(v).trim() !== '';
  }

  /** The chat URL of web chat v2 for this configuration. */
  function chatUrl(c) {
    var items = [];
    var params = c.params && typeof c.params === 'object' ? c.params : {};
    Object.keys(params).forEach(function (name) {
      if (present(params[name])) items.push(enc(name) + "=('" + enc(params[name]) + "')");
    });
    var query = [];
    if (items.length) query.push('params=' + items.join(','));
    // Fixed integration fields (partner_id, shop_id, …) are query parameters of their own.
    Object.keys(c).forEach(function (name) {
      if (name === 'siteId' || name === 'params') return;
      if (present(c[name])) query.push(enc(name) + '=' + enc(c[name]));
    });
    return origin + '/chat/' + enc(String(c.siteId).trim()) + (query.length ? '?' + query.join('&') : '');
  }

  // The button's words in every language of Sangdam's catalogue (locales/*/widget.ftl), put
  // here by the server when it serves this file; the host page's language picks, else Korean.
  var TEXTS = /* texts */ {};
  var docLang = (document.documentElement.lang || navigator.language || 'ko').toLowerCase();
  var W = TEXTS[docLang.split(/[-_]/)[0]] || TEXTS.ko || {};
  function text(key) { return W['widget-' + key] || key; }
  var L = { open: text('open'), openLabel: text('open-label'), close: text('close'), title: text('title') };

  var css = [
    ':host { all: initial; }',
    '.button { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; display: inline-flex;',
    '  align-items: center; gap: 8px; padding: 12px 18px; border: 0; border-radius: 999px;',
    '  background: #2457d6; color: #fff; font: 600 15px/1.2 system-ui, -apple-system, "Apple SD Gothic Neo",',
    '  "Noto Sans KR", "Malgun Gothic", sans-serif; box-shadow: 0 4px 14px rgba(0,0,0,.25); cursor: pointer; }',
    '.button:hover { background: #1b46b3; }',
    '.button:focus-visible, .close:focus-visible { outline: 3px solid #8fb0ff; outline-offset: 2px; }',
    '.button svg { width: 20px; height: 20px; fill: currentColor; }',
    '.panel { position: fixed; right: 20px; bottom: 84px; z-index: 2147483001; width: 380px;',
    '  height: min(640px, calc(100vh - 110px)); display: flex; flex-direction: column; background: #fff;',
    '  border-radius: 12px; overflow: hidden; box-shadow: 0 8px 32px rgba(0,0,0,.3); }',
    '.panel[hidden] { display: none; }',
    '.bar { display: flex; justify-content: flex-end; background: #2457d6; padding: 4px; }',
    '.close { border: 0; background: transparent; color: #fff; font: 600 14px/1 system-ui, sans-serif;',
    '  padding: 8px 12px; border-radius: 6px; cursor: pointer; }',
    '.close:hover { background: rgba(255,255,255,.15); }',
    'iframe { flex: 1; width: 100%; border: 0; }',
    '@media (max-width: 480px) { .panel { inset: 0; width: auto; height: auto; border-radius: 0; }',
    '  .open .button { display: none; } }'
  ].join('\n');

  var host = document.createElement('div');
  host.setAttribute('data-sangdam-chat', '');
  var shadow = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
  var style = document.createElement('style');
  style.textContent = css;
  var wrap = document.createElement('div');

  var button = document.createElement('button');
  button.type = 'button';
  button.className = 'button';
  button.setAttribute('aria-label', L.openLabel);
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', 'sangdam-chat-panel');
  button.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>';
  button.appendChild(document.createTextNode(L.open));

  var panel = document.createElement('div');
  panel.className = 'panel';
  panel.id = 'sangdam-chat-panel';
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', L.title);
  panel.hidden = true;
  var bar = document.createElement('div');
  bar.className = 'bar';
  var close = document.createElement('button');
  close.type = 'button';
  close.className = 'close';
  close.textContent = L.close + ' ✕';
  bar.appendChild(close);
  panel.appendChild(bar);

  var frame = null;
  function open() {
    if (!frame) {
      // Created on the first click only: opening the chat is what starts a consultation.
      frame = document.createElement('iframe');
      frame.title = L.title;
      frame.src = chatUrl(cfg);
      frame.setAttribute('allow', 'clipboard-write');
      panel.appendChild(frame);
    }
    panel.hidden = false;
    wrap.classList.add('open');
    button.setAttribute('aria-expanded', 'true');
    frame.focus();
  }
  function hide() {
    panel.hidden = true;
    wrap.classList.remove('open');
    button.setAttribute('aria-expanded', 'false');
    button.focus();
  }
  button.addEventListener('click', function () {
    if (panel.hidden) open(); else hide();
  });
  close.addEventListener('click', hide);
  panel.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') hide();
  });

  wrap.appendChild(button);
  wrap.appendChild(panel);
  shadow.appendChild(style);
  shadow.appendChild(wrap);

  function mount() { document.body.appendChild(host); }
  if (document.body) mount(); else document.addEventListener('DOMContentLoaded', mount);

  // For pages that build their own button: window.sangdamChatOpen() and the URL it opens.
  window.sangdamChatOpen = open;
  window.sangdamChatUrl = function () { return chatUrl(cfg); };
})();
