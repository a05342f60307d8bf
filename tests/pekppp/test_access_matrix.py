"""Every PEKPPP page tried by every persona, with the expected status (302 = to the login)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PERSONAS = [
    "unit_team",  # the ULE's own team
    "other_unit_team",  # team of another ULE of the same period
    "pimpinan_unit",
    "evaluator_assigned",
    "evaluator_unassigned",
    "operator",
    "pimpinan",
    "tpi",
    "outsider_operator",
    "anonymous",
]

# (url name, which object) -> expected status per persona, in PERSONAS order.
GET_MATRIX = {
    ("index", None): [200, 200, 200, 200, 200, 200, 200, 200, 200, 302],
    ("overview", None): [403, 403, 403, 200, 200, 200, 200, 403, 200, 302],
    ("follow_ups", None): [200, 200, 200, 200, 200, 200, 200, 200, 200, 302],
    ("period", "period"): [200, 200, 200, 200, 200, 200, 200, 404, 404, 302],
    ("nominate", "period"): [403, 403, 403, 403, 403, 200, 403, 404, 404, 302],
    ("period_pdf", "period"): [403, 403, 403, 200, 200, 200, 200, 404, 404, 302],
    ("period_xlsx", "period"): [403, 403, 403, 200, 200, 200, 200, 404, 404, 302],
    ("pra_xlsx", "period"): [403, 403, 403, 200, 200, 200, 200, 404, 404, 302],
    ("ule", "ule"): [200, 404, 200, 200, 200, 200, 200, 404, 404, 302],
    ("pra_evaluasi", "ule"): [200, 404, 200, 200, 200, 200, 200, 404, 404, 302],
    ("f01_start", "ule"): [302, 404, 302, 302, 302, 302, 302, 404, 404, 302],
    ("skm", "ule"): [200, 404, 200, 200, 200, 200, 200, 404, 404, 302],
    ("survey_manage", "ule"): [200, 404, 200, 200, 200, 200, 200, 404, 404, 302],
    ("f02", "ule"): [403, 404, 403, 200, 200, 200, 200, 404, 404, 302],
    ("recommendations", "ule"): [200, 404, 200, 200, 200, 200, 200, 404, 404, 302],
    ("ule_pdf", "ule"): [403, 404, 403, 200, 200, 200, 200, 404, 404, 302],
    # The public survey visitor: no login, the same page for everyone holding the link.
    ("survey", "token"): [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    ("survey", "guessed"): [404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
}

# POST with an empty body: the funnel answers before any form is read.
POST_MATRIX = {
    ("pra_evaluasi", "ule"): [400, 404, 403, 403, 403, 403, 403, 404, 404, 302],
    ("f02_score", "ule_code"): [403, 404, 403, 302, 403, 403, 403, 404, 404, 302],
    ("f02_finalize", "ule"): [403, 404, 403, 302, 403, 403, 403, 404, 404, 302],
    ("ule_manage", "ule"): [403, 404, 403, 403, 403, 302, 403, 404, 404, 302],
    ("nominate", "period"): [403, 403, 403, 403, 403, 200, 403, 404, 404, 302],
}


def _args(pekppp, which):
    return {
        None: [],
        "period": [pekppp.period.pk],
        "ule": [pekppp.ule.pk],
        "ule_code": [pekppp.ule.pk, "1.a.Ak"],
        "token": [pekppp.ule.survey_token],
        "guessed": ["AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
    }[which]


def _cases(matrix):
    for (name, which), expected in matrix.items():
        for persona, status in zip(PERSONAS, expected, strict=True):
            yield pytest.param(name, which, persona, status, id=f"{name}-{persona}")


@pytest.mark.parametrize(("name", "which", "persona", "expected"), list(_cases(GET_MATRIX)))
def test_get_matrix(pekppp, login, name, which, persona, expected):
    client = login(persona)
    response = client.get(reverse(f"pekppp:{name}", args=_args(pekppp, which)))
    assert response.status_code == expected


@pytest.mark.parametrize(("name", "which", "persona", "expected"), list(_cases(POST_MATRIX)))
def test_post_matrix(pekppp, login, name, which, persona, expected):
    client = login(persona)
    response = client.post(reverse(f"pekppp:{name}", args=_args(pekppp, which)))
    assert response.status_code == expected


def test_ule_team_sees_its_final_report_but_other_unit_does_not(pekppp, login, score_all, world):
    from pekppp import services

    score_all(pekppp.ule, 4, world.users["evaluator_assigned"])
    services.finalize_f02(ule=pekppp.ule, by=world.users["evaluator_assigned"])
    assert (
        login("unit_team").get(reverse("pekppp:ule_pdf", args=[pekppp.ule.pk])).status_code == 200
    )
    assert (
        login("other_unit_team").get(reverse("pekppp:ule_pdf", args=[pekppp.ule.pk])).status_code
        == 404
    )


def test_public_survey_needs_no_login_and_a_guessed_token_is_404(pekppp, client):
    assert client.get(reverse("pekppp:survey", args=[pekppp.ule.survey_token])).status_code == 200
    assert client.get(reverse("pekppp:survey", args=["tebakan-token"])).status_code == 404
    assert (
        client.get(reverse("pekppp:survey", args=[pekppp.ule.survey_token[:-1]])).status_code == 404
    )


def test_unit_team_cannot_see_another_ules_follow_up(pekppp, login, world, score_all):
    from pekppp import services

    evaluator = world.users["evaluator_assigned"]
    score_all(pekppp.other_ule, 3, evaluator)
    rec = services.add_recommendation(
        ule=pekppp.other_ule,
        aspect=pekppp.period.instrument.pekppp_aspects.first(),
        text="x",
        by=evaluator,
    )
    services.finalize_f02(ule=pekppp.other_ule, by=evaluator)
    assert login("unit_team").get(reverse("pekppp:follow_up", args=[rec.pk])).status_code == 404
    assert (
        login("other_unit_team").get(reverse("pekppp:follow_up", args=[rec.pk])).status_code == 200
    )
    assert (
        login("evaluator_unassigned").get(reverse("pekppp:follow_up", args=[rec.pk])).status_code
        == 200
    )
