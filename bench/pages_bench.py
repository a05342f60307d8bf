"""Server time of the LKE page and the score panel against a bare Django view, in one run.

    .venv/bin/python bench/pages_bench.py [--rounds 30]

Builds a throw-away SQLite database (migrations, rulebooks, the demo organisation, one
assessment with all 110 indicators, 22 counts and 3 Hasil figures answered), then times, with
Django's test client and production settings (DEBUG off, cached templates):

- bare: a plain view returning the same indicator list (code, text, criterion, every option's
  criterion, the answer and its penjelasan) from the same rows, with a minimal template;
- lke: the full LKE page (/penilaian/<pk>/lke/, every section), as the unit team sees it;
- lke-own: the same page with the bukti dukung panel include rendered empty (the LKE page's
  own cost, without the evidence app's per-indicator panel);
- lke-cold: the full LKE page with the per-process gap-plan cache emptied first (the first view
  after a save, when the plan is computed anew);
- panel: the score panel partial (/penilaian/<pk>/skor/);
- lke-ev (information, not the aim): the full LKE page of a second assessment answered the same
  way with one bukti dukung (a link) attached to every indicator, so that every card renders the
  evidence list instead of the empty panel.

Rounds interleave the views so that machine noise hits them alike; the figures are medians
and the ratios are against `bare`.
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
    # No collectstatic here: plain static storage instead of the manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.files.storage import storages

    storages._storages = {}
    storages._backends = None


def answer_all(assessment, user) -> None:
    from assessments import services
    from assessments.results import lke_layout

    for i, card in enumerate(c for s in lke_layout(assessment.rulebook).sections for c in s.cards):
        note = f"Penjelasan indikator {card.code}: dokumen dan kegiatan pendukung."
        if card.control == "option":
            key = card.options[i % len(card.options)].key
            changes = [services.AnswerChange(card.code, key, note, 0)]
        elif card.control == "indeks":
            changes = [services.AnswerChange(card.code, "3.61", note, 0)]
        elif card.control == "nilai":
            changes = [services.AnswerChange(card.code, "0.75", note, 0)]
        else:
            changes = [services.AnswerChange(card.code, None, note, 0)]
            changes += [
                services.AnswerChange(x.code, str(8 + j), None, 0)
                for j, x in enumerate(card.inputs)
            ]
        services.save_answers(assessment=assessment, changes=changes, by=user)


def with_evidence(unit, user, admin):
    """A 2025 assessment answered like the main one, one link attached to every indicator."""
    import datetime as dt

    from assessments import services
    from assessments.models import LkeItem, Predikat
    from evidence import services as evidence

    assessment = services.create_assessment(unit=unit, year=2025, target=Predikat.WBK, by=admin)
    answer_all(assessment, user)
    items = LkeItem.objects.filter(version=assessment.rulebook).exclude(kind="input")
    for item in items:
        evidence.add_link(
            unit=unit,
            url=f"https://dokumen.example.go.id/{item.code}",
            title=f"Bukti {item.code}",
            document_date=dt.date(2025, 3, 1),
            by=user,
            attach_to=(assessment, item),
        )
    return assessment


def build_data():
    from django.core.management import call_command

    from assessments import services
    from assessments.models import Predikat
    from assessments.rulebooks import load_rulebooks
    from organizations.demo import seed_organizations

    call_command("migrate", verbosity=0)
    load_rulebooks()
    world = seed_organizations()
    unit, user = world["units"]["BAAK"], world["users"]["unit"]
    assessment = services.create_assessment(
        unit=unit, year=2026, target=Predikat.WBK, by=world["users"]["admin"]
    )
    answer_all(assessment, user)
    assessment.evidence_twin = with_evidence(unit, user, world["users"]["admin"])
    return assessment, user


BARE_TEMPLATE = """<!doctype html><html><body><h1>{{ assessment }}</h1><ol>
{% for item in items %}<li id="item-{{ item.code }}"><b>{{ item.code }}</b> {{ item.text }}
<p>{{ item.criterion }}</p><ul>{% for o in item.options.all %}<li>{{ o.key }} {{ o.criterion }}</li>{% endfor %}</ul>
{% with a=answers|get:item.code %}<p>{{ a.value }} {{ a.note }}</p>{% endwith %}</li>
{% endfor %}</ol></body></html>"""


def install_bare_view() -> None:
    from django.conf import settings
    from django.http import HttpResponse
    from django.template import Context, Engine
    from django.urls import clear_url_caches, path

    from assessments.models import Answer, Assessment, LkeItem

    engine = Engine(libraries={})
    engine.template_builtins.append(_bare_library())
    template = engine.from_string(BARE_TEMPLATE)

    def bare(request, pk: int) -> HttpResponse:
        assessment = Assessment.objects.select_related("unit").get(pk=pk)
        items = (
            LkeItem.objects.filter(version_id=assessment.rulebook_id)
            .exclude(kind="input")
            .prefetch_related("options")
            .order_by("order")
        )
        answers = {
            a.item.code: a
            for a in Answer.objects.filter(assessment=assessment).select_related("item")
        }
        html = template.render(
            Context({"assessment": assessment, "items": items, "answers": answers})
        )
        return HttpResponse(html)

    import zi_portal.urls as project_urls

    urls = types.ModuleType("bench_urls")
    urls.urlpatterns = [path("bench/bare/<int:pk>/", bare), *project_urls.urlpatterns]
    sys.modules["bench_urls"] = urls
    settings.ROOT_URLCONF = "bench_urls"
    clear_url_caches()


def _bare_library():
    from django import template

    library = template.Library()
    library.filter("get", lambda mapping, key: mapping.get(key))
    return library


def without_evidence_panel():
    """Render the per-indicator evidence include as nothing (to time the LKE page's own part)."""
    from django.template import Template, engines

    engine = engines["django"].engine
    original = engine.find_template

    def find(name, dirs=None, skip=None):
        if name == "assessments/_item_evidence.html":
            return Template(""), None
        return original(name, dirs, skip)

    engine.find_template = find
    return lambda: setattr(engine, "find_template", original)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        configure(str(Path(tmp) / "bench.sqlite3"))
        import warnings

        warnings.simplefilter("ignore")
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        assessment, user = build_data()
        install_bare_view()
        client = Client()
        client.force_login(user)
        urls = {
            "bare": f"/bench/bare/{assessment.pk}/",
            "lke": f"/penilaian/{assessment.pk}/lke/",
            "panel": f"/penilaian/{assessment.pk}/skor/",
            "lke-ev": f"/penilaian/{assessment.evidence_twin.pk}/lke/",
        }

        def timed(url: str) -> tuple[float, int, int]:
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                elapsed = time.perf_counter() - start
            assert response.status_code == 200, (url, response.status_code)
            return elapsed, len(response.content), len(queries)

        for url in urls.values():  # warm caches (templates, parsed rulebook, layout)
            timed(url)
        samples: dict[str, list[float]] = {name: [] for name in [*urls, "lke-own", "lke-cold"]}
        sizes: dict[str, tuple[int, int]] = {}
        for _ in range(args.rounds):
            for name, url in urls.items():
                elapsed, size, n_queries = timed(url)
                samples[name].append(elapsed)
                sizes[name] = (size, n_queries)
            from assessments import results

            results._PLANS.clear()  # the first view after a save: the gap plan computed anew
            elapsed, size, n_queries = timed(urls["lke"])
            samples["lke-cold"].append(elapsed)
            sizes["lke-cold"] = (size, n_queries)
            restore = without_evidence_panel()
            elapsed, size, n_queries = timed(urls["lke"])
            restore()
            samples["lke-own"].append(elapsed)
            sizes["lke-own"] = (size, n_queries)

        medians = {name: statistics.median(values) * 1000 for name, values in samples.items()}
        print(
            f"machine: {platform.node()} · {platform.machine()} · {os.cpu_count()} CPU · "
            f"Python {platform.python_version()} · SQLite · DEBUG off · {args.rounds} rounds"
        )
        print(f"{'view':<10}{'median ms':>11}{'x bare':>9}{'bytes':>10}{'queries':>9}")
        for name in ["bare", "lke", "lke-cold", "lke-own", "panel", "lke-ev"]:
            size, n_queries = sizes[name]
            print(
                f"{name:<10}{medians[name]:>11.1f}{medians[name] / medians['bare']:>9.2f}"
                f"{size:>10}{n_queries:>9}"
            )


if __name__ == "__main__":
    main()
