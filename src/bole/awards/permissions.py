"""The awards' permission policy: the county runs rounds, units nominate, everyone sees what is public."""

from bole.core.scoping import COUNTY, STAFF_OR_NON_JUDGE_PERSON, Policy, ScopeRules

from .models import AwardRound, Honour, Nomination, Objection

policy = Policy(
    rules={
        AwardRound: ScopeRules(public_actions=frozenset({"view"})),
        Nomination: ScopeRules(region="unit__region__code", unit="unit__path", person="person_id"),
        Objection: ScopeRules(region="nomination__unit__region__code", unit="nomination__unit__path",
                              person="lodged_person_id", public_actions=frozenset({"add"})),
        Honour: ScopeRules(public_actions=frozenset({"view"})),
    },
    actions={
        (AwardRound, "unit_admin"): {"view"},
        (AwardRound, "cadre"): {"view"},
        (AwardRound, "judge"): {"view"},
        (Nomination, "unit_admin"): {"view", "add", "withdraw"},
        (Nomination, "cadre"): {"view"},
        (Objection, "unit_admin"): {"view", "add"},
        (Objection, "cadre"): {"view", "add"},
        (Honour, "unit_admin"): {"view"},
        (Honour, "cadre"): {"view"},
        (Honour, "judge"): {"view"},
    },
    abilities={
        "manage": COUNTY,  # run rounds, answer objections, announce
        "menu": STAFF_OR_NON_JUDGE_PERSON,  # a judge login only scores
    },
)

