"""The evaluator's F-02 sheet, recommendations, and the follow-up of recommendations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organizations import access
from organizations.access import PekpppAction
from pekppp import services
from pekppp.display import id_number
from pekppp.forms import FollowUpForm, ReasonForm, RecommendationForm
from pekppp.models import (
    AspectVideo,
    F01Attachment,
    F02Score,
    F03Response,
    FollowUpStatus,
    FormKind,
    InstrumentAspect,
    InstrumentIndicator,
    SkmRecord,
)
from pekppp.reports import aspect_chart_svg
from pekppp.scoring import figures_for, instrument_for, live_figures
from pekppp.views.common import csrf_refusal, show_problems, ule_context


def _panel_context(ule, figures, instrument, rights, forms_open) -> dict:
    return {
        "ule": ule,
        "figures": figures,
        "f03": instrument.f03,
        "chart": mark_safe(aspect_chart_svg(figures, width=360)),
        "can_score": rights.score and forms_open[FormKind.F02] and not ule.is_final,
        "rights": rights,
    }


def _sheet_context(request, ule) -> dict:
    instrument = instrument_for(ule)
    context = ule_context(request, ule)
    rows = list(F02Score.objects.filter(ule=ule).select_related("indicator"))
    responses = list(F03Response.objects.filter(ule=ule).values_list("answers", flat=True))
    figures = (
        figures_for(ule)
        if ule.is_final
        else live_figures(ule, score_rows=rows, responses=responses)
    )
    attachments: dict[str, list] = {}
    for att in F01Attachment.objects.filter(ule=ule).select_related(
        "indicator", "evidence", "evidence__current_revision"
    ):
        attachments.setdefault(att.indicator.code, []).append(att)
    videos = {
        v.aspect.code: v for v in AspectVideo.objects.filter(ule=ule).select_related("aspect")
    }
    context.update(
        {
            "instrument": instrument,
            "figures": figures,
            "scores": {r.indicator.code: r for r in rows},
            "answers": dict(ule.f01_answers.values_list("question_code", "value")),
            "attachments": attachments,
            "videos": videos,
            "skm_record": SkmRecord.objects.filter(ule=ule).first(),
            "recommendations": list(ule.recommendations.select_related("indicator", "aspect")),
            "panel": _panel_context(
                ule, figures, instrument, context["rights"], context["forms_open"]
            ),
            "can_score": context["rights"].score
            and context["forms_open"][FormKind.F02]
            and not ule.is_final,
            "rec_form": RecommendationForm(instrument=instrument),
            "reopen_form": ReasonForm() if context["rights"].manage and ule.is_final else None,
        }
    )
    return context


@login_required
@require_GET
def f02_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    ule = access.get_ule_for(request.user, pk, PekpppAction.REVIEW)
    return render(request, "pekppp/f02.html", _sheet_context(request, ule))


@login_required
@require_POST
def f02_score(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    ule = access.get_ule_for(request.user, pk, PekpppAction.SCORE)
    indicator = get_object_or_404(InstrumentIndicator, version=ule.period.instrument, code=code)
    error = ""
    try:
        services.save_f02_score(
            ule=ule,
            indicator=indicator,
            score=request.POST.get("score", ""),
            note=request.POST.get("note", ""),
            by=request.user,
        )
    except services.PekpppError as exc:
        error = " ".join(exc.problems)
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Nilai indikator %(c)s tersimpan.") % {"c": code})
        return redirect(reverse("pekppp:f02", args=[ule.pk]) + f"#ind-{code}")
    context = _sheet_context(request, ule)
    aspect = next(
        a for a in context["instrument"].aspects if any(i.code == code for i in a.indicators)
    )
    ind = next(i for i in aspect.indicators if i.code == code)
    card = render_to_string(
        "pekppp/_f02_indicator.html",
        {**context, "aspect": aspect, "ind": ind, "saved": not error, "error": error},
        request=request,
    )
    panel = render_to_string(
        "pekppp/_score_panel.html", {**context["panel"], "oob": True}, request=request
    )
    return HttpResponse(card + panel)


@login_required
@require_POST
def f02_finalize(request: HttpRequest, pk: int) -> HttpResponse:
    ule = access.get_ule_for(request.user, pk, PekpppAction.SCORE)
    try:
        ule = services.finalize_f02(ule=ule, by=request.user)
    except services.PekpppError as exc:
        show_problems(request, exc.problems)
        return redirect("pekppp:f02", pk=ule.pk)
    messages.success(
        request,
        _(
            "Penilaian F-02 final: IPP %(ipp)s, kategori %(band)s (%(label)s). Laporan PDF siap diunduh."
        )
        % {
            "ipp": id_number(ule.snapshot["ipp"]),
            "band": ule.snapshot["band"],
            "label": ule.snapshot["label"],
        },
    )
    return redirect("pekppp:ule", pk=ule.pk)


@login_required
@require_POST
def f02_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    ule = access.get_ule_for(request.user, pk, PekpppAction.MANAGE)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise services.PekpppError(_("Alasan membuka kembali penilaian wajib diisi."))
        services.reopen_f02(ule=ule, reason=form.cleaned_data["reason"], by=request.user)
    except services.PekpppError as exc:
        show_problems(request, exc.problems)
    else:
        messages.success(request, _("Penilaian F-02 dibuka kembali; tercatat dalam riwayat."))
    return redirect("pekppp:f02", pk=ule.pk)


# --------------------------------------------------------------------------- recommendations


@login_required
@require_http_methods(["GET", "POST"])
def recommendations(request: HttpRequest, pk: int) -> HttpResponse:
    action = PekpppAction.SCORE if request.method == "POST" else PekpppAction.VIEW
    ule = access.get_ule_for(request.user, pk, action)
    instrument = instrument_for(ule)
    form = RecommendationForm(request.POST or None, instrument=instrument)
    if request.method == "POST":
        if form.is_valid():
            kind, _sep, code = form.cleaned_data["target"].partition(":")
            model = InstrumentIndicator if kind == "indicator" else InstrumentAspect
            target = model.objects.filter(version=ule.period.instrument, code=code).first()
            try:
                services.add_recommendation(
                    ule=ule,
                    text=form.cleaned_data["text"],
                    indicator=target if kind == "indicator" else None,
                    aspect=target if kind == "aspect" else None,
                    by=request.user,
                )
            except services.PekpppError as exc:
                show_problems(request, exc.problems)
            else:
                messages.success(request, _("Rekomendasi ditambahkan."))
                return redirect("pekppp:recommendations", pk=ule.pk)
        else:
            messages.error(request, _("Pilih indikator/aspek dan tulis rekomendasinya."))
    context = ule_context(request, ule)
    visible = context["rights"].review or ule.is_final
    context.update(
        {
            "form": form,
            "recs": list(
                ule.recommendations.select_related("indicator", "aspect", "follow_up_by").annotate(
                    n_files=Count("attachments")
                )
            )
            if visible
            else [],
            "visible": visible,
            "can_add": context["rights"].score
            and context["forms_open"][FormKind.F02]
            and not ule.is_final,
        }
    )
    return render(request, "pekppp/recommendations.html", context)


@login_required
@require_POST
def recommendation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rec = access.get_recommendation_for(request.user, pk, PekpppAction.SCORE)
    try:
        services.delete_recommendation(rec=rec, by=request.user)
    except services.PekpppError as exc:
        show_problems(request, exc.problems)
    else:
        messages.success(request, _("Rekomendasi dihapus."))
    return redirect("pekppp:recommendations", pk=rec.ule_id)


@login_required
@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    action = PekpppAction.FILL if request.method == "POST" else PekpppAction.VIEW
    rec = access.get_recommendation_for(request.user, pk, action)
    if not rec.ule.is_final and not access.can_on_ule(request.user, rec.ule, PekpppAction.REVIEW):
        return redirect("pekppp:recommendations", pk=rec.ule_id)
    form = FollowUpForm(
        request.POST or None,
        initial={"status": rec.status, "plan": rec.plan, "due_date": rec.due_date},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_follow_up(rec=rec, by=request.user, **form.cleaned_data)
            except services.PekpppError as exc:
                show_problems(request, exc.problems)
                status = 400
            else:
                messages.success(request, _("Tindak lanjut tersimpan."))
                return redirect("pekppp:recommendations", pk=rec.ule_id)
        else:
            messages.error(
                request, _("Periksa kembali isian yang ditandai; belum ada yang disimpan.")
            )
            status = 400
    from evidence.forms import UploadForm

    context = ule_context(
        request,
        rec.ule,
        rec=rec,
        form=form,
        files=rec.attachments.select_related("evidence", "evidence__current_revision"),
        upload_form=UploadForm(),
    )
    return render(request, "pekppp/follow_up.html", context, status=status)


@csrf_exempt
@login_required
@require_POST
def follow_up_upload(request: HttpRequest, pk: int) -> HttpResponse:
    rec = access.get_recommendation_for(request.user, pk, PekpppAction.FILL)
    return _follow_up_upload(request, rec)


def _follow_up_upload(request: HttpRequest, rec) -> HttpResponse:
    from evidence.forms import UploadForm
    from evidence.uploads import install_upload_handler, request_too_large
    from evidence.validators import too_large_message

    back = reverse("pekppp:follow_up", args=[rec.pk])
    if request_too_large(request):
        messages.error(request, too_large_message(_("unggahan")))
        return redirect(back)
    state = install_upload_handler(request)
    refused = csrf_refusal(request)
    if refused is not None:
        return refused
    files = request.FILES.getlist("files")
    if state.too_large:
        messages.error(request, too_large_message(state.too_large[0]))
        return redirect(back)
    form = UploadForm(request.POST)
    if len(files) != 1 or not form.is_valid():
        messages.error(request, _("Pilih satu berkas dan isi tanggal dokumennya."))
        return redirect(back)
    try:
        attachment, _reused = services.attach_follow_up_upload(
            rec=rec, upload=files[0], by=request.user, **form.cleaned_data
        )
    except services.PekpppError as exc:
        show_problems(request, exc.problems)
    else:
        messages.success(
            request,
            _("Bukti tindak lanjut “%(t)s” dilampirkan.") % {"t": attachment.evidence.title},
        )
    return redirect(back)


@login_required
@require_GET
def follow_up_list(request: HttpRequest) -> HttpResponse:
    """Every follow-up the user may see, across ULEs and years (the Biro's monitoring list)."""
    status = request.GET.get("status", "open")
    year = request.GET.get("year", "")
    recs = (
        access.visible_recommendations(request.user)
        .filter(ule__f02_status="final")
        .annotate(n_files=Count("attachments"))
        .order_by("-ule__period__year", "ule__unit__code", "pk")
    )
    if status == "open":
        recs = recs.exclude(status=FollowUpStatus.SELESAI)
    elif status in FollowUpStatus.values:
        recs = recs.filter(status=status)
    if year.isdigit():
        recs = recs.filter(ule__period__year=int(year))
    page = Paginator(recs, 50).get_page(request.GET.get("page"))
    years = sorted(
        set(access.visible_pekppp_periods(request.user).values_list("year", flat=True)),
        reverse=True,
    )
    return render(
        request,
        "pekppp/follow_ups.html",
        {
            "page": page,
            "status": status,
            "year": year,
            "years": years,
            "statuses": FollowUpStatus.choices,
            "today": timezone.localdate(),
        },
    )
