"""Workflow services: opening, copying, saving answers, submitting; allowed and refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from assessments import services
from assessments.models import Answer, Assessment, AssessmentEvent, LkeItem, UnitFactsRecord
from assessments.services import AnswerChange
from tests.assessments.conftest import all_cards, fill


def _item(assessment, code):
    return LkeItem.objects.get(version=assessment.rulebook, code=code)


def _save(assessment, by, code, value, *, note=None, revision=0):
    return services.save_answer(
        assessment=assessment,
        item=_item(assessment, code),
        value=value,
        note=note,
        expected_revision=revision,
        by=by,
    )


# --------------------------------------------------------------------------- opening


def test_operator_opens_a_draft_pinned_to_the_current_rulebook(world, lke_version):
    assessment = services.create_assessment(
        unit=world.unit, year=2026, target="WBK", by=world.users["operator"]
    )
    assert assessment.status == "draft"
    assert assessment.rulebook == lke_version
    event = assessment.events.get()
    assert (event.action, event.from_status, event.to_status, event.by) == (
        "create",
        "",
        "draft",
        world.users["operator"],
    )


def test_opening_twice_for_the_same_year_and_target_is_refused(world):
    services.create_assessment(unit=world.unit, year=2026, target="WBK", by=world.users["operator"])
    with pytest.raises(services.AssessmentExists, match="sudah ada"):
        services.create_assessment(
            unit=world.unit, year=2026, target="WBK", by=world.users["operator"]
        )
    # Another target of the same year is a different assessment.
    services.create_assessment(
        unit=world.unit, year=2026, target="WBBM", by=world.users["operator"]
    )


def test_only_an_operator_of_the_instansi_opens_assessments(world):
    for persona in ("unit_team", "pimpinan", "outsider_operator", "tpi"):
        with pytest.raises(PermissionDenied):
            services.create_assessment(
                unit=world.unit, year=2026, target="WBK", by=world.users[persona]
            )
    assert not Assessment.objects.exists()


def test_open_assessments_skips_units_that_already_have_one(world, make_assessment):
    make_assessment(unit=world.unit, year=2026)
    outcome = services.open_assessments(
        units=[world.unit, world.other_unit], year=2026, target="WBK", by=world.users["operator"]
    )
    assert [a.unit for a in outcome.created] == [world.other_unit]
    assert outcome.skipped == [world.unit]


def test_new_year_starts_from_a_copy_of_last_years_answers(world, make_assessment):
    last = make_assessment(year=2025)
    fill(last, by=world.users["unit_team"])
    Answer.objects.filter(assessment=last, item__code="A.I.1.i.a").update(note="SK tim 2025")
    UnitFactsRecord.objects.create(
        assessment=last,
        core_service=True,
        pencanangan_date=dt.date(2024, 1, 15),
        tlhp_percent=Decimal("80"),
    )
    outcome = services.open_assessments(
        units=[world.unit], year=2026, target="WBK", by=world.users["operator"]
    )
    new = outcome.created[0]
    assert new.copied_from == last
    copied = {a.item.code: a for a in new.answers.select_related("item")}
    original = {a.item.code: a.value for a in last.answers.select_related("item")}
    assert {code: a.value for code, a in copied.items() if a.value} == original
    assert copied["A.I.1.i.a"].note == "SK tim 2025"
    # The copy is in the history, with who and why.
    record = copied["A.I.1.i.a"].history.get()
    assert record.history_user == world.users["operator"]
    assert "2025" in record.history_change_reason
    # Stable facts are copied, yearly figures are not.
    facts = UnitFactsRecord.objects.get(assessment=new)
    assert facts.core_service is True and facts.pencanangan_date == dt.date(2024, 1, 15)
    assert facts.tlhp_percent is None
    assert "disalin" in new.events.get(action="create").note


def test_copy_only_from_an_earlier_year_of_the_same_unit(world, make_assessment):
    other = make_assessment(unit=world.other_unit, year=2025)
    later = make_assessment(year=2027)
    for source in (other, later):
        with pytest.raises(services.AssessmentError, match="tahun sebelumnya"):
            services.create_assessment(
                unit=world.unit,
                year=2026,
                target="WBK",
                by=world.users["operator"],
                copy_from=source,
            )


def test_unit_team_copies_last_year_into_an_empty_draft_only(world, make_assessment):
    last = make_assessment(year=2025)
    fill(last)
    draft = make_assessment(year=2026)
    copied = services.copy_previous_answers(assessment=draft, by=world.users["unit_team"])
    assert copied == last.answers.count()
    with pytest.raises(services.AssessmentError, match="masih kosong"):
        services.copy_previous_answers(assessment=draft, by=world.users["unit_team"])


# --------------------------------------------------------------------------- answers


def test_saving_an_answer_records_who_and_the_revision(world, make_assessment):
    assessment = make_assessment()
    tim = world.users["unit_team"]
    answer = _save(assessment, tim, "A.I.1.i.a", "Ya", note="SK tim")
    assert (answer.value, answer.note, answer.revision, answer.updated_by) == (
        "Ya",
        "SK tim",
        1,
        tim,
    )
    answer = _save(assessment, tim, "A.I.1.i.a", "Tidak", revision=1)
    assert (answer.value, answer.note, answer.revision) == ("Tidak", "SK tim", 2)
    history = list(answer.history.order_by("history_date").values_list("value", "history_user"))
    assert history == [("Ya", tim.pk), ("Tidak", tim.pk)]


def test_saving_the_same_value_again_changes_nothing(world, make_assessment):
    assessment = make_assessment()
    tim = world.users["unit_team"]
    _save(assessment, tim, "A.I.1.i.a", "Ya")
    answer = _save(assessment, tim, "A.I.1.i.a", "Ya", revision=1)
    assert answer.revision == 1
    assert answer.history.count() == 1


@pytest.mark.parametrize(
    "code,value,message",
    [
        ("A.II.1.i.a.1", "-3", "tidak boleh negatif"),
        ("A.II.1.i.a.1", "2.5", "pecahan"),
        ("A.II.1.i.a.1", "2,5", "pecahan"),
        ("A.II.1.i.a.1", "dua", "bilangan bulat"),
        ("A.II.1.i.a.1", "1.000", "pemisah ribuan"),
        ("A.II.1.i.a.1", "99999999999", "terlalu besar"),
        ("B.I.a", "4.01", "antara 0 dan 4"),
        ("B.I.a", "-0.5", "antara 0 dan 4"),
        ("B.I.a", "3.605", "2 angka desimal"),
        ("B.I.a", "tinggi", "harus berupa angka"),
        ("A.I.1.i.a", "A", "bukan pilihan yang sah"),
        ("A.I.1.i.b", "D", "bukan pilihan yang sah"),
        ("A.II.1.i.a", "50", "tidak diisi langsung"),
    ],
)
def test_bad_input_is_refused_in_indonesian_and_nothing_is_saved(
    world, make_assessment, code, value, message
):
    assessment = make_assessment()
    with pytest.raises(services.AnswerInvalid) as refused:
        _save(assessment, world.users["unit_team"], code, value)
    assert message in refused.value.errors[code]
    assert refused.value.message.startswith("Periksa isian")
    assert not assessment.answers.exists()


def test_valid_inputs_are_normalised(world, make_assessment):
    assessment = make_assessment()
    tim = world.users["unit_team"]
    assert _save(assessment, tim, "B.I.a", "3,6").value == "3.60"
    assert _save(assessment, tim, "A.II.1.i.a.1", " 12 ").value == "12"
    assert _save(assessment, tim, "A.I.1.i.a", "ya").value == "Ya"


def test_a_percentage_card_is_saved_whole_or_not_at_all(world, make_assessment):
    assessment = make_assessment()
    changes = [
        AnswerChange("A.II.1.i.a", None, "Daftar agen perubahan", 0),
        AnswerChange("A.II.1.i.a.1", "10", None, 0),
        AnswerChange("A.II.1.i.a.2", "-1", None, 0),
    ]
    with pytest.raises(services.AnswerInvalid) as refused:
        services.save_answers(assessment=assessment, changes=changes, by=world.users["unit_team"])
    assert list(refused.value.errors) == ["A.II.1.i.a.2"]
    assert not assessment.answers.exists()


def test_another_members_newer_answer_is_never_overwritten_silently(world, make_assessment):
    from django.contrib.auth import get_user_model

    from organizations.models import Membership, Role

    assessment = make_assessment()
    first = world.users["unit_team"]
    second = get_user_model().objects.create_user("tim-b", first_name="Tim", last_name="Kedua")
    Membership.objects.create(
        user=second, instansi=world.instansi, unit=world.unit, role=Role.TIM_UNIT
    )
    _save(assessment, first, "A.I.1.i.b", "A")  # revision 1: both members' pages show it
    _save(assessment, second, "A.I.1.i.b", "B", revision=1, note="dicek ulang")  # one changes it
    with pytest.raises(services.AnswerConflict) as refused:
        _save(assessment, first, "A.I.1.i.b", "C", revision=1)  # the other saves from the old page
    conflict = refused.value.conflicts[0]
    assert (conflict.code, conflict.value, conflict.note) == ("A.I.1.i.b", "B", "dicek ulang")
    assert conflict.by == "Tim Kedua"
    assert conflict.at is not None
    assert "sudah diubah oleh Tim Kedua" in refused.value.message
    stored = assessment.answers.get(item__code="A.I.1.i.b")
    assert (stored.value, stored.revision, stored.updated_by) == ("B", 2, second)


def test_a_conflict_on_a_new_answer_is_detected_too(world, make_assessment):
    assessment = make_assessment()
    _save(assessment, world.users["unit_team"], "A.I.1.i.b", "A")
    with pytest.raises(services.AnswerConflict):
        _save(assessment, world.users["unit_team"], "A.I.1.i.b", "C", revision=0)


def test_no_conflict_when_the_stale_page_posts_what_is_already_stored(world, make_assessment):
    assessment = make_assessment()
    _save(assessment, world.users["unit_team"], "A.I.1.i.b", "A")
    _save(assessment, world.users["unit_team"], "A.I.1.i.b", "A", revision=0)


def test_only_the_unit_team_saves_answers(world, make_assessment):
    assessment = make_assessment()
    for persona in ("pimpinan_unit", "pimpinan", "operator", "other_unit_team"):
        with pytest.raises(PermissionDenied):
            _save(assessment, world.users[persona], "A.I.1.i.a", "Ya")


@pytest.mark.parametrize("status", ["submitted", "in_review", "final", "proposed", "decided"])
def test_answers_are_locked_outside_draft_and_returned(world, make_assessment, status):
    assessment = make_assessment(status=status)
    with pytest.raises(services.AssessmentLocked, match="tidak dapat diubah"):
        _save(assessment, world.users["unit_team"], "A.I.1.i.a", "Ya")
    assert not assessment.answers.exists()


def test_a_returned_assessment_can_be_edited_again(world, make_assessment):
    assessment = make_assessment(status="returned")
    assert _save(assessment, world.users["unit_team"], "A.I.1.i.a", "Ya").value == "Ya"


# --------------------------------------------------------------------------- submission


def test_incomplete_lke_is_refused_with_the_missing_list(world, make_assessment):
    assessment = make_assessment()
    fill(assessment, skip=["A.I.1.i.a", "A.II.1.i.a", "B.II.a"])
    with pytest.raises(services.SubmissionIncomplete) as refused:
        services.submit_assessment(assessment=assessment, by=world.users["unit_team"])
    assert refused.value.missing == [
        "A.I.1.i.a",
        "A.II.1.i.a",
        "A.II.1.i.a.1",
        "A.II.1.i.a.2",
        "B.II.a",
    ]
    assessment.refresh_from_db()
    assert assessment.status == "draft"
    assert not assessment.events.filter(action="submit").exists()


def test_complete_lke_is_submitted_with_who_when_and_the_verdict(world, filled):
    tim = world.users["unit_team"]
    services.submit_assessment(assessment=filled, by=tim, note="Mohon dinilai.")
    filled.refresh_from_db()
    assert filled.status == "submitted" and filled.submitted_at is not None
    event = filled.events.get(action="submit")
    assert (event.from_status, event.to_status, event.by) == ("draft", "submitted", tim)
    assert event.note.startswith("Mohon dinilai.") and "Nilai total" in event.note


def test_submitting_twice_is_refused(world, filled):
    services.submit_assessment(assessment=filled, by=world.users["unit_team"])
    with pytest.raises(services.TransitionNotAllowed, match="sudah dikirim ke TPI"):
        services.submit_assessment(assessment=filled, by=world.users["pimpinan_unit"])
    assert AssessmentEvent.objects.filter(action="submit").count() == 1


def test_head_of_unit_may_submit_but_leadership_may_not(world, filled):
    with pytest.raises(PermissionDenied):
        services.submit_assessment(assessment=filled, by=world.users["pimpinan"])
    services.submit_assessment(assessment=filled, by=world.users["pimpinan_unit"])


def test_returned_assessment_is_submitted_again(world, filled):
    Assessment.objects.filter(pk=filled.pk).update(status="returned", return_note="Perbaiki A.I")
    filled.refresh_from_db()
    services.submit_assessment(assessment=filled, by=world.users["unit_team"])
    assert filled.events.get(action="submit").from_status == "returned"


@pytest.mark.parametrize("status", ["in_review", "final", "proposed", "decided"])
def test_submission_from_later_states_is_refused(world, make_assessment, status):
    assessment = make_assessment(status=status)
    fill(assessment)
    with pytest.raises(services.TransitionNotAllowed, match="tidak dapat dikirim"):
        services.submit_assessment(assessment=assessment, by=world.users["unit_team"])


def test_an_answer_cannot_slip_in_after_submission(world, filled):
    """The stale object (loaded before submission) still cannot save: the row is re-read."""
    stale = Assessment.objects.get(pk=filled.pk)
    services.submit_assessment(assessment=filled, by=world.users["unit_team"])
    with pytest.raises(services.AssessmentLocked):
        _save(stale, world.users["unit_team"], "A.I.1.i.a", "Tidak", revision=1)


# --------------------------------------------------------------------------- facts


def test_unit_facts_and_the_wbk_flag_are_saved_with_an_audit_record(world, make_assessment):
    assessment = make_assessment()
    services.save_unit_facts(
        assessment=assessment,
        facts={"core_service": True, "tlhp_percent": Decimal("100")},
        has_wbk=True,
        by=world.users["unit_team"],
    )
    world.unit.refresh_from_db()
    assert world.unit.has_wbk is True
    record = UnitFactsRecord.objects.get(assessment=assessment)
    assert record.core_service is True and record.tlhp_percent == Decimal("100")
    assert "TLHP" in assessment.events.get(action="unit_facts").note


def test_unit_facts_are_locked_after_submission(world, filled):
    services.submit_assessment(assessment=filled, by=world.users["unit_team"])
    with pytest.raises(services.AssessmentLocked):
        services.save_unit_facts(
            assessment=filled,
            facts={"core_service": True},
            has_wbk=False,
            by=world.users["unit_team"],
        )


def test_instansi_facts_only_by_an_operator_of_that_instansi(world):
    facts = {"opini_bpk": "WTP", "spip_maturity_level": 3}
    record = services.save_instansi_facts(
        instansi=world.instansi, year=2026, facts=facts, by=world.users["operator"]
    )
    assert (record.opini_bpk, record.spip_maturity_level) == ("WTP", 3)
    for persona in ("outsider_operator", "pimpinan", "unit_team"):
        with pytest.raises(PermissionDenied):
            services.save_instansi_facts(
                instansi=world.instansi, year=2026, facts=facts, by=world.users[persona]
            )


def test_fill_helper_answers_every_item(make_assessment):
    """Guards the factory the other tests rely on."""
    from assessments.results import lke_state

    assessment = make_assessment()
    fill(assessment)
    state = lke_state(assessment)
    assert state.result.complete
    assert len(all_cards(assessment)) == 113
