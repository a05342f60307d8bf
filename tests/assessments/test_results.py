"""The score panel against an independent calculation from the regulation's rules."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from assessments import services
from assessments.models import LkeItem
from assessments.results import lke_state, score_panel_context
from assessments.services import AnswerChange
from tests.assessments.conftest import fill


def _save(assessment, by, *changes):
    services.save_answers(
        assessment=assessment, changes=[AnswerChange(c, v, None, 0) for c, v in changes], by=by
    )


def test_panel_figures_follow_the_regulations_arithmetic(world, make_assessment):
    assessment = make_assessment()
    tim = world.users["unit_team"]
    _save(
        assessment,
        tim,
        ("A.I.1.i.a", "Ya"),  # A.I.1.i: weight 0.5 over 2 indicators -> 0.25
        ("A.I.1.i.b", "B"),  # 0.5 x 0.5 / 2 = 0.125 -> sub-area 0.375
        ("B.I.a", "3.60"),  # IPAK 3.60 / 4 x 17.5 = 15.75
        ("B.I.b", "B"),  # capaian kinerja 0.75 x 5 = 3.75
        ("B.II.a", "3.20"),  # IPKP 3.20 / 4 x 17.5 = 14.00
    )
    panel = score_panel_context(lke_state(assessment))
    assert panel["panel_pengungkit"] == "0,38"  # 0.375 half-up
    assert panel["panel_hasil"] == "33,50"
    assert panel["panel_total"] == "33,88"  # 33.875 half-up
    bars = {b.key: b for b in panel["panel_bars"]}
    assert (bars["manajemen_perubahan"].score, bars["manajemen_perubahan"].max) == ("0,38", "8")
    assert bars["manajemen_perubahan"].percent_text == "4,69"  # 0.375 / 8
    criteria = {r.name: r for r in panel["panel_criteria"]}
    assert (criteria["bersih_akuntabel"].value, criteria["bersih_akuntabel"].passed) == (
        "19,50",
        True,
    )
    assert (criteria["ipak"].value, criteria["ipak"].required, criteria["ipak"].passed) == (
        "15,75",
        "15,75",
        True,
    )
    assert criteria["pelayanan_prima"].passed is True
    assert criteria["total"].passed is False and panel["panel_meets"] is False
    assert criteria["complete"].value == "5/113"


def test_percentage_from_counts_and_zero_rules(world, make_assessment):
    assessment = make_assessment()
    tim = world.users["unit_team"]
    # Agen perubahan 4, perubahan 3 -> 75%; LHKPN nobody obliged -> 100% (compliance ratio).
    _save(assessment, tim, ("A.II.1.i.a.1", "4"), ("A.II.1.i.a.2", "3"))
    codes = LkeItem.objects.filter(version=assessment.rulebook, owner__code="A.II.5.iii.a.1")
    _save(assessment, tim, *[(c.code, "0") for c in codes])
    values = lke_state(assessment).result.values
    assert values["A.II.1.i.a"] == Decimal("0.75")
    assert values["A.II.5.iii.a.1"] == Decimal(1)


def test_a_complete_strong_lke_meets_wbk_but_not_wbbm_without_prior_wbk(world, make_assessment):
    assessment = make_assessment()
    fill(assessment)
    state = lke_state(assessment)
    assert state.verdicts["WBK"].meets
    assert not state.verdicts["WBBM"].meets
    wbbm = make_assessment(target="WBBM")
    fill(wbbm)
    panel = score_panel_context(lke_state(wbbm))
    prior = next(r for r in panel["panel_criteria"] if r.name == "prior_wbk")
    assert (prior.label, prior.passed) == ("Unit sudah berpredikat Menuju WBK", False)


def test_gap_plan_steps_link_to_their_indicators(world, make_assessment):
    assessment = make_assessment()
    fill(assessment, rank=2)  # weak answers everywhere
    panel = score_panel_context(lke_state(assessment))
    assert 1 <= len(panel["panel_gap"]) <= 5
    step = panel["panel_gap"][0]
    assert step.url.startswith(reverse("assessments:lke", args=[assessment.pk])[:-4])
    assert step.url.endswith(f"#item-{step.code}")
    assert "→" in step.change and step.points != "0,00"


def test_state_is_computed_once_per_request(django_assert_num_queries, make_assessment):
    assessment = make_assessment()
    lke_state(assessment)
    with django_assert_num_queries(0):
        lke_state(assessment)
    # The panel adds only the evidence-supported score's few, fixed queries.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        score_panel_context(lke_state(assessment))
    assert len(queries) <= 4


def test_gap_plan_explanation_uses_names_not_keys(make_assessment):
    from assessments.results import readable_reason

    rulebook = lke_state(make_assessment()).rulebook
    text = "Kriteria area:penguatan_pengawasan tidak dapat dipenuhi; bersih_akuntabel juga"
    assert readable_reason(rulebook, text) == (
        "Kriteria Penguatan Pengawasan tidak dapat dipenuhi; "
        "Birokrasi yang Bersih dan Akuntabel juga"
    )


def _gap_codes(assessment):
    from assessments.results import lke_state, score_panel_context

    assessment.__dict__.pop("_lke_state", None)
    rows = score_panel_context(lke_state(assessment))["panel_gap"]
    return [(g.code, g.helps) for g in rows]


def test_evidence_steps_come_first_only_when_the_answers_are_enough(make_assessment):
    """Answers meeting the target but without bukti dukung: "add evidence" steps first. Answers
    falling short: better answers first, evidence after."""
    from tests.assessments.conftest import fill

    enough = make_assessment()
    fill(enough, evidence=False)
    steps = _gap_codes(enough)
    assert steps and "bukti" in steps[0][1]

    short = make_assessment(year=2025)
    fill(short, rank=2, evidence=False)  # low answers: the self-assessment misses WBK
    steps = _gap_codes(short)
    assert steps and "bukti" not in steps[0][1]


def test_the_gap_plan_is_remembered_only_for_the_same_input(lke_version):
    from assessments.engine import UnitFacts, plan_gap
    from assessments.results import cached_plan
    from assessments.rulebooks import engine_rulebook

    rulebook = engine_rulebook(lke_version)
    answers = {"A.I.1.i.a": "Ya"}
    first = cached_plan(rulebook, dict(answers), "WBK", UnitFacts())
    assert cached_plan(rulebook, dict(answers), "WBK", UnitFacts()) is first
    assert first == plan_gap(rulebook, answers, target="WBK", unit_facts=UnitFacts())
    changed = cached_plan(rulebook, {"A.I.1.i.a": "Tidak"}, "WBK", UnitFacts())
    assert changed is not first and changed.steps != first.steps
    assert cached_plan(rulebook, dict(answers), "WBK", UnitFacts(has_wbk=True)) is not first
    assert cached_plan(rulebook, dict(answers), "WBBM", UnitFacts()) is not first
