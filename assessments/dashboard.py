"""The leadership's readiness dashboard: every unit of an instansi for one year, scored in memory.

`build_board(user, instansi, year)` reads everything it needs in a fixed number of queries
(units, assessments of the year and of the trend years, their answers, acceptable evidence,
eligibility facts, stored snapshots and the TPI's answers) and scores each assessment with the
engine in memory (~0.3 ms each); the number of queries does not grow with the number of units.
A final assessment with a stored snapshot is shown from the snapshot, as its report is.
Filtering and sorting happen on the built rows (an instansi has tens of units, not thousands).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from assessments.engine import (
    LkeResult,
    LkeRulebook,
    UnitFacts,
    Verdict,
    check_eligibility,
    check_predikat,
    score_lke,
    validate_answers,
)
from assessments.models import Answer, Assessment, InstansiFacts, RulebookVersion, Status
from assessments.models.assessment import UnitFactsRecord
from assessments.models.rulebook import RulebookKind
from assessments.reports import snapshot_model, tpi_answers_bulk
from assessments.results import eligibility_facts
from assessments.rulebooks import engine_rulebook
from organizations.access import leadership_units, visible_assessments
from organizations.models import Instansi, UnitKerja

TREND_YEARS = 5  # the chosen year and up to four before it
NO_ASSESSMENT = "none"


@dataclass(frozen=True, slots=True)
class AreaFigure:
    key: str
    name: str
    score: Decimal
    max: Decimal
    percent: Decimal


@dataclass(frozen=True, slots=True)
class Scores:
    """One source's figures for one assessment (the unit's own, or the TPI's)."""

    total: Decimal
    pengungkit: Decimal
    hasil: Decimal
    complete: bool
    meets: Mapping[str, bool]  # predikat code -> meets
    areas: tuple[AreaFigure, ...]
    answered: int
    items: int

    @property
    def weakest(self) -> AreaFigure | None:
        return min(self.areas, key=lambda a: (a.percent, a.key)) if self.areas else None


def scores_from_result(
    rb: LkeRulebook, result: LkeResult, verdicts: Mapping[str, Verdict]
) -> Scores:
    items = rb.plan.items
    return Scores(
        total=result.total,
        pengungkit=result.pengungkit,
        hasil=result.hasil,
        complete=result.complete,
        meets={code: v.meets for code, v in verdicts.items()},
        areas=tuple(
            AreaFigure(
                area.key,
                area.name,
                result.areas[area.key].score,
                result.areas[area.key].max,
                result.areas[area.key].percent,
            )
            for area in rb.areas
        ),
        answered=sum(1 for code in items if result.values.get(code) is not None),
        items=len(items),
    )


def _d(value: Any) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def scores_from_dict(rb: LkeRulebook, data: Mapping[str, Any]) -> Scores:
    """Scores from a stored `lke_result_dict` (a snapshot's self or TPI result)."""
    incomplete = set(data.get("incomplete") or [])
    items = rb.plan.items
    areas = []
    for area in rb.areas:
        a = (data.get("areas") or {}).get(area.key) or {}
        areas.append(
            AreaFigure(
                area.key, area.name, _d(a.get("score")), _d(a.get("max")), _d(a.get("percent"))
            )
        )
    return Scores(
        total=_d(data.get("total")),
        pengungkit=_d(data.get("pengungkit")),
        hasil=_d(data.get("hasil")),
        complete=not incomplete,
        meets={code: bool(v.get("meets")) for code, v in (data.get("verdicts") or {}).items()},
        areas=tuple(areas),
        answered=sum(1 for code in items if code not in incomplete),
        items=len(items),
    )


@dataclass(frozen=True, slots=True)
class TrendPoint:
    year: int
    target: str
    self_total: Decimal | None
    tpi_total: Decimal | None


@dataclass
class Row:
    unit: UnitKerja
    assessment: Assessment | None = None
    self: Scores | None = None
    tpi: Scores | None = None
    final: bool = False
    evidence_supported: int = 0
    evidence_claimed: int = 0
    eligibility: dict[str, int] = field(default_factory=dict)  # met / not_met / not_filled
    trend: list[TrendPoint] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.assessment.status if self.assessment else NO_ASSESSMENT

    @property
    def status_label(self) -> str:
        if self.assessment is None:
            return _("Belum ada penilaian")
        return str(self.assessment.get_status_display())

    @property
    def tpi_partial(self) -> bool:
        """The TPI is still scoring (not final, indicators left): its figures are provisional
        and not what a decision rests on (its unscored indicators count 0)."""
        return self.tpi is not None and not self.final and not self.tpi.complete

    @property
    def basis(self) -> Scores | None:
        """The figures a decision rests on: the TPI's once it has scored everything (or is
        final), else the unit's."""
        return self.tpi if self.basis_is_tpi else self.self

    @property
    def basis_is_tpi(self) -> bool:
        return self.tpi is not None and not self.tpi_partial

    @property
    def weakest(self) -> AreaFigure | None:
        return self.basis.weakest if self.basis else None

    @property
    def evidence_percent(self) -> Decimal | None:
        if not self.evidence_claimed:
            return None
        return Decimal(100) * self.evidence_supported / self.evidence_claimed

    @property
    def eligibility_met(self) -> bool:
        return bool(self.eligibility) and not (
            self.eligibility.get("not_met") or self.eligibility.get("not_filled")
        )


@dataclass(frozen=True, slots=True)
class YearSummary:
    """The instansi in one year: averages over its assessments (each source separately)."""

    year: int
    assessments: int
    self_average: Decimal | None
    tpi_average: Decimal | None
    meets: Mapping[str, int]  # predikat code -> assessments whose decision figures meet it


@dataclass
class Board:
    instansi: Instansi
    year: int
    rows: list[Row]
    rulebook: LkeRulebook | None
    trend: list[YearSummary] = field(default_factory=list)

    @property
    def predikat(self) -> list[tuple[str, str]]:
        return [(p.code, p.name) for p in self.rulebook.predikat] if self.rulebook else []


# --------------------------------------------------------------------------- building


def board_years(user, instansi: Instansi) -> list[int]:
    """Years with an assessment of a unit on the user's dashboard, newest first (one query)."""
    return sorted(
        set(
            visible_assessments(user)
            .filter(unit__in=leadership_units(user).filter(instansi=instansi))
            .values_list("year", flat=True)
            .order_by()
        ),
        reverse=True,
    )


def _snapshots(assessment_ids: list[int]) -> dict[int, Any]:
    model = snapshot_model()
    if model is None or not assessment_ids:
        return {}
    return {
        s.assessment_id: s
        for s in model.objects.filter(assessment_id__in=assessment_ids).only(
            "assessment_id", "content"
        )
    }


def _answers(assessment_ids: list[int]) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = defaultdict(dict)
    if assessment_ids:
        for aid, code, value in (
            Answer.objects.filter(assessment_id__in=assessment_ids)
            .exclude(value="")
            .values_list("assessment_id", "item__code", "value")
        ):
            out[aid][code] = value
    return out


def _tpi_facts(assessment_ids: list[int]) -> dict[int, Any]:
    try:
        from assessments.models.evaluation import EvaluatorFacts
    except ImportError:
        return {}
    if not assessment_ids:
        return {}
    return {
        f.assessment_id: f for f in EvaluatorFacts.objects.filter(assessment_id__in=assessment_ids)
    }


def _supported(assessment_ids: list[int]) -> dict[int, set[str]]:
    """assessment id -> codes of the items that have evidence not marked perlu perbaikan."""
    from evidence.models import Attachment, ReviewStatus

    out: dict[int, set[str]] = defaultdict(set)
    if assessment_ids:
        for aid, code in (
            Attachment.objects.filter(assessment_id__in=assessment_ids)
            .exclude(status=ReviewStatus.PERLU_PERBAIKAN)
            .values_list("assessment_id", "item__code")
            .distinct()
        ):
            out[aid].add(code)
    return out


def _score(rb: LkeRulebook, raw: Mapping[str, str], has_wbk: bool) -> tuple[Scores, LkeResult]:
    answers, _problems = validate_answers(rb, dict(raw))
    result = score_lke(rb, answers)
    verdicts = check_predikat(result, rb, UnitFacts(has_wbk=has_wbk))
    return scores_from_result(rb, result, verdicts), result


def _evidence_counts(rb: LkeRulebook, result: LkeResult, supported: set[str]) -> tuple[int, int]:
    """(claims with acceptable evidence, claims): a claim is a scored item valued above 0."""
    claimed = [c for c in rb.plan.items if (result.values.get(c) or 0) > 0]
    return sum(1 for c in claimed if c in supported), len(claimed)


def _eligibility_counts(statuses: Iterable[str]) -> dict[str, int]:
    counts = {"met": 0, "not_met": 0, "not_filled": 0}
    for s in statuses:
        counts[s] = counts.get(s, 0) + 1
    return counts


def build_board(user, instansi: Instansi, year: int, *, unit: UnitKerja | None = None) -> Board:
    """Every unit of `instansi` on the user's dashboard (or only `unit`) with its assessments
    of `year` and the trend of the years before."""
    units_qs = leadership_units(user).filter(instansi=instansi).order_by("code")
    units = list(units_qs.filter(pk=unit.pk) if unit is not None else units_qs)
    first_year = year - TREND_YEARS + 1
    assessments = list(
        visible_assessments(user)
        .filter(unit__in=[u.pk for u in units], year__gte=first_year, year__lte=year)
        .defer("rulebook__content")
        .order_by("unit__code", "target", "year")
    )
    ids = [a.pk for a in assessments]
    snapshots = _snapshots(ids)
    live = [a for a in assessments if a.pk not in snapshots]
    answers = _answers([a.pk for a in live])
    tpi_answers = tpi_answers_bulk([a.pk for a in live])
    current = [a for a in assessments if a.year == year]
    supported = _supported([a.pk for a in current if a.pk not in snapshots])
    unit_facts = {
        f.assessment_id: f
        for f in UnitFactsRecord.objects.filter(
            assessment_id__in=[a.pk for a in current if a.pk not in snapshots]
        )
    }
    # The TPI's verified facts where it has them (as the snapshot and the report use).
    unit_facts.update(_tpi_facts([a.pk for a in current if a.pk not in snapshots]))
    instansi_facts = InstansiFacts.objects.filter(instansi=instansi, year=year).first()
    eligibility_rules = engine_rulebook(
        RulebookVersion.objects.defer("content").current(RulebookKind.ELIGIBILITY)
    )

    by_unit: dict[int, list[Assessment]] = defaultdict(list)
    for a in assessments:
        by_unit[a.unit_id].append(a)
    versions: dict[int, RulebookVersion] = {}
    rows: list[Row] = []
    by_year: dict[int, list[tuple[Scores | None, Scores | None]]] = defaultdict(list)
    for unit in units:
        history = by_unit.get(unit.pk, [])
        trend_by_target: dict[str, list[TrendPoint]] = defaultdict(list)
        scored: dict[int, tuple[Scores | None, Scores | None, LkeResult | None]] = {}
        for a in history:
            version = versions.setdefault(a.rulebook_id, a.rulebook)
            rb = engine_rulebook(version)
            snapshot = snapshots.get(a.pk)
            if snapshot is not None:
                content = snapshot.content
                self_scores = scores_from_dict(rb, (content.get("self") or {}).get("result") or {})
                tpi_result = (content.get("tpi") or {}).get("result")
                tpi_scores = scores_from_dict(rb, tpi_result) if tpi_result else None
                result = None
            else:
                self_scores, result = _score(rb, answers.get(a.pk, {}), unit.has_wbk)
                tpi_scores = None
                if tpi_answers.get(a.pk):
                    tpi_scores, _r = _score(rb, tpi_answers[a.pk], unit.has_wbk)
            scored[a.pk] = (self_scores, tpi_scores, result)
            # The yearly trend counts finished figures only: a TPI evaluation in progress and
            # an assessment nobody has started would pull the averages down.
            settled_tpi = tpi_scores if tpi_scores and (snapshot or tpi_scores.complete) else None
            started_self = self_scores if self_scores and self_scores.answered else None
            by_year[a.year].append((started_self, settled_tpi))
            trend_by_target[a.target].append(
                TrendPoint(
                    a.year,
                    a.target,
                    self_scores.total if self_scores else None,
                    tpi_scores.total if tpi_scores else None,
                )
            )
        this_year = [a for a in history if a.year == year]
        if not this_year:
            rows.append(Row(unit=unit))
            continue
        for a in this_year:
            self_scores, tpi_scores, result = scored[a.pk]
            rb = engine_rulebook(versions[a.rulebook_id])
            row = Row(
                unit=unit,
                assessment=a,
                self=self_scores,
                tpi=tpi_scores,
                final=a.pk in snapshots,
                trend=trend_by_target[a.target],
            )
            snapshot = snapshots.get(a.pk)
            if snapshot is not None:
                content = snapshot.content
                evidence = content.get("evidence") or []
                raw = {
                    code: a["value"]
                    for code, a in ((content.get("self") or {}).get("answers") or {}).items()
                    if a.get("value")
                }
                _scores, stored_result = _score(rb, raw, unit.has_wbk)
                ok = {e.get("item") for e in evidence if e.get("status") != "perlu_perbaikan"}
                row.evidence_supported, row.evidence_claimed = _evidence_counts(
                    rb, stored_result, ok
                )
                row.eligibility = _eligibility_counts(
                    e.get("status", "") for e in content.get("eligibility") or []
                )
            else:
                assert result is not None
                row.evidence_supported, row.evidence_claimed = _evidence_counts(
                    rb, result, supported.get(a.pk, set())
                )
                items = check_eligibility(
                    eligibility_rules,
                    predikat=a.target,
                    instansi_kind=instansi.kind,
                    facts=eligibility_facts(instansi_facts, unit_facts.get(a.pk), unit.has_wbk),
                    reference_date=a.reference_date,
                )
                row.eligibility = _eligibility_counts(i.status for i in items)
            rows.append(row)
    board_rulebook = _board_rulebook(assessments, versions, year)
    return Board(
        instansi=instansi,
        year=year,
        rows=rows,
        rulebook=board_rulebook,
        trend=[_year_summary(y, by_year[y]) for y in sorted(by_year)],
    )


def _average(values: list[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def _year_summary(year: int, scored: list[tuple[Scores | None, Scores | None]]) -> YearSummary:
    meets: dict[str, int] = defaultdict(int)
    for self_scores, tpi_scores in scored:
        basis = tpi_scores or self_scores  # the TPI's only when settled (see the caller)
        for code, ok in basis.meets.items() if basis else ():
            meets[code] += int(ok)
    return YearSummary(
        year=year,
        assessments=len(scored),
        self_average=_average([s.total for s, _t in scored if s is not None]),
        tpi_average=_average([t.total for _s, t in scored if t is not None]),
        meets=dict(meets),
    )


def _board_rulebook(
    assessments: list[Assessment], versions: dict[int, RulebookVersion], year: int
) -> LkeRulebook:
    """The rulebook whose minima the charts draw: the one most of the year's assessments use
    (the current LKE version when there are none)."""
    counts: dict[int, int] = defaultdict(int)
    for a in assessments:
        if a.year == year:
            counts[a.rulebook_id] += 1
    if counts:
        best = max(counts, key=lambda pk: counts[pk])
        return engine_rulebook(versions[best])
    return engine_rulebook(RulebookVersion.objects.current(RulebookKind.LKE))


# --------------------------------------------------------------------------- filtering, sorting


def verdict_of(row: Row) -> str:
    """The highest predikat the decision figures meet ("" for none), rulebook order."""
    basis = row.basis
    if basis is None:
        return ""
    met = [code for code, ok in basis.meets.items() if ok]
    return met[-1] if met else ""


def filter_rows(rows: list[Row], *, status: str = "", verdict: str = "") -> list[Row]:
    out = rows
    if status:
        out = [r for r in out if r.status == status]
    if verdict == NO_ASSESSMENT:
        out = [r for r in out if r.basis is not None and not any(r.basis.meets.values())]
    elif verdict:
        out = [r for r in out if r.basis is not None and r.basis.meets.get(verdict)]
    return out


_BOTTOM = Decimal(-1)


def _sort_keys() -> dict[str, Any]:
    return {
        "unit": lambda r: (r.unit.code, r.assessment.target if r.assessment else ""),
        "status": lambda r: (
            list(Status.values).index(r.status) if r.status in Status.values else -1
        ),
        "self": lambda r: r.self.total if r.self else _BOTTOM,
        "tpi": lambda r: r.tpi.total if r.tpi else _BOTTOM,
        "weakest": lambda r: r.weakest.percent if r.weakest else _BOTTOM,
        "evidence": lambda r: r.evidence_percent if r.evidence_percent is not None else _BOTTOM,
        "eligibility": lambda r: r.eligibility.get("met", -1) if r.eligibility else -1,
    }


SORTS = ("unit", "status", "self", "tpi", "weakest", "evidence", "eligibility")


def sort_rows(rows: list[Row], sort: str) -> list[Row]:
    key = sort.lstrip("-")
    keys = _sort_keys()
    if key not in keys:
        key, sort = "unit", "unit"
    ordered = sorted(rows, key=keys["unit"])  # stable tie-break by unit
    return sorted(ordered, key=keys[key], reverse=sort.startswith("-"))
