"""Predikat verdicts: `check_predikat`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from .rulebook import LkeRulebook, Predikat
from .scoring import LkeResult, exact_round2, min_passing

__all__ = ["CriterionResult", "UnitFacts", "Verdict", "check_predikat", "expand_criteria"]


@dataclass(frozen=True, slots=True)
class UnitFacts:
    """Facts about the unit that the LKE does not hold. `held`: predikat codes the unit already
    holds (has_wbk=True is the same as "WBK" in held)."""

    has_wbk: bool = False
    held: frozenset[str] = field(default_factory=frozenset)

    def holds(self, code: str) -> bool:
        return code in self.held or (code == "WBK" and self.has_wbk)


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """complete: value = number of unanswered items, required = 0. Numeric criteria: value =
    the figure (unrounded), required = the minimum; passed = round2(value) >= required (decided
    on the exact value). prior_<code>: value and required None."""

    criterion: str
    value: Decimal | None
    required: Decimal | None
    passed: bool


@dataclass(frozen=True, slots=True)
class Verdict:
    code: str
    meets: bool
    criteria: tuple[CriterionResult, ...]

    @property
    def failed(self) -> tuple[CriterionResult, ...]:
        return tuple(c for c in self.criteria if not c.passed)


def expand_criteria(
    rulebook: LkeRulebook, predikat: Predikat
) -> Iterator[tuple[str, Decimal | None]]:
    """(criterion name, required) in order: `area` becomes area:<key> per area (required =
    weight x min_percent / 100); complete has required 0; prior_<code> (last) has None."""
    for c in predikat.criteria:
        if c.criterion == "complete":
            yield "complete", Decimal(0)
        elif c.criterion == "area":
            assert c.min_percent is not None
            for area in rulebook.areas:
                yield f"area:{area.key}", area.weight * c.min_percent / 100
        else:
            yield c.criterion, c.min
    if predikat.requires_prior:
        yield f"prior_{predikat.requires_prior.lower()}", None


def passes(exact_value: Fraction, required: Decimal) -> bool:
    return exact_value >= min_passing(required)


def check_predikat(
    result: LkeResult, rulebook: LkeRulebook, unit_facts: UnitFacts | None = None
) -> dict[str, Verdict]:
    """A Verdict per predikat code, criteria in the rulebook's order. An incomplete result never
    meets a predikat (product decision 2)."""
    if result.rulebook_code != rulebook.code:
        raise ValueError(
            f"result of rulebook {result.rulebook_code!r} checked against {rulebook.code!r}"
        )
    facts = unit_facts or UnitFacts()
    verdicts: dict[str, Verdict] = {}
    for predikat in rulebook.predikat:
        out: list[CriterionResult] = []
        for name, required in expand_criteria(rulebook, predikat):
            if name == "complete":
                missing = len(result.incomplete)
                out.append(CriterionResult(name, Decimal(missing), required, missing == 0))
            elif required is None:
                assert predikat.requires_prior is not None
                out.append(CriterionResult(name, None, None, facts.holds(predikat.requires_prior)))
            else:
                exact = result.exact_value(name)
                out.append(
                    CriterionResult(
                        name, result.figure(name), required, exact_round2(exact) >= required
                    )
                )
        meets = result.complete and all(c.passed for c in out)
        verdicts[predikat.code] = Verdict(predikat.code, meets, tuple(out))
    return verdicts
