// ZEL offline capture (issue 19). No inline script: the pages carry data- attributes (templates/base.html).
// - Registers the service worker (templates/support/sw.js), which keeps the offline page.
// - Keeps on the phone the least possible: the reference and name of the worker's own open households
//   ("zel-offline-caseload"), cleared at logout and after 7 days without reaching the server.
// - Keeps the visits saved without a connection ("zel-offline-queue-<user>"), each with the
//   idempotency key drawn when it was captured, and sends them one by one when the connection
//   returns (the "online" event) and at the next page opened online: the server makes each visit
//   at most once, and holds for review those it cannot record as they were captured.
(function () {
  "use strict";
  var body = document.body;
  var store;
  try { store = window.localStorage; } catch (e) { store = null; }
  var CASELOAD = "zel-offline-caseload";
  var QUEUE_PREFIX = "zel-offline-queue-";
  var MAX_AGE_MS = 7 * 24 * 3600 * 1000;
  var REFRESH_MS = 10 * 60 * 1000;
  var app = document.querySelector("[data-offline-app]");
  var user = body.dataset.offlineUser || "";
  var csrf = "";
  var sending = false;

  function read(key) {
    try { return JSON.parse(store.getItem(key)); } catch (e) { return null; }
  }
  function write(key, value) { store.setItem(key, JSON.stringify(value)); }
  var counterBox = document.querySelector("[data-offline-counter]");
  // Messages: the offline page's, else those every page carries on its counter.
  function msg(name) {
    var holder = [app, counterBox].filter(function (node) { return node && node.hasAttribute("data-msg-" + name); })[0];
    return holder ? holder.getAttribute("data-msg-" + name) : "";
  }

  function clearCaches() {
    if (!window.caches) return Promise.resolve();
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) { return name.indexOf("zel-offline-") === 0; })
        .map(function (name) { return caches.delete(name); }));
    }).catch(function () { return null; });
  }
  function clearCaseload() {
    if (store) store.removeItem(CASELOAD);
    return clearCaches();
  }

  // Signed out (the login page, the logged-out page): nothing of the caseload stays on the phone.
  // Queued visits stay, under their author: they are sent when that person signs in again.
  if (body.hasAttribute("data-offline-signed-out")) { if (store) clearCaseload(); return; }
  if (!body.dataset.sw) return;

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(body.dataset.sw, {scope: "/"}).then(function (registration) {
      var worker = registration.active || registration.waiting || registration.installing;
      if (worker && registration.active) registration.active.postMessage({type: "warm"});
    }).catch(function () { return null; });
  }
  if (!store || !user) return;

  // --- the caseload ------------------------------------------------------------------------------
  var expired = false;
  function caseload() {
    var kept = read(CASELOAD);
    if (!kept) return null;
    if (String(kept.user) !== user) { store.removeItem(CASELOAD); return null; }
    if (Date.now() - kept.savedAt > MAX_AGE_MS) { store.removeItem(CASELOAD); expired = true; return null; }
    return kept;
  }
  function reached() {
    var kept = caseload();
    if (kept) { kept.savedAt = Date.now(); write(CASELOAD, kept); }
  }

  function askJson(url, options) {
    return fetch(url, Object.assign({credentials: "same-origin", headers: {"Accept": "application/json"}}, options || {}))
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        // Signed out meanwhile: the login page answers instead (a redirect, or an HTML 403).
        if (response.redirected || type.indexOf("application/json") === -1) throw {kind: "login"};
        return response.json().then(function (data) { return {status: response.status, data: data}; });
      }, function () { throw {kind: "failed"}; });
  }

  function refreshCaseload() {
    return askJson(body.dataset.offlineCaseload).then(function (answer) {
      if (answer.status !== 200) throw {kind: "login"};
      csrf = answer.data.csrf;
      write(CASELOAD, {user: answer.data.user, savedAt: Date.now(), households: answer.data.households});
      return answer.data;
    });
  }

  // --- the queue ---------------------------------------------------------------------------------
  var QUEUE = QUEUE_PREFIX + user;
  function queue() { return read(QUEUE) || []; }
  function saveQueue(items) {
    if (items.length) write(QUEUE, items); else store.removeItem(QUEUE);
    render();
  }
  function updateItem(key, change) {
    saveQueue(queue().map(function (item) { return item.idempotency_key === key ? Object.assign(item, change) : item; }));
  }
  function removeItem(key) {
    saveQueue(queue().filter(function (item) { return item.idempotency_key !== key; }));
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function errorsText(errors) {
    var parts = [];
    Object.keys(errors || {}).forEach(function (name) {
      (errors[name] || []).forEach(function (entry) { parts.push(entry.message || String(entry)); });
    });
    return parts.join(" ");
  }

  function notify(text, url, tone) {
    var box = app ? app.querySelector("[data-offline-flash]") : null;
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("role", "status");
      var main = document.getElementById("contenu");
      if (!main) return;
      main.insertBefore(box, main.firstChild);
    }
    box.className = "alert alert-" + (tone || "info");
    box.hidden = false;
    box.textContent = text + " ";
    if (url) {
      var link = document.createElement("a");
      link.href = url;
      link.textContent = msg("open");
      link.className = "alert-link";
      box.appendChild(link);
    }
  }

  function sendNext() {
    // Re-read each time: another tab, or an earlier answer, may have changed the queue.
    var item = queue().filter(function (entry) { return entry.state === "waiting"; })[0];
    if (!item) return Promise.resolve();
    var payload = Object.assign({}, item);
    delete payload.state; delete payload.errors;
    return askJson(body.dataset.offlineSync, {
      method: "POST", body: JSON.stringify(payload),
      headers: {"Accept": "application/json", "Content-Type": "application/json", "X-CSRFToken": csrf},
    }).then(function (answer) {
      if (answer.status === 201 || answer.status === 200) {
        removeItem(item.idempotency_key);
        if (app) notify(msg("sent"), answer.data.url, "success");
      } else if (answer.status === 202) {
        removeItem(item.idempotency_key);
        notify(msg("to-check").replace("{reason}", answer.data.reason + " — " + answer.data.detail),
               answer.data.url, "warning");
      } else if (answer.status === 400) {
        updateItem(item.idempotency_key, {state: "invalid", errors: errorsText(answer.data.errors)});
        notify(msg("invalid").replace("{errors}", errorsText(answer.data.errors)), "", "danger");
      } else {
        throw {kind: answer.status === 403 ? "login" : "failed"};
      }
      reached();
      return sendNext();
    });
  }

  function withLock(task) {
    // One sender per phone, even with two tabs open: each visit leaves once.
    if (navigator.locks && navigator.locks.request) return navigator.locks.request("zel-offline-send", task);
    return task();
  }

  function flush() {
    var waiting = queue().some(function (item) { return item.state === "waiting"; });
    if (sending || !navigator.onLine || !waiting) return Promise.resolve();
    sending = true;
    return withLock(function () { return refreshCaseload().then(sendNext); })
      .catch(function (problem) {
        if (app || problem.kind === "login") {
          notify(problem.kind === "login" ? msg("login") : msg("failed"), "", "warning");
        }
      })
      .then(function () { sending = false; render(); });
  }

  // --- what the worker sees --------------------------------------------------------------------
  function renderCounter() {
    var counter = document.querySelector("[data-offline-counter]");
    if (!counter) return;
    var count = queue().length;
    counter.hidden = count === 0;
    counter.querySelector("[data-offline-counter-text]").textContent =
      count === 1 ? counter.dataset.one : counter.dataset.many.replace("{n}", String(count));
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function frenchDate(iso) { return iso ? iso.split("-").reverse().join("/") : ""; }

  function renderPending() {
    var list = app.querySelector("[data-offline-pending]");
    var items = queue();
    list.textContent = "";
    app.querySelector("[data-offline-count]").textContent = String(items.length);
    app.querySelector("[data-offline-empty]").hidden = items.length > 0;
    items.forEach(function (item) {
      var row = el("li", "list-group-item");
      row.appendChild(el("strong", "", item.household_label));
      row.appendChild(document.createTextNode(" · " + frenchDate(item.occurred_on) + " · "));
      row.appendChild(el("span", "badge " + (item.state === "invalid" ? "text-bg-danger" : "text-bg-warning"),
                         item.state === "invalid" ? msg("status-invalid") : msg("status-waiting")));
      if (item.errors) row.appendChild(el("p", "small text-danger mb-1 mt-1", item.errors));
      var remove = el("button", "btn btn-sm btn-outline-danger ms-2", msg("remove"));
      remove.type = "button";
      remove.addEventListener("click", function () {
        if (window.confirm(msg("remove-confirm"))) removeItem(item.idempotency_key);
      });
      row.appendChild(remove);
      list.appendChild(row);
    });
  }

  function renderCaseload() {
    var kept = caseload();
    var list = app.querySelector("[data-offline-caseload]");
    var select = app.querySelector("select[name=household]");
    var note = app.querySelector("[data-offline-caseload-note]");
    var chosen = select.value || new URLSearchParams(location.search).get("menage") || "";
    list.textContent = "";
    while (select.options.length > 1) select.remove(1);
    var households = kept ? kept.households : [];
    note.textContent = expired ? msg("expired") : (households.length ? "" : msg("no-caseload"));
    households.forEach(function (household) {
      var label = (household.reference ? household.reference + " " : "") + household.name;
      var option = new Option(label, String(household.id));
      select.add(option);
      var row = el("li", "list-group-item d-flex justify-content-between align-items-center");
      row.appendChild(el("span", "", label));
      var pick = el("button", "btn btn-sm btn-outline-primary", msg("select"));
      pick.type = "button";
      pick.setAttribute("aria-label", msg("select") + " : " + label);
      pick.addEventListener("click", function () {
        select.value = String(household.id);
        select.focus();
        select.scrollIntoView({block: "center"});
      });
      row.appendChild(pick);
      list.appendChild(row);
    });
    select.value = chosen;
  }

  function renderNetwork() {
    var line = app.querySelector("[data-offline-network]");
    line.textContent = navigator.onLine ? msg("online") : msg("offline");
    line.className = "alert py-2 " + (navigator.onLine ? "alert-secondary" : "alert-warning");
  }

  function render() {
    renderCounter();
    if (!app) return;
    renderPending();
    renderNetwork();
  }

  // --- capture -----------------------------------------------------------------------------------
  function today() {
    var now = new Date();
    return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  }

  function fieldsOf(form) {
    var data = {themes: [], no_show: false, planned: false};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.type === "submit" || field.name === "csrfmiddlewaretoken") return;
      if (field.name === "themes") { if (field.checked) data.themes.push(field.value); return; }
      if (field.type === "checkbox") { data[field.name] = field.checked; return; }
      if (field.type === "radio") { if (field.checked) data[field.name] = field.value; return; }
      data[field.name] = field.value;
    });
    return data;
  }

  function enqueue(form, key) {
    var data = fieldsOf(form);
    var select = form.querySelector("select[name=household]");
    var item = {
      idempotency_key: key, household: data.household,
      household_label: select && select.selectedIndex > 0 ? select.options[select.selectedIndex].text : "",
      occurred_on: data.occurred_on, mode: data.mode || "home_visit", themes: data.themes,
      duration_minutes: data.duration_minutes || null, summary: data.summary || "", participants: data.participants || "",
      no_show: !!data.no_show, planned: !!data.planned, action_title: data.action_title || "",
      action_due: data.action_due || "", action_theme: data.action_theme || "",
      captured_at: new Date().toISOString(), state: "waiting",
    };
    saveQueue(queue().filter(function (entry) { return entry.idempotency_key !== key; }).concat([item]));
    return item;
  }

  function showFieldError(form, name, text) {
    var field = form.querySelector("[name=" + name + "]");
    if (!field) return;
    field.classList.add("is-invalid");
    var box = document.getElementById("id_" + name + "-error");
    if (!box) {
      box = el("div", "invalid-feedback d-block");
      box.id = "id_" + name + "-error";
      field.insertAdjacentElement("afterend", box);
    }
    field.setAttribute("aria-describedby", box.id);
    box.textContent = text;
    field.focus();
  }

  if (app) {
    var form = app.querySelector("form[data-offline-form]");
    var date = form.querySelector("[name=occurred_on]");
    date.value = today();
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var select = form.querySelector("select[name=household]");
      if (!select.value) { showFieldError(form, "household", msg("choose")); return; }
      select.classList.remove("is-invalid");
      var box = document.getElementById("id_household-error");
      if (box) box.remove();
      enqueue(form, newKey());
      form.reset();
      date.value = today();
      renderCaseload();
      notify(msg("queued"), "", "info");
      app.querySelector("[data-offline-flash]").focus();
      flush();
    });
    renderCaseload();
    window.addEventListener("offline", render);
  }

  // The online visit form, sent without a connection: kept in the queue with the key it already
  // carries (so that sending the page again later makes no second visit), then the offline page.
  var online = document.querySelector("form[data-draft=visit-new]");
  if (online) {
    online.addEventListener("submit", function (event) {
      if (navigator.onLine) return;
      var key = online.querySelector("[name=idempotency_key]");
      if (!key || !online.querySelector("select[name=household]").value) return;
      event.preventDefault();
      enqueue(online, key.value);
      store.removeItem("zel-draft-" + online.dataset.draft);
      location.href = body.dataset.offlinePage + "#attente";
    });
  }

  // Logout: send what waits (one is online to log out), then forget the caseload and the kept page.
  document.querySelectorAll("form[data-logout]").forEach(function (logout) {
    logout.addEventListener("submit", function (event) {
      event.preventDefault();
      var timeout = new Promise(function (resolve) { setTimeout(resolve, 8000); });
      Promise.race([flush(), timeout]).then(clearCaseload).then(function () { logout.submit(); });
    });
  });

  window.addEventListener("online", function () { render(); flush(); });
  render();
  var kept = caseload();
  if (navigator.onLine) {
    if (queue().some(function (item) { return item.state === "waiting"; })) {
      flush().then(function () { if (app) renderCaseload(); });
    } else if (!kept || Date.now() - kept.savedAt > REFRESH_MS) {
      refreshCaseload().then(function () { if (app) renderCaseload(); }).catch(function () { return null; });
    }
  }
})();
