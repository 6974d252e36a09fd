// Support app. Keeps what the worker typed in the visit form if the network drops during submit:
// every change is copied to localStorage; the copy is restored on a blank form and cleared once
// the server confirms the save (the confirmation page carries data-clear-draft).
(function () {
  "use strict";
  var store;
  try { store = window.localStorage; } catch (e) { return; }
  if (!store) return;

  document.querySelectorAll("[data-clear-draft]").forEach(function (el) {
    store.removeItem("zel-draft-" + el.dataset.clearDraft);
  });

  var form = document.querySelector("form[data-draft]");
  if (!form) return;
  var key = "zel-draft-" + form.dataset.draft;

  function save() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.type === "submit") return;
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) (data[el.name] = data[el.name] || []).push(el.value);
      } else {
        data[el.name] = [el.value];
      }
    });
    store.setItem(key, JSON.stringify(data));
  }

  // The server re-rendered the form with errors: its values win, keep the draft in sync.
  var serverHasValues = !!document.querySelector("[data-error-summary]");
  var raw = store.getItem(key);
  if (raw && !serverHasValues) {
    try {
      var data = JSON.parse(raw);
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || !(el.name in data) || el.name === "csrfmiddlewaretoken") return;
        if (el.type === "checkbox" || el.type === "radio") {
          el.checked = data[el.name].indexOf(el.value) !== -1;
        } else if (data[el.name][0]) {
          el.value = data[el.name][0];
        }
      });
      var note = document.createElement("p");
      note.className = "alert alert-info";
      note.setAttribute("role", "status");
      note.textContent = form.dataset.draftRestored || "Brouillon non envoyé restauré.";
      form.insertBefore(note, form.firstChild);
    } catch (e) { store.removeItem(key); }
  }
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", save);
  // The error summary takes the focus (zel.js).
})();
