"""A unit team in Chromium: upload two PDFs to one indicator with the progress bar, attach one
to a second indicator, replace it with a new revision, download both revisions, and see an
executable renamed .pdf refused."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.evidence import files

pytestmark = pytest.mark.e2e


@pytest.fixture
def evidence_world(transactional_db, settings, tmp_path):
    from assessments.models import Assessment, LkeItem, RulebookVersion
    from assessments.rulebooks import load_rulebooks
    from organizations.demo import seed_organizations

    root = tmp_path / "media"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": None},
        },
    }
    load_rulebooks()  # transactional tests flush every table, rulebooks included
    demo = seed_organizations()
    version = RulebookVersion.objects.current("lke")
    assessment = Assessment.objects.create(
        unit=demo["units"]["BAAK"], year=2026, target="WBK", rulebook=version
    )
    first, second = LkeItem.objects.filter(version=version, kind="indicator").order_by("order")[:2]
    return {"assessment": assessment, "first": first, "second": second, "media": root}


def _pdf(name: str, text: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": files.pdf(text)}


def test_unit_team_uploads_attaches_replaces_and_downloads(
    page, live_server, login, evidence_world, tmp_path
):
    assessment, first, second = (evidence_world[k] for k in ("assessment", "first", "second"))
    login("unit")
    page.goto(f"{live_server.url}/bukti/penilaian/{assessment.pk}/butir/{first.pk}/")
    panel = page.get_by_test_id("evidence-panel")

    # two PDFs at once, each with its own progress bar
    panel.get_by_test_id("document-date").fill("2026-01-06")
    panel.get_by_test_id("upload-input").set_input_files(
        [_pdf("SK Tim Kerja.pdf", "sk"), _pdf("Rencana Kerja.pdf", "rencana")]
    )
    panel.get_by_test_id("upload-submit").click()
    rows = page.get_by_test_id("upload-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("tersimpan")
    expect(rows.nth(1)).to_contain_text("tersimpan")
    for index in range(2):
        expect(rows.nth(index).get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    expect(page.get_by_test_id("evidence-item")).to_have_count(2)
    expect(page.get_by_test_id("review-status").first).to_contain_text("Belum direviu")

    # an executable renamed .pdf is refused with a clear message, and nothing is added
    page.get_by_test_id("upload-input").set_input_files(
        [
            {
                "name": "laporan.pdf",
                "mimeType": "application/pdf",
                "buffer": files.HOSTILE["program.pdf"][0],
            }
        ]
    )
    page.get_by_test_id("document-date").fill("2026-01-06")
    page.get_by_test_id("upload-submit").click()
    expect(page.get_by_test_id("upload-row")).to_have_count(3)
    expect(page.get_by_test_id("upload-row").nth(2)).to_contain_text("program (executable)")
    expect(page.get_by_test_id("evidence-item")).to_have_count(2)

    # reuse one of them on a second indicator through the searchable picker
    page.goto(f"{live_server.url}/bukti/penilaian/{assessment.pk}/butir/{second.pk}/")
    page.get_by_test_id("attach-existing").locator("summary").click()
    page.get_by_test_id("picker-search").fill("SK Tim")
    results = page.get_by_test_id("picker-results")
    expect(results).to_contain_text("SK Tim Kerja")
    expect(results).not_to_contain_text("Rencana Kerja")
    results.get_by_test_id("picker-attach").first.click()
    item_row = page.get_by_test_id("evidence-item")
    expect(item_row).to_have_count(1)
    expect(item_row).to_contain_text("SK Tim Kerja")

    # replace it: a new revision, the old one stays
    page.get_by_test_id("replace-input").set_input_files(
        [_pdf("SK Tim Kerja (revisi).pdf", "sk v2")]
    )
    expect(page.get_by_test_id("evidence-item")).to_contain_text("revisi 2")
    expect(page.get_by_test_id("upload-row").last).to_contain_text("Revisi 2")

    # download both revisions from the item's page
    page.get_by_test_id("evidence-item").get_by_role(
        "link", name="SK Tim Kerja", exact=True
    ).click()
    expect(page.get_by_test_id("revisions").locator("tbody tr")).to_have_count(2)
    downloaded = {}
    for number in (1, 2):
        with page.expect_download() as info:
            page.get_by_test_id(f"download-revision-{number}").click()
        download = info.value
        target = tmp_path / f"r{number}.pdf"
        download.save_as(target)
        downloaded[number] = (download.suggested_filename, target.read_bytes())
    assert downloaded[1] == ("SK Tim Kerja.pdf", files.pdf("sk"))
    assert downloaded[2] == ("SK Tim Kerja (revisi).pdf", files.pdf("sk v2"))
    page.screenshot(
        path=os.environ.get("EVIDENCE_SCREENSHOT") or str(tmp_path / "detail.png"), full_page=True
    )


def test_score_panel_follows_evidence_added_on_the_lke_page(
    page, live_server, login, evidence_world
):
    """Uploading bukti dukung for a claimed answer raises "Didukung bukti" without a reload."""
    from django.contrib.auth import get_user_model

    from assessments import services

    assessment, first = evidence_world["assessment"], evidence_world["first"]
    unit = get_user_model().objects.get(username="unit")
    best = max(first.options.all(), key=lambda o: o.value).key
    services.save_answers(
        assessment=assessment,
        changes=[services.AnswerChange(first.code, best, "dasar", 0)],
        by=unit,
    )
    login("unit")
    page.goto(f"{live_server.url}/penilaian/{assessment.pk}/lke/{first.area.key}/")
    supported = page.get_by_test_id("panel-supported-total")
    before = supported.inner_text()
    card = page.locator(f'[id="item-{first.code}"]')
    card.get_by_test_id("evidence-open").click()
    card.get_by_test_id("document-date").fill("2026-01-06")
    card.get_by_test_id("upload-input").set_input_files([_pdf("SK Tim.pdf", "sk tim")])
    card.get_by_test_id("upload-submit").click()
    expect(card.get_by_test_id("evidence-item")).to_have_count(1)
    expect(supported).not_to_have_text(before)
