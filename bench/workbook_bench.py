"""Time and peak memory of the LKE workbook export and import (assessments/workbook.py).

    .venv/bin/python bench/workbook_bench.py [--rounds 7]

Builds a throw-away SQLite database (migrations, rulebooks, the demo organisation, one
assessment with every indicator, count and Hasil figure answered and a penjelasan on each,
two evidence links per indicator), then measures:

- export: `export_workbook(assessment, evidence_links=...)` to xlsx bytes;
- import (ours): read + preview + apply of that export into an empty draft of the same unit
  (every answer and note is a change, the heaviest case);
- import (resmi): the same for a copy of the official template (../shared/domain) filled in
  column K, read + preview + apply into an empty draft.

Times are medians over the rounds (without tracemalloc); peak memory is tracemalloc's peak of
Python allocations in one further round of each. Goal: each under 3 seconds. Exits 1 if not.
"""

from __future__ import annotations

import argparse
import io
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
OFFICIAL = ROOT.parent / "shared" / "domain" / "lke-zi-90-2021-workbook.xlsx"
GOAL_SECONDS = 3.0


def configure(db_path: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="zi_portal.settings",
        DEBUG="false",
        SECRET_KEY="bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{db_path}",
    )
    import django

    django.setup()


def build_data():
    from django.core.management import call_command

    from assessments import services
    from assessments.models import Predikat
    from assessments.rulebooks import engine_rulebook, load_rulebooks
    from organizations.demo import seed_organizations

    call_command("migrate", verbosity=0)
    load_rulebooks()
    world = seed_organizations()
    unit, user, admin = world["units"]["BAAK"], world["users"]["unit"], world["users"]["admin"]
    full = services.create_assessment(unit=unit, year=2026, target=Predikat.WBK, by=admin)
    rb = engine_rulebook(full.rulebook)
    changes = []
    for i, (code, spec) in enumerate(rb.plan.specs.items()):
        note = f"Penjelasan {code}: dokumen dan kegiatan pendukung tahun berjalan."
        if spec.kind == "option":
            value = spec.options[i % len(spec.options)]
        elif spec.kind == "count":
            value = str(5 + i % 17)
        elif spec.kind == "indeks":
            value = "3.61"
        elif spec.kind == "nilai":
            value = "0.75"
        else:
            value = None
        changes.append(services.AnswerChange(code, value, note, 0))
    services.save_answers(assessment=full, changes=changes, by=user)
    links = [
        (ind.code, f"Bukti {ind.code} nomor {n}", f"https://drive.example.go.id/{ind.code}/{n}.pdf")
        for ind in rb.indicators()
        for n in (1, 2)
    ]
    empty = {
        year: services.create_assessment(unit=unit, year=year, target=Predikat.WBK, by=admin)
        for year in (2024, 2025)
    }
    return full, empty, links, user, rb


def official_filled(rb, full) -> bytes:
    import openpyxl

    from assessments.models import Answer

    values = dict(
        Answer.objects.filter(assessment=full).values_list("item__code", "value").exclude(value="")
    )
    wb = openpyxl.load_workbook(OFFICIAL)
    ws = wb["LKE ZI"]
    for ind in rb.indicators():
        for code, row in [
            (ind.code, ind.workbook_row),
            *((i.code, i.workbook_row) for i in ind.inputs),
        ]:
            if code in values:
                ws[f"K{row}"] = values[code] if not values[code].isdigit() else int(values[code])
    for hi in rb.hasil_indicators():
        value = values[hi.code]
        ws[f"K{hi.workbook_row}"] = float(value) if hi.type == "INDEKS" else value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def measure(
    fn: Callable[[], object], reset: Callable[[], None], rounds: int
) -> tuple[float, float, int]:
    """(median seconds, max seconds, tracemalloc peak bytes)."""
    times = []
    for _ in range(rounds):
        reset()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    reset()
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), max(times), peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        configure(str(Path(tmp) / "bench.sqlite3"))
        import warnings

        warnings.simplefilter("ignore")
        from assessments.models import Answer, AssessmentEvent
        from assessments.workbook import (
            apply_import,
            export_workbook,
            preview_import,
            read_workbook,
        )

        full, empty, links, user, rb = build_data()
        exported = export_workbook(full, evidence_links=links)
        official = official_filled(rb, full) if OFFICIAL.exists() else None

        def reset(target) -> Callable[[], None]:
            def _reset() -> None:
                Answer.objects.filter(assessment=target).delete()
                AssessmentEvent.objects.filter(assessment=target, action="import_workbook").delete()

            return _reset

        def importer(data: bytes, target) -> Callable[[], object]:
            def _import() -> int:
                read = read_workbook(data, version=target.rulebook)
                preview = preview_import(target, read)
                assert not preview.errors, preview.errors[:3]
                return apply_import(assessment=target, preview=preview, by=user)

            return _import

        export_workbook(full, evidence_links=links)  # warm the layout and text caches
        results = {
            "export": measure(
                lambda: export_workbook(full, evidence_links=links), lambda: None, args.rounds
            ),
            "import (ours)": measure(
                importer(exported, empty[2025]), reset(empty[2025]), args.rounds
            ),
        }
        if official is not None:
            results["import (resmi)"] = measure(
                importer(official, empty[2024]), reset(empty[2024]), args.rounds
            )
        written = Answer.objects.filter(assessment=empty[2025]).count()

    print(f"machine     {platform.platform()} ({platform.machine()})")
    print(f"processor   {platform.processor() or 'unknown'}; cpu count {os.cpu_count()}")
    print(f"python      {platform.python_implementation()} {platform.python_version()}")
    print(
        f"data        {len(rb.plan.specs)} answer rows with notes, {len(links)} evidence links; "
        f"export {len(exported) / 1024:.0f} KiB; {written} rows written per import; "
        f"rounds = {args.rounds}"
    )
    print()
    print(f"{'operation':<16}{'median s':>10}{'max s':>10}{'peak MiB':>10}")
    ok = True
    for name, (median, worst, peak) in results.items():
        ok &= median < GOAL_SECONDS
        print(f"{name:<16}{median:>10.3f}{worst:>10.3f}{peak / 1024 / 1024:>10.1f}")
    print()
    print(f"goal: each under {GOAL_SECONDS:.0f} s: {'met' if ok else 'NOT met'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
