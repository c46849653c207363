"""The ledger's permission policy: cadres see their own points, unit admins their units', the county all."""

from bole.core.scoping import STAFF_OR_NON_JUDGE_PERSON, Policy, ScopeRules

from .models import PointCategory, PointEntry

policy = Policy(
    rules={
        PointEntry: ScopeRules(region="unit__region__code", unit="unit__path", person="person_id"),
        PointCategory: ScopeRules(public_actions=frozenset({"view"})),
    },
    actions={
        (PointEntry, "unit_admin"): {"view", "add", "export"},
        (PointEntry, "cadre"): {"view"},
        (PointCategory, "unit_admin"): {"view"},
        (PointCategory, "cadre"): {"view"},
    },
    abilities={
        "menu": STAFF_OR_NON_JUDGE_PERSON,  # a judge login only scores
    },
)
