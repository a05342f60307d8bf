"""F-01 self-fill: typed answers, all-or-nothing saves, videos, bukti dukung through evidence."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidence.models import Evidence
from pekppp import services
from pekppp.models import AspectVideo, F01Answer, F01Attachment

pytestmark = pytest.mark.django_db


def _pdf() -> bytes:
    from evidence.demo import make_pdf

    return make_pdf("SK Standar Pelayanan", ["uji"])


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


def _post(client, ule, aspect="I", **data):
    return client.post(reverse("pekppp:f01", args=[ule.pk, aspect]), data)


def test_team_saves_typed_answers_and_a_video(pekppp, client_for):
    client = client_for("unit_team")
    response = _post(
        client,
        pekppp.ule,
        **{
            "q-1.a.Ak.q1": "Ya",
            "q-1.a.Ak.q2": "12",
            "q-1.a.Ak.q3": "7,5",
            "q-2.a.P.q2": ["Pengguna layanan", "Media massa"],
            "q-3.a.T.q2": "Hanya sebagian",
            "video_url": "https://youtu.be/abc123",
            "video_min": "4",
            "video_sec": "59",
        },
    )
    assert response.status_code == 302
    values = dict(F01Answer.objects.values_list("question_code", "value"))
    assert values == {
        "1.a.Ak.q1": "Ya",
        "1.a.Ak.q2": "12",
        "1.a.Ak.q3": "7.5",
        "2.a.P.q2": ["Pengguna layanan", "Media massa"],
        "3.a.T.q2": "Hanya sebagian",
    }
    video = AspectVideo.objects.get()
    assert (video.url, video.duration_seconds) == ("https://youtu.be/abc123", 299)
    page = client.get(reverse("pekppp:f01", args=[pekppp.ule.pk, "I"])).content.decode()
    assert 'value="7,5"' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("q-1.a.Ak.q2", "-3", "tidak boleh negatif"),
        ("q-1.a.Ak.q2", "dua belas", "harus berupa angka"),
        ("q-1.a.Ak.q2", "1e999999", "terlalu besar"),
        ("q-1.a.Ak.q2", "1,234", "dua angka di belakang koma"),
        ("q-1.a.Ak.q2", "NaN", "harus berupa angka"),
        ("q-1.a.Ak.q1", "Mungkin", "pilih Ya atau Tidak"),
        ("q-3.a.T.q2", "Lainnya", "pilihan tidak dikenal"),
    ],
)
def test_bad_answers_are_refused_and_nothing_of_the_aspect_is_saved(
    pekppp, client_for, field, value, message
):
    client = client_for("unit_team")
    response = _post(client, pekppp.ule, **{"q-1.a.Ak.q6": "Ya", field: value})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "belum ada yang disimpan" in html
    assert not F01Answer.objects.exists()


@pytest.mark.parametrize(
    ("url", "minutes", "seconds", "message"),
    [
        ("https://youtu.be/x", "5", "1", "paling lama 5 menit"),
        ("https://youtu.be/x", "12", "0", "paling lama 5 menit"),
        ("javascript:alert(1)", "3", "0", "diawali http:// atau https://"),
        ("ftp://files.example/x.mp4", "3", "0", "diawali http:// atau https://"),
        ("youtu.be/x", "3", "0", "diawali http:// atau https://"),
        ("https://youtu.be/x", "", "", "Isi durasi video"),
        ("https://youtu.be/x", "-1", "0", "menit (bilangan bulat)"),
        ("https://youtu.be/x", "3", "75", "detik (0-59)"),
    ],
)
def test_bad_videos_are_refused(pekppp, client_for, url, minutes, seconds, message):
    response = _post(
        client_for("unit_team"),
        pekppp.ule,
        **{"q-1.a.Ak.q1": "Ya", "video_url": url, "video_min": minutes, "video_sec": seconds},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AspectVideo.objects.exists() and not F01Answer.objects.exists()


def test_a_five_minute_video_is_accepted_and_blank_removes_it(pekppp, client_for):
    client = client_for("unit_team")
    _post(client, pekppp.ule, video_url="http://video.contoh.go.id/a", video_min="5", video_sec="0")
    assert AspectVideo.objects.get().duration_seconds == 300
    _post(client, pekppp.ule, video_url="", video_min="", video_sec="")
    assert not AspectVideo.objects.exists()


def test_clearing_an_answer_removes_it(pekppp, client_for):
    client = client_for("unit_team")
    _post(client, pekppp.ule, **{"q-1.a.Ak.q2": "3"})
    _post(client, pekppp.ule, **{"q-1.a.Ak.q2": ""})
    assert not F01Answer.objects.exists()


def test_unknown_aspect_is_404(pekppp, client_for):
    assert (
        client_for("unit_team").get(reverse("pekppp:f01", args=[pekppp.ule.pk, "IX"])).status_code
        == 404
    )


def test_evaluator_and_pimpinan_read_f01_but_cannot_post(pekppp, client_for):
    for persona in ("evaluator_assigned", "pimpinan", "operator"):
        client = client_for(persona)
        assert client.get(reverse("pekppp:f01", args=[pekppp.ule.pk, "I"])).status_code == 200
        assert _post(client, pekppp.ule, **{"q-1.a.Ak.q1": "Ya"}).status_code == 403


def test_evidence_upload_goes_through_the_evidence_app(pekppp, client_for, media, world):
    client = client_for("unit_team")
    url = reverse("pekppp:f01_upload", args=[pekppp.ule.pk, "I", "1.a.Ak"])
    hint = pekppp.indicators["1.a.Ak"].evidence_hints[1]
    upload = SimpleUploadedFile("sk-sp.pdf", _pdf(), content_type="application/pdf")
    response = client.post(
        url, {"files": upload, "document_date": "2026-02-01", "hint": hint}, follow=True
    )
    assert "dilampirkan pada indikator 1.a.Ak" in response.content.decode()
    attachment = F01Attachment.objects.get()
    assert attachment.hint == hint and attachment.evidence.unit == world.unit
    revision = attachment.evidence.current_revision
    assert len(revision.sha256) == 64
    # The checklist shows the expected document as provided; the evaluator downloads it
    # through the evidence app's permission-checked view.
    html = client.get(reverse("pekppp:f01", args=[pekppp.ule.pk, "I"])).content.decode()
    assert "bi-check-square-fill" in html
    download = reverse("evidence:download", args=[attachment.evidence.pk, revision.number])
    assert download in html
    response = client_for("evaluator_assigned").get(download)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert client_for("other_unit_team").get(download).status_code == 404


def test_a_fake_pdf_is_refused_by_the_evidence_validators(pekppp, client_for, media):
    url = reverse("pekppp:f01_upload", args=[pekppp.ule.pk, "I", "1.a.Ak"])
    upload = SimpleUploadedFile(
        "sk.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf"
    )
    response = client_for("unit_team").post(
        url, {"files": upload, "document_date": "2026-02-01"}, follow=True
    )
    assert response.status_code == 200
    assert not F01Attachment.objects.exists() and not Evidence.objects.exists()
    assert list(media.rglob("*.pdf")) == []


def test_same_file_twice_reuses_the_library_item(pekppp, client_for, media, world):
    services.attach_f01_upload(
        ule=pekppp.ule,
        indicator=pekppp.indicators["1.a.Ak"],
        upload=SimpleUploadedFile("a.pdf", _pdf()),
        document_date=__import__("datetime").date(2026, 2, 1),
        by=world.users["unit_team"],
    )
    _attachment, reused = services.attach_f01_upload(
        ule=pekppp.ule,
        indicator=pekppp.indicators["2.a.P"],
        upload=SimpleUploadedFile("b.pdf", _pdf()),
        document_date=__import__("datetime").date(2026, 2, 1),
        by=world.users["unit_team"],
    )
    assert reused and Evidence.objects.count() == 1 and F01Attachment.objects.count() == 2
    with pytest.raises(services.PekpppError, match="sudah dilampirkan"):
        services.attach_f01_upload(
            ule=pekppp.ule,
            indicator=pekppp.indicators["2.a.P"],
            upload=SimpleUploadedFile("c.pdf", _pdf()),
            document_date=__import__("datetime").date(2026, 2, 1),
            by=world.users["unit_team"],
        )


def test_detaching_keeps_the_library_item(pekppp, client_for, media, world):
    attachment, _ = services.attach_f01_upload(
        ule=pekppp.ule,
        indicator=pekppp.indicators["1.a.Ak"],
        upload=SimpleUploadedFile("a.pdf", _pdf()),
        document_date=__import__("datetime").date(2026, 2, 1),
        by=world.users["unit_team"],
    )
    client = client_for("unit_team")
    client.post(reverse("pekppp:f01_detach", args=[pekppp.ule.pk, attachment.pk]))
    assert not F01Attachment.objects.exists() and Evidence.objects.count() == 1
    assert (
        client_for("other_unit_team")
        .post(reverse("pekppp:f01_detach", args=[pekppp.ule.pk, 1]))
        .status_code
        == 404
    )


def test_uploads_check_csrf_after_installing_the_evidence_handler(pekppp, media, world):
    """As a browser posts it: with CSRF enforced (the test client skips it by default)."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["unit_team"])
    page = client.get(reverse("pekppp:f01", args=[pekppp.ule.pk, "I"]))
    token = page.cookies["csrftoken"].value
    url = reverse("pekppp:f01_upload", args=[pekppp.ule.pk, "I", "1.a.Ak"])
    data = {"document_date": "2026-02-01"}
    refused = client.post(url, {**data, "files": SimpleUploadedFile("a.pdf", _pdf())})
    assert refused.status_code == 403 and not Evidence.objects.exists()
    accepted = client.post(
        url, {**data, "files": SimpleUploadedFile("a.pdf", _pdf()), "csrfmiddlewaretoken": token}
    )
    assert accepted.status_code == 302 and F01Attachment.objects.count() == 1


def test_final_snapshot_records_the_evidence_the_evaluator_saw(pekppp, media, world, score_all):
    import datetime as dt

    services.attach_f01_upload(
        ule=pekppp.ule,
        indicator=pekppp.indicators["1.a.Ak"],
        upload=SimpleUploadedFile("sk.pdf", _pdf()),
        document_date=dt.date(2026, 2, 1),
        title="SK SP",
        by=world.users["unit_team"],
    )
    score_all(pekppp.ule, 4, world.users["evaluator_assigned"])
    ule = services.finalize_f02(ule=pekppp.ule, by=world.users["evaluator_assigned"])
    [item] = ule.snapshot["evidence"]
    assert (item["indicator"], item["title"], item["revision"]) == ("1.a.Ak", "SK SP", 1)
    assert len(item["sha256"]) == 64
