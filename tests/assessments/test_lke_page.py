"""The LKE pages in the browser's place: what they show, saves with and without htmx, the bad
inputs, conflicts, locking, history, and query counts that do not grow with the answers."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from assessments import results
from assessments.models import Answer, Assessment
from organizations.models import Membership, Role
from tests.assessments.conftest import all_cards, fill

HX = {"HTTP_HX_REQUEST": "true"}


def save_url(assessment, code):
    return reverse("assessments:save_item", args=[assessment.pk, code])


def test_indicator_card_shows_code_text_every_option_criterion_and_value(
    client_for, make_assessment
):
    assessment = make_assessment()
    page = client_for("unit_team").get(
        reverse("assessments:lke_section", args=[assessment.pk, "manajemen_perubahan"])
    )
    html = page.content.decode()
    assert 'id="item-A.I.1.i.b"' in html
    assert "Penentuan anggota Tim dipilih melalui prosedur/mekanisme yang jelas" in html
    for criterion in (
        "Jika dengan prosedur/mekanisme yang jelas dan mewakili seluruh unsur",
        "Jika sebagian menggunakan prosedur yang mewakili sebagian besar unsur",
        "Jika tidak di seleksi.",
    ):
        assert criterion in html
    assert 'name="val-A.I.1.i.b"' in html and 'name="note"' in html
    # Percentage indicator: its counts, live percentage, both areas' parts.
    assert 'name="val-A.II.1.i.a.1"' in html and 'data-testid="live-percent"' in html
    assert "Pemenuhan" in html and "Reform" in html
    assert 'id="score-panel"' in html and "Belum diisi" in html


def test_hasil_section_has_the_survey_indices_and_capaian_kinerja(client_for, make_assessment):
    assessment = make_assessment()
    html = (
        client_for("unit_team")
        .get(reverse("assessments:lke_section", args=[assessment.pk, "hasil"]))
        .content.decode()
    )
    for code in ("B.I.a", "B.I.b", "B.II.a"):
        assert f'id="item-{code}"' in html
    assert "0,00 sampai 4,00" in html
    assert 'name="val-B.I.b" id="opt-B.I.b-E"' in html


def test_htmx_save_answers_the_card_and_swaps_panel_and_navigation(client_for, make_assessment):
    assessment = make_assessment()
    response = client_for("unit_team").post(
        save_url(assessment, "A.I.1.i.a"),
        {"val-A.I.1.i.a": "Ya", "rev-A.I.1.i.a": "0", "note": "SK tim ZI"},
        **HX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<article class="card lke-item')
    assert 'id="score-panel" class="card lke-panel"' in html and 'hx-swap-oob="true"' in html
    assert 'id="lke-nav"' in html
    assert "Tersimpan" in html
    # A.I.1.i (weight 0.5, two indicators): Ya = 1 -> 0.25 points; the panel shows it.
    assert 'data-testid="panel-total">0,25<' in html
    assert 'value="1"' in html  # the new revision goes back into the card


def test_plain_form_post_redirects_back_to_the_indicator(client_for, make_assessment):
    assessment = make_assessment()
    client = client_for("unit_team")
    response = client.post(
        save_url(assessment, "A.I.1.i.a"), {"val-A.I.1.i.a": "Ya", "rev-A.I.1.i.a": "0", "note": ""}
    )
    assert response.status_code == 302
    assert response.url.endswith("/lke/manajemen_perubahan/#item-A.I.1.i.a")
    page = client.get(response.url).content.decode()
    assert "Jawaban A.I.1.i.a disimpan." in page


@pytest.mark.parametrize(
    "code,value,message",
    [
        ("A.II.1.i.a.1", "-1", "Jumlah tidak boleh negatif"),
        ("A.II.1.i.a.1", "1,5", "bukan pecahan"),
        ("A.II.1.i.a.1", "abc", "bilangan bulat"),
        ("B.I.a", "4,5", "harus antara 0 dan 4"),
        ("B.I.a", "3,123", "paling banyak 2 angka desimal"),
        ("A.I.1.i.b", "Z", "bukan pilihan yang sah"),
    ],
)
def test_bad_input_is_shown_on_the_card_and_nothing_is_saved(
    client_for, make_assessment, code, value, message
):
    assessment = make_assessment()
    client = client_for("unit_team")
    card = assessment.rulebook.lke_items.get(code=code)
    card_code = card.owner.code if card.owner_id else code
    data = {f"val-{code}": value, "note": "catatan"}
    if card_code != code:
        data["val-A.II.1.i.a.2"] = "3"
    response = client.post(save_url(assessment, card_code), data, **HX)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html and "belum ada yang disimpan" in html
    assert f'value="{value}"' in html or f">{value}<" in html or value == "Z"
    assert not Answer.objects.filter(assessment=assessment).exists()
    # Without JavaScript: the whole page again, the card with its message.
    page = client.post(save_url(assessment, card_code), data)
    assert page.status_code == 422 and message in page.content.decode()
    assert 'id="score-panel"' in page.content.decode()


def test_a_stale_page_gets_who_changed_it_when_and_the_current_value(
    client_for, world, make_assessment, client
):
    assessment = make_assessment()
    colleague = get_user_model().objects.create_user("rekan", first_name="Rekan", last_name="Tim")
    Membership.objects.create(
        user=colleague, instansi=world.instansi, unit=world.unit, role=Role.TIM_UNIT
    )
    client.force_login(colleague)
    client.post(
        save_url(assessment, "A.I.1.i.b"), {"val-A.I.1.i.b": "B", "rev-A.I.1.i.b": "0"}, **HX
    )
    me = client_for("unit_team")  # my page was loaded before: revision 0
    response = me.post(
        save_url(assessment, "A.I.1.i.b"),
        {"val-A.I.1.i.b": "A", "rev-A.I.1.i.b": "0", "note": "catatan saya"},
        **HX,
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Rekan Tim" in html and "sudah diubah oleh" in html
    assert "Nilai tersimpan sekarang:" in html and "<strong>B</strong>" in html
    assert "isian Anda:" in html and "<strong>A</strong>" in html
    assert 'value="B" checked' in html  # the card now shows the stored value
    assert Answer.objects.get(assessment=assessment, item__code="A.I.1.i.b").value == "B"


def test_without_javascript_a_conflict_shows_the_whole_page_with_the_card(
    client_for, make_assessment
):
    assessment = make_assessment()
    client = client_for("unit_team")
    url = save_url(assessment, "A.I.1.i.b")
    client.post(url, {"val-A.I.1.i.b": "B", "rev-A.I.1.i.b": "0"})
    response = client.post(url, {"val-A.I.1.i.b": "C", "rev-A.I.1.i.b": "0"})
    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="score-panel"' in html and "sudah diubah oleh" in html
    assert f'action="/penilaian/{assessment.pk}/butir/A.I.1.i.b/simpan/#item-A.I.1.i.b"' in html


def test_saving_a_submitted_assessment_is_refused_with_a_message(client_for, filled):
    Assessment.objects.filter(pk=filled.pk).update(status="submitted")
    client = client_for("unit_team")
    url = save_url(filled, "A.I.1.i.a")
    response = client.post(url, {"val-A.I.1.i.a": "Tidak", "rev-A.I.1.i.a": "1"}, **HX)
    assert response.status_code == 409
    assert "tidak dapat diubah lagi" in response.content.decode()
    assert "lke-form" not in response.content.decode()
    assert client.post(url, {"val-A.I.1.i.a": "Tidak", "rev-A.I.1.i.a": "1"}).status_code == 409
    assert Answer.objects.get(assessment=filled, item__code="A.I.1.i.a").value == "Ya"


def test_submitted_lke_is_read_only_for_the_unit(client_for, filled):
    Assessment.objects.filter(pk=filled.pk).update(status="submitted")
    html = (
        client_for("unit_team").get(reverse("assessments:lke", args=[filled.pk])).content.decode()
    )
    assert "lke-form" not in html and 'type="radio"' not in html
    assert "sudah dikirim ke TPI" in html
    assert "Kirim ke TPI</a>" not in html


def test_read_only_roles_see_answers_without_forms(client_for, filled):
    html = client_for("pimpinan").get(reverse("assessments:lke", args=[filled.pk])).content.decode()
    assert "lke-form" not in html
    assert "tanpa hak mengubah" in html or "tidak mengubahnya" in html


def test_returned_lke_shows_the_return_note_and_evaluator_notes(client_for, filled, monkeypatch):
    Assessment.objects.filter(pk=filled.pk).update(
        status="returned", return_note="Lengkapi bukti A.I.1"
    )
    monkeypatch.setattr(
        results, "evaluator_notes_by_item", lambda a: {"A.I.1.i.a": "SK belum ditandatangani."}
    )
    html = (
        client_for("unit_team")
        .get(reverse("assessments:lke_section", args=[filled.pk, "manajemen_perubahan"]))
        .content.decode()
    )
    assert "Lengkapi bukti A.I.1" in html
    assert "SK belum ditandatangani." in html
    assert "lke-form" in html  # editable again


def test_a_saved_card_keeps_its_tpi_note_and_its_scoring_warning(client_for, filled, monkeypatch):
    """The card that comes back after an htmx save shows what the page shows: the TPI's note
    (on a returned LKE) and the scoring warning of its counts."""
    Assessment.objects.filter(pk=filled.pk).update(status="returned")
    monkeypatch.setattr(
        results, "evaluator_notes_by_item", lambda a: {"A.II.1.i.a": "Cek kembali datanya."}
    )
    card = filled.rulebook.lke_items.get(code="A.II.1.i.a")
    revisions = {
        f"rev-{i.code}": Answer.objects.filter(assessment=filled, item=i)
        .values_list("revision", flat=True)
        .first()
        or 0
        for i in [card, *card.inputs.all()]
    }
    data = {"val-A.II.1.i.a.1": "5", "val-A.II.1.i.a.2": "9", "note": "catatan", **revisions}
    response = client_for("unit_team").post(save_url(filled, "A.II.1.i.a"), data, **HX)
    html = response.content.decode()
    assert response.status_code == 200, html[:2000]
    assert "Cek kembali datanya." in html
    assert "melebihi penyebut" in html and "dibatasi 100%" in html


def test_evaluator_notes_extension_point_is_empty_until_filled(filled):
    assert results.evaluator_notes_by_item(filled) == {}


def test_history_shows_who_when_and_old_to_new(client_for, world, make_assessment):
    assessment = make_assessment()
    client = client_for("unit_team")
    client.post(save_url(assessment, "A.I.1.i.b"), {"val-A.I.1.i.b": "C", "rev-A.I.1.i.b": "0"})
    client.post(save_url(assessment, "A.I.1.i.b"), {"val-A.I.1.i.b": "A", "rev-A.I.1.i.b": "1"})
    url = reverse("assessments:item_history", args=[assessment.pk, "A.I.1.i.b"])
    partial = client.get(url, **HX).content.decode()
    assert partial.count("<li") == 2
    assert "tim" in partial and "C</span> → <strong>A</strong>" in partial
    assert "(kosong)</span> → <strong>C</strong>" in partial
    page = client.get(url)
    assert page.status_code == 200 and "Riwayat jawaban A.I.1.i.b" in page.content.decode()


def test_history_shows_survey_scores_with_a_decimal_comma(client_for, make_assessment):
    assessment = make_assessment()
    client = client_for("unit_team")
    client.post(save_url(assessment, "B.I.a"), {"val-B.I.a": "3,65", "rev-B.I.a": "0"})
    url = reverse("assessments:item_history", args=[assessment.pk, "B.I.a"])
    partial = client.get(url, **HX).content.decode()
    assert "<strong>3,65</strong>" in partial and "3.65" not in partial


def test_submit_page_lists_what_is_missing_with_links(client_for, make_assessment):
    assessment = make_assessment()
    fill(assessment, skip=["A.I.1.i.a", "A.II.1.i.a"])
    client = client_for("unit_team")
    html = client.get(reverse("assessments:submit", args=[assessment.pk])).content.decode()
    assert "LKE belum dapat dikirim: 2 indikator belum diisi" in html
    assert "/lke/manajemen_perubahan/#item-A.I.1.i.a" in html
    assert "Jumlah Agen Perubahan" in html
    assert 'data-testid="confirm-submit"' not in html
    refused = client.post(reverse("assessments:submit", args=[assessment.pk]))
    assert refused.status_code == 422
    assert "belum dapat dikirim" in refused.content.decode()


def test_submit_confirmation_shows_the_verdict_then_submits_once(client_for, filled):
    client = client_for("unit_team")
    url = reverse("assessments:submit", args=[filled.pk])
    html = client.get(url).content.decode()
    assert "Hasil sementara" in html and 'data-testid="confirm-submit"' in html
    assert "memenuhi syarat Menuju WBK" in html
    response = client.post(url)
    assert response.status_code == 302
    assert "sudah dikirim" in client.get(response.url).content.decode()
    again = client.post(url)
    assert again.status_code == 409 and "sudah dikirim ke TPI pada" in again.content.decode()
    assert 'data-testid="cannot-submit"' not in again.content.decode()  # one message, not two
    later = client.get(url).content.decode()
    assert "berstatus “Dikirim ke TPI”; tidak ada yang perlu dikirim" in later


def test_submit_page_tells_a_read_only_role_who_can_submit(client_for, filled):
    html = client_for("pimpinan").get(reverse("assessments:submit", args=[filled.pk]))
    assert "Hanya Tim Kerja unit atau pimpinan unit" in html.content.decode()


def test_copy_previous_offer_and_action(client_for, make_assessment):
    last = make_assessment(year=2025)
    fill(last)
    draft = make_assessment(year=2026)
    client = client_for("unit_team")
    html = client.get(reverse("assessments:detail", args=[draft.pk])).content.decode()
    assert "Salin jawaban tahun 2025" in html
    client.post(reverse("assessments:copy_previous", args=[draft.pk]))
    assert draft.answers.count() == last.answers.count()
    assert (
        "Salin jawaban tahun"
        not in client.get(reverse("assessments:detail", args=[draft.pk])).content.decode()
    )


def test_home_page_links_to_the_units_assessments(client_for, make_assessment):
    assessment = make_assessment()
    html = client_for("unit_team").get("/").content.decode()
    assert reverse("assessments:detail", args=[assessment.pk]) in html and "Draf" in html


# --------------------------------------------------------------------------- query counts


@pytest.mark.parametrize(
    "name,args",
    [
        ("assessments:lke", []),
        ("assessments:lke_section", ["penguatan_pengawasan"]),
        ("assessments:score_panel", []),
        ("assessments:detail", []),
        ("assessments:submit", []),
        ("assessments:eligibility", []),
    ],
)
def test_queries_do_not_grow_with_answers(
    client_for, world, make_assessment, django_assert_num_queries, name, args
):
    empty = make_assessment()  # one answer (an empty draft also offers last year's copy)
    fill(empty, skip=[c.code for c in all_cards(empty)][1:])
    full = make_assessment(unit=world.unit, year=2025)
    fill(full, by=world.users["unit_team"])
    client = client_for("unit_team")
    client.get(reverse(name, args=[empty.pk, *args]))  # warm the per-process caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as baseline:
        client.get(reverse(name, args=[empty.pk, *args]))
    with django_assert_num_queries(len(baseline)):
        response = client.get(reverse(name, args=[full.pk, *args]))
    assert response.status_code == 200
    assert len(baseline) <= 12


def test_full_lke_page_query_budget(client_for, filled, django_assert_max_num_queries):
    client = client_for("unit_team")
    with django_assert_max_num_queries(9):
        assert client.get(reverse("assessments:lke", args=[filled.pk])).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("assessments:score_panel", args=[filled.pk])).status_code == 200


def test_list_and_home_query_budget(
    client_for, world, make_assessment, django_assert_max_num_queries
):
    for year in range(2020, 2027):
        make_assessment(year=year)
    client = client_for("unit_team")
    with django_assert_max_num_queries(6):
        client.get(reverse("assessments:list"))
    with django_assert_max_num_queries(7):
        client.get("/")


def test_queries_do_not_grow_with_the_number_of_indicators(client_for, filled):
    """Hasil shows 3 indicators, the full page 113: the same number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("unit_team")
    counts = []
    for url in (
        reverse("assessments:lke_section", args=[filled.pk, "hasil"]),
        reverse("assessments:lke", args=[filled.pk]),
    ):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_saving_an_unchanged_card_says_nothing_changed(client_for, make_assessment):
    assessment = make_assessment()
    client = client_for("unit_team")
    first = client.post(
        save_url(assessment, "A.I.1.i.b"), {"val-A.I.1.i.b": "A", "rev-A.I.1.i.b": "0"}, **HX
    )
    assert 'data-testid="saved"' in first.content.decode()
    again = client.post(
        save_url(assessment, "A.I.1.i.b"), {"val-A.I.1.i.b": "A", "rev-A.I.1.i.b": "1"}, **HX
    )
    html = again.content.decode()
    assert 'data-testid="unchanged"' in html and 'data-testid="saved"' not in html
    empty = client.post(save_url(assessment, "A.I.1.ii.a"), {"rev-A.I.1.ii.a": "0"}, **HX)
    assert 'data-testid="unchanged"' in empty.content.decode()
    assert Answer.objects.get(assessment=assessment, item__code="A.I.1.i.b").revision == 1
