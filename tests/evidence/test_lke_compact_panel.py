"""On the LKE page each indicator shows its evidence compactly; the upload tools come on demand."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_lke_page_shows_compact_panels_and_the_tools_load_on_demand(client_for, world, lke_version):
    from assessments.models import Assessment, LkeItem

    assessment = Assessment.objects.create(
        unit=world.unit, year=2026, target="WBK", rulebook=lke_version
    )
    client = client_for("unit_team")
    page = client.get(reverse("assessments:lke", args=[assessment.pk])).content.decode()
    assert 'data-testid="evidence-open"' in page
    assert 'data-testid="upload-input"' not in page
    item = LkeItem.objects.get(version=lke_version, code="A.I.1.i.a")
    panel = client.get(
        reverse("evidence:item", args=[assessment.pk, item.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'data-testid="upload-input"' in panel and "<html" not in panel


def test_read_only_roles_get_no_upload_button(client_for, world, lke_version):
    from assessments.models import Assessment

    assessment = Assessment.objects.create(
        unit=world.unit, year=2026, target="WBK", rulebook=lke_version
    )
    page = client_for("pimpinan").get(reverse("assessments:lke", args=[assessment.pk]))
    assert 'data-testid="evidence-open"' not in page.content.decode()
