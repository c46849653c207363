"""Who sees 强村六式: staff within their region (a town its villages, a village unit itself); the county's
department configures indicators, runs the index, pairs 强村局长 with villages, contracts and reviews operation
teams; towns and the county import their villages' figures. A 强村局长 (a cadre login) sees and logs on their own
pairings."""

from bole.core.scoping import COUNTY_STAFF, STAFF, Policy, ScopeRules

from .models import (
    Honour,
    IndexRun,
    IndexScore,
    Indicator,
    MonthlyIncome,
    MonthlyReport,
    OperationTeam,
    Patron,
    PatronLog,
    TeamReview,
    TeamReviewEntry,
    VillageEvent,
    VillageValue,
)

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
        Patron: ScopeRules(region="village__code", person="person_id"),
        PatronLog: ScopeRules(region="patron__village__code", person="patron__person_id"),
        TeamReview: ScopeRules(region="county__code"),
        TeamReviewEntry: ScopeRules(region="team__village__code"),
        # 强村论坛/大会 are public events of the county: every staff login reads them
        VillageEvent: ScopeRules(region="county__code", public_actions=frozenset({"view"})),
        Honour: ScopeRules(region="village__code"),
    },
    actions={
        (Indicator, "unit_admin"): {"view"},
        (VillageValue, "unit_admin"): {"view", "export", "add", "change"},
        (MonthlyIncome, "unit_admin"): {"view", "export", "add", "change"},
        (IndexRun, "unit_admin"): _READ,
        (IndexScore, "unit_admin"): _READ,
        (OperationTeam, "unit_admin"): _READ,
        (MonthlyReport, "unit_admin"): {"view", "add"},
        # A town's staff log visits and raise problems for their villages' heads; the head does on their own.
        (Patron, "unit_admin"): {"view", "change"},
        (Patron, "cadre"): {"view", "change"},
        (PatronLog, "unit_admin"): {"view"},
        (PatronLog, "cadre"): {"view"},
        (TeamReview, "unit_admin"): {"view"},
        (TeamReviewEntry, "unit_admin"): {"view"},
        (VillageEvent, "unit_admin"): {"view"},
        (Honour, "unit_admin"): {"view"},
    },
    abilities={
        "menu": STAFF,
        "import": STAFF,  # every row is checked against the importer's region (see services.values_import)
        "manage": COUNTY_STAFF,  # indicators, index runs, pairings, operation teams and their review
    },
)
