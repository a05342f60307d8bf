"""Evidence upload benchmark: server memory growth and time of one large upload.

    DEBUG=true .venv/bin/python bench/upload_bench.py [--mb 25]

Sends a PDF of the given size (default: just under EVIDENCE_MAX_UPLOAD_MB = 25 MB) through the
real WSGI handler (middleware, CSRF, session, access funnel, the evidence upload view) with the
request body streamed from a file on disk, as a server socket would deliver it, into a throwaway
SQLite database and media folder. Prints, for the large file and for a 1 MB file measured in the
same run: the peak of Python allocations during the request (tracemalloc), the growth of the
process's peak RSS (VmHWM, reset before each request), and the wall time. The goal: memory
growth stays at a few MB, whatever the file size (streamed to disk, hashed while streaming).
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(workdir: Path) -> None:
    os.environ.setdefault("DEBUG", "true")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_portal.settings")
    os.environ["LOG_LEVEL"] = "ERROR"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.FILE_UPLOAD_TEMP_DIR = str(workdir / "upload-tmp")
    Path(settings.FILE_UPLOAD_TEMP_DIR).mkdir()
    call_command("migrate", verbosity=0)
    from assessments.rulebooks import load_rulebooks

    load_rulebooks()


def _world():
    from django.contrib.auth import get_user_model

    from assessments.models import Assessment, LkeItem, RulebookVersion
    from organizations.models import Instansi, Membership, Role, UnitKerja

    instansi = Instansi.objects.create(name="Bench", kind=Instansi.Kind.LAINNYA)
    unit = UnitKerja.objects.create(instansi=instansi, code="B1", name="Unit Bench")
    user = get_user_model().objects.create_user("bench", "bench@x.id", "bench-pw-123")
    Membership.objects.create(user=user, instansi=instansi, unit=unit, role=Role.TIM_UNIT)
    version = RulebookVersion.objects.current("lke")
    assessment = Assessment.objects.create(unit=unit, year=2026, target="WBK", rulebook=version)
    item = LkeItem.objects.filter(version=version, kind="indicator").order_by("order").first()
    return user, assessment, item


def _big_pdf(size: int) -> bytes:
    """A PDF whose bulk is one binary stream (like a scanned document)."""
    from evidence.demo import make_pdf

    head = make_pdf("Dokumen besar", ["untuk uji unggah"])
    cut = head.rindex(b"xref")
    filler = size - len(head) - 64
    blob = b"6 0 obj\n<< /Length %d >>\nstream\n" % filler
    return head[:cut] + blob + secrets.token_bytes(filler) + b"\nendstream\nendobj\n" + head[cut:]


def _session_cookie(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _body_file(workdir: Path, name: str, pdf: bytes) -> tuple[Path, str]:
    boundary = "----zi-bench"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="document_date"\r\n\r\n2026-01-05\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    path = workdir / f"{name}.body"
    path.write_bytes(head + pdf + f"\r\n--{boundary}--\r\n".encode())
    return path, f"multipart/form-data; boundary={boundary}"


def _vm(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def _reset_peak_rss() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _upload(path: Path, content_type: str, url: str, session: str) -> dict:
    from django.core.handlers.wsgi import WSGIHandler

    token = secrets.token_hex(16)  # a 32-character CSRF secret, sent as cookie and header
    handler = WSGIHandler()
    status: list[str] = []
    with path.open("rb") as stream:
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": url,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1",
            "CONTENT_TYPE": content_type,
            "CONTENT_LENGTH": str(path.stat().st_size),
            "HTTP_COOKIE": f"sessionid={session}; csrftoken={token}",
            "HTTP_X_CSRFTOKEN": token,
            "HTTP_X_REQUESTED_WITH": "XMLHttpRequest",
            "wsgi.input": stream,
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }
        rss_reset = _reset_peak_rss()
        rss_before = _vm("VmRSS")
        tracemalloc.start()
        started = time.perf_counter()
        response = handler(environ, lambda s, h: status.append(s))
        body = b"".join(response)
        response.close()  # as a WSGI server does: closes (and removes) the request's temp files
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_peak = _vm("VmHWM")
    return {
        "status": status[0],
        "ok": b'"status": "ok"' in body,
        "seconds": elapsed,
        "traced_peak": peak,
        "rss_growth": (rss_peak - rss_before) if rss_reset else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=None, help="size of the large file in MB")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        _setup(workdir)
        from django.conf import settings
        from django.urls import reverse

        from evidence.models import EvidenceRevision

        cap = settings.EVIDENCE_MAX_UPLOAD_MB * 1024 * 1024
        large = int(args.mb * 1024 * 1024) if args.mb else cap - 4096
        user, assessment, item = _world()
        url = reverse("evidence:item_upload", args=[assessment.pk, item.pk])
        session = _session_cookie(user)
        print(
            f"machine: {platform.node()} {platform.machine()} Python {platform.python_version()}, {os.cpu_count()} CPUs"
        )
        print(f"cap EVIDENCE_MAX_UPLOAD_MB={settings.EVIDENCE_MAX_UPLOAD_MB}")
        results = {}
        for label, size in (("1 MB", 1024 * 1024), (f"{large / 1048576:.1f} MB", large)):
            path, content_type = _body_file(workdir, f"bench-{size}.pdf", _big_pdf(size))
            result = _upload(path, content_type, url, session)
            results[label] = result
            rss = (
                f"{result['rss_growth'] / 1048576:.1f} MB"
                if result["rss_growth"] is not None
                else "n/a"
            )
            print(
                f"upload {label:>8}: {result['status']}, stored={result['ok']}, "
                f"time {result['seconds']:.2f} s, "
                f"Python peak {result['traced_peak'] / 1048576:.2f} MB, peak RSS growth {rss}"
            )
            path.unlink()
        stored = EvidenceRevision.objects.order_by("-size").first()
        print(f"largest stored revision: {stored.size} bytes, sha256 {stored.sha256[:16]}…")
        small, big = results.values()
        print(
            f"ratio large/small: Python peak {big['traced_peak'] / max(small['traced_peak'], 1):.2f}x "
            f"for {large / 1048576:.0f}x the bytes"
        )


if __name__ == "__main__":
    main()
