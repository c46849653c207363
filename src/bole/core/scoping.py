"""One scoping mechanism: who may do what to which records, used by every page, API, export and search."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404


@dataclass(frozen=True)
class Scope:
    """What part of the county a user may see: all, a region subtree, a unit subtree, one person/enterprise."""

    kind: str  # all | region | unit | person | enterprise | none
    role: str = ""
    region_code: str = ""
    unit_path: str = ""
    person_id: int | None = None
    enterprise_id: int | None = None


NO_SCOPE = Scope(kind="none")


def scope_of(user) -> Scope:
    """The scope of a logged-in user, from their Account (superusers see everything)."""
    if user is None or not user.is_authenticated:
        return NO_SCOPE
    cached = getattr(user, "_bole_scope", None)
    if cached is not None:
        return cached
    account = getattr(user, "account", None) if hasattr(user, "account") else None
    if user.is_superuser and account is None:
        scope = Scope(kind="all", role="admin")
    elif account is None:
        scope = NO_SCOPE
    elif account.role == "admin":
        scope = Scope(kind="all", role="admin")
    elif account.role == "unit_admin" and account.unit_id:
        unit = account.unit
        scope = Scope(kind="unit", role="unit_admin", region_code=unit.region.code, unit_path=unit.path)
    elif account.role == "unit_admin" and account.region_id:
        scope = Scope(kind="region", role="unit_admin", region_code=account.region.code)
    elif account.role == "enterprise" and account.enterprise_id:
        scope = Scope(kind="enterprise", role="enterprise", enterprise_id=account.enterprise_id)
    elif account.person_id:
        scope = Scope(kind="person", role=account.role, person_id=account.person_id)
    else:
        scope = Scope(kind="none", role=account.role)
    user._bole_scope = scope
    return scope


@dataclass(frozen=True)
class ScopeRules:
    """How one model's rows map onto scopes: the lookups compared with the user's scope."""

    region: str | None = None  # field holding a region code, matched by prefix
    unit: str | None = None  # field holding a unit path, matched by prefix
    person: str | None = None  # field equal to the person id
    enterprise: str | None = None  # field equal to the enterprise id
    public_actions: frozenset[str] = field(default_factory=frozenset)  # allowed to any scoped user


class Policy:
    """Permission policy of one app: role → allowed actions per model, plus the model's scope rules."""

    def __init__(self, rules: dict[type[Model], ScopeRules], actions: dict[tuple[type[Model], str], set[str]]):
        self.rules = rules
        self.actions = actions

    def allows(self, user, action: str, model: type[Model]) -> bool:
        scope = scope_of(user)
        if scope.kind == "none":
            return False
        if scope.kind == "all":
            return True
        return action in self.actions.get((model, scope.role), set())

    def restrict(self, qs: QuerySet, user, action: str = "view") -> QuerySet:
        """The rows of qs this user may act on: the only way views, API and exports read a register."""
        model = qs.model
        scope = scope_of(user)
        if not self.allows(user, action, model):
            return qs.none()
        if scope.kind == "all":
            return qs
        rules = self.rules[model]
        if action in rules.public_actions:
            return qs
        if scope.kind == "unit" and rules.unit:
            return qs.filter(**{f"{rules.unit}__startswith": scope.unit_path})
        if scope.kind in {"unit", "region"} and rules.region:
            return qs.filter(**{f"{rules.region}__startswith": scope.region_code})
        if scope.kind == "person" and rules.person:
            return qs.filter(**{rules.person: scope.person_id})
        if scope.kind == "enterprise" and rules.enterprise:
            return qs.filter(**{rules.enterprise: scope.enterprise_id})
        return qs.none()

    def get(self, qs: QuerySet, user, pk, action: str = "view"):
        """One row by id within scope; 404 outside it, so other units' ids reveal nothing."""
        try:
            return self.restrict(qs, user, action).get(pk=pk)
        except (qs.model.DoesNotExist, ValueError, TypeError):
            raise Http404 from None

    def check(self, user, action: str, obj: Model) -> None:
        """Raise PermissionDenied unless the user may do `action` on this record."""
        if not self.restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists():
            raise PermissionDenied
