"""The assessment overview tells each role the one next step: pimpinan after finalisation
(propose only when the TPI result meets the target, otherwise why not), the unit after a return
(every indicator with a TPI note), and nobody is told to start filling a complete LKE."""

from __future__ import annotations

from django.urls import reverse

from assessments.models import Assessment, Status
from tests.leadership.conftest import finalise, tpi_answer


def _overview(client, assessment) -> str:
    return client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()


def test_pimpinan_gets_one_next_step_and_the_propose_button_when_it_meets(client_for, filled):
    tpi_answer(filled)
    finalise(filled)
    html = _overview(client_for("pimpinan"), filled)
    assert html.count('data-testid="next-step"') == 1
    assert "hasilnya memenuhi target" in html
    assert 'data-testid="propose-next-step"' in html


def test_pimpinan_is_told_why_a_failing_final_assessment_cannot_be_proposed(
    client_for, filled, lke_version
):
    lowest = {
        item.code: (min(item.options.all(), key=lambda o: o.value).key, "Tidak ada bukti.")
        for item in lke_version.lke_items.filter(kind="indicator").prefetch_related("options")
        if item.options.exists()
    }
    tpi_answer(filled, lowest)
    finalise(filled)
    html = _overview(client_for("pimpinan"), filled)
    assert 'data-testid="propose-next-step"' not in html
    assert "tidak dapat diusulkan ke TPN untuk tahun 2026" in html
    assert 'data-testid="tpi-failed"' in html and "(minimal 75" in html


def test_returned_overview_lists_every_indicator_with_a_tpi_note(client_for, filled):
    tpi_answer(filled, {"A.I.1.i.a": ("Tidak", "SK belum ditandatangani kepala unit.")})
    Assessment.objects.filter(pk=filled.pk).update(status=Status.RETURNED)
    html = _overview(client_for("unit_team"), filled)
    assert 'data-testid="tpi-notes"' in html
    assert "SK belum ditandatangani kepala unit." in html
    assert "/lke/manajemen_perubahan/#item-A.I.1.i.a" in html


def test_complete_lke_offers_submission_not_where_to_start(client_for, filled):
    html = _overview(client_for("unit_team"), filled)
    assert "Mulai dari mana?" not in html
    assert 'data-testid="go-submit"' in html


def test_unit_sees_the_tpi_final_score_after_finalisation(client_for, filled):
    tpi_answer(filled)
    finalise(filled)
    html = _overview(client_for("unit_team"), filled)
    assert "Penilaian TPI sudah final: nilai TPI" in html and "memenuhi syarat Menuju WBK" in html
