"""One access model: who may do what to which records, used by every page, API, export, picker and job.

Role and scope kind are enums read here only. Apps decide through their `Policy`:

- `restrict(qs, user, action)`: the rows of a queryset the user may act on (lists, exports, searches);
- `get(qs, user, pk, action)`: one row by id, 404 outside scope;
- `may(user, action, obj=None)` / `require(...)`: an action on one record (through `restrict`) or on none
  (an *ability* such as "configure" or "decide", a predicate on the user's scope declared in the Policy).

The predicates an ability is built from (`COUNTY`, `STAFF`, `PERSON`, ...) live in this module, so no other
module compares a role or a scope kind. `tests/test_access_model.py` fails the build when one does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet, TextChoices
from django.http import Http404
from django.utils.translation import gettext_lazy as _


class Role(TextChoices):
    """An account's role (Account.role)."""

    ADMIN = "admin", _("管理员")
    UNIT_ADMIN = "unit_admin", _("单位管理员")
    CADRE = "cadre", _("干部")
    JUDGE = "judge", _("评委")
    ENTERPRISE = "enterprise", _("企业")
    RESIDENT = "resident", _("居民")


class ScopeKind(StrEnum):
    """What part of the instance (a county, a city or a province) a scope covers."""

    ALL = "all"  # everything (the instance's admins)
    REGION = "region"  # a region subtree (an admin of a city's, a county's or a town's region)
    UNIT = "unit"  # a unit subtree, plus the unit's territory when the unit is a town or village
    PERSON = "person"  # one person (cadres, judges, residents with a register entry)
    ENTERPRISE = "enterprise"  # one enterprise
    NONE = "none"  # nothing


# Units that govern a territory: their admins also see what lies in the unit's region (enterprises, regions,
# home branches). A department sits in the county's region but governs none of it.
TERRITORIAL_UNIT_KINDS = frozenset({"town", "village"})


def region_prefix(code: str) -> str:
    """The part of a region code every code in its subtree starts with: a province's (XX0000) first two digits,
    a city's (XXXX00) first four, any other region's whole code (county 6, town 9, village 12 digits)."""
    if len(code) == 6 and code[2:] == "0000":
        return code[:2]
    if len(code) == 6 and code[4:] == "00":
        return code[:4]
    return code


@dataclass(frozen=True)
class Scope:
    """What part of the county a user may see: all, a region subtree, a unit subtree, one person/enterprise."""

    kind: ScopeKind
    role: str = ""
    region_code: str = ""  # REGION: the subtree's code prefix (region_prefix); UNIT: the unit's territory ("" for
    # a department). Records match by `code startswith region_code`.
    region_name: str = ""  # REGION: the region's name (湖州市, 吴兴区, 武康街道), for the home page
    unit_path: str = ""
    person_id: int | None = None
    enterprise_id: int | None = None


NO_SCOPE = Scope(kind=ScopeKind.NONE)


def scope_of(user) -> Scope:
    """The scope of a logged-in user, from their Account (superusers see everything)."""
    if user is None or not user.is_authenticated:
        return NO_SCOPE
    cached = getattr(user, "_bole_scope", None)
    if cached is not None:
        return cached
    account = getattr(user, "account", None) if hasattr(user, "account") else None
    if user.is_superuser and account is None:
        scope = Scope(kind=ScopeKind.ALL, role=Role.ADMIN)
    elif account is None:
        scope = NO_SCOPE
    elif account.role == Role.ADMIN:
        scope = Scope(kind=ScopeKind.ALL, role=Role.ADMIN)
    elif account.role == Role.UNIT_ADMIN and account.unit_id:
        unit = account.unit
        territory = unit.region.code if unit.kind in TERRITORIAL_UNIT_KINDS else ""
        scope = Scope(kind=ScopeKind.UNIT, role=Role.UNIT_ADMIN, region_code=territory, unit_path=unit.path)
    elif account.role == Role.UNIT_ADMIN and account.region_id:
        region = account.region
        scope = Scope(kind=ScopeKind.REGION, role=Role.UNIT_ADMIN, region_code=region_prefix(region.code),
                      region_name=region.name)
    elif account.role == Role.ENTERPRISE and account.enterprise_id:
        scope = Scope(kind=ScopeKind.ENTERPRISE, role=Role.ENTERPRISE, enterprise_id=account.enterprise_id)
    elif account.person_id:
        scope = Scope(kind=ScopeKind.PERSON, role=account.role, person_id=account.person_id)
    else:
        scope = Scope(kind=ScopeKind.NONE, role=account.role)
    user._bole_scope = scope
    return scope


def own_person_id(user) -> int | None:
    """The register person a login acts as (a cadre, judge or resident with a register entry), else None."""
    return scope_of(user).person_id


def own_enterprise_id(user) -> int | None:
    """The enterprise a login acts for, else None."""
    return scope_of(user).enterprise_id


# Predicates on a scope, from which Policies build their abilities. Only this module reads kind and role.
Predicate = Callable[[Scope], bool]


def COUNTY(scope: Scope) -> bool:  # noqa: N802 - a named rule, read like a constant in Policy tables
    """The instance's Organization Department (its unscoped admins: the county's, or the city's or province's
    when the instance covers one). A city's or county's admin inside a larger instance is region staff."""
    return scope.kind == ScopeKind.ALL


def STAFF(scope: Scope) -> bool:  # noqa: N802
    """Department staff: the instance's admins, a region's (city, county, town) or a unit's admins."""
    return scope.kind in {ScopeKind.ALL, ScopeKind.REGION, ScopeKind.UNIT}


def SEVERAL_COUNTIES(scope: Scope) -> bool:  # noqa: N802
    """Staff whose scope can hold more than one county: the instance's admins, or a city's or province's admins
    (their region prefix is shorter than a county's six digits)."""
    return scope.kind == ScopeKind.ALL or (scope.kind == ScopeKind.REGION and len(scope.region_code) < 6)


def LOCAL_STAFF(scope: Scope) -> bool:  # noqa: N802
    """A region's or a unit's admins (not the instance's admins)."""
    return scope.kind in {ScopeKind.REGION, ScopeKind.UNIT}


def COUNTY_STAFF(scope: Scope) -> bool:  # noqa: N802
    """The instance's admins, or a province's, city's or county's region admins (whose code is no town's)."""
    return scope.kind == ScopeKind.ALL or (scope.kind == ScopeKind.REGION and len(scope.region_code) <= 6)


def TOWN_STAFF(scope: Scope) -> bool:  # noqa: N802
    """A town's (镇街) admins: the town's region, or the town's own unit (its territory is the town)."""
    return scope.kind in {ScopeKind.REGION, ScopeKind.UNIT} and len(scope.region_code) == 9


def UNIT_STAFF(scope: Scope) -> bool:  # noqa: N802
    """A unit's admins: a department, a town's office, a village or a community."""
    return scope.kind == ScopeKind.UNIT


def PERSON(scope: Scope) -> bool:  # noqa: N802
    """A login that acts as one register person (cadre, judge, resident on the register)."""
    return scope.kind == ScopeKind.PERSON


def CADRE(scope: Scope) -> bool:  # noqa: N802
    """A cadre acting as themself."""
    return scope.kind == ScopeKind.PERSON and scope.role == Role.CADRE


def JUDGE(scope: Scope) -> bool:  # noqa: N802
    """A judge or rater login."""
    return scope.role == Role.JUDGE


def ENTERPRISE(scope: Scope) -> bool:  # noqa: N802
    """An enterprise's login."""
    return scope.kind == ScopeKind.ENTERPRISE


def SIGNED_IN(scope: Scope) -> bool:  # noqa: N802
    """Any login with a role and a scope."""
    return scope.kind != ScopeKind.NONE


def STAFF_OR_CADRE(scope: Scope) -> bool:  # noqa: N802
    """Staff, or a cadre acting as themself (the mechanism pages a cadre takes part in)."""
    return STAFF(scope) or CADRE(scope)


def STAFF_OR_PERSON(scope: Scope) -> bool:  # noqa: N802
    """Staff, or a login acting as one register person (the pages a person takes part in)."""
    return STAFF(scope) or PERSON(scope)


def STAFF_OR_ENTERPRISE(scope: Scope) -> bool:  # noqa: N802
    """Staff, or an enterprise login (the pages an enterprise keeps its own record on)."""
    return STAFF(scope) or ENTERPRISE(scope)


def STAFF_OR_NON_JUDGE_PERSON(scope: Scope) -> bool:  # noqa: N802
    """Staff, or a person who is not a judge login (judges only score: their menu is the scoring page)."""
    return STAFF(scope) or (PERSON(scope) and not JUDGE(scope))


def unit_covers(user, unit) -> bool:
    """Whether a unit lies inside the user's scope: its subtree (unit scope), region subtree, or everything."""
    if unit is None:
        return False
    scope = scope_of(user)
    if scope.kind == ScopeKind.ALL:
        return True
    if scope.kind == ScopeKind.UNIT:
        return unit.path.startswith(scope.unit_path)
    if scope.kind == ScopeKind.REGION:
        return unit.region.code.startswith(scope.region_code)
    return False


def region_reach(user) -> str | None:
    """The region code prefix a staff user's scope covers ("" for the whole instance; a town's unit its town's
    code), or None for a scope that is no territory (a department, a person, an enterprise)."""
    scope = scope_of(user)
    if scope.kind == ScopeKind.ALL:
        return ""
    if scope.kind in {ScopeKind.REGION, ScopeKind.UNIT} and scope.region_code:
        return scope.region_code
    return None


def scope_label(user) -> str:
    """What the home page says of the user's reach."""
    scope = scope_of(user)
    if scope.kind == ScopeKind.ALL:
        return str(_("管辖范围：全部区划"))
    if scope.kind == ScopeKind.NONE:
        return str(_("您的账号尚未分配角色"))
    if scope.kind == ScopeKind.REGION and scope.region_name:
        return str(_("管辖范围：%(region)s") % {"region": scope.region_name})
    if scope.kind in {ScopeKind.REGION, ScopeKind.UNIT}:
        return str(_("管辖范围：本单位/本辖区"))
    return ""


# What an account of each role is linked to: its scope ("" = none; a person is optional for judges and
# residents, who may have no register entry).
_ROLE_SCOPE = {Role.ADMIN: "", Role.UNIT_ADMIN: "unit_or_region", Role.CADRE: "person", Role.JUDGE: "person",
               Role.RESIDENT: "person", Role.ENTERPRISE: "enterprise"}


def role_scope_field(role: str) -> str | None:
    """What an account of `role` is linked to ("unit_or_region", "person", "enterprise", ""); None for a role
    that does not exist."""
    return _ROLE_SCOPE.get(role) if role in Role.values else None


@dataclass(frozen=True)
class ScopeRules:
    """How one model's rows map onto scopes: the lookups compared with the user's scope."""

    region: str | None = None  # field holding a region code, matched by prefix (region scopes, unit territory)
    unit: str | None = None  # field holding a unit path, matched by prefix
    person: str | None = None  # field equal to the person id
    enterprise: str | None = None  # field equal to the enterprise id
    public_actions: frozenset[str] = field(default_factory=frozenset)  # allowed to any scoped user
    owner: str | None = None  # field holding a login's id: each login's own rows (background jobs), any scope


class Policy:
    """Permission policy of one app: role → allowed actions per model, the models' scope rules, and abilities
    (actions on no record in particular: "configure", "decide", "menu", ...)."""

    def __init__(self, rules: dict[type[Model], ScopeRules], actions: dict[tuple[type[Model], str], set[str]],
                 abilities: dict[str, Predicate] | None = None):
        self.rules = rules
        self.actions = actions
        self.abilities = abilities or {}

    def allows(self, user, action: str, model: type[Model]) -> bool:
        """Whether the user's role may do `action` on some rows of `model` (before scope)."""
        scope = scope_of(user)
        if scope.kind == ScopeKind.NONE:
            return False
        if scope.kind == ScopeKind.ALL:
            return True
        return action in self.actions.get((model, scope.role), set())

    def restrict(self, qs: QuerySet, user, action: str = "view") -> QuerySet:
        """The rows of qs this user may act on: the only way views, API and exports read a register.

        A unit scope matches the unit rule (its subtree). Records with no unit rule (regions, enterprises) belong
        to a unit through its territory: a town's or village's own region, never the region a department sits in.
        """
        model = qs.model
        scope = scope_of(user)
        if not self.allows(user, action, model):
            return qs.none()
        if scope.kind == ScopeKind.ALL:
            return qs
        rules = self.rules[model]
        if action in rules.public_actions:
            return qs
        if rules.owner:
            return qs.filter(**{rules.owner: user.pk})
        if scope.kind == ScopeKind.UNIT:
            if rules.unit:
                return qs.filter(**{f"{rules.unit}__startswith": scope.unit_path})
            if rules.region and scope.region_code:
                return qs.filter(**{f"{rules.region}__startswith": scope.region_code})
            return qs.none()
        if scope.kind == ScopeKind.REGION and rules.region:
            return qs.filter(**{f"{rules.region}__startswith": scope.region_code})
        if scope.kind == ScopeKind.PERSON and rules.person:
            return qs.filter(**{rules.person: scope.person_id})
        if scope.kind == ScopeKind.ENTERPRISE and rules.enterprise:
            return qs.filter(**{rules.enterprise: scope.enterprise_id})
        return qs.none()

    def get(self, qs: QuerySet, user, pk, action: str = "view"):
        """One row by id within scope; 404 outside it, so other units' ids reveal nothing."""
        try:
            return self.restrict(qs, user, action).get(pk=pk)
        except (qs.model.DoesNotExist, ValueError, TypeError, OverflowError):
            raise Http404 from None

    def may(self, user, action: str, obj: Model | None = None) -> bool:
        """Whether the user may do `action`: an ability (no record), or an action on one record in scope.

        An ability named on a record must hold and the record must be in the user's view scope.
        """
        if action in self.abilities:
            if not self.abilities[action](scope_of(user)):
                return False
            if obj is None:
                return True
            action = "view"
        elif obj is None:
            raise ValueError(f"{action!r} is no ability of this policy")
        return self.restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()

    def require(self, user, action: str, obj: Model | None = None) -> None:
        """Raise PermissionDenied (403) unless `may(user, action, obj)`."""
        if not self.may(user, action, obj):
            raise PermissionDenied


# The scope kinds an account of each role can have (see scope_of), to select logins by what they may do.
_ROLE_KINDS = {Role.ADMIN: (ScopeKind.ALL,), Role.UNIT_ADMIN: (ScopeKind.UNIT, ScopeKind.REGION),
               Role.CADRE: (ScopeKind.PERSON,), Role.JUDGE: (ScopeKind.PERSON,), Role.RESIDENT: (ScopeKind.PERSON,),
               Role.ENTERPRISE: (ScopeKind.ENTERPRISE,)}


def logins_where(predicate: Predicate, *, prefix: str = "account__") -> Q:
    """A filter on users whose account's role meets `predicate` (desk handlers are staff or cadres, judges
    are judges), so a picker of logins names a predicate rather than a list of roles."""
    roles = [role for role, kinds in _ROLE_KINDS.items()
             if any(predicate(Scope(kind=kind, role=role)) for kind in kinds)]
    return Q(**{f"{prefix}role__in": roles})
