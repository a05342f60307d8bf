"""LKE scoring: `score_lke` and the rounding helpers.

Arithmetic is exact: every figure is first computed as a rational number (option values and
weights are decimals; a sub-area divides by its number of indicators; PERSEN values are ratios
of counts), then exposed as a `Decimal`. A figure whose exact value has at most 20 decimals is
exposed exactly; otherwise it is rounded half-even at the 20th decimal (e.g. 2/3 x 0.5). The
threshold checks (`check_predikat`) use the exact values, never the exposed ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, InvalidOperation
from fractions import Fraction
from math import ceil, floor, gcd, lcm

from .rulebook import (
    K_NILAI,
    K_OPTION,
    K_RATIO,
    LkeRulebook,
    PersenPlan,
    Slot,
)

__all__ = [
    "AreaScore",
    "LkeResult",
    "ScoreWarning",
    "exact_round2",
    "fraction_to_decimal",
    "min_passing",
    "round2",
    "score_lke",
]

_CTX = Context(prec=60, rounding=ROUND_HALF_EVEN)
_Q20 = Decimal(1).scaleb(-20)
_CENT = Decimal("0.01")
_ZERO = Decimal(0)
_ONE = Decimal(1)


def round2(value: Decimal) -> Decimal:
    """Round half-up to 2 decimals (product decision 1): 1.005 -> 1.01, 4.504 -> 4.50."""
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def exact_round2(value: Fraction) -> Decimal:
    """Round an exact rational half-up (away from zero on ties) to 2 decimals."""
    hundredths = value * 100
    cents = (
        floor(hundredths + Fraction(1, 2)) if value >= 0 else -floor(-hundredths + Fraction(1, 2))
    )
    return Decimal(cents).scaleb(-2)


def min_passing(required: Decimal) -> Fraction:
    """Smallest exact value v with round2(v) >= required: ceil(required, 2 dec) - 0.005."""
    return Fraction(ceil(Fraction(required) * 100), 100) - Fraction(1, 200)


_P20 = 10**20


def _to_dec(num: int, den: int) -> Decimal:
    """num / den (den > 0): exact when it has at most 20 decimals, else half-even at the 20th."""
    if num < 0:
        return -_to_dec(-num, den)
    q, r = divmod(num, den)
    if not r:
        return Decimal(q)
    q, r = divmod(num * _P20, den)
    if not r:
        return Decimal(q).scaleb(-20, _CTX).normalize(_CTX)
    r2 = 2 * r
    if r2 > den or (r2 == den and q & 1):
        q += 1
    return Decimal(q).scaleb(-20, _CTX)


def fraction_to_decimal(value: Fraction | int) -> Decimal:
    """Exact Decimal when the value has at most 20 decimals, else rounded at the 20th."""
    if isinstance(value, int):
        return Decimal(value)
    return _to_dec(value.numerator, value.denominator)


@dataclass(frozen=True, slots=True)
class ScoreWarning:
    """kind: `capped` (numerator above denominator, value capped at 1) or `zero_denominator`.
    `message` is Indonesian; `template` is the same text with %(name)s placeholders and `params`
    their values, so that a user interface can translate it (the engine knows no languages)."""

    code: str
    kind: str
    message: str
    template: str = ""
    params: tuple[tuple[str, str], ...] = ()


def _warning(code: str, kind: str, template: str, **params: object) -> ScoreWarning:
    values = {"code": code, **{k: str(v) for k, v in params.items()}}
    return ScoreWarning(code, kind, template % values, template, tuple(values.items()))


@dataclass(frozen=True, slots=True)
class AreaScore:
    """Whole area (all parts). `pemenuhan` is the score of the area in the first part,
    `reform` in the second part (0 for a single-part rulebook); `by_part` maps every part key to
    the area's score in that part."""

    score: Decimal
    max: Decimal
    percent: Decimal
    pemenuhan: Decimal
    reform: Decimal
    by_part: Mapping[str, Decimal]


@dataclass(frozen=True, slots=True)
class LkeResult:
    """Result of `score_lke`.

    values: scored item code -> value (option value 0..1, PERSEN fraction, NILAI; for Hasil
    INDEKS items the survey index itself), None when unanswered. sub_areas: sub-area code ->
    score; groups: group code -> score; part_areas: area-in-part code (A.I.1) -> score; areas:
    area key -> AreaScore; parts: part key -> score; hasil_components / hasil_indicators: key ->
    score. incomplete: unanswered scored indicators, count inputs and Hasil items, in rulebook
    order (a PERSEN indicator is listed, followed by its unanswered inputs).
    exact_numerators / exact_denominator: the exact value of every criterion figure (names as
    in `figure`), used for threshold comparison; see `exact` and `exact_value`.
    """

    rulebook_code: str
    values: Mapping[str, Decimal | None]
    sub_areas: Mapping[str, Decimal]
    groups: Mapping[str, Decimal]
    part_areas: Mapping[str, Decimal]
    areas: Mapping[str, AreaScore]
    parts: Mapping[str, Decimal]
    pengungkit: Decimal
    hasil_components: Mapping[str, Decimal]
    hasil_indicators: Mapping[str, Decimal]
    hasil: Decimal
    total: Decimal
    incomplete: tuple[str, ...]
    warnings: tuple[ScoreWarning, ...]
    exact_numerators: Mapping[str, int]
    exact_denominator: int

    @property
    def complete(self) -> bool:
        return not self.incomplete

    @property
    def exact(self) -> dict[str, Fraction]:
        den = self.exact_denominator
        return {name: Fraction(num, den) for name, num in self.exact_numerators.items()}

    def exact_value(self, name: str) -> Fraction:
        return Fraction(self.exact_numerators[name], self.exact_denominator)

    def figure(self, name: str) -> Decimal:
        """total, pengungkit, hasil, area:<key>, part:<key>, or a hasil component/indicator key."""
        if name == "total":
            return self.total
        if name == "pengungkit":
            return self.pengungkit
        if name == "hasil":
            return self.hasil
        if name.startswith("area:"):
            return self.areas[name[5:]].score
        if name.startswith("part:"):
            return self.parts[name[5:]]
        if name in self.hasil_components:
            return self.hasil_components[name]
        if name in self.hasil_indicators:
            return self.hasil_indicators[name]
        raise KeyError(name)


def _pct(value: Decimal) -> str:
    text = format(round2(value * 100).normalize(), "f")
    return text.replace(".", ",") + "%"


def _count(value: object, code: str) -> int:
    if type(value) is int:
        if value < 0:
            raise ValueError(f"{code}: count {value!r} is negative")
        return value
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{code}: count {value!r} is not a whole number") from None
    if not number.is_finite() or number != number.to_integral_value() or number < 0:
        raise ValueError(f"{code}: count {value!r} is not a whole number >= 0")
    return int(number)


def persen_value(
    slot: Slot, counts: Mapping[str, int], scale: int, warnings: list[ScoreWarning] | None = None
) -> tuple[Decimal, int, int]:
    """Value of a PERSEN indicator from its (complete) counts: (value, num, den) with value =
    num / den exactly (den = `scale` for the constants of the formula). Appends warnings (zero
    denominator, numerator capped) when given a list."""
    pp: PersenPlan = slot.payload
    code = slot.code
    if slot.kind == K_RATIO:
        assert pp.numerator is not None and pp.zero is not None
        num = counts[pp.numerator]
        den = 0
        for d in pp.denominator:
            den += counts[d]
        if den == 0:
            if warnings is not None:
                warnings.append(
                    _warning(
                        code,
                        "zero_denominator",
                        "%(code)s: jumlah pembagi (penyebut) 0; nilai ditetapkan %(value)s sesuai "
                        "aturan penilaian.",
                        value=_pct(pp.zero[0]),
                    )
                )
            return pp.zero[0], pp.zero[1], scale
        if num >= den:
            if num > den and warnings is not None:
                warnings.append(
                    _warning(
                        code,
                        "capped",
                        "%(code)s: pembilang (%(num)s) melebihi penyebut (%(den)s); nilai dibatasi "
                        "100%%.",
                        num=num,
                        den=den,
                    )
                )
            return _ONE, scale, scale
        if num == 0:
            return _ZERO, 0, scale
    else:
        assert pp.previous is not None and pp.current is not None
        assert pp.both_zero is not None and pp.previous_zero is not None
        prev, cur = counts[pp.previous], counts[pp.current]
        if prev == 0:
            chosen = pp.both_zero if cur == 0 else pp.previous_zero
            if warnings is not None:
                warnings.append(
                    _warning(
                        code,
                        "zero_denominator",
                        "%(code)s: jumlah periode sebelumnya 0 (periode ini %(current)s); nilai "
                        "ditetapkan %(value)s sesuai aturan penilaian.",
                        current=cur,
                        value=_pct(chosen[0]),
                    )
                )
            return chosen[0], chosen[1], scale
        if cur >= prev:
            return _ZERO, 0, scale
        if cur == 0:
            return _ONE, scale, scale
        num, den = prev - cur, prev
    g = gcd(num, den)
    num, den = num // g, den // g
    return _to_dec(num, den), num, den


def _cents(value: object, code: str, scale: int) -> tuple[Decimal, int]:
    """(value, value x scale as a whole number); ValueError when not a number or too precise."""
    if type(value) is Decimal:
        number = value
    else:
        try:
            if isinstance(value, bool):
                raise InvalidOperation
            number = Decimal(str(value))
        except InvalidOperation:
            raise ValueError(f"{code}: {value!r} is not a number") from None
    scaled = number * scale
    if not scaled.is_finite() or scaled != scaled.to_integral_value():
        raise ValueError(f"{code}: {value!r} has too many decimals (use validate_answers)")
    return number, int(scaled)


def score_lke(rulebook: LkeRulebook, answers: Mapping[str, object]) -> LkeResult:
    """Score an LKE. `answers` as returned by `validate_answers`: option keys for option
    indicators, whole numbers for count inputs, Decimals (at most 2 decimals) for INDEKS and
    NILAI. Unknown codes are ignored; unanswered items count 0 and are listed in `incomplete`.
    Raises ValueError on an answer that `validate_answers` would refuse."""
    plan = rulebook.plan
    scale = plan.value_scale
    get = answers.get
    warnings: list[ScoreWarning] = []

    # PERSEN values first: their denominators set the exact common denominator D = den x k.
    persen: dict[str, tuple[Decimal, int, int] | list[str]] = {}
    k = 1
    for slot in plan.persen:
        pp: PersenPlan = slot.payload
        counts: dict[str, int] = {}
        missing: list[str] = []
        for ic in pp.inputs:
            c = get(ic)
            if c is None:
                missing.append(ic)
            else:
                counts[ic] = _count(c, ic)
        if missing:
            persen[slot.code] = missing
            continue
        result = persen_value(slot, counts, scale, warnings)
        persen[slot.code] = result
        if scale % result[2]:
            k = lcm(k, result[2])
    den = plan.denominator * k

    values: dict[str, Decimal | None] = {}
    incomplete: list[str] = []
    sub_areas: dict[str, Decimal] = {}
    groups: dict[str, Decimal] = {}
    part_areas: dict[str, Decimal] = {}
    area_num: dict[str, int] = {}
    area_by_part: dict[str, dict[str, Decimal]] = {}
    parts: dict[str, Decimal] = {}
    exact: dict[str, int] = {}
    pengungkit = 0

    for part_key, part_plan in plan.parts:
        part_sum = 0
        for pa_code, area_key, subs in part_plan:
            pa_sum = 0
            for sa_code, units in subs:
                sa_sum = 0
                for unit in units:
                    s_int = 0
                    s_frac = 0
                    for slot in unit.slots:
                        kind = slot.kind
                        code = slot.code
                        if kind == K_OPTION:
                            answer = get(code)
                            if answer is None:
                                values[code] = None
                                incomplete.append(code)
                                continue
                            try:
                                value, scaled = slot.payload[answer]
                            except (KeyError, TypeError):
                                raise ValueError(
                                    f"{code}: {answer!r} is not an option of this indicator"
                                ) from None
                            values[code] = value
                            s_int += scaled
                        elif kind == K_NILAI:
                            answer = get(code)
                            if answer is None:
                                values[code] = None
                                incomplete.append(code)
                                continue
                            value, scaled = _cents(answer, code, scale)
                            values[code] = value
                            s_int += scaled
                        else:
                            res = persen[code]
                            if type(res) is list:
                                values[code] = None
                                incomplete.append(code)
                                incomplete.extend(res)
                                continue
                            value, num, d = res  # type: ignore[misc]
                            values[code] = value
                            if scale % d:
                                s_frac += num * (k // d)
                            else:
                                s_int += num * (scale // d)
                    u = s_int * k * unit.mult
                    if s_frac:
                        u += s_frac * unit.fmult
                    if unit.is_group:
                        groups[unit.code] = _to_dec(u, den)
                    sa_sum += u
                sub_areas[sa_code] = _to_dec(sa_sum, den)
                pa_sum += sa_sum
            pa_dec = _to_dec(pa_sum, den)
            part_areas[pa_code] = pa_dec
            area_num[area_key] = area_num.get(area_key, 0) + pa_sum
            area_by_part.setdefault(area_key, {})[part_key] = pa_dec
            part_sum += pa_sum
        parts[part_key] = _to_dec(part_sum, den)
        exact[f"part:{part_key}"] = part_sum
        pengungkit += part_sum

    first = plan.parts[0][0]
    second = plan.parts[1][0] if len(plan.parts) > 1 else None
    areas: dict[str, AreaScore] = {}
    for area_key, (weight, w_num, w_den) in plan.area_weights.items():
        a_num = area_num.get(area_key, 0)
        exact[f"area:{area_key}"] = a_num
        by_part = area_by_part.get(area_key, {})
        areas[area_key] = AreaScore(
            score=_to_dec(a_num, den),
            max=weight,
            percent=_to_dec(a_num * 100 * w_den, den * w_num) if w_num else _ZERO,
            pemenuhan=by_part.get(first, _ZERO),
            reform=by_part.get(second, _ZERO) if second is not None else _ZERO,
            by_part=by_part,
        )

    hasil_components: dict[str, Decimal] = {}
    hasil_indicators: dict[str, Decimal] = {}
    hasil = 0
    for comp_key, slots in plan.hasil:
        comp = 0
        for hs in slots:
            answer = get(hs.code)
            if answer is None:
                values[hs.code] = None
                incomplete.append(hs.code)
                score = 0
            elif hs.kind == "option":
                try:
                    value, score = hs.payload[answer]
                except (KeyError, TypeError):
                    raise ValueError(
                        f"{hs.code}: {answer!r} is not an option of this indicator"
                    ) from None
                values[hs.code] = value
                score *= k
            else:
                value, cents = _cents(answer, hs.code, 100)
                values[hs.code] = value
                score = cents * hs.payload * k
            exact[hs.key] = score
            hasil_indicators[hs.key] = _to_dec(score, den)
            comp += score
        exact[comp_key] = comp
        hasil_components[comp_key] = _to_dec(comp, den)
        hasil += comp

    exact["pengungkit"] = pengungkit
    exact["hasil"] = hasil
    exact["total"] = pengungkit + hasil
    p_dec = _to_dec(pengungkit, den)
    h_dec = _to_dec(hasil, den)
    return LkeResult(
        rulebook_code=rulebook.code,
        values=values,
        sub_areas=sub_areas,
        groups=groups,
        part_areas=part_areas,
        areas=areas,
        parts=parts,
        pengungkit=p_dec,
        hasil_components=hasil_components,
        hasil_indicators=hasil_indicators,
        hasil=h_dec,
        total=_CTX.add(p_dec, h_dec),
        incomplete=tuple(incomplete),
        warnings=tuple(warnings),
        exact_numerators=exact,
        exact_denominator=den,
    )
