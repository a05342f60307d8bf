"""PEKPPP reports: the ULE's PDF, the instansi's PEKPPP Mandiri report, the xlsx exports and the
leadership overview. `build_*_context` read only and return plain data (unit-tested); figures
come from pekppp.scoring (the engine), never computed here."""

from __future__ import annotations

import io
from collections import Counter
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from pekppp.display import band_hex, id_number
from pekppp.models import (
    F03Response,
    FollowUpStatus,
    Period,
    PraEvaluasi,
    Recommendation,
    SkmRecord,
    UnitLokus,
)
from pekppp.scoring import UleFigures, figures_for, figures_for_many, instrument_for
from zi_portal.lib.charts import Bar, horizontal_bar_chart, stacked_bar

STATUS_COLORS = {
    FollowUpStatus.BELUM: "#dc3545",
    FollowUpStatus.PROSES: "#d39e00",
    FollowUpStatus.SELESAI: "#198754",
}


def aspect_chart_svg(figures: UleFigures, *, width: int = 640, fit: bool = True) -> str:
    return horizontal_bar_chart(
        [
            Bar(f"{a.code}. {a.name}", a.score, color=band_hex(figures.band))
            for a in figures.aspects
        ],
        max_value=5,
        value_format=id_number,
        title=_("Nilai aspek (skala 0-5)"),
        width=width,
        label_width=int(width * 0.45),
        value_width=60,
        ticks=(0, 1, 2, 3, 4, 5),
        tick_format=str,
        fit=fit,
    )


def ipp_chart_svg(rows: list[dict[str, Any]], *, width: int = 640, fit: bool = True) -> str:
    return horizontal_bar_chart(
        [
            Bar(
                f"{r['ule'].unit.name} ({r['ule'].get_scope_display()})",
                r["figures"].reported if r["figures"].scored else None,
                color=band_hex(r["figures"].band),
                note=r["figures"].band if r["figures"].scored else _("belum dinilai"),
            )
            for r in rows
        ],
        max_value=5,
        value_format=id_number,
        title=_("IPP per ULE (skala 0-5)"),
        width=width,
        label_width=int(width * 0.5),
        value_width=110,
        ticks=(0, 1, 2, 3, 4, 5),
        tick_format=str,
        fit=fit,
    )


def _indicator_rows(ule: UnitLokus, figures: UleFigures) -> list[dict[str, Any]]:
    instrument = instrument_for(ule)
    rows = []
    for aspect in instrument.aspects:
        for ind in aspect.indicators:
            score = figures.scores.get(ind.code)
            rubric = next((r.text for r in ind.rubric if r.score == score), "")
            rows.append(
                {
                    "aspect": aspect.code,
                    "code": ind.code,
                    "text": ind.text,
                    "weight": ind.weight,
                    "score": score,
                    "rubric": rubric,
                    "note": figures.notes.get(ind.code, ""),
                }
            )
    return rows


def build_ule_report_context(ule: UnitLokus) -> dict[str, Any]:
    """Everything the ULE's PDF shows. Reads the database, writes nothing."""
    instrument = instrument_for(ule)
    figures = figures_for(ule)
    skm = SkmRecord.objects.filter(ule=ule).first()
    recs = list(
        Recommendation.objects.filter(ule=ule).select_related("indicator", "aspect").order_by("pk")
    )
    return {
        "ule": ule,
        "instansi": ule.period.instansi.name,
        "unit": ule.unit.name,
        "scope": ule.get_scope_display(),
        "service": ule.service_name,
        "year": ule.period.year,
        "instrument": f"{instrument.title} ({instrument.code}, versi {instrument.version})",
        "figures": figures,
        "final": figures.final,
        "finalized_at": ule.finalized_at,
        "finalized_by": (ule.snapshot or {}).get("finalized_by", ""),
        "aspects": figures.aspects,
        "chart": mark_safe(aspect_chart_svg(figures, fit=False)),
        "indicators": _indicator_rows(ule, figures),
        "f03": {
            "count": figures.f03_count,
            "mean": figures.f03_mean,
            "min": instrument.f03.min_responses,
            "max": instrument.f03.max_responses,
            "scale_max": instrument.f03.scale_max,
            "blend_requested": figures.blend_requested,
            "blended_ipp": figures.blended_ipp,
            "blend_evaluator": instrument.blend_evaluator * 100,
            "blend_public": instrument.blend_public * 100,
        },
        "skm": skm.result if skm else None,
        "recommendations": [
            {
                "target": r.target_label,
                "text": r.text,
                "status": r.get_status_display(),
                "plan": r.plan,
                "due_date": r.due_date,
            }
            for r in recs
        ],
        "generated_at": timezone.localtime(),
    }


def period_rows(period: Period, ules: list[UnitLokus] | None = None) -> list[dict[str, Any]]:
    if ules is None:
        ules = list(
            UnitLokus.objects.filter(period=period)
            .select_related("unit", "period__instrument")
            .prefetch_related("skm")
            .order_by("scope")
        )
    figures = figures_for_many(ules)
    return [{"ule": u, "figures": figures[u.pk], "skm": _has_skm(u)} for u in ules]


def _has_skm(ule: UnitLokus) -> SkmRecord | None:
    try:
        return ule.skm
    except SkmRecord.DoesNotExist:
        return None


def build_period_report_context(period: Period) -> dict[str, Any]:
    """The instansi's PEKPPP Mandiri report for the ministry: every ULE with IPP and band."""
    ules = list(
        UnitLokus.objects.filter(period=period)
        .select_related("unit", "period__instrument")
        .prefetch_related("skm")
        .order_by("scope")
    )
    rows = []
    figures = figures_for_many(ules)
    for ule in ules:
        rows.append({"ule": ule, "figures": figures[ule.pk], "skm": _has_skm(ule)})
    instrument = instrument_for(period)
    return {
        "period": period,
        "instansi": period.instansi.name,
        "year": period.year,
        "instrument": f"{instrument.title} ({instrument.code}, versi {instrument.version})",
        "rows": rows,
        "all_final": bool(rows) and all(r["figures"].final for r in rows),
        "chart": mark_safe(ipp_chart_svg(rows, fit=False)) if rows else "",
        "bands": [(b.grade, b.min, b.max, b.label) for b in instrument.bands],
        "generated_at": timezone.localtime(),
    }


def follow_up_counts(ules) -> dict[str, int]:
    counts = Counter(
        dict(
            Recommendation.objects.filter(ule__in=ules, ule__f02_status="final")
            .values_list("status")
            .annotate(n=Count("pk"))
            .order_by()
        )
    )
    return {s: counts.get(s, 0) for s in FollowUpStatus.values}


def follow_up_chart_svg(counts: dict[str, int], *, width: int = 640) -> str:
    return stacked_bar(
        [(FollowUpStatus(s).label, n, STATUS_COLORS[s]) for s, n in counts.items()],
        title=_("Status tindak lanjut rekomendasi"),
        width=width,
    )


# --------------------------------------------------------------------------- spreadsheets

_HEADER = Font(bold=True)
_FILL = PatternFill("solid", fgColor="E9ECEF")


def _sheet(wb: Workbook, title: str, header: list[str], *, first: bool = False):
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append(header)
    for cell in ws[1]:
        cell.font, cell.fill = _HEADER, _FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    return ws


def _num(value: Decimal | None) -> float | None:
    """Numbers go to Excel as numbers (shown with the reader's locale, e.g. 3,84)."""
    if value is None:
        return None
    return float(value.quantize(Decimal("0.0001")))


def _widths(ws, widths: list[int]) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def scores_xlsx(period: Period) -> bytes:
    """Every score of the period: a summary per ULE, every indicator, every F-03 response."""
    instrument = instrument_for(period)
    ules = list(
        UnitLokus.objects.filter(period=period)
        .select_related("unit", "period__instrument")
        .prefetch_related("skm")
        .order_by("scope")
    )
    figures = figures_for_many(ules)
    wb = Workbook()
    aspects = [a.code for a in instrument.aspects]
    ws = _sheet(
        wb,
        "Ringkasan",
        [
            "Unit kerja",
            "Kode unit",
            "Ruang lingkup",
            "Layanan",
            "Status F-02",
            "Indikator dinilai",
            "IPP (F-02)",
            "Kategori",
            "Predikat",
            *[f"Aspek {c}" for c in aspects],
            "Responden F-03",
            "Rata-rata F-03",
            "IPP gabungan (75/25)",
            "IKM (SKM)",
            "Mutu SKM",
        ],
        first=True,
    )
    for ule in ules:
        f = figures[ule.pk]
        skm = _has_skm(ule)
        by_aspect = {a.code: a.score for a in f.aspects}
        ws.append(
            [
                ule.unit.name,
                ule.unit.code,
                ule.get_scope_display(),
                ule.service_name,
                ule.get_f02_status_display(),
                f"{f.scored}/{f.total}",
                _num(f.ipp),
                f.band,
                f.label,
                *[_num(by_aspect.get(c)) for c in aspects],
                f.f03_count,
                _num(f.f03_mean),
                _num(f.blended_ipp),
                _num(Decimal(skm.result["nik"])) if skm else None,
                skm.mutu if skm else None,
            ]
        )
    for row in ws.iter_rows(min_row=2, min_col=7, max_col=ws.max_column):
        for cell in row:
            if isinstance(cell.value, float):
                cell.number_format = "0.00"
    _widths(ws, [40, 12, 16, 36, 14, 10, 10, 9, 22] + [9] * len(aspects) + [10, 10, 12, 10, 9])

    ws = _sheet(
        wb,
        "Nilai indikator",
        [
            "Unit kerja",
            "Aspek",
            "Kode",
            "Indikator",
            "Bobot dalam aspek (%)",
            "Skor (0-5)",
            "Catatan evaluator",
        ],
    )
    for ule in ules:
        for row in _indicator_rows(ule, figures[ule.pk]):
            ws.append(
                [
                    ule.unit.name,
                    row["aspect"],
                    row["code"],
                    row["text"],
                    _num(row["weight"]),
                    row["score"],
                    row["note"],
                ]
            )
    _widths(ws, [36, 7, 10, 70, 12, 10, 50])

    items = [i.code for i in instrument.f03_items]
    ws = _sheet(wb, "F-03", ["Unit kerja", "No. respons", "Tanggal", *items])
    responses = (
        F03Response.objects.filter(ule__in=ules)
        .select_related("ule__unit")
        .order_by("ule__scope", "number")
    )
    for r in responses:
        ws.append([r.ule.unit.name, r.number, r.submitted_on, *[r.answers.get(c) for c in items]])
    _widths(ws, [36, 10, 12] + [8] * len(items))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


PRA_FIELDS = [
    "service_types",
    "service_types_count",
    "users_per_year",
    "staff_count",
    "service_hours",
    "address",
    "contact",
    "has_standar_pelayanan",
    "has_maklumat",
    "skm_last_year",
    "has_complaint_channel",
    "has_online_service",
    "has_vulnerable_facilities",
    "has_innovation",
    "main_problems",
    "improvement_plans",
]


def pra_evaluasi_xlsx(period: Period) -> bytes:
    labels = [str(PraEvaluasi._meta.get_field(f).verbose_name).capitalize() for f in PRA_FIELDS]
    wb = Workbook()
    ws = _sheet(
        wb,
        "Pra-evaluasi",
        ["Unit kerja", "Ruang lingkup", "Layanan", *labels, "Diperbarui"],
        first=True,
    )
    records = (
        PraEvaluasi.objects.filter(ule__period=period)
        .select_related("ule__unit")
        .order_by("ule__scope")
    )
    for rec in records:
        values = []
        for f in PRA_FIELDS:
            v = getattr(rec, f)
            values.append(("Ya" if v else "Tidak") if isinstance(v, bool) else v)
        ws.append(
            [
                rec.ule.unit.name,
                rec.ule.get_scope_display(),
                rec.ule.service_name,
                *values,
                timezone.localtime(rec.updated_at).replace(tzinfo=None),
            ]
        )
    _widths(ws, [36, 16, 30] + [18] * len(PRA_FIELDS) + [18])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def overview_context(periods, ules_by_period: dict[int, list[UnitLokus]]) -> list[dict[str, Any]]:
    """The leadership overview: per period its ULE rows, IPP chart and follow-up status."""
    out = []
    for period in periods:
        ules = ules_by_period.get(period.pk, [])
        rows = period_rows(period, ules)
        counts = follow_up_counts(ules)
        out.append(
            {
                "period": period,
                "rows": rows,
                "chart": mark_safe(ipp_chart_svg(rows)) if rows else "",
                "follow_ups": counts,
                "follow_up_chart": mark_safe(follow_up_chart_svg(counts)),
                "bands": Counter(r["figures"].band for r in rows if r["figures"].final),
                "final": sum(1 for r in rows if r["figures"].final),
            }
        )
    return out
