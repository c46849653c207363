"""Who may see and act on cases: desk staff, the handling units, owners, submitters (one policy)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from bole.core.db import fetch
from bole.core.scoping import (
    COUNTY,
    ENTERPRISE,
    LOCAL_STAFF,
    SIGNED_IN,
    STAFF,
    STAFF_OR_PERSON,
    Policy,
    ScopeRules,
    own_enterprise_id,
    own_person_id,
    unit_covers,
)
from bole.org.models import Unit
from bole.org.permissions import policy as org_policy

from .choices import Action
from .models import Case, CaseTask, Desk

DESK_ACTIONS = {Action.ACCEPT, Action.REJECT, Action.ASSIGN, Action.ARBITRATE, Action.MERGE}
HANDLER_ACTIONS = {Action.START, Action.DECLINE, Action.RESOLVE}


@dataclass(frozen=True)
class Visibility:
    """Which cases a user sees, resolved to ids once: every case, or those of the desks they handle, of the
    units in their scope (lead, review or sub-task unit), that they own or submitted, or their enterprise's.

    The ORM reads it as a Q (`q`, every queryset through the policy); the staff list page's prepared
    statement reads it as SQL (`sql`). Both say the same thing; tests compare them case by case.
    """

    everything: bool = False
    desk_ids: tuple[int, ...] = ()
    unit_ids: tuple[int, ...] = ()
    person_id: int | None = None
    user_id: int | None = None
    enterprise_id: int | None = None

    def q(self) -> Q:
        cond = Q(desk_id__in=self.desk_ids)
        if self.unit_ids:
            task_cases = CaseTask.objects.filter(unit_id__in=self.unit_ids).values("case_id")
            cond |= Q(lead_unit_id__in=self.unit_ids) | Q(review_unit_id__in=self.unit_ids) | Q(id__in=task_cases)
        if self.person_id is not None:
            cond |= Q(owner_id=self.person_id) | Q(submitter_person_id=self.person_id)
        if self.user_id is not None:
            cond |= Q(submitter_user_id=self.user_id)
        if self.enterprise_id is not None:
            cond |= Q(submitter_enterprise_id=self.enterprise_id)
        return cond

    def sql(self, alias: str, *, pinned: dict[str, int] | None = None) -> str:
        """The same condition over the case table aliased `alias` ("1 = 1" for everything, "1 = 0" for nothing).

        Ids are written into the statement (they are integers), so a prepared statement is planned for them.
        `pinned` holds columns the rest of the query fixes to one value (a desk or a lead unit filter): a
        branch that value satisfies makes the whole condition true, and a branch it contradicts is left out,
        so the database need not test every row of that desk or unit against the others.
        """
        if self.everything:
            return "1 = 1"
        pinned = pinned or {}
        desk, unit = pinned.get("desk_id"), pinned.get("lead_unit_id")
        if (desk is not None and desk in self.desk_ids) or (unit is not None and unit in self.unit_ids):
            return "1 = 1"
        parts = []

        def ids(values: tuple[int, ...]) -> str:
            return ", ".join(str(int(v)) for v in values)

        if self.desk_ids and desk is None:
            parts.append(f"{alias}.desk_id IN ({ids(self.desk_ids)})")
        if self.unit_ids:
            if unit is None:
                parts.append(f"{alias}.lead_unit_id IN ({ids(self.unit_ids)})")
            # Review units and co-unit tasks concern few cases: one id set, which the database can start from.
            parts.append(f"{alias}.id IN (SELECT id FROM {Case._meta.db_table} "  # noqa: S608 - ids are ints
                         f"WHERE review_unit_id IN ({ids(self.unit_ids)}) "
                         f"UNION ALL SELECT case_id FROM {CaseTask._meta.db_table} "
                         f"WHERE unit_id IN ({ids(self.unit_ids)}))")
        for column, value in (("owner_id", self.person_id), ("submitter_person_id", self.person_id),
                              ("submitter_user_id", self.user_id), ("submitter_enterprise_id", self.enterprise_id)):
            if value is not None:
                parts.append(f"{alias}.{column} = {int(value)}")
        return ("(" + " OR ".join(parts) + ")") if parts else "1 = 0"


NOTHING = Visibility()


def case_visibility(user) -> Visibility:
    """The user's Visibility (two small id reads for unit and region scopes, none for county admins)."""
    if policy.may(user, "everything"):
        return Visibility(everything=True)
    if user is None or not user.is_authenticated or not policy.may(user, "signed_in"):
        return NOTHING
    handlers = Desk.handlers.through._meta.db_table
    desk_ids = tuple(r[0] for r in fetch(f"SELECT desk_id FROM {handlers} WHERE user_id = %s",  # noqa: S608
                                         [user.pk]))
    if policy.may(user, "unit_staff"):
        units = org_policy.restrict(Unit.objects.all(), user)
        return Visibility(desk_ids=desk_ids, unit_ids=tuple(units.values_list("id", flat=True)))
    person_id = own_person_id(user)
    return Visibility(desk_ids=desk_ids, person_id=person_id, user_id=user.pk if person_id is not None else None,
                      enterprise_id=own_enterprise_id(user))


class CasePolicy(Policy):
    """Cases are seen by their desk's staff, the lead/co/review units' scope, the owner and the submitter."""

    def restrict(self, qs: QuerySet, user, action: str = "view") -> QuerySet:
        """Cases by visibility for "view"; what a user may do to a visible case is the transition table's
        question (`may_act`), so any other action on the case queryset is refused here."""
        if qs.model is not Case:
            return super().restrict(qs, user, action)
        if action != "view":
            raise ValueError(f"cases are read with 'view'; {action!r} is decided by may_act")
        visible = case_visibility(user)
        if visible.everything:
            return qs
        if visible == NOTHING:
            return qs.none()
        return qs.filter(visible.q())


policy = CasePolicy(
    rules={Case: ScopeRules(), Desk: ScopeRules(public_actions=frozenset({"view"}))},
    actions={(Desk, role): {"view"} for role in ("unit_admin", "cadre", "enterprise", "resident", "judge")},
    abilities={
        "everything": COUNTY,  # every case of every desk
        "configure": COUNTY,  # desks and the working calendar are county configuration
        "sweep": COUNTY,
        "signed_in": SIGNED_IN,
        "unit_staff": LOCAL_STAFF,  # sees the cases of the units in scope
        "stats": STAFF,
        "list": STAFF_OR_PERSON,  # the staff list of cases (a desk's handlers may open it too)
        "portal": ENTERPRISE,  # files and follows its own problems
    },
)


def is_desk_staff(user, desk: Desk) -> bool:
    """Admins and the desk's handlers run the desk (accept, assign, arbitrate, merge)."""
    if user is None or not user.is_authenticated:
        return False
    if policy.may(user, "everything"):
        return True
    return desk.handlers.filter(pk=user.pk).exists()


def is_handler(user, case: Case) -> bool:
    """The lead unit's (or, after a reopen, the review unit's) staff, or the owner person."""
    if user is None or not user.is_authenticated:
        return False
    person_id = own_person_id(user)
    if person_id is not None and case.owner_id == person_id:
        return True
    return unit_covers(user, case.lead_unit) or unit_covers(user, case.review_unit)


def is_submitter(user, case: Case, token: str | None = None) -> bool:
    """The submitter: the follow-link holder, the same login, enterprise or person."""
    import secrets

    if token:
        return secrets.compare_digest(token, case.follow_token)
    if user is None or not user.is_authenticated:
        return False
    if case.submitter_user_id and case.submitter_user_id == user.pk:
        return True
    enterprise_id, person_id = own_enterprise_id(user), own_person_id(user)
    if enterprise_id is not None and case.submitter_enterprise_id == enterprise_id:
        return True
    return person_id is not None and case.submitter_person_id == person_id


def may_act(user, case: Case, action: str, token: str | None = None) -> bool:
    """Permission half of the transition service (the table decides the state half)."""
    if action in DESK_ACTIONS:
        return is_desk_staff(user, case.desk)
    if action == Action.DECLINE:
        return is_handler(user, case)
    if action in HANDLER_ACTIONS:
        return is_handler(user, case) or is_desk_staff(user, case.desk)
    if action == Action.RATE:
        return is_submitter(user, case, token)
    return False


def may_record_meeting(user, case: Case) -> bool:
    """Desk staff and the handling unit's staff (or the owner) call and record coordination meetings."""
    return is_desk_staff(user, case.desk) or is_handler(user, case)


def may_work_task(user, task: CaseTask) -> bool:
    """A co-unit's staff (or desk staff) complete or decline its sub-task."""
    return unit_covers(user, task.unit) or is_desk_staff(user, task.case.desk)


def may_configure(user) -> bool:
    """Desks and the working calendar are county configuration: county admins only."""
    return policy.may(user, "configure")
