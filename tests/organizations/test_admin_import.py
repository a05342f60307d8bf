"""Operator admin: spreadsheet import of units and users, scoped to the operator's instansi."""

from __future__ import annotations

import pytest
import tablib
from django.urls import reverse

from organizations.access import operated_instansi
from organizations.models import Membership, Role, UnitKerja
from organizations.resources import UnitKerjaResource, UserResource

pytestmark = pytest.mark.django_db


def _dataset(headers, *rows):
    data = tablib.Dataset(headers=headers)
    for row in rows:
        data.append(row)
    return data


def test_units_import_creates_units_with_parent(world):
    resource = UnitKerjaResource(allowed_instansi=operated_instansi(world.users["operator"]))
    data = _dataset(
        ["instansi", "kode", "nama", "kode_induk", "kepala_unit", "email"],
        ["Instansi Uji", "U9", "Unit Sembilan", "U1", "Bu Kepala", "u9@uji.go.id"],
    )
    result = resource.import_data(data, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    unit = UnitKerja.objects.get(code="U9")
    assert unit.parent == world.unit and unit.instansi == world.instansi


def test_units_import_for_another_instansi_is_refused_and_writes_nothing(world):
    resource = UnitKerjaResource(allowed_instansi=operated_instansi(world.users["operator"]))
    data = _dataset(
        ["instansi", "kode", "nama", "kode_induk", "kepala_unit", "email"],
        ["Instansi Uji", "U8", "Unit Delapan", "", "", ""],
        ["Pemda Lain", "X9", "Unit Asing", "", "", ""],
    )
    result = resource.import_data(
        data, dry_run=False, raise_errors=False, rollback_on_validation_errors=True
    )
    assert result.has_validation_errors() or result.has_errors()
    assert not UnitKerja.objects.filter(code__in=["U8", "X9"]).exists()


def test_users_import_creates_users_and_memberships_without_usable_password(world):
    resource = UserResource(allowed_instansi=operated_instansi(world.users["operator"]))
    data = _dataset(
        ["username", "email", "nama_depan", "nama_belakang", "peran", "instansi", "kode_unit"],
        ["andi", "andi@uji.go.id", "Andi", "Saputra", "tim_unit", "Instansi Uji", "U2"],
        ["bela", "bela@uji.go.id", "Bela", "", "pimpinan_instansi", "Instansi Uji", ""],
    )
    result = resource.import_data(data, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    andi = Membership.objects.get(user__username="andi")
    assert andi.role == Role.TIM_UNIT and andi.unit == world.other_unit
    assert not andi.user.has_usable_password()
    assert Membership.objects.get(user__username="bela").unit is None


def test_users_import_with_bad_role_or_unit_reports_every_row_and_writes_nothing(world):
    resource = UserResource(allowed_instansi=operated_instansi(world.users["operator"]))
    data = _dataset(
        ["username", "email", "nama_depan", "nama_belakang", "peran", "instansi", "kode_unit"],
        ["caca", "caca@uji.go.id", "Caca", "", "raja", "Instansi Uji", ""],
        ["dedi", "dedi@uji.go.id", "Dedi", "", "tim_unit", "Instansi Uji", "ZZ"],
        ["", "kosong@uji.go.id", "", "", "", "", ""],
    )
    result = resource.import_data(
        data, dry_run=False, raise_errors=False, rollback_on_validation_errors=True
    )
    messages = " ".join(str(e.error) for row in result.invalid_rows for e in [row]) + " ".join(
        str(err.error) for _, errs in result.row_errors() for err in errs
    )
    assert "raja" in messages or result.has_validation_errors()
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username__in=["caca", "dedi"]).exists()


def test_operator_changelists_show_only_own_instansi(client, world, django_assert_max_num_queries):
    client.force_login(world.users["operator"])
    for i in range(20):
        UnitKerja.objects.create(instansi=world.instansi, code=f"Q{i}", name=f"Unit Q{i}")
    with django_assert_max_num_queries(15):
        body = client.get(reverse("admin:organizations_unitkerja_changelist")).content.decode()
    assert "Unit Satu" in body and "Unit Lain" not in body
    body = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "tim2" in body and "operator2" not in body


def test_membership_and_user_changelists_have_query_guards(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.users["operator"])
    with django_assert_max_num_queries(15):
        assert client.get(reverse("admin:organizations_membership_changelist")).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("admin:auth_user_changelist")).status_code == 200


def test_admin_import_page_is_indonesian(client, world):
    client.force_login(world.users["operator"])
    body = client.get(reverse("admin:organizations_unitkerja_import")).content.decode()
    assert "Impor" in body


def test_operator_cannot_grant_superuser(client, world):
    client.force_login(world.users["operator"])
    url = reverse("admin:auth_user_change", args=[world.users["unit_team"].pk])
    body = client.get(url).content.decode()
    assert 'name="is_superuser"' not in body
