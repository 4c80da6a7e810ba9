/*
 * Briefing assistant chat widget: no framework, no build step.
 *
 * Embed with one script tag (mounts a floating launcher and panel):
 *   <script src="https://HOST/widget.js" data-endpoint="https://HOST" data-key="KEY"></script>
 * or place the chat inline (the script tag then needs no data-endpoint):
 *   <briefing-chat endpoint="https://HOST" api-key="KEY"></briefing-chat>
 *
 * Everything lives in a Shadow DOM so that page CSS and widget CSS stay apart.
 * Server data only ever reaches the page as text nodes (textContent), never parsed as HTML.
 */
(() => {
"use strict";
if (window.customElements.get("briefing-chat")) return;

const SCRIPT = document.currentScript;
const SCRIPT_BASE = (SCRIPT && SCRIPT.src) || document.baseURI;
const MAX_HISTORY = 20;
const MAX_QUESTION = 2000;
const STAGES = {
  retrieving: "Searching the sources…",
  composing: "Writing the briefing…",
  verifying: "Checking every citation…",
};

const CSS = `
:host{all:initial !important;display:block !important}
:host([floating]){position:fixed !important;right:0;bottom:0;width:0;height:0;z-index:2147483000 !important}
[hidden]{display:none !important}
*,*::before,*::after{box-sizing:border-box}
.root{--accent:var(--briefing-accent,#1f4e8c);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1b1f24}
button,textarea{font:inherit;color:inherit}
button{cursor:pointer}
:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
a{color:var(--accent);text-underline-offset:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.panel{display:flex;flex-direction:column;position:relative;background:#fff;border:1px solid #d0d7de;border-radius:14px;overflow:hidden}
.inline .panel{width:100%;height:var(--briefing-height,560px)}
.floating .panel{position:fixed;right:20px;bottom:88px;width:420px;max-width:calc(100vw - 40px);height:min(660px,calc(100vh - 108px));box-shadow:0 16px 48px rgba(15,23,42,.22)}
.launcher{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border:0;border-radius:50%;background:var(--accent);color:#fff;display:grid;place-items:center;box-shadow:0 6px 20px rgba(15,23,42,.3)}
.launcher svg{width:26px;height:26px}
.head{display:flex;align-items:center;gap:8px;padding:12px 10px 12px 16px;background:var(--accent);color:#fff}
.head .titles{flex:1;min-width:0}
.head h2{margin:0;font-size:15px;font-weight:600;line-height:1.3}
.head p{margin:0;font-size:12px;opacity:.88}
.icon{display:grid;place-items:center;width:32px;height:32px;border:0;border-radius:8px;background:transparent;color:#fff}
.icon:hover{background:rgba(255,255,255,.16)}
.icon:focus-visible{outline-color:#fff;outline-offset:-2px}
.icon svg{width:18px;height:18px}
.log{flex:1;overflow-y:auto;padding:16px 14px;display:flex;flex-direction:column;gap:14px;background:#f6f8fa;overscroll-behavior:contain}
.empty{margin:auto 8px;text-align:center;color:#57606a;font-size:13px}
.empty strong{display:block;color:#1b1f24;font-size:15px;margin-bottom:4px}
.msg{max-width:100%;overflow-wrap:anywhere}
.user{align-self:flex-end;max-width:85%;background:var(--accent);color:#fff;padding:8px 12px;border-radius:14px 14px 4px 14px;white-space:pre-wrap}
.bot{align-self:stretch;background:#fff;border:1px solid #e1e4e8;border-radius:14px 14px 14px 4px;padding:12px 14px}
.text{margin:0;white-space:pre-wrap}
.run{white-space:nowrap}
.chip{display:inline-flex;align-items:center;justify-content:center;min-width:22px;height:20px;margin:0 1px;padding:0 6px;border:1px solid #b6c8e6;border-radius:10px;background:#eaf1fb;color:#1f4e8c;font-size:11.5px;font-weight:700;line-height:1;vertical-align:2px}
.chip:hover,.chip[aria-expanded=true]{background:#1f4e8c;border-color:#1f4e8c;color:#fff}
.kicker{margin:0 0 6px;font-size:11px;font-weight:700;letter-spacing:.06em;text-transform:uppercase;color:#57606a}
.conflict{margin-top:12px;padding:10px 12px 12px;border:1px solid #f0c27b;border-radius:10px;background:#fff8ec}
.conflict .kicker{display:flex;align-items:center;gap:6px;color:#7a4100}
.conflict .kicker svg{width:14px;height:14px}
.topic{margin:0 0 10px;font-weight:600;color:#3b2600}
.positions{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:8px}
.affirms{--stance:#1a7f37;--stance-bg:#dafbe1;--stance-ink:#0f5323}.denies{--stance:#cf222e;--stance-bg:#ffebe9;--stance-ink:#a40e26}.qualifies{--stance:#bf8700;--stance-bg:#fff1c2;--stance-ink:#6b4400}
.position{display:flex;flex-direction:column;gap:6px;padding:9px 10px;background:#fff;border:1px solid #ecdcbc;border-top:3px solid var(--stance,#8c959f);border-radius:8px}
.holder{font-weight:600;font-size:13px;line-height:1.35}
.badge{align-self:flex-start;padding:1px 8px;border-radius:999px;font-size:11px;font-weight:700;letter-spacing:.04em;text-transform:uppercase;background:var(--stance-bg,#eaeef2);color:var(--stance-ink,#424a53)}
.summary{margin:0;font-size:13px}
.value{margin:0;font-size:12.5px;color:#424a53}
.cites{font-size:12px;color:#57606a}
.sources{margin-top:12px;padding-top:10px;border-top:1px solid #eaeef2}
.sources ol,.near{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:6px}
.sources li{display:flex;gap:8px;align-items:baseline;font-size:13px}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin-top:12px}
.action{padding:4px 10px;border:1px solid #d0d7de;border-radius:6px;background:#fff;font-size:12px}
.action:hover{background:#f3f4f6}
.abstain{background:#f6f8fa;border:1px dashed #8c959f}
.abstain .kicker{color:#424a53}
details{margin-top:10px;font-size:13px}
summary{cursor:pointer;color:#424a53}
.near{margin-top:8px;gap:8px}
.near li{padding:8px 10px;background:#fff;border:1px solid #e1e4e8;border-radius:8px}
.near blockquote{margin:0 0 4px;color:#424a53;white-space:pre-wrap}
.error{background:#fff5f5;border:1px solid #ffcecb;color:#82071e}
.error .ref{display:block;margin-top:4px;font-size:12px;color:#6e0a1e}
.pending{color:#57606a}
.dots{display:inline-flex;gap:4px;vertical-align:middle}
.dots i{width:6px;height:6px;border-radius:50%;background:#8c959f;animation:blink 1.2s infinite both}
.dots i:nth-child(2){animation-delay:.2s}.dots i:nth-child(3){animation-delay:.4s}
@keyframes blink{0%,80%,100%{opacity:.25}40%{opacity:1}}
.status{padding:6px 16px 0;font-size:12px;color:#57606a;background:#fff}
.status:empty{display:none}
.composer{display:flex;gap:8px;align-items:flex-end;padding:10px 12px 4px;background:#fff;border-top:1px solid #e1e4e8}
textarea{flex:1;min-height:40px;max-height:120px;resize:none;padding:9px 12px;border:1px solid #c9d1d9;border-radius:10px;background:#fff;line-height:1.4}
textarea:focus{outline:none;border-color:var(--accent);box-shadow:0 0 0 3px rgba(31,78,140,.2)}
.send{display:grid;place-items:center;width:40px;height:40px;flex:none;border:0;border-radius:10px;background:var(--accent);color:#fff}
.send:disabled{opacity:.45;cursor:default}
.send svg{width:18px;height:18px}
.hint{margin:0;padding:2px 14px 8px;font-size:11px;color:#57606a;background:#fff}
.popover{position:absolute;left:12px;right:12px;z-index:5;max-height:60%;overflow:auto;padding:12px 14px;background:#fff;border:1px solid #d0d7de;border-radius:10px;box-shadow:0 10px 30px rgba(15,23,42,.22)}
.popover:focus{outline:none}
.popover:focus-visible{outline:2px solid var(--accent)}
.pop-head{display:flex;align-items:center;justify-content:space-between}
.pop-head .icon{color:#424a53;width:28px;height:28px}
.pop-head .icon:hover{background:#f3f4f6}
.popover h3{margin:2px 0;font-size:14px;line-height:1.35}
.meta{display:block;margin:0;font-size:12px;color:#57606a}
.quote{margin:10px 0;padding:8px 12px;border-left:3px solid var(--accent);background:#f6f8fa;border-radius:0 6px 6px 0;white-space:pre-wrap;font-size:13.5px;color:#24292f}
@media (max-width:480px){
.floating .panel{inset:0;width:auto;height:auto;max-width:none;border:0;border-radius:0}
.floating.open .launcher{display:none}
.positions{grid-template-columns:1fr}
}
@media (prefers-reduced-motion:reduce){*{animation:none !important;transition:none !important}}
`;

const ICONS = {
  chat: "M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.5 4v-4h0A1.5 1.5 0 0 1 4 14.5z",
  close: "M6 6l12 12M18 6L6 18",
  send: "M4 12h14M12 5l7 7-7 7",
  reset: "M4 12a8 8 0 1 0 2.3-5.6M4 4v4.5h4.5",
  scale: "M12 3v18M5 21h14M4 8h16M7 8l-3 7a3 3 0 0 0 6 0zM17 8l-3 7a3 3 0 0 0 6 0z",
};

function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (tag === "button") node.type = "button";
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c != null && c !== false) node.append(c);
  return node;
}

function icon(name) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  const attrs = { viewBox: "0 0 24 24", "aria-hidden": "true", fill: "none", stroke: "currentColor",
    "stroke-width": "2", "stroke-linecap": "round", "stroke-linejoin": "round" };
  for (const [k, v] of Object.entries(attrs)) svg.setAttribute(k, v);
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", ICONS[name]);
  svg.append(path);
  return svg;
}

function iconButton(name, label, onclick) {
  return h("button", { class: "icon", "aria-label": label, title: label, onclick }, icon(name));
}

function resolveEndpoint(value, base) {
  try {
    if (!value) return new URL(SCRIPT_BASE).origin;
    const url = new URL(value, base);
    url.search = "";
    url.hash = "";
    return url.href.replace(/\/+$/, "");
  } catch (_) {
    return "";
  }
}

function documentLink(endpoint, c) {
  const id = encodeURIComponent(String(c.document_id));
  return `${endpoint}/documents/${id}?start=${Number(c.start)}&end=${Number(c.end)}#cited`;
}

function host(source) {
  try { return new URL(source).hostname || source; } catch (_) { return source; }
}

function describeSource(c, said) {
  const parts = [c.published, c.source && host(String(c.source)), said && c.holder && said + c.holder];
  return parts.filter(Boolean).map(String).join(" · ");
}

// The conversation survives reloads: sessionStorage, keyed by endpoint.

function storageKey(endpoint) { return "briefing-chat:v1:" + endpoint; }

function loadState(endpoint) {
  try {
    const raw = JSON.parse(window.sessionStorage.getItem(storageKey(endpoint)) || "null");
    if (raw && Array.isArray(raw.messages)) return { messages: raw.messages, open: !!raw.open };
  } catch (_) { /* storage blocked or corrupt: start afresh */ }
  return { messages: [], open: false };
}

function saveState(endpoint, state) {
  try { window.sessionStorage.setItem(storageKey(endpoint), JSON.stringify(state)); } catch (_) { /* quota or blocked */ }
}

// Server-Sent Events over fetch (EventSource cannot POST or send headers).

async function* readEvents(body) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "", event = "", data = [];
  try {
    for (;;) {
      const { value, done } = await reader.read();
      buffer += done ? decoder.decode() + "\n\n" : decoder.decode(value, { stream: true });
      const lineEnd = /\r\n|\r|\n/g;
      let start = 0, m;
      while ((m = lineEnd.exec(buffer))) {
        // A lone "\r" at the end may be the first half of "\r\n": wait for more.
        if (!done && m[0] === "\r" && m.index === buffer.length - 1) break;
        const line = buffer.slice(start, m.index);
        start = lineEnd.lastIndex;
        if (line === "") {
          if (data.length) yield { event: event || "message", data: data.join("\n") };
          event = ""; data = [];
        } else if (line[0] !== ":") {
          const i = line.indexOf(":");
          const field = i < 0 ? line : line.slice(0, i);
          let val = i < 0 ? "" : line.slice(i + 1);
          if (val[0] === " ") val = val.slice(1);
          if (field === "event") event = val;
          else if (field === "data") data.push(val);
        }
      }
      buffer = buffer.slice(start);
      if (done) return;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

class ChatError extends Error {
  constructor(text, ref, retryable) { super(text); this.text = text; this.ref = ref || ""; this.retryable = retryable !== false; }
}

function retrySeconds(header) {
  if (!header) return null;
  const secs = Number(header);
  if (Number.isFinite(secs)) return Math.max(1, Math.ceil(secs));
  const when = Date.parse(header);
  return Number.isNaN(when) ? null : Math.max(1, Math.ceil((when - Date.now()) / 1000));
}

function politeError(status, payload, retryAfter) {
  const err = (payload && payload.error) || {};
  const ref = typeof err.request_id === "string" ? err.request_id : "";
  const serverText = typeof err.message === "string" ? err.message.slice(0, 300) : "";
  if (status === 429 || err.code === "rate_limited") {
    const secs = retrySeconds(retryAfter);
    const wait = secs ? `Please try again in ${secs} second${secs === 1 ? "" : "s"}.` : "Please wait a moment and try again.";
    return new ChatError(`Too many questions in a short time. ${wait}`, ref);
  }
  if (status === 401 || status === 403) {
    return new ChatError("The briefing service did not accept this page's access key. Please tell the page's owner.", ref, false);
  }
  if (status >= 400 && status < 500 && serverText) return new ChatError(serverText, ref, false);
  return new ChatError("Something went wrong on the server while preparing the briefing. Please try again shortly.", ref);
}

async function httpError(res) {
  let payload = null;
  try { payload = await res.json(); } catch (_) { /* not JSON: keep the generic text */ }
  return politeError(res.status, payload, res.headers.get("Retry-After"));
}

function networkError() {
  return navigator.onLine === false
    ? new ChatError("You appear to be offline. Check your connection, then try again.")
    : new ChatError("The briefing service can't be reached right now. Check your connection, then try again.");
}

class Chat {
  constructor(host, opts) {
    this.o = opts;
    this.state = loadState(opts.endpoint);
    this.busy = false;
    this.chip = null;
    this.shadow = host.attachShadow({ mode: "open" });
    this.shadow.append(h("style", { text: CSS }));
    this.build();
    this.renderAll();
    if (opts.floating && this.state.open) this.setOpen(true, false);
  }

  build() {
    const o = this.o;
    // Ids are scoped to the shadow root, so fixed ones cannot clash with the page or another widget.
    this.log = h("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": "Conversation", tabindex: "0" });
    this.status = h("div", { class: "status", role: "status" });
    this.input = h("textarea", {
      rows: "1", maxlength: String(MAX_QUESTION), placeholder: "Ask about the sources…",
      "aria-label": "Your question", "aria-describedby": "hint",
      onkeydown: (e) => this.onKey(e), oninput: () => this.autosize(),
    });
    this.sendBtn = h("button", { class: "send", type: "submit", "aria-label": "Send question" }, icon("send"));
    const form = h("form", { class: "composer", onsubmit: (e) => { e.preventDefault(); this.submit(); } }, this.input, this.sendBtn);
    this.popover = h("div", { class: "popover", role: "dialog", "aria-modal": "false", "aria-labelledby": "pop-title", tabindex: "-1", hidden: true });
    const head = h("div", { class: "head" },
      h("div", { class: "titles" },
        h("h2", { id: "title", text: o.heading }),
        h("p", { text: "Answers cite the exact source passages" })),
      iconButton("reset", "Start a new conversation", () => this.reset()),
      o.floating && iconButton("close", "Close chat", () => this.setOpen(false, true)));
    this.panel = h("section", {
      class: "panel", id: "panel", "aria-labelledby": "title",
      role: o.floating ? "dialog" : "region", "aria-modal": o.floating ? "false" : null, hidden: o.floating,
    }, head, this.log, this.status, form,
      h("p", { class: "hint", id: "hint", text: "Enter to send · Shift+Enter for a new line" }), this.popover);
    this.wrap = h("div", { class: "root " + (o.floating ? "floating" : "inline") });
    if (o.floating) {
      this.launcher = h("button", {
        class: "launcher", "aria-label": "Open the briefing assistant",
        "aria-expanded": "false", "aria-controls": "panel", onclick: () => this.setOpen(!this.isOpen(), true),
      }, icon("chat"));
      this.wrap.append(this.launcher);
    }
    this.wrap.append(this.panel);
    this.shadow.append(this.wrap);
    this.shadow.addEventListener("keydown", (e) => this.onEscape(e));
    this.shadow.addEventListener("pointerdown", (e) => this.onPointerDown(e));
    this.log.addEventListener("scroll", () => { if (this.chip) this.placePopover(this.chip); }, { passive: true });
    this.popover.addEventListener("focusout", (e) => {
      if (e.relatedTarget && !this.popover.contains(e.relatedTarget) && e.relatedTarget !== this.chip) this.closePopover(false);
    });
  }

  isOpen() { return !this.panel.hidden; }

  setOpen(open, focus) {
    if (!this.o.floating) return;
    this.panel.hidden = !open;
    this.wrap.classList.toggle("open", open);
    this.launcher.setAttribute("aria-expanded", String(open));
    this.launcher.setAttribute("aria-label", open ? "Close the briefing assistant" : "Open the briefing assistant");
    this.state.open = open;
    this.save();
    if (!open) this.closePopover(false);
    if (open) this.scrollDown(true);
    if (focus) (open ? this.input : this.launcher).focus();
  }

  save() { saveState(this.o.endpoint, this.state); }

  onKey(e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); this.submit(); }
  }

  onEscape(e) {
    if (e.key !== "Escape") return;
    if (!this.popover.hidden) { e.preventDefault(); e.stopPropagation(); this.closePopover(true); }
    else if (this.o.floating && this.isOpen()) { e.preventDefault(); this.setOpen(false, true); }
  }

  onPointerDown(e) {
    if (this.popover.hidden) return;
    const path = e.composedPath();
    if (path.includes(this.popover) || path.some((n) => n.classList && n.classList.contains("chip"))) return;
    this.closePopover(false);
  }

  autosize() {
    this.input.style.height = "auto";
    this.input.style.height = Math.min(this.input.scrollHeight + 2, 120) + "px";
  }

  scrollDown(force) {
    const log = this.log;
    if (force || log.scrollHeight - log.scrollTop - log.clientHeight < 120) log.scrollTop = log.scrollHeight;
  }

  setStatus(text) { this.status.textContent = text || ""; }

  setBusy(busy) {
    this.busy = busy;
    this.sendBtn.disabled = busy;
    this.log.setAttribute("aria-busy", String(busy));
  }

  history() {
    const turns = [];
    for (const m of this.state.messages) {
      if (m.role === "user") turns.push({ role: "user", content: String(m.content) });
      else if (m.role === "assistant" && m.answer) turns.push({ role: "assistant", content: String(m.answer.answer || "") });
    }
    return turns.slice(-MAX_HISTORY);
  }

  reset() {
    if (this.busy) return;
    this.closePopover(false);
    this.state.messages = [];
    this.save();
    this.renderAll();
    this.input.focus();
  }

  renderAll() {
    this.log.replaceChildren();
    if (!this.state.messages.length) {
      this.log.append(h("div", { class: "empty" },
        h("strong", { text: "Ask the source documents" }),
        "Select a number in an answer to read the exact passage it cites."));
    }
    for (const m of this.state.messages) {
      if (m.role === "user") this.log.append(this.userView(m.content));
      else if (m.role === "assistant" && m.answer) this.log.append(this.answerView(m.answer));
    }
  }

  append(node) {
    const empty = this.log.querySelector(".empty");
    if (empty) empty.remove();
    this.log.append(node);
    this.scrollDown(true);
    return node;
  }

  userView(text) { return h("div", { class: "msg user", text: String(text) }); }

  submit() {
    const question = this.input.value.trim();
    if (!question || this.busy) return;
    this.input.value = "";
    this.autosize();
    this.ask(question);
  }

  async ask(question) {
    const history = this.history();
    const userNode = this.append(this.userView(question));
    const streamText = h("p", { class: "text" });
    const pending = this.append(h("div", { class: "msg bot pending" },
      streamText, h("span", { class: "dots", "aria-hidden": "true" }, h("i"), h("i"), h("i"))));
    this.state.messages.push({ role: "user", content: question });
    this.save();
    this.setBusy(true);
    this.setStatus(STAGES.retrieving);
    try {
      const answer = await this.stream(question, history, (text) => {
        pending.classList.remove("pending");
        streamText.textContent = text;
        this.scrollDown(false);
      });
      this.state.messages.push({ role: "assistant", answer });
      this.save();
      pending.replaceWith(this.answerView(answer));
      this.scrollDown(false);
    } catch (err) {
      // The question failed: forget it, so history stays question/answer pairs.
      this.state.messages.pop();
      this.save();
      const e = err instanceof ChatError ? err : new ChatError("Something went wrong while showing the answer. Please try again.");
      pending.replaceWith(this.errorView(e, question, userNode));
    } finally {
      this.setBusy(false);
      this.setStatus("");
    }
  }

  async stream(question, history, onText) {
    const headers = { "Content-Type": "application/json", Accept: "text/event-stream" };
    if (this.o.key) headers.Authorization = "Bearer " + this.o.key;
    let res;
    try {
      res = await fetch(this.o.endpoint + "/v1/ask/stream", {
        method: "POST", headers, body: JSON.stringify({ question, history }), credentials: "omit",
      });
    } catch (_) {
      throw networkError();
    }
    if (!res.ok) throw await httpError(res);
    if (!res.body) throw new ChatError("The briefing service sent an empty reply. Please try again.");
    let text = "";
    try {
      for await (const ev of readEvents(res.body)) {
        let data;
        try { data = JSON.parse(ev.data); } catch (_) { continue; }
        if (ev.event === "status" && data) this.setStatus(STAGES[data.stage] || "Working…");
        else if (ev.event === "delta" && data && typeof data.text === "string") { text += data.text; onText(text); }
        else if (ev.event === "answer" && data && typeof data.answer === "string") return data;
        else if (ev.event === "error") throw politeError(500, data, null);
      }
    } catch (err) {
      if (err instanceof ChatError) throw err;
      throw networkError();
    }
    throw new ChatError("The answer was cut off before it finished. Please try again.");
  }

  errorView(err, question, userNode) {
    const node = h("div", { class: "msg bot error", role: "alert" }, h("span", { text: err.text }));
    if (err.ref) node.append(h("span", { class: "ref", text: "Reference: " + err.ref }));
    if (err.retryable) {
      node.append(h("div", { class: "actions" }, h("button", {
        class: "action", text: "Try again",
        onclick: () => { if (this.busy) return; node.remove(); userNode.remove(); this.ask(question); },
      })));
    }
    return node;
  }

  docLink(c, text) {
    return h("a", { href: documentLink(this.o.endpoint, c), target: "_blank", rel: "noopener", text });
  }

  chipFor(c) {
    return h("button", {
      class: "chip", text: String(c.n), "aria-haspopup": "dialog", "aria-expanded": "false",
      "aria-label": `Source ${c.n}: ${c.title || c.document_id}`,
      onclick: (e) => this.togglePopover(e.currentTarget, c),
    });
  }

  textWithChips(text, byN) {
    // A run of markers stays on one line with the word before it and the punctuation after it.
    const p = h("p", { class: "text" });
    const run = /([^\s[]*\s?)((?:\[\d+\])+)([.,;:!?)\]]*)/g;
    let last = 0, m;
    while ((m = run.exec(text))) {
      const cited = [...m[2].matchAll(/\d+/g)].map((x) => byN.get(Number(x[0]))).filter(Boolean);
      if (!cited.length) continue;
      p.append(text.slice(last, m.index), h("span", { class: "run" }, m[1], cited.map((c) => this.chipFor(c)), m[3]));
      last = run.lastIndex;
    }
    p.append(text.slice(last));
    return p;
  }

  answerView(a) {
    const citations = Array.isArray(a.citations) ? a.citations : [];
    const byN = new Map(citations.map((c) => [Number(c.n), c]));
    const text = String(a.answer || "");
    if (a.abstained) return this.abstainView(text, a.near_misses || [], byN);
    const node = h("article", { class: "msg bot answer", "aria-label": "Briefing" }, this.textWithChips(text, byN));
    for (const conflict of a.conflicts || []) node.append(this.conflictView(conflict, byN));
    if (citations.length) node.append(this.sourcesView(citations));
    node.append(h("div", { class: "actions" }, h("button", {
      class: "action copy", text: "Copy with sources",
      onclick: (e) => this.copy(e.currentTarget, text, citations),
    })));
    return node;
  }

  abstainView(text, nearMisses, byN) {
    const node = h("article", { class: "msg bot abstain", "aria-label": "The sources don't say" },
      h("p", { class: "kicker", text: "The sources don't say" }),
      this.textWithChips(text || "The documents do not answer this question.", byN));
    if (nearMisses.length) {
      const list = h("ul", { class: "near" }, nearMisses.map((c) => h("li", {},
        h("blockquote", { text: String(c.quote || "") }),
        h("span", { class: "meta" }, this.chipFor(c), " ", String(c.title || c.document_id)))));
      const label = `Closest passages (${nearMisses.length}), which do not answer the question`;
      node.append(h("details", { class: "near-misses" }, h("summary", { text: label }), list));
    }
    return node;
  }

  conflictView(conflict, byN) {
    const positions = Array.isArray(conflict.positions) ? conflict.positions : [];
    const node = h("section", { class: "conflict", "aria-label": "Sources disagree" },
      h("p", { class: "kicker" }, icon("scale"), "Sources disagree"),
      h("p", { class: "topic", text: String(conflict.topic || "") }));
    const grid = h("div", { class: "positions", role: "list" });
    for (const p of positions) {
      const stance = ["affirms", "denies", "qualifies"].includes(p.stance) ? p.stance : "";
      const chips = (p.citations || []).map((n) => byN.get(Number(n))).filter(Boolean).map((c) => this.chipFor(c));
      grid.append(h("div", { class: "position " + stance, role: "listitem" },
        h("span", { class: "holder", text: String(p.holder || "Unattributed") }),
        h("span", { class: "badge " + stance, text: stance || String(p.stance || "") }),
        h("p", { class: "summary", text: String(p.summary || "") }),
        p.value != null && p.value !== "" && h("p", { class: "value", text: "Value: " + String(p.value) }),
        chips.length && h("span", { class: "cites" }, "Sources ", chips)));
    }
    node.append(grid);
    return node;
  }

  sourcesView(citations) {
    return h("section", { class: "sources", "aria-label": "Sources" },
      h("p", { class: "kicker", text: "Sources" }),
      h("ol", {}, citations.map((c) => h("li", {}, this.chipFor(c), h("span", {},
        this.docLink(c, String(c.title || c.document_id)),
        h("span", { class: "meta", text: describeSource(c, "said by ") }))))));
  }

  copyText(text, citations) {
    const lines = [text, "", "Sources:"];
    for (const c of citations) {
      const meta = describeSource(c);
      lines.push(`[${c.n}] ${c.title || c.document_id}${meta ? " (" + meta + ")" : ""}`);
      lines.push(`    "${c.quote}"`);
      lines.push(`    ${documentLink(this.o.endpoint, c)}`);
    }
    return lines.join("\n");
  }

  async copy(button, text, citations) {
    const payload = this.copyText(text, citations);
    let ok = false;
    try { await navigator.clipboard.writeText(payload); ok = true; } catch (_) {
      const area = h("textarea", { class: "sr", "aria-hidden": "true" });
      area.value = payload;
      this.shadow.append(area);
      area.select();
      try { ok = document.execCommand("copy"); } catch (__) { ok = false; }
      area.remove();
      button.focus();
    }
    button.textContent = ok ? "Copied ✓" : "Copy failed";
    this.setStatus(ok ? "Copied the answer and its sources." : "Your browser blocked copying.");
    setTimeout(() => { button.textContent = "Copy with sources"; this.setStatus(""); }, 2000);
  }

  togglePopover(chip, c) {
    if (this.chip === chip && !this.popover.hidden) { this.closePopover(true); return; }
    this.closePopover(false);
    const pop = this.popover;
    const meta = describeSource(c, "Said by ");
    pop.replaceChildren(
      h("div", { class: "pop-head" },
        h("p", { class: "kicker", text: "Source " + c.n }),
        iconButton("close", "Close source", () => this.closePopover(true))),
      h("h3", { id: "pop-title", text: String(c.title || c.document_id) }),
      meta && h("p", { class: "meta", text: meta }),
      h("blockquote", { class: "quote", text: String(c.quote || "") }),
      this.docLink(c, "Open the document at this passage ↗"));
    pop.hidden = false;
    this.chip = chip;
    chip.setAttribute("aria-expanded", "true");
    this.placePopover(chip);
    pop.focus();
  }

  placePopover(chip) {
    const panel = this.panel.getBoundingClientRect();
    const at = chip.getBoundingClientRect();
    const pop = this.popover;
    const below = at.bottom - panel.top + 6;
    const room = panel.height - 8;
    let top = below + pop.offsetHeight <= room ? below : at.top - panel.top - pop.offsetHeight - 6;
    top = Math.max(8, Math.min(top, room - pop.offsetHeight));
    pop.style.top = top + "px";
  }

  closePopover(returnFocus) {
    if (this.popover.hidden) return;
    this.popover.hidden = true;
    const chip = this.chip;
    this.chip = null;
    if (chip) {
      chip.setAttribute("aria-expanded", "false");
      if (returnFocus && chip.isConnected) chip.focus();
    }
  }
}

class BriefingChat extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    this.chat = new Chat(this, {
      endpoint: resolveEndpoint(this.getAttribute("endpoint"), document.baseURI),
      key: this.getAttribute("api-key") || "",
      heading: this.getAttribute("heading") || "Briefing assistant",
      floating: this.hasAttribute("floating"),
    });
  }
}

window.customElements.define("briefing-chat", BriefingChat);

function mountLauncher() {
  const el = document.createElement("briefing-chat");
  el.setAttribute("floating", "");
  el.setAttribute("endpoint", resolveEndpoint(SCRIPT.dataset.endpoint, SCRIPT.src));
  if (SCRIPT.dataset.key) el.setAttribute("api-key", SCRIPT.dataset.key);
  if (SCRIPT.dataset.heading) el.setAttribute("heading", SCRIPT.dataset.heading);
  document.body.append(el);
}

if (SCRIPT && SCRIPT.hasAttribute("data-endpoint")) {
  if (document.body) mountLauncher();
  else document.addEventListener("DOMContentLoaded", mountLauncher, { once: true });
}
})();
