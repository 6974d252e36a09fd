// COPIL decision form: show the fields that go with the chosen outcome (no inline script: CSP).
(function () {
  const form = document.querySelector("[data-decision-form]");
  if (!form) return;
  const groups = {
    missing: form.querySelector("#div_id_missing"),
    comes_back_on: form.querySelector("#div_id_comes_back_on"),
    reason: form.querySelector("#div_id_reason"),
    levers: form.querySelector("[data-levers-block]"),
  };
  function sync() {
    const checked = form.querySelector("input[name=outcome]:checked");
    const outcome = checked ? checked.value : "";
    const show = {
      missing: outcome === "adjourned" || outcome === "",
      comes_back_on: outcome === "adjourned" || outcome === "",
      reason: outcome === "refused" || outcome === "",
      levers: outcome === "admitted" || outcome === "",
    };
    Object.keys(groups).forEach(function (key) {
      if (groups[key]) groups[key].hidden = !show[key];
    });
  }
  form.addEventListener("change", sync);
  sync();
})();

// Levers: show only what the chosen kind is measured in (amount, months, or nothing).
(function () {
  document.querySelectorAll("[data-lever-measures]").forEach(function (fieldset) {
    let measures = {};
    try { measures = JSON.parse(fieldset.dataset.leverMeasures || "{}"); } catch (e) { return; }
    function syncRow(row) {
      const select = row.querySelector("select");
      const measure = select && select.value ? measures[select.value] : "";
      row.querySelectorAll("[data-measure]").forEach(function (cell) {
        const hide = measure !== "" && cell.dataset.measure !== measure;
        cell.hidden = hide;
        if (hide) cell.querySelectorAll("input").forEach(function (input) { input.value = ""; });
      });
    }
    fieldset.addEventListener("change", function (event) {
      const row = event.target.closest("[data-lever-row]");
      if (row) syncRow(row);
    });
    fieldset.querySelectorAll("[data-lever-row]").forEach(syncRow);
  });
})();
