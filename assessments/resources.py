"""Spreadsheet export of an assessment's answers (unit and TPI side by side) and import of the
TPI's answers from the same layout (django-import-export resources and formats).

The import never writes by itself: `read_import` turns a file into `AnswerChange`s plus every
problem found, `assessments.evaluation.check_evaluator_answers` adds the service's own
validation for the dry run, and `save_evaluator_answers` writes once the evaluator confirms.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export import fields, resources, widgets
from import_export.formats.base_formats import CSV, XLSX

from assessments.engine import round2
from assessments.evaluation import AnswerChange, tpi_state
from assessments.layout import HASIL
from assessments.models import Assessment
from assessments.reporting import id_number
from assessments.results import lke_layout, lke_state

IMPORT_MAX_BYTES = 2 * 1024 * 1024
# A zip whose members inflate beyond this is refused before openpyxl reads it (zip bombs).
IMPORT_MAX_UNPACKED = 40 * 1024 * 1024
IMPORT_MAX_ROWS = 2000

# Column names: what the evaluator sees in the spreadsheet (Indonesian, stable).
COL_ASSESSMENT = "id_penilaian"
COL_CODE = "kode"
COL_UNIT_VALUE = "jawaban_unit"
COL_UNIT_FIGURE = "nilai_unit"
COL_TPI_VALUE = "jawaban_tpi"
COL_TPI_FIGURE = "nilai_tpi"
COL_TPI_NOTE = "catatan_tpi"
COL_REVISION = "revisi_tpi"

# AnswerRow.control of a count input's row (the other rows carry their card's control).
COUNT = "jumlah"
# xlsx number formats: the spreadsheet program shows them with the user's decimal separator.
NUMBER_FORMAT = "0.00"
PERCENT_FORMAT = "0.00%"
COUNT_FORMAT = "0"

FORMATS = {"xlsx": XLSX, "csv": CSV}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_text(text: str) -> str:
    """Free text that a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + text if text and text.startswith(_FORMULA_START) else text


@dataclass(frozen=True, slots=True)
class AnswerRow:
    assessment_id: int
    code: str
    kind: str
    area: str
    text: str
    accepts: str
    unit_value: str
    unit_figure: str
    unit_note: str
    tpi_value: str
    tpi_figure: str
    tpi_note: str
    tpi_revision: int
    control: str = ""  # the card's control (option, persen, indeks, nilai), COUNT for an input
    unit_score: Decimal | None = None  # the engine's value behind unit_figure
    tpi_score: Decimal | None = None


def _answer_cell(control: str, value: str) -> object:
    """A stored answer as an xlsx cell: an index, a nilai or a count as a number (what the
    import reads back unchanged), an option key as text."""
    if not value:
        return ""
    try:
        if control in ("indeks", "nilai"):
            return Decimal(value)
        if control == COUNT:
            return int(value)
    except (InvalidOperation, ValueError):
        return value  # not a number after all: written as the text it is
    return value


def _figure_cell(control: str, value: Decimal | None) -> object:
    """The engine's value as an xlsx number, rounded as the portal shows it (a percentage as a
    fraction, shown with PERCENT_FORMAT)."""
    if value is None:
        return ""
    if control == "persen":
        return round2(value * 100) / 100
    return round2(value)


class AssessmentAnswersResource(resources.Resource):
    """One row per LKE item of one assessment: the unit's answer and penjelasan, the TPI's
    answer and catatan, and the engine's value of each. With `numeric` (the xlsx export)
    answers and values that are numbers are written as numbers; otherwise (csv) as the
    portal's texts, answers in the stored form that the import accepts."""

    numeric = False

    assessment_id = fields.Field(
        attribute="assessment_id",
        column_name=COL_ASSESSMENT,
        widget=widgets.IntegerWidget(coerce_to_string=False),
    )
    code = fields.Field(attribute="code", column_name=COL_CODE)
    kind = fields.Field(attribute="kind", column_name="jenis")
    area = fields.Field(attribute="area", column_name="area")
    text = fields.Field(attribute="text", column_name="uraian")
    accepts = fields.Field(attribute="accepts", column_name="isian_yang_sah")
    unit_value = fields.Field(attribute="unit_value", column_name=COL_UNIT_VALUE)
    unit_figure = fields.Field(attribute="unit_figure", column_name=COL_UNIT_FIGURE)
    unit_note = fields.Field(attribute="unit_note", column_name="penjelasan_unit")
    tpi_value = fields.Field(attribute="tpi_value", column_name=COL_TPI_VALUE)
    tpi_figure = fields.Field(attribute="tpi_figure", column_name=COL_TPI_FIGURE)
    tpi_note = fields.Field(attribute="tpi_note", column_name=COL_TPI_NOTE)
    tpi_revision = fields.Field(
        attribute="tpi_revision",
        column_name=COL_REVISION,
        widget=widgets.IntegerWidget(coerce_to_string=False),
    )

    class Meta:
        fields = (
            "assessment_id",
            "code",
            "kind",
            "area",
            "text",
            "accepts",
            "unit_value",
            "unit_figure",
            "unit_note",
            "tpi_value",
            "tpi_figure",
            "tpi_note",
            "tpi_revision",
        )

    def dehydrate_text(self, row: AnswerRow) -> str:
        return _safe_text(row.text)

    def dehydrate_unit_value(self, row: AnswerRow) -> object:
        return _answer_cell(row.control, row.unit_value) if self.numeric else row.unit_value

    def dehydrate_tpi_value(self, row: AnswerRow) -> object:
        return _answer_cell(row.control, row.tpi_value) if self.numeric else row.tpi_value

    def dehydrate_unit_figure(self, row: AnswerRow) -> object:
        return _figure_cell(row.control, row.unit_score) if self.numeric else row.unit_figure

    def dehydrate_tpi_figure(self, row: AnswerRow) -> object:
        return _figure_cell(row.control, row.tpi_score) if self.numeric else row.tpi_figure

    def dehydrate_unit_note(self, row: AnswerRow) -> str:
        return _safe_text(row.unit_note)

    def dehydrate_tpi_note(self, row: AnswerRow) -> str:
        return _safe_text(row.tpi_note)


def _figure(control: str, value: Decimal | None) -> str:
    if value is None:
        return ""
    if control == "persen":
        return id_number(value * 100) + "%"
    return id_number(value)


def _accepts(card, code: str) -> str:
    if code != card.code:
        return _("bilangan bulat ≥ 0")
    if card.control == "option":
        return "/".join(o.key for o in card.options)
    if card.control == "persen":
        return _("dihitung dari isian jumlah di bawahnya")
    if card.control == "indeks":
        return _("0 sampai %(max)s, 2 desimal") % {"max": id_number(card.scale_max)}
    return _("0 sampai 1, 2 desimal")


def answer_rows(assessment: Assessment) -> list[AnswerRow]:
    """Every card (indicator, percentage indicator, Hasil figure) followed by its count inputs,
    in rulebook order."""
    layout = lke_layout(assessment.rulebook)
    unit = lke_state(assessment)
    tpi = tpi_state(assessment)
    tpi_rows = tpi.rows if tpi else {}
    tpi_values = tpi.result.values if tpi else {}
    kinds = {
        "indicator": _("indikator"),
        "input": _("isian jumlah"),
        "hasil": _("hasil"),
    }
    out = []
    for section in layout.sections:
        for card in section.cards:
            for code in card.codes:
                is_card = code == card.code
                text = card.text
                if not is_card:
                    text = next((i.text for i in card.inputs if i.code == code), "")
                u, t = unit.rows.get(code), tpi_rows.get(code)
                kind = "hasil" if section.key == HASIL else ("indicator" if is_card else "input")
                unit_score = unit.result.values.get(code) if is_card else None
                tpi_score = tpi_values.get(code) if is_card else None
                out.append(
                    AnswerRow(
                        assessment_id=assessment.pk,
                        code=code,
                        kind=str(kinds[kind]),
                        area=section.name,
                        text=text,
                        accepts=_accepts(card, code),
                        unit_value=u.value if u else "",
                        unit_figure=_figure(card.control, unit_score) if is_card else "",
                        unit_note=u.note if u else "",
                        tpi_value=t.value if t else "",
                        tpi_figure=_figure(card.control, tpi_score) if is_card else "",
                        tpi_note=t.note if t else "",
                        tpi_revision=t.revision if t else 0,
                        control=card.control if is_card else COUNT,
                        unit_score=unit_score,
                        tpi_score=tpi_score,
                    )
                )
    return out


def _number_formats(content: bytes, rows: list[AnswerRow]) -> bytes:
    """Give the numeric cells of an exported workbook a number format: two decimals for an
    index, a nilai and a figure, a percentage for a percentage indicator, none for a count."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.active
    headers = [cell.value for cell in sheet[1]]
    answers = [headers.index(c) + 1 for c in (COL_UNIT_VALUE, COL_TPI_VALUE)]
    figures = [headers.index(c) + 1 for c in (COL_UNIT_FIGURE, COL_TPI_FIGURE)]
    for number, row in enumerate(rows, start=2):
        for column, number_format in (
            *((c, COUNT_FORMAT if row.control == COUNT else NUMBER_FORMAT) for c in answers),
            *((c, PERCENT_FORMAT if row.control == "persen" else NUMBER_FORMAT) for c in figures),
        ):
            cell = sheet.cell(number, column)
            if isinstance(cell.value, int | float | Decimal) and not isinstance(cell.value, bool):
                cell.number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_answers(assessment: Assessment, fmt: str) -> bytes | str:
    """The answers as xlsx (numbers as numbers, with number formats) or csv (texts)."""
    rows = answer_rows(assessment)
    resource = AssessmentAnswersResource()
    resource.numeric = fmt == "xlsx"
    dataset = resource.export(rows)
    dataset.title = f"LKE {assessment.unit.code} {assessment.year}"[:31]
    data = FORMATS[fmt]().export_data(dataset)
    return _number_formats(data, rows) if fmt == "xlsx" else data


# --------------------------------------------------------------------------- import


@dataclass
class ImportRead:
    """The file read: the changes it asks for (row number by code) and every problem found
    (row number or None for the whole file, message)."""

    changes: list[AnswerChange] = field(default_factory=list)
    row_of: dict[str, int] = field(default_factory=dict)
    problems: list[tuple[int | None, str]] = field(default_factory=list)
    rows_read: int = 0


def too_large(size: int) -> str:
    """The refusal of a file over IMPORT_MAX_BYTES. Its size is rounded up to whole KB, so that
    a file just over the limit never reads as the limit itself (2049 KB, not 2048 KB)."""
    return _("Berkas terlalu besar (%(size)s KB; paling besar %(max)s KB).") % {
        "size": -(-size // 1024),
        "max": IMPORT_MAX_BYTES // 1024,
    }


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = format(Decimal(repr(value)).normalize(), "f")
        return text
    text = str(value).strip()
    if text.startswith("'") and text[1:2] in _FORMULA_START:
        text = text[1:]
    return text


def _check_zip(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(info.file_size for info in archive.infolist()) > IMPORT_MAX_UNPACKED:
                return _("Isi berkas xlsx terlalu besar setelah dibuka.")
    except zipfile.BadZipFile:
        return _(
            "Berkas ini bukan xlsx yang utuh (rusak atau format lain). Simpan ulang sebagai .xlsx."
        )
    return None


def _assessment_label(assessment: Assessment) -> str:
    return f"{assessment.unit.name} {assessment.year}"


def _other_assessments(owners: list[str], by) -> dict[str, str]:
    """id_penilaian -> "Unit year" of the other assessments a file names, for those `by` may
    see (the others stay unnamed)."""
    from organizations import access

    ids = [int(o) for o in owners if o.isdigit()]
    if by is None or not ids:
        return {}
    return {
        str(a.pk): _assessment_label(a)
        for a in access.visible_assessments(by).filter(pk__in=ids).select_related("unit")
    }


def _foreign_problems(
    assessment: Assessment, foreign: dict[str, list[int]], own_rows: int, by
) -> list[tuple[int | None, str]]:
    """One problem per other assessment named in the file (not one per row), naming it by unit
    and year: the whole file when it holds no row of this assessment, else its rows."""
    names = _other_assessments(list(foreign), by)
    this = _assessment_label(assessment)
    problems: list[tuple[int | None, str]] = []
    for owner, rows in foreign.items():
        other = names.get(owner) or _("lain (id_penilaian “%(id)s”)") % {"id": owner or "—"}
        if not own_rows and len(foreign) == 1:
            problems.append(
                (
                    None,
                    _(
                        "Berkas ini adalah ekspor penilaian %(other)s, bukan penilaian ini "
                        "(%(this)s). Unduh ekspor penilaian ini, isi, lalu unggah lagi."
                    )
                    % {"other": other, "this": this},
                )
            )
            continue
        shown = ", ".join(str(r) for r in rows[:5]) + (" …" if len(rows) > 5 else "")
        problems.append(
            (
                rows[0],
                ngettext(
                    "%(n)s baris (%(rows)s) milik penilaian %(other)s, bukan penilaian ini "
                    "(%(this)s): hapus baris itu atau gunakan berkas ekspor penilaian ini.",
                    "%(n)s baris (%(rows)s) milik penilaian %(other)s, bukan penilaian ini "
                    "(%(this)s): hapus baris itu atau gunakan berkas ekspor penilaian ini.",
                    len(rows),
                )
                % {"n": len(rows), "rows": shown, "other": other, "this": this},
            )
        )
    return problems


def read_import(assessment: Assessment, name: str, content: bytes, *, by=None) -> ImportRead:
    """Turn an uploaded xlsx (the export's layout) into changes of the TPI's answers. Blank
    cells change nothing; only jawaban_tpi and catatan_tpi are read. Rows of another
    assessment give one problem per assessment, named by unit and year when `by` may see it."""
    read = ImportRead()
    if not name.lower().endswith(".xlsx"):
        read.problems.append((None, _("Unggah berkas .xlsx (hasil ekspor jawaban LKE ini).")))
        return read
    if len(content) > IMPORT_MAX_BYTES:
        read.problems.append((None, too_large(len(content))))
        return read
    if problem := _check_zip(content):
        read.problems.append((None, problem))
        return read
    try:
        dataset = XLSX().create_dataset(content)
    except Exception:  # openpyxl raises many kinds of errors on a damaged workbook
        read.problems.append(
            (None, _("Berkas xlsx tidak dapat dibaca (rusak). Simpan ulang sebagai .xlsx."))
        )
        return read
    headers = [str(h).strip().lower() if h is not None else "" for h in dataset.headers or []]
    missing = [
        c for c in (COL_ASSESSMENT, COL_CODE, COL_TPI_VALUE, COL_TPI_NOTE) if c not in headers
    ]
    if missing:
        read.problems.append(
            (
                None,
                _(
                    "Kolom %(cols)s tidak ditemukan pada baris pertama. Gunakan berkas hasil "
                    "ekspor jawaban LKE."
                )
                % {"cols": ", ".join(missing)},
            )
        )
        return read
    if dataset.height > IMPORT_MAX_ROWS:
        read.problems.append(
            (
                None,
                _("Berkas berisi terlalu banyak baris (paling banyak %(n)s).")
                % {"n": IMPORT_MAX_ROWS},
            )
        )
        return read
    col = {name: headers.index(name) for name in headers if name}
    layout = lke_layout(assessment.rulebook)
    known = set(layout.card_of)
    foreign: dict[str, list[int]] = {}
    for index, values in enumerate(dataset, start=2):
        cells = list(values)

        def cell(name: str, cells=cells) -> str:
            i = col.get(name)
            return _cell_text(cells[i]) if i is not None and i < len(cells) else ""

        code = cell(COL_CODE)
        value, note = cell(COL_TPI_VALUE), cell(COL_TPI_NOTE).replace("\r\n", "\n")
        if not code and not value and not note:
            continue
        read.rows_read += 1
        owner = cell(COL_ASSESSMENT)
        if owner != str(assessment.pk):
            foreign.setdefault(owner, []).append(index)
            continue
        if code not in known:
            read.problems.append(
                (index, _("kode %(code)s tidak dikenal dalam LKE ini.") % {"code": code or "—"})
            )
            continue
        if code in read.row_of:
            read.problems.append(
                (
                    index,
                    _("kode %(code)s sudah ada di baris %(row)s.")
                    % {"code": code, "row": read.row_of[code]},
                )
            )
            continue
        if not value and not note:
            continue
        read.row_of[code] = index
        card = layout.cards[layout.card_of[code]]
        is_card = code == card.code
        try:
            revision = int(Decimal(cell(COL_REVISION) or "-1"))
        except (InvalidOperation, ValueError):
            revision = -1
        read.changes.append(
            AnswerChange(
                code,
                value if value and not (is_card and card.control == "persen") else None,
                note or None,
                revision,
            )
        )
        if value and is_card and card.control == "persen":
            read.problems.append(
                (
                    index,
                    _(
                        "indikator persentase tidak diisi langsung; isi jumlah pada baris di bawahnya."
                    ),
                )
            )
    if foreign:
        own_rows = read.rows_read - sum(len(rows) for rows in foreign.values())
        read.problems += _foreign_problems(assessment, foreign, own_rows, by)
    if not read.rows_read and not read.problems:
        read.problems.append((None, _("Berkas tidak berisi baris jawaban.")))
    return read
