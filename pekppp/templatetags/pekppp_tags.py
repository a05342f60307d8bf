"""Display helpers for PEKPPP pages and reports."""

from __future__ import annotations

from decimal import Decimal

from django import template

from pekppp.display import band_color, band_hex, date_id, id_number

register = template.Library()


@register.filter
def idnum(value: Decimal | int | float | str | None) -> str:
    """3,84 (two decimals, half-up, decimal comma); "—" when there is no value."""
    return id_number(value)


@register.filter
def bandcolor(grade: str | None) -> str:
    """Bootstrap colour name for an IPP band: green A-B, yellow B- to C-, red D-F."""
    return band_color(grade)


@register.filter
def tanggal(value) -> str:
    return date_id(value) if value else "—"


@register.filter
def get(mapping, key):
    if mapping is None:
        return None
    return mapping.get(key)


@register.filter
def koma(value) -> str:
    """A stored number as typed in Indonesia: 87.5 -> 87,5."""
    return "" if value is None else str(value).replace(".", ",")


@register.filter
def contains(container, item) -> bool:
    return bool(container) and item in container


@register.filter
def bandhex(grade: str | None) -> str:
    return band_hex(grade)
