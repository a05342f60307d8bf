"""score_lke: hand-worked examples (exact decimals, PERSEN rules, incomplete, warnings)."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

import pytest

from assessments.engine import (
    LkeRulebook,
    UnitFacts,
    check_predikat,
    parse_lke_rulebook,
    round2,
    score_lke,
)
from assessments.engine.scoring import exact_round2, fraction_to_decimal, min_passing
from tests.engine.conftest import LKE_10, REPO, best_answers, require, worst_answers

D = Decimal


def test_all_best_answers_score_100(lke: LkeRulebook) -> None:
    r = score_lke(lke, best_answers(lke))
    assert r.incomplete == ()
    assert r.warnings == ()
    assert round2(r.total) == D("100.00")
    assert r.total == 100 and r.pengungkit == 60 and r.hasil == 40
    assert r.parts == {"pemenuhan": 30, "reform": 30}
    for key, area in r.areas.items():
        assert area.score == area.max == lke.area(key).weight
        assert area.percent == 100
        assert area.pemenuhan + area.reform == area.score
    assert r.hasil_indicators == {"ipak": D("17.5"), "capaian_kinerja": 5, "ipkp": D("17.5")}
    assert r.hasil_components == {"bersih_akuntabel": D("22.5"), "pelayanan_prima": D("17.5")}


def test_all_worst_answers_score_0_and_complete(lke: LkeRulebook) -> None:
    r = score_lke(lke, worst_answers(lke))
    assert r.complete
    assert r.total == 0 and r.pengungkit == 0 and r.hasil == 0
    assert all(v == 0 for v in r.values.values())


def test_surveys_exactly_at_their_minimum(lke: LkeRulebook) -> None:
    answers = best_answers(lke)
    answers["B.I.a"] = D("3.60")
    answers["B.II.a"] = D("3.20")
    r = score_lke(lke, answers)
    assert r.hasil_indicators["ipak"] == D("15.75")
    assert r.hasil_indicators["ipkp"] == D("14.00")
    assert r.figure("ipak") == D("15.75")
    assert r.figure("pelayanan_prima") == 14
    assert r.figure("bersih_akuntabel") == D("20.75")
    assert r.values["B.I.a"] == D("3.60")


def test_one_hundredth_below_the_survey_minimum(lke: LkeRulebook) -> None:
    answers = best_answers(lke)
    answers["B.I.a"] = D("3.59")  # 3.59 / 4 x 17.5 = 15.70625
    answers["B.II.a"] = D("3.19")  # 13.95625
    r = score_lke(lke, answers)
    assert r.hasil_indicators["ipak"] == D("15.70625")
    assert round2(r.hasil_indicators["ipak"]) == D("15.71")
    assert r.hasil_indicators["ipkp"] == D("13.95625")


def test_empty_answers_are_all_incomplete_in_rulebook_order(lke: LkeRulebook) -> None:
    r = score_lke(lke, {})
    assert r.total == 0
    expected = []
    for ind in lke.indicators():
        expected.append(ind.code)
        expected.extend(i.code for i in ind.inputs)
    expected.extend(h.code for h in lke.hasil_indicators())
    assert list(r.incomplete) == expected
    assert all(v is None for v in r.values.values())


def test_sub_area_is_average_times_weight_exactly(small_lke: LkeRulebook) -> None:
    answers = best_answers(small_lke)
    # A.II.2.iii: weight 2, three ABCDE indicators.
    answers.update({"A.II.2.iii.a": "A", "A.II.2.iii.b": "B", "A.II.2.iii.c": "C"})
    r = score_lke(small_lke, answers)
    assert r.sub_areas["A.II.2.iii"] == D("1.5")  # (1 + 0.75 + 0.5) x 2 / 3
    answers["A.II.2.iii.c"] = "B"
    r = score_lke(small_lke, answers)
    # (1 + 0.75 + 0.75) x 2 / 3 = 5/3: not a finite decimal, exposed at 20 decimals
    assert r.sub_areas["A.II.2.iii"] == D("1.66666666666666666667")
    assert r.part_areas["A.II.2"] == D("3.16666666666666666667")
    assert r.exact_value("area:penataan_tatalaksana") == Fraction(20, 3)


def test_abcd_uses_literal_067_and_033(small_lke: LkeRulebook) -> None:
    answers = best_answers(small_lke)
    answers["A.II.4.ii.a"] = "B"
    answers["A.II.4.iii.a"] = "C"
    r = score_lke(small_lke, answers)
    assert r.values["A.II.4.ii.a"] == D("0.67")
    assert r.sub_areas["A.II.4.ii"] == D("1.005")  # 0.67 x 1.5
    assert r.sub_areas["A.II.4.iii"] == D("0.495")  # 0.33 x 1.5
    assert r.areas["penguatan_akuntabilitas"].score == D("8.5")
    assert r.areas["penguatan_akuntabilitas"].reform == D("3.5")
    assert r.areas["penguatan_akuntabilitas"].percent == 85


def test_lhk_sub_area_is_the_sum_of_its_two_groups(lke: LkeRulebook) -> None:
    answers = best_answers(lke)
    answers.update({"A.II.5.iii.b.1.1": 2, "A.II.5.iii.b.1.2": 2, "A.II.5.iii.b.1.4": 2})
    answers["A.II.5.iii.b.1.3"] = 0  # 2 of 4 reported -> 50%
    r = score_lke(lke, answers)
    assert r.values["A.II.5.iii.a.1"] == 1
    assert r.values["A.II.5.iii.b.1"] == D("0.5")
    assert r.groups == {"A.II.5.iii.a": 1, "A.II.5.iii.b": D("0.5")}
    assert r.sub_areas["A.II.5.iii"] == D("1.5")


COMPLIANCE = ["A.II.5.ii.a", "A.II.5.iii.a.1", "A.II.5.iii.b.1"]
ACHIEVEMENT = ["A.II.1.i.a", "A.II.1.i.b", "A.II.4.i.a", "A.II.6.i.b"]


@pytest.mark.parametrize(
    ("code", "expected"), [(c, 1) for c in COMPLIANCE] + [(c, 0) for c in ACHIEVEMENT]
)
def test_zero_denominator_rules(lke: LkeRulebook, code: str, expected: int) -> None:
    """Decision 4: compliance ratios score 1, achievement ratios 0, with a warning."""
    ind = lke.indicator(code)
    answers = best_answers(lke)
    for i in ind.inputs:  # type: ignore[union-attr]
        answers[i.code] = 0
    r = score_lke(lke, answers)
    assert r.values[code] == expected
    assert [(w.code, w.kind) for w in r.warnings] == [(code, "zero_denominator")]
    assert code in r.warnings[0].message and "pembagi (penyebut) 0" in r.warnings[0].message


@pytest.mark.parametrize(
    ("previous", "current", "expected", "sub_area", "warned"),
    [
        (0, 0, "1", "2", True),  # nothing before, nothing now
        (0, 3, "0", "0", True),  # nothing before, some now
        (4, 1, "0.75", "1.5", False),
        (4, 0, "1", "2", False),
        (4, 4, "0", "0", False),
        (4, 6, "0", "0", False),  # more violations: max(0, ...)
        (3, 1, "0.66666666666666666667", "1.33333333333333333333", False),  # 2/3 and 4/3
    ],
)
def test_reduction_rule(
    lke: LkeRulebook, previous: int, current: int, expected: str, sub_area: str, warned: bool
) -> None:
    answers = best_answers(lke)
    answers.update({"A.II.3.iii.a.1": previous, "A.II.3.iii.a.2": current, "A.II.3.iii.a.3": 7})
    r = score_lke(lke, answers)
    assert r.values["A.II.3.iii.a"] == D(expected)
    assert r.sub_areas["A.II.3.iii"] == D(sub_area)
    assert [w.kind for w in r.warnings] == (["zero_denominator"] if warned else [])


def test_reduction_two_thirds_is_exact_in_the_sub_area(lke: LkeRulebook) -> None:
    answers = best_answers(lke)
    answers.update({"A.II.3.iii.a.1": 3, "A.II.3.iii.a.2": 1})
    r = score_lke(lke, answers)
    assert r.exact_value("area:penataan_sistem_manajemen_sdm") == Fraction(10) - Fraction(2, 3)
    assert r.sub_areas["A.II.3.iii"] == D("1.33333333333333333333")


def test_numerator_above_denominator_is_capped_with_a_warning(lke: LkeRulebook) -> None:
    answers = best_answers(lke)
    answers.update({"A.II.1.i.a.1": 4, "A.II.1.i.a.2": 9})
    r = score_lke(lke, answers)
    assert r.values["A.II.1.i.a"] == 1
    assert r.sub_areas["A.II.1.i"] == 2
    (w,) = r.warnings
    assert (w.code, w.kind) == ("A.II.1.i.a", "capped")
    assert "pembilang (9) melebihi penyebut (4)" in w.message


def test_ratio_with_several_denominator_inputs(lke: LkeRulebook) -> None:
    answers = best_answers(lke)
    answers.update(
        {"A.II.5.iii.a.1.1": 1, "A.II.5.iii.a.1.2": 4, "A.II.5.iii.a.1.3": 3, "A.II.5.iii.a.1.4": 6}
    )
    r = score_lke(lke, answers)
    assert r.values["A.II.5.iii.a.1"] == D("0.75")  # 6 / (1 + 4 + 3)
    assert r.groups["A.II.5.iii.a"] == D("0.75")


def test_persen_with_an_unanswered_input_is_unanswered(lke: LkeRulebook) -> None:
    answers = best_answers(lke)
    del answers["A.II.5.ii.a.2"]  # "sedang diproses": unused by the formula, still required
    r = score_lke(lke, answers)
    assert r.values["A.II.5.ii.a"] is None
    assert r.incomplete == ("A.II.5.ii.a", "A.II.5.ii.a.2")
    assert r.sub_areas["A.II.5.ii"] == 0
    assert r.pengungkit == 57


def test_unanswered_option_counts_zero_and_is_listed(lke: LkeRulebook) -> None:
    answers = best_answers(lke)
    del answers["A.II.1.ii.a"]
    del answers["B.I.b"]
    r = score_lke(lke, answers)
    assert r.incomplete == ("A.II.1.ii.a", "B.I.b")
    assert r.values["A.II.1.ii.a"] is None
    assert r.sub_areas["A.II.1.ii"] == 0
    assert r.hasil_indicators["capaian_kinerja"] == 0
    assert r.total == 94


def test_total_is_pengungkit_plus_hasil(small_lke: LkeRulebook) -> None:
    answers = best_answers(small_lke)
    answers.update({"A.I.1.ii.b": "B", "A.II.2.iii.c": "D", "B.I.a": D("3.33")})
    r = score_lke(small_lke, answers)
    assert r.total == r.pengungkit + r.hasil
    assert r.exact_value("total") == r.exact_value("pengungkit") + r.exact_value("hasil")


def test_figure_names(small_lke: LkeRulebook) -> None:
    r = score_lke(small_lke, best_answers(small_lke))
    assert r.figure("total") == 100
    assert r.figure("pengungkit") == 60
    assert r.figure("hasil") == 40
    assert r.figure("area:penguatan_pengawasan") == 15
    assert r.figure("part:reform") == 30
    assert r.figure("capaian_kinerja") == 5
    assert r.figure("pelayanan_prima") == D("17.5")
    with pytest.raises(KeyError):
        r.figure("nope")


def test_single_part_rulebook(single_part_lke: LkeRulebook) -> None:
    answers = best_answers(single_part_lke)
    answers["A.1.i.a"] = D("0.50")
    answers["B.I.b"] = D("0.85")  # TLHP 85% -> 0.85 x 5
    r = score_lke(single_part_lke, answers)
    area = r.areas["manajemen_perubahan"]
    assert area.score == area.pemenuhan == D("6.66666666666666666667")  # (0.5+1+1)/3 x 8
    assert area.reform == 0
    assert area.by_part == {"pengungkit": area.score}
    assert r.parts == {"pengungkit": r.pengungkit}
    assert r.hasil_indicators["capaian_kinerja"] == D("4.25")
    assert r.total == r.pengungkit + r.hasil


def test_real_10_2019_rulebook() -> None:
    rb = parse_lke_rulebook(require(LKE_10), source=str(LKE_10.relative_to(REPO)))
    r = score_lke(rb, best_answers(rb))
    assert (r.total, r.pengungkit, r.hasil, r.incomplete) == (100, 60, 40, ())
    assert list(r.parts) == ["pengungkit"]
    assert all(a.reform == 0 and a.pemenuhan == a.score == a.max for a in r.areas.values())
    answers = best_answers(rb)
    answers["B.1.a"] = Decimal("3.60")  # 3.60 / 4 x 15 = 13.50
    answers["B.2.a"] = Decimal("3.20")  # 3.20 / 4 x 20 = 16.00
    r = score_lke(rb, answers)
    assert r.hasil_indicators["persepsi_korupsi"] == D("13.5")
    assert r.hasil_indicators["persepsi_pelayanan"] == 16
    verdict = check_predikat(r, rb, UnitFacts(has_wbk=True))
    assert verdict["WBK"].meets and not verdict["WBBM"].meets


def test_invalid_answers_raise(small_lke: LkeRulebook) -> None:
    with pytest.raises(ValueError, match=re.escape("A.I.1.i.a")):
        score_lke(small_lke, {"A.I.1.i.a": "A"})
    with pytest.raises(ValueError, match=re.escape("A.II.1.i.a.1")):
        score_lke(small_lke, {"A.II.1.i.a.1": -1, "A.II.1.i.a.2": 1})
    with pytest.raises(ValueError, match=re.escape("B.I.a")):
        score_lke(small_lke, {"B.I.a": D("3.605")})


def test_area_threshold_is_decided_on_the_exact_value(small_lke: LkeRulebook) -> None:
    """Area manajemen_perubahan = 0 + 5/6 + (1 + 577/600) + 1 + 1 = 4.795 exactly, through two
    non-terminating sub-areas; it rounds to 4.80 and meets the WBK 60% (4.8)."""
    answers = best_answers(small_lke)
    answers.update({"A.I.1.i.a": "Tidak", "A.I.1.i.b": "C"})
    answers.update({"A.I.1.ii.a": "A", "A.I.1.ii.b": "E", "A.I.1.ii.c": "C"})
    answers.update({"A.II.1.i.b.1": 600, "A.II.1.i.b.2": 577})
    r = score_lke(small_lke, answers)
    assert r.sub_areas["A.I.1.ii"] == D("0.83333333333333333333")
    assert r.sub_areas["A.II.1.i"] == D("1.96166666666666666667")
    assert r.exact_value("area:manajemen_perubahan") == Fraction(4795, 1000)
    assert r.areas["manajemen_perubahan"].score == D("4.795")
    assert round2(r.areas["manajemen_perubahan"].score) == D("4.80")
    answers["A.II.1.i.b.2"] = 576
    r = score_lke(small_lke, answers)
    assert round2(r.areas["manajemen_perubahan"].score) == D("4.79")


@pytest.mark.parametrize(
    ("value", "rounded"),
    [("1.005", "1.01"), ("4.504", "4.50"), ("4.505", "4.51"), ("74.995", "75.00"), ("0", "0.00")],
)
def test_round2_half_up(value: str, rounded: str) -> None:
    assert round2(D(value)) == D(rounded)
    assert exact_round2(Fraction(D(value))) == D(rounded)


def test_exact_round2_and_min_passing() -> None:
    assert exact_round2(Fraction(29985, 400)) == D("74.96")  # 74.9625
    assert exact_round2(Fraction(-1005, 1000)) == D("-1.01")
    assert min_passing(D("75")) == Fraction(74995, 1000)
    assert min_passing(D("2.625")) == Fraction(2625, 1000)  # round2(v) >= 2.625 <=> v >= 2.625
    assert fraction_to_decimal(Fraction(1, 3)) == D("0.33333333333333333333")
    assert fraction_to_decimal(Fraction(2, 3)) == D("0.66666666666666666667")
    assert fraction_to_decimal(Fraction(63, 4)) == D("15.75")
