"""Eligibility to propose (Kriteria Pengajuan): `parse_eligibility` and `check_eligibility`."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .rulebook import Problems

__all__ = [
    "INSTANSI_KINDS",
    "EligibilityCriterion",
    "EligibilityItem",
    "EligibilityRules",
    "add_months",
    "check_eligibility",
    "months_between",
    "parse_eligibility",
]

RULES = ("grade_at_least", "number_at_least", "true", "months_since_at_least")
LEVELS = ("instansi", "unit")
INSTANSI_KINDS = ("kementerian_lembaga", "pemerintah_daerah", "lainnya")

Minimum = str | Decimal | bool | int


@dataclass(frozen=True, slots=True)
class EligibilityCriterion:
    """`minimum` maps predikat -> minimum (a missing or None entry: does not apply);
    `by_instansi_kind` (when not empty) replaces it per kind of instansi."""

    key: str
    level: str
    fact: str
    label: str
    rule: str
    order: tuple[str, ...] = ()
    minimum: Mapping[str, Minimum | None] | None = None
    by_instansi_kind: Mapping[str, Mapping[str, Minimum | None]] | None = None

    def applies_to(self, predikat: str) -> bool:
        if self.by_instansi_kind:
            return any(m.get(predikat) is not None for m in self.by_instansi_kind.values())
        return (self.minimum or {}).get(predikat) is not None

    def required(self, predikat: str, instansi_kind: str | None) -> Minimum | None:
        if self.by_instansi_kind:
            if instansi_kind is None:
                return None
            return self.by_instansi_kind.get(instansi_kind, {}).get(predikat)
        return (self.minimum or {}).get(predikat)


@dataclass(frozen=True, slots=True, eq=False)
class EligibilityRules:
    code: str
    version: str
    title: str
    grade_orders: Mapping[str, tuple[str, ...]]
    criteria: tuple[EligibilityCriterion, ...]
    regulation: str = ""
    effective_date: dt.date | None = None
    current: bool = False
    notes: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class EligibilityItem:
    """status: met | not_met | not_filled. value: the fact as read (for months_since_at_least:
    the whole months elapsed); required: the minimum for the predikat (and instansi kind)."""

    key: str
    label: str
    level: str
    status: str
    value: object
    required: object


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months, clamped to the end of the month (31 Jan + 1 -> 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from start to end: the largest m with add_months(start, m) <= end."""
    if end < start:
        return -months_between(end, start)
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and add_months(start, months) > end:
        months -= 1
    return months


def _grade(value: object) -> str:
    return str(value).strip().upper()


def _min_value(
    p: Problems, where: str, rule: str, order: tuple[str, ...], value: object
) -> Minimum | None:
    if value is None or rule not in RULES:  # an unknown rule is reported once, elsewhere
        return None
    if rule == "grade_at_least":
        if _grade(value) not in order:
            p.add(where, f"minimum {value!r} is not in the grade order {list(order)}")
            return None
        return _grade(value)
    if rule == "number_at_least":
        return p.number(value, where, "minimum", low=None)
    if rule == "true":
        if value is not True:
            p.add(where, f"rule `true` takes the minimum true, got {value!r}")
            return None
        return True
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        p.add(where, f"minimum months must be a whole number >= 0, got {value!r}")
        return None
    return value


def _minimums(
    p: Problems, raw: object, where: str, rule: str, order: tuple[str, ...]
) -> dict[str, Minimum | None]:
    out: dict[str, Minimum | None] = {}
    for predikat, value in p.mapping(raw, where, "minimum per predikat").items():
        out[str(predikat)] = _min_value(p, f"{where} {predikat}", rule, order, value)
    return out


def parse_eligibility(data: Mapping[str, Any], *, source: str) -> EligibilityRules:
    p = Problems(source)
    if not isinstance(data, Mapping):
        p.add("(file)", "the file must hold a mapping")
        p.raise_if_any()
    header = p.header(data, "eligibility")
    orders: dict[str, tuple[str, ...]] = {}
    for name, grades in p.mapping(
        data.get("grade_orders", {}), "grade_orders", "`grade_orders`"
    ).items():
        seq = tuple(_grade(g) for g in p.seq(grades, f"grade order {name}", "grade order"))
        if not seq:
            p.add(f"grade order {name}", "is empty")
        if len(set(seq)) != len(seq):
            p.add(f"grade order {name}", "lists a grade twice")
        orders[str(name)] = seq
    criteria: list[EligibilityCriterion] = []
    for raw in p.seq(data.get("criteria"), "criteria", "`criteria`"):
        cdata = p.mapping(raw, "criteria", "criterion")
        key = p.text(cdata, "key", "criteria")
        where = f"criterion {key}" if key else "criteria"
        if any(c.key == key for c in criteria):
            p.add(where, "duplicate criterion key")
        level = p.text(cdata, "level", where)
        if level and level not in LEVELS:
            p.add(where, f"level must be one of {', '.join(LEVELS)}, got {level!r}")
        rule = str(cdata.get("rule")) if cdata.get("rule") is not None else ""
        if cdata.get("rule") is True:  # an unquoted `true` in YAML
            rule = "true"
        if rule not in RULES:
            p.add(where, f"unknown rule {cdata.get('rule')!r} (expected one of {', '.join(RULES)})")
        order: tuple[str, ...] = ()
        if rule == "grade_at_least":
            order_name = cdata.get("order")
            if order_name not in orders:
                p.add(where, f"`order` {order_name!r} is not a grade order")
            else:
                order = orders[order_name]
        minimum = by_kind = None
        if cdata.get("min_by_instansi_kind") is not None:
            by_kind = {}
            for kind, mins in p.mapping(
                cdata["min_by_instansi_kind"], where, "`min_by_instansi_kind`"
            ).items():
                if kind not in INSTANSI_KINDS:
                    p.add(
                        where,
                        f"unknown instansi kind {kind!r} (expected {', '.join(INSTANSI_KINDS)})",
                    )
                by_kind[str(kind)] = _minimums(p, mins, f"{where} {kind}", rule, order)
            if cdata.get("min") is not None:
                p.add(where, "give either `min` or `min_by_instansi_kind`, not both")
        elif cdata.get("min") is not None:
            minimum = _minimums(p, cdata["min"], where, rule, order)
        else:
            p.add(where, "missing `min` (or `min_by_instansi_kind`)")
        if key and rule in RULES:
            criteria.append(
                EligibilityCriterion(
                    key=key,
                    level=level,
                    fact=str(cdata.get("fact") or key),
                    label=p.text(cdata, "label", where),
                    rule=rule,
                    order=order,
                    minimum=minimum,
                    by_instansi_kind=by_kind,
                )
            )
    p.raise_if_any()
    return EligibilityRules(
        code=header["code"],
        version=header["version"],
        title=header["title"],
        grade_orders=orders,
        criteria=tuple(criteria),
        regulation=header["regulation"],
        effective_date=header["effective_date"],
        current=header["current"],
        notes=header["notes"],
        source=source,
    )


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_eligibility(
    rules: EligibilityRules,
    *,
    predikat: str,
    instansi_kind: str | None,
    facts: Mapping[str, object],
    reference_date: dt.date,
) -> list[EligibilityItem]:
    """Evaluate every criterion that applies to `predikat`, in the rulebook's order. A missing
    fact (or a missing instansi kind for a per-kind minimum) is not_filled; a value that cannot
    be read (unknown grade, not a number, not a date) is not_met."""
    out: list[EligibilityItem] = []
    for c in rules.criteria:
        if not c.applies_to(predikat):
            continue
        required = c.required(predikat, instansi_kind)
        raw = facts.get(c.fact)
        value: object = None if _blank(raw) else raw
        if required is None or value is None:
            out.append(EligibilityItem(c.key, c.label, c.level, "not_filled", value, required))
            continue
        met = False
        if c.rule == "grade_at_least":
            grade = _grade(raw)
            value = grade
            if grade in c.order:
                met = c.order.index(grade) <= c.order.index(str(required))
        elif c.rule == "number_at_least":
            try:
                number = (
                    Decimal(str(raw).strip().replace(",", "."))
                    if not isinstance(raw, bool)
                    else None
                )
            except InvalidOperation:
                number = None
            if number is not None and number.is_finite():
                value = number
                met = number >= Decimal(str(required))
        elif c.rule == "true":
            met = raw is True
        else:
            start = _as_date(raw)
            if start is not None:
                value = months_between(start, reference_date)
                met = add_months(start, int(required)) <= reference_date  # type: ignore[arg-type]
        out.append(
            EligibilityItem(c.key, c.label, c.level, "met" if met else "not_met", value, required)
        )
    return out
