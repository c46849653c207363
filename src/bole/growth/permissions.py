"""The growth records' permission policy: shared by views, API and selectors."""

from bole.core.scoping import COUNTY, STAFF_OR_NON_JUDGE_PERSON, Policy, ScopeRules

from .models import ChecklistItem, GrowthRecord

# Unit admins keep their units' young cadres' records; a young cadre sees their own record (mentors see
# their mentees' records through the selectors); only the county edits the checklist template.
policy = Policy(
    rules={
        GrowthRecord: ScopeRules(region="person__unit__region__code", unit="person__unit__path",
                                 person="person_id"),
        ChecklistItem: ScopeRules(public_actions=frozenset({"view"})),
    },
    actions={
        (GrowthRecord, "unit_admin"): {"view", "add", "change", "sign", "export"},
        (GrowthRecord, "cadre"): {"view", "submit"},
        (ChecklistItem, "unit_admin"): {"view"},
        (ChecklistItem, "cadre"): {"view"},
    },
    abilities={
        "configure": COUNTY,  # the checklist template; signs as any mentor
        "menu": STAFF_OR_NON_JUDGE_PERSON,
    },
)
