"""Downloads (PDF, xlsx) and the leadership's PEKPPP overview."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from organizations import access
from organizations.access import PekpppAction
from pekppp import reports
from pekppp.timeline import stages_prefetch, timeline_for
from zi_portal.lib.pdf import render_pdf

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def ule_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    ule = access.get_ule_for(request.user, pk)
    if not ule.is_final and not access.can_on_ule(request.user, ule, PekpppAction.REVIEW):
        # The ULE team gets its report once the evaluation is final.
        raise PermissionDenied
    pdf = render_pdf("pekppp/pdf/ule_report.html", reports.build_ule_report_context(ule))
    name = f"pekppp-{ule.period.year}-{slugify(ule.unit.code)}.pdf"
    return _download(pdf, "application/pdf", name)


@login_required
@require_GET
def period_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    period = access.get_pekppp_period_for(request.user, pk, PekpppAction.REVIEW)
    pdf = render_pdf("pekppp/pdf/period_report.html", reports.build_period_report_context(period))
    return _download(pdf, "application/pdf", f"pekppp-mandiri-{period.year}.pdf")


@login_required
@require_GET
def period_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    period = access.get_pekppp_period_for(request.user, pk, PekpppAction.REVIEW)
    return _download(reports.scores_xlsx(period), XLSX, f"pekppp-nilai-{period.year}.xlsx")


@login_required
@require_GET
def pra_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    period = access.get_pekppp_period_for(request.user, pk, PekpppAction.REVIEW)
    return _download(
        reports.pra_evaluasi_xlsx(period), XLSX, f"pekppp-pra-evaluasi-{period.year}.xlsx"
    )


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """The leadership dashboard's PEKPPP tab: every ULE's IPP and band, follow-up status."""
    if not access.can_review_pekppp(request.user):
        raise PermissionDenied
    periods = list(
        access.visible_pekppp_periods(request.user)
        .filter(instansi_id__in=_reviewed_instansi(request.user))
        .prefetch_related(stages_prefetch())
        .order_by("-year", "instansi__name")
    )
    year = request.GET.get("year", "")
    years = sorted({p.year for p in periods}, reverse=True)
    chosen = int(year) if year.isdigit() and int(year) in years else (years[0] if years else None)
    shown = [p for p in periods if p.year == chosen]
    ules = list(
        access.visible_ules(request.user)
        .filter(period__in=shown)
        .prefetch_related("skm")
        .order_by("scope")
    )
    by_period: dict[int, list] = {}
    for ule in ules:
        by_period.setdefault(ule.period_id, []).append(ule)
    sections = reports.overview_context(shown, by_period)
    for section in sections:
        section["timeline"] = timeline_for(section["period"])
    return render(
        request,
        "pekppp/overview.html",
        {"sections": sections, "years": years, "chosen": chosen},
    )


def _reviewed_instansi(user) -> list[int]:
    scope = access.scope_of(user)
    if scope.is_superuser:
        return list(access.visible_instansi(user).values_list("pk", flat=True))
    return list(access.pekppp_instansi_ids(user))
