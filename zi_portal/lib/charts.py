"""Small server-rendered SVG charts: the page and the PDF show the same picture.

Each function returns an SVG string (safe to mark_safe: every text is escaped here). Fonts are
named explicitly so WeasyPrint and browsers draw the same glyphs; numbers are formatted by the
caller (Indonesian: 3,84).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

FONT = "DejaVu Sans, Arial, sans-serif"
DEFAULT_COLOR = "#0d6efd"
TRACK_COLOR = "#e9ecef"
TEXT_COLOR = "#212529"
# Drawn at its natural size, scaled down (never up) to fit a narrower column.
_FIT = ' style="max-width:100%;height:auto"'
MUTED_COLOR = "#6c757d"


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | float | int | None
    color: str = DEFAULT_COLOR
    note: str = ""  # small text after the value, e.g. a band


def _num(value: Decimal | float | int) -> float:
    return float(value)


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def horizontal_bar_chart(
    bars: Sequence[Bar],
    *,
    max_value: Decimal | float | int,
    value_format: Callable[[Decimal | float | int], str] = str,
    title: str = "",
    width: int = 640,
    label_width: int = 220,
    value_width: int = 110,
    bar_height: int = 20,
    gap: int = 10,
    font_size: int = 12,
    ticks: Sequence[Decimal | float | int] = (),
    tick_format: Callable[[Decimal | float | int], str] = str,
    fit: bool = True,
) -> str:
    """One labelled bar per row, scaled 0..max_value; a missing value is drawn as "—".
    fit: scale down to a narrower column in browsers (leave False for PDFs: WeasyPrint sizes
    the drawing from its width and height attributes)."""
    top = 8
    plot_width = max(width - label_width - value_width, 40)
    height = top + len(bars) * (bar_height + gap) + (18 if ticks else 4)
    scale = plot_width / _num(max_value) if _num(max_value) > 0 else 0
    # DejaVu Sans is wide (about 0.6 em per lower-case letter, more for capitals): stay safe.
    label_chars = max(int((label_width - 10) / (font_size * 0.68)), 8)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{_attr(title)}" '
        f'font-family="{FONT}" font-size="{font_size}" class="zi-chart"{_FIT if fit else ""}>'
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    for tick in ticks:
        x = label_width + _num(tick) * scale
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 16}" '
            f'stroke="#ced4da" stroke-dasharray="2,3"/>'
            f'<text x="{x:.1f}" y="{height - 4}" fill="{MUTED_COLOR}" font-size="{font_size - 2}" '
            f'text-anchor="middle">{escape(tick_format(tick))}</text>'
        )
    for i, bar in enumerate(bars):
        y = top + i * (bar_height + gap)
        mid = y + bar_height / 2 + font_size * 0.35
        parts.append(
            f'<text x="{label_width - 8}" y="{mid:.1f}" fill="{TEXT_COLOR}" text-anchor="end">'
            f"<title>{escape(bar.label)}</title>{escape(_truncate(bar.label, label_chars))}</text>"
            f'<rect x="{label_width}" y="{y}" width="{plot_width}" height="{bar_height}" '
            f'fill="{TRACK_COLOR}" rx="3"/>'
        )
        if bar.value is None:
            text = "—"
        else:
            w = max(min(_num(bar.value), _num(max_value)), 0) * scale
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_height}" '
                f'fill="{_attr(bar.color)}" rx="3"/>'
            )
            text = value_format(bar.value)
        if bar.note:
            text = f"{text}  {bar.note}"
        parts.append(
            f'<text x="{label_width + plot_width + 8}" y="{mid:.1f}" fill="{TEXT_COLOR}" '
            f'font-weight="bold">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def stacked_bar(
    segments: Sequence[tuple[str, int, str]],
    *,
    title: str = "",
    width: int = 640,
    height: int = 26,
    font_size: int = 12,
    fit: bool = True,
) -> str:
    """One bar split into counted parts (label, count, color), e.g. follow-up status."""
    total = sum(count for _, count, _ in segments)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + 20}" '
        f'width="{width}" height="{height + 20}" role="img" aria-label="{_attr(title)}" '
        f'font-family="{FONT}" font-size="{font_size}" class="zi-chart"{_FIT if fit else ""}>'
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    x = 0.0
    if total == 0:
        parts.append(
            f'<rect x="0" y="0" width="{width}" height="{height}" fill="{TRACK_COLOR}" rx="3"/>'
        )
    for label, count, color in segments:
        if not count:
            continue
        w = width * count / total
        parts.append(
            f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" fill="{_attr(color)}">'
            f"<title>{escape(label)}: {count}</title></rect>"
        )
        if w > 24:
            parts.append(
                f'<text x="{x + w / 2:.1f}" y="{height / 2 + font_size * 0.35:.1f}" fill="#fff" '
                f'text-anchor="middle" font-weight="bold">{count}</text>'
            )
        x += w
    legend_x = 0
    for label, count, color in segments:
        parts.append(
            f'<rect x="{legend_x}" y="{height + 6}" width="10" height="10" fill="{_attr(color)}"/>'
            f'<text x="{legend_x + 14}" y="{height + 15}" fill="{TEXT_COLOR}" '
            f'font-size="{font_size - 1}">{escape(label)} ({count})</text>'
        )
        legend_x += 14 + int((len(label) + 5) * (font_size - 1) * 0.6) + 14
    parts.append("</svg>")
    return "".join(parts)


# --------------------------------------------------------------------------- threshold charts
# Charts that compare figures against minima (the LKE's 75/85 totals, 60%/75% areas). The
# minima are passed in by the caller from the rulebook; nothing here knows a threshold.

SERIES_COLORS = ("#0d6efd", "#fd7e14", "#20c997", "#6c757d")
LINE_COLORS = ("#212529", "#6f42c1", "#dc3545", "#198754")
_DASHES = ("6,3", "2,2", "8,2,2,2", "1,3")


@dataclass(frozen=True)
class Series:
    name: str
    color: str = DEFAULT_COLOR


@dataclass(frozen=True)
class Threshold:
    label: str
    value: Decimal | float | int
    color: str = LINE_COLORS[0]


@dataclass(frozen=True)
class BarGroup:
    """One row of a grouped bar chart: one value per series (None: not available)."""

    label: str
    values: Sequence[Decimal | float | int | None]
    note: str = ""


def _dash(index: int) -> str:
    return _DASHES[index % len(_DASHES)]


def _svg_open(width: int, height: int, title: str, font_size: int, fit: bool) -> list[str]:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{_attr(title)}" '
        f'font-family="{FONT}" font-size="{font_size}" class="zi-chart"{_FIT if fit else ""}>'
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    return parts


def _legend_items(
    series: Sequence[Series],
    thresholds: Sequence[Threshold],
    tick_format: Callable[[Decimal | float | int], str],
) -> list[tuple[str, str, int | None]]:
    """(text, color, dash index or None for a series swatch)."""
    items: list[tuple[str, str, int | None]] = [(s.name, s.color, None) for s in series]
    items += [(f"{t.label} ({tick_format(t.value)})", t.color, i) for i, t in enumerate(thresholds)]
    return items


def _legend_rows(
    items: list[tuple[str, str, int | None]], font_size: int, width: float, x0: float
) -> list[list[tuple[float, tuple[str, str, int | None]]]]:
    """Place legend items left to right, wrapping to a new row where the width runs out."""
    size = font_size - 1
    rows: list[list[tuple[float, tuple[str, str, int | None]]]] = [[]]
    x = x0
    for item in items:
        item_width = 22 + (len(item[0]) + 2) * size * 0.62
        if rows[-1] and x + item_width > width:
            rows.append([])
            x = x0
        rows[-1].append((x, item))
        x += item_width + 8
    return rows


LEGEND_ROW = 15


def _legend(
    parts: list[str],
    y: float,
    rows: list[list[tuple[float, tuple[str, str, int | None]]]],
    font_size: int,
) -> None:
    size = font_size - 1
    for r, row in enumerate(rows):
        yy = y + r * LEGEND_ROW
        for x, (text, color, dash) in row:
            if dash is None:
                parts.append(
                    f'<rect x="{x:.1f}" y="{yy - size + 2:.1f}" width="12" height="{size - 1}" '
                    f'fill="{_attr(color)}" rx="2"/>'
                )
            else:
                parts.append(
                    f'<line x1="{x:.1f}" y1="{yy - size / 2 + 1:.1f}" x2="{x + 18:.1f}" '
                    f'y2="{yy - size / 2 + 1:.1f}" stroke="{_attr(color)}" stroke-width="2" '
                    f'stroke-dasharray="{_dash(dash)}"/>'
                )
            parts.append(
                f'<text x="{x + 22:.1f}" y="{yy:.1f}" fill="{TEXT_COLOR}" font-size="{size}">'
                f"{escape(text)}</text>"
            )


def grouped_bar_chart(
    groups: Sequence[BarGroup],
    *,
    series: Sequence[Series],
    max_value: Decimal | float | int,
    thresholds: Sequence[Threshold] = (),
    value_format: Callable[[Decimal | float | int], str] = str,
    tick_format: Callable[[Decimal | float | int], str] = str,
    ticks: Sequence[Decimal | float | int] = (),
    title: str = "",
    width: int = 640,
    label_width: int = 220,
    value_width: int = 70,
    bar_height: int = 12,
    gap: int = 10,
    font_size: int = 11,
    fit: bool = True,
    value_labels: bool = True,
    tooltips: bool = True,
) -> str:
    """Horizontal bars, one row per group and one bar per series within it, against vertical
    threshold lines (e.g. units' totals, self vs TPI, against the WBK and WBBM minima). A None
    value draws "—". The legend names the series and the thresholds. `value_labels=False`
    leaves the figures out (where a table beside the chart prints them; every SVG text costs
    PDF layout time). `tooltips=False` leaves out the hover titles and the grey tracks, which a
    printed page cannot use."""
    n = max(len(series), 1)
    top = 8
    plot_width = max(width - label_width - value_width, 40)
    row_height = n * bar_height + (n - 1) * 2
    body = top + len(groups) * (row_height + gap)
    legend = _legend_rows(_legend_items(series, thresholds, tick_format), font_size, width, 0)
    height = body + (16 if ticks else 2) + 8 + LEGEND_ROW * len(legend)
    top_value = _num(max_value)
    scale = plot_width / top_value if top_value > 0 else 0
    label_chars = max(int((label_width - 10) / (font_size * 0.62)), 8)
    parts = _svg_open(width, height, title, font_size, fit)
    for tick in ticks:
        x = label_width + _num(tick) * scale
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{body}" stroke="#dee2e6"/>'
            f'<text x="{x:.1f}" y="{body + 12}" fill="{MUTED_COLOR}" font-size="{font_size - 2}" '
            f'text-anchor="middle">{escape(tick_format(tick))}</text>'
        )
    for i, group in enumerate(groups):
        y0 = top + i * (row_height + gap)
        mid = y0 + row_height / 2 + font_size * 0.35
        label = escape(_truncate(group.label, label_chars))
        title = f"<title>{escape(group.label)}</title>" if tooltips else ""
        parts.append(
            f'<text x="{label_width - 8}" y="{mid:.1f}" fill="{TEXT_COLOR}" text-anchor="end">'
            f"{title}{label}</text>"
        )
        for j, s in enumerate(series):
            y = y0 + j * (bar_height + 2)
            value = group.values[j] if j < len(group.values) else None
            if tooltips:
                parts.append(
                    f'<rect x="{label_width}" y="{y}" width="{plot_width}" height="{bar_height}" '
                    f'fill="{TRACK_COLOR}" rx="2"/>'
                )
            if value is None:
                text = "—"
            else:
                w = max(min(_num(value), top_value), 0) * scale
                tip = (
                    f"<title>{escape(s.name)}: {escape(value_format(value))}</title>"
                    if tooltips
                    else ""
                )
                parts.append(
                    f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_height}" '
                    f'fill="{_attr(s.color)}" rx="2">{tip}</rect>'
                )
                text = value_format(value)
            if value_labels:
                parts.append(
                    f'<text x="{label_width + plot_width + 6}" y="{y + bar_height - 2}" '
                    f'fill="{TEXT_COLOR}" font-size="{font_size - 1}">{escape(text)}</text>'
                )
        if group.note:
            parts.append(
                f'<text x="{width - 2}" y="{mid:.1f}" fill="{MUTED_COLOR}" text-anchor="end" '
                f'font-size="{font_size - 2}">{escape(group.note)}</text>'
            )
    for k, t in enumerate(thresholds):
        x = label_width + max(min(_num(t.value), top_value), 0) * scale
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{body - gap + 4}" '
            f'stroke="{_attr(t.color)}" stroke-width="1.6" stroke-dasharray="{_dash(k)}">'
            + (
                f"<title>{escape(t.label)}: {escape(tick_format(t.value))}</title>"
                if tooltips
                else ""
            )
            + "</line>"
        )
    _legend(parts, body + (16 if ticks else 2) + 14, legend, font_size)
    parts.append("</svg>")
    return "".join(parts)


def radar_chart(
    axes: Sequence[str],
    series: Sequence[tuple[Series, Sequence[Decimal | float | int | None]]],
    *,
    max_value: Decimal | float | int = 100,
    thresholds: Sequence[Threshold] = (),
    value_format: Callable[[Decimal | float | int], str] = str,
    title: str = "",
    size: int = 420,
    font_size: int = 10,
    label_chars: int = 22,
    fit: bool = True,
) -> str:
    """A radar (spider) chart: one axis per label (e.g. the six change areas as a percentage of
    their weights), one polygon per series, and a dashed ring per threshold (e.g. 60% / 75%).
    A None value is drawn at 0 and marked "—" in its tooltip."""
    import math

    n = len(axes)
    width = size + 200  # room for the axis labels left and right
    legend = _legend_rows(
        _legend_items([s for s, _ in series], thresholds, value_format), font_size + 1, width, 8
    )
    height = size + 6 + LEGEND_ROW * len(legend)
    cx, cy = width / 2, size / 2
    radius = size / 2 - 44
    top_value = _num(max_value) or 1.0
    parts = _svg_open(width, height, title, font_size, fit)

    def point(index: int, fraction: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / max(n, 1)
        return cx + radius * fraction * math.cos(angle), cy + radius * fraction * math.sin(angle)

    for level in (0.25, 0.5, 0.75, 1.0):
        ring = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, level) for i in range(n)))
        parts.append(f'<polygon points="{ring}" fill="none" stroke="#dee2e6"/>')
    for i, label in enumerate(axes):
        x, y = point(i, 1.0)
        parts.append(
            f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#dee2e6"/>'
        )
        lx, ly = point(i, 1.12)
        anchor = "middle" if abs(lx - cx) < 8 else ("start" if lx > cx else "end")
        words = _wrap(label, label_chars)
        dy = ly - (len(words) - 1) * (font_size + 1) / 2 + font_size * 0.35
        lines = "".join(
            f'<tspan x="{lx:.1f}" y="{dy + k * (font_size + 1):.1f}">{escape(w)}</tspan>'
            for k, w in enumerate(words)
        )
        parts.append(
            f'<text fill="{TEXT_COLOR}" text-anchor="{anchor}"><title>{escape(label)}</title>{lines}</text>'
        )
    for k, t in enumerate(thresholds):
        fraction = max(min(_num(t.value) / top_value, 1.0), 0.0)
        ring = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, fraction) for i in range(n)))
        parts.append(
            f'<polygon points="{ring}" fill="none" stroke="{_attr(t.color)}" stroke-width="1.4" '
            f'stroke-dasharray="{_dash(k)}"><title>{escape(t.label)}</title></polygon>'
        )
    for s, values in series:
        points = []
        for i in range(n):
            value = values[i] if i < len(values) else None
            fraction = 0.0 if value is None else max(min(_num(value) / top_value, 1.0), 0.0)
            points.append(point(i, fraction))
        ring = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(
            f'<polygon points="{ring}" fill="{_attr(s.color)}" fill-opacity="0.15" '
            f'stroke="{_attr(s.color)}" stroke-width="2"><title>{escape(s.name)}</title></polygon>'
        )
        for i, (x, y) in enumerate(points):
            value = values[i] if i < len(values) else None
            shown = "—" if value is None else value_format(value)
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{_attr(s.color)}">'
                f"<title>{escape(s.name)} · {escape(axes[i])}: {escape(shown)}</title></circle>"
            )
    _legend(parts, size + 4, legend, font_size + 1)
    parts.append("</svg>")
    return "".join(parts)


def _wrap(text: str, limit: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > limit:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines[:3] or [""]


def line_chart(
    labels: Sequence[str],
    series: Sequence[tuple[Series, Sequence[Decimal | float | int | None]]],
    *,
    max_value: Decimal | float | int,
    thresholds: Sequence[Threshold] = (),
    value_format: Callable[[Decimal | float | int], str] = str,
    tick_format: Callable[[Decimal | float | int], str] = str,
    ticks: Sequence[Decimal | float | int] = (),
    title: str = "",
    width: int = 560,
    height: int = 220,
    font_size: int = 11,
    fit: bool = True,
) -> str:
    """Values over a few points in time (e.g. a unit's totals by year, self and TPI) with
    horizontal threshold lines. A None value leaves a gap in its line."""
    left, right, top = 40, 44, 14
    legend = _legend_rows(
        _legend_items([s for s, _ in series], thresholds, tick_format), font_size, width, left
    )
    bottom = 26 + LEGEND_ROW * len(legend)
    plot_w = width - left - right
    plot_h = height - top - bottom
    top_value = _num(max_value) or 1.0
    step = plot_w / max(len(labels) - 1, 1)
    parts = _svg_open(width, height, title, font_size, fit)

    def xy(i: int, value: Decimal | float | int) -> tuple[float, float]:
        x = left + (i * step if len(labels) > 1 else plot_w / 2)
        return x, top + plot_h * (1 - max(min(_num(value) / top_value, 1.0), 0.0))

    for tick in ticks:
        _, y = xy(0, tick)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#e9ecef"/>'
            f'<text x="{left - 6}" y="{y + font_size * 0.35:.1f}" fill="{MUTED_COLOR}" '
            f'font-size="{font_size - 2}" text-anchor="end">{escape(tick_format(tick))}</text>'
        )
    for i, label in enumerate(labels):
        x, _ = xy(i, 0)
        parts.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 14}" fill="{TEXT_COLOR}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    for k, t in enumerate(thresholds):
        _, y = xy(0, t.value)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="{_attr(t.color)}" stroke-width="1.4" stroke-dasharray="{_dash(k)}">'
            f"<title>{escape(t.label)}</title></line>"
        )
    for index, (s, values) in enumerate(series):
        label_dy = -6 if index % 2 == 0 else 14
        segment: list[str] = []
        segments: list[list[str]] = [segment]
        for i in range(len(labels)):
            value = values[i] if i < len(values) else None
            if value is None:
                segment = []
                segments.append(segment)
                continue
            x, y = xy(i, value)
            segment.append(f"{x:.1f},{y:.1f}")
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{_attr(s.color)}">'
                f"<title>{escape(s.name)} {escape(labels[i])}: "
                f"{escape(value_format(value))}</title></circle>"
                f'<text x="{x + 5:.1f}" y="{y + label_dy:.1f}" fill="{_attr(s.color)}" '
                f'font-size="{font_size - 1}">{escape(value_format(value))}</text>'
            )
        for seg in segments:
            if len(seg) > 1:
                parts.append(
                    f'<polyline points="{" ".join(seg)}" fill="none" '
                    f'stroke="{_attr(s.color)}" stroke-width="2"/>'
                )
    _legend(parts, top + plot_h + 34, legend, font_size)
    parts.append("</svg>")
    return "".join(parts)


def mini_columns(
    values: Sequence[Decimal | float | int | None],
    *,
    max_value: Decimal | float | int = 100,
    thresholds: Sequence[Threshold] = (),
    labels: Sequence[str] = (),
    value_format: Callable[[Decimal | float | int], str] = str,
    title: str = "",
    width: int = 96,
    height: int = 28,
    pass_color: str = "#198754",
    fail_color: str = "#dc3545",
) -> str:
    """A table-cell sized column chart (e.g. six areas as % of weight): each column is green
    when it reaches the first threshold, red below it; thin lines mark every threshold."""
    n = max(len(values), 1)
    top_value = _num(max_value) or 1.0
    col_w = width / n
    first = _num(thresholds[0].value) if thresholds else None
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{_attr(title)}" '
        f'class="zi-chart zi-mini">'
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    for i, value in enumerate(values):
        x = i * col_w + 1
        parts.append(
            f'<rect x="{x:.1f}" y="0" width="{col_w - 2:.1f}" height="{height}" '
            f'fill="{TRACK_COLOR}"/>'
        )
        if value is None:
            continue
        h = height * max(min(_num(value) / top_value, 1.0), 0.0)
        color = pass_color if first is None or _num(value) >= first else fail_color
        label = labels[i] if i < len(labels) else ""
        parts.append(
            f'<rect x="{x:.1f}" y="{height - h:.1f}" width="{col_w - 2:.1f}" height="{h:.1f}" '
            f'fill="{_attr(color)}"><title>{escape(label)}: {escape(value_format(value))}'
            f"</title></rect>"
        )
    for k, t in enumerate(thresholds):
        y = height * (1 - max(min(_num(t.value) / top_value, 1.0), 0.0))
        parts.append(
            f'<line x1="0" y1="{y:.1f}" x2="{width}" y2="{y:.1f}" stroke="{_attr(t.color)}" '
            f'stroke-width="1" stroke-dasharray="{_dash(k)}"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def mini_line(
    values: Sequence[Decimal | float | int | None],
    *,
    max_value: Decimal | float | int = 100,
    thresholds: Sequence[Threshold] = (),
    labels: Sequence[str] = (),
    value_format: Callable[[Decimal | float | int], str] = str,
    title: str = "",
    width: int = 110,
    height: int = 30,
    color: str = DEFAULT_COLOR,
) -> str:
    """A table-cell sized line (e.g. a unit's total over the years) with thin threshold lines;
    a None value leaves a gap. The tooltip lists every point."""
    top_value = _num(max_value) or 1.0
    pad = 3
    step = (width - 2 * pad) / max(len(values) - 1, 1)

    def y_of(value: Decimal | float | int) -> float:
        fraction = max(min(_num(value) / top_value, 1.0), 0.0)
        return pad + (height - 2 * pad) * (1 - fraction)

    points = [
        f"{labels[i] if i < len(labels) else i}: {'—' if v is None else value_format(v)}"
        for i, v in enumerate(values)
    ]
    tooltip = " · ".join(points)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-label="{_attr(title + ": " + tooltip if title else tooltip)}" '
        f'class="zi-chart zi-mini"><title>{escape(tooltip)}</title>'
    ]
    for k, t in enumerate(thresholds):
        y = y_of(t.value)
        parts.append(
            f'<line x1="0" y1="{y:.1f}" x2="{width}" y2="{y:.1f}" stroke="{_attr(t.color)}" '
            f'stroke-width="0.8" stroke-dasharray="{_dash(k)}"/>'
        )
    segment: list[str] = []
    for i, value in enumerate(values):
        x = pad + i * step if len(values) > 1 else width / 2
        if value is None:
            if len(segment) > 1:
                parts.append(
                    f'<polyline points="{" ".join(segment)}" fill="none" '
                    f'stroke="{_attr(color)}" stroke-width="1.6"/>'
                )
            segment = []
            continue
        y = y_of(value)
        segment.append(f"{x:.1f},{y:.1f}")
        last = i == len(values) - 1
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{2.6 if last else 1.8}" fill="{_attr(color)}"/>'
        )
    if len(segment) > 1:
        parts.append(
            f'<polyline points="{" ".join(segment)}" fill="none" stroke="{_attr(color)}" '
            f'stroke-width="1.6"/>'
        )
    parts.append("</svg>")
    return "".join(parts)
