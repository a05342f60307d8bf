"""Leadership fixtures: assessments filled in the database, evidence, TPI answers and stored
snapshots (written directly, the way issue 6's finalisation stores them)."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess

import pytest
from django.utils import timezone

from tests.assessments.conftest import fill


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
def filled(make_assessment, world):
    """A complete draft assessment of world.unit (best answers: meets Menuju WBK)."""
    assessment = make_assessment()
    fill(assessment, by=world.users["unit_team"], evidence=False)
    return assessment


def add_evidence(assessment, count: int, *, by=None, statuses=("diterima",)) -> list:
    """`count` file evidence items of the assessment's unit, attached in rulebook order to its
    scored items (several per item when there are more items than codes)."""
    from assessments.models import LkeItem
    from evidence.models import Attachment, Evidence, EvidenceRevision

    items = list(
        LkeItem.objects.filter(
            version=assessment.rulebook, kind__in=["indicator", "hasil"]
        ).order_by("order")
    )
    out = []
    for i in range(count):
        evidence = Evidence.objects.create(
            unit=assessment.unit,
            kind="file",
            title=f"Dokumen bukti {i + 1:03d}",
            document_date=dt.date(2026, 1, 1) + dt.timedelta(days=i),
            created_by=by,
        )
        sha = hashlib.sha256(f"{assessment.pk}-{i}".encode()).hexdigest()
        revision = EvidenceRevision.objects.create(
            evidence=evidence,
            number=1,
            storage_name=f"uji/{assessment.pk}/{i}.pdf",
            original_name=f"bukti-{i}.pdf",
            size=1000 + i,
            content_type="application/pdf",
            sha256=sha,
            uploaded_by=by,
        )
        evidence.current_revision = revision
        evidence.save(update_fields=["current_revision"])
        status = statuses[i % len(statuses)]
        out.append(
            Attachment.objects.create(
                evidence=evidence,
                assessment=assessment,
                item=items[i % len(items)],
                revision=revision,
                status=status,
                review_note="Perlu tanda tangan kepala unit."
                if status == "perlu_perbaikan"
                else "",
                attached_by=by,
            )
        )
    return out


def tpi_answer(assessment, changes: dict[str, tuple[str, str]] | None = None, *, by=None) -> None:
    """The TPI's answers: the unit's own, except `changes` (code -> (value, note))."""
    from assessments.models import Answer, EvaluatorAnswer

    changes = changes or {}
    rows = []
    for answer in Answer.objects.filter(assessment=assessment).select_related("item"):
        value, note = changes.get(answer.item.code, (answer.value, ""))
        rows.append(
            EvaluatorAnswer(
                assessment=assessment,
                item=answer.item,
                value=value,
                note=note,
                revision=1,
                updated_by=by,
            )
        )
    EvaluatorAnswer.objects.bulk_create(rows)
    assessment.__dict__.pop("_tpi_state", None)


def finalise(assessment, *, by=None, code: str = "ABCD2345EFGH", note: str = "Siap diusulkan."):
    """Store the snapshot the way issue 6's finalisation does (its content function), and mark
    the assessment final."""
    from assessments.evaluation import snapshot_content
    from assessments.models import AssessmentSnapshot, Status
    from assessments.rulebooks import content_hash

    at = timezone.now()
    content = snapshot_content(assessment, by=by, at=at, general_note=note)
    snapshot = AssessmentSnapshot.objects.create(
        assessment=assessment,
        rulebook_id=assessment.rulebook_id,
        content=content,
        content_sha256=content_hash(content),
        verification_code=code,
        finalised_by=by,
        finalised_at=at,
    )
    assessment.status = Status.FINAL
    assessment.save(update_fields=["status"])
    return snapshot


def pdf_text(data: bytes) -> str:
    """The text of a PDF (poppler's pdftotext), whitespace collapsed."""
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext (poppler-utils) is required: apt-get install poppler-utils")
    out = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(out.split())
