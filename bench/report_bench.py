"""Time and peak memory of the leadership reports, and the dashboard's query count (issue 8).

    .venv/bin/python bench/report_bench.py [--rounds 5] [--units 50]

Builds a throw-away SQLite database (migrations, rulebooks, the demo organisation grown to
`--units` units of one instansi, each with a fully answered 2026 assessment and a 2025 one for
the trend, the TPI's answers on every other unit), then measures:

- readiness PDF (live): `reports.readiness_pdf` of a fully answered assessment (every item with
  a penjelasan) with the TPI's answers (a catatan on every tenth item) and 100 evidence items;
- readiness PDF (final): the same assessment after finalisation, built from its snapshot (with
  the verification code and QR);
- instansi summary PDF: `dashboard.build_board` + `reports.instansi_summary_pdf` for all units;
- dashboard page: GET /pimpinan/ as pimpinan instansi through the test client, with its number
  of queries for 5 units and for all units (the number must not grow);
- baseline: WeasyPrint rendering a one-page HTML document on the same machine, so the figures
  above can be read as ratios on a noisy machine.

Times are medians over the rounds (without tracemalloc); peak memory is tracemalloc's peak of
Python allocations in one further round of each. Goal: each PDF under 3 seconds, and the same
number of dashboard queries for 5 and for all units. Exits 1 if not.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import platform
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GOAL_SECONDS = 3.0
EVIDENCE_ITEMS = 100


def configure(db_path: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="zi_portal.settings",
        DEBUG="false",
        SECRET_KEY="bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{db_path}",
    )
    import django
    from django.conf import settings

    django.setup()
    # No collectstatic here: plain static storage instead of the manifest (as pages_bench.py).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.files.storage import storages

    storages._storages = {}
    storages._backends = None


def _answers(rb, seed: int) -> dict[str, str]:
    out = {}
    for i, (code, spec) in enumerate(rb.plan.specs.items()):
        if spec.kind == "option":
            # Mostly the best option, now and then a lower one (varies per unit).
            ordered = list(spec.options)
            out[code] = ordered[1 if (i + seed) % 5 == 0 and len(ordered) > 1 else 0]
        elif spec.kind == "count":
            out[code] = str(5 + (i + seed) % 9)
        elif spec.kind == "indeks":
            out[code] = "3.72"
        elif spec.kind == "nilai":
            out[code] = "0.75"
    return out


def _store(model, assessment, items, answers, notes=None) -> None:
    notes = notes or {}
    model.objects.bulk_create(
        model(
            assessment=assessment,
            item=items[code],
            value=value,
            note=notes.get(code, ""),
            revision=1,
        )
        for code, value in answers.items()
    )


def _evidence(assessment, items, user) -> None:
    from evidence.models import Attachment, Evidence, EvidenceRevision

    codes = [c for c, i in items.items() if i.kind in ("indicator", "hasil")]
    statuses = ("diterima", "diterima", "belum_direviu", "perlu_perbaikan")
    for n in range(EVIDENCE_ITEMS):
        evidence = Evidence.objects.create(
            unit=assessment.unit,
            kind="file",
            title=f"Dokumen pendukung {n + 1:03d}: SK, notulen, laporan monitoring dan evaluasi",
            document_date=dt.date(2026, 1, 2) + dt.timedelta(days=n),
            created_by=user,
        )
        revision = EvidenceRevision.objects.create(
            evidence=evidence,
            number=1,
            storage_name=f"bench/{assessment.pk}/{n}.pdf",
            original_name=f"bukti-{n}.pdf",
            size=200_000 + n,
            content_type="application/pdf",
            sha256=hashlib.sha256(f"bench-{n}".encode()).hexdigest(),
            uploaded_by=user,
        )
        evidence.current_revision = revision
        evidence.save(update_fields=["current_revision"])
        status = statuses[n % len(statuses)]
        Attachment.objects.create(
            evidence=evidence,
            assessment=assessment,
            item=items[codes[n % len(codes)]],
            revision=revision,
            status=status,
            review_note="Lampirkan versi yang ditandatangani."
            if status == "perlu_perbaikan"
            else "",
            attached_by=user,
        )


def build_data(units: int):
    from django.core.management import call_command

    from assessments.models import (
        Answer,
        Assessment,
        EvaluatorAnswer,
        LkeItem,
        Predikat,
        RulebookVersion,
    )
    from assessments.rulebooks import engine_rulebook, load_rulebooks
    from organizations.demo import seed_organizations
    from organizations.models import UnitKerja

    call_command("migrate", verbosity=0)
    load_rulebooks()
    world = seed_organizations()
    instansi = world["instansi"]
    for i in range(units - UnitKerja.objects.filter(instansi=instansi).count()):
        UnitKerja.objects.create(
            instansi=instansi, code=f"UNIT-{i + 1:02d}", name=f"Bagian Layanan Contoh {i + 1:02d}"
        )
    version = RulebookVersion.objects.current("lke")
    rb = engine_rulebook(version)
    items = {i.code: i for i in LkeItem.objects.filter(version=version)}
    full = None
    for n, unit in enumerate(UnitKerja.objects.filter(instansi=instansi).order_by("code")):
        for year in (2025, 2026):
            assessment = Assessment.objects.create(
                unit=unit, year=year, target=Predikat.WBK, rulebook=version
            )
            answers = _answers(rb, n + year)
            notes = {c: f"Penjelasan {c}: dokumen dan kegiatan tahun berjalan." for c in answers}
            _store(Answer, assessment, items, answers, notes)
            if year == 2026 and (n % 2 == 0 or unit.code == "BAUK"):
                tpi = dict(answers)
                tpi_notes = {}
                for k, code in enumerate(tpi):
                    if k % 10 == 0 and rb.plan.specs[code].kind == "option":
                        options = list(rb.plan.specs[code].options)
                        tpi[code] = options[min(options.index(tpi[code]) + 1, len(options) - 1)]
                        tpi_notes[code] = "Bukti belum menunjukkan pelaksanaan penuh."
                _store(EvaluatorAnswer, assessment, items, tpi, tpi_notes)
            if unit.code == "BAUK" and year == 2026:
                full = assessment
    _evidence(full, items, world["users"]["unit2"])
    return world, full


def finalise(assessment, user):
    from django.utils import timezone

    from assessments.evaluation import snapshot_content
    from assessments.models import AssessmentSnapshot, Status
    from assessments.rulebooks import content_hash

    at = timezone.now()
    content = snapshot_content(assessment, by=user, at=at, general_note="Siap diusulkan.")
    AssessmentSnapshot.objects.create(
        assessment=assessment,
        rulebook_id=assessment.rulebook_id,
        content=content,
        content_sha256=content_hash(content),
        verification_code="BENCH2345KMN",
        finalised_by=user,
        finalised_at=at,
    )
    assessment.status = Status.FINAL
    assessment.save(update_fields=["status"])


def measure(fn: Callable[[], object], rounds: int) -> tuple[float, float, float, object]:
    """(median wall seconds, median CPU seconds of this process, peak MiB of Python
    allocations, last result). CPU time is shown because this machine is shared: under load
    the wall time grows while the work done does not."""
    times, cpu = [], []
    result = None
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    tracemalloc.start()
    fn()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), statistics.median(cpu), peak / 1024 / 1024, result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--units", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        configure(str(Path(tmp) / "bench.sqlite3"))
        import logging

        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from weasyprint import HTML

        from assessments import dashboard, reports
        from assessments.models import Assessment

        started = time.perf_counter()
        world, full = build_data(args.units)
        setup = time.perf_counter() - started
        pimpinan = world["users"]["pimpinan"]
        instansi = world["instansi"]

        def verify(code: str) -> str:
            return f"https://zi-portal.example/verifikasi/{code}/"

        def live_pdf() -> bytes:
            fresh = Assessment.objects.select_related("unit__instansi", "rulebook").get(pk=full.pk)
            return reports.readiness_pdf(fresh, verify_url=verify)

        def summary_pdf() -> bytes:
            board = dashboard.build_board(pimpinan, instansi, 2026)
            return reports.instansi_summary_pdf(board)

        client = Client()
        client.force_login(pimpinan)

        def board_page():
            with CaptureQueriesContext(connection) as ctx:
                response = client.get("/pimpinan/", {"year": 2026})
            assert response.status_code == 200, response.status_code
            return len(ctx.captured_queries)

        def baseline() -> bytes:
            return HTML(
                string="<html><body style='font-family: DejaVu Sans'><h1>Halo</h1>"
                "<p>Satu halaman.</p></body></html>"
            ).write_pdf()

        live_pdf()  # warm the rulebook caches and WeasyPrint's fonts
        base = measure(baseline, args.rounds)
        live = measure(live_pdf, args.rounds)
        finalise(full, world["users"]["tpi"])
        final = measure(live_pdf, args.rounds)
        summary = measure(summary_pdf, args.rounds)
        board_page()
        board = measure(board_page, args.rounds)
        queries_all = board[3]

        # The same page for 5 units: the others move (with their assessments) to another instansi.
        from organizations.models import Instansi, UnitKerja

        elsewhere = Instansi.objects.create(name="Instansi lain", kind="lainnya")
        kept = list(
            UnitKerja.objects.filter(instansi=instansi)
            .order_by("code")
            .values_list("pk", flat=True)
        )[:5]
        UnitKerja.objects.filter(instansi=instansi).exclude(pk__in=kept).update(instansi=elsewhere)
        queries_five = board_page()

        def pages(data: bytes) -> str:
            import subprocess

            path = Path(tmp) / "pages.pdf"
            path.write_bytes(data)
            info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True)
            return next(
                (line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages")),
                "?",
            )

        print("machine     ", platform.platform(), f"({platform.machine()})")
        print("processor   ", platform.processor() or "unknown", f"; cpu count {os.cpu_count()}")
        print("python      ", platform.python_implementation(), platform.python_version())
        print(f"data         {args.units} units x 2 years, fully answered; setup {setup:.1f} s")
        print(f"rounds       {args.rounds} (median); peak = tracemalloc, one further round")
        print()
        rows = [
            ("baseline: one-page PDF", base, ""),
            (f"readiness PDF, live ({EVIDENCE_ITEMS} evidence)", live, f"{pages(live[3])} pages"),
            (
                f"readiness PDF, final ({EVIDENCE_ITEMS} evidence)",
                final,
                f"{pages(final[3])} pages",
            ),
            (f"instansi summary PDF ({args.units} units)", summary, f"{pages(summary[3])} pages"),
            (f"dashboard page ({args.units} units)", board, f"{queries_all} queries"),
        ]
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min)")
        print()
        for name, (seconds, cpu, peak, _result), note in rows:
            ratio = seconds / base[0] if base[0] else 0
            print(
                f"{name:<44} {seconds:6.2f} s wall {cpu:6.2f} s cpu  peak {peak:5.1f} MiB"
                f"  {ratio:5.0f}x baseline  {note}"
            )
        print()
        print(
            f"dashboard queries: {queries_all} for {args.units} units, {queries_five} for 5 units"
        )
        ok_time = all(r[1][0] < GOAL_SECONDS for r in rows[1:4])
        ok_queries = queries_all == queries_five
        print(f"goal: each PDF < {GOAL_SECONDS:.0f} s: {'met' if ok_time else 'NOT met'}")
        print(f"goal: dashboard queries independent of units: {'met' if ok_queries else 'NOT met'}")
        return 0 if ok_time and ok_queries else 1


if __name__ == "__main__":
    sys.exit(main())
