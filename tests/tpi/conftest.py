"""Fixtures for the TPI evaluation tests: a complete, submitted assessment of world.unit assigned
to the `tpi` persona, a second (unassigned) TPI member, and helpers that answer through the
services."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from django.utils import timezone

from tests.assessments.conftest import all_cards, fill, good_answers


@pytest.fixture(autouse=True)
def _rulebooks_present(db) -> None:
    """Browser tests flush the database (transactional); reload the rulebooks if they ran first."""
    from assessments.models import RulebookVersion
    from assessments.rulebooks import load_rulebooks

    if not RulebookVersion.objects.filter(kind="lke", is_current=True).exists():
        load_rulebooks()


@pytest.fixture
def make_assessment(world, lke_version):
    from assessments.models import Assessment

    def _make(**overrides) -> Assessment:
        values = {"unit": world.unit, "year": 2026, "target": "WBK", "rulebook": lke_version}
        values.update(overrides)
        return Assessment.objects.create(**values)

    return _make


@pytest.fixture
def other_tpi(world):
    """A TPI member of the same instansi who is not assigned to anything."""
    from django.contrib.auth import get_user_model

    from organizations.models import Membership, Role

    user = get_user_model().objects.create_user(
        "penilai2", "penilai2@uji.go.id", "pw-uji-123", is_staff=True
    )
    Membership.objects.create(user=user, instansi=world.instansi, role=Role.TPI)
    world.users["other_tpi"] = user
    return user


def submit(assessment, *, status: str = "submitted") -> None:
    from assessments.models import Assessment

    Assessment.objects.filter(pk=assessment.pk).update(status=status, submitted_at=timezone.now())
    assessment.refresh_from_db()
    assessment.__dict__.pop("_lke_state", None)


@pytest.fixture
def submitted(make_assessment, world):
    """A complete assessment of world.unit, sent to the TPI and assigned to `tpi`."""
    from assessments.models import Assignment, UnitFactsRecord

    assessment = make_assessment()
    fill(assessment, by=world.users["unit_team"])
    UnitFactsRecord.objects.create(
        assessment=assessment, core_service=True, significant_impact=True
    )
    submit(assessment)
    Assignment.objects.create(assessment=assessment, evaluator=world.users["tpi"])
    return assessment


@pytest.fixture
def in_review(submitted, world):
    from assessments import evaluation

    evaluation.open_review(assessment=submitted, by=world.users["tpi"])
    return submitted


def tpi_changes(assessment, *, rank: int = 0, skip: Iterable[str] = (), note: str = ""):
    """AnswerChanges answering every card (except `skip`) like the unit's `fill` does."""
    from assessments.evaluation import AnswerChange, tpi_state

    state = tpi_state(assessment, refresh=True)
    rows = state.rows if state else {}
    skip = set(skip)
    changes = []
    for card in all_cards(assessment):
        if card.code in skip:
            continue
        for code, value in good_answers(card, rank=rank).items():
            revision = rows[code].revision if code in rows else 0
            changes.append(
                AnswerChange(code, value, note if code == card.code and note else None, revision)
            )
    return changes


def evaluate(assessment, by, *, rank: int = 0, skip: Iterable[str] = (), note: str = "") -> None:
    from assessments import evaluation

    evaluation.save_evaluator_answers(
        assessment=assessment,
        changes=tpi_changes(assessment, rank=rank, skip=skip, note=note),
        by=by,
    )


@pytest.fixture
def evaluated(in_review, world):
    """In review, every TPI answer equal to the unit's."""
    evaluate(in_review, world.users["tpi"])
    return in_review


@pytest.fixture
def evidence_on():
    """evidence_on(assessment, code) -> an Attachment of a stored one-page PDF on that item."""
    import datetime as dt
    import hashlib
    import uuid

    from django.core.files.base import ContentFile

    from evidence.demo import make_pdf
    from evidence.models import Attachment, Evidence, EvidenceRevision
    from evidence.services import evidence_storage

    def _attach(assessment, code: str, *, title: str = "SK Tim Kerja ZI") -> Attachment:
        content = make_pdf(title, [str(uuid.uuid4())])
        name = evidence_storage().save(
            f"evidence/test/{uuid.uuid4().hex}.pdf", ContentFile(content)
        )
        evidence = Evidence.objects.create(
            unit=assessment.unit, kind="file", title=title, document_date=dt.date(2026, 1, 5)
        )
        revision = EvidenceRevision.objects.create(
            evidence=evidence,
            number=1,
            storage_name=name,
            original_name=f"{title}.pdf",
            size=len(content),
            content_type="application/pdf",
            sha256=hashlib.sha256(content).hexdigest(),
        )
        evidence.current_revision = revision
        evidence.save(update_fields=["current_revision"])
        item = assessment.rulebook.lke_items.get(code=code)
        return Attachment.objects.create(
            evidence=evidence, assessment=assessment, item=item, revision=revision
        )

    return _attach
