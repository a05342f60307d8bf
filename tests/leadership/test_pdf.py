"""PDF smoke tests: the readiness report and the instansi summary, read back with pdftotext."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.reporting import id_number
from assessments.results import lke_state
from tests.assessments.conftest import fill
from tests.leadership.conftest import add_evidence, finalise, pdf_text, tpi_answer

pytestmark = pytest.mark.django_db


def _download(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"%PDF")
    return response


def test_live_report_shows_the_verdict_figures_and_is_marked_provisional(client_for, filled, world):
    add_evidence(filled, 3, statuses=("diterima", "perlu_perbaikan"))
    state = lke_state(filled)
    response = _download(client_for("pimpinan"), reverse("leadership:report_pdf", args=[filled.pk]))
    assert "laporan-zi-u1-2026-wbk.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "Laporan Kesiapan Zona Integritas" in text
    assert "Unit Satu" in text and "Instansi Uji" in text
    assert id_number(state.result.total) in text
    assert id_number(state.result.pengungkit) in text
    assert "MEMENUHI syarat Menuju WBK" in text
    assert "SEMENTARA" in text and "Kode verifikasi" not in text
    assert "75,00" in text and "85,00" in text  # the minima, from the rulebook
    assert "Dokumen bukti 001" in text and "Perlu perbaikan" in text
    assert "Kepala Unit Satu" in text and "Ketua Tim Penilai Internal" in text
    assert "Halaman 1 /" in text
    for area in state.rulebook.areas:
        assert area.name in text


def test_incomplete_report_says_not_yet_meeting(client_for, make_assessment):
    assessment = make_assessment()
    fill(assessment, skip={"A.I.1.i.a"}, rank=1, evidence=False)
    text = pdf_text(
        _download(
            client_for("unit_team"), reverse("leadership:report_pdf", args=[assessment.pk])
        ).content
    )
    assert "BELUM MEMENUHI syarat Menuju WBK" in text
    assert "belum diisi" in text


def test_final_report_carries_tpi_figures_and_the_verification_code(client_for, filled, world):
    tpi_answer(filled, {"A.I.1.i.a": ("Tidak", "SK tim belum ditandatangani.")})
    snapshot = finalise(filled, by=world.users["tpi"], code="KM7P2XQ9RT4W")
    tpi_total = snapshot.content["tpi"]["result"]["total"].replace(".", ",")
    text = pdf_text(
        _download(
            client_for("pimpinan"), reverse("leadership:report_pdf", args=[filled.pk])
        ).content
    )
    assert "Kode verifikasi: KM7P2XQ9RT4W" in text
    assert "/verifikasi/KM7P2XQ9RT4W/" in text
    assert snapshot.content_sha256 in text
    assert tpi_total in text
    assert "SK tim belum ditandatangani." in text
    assert "Siap diusulkan." in text
    assert "SEMENTARA" not in text


def test_instansi_summary_lists_every_unit_with_its_totals(client_for, world, make_assessment):
    strong = make_assessment()
    fill(strong, evidence=False)
    weak = make_assessment(unit=world.other_unit)
    fill(weak, rank=2, evidence=False)
    url = reverse("leadership:summary_pdf", args=[world.instansi.pk, 2026])
    response = _download(client_for("pimpinan"), url)
    text = pdf_text(response.content)
    assert "Ringkasan Kesiapan Zona Integritas" in text
    assert "Unit Satu" in text and "Unit Dua" in text
    assert id_number(lke_state(strong).result.total) in text
    assert id_number(lke_state(weak).result.total) in text
    assert "Minimum Menuju WBK (75)" in text
    assert "Pimpinan Instansi Uji" in text


def test_the_report_is_in_indonesian_even_for_an_english_session(client_for, filled):
    client = client_for("pimpinan")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    text = pdf_text(_download(client, reverse("leadership:report_pdf", args=[filled.pk])).content)
    assert "Laporan Kesiapan Zona Integritas" in text and "Ringkasan nilai" in text
