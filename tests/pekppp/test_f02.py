"""F-02: the assigned evaluator scores on the rubric, the panel updates, finalising locks."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pekppp import services
from pekppp.models import F02Score, F02Status, PekpppEvent, UnitLokus

pytestmark = pytest.mark.django_db


def _score_url(ule, code="1.a.Ak"):
    return reverse("pekppp:f02_score", args=[ule.pk, code])


def test_sheet_shows_rubric_f01_answers_and_the_panel(pekppp, client_for, world):
    services.save_f01_aspect(
        ule=pekppp.ule,
        aspect_code="I",
        answers={"1.a.Ak.q2": "12"},
        video=None,
        by=world.users["unit_team"],
    )
    html = (
        client_for("evaluator_assigned")
        .get(reverse("pekppp:f02", args=[pekppp.ule.pk]))
        .content.decode()
    )
    assert "Tersedia SP yang memenuhi 14 komponen dan dilakukan penetapan." in html  # rubric 3
    assert html.count('name="score"') == 30 * 6
    assert 'data-testid="score-panel"' in html and "0 dari 30 indikator dinilai" in html
    assert "Berapa jumlah jenis pelayanan yang dimiliki?" in html and ">12<" in html
    assert 'data-testid="skm-context"' in html  # indicators 6.a.B-9.a.Ak show the SKM


def test_htmx_score_returns_the_card_and_the_updated_panel(pekppp, client_for):
    client = client_for("evaluator_assigned")
    response = client.post(
        _score_url(pekppp.ule), {"score": "5", "note": "SP lengkap"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="ind-1.a.Ak"' in html and 'data-testid="saved"' in html
    assert re.search(r'<div id="score-panel"[^>]*hx-swap-oob="true"', html)
    assert "1 dari 30 indikator dinilai" in html
    assert ">0,20<" in html  # 5 x 0.0408 = 0.204
    row = F02Score.objects.get()
    assert (row.score, row.note) == (5, "SP lengkap")


@pytest.mark.parametrize("bad", ["7", "-1", "2.5", "lima", "1e999999"])
def test_scores_outside_0_5_are_refused(pekppp, client_for, bad):
    client = client_for("evaluator_assigned")
    response = client.post(_score_url(pekppp.ule), {"score": bad}, HTTP_HX_REQUEST="true")
    assert 'data-testid="score-error"' in response.content.decode()
    assert not F02Score.objects.filter(score__isnull=False).exists()
    response = client.post(_score_url(pekppp.ule), {"score": bad}, follow=True)
    assert "nilai harus" in response.content.decode()


def test_database_refuses_a_score_of_six(pekppp, world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        F02Score.objects.create(ule=pekppp.ule, indicator=pekppp.indicators["1.a.Ak"], score=6)


def test_unassigned_evaluator_reads_but_cannot_score(pekppp, client_for):
    client = client_for("evaluator_unassigned")
    html = client.get(reverse("pekppp:f02", args=[pekppp.ule.pk])).content.decode()
    assert "hanya evaluator yang ditugaskan" in html and "hx-post" not in html
    assert client.post(_score_url(pekppp.ule), {"score": "3"}).status_code == 403


def test_unknown_indicator_code_is_404(pekppp, client_for):
    assert (
        client_for("evaluator_assigned")
        .post(_score_url(pekppp.ule, "99.z.X"), {"score": "3"})
        .status_code
        == 404
    )


def test_finalising_needs_every_indicator(pekppp, client_for, score_all, world):
    score_all(
        pekppp.ule,
        dict.fromkeys(list(pekppp.indicators)[:29], 4),
        world.users["evaluator_assigned"],
    )
    response = client_for("evaluator_assigned").post(
        reverse("pekppp:f02_finalize", args=[pekppp.ule.pk]), follow=True
    )
    assert "Masih ada 1 indikator yang belum dinilai" in response.content.decode()
    assert UnitLokus.objects.get(pk=pekppp.ule.pk).f02_status == F02Status.DRAFT


def test_finalising_snapshots_and_locks(pekppp, client_for, score_all, world):
    evaluator = world.users["evaluator_assigned"]
    score_all(pekppp.ule, 4, evaluator)
    services.add_recommendation(
        ule=pekppp.ule, indicator=pekppp.indicators["1.a.Ak"], text="Tetapkan SP", by=evaluator
    )
    client = client_for("evaluator_assigned")
    response = client.post(reverse("pekppp:f02_finalize", args=[pekppp.ule.pk]), follow=True)
    assert "IPP 4,00, kategori B (Baik)" in response.content.decode()
    ule = UnitLokus.objects.get(pk=pekppp.ule.pk)
    assert ule.is_final and ule.finalized_by == evaluator
    assert Decimal(ule.snapshot["ipp"]) == 4 and ule.snapshot["band"] == "B"
    assert ule.snapshot["recommendations"] == [
        {"target": "Indikator 1.a.Ak", "text": "Tetapkan SP"}
    ]
    assert PekpppEvent.objects.filter(action="f02_final", ule=ule).exists()
    # Locked: no score, no recommendation; the figures come from the snapshot.
    response = client.post(_score_url(ule), {"score": "1"}, HTTP_HX_REQUEST="true")
    assert "sudah final" in response.content.decode()
    assert F02Score.objects.get(ule=ule, indicator=pekppp.indicators["1.a.Ak"]).score == 4
    with pytest.raises(services.PekpppError):
        services.add_recommendation(
            ule=ule, indicator=pekppp.indicators["1.a.Ak"], text="x", by=evaluator
        )
    F02Score.objects.filter(ule=ule).update(score=0)  # even a change behind the portal's back
    html = client.get(reverse("pekppp:ule", args=[ule.pk])).content.decode()
    assert ">4,00<" in html


def test_operator_reopens_a_final_evaluation_with_a_reason(pekppp, client_for, score_all, world):
    score_all(pekppp.ule, 3, world.users["evaluator_assigned"])
    services.finalize_f02(ule=pekppp.ule, by=world.users["evaluator_assigned"])
    url = reverse("pekppp:f02_reopen", args=[pekppp.ule.pk])
    assert client_for("evaluator_assigned").post(url, {"reason": "x"}).status_code == 403
    client_for("operator").post(url, {"reason": "Salah input indikator 3"})
    ule = UnitLokus.objects.get(pk=pekppp.ule.pk)
    assert not ule.is_final and ule.snapshot is None
    assert PekpppEvent.objects.filter(
        action="f02_dibuka_kembali", note__contains="IPP 3,00"
    ).exists()


def test_sheet_query_count_does_not_grow_with_scores_evidence_or_recommendations(
    pekppp, client_for, score_all, world, django_assert_max_num_queries
):
    client = client_for("evaluator_assigned")
    url = reverse("pekppp:f02", args=[pekppp.ule.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as empty:
        client.get(url)
    evaluator = world.users["evaluator_assigned"]
    score_all(pekppp.ule, 3, evaluator)
    for code in list(pekppp.indicators)[:10]:
        services.add_recommendation(
            ule=pekppp.ule, indicator=pekppp.indicators[code], text="r", by=evaluator
        )
    for code in ("1.a.Ak", "2.a.P"):
        services.save_f01_aspect(
            ule=pekppp.ule,
            aspect_code="I",
            answers={f"{code}.q1": "Ya"},
            video=("https://x.go.id/v", "1", "0"),
            by=world.users["unit_team"],
        )
    with django_assert_max_num_queries(len(empty.captured_queries)):
        response = client.get(url)
    assert "30 dari 30 indikator dinilai" in response.content.decode()
    with django_assert_max_num_queries(30):
        client.post(_score_url(pekppp.ule), {"score": "4"}, HTTP_HX_REQUEST="true")
