/*! ASCC Bot — hỏi đáp Kế hoạch thực hiện mục tiêu Cộng đồng Văn hóa - Xã hội ASEAN của Hải Phòng.
 *
 * Embed with one line (nothing else to add, no CDN, no build step):
 *   <script src="https://BOT-HOST/widget.js" data-api="https://BOT-HOST" defer></script>
 *
 * The portal's look, all optional, on the same tag:
 *   data-title="Hỏi đáp ASEAN"         the panel's title
 *   data-color="#a31515"               the launcher, header, send button and the person's bubbles
 *   data-position="left"               bottom left instead of bottom right
 *   data-suggestions="Câu 1|Câu 2"     the questions offered first, separated by "|"
 *
 * The only global is window.AsccBot ({open, close, toggle, ask, version}). Everything else lives in
 * this closure and in a shadow root, so the host page's CSS cannot restyle the widget and the
 * widget's CSS cannot leak out. Text from people and from the bot is inserted with textContent,
 * never as HTML.
 */
(function () {
  "use strict";
  if (window.AsccBot) { return; } // the snippet pasted twice must not give two launchers

  var VERSION = "1.1.0";
  var MAX_CHARS = 1000;
  var MAX_STORED_MESSAGES = 60;
  var TIMEOUT_MS = 30000;
  var SUGGESTIONS = [
    "Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?",
    "Hạn gửi báo cáo hằng năm là khi nào?",
    "Kinh phí thực hiện kế hoạch lấy từ đâu?",
    "Sở Tài chính có nhiệm vụ gì?"
  ];
  var ICONS = { // 24×24 paths (Material icons, Apache 2.0): no image requests, no emoji font needed
    chat: "M20 2H4c-1.1 0-2 .9-2 2v18l4-4h14c1.1 0 2-.9 2-2V4c0-1.1-.9-2-2-2zM6 9h12v2H6V9zm8 5H6v-2h8v2zm4-6H6V6h12v2z",
    close: "M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z",
    fresh: "M19 3H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14c1.1 0 2-.9 2-2V5a2 2 0 0 0-2-2zm-2 10h-4v4h-2v-4H7v-2h4V7h2v4h4v2z",
    send: "M2.01 21 23 12 2.01 3 2 10l15 2-15 2z",
    up: "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 " +
        "7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z",
    down: "M15 3H6c-.83 0-1.54.5-1.84 1.22l-3.02 7.05c-.09.23-.14.47-.14.73v2c0 1.1.9 2 2 2h6.31l-.95 4.57-.03.32c0 " +
          ".41.17.79.44 1.06L9.83 23l6.59-6.59c.36-.36.58-.86.58-1.41V5c0-1.1-.9-2-2-2zm4 0v12h4V3h-4z",
    open: "M19 19H5V5h7V3H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14c1.1 0 2-.9 2-2v-7h-2v7zM14 3v2h3.59l-9.83 9.83 " +
          "1.41 1.41L19 6.41V10h2V3h-7z"
  };
  var TEXT = {
    launcher: "Hỏi đáp",
    launcherName: "Hỏi đáp về Kế hoạch ASCC Hải Phòng",
    title: "Hỏi đáp Kế hoạch ASCC Hải Phòng",
    subtitle: "Trích nguyên văn kế hoạch, có ghi nguồn",
    close: "Đóng",
    fresh: "Cuộc trò chuyện mới",
    matrix: "Bảng phân công nhiệm vụ",
    calendar: "Thêm vào lịch",
    more: "Hỏi tiếp:",
    logName: "Cuộc trò chuyện",
    greeting: "Xin chào! Tôi là trợ lý hỏi đáp về Kế hoạch thực hiện các mục tiêu Cộng đồng Văn hóa - Xã hội " +
              "ASEAN của thành phố Hải Phòng. Tôi trả lời bằng chính lời văn của kế hoạch và ghi rõ mục, điểm " +
              "để bạn mở ra đối chiếu.",
    suggest: "Bạn có thể hỏi, ví dụ:",
    input: "Câu hỏi",
    placeholder: "Nhập câu hỏi của bạn…",
    send: "Gửi",
    typing: "Đang tìm câu trả lời trong văn bản",
    sources: "Nguồn trích dẫn",
    openSource: "Mở văn bản tại ",
    rateQuestion: "Câu trả lời có giúp ích không?",
    up: "Câu trả lời hữu ích",
    down: "Báo câu trả lời chưa tốt",
    commentLabel: "Điều gì chưa đúng hoặc còn thiếu? (không bắt buộc)",
    commentSubmit: "Góp ý",
    commentSkip: "Bỏ qua",
    thanks: "Cảm ơn bạn đã đánh giá!",
    thanksComment: "Cảm ơn bạn đã góp ý! Ý kiến của bạn giúp trợ lý trả lời tốt hơn.",
    feedbackFailed: "Chưa ghi nhận được đánh giá do lỗi kết nối. Vui lòng thử lại.",
    retry: "Thử lại",
    errNetwork: "Không kết nối được với máy chủ hỏi đáp. Vui lòng kiểm tra kết nối mạng rồi bấm “Thử lại”.",
    errOrigin: "Trang này chưa được phép dùng trợ lý hỏi đáp, nên câu hỏi không được gửi đi. ",
    errTimeout: "Máy chủ hỏi đáp phản hồi quá lâu. Vui lòng bấm “Thử lại” sau ít phút.",
    errRate: "Bạn đang hỏi hơi nhanh nên hệ thống cần tạm nghỉ. Vui lòng đợi khoảng {s} giây rồi bấm “Thử lại”.",
    errServer: "Máy chủ hỏi đáp đang gặp sự cố. Vui lòng bấm “Thử lại” sau ít phút.",
    errBad: "Không gửi được câu hỏi này.",
    tooLong: "Câu hỏi dài quá " + MAX_CHARS + " ký tự, bạn hãy rút gọn lại.",
    disclaimer: "Chỉ để tham khảo; văn bản gốc mới có giá trị pháp lý."
  };

  var CSS = [
    ":host{all:initial}",
    ".root,.root *{box-sizing:border-box}",
    // px, not rem: the host page's html font-size must not resize the widget
    ".root{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','Helvetica Neue',Arial,'DejaVu Sans'," +
      "sans-serif;font-size:15px;line-height:1.5;color:#1f2933;-webkit-font-smoothing:antialiased;" +
      "text-align:left;letter-spacing:normal;text-transform:none}",
    "button,input,textarea{font:inherit;color:inherit;letter-spacing:normal;text-transform:none;margin:0}",
    "button{cursor:pointer}",
    "svg{width:20px;height:20px;fill:currentColor;flex:none}",
    ":focus{outline:none}",
    ":focus-visible{outline:3px solid #f59e0b;outline-offset:2px}",
    ".sr{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);" +
      "white-space:nowrap;border:0}",
    ".launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;display:inline-flex;align-items:center;" +
      "gap:8px;height:52px;padding:0 22px 0 18px;border:0;border-radius:26px;background:var(--brand);color:#fff;" +
      "font-size:16px;font-weight:700;box-shadow:0 6px 20px rgba(15,23,42,.3)}",
    ".launcher:hover{filter:brightness(.88)}",
    ".launcher svg{width:24px;height:24px}",
    ".panel{position:fixed;right:20px;bottom:84px;z-index:2147483001;width:390px;max-width:calc(100vw - 40px);" +
      "height:620px;max-height:calc(100vh - 104px);display:flex;flex-direction:column;background:#fff;" +
      "border-radius:14px;box-shadow:0 14px 44px rgba(15,23,42,.32);overflow:hidden}",
    ".panel[hidden]{display:none}",
    ".root{--brand:#0b5cad}",
    ".root.pos-left .launcher{left:20px;right:auto}.root.pos-left .panel{left:20px;right:auto}",
    ".head{display:flex;align-items:center;gap:4px;padding:12px 8px 12px 16px;background:var(--brand);color:#fff}",
    ".head-title{flex:1;min-width:0}",
    ".head h2{margin:0;font-size:16px;font-weight:700;line-height:1.3}",
    ".head p{margin:2px 0 0;font-size:13px;line-height:1.35;opacity:.92}",
    ".close,.fresh{display:inline-flex;align-items:center;justify-content:center;width:40px;height:40px;" +
      "flex:none;border:0;border-radius:8px;background:transparent;color:#fff}",
    ".close:hover,.fresh:hover{background:rgba(255,255,255,.16)}",
    ".close svg,.fresh svg{width:24px;height:24px}",
    ".links{display:flex;flex-wrap:wrap;gap:6px 14px;margin:10px 0 0;font-size:14px}",
    ".links a{color:#0b5cad;font-weight:600}",
    ".log{position:relative;flex:1;min-height:0;overflow-y:auto;overscroll-behavior:contain;padding:16px 12px;background:#f3f5f8;" +
      "display:flex;flex-direction:column;gap:12px}",
    ".msg{max-width:90%;padding:10px 12px;border-radius:14px;overflow-wrap:anywhere}",
    ".msg p{margin:0}",
    ".txt{white-space:pre-line}",
    ".msg-user{align-self:flex-end;background:var(--brand);color:#fff;border-bottom-right-radius:4px}",
    ".msg-bot{align-self:flex-start;background:#fff;border:1px solid #dbe1e8;border-bottom-left-radius:4px}",
    ".msg-error{align-self:stretch;max-width:100%;background:#fff4f2;border:1px solid #f1b5aa;color:#7f1d0d}",
    ".chips{display:flex;flex-direction:column;align-items:flex-start;gap:6px;margin-top:10px}",
    ".msg .hint{margin:10px 0 0;font-size:14px;color:#52606d}",
    ".chip{border:1px solid #b4cbe5;background:#eef5fc;color:#0a4a8a;border-radius:16px;padding:6px 12px;" +
      "font-size:14px;line-height:1.35;text-align:left}",
    ".chip:hover{background:#dcebfa}",
    ".sources{margin-top:10px;padding-top:8px;border-top:1px solid #e3e8ee;font-size:14px}",
    ".sources-title{font-size:13px;font-weight:700;color:#52606d}",
    ".cites{display:flex;flex-wrap:wrap;gap:6px;margin:6px 0 0;padding:0;list-style:none}",
    ".cites a,.cites span{display:inline-flex;align-items:center;gap:4px;padding:3px 10px;border:1px solid #b4cbe5;" +
      "border-radius:14px;background:#f5f9fd;color:#0b5cad;font-weight:600;text-decoration:underline;" +
      "text-underline-offset:2px}",
    ".cites a:hover{background:#e3eefa}",
    ".cites svg{width:14px;height:14px}",
    ".fb{display:flex;flex-wrap:wrap;align-items:center;gap:6px;margin-top:10px;font-size:13px;color:#52606d}",
    ".fb-q{margin-right:2px}",
    ".fb button{display:inline-flex;align-items:center;justify-content:center;width:34px;height:34px;" +
      "border:1px solid #cfd7e0;border-radius:8px;background:#fff;color:#52606d}",
    ".fb button:hover{border-color:#0b5cad;color:#0b5cad}",
    ".fb button[aria-pressed=true]{background:#e3eefa;border-color:#0b5cad;color:#0b5cad}",
    ".fb svg{width:18px;height:18px}",
    ".fb-status{flex-basis:100%;font-size:13px;color:#1d6b3a}",
    ".fb-status:empty{display:none}",
    ".fb-form{margin-top:8px;display:flex;flex-direction:column;gap:6px;font-size:13px}",
    ".fb-form[hidden]{display:none}",
    ".fb-form textarea{width:100%;min-height:64px;padding:8px 10px;border:1px solid #aab4c0;border-radius:8px;" +
      "background:#fff;font-size:15px;resize:vertical}",
    ".row{display:flex;gap:8px}",
    ".btn{height:36px;padding:0 14px;border-radius:8px;border:1px solid #0b5cad;background:#0b5cad;color:#fff;" +
      "font-size:14px;font-weight:600}",
    ".btn-quiet{background:#fff;color:#0b5cad}",
    ".msg-error .btn{margin-top:8px;border-color:#9a2a17;background:#9a2a17}",
    ".btn[disabled]{opacity:.55;cursor:default}",
    ".typing{display:flex;align-items:center;gap:8px;color:#52606d;font-size:14px}",
    ".dots{display:inline-flex;gap:4px}",
    ".dots i{width:7px;height:7px;border-radius:50%;background:#7b8794;animation:ascc-blink 1.2s infinite both}",
    ".dots i:nth-child(2){animation-delay:.2s}.dots i:nth-child(3){animation-delay:.4s}",
    "@keyframes ascc-blink{0%,80%,100%{opacity:.25}40%{opacity:1}}",
    ".composer{display:flex;gap:8px;padding:10px;border-top:1px solid #dbe1e8;background:#fff}",
    ".composer input{flex:1;min-width:0;height:46px;padding:0 12px;border:1px solid #9aa5b1;border-radius:10px;" +
      "background:#fff;font-size:16px}", // 16px: iOS zooms into smaller inputs
    ".composer input::placeholder{color:#7b8794}",
    ".send{display:inline-flex;align-items:center;gap:6px;height:46px;padding:0 16px;border:0;border-radius:10px;" +
      "background:var(--brand);color:#fff;font-size:16px;font-weight:700}",
    ".send[aria-disabled=true]{opacity:.6;cursor:progress}",
    ".send svg{width:18px;height:18px}",
    ".note{margin:0;padding:0 12px 8px;background:#fff;font-size:12px;line-height:1.4;color:#6b7785;text-align:center}",
    // phones: the panel takes the whole screen, the launcher hides behind it
    "@media (max-width:480px){.panel{top:0;left:0;right:0;bottom:0;width:100%;max-width:none;height:100%;" +
      "max-height:none;border-radius:0}.root.is-open .launcher{display:none}.msg{max-width:94%}" +
      ".head{padding:10px 6px 10px 14px}.head h2{font-size:15px}.head p{font-size:12.5px}}",
    "@media (prefers-reduced-motion:reduce){.dots i{animation:none;opacity:.7}}"
  ].join("\n");

  // ------------------------------------------------------------------ where the bot is

  var script = document.currentScript || (function () {
    var all = document.querySelectorAll("script[src*='widget.js']");
    return all.length ? all[all.length - 1] : null;
  })();

  function apiBaseOf(node) {
    try {
      var declared = node && node.getAttribute("data-api");
      if (declared) { return new URL(declared, location.href).href.replace(/\/+$/, ""); }
      if (node && node.src) { return new URL(node.src, location.href).origin; }
    } catch (e) { /* a malformed data-api: fall back to the page's own origin */ }
    return location.origin;
  }
  var apiBase = apiBaseOf(script);

  // The portal's look, from the script tag; anything malformed falls back to the default.
  function option(name) {
    var value = script && script.getAttribute("data-" + name);
    return value ? String(value).trim() : "";
  }
  var title = option("title").slice(0, 120);
  if (title) { TEXT.title = title; TEXT.launcherName = title; }
  var color = option("color");
  var brandColor = color && window.CSS && window.CSS.supports && window.CSS.supports("color", color) ? color : "";
  var position = option("position").toLowerCase() === "left" ? "left" : "right";
  var suggested = option("suggestions").split("|").map(function (q) { return q.trim().slice(0, 200); })
    .filter(Boolean).slice(0, 6);
  if (suggested.length) { SUGGESTIONS = suggested; }

  // ------------------------------------------------------------------ page-session state

  var STORE_KEY = "ascc-bot:v1:" + apiBase;

  function newId() {
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes); // randomUUID needs https; this does not
    return Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  }

  function loadState() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(STORE_KEY) || "null");
      if (saved && saved.v === 1 && typeof saved.sessionId === "string" && Array.isArray(saved.messages)) {
        return saved;
      }
    } catch (e) { /* storage blocked or corrupt: start afresh */ }
    return { v: 1, sessionId: newId(), open: false, messages: [] };
  }

  var state = loadState();

  function saveState() {
    state.messages = state.messages.slice(-MAX_STORED_MESSAGES);
    try {
      window.sessionStorage.setItem(STORE_KEY, JSON.stringify(state));
    } catch (e) { /* private mode or full: history then lasts as long as the page */ }
  }

  // ------------------------------------------------------------------ DOM helpers (text only, never HTML)

  function h(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      var value = props[key];
      if (value === null || value === undefined || value === false) { return; }
      if (key === "text") {
        node.textContent = value;
      } else if (key === "class") {
        node.className = value;
      } else if (key.slice(0, 2) === "on") {
        node.addEventListener(key.slice(2), value);
      } else {
        node.setAttribute(key, value === true ? "" : String(value));
      }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }

  function icon(name) {
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", ICONS[name]);
    svg.appendChild(path);
    return svg;
  }

  // Only http(s) links to the bot's documents; anything else in a citation renders as plain text.
  function citationHref(citation) {
    try {
      var url = new URL(String(citation.url || ""), apiBase + "/");
      if (url.protocol !== "http:" && url.protocol !== "https:") { return null; }
      if (citation.quote) { url.searchParams.set("q", String(citation.quote).slice(0, 1500)); }
      return url.href;
    } catch (e) {
      return null;
    }
  }

  // ------------------------------------------------------------------ building the widget

  var host, shadow, root, panel, log, form, input, sendButton, launcher, typingNode = null;
  var isOpen = false;
  var busy = false;
  var uid = 0;

  // Styles through CSSOM, not a <style> element or a style attribute: a portal whose
  // Content-Security-Policy forbids inline styles still shows the widget as designed.
  function addStyles(target) {
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      target.adoptedStyleSheets = [sheet];
    } catch (e) { // browsers without constructable stylesheets
      target.appendChild(h("style", { text: CSS }));
    }
  }

  function greeting() {
    return h("div", { class: "msg msg-bot" }, [
      h("p", { class: "txt", text: TEXT.greeting }),
      h("p", { class: "hint", text: TEXT.suggest }),
      chips(SUGGESTIONS),
      h("p", { class: "links" }, [
        h("a", { href: apiBase + "/nhiem-vu", target: "_blank", rel: "noopener", text: TEXT.matrix }),
        calendarLink()
      ])
    ]);
  }

  function chips(questions) {
    return h("div", { class: "chips" }, questions.map(function (q) {
      return h("button", { type: "button", class: "chip", text: q, onclick: function () { ask(q); } });
    }));
  }

  function calendarLink() {
    return h("a", { href: apiBase + "/api/calendar.ics", download: "han-va-moc-thuc-hien.ics", text: TEXT.calendar });
  }

  function build() {
    host = document.createElement("ascc-bot-widget"); // an unknown tag: page rules for div/section miss it
    host.style.setProperty("all", "initial");
    host.style.setProperty("position", "static");
    shadow = host.attachShadow({ mode: "open" });
    addStyles(shadow);

    log = h("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": TEXT.logName, tabindex: "0" },
      [greeting()]);
    input = h("input", {
      id: "ascc-q", type: "text", maxlength: MAX_CHARS, autocomplete: "off", enterkeyhint: "send",
      placeholder: TEXT.placeholder
    });
    sendButton = h("button", { type: "submit", class: "send" }, [icon("send"), h("span", { text: TEXT.send })]);
    form = h("form", { class: "composer", onsubmit: function (event) { event.preventDefault(); ask(input.value); } },
      [h("label", { for: "ascc-q", class: "sr", text: TEXT.input }), input, sendButton]);
    panel = h("section", {
      id: "ascc-panel", class: "panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "ascc-title",
      hidden: true
    }, [
      h("div", { class: "head" }, [
        h("div", { class: "head-title" }, [h("h2", { id: "ascc-title", text: TEXT.title }),
          h("p", { text: TEXT.subtitle })]),
        h("button", { type: "button", class: "fresh", "aria-label": TEXT.fresh, title: TEXT.fresh,
          onclick: function () { startOver(); } }, [icon("fresh")]),
        h("button", { type: "button", class: "close", "aria-label": TEXT.close, title: TEXT.close,
          onclick: function () { close(true); } }, [icon("close")])
      ]),
      log, form,
      h("p", { class: "note", text: TEXT.disclaimer })
    ]);
    // after the panel in the DOM, so Tab goes from the composer back to the launcher
    launcher = h("button", {
      type: "button", class: "launcher", "aria-label": TEXT.launcherName, "aria-expanded": "false",
      "aria-controls": "ascc-panel", onclick: function () { toggle(); }
    }, [icon("chat"), h("span", { text: TEXT.launcher })]);
    root = h("div", { class: "root" + (position === "left" ? " pos-left" : "") }, [panel, launcher]);
    if (brandColor) { root.style.setProperty("--brand", brandColor); }
    root.addEventListener("keydown", function (event) {
      if ((event.key === "Escape" || event.key === "Esc") && isOpen) {
        event.preventDefault();
        close(true);
      } else if (event.key === "Tab" && isOpen && fullScreen()) {
        keepFocusInside(event);
      }
    });
    shadow.appendChild(root);

    state.messages.forEach(function (message) { log.appendChild(renderMessage(message)); });
    document.body.appendChild(host);
    if (state.open) { open(false); } // stays open across the portal's pages, without stealing focus
  }

  // ------------------------------------------------------------------ messages

  function renderMessage(message) {
    if (message.role === "user") {
      return h("div", { class: "msg msg-user" }, [h("p", { class: "txt", text: message.text })]);
    }
    var children = [h("p", { class: "txt", text: message.text })];
    var citations = Array.isArray(message.citations) ? message.citations : [];
    if (citations.length) { children.push(renderSources(citations)); }
    if (message.intent === "deadline") { children.push(h("p", { class: "links" }, [calendarLink()])); }
    var more = Array.isArray(message.suggestions) ? message.suggestions.slice(0, 3) : [];
    if (more.length) { children.push(h("p", { class: "hint", text: TEXT.more }), chips(more)); }
    if (message.answerId) { children.push(renderFeedback(message)); }
    return h("div", { class: "msg msg-bot" }, children);
  }

  // heading is "<short title>, <label>": the title names the document once, the labels are the links
  function docTitleOf(citation) {
    var label = String(citation.label || "");
    var heading = String(citation.heading || "");
    return label && heading.slice(-label.length - 2) === ", " + label ? heading.slice(0, -label.length - 2) : heading;
  }

  function renderSources(citations) {
    var groups = [];
    citations.forEach(function (citation) {
      var title = docTitleOf(citation);
      var group = groups.filter(function (g) { return g.title === title; })[0];
      if (!group) { groups.push(group = { title: title, items: [] }); }
      group.items.push(citation);
    });
    var children = [];
    groups.forEach(function (group) {
      children.push(h("p", { class: "sources-title", text: TEXT.sources + (group.title ? " — " + group.title : "") }));
      children.push(h("ul", { class: "cites" }, group.items.map(renderCitation)));
    });
    return h("div", { class: "sources" }, children);
  }

  function renderCitation(citation) {
    var label = String(citation.label || citation.section_id || "");
    var href = citationHref(citation);
    var title = TEXT.openSource + (citation.heading || label);
    return h("li", null, [href
      ? h("a", { href: href, target: "_blank", rel: "noopener", title: title },
        [document.createTextNode(label), icon("open")])
      : h("span", { text: label })]);
  }

  function renderFeedback(message) {
    var status = h("span", { class: "fb-status", role: "status" });
    var upButton, downButton;
    var comment = h("textarea", { id: "ascc-c" + (++uid), maxlength: MAX_CHARS, rows: "2" });
    var commentForm = h("form", { class: "fb-form", hidden: true }, [
      h("label", { for: comment.id, text: TEXT.commentLabel }),
      comment,
      h("div", { class: "row" }, [
        h("button", { type: "submit", class: "btn", text: TEXT.commentSubmit }),
        h("button", { type: "button", class: "btn btn-quiet", text: TEXT.commentSkip, onclick: function () {
          commentForm.hidden = true;
          downButton.focus();
        } })
      ])
    ]);

    function pressed() {
      upButton.setAttribute("aria-pressed", String(message.rating === "up"));
      downButton.setAttribute("aria-pressed", String(message.rating === "down"));
    }

    var queue = Promise.resolve(); // one request at a time, so a comment never lands before its 👎
    function rate(rating, text, done) {
      message.rating = rating;
      pressed();
      saveState();
      var body = { question: message.question, answer_id: message.answerId, rating: rating, comment: text };
      queue = queue.then(function () { return sendFeedback(body); }).then(
        function () { status.textContent = done; },
        function () { status.textContent = TEXT.feedbackFailed; });
    }

    upButton = h("button", { type: "button", "aria-label": TEXT.up, title: TEXT.up, onclick: function () {
      commentForm.hidden = true;
      rate("up", "", TEXT.thanks);
    } }, [icon("up")]);
    downButton = h("button", { type: "button", "aria-label": TEXT.down, title: TEXT.down, onclick: function () {
      // the 👎 counts at once; the comment, if any, then completes the same record
      rate("down", "", TEXT.thanks);
      commentForm.hidden = false;
      comment.focus();
    } }, [icon("down")]);
    commentForm.addEventListener("submit", function (event) {
      event.preventDefault();
      commentForm.hidden = true;
      rate("down", comment.value.trim(), TEXT.thanksComment);
    });
    pressed();
    return h("div", null, [
      h("div", { class: "fb", role: "group", "aria-label": TEXT.rateQuestion }, [
        h("span", { class: "fb-q", text: TEXT.rateQuestion, "aria-hidden": "true" }), upButton, downButton, status
      ]),
      commentForm
    ]);
  }

  function sendFeedback(body) {
    return request("/api/feedback", body).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
    });
  }

  function addMessage(message) {
    state.messages.push(message);
    saveState();
    var node = renderMessage(message);
    log.appendChild(node);
    return node;
  }

  function showTyping(on) {
    if (on && !typingNode) {
      typingNode = h("div", { class: "msg msg-bot typing" }, [
        h("span", { class: "dots", "aria-hidden": "true" }, [h("i"), h("i"), h("i")]),
        h("span", { text: TEXT.typing + "…" })
      ]);
      log.appendChild(typingNode);
      scrollToEnd();
    } else if (!on && typingNode) {
      typingNode.remove();
      typingNode = null;
    }
  }

  function showError(text, retry, waitSeconds) {
    var retryButton = retry ? h("button", { type: "button", class: "btn", text: TEXT.retry }) : null;
    var node = h("div", { class: "msg msg-error" }, [h("p", { text: text }), retryButton]);
    if (retryButton) {
      retryButton.addEventListener("click", function () {
        node.remove();
        retry();
      });
      if (waitSeconds) { // retrying before Retry-After would only be refused again
        retryButton.disabled = true;
        setTimeout(function () { retryButton.disabled = false; }, waitSeconds * 1000);
      }
    }
    log.appendChild(node);
    scrollToEnd();
  }

  function scrollToEnd() { log.scrollTop = log.scrollHeight; }

  // A long answer is read from its start, not its end; the question stays in sight when both fit.
  function scrollToAnswer(node) {
    var question = node.previousElementSibling;
    var top = node.offsetTop;
    if (question && node.offsetTop + node.offsetHeight - question.offsetTop <= log.clientHeight - 24) {
      top = question.offsetTop;
    }
    log.scrollTop = Math.max(0, top - 12); // .log is positioned, so offsetTop is within it
  }

  // ------------------------------------------------------------------ talking to the bot

  function request(path, body) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, TIMEOUT_MS) : null;
    return fetch(apiBase + path, {
      method: "POST",
      mode: "cors",
      credentials: "omit",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body),
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      clearTimeout(timer);
      return response;
    }, function (error) {
      clearTimeout(timer);
      throw error;
    });
  }

  function ask(question) {
    question = String(question || "").trim();
    if (!root || !question || busy) { return; }
    if (!isOpen) { open(true); }
    if (question.length > MAX_CHARS) {
      showError(TEXT.tooLong, null);
      return;
    }
    input.value = "";
    addMessage({ role: "user", text: question });
    scrollToEnd();
    fetchAnswer(question);
  }

  function fetchAnswer(question) {
    setBusy(true);
    request("/api/ask", { question: question, session_id: state.sessionId, channel: "widget" }).then(function (response) {
      if (response.ok) {
        return response.json().then(function (data) {
          setBusy(false);
          var node = addMessage({
            role: "bot", text: String(data.answer || ""), question: question,
            answerId: String(data.answer_id || ""), answerable: !!data.answerable, intent: String(data.intent || ""),
            suggestions: (Array.isArray(data.suggestions) ? data.suggestions : []).map(String).slice(0, 3),
            citations: (data.citations || []).map(function (c) {
              return { doc_id: c.doc_id, section_id: c.section_id, label: c.label, heading: c.heading,
                quote: c.quote, url: c.url };
            })
          });
          scrollToAnswer(node);
        });
      }
      setBusy(false);
      var again = function () { fetchAnswer(question); };
      if (response.status === 429) {
        var wait = Math.min(Math.max(parseInt(response.headers.get("Retry-After"), 10) || 10, 1), 120);
        showError(TEXT.errRate.replace("{s}", String(wait)), again, wait);
      } else if (response.status >= 500) {
        showError(TEXT.errServer, again);
      } else { // 4xx: the server says in Vietnamese what is wrong with the question; retrying won't help
        return response.json().then(function (data) {
          showError(typeof data.detail === "string" ? data.detail : TEXT.errBad, null);
        }, function () { showError(TEXT.errBad, null); });
      }
    }).catch(function (error) {
      setBusy(false);
      var again = function () { fetchAnswer(question); };
      if (error && error.name === "AbortError") {
        showError(TEXT.errTimeout, again);
        return;
      }
      // The browser hides why a request failed. A server that refuses this page's origin says so to a
      // plain GET (readable by design), so ask it before blaming the network.
      whyRefused().then(function (detail) {
        if (detail) {
          showError(TEXT.errOrigin + detail, null);
        } else {
          showError(TEXT.errNetwork, again);
        }
      });
    });
  }

  function whyRefused() {
    return fetch(apiBase + "/api/documents", { mode: "cors", credentials: "omit" }).then(function (response) {
      if (response.status !== 403) { return ""; }
      return response.json().then(function (data) {
        return typeof data.detail === "string" ? data.detail : "";
      }, function () { return ""; });
    }, function () { return ""; });
  }

  function setBusy(on) {
    busy = on;
    sendButton.setAttribute("aria-disabled", String(on));
    log.setAttribute("aria-busy", String(on));
    showTyping(on);
  }

  // ------------------------------------------------------------------ open / close

  function open(focus) {
    if (!root) { return; } // called through AsccBot before the page finished loading
    if (!isOpen) {
      isOpen = true;
      panel.hidden = false;
      panel.setAttribute("aria-modal", String(fullScreen()));
      root.classList.add("is-open");
      launcher.setAttribute("aria-expanded", "true");
      state.open = true;
      saveState();
      scrollToEnd();
    }
    if (focus !== false) { input.focus(); }
  }

  function close(restoreFocus) {
    if (!root || !isOpen) { return; }
    isOpen = false;
    panel.hidden = true;
    root.classList.remove("is-open");
    launcher.setAttribute("aria-expanded", "false");
    state.open = false;
    saveState();
    if (restoreFocus) { launcher.focus(); }
  }

  function startOver() {
    if (busy) { return; }
    state.messages = [];
    state.sessionId = newId(); // the server forgets the old context with it
    saveState();
    while (log.firstChild) { log.removeChild(log.firstChild); }
    log.appendChild(greeting());
    input.value = "";
    input.focus();
  }

  // On a phone the panel covers the page: Tab must not walk into the page hidden behind it.
  function fullScreen() {
    return window.matchMedia && window.matchMedia("(max-width:480px)").matches;
  }

  function keepFocusInside(event) {
    var all = panel.querySelectorAll("button,input,textarea,a[href],[tabindex]:not([tabindex='-1'])");
    var focusable = Array.prototype.filter.call(all, function (node) {
      return !node.disabled && node.getClientRects().length > 0;
    });
    if (!focusable.length) { return; }
    var first = focusable[0];
    var last = focusable[focusable.length - 1];
    var current = shadow.activeElement;
    if (event.shiftKey && (current === first || !panel.contains(current))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (current === last || !panel.contains(current))) {
      event.preventDefault();
      first.focus();
    }
  }

  function toggle() {
    if (isOpen) { close(true); } else { open(true); }
  }

  window.AsccBot = Object.freeze({
    version: VERSION,
    open: function () { open(true); },
    close: function () { close(false); },
    toggle: toggle,
    ask: function (question) { ask(question); }
  });

  if (!document.body) {
    document.addEventListener("DOMContentLoaded", build);
  } else {
    build();
  }
})();
