"""The audit trail of one assessment, merged from every record the portal keeps: status changes
and other audited events (AssessmentEvent, including evidence reviews and assignments made
through the services), and the simple_history records of the unit's answers, the TPI's answers,
the assignments and the TPI's verified facts, each change as old -> new. Read-only by nature:
nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.evaluation import answer_text
from assessments.models import (
    Answer,
    Assessment,
    AssessmentEvent,
    Assignment,
    EvaluatorAnswer,
    EvaluatorFacts,
    Status,
)
from assessments.results import id_short
from assessments.services import UNIT_FACT_FIELDS


def display_name(user) -> str:
    if user is None:
        return _("sistem")
    return user.get_full_name() or user.get_username()


EVENT_LABELS = {
    "create": gettext_lazy("Penilaian dibuka"),
    "submit": gettext_lazy("Dikirim ke TPI"),
    "copy_previous": gettext_lazy("Jawaban disalin dari penilaian sebelumnya"),
    "import_workbook": gettext_lazy("LKE diimpor dari berkas Excel"),
    "unit_facts": gettext_lazy("Data kriteria unit diperbarui"),
    "assign": gettext_lazy("Evaluator TPI ditugaskan"),
    "open_review": gettext_lazy("Penilaian TPI dimulai"),
    "evidence_review": gettext_lazy("Reviu bukti dukung"),
    "return": gettext_lazy("Dikembalikan ke unit"),
    "finalise": gettext_lazy("Difinalkan TPI"),
    "propose": gettext_lazy("Diusulkan ke TPN"),
    "decide": gettext_lazy("Keputusan TPN dicatat"),
}


def status_label(value: str) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return value


def facts_display(record, name: str) -> str:
    if record is None:
        return "—"
    value = getattr(record, name)
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, Decimal):
        return id_short(value) + "%"
    if hasattr(value, "strftime"):
        return value.strftime("%d-%m-%Y")
    return str(value)


@dataclass(slots=True)
class AuditEntry:
    at: Any
    by: str
    what: str
    subject: str = ""
    old: str = ""
    new: str = ""
    note: str = ""
    kind: str = ""  # event | review | unit | tpi | assign | facts (the trail's filter)


def _history_rows(model, assessment_id: int, related: tuple[str, ...] = ()):
    return (
        model.history.model.objects.filter(assessment_id=assessment_id)
        .select_related("history_user", *related)
        .order_by("history_date", "history_id")
    )


def _short(text: str, limit: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _answer_entries(model, assessment_id: int, what: str, kind: str) -> list[AuditEntry]:
    out = []
    previous: dict[int, Any] = {}
    for h in _history_rows(model, assessment_id, ("item",)):
        before = previous.get(h.id)
        previous[h.id] = h
        code = h.item.code if h.item_id else "?"
        old_value = before.value if before else ""
        if h.history_type == "-":
            out.append(
                AuditEntry(
                    h.history_date,
                    display_name(h.history_user),
                    what,
                    code,
                    answer_text(h.value),
                    _("(dihapus)"),
                    kind=kind,
                )
            )
            continue
        if before is None or before.value != h.value:
            out.append(
                AuditEntry(
                    h.history_date,
                    display_name(h.history_user),
                    what,
                    code,
                    answer_text(old_value) or "—",
                    answer_text(h.value) or "—",
                    kind=kind,
                )
            )
        old_note = before.note if before else ""
        if old_note != h.note:
            out.append(
                AuditEntry(
                    h.history_date,
                    display_name(h.history_user),
                    _("Catatan TPI") if kind == "tpi" else _("Penjelasan unit"),
                    code,
                    _short(old_note) or "—",
                    _short(h.note) or "—",
                    kind=kind,
                )
            )
    return out


def audit_entries(assessment: Assessment) -> list[AuditEntry]:
    """The whole trail of one assessment, newest first: status changes and other audited
    events, every change of the unit's and the TPI's answers and notes (old -> new), of the
    assignments and of the TPI's verified facts. A fixed number of queries."""
    pk = assessment.pk
    entries: list[AuditEntry] = []
    for e in AssessmentEvent.objects.filter(assessment_id=pk).select_related("by"):
        entries.append(
            AuditEntry(
                e.at,
                display_name(e.by),
                str(EVENT_LABELS.get(e.action) or e.action),
                "",
                status_label(e.from_status) if e.to_status and e.from_status else "",
                status_label(e.to_status) if e.to_status else "",
                e.note,
                kind="review" if e.action == "evidence_review" else "event",
            )
        )
    entries += _answer_entries(Answer, pk, _("Jawaban unit"), "unit")
    entries += _answer_entries(EvaluatorAnswer, pk, _("Jawaban TPI"), "tpi")
    for h in _history_rows(Assignment, pk, ("evaluator",)):
        if h.history_type == "~":
            continue
        entries.append(
            AuditEntry(
                h.history_date,
                display_name(h.history_user),
                _("Penugasan TPI") if h.history_type == "+" else _("Penugasan TPI dicabut"),
                display_name(h.evaluator),
                kind="assign",
            )
        )
    previous = None
    for h in _history_rows(EvaluatorFacts, pk):
        for name in UNIT_FACT_FIELDS:
            old = facts_display(previous, name) if previous else "—"
            new = facts_display(h, name)
            if previous is None and new == "—":
                continue
            if old != new:
                entries.append(
                    AuditEntry(
                        h.history_date,
                        display_name(h.history_user),
                        _("Data kriteria (verifikasi TPI)"),
                        str(EvaluatorFacts._meta.get_field(name).verbose_name),
                        old,
                        new,
                        kind="facts",
                    )
                )
        previous = h
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries
