// TPI evaluation page: open/close all areas, open the area of a link target, mark changed rows,
// warn before leaving with unsaved changes, and ask before irreversible steps.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var form = document.getElementById("tpi-form");
    var areas = Array.prototype.slice.call(document.querySelectorAll("details.tpi-area"));
    document.querySelectorAll("[data-open-all]").forEach(function (b) {
      b.addEventListener("click", function () { areas.forEach(function (d) { d.open = true; }); });
    });
    document.querySelectorAll("[data-close-all]").forEach(function (b) {
      b.addEventListener("click", function () { areas.forEach(function (d) { d.open = false; }); });
    });
    function openTarget() {
      if (!location.hash) return;
      var target = document.getElementById(location.hash.slice(1));
      if (!target) return;
      var d = target.closest("details.tpi-area") || (target.matches("details.tpi-area") ? target : null);
      if (d) { d.open = true; target.scrollIntoView(); }
    }
    window.addEventListener("hashchange", openTarget);
    openTarget();
    var first = document.querySelector(".tpi-row.has-error, .tpi-att.has-error");
    if (first) first.scrollIntoView({block: "center"});
    if (!form) return;
    var dirty = false, submitting = false;
    form.addEventListener("input", function (e) {
      dirty = true;
      var row = e.target.closest("tr.tpi-row");
      if (row) row.classList.add("is-dirty");
    });
    form.addEventListener("submit", function (e) {
      var button = e.submitter;
      if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
        e.preventDefault();
        return;
      }
      submitting = true;
    });
    window.addEventListener("beforeunload", function (e) {
      if (dirty && !submitting) { e.preventDefault(); e.returnValue = form.dataset.dirtyText || ""; }
    });
  });
})();
