"""Who reaches which TPI admin page: every persona against every URL, with the expected status.

Admin pages are for the TPI and operators only (others are sent to the admin login, as Django
does); a TPI member sees only assessments assigned to them (404 for the rest), an operator only
its instansi; only the assigned TPI imports or saves evaluator answers (403 for operators)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Assignment
from tests.tpi.test_admin_pages import listed

PERSONAS = [
    "tpi",
    "tpi_elsewhere",  # a TPI member assigned to another assessment only
    "tpi_unassigned",  # a TPI member without any assignment
    "operator",
    "outsider_operator",
    "unit_team",
    "pimpinan",
    "anonymous",
]

# url name -> expected status per persona (order of PERSONAS)
MATRIX = {
    "change": [200, 404, 404, 200, 404, 302, 302, 302],
    "history": [200, 404, 404, 200, 404, 302, 302, 302],
    "export_xlsx": [200, 404, 404, 200, 404, 302, 302, 302],
    "export_csv": [200, 404, 404, 200, 404, 302, 302, 302],
    "import": [200, 404, 404, 403, 404, 302, 302, 302],
    "changelist": [200, 200, 403, 200, 200, 302, 302, 302],
    "snapshots": [200, 200, 403, 200, 200, 302, 302, 302],
}
CASES = [(url, p, MATRIX[url][i]) for url in MATRIX for i, p in enumerate(PERSONAS)]


@pytest.fixture
def people(world, in_review, other_tpi, make_assessment):
    from django.contrib.auth import get_user_model

    from organizations.models import Membership, Role

    elsewhere = get_user_model().objects.create_user(
        "penilai3", "penilai3@uji.go.id", "pw-uji-123", is_staff=True
    )
    Membership.objects.create(user=elsewhere, instansi=world.instansi, role=Role.TPI)
    other = make_assessment(unit=world.other_unit)
    Assignment.objects.create(assessment=other, evaluator=elsewhere)
    return {
        **world.users,
        "tpi_elsewhere": elsewhere,
        "tpi_unassigned": other_tpi,
    }


def url_for(name: str, pk: int) -> str:
    return {
        "change": reverse("admin:assessments_assessment_change", args=[pk]),
        "history": reverse("admin:assessments_assessment_history", args=[pk]),
        "export_xlsx": reverse("admin:assessments_assessment_export", args=[pk, "xlsx"]),
        "export_csv": reverse("admin:assessments_assessment_export", args=[pk, "csv"]),
        "import": reverse("admin:assessments_assessment_import", args=[pk]),
        "changelist": reverse("admin:assessments_assessment_changelist"),
        "snapshots": reverse("admin:assessments_assessmentsnapshot_changelist"),
    }[name]


@pytest.mark.parametrize(("name", "persona", "expected"), CASES)
def test_admin_url_matrix(client, people, in_review, name, persona, expected):
    if persona != "anonymous":
        client.force_login(people[persona])
    response = client.get(url_for(name, in_review.pk))
    assert response.status_code == expected, (name, persona)
    if expected == 302:
        assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("tpi", 302),  # saved, back to the page
        ("tpi_elsewhere", 404),
        ("operator", 403),
        ("outsider_operator", 404),
        ("unit_team", 302),
        ("anonymous", 302),
    ],
)
def test_saving_evaluator_answers_in_the_admin(client, people, in_review, persona, expected):
    from assessments.evaluation_page import digest
    from assessments.models import EvaluatorAnswer

    if persona != "anonymous":
        client.force_login(people[persona])
    response = client.post(
        url_for("change", in_review.pk),
        {
            "_action": "save",
            "s:A.I.1.i.b": digest("", ""),
            "r:A.I.1.i.b": "0",
            "v:A.I.1.i.b": "A",
            "n:A.I.1.i.b": "",
        },
    )
    assert response.status_code == expected
    saved = EvaluatorAnswer.objects.filter(assessment=in_review).exists()
    assert saved is (persona == "tpi")


def test_unassigned_tpi_sees_only_assigned_rows_in_the_list(client, people, in_review):
    client.force_login(people["tpi_elsewhere"])
    html = client.get(url_for("changelist", in_review.pk)).content.decode()
    assert listed(html) == {"Unit Dua"}


def test_other_instansi_operator_does_not_see_the_assessment(client, people, in_review):
    client.force_login(people["outsider_operator"])
    html = client.get(url_for("changelist", in_review.pk)).content.decode()
    assert listed(html) == set()


def test_tpi_cannot_change_the_units_own_answers_on_the_site(client, people, in_review):
    client.force_login(people["tpi"])
    response = client.post(
        reverse("assessments:save_item", args=[in_review.pk, "A.I.1.i.a"]),
        {"val-A.I.1.i.a": "Tidak", "rev-A.I.1.i.a": "1"},
    )
    assert response.status_code == 403
    assert in_review.answers.get(item__code="A.I.1.i.a").value == "Ya"


def test_the_evaluation_page_has_no_field_for_the_units_answers(client, people, in_review):
    client.force_login(people["tpi"])
    html = client.get(url_for("change", in_review.pk)).content.decode()
    assert 'name="v:A.I.1.i.a"' in html  # the TPI's own answer
    assert 'name="val-' not in html and 'name="note-' not in html
