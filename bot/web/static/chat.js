/*
 * Chat widget of the clinic page. Plain JavaScript, no build step, no external resources.
 *
 * Talks to Rasa's socket.io channel (bot.channels.socketio.RestrictedSocketIOInput):
 *   -> session_request {session_id}         <- session_confirm "<session id>"
 *   -> user_uttered {message, session_id}   <- bot_uttered {text, quick_replies?: [{title, payload}]}
 * What is typed before the session is confirmed is shown at once as "sending" and sent in order on
 * session_confirm; after QUEUE_TIMEOUT_MS without a connection it is marked "not sent" with a
 * retry button. After each quoted answer (its "Source:" line) the widget offers "Helpful? Yes /
 * No"; a click sends the payload /feedback{"helpful": "yes"|"no"}, which the server stores without
 * running the model, without replying and without changing the conversation (bot/feedback.py).
 * The session id and the rendered conversation are kept in sessionStorage, so a reload in the
 * same tab shows the same conversation and the bot keeps its context (session_persistence).
 *
 * Everything the user or the bot says is inserted as text (textContent / text nodes), never as
 * HTML. Only http(s) URLs found in bot text become links, built as DOM elements.
 */
(function () {
  "use strict";

  var KEYS = {
    session: "clinicChat.sessionId",
    history: "clinicChat.history",
    open: "clinicChat.open",
    greeted: "clinicChat.greeted"
  };
  var MAX_HISTORY = 300;
  var MAX_MESSAGE = 500;
  var REPLY_TIMEOUT_MS = 45000;
  var QUEUE_TIMEOUT_MS = 15000;
  var SOURCE_LINE = /^\s*Source:/;
  var SMALL_SCREEN = "(max-width: 640px)";
  var BULLET = /^\s*(?:[\u2022\u25E6\u2023\u25AA]|-)\s+/;
  var URL_CANDIDATE = /https?:\/\/[^\s<>"'`]+/gi;

  // ---------------------------------------------------------------- text -> DOM, safely

  function el(tag, className) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    return node;
  }

  function hiddenText(text) {
    var span = el("span", "visually-hidden");
    span.textContent = text;
    return span;
  }

  /* Trailing punctuation belongs to the sentence, not to the URL. */
  function trimUrl(candidate) {
    var url = candidate;
    for (;;) {
      var last = url.charAt(url.length - 1);
      if (".,;:!?'\"]}".indexOf(last) >= 0) {
        url = url.slice(0, -1);
      } else if (last === ")" && url.split("(").length < url.split(")").length) {
        url = url.slice(0, -1);
      } else {
        return url;
      }
    }
  }

  function safeHttpUrl(text) {
    try {
      var url = new URL(text);
      return url.protocol === "http:" || url.protocol === "https:" ? url : null;
    } catch (e) {
      return null;
    }
  }

  /* Appends `text` to `parent` as text nodes, with http(s) URLs as links opening in a new tab. */
  function appendInline(parent, text) {
    var last = 0;
    var match;
    URL_CANDIDATE.lastIndex = 0;
    while ((match = URL_CANDIDATE.exec(text)) !== null) {
      var raw = trimUrl(match[0]);
      var url = safeHttpUrl(raw);
      if (!url) continue;
      if (match.index > last) parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      var link = el("a", "msg__link");
      link.href = url.href;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      link.textContent = raw;
      link.appendChild(hiddenText(" (opens in a new tab)"));
      parent.appendChild(link);
      last = match.index + raw.length;
      URL_CANDIDATE.lastIndex = last;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  /* Bot text: paragraphs (blank lines or line breaks) and "• " bullet lists. */
  function formatText(text) {
    var fragment = document.createDocumentFragment();
    var lines = String(text == null ? "" : text).replace(/\r\n?/g, "\n").split("\n");
    var list = null;
    lines.forEach(function (line) {
      if (!line.trim()) {
        list = null;
        return;
      }
      if (BULLET.test(line)) {
        if (!list) {
          list = el("ul", "msg__list");
          fragment.appendChild(list);
        }
        var item = el("li");
        appendInline(item, line.replace(BULLET, "").trim());
        list.appendChild(item);
      } else {
        list = null;
        var paragraph = el("p");
        appendInline(paragraph, line.trim());
        fragment.appendChild(paragraph);
      }
    });
    return fragment;
  }

  // ---------------------------------------------------------------- storage (may be disabled)

  var store = {
    get: function (key) {
      try { return window.sessionStorage.getItem(key); } catch (e) { return null; }
    },
    set: function (key, value) {
      try { window.sessionStorage.setItem(key, value); } catch (e) { /* private mode: memory only */ }
    },
    history: function () {
      try {
        var items = JSON.parse(store.get(KEYS.history) || "[]");
        return Array.isArray(items) ? items.filter(validEntry) : [];
      } catch (e) {
        return [];
      }
    }
  };

  function validEntry(entry) {
    return entry && (entry.from === "user" || entry.from === "bot") && typeof entry.text === "string";
  }

  var lastId = 0;
  function newId() {
    lastId += 1;
    return Date.now().toString(36) + "-" + lastId;
  }

  function cleanButtons(buttons) {
    if (!Array.isArray(buttons)) return [];
    return buttons.filter(function (b) {
      return b && typeof b.title === "string" && typeof b.payload === "string" && b.title.trim();
    }).map(function (b) { return { title: b.title, payload: b.payload }; });
  }

  // ---------------------------------------------------------------- the widget

  function Widget(config) {
    this.config = config;
    this.panel = document.getElementById("chat-panel");
    this.launch = document.getElementById("chat-launch");
    this.closeButton = document.getElementById("chat-close");
    this.log = document.getElementById("chat-log");
    this.status = document.getElementById("chat-status");
    this.typing = document.getElementById("chat-typing");
    this.form = document.getElementById("chat-form");
    this.input = document.getElementById("chat-input");
    this.send = document.getElementById("chat-send");
    this.offlineText = document.getElementById("chat-offline-text");
    this.history = store.history();
    this.sessionId = store.get(KEYS.session);
    this.socket = null;
    this.ready = false;
    this.statusKind = null;
    this.replyTimer = null;
    this.queueTimers = {};
    this.smallScreen = window.matchMedia ? window.matchMedia(SMALL_SCREEN) : null;
  }

  Widget.prototype.start = function () {
    var self = this;
    this.launch.addEventListener("click", function () { self.open(); });
    this.closeButton.addEventListener("click", function () { self.close(); });
    this.panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        self.close();
      }
    });
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.submit();
    });
    if (this.smallScreen && this.smallScreen.addEventListener) {
      this.smallScreen.addEventListener("change", function () { self.updateModality(); });
    }
    this.renderHistory();
    this.setReady(false);
    // typed before a reload and never sent: waiting again (sent once connected, or failed)
    this.waiting().forEach(function (entry) { self.startClock(entry); });
    if (store.get(KEYS.open) === "1") this.open({ focus: false });
  };

  Widget.prototype.open = function (options) {
    this.panel.hidden = false;
    this.launch.setAttribute("aria-expanded", "true");
    store.set(KEYS.open, "1");
    this.updateModality();
    this.scrollToEnd();
    this.connect();
    if (!options || options.focus !== false) this.input.focus();
  };

  Widget.prototype.close = function () {
    this.panel.hidden = true;
    this.launch.setAttribute("aria-expanded", "false");
    store.set(KEYS.open, "0");
    this.updateModality();
    this.launch.focus();
  };

  /* Full-screen on a phone: the page behind is inert, the dialog is modal. On a wide screen the
     page moves aside (CSS, .chat-is-open). */
  Widget.prototype.updateModality = function () {
    document.documentElement.classList.toggle("chat-is-open", !this.panel.hidden);
    var modal = !this.panel.hidden && !!(this.smallScreen && this.smallScreen.matches);
    this.panel.setAttribute("aria-modal", modal ? "true" : "false");
    document.querySelectorAll("[data-page-part]").forEach(function (part) {
      if (modal) part.setAttribute("inert", "");
      else part.removeAttribute("inert");
    });
  };

  // ------------------------------------------------------------ connection

  Widget.prototype.connect = function () {
    if (this.socket) return;
    var self = this;
    if (!this.config || typeof window.io !== "function") {
      this.showOffline();
      return;
    }
    var socket = window.io(this.config.socketUrl, {
      path: this.config.socketPath || "/socket.io",
      reconnection: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 5000,
      randomizationFactor: 0.3,
      timeout: 10000
    });
    this.socket = socket;

    socket.on("connect", function () {
      socket.emit("session_request", { session_id: self.sessionId || null });
    });
    socket.on("session_confirm", function (sessionId) {
      var id = typeof sessionId === "string" ? sessionId : sessionId && sessionId.session_id;
      if (!id) return;
      self.sessionId = id;
      store.set(KEYS.session, id);
      self.setReady(true);
      self.clearStatus();
      var botSpoke = self.history.some(function (entry) { return entry.from === "bot"; });
      if (!botSpoke && store.get(KEYS.greeted) !== "1") {
        store.set(KEYS.greeted, "1");
        self.emit("/greet");
      }
      self.flush();
    });
    socket.on("bot_uttered", function (message) { self.receive(message); });
    socket.on("connect_error", function () {
      self.setReady(false);
      self.showOffline();
    });
    socket.on("disconnect", function (reason) {
      self.setReady(false);
      self.hideTyping();
      if (reason === "io client disconnect") return;
      self.showOffline();
      // the server closed the socket: socket.io does not retry by itself in that case
      if (reason === "io server disconnect") {
        window.setTimeout(function () { socket.connect(); }, 2000);
      }
    });
  };

  Widget.prototype.setReady = function (ready) {
    this.ready = ready;
    this.panel.setAttribute("data-connection", ready ? "online" : "offline");
  };

  /* One status line above the conversation (a live region): "offline" or "slow". */
  Widget.prototype.setStatus = function (kind, text) {
    this.statusKind = kind;
    text = text.replace(/\s+/g, " ").trim();
    // the same text again (every reconnection attempt) is not announced again
    if (this.status.textContent !== text) this.status.textContent = text;
  };

  Widget.prototype.clearStatus = function (kind) {
    if (kind && this.statusKind !== kind) return;
    this.statusKind = null;
    this.status.textContent = "";
  };

  Widget.prototype.showOffline = function () {
    this.setStatus("offline", this.offlineText ? this.offlineText.textContent :
      "Sorry, the assistant can't be reached at the moment. We'll keep trying to reconnect.");
  };

  Widget.prototype.emit = function (message) {
    this.socket.emit("user_uttered", { message: message, session_id: this.sessionId });
    this.showTyping();
  };

  // ------------------------------------------------------------ conversation

  Widget.prototype.submit = function () {
    var text = this.input.value.trim();
    if (!text) return;
    this.say(text.slice(0, MAX_MESSAGE), text.slice(0, MAX_MESSAGE));
    this.input.value = "";
  };

  /* The user's message (shown at once) and what is sent (a button's payload, or the text itself):
     sent now when the session is confirmed, otherwise queued until it is. */
  Widget.prototype.say = function (shown, payload) {
    this.clearStatus("slow");
    var entry = { from: "user", text: shown, id: newId(), state: "sending" };
    if (payload !== shown) entry.payload = payload;
    this.add(entry);
    this.startClock(entry);
    this.flush();
  };

  Widget.prototype.waiting = function () {
    return this.history.filter(function (entry) {
      return entry.from === "user" && entry.state === "sending";
    });
  };

  /* A queued message that is not sent within QUEUE_TIMEOUT_MS is marked "not sent". */
  Widget.prototype.startClock = function (entry) {
    var self = this;
    if (!entry.id) entry.id = newId();
    window.clearTimeout(this.queueTimers[entry.id]);
    this.queueTimers[entry.id] = window.setTimeout(function () {
      delete self.queueTimers[entry.id];
      if (entry.state !== "sending") return;
      entry.state = "failed";
      self.save();
      self.showState(entry);
      self.showOffline();
    }, QUEUE_TIMEOUT_MS);
  };

  /* Sends the queued messages, in order, once the session is confirmed. */
  Widget.prototype.flush = function () {
    var self = this;
    var waiting = this.waiting();
    if (!waiting.length) return;
    if (!this.ready) {
      this.connect();
      return;
    }
    waiting.forEach(function (entry) {
      window.clearTimeout(self.queueTimers[entry.id]);
      delete self.queueTimers[entry.id];
      delete entry.state;
      self.emit(typeof entry.payload === "string" ? entry.payload : entry.text);
      self.showState(entry);
    });
    this.save();
  };

  Widget.prototype.retry = function (entry) {
    entry.state = "sending";
    this.save();
    this.showState(entry);
    this.input.focus();
    this.startClock(entry);
    this.flush();
  };

  /* "Sending..." or "Not sent" with a retry button, under a user message; nothing once sent. */
  Widget.prototype.showState = function (entry) {
    var node = entry.id && this.log.querySelector('[data-entry="' + entry.id + '"]');
    if (node) this.fillState(node, entry);
  };

  Widget.prototype.fillState = function (node, entry) {
    var self = this;
    var old = node.querySelector(".msg__state");
    if (old) old.remove();
    node.classList.toggle("msg--sending", entry.state === "sending");
    node.classList.toggle("msg--failed", entry.state === "failed");
    if (entry.state !== "sending" && entry.state !== "failed") return;
    var state = el("p", "msg__state");
    if (entry.state === "sending") {
      state.textContent = "Sending\u2026";
    } else {
      state.textContent = "Not sent. ";
      var retry = el("button", "msg__retry");
      retry.type = "button";
      retry.textContent = "Retry";
      retry.setAttribute("aria-label", "Retry sending your message");
      retry.addEventListener("click", function () { self.retry(entry); });
      state.appendChild(retry);
    }
    node.appendChild(state);
  };

  /* The patient's one-click opinion of an answer; nothing is said back by the bot. */
  Widget.prototype.giveFeedback = function (entry, helpful) {
    if (!this.ready) {
      this.showOffline();
      return;
    }
    this.socket.emit("user_uttered", {
      message: "/feedback" + JSON.stringify({ helpful: helpful ? "yes" : "no" }),
      session_id: this.sessionId
    });
    entry.feedback = helpful ? "yes" : "no";
    this.save();
    var node = this.log.querySelector('[data-entry="' + entry.id + '"]');
    var group = node && node.querySelector(".feedback");
    if (group) group.replaceWith(this.renderFeedback(entry));
    this.input.focus();
  };

  Widget.prototype.renderFeedback = function (entry) {
    var self = this;
    if (entry.feedback === "yes" || entry.feedback === "no") {
      var thanks = el("p", "feedback feedback--given");
      thanks.textContent = "Thank you for your feedback.";
      return thanks;
    }
    var group = el("div", "feedback");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Was this answer helpful?");
    var label = el("span", "feedback__label");
    label.setAttribute("aria-hidden", "true");
    label.textContent = "Helpful?";
    group.appendChild(label);
    [["Yes", true], ["No", false]].forEach(function (choice) {
      var button = el("button", "feedback__button");
      button.type = "button";
      button.textContent = choice[0];
      button.addEventListener("click", function () { self.giveFeedback(entry, choice[1]); });
      group.appendChild(button);
    });
    return group;
  };

  /* Feedback still offered (not given) is withdrawn: the patient moved on, or a later source
     line of the same answer carries the offer instead. */
  Widget.prototype.withdrawFeedback = function () {
    var self = this;
    this.history.forEach(function (entry) {
      if (entry.feedback !== "offered") return;
      delete entry.feedback;
      var node = self.log.querySelector('[data-entry="' + entry.id + '"]');
      var group = node && node.querySelector(".feedback");
      if (group) group.remove();
    });
  };

  Widget.prototype.save = function () {
    store.set(KEYS.history, JSON.stringify(this.history));
  };

  Widget.prototype.receive = function (message) {
    if (!message || typeof message !== "object") return;
    var text = typeof message.text === "string" ? message.text : "";
    var buttons = cleanButtons(message.quick_replies || message.buttons);
    if (!text.trim() && !buttons.length) return;
    this.hideTyping();
    this.clearStatus("slow");
    var entry = { from: "bot", text: text, buttons: buttons, id: newId() };
    if (SOURCE_LINE.test(text)) {
      this.withdrawFeedback();
      entry.feedback = "offered";
    }
    this.add(entry);
  };

  Widget.prototype.add = function (entry) {
    if (entry.from === "user") {
      // an answer was given: earlier suggestions are no longer offered
      this.history.forEach(function (old) { delete old.buttons; });
      this.log.querySelectorAll(".quick-replies").forEach(function (group) { group.remove(); });
      this.withdrawFeedback();
    }
    if (entry.buttons && !entry.buttons.length) delete entry.buttons;
    this.history.push(entry);
    if (this.history.length > MAX_HISTORY) this.history.splice(0, this.history.length - MAX_HISTORY);
    this.save();
    var node = this.render(entry);
    this.log.appendChild(node);
    this.reveal(node, entry);
  };

  Widget.prototype.renderHistory = function () {
    var self = this;
    this.log.textContent = "";
    this.history.forEach(function (entry) { self.log.appendChild(self.render(entry)); });
  };

  Widget.prototype.render = function (entry) {
    var self = this;
    var node = el("div", "msg msg--" + entry.from);
    if (!entry.id) entry.id = newId();
    node.setAttribute("data-entry", entry.id);
    if (entry.from === "user") {
      node.appendChild(hiddenText("You: "));
      var paragraph = el("p");
      paragraph.textContent = entry.text;
      node.appendChild(paragraph);
      this.fillState(node, entry);
      return node;
    }
    if (SOURCE_LINE.test(entry.text)) node.classList.add("msg--source");
    node.appendChild(hiddenText("Assistant: "));
    node.appendChild(formatText(entry.text));
    if (entry.buttons && entry.buttons.length) {
      var group = el("div", "quick-replies");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "Suggested answers");
      entry.buttons.forEach(function (button) {
        var choice = el("button", "quick-replies__button");
        choice.type = "button";
        choice.textContent = button.title;
        choice.addEventListener("click", function () {
          self.say(button.title, button.payload);
          self.input.focus();
        });
        group.appendChild(choice);
      });
      node.appendChild(group);
    }
    if (entry.feedback) node.appendChild(this.renderFeedback(entry));
    return node;
  };

  /* A user message scrolls to the end; a long bot answer is shown from its start. */
  Widget.prototype.reveal = function (node, entry) {
    if (entry.from === "user") {
      this.turnStart = null;
      this.scrollToEnd();
      return;
    }
    if (!this.turnStart || this.turnStart.parentNode !== this.log) this.turnStart = node;
    var top = this.turnStart.offsetTop - 8;
    var end = this.log.scrollHeight - this.log.clientHeight;
    this.log.scrollTop = Math.max(Math.min(top, end), 0);
  };

  Widget.prototype.scrollToEnd = function () {
    this.log.scrollTop = this.log.scrollHeight;
  };

  Widget.prototype.showTyping = function () {
    var self = this;
    this.typing.textContent = "";
    var dots = el("span", "typing-dots");
    dots.setAttribute("aria-hidden", "true");
    for (var i = 0; i < 3; i++) dots.appendChild(el("span", "typing-dots__dot"));
    this.typing.appendChild(dots);
    this.typing.appendChild(hiddenText("The assistant is typing"));
    this.typing.classList.add("is-typing");
    window.clearTimeout(this.replyTimer);
    this.replyTimer = window.setTimeout(function () {
      self.hideTyping();
      self.setStatus("slow", "The assistant did not answer. Please try asking again.");
    }, REPLY_TIMEOUT_MS);
  };

  Widget.prototype.hideTyping = function () {
    window.clearTimeout(this.replyTimer);
    this.typing.textContent = "";
    this.typing.classList.remove("is-typing");
  };

  // ---------------------------------------------------------------- start

  window.ClinicChat = Object.freeze({ formatText: formatText });

  function boot() {
    if (!document.getElementById("chat-panel")) return;
    var widget = new Widget(window.CLINIC_CHAT_CONFIG || null);
    widget.start();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
