"""A small fixed-window rate limit in the Django cache (per process with the default local
memory cache; shared across processes when CACHES points at a shared backend)."""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache


def client_ip(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it,
    # and trusting it would let anyone choose a fresh "IP" per request.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(scope: str, ident: str, window: int) -> str:
    """The counter of `ident` in this window. The identifier is hashed so that no IP address is
    kept in the cache in clear."""
    bucket = int(time.time() // window)
    digest = hashlib.sha256(f"{scope}|{ident}".encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}:{bucket}"


def exceeded(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """True when `ident` already had `limit` events in this window (nothing is counted)."""
    return cache.get(_key(scope, ident, window), 0) >= limit


def hit(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """Count one event; False when `ident` already had `limit` events in this window."""
    key = _key(scope, ident, window)
    if cache.add(key, 1, timeout=window + 5):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 5)
        return True
    return count <= limit
