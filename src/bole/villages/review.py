"""The seam between the operation teams and the evaluation engine: a county's year-end review (年终评价) of its
teams is one judged review panel (评审会) with a subject per team under contract that year.

Judges are seated, score and submit on the evaluation's own pages (or through its services); the engine's
fairest rule for panels (judge-severity correction) gives each team's final score, rank and interval when the
panel is closed. Everything this app needs from `bole.evaluation` goes through this module.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bole.core.audit import audit_record
from bole.core.choices import AuditAction
from bole.core.unique import one_per
from bole.evaluation import services as ev_services
from bole.evaluation.choices import EvaluationKind, EvaluationStatus, SubjectKind
from bole.evaluation.models import SubjectResult

from . import selectors
from .models import MonthlyReport, OperationTeam, TeamReview, TeamReviewEntry
from .permissions import policy

# 评价标准 (max score each; weights equal to the max scores), after the pilot contracts' targets.
CRITERIA = [(gettext_lazy("经营成效"), 40), (gettext_lazy("带动村集体增收"), 30), (gettext_lazy("合同履约"), 15),
            (gettext_lazy("村民评价"), 15)]


def teams_of_year(*, county, year: int):
    """The county's teams whose contract runs in part of the year (under contract now or ended in it)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return (OperationTeam.objects.filter(village__code__startswith=county.code[:6], start__lte=last, end__gte=first)
            .filter(Q(is_active=True) | Q(end__year=year)).select_related("village__parent").order_by("village__code"))


@transaction.atomic
def team_review_create(*, county, year: int, actor) -> TeamReview:
    """Open the year-end review of a county's operation teams: a draft review panel of the evaluation engine
    with the criteria and one subject per team (its year's reported income noted beside it). One per county
    and year."""
    policy.require(actor, "manage")
    if not selectors.county_in_reach(user=actor, county=county):
        raise PermissionDenied
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("年度应在 2000–2100 之间")})
    teams = list(teams_of_year(county=county, year=year))
    if not teams:
        raise ValidationError({"year": _("%(y)s 年没有在约的运营团队") % {"y": year}})

    def taken() -> bool:
        return TeamReview.objects.filter(county=county, year=year).exists()

    message = {"year": _("%(y)s 年的年终评价已创建") % {"y": year}}
    if taken():
        raise ValidationError(message)
    income = dict(MonthlyReport.objects.filter(team__in=teams, year=year).values("team_id").order_by()
                  .annotate(s=Sum("income")).values_list("team_id", "s"))
    ev = ev_services.evaluation_create(
        actor=actor, name=_("%(c)s%(y)s年乡村运营团队年终评价") % {"c": county.name, "y": year},
        kind=EvaluationKind.PANEL, subject_kind=SubjectKind.TEAM,
        description=_("按评价标准为各村运营团队打分；参考合同目标与月报所报带来的经营性收入。"))
    for name, max_score in CRITERIA:
        ev_services.criterion_add(evaluation=ev, name=str(name), max_score=max_score, weight=max_score, actor=actor)
    with one_per(taken, message):
        review = TeamReview(county=county, year=year, evaluation=ev)
        review.full_clean()
        review.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=review,
                 changes={"year": [None, year], "evaluation": [None, ev.pk], "teams": [None, len(teams)]})
    for team in teams:
        subject = ev_services.subject_add(evaluation=ev, label=f"{team.village.name} · {team.company}",
                                          actor=actor)
        TeamReviewEntry.objects.create(review=review, team=team, subject=subject,
                                       reported_income=round(float(income.get(team.pk) or 0), 1))
    return review


@dataclass
class TeamResult:
    """A team's standing in a year's review, as the evaluation engine gave it (score None until closed)."""

    year: int
    status: str
    status_label: str
    evaluation_id: int
    score: float | None
    rank: int | None
    rank_lo: int | None
    rank_hi: int | None
    teams: int
    reported_income: float


def team_results(*, team: OperationTeam, user) -> list[TeamResult]:
    """The team's year-end reviews, newest first, with its result once the panel is closed."""
    entries = list(selectors.team_review_entries(team=team, user=user))
    if not entries:
        return []
    rows = {r.subject_id: r for r in SubjectResult.objects.filter(
        result__is_current=True, subject_id__in=[e.subject_id for e in entries])}
    sizes = dict(TeamReviewEntry.objects.filter(review__in=[e.review_id for e in entries]).values("review_id")
                 .order_by().annotate(n=Count("id")).values_list("review_id", "n"))
    out = []
    for e in entries:
        ev = e.review.evaluation
        r = rows.get(e.subject_id) if ev.status in (EvaluationStatus.CLOSED, EvaluationStatus.PUBLISHED) else None
        out.append(TeamResult(
            year=e.review.year, status=ev.status, status_label=ev.get_status_display(), evaluation_id=ev.pk,
            score=r.final_score if r else None, rank=r.rank if r else None, rank_lo=r.rank_lo if r else None,
            rank_hi=r.rank_hi if r else None, teams=sizes.get(e.review_id, 0), reported_income=e.reported_income))
    return out


def review_close(*, review: TeamReview, actor) -> None:
    """Close the review's panel: the evaluation engine computes every team's score and rank."""
    policy.require(actor, "manage")
    ev = review.evaluation
    if ev.status != EvaluationStatus.OPEN:
        raise ValidationError(_("评审会当前状态为“%(s)s”，不能结束") % {"s": ev.get_status_display()})
    ev_services.evaluation_transition(evaluation=ev, to=EvaluationStatus.CLOSED, actor=actor)
