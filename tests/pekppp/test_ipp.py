"""The ULE's IPP, aspects and band come from the engine; checked against hand-worked cases.

Effective weight of an indicator = aspect weight x indicator weight (decision 6): e.g. 1.a.Ak
= 24% x 17% = 0.0408; 14.b.K = 25% x 30% = 0.075; aspect VI (12%) has two indicators of 50%.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from pekppp.scoring import live_figures
from tests.pekppp.conftest import f03_answers

pytestmark = pytest.mark.django_db


def _figures(pekppp, scores, score_all, world):
    score_all(pekppp.ule, scores, world.users["evaluator_assigned"])
    pekppp.ule.refresh_from_db()
    return live_figures(pekppp.ule)


def _all(pekppp, value):
    return dict.fromkeys(pekppp.indicators, value)


def test_every_indicator_four_gives_4_00_band_b(pekppp, score_all, world):
    f = _figures(pekppp, 4, score_all, world)
    assert f.ipp == Decimal("4.00")
    assert (f.band, f.label) == ("B", "Baik")
    assert all(a.score == 4 for a in f.aspects)
    assert f.complete


def test_dropping_1_a_ak_to_zero_gives_3_8368(pekppp, score_all, world):
    scores = _all(pekppp, 4) | {"1.a.Ak": 0}
    f = _figures(pekppp, scores, score_all, world)
    assert f.ipp == Decimal("3.8368")  # 4 - 4 x 0.0408
    assert f.band == "B"
    aspect_i = next(a for a in f.aspects if a.code == "I")
    assert aspect_i.score == Decimal("3.32")  # 4 - 4 x 0.17


def test_aspect_vi_at_five_over_threes_gives_3_24_b_minus(pekppp, score_all, world):
    scores = _all(pekppp, 3) | {"29.f.B": 5, "30.f.B": 5}
    f = _figures(pekppp, scores, score_all, world)
    assert f.ipp == Decimal("3.24")  # 3 + 0.12 x 2
    assert (f.band, f.label) == ("B-", "Baik (dengan catatan)")


def test_one_heavy_indicator_rounds_half_up_into_c_minus(pekppp, score_all, world):
    scores = _all(pekppp, 2) | {"14.b.K": 5}
    f = _figures(pekppp, scores, score_all, world)
    assert f.ipp == Decimal("2.225")  # 2 + 0.25 x 0.30 x 3, reported 2,23
    assert (f.band, f.label) == ("C-", "Cukup (dengan catatan)")


def test_every_indicator_five_is_pelayanan_prima(pekppp, score_all, world):
    f = _figures(pekppp, 5, score_all, world)
    assert (f.ipp, f.band, f.label) == (Decimal("5.00"), "A", "Pelayanan Prima")


def test_unscored_indicators_count_zero_and_mark_incomplete(pekppp, score_all, world):
    f = _figures(pekppp, {"1.a.Ak": 5}, score_all, world)
    assert f.ipp == Decimal("0.204")  # 5 x 0.0408
    assert f.scored == 1 and not f.complete and f.remaining == 29
    assert (f.band, f.label) == ("F", "Prioritas Pembinaan")


def test_public_mean_is_shown_but_not_blended_unless_the_ule_asks(pekppp, score_all, world):
    from pekppp import services

    for _ in range(10):
        services.submit_f03(ule=pekppp.ule, raw=f03_answers(pekppp.instrument, 2))
    f = _figures(pekppp, 4, score_all, world)
    assert f.f03_mean == Decimal(2) and f.f03_count == 10
    assert f.blended_ipp is None and f.reported == Decimal("4.00") and f.band == "B"


def test_blending_needs_the_setting_and_the_minimum_respondents(pekppp, score_all, world):
    from pekppp import services

    services.set_blend(ule=pekppp.ule, blend_public=True, by=world.users["operator"])
    for _ in range(9):
        services.submit_f03(ule=pekppp.ule, raw=f03_answers(pekppp.instrument, 2))
    f = _figures(pekppp, 4, score_all, world)
    assert f.blended_ipp is None  # 9 < 10 respondents
    services.submit_f03(ule=pekppp.ule, raw=f03_answers(pekppp.instrument, 2))
    f = live_figures(pekppp.ule)
    assert f.blended_ipp == Decimal("3.50")  # 0.75 x 4 + 0.25 x 2
    assert f.reported == Decimal("3.50") and f.band == "B-"
    assert f.ipp == Decimal("4.00")
