"""Settings come from the environment and bad values stop start-up naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from zi_portal.lib.env import env_bool, env_database, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "-production-secret-for-tests-" + "x" * 20,
    "ALLOWED_HOSTS": "zi.example.go.id",
    "CSRF_TRUSTED_ORIGINS": "https://zi.example.go.id",
}


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    base.pop("DEBUG", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "zi_portal.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"DEBUG": "false"}, "SECRET_KEY"),
        ({"DEBUG": "barangkali"}, "DEBUG"),
        ({**PROD_ENV, "EVIDENCE_MAX_UPLOAD_MB": "dua puluh"}, "EVIDENCE_MAX_UPLOAD_MB"),
        ({**PROD_ENV, "EVIDENCE_MAX_UPLOAD_MB": "0"}, "EVIDENCE_MAX_UPLOAD_MB"),
        ({**PROD_ENV, "DATABASE_URL": "mysql://root@localhost/zi"}, "DATABASE_URL"),
        ({**PROD_ENV, "CSRF_TRUSTED_ORIGINS": "zi.example.go.id"}, "CSRF_TRUSTED_ORIGINS"),
        ({**PROD_ENV, "EMAIL_PORT": "smtp"}, "EMAIL_PORT"),
    ],
)
def test_bad_value_stops_start_up_naming_the_variable(env, variable):
    result = _run(env, "check")
    assert result.returncode != 0
    assert variable in result.stderr


def test_production_like_settings_start(tmp_path):
    result = _run({**PROD_ENV, "MEDIA_ROOT": str(tmp_path)}, "check")
    assert result.returncode == 0, result.stderr


def test_check_deploy_reports_only_tls_checks_without_tls_settings(tmp_path):
    env = {**PROD_ENV, "MEDIA_ROOT": str(tmp_path), "SECURE_COOKIES": "false"}
    result = _run(env, "check", "--deploy")
    reported = set(__import__("re").findall(r"security\.W\d{3}", result.stdout + result.stderr))
    # Only a real TLS deployment can satisfy these; the README lists them.
    assert reported <= {
        "security.W004",
        "security.W008",
        "security.W012",
        "security.W016",
        "security.W021",
    }


def test_check_deploy_is_clean_with_tls_settings(tmp_path):
    env = {
        **PROD_ENV,
        "MEDIA_ROOT": str(tmp_path),
        "SECURE_COOKIES": "true",
        "SECURE_SSL_REDIRECT": "true",
        "SECURE_HSTS_SECONDS": "31536000",
        "BEHIND_TLS_PROXY": "true",
        "SECURE_HSTS_PRELOAD": "true",
    }
    result = _run(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_env_bool_accepts_common_spellings():
    assert env_bool("X", False, environ={"X": "Ya"}) is True
    assert env_bool("X", True, environ={"X": "0"}) is False
    assert env_bool("X", True, environ={}) is True
    with pytest.raises(ImproperlyConfigured, match="X"):
        env_bool("X", True, environ={"X": "mungkin"})


def test_env_int_bounds_name_the_variable():
    assert env_int("N", 25, environ={"N": " 30 "}) == 30
    with pytest.raises(ImproperlyConfigured, match="N=0 harus >= 1"):
        env_int("N", 25, minimum=1, environ={"N": "0"})


def test_env_list_splits_and_trims():
    assert env_list("L", [], environ={"L": "a.id, b.id,,"}) == ["a.id", "b.id"]


def test_database_url_defaults_to_sqlite_and_accepts_postgres():
    assert env_database("D", "sqlite:////tmp/x.sqlite3", environ={})["ENGINE"].endswith("sqlite3")
    pg = env_database("D", "", environ={"D": "postgres://postgres@127.0.0.1:5432/postgres"})
    assert pg["ENGINE"] == "django.db.backends.postgresql"


def test_runtime_settings_are_indonesian_and_jakarta(settings):
    assert settings.LANGUAGE_CODE == "id"
    assert settings.TIME_ZONE == "Asia/Jakarta"
    assert [code for code, _ in settings.LANGUAGES] == ["id", "en"]


def test_media_root_is_private(settings):
    from django.urls import Resolver404, resolve

    with pytest.raises(Resolver404):
        resolve(f"{settings.MEDIA_URL}anything.pdf")
    assert settings.STORAGES["default"]["OPTIONS"]["base_url"] is None
    assert Path(settings.MEDIA_ROOT) != Path(settings.STATIC_ROOT)
    assert not str(settings.MEDIA_ROOT).startswith(str(ROOT / "static"))


def test_collectstatic_works_with_the_production_storage(tmp_path):
    """The manifest storage refuses missing references (e.g. a vendored file's source map)."""
    env = {**PROD_ENV, "MEDIA_ROOT": str(tmp_path / "media"), "STATIC_ROOT": str(tmp_path / "s")}
    result = _run(env, "collectstatic", "--noinput", "-v0")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "s" / "staticfiles.json").exists()
