"""The admin's TPI pages as a laptop shows them (Chromium at 1366 x 768, the admin's navigation
open): the assessment list fits without horizontal scrolling, and the audit trail gives its
texts (old, new, note) the room and its short columns (time, by) only what they need."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture
def admin_page(page, live_server, transactional_db, client):
    """open(user, path): the page at `path`, logged in as `user` (the test client's session)."""

    page.set_viewport_size({"width": 1366, "height": 768})

    def _open(user, path: str):
        client.force_login(user)
        page.context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        page.goto(f"{live_server.url}{path}")
        return page

    return _open


@pytest.fixture
def listed(transactional_db):
    """Two returned assessments with long names, as the demo has them, assigned to the TPI."""
    from assessments.models import Assessment, Assignment, RulebookVersion
    from assessments.rulebooks import load_rulebooks
    from tests.assessments.conftest import fill
    from tests.conftest import make_world

    load_rulebooks()  # transactional tests flush every table, rulebooks included
    world = make_world()
    world.unit.name = "Biro Administrasi Umum dan Keuangan"
    world.unit.save()
    tpi = world.users["tpi"]
    tpi.first_name, tpi.last_name = "Evaluator", "TPI Dengan Nama Panjang"
    tpi.save()
    version = RulebookVersion.objects.get(kind="lke", is_current=True)
    out = []
    for unit in (world.unit, world.other_unit):
        assessment = Assessment.objects.create(
            unit=unit, year=2026, target="WBK", rulebook=version, status="returned"
        )
        fill(assessment, evidence=False)
        Assignment.objects.create(assessment=assessment, evaluator=tpi)
        out.append(assessment)
    return world, out


def test_the_assessment_list_fits_a_laptop_screen(admin_page, listed):
    world, _assessments = listed
    page = admin_page(world.users["operator"], "/admin/assessments/assessment/")
    fit = page.evaluate(
        """() => {
          const results = document.querySelector('#changelist .results');
          const last = [...document.querySelectorAll('#result_list thead th')].pop();
          return {
            scroll: results.scrollWidth, width: results.clientWidth,
            lastRight: last.getBoundingClientRect().right,
            boxRight: results.getBoundingClientRect().right,
            last: last.textContent.trim(),
          };
        }"""
    )
    assert fit["last"] == "Evaluator TPI"
    assert fit["scroll"] <= fit["width"], fit
    assert fit["lastRight"] <= fit["boxRight"] + 1, fit


def test_the_audit_trail_gives_its_texts_the_room(admin_page, listed):
    from assessments import evaluation
    from tests.tpi.conftest import submit

    world, (assessment, _other) = listed
    submit(assessment)
    evaluation.open_review(assessment=assessment, by=world.users["operator"])
    evaluation.return_assessment(
        assessment=assessment,
        note="Perbaiki bukti dukung pada area Penataan Sistem Manajemen SDM Aparatur. " * 6,
        by=world.users["tpi"],
    )
    page = admin_page(world.users["tpi"], f"/admin/assessments/assessment/{assessment.pk}/history/")
    widths = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('[data-testid=audit] thead th')]
             .map(th => [th.textContent.trim(), Math.round(th.getBoundingClientRect().width)]))"""
    )
    assert widths["Catatan"] >= 270 and widths["Lama"] >= 130 and widths["Baru"] >= 130, widths
    assert widths["Waktu"] <= 100 and widths["Oleh"] <= 115, widths
    # Notes break between words, never inside one.
    wrap = page.evaluate(
        """() => getComputedStyle(document.querySelector('[data-testid=audit] td.note'))
             .overflowWrap"""
    )
    assert wrap == "break-word"
