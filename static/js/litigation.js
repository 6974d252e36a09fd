// Event form: show only the fields that the chosen step uses (no inline script: CSP).
(function () {
  "use strict";
  var form = document.getElementById("event-form");
  if (!form) { return; }
  var type = form.querySelector("[name=type]");
  var needs = {
    hearing_on: ["assignation", "audience_renvoyee"],
    months: ["jugement", "delais_jex", "protocole_cohesion_sociale"],
    outcome: ["cloture"]
  };
  function wrapper(name) {
    var input = form.querySelector("[name=" + name + "]");
    return input ? input.closest(".mb-3") : null;
  }
  function update() {
    Object.keys(needs).forEach(function (name) {
      var box = wrapper(name);
      if (box) { box.hidden = needs[name].indexOf(type.value) === -1; }
    });
  }
  type.addEventListener("change", update);
  update();
})();
