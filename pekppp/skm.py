"""SKM input: respondents' answers from a spreadsheet, or the nine unsur averages, scored by
the engine (`pekppp.engine.score_skm`) against the period's SKM rulebook."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from pekppp.engine import SkmResult, SkmRulebook, score_skm

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 100_000
MAX_PROBLEMS = 15


def template_xlsx(rulebook: SkmRulebook) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Jawaban SKM"
    ws.append(["No", *(u.code for u in rulebook.unsur)])
    ws.append(["", *(u.name for u in rulebook.unsur)])
    for n in range(1, 4):
        ws.append([n, *([None] * len(rulebook.unsur))])
    info = wb.create_sheet("Petunjuk")
    info.append(["Isi satu baris per responden mulai baris 3. Nilai setiap unsur 1 sampai 4:"])
    info.append(
        [
            "a = 1 (tidak baik), b = 2, c = 3, d = 4 (sangat baik). Baris 2 (nama unsur) boleh dibiarkan."
        ]
    )
    for u in rulebook.unsur:
        info.append([u.code, u.name, u.question])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read_responses_xlsx(
    data: bytes, rulebook: SkmRulebook
) -> tuple[list[dict[str, int | None]], list[str]]:
    """Responses from the first sheet: a header row naming U1..U9 (other columns ignored), one
    respondent per row; a second row of unsur names is allowed. Every problem is listed."""
    if len(data) > MAX_FILE_BYTES:
        return [], [_("Berkas lebih dari 5 MB. Simpan hanya lembar jawaban lalu unggah ulang.")]
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        return [], [_("Berkas bukan lembar kerja Excel (.xlsx). Gunakan templat yang disediakan.")]
    try:
        rows = wb.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        codes = [u.code for u in rulebook.unsur]
        names = {u.name.strip().lower() for u in rulebook.unsur}
        columns: dict[str, int] = {}
        for index, cell in enumerate(header or ()):
            key = str(cell).strip().upper() if cell is not None else ""
            if key in codes:
                if key in columns:
                    return [], [_("Kolom %(c)s muncul dua kali di baris judul.") % {"c": key}]
                columns[key] = index
        missing = [c for c in codes if c not in columns]
        if missing:
            return [], [
                _(
                    "Baris pertama harus berisi judul kolom %(all)s. Tidak ditemukan: %(missing)s. "
                    "Gunakan templat yang disediakan."
                )
                % {"all": ", ".join(codes), "missing": ", ".join(missing)}
            ]
        responses: list[dict[str, int | None]] = []
        problems: list[str] = []
        for row_no, row in enumerate(rows, start=2):
            if row_no > MAX_ROWS + 2:
                problems.append(_("Terlalu banyak baris (lebih dari %(n)s).") % {"n": MAX_ROWS})
                break
            cells = [row[columns[c]] if columns[c] < len(row) else None for c in codes]
            if all(v is None or str(v).strip() == "" for v in cells):
                continue
            if row_no == 2 and {str(v).strip().lower() for v in cells if v is not None} <= names:
                continue  # the template's row of unsur names
            response: dict[str, int | None] = {}
            for code, value in zip(codes, cells, strict=True):
                answer = _answer(value, rulebook)
                if answer is False:
                    if len(problems) < MAX_PROBLEMS:
                        problems.append(
                            _(
                                "Baris %(row)s kolom %(col)s: nilai harus bilangan bulat %(min)s-%(max)s, bukan %(v)r."
                            )
                            % {
                                "row": row_no,
                                "col": code,
                                "min": rulebook.answer_min,
                                "max": rulebook.answer_max,
                                "v": value,
                            }
                        )
                    response[code] = None
                else:
                    response[code] = answer
            responses.append(response)
        if not responses and not problems:
            problems.append(
                _("Lembar kerja tidak berisi jawaban responden (mulai baris 2 atau 3).")
            )
        return responses, problems
    finally:
        wb.close()


def _answer(value: Any, rulebook: SkmRulebook) -> int | bool | None:
    """The answer, None when blank, False when invalid."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return False
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return False
    if not number.is_finite() or number != number.to_integral_value():
        return False
    number = int(number)
    return number if rulebook.answer_min <= number <= rulebook.answer_max else False


def parse_averages(
    raw: Mapping[str, str], rulebook: SkmRulebook
) -> tuple[dict[str, Decimal], list[str]]:
    averages: dict[str, Decimal] = {}
    problems: list[str] = []
    for u in rulebook.unsur:
        text = str(raw.get(u.code, "")).strip().replace(",", ".")
        try:
            value = Decimal(text)
            ok = value.is_finite()
        except InvalidOperation:
            ok = False
        if not text or not ok:
            problems.append(_("%(c)s: isi rata-rata berupa angka, misalnya 3,25.") % {"c": u.code})
        elif not rulebook.answer_min <= value <= rulebook.answer_max:
            problems.append(
                _("%(c)s: rata-rata harus antara %(min)s dan %(max)s.")
                % {"c": u.code, "min": rulebook.answer_min, "max": rulebook.answer_max}
            )
        elif value != value.quantize(Decimal("0.01")):
            problems.append(_("%(c)s: paling banyak dua angka di belakang koma.") % {"c": u.code})
        else:
            averages[u.code] = value
    return averages, problems


def score_averages(rulebook: SkmRulebook, averages: Mapping[str, Decimal]) -> SkmResult:
    """Score nine unsur averages (at most 2 decimals) with the engine. The engine scores
    respondents' answers, so the averages are turned into 100 answers per unsur with exactly
    that mean (v = f + n/100: n answers of f+1 and 100-n of f); the engine's NRR then equals
    each average exactly and its IKM, NIK and mutu are those of the averages. The IKM formula
    is therefore written once, in the engine."""
    columns: dict[str, list[int]] = {}
    for code, value in averages.items():
        base = int(value)  # floor: values are >= answer_min >= 1
        n = int((value - base) * 100)
        columns[code] = [base + 1] * n + [base] * (100 - n)
    responses = [{code: columns[code][i] for code in columns} for i in range(100)]
    return score_skm(rulebook, responses)


def result_dict(result: SkmResult, respondents: int) -> dict[str, Any]:
    return {
        "respondents": respondents,
        "nrr": {k: None if v is None else str(v) for k, v in result.nrr.items()},
        "ikm": str(result.ikm),
        "nik": str(result.nik),
        "mutu": result.mutu,
        "kinerja": result.kinerja,
        "incomplete": list(result.incomplete),
    }
