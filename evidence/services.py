"""Evidence workflows (upload, link, replace, attach, detach, delete, review) and what the LKE page,
the submission service and the live score panel ask of evidence.

Every mutation is atomic and writes an EvidenceEvent. A stored file is removed again when
anything after it fails, so an upload either fully succeeds or leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Answer, Assessment, LkeItem
from assessments.models.assessment import UNIT_EDITABLE
from assessments.models.rulebook import LkeItemKind
from evidence.models import (
    Attachment,
    Evidence,
    EvidenceEvent,
    EvidenceKind,
    EvidenceRevision,
    ReviewStatus,
)
from evidence.validators import (
    CheckedFile,
    EvidenceRejected,
    check_content,
    check_file_name,
    check_link,
)
from organizations.models import UnitKerja

logger = logging.getLogger(__name__)

EVIDENCE_KINDS = (LkeItemKind.INDICATOR, LkeItemKind.HASIL)


def evidence_storage() -> Storage:
    """The storage for evidence files: STORAGES["evidence"] when configured (e.g. an
    S3-compatible backend), else the default storage (private MEDIA_ROOT)."""
    return storages["evidence"] if "evidence" in settings.STORAGES else storages["default"]


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class UploadResult:
    """created: a new item was stored; duplicate: the unit already has this file (`evidence`
    is the existing item, nothing was stored)."""

    status: str
    evidence: Evidence
    attachment: Attachment | None = None
    already_attached: bool = False


# --------------------------------------------------------------------------- checks


def _check_target(assessment: Assessment, item: LkeItem, unit: UnitKerja | None = None) -> None:
    if not assessment.is_editable_by_unit:
        raise EvidenceRejected(
            _("Penilaian %(a)s berstatus %(status)s: bukti dukung tidak dapat diubah lagi.")
            % {"a": assessment, "status": assessment.get_status_display()}
        )
    if item.version_id != assessment.rulebook_id or item.kind not in EVIDENCE_KINDS:
        raise EvidenceRejected(_("Butir ini tidak menerima bukti dukung."))
    if unit is not None and unit.pk != assessment.unit_id:
        raise EvidenceRejected(
            _("Bukti dukung hanya dapat dilampirkan pada penilaian unitnya sendiri.")
        )


def _clean_title(title: str, fallback: str) -> str:
    title = " ".join((title or "").split())[:300]
    return title or fallback[:300]


def _title_from_name(name: str) -> str:
    stem = name.rpartition(".")[0] or name
    return " ".join(stem.replace("_", " ").split())[:300] or name[:300]


def _event(evidence: Evidence, action: str, by, note: str = "") -> None:
    EvidenceEvent.objects.create(
        unit_id=evidence.unit_id,
        evidence=evidence if evidence.pk else None,
        evidence_title=evidence.title,
        action=action,
        note=note,
        by=by,
    )


# --------------------------------------------------------------------------- files


@dataclass(frozen=True)
class PreparedFile:
    upload: File
    checked: CheckedFile
    sha256: str


def prepare_file(upload: File, *, raw_name: str | None = None) -> PreparedFile:
    """Validate a received file (name, size, content) and learn its SHA-256. Raises
    EvidenceRejected. Files from EvidenceUploadHandler were hashed while they streamed in."""
    name, ext = check_file_name(
        raw_name if raw_name is not None else getattr(upload, "raw_name", "") or upload.name or ""
    )
    size = upload.size if upload.size is not None else _size_of(upload)
    checked = check_content(upload, name=name, ext=ext, size=size)
    sha256 = getattr(upload, "sha256", "") or _sha256_of(upload)
    return PreparedFile(upload=upload, checked=checked, sha256=sha256)


def _size_of(upload: File) -> int:
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(0)
    return size


def _sha256_of(upload: File) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def find_duplicate(unit: UnitKerja, sha256: str) -> Evidence | None:
    revision = (
        EvidenceRevision.objects.filter(evidence__unit=unit, sha256=sha256)
        .select_related("evidence")
        .order_by("-uploaded_at", "-pk")
        .first()
    )
    return revision.evidence if revision else None


def _store(unit: UnitKerja, prepared: PreparedFile) -> str:
    """Save the file under a generated name; returns the storage name. On failure nothing is
    left (FileSystemStorage does not remove a partly written file itself)."""
    storage = evidence_storage()
    target = storage.generate_filename(
        f"evidence/unit-{unit.pk}/{uuid.uuid4().hex}.{prepared.checked.extension}"
    )
    prepared.upload.seek(0)
    try:
        stored = storage.save(target, prepared.upload)
        if storage.size(stored) != prepared.checked.size:
            raise OSError(f"stored size differs for {stored}")
    except BaseException:
        _delete_files([target])
        raise
    return stored


def _delete_files(names: Iterable[str]) -> None:
    storage = evidence_storage()
    for name in names:
        try:
            if storage.exists(name):
                storage.delete(name)
        except Exception:  # cleanup must not hide the original error
            logger.exception("evidence file %s could not be deleted", name)


def _new_revision(
    evidence: Evidence, prepared: PreparedFile, stored: str, number: int, by
) -> EvidenceRevision:
    return EvidenceRevision.objects.create(
        evidence=evidence,
        number=number,
        storage_name=stored,
        original_name=prepared.checked.name,
        size=prepared.checked.size,
        content_type=prepared.checked.content_type,
        sha256=prepared.sha256,
        uploaded_by=by,
    )


# --------------------------------------------------------------------------- workflows


def upload_evidence(
    *,
    unit: UnitKerja,
    upload: File,
    by,
    document_date: dt.date,
    title: str = "",
    page_reference: str = "",
    attach_to: tuple[Assessment, LkeItem] | None = None,
) -> UploadResult:
    """Store one uploaded file as a new evidence item of `unit` (and attach it). When the unit
    already has a file with the same SHA-256, nothing is stored and the existing item is
    returned as a duplicate to offer instead."""
    if attach_to:
        _check_target(*attach_to, unit=unit)
    prepared = prepare_file(upload)
    existing = find_duplicate(unit, prepared.sha256)
    if existing is not None:
        already = (
            bool(attach_to)
            and Attachment.objects.filter(
                evidence=existing, assessment=attach_to[0], item=attach_to[1]
            ).exists()
        )
        return UploadResult("duplicate", existing, already_attached=already)
    stored = _store(unit, prepared)
    try:
        with transaction.atomic():
            evidence = Evidence.objects.create(
                unit=unit,
                kind=EvidenceKind.FILE,
                title=_clean_title(title, _title_from_name(prepared.checked.name)),
                document_date=document_date,
                page_reference=page_reference.strip()[:200],
                created_by=by,
            )
            revision = _new_revision(evidence, prepared, stored, 1, by)
            evidence.current_revision = revision
            evidence.save(update_fields=["current_revision"])
            _event(evidence, "unggah", by, prepared.checked.name)
            attachment = _attach(evidence, *attach_to, by=by) if attach_to else None
    except BaseException:
        _delete_files([stored])
        raise
    return UploadResult("created", evidence, attachment)


def add_link(
    *,
    unit: UnitKerja,
    url: str,
    by,
    document_date: dt.date,
    title: str = "",
    page_reference: str = "",
    attach_to: tuple[Assessment, LkeItem] | None = None,
) -> UploadResult:
    url = check_link(url)
    if attach_to:
        _check_target(*attach_to, unit=unit)
    existing = Evidence.objects.filter(unit=unit, kind=EvidenceKind.LINK, link_url=url).first()
    if existing is not None:
        already = (
            bool(attach_to)
            and Attachment.objects.filter(
                evidence=existing, assessment=attach_to[0], item=attach_to[1]
            ).exists()
        )
        return UploadResult("duplicate", existing, already_attached=already)
    with transaction.atomic():
        evidence = Evidence.objects.create(
            unit=unit,
            kind=EvidenceKind.LINK,
            title=_clean_title(title, url),
            document_date=document_date,
            page_reference=page_reference.strip()[:200],
            link_url=url,
            created_by=by,
        )
        _event(evidence, "tautan", by, url)
        attachment = _attach(evidence, *attach_to, by=by) if attach_to else None
    return UploadResult("created", evidence, attachment)


def replace_file(*, evidence: Evidence, upload: File, by) -> EvidenceRevision:
    """A new revision of a file item. Attachments of assessments the unit can still edit move
    to it (and wait for review again); submitted assessments keep the revision they were
    submitted with."""
    if not evidence.is_file:
        raise EvidenceRejected(_("Bukti berupa tautan tidak memiliki berkas untuk diganti."))
    prepared = prepare_file(upload)
    current = evidence.current_revision
    if current is not None and current.sha256 == prepared.sha256:
        raise EvidenceRejected(
            _("Berkas ini sama persis dengan revisi terkini; tidak ada yang diganti.")
        )
    stored = _store(evidence.unit, prepared)
    try:
        with transaction.atomic():
            locked = Evidence.objects.select_for_update().get(pk=evidence.pk)
            number = (locked.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
            revision = _new_revision(locked, prepared, stored, number, by)
            locked.current_revision = revision
            locked.save(update_fields=["current_revision"])
            Attachment.objects.filter(evidence=locked, assessment__status__in=UNIT_EDITABLE).update(
                revision=revision,
                status=ReviewStatus.BELUM_DIREVIU,
                review_note="",
                reviewed_by=None,
                reviewed_at=None,
            )
            _event(locked, "ganti", by, f"r{number}: {prepared.checked.name}")
    except BaseException:
        _delete_files([stored])
        raise
    evidence.current_revision = revision
    return revision


def _attach(evidence: Evidence, assessment: Assessment, item: LkeItem, *, by) -> Attachment:
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(
                evidence=evidence,
                assessment=assessment,
                item=item,
                revision=evidence.current_revision,
                attached_by=by,
            )
    except IntegrityError:
        raise EvidenceRejected(
            _("“%(title)s” sudah dilampirkan pada indikator %(code)s.")
            % {"title": evidence.title, "code": item.code}
        ) from None
    _event(evidence, "lampirkan", by, f"{assessment.year} {item.code}")
    return attachment


def attach(*, evidence: Evidence, assessment: Assessment, item: LkeItem, by) -> Attachment:
    """Reuse an existing item of the unit on an indicator (this or a later assessment)."""
    _check_target(assessment, item, unit=evidence.unit)
    with transaction.atomic():
        return _attach(evidence, assessment, item, by=by)


def detach(*, attachment: Attachment, by) -> None:
    _check_target(attachment.assessment, attachment.item)
    with transaction.atomic():
        _event(
            attachment.evidence,
            "lepas",
            by,
            f"{attachment.assessment.year} {attachment.item.code}",
        )
        attachment.delete()


def locked_assessments(evidence: Evidence) -> list[Assessment]:
    """Assessments past the unit's hands that use this item (it cannot be deleted)."""
    ids = (
        evidence.attachments.exclude(assessment__status__in=UNIT_EDITABLE)
        .values_list("assessment_id", flat=True)
        .distinct()
    )
    return list(Assessment.objects.filter(pk__in=list(ids)).order_by("-year"))


def delete_evidence(*, evidence: Evidence, by) -> None:
    """Delete an item with its revisions and files; refused while an assessment that was
    submitted uses it."""
    locked = locked_assessments(evidence)
    if locked:
        raise EvidenceRejected(
            _(
                "“%(title)s” tidak dapat dihapus karena dipakai penilaian yang sudah dikirim: %(list)s."
            )
            % {"title": evidence.title, "list": "; ".join(str(a) for a in locked)}
        )
    names = list(evidence.revisions.values_list("storage_name", flat=True))
    with transaction.atomic():
        _event(evidence, "hapus", by, f"{len(names)} revisi")
        EvidenceEvent.objects.filter(evidence=evidence).update(evidence=None)
        Evidence.objects.filter(pk=evidence.pk).update(current_revision=None)
        evidence.delete()
        transaction.on_commit(lambda: _delete_files(names))


def set_review_status(*, attachment: Attachment, status: str, note: str = "", by) -> Attachment:
    """The evaluator's verdict on one attachment (the evaluator's pages call this)."""
    if status not in ReviewStatus.values:
        raise EvidenceRejected(_("Status reviu tidak dikenal."))
    note = (note or "").strip()
    if status == ReviewStatus.PERLU_PERBAIKAN and not note:
        raise EvidenceRejected(_("Tuliskan catatan perbaikan untuk unit."))
    with transaction.atomic():
        attachment.status = status
        attachment.review_note = note
        attachment.reviewed_by = by if status != ReviewStatus.BELUM_DIREVIU else None
        attachment.reviewed_at = timezone.now() if status != ReviewStatus.BELUM_DIREVIU else None
        attachment.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
        _event(attachment.evidence, f"reviu:{status}", by, attachment.item.code)
    return attachment


# --------------------------------------------------------------------------- LKE integration


def attachments_by_item(assessment: Assessment) -> dict[int, list[Attachment]]:
    """item id -> the assessment's attachments on it, each with its evidence and revision.
    One query."""
    grouped: dict[int, list[Attachment]] = defaultdict(list)
    for attachment in (
        Attachment.objects.filter(assessment=assessment)
        .select_related("evidence", "revision", "evidence__current_revision")
        .order_by("item_id", "attached_at", "pk")
    ):
        grouped[attachment.item_id].append(attachment)
    return dict(grouped)


def review_counts_by_area(assessment: Assessment) -> dict[int | None, dict[str, int]]:
    """area id (None for Hasil) -> review status -> number of attachments. One query."""
    from django.db.models import Count

    counts: dict[int | None, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(ReviewStatus.values, 0)
    )
    rows = (
        Attachment.objects.filter(assessment=assessment)
        .values("item__area_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["item__area_id"]][row["status"]] = row["n"]
    return {k: dict(v) for k, v in counts.items()}


@dataclass(frozen=True, slots=True)
class _ItemFacts:
    """What evidence needs to know about one evidence-bearing item of a rulebook version."""

    id: int
    code: str
    kind: str  # option | number | persen
    lowest_key: str | None = None
    option_values: tuple[tuple[str, Decimal], ...] = ()
    inputs: tuple[str, ...] = ()
    numerator: str | None = None
    denominator: tuple[str, ...] = ()
    previous: str | None = None
    current: str | None = None


_FACTS_CACHE: dict[tuple[int, str], dict[str, _ItemFacts]] = {}


def _item_facts(assessment: Assessment) -> dict[str, _ItemFacts]:
    """code -> facts for every indicator/Hasil item of the assessment's rulebook version,
    read once per process (a used rulebook version never changes)."""
    version = assessment.rulebook
    key = (version.pk, version.content_hash)
    cached = _FACTS_CACHE.get(key)
    if cached is not None:
        return cached
    from assessments.rulebooks import engine_rulebook

    persen: dict[str, Any] = {}
    try:
        plan = engine_rulebook(version).plan
        persen = {slot.code: slot.payload for slot in plan.persen}
    except Exception:  # an engine problem must not block evidence; PERSEN then uses inputs only
        logger.exception("engine plan unavailable for %s", version)
    items = LkeItem.objects.filter(version=version, kind__in=EVIDENCE_KINDS).prefetch_related(
        "options", "inputs"
    )
    facts: dict[str, _ItemFacts] = {}
    for item in items:
        options = sorted(item.options.all(), key=lambda o: (o.value, o.order))
        if options:
            facts[item.code] = _ItemFacts(
                item.pk,
                item.code,
                "option",
                lowest_key=options[0].key,
                option_values=tuple((o.key, o.value) for o in options),
            )
        elif item.type.upper() == "PERSEN":
            formula = persen.get(item.code)
            facts[item.code] = _ItemFacts(
                item.pk,
                item.code,
                "persen",
                inputs=tuple(i.code for i in sorted(item.inputs.all(), key=lambda i: i.order)),
                numerator=getattr(formula, "numerator", None),
                denominator=tuple(getattr(formula, "denominator", None) or ()),
                previous=getattr(formula, "previous", None),
                current=getattr(formula, "current", None),
            )
        else:  # NILAI, INDEKS: any positive value claims something
            facts[item.code] = _ItemFacts(item.pk, item.code, "number")
    _FACTS_CACHE[key] = facts
    return facts


def _number(value: object) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip().replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _claims(facts: _ItemFacts, answers: Mapping[str, object]) -> bool:
    """True when the answer is above the item's lowest option (or a positive figure)."""
    if facts.kind == "option":
        value = answers.get(facts.code)
        if value is None or str(value).strip() == "":
            return False
        values = dict(facts.option_values)
        key = str(value).strip()
        chosen = values.get(key)
        if chosen is None:
            chosen = next((v for k, v in values.items() if k.lower() == key.lower()), None)
        return chosen is not None and chosen > values[facts.lowest_key]
    if facts.kind == "persen":
        # A claim is a percentage above what the evidence-less answer scores: achievements
        # over a non-zero base, or a reduction shown. 1 obliged and 0 reported scores 0% and
        # claims nothing, whatever the other counts are.
        if facts.numerator and facts.denominator:
            base = sum((_number(answers.get(code)) or 0) for code in facts.denominator)
            return base > 0 and (_number(answers.get(facts.numerator)) or 0) > 0
        if facts.previous and facts.current:
            previous = _number(answers.get(facts.previous))
            current = _number(answers.get(facts.current))
            return previous is not None and current is not None and previous > current
        return any((_number(answers.get(code)) or 0) > 0 for code in facts.inputs)
    number = _number(answers.get(facts.code))
    return number is not None and number > 0


def _zero_like(value: object) -> object:
    if isinstance(value, str):
        return "0"
    if isinstance(value, int):
        return 0
    return Decimal("0.00")


def _lowered(facts: _ItemFacts, answers: dict[str, object]) -> None:
    if facts.kind == "option":
        answers[facts.code] = facts.lowest_key
    elif facts.kind == "number":
        answers[facts.code] = _zero_like(answers[facts.code])
    elif facts.numerator and facts.numerator in answers:
        answers[facts.numerator] = _zero_like(answers[facts.numerator])
    elif facts.current and facts.current in answers:
        previous = _number(answers.get(facts.previous)) if facts.previous else None
        current = _number(answers[facts.current]) or Decimal(0)
        if previous is not None and previous > current:
            answers[facts.current] = answers[facts.previous]  # no reduction shown
    else:  # no formula known: every input to 0 (scores the lowest the formula allows)
        for code in facts.inputs:
            if code in answers:
                answers[code] = _zero_like(answers[code])


@dataclass(frozen=True, slots=True)
class ReviewStatuses:
    """item id -> the review statuses of the assessment's attachments on it (one query), so
    that the supported score and its steps read the attachments once per page."""

    by_item: dict[int, frozenset[str]]

    @classmethod
    def of(cls, assessment: Assessment) -> ReviewStatuses:
        grouped: dict[int, set[str]] = defaultdict(set)
        for item_id, status in Attachment.objects.filter(assessment=assessment).values_list(
            "item_id", "status"
        ):
            grouped[item_id].add(status)
        return cls({k: frozenset(v) for k, v in grouped.items()})

    @property
    def acceptable(self) -> set[int]:
        """Items with at least one attachment not marked perlu perbaikan."""
        flagged = ReviewStatus.PERLU_PERBAIKAN
        return {item for item, statuses in self.by_item.items() if statuses - {flagged}}

    @property
    def flagged(self) -> set[int]:
        return {
            item
            for item, statuses in self.by_item.items()
            if ReviewStatus.PERLU_PERBAIKAN in statuses
        }


def _answers_of(assessment: Assessment) -> dict[str, str]:
    return dict(
        Answer.objects.filter(assessment=assessment)
        .exclude(value="")
        .values_list("item__code", "value")
    )


def items_missing_evidence(assessment: Assessment) -> list[LkeItem]:
    """Indicators answered above their lowest option that have no evidence at all, in rulebook
    order: the submission gate. (Evidence marked perlu perbaikan still counts here; it lowers
    the evidence-supported score instead.)"""
    facts = _item_facts(assessment)
    answers = _answers_of(assessment)
    supported = set(ReviewStatuses.of(assessment).by_item)  # any attachment, even flagged
    missing = [f.id for f in facts.values() if f.id not in supported and _claims(f, answers)]
    if not missing:
        return []
    return list(
        LkeItem.objects.filter(pk__in=missing).select_related("area", "sub_area").order_by("order")
    )


def evidence_supported_answers(
    assessment: Assessment,
    answers: Mapping[str, object],
    *,
    statuses: ReviewStatuses | None = None,
) -> dict[str, object]:
    """`answers` (item code -> answer, as the engines take them) with every claim that no
    acceptable evidence supports lowered to the item's lowest option (PERSEN: its achievement
    count to 0). Acceptable: attached and not marked perlu perbaikan. One query unless
    `statuses` is given (plus the rulebook facts, read once per process)."""
    facts = _item_facts(assessment)
    supported = (statuses or ReviewStatuses.of(assessment)).acceptable
    result = dict(answers)
    for item_facts in facts.values():
        if item_facts.id not in supported and _claims(item_facts, answers):
            _lowered(item_facts, result)
    return result


def unsupported_codes(
    assessment: Assessment,
    answers: Mapping[str, object],
    *,
    statuses: ReviewStatuses | None = None,
) -> list[str]:
    """Codes whose answer is lowered by `evidence_supported_answers` (in rulebook order)."""
    facts = _item_facts(assessment)
    supported = (statuses or ReviewStatuses.of(assessment)).acceptable
    return [f.code for f in facts.values() if f.id not in supported and _claims(f, answers)]


@dataclass(frozen=True, slots=True)
class EvidenceStep:
    """One "add or fix evidence" step: `points` of score it gives back (exact, unrounded)."""

    item: LkeItem
    reason: str  # "tambah" (no evidence) | "perbaiki" (only evidence marked perlu perbaikan)
    points: Decimal


def evidence_steps(
    assessment: Assessment,
    answers: Mapping[str, object],
    *,
    statuses: ReviewStatuses | None = None,
    lowered: Mapping[str, object] | None = None,
) -> list[EvidenceStep]:
    """The steps that turn the self-assessment score into the evidence-supported one, largest
    gain first. The gap plan lists these before answer changes when the evidence-supported
    score is what misses the target. `statuses` and `lowered` (the evidence-supported answers)
    may be passed when the caller has them already."""
    from assessments.engine import item_gains
    from assessments.rulebooks import engine_rulebook

    statuses = statuses or ReviewStatuses.of(assessment)
    codes = unsupported_codes(assessment, answers, statuses=statuses)
    if not codes:
        return []
    if lowered is None:
        lowered = evidence_supported_answers(assessment, answers, statuses=statuses)
    gains = item_gains(engine_rulebook(assessment.rulebook), lowered, answers, codes)
    flagged = statuses.flagged
    items = {i.code: i for i in LkeItem.objects.filter(version=assessment.rulebook, code__in=codes)}
    steps = [
        EvidenceStep(items[c], "perbaiki" if items[c].pk in flagged else "tambah", gains[c])
        for c in codes
    ]
    return sorted(steps, key=lambda s: (-s.points, s.item.order))


def unit_storage_bytes(unit: UnitKerja) -> int:
    from django.db.models import Sum

    return EvidenceRevision.objects.filter(evidence__unit=unit).aggregate(s=Sum("size"))["s"] or 0


def usable_evidence(unit: UnitKerja, query: str = "") -> Any:
    """The unit's evidence matching `query` in its title, file name or page reference."""
    items = Evidence.objects.filter(unit=unit).select_related("current_revision")
    query = " ".join(query.split())[:100]
    if query:
        items = items.filter(
            Q(title__icontains=query)
            | Q(current_revision__original_name__icontains=query)
            | Q(link_url__icontains=query)
        )
    return items.order_by("-document_date", "-pk")
