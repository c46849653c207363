"""Scheduler hook: periodic jobs of the case engine, as (name, every_seconds, callable) for any scheduler
(cron running `bole sweep`, `bole sweep --every 3600`, or a core scheduler reading `JOBS`)."""

from __future__ import annotations


def run_sweep() -> dict[str, int]:
    """The overdue sweep as the system actor; safe to run any number of times (idempotent)."""
    from .services import case_sweep

    return case_sweep(actor=None)


JOBS = [("cases.sweep", 3600, run_sweep)]
