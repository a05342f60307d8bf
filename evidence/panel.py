"""The context of one indicator's evidence panel (used by the LKE page's include, the
indicator page and the panel endpoints)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.defaultfilters import urlencode
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from assessments.models import Assessment, LkeItem
from evidence.models import Attachment, ReviewStatus
from evidence.validators import ACCEPT_ATTRIBUTE, max_upload_bytes
from organizations.access import AssessmentAction, can_on_assessment


def can_fill(request: HttpRequest, assessment: Assessment) -> bool:
    """The unit team may change this assessment's evidence; remembered per request, because
    the LKE page renders one panel per indicator."""
    cache = request.__dict__.setdefault("_evidence_can_fill", {})
    if assessment.pk not in cache:
        cache[assessment.pk] = assessment.is_editable_by_unit and can_on_assessment(
            request.user, assessment, AssessmentAction.FILL
        )
    return cache[assessment.pk]


def return_url(request: HttpRequest) -> str:
    """Where plain (no-JavaScript) forms come back to: the page showing the panel."""
    if request.method == "GET" and not getattr(request, "htmx", False):
        return request.get_full_path()
    return request.GET.get("next", "")


def claim_script(request: HttpRequest) -> bool:
    """True the first time in a request: the upload script is included once per page."""
    first = not request.__dict__.get("_evidence_script_included", False)
    request._evidence_script_included = True
    return first


def panel_context(
    request: HttpRequest,
    assessment: Assessment,
    item: LkeItem,
    *,
    attachments: list[Attachment] | None = None,
    notices=(),
    compact: bool = False,
) -> dict:
    if attachments is None:
        attachments = list(
            Attachment.objects.filter(assessment=assessment, item=item)
            .select_related("evidence", "revision", "evidence__current_revision")
            .order_by("attached_at", "pk")
        )
    next_url = return_url(request)
    first_script = claim_script(request)
    statuses = [a.status for a in attachments]
    return {
        "assessment": assessment,
        "item": item,
        "attachments": attachments,
        "hints": item.evidence_hint_list,
        "can_edit": can_fill(request, assessment),
        "notices": list(notices),
        "accept": ACCEPT_ATTRIBUTE,
        "max_bytes": max_upload_bytes(),
        "include_script": first_script,
        # On the LKE page every indicator shows its evidence and statuses, but the upload tools
        # are fetched on demand: 113 full upload forms made the page ~3x slower to render.
        "compact": compact,
        "has_acceptable": any(s != ReviewStatus.PERLU_PERBAIKAN for s in statuses),
        "has_flagged": ReviewStatus.PERLU_PERBAIKAN in statuses,
        "request": request,
        "next_url": next_url,
    }


_EMPTY_PANEL = (
    '<section class="evidence-panel border rounded bg-white p-2 mt-2" id="evidence-panel-{pk}" '
    'data-testid="evidence-panel" data-item="{code}" aria-label="{label}">'
    '<div class="d-flex justify-content-between align-items-center flex-wrap gap-1 mb-1">'
    '<h3 class="h6 mb-0"><i class="bi bi-paperclip" aria-hidden="true"></i> {title} '
    '<span class="badge rounded-pill text-bg-light border" data-testid="evidence-count">0</span>'
    '</h3><span class="small text-muted">{none}</span></div>{actions}</section>'
)
_EMPTY_OPEN = (
    '<div class="d-flex flex-wrap align-items-center gap-2" data-testid="evidence-compact">'
    '<a class="btn btn-sm btn-outline-primary" href="{url}" hx-get="{url}?{next}" '
    'hx-target="#evidence-panel-{pk}" hx-swap="outerHTML" data-testid="evidence-open">'
    '<i class="bi bi-upload" aria-hidden="true"></i> {open}</a>{hints}</div>'
)
_EMPTY_HINTS_INLINE = (
    '<span class="small text-muted"><span class="fw-semibold">{label}</span> {hints}</span>'
)
_EMPTY_HINTS_READ = (
    '<div class="small text-muted"><span class="fw-semibold">{label}</span> {hints}</div>'
)


class EmptyPanels:
    """The compact evidence panel of an indicator with nothing attached, for the LKE page:
    the same HTML as evidence/_panel.html renders for it (tests/evidence/test_panel_empty.py
    compares them), built with format_html because a page shows up to 113 of them and the
    template took a third of the page's time. Set up once per page."""

    def __init__(self, request: HttpRequest, assessment: Assessment) -> None:
        self.assessment = assessment
        self.can_edit = can_fill(request, assessment)
        self.next_query = "next=" + urlencode(return_url(request))
        # The item URL reversed once per page (with id 0, replaced per panel), not per panel.
        self._url_prefix = reverse("evidence:item", args=[assessment.pk, 0]).removesuffix("0/")
        self.labels = {
            "title": _("Bukti dukung"),
            "none": _("Belum ada bukti."),
            "open": _("Unggah atau lampirkan bukti"),
            "hints": _("Bukti dukung yang diharapkan:"),
        }

    def html(self, item: LkeItem) -> SafeString:
        labels, hints = self.labels, item.evidence_hint_list
        if self.can_edit:
            hint_html = (
                format_html(_EMPTY_HINTS_INLINE, label=labels["hints"], hints="; ".join(hints))
                if hints
                else ""
            )
            actions = format_html(
                _EMPTY_OPEN,
                url=f"{self._url_prefix}{item.pk}/",
                next=self.next_query,
                pk=item.pk,
                open=labels["open"],
                hints=hint_html,
            )
        elif hints:
            actions = format_html(_EMPTY_HINTS_READ, label=labels["hints"], hints="; ".join(hints))
        else:
            actions = ""
        return format_html(
            _EMPTY_PANEL,
            pk=item.pk,
            code=item.code,
            label=_("Bukti dukung %(code)s") % {"code": item.code},
            title=labels["title"],
            none=labels["none"],
            actions=actions,
        )
