"""The TPI's evaluation of a unit's ZI assessment, and what follows it.

Workflow (every step one named, atomic, audited function; refusals raise an
`assessments.services.AssessmentError` subclass whose `message` is Indonesian):

    submitted --open_review (TPI/operator)--> in_review
    in_review --return_assessment (TPI, note)--> returned --submit_assessment (unit)--> submitted
    in_review --finalise_assessment (TPI; every TPI answer given; stores the snapshot)--> final
    final --propose_assessment (pimpinan instansi; TPI verdict meets the target)--> proposed
    proposed --record_decision (operator; never dated after today; granted WBK sets
        UnitKerja.has_wbk)--> decided

Finalising is allowed while evidence reviews are open; `open_reviews` gives the warning the
pages show first. After finalisation `final_verdict(snapshot)` reads the verdict on the target
from the snapshot (never recomputed), with every criterion that failed.

While in_review the assigned TPI saves its own answers and catatan (`save_evaluator_answers`,
the same validation and revision-conflict rule as the unit's side; lowering an answer below
the unit's needs a catatan), reviews the attached evidence and verifies the eligibility facts
(`save_evaluation` does all three at once, all or nothing).

Read side: `tpi_state(assessment)` is the TPI counterpart of `results.lke_state` (None while
nothing is evaluated), `summaries(assessments)` scores many assessments in two queries for lists,
and `evaluator_notes_by_item(assessment)` gives the unit the catatan per indicator.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.engine import check_predikat, score_lke, validate_answers
from assessments.models import (
    Answer,
    Assessment,
    AssessmentDecision,
    AssessmentSnapshot,
    Assignment,
    EvaluatorAnswer,
    EvaluatorFacts,
    InstansiFacts,
    LkeItem,
    Predikat,
    Status,
    UnitFactsRecord,
)
from assessments.models.assessment import FINAL_STATES
from assessments.models.evaluation import VERIFICATION_ALPHABET, VERIFICATION_LENGTH
from assessments.reporting import answer_text, id_number, lke_result_dict
from assessments.results import (
    LkeState,
    eligibility_rows,
    engine_answers,
    lke_layout,
    lke_state,
    unit_facts_for,
)
from assessments.rulebooks import content_hash, engine_rulebook
from assessments.services import (
    NOTE_MAX,
    UNIT_FACT_FIELDS,
    AnswerChange,
    AnswerConflict,
    AnswerInvalid,
    AssessmentError,
    AssessmentLocked,
    Conflict,
    TransitionNotAllowed,
    _check_value,  # the unit's own value check: evaluator answers are validated the same way
    _display_name,
    _event,
    _locked,
)
from organizations import access
from organizations.access import AssessmentAction
from organizations.models import Membership, Role

__all__ = [
    "EVALUATION_EDITABLE",
    "FINAL_STATES",
    "AnswerChange",
    "AssignOutcome",
    "EvaluationIncomplete",
    "FailedCriterion",
    "FinalVerdict",
    "OpenReviews",
    "PlannedChange",
    "ReviewChange",
    "Summary",
    "answer_text",
    "assign_evaluators",
    "check_evaluator_answers",
    "decision_date_error",
    "evaluator_notes_by_item",
    "final_verdict",
    "finalise_assessment",
    "missing_indicators",
    "open_review",
    "open_reviews",
    "propose_assessment",
    "record_decision",
    "return_assessment",
    "save_evaluation",
    "save_evaluator_answers",
    "snapshot_content",
    "summaries",
    "tpi_state",
]

# The TPI changes its answers, reviews and facts only while the assessment is under review.
EVALUATION_EDITABLE = frozenset({Status.IN_REVIEW})
# After finalisation nothing of the evaluation changes any more.


class EvaluationIncomplete(AssessmentError):
    """`missing`: the indicators (card codes) the TPI has not answered yet, counted as the
    evaluation page counts them: a percentage indicator with missing counts is one indicator."""

    def __init__(self, missing: Sequence[str]) -> None:
        self.missing = list(missing)
        super().__init__(
            _(
                "Penilaian belum dapat difinalkan: %(n)s indikator belum diberi jawaban TPI "
                "(mis. %(codes)s). Lengkapi jawaban TPI, lalu finalkan lagi."
            )
            % {"n": len(self.missing), "codes": ", ".join(self.missing[:5])}
        )


def missing_indicators(layout, codes: Iterable[str]) -> list[str]:
    """The indicators (card codes, in the order given) behind unanswered answer codes: the
    count inputs of a percentage indicator belong to that indicator, so it counts once."""
    card_of = layout.card_of
    return list(dict.fromkeys(card_of.get(code, code) for code in codes))


# --------------------------------------------------------------------------- helpers


def _require_any(by, assessment: Assessment, *actions: AssessmentAction) -> None:
    if not any(access.can_on_assessment(by, assessment, a) for a in actions):
        raise PermissionDenied


def _wrong_state(locked: Assessment, what: str) -> TransitionNotAllowed:
    return TransitionNotAllowed(
        _("%(what)s tidak dapat dilakukan: penilaian ini berstatus “%(status)s”.")
        % {"what": what, "status": locked.get_status_display()}
    )


def _forget(assessment: Assessment) -> None:
    for key in ("_lke_state", "_tpi_state"):
        assessment.__dict__.pop(key, None)


def _sync(assessment: Assessment, locked: Assessment, *fields: str) -> None:
    """Keep the caller's object in step with the saved row."""
    for name in fields:
        setattr(assessment, name, getattr(locked, name))
    _forget(assessment)


# --------------------------------------------------------------------------- read side

_NOTHING = object()


def tpi_state(assessment: Assessment, *, refresh: bool = False) -> LkeState | None:
    """The TPI's answers scored like `results.lke_state` scores the unit's (same object, same
    engine), or None while the TPI has not recorded anything. Computed once per request (one
    query). Signature kept stable for the leadership dashboard."""
    cached = assessment.__dict__.get("_tpi_state", _NOTHING)
    if cached is not _NOTHING and not refresh:
        return cached  # type: ignore[return-value]
    rows = {
        row.item.code: row
        for row in EvaluatorAnswer.objects.filter(assessment=assessment).select_related(
            "item", "updated_by"
        )
    }
    state = None
    if rows:
        rulebook = engine_rulebook(assessment.rulebook)
        answers = engine_answers(rulebook, rows.values())  # type: ignore[arg-type]
        state = LkeState(
            assessment=assessment,
            rulebook=rulebook,
            layout=lke_layout(assessment.rulebook),
            rows=rows,  # type: ignore[arg-type]
            answers=answers,
            result=score_lke(rulebook, answers),
            facts=unit_facts_for(assessment),
        )
    assessment.__dict__["_tpi_state"] = state
    return state


@dataclass(frozen=True, slots=True)
class Summary:
    """One assessment's figures for a list: totals (None when nothing is answered), whether
    the target predikat is met (None when nothing is answered) and how much is answered."""

    self_total: Decimal | None
    self_meets: bool | None
    tpi_total: Decimal | None
    tpi_meets: bool | None
    tpi_complete: bool

    @property
    def evaluated(self) -> bool:
        return self.tpi_total is not None


def _score(
    assessment: Assessment, raw: Mapping[str, str]
) -> tuple[Decimal | None, bool | None, bool]:
    if not raw:
        return None, None, False
    rulebook = engine_rulebook(assessment.rulebook)
    answers, _problems = validate_answers(rulebook, raw)
    result = score_lke(rulebook, answers)
    verdicts = check_predikat(result, rulebook, unit_facts_for(assessment))
    return result.total, verdicts[assessment.target].meets, result.complete


def summaries(assessments: Iterable[Assessment], *, self_side: bool = True) -> dict[int, Summary]:
    """Self and TPI figures of many assessments in one query, whatever their number (the
    assessments need `unit` and `rulebook` loaded, as `visible_assessments` does)."""
    from django.db.models import Value

    by_id = {a.pk: a for a in assessments}
    raw: dict[str, dict[int, dict[str, str]]] = {
        "self": defaultdict(dict),
        "tpi": defaultdict(dict),
    }
    if by_id:

        def side(model, name: str):
            return (
                model.objects.filter(assessment_id__in=list(by_id))
                .exclude(value="")
                .annotate(side=Value(name))
                .values_list("assessment_id", "item__code", "value", "side")
            )

        rows = side(EvaluatorAnswer, "tpi")
        if self_side:
            rows = side(Answer, "self").union(rows, all=True)
        for assessment_id, code, value, name in rows:
            raw[name][assessment_id][code] = value
    out = {}
    for pk, assessment in by_id.items():
        self_total, self_meets, _complete = _score(assessment, raw["self"].get(pk, {}))
        tpi_total, tpi_meets, tpi_complete = _score(assessment, raw["tpi"].get(pk, {}))
        out[pk] = Summary(self_total, self_meets, tpi_total, tpi_meets, tpi_complete)
    return out


def evaluator_notes_by_item(assessment: Assessment) -> dict[str, str]:
    """The TPI's catatan per item code (one query); the unit sees them while its LKE is
    returned."""
    return dict(
        EvaluatorAnswer.objects.filter(assessment=assessment)
        .exclude(note="")
        .values_list("item__code", "note")
    )


def evaluator_users(assessment: Assessment):
    """The users who may be assigned to evaluate this assessment: TPI of its instansi."""
    User = get_user_model()
    return (
        User.objects.filter(
            is_active=True,
            memberships__role=Role.TPI,
            memberships__instansi_id=assessment.unit.instansi_id,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# --------------------------------------------------------------------------- assignment


@dataclass(frozen=True)
class AssignOutcome:
    assigned: list[tuple[Assessment, Any]]  # (assessment, evaluator) newly assigned
    already: list[tuple[Assessment, Any]]  # already assigned before
    refused: list[tuple[Assessment, str]]  # (assessment, reason)


@transaction.atomic
def assign_evaluators(
    *, assessments: Iterable[Assessment], evaluators: Sequence[Any], by
) -> AssignOutcome:
    """The operator assigns TPI members to many assessments at once. An evaluator must hold the
    TPI role in the assessment's instansi; a final assessment takes no new evaluator."""
    if not evaluators:
        raise AssessmentError(_("Pilih sedikitnya satu evaluator TPI."))
    tpi_instansi: dict[int, set[int]] = defaultdict(set)
    for user_id, instansi_id in Membership.objects.filter(
        user__in=evaluators, role=Role.TPI
    ).values_list("user_id", "instansi_id"):
        tpi_instansi[user_id].add(instansi_id)
    assigned, already, refused = [], [], []
    for assessment in assessments:
        if not access.can_on_assessment(by, assessment, AssessmentAction.MANAGE):
            raise PermissionDenied
        locked = _locked(assessment)
        if locked.status in FINAL_STATES:
            refused.append(
                (assessment, _("sudah berstatus “%(s)s”") % {"s": locked.get_status_display()})
            )
            continue
        names = []
        for evaluator in evaluators:
            if locked.unit.instansi_id not in tpi_instansi.get(evaluator.pk, set()):
                refused.append(
                    (
                        assessment,
                        _("%(name)s bukan anggota TPI instansi ini")
                        % {"name": _display_name(evaluator)},
                    )
                )
                continue
            if Assignment.objects.filter(assessment=locked, evaluator=evaluator).exists():
                already.append((assessment, evaluator))
                continue
            assignment = Assignment(assessment=locked, evaluator=evaluator, assigned_by=by)
            assignment._history_user = by
            assignment.save()
            assigned.append((assessment, evaluator))
            names.append(_display_name(evaluator))
        if names:
            _event(
                locked,
                action="assign",
                by=by,
                note=", ".join(names),
            )
    return AssignOutcome(assigned, already, refused)


# --------------------------------------------------------------------------- opening


@transaction.atomic
def open_review(*, assessment: Assessment, by) -> Assessment:
    """The TPI starts evaluating a submitted LKE (submitted -> in_review). On the first opening
    the TPI's eligibility facts start as a copy of the unit's."""
    _require_any(by, assessment, AssessmentAction.EVALUATE, AssessmentAction.MANAGE)
    locked = _locked(assessment)
    if locked.status != Status.SUBMITTED:
        raise _wrong_state(locked, _("Memulai penilaian"))
    if not EvaluatorFacts.objects.filter(assessment=locked).exists():
        unit_facts = UnitFactsRecord.objects.filter(assessment=locked).first()
        copied = {f: getattr(unit_facts, f) for f in UNIT_FACT_FIELDS} if unit_facts else {}
        EvaluatorFacts(assessment=locked, updated_by=by, **copied).save()
    before = locked.status
    locked.status = Status.IN_REVIEW
    locked.save(update_fields=["status", "updated_at"])
    _event(locked, action="open_review", by=by, from_status=before)
    _sync(assessment, locked, "status")
    return locked


# --------------------------------------------------------------------------- answers


@dataclass(frozen=True, slots=True)
class PlannedChange:
    """One evaluator row to write: `row` is the stored one (None: a new row)."""

    item: LkeItem
    row: EvaluatorAnswer | None
    value: str
    note: str

    @property
    def old_value(self) -> str:
        return self.row.value if self.row else ""

    @property
    def old_note(self) -> str:
        return self.row.note if self.row else ""

    @property
    def changes_something(self) -> bool:
        return (self.old_value, self.old_note) != (self.value, self.note)


# A value the engine quotes with repr(): 'Mungkin' (or "it's" when it holds an apostrophe).


def _plan(
    locked: Assessment, changes: Sequence[AnswerChange]
) -> tuple[list[PlannedChange], dict[str, str], list[Conflict]]:
    """Validate `changes` against the stored answers: (planned rows, errors by code, conflicts).
    Nothing is written."""
    codes = [c.code for c in changes]
    items = {
        i.code: i for i in LkeItem.objects.filter(version_id=locked.rulebook_id, code__in=codes)
    }
    # The assessment row is locked: the rows cannot change under us.
    rows = {
        r.item.code: r
        for r in EvaluatorAnswer.objects.filter(assessment=locked).select_related(
            "item", "updated_by"
        )
    }
    rulebook = engine_rulebook(locked.rulebook)
    layout = lke_layout(locked.rulebook)
    errors: dict[str, str] = {}
    planned: list[PlannedChange] = []
    seen: set[str] = set()
    for change in changes:
        item = items.get(change.code)
        if item is None:
            errors[change.code] = _("Butir %(code)s tidak ada di LKE ini.") % {"code": change.code}
            continue
        if change.code in seen:
            errors[change.code] = _("Butir %(code)s tercantum lebih dari sekali.") % {
                "code": change.code
            }
            continue
        seen.add(change.code)
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
            if note and layout.card_of.get(change.code, change.code) != change.code:
                errors[change.code] = _(
                    "Catatan untuk isian jumlah ditulis pada indikatornya (%(card)s)."
                ) % {"card": layout.card_of[change.code]}
                continue
            if len(note) > NOTE_MAX:
                errors[change.code] = _("Catatan terlalu panjang (paling banyak %(n)s huruf).") % {
                    "n": NOTE_MAX
                }
                continue
        planned.append(PlannedChange(item, row, value, note))
    for code, message in _lowering_without_note(locked, rows, planned).items():
        errors.setdefault(code, message)
    conflicts = []
    expected = {c.code: c.expected_revision for c in changes}
    for p in planned:
        row = p.row
        if row is not None and row.revision != expected[p.item.code] and p.changes_something:
            conflicts.append(
                Conflict(
                    p.item.code, _display_name(row.updated_by), row.updated_at, row.value, row.note
                )
            )
    return planned, errors, conflicts


def _lowering_without_note(
    locked: Assessment, rows: Mapping[str, EvaluatorAnswer], planned: Sequence[PlannedChange]
) -> dict[str, str]:
    """Cards whose TPI value would end below the unit's without a catatan. Compared on the
    engine's value of the card (option value, percentage from the counts, index), so a count
    change that lowers a percentage counts too."""
    layout = lke_layout(locked.rulebook)
    rulebook = engine_rulebook(locked.rulebook)
    after = {code: row.value for code, row in rows.items() if row.value}
    notes = {code: row.note for code, row in rows.items()}
    for p in planned:
        after[p.item.code] = p.value
        notes[p.item.code] = p.note
    answers, _problems = validate_answers(rulebook, {k: v for k, v in after.items() if v})
    tpi_values = score_lke(rulebook, answers).values
    unit_values = lke_state(locked).result.values
    errors = {}
    for card_code in dict.fromkeys(layout.card_of.get(p.item.code, p.item.code) for p in planned):
        tpi, unit = tpi_values.get(card_code), unit_values.get(card_code)
        if tpi is None or unit is None or tpi >= unit or notes.get(card_code, "").strip():
            continue
        errors[card_code] = _(
            "Jawaban TPI lebih rendah daripada jawaban unit (%(unit)s → %(tpi)s): tuliskan "
            "catatan alasannya agar unit dapat memperbaikinya."
        ) % {"unit": id_number(unit), "tpi": id_number(tpi)}
    return errors


def _write(planned: Sequence[PlannedChange], locked: Assessment, by) -> list[EvaluatorAnswer]:
    saved = []
    for p in planned:
        row = p.row
        if row is None:
            if not (p.value or p.note):
                continue
            row = EvaluatorAnswer(
                assessment=locked,
                item=p.item,
                value=p.value,
                note=p.note,
                revision=1,
                updated_by=by,
            )
            row._history_user = by
            row.save()
        elif p.changes_something:
            row.value, row.note = p.value, p.note
            row.revision += 1
            row.updated_by = by
            row._history_user = by
            row.save(update_fields=["value", "note", "revision", "updated_by", "updated_at"])
        else:
            continue  # unchanged: not written, not counted
        saved.append(row)
    return saved


def _editable(by, assessment: Assessment) -> Assessment:
    """The locked row, when `by` may change the TPI's side of it now."""
    _require_any(by, assessment, AssessmentAction.EVALUATE)
    locked = _locked(assessment)
    if locked.status not in EVALUATION_EDITABLE:
        if locked.status == Status.SUBMITTED:
            raise AssessmentLocked(
                _("Klik “Mulai penilaian” dulu; jawaban TPI diisi saat penilaian berlangsung.")
            )
        raise AssessmentLocked(
            _(
                "Penilaian ini berstatus “%(status)s”; penilaian TPI tidak dapat diubah. "
                "Muat ulang halaman untuk melihat isian terakhir."
            )
            % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def save_evaluator_answers(
    *, assessment: Assessment, changes: Sequence[AnswerChange], by
) -> list[EvaluatorAnswer]:
    """Save the TPI's answers and catatan: all of them or none. `AnswerInvalid` lists every bad
    value (the same checks as the unit's answers) and every card lowered below the unit's
    answer without a catatan; `AnswerConflict` when another evaluator changed a row after
    `expected_revision` and this change differs from what is stored."""
    locked = _editable(by, assessment)
    planned, errors, conflicts = _plan(locked, changes)
    if errors:
        raise AnswerInvalid(errors)
    if conflicts:
        raise AnswerConflict(conflicts)
    saved = _write(planned, locked, by)
    _forget(assessment)
    return saved


def check_evaluator_answers(
    *, assessment: Assessment, changes: Sequence[AnswerChange], by
) -> tuple[list[PlannedChange], dict[str, str]]:
    """What `save_evaluator_answers` would do (the import's dry run): the rows that would
    change, and every error by code (conflicts included). Nothing is written."""
    with transaction.atomic():
        locked = _editable(by, assessment)
        planned, errors, conflicts = _plan(locked, changes)
    for c in conflicts:
        errors.setdefault(
            c.code,
            _("Sudah diubah oleh %(by)s setelah berkas ini diekspor.") % {"by": c.by},
        )
    return [p for p in planned if p.changes_something], errors


# --------------------------------------------------------------------------- one save


@dataclass(frozen=True, slots=True)
class ReviewChange:
    """The TPI's review of one attached evidence item."""

    attachment_id: int
    status: str
    note: str


def review_key(attachment_id: int) -> str:
    return f"lampiran-{attachment_id}"


def _plan_reviews(locked: Assessment, reviews: Sequence[ReviewChange]):
    from evidence.models import Attachment, ReviewStatus

    attachments = {
        a.pk: a
        for a in Attachment.objects.filter(
            assessment=locked, pk__in=[r.attachment_id for r in reviews]
        ).select_related("evidence", "item")
    }
    errors: dict[str, str] = {}
    planned = []
    for review in reviews:
        attachment = attachments.get(review.attachment_id)
        key = review_key(review.attachment_id)
        note = (review.note or "").strip()
        if attachment is None:
            errors[key] = _("Bukti dukung ini tidak dilampirkan pada penilaian ini.")
        elif review.status not in ReviewStatus.values:
            errors[key] = _("Status reviu tidak dikenal.")
        elif review.status == ReviewStatus.PERLU_PERBAIKAN and not note:
            errors[key] = _("Tuliskan catatan perbaikan untuk unit.")
        elif len(note) > NOTE_MAX:
            errors[key] = _("Catatan terlalu panjang (paling banyak %(n)s huruf).") % {
                "n": NOTE_MAX
            }
        elif (attachment.status, attachment.review_note) != (review.status, note):
            planned.append((attachment, review.status, note))
    return planned, errors


def _write_reviews(locked: Assessment, planned, by) -> None:
    from evidence.models import ReviewStatus
    from evidence.services import set_review_status

    for attachment, status, note in planned:
        before = ReviewStatus(attachment.status).label
        set_review_status(attachment=attachment, status=status, note=note, by=by)
        text = _("%(code)s · %(title)s: %(old)s → %(new)s") % {
            "code": attachment.item.code,
            "title": attachment.evidence.title,
            "old": before,
            "new": ReviewStatus(status).label,
        }
        _event(locked, action="evidence_review", by=by, note=f"{text}. {note}".strip())


def _write_facts(locked: Assessment, facts: Mapping[str, object], by) -> list[str]:
    record, _created = EvaluatorFacts.objects.get_or_create(
        assessment=locked, defaults={"updated_by": by}
    )
    changed = [f for f in UNIT_FACT_FIELDS if f in facts and getattr(record, f) != facts[f]]
    if changed:
        for name in changed:
            setattr(record, name, facts[name])
        record.updated_by = by
        record._history_user = by
        record.save(update_fields=[*changed, "updated_by", "updated_at"])
    return changed


@dataclass(frozen=True)
class SaveOutcome:
    answers: int
    reviews: int
    facts: int


@transaction.atomic
def save_evaluation(
    *,
    assessment: Assessment,
    changes: Sequence[AnswerChange] = (),
    reviews: Sequence[ReviewChange] = (),
    facts: Mapping[str, object] | None = None,
    by,
) -> SaveOutcome:
    """One save of the evaluation form: TPI answers and catatan, evidence reviews and the
    verified eligibility facts (cleaned data), all or nothing. Errors of answers and reviews
    come together in one `AnswerInvalid` (reviews keyed `lampiran-<id>`)."""
    locked = _editable(by, assessment)
    planned, errors, conflicts = _plan(locked, changes)
    planned_reviews, review_errors = _plan_reviews(locked, reviews)
    errors.update(review_errors)
    if errors:
        raise AnswerInvalid(errors)
    if conflicts:
        raise AnswerConflict(conflicts)
    saved = _write(planned, locked, by)
    _write_reviews(locked, planned_reviews, by)
    changed_facts = _write_facts(locked, facts, by) if facts else []
    _forget(assessment)
    return SaveOutcome(
        answers=len(saved),
        reviews=len(planned_reviews),
        facts=len(changed_facts),
    )


# --------------------------------------------------------------------------- returning


@transaction.atomic
def return_assessment(*, assessment: Assessment, note: str, by) -> Assessment:
    """Send the LKE back to the unit for revision (in_review -> returned) with a general note;
    the unit also sees every catatan per indicator and every evidence review."""
    _require_any(by, assessment, AssessmentAction.EVALUATE)
    note = (note or "").strip()
    locked = _locked(assessment)
    if locked.status != Status.IN_REVIEW:
        raise _wrong_state(locked, _("Mengembalikan LKE ke unit"))
    if not note:
        raise AssessmentError(
            _("Tuliskan catatan umum untuk unit: apa yang harus diperbaiki sebelum dikirim lagi.")
        )
    if len(note) > NOTE_MAX:
        raise AssessmentError(
            _("Catatan terlalu panjang (paling banyak %(n)s huruf).") % {"n": NOTE_MAX}
        )
    before = locked.status
    locked.status = Status.RETURNED
    locked.return_note = note
    locked.save(update_fields=["status", "return_note", "updated_at"])
    _event(locked, action="return", by=by, note=note, from_status=before)
    _sync(assessment, locked, "status", "return_note")
    return locked


# --------------------------------------------------------------------------- finalisation


def _answers_dict(state: LkeState | None, codes: Sequence[str]) -> dict[str, dict[str, str]]:
    if state is None:
        return {}
    rows = state.rows
    return {
        code: {"value": rows[code].value, "note": rows[code].note} for code in codes if code in rows
    }


def _result_dict(state: LkeState) -> dict:
    return lke_result_dict(state.rulebook, state.result, state.verdicts, state.plan)


def _evidence_list(assessment: Assessment) -> list[dict]:
    from evidence.models import Attachment

    out = []
    for a in (
        Attachment.objects.filter(assessment=assessment)
        .select_related("evidence", "revision", "item")
        .order_by("item__order", "attached_at", "pk")
    ):
        out.append(
            {
                "item": a.item.code,
                "title": a.evidence.title,
                "document_date": a.evidence.document_date.isoformat(),
                "revision": a.revision.number if a.revision else None,
                "sha256": a.revision.sha256 if a.revision else None,
                "status": a.status,
                "review_note": a.review_note,
            }
        )
    return out


def tpi_eligibility(assessment: Assessment):
    """The eligibility checklist on the TPI's verified facts (the unit's where the TPI has none)."""
    instansi_facts = InstansiFacts.objects.filter(
        instansi_id=assessment.unit.instansi_id, year=assessment.year
    ).first()
    facts = (
        EvaluatorFacts.objects.filter(assessment=assessment).first()
        or UnitFactsRecord.objects.filter(assessment=assessment).first()
    )
    return eligibility_rows(assessment, instansi_facts, facts)


def snapshot_content(
    assessment: Assessment, *, by, at: datetime, general_note: str = ""
) -> dict[str, Any]:
    """The content of the snapshot stored at finalisation. The keys are a contract with the PDF
    report: change them only together with it."""
    self_state = lke_state(assessment, refresh=True)
    tpi = tpi_state(assessment, refresh=True)
    rulebook = self_state.rulebook
    codes = rulebook.answer_codes()
    unit = assessment.unit
    return {
        "rulebook": {"code": rulebook.code, "version": rulebook.version},
        "instansi": unit.instansi.name,
        "unit": {"name": unit.name, "code": unit.code},
        "year": assessment.year,
        "target": assessment.target,
        "self": {"answers": _answers_dict(self_state, codes), "result": _result_dict(self_state)},
        "tpi": {
            "answers": _answers_dict(tpi, codes),
            "result": _result_dict(tpi) if tpi is not None else None,
        },
        "evidence": _evidence_list(assessment),
        "eligibility": [dataclasses.asdict(row) for row in tpi_eligibility(assessment)],
        "notes": {"return_note": assessment.return_note, "general": general_note},
        "finalised_by": _display_name(by),
        "finalised_at": at.isoformat(),
    }


def _new_code() -> str:
    return "".join(secrets.choice(VERIFICATION_ALPHABET) for _i in range(VERIFICATION_LENGTH))


def _store_snapshot(locked: Assessment, content: dict, by, at: datetime) -> AssessmentSnapshot:
    digest = content_hash(content)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return AssessmentSnapshot.objects.create(
                    assessment=locked,
                    rulebook_id=locked.rulebook_id,
                    content=content,
                    content_sha256=digest,
                    verification_code=_new_code(),
                    finalised_by=by,
                    finalised_at=at,
                )
        except IntegrityError:
            if AssessmentSnapshot.objects.filter(assessment=locked).exists():
                raise
    raise AssessmentError(_("Kode verifikasi tidak dapat dibuat; coba lagi."))


@dataclass(frozen=True, slots=True)
class OpenReviews:
    """Attachments whose review is not settled. Finalising is still allowed (the TPI decides),
    but the TPI is warned first: their status is locked into the snapshot as it is."""

    not_reviewed: int = 0
    needs_fixing: int = 0

    @property
    def total(self) -> int:
        return self.not_reviewed + self.needs_fixing

    def warning(self) -> str:
        """The warning shown before finalising ("" when every review is settled)."""
        if not self.total:
            return ""
        return _(
            "Perhatian: %(n)s lampiran bukti dukung belum selesai direviu (%(not_reviewed)s "
            "belum direviu, %(needs_fixing)s perlu perbaikan). Penilaian tetap dapat "
            "difinalkan, tetapi status reviu itu ikut terkunci dalam rekaman final."
        ) % {
            "n": self.total,
            "not_reviewed": self.not_reviewed,
            "needs_fixing": self.needs_fixing,
        }


def open_reviews(assessment: Assessment, statuses: Iterable[str] | None = None) -> OpenReviews:
    """Count the attachments not reviewed yet and those needing fixing, from `statuses` when the
    caller has read them already, else in one query."""
    from evidence.models import Attachment, ReviewStatus

    if statuses is None:
        statuses = Attachment.objects.filter(assessment=assessment).values_list("status", flat=True)
    counts: dict[str, int] = defaultdict(int)
    for status in statuses:
        counts[status] += 1
    return OpenReviews(counts[ReviewStatus.BELUM_DIREVIU], counts[ReviewStatus.PERLU_PERBAIKAN])


@transaction.atomic
def finalise_assessment(*, assessment: Assessment, by, note: str = "") -> AssessmentSnapshot:
    """Lock the evaluation (in_review -> final) and store the immutable snapshot. Refused while
    any TPI answer is missing (`EvaluationIncomplete`)."""
    _require_any(by, assessment, AssessmentAction.EVALUATE)
    locked = _locked(assessment)
    if locked.status != Status.IN_REVIEW:
        raise _wrong_state(locked, _("Memfinalkan penilaian"))
    tpi = tpi_state(locked, refresh=True)
    layout = lke_layout(locked.rulebook)
    if tpi is None:
        raise EvaluationIncomplete(missing_indicators(layout, layout.answer_codes))
    if tpi.result.incomplete:
        raise EvaluationIncomplete(missing_indicators(layout, tpi.result.incomplete))
    note = (note or "").strip()[:NOTE_MAX]
    at = timezone.now()
    content = snapshot_content(locked, by=by, at=at, general_note=note)
    snapshot = _store_snapshot(locked, content, by, at)
    before = locked.status
    locked.status = Status.FINAL
    locked.save(update_fields=["status", "updated_at"])
    verdict = tpi.verdict
    summary = _("Nilai TPI %(total)s; %(verdict)s. Kode verifikasi %(code)s.") % {
        "total": id_number(tpi.result.total),
        "verdict": _("memenuhi syarat %(p)s") % {"p": Predikat(locked.target).label}
        if verdict.meets
        else _("belum memenuhi syarat %(p)s") % {"p": Predikat(locked.target).label},
        "code": snapshot.verification_code,
    }
    _event(locked, action="finalise", by=by, note=f"{note} {summary}".strip(), from_status=before)
    _sync(assessment, locked, "status")
    return snapshot


# --------------------------------------------------------------------------- after final


def tpi_meets_target(assessment: Assessment) -> bool:
    """Whether the finalised TPI result meets the target predikat (read from the snapshot)."""
    snapshot = AssessmentSnapshot.objects.filter(assessment=assessment).first()
    if snapshot is None:
        return False
    result = snapshot.content.get("tpi", {}).get("result") or {}
    verdict = result.get("verdicts", {}).get(assessment.target, {})
    return bool(verdict.get("meets"))


@dataclass(frozen=True, slots=True)
class FailedCriterion:
    label: str
    value: str  # Indonesian display (56,78; "belum lengkap"; "belum")
    required: str


@dataclass(frozen=True, slots=True)
class FinalVerdict:
    """The finalised TPI verdict on the target predikat, as stored in the snapshot: the total
    (Indonesian display), whether it meets the target and every criterion that failed."""

    total: str
    meets: bool
    failed: list[FailedCriterion]


def _snapshot_figure(value: object) -> str:
    if value is None or value == "":
        return "—"
    try:
        return id_number(Decimal(str(value)))
    except ArithmeticError:
        return str(value)


def final_verdict(snapshot: AssessmentSnapshot) -> FinalVerdict:
    """What the snapshot says about the target predikat: never recomputed, so a proposal is
    judged on what was final."""
    from assessments.results import criterion_label

    target = snapshot.content.get("target") or snapshot.assessment.target
    result = (snapshot.content.get("tpi") or {}).get("result") or {}
    verdict = (result.get("verdicts") or {}).get(target) or {}
    rulebook = engine_rulebook(snapshot.rulebook)
    failed = []
    for c in verdict.get("criteria", []):
        if c.get("passed"):
            continue
        name = c.get("criterion", "")
        if name == "complete":
            value, required = _("belum lengkap"), _("lengkap")
        elif isinstance(c.get("value"), bool):  # prior_<predikat>: a yes/no fact
            value, required = _("belum"), _("ya")
        else:
            value, required = _snapshot_figure(c.get("value")), _snapshot_figure(c.get("required"))
        failed.append(FailedCriterion(criterion_label(rulebook, name), value, required))
    return FinalVerdict(
        total=_snapshot_figure(result.get("total")),
        meets=bool(verdict.get("meets")),
        failed=failed,
    )


@transaction.atomic
def propose_assessment(*, assessment: Assessment, by, note: str = "") -> Assessment:
    """The pimpinan instansi proposes a finalised unit to the national team (final ->
    proposed), only when the TPI's verdict meets the target predikat."""
    _require_any(by, assessment, AssessmentAction.PROPOSE)
    locked = _locked(assessment)
    if locked.status != Status.FINAL:
        raise _wrong_state(locked, _("Mengusulkan ke TPN"))
    if not tpi_meets_target(locked):
        raise TransitionNotAllowed(
            _(
                "Unit ini tidak dapat diusulkan: hasil penilaian TPI belum memenuhi syarat "
                "predikat %(p)s."
            )
            % {"p": Predikat(locked.target).label}
        )
    before = locked.status
    locked.status = Status.PROPOSED
    locked.save(update_fields=["status", "updated_at"])
    _event(
        locked, action="propose", by=by, note=(note or "").strip()[:NOTE_MAX], from_status=before
    )
    _sync(assessment, locked, "status")
    return locked


def decision_date_error(decided_on: date | None) -> str:
    """Why a TPN decision date cannot be recorded ("" when it can): a decision is recorded
    after it is issued, so its date is never after today."""
    today = timezone.localdate()
    if decided_on is not None and decided_on > today:
        return _(
            "Tanggal keputusan tidak boleh sesudah hari ini (%(today)s). Isi tanggal surat "
            "keputusan TPN yang sudah terbit."
        ) % {"today": today.strftime("%d-%m-%Y")}
    return ""


@transaction.atomic
def record_decision(
    *,
    assessment: Assessment,
    granted: bool,
    by,
    decree_number: str = "",
    decided_on: date | None = None,
    note: str = "",
) -> AssessmentDecision:
    """The operator records the national team's decision (proposed -> decided). A granted
    Menuju WBK (or WBBM, which presupposes it) marks the unit as holding WBK for later years.
    A decision date after today is refused."""
    _require_any(by, assessment, AssessmentAction.MANAGE)
    locked = _locked(assessment)
    if locked.status != Status.PROPOSED:
        raise _wrong_state(locked, _("Mencatat keputusan TPN"))
    if error := decision_date_error(decided_on):
        raise AssessmentError(error)
    decision = AssessmentDecision.objects.create(
        assessment=locked,
        predikat=locked.target,
        granted=granted,
        decree_number=(decree_number or "").strip()[:200],
        decided_on=decided_on,
        note=(note or "").strip()[:NOTE_MAX],
        recorded_by=by,
    )
    unit = locked.unit
    if granted and not unit.has_wbk:
        unit.has_wbk = True
        unit.save(update_fields=["has_wbk"])
        assessment.unit.has_wbk = True
    before = locked.status
    locked.status = Status.DECIDED
    locked.save(update_fields=["status", "updated_at"])
    outcome = (
        _("Predikat %(p)s diberikan") if granted else _("Predikat %(p)s tidak diberikan")
    ) % {"p": Predikat(locked.target).label}
    # "Predikat Menuju WBK diberikan · KEP-123/TPN/2026 · <catatan>"
    text = " · ".join(t for t in (outcome, decision.decree_number, decision.note) if t)
    _event(locked, action="decide", by=by, note=text, from_status=before)
    _sync(assessment, locked, "status")
    return decision
