"""The dry run of an import (every change and every error) and the import itself."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from assessments.engine import LkeRulebook, score_lke, validate_answers
from assessments.engine_texts import warning_text
from assessments.models import Answer, Assessment, AssessmentEvent
from assessments.reporting import id_number
from assessments.rulebooks import engine_rulebook
from assessments.services import AnswerChange, AssessmentError, save_answers
from assessments.workbook.layout import item_texts
from assessments.workbook.reading import WorkbookError, WorkbookRead, clean_note


class WorkbookImportRefused(AssessmentError):
    """The preview cannot be applied (errors left, or another assessment's preview)."""


@dataclass(frozen=True, slots=True)
class ImportChange:
    """One changed field of one item. field: "jawaban" | "catatan"; "" is blank."""

    code: str
    text: str
    field: str
    old: str
    new: str
    cell: str = ""

    @property
    def old_shown(self) -> str:
        return shown_value(self.field, self.old)

    @property
    def new_shown(self) -> str:
        return shown_value(self.field, self.new)


_DECIMAL = re.compile(r"\d+\.\d+")


def shown_value(field_: str, value: str) -> str:
    """An answer as the user reads it: index and NILAI values with a decimal comma (3,65);
    options, counts and notes as they are."""
    if field_ == "jawaban" and _DECIMAL.fullmatch(value):
        return id_number(Decimal(value))
    return value


@dataclass
class ImportPreview:
    """The dry run: every change and every error, before anything is written.
    `revisions`: code -> the stored revision the changes were computed against (apply refuses
    a row changed since, through `save_answers`' conflict check). `origin`: the assessment the
    file was exported from, as its sheet "Info" says (see `WorkbookRead.origin`);
    `origin_differs`: "" (this assessment, or not known), "penilaian" (another assessment of
    the same unit, e.g. last year's) or "unit" (another unit: apply needs a confirmation)."""

    assessment_id: int
    rulebook_version_id: int
    changes: list[ImportChange]
    unchanged: int
    errors: list[WorkbookError]
    warnings: list[WorkbookError] = field(default_factory=list)
    revisions: dict[str, int] = field(default_factory=dict)
    source: str = ""
    filename: str = ""
    origin: dict[str, str] = field(default_factory=dict)
    origin_differs: str = ""

    @property
    def can_apply(self) -> bool:
        return not self.errors and bool(self.changes)

    @property
    def changed_items(self) -> int:
        return len({c.code for c in self.changes})

    @property
    def cleared_answers(self) -> int:
        """Saved answers the import would empty (a blank cell in our export)."""
        return sum(1 for c in self.changes if c.field == "jawaban" and c.old and not c.new)

    @property
    def cleared_notes(self) -> int:
        """Saved notes (penjelasan) the import would empty."""
        return sum(1 for c in self.changes if c.field == "catatan" and c.old and not c.new)

    @property
    def origin_unit(self) -> str:
        """The file's unit as sheet "Info" names it: "BAUK (U2)"."""
        name, code = self.origin.get("unit", ""), self.origin.get("unit_code", "")
        return f"{name} ({code})" if name and code else name or code

    @property
    def needs_confirmation(self) -> bool:
        """The file comes from another unit: applying it must be confirmed knowingly."""
        return self.origin_differs == "unit"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, for keeping the preview in the session between preview and apply."""
        return {
            "assessment_id": self.assessment_id,
            "rulebook_version_id": self.rulebook_version_id,
            "changes": [[c.code, c.text, c.field, c.old, c.new, c.cell] for c in self.changes],
            "unchanged": self.unchanged,
            "errors": [[e.cell, e.message] for e in self.errors],
            "warnings": [[e.cell, e.message] for e in self.warnings],
            "revisions": self.revisions,
            "source": self.source,
            "filename": self.filename,
            "origin": self.origin,
            "origin_differs": self.origin_differs,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportPreview:
        return cls(
            assessment_id=data["assessment_id"],
            rulebook_version_id=data["rulebook_version_id"],
            changes=[ImportChange(*c) for c in data["changes"]],
            unchanged=data["unchanged"],
            errors=[WorkbookError(*e) for e in data["errors"]],
            warnings=[WorkbookError(*e) for e in data.get("warnings", [])],
            revisions={k: int(v) for k, v in data.get("revisions", {}).items()},
            source=data.get("source", ""),
            filename=data.get("filename", ""),
            origin={str(k): str(v) for k, v in data.get("origin", {}).items()},
            origin_differs=data.get("origin_differs", ""),
        )


def preview_import(assessment: Assessment, read: WorkbookRead) -> ImportPreview:
    """Compare what the workbook says with the stored answers (one query)."""
    rb = engine_rulebook(assessment.rulebook)
    texts = item_texts(rb)
    errors = list(read.errors)
    if read.rulebook_version_id not in (None, assessment.rulebook_id):
        errors.append(
            WorkbookError(
                "", "Berkas dibaca untuk buku aturan lain; baca ulang untuk penilaian ini."
            )
        )
    if not assessment.is_editable_by_unit:
        errors.append(
            WorkbookError(
                "",
                f"Penilaian berstatus {assessment.get_status_display()}; impor hanya untuk LKE "
                "berstatus draf atau dikembalikan untuk perbaikan.",
            )
        )
    stored = {
        code: (value, note, revision)
        for code, value, note, revision in Answer.objects.filter(assessment=assessment).values_list(
            "item__code", "value", "note", "revision"
        )
    }
    changes: list[ImportChange] = []
    revisions: dict[str, int] = {}
    unchanged = 0
    for code in rb.plan.specs:
        if code not in read.answers and code not in read.notes:
            continue
        old_value, old_note, revision = stored.get(code, ("", "", 0))
        old_value = _normalised(rb, code, old_value)
        item_changes = []
        if code in read.answers and read.answers[code] != old_value:
            item_changes.append(
                ImportChange(
                    code,
                    texts.get(code, ""),
                    "jawaban",
                    old_value,
                    read.answers[code],
                    read.cells.get(code, ""),
                )
            )
        new_note = read.notes.get(code)
        if new_note is not None and new_note != clean_note(old_note):
            cell = read.cells.get(code, "K").replace("K", "O", 1)
            item_changes.append(
                ImportChange(code, texts.get(code, ""), "catatan", old_note, new_note, cell)
            )
        if item_changes:
            changes.extend(item_changes)
            revisions[code] = revision
        else:
            unchanged += 1
    warnings = list(read.warnings)
    warnings += _score_warnings(rb, read, stored, changes)
    warnings += _hidden_row_warnings(read, changes)
    return ImportPreview(
        assessment_id=assessment.pk,
        rulebook_version_id=assessment.rulebook_id,
        changes=changes,
        unchanged=unchanged,
        errors=errors,
        warnings=warnings,
        revisions=revisions,
        source=read.source,
        filename=read.filename,
        origin=dict(read.origin),
        origin_differs=_origin_differs(assessment, read.origin),
    )


def _origin_differs(assessment: Assessment, origin: dict[str, str]) -> str:
    """Compare what sheet "Info" says with the target assessment (see ImportPreview)."""
    if not origin:
        return ""
    unit = assessment.unit
    code, name = origin.get("unit_code", ""), origin.get("unit", "")
    if (code and code.casefold() != unit.code.casefold()) or (
        not code and name and name.casefold() != unit.name.casefold()
    ):
        return "unit"
    other_assessment = origin.get("assessment_id", str(assessment.pk)) != str(assessment.pk)
    other_year = origin.get("year", str(assessment.year)) != str(assessment.year)
    return "penilaian" if other_assessment or other_year else ""


def _score_warnings(
    rb: LkeRulebook,
    read: WorkbookRead,
    stored: dict[str, tuple[str, str, int]],
    changes: list[ImportChange],
) -> list[WorkbookError]:
    """The engine's warnings (numerator above the denominator: capped at 100%; zero
    denominator: the rulebook's value; domain decision 4) for the percentage indicators whose
    counts the file changes, scored on the answers as they would be after the import."""
    specs = rb.plan.specs
    touched = {
        specs[c.code].owner
        for c in changes
        if c.field == "jawaban" and specs[c.code].kind == "count"
    }
    if not touched:
        return []
    after = {code: value for code, (value, _note, _revision) in stored.items()}
    after.update(read.answers)  # "" clears
    answers, _problems = validate_answers(rb, {c: v for c, v in after.items() if v})
    try:
        result = score_lke(rb, answers)
    except ValueError:  # an answer the engine refuses is an error of the file already
        return []
    return [
        WorkbookError(read.cells.get(w.code, ""), warning_text(w))
        for w in result.warnings
        if w.code in touched
    ]


def _hidden_row_warnings(read: WorkbookRead, changes: list[ImportChange]) -> list[WorkbookError]:
    """Hidden rows are easily missed when a workbook is checked before it is uploaded."""
    hidden = set(read.hidden_rows)
    if not hidden:
        return []
    by_row: dict[int, list[str]] = {}
    for change in changes:
        row = change.cell[1:]
        if row.isdigit() and int(row) in hidden and change.code not in by_row.get(int(row), []):
            by_row.setdefault(int(row), []).append(change.code)
    if not by_row:
        return []
    listed = ", ".join(
        f"baris {row} (butir {', '.join(codes)})" for row, codes in sorted(by_row.items())
    )
    return [
        WorkbookError(
            "",
            f"Baris tersembunyi mengubah isian: {listed}. Tampilkan (unhide) baris itu di Excel "
            "dan periksa isinya sebelum menerapkan impor.",
        )
    ]


def _normalised(rb: LkeRulebook, code: str, value: str) -> str:
    if not value:
        return ""
    answers, _problems = validate_answers(rb, {code: value})
    return str(answers[code]) if code in answers else value


def apply_import(
    *, assessment: Assessment, preview: ImportPreview, by, confirm_origin: bool = False
) -> int:
    """Write the previewed changes: all or nothing, audited as one "import_workbook" event.
    Returns the number of items changed. Raises `services.AssessmentError` (Indonesian
    `message`): `WorkbookImportRefused` when the preview has errors, belongs to another
    assessment, or comes from another unit's workbook without `confirm_origin`, and whatever
    `save_answers` raises (PermissionDenied for a user who may not fill the LKE,
    AssessmentLocked, AnswerInvalid, AnswerConflict when a row changed after the preview)."""
    if (
        preview.assessment_id != assessment.pk
        or preview.rulebook_version_id != assessment.rulebook_id
    ):
        raise WorkbookImportRefused(
            "Pratinjau ini bukan untuk penilaian ini; unggah ulang berkasnya."
        )
    if preview.errors:
        raise WorkbookImportRefused(
            f"Impor dibatalkan: berkas masih memuat {len(preview.errors)} kesalahan. Perbaiki "
            "berkasnya lalu unggah lagi; belum ada yang disimpan.",
        )
    if not preview.changes:
        return 0
    if preview.needs_confirmation and not confirm_origin:
        raise WorkbookImportRefused(
            f"Berkas ini diekspor dari unit kerja lain ({_origin_text(preview.origin)}). "
            "Centang konfirmasi pada pratinjau bila jawaban unit itu memang akan disalin, lalu "
            "tekan Terapkan lagi; belum ada yang disimpan."
        )
    planned: dict[str, dict[str, str | None]] = {}
    for change in preview.changes:
        entry = planned.setdefault(change.code, {"jawaban": None, "catatan": None})
        entry[change.field] = change.new
    changes = [
        AnswerChange(code, entry["jawaban"], entry["catatan"], preview.revisions.get(code, 0))
        for code, entry in planned.items()
    ]
    with transaction.atomic():
        save_answers(assessment=assessment, changes=changes, by=by)
        source = "templat LKE resmi" if preview.source == "resmi" else "berkas unduhan ZI Portal"
        name = f" {preview.filename}" if preview.filename else ""
        if preview.origin_differs:
            name += f" ({_origin_text(preview.origin)})"
        AssessmentEvent.objects.create(
            assessment=assessment,
            action="import_workbook",
            note=f"Impor LKE dari {source}{name}: {len(changes)} butir diubah.",
            by=by,
        )
    return len(changes)


def _origin_text(origin: dict[str, str]) -> str:
    """ "unit kerja BAUK (U2) tahun 2025, ID penilaian 2" from sheet "Info"."""
    unit = origin.get("unit") or origin.get("unit_code") or "(tidak diketahui)"
    if origin.get("unit") and origin.get("unit_code"):
        unit = f"{origin['unit']} ({origin['unit_code']})"
    text = f"unit kerja {unit} tahun {origin.get('year') or '(tidak diketahui)'}"
    if origin.get("assessment_id"):
        text += f", ID penilaian {origin['assessment_id']}"
    return text
