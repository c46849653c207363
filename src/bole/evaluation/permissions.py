"""The evaluation app's permission policy: shared by views, API and selectors."""

from bole.core.scoping import COUNTY, JUDGE, STAFF_OR_NON_JUDGE_PERSON, Policy, ScopeRules

from .models import Evaluation

# Unit admins run their own unit's evaluations; cadres see only evaluations they are a subject of
# (and, in the views, only once results are published). Judges enter through their EventJudge seat.
_MANAGE = {"view", "add", "change", "transition", "export", "history"}

policy = Policy(
    rules={
        Evaluation: ScopeRules(region="unit__region__code", unit="unit__path", person="subjects__person"),
    },
    actions={
        (Evaluation, "unit_admin"): _MANAGE,
        (Evaluation, "cadre"): {"view"},
    },
    abilities={
        "configure": COUNTY,  # organise an evaluation for any unit
        "judge": JUDGE,  # a judge login: sits on panels, scores on the phone page
        "menu": STAFF_OR_NON_JUDGE_PERSON,
    },
)
