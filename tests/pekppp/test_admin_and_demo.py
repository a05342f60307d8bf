"""Operator configuration in the admin (scoped by the funnel) and the demo data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from pekppp.models import Period, Stage, UnitLokus

pytestmark = pytest.mark.django_db


def test_operator_creates_a_period_and_gets_the_prefilled_timeline(client_for, world):
    from assessments.models import RulebookVersion

    client = client_for("operator")
    url = reverse("admin:pekppp_period_add")
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        url,
        {
            "instansi": world.instansi.pk,
            "year": "2027",
            "instrument": RulebookVersion.objects.current("pekppp").pk,
            "skm_rulebook": RulebookVersion.objects.current("skm").pk,
            "stages-TOTAL_FORMS": "0",
            "stages-INITIAL_FORMS": "0",
            "stages-MIN_NUM_FORMS": "0",
            "stages-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    period = Period.objects.get(year=2027)
    assert period.stages.count() == 8
    assert period.stages.get(kind="penentuan_ule").ends_on == dt.date(2027, 3, 31)


def test_operator_changes_stage_dates_and_bad_dates_are_refused(pekppp, client_for):
    client = client_for("operator")
    url = reverse("admin:pekppp_period_change", args=[pekppp.period.pk])
    stages = list(pekppp.period.stages.order_by("starts_on", "ends_on", "pk"))
    data = {
        "stages-TOTAL_FORMS": str(len(stages)),
        "stages-INITIAL_FORMS": str(len(stages)),
        "stages-MIN_NUM_FORMS": "0",
        "stages-MAX_NUM_FORMS": "1000",
    }
    for i, s in enumerate(stages):
        data |= {
            f"stages-{i}-id": s.pk,
            f"stages-{i}-period": pekppp.period.pk,
            f"stages-{i}-kind": s.kind,
            f"stages-{i}-starts_on": s.starts_on.isoformat(),
            f"stages-{i}-ends_on": s.ends_on.isoformat(),
            f"stages-{i}-note": "",
        }
    data["stages-0-ends_on"] = "2025-01-01"  # before its start
    response = client.post(url, data)
    assert response.status_code == 200  # re-shown with the error
    data["stages-0-ends_on"] = "2026-02-01"
    assert client.post(url, data).status_code == 302
    assert Stage.objects.get(pk=stages[0].pk).ends_on == dt.date(2026, 2, 1)


def test_admin_is_scoped_to_the_operated_instansi(pekppp, client_for):
    client = client_for("outsider_operator")
    assert client.get(
        reverse("admin:pekppp_period_change", args=[pekppp.period.pk])
    ).status_code in (302, 404)
    html = client.get(reverse("admin:pekppp_period_changelist")).content.decode()
    assert "Instansi Uji" not in html
    assert client_for("unit_team").get(reverse("admin:pekppp_period_changelist")).status_code == 302


@pytest.mark.parametrize("model", ["period", "unitlokus", "stagereopening", "pekpppevent"])
def test_admin_changelists_stay_cheap(
    pekppp, client_for, world, model, django_assert_max_num_queries
):
    from organizations.models import UnitKerja
    from pekppp import services

    client = client_for("operator")
    url = reverse(f"admin:pekppp_{model}_changelist")
    client.get(url)
    for n in range(3):
        unit = UnitKerja.objects.create(instansi=world.instansi, code=f"Z{n}", name=f"Z{n}")
        period = services.create_period(
            instansi=world.instansi, year=2030 + n, by=world.users["operator"]
        )
        period.stages.update(starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31))
        services.nominate_ule(
            period=period,
            unit=unit,
            scope="jasa",
            service_name="x",
            never_awarded=True,
            core_business=True,
            represents_scope=True,
            by=world.users["operator"],
        )
        services.reopen_stage(
            stage=period.stages.first(),
            open_until=dt.date(2027, 1, 5),
            reason="uji",
            by=world.users["operator"],
        )
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_demo_seed_is_idempotent_and_creates_the_biro_account(db):
    from django.contrib.auth import authenticate

    from organizations.demo import seed_organizations
    from pekppp import demo

    world = seed_organizations()
    demo.seed(world)
    demo.seed(world)
    period = Period.objects.get(year=2026)
    ules = {u.unit.code: u for u in period.ules.all()}
    assert {u.scope for u in ules.values()} == {"barang", "jasa", "administratif"}
    assert ules["UPT-TIK"].is_final and ules["UPT-TIK"].survey_count == 12
    assert ules["BAAK"].f01_attachments.count() == 2 and ules["BAAK"].f01_answers.exists()
    assert not ules["BAUK"].f01_answers.exists()
    assert (
        Period.objects.get(year=2025).ules.get().recommendations.exclude(status="selesai").count()
        == 2
    )
    biro = authenticate(username="biro", password="zi-demo-2026")
    assert biro is not None and biro.memberships.get().role == "evaluator_pekppp"
    assert UnitLokus.objects.filter(assignments__evaluator=biro).count() == 4
