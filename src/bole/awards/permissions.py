"""The awards' permission policy: the county runs rounds, units nominate, everyone sees what is public."""

from bole.core.scoping import Policy, ScopeRules

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
)


def is_county(user) -> bool:
    """County admins run rounds, answer objections and announce."""
    from bole.core.scoping import scope_of

    return scope_of(user).kind == "all"
