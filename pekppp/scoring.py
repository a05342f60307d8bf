"""A ULE's IPP through the engine (pekppp.engine), live while scoring and frozen once final.

Nothing here does IPP arithmetic: scores and F-03 answers are read from the database and handed
to `score_ipp` / `f03_mean`; a final ULE is read back from the snapshot taken when it was
finalised (so a later rulebook or data change never alters a published result).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from assessments.rulebooks import engine_rulebook
from pekppp.engine import Instrument, IppResult, f03_mean, score_ipp
from pekppp.models import F02Score, F03Response, UnitLokus


def instrument_for(ule_or_period: Any) -> Instrument:
    period = getattr(ule_or_period, "period", ule_or_period)
    return engine_rulebook(period.instrument)


@dataclass(frozen=True)
class AspectLine:
    code: str
    name: str
    weight: Decimal
    score: Decimal


@dataclass(frozen=True)
class UleFigures:
    """What every page and report shows about a ULE's result."""

    ipp: Decimal  # the evaluator's (F-02) index
    band: str
    label: str
    aspects: list[AspectLine]
    scored: int
    total: int
    f03_count: int
    f03_mean: Decimal | None
    blend_requested: bool
    blended_ipp: Decimal | None  # set only when blending was requested and applied
    final: bool
    scores: dict[str, int] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.scored == self.total

    @property
    def remaining(self) -> int:
        return self.total - self.scored

    @property
    def reported(self) -> Decimal:
        """The index the band is read from: blended when applied, else the evaluator's."""
        return self.blended_ipp if self.blended_ipp is not None else self.ipp

    @property
    def f03_enough(self) -> bool:
        return self.f03_count > 0 and self.f03_mean is not None


def score_from_rows(
    instrument: Instrument,
    scores: Mapping[str, int],
    responses: Iterable[Mapping[str, int]],
    *,
    f03_count: int,
    blend_requested: bool,
) -> tuple[IppResult, Decimal | None, bool]:
    """(result, F-03 mean, blended?). The public mean is blended in only when the ULE is set to
    blend and the F-03 minimum number of respondents (from the instrument) has been reached."""
    mean = f03_mean(instrument, responses)
    blend = blend_requested and mean is not None and f03_count >= instrument.f03.min_responses
    return score_ipp(instrument, scores, public_mean=mean, blend=blend), mean, blend


def live_figures(
    ule: UnitLokus,
    *,
    score_rows: Iterable[F02Score] | None = None,
    responses: Iterable[Mapping[str, int]] | None = None,
) -> UleFigures:
    instrument = instrument_for(ule)
    rows = list(
        score_rows if score_rows is not None else ule.f02_scores.select_related("indicator")
    )
    scores = {r.indicator.code: r.score for r in rows if r.score is not None}
    notes = {r.indicator.code: r.note for r in rows if r.note}
    answers = list(
        responses
        if responses is not None
        else F03Response.objects.filter(ule=ule).values_list("answers", flat=True)
    )
    result, mean, blended = score_from_rows(
        instrument, scores, answers, f03_count=len(answers), blend_requested=ule.blend_public
    )
    return _figures(
        instrument,
        result,
        scores,
        notes,
        len(answers),
        mean,
        ule.blend_public,
        blended,
        final=False,
    )


def _figures(
    instrument: Instrument,
    result: IppResult,
    scores: dict[str, int],
    notes: dict[str, str],
    f03_count: int,
    mean: Decimal | None,
    blend_requested: bool,
    blended: bool,
    *,
    final: bool,
) -> UleFigures:
    names = {a.code: a.name for a in instrument.aspects}
    total = sum(len(a.indicators) for a in instrument.aspects)
    return UleFigures(
        ipp=result.ipp,
        band=result.band,
        label=result.label,
        aspects=[
            AspectLine(code, names[code], a.weight, a.score) for code, a in result.aspects.items()
        ],
        scored=total - len(result.incomplete),
        total=total,
        f03_count=f03_count,
        f03_mean=mean,
        blend_requested=blend_requested,
        blended_ipp=result.blended_ipp if blended else None,
        final=final,
        scores=scores,
        notes=notes,
    )


def snapshot_of(ule: UnitLokus, figures: UleFigures) -> dict[str, Any]:
    """Plain JSON of a result (exact decimals as strings)."""
    instrument = instrument_for(ule)
    return {
        "instrument": instrument.code,
        "version": instrument.version,
        "ipp": str(figures.ipp),
        "band": figures.band,
        "label": figures.label,
        "aspects": [
            {"code": a.code, "name": a.name, "weight": str(a.weight), "score": str(a.score)}
            for a in figures.aspects
        ],
        "scored": figures.scored,
        "total": figures.total,
        "f03_count": figures.f03_count,
        "f03_mean": None if figures.f03_mean is None else str(figures.f03_mean),
        "blend_requested": figures.blend_requested,
        "blended_ipp": None if figures.blended_ipp is None else str(figures.blended_ipp),
        "scores": figures.scores,
        "notes": figures.notes,
    }


def figures_from_snapshot(snapshot: Mapping[str, Any]) -> UleFigures:
    def dec(value: str | None) -> Decimal | None:
        return None if value is None else Decimal(value)

    return UleFigures(
        ipp=Decimal(snapshot["ipp"]),
        band=snapshot["band"],
        label=snapshot["label"],
        aspects=[
            AspectLine(a["code"], a["name"], Decimal(a["weight"]), Decimal(a["score"]))
            for a in snapshot["aspects"]
        ],
        scored=snapshot["scored"],
        total=snapshot["total"],
        f03_count=snapshot["f03_count"],
        f03_mean=dec(snapshot["f03_mean"]),
        blend_requested=snapshot["blend_requested"],
        blended_ipp=dec(snapshot["blended_ipp"]),
        final=True,
        scores=dict(snapshot["scores"]),
        notes=dict(snapshot["notes"]),
    )


def figures_for(ule: UnitLokus, **kwargs: Any) -> UleFigures:
    """The final snapshot when finalised, else the live result."""
    if ule.is_final and ule.snapshot:
        return figures_from_snapshot(ule.snapshot)
    return live_figures(ule, **kwargs)


def figures_for_many(ules: list[UnitLokus]) -> dict[int, UleFigures]:
    """Figures of many ULEs in three queries whatever their number (lists, reports)."""
    drafts = [u for u in ules if not (u.is_final and u.snapshot)]
    rows: dict[int, list[F02Score]] = {u.pk: [] for u in drafts}
    for row in F02Score.objects.filter(ule__in=drafts).select_related("indicator"):
        rows[row.ule_id].append(row)
    answers: dict[int, list] = {u.pk: [] for u in drafts}
    for ule_id, value in F03Response.objects.filter(ule__in=drafts).values_list(
        "ule_id", "answers"
    ):
        answers[ule_id].append(value)
    out: dict[int, UleFigures] = {}
    for ule in ules:
        if ule.pk in rows:
            out[ule.pk] = live_figures(ule, score_rows=rows[ule.pk], responses=answers[ule.pk])
        else:
            out[ule.pk] = figures_from_snapshot(ule.snapshot)
    return out
