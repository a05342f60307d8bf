"""Template helpers of the LKE pages: Indonesian figures and lookups by item code."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

from assessments.reporting import id_number

register = template.Library()


@register.filter
def idnum(value) -> str:
    """18.25 -> "18,25" (two decimals, half-up, decimal comma); None -> "—"."""
    if value is None or value == "":
        return "—"
    try:
        return id_number(Decimal(str(value)))
    except InvalidOperation:
        return str(value)


@register.filter
def lookup(mapping, key):
    """{{ evidence_by_item|lookup:c.code }}: a dict entry by a key that is not an identifier."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def css_number(value) -> str:
    """A number for inline CSS, never localised (60,00 would not be valid CSS)."""
    try:
        return f"{Decimal(str(value)):.2f}"
    except InvalidOperation:
        return "0"


@register.filter
def idshort(value) -> str:
    """A weight: 0,5 rather than 0,50, 60 rather than 60,00."""
    from assessments.results import id_short

    try:
        return id_short(Decimal(str(value)))
    except InvalidOperation:
        return str(value)
