"""PEKPPP in the browser: the ULE team fills one F-01 aspect with evidence and a video link,
`biro` scores all 30 indicators and sees the band, a public visitor answers the F-03 survey,
`pimpinan` downloads the ULE's PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def pekppp_demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    from assessments.rulebooks import load_rulebooks
    from organizations.demo import seed_organizations
    from pekppp import demo
    from pekppp.models import Period

    load_rulebooks()
    world = seed_organizations()
    demo.seed(world)
    ules = {u.unit.code: u for u in Period.objects.get(year=demo.DEMO_YEAR).ules.all()}
    return {"world": world, "ules": ules}


def _logout(page, live_server):
    page.context.clear_cookies()  # a fresh session for the next account


def test_pekppp_cycle_in_the_browser(page, live_server, pekppp_demo, login, browser):
    from evidence.demo import make_pdf
    from pekppp.models import AspectVideo, F01Answer, F01Attachment, F03Response, UnitLokus

    baak = pekppp_demo["ules"]["BAAK"]
    base = live_server.url

    # 1. The ULE team (unit = BAAK) fills aspect II of F-01 with a video and evidence.
    login("unit")
    page.get_by_test_id("nav-pekppp").click()
    page.get_by_role("link", name="Biro Administrasi Akademik dan Kemahasiswaan").first.click()
    expect(page.get_by_test_id("next-step")).to_contain_text("Isi F-01 per aspek")
    page.get_by_role("link", name="II. Profesionalisme SDM").click()
    expect(page.locator("h2").filter(has_text="Video aspek II")).to_be_visible()
    page.fill("#video_url", "https://youtu.be/pekppp-aspek-2")
    page.fill("#video_min", "6")  # too long first
    page.fill("#video_sec", "0")
    page.get_by_test_id("save-f01").click()
    expect(page.get_by_test_id("video-error")).to_contain_text("paling lama 5 menit")
    page.fill("#video_min", "4")
    page.fill("#video_sec", "45")
    section = page.get_by_test_id("indicator-10.b.As")
    for radio in section.locator("input[type=radio][value=Ya]").all():
        radio.check()
    page.get_by_test_id("indicator-11.b.K").locator("input[type=radio][value=Ya]").first.check()
    page.get_by_test_id("save-f01").click()
    expect(page.locator(".alert-success")).to_contain_text(
        "Jawaban F-01 aspek II. Profesionalisme SDM tersimpan"
    )
    section = page.get_by_test_id("indicator-10.b.As")
    section.get_by_text("Unggah bukti dukung").click()
    section.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "jadwal-layanan.pdf",
                "mimeType": "application/pdf",
                "buffer": make_pdf("Jadwal layanan", ["Senin-Jumat"]),
            }
        ]
    )
    section.locator("input[name=document_date]").fill("2026-01-05")
    section.get_by_role("button", name="Unggah").click()
    expect(page.locator(".alert-success")).to_contain_text("dilampirkan pada indikator 10.b.As")
    expect(page.get_by_test_id("evidence-10.b.As")).to_contain_text("jadwal-layanan")
    assert AspectVideo.objects.get(ule=baak, aspect__code="II").duration_seconds == 285
    assert F01Attachment.objects.filter(ule=baak, indicator__code="10.b.As").count() == 1
    assert F01Answer.objects.filter(ule=baak, question_code__startswith="10.b.As").exists()

    # 2. biro scores all 30 indicators; the panel shows the IPP and band as it goes.
    _logout(page, live_server)
    login("biro")
    page.goto(f"{base}/pekppp/ule/{baak.pk}/f02/")
    expect(page.get_by_test_id("scored")).to_contain_text("0 dari 30")
    cards = page.locator("section[data-testid^=f02-]")
    assert cards.count() == 30
    for i in range(30):
        card = page.locator("section[data-testid^=f02-]").nth(i)
        card.locator("input[type=radio][name=score][value='4']").check()
        expect(
            page.locator("section[data-testid^=f02-]").nth(i).get_by_test_id("saved")
        ).to_be_visible()
    panel = page.get_by_test_id("score-panel")
    expect(panel.get_by_test_id("scored")).to_contain_text("30 dari 30")
    expect(panel.get_by_test_id("ipp")).to_have_text("4,00")
    expect(panel.get_by_test_id("band")).to_have_text("B")
    expect(panel.get_by_test_id("band-label")).to_have_text("Baik")
    page.once("dialog", lambda dialog: dialog.accept())
    panel.get_by_test_id("finalize").click()
    expect(page.locator(".alert-success")).to_contain_text("IPP 4,00, kategori B (Baik)")
    assert UnitLokus.objects.get(pk=baak.pk).is_final

    # 3. A public visitor answers the F-03 survey without logging in.
    visitor = browser.new_context()
    public = visitor.new_page()
    before = UnitLokus.objects.get(pk=baak.pk).survey_count
    public.goto(f"{base}/pekppp/survei/{baak.survey_token}/")
    expect(public.get_by_test_id("survey-progress")).to_contain_text(
        f"Sudah {before} dari paling banyak 20"
    )
    public.get_by_test_id("survey-submit").click()  # nothing chosen: refused, clearly
    expect(public.get_by_test_id("survey-problems")).to_contain_text(
        "Semua pernyataan wajib dinilai"
    )
    for fieldset in public.locator("[data-testid=survey-form] fieldset").all():
        fieldset.locator("label", has_text=re.compile(r"^5$")).click()
    public.get_by_test_id("survey-submit").click()
    expect(public.get_by_test_id("survey-thanks")).to_be_visible()
    public.goto(f"{base}/pekppp/survei/{baak.survey_token}/")
    expect(public.get_by_test_id("survey-answered")).to_be_visible()
    assert F03Response.objects.filter(ule=baak).count() == before + 1
    assert public.goto(f"{base}/pekppp/survei/token-tebakan/").status == 404
    visitor.close()

    # 4. pimpinan downloads the ULE's PDF.
    _logout(page, live_server)
    login("pimpinan")
    page.goto(f"{base}/pekppp/ule/{baak.pk}/")
    with page.expect_download() as info:
        page.get_by_test_id("ule-pdf").click()
    download = info.value
    assert download.suggested_filename == "pekppp-2026-baak.pdf"
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
        ).stdout.decode()
        assert (
            "Biro Administrasi Akademik dan Kemahasiswaan" in text
            and "4,00" in text
            and "Baik" in text
        )
