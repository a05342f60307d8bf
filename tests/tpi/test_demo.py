"""The demo: `tpi` is assigned to BAUK's submitted LKE with part of the evaluation done."""

from __future__ import annotations

from django.urls import reverse

from assessments.evaluation import tpi_state
from assessments.models import Assessment, EvaluatorAnswer


def test_demo_tpi_has_a_partial_evaluation_of_the_submitted_bauk(db, client):
    from django.core.management import call_command

    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    bauk = Assessment.objects.get(unit__code="BAUK", year=2026)
    assert bauk.status == "submitted"
    assert bauk.assignments.filter(evaluator__username="tpi").exists()
    state = tpi_state(bauk)
    done = sum(1 for v in state.result.values.values() if v is not None)
    assert 0 < done < len(state.result.values)
    lowered = EvaluatorAnswer.objects.filter(assessment=bauk).exclude(note="")
    assert lowered.count() == 2
    first = lowered.order_by("item__order").first()
    assert first.history.first().history_user.username == "tpi"
    assert not EvaluatorAnswer.objects.filter(assessment__unit__code="BAAK").exists()

    # The demo account reaches it in the admin, read-only until the review is opened.
    client.force_login(bauk.assignments.get().evaluator)
    html = client.get(
        reverse("admin:assessments_assessment_change", args=[bauk.pk])
    ).content.decode()
    assert 'data-testid="open-review"' in html
    assert "lebih rendah dari unit" in html
