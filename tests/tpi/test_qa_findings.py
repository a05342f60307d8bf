"""Regressions of the QA walkthrough of the TPI evaluation (admin side and the pimpinan's proposal
page), one section per finding: one count of missing indicators, Indonesian decimals everywhere,
honest file sizes, readable snapshot admin, plural model names, typographic quotes, the proposal
flow's texts, one message for another assessment's file, the review warning before finalising,
the decision date, the audit trail's layout and filter, a compact changelist and the admin
login page for users without admin access."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import evaluation
from assessments.evaluation import AnswerChange
from assessments.models import EvaluatorAnswer
from tests.tpi.conftest import evaluate
from tests.tpi.test_admin_pages import form_fields
from tests.tpi.test_import_export import exported_book, set_cells, to_bytes, upload

OPTION_CODE = "A.I.1.i.a"  # Ya/Tidak; the unit answered Ya
PERSEN_CODE = "A.II.1.i.a"  # a percentage indicator with two count inputs
INDEX_CODE = "B.I.a"  # an index 0-4; the unit answered 3.80


def change_url(assessment) -> str:
    return reverse("admin:assessments_assessment_change", args=[assessment.pk])


def text_of(html: str) -> str:
    """The visible text of an HTML fragment, whitespace collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def by_testid(html: str, name: str, end: str = "</") -> str:
    """The HTML right after the element carrying data-testid=`name`, up to `end`."""
    return html.split(f'data-testid="{name}"', 1)[1].split(end, 1)[0]


# --------------------------------------------------------------------------- 1. one count


def test_the_evaluation_page_speaks_of_one_count_of_missing_indicators(
    client_for, world, in_review
):
    evaluate(in_review, world.users["tpi"], skip=[OPTION_CODE, PERSEN_CODE])
    html = client_for("tpi").get(change_url(in_review)).content.decode()
    assert "Masih 2 indikator belum dinilai TPI." in text_of(by_testid(html, "guide", "</div>"))
    assert "Dinilai TPI 111 dari 113 indikator" in html
    verdict = text_of(by_testid(html, "verdict-WBK", "</table>"))
    # The percentage indicator's two count inputs are part of it, not two more.
    assert "Indikator terisi lengkap lengkap 2 belum diisi" in verdict


def test_finalising_nothing_counts_indicators_like_the_page(in_review, world):
    with pytest.raises(evaluation.EvaluationIncomplete) as exc:
        evaluation.finalise_assessment(assessment=in_review, by=world.users["tpi"])
    assert len(exc.value.missing) == 113
    assert "113 indikator belum diberi jawaban TPI" in exc.value.message


# --------------------------------------------------------------------------- 2. decimals


def test_the_evaluation_form_shows_and_prefills_an_index_with_a_decimal_comma(
    client_for, world, evaluated
):
    client = client_for("tpi")
    html = client.get(change_url(evaluated)).content.decode()
    row = html.split(f'id="row-{INDEX_CODE}"')[1].split("</tr>")[0]
    unit_cell = row.split('class="c-unit"')[1].split("</td>")[0]
    assert '<strong class="tpi-answer">3,80</strong>' in unit_cell and "3.80" not in unit_cell
    assert f'name="v:{INDEX_CODE}" id="v-{INDEX_CODE}" value="3,80"' in row
    # Untouched, the comma form is no change; both a comma and a point are accepted.
    data = form_fields(html)
    data["_action"] = "save"
    page = client.post(change_url(evaluated), data, follow=True).content.decode()
    assert "Tidak ada perubahan untuk disimpan." in page
    for typed, stored in (("3,72", "3.72"), ("3.5", "3.50")):
        data = form_fields(client.get(change_url(evaluated)).content.decode())
        data.update({"_action": "save", f"v:{INDEX_CODE}": typed, f"n:{INDEX_CODE}": "Turun."})
        client.post(change_url(evaluated), data)
        assert EvaluatorAnswer.objects.get(assessment=evaluated, item__code=INDEX_CODE).value == (
            stored
        )


def test_the_import_preview_shows_index_values_with_a_decimal_comma(client_for, evaluated):
    client = client_for("tpi")
    book = exported_book(client, evaluated)
    set_cells(book, {INDEX_CODE: {"jawaban_tpi": "3,72", "catatan_tpi": "Turun."}})
    html = upload(client, evaluated, to_bytes(book)).content.decode()
    changes = text_of(by_testid(html, "import-changes", "</table>"))
    assert "3,80 → 3,72" in changes and "3.72" not in changes


def test_the_audit_trail_shows_index_values_with_a_decimal_comma(client_for, world, evaluated):
    row = EvaluatorAnswer.objects.get(assessment=evaluated, item__code=INDEX_CODE)
    evaluation.save_evaluator_answers(
        assessment=evaluated,
        changes=[AnswerChange(INDEX_CODE, "3,45", "Turun.", row.revision)],
        by=world.users["tpi"],
    )
    url = reverse("admin:assessments_assessment_history", args=[evaluated.pk])
    html = client_for("tpi").get(url).content.decode()
    assert '<td class="old">3,80</td><td class="new">3,45</td>' in html
    assert "3.45" not in by_testid(html, "audit", "</table>")


# --------------------------------------------------------------------------- 2 and 7. proposal


@pytest.mark.urls("tests.tpi.urls")
def test_the_proposal_page_shows_indonesian_figures_then_the_next_step(
    client_for, world, evaluated
):
    from assessments.models import AssessmentSnapshot

    snapshot = evaluation.finalise_assessment(assessment=evaluated, by=world.users["tpi"])
    # A figure kept with a point in the snapshot's eligibility (as older snapshots have it).
    content = snapshot.content
    content["eligibility"][0]["value"] = "7.00"
    AssessmentSnapshot.objects.filter(pk=snapshot.pk).update(content=content)
    url = reverse("assessments:propose", args=[evaluated.pk])
    client = client_for("pimpinan")
    html = client.get(url).content.decode()
    total = snapshot.content["tpi"]["result"]["total"]
    assert by_testid(html, "tpi-total").endswith(total.replace(".", ","))
    assert "7,00" in html and "7.00" not in html and total not in html
    assert 'data-testid="propose"' in html

    html = client.post(url, {"note": "Layak."}, follow=True).content.decode()
    step = text_of(by_testid(html, "propose-next-step", "</div>"))
    proposed_at = timezone.localtime(evaluated.events.get(action="propose").at)
    assert (
        f"Diusulkan ke TPN pada {proposed_at:%d-%m-%Y}; operator mencatat "
        "keputusan TPN setelah diterima." in step
    )
    links = by_testid(html, "back-links", "</p>")
    assert reverse("assessments:detail", args=[evaluated.pk]) in links
    assert reverse("leadership:board") in links
    assert 'data-testid="propose"' not in html


def test_the_admin_guide_says_a_final_unit_below_the_target_cannot_be_proposed(
    client_for, world, in_review
):
    evaluate(in_review, world.users["tpi"], rank=2, note="Bukti kurang.")
    evaluation.finalise_assessment(assessment=in_review, by=world.users["tpi"])
    html = client_for("tpi").get(change_url(in_review)).content.decode()
    guide = by_testid(html, "guide", "</div>")
    assert "dapat mengusulkan" not in guide and "Halaman usulan pimpinan" not in guide
    assert "tidak dapat diusulkan ke TPN" in text_of(guide)
    total = in_review.snapshot.content["tpi"]["result"]["total"].replace(".", ",")
    assert f"Nilai total: {total} (minimal 75,00)" in text_of(guide)
    assert "penilaian tahun 2027" in text_of(guide)


def test_the_admin_guide_links_the_proposal_page_when_the_target_is_met(
    client_for, world, evaluated
):
    evaluation.finalise_assessment(assessment=evaluated, by=world.users["tpi"])
    html = client_for("tpi").get(change_url(evaluated)).content.decode()
    guide = text_of(by_testid(html, "guide", "</div>"))
    assert "Hasil TPI memenuhi target, sehingga pimpinan instansi dapat mengusulkan" in guide
    assert "Halaman usulan pimpinan" in guide


def test_the_xlsx_export_writes_numbers_as_numbers_with_two_decimals(client_for, evaluated):
    sheet = exported_book(client_for("tpi"), evaluated).active
    headers = [c.value for c in sheet[1]]
    cells = {row[1].value: dict(zip(headers, row, strict=False)) for row in sheet.iter_rows(2)}
    index = cells[INDEX_CODE]
    for name in ("jawaban_unit", "jawaban_tpi", "nilai_unit", "nilai_tpi"):
        assert index[name].data_type == "n" and index[name].value == pytest.approx(3.8), name
        assert index[name].number_format == "0.00", name
    count = cells[f"{PERSEN_CODE}.1"]
    assert (count["jawaban_unit"].value, count["jawaban_unit"].number_format) == (5, "0")
    persen = cells[PERSEN_CODE]
    assert (persen["nilai_unit"].value, persen["nilai_unit"].number_format) == (1, "0.00%")
    option = cells[OPTION_CODE]
    assert option["jawaban_unit"].value == "Ya" and option["nilai_unit"].number_format == "0.00"


def test_the_exported_xlsx_imports_back_without_changes(client_for, evaluated):
    client = client_for("tpi")
    html = upload(client, evaluated, to_bytes(exported_book(client, evaluated))).content.decode()
    assert "Pratinjau: 0 perubahan jawaban TPI" in html
    assert 'data-testid="import-problems"' not in html


def test_the_csv_export_keeps_texts_that_the_import_accepts(client_for, evaluated):
    import csv

    response = client_for("tpi").get(
        reverse("admin:assessments_assessment_export", args=[evaluated.pk, "csv"])
    )
    rows = {r["kode"]: r for r in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))}
    assert (rows[INDEX_CODE]["jawaban_unit"], rows[INDEX_CODE]["nilai_unit"]) == ("3.80", "3,80")
    assert rows[f"{PERSEN_CODE}.1"]["jawaban_tpi"] == "5"


# --------------------------------------------------------------------------- 3. file size


@pytest.mark.parametrize("extra", [1, 100])
def test_a_file_just_over_the_limit_never_reads_as_the_limit(client_for, in_review, extra):
    from assessments import resources

    content = b"0" * (2 * 1024 * 1024 + extra)
    response = upload(client_for("tpi"), in_review, content)
    assert response.status_code == 400
    assert "Berkas terlalu besar (2049 KB; paling besar 2048 KB)." in response.content.decode()
    # The reader of the file (used when the upload's size is not known) says the same.
    problems = resources.read_import(in_review, "lke.xlsx", content).problems
    assert problems == [(None, "Berkas terlalu besar (2049 KB; paling besar 2048 KB).")]


# --------------------------------------------------------------------------- 4. snapshot admin


def test_the_snapshot_admin_speaks_indonesian_and_names_the_evaluator_in_full(
    client_for, world, evaluated
):
    tpi = world.users["tpi"]
    tpi.first_name, tpi.last_name = "Evaluator", "TPI"
    tpi.save()
    snapshot = evaluation.finalise_assessment(assessment=evaluated, by=tpi)
    client = client_for("tpi")
    listing = client.get(reverse("admin:assessments_assessmentsnapshot_changelist"))
    table = listing.content.decode().split('id="result_list"')[1].split("</table>")[0]
    headers = text_of(table.split("</thead>")[0])
    assert "Penilaian" in headers and "Assessment" not in headers
    assert "Difinalkan oleh" in headers
    assert "Evaluator TPI" in text_of(table.split("</thead>")[1])
    page = client.get(
        reverse("admin:assessments_assessmentsnapshot_change", args=[snapshot.pk])
    ).content.decode()
    form = text_of(page.split('id="content-main"')[1])
    assert "Assessment" not in form and "Penilaian:" in form
    assert "Difinalkan oleh: Evaluator TPI" in form


# --------------------------------------------------------------------------- 5. plural names

PROJECT_APPS = ("assessments", "evidence", "organizations", "pekppp")


def test_a_model_whose_indonesian_plural_is_its_singular_has_a_plural_msgid(monkeypatch):
    """The English catalogue can only say "ZI assessments" when the plural has its own msgid:
    pgettext_lazy("jamak", ...) (translated at the end, so a stand-in entry is used here)."""
    from django.apps import apps
    from django.utils import translation
    from django.utils.translation import trans_real

    catalog = trans_real.translation("en")._catalog._catalogs[0]
    same = []
    for model in apps.get_models():
        opts = model._meta
        if opts.app_label not in PROJECT_APPS or opts.model_name.startswith("historical"):
            continue
        with translation.override(None):
            singular, plural = str(opts.verbose_name), str(opts.verbose_name_plural)
        if singular == plural:
            same.append(opts)
            monkeypatch.setitem(catalog, f"jamak\x04{plural}", f"{plural} (jamak)")
    assert len(same) >= 40  # every model of the project's apps
    with translation.override("en"):
        for opts in same:
            assert str(opts.verbose_name_plural).endswith(" (jamak)"), opts.label
            assert str(opts.verbose_name) != str(opts.verbose_name_plural), opts.label


# --------------------------------------------------------------------------- 6. quotes


def test_import_errors_quote_values_typographically(client_for, in_review):
    client = client_for("tpi")
    book = exported_book(client, in_review)
    set_cells(
        book,
        {
            OPTION_CODE: {"jawaban_tpi": "Mungkin"},
            INDEX_CODE: {"jawaban_tpi": "tiga"},
            f"{PERSEN_CODE}.1": {"jawaban_tpi": "it's"},
        },
    )
    html = upload(client, in_review, to_bytes(book)).content.decode()
    problems = text_of(by_testid(html, "import-problems", "</ul>"))
    assert "Jawaban “Mungkin” bukan pilihan yang sah" in problems
    assert "harus berupa angka, bukan “tiga”" in problems
    assert "bukan “it&#x27;s”" in by_testid(html, "import-problems", "</ul>")
    assert "'Mungkin'" not in problems and "&#x27;Mungkin&#x27;" not in html


def test_the_evaluation_form_quotes_a_refused_value_typographically(client_for, in_review):
    from assessments.services import AnswerInvalid

    with pytest.raises(AnswerInvalid) as exc:
        evaluation.save_evaluator_answers(
            assessment=in_review,
            changes=[AnswerChange(OPTION_CODE, "Mungkin", None, 0)],
            by=in_review.assignments.get().evaluator,
        )
    assert exc.value.errors[OPTION_CODE].startswith("Jawaban “Mungkin” bukan pilihan yang sah")


# --------------------------------------------------------------------------- 8. another file


def test_a_file_of_another_assessment_gives_one_message_naming_unit_and_year(
    client_for, world, make_assessment, in_review
):
    from assessments.models import Assignment
    from tests.assessments.conftest import fill

    other = make_assessment(unit=world.other_unit, year=2025)
    fill(other, evidence=False)
    Assignment.objects.create(assessment=other, evaluator=world.users["tpi"])
    client = client_for("tpi")
    book = exported_book(client, other)
    set_cells(book, {OPTION_CODE: {"jawaban_tpi": "Tidak", "catatan_tpi": "Belum sah."}})
    response = upload(client, in_review, to_bytes(book))
    assert response.status_code == 400
    html = response.content.decode()
    problems = re.findall(r"<li>(.*?)</li>", by_testid(html, "import-problems", "</ul>"), re.S)
    assert problems == [
        "Berkas ini adalah ekspor penilaian Unit Dua 2025, bukan penilaian ini (Unit Satu "
        "2026). Unduh ekspor penilaian ini, isi, lalu unggah lagi."
    ]
    # A file-level error: no empty preview of 0 changes.
    assert "Pratinjau:" not in html and 'data-testid="import-changes"' not in html


def test_rows_of_an_assessment_the_user_cannot_see_are_not_named(client_for, in_review):
    client = client_for("tpi")
    book = exported_book(client, in_review)
    set_cells(
        book,
        {
            OPTION_CODE: {"id_penilaian": 99999, "jawaban_tpi": "Ya"},
            "A.I.1.i.b": {"id_penilaian": 99999, "jawaban_tpi": "A"},
        },
    )
    html = upload(client, in_review, to_bytes(book)).content.decode()
    problems = re.findall(r"<li>(.*?)</li>", by_testid(html, "import-problems", "</ul>"), re.S)
    assert problems == [
        "Baris 2: 2 baris (2, 3) milik penilaian lain (id_penilaian “99999”), bukan penilaian "
        "ini (Unit Satu 2026): hapus baris itu atau gunakan berkas ekspor penilaian ini."
    ]


def test_import_problems_are_listed_by_row_number(client_for, in_review):
    client = client_for("tpi")
    book = exported_book(client, in_review)
    set_cells(
        book,
        {
            OPTION_CODE: {"jawaban_tpi": "Mungkin"},  # the service's check
            "A.I.1.i.b": {"jawaban_tpi": "C"},  # the service's check (lower, no note)
            "A.I.1.ii.a": {"id_penilaian": in_review.pk + 999, "jawaban_tpi": "Ya"},  # the file's
            INDEX_CODE: {"jawaban_tpi": "9"},  # the service's check
        },
    )
    book.active.append([in_review.pk, "X.9.9", "", "", "", "", "", "", "", "Ya", "", "", 0])
    html = upload(client, in_review, to_bytes(book)).content.decode()
    problems = re.findall(r"<li>Baris (\d+)", by_testid(html, "import-problems", "</ul>"))
    rows = [int(r) for r in problems]
    assert len(rows) == 5 and rows == sorted(rows)


# --------------------------------------------------------------------------- 9. open reviews


def test_finalising_with_open_reviews_is_allowed_after_a_clear_warning(
    client_for, world, evaluated, evidence_on
):
    from evidence.models import Attachment

    flagged = evidence_on(evaluated, OPTION_CODE)
    evaluation.save_evaluation(
        assessment=evaluated,
        reviews=[evaluation.ReviewChange(flagged.pk, "perlu_perbaikan", "Belum ditandatangani.")],
        by=world.users["tpi"],
    )
    accepted = Attachment.objects.filter(assessment=evaluated).exclude(pk=flagged.pk).first()
    evaluation.save_evaluation(
        assessment=evaluated,
        reviews=[evaluation.ReviewChange(accepted.pk, "diterima", "")],
        by=world.users["tpi"],
    )
    not_reviewed = Attachment.objects.filter(assessment=evaluated, status="belum_direviu").count()
    assert not_reviewed > 0
    client = client_for("tpi")
    html = client.get(change_url(evaluated)).content.decode()
    expected = (
        f"Perhatian: {not_reviewed + 1} lampiran bukti dukung belum selesai direviu "
        f"({not_reviewed} belum direviu, 1 perlu perbaikan)."
    )
    assert expected in text_of(by_testid(html, "finalise-review-warning", "</p>"))
    assert expected in text_of(by_testid(html, "guide", "</div>"))
    button = html.split('data-testid="finalise"')[1].split(">")[0]
    assert f'data-confirm="{expected}' in button
    # The TPI decides: finalising is still allowed.
    data = form_fields(html)
    client.post(change_url(evaluated), {**data, "_action": "finalise"})
    evaluated.refresh_from_db()
    assert evaluated.status == "final"


def test_the_finalise_action_reports_open_reviews(client_for, evaluated):
    from evidence.models import Attachment

    not_reviewed = Attachment.objects.filter(assessment=evaluated).count()
    html = (
        client_for("tpi")
        .post(
            reverse("admin:assessments_assessment_changelist"),
            {"action": "finalise", "_selected_action": [evaluated.pk]},
            follow=True,
        )
        .content.decode()
    )
    assert "Difinalkan: U1 2026." in html
    assert (
        f"U1 2026: Perhatian: {not_reviewed} lampiran bukti dukung belum selesai direviu "
        f"({not_reviewed} belum direviu, 0 perlu perbaikan)." in html
    )


def test_no_warning_when_every_review_is_settled(client_for, evaluated):
    from evidence.models import Attachment

    Attachment.objects.filter(assessment=evaluated).update(status="diterima")
    html = client_for("tpi").get(change_url(evaluated)).content.decode()
    assert "review-warning" not in html and "Perhatian:" not in html


# --------------------------------------------------------------------------- 10. decision


@pytest.fixture
def proposed(evaluated, world):
    evaluation.finalise_assessment(assessment=evaluated, by=world.users["tpi"])
    evaluation.propose_assessment(assessment=evaluated, by=world.users["pimpinan"])
    return evaluated


def test_a_decision_date_in_the_future_is_refused(client_for, world, proposed):
    import datetime as dt

    from assessments.services import AssessmentError

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    client = client_for("operator")
    response = client.post(
        change_url(proposed),
        {"_action": "decide", "granted": "1", "decided_on": tomorrow.isoformat()},
    )
    assert response.status_code == 400
    today = timezone.localdate().strftime("%d-%m-%Y")
    assert f"Tanggal keputusan tidak boleh sesudah hari ini ({today})." in (
        response.content.decode()
    )
    assert f'max="{timezone.localdate().isoformat()}"' in response.content.decode()
    with pytest.raises(AssessmentError, match="tidak boleh sesudah hari ini"):
        evaluation.record_decision(
            assessment=proposed, granted=True, decided_on=tomorrow, by=world.users["operator"]
        )
    proposed.refresh_from_db()
    assert proposed.status == "proposed"
    # Today is fine.
    evaluation.record_decision(
        assessment=proposed,
        granted=True,
        decided_on=timezone.localdate(),
        by=world.users["operator"],
    )


def test_the_decision_event_note_reads_cleanly(world, proposed):
    evaluation.record_decision(
        assessment=proposed,
        granted=True,
        decree_number="KEP-123/TPN/2026",
        note="Selamat.",
        by=world.users["operator"],
    )
    note = proposed.events.get(action="decide").note
    assert note == "Predikat Menuju WBK diberikan · KEP-123/TPN/2026 · Selamat."


# --------------------------------------------------------------------------- 11. audit trail
# (the column widths at 1366 px: tests/tpi/test_layout.py)


def test_the_audit_trail_filters_evidence_reviews_on_their_own(
    client_for, world, in_review, evidence_on
):
    attachment = evidence_on(in_review, OPTION_CODE)
    evaluation.save_evaluation(
        assessment=in_review,
        reviews=[evaluation.ReviewChange(attachment.pk, "perlu_perbaikan", "Tanpa tanda tangan.")],
        by=world.users["tpi"],
    )
    url = reverse("admin:assessments_assessment_history", args=[in_review.pk])
    client = client_for("tpi")
    html = client.get(url).content.decode()
    assert '<a href="?jenis=review">Reviu bukti dukung</a>' in html
    reviews = by_testid(client.get(url + "?jenis=review").content.decode(), "audit", "</table>")
    assert "Belum direviu → Perlu perbaikan" in reviews and "Penilaian TPI dimulai" not in reviews
    events = by_testid(client.get(url + "?jenis=event").content.decode(), "audit", "</table>")
    assert "Penilaian TPI dimulai" in events and "Perlu perbaikan" not in events


# --------------------------------------------------------------------------- 13. admin login


@pytest.mark.parametrize("persona", ["unit_team", "pimpinan"])
def test_a_user_without_admin_access_is_told_why_and_shown_the_way_back(client_for, persona):
    response = client_for(persona).get("/admin/", follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    box = by_testid(html, "admin-no-access", "</div>")
    name = text_of(box)
    assert "tidak memiliki akses ke halaman administrasi" in name
    assert "hanya untuk operator instansi dan evaluator TPI" in name
    assert f'href="{reverse("home")}"' in box and "Kembali ke beranda portal" in name
    assert "not authorized" not in html and "tidak diperbolehkan" not in html.lower()
    assert 'id="login-form"' in html  # another account can still sign in


def test_the_admin_login_stays_plain_for_anonymous_users(client_for):
    html = client_for("anonymous").get("/admin/login/").content.decode()
    assert 'id="login-form"' in html and "admin-no-access" not in html
