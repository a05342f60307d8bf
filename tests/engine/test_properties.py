"""Property tests (Hypothesis) of the LKE and IPP engines."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.engine import (
    LkeResult,
    LkeRulebook,
    UnitFacts,
    apply_gap_plan,
    check_predikat,
    item_gains,
    plan_gap,
    round2,
    score_lke,
)
from assessments.engine.scoring import exact_round2, fraction_to_decimal, min_passing
from pekppp.engine import Instrument, band_for, score_ipp

SETTINGS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def cents(low: int, high: int) -> st.SearchStrategy[Decimal]:
    return st.integers(low, high).map(lambda c: Decimal(c).scaleb(-2))


def answer_sets(
    rb: LkeRulebook, *, missing: int = 20, index_low: int = 0
) -> st.SearchStrategy[dict[str, Any]]:
    """Random answers; each item is left unanswered with probability 1/missing (0: never).
    One list of integers is drawn and mapped onto the items (much faster than one draw each)."""
    items = [(c, s) for c, s in rb.plan.specs.items() if s.kind != "persen"]

    def build(numbers: list[int]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for (code, spec), n in zip(items, numbers, strict=True):
            if missing:
                if n % missing == 0:
                    continue
                n //= missing
            if spec.kind == "option":
                out[code] = spec.options[n % len(spec.options)]
            elif spec.kind == "count":
                out[code] = n % 13
            elif spec.kind == "indeks":
                assert spec.scale_max is not None
                high = int(spec.scale_max * 100)
                out[code] = Decimal(index_low + n % (high - index_low + 1)).scaleb(-2)
            else:
                out[code] = Decimal(n % 101).scaleb(-2)
        return out

    size = len(items)
    return st.lists(st.integers(0, 10**9), min_size=size, max_size=size).map(build)


def scores(r: LkeResult) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {"total": r.total, "pengungkit": r.pengungkit, "hasil": r.hasil}
    for name, group in [
        ("sub", r.sub_areas),
        ("group", r.groups),
        ("part_area", r.part_areas),
        ("part", r.parts),
        ("comp", r.hasil_components),
        ("hasil", r.hasil_indicators),
    ]:
        out.update({f"{name}:{k}": v for k, v in group.items()})
    out.update({f"area:{k}": a.score for k, a in r.areas.items()})
    return out


def raise_one(rb: LkeRulebook, answers: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    """The same answers with one answer raised (a better option, a higher index or NILAI, a
    larger numerator, a smaller current count of a reduction, or an unanswered item answered)."""
    specs = rb.plan.specs
    numerators, currents = set(), set()
    for ind in rb.indicators():
        if ind.formula is not None:
            if ind.formula.kind == "ratio":
                numerators.add(ind.formula.numerator)
            else:
                currents.add(ind.formula.current)
    code = data.draw(st.sampled_from([c for c, s in specs.items() if s.kind != "persen"]))
    spec = specs[code]
    new = dict(answers)
    old = answers.get(code)
    if spec.kind == "option":
        ind = rb.indicator(code)
        values = {o.key: o.value for o in ind.options}
        floor = values[old] if old is not None else Decimal(-1)
        better = [k for k, v in values.items() if v >= floor]
        new[code] = data.draw(st.sampled_from(better))
    elif spec.kind == "count":
        if old is None:
            new[code] = data.draw(st.integers(0, 12))
        elif code in numerators:
            new[code] = old + data.draw(st.integers(0, 5))
        elif code in currents:
            new[code] = old - data.draw(st.integers(0, old))
    else:
        high = int((spec.scale_max or 1) * 100)
        low = 0 if old is None else int(old * 100)
        new[code] = data.draw(cents(low, high))
    return new


@SETTINGS
@given(data=st.data())
def test_raising_one_answer_never_lowers_a_score(lke: LkeRulebook, data: st.DataObject) -> None:
    answers = data.draw(answer_sets(lke))
    before = scores(score_lke(lke, answers))
    after = scores(score_lke(lke, raise_one(lke, answers, data)))
    lowered = {k: (before[k], after[k]) for k in before if after[k] < before[k]}
    assert not lowered


@SETTINGS
@given(data=st.data())
def test_scores_stay_within_their_weights(lke: LkeRulebook, data: st.DataObject) -> None:
    r = score_lke(lke, data.draw(answer_sets(lke)))
    for key, area in r.areas.items():
        assert 0 <= area.score <= area.max == lke.area(key).weight
        assert 0 <= area.percent <= 100
    for part in lke.parts:
        for pa in part.areas:
            for sa in pa.sub_areas:
                assert 0 <= r.sub_areas[sa.code] <= sa.weight
    assert 0 <= r.pengungkit <= lke.pengungkit_weight
    assert 0 <= r.hasil <= lke.hasil_weight
    assert 0 <= r.total <= 100


@SETTINGS
@given(data=st.data())
def test_total_is_exactly_pengungkit_plus_hasil(lke: LkeRulebook, data: st.DataObject) -> None:
    r = score_lke(lke, data.draw(answer_sets(lke)))
    assert r.total == r.pengungkit + r.hasil
    assert r.exact_value("total") == r.exact_value("pengungkit") + r.exact_value("hasil")
    assert r.exact_value("pengungkit") == sum(r.exact_value(f"part:{p.key}") for p in lke.parts)
    # The exposed Decimals round like the exact values.
    for name in r.exact_numerators:
        assert round2(r.figure(name)) == exact_round2(r.exact_value(name)), name


@SETTINGS
@given(data=st.data())
def test_an_incomplete_lke_never_meets_a_predikat(lke: LkeRulebook, data: st.DataObject) -> None:
    answers = data.draw(answer_sets(lke, missing=0, index_low=300))
    dropped = data.draw(st.sampled_from(sorted(answers)))
    del answers[dropped]
    r = score_lke(lke, answers)
    assert not r.complete
    verdicts = check_predikat(r, lke, UnitFacts(has_wbk=True))
    assert not any(v.meets for v in verdicts.values())


@SETTINGS
@given(data=st.data())
def test_gap_plan_reaches_the_target_when_it_says_so(lke: LkeRulebook, data: st.DataObject) -> None:
    answers = data.draw(answer_sets(lke, missing=8, index_low=300))
    target = data.draw(st.sampled_from([p.code for p in lke.predikat]))
    facts = UnitFacts(has_wbk=data.draw(st.booleans()))
    plan = plan_gap(lke, answers, target=target, unit_facts=facts)
    after = score_lke(lke, apply_gap_plan(lke, answers, plan))
    verdict = check_predikat(after, lke, facts)[target]
    assert verdict.meets == plan.reachable
    if plan.reachable:
        assert plan.reason is None and after.complete
    else:
        assert plan.reason
    for step in plan.steps:
        if step.kind == "improve":
            assert step.points > 0 and step.helps
        else:
            assert step.helps == ("complete",)
    assert len({s.indicator for s in plan.steps}) == len(plan.steps)


def _restored(rb: LkeRulebook, lower: dict, higher: dict, code: str) -> dict:
    """`lower` with item `code` (a PERSEN indicator: its count inputs) taken from `higher`."""
    slot_inputs = {
        slot.code: slot.payload.inputs for slot in rb.plan.persen if slot.payload is not None
    }
    out = dict(lower)
    for key in (code, *slot_inputs.get(code, ())):
        if key in higher:
            out[key] = higher[key]
        else:
            out.pop(key, None)
    return out


@SETTINGS
@given(data=st.data())
def test_item_gains_equal_a_full_rescoring(lke: LkeRulebook, data: st.DataObject) -> None:
    """The evidence steps' shortcut (the total is linear in each item's value) gives exactly
    what rescoring the whole LKE with that one item changed gives."""
    lower = data.draw(answer_sets(lke, missing=6))
    higher = data.draw(answer_sets(lke, missing=6))
    codes = data.draw(st.lists(st.sampled_from(list(lke.plan.items)), max_size=12, unique=True))
    base = score_lke(lke, lower).exact_value("total")
    gains = item_gains(lke, lower, higher, codes)
    assert set(gains) == set(codes)
    for code in codes:
        after = score_lke(lke, _restored(lke, lower, higher, code)).exact_value("total")
        assert gains[code] == fraction_to_decimal(after - base), code


@settings(max_examples=200, deadline=None)
@given(
    value=st.fractions(min_value=0, max_value=100, max_denominator=10**6),
    required=st.integers(0, 10000).map(lambda c: Decimal(c).scaleb(-2)),
)
def test_min_passing_agrees_with_rounding(value: Fraction, required: Decimal) -> None:
    assert (value >= min_passing(required)) == (exact_round2(value) >= required)


@SETTINGS
@given(data=st.data())
def test_ipp_stays_in_range_and_raising_a_score_never_lowers_it(
    pekppp: Instrument, data: st.DataObject
) -> None:
    codes = [i.code for i in pekppp.indicators()]
    drawn = data.draw(st.lists(st.integers(0, 59), min_size=len(codes), max_size=len(codes)))
    scores_ = {c: n % 6 for c, n in zip(codes, drawn, strict=True) if n >= 6}  # 1 in 10 unanswered
    r = score_ipp(pekppp, scores_)
    assert 0 <= r.ipp <= 5
    assert band_for(pekppp, r.ipp).grade == r.band
    assert r.incomplete == tuple(c for c in codes if c not in scores_)
    code = data.draw(st.sampled_from(codes))
    raised = dict(scores_)
    raised[code] = data.draw(st.integers(scores_.get(code, 0), 5))
    assert score_ipp(pekppp, raised).ipp >= r.ipp
