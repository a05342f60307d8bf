// Report downloads with a visible "being prepared" state: the file is fetched, then handed to
// the browser as a download. Without JavaScript (or fetch) the link downloads as usual.
(function () {
  "use strict";
  if (window.ziDownloadReady) return;  // included by a page and by an include: listen once
  window.ziDownloadReady = true;

  function filenameFrom(header) {
    if (!header) return "";
    var star = /filename\*=UTF-8''([^;]+)/i.exec(header);
    if (star) return decodeURIComponent(star[1]);
    var plain = /filename="?([^";]+)"?/i.exec(header);
    return plain ? plain[1] : "";
  }

  function setBusy(link, busy) {
    var spinner = link.querySelector(".spinner-border");
    if (spinner) spinner.classList.toggle("d-none", !busy);
    link.classList.toggle("disabled", busy);
    link.setAttribute("aria-busy", busy ? "true" : "false");
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-zi-download]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (!window.fetch || !window.URL || !URL.createObjectURL) return;
    event.preventDefault();
    if (link.getAttribute("aria-busy") === "true") return;
    var status = link.parentElement.querySelector(".zi-download-status");
    setBusy(link, true);
    if (status) status.textContent = link.dataset.busy;
    fetch(link.href, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        var name = filenameFrom(response.headers.get("Content-Disposition"));
        return response.blob().then(function (blob) { return { blob: blob, name: name }; });
      })
      .then(function (file) {
        var url = URL.createObjectURL(file.blob);
        var a = document.createElement("a");
        a.href = url;
        a.download = file.name || "unduhan";
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 30000);
        if (status) status.textContent = link.dataset.done;
      })
      .catch(function (error) {
        if (status) status.textContent = link.dataset.failed + " (" + error.message + ")";
      })
      .finally(function () { setBusy(link, false); });
  });
})();
