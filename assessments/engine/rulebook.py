"""LKE rulebook: frozen dataclasses, validation (`parse_lke_rulebook`) and the scoring plan.

The format is described in docs/rulebooks.md. Every number is read with ``Decimal(str(x))``.
The parser collects every problem of a file before refusing it with a `RulebookError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from math import gcd, lcm
from typing import Any

__all__ = [
    "BUILTIN_TYPES",
    "Area",
    "CountInput",
    "Formula",
    "Group",
    "HasilComponent",
    "HasilIndicator",
    "Indicator",
    "LkeRulebook",
    "Option",
    "Part",
    "PartArea",
    "Predikat",
    "PredikatCriterion",
    "Problems",
    "RulebookError",
    "SubArea",
    "parse_lke_rulebook",
]

PERSEN = "PERSEN"
JUMLAH = "JUMLAH"
INDEKS = "INDEKS"
NILAI = "NILAI"
BUILTIN_TYPES = frozenset({PERSEN, JUMLAH, INDEKS, NILAI})
FORMULA_KINDS = ("ratio", "reduction")
# Criterion names that are not hasil keys.
RESERVED_FIGURES = frozenset({"complete", "total", "pengungkit", "hasil", "area"})


class RulebookError(ValueError):
    """A rulebook file was refused. `problems` lists every problem found, one per line."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        head = f"rulebook refused: {count} problem{'s' if count != 1 else ''}"
        super().__init__("\n".join([head, *(f"- {p}" for p in self.problems)]))


# --------------------------------------------------------------------------- dataclasses


@dataclass(frozen=True, slots=True)
class Option:
    key: str
    value: Decimal
    criterion: str = ""


@dataclass(frozen=True, slots=True)
class CountInput:
    code: str
    text: str
    workbook_row: int | None = None


@dataclass(frozen=True, slots=True)
class Formula:
    """PERSEN formula. ratio: min(1, numerator / sum(denominator)), `zero_denominator` when the
    sum is 0. reduction: previous 0 and current 0 -> `both_zero`; previous 0 and current > 0 ->
    `previous_zero`; else max(0, (previous - current) / previous)."""

    kind: str
    numerator: str | None = None
    denominator: tuple[str, ...] = ()
    zero_denominator: Decimal | None = None
    previous: str | None = None
    current: str | None = None
    both_zero: Decimal | None = None
    previous_zero: Decimal | None = None

    @property
    def used_inputs(self) -> tuple[str, ...]:
        if self.kind == "ratio":
            return (*self.denominator, *([self.numerator] if self.numerator else []))
        return tuple(c for c in (self.previous, self.current) if c)


@dataclass(frozen=True, slots=True)
class Indicator:
    """A scored Pengungkit indicator: an option type, PERSEN (from count inputs) or NILAI."""

    code: str
    text: str
    type: str
    options: tuple[Option, ...] = ()
    criterion: str = ""
    formula: Formula | None = None
    inputs: tuple[CountInput, ...] = ()
    evidence_hints: tuple[str, ...] = ()
    workbook_row: int | None = None

    @property
    def is_option(self) -> bool:
        return self.type not in BUILTIN_TYPES

    def option(self, key: str) -> Option | None:
        for opt in self.options:
            if opt.key == key:
                return opt
        return None


@dataclass(frozen=True, slots=True)
class Group:
    code: str
    name: str
    weight: Decimal
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True, slots=True)
class SubArea:
    """Either `indicators` (score = average of values x weight) or `groups` (sum of groups)."""

    code: str
    name: str
    weight: Decimal
    indicators: tuple[Indicator, ...] = ()
    groups: tuple[Group, ...] = ()

    def all_indicators(self) -> Iterator[Indicator]:
        yield from self.indicators
        for group in self.groups:
            yield from group.indicators


@dataclass(frozen=True, slots=True)
class PartArea:
    """An area inside a part (e.g. A.I.1 = Manajemen Perubahan in Pemenuhan)."""

    code: str
    area: str
    weight: Decimal
    sub_areas: tuple[SubArea, ...]


@dataclass(frozen=True, slots=True)
class Part:
    code: str
    key: str
    name: str
    weight: Decimal
    areas: tuple[PartArea, ...]


@dataclass(frozen=True, slots=True)
class Area:
    key: str
    name: str
    weight: Decimal


@dataclass(frozen=True, slots=True)
class HasilIndicator:
    """INDEKS: score = value / scale_max x weight; option type: value x weight; NILAI: value x
    weight."""

    code: str
    key: str
    text: str
    type: str
    weight: Decimal
    scale_max: Decimal | None = None
    options: tuple[Option, ...] = ()
    criterion: str = ""
    workbook_row: int | None = None

    @property
    def is_option(self) -> bool:
        return self.type not in BUILTIN_TYPES

    def option(self, key: str) -> Option | None:
        for opt in self.options:
            if opt.key == key:
                return opt
        return None


@dataclass(frozen=True, slots=True)
class HasilComponent:
    code: str
    key: str
    name: str
    weight: Decimal
    indicators: tuple[HasilIndicator, ...]


@dataclass(frozen=True, slots=True)
class PredikatCriterion:
    """One criterion as written in the file; `area` expands to area:<key> for every area."""

    criterion: str
    min: Decimal | None = None
    min_percent: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Predikat:
    code: str
    name: str
    criteria: tuple[PredikatCriterion, ...]
    requires_prior: str | None = None


# --------------------------------------------------------------------------- scoring plan
# Flattened, precomputed structures used by score_lke, validate_answers and plan_gap. Exact
# integer arithmetic: option values are integers over `value_scale` (10**d); a unit (a
# sub-area without groups, or a group) scores sum(values) * weight / n, which times
# `denominator` is the integer sum(scaled values) * `mult`. A PERSEN ratio num/den adds
# num * `fmult` / den (score_lke multiplies the whole scoring by the lcm of those den).

K_OPTION = 0
K_NILAI = 1
K_RATIO = 2
K_REDUCTION = 3


@dataclass(frozen=True, slots=True)
class PersenPlan:
    inputs: tuple[str, ...]
    numerator: str | None
    denominator: tuple[str, ...]
    zero: tuple[Decimal, int] | None  # (value, scaled value)
    previous: str | None
    current: str | None
    both_zero: tuple[Decimal, int] | None
    previous_zero: tuple[Decimal, int] | None


@dataclass(frozen=True, slots=True)
class Slot:
    """One scored Pengungkit indicator. payload: option key -> (value, scaled value) for
    K_OPTION, PersenPlan for K_RATIO/K_REDUCTION, None for K_NILAI."""

    kind: int
    code: str
    payload: Any


@dataclass(frozen=True, slots=True)
class Unit:
    code: str  # sub-area code, or group code
    is_group: bool
    mult: int
    fmult: int  # multiplier of a PERSEN ratio's numerator (over its denominator)
    slots: tuple[Slot, ...]


@dataclass(frozen=True, slots=True)
class AnswerSpec:
    """What an answer code accepts. kind: option | count | indeks | nilai | persen."""

    kind: str
    owner: str  # the indicator the code belongs to (itself, or the PERSEN of an input)
    options: tuple[str, ...] = ()
    scale_max: Decimal | None = None
    inputs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Contribution:
    """How one answerable item moves the criterion figures: value delta x `weight`."""

    weight: Fraction
    figures: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HasilSlot:
    """payload: option -> key: (value, score x denominator); indeks/nilai: score x denominator
    of one hundredth of the value."""

    code: str
    key: str
    kind: str  # option | indeks | nilai
    payload: Any


@dataclass(frozen=True, slots=True)
class ScoringPlan:
    value_scale: int
    denominator: int
    parts: tuple[
        tuple[str, tuple[tuple[str, str, tuple[tuple[str, tuple[Unit, ...]], ...]], ...]], ...
    ]
    persen: tuple[Slot, ...]
    hasil: tuple[tuple[str, tuple[HasilSlot, ...]], ...]
    specs: dict[str, AnswerSpec]
    contributions: dict[str, Contribution]
    items: tuple[str, ...]  # scored items in rulebook order (Pengungkit indicators, then Hasil)
    area_weights: dict[str, tuple[Decimal, int, int]]  # key -> (weight, numerator, denominator)


def _scaled(value: Decimal, scale: int) -> int:
    scaled = value * scale
    if scaled != scaled.to_integral_value():  # pragma: no cover - scale covers all decimals
        raise ValueError(f"{value} has more decimals than the scale {scale}")
    return int(scaled)


def _decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _build_plan(rb: LkeRulebook) -> ScoringPlan:
    values: list[Decimal] = [v for opts in rb.answer_types.values() for v in opts.values()]
    weights: list[Decimal] = []
    counts: list[int] = []
    for part in rb.parts:
        for pa in part.areas:
            for sa in pa.sub_areas:
                units = [(g.weight, g.indicators) for g in sa.groups] or [
                    (sa.weight, sa.indicators)
                ]
                for weight, inds in units:
                    weights.append(weight)
                    counts.append(len(inds))
                    for ind in inds:
                        values.extend(opt.value for opt in ind.options)
                        f = ind.formula
                        if f is not None:
                            values.extend(
                                v for v in (f.zero_denominator, f.both_zero, f.previous_zero) if v
                            )
                        if ind.type == NILAI:
                            values.append(Decimal("0.01"))
    value_scale = 10 ** max([0, *map(_decimals, values)])
    weight_scale = 10 ** max([0, *map(_decimals, weights)])
    n_lcm = lcm(*[c for c in counts if c] or [1])
    base = value_scale * weight_scale * n_lcm
    # Hasil scores (x denominator) must be whole numbers too: value (1/100 steps for INDEKS
    # and NILAI, option values) x weight (/ scale_max).
    needed = [1]
    for hi in rb.hasil_indicators():
        per_unit = Fraction(hi.weight) / (Fraction(hi.scale_max) if hi.scale_max else 1)
        if hi.is_option:
            needed += [(Fraction(o.value) * per_unit).denominator for o in hi.options]
        else:
            needed.append((per_unit / 100).denominator)
    extra = lcm(*[r // gcd(r, base) for r in needed])
    denominator = base * extra

    def pair(v: Decimal | None) -> tuple[Decimal, int] | None:
        return None if v is None else (v, _scaled(v, value_scale))

    specs: dict[str, AnswerSpec] = {}
    contributions: dict[str, Contribution] = {}
    items: list[str] = []
    persen: list[Slot] = []
    parts_plan = []
    for part in rb.parts:
        areas_plan = []
        for pa in part.areas:
            figures = ("total", "pengungkit", f"part:{part.key}", f"area:{pa.area}")
            subs_plan = []
            for sa in pa.sub_areas:
                raw_units = [(g.code, True, g.weight, g.indicators) for g in sa.groups] or [
                    (sa.code, False, sa.weight, sa.indicators)
                ]
                units = []
                for code, is_group, weight, inds in raw_units:
                    n = len(inds) or 1
                    mult = int(weight * weight_scale) * (n_lcm // n) * extra
                    slots = []
                    for ind in inds:
                        items.append(ind.code)
                        contributions[ind.code] = Contribution(Fraction(weight) / n, figures)
                        if ind.is_option:
                            payload = {
                                o.key: (o.value, _scaled(o.value, value_scale)) for o in ind.options
                            }
                            slots.append(Slot(K_OPTION, ind.code, payload))
                            specs[ind.code] = AnswerSpec(
                                "option", ind.code, options=tuple(o.key for o in ind.options)
                            )
                        elif ind.type == NILAI:
                            slots.append(Slot(K_NILAI, ind.code, None))
                            specs[ind.code] = AnswerSpec("nilai", ind.code)
                        else:
                            f = ind.formula
                            assert f is not None
                            input_codes = tuple(i.code for i in ind.inputs)
                            pp = PersenPlan(
                                inputs=input_codes,
                                numerator=f.numerator,
                                denominator=f.denominator,
                                zero=pair(f.zero_denominator),
                                previous=f.previous,
                                current=f.current,
                                both_zero=pair(f.both_zero),
                                previous_zero=pair(f.previous_zero),
                            )
                            kind = K_RATIO if f.kind == "ratio" else K_REDUCTION
                            slot = Slot(kind, ind.code, pp)
                            slots.append(slot)
                            persen.append(slot)
                            specs[ind.code] = AnswerSpec("persen", ind.code, inputs=input_codes)
                            for ic in input_codes:
                                specs[ic] = AnswerSpec("count", ind.code)
                    units.append(Unit(code, is_group, mult, mult * value_scale, tuple(slots)))
                subs_plan.append((sa.code, tuple(units)))
            areas_plan.append((pa.code, pa.area, tuple(subs_plan)))
        parts_plan.append((part.key, tuple(areas_plan)))

    def whole(f: Fraction) -> int:
        assert f.denominator == 1
        return int(f)

    hasil_plan = []
    for comp in rb.hasil_components:
        slots_h = []
        for hi in comp.indicators:
            items.append(hi.code)
            figures = ("total", "hasil", comp.key, hi.key)
            weight = Fraction(hi.weight)
            if hi.is_option:
                payload = {
                    o.key: (o.value, whole(Fraction(o.value) * weight * denominator))
                    for o in hi.options
                }
                slots_h.append(HasilSlot(hi.code, hi.key, "option", payload))
                specs[hi.code] = AnswerSpec("option", hi.code, options=tuple(payload))
                contributions[hi.code] = Contribution(weight, figures)
            else:
                if hi.type == INDEKS:
                    assert hi.scale_max is not None
                    factor = weight / Fraction(hi.scale_max)
                    specs[hi.code] = AnswerSpec("indeks", hi.code, scale_max=hi.scale_max)
                else:
                    factor = weight
                    specs[hi.code] = AnswerSpec("nilai", hi.code)
                cent = whole(factor * denominator / 100)
                slots_h.append(HasilSlot(hi.code, hi.key, hi.type.lower(), cent))
                contributions[hi.code] = Contribution(factor, figures)
        hasil_plan.append((comp.key, tuple(slots_h)))

    area_weights = {}
    for a in rb.areas:
        fw = Fraction(a.weight)
        area_weights[a.key] = (a.weight, fw.numerator, fw.denominator)
    return ScoringPlan(
        value_scale=value_scale,
        denominator=denominator,
        parts=tuple(parts_plan),
        persen=tuple(persen),
        hasil=tuple(hasil_plan),
        specs=specs,
        contributions=contributions,
        items=tuple(items),
        area_weights=area_weights,
    )


@dataclass(frozen=True, slots=True, eq=False)
class LkeRulebook:
    """A validated LKE rulebook. Compared and hashed by identity (usable as a cache key);
    `plan` holds the precomputed scoring structures."""

    code: str
    version: str
    title: str
    answer_types: Mapping[str, Mapping[str, Decimal]]
    areas: tuple[Area, ...]
    pengungkit_code: str
    pengungkit_name: str
    pengungkit_weight: Decimal
    parts: tuple[Part, ...]
    hasil_code: str
    hasil_name: str
    hasil_weight: Decimal
    hasil_components: tuple[HasilComponent, ...]
    predikat: tuple[Predikat, ...]
    regulation: str = ""
    effective_date: dt.date | None = None
    current: bool = False
    notes: str = ""
    source: str = ""
    plan: ScoringPlan = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "plan", _build_plan(self))

    # ---------------------------------------------------------------- lookups
    def indicators(self) -> Iterator[Indicator]:
        """Scored Pengungkit indicators in rulebook order."""
        for part in self.parts:
            for pa in part.areas:
                for sa in pa.sub_areas:
                    yield from sa.all_indicators()

    def hasil_indicators(self) -> Iterator[HasilIndicator]:
        for comp in self.hasil_components:
            yield from comp.indicators

    def indicator(self, code: str) -> Indicator | HasilIndicator:
        for ind in self.indicators():
            if ind.code == code:
                return ind
        for hi in self.hasil_indicators():
            if hi.code == code:
                return hi
        raise KeyError(code)

    def area(self, key: str) -> Area:
        for a in self.areas:
            if a.key == key:
                return a
        raise KeyError(key)

    def get_predikat(self, code: str) -> Predikat:
        for p in self.predikat:
            if p.code == code:
                return p
        raise KeyError(code)

    def answer_codes(self) -> tuple[str, ...]:
        """Every code that takes an answer, in rulebook order (PERSEN codes excluded)."""
        return tuple(c for c, s in self.plan.specs.items() if s.kind != "persen")


# --------------------------------------------------------------------------- validation


class Problems:
    """Collects problems of one file; every message names the file and the code at fault."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{self.source}: {where}: {message}")

    def raise_if_any(self) -> None:
        if self.items:
            raise RulebookError(self.items)

    # -------------------------------------------------------------- readers
    def mapping(self, value: object, where: str, what: str) -> Mapping[str, Any]:
        if isinstance(value, Mapping):
            return value
        self.add(where, f"{what} must be a mapping")
        return {}

    def seq(self, value: object, where: str, what: str, *, required: bool = True) -> list[Any]:
        if value is None and not required:
            return []
        if isinstance(value, list | tuple):
            return list(value)
        self.add(where, f"{what} must be a list")
        return []

    def text(self, data: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.add(where, f"missing `{key}`")
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.add(where, f"`{key}` must be a string")
            return ""
        return str(value)

    def number(
        self,
        value: object,
        where: str,
        what: str,
        *,
        low: Decimal | None = Decimal(0),
        high: Decimal | None = None,
    ) -> Decimal | None:
        if value is None:
            self.add(where, f"missing {what}")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
            self.add(where, f"{what} must be a number, got {value!r}")
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            self.add(where, f"{what} must be a number, got {value!r}")
            return None
        if not number.is_finite():
            self.add(where, f"{what} must be a finite number, got {value!r}")
            return None
        if low is not None and number < low:
            self.add(where, f"{what} must be >= {low}, got {number}")
        if high is not None and number > high:
            self.add(where, f"{what} must be <= {high}, got {number}")
        return number

    def header(self, data: Mapping[str, Any], kind: str) -> dict[str, Any]:
        where = str(data.get("code") or "(header)")
        if data.get("kind") != kind:
            self.add(where, f"`kind` must be {kind!r}, got {data.get('kind')!r}")
        out: dict[str, Any] = {
            "code": self.text(data, "code", where),
            "title": self.text(data, "title", where),
            "regulation": self.text(data, "regulation", where, required=False),
            "notes": self.text(data, "notes", where, required=False),
        }
        version = data.get("version")
        if not isinstance(version, str) or not version:
            self.add(where, f"`version` must be a non-empty string (quote it), got {version!r}")
            version = str(version or "")
        out["version"] = version
        current = data.get("current", False)
        if not isinstance(current, bool):
            self.add(where, f"`current` must be true or false, got {current!r}")
            current = False
        out["current"] = current
        eff = data.get("effective_date")
        if eff is None or isinstance(eff, dt.date):
            out["effective_date"] = eff
        else:
            try:
                out["effective_date"] = dt.date.fromisoformat(str(eff))
            except ValueError:
                self.add(where, f"`effective_date` must be a date (YYYY-MM-DD), got {eff!r}")
                out["effective_date"] = None
        return out


class _Codes:
    """Detects duplicate codes across a whole file."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.seen: dict[str, str] = {}

    def claim(self, code: str, what: str) -> None:
        if not code:
            return
        if code in self.seen:
            self.problems.add(code, f"duplicate code ({what}; already used by a {self.seen[code]})")
        else:
            self.seen[code] = what


def _weights(items: object) -> list[Decimal | None]:
    """The `weight` of every mapping in a list, None where missing or not a number (the
    problem is reported where the item is parsed; a sum is then not checked)."""
    out: list[Decimal | None] = []
    for item in items if isinstance(items, list) else []:
        raw = item.get("weight") if isinstance(item, Mapping) else None
        try:
            ok = raw is not None and not isinstance(raw, bool)
            value = Decimal(str(raw).strip()) if ok else None
        except InvalidOperation:
            value = None
        out.append(value if value is not None and value.is_finite() else None)
    return out


def _sum(values: Iterable[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


def _check_sum(
    problems: Problems,
    where: str,
    parts: Iterable[Decimal | None],
    whole: Decimal | None,
    what: str,
) -> None:
    parts = list(parts)
    if whole is None or any(p is None for p in parts):
        return
    total = _sum(parts)
    if total != whole:
        problems.add(where, f"{what} sum to {total}, expected {whole}")


def _parse_options(
    p: Problems,
    raw: object,
    where: str,
    type_name: str,
    answer_types: Mapping[str, Mapping[str, Decimal]],
) -> tuple[Option, ...]:
    values = answer_types.get(type_name)
    if values is None:
        return ()
    out: list[Option] = []
    seen: set[str] = set()
    for item in p.seq(raw, where, "options"):
        if isinstance(item, Mapping):
            key = item.get("key")
            criterion = item.get("criterion") or ""
        else:
            key, criterion = item, ""
        key = str(key) if key is not None else ""
        if key in seen:
            p.add(where, f"option {key!r} listed twice")
            continue
        seen.add(key)
        if key not in values:
            p.add(where, f"option {key!r} is not a key of answer type {type_name}")
            continue
        out.append(Option(key, values[key], str(criterion)))
    missing = [k for k in values if k not in seen]
    if missing:
        p.add(where, f"options miss {', '.join(missing)} of answer type {type_name}")
    # Keep the answer type's order, so that option order is the same everywhere.
    order = list(values)
    return tuple(sorted(out, key=lambda o: order.index(o.key)))


def _row(p: Problems, data: Mapping[str, Any], where: str) -> int | None:
    row = data.get("workbook_row")
    if row is None:
        return None
    if isinstance(row, bool) or not isinstance(row, int) or row < 1:
        p.add(where, f"`workbook_row` must be a positive whole number, got {row!r}")
        return None
    return row


def _parse_formula(
    p: Problems, raw: object, where: str, inputs: tuple[CountInput, ...]
) -> Formula | None:
    if raw is None:
        p.add(where, "PERSEN indicator needs a `formula`")
        return None
    data = p.mapping(raw, where, "formula")
    kind = data.get("kind")
    declared = {i.code for i in inputs}

    def ref(key: str) -> str | None:
        value = data.get(key)
        if not isinstance(value, str) or not value:
            p.add(where, f"formula `{key}` must name an input code")
            return None
        if value not in declared:
            p.add(where, f"formula `{key}` references {value}, which is not a declared input")
        return value

    def fraction_value(key: str) -> Decimal | None:
        return p.number(data.get(key), where, f"formula `{key}`", low=Decimal(0), high=Decimal(1))

    if kind == "ratio":
        numerator = ref("numerator")
        den_raw = data.get("denominator")
        if isinstance(den_raw, str):
            den_raw = [den_raw]
        denominator: list[str] = []
        for code in p.seq(den_raw, where, "formula `denominator`"):
            code = str(code)
            if code not in declared:
                p.add(
                    where, f"formula `denominator` references {code}, which is not a declared input"
                )
            denominator.append(code)
        if not denominator:
            p.add(where, "formula `denominator` must list at least one input")
        if numerator is not None and numerator in denominator:
            p.add(where, f"formula numerator {numerator} is also in the denominator")
        return Formula(
            "ratio",
            numerator=numerator,
            denominator=tuple(denominator),
            zero_denominator=fraction_value("zero_denominator"),
        )
    if kind == "reduction":
        previous, current = ref("previous"), ref("current")
        if previous is not None and previous == current:
            p.add(where, "formula `previous` and `current` are the same input")
        return Formula(
            "reduction",
            previous=previous,
            current=current,
            both_zero=fraction_value("both_zero"),
            previous_zero=fraction_value("previous_zero"),
        )
    p.add(where, f"unknown formula kind {kind!r} (expected one of {', '.join(FORMULA_KINDS)})")
    return None


def _parse_indicator(
    p: Problems,
    raw: object,
    parent: str,
    answer_types: Mapping[str, Mapping[str, Decimal]],
    codes: _Codes,
) -> Indicator | None:
    data = p.mapping(raw, parent, "indicator")
    code = p.text(data, "code", f"{parent} (indicator)")
    where = code or f"{parent} (indicator)"
    codes.claim(code, "indicator")
    text = p.text(data, "text", where, required=False)
    type_name = p.text(data, "type", where)
    allowed = set(answer_types) | {PERSEN, NILAI}
    if type_name and type_name not in allowed:
        p.add(
            where,
            f"unknown type {type_name!r} for a Pengungkit indicator "
            f"(expected one of {', '.join(sorted(allowed))})",
        )
    options: tuple[Option, ...] = ()
    if type_name in answer_types:
        options = _parse_options(p, data.get("options"), where, type_name, answer_types)
    elif data.get("options") and type_name in allowed:
        p.add(where, f"type {type_name} takes no `options`")
    formula = None
    inputs: list[CountInput] = []
    if type_name == PERSEN:
        for item in p.seq(data.get("inputs"), where, "`inputs`"):
            idata = p.mapping(item, where, "input")
            icode = p.text(idata, "code", f"{where} (input)")
            codes.claim(icode, "count input")
            inputs.append(
                CountInput(
                    icode,
                    p.text(idata, "text", icode or where, required=False),
                    _row(p, idata, icode or where),
                )
            )
        if not inputs:
            p.add(where, "PERSEN indicator needs at least one input")
        formula = _parse_formula(p, data.get("formula"), where, tuple(inputs))
    elif type_name in allowed:
        if data.get("formula") is not None:
            p.add(where, f"type {type_name} takes no `formula`")
        if data.get("inputs"):
            p.add(where, f"type {type_name} takes no `inputs`")
    hints = data.get("evidence_hints") or []
    if not isinstance(hints, list):
        p.add(where, "`evidence_hints` must be a list")
        hints = []
    if not code or not type_name:
        return None
    return Indicator(
        code=code,
        text=text,
        type=type_name,
        options=options,
        criterion=str(data.get("criterion") or ""),
        formula=formula,
        inputs=tuple(inputs),
        evidence_hints=tuple(str(h) for h in hints),
        workbook_row=_row(p, data, where),
    )


def _parse_indicators(
    p: Problems,
    raw: object,
    parent: str,
    answer_types: Mapping[str, Mapping[str, Decimal]],
    codes: _Codes,
) -> tuple[Indicator, ...]:
    out = []
    for item in p.seq(raw, parent, "`indicators`"):
        ind = _parse_indicator(p, item, parent, answer_types, codes)
        if ind is not None:
            out.append(ind)
    if not raw:
        p.add(parent, "has no indicators")
    return tuple(out)


def _parse_sub_area(
    p: Problems,
    raw: object,
    parent: str,
    answer_types: Mapping[str, Mapping[str, Decimal]],
    codes: _Codes,
) -> SubArea | None:
    data = p.mapping(raw, parent, "sub-area")
    code = p.text(data, "code", f"{parent} (sub-area)")
    where = code or f"{parent} (sub-area)"
    codes.claim(code, "sub-area")
    name = p.text(data, "name", where)
    weight = p.number(data.get("weight"), where, "`weight`")
    has_ind, has_groups = data.get("indicators") is not None, data.get("groups") is not None
    indicators: tuple[Indicator, ...] = ()
    groups: list[Group] = []
    if has_ind == has_groups:
        p.add(where, "a sub-area needs either `indicators` or `groups` (exactly one)")
    elif has_ind:
        indicators = _parse_indicators(p, data.get("indicators"), where, answer_types, codes)
    else:
        for graw in p.seq(data.get("groups"), where, "`groups`"):
            gdata = p.mapping(graw, where, "group")
            gcode = p.text(gdata, "code", f"{where} (group)")
            gwhere = gcode or f"{where} (group)"
            codes.claim(gcode, "group")
            gweight = p.number(gdata.get("weight"), gwhere, "`weight`")
            ginds = _parse_indicators(p, gdata.get("indicators"), gwhere, answer_types, codes)
            if gcode and gweight is not None:
                groups.append(Group(gcode, p.text(gdata, "name", gwhere), gweight, ginds))
        if not groups:
            p.add(where, "has no groups")
        _check_sum(p, where, _weights(data.get("groups")), weight, "group weights")
    if not code or weight is None:
        return None
    return SubArea(code, name, weight, indicators, tuple(groups))


def _parse_hasil(
    p: Problems,
    raw: object,
    answer_types: Mapping[str, Mapping[str, Decimal]],
    codes: _Codes,
) -> tuple[str, str, Decimal | None, tuple[HasilComponent, ...]]:
    data = p.mapping(raw, "hasil", "`hasil`")
    code = p.text(data, "code", "hasil")
    where = code or "hasil"
    codes.claim(code, "hasil")
    weight = p.number(data.get("weight"), where, "`weight`")
    keys: dict[str, str] = {}

    def claim_key(key: str, owner: str) -> None:
        if not key:
            p.add(owner, "missing `key`")
        elif key in RESERVED_FIGURES or key.startswith(("area:", "part:", "prior_")):
            p.add(owner, f"key {key!r} is a reserved criterion name")
        elif key in keys:
            p.add(owner, f"duplicate key {key!r} (also {keys[key]})")
        else:
            keys[key] = owner

    comps: list[HasilComponent] = []
    for craw in p.seq(data.get("components"), where, "`components`"):
        cdata = p.mapping(craw, where, "component")
        ccode = p.text(cdata, "code", f"{where} (component)")
        cwhere = ccode or f"{where} (component)"
        codes.claim(ccode, "hasil component")
        ckey = p.text(cdata, "key", cwhere)
        claim_key(ckey, cwhere)
        cweight = p.number(cdata.get("weight"), cwhere, "`weight`")
        inds: list[HasilIndicator] = []
        for iraw in p.seq(cdata.get("indicators"), cwhere, "`indicators`"):
            idata = p.mapping(iraw, cwhere, "hasil indicator")
            icode = p.text(idata, "code", f"{cwhere} (indicator)")
            iwhere = icode or f"{cwhere} (indicator)"
            codes.claim(icode, "hasil indicator")
            ikey = p.text(idata, "key", iwhere)
            claim_key(ikey, iwhere)
            itype = p.text(idata, "type", iwhere)
            iweight = p.number(idata.get("weight"), iwhere, "`weight`")
            allowed = set(answer_types) | {INDEKS, NILAI}
            scale_max = None
            options: tuple[Option, ...] = ()
            if itype and itype not in allowed:
                p.add(
                    iwhere,
                    f"unknown type {itype!r} for a Hasil indicator "
                    f"(expected one of {', '.join(sorted(allowed))})",
                )
            if itype == INDEKS:
                scale_max = p.number(idata.get("scale_max"), iwhere, "`scale_max`")
                if scale_max is not None and scale_max <= 0:
                    p.add(iwhere, "`scale_max` must be > 0")
                    scale_max = None
            if itype in answer_types:
                options = _parse_options(p, idata.get("options"), iwhere, itype, answer_types)
            elif idata.get("options") and itype in allowed:
                p.add(iwhere, f"type {itype} takes no `options`")
            if (
                icode
                and itype in allowed
                and iweight is not None
                and (itype != INDEKS or scale_max is not None)
            ):
                inds.append(
                    HasilIndicator(
                        code=icode,
                        key=ikey,
                        text=p.text(idata, "text", iwhere, required=False),
                        type=itype,
                        weight=iweight,
                        scale_max=scale_max,
                        options=options,
                        criterion=str(idata.get("criterion") or ""),
                        workbook_row=_row(p, idata, iwhere),
                    )
                )
        if not cdata.get("indicators"):
            p.add(cwhere, "has no indicators")
        _check_sum(p, cwhere, _weights(cdata.get("indicators")), cweight, "hasil indicator weights")
        if ccode and cweight is not None:
            comps.append(
                HasilComponent(ccode, ckey, p.text(cdata, "name", cwhere), cweight, tuple(inds))
            )
    _check_sum(p, where, _weights(data.get("components")), weight, "hasil component weights")
    return code, p.text(data, "name", where), weight, tuple(comps)


def _parse_predikat(p: Problems, raw: object, figures: set[str]) -> tuple[Predikat, ...]:
    out: list[Predikat] = []
    for praw in p.seq(raw, "predikat", "`predikat`"):
        pdata = p.mapping(praw, "predikat", "predikat")
        code = p.text(pdata, "code", "predikat")
        where = f"predikat {code}" if code else "predikat"
        if any(q.code == code for q in out):
            p.add(where, "duplicate predikat code")
        prior = pdata.get("requires_prior")
        if prior is not None and not any(q.code == prior for q in out):
            p.add(where, f"`requires_prior` {prior!r} does not name an earlier predikat")
        criteria: list[PredikatCriterion] = []
        seen: set[str] = set()
        for craw in p.seq(pdata.get("criteria"), where, "`criteria`"):
            cdata = p.mapping(craw, where, "criterion")
            name = p.text(cdata, "criterion", where)
            cwhere = f"{where} criterion {name}"
            if name in seen:
                p.add(cwhere, "listed twice")
            seen.add(name)
            if name == "complete":
                criteria.append(PredikatCriterion(name))
            elif name == "area":
                pct = p.number(cdata.get("min_percent"), cwhere, "`min_percent`", high=Decimal(100))
                criteria.append(PredikatCriterion(name, min_percent=pct))
            elif name in figures:
                criteria.append(
                    PredikatCriterion(name, min=p.number(cdata.get("min"), cwhere, "`min`"))
                )
            elif name:
                p.add(
                    cwhere,
                    "unknown criterion (expected complete, total, pengungkit, hasil, area, "
                    "area:<key>, part:<key> or a hasil component/indicator key)",
                )
        if code:
            out.append(Predikat(code, p.text(pdata, "name", where), tuple(criteria), prior))
    # A later (stricter) predikat never asks less than an earlier one.
    for i, later in enumerate(out):
        for earlier in out[:i]:
            mins = {c.criterion: c for c in earlier.criteria}
            for c in later.criteria:
                e = mins.get(c.criterion)
                if e is None:
                    continue
                for attr in ("min", "min_percent"):
                    lv, ev = getattr(c, attr), getattr(e, attr)
                    if lv is not None and ev is not None and lv < ev:
                        p.add(
                            f"predikat {later.code} criterion {c.criterion}",
                            f"`{attr}` {lv} is below the {earlier.code} `{attr}` {ev}",
                        )
    return tuple(out)


def parse_lke_rulebook(data: Mapping[str, Any], *, source: str) -> LkeRulebook:
    """Validate a loaded LKE rulebook file and build the `LkeRulebook`.

    Raises `RulebookError` listing every problem (each naming `source` and the code at fault).
    """
    p = Problems(source)
    if not isinstance(data, Mapping):
        p.add("(file)", "the file must hold a mapping")
        p.raise_if_any()
    header = p.header(data, "lke")
    codes = _Codes(p)

    answer_types: dict[str, dict[str, Decimal]] = {}
    for name, values in p.mapping(
        data.get("answer_types", {}), "answer_types", "`answer_types`"
    ).items():
        where = f"answer type {name}"
        if name in BUILTIN_TYPES:
            p.add(where, "the name of a built-in type cannot be redefined")
            continue
        opts: dict[str, Decimal] = {}
        for key, value in p.mapping(values, where, "answer type").items():
            number = p.number(value, where, f"value of {key!r}", low=Decimal(0), high=Decimal(1))
            if number is not None:
                opts[str(key)] = number
        if not opts:
            p.add(where, "has no options")
        answer_types[str(name)] = opts

    areas: list[Area] = []
    for araw in p.seq(data.get("areas"), "areas", "`areas`"):
        adata = p.mapping(araw, "areas", "area")
        key = p.text(adata, "key", "areas")
        where = f"area {key}" if key else "areas"
        if any(a.key == key for a in areas):
            p.add(where, "duplicate area key")
        weight = p.number(adata.get("weight"), where, "`weight`")
        if key and weight is not None:
            areas.append(Area(key, p.text(adata, "name", where), weight))
    area_keys = {a.key for a in areas}

    pdata = p.mapping(data.get("pengungkit"), "pengungkit", "`pengungkit`")
    pcode = p.text(pdata, "code", "pengungkit")
    pwhere = pcode or "pengungkit"
    codes.claim(pcode, "pengungkit")
    pweight = p.number(pdata.get("weight"), pwhere, "`weight`")
    parts: list[Part] = []
    raw_parts = p.seq(pdata.get("parts"), pwhere, "`parts`")
    for praw in raw_parts:
        partd = p.mapping(praw, pwhere, "part")
        code = p.text(partd, "code", f"{pwhere} (part)")
        where = code or f"{pwhere} (part)"
        if code != pcode or len(raw_parts) > 1:  # a single part may reuse the pengungkit code
            codes.claim(code, "part")
        key = p.text(partd, "key", where)
        if any(x.key == key for x in parts):
            p.add(where, f"duplicate part key {key!r}")
        weight = p.number(partd.get("weight"), where, "`weight`")
        part_areas: list[PartArea] = []
        for paraw in p.seq(partd.get("areas"), where, "`areas`"):
            pad = p.mapping(paraw, where, "area")
            pacode = p.text(pad, "code", f"{where} (area)")
            pawhere = pacode or f"{where} (area)"
            codes.claim(pacode, "area")
            area_key = p.text(pad, "area", pawhere)
            if area_key and area_key not in area_keys:
                p.add(pawhere, f"area {area_key!r} is not declared in `areas`")
            if any(x.area == area_key for x in part_areas):
                p.add(pawhere, f"area {area_key!r} appears twice in part {code}")
            paweight = p.number(pad.get("weight"), pawhere, "`weight`")
            subs = []
            for sraw in p.seq(pad.get("sub_areas"), pawhere, "`sub_areas`"):
                sub = _parse_sub_area(p, sraw, pawhere, answer_types, codes)
                if sub is not None:
                    subs.append(sub)
            if not subs:
                p.add(pawhere, "has no sub-areas")
            _check_sum(p, pawhere, _weights(pad.get("sub_areas")), paweight, "sub-area weights")
            if pacode and paweight is not None:
                part_areas.append(PartArea(pacode, area_key, paweight, tuple(subs)))
        _check_sum(p, where, _weights(partd.get("areas")), weight, "area weights of the part")
        if code and weight is not None:
            parts.append(Part(code, key, p.text(partd, "name", where), weight, tuple(part_areas)))
    if not parts:
        p.add(pwhere, "has no parts")
    _check_sum(p, pwhere, _weights(pdata.get("parts")), pweight, "part weights")
    _check_sum(p, pwhere, _weights(data.get("areas")), pweight, "area weights (`areas`)")
    for area in areas:
        in_parts = [pa.weight for part in parts for pa in part.areas if pa.area == area.key]
        if not in_parts:
            p.add(f"area {area.key}", "does not appear in any part")
        else:
            _check_sum(p, f"area {area.key}", in_parts, area.weight, "the part weights of the area")

    hcode, hname, hweight, comps = _parse_hasil(p, data.get("hasil"), answer_types, codes)
    if pweight is not None and hweight is not None and pweight + hweight != 100:
        p.add(pwhere, f"pengungkit {pweight} + hasil {hweight} = {pweight + hweight}, expected 100")

    figures = {"total", "pengungkit", "hasil"}
    figures |= {f"area:{a.key}" for a in areas} | {f"part:{x.key}" for x in parts}
    figures |= {c.key for c in comps} | {i.key for c in comps for i in c.indicators}
    predikat = _parse_predikat(p, data.get("predikat"), figures)
    if not predikat:
        p.add("predikat", "no predikat defined")

    p.raise_if_any()
    assert pweight is not None and hweight is not None
    return LkeRulebook(
        code=header["code"],
        version=header["version"],
        title=header["title"],
        regulation=header["regulation"],
        effective_date=header["effective_date"],
        current=header["current"],
        notes=header["notes"],
        answer_types=answer_types,
        areas=tuple(areas),
        pengungkit_code=pcode,
        pengungkit_name=p.text(pdata, "name", pwhere, required=False),
        pengungkit_weight=pweight,
        parts=tuple(parts),
        hasil_code=hcode,
        hasil_name=hname,
        hasil_weight=hweight,
        hasil_components=comps,
        predikat=predikat,
        source=source,
    )
