"""The workbook pages: upload -> preview (warnings, another unit's file) -> apply (conflicts)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.workbook import export_workbook
from tests.workbook.conftest import store, stored, workbook_bytes

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(client, assessment, content: bytes):
    return client.post(
        reverse("leadership:workbook_import", args=[assessment.pk]),
        {"berkas": SimpleUploadedFile("lke.xlsx", content, content_type=XLSX)},
    )


def _preview_html(client, assessment) -> str:
    response = client.get(reverse("leadership:workbook_preview", args=[assessment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _edited(assessment, cells: dict[str, object]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(export_workbook(assessment)))
    for ref, value in cells.items():
        wb["LKE ZI"][ref] = value
    return workbook_bytes(wb)


# --------------------------------------------------------------------------- upload and preview


def test_the_upload_page_states_the_size_limit(client_for, assessment, settings):
    settings.WORKBOOK_MAX_UPLOAD_MB = 7
    url = reverse("leadership:workbook_import", args=[assessment.pk])
    html = client_for("unit_team").get(url).content.decode()
    assert "Ukuran berkas paling besar 7 MB." in html


def test_the_preview_shows_index_values_with_a_decimal_comma(client_for, assessment):
    store(assessment, {"B.I.a": "3.70"})
    client = client_for("unit_team")
    _upload(client, assessment, _edited(assessment, {"K202": "3,65"}))
    html = _preview_html(client, assessment)
    assert "3,70" in html and "3,65" in html
    assert "3.70" not in html and "3.65" not in html


def test_the_preview_counts_the_notes_it_would_clear(client_for, assessment):
    store(assessment, {}, {"A.I.1.i.a": "satu", "A.I.1.i.b": "dua"})
    client = client_for("unit_team")
    _upload(client, assessment, _edited(assessment, {"O8": None, "O9": None}))
    html = _preview_html(client, assessment)
    assert 'data-testid="preview-cleared-notes"' in html
    assert "2 penjelasan akan dikosongkan" in html


def test_the_preview_warns_about_a_capped_count_and_a_hidden_row(client_for, assessment):
    wb = openpyxl.load_workbook(io.BytesIO(export_workbook(assessment)))
    ws = wb["LKE ZI"]
    ws["K129"], ws["K130"] = 4, 9
    ws.row_dimensions[130].hidden = True
    client = client_for("unit_team")
    _upload(client, assessment, workbook_bytes(wb))
    html = _preview_html(client, assessment)
    assert 'data-testid="preview-warnings"' in html and 'data-testid="apply-import"' in html
    assert "pembilang (9) melebihi penyebut (4); nilai dibatasi 100%" in html
    assert "baris 130 (butir A.II.1.i.a.2)" in html


# --------------------------------------------------------------------------- another unit's file


def test_another_units_workbook_is_shown_prominently_and_needs_a_confirmation(
    client_for, make_assessment, world
):
    sibling = make_assessment(unit=world.other_unit, year=2025)
    store(sibling, {"A.I.1.i.a": "Ya"})
    target = make_assessment()
    client = client_for("unit_team")
    _upload(client, target, export_workbook(sibling))
    html = _preview_html(client, target)
    assert 'data-testid="preview-origin"' in html and 'data-testid="confirm-origin"' in html
    assert "Unit Dua (U2)</strong> tahun <strong>2025</strong>" in html
    assert f"(ID penilaian {sibling.pk})" in html
    assert "Unit Satu (U1)</strong> tahun <strong>2026</strong>" in html

    apply_url = reverse("leadership:workbook_apply", args=[target.pk])
    refused = client.post(apply_url, follow=True)
    assert "Centang konfirmasi" in refused.content.decode()
    assert stored(target) == {}
    applied = client.post(apply_url, {"confirm_origin": "1"})
    assert applied["Location"] == reverse("assessments:detail", args=[target.pk])
    assert stored(target) == {"A.I.1.i.a": ("Ya", "")}


def test_the_units_own_workbook_shows_no_origin_warning(client_for, assessment):
    client = client_for("unit_team")
    _upload(client, assessment, _edited(assessment, {"K8": "Ya"}))
    html = _preview_html(client, assessment)
    assert 'data-testid="preview-origin"' not in html and "confirm_origin" not in html


# --------------------------------------------------------------------------- conflicts


def test_a_conflict_drops_the_stale_preview_and_names_the_changed_items(
    client_for, assessment, world
):
    from assessments.services import AnswerChange, save_answers

    store(assessment, {"A.I.1.i.a": "Tidak", "A.I.1.i.b": "A"})
    client = client_for("unit_team")
    _upload(client, assessment, _edited(assessment, {"K8": "Ya", "K9": "B"}))
    other = world.users["unit_team"]
    other.first_name, other.last_name = "Budi", "Santoso"
    other.save()
    save_answers(
        assessment=assessment,
        changes=[AnswerChange("A.I.1.i.a", "", "dihapus", 1)],
        by=other,
    )

    apply_url = reverse("leadership:workbook_apply", args=[assessment.pk])
    response = client.post(apply_url)
    assert response["Location"] == reverse("leadership:workbook_import", args=[assessment.pk])
    assert f"lke-import-{assessment.pk}" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "A.I.1.i.a oleh Budi Santoso pada " in page
    assert "unggah berkasnya lagi" in page
    assert stored(assessment)["A.I.1.i.a"] == ("", "dihapus")
    # No loop: the old preview is gone, pressing Terapkan again asks for the file.
    again = client.post(apply_url)
    assert again["Location"] == reverse("leadership:workbook_import", args=[assessment.pk])
    # A fresh upload compares with the latest answers.
    _upload(client, assessment, _edited(assessment, {"K8": "Ya"}))
    fresh = client.session[f"lke-import-{assessment.pk}"]
    assert [c[:5] for c in fresh["changes"]] == [
        ["A.I.1.i.a", fresh["changes"][0][1], "jawaban", "", "Ya"]
    ]


def test_a_long_list_of_conflicts_is_shortened():
    from assessments.leadership_views import _conflict_message
    from assessments.services import AnswerConflict, Conflict

    text = _conflict_message(
        AnswerConflict([Conflict(f"A.{i}", "Budi", None, "", "") for i in range(12)])
    )
    assert "A.0 oleh Budi pada —; A.1 oleh Budi" in text and "A.9 oleh Budi pada —" in text
    assert "A.10" not in text and "dan 2 butir lainnya" in text
