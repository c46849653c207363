"""A contest's places from its scores: who advances from a round, and which award each finalist gets.

Pure Python; no Django. Scores are the fair scores the evaluation engine published (higher is better; None is a
contestant without a usable score, who neither advances nor wins). Ties never split: a contestant whose score
equals the last advancing (or awarded) contestant's gets the same outcome, so a place may hold more than its count.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

VERSION = "contest-places-1.0.0"


def _ordered(scores: dict[Hashable, float | None]) -> list[tuple[Hashable, float]]:
    scored = [(k, float(v)) for k, v in scores.items() if v is not None]
    # Best first; equal scores keep the caller's order (their entry order), which never decides an outcome.
    return sorted(scored, key=lambda kv: -kv[1])


def advancing(scores: dict[Hashable, float | None], n: int) -> list[Hashable]:
    """The keys that go on to the next round: the best `n` by score, and every one tied with the n-th."""
    if n <= 0:
        return []
    ordered = _ordered(scores)
    if len(ordered) <= n:
        return [k for k, _v in ordered]
    cut = ordered[n - 1][1]
    return [k for k, v in ordered if v >= cut]


def award_places(scores: dict[Hashable, float | None],
                 plan: Sequence[tuple[str, int]]) -> dict[Hashable, tuple[str, int]]:
    """Key → (award name, its order 1, 2, …) for the finalists of one track.

    `plan` lists the awards best first with their counts; a count of 0 means every remaining scored finalist (the
    usual 优秀奖/优胜奖). Awards are given down the ranking; a finalist tied with the one above gets the same award.
    Finalists past the plan's places get nothing.
    """
    ordered = _ordered(scores)
    out: dict[Hashable, tuple[str, int]] = {}
    i = 0
    last_score = 0.0
    for order, (name, count) in enumerate(plan, start=1):
        given = 0
        while i < len(ordered) and (count == 0 or given < count):
            key, last_score = ordered[i]
            out[key] = (name, order)
            given += 1
            i += 1
        # a tie with the last one given this award shares it, even past the count
        while given and i < len(ordered) and ordered[i][1] == last_score:
            out[ordered[i][0]] = (name, order)
            i += 1
    return out
