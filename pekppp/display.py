"""Formatting shared by pages, PDFs and spreadsheets."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from pekppp.timeline import date_id

__all__ = ["BAND_HEX", "band_color", "band_hex", "date_id", "id_number"]

# Hue zones used by local PEKPPP dashboards (pekppp_notes.md, section 3): a display convention.
_ZONES = {
    "A": "success",
    "A-": "success",
    "B": "success",
    "B-": "warning",
    "C": "warning",
    "C-": "warning",
}
BAND_HEX = {"success": "#198754", "warning": "#d39e00", "danger": "#dc3545", "secondary": "#6c757d"}


def id_number(value, places: int = 2) -> str:
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    quantum = Decimal(1).scaleb(-places)
    return f"{number.quantize(quantum, rounding=ROUND_HALF_UP):.{places}f}".replace(".", ",")


def band_color(grade: str | None) -> str:
    if not grade:
        return "secondary"
    return _ZONES.get(grade, "danger")


def band_hex(grade: str | None) -> str:
    return BAND_HEX[band_color(grade)]
