"""The library page (filters, total storage, query count), item and assessment pages, and the
download and preview responses."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from assessments.models import LkeItem
from evidence import services
from evidence.models import ReviewStatus
from tests.evidence import files


@pytest.fixture
def library_world(make_assessment, lke_version, upload, world):
    draft = make_assessment(year=2026)
    old = make_assessment(year=2025)
    items = list(
        LkeItem.objects.filter(version=lke_version, kind="indicator").order_by("order")[:12]
    )
    made = []
    for index, item in enumerate(items):
        result = upload(
            name=f"bukti-{index}.pdf",
            data=files.pdf(f"bukti {index}"),
            attach_to=(draft if index % 2 else old, item),
        )
        made.append(result)
    upload(name="tidak-dipakai.pdf", data=files.pdf("unused"))
    services.set_review_status(attachment=made[0].attachment, status=ReviewStatus.DITERIMA, by=None)
    services.set_review_status(
        attachment=made[1].attachment, status=ReviewStatus.PERLU_PERBAIKAN, note="Perbaiki", by=None
    )
    return {"draft": draft, "old": old, "items": items, "made": made}


def _library(client, world, **params):
    return client.get(reverse("evidence:library", args=[world.unit.pk]), params)


def test_library_lists_every_item_with_its_use_and_total_storage(client_for, world, library_world):
    response = _library(client_for("unit_team"), world)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('data-testid="library-row"') == 13
    assert "Belum dipakai" in page
    total = services.unit_storage_bytes(world.unit)
    assert total > 0
    from django.template.defaultfilters import filesizeformat

    assert str(filesizeformat(total)) in page


def test_library_filters(client_for, world, library_world):
    client = client_for("unit_team")
    unused = _library(client, world, unused="on").content.decode()
    assert unused.count('data-testid="library-row"') == 1 and "tidak-dipakai" in unused
    flagged = _library(client, world, status="perlu_perbaikan").content.decode()
    assert flagged.count('data-testid="library-row"') == 1 and "Perbaiki" not in flagged
    area = library_world["items"][0].area.key
    expected = sum(1 for i in library_world["items"] if i.area.key == area)
    by_area = _library(client, world, area=area).content.decode()
    assert by_area.count('data-testid="library-row"') == expected


def test_library_query_count_does_not_grow_with_items(
    client_for, world, library_world, django_assert_max_num_queries, upload
):
    client = client_for("unit_team")
    _library(client, world)  # warm the session
    with django_assert_max_num_queries(9):
        _library(client, world)
    for index in range(10):
        upload(
            name=f"lagi-{index}.pdf",
            data=files.pdf(f"lagi {index}"),
            attach_to=(library_world["draft"], library_world["items"][index]),
        )
    with django_assert_max_num_queries(9):
        _library(client, world)


def test_assessment_page_counts_per_area_and_links_missing_evidence(
    client_for, world, library_world
):
    from assessments.models import Answer

    draft = library_world["draft"]
    missing = LkeItem.objects.get(version=draft.rulebook, code="A.I.1.i.b")
    Answer.objects.create(
        assessment=draft,
        item=LkeItem.objects.get(version=draft.rulebook, code="A.I.2.i.a"),
        value="A",
    )
    client = client_for("unit_team")
    page = client.get(reverse("evidence:assessment", args=[draft.pk])).content.decode()
    assert 'data-testid="missing-evidence"' in page
    assert (
        reverse(
            "evidence:item",
            args=[draft.pk, LkeItem.objects.get(version=draft.rulebook, code="A.I.2.i.a").pk],
        )
        in page
    )
    assert "Perlu perbaikan 1" in page
    assert missing.code in page


def test_item_page_shows_hints_as_a_checklist(client_for, assessment, item):
    item.evidence_hints = ["SK Tim Kerja", "Notulen rapat pembentukan"]
    item.save(update_fields=["evidence_hints"])
    page = (
        client_for("unit_team")
        .get(reverse("evidence:item", args=[assessment.pk, item.pk]))
        .content.decode()
    )
    assert 'data-testid="evidence-hints"' in page and "Notulen rapat pembentukan" in page


def test_item_page_is_read_only_for_the_pimpinan(client_for, assessment, item, upload):
    upload(attach_to=(assessment, item))
    page = (
        client_for("pimpinan")
        .get(reverse("evidence:item", args=[assessment.pk, item.pk]))
        .content.decode()
    )
    assert 'data-testid="evidence-item"' in page
    assert 'data-testid="upload-input"' not in page and 'data-testid="detach"' not in page


def test_panel_on_a_page_costs_no_query_per_indicator(
    rf, world, assessment, lke_version, upload, django_assert_max_num_queries
):
    from django.template import Context, Template

    items = list(
        LkeItem.objects.filter(version=lke_version, kind="indicator").order_by("order")[:20]
    )
    for index, item in enumerate(items[:5]):
        upload(name=f"{index}.pdf", data=files.pdf(str(index)), attach_to=(assessment, item))
    request = rf.get("/penilaian/")
    request.user = world.users["unit_team"]
    request.htmx = False
    template = Template(
        '{% for item in items %}{% include "assessments/_item_evidence.html" %}{% endfor %}'
    )
    by_item = services.attachments_by_item(assessment)
    with django_assert_max_num_queries(2):
        html = template.render(
            Context(
                {
                    "items": items,
                    "assessment": assessment,
                    "evidence_by_item": by_item,
                    "request": request,
                }
            )
        )
    assert html.count('data-testid="evidence-panel"') == 20
    assert html.count('data-testid="evidence-item"') == 5
    assert html.count("evidence/upload.js") == 1


# --------------------------------------------------------------------------- files


def test_download_is_an_attachment_with_safe_headers(client_for, upload, world):
    data = files.pdf("isi")
    evidence = upload(name="Laporan “akhir”.pdf", data=data).evidence
    response = client_for("unit_team").get(reverse("evidence:download", args=[evidence.pk, 1]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=utf-8''Laporan%20%E2%80%9Cakhir%E2%80%9D.pdf" in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]


def test_preview_is_inline_and_sandboxed_for_pdf_and_images_only(client_for, upload):
    client = client_for("unit_team")
    pdf = upload(name="a.pdf").evidence
    image = upload(name="b.png", data=files.png()).evidence
    word = upload(name="c.docx", data=files.docx()).evidence
    for evidence in (pdf, image):
        response = client.get(reverse("evidence:preview", args=[evidence.pk, 1]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("inline")
        assert (
            response["Content-Security-Policy"]
            == "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
        )
        assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(reverse("evidence:preview", args=[word.pk, 1])).status_code == 404


def test_both_revisions_stay_downloadable(client_for, upload, world):
    first = files.pdf("v1")
    second = files.pdf("v2")
    evidence = upload(name="v1.pdf", data=first).evidence
    services.replace_file(
        evidence=evidence, upload=ContentFile(second, name="v2.pdf"), by=world.users["unit_team"]
    )
    client = client_for("pimpinan")
    got = [
        b"".join(client.get(reverse("evidence:download", args=[evidence.pk, n])).streaming_content)
        for n in (1, 2)
    ]
    assert got == [first, second]
    detail = client.get(reverse("evidence:detail", args=[evidence.pk])).content.decode()
    assert "v1.pdf" in detail and "v2.pdf" in detail


def test_replace_view_through_the_panel(client_for, assessment, item, upload, media):
    evidence = upload(name="v1.pdf", data=files.pdf("v1"), attach_to=(assessment, item)).evidence
    body, content_type = files.multipart(
        {"assessment": assessment.pk, "item": item.pk}, [("v2.pdf", files.pdf("v2"))]
    )
    response = client_for("unit_team").generic(
        "POST",
        reverse("evidence:replace", args=[evidence.pk]),
        body,
        content_type=content_type,
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code == 200
    assert response.json()["results"][0]["status"] == "ok"
    assert "v2.pdf" in response.json()["panel"]
    hostile, _ = files.multipart({}, [("v3.pdf", files.HOSTILE["program.pdf"][0])])
    refused = client_for("unit_team").generic(
        "POST",
        reverse("evidence:replace", args=[evidence.pk]),
        hostile,
        content_type=content_type,
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert refused.status_code == 400 and "program" in refused.json()["results"][0]["message"]
    assert evidence.revisions.count() == 2


def test_detach_keeps_the_item_in_the_library(client_for, assessment, item, upload):
    result = upload(attach_to=(assessment, item))
    response = client_for("unit_team").post(
        reverse("evidence:detach", args=[result.attachment.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "evidence-panel" in response.content.decode()
    assert not result.evidence.attachments.exists()
    assert result.evidence.revisions.count() == 1


def test_picker_searches_the_units_evidence(client_for, assessment, item, upload, world):
    upload(name="SK Tim Kerja.pdf", data=files.pdf("sk"))
    upload(name="Notulen.pdf", data=files.pdf("notulen"))
    upload(unit=world.other_unit, name="SK Unit Lain.pdf", data=files.pdf("lain"))
    response = client_for("unit_team").get(
        reverse("evidence:picker", args=[assessment.pk, item.pk]),
        {"q": "sk"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert "SK Tim Kerja" in page and "Notulen" not in page and "Unit Lain" not in page
