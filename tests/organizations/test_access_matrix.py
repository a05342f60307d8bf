"""Every protected URL so far, tried by every persona, with the expected status."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# url name -> (args from the world, expected status per persona); 302 means "to the login page".
MATRIX = {
    ("home", None): {
        "unit_team": 200,
        "other_unit_team": 200,
        "pimpinan_unit": 200,
        "pimpinan": 200,
        "tpi": 200,
        "operator": 200,
        "outsider_operator": 200,
        "anonymous": 302,
    },
    ("unit_detail", "unit"): {
        "unit_team": 200,
        "other_unit_team": 404,
        "pimpinan_unit": 200,
        "pimpinan": 200,
        "tpi": 200,
        "operator": 200,
        "outsider_operator": 404,
        "anonymous": 302,
    },
    ("unit_detail", "foreign_unit"): {
        "unit_team": 404,
        "other_unit_team": 404,
        "pimpinan_unit": 404,
        "pimpinan": 404,
        "tpi": 404,
        "operator": 404,
        "outsider_operator": 200,
        "anonymous": 302,
    },
    ("unit_edit", "unit"): {
        "unit_team": 200,
        "other_unit_team": 404,
        "pimpinan_unit": 200,
        "pimpinan": 403,
        "tpi": 403,
        "operator": 200,
        "outsider_operator": 404,
        "anonymous": 302,
    },
    ("admin:index", None): {
        "unit_team": 302,
        "other_unit_team": 302,
        "pimpinan_unit": 302,
        "pimpinan": 302,
        "tpi": 200,
        "operator": 200,
        "outsider_operator": 200,
        "anonymous": 302,
    },
    ("admin:organizations_unitkerja_changelist", None): {
        "unit_team": 302,
        "other_unit_team": 302,
        "pimpinan_unit": 302,
        "pimpinan": 302,
        "tpi": 403,
        "operator": 200,
        "outsider_operator": 200,
        "anonymous": 302,
    },
    ("admin:organizations_unitkerja_change", "unit"): {
        "unit_team": 302,
        "other_unit_team": 302,
        "pimpinan_unit": 302,
        "pimpinan": 302,
        "tpi": 403,
        "operator": 200,
        "outsider_operator": 302,
        "anonymous": 302,
    },
}

CASES = [
    (name, arg, persona, status)
    for (name, arg), expected in MATRIX.items()
    for persona, status in expected.items()
]


@pytest.mark.parametrize(("name", "arg", "persona", "status"), CASES)
def test_persona_gets_expected_status(client_for, world, name, arg, persona, status):
    args = [getattr(world, arg).pk] if arg else []
    url = reverse(name, args=args)
    response = client_for(persona).get(url)
    assert response.status_code == status, f"{persona} {url}"
    if status == 302 and persona == "anonymous":
        assert "/akun/login/" in response["Location"] or "/admin/login/" in response["Location"]


def test_outsider_operator_is_sent_away_from_a_unit_outside_its_instansi_in_admin(
    client_for, world
):
    # Django admin answers a change view for an object outside get_queryset with a redirect
    # to the index and a message, never the object itself.
    url = reverse("admin:organizations_unitkerja_change", args=[world.unit.pk])
    response = client_for("outsider_operator").get(url, follow=True)
    assert world.unit.name not in response.content.decode()


@pytest.mark.parametrize("persona", ["unit_team", "pimpinan_unit", "operator"])
def test_unit_edit_post_saves_profile(client_for, world, persona):
    url = reverse("unit_edit", args=[world.unit.pk])
    response = client_for(persona).post(url, {"head_name": "Kepala Baru", "email": "u1@uji.go.id"})
    assert response.status_code == 302
    world.unit.refresh_from_db()
    assert world.unit.head_name == "Kepala Baru"


def test_unit_edit_bad_email_shows_indonesian_error_and_saves_nothing(client_for, world):
    url = reverse("unit_edit", args=[world.unit.pk])
    response = client_for("unit_team").post(url, {"head_name": "X", "email": "bukan-email"})
    assert response.status_code == 200
    assert "alamat email yang valid" in response.content.decode().lower()
    world.unit.refresh_from_db()
    assert world.unit.head_name == ""


@pytest.mark.parametrize("persona", ["pimpinan", "tpi", "other_unit_team"])
def test_read_only_and_outsiders_cannot_post_unit_edit(client_for, world, persona):
    url = reverse("unit_edit", args=[world.unit.pk])
    response = client_for(persona).post(url, {"head_name": "Peretas"})
    assert response.status_code in (403, 404)
    world.unit.refresh_from_db()
    assert world.unit.head_name == ""


def test_home_shows_unit_team_its_unit_and_next_step(client_for, world):
    body = client_for("unit_team").get(reverse("home")).content.decode()
    assert "Unit Satu" in body
    assert "Unit Dua" not in body
    assert "Langkah berikutnya" in body


def test_home_shows_pimpinan_every_unit_of_its_instansi_only(client_for, world):
    body = client_for("pimpinan").get(reverse("home")).content.decode()
    assert "Unit Satu" in body and "Unit Dua" in body
    assert "Unit Lain" not in body


def test_user_without_role_is_told_to_contact_the_operator(client_for, world):
    body = client_for("no_role").get(reverse("home")).content.decode()
    assert "belum memiliki peran" in body


def test_navigation_shows_admin_only_to_operator(client_for, world):
    assert "Administrasi" in client_for("operator").get(reverse("home")).content.decode()
    assert 'href="/admin/"' not in client_for("unit_team").get(reverse("home")).content.decode()


def test_403_and_404_pages_are_indonesian(client_for, world):
    body = client_for("pimpinan").get(reverse("unit_edit", args=[world.unit.pk])).content.decode()
    assert "Akses ditolak" in body
    body = (
        client_for("unit_team")
        .get(reverse("unit_detail", args=[world.foreign_unit.pk]))
        .content.decode()
    )
    assert "Halaman tidak ditemukan" in body


def test_home_query_count_does_not_grow_with_units(
    client_for, world, django_assert_max_num_queries
):
    from organizations.models import UnitKerja

    client = client_for("pimpinan")
    client.get(reverse("home"))
    for i in range(30):
        UnitKerja.objects.create(instansi=world.instansi, code=f"N{i}", name=f"Unit {i}")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("home"))
    assert response.status_code == 200
