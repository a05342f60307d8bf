"""Every evidence URL tried by every persona (404 outsiders, 403 read-only roles)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.evidence import files

PERSONAS = [
    "unit_team",
    "other_unit_team",
    "pimpinan_unit",
    "pimpinan",
    "tpi",
    "operator",
    "outsider_operator",
    "anonymous",
]

# url name -> (method, expected per persona in PERSONAS order)
# TPI members see the units of their instansi (unit-level pages) but only assigned
# assessments; here the TPI member is not assigned.
MATRIX = {
    "library": ("get", [200, 404, 200, 200, 200, 200, 404, 302]),
    "detail": ("get", [200, 404, 200, 200, 200, 200, 404, 302]),
    "download": ("get", [200, 404, 200, 200, 200, 200, 404, 302]),
    "preview": ("get", [200, 404, 200, 200, 200, 200, 404, 302]),
    "assessment": ("get", [200, 404, 200, 200, 404, 200, 404, 302]),
    "item": ("get", [200, 404, 200, 200, 404, 200, 404, 302]),
    "picker": ("get", [200, 404, 403, 403, 404, 403, 404, 302]),
    "item_upload": ("post", [200, 404, 403, 403, 404, 403, 404, 302]),
    "item_link": ("post", [200, 404, 403, 403, 404, 403, 404, 302]),
    "attach": ("post", [200, 404, 403, 403, 404, 403, 404, 302]),
    "detach": ("post", [200, 404, 403, 403, 404, 403, 404, 302]),
    "library_upload": ("post", [200, 404, 403, 403, 403, 403, 404, 302]),
    "library_link": ("post", [302, 404, 403, 403, 403, 403, 404, 302]),
    "replace": ("post", [200, 404, 403, 403, 403, 403, 404, 302]),
    "delete": ("post", [302, 404, 403, 403, 403, 403, 404, 302]),
}


@pytest.fixture
def objects(world, assessment, item, second_item, upload):
    first = upload(name="satu.pdf", attach_to=(assessment, item)).evidence
    spare = upload(name="dua.pdf", data=files.pdf("dua")).evidence
    attachment = first.attachments.get()
    return {"evidence": first, "spare": spare, "attachment": attachment}


def _request(client, name, world, assessment, item, second_item, objects):
    evidence, spare, attachment = objects["evidence"], objects["spare"], objects["attachment"]
    xhr = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
    date = {"document_date": "2026-01-05"}
    if name == "library":
        return client.get(reverse("evidence:library", args=[world.unit.pk]))
    if name == "detail":
        return client.get(reverse("evidence:detail", args=[evidence.pk]))
    if name == "download":
        return client.get(reverse("evidence:download", args=[evidence.pk, 1]))
    if name == "preview":
        return client.get(reverse("evidence:preview", args=[evidence.pk, 1]))
    if name == "assessment":
        return client.get(reverse("evidence:assessment", args=[assessment.pk]))
    if name == "item":
        return client.get(reverse("evidence:item", args=[assessment.pk, item.pk]))
    if name == "picker":
        return client.get(
            reverse("evidence:picker", args=[assessment.pk, item.pk]),
            {"q": "dua"},
            HTTP_HX_REQUEST="true",
        )
    if name == "item_upload":
        body, ctype = files.multipart(date, [("baru.pdf", files.pdf("baru"))])
        return client.generic(
            "POST",
            reverse("evidence:item_upload", args=[assessment.pk, second_item.pk]),
            body,
            content_type=ctype,
            **xhr,
        )
    if name == "item_link":
        return client.post(
            reverse("evidence:item_link", args=[assessment.pk, item.pk]),
            {"url": "https://contoh.go.id", "title": "Web", **date},
            **xhr,
        )
    if name == "attach":
        return client.post(
            reverse("evidence:attach", args=[assessment.pk, item.pk]), {"evidence": spare.pk}, **xhr
        )
    if name == "detach":
        return client.post(reverse("evidence:detach", args=[attachment.pk]), **xhr)
    if name == "library_upload":
        body, ctype = files.multipart(date, [("pustaka.pdf", files.pdf("pustaka"))])
        return client.generic(
            "POST",
            reverse("evidence:library_upload", args=[world.unit.pk]),
            body,
            content_type=ctype,
            **xhr,
        )
    if name == "library_link":
        return client.post(
            reverse("evidence:library_link", args=[world.unit.pk]),
            {"url": "https://contoh.go.id/a", "title": "Web", **date},
        )
    if name == "replace":
        body, ctype = files.multipart({}, [("satu-v2.pdf", files.pdf("v2"))])
        return client.generic(
            "POST", reverse("evidence:replace", args=[evidence.pk]), body, content_type=ctype, **xhr
        )
    if name == "delete":
        return client.post(reverse("evidence:delete", args=[spare.pk]))
    raise AssertionError(name)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_every_persona_gets_the_expected_answer(
    name, client_for, world, assessment, item, second_item, objects
):
    _method, expected = MATRIX[name]
    got = {}
    # the unit team last: its successful mutation (detach, delete) must not hide the others'
    for persona in [*PERSONAS[1:], PERSONAS[0]]:
        client = client_for(persona)
        got[persona] = _request(
            client, name, world, assessment, item, second_item, objects
        ).status_code
    assert got == dict(zip(PERSONAS, expected, strict=True))


def test_assigned_tpi_sees_the_assessment_but_cannot_change_evidence(
    client_for, world, assessment, item, objects
):
    from assessments.models import Assignment

    Assignment.objects.create(assessment=assessment, evaluator=world.users["tpi"])
    client = client_for("tpi")
    assert client.get(reverse("evidence:item", args=[assessment.pk, item.pk])).status_code == 200
    assert (
        client.post(reverse("evidence:detach", args=[objects["attachment"].pk])).status_code == 403
    )


def test_outsider_guessing_evidence_urls_gets_404_for_real_and_missing_ids(
    client_for, world, upload
):
    foreign = upload(
        unit=world.foreign_unit, name="rahasia.pdf", data=files.pdf("rahasia")
    ).evidence
    client = client_for("unit_team")
    for url in (
        reverse("evidence:download", args=[foreign.pk, 1]),
        reverse("evidence:preview", args=[foreign.pk, 1]),
        reverse("evidence:detail", args=[foreign.pk]),
        reverse("evidence:download", args=[foreign.pk + 1000, 1]),
        reverse("evidence:download", args=[foreign.pk, 99]),
        reverse("evidence:library", args=[world.foreign_unit.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"rahasia" not in response.content


def test_attaching_another_units_evidence_by_id_is_not_found(
    client_for, world, assessment, item, upload
):
    foreign = upload(unit=world.other_unit, name="lain.pdf", data=files.pdf("lain")).evidence
    response = client_for("unit_team").post(
        reverse("evidence:attach", args=[assessment.pk, item.pk]), {"evidence": foreign.pk}
    )
    assert response.status_code == 404
    assert not foreign.attachments.exists()
