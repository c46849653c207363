"""Writes of the talent register: talents, the lifecycle's one transition service and its checklists, service
requests on the talent desk, 红领创客 with their households' income panel, startup projects."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bole.cases import services as case_services
from bole.cases.choices import Action, SubmitterKind
from bole.cases.desks import TALENT as TALENT_DESK
from bole.cases.desks import desk_by_code, desks_ensure
from bole.cases.models import Case, Category, Desk
from bole.core.audit import audit_record
from bole.core.choices import AuditAction
from bole.core.records import record_create, record_update
from bole.core.scoping import own_person_id, region_reach
from bole.core.states import check_move
from bole.org.models import Person, Region, id_number_digest
from bole.org.pinyin import pinyin_keys
from bole.org.validators import InvalidValue, clean_id_number, clean_phone, id_birth_date, id_gender

from .choices import ActivityState, LeaveReason, Stage, SurveyState, TalentStatus
from .models import (
    Activity,
    Creator,
    Household,
    IncomeSurvey,
    ProjectMilestone,
    StageEntry,
    StageTemplate,
    StartupProject,
    Support,
    Talent,
)
from .permissions import policy

# The lifecycle: stage → the stages it may move to. 评价 renews (back to 服务) or ends; 离开 may come from any
# stage (a talent can leave at any time), and is final.
TRANSITIONS: dict[str, set[str]] = {
    Stage.RECRUIT: {Stage.SETTLE, Stage.LEFT},
    Stage.SETTLE: {Stage.SERVE, Stage.LEFT},
    Stage.SERVE: {Stage.EVALUATE, Stage.LEFT},
    Stage.EVALUATE: {Stage.SERVE, Stage.LEFT},
    Stage.LEFT: set(),
}
# Stages whose checklist, once complete, moves the talent on by itself.
AUTO_NEXT: dict[str, str] = {Stage.RECRUIT: Stage.SETTLE, Stage.SETTLE: Stage.SERVE}
# Stages whose open checklist items must be done (or marked not applicable) before the talent moves on.
CHECKED = {Stage.RECRUIT, Stage.SETTLE, Stage.EVALUATE}


def _today() -> dt.date:
    return timezone.localdate()


# --- the register ----------------------------------------------------------------------------------------------


def talent_prepare(data: dict[str, Any]) -> dict[str, Any]:
    """Validate a talent's row and derive its pinyin keys, ID digest, birth date, gender and region code.

    Used by the form, the API and the Excel import alike. `region_id` and `employer_id` are already resolved (the
    import resolves names in one query per file); a row with a register person copies the person's name.
    """
    data = dict(data)
    errors: dict[str, str] = {}
    data["name"] = (data.get("name") or "").strip()
    if not data["name"]:
        errors["name"] = _("姓名不能为空")
    raw = str(data.get("id_number") or "").strip()
    if raw:
        try:
            idn = clean_id_number(raw)
            data["id_number"], data["id_digest"] = idn, id_number_digest(idn)
            data["birth_date"], data["gender"] = id_birth_date(idn), id_gender(idn)
        except InvalidValue as exc:
            errors["id_number"] = str(exc)
    else:
        data["id_number"], data["id_digest"] = "", ""
    if data.get("phone"):
        try:
            data["phone"] = clean_phone(str(data["phone"]))
        except InvalidValue as exc:
            errors["phone"] = str(exc)
    arrival = data.get("arrival_date")
    if arrival and arrival > _today():
        errors["arrival_date"] = _("到岗日期不能晚于今天")
    if errors:
        raise ValidationError(errors)
    data["name_pinyin"], data["name_initials"] = pinyin_keys(data["name"])
    return data


def _region_code(region_id: int | None) -> str:
    return Region.objects.filter(pk=region_id).values_list("code", flat=True).first() or "" if region_id else ""


def _id_errors(write):
    """A duplicate ID number (its digest is the unique column) is reported on the ID number."""
    try:
        return write()
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "id_digest" in exc.error_dict:
            exc.error_dict.pop("id_digest")
            exc.error_dict.setdefault("id_number", []).append(ValidationError(_("该身份证号已登记为人才")))
        raise


def _check_unique(data: dict[str, Any], exclude: int | None = None) -> None:
    taken = Talent.objects.exclude(pk=exclude)
    if data.get("id_digest") and taken.filter(id_digest=data["id_digest"]).exists():
        raise ValidationError({"id_number": _("该身份证号已登记为人才")})
    if data.get("person") is not None and taken.filter(person=data["person"]).exists():
        raise ValidationError({"person": _("该人员已登记为人才")})


def covers(actor, action: str, model, code: str) -> bool:
    """Whether the actor may `action` a new record of `model` placed in the region `code`: the Policy allows the
    action and the region lies within the actor's territory."""
    reach = region_reach(actor)
    return policy.allows(actor, action, model) and reach is not None and code.startswith(reach)


def _region_in_scope(actor, region: Region | None) -> None:
    if region is None or not covers(actor, "add", Talent, region.code):
        raise ValidationError({"region": _("区划不存在或不在您的管辖范围内")})


@transaction.atomic
def talent_create(*, actor, person: Person | None = None, **data) -> Talent:
    """Register a talent: a person already on the register (`person`: name and ID come from there) or a new one."""
    policy.require(actor, "manage")
    if person is not None:
        data.update(name=person.name, id_number=person.id_number, phone=data.get("phone") or person.phone)
    data = talent_prepare(data)
    data["person"] = person
    region = data.get("region")
    _region_in_scope(actor, region)
    data["region_code"] = region.code
    data.setdefault("stage_since", data.get("arrival_date") or _today())
    _check_unique(data)
    talent = _id_errors(lambda: record_create(model=Talent, data=data, actor=actor))
    StageEntry.objects.create(talent=talent, from_stage="", to_stage=talent.stage, on=talent.stage_since,
                              note=_("登记入库"), actor=actor if getattr(actor, "pk", None) else None)
    _open_checklist(talent, talent.stage, talent.stage_since)
    return talent


@transaction.atomic
def talent_update(*, talent: Talent, actor, **data) -> Talent:
    """Change a talent's register fields (not the stage: that is `talent_transition`)."""
    policy.require(actor, "change", talent)
    for locked in ("stage", "status", "stage_since", "left_on", "leave_reason", "exit_interview", "person"):
        data.pop(locked, None)
    base = {"name": talent.name, "id_number": talent.id_number, "phone": talent.phone}
    data = talent_prepare({**base, **data})
    if "region" in data:
        _region_in_scope(actor, data["region"])
        data["region_code"] = data["region"].code
    _check_unique(data, exclude=talent.pk)
    return _id_errors(lambda: record_update(obj=talent, data=data, actor=actor)[0])


def id_digest_of(id_number: str) -> str:
    """The digest a talent or person is found by from an ID number as typed."""
    return id_number_digest(id_number.strip().upper())


def talent_reveal(*, talent: Talent, actor) -> dict[str, str]:
    """The full 身份证号 and phone number for a role allowed to see them; every full view is logged."""
    policy.require(actor, "view_sensitive", talent)
    audit_record(actor=actor, action=AuditAction.VIEW_SENSITIVE, obj=talent, changes={"fields": ["id_number", "phone"]})
    return {"id_number": talent.id_number, "phone": talent.phone}


@transaction.atomic
def liaison_assign(*, talent: Talent, liaison: Person | None, actor) -> Talent:
    """Name the 人才专员 who looks after the talent (or none)."""
    policy.require(actor, "change", talent)
    return record_update(obj=talent, data={"liaison": liaison}, actor=actor)[0]


# --- the lifecycle ---------------------------------------------------------------------------------------------


def _open_checklist(talent: Talent, stage: str, start: dt.date) -> list[Activity]:
    """The stage's checklist for this talent, from the active templates: each due `day_offset` days after the
    stage began (repeated stages, 服务 after a renewal, get a fresh list)."""
    Activity.objects.filter(talent=talent, stage=stage, state=ActivityState.OPEN).delete()
    done = set(Activity.objects.filter(talent=talent, stage=stage).values_list("name", flat=True))
    rows = [Activity(talent=talent, template=t, stage=stage, name=t.name, unit=t.unit,
                     due_on=start + dt.timedelta(days=t.day_offset))
            for t in StageTemplate.objects.filter(stage=stage, is_active=True) if t.name not in done]
    return Activity.objects.bulk_create(rows)


def open_activities(talent: Talent) -> int:
    return Activity.objects.filter(talent=talent, stage=talent.stage, state=ActivityState.OPEN).count()


@transaction.atomic
def talent_transition(*, talent: Talent, to_stage: str, actor, on: dt.date | None = None, note: str = "",
                      reason: str = "", interview: str = "", by_rule: bool = False) -> Talent:
    """The only way a talent's stage (and with 离开 its status) changes: the table, the checklist, the timeline
    row and the audit row. 离开 needs a reason and the exit interview."""
    talent = Talent.objects.select_for_update().get(pk=talent.pk)
    if not by_rule:
        policy.require(actor, "transition", talent)
    check_move(TRANSITIONS, Stage, talent.stage, to_stage, field="stage")
    on = on or _today()
    if on > _today():
        raise ValidationError({"on": _("日期不能晚于今天")})
    if talent.stage_since and on < talent.stage_since:
        raise ValidationError({"on": _("日期不能早于进入本阶段的日期 %(d)s") % {"d": talent.stage_since}})
    before = {"stage": talent.stage, "status": talent.status}
    if to_stage == Stage.LEFT:
        if reason not in LeaveReason.values:
            raise ValidationError({"reason": _("请选择离开原因")})
        if not interview.strip():
            raise ValidationError({"interview": _("请填写离职面谈记录")})
        talent.status, talent.left_on = TalentStatus.LEFT, on
        talent.leave_reason, talent.exit_interview = reason, interview.strip()
        Activity.objects.filter(talent=talent, state=ActivityState.OPEN).update(
            state=ActivityState.SKIPPED, note=_("人才已离开"))
    elif talent.stage in CHECKED and open_activities(talent):
        raise ValidationError({"stage": _("本阶段还有 %(n)d 项事项未完成") % {"n": open_activities(talent)}})
    from_stage = talent.stage
    talent.stage, talent.stage_since = to_stage, on
    talent.full_clean()
    talent.save()
    StageEntry.objects.create(talent=talent, from_stage=from_stage, to_stage=to_stage, on=on,
                              note=note or (Stage(to_stage).label if not reason else LeaveReason(reason).label),
                              actor=actor if getattr(actor, "pk", None) else None)
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=talent,
                 changes={k: [v, getattr(talent, k)] for k, v in before.items() if v != getattr(talent, k)})
    if to_stage != Stage.LEFT:
        _open_checklist(talent, to_stage, on)
    return talent


def _activity_locked(activity: Activity, actor) -> Activity:
    activity = Activity.objects.select_for_update().select_related("talent").get(pk=activity.pk)
    talent = activity.talent
    if not (policy.may(actor, "transition", talent) or is_liaison(actor, talent)):
        raise PermissionDenied(_("无权办理此事项"))
    if activity.state != ActivityState.OPEN:
        raise ValidationError({"state": _("该事项已办结")})
    if activity.stage != talent.stage:
        raise ValidationError({"stage": _("该事项不属于人才当前阶段")})
    return activity


@transaction.atomic
def activity_complete(*, activity: Activity, actor, on: dt.date | None = None, note: str = "",
                      skip: bool = False) -> Activity:
    """Tick a checklist item (done, or not applicable); when it was the stage's last open item of 引进 or 落户,
    the talent moves on to the next stage."""
    activity = _activity_locked(activity, actor)
    on = on or _today()
    if on > _today():
        raise ValidationError({"on": _("日期不能晚于今天")})
    activity.state = ActivityState.SKIPPED if skip else ActivityState.DONE
    activity.done_on, activity.note = on, note.strip()[:200]
    activity.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=activity,
                 changes={"state": [ActivityState.OPEN, activity.state], "done_on": [None, on.isoformat()]})
    talent = activity.talent
    nxt = AUTO_NEXT.get(talent.stage)
    if nxt and not open_activities(talent):
        talent_transition(talent=talent, to_stage=nxt, actor=actor, on=max(on, talent.stage_since or on),
                          note=_("%(s)s阶段事项全部办结") % {"s": Stage(talent.stage).label}, by_rule=True)
    return activity


@transaction.atomic
def template_save(*, actor, stage: str, name: str, unit: str, day_offset: int, duration_days: int = 7,
                  sort: int = 0) -> StageTemplate:
    """Add a checklist item to a stage's template (county administrators)."""
    policy.require(actor, "configure")
    return record_create(model=StageTemplate, data={
        "stage": stage, "name": name.strip(), "unit": unit.strip(), "day_offset": day_offset,
        "duration_days": duration_days, "sort": sort}, actor=actor)


def is_liaison(user, talent: Talent) -> bool:
    """Whether the login is the talent's 人才专员."""
    pid = own_person_id(user)
    return bool(pid) and policy.may(user, "liaise") and talent.liaison_id == pid


# --- services on the talent desk -------------------------------------------------------------------------------


@transaction.atomic
def service_request(*, talent: Talent, title: str, description: str, actor, category: Category | None = None) -> Case:
    """A talent asks for a service (安居, 子女入学 …) on the talent desk, from the phone or through the liaison.

    The case is accepted by rule and assigned to the talent's liaison (their unit leads); without a liaison it waits
    on the desk for the desk's staff. Deadlines, escalation and the rating are the cases engine's.
    """
    talent = Talent.objects.select_related("liaison__unit", "person").get(pk=talent.pk)
    mine = talent.person_id is not None and policy.may(actor, "mine") and policy.may(actor, "view", talent)
    if not (mine or is_liaison(actor, talent) or policy.may(actor, "change", talent)):
        raise PermissionDenied(_("无权为该人才提交服务需求"))
    if talent.status == TalentStatus.LEFT:
        raise ValidationError({"talent": _("人才已离开，不能再提交服务需求")})
    if not title.strip() or not description.strip():
        raise ValidationError({"title": _("请填写需求标题和内容")})
    desk = desk_by_code(TALENT_DESK) if Desk.objects.filter(code=TALENT_DESK).exists() else desks_ensure(
        actor=actor)[TALENT_DESK]
    case = case_services.case_submit(
        desk=desk, category=category, title=title, description=description, submitter_kind=SubmitterKind.TALENT,
        submitter_person=talent.person, submitter_name=talent.name, ref=talent, actor=actor)
    if talent.liaison_id:
        case = case_services.case_transition(case=case, action=Action.ACCEPT, actor=actor, by_rule=True,
                                             category=category, note=_("人才服务需求自动受理"))
        case = case_services.case_transition(
            case=case, action=Action.ASSIGN, actor=actor, by_rule=True, lead_unit=talent.liaison.unit,
            owner=talent.liaison, note=_("转人才专员 %(p)s 办理") % {"p": talent.liaison.name})
    return case


# --- 红领创客 and the household income panel ------------------------------------------------------------------


def _village(region: Region | None) -> Region:
    if region is None or len(region.code) != 12:
        raise ValidationError({"village": _("请选择村（社区）")})
    return region


@transaction.atomic
def creator_create(*, actor, name: str, business: str, village: Region, started_on: dt.date,
                   talent: Talent | None = None, description: str = "") -> Creator:
    """Register a 红领创客 and the village business."""
    village = _village(village)
    if not covers(actor, "add", Creator, village.code):
        raise PermissionDenied(_("该村不在您的管辖范围内"))
    if started_on > _today():
        raise ValidationError({"started_on": _("日期不能晚于今天")})
    return record_create(model=Creator, data={
        "name": name.strip(), "business": business.strip(), "village": village, "region_code": village.code,
        "started_on": started_on, "talent": talent, "description": description.strip()}, actor=actor)


@transaction.atomic
def support_add(*, actor, kind: str, on: dt.date, note: str, amount: Decimal = Decimal(0),
                creator: Creator | None = None, project: StartupProject | None = None) -> Support:
    """Record support given to a 红领创客 or a startup project."""
    target = creator or project
    if target is None or not policy.may(actor, "change", target):
        raise PermissionDenied(_("无权为其登记扶持"))
    if amount < 0:
        raise ValidationError({"amount": _("金额不能为负")})
    return record_create(model=Support, data={"creator": creator, "project": project, "kind": kind, "on": on,
                                              "note": note.strip(), "amount": amount}, actor=actor)


@transaction.atomic
def household_link(*, actor, creator: Creator, head: str, village: Region, linked_on: dt.date, link: str = "",
                   baseline_income: Decimal | None = None, surveyed_on: dt.date | None = None) -> Household:
    """Link a household to a 红领创客; its baseline (wave 0) income is recorded with it when known."""
    if not policy.may(actor, "change", creator):
        raise PermissionDenied(_("无权为该创客登记农户"))
    household = record_create(model=Household, data={
        "creator": creator, "head": head.strip(), "village": _village(village), "linked_on": linked_on,
        "link": link.strip()}, actor=actor)
    if baseline_income is not None:
        survey_record(actor=actor, household=household, wave=0, income=baseline_income,
                      surveyed_on=surveyed_on or linked_on)
    return household


MAX_WAVE = 100  # fifty years of half-yearly waves


def wave_due(household: Household, wave: int) -> dt.date:
    """The date wave k is due: six·k months after the link date (the month's last day when shorter)."""
    month = household.linked_on.month - 1 + 6 * wave
    year, month = household.linked_on.year + month // 12, month % 12 + 1
    for day in (household.linked_on.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@transaction.atomic
def survey_record(*, actor, household: Household, wave: int, income: Decimal | None,
                  surveyed_on: dt.date | None = None, missed: bool = False) -> IncomeSurvey:
    """Record one wave of a household's income panel: the income of the last twelve months, or that the wave was
    missed (no one reached). One row per household and wave; a wave cannot be recorded before it is due."""
    if not policy.may(actor, "change", household):
        raise PermissionDenied(_("无权登记该农户的回访"))
    if not 0 <= wave <= MAX_WAVE:
        raise ValidationError({"wave": _("回访期数须在 0 到 %(n)d 之间") % {"n": MAX_WAVE}})
    due = wave_due(household, wave)
    if due > _today() + dt.timedelta(days=31):
        raise ValidationError({"wave": _("第 %(w)d 期回访要到 %(d)s 才到期") % {"w": wave, "d": due}})
    if missed:
        data = {"state": SurveyState.MISSED, "income": None, "surveyed_on": None}
    else:
        if income is None or income < 0:
            raise ValidationError({"income": _("请填写年收入（元，不为负）")})
        data = {"state": SurveyState.DONE, "income": income, "surveyed_on": surveyed_on or _today()}
    if IncomeSurvey.objects.filter(household=household, wave=wave).exists():
        raise ValidationError({"wave": _("第 %(w)d 期回访已登记") % {"w": wave}})
    return record_create(model=IncomeSurvey, data={"household": household, "wave": wave, "due_on": due, **data},
                         actor=actor)


# --- startup projects ------------------------------------------------------------------------------------------


@transaction.atomic
def project_create(*, actor, name: str, field: str, region: Region, started_on: dt.date, founders: list[Talent],
                   stage: str = "incubating", investment: Decimal = Decimal(0),
                   revenue: Decimal = Decimal(0)) -> StartupProject:
    """Register a 硕士以上创业项目; its founders are talents on the register with a master's degree or more."""
    if not covers(actor, "add", StartupProject, region.code):
        raise PermissionDenied(_("该区划不在您的管辖范围内"))
    if not founders:
        raise ValidationError({"founders": _("请至少选择一位创始人")})
    if not any(f.education in {"master", "doctor"} for f in founders):
        raise ValidationError({"founders": _("硕士以上创业项目须有一位硕士或博士创始人")})
    if investment < 0 or revenue < 0:
        raise ValidationError({"investment": _("金额不能为负")})
    project = record_create(model=StartupProject, data={
        "name": name.strip(), "field": field.strip(), "region": region, "region_code": region.code,
        "started_on": started_on, "stage": stage, "investment": investment, "revenue": revenue}, actor=actor)
    project.founders.set(founders)
    return project


@transaction.atomic
def project_update(*, actor, project: StartupProject, **data) -> StartupProject:
    """Change a project's stage, investment or revenue."""
    policy.require(actor, "change", project)
    allowed = {k: v for k, v in data.items() if k in {"stage", "investment", "revenue", "field"}}
    return record_update(obj=project, data=allowed, actor=actor)[0]


@transaction.atomic
def milestone_add(*, actor, project: StartupProject, title: str, due_on: dt.date) -> ProjectMilestone:
    policy.require(actor, "change", project)
    return record_create(model=ProjectMilestone, data={"project": project, "title": title.strip(), "due_on": due_on},
                         actor=actor)


@transaction.atomic
def milestone_done(*, actor, milestone: ProjectMilestone, on: dt.date | None = None) -> ProjectMilestone:
    policy.require(actor, "change", milestone.project)
    if milestone.done_on:
        raise ValidationError({"done_on": _("该节点已完成")})
    return record_update(obj=milestone, data={"done_on": on or _today()}, actor=actor)[0]
