"""The assessment's permission policy: a cadre sees only their own results, unit admins their scope."""

from bole.core.scoping import COUNTY, PERSON, STAFF, STAFF_OR_NON_JUDGE_PERSON, Policy, ScopeRules

from .models import ManualValue, Objection, Result, Round, Scheme, TaskTally, UnitScore

policy = Policy(
    rules={
        Scheme: ScopeRules(public_actions=frozenset({"view"})),
        Round: ScopeRules(public_actions=frozenset({"view"})),
        Result: ScopeRules(region="unit__region__code", unit="unit__path", person="person_id"),
        Objection: ScopeRules(region="unit__region__code", unit="unit__path", person="person_id"),
        UnitScore: ScopeRules(region="unit__region__code", unit="unit__path"),
        TaskTally: ScopeRules(region="person__unit__region__code", unit="person__unit__path", person="person_id"),
        ManualValue: ScopeRules(region="person__unit__region__code", unit="person__unit__path",
                                person="person_id"),
    },
    actions={
        (Scheme, "unit_admin"): {"view"},
        (Scheme, "cadre"): {"view"},
        (Round, "unit_admin"): {"view"},
        (Round, "cadre"): {"view"},
        (Result, "unit_admin"): {"view", "export"},
        (Result, "cadre"): {"view"},
        (Objection, "unit_admin"): {"view", "add"},
        (Objection, "cadre"): {"view", "add"},
        (UnitScore, "unit_admin"): {"view"},
        (TaskTally, "unit_admin"): {"view", "export"},
        (TaskTally, "cadre"): {"view"},
        (ManualValue, "unit_admin"): {"view"},
        (ManualValue, "cadre"): {"view"},
    },
    abilities={
        "manage": COUNTY,  # schemes, rounds, grade decisions, objections' answers, bulletins
        "rankings": STAFF,  # the ranking page and its export (a cadre sees their own explanation instead)
        "own_results": PERSON,  # a person's own results and history
        "object": PERSON,  # lodge an objection to one's own result during publicity
        "menu": STAFF_OR_NON_JUDGE_PERSON,  # a judge login only scores
    },
)
