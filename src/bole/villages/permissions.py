"""Who sees 强村六式: staff within their region (a town its villages, a village unit itself); the county's
department configures indicators and runs the index; towns and the county import their villages' figures."""

from bole.core.scoping import COUNTY_STAFF, STAFF, Policy, ScopeRules

from .models import IndexRun, IndexScore, Indicator, MonthlyIncome, MonthlyReport, OperationTeam, VillageValue

_READ = {"view", "export"}

policy = Policy(
    rules={
        Indicator: ScopeRules(public_actions=frozenset({"view"})),
        VillageValue: ScopeRules(region="village__code"),
        MonthlyIncome: ScopeRules(region="village__code"),
        IndexRun: ScopeRules(region="county__code"),
        IndexScore: ScopeRules(region="village__code"),
        OperationTeam: ScopeRules(region="village__code"),
        MonthlyReport: ScopeRules(region="team__village__code"),
    },
    actions={
        (Indicator, "unit_admin"): {"view"},
        (VillageValue, "unit_admin"): {"view", "export", "add", "change"},
        (MonthlyIncome, "unit_admin"): {"view", "export", "add", "change"},
        (IndexRun, "unit_admin"): _READ,
        (IndexScore, "unit_admin"): _READ,
        (OperationTeam, "unit_admin"): _READ,
        (MonthlyReport, "unit_admin"): {"view", "add"},
    },
    abilities={
        "menu": STAFF,
        "import": STAFF,  # every row is checked against the importer's region (see services.values_import)
        "manage": COUNTY_STAFF,  # indicators, index runs, operation teams
    },
)
