"""Every leadership URL tried by every persona (the expected status in a table), and the public
verification page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.leadership.conftest import finalise, tpi_answer

pytestmark = pytest.mark.django_db

PERSONAS = [
    "unit_team",
    "other_unit_team",
    "pimpinan_unit",
    "pimpinan",
    "tpi",
    "assigned_tpi",
    "operator",
    "outsider_operator",
    "anonymous",
]

# The assessment belongs to world.unit (instansi "Instansi Uji"), status draft.
EXPECTED = {
    #                  unit  other pim_u pimp  tpi  tpi_a  oper  out   anon
    "board":          (403,  403,  200,  200,  403, 403,   200,  200,  302),
    "assessment":     (403,  404,  200,  200,  404, 403,   200,  404,  302),
    "report_pdf":     (200,  404,  200,  200,  404, 200,   200,  404,  302),
    "summary_pdf":    (403,  403,  403,  200,  403, 403,   200,  404,  302),
    "workbook_export": (200, 404,  200,  200,  404, 200,   200,  404,  302),
    "workbook_import": (200, 404,  403,  403,  404, 403,   403,  404,  302),
    "workbook_preview": (302, 404, 403,  403,  404, 403,   403,  404,  302),
}  # fmt: skip


def _url(name: str, assessment, world) -> str:
    if name == "board":
        return reverse("leadership:board")
    if name == "summary_pdf":
        return reverse("leadership:summary_pdf", args=[world.instansi.pk, 2026])
    return reverse(f"leadership:{name}", args=[assessment.pk])


@pytest.fixture
def login(client, world, filled):
    from assessments.models import Assignment

    def _login(persona: str):
        client.logout()
        if persona == "assigned_tpi":
            Assignment.objects.get_or_create(assessment=filled, evaluator=world.users["tpi"])
            client.force_login(world.users["tpi"])
        elif persona != "anonymous":
            client.force_login(world.users[persona])
        return client

    return _login


@pytest.mark.parametrize("name", list(EXPECTED))
@pytest.mark.parametrize("persona", PERSONAS)
def test_persona_matrix(name, persona, login, filled, world):
    expected = EXPECTED[name][PERSONAS.index(persona)]
    response = login(persona).get(_url(name, filled, world))
    assert response.status_code == expected, (name, persona)
    if expected == 302 and persona == "anonymous":
        assert "/akun/login/" in response["Location"]


@pytest.mark.parametrize("name", ["workbook_apply", "workbook_cancel"])
def test_mutations_refuse_get(name, login, filled):
    assert (
        login("unit_team").get(reverse(f"leadership:{name}", args=[filled.pk])).status_code == 405
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("other_unit_team", 404), ("pimpinan", 403), ("operator", 403), ("outsider_operator", 404)],
)
def test_import_mutations_are_refused_outside_the_unit_team(persona, expected, login, filled):
    for name in ("workbook_import", "workbook_apply", "workbook_cancel"):
        url = reverse(f"leadership:{name}", args=[filled.pk])
        assert login(persona).post(url).status_code == expected, name


def test_a_report_outside_scope_is_404_even_for_a_nonexistent_pk(login):
    client = login("pimpinan")
    assert client.get(reverse("leadership:report_pdf", args=[999999])).status_code == 404
    assert client.get(reverse("leadership:summary_pdf", args=[999999, 2026])).status_code == 404


def test_foreign_instansi_summary_is_404_for_pimpinan(login, world):
    url = reverse("leadership:summary_pdf", args=[world.other_instansi.pk, 2026])
    assert login("pimpinan").get(url).status_code == 404
    assert login("outsider_operator").get(url).status_code == 200


def test_verification_page_is_public_and_shows_the_key_figures(client, filled, world):
    tpi_answer(filled)
    snapshot = finalise(filled, code="HJK2345MNPQR")
    response = client.get(reverse("verify_report", args=["HJK2345MNPQR"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "HJK2345MNPQR" in html and filled.unit.name in html
    assert snapshot.content["self"]["result"]["total"].replace(".", ",") in html
    assert snapshot.content["tpi"]["result"]["total"].replace(".", ",") in html
    assert snapshot.content_sha256 in html
    assert response["X-Robots-Tag"] == "noindex"
    # Typed from paper: lower case and spaces are accepted.
    assert client.get(reverse("verify_report", args=["hjk2345mnpqr"])).status_code == 200


def test_wrong_verification_code_is_a_plain_not_found(client, filled):
    tpi_answer(filled)
    finalise(filled, code="HJK2345MNPQR")
    response = client.get(reverse("verify_report", args=["HJK2345MNPQX"]))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Laporan tidak ditemukan" in html
    assert filled.unit.name not in html and "HJK2345MNPQR" not in html


def test_repeated_wrong_codes_are_slowed_down(client, settings):
    from django.core.cache import cache

    cache.clear()
    statuses = [
        client.get(reverse("verify_report", args=[f"X{i:011d}"])).status_code for i in range(32)
    ]
    assert statuses[:30] == [404] * 30 and statuses[-1] == 429
    cache.clear()
