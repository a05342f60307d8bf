"""docker-compose.yml agrees with the settings (no Docker engine runs here, so we read it)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _settings_variables() -> set[str]:
    source = (ROOT / "zi_portal" / "settings.py").read_text()
    return set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', source))


def _env_example_variables() -> set[str]:
    names = set()
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            names.add(line.split("=", 1)[0].strip())
    return names


def test_compose_has_db_and_web_with_volumes():
    compose = _compose()
    assert set(compose["services"]) == {"db", "web"}
    assert set(compose["volumes"]) == {"db-data", "evidence-data"}
    assert "db-data:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]


def test_web_runs_gunicorn_after_migrations_and_waits_for_db():
    web = _compose()["services"]["web"]
    assert "migrate" in web["command"] and "gunicorn zi_portal.wsgi" in web["command"]
    assert web["command"].index("migrate") < web["command"].index("gunicorn")
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert web["env_file"] == ".env"


def test_evidence_volume_is_mounted_at_media_root():
    web = _compose()["services"]["web"]
    media_root = web["environment"]["MEDIA_ROOT"]
    assert f"evidence-data:{media_root}" in web["volumes"]


def test_every_settings_variable_is_documented_in_env_example():
    missing = _settings_variables() - _env_example_variables()
    assert not missing, f".env.example tidak memuat: {sorted(missing)}"


def test_env_example_has_no_unknown_variables():
    compose_only = {"POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD"}
    unknown = _env_example_variables() - _settings_variables() - compose_only
    assert not unknown, f"variabel tidak dibaca settings: {sorted(unknown)}"


def test_compose_database_url_points_at_the_db_service():
    web = _compose()["services"]["web"]
    url = web["environment"]["DATABASE_URL"]
    assert "@db:5432/" in url and url.startswith("${DATABASE_URL:-postgres://")
