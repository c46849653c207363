"""产学研 on the home page (the `tiles` hook): an enterprise's and an expert's pairings waiting for them, and the
department's needs to classify and pairings to follow."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from bole.core.plugins import Line, Section

from .choices import LIVE_STATES, PairState
from .selectors import needs_to_classify, pairing_list
from .services import allowed


def mine(user) -> list[Section]:
    """我的产学研结对: live pairings of my enterprise or of me as an expert, with what waits for me."""
    if not hasattr(user, "pk") or user.pk is None:
        return []
    rows = list(pairing_list(user=user).filter(state__in=LIVE_STATES).order_by("-id")[:6])
    lines = []
    for p in rows:
        todo = allowed(user, p)
        note = p.get_state_display()
        lines.append(Line(f"{p.need.title} · {p.expert.name}", reverse("pairing-detail", args=[p.pk]), note,
                          "warn" if todo and p.state == PairState.PROPOSED else ""))
    if not lines:
        return []
    return [Section(label=_("我的产学研结对"), items=lines, url=reverse("pairing-home"), link=_("产学研"))]


def waiting(user) -> list[dict]:
    """待办 for the department: posted needs to classify, proposals not yet accepted by both sides."""
    return [
        {"label": _("技术需求待分类"), "count": needs_to_classify(user=user).count(), "url": reverse("pairing-home")},
        {"label": _("结对待双方确认"), "count": pairing_list(user=user, action="change")
         .filter(state=PairState.PROPOSED).count(), "url": reverse("pairing-pairs")},
    ]
