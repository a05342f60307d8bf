"""Writing an assessment as an xlsx laid out like the official "LKE ZI" sheet."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from assessments.engine import HasilIndicator, Indicator, LkeRulebook, validate_answers
from assessments.engine.rulebook import INDEKS, JUMLAH, NILAI, PERSEN
from assessments.models import Answer, Assessment
from assessments.rulebooks import engine_rulebook
from assessments.workbook.layout import (
    CODE_HEADER,
    EVIDENCE_SHEET,
    FORMAT,
    HEADERS,
    INFO_SHEET,
    NOT_FILLED,
    NOTE_HEADER,
    PART_COLS,
    SHEET,
    Row,
    cell_refs,
    item_texts,
    layout_for,
    num_text,
    option_chain,
    persen_formula,
    segment,
    type_label,
)

_WIDTHS = {"A": 16, "B": 4, "C": 5.3, "D": 3.5, "E": 4.5, "F": 3.5, "G": 52, "H": 10,
           "I": 62, "J": 16, "K": 14, "L": 12, "M": 12, "N": 3, "O": 50}  # fmt: skip

_Stored = dict[str, tuple[str, str]]  # code -> (value, note)
_THIN = Side(style="thin", color="BFBFBF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
_GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="top")
_TOP = Alignment(vertical="top")


def _text(ws: Worksheet, ref: str, value: object) -> None:
    """A string cell that is never read as a formula, without characters XML cannot hold."""
    cell = ws[ref]
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell.data_type = "s"


def _criteria(ind: Indicator | HasilIndicator) -> str:
    if not ind.options:
        return ind.criterion
    lines = []
    for opt in ind.options:
        if not opt.criterion or opt.criterion.strip().lower() == opt.key.lower():
            continue
        lines.append(f"{opt.key.lower()}. {opt.criterion}" if len(opt.key) == 1 else opt.criterion)
    return "\n".join(lines) or ind.criterion


def _stored_answers(assessment: Assessment) -> _Stored:
    return {
        code: (value, note)
        for code, value, note in Answer.objects.filter(assessment=assessment).values_list(
            "item__code", "value", "note"
        )
    }


def _cell_value(rb: LkeRulebook, code: str, value: str) -> object:
    if not value:
        return None
    answers, _problems = validate_answers(rb, {code: value})
    return answers.get(code, value)


def export_filename(assessment: Assessment) -> str:
    unit = re.sub(r"[^A-Za-z0-9_-]+", "-", assessment.unit.code).strip("-") or "unit"
    return f"LKE-ZI_{unit}_{assessment.year}_{assessment.target}.xlsx"


def export_workbook(
    assessment: Assessment, *, evidence_links: Iterable[tuple[str, str, str]] = ()
) -> bytes:
    """The assessment as an xlsx (see the module docstring). `evidence_links`: (item code,
    title, url) rows for sheet "Bukti Dukung", in the caller's order."""
    version = assessment.rulebook
    rb = engine_rulebook(version)
    layout = layout_for(version)
    stored = _stored_answers(assessment)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    _write_head(ws, rb, assessment)
    answer_cells = {r.code: f"K{r.row}" for r in layout.rows if r.kind == "input"}
    validations: dict[str, list[str]] = {}
    for r in layout.rows:
        _write_row(ws, rb, r, stored, answer_cells, validations)
    _add_validations(ws, rb, validations)
    for col, width in _WIDTHS.items():
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    _write_info(wb.create_sheet(INFO_SHEET), assessment, rb)
    _write_evidence(wb.create_sheet(EVIDENCE_SHEET), rb, evidence_links)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _write_head(ws: Worksheet, rb: LkeRulebook, assessment: Assessment) -> None:
    _text(ws, "B1", f"{rb.title.upper()}\n{rb.regulation}".strip())
    ws.merge_cells("B1:I1")
    ws["B1"].font = Font(bold=True, size=12)
    ws["B1"].alignment = _WRAP
    ws.row_dimensions[1].height = 36
    for ref, label in {"A2": CODE_HEADER, **{f"{c}2": v for c, v in HEADERS.items()},
                       "I2": "Penjelasan", "J2": "Pilihan Jawaban", "M2": "%",
                       "O2": NOTE_HEADER}.items():  # fmt: skip
        _text(ws, ref, label)
    ws.merge_cells("B2:G2")
    for col in "ABCDEFGHIJKLMNO":
        cell = ws[f"{col}2"]
        cell.font, cell.fill, cell.border, cell.alignment = _BOLD, _HEAD_FILL, _BORDER, _CENTER
    unit = assessment.unit
    _text(
        ws,
        "B3",
        f"Unit kerja: {unit.name} ({unit.code}) · Tahun {assessment.year} · Target "
        f"{assessment.get_target_display()} · Buku aturan {rb.code} versi {rb.version} · "
        "Isi kolom K (Jawaban) dan O (Catatan); kolom L dan M dihitung otomatis.",
    )
    ws["B3"].font = Font(italic=True, color="595959")


def _write_row(
    ws: Worksheet,
    rb: LkeRulebook,
    r: Row,
    stored: _Stored,
    answer_cells: dict[str, str],
    validations: dict[str, list[str]],
) -> None:
    n, kind, obj = r.row, r.kind, r.obj
    label_col, name_col = PART_COLS.get(kind, ("", ""))
    if r.code and not r.code.startswith("area:"):
        _text(ws, f"A{n}", r.code)
    weight = None
    if kind in ("pengungkit", "hasil"):
        name = rb.pengungkit_name if kind == "pengungkit" else rb.hasil_name
        weight = rb.pengungkit_weight if kind == "pengungkit" else rb.hasil_weight
        _text(ws, f"{label_col}{n}", f"{r.code}.")
        _text(ws, f"{name_col}{n}", name.upper())
        ws.merge_cells(f"{name_col}{n}:G{n}")
        ws[f"L{n}"] = f"=L{r.extra['total'].row}"
    elif kind in ("part", "part_area", "sub_area", "group", "component"):
        weight = obj.weight
        if label_col:
            _text(ws, f"{label_col}{n}", f"{segment(r.code)}.")
        upper = kind in ("part", "part_area", "component")
        name = obj.name if kind != "part_area" else rb.area(obj.area).name
        _text(ws, f"{name_col}{n}", name.upper() if upper else name)
        ws.merge_cells(f"{name_col}{n}:G{n}")
        kids = r.children
        if kind in ("sub_area", "group") and kids and kids[0].kind == "indicator":
            share = f"/{len(kids)}" if len(kids) > 1 else ""
            ws[f"L{n}"] = f"=SUM({cell_refs(kids)}){share}*H{n}"
        else:
            ws[f"L{n}"] = f"=SUM({cell_refs(kids)})"
    elif kind in ("total_pengungkit", "total_hasil", "nilai"):
        title = {"total_pengungkit": f"TOTAL {rb.pengungkit_name.upper()}",
                 "total_hasil": f"TOTAL {rb.hasil_name.upper()}",
                 "nilai": "NILAI EVALUASI ZONA INTEGRITAS"}[kind]  # fmt: skip
        _text(ws, f"B{n}", title)
        kids = r.children or list(r.extra["extra_rows"])
        ws[f"L{n}"] = f"=SUM({cell_refs(kids)})"
        ws[f"L{n}"].number_format = "0.00"
        for col in "BCDEFGHIJKLM":
            ws[f"{col}{n}"].font, ws[f"{col}{n}"].fill = _BOLD, _GROUP_FILL
    elif kind == "rekap_title":
        _text(ws, f"B{n}", "REKAP PER AREA PERUBAHAN (PEMENUHAN + REFORM)")
        ws[f"B{n}"].font = _BOLD
    elif kind == "rekap_area":
        weight = obj.weight
        _text(ws, f"C{n}", obj.name)
        ws[f"L{n}"] = f"=SUM({cell_refs(r.extra['parts'])})"
    elif kind == "sum":
        _text(ws, f"F{n}", "-")
        _text(ws, f"G{n}", "Jumlah yang harus melaporkan (otomatis: jumlah rincian di bawah)")
        _text(ws, f"J{n}", "Jumlah")
        inputs = [i for i in r.extra["inputs"] if i.code in obj.formula.denominator]
        blank = ",".join(f'K{i.row}=""' for i in inputs)
        ws[f"K{n}"] = f'=IF(OR({blank}),"{NOT_FILLED}",SUM({cell_refs(inputs, "K")}))'
    else:
        _write_item(ws, rb, r, stored, answer_cells, validations)
        return
    if weight is not None:
        ws[f"H{n}"] = weight
        ws[f"M{n}"] = f"=IF(H{n}=0,0,L{n}/H{n})"
        ws[f"H{n}"].number_format = "0.00"
        ws[f"L{n}"].number_format = "0.00"
        ws[f"M{n}"].number_format = "0.00%"
        for col in "ABCDEFGHIJKLM":
            ws[f"{col}{n}"].font = _BOLD


def _write_item(
    ws: Worksheet,
    rb: LkeRulebook,
    r: Row,
    stored: _Stored,
    answer_cells: dict[str, str],
    validations: dict[str, list[str]],
) -> None:
    n, kind, obj = r.row, r.kind, r.obj
    label_col, name_col = PART_COLS[kind]
    value, note = stored.get(r.code, ("", ""))
    if label_col:
        _text(ws, f"{label_col}{n}", "-" if kind == "input" else segment(r.code))
    _text(ws, f"{name_col}{n}", f"- {obj.text}" if kind == "input" else obj.text)
    ws[f"{name_col}{n}"].alignment = _WRAP
    if name_col != "G":  # Hasil items: the text spans E:G, as in the official sheet
        ws.merge_cells(f"{name_col}{n}:G{n}")
    type_ = JUMLAH if kind == "input" else obj.type
    _text(ws, f"J{n}", type_label(rb, type_, getattr(obj, "scale_max", None)))
    if kind != "input":
        _text(ws, f"I{n}", _criteria(obj))
        ws[f"I{n}"].alignment = _WRAP
    k, el = ws[f"K{n}"], ws[f"L{n}"]
    if type_ == PERSEN:
        sum_row = r.extra.get("sum_row")
        k.value = persen_formula(obj, answer_cells, f"K{sum_row.row}" if sum_row else None)
        k.number_format = "0.00%"
        el.value = f'=IF(K{n}="","{NOT_FILLED}",K{n})'
    else:
        cell_value = _cell_value(rb, r.code, value)
        if isinstance(cell_value, str):
            _text(ws, f"K{n}", cell_value)
        else:
            k.value = cell_value
        k.fill, k.border = _INPUT_FILL, _BORDER
        validations.setdefault(
            type_ if type_ != INDEKS else f"{INDEKS}:{obj.scale_max}", []
        ).append(f"K{n}")
        if type_ == JUMLAH:
            el.value = f'=IF(K{n}="","{NOT_FILLED}","")'
        elif kind == "hasil_indicator" and type_ == INDEKS:
            k.number_format = "0.00"
            el.value = f'=IF(K{n}="","{NOT_FILLED}",K{n}/{num_text(obj.scale_max)}*H{n})'
        elif type_ == NILAI:
            factor = f"*H{n}" if kind == "hasil_indicator" else ""
            el.value = f'=IF(K{n}="","{NOT_FILLED}",K{n}{factor})'
        elif kind == "hasil_indicator":
            el.value = f'=IF(K{n}="","{NOT_FILLED}",IFERROR({option_chain(rb, type_, f"K{n}")}*H{n},"{NOT_FILLED}"))'
        else:
            el.value = "=" + option_chain(rb, type_, f"K{n}")
    if kind == "hasil_indicator":
        ws[f"H{n}"] = obj.weight
        ws[f"H{n}"].number_format = "0.00"
    el.number_format = "0.00"
    if note:
        _text(ws, f"O{n}", note)
    ws[f"O{n}"].fill, ws[f"O{n}"].border, ws[f"O{n}"].alignment = _INPUT_FILL, _BORDER, _WRAP
    for col in "ABCDFHJKLM":
        if col != name_col:
            ws[f"{col}{n}"].alignment = _TOP
    _fit_height(ws, n, (name_col, "I", "O"))


def _fit_height(ws: Worksheet, n: int, columns: Iterable[str]) -> None:
    """Row height for the wrapped texts: spreadsheets do not grow rows of a generated file."""
    lines = 1
    for col in columns:
        text = ws[f"{col}{n}"].value
        if isinstance(text, str) and text:
            span = "EFG" if col == "E" else col  # merged E:G
            width = max(int(sum(_WIDTHS[c] for c in span) * 1.15), 1)
            lines = max(lines, sum(max(1, math.ceil(len(p) / width)) for p in text.split("\n")))
    if lines > 1:
        ws.row_dimensions[n].height = min(409, 15 * lines)


def _add_validations(ws: Worksheet, rb: LkeRulebook, validations: dict[str, list[str]]) -> None:
    for key, refs in validations.items():
        if key == JUMLAH:
            dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
            dv.error = "Isi bilangan bulat 0 atau lebih, tanpa pemisah ribuan."
        elif key.startswith(INDEKS):
            high = key.split(":", 1)[1]
            dv = DataValidation(type="decimal", operator="between", formula1="0", formula2=high)
            dv.error = f"Isi nilai indeks antara 0 dan {high} (paling banyak 2 angka desimal)."
        elif key == NILAI:
            dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="1")
            dv.error = "Isi nilai antara 0 dan 1."
        else:
            keys = ",".join(rb.answer_types[key])
            dv = DataValidation(type="list", formula1=f'"{keys}"', allow_blank=True)
            dv.error = f"Pilih salah satu: {keys.replace(',', ', ')}."
        dv.errorTitle = "Jawaban tidak sah"
        dv.showErrorMessage = True
        dv.sqref = MultiCellRange(" ".join(refs))
        ws.add_data_validation(dv)


def _write_info(ws: Worksheet, assessment: Assessment, rb: LkeRulebook) -> None:
    unit = assessment.unit
    now = timezone.localtime(timezone.now())
    rows = [
        ("Aplikasi", "ZI Portal: Lembar Kerja Evaluasi Zona Integritas"),
        ("Format berkas", FORMAT),
        ("Kode buku aturan", rb.code),
        ("Versi buku aturan", rb.version),
        ("Judul buku aturan", rb.title),
        ("Dasar regulasi", rb.regulation),
        ("Instansi", unit.instansi.name),
        ("Unit kerja", unit.name),
        ("Kode unit kerja", unit.code),
        ("Tahun", str(assessment.year)),
        ("Target predikat", assessment.get_target_display()),
        ("Status", assessment.get_status_display()),
        ("ID penilaian", str(assessment.pk)),
        ("Diekspor pada", now.strftime("%d-%m-%Y %H:%M %Z")),
        ("Petunjuk", "Isi kolom K (Jawaban) dan O (Catatan) pada lembar 'LKE ZI', lalu unggah "
         "kembali di halaman LKE. Jangan mengubah kolom A (Kode) atau lembar ini; kolom L dan M "
         "dihitung otomatis."),
    ]  # fmt: skip
    for i, (label, value) in enumerate(rows, start=1):
        _text(ws, f"A{i}", label)
        _text(ws, f"B{i}", value)
        ws[f"A{i}"].font = _BOLD
        ws[f"B{i}"].alignment = _WRAP
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 90


def _write_evidence(ws: Worksheet, rb: LkeRulebook, links: Iterable[tuple[str, str, str]]) -> None:
    texts = item_texts(rb)
    for col, label in zip("ABCD", ("Kode", "Butir", "Judul bukti dukung", "Tautan"), strict=True):
        _text(ws, f"{col}1", label)
        ws[f"{col}1"].font, ws[f"{col}1"].fill = _BOLD, _HEAD_FILL
    for i, (code, title, url) in enumerate(links, start=2):
        _text(ws, f"A{i}", code)
        _text(ws, f"B{i}", texts.get(code, ""))
        _text(ws, f"C{i}", title)
        _text(ws, f"D{i}", url)
        if str(url).lower().startswith(("https://", "http://")):
            ws[f"D{i}"].hyperlink = str(url)
            ws[f"D{i}"].font = Font(color="0563C1", underline="single")
        ws[f"B{i}"].alignment = _WRAP
    for col, width in zip("ABCD", (16, 60, 40, 60), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
