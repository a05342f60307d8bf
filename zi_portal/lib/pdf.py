"""PDF rendering shared by every app's reports: a Django template through WeasyPrint.

The URL fetcher lets a report load only the project's own static files and `data:` URLs; any
other URL (http, file, a path outside the static directories) is refused, so a value typed by a
user into a report can never make the server fetch something. Fonts are set explicitly in the
report's CSS (`font-family: "DejaVu Sans"`, also in `@page` margin boxes and SVG text).
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string

# WeasyPrint reports every layout step at INFO; the portal's log is for requests and errors.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# Relative and root-relative URLs in the templates resolve against this origin; only its
# STATIC_URL part is served, from the static files (never from the network).
BASE_URL = "https://zi-portal.invalid/"

# The base stylesheet every report may include (fonts, page size, page numbers).
PDF_BASE_CSS = """
@page { size: A4; margin: 18mm 15mm 20mm 15mm;
  @bottom-right { content: "Halaman " counter(page) " / " counter(pages);
                  font-family: "DejaVu Sans"; font-size: 8pt; color: #6c757d; }
  @bottom-left { content: string(report-title); font-family: "DejaVu Sans"; font-size: 8pt;
                 color: #6c757d; } }
html { font-family: "DejaVu Sans"; font-size: 9.5pt; color: #212529; }
h1 { font-size: 15pt; margin: 0 0 2mm; string-set: report-title content(); }
h2 { font-size: 12pt; margin: 6mm 0 2mm; }
h3 { font-size: 10.5pt; margin: 4mm 0 1mm; }
table { width: 100%; border-collapse: collapse; margin: 2mm 0; }
th, td { border: 0.4pt solid #adb5bd; padding: 1.2mm 1.6mm; vertical-align: top; text-align: left; }
th { background: #e9ecef; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr { page-break-inside: avoid; }
.muted { color: #6c757d; }
svg text { font-family: "DejaVu Sans"; }
"""


def _static_path(url: str) -> Path | None:
    """The file behind a URL of the project's static files, or None."""
    parts = urlsplit(url)
    base = urlsplit(BASE_URL)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return None
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if not parts.path.startswith(static_prefix):
        return None
    relative = unquote(parts.path[len(static_prefix) :])
    if not relative or "\x00" in relative:
        return None
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation:
        return None
    if not found and settings.STATIC_ROOT:
        candidate = (Path(settings.STATIC_ROOT) / relative).resolve()
        root = Path(settings.STATIC_ROOT).resolve()
        if root in candidate.parents and candidate.is_file():
            found = str(candidate)
    if isinstance(found, list):
        found = found[0] if found else None
    return Path(found) if found else None


class BlockedURL(ValueError):
    """A PDF tried to load something other than the project's static files or data: URLs."""


def fetch_allowed(url: str) -> tuple[bytes, str]:
    """(content, mime type) of a static file URL; BlockedURL for anything else. `data:` URLs
    are decoded by WeasyPrint's own fetcher (see `_fetcher`)."""
    path = _static_path(url)
    if path is None:
        raise BlockedURL(f"URL tidak diizinkan dalam PDF: {url[:200]}")
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return path.read_bytes(), mime


def _fetcher():
    try:
        from weasyprint.urls import URLFetcher, URLFetcherResponse
    except ImportError:  # WeasyPrint < 66: a plain function returning a dict
        from weasyprint import default_url_fetcher

        def fetch(url: str, *args, **kwargs):
            if url.startswith("data:"):
                return default_url_fetcher(url)
            content, mime = fetch_allowed(url)
            return {"string": content, "mime_type": mime, "redirected_url": url}

        return fetch

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            content, mime = fetch_allowed(url)
            return URLFetcherResponse(url, content, {"Content-Type": mime})

    return StaticOnlyFetcher(allowed_protocols=("data", "https"))


def render_pdf(template_name: str, context: dict) -> bytes:
    """The template rendered with `context` as PDF bytes. The template may use
    `{{ pdf_base_css }}` inside a <style> element."""
    from weasyprint import HTML

    html = render_to_string(template_name, {"pdf_base_css": PDF_BASE_CSS, **context})
    return HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher()).write_pdf()
