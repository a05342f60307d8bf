"""Leadership in the browser: pimpinan opens the readiness dashboard, filters it, downloads a
unit's readiness report and the instansi summary, and checks a printed code publicly."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def _text(data: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext (poppler-utils) is required: apt-get install poppler-utils")
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


@pytest.fixture
def leadership_demo(demo):
    """The demo LKEs (BAAK half-filled draft, BAUK complete and sent), with BAUK evaluated and
    finalised by the TPI through the services."""
    from assessments import evaluation
    from assessments.demo import seed
    from assessments.models import Assessment
    from assessments.results import lke_state
    from assessments.rulebooks import load_rulebooks
    from assessments.services import AnswerChange

    load_rulebooks()
    seed(demo)
    tpi = demo["users"]["tpi"]
    bauk = Assessment.objects.get(unit__code="BAUK", year=2026)
    evaluation.open_review(assessment=bauk, by=tpi)
    bauk.refresh_from_db()
    # The demo TPI evaluated the first two areas; it agrees with the unit on the rest.
    done = evaluation.tpi_state(bauk, refresh=True).rows
    evaluation.save_evaluator_answers(
        assessment=bauk,
        changes=[
            AnswerChange(code, row.value, None, 0)
            for code, row in lke_state(bauk, refresh=True).rows.items()
            if row.value and code not in done
        ],
        by=tpi,
    )
    snapshot = evaluation.finalise_assessment(assessment=bauk, by=tpi, note="Siap diusulkan.")
    return {**demo, "bauk": bauk, "snapshot": snapshot}


def test_pimpinan_filters_the_dashboard_and_downloads_both_reports(
    page, live_server, leadership_demo, login
):
    base = live_server.url
    snapshot = leadership_demo["snapshot"]
    login("pimpinan")
    page.get_by_test_id("nav-leadership").click()
    expect(page.locator("h1")).to_contain_text("Dasbor kesiapan Zona Integritas")
    rows = page.get_by_test_id("board-row")
    expect(rows).to_have_count(3)  # BAAK, BAUK and UPT-TIK (no assessment yet)
    expect(page.get_by_test_id("totals-chart").locator("svg")).to_be_visible()
    expect(page.get_by_test_id("tab-pekppp")).to_have_attribute(
        "href", "/pekppp/ringkasan/?year=2026"
    )

    # Filter: the units whose figures meet Menuju WBK.
    page.select_option("#f-verdict", "WBK")
    page.get_by_test_id("apply-filter").click()
    expect(rows).to_have_count(1)
    row = rows.first
    expect(row).to_have_attribute("data-unit", "BAUK")
    expect(row.get_by_test_id("tpi-total")).to_have_text(
        snapshot.content["tpi"]["result"]["total"].replace(".", ",")
    )

    # The unit's readiness report: the link shows that the PDF is being prepared.
    link = row.get_by_test_id("download-report")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "laporan-zi-bauk-2026-wbk.pdf"
    expect(row.locator(".zi-download-status")).to_contain_text("Selesai")
    text = _text(Path(download.path()).read_bytes())
    assert "Biro Administrasi Umum dan Keuangan" in text
    assert f"Kode verifikasi: {snapshot.verification_code}" in text
    assert "MEMENUHI syarat Menuju WBK" in text
    assert snapshot.content["self"]["result"]["total"].replace(".", ",") in text

    # The instansi summary.
    with page.expect_download() as info:
        page.get_by_test_id("download-summary").click()
    summary = info.value
    assert summary.suggested_filename == "ringkasan-zi-politeknik-negeri-contoh-2026.pdf"
    text = _text(Path(summary.path()).read_bytes())
    assert "Ringkasan Kesiapan Zona Integritas" in text
    for name in ("Biro Administrasi Akademik", "Biro Administrasi Umum", "UPT Teknologi"):
        assert name in text

    # One unit in detail: radar chart and the verification code.
    row.get_by_test_id("open-unit").click()
    expect(page.get_by_test_id("radar-chart").locator("svg")).to_be_visible()
    expect(page.get_by_test_id("detail-verification")).to_contain_text(snapshot.verification_code)

    # Anyone holding the printed report can check its code, without logging in.
    visitor = page.context.browser.new_context()
    public = visitor.new_page()
    public.goto(f"{base}/verifikasi/{snapshot.verification_code}/")
    expect(public.get_by_test_id("verify-found")).to_be_visible()
    expect(public.get_by_test_id("verify-table")).to_contain_text("Biro Administrasi Umum")
    assert public.goto(f"{base}/verifikasi/SALAHKODE234/").status == 404
    expect(public.get_by_test_id("verify-not-found")).to_be_visible()
    visitor.close()
