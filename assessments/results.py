"""Scoring glue between the database and the pure engine: the unit's answers scored, the live
score panel, the eligibility checklist, and the LKE pages' extension points.

`lke_state(assessment)` reads the unit's answers in one query, scores them with the engine and
keeps the result on the assessment object for the rest of the request (verdicts and the gap
plan are computed on first use).

`lke_page_context(assessment, user)` is what every LKE page renders (built in
assessments/lke_page.py); other apps add their own per-item data through
`register_lke_context` (one query each), and the evaluator's notes come from
`evaluator_notes_by_item`.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.engine import (
    GapPlan,
    LkeResult,
    LkeRulebook,
    UnitFacts,
    Verdict,
    check_eligibility,
    check_predikat,
    plan_gap,
    score_lke,
    validate_answers,
)
from assessments.layout import HASIL, Card, LkeLayout, lke_layout
from assessments.models import Answer, Assessment, InstansiFacts, RulebookVersion
from assessments.models.assessment import UnitFactsRecord
from assessments.models.rulebook import RulebookKind
from assessments.reporting import id_number
from assessments.rulebooks import engine_rulebook

__all__ = [
    "HASIL",
    "Card",
    "LkeLayout",
    "LkeState",
    "eligibility_rows",
    "evaluator_notes_by_item",
    "lke_layout",
    "lke_page_context",
    "lke_state",
    "register_lke_context",
    "score_panel_context",
]

GAP_STEPS_SHOWN = 5


# --------------------------------------------------------------------------- answers and score


def engine_answers(rulebook: LkeRulebook, rows: Iterable[Answer]) -> dict[str, Any]:
    """Stored answers -> the engine's answers (blank values are unanswered)."""
    raw = {row.item.code: row.value for row in rows if row.value}
    answers, _problems = validate_answers(rulebook, raw)
    # Stored values were validated when saved; a value the engine refuses now (it cannot happen
    # with an unchanged rulebook version) is treated as unanswered rather than breaking the page.
    return answers


def unit_facts_for(assessment: Assessment) -> UnitFacts:
    return UnitFacts(has_wbk=assessment.unit.has_wbk)


@dataclass
class LkeState:
    assessment: Assessment
    rulebook: LkeRulebook
    layout: LkeLayout
    rows: dict[str, Answer]
    answers: dict[str, Any]
    result: LkeResult
    facts: UnitFacts = field(default_factory=UnitFacts)

    @cached_property
    def verdicts(self) -> dict[str, Verdict]:
        return check_predikat(self.result, self.rulebook, self.facts)

    @property
    def verdict(self) -> Verdict:
        return self.verdicts[self.assessment.target]

    @cached_property
    def plan(self) -> GapPlan:
        return cached_plan(self.rulebook, self.answers, self.assessment.target, self.facts)

    @property
    def complete(self) -> bool:
        return self.result.complete

    @cached_property
    def progress(self) -> dict[str, tuple[int, int]]:
        values = self.result.values
        out: dict[str, tuple[int, int]] = {}
        for section in self.layout.sections:
            cards = section.cards
            done = sum(1 for c in cards if values.get(c.code) is not None)
            out[section.key] = (done, len(cards))
        return out

    @property
    def answered_total(self) -> tuple[int, int]:
        done = sum(d for d, _ in self.progress.values())
        return done, sum(t for _, t in self.progress.values())


_PLANS: OrderedDict[tuple, GapPlan] = OrderedDict()
_PLANS_MAX = 256
_PLANS_LOCK = threading.Lock()


def cached_plan(
    rulebook: LkeRulebook, answers: dict[str, Any], target: str, facts: UnitFacts
) -> GapPlan:
    """`plan_gap` remembered per process for the exact same input (the plan is a pure function
    of the rulebook, the answers, the target and the unit's facts; a rulebook version's content
    never changes under its code and version): an LKE page shows the plan on every section, and
    the answers change only on a save. Least recently used first out."""
    key = (rulebook.code, rulebook.version, frozenset(answers.items()), target, facts)
    with _PLANS_LOCK:
        plan = _PLANS.get(key)
        if plan is not None:
            _PLANS.move_to_end(key)
            return plan
    plan = plan_gap(rulebook, answers, target=target, unit_facts=facts)
    with _PLANS_LOCK:
        _PLANS[key] = plan
        while len(_PLANS) > _PLANS_MAX:
            _PLANS.popitem(last=False)
    return plan


def lke_state(assessment: Assessment, *, refresh: bool = False) -> LkeState:
    """The assessment's answers and score, computed once per request (one query)."""
    cached = assessment.__dict__.get("_lke_state")
    if cached is not None and not refresh:
        return cached
    rulebook = engine_rulebook(assessment.rulebook)
    rows = {
        row.item.code: row
        for row in Answer.objects.filter(assessment=assessment).select_related("item", "updated_by")
    }
    answers = engine_answers(rulebook, rows.values())

    state = LkeState(
        assessment=assessment,
        rulebook=rulebook,
        layout=lke_layout(assessment.rulebook),
        rows=rows,
        answers=answers,
        result=score_lke(rulebook, answers),
        facts=unit_facts_for(assessment),
    )
    assessment.__dict__["_lke_state"] = state
    return state


# --------------------------------------------------------------------------- labels and links


def criterion_label(rulebook: LkeRulebook, name: str) -> str:
    """A readable name for a verdict criterion, from the rulebook's own names."""
    if name == "complete":
        return _("Indikator terisi")
    if name == "total":
        return _("Nilai total")
    if name == "pengungkit":
        return rulebook.pengungkit_name or _("Pengungkit")
    if name == "hasil":
        return rulebook.hasil_name or _("Hasil")
    if name.startswith("area:"):
        try:
            return rulebook.area(name[5:]).name
        except KeyError:
            return name
    if name.startswith("part:"):
        for part in rulebook.parts:
            if part.key == name[5:]:
                return part.name
        return name
    if name.startswith("prior_"):
        code = name[6:].upper()
        try:
            predikat = rulebook.get_predikat(code).name
        except KeyError:
            predikat = code
        return _("Unit sudah berpredikat %(predikat)s") % {"predikat": predikat}
    for comp in rulebook.hasil_components:
        if comp.key == name:
            return comp.name
        for hi in comp.indicators:
            if hi.key == name:
                return hasil_label(hi)
    return name


def hasil_label(hi) -> str:
    if hi.type == "INDEKS":
        return _("Nilai %(survey)s") % {"survey": hi.key.upper()}
    return hi.key.replace("_", " ").capitalize()


def item_url(assessment: Assessment, layout: LkeLayout, code: str) -> str:
    """Link to the card that answers `code` (a count input links to its indicator)."""
    card = layout.card_of.get(code, code)
    section = layout.section_of.get(card, "")
    return (
        reverse("assessments:lke_section", args=[assessment.pk, section]) + f"#item-{card}"
        if section
        else reverse("assessments:lke", args=[assessment.pk]) + f"#item-{card}"
    )


# --------------------------------------------------------------------------- score panel


@dataclass(frozen=True, slots=True)
class AreaBar:
    key: str
    name: str
    score: str
    max: str
    percent: Decimal
    percent_text: str
    minimums: tuple[tuple[str, Decimal], ...]  # (predikat code, min percent)
    passes_target: bool | None


@dataclass(frozen=True, slots=True)
class CriterionRow:
    name: str
    label: str
    value: str
    required: str
    passed: bool
    url: str = ""


@dataclass(frozen=True, slots=True)
class GapRow:
    code: str
    text: str
    change: str
    points: str
    helps: str
    url: str


def _area_minimums(rulebook: LkeRulebook) -> tuple[tuple[str, Decimal], ...]:
    out = []
    for predikat in rulebook.predikat:
        for c in predikat.criteria:
            if c.criterion == "area" and c.min_percent is not None:
                out.append((predikat.code, c.min_percent))
    return tuple(out)


def _criterion_rows(state: LkeState, verdict: Verdict) -> list[CriterionRow]:
    rows = []
    rb = state.rulebook
    for c in verdict.criteria:
        label = criterion_label(rb, c.criterion)
        url = ""
        if c.criterion == "complete":
            done, total = state.answered_total
            value = f"{done}/{total}"
            required = f"{total}/{total}"
            url = reverse("assessments:submit", args=[state.assessment.pk])
        elif c.criterion.startswith("prior_"):
            value = _("ya") if c.passed else _("belum")
            required = _("ya")
        else:
            value = id_number(c.value)
            required = id_number(c.required)
            if c.criterion.startswith("area:"):
                url = reverse(
                    "assessments:lke_section", args=[state.assessment.pk, c.criterion[5:]]
                )
        rows.append(CriterionRow(c.criterion, label, value, required, c.passed, url))
    return rows


def _gap_rows(state: LkeState, limit: int = GAP_STEPS_SHOWN) -> list[GapRow]:
    rb, layout = state.rulebook, state.layout
    out = []
    for step in state.plan.steps:
        if step.kind != "improve":
            continue
        card = layout.cards.get(step.indicator)
        text = card.text if card else ""
        change = f"{step.from_ or _('belum diisi')} → {step.to}"
        helps = ", ".join(criterion_label(rb, h) for h in step.helps)
        out.append(
            GapRow(
                step.indicator,
                text,
                change,
                id_number(step.points),
                helps,
                item_url(state.assessment, layout, step.indicator),
            )
        )
        if len(out) >= limit:
            break
    return out


def _evidence_supported(state: LkeState) -> dict[str, Any] | None:
    """The score the evidence supports (issue 5): claims above the lowest option count only with
    acceptable evidence. None when the evidence app is not installed."""
    from django.apps import apps

    if not apps.is_installed("evidence"):
        return None
    from evidence.services import ReviewStatuses, evidence_steps, evidence_supported_answers

    rb, assessment = state.rulebook, state.assessment
    statuses = ReviewStatuses.of(assessment)
    lowered = evidence_supported_answers(assessment, state.answers, statuses=statuses)
    result = score_lke(rb, lowered)
    meets = check_predikat(result, rb, state.facts)[assessment.target].meets
    steps: list[GapRow] = []
    if not meets and state.result.total != result.total:
        found = evidence_steps(assessment, state.answers, statuses=statuses, lowered=lowered)
        for step in found[:GAP_STEPS_SHOWN]:
            card = state.layout.cards.get(step.item.code)
            steps.append(
                GapRow(
                    step.item.code,
                    card.text if card else step.item.text,
                    _("perbaiki bukti dukung")
                    if step.reason == "perbaiki"
                    else _("tambahkan bukti dukung"),
                    id_number(step.points),
                    _("nilai yang didukung bukti (bukan nilai mandiri)"),
                    item_url(assessment, state.layout, step.item.code),
                )
            )
    return {"total": id_number(result.total), "meets": meets, "steps": steps}


def readable_reason(rulebook: LkeRulebook, reason: str | None) -> str | None:
    """The gap plan's explanation with criterion keys (area:penguatan_pengawasan,
    bersih_akuntabel) replaced by their names."""
    if not reason:
        return reason
    names = [f"area:{a.key}" for a in rulebook.areas] + [f"part:{p.key}" for p in rulebook.parts]
    names += [c.key for c in rulebook.hasil_components]
    names += [h.key for c in rulebook.hasil_components for h in c.indicators if "_" in h.key]
    for name in sorted(names, key=len, reverse=True):
        reason = re.sub(
            rf"(?<![\w:]){re.escape(name)}(?!\w)", criterion_label(rulebook, name), reason
        )
    return reason


def score_panel_context(state: LkeState) -> dict[str, Any]:
    """Everything the live score panel shows (figures as Indonesian 2-decimal strings)."""
    from assessments.engine_texts import gap_reason_text, warning_text

    rb, result = state.rulebook, state.result
    target = state.assessment.target
    verdict = state.verdict
    area_pass = {
        c.criterion[5:]: c.passed for c in verdict.criteria if c.criterion.startswith("area:")
    }
    minimums = _area_minimums(rb)
    bars = []
    for area in rb.areas:
        a = result.areas[area.key]
        percent = min(max(a.percent, Decimal(0)), Decimal(100))
        bars.append(
            AreaBar(
                key=area.key,
                name=area.name,
                score=id_number(a.score),
                max=id_short(a.max),
                percent=percent,
                percent_text=id_number(a.percent),
                minimums=minimums,
                passes_target=area_pass.get(area.key),
            )
        )
    done, total = state.answered_total
    plan = state.plan
    supported = _evidence_supported(state)
    gap = _gap_rows(state)
    if supported is not None and not supported["meets"] and supported["steps"]:
        if verdict.meets:
            # The answers are enough; missing or rejected evidence is what stands between the
            # unit and its target: say so first.
            gap = (supported["steps"] + gap)[:GAP_STEPS_SHOWN]
        else:
            # The answers themselves fall short: answering comes first, evidence after.
            gap = (gap + supported["steps"])[:GAP_STEPS_SHOWN]
    return {
        "panel_target": target,
        "panel_target_name": rb.get_predikat(target).name,
        "panel_total": id_number(result.total),
        "panel_pengungkit": id_number(result.pengungkit),
        "panel_pengungkit_max": id_short(rb.pengungkit_weight),
        "panel_hasil": id_number(result.hasil),
        "panel_hasil_max": id_short(rb.hasil_weight),
        "panel_parts": [
            (part.name, id_number(result.parts[part.key]), id_short(part.weight))
            for part in rb.parts
        ],
        "panel_bars": bars,
        "panel_meets": verdict.meets,
        "panel_criteria": _criterion_rows(state, verdict),
        "panel_gap": gap,
        "panel_supported_total": supported["total"] if supported else None,
        "panel_supported_meets": supported["meets"] if supported else None,
        "panel_gap_reachable": plan.reachable,
        "panel_gap_reason": gap_reason_text(rb, plan),
        "panel_done": done,
        "panel_total_items": total,
        "panel_missing": total - done,  # indicators (a count input is part of its indicator)
        "panel_warnings": [warning_text(w) for w in result.warnings],
    }


# --------------------------------------------------------------------------- eligibility


@dataclass(frozen=True, slots=True)
class EligibilityRow:
    key: str
    label: str
    level: str
    status: str  # met | not_met | not_filled
    value: str
    required: str


def eligibility_facts(
    instansi_facts: InstansiFacts | None, unit_facts: UnitFactsRecord | None, has_wbk: bool
) -> dict[str, object]:
    """The facts the eligibility rulebook reads, by its fact names."""
    facts: dict[str, object] = {"has_wbk": has_wbk}
    if instansi_facts is not None:
        facts.update(
            opini_bpk=instansi_facts.opini_bpk,
            sakip_instansi=instansi_facts.sakip_instansi,
            indeks_rb=instansi_facts.indeks_rb,
            spip_maturity_level=instansi_facts.spip_maturity_level,
        )
    if unit_facts is not None:
        facts.update(
            core_service=unit_facts.core_service,
            significant_public_impact=unit_facts.significant_impact,
            tlhp_percent=unit_facts.tlhp_percent,
            lhkpn_percent=unit_facts.lhkpn_percent,
            lhkasn_percent=unit_facts.lhkasn_percent,
            pencanangan_date=unit_facts.pencanangan_date,
            wbbm_start_date=unit_facts.wbbm_start_date,
            sakip_unit=unit_facts.sakip_unit,
        )
    return facts


def _show(value: object, rule: str) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if rule == "months_since_at_least":
        return _("%(n)s bulan") % {"n": value}
    if isinstance(value, Decimal):
        return id_short(value)
    return str(value)


def eligibility_rows(
    assessment: Assessment,
    instansi_facts: InstansiFacts | None,
    unit_facts: UnitFactsRecord | None,
) -> list[EligibilityRow]:
    version = RulebookVersion.objects.current(RulebookKind.ELIGIBILITY)
    rules = engine_rulebook(version)
    items = check_eligibility(
        rules,
        predikat=assessment.target,
        instansi_kind=assessment.unit.instansi.kind,
        facts=eligibility_facts(instansi_facts, unit_facts, assessment.unit.has_wbk),
        reference_date=assessment.reference_date,
    )
    by_key = {c.key: c for c in rules.criteria}
    rows = []
    for item in items:
        rule = by_key[item.key].rule
        required = item.required
        if rule == "true":
            required_text = _("ya")
        elif rule == "months_since_at_least":
            required_text = _("%(n)s bulan") % {"n": required}
        elif required is None:
            required_text = "—"
        else:
            required_text = _show(required, rule)
        value_text = _show(item.value, rule)
        if by_key[item.key].fact.endswith("_percent"):
            value_text += "%" if item.value is not None else ""
            required_text += "%"
        rows.append(
            EligibilityRow(item.key, item.label, item.level, item.status, value_text, required_text)
        )
    return rows


def id_short(value: Decimal | None) -> str:
    """A weight or maximum: 60 rather than 60,00, 0,5 rather than 0,50."""
    text = id_number(value)
    if text.endswith(",00"):
        return text[:-3]
    return text[:-1] if "," in text and text.endswith("0") else text


# --------------------------------------------------------------------------- extension points


def evaluator_notes_by_item(assessment: Assessment) -> dict[str, str]:
    """The evaluator's notes per item code, shown to the unit while its LKE is returned.

    Filled from the TPI's evaluator answers (one query), see assessments.evaluation.
    """
    from assessments.evaluation import evaluator_notes_by_item as tpi_notes

    return tpi_notes(assessment)


LkeContextHook = Callable[[Assessment, Any], dict[str, Any]]
LKE_CONTEXT_HOOKS: list[LkeContextHook] = []


def register_lke_context(hook: LkeContextHook) -> LkeContextHook:
    """Let another app add per-item data to every LKE page (e.g. evidence counts by item
    code). The hook takes (assessment, user), returns a dict merged into the page context, and
    should run one query at most. Usable as a decorator."""
    if hook not in LKE_CONTEXT_HOOKS:
        LKE_CONTEXT_HOOKS.append(hook)
    return hook


def lke_page_context(assessment: Assessment, user, **options) -> dict[str, Any]:
    """The context of every LKE page (see assessments.lke_page.build_page_context)."""
    from assessments.lke_page import build_page_context

    return build_page_context(assessment, user, **options)
