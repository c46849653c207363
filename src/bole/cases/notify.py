"""Who is told what when a case moves: escalations, assignments, declines, reopenings, resolutions.

Services call these after their own writes; the notices are stored through `bole.core.notices` (once per
recipient, case and event) and SMS goes through `bole.core.sms` after commit. Recipients:

- a unit: its unit-admin accounts (scoped to that unit, or to the unit's own region) and its head's accounts;
- the desk head: the head person's accounts, else the desk staff (someone must hear of it);
- the desk staff: the desk's handlers, else the county admins;
- the submitter: their own login, their enterprise's accounts, their person's accounts; a resident without
  a login gets an SMS to the phone they gave.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from bole.core.notices import Notice, notify, site_language
from bole.core.sms import SmsMessage, sms_send_on_commit
from bole.org.models import Account, Person, Unit

from .choices import Action, EscalationTarget, State
from .models import Case, CaseTask, Desk, UnitHead, case_number

CASE_TYPE = "cases.case"


def _active_accounts():
    return Account.objects.filter(user__is_active=True)


def unit_users(unit_ids: Iterable[int]) -> dict[int, set[int]]:
    """Unit id → user ids answering for that unit (its admins and its head's logins)."""
    ids = {i for i in unit_ids if i}
    out: dict[int, set[int]] = {i: set() for i in ids}
    if not ids:
        return out
    region_units: dict[int, list[int]] = defaultdict(list)
    for unit_id, region_id in Unit.objects.filter(pk__in=ids).values_list("id", "region_id"):
        region_units[region_id].append(unit_id)
    admins = _active_accounts().filter(role="unit_admin").filter(
        Q(unit_id__in=ids) | Q(unit__isnull=True, region_id__in=list(region_units)))
    for user_id, unit_id, region_id in admins.values_list("user_id", "unit_id", "region_id"):
        for u in [unit_id] if unit_id else region_units.get(region_id, []):
            out[u].add(user_id)
    heads = dict(UnitHead.objects.filter(unit_id__in=ids).values_list("unit_id", "person_id"))
    by_person = person_users(heads.values())
    for unit_id, person_id in heads.items():
        out[unit_id] |= by_person.get(person_id, set())
    return out


def person_users(person_ids: Iterable[int | None]) -> dict[int, set[int]]:
    """Person id → the user ids that log in as that person."""
    out: dict[int, set[int]] = defaultdict(set)
    ids = {i for i in person_ids if i}
    if ids:
        for person_id, user_id in _active_accounts().filter(person_id__in=ids).values_list("person_id", "user_id"):
            out[person_id].add(user_id)
    return out


def _handlers(desk: Desk) -> set[int]:
    return set(desk.handlers.filter(is_active=True).values_list("id", flat=True))


def desk_head_users(desk: Desk) -> set[int]:
    """The desk head's logins; the desk staff when the head has none (or no head is named)."""
    return person_users([desk.head_id]).get(desk.head_id, set()) or desk_staff_users(desk)


def desk_staff_users(desk: Desk) -> set[int]:
    """Who arbitrates for a desk: its handlers, or the county admins when it has none."""
    return _handlers(desk) or set(_active_accounts().filter(role="admin").values_list("user_id", flat=True))


def submitter_users(case: Case) -> set[int]:
    """The submitter's logins: the account that filed it, the enterprise's accounts, the person's accounts."""
    users = set()
    if case.submitter_user_id:
        users.add(case.submitter_user_id)
    cond = Q()
    if case.submitter_enterprise_id:
        cond |= Q(enterprise_id=case.submitter_enterprise_id)
    if case.submitter_person_id:
        cond |= Q(person_id=case.submitter_person_id)
    if cond:
        users |= set(_active_accounts().filter(cond).values_list("user_id", flat=True))
    from django.contrib.auth import get_user_model

    return set(get_user_model().objects.filter(pk__in=users, is_active=True).values_list("pk", flat=True))


def case_link(case_id: int) -> str:
    """The case page's path (reversed once: the sweep links tens of thousands of notices)."""
    return _case_path() % case_id


@functools.cache
def _case_path() -> str:
    return reverse("cases-detail", kwargs={"pk": 987654321}).replace("987654321", "%d")


def _short(title: str) -> str:
    return title if len(title) <= 30 else title[:29] + "…"


def _send(users: Iterable[int], *, case: Case, event: str, text: str, actor=None) -> int:
    skip = getattr(actor, "pk", None)
    return notify(Notice(recipient_id=u, object_type=CASE_TYPE, object_id=str(case.pk), event=event, text=text,
                         link=case_link(case.pk)) for u in users if u != skip)


# --- transitions ---------------------------------------------------------------------------------


def after_transition(*, case: Case, action: str, event_id: int, actor) -> int:
    """Tell the people a transition concerns; the timeline row's id makes the event key unique."""
    key = f"{action}:{event_id}"
    with site_language():
        n, title = case.number, _short(case.title)
        if action in {Action.ASSIGN, Action.ARBITRATE}:
            users = unit_users([case.lead_unit_id]).get(case.lead_unit_id, set())
            users |= person_users([case.owner_id]).get(case.owner_id, set())
            text = _("交办：诉求 %(n)s「%(t)s」已交贵单位办理，期限 %(d)s") % {"n": n, "t": title, "d": case.deadline}
            return _send(users, case=case, event=key, text=text, actor=actor)
        if action == Action.DECLINE:
            text = _("退回：%(u)s 退回了诉求 %(n)s「%(t)s」，请协调指派") % {
                "u": case.lead_unit.name if case.lead_unit else "", "n": n, "t": title}
            return _send(desk_staff_users(case.desk), case=case, event=key, text=text, actor=actor)
        if action == Action.RATE and case.state == State.IN_PROGRESS:
            units = [case.lead_unit_id, case.review_unit_id]
            by_unit = unit_users(units)
            users = set().union(*by_unit.values()) | person_users([case.owner_id]).get(case.owner_id, set())
            text = _("重办：诉求 %(n)s「%(t)s」评价不满意，已重新办理并提级复核，新期限 %(d)s") % {
                "n": n, "t": title, "d": case.deadline}
            return _send(users, case=case, event=key, text=text, actor=actor)
        if action == Action.RESOLVE:
            return _rating_request(case, key=key, actor=actor)
    return 0


def _rating_request(case: Case, *, key: str, actor) -> int:
    """Ask the submitter to rate: in the inbox when they have a login, otherwise by SMS to the given phone."""
    users = submitter_users(case)
    if users:
        text = _("办结：您提交的诉求 %(n)s「%(t)s」已办结，请评价满意度") % {"n": case.number, "t": _short(case.title)}
        return _send(users, case=case, event=key, text=text, actor=actor)
    if case.submitter_phone:
        base = getattr(settings, "BOLE_PUBLIC_URL", "").rstrip("/")
        link = base + reverse("cases-follow", kwargs={"token": case.follow_token}) if base else ""
        text = _("【伯乐】您提交的诉求 %(n)s 已办结，请评价满意度。") % {"n": case.number}
        sms_send_on_commit([SmsMessage(phone=case.submitter_phone, text=text + link)])
    return 0


def after_task(*, task: CaseTask, declined: bool, actor) -> int:
    """A co-unit is told of its sub-task; the desk staff are told when a co-unit refuses it."""
    case = task.case
    with site_language():
        if declined:
            text = _("退回：%(u)s 退回了诉求 %(n)s 的协办任务，请改派") % {"u": task.unit.name, "n": case.number}
            return _send(desk_staff_users(case.desk), case=case, event=f"task-decline:{task.pk}", text=text,
                         actor=actor)
        users = unit_users([task.unit_id]).get(task.unit_id, set())
        text = _("协办：诉求 %(n)s「%(t)s」请贵单位协办：%(w)s，期限 %(d)s") % {
            "n": case.number, "t": _short(case.title), "w": task.description, "d": task.deadline}
        return _send(users, case=case, event=f"task:{task.pk}", text=text, actor=actor)


# --- the overdue sweep ---------------------------------------------------------------------------


def after_escalations(rows: list[tuple[int, int, int, str, int | None, int | None, int, int]]) -> int:
    """Notices for new escalation rows (case, desk, level, target, unit, person, overdue days, round).

    `round` is the case's reopen count, so escalations after a reopening are new events. Each escalated
    person also gets one SMS per sweep run that counts their new cases (not one text per case).
    """
    if not rows:
        return 0
    desks = {d.pk: d for d in Desk.objects.filter(pk__in={r[1] for r in rows})}
    by_unit = unit_users(r[4] for r in rows if r[3] == EscalationTarget.UNIT_HEAD)
    head_desks = {r[1] for r in rows if r[3] == EscalationTarget.DESK_HEAD}
    by_desk = {pk: desk_head_users(d) for pk, d in desks.items() if pk in head_desks}
    notices, per_person = [], defaultdict(int)
    with site_language():
        labels = {k: str(v) for k, v in EscalationTarget.choices}
        tpl = _("督办：诉求 %(n)s 已超期 %(d)d 个工作日，督办至%(t)s，请尽快办理")
        for case_id, desk_id, level, target, unit_id, person_id, days, rnd in rows:
            users = by_unit.get(unit_id, set()) if target == EscalationTarget.UNIT_HEAD else by_desk[desk_id]
            text = tpl % {"n": case_number(desk_id, case_id), "d": days, "t": labels[target]}
            notices += [Notice(recipient_id=u, object_type=CASE_TYPE, object_id=str(case_id),
                               event=f"escalate:{rnd}:{level}", text=text, link=case_link(case_id)) for u in users]
            if person_id:
                per_person[person_id] += 1
        phones = dict(Person.objects.filter(pk__in=list(per_person)).exclude(phone="").values_list("id", "phone"))
        sms_tpl = _("【伯乐】您有 %(k)d 件诉求超期被督办，请登录平台查看办理。")
        sms_send_on_commit([SmsMessage(phone=phones[p], text=sms_tpl % {"k": k})
                            for p, k in per_person.items() if p in phones])
    return notify(notices)
