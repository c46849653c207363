"""The case desks' picker sources: units a case goes to, units at a meeting, a desk's handlers and head."""

from __future__ import annotations

from dataclasses import replace

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from bole.core.scoping import STAFF_OR_CADRE, logins_where, own_person_id
from bole.org import pickers
from bole.org.models import Person, Unit
from bole.org.permissions import policy as org_policy
from bole.org.selectors import login_choices, login_search

from .models import Case, Desk
from .permissions import may_configure


def _active_units() -> QuerySet[Unit]:
    return Unit.objects.filter(is_active=True).select_related("region")


def assignable_units(*, user) -> QuerySet[Unit]:
    """Units this user may hand a case to: every unit for county admins and for the handlers of a desk without
    a list of units, else the units listed on the desks they handle. A desk is not a region: its handlers
    assign across the county."""
    if user is None or not user.is_authenticated:
        return Unit.objects.none()
    if may_configure(user):
        return _active_units()
    desks = Desk.objects.filter(handlers=user, is_active=True)
    if not desks.exists():
        return Unit.objects.none()
    if desks.filter(assignable_units__isnull=True).exists():
        return _active_units()
    listed = Desk.assignable_units.through.objects.filter(desk__in=desks).values("unit_id")
    return _active_units().filter(pk__in=listed)


def meeting_units(*, user) -> QuerySet[Unit]:
    """Any unit of the county, for those who record coordination meetings: desk staff, the staff of a handling
    unit, and a person who owns a case."""
    if user is None or not user.is_authenticated:
        return Unit.objects.none()
    person_id = own_person_id(user)
    if (assignable_units(user=user).exists() or org_policy.allows(user, "view", Unit)
            or (person_id is not None and Case.objects.filter(owner_id=person_id).exists())):
        return _active_units()
    return Unit.objects.none()


def handler_candidates(*, user, desk: Desk | None = None) -> QuerySet:
    """Logins a county admin may make a desk's handlers: staff and cadres (and the desk's handlers now)."""
    found = logins_where(STAFF_OR_CADRE)
    if desk is not None:
        found |= Q(case_desks=desk)
    qs = login_choices(found)
    return qs if may_configure(user) else qs.none()


def head_candidates(*, user, desk: Desk | None = None) -> QuerySet[Person]:
    """People a county admin may make a desk's head: people with a login (they can be notified), section-level
    leaders and the staff of departments of a county (or of the city or province above it), and the desk's head now;
    not every villager."""
    if not may_configure(user):
        return Person.objects.none()
    heads = (Q(account__isnull=False) | Q(is_section_leader=True)
             | Q(unit__parent__isnull=True, unit__region__level__in=["province", "city", "county"]))
    if desk is not None and desk.head_id:
        heads |= Q(pk=desk.head_id)
    return Person.objects.filter(heads, is_active=True).select_related("unit").distinct()


CASE_UNITS = replace(pickers.UNITS, name="case-units", choices=assignable_units,
                     outside=_("所选单位不在本受理台可交办的单位中或已停用，请重新选择"))
MEETING_UNITS = replace(pickers.UNITS, name="meeting-units", choices=meeting_units,
                        outside=_("所选单位不在册或已停用，请重新选择"))
DESK_HANDLERS = replace(
    pickers.PEOPLE, name="desk-handlers", choices=handler_candidates, search=login_search, sensitive_search=None,
    describe=lambda u: u.name if u.name != u.username else "",
    placeholder=_("搜索账号或姓名"), outside=_("所选账号不能受理诉求或已停用，请重新选择"),
    several=_("请从搜索结果中选择，或输入完整账号"))
DESK_HEADS = replace(pickers.PEOPLE, name="desk-heads", choices=head_candidates,
                     outside=_("受理台负责人须为有账号的人员、科级领导干部或县级部门人员，请重新选择"))
