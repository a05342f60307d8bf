"""build_report_context / build_instansi_summary_context / build_verification_context, tested as
data: every figure the PDF prints, from a snapshot-shaped dict, without the database."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest

from assessments import dashboard, reports
from assessments.reporting import id_number
from assessments.results import lke_state
from assessments.rulebooks import engine_rulebook
from tests.assessments.conftest import fill
from tests.leadership.conftest import add_evidence, finalise, tpi_answer

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 11, 3, 9, 30, tzinfo=dt.UTC)


def _context(data, rulebook, **kwargs):
    return reports.build_report_context(
        data, rulebook, status_label="Draf", generated_at=AT, **kwargs
    )


def test_live_data_has_exactly_the_snapshot_keys(filled):
    data = reports.live_report_data(filled)
    assert set(data) == {
        "rulebook", "instansi", "unit", "year", "target", "self", "tpi", "evidence",
        "eligibility", "notes", "finalised_by", "finalised_at",
    }  # fmt: skip
    assert set(data["self"]) == {"answers", "result"}
    assert data["tpi"] is None  # the TPI has not answered
    assert data["finalised_at"] is None
    sample = next(iter(data["self"]["answers"].values()))
    assert set(sample) == {"value", "note"}


def test_live_data_matches_the_snapshot_that_finalisation_stores(filled, world):
    tpi_answer(filled)
    add_evidence(filled, 3)
    snapshot = finalise(filled)
    live = reports.live_report_data(filled)
    for key in ("rulebook", "instansi", "unit", "year", "target", "evidence", "eligibility"):
        assert live[key] == snapshot.content[key], key
    assert live["self"] == snapshot.content["self"]
    assert live["tpi"]["result"] == snapshot.content["tpi"]["result"]


def test_context_figures_come_from_the_engine_with_indonesian_decimals(filled):
    state = lke_state(filled)
    rulebook = state.rulebook
    context = _context(reports.live_report_data(filled), rulebook)
    assert context["self_total"] == id_number(state.result.total)
    assert "," in context["self_total"]
    figures = {f["label"]: f for f in context["figures"]}
    assert figures["Nilai total"]["self"] == id_number(state.result.total)
    assert figures["Nilai total"]["max"] == "100"
    assert figures[rulebook.pengungkit_name]["self"] == id_number(state.result.pengungkit)
    assert figures["Nilai total"]["tpi"] is None
    assert context["has_tpi"] is False and context["final"] is False
    assert context["verification"] is None
    assert context["consistent"] is True


def test_every_criterion_of_every_predikat_with_the_rulebooks_minimum(filled):
    state = lke_state(filled)
    rulebook = state.rulebook
    context = _context(reports.live_report_data(filled), rulebook)
    assert [v["code"] for v in context["verdicts"]] == [p.code for p in rulebook.predikat]
    for verdict, predikat in zip(context["verdicts"], rulebook.predikat, strict=True):
        assert verdict["self_meets"] == state.verdicts[predikat.code].meets
        total_min = next(c.min for c in predikat.criteria if c.criterion == "total")
        total_row = next(r for r in verdict["rows"] if r["name"] == "total")
        assert total_row["required"] == id_number(total_min)
        assert total_row["self"] == id_number(state.result.total)
        assert total_row["tpi"] is None and total_row["tpi_passed"] is None
        names = [r["name"] for r in verdict["rows"]]
        assert names == [c.criterion for c in state.verdicts[predikat.code].criteria]
    assert context["target_verdict"]["code"] == "WBK"
    assert context["target_verdict"]["self_meets"] is True


def test_every_area_part_and_sub_area_is_listed_with_its_score(filled):
    state = lke_state(filled)
    rulebook = state.rulebook
    context = _context(reports.live_report_data(filled), rulebook)
    sub_rows = [r for r in context["areas"] if r["kind"] == "sub"]
    sub_codes = [sa.code for part in rulebook.parts for pa in part.areas for sa in pa.sub_areas]
    assert sorted(r["code"] for r in sub_rows) == sorted(sub_codes)
    for r in sub_rows:
        assert r["self"] == id_number(state.result.sub_areas[r["code"]])
    areas = [r for r in context["areas"] if r["kind"] == "area"]
    assert [a["name"] for a in areas] == [a.name for a in rulebook.areas]
    first = rulebook.areas[0]
    assert areas[0]["self"] == id_number(state.result.areas[first.key].score)
    assert areas[0]["self_percent"] == f"{id_number(state.result.areas[first.key].percent)}%"


def test_area_chart_draws_the_rulebooks_area_minima(filled):
    rulebook = lke_state(filled).rulebook
    context = _context(reports.live_report_data(filled), rulebook)
    svg = str(context["area_chart"])
    for predikat in rulebook.predikat:
        minimum = next(c.min_percent for c in predikat.criteria if c.criterion == "area")
        assert f"Minimum {predikat.name} ({minimum}%)" in svg
    assert 'font-family="DejaVu Sans' in svg
    for area in rulebook.areas:
        assert area.name[:20] in svg


def test_tpi_columns_notes_and_differences(filled, world):
    tpi_answer(
        filled,
        {"A.I.1.i.a": ("Tidak", "SK tim belum ditandatangani.")},
        by=world.users["tpi"],
    )
    data = reports.live_report_data(filled)
    rulebook = engine_rulebook(filled.rulebook)
    context = _context(data, rulebook)
    assert context["has_tpi"] is True
    assert context["tpi_total"] == data["tpi"]["result"]["total"].replace(".", ",")
    assert context["tpi_total"] != context["self_total"]
    items = context["tpi_notes"]["items"]
    assert [i["code"] for i in items] == ["A.I.1.i.a"]
    assert items[0]["differs"] and items[0]["note"] == "SK tim belum ditandatangani."
    assert items[0]["self"].startswith("Ya") and items[0]["tpi"].startswith("Tidak")
    # The gap plan follows the TPI's figures once the TPI has scored.
    assert context["gap"]["source"] == "penilaian TPI"


def test_incomplete_assessment_gap_plan_and_warning(make_assessment):
    assessment = make_assessment()
    fill(assessment, skip={"A.I.1.i.a", "A.I.2.i.a"}, rank=2, evidence=False)
    rulebook = engine_rulebook(assessment.rulebook)
    context = _context(reports.live_report_data(assessment), rulebook)
    assert context["self_incomplete"] >= 2
    gap = context["gap"]
    assert gap["source"] == "penilaian mandiri"
    assert gap["completes"] >= 2
    assert gap["steps"] and all(s["points"].replace(",", "").isdigit() for s in gap["steps"])
    assert context["target_verdict"]["self_meets"] is False
    complete = next(r for r in context["verdicts"][0]["rows"] if r["name"] == "complete")
    assert complete["self_passed"] is False and "belum diisi" in complete["self"]


def test_evidence_index_in_rulebook_order_with_hash_prefix_and_review_status(filled):
    add_evidence(filled, 5, statuses=("diterima", "perlu_perbaikan", "belum_direviu"))
    rulebook = engine_rulebook(filled.rulebook)
    data = reports.live_report_data(filled)
    data["evidence"].reverse()  # the context sorts by the rulebook, not by the input
    evidence = _context(data, rulebook)["evidence"]
    assert [e["number"] for e in evidence["rows"]] == [1, 2, 3, 4, 5]
    order = list(rulebook.plan.specs)
    positions = [order.index(e["item"]) for e in evidence["rows"]]
    assert positions == sorted(positions)
    first = evidence["rows"][0]
    assert len(first["sha_prefix"]) == reports.SHA_PREFIX
    assert first["document_date"] == dt.date(2026, 1, 1)
    labels = {e["status"]: e["status_label"] for e in evidence["rows"]}
    assert labels == {
        "diterima": "Diterima",
        "perlu_perbaikan": "Perlu perbaikan",
        "belum_direviu": "Belum direviu",
    }
    flagged = next(e for e in evidence["rows"] if e["status"] == "perlu_perbaikan")
    assert flagged["review_note"]


def test_a_tampered_snapshot_is_flagged_as_inconsistent(filled):
    rulebook = engine_rulebook(filled.rulebook)
    data = copy.deepcopy(reports.live_report_data(filled))
    data["self"]["result"]["total"] = "99.99"
    assert _context(data, rulebook)["consistent"] is False


def test_final_context_carries_the_verification(filled, world):
    tpi_answer(filled)
    snapshot = finalise(filled, by=world.users["tpi"], code="QWER2345TYUP")
    context = reports.readiness_report_context(
        filled, verify_url=lambda code: f"https://zi.example/verifikasi/{code}/"
    )
    assert context["final"] is True
    assert context["verification"]["code"] == "QWER2345TYUP"
    assert context["verification"]["url"] == "https://zi.example/verifikasi/QWER2345TYUP/"
    assert context["verification"]["sha256"] == snapshot.content_sha256
    assert "<svg" in context["verification"]["qr_svg"]
    assert context["tpi_notes"]["general"] == "Siap diusulkan."
    assert context["finalised_by"]


def test_final_report_reads_the_snapshot_not_the_live_answers(filled, world):
    from assessments.models import Answer

    tpi_answer(filled)
    finalise(filled)
    before = reports.readiness_report_context(filled, verify_url=str)["self_total"]
    Answer.objects.filter(assessment=filled).update(value="")  # the live rows change later
    filled.__dict__.pop("_lke_state", None)
    assert reports.readiness_report_context(filled, verify_url=str)["self_total"] == before


def test_build_report_context_is_pure(filled, django_assert_num_queries):
    data = reports.live_report_data(filled)
    rulebook = engine_rulebook(filled.rulebook)
    with django_assert_num_queries(0):
        _context(data, rulebook)


def test_verification_context(filled):
    tpi_answer(filled)
    snapshot = finalise(filled, code="ZXCV2345BNMK")
    context = reports.build_verification_context(
        snapshot.content,
        code=snapshot.verification_code,
        sha256=snapshot.content_sha256,
        finalised_at=snapshot.finalised_at,
    )
    assert context["code"] == "ZXCV2345BNMK"
    assert context["unit_name"] == filled.unit.name and context["year"] == 2026
    assert context["self_total"] == snapshot.content["self"]["result"]["total"].replace(".", ",")
    assert context["tpi_total"] == snapshot.content["tpi"]["result"]["total"].replace(".", ",")
    assert {v["code"] for v in context["verdicts"]} == {"WBK", "WBBM"}
    assert context["sha_prefix"] == snapshot.content_sha256[:16]


def test_instansi_summary_context(world, make_assessment, django_assert_num_queries):
    strong = make_assessment()
    fill(strong, evidence=False)
    weak = make_assessment(unit=world.other_unit)
    fill(weak, rank=2, evidence=False)
    board = dashboard.build_board(world.users["pimpinan"], world.instansi, 2026)
    with django_assert_num_queries(0):
        context = reports.build_instansi_summary_context(board, generated_at=AT)
    assert context["instansi"] == world.instansi.name and context["year"] == 2026
    assert context["units"] == 2 and context["assessed"] == 2
    rows = {r["code"]: r for r in context["rows"]}
    assert rows["U1"]["self_total"] == id_number(lke_state(strong).result.total)
    assert {m["code"]: m["meets"] for m in rows["U1"]["self_meets"]}["WBK"] is True
    assert {m["code"]: m["meets"] for m in rows["U2"]["self_meets"]}["WBK"] is False
    assert {p["code"]: p["meets"] for p in context["predikat"]}["WBK"] == 1
    assert len(rows["U1"]["areas"]) == 6
    assert all(a["level"] in (0, 1, 2) for a in rows["U2"]["areas"])
    assert len(context["charts"]) == 1 and "Minimum Menuju WBK (75)" in context["charts"][0]


def test_unit_label_and_minima_come_from_the_rulebook(lke_version):
    rulebook = engine_rulebook(lke_version)
    minima = reports.predikat_minima(rulebook)
    assert [m["code"] for m in minima] == [p.code for p in rulebook.predikat]
    assert minima[0]["total"] == Decimal("75") and minima[1]["area_percent"] == Decimal("75")


def test_a_tpi_evaluation_in_progress_is_marked_and_not_planned_from(filled):
    from assessments.models import EvaluatorAnswer

    tpi_answer(filled)
    keep = list(EvaluatorAnswer.objects.filter(assessment=filled).values_list("pk", flat=True))
    EvaluatorAnswer.objects.filter(assessment=filled).exclude(pk__in=keep[:10]).delete()
    rulebook = engine_rulebook(filled.rulebook)
    context = _context(reports.live_report_data(filled), rulebook)
    assert context["tpi_partial"] and 0 < context["tpi_scored"] < context["items_total"]
    assert context["gap"]["source"] == "penilaian mandiri"
    complete = next(r for r in context["verdicts"][0]["rows"] if r["name"] == "complete")
    # counted in indicators (113 in all), not answer fields (135 with the count inputs)
    missing = int(complete["tpi"].split()[0])
    assert missing == context["items_total"] - context["tpi_scored"]
