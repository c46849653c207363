"""Reads of the key projects, scoped by the acting user; schedule lights, frontline scores, task counts."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

import numpy as np
from django.db.models import Count, F, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from bole.cases.choices import DONE_STATES
from bole.cases.desks import PROJECT
from bole.cases.selectors import cases_referring_to, desk_categories, referring_counts
from bole.core import periods
from bole.core.figures import FLOW, STOCK, Figure
from bole.core.taskcounts import align
from bole.org.selectors import person_list

from . import schedule
from .choices import ProjectStatus
from .models import Milestone, Project
from .permissions import policy

# 一线考评 weights: points (and score) per solved difficulty and per milestone done on time, for each lead.
DIFFICULTY_POINTS = Decimal("0.5")
MILESTONE_POINTS = Decimal("0.3")


def project_list(*, user, action: str = "view") -> QuerySet[Project]:
    """Projects the user may see: all (county), their units' (unit admins), those they lead or work on."""
    return policy.restrict(Project.objects.select_related("region", "unit"), user, action)


def project_get(*, user, pk, action: str = "view") -> Project:
    return policy.get(project_list(user=user), user, pk, action)


def milestone_get(*, user, pk, action: str = "view") -> Milestone:
    return policy.get(Milestone.objects.select_related("project"), user, pk, action)


def milestones_with_lights(project: Project) -> list[tuple[Milestone, str]]:
    stones = list(project.milestones.order_by("sort", "id"))
    lights = schedule.milestone_colours([(m.planned_on, m.done_on, project.signed_on) for m in stones])
    return list(zip(stones, lights, strict=True))


def project_lights(projects: list[Project]) -> dict[int, str]:
    """Light of each project (one query for all their milestones)."""
    return lights_of([(p.pk, p.status, p.signed_on) for p in projects])


def lights_of(rows: list[tuple[int, str, Any]], milestones: QuerySet[Milestone] | None = None) -> dict[int, str]:
    """Light of each project given as (id, status, signed on), without loading the projects: its milestones are
    read in one query, from `milestones` when given (a filter that selects the same projects' milestones by a
    join rather than by thousands of ids)."""
    by_project: dict[int, list[tuple]] = defaultdict(list)
    signed = {pk: signed_on for pk, _status, signed_on in rows}
    if milestones is None:
        milestones = Milestone.objects.filter(project__in=list(signed))
    for pid, planned, done in milestones.values_list("project_id", "planned_on", "done_on"):
        if pid in signed:
            by_project[pid].append((planned, done, signed[pid]))
    flat = [(pid, row) for pid, stones in by_project.items() for row in stones]
    lights = schedule.milestone_colours([row for _pid, row in flat])
    per: dict[int, list[str]] = defaultdict(list)
    for (pid, _row), light in zip(flat, lights, strict=True):
        per[pid].append(light)
    return {pk: schedule.project_colour(status, per.get(pk, [])) for pk, status, _signed in rows}


def difficulties_of(*, user, project: Project):
    """The difficulties (cases on the 项目难题 desk) of a project the user may see, newest first."""
    policy.require(user, "view", project)
    return cases_referring_to(project).select_related("lead_unit", "category").order_by("-id")


def difficulty_categories():
    """Categories of the 项目难题 desk (configuration, the same for everyone)."""
    return desk_categories(PROJECT)


def difficulty_counts(project_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per project: difficulties logged and solved (one grouped query)."""
    return referring_counts(Project, project_ids)


# --- 一线考评 ---------------------------------------------------------------------------------------


def frontline_sources(period: str) -> list[tuple[str, Any, int, Decimal, str]]:
    """(kind, source record, lead person id, points, reason) for every lead of every project: difficulties solved
    and milestones done on time in the period. Three queries whatever the number of projects."""
    start, end = periods.dates(period)
    cases = list(cases_referring_to(Project, desk=PROJECT).filter(
        state__in=DONE_STATES, resolved_on__gte=start, resolved_on__lte=end).only("id", "ref_id", "title"))
    stones = [m for m in Milestone.objects.filter(done_on__gte=start, done_on__lte=end, planned_on__isnull=False)
              .select_related("project").only("id", "name", "done_on", "planned_on", "project__name")
              if m.done_on <= m.planned_on]
    project_ids = {c.ref_id for c in cases} | {m.project_id for m in stones}
    leads: dict[int, list[int]] = defaultdict(list)
    for pid, person_id in Project.leads.through.objects.filter(project_id__in=project_ids).values_list(
            "project_id", "person_id").order_by("project_id", "person_id"):
        leads[pid].append(person_id)
    out = []
    for c in cases:
        for person_id in leads.get(c.ref_id, []):
            out.append(("difficulty", c, person_id, DIFFICULTY_POINTS, _("破解项目难题：%(t)s") % {"t": c.title[:80]}))
    for m in stones:
        for person_id in leads.get(m.project_id, []):
            out.append(("milestone", m, person_id, MILESTONE_POINTS,
                        _("项目节点按期完成：%(p)s · %(n)s") % {"p": m.project.name[:60], "n": m.name}))
    return out


def frontline_scores(*, period: str) -> dict[int, dict]:
    """Per lead: difficulties solved and milestones on time in the period, and the frontline score they make."""
    out: dict[int, dict] = {}
    for kind, _src, pid, _pts, _reason in frontline_sources(period):
        row = out.setdefault(pid, {"difficulties": 0, "milestones": 0})
        row["difficulties" if kind == "difficulty" else "milestones"] += 1
    for row in out.values():
        row["score"] = DIFFICULTY_POINTS * row["difficulties"] + MILESTONE_POINTS * row["milestones"]
    return out


def frontline_ranking(*, user, period: str, limit: int | None = 100) -> list[dict]:
    """Leads the user may see, ranked by frontline score for the period (the first `limit`; None: all)."""
    scores = frontline_scores(period=period)
    visible = person_list(user=user).filter(pk__in=list(scores)).select_related("unit")
    rows = [{"person": p, **scores[p.pk]} for p in visible]
    rows.sort(key=lambda r: (-r["score"], -r["difficulties"], r["person"].pk))
    return rows[:limit]


def milestone_tasks(person_ids: np.ndarray, period: str) -> tuple[np.ndarray, np.ndarray]:
    """Task provider: assigned = milestones planned in the period of projects a person leads; completed = those
    done on time. One grouped query."""
    start, end = periods.dates(period)
    rows = list(Project.leads.through.objects.filter(  # every lead: align() keeps the assessed people
        project__milestones__planned_on__gte=start,
        project__milestones__planned_on__lte=end).exclude(project__status=ProjectStatus.CANCELLED)
        .values("person_id").order_by().annotate(
            assigned=Count("project__milestones"),
            completed=Count("project__milestones", filter=Q(
                project__milestones__done_on__isnull=False,
                project__milestones__done_on__lte=F("project__milestones__planned_on")))))
    ids = [r["person_id"] for r in rows]
    return align(person_ids, ids, [r["completed"] for r in rows]), align(person_ids, ids, [r["assigned"] for r in rows])


# --- figures --------------------------------------------------------------------------------------


def project_counts(projects: QuerySet[Project], span=None) -> dict[str, int | float]:
    """Key projects (not cancelled), their leads, the difficulties solved about them (in ``span`` when given: a
    `figures.Span`), the major projects and their investment (亿元)."""
    live = projects.exclude(status=ProjectStatus.CANCELLED)
    major = live.filter(is_major=True).aggregate(n=Count("id"), total=Sum("investment"))
    solved = cases_referring_to(Project, live.values("id")).filter(state__in=DONE_STATES)
    if span is not None:
        solved = solved.filter(**span.contains("resolved_at"))
    return {
        "key_projects": live.count(),
        "project_leaders": Project.leads.through.objects.filter(project__in=live).values("person_id")
        .distinct().count(),
        "difficulties_solved": solved.count(),
        "major_projects": major["n"] or 0,
        "major_investment_yi": float(major["total"] or Decimal(0)),
    }


def figures(*, user, period) -> list[Figure]:
    """The key projects' reported figures in the user's scope (the `figures` hook)."""
    n = project_counts(project_list(user=user), period)
    url = reverse("projects-list")
    return [
        Figure("key_projects", _("重点项目"), n["key_projects"], _("个"), STOCK, _("重点项目名录（不含已取消）"), url),
        Figure("project_leaders", _("领办科级领导"), n["project_leaders"], _("人"), STOCK,
               _("重点项目的领办领导（去重）"), url),
        Figure("difficulties_solved", _("破解项目难题"), n["difficulties_solved"], _("个"), FLOW,
               _("受理台“项目难题”中已办结的问题，按办结时间"), reverse("cases-list") + "?desk=project"),
        Figure("major_projects", _("重大项目"), n["major_projects"], _("个"), STOCK, _("标为重大项目的重点项目"),
               url + "?major=1"),
        Figure("major_investment_yi", _("重大项目总投资"), round(n["major_investment_yi"], 2), _("亿元"), STOCK,
               _("重大项目登记的总投资之和"), url + "?major=1"),
    ]
