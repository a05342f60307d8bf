"""The LKE page builds the panels of indicators with nothing attached in Python
(evidence.panel.EmptyPanels) instead of rendering evidence/_panel.html 113 times: the two must
give the same HTML, for every role, with and without expected-evidence hints, in both languages."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.html import parse_html
from django.urls import reverse
from django.utils import translation

from assessments.models import LkeItem
from evidence.panel import EmptyPanels, claim_script, panel_context

pytestmark = pytest.mark.django_db


def _request(user, path="/penilaian/1/lke/area/manajemen_perubahan/?x=a b&y=/z"):
    request = RequestFactory().get(path)
    request.user = user
    request.htmx = False
    return request


def _full_template(request, assessment, item) -> str:
    claim_script(request)  # the upload script is included once per page, not in each panel
    context = panel_context(request, assessment, item, attachments=[], compact=True)
    return render_to_string("evidence/_panel.html", context, request=request)


@pytest.mark.parametrize("persona", ["unit_team", "pimpinan", "tpi"])
@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("hints", [["SK Tim Kerja", "Notulen <rapat> & daftar hadir"], []])
def test_empty_panel_equals_the_template(world, assessment, item, persona, language, hints):
    item.evidence_hints = hints
    user = world.users[persona]
    with translation.override(language):
        built = EmptyPanels(_request(user), assessment).html(item)
        rendered = _full_template(_request(user), assessment, item)
    assert parse_html(str(built)) == parse_html(rendered)
    if hints:
        assert "Notulen &lt;rapat&gt; &amp; daftar hadir" in built
    if persona == "unit_team":
        assert reverse("evidence:item", args=[assessment.pk, item.pk]) in built
    else:
        assert 'data-testid="evidence-open"' not in built


def test_lke_page_uses_the_built_panel_only_where_nothing_is_attached(
    client_for, world, assessment, lke_version, upload
):
    items = list(LkeItem.objects.filter(version=lke_version, kind="indicator").order_by("order"))
    upload(attach_to=(assessment, items[0]))
    page = client_for("unit_team").get(reverse("assessments:lke", args=[assessment.pk]))
    html = page.content.decode()
    assert html.count('data-testid="evidence-panel"') == len(
        LkeItem.objects.filter(version=lke_version).exclude(kind="input")
    )
    assert html.count('data-testid="evidence-item"') == 1  # the attached one, full template
    assert html.count("evidence/upload.js") == 1  # the upload script once per page


@pytest.mark.parametrize(("persona", "scripts"), [("unit_team", 1), ("pimpinan", 0)])
def test_upload_script_once_when_nothing_is_attached(client_for, assessment, persona, scripts):
    page = client_for(persona).get(reverse("assessments:lke", args=[assessment.pk]))
    assert page.content.decode().count("evidence/upload.js") == scripts
