"""Who sees the home branches: the county, the town (region), the community unit; members see their adoptions."""

from bole.core.scoping import STAFF, Policy, ScopeRules

from .models import Adoption, CoGovernanceCommittee, HomeBranch, Stairwell

_STAFF = {"view", "add", "change"}

policy = Policy(
    rules={
        HomeBranch: ScopeRules(region="community__code", unit="unit__path"),
        Stairwell: ScopeRules(region="branch__community__code", unit="branch__unit__path"),
        Adoption: ScopeRules(region="stairwell__branch__community__code", unit="stairwell__branch__unit__path",
                             person="person_id"),
        CoGovernanceCommittee: ScopeRules(region="branch__community__code", unit="branch__unit__path"),
    },
    actions={
        (HomeBranch, "unit_admin"): _STAFF,
        (Stairwell, "unit_admin"): _STAFF,
        (Adoption, "unit_admin"): _STAFF,
        (CoGovernanceCommittee, "unit_admin"): _STAFF,
        (Adoption, "cadre"): {"view"},
    },
    abilities={
        "menu": STAFF,
    },
)
