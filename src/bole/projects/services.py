"""Writes of the key projects: create, the one transition service, milestones, difficulties (cases), and the
frontline evaluation (一线考评) that turns solved difficulties and on-time milestones into points."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bole.assessment.services import manual_values_publish
from bole.cases.choices import SubmitterKind
from bole.cases.desks import PROJECT, desk_by_code
from bole.cases.services import case_submit
from bole.core import periods
from bole.core.audit import audit_build, audit_bulk, audit_record
from bole.core.choices import AuditAction
from bole.core.scoping import own_person_id
from bole.core.states import check_move
from bole.ledger.models import PointEntry
from bole.ledger.services import point_category_ensure, points_post_many
from bole.org.models import Person
from bole.org.selectors import unit_list

from . import schedule
from .choices import ACTIVE_STATUSES, ProjectKind, ProjectStatus
from .models import Milestone, Project
from .permissions import may_log_difficulty, policy
from .selectors import frontline_scores, frontline_sources

CATEGORY_CODE = "frontline"
METRIC = "frontline"  # the assessment's manual-value code the frontline score is published under

TRANSITIONS: dict[str, set[str]] = {
    ProjectStatus.PLANNING: {ProjectStatus.SIGNED, ProjectStatus.CANCELLED},
    ProjectStatus.SIGNED: {ProjectStatus.BUILDING, ProjectStatus.SUSPENDED, ProjectStatus.CANCELLED},
    ProjectStatus.BUILDING: {ProjectStatus.COMPLETED, ProjectStatus.SUSPENDED},
    ProjectStatus.SUSPENDED: {ProjectStatus.BUILDING, ProjectStatus.CANCELLED},
    ProjectStatus.COMPLETED: set(),
    ProjectStatus.CANCELLED: set(),
}


def _check(actor, action: str, project: Project | None = None) -> None:
    """Services re-check the policy so API, views and scripts cannot bypass it (actor None = system)."""
    if actor is None:
        return
    if project is None:
        if not policy.allows(actor, action, Project):
            raise PermissionDenied
        return
    policy.require(actor, action, project)


def frontline_category():
    """The ledger category of frontline points (一线考评), created on first use."""
    return point_category_ensure(code=CATEGORY_CODE, name=gettext_noop("一线考评"), cap=None, cap_period="year",
                                 auto_approve=True, sort=20)


# --- projects -------------------------------------------------------------------------------------


def _plan(project: Project) -> None:
    """Set every milestone's planned date from the signing day (working days)."""
    stones = list(project.milestones.order_by("sort", "id"))
    for m, day in zip(stones, schedule.planned_dates(project.signed_on, [m.offset_days for m in stones]),
                      strict=True):
        if m.planned_on != day:
            m.planned_on = day
            m.save(update_fields=["planned_on"])


@transaction.atomic
def project_create(*, name: str, kind: str, investment, region, unit, leads: Sequence, actor, team: Sequence = (),
                   is_major: bool = False, description: str = "",
                   milestones: Sequence[tuple[str, int]] | None = None) -> Project:
    """A key project in planning, with its lead cadres, task force and milestone plan (standard by default)."""
    _check(actor, "add")
    if actor is not None and not unit_list(user=actor).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("只能为本单位登记项目"))
    leads, team = list(dict.fromkeys(leads)), list(dict.fromkeys(team))
    if not leads:
        raise ValidationError({"leads": _("请指定领办领导")})
    project = Project(name=(name or "").strip(), kind=kind, investment=Decimal(str(investment)), region=region,
                      unit=unit, is_major=is_major, description=description.strip())
    project.full_clean()
    project.save()
    project.leads.set(leads)
    project.team.set(team)
    plan = schedule.STANDARD_MILESTONES if milestones is None else milestones
    for i, (m_name, days) in enumerate(plan):
        m = Milestone(project=project, name=m_name, offset_days=int(days), sort=i)
        m.full_clean()
        m.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=project, changes={
        "name": [None, project.name], "kind": [None, kind], "investment": [None, str(project.investment)],
        "unit": [None, unit.pk], "leads": [None, [p.pk for p in leads]], "team": [None, [p.pk for p in team]],
        "milestones": [None, [[n, d] for n, d in plan]], "is_major": [None, is_major]})
    return project


@transaction.atomic
def project_transition(*, project: Project, to: str, actor, signed_on: dt.date | None = None,
                       note: str = "") -> Project:
    """The only way a project's status changes: table, permission, effects (signing plans the milestones), audit."""
    _check(actor, "transition", project)
    p = Project.objects.select_for_update().get(pk=project.pk)
    check_move(TRANSITIONS, ProjectStatus, p.status, to, field="status")
    before = {"status": p.status, "signed_on": p.signed_on.isoformat() if p.signed_on else None}
    if to == ProjectStatus.SIGNED:
        day = signed_on or p.signed_on
        if day is None:
            raise ValidationError({"signed_on": _("请填写签约日期")})
        if day > schedule.today():
            raise ValidationError({"signed_on": _("签约日期不能晚于今天")})
        p.signed_on = day
    if to == ProjectStatus.COMPLETED and p.milestones.filter(done_on__isnull=True).exists():
        raise ValidationError({"status": _("尚有节点未完成，不能竣工")})
    p.status = to
    p.full_clean()
    p.save(update_fields=["status", "signed_on"])
    if to == ProjectStatus.SIGNED:
        _plan(p)
    after = {"status": p.status, "signed_on": p.signed_on.isoformat() if p.signed_on else None}
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=p,
                 changes={**{k: [before[k], v] for k, v in after.items() if before[k] != v},
                          **({"note": [None, note]} if note else {})})
    project.status, project.signed_on = p.status, p.signed_on
    return p


@transaction.atomic
def milestone_complete(*, milestone: Milestone, done_on: dt.date, actor, note: str = "") -> Milestone:
    """Record the day a milestone was reached (by the responsible unit or the county, not the lead)."""
    project = milestone.project
    _check(actor, "milestone", project)
    m = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if project.status not in ACTIVE_STATUSES:
        raise ValidationError({"done_on": _("项目未在推进中，不能登记节点")})
    if m.done_on is not None:
        raise ValidationError({"done_on": _("该节点已登记完成")})
    if done_on > schedule.today():
        raise ValidationError({"done_on": _("完成日期不能晚于今天")})
    if project.signed_on and done_on < project.signed_on:
        raise ValidationError({"done_on": _("完成日期不能早于签约日期")})
    m.done_on = done_on
    m.note = (note or m.note or "").strip()[:200]
    m.full_clean()
    m.save(update_fields=["done_on", "note"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=m, changes={
        "done_on": [None, done_on.isoformat()], "on_time": [None, m.on_time]})
    milestone.done_on, milestone.note = m.done_on, m.note
    return m


# --- difficulties: cases on the 项目难题 desk linked to the project ---------------------------------


def difficulty_log(*, project: Project, title: str, description: str, actor, category=None, location: str = ""):
    """A lead (or task-force member) logs a difficulty: a case on the 项目难题 desk that points at the project."""
    if actor is not None and not may_log_difficulty(actor, project):
        raise PermissionDenied(_("只有项目领办领导、专班成员或责任单位可以提交难题"))
    if project.status not in ACTIVE_STATUSES + [ProjectStatus.PLANNING, ProjectStatus.SUSPENDED]:
        raise ValidationError({"project": _("项目已结束")})
    person_id = own_person_id(actor) if actor is not None else None
    person = project.leads.filter(pk=person_id).first() or project.team.filter(pk=person_id).first() \
        if person_id else None
    return case_submit(desk=desk_by_code(PROJECT), title=title, description=description, actor=actor,
                       submitter_kind=SubmitterKind.CADRE, category=category, location=location or project.name,
                       submitter_person=person, submitter_name=person.name if person else "", ref=project)


# --- bulk history (demo data, imports) ------------------------------------------------------------


@transaction.atomic
def project_bulk_history(*, rows: Sequence[dict[str, Any]], actor, batch_size: int = 2000) -> list[Project]:
    """Insert projects that already went part of their way (signed, building, completed) with leads, task force,
    milestones planned on the working calendar and their done dates, and one audit row each."""
    _check(actor, "add")
    for r in rows:
        if r["kind"] not in ProjectKind.values or r["status"] not in ProjectStatus.values:
            raise ValidationError({"kind": _("项目类型或状态无效")})
        if r["status"] != ProjectStatus.PLANNING and r.get("signed_on") is None:
            raise ValidationError({"signed_on": _("已签约项目须有签约日期")})
        if not r["leads"]:
            raise ValidationError({"leads": _("请指定领办领导")})
    projects = [Project(name=r["name"], kind=r["kind"], investment=Decimal(str(r["investment"])),
                        region=r["region"], unit=r["unit"], is_major=r.get("is_major", False),
                        signed_on=r.get("signed_on"), status=r["status"], description=r.get("description", ""))
                for r in rows]
    for p in projects:
        p.full_clean(exclude=["region", "unit"])
    Project.objects.bulk_create(projects, batch_size=batch_size)
    lead_through, team_through = Project.leads.through, Project.team.through
    lead_through.objects.bulk_create([lead_through(project_id=p.pk, person_id=getattr(x, "pk", x))
                                      for p, r in zip(projects, rows, strict=True) for x in dict.fromkeys(r["leads"])],
                                     batch_size=5000)
    team_through.objects.bulk_create([team_through(project_id=p.pk, person_id=getattr(x, "pk", x))
                                      for p, r in zip(projects, rows, strict=True)
                                      for x in dict.fromkeys(r.get("team", ()))], batch_size=5000)
    stones: list[Milestone] = []
    signed, offsets = [], []
    for p, r in zip(projects, rows, strict=True):
        for i, spec in enumerate(r.get("milestones", schedule.STANDARD_MILESTONES)):
            name, days = spec[0], spec[1]
            done = spec[2] if len(spec) > 2 else None
            stones.append(Milestone(project=p, name=name, offset_days=days, done_on=done, sort=i))
            signed.append(p.signed_on)
            offsets.append(days)
    dated = [(m, s, days) for m, s, days in zip(stones, signed, offsets, strict=True) if s is not None]
    planned = schedule.planned_dates_many([s for _m, s, _d in dated], [days for _m, _s, days in dated])
    for (m, _s, _d), day in zip(dated, planned, strict=True):
        m.planned_on = day
    Milestone.objects.bulk_create(stones, batch_size=5000)
    audit_bulk([audit_build(actor=actor, action=AuditAction.IMPORT, obj=p, changes={
        "name": [None, p.name], "status": [None, p.status], "investment": [None, str(p.investment)]})
        for p in projects])
    return projects


# --- 一线考评: frontline points and score ------------------------------------------------------------


@transaction.atomic
def frontline_settle(*, period: str, actor) -> int:
    """Post the period's frontline points to each lead, once per (record, lead): re-running posts only what is new."""
    if actor is not None:
        policy.require(actor, "manage")
    period = periods.clean(period)
    category = frontline_category()
    sources = frontline_sources(period)
    if not sources:
        return 0
    types = {k: ContentType.objects.get_for_model(type(src)) for k, src, *_rest in sources}
    # points_post_many skips a record already live for the same person *and unit*; a lead who changed units since
    # the last settlement would be paid again, so what each lead was already paid is taken out here.
    posted = set(PointEntry.objects.filter(category=category, source_type__in=set(types.values()),
                                           reversed_by__isnull=True, reverses__isnull=True)
                 .exclude(status="rejected").values_list("source_type_id", "source_id", "person_id"))
    people = Person.objects.in_bulk({pid for _k, _s, pid, _p, _r in sources})
    rows = [{"person": people[pid], "period": period, "category": category, "points": pts, "reason": reason,
             "source": src} for kind, src, pid, pts, reason in sources
            if (types[kind].pk, str(src.pk), pid) not in posted]
    return points_post_many(rows=rows, actor=actor, approved=True) if rows else 0


def frontline_publish(*, period: str, actor) -> int:
    """Publish each lead's frontline score for the period as the assessment's manual value `frontline`, so a
    scheme can weigh it as an indicator (kind 手工/导入数值, metric frontline)."""

    period = periods.clean(period)
    scores = frontline_scores(period=period)
    people = Person.objects.in_bulk(list(scores))
    values = {people[pid]: (score["score"], _("一线考评：破解难题 %(d)s 个，节点按期 %(m)s 个")
                            % {"d": score["difficulties"], "m": score["milestones"]})
              for pid, score in sorted(scores.items())}
    return manual_values_publish(metric=METRIC, period=period, values=values, actor=actor)
