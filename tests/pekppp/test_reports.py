"""Reports: the ULE and instansi PDFs, the xlsx export, the overview, the PDF/chart helpers."""

from __future__ import annotations

import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from pekppp import reports, services
from tests.pekppp.conftest import f03_answers
from zi_portal.lib import charts, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(pekppp, score_all, world):
    evaluator = world.users["evaluator_assigned"]
    score_all(pekppp.ule, dict.fromkeys(pekppp.indicators, 4) | {"1.a.Ak": 0}, evaluator)
    services.add_recommendation(
        ule=pekppp.ule,
        indicator=pekppp.indicators["1.a.Ak"],
        text="Susun dan tetapkan SP",
        by=evaluator,
    )
    for _ in range(10):
        services.submit_f03(ule=pekppp.ule, raw=f03_answers(pekppp.instrument, 3))
    services.finalize_f02(ule=pekppp.ule, by=evaluator)
    pekppp.ule.refresh_from_db()
    return pekppp.ule


def _text(data: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext (poppler-utils) is required: apt-get install poppler-utils")
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_ule_report_context_holds_the_engine_figures(scored):
    ctx = reports.build_ule_report_context(scored)
    assert ctx["final"] and ctx["unit"] == "Unit Satu" and ctx["scope"] == "Administratif"
    assert ctx["figures"].ipp == Decimal("3.8368") and ctx["figures"].band == "B"
    assert [a.code for a in ctx["aspects"]] == ["I", "II", "III", "IV", "V", "VI"]
    assert ctx["aspects"][0].score == Decimal("3.32")
    first = ctx["indicators"][0]
    assert (first["code"], first["score"], first["rubric"]) == (
        "1.a.Ak",
        0,
        "Tidak tersedia Standar Pelayanan.",
    )
    assert ctx["f03"]["count"] == 10 and ctx["f03"]["mean"] == Decimal(3)
    assert ctx["recommendations"][0]["text"] == "Susun dan tetapkan SP"
    assert ctx["chart"].startswith("<svg") and "DejaVu Sans" in ctx["chart"]


def test_pimpinan_downloads_the_ule_pdf(scored, client_for):
    response = client_for("pimpinan").get(reverse("pekppp:ule_pdf", args=[scored.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="pekppp-2026-u1.pdf"')
    text = _text(response.content)
    for expected in (
        "Laporan Hasil PEKPPP Mandiri 2026",
        "Unit Satu",
        "3,84",
        "Baik",
        "Susun dan tetapkan SP",
        "1.a.Ak",
        "3,32",
        "Rata-rata survei pengguna layanan (F-03): 3,00",
    ):
        assert expected in text, expected


def test_draft_pdf_is_marked_provisional(pekppp, client_for):
    response = client_for("evaluator_assigned").get(reverse("pekppp:ule_pdf", args=[pekppp.ule.pk]))
    assert "SEMENTARA" in _text(response.content)


def test_instansi_report_lists_every_ule_with_ipp_and_band(scored, client_for):
    response = client_for("pimpinan").get(reverse("pekppp:period_pdf", args=[scored.period.pk]))
    text = _text(response.content)
    assert "Unit Satu" in text and "Unit Dua" in text and "3,84" in text and "B · Baik" in text
    assert "Pelayanan Prima" in text  # the band table


def test_xlsx_has_every_score(scored, client_for):
    response = client_for("operator").get(reverse("pekppp:period_xlsx", args=[scored.period.pk]))
    wb = load_workbook(io.BytesIO(response.content))
    summary = wb["Ringkasan"]
    header = [c.value for c in summary[1]]
    row = dict(zip(header, [c.value for c in summary[2]], strict=True))
    assert row["Unit kerja"] == "Unit Satu" and row["IPP (F-02)"] == pytest.approx(3.8368)
    assert row["Kategori"] == "B" and row["Responden F-03"] == 10
    indicators = wb["Nilai indikator"]
    assert indicators.max_row == 1 + 30 * 2
    assert wb["F-03"].max_row == 1 + 10


def test_pra_evaluasi_export(pekppp, client_for, world):
    services.save_pra_evaluasi(
        ule=pekppp.ule,
        data={
            "service_types": "Legalisir",
            "service_types_count": 1,
            "users_per_year": 10,
            "staff_count": 2,
            "service_hours": "08-16",
            "address": "Jl. Uji",
            "contact": "Kasubbag",
            "has_standar_pelayanan": True,
            "has_maklumat": False,
            "skm_last_year": True,
            "has_complaint_channel": True,
            "has_online_service": False,
            "has_vulnerable_facilities": False,
            "has_innovation": False,
            "main_problems": "Antrean",
            "improvement_plans": "",
        },
        by=world.users["unit_team"],
    )
    response = client_for("evaluator_unassigned").get(
        reverse("pekppp:pra_xlsx", args=[pekppp.period.pk])
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    assert (
        ws["A2"].value == "Unit Satu"
        and "Ya" in [c.value for c in ws[2]]
        and "Antrean" in [c.value for c in ws[2]]
    )


def test_pra_evaluasi_form_refuses_negative_numbers(pekppp, client_for):
    response = client_for("unit_team").post(
        reverse("pekppp:pra_evaluasi", args=[pekppp.ule.pk]),
        {"service_types_count": "-2", "users_per_year": "x"},
    )
    html = response.content.decode()
    assert response.status_code == 400 and "belum ada yang disimpan" in html
    assert "Pilih Ya atau Tidak." in html and "bilangan bulat" in html


def test_overview_shows_each_ule_and_the_chart(scored, client_for):
    html = client_for("pimpinan").get(reverse("pekppp:overview")).content.decode()
    assert "Unit Satu" in html and ">3,84<" in html and "<svg" in html
    assert "Status tindak lanjut rekomendasi" in html


# --------------------------------------------------------------------------- helpers


def test_pdf_fetcher_allows_static_and_data_only(settings):
    content, mime = pdf.fetch_allowed(pdf.BASE_URL + "static/css/portal.css")
    assert b"ZI Portal" in content and mime == "text/css"
    for url in (
        "http://127.0.0.1:8000/admin/",
        "file:///etc/passwd",
        pdf.BASE_URL + "static/../../zi_portal/settings.py",
        pdf.BASE_URL + "static/%2e%2e/%2e%2e/zi_portal/settings.py",
        pdf.BASE_URL + "media-private/evidence/x.pdf",
        "https://example.com/static/css/portal.css",
    ):
        with pytest.raises(pdf.BlockedURL):
            pdf.fetch_allowed(url)


def test_render_pdf_does_not_fetch_remote_images(settings, tmp_path):
    from django.template import engines

    template = tmp_path / "t.html"
    template.write_text(
        '<html><body><h1>Uji</h1><img src="http://169.254.169.254/latest/meta-data">'
        '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=="></body></html>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    engines._templates = None
    engines.__dict__.pop("templates", None)
    data = pdf.render_pdf("t.html", {})
    assert data.startswith(b"%PDF") and "Uji" in _text(data)


def test_bar_chart_escapes_labels_and_scales():
    svg = charts.horizontal_bar_chart(
        [charts.Bar("<script>alert(1)</script>", Decimal("2.5")), charts.Bar("Kosong", None)],
        max_value=5,
        value_format=lambda v: str(v).replace(".", ","),
        width=400,
        label_width=100,
        value_width=50,
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'width="125.0"' in svg  # 2.5 / 5 of the 250 px plot
    assert "—" in svg and "2,5" in svg


def test_stacked_bar_counts():
    svg = charts.stacked_bar([("Belum", 2, "#f00"), ("Selesai", 0, "#0f0")], title="Status")
    assert "Belum (2)" in svg and "Selesai (0)" in svg
