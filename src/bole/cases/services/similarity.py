"""Possible duplicates of a new case among the desk's open and recent ones."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from bole.org.models import Enterprise

from .. import calendar as clock
from ..choices import State
from ..models import Case, Category, Desk


def _bigrams(text: str) -> set[str]:
    s = "".join(ch for ch in text if not ch.isspace())
    return {s[i: i + 2] for i in range(len(s) - 1)} or ({s} if s else set())


def text_similarity(a: str, b: str) -> float:
    """Dice coefficient of character bigrams: works for Chinese without a tokenizer."""
    x, y = _bigrams(a), _bigrams(b)
    if not x or not y:
        return 0.0
    return 2 * len(x & y) / (len(x) + len(y))


def case_find_duplicates(*, desk: Desk, text: str, category: Category | None = None, location: str = "",
                         submitter_enterprise: Enterprise | None = None, submitter_phone: str = "",
                         submitter_user=None, ref=None, exclude: Case | None = None,
                         threshold: float = 0.45, limit: int = 5) -> list[tuple[Case, float]]:
    """Open or recent cases of the same desk from the same submitter, place or category with similar text."""
    since = clock.now() - dt.timedelta(days=desk.duplicate_window_days)
    same = Q()
    if submitter_enterprise is not None:
        same |= Q(submitter_enterprise=submitter_enterprise)
    if submitter_phone:
        same |= Q(submitter_phone=submitter_phone)
    if submitter_user is not None and getattr(submitter_user, "pk", None):
        same |= Q(submitter_user=submitter_user)
    if location:
        same |= Q(location=location)
    if ref is not None:
        same |= Q(ref_type=ContentType.objects.get_for_model(ref), ref_id=ref.pk)
    if category is not None:
        same |= Q(category=category)
    if not same:
        return []
    qs = (Case.objects.filter(desk=desk, submitted_at__gte=since).filter(same)
          .exclude(state__in=[State.MERGED, State.REJECTED]).order_by("-id"))
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    scored = []
    for case in qs[:300]:
        score = text_similarity(text, f"{case.title}{case.description}")
        if score >= threshold:
            scored.append((case, round(score, 3)))
    scored.sort(key=lambda cs: -cs[1])
    return scored[:limit]
