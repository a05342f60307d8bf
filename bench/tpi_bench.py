"""Server time of the TPI evaluation view against the plain admin change view, in one run.

    .venv/bin/python bench/tpi_bench.py [--rounds 30]

Builds a throw-away SQLite database (migrations, rulebooks, the demo organisation, one
assessment with all 110 indicators, 22 counts and 3 Hasil figures answered by the unit with a
penjelasan, bukti dukung attached to every indicator, submitted, opened by the TPI and answered by
the TPI in full with a catatan on every tenth indicator), then times, with Django's test client
and production settings (DEBUG off, cached templates):

- plain: Django's own admin change view of the same assessment (a plain ModelAdmin with the
  model's fields and no inlines, on a separate AdminSite), as a superuser;
- evaluation: the TPI evaluation change view (/admin/assessments/assessment/<pk>/change/) as the
  assigned TPI member (every field editable);
- evaluation-ro: the same view as the operator (read-only);
- history: the audit trail of the same assessment.

Rounds interleave the views so that machine noise hits them alike; the figures are medians and
the ratios are against `plain`.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure(db_path: str, media: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="zi_portal.settings",
        DEBUG="false",
        SECRET_KEY="bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{db_path}",
        MEDIA_ROOT=media,
    )
    import django
    from django.conf import settings

    django.setup()
    # No collectstatic here: plain static storage instead of the manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.files.storage import storages

    storages._storages = {}
    storages._backends = None


def build_data():
    import datetime as dt

    from django.core.files.base import ContentFile
    from django.core.management import call_command

    from assessments import evaluation, services
    from assessments.models import Assignment, Predikat
    from assessments.results import lke_layout
    from assessments.rulebooks import load_rulebooks
    from evidence import services as evidence_services
    from evidence.demo import make_pdf
    from organizations.demo import seed_organizations

    call_command("migrate", verbosity=0)
    load_rulebooks()
    world = seed_organizations()
    unit, team = world["units"]["BAUK"], world["users"]["unit2"]
    tpi, admin = world["users"]["tpi"], world["users"]["admin"]
    assessment = services.create_assessment(unit=unit, year=2026, target=Predikat.WBK, by=admin)
    cards = [c for s in lke_layout(assessment.rulebook).sections for c in s.cards]
    for card in cards:
        note = f"Penjelasan indikator {card.code}: dokumen dan kegiatan pendukung."
        if card.control == "option":
            changes = [services.AnswerChange(card.code, card.options[0].key, note, 0)]
        elif card.control == "indeks":
            changes = [services.AnswerChange(card.code, "3.75", note, 0)]
        elif card.control == "nilai":
            changes = [services.AnswerChange(card.code, "0.75", note, 0)]
        else:
            changes = [services.AnswerChange(card.code, None, note, 0)]
            changes += [services.AnswerChange(x.code, "10", None, 0) for x in card.inputs]
        services.save_answers(assessment=assessment, changes=changes, by=team)
    # One evidence file attached to every indicator (as the demo's bundle), plus its own file
    # on the first 20 indicators.
    bundle = evidence_services.upload_evidence(
        unit=unit,
        upload=ContentFile(make_pdf("Kumpulan bukti dukung", ["bench"]), name="bukti.pdf"),
        by=team,
        document_date=dt.date(2026, 1, 15),
        title="Kumpulan bukti dukung LKE 2026",
    ).evidence
    items = {i.code: i for i in assessment.rulebook.lke_items.all()}
    for i, card in enumerate(cards):
        evidence_services.attach(
            evidence=bundle, assessment=assessment, item=items[card.code], by=team
        )
        if i < 20:
            own = evidence_services.upload_evidence(
                unit=unit,
                upload=ContentFile(make_pdf(f"Bukti {card.code}", [card.text[:60]]), name="b.pdf"),
                by=team,
                document_date=dt.date(2026, 2, 1),
                title=f"Bukti {card.code}",
            ).evidence
            evidence_services.attach(
                evidence=own, assessment=assessment, item=items[card.code], by=team
            )
    services.submit_assessment(assessment=assessment, by=team)
    Assignment.objects.create(assessment=assessment, evaluator=tpi, assigned_by=admin)
    evaluation.open_review(assessment=assessment, by=tpi)
    changes = []
    for i, card in enumerate(cards):
        for code in card.codes:
            row = assessment.answers.get(item__code=code)
            note = f"Catatan TPI untuk {card.code}." if code == card.code and i % 10 == 0 else None
            if row.value:
                changes.append(services.AnswerChange(code, row.value, note, 0))
            elif note:
                changes.append(services.AnswerChange(code, None, note, 0))
    evaluation.save_evaluator_answers(assessment=assessment, changes=changes, by=tpi)
    return assessment, world


def install_plain_admin() -> None:
    """A plain ModelAdmin of Assessment (the model's fields, no inlines) on its own AdminSite."""
    from django.conf import settings
    from django.contrib import admin
    from django.urls import clear_url_caches, path

    from assessments.models import Assessment

    site = admin.AdminSite(name="plain")
    site.register(Assessment, admin.ModelAdmin)
    import zi_portal.urls as project_urls

    urls = types.ModuleType("bench_tpi_urls")
    urls.urlpatterns = [path("plain-admin/", site.urls), *project_urls.urlpatterns]
    sys.modules["bench_tpi_urls"] = urls
    settings.ROOT_URLCONF = "bench_tpi_urls"
    clear_url_caches()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        configure(str(Path(tmp) / "bench.sqlite3"), str(Path(tmp) / "media"))
        import warnings

        warnings.simplefilter("ignore")
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        assessment, world = build_data()
        install_plain_admin()
        clients = {}
        for name in ("admin", "tpi"):
            clients[name] = Client()
            clients[name].force_login(world["users"][name])
        pk = assessment.pk
        views = {
            "plain": ("admin", f"/plain-admin/assessments/assessment/{pk}/change/"),
            "evaluation": ("tpi", f"/admin/assessments/assessment/{pk}/change/"),
            "evaluation-ro": ("admin", f"/admin/assessments/assessment/{pk}/change/"),
            "history": ("tpi", f"/admin/assessments/assessment/{pk}/history/"),
        }

        def timed(who: str, url: str) -> tuple[float, int, int]:
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = clients[who].get(url)
                elapsed = time.perf_counter() - start
            assert response.status_code == 200, (url, response.status_code)
            return elapsed, len(response.content), len(queries)

        for who, url in views.values():  # warm caches (templates, parsed rulebook, layout)
            timed(who, url)
        samples: dict[str, list[float]] = {name: [] for name in views}
        sizes: dict[str, tuple[int, int]] = {}
        for _ in range(args.rounds):
            for name, (who, url) in views.items():
                elapsed, size, n_queries = timed(who, url)
                samples[name].append(elapsed)
                sizes[name] = (size, n_queries)

        medians = {name: statistics.median(values) * 1000 for name, values in samples.items()}
        print(
            f"machine: {platform.node()} · {platform.platform()} · {os.cpu_count()} CPU · "
            f"Python {platform.python_version()} · SQLite · DEBUG off · {args.rounds} rounds"
        )
        answered = assessment.evaluator_answers.exclude(value="").count()
        attachments = assessment.evidence_attachments.count()
        print(f"data: 113 indicators, {answered} TPI answers, {attachments} evidence attachments")
        print(f"{'view':<15}{'median ms':>11}{'x plain':>9}{'bytes':>10}{'queries':>9}")
        for name in views:
            size, n_queries = sizes[name]
            print(
                f"{name:<15}{medians[name]:>11.1f}{medians[name] / medians['plain']:>9.2f}"
                f"{size:>10}{n_queries:>9}"
            )


if __name__ == "__main__":
    main()
