"""Readiness reports of ZI assessments (PDF): one assessment's report and the instansi summary.

One path for every report: `build_report_context(data, rulebook, ...)` takes a plain dict shaped
exactly like `AssessmentSnapshot.content` (see issue 6) and returns what the template shows. A
final assessment's report is built from its stored snapshot (and carries the verification
code); any other from `live_report_data(assessment)`, which produces the same shape from the
live state. Figures are the engine's (`assessments.reporting.lke_result_dict`); sub-area scores,
which that dict does not hold, are recomputed from the stored answers with the same immutable
rulebook version, and checked against the stored totals.

The TPI evaluation (issue 6) is read through two small adapters, `tpi_state_of` and
`snapshot_model`, so that this module works before and after that code exists: without it, the
TPI columns read "belum dinilai".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from assessments.engine import LkeRulebook, score_lke, validate_answers
from assessments.models import Assessment, InstansiFacts
from assessments.models.assessment import UnitFactsRecord
from assessments.reporting import id_number, lke_result_dict
from assessments.results import (
    criterion_label,
    eligibility_rows,
    hasil_label,
    id_short,
    lke_state,
    readable_reason,
)
from assessments.rulebooks import engine_rulebook
from zi_portal.lib.charts import (
    LINE_COLORS,
    SERIES_COLORS,
    BarGroup,
    Series,
    Threshold,
    grouped_bar_chart,
)
from zi_portal.lib.pdf import render_pdf

REPORT_TEMPLATE = "assessments/reports/readiness.html"
SUMMARY_TEMPLATE = "assessments/reports/instansi_summary.html"
GAP_STEPS = 15
SHA_PREFIX = 16

# The colours of the two sources of figures everywhere (page, PDF, legend).
SELF_COLOR, TPI_COLOR = SERIES_COLORS[0], SERIES_COLORS[1]


# --------------------------------------------------------------------------- TPI adapters


def tpi_state_of(assessment: Assessment) -> Any | None:
    """The evaluator's state of the assessment (`assessments.evaluation.tpi_state`), or None
    when the TPI module does not exist yet or the TPI has not answered."""
    try:
        from assessments import evaluation
    except ImportError:
        return None
    tpi_state = getattr(evaluation, "tpi_state", None)
    return tpi_state(assessment) if tpi_state is not None else None


def snapshot_model() -> Any | None:
    """The `AssessmentSnapshot` model (issue 6), or None while it does not exist."""
    try:
        from assessments.models.evaluation import AssessmentSnapshot
    except ImportError:
        return None
    return AssessmentSnapshot


def snapshot_of(assessment: Assessment) -> Any | None:
    model = snapshot_model()
    if model is None:
        return None
    return (
        model.objects.select_related("rulebook", "rulebook__rulebook")
        .filter(assessment=assessment)
        .first()
    )


def tpi_answers_bulk(assessment_ids: list[int]) -> dict[int, dict[str, str]]:
    """assessment id -> the TPI's non-blank answers (code -> stored value), in one query; empty
    while the TPI module does not exist."""
    try:
        from assessments.models.evaluation import EvaluatorAnswer
    except ImportError:
        return {}
    out: dict[int, dict[str, str]] = {}
    if assessment_ids:
        for aid, code, value in (
            EvaluatorAnswer.objects.filter(assessment_id__in=assessment_ids)
            .exclude(value="")
            .values_list("assessment_id", "item__code", "value")
        ):
            out.setdefault(aid, {})[code] = value
    return out


def eligibility_of(assessment: Assessment) -> list[Any]:
    """The eligibility checklist: on the TPI's verified facts where the TPI module keeps them
    (as the snapshot does), else on the unit's own."""
    try:
        from assessments.evaluation import tpi_eligibility
    except ImportError:
        instansi_facts = InstansiFacts.objects.filter(
            instansi_id=assessment.unit.instansi_id, year=assessment.year
        ).first()
        unit_facts = UnitFactsRecord.objects.filter(assessment=assessment).first()
        return eligibility_rows(assessment, instansi_facts, unit_facts)
    return tpi_eligibility(assessment)


# --------------------------------------------------------------------------- live data


def state_result_dict(state: Any) -> dict[str, Any]:
    return lke_result_dict(state.rulebook, state.result, state.verdicts, state.plan)


def answers_dict(rows: Iterable[Any]) -> dict[str, dict[str, str]]:
    """Stored answer rows -> {code: {"value", "note"}} (the snapshot's answers shape)."""
    out = {}
    for row in rows:
        code = row.item.code if hasattr(row, "item") else row.code
        if row.value or row.note:
            out[code] = {"value": row.value, "note": row.note}
    return out


def evidence_entries(assessment: Assessment) -> list[dict[str, Any]]:
    """The assessment's evidence index in the snapshot's shape (one query)."""
    from evidence.models import Attachment

    attachments = (
        Attachment.objects.filter(assessment=assessment)
        .select_related("evidence", "revision", "item")
        .order_by("item__order", "attached_at", "pk")
    )
    out = []
    for a in attachments:
        # The pinned revision only, as the snapshot records it (a link has none).
        out.append(
            {
                "item": a.item.code,
                "title": a.evidence.title,
                "document_date": a.evidence.document_date.isoformat(),
                "revision": a.revision.number if a.revision else None,
                "sha256": a.revision.sha256 if a.revision else None,
                "status": a.status,
                "review_note": a.review_note,
            }
        )
    return out


def live_report_data(assessment: Assessment) -> dict[str, Any]:
    """The assessment as it stands, in the shape of `AssessmentSnapshot.content`."""
    state = lke_state(assessment)
    tpi = tpi_state_of(assessment)
    unit = assessment.unit
    eligibility = eligibility_of(assessment)
    tpi_data = None
    if tpi is not None and getattr(tpi, "result", None) is not None:
        tpi_data = {
            "answers": answers_dict(getattr(tpi, "rows", {}).values()),
            "result": state_result_dict(tpi),
        }
    return {
        "rulebook": {"code": state.rulebook.code, "version": state.rulebook.version},
        "instansi": unit.instansi.name,
        "unit": {"name": unit.name, "code": unit.code},
        "year": assessment.year,
        "target": assessment.target,
        "self": {"answers": answers_dict(state.rows.values()), "result": state_result_dict(state)},
        "tpi": tpi_data,
        "evidence": evidence_entries(assessment),
        "eligibility": [
            {
                "key": r.key,
                "label": r.label,
                "level": r.level,
                "status": r.status,
                "value": r.value,
                "required": r.required,
            }
            for r in eligibility
        ],
        # The TPI's general note is written when it finalises (the snapshot keeps it).
        "notes": {"return_note": assessment.return_note, "general": ""},
        "finalised_by": None,
        "finalised_at": None,
    }


# --------------------------------------------------------------------------- display helpers


def _dec(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _n(value: Any) -> str:
    """A figure of the result dict ("75.00") in Indonesian display ("75,00")."""
    return id_number(_dec(value))


def _pct(value: Any) -> str:
    number = _dec(value)
    return "—" if number is None else f"{id_number(number)}%"


def _date(value: Any) -> dt.date | dt.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    if len(str(value)) == 10:
        return parsed.date()
    return timezone.localtime(parsed) if timezone.is_aware(parsed) else parsed


def _engine_answers(rulebook: LkeRulebook, answers: Mapping[str, Any] | None) -> dict[str, Any]:
    raw = {code: a.get("value") for code, a in (answers or {}).items() if a.get("value")}
    valid, _problems = validate_answers(rulebook, raw)
    return valid


def _option_text(rulebook: LkeRulebook, code: str, value: str) -> str:
    """ "B" -> "B (0,50)" for an option answer; other answers as they are."""
    if not value:
        return "—"
    try:
        indicator = rulebook.indicator(code)
    except KeyError:
        return value
    option = indicator.option(value) if indicator.is_option else None
    if option is not None:
        return f"{option.key} ({id_short(option.value)})"
    return value.replace(".", ",")


def _item_text(rulebook: LkeRulebook, code: str) -> str:
    try:
        return rulebook.indicator(code).text
    except KeyError:
        return ""


STATUS_LABELS = {
    "met": "terpenuhi",
    "not_met": "tidak terpenuhi",
    "not_filled": "belum diisi",
}


def eligibility_status_label(status: str) -> str:
    labels = {
        "met": _("terpenuhi"),
        "not_met": _("tidak terpenuhi"),
        "not_filled": _("belum diisi"),
    }
    return labels.get(status, status)


def review_status_label(status: str) -> str:
    from evidence.models import ReviewStatus

    try:
        return str(ReviewStatus(status).label)
    except ValueError:
        return status


def predikat_minima(rulebook: LkeRulebook) -> list[dict[str, Any]]:
    """Per predikat: its total and per-area minima, read from the rulebook."""
    out = []
    for p in rulebook.predikat:
        total = next((c.min for c in p.criteria if c.criterion == "total"), None)
        area = next((c.min_percent for c in p.criteria if c.criterion == "area"), None)
        out.append({"code": p.code, "name": p.name, "total": total, "area_percent": area})
    return out


def total_thresholds(rulebook: LkeRulebook) -> list[Threshold]:
    return [
        Threshold(_("Minimum %(name)s") % {"name": m["name"]}, m["total"], LINE_COLORS[i])
        for i, m in enumerate(predikat_minima(rulebook))
        if m["total"] is not None
    ]


def area_thresholds(rulebook: LkeRulebook) -> list[Threshold]:
    return [
        Threshold(_("Minimum %(name)s") % {"name": m["name"]}, m["area_percent"], LINE_COLORS[i])
        for i, m in enumerate(predikat_minima(rulebook))
        if m["area_percent"] is not None
    ]


def source_series(with_tpi: bool = True) -> list[Series]:
    series = [Series(_("Penilaian mandiri"), SELF_COLOR)]
    if with_tpi:
        series.append(Series(_("Penilaian TPI"), TPI_COLOR))
    return series


def area_chart_svg(
    rulebook: LkeRulebook,
    self_areas: Mapping[str, Any],
    tpi_areas: Mapping[str, Any] | None,
    *,
    fit: bool = True,
    width: int = 680,
) -> SafeString:
    """The six areas as a percentage of their weights, self vs TPI, against the per-area minima
    of every predikat (from the rulebook)."""
    groups = []
    for area in rulebook.areas:
        s = self_areas.get(area.key) or {}
        t = (tpi_areas or {}).get(area.key) or {}
        groups.append(BarGroup(area.name, (_dec(s.get("percent")), _dec(t.get("percent")))))
    return mark_safe(
        grouped_bar_chart(
            groups,
            series=source_series(),
            max_value=100,
            thresholds=area_thresholds(rulebook),
            value_format=lambda v: f"{id_number(Decimal(str(v)))}%",
            tick_format=lambda v: f"{v}%",
            ticks=(0, 20, 40, 60, 80, 100),
            title=_("Nilai area perubahan (% dari bobot)"),
            width=width,
            label_width=int(width * 0.44),
            fit=fit,
            tooltips=fit,
        )
    )


# --------------------------------------------------------------------------- the report context


def _criterion_value(name: str, c: Mapping[str, Any] | None, incomplete: int) -> tuple[str, bool]:
    if c is None:
        return "—", False
    if name == "complete":
        if c["passed"]:
            return _("lengkap"), True
        return _("%(n)s belum diisi") % {"n": incomplete}, False
    if name.startswith("prior_"):
        return (_("ya") if c["passed"] else _("belum")), bool(c["passed"])
    return _n(c["value"]), bool(c["passed"])


def _verdict_tables(
    rulebook: LkeRulebook, self_result: Mapping[str, Any], tpi_result: Mapping[str, Any] | None
) -> list[dict[str, Any]]:
    out = []
    # Counted in indicators, as everywhere else (a percentage indicator's count inputs are part
    # of it), not in answer fields.
    indicators = set(rulebook.plan.items)
    self_missing = sum(1 for c in self_result.get("incomplete", []) if c in indicators)
    tpi_missing = sum(1 for c in (tpi_result or {}).get("incomplete", []) if c in indicators)
    for p in rulebook.predikat:
        sv = self_result["verdicts"].get(p.code)
        tv = (tpi_result or {}).get("verdicts", {}).get(p.code) if tpi_result else None
        if sv is None:
            continue
        tpi_by_name = {c["criterion"]: c for c in (tv or {}).get("criteria", [])}
        rows = []
        for c in sv["criteria"]:
            name = c["criterion"]
            if name == "complete":
                required = _("lengkap")
            elif name.startswith("prior_"):
                required = _("ya")
            else:
                required = _n(c["required"])
            self_value, self_passed = _criterion_value(name, c, self_missing)
            tpi_value, tpi_passed = _criterion_value(name, tpi_by_name.get(name), tpi_missing)
            rows.append(
                {
                    "name": name,
                    "label": criterion_label(rulebook, name),
                    "required": required,
                    "self": self_value,
                    "self_passed": self_passed,
                    "tpi": tpi_value if tv else None,
                    "tpi_passed": tpi_passed if tv else None,
                }
            )
        out.append(
            {
                "code": p.code,
                "name": p.name,
                "self_meets": bool(sv["meets"]),
                "tpi_meets": bool(tv["meets"]) if tv else None,
                "rows": rows,
            }
        )
    return out


def _figure_rows(
    rulebook: LkeRulebook, self_result: Mapping[str, Any], tpi_result: Mapping[str, Any] | None
) -> list[dict[str, Any]]:
    """Total, Pengungkit (by part), Hasil (by component and indicator): max, self, TPI."""
    tpi = tpi_result or {}

    def row(label: str, key: str, maximum: Decimal, level: int) -> dict[str, Any]:
        return {
            "label": label,
            "max": id_short(maximum),
            "self": _n(self_result.get(key)),
            "tpi": _n(tpi.get(key)) if tpi_result else None,
            "level": level,
        }

    rows = [
        row(_("Nilai total"), "total", rulebook.pengungkit_weight + rulebook.hasil_weight, 0),
        row(
            rulebook.pengungkit_name or _("Pengungkit"), "pengungkit", rulebook.pengungkit_weight, 1
        ),
    ]
    rows += [row(part.name, part.key, part.weight, 2) for part in rulebook.parts]
    rows.append(row(rulebook.hasil_name or _("Hasil"), "hasil", rulebook.hasil_weight, 1))
    for comp in rulebook.hasil_components:
        rows.append(row(comp.name, comp.key, comp.weight, 2))
        if len(comp.indicators) > 1:
            rows += [row(hasil_label(hi), hi.key, hi.weight, 3) for hi in comp.indicators]
    return rows


def _area_rows(
    rulebook: LkeRulebook,
    self_result: Mapping[str, Any],
    tpi_result: Mapping[str, Any] | None,
    self_scored: Any,
    tpi_scored: Any | None,
) -> list[dict[str, Any]]:
    """Every area, its part in each of Pemenuhan/Reform, and its sub-areas, with scores."""
    minima = predikat_minima(rulebook)
    rows: list[dict[str, Any]] = []
    for number, area in enumerate(rulebook.areas, 1):
        s = self_result["areas"].get(area.key, {})
        t = (tpi_result or {}).get("areas", {}).get(area.key, {}) if tpi_result else None
        basis = t if t else s
        percent = _dec(basis.get("percent"))
        passes = [
            {"code": m["code"], "passed": percent is not None and percent >= m["area_percent"]}
            for m in minima
            if m["area_percent"] is not None
        ]
        rows.append(
            {
                "kind": "area",
                "code": str(number),
                "name": area.name,
                "weight": id_short(area.weight),
                "self": _n(s.get("score")),
                "self_percent": _pct(s.get("percent")),
                "tpi": _n(t.get("score")) if t else None,
                "tpi_percent": _pct(t.get("percent")) if t else None,
                "passes": passes,
            }
        )
        for part in rulebook.parts:
            for pa in part.areas:
                if pa.area != area.key:
                    continue
                rows.append(
                    {
                        "kind": "part",
                        "code": pa.code,
                        "name": part.name,
                        "weight": id_short(pa.weight),
                        "self": id_number(self_scored.part_areas.get(pa.code)),
                        "tpi": id_number(tpi_scored.part_areas.get(pa.code))
                        if tpi_scored
                        else None,
                    }
                )
                for sa in pa.sub_areas:
                    rows.append(
                        {
                            "kind": "sub",
                            "code": sa.code,
                            "name": sa.name,
                            "weight": id_short(sa.weight),
                            "self": id_number(self_scored.sub_areas.get(sa.code)),
                            "tpi": id_number(tpi_scored.sub_areas.get(sa.code))
                            if tpi_scored
                            else None,
                        }
                    )
    return rows


def _gap(
    rulebook: LkeRulebook, result: Mapping[str, Any], source: str, target: str
) -> dict[str, Any] | None:
    plan = result.get("gap_plan")
    if plan is None:
        return None
    improve = [s for s in plan["steps"] if list(s["helps"]) != ["complete"]]
    completes = len(plan["steps"]) - len(improve)
    steps = [
        {
            "code": s["indicator"],
            "text": _item_text(rulebook, s["indicator"]),
            "change": f"{s['from'] or _('belum diisi')} → {s['to']}",
            "points": _n(s["points"]),
            "helps": ", ".join(criterion_label(rulebook, h) for h in s["helps"]),
        }
        for s in improve[:GAP_STEPS]
    ]
    try:
        target_name = rulebook.get_predikat(plan.get("target") or target).name
    except KeyError:
        target_name = plan.get("target") or target
    return {
        "source": source,
        "target_name": target_name,
        "steps": steps,
        "more": max(len(improve) - GAP_STEPS, 0),
        "completes": completes,
        "reachable": plan["reachable"],
        "reason": readable_reason(rulebook, plan.get("reason")),
    }


def _tpi_notes(
    rulebook: LkeRulebook, data: Mapping[str, Any], tpi: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The TPI's general note, the return note, and every item the TPI commented on or
    answered differently from the unit."""
    notes = data.get("notes") or {}
    items = []
    if tpi:
        self_answers = (data.get("self") or {}).get("answers") or {}
        tpi_answers = tpi.get("answers") or {}
        order = {code: i for i, code in enumerate(rulebook.plan.specs)}
        for code in sorted(
            set(tpi_answers) | set(self_answers), key=lambda c: order.get(c, len(order))
        ):
            t = tpi_answers.get(code) or {}
            s = self_answers.get(code) or {}
            t_value, s_value = t.get("value") or "", s.get("value") or ""
            differs = code in tpi_answers and t_value != s_value
            if not (t.get("note") or differs):
                continue
            items.append(
                {
                    "code": code,
                    "text": _item_text(rulebook, code),
                    "self": _option_text(rulebook, code, s_value),
                    "tpi": _option_text(rulebook, code, t_value),
                    "differs": differs,
                    "note": t.get("note") or "",
                }
            )
    return {
        "general": notes.get("general") or "",
        "return_note": notes.get("return_note") or "",
        "items": items,
    }


def _evidence(rulebook: LkeRulebook, entries: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    order = {code: i for i, code in enumerate(rulebook.plan.specs)}
    rows = sorted(entries, key=lambda e: order.get(e.get("item", ""), len(order)))
    counts: dict[str, int] = {}
    out = []
    for i, e in enumerate(rows, 1):
        status = e.get("status") or ""
        counts[status] = counts.get(status, 0) + 1
        sha = e.get("sha256") or ""
        out.append(
            {
                "number": i,
                "item": e.get("item", ""),
                "title": e.get("title", ""),
                "document_date": _date(e.get("document_date")),
                "revision": e.get("revision"),
                "sha_prefix": sha[:SHA_PREFIX],
                "status": status,
                "status_label": review_status_label(status),
                "review_note": e.get("review_note") or "",
            }
        )
    return {
        "rows": out,
        "counts": [(review_status_label(k), v) for k, v in sorted(counts.items())],
        "items": len({r["item"] for r in out}),
    }


def _eligibility(entries: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    levels = {"instansi": _("Instansi"), "unit": _("Unit kerja")}
    rows = [
        {
            **e,
            "level_label": levels.get(e.get("level", ""), e.get("level", "")),
            "status_label": eligibility_status_label(e.get("status", "")),
        }
        for e in entries
    ]
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in STATUS_LABELS}
    return {"rows": rows, "counts": counts, "all_met": bool(rows) and counts["met"] == len(rows)}


def build_report_context(
    data: Mapping[str, Any],
    rulebook: LkeRulebook,
    *,
    status_label: str,
    generated_at: dt.datetime,
    verification: Mapping[str, Any] | None = None,
    unit_head: str = "",
    fit_charts: bool = False,
) -> dict[str, Any]:
    """Everything the readiness report shows, from snapshot-shaped `data` (pure: no database).

    `verification`: {"code", "url", "sha256", "qr_svg"} for a final report. `fit_charts`: True
    for the web page (charts scale down to the column), False for the PDF."""
    self_part = data.get("self") or {}
    self_result = self_part.get("result") or {}
    tpi_part = data.get("tpi") or None
    tpi_result = (tpi_part or {}).get("result") or None
    if tpi_result is None:
        tpi_part = None
    self_scored = score_lke(rulebook, _engine_answers(rulebook, self_part.get("answers")))
    tpi_scored = (
        score_lke(rulebook, _engine_answers(rulebook, tpi_part.get("answers")))
        if tpi_part
        else None
    )
    # The stored result and the re-scored answers come from the same immutable rulebook
    # version; if they ever differ, the report says so rather than printing two stories.
    consistent = id_number(self_scored.total) == _n(self_result.get("total")) and (
        tpi_scored is None or id_number(tpi_scored.total) == _n(tpi_result.get("total"))
    )
    target = data.get("target", "")
    try:
        target_name = rulebook.get_predikat(target).name
    except KeyError:
        target_name = target
    verdicts = _verdict_tables(rulebook, self_result, tpi_result)
    target_verdict = next((v for v in verdicts if v["code"] == target), None)
    finalised_at = _date(data.get("finalised_at"))
    unit = data.get("unit") or {}
    # A TPI evaluation still in progress (not final, indicators unscored) is shown as such but
    # is not what the plan and the verdict rest on: its unscored indicators count 0.
    tpi_partial = (
        tpi_result is not None and finalised_at is None and bool(tpi_result.get("incomplete"))
    )
    gap_source = (
        (tpi_result, _("penilaian TPI"))
        if tpi_result and not tpi_partial
        else (self_result, _("penilaian mandiri"))
    )
    return {
        "final": finalised_at is not None,
        "title": _("Laporan Kesiapan Zona Integritas"),
        "instansi": data.get("instansi", ""),
        "unit_name": unit.get("name", ""),
        "unit_code": unit.get("code", ""),
        "unit_head": unit_head,
        "year": data.get("year"),
        "target": target,
        "target_name": target_name,
        "status_label": status_label,
        "rulebook_code": (data.get("rulebook") or {}).get("code", rulebook.code),
        "rulebook_version": (data.get("rulebook") or {}).get("version", rulebook.version),
        "rulebook_title": rulebook.title,
        "regulation": rulebook.regulation,
        "generated_at": generated_at,
        "finalised_at": finalised_at,
        "finalised_by": data.get("finalised_by") or "",
        "verification": {
            **verification,
            # The code also goes into the page header's CSS string: only safe characters.
            "css_code": re.sub(r"[^A-Za-z0-9-]", "", str(verification.get("code", ""))),
        }
        if verification
        else None,
        "has_tpi": tpi_result is not None,
        "tpi_partial": tpi_partial,
        "tpi_scored": (
            sum(1 for c in rulebook.plan.items if c not in set(tpi_result.get("incomplete", [])))
            if tpi_result
            else 0
        ),
        "items_total": len(rulebook.plan.items),
        "self_total": _n(self_result.get("total")),
        "tpi_total": _n(tpi_result.get("total")) if tpi_result else None,
        "target_verdict": target_verdict,
        "verdicts": verdicts,
        "figures": _figure_rows(rulebook, self_result, tpi_result),
        "areas": _area_rows(rulebook, self_result, tpi_result, self_scored, tpi_scored),
        "area_chart": area_chart_svg(
            rulebook,
            self_result.get("areas", {}),
            tpi_result.get("areas") if tpi_result else None,
            fit=fit_charts,
        ),
        "minima": [
            {
                **m,
                "total": id_short(m["total"]) if m["total"] is not None else "—",
                "area_percent": id_short(m["area_percent"])
                if m["area_percent"] is not None
                else "—",
            }
            for m in predikat_minima(rulebook)
        ],
        "self_incomplete": len(self_result.get("incomplete", [])),
        "warnings": [w.get("message", "") for w in self_result.get("warnings", [])],
        "eligibility": _eligibility(data.get("eligibility") or []),
        "gap": _gap(rulebook, gap_source[0], gap_source[1], target),
        "tpi_notes": _tpi_notes(rulebook, data, tpi_part),
        "evidence": _evidence(rulebook, data.get("evidence") or []),
        "consistent": consistent,
    }


# --------------------------------------------------------------------------- instansi summary


def unit_label(row: Any, *, with_target: bool = False) -> str:
    name = f"{row.unit.name} ({row.unit.code})"
    if with_target and row.assessment is not None:
        return f"{name} · {row.assessment.target}"
    return name


def totals_chart_svgs(
    rows: list[Any],
    rulebook: LkeRulebook | None,
    *,
    fit: bool = True,
    width: int = 680,
    chunk: int = 0,
    compact: bool = False,
) -> list[SafeString]:
    """Units' totals, self vs TPI, against the total minima of every predikat (from the
    rulebook). `chunk` > 0 splits the units over several charts (a PDF page holds ~25)."""
    scored = [r for r in rows if r.assessment is not None]
    if not scored or rulebook is None:
        return []
    several_targets = len({r.assessment.target for r in scored}) > 1
    groups = [
        BarGroup(
            unit_label(r, with_target=several_targets),
            (r.self.total if r.self else None, r.tpi.total if r.basis_is_tpi else None),
        )
        for r in scored
    ]
    size = chunk or len(groups)
    charts = []
    for start in range(0, len(groups), size):
        charts.append(
            mark_safe(
                grouped_bar_chart(
                    groups[start : start + size],
                    series=source_series(),
                    max_value=100,
                    thresholds=total_thresholds(rulebook),
                    value_format=lambda v: id_number(Decimal(str(v))),
                    ticks=(0, 20, 40, 60, 80, 100),
                    title=_("Nilai total per unit"),
                    width=width,
                    label_width=int(width * 0.4),
                    bar_height=7 if compact else 11,
                    gap=5 if compact else 9,
                    font_size=9 if compact else 11,
                    fit=fit,
                    value_labels=not compact,
                    tooltips=fit,
                )
            )
        )
    return charts


def _meets_list(scores: Any, predikat: list[tuple[str, str]]) -> list[dict[str, Any]]:
    if scores is None:
        return []
    return [{"code": code, "meets": bool(scores.meets.get(code))} for code, _name in predikat]


def build_instansi_summary_context(board: Any, *, generated_at: dt.datetime) -> dict[str, Any]:
    """Every unit of an instansi in one year (a `dashboard.Board`), as the summary PDF shows it.
    Pure: reads only the board's rows."""
    rulebook = board.rulebook
    predikat = board.predikat
    minima = predikat_minima(rulebook) if rulebook else []
    area_minima = [m["area_percent"] for m in minima if m["area_percent"] is not None]
    rows = []
    for r in board.rows:
        weakest = r.weakest
        basis = r.basis
        rows.append(
            {
                "unit": r.unit.name,
                "code": r.unit.code,
                "target": r.assessment.target if r.assessment else "",
                "status": r.status_label,
                "final": r.final,
                "self_total": id_number(r.self.total) if r.self else "—",
                "tpi_total": (
                    _("%(total)s (sementara, %(n)s/%(items)s)")
                    % {"total": id_number(r.tpi.total), "n": r.tpi.answered, "items": r.tpi.items}
                    if r.tpi_partial
                    else id_number(r.tpi.total)
                )
                if r.tpi
                else "—",
                "self_meets": _meets_list(r.self, predikat),
                "tpi_meets": [] if r.tpi_partial else _meets_list(r.tpi, predikat),
                "complete": r.self.complete if r.self else None,
                "answered": f"{r.self.answered}/{r.self.items}" if r.self else "—",
                "weakest": f"{weakest.name} ({id_number(weakest.percent)}%)" if weakest else "—",
                "areas": [
                    {
                        "name": a.name,
                        "percent": id_number(a.percent),
                        "level": sum(1 for m in area_minima if a.percent >= m),
                    }
                    for a in (basis.areas if basis else ())
                ],
                "evidence": (
                    f"{r.evidence_supported}/{r.evidence_claimed}" if r.evidence_claimed else "—"
                ),
                "eligibility": r.eligibility,
                "basis_is_tpi": r.basis_is_tpi,
            }
        )
    with_assessment = [r for r in board.rows if r.assessment is not None]
    counts = {
        code: sum(1 for r in with_assessment if r.basis and r.basis.meets.get(code))
        for code, _name in predikat
    }
    return {
        "title": _("Ringkasan Kesiapan Zona Integritas"),
        "instansi": board.instansi.name,
        "year": board.year,
        "generated_at": generated_at,
        "rulebook": f"{rulebook.title} ({rulebook.code}, versi {rulebook.version})"
        if rulebook
        else "",
        "predikat": [{"code": c, "name": n, "meets": counts[c]} for c, n in predikat],
        "minima": [
            {
                "name": m["name"],
                "total": id_short(m["total"]) if m["total"] is not None else "—",
                "area_percent": id_short(m["area_percent"])
                if m["area_percent"] is not None
                else "—",
                "area_value": m["area_percent"],
            }
            for m in minima
        ],
        "area_names": [a.name for a in rulebook.areas] if rulebook else [],
        "units": len({r.unit.pk for r in board.rows}),
        "assessed": len(with_assessment),
        "final_count": sum(1 for r in with_assessment if r.final),
        "tpi_count": sum(1 for r in with_assessment if r.tpi is not None),
        "rows": rows,
        "charts": totals_chart_svgs(
            board.rows, rulebook, fit=False, width=940, chunk=25, compact=True
        ),
        "trend": [
            {
                "year": y.year,
                "assessments": y.assessments,
                "self_average": id_number(y.self_average),
                "tpi_average": id_number(y.tpi_average),
                "meets": [y.meets.get(c, 0) for c, _n in predikat],
            }
            for y in board.trend
        ],
    }


# --------------------------------------------------------------------------- verification


def verification_qr_svg(url: str) -> SafeString:
    import segno

    svg = segno.make(url, error="m").svg_inline(scale=3, dark="#000", light="#fff", border=2)
    return mark_safe(svg)


def build_verification_context(
    content: Mapping[str, Any], *, code: str, sha256: str, finalised_at: Any
) -> dict[str, Any]:
    """The key figures a public verification page shows for a final report (pure)."""
    self_result = (content.get("self") or {}).get("result") or {}
    tpi_result = (content.get("tpi") or {}).get("result") or {}
    verdicts = []
    for code_, v in (tpi_result.get("verdicts") or self_result.get("verdicts") or {}).items():
        verdicts.append({"code": code_, "meets": bool(v.get("meets"))})
    unit = content.get("unit") or {}
    rulebook = content.get("rulebook") or {}
    return {
        "code": code,
        "sha256": sha256,
        "sha_prefix": sha256[:SHA_PREFIX],
        "instansi": content.get("instansi", ""),
        "unit_name": unit.get("name", ""),
        "unit_code": unit.get("code", ""),
        "year": content.get("year"),
        # The full predikat name, as the PDF prints it ("Menuju WBK", not "WBK").
        "target": _predikat_label(content.get("target", "")),
        "rulebook": f"{rulebook.get('code', '')} versi {rulebook.get('version', '')}",
        "finalised_at": _date(finalised_at) or _date(content.get("finalised_at")),
        "self_total": _n(self_result.get("total")),
        "tpi_total": _n(tpi_result.get("total")) if tpi_result else None,
        "verdicts": verdicts,
        "evidence_count": len(content.get("evidence") or []),
    }


def _predikat_label(code: str) -> str:
    from assessments.models import Predikat

    return str(Predikat(code).label) if code in Predikat.values else code


def normalise_code(code: str) -> str:
    """A verification code as typed from paper: spaces and dashes (HJK2-345M-NPQR) dropped."""
    return re.sub(r"[\s\-\u2010-\u2015\u2212]+", "", code or "").upper()


# --------------------------------------------------------------------------- rendering


def report_filename(assessment: Assessment) -> str:
    unit = slugify(assessment.unit.code) or "unit"
    return f"laporan-zi-{unit}-{assessment.year}-{assessment.target.lower()}.pdf"


def readiness_report_context(
    assessment: Assessment, *, verify_url: Callable[[str], str], fit_charts: bool = False
) -> dict[str, Any]:
    """The report context of an assessment: from its snapshot when final, else live."""
    snapshot = snapshot_of(assessment)
    if snapshot is not None:
        data = snapshot.content
        rulebook = engine_rulebook(snapshot.rulebook)
        url = verify_url(snapshot.verification_code)
        verification = {
            "code": snapshot.verification_code,
            "url": url,
            "sha256": snapshot.content_sha256,
            "qr_svg": verification_qr_svg(url),
        }
    else:
        data = live_report_data(assessment)
        rulebook = engine_rulebook(assessment.rulebook)
        verification = None
    return build_report_context(
        data,
        rulebook,
        status_label=assessment.get_status_display(),
        generated_at=timezone.localtime(),
        verification=verification,
        unit_head=assessment.unit.head_name,
        fit_charts=fit_charts,
    )


def summary_filename(board: Any) -> str:
    return f"ringkasan-zi-{slugify(board.instansi.name)[:40]}-{board.year}.pdf"


def instansi_summary_pdf(board: Any) -> bytes:
    with translation.override("id"):
        context = build_instansi_summary_context(board, generated_at=timezone.localtime())
        return render_pdf(SUMMARY_TEMPLATE, context)


def readiness_pdf(assessment: Assessment, *, verify_url: Callable[[str], str]) -> bytes:
    """The readiness report PDF (always in Indonesian: it is an official document)."""
    with translation.override("id"):
        context = readiness_report_context(assessment, verify_url=verify_url)
        return render_pdf(REPORT_TEMPLATE, context)
