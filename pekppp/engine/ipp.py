"""PEKPPP instrument (Indeks Pelayanan Publik) and SKM (Indeks Kepuasan Masyarakat) scoring.

IPP = sum over aspects of aspect weight/100 x aspect score; aspect score = sum of indicator
weight/100 x score (0..5). Unanswered indicators count 0 and are listed in `incomplete`. The
band is found by rounding the index half-up to 2 decimals, then the closed ranges of the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation
from fractions import Fraction
from itertools import pairwise
from typing import Any

from assessments.engine.rulebook import Problems, RulebookError
from assessments.engine.scoring import exact_round2, fraction_to_decimal, round2

__all__ = [
    "F01_TYPES",
    "Aspect",
    "AspectScore",
    "Band",
    "F01Question",
    "F03Item",
    "F03Settings",
    "Instrument",
    "IppIndicator",
    "IppResult",
    "RubricLevel",
    "RulebookError",
    "SkmBand",
    "SkmResult",
    "SkmRulebook",
    "SkmUnsur",
    "band_for",
    "f03_mean",
    "parse_instrument",
    "parse_skm",
    "score_ipp",
    "score_skm",
    "validate_scores",
]

F01_TYPES = ("YA_TIDAK", "ANGKA", "PILIHAN", "TEKS")
_CTX = Context(prec=60, rounding=ROUND_HALF_EVEN)
_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)


# --------------------------------------------------------------------------- dataclasses


@dataclass(frozen=True, slots=True)
class RubricLevel:
    score: int
    text: str


@dataclass(frozen=True, slots=True)
class F01Question:
    code: str
    text: str
    type: str
    choices: tuple[str, ...] = ()
    multiple: bool = False


@dataclass(frozen=True, slots=True)
class IppIndicator:
    code: str
    no: int | None
    text: str
    weight: Decimal  # percent within the aspect
    rubric: tuple[RubricLevel, ...]
    evidence_hints: tuple[str, ...] = ()
    f01_questions: tuple[F01Question, ...] = ()


@dataclass(frozen=True, slots=True)
class Aspect:
    code: str
    key: str
    name: str
    weight: Decimal  # percent of the IPP
    indicators: tuple[IppIndicator, ...]
    video_max_minutes: int | None = None


@dataclass(frozen=True, slots=True)
class F03Item:
    code: str
    aspect: str
    text: str


@dataclass(frozen=True, slots=True)
class F03Settings:
    min_responses: int
    max_responses: int
    scale_max: int


@dataclass(frozen=True, slots=True)
class Band:
    grade: str
    min: Decimal
    max: Decimal
    label: str


@dataclass(frozen=True, slots=True)
class Instrument:
    code: str
    version: str
    title: str
    scale_min: int
    scale_max: int
    aspects: tuple[Aspect, ...]
    f03_items: tuple[F03Item, ...]
    f03: F03Settings
    blend_evaluator: Decimal
    blend_public: Decimal
    bands: tuple[Band, ...]
    regulation: str = ""
    effective_date: dt.date | None = None
    current: bool = False
    notes: str = ""
    source: str = ""
    # (aspect code, ((indicator code, weight/100, aspect weight/100 x weight/100), ...))
    plan: tuple[tuple[str, tuple[tuple[str, Decimal, Decimal], ...]], ...] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        plan = []
        for aspect in self.aspects:
            aw = aspect.weight / _HUNDRED
            plan.append(
                (
                    aspect.code,
                    tuple(
                        (i.code, i.weight / _HUNDRED, aw * i.weight / _HUNDRED)
                        for i in aspect.indicators
                    ),
                )
            )
        object.__setattr__(self, "plan", tuple(plan))

    def indicators(self) -> Iterable[IppIndicator]:
        for aspect in self.aspects:
            yield from aspect.indicators


@dataclass(frozen=True, slots=True)
class AspectScore:
    score: Decimal  # 0..scale_max
    weight: Decimal  # percent


@dataclass(frozen=True, slots=True)
class IppResult:
    """ipp: the evaluator (F-02) index. blended_ipp: evaluator/public blend, only when asked
    (blend=True). band/label: of the reported index (`final`: blended_ipp when set, else ipp)."""

    ipp: Decimal
    band: str
    label: str
    aspects: Mapping[str, AspectScore]
    incomplete: tuple[str, ...]
    public_mean: Decimal | None = None
    blended_ipp: Decimal | None = None

    @property
    def final(self) -> Decimal:
        return self.blended_ipp if self.blended_ipp is not None else self.ipp

    @property
    def complete(self) -> bool:
        return not self.incomplete


# --------------------------------------------------------------------------- parsing


def _int(p: Problems, value: object, where: str, what: str) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        p.add(where, f"{what} must be a whole number, got {value!r}")
        return None
    return value


def _check_bands(p: Problems, bands: list[Band], low: Decimal, high: Decimal, where: str) -> None:
    """Closed 2-decimal ranges covering low..high in steps of 0.01, no gap, no overlap."""
    for b in bands:
        if b.min != b.min.quantize(_CENT) or b.max != b.max.quantize(_CENT):
            p.add(f"{where} {b.grade}", "band limits must have at most 2 decimals")
        if b.min > b.max:
            p.add(f"{where} {b.grade}", f"min {b.min} is above max {b.max}")
    ordered = sorted(bands, key=lambda b: b.min)
    if not ordered:
        p.add(where, "no bands")
        return
    if ordered[0].min != low:
        p.add(
            f"{where} {ordered[0].grade}",
            f"the lowest band starts at {ordered[0].min}, expected {low}",
        )
    if ordered[-1].max != high:
        p.add(
            f"{where} {ordered[-1].grade}",
            f"the highest band ends at {ordered[-1].max}, expected {high}",
        )
    for a, b in pairwise(ordered):
        if b.min <= a.max:
            p.add(f"{where} {b.grade}", f"overlaps band {a.grade} ({a.min}-{a.max})")
        elif b.min != a.max + _CENT:
            p.add(f"{where} {b.grade}", f"gap between {a.max} ({a.grade}) and {b.min}")


def parse_instrument(data: Mapping[str, Any], *, source: str) -> Instrument:
    """Validate a PEKPPP instrument file (docs/rulebooks.md, kind: pekppp); raises
    RulebookError listing every problem."""
    p = Problems(source)
    if not isinstance(data, Mapping):
        p.add("(file)", "the file must hold a mapping")
        p.raise_if_any()
    header = p.header(data, "pekppp")
    scale = p.mapping(data.get("scale"), "scale", "`scale`")
    smin = _int(p, scale.get("min"), "scale", "`min`")
    smax = _int(p, scale.get("max"), "scale", "`max`")
    if smin is not None and smax is not None and smin >= smax:
        p.add("scale", "`min` must be below `max`")
    levels = set(range(smin, smax + 1)) if smin is not None and smax is not None else set()
    seen: dict[str, str] = {}

    def claim(code: str, what: str) -> None:
        if code in seen:
            p.add(code, f"duplicate code ({what}; already used by a {seen[code]})")
        elif code:
            seen[code] = what

    aspects: list[Aspect] = []
    for araw in p.seq(data.get("aspects"), "aspects", "`aspects`"):
        adata = p.mapping(araw, "aspects", "aspect")
        code = p.text(adata, "code", "aspects")
        where = f"aspect {code}" if code else "aspects"
        claim(code, "aspect")
        key = p.text(adata, "key", where)
        if key and any(a.key == key for a in aspects):
            p.add(where, f"duplicate aspect key {key!r}")
        weight = p.number(adata.get("weight"), where, "`weight`")
        video = adata.get("video_max_minutes")
        if video is not None:
            video = _int(p, video, where, "`video_max_minutes`")
        indicators: list[IppIndicator] = []
        for iraw in p.seq(adata.get("indicators"), where, "`indicators`"):
            idata = p.mapping(iraw, where, "indicator")
            icode = p.text(idata, "code", f"{where} (indicator)")
            iwhere = icode or f"{where} (indicator)"
            claim(icode, "indicator")
            iweight = p.number(idata.get("weight"), iwhere, "`weight`")
            rubric: list[RubricLevel] = []
            for rraw in p.seq(idata.get("rubric"), iwhere, "`rubric`"):
                rdata = p.mapping(rraw, iwhere, "rubric level")
                score = _int(p, rdata.get("score"), iwhere, "rubric `score`")
                if score is not None:
                    rubric.append(RubricLevel(score, str(rdata.get("text") or "")))
            scores = [r.score for r in rubric]
            if sorted(scores) != sorted(levels) or len(scores) != len(levels):
                p.add(
                    iwhere,
                    f"rubric must have exactly one level per score {smin}..{smax}, got {scores}",
                )
            questions: list[F01Question] = []
            for qraw in p.seq(
                idata.get("f01_questions"), iwhere, "`f01_questions`", required=False
            ):
                qdata = p.mapping(qraw, iwhere, "F-01 question")
                qcode = p.text(qdata, "code", f"{iwhere} (F-01 question)")
                claim(qcode, "F-01 question")
                qtype = p.text(qdata, "type", qcode or iwhere)
                if qtype and qtype not in F01_TYPES:
                    p.add(
                        qcode or iwhere,
                        f"unknown F-01 type {qtype!r} (expected {', '.join(F01_TYPES)})",
                    )
                choices = tuple(
                    str(c) for c in p.seq(qdata.get("choices"), qcode, "`choices`", required=False)
                )
                if qtype == "PILIHAN" and not choices:
                    p.add(qcode or iwhere, "a PILIHAN question needs `choices`")
                questions.append(
                    F01Question(
                        qcode,
                        p.text(qdata, "text", qcode or iwhere),
                        qtype,
                        choices,
                        bool(qdata.get("multiple")),
                    )
                )
            hints = p.seq(idata.get("evidence_hints"), iwhere, "`evidence_hints`", required=False)
            no = idata.get("no")
            if icode and iweight is not None:
                indicators.append(
                    IppIndicator(
                        code=icode,
                        no=no if isinstance(no, int) and not isinstance(no, bool) else None,
                        text=p.text(idata, "text", iwhere),
                        weight=iweight,
                        rubric=tuple(sorted(rubric, key=lambda r: r.score)),
                        evidence_hints=tuple(str(h) for h in hints),
                        f01_questions=tuple(questions),
                    )
                )
        if not indicators:
            p.add(where, "has no indicators")
        total = sum((i.weight for i in indicators), Decimal(0))
        if indicators and total != 100:
            p.add(where, f"indicator weights sum to {total}, expected 100")
        if code and weight is not None:
            aspects.append(
                Aspect(code, key, p.text(adata, "name", where), weight, tuple(indicators), video)
            )
    total = sum((a.weight for a in aspects), Decimal(0))
    if aspects and total != 100:
        p.add("aspects", f"aspect weights sum to {total}, expected 100")

    aspect_codes = {a.code for a in aspects}
    f03_items: list[F03Item] = []
    for fraw in p.seq(data.get("f03_items"), "f03_items", "`f03_items`", required=False):
        fdata = p.mapping(fraw, "f03_items", "F-03 item")
        fcode = p.text(fdata, "code", "f03_items")
        if any(f.code == fcode for f in f03_items):
            p.add(f"F-03 item {fcode}", "duplicate code")
        aspect = str(fdata.get("aspect") or "")
        if aspect not in aspect_codes:
            p.add(f"F-03 item {fcode}", f"aspect {aspect!r} is not an aspect code")
        f03_items.append(F03Item(fcode, aspect, p.text(fdata, "text", f"F-03 item {fcode}")))
    f03raw = p.mapping(data.get("f03", {}), "f03", "`f03`")
    f03 = F03Settings(
        _int(p, f03raw.get("min_responses"), "f03", "`min_responses`") or 0,
        _int(p, f03raw.get("max_responses"), "f03", "`max_responses`") or 0,
        _int(p, f03raw.get("scale_max"), "f03", "`scale_max`") or 0,
    )
    if f03.min_responses > f03.max_responses:
        p.add("f03", "`min_responses` is above `max_responses`")
    blend = p.mapping(data.get("blend"), "blend", "`blend`")
    b_eval = p.number(blend.get("evaluator"), "blend", "`evaluator`", high=Decimal(1))
    b_pub = p.number(blend.get("public"), "blend", "`public`", high=Decimal(1))
    if b_eval is not None and b_pub is not None and b_eval + b_pub != 1:
        p.add("blend", f"evaluator {b_eval} + public {b_pub} must be 1")

    bands: list[Band] = []
    for braw in p.seq(data.get("bands"), "bands", "`bands`"):
        bdata = p.mapping(braw, "bands", "band")
        grade = p.text(bdata, "grade", "bands")
        bwhere = f"band {grade}"
        if any(b.grade == grade for b in bands):
            p.add(bwhere, "duplicate grade")
        bmin = p.number(bdata.get("min"), bwhere, "`min`")
        bmax = p.number(bdata.get("max"), bwhere, "`max`")
        if grade and bmin is not None and bmax is not None:
            bands.append(Band(grade, bmin, bmax, p.text(bdata, "label", bwhere)))
    if smin is not None and smax is not None:
        _check_bands(p, bands, Decimal(smin).quantize(_CENT), Decimal(smax).quantize(_CENT), "band")

    p.raise_if_any()
    assert smin is not None and smax is not None and b_eval is not None and b_pub is not None
    return Instrument(
        code=header["code"],
        version=header["version"],
        title=header["title"],
        scale_min=smin,
        scale_max=smax,
        aspects=tuple(aspects),
        f03_items=tuple(f03_items),
        f03=f03,
        blend_evaluator=b_eval,
        blend_public=b_pub,
        bands=tuple(sorted(bands, key=lambda b: b.min, reverse=True)),
        regulation=header["regulation"],
        effective_date=header["effective_date"],
        current=header["current"],
        notes=header["notes"],
        source=source,
    )


# --------------------------------------------------------------------------- scoring


def band_for(instrument: Instrument, value: Decimal) -> Band:
    """The band of an index: rounded half-up to 2 decimals, then the closed ranges."""
    rounded = round2(value)
    for band in instrument.bands:
        if band.min <= rounded <= band.max:
            return band
    raise ValueError(f"{value} is outside the bands of {instrument.code}")


def validate_scores(
    instrument: Instrument, raw: Mapping[str, object]
) -> tuple[dict[str, int], list[str]]:
    """(scores, problems): whole-number scores scale_min..scale_max per indicator code; blank
    values are unanswered. Problems in Indonesian, every one listed."""
    codes = {i.code for i in instrument.indicators()}
    scores: dict[str, int] = {}
    problems: list[str] = []
    for code, value in raw.items():
        if code not in codes:
            problems.append(
                f"{code}: kode indikator tidak dikenal dalam instrumen {instrument.code}."
            )
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        number: Decimal | None
        try:
            number = None if isinstance(value, bool) else Decimal(str(value).strip())
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number != number.to_integral_value():
            problems.append(
                f"{code}: nilai harus bilangan bulat {instrument.scale_min}-"
                f"{instrument.scale_max}, bukan {value!r}."
            )
        elif not instrument.scale_min <= number <= instrument.scale_max:
            problems.append(
                f"{code}: nilai harus antara {instrument.scale_min} dan "
                f"{instrument.scale_max} (diisi {number})."
            )
        else:
            scores[code] = int(number)
    return scores, problems


def score_ipp(
    instrument: Instrument,
    scores: Mapping[str, int],
    *,
    public_mean: Decimal | None = None,
    blend: bool = False,
) -> IppResult:
    """Score an evaluation (validated scores). blend=True needs public_mean (the F-03 mean,
    0..scale_max) and reports evaluator x blend_evaluator + public x blend_public."""
    incomplete: list[str] = []
    aspects: dict[str, AspectScore] = {}
    ipp = Decimal(0)
    by_code = {a.code: a for a in instrument.aspects}
    for aspect_code, indicators in instrument.plan:
        aspect_score = Decimal(0)
        for code, weight, effective in indicators:
            score = scores.get(code)
            if score is None:
                incomplete.append(code)
                continue
            if isinstance(score, bool) or not instrument.scale_min <= score <= instrument.scale_max:
                raise ValueError(f"{code}: score {score!r} is outside the scale")
            aspect_score = _CTX.add(aspect_score, _CTX.multiply(weight, score))
            ipp = _CTX.add(ipp, _CTX.multiply(effective, score))
        aspects[aspect_code] = AspectScore(aspect_score, by_code[aspect_code].weight)
    blended = None
    if blend:
        if public_mean is None:
            raise ValueError("blend=True needs public_mean")
        blended = _CTX.add(
            _CTX.multiply(instrument.blend_evaluator, ipp),
            _CTX.multiply(instrument.blend_public, public_mean),
        )
    band = band_for(instrument, blended if blended is not None else ipp)
    return IppResult(
        ipp=ipp,
        band=band.grade,
        label=band.label,
        aspects=aspects,
        incomplete=tuple(incomplete),
        public_mean=public_mean,
        blended_ipp=blended,
    )


def f03_mean(instrument: Instrument, responses: Iterable[Mapping[str, int]]) -> Decimal | None:
    """Mean of every answered F-03 item score over all responses (None when there is none).
    Scores outside 0..scale_max or unknown item codes raise ValueError."""
    codes = {f.code for f in instrument.f03_items}
    total = count = 0
    for response in responses:
        for code, score in response.items():
            if code not in codes:
                raise ValueError(f"{code}: not an F-03 item of {instrument.code}")
            if score is None:
                continue
            if (
                isinstance(score, bool)
                or not isinstance(score, int)
                or not 0 <= score <= instrument.f03.scale_max
            ):
                raise ValueError(
                    f"{code}: F-03 score {score!r} is outside 0..{instrument.f03.scale_max}"
                )
            total += score
            count += 1
    return fraction_to_decimal(Fraction(total, count)) if count else None


# --------------------------------------------------------------------------- SKM


@dataclass(frozen=True, slots=True)
class SkmUnsur:
    code: str
    key: str
    name: str
    question: str
    options: tuple[tuple[str, int, str], ...]  # (letter, value, label), worst first


@dataclass(frozen=True, slots=True)
class SkmBand:
    mutu: str
    kinerja: str
    nik_min: Decimal
    nik_max: Decimal


@dataclass(frozen=True, slots=True)
class SkmRulebook:
    code: str
    version: str
    title: str
    answer_min: int
    answer_max: int
    unsur: tuple[SkmUnsur, ...]
    unsur_weight: Fraction
    conversion_factor: Decimal
    bands: tuple[SkmBand, ...]
    regulation: str = ""
    effective_date: dt.date | None = None
    current: bool = False
    notes: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class SkmResult:
    """nrr: unsur code -> mean answer (None when nobody answered it); ikm: sum of NRR x unsur
    weight (1..4); nik: ikm x conversion factor (25..100); mutu/kinerja from the NIK rounded
    half-up to 2 decimals. incomplete: unsur nobody answered (they count 0)."""

    respondents: int
    nrr: Mapping[str, Decimal | None]
    ikm: Decimal
    nik: Decimal
    mutu: str
    kinerja: str
    incomplete: tuple[str, ...]


def parse_skm(data: Mapping[str, Any], *, source: str) -> SkmRulebook:
    p = Problems(source)
    if not isinstance(data, Mapping):
        p.add("(file)", "the file must hold a mapping")
        p.raise_if_any()
    header = p.header(data, "skm")
    scale = p.mapping(data.get("answer_scale"), "answer_scale", "`answer_scale`")
    amin = _int(p, scale.get("min"), "answer_scale", "`min`") or 0
    amax = _int(p, scale.get("max"), "answer_scale", "`max`") or 0
    unsur: list[SkmUnsur] = []
    for uraw in p.seq(data.get("unsur"), "unsur", "`unsur`"):
        udata = p.mapping(uraw, "unsur", "unsur")
        code = p.text(udata, "code", "unsur")
        where = f"unsur {code}"
        if any(u.code == code for u in unsur):
            p.add(where, "duplicate code")
        options = []
        for oraw in p.seq(udata.get("options"), where, "`options`"):
            odata = p.mapping(oraw, where, "option")
            value = _int(p, odata.get("value"), where, "option `value`")
            if value is not None:
                options.append(
                    (str(odata.get("letter") or ""), value, str(odata.get("label") or ""))
                )
        if sorted(v for _, v, _ in options) != list(range(amin, amax + 1)):
            p.add(where, f"options must have one value per answer {amin}..{amax}")
        unsur.append(
            SkmUnsur(
                code,
                p.text(udata, "key", where),
                p.text(udata, "name", where),
                p.text(udata, "question", where),
                tuple(options),
            )
        )
    ikm = p.mapping(data.get("ikm"), "ikm", "`ikm`")
    weight_raw = p.mapping(ikm.get("unsur_weight"), "ikm", "`unsur_weight`")
    wnum = p.number(weight_raw.get("numerator"), "ikm", "`unsur_weight.numerator`")
    wden = p.number(weight_raw.get("denominator"), "ikm", "`unsur_weight.denominator`")
    weight = Fraction(0)
    if wnum is not None and wden:
        weight = Fraction(wnum) / Fraction(wden)
        if unsur and weight * len(unsur) != 1:
            p.add("ikm", f"unsur_weight x {len(unsur)} unsur must be 1, got {weight * len(unsur)}")
    factor = p.number(ikm.get("conversion_factor"), "ikm", "`conversion_factor`") or Decimal(0)
    bands: list[Band] = []
    skm_bands: list[SkmBand] = []
    for braw in p.seq(data.get("bands"), "bands", "`bands`"):
        bdata = p.mapping(braw, "bands", "band")
        mutu = p.text(bdata, "mutu", "bands")
        lo = p.number(bdata.get("nik_min"), f"band {mutu}", "`nik_min`")
        hi = p.number(bdata.get("nik_max"), f"band {mutu}", "`nik_max`")
        if lo is not None and hi is not None:
            bands.append(Band(mutu, lo, hi, ""))
            skm_bands.append(SkmBand(mutu, p.text(bdata, "kinerja", f"band {mutu}"), lo, hi))
    _check_bands(p, bands, (amin * factor).quantize(_CENT), (amax * factor).quantize(_CENT), "band")
    p.raise_if_any()
    return SkmRulebook(
        code=header["code"],
        version=header["version"],
        title=header["title"],
        answer_min=amin,
        answer_max=amax,
        unsur=tuple(unsur),
        unsur_weight=weight,
        conversion_factor=factor,
        bands=tuple(skm_bands),
        regulation=header["regulation"],
        effective_date=header["effective_date"],
        current=header["current"],
        notes=header["notes"],
        source=source,
    )


def score_skm(rulebook: SkmRulebook, responses: Iterable[Mapping[str, int]]) -> SkmResult:
    """IKM = sum over unsur of NRR x unsur weight (NRR: mean answer of the respondents who
    answered that unsur); NIK = IKM x conversion factor; mutu from round2(NIK)."""
    sums = {u.code: 0 for u in rulebook.unsur}
    counts = dict.fromkeys(sums, 0)
    respondents = 0
    for response in responses:
        respondents += 1
        for code, answer in response.items():
            if code not in sums:
                raise ValueError(f"{code}: not an unsur of {rulebook.code}")
            if answer is None:
                continue
            if (
                isinstance(answer, bool)
                or not isinstance(answer, int)
                or not (rulebook.answer_min <= answer <= rulebook.answer_max)
            ):
                raise ValueError(
                    f"{code}: answer {answer!r} outside "
                    f"{rulebook.answer_min}..{rulebook.answer_max}"
                )
            sums[code] += answer
            counts[code] += 1
    nrr: dict[str, Decimal | None] = {}
    ikm = Fraction(0)
    for code, total in sums.items():
        if counts[code]:
            value = Fraction(total, counts[code])
            nrr[code] = fraction_to_decimal(value)
            ikm += value * rulebook.unsur_weight
        else:
            nrr[code] = None
    nik = ikm * Fraction(rulebook.conversion_factor)
    rounded = exact_round2(nik)
    band = next((b for b in rulebook.bands if b.nik_min <= rounded <= b.nik_max), None)
    return SkmResult(
        respondents=respondents,
        nrr=nrr,
        ikm=fraction_to_decimal(ikm),
        nik=fraction_to_decimal(nik),
        mutu=band.mutu if band else "",
        kinerja=band.kinerja if band else "",
        incomplete=tuple(c for c in sums if not counts[c]),
    )
