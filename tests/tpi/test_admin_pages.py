"""The TPI admin pages: list columns and filters, the evaluation form (saving, errors, workflow
buttons, read-only states), the audit trail, the admin actions, the pimpinan's proposal page, and
the number of queries, which does not grow with assessments, indicators or evidence."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import evaluation
from assessments.evaluation import AnswerChange
from assessments.models import AssessmentSnapshot, Assignment, EvaluatorAnswer
from tests.assessments.conftest import fill
from tests.tpi.conftest import evaluate, submit

CODE = "A.I.1.i.a"


def change_url(assessment) -> str:
    return reverse("admin:assessments_assessment_change", args=[assessment.pk])


def changelist() -> str:
    return reverse("admin:assessments_assessment_changelist")


def listed(html: str) -> set[str]:
    """The units of the rows in the changelist's result table."""
    table = (
        html.split('id="result_list"')[1].split("</table>")[0] if 'id="result_list"' in html else ""
    )
    return {u for u in ("Unit Satu", "Unit Dua", "Unit Lain") if f">{u} (" in table}


def form_fields(html: str) -> dict[str, str]:
    """name -> value of the hidden and text inputs and selected options of the page (enough to
    post the evaluation form back as a browser would)."""
    data: dict[str, str] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html):
        data[name] = value
    for name, value in re.findall(
        r'<input type="(?:text|number)"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html
    ):
        data[name] = value
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen.group(1) if chosen else ""
    for name, body in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = body
    data.pop("csrfmiddlewaretoken", None)
    return data


# --------------------------------------------------------------------------- list


def test_changelist_shows_scores_and_the_tpi_verdict(client_for, world, evaluated, make_assessment):
    make_assessment(unit=world.other_unit)  # a draft without answers
    html = client_for("operator").get(changelist()).content.decode()
    assert "nilai mandiri" in html.lower() and "nilai tpi" in html.lower()
    assert "Memenuhi Menuju WBK" in html
    assert "Belum dinilai" in html
    assert "penilai" in html  # the assigned evaluator's name


@pytest.mark.parametrize(
    ("choice", "units"),
    [
        ("memenuhi", {"Unit Satu"}),
        ("belum_dinilai", {"Unit Dua"}),
        ("belum_lengkap", set()),
        ("belum_memenuhi", set()),
    ],
)
def test_changelist_filters_by_tpi_verdict(
    client_for, world, evaluated, make_assessment, choice, units
):
    make_assessment(unit=world.other_unit)
    html = client_for("operator").get(changelist() + f"?hasil_tpi={choice}").content.decode()
    assert listed(html) == units


def test_changelist_filters_instansi_unit_year_and_status(
    client_for, world, evaluated, make_assessment
):
    make_assessment(unit=world.other_unit, year=2025)
    html = client_for("operator").get(changelist()).content.decode()
    for title in ("unit kerja", "tahun", "status", "hasil TPI"):
        assert f"Berdasarkan {title}" in html
    html = client_for("operator").get(changelist() + "?year=2025").content.decode()
    assert listed(html) == {"Unit Dua"}


def test_superuser_filters_by_instansi(client, world, evaluated, make_assessment):
    from django.contrib.auth import get_user_model

    make_assessment(unit=world.foreign_unit)
    admin = get_user_model().objects.create_superuser("root", "root@uji.go.id", "pw-uji-123")
    client.force_login(admin)
    html = client.get(changelist()).content.decode()
    assert "Berdasarkan instansi" in html
    html = client.get(
        changelist() + f"?unit__instansi__id__exact={world.other_instansi.pk}"
    ).content.decode()
    assert listed(html) == {"Unit Lain"}


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_changelist_queries_do_not_grow_with_assessments(client_for, world, make_assessment):
    client = client_for("operator")
    verdict = changelist() + "?hasil_tpi=belum_dinilai"
    for year in (2024, 2025):
        a = make_assessment(year=year)
        fill(a, evidence=False)
        Assignment.objects.create(assessment=a, evaluator=world.users["tpi"])
    client.get(changelist())  # warm the per-process caches (rulebook, layout)
    few, few_filtered = _count(client, changelist()), _count(client, verdict)
    for year in range(2010, 2024):
        a = make_assessment(year=year)
        fill(a, evidence=False)
        Assignment.objects.create(assessment=a, evaluator=world.users["tpi"])
        a.evaluator_answers.create(item=a.rulebook.lke_items.get(code=CODE), value="Ya")
    assert _count(client, changelist()) == few <= 14
    assert _count(client, verdict) == few_filtered <= 18


def test_evaluation_view_queries_do_not_grow_with_indicators_or_evidence(
    client_for, world, make_assessment, evidence_on
):
    client = client_for("tpi")
    small = make_assessment(year=2025)
    fill(small, skip=[], evidence=False)
    submit(small, status="in_review")
    Assignment.objects.create(assessment=small, evaluator=world.users["tpi"])
    client.get(change_url(small))  # warm the per-process caches
    few = _count(client, change_url(small))

    full = make_assessment(year=2026)
    fill(full)  # every card with evidence
    for code in ("A.I.1.i.a", "A.I.1.i.b", "B.I.a"):
        evidence_on(full, code)
    submit(full, status="submitted")
    Assignment.objects.create(assessment=full, evaluator=world.users["tpi"])
    evaluation.open_review(assessment=full, by=world.users["tpi"])
    evaluate(full, world.users["tpi"])
    many = _count(client, change_url(full))
    assert many == few
    assert many <= 26


# --------------------------------------------------------------------------- the form


def test_the_tpi_saves_answers_reviews_and_facts_in_one_post(
    client_for, world, in_review, evidence_on
):
    attachment = evidence_on(in_review, CODE)
    client = client_for("tpi")
    data = form_fields(client.get(change_url(in_review)).content.decode())
    data.update(
        {
            "_action": "save",
            f"v:{CODE}": "Tidak",
            f"n:{CODE}": "SK belum ditandatangani.",
            "v:A.I.1.i.b": "A",
            f"ev:{attachment.pk}": "perlu_perbaikan",
            f"evn:{attachment.pk}": "Lampirkan SK yang ditandatangani.",
            "fakta-tlhp_percent": "95",
        }
    )
    response = client.post(change_url(in_review), data, follow=True)
    html = response.content.decode()
    assert "Tersimpan: 2 jawaban TPI, 1 reviu bukti dukung, 1 data kriteria." in html
    rows = dict(
        EvaluatorAnswer.objects.filter(assessment=in_review).values_list("item__code", "value")
    )
    assert rows == {CODE: "Tidak", "A.I.1.i.b": "A"}
    attachment.refresh_from_db()
    assert attachment.status == "perlu_perbaikan"
    # Differences are highlighted and counted per area.
    assert f'id="row-{CODE}" class="tpi-row is-lower' in html
    assert 'data-testid="differ-manajemen_perubahan">1 berbeda' in html


def test_an_unchanged_form_saves_nothing(client_for, in_review):
    client = client_for("tpi")
    data = form_fields(client.get(change_url(in_review)).content.decode())
    data["_action"] = "save"
    html = client.post(change_url(in_review), data, follow=True).content.decode()
    assert "Tidak ada perubahan untuk disimpan." in html
    assert not EvaluatorAnswer.objects.exists()


def test_a_lowered_answer_without_note_comes_back_with_the_error_and_nothing_saved(
    client_for, in_review
):
    client = client_for("tpi")
    data = form_fields(client.get(change_url(in_review)).content.decode())
    data.update({"_action": "save", f"v:{CODE}": "Tidak", "v:A.I.1.i.b": "A"})
    response = client.post(change_url(in_review), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'data-testid="error-{CODE}"' in html and "lebih rendah" in html
    assert '<option value="Tidak" data-v="0" selected>' in html  # the evaluator's input is kept
    assert not EvaluatorAnswer.objects.exists()


def test_an_invalid_value_is_shown_on_its_row(client_for, in_review):
    client = client_for("tpi")
    data = form_fields(client.get(change_url(in_review)).content.decode())
    data.update({"_action": "save", "v:B.I.a": "4,7"})
    response = client.post(change_url(in_review), data)
    assert response.status_code == 400
    assert "antara 0 dan 4" in response.content.decode()


def test_a_perlu_perbaikan_review_needs_a_note(client_for, in_review, evidence_on):
    attachment = evidence_on(in_review, CODE)
    client = client_for("tpi")
    data = form_fields(client.get(change_url(in_review)).content.decode())
    data.update({"_action": "save", f"ev:{attachment.pk}": "perlu_perbaikan"})
    response = client.post(change_url(in_review), data)
    assert response.status_code == 400
    assert "Tuliskan catatan perbaikan" in response.content.decode()


def test_a_stale_page_shows_the_conflict_and_keeps_the_newer_answer(
    client_for, world, in_review, other_tpi
):
    Assignment.objects.create(assessment=in_review, evaluator=other_tpi)
    client = client_for("tpi")
    data = form_fields(client.get(change_url(in_review)).content.decode())
    evaluation.save_evaluator_answers(
        assessment=in_review,
        changes=[AnswerChange("A.I.1.i.b", "B", "Dari rekan.", 0)],
        by=other_tpi,
    )
    data.update({"_action": "save", "v:A.I.1.i.b": "A", "v:A.I.1.ii.a": "Ya"})
    response = client.post(change_url(in_review), data)
    assert response.status_code == 409
    assert "penilai2" in response.content.decode()
    rows = dict(
        EvaluatorAnswer.objects.filter(assessment=in_review).values_list("item__code", "value")
    )
    assert rows == {"A.I.1.i.b": "B"}


def test_an_untouched_row_does_not_overwrite_a_colleagues_edit(client_for, in_review, other_tpi):
    Assignment.objects.create(assessment=in_review, evaluator=other_tpi)
    client = client_for("tpi")
    data = form_fields(client.get(change_url(in_review)).content.decode())
    evaluation.save_evaluator_answers(
        assessment=in_review,
        changes=[AnswerChange("A.I.1.i.b", "B", "Dari rekan.", 0)],
        by=other_tpi,
    )
    data.update({"_action": "save", "v:A.I.1.ii.a": "Ya"})
    client.post(change_url(in_review), data)
    rows = dict(
        EvaluatorAnswer.objects.filter(assessment=in_review).values_list("item__code", "value")
    )
    assert rows == {"A.I.1.i.b": "B", "A.I.1.ii.a": "Ya"}


def test_operator_sees_the_evaluation_read_only(client_for, in_review):
    html = client_for("operator").get(change_url(in_review)).content.decode()
    assert 'name="v:' not in html and 'name="ev:' not in html
    assert "Operator dapat melihat, tetapi tidak mengubah jawaban TPI" in html


def test_open_return_and_finalise_through_the_buttons(client_for, world, submitted):
    client = client_for("tpi")
    html = client.get(change_url(submitted)).content.decode()
    assert 'data-testid="open-review"' in html and 'name="v:' not in html
    client.post(change_url(submitted), {"_action": "open"})
    submitted.refresh_from_db()
    assert submitted.status == "in_review"

    data = form_fields(client.get(change_url(submitted)).content.decode())
    response = client.post(change_url(submitted), {**data, "_action": "return", "return_note": ""})
    assert response.status_code == 400 and "catatan umum" in response.content.decode()
    response = client.post(
        change_url(submitted),
        {**data, "_action": "return", "return_note": "Lengkapi bukti area 1."},
        follow=True,
    )
    submitted.refresh_from_db()
    assert submitted.status == "returned" and submitted.return_note == "Lengkapi bukti area 1."

    submit(submitted, status="in_review")
    data = form_fields(client.get(change_url(submitted)).content.decode())
    html = client.post(
        change_url(submitted), {**data, "_action": "finalise"}, follow=True
    ).content.decode()
    assert "Penilaian belum dapat difinalkan" in html
    submitted.refresh_from_db()
    assert submitted.status == "in_review"

    evaluate(submitted, world.users["tpi"])
    data = form_fields(client.get(change_url(submitted)).content.decode())
    html = client.post(
        change_url(submitted),
        {**data, "_action": "finalise", "final_note": "Lengkap."},
        follow=True,
    ).content.decode()
    snapshot = AssessmentSnapshot.objects.get(assessment=submitted)
    assert snapshot.verification_code in html
    assert 'data-testid="snapshot"' in html
    # Locked: no field is left, and a forged post is refused.
    assert 'name="v:' not in html and 'data-testid="save"' not in html
    client.post(
        change_url(submitted), {**data, "_action": "save", f"v:{CODE}": "Tidak", f"n:{CODE}": "x"}
    )
    assert EvaluatorAnswer.objects.get(assessment=submitted, item__code=CODE).value == "Ya"


def test_operator_records_the_decision_in_the_admin(client_for, world, evaluated):
    evaluation.finalise_assessment(assessment=evaluated, by=world.users["tpi"])
    evaluation.propose_assessment(assessment=evaluated, by=world.users["pimpinan"])
    client = client_for("operator")
    html = client.get(change_url(evaluated)).content.decode()
    assert 'data-testid="decision-form"' in html
    response = client.post(change_url(evaluated), {"_action": "decide"})
    assert response.status_code == 400
    html = client.post(
        change_url(evaluated),
        {
            "_action": "decide",
            "granted": "1",
            "decree_number": "KEP-12/2026",
            "decided_on": timezone.localdate().isoformat(),  # never after today
        },
        follow=True,
    ).content.decode()
    assert "Keputusan TPN dicatat: predikat diberikan." in html
    world.unit.refresh_from_db()
    assert world.unit.has_wbk
    # The TPI cannot record it.
    assert client_for("tpi").post(
        change_url(evaluated), {"_action": "decide", "granted": "1"}
    ).status_code in (302, 403)


# --------------------------------------------------------------------------- audit trail


def test_history_lists_every_change_read_only(client_for, world, in_review, evidence_on):
    from assessments import services

    attachment = evidence_on(in_review, CODE)
    tpi = world.users["tpi"]
    evaluation.save_evaluation(
        assessment=in_review,
        changes=[AnswerChange(CODE, "Tidak", "SK belum ditandatangani.", 0)],
        reviews=[evaluation.ReviewChange(attachment.pk, "perlu_perbaikan", "Tanpa tanda tangan.")],
        facts={"tlhp_percent": 90},
        by=tpi,
    )
    evaluation.save_evaluator_answers(
        assessment=in_review, changes=[AnswerChange(CODE, "Ya", "", 1)], by=tpi
    )
    evaluation.return_assessment(assessment=in_review, note="Perbaiki SK.", by=tpi)
    services.save_answer(
        assessment=in_review,
        item=in_review.rulebook.lke_items.get(code="A.I.1.i.b"),
        value="B",
        note="Diperbaiki.",
        expected_revision=1,
        by=world.users["unit_team"],
    )
    client = client_for("tpi")
    url = reverse("admin:assessments_assessment_history", args=[in_review.pk])
    html = client.get(url).content.decode()
    for text in (
        "Jawaban TPI",
        "Catatan TPI",
        "Jawaban unit",
        "Penjelasan unit",
        "Penugasan TPI",
        "Reviu bukti dukung",
        "Belum direviu → Perlu perbaikan",
        "Dikembalikan ke unit",
        "Penilaian TPI dimulai",
        "Data kriteria (verifikasi TPI)",
        "Dinilai TPI",
    ):
        assert text in html, text
    # old -> new of the TPI's answer, both steps
    assert '<td class="old">Tidak</td><td class="new">Ya</td>' in html
    assert '<td class="new">B</td>' in html  # the unit's change (fill() wrote no history before)
    assert (
        "<form" not in html.split('id="content-main"')[1]
        or 'method="post"' not in html.split('id="content-main"')[1]
    )
    assert "delete" not in html.split('id="content-main"')[1].lower()
    filtered = client.get(url + "?jenis=tpi").content.decode()
    assert "Jawaban unit" not in filtered.split('data-testid="audit"')[1]


def test_history_queries_do_not_grow_with_changes(client_for, world, in_review):
    client = client_for("tpi")
    url = reverse("admin:assessments_assessment_history", args=[in_review.pk])
    client.get(url)
    few = _count(client, url)
    evaluate(in_review, world.users["tpi"])
    evaluate(in_review, world.users["tpi"], rank=1, note="Turun.")
    assert _count(client, url) == few


# --------------------------------------------------------------------------- actions


def test_operator_assigns_evaluators_with_the_admin_action(
    client_for, world, make_assessment, other_tpi
):
    first = make_assessment()
    second = make_assessment(unit=world.other_unit)
    client = client_for("operator")
    page = client.post(
        changelist(), {"action": "assign_evaluators", "_selected_action": [first.pk, second.pk]}
    ).content.decode()
    assert "penilai2" in page and 'name="evaluators"' in page
    html = client.post(
        changelist(),
        {
            "action": "assign_evaluators",
            "_selected_action": [first.pk, second.pk],
            "evaluators": [world.users["tpi"].pk, other_tpi.pk],
            "apply": "1",
        },
        follow=True,
    ).content.decode()
    assert "4 penugasan dibuat" in html
    assert Assignment.objects.count() == 4


def test_the_tpi_does_not_get_the_assignment_action(client_for, submitted):
    html = client_for("tpi").get(changelist()).content.decode()
    assert 'value="assign_evaluators"' not in html
    assert 'value="open_reviews"' in html
    assert "Buka penilaian untuk satu tahun" not in html


def test_open_and_finalise_actions_report_each_assessment(client_for, world, submitted):
    client = client_for("tpi")
    html = client.post(
        changelist(), {"action": "open_reviews", "_selected_action": [submitted.pk]}, follow=True
    ).content.decode()
    assert "Penilaian dimulai: U1 2026." in html
    html = client.post(
        changelist(), {"action": "finalise", "_selected_action": [submitted.pk]}, follow=True
    ).content.decode()
    assert "U1 2026: Penilaian belum dapat difinalkan" in html


# --------------------------------------------------------------------------- proposal (site)


@pytest.mark.urls("tests.tpi.urls")
def test_pimpinan_proposes_on_the_site(client_for, world, evaluated):
    evaluation.finalise_assessment(assessment=evaluated, by=world.users["tpi"])
    url = reverse("assessments:propose", args=[evaluated.pk])
    assert client_for("tpi").post(url).status_code == 403
    assert client_for("anonymous").get(url).status_code == 302
    assert client_for("other_unit_team").get(url).status_code == 404
    client = client_for("pimpinan")
    html = client.get(url).content.decode()
    assert 'data-testid="propose"' in html and evaluated.snapshot.verification_code in html
    html = client.post(url, {"note": "Layak diusulkan."}, follow=True).content.decode()
    evaluated.refresh_from_db()
    assert evaluated.status == "proposed"
    assert "diusulkan ke TPN" in html
    response = client.post(url)
    assert response.status_code == 409


@pytest.mark.urls("tests.tpi.urls")
def test_pimpinan_cannot_propose_a_unit_below_the_target(client_for, world, in_review):
    evaluate(in_review, world.users["tpi"], rank=2, note="Bukti kurang.")
    evaluation.finalise_assessment(assessment=in_review, by=world.users["tpi"])
    url = reverse("assessments:propose", args=[in_review.pk])
    html = client_for("pimpinan").get(url).content.decode()
    assert 'data-testid="propose"' not in html
    # Said plainly: it cannot be proposed, which criteria failed (from the snapshot, Indonesian
    # figures) and what the unit can do next.
    box = html.split('data-testid="not-proposable"')[1].split("</div>")[0]
    assert "Unit ini tidak dapat diusulkan ke TPN untuk predikat Menuju WBK." in box
    failed = box.split('data-testid="failed-criteria"')[1]
    total = in_review.snapshot.content["tpi"]["result"]["total"]
    assert f"Nilai total: {total.replace('.', ',')} (minimal 75,00)" in failed
    assert "mengikuti penilaian tahun 2027" in box
    assert client_for("pimpinan").post(url).status_code == 409


def test_texts_from_the_unit_and_the_evidence_are_escaped(
    client_for, world, in_review, evidence_on
):
    from assessments.models import Answer

    Answer.objects.filter(assessment=in_review, item__code=CODE).update(
        note='<script>alert("x")</script>\nbaris dua'
    )
    evidence_on(in_review, CODE, title='<img src=x onerror="alert(1)">')
    evaluation.save_evaluator_answers(
        assessment=in_review,
        changes=[AnswerChange("A.I.1.i.b", "A", '"><b>catatan</b>', 0)],
        by=world.users["tpi"],
    )
    html = client_for("tpi").get(change_url(in_review)).content.decode()
    assert (
        "<script>alert" not in html
        and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>baris dua" in html
    )
    assert "<img src=x" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert '"><b>catatan</b>' not in html
    html = client_for("operator").get(change_url(in_review)).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html


def test_the_snapshot_is_read_only_in_the_admin(client_for, world, evaluated):
    snapshot = evaluation.finalise_assessment(assessment=evaluated, by=world.users["tpi"])
    url = reverse("admin:assessments_assessmentsnapshot_change", args=[snapshot.pk])
    client = client_for("tpi")
    html = client.get(url).content.decode()
    assert snapshot.verification_code in html and 'name="_save"' not in html
    assert client.post(url, {"verification_code": "X"}).status_code == 403
    delete = reverse("admin:assessments_assessmentsnapshot_delete", args=[snapshot.pk])
    assert client_for("operator").post(delete, {"post": "yes"}).status_code == 403
    assert AssessmentSnapshot.objects.filter(pk=snapshot.pk).exists()
