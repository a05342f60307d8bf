"""check_predikat: thresholds, rounding, incomplete, prior WBK."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessments.engine import LkeRulebook, UnitFacts, check_predikat, score_lke
from tests.engine.conftest import best_answers

D = Decimal

WBK_NAMES = [
    "complete",
    "total",
    "pengungkit",
    "area:manajemen_perubahan",
    "area:penataan_tatalaksana",
    "area:penataan_sistem_manajemen_sdm",
    "area:penguatan_akuntabilitas",
    "area:penguatan_pengawasan",
    "area:peningkatan_kualitas_pelayanan_publik",
    "bersih_akuntabel",
    "ipak",
    "capaian_kinerja",
    "pelayanan_prima",
]


def verdicts(rb: LkeRulebook, answers: dict, **facts: bool) -> dict:
    return check_predikat(score_lke(rb, answers), rb, UnitFacts(**facts))


def test_best_answers_meet_both(lke: LkeRulebook) -> None:
    v = verdicts(lke, best_answers(lke), has_wbk=True)
    assert v["WBK"].meets and v["WBBM"].meets
    assert [c.criterion for c in v["WBK"].criteria] == WBK_NAMES
    assert [c.criterion for c in v["WBBM"].criteria] == [*WBK_NAMES, "prior_wbk"]
    assert v["WBK"].failed == ()


def test_area_requirements_are_weight_times_percent(lke: LkeRulebook) -> None:
    v = verdicts(lke, best_answers(lke))
    required = {c.criterion: c.required for c in v["WBK"].criteria}
    assert required["area:manajemen_perubahan"] == D("4.8")
    assert required["area:penataan_tatalaksana"] == D("4.2")
    assert required["area:penguatan_pengawasan"] == 9
    required = {c.criterion: c.required for c in v["WBBM"].criteria}
    assert required["area:penataan_tatalaksana"] == D("5.25")
    assert required["area:penguatan_pengawasan"] == D("11.25")


def test_wbbm_without_prior_wbk_fails_prior_wbk(lke: LkeRulebook) -> None:
    v = verdicts(lke, best_answers(lke), has_wbk=False)
    assert v["WBK"].meets
    assert not v["WBBM"].meets
    assert [c.criterion for c in v["WBBM"].failed] == ["prior_wbk"]
    prior = v["WBBM"].criteria[-1]
    assert (prior.value, prior.required, prior.passed) == (None, None, False)
    assert verdicts(lke, best_answers(lke), has_wbk=True)["WBBM"].meets
    held = check_predikat(
        score_lke(lke, best_answers(lke)), lke, UnitFacts(held=frozenset({"WBK"}))
    )
    assert held["WBBM"].meets


def test_incomplete_never_meets(lke: LkeRulebook) -> None:
    answers = best_answers(lke)
    del answers["A.II.5.ii.a.2"]  # an input the formula does not even use
    v = verdicts(lke, answers, has_wbk=True)
    for code in ("WBK", "WBBM"):
        assert not v[code].meets
        complete = v[code].criteria[0]
        assert complete.criterion == "complete"
        assert (complete.value, complete.required, complete.passed) == (D(2), D(0), False)


def test_surveys_at_their_minimum_pass(lke: LkeRulebook) -> None:
    answers = best_answers(lke)
    answers["B.I.a"] = D("3.60")  # 15.75
    answers["B.II.a"] = D("3.20")  # 14.00
    v = verdicts(lke, answers, has_wbk=True)
    wbk = {c.criterion: c for c in v["WBK"].criteria}
    assert wbk["ipak"].passed and wbk["ipak"].value == D("15.75")
    assert wbk["pelayanan_prima"].passed and wbk["pelayanan_prima"].value == 14
    assert v["WBK"].meets
    # WBBM needs IPKP 3.60 (15.75)
    assert [c.criterion for c in v["WBBM"].failed] == ["pelayanan_prima"]


@pytest.mark.parametrize(
    ("code", "index", "criterion"),
    [("B.I.a", "3.59", "ipak"), ("B.II.a", "3.19", "pelayanan_prima")],
)
def test_an_index_one_hundredth_below_its_minimum_fails(
    lke: LkeRulebook, code: str, index: str, criterion: str
) -> None:
    answers = best_answers(lke)
    answers[code] = D(index)
    v = verdicts(lke, answers)
    assert [c.criterion for c in v["WBK"].failed] == [criterion]
    assert not v["WBK"].meets


def test_capaian_kinerja_option_thresholds(lke: LkeRulebook) -> None:
    answers = best_answers(lke)
    answers["B.I.b"] = "C"  # 2.50: WBK yes, WBBM no (3.75)
    v = verdicts(lke, answers, has_wbk=True)
    assert v["WBK"].meets
    assert [c.criterion for c in v["WBBM"].failed] == ["capaian_kinerja"]
    answers["B.I.b"] = "D"  # 1.25
    v = verdicts(lke, answers, has_wbk=True)
    assert [c.criterion for c in v["WBK"].failed] == ["capaian_kinerja"]


def test_bersih_akuntabel_is_ipak_plus_capaian(lke: LkeRulebook) -> None:
    answers = best_answers(lke)
    answers["B.I.a"] = D("3.60")
    answers["B.I.b"] = "C"  # 15.75 + 2.50 = 18.25: WBK exactly at its minimum
    v = verdicts(lke, answers, has_wbk=True)
    ba = {c.criterion: c for c in v["WBK"].criteria}["bersih_akuntabel"]
    assert (ba.value, ba.required, ba.passed) == (D("18.25"), D("18.25"), True)
    assert "bersih_akuntabel" in [c.criterion for c in v["WBBM"].failed]


def test_threshold_compares_the_value_rounded_half_up(small_lke: LkeRulebook) -> None:
    """manajemen_perubahan = 4.795 exactly -> 4.80 >= 4.8; 4.7933... -> 4.79 < 4.8."""
    answers = best_answers(small_lke)
    answers.update({"A.I.1.i.a": "Tidak", "A.I.1.i.b": "C"})
    answers.update({"A.I.1.ii.a": "A", "A.I.1.ii.b": "E", "A.I.1.ii.c": "C"})
    answers.update({"A.II.1.i.b.1": 600, "A.II.1.i.b.2": 577})
    area = {c.criterion: c for c in verdicts(small_lke, answers)["WBK"].criteria}[
        "area:manajemen_perubahan"
    ]
    assert (area.value, area.required, area.passed) == (D("4.795"), D("4.8"), True)
    answers["A.II.1.i.b.2"] = 576
    v = verdicts(small_lke, answers)
    assert [c.criterion for c in v["WBK"].failed] == ["area:manajemen_perubahan"]


def test_total_and_pengungkit_thresholds(small_lke: LkeRulebook) -> None:
    answers = best_answers(small_lke)
    # Pemenuhan A.I.5.i (7.5) and A.I.4.i (5) to zero: pengungkit 47.5 -> fails WBBM 48.
    answers.update({"A.I.5.i.a": "C", "A.I.5.i.b": "D", "A.I.5.i.c": "E", "A.I.4.i.a": "E"})
    v = verdicts(small_lke, answers, has_wbk=True)
    failed = [c.criterion for c in v["WBBM"].failed]
    assert "pengungkit" in failed
    assert "area:penguatan_pengawasan" in failed  # 7.5 of 15 = 50%
    assert {c.criterion: c.value for c in v["WBBM"].criteria}["pengungkit"] == D("47.5")


def test_result_of_another_rulebook_is_refused(small_lke: LkeRulebook, single_part_lke) -> None:
    r = score_lke(single_part_lke, {})
    with pytest.raises(ValueError, match="checked against"):
        check_predikat(r, small_lke, UnitFacts())
