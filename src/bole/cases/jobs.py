"""Periodic jobs of the case engine, declared in `CasesConfig.periodic` for the scheduler (and run by hand with
`bole sweep`)."""

from __future__ import annotations

from .services import case_sweep


def run_sweep() -> dict[str, int]:
    """The overdue sweep as the system actor; safe to run any number of times (idempotent)."""
    return case_sweep(actor=None)
