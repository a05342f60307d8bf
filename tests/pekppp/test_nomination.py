"""Nominating Unit Lokus Evaluasi: one per scope per period, requirements, evaluators."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from pekppp.models import StageKind, UnitLokus

pytestmark = pytest.mark.django_db


def _data(world, unit, scope="barang", **overrides):
    return {
        "unit": unit.pk,
        "scope": scope,
        "service_name": "Layanan peminjaman aset",
        "never_awarded": "on",
        "core_business": "on",
        "represents_scope": "on",
        **overrides,
    }


@pytest.fixture
def third_unit(world):
    from organizations.models import UnitKerja

    return UnitKerja.objects.create(instansi=world.instansi, code="U3", name="Unit Tiga")


def test_operator_nominates_the_third_scope(pekppp, client_for, world, third_unit):
    client = client_for("operator")
    data = _data(world, third_unit) | {"evaluators": [world.users["evaluator_unassigned"].pk]}
    response = client.post(reverse("pekppp:nominate", args=[pekppp.period.pk]), data, follow=True)
    assert "Unit Tiga diusulkan sebagai ULE Barang publik" in response.content.decode()
    ule = UnitLokus.objects.get(unit=third_unit)
    assert list(ule.evaluators.all()) == [world.users["evaluator_unassigned"]]


def test_a_second_ule_for_a_scope_is_refused_with_a_clear_message(
    pekppp, client_for, world, third_unit
):
    client = client_for("operator")
    response = client.post(
        reverse("pekppp:nominate", args=[pekppp.period.pk]), _data(world, third_unit, "jasa")
    )
    html = response.content.decode()
    assert "Ruang lingkup Jasa publik sudah diwakili oleh ULE lain" in html
    assert not UnitLokus.objects.filter(unit=third_unit).exists()


def test_the_database_holds_one_ule_per_scope_per_period(pekppp, third_unit):
    with (
        pytest.raises(IntegrityError, match=r"ule_unique_scope_per_period|UNIQUE"),
        transaction.atomic(),
    ):
        UnitLokus.objects.create(
            period=pekppp.period, unit=third_unit, scope="jasa", service_name="x"
        )


def test_requirements_must_all_be_met(pekppp, client_for, world, third_unit):
    data = _data(world, third_unit)
    del data["core_business"]
    response = client_for("operator").post(
        reverse("pekppp:nominate", args=[pekppp.period.pk]), data
    )
    assert "ULE harus memenuhi ketiga persyaratan" in response.content.decode()
    assert not UnitLokus.objects.filter(unit=third_unit).exists()


def test_units_and_evaluators_of_another_instansi_are_refused(pekppp, client_for, world):
    client = client_for("operator")
    response = client.post(
        reverse("pekppp:nominate", args=[pekppp.period.pk]), _data(world, world.foreign_unit)
    )
    assert "Masukkan pilihan yang valid" in response.content.decode()
    assert not UnitLokus.objects.filter(unit=world.foreign_unit).exists()


def test_nomination_closes_with_its_stage(pekppp, client_for, world, third_unit):
    import datetime as dt

    pekppp.period.stages.filter(kind=StageKind.PENENTUAN_ULE).update(
        starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 3, 31)
    )
    response = client_for("operator").post(
        reverse("pekppp:nominate", args=[pekppp.period.pk]), _data(world, third_unit), follow=True
    )
    assert "sudah ditutup" in response.content.decode()
    assert not UnitLokus.objects.filter(unit=third_unit).exists()


def test_operator_assigns_evaluators_and_blending(pekppp, client_for, world):
    client = client_for("operator")
    url = reverse("pekppp:ule_manage", args=[pekppp.ule.pk])
    client.post(url, {"evaluators": [world.users["evaluator_unassigned"].pk], "blend_public": "on"})
    ule = UnitLokus.objects.get(pk=pekppp.ule.pk)
    assert list(ule.evaluators.all()) == [world.users["evaluator_unassigned"]] and ule.blend_public
    # The evaluator who was removed can no longer score.
    assert (
        client_for("evaluator_assigned")
        .post(reverse("pekppp:f02_score", args=[ule.pk, "1.a.Ak"]), {"score": "3"})
        .status_code
        == 403
    )
    # A TPI member is not an evaluator_pekppp and cannot be assigned.
    client = client_for("operator")
    client.post(url, {"evaluators": [world.users["tpi"].pk]})
    assert list(UnitLokus.objects.get(pk=ule.pk).evaluators.all()) == [
        world.users["evaluator_unassigned"]
    ]
