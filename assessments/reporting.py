"""Turning engine results into the stable JSON contract (zi_score --json) and readable text.

Figures are strings with exactly two decimals, rounded half-up (product decision 1).
"""

from __future__ import annotations

import re
from decimal import Decimal

from assessments.engine import GapPlan, LkeResult, LkeRulebook, Verdict, round2

_DECIMAL_ANSWER = re.compile(r"-?\d+\.\d+")


def answer_text(value: str) -> str:
    """A stored answer as the portal shows it: an index or nilai with a decimal comma (3,72);
    option keys and counts as they are. Stored values keep the engine's point ("3.72"), and the
    services accept both forms back."""
    return value.replace(".", ",") if value and _DECIMAL_ANSWER.fullmatch(value) else value


def fig(value: Decimal | None) -> str | None:
    return None if value is None else f"{round2(value):.2f}"


def id_number(value: Decimal | None) -> str:
    """Indonesian display: 18,25 (two decimals, decimal comma)."""
    return "—" if value is None else f"{round2(value):.2f}".replace(".", ",")


def criterion_dict(c) -> dict:
    if c.criterion == "complete":
        return {"criterion": c.criterion, "value": c.passed, "required": True, "passed": c.passed}
    if c.required is None:  # prior_<predikat>: a yes/no fact about the unit
        return {"criterion": c.criterion, "value": c.passed, "required": True, "passed": c.passed}
    return {
        "criterion": c.criterion,
        "value": fig(c.value),
        "required": fig(c.required),
        "passed": c.passed,
    }


def gap_dict(plan: GapPlan) -> dict:
    return {
        "target": plan.target,
        "steps": [
            {
                "indicator": s.indicator,
                "from": s.from_,
                "to": s.to,
                "points": fig(s.points),
                "helps": list(s.helps),
            }
            for s in plan.steps
        ],
        "reachable": plan.reachable,
        "reason": plan.reason,
    }


def lke_result_dict(
    rulebook: LkeRulebook, result: LkeResult, verdicts: dict[str, Verdict], plan: GapPlan | None
) -> dict:
    out: dict = {"rulebook": rulebook.code, "version": rulebook.version, "total": fig(result.total)}
    out["pengungkit"] = fig(result.pengungkit)
    for key, value in result.parts.items():
        if key != "pengungkit":
            out[key] = fig(value)
    out["hasil"] = fig(result.hasil)
    for key, value in result.hasil_components.items():
        out[key] = fig(value)
    for key, value in result.hasil_indicators.items():
        out[key] = fig(value)
    out["areas"] = {
        key: {
            "score": fig(a.score),
            "max": fig(a.max),
            "percent": fig(a.percent),
            "pemenuhan": fig(a.pemenuhan),
            "reform": fig(a.reform),
        }
        for key, a in result.areas.items()
    }
    out["incomplete"] = list(result.incomplete)
    out["warnings"] = [
        {"code": w.code, "kind": w.kind, "message": w.message} for w in result.warnings
    ]
    out["verdicts"] = {
        code: {"meets": v.meets, "criteria": [criterion_dict(c) for c in v.criteria]}
        for code, v in verdicts.items()
    }
    out["gap_plan"] = gap_dict(plan) if plan is not None else None
    return out


def lke_result_text(data: dict) -> str:
    """A readable Indonesian summary of `lke_result_dict`."""

    def n(value: str | None) -> str:
        return "—" if value is None else value.replace(".", ",")

    lines = [
        f"Rulebook: {data['rulebook']} (versi {data['version']})",
        f"Nilai total      : {n(data['total'])}",
        f"Pengungkit       : {n(data['pengungkit'])}",
        f"Hasil            : {n(data['hasil'])}",
        "",
        "Area (nilai / maksimum, persen):",
    ]
    for key, a in data["areas"].items():
        lines.append(f"  {key:<40} {n(a['score']):>6} / {n(a['max']):>5}  ({n(a['percent'])}%)")
    if data["incomplete"]:
        lines += ["", f"Belum diisi ({len(data['incomplete'])}): {', '.join(data['incomplete'])}"]
    for w in data["warnings"]:
        lines.append(f"Peringatan {w['code']}: {w['message']}")
    for code, verdict in data["verdicts"].items():
        status = "MEMENUHI" if verdict["meets"] else "BELUM MEMENUHI"
        lines += ["", f"Predikat Menuju {code}: {status}"]
        for c in verdict["criteria"]:
            mark = "ya   " if c["passed"] else "TIDAK"
            value = c["value"] if isinstance(c["value"], str) else ("ya" if c["value"] else "tidak")
            required = c["required"] if isinstance(c["required"], str) else "ya"
            lines.append(f"  [{mark}] {c['criterion']:<48} {n(value):>8} (minimum {n(required)})")
    plan = data.get("gap_plan")
    if plan:
        lines += ["", f"Apa yang perlu diperbaiki dulu (target Menuju {plan['target']}):"]
        for i, s in enumerate(plan["steps"][:15], 1):
            lines.append(
                f"  {i:>2}. {s['indicator']}: {s['from'] or 'belum diisi'} -> {s['to']} "
                f"(+{n(s['points'])}; {', '.join(s['helps'])})"
            )
        if len(plan["steps"]) > 15:
            lines.append(f"  ... dan {len(plan['steps']) - 15} langkah lagi")
        if not plan["reachable"]:
            lines.append(
                f"  Target tidak dapat dicapai hanya dengan mengubah jawaban. {plan['reason'] or ''}"
            )
    return "\n".join(lines)
