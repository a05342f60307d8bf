"""Two members saving the same answer at the same moment: one wins, the other is told."""

from __future__ import annotations

import threading

import pytest
from django.db import OperationalError, connection

from assessments import services
from assessments.models import Answer, Assessment
from assessments.services import AnswerChange


@pytest.fixture(scope="module", autouse=True)
def _rulebooks_after_flush(django_db_setup, django_db_blocker):
    """The transactional test below ends with a flush; put the rulebooks back for the rest."""
    yield
    with django_db_blocker.unblock():
        from assessments.rulebooks import load_rulebooks

        load_rulebooks()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_of_one_answer_never_both_win(world, lke_version):
    from django.contrib.auth import get_user_model

    from organizations.models import Membership, Role

    assessment = Assessment.objects.create(
        unit=world.unit, year=2026, target="WBK", rulebook=lke_version
    )
    second = get_user_model().objects.create_user("tim-b")
    Membership.objects.create(
        user=second, instansi=world.instansi, unit=world.unit, role=Role.TIM_UNIT
    )
    users = {"A": world.users["unit_team"], "C": second}
    outcome: dict[str, str] = {}
    start = threading.Barrier(2)

    def save(value: str) -> None:
        from django.db import connection as own

        try:
            start.wait()
            services.save_answers(
                assessment=Assessment.objects.get(pk=assessment.pk),
                changes=[AnswerChange("A.I.1.i.b", value, None, 0)],
                by=users[value],
            )
            outcome[value] = "saved"
        except services.AnswerConflict:
            outcome[value] = "conflict"
        except OperationalError:  # SQLite: "database is locked" is a refusal too
            outcome[value] = "refused"
        finally:
            own.close()

    threads = [threading.Thread(target=save, args=(v,)) for v in ("A", "C")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [v for v, o in outcome.items() if o == "saved"]
    assert len(winners) == 1, outcome
    stored = Answer.objects.get(assessment=assessment, item__code="A.I.1.i.b")
    assert (stored.value, stored.revision) == (winners[0], 1)
    if connection.vendor == "postgresql":
        assert sorted(outcome.values()) == ["conflict", "saved"]
