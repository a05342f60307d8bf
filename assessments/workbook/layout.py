"""Where everything sits in sheet "LKE ZI", and the workbook's formulas.

The rows are placed from the rulebook in its order; an item with a `workbook_row` goes on that
row of the official sheet (the gaps of the official sheet, such as row 90, fall out of it), and
the structure rows (areas, sub-areas, totals) sit just above their first item as they do there.
A rulebook without workbook rows (10/2019) gets the same structure, row after row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from assessments.engine import Indicator, LkeRulebook
from assessments.engine.rulebook import INDEKS, JUMLAH, NILAI, PERSEN
from assessments.models import RulebookVersion
from assessments.rulebooks import engine_rulebook

SHEET = "LKE ZI"
INFO_SHEET = "Info"
EVIDENCE_SHEET = "Bukti Dukung"
FORMAT = "zi-portal-lke/1"
NOT_FILLED = "Blm Diisi"
# Header row 2, as in the official sheet; our export adds A2 "Kode".
HEADERS = {"B": "Penilaian", "H": "Bobot", "K": "Jawaban", "L": "Nilai"}
NOTE_HEADER = "Catatan/Keterangan/Penjelasan"
CODE_HEADER = "Kode"

PART_COLS = {  # kind -> (label column, name column)
    "pengungkit": ("B", "C"),
    "part": ("C", "D"),
    "part_area": ("D", "E"),
    "sub_area": ("E", "F"),
    "group": ("", "F"),
    "indicator": ("F", "G"),
    "input": ("", "G"),
    "sum": ("F", "G"),
    "hasil": ("B", "C"),
    "component": ("C", "D"),
    "hasil_indicator": ("D", "E"),
}


@dataclass(eq=False)
class Row:
    row: int
    kind: str
    code: str = ""
    obj: Any = None
    children: list[Row] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Layout:
    """Where everything sits in sheet "LKE ZI". `official`: every item is on its
    `workbook_row`. `figure_cells`: engine figure name (total, pengungkit, hasil, part:<key>,
    area:<key>, hasil keys, sub-area, group and area-in-part codes, PERSEN codes) -> cell."""

    rows: tuple[Row, ...]
    by_code: dict[str, Row]
    figure_cells: dict[str, str]
    official: bool


class _Conflict(Exception):
    """Two layout rules claim the same workbook cell (a rulebook/layout mismatch)."""


def type_label(rb: LkeRulebook, type_: str, scale_max: Decimal | None = None) -> str:
    """The "Pilihan Jawaban" label of an answer type, as in column J of the workbook."""
    if type_ == PERSEN:
        return "%"
    if type_ == JUMLAH:
        return "Jumlah"
    if type_ == INDEKS:
        return f"Nilai (0-{num_text(scale_max or Decimal(4))})"
    if type_ == NILAI:
        return "Nilai (0-1)"
    return "/".join(rb.answer_types[type_])


def num_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def segment(code: str) -> str:
    return code.rsplit(".", 1)[-1]


def _place_rows(rb: LkeRulebook, *, use_workbook_rows: bool) -> list[Row]:
    rows: list[Row] = []
    cursor = 4

    def place(kind: str, code: str = "", obj: Any = None, wanted: int | None = None, **extra):
        nonlocal cursor
        row = cursor
        if use_workbook_rows and wanted:
            if wanted < cursor:
                raise _Conflict
            row = wanted
        item = Row(row, kind, code, obj, extra=extra)
        rows.append(item)
        cursor = row + 1
        return item

    def indicator(ind: Indicator, parent: Row) -> None:
        ind_row = place("indicator", ind.code, ind, ind.workbook_row)
        parent.children.append(ind_row)
        sums = None
        if ind.type == PERSEN and ind.formula and len(ind.formula.denominator) > 1:
            # The official sheet's "Jumlah yang harus melaporkan" rows (178, 185).
            sums = ind_row.extra["sum_row"] = place("sum", "", ind)
        for count_input in ind.inputs:
            place("input", count_input.code, count_input, count_input.workbook_row, owner=ind)
        if sums is not None:
            sums.extra["inputs"] = [r for r in rows if r.extra.get("owner") is ind]

    top = place("pengungkit", rb.pengungkit_code)
    for part in rb.parts:
        part_row = place("part", part.code, part)
        for pa in part.areas:
            pa_row = place("part_area", pa.code, pa)
            part_row.children.append(pa_row)
            for sa in pa.sub_areas:
                sa_row = place("sub_area", sa.code, sa)
                pa_row.children.append(sa_row)
                for ind in sa.indicators:
                    indicator(ind, sa_row)
                for group in sa.groups:
                    g_row = place("group", group.code, group)
                    sa_row.children.append(g_row)
                    for ind in group.indicators:
                        indicator(ind, g_row)
    total_p = place("total_pengungkit")
    top.extra["total"] = total_p
    total_p.children = [r for r in rows if r.kind == "part"]
    cursor += 1
    hasil = place("hasil", rb.hasil_code)
    for comp in rb.hasil_components:
        c_row = place("component", comp.code, comp)
        for hi in comp.indicators:
            c_row.children.append(place("hasil_indicator", hi.code, hi, hi.workbook_row))
    total_h = place("total_hasil")
    hasil.extra["total"] = total_h
    total_h.children = [r for r in rows if r.kind == "component"]
    cursor += 1
    place("nilai", extra_rows=(total_p, total_h))
    cursor += 1
    place("rekap_title")
    for area in rb.areas:
        parts = [r for r in rows if r.kind == "part_area" and r.obj.area == area.key]
        place("rekap_area", f"area:{area.key}", area, parts=parts)
    return rows


def build_layout(rb: LkeRulebook) -> Layout:
    try:
        rows = _place_rows(rb, use_workbook_rows=True)
        official = all(
            getattr(r.obj, "workbook_row", None) == r.row
            for r in rows
            if r.kind in ("indicator", "input", "hasil_indicator")
        )
    except _Conflict:
        rows, official = _place_rows(rb, use_workbook_rows=False), False
    by_code = {r.code: r for r in rows if r.code and not r.code.startswith("area:")}
    cells: dict[str, str] = {}
    for r in rows:
        if r.kind == "nilai":
            cells["total"] = f"L{r.row}"
        elif r.kind == "total_pengungkit":
            cells["pengungkit"] = f"L{r.row}"
        elif r.kind == "total_hasil":
            cells["hasil"] = f"L{r.row}"
        elif r.kind == "part":
            cells[f"part:{r.obj.key}"] = f"L{r.row}"
        elif r.kind in ("rekap_area", "part_area", "sub_area", "group"):
            cells[r.code] = f"L{r.row}"
        elif r.kind in ("component", "hasil_indicator"):
            cells[r.obj.key] = f"L{r.row}"
        elif r.kind == "indicator" and r.obj.type == PERSEN:
            cells[r.code] = f"K{r.row}"
    return Layout(tuple(rows), by_code, cells, official)


_LAYOUTS: dict[str, Layout] = {}


def layout_for(version: RulebookVersion) -> Layout:
    """The layout of a stored rulebook version (built once per process; versions never change)."""
    layout = _LAYOUTS.get(version.content_hash)
    if layout is None:
        layout = _LAYOUTS[version.content_hash] = build_layout(engine_rulebook(version))
    return layout


# --------------------------------------------------------------------------- formulas


def option_chain(rb: LkeRulebook, type_: str, cell: str) -> str:
    formula = f'"{NOT_FILLED}"'
    for key, value in reversed(list(rb.answer_types[type_].items())):
        formula = f'IF({cell}="{key}",{num_text(value)},{formula})'
    return formula


def cell_refs(rows: list[Row], col: str = "L") -> str:
    numbers = [r.row for r in rows]
    if (
        numbers
        and numbers == list(range(numbers[0], numbers[0] + len(numbers)))
        and len(numbers) > 1
    ):
        return f"{col}{numbers[0]}:{col}{numbers[-1]}"
    return ",".join(f"{col}{n}" for n in numbers)


def persen_formula(ind: Indicator, cells: dict[str, str], sum_cell: str | None) -> str:
    f = ind.formula
    blank = ",".join(f'{cells[i.code]}=""' for i in ind.inputs)
    guard = f'IF(OR({blank}),"{NOT_FILLED}",'
    if f.kind == "ratio":
        num = cells[f.numerator]
        den = sum_cell or "+".join(cells[c] for c in f.denominator)
        den = den if len(f.denominator) == 1 or sum_cell else f"({den})"
        body = f"IF({den}=0,{num_text(f.zero_denominator)},IF({num}/{den}>1,1,{num}/{den}))"
    else:
        prev, cur = cells[f.previous], cells[f.current]
        body = (
            f"IF({prev}=0,IF({cur}=0,{num_text(f.both_zero)},{num_text(f.previous_zero)}),"
            f"IF(({prev}-{cur})/{prev}<0,0,({prev}-{cur})/{prev}))"
        )
    return f"={guard}{body})"


_TEXTS: dict[tuple[str, str], dict[str, str]] = {}


def item_texts(rb: LkeRulebook) -> dict[str, str]:
    texts = _TEXTS.get((rb.code, rb.version))
    if texts is None:
        texts = {}
        for ind in rb.indicators():
            texts[ind.code] = ind.text
            texts.update((i.code, i.text) for i in ind.inputs)
        texts.update((h.code, h.text) for h in rb.hasil_indicators())
        _TEXTS[(rb.code, rb.version)] = texts
    return texts
