"""plan_gap: greedy steps, completion, unreachable reasons, apply_gap_plan."""

from __future__ import annotations

from decimal import Decimal

from assessments.engine import (
    GapPlan,
    LkeRulebook,
    UnitFacts,
    apply_gap_plan,
    check_predikat,
    plan_gap,
    score_lke,
)
from tests.engine.conftest import best_answers

D = Decimal


def meets_after(rb: LkeRulebook, answers: dict, plan: GapPlan, facts: UnitFacts) -> bool:
    after = apply_gap_plan(rb, answers, plan)
    return check_predikat(score_lke(rb, after), rb, facts)[plan.target].meets


def test_nothing_to_do_when_the_target_is_met(lke: LkeRulebook) -> None:
    plan = plan_gap(lke, best_answers(lke), target="WBK", unit_facts=UnitFacts())
    assert plan == GapPlan("WBK", (), True, None)


def test_one_step_raises_the_failing_criterion(small_lke: LkeRulebook) -> None:
    answers = best_answers(small_lke)
    answers["B.I.b"] = "D"  # capaian kinerja 1.25 < 2.50 (and bersih_akuntabel 18.75 still ok)
    plan = plan_gap(small_lke, answers, target="WBK", unit_facts=UnitFacts())
    assert plan.reachable and plan.reason is None
    (step,) = plan.steps
    # C is enough (2.50): it ties with B and A on the shortfall and has fewer points.
    assert (step.indicator, step.from_, step.to, step.points) == ("B.I.b", "D", "C", D("1.25"))
    assert step.helps == ("capaian_kinerja",)
    assert step.kind == "improve" and step.answer == "C"
    assert meets_after(small_lke, answers, plan, UnitFacts())


def test_persen_step_changes_the_numerator(lke: LkeRulebook) -> None:
    """Every option at its best, every PERSEN at 0%: pengungkit 47.75 (< 48) and area
    pengawasan 10 (< 11.25) fail WBBM. Pengaduan 0% -> 100% (3 points) fixes both at once."""
    answers = best_answers(lke)
    answers.update({"A.II.1.i.a.2": 0, "A.II.1.i.b.2": 0, "A.II.4.i.a.2": 0, "A.II.6.i.b.2": 0})
    answers.update({"A.II.3.iii.a.2": 3})  # as many violations as last year
    answers.update({"A.II.5.ii.a.1": 10, "A.II.5.ii.a.2": 2, "A.II.5.ii.a.3": 0})
    answers.update({"A.II.5.iii.a.1.4": 0, "A.II.5.iii.b.1.4": 0})
    facts = UnitFacts(has_wbk=True)
    before = check_predikat(score_lke(lke, answers), lke, facts)["WBBM"]
    assert [c.criterion for c in before.failed] == ["pengungkit", "area:penguatan_pengawasan"]
    plan = plan_gap(lke, answers, target="WBBM", unit_facts=facts)
    assert plan.reachable
    (step,) = plan.steps
    assert (step.indicator, step.from_, step.to) == ("A.II.5.ii.a", "0%", "100%")
    assert step.inputs == (("A.II.5.ii.a.3", 10),)
    assert step.answer is None and step.points == 3
    assert step.helps == ("pengungkit", "area:penguatan_pengawasan")
    assert meets_after(lke, answers, plan, facts)


def test_persen_display_of_a_fraction(small_lke: LkeRulebook) -> None:
    answers = best_answers(small_lke)
    answers.update({"A.II.5.ii.a.1": 3, "A.II.5.ii.a.3": 1})  # 33,33%
    answers.update({"A.I.5.i.a": "C", "A.I.5.i.b": "D", "A.I.5.i.c": "E", "A.II.5.i.a": "E"})
    plan = plan_gap(small_lke, answers, target="WBK", unit_facts=UnitFacts())
    froms = {s.indicator: s.from_ for s in plan.steps}
    assert plan.reachable
    assert froms.get("A.II.5.ii.a", "33,33%") == "33,33%"


def test_greedy_prefers_the_largest_reduction_then_fewer_points(small_lke: LkeRulebook) -> None:
    answers = best_answers(small_lke)
    # Area pelayanan publik: A.I.6.i (5) Tidak and A.II.6.ii.a (2.5) E -> 2.5 of 10 (< 6).
    answers.update({"A.I.6.i.a": "Tidak", "A.II.6.ii.a": "E"})
    plan = plan_gap(small_lke, answers, target="WBK", unit_facts=UnitFacts())
    # Ya gives 5 points and closes the 3.495 shortfall alone; E -> A would close only 2.5.
    assert [(s.indicator, s.to) for s in plan.steps] == [("A.I.6.i.a", "Ya")]
    assert plan.steps[0].helps == ("area:peningkatan_kualitas_pelayanan_publik",)


def test_completion_steps_answer_unanswered_items_with_the_lowest_option(
    small_lke: LkeRulebook,
) -> None:
    answers = best_answers(small_lke)
    del answers["A.I.1.i.a"]  # 0.75 points missing: every numeric WBK criterion still passes
    del answers["A.II.5.ii.a.2"]  # an unused input: the PERSEN is unanswered (3 points)
    plan = plan_gap(small_lke, answers, target="WBK", unit_facts=UnitFacts())
    assert plan.reachable
    improve = [s for s in plan.steps if s.kind == "improve"]
    complete = [s for s in plan.steps if s.kind == "complete"]
    assert improve == []  # every numeric WBK criterion already passes
    assert [(s.indicator, s.to, s.points, s.helps) for s in complete] == [
        ("A.I.1.i.a", "Tidak", D(0), ("complete",)),
        ("A.II.5.ii.a", "100%", D(3), ("complete",)),
    ]
    # "sedang diproses" is not in the formula: 5 selesai of 5 is 100% whatever it is; the
    # lowest-scoring fill is then the smallest one, 0.
    assert complete[1].inputs == (("A.II.5.ii.a.2", 0),)
    assert meets_after(small_lke, answers, plan, UnitFacts())


def test_completion_of_a_fully_unanswered_persen_is_pessimistic(small_lke: LkeRulebook) -> None:
    answers = best_answers(small_lke)
    for code in ("A.II.5.ii.a.1", "A.II.5.ii.a.2", "A.II.5.ii.a.3"):
        del answers[code]
    plan = plan_gap(small_lke, answers, target="WBK", unit_facts=UnitFacts())
    step = next(s for s in plan.steps if s.indicator == "A.II.5.ii.a")
    # 0 of 0 would score 100% (compliance rule); the lowest is 0 of 1.
    assert step.inputs == (("A.II.5.ii.a.1", 1), ("A.II.5.ii.a.2", 0), ("A.II.5.ii.a.3", 0))
    assert step.to == "0%"
    assert plan.reachable and meets_after(small_lke, answers, plan, UnitFacts())


def test_ipak_below_minimum_is_unreachable(lke: LkeRulebook) -> None:
    answers = best_answers(lke)
    answers["B.I.a"] = D("3.59")
    plan = plan_gap(lke, answers, target="WBK", unit_facts=UnitFacts())
    assert not plan.reachable
    assert plan.reason == (
        "Nilai survei IPAK di bawah minimum; tidak dapat dicapai dengan mengubah jawaban"
    )
    assert plan.steps == ()  # every other criterion passes already


def test_unanswered_survey_is_unreachable(small_lke: LkeRulebook) -> None:
    answers = best_answers(small_lke)
    del answers["B.II.a"]
    plan = plan_gap(small_lke, answers, target="WBK", unit_facts=UnitFacts())
    assert not plan.reachable
    assert plan.reason is not None
    assert "Nilai survei IPKP belum diisi" in plan.reason


def test_a_missing_survey_is_blamed_not_the_other_survey(lke: LkeRulebook) -> None:
    """IPAK exactly at its minimum and IPKP not filled: the plan says IPKP is missing and does
    not call IPAK too low (walkthrough finding)."""
    answers = best_answers(lke)
    answers["B.I.a"] = D("3.60")
    del answers["B.II.a"]
    plan = plan_gap(lke, answers, target="WBBM", unit_facts=UnitFacts(has_wbk=True))
    assert not plan.reachable
    assert plan.reason == (
        "Nilai survei IPKP belum diisi; rencana tidak dapat mengisi nilai survei"
    )
    assert [r.kind for r in plan.reasons] == ["survey_missing"]


def test_wbbm_without_prior_wbk_is_unreachable(lke: LkeRulebook) -> None:
    plan = plan_gap(lke, best_answers(lke), target="WBBM", unit_facts=UnitFacts())
    assert not plan.reachable
    assert plan.reason == "Unit kerja belum berpredikat Menuju WBK; Menuju WBBM mensyaratkannya"
    assert plan_gap(
        lke, best_answers(lke), target="WBBM", unit_facts=UnitFacts(has_wbk=True)
    ).reachable


def test_empty_lke_to_wbk(lke: LkeRulebook) -> None:
    answers = {"B.I.a": D("3.80"), "B.II.a": D("3.70")}
    facts = UnitFacts()
    plan = plan_gap(lke, answers, target="WBK", unit_facts=facts)
    # The PERSEN denominators are unknown: they are filled pessimistically, the rest is raised.
    assert plan.reachable, plan.reason
    assert meets_after(lke, answers, plan, facts)
    kinds = [s.kind for s in plan.steps]
    assert kinds == sorted(kinds, key=lambda k: k == "complete")  # improvements first
    assert plan == plan_gap(lke, answers, target="WBK", unit_facts=facts)  # deterministic


def test_empty_lke_to_wbbm_needs_the_counts(lke: LkeRulebook) -> None:
    answers = {"B.I.a": D("4.00"), "B.II.a": D("4.00"), "B.I.b": "A"}
    plan = plan_gap(lke, answers, target="WBBM", unit_facts=UnitFacts(has_wbk=True))
    # The PERSEN indicators weigh 12.25 of the 60 Pengungkit points: without their counts the
    # plan cannot reach 48, and says which counts are missing.
    assert not plan.reachable
    assert plan.reason is not None
    assert "Kriteria pengungkit tidak dapat dipenuhi" in plan.reason
    assert "lengkapi dulu data jumlah A.II.1.i.a" in plan.reason
