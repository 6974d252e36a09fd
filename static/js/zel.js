// ZEL: no inline scripts (Content-Security-Policy); behaviour hooks on data- attributes.
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-add-form]");
  if (!button) return;
  // Inline formsets: clone the empty form template and bump TOTAL_FORMS.
  const prefix = button.dataset.addForm;
  const total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  const template = document.getElementById(prefix + "-empty");
  const html = template.innerHTML.replace(/__prefix__/g, total.value);
  template.insertAdjacentHTML("beforebegin", html);
  total.value = parseInt(total.value, 10) + 1;
});
