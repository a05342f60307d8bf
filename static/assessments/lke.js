/* LKE pages: live percentage of count inputs, unsaved-change marks, save error messages.
   Everything here is a convenience: the pages work without JavaScript. */
(function () {
  "use strict";
  var i18nNode = document.getElementById("lke-i18n");
  var t = i18nNode ? JSON.parse(i18nNode.textContent) : {};

  function count(text) {
    // As the server reads a count: ASCII digits, an optional "+", a ",0"/".0" tail.
    var m = /^\+?([0-9]+)(?:[.,]0*)?$/.exec((text || "").trim());
    return m ? parseInt(m[1], 10) : null;
  }

  function idPercent(fraction) {
    return (Math.round(fraction * 10000) / 100).toFixed(2).replace(".", ",") + "%";
  }

  function livePercent(box) {
    var f = JSON.parse(box.getAttribute("data-formula") || "{}");
    var values = {};
    var complete = true, invalid = false;
    box.querySelectorAll("[data-input]").forEach(function (input) {
      var n = count(input.value);
      if (n === null) {
        complete = false;
        if (input.value.trim() !== "") invalid = true;
      }
      values[input.getAttribute("data-input")] = n;
    });
    var out = box.parentNode.querySelector(".lke-live-percent");
    if (!out) return;
    if (invalid) { out.textContent = "— (" + t.whole_number + ")"; return; }
    if (!complete) { out.textContent = "— (" + t.fill_all + ")"; return; }
    var value, note = "";
    if (f.kind === "ratio") {
      var den = 0;
      f.denominator.forEach(function (c) { den += values[c]; });
      var num = values[f.numerator];
      if (den === 0) value = parseFloat(f.zero);
      else { value = Math.min(1, num / den); if (num > den) note = " (" + t.capped + ")"; }
    } else {
      var prev = values[f.previous], cur = values[f.current];
      if (prev === 0) value = parseFloat(cur === 0 ? f.both_zero : f.previous_zero);
      else value = cur >= prev ? 0 : (prev - cur) / prev;
    }
    out.textContent = idPercent(value) + note;
  }

  document.addEventListener("input", function (event) {
    var form = event.target.closest(".lke-form");
    if (!form) return;
    var dirty = form.querySelector(".lke-dirty");
    if (dirty) dirty.classList.remove("d-none");
    var saved = form.querySelector(".lke-saved");
    if (saved) saved.remove();
    var box = event.target.closest(".lke-persen");
    if (box) livePercent(box);
  });
  document.addEventListener("change", function (event) {
    if (event.target.type === "radio" && event.target.closest(".lke-form")) {
      var dirty = event.target.closest(".lke-form").querySelector(".lke-dirty");
      if (dirty) dirty.classList.remove("d-none");
    }
  });

  window.addEventListener("beforeunload", function (event) {
    if (document.querySelector(".lke-dirty:not(.d-none)")) {
      event.preventDefault();
      event.returnValue = t.unsaved;
    }
  });

  function showError(target, message) {
    var card = target.closest ? target.closest(".lke-item") : null;
    if (!card) { window.alert(message); return; }
    var box = card.querySelector(".lke-client-error");
    if (!box) {
      box = document.createElement("div");
      box.className = "alert alert-danger small py-2 lke-client-error";
      box.setAttribute("role", "alert");
      var form = card.querySelector(".lke-form");
      (form || card.firstElementChild).prepend(box);
    }
    box.textContent = message;
  }
  document.body.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    showError(event.detail.elt, status === 403 || status === 404 ? t.forbidden : t.error + " (" + status + ")");
  });
  document.body.addEventListener("htmx:sendError", function (event) {
    showError(event.detail.elt, t.send_error);
  });
})();
