"""The exported workbook is laid out like the official "LKE ZI" sheet, without its slips."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest

from assessments.workbook import build_layout, export_workbook, layout_for, type_label
from tests.workbook.conftest import complete_answers, store

pytestmark = pytest.mark.django_db


def _sheet(data: bytes, name: str = "LKE ZI"):
    return openpyxl.load_workbook(io.BytesIO(data))[name]


def test_every_item_sits_on_its_official_workbook_row(lke_version, rulebook):
    layout = layout_for(lke_version)
    assert layout.official
    items = [r for r in layout.rows if r.kind in ("indicator", "input", "hasil_indicator")]
    assert len(items) == 110 + 22 + 3
    assert all(r.row == r.obj.workbook_row for r in items)


def test_structure_rows_match_the_official_sheet(lke_version, rulebook, official_path):
    official = openpyxl.load_workbook(official_path)["LKE ZI"]
    layout = layout_for(lke_version)
    weighted = [
        r
        for r in layout.rows
        if r.kind in ("pengungkit", "part", "part_area", "sub_area", "group", "component", "hasil")
    ]
    for r in weighted:
        weight = r.obj.weight if r.obj is not None else None
        if r.kind == "pengungkit":
            weight = rulebook.pengungkit_weight
        if r.kind == "hasil":
            weight = rulebook.hasil_weight
        assert float(official[f"H{r.row}"].value) == float(weight), (r.code, r.row)
    for kind, row in {"total_pengungkit": 198, "total_hasil": 206, "nilai": 208}.items():
        assert next(r.row for r in layout.rows if r.kind == kind) == row
    # Every answer-type label agrees with the official column J, except its J8 slip ("Ya").
    for r in layout.rows:
        if r.kind in ("indicator", "input", "hasil_indicator") and r.row != 8:
            want = type_label(
                rulebook,
                "JUMLAH" if r.kind == "input" else r.obj.type,
                getattr(r.obj, "scale_max", None),
            )
            found = re.sub(r"\s+", "", str(official[f"J{r.row}"].value))
            assert found == want.replace(" ", ""), (r.code, r.row, found)


def test_export_holds_answers_notes_and_the_workbook_formulas(assessment, rulebook):
    answers = complete_answers(rulebook)
    store(
        assessment, answers, {"A.I.1.i.a": "Tim dibentuk dengan SK Kepala", "B.I.a": "=bukan rumus"}
    )
    ws = _sheet(export_workbook(assessment))
    assert (
        ws["A2"].value == "Kode"
        and ws["K2"].value == "Jawaban"
        and ws["O2"].value.startswith("Catatan")
    )
    assert ws["A8"].value == "A.I.1.i.a" and ws["K8"].value == answers["A.I.1.i.a"]
    assert ws["J8"].value == "Ya/Tidak"  # not the official copy's "Ya"
    assert ws["O8"].value == "Tim dibentuk dengan SK Kepala"
    assert ws["O202"].value == "=bukan rumus" and ws["O202"].data_type == "s"
    assert ws["K129"].value == answers["A.II.1.i.a.1"]
    assert float(ws["K202"].value) == float(answers["B.I.a"])
    assert ws["L8"].value == '=IF(K8="Ya",1,IF(K8="Tidak",0,"Blm Diisi"))'
    assert (
        ws["L15"].value
        == '=IF(K15="A",1,IF(K15="B",0.67,IF(K15="C",0.33,IF(K15="D",0,"Blm Diisi"))))'
    )
    assert ws["L7"].value == "=SUM(L8:L9)/2*H7"
    assert ws["L6"].value == "=SUM(L7,L10,L14,L18)"
    # The slips of the official copy are not carried over.
    assert ws["L175"].value == "=SUM(L176,L183)"
    assert ws["K185"].value == '=IF(OR(K186="",K187="",K188=""),"Blm Diisi",SUM(K186:K188))'
    assert "IF(K185=0,1," in ws["K184"].value
    assert "IF(K129=0,0," in ws["K128"].value  # achievement ratio: nothing to show scores 0
    assert "IF(K172=0,1," in ws["K171"].value  # compliance ratio: nobody obliged scores 1
    assert "IF(K155=0,IF(K156=0,1,0)" in ws["K154"].value
    assert ws["L202"].value == '=IF(K202="","Blm Diisi",K202/4*H202)'
    assert ws["L208"].value == "=SUM(L198,L206)"
    assert ws["L4"].value == "=L198" and ws["L200"].value == "=L206"


def test_export_has_info_and_evidence_sheets_and_nothing_hidden(assessment, rulebook):
    links = [
        ("A.I.1.i.a", "SK Tim ZI", "https://drive.example.go.id/sk-tim.pdf"),
        ("A.I.1.i.a", '=HYPERLINK("x")', "javascript:alert(1)"),
    ]
    wb = openpyxl.load_workbook(io.BytesIO(export_workbook(assessment, evidence_links=links)))
    assert wb.sheetnames == ["LKE ZI", "Info", "Bukti Dukung"]
    assert all(ws.sheet_state == "visible" for ws in wb.worksheets)
    info = {row[0].value: row[1].value for row in wb["Info"].iter_rows(max_col=2)}
    assert info["Kode buku aturan"] == rulebook.code
    assert info["Versi buku aturan"] == rulebook.version
    assert info["Unit kerja"] == assessment.unit.name and info["Tahun"] == "2026"
    ev = wb["Bukti Dukung"]
    assert [c.value for c in ev[1]] == ["Kode", "Butir", "Judul bukti dukung", "Tautan"]
    assert ev["C2"].value == "SK Tim ZI" and ev["D2"].hyperlink.target.endswith("sk-tim.pdf")
    assert ev["B2"].value.startswith("Unit kerja telah membentuk tim")
    assert ev["C3"].data_type == "s" and ev["D3"].hyperlink is None


def test_layout_without_workbook_rows_is_sequential(lke_version):
    from assessments.models import RulebookVersion
    from assessments.rulebooks import engine_rulebook

    old = RulebookVersion.objects.get(rulebook__code="permenpanrb-10-2019")
    layout = build_layout(engine_rulebook(old))
    assert not layout.official
    rows = [r.row for r in layout.rows]
    assert rows == sorted(rows) and len(set(rows)) == len(rows)
