"""Leadership pages (readiness dashboard, one assessment's readiness, PDF downloads), the public
report verification, and the LKE workbook download and import.

Every view starts with the access funnel (organizations.access): outsiders get 404, in-scope
users without the right 403. PDFs and workbooks are generated on request and answered as
attachments with `nosniff`, like evidence files.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Min
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import dashboard, reports
from assessments.models import RulebookVersion, Status
from assessments.reporting import id_number
from assessments.services import AnswerConflict, AssessmentError
from assessments.workbook import (
    ImportPreview,
    apply_import,
    export_filename,
    export_workbook,
    preview_import,
    read_workbook,
)
from organizations import access
from organizations.access import AssessmentAction
from organizations.models import Instansi
from pekppp import ratelimit
from zi_portal.lib.charts import Series, line_chart, mini_columns, mini_line, radar_chart

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _verify_url(request: HttpRequest):
    return lambda code: request.build_absolute_uri(reverse("verify_report", args=[code]))


def _pct(value: Any) -> str:
    return f"{id_number(Decimal(str(value)))}%"


# --------------------------------------------------------------------------- dashboard


class BoardFilter(forms.Form):
    instansi = forms.TypedChoiceField(label=_lazy("Instansi"), coerce=int, required=False)
    year = forms.TypedChoiceField(label=_lazy("Tahun"), coerce=int, required=False)
    status = forms.ChoiceField(label=_lazy("Status"), required=False)
    verdict = forms.ChoiceField(label=_lazy("Predikat terpenuhi"), required=False)
    sort = forms.ChoiceField(required=False)

    def __init__(self, data, *, instansi_choices, years, predikat) -> None:
        super().__init__(data)
        self.fields["instansi"].choices = instansi_choices
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["status"].choices = [
            ("", _("Semua status")),
            *Status.choices,
            (dashboard.NO_ASSESSMENT, _("Belum ada penilaian")),
        ]
        self.fields["verdict"].choices = [
            ("", _("Semua")),
            *[(code, _("Memenuhi %(name)s") % {"name": name}) for code, name in predikat],
            (dashboard.NO_ASSESSMENT, _("Belum memenuhi predikat apa pun")),
        ]
        self.fields["sort"].choices = [(s, s) for key in dashboard.SORTS for s in (key, f"-{key}")]


def _led_instansi(user) -> list[Instansi]:
    """The instansi the user leads as a whole, and those of the units they head."""
    ids = access.leadership_instansi_ids(user) | set(
        access.leadership_units(user).values_list("instansi_id", flat=True)
    )
    return list(Instansi.objects.filter(pk__in=ids).order_by("name"))


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    if not access.can_view_leadership(request.user):
        raise PermissionDenied
    instansi_list = _led_instansi(request.user)
    if not instansi_list:
        raise Http404
    raw = request.GET
    wanted = raw.get("instansi", "")
    instansi = next((i for i in instansi_list if str(i.pk) == wanted), instansi_list[0])
    years = dashboard.board_years(request.user, instansi) or [timezone.localdate().year]
    year = (
        int(raw["year"])
        if raw.get("year", "").isdigit() and int(raw["year"]) in years
        else years[0]
    )
    result = dashboard.build_board(request.user, instansi, year)
    form = BoardFilter(
        {**raw.dict(), "instansi": instansi.pk, "year": year},
        instansi_choices=[(i.pk, i.name) for i in instansi_list],
        years=years,
        predikat=result.predikat,
    )
    filters = form.cleaned_data if form.is_valid() else {}
    sort = filters.get("sort") or "unit"
    rows = dashboard.sort_rows(
        dashboard.filter_rows(
            result.rows, status=filters.get("status", ""), verdict=filters.get("verdict", "")
        ),
        sort,
    )
    return render(
        request,
        "assessments/leadership/board.html",
        {
            "form": form,
            "board": result,
            "rows": [_row_view(r, result) for r in rows],
            "sort": sort,
            "sort_links": _sort_links(request, sort),
            "filtered": len(rows) != len(result.rows),
            "totals_chart": (reports.totals_chart_svgs(rows, result.rulebook, width=900) or [""])[
                0
            ],
            "summary": reports.build_instansi_summary_context(
                result, generated_at=timezone.localtime()
            ),
            "can_summary": instansi.pk in access.leadership_instansi_ids(request.user),
            "can_pekppp": access.can_review_pekppp(request.user),
            "minima": reports.predikat_minima(result.rulebook) if result.rulebook else [],
        },
    )


def _row_view(row: dashboard.Row, result: dashboard.Board) -> dict[str, Any]:
    rulebook = result.rulebook
    basis = row.basis
    chart = ""
    if basis is not None and rulebook is not None:
        chart = mark_safe(
            mini_columns(
                [a.percent for a in basis.areas],
                thresholds=reports.area_thresholds(rulebook),
                labels=[a.name for a in basis.areas],
                value_format=_pct,
                title=_("Area perubahan (% dari bobot)"),
                width=150,
            )
        )
    minima = [t.value for t in reports.area_thresholds(rulebook)] if rulebook else []
    weakest = row.weakest
    trend = ""
    if len(row.trend) > 1 and rulebook is not None:
        trend = mark_safe(
            mini_line(
                [p.tpi_total if p.tpi_total is not None else p.self_total for p in row.trend],
                thresholds=reports.total_thresholds(rulebook),
                labels=[str(p.year) for p in row.trend],
                value_format=lambda v: id_number(Decimal(str(v))),
                title=_("Nilai total per tahun"),
            )
        )
    return {
        "row": row,
        "area_chart": chart,
        "trend_chart": trend,
        "predikat": result.predikat,
        "weak_fails": bool(weakest and minima and weakest.percent < minima[0]),
    }


def _sort_links(request: HttpRequest, current: str) -> dict[str, str]:
    links = {}
    for key in dashboard.SORTS:
        query = request.GET.copy()
        # First click sorts figures from the highest, names from A.
        descending_first = key not in ("unit", "status")
        if current == key:
            query["sort"] = f"-{key}"
        elif current == f"-{key}":
            query["sort"] = key
        else:
            query["sort"] = f"-{key}" if descending_first else key
        links[key] = f"?{query.urlencode()}"
    return links


# --------------------------------------------------------------------------- one assessment


@login_required
@require_GET
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for(request.user, pk)
    if not access.can_lead_unit(request.user, assessment.unit):
        raise PermissionDenied
    context = reports.readiness_report_context(
        assessment, verify_url=_verify_url(request), fit_charts=True
    )
    result = dashboard.build_board(
        request.user, assessment.unit.instansi, assessment.year, unit=assessment.unit
    )
    row = next((r for r in result.rows if r.assessment and r.assessment.pk == assessment.pk), None)
    context.update(
        assessment=assessment,
        row=row,
        radar=_radar(row, result),
        trend_chart=_unit_trend_chart(row, result),
        can_fill=access.can_on_assessment(request.user, assessment, AssessmentAction.FILL),
    )
    return render(request, "assessments/leadership/assessment.html", context)


def _radar(row: dashboard.Row | None, result: dashboard.Board) -> str:
    if row is None or row.self is None or result.rulebook is None:
        return ""
    series = [(reports.source_series()[0], [a.percent for a in row.self.areas])]
    if row.tpi is not None:
        series.append((reports.source_series()[1], [a.percent for a in row.tpi.areas]))
    return mark_safe(
        radar_chart(
            [a.name for a in row.self.areas],
            series,
            thresholds=reports.area_thresholds(result.rulebook),
            value_format=_pct,
            title=_("Area perubahan (% dari bobot)"),
        )
    )


def _unit_trend_chart(row: dashboard.Row | None, result: dashboard.Board) -> str:
    if row is None or len(row.trend) < 2 or result.rulebook is None:
        return ""
    series: list[tuple[Series, list]] = [
        (reports.source_series()[0], [p.self_total for p in row.trend]),
        (reports.source_series()[1], [p.tpi_total for p in row.trend]),
    ]
    return mark_safe(
        line_chart(
            [str(p.year) for p in row.trend],
            series,
            max_value=100,
            thresholds=reports.total_thresholds(result.rulebook),
            value_format=lambda v: id_number(Decimal(str(v))),
            ticks=(0, 25, 50, 75, 100),
            title=_("Nilai total per tahun"),
            width=900,
            height=260,
        )
    )


# --------------------------------------------------------------------------- PDF downloads


@login_required
@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for(request.user, pk)
    pdf = reports.readiness_pdf(assessment, verify_url=_verify_url(request))
    return _download(pdf, "application/pdf", reports.report_filename(assessment))


@login_required
@require_GET
def summary_pdf(request: HttpRequest, instansi_pk: int, year: int) -> HttpResponse:
    instansi = access.get_led_instansi_for(request.user, instansi_pk)
    if not _summary_year_allowed(request.user, instansi, year):
        raise Http404
    result = dashboard.build_board(request.user, instansi, year)
    return _download(
        reports.instansi_summary_pdf(result), "application/pdf", reports.summary_filename(result)
    )


def _summary_year_allowed(user, instansi: Instansi, year: int) -> bool:
    """A year the dashboard can show: from the instansi's first assessment year to its last,
    or to the current year when that is later (the dashboard's default). An instansi without
    assessments: from the first LKE rulebook's year to the current year. Anything else (1900,
    2999) would be an empty summary."""
    this_year = timezone.localdate().year
    years = dashboard.board_years(user, instansi)
    if years:
        first = min(years)
    else:
        earliest = RulebookVersion.objects.filter(kind="lke").aggregate(
            first=Min("effective_date")
        )["first"]
        first = min(earliest.year, this_year) if earliest else this_year
    return first <= year <= max([*years, this_year])


# --------------------------------------------------------------------------- verification

VERIFY_GUESSES = 30  # wrong codes per client and window
VERIFY_WINDOW = 300  # seconds


def _verify_not_found(request: HttpRequest, *, limited: bool) -> HttpResponse:
    return render(
        request,
        "assessments/leadership/verify_not_found.html",
        {"limited": limited},
        status=429 if limited else 404,
    )


@require_GET
def verify_report(request: HttpRequest, code: str) -> HttpResponse:
    """Public (no login): confirms that a final report with this code exists, with its key
    figures, so that a printed copy can be checked. Anything else: a plain "not found".

    Wrong codes are counted per client; a client over the limit gets 429 for every code, the
    valid ones too, before any lookup, so that codes cannot be enumerated quickly. A code typed
    from paper may carry spaces or dashes (HJK2-345M-NPQR)."""
    limit = {"limit": VERIFY_GUESSES, "window": VERIFY_WINDOW}
    client = ratelimit.client_ip(request)
    if ratelimit.exceeded("zi-verify", client, **limit):
        response = _verify_not_found(request, limited=True)
    else:
        model = reports.snapshot_model()
        wanted = reports.normalise_code(code)
        snapshot = None
        if model is not None and 0 < len(wanted) <= 64:
            snapshot = (
                model.objects.filter(verification_code__iexact=wanted)
                .only("content", "content_sha256", "verification_code", "finalised_at")
                .first()
            )
        if snapshot is None:
            ratelimit.hit("zi-verify", client, **limit)
            response = _verify_not_found(request, limited=False)
        else:
            context = reports.build_verification_context(
                snapshot.content,
                code=snapshot.verification_code,
                sha256=snapshot.content_sha256,
                finalised_at=snapshot.finalised_at,
            )
            response = render(request, "assessments/leadership/verify.html", context)
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-store"
    return response


# --------------------------------------------------------------------------- LKE workbook


@login_required
@require_GET
def workbook_export(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for(request.user, pk)
    from evidence.models import Attachment

    links = [
        (
            a.item.code,
            a.evidence.title,
            request.build_absolute_uri(reverse("evidence:detail", args=[a.evidence_id])),
        )
        for a in Attachment.objects.filter(assessment=assessment)
        .select_related("item", "evidence")
        .order_by("item__order", "attached_at", "pk")
    ]
    return _download(
        export_workbook(assessment, evidence_links=links), XLSX, export_filename(assessment)
    )


class WorkbookUploadForm(forms.Form):
    berkas = forms.FileField(
        label=_lazy("Berkas LKE (xlsx)"),
        help_text=_lazy(
            "Berkas unduhan ZI Portal atau templat LKE resmi yang sudah diisi. Belum ada yang "
            "disimpan sampai Anda memeriksa pratinjau dan menekan Terapkan."
        ),
        widget=forms.FileInput(attrs={"accept": ".xlsx", "class": "form-control"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["berkas"]
        limit = _("Ukuran berkas paling besar %(mb)s MB.") % {"mb": settings.WORKBOOK_MAX_UPLOAD_MB}
        field.help_text = f"{field.help_text} {limit}"


def _session_key(pk: int) -> str:
    return f"lke-import-{pk}"


def _import_assessment(request: HttpRequest, pk: int):
    return access.get_assessment_for(request.user, pk, AssessmentAction.FILL)


@login_required
@require_http_methods(["GET", "POST"])
def workbook_import(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _import_assessment(request, pk)
    form = WorkbookUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and assessment.is_editable_by_unit and form.is_valid():
        read = read_workbook(form.cleaned_data["berkas"], version=assessment.rulebook)
        preview = preview_import(assessment, read)
        request.session[_session_key(assessment.pk)] = preview.as_dict()
        return redirect("leadership:workbook_preview", pk=assessment.pk)
    return render(
        request,
        "assessments/leadership/workbook_import.html",
        {"assessment": assessment, "form": form, "editable": assessment.is_editable_by_unit},
    )


@login_required
@require_GET
def workbook_preview(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _import_assessment(request, pk)
    stored = request.session.get(_session_key(assessment.pk))
    if not stored:
        messages.info(request, _("Belum ada berkas yang diunggah untuk pratinjau."))
        return redirect("leadership:workbook_import", pk=assessment.pk)
    preview = ImportPreview.from_dict(stored)
    return render(
        request,
        "assessments/leadership/workbook_preview.html",
        {"assessment": assessment, "preview": preview},
    )


@login_required
@require_POST
def workbook_apply(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _import_assessment(request, pk)
    stored = request.session.get(_session_key(assessment.pk))
    if not stored:
        messages.error(request, _("Pratinjau impor tidak ditemukan; unggah berkasnya lagi."))
        return redirect("leadership:workbook_import", pk=assessment.pk)
    try:
        changed = apply_import(
            assessment=assessment,
            preview=ImportPreview.from_dict(stored),
            by=request.user,
            confirm_origin=request.POST.get("confirm_origin") == "1",
        )
    except AnswerConflict as exc:
        # The preview's "Sekarang" column is out of date: drop it rather than offer it again.
        del request.session[_session_key(assessment.pk)]
        messages.error(request, _conflict_message(exc))
        return redirect("leadership:workbook_import", pk=assessment.pk)
    except AssessmentError as exc:
        messages.error(request, exc.message)
        return redirect("leadership:workbook_preview", pk=assessment.pk)
    del request.session[_session_key(assessment.pk)]
    messages.success(request, _("Impor LKE selesai: %(n)s butir diperbarui.") % {"n": changed})
    return redirect("assessments:detail", pk=assessment.pk)


CONFLICTS_SHOWN = 10


def _conflict_message(exc: AnswerConflict) -> str:
    items = "; ".join(
        _("%(code)s oleh %(by)s pada %(at)s")
        % {
            "code": c.code,
            "by": c.by,
            "at": timezone.localtime(c.at).strftime("%d-%m-%Y %H:%M") if c.at else "—",
        }
        for c in exc.conflicts[:CONFLICTS_SHOWN]
    )
    more = len(exc.conflicts) - CONFLICTS_SHOWN
    if more > 0:
        items += " " + _("dan %(n)s butir lainnya") % {"n": more}
    return _(
        "Impor dibatalkan; belum ada yang disimpan. Butir berikut sudah diubah setelah "
        "pratinjau dibuat: %(items)s. Pratinjau itu sudah tidak berlaku: unggah berkasnya lagi "
        "untuk melihat perubahan terhadap jawaban terbaru."
    ) % {"items": items}


@login_required
@require_POST
def workbook_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _import_assessment(request, pk)
    request.session.pop(_session_key(assessment.pk), None)
    messages.info(request, _("Impor dibatalkan; tidak ada yang diubah."))
    return redirect("assessments:detail", pk=assessment.pk)
