/* Offline tolerance for the forms a peer fills in on the road (encounter, goal/step, measure answers).

   * A form marked data-draft keeps a draft on this device as the peer types (localStorage, only
     that form's own fields; never the CSRF token or files).
   * Submitted with no connection, it goes into an outbox on this device and is sent once when the
     connection returns, carrying the same idempotency key (hidden field "idempotency_key" and the
     "Idempotency-Key" header), so the server can recognise a resend.
   * The banner #offline-status says what is on this phone only and what reached the server.
   * Signing out deletes drafts and the outbox from the device (after a warning if unsent work); so does
     a different person signing in on the same device (data-device-owner on <body>).
   Texts come translated from data-* attributes of #offline-status (no strings in code). */
(function () {
  "use strict";
  var DRAFT = "pp:draft:", OUTBOX = "pp:outbox", SENT = "pp:sent", SUBMITTED = "pp:submitted", OWNER = "pp:owner";
  var SKIP = { csrfmiddlewaretoken: 1, idempotency_key: 1 };
  var flushing = false;
  var recentSent = []; // what reached the server, shown on this page and the next one

  function read(store, key, fallback) {
    try { var raw = store.getItem(key); return raw ? JSON.parse(raw) : fallback; } catch (e) { return fallback; }
  }
  function write(store, key, value) {
    try { store.setItem(key, JSON.stringify(value)); } catch (e) { /* storage full or disabled: the form still works online */ }
  }
  function text(name) {
    var el = document.getElementById("offline-status");
    return (el && el.dataset[name]) || "";
  }
  function timeNow() {
    return new Date().toLocaleTimeString(document.documentElement.lang || undefined, { hour: "2-digit", minute: "2-digit" });
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // ---- the form, its key and its fields --------------------------------------------------------
  function formKey(form) { return form.dataset.draft + ":" + location.pathname + location.search; }
  function idempotencyKey(form) {
    var input = form.querySelector("input[name=idempotency_key]");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "idempotency_key";
      form.appendChild(input);
    }
    if (!input.value) input.value = newKey();
    return input.value;
  }
  function fieldsOf(form, submitter, withHidden) {
    var data = submitter ? new FormData(form, submitter) : new FormData(form);
    var out = [];
    data.forEach(function (value, name) {
      if (typeof value !== "string") return; // files never go into a draft
      if (!withHidden && SKIP[name]) return;
      out.push([name, value]);
    });
    return out;
  }
  function actionOf(form) {
    var target = form.getAttribute("hx-post") || form.getAttribute("action") || location.href;
    return new URL(target, location.href).href;
  }

  // ---- drafts ----------------------------------------------------------------------------------
  function note(form) {
    var el = form.querySelector(".draft-note");
    if (!el) {
      el = document.createElement("p");
      el.className = "draft-note";
      var submit = form.querySelector("[type=submit]");
      (submit ? submit.parentNode : form).insertBefore(el, submit || null);
    }
    return el;
  }
  function saveDraft(form) {
    write(localStorage, DRAFT + formKey(form), { fields: fieldsOf(form, null, false), savedAt: Date.now() });
    var el = note(form);
    el.classList.remove("on-server");
    el.textContent = text("draftKept") + " (" + timeNow() + ")";
  }
  function fill(form, fields) {
    var byName = {};
    fields.forEach(function (pair) { (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]); });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIP[el.name] || el.type === "file" || el.type === "submit" || el.type === "button") return;
      var values = byName[el.name] || [];
      if (el.type === "checkbox" || el.type === "radio") el.checked = values.indexOf(el.value) !== -1;
      else if (el.multiple) Array.prototype.forEach.call(el.options, function (o) { o.selected = values.indexOf(o.value) !== -1; });
      else if (values.length) el.value = values[0];
    });
  }
  function restoreDraft(form) {
    var draft = read(localStorage, DRAFT + formKey(form), null);
    var hasErrors = form.querySelector(".errorlist");
    if (!draft || hasErrors) return; // a server-rendered form with errors already holds what was typed
    fill(form, draft.fields);
    note(form).textContent = text("draftRestored");
  }

  // ---- the outbox ------------------------------------------------------------------------------
  function outbox() { return read(localStorage, OUTBOX, []); }
  function saveOutbox(items) { write(localStorage, OUTBOX, items); }
  function enqueue(item) {
    // The same key is the same submission: pressing "Save" twice offline replaces, never adds.
    var items = outbox().filter(function (other) { return other.id !== item.id; });
    items.push(item);
    saveOutbox(items);
  }
  function itemFor(form, submitter) {
    return {
      id: idempotencyKey(form), action: actionOf(form), fields: fieldsOf(form, submitter, true),
      label: form.dataset.draftLabel || document.title, page: location.href, formKey: formKey(form),
      htmx: form.hasAttribute("hx-post"), state: "queued", queuedAt: Date.now(),
    };
  }
  function csrfToken(item) {
    for (var i = 0; i < item.fields.length; i++) if (item.fields[i][0] === "csrfmiddlewaretoken") return item.fields[i][1];
    return "";
  }
  function update(id, changes) {
    var items = outbox();
    items.forEach(function (item) { if (item.id === id) Object.assign(item, changes); });
    saveOutbox(items);
  }
  function remove(id) { saveOutbox(outbox().filter(function (item) { return item.id !== id; })); }
  function sentOne(item) {
    recentSent.unshift({ label: item.label, at: timeNow() });
    recentSent = recentSent.slice(0, 5);
    write(sessionStorage, SENT, recentSent);
    localStorage.removeItem(DRAFT + item.formKey);
  }

  function sendOne(item) {
    var headers = { "Idempotency-Key": item.id, "X-CSRFToken": csrfToken(item) };
    if (item.htmx) headers["HX-Request"] = "true";
    return fetch(item.action, {
      method: "POST", body: new URLSearchParams(item.fields), headers: headers,
      credentials: "same-origin", redirect: "follow",
    }).then(function (response) {
      if (response.redirected && response.url.indexOf("/accounts/login/") === -1) return "sent";
      if (!response.ok) return "attention";
      return response.text().then(function (body) {
        if (body.indexOf('class="errorlist"') !== -1) return "attention";
        return item.htmx ? "sent" : "attention"; // a page form that succeeded redirects
      });
    });
  }

  function flushAll() {
    var queue = outbox().filter(function (item) { return item.state === "queued" || item.state === "sending"; });
    var chain = Promise.resolve(true);
    queue.forEach(function (item) {
      chain = chain.then(function (goOn) {
        if (!goOn || !navigator.onLine) return false;
        update(item.id, { state: "sending" });
        render();
        return sendOne(item).then(function (outcome) {
          if (outcome === "sent") { remove(item.id); sentOne(item); } else update(item.id, { state: "attention" });
          return true;
        }, function () {
          update(item.id, { state: "queued" }); // still no connection: keep it, try again later
          return false;
        });
      });
    });
    return chain;
  }

  function flush() {
    if (flushing || !navigator.onLine || !outbox().some(function (i) { return i.state !== "attention"; })) return;
    flushing = true;
    var done = function () { flushing = false; render(); };
    // One sender across every open tab, so an item is never sent twice at the same time.
    var run = navigator.locks ? navigator.locks.request("pp-outbox", flushAll) : flushAll();
    Promise.resolve(run).then(done, done);
  }

  // ---- what the person sees --------------------------------------------------------------------
  function render() {
    var el = document.getElementById("offline-status");
    if (!el) return;
    var items = outbox(), sent = recentSent;
    el.textContent = "";
    var add = function (tag, content, cls) {
      var node = document.createElement(tag);
      if (content) node.textContent = content;
      if (cls) node.className = cls;
      el.appendChild(node);
      return node;
    };
    if (!navigator.onLine) add("p", text("offline"));
    var waiting = items.filter(function (i) { return i.state !== "attention"; });
    var attention = items.filter(function (i) { return i.state === "attention"; });
    if (waiting.length) {
      add("p", flushing && navigator.onLine ? text("sending") : text("queued"));
      var list = add("ul");
      waiting.forEach(function (i) {
        var li = document.createElement("li");
        li.textContent = i.label + " (" + new Date(i.queuedAt).toLocaleTimeString(document.documentElement.lang || undefined, { hour: "2-digit", minute: "2-digit" }) + ")";
        list.appendChild(li);
      });
    }
    if (attention.length) {
      add("p", text("attention"));
      var alist = add("ul");
      attention.forEach(function (i) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = i.page;
        a.textContent = i.label + " — " + text("open");
        li.appendChild(a);
        alist.appendChild(li);
      });
    }
    if (sent.length) {
      add("p", text("sent"), "sent");
      var slist = add("ul", null, "sent");
      sent.forEach(function (s) {
        var li = document.createElement("li");
        li.textContent = s.label + " (" + s.at + ")";
        slist.appendChild(li);
      });
    }
    el.hidden = !el.childNodes.length;
  }

  // ---- wiring ----------------------------------------------------------------------------------
  function settleLastSubmission() {
    var last = read(sessionStorage, SUBMITTED, null);
    sessionStorage.removeItem(SUBMITTED);
    if (!last) return;
    if (document.body.hasAttribute("data-offline-page")) {
      enqueue(last); // the connection dropped during a normal submit: keep it and send it later
      return;
    }
    var again = Array.prototype.filter.call(document.querySelectorAll("form[data-draft]"), function (f) {
      return formKey(f) === last.formKey && f.querySelector(".errorlist");
    });
    if (!again.length) localStorage.removeItem(DRAFT + last.formKey); // it reached the server
  }

  function onSubmit(event) {
    var form = event.target;
    if (form.matches("[data-sign-out]")) {
      if (outbox().length && !window.confirm(form.dataset.unsentWarning)) { event.preventDefault(); return; }
      Object.keys(localStorage).forEach(function (k) { if (k.indexOf("pp:") === 0) localStorage.removeItem(k); });
      Object.keys(sessionStorage).forEach(function (k) { if (k.indexOf("pp:") === 0) sessionStorage.removeItem(k); });
      return;
    }
    if (!form.matches("form[data-draft]")) return;
    // Tapping "Save" blurs the last field, whose "change" schedules a draft write; once submitted, the
    // form is in the outbox or on the server, so that late write must not bring the draft back.
    clearTimeout(form._ppDraftTimer);
    form._ppSubmitted = true;
    var item = itemFor(form, event.submitter);
    if (navigator.onLine) {
      if (!item.htmx) write(sessionStorage, SUBMITTED, item);
      else localStorage.removeItem(DRAFT + item.formKey);
      return; // the normal submit (or htmx) goes ahead
    }
    event.preventDefault();
    event.stopImmediatePropagation(); // before htmx sees it
    enqueue(item);
    localStorage.removeItem(DRAFT + item.formKey);
    var el = note(form);
    el.textContent = text("queuedNow");
    render();
  }

  document.addEventListener("submit", onSubmit, true);
  function forgetOtherPeople() {
    // Drafts and the outbox belong to the person who typed them: a different person signed in on this
    // device (the earlier session expired rather than signing out) never sees them; they are deleted.
    var owner = document.body.dataset.deviceOwner;
    if (!owner) return;
    if (localStorage.getItem(OWNER) !== owner) {
      Object.keys(localStorage).forEach(function (k) { if (k.indexOf("pp:") === 0) localStorage.removeItem(k); });
      Object.keys(sessionStorage).forEach(function (k) { if (k.indexOf("pp:") === 0) sessionStorage.removeItem(k); });
    }
    try { localStorage.setItem(OWNER, owner); } catch (e) { /* storage disabled: no drafts either */ }
  }

  document.addEventListener("DOMContentLoaded", function () {
    forgetOtherPeople();
    recentSent = read(sessionStorage, SENT, []);
    sessionStorage.removeItem(SENT);
    settleLastSubmission();
    document.querySelectorAll("form[data-draft]").forEach(function (form) {
      idempotencyKey(form);
      restoreDraft(form);
      var later = function (event) {
        if (event.type === "input") form._ppSubmitted = false; // typing again after a submit starts a new draft
        if (form._ppSubmitted) return;
        clearTimeout(form._ppDraftTimer);
        form._ppDraftTimer = setTimeout(function () { if (!form._ppSubmitted) saveDraft(form); }, 250);
      };
      form.addEventListener("input", later);
      form.addEventListener("change", later);
    });
    // Items that needed attention come back into their form as a draft when it is opened.
    outbox().forEach(function (item) {
      if (item.state !== "attention" || item.page !== location.href) return;
      document.querySelectorAll("form[data-draft]").forEach(function (form) {
        if (formKey(form) !== item.formKey) return;
        fill(form, item.fields.filter(function (p) { return !SKIP[p[0]]; }));
        remove(item.id);
        saveDraft(form);
      });
    });
    render();
    flush();
    var sw = document.body.dataset.sw;
    if (sw && "serviceWorker" in navigator) navigator.serviceWorker.register(sw, { scope: "/" }).catch(function () {});
  });
  window.addEventListener("online", function () { render(); flush(); });
  window.addEventListener("offline", render);
  window.addEventListener("storage", function (e) { if (e.key === OUTBOX) render(); });
})();
