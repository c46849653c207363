"""Configuration of the case engine: desks and their categories, unit heads, the working calendar."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from bole.core.audit import audit_record
from bole.core.choices import AuditAction
from bole.core.records import record_create, record_set_active, record_update
from bole.core.unique import one_per
from bole.engines.workcal import OFFICIAL_ARRANGEMENTS
from bole.org.models import Person, Unit

from ..calendar import work_calendar
from ..choices import CalendarEntryKind, EscalationTarget, SubmitterKind
from ..models import CalendarEntry, CalendarYear, Category, Desk, UnitHead
from ..permissions import may_configure


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
    _require_calendar_admin(actor)
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


def _require_calendar_admin(actor) -> None:
    if not may_configure(actor):
        raise PermissionDenied(_("只有县级管理员可以修改工作日历"))


def _known_year_check(year: int) -> None:
    if year in OFFICIAL_ARRANGEMENTS:
        raise ValidationError({"year": _("%(year)s 年的安排随系统提供，已是完整的") % {"year": year}})
    if CalendarYear.objects.filter(year=year).exists():
        raise ValidationError({"year": _("%(year)s 年的安排已确认") % {"year": year}})


@transaction.atomic
def calendar_year_confirm(*, year: int, notice: str, actor) -> CalendarYear:
    """Declare a year's arrangement complete (its entries added one by one): from now its deadlines are no
    longer provisional. County administrators only; a year without a holiday entry cannot be complete."""
    _require_calendar_admin(actor)
    _known_year_check(year)
    if not CalendarEntry.objects.filter(date__year=year, kind=CalendarEntryKind.HOLIDAY).exists():
        raise ValidationError({"year": _("%(year)s 年还没有录入任何放假日期") % {"year": year}})
    return record_create(model=CalendarYear, data={"year": year, "notice": notice.strip(), "entered_by": actor},
                         actor=actor)


@transaction.atomic
def calendar_import(*, year: int, notice: str, entries: Sequence[tuple[dt.date, str, str]], actor) -> CalendarYear:
    """Write a year's whole arrangement read from the State Council notice (or a sheet) and mark the year known,
    all in one transaction: the year's earlier entries are replaced (each removal audited), nothing is written
    when any entry is refused."""
    _require_calendar_admin(actor)
    _known_year_check(year)
    if not any(kind == CalendarEntryKind.HOLIDAY for _d, kind, _n in entries):
        raise ValidationError({"entries": _("没有放假日期")})
    for old in CalendarEntry.objects.filter(date__year=year).select_for_update():
        calendar_entry_remove(entry=old, actor=actor)
    for day, kind, name in entries:
        if kind not in CalendarEntryKind.values:
            raise ValidationError({"entries": _("未知类型：%(kind)s") % {"kind": kind}})
        if kind == CalendarEntryKind.WORKDAY and day.weekday() < 5:
            raise ValidationError({"entries": _("调休上班日 %(date)s 不是周末") % {"date": day.isoformat()}})
        existing = CalendarEntry.objects.filter(date=day).first()  # a December day of the previous year
        if existing is not None:
            calendar_entry_remove(entry=existing, actor=actor)
        record_create(model=CalendarEntry, data={"date": day, "kind": kind, "name": name[:40]}, actor=actor)
    return record_create(model=CalendarYear, data={"year": year, "notice": notice.strip(), "entered_by": actor},
                         actor=actor)
