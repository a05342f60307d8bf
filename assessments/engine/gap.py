"""Gap plan: the smallest set of answer changes (greedy) that makes a predikat's criteria pass.

Moves are single-item improvements from the current answer: an option indicator (Pengungkit or
Hasil, e.g. capaian kinerja) to a better option, a NILAI item to 1, a PERSEN indicator to 100%
by changing its count inputs. Survey indices (INDEKS) are never changed. Each step takes the move
that most reduces the total remaining shortfall over the failing numeric criteria that can still
be met (ties: fewer points, then rulebook order); the loop stops when they all pass. Then every
still-unanswered item gets its lowest answer (helps "complete").

A PERSEN move only raises the "achievement" count (numerator; for a reduction, the current
count to 0): it never invents the facts in the denominator. When the denominator is 0 and the
rule scores that 0 (e.g. no agen perubahan), the move sets the first denominator input and the
numerator to 1. When a denominator input is unanswered there is no move; the completion step
fills unanswered counts with the lowest-scoring 0/1 combination (a pessimistic assumption).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import product
from math import lcm

from .answers import Answer
from .rulebook import (
    K_NILAI,
    K_OPTION,
    K_RATIO,
    HasilIndicator,
    Indicator,
    LkeRulebook,
    PersenPlan,
    Slot,
)
from .scoring import _pct, fraction_to_decimal, min_passing, persen_value, score_lke
from .verdict import UnitFacts, check_predikat, expand_criteria

__all__ = ["GapPlan", "GapReason", "GapStep", "apply_gap_plan", "item_gains", "plan_gap"]


@dataclass(frozen=True, slots=True)
class GapStep:
    """One change. from_/to are display texts (option key, "40%" -> "100%", NILAI value);
    from_ is None when unanswered. `answer` is the new answer of `indicator` (None for PERSEN);
    `inputs` the count inputs to set. points: score gained (exact, unrounded). kind: improve |
    complete."""

    indicator: str
    from_: str | None
    to: str
    points: Decimal
    helps: tuple[str, ...]
    answer: Answer | None = None
    inputs: tuple[tuple[str, int], ...] = ()
    kind: str = "improve"


@dataclass(frozen=True, slots=True)
class GapReason:
    """Why (part of) a target cannot be reached by changing answers. `text` is Indonesian;
    `template` the same text with %(name)s placeholders and `params` their values (criterion
    keys as in the rulebook), so that a user interface can translate it."""

    kind: str  # survey_missing | prior_required | survey_low | criterion_survey_low | unreachable
    template: str
    params: tuple[tuple[str, str], ...] = ()

    @property
    def text(self) -> str:
        return self.template % dict(self.params)


def _reason(kind: str, template: str, **params: str) -> GapReason:
    return GapReason(kind, template, tuple(params.items()))


@dataclass(frozen=True, slots=True)
class GapPlan:
    """`reason`: the Indonesian explanation when the target is not reachable (the reasons'
    texts joined), kept for the command line and stored results; `reasons` the same, structured."""

    target: str
    steps: tuple[GapStep, ...]
    reachable: bool
    reason: str | None
    reasons: tuple[GapReason, ...] = ()

    @property
    def points(self) -> Decimal:
        return sum((s.points for s in self.steps), Decimal(0))


@dataclass(slots=True)
class _Move:
    item: int
    order: int
    delta: Fraction
    answer: Answer | None
    inputs: tuple[tuple[str, int], ...]
    to: str
    new_value: Fraction


@dataclass(slots=True)
class _Item:
    index: int
    code: str
    obj: Indicator | HasilIndicator
    kind: str  # option | nilai | ratio | reduction | indeks
    slot: Slot | None
    weight: Fraction
    figures: tuple[str, ...]


def _slots(rulebook: LkeRulebook) -> dict[str, Slot]:
    out: dict[str, Slot] = {}
    for _, part_plan in rulebook.plan.parts:
        for _, _, subs in part_plan:
            for _, units in subs:
                for unit in units:
                    for slot in unit.slots:
                        out[slot.code] = slot
    return out


def _items(rulebook: LkeRulebook) -> list[_Item]:
    slots = _slots(rulebook)
    objs: dict[str, Indicator | HasilIndicator] = {i.code: i for i in rulebook.indicators()}
    objs.update({h.code: h for h in rulebook.hasil_indicators()})
    items = []
    for index, code in enumerate(rulebook.plan.items):
        obj = objs[code]
        contribution = rulebook.plan.contributions[code]
        slot = slots.get(code)
        if slot is None:
            kind = "option" if obj.is_option else obj.type.lower()
        else:
            kind = {K_OPTION: "option", K_NILAI: "nilai", K_RATIO: "ratio"}.get(
                slot.kind, "reduction"
            )
        items.append(_Item(index, code, obj, kind, slot, contribution.weight, contribution.figures))
    return items


def _counts(pp: PersenPlan, answers: Mapping[str, object]) -> dict[str, int]:
    out: dict[str, int] = {}
    for ic in pp.inputs:
        value = answers.get(ic)
        if value is not None:
            out[ic] = int(value)  # type: ignore[call-overload]
    return out


def _persen_exact(slot: Slot, counts: Mapping[str, int], scale: int) -> Fraction:
    _, num, den = persen_value(slot, counts, scale)
    return Fraction(num, den)


def _value(item: _Item, answers: Mapping[str, object], scale: int) -> Fraction | None:
    if item.kind in ("ratio", "reduction"):
        assert item.slot is not None
        pp: PersenPlan = item.slot.payload
        counts = _counts(pp, answers)
        if len(counts) < len(pp.inputs):
            return None
        return _persen_exact(item.slot, counts, scale)
    answer = answers.get(item.code)
    if answer is None:
        return None
    if item.kind == "option":
        opt = item.obj.option(str(answer))
        assert opt is not None
        return Fraction(opt.value)
    return Fraction(Decimal(str(answer)))


def _display(item: _Item, answers: Mapping[str, object], value: Fraction | None) -> str | None:
    if value is None:
        return None
    if item.kind in ("ratio", "reduction"):
        return _pct(fraction_to_decimal(value))
    answer = answers[item.code]
    return (
        str(answer)
        if item.kind == "option"
        else format(Decimal(str(answer)), "f").replace(".", ",")
    )


def _persen_move(
    item: _Item, answers: Mapping[str, object], current: Fraction, scale: int
) -> _Move | None:
    assert item.slot is not None
    pp: PersenPlan = item.slot.payload
    counts = _counts(pp, answers)
    proposal = dict(counts)
    if item.kind == "ratio":
        assert pp.numerator is not None
        if any(d not in counts for d in pp.denominator):
            return None  # the facts in the denominator are unknown
        den = sum(counts[d] for d in pp.denominator)
        if den == 0:
            assert pp.zero is not None
            if pp.zero[0] < 1:
                proposal[pp.denominator[0]] = 1
                proposal[pp.numerator] = 1
        elif counts.get(pp.numerator, -1) < den:
            proposal[pp.numerator] = den
    else:
        assert pp.previous is not None and pp.current is not None
        if pp.previous not in counts:
            return None
        proposal[pp.current] = 0
    for ic in pp.inputs:
        proposal.setdefault(ic, 0)
    new_value = _persen_exact(item.slot, proposal, scale)
    if new_value <= current:
        return None
    changes = tuple((ic, proposal[ic]) for ic in pp.inputs if counts.get(ic) != proposal[ic])
    return _Move(
        item.index,
        0,
        (new_value - current) * item.weight,
        None,
        changes,
        _pct(fraction_to_decimal(new_value)),
        new_value,
    )


def _moves(
    item: _Item, answers: Mapping[str, object], value: Fraction | None, scale: int
) -> list[_Move]:
    current = value if value is not None else Fraction(0)
    if item.kind == "option":
        out = []
        for order, opt in enumerate(item.obj.options):
            v = Fraction(opt.value)
            if v > current:
                out.append(
                    _Move(item.index, order, (v - current) * item.weight, opt.key, (), opt.key, v)
                )
        return out
    if item.kind == "nilai":
        if current < 1:
            return [
                _Move(item.index, 0, (1 - current) * item.weight, Decimal(1), (), "1", Fraction(1))
            ]
        return []
    if item.kind in ("ratio", "reduction"):
        move = _persen_move(item, answers, current, scale)
        return [move] if move is not None else []
    return []  # INDEKS: survey values are never invented


def _lowest_fill(
    item: _Item, answers: Mapping[str, object], scale: int
) -> tuple[tuple[str, int], ...]:
    """Pessimistic completion of a PERSEN indicator's unanswered inputs (each 0 or 1)."""
    assert item.slot is not None
    pp: PersenPlan = item.slot.payload
    counts = _counts(pp, answers)
    missing = [ic for ic in pp.inputs if ic not in counts]
    best: tuple[Fraction, int] | None = None
    best_fill: tuple[int, ...] = ()
    for fill in product((0, 1), repeat=len(missing)):
        trial = {**counts, **dict(zip(missing, fill, strict=True))}
        key = (_persen_exact(item.slot, trial, scale), sum(fill))
        if best is None or key < best:
            best, best_fill = key, fill
    return tuple(zip(missing, best_fill, strict=True))


def apply_gap_plan(
    rulebook: LkeRulebook, answers: Mapping[str, Answer], plan: GapPlan
) -> dict[str, Answer]:
    """The answers after every step of the plan."""
    del rulebook  # the steps carry everything; kept for a uniform signature
    out = dict(answers)
    for step in plan.steps:
        if step.answer is not None:
            out[step.indicator] = step.answer
        for code, count in step.inputs:
            out[code] = count
    return out


def item_gains(
    rulebook: LkeRulebook,
    lower: Mapping[str, Answer],
    higher: Mapping[str, Answer],
    codes: list[str] | tuple[str, ...],
) -> dict[str, Decimal]:
    """code -> how much the total rises when that one item goes from its value under `lower`
    to its value under `higher`, every other item staying as in `lower`. Exact.

    The total is linear in the value of each option, NILAI and PERSEN item (the weights in
    `rulebook.plan.contributions`, the same ones `plan_gap` moves by), so one rescoring serves
    every code. Items outside that (survey indices, whose Hasil score has minima) and items
    without a value on either side are rescored in full."""
    scale = rulebook.plan.value_scale
    by_code = {item.code: item for item in _items(rulebook)}
    base: Fraction | None = None
    out: dict[str, Decimal] = {}
    for code in codes:
        item = by_code.get(code)
        if item is not None and item.kind != "indeks":
            before, after = _value(item, lower, scale), _value(item, higher, scale)
            if before is not None and after is not None:
                out[code] = fraction_to_decimal((after - before) * item.weight)
                continue
        if base is None:
            base = score_lke(rulebook, lower).exact_value("total")
        restored = dict(lower)
        inputs = (
            item.slot.payload.inputs
            if item is not None and item.kind in ("ratio", "reduction")
            else ()
        )
        for key in (code, *inputs):
            if key in higher:
                restored[key] = higher[key]
            else:
                restored.pop(key, None)
        out[code] = fraction_to_decimal(score_lke(rulebook, restored).exact_value("total") - base)
    return out


def _label(hi: HasilIndicator) -> str:
    return hi.key.replace("_", " ").upper()


def plan_gap(
    rulebook: LkeRulebook,
    answers: Mapping[str, Answer],
    *,
    target: str,
    unit_facts: UnitFacts | None = None,
) -> GapPlan:
    facts = unit_facts or UnitFacts()
    try:
        predikat = rulebook.get_predikat(target)
    except KeyError:
        raise ValueError(f"unknown predikat {target!r} in rulebook {rulebook.code}") from None
    scale = rulebook.plan.value_scale
    result = score_lke(rulebook, answers)
    work: dict[str, Answer] = dict(answers)
    items = _items(rulebook)

    criteria = [
        (name, min_passing(required))
        for name, required in expand_criteria(rulebook, predikat)
        if name != "complete" and required is not None
    ]
    names = [c for c, _ in criteria]
    values = [_value(item, work, scale) for item in items]
    moves = [_moves(item, work, values[i], scale) for i, item in enumerate(items)]
    touched = [tuple(j for j, c in enumerate(names) if c in item.figures) for item in items]

    # Exact integers: everything is scaled by the lcm of the denominators involved.
    fractions: list[Fraction] = [t for _, t in criteria]
    exact = result.exact
    fractions += [exact[c] for c in names]
    for i, item in enumerate(items):
        fractions.append(item.weight)
        if values[i] is not None:
            fractions.append(values[i] * item.weight)  # type: ignore[operator]
        if item.kind == "option":
            fractions += [Fraction(o.value) * item.weight for o in item.obj.options]
        fractions += [m.delta for m in moves[i]]
    scale_m = lcm(*(f.denominator for f in fractions))

    def as_int(f: Fraction) -> int:
        return f.numerator * (scale_m // f.denominator)

    thresholds = [as_int(t) for _, t in criteria]
    figures = [as_int(exact[c]) for c in names]
    # Criteria that cannot pass whatever the moves: leave them out of the objective.
    best_gain = [0] * len(names)
    for i in range(len(items)):
        if moves[i]:
            gain = max(as_int(m.delta) for m in moves[i])
            for j in touched[i]:
                best_gain[j] += gain
    hopeless = {j for j in range(len(names)) if figures[j] + best_gain[j] < thresholds[j]}

    steps: dict[str, GapStep] = {}
    original = {item.code: _display(item, answers, values[i]) for i, item in enumerate(items)}
    while True:
        short = [
            max(0, thresholds[j] - figures[j]) if j not in hopeless else 0
            for j in range(len(names))
        ]
        if not any(short):
            break
        best_key: tuple[int, int, int, int] | None = None
        best_move: _Move | None = None
        for i in range(len(items)):
            crit = touched[i]
            if not crit or not moves[i]:
                continue
            for m in moves[i]:
                delta = as_int(m.delta)
                reduction = 0
                for j in crit:
                    s = short[j]
                    if s:
                        reduction += delta if delta < s else s
                if reduction <= 0:
                    continue
                key = (-reduction, delta, m.item, m.order)
                if best_key is None or key < best_key:
                    best_key, best_move = key, m
        if best_move is None:
            break
        m = best_move
        item = items[m.item]
        delta = as_int(m.delta)
        helps = tuple(names[j] for j in touched[m.item] if short[j])
        for j in touched[m.item]:
            figures[j] += delta
        if m.answer is not None:
            work[item.code] = m.answer
        for code, count in m.inputs:
            work[code] = count
        values[m.item] = m.new_value
        moves[m.item] = _moves(item, work, m.new_value, scale)
        previous = steps.get(item.code)
        points = fraction_to_decimal(m.delta)
        if previous is not None:
            merged_inputs = dict(previous.inputs)
            merged_inputs.update(m.inputs)
            helps = tuple(n for n in names if n in previous.helps or n in helps)
            steps[item.code] = GapStep(
                item.code,
                previous.from_,
                m.to,
                previous.points + points,
                helps,
                m.answer,
                tuple(merged_inputs.items()),
            )
        else:
            steps[item.code] = GapStep(
                item.code, original[item.code], m.to, points, helps, m.answer, m.inputs
            )

    # Completion: answer every still-unanswered item with its lowest answer.
    reasons: list[GapReason] = []
    completion: list[GapStep] = []
    for item in items:
        if item.kind == "indeks":
            if work.get(item.code) is None:
                assert isinstance(item.obj, HasilIndicator)
                reasons.append(
                    _reason(
                        "survey_missing",
                        "Nilai survei %(survey)s belum diisi; rencana tidak dapat mengisi nilai "
                        "survei",
                        survey=_label(item.obj),
                    )
                )
            continue
        if item.kind in ("ratio", "reduction"):
            assert item.slot is not None
            pp: PersenPlan = item.slot.payload
            if all(work.get(ic) is not None for ic in pp.inputs):
                continue
            fill = _lowest_fill(item, work, scale)
            work.update(fill)
            value = _persen_exact(item.slot, _counts(pp, work), scale)
            completion.append(
                GapStep(
                    item.code,
                    None,
                    _pct(fraction_to_decimal(value)),
                    fraction_to_decimal(value * item.weight),
                    ("complete",),
                    None,
                    fill,
                    "complete",
                )
            )
            continue
        if work.get(item.code) is not None:
            continue
        if item.kind == "option":
            lowest = min(item.obj.options, key=lambda o: o.value)
            answer: Answer = lowest.key
            value = Fraction(lowest.value)
            to = lowest.key
        else:
            answer, value, to = Decimal("0.00"), Fraction(0), "0"
        work[item.code] = answer
        completion.append(
            GapStep(
                item.code,
                None,
                to,
                fraction_to_decimal(value * item.weight),
                ("complete",),
                answer,
                (),
                "complete",
            )
        )

    plan = GapPlan(target, (*steps.values(), *completion), False, None)
    final = score_lke(rulebook, apply_gap_plan(rulebook, answers, plan))
    verdict = check_predikat(final, rulebook, facts)[target]
    if predikat.requires_prior and not facts.holds(predikat.requires_prior):
        prior = rulebook.get_predikat(predikat.requires_prior)
        reasons.insert(
            0,
            _reason(
                "prior_required",
                "Unit kerja belum berpredikat %(prior)s; %(target)s mensyaratkannya",
                prior=prior.name,
                target=predikat.name,
            ),
        )
    unknown_counts = [
        item.code
        for i, item in enumerate(items)
        if item.kind in ("ratio", "reduction") and not moves[i] and values[i] is None
    ]
    indeks = [it for it in items if it.kind == "indeks"]
    for c in verdict.failed:
        if c.criterion == "complete" or c.criterion.startswith("prior_"):
            continue
        if any(
            it.kind == "indeks" and work.get(it.code) is None and c.criterion in it.figures
            for it in indeks
        ):
            # Already explained (a survey value is missing). Checked first: with a survey
            # missing, the others' values cannot be blamed for the shortfall.
            continue
        low = [
            it.obj
            for it in indeks
            if c.criterion in it.figures
            and work.get(it.code) is not None
            and isinstance(it.obj, HasilIndicator)
            and it.obj.scale_max is not None
            and Decimal(str(work[it.code])) < it.obj.scale_max
        ]
        if any(it.code == c.criterion or it.obj.key == c.criterion for it in indeks) and low:
            reason = _reason(
                "survey_low",
                "Nilai survei %(survey)s di bawah minimum; tidak dapat dicapai dengan mengubah "
                "jawaban",
                survey=_label(low[0]),
            )
        elif low:
            reason = _reason(
                "criterion_survey_low",
                "Kriteria %(criterion)s tidak dapat dipenuhi dengan mengubah jawaban (nilai "
                "survei %(surveys)s terlalu rendah)",
                criterion=c.criterion,
                surveys=", ".join(_label(h) for h in low),
            )
        else:
            related = [
                code
                for code in unknown_counts
                if c.criterion in rulebook.plan.contributions[code].figures
            ]
            if related:
                reason = _reason(
                    "unreachable_counts",
                    "Kriteria %(criterion)s tidak dapat dipenuhi dengan mengubah jawaban; "
                    "lengkapi dulu data jumlah %(codes)s",
                    criterion=c.criterion,
                    codes=", ".join(related),
                )
            else:
                reason = _reason(
                    "unreachable",
                    "Kriteria %(criterion)s tidak dapat dipenuhi dengan mengubah jawaban",
                    criterion=c.criterion,
                )
        reasons.append(reason)
    reasons = list(dict.fromkeys(reasons))
    reachable = verdict.meets
    if not reachable and not reasons:
        reasons = [_reason("not_reached", "Kriteria tidak tercapai")]
    if reachable:
        return GapPlan(target, plan.steps, True, None)
    return GapPlan(target, plan.steps, False, ". ".join(r.text for r in reasons), tuple(reasons))
