"""The talent register's permission policy: shared by views, API, exports, selectors and services."""

from bole.core.scoping import COUNTY, PERSON, STAFF, Policy, ScopeRules

from .models import (
    Activity,
    Contestant,
    ContestTrack,
    Creator,
    Household,
    IncomeSurvey,
    StartupProject,
    Talent,
    TalentContest,
)

# Region and town staff keep the talents of their region (a town's office its territory); a talent with a login
# (a resident or cadre on the person register) reads their own record; the liaison reads the talents they look
# after (`liaised`, in the selectors).
_REGISTER = {"view", "add", "change", "transition", "export", "import", "view_sensitive", "history"}

policy = Policy(
    rules={
        Talent: ScopeRules(region="region_code", person="person_id"),
        Activity: ScopeRules(region="talent__region_code", person="talent__person_id"),
        Creator: ScopeRules(region="region_code", person="talent__person_id"),
        Household: ScopeRules(region="creator__region_code"),
        IncomeSurvey: ScopeRules(region="household__creator__region_code"),
        StartupProject: ScopeRules(region="region_code", person="founders__person_id"),
        # 人才大赛: run by the staff of the region it is held in; contestants and awards are read from the talent's
        # and the project's pages.
        TalentContest: ScopeRules(region="region_code"),
        ContestTrack: ScopeRules(region="contest__region_code"),
        Contestant: ScopeRules(region="contest__region_code", person="talent__person_id"),
    },
    actions={
        (Talent, "unit_admin"): _REGISTER,
        (Activity, "unit_admin"): {"view", "change"},
        (Creator, "unit_admin"): {"view", "add", "change", "export"},
        (Household, "unit_admin"): {"view", "add", "change"},
        (IncomeSurvey, "unit_admin"): {"view", "add"},
        (StartupProject, "unit_admin"): {"view", "add", "change", "export"},
        (TalentContest, "unit_admin"): {"view", "add", "change", "transition"},
        (ContestTrack, "unit_admin"): {"view", "add"},
        (Contestant, "unit_admin"): {"view", "add", "change"},
        (Talent, "cadre"): {"view"},
        (Talent, "resident"): {"view"},
        (Activity, "cadre"): {"view"},
        (Activity, "resident"): {"view"},
        (StartupProject, "cadre"): {"view"},
        (StartupProject, "resident"): {"view"},
    },
    abilities={
        "menu": STAFF,  # the register, lifecycle, projects, 红领创客 pages
        "manage": STAFF,
        "configure": COUNTY,  # the stage checklist templates
        "liaise": PERSON,  # a 人才专员 works the talents assigned to them
        "mine": PERSON,  # 我的人才服务: a talent's own phone page, reached from their home
    },
)
