"""揭榜挂帅 on the home page (the `tiles` hook): the challenges a cadre holds with their next milestone, the
panel seats waiting for a verdict, and the publishers' applications to review and overdue milestones."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bole.core.plugins import Line, Section

from .choices import ApplicationStatus, MilestoneStatus
from .models import Challenge, ChallengeApplication, Milestone
from .permissions import policy
from .selectors import LIVE, managed_challenges, my_holdings, my_panel_seats, overdue_milestones


def my_challenges(user) -> list[Section]:
    """我的揭榜: each challenge held, with its next open milestone and its date; panel seats with verdicts due."""
    today = timezone.localdate()
    held = list(my_holdings(user=user).filter(status__in=LIVE).order_by("id")[:6])
    lines = []
    if held:
        nexts = {}
        for m in (Milestone.objects.filter(challenge__in=[c.pk for c in held])
                  .exclude(status=MilestoneStatus.ACCEPTED).order_by("due_date", "sort")):
            nexts.setdefault(m.challenge_id, m)
        for c in held:
            m = nexts.get(c.pk)
            url = reverse("challenges-detail", args=[c.pk])
            if m is None:
                lines.append(Line(c.title, url, c.get_status_display(), "ok"))
            else:
                late = m.due_date < today
                lines.append(Line(f"{c.title} · {m.title}", url,
                                  (_("已逾期（%(date)s）") if late else _("%(date)s 到期")) % {"date": f"{m.due_date:%Y-%m-%d}"},
                                  "danger" if late else ""))
    for seat in my_panel_seats(user=user):
        if seat.n_todo:
            lines.append(Line(_("验收评审：%(title)s") % {"title": seat.challenge.title},
                              reverse("evaluation-judge-event", args=[seat.evaluation_id]),
                              _("%(n)s 个节点待评") % {"n": seat.n_todo}, "warn"))
    if not lines:
        return []
    return [Section(label=_("我的揭榜挂帅"), items=lines, url=reverse("challenges-board"), link=_("揭榜挂帅"))]


def waiting(user) -> list[dict]:
    """待办 for a challenge's publishers: applications to choose from and milestones delivered for acceptance."""
    managed = managed_challenges(user=user).values("pk")
    board = reverse("challenges-board")
    return [
        {"label": _("揭榜申请待评选"), "count": ChallengeApplication.objects.filter(
            challenge__in=managed, status=ApplicationStatus.SUBMITTED).count(), "url": board},
        {"label": _("揭榜节点待验收"), "count": Milestone.objects.filter(
            challenge__in=managed, status=MilestoneStatus.SUBMITTED).count(), "url": board},
    ]


def alerts(user) -> list[dict]:
    """预警: milestones past their date in running challenges of the user's scope (as the figures count them; the
    board itself shows every county's)."""
    in_scope = policy.restrict(Challenge.objects.all(), user, "view").values("pk")
    return [{"label": _("揭榜节点逾期"), "count": overdue_milestones(user=user).filter(challenge__in=in_scope).count(),
             "url": reverse("challenges-board")}]
