"""Uploading through the views: several files at once, hostile files and names, size cap,
duplicates, closed assessments, and nothing left behind when anything fails."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from evidence.models import Attachment, Evidence, EvidenceRevision
from tests.evidence import files
from tests.evidence.conftest import stored_files

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
DATE = {"document_date": "2026-01-05"}


def _post(client, url, file_list, fields=None, **extra):
    body, content_type = files.multipart({**DATE, **(fields or {})}, file_list)
    return client.generic("POST", url, body, content_type=content_type, **extra)


def _nothing_left(media, upload_tmp):
    assert Evidence.objects.count() == 0
    assert EvidenceRevision.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert stored_files(media) == []
    assert list(upload_tmp.iterdir()) == []


@pytest.fixture
def url(assessment, item):
    return reverse("evidence:item_upload", args=[assessment.pk, item.pk])


@pytest.fixture
def team(client_for):
    return client_for("unit_team")


def test_unit_team_uploads_two_pdfs_to_one_indicator(team, url, media, upload_tmp, item, world):
    response = _post(
        team, url, [("SK Tim.pdf", files.pdf("a")), ("Rencana.pdf", files.pdf("b"))], **XHR
    )
    assert response.status_code == 200
    data = response.json()
    assert [r["status"] for r in data["results"]] == ["ok", "ok"]
    assert "evidence-panel-" in data["panel"] and "SK Tim" in data["panel"]
    assert Attachment.objects.filter(item=item).count() == 2
    revisions = list(EvidenceRevision.objects.order_by("original_name"))
    assert [r.original_name for r in revisions] == ["Rencana.pdf", "SK Tim.pdf"]
    for revision in revisions:
        assert revision.content_type == "application/pdf"
        assert len(revision.sha256) == 64 and revision.size > 0
        assert revision.uploaded_by == world.users["unit_team"]
        # generated names, in the unit's folder, never the user's name
        assert revision.storage_name.startswith(f"evidence/unit-{world.unit.pk}/")
        assert "SK" not in revision.storage_name and revision.storage_name.endswith(".pdf")
    assert len(stored_files(media)) == 2
    assert list(upload_tmp.iterdir()) == []


def test_plain_form_upload_redirects_back_with_a_message(team, url, assessment, item):
    response = _post(team, url + "?next=/penilaian/", [("a.pdf", files.pdf())])
    assert response.status_code == 302 and response["Location"] == "/penilaian/"
    response = _post(team, url + "?next=https://jahat.example/", [("b.pdf", files.pdf("b"))])
    assert response["Location"] == reverse("evidence:item", args=[assessment.pk, item.pk])
    page = team.get(response["Location"])
    assert "tersimpan" in page.content.decode()


@pytest.mark.parametrize("name", sorted(files.HOSTILE))
def test_hostile_file_is_refused_and_leaves_nothing(team, url, media, upload_tmp, name):
    data, word = files.HOSTILE[name]
    response = _post(team, url, [(name, data)], **XHR)
    assert response.status_code == 400
    result = response.json()["results"][0]
    assert result["status"] == "error" and word.lower() in result["message"].lower()
    _nothing_left(media, upload_tmp)


@pytest.mark.parametrize("raw", sorted(files.HOSTILE_NAMES))
def test_hostile_file_name_is_refused_not_renamed(team, url, media, upload_tmp, raw):
    response = _post(team, url, [(raw, files.pdf())], **XHR)
    assert response.status_code == 400
    assert files.HOSTILE_NAMES[raw] in response.json()["results"][0]["message"]
    _nothing_left(media, upload_tmp)


def test_one_bad_file_does_not_stop_the_good_one(team, url, media):
    response = _post(
        team,
        url,
        [("baik.pdf", files.pdf()), ("jahat.pdf", files.HOSTILE["program.pdf"][0])],
        **XHR,
    )
    assert [r["status"] for r in response.json()["results"]] == ["ok", "error"]
    assert Evidence.objects.count() == 1 and len(stored_files(media)) == 1


def test_file_over_the_cap_is_stopped_while_streaming(team, url, media, upload_tmp, settings):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    big = files.pdf() + b"%" + b"0" * (1024 * 1024 + 10)
    response = _post(team, url, [("besar.pdf", big)], **XHR)
    assert response.status_code == 400
    message = response.json()["results"][0]["message"]
    assert "besar.pdf" in message and "1 MB" in message
    _nothing_left(media, upload_tmp)


def test_a_body_larger_than_any_valid_upload_is_refused_unread(
    team, url, media, upload_tmp, settings
):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    body, content_type = files.multipart(DATE, [("a.pdf", files.pdf() + b"0" * (22 * 1024 * 1024))])
    response = team.generic("POST", url, body, content_type=content_type, **XHR)
    assert response.status_code == 413
    _nothing_left(media, upload_tmp)


def test_empty_request_asks_for_files(team, url):
    response = _post(team, url, [], **XHR)
    assert response.status_code == 400
    assert "Pilih" in response.json()["results"][0]["message"]


def test_document_date_is_required(team, url, media):
    body, content_type = files.multipart({}, [("a.pdf", files.pdf())])
    response = team.generic("POST", url, body, content_type=content_type, **XHR)
    assert response.status_code == 400
    assert "Tanggal dokumen" in response.json()["results"][0]["message"]
    assert stored_files(media) == []


def test_upload_to_a_submitted_assessment_is_refused(
    team, make_assessment, item, media, upload_tmp
):
    submitted = make_assessment(year=2025, status="submitted")
    url = reverse("evidence:item_upload", args=[submitted.pk, item.pk])
    response = _post(team, url, [("a.pdf", files.pdf())], **XHR)
    assert response.status_code == 409
    assert "Dikirim ke TPI" in response.json()["results"][0]["message"]
    _nothing_left(media, upload_tmp)


def test_upload_to_another_units_assessment_is_not_found(client_for, url, media, upload_tmp):
    response = _post(client_for("other_unit_team"), url, [("a.pdf", files.pdf())], **XHR)
    assert response.status_code == 404
    _nothing_left(media, upload_tmp)


def test_item_of_another_rulebook_version_is_not_found(team, assessment, media):
    from assessments.models import LkeItem

    foreign = LkeItem.objects.exclude(version=assessment.rulebook).filter(kind="indicator").first()
    url = reverse("evidence:item_upload", args=[assessment.pk, foreign.pk])
    assert _post(team, url, [("a.pdf", files.pdf())]).status_code == 404


def test_same_file_again_offers_the_existing_item(team, url, assessment, second_item, media):
    _post(team, url, [("asli.pdf", files.pdf("sama"))], **XHR)
    original = Evidence.objects.get()
    other_url = reverse("evidence:item_upload", args=[assessment.pk, second_item.pk])
    response = _post(team, other_url, [("salinan.pdf", files.pdf("sama"))], **XHR)
    result = response.json()["results"][0]
    assert result["status"] == "duplicate" and result["evidence"] == original.pk
    assert "sudah ada" in result["message"]
    assert Evidence.objects.count() == 1 and len(stored_files(media)) == 1
    # the offer: attach the existing item instead
    attach = team.post(result["attach_url"], {"evidence": original.pk}, **XHR)
    assert attach.json()["results"][0]["status"] == "ok"
    assert set(original.attachments.values_list("item_id", flat=True)) == {
        Attachment.objects.first().item_id,
        second_item.pk,
    }


def test_same_file_on_the_same_indicator_says_it_is_attached_already(team, url):
    _post(team, url, [("asli.pdf", files.pdf("sama"))], **XHR)
    result = _post(team, url, [("lagi.pdf", files.pdf("sama"))], **XHR).json()["results"][0]
    assert result["status"] == "duplicate" and "sudah dilampirkan" in result["message"]
    assert "attach_url" not in result


def test_interrupted_upload_leaves_nothing(team, url, media, upload_tmp):
    body, content_type = files.multipart(DATE, [("a.pdf", files.pdf() + b"0" * 300_000)])
    truncated = body[: len(body) // 2]
    response = team.generic("POST", url, truncated, content_type=content_type, **XHR)
    assert response.status_code in {400, 200}
    _nothing_left(media, upload_tmp)


def test_storage_failure_while_writing_leaves_nothing(team, url, media, upload_tmp, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    original = FileSystemStorage._save

    def broken(self, name, content):
        # write half of the file, then fail like a full disk
        path = self.path(name)
        import os

        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(b"%PDF-1.4 partial")
        raise OSError("disk penuh")

    monkeypatch.setattr(FileSystemStorage, "_save", broken)
    with pytest.raises(OSError):
        _post(team, url, [("a.pdf", files.pdf())], **XHR)
    monkeypatch.setattr(FileSystemStorage, "_save", original)
    _nothing_left(media, upload_tmp)


def test_database_failure_after_storing_removes_the_file(team, url, media, upload_tmp, monkeypatch):
    from evidence import services

    def broken(*args, **kwargs):
        raise RuntimeError("basis data putus")

    monkeypatch.setattr(services, "_new_revision", broken)
    with pytest.raises(RuntimeError):
        _post(team, url, [("a.pdf", files.pdf())], **XHR)
    _nothing_left(media, upload_tmp)


def test_upload_is_csrf_protected(world, url, media):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["unit_team"])
    response = _post(client, url, [("a.pdf", files.pdf())], **XHR)
    assert response.status_code == 403
    assert stored_files(media) == []


def test_unit_team_adds_a_link_but_not_javascript(team, assessment, item):
    url = reverse("evidence:item_link", args=[assessment.pk, item.pk])
    bad = team.post(url, {"url": "javascript:alert(1)", "title": "x", **DATE}, **XHR)
    assert bad.status_code == 400
    assert "http" in json.dumps(bad.json())
    good = team.post(
        url, {"url": "https://youtu.be/abc", "title": "Video sosialisasi", **DATE}, **XHR
    )
    assert good.status_code == 200
    evidence = Evidence.objects.get()
    assert evidence.kind == "link" and evidence.attachments.get().item == item
