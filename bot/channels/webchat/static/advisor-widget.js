/*
 * advisor-widget.js: the going-global advisor's chat widget, for agencies' own websites.
 *
 * One tag adds a chat launcher to any page (no build step, no dependencies, no CDN):
 *   <script src="https://advisor.example/advisor-widget.js" defer
 *           data-server="https://advisor.example"  Rasa server with the `webchat` channel
 *           data-lang="en"            first language (else the page's lang, the browser's)
 *           data-title="…"            header title (default: the localized one)
 *           data-color="#12334a"      main colour; data-text-color: text on it
 *           data-position="right"></script>   or "left"
 * Or place <advisor-chat server="…" lang="…" chat-title="…" color="…" text-color="…"
 * position="…"> yourself and add data-manual to the script tag.
 *
 * A custom element with a Shadow DOM: the page's CSS does not reach in, ours does not leak.
 * It talks to bot/channels/webchat/channel.py: a signed session token (localStorage, so a
 * reload continues the conversation), messages, the history, and its UI strings in six
 * languages; it holds no texts of its own. Bot and user text is never parsed as HTML: it
 * becomes text nodes, or a tiny markdown built element by element (bold, italics,
 * http(s) links, line breaks, "• " lists).
 */
(() => {
  'use strict';
  const TAG = 'advisor-chat';
  if (!window.customElements || customElements.get(TAG)) return;
  const SCRIPT = document.currentScript;
  const LANGS = ['en', 'zh', 'ru', 'ar', 'es', 'fr'];
  const MAX_CHARS = 8192; // the server reads 4,096 characters and says so when it cuts
  const RETRY_MS = [1000, 2000, 4000, 8000, 15000];
  const NS = 'http://www.w3.org/2000/svg';
  const ICONS = {
    chat: 'M4 5h16v11H9l-5 4z',
    close: 'M6 6l12 12M18 6L6 18',
    plus: 'M12 5v14M5 12h14',
    globe: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18M3 12h18M12 3c3.5 3 3.5 15 0 18M12 3c-3.5 3-3.5 15 0 18',
    send: 'M4 12l16-8-6 16-2.5-6.5z',
  };

  const STYLE = `
:host{all:initial}
*{box-sizing:border-box}
[hidden]{display:none!important}
.root{--ac:#0b5394;--on:#fff;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",
 "Noto Sans Arabic","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1c2430}
button,textarea{font:inherit;letter-spacing:normal}
svg{width:22px;height:22px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
:focus-visible{outline:3px solid #f9a825;outline-offset:2px}
.launch{position:fixed;bottom:20px;right:20px;width:60px;height:60px;border-radius:50%;border:0;
 background:var(--ac);color:var(--on);box-shadow:0 4px 14px #0004;cursor:pointer;display:grid;
 place-items:center;z-index:2147483000}
.launch svg{width:28px;height:28px}
.panel{position:fixed;bottom:92px;right:20px;width:min(390px,calc(100vw - 40px));
 height:min(620px,calc(100vh - 112px));display:flex;flex-direction:column;background:#fff;
 border-radius:14px;box-shadow:0 8px 30px #0005;overflow:hidden;z-index:2147483000}
[data-pos=left] .launch,[data-pos=left] .panel{right:auto;left:20px}
header{display:flex;align-items:center;gap:4px;padding:10px 8px;padding-inline-start:16px;
 background:var(--ac);color:var(--on);position:relative}
h2{flex:1;margin:0;font-size:16px;font-weight:600}
.hb{background:none;border:0;color:inherit;min-width:36px;height:36px;border-radius:8px;
 display:flex;align-items:center;justify-content:center;gap:3px;cursor:pointer;padding:0 6px}
.hb:hover{background:#fff3}
.code{font-size:12px;font-weight:600;text-transform:uppercase}
.menu{position:absolute;top:calc(100% - 4px);inset-inline-end:8px;margin:0;padding:4px;
 list-style:none;background:#fff;color:#1c2430;border-radius:8px;box-shadow:0 6px 20px #0004;
 min-width:170px;z-index:1}
.menu li{padding:7px 10px;border-radius:6px;cursor:pointer}
.menu li:hover,.menu li:focus{background:#e8eef5}
.menu li[aria-checked=true]{font-weight:700}
.menu li[aria-checked=true]::after{content:" ✓"}
.notice{padding:6px 14px;background:#fff4d6;color:#5c4400;font-size:13px}
.notice:empty,.typing:empty{display:none}
.log{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:8px;
 overscroll-behavior:contain}
.msg{max-width:85%;padding:8px 12px;border-radius:14px;overflow-wrap:anywhere}
.msg p{margin:0}.msg p+p,.msg p+ul,.msg ul+p{margin-top:6px}
.msg ul{margin:4px 0;padding-inline-start:18px}
.bot{align-self:flex-start;background:#eef1f5;border-start-start-radius:4px}
.bot a{color:#0b4f8a}
.user{align-self:flex-end;background:var(--ac);color:var(--on);border-start-end-radius:4px;white-space:pre-wrap}
.pending{opacity:.6}.failed{outline:2px solid #b00020}
.sys{align-self:center;font-size:13px;color:#555;text-align:center}
.quick{display:flex;flex-wrap:wrap;gap:6px;align-self:flex-start}
.qr{border:1px solid var(--ac);color:var(--ac);background:#fff;border-radius:999px;padding:5px 12px;
 cursor:pointer;text-decoration:none;font-size:14px}
.qr:hover{background:var(--ac);color:var(--on)}
.typing{padding:0 14px 8px;display:flex}
.dots{display:inline-flex;gap:4px;padding:10px 12px;background:#eef1f5;border-radius:14px}
.dots i{width:7px;height:7px;border-radius:50%;background:#7a8593;animation:b 1s infinite}
.dots i:nth-child(2){animation-delay:.15s}.dots i:nth-child(3){animation-delay:.3s}
@keyframes b{50%{transform:translateY(-4px);opacity:.5}}
@media (prefers-reduced-motion:reduce){.dots i{animation:none}}
form{display:flex;align-items:flex-end;gap:6px;padding:10px;border-top:1px solid #dde2e8}
textarea{flex:1;resize:none;border:1px solid #c4ccd6;border-radius:10px;padding:8px 10px;
 max-height:120px;color:inherit;background:#fff}
.send{width:42px;height:40px;border:0;border-radius:10px;background:var(--ac);color:var(--on);
 cursor:pointer;display:grid;place-items:center}
[dir=rtl] .send svg{transform:scaleX(-1)}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:520px){.panel{inset:0;width:auto;height:auto;border-radius:0}
 .open .launch{display:none}textarea{font-size:16px}}
`;

  /* -- small helpers ----------------------------------------------------------------- */

  const lang2 = (v) => {
    const base = String(v || '').toLowerCase().split(/[-_]/)[0];
    return LANGS.includes(base) ? base : null;
  };
  const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

  /** An element with attributes (null/false skipped) and children (strings become text). */
  function h(tag, attrs = {}, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value !== null && value !== undefined && value !== false) {
        el.setAttribute(name, value === true ? '' : value);
      }
    }
    for (const child of children) if (child !== null && child !== undefined) el.append(child);
    return el;
  }

  function icon(name) {
    const svg = document.createElementNS(NS, 'svg');
    const path = document.createElementNS(NS, 'path');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    path.setAttribute('d', ICONS[name]);
    svg.append(path);
    return svg;
  }

  /** The URL if it is an absolute http(s) one, else null (no javascript:, data:...). */
  function safeUrl(url) {
    try {
      const parsed = new URL(url);
      return /^https?:$/.test(parsed.protocol) ? parsed.href : null;
    } catch (error) { return null; }
  }

  /* -- sanitized minimal markdown: DOM nodes only, never HTML --------------------------- */

  // **bold** | *italics* | [title](url) | a bare http(s) URL (without trailing punctuation)
  const INLINE = /\*\*([^*\n]+)\*\*|\*([^*\s][^*\n]*)\*|\[([^\]\n]+)\]\(([^)\s]+)\)|(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]'’»」。，])/g;

  function link(href, title, newWindowText, className) {
    return h('a', { href, target: '_blank', rel: 'noopener noreferrer nofollow', class: className },
      title, newWindowText ? h('span', { class: 'sr' }, ` ${newWindowText}`) : null);
  }

  function inline(parent, text, newWindowText) {
    let last = 0;
    for (const m of text.matchAll(INLINE)) {
      parent.append(text.slice(last, m.index));
      last = m.index + m[0].length;
      if (m[1]) parent.append(h('strong', {}, m[1]));
      else if (m[2]) parent.append(h('em', {}, m[2]));
      else {
        const href = safeUrl(m[4] || m[5]);
        parent.append(href ? link(href, m[3] || m[5], newWindowText) : m[0]);
      }
    }
    parent.append(text.slice(last));
  }

  /** Bot text into `parent`: paragraphs, line breaks, and lists of "• ", "- ", "* " lines. */
  function renderText(parent, text, newWindowText = '') {
    let list = null;
    let para = null;
    for (const line of String(text || '').split('\n')) {
      const item = /^\s*[•*-]\s+(.*)$/.exec(line);
      if (item) {
        para = null;
        list = list || parent.appendChild(h('ul'));
        inline(list.appendChild(h('li')), item[1], newWindowText);
      } else if (!line.trim()) {
        para = null; // a blank line ends a paragraph; a list goes on past it
      } else {
        list = null;
        if (para) para.append(h('br'));
        else para = parent.appendChild(h('p'));
        inline(para, line, newWindowText);
      }
    }
    return parent;
  }

  /* -- storage, which may be blocked (private modes, sandboxed frames): then a session
   * lasts as long as the page ---------------------------------------------------------- */

  function read(store, key) {
    try { return JSON.parse(store.getItem(key)); } catch (error) { return null; }
  }
  function write(store, key, value) {
    try { store.setItem(key, JSON.stringify(value)); } catch (error) { /* blocked */ }
  }

  /* -- the element ------------------------------------------------------------------- */

  class AdvisorChat extends HTMLElement {
    connectedCallback() {
      if (this.shadowRoot) return;
      const server = (this.getAttribute('server') || (SCRIPT && new URL(SCRIPT.src, location.href).origin)
        || location.origin).replace(/\/+$/, '');
      this.base = `${server}/webhooks/webchat`;
      this.key = `advisor-chat:${server}`;
      this.state = read(localStorage, this.key) || {}; // {token, lang (chosen in the menu)}
      this.lang = lang2(this.state.lang) || lang2(this.getAttribute('lang'))
        || lang2(document.documentElement.lang) || lang2(navigator.language) || 'en';
      this.S = {};
      this.languages = [];
      this.queue = [];
      this.build();
      addEventListener('offline', () => this.notice('offline'));
      addEventListener('online', () => this.notice(null));
      this.start();
    }

    /** Builds the launcher and the dialog (labels come with the strings, see applyStrings). */
    build() {
      const root = this.attachShadow({ mode: 'open' });
      const u = (this.ui = {});
      u.root = h('div', { class: 'root', 'data-pos': this.getAttribute('position') === 'left' ? 'left' : 'right' });
      for (const [attr, prop] of [['color', '--ac'], ['text-color', '--on']]) {
        const value = this.getAttribute(attr);
        if (value && CSS.supports('color', value)) u.root.style.setProperty(prop, value);
      }
      u.launch = h('button', { class: 'launch', type: 'button', 'aria-haspopup': 'dialog', 'aria-expanded': 'false',
        'aria-label': this.getAttribute('chat-title') }, icon('chat')); // relabelled by applyStrings
      u.title = h('h2', { id: 'title' });
      u.code = h('span', { class: 'code', 'aria-hidden': 'true' });
      u.langBtn = h('button', { class: 'hb', type: 'button', 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': 'menu' }, icon('globe'), u.code);
      u.menu = h('ul', { class: 'menu', id: 'menu', role: 'menu', hidden: true });
      u.newBtn = h('button', { class: 'hb', type: 'button' }, icon('plus'));
      u.closeBtn = h('button', { class: 'hb', type: 'button' }, icon('close'));
      u.notice = h('div', { class: 'notice', role: 'status' });
      u.log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-labelledby': 'title', tabindex: '0' });
      u.intro = h('div', { class: 'msg bot intro' });
      u.typing = h('div', { class: 'typing', role: 'status' });
      u.label = h('label', { for: 'input', class: 'sr' });
      u.input = h('textarea', { id: 'input', rows: '1', autocomplete: 'off' });
      u.send = h('button', { class: 'send', type: 'submit' }, icon('send'));
      u.form = h('form', {}, u.label, u.input, u.send);
      u.panel = h('div', { class: 'panel', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'title', hidden: true },
        h('header', {}, u.title, u.langBtn, u.newBtn, u.closeBtn, u.menu), u.notice, u.log, u.typing, u.form);
      u.log.append(u.intro);
      u.root.append(u.launch, u.panel);
      root.append(h('style', {}, STYLE), u.root);

      u.launch.addEventListener('click', () => (u.panel.hidden ? this.open() : this.close()));
      u.closeBtn.addEventListener('click', () => this.close());
      u.newBtn.addEventListener('click', () => this.newConversation());
      u.langBtn.addEventListener('click', () => (u.menu.hidden ? this.openMenu() : this.closeMenu(true)));
      u.langBtn.addEventListener('keydown', (e) => {
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          e.preventDefault();
          this.openMenu(e.key === 'ArrowUp');
        }
      });
      u.menu.addEventListener('keydown', (e) => this.menuKey(e));
      u.menu.addEventListener('click', (e) => {
        const item = e.target.closest('li');
        if (item) this.chooseLanguage(item.dataset.code);
      });
      u.panel.addEventListener('keydown', (e) => this.panelKey(e));
      u.panel.addEventListener('click', (e) => {
        if (!u.menu.hidden && !u.menu.contains(e.target) && !u.langBtn.contains(e.target)) this.closeMenu(false);
      });
      u.form.addEventListener('submit', (e) => {
        e.preventDefault();
        const text = u.input.value;
        u.input.value = '';
        this.autosize();
        this.send(text);
      });
      u.input.addEventListener('keydown', (e) => {
        // Enter sends, Shift+Enter is a new line; not while an IME is composing (zh, ...).
        if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
          e.preventDefault();
          u.form.requestSubmit();
        }
      });
      u.input.addEventListener('input', () => this.autosize());
    }

    /** UI strings, then the stored conversation (a reload continues it). */
    async start() {
      if (!navigator.onLine) this.notice('offline');
      try {
        this.applyStrings(await this.retry(() => this.strings(this.lang)));
      } catch (error) {
        this.notice('unavailable');
      }
      if (read(sessionStorage, `${this.key}:open`)) this.open(); // it was open before the reload
      if (this.state.token) await this.restore().catch(() => this.notice('unavailable'));
    }

    /* -- server calls ---------------------------------------------------------------- */

    /** One JSON call; errors carry .net (retry later), .auth (401/403) and .reason. */
    async api(path, { method = 'GET', body, auth = true } = {}) {
      const headers = {};
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      if (auth && this.state.token) headers.Authorization = `Bearer ${this.state.token}`;
      let reply;
      try {
        reply = await fetch(this.base + path, {
          method, headers, body: body === undefined ? undefined : JSON.stringify(body),
          mode: 'cors', credentials: 'omit', cache: 'no-store',
        });
      } catch (error) {
        throw Object.assign(new Error('network'), { net: true });
      }
      const data = await reply.json().catch(() => ({}));
      if (reply.ok) return data;
      const status = reply.status;
      throw Object.assign(new Error(data.reason || `HTTP ${status}`),
        { status, reason: data.error, auth: status === 401 || status === 403, net: status >= 500 });
    }

    /** Calls fn until it succeeds or fails for a reason other than the connection, showing
     * the offline / reconnecting / unavailable notice meanwhile. */
    async retry(fn) {
      for (let attempt = 0; ; attempt += 1) {
        try {
          const result = await fn();
          if (attempt) this.notice(null);
          return result;
        } catch (error) {
          if (!error.net) throw error;
          this.notice(!navigator.onLine ? 'offline' : attempt < 3 ? 'reconnecting' : 'unavailable');
          await sleep(RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]);
          if (!navigator.onLine) await new Promise((done) => addEventListener('online', done, { once: true }));
        }
      }
    }

    async strings(lang) {
      const key = `advisor-chat-strings:${lang}`;
      try {
        const data = await this.api(`/strings?lang=${lang}`, { auth: false });
        write(localStorage, key, data);
        return data;
      } catch (error) {
        const cached = read(localStorage, key); // offline reloads keep their labels
        if (cached) return cached;
        throw error;
      }
    }

    saveState() {
      write(localStorage, this.key, this.state);
    }

    /** A session token, created on first use (once, even if asked for twice at a time). */
    ensureSession() {
      if (this.state.token) return Promise.resolve();
      this.pending = this.pending || this.retry(() => this.api('/session', { method: 'POST', body: {}, auth: false }))
        .then((data) => {
          this.state.token = data.token;
          this.saveState();
        })
        .finally(() => {
          this.pending = null;
        });
      return this.pending;
    }

    /** The session was refused (expired, altered): forget it and say so. */
    lost(error) {
      this.state.token = null;
      this.saveState();
      this.system(this.S[error.reason === 'token_expired' ? 'session_expired' : 'session_refused']);
    }

    /** After a reload: renew the token (same session, new expiry) and show the history. */
    async restore() {
      try {
        const renewed = await this.retry(() => this.api('/session', { method: 'POST', body: {} }));
        this.state.token = renewed.token;
        this.saveState();
        const history = await this.retry(() => this.api('/history'));
        this.showHistory(history.messages || []);
        if (lang2(history.language) && history.language !== this.lang) await this.setLanguage(history.language);
      } catch (error) {
        if (!error.auth) throw error;
        this.lost(error);
      }
    }

    /* -- conversation ---------------------------------------------------------------- */

    send(text, label) {
      text = String(text || '').slice(0, MAX_CHARS);
      if (!text.trim()) return;
      const bubble = this.bubble('user', label || text);
      bubble.classList.add('pending');
      this.queue.push({ text, label, bubble });
      this.clearQuickReplies();
      this.flush();
    }

    /** Sends queued messages in order; waits out lost connections; renews lost sessions. */
    async flush() {
      if (this.busy) return;
      this.busy = true;
      try {
        while (this.queue.length) {
          const item = this.queue[0];
          const metadata = { language: this.lang };
          if (item.label) metadata.label = item.label;
          try {
            const reply = await this.retry(async () => {
              await this.ensureSession();
              this.typing(true);
              try {
                return await this.api('/message', { method: 'POST', body: { message: item.text, metadata } });
              } finally {
                this.typing(false);
              }
            });
            if (this.queue[0] !== item) continue; // a new conversation began meanwhile
            this.queue.shift();
            item.bubble.classList.remove('pending');
            this.showBot(reply.messages || [], true);
            if (lang2(reply.language) && reply.language !== this.lang) await this.setLanguage(reply.language);
          } catch (error) {
            if (this.queue[0] !== item) continue;
            if (error.auth && !item.renewed) {
              item.renewed = true; // a new session, and this message once more
              this.lost(error);
              continue;
            }
            this.queue.shift();
            item.bubble.classList.replace('pending', 'failed');
            this.system(this.S.send_failed);
          }
        }
      } finally {
        this.busy = false;
      }
    }

    async newConversation() {
      this.queue.length = 0;
      this.state.token = null;
      this.saveState();
      this.ui.log.replaceChildren(this.ui.intro);
      this.system(this.S.new_conversation_started);
      this.ui.input.focus();
      await this.ensureSession().catch(() => {});
    }

    /* -- rendering --------------------------------------------------------------------- */

    bubble(kind, text) {
      const el = h('div', { class: `msg ${kind}` },
        h('span', { class: 'sr' }, `${kind === 'user' ? this.S.you : this.S.advisor} `));
      const body = h('div', { dir: 'auto' }); // mixed-language text finds its own direction
      if (kind === 'user') body.append(text); // the user's text: a text node, nothing else
      else renderText(body, text, this.S.opens_new_window);
      el.append(body);
      this.append(el);
      return el;
    }

    system(text) {
      if (text) this.append(h('div', { class: 'sys' }, text));
    }

    append(el) {
      this.ui.log.append(el);
      this.ui.log.scrollTop = this.ui.log.scrollHeight;
    }

    showBot(messages, withButtons) {
      let buttons = [];
      for (const message of messages) {
        if (message.text) this.bubble('bot', message.text);
        if (message.buttons && message.buttons.length) buttons = message.buttons;
      }
      if (withButtons && buttons.length) this.quickReplies(buttons);
    }

    showHistory(messages) {
      const log = this.ui.log;
      log.setAttribute('aria-busy', 'true');
      log.replaceChildren(this.ui.intro);
      // Quick replies are offered only for the bot's messages after the user's last one.
      const lastUser = messages.map((m) => m.from).lastIndexOf('user');
      messages.forEach((m, i) => (m.from === 'user' ? this.bubble('user', m.text) : this.showBot([m], i > lastUser)));
      log.removeAttribute('aria-busy');
    }

    quickReplies(buttons) {
      const group = h('div', { class: 'quick', role: 'group', 'aria-label': this.S.quick_replies });
      for (const button of buttons) {
        if (button.url) {
          const href = safeUrl(button.url);
          if (href) group.append(link(href, button.title, this.S.opens_new_window, 'qr'));
        } else if (typeof button.payload === 'string') {
          const el = h('button', { type: 'button', class: 'qr' }, button.title);
          el.addEventListener('click', () => {
            this.send(button.payload, button.title);
            this.ui.input.focus(); // the buttons are gone: keep the focus in the dialog
          });
          group.append(el);
        }
      }
      this.append(group);
    }

    clearQuickReplies() {
      for (const group of this.ui.log.querySelectorAll('.quick')) group.remove();
    }

    typing(on) {
      const t = this.ui.typing;
      if (!on) t.replaceChildren();
      else if (!t.firstChild) {
        t.append(h('span', { class: 'dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')),
          h('span', { class: 'sr' }, this.S.typing));
      }
    }

    notice(key) {
      this.ui.notice.textContent = key ? this.S[key] || '' : '';
    }

    autosize() {
      const input = this.ui.input;
      input.style.height = 'auto';
      input.style.height = `${Math.min(input.scrollHeight + 2, 120)}px`;
    }

    /* -- languages -------------------------------------------------------------------- */

    /** Labels, direction (Arabic: the whole widget right to left) and the language menu. */
    applyStrings(data) {
      const S = (this.S = data.strings || {});
      const u = this.ui;
      this.lang = data.language;
      this.languages = data.languages || [];
      u.root.setAttribute('dir', data.dir === 'rtl' ? 'rtl' : 'ltr');
      u.root.setAttribute('lang', data.language);
      u.title.textContent = this.getAttribute('chat-title') || S.title;
      const name = (this.languages.find((l) => l.code === this.lang) || {}).name || this.lang;
      const labels = [[u.launch, S.open], [u.closeBtn, S.close], [u.newBtn, S.new_conversation],
        [u.langBtn, `${S.language_menu}: ${name}`], [u.send, S.send]];
      for (const [el, text] of labels) {
        el.setAttribute('aria-label', text);
        el.title = text;
      }
      u.code.textContent = this.lang;
      u.label.textContent = S.input_label;
      u.input.placeholder = S.placeholder;
      u.intro.replaceChildren(renderText(h('div', { dir: 'auto' }), S.intro));
      u.menu.replaceChildren(...this.languages.map((l) => h('li', {
        role: 'menuitemradio', tabindex: '-1', lang: l.code, 'data-code': l.code,
        'aria-checked': String(l.code === this.lang),
      }, l.name)));
    }

    async setLanguage(code) {
      try { this.applyStrings(await this.strings(code)); } catch (error) { /* keep the labels */ }
    }

    /** The menu's choice: relabel the widget, and tell the assistant (which pins it). */
    async chooseLanguage(code) {
      code = lang2(code);
      this.closeMenu(true);
      if (!code) return;
      this.state.lang = code;
      this.saveState();
      if (code !== this.lang) await this.setLanguage(code);
      const name = (this.languages.find((l) => l.code === code) || {}).name || code;
      this.send(`/change_language${JSON.stringify({ language: code })}`, name);
    }

    /* -- dialog, menu and keyboard ---------------------------------------------------- */

    open() {
      const u = this.ui;
      u.panel.hidden = false;
      u.root.classList.add('open');
      u.launch.setAttribute('aria-expanded', 'true');
      write(sessionStorage, `${this.key}:open`, true);
      u.log.scrollTop = u.log.scrollHeight;
      u.input.focus();
      this.ensureSession().catch(() => {});
    }

    close() {
      const u = this.ui;
      this.closeMenu(false);
      u.panel.hidden = true;
      u.root.classList.remove('open');
      u.launch.setAttribute('aria-expanded', 'false');
      write(sessionStorage, `${this.key}:open`, false);
      u.launch.focus(); // focus goes back where the dialog was opened from
    }

    openMenu(last = false) {
      const u = this.ui;
      u.menu.hidden = false;
      u.langBtn.setAttribute('aria-expanded', 'true');
      const items = [...u.menu.children];
      (items.find((i) => i.getAttribute('aria-checked') === 'true') || items[last ? items.length - 1 : 0])?.focus();
    }

    closeMenu(focusButton) {
      const u = this.ui;
      if (u.menu.hidden) return;
      u.menu.hidden = true;
      u.langBtn.setAttribute('aria-expanded', 'false');
      if (focusButton) u.langBtn.focus();
    }

    menuKey(e) {
      const items = [...this.ui.menu.children];
      const at = items.indexOf(this.shadowRoot.activeElement);
      const go = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 }[e.key];
      if (go !== undefined) {
        e.preventDefault();
        items[(go + items.length) % items.length].focus();
      } else if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        if (at >= 0) this.chooseLanguage(items[at].dataset.code);
      } else if (e.key === 'Escape' || e.key === 'Tab') {
        e.preventDefault();
        e.stopPropagation(); // Esc closes the menu only, not the dialog
        this.closeMenu(true);
      }
    }

    /** Esc closes; Tab stays inside the dialog (it is modal). */
    panelKey(e) {
      if (e.key === 'Escape') {
        e.preventDefault();
        this.close();
      } else if (e.key === 'Tab') {
        const focusable = [...this.ui.panel.querySelectorAll('button,textarea,a[href],[tabindex="0"]')]
          .filter((el) => !el.disabled && el.getClientRects().length);
        const first = focusable[0];
        const last = focusable[focusable.length - 1];
        const active = this.shadowRoot.activeElement;
        if (e.shiftKey && (active === first || !active)) {
          e.preventDefault();
          last.focus();
        } else if (!e.shiftKey && active === last) {
          e.preventDefault();
          first.focus();
        }
      }
    }
  }

  AdvisorChat.renderText = renderText; // for tests of the markdown sanitizing
  customElements.define(TAG, AdvisorChat);

  // The <script> tag's data-* attributes become the element's; it is added to the page.
  if (SCRIPT && !('manual' in SCRIPT.dataset)) {
    const mount = () => {
      if (document.querySelector(TAG)) return;
      const d = SCRIPT.dataset;
      const el = document.createElement(TAG);
      const attrs = { server: d.server, lang: d.lang, 'chat-title': d.title, color: d.color, 'text-color': d.textColor, position: d.position };
      for (const [name, value] of Object.entries(attrs)) if (value) el.setAttribute(name, value);
      document.body.append(el);
    };
    if (document.body) mount();
    else addEventListener('DOMContentLoaded', mount);
  }
})();
