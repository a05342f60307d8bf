"""Export of an assessment's answers (unit and TPI) to xlsx and csv, and import of the TPI's
answers from a filled xlsx: a dry run that lists every change and every problem, and a
confirmation that writes through the service."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments import evaluation
from assessments.evaluation import AnswerChange
from assessments.models import Answer, EvaluatorAnswer

CODE = "A.I.1.i.a"


def export_url(assessment, fmt: str) -> str:
    return reverse("admin:assessments_assessment_export", args=[assessment.pk, fmt])


def import_url(assessment) -> str:
    return reverse("admin:assessments_assessment_import", args=[assessment.pk])


def exported_book(client, assessment):
    response = client.get(export_url(assessment, "xlsx"))
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def to_bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def set_cells(book, values: dict[str, dict[str, object]]) -> None:
    """values: code -> {column name: value}."""
    sheet = book.active
    headers = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        code = row[headers.index("kode")].value
        for name, value in values.get(code, {}).items():
            row[headers.index(name)].value = value


def upload(client, assessment, content: bytes, name: str = "lke.xlsx"):
    return client.post(import_url(assessment), {"berkas": SimpleUploadedFile(name, content)})


# --------------------------------------------------------------------------- export


def test_export_xlsx_has_codes_texts_and_both_sides(client_for, world, in_review):
    evaluation.save_evaluator_answers(
        assessment=in_review,
        changes=[AnswerChange(CODE, "Tidak", "SK belum sah.", 0)],
        by=world.users["tpi"],
    )
    response = client_for("tpi").get(export_url(in_review, "xlsx"))
    assert response["Content-Disposition"] == 'attachment; filename="lke-U1-2026-WBK.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["id_penilaian", "kode", "jenis", "area"]
    for name in (
        "uraian",
        "jawaban_unit",
        "nilai_unit",
        "penjelasan_unit",
        "jawaban_tpi",
        "catatan_tpi",
    ):
        assert name in headers
    rows = {
        r[1]: dict(zip(headers, r, strict=False))
        for r in sheet.iter_rows(min_row=2, values_only=True)
    }
    row = rows[CODE]
    assert row["id_penilaian"] == in_review.pk
    assert row["uraian"].startswith("Unit kerja telah membentuk tim")
    assert (row["jawaban_unit"], row["nilai_unit"]) == ("Ya", 1)
    assert (row["jawaban_tpi"], row["catatan_tpi"], row["nilai_tpi"]) == (
        "Tidak",
        "SK belum sah.",
        0,
    )
    assert rows["A.II.1.i.a.1"]["jenis"] == "isian jumlah"
    assert rows["A.II.1.i.a"]["nilai_unit"] == 1  # 100,00% (a number with a percent format)
    assert rows["B.I.a"]["jenis"] == "hasil"
    # Every answer code and every percentage indicator has its row.
    assert len(rows) == in_review.rulebook.lke_items.count()


def test_export_csv_is_utf8_with_a_header(client_for, in_review):
    response = client_for("operator").get(export_url(in_review, "csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("id_penilaian,kode,jenis,area,uraian")
    assert f"{in_review.pk},{CODE}," in text


def test_free_text_is_exported_safe_from_formula_injection(client_for, world, in_review):
    Answer.objects.filter(assessment=in_review, item__code=CODE).update(note='=HYPERLINK("x")')
    sheet = exported_book(client_for("tpi"), in_review).active
    headers = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if row[1] == CODE:
            assert row[headers.index("penjelasan_unit")] == '\'=HYPERLINK("x")'


def test_unknown_export_format_is_404(client_for, in_review):
    assert client_for("tpi").get(export_url(in_review, "pdf")).status_code == 404


# --------------------------------------------------------------------------- import


def test_import_dry_run_lists_every_change_then_writes_on_confirmation(
    client_for, world, in_review
):
    client = client_for("tpi")
    book = exported_book(client, in_review)
    set_cells(
        book,
        {
            CODE: {"jawaban_tpi": "Tidak", "catatan_tpi": "SK belum ditandatangani."},
            "A.I.1.i.b": {"jawaban_tpi": "A"},
            "A.II.1.i.a.1": {"jawaban_tpi": 5},
            "B.I.a": {"jawaban_tpi": 3.9},
        },
    )
    response = upload(client, in_review, to_bytes(book))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pratinjau: 4 perubahan jawaban TPI" in html
    assert "SK belum ditandatangani." in html
    assert not EvaluatorAnswer.objects.exists()  # dry run
    payload = re.search(r'name="payload" value="([^"]+)"', html).group(1)
    response = client.post(import_url(in_review), {"payload": payload}, follow=True)
    assert "Impor selesai: 4 jawaban TPI diperbarui." in response.content.decode()
    rows = dict(
        EvaluatorAnswer.objects.filter(assessment=in_review).values_list("item__code", "value")
    )
    assert rows == {CODE: "Tidak", "A.I.1.i.b": "A", "A.II.1.i.a.1": "5", "B.I.a": "3.90"}
    assert (
        EvaluatorAnswer.objects.get(item__code=CODE).history.first().history_user
        == world.users["tpi"]
    )


def test_import_reports_every_problem_and_writes_nothing(
    client_for, make_assessment, world, in_review
):
    client = client_for("tpi")
    book = exported_book(client, in_review)
    sheet = book.active
    set_cells(
        book,
        {
            CODE: {"jawaban_tpi": "Mungkin"},
            "A.I.1.i.b": {"jawaban_tpi": "C"},  # lower than the unit's A, no note
            "A.I.1.ii.a": {"jawaban_tpi": "Ya", "id_penilaian": in_review.pk + 999},
            "B.I.a": {"jawaban_tpi": "9"},
            "A.I.1.ii.b": {"jawaban_tpi": "A"},
        },
    )
    sheet.append([in_review.pk, "X.9.9", "", "", "", "", "", "", "", "Ya", "", "", 0])
    response = upload(client, in_review, to_bytes(book))
    assert response.status_code == 400
    html = response.content.decode()
    problems = re.search(r'data-testid="import-problems">(.*?)</ul>', html, re.S).group(1)
    assert "bukan pilihan yang sah" in problems and CODE in problems
    assert "A.I.1.i.b" in problems and "lebih rendah" in problems
    assert "bukan penilaian ini" in problems
    assert "antara 0 dan 4" in problems
    assert "X.9.9 tidak dikenal" in problems
    assert 'name="payload"' not in html
    assert not EvaluatorAnswer.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("lke.xlsx", b"PK\x03\x04 this is not a workbook", "bukan xlsx yang utuh"),
        ("lke.xlsx", b"plain text, not a zip", "bukan xlsx yang utuh"),
        ("lke.csv", b"id_penilaian,kode\n", "Unggah berkas .xlsx"),
    ],
)
def test_a_corrupted_or_wrong_file_is_refused_clearly(
    client_for, in_review, name, content, message
):
    response = upload(client_for("tpi"), in_review, content, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not EvaluatorAnswer.objects.exists()


def test_an_oversized_file_is_refused(client_for, in_review):
    response = upload(client_for("tpi"), in_review, b"0" * (2 * 1024 * 1024 + 10))
    assert response.status_code == 400
    assert "terlalu besar" in response.content.decode()


def test_a_workbook_without_the_columns_is_refused(client_for, in_review):
    book = openpyxl.Workbook()
    book.active.append(["kode", "nilai"])
    book.active.append([CODE, "Ya"])
    response = upload(client_for("tpi"), in_review, to_bytes(book))
    assert response.status_code == 400
    assert "tidak ditemukan pada baris pertama" in response.content.decode()


def test_a_zip_bomb_is_refused_before_it_is_read(client_for, in_review):
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    response = upload(client_for("tpi"), in_review, out.getvalue())
    assert response.status_code == 400
    assert "terlalu besar setelah dibuka" in response.content.decode()


def test_a_change_made_after_the_preview_is_not_overwritten(
    client_for, world, in_review, other_tpi
):
    from assessments.models import Assignment

    Assignment.objects.create(assessment=in_review, evaluator=other_tpi)
    client = client_for("tpi")
    book = exported_book(client, in_review)
    set_cells(book, {"A.I.1.i.b": {"jawaban_tpi": "A"}})
    html = upload(client, in_review, to_bytes(book)).content.decode()
    payload = re.search(r'name="payload" value="([^"]+)"', html).group(1)
    evaluation.save_evaluator_answers(
        assessment=in_review, changes=[AnswerChange("A.I.1.i.b", "B", "Rekan.", 0)], by=other_tpi
    )
    response = client.post(import_url(in_review), {"payload": payload})
    assert response.status_code == 400
    assert EvaluatorAnswer.objects.get(item__code="A.I.1.i.b").value == "B"


def test_a_forged_payload_is_refused(client_for, in_review):
    response = client_for("tpi").post(import_url(in_review), {"payload": "abc:def"})
    assert response.status_code == 400
    assert "kedaluwarsa atau tidak sah" in response.content.decode()


def test_import_is_only_open_under_review(client_for, submitted):
    client = client_for("tpi")
    html = client.get(import_url(submitted)).content.decode()
    assert "hanya dapat dilakukan saat penilaian berstatus" in html
    assert 'name="berkas"' not in html
