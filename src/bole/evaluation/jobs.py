"""Periodic jobs of the evaluation app: the ballot mixer, so queued anonymous ballots do not wait for the close
once a full batch has come in (declared in `EvaluationConfig.periodic`)."""

from __future__ import annotations

from .mixer import ballots_mix_due


def mix_ballots() -> dict[str, int]:
    """Mix every open evaluation that has at least BOLE_BALLOT_MIX_MIN ballots queued; fewer wait."""
    return ballots_mix_due()
