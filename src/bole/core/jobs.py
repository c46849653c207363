"""Periodic jobs of the core: expired login sessions and old rate-limit windows are removed once a day."""

from __future__ import annotations

from .models import Session
from .ratelimit import clear_counters
from .tasks import jobs_clear, jobs_reap


def clear_sessions() -> dict[str, int]:
    """Delete the sessions whose expiry has passed (they can no longer log anyone in)."""
    from django.utils import timezone

    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return {"deleted": deleted}


def clear_rate_counters() -> dict[str, int]:
    """Delete rate-limit windows that ended days ago."""
    return clear_counters()


def reap_jobs() -> dict[str, int]:
    """Background jobs whose worker died are queued again (or failed after their last attempt)."""
    return jobs_reap()


def clear_jobs() -> dict[str, int]:
    """Ended background jobs and their files are kept 30 days."""
    return jobs_clear()

