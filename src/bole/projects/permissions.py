"""Who sees and runs key projects: the county, the responsible unit's admins, the leads and task force."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from bole.core.scoping import (
    COUNTY,
    STAFF,
    STAFF_OR_NON_JUDGE_PERSON,
    Policy,
    ScopeRules,
    own_person_id,
)

from .models import Milestone, Project

_UNIT = {"view", "add", "change", "transition", "milestone", "difficulty", "export"}


class ProjectPolicy(Policy):
    """A cadre sees the projects they lead or work on; units see their subtree's projects."""

    def restrict(self, qs: QuerySet, user, action: str = "view") -> QuerySet:
        person_id = own_person_id(user)
        if person_id is not None and self.allows(user, action, qs.model):
            field = "" if qs.model is Project else "project__"
            mine = Project.objects.filter(Q(leads=person_id) | Q(team=person_id)).values("pk")
            return qs.filter(**{f"{field}pk__in": mine})
        return super().restrict(qs, user, action)


policy = ProjectPolicy(
    rules={
        Project: ScopeRules(region="region__code", unit="unit__path"),
        Milestone: ScopeRules(region="project__region__code", unit="project__unit__path"),
    },
    actions={
        (Project, "unit_admin"): _UNIT,
        (Milestone, "unit_admin"): {"view", "milestone"},
        (Project, "cadre"): {"view", "difficulty"},
        (Milestone, "cadre"): {"view"},
    },
    abilities={
        "manage": COUNTY,  # settle frontline points, read a project's history
        "frontline": STAFF,  # the frontline evaluation page
        "menu": STAFF_OR_NON_JUDGE_PERSON,  # a judge login only scores
    },
)


def may_log_difficulty(user, project: Project) -> bool:
    """Leads and task-force members log difficulties on their project; so do units whose scope covers it."""
    person_id = own_person_id(user)
    if person_id is not None:
        return project.leads.filter(pk=person_id).exists() or project.team.filter(pk=person_id).exists()
    return policy.restrict(Project.objects.filter(pk=project.pk), user, "difficulty").exists()
