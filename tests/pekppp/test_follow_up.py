"""Recommendations and their follow-up; the Biro's list across ULEs and years stays cheap."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pekppp import services
from pekppp.models import FollowUpStatus, Recommendation, UnitLokus
from tests.pekppp.conftest import open_all_stages

pytestmark = pytest.mark.django_db


@pytest.fixture
def final_with_recs(pekppp, score_all, world):
    evaluator = world.users["evaluator_assigned"]
    score_all(pekppp.ule, 3, evaluator)
    aspect = pekppp.period.instrument.pekppp_aspects.get(code="III")
    recs = [
        services.add_recommendation(
            ule=pekppp.ule,
            indicator=pekppp.indicators["18.c.K"],
            text="Sediakan kursi roda",
            by=evaluator,
        ),
        services.add_recommendation(
            ule=pekppp.ule, aspect=aspect, text="Perbaiki ruang tunggu", by=evaluator
        ),
    ]
    services.finalize_f02(ule=pekppp.ule, by=evaluator)
    return recs


def test_evaluator_writes_recommendations_per_indicator_or_aspect(pekppp, client_for):
    client = client_for("evaluator_assigned")
    url = reverse("pekppp:recommendations", args=[pekppp.ule.pk])
    client.post(url, {"target": "indicator:5.a.K", "text": "Publikasikan maklumat"})
    client.post(url, {"target": "aspect:II", "text": "Latih petugas"})
    response = client.post(url, {"target": "indicator:5.a.K", "text": "  "})
    assert "Pilih indikator/aspek" in response.content.decode()
    labels = [r.target_label for r in Recommendation.objects.order_by("pk")]
    assert labels == ["Indikator 5.a.K", "Aspek II. Profesionalisme SDM"]
    assert (
        client_for("unit_team").post(url, {"target": "aspect:II", "text": "x"}).status_code == 403
    )


def test_ule_team_sees_recommendations_only_once_final(pekppp, client_for, world):
    services.add_recommendation(
        ule=pekppp.ule,
        indicator=pekppp.indicators["1.a.Ak"],
        text="RAHASIA-DRAF",
        by=world.users["evaluator_assigned"],
    )
    html = (
        client_for("unit_team")
        .get(reverse("pekppp:recommendations", args=[pekppp.ule.pk]))
        .content.decode()
    )
    assert "RAHASIA-DRAF" not in html and "setelah penilaian F-02 difinalkan" in html


def test_ule_team_answers_with_plan_status_due_date(pekppp, client_for, final_with_recs):
    rec = final_with_recs[0]
    client = client_for("unit_team")
    url = reverse("pekppp:follow_up", args=[rec.pk])
    response = client.post(url, {"status": "proses", "plan": "", "due_date": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Rencana tindak lanjut wajib diisi" in html or "wajib diisi" in html
    client.post(url, {"status": "proses", "plan": "Pengadaan kursi roda", "due_date": "2026-09-30"})
    rec.refresh_from_db()
    assert (rec.status, rec.plan, rec.due_date) == (
        "proses",
        "Pengadaan kursi roda",
        dt.date(2026, 9, 30),
    )
    assert client_for("pimpinan").post(url, {"status": "selesai", "plan": "x"}).status_code == 403
    assert (
        client_for("evaluator_assigned").post(url, {"status": "selesai", "plan": "x"}).status_code
        == 403
    )


def test_follow_up_before_final_is_refused(pekppp, world):
    rec = services.add_recommendation(
        ule=pekppp.ule,
        indicator=pekppp.indicators["1.a.Ak"],
        text="x",
        by=world.users["evaluator_assigned"],
    )
    with pytest.raises(services.PekpppError, match="setelah hasil evaluasi"):
        services.update_follow_up(
            rec=rec,
            status="proses",
            plan="y",
            due_date=dt.date(2026, 7, 1),
            by=world.users["unit_team"],
        )


def test_biro_sees_open_follow_ups_across_ules_and_years(
    pekppp, client_for, final_with_recs, world, score_all
):
    from pekppp.models import Period

    # Last year's final ULE with a follow-up still open.
    last = services.create_period(instansi=world.instansi, year=2025, by=world.users["operator"])
    open_all_stages(last)
    last.stages.update(starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2026, 12, 31))
    old = services.nominate_ule(
        period=last,
        unit=world.unit,
        scope="administratif",
        service_name="Lama",
        never_awarded=True,
        core_business=True,
        represents_scope=True,
        evaluators=[world.users["evaluator_assigned"]],
        by=world.users["operator"],
    )
    score_all(old, 2, world.users["evaluator_assigned"])
    services.add_recommendation(
        ule=old,
        indicator=pekppp.indicators["4.a.K"],
        text="REKOMENDASI-2025",
        by=world.users["evaluator_assigned"],
    )
    services.finalize_f02(ule=old, by=world.users["evaluator_assigned"])
    services.update_follow_up(
        rec=final_with_recs[1],
        status="selesai",
        plan="Selesai",
        due_date=None,
        by=world.users["unit_team"],
    )
    assert Period.objects.count() == 2

    client = client_for("evaluator_unassigned")
    html = client.get(reverse("pekppp:follow_ups")).content.decode()
    assert "REKOMENDASI-2025" in html and "Sediakan kursi roda" in html
    assert "Perbaiki ruang tunggu" not in html  # done
    html = client.get(reverse("pekppp:follow_ups") + "?status=selesai").content.decode()
    assert "Perbaiki ruang tunggu" in html and "REKOMENDASI-2025" not in html
    html = client.get(reverse("pekppp:follow_ups") + "?year=2025").content.decode()
    assert "REKOMENDASI-2025" in html and "Sediakan kursi roda" not in html
    # Another unit's team sees none of them.
    html = client_for("other_unit_team").get(reverse("pekppp:follow_ups")).content.decode()
    assert "REKOMENDASI-2025" not in html and "Sediakan kursi roda" not in html


def test_overdue_follow_ups_are_marked(pekppp, client_for, final_with_recs, world):
    services.update_follow_up(
        rec=final_with_recs[0],
        status="belum",
        plan="Nanti",
        due_date=dt.date(2026, 6, 1),
        by=world.users["unit_team"],
    )
    html = client_for("evaluator_assigned").get(reverse("pekppp:follow_ups")).content.decode()
    assert "terlambat" in html


def test_follow_up_list_query_count_does_not_grow(
    pekppp, client_for, final_with_recs, world, score_all
):
    client = client_for("evaluator_assigned")
    url = reverse("pekppp:follow_ups")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    # More ULEs and many more recommendations.
    evaluator = world.users["evaluator_assigned"]
    score_all(pekppp.other_ule, 4, evaluator)
    for n in range(25):
        services.add_recommendation(
            ule=pekppp.other_ule, indicator=pekppp.indicators["2.a.P"], text=f"R{n}", by=evaluator
        )
    services.finalize_f02(ule=pekppp.other_ule, by=evaluator)
    assert Recommendation.objects.filter(status=FollowUpStatus.BELUM).count() == 27
    assert UnitLokus.objects.filter(f02_status="final").count() == 2
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert "27 rekomendasi" in response.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)


def test_index_and_period_pages_query_count_does_not_grow_with_ules(
    pekppp, client_for, world, django_assert_max_num_queries
):
    from organizations.models import UnitKerja

    client = client_for("operator")
    for url in (
        reverse("pekppp:index"),
        reverse("pekppp:period", args=[pekppp.period.pk]),
        reverse("pekppp:overview"),
    ):
        client.get(url)
        with CaptureQueriesContext(connection) as two:
            client.get(url)
        unit = UnitKerja.objects.create(instansi=world.instansi, code=f"X{url[-3:]}", name="Unit X")
        services.nominate_ule(
            period=pekppp.period,
            unit=unit,
            scope="barang",
            service_name="x",
            never_awarded=True,
            core_business=True,
            represents_scope=True,
            by=world.users["operator"],
        )
        with django_assert_max_num_queries(len(two.captured_queries)):
            client.get(url)
        UnitLokus.objects.filter(unit=unit).delete()


def test_recommendations_page_query_count_does_not_grow(pekppp, client_for, world):
    evaluator = world.users["evaluator_assigned"]
    client = client_for("evaluator_assigned")
    url = reverse("pekppp:recommendations", args=[pekppp.ule.pk])
    services.add_recommendation(
        ule=pekppp.ule, indicator=pekppp.indicators["1.a.Ak"], text="r", by=evaluator
    )
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(20):
        services.add_recommendation(
            ule=pekppp.ule, indicator=pekppp.indicators["2.a.P"], text=f"r{n}", by=evaluator
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count("Indikator 2.a.P") >= 20
    assert len(many.captured_queries) == len(one.captured_queries)
