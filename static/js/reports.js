// Reports list: rows of reports still queued or running poll their JSON status until they finish,
// then show the status and the download links without a page reload.
(function () {
  "use strict";
  var POLL_MS = 2000;

  function link(href, text, hidden) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    var span = document.createElement("span");
    span.className = "visually-hidden";
    span.textContent = " " + hidden;
    a.appendChild(span);
    return a;
  }

  function update(row, data) {
    var badge = row.querySelector(".report-status");
    badge.textContent = data.label;
    badge.className = "report-status badge " + (data.status === "done" ? "text-bg-success" :
      data.status === "failed" ? "text-bg-danger" : "text-bg-secondary");
    if (!data.finished) { return; }
    row.removeAttribute("data-status-url");
    if (data.status === "done") {
      row.querySelector(".report-finished").textContent = data.finished_at;
      var cell = row.querySelector(".report-links");
      var label = row.querySelector("th").textContent.trim();
      var base = data.download_url.replace(/pdf\/$/, "");
      cell.textContent = "";
      var pdf = link(data.download_url, "PDF", label);
      pdf.className = "report-pdf";
      cell.appendChild(pdf);
      cell.appendChild(document.createTextNode(" · "));
      cell.appendChild(link(base + "chiffres.csv", "CSV", label));
      cell.appendChild(document.createTextNode(" · "));
      cell.appendChild(link(base + "chiffres.xlsx", "XLSX", label));
    } else if (data.error) {
      var err = document.createElement("div");
      err.className = "small text-danger report-error";
      err.textContent = data.error;
      badge.parentNode.appendChild(err);
    }
  }

  function poll(row) {
    var url = row.getAttribute("data-status-url");
    if (!url) { return; }
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data) { update(row, data); }
        if (!data || !data.finished) { window.setTimeout(function () { poll(row); }, POLL_MS); }
      })
      .catch(function () { window.setTimeout(function () { poll(row); }, POLL_MS * 3); });
  }

  document.querySelectorAll("tr[data-status-url]").forEach(poll);
})();

// Live dashboard: while its first computation runs, ask the same address whether the figures are
// ready (X-ZEL-Poll answers JSON), then reload once to show them.
(function () {
  "use strict";
  var pending = document.querySelector("[data-dashboard-pending]");
  if (!pending) { return; }
  function poll() {
    fetch(window.location.href, {headers: {"X-ZEL-Poll": "1", "Accept": "application/json"},
                                 credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.ready) { window.location.reload(); return; }
        if (data && data.error) { return; }
        window.setTimeout(poll, 3000);
      })
      .catch(function () { window.setTimeout(poll, 9000); });
  }
  window.setTimeout(poll, 2000);
})();
