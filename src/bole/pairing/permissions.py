"""产学研 pairing's permission policy: shared by views, API, selectors and services.

The department (the instance's admins, a county's region admins) keeps the experts, classifies needs, runs the
matching and follows every pairing in its region; an enterprise sees its own needs and pairings; an expert on
the register sees the pairings proposed to them.
"""

from bole.core.scoping import COUNTY_STAFF, ENTERPRISE, PERSON, STAFF, Policy, Scope, ScopeRules

from .models import Conflict, Expert, MatchRun, Need, Pairing, Report


def _menu(scope: Scope) -> bool:
    return STAFF(scope) or ENTERPRISE(scope) or PERSON(scope)


_DEPT = {"view", "add", "change", "import", "export", "history", "transition"}

policy = Policy(
    rules={
        Expert: ScopeRules(region="region__code", person="person_id"),
        Conflict: ScopeRules(region="expert__region__code"),
        Need: ScopeRules(region="enterprise__region__code", enterprise="enterprise_id"),
        MatchRun: ScopeRules(region="region__code"),
        Pairing: ScopeRules(region="need__enterprise__region__code", enterprise="need__enterprise_id",
                            person="expert__person_id"),
        Report: ScopeRules(region="pairing__need__enterprise__region__code",
                           enterprise="pairing__need__enterprise_id", person="pairing__expert__person_id"),
    },
    actions={
        (Expert, "unit_admin"): _DEPT,
        (Conflict, "unit_admin"): _DEPT,
        (Need, "unit_admin"): _DEPT,
        (MatchRun, "unit_admin"): _DEPT,
        (Pairing, "unit_admin"): _DEPT,
        (Report, "unit_admin"): _DEPT,
        (Need, "enterprise"): {"view"},
        (Pairing, "enterprise"): {"view", "transition"},
        (Report, "enterprise"): {"view", "add"},
        (Expert, "resident"): {"view"},
        (Expert, "cadre"): {"view"},
        (Pairing, "resident"): {"view", "transition"},
        (Pairing, "cadre"): {"view", "transition"},
        (Report, "resident"): {"view", "add"},
        (Report, "cadre"): {"view", "add"},
    },
    abilities={
        "menu": _menu,
        "manage": COUNTY_STAFF,  # experts, classification, matching runs, hand changes
        "post": ENTERPRISE,  # an enterprise posts a technical need
    },
)
