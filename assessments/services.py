"""Workflow of a unit's ZI assessment: every state change is one named, atomic, audited function.

Each function takes keyword arguments only, checks the state it starts from (and the role of
`by`, as a second line behind the views' access funnel), writes an `AssessmentEvent` for a
change of status or of eligibility facts, and saves with `update_fields`. Refusals raise an
`AssessmentError` subclass whose `message` is Indonesian and can be shown as is.

The evaluator's side (in_review, returned, final) and the leadership's (proposed, decided) are
delivered by the evaluator issue; this module covers draft -> submitted and the unit's side of
returned -> submitted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from assessments.engine import validate_answers
from assessments.models import (
    Answer,
    Assessment,
    AssessmentEvent,
    InstansiFacts,
    LkeItem,
    Predikat,
    RulebookVersion,
    Status,
    UnitFactsRecord,
)
from assessments.models.assessment import UNIT_EDITABLE
from assessments.models.rulebook import LkeItemKind, RulebookKind
from assessments.rulebooks import engine_rulebook
from organizations import access
from organizations.access import AssessmentAction
from organizations.models import Instansi, Role, UnitKerja

NOTE_MAX = 4000
COUNT_MAX = 1_000_000_000
# "1.000" or "12,500": a thousands separator, which the engine would read as a decimal point.
_THOUSANDS = re.compile(r"\d{1,3}([.,]\d{3})+")


# --------------------------------------------------------------------------- errors


class AssessmentError(Exception):
    """A refused change. `message` is Indonesian and safe to show to the user."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class AssessmentLocked(AssessmentError):
    """The assessment is not in a state where the unit may change it."""


class TransitionNotAllowed(AssessmentError):
    """The assessment's status does not allow this step (e.g. a second submission)."""


class AssessmentExists(AssessmentError):
    """The unit already has an assessment for that year and target predikat."""


class AnswerInvalid(AssessmentError):
    """`errors`: answer code -> message (without the code)."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__(_("Periksa isian yang ditandai; belum ada yang disimpan."))


@dataclass(frozen=True, slots=True)
class Conflict:
    code: str
    by: str
    at: datetime | None
    value: str
    note: str


class AnswerConflict(AssessmentError):
    """Another member changed the same answer after this page was loaded."""

    def __init__(self, conflicts: Sequence[Conflict]) -> None:
        self.conflicts = list(conflicts)
        first = self.conflicts[0]
        super().__init__(
            _(
                "Jawaban ini sudah diubah oleh %(by)s pada %(at)s setelah halaman Anda dimuat. "
                "Isian Anda belum disimpan; periksa nilai terbaru lalu simpan lagi bila perlu."
            )
            % {"by": first.by, "at": _when(first.at)}
        )


class SubmissionIncomplete(AssessmentError):
    """`missing`: the unanswered codes (indicators, count inputs, Hasil figures)."""

    def __init__(self, missing: Sequence[str]) -> None:
        self.missing = list(missing)
        super().__init__(
            _(
                "LKE belum dapat dikirim: masih ada indikator, isian jumlah atau angka Hasil "
                "yang belum diisi. Lengkapi butir di bawah ini, lalu kirim lagi."
            )
        )


class SubmissionLacksEvidence(AssessmentError):
    """`missing`: indicators answered above their lowest option without any bukti dukung."""

    def __init__(self, missing: Sequence[str]) -> None:
        self.missing = list(missing)
        super().__init__(
            _(
                "LKE belum dapat dikirim: indikator berikut dijawab di atas pilihan terendah "
                "tetapi belum memiliki bukti dukung. Unggah atau lampirkan buktinya, lalu kirim lagi."
            )
        )


def _when(at: datetime | None) -> str:
    if at is None:
        return "—"
    return timezone.localtime(at).strftime("%d-%m-%Y %H:%M")


def _display_name(user) -> str:
    if user is None:
        return _("pengguna yang sudah dihapus")
    return user.get_full_name() or user.get_username()


def _require(by, assessment: Assessment, action: AssessmentAction) -> None:
    if not access.can_on_assessment(by, assessment, action):
        raise PermissionDenied


def _locked(assessment: Assessment) -> Assessment:
    """The assessment row, locked until the end of the transaction (saves and submission of one
    assessment are serialised, so no save slips in after a submission)."""
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=assessment.pk)
    )


def _event(
    assessment: Assessment, *, action: str, by, note: str = "", from_status: str | None = None
) -> None:
    """Audit record. A change of status passes `from_status` ("" when the assessment is new);
    other audited changes (facts, copies) leave both statuses empty."""
    AssessmentEvent.objects.create(
        assessment=assessment,
        action=action,
        from_status=from_status or "",
        to_status=assessment.status if from_status is not None else "",
        note=note,
        by=by,
    )


def _forget_state(assessment: Assessment) -> None:
    assessment.__dict__.pop("_lke_state", None)


# --------------------------------------------------------------------------- opening


def _copy_answers(*, target: Assessment, source: Assessment, by) -> int:
    """Copy the source's answers (value and penjelasan) whose code exists in the target's
    rulebook and whose value the target's rulebook accepts. Returns how many were copied."""
    rulebook = engine_rulebook(target.rulebook)
    items = {i.code: i for i in LkeItem.objects.filter(version=target.rulebook)}
    rows = [
        r
        for r in source.answers.select_related("item")
        if r.item.code in items and (r.value or r.note)
    ]
    accepted, _problems = validate_answers(
        rulebook, {r.item.code: r.value for r in rows if r.value}
    )
    copies = [
        Answer(
            assessment=target,
            item=items[r.item.code],
            value=r.value if r.item.code in accepted else "",
            note=r.note,
            revision=1,
            updated_by=by,
        )
        for r in rows
        if r.item.code in accepted or r.note
    ]
    reason = _("Disalin dari penilaian %(year)s") % {"year": source.year}
    bulk_create_with_history(copies, Answer, default_user=by, default_change_reason=reason)
    # Facts that do not change from year to year; percentages and SAKIP are yearly figures.
    old = UnitFactsRecord.objects.filter(assessment=source).first()
    if old is not None:
        UnitFactsRecord.objects.create(
            assessment=target,
            core_service=old.core_service,
            significant_impact=old.significant_impact,
            pencanangan_date=old.pencanangan_date,
            wbbm_start_date=old.wbbm_start_date,
            updated_by=by,
        )
    return len(copies)


def previous_assessment(unit: UnitKerja, year: int, target: str) -> Assessment | None:
    """The unit's latest assessment before `year` (the same target first)."""
    earlier = Assessment.objects.filter(unit=unit, year__lt=year).order_by("-year")
    return earlier.filter(target=target).first() or earlier.first()


@transaction.atomic
def create_assessment(
    *,
    unit: UnitKerja,
    year: int,
    target: str,
    by,
    copy_from: Assessment | None = None,
    rulebook: RulebookVersion | None = None,
) -> Assessment:
    """Open a draft for one unit, year and target predikat, pinned to `rulebook` (default: the
    current LKE rulebook); optionally start from the answers of an earlier assessment."""
    if Role.OPERATOR not in access.scope_of(by).roles_on_unit(unit):
        raise PermissionDenied
    if target not in Predikat.values:
        raise AssessmentError(_("Target predikat tidak dikenal: %(t)s.") % {"t": target})
    if copy_from is not None and (copy_from.unit_id != unit.pk or copy_from.year >= year):
        raise AssessmentError(
            _("Jawaban hanya dapat disalin dari penilaian tahun sebelumnya milik unit yang sama.")
        )
    version = rulebook or RulebookVersion.objects.current(RulebookKind.LKE)
    if version.kind != RulebookKind.LKE:
        raise AssessmentError(_("Buku aturan penilaian harus berupa LKE."))
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                unit=unit,
                year=year,
                target=target,
                rulebook=version,
                status=Status.DRAFT,
                copied_from=copy_from,
                created_by=by,
            )
    except IntegrityError:
        raise AssessmentExists(
            _("Penilaian %(target)s tahun %(year)s untuk %(unit)s sudah ada.")
            % {"target": Predikat(target).label, "year": year, "unit": unit.name}
        ) from None
    note = ""
    if copy_from is not None:
        copied = _copy_answers(target=assessment, source=copy_from, by=by)
        note = _("%(n)s jawaban disalin dari penilaian %(year)s.") % {
            "n": copied,
            "year": copy_from.year,
        }
    _event(assessment, action="create", by=by, note=note, from_status="")
    return assessment


@dataclass(frozen=True)
class OpenOutcome:
    created: list[Assessment]
    skipped: list[UnitKerja]  # the unit already has an assessment for that year and target


@transaction.atomic
def open_assessments(
    *, units: Iterable[UnitKerja], year: int, target: str, by, copy_previous: bool = True
) -> OpenOutcome:
    """The operator opens the year for many units at once; units that already have one are
    skipped. With `copy_previous`, each new draft starts from the unit's previous answers."""
    created: list[Assessment] = []
    skipped: list[UnitKerja] = []
    for unit in units:
        if Assessment.objects.filter(unit=unit, year=year, target=target).exists():
            skipped.append(unit)
            continue
        source = previous_assessment(unit, year, target) if copy_previous else None
        created.append(
            create_assessment(unit=unit, year=year, target=target, by=by, copy_from=source)
        )
    return OpenOutcome(created, skipped)


@transaction.atomic
def copy_previous_answers(*, assessment: Assessment, by) -> int:
    """The unit team starts an empty draft from its previous assessment's answers."""
    _require(by, assessment, AssessmentAction.FILL)
    locked = _locked(assessment)
    if locked.status not in UNIT_EDITABLE:
        raise AssessmentLocked(_("Penilaian ini tidak dapat diubah lagi."))
    if locked.answers.exists():
        raise AssessmentError(
            _("Penyalinan hanya untuk LKE yang masih kosong; LKE ini sudah berisi jawaban.")
        )
    source = previous_assessment(locked.unit, locked.year, locked.target)
    if source is None:
        raise AssessmentError(_("Unit ini belum memiliki penilaian tahun sebelumnya."))
    if UnitFactsRecord.objects.filter(assessment=locked).exists():
        UnitFactsRecord.objects.filter(assessment=locked).delete()
    copied = _copy_answers(target=locked, source=source, by=by)
    locked.copied_from = source
    locked.save(update_fields=["copied_from", "updated_at"])
    _event(
        locked,
        action="copy_previous",
        by=by,
        note=_("%(n)s jawaban disalin dari penilaian %(year)s.")
        % {"n": copied, "year": source.year},
    )
    _forget_state(assessment)
    return copied


# --------------------------------------------------------------------------- answers


@dataclass(frozen=True, slots=True)
class AnswerChange:
    """One answer row to save. value None: leave the value as it is (e.g. the row of a
    percentage indicator, which holds only the penjelasan); note None: leave the note."""

    code: str
    value: str | None
    note: str | None
    expected_revision: int


def _check_value(rulebook, item: LkeItem, raw: str) -> tuple[str, str | None]:
    """(normalised value, error message or None)."""
    text = raw.strip()
    if not text:
        return "", None
    if item.kind == LkeItemKind.INDICATOR and item.type == "PERSEN":
        return "", _("Indikator persentase tidak diisi langsung; isi jumlah di bawahnya.")
    if item.kind == LkeItemKind.INPUT and _THOUSANDS.fullmatch(text):
        return text, _(
            "Tulis jumlah tanpa titik atau koma pemisah ribuan, mis. 1250 (diisi %(v)s)."
        ) % {"v": text}
    answers, problems = validate_answers(rulebook, {item.code: text})
    if problems:
        from assessments.engine_texts import answer_problem_text

        return text, answer_problem_text(problems[0], with_code=False)
    value = answers[item.code]
    if isinstance(value, int) and value > COUNT_MAX:
        return text, _("Jumlah terlalu besar (paling banyak %(max)s).") % {
            "max": f"{COUNT_MAX:,}".replace(",", ".")
        }
    return str(value), None


@transaction.atomic
def save_answers(*, assessment: Assessment, changes: Sequence[AnswerChange], by) -> list[Answer]:
    """Save the answers of one indicator card: all of them or none.

    Refused with `AssessmentLocked` when the unit may no longer change the assessment,
    `AnswerInvalid` (every bad value, by code) and `AnswerConflict` when a row was changed by
    someone else after `expected_revision` and the new value differs from the stored one."""
    _require(by, assessment, AssessmentAction.FILL)
    locked = _locked(assessment)
    if locked.status not in UNIT_EDITABLE:
        raise AssessmentLocked(
            _(
                "Penilaian ini berstatus %(status)s; jawaban tidak dapat diubah lagi. "
                "Muat ulang halaman untuk melihat isian terakhir."
            )
            % {"status": locked.get_status_display()}
        )
    codes = [c.code for c in changes]
    items = {
        i.code: i for i in LkeItem.objects.filter(version_id=locked.rulebook_id, code__in=codes)
    }
    rows = {
        r.item.code: r
        for r in Answer.objects.select_for_update(of=("self",))
        .filter(assessment=locked, item__code__in=codes)
        .select_related("item", "updated_by")
    }
    rulebook = engine_rulebook(locked.rulebook)
    errors: dict[str, str] = {}
    planned: list[tuple[LkeItem, Answer | None, str, str]] = []
    for change in changes:
        item = items.get(change.code)
        if item is None:
            errors[change.code] = _("Butir %(code)s tidak ada di LKE ini.") % {"code": change.code}
            continue
        row = rows.get(change.code)
        value = row.value if row else ""
        if change.value is not None:
            value, error = _check_value(rulebook, item, change.value)
            if error:
                errors[change.code] = error
                continue
        note = row.note if row else ""
        if change.note is not None:
            note = change.note.strip()
            if len(note) > NOTE_MAX:
                errors[change.code] = _(
                    "Penjelasan terlalu panjang (paling banyak %(n)s huruf)."
                ) % {"n": NOTE_MAX}
                continue
        planned.append((item, row, value, note))
    if errors:
        raise AnswerInvalid(errors)
    conflicts = []
    expected = {c.code: c.expected_revision for c in changes}
    for item, row, value, note in planned:
        current_revision = row.revision if row else 0
        unchanged = (row.value, row.note) == (value, note) if row else not (value or note)
        if current_revision != expected[item.code] and not unchanged and row is not None:
            conflicts.append(
                Conflict(
                    item.code, _display_name(row.updated_by), row.updated_at, row.value, row.note
                )
            )
    if conflicts:
        raise AnswerConflict(conflicts)
    saved = []
    for item, row, value, note in planned:
        if row is None:
            if not (value or note):
                continue
            row = Answer(
                assessment=locked, item=item, value=value, note=note, revision=1, updated_by=by
            )
            row._history_user = by
            row.save()
        elif (row.value, row.note) != (value, note):
            row.value, row.note = value, note
            row.revision += 1
            row.updated_by = by
            row._history_user = by
            row.save(update_fields=["value", "note", "revision", "updated_by", "updated_at"])
        saved.append(row)
    _forget_state(assessment)
    return saved


def save_answer(
    *,
    assessment: Assessment,
    item: LkeItem,
    value: str | None,
    note: str | None,
    expected_revision: int,
    by,
) -> Answer | None:
    """Save one answer row (see `save_answers`)."""
    rows = save_answers(
        assessment=assessment,
        changes=[AnswerChange(item.code, value, note, expected_revision)],
        by=by,
    )
    return rows[0] if rows else None


# --------------------------------------------------------------------------- submission


@transaction.atomic
def submit_assessment(*, assessment: Assessment, by, note: str = "") -> Assessment:
    """Send the unit's LKE to the TPI. Only from draft or returned, only when every indicator,
    count and Hasil figure is answered (`SubmissionIncomplete` lists what is missing)."""
    from assessments.results import lke_state

    _require(by, assessment, AssessmentAction.SUBMIT)
    locked = _locked(assessment)
    if locked.status not in UNIT_EDITABLE:
        last = locked.events.filter(to_status=locked.status).select_related("by").last()
        if locked.status == Status.SUBMITTED and last is not None:
            raise TransitionNotAllowed(
                _("LKE ini sudah dikirim ke TPI pada %(at)s oleh %(by)s.")
                % {"at": _when(last.at), "by": _display_name(last.by)}
            )
        raise TransitionNotAllowed(
            _("LKE berstatus %(status)s tidak dapat dikirim.")
            % {"status": locked.get_status_display()}
        )
    state = lke_state(locked, refresh=True)
    if state.result.incomplete:
        raise SubmissionIncomplete(state.result.incomplete)
    from evidence.services import items_missing_evidence

    if lacking := items_missing_evidence(locked):
        raise SubmissionLacksEvidence([item.code for item in lacking])
    before = locked.status
    locked.status = Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    verdict = state.verdict
    summary = _("Nilai total %(total)s; %(verdict)s.") % {
        "total": f"{state.result.total:.2f}".replace(".", ","),
        "verdict": _("memenuhi syarat") if verdict.meets else _("belum memenuhi syarat"),
    }
    _event(
        locked,
        action="submit",
        by=by,
        note=(note.strip() + " " + summary).strip(),
        from_status=before,
    )
    assessment.status, assessment.submitted_at = locked.status, locked.submitted_at
    _forget_state(assessment)
    return locked


# --------------------------------------------------------------------------- eligibility facts

UNIT_FACT_FIELDS = (
    "core_service",
    "significant_impact",
    "tlhp_percent",
    "lhkpn_percent",
    "lhkasn_percent",
    "pencanangan_date",
    "wbbm_start_date",
    "sakip_unit",
)
INSTANSI_FACT_FIELDS = ("opini_bpk", "sakip_instansi", "indeks_rb", "spip_maturity_level")


@transaction.atomic
def save_unit_facts(
    *, assessment: Assessment, facts: Mapping[str, object], has_wbk: bool, by
) -> UnitFactsRecord:
    """The unit team's eligibility facts for this assessment, and whether the unit already
    holds Menuju WBK (a fact of the unit, `UnitKerja.has_wbk`). `facts` is cleaned data."""
    _require(by, assessment, AssessmentAction.FILL)
    locked = _locked(assessment)
    if locked.status not in UNIT_EDITABLE:
        raise AssessmentLocked(_("Penilaian ini sudah dikirim; data kriteria tidak dapat diubah."))
    record, _created = UnitFactsRecord.objects.get_or_create(assessment=locked)
    changed = [f for f in UNIT_FACT_FIELDS if f in facts and getattr(record, f) != facts[f]]
    for name in changed:
        setattr(record, name, facts[name])
    record.updated_by = by
    record.save(update_fields=[*changed, "updated_by", "updated_at"])
    unit = locked.unit
    if unit.has_wbk != has_wbk:
        unit.has_wbk = has_wbk
        unit.save(update_fields=["has_wbk"])
        changed.append("has_wbk")
        assessment.unit.has_wbk = has_wbk
    if changed:
        names = [
            str(UnitKerja._meta.get_field(f).verbose_name)
            if f == "has_wbk"
            else str(UnitFactsRecord._meta.get_field(f).verbose_name)
            for f in changed
        ]
        _event(locked, action="unit_facts", by=by, note=", ".join(names))
    _forget_state(assessment)
    return record


@transaction.atomic
def save_instansi_facts(
    *, instansi: Instansi, year: int, facts: Mapping[str, object], by
) -> InstansiFacts:
    """The operator's instansi-level eligibility facts for one year."""
    scope = access.scope_of(by)
    if not scope.is_superuser and instansi.pk not in scope.instansi_ids_with(Role.OPERATOR):
        raise PermissionDenied
    record, _created = InstansiFacts.objects.select_for_update().get_or_create(
        instansi=instansi, year=year
    )
    changed = [f for f in INSTANSI_FACT_FIELDS if f in facts and getattr(record, f) != facts[f]]
    for name in changed:
        setattr(record, name, facts[name])
    record.updated_by = by
    record.save(update_fields=[*changed, "updated_by", "updated_at"])
    return record
