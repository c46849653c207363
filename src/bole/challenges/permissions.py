"""The challenge board's permission policy: shared by views, API and selectors."""

from bole.core.scoping import CADRE, SIGNED_IN, STAFF_OR_NON_JUDGE_PERSON, Policy, ScopeRules

from .models import Challenge, ChallengeApplication

# Unit admins publish and run their own units' challenges; every cadre may read the board (non-draft
# challenges, filtered in the selectors) and sees only their own applications.
_MANAGE = {"view", "add", "change", "transition", "decide", "export", "history"}

policy = Policy(
    rules={
        Challenge: ScopeRules(region="publisher_unit__region__code", unit="publisher_unit__path",
                              person="holders__person"),
        ChallengeApplication: ScopeRules(region="challenge__publisher_unit__region__code",
                                         unit="challenge__publisher_unit__path", person="person_id"),
    },
    actions={
        (Challenge, "unit_admin"): _MANAGE,
        (Challenge, "cadre"): {"view"},
        (ChallengeApplication, "unit_admin"): {"view", "decide", "export"},
        (ChallengeApplication, "cadre"): {"view", "add", "withdraw"},
    },
    abilities={
        "board": SIGNED_IN,  # the board's published challenges
        "apply": CADRE,  # 揭榜 as oneself
        "menu": STAFF_OR_NON_JUDGE_PERSON,
    },
)
