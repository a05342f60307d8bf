"""The readiness dashboard's rows: scope, figures (self, TPI, snapshot), filters, sorting, and a
number of queries that does not grow with the number of units."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import dashboard
from assessments.results import lke_state
from organizations.models import UnitKerja
from tests.assessments.conftest import fill
from tests.leadership.conftest import add_evidence, finalise, tpi_answer

pytestmark = pytest.mark.django_db


def _rows(user, instansi, year=2026):
    return dashboard.build_board(user, instansi, year).rows


def test_every_unit_of_the_instansi_appears_even_without_an_assessment(world, filled):
    rows = _rows(world.users["pimpinan"], world.instansi)
    assert [(r.unit.code, r.status) for r in rows] == [("U1", "draft"), ("U2", "none")]
    row = rows[0]
    state = lke_state(filled)
    assert row.self.total == state.result.total
    assert row.self.meets == {code: v.meets for code, v in state.verdicts.items()}
    assert row.self.complete and row.tpi is None and row.basis is row.self
    assert row.self.answered == row.self.items
    assert [a.key for a in row.self.areas] == [a.key for a in state.rulebook.areas]
    assert row.weakest.percent == min(a.percent for a in state.result.areas.values())


def test_pimpinan_unit_sees_only_the_units_they_head(world, filled, make_assessment):
    make_assessment(unit=world.other_unit)
    rows = _rows(world.users["pimpinan_unit"], world.instansi)
    assert [r.unit.code for r in rows] == ["U1"]


def test_an_operator_of_another_instansi_sees_none_of_these_units(world, filled):
    assert _rows(world.users["outsider_operator"], world.instansi) == []


def test_tpi_figures_come_from_the_evaluators_answers(world, filled):
    tpi_answer(filled, {"A.I.1.i.a": ("Tidak", "Belum ada SK.")})
    row = _rows(world.users["pimpinan"], world.instansi)[0]
    assert row.tpi is not None and row.tpi.total < row.self.total
    assert row.basis is row.tpi and row.basis_is_tpi


def test_a_tpi_evaluation_in_progress_is_provisional_not_the_basis(world, filled, client_for):
    """Walkthrough: 13 of 113 indicators scored by the TPI made the dashboard show 13,23 with
    "WBK ✗" as the unit's standing. An unfinished TPI is shown as provisional; the decision
    figures stay the unit's until the TPI has scored everything (or finalised)."""
    from assessments.models import EvaluatorAnswer

    tpi_answer(filled)
    keep = list(EvaluatorAnswer.objects.filter(assessment=filled).values_list("pk", flat=True))
    EvaluatorAnswer.objects.filter(assessment=filled).exclude(pk__in=keep[:10]).delete()
    row = _rows(world.users["pimpinan"], world.instansi)[0]
    assert row.tpi is not None and not row.tpi.complete
    assert row.tpi_partial and not row.basis_is_tpi and row.basis is row.self
    assert dashboard.verdict_of(row) == "WBK"  # the unit's complete self-assessment meets it
    board = dashboard.build_board(world.users["pimpinan"], world.instansi, 2026)
    assert board.trend[-1].tpi_average is None
    html = client_for("pimpinan").get(reverse("leadership:board")).content.decode()
    assert 'data-testid="tpi-partial"' in html and "sementara:" in html


def test_trend_average_leaves_out_assessments_nobody_started(world, filled, make_assessment):
    make_assessment(unit=world.other_unit)  # opened, untouched
    board = dashboard.build_board(world.users["pimpinan"], world.instansi, 2026)
    year = board.trend[-1]
    assert year.assessments == 2
    assert year.self_average == lke_state(filled).result.total


def test_a_final_assessment_is_shown_from_its_snapshot(world, filled):
    from assessments.models import Answer

    tpi_answer(filled)
    finalise(filled)
    before = _rows(world.users["pimpinan"], world.instansi)[0]
    Answer.objects.filter(assessment=filled).update(value="")
    after = _rows(world.users["pimpinan"], world.instansi)[0]
    assert after.final and after.self.total == before.self.total
    assert after.tpi.total == before.tpi.total


def test_evidence_completeness_counts_valued_items_with_acceptable_evidence(world, filled):
    add_evidence(filled, 4, statuses=("diterima", "perlu_perbaikan"))
    row = _rows(world.users["pimpinan"], world.instansi)[0]
    assert row.evidence_claimed == sum(
        1 for v in lke_state(filled).result.values.values() if (v or 0) > 0
    )
    assert row.evidence_supported == 2  # the two flagged perlu perbaikan do not count


def test_eligibility_is_counted_from_the_rulebook(world, filled):
    row = _rows(world.users["pimpinan"], world.instansi)[0]
    assert set(row.eligibility) == {"met", "not_met", "not_filled"}
    assert row.eligibility["not_filled"] > 0 and not row.eligibility_met


def test_trend_lists_earlier_years_of_the_same_target(world, make_assessment):
    for year, rank in ((2024, 2), (2025, 1), (2026, 0)):
        fill(make_assessment(year=year), rank=rank, evidence=False)
    board = dashboard.build_board(world.users["pimpinan"], world.instansi, 2026)
    row = board.rows[0]
    assert [p.year for p in row.trend] == [2024, 2025, 2026]
    totals = [p.self_total for p in row.trend]
    assert totals == sorted(totals)
    assert [y.year for y in board.trend] == [2024, 2025, 2026]
    assert dashboard.board_years(world.users["pimpinan"], world.instansi) == [2026, 2025, 2024]


def test_filters_and_sorting(world, make_assessment):
    strong = make_assessment()
    fill(strong, evidence=False)
    weak = make_assessment(unit=world.other_unit)
    fill(weak, rank=2, evidence=False)
    third = UnitKerja.objects.create(instansi=world.instansi, code="U3", name="Unit Tiga")
    rows = _rows(world.users["pimpinan"], world.instansi)
    assert [r.unit.code for r in dashboard.filter_rows(rows, verdict="WBK")] == ["U1"]
    assert [r.unit.code for r in dashboard.filter_rows(rows, verdict="none")] == ["U2"]
    assert [r.unit.code for r in dashboard.filter_rows(rows, status="none")] == [third.code]
    assert [r.unit.code for r in dashboard.filter_rows(rows, status="draft")] == ["U1", "U2"]
    assert [r.unit.code for r in dashboard.sort_rows(rows, "-self")] == ["U1", "U2", "U3"]
    assert [r.unit.code for r in dashboard.sort_rows(rows, "self")] == ["U3", "U2", "U1"]
    assert [r.unit.code for r in dashboard.sort_rows(rows, "-unit")] == ["U3", "U2", "U1"]
    assert [r.unit.code for r in dashboard.sort_rows(rows, "nonsense")] == ["U1", "U2", "U3"]


def test_dashboard_page_filters_by_query_string(client_for, world, make_assessment):
    fill(make_assessment(), evidence=False)
    fill(make_assessment(unit=world.other_unit), rank=2, evidence=False)
    client = client_for("pimpinan")
    page = client.get(reverse("leadership:board"), {"verdict": "WBK", "sort": "-self"})
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="board-row"') == 1 and 'data-unit="U1"' in html
    assert "Nilai total per unit" in html and "<svg" in html
    bad = client.get(reverse("leadership:board"), {"year": "abc", "status": "x", "sort": "zzz"})
    assert bad.status_code == 200 and bad.content.decode().count('data-testid="board-row"') == 2


def _make_units(world, start: int, count: int, lke_version) -> None:
    from assessments.models import Assessment

    for i in range(start, start + count):
        unit = UnitKerja.objects.create(instansi=world.instansi, code=f"N{i:03d}", name=f"Unit {i}")
        for year in (2025, 2026):
            assessment = Assessment.objects.create(
                unit=unit, year=year, target="WBK", rulebook=lke_version
            )
            fill(assessment, rank=i % 3, evidence=False)
            if i % 4 == 0 and year == 2026:
                tpi_answer(assessment)
                add_evidence(assessment, 2)


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("leadership:board"), {"year": 2026})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_queries_do_not_grow_with_the_number_of_units(
    world, client_for, lke_version, filled
):
    tpi_answer(filled)
    finalise(filled)
    client = client_for("pimpinan")
    _make_units(world, 0, 3, lke_version)
    _count_queries(client)  # warm the per-process rulebook caches
    few = _count_queries(client)
    _make_units(world, 3, 47, lke_version)
    many = _count_queries(client)
    assert UnitKerja.objects.filter(instansi=world.instansi).count() == 52
    assert many == few, f"{few} queries for 5 units, {many} for 52"
    assert many <= 20
