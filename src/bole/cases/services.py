"""Writes of the case engine: desks, submission, the one transition service, tasks, meetings, sweep."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from bole.core.audit import actor_label, audit_build, audit_bulk, audit_record
from bole.core.choices import AuditAction
from bole.core.db import insert_rows
from bole.core.records import record_create, record_set_active, record_update
from bole.core.scoping import unit_covers
from bole.core.unique import one_per
from bole.core.uploads import upload_read, upload_store
from bole.org.models import Enterprise, Person, Unit

from . import calendar as clock
from . import notify
from .calendar import local_date, work_calendar
from .choices import (
    RUNNING_STATES,
    Action,
    CalendarEntryKind,
    EscalationTarget,
    EventKind,
    Rating,
    State,
    SubmitterKind,
    TaskState,
)
from .models import (
    Attachment,
    CalendarEntry,
    Case,
    CaseTask,
    Category,
    Decision,
    Decline,
    Desk,
    Escalation,
    Event,
    Meeting,
    UnitHead,
    case_number,
)
from .permissions import is_desk_staff, may_act, may_configure, may_work_task

# The transition table: (state, action) → next state. RATE with 不满意 (first time) goes back to IN_PROGRESS.
TRANSITIONS: dict[tuple[str, str], str] = {
    (State.SUBMITTED, Action.ACCEPT): State.ACCEPTED,
    (State.SUBMITTED, Action.REJECT): State.REJECTED,
    (State.SUBMITTED, Action.MERGE): State.MERGED,
    (State.ACCEPTED, Action.MERGE): State.MERGED,
    (State.ACCEPTED, Action.ASSIGN): State.ASSIGNED,
    (State.ASSIGNED, Action.START): State.IN_PROGRESS,
    (State.ASSIGNED, Action.DECLINE): State.ARBITRATION,
    (State.ARBITRATION, Action.ARBITRATE): State.ASSIGNED,
    (State.IN_PROGRESS, Action.RESOLVE): State.RESOLVED,
    (State.RESOLVED, Action.RATE): State.CLOSED,
}

MAX_ATTACHMENTS = 9

def allowed_actions(case: Case) -> list[str]:
    """Actions the transition table allows from the case's state (permission not considered)."""
    return [a for (s, a) in TRANSITIONS if s == case.state]


def _event(case: Case, *, actor, kind: str, note: str = "", action: str = "", from_state: str = "",
           to_state: str = "", data: dict | None = None, at: dt.datetime | None = None) -> Event:
    return Event.objects.create(
        case=case, at=at or clock.now(), actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label(actor), kind=kind, action=action, from_state=from_state, to_state=to_state,
        note=note, data=data or {},
    )


# --- configuration ---------------------------------------------------------------------------------


@transaction.atomic
def desk_create(*, code: str, name: str, actor, categories: Sequence[tuple[str, int]] = (),
                submitter_kinds: Sequence[str] = (SubmitterKind.ENTERPRISE,), assignable_units: Iterable[Unit] = (),
                handlers: Iterable = (), head: Person | None = None, decline_hours: int = 24,
                escalation_steps: list[dict] | None = None, description: str = "", sort: int | None = None) -> Desk:
    """A desk (受理台) with its categories and default deadlines; new mechanisms are new desks. Without a
    `sort` it is listed after the existing desks."""
    if actor is not None and not may_configure(actor):
        raise PermissionDenied(_("只有县级管理员可以配置受理台"))

    def check() -> dict[str, list[str]]:
        return _desk_errors(desk=None, code=code, name=name, submitter_kinds=submitter_kinds,
                            decline_hours=decline_hours, escalation_steps=escalation_steps,
                            categories=[{"name": n, "deadline_days": d} for n, d in categories])

    def taken() -> dict[str, list[str]]:
        return {k: v for k, v in check().items() if k in {"code", "name"}}

    errors = check()
    if errors:
        raise ValidationError(errors)
    if sort is None:
        sort = (Desk.objects.aggregate(m=Max("sort"))["m"] or 0) + 1
    data: dict[str, Any] = {"code": code, "name": name.strip(), "submitter_kinds": list(submitter_kinds),
                            "head": head, "decline_hours": decline_hours, "description": description, "sort": sort}
    if escalation_steps is not None:
        data["escalation_steps"] = _plain_steps(escalation_steps)
    with one_per(lambda: bool(taken()), taken):  # a simultaneous request took the code or name first
        desk = record_create(model=Desk, data=data, actor=actor)
    desk.assignable_units.set(list(assignable_units))
    desk.handlers.set(list(handlers))
    for i, (cat_name, days) in enumerate(categories):
        category_create(desk=desk, name=cat_name, deadline_days=days, sort=i, actor=actor)
    return desk


MAX_DECLINE_HOURS = 720
MAX_DEADLINE_DAYS = 365
MAX_ESCALATION_STEPS = 5


def _step_errors(steps: Sequence[dict]) -> list[str]:
    if len(steps) > MAX_ESCALATION_STEPS:
        return [_("督办规则最多 %(n)d 级") % {"n": MAX_ESCALATION_STEPS}]
    last = -1
    for step in steps:
        try:
            days = int(step.get("overdue_days", -1))
        except (TypeError, ValueError):
            days = -1
        if step.get("target") not in EscalationTarget.values or days < 0:
            return [_("督办规则格式错误：每一级须填写不小于 0 的超期工作日数并选择督办对象")]
        if days < last:
            return [_("督办规则须按超期天数递增")]
        last = days
    return []


def _plain_steps(steps: Sequence[dict]) -> list[dict]:
    return [{"overdue_days": int(s["overdue_days"]), "target": str(s["target"])} for s in steps]


def _desk_errors(*, desk: Desk | None, code: str, name: str, submitter_kinds: Sequence[str], decline_hours: int,
                 escalation_steps: Sequence[dict] | None, categories: Sequence[dict]) -> dict[str, list[str]]:
    """Every problem with a desk's configuration at once, in words an admin can act on."""
    import re

    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if desk is None:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,29}", code or ""):
            add("code", _("代码只能由小写字母、数字和连字符组成（30 个字符以内）"))
        elif Desk.objects.filter(code=code).exists():
            add("code", _("代码“%(c)s”已被其他受理台使用") % {"c": code})
    if not (name or "").strip():
        add("name", _("请填写受理台名称"))
    elif Desk.objects.filter(name=name.strip()).exclude(pk=getattr(desk, "pk", None)).exists():
        add("name", _("已有名为“%(n)s”的受理台") % {"n": name.strip()})
    if not submitter_kinds:
        add("submitter_kinds", _("请至少选择一类可提交人"))
    bad = [k for k in submitter_kinds if k not in SubmitterKind.values]
    if bad:
        add("submitter_kinds", _("未知提交人类型：%(k)s") % {"k": ", ".join(bad)})
    if not (isinstance(decline_hours, int) and 1 <= decline_hours <= MAX_DECLINE_HOURS):
        add("decline_hours", _("退回时限须在 1 到 %(n)d 小时之间") % {"n": MAX_DECLINE_HOURS})
    for message in _step_errors(escalation_steps or []):
        add("escalation_steps", message)
    active = [c for c in categories if c.get("is_active", True)]
    if not active:
        add("categories", _("请至少设置一个有效的问题类别"))
    seen: set[str] = set()
    for c in categories:
        cat_name = (c.get("name") or "").strip()
        if not cat_name:
            add("categories", _("问题类别须填写名称"))
            continue
        if cat_name in seen:
            add("categories", _("问题类别“%(n)s”重复") % {"n": cat_name})
        seen.add(cat_name)
        days = c.get("deadline_days")
        if not (isinstance(days, int) and 1 <= days <= MAX_DEADLINE_DAYS):
            add("categories", _("问题类别“%(n)s”的办理时限须在 1 到 %(d)d 个工作日之间") % {
                "n": cat_name, "d": MAX_DEADLINE_DAYS})
    return errors


@transaction.atomic
def desk_update(*, desk: Desk, actor, name: str, submitter_kinds: Sequence[str], categories: Sequence[dict],
                decline_hours: int, escalation_steps: Sequence[dict], assignable_units: Iterable[Unit] = (),
                handlers: Iterable = (), head: Person | None = None, description: str = "",
                is_active: bool = True) -> Desk:
    """Change a desk's configuration: validated as a whole first, so nothing is saved when anything is wrong.

    ``categories`` are dicts with ``name``, ``deadline_days``, ``is_active`` and, for existing ones, ``pk``;
    an existing category left out is deactivated (its cases keep it). New deadlines apply to cases accepted
    from now on; running cases keep the deadline they were given.
    """
    if not may_configure(actor):
        raise PermissionDenied(_("只有县级管理员可以配置受理台"))
    errors = _desk_errors(desk=desk, code=desk.code, name=name, submitter_kinds=submitter_kinds,
                          decline_hours=decline_hours, escalation_steps=escalation_steps, categories=categories)
    existing = {c.pk: c for c in desk.categories.all()}
    for message in _category_clashes(existing, categories):
        errors.setdefault("categories", []).append(message)
    if errors:
        raise ValidationError(errors)
    record_update(obj=desk, data={"name": name.strip(), "description": description.strip(),
                                  "submitter_kinds": list(dict.fromkeys(submitter_kinds)), "head": head,
                                  "decline_hours": decline_hours, "escalation_steps": _plain_steps(escalation_steps),
                                  "is_active": is_active}, actor=actor)
    m2m: dict[str, list] = {}
    for field, new in (("assignable_units", list(assignable_units)), ("handlers", list(handlers))):
        manager = getattr(desk, field)
        before = sorted(manager.values_list("pk", flat=True))
        after = sorted({o.pk for o in new})
        if before != after:
            manager.set(new)
            m2m[field] = [before, after]
    if m2m:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=desk, changes=m2m)
    kept = set()
    # Existing rows first: a new category may take a name an existing one is giving up in the same save.
    for sort, spec in enumerate(categories):
        data = {"name": spec["name"].strip(), "deadline_days": spec["deadline_days"], "sort": sort,
                "is_active": spec.get("is_active", True)}
        if spec.get("pk"):
            kept.add(spec["pk"])
            record_update(obj=existing[spec["pk"]], data=data, actor=actor)
    for sort, spec in enumerate(categories):
        if not spec.get("pk"):
            category_create(desk=desk, name=spec["name"].strip(), deadline_days=spec["deadline_days"], sort=sort,
                            actor=actor)
    for pk, cat in existing.items():
        if pk not in kept:
            record_set_active(obj=cat, active=False, actor=actor)
    return desk


def _category_clashes(existing: dict[int, Category], categories: Sequence[dict]) -> list[str]:
    """Names the (desk, name) constraint would refuse part-way through a save, found before anything is written."""
    out = []
    kept = {c["pk"] for c in categories if c.get("pk")}
    if kept - set(existing):
        out.append(_("类别不属于该受理台"))
    held = {c.name: pk for pk, c in existing.items()}
    for spec in categories:
        name, pk = (spec.get("name") or "").strip(), spec.get("pk")
        other = held.get(name)
        if other is None or other == pk:
            continue
        if pk or other not in kept:
            out.append(_("类别名称“%(n)s”正被另一类别使用，请先修改那个类别，保存后再改") % {"n": name})
    return out


def category_create(*, desk: Desk, name: str, deadline_days: int, actor, sort: int = 0) -> Category:
    """A category of a desk with its default deadline in working days."""
    return record_create(model=Category, data={"desk": desk, "name": name, "deadline_days": deadline_days,
                                               "sort": sort}, actor=actor)


@transaction.atomic
def unit_head_set(*, unit: Unit, person: Person, actor) -> UnitHead:
    """Name who answers for a unit's overdue cases."""
    Unit.objects.select_for_update(no_key=True).filter(pk=unit.pk).first()  # one writer of a unit's head at a time
    head = UnitHead.objects.filter(unit=unit).first()
    if head is None:
        return record_create(model=UnitHead, data={"unit": unit, "person": person}, actor=actor)
    before = head.person_id
    head.person = person
    head.full_clean()
    head.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=head, changes={"person": [before, person.pk]})
    return head


def calendar_entry_add(*, date: dt.date, kind: str, actor, name: str = "") -> CalendarEntry:
    """Extend the working calendar (a new year's notice, a local adjustment): county administrators only."""
    if not may_configure(actor):
        raise PermissionDenied(_("只有县级管理员可以修改工作日历"))
    if kind not in CalendarEntryKind.values:
        raise ValidationError({"kind": _("未知类型")})
    if kind == CalendarEntryKind.WORKDAY and date.weekday() < 5:
        shipped = work_calendar()
        if shipped.is_workday(date):
            raise ValidationError({"date": _("该日已是工作日")})
    return record_create(model=CalendarEntry, data={"date": date, "kind": kind, "name": name}, actor=actor)


@transaction.atomic
def calendar_entry_remove(*, entry: CalendarEntry, actor) -> None:
    """Take back a mistaken calendar entry; the audit row keeps what it was. Deadlines already set stay as
    they are (like an added entry, the change applies to cases accepted afterwards)."""
    if not may_configure(actor):
        raise PermissionDenied(_("只有县级管理员可以修改工作日历"))
    audit_record(actor=actor, action=AuditAction.DELETE, obj=entry,
                 changes={"date": [entry.date.isoformat(), None], "kind": [entry.kind, None], "name": [entry.name, None]})
    CalendarEntry.objects.filter(pk=entry.pk).delete()


# --- attachments -----------------------------------------------------------------------------------


def _attach(case: Case, uploads: Sequence, *, stage: str, actor) -> list[Attachment]:
    """Store uploads under MEDIA_ROOT/cases/YYYY/MM/<random>.<ext>; the original name is only metadata."""
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": _("附件最多 %(n)d 个") % {"n": MAX_ATTACHMENTS}})
    out = []
    for upload in uploads:
        checked = upload_read(upload, field="attachments")
        name, data = checked.name, checked.data
        path = upload_store(checked, f"cases/{clock.local_today():%Y/%m}")
        att = Attachment.objects.create(
            case=case, file=path, content_type=checked.content_type, original_name=name, size=len(data),
            sha256=hashlib.sha256(data).hexdigest(), stage=stage,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(actor=actor, action=AuditAction.CREATE, obj=att, changes={"case": [None, case.pk],
                                                                             "name": [None, name]})
        out.append(att)
    if out:
        _event(case, actor=actor, kind=EventKind.ATTACH, note="、".join(a.original_name for a in out),
               data={"attachments": [a.pk for a in out], "stage": stage})
    return out


@transaction.atomic
def attachment_add(*, case: Case, uploads: Sequence, actor, stage: str = "", token: str | None = None) -> list:
    """Add evidence to a case (submitter, handlers or desk staff)."""
    from .permissions import is_handler, is_submitter

    if not (is_submitter(actor, case, token) or is_handler(actor, case) or is_desk_staff(actor, case.desk)):
        raise PermissionDenied
    return _attach(case, uploads, stage=stage, actor=actor)


# --- submission ------------------------------------------------------------------------------------


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
    from django.db.models import Q

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


@transaction.atomic
def case_submit(*, desk: Desk, title: str, description: str, submitter_kind: str, actor,
                category: Category | None = None, location: str = "", submitter_enterprise: Enterprise | None = None,
                submitter_person: Person | None = None, submitter_name: str = "", submitter_phone: str = "",
                ref=None, attachments: Sequence = ()) -> Case:
    """A new case on a desk from one of the desk's allowed submitter kinds; returns it with a private token."""
    if not desk.is_active:
        raise ValidationError({"desk": _("该受理台已停用")})
    if submitter_kind not in desk.submitter_kinds and SubmitterKind.LINK not in desk.submitter_kinds:
        raise ValidationError({"submitter_kind": _("该受理台不接受此类提交人")})
    if category is not None and category.desk_id != desk.pk:
        raise ValidationError({"category": _("类别不属于该受理台")})
    if submitter_kind == SubmitterKind.ENTERPRISE and submitter_enterprise is None:
        raise ValidationError({"submitter_enterprise": _("请指定提交企业")})
    if submitter_kind == SubmitterKind.RESIDENT:
        from bole.org.validators import InvalidValue, clean_phone

        try:
            submitter_phone = clean_phone(submitter_phone)
        except InvalidValue as exc:
            raise ValidationError({"submitter_phone": str(exc)}) from None
    case = Case(
        desk=desk, category=category, title=title.strip(), description=description.strip(), location=location.strip(),
        submitter_kind=submitter_kind, submitter_user=actor if getattr(actor, "pk", None) else None,
        submitter_enterprise=submitter_enterprise, submitter_person=submitter_person,
        submitter_name=submitter_name.strip(), submitter_phone=submitter_phone.strip(),
        follow_token=secrets.token_urlsafe(24), submitted_at=clock.now(), state=State.SUBMITTED,
    )
    if ref is not None:
        case.ref_type = ContentType.objects.get_for_model(ref)
        case.ref_id = ref.pk
    case.full_clean()
    case.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=case,
                 changes={"desk": [None, desk.pk], "state": [None, State.SUBMITTED], "title": [None, case.title]})
    _event(case, actor=actor, kind=EventKind.SUBMIT, to_state=State.SUBMITTED, note=case.title, at=case.submitted_at)
    if attachments:
        _attach(case, attachments, stage="submit", actor=actor)
    return case


# --- the transition service ------------------------------------------------------------------------


def _deadline_fields(start_day: dt.date, days: int) -> dict[str, Any]:
    """Receipt day, deadline and the first yellow day for a case started on start_day."""
    cal = work_calendar()
    received = cal.receipt_day(start_day)
    deadline = cal.add_workdays(received, days)
    return {"received_on": received, "deadline": deadline, "warn_on": warn_day(deadline, days)}


def warn_day(deadline: dt.date, allowed: int, *, yellow_days: int = 1, yellow_fraction: float = 0.2) -> dt.date:
    """First date on which status_colour turns yellow (kept on the record so lists can filter by colour)."""
    k = max(yellow_days, int(yellow_fraction * allowed))
    return work_calendar().add_workdays(deadline, -k)


def _check_unit(desk: Desk, unit: Unit | None, field: str) -> None:
    if unit is None:
        raise ValidationError({field: _("请指定承办单位")})
    if desk.assignable_units.exists() and not desk.assignable_units.filter(pk=unit.pk).exists():
        raise ValidationError({field: _("该单位不在本受理台的可交办范围内")})


def _check_owner(unit: Unit, owner: Person | None, *, task: bool = False) -> None:
    """An owner (责任人) is an active person of the handling unit or one of its sub-units."""
    if owner is not None and not (owner.is_active and owner.unit.path.startswith(unit.path)):
        raise ValidationError({"owner": _("协办责任人须是协办单位的在册人员") if task else _("责任人须属于承办单位")})


def _make_tasks(case: Case, co_units: Sequence[dict], *, actor) -> list[CaseTask]:
    """Co-unit sub-tasks from specs (unit, description, deadline or deadline_days, optional owner person)."""
    cal = work_calendar()
    today = clock.local_today()
    tasks = []
    for spec in co_units:
        unit = spec["unit"]
        _check_unit(case.desk, unit, "co_units")
        if unit.pk == case.lead_unit_id:
            raise ValidationError({"co_units": _("协办单位不能与承办单位相同")})
        deadline = spec.get("deadline") or cal.add_workdays(today, int(spec.get("deadline_days") or 5))
        if case.deadline and deadline > case.deadline:
            raise ValidationError({"co_units": _("协办期限不能晚于办理期限")})
        owner = spec.get("owner")
        _check_owner(unit, owner, task=True)
        task = CaseTask(case=case, unit=unit, description=spec.get("description") or _("协助办理"), deadline=deadline,
                        owner=owner)
        task.full_clean()
        task.save()
        audit_record(actor=actor, action=AuditAction.CREATE, obj=task,
                     changes={"case": [None, case.pk], "unit": [None, unit.pk], "owner": [None, task.owner_id]})
        _event(case, actor=actor, kind=EventKind.TASK,
               note=f"{unit.name}：{task.description}" + (f"（{owner.name}）" if owner else ""),
               data={"task": task.pk, "unit": unit.pk, "owner": task.owner_id, "deadline": deadline.isoformat()})
        notify.after_task(task=task, declined=False, actor=actor)
        tasks.append(task)
    return tasks


@transaction.atomic
def case_transition(*, case: Case, action: str, actor, token: str | None = None, note: str = "",
                    by_rule: bool = False, **params: Any) -> Case:
    """The only way a case changes state: table check, permission check, effects, timeline row, audit row.

    ``by_rule`` is for routing rules of other services (a stairwell request goes to its adopter), never views.
    """
    case = (Case.objects.select_for_update(of=("self",))
            .select_related("desk", "category", "lead_unit", "review_unit").get(pk=case.pk))
    target = TRANSITIONS.get((case.state, action))
    if target is None:
        raise ValidationError({"action": _("当前状态“%(s)s”不允许“%(a)s”") % {
            "s": State(case.state).label, "a": Action(action).label if action in Action.values else action}})
    if not by_rule and not may_act(actor, case, action, token):
        raise PermissionDenied(_("无权执行此操作"))
    before = {"state": case.state, "lead_unit": case.lead_unit_id, "owner": case.owner_id,
              "deadline": case.deadline.isoformat() if case.deadline else None, "rating": case.rating,
              "level": case.level}
    now = clock.now()
    data: dict[str, Any] = {}
    handler = _EFFECTS[action]
    target = handler(case, now=now, actor=actor, data=data, note=note, **params) or target
    from_state = case.state
    case.state = target
    case.full_clean()
    case.save()
    after = {"state": case.state, "lead_unit": case.lead_unit_id, "owner": case.owner_id,
             "deadline": case.deadline.isoformat() if case.deadline else None, "rating": case.rating,
             "level": case.level}
    changes = {k: [before[k], v] for k, v in after.items() if before[k] != v}
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=case, changes={**changes, "action": action})
    event = _event(case, actor=actor, kind=EventKind.TRANSITION, action=action, from_state=from_state,
                   to_state=target, note=note or data.pop("_note", ""), data=data, at=now)
    notify.after_transition(case=case, action=action, event_id=event.pk, actor=actor)
    return case


def _accept(case: Case, *, now, actor, data, note, category: Category | None = None,
            deadline_days: int | None = None, **_rest):
    if category is not None:
        if category.desk_id != case.desk_id:
            raise ValidationError({"category": _("类别不属于该受理台")})
        case.category = category
    days = deadline_days or (case.category.deadline_days if case.category else 10)
    case.__dict__.update(_deadline_fields(local_date(case.submitted_at), int(days)))
    case.accepted_at = now
    data["deadline"] = case.deadline.isoformat()
    data["_note"] = _("办理时限 %(n)s 个工作日，期限 %(d)s") % {"n": days, "d": case.deadline}


def _reject(case: Case, *, now, actor, data, note, reason: str = "", **_rest):
    if not (reason or note).strip():
        raise ValidationError({"reason": _("不予受理须说明理由")})
    case.reject_reason = (reason or note).strip()
    case.closed_at = now
    data["_note"] = case.reject_reason


def _assign(case: Case, *, now, actor, data, note, lead_unit: Unit | None = None, owner: Person | None = None,
            co_units: Sequence[dict] = (), **_rest):
    _check_unit(case.desk, lead_unit, "lead_unit")
    _check_owner(lead_unit, owner)
    case.lead_unit = lead_unit
    case.owner = owner
    case.assigned_at = now
    _make_tasks(case, co_units, actor=actor)
    data.update({"lead_unit": lead_unit.pk, "owner": owner.pk if owner else None})
    data["_note"] = _("交办 %(u)s") % {"u": lead_unit.name} + (f"（{owner.name}）" if owner else "")


def _decline(case: Case, *, now, actor, data, note, reason: str = "", **_rest):
    reason = (reason or note).strip()
    if not reason:
        raise ValidationError({"reason": _("退回须说明理由")})
    if case.assigned_at and now - case.assigned_at > dt.timedelta(hours=case.desk.decline_hours):
        raise ValidationError({"action": _("已超过 %(h)d 小时的退回时限") % {"h": case.desk.decline_hours}})
    Decline.objects.create(case=case, unit=case.lead_unit, reason=reason, at=now)
    data.update({"unit": case.lead_unit_id})
    data["_note"] = _("%(u)s 退回：%(r)s") % {"u": case.lead_unit.name, "r": reason}


def _arbitrate(case: Case, *, now, actor, data, note, lead_unit: Unit | None = None, owner: Person | None = None,
               **_rest):
    _check_unit(case.desk, lead_unit, "lead_unit")
    _check_owner(lead_unit, owner)
    Decline.objects.filter(case=case, task__isnull=True, reassigned_to__isnull=True).update(reassigned_to=lead_unit)
    case.lead_unit = lead_unit
    case.owner = owner
    case.assigned_at = now
    data.update({"lead_unit": lead_unit.pk, "owner": owner.pk if owner else None})
    data["_note"] = _("协调后交办 %(u)s") % {"u": lead_unit.name}


def _start(case: Case, *, now, actor, data, note, **_rest):
    return None


def _resolve(case: Case, *, now, actor, data, note, resolution: str = "", attachments: Sequence = (), **_rest):
    if case.tasks.filter(state=TaskState.OPEN).exists():
        raise ValidationError({"action": _("尚有协办任务未完成，不能办结")})
    resolution = (resolution or note).strip()
    if not resolution:
        raise ValidationError({"resolution": _("请填写办理结果")})
    case.resolution = resolution
    case.resolved_at = now
    case.resolved_on = local_date(now)
    cal = work_calendar()
    case.resolve_workdays = cal.workdays_between(case.received_on or local_date(case.submitted_at), case.resolved_on)
    case.on_time = case.deadline is None or case.resolved_on <= case.deadline
    if attachments:
        _attach(case, attachments, stage="resolve", actor=actor)
    data["_note"] = resolution


def _rate(case: Case, *, now, actor, data, note, rating: str = "", comment: str = "", **_rest):
    if rating not in Rating.values:
        raise ValidationError({"rating": _("请选择满意度")})
    case.rating = rating
    case.rating_comment = (comment or note)[:500]
    case.rated_at = now
    data["rating"] = rating
    data["_note"] = Rating(rating).label + (f"：{case.rating_comment}" if case.rating_comment else "")
    if rating == Rating.UNSATISFIED and case.reopen_count == 0:
        # 不满意 reopens once, one level up: the lead unit's parent reviews, with a fresh deadline.
        case.reopen_count += 1
        case.level += 1
        case.review_unit = case.lead_unit.parent if case.lead_unit and case.lead_unit.parent_id else None
        days = case.category.deadline_days if case.category else 10
        fields = _deadline_fields(local_date(now), days)
        case.deadline, case.warn_on = fields["deadline"], fields["warn_on"]
        case.resolved_at = case.resolved_on = case.on_time = case.resolve_workdays = None
        case.escalation_level = 0
        data["reopened"] = True
        data["_note"] += _("；重新办理，提级复核")
        return State.IN_PROGRESS
    case.closed_at = now
    return State.CLOSED


def _merge(case: Case, *, now, actor, data, note, into: Case | None = None, **_rest):
    if into is None or into.pk == case.pk or into.desk_id != case.desk_id:
        raise ValidationError({"into": _("请选择同一受理台的另一件诉求")})
    if into.state in {State.MERGED, State.REJECTED}:
        raise ValidationError({"into": _("不能合并到已合并或不予受理的诉求")})
    case.merged_into = into
    case.closed_at = now
    data["into"] = into.pk
    data["_note"] = _("合并至 %(n)s") % {"n": into.number}
    _event(into, actor=actor, kind=EventKind.MERGE, note=_("合并了 %(n)s") % {"n": case.number},
           data={"from": case.pk}, at=now)


_EFFECTS = {
    Action.ACCEPT: _accept, Action.REJECT: _reject, Action.ASSIGN: _assign, Action.DECLINE: _decline,
    Action.ARBITRATE: _arbitrate, Action.START: _start, Action.RESOLVE: _resolve, Action.RATE: _rate,
    Action.MERGE: _merge,
}


# --- co-unit tasks ---------------------------------------------------------------------------------


@transaction.atomic
def task_add(*, case: Case, unit: Unit, description: str, actor, deadline: dt.date | None = None,
             deadline_days: int | None = None, owner: Person | None = None) -> CaseTask:
    """Add a co-unit sub-task to a case being handled (desk staff or the lead unit), optionally naming its owner."""
    from .permissions import may_record_meeting

    if not may_record_meeting(actor, case):
        raise PermissionDenied
    if case.state not in {State.ASSIGNED, State.IN_PROGRESS}:
        raise ValidationError({"action": _("只能为办理中的诉求添加协办任务")})
    return _make_tasks(case, [{"unit": unit, "description": description, "deadline": deadline,
                               "deadline_days": deadline_days, "owner": owner}], actor=actor)[0]


def _open_task(task: CaseTask, actor) -> CaseTask:
    """The task locked for a co-unit's write, after the permission and state checks."""
    task = CaseTask.objects.select_for_update(of=("self",)).select_related("case__desk", "unit").get(pk=task.pk)
    if not may_work_task(actor, task):
        raise PermissionDenied
    if task.state != TaskState.OPEN:
        raise ValidationError({"action": _("该协办任务已结束")})
    return task


@transaction.atomic
def task_owner_set(*, task: CaseTask, owner: Person | None, actor) -> CaseTask:
    """The co-unit (or the desk) names who answers for an open sub-task; it then counts in that person's
    task-completion rate."""
    task = _open_task(task, actor)
    _check_owner(task.unit, owner, task=True)
    before = task.owner_id
    if before == getattr(owner, "pk", None):
        return task
    task.owner = owner
    task.save(update_fields=["owner"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=task, changes={"owner": [before, task.owner_id]})
    _event(task.case, actor=actor, kind=EventKind.TASK, note=_("%(u)s 协办责任人：%(p)s") % {
        "u": task.unit.name, "p": owner.name if owner else "—"}, data={"task": task.pk, "owner": task.owner_id})
    return task


@transaction.atomic
def task_complete(*, task: CaseTask, result: str, actor, owner: Person | None = None) -> CaseTask:
    """A co-unit reports its part done (naming, if not named before, who did it)."""
    task = _open_task(task, actor)
    if not result.strip():
        raise ValidationError({"result": _("请填写协办结果")})
    changes: dict[str, list] = {"state": ["open", "done"]}
    if owner is not None and owner.pk != task.owner_id:
        _check_owner(task.unit, owner, task=True)
        changes["owner"] = [task.owner_id, owner.pk]
        task.owner = owner
    task.state, task.result, task.done_at = TaskState.DONE, result.strip(), clock.now()
    task.save()
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=task, changes=changes)
    _event(task.case, actor=actor, kind=EventKind.TASK, note=_("%(u)s 完成协办：%(r)s") % {
        "u": task.unit.name, "r": task.result}, data={"task": task.pk, "state": "done"})
    return task


@transaction.atomic
def task_decline(*, task: CaseTask, reason: str, actor) -> CaseTask:
    """A co-unit refuses its sub-task with a reason, within the desk's decline window; counted as a decline."""
    task = CaseTask.objects.select_for_update(of=("self",)).select_related("case__desk", "unit").get(pk=task.pk)
    if not unit_covers(actor, task.unit):
        raise PermissionDenied
    if task.state != TaskState.OPEN:
        raise ValidationError({"action": _("该协办任务已结束")})
    if not reason.strip():
        raise ValidationError({"reason": _("退回须说明理由")})
    now = clock.now()
    if now - task.created_at > dt.timedelta(hours=task.case.desk.decline_hours):
        raise ValidationError({"action": _("已超过 %(h)d 小时的退回时限") % {"h": task.case.desk.decline_hours}})
    task.state, task.result, task.done_at = TaskState.DECLINED, reason.strip(), now
    task.save()
    Decline.objects.create(case=task.case, task=task, unit=task.unit, reason=reason.strip(), at=now)
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=task, changes={"state": ["open", "declined"]})
    _event(task.case, actor=actor, kind=EventKind.TASK, note=_("%(u)s 退回协办：%(r)s") % {
        "u": task.unit.name, "r": reason}, data={"task": task.pk, "state": "declined"})
    notify.after_task(task=task, declined=True, actor=actor)
    return task


@transaction.atomic
def task_reassign(*, task: CaseTask, unit: Unit, actor, deadline: dt.date | None = None,
                  owner: Person | None = None) -> CaseTask:
    """The desk arbitrates a declined sub-task by giving it to another (or the same) unit and, if known, owner."""
    task = CaseTask.objects.select_related("case__desk").get(pk=task.pk)
    if not is_desk_staff(actor, task.case.desk):
        raise PermissionDenied
    if task.state != TaskState.DECLINED:
        raise ValidationError({"action": _("只有被退回的协办任务可以改派")})
    Decline.objects.filter(task=task).update(reassigned_to=unit)
    return _make_tasks(task.case, [{"unit": unit, "description": task.description,
                                    "deadline": deadline or task.deadline, "owner": owner}], actor=actor)[0]


# --- coordination meetings ------------------------------------------------------------------------


@transaction.atomic
def meeting_record(*, case: Case, held_at: dt.datetime, minutes: str, actor, place: str = "",
                   units: Iterable[Unit] = (), attendees: Iterable[Person] = (), other_attendees: str = "",
                   decisions: Sequence[dict] = ()) -> Meeting:
    """Record a 协调会 with its attendees, minutes and decisions (owner, deadline)."""
    from .permissions import may_record_meeting

    if not may_record_meeting(actor, case):
        raise PermissionDenied
    if case.state in {State.REJECTED, State.MERGED, State.CLOSED}:
        raise ValidationError({"case": _("该诉求已结束")})
    if not minutes.strip():
        raise ValidationError({"minutes": _("请填写会议纪要")})
    meeting = Meeting(case=case, held_at=held_at, place=place, minutes=minutes.strip(),
                      other_attendees=other_attendees)
    meeting.full_clean()
    meeting.save()
    meeting.units.set(list(units))
    meeting.attendees.set(list(attendees))
    for spec in decisions:
        d = Decision(meeting=meeting, text=spec["text"], owner_unit=spec.get("owner_unit"),
                     owner_person=spec.get("owner_person"), deadline=spec.get("deadline"))
        d.full_clean()
        d.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=meeting,
                 changes={"case": [None, case.pk], "decisions": [None, len(decisions)]})
    _event(case, actor=actor, kind=EventKind.MEETING, note=_("召开协调会：%(m)s") % {"m": meeting.minutes[:80]},
           data={"meeting": meeting.pk, "units": [u.pk for u in meeting.units.all()]})
    return meeting


# --- overdue sweep ---------------------------------------------------------------------------------


def _targets(desks: dict[int, Desk], desk_ids: np.ndarray, overdue: np.ndarray, red: np.ndarray) -> np.ndarray:
    """Escalation level each case should have reached under its desk's steps."""
    level = np.zeros(len(desk_ids), dtype=np.int16)
    for desk_id, desk in desks.items():
        mask = (desk_ids == desk_id) & red
        if not mask.any():
            continue
        for i, step in enumerate(desk.escalation_steps, start=1):
            level[mask & (overdue >= int(step["overdue_days"]))] = i
    return level


@transaction.atomic
def case_sweep(*, actor=None, today: dt.date | None = None, chunk: int = 5000) -> dict[str, int]:
    """Periodic job: find overdue cases on the working calendar and escalate each level once (idempotent)."""
    today = today or clock.local_today()
    rows = list(Case.objects.filter(state__in=RUNNING_STATES, deadline__isnull=False)
                .values_list("id", "deadline", "escalation_level", "desk_id", "lead_unit_id", "reopen_count"))
    result = {"open": len(rows), "overdue": 0, "escalated": 0, "notified": 0}
    if not rows:
        return result
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    deadlines = np.array([r[1] for r in rows], dtype="datetime64[D]")
    current = np.fromiter((r[2] for r in rows), dtype=np.int16, count=len(rows))
    desk_ids = np.fromiter((r[3] for r in rows), dtype=np.int64, count=len(rows))
    units = np.fromiter((r[4] or 0 for r in rows), dtype=np.int64, count=len(rows))
    rounds = np.fromiter((r[5] for r in rows), dtype=np.int16, count=len(rows))
    cal = work_calendar()
    today64 = np.datetime64(today, "D")
    red = deadlines < today64
    overdue = cal.workdays_between_arrays(deadlines, np.full(len(rows), today64))
    result["overdue"] = int(red.sum())
    desks = {d.pk: d for d in Desk.objects.filter(pk__in=np.unique(desk_ids).tolist()).select_related("head")}
    target = _targets(desks, desk_ids, overdue, red)
    todo = np.nonzero(target > current)[0]
    if todo.size == 0:
        return result
    heads = dict(UnitHead.objects.values_list("unit_id", "person_id"))
    now = clock.now()
    label = actor_label(actor)
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    target_labels = {k: str(v) for k, v in EscalationTarget.choices}
    note_tpl = _("超期 %(d)d 个工作日，督办至%(t)s")
    from bole.core.context import current_request_id

    rid = current_request_id()
    esc_rows, event_rows, audit_rows, notice_rows = [], [], [], []
    for idx in todo.tolist():
        case_id, desk = int(ids[idx]), desks[int(desk_ids[idx])]
        unit_id = int(units[idx]) or None
        days = int(overdue[idx])
        for level in range(int(current[idx]) + 1, int(target[idx]) + 1):
            step_target = desk.escalation_steps[level - 1]["target"]
            person_id = heads.get(unit_id) if step_target == EscalationTarget.UNIT_HEAD else desk.head_id
            esc_rows.append((case_id, level, int(rounds[idx]), step_target, unit_id, person_id, days, now))
            notice_rows.append((case_id, desk.pk, level, step_target, unit_id, person_id, days, int(rounds[idx])))
            note = note_tpl % {"d": days, "t": target_labels[step_target]}
            event_rows.append((case_id, now, actor_id, label, EventKind.ESCALATE, "", "", "", note,
                               f'{{"level": {level}}}'))
            audit_rows.append((now, actor_id, label, AuditAction.UPDATE, "cases.case", str(case_id),
                               case_number(desk_ids[idx], case_id), f'{{"escalation_level": [{level - 1}, {level}]}}',
                               rid))
    by_level: dict[int, list[int]] = {}
    for idx in todo.tolist():
        by_level.setdefault(int(target[idx]), []).append(int(ids[idx]))
    for level, case_ids in by_level.items():
        for start in range(0, len(case_ids), chunk):
            Case.objects.filter(pk__in=case_ids[start: start + chunk]).update(escalation_level=level)
    insert_rows(Escalation, ["case_id", "level", "round", "target", "unit_id", "person_id", "overdue_workdays",
                              "at"], esc_rows)
    insert_rows(Event, ["case_id", "at", "actor_id", "actor_label", "kind", "action", "from_state", "to_state",
                         "note", "data"], event_rows)
    from bole.core.models import AuditEvent

    insert_rows(AuditEvent, ["at", "actor_id", "actor_label", "action", "object_type", "object_id", "object_repr",
                              "changes", "request_id"], audit_rows)
    result["escalated"] = len(esc_rows)
    result["notified"] = notify.after_escalations(notice_rows)
    return result


# --- bulk history (demo data, migrations from spreadsheets) ----------------------------------------


@transaction.atomic
def case_bulk_history(*, desk: Desk, rows: Sequence[dict[str, Any]], actor, batch_size: int = 5000) -> int:
    """Insert cases that already went through their lifecycle (closed/resolved/in progress), with timeline and
    audit rows, using the same deadline rules as the transition service; for imports and the demo county."""
    cal = work_calendar()
    cats = {c.pk: c for c in desk.categories.all()}
    allowed = {State.CLOSED, State.RESOLVED, State.IN_PROGRESS, State.ASSIGNED}
    for r in rows:
        if r["state"] not in allowed:
            raise ValidationError({"state": _("批量导入只支持已交办及之后的状态")})
        if r.get("category") is not None and r["category"].pk not in cats:
            raise ValidationError({"category": _("类别不属于该受理台")})
        if r["submitter_kind"] not in desk.submitter_kinds:
            raise ValidationError({"submitter_kind": _("该受理台不接受此类提交人")})
    if not rows:
        return 0
    submitted = np.array([local_date(r["submitted_at"]) for r in rows], dtype="datetime64[D]")
    days = np.array([(r["category"].deadline_days if r.get("category") else 10) for r in rows], dtype=np.int64)
    received = cal.add_workdays_array(submitted, np.zeros(len(rows), dtype=np.int64))
    deadlines = cal.add_workdays_array(received, days)
    k = np.maximum(1, (0.2 * days).astype(np.int64))
    warns = cal.add_workdays_array(deadlines, -k)
    resolved_days = [local_date(r["resolved_at"]) if r.get("resolved_at") else None for r in rows]
    has_res = np.array([d is not None for d in resolved_days])
    res_arr = np.where(has_res, np.array([d or dt.date(2024, 1, 2) for d in resolved_days], dtype="datetime64[D]"),
                       received)
    res_wd = cal.workdays_between_arrays(received, res_arr)
    written = 0
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    label = actor_label(actor)
    ref_types: dict[type, ContentType] = {}
    for start in range(0, len(rows), batch_size):
        objs = []
        for i in range(start, min(start + batch_size, len(rows))):
            r = rows[i]
            ref = r.get("ref")
            ref_type = None
            if ref is not None:
                ref_type = ref_types.setdefault(type(ref), ContentType.objects.get_for_model(ref))
            res_on = resolved_days[i]
            objs.append(Case(
                desk=desk, category=r.get("category"), title=r["title"], description=r["description"],
                location=r.get("location", ""), submitter_kind=r["submitter_kind"],
                submitter_enterprise=r.get("submitter_enterprise"), submitter_person=r.get("submitter_person"),
                submitter_name=r.get("submitter_name", ""), submitter_phone=r.get("submitter_phone", ""),
                follow_token=secrets.token_urlsafe(24), ref_type=ref_type, ref_id=ref.pk if ref else None,
                state=r["state"], lead_unit=r["lead_unit"], owner=r.get("owner"), submitted_at=r["submitted_at"],
                received_on=received[i].item(), deadline=deadlines[i].item(), warn_on=warns[i].item(),
                accepted_at=r["accepted_at"], assigned_at=r["assigned_at"], resolved_at=r.get("resolved_at"),
                resolved_on=res_on, resolve_workdays=int(res_wd[i]) if has_res[i] else None,
                on_time=(res_on <= deadlines[i].item()) if res_on else None,
                resolution=r.get("resolution", ""), rating=r.get("rating", ""),
                rated_at=r.get("rated_at"), closed_at=r.get("rated_at") if r["state"] == State.CLOSED else None,
            ))
        for o in objs:
            o.full_clean(exclude=["follow_token", "ref_type", "category", "desk", "lead_unit", "owner",
                                  "submitter_enterprise", "submitter_person"], validate_unique=False)
        Case.objects.bulk_create(objs)
        events, audits = [], []
        for o in objs:
            steps = [(o.submitted_at, EventKind.SUBMIT, "", "", State.SUBMITTED, o.title),
                     (o.accepted_at, EventKind.TRANSITION, Action.ACCEPT, State.SUBMITTED, State.ACCEPTED, ""),
                     (o.assigned_at, EventKind.TRANSITION, Action.ASSIGN, State.ACCEPTED, State.ASSIGNED,
                      o.lead_unit.name)]
            if o.state != State.ASSIGNED:
                steps.append((o.assigned_at, EventKind.TRANSITION, Action.START, State.ASSIGNED,
                              State.IN_PROGRESS, ""))
            if o.resolved_at:
                steps.append((o.resolved_at, EventKind.TRANSITION, Action.RESOLVE, State.IN_PROGRESS,
                              State.RESOLVED, o.resolution))
            if o.state == State.CLOSED:
                steps.append((o.rated_at, EventKind.TRANSITION, Action.RATE, State.RESOLVED, State.CLOSED,
                              Rating(o.rating).label))
            for at, kind, action, fs, ts, note in steps:
                events.append((o.pk, at, actor_id, label, str(kind), str(action), str(fs), str(ts), str(note)))
            audits.append(audit_build(actor=actor, action=AuditAction.IMPORT, obj=o,
                                      changes={"desk": [None, desk.pk], "state": [None, o.state]}))
        _insert_events(events)
        audit_bulk(audits)
        written += len(objs)
    return written


def _insert_events(rows: list[tuple]) -> None:
    """Timeline rows in one executemany: the bulk path of history imports (same columns as Event)."""
    from django.db import connection

    ops = connection.ops
    table = connection.ops.quote_name(Event._meta.db_table)
    # Only the model's own table name and a fixed cast are interpolated; every value is a bound parameter.
    cast = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    sql = (f"INSERT INTO {table} (case_id, at, actor_id, actor_label, kind, action, from_state, to_state, "  # noqa: S608
           f"note, data) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, {cast})")
    params = [(c, ops.adapt_datetimefield_value(at), a, lab, k, act, fs, ts, note, "{}")
              for c, at, a, lab, k, act, fs, ts, note in rows]
    with connection.cursor() as cursor:
        for start in range(0, len(params), 20000):
            cursor.executemany(sql, params[start: start + 20000])


@transaction.atomic
def meeting_bulk_history(*, meetings: Sequence[dict[str, Any]], actor) -> int:
    """Insert past coordination meetings (demo data, imports) with decisions, timeline and audit rows."""
    objs = [Meeting(case=m["case"], held_at=m["held_at"], place=m.get("place", ""), minutes=m["minutes"],
                    other_attendees=m.get("other_attendees", "")) for m in meetings]
    Meeting.objects.bulk_create(objs)
    through_units = Meeting.units.through
    through_people = Meeting.attendees.through
    through_units.objects.bulk_create([through_units(meeting=o, unit=u) for o, m in zip(objs, meetings, strict=True)
                                       for u in dict.fromkeys(m.get("units", []))])
    through_people.objects.bulk_create([through_people(meeting=o, person=p) for o, m in
                                        zip(objs, meetings, strict=True) for p in dict.fromkeys(m.get("attendees", []))])
    Decision.objects.bulk_create([Decision(meeting=o, **d) for o, m in zip(objs, meetings, strict=True)
                                  for d in m.get("decisions", [])])
    Event.objects.bulk_create([Event(case=o.case, at=o.held_at, actor_label=actor_label(actor),
                                     actor=actor if getattr(actor, "pk", None) else None, kind=EventKind.MEETING,
                                     note=o.minutes[:80], data={"meeting": o.pk}) for o in objs])
    audit_bulk([audit_build(actor=actor, action=AuditAction.IMPORT, obj=o, changes={"case": [None, o.case_id]})
                for o in objs])
    return len(objs)
