"""Who may see and act on cases: desk staff, the handling units, owners, submitters (one policy)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from bole.core.scoping import Policy, ScopeRules, scope_of

from .choices import Action
from .models import Case, CaseTask, Desk

DESK_ACTIONS = {Action.ACCEPT, Action.REJECT, Action.ASSIGN, Action.ARBITRATE, Action.MERGE}
HANDLER_ACTIONS = {Action.START, Action.DECLINE, Action.RESOLVE}


class CasePolicy(Policy):
    """Cases are seen by their desk's staff, the lead/co/review units' scope, the owner and the submitter."""

    def restrict(self, qs: QuerySet, user, action: str = "view") -> QuerySet:
        if qs.model is not Case:
            return super().restrict(qs, user, action)
        scope = scope_of(user)
        if scope.kind == "all":
            return qs
        if scope.kind == "none" or user is None or not user.is_authenticated:
            return qs.none()
        # Scope is resolved to id lists first, so the database can use the case indexes (no join per row).
        cond = Q(desk_id__in=list(Desk.objects.filter(handlers=user).values_list("id", flat=True)))
        if scope.kind in {"unit", "region"}:
            from bole.org.models import Unit

            units = Unit.objects.filter(path__startswith=scope.unit_path) if scope.kind == "unit" else \
                Unit.objects.filter(region__code__startswith=scope.region_code)
            unit_ids = list(units.values_list("id", flat=True))
            task_cases = CaseTask.objects.filter(unit_id__in=unit_ids).values("case_id")
            cond |= Q(lead_unit_id__in=unit_ids) | Q(review_unit_id__in=unit_ids) | Q(id__in=task_cases)
        elif scope.kind == "person":
            cond |= Q(owner_id=scope.person_id) | Q(submitter_person_id=scope.person_id) | Q(submitter_user=user)
        elif scope.kind == "enterprise":
            cond |= Q(submitter_enterprise_id=scope.enterprise_id)
        return qs.filter(cond)


policy = CasePolicy(
    rules={Case: ScopeRules(), Desk: ScopeRules(public_actions=frozenset({"view"}))},
    actions={(Desk, role): {"view"} for role in ("unit_admin", "cadre", "enterprise", "resident", "judge")},
)


def is_desk_staff(user, desk: Desk) -> bool:
    """Admins and the desk's handlers run the desk (accept, assign, arbitrate, merge)."""
    if user is None or not user.is_authenticated:
        return False
    if scope_of(user).kind == "all":
        return True
    return desk.handlers.filter(pk=user.pk).exists()


def unit_in_scope(user, unit) -> bool:
    """Whether a unit lies inside the user's unit/region scope (the unit's own staff)."""
    if unit is None:
        return False
    scope = scope_of(user)
    if scope.kind == "all":
        return True
    if scope.kind == "unit":
        return unit.path.startswith(scope.unit_path)
    if scope.kind == "region":
        return unit.region.code.startswith(scope.region_code)
    return False


def is_handler(user, case: Case) -> bool:
    """The lead unit's (or, after a reopen, the review unit's) staff, or the owner person."""
    if user is None or not user.is_authenticated:
        return False
    scope = scope_of(user)
    if scope.kind == "person" and case.owner_id and scope.person_id == case.owner_id:
        return True
    return unit_in_scope(user, case.lead_unit) or unit_in_scope(user, case.review_unit)


def is_submitter(user, case: Case, token: str | None = None) -> bool:
    """The submitter: the follow-link holder, the same login, enterprise or person."""
    import secrets

    if token:
        return secrets.compare_digest(token, case.follow_token)
    if user is None or not user.is_authenticated:
        return False
    scope = scope_of(user)
    if case.submitter_user_id and case.submitter_user_id == user.pk:
        return True
    if scope.kind == "enterprise" and case.submitter_enterprise_id == scope.enterprise_id:
        return True
    return scope.kind == "person" and case.submitter_person_id == scope.person_id


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


def may_work_task(user, task: CaseTask) -> bool:
    """A co-unit's staff (or desk staff) complete or decline its sub-task."""
    return unit_in_scope(user, task.unit) or is_desk_staff(user, task.case.desk)


def may_configure(user) -> bool:
    """Desks and the working calendar are county configuration: county admins only."""
    return user is not None and user.is_authenticated and scope_of(user).kind == "all"
