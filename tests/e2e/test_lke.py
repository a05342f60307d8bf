"""A unit team fills its LKE in the browser, watches the score, is refused while incomplete,
completes and submits it; a colleague's stale page never overwrites newer answers."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def lke_demo(demo):
    """Transactional tests start from an empty database: rulebooks, then the demo LKEs."""
    from assessments.demo import seed
    from assessments.models import Assessment
    from assessments.rulebooks import load_rulebooks

    load_rulebooks()
    seed(demo)
    return {
        **demo,
        "baak": Assessment.objects.get(unit__code="BAAK", year=2026),
        "bauk": Assessment.objects.get(unit__code="BAUK", year=2026),
    }


def card(page, code):
    return page.locator(f'[id="item-{code}"]')


def panel_total(page) -> str:
    return page.get_by_test_id("panel-total").inner_text()


def save(page, code) -> None:
    item = card(page, code)
    item.get_by_test_id("save").click()
    expect(card(page, code).get_by_test_id("saved")).to_be_visible()


def complete_except(assessment, user, keep: set[str]) -> None:
    """Answer every card still empty, except `keep`, through the services (as another tab of
    the same team would)."""
    from assessments import services
    from assessments.results import lke_state
    from tests.assessments.conftest import good_answers, support_with_evidence

    state = lke_state(assessment, refresh=True)
    for section in state.layout.sections:
        for c in section.cards:
            if c.code in keep or state.result.values.get(c.code) is not None:
                continue
            changes = [
                services.AnswerChange(
                    code, value, None, state.rows[code].revision if code in state.rows else 0
                )
                for code, value in good_answers(c).items()
            ]
            services.save_answers(assessment=assessment, changes=changes, by=user)
    # The team also supports every answer with bukti dukung (the submission gate asks for it).
    support_with_evidence(
        assessment, [c.code for s in state.layout.sections for c in s.cards], by=user
    )


def test_unit_fills_two_areas_is_refused_while_incomplete_then_submits(
    page, live_server, lke_demo, login
):
    baak = lke_demo["baak"]
    login("unit")
    page.get_by_test_id("home-assessments").get_by_role("link").first.click()
    expect(page.locator("h1")).to_contain_text("Biro Administrasi Akademik")
    page.locator('#lke-nav [data-section="penguatan_akuntabilitas"]').click()
    expect(page.get_by_test_id("progress-penguatan_akuntabilitas")).to_have_text("0/14")

    # Area 1: an A-C indicator and a percentage indicator from counts.
    before = panel_total(page)
    card(page, "A.I.4.i.a").get_by_label(re.compile(r"^A \(1,00\)")).check()
    card(page, "A.I.4.i.a").get_by_label("Penjelasan").fill(
        "Perencanaan kinerja dibahas bersama pimpinan."
    )
    save(page, "A.I.4.i.a")
    expect(page.get_by_test_id("panel-total")).not_to_have_text(before)
    after_first = panel_total(page)
    expect(page.get_by_test_id("progress-penguatan_akuntabilitas")).to_have_text("1/14")

    persen = card(page, "A.II.4.i.a")
    persen.locator('[name="val-A.II.4.i.a.1"]').fill("4")
    persen.locator('[name="val-A.II.4.i.a.2"]').fill("3")
    expect(persen.get_by_test_id("live-percent")).to_have_text("75,00%")
    save(page, "A.II.4.i.a")
    expect(card(page, "A.II.4.i.a").get_by_test_id("item-value")).to_contain_text("75,00%")
    expect(page.get_by_test_id("panel-total")).not_to_have_text(after_first)

    # A bad count is refused with an Indonesian message, nothing saved.
    persen = card(page, "A.II.4.i.a")
    persen.locator('[name="val-A.II.4.i.a.2"]').fill("-2")
    expect(persen.get_by_test_id("live-percent")).to_contain_text("bilangan bulat")
    persen.get_by_test_id("save").click()
    expect(card(page, "A.II.4.i.a")).to_contain_text("Jumlah tidak boleh negatif")
    expect(card(page, "A.II.4.i.a").get_by_test_id("item-value")).to_contain_text("75,00%")

    # Area 2.
    page.locator('#lke-nav [data-section="penguatan_pengawasan"]').click()
    before = panel_total(page)
    card(page, "A.I.5.i.a").get_by_label(re.compile(r"^B \(0,50\)")).check()
    save(page, "A.I.5.i.a")
    expect(page.get_by_test_id("panel-total")).not_to_have_text(before)
    # The panel after a save is the panel after a reload.
    shown = panel_total(page)
    page.reload()
    expect(page.get_by_test_id("panel-total")).to_have_text(shown)

    # Submitting now is refused, with the missing list linking to the indicators.
    page.get_by_test_id("submit-link").click()
    missing = page.get_by_test_id("missing")
    expect(missing).to_contain_text("LKE belum dapat dikirim")
    expect(missing.get_by_role("link", name="B.I.a")).to_be_visible()
    expect(page.get_by_test_id("confirm-submit")).to_have_count(0)

    # Complete it: everything but the IPAK survey in the background, the IPAK here.
    complete_except(baak, lke_demo["users"]["unit"], keep={"B.I.a"})
    page.reload()
    missing.get_by_role("link", name="B.I.a").click()
    expect(page).to_have_url(re.compile(r"/lke/hasil/#item-B\.I\.a$"))
    card(page, "B.I.a").locator('[name="val-B.I.a"]').fill("3,65")
    save(page, "B.I.a")
    expect(card(page, "B.I.a").get_by_test_id("item-value")).to_contain_text("3,65")

    page.get_by_test_id("submit-link").click()
    expect(page.get_by_test_id("confirm-verdict")).to_contain_text("Menuju WBK")
    page.get_by_test_id("confirm-submit").click()
    expect(page.locator(".alert-success")).to_contain_text("LKE sudah dikirim ke TPI")
    expect(page.get_by_test_id("status")).to_have_text("Dikirim ke TPI")

    # Read-only from now on.
    page.goto(f"{live_server.url}/penilaian/{baak.pk}/lke/penguatan_akuntabilitas/")
    expect(page.locator(".lke-form")).to_have_count(0)
    expect(page.get_by_test_id("next-step")).to_contain_text("hanya dapat dibaca")
    expect(page.get_by_test_id("submit-link")).to_have_count(0)


def test_stale_page_is_told_who_changed_the_answer_and_cannot_change_a_submitted_lke(
    browser, live_server, lke_demo
):
    from django.contrib.auth import get_user_model

    from organizations.models import Membership, Role

    baak = lke_demo["baak"]
    colleague = get_user_model().objects.create_user(
        "unit-b", password="zi-demo-2026", first_name="Rekan", last_name="BAAK"
    )
    Membership.objects.create(
        user=colleague, instansi=lke_demo["instansi"], unit=baak.unit, role=Role.TIM_UNIT
    )
    url = f"{live_server.url}/penilaian/{baak.pk}/lke/penguatan_akuntabilitas/"

    def open_as(username):
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{live_server.url}/akun/login/")
        page.fill("input[name=login]", username)
        page.fill("input[name=password]", "zi-demo-2026")
        page.click("form button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        page.goto(url)
        return page

    mine, theirs = open_as("unit"), open_as("unit-b")
    theirs_card = card(theirs, "A.I.4.i.b")
    theirs_card.get_by_label(re.compile(r"^B \(0,50\)")).check()
    save(theirs, "A.I.4.i.b")

    card(mine, "A.I.4.i.b").get_by_label(re.compile(r"^A \(1,00\)")).check()
    card(mine, "A.I.4.i.b").get_by_test_id("save").click()
    alert = card(mine, "A.I.4.i.b").get_by_test_id("item-alert")
    expect(alert).to_contain_text("Rekan BAAK")
    expect(alert).to_contain_text("Nilai tersimpan sekarang: B")
    expect(alert).to_contain_text("isian Anda: A")

    # The LKE is completed and submitted elsewhere; this stale page cannot change it.
    complete_except(baak, lke_demo["users"]["unit"], keep=set())
    from assessments import services

    services.submit_assessment(assessment=baak, by=lke_demo["users"]["unit"])
    card(theirs, "A.I.4.i.c").locator("textarea").fill("tambahan")
    card(theirs, "A.I.4.i.c").get_by_test_id("save").click()
    expect(card(theirs, "A.I.4.i.c").get_by_test_id("item-alert")).to_contain_text(
        "tidak dapat diubah lagi"
    )
    expect(card(theirs, "A.I.4.i.c").locator(".lke-form")).to_have_count(0)
