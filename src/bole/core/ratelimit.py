"""Rate limits for what anyone may post without a login (the stairwell QR form): fixed windows counted in the
database (`RateCounter`), so every gunicorn worker and every server sees the same count.

    LIMIT = Limit("stairwell", hits=10, seconds=3600)
    if not rate_allow(f"stairwell:{pk}", LIMIT): ...   # refuse with 429

A window admits at most `hits`; at a window's edge a client may briefly get up to twice that, which is enough to
stop a script and never blocks a resident. A hit is committed at once (its own short transaction outside a
request's), so a refused or failed post still counts.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from .models import RateCounter


@dataclass(frozen=True)
class Limit:
    """At most `hits` per `seconds` for one key."""

    name: str
    hits: int
    seconds: int


def rate_allow(key: str, limit: Limit, *, now: float | None = None) -> bool:
    """Count one hit for `key` in the current window; False when this hit is over the limit."""
    return rate_hit(key, limit, now=now) <= limit.hits


def rate_hit(key: str, limit: Limit, *, now: float | None = None) -> int:
    """Count one hit and return the window's count including it."""
    window = int((time.time() if now is None else now) // limit.seconds) * limit.seconds
    full_key = f"{limit.name}:{key}"[:150]
    counters = RateCounter.objects.filter(key=full_key, window=window)
    with transaction.atomic():
        if not counters.update(hits=F("hits") + 1):
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=full_key, window=window, hits=1)
                return 1
            except IntegrityError:  # another request created the window's row first
                counters.update(hits=F("hits") + 1)
        # The row is locked by this transaction's update: the count read is ours.
        return counters.values_list("hits", flat=True).get()


def client_address(request) -> str:
    """The client's IP address: REMOTE_ADDR, or behind BOLE_PROXY_COUNT trusted reverse proxies the address the
    nearest of them saw (X-Forwarded-For, counted from the right; what a client writes on the left is ignored)."""
    proxies = settings.BOLE_PROXY_COUNT
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies][:64]
    return request.META.get("REMOTE_ADDR", "")[:64]


def clear_counters(*, now: float | None = None, keep_seconds: int = 2 * 86400) -> dict[str, int]:
    """Delete windows that ended long ago (a daily job)."""
    cutoff = (time.time() if now is None else now) - keep_seconds
    deleted, _ = RateCounter.objects.filter(window__lt=cutoff).delete()
    return {"deleted": deleted}
