"""The context of one indicator's evidence panel (used by the LKE page's include, the
indicator page and the panel endpoints)."""

from __future__ import annotations

from django.http import HttpRequest

from assessments.models import Assessment, LkeItem
from evidence.forms import LinkForm, UploadForm
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
    # Where plain (no-JavaScript) forms come back to: the page showing the panel.
    if request.method == "GET" and not request.htmx:
        next_url = request.get_full_path()
    else:
        next_url = request.GET.get("next", "")
    first_script = not request.__dict__.get("_evidence_script_included", False)
    request._evidence_script_included = True
    statuses = [a.status for a in attachments]
    return {
        "assessment": assessment,
        "item": item,
        "attachments": attachments,
        "hints": [h for h in (item.evidence_hints or []) if isinstance(h, str) and h.strip()],
        "can_edit": can_fill(request, assessment),
        "notices": list(notices),
        "accept": ACCEPT_ATTRIBUTE,
        "max_bytes": max_upload_bytes(),
        "upload_form": UploadForm(prefix=f"ev{item.pk}"),
        "link_form": LinkForm(prefix=f"evl{item.pk}"),
        "include_script": first_script,
        # On the LKE page every indicator shows its evidence and statuses, but the upload tools
        # are fetched on demand: 113 full upload forms made the page ~3x slower to render.
        "compact": compact,
        "has_acceptable": any(s != ReviewStatus.PERLU_PERBAIKAN for s in statuses),
        "has_flagged": ReviewStatus.PERLU_PERBAIKAN in statuses,
        "request": request,
        "next_url": next_url,
    }
