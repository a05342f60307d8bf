"""The exported workbook's own formulas give the engine's figures.

LibreOffice (Debian's libreoffice-calc-nogui, in the Makefile's DEB_PACKAGES) opens every
exported file headless, recalculates it and saves the values; the test then compares every
sub-area, area, part, Hasil figure and total with `score_lke`. One LibreOffice run converts all
the answer sets (a few seconds).
"""

from __future__ import annotations

import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from assessments.engine import score_lke, validate_answers
from assessments.workbook import export_workbook, layout_for
from tests.workbook.conftest import random_answers, store

pytestmark = pytest.mark.django_db

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# Recalculate every formula on load (the default for xlsx is to trust cached values).
RECALC_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def recalculate(paths: list[Path], workdir: Path) -> list[Path]:
    """The files recalculated and saved by LibreOffice (values cached in the copies)."""
    profile = workdir / "lo-profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_PROFILE)
    out = workdir / "recalculated"
    subprocess.run(
        [SOFFICE, "--headless", "--norestore", "--nolockcheck",
         f"-env:UserInstallation=file://{profile}",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out),
         *map(str, paths)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return [out / p.name for p in paths]


def _zero_edge_cases(rb) -> dict[str, object]:
    """Every zero-denominator rule of decision 4, a capped ratio, and a reduction from 0."""
    answers = random_answers(rb, 99)
    answers.update(
        {
            "A.II.1.i.a.1": 0, "A.II.1.i.a.2": 0,  # achievement, nothing to show: 0
            "A.II.1.i.b.1": 3, "A.II.1.i.b.2": 7,  # numerator above denominator: capped at 1
            "A.II.3.iii.a.1": 0, "A.II.3.iii.a.2": 4, "A.II.3.iii.a.3": 0,  # previous 0: 0
            "A.II.4.i.a.1": 0, "A.II.4.i.a.2": 0,
            "A.II.5.ii.a.1": 0, "A.II.5.ii.a.2": 0, "A.II.5.ii.a.3": 0,  # compliance: 1
            "A.II.5.iii.a.1.1": 0, "A.II.5.iii.a.1.2": 0, "A.II.5.iii.a.1.3": 0,
            "A.II.5.iii.a.1.4": 0,
            "A.II.5.iii.b.1.1": 0, "A.II.5.iii.b.1.2": 0, "A.II.5.iii.b.1.3": 0,
            "A.II.5.iii.b.1.4": 2,
            "A.II.6.i.b.1": 0, "A.II.6.i.b.2": 0,
        }
    )  # fmt: skip
    return answers


def _both_zero(rb) -> dict[str, object]:
    answers = random_answers(rb, 7)
    answers.update({"A.II.3.iii.a.1": 0, "A.II.3.iii.a.2": 0, "A.II.5.iii.b.1.4": 5})
    return answers


def _engine_figures(result, rb) -> dict[str, Decimal]:
    figures: dict[str, Decimal] = {
        "total": result.total,
        "pengungkit": result.pengungkit,
        "hasil": result.hasil,
        **{f"part:{k}": v for k, v in result.parts.items()},
        **{f"area:{k}": a.score for k, a in result.areas.items()},
        **result.part_areas,
        **result.sub_areas,
        **result.groups,
        **result.hasil_components,
        **result.hasil_indicators,
    }
    for ind in rb.indicators():
        if ind.type == "PERSEN" and result.values.get(ind.code) is not None:
            figures[ind.code] = result.values[ind.code]
    for hi in rb.hasil_indicators():  # unanswered: the sheet says so, and its sums count 0
        if result.values.get(hi.code) is None:
            del figures[hi.key]
    return figures


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (libreoffice-calc-nogui) tidak terpasang")
def test_exported_formulas_give_the_engines_figures(
    make_assessment, rulebook, lke_version, tmp_path
):
    sets = {
        "lengkap-1": random_answers(rulebook, 1),
        "lengkap-2": random_answers(rulebook, 2),
        "lengkap-3": random_answers(rulebook, 3),
        "banyak-nol": random_answers(rulebook, 4, zeros=True),
        "penyebut-nol": _zero_edge_cases(rulebook),
        "keduanya-nol": _both_zero(rulebook),
        "sebagian-30": random_answers(rulebook, 5, partial=0.3),
        "sebagian-80": random_answers(rulebook, 6, partial=0.8, zeros=True),
        "kosong": {},
    }
    paths, expected = [], {}
    for year, (name, answers) in enumerate(sets.items(), start=2030):
        assessment = make_assessment(year=year)
        store(assessment, answers)
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(export_workbook(assessment))
        paths.append(path)
        valid, problems = validate_answers(rulebook, {k: str(v) for k, v in answers.items()})
        assert not problems
        expected[name] = _engine_figures(score_lke(rulebook, valid), rulebook)
    cells = layout_for(lke_version).figure_cells
    for name, path in zip(sets, recalculate(paths, tmp_path), strict=True):
        ws = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), data_only=True)["LKE ZI"]
        figures = expected[name]
        assert set(figures) - set(cells) == set(), name
        for figure, value in figures.items():
            found = ws[cells[figure]].value
            assert isinstance(found, int | float), (name, figure, cells[figure], found)
            assert abs(Decimal(repr(found)) - value) < Decimal("1e-9"), (name, figure, found, value)
        for figure in set(cells) - set(figures):  # a PERSEN or Hasil item left unanswered
            assert ws[cells[figure]].value == "Blm Diisi", (name, figure)
