"""The TPI's services: every transition, the answer rules (validation, lowering, conflicts), the
snapshot, and the read side (tpi_state, summaries, notes for the unit)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from assessments import evaluation
from assessments.evaluation import AnswerChange
from assessments.models import (
    AssessmentEvent,
    AssessmentSnapshot,
    Assignment,
    EvaluatorAnswer,
    EvaluatorFacts,
    Status,
)
from assessments.rulebooks import content_hash
from assessments.services import (
    AnswerConflict,
    AnswerInvalid,
    AssessmentError,
    AssessmentLocked,
    TransitionNotAllowed,
)
from tests.tpi.conftest import evaluate, submit

OPTION_CODE = "A.I.1.i.a"  # Ya/Tidak; the unit answered Ya


def events(assessment) -> list[str]:
    return list(assessment.events.order_by("at", "pk").values_list("action", flat=True))


# --------------------------------------------------------------------------- opening


def test_tpi_opens_a_submitted_assessment_and_its_facts_start_from_the_units(submitted, world):
    evaluation.open_review(assessment=submitted, by=world.users["tpi"])
    submitted.refresh_from_db()
    assert submitted.status == Status.IN_REVIEW
    facts = EvaluatorFacts.objects.get(assessment=submitted)
    assert facts.core_service is True and facts.significant_impact is True
    event = submitted.events.get(action="open_review")
    assert (event.from_status, event.to_status, event.by) == (
        "submitted",
        "in_review",
        world.users["tpi"],
    )


@pytest.mark.parametrize("status", ["draft", "returned", "in_review", "final"])
def test_opening_from_a_wrong_state_is_refused_with_a_clear_message(submitted, world, status):
    submit(submitted, status=status)
    with pytest.raises(TransitionNotAllowed) as exc:
        evaluation.open_review(assessment=submitted, by=world.users["tpi"])
    assert "tidak dapat dilakukan" in exc.value.message
    assert submitted.status == status


@pytest.mark.parametrize("persona", ["unit_team", "pimpinan", "outsider_operator"])
def test_only_the_assigned_tpi_or_the_operator_opens(submitted, world, persona):
    with pytest.raises(PermissionDenied):
        evaluation.open_review(assessment=submitted, by=world.users[persona])


def test_an_unassigned_tpi_member_cannot_open(submitted, other_tpi):
    with pytest.raises(PermissionDenied):
        evaluation.open_review(assessment=submitted, by=other_tpi)


def test_the_operator_may_open_the_review(submitted, world):
    evaluation.open_review(assessment=submitted, by=world.users["operator"])
    assert submitted.status == Status.IN_REVIEW


# --------------------------------------------------------------------------- assignment


def test_operator_assigns_tpi_members_to_many_assessments_at_once(
    make_assessment, world, other_tpi
):
    from tests.assessments.conftest import fill

    first = make_assessment()
    second = make_assessment(unit=world.other_unit)
    fill(first)
    outcome = evaluation.assign_evaluators(
        assessments=[first, second],
        evaluators=[world.users["tpi"], other_tpi],
        by=world.users["operator"],
    )
    assert len(outcome.assigned) == 4 and not outcome.refused
    assert Assignment.objects.filter(assessment__in=[first, second]).count() == 4
    again = evaluation.assign_evaluators(
        assessments=[first], evaluators=[world.users["tpi"]], by=world.users["operator"]
    )
    assert len(again.already) == 1 and not again.assigned
    assert events(first) == ["assign"]
    # Assignments are part of the audit trail (simple_history, with who assigned).
    record = Assignment.history.filter(assessment_id=first.pk).first()
    assert record.history_user == world.users["operator"]


def test_assignment_refuses_users_without_the_tpi_role_and_other_operators(make_assessment, world):
    assessment = make_assessment()
    outcome = evaluation.assign_evaluators(
        assessments=[assessment], evaluators=[world.users["unit_team"]], by=world.users["operator"]
    )
    assert outcome.refused and not outcome.assigned
    assert "bukan anggota TPI" in outcome.refused[0][1]
    with pytest.raises(PermissionDenied):
        evaluation.assign_evaluators(
            assessments=[assessment],
            evaluators=[world.users["tpi"]],
            by=world.users["outsider_operator"],
        )
    with pytest.raises(PermissionDenied):
        evaluation.assign_evaluators(
            assessments=[assessment], evaluators=[world.users["tpi"]], by=world.users["tpi"]
        )


# --------------------------------------------------------------------------- answers


def test_evaluator_answers_are_saved_with_a_revision_and_history(in_review, world):
    tpi = world.users["tpi"]
    rows = evaluation.save_evaluator_answers(
        assessment=in_review, changes=[AnswerChange(OPTION_CODE, "ya", "Sesuai SK.", 0)], by=tpi
    )
    row = rows[0]
    assert (row.value, row.note, row.revision, row.updated_by) == ("Ya", "Sesuai SK.", 1, tpi)
    assert row.history.first().history_user == tpi
    # The unit's answer is untouched.
    assert in_review.answers.get(item__code=OPTION_CODE).value == "Ya"


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        (OPTION_CODE, "Mungkin", "bukan pilihan yang sah"),
        ("A.II.1.i.a.1", "-3", "tidak boleh negatif"),
        ("A.II.1.i.a.1", "1.250", "tanpa titik atau koma"),
        ("A.II.1.i.a.1", "2,5", "pecahan"),
        ("B.I.a", "4.5", "antara 0 dan 4"),
        ("B.I.a", "abc", "harus berupa angka"),
        ("A.II.1.i.a", "0.5", "tidak diisi langsung"),
        ("Z.9.9", "Ya", "tidak ada di LKE ini"),
    ],
)
def test_invalid_evaluator_answers_are_refused_and_nothing_is_written(
    in_review, world, code, value, message
):
    good = AnswerChange("A.I.1.i.b", "A", "", 0)
    with pytest.raises(AnswerInvalid) as exc:
        evaluation.save_evaluator_answers(
            assessment=in_review,
            changes=[good, AnswerChange(code, value, None, 0)],
            by=world.users["tpi"],
        )
    assert message in exc.value.errors[code]
    assert not EvaluatorAnswer.objects.filter(assessment=in_review).exists()


def test_lowering_below_the_units_answer_needs_a_note(in_review, world):
    tpi = world.users["tpi"]
    with pytest.raises(AnswerInvalid) as exc:
        evaluation.save_evaluator_answers(
            assessment=in_review, changes=[AnswerChange(OPTION_CODE, "Tidak", "", 0)], by=tpi
        )
    assert "lebih rendah" in exc.value.errors[OPTION_CODE]
    rows = evaluation.save_evaluator_answers(
        assessment=in_review,
        changes=[AnswerChange(OPTION_CODE, "Tidak", "SK belum ditandatangani.", 0)],
        by=tpi,
    )
    assert rows[0].value == "Tidak"
    # Raising or matching the unit's answer needs no note.
    evaluation.save_evaluator_answers(
        assessment=in_review, changes=[AnswerChange("A.I.1.i.b", "A", None, 0)], by=tpi
    )


def test_a_count_that_lowers_a_percentage_needs_the_note_on_its_indicator(in_review, world):
    """A.II.1.i.a is a percentage from counts: the unit's 5 of 5 is 100%; 1 of 5 is lower."""
    tpi = world.users["tpi"]
    changes = [
        AnswerChange("A.II.1.i.a.1", "5", None, 0),
        AnswerChange("A.II.1.i.a.2", "1", None, 0),
    ]
    with pytest.raises(AnswerInvalid) as exc:
        evaluation.save_evaluator_answers(assessment=in_review, changes=changes, by=tpi)
    assert "A.II.1.i.a" in exc.value.errors
    evaluation.save_evaluator_answers(
        assessment=in_review,
        changes=[*changes, AnswerChange("A.II.1.i.a", None, "Hanya 1 perubahan terbukti.", 0)],
        by=tpi,
    )
    assert evaluation.tpi_state(in_review).result.values["A.II.1.i.a"] < 1


def test_a_note_on_a_count_input_is_refused(in_review, world):
    with pytest.raises(AnswerInvalid) as exc:
        evaluation.save_evaluator_answers(
            assessment=in_review,
            changes=[AnswerChange("A.II.1.i.a.1", "5", "catatan", 0)],
            by=world.users["tpi"],
        )
    assert "indikatornya" in exc.value.errors["A.II.1.i.a.1"]


def test_a_stale_form_never_overwrites_another_evaluators_edit(in_review, world, other_tpi):
    evaluation.assign_evaluators(
        assessments=[in_review], evaluators=[other_tpi], by=world.users["operator"]
    )
    tpi = world.users["tpi"]
    evaluation.save_evaluator_answers(
        assessment=in_review, changes=[AnswerChange("A.I.1.i.b", "A", "", 0)], by=tpi
    )
    # The other evaluator loaded the page before (revision 0) and chose B.
    with pytest.raises(AnswerConflict) as exc:
        evaluation.save_evaluator_answers(
            assessment=in_review,
            changes=[AnswerChange("A.I.1.i.b", "B", "Kurang bukti.", 0)],
            by=other_tpi,
        )
    assert exc.value.conflicts[0].code == "A.I.1.i.b"
    assert "penilai" in exc.value.message  # who changed it
    assert EvaluatorAnswer.objects.get(assessment=in_review, item__code="A.I.1.i.b").value == "A"
    # Saving the same value as stored is not a conflict; the fresh revision saves.
    evaluation.save_evaluator_answers(
        assessment=in_review, changes=[AnswerChange("A.I.1.i.b", "A", "", 0)], by=other_tpi
    )
    evaluation.save_evaluator_answers(
        assessment=in_review,
        changes=[AnswerChange("A.I.1.i.b", "B", "Kurang bukti.", 1)],
        by=other_tpi,
    )


@pytest.mark.parametrize("status", ["submitted", "returned", "final", "proposed", "decided"])
def test_evaluator_answers_are_only_changed_under_review(submitted, world, status):
    submit(submitted, status=status)
    with pytest.raises(AssessmentLocked):
        evaluation.save_evaluator_answers(
            assessment=submitted,
            changes=[AnswerChange(OPTION_CODE, "Ya", "", 0)],
            by=world.users["tpi"],
        )


@pytest.mark.parametrize("persona", ["operator", "unit_team", "pimpinan"])
def test_nobody_but_the_assigned_tpi_changes_evaluator_answers(in_review, world, persona):
    with pytest.raises(PermissionDenied):
        evaluation.save_evaluator_answers(
            assessment=in_review,
            changes=[AnswerChange(OPTION_CODE, "Ya", "", 0)],
            by=world.users[persona],
        )


def test_save_evaluation_is_all_or_nothing_across_answers_reviews_and_facts(
    in_review, world, evidence_on
):
    attachment = evidence_on(in_review, OPTION_CODE)
    tpi = world.users["tpi"]
    with pytest.raises(AnswerInvalid) as exc:
        evaluation.save_evaluation(
            assessment=in_review,
            changes=[AnswerChange("A.I.1.i.b", "A", "", 0)],
            reviews=[evaluation.ReviewChange(attachment.pk, "perlu_perbaikan", "")],
            facts={"tlhp_percent": 90},
            by=tpi,
        )
    assert f"lampiran-{attachment.pk}" in exc.value.errors
    assert not EvaluatorAnswer.objects.exists()
    attachment.refresh_from_db()
    assert attachment.status == "belum_direviu"
    outcome = evaluation.save_evaluation(
        assessment=in_review,
        changes=[AnswerChange("A.I.1.i.b", "A", "", 0)],
        reviews=[
            evaluation.ReviewChange(attachment.pk, "perlu_perbaikan", "Belum ditandatangani.")
        ],
        facts={"tlhp_percent": 90},
        by=tpi,
    )
    assert (outcome.answers, outcome.reviews, outcome.facts) == (1, 1, 1)
    attachment.refresh_from_db()
    assert (attachment.status, attachment.reviewed_by) == ("perlu_perbaikan", tpi)
    review = in_review.events.get(action="evidence_review")
    assert "Belum direviu → Perlu perbaikan" in review.note
    assert EvaluatorFacts.objects.get(assessment=in_review).tlhp_percent == 90


def test_a_review_of_another_assessments_attachment_is_refused(
    in_review, world, evidence_on, make_assessment
):
    other = make_assessment(unit=world.other_unit)
    foreign = evidence_on(other, OPTION_CODE)
    with pytest.raises(AnswerInvalid):
        evaluation.save_evaluation(
            assessment=in_review,
            reviews=[evaluation.ReviewChange(foreign.pk, "diterima", "")],
            by=world.users["tpi"],
        )


# --------------------------------------------------------------------------- returning


def test_return_needs_a_note_and_the_unit_sees_every_catatan(in_review, world):
    tpi = world.users["tpi"]
    evaluation.save_evaluator_answers(
        assessment=in_review,
        changes=[AnswerChange(OPTION_CODE, "Tidak", "SK belum ditandatangani.", 0)],
        by=tpi,
    )
    with pytest.raises(AssessmentError):
        evaluation.return_assessment(assessment=in_review, note="  ", by=tpi)
    evaluation.return_assessment(assessment=in_review, note="Perbaiki area 1.", by=tpi)
    in_review.refresh_from_db()
    assert (in_review.status, in_review.return_note) == ("returned", "Perbaiki area 1.")
    assert evaluation.evaluator_notes_by_item(in_review) == {
        OPTION_CODE: "SK belum ditandatangani."
    }
    assert events(in_review)[-1] == "return"
    with pytest.raises(TransitionNotAllowed):
        evaluation.return_assessment(assessment=in_review, note="lagi", by=tpi)


def test_the_unit_resubmits_and_the_tpi_opens_again_keeping_its_answers(in_review, world):
    from assessments import services

    tpi = world.users["tpi"]
    evaluate(in_review, tpi)
    evaluation.return_assessment(assessment=in_review, note="Lengkapi bukti.", by=tpi)
    services.submit_assessment(assessment=in_review, by=world.users["unit_team"])
    evaluation.open_review(assessment=in_review, by=tpi)
    assert in_review.status == "in_review"
    assert evaluation.tpi_state(in_review, refresh=True).result.complete


# --------------------------------------------------------------------------- finalisation


def test_finalisation_with_gaps_is_refused_and_nothing_changes(in_review, world):
    tpi = world.users["tpi"]
    with pytest.raises(evaluation.EvaluationIncomplete):
        evaluation.finalise_assessment(assessment=in_review, by=tpi)
    # A percentage indicator without its counts is one missing indicator, as the page counts it.
    evaluate(in_review, tpi, skip=[OPTION_CODE, "A.II.1.i.a", "B.I.a"])
    with pytest.raises(evaluation.EvaluationIncomplete) as exc:
        evaluation.finalise_assessment(assessment=in_review, by=tpi)
    assert exc.value.missing == [OPTION_CODE, "A.II.1.i.a", "B.I.a"]
    assert "3 indikator belum diberi jawaban TPI" in exc.value.message
    assert "butir" not in exc.value.message
    in_review.refresh_from_db()
    assert in_review.status == "in_review" and not AssessmentSnapshot.objects.exists()


def test_finalisation_stores_the_snapshot_with_the_agreed_content(evaluated, world, evidence_on):
    tpi = world.users["tpi"]
    tpi.first_name, tpi.last_name = "Sri", "Penilai"
    tpi.save()
    attachment = evidence_on(evaluated, OPTION_CODE)
    snapshot = evaluation.finalise_assessment(assessment=evaluated, by=tpi, note="Baik.")
    evaluated.refresh_from_db()
    assert evaluated.status == "final"
    content = AssessmentSnapshot.objects.get(pk=snapshot.pk).content
    assert set(content) == {
        "rulebook",
        "instansi",
        "unit",
        "year",
        "target",
        "self",
        "tpi",
        "evidence",
        "eligibility",
        "notes",
        "finalised_by",
        "finalised_at",
    }
    assert content["rulebook"] == {
        "code": "permenpanrb-90-2021",
        "version": evaluated.rulebook.version,
    }
    assert content["unit"] == {"name": "Unit Satu", "code": "U1"}
    assert (content["instansi"], content["year"], content["target"]) == (
        "Instansi Uji",
        2026,
        "WBK",
    )
    assert content["self"]["answers"][OPTION_CODE] == {"value": "Ya", "note": ""}
    assert content["tpi"]["answers"][OPTION_CODE]["value"] == "Ya"
    assert len(content["tpi"]["answers"]) == len(
        evaluated.rulebook.lke_items.exclude(type="PERSEN")
    )
    for side in ("self", "tpi"):
        result = content[side]["result"]
        assert result["total"] and result["verdicts"]["WBK"]["meets"] is True
    mine = [e for e in content["evidence"] if e["title"] == "SK Tim Kerja ZI"]
    assert mine == [
        {
            "item": OPTION_CODE,
            "title": attachment.evidence.title,
            "document_date": "2026-01-05",
            "revision": 1,
            "sha256": attachment.revision.sha256,
            "status": "belum_direviu",
            "review_note": "",
        }
    ]
    assert {"key", "label", "level", "status", "value", "required"} == set(
        content["eligibility"][0]
    )
    assert content["notes"] == {"return_note": "", "general": "Baik."}
    assert content["finalised_by"] == "Sri Penilai"
    assert content["finalised_at"].startswith("20")
    assert snapshot.content_sha256 == content_hash(content)
    code = snapshot.verification_code
    assert len(code) == 12 and set(code) <= set("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
    assert snapshot.rulebook_id == evaluated.rulebook_id
    assert events(evaluated)[-1] == "finalise" and code in evaluated.events.last().note


def test_the_snapshot_is_immutable(evaluated, world):
    snapshot = evaluation.finalise_assessment(assessment=evaluated, by=world.users["tpi"])
    snapshot.content = {}
    with pytest.raises(ValueError):
        snapshot.save()
    assert AssessmentSnapshot.objects.get(pk=snapshot.pk).content["year"] == 2026
    with pytest.raises(TransitionNotAllowed):
        evaluation.finalise_assessment(assessment=evaluated, by=world.users["tpi"])
    assert AssessmentSnapshot.objects.count() == 1


def test_after_final_nothing_of_the_evaluation_changes(evaluated, world, evidence_on):
    from assessments import services

    attachment = evidence_on(evaluated, OPTION_CODE)
    evaluation.finalise_assessment(assessment=evaluated, by=world.users["tpi"])
    tpi = world.users["tpi"]
    with pytest.raises(AssessmentLocked):
        evaluation.save_evaluation(
            assessment=evaluated,
            reviews=[evaluation.ReviewChange(attachment.pk, "diterima", "")],
            by=tpi,
        )
    with pytest.raises(TransitionNotAllowed):
        evaluation.return_assessment(assessment=evaluated, note="x", by=tpi)
    with pytest.raises(services.AssessmentError):
        services.save_answer(
            assessment=evaluated,
            item=evaluated.rulebook.lke_items.get(code=OPTION_CODE),
            value="Tidak",
            note=None,
            expected_revision=1,
            by=world.users["unit_team"],
        )


def test_only_the_tpi_finalises(evaluated, world):
    for persona in ("operator", "pimpinan", "unit_team"):
        with pytest.raises(PermissionDenied):
            evaluation.finalise_assessment(assessment=evaluated, by=world.users[persona])


# --------------------------------------------------------------------------- after final


@pytest.fixture
def final(evaluated, world):
    evaluation.finalise_assessment(assessment=evaluated, by=world.users["tpi"])
    return evaluated


def test_pimpinan_proposes_a_final_assessment_that_meets_the_target(final, world):
    for persona in ("tpi", "operator", "unit_team"):
        with pytest.raises(PermissionDenied):
            evaluation.propose_assessment(assessment=final, by=world.users[persona])
    evaluation.propose_assessment(assessment=final, by=world.users["pimpinan"], note="Layak.")
    assert final.status == "proposed"
    assert events(final)[-1] == "propose"
    with pytest.raises(TransitionNotAllowed):
        evaluation.propose_assessment(assessment=final, by=world.users["pimpinan"])


def test_a_tpi_verdict_below_the_target_cannot_be_proposed(in_review, world):
    tpi = world.users["tpi"]
    evaluate(in_review, tpi, rank=2, note="Bukti kurang.")
    evaluation.finalise_assessment(assessment=in_review, by=tpi)
    assert not evaluation.tpi_meets_target(in_review)
    with pytest.raises(TransitionNotAllowed) as exc:
        evaluation.propose_assessment(assessment=in_review, by=world.users["pimpinan"])
    assert "belum memenuhi" in exc.value.message


def test_proposing_before_final_is_refused(in_review, world):
    with pytest.raises(TransitionNotAllowed):
        evaluation.propose_assessment(assessment=in_review, by=world.users["pimpinan"])


def test_a_granted_menuju_wbk_marks_the_unit_for_later_years(final, world):
    evaluation.propose_assessment(assessment=final, by=world.users["pimpinan"])
    with pytest.raises(PermissionDenied):
        evaluation.record_decision(assessment=final, granted=True, by=world.users["tpi"])
    decision = evaluation.record_decision(
        assessment=final, granted=True, decree_number="SK-1/2026", by=world.users["operator"]
    )
    final.refresh_from_db()
    world.unit.refresh_from_db()
    assert final.status == "decided" and world.unit.has_wbk
    assert (decision.granted, decision.predikat, decision.decree_number) == (
        True,
        "WBK",
        "SK-1/2026",
    )
    assert events(final)[-1] == "decide"
    with pytest.raises(TransitionNotAllowed):
        evaluation.record_decision(assessment=final, granted=True, by=world.users["operator"])


def test_a_refused_decision_leaves_the_unit_without_wbk(final, world):
    evaluation.propose_assessment(assessment=final, by=world.users["pimpinan"])
    evaluation.record_decision(assessment=final, granted=False, by=world.users["operator"])
    world.unit.refresh_from_db()
    assert not world.unit.has_wbk


def test_recording_a_decision_before_the_proposal_is_refused(final, world):
    with pytest.raises(TransitionNotAllowed):
        evaluation.record_decision(assessment=final, granted=True, by=world.users["operator"])


# --------------------------------------------------------------------------- read side


def test_tpi_state_is_none_until_the_tpi_records_something(in_review, world):
    assert evaluation.tpi_state(in_review) is None
    evaluate(in_review, world.users["tpi"], skip=[OPTION_CODE])
    state = evaluation.tpi_state(in_review, refresh=True)
    assert state.result.incomplete == (OPTION_CODE,)
    assert state.rows["A.I.1.i.b"].value == "A"
    assert not state.verdict.meets  # incomplete never meets (decision 2)
    evaluate(in_review, world.users["tpi"])
    state = evaluation.tpi_state(in_review, refresh=True)
    assert state.complete and state.verdict.meets
    from assessments.results import lke_state

    assert state.result.total == lke_state(in_review).result.total


def test_summaries_score_many_assessments_in_one_query(
    make_assessment, world, django_assert_num_queries
):
    from assessments.models import Assessment
    from tests.assessments.conftest import fill

    for year in range(2018, 2026):
        a = make_assessment(year=year)
        fill(a)
    listed = list(Assessment.objects.select_related("unit", "rulebook"))
    with django_assert_num_queries(1):
        found = evaluation.summaries(listed)
    assert all(s.self_meets and s.tpi_total is None for s in found.values())


def test_assessment_events_record_every_transition(in_review, world):
    tpi = world.users["tpi"]
    evaluate(in_review, tpi)
    evaluation.finalise_assessment(assessment=in_review, by=tpi)
    evaluation.propose_assessment(assessment=in_review, by=world.users["pimpinan"])
    evaluation.record_decision(assessment=in_review, granted=True, by=world.users["operator"])
    transitions = list(
        AssessmentEvent.objects.filter(assessment=in_review)
        .exclude(to_status="")
        .values_list("from_status", "to_status")
    )
    assert transitions == [
        ("submitted", "in_review"),
        ("in_review", "final"),
        ("final", "proposed"),
        ("proposed", "decided"),
    ]
