"""Forms open and close with their stage (frozen clock); the operator reopens, recorded."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from pekppp import services
from pekppp.models import FormKind, PekpppEvent, Period, StageKind
from pekppp.timeline import TIMELINE_2023, stages_prefetch, timeline_for

pytestmark = pytest.mark.django_db
JKT = dt.timezone(dt.timedelta(hours=7))


def _at(day: dt.date):
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=JKT), tick=False
    )


def _timeline(period):
    return timeline_for(Period.objects.prefetch_related(stages_prefetch()).get(pk=period.pk))


def test_new_period_is_prefilled_with_the_2023_timeline_in_its_year(world):
    period = services.create_period(instansi=world.instansi, year=2027, by=world.users["operator"])
    stages = {s.kind: s for s in period.stages.all()}
    assert len(stages) == len(TIMELINE_2023) == 8
    assert stages[StageKind.PENENTUAN_ULE].ends_on == dt.date(2027, 3, 31)
    assert stages[StageKind.PRA_EVALUASI].starts_on == dt.date(2027, 3, 10)
    assert stages[StageKind.VERIFIKASI].ends_on == dt.date(2027, 8, 31)
    assert stages[StageKind.PENERBITAN].starts_on == dt.date(2027, 10, 1)
    with pytest.raises(services.PekpppError, match="sudah ada"):
        services.create_period(instansi=world.instansi, year=2027, by=world.users["operator"])


def test_current_stage_and_next_deadline(world):
    period = services.create_period(instansi=world.instansi, year=2027, by=world.users["operator"])
    with _at(dt.date(2027, 3, 20)):
        t = _timeline(period)
        current = [s.kind for s in t.current]
        assert current == [StageKind.SOSIALISASI, StageKind.PRA_EVALUASI, StageKind.PENENTUAN_ULE]
        assert t.next_deadline.kind == StageKind.SOSIALISASI  # 27 March
        assert t.is_open(FormKind.PRA_EVALUASI) and not t.is_open(FormKind.F01)
    with _at(dt.date(2027, 9, 10)):
        t = _timeline(period)
        assert t.current == []
        assert t.upcoming.kind == StageKind.PENERBITAN


def test_period_page_shows_current_stage_and_deadline(pekppp, client_for):
    response = client_for("unit_team").get(reverse("pekppp:period", args=[pekppp.period.pk]))
    html = response.content.decode()
    assert 'data-testid="current-stage"' in html and "Batas waktu berikutnya" in html
    assert "31 Desember 2026" in html


def test_f01_closed_before_and_after_its_stage_and_nothing_saved(pekppp, world, client_for):
    stage = pekppp.period.stages.get(kind=StageKind.PELAKSANAAN)
    stage.starts_on, stage.ends_on = dt.date(2026, 6, 8), dt.date(2026, 6, 14)
    stage.save()
    client = client_for("unit_team")
    url = reverse("pekppp:f01", args=[pekppp.ule.pk, "I"])
    for day, words in (
        (dt.date(2026, 6, 7), "dibuka pada tahap"),
        (dt.date(2026, 6, 15), "sudah ditutup"),
    ):
        with _at(day):
            response = client.post(url, {"q-1.a.Ak.q1": "Ya"}, follow=True)
            assert words in response.content.decode()
    assert not pekppp.ule.f01_answers.exists()
    with _at(dt.date(2026, 6, 14)):
        client.post(url, {"q-1.a.Ak.q1": "Ya"})
    assert pekppp.ule.f01_answers.count() == 1


def test_operator_reopens_a_closed_stage_and_it_is_recorded(pekppp, world, client_for):
    stage = pekppp.period.stages.get(kind=StageKind.PELAKSANAAN)
    stage.starts_on, stage.ends_on = dt.date(2026, 6, 1), dt.date(2026, 6, 10)
    stage.save()
    with pytest.raises(services.StageClosed):
        services.save_f01_aspect(
            ule=pekppp.ule,
            aspect_code="I",
            answers={"1.a.Ak.q1": "Ya"},
            video=None,
            by=world.users["unit_team"],
        )
    client = client_for("operator")
    url = reverse("pekppp:stage_reopen", args=[pekppp.period.pk, stage.pk])
    response = client.post(url, {"open_until": "2026-06-20", "reason": ""}, follow=True)
    assert "Isi tanggal" in response.content.decode()
    client.post(url, {"open_until": "2026-06-20", "reason": "Server unit sempat padam"})
    reopening = stage.reopenings.get()
    assert (reopening.open_until, reopening.by) == (dt.date(2026, 6, 20), world.users["operator"])
    assert PekpppEvent.objects.filter(
        action="tahap_dibuka_kembali", note__contains="padam"
    ).exists()
    services.save_f01_aspect(
        ule=pekppp.ule,
        aspect_code="I",
        answers={"1.a.Ak.q1": "Ya"},
        video=None,
        by=world.users["unit_team"],
    )
    with _at(dt.date(2026, 6, 21)), pytest.raises(services.StageClosed):
        services.save_f01_aspect(
            ule=pekppp.ule,
            aspect_code="I",
            answers={"1.a.Ak.q1": "Tidak"},
            video=None,
            by=world.users["unit_team"],
        )


def test_reopen_must_end_after_the_stage_and_not_in_the_past(pekppp, world):
    stage = pekppp.period.stages.get(kind=StageKind.PELAKSANAAN)
    with pytest.raises(services.PekpppError) as exc:
        services.reopen_stage(
            stage=stage, open_until=dt.date(2026, 6, 1), reason="x", by=world.users["operator"]
        )
    assert len(exc.value.problems) == 2


def test_unit_team_cannot_reopen(pekppp, client_for):
    stage = pekppp.period.stages.first()
    url = reverse("pekppp:stage_reopen", args=[pekppp.period.pk, stage.pk])
    assert (
        client_for("unit_team").post(url, {"open_until": "2026-07-01", "reason": "x"}).status_code
        == 403
    )


def test_f02_and_survey_follow_their_stages(pekppp, world, client):
    pekppp.period.stages.filter(kind__in=[StageKind.LAPORAN_HASIL, StageKind.PELAKSANAAN]).update(
        starts_on=dt.date(2026, 7, 1), ends_on=dt.date(2026, 7, 31)
    )
    with pytest.raises(services.StageClosed):
        services.save_f02_score(
            ule=pekppp.ule,
            indicator=pekppp.indicators["1.a.Ak"],
            score=3,
            note="",
            by=world.users["evaluator_assigned"],
        )
    response = client.get(reverse("pekppp:survey", args=[pekppp.ule.survey_token]))
    assert 'data-testid="survey-closed"' in response.content.decode()
    response = client.post(reverse("pekppp:survey", args=[pekppp.ule.survey_token]), {})
    assert response.status_code == 409
    assert not pekppp.ule.f03_responses.exists()
