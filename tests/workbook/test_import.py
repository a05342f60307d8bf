"""Reading a filled workbook (our export or the official template), the dry run and the import."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.models import AssessmentEvent, Status
from assessments.services import AnswerConflict, AssessmentError
from assessments.workbook import (
    ImportPreview,
    WorkbookImportRefused,
    apply_import,
    export_workbook,
    preview_import,
    read_workbook,
)
from tests.workbook.conftest import complete_answers, random_answers, store, stored, workbook_bytes

pytestmark = pytest.mark.django_db


def _export(assessment, **kwargs) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(export_workbook(assessment, **kwargs)))


def _engine_form(answers: dict[str, object]) -> dict[str, str]:
    return {code: str(value) for code, value in answers.items()}


# --------------------------------------------------------------------------- round trip


def test_export_then_import_shows_no_change_and_keeps_every_answer(assessment, rulebook, unit_team):
    answers = complete_answers(rulebook, 11)
    notes = {
        "A.I.1.i.a": "SK Tim ZI nomor 12\nbaris kedua",
        "A.II.1.i.a": "catatan persentase",
        "B.I.a": "=catatan",
    }
    store(assessment, answers, notes)
    before = stored(assessment)

    read = read_workbook(export_workbook(assessment), version=assessment.rulebook)
    assert read.errors == [] and read.source == "zi-portal"
    assert read.answers == _engine_form(answers)
    preview = preview_import(assessment, read)
    assert preview.changes == [] and preview.errors == []
    assert preview.unchanged == len(rulebook.plan.specs)
    assert apply_import(assessment=assessment, preview=preview, by=unit_team) == 0
    assert stored(assessment) == before


def test_round_trip_into_an_empty_draft_gives_identical_answers(
    make_assessment, rulebook, unit_team
):
    source = make_assessment(year=2025)
    answers = random_answers(rulebook, 12, partial=0.2)
    store(source, answers, {"A.I.3.i.a": "penjelasan"})
    target = make_assessment(year=2026)

    preview = preview_import(
        target, read_workbook(export_workbook(source), version=target.rulebook)
    )
    assert preview.errors == []
    assert {c.code for c in preview.changes if c.field == "jawaban"} == set(answers)
    assert apply_import(assessment=target, preview=preview, by=unit_team) == len(answers) + (
        "A.I.3.i.a" not in answers
    )
    assert {c: v for c, (v, _n) in stored(target).items() if v} == _engine_form(answers)
    assert stored(target)["A.I.3.i.a"][1] == "penjelasan"
    again = preview_import(target, read_workbook(export_workbook(target), version=target.rulebook))
    assert again.changes == []


def test_apply_writes_revisions_and_one_audit_event(assessment, rulebook, unit_team):
    from assessments.models import Answer

    store(assessment, {"A.I.1.i.a": "Tidak", "A.I.1.i.b": "B"})
    wb = _export(assessment)
    ws = wb["LKE ZI"]
    ws["K8"] = "Ya"
    ws["K9"] = None  # a blank cell clears the answer
    ws["K129"] = 4
    ws["O129"] = "empat agen"
    ws["K202"] = 3.6
    preview = preview_import(
        assessment, read_workbook(workbook_bytes(wb), version=assessment.rulebook)
    )
    assert preview.errors == []
    got = {(c.code, c.field, c.old, c.new, c.cell) for c in preview.changes}
    assert got == {
        ("A.I.1.i.a", "jawaban", "Tidak", "Ya", "K8"),
        ("A.I.1.i.b", "jawaban", "B", "", "K9"),
        ("A.II.1.i.a.1", "jawaban", "", "4", "K129"),
        ("A.II.1.i.a.1", "catatan", "", "empat agen", "O129"),
        ("B.I.a", "jawaban", "", "3.60", "K202"),
    }
    assert preview.changed_items == 4
    assert apply_import(assessment=assessment, preview=preview, by=unit_team) == 4
    rows = {
        a.item.code: a for a in Answer.objects.filter(assessment=assessment).select_related("item")
    }
    assert (rows["A.I.1.i.a"].value, rows["A.I.1.i.a"].revision) == ("Ya", 2)
    assert rows["A.I.1.i.a"].updated_by == unit_team
    assert rows["A.I.1.i.b"].value == "" and rows["B.I.a"].value == "3.60"
    assert (rows["A.II.1.i.a.1"].value, rows["A.II.1.i.a.1"].note) == ("4", "empat agen")
    event = AssessmentEvent.objects.get(assessment=assessment, action="import_workbook")
    assert event.by == unit_team and "4 butir" in event.note


def test_preview_survives_the_session_as_json(assessment, rulebook):
    import json

    wb = _export(assessment)
    wb["LKE ZI"]["K8"] = "Ya"
    preview = preview_import(
        assessment, read_workbook(workbook_bytes(wb), version=assessment.rulebook)
    )
    again = ImportPreview.from_dict(json.loads(json.dumps(preview.as_dict())))
    assert again == preview


# --------------------------------------------------------------------------- official template


def _fill_official(path, answers: dict[str, object], rulebook, notes=None) -> bytes:
    """A copy of the official template filled as a unit would: values typed in column K at the
    rulebook's workbook rows (the template's own formulas and hidden sheets left as they are)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["LKE ZI"]
    rows = {}
    for ind in rulebook.indicators():
        rows[ind.code] = ind.workbook_row
        rows.update((i.code, i.workbook_row) for i in ind.inputs)
    rows.update((h.code, h.workbook_row) for h in rulebook.hasil_indicators())
    for code, value in answers.items():
        ws[f"K{rows[code]}"] = float(value) if isinstance(value, Decimal) else value
    for code, note in (notes or {}).items():
        ws[f"O{rows[code]}"] = note
    return workbook_bytes(wb)


def test_a_filled_official_template_imports_correctly(
    assessment, rulebook, official_path, unit_team
):
    answers = complete_answers(rulebook, 21)
    data = _fill_official(official_path, answers, rulebook, {"A.I.1.i.a": "SK tim"})
    read = read_workbook(SimpleUploadedFile("LKE Unit.xlsx", data), version=assessment.rulebook)
    assert read.errors == [] and read.source == "resmi" and read.filename == "LKE Unit.xlsx"
    assert read.answers == _engine_form(answers)
    preview = preview_import(assessment, read)
    apply_import(assessment=assessment, preview=preview, by=unit_team)
    assert {c: v for c, (v, _n) in stored(assessment).items() if v} == _engine_form(answers)
    assert stored(assessment)["A.I.1.i.a"][1] == "SK tim"


def test_the_official_template_as_received_reads_as_empty_without_errors(assessment, official_path):
    read = read_workbook(official_path, version=assessment.rulebook)
    assert read.errors == [] and read.warnings == [] and read.source == "resmi"
    # blank cells of the official template keep what is saved: nothing to read, nothing to do
    assert read.answers == {}
    preview = preview_import(assessment, read)
    assert preview.changes == [] and preview.errors == []


def test_blank_answer_cells_of_the_official_template_keep_the_saved_answers(
    assessment, rulebook, official_path
):
    """Walkthrough: a unit filling only a few cells of the official template emptied most of
    its LKE (57 of 59 changes were "B -> (kosong)")."""
    from assessments.models import Answer, LkeItem

    item = LkeItem.objects.get(version=assessment.rulebook, code="A.I.1.i.b")
    Answer.objects.create(assessment=assessment, item=item, value="B", note="SK ada")
    read = read_workbook(
        _fill_official(official_path, {"A.I.1.i.a": "Ya"}, rulebook), version=assessment.rulebook
    )
    preview = preview_import(assessment, read)
    assert [(c.code, c.field, c.new) for c in preview.changes] == [("A.I.1.i.a", "jawaban", "Ya")]
    assert preview.cleared_answers == 0


def test_official_template_accepts_what_units_type(assessment, rulebook, official_path):
    answers = {"A.I.1.i.a": " ya ", "A.I.1.i.b": "b", "A.II.1.i.a.1": "12", "B.I.a": "3,6"}
    read = read_workbook(
        _fill_official(official_path, answers, rulebook), version=assessment.rulebook
    )
    assert read.errors == []
    got = {code: read.answers[code] for code in answers}
    assert got == {"A.I.1.i.a": "Ya", "A.I.1.i.b": "B", "A.II.1.i.a.1": "12", "B.I.a": "3.60"}


def test_official_template_typed_lhkasn_total_is_a_warning_not_an_answer(
    assessment, rulebook, official_path
):
    answers = complete_answers(rulebook, 22)
    answers.update({"A.II.5.iii.b.1.1": 2, "A.II.5.iii.b.1.2": 3, "A.II.5.iii.b.1.3": 5})
    wb = openpyxl.load_workbook(io.BytesIO(_fill_official(official_path, answers, rulebook)))
    wb["LKE ZI"]["K185"] = 12  # the slip: a typed total instead of SUM(K186:K188) = 10
    read = read_workbook(workbook_bytes(wb), version=assessment.rulebook)
    assert read.errors == []
    assert [w.cell for w in read.warnings] == ["K185"]
    assert "(12)" in read.warnings[0].message and "(10)" in read.warnings[0].message


def test_official_template_with_a_shifted_row_is_refused_naming_the_cell(
    assessment, rulebook, official_path
):
    wb = openpyxl.load_workbook(official_path)
    wb["LKE ZI"].insert_rows(20)
    read = read_workbook(workbook_bytes(wb), version=assessment.rulebook)
    assert read.answers == {}
    assert read.errors[0].cell in ("J20", "G20")
    assert "Susunan baris tidak sesuai" in read.errors[0].message
    assert len(read.errors) <= 6


def test_official_template_with_another_hidden_sheet_is_refused(assessment, official_path):
    wb = openpyxl.load_workbook(official_path)
    wb.create_sheet("Rahasia").sheet_state = "hidden"
    read = read_workbook(workbook_bytes(wb), version=assessment.rulebook)
    assert len(read.errors) == 1 and "lembar tersembunyi: Rahasia" in read.errors[0].message


# --------------------------------------------------------------------------- bad input


def _read_with(assessment, edit) -> list[str]:
    wb = _export(assessment)
    edit(wb)
    read = read_workbook(workbook_bytes(wb), version=assessment.rulebook)
    preview = preview_import(assessment, read)
    assert preview.errors == read.errors
    return [str(e) for e in read.errors]


def test_invalid_option_names_the_cell_and_the_choices(assessment):
    def edit(wb):
        wb["LKE ZI"]["K9"] = "F"

    errors = _read_with(assessment, edit)
    assert errors == ["K9: butir A.I.1.i.b: jawaban “F” bukan pilihan yang sah (pilihan: A, B, C)."]


def test_bad_counts_and_indices_name_their_cells(assessment):
    def edit(wb):
        ws = wb["LKE ZI"]
        ws["K129"] = -1
        ws["K130"] = 2.5
        ws["K132"] = "1.250"
        ws["K202"] = 4.5
        ws["K205"] = 3.333

    errors = _read_with(assessment, edit)
    assert [e.split(":")[0] for e in errors] == ["K132", "K129", "K130", "K202", "K205"]
    assert "pemisah ribuan" in errors[0]


def test_a_formula_where_a_value_is_expected_is_refused(assessment):
    def edit(wb):
        wb["LKE ZI"]["K8"] = '=IF(1=1,"Ya","Tidak")'
        wb["LKE ZI"]["O9"] = "=K9"

    errors = _read_with(assessment, edit)
    assert errors[0].startswith("K8: butir A.I.1.i.a: berisi rumus")
    assert errors[1].startswith("O9: catatan berisi rumus")


def test_unknown_duplicate_and_missing_codes_are_refused(assessment):
    def edit(wb):
        ws = wb["LKE ZI"]
        ws["A8"] = "A.I.1.i.z"
        ws["A9"] = "A.I.1.ii.a"

    errors = _read_with(assessment, edit)
    assert any(e.startswith("A8: kode 'A.I.1.i.z' tidak dikenal") for e in errors)
    assert any(e.startswith("A11: kode A.I.1.ii.a muncul dua kali") for e in errors)
    assert any("A.I.1.i.a" in e and "tidak ditemukan" in e for e in errors)


def test_another_rulebook_version_is_refused_naming_the_info_cell(assessment):
    def edit(wb):
        wb["Info"]["B4"] = "2019.1"

    errors = _read_with(assessment, edit)
    assert errors == [
        "Info!B4: berkas ini untuk buku aturan permenpanrb-90-2021 versi 2019.1, sedangkan "
        "penilaian ini memakai permenpanrb-90-2021 versi 2021.1. Unduh berkas LKE dari "
        "penilaian ini lalu isi ulang."
    ]


def test_hidden_sheet_in_our_export_is_refused(assessment):
    errors = _read_with(assessment, lambda wb: setattr(wb["Bukti Dukung"], "sheet_state", "hidden"))
    assert errors == [
        "Berkas memuat lembar tersembunyi: Bukti Dukung. Tampilkan (unhide) atau hapus lembar "
        "itu, lalu unggah lagi."
    ]


def test_another_layout_is_refused(assessment):
    def rename(wb):
        wb["LKE ZI"].title = "Lembar1"

    assert "Lembar 'LKE ZI' tidak ditemukan" in _read_with(assessment, rename)[0]

    def header(wb):
        wb["LKE ZI"]["K2"] = "Skor"

    assert _read_with(assessment, header)[0].startswith("K2: kepala kolom seharusnya 'Jawaban'")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"bukan excel sama sekali", "rusak atau bukan berkas xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Excel lama (.xls)"),
        (b"PK\x03\x04" + b"\0" * 200, "rusak atau bukan berkas xlsx"),
    ],
)
def test_corrupted_files_are_refused(assessment, data, words):
    read = read_workbook(data, version=assessment.rulebook)
    assert len(read.errors) == 1 and words in read.errors[0].message and read.answers == {}


def test_a_truncated_workbook_is_refused(assessment):
    data = export_workbook(assessment)
    read = read_workbook(data[: len(data) // 2], version=assessment.rulebook)
    assert len(read.errors) == 1 and "rusak" in read.errors[0].message


def test_a_zip_with_broken_sheet_xml_is_refused(assessment):
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(export_workbook(assessment)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as broken:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 3]
            broken.writestr(info, content)
    read = read_workbook(out.getvalue(), version=assessment.rulebook)
    assert len(read.errors) == 1 and "rusak" in read.errors[0].message


def test_a_zip_bomb_is_refused_before_it_is_opened(assessment, settings):
    import zipfile

    settings.WORKBOOK_MAX_UPLOAD_MB = 1
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("[Content_Types].xml", "<Types/>")
        bomb.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * (8 * 1024 * 1024))
    assert len(out.getvalue()) < 1024 * 1024
    read = read_workbook(out.getvalue(), version=assessment.rulebook)
    assert len(read.errors) == 1 and "tidak wajar" in read.errors[0].message


def test_a_file_over_the_size_limit_is_refused(assessment, settings):
    settings.WORKBOOK_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("besar.xlsx", b"0" * (1024 * 1024 + 1))
    read = read_workbook(big, version=assessment.rulebook)
    assert [str(e) for e in read.errors] == ["Berkas terlalu besar (1,0 MB); paling besar 1 MB."]


# --------------------------------------------------------------------------- apply refusals


def test_nothing_is_written_while_errors_remain(assessment, unit_team):
    wb = _export(assessment)
    wb["LKE ZI"]["K8"] = "Ya"
    wb["LKE ZI"]["K9"] = "F"
    preview = preview_import(
        assessment, read_workbook(workbook_bytes(wb), version=assessment.rulebook)
    )
    assert [c.code for c in preview.changes] == ["A.I.1.i.a"]
    with pytest.raises(WorkbookImportRefused) as refused:
        apply_import(assessment=assessment, preview=preview, by=unit_team)
    assert isinstance(refused.value, AssessmentError) and "1 kesalahan" in refused.value.message
    assert stored(assessment) == {}
    assert not AssessmentEvent.objects.filter(action="import_workbook").exists()


def test_a_submitted_assessment_is_not_imported_into(make_assessment, unit_team):
    assessment = make_assessment(status=Status.SUBMITTED)
    wb = _export(assessment)
    wb["LKE ZI"]["K8"] = "Ya"
    preview = preview_import(
        assessment, read_workbook(workbook_bytes(wb), version=assessment.rulebook)
    )
    assert "impor hanya untuk LKE berstatus draf" in preview.errors[0].message
    with pytest.raises(WorkbookImportRefused):
        apply_import(assessment=assessment, preview=preview, by=unit_team)


def test_only_the_unit_team_can_apply(assessment, world):
    wb = _export(assessment)
    wb["LKE ZI"]["K8"] = "Ya"
    preview = preview_import(
        assessment, read_workbook(workbook_bytes(wb), version=assessment.rulebook)
    )
    for persona in ("other_unit_team", "tpi", "operator", "pimpinan_unit"):
        with pytest.raises(PermissionDenied):
            apply_import(assessment=assessment, preview=preview, by=world.users[persona])
    assert stored(assessment) == {}


def test_a_change_made_after_the_preview_is_not_overwritten(assessment, unit_team, world):
    from assessments.services import AnswerChange, save_answers

    store(assessment, {"A.I.1.i.a": "Tidak"})
    wb = _export(assessment)
    wb["LKE ZI"]["K8"] = "Ya"
    wb["LKE ZI"]["K9"] = "A"
    preview = preview_import(
        assessment, read_workbook(workbook_bytes(wb), version=assessment.rulebook)
    )
    save_answers(
        assessment=assessment, changes=[AnswerChange("A.I.1.i.a", "", "dihapus", 1)], by=unit_team
    )
    with pytest.raises(AnswerConflict):
        apply_import(assessment=assessment, preview=preview, by=unit_team)
    assert stored(assessment) == {"A.I.1.i.a": ("", "dihapus")}


def test_a_preview_of_another_assessment_is_refused(make_assessment, unit_team):
    one, other = make_assessment(year=2025), make_assessment(year=2026)
    wb = _export(one)
    wb["LKE ZI"]["K8"] = "Ya"
    preview = preview_import(one, read_workbook(workbook_bytes(wb), version=one.rulebook))
    with pytest.raises(WorkbookImportRefused):
        apply_import(assessment=other, preview=preview, by=unit_team)


def test_a_count_over_the_services_maximum_is_an_error(assessment):
    def edit(wb):
        wb["LKE ZI"]["K129"] = 10**12

    errors = _read_with(assessment, edit)
    assert errors[0].startswith("K129: butir A.II.1.i.a.1: jumlah terlalu besar")


# --------------------------------------------------------------------------- QA walkthrough


def test_a_blank_note_in_the_official_template_keeps_the_saved_note(
    assessment, rulebook, official_path, unit_team
):
    notes = {"A.I.1.i.a": "SK tim lama", "A.I.1.i.b": "catatan lama", "B.I.a": "survei lama"}
    store(assessment, {"A.I.1.i.a": "Tidak"}, notes)
    data = _fill_official(
        official_path, {"A.I.1.i.a": "Ya"}, rulebook, {"A.I.1.i.b": "catatan baru"}
    )
    read = read_workbook(data, version=assessment.rulebook)
    assert read.errors == [] and read.notes == {"A.I.1.i.b": "catatan baru"}
    preview = preview_import(assessment, read)
    got = {(c.code, c.field, c.old, c.new) for c in preview.changes}
    assert got == {
        ("A.I.1.i.a", "jawaban", "Tidak", "Ya"),
        ("A.I.1.i.b", "catatan", "catatan lama", "catatan baru"),
    }
    assert preview.cleared_notes == 0
    apply_import(assessment=assessment, preview=preview, by=unit_team)
    after = stored(assessment)
    assert after["A.I.1.i.a"] == ("Ya", "SK tim lama")
    assert after["A.I.1.i.b"][1] == "catatan baru" and after["B.I.a"][1] == "survei lama"


def test_a_blank_note_in_our_export_clears_it_and_the_preview_counts_the_clears(assessment):
    store(assessment, {}, {"A.I.1.i.a": "satu", "A.I.1.i.b": "dua", "B.I.a": "tiga"})
    wb = _export(assessment)
    wb["LKE ZI"]["O8"] = None
    wb["LKE ZI"]["O9"] = None
    preview = preview_import(
        assessment, read_workbook(workbook_bytes(wb), version=assessment.rulebook)
    )
    assert {(c.code, c.field, c.new) for c in preview.changes} == {
        ("A.I.1.i.a", "catatan", ""),
        ("A.I.1.i.b", "catatan", ""),
    }
    assert preview.cleared_notes == 2


def test_a_workbook_of_another_unit_must_be_confirmed(make_assessment, world, unit_team):
    sibling = make_assessment(unit=world.other_unit, year=2025)
    store(sibling, {"A.I.1.i.a": "Ya"})
    target = make_assessment()
    preview = preview_import(
        target, read_workbook(export_workbook(sibling), version=target.rulebook)
    )
    assert preview.errors == [] and preview.origin_differs == "unit"
    assert preview.needs_confirmation
    assert preview.origin_unit == "Unit Dua (U2)"
    assert preview.origin["year"] == "2025" and preview.origin["assessment_id"] == str(sibling.pk)
    with pytest.raises(WorkbookImportRefused) as refused:
        apply_import(assessment=target, preview=preview, by=unit_team)
    assert "unit kerja lain (unit kerja Unit Dua (U2) tahun 2025" in refused.value.message
    assert stored(target) == {}
    assert apply_import(assessment=target, preview=preview, by=unit_team, confirm_origin=True) == 1
    assert stored(target) == {"A.I.1.i.a": ("Ya", "")}
    event = AssessmentEvent.objects.get(assessment=target, action="import_workbook")
    assert "Unit Dua (U2) tahun 2025" in event.note


def test_the_origin_of_the_file_is_compared_with_the_target(make_assessment, unit_team):
    one, last_year = make_assessment(), make_assessment(year=2025)
    own = preview_import(one, read_workbook(export_workbook(one), version=one.rulebook))
    assert own.origin_differs == "" and not own.needs_confirmation
    store(last_year, {"A.I.1.i.a": "Ya"})
    carried = preview_import(one, read_workbook(export_workbook(last_year), version=one.rulebook))
    assert carried.origin_differs == "penilaian" and not carried.needs_confirmation
    assert apply_import(assessment=one, preview=carried, by=unit_team) == 1


def test_a_count_above_its_denominator_is_a_warning_not_an_error(assessment):
    wb = _export(assessment)
    ws = wb["LKE ZI"]
    ws["K129"] = 4  # A.II.1.i.a.1: the denominator
    ws["K130"] = 9  # A.II.1.i.a.2: the numerator
    ws["K132"] = 0  # A.II.1.i.b.1: a zero denominator
    ws["K133"] = 0
    preview = preview_import(
        assessment, read_workbook(workbook_bytes(wb), version=assessment.rulebook)
    )
    assert preview.errors == [] and preview.can_apply
    warnings = {w.cell: w.message for w in preview.warnings}
    assert set(warnings) == {"K128", "K131"}
    assert "pembilang (9) melebihi penyebut (4); nilai dibatasi 100%" in warnings["K128"]
    assert warnings["K128"].startswith("A.II.1.i.a:")
    assert "pembagi (penyebut) 0" in warnings["K131"]


def test_no_capped_warning_for_counts_the_file_does_not_change(assessment):
    store(assessment, {"A.II.1.i.a.1": 4, "A.II.1.i.a.2": 9})
    wb = _export(assessment)
    wb["LKE ZI"]["K8"] = "Ya"
    preview = preview_import(
        assessment, read_workbook(workbook_bytes(wb), version=assessment.rulebook)
    )
    assert preview.warnings == []


def test_index_values_are_shown_with_a_decimal_comma(assessment):
    store(assessment, {"B.I.a": "3.70"})
    wb = _export(assessment)
    wb["LKE ZI"]["K202"] = "3,65"
    wb["LKE ZI"]["K129"] = 1250
    preview = preview_import(
        assessment, read_workbook(workbook_bytes(wb), version=assessment.rulebook)
    )
    shown = {c.code: (c.old_shown, c.new_shown) for c in preview.changes}
    assert shown["B.I.a"] == ("3,70", "3,65")
    assert shown["A.II.1.i.a.1"] == ("", "1250")


def _zero_height(data: bytes, row: int) -> bytes:
    """The row dragged to zero height (openpyxl does not write a height of 0 itself)."""
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(
                    rb'<row r="%d"[^>]*?(/?)>' % row,
                    rb'<row r="%d" ht="0" customHeight="1"\1>' % row,
                    content,
                )
            copy.writestr(info, content)
    return out.getvalue()


def test_hidden_rows_that_change_something_are_named_in_a_warning(assessment):
    wb = _export(assessment)
    ws = wb["LKE ZI"]
    ws["K8"] = "Ya"
    ws.row_dimensions[8].hidden = True
    ws.row_dimensions[10].hidden = True  # hidden, but changes nothing
    ws["O129"] = "catatan tersembunyi"
    read = read_workbook(_zero_height(workbook_bytes(wb), 129), version=assessment.rulebook)
    assert read.hidden_rows == [8, 10, 129]
    preview = preview_import(assessment, read)
    assert preview.errors == []
    assert [w.message for w in preview.warnings] == [
        "Baris tersembunyi mengubah isian: baris 8 (butir A.I.1.i.a), baris 129 (butir "
        "A.II.1.i.a.1). Tampilkan (unhide) baris itu di Excel dan periksa isinya sebelum "
        "menerapkan impor."
    ]


def test_a_zip_bomb_under_the_size_limit_names_its_compression_ratio(assessment, settings):
    import zipfile

    settings.WORKBOOK_MAX_UPLOAD_MB = 1
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("[Content_Types].xml", "<Types/>")
        bomb.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * (3 * 1024 * 1024))
    read = read_workbook(out.getvalue(), version=assessment.rulebook)
    message = read.errors[0].message
    assert message.startswith("Isi berkas tidak wajar: bagian xl/worksheets/sheet1.xml membesar ")
    assert "kali saat dibuka" in message and "menjadi 3,0 MB" in message
    assert "kurang dari 25 kali" in message and "zip bomb" in message
    assert "paling besar" not in message


def test_a_broken_sheet_is_named_without_a_python_class_name(assessment):
    import zipfile

    def broken(part: str) -> bytes:
        source = zipfile.ZipFile(io.BytesIO(export_workbook(assessment)))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
            for info in source.infolist():
                content = source.read(info)
                copy.writestr(
                    info, content[: len(content) // 3] if info.filename == part else content
                )
        return out.getvalue()

    sheet = read_workbook(broken("xl/worksheets/sheet1.xml"), version=assessment.rulebook)
    assert [e.message for e in sheet.errors] == [
        "Berkas Excel rusak dan tidak dapat dibaca: lembar 'LKE ZI' tidak utuh. Buka berkas di "
        "Excel atau LibreOffice, simpan ulang sebagai .xlsx, lalu unggah lagi."
    ]
    book = read_workbook(broken("xl/workbook.xml"), version=assessment.rulebook)
    assert len(book.errors) == 1
    assert "bagian xl/workbook.xml tidak utuh" in book.errors[0].message
    assert "Error" not in book.errors[0].message
