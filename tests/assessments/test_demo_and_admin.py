"""Demo data (seed_demo) and the operator's admin: opening a year for many units."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Assessment
from assessments.results import lke_state


@pytest.fixture
def demo_world(db):
    from organizations.demo import seed_organizations

    return seed_organizations()


def test_demo_has_a_half_filled_baak_and_a_submitted_complete_bauk(demo_world):
    from assessments.demo import seed

    seed(demo_world)
    seed(demo_world)  # idempotent
    baak = Assessment.objects.get(unit__code="BAAK", year=2026)
    bauk = Assessment.objects.get(unit__code="BAUK", year=2026)
    done, total = lke_state(baak).answered_total
    assert baak.status == "draft" and 0.35 < done / total < 0.65
    assert bauk.status == "submitted" and lke_state(bauk).result.complete
    assert lke_state(bauk).verdict.meets
    assert bauk.assignments.filter(evaluator__username="tpi").exists()
    assert Assessment.objects.count() == 2
    # Answers went through the services: history and audit trail exist.
    assert bauk.answers.first().history.exists()
    assert list(bauk.events.values_list("action", flat=True)) == ["create", "unit_facts", "submit"]


def test_seed_demo_command_runs_twice(db):
    from django.core.management import call_command

    call_command("seed_demo")
    call_command("seed_demo")
    assert Assessment.objects.filter(year=2026).count() == 2


def test_operator_opens_a_year_for_many_units_in_the_admin(client_for, world, make_assessment):
    make_assessment(unit=world.other_unit, year=2026)
    client = client_for("operator")
    url = reverse("admin:assessments_assessment_open")
    page = client.get(url).content.decode()
    assert world.unit.name in page and world.foreign_unit.name not in page
    response = client.post(
        url,
        {
            "units": [world.unit.pk, world.other_unit.pk],
            "year": "2026",
            "target": "WBK",
            "copy_previous": "on",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "1 penilaian dibuka untuk tahun 2026: U1." in html
    assert "Dilewati karena sudah ada: U2." in html
    assert Assessment.objects.filter(unit=world.unit, year=2026, status="draft").exists()


def test_operator_cannot_open_for_another_instansis_unit(client_for, world):
    response = client_for("operator").post(
        reverse("admin:assessments_assessment_open"),
        {"units": [world.foreign_unit.pk], "year": "2026", "target": "WBK"},
    )
    assert response.status_code == 200  # the form refuses the choice
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("persona", ["unit_team", "pimpinan", "tpi"])
def test_admin_for_assessments_is_for_operators_only(client_for, persona):
    response = client_for(persona).get(reverse("admin:assessments_assessment_open"))
    assert response.status_code in (302, 403)
    response = client_for(persona).get(reverse("admin:assessments_assessment_changelist"))
    assert response.status_code in (302, 403)


def test_admin_changelist_is_scoped_and_cheap(
    client_for, world, make_assessment, django_assert_max_num_queries
):
    for year in range(2018, 2027):
        make_assessment(year=year)
        make_assessment(unit=world.foreign_unit, year=year)
    client = client_for("operator")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:assessments_assessment_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Unit Satu" in html and "Unit Lain" not in html
    assert "Buka penilaian untuk satu tahun" in html


def test_admin_detail_is_read_only_with_the_audit_trail(client_for, world):
    from assessments import services

    assessment = services.create_assessment(
        unit=world.unit, year=2026, target="WBK", by=world.users["operator"]
    )
    client = client_for("operator")
    html = client.get(
        reverse("admin:assessments_assessment_change", args=[assessment.pk])
    ).content.decode()
    assert "Penilaian dibuka" in html or "create" in html
    assert 'name="status"' not in html


def test_admin_action_opens_next_year_from_a_copy(client_for, world, make_assessment):
    from tests.assessments.conftest import fill

    last = make_assessment(year=2025)
    fill(last)
    response = client_for("operator").post(
        reverse("admin:assessments_assessment_changelist"),
        {"action": "open_next_year", "_selected_action": [last.pk]},
        follow=True,
    )
    assert "1 penilaian dibuka: U1 2026." in response.content.decode()
    new = Assessment.objects.get(unit=world.unit, year=2026)
    assert new.copied_from == last and new.answers.count() == last.answers.count()
