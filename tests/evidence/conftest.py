"""Evidence fixtures: private storage in a temporary folder, assessments, and upload helpers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from tests.evidence import files


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    """Every test stores evidence in its own empty folder (and temp uploads in another), so
    "nothing left behind" is a listing of two folders."""
    root = tmp_path / "media"
    uploads = tmp_path / "upload-tmp"
    root.mkdir()
    uploads.mkdir()
    settings.MEDIA_ROOT = root
    settings.FILE_UPLOAD_TEMP_DIR = str(uploads)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": None},
        },
    }
    return root


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture
def upload_tmp(settings) -> Path:
    return Path(settings.FILE_UPLOAD_TEMP_DIR)


@pytest.fixture
def make_assessment(world, lke_version):
    from assessments.models import Assessment

    def _make(**overrides):
        values = {"unit": world.unit, "year": 2026, "target": "WBK", "rulebook": lke_version}
        values.update(overrides)
        return Assessment.objects.create(**values)

    return _make


@pytest.fixture
def assessment(make_assessment):
    return make_assessment()


@pytest.fixture
def item(lke_version):
    """An option indicator (Ya/Tidak or A-E) of the current LKE."""
    from assessments.models import LkeItem

    return (
        LkeItem.objects.filter(version=lke_version, kind="indicator", options__isnull=False)
        .distinct()
        .order_by("order")
        .first()
    )


@pytest.fixture
def second_item(lke_version, item):
    from assessments.models import LkeItem

    return (
        LkeItem.objects.filter(version=lke_version, kind="indicator", options__isnull=False)
        .exclude(pk=item.pk)
        .distinct()
        .order_by("order")
        .first()
    )


@pytest.fixture
def upload(world):
    """upload(unit=..., name=..., data=...) -> UploadResult, through the service."""
    from evidence import services

    def _upload(*, name="laporan.pdf", data=None, unit=None, attach_to=None, by=None, **kwargs):
        content = ContentFile(files.pdf(name) if data is None else data, name=name)
        return services.upload_evidence(
            unit=unit or world.unit,
            upload=content,
            by=by or world.users["unit_team"],
            document_date=kwargs.pop("document_date", dt.date(2026, 1, 5)),
            attach_to=attach_to,
            **kwargs,
        )

    return _upload
