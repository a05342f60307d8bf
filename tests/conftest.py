"""Shared fixtures: the personas every protected page is tried with."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

os.environ.setdefault("DEBUG", "true")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI (ZI_FAIL_ON_SKIP=1) a skipped test fails the run: nothing is silently skipped."""
    if os.environ.get("ZI_FAIL_ON_SKIP") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(
            f"CI GAGAL: {len(skipped)} tes dilewati (skipped); di CI tidak ada tes yang boleh dilewati.",
            red=True,
        )
        for report in skipped:
            reporter.write_line(f"  dilewati: {report.nodeid} - {report.longrepr}")
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _indonesian_by_default():
    """Each test starts in the portal's default language, whatever a previous request chose."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _private_storage_in_tmp(settings, tmp_path_factory) -> None:
    """No test writes into the developer's var/media (seed_demo stores demo PDFs)."""
    root = tmp_path_factory.mktemp("media")
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": None},
        },
    }


@dataclass
class World:
    """A small organisation: two units of one instansi, one unit of another instansi."""

    instansi: object
    other_instansi: object
    unit: object
    other_unit: object
    foreign_unit: object
    users: dict


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


def make_world() -> World:
    from django.contrib.auth import get_user_model

    from organizations.models import Instansi, Membership, Role, UnitKerja

    User = get_user_model()
    instansi = Instansi.objects.create(name="Instansi Uji", kind=Instansi.Kind.KEMENTERIAN_LEMBAGA)
    other = Instansi.objects.create(name="Pemda Lain", kind=Instansi.Kind.PEMERINTAH_DAERAH)
    unit = UnitKerja.objects.create(instansi=instansi, code="U1", name="Unit Satu")
    other_unit = UnitKerja.objects.create(instansi=instansi, code="U2", name="Unit Dua")
    foreign_unit = UnitKerja.objects.create(instansi=other, code="X1", name="Unit Lain")

    def user(username: str, role: str | None, *, unit=None, inst=instansi, staff=False):
        u = User.objects.create_user(
            username, f"{username}@uji.go.id", "pw-uji-123", is_staff=staff
        )
        if role:
            Membership.objects.create(user=u, instansi=inst, unit=unit, role=role)
        return u

    users = {
        "unit_team": user("tim", Role.TIM_UNIT, unit=unit),
        "other_unit_team": user("tim2", Role.TIM_UNIT, unit=other_unit),
        "pimpinan_unit": user("kepala", Role.PIMPINAN_UNIT, unit=unit),
        "pimpinan": user("pimpinan", Role.PIMPINAN_INSTANSI),
        "tpi": user("penilai", Role.TPI, staff=True),
        "operator": user("operator", Role.OPERATOR, staff=True),
        "outsider_operator": user("operator2", Role.OPERATOR, inst=other, staff=True),
        "no_role": user("tanpaperan", None),
    }
    return World(instansi, other, unit, other_unit, foreign_unit, users)


@pytest.fixture
def world(db) -> World:
    return make_world()


@pytest.fixture
def client_for(client, world):
    """client_for("unit_team") -> a test client logged in as that persona (or anonymous)."""

    def _login(persona: str):
        client.logout()
        if persona != "anonymous":
            client.force_login(world.users[persona])
        return client

    return _login


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database gets the project's rulebooks once, as `make run` does."""
    with django_db_blocker.unblock():
        from assessments.rulebooks import load_rulebooks

        load_rulebooks()


@pytest.fixture
def lke_version(db):
    from assessments.models import RulebookVersion

    return RulebookVersion.objects.current("lke")
