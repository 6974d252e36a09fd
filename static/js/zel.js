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

// Error summary (templates/includes/form_errors.html): focus on it at load so that it is announced
// and seen; its links focus the faulty field (opening any folded section that holds it).
function zelReveal(target) {
  for (let el = target; el; el = el.parentElement) {
    if (el.tagName === "DETAILS") el.open = true;
  }
}
document.addEventListener("DOMContentLoaded", function () {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); return; }
  if (location.hash.length > 1) {
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target) zelReveal(target);
  }
});
document.addEventListener("click", function (event) {
  const link = event.target.closest("a[href^='#']");
  if (!link || link.getAttribute("href").length < 2) return;
  const target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
  if (!target) return;
  zelReveal(target);
  if (link.closest("[data-error-summary]")) {
    event.preventDefault();
    target.focus({preventScroll: true});
    target.scrollIntoView({block: "center", behavior: "instant"});
  }
});

// Sticky action bars (.sticky-actions, .sticky-submit) never cover the focused field: browsers do not
// all honour scroll-padding when the focus moves, so scroll by what the bar hides. Keyboard focus only:
// scrolling under a pressed pointer would move the page between mousedown and mouseup and lose the click.
let zelPointerDown = false;
document.addEventListener("pointerdown", function () { zelPointerDown = true; }, true);
document.addEventListener("pointerup", function () { setTimeout(function () { zelPointerDown = false; }, 0); }, true);
document.addEventListener("focusin", function (event) {
  if (zelPointerDown) return;
  const field = event.target;
  if (!(field instanceof HTMLElement) || field.closest(".sticky-actions, .sticky-submit")) return;
  document.querySelectorAll(".sticky-actions, .sticky-submit").forEach(function (bar) {
    const barTop = bar.getBoundingClientRect().top;
    const box = field.getBoundingClientRect();
    if (getComputedStyle(bar).position !== "sticky" || barTop >= window.innerHeight) return;
    if (box.bottom > barTop && box.top < barTop + bar.offsetHeight) {
      window.scrollBy({top: box.bottom - barTop + 16, behavior: "instant"});
    }
  });
});

// Dashboards: short lists are unfolded on a wide screen only; on a phone the tiles above them open
// the one the user taps, so the first screen stays what to do today.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.matchMedia("(min-width: 768px)").matches) return;
  document.querySelectorAll("details[data-open-wide]").forEach(function (section) { section.open = true; });
});
