from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.http import Http404

from organizations import access
from organizations.access import UnitAction
from organizations.models import Instansi, Membership, Role, UnitKerja

pytestmark = pytest.mark.django_db


def _snapshot() -> tuple:
    User = get_user_model()
    return (
        list(Instansi.objects.values_list("name", "kind").order_by("name")),
        list(UnitKerja.objects.values_list("code", "name").order_by("code")),
        list(User.objects.values_list("username", "is_staff", "is_superuser").order_by("username")),
        list(
            Membership.objects.values_list("user__username", "role", "unit__code").order_by(
                "user__username"
            )
        ),
    )


def test_seed_demo_twice_leaves_the_same_data():
    call_command("seed_demo")
    first = _snapshot()
    call_command("seed_demo")
    assert _snapshot() == first
    assert {"admin", "pimpinan", "tpi", "unit", "unit2"} <= {u for u, *_ in first[2]}
    assert first[0] == [("Politeknik Negeri Contoh", "kementerian_lembaga")]
    assert len(first[1]) == 3


def test_seed_demo_accounts_log_in_with_the_documented_password(client):
    call_command("seed_demo")
    for username in ["admin", "unit", "unit2", "pimpinan", "tpi"]:
        assert client.login(username=username, password="zi-demo-2026"), username


def test_unit_team_sees_only_its_unit(world):
    units = set(access.visible_units(world.users["unit_team"]))
    assert units == {world.unit}


def test_instansi_roles_see_every_unit_of_their_instansi(world):
    for persona in ("pimpinan", "tpi", "operator"):
        assert set(access.visible_units(world.users[persona])) == {world.unit, world.other_unit}


def test_get_unit_for_answers_404_outside_and_403_without_the_right(world):
    with pytest.raises(Http404):
        access.get_unit_for(world.users["other_unit_team"], world.unit.pk)
    with pytest.raises(PermissionDenied):
        access.get_unit_for(world.users["pimpinan"], world.unit.pk, UnitAction.EDIT_PROFILE)
    assert (
        access.get_unit_for(world.users["unit_team"], world.unit.pk, UnitAction.FILL) == world.unit
    )
    with pytest.raises(PermissionDenied):
        access.get_unit_for(world.users["pimpinan_unit"], world.unit.pk, UnitAction.FILL)
    assert access.can_on_unit(world.users["pimpinan_unit"], world.unit, UnitAction.SUBMIT)


def test_get_unit_for_rejects_garbage_ids_with_404(world):
    with pytest.raises(Http404):
        access.get_unit_for(world.users["unit_team"], "abc")  # type: ignore[arg-type]


def test_anonymous_and_inactive_users_have_no_scope(world):
    from django.contrib.auth.models import AnonymousUser

    assert not access.visible_units(AnonymousUser()).exists()
    user = world.users["unit_team"]
    user.is_active = False
    access.forget_scope(user)
    assert not access.visible_units(user).exists()


def test_superuser_sees_everything(world):
    boss = get_user_model().objects.create_superuser("boss", "b@x.id", "pw")
    assert access.visible_units(boss).count() == 3


def test_duplicate_membership_is_refused_by_the_database(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=world.users["unit_team"],
            instansi=world.instansi,
            unit=world.unit,
            role=Role.TIM_UNIT,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=world.users["pimpinan"], instansi=world.instansi, role=Role.PIMPINAN_INSTANSI
        )


def test_unit_role_without_unit_is_refused_by_the_database(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=world.users["pimpinan"], instansi=world.instansi, role=Role.TIM_UNIT
        )


def test_duplicate_unit_code_in_one_instansi_is_refused(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitKerja.objects.create(instansi=world.instansi, code="U1", name="Lagi")
