from __future__ import annotations

from django import template

from evidence.models import ReviewStatus
from evidence.panel import EmptyPanels, can_fill, claim_script, panel_context
from organizations.access import scope_of

register = template.Library()

_STATUS_CLASSES = {
    ReviewStatus.BELUM_DIREVIU: "text-bg-secondary",
    ReviewStatus.DITERIMA: "text-bg-success",
    ReviewStatus.PERLU_PERBAIKAN: "text-bg-danger",
}


@register.inclusion_tag("evidence/_panel.html", takes_context=True)
def evidence_panel(context, assessment, item, evidence_by_item=None, compact=False):
    """One indicator's evidence panel. `evidence_by_item` is what
    evidence.services.attachments_by_item(assessment) returned for the page (no query per
    indicator); without it the panel reads its own attachments."""
    attachments = None
    if isinstance(evidence_by_item, dict):
        attachments = evidence_by_item.get(item.pk, [])
    return panel_context(
        context["request"], assessment, item, attachments=attachments, compact=compact
    )


@register.simple_tag(takes_context=True)
def evidence_page_setup(context, assessment):
    """Once per LKE page: the builder of the panels of indicators with nothing attached."""
    return EmptyPanels(context["request"], assessment)


@register.filter
def empty_panel(panels: EmptyPanels, item):
    """{{ ev_page|empty_panel:item }}: the compact panel of an indicator with no evidence."""
    return panels.html(item)


@register.inclusion_tag("evidence/_script.html", takes_context=True)
def evidence_script(context, assessment):
    """The upload script, unless a panel of this page has included it already."""
    request = context["request"]
    include = can_fill(request, assessment) and claim_script(request)
    return {"include_script": include, "can_edit": include}


@register.filter
def status_class(status: str) -> str:
    return _STATUS_CLASSES.get(status, "text-bg-light")


@register.simple_tag(takes_context=True)
def evidence_nav_unit(context):
    """The unit whose library the navigation links to: the user's own unit, if exactly one."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    units = list(scope_of(request.user).unit_roles)
    return units[0] if len(units) == 1 else None


@register.simple_tag
def evidence_js_strings():
    """The upload script's texts in the user's language, as a JSON script element."""
    from django.utils.html import json_script
    from django.utils.translation import gettext as _

    return json_script(
        {
            "waiting": _("menunggu…"),
            "uploading": _("mengunggah…"),
            "checking": _("memeriksa berkas…"),
            "tooLarge": _("melebihi batas ukuran"),
            "badType": _("jenis berkas tidak diizinkan"),
            "failed": _("Unggahan gagal. Periksa koneksi lalu coba lagi."),
            "attachExisting": _("Lampirkan yang sudah ada"),
            "pickFile": _("Pilih satu atau beberapa berkas."),
        },
        "evidence-js-strings",
    )
