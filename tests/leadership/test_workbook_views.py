"""The LKE workbook views: download, upload -> dry-run preview (kept in the session) -> apply."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Answer, AssessmentEvent, Status
from assessments.workbook import export_workbook
from tests.assessments.conftest import fill, support_with_evidence

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(content: bytes, name: str = "lke.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


def _answers(assessment) -> dict[str, str]:
    return dict(Answer.objects.filter(assessment=assessment).values_list("item__code", "value"))


def test_export_downloads_the_workbook_with_evidence_links(client_for, filled):
    support_with_evidence(filled, ["A.I.1.i.a"])
    response = client_for("pimpinan").get(reverse("leadership:workbook_export", args=[filled.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["X-Content-Type-Options"] == "nosniff"
    assert 'filename="LKE-ZI_U1_2026_WBK.xlsx"' in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "LKE ZI" in book.sheetnames
    links = book["Bukti Dukung"]
    cells = [str(c.value) for row in links.iter_rows() for c in row if c.value]
    assert any("http://testserver/bukti/" in c for c in cells)


def test_upload_previews_every_change_then_applies_on_confirmation(
    client_for, make_assessment, world
):
    source = make_assessment(year=2025)
    fill(source, evidence=False)
    target = make_assessment()
    client = client_for("unit_team")
    url = reverse("leadership:workbook_import", args=[target.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, {"berkas": _upload(export_workbook(source))})
    assert response.status_code == 302
    assert response["Location"] == reverse("leadership:workbook_preview", args=[target.pk])
    assert Answer.objects.filter(assessment=target).count() == 0  # nothing written yet

    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert preview.status_code == 200
    changes = _answers(source)
    assert html.count("<tr><td><strong>") >= len(changes)
    assert "A.I.1.i.a" in html and 'data-testid="apply-import"' in html

    applied = client.post(reverse("leadership:workbook_apply", args=[target.pk]))
    assert applied.status_code == 302
    assert applied["Location"] == reverse("assessments:detail", args=[target.pk])
    assert _answers(target) == changes
    assert AssessmentEvent.objects.filter(assessment=target, action="import_workbook").count() == 1
    # The preview is used once.
    again = client.post(reverse("leadership:workbook_apply", args=[target.pk]))
    assert again.status_code == 302 and again["Location"].endswith("/impor-lke/")


def test_a_bad_file_shows_its_errors_and_cannot_be_applied(client_for, filled):
    client = client_for("unit_team")
    before = _answers(filled)
    url = reverse("leadership:workbook_import", args=[filled.pk])
    client.post(url, {"berkas": _upload(b"this is not a spreadsheet", "lke.xlsx")})
    page = client.get(reverse("leadership:workbook_preview", args=[filled.pk]))
    html = page.content.decode()
    assert 'data-testid="preview-errors"' in html
    assert 'data-testid="apply-import"' not in html
    response = client.post(reverse("leadership:workbook_apply", args=[filled.pk]), follow=True)
    assert "Impor dibatalkan" in response.content.decode()
    assert _answers(filled) == before


def test_an_invalid_option_is_named_by_its_cell(client_for, filled):
    book = openpyxl.load_workbook(io.BytesIO(export_workbook(filled)))
    sheet = book["LKE ZI"]
    cell = next(
        f"K{row[0].row}"
        for row in sheet.iter_rows(min_col=1, max_col=1)
        if row[0].value == "A.I.1.i.a"
    )
    sheet[cell] = "Mungkin"
    out = io.BytesIO()
    book.save(out)
    client = client_for("unit_team")
    client.post(
        reverse("leadership:workbook_import", args=[filled.pk]), {"berkas": _upload(out.getvalue())}
    )
    html = client.get(reverse("leadership:workbook_preview", args=[filled.pk])).content.decode()
    assert cell in html and "Mungkin" in html


def test_a_submitted_assessment_offers_no_upload(client_for, filled):
    filled.status = Status.SUBMITTED
    filled.save(update_fields=["status"])
    client = client_for("unit_team")
    url = reverse("leadership:workbook_import", args=[filled.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="workbook-locked"' in page.content.decode()
    response = client.post(url, {"berkas": _upload(export_workbook(filled))})
    assert response.status_code == 200  # the page again, no preview stored
    assert f"lke-import-{filled.pk}" not in client.session


def test_cancel_drops_the_preview(client_for, make_assessment, filled):
    client = client_for("unit_team")
    target = make_assessment(year=2025)
    client.post(
        reverse("leadership:workbook_import", args=[target.pk]),
        {"berkas": _upload(export_workbook(filled))},
    )
    assert f"lke-import-{target.pk}" in client.session
    client.post(reverse("leadership:workbook_cancel", args=[target.pk]))
    assert f"lke-import-{target.pk}" not in client.session
    assert _answers(target) == {}


def test_lke_page_links_include_offers_reports_and_import_to_the_unit_team(filled):
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    def render(can_fill: bool, roles: set[str]) -> str:
        return render_to_string(
            "assessments/leadership/_lke_links.html",
            {
                "assessment": filled,
                "perms": SimpleNamespace(can_fill=can_fill),
                "nav": {"roles": roles, "is_leadership": "pimpinan_instansi" in roles},
            },
        )

    team = render(True, {"tim_unit"})
    assert reverse("leadership:report_pdf", args=[filled.pk]) in team
    assert reverse("leadership:workbook_export", args=[filled.pk]) in team
    assert reverse("leadership:workbook_import", args=[filled.pk]) in team
    detail = f'href="{reverse("leadership:assessment", args=[filled.pk])}"'
    assert detail not in team
    leader = render(False, {"pimpinan_instansi"})
    assert reverse("leadership:workbook_import", args=[filled.pk]) not in leader
    assert detail in leader
