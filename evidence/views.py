"""Evidence pages: the unit's library, one item, one indicator's evidence, and the endpoints the
LKE page's evidence panel posts to. Every view starts with the access funnel.

Responses to the panel: htmx requests get the re-rendered panel, the upload script
(XMLHttpRequest) gets JSON with per-file results and the panel, and plain forms (no
JavaScript) get a redirect back with messages.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from assessments.models import Assessment, LkeArea, LkeItem
from evidence import services
from evidence.forms import LibraryFilterForm, LinkForm, UploadForm
from evidence.models import Attachment, Evidence, EvidenceEvent, EvidenceRevision, ReviewStatus
from evidence.panel import panel_context
from evidence.uploads import install_upload_handler, request_too_large
from evidence.validators import (
    ACCEPT_ATTRIBUTE,
    EvidenceRejected,
    max_upload_bytes,
    too_large_message,
)
from organizations.access import (
    AssessmentAction,
    UnitAction,
    can_on_unit,
    get_assessment_for,
    get_unit_for,
)

PREVIEW_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
DOWNLOAD_CSP = "sandbox; default-src 'none'"


# --------------------------------------------------------------------------- helpers


def _is_script(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest" and not request.htmx


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    # `next` travels in the query string: refusals answered before the body is parsed must
    # not read request.POST.
    target = request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = fallback
    return redirect(target)


def _item_target(user, assessment_pk: int, item_pk: int, action=AssessmentAction.VIEW):
    assessment = get_assessment_for(user, assessment_pk, action)
    item = get_object_or_404(
        LkeItem.objects.select_related("area", "sub_area"),
        pk=item_pk,
        version_id=assessment.rulebook_id,
        kind__in=services.EVIDENCE_KINDS,
    )
    return assessment, item


def _int(value: object) -> int:
    """A posted id, or 0 (which matches nothing) when it is not a number."""
    try:
        return int(str(value))
    except ValueError:
        return 0


def _item_url(assessment: Assessment, item: LkeItem) -> str:
    return reverse("evidence:item", args=[assessment.pk, item.pk])


def _panel_html(request: HttpRequest, assessment: Assessment, item: LkeItem, notices=()) -> str:
    context = panel_context(request, assessment, item, notices=notices)
    return render_to_string("evidence/_panel.html", context, request=request)


def _panel_response(request, assessment, item, notices=(), status=200) -> HttpResponse:
    if _is_script(request):
        return JsonResponse(
            {"results": list(notices), "panel": _panel_html(request, assessment, item, notices)},
            status=status,
        )
    if request.htmx:
        response = HttpResponse(_panel_html(request, assessment, item, notices), status=status)
        if request.method == "POST":
            # The LKE page's score panel refreshes on it (templates/assessments/lke.html).
            response["HX-Trigger"] = "evidence-changed"
        return response
    for notice in notices:
        level = (
            messages.SUCCESS
            if notice["status"] == "ok"
            else (messages.WARNING if notice["status"] == "duplicate" else messages.ERROR)
        )
        messages.add_message(request, level, notice["message"])
    return _back(request, _item_url(assessment, item))


def _refusal(request, message: str, fallback: str, status: int = 400) -> HttpResponse:
    if _is_script(request):
        return JsonResponse({"results": [{"status": "error", "message": message}]}, status=status)
    if request.htmx:
        return HttpResponse(
            f'<div class="alert alert-danger" role="alert">{_esc(message)}</div>', status=status
        )
    messages.error(request, message)
    return _back(request, fallback)


def _esc(text: str) -> str:
    from django.utils.html import escape

    return escape(text)


def _not_editable(assessment: Assessment) -> str | None:
    if assessment.is_editable_by_unit:
        return None
    return _("Penilaian %(a)s berstatus %(status)s: bukti dukung tidak dapat diubah lagi.") % {
        "a": assessment,
        "status": assessment.get_status_display(),
    }


def _form_errors(form) -> str:
    parts = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return " ".join(parts)


def _receive_files(request, state, *, unit, attach_to=None) -> list[dict]:
    """Store every file of the request; one notice per file (nothing is left of a refused one)."""
    files = request.FILES.getlist("files")  # parses the body: fills state.too_large
    notices = [
        {"status": "error", "name": n, "message": too_large_message(n)} for n in state.too_large
    ]
    if not files and not notices:
        return [
            {"status": "error", "message": _("Pilih satu atau beberapa berkas untuk diunggah.")}
        ]
    form = UploadForm(request.POST)
    if not form.is_valid():
        return [*notices, {"status": "error", "message": _form_errors(form)}]
    data = form.cleaned_data
    for upload in files:
        name = getattr(upload, "raw_name", upload.name)
        try:
            result = services.upload_evidence(
                unit=unit,
                upload=upload,
                by=request.user,
                document_date=data["document_date"],
                title=data["title"] if len(files) == 1 else "",
                page_reference=data["page_reference"],
                attach_to=attach_to,
            )
        except EvidenceRejected as exc:
            notices.append({"status": "error", "name": name, "message": exc.message})
            continue
        notices.append(_upload_notice(result, name, attach_to))
    return notices


def _upload_notice(result: services.UploadResult, name: str, attach_to) -> dict:
    evidence = result.evidence
    if result.status == "created":
        return {
            "status": "ok",
            "name": name,
            "evidence": evidence.pk,
            "message": _("“%(name)s” tersimpan sebagai “%(title)s”.")
            % {"name": name, "title": evidence.title},
        }
    notice = {"status": "duplicate", "name": name, "evidence": evidence.pk, "title": evidence.title}
    if result.already_attached:
        notice["message"] = _(
            "“%(name)s” sudah ada di pustaka sebagai “%(title)s” dan sudah dilampirkan pada indikator ini."
        ) % {"name": name, "title": evidence.title}
    else:
        notice["message"] = _(
            "“%(name)s” sudah ada di pustaka unit sebagai “%(title)s”. Lampirkan bukti yang sudah ada itu, tidak perlu mengunggah ulang."
        ) % {"name": name, "title": evidence.title}
        if attach_to:
            notice["attach_url"] = reverse(
                "evidence:attach", args=[attach_to[0].pk, attach_to[1].pk]
            )
    return notice


# --------------------------------------------------------------------------- one indicator


@login_required
@require_GET
def item_evidence(request: HttpRequest, assessment_pk: int, item_pk: int) -> HttpResponse:
    assessment, item = _item_target(request.user, assessment_pk, item_pk)
    if request.htmx:
        return HttpResponse(_panel_html(request, assessment, item))
    context = panel_context(request, assessment, item)
    return render(request, "evidence/item.html", context)


@csrf_exempt
@login_required
@require_POST
def item_upload(request: HttpRequest, assessment_pk: int, item_pk: int) -> HttpResponse:
    # The funnel and the cheap refusals run before a byte of the body is read; the CSRF check
    # (which reads the body) runs once the evidence upload handler is installed.
    assessment, item = _item_target(request.user, assessment_pk, item_pk, AssessmentAction.FILL)
    fallback = _item_url(assessment, item)
    refused = _not_editable(assessment)
    if refused:
        return _refusal(request, refused, fallback, status=409)
    if request_too_large(request):
        return _refusal(request, too_large_message(_("unggahan")), fallback, status=413)
    return _item_upload(request, assessment, item, install_upload_handler(request))


@csrf_protect
def _item_upload(
    request: HttpRequest, assessment: Assessment, item: LkeItem, state
) -> HttpResponse:
    notices = _receive_files(request, state, unit=assessment.unit, attach_to=(assessment, item))
    ok = any(n["status"] != "error" for n in notices)
    return _panel_response(request, assessment, item, notices, status=200 if ok else 400)


@login_required
@require_POST
def item_link(request: HttpRequest, assessment_pk: int, item_pk: int) -> HttpResponse:
    assessment, item = _item_target(request.user, assessment_pk, item_pk, AssessmentAction.FILL)
    form = LinkForm(request.POST)
    if not form.is_valid():
        return _refusal(request, _form_errors(form), _item_url(assessment, item))
    data = form.cleaned_data
    try:
        result = services.add_link(
            unit=assessment.unit,
            url=data["url"],
            by=request.user,
            document_date=data["document_date"],
            title=data["title"],
            page_reference=data["page_reference"],
            attach_to=(assessment, item),
        )
    except EvidenceRejected as exc:
        return _refusal(request, exc.message, _item_url(assessment, item))
    notice = _upload_notice(result, data["url"], (assessment, item))
    return _panel_response(request, assessment, item, [notice])


@login_required
@require_POST
def attach(request: HttpRequest, assessment_pk: int, item_pk: int) -> HttpResponse:
    assessment, item = _item_target(request.user, assessment_pk, item_pk, AssessmentAction.FILL)
    evidence = get_object_or_404(
        Evidence, pk=_int(request.POST.get("evidence")), unit_id=assessment.unit_id
    )
    try:
        services.attach(evidence=evidence, assessment=assessment, item=item, by=request.user)
    except EvidenceRejected as exc:
        return _panel_response(
            request, assessment, item, [{"status": "error", "message": exc.message}], status=400
        )
    notice = {
        "status": "ok",
        "message": _("“%(title)s” dilampirkan pada %(code)s.")
        % {"title": evidence.title, "code": item.code},
    }
    return _panel_response(request, assessment, item, [notice])


@login_required
@require_POST
def detach(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(Attachment.objects.select_related("evidence", "item"), pk=pk)
    assessment = get_assessment_for(request.user, attachment.assessment_id, AssessmentAction.FILL)
    attachment.assessment = assessment
    try:
        services.detach(attachment=attachment, by=request.user)
    except EvidenceRejected as exc:
        return _panel_response(
            request,
            assessment,
            attachment.item,
            [{"status": "error", "message": exc.message}],
            status=400,
        )
    notice = {
        "status": "ok",
        "message": _("“%(title)s” dilepas dari %(code)s (tetap ada di pustaka).")
        % {"title": attachment.evidence.title, "code": attachment.item.code},
    }
    return _panel_response(request, assessment, attachment.item, [notice])


@login_required
@require_GET
def picker(request: HttpRequest, assessment_pk: int, item_pk: int) -> HttpResponse:
    assessment, item = _item_target(request.user, assessment_pk, item_pk, AssessmentAction.FILL)
    attached = Attachment.objects.filter(assessment=assessment, item=item).values("evidence_id")
    query = request.GET.get("q", "")
    candidates = services.usable_evidence(assessment.unit, query).exclude(pk__in=attached)[:20]
    template = "evidence/_picker_results.html" if request.htmx else "evidence/picker.html"
    return render(
        request,
        template,
        {"assessment": assessment, "item": item, "candidates": candidates, "query": query},
    )


# --------------------------------------------------------------------------- one assessment


@login_required
@require_GET
def assessment_summary(request: HttpRequest, assessment_pk: int) -> HttpResponse:
    assessment = get_assessment_for(request.user, assessment_pk)
    items = list(
        LkeItem.objects.filter(version_id=assessment.rulebook_id, kind__in=services.EVIDENCE_KINDS)
        .select_related("area")
        .order_by("order")
    )
    by_item = services.attachments_by_item(assessment)
    counts = services.review_counts_by_area(assessment)
    missing = services.items_missing_evidence(assessment)
    areas: dict = {}
    for item in items:
        key = item.area_id
        if key not in areas:
            areas[key] = {
                "name": item.area.name if item.area else _("Hasil"),
                "rows": [],
                "counts": counts.get(key, dict.fromkeys(ReviewStatus.values, 0)),
            }
        areas[key]["rows"].append((item, by_item.get(item.pk, [])))
    return render(
        request,
        "evidence/assessment.html",
        {"assessment": assessment, "areas": list(areas.values()), "missing": missing},
    )


# --------------------------------------------------------------------------- library


@login_required
@require_GET
def library(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_unit_for(request.user, unit_pk)
    area_rows = LkeArea.objects.filter(version__kind="lke", version__is_current=True).order_by(
        "order"
    )
    form = LibraryFilterForm(request.GET or None, areas=[(a.key, a.name) for a in area_rows])
    items = Evidence.objects.filter(unit=unit)
    if form.is_valid():
        data = form.cleaned_data
        if data["area"]:
            items = items.filter(attachments__item__area__key=data["area"])
        if data["status"]:
            items = items.filter(attachments__status=data["status"])
        if data["unused"]:
            items = items.filter(attachments__isnull=True)
        if data["q"]:
            items = items.filter(
                Q(title__icontains=data["q"])
                | Q(current_revision__original_name__icontains=data["q"])
            )
    ids = items.values("pk")
    page = Paginator(
        Evidence.objects.filter(pk__in=ids)
        .select_related("current_revision")
        .annotate(revision_count=Count("revisions"), stored_bytes=Sum("revisions__size"))
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=Attachment.objects.select_related("assessment", "item").order_by(
                    "-assessment__year", "item__order"
                ),
            )
        )
        .order_by("-document_date", "-pk"),
        25,
    ).get_page(request.GET.get("page"))
    context = {
        "unit": unit,
        "page": page,
        "form": form,
        "total_bytes": services.unit_storage_bytes(unit),
        "can_fill": can_on_unit(request.user, unit, UnitAction.FILL),
        "accept": ACCEPT_ATTRIBUTE,
        "upload_max": max_upload_bytes(),
        "querystring": _querystring_without_page(request),
    }
    return render(request, "evidence/library.html", context)


def _querystring_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@csrf_exempt
@login_required
@require_POST
def library_upload(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_unit_for(request.user, unit_pk, UnitAction.FILL)
    if request_too_large(request):
        fallback = reverse("evidence:library", args=[unit.pk])
        return _refusal(request, too_large_message(_("unggahan")), fallback, status=413)
    return _library_upload(request, unit, install_upload_handler(request))


@csrf_protect
def _library_upload(request: HttpRequest, unit, state) -> HttpResponse:
    fallback = reverse("evidence:library", args=[unit.pk])
    notices = _receive_files(request, state, unit=unit)
    ok = any(n["status"] != "error" for n in notices)
    if _is_script(request):
        return JsonResponse({"results": notices, "reload": True}, status=200 if ok else 400)
    for notice in notices:
        level = {"ok": messages.SUCCESS, "duplicate": messages.WARNING}.get(
            notice["status"], messages.ERROR
        )
        messages.add_message(request, level, notice["message"])
    return redirect(fallback)


@login_required
@require_POST
def library_link(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_unit_for(request.user, unit_pk, UnitAction.FILL)
    fallback = reverse("evidence:library", args=[unit.pk])
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(fallback)
    data = form.cleaned_data
    try:
        result = services.add_link(
            unit=unit,
            url=data["url"],
            by=request.user,
            document_date=data["document_date"],
            title=data["title"],
            page_reference=data["page_reference"],
        )
    except EvidenceRejected as exc:
        messages.error(request, exc.message)
        return redirect(fallback)
    notice = _upload_notice(result, data["url"], None)
    (messages.success if notice["status"] == "ok" else messages.warning)(request, notice["message"])
    return redirect(fallback)


# --------------------------------------------------------------------------- one item


def _evidence_for(user, pk: int, action: UnitAction = UnitAction.VIEW) -> Evidence:
    """The item if the user may `action` on its unit; 404 for outsiders (and unknown ids)."""
    evidence = Evidence.objects.select_related("unit", "current_revision").filter(pk=pk).first()
    if evidence is None:
        raise Http404
    evidence.unit = get_unit_for(user, evidence.unit_id, action)
    return evidence


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _evidence_for(request.user, pk)
    can_fill = can_on_unit(request.user, evidence.unit, UnitAction.FILL)
    context = {
        "evidence": evidence,
        "revisions": evidence.revisions.select_related("uploaded_by").order_by("-number"),
        "attachments": evidence.attachments.select_related(
            "assessment", "item", "revision", "reviewed_by"
        ).order_by("-assessment__year", "item__order"),
        "events": EvidenceEvent.objects.filter(evidence=evidence)
        .select_related("by")
        .order_by("-at")[:20],
        "locked": services.locked_assessments(evidence),
        "can_fill": can_fill,
        "accept": ACCEPT_ATTRIBUTE,
    }
    return render(request, "evidence/detail.html", context)


@csrf_exempt
@login_required
@require_POST
def replace(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _evidence_for(request.user, pk, UnitAction.FILL)
    if request_too_large(request):
        fallback = reverse("evidence:detail", args=[evidence.pk])
        return _refusal(request, too_large_message(_("unggahan")), fallback, status=413)
    return _replace(request, evidence, install_upload_handler(request))


@csrf_protect
def _replace(request: HttpRequest, evidence: Evidence, state) -> HttpResponse:
    fallback = reverse("evidence:detail", args=[evidence.pk])
    files = request.FILES.getlist("files")
    if state.too_large:
        return _refusal(request, too_large_message(state.too_large[0]), fallback, status=413)
    if len(files) != 1:
        return _refusal(request, _("Pilih tepat satu berkas pengganti."), fallback)
    try:
        revision = services.replace_file(evidence=evidence, upload=files[0], by=request.user)
    except EvidenceRejected as exc:
        return _refusal(request, exc.message, fallback)
    message = _("Revisi %(n)s dari “%(title)s” tersimpan; revisi lama tetap dapat diunduh.") % {
        "n": revision.number,
        "title": evidence.title,
    }
    notice = {"status": "ok", "name": revision.original_name, "message": message}
    assessment_pk, item_pk = _int(request.POST.get("assessment")), _int(request.POST.get("item"))
    if (_is_script(request) or request.htmx) and assessment_pk and item_pk:
        assessment, item = _item_target(request.user, assessment_pk, item_pk)
        return _panel_response(request, assessment, item, [notice])
    if _is_script(request):
        return JsonResponse({"results": [notice], "reload": True})
    messages.success(request, message)
    return _back(request, fallback)


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _evidence_for(request.user, pk, UnitAction.FILL)
    try:
        services.delete_evidence(evidence=evidence, by=request.user)
    except EvidenceRejected as exc:
        messages.error(request, exc.message)
        return redirect("evidence:detail", pk=evidence.pk)
    messages.success(
        request, _("“%(title)s” dihapus beserta semua revisinya.") % {"title": evidence.title}
    )
    return redirect("evidence:library", unit_pk=evidence.unit_id)


# --------------------------------------------------------------------------- files


def _revision_for(user, pk: int, number: int) -> EvidenceRevision:
    evidence = _evidence_for(user, pk)
    return get_object_or_404(
        EvidenceRevision.objects.select_related("evidence"), evidence=evidence, number=number
    )


def _file_response(revision: EvidenceRevision, *, inline: bool) -> FileResponse:
    try:
        handle = services.evidence_storage().open(revision.storage_name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=revision.original_name,
        content_type=revision.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = PREVIEW_CSP if inline else DOWNLOAD_CSP
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_GET
def download(request: HttpRequest, pk: int, number: int) -> FileResponse:
    return _file_response(_revision_for(request.user, pk, number), inline=False)


@login_required
@require_GET
def preview(request: HttpRequest, pk: int, number: int) -> FileResponse:
    revision = _revision_for(request.user, pk, number)
    if not revision.can_preview:
        raise Http404
    return _file_response(revision, inline=True)
