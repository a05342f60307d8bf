"""Reading settings from the environment, failing loudly on bad values.

Every helper raises ImproperlyConfigured naming the variable, so a typo in a deployment's env
file stops start-up with a message instead of running with a silent default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on", "ya"}
_FALSE = {"0", "false", "no", "off", "tidak", ""}


def env_str(
    name: str, default: str | None = None, *, environ: Mapping[str, str] = os.environ
) -> str:
    value = environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Variabel lingkungan {name} wajib diisi.")
        return default
    return value


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] = os.environ) -> bool:
    raw = environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"Variabel lingkungan {name}={raw!r} tidak valid: gunakan true/false (atau 1/0)."
    )


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] = os.environ,
) -> int:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(
            f"Variabel lingkungan {name}={raw!r} tidak valid: harus bilangan bulat."
        ) from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"Variabel lingkungan {name}={value} harus >= {minimum}.")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"Variabel lingkungan {name}={value} harus <= {maximum}.")
    return value


def env_list(
    name: str, default: list[str], *, environ: Mapping[str, str] = os.environ
) -> list[str]:
    raw = environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_database(name: str, default: str, *, environ: Mapping[str, str] = os.environ) -> dict:
    import dj_database_url

    raw = environ.get(name) or default
    try:
        config = dj_database_url.parse(raw, conn_max_age=60)
    except Exception as exc:  # dj_database_url raises several types on bad URLs
        raise ImproperlyConfigured(f"Variabel lingkungan {name} tidak valid: {exc}") from None
    engine = config.get("ENGINE", "")
    if engine not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
        raise ImproperlyConfigured(
            f"Variabel lingkungan {name}: hanya sqlite:// dan postgres:// yang didukung."
        )
    if engine == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        # Writers queue for the lock instead of failing when two members save at once.
        config["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    return config
