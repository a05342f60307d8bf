"""Every LKE URL tried by every persona: 200/302/403/404/405 as in the tables."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.assessments.conftest import fill

VIEWERS = {
    "unit_team": 200,
    "other_unit_team": 404,
    "pimpinan_unit": 200,
    "pimpinan": 200,
    "tpi": 404,
    "tpi_assigned": 200,
    "operator": 200,
    "outsider_operator": 404,
    "no_role": 404,
    "anonymous": 302,
}
FILLERS = {
    "unit_team": 302,
    "other_unit_team": 404,
    "pimpinan_unit": 403,
    "pimpinan": 403,
    "tpi": 404,
    "tpi_assigned": 403,
    "operator": 403,
    "outsider_operator": 404,
    "no_role": 404,
    "anonymous": 302,
}
SUBMITTERS = {**FILLERS, "pimpinan_unit": 302}
MANAGERS = {**FILLERS, "unit_team": 403, "operator": 302}

GET_PAGES = [
    ("assessments:detail", []),
    ("assessments:lke", []),
    ("assessments:lke_section", ["manajemen_perubahan"]),
    ("assessments:lke_section", ["hasil"]),
    ("assessments:eligibility", []),
    ("assessments:item_history", ["A.I.1.i.a"]),
    ("assessments:score_panel", []),
    ("assessments:submit", []),
]


def _client(client_for, world, persona, assessment, assign_tpi):
    if persona == "tpi_assigned":
        assign_tpi(assessment)
        return client_for("tpi")
    return client_for(persona)


def _check(response, expected: int) -> None:
    assert response.status_code == expected, response.content[:500]
    if expected == 302:
        assert response.url  # a redirect, never a page


@pytest.mark.parametrize("persona,expected", VIEWERS.items())
@pytest.mark.parametrize("name,args", GET_PAGES)
def test_lke_pages_answer_each_persona(
    client_for, world, make_assessment, assign_tpi, persona, expected, name, args
):
    assessment = make_assessment()
    client = _client(client_for, world, persona, assessment, assign_tpi)
    response = client.get(reverse(name, args=[assessment.pk, *args]))
    _check(response, expected)
    if persona == "anonymous":
        assert "/akun/login/" in response.url


@pytest.mark.parametrize("persona,expected", FILLERS.items())
def test_saving_an_answer_is_for_the_unit_team_only(
    client_for, world, make_assessment, assign_tpi, persona, expected
):
    assessment = make_assessment()
    client = _client(client_for, world, persona, assessment, assign_tpi)
    url = reverse("assessments:save_item", args=[assessment.pk, "A.I.1.i.a"])
    response = client.post(url, {"val-A.I.1.i.a": "Ya", "rev-A.I.1.i.a": "0", "note": ""})
    _check(response, expected)
    saved = assessment.answers.filter(item__code="A.I.1.i.a", value="Ya").exists()
    assert saved == (persona == "unit_team")


@pytest.mark.parametrize("persona,expected", SUBMITTERS.items())
def test_submission_is_for_the_unit_team_and_its_head(
    client_for, world, make_assessment, assign_tpi, persona, expected
):
    assessment = make_assessment()
    fill(assessment)
    client = _client(client_for, world, persona, assessment, assign_tpi)
    response = client.post(reverse("assessments:submit", args=[assessment.pk]))
    _check(response, expected)
    assessment.refresh_from_db()
    assert (assessment.status == "submitted") == (persona in {"unit_team", "pimpinan_unit"})


@pytest.mark.parametrize("persona,expected", FILLERS.items())
def test_unit_facts_are_entered_by_the_unit_team(
    client_for, world, make_assessment, assign_tpi, persona, expected
):
    assessment = make_assessment()
    client = _client(client_for, world, persona, assessment, assign_tpi)
    response = client.post(
        reverse("assessments:save_unit_facts", args=[assessment.pk]),
        {"core_service": "1", "tlhp_percent": "100", "has_wbk": "0"},
    )
    _check(response, expected)


@pytest.mark.parametrize("persona,expected", MANAGERS.items())
def test_instansi_facts_are_entered_by_the_operator(
    client_for, world, make_assessment, assign_tpi, persona, expected
):
    assessment = make_assessment()
    client = _client(client_for, world, persona, assessment, assign_tpi)
    response = client.post(
        reverse("assessments:save_instansi_facts", args=[assessment.pk]),
        {"opini_bpk": "WTP", "sakip_instansi": "BB", "indeks_rb": "B", "spip_maturity_level": "3"},
    )
    _check(response, expected)


@pytest.mark.parametrize("persona,expected", FILLERS.items())
def test_copying_last_year_is_for_the_unit_team(
    client_for, world, make_assessment, assign_tpi, persona, expected
):
    assessment = make_assessment()
    client = _client(client_for, world, persona, assessment, assign_tpi)
    _check(client.post(reverse("assessments:copy_previous", args=[assessment.pk])), expected)


@pytest.mark.parametrize(
    "name,args",
    [
        ("assessments:save_item", ["A.I.1.i.a"]),
        ("assessments:save_unit_facts", []),
        ("assessments:save_instansi_facts", []),
        ("assessments:copy_previous", []),
    ],
)
def test_mutations_refuse_get(client_for, make_assessment, name, args):
    assessment = make_assessment()
    response = client_for("unit_team").get(reverse(name, args=[assessment.pk, *args]))
    assert response.status_code == 405


def test_list_shows_only_visible_assessments(client_for, world, make_assessment):
    own = make_assessment()
    other = make_assessment(unit=world.other_unit)
    page = client_for("unit_team").get(reverse("assessments:list")).content.decode()
    assert reverse("assessments:detail", args=[own.pk]) in page
    assert reverse("assessments:detail", args=[other.pk]) not in page
    assert client_for("anonymous").get(reverse("assessments:list")).status_code == 302


def test_unknown_section_and_item_are_404(client_for, make_assessment):
    assessment = make_assessment()
    client = client_for("unit_team")
    assert (
        client.get(reverse("assessments:lke_section", args=[assessment.pk, "bukan"])).status_code
        == 404
    )
    url = reverse("assessments:save_item", args=[assessment.pk, "Z.9"])
    assert client.post(url, {"val-Z.9": "A"}).status_code == 404
    assert client.get(reverse("assessments:detail", args=[999999])).status_code == 404
