"""PEKPPP instrument (IPP) and SKM: parsing, scoring, bands, validation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from pekppp.engine import (
    Instrument,
    RulebookError,
    band_for,
    f03_mean,
    parse_instrument,
    parse_skm,
    score_ipp,
    score_skm,
    validate_scores,
)
from tests.engine.conftest import PEKPPP, REPO, SKM, require, small_pekppp_data

D = Decimal
SOURCE = "rulebooks/pekppp/uji.yaml"


@pytest.mark.parametrize(
    ("value", "grade", "label"),
    [
        ("0", "F", "Prioritas Pembinaan"),
        ("1.00", "F", "Prioritas Pembinaan"),
        ("1.004", "F", "Prioritas Pembinaan"),
        ("1.005", "E", "Prioritas Pembinaan"),  # -> 1.01
        ("1.01", "E", "Prioritas Pembinaan"),
        ("4.50", "A-", "Sangat Baik"),
        ("4.504", "A-", "Sangat Baik"),  # -> 4.50
        ("4.505", "A", "Pelayanan Prima"),  # -> 4.51
        ("4.51", "A", "Pelayanan Prima"),
        ("5.00", "A", "Pelayanan Prima"),
        ("3.5049", "B-", "Baik (dengan catatan)"),
        ("3.505", "B", "Baik"),
    ],
)
def test_band_edges(pekppp: Instrument, value: str, grade: str, label: str) -> None:
    band = band_for(pekppp, D(value))
    assert (band.grade, band.label.lower()) == (grade, label.lower())


def test_band_outside_the_scale(small_pekppp: Instrument) -> None:
    with pytest.raises(ValueError):
        band_for(small_pekppp, D("5.01"))


def test_full_instrument_worked_example(full_pekppp: Instrument) -> None:
    """Reference: all 30 indicators at 4 -> 4.00 (B); 1.a.Ak 4 -> 0 gives 4 - 4 x 0.0408."""
    codes = [i.code for i in full_pekppp.indicators()]
    assert len(codes) == 30
    assert [a.weight for a in full_pekppp.aspects] == [D(w) for w in (24, 25, 18, 11, 10, 12)]
    r = score_ipp(full_pekppp, dict.fromkeys(codes, 4))
    assert (r.ipp, r.band, r.label, r.incomplete) == (4, "B", "Baik", ())
    assert all(a.score == 4 for a in r.aspects.values())
    scores = dict.fromkeys(codes, 4)
    scores["1.a.Ak"] = 0
    r = score_ipp(full_pekppp, scores)
    assert r.ipp == D("3.8368")
    assert r.aspects["I"].score == D("3.32")
    assert r.band == "B"


def test_small_instrument_scoring(small_pekppp: Instrument) -> None:
    # Aspect I (60%): 1.a 17% x 5 + 2.a 83% x 3 = 3.34; aspect II (40%): 3.b x 1 = 1.
    r = score_ipp(small_pekppp, {"1.a": 5, "2.a": 3, "3.b": 1})
    assert r.aspects["I"].score == D("3.34") and r.aspects["I"].weight == 60
    assert r.ipp == D("2.404")  # 0.6 x 3.34 + 0.4 x 1
    assert (r.band, r.blended_ipp, r.final) == ("C-", None, D("2.404"))


def test_unanswered_counts_zero_and_is_listed(pekppp: Instrument) -> None:
    codes = [i.code for i in pekppp.indicators()]
    scores = dict.fromkeys(codes[1:], 5)
    r = score_ipp(pekppp, scores)
    assert r.incomplete == (codes[0],)
    assert not r.complete
    assert r.ipp < 5


def test_blend_only_when_asked(small_pekppp: Instrument) -> None:
    scores = {"1.a": 4, "2.a": 4, "3.b": 4}
    r = score_ipp(small_pekppp, scores, public_mean=D("5"))
    assert (r.ipp, r.blended_ipp, r.band, r.public_mean) == (4, None, "B", 5)
    r = score_ipp(small_pekppp, scores, public_mean=D("5"), blend=True)
    assert r.blended_ipp == D("4.25")  # 0.75 x 4 + 0.25 x 5
    assert (r.final, r.band) == (D("4.25"), "A-")
    with pytest.raises(ValueError, match="public_mean"):
        score_ipp(small_pekppp, scores, blend=True)


def test_f03_mean(small_pekppp: Instrument) -> None:
    assert f03_mean(small_pekppp, []) is None
    assert f03_mean(small_pekppp, [{"1.K": 5}, {"1.K": 4}, {"1.K": None}]) == D("4.5")
    assert f03_mean(small_pekppp, [{"1.K": 5}, {"1.K": 4}, {"1.K": 4}]) == D(
        "4.33333333333333333333"
    )
    with pytest.raises(ValueError):
        f03_mean(small_pekppp, [{"1.K": 6}])


def test_validate_scores_lists_every_problem(small_pekppp: Instrument) -> None:
    scores, problems = validate_scores(
        small_pekppp, {"1.a": "4", "2.a": 6, "3.b": 2.5, "9.z": 1, "x": None}
    )
    assert scores == {"1.a": 4}
    assert problems == [
        "2.a: nilai harus antara 0 dan 5 (diisi 6).",
        "3.b: nilai harus bilangan bulat 0-5, bukan 2.5.",
        "9.z: kode indikator tidak dikenal dalam instrumen pekppp-uji.",
        "x: kode indikator tidak dikenal dalam instrumen pekppp-uji.",
    ]


def test_full_instrument_loads() -> None:
    ins = parse_instrument(require(PEKPPP), source=str(PEKPPP.relative_to(REPO)))
    assert ins.code == "pekppp-2023"
    assert [b.grade for b in ins.bands] == ["A", "A-", "B", "B-", "C", "C-", "D", "E", "F"]
    assert (ins.blend_evaluator, ins.blend_public) == (D("0.75"), D("0.25"))
    assert all(len(i.rubric) == 6 for i in ins.indicators())


def invalid(data: dict[str, Any]) -> list[str]:
    with pytest.raises(RulebookError) as exc:
        parse_instrument(data, source=SOURCE)
    return exc.value.problems


def test_aspect_weights_must_sum_to_100() -> None:
    data = small_pekppp_data()
    data["aspects"][1]["weight"] = "41"
    assert invalid(data) == [f"{SOURCE}: aspects: aspect weights sum to 101, expected 100"]


def test_indicator_weights_must_sum_to_100() -> None:
    data = small_pekppp_data()
    data["aspects"][0]["indicators"][0]["weight"] = "18"
    assert invalid(data) == [f"{SOURCE}: aspect I: indicator weights sum to 101, expected 100"]


def test_rubric_needs_six_levels() -> None:
    data = small_pekppp_data()
    data["aspects"][1]["indicators"][0]["rubric"].pop()
    (problem,) = invalid(data)
    assert problem.startswith(f"{SOURCE}: 3.b: rubric must have exactly one level per score 0..5")


def test_bands_without_gap_or_overlap() -> None:
    data = small_pekppp_data()
    data["bands"][1]["min"] = "4.00"  # A- 4.00-4.50 overlaps B 3.51-4.00
    data["bands"][3]["max"] = "3.49"  # B- 3.01-3.49 leaves a gap before B 3.51
    assert invalid(data) == [
        f"{SOURCE}: band B: gap between 3.49 (B-) and 3.51",
        f"{SOURCE}: band A-: overlaps band B (3.51-4.00)",
    ]


def test_bands_must_cover_the_scale() -> None:
    data = small_pekppp_data()
    data["bands"][0]["max"] = "4.99"
    assert invalid(data) == [f"{SOURCE}: band A: the highest band ends at 4.99, expected 5.00"]


def test_duplicate_codes_and_several_problems() -> None:
    data = small_pekppp_data()
    data["aspects"][1]["indicators"][0]["code"] = "1.a"
    data["aspects"][0]["weight"] = "50"
    data["blend"]["public"] = "0.3"
    problems = invalid(data)
    assert problems == [
        f"{SOURCE}: 1.a: duplicate code (indicator; already used by a indicator)",
        f"{SOURCE}: aspects: aspect weights sum to 90, expected 100",
        f"{SOURCE}: blend: evaluator 0.75 + public 0.3 must be 1",
    ]


def test_skm() -> None:
    skm = parse_skm(require(SKM), source=str(SKM.relative_to(REPO)))
    codes = [u.code for u in skm.unsur]
    assert len(codes) == 9
    r = score_skm(skm, [dict.fromkeys(codes, 4), dict.fromkeys(codes, 3)])
    assert (r.ikm, r.nik, r.mutu, r.kinerja) == (D("3.5"), D("87.5"), "B", "Baik")
    # All 4 -> 100 (A); 1/9 weights exactly, no 99.9 ceiling.
    r = score_skm(skm, [dict.fromkeys(codes, 4)])
    assert (r.nik, r.mutu) == (100, "A")
    # NRR averages over the respondents who answered the unsur; an unsur nobody answered counts
    # 0 and is listed.
    answers = [dict.fromkeys(codes, 4) for _ in range(3)]
    answers[0]["U1"] = None
    r = score_skm(skm, answers)
    assert r.nrr["U1"] == 4 and r.incomplete == ()
    r = score_skm(skm, [dict.fromkeys(codes[1:], 4)])
    assert r.incomplete == ("U1",) and r.nrr["U1"] is None
