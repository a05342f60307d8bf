"""Uploads as a browser sends them: with CSRF enforced (the test client skips it by default)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.evidence import files

pytestmark = pytest.mark.django_db


def test_plain_form_uploads_pass_the_csrf_check(world, lke_version):
    from assessments.models import Assessment, LkeItem
    from evidence.models import Evidence

    assessment = Assessment.objects.create(
        unit=world.unit, year=2026, target="WBK", rulebook=lke_version
    )
    item = LkeItem.objects.filter(version=lke_version, kind="indicator").first()
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["unit_team"])
    page = client.get(reverse("evidence:item", args=[assessment.pk, item.pk]))
    token = page.cookies["csrftoken"].value

    def upload(url, name, content):
        return client.post(
            url,
            {
                "csrfmiddlewaretoken": token,
                "files": SimpleUploadedFile(name, content, content_type="application/pdf"),
                "document_date": "2026-01-02",
            },
        )

    assert (
        upload(
            reverse("evidence:item_upload", args=[assessment.pk, item.pk]), "a.pdf", files.pdf()
        ).status_code
        == 302
    )
    assert (
        upload(
            reverse("evidence:library_upload", args=[world.unit.pk]), "b.pdf", files.pdf("lain")
        ).status_code
        == 302
    )
    first = Evidence.objects.filter(unit=world.unit).order_by("pk").first()
    assert (
        upload(reverse("evidence:replace", args=[first.pk]), "c.pdf", files.pdf("baru")).status_code
        == 302
    )
    assert Evidence.objects.filter(unit=world.unit).count() == 2
    assert first.revisions.count() == 2


def test_upload_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["unit_team"])
    response = client.post(
        reverse("evidence:library_upload", args=[world.unit.pk]),
        {"files": SimpleUploadedFile("a.pdf", files.pdf(), content_type="application/pdf")},
    )
    assert response.status_code == 403
