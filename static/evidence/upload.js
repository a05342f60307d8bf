/* Evidence uploads with a progress bar per file (XMLHttpRequest, one request per file).
 * Without JavaScript the same forms post all files at once and the server redirects back.
 * Listens on the document, so panels swapped in by htmx keep working. */
(function () {
  "use strict";
  if (window.ziEvidenceUpload) return;
  window.ziEvidenceUpload = true;

  var T = {
    waiting: "menunggu…",
    uploading: "mengunggah…",
    checking: "memeriksa berkas…",
    tooLarge: "melebihi batas ukuran",
    badType: "jenis berkas tidak diizinkan",
    failed: "Unggahan gagal. Periksa koneksi lalu coba lagi.",
    attachExisting: "Lampirkan yang sudah ada",
    pickFile: "Pilih satu atau beberapa berkas.",
  };
  // Translated texts, rendered by the page (templates/evidence/_js_strings.html).
  var strings = document.getElementById("evidence-js-strings");
  if (strings) {
    try {
      Object.assign(T, JSON.parse(strings.textContent));
    } catch (e) { /* keep the defaults */ }
  }

  function csrf(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }

  function sizeText(bytes) {
    var mb = bytes / (1024 * 1024);
    return (mb >= 1 ? mb.toFixed(1) + " MB" : Math.max(1, Math.round(bytes / 1024)) + " KB").replace(".", ",");
  }

  function queueRow(queue, file) {
    var row = el("li", "evidence-row border rounded px-2 py-1 mt-1");
    row.setAttribute("data-testid", "upload-row");
    row.appendChild(el("div", "text-truncate fw-semibold", file.name + " (" + sizeText(file.size) + ")"));
    var bar = el("div", "progress my-1");
    bar.style.height = "6px";
    bar.setAttribute("role", "progressbar");
    bar.setAttribute("aria-label", file.name);
    bar.setAttribute("aria-valuemin", "0");
    bar.setAttribute("aria-valuemax", "100");
    bar.setAttribute("aria-valuenow", "0");
    var fill = el("div", "progress-bar");
    fill.style.width = "0%";
    bar.appendChild(fill);
    var state = el("div", "evidence-state text-muted", T.waiting);
    row.appendChild(bar);
    row.appendChild(state);
    queue.appendChild(row);
    return {
      row: row,
      progress: function (pct) {
        fill.style.width = pct + "%";
        bar.setAttribute("aria-valuenow", String(pct));
      },
      state: function (text, kind) {
        state.textContent = text;
        state.className = "evidence-state " + ({ ok: "text-success", error: "text-danger", duplicate: "text-warning-emphasis" }[kind] || "text-muted");
        if (kind === "ok") fill.classList.add("bg-success");
        if (kind === "error") fill.classList.add("bg-danger");
        if (kind === "duplicate") fill.classList.add("bg-warning");
      },
    };
  }

  function swapPanel(panelId, html) {
    var old = document.getElementById(panelId);
    if (!old || !html) return;
    var queue = old.querySelector(".evidence-queue");
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.querySelector("#" + panelId);
    if (!fresh) return;
    var freshQueue = fresh.querySelector(".evidence-queue");
    if (queue && freshQueue) freshQueue.replaceWith(queue);
    old.replaceWith(fresh);
    if (window.htmx) window.htmx.process(fresh);
    document.body.dispatchEvent(new CustomEvent("evidence-changed", { bubbles: true, detail: { panel: panelId } }));
  }

  function send(url, form, data, ui) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.setRequestHeader("X-CSRFToken", csrf(form));
      xhr.responseType = "json";
      if (ui) {
        xhr.upload.addEventListener("progress", function (e) {
          if (e.lengthComputable) ui.progress(Math.round((e.loaded / e.total) * 100));
        });
        xhr.upload.addEventListener("load", function () {
          ui.progress(100);
          ui.state(T.checking);
        });
      }
      xhr.addEventListener("load", function () {
        resolve(xhr.response || { results: [{ status: "error", message: T.failed }] });
      });
      xhr.addEventListener("error", function () {
        resolve({ results: [{ status: "error", message: T.failed }] });
      });
      xhr.addEventListener("abort", function () {
        resolve({ results: [{ status: "error", message: T.failed }] });
      });
      xhr.send(data);
    });
  }

  function offerExisting(form, ui, result) {
    if (!result.attach_url) return;
    var button = el("button", "btn btn-sm btn-outline-primary mt-1", T.attachExisting);
    button.type = "button";
    button.setAttribute("data-testid", "attach-duplicate");
    button.addEventListener("click", function () {
      var data = new FormData();
      data.append("evidence", result.evidence);
      button.disabled = true;
      send(result.attach_url, form, data, null).then(function (response) {
        var r = (response.results || [])[0] || {};
        ui.state(r.message || "", r.status === "ok" ? "ok" : "error");
        button.remove();
        swapPanel(form.dataset.panel, response.panel);
      });
    });
    ui.row.appendChild(button);
  }

  function allowed(form, file) {
    var accept = (form.dataset.accept || "").split(",").filter(Boolean);
    var dot = file.name.lastIndexOf(".");
    var ext = dot > 0 ? file.name.slice(dot).toLowerCase() : "";
    return !accept.length || accept.indexOf(ext) >= 0;
  }

  async function upload(form, input, extra) {
    var files = Array.prototype.slice.call(input.files || []);
    var queue = form.querySelector(".evidence-queue") || form.appendChild(el("ul", "list-unstyled small evidence-queue"));
    if (!files.length) {
      queue.appendChild(el("li", "text-danger", T.pickFile));
      return;
    }
    var max = parseInt(form.dataset.maxBytes || "0", 10);
    var url = form.getAttribute("action");
    var changed = false;
    var button = form.querySelector("[type=submit]");
    if (button) button.disabled = true;
    var rows = files.map(function (file) { return queueRow(queue, file); });
    for (var i = 0; i < files.length; i++) {
      var file = files[i];
      var ui = rows[i];
      if (max && file.size > max) {
        ui.state(T.tooLarge + " (" + form.dataset.maxLabel + ")", "error");
        continue;
      }
      if (!allowed(form, file)) {
        ui.state(T.badType, "error");
        continue;
      }
      ui.state(T.uploading);
      var data = new FormData(form);
      data.delete("files");
      data.append("files", file, file.name);
      if (extra) Object.keys(extra).forEach(function (k) { data.set(k, extra[k]); });
      var response = await send(url, form, data, ui);
      var result = (response.results || [])[(response.results || []).length - 1] || {};
      ui.state(result.message || T.failed, result.status === "ok" ? "ok" : result.status === "duplicate" ? "duplicate" : "error");
      if (result.status === "duplicate") offerExisting(form, ui, result);
      if (result.status === "ok") changed = true;
      if (response.panel) swapPanel(form.dataset.panel, response.panel);
    }
    if (button) button.disabled = false;
    input.value = "";
    if (changed && form.dataset.reload) window.location.reload();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches("form[data-confirm]") && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    if (!form.matches || !form.matches("form.evidence-upload, form.evidence-replace")) return;
    event.preventDefault();
    upload(form, form.querySelector("input[type=file]"));
  });

  // Replacing from a panel starts as soon as a file is chosen.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input.evidence-replace-input")) return;
    var form = input.form;
    var panel = document.getElementById(form.dataset.panel || "");
    replaceFrom(form, input, panel ? panel.querySelector(".evidence-queue") : null);
  });

  async function replaceFrom(form, input, queue) {
    var file = (input.files || [])[0];
    if (!file) return;
    var target = queue || form.querySelector(".evidence-queue") || form.appendChild(el("ul", "list-unstyled small evidence-queue"));
    var ui = queueRow(target, file);
    var max = parseInt(form.dataset.maxBytes || "0", 10);
    if (max && file.size > max) {
      ui.state(T.tooLarge + " (" + form.dataset.maxLabel + ")", "error");
      return;
    }
    ui.state(T.uploading);
    var data = new FormData(form);
    var response = await send(form.getAttribute("action"), form, data, ui);
    var result = (response.results || [])[0] || {};
    ui.state(result.message || T.failed, result.status === "ok" ? "ok" : "error");
    if (response.panel) swapPanel(form.dataset.panel, response.panel);
    if (result.status === "ok" && response.reload) window.location.reload();
  }
})();
