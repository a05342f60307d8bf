"""The ULE page and what the ULE team fills: pra-evaluasi, F-01 (answers, bukti dukung, videos)
and the SKM."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organizations import access
from organizations.access import PekpppAction
from pekppp import services, skm
from pekppp.forms import EvaluatorsForm, PraEvaluasiForm, SkmAveragesForm, SkmUploadForm
from pekppp.models import (
    AspectVideo,
    F01Attachment,
    FormKind,
    InstrumentIndicator,
    PraEvaluasi,
    SkmRecord,
)
from pekppp.progress import f01_progress
from pekppp.scoring import figures_for, instrument_for
from pekppp.views.common import csrf_refusal, show_problems, ule_context


def _progress(ule, instrument):
    return f01_progress(
        instrument,
        ule.f01_answers.values_list("question_code", flat=True),
        ule.f01_attachments.values_list("indicator__code", flat=True),
        ule.videos.values_list("aspect__code", flat=True),
    )


@login_required
@require_GET
def ule_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ule = access.get_ule_for(request.user, pk)
    instrument = instrument_for(ule)
    context = ule_context(request, ule)
    rights = context["rights"]
    # The ULE team sees its result once it is final; instansi-level readers follow it live.
    show_result = rights.review or ule.is_final
    figures = figures_for(ule) if show_result else None
    context.update(
        {
            "instrument": instrument,
            "progress": _progress(ule, instrument),
            "pra": PraEvaluasi.objects.filter(ule=ule).first(),
            "skm_record": SkmRecord.objects.filter(ule=ule).first(),
            "figures": figures,
            "f03": instrument.f03,
            "f03_to_min": max(instrument.f03.min_responses - ule.survey_count, 0),
            "open_recs": ule.recommendations.exclude(status="selesai").count()
            if show_result
            else 0,
            "evaluators_form": EvaluatorsForm(
                initial={
                    "evaluators": list(ule.evaluators.all()),
                    "blend_public": ule.blend_public,
                },
                evaluators=services.pekppp_evaluators(ule.period.instansi),
            )
            if rights.manage
            else None,
            "assigned": list(ule.evaluators.order_by("username")),
        }
    )
    return render(request, "pekppp/ule.html", context)


# --------------------------------------------------------------------------- pra-evaluasi


@login_required
@require_http_methods(["GET", "POST"])
def pra_evaluasi(request: HttpRequest, pk: int) -> HttpResponse:
    action = PekpppAction.FILL if request.method == "POST" else PekpppAction.VIEW
    ule = access.get_ule_for(request.user, pk, action)
    record = PraEvaluasi.objects.filter(ule=ule).first()
    form = PraEvaluasiForm(request.POST or None, instance=record)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {f: form.cleaned_data[f] for f in form.Meta.fields}
            try:
                services.save_pra_evaluasi(ule=ule, data=data, by=request.user)
            except services.PekpppError as exc:
                show_problems(request, exc.problems)
                status = 409
            else:
                messages.success(request, _("Formulir pra-evaluasi tersimpan."))
                return redirect("pekppp:ule", pk=ule.pk)
        else:
            messages.error(
                request, _("Periksa kembali isian yang ditandai; belum ada yang disimpan.")
            )
            status = 400
    context = ule_context(request, ule, form=form, record=record)
    return render(request, "pekppp/pra_evaluasi.html", context, status=status)


# --------------------------------------------------------------------------- F-01


@login_required
@require_GET
def f01_start(request: HttpRequest, pk: int) -> HttpResponse:
    ule = access.get_ule_for(request.user, pk)
    first = instrument_for(ule).aspects[0].code
    return redirect("pekppp:f01", pk=ule.pk, aspect=first)


def _aspect_or_404(instrument, code: str):
    aspect = next((a for a in instrument.aspects if a.code == code), None)
    if aspect is None:
        raise Http404
    return aspect


def _f01_context(request, ule, instrument, aspect, *, posted=None, problems=None) -> dict:
    answers = dict(ule.f01_answers.values_list("question_code", "value"))
    attachments: dict[str, list[F01Attachment]] = {}
    for att in (
        F01Attachment.objects.filter(ule=ule, indicator__aspect__code=aspect.code)
        .select_related("indicator", "evidence", "evidence__current_revision")
        .order_by("indicator__order", "added_at", "pk")
    ):
        attachments.setdefault(att.indicator.code, []).append(att)
    video = AspectVideo.objects.filter(ule=ule, aspect__code=aspect.code).first()
    values = dict(answers)
    if posted is not None:
        values.update(posted)
    context = ule_context(request, ule)
    from evidence.forms import UploadForm

    context.update(
        {
            "instrument": instrument,
            "aspect": aspect,
            "values": values,
            "problems": problems or {},
            "attachments": attachments,
            "hint_status": {
                ind.code: [
                    (hint, any(a.hint == hint for a in attachments.get(ind.code, [])))
                    for hint in ind.evidence_hints
                ]
                for ind in aspect.indicators
            },
            "video": video,
            "video_posted": posted.get("__video") if posted else None,
            "progress": _progress(ule, instrument),
            "upload_form": UploadForm(),
            "editable": context["rights"].fill and context["forms_open"][FormKind.F01],
        }
    )
    return context


@login_required
@require_http_methods(["GET", "POST"])
def f01_aspect(request: HttpRequest, pk: int, aspect: str) -> HttpResponse:
    action = PekpppAction.FILL if request.method == "POST" else PekpppAction.VIEW
    ule = access.get_ule_for(request.user, pk, action)
    instrument = instrument_for(ule)
    aspect_obj = _aspect_or_404(instrument, aspect)
    if request.method == "GET":
        return render(
            request, "pekppp/f01.html", _f01_context(request, ule, instrument, aspect_obj)
        )
    posted: dict = {}
    for ind in aspect_obj.indicators:
        for q in ind.f01_questions:
            name = f"q-{q.code}"
            if q.type == "PILIHAN" and q.multiple:
                posted[q.code] = request.POST.getlist(name)
            elif name in request.POST:
                posted[q.code] = request.POST.get(name, "")
    video = (
        request.POST.get("video_url", ""),
        request.POST.get("video_min", ""),
        request.POST.get("video_sec", ""),
    )
    try:
        problems = services.save_f01_aspect(
            ule=ule, aspect_code=aspect_obj.code, answers=posted, video=video, by=request.user
        )
    except services.PekpppError as exc:
        show_problems(request, exc.problems)
        return redirect("pekppp:f01", pk=ule.pk, aspect=aspect_obj.code)
    if problems:
        messages.error(
            request,
            _("%(n)s isian perlu diperbaiki; belum ada yang disimpan dari aspek ini.")
            % {"n": len(problems)},
        )
        posted["__video"] = {"url": video[0], "min": video[1], "sec": video[2]}
        context = _f01_context(
            request, ule, instrument, aspect_obj, posted=posted, problems=problems
        )
        return render(request, "pekppp/f01.html", context, status=400)
    messages.success(
        request,
        _("Jawaban F-01 aspek %(a)s tersimpan.") % {"a": f"{aspect_obj.code}. {aspect_obj.name}"},
    )
    codes = [a.code for a in instrument.aspects]
    nxt = codes.index(aspect_obj.code) + 1
    if request.POST.get("next") and nxt < len(codes):
        return redirect("pekppp:f01", pk=ule.pk, aspect=codes[nxt])
    return redirect("pekppp:f01", pk=ule.pk, aspect=aspect_obj.code)


@csrf_exempt
@login_required
@require_POST
def f01_upload(request: HttpRequest, pk: int, aspect: str, code: str) -> HttpResponse:
    # The access funnel runs before the body is read; the CSRF check runs after the evidence
    # upload handler is installed (see csrf_refusal).
    ule = access.get_ule_for(request.user, pk, PekpppAction.FILL)
    return _f01_upload(request, ule, aspect, code)


def _f01_upload(request: HttpRequest, ule, aspect: str, code: str) -> HttpResponse:
    from evidence.forms import UploadForm
    from evidence.uploads import install_upload_handler, request_too_large
    from evidence.validators import too_large_message

    back = reverse("pekppp:f01", args=[ule.pk, aspect]) + f"#ind-{code}"
    indicator = get_object_or_404(
        InstrumentIndicator, version=ule.period.instrument, code=code, aspect__code=aspect
    )
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
    if len(files) != 1:
        messages.error(request, _("Pilih satu berkas bukti dukung untuk diunggah."))
        return redirect(back)
    if not form.is_valid():
        messages.error(
            request, _("Isi tanggal dokumen bukti dukung (tanggal dokumen mulai berlaku).")
        )
        return redirect(back)
    try:
        attachment, reused = services.attach_f01_upload(
            ule=ule,
            indicator=indicator,
            upload=files[0],
            hint=request.POST.get("hint", ""),
            by=request.user,
            **form.cleaned_data,
        )
    except services.PekpppError as exc:
        show_problems(request, exc.problems)
        return redirect(back)
    if reused:
        messages.info(
            request,
            _(
                "Berkas ini sudah ada di pustaka bukti unit sebagai “%(t)s”; yang ada itu dilampirkan."
            )
            % {"t": attachment.evidence.title},
        )
    else:
        messages.success(
            request,
            _("Bukti dukung “%(t)s” dilampirkan pada indikator %(c)s.")
            % {"t": attachment.evidence.title, "c": indicator.code},
        )
    return redirect(back)


@login_required
@require_POST
def f01_detach(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    ule = access.get_ule_for(request.user, pk, PekpppAction.FILL)
    attachment = get_object_or_404(
        F01Attachment.objects.select_related("indicator__aspect", "evidence", "ule__period"),
        pk=attachment_pk,
        ule=ule,
    )
    try:
        services.detach_f01(attachment=attachment, by=request.user)
    except services.PekpppError as exc:
        show_problems(request, exc.problems)
    else:
        messages.success(
            request,
            _("“%(t)s” dilepas dari indikator %(c)s (tetap ada di pustaka bukti unit).")
            % {"t": attachment.evidence.title, "c": attachment.indicator.code},
        )
    return redirect(
        reverse("pekppp:f01", args=[ule.pk, attachment.indicator.aspect.code])
        + f"#ind-{attachment.indicator.code}"
    )


# --------------------------------------------------------------------------- SKM


@login_required
@require_http_methods(["GET", "POST"])
def skm_view(request: HttpRequest, pk: int) -> HttpResponse:
    action = PekpppAction.FILL if request.method == "POST" else PekpppAction.VIEW
    ule = access.get_ule_for(request.user, pk, action)
    rulebook = services.engine_skm(ule.period)
    record = SkmRecord.objects.filter(ule=ule).first()
    averages_form = SkmAveragesForm(unsur=rulebook.unsur)
    upload_form = SkmUploadForm()
    status = 200
    if request.method == "POST":
        mode = request.POST.get("mode")
        try:
            if mode == "averages":
                averages_form = SkmAveragesForm(request.POST, unsur=rulebook.unsur)
                if not averages_form.is_valid():
                    raise services.PekpppError(
                        [
                            f"{averages_form.fields[f].label}: {' '.join(e)}"
                            for f, e in averages_form.errors.items()
                        ]
                    )
                services.record_skm_averages(
                    ule=ule,
                    averages={u.code: averages_form.cleaned_data[u.code] for u in rulebook.unsur},
                    respondents=averages_form.cleaned_data["respondents"],
                    by=request.user,
                )
            else:
                upload = request.FILES.get("file")
                if upload is None:
                    raise services.PekpppError(
                        _("Pilih berkas lembar kerja (.xlsx) untuk diunggah.")
                    )
                if upload.size > skm.MAX_FILE_BYTES:
                    raise services.PekpppError(_("Berkas lebih dari 5 MB."))
                services.record_skm_responses(
                    ule=ule, data=upload.read(), file_name=upload.name, by=request.user
                )
        except services.PekpppError as exc:
            show_problems(request, exc.problems)
            status = 400
        else:
            messages.success(request, _("SKM tersimpan; IKM dan mutu pelayanan dihitung ulang."))
            return redirect("pekppp:skm", pk=ule.pk)
    context = ule_context(
        request,
        ule,
        record=record,
        rulebook=rulebook,
        averages_form=averages_form,
        upload_form=upload_form,
        nrr_rows=[
            (u, (record.result["nrr"].get(u.code) if record else None)) for u in rulebook.unsur
        ],
    )
    return render(request, "pekppp/skm.html", context, status=status)


@login_required
@require_GET
def skm_template(request: HttpRequest, pk: int) -> HttpResponse:
    ule = access.get_ule_for(request.user, pk)
    response = HttpResponse(
        skm.template_xlsx(services.engine_skm(ule.period)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="templat-skm.xlsx"'
    return response
