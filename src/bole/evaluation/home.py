"""Evaluations on the home page (the `tiles` hook): a judge's or rater's open events with their scoring links,
and a person's own published results."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from bole.core.plugins import Line, Section

from .choices import EvaluationKind, EvaluationStatus
from .selectors import judge_seats, my_results


def my_events(user) -> list[Section]:
    """我的评分: the events open for scoring where this login sits (a challenge's sign-off panel is on the
    challenge's own line), then the person's latest published results."""
    sections = []
    seats = list(judge_seats(user=user).filter(evaluation__status=EvaluationStatus.OPEN)
                 .exclude(evaluation__kind=EvaluationKind.SIGNOFF)[:8])
    if seats:
        sections.append(Section(
            label=_("我的评分任务"),
            items=[Line(s.evaluation.name, reverse("evaluation-judge-event", args=[s.evaluation_id]),
                        _("已提交") if s.submitted_at else _("去打分"), "ok" if s.submitted_at else "warn")
                   for s in seats],
            url=reverse("evaluation-judge-home"), link=_("全部评分任务")))
    results = list(my_results(user=user).order_by("-result__computed_at")[:3])
    if results:
        sections.append(Section(
            label=_("我的测评结果"),
            items=[Line(r.result.evaluation.name, reverse("evaluation-detail", args=[r.result.evaluation_id]),
                        _("第 %(rank)s 名") % {"rank": r.rank} if r.rank else "") for r in results],
            url=reverse("evaluation-list"), link=_("测评与赛事")))
    return sections
