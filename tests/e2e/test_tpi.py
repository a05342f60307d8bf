"""The TPI evaluates in the Django admin, as a civil servant would in Chromium: opens the assigned
LKE, answers in two areas (one answer lower than the unit's, which needs a catatan), marks a
bukti dukung "perlu perbaikan" and returns the LKE; the unit reads the notes and sends it again;
the TPI is refused while the evaluation has gaps, completes it and finalises. Other assessments
stay out of reach by URL, and nothing can be edited after finalisation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def tpi_demo(demo, monkeypatch):
    """The demo data (BAUK submitted, assigned to `tpi`, partly evaluated; evidence attached).
    The unit's LKE page reads the TPI's notes through results.evaluator_notes_by_item (the
    extension point the lead hooks to assessments.evaluation); hooked here for the test."""
    from assessments import evaluation, results
    from assessments.demo import seed
    from assessments.models import Assessment
    from assessments.rulebooks import load_rulebooks
    from evidence.demo import seed as seed_evidence

    monkeypatch.setattr(results, "evaluator_notes_by_item", evaluation.evaluator_notes_by_item)
    load_rulebooks()
    seed(demo)
    seed_evidence(demo)
    return {
        **demo,
        "bauk": Assessment.objects.get(unit__code="BAUK", year=2026),
        "baak": Assessment.objects.get(unit__code="BAAK", year=2026),
    }


def admin_login(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "zi-demo-2026")
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_be_visible()


def first_option_card(assessment, section: str, *, lower: bool):
    """(card code, unit answer, the TPI answer to choose): the first option card of `section`
    whose unit answer has a lower option (lower=True) or any option card (lower=False)."""
    from assessments.results import lke_state

    state = lke_state(assessment, refresh=True)
    for card in state.layout.section(section).cards:
        if card.control != "option" or card.code not in state.rows:
            continue
        keys = [o.key for o in sorted(card.options, key=lambda o: o.value, reverse=True)]
        unit = state.rows[card.code].value
        if not lower:
            return card.code, unit, unit
        if keys.index(unit) + 1 < len(keys):
            return card.code, unit, keys[keys.index(unit) + 1]
    raise AssertionError(f"no option card in {section}")


def complete_tpi(assessment, user) -> None:
    """Answer every card the TPI has not answered yet with the unit's own answer (as a
    colleague would, through the service)."""
    from assessments import evaluation
    from assessments.evaluation import AnswerChange
    from assessments.results import lke_state

    unit = lke_state(assessment, refresh=True)
    tpi = evaluation.tpi_state(assessment, refresh=True)
    changes = []
    for section in unit.layout.sections:
        for card in section.cards:
            if tpi and tpi.result.values.get(card.code) is not None:
                continue
            for code in card.codes:
                row = unit.rows.get(code)
                if row and row.value:
                    revision = tpi.rows[code].revision if tpi and code in tpi.rows else 0
                    changes.append(AnswerChange(code, row.value, None, revision))
    evaluation.save_evaluator_answers(assessment=assessment, changes=changes, by=user)


def test_tpi_evaluates_returns_and_finalises_in_the_admin(page, live_server, tpi_demo, login):
    from evidence.models import Attachment

    bauk, baak = tpi_demo["bauk"], tpi_demo["baak"]
    tpi_user = tpi_demo["users"]["tpi"]
    low_code, unit_answer, lower = first_option_card(bauk, "penguatan_akuntabilitas", lower=True)
    same_code, same_answer, _same = first_option_card(bauk, "penguatan_pengawasan", lower=False)
    flagged = Attachment.objects.filter(assessment=bauk, item__code=low_code).first()
    assert flagged is not None, "the demo attaches evidence to every claimed indicator"

    # The TPI opens the assigned assessment from the list.
    admin_login(page, live_server, "tpi")
    page.goto(f"{live_server.url}/admin/assessments/assessment/")
    expect(page.locator("#result_list")).to_contain_text("Biro Administrasi Umum dan Keuangan")
    expect(page.locator("#result_list")).not_to_contain_text("Biro Administrasi Akademik")
    page.locator("#result_list a", has_text="Biro Administrasi Umum").click()
    expect(page.get_by_test_id("status")).to_have_text("Dikirim ke TPI")
    page.get_by_test_id("open-review").click()
    expect(page.get_by_test_id("status")).to_have_text("Dinilai TPI")

    # Area "Penguatan Akuntabilitas": an answer lower than the unit's, first without a note.
    page.locator('.tpi-nav a[data-area="penguatan_akuntabilitas"]').click()
    page.get_by_test_id(f"tpi-{low_code}").select_option(lower)
    page.get_by_test_id(f"review-{flagged.pk}").select_option("perlu_perbaikan")
    page.locator(f'[id="evn-{flagged.pk}"]').fill("Dokumen belum ditandatangani kepala unit.")
    # Area "Penguatan Pengawasan": the same answer as the unit.
    page.locator('.tpi-nav a[data-area="penguatan_pengawasan"]').click()
    page.get_by_test_id(f"tpi-{same_code}").select_option(same_answer)
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("Periksa isian")
    expect(page.get_by_test_id(f"error-{low_code}")).to_contain_text("lebih rendah")
    # Nothing was lost: the choices are still on the page; add the catatan and save.
    expect(page.get_by_test_id(f"tpi-{low_code}")).to_have_value(lower)
    page.get_by_test_id(f"note-{low_code}").fill("Bukti capaian kinerja triwulan IV tidak ada.")
    page.get_by_test_id("save").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Tersimpan: 2 jawaban TPI, 1 reviu bukti dukung"
    )
    expect(page.locator(f'[id="row-{low_code}"]')).to_have_class(re.compile(r"\bis-lower\b"))
    expect(page.get_by_test_id("differ-penguatan_akuntabilitas")).to_contain_text("1 berbeda")

    # Return to the unit with a general note.
    page.locator(".tpi-step > summary", has_text="Kembalikan").click()
    page.get_by_test_id("return-note").fill("Perbaiki bukti area Penguatan Akuntabilitas.")
    page.get_by_test_id("return").click()
    expect(page.get_by_test_id("status")).to_have_text("Dikembalikan untuk perbaikan")

    # Another unit's assessment is not reachable by URL.
    page.goto(f"{live_server.url}/admin/assessments/assessment/{baak.pk}/change/")
    expect(page.locator("body")).to_contain_text(re.compile("tidak ditemukan|Not Found|404", re.I))

    # The unit reads the notes and sends the LKE again.
    page.context.clear_cookies()
    login("unit2")
    page.goto(f"{live_server.url}/penilaian/{bauk.pk}/lke/penguatan_akuntabilitas/")
    expect(page.get_by_test_id("return-note")).to_contain_text(
        "Perbaiki bukti area Penguatan Akuntabilitas."
    )
    card = page.locator(f'[id="item-{low_code}"]')
    expect(card).to_contain_text("Catatan TPI:")
    expect(card).to_contain_text("Bukti capaian kinerja triwulan IV tidak ada.")
    expect(card).to_contain_text("Dokumen belum ditandatangani kepala unit.")
    page.goto(f"{live_server.url}/penilaian/{bauk.pk}/kirim/")
    page.get_by_test_id("confirm-submit").click()
    expect(page.locator(".alert-success[role=alert]")).to_contain_text("LKE sudah dikirim ke TPI")

    # The TPI opens it again, is refused while answers are missing, completes and finalises.
    admin_login(page, live_server, "tpi")
    change = f"{live_server.url}/admin/assessments/assessment/{bauk.pk}/change/"
    page.goto(change)
    page.get_by_test_id("open-review").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".tpi-step > summary", has_text="Finalkan").click()
    page.get_by_test_id("finalise").click()
    expect(page.locator(".messagelist")).to_contain_text("Penilaian belum dapat difinalkan")
    expect(page.get_by_test_id("status")).to_have_text("Dinilai TPI")

    complete_tpi(bauk, tpi_user)
    page.goto(change)
    expect(page.get_by_test_id("summary")).to_contain_text("Dinilai TPI 113 dari 113")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".tpi-step > summary", has_text="Finalkan").click()
    page.get_by_test_id("finalise").click()
    expect(page.get_by_test_id("status")).to_have_text("Final")
    expect(page.get_by_test_id("snapshot")).to_contain_text("Kode verifikasi")

    # After finalisation nothing is editable.
    expect(
        page.locator("select[name^='v:'], textarea[name^='n:'], [data-testid=save]")
    ).to_have_count(0)
    bauk.refresh_from_db()
    assert (
        bauk.status == "final"
        and bauk.snapshot.content["tpi"]["answers"][low_code]["value"] == lower
    )

    # The audit trail shows who changed what.
    page.get_by_test_id("history-link").first.click()
    audit = page.get_by_test_id("audit")
    expect(audit).to_contain_text("Reviu bukti dukung")
    expect(audit).to_contain_text(f"{unit_answer}")
    expect(audit).to_contain_text("Difinalkan TPI")
