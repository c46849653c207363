"""Key projects on the home page (the `tiles` hook): the projects a person leads with their light and next
milestone, and the projects gone red in the staff's scope."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from bole.core.figures import TownColumn
from bole.core.plugins import Line, Section
from bole.core.scoping import own_person_id

from .choices import ACTIVE_STATUSES, Colour, ProjectStatus
from .models import Milestone, Project
from .permissions import policy
from .selectors import lights_of, project_lights, project_list

_LEVEL = {Colour.RED: "danger", Colour.YELLOW: "warn", Colour.GREEN: "ok"}


def my_projects(user) -> list[Section]:
    """我领办的项目: light and the next milestone not done."""
    person_id = own_person_id(user)
    if person_id is None:
        return []
    led = list(project_list(user=user).filter(leads=person_id).exclude(status=ProjectStatus.CANCELLED)
               .order_by("-is_major", "id")[:6])
    if not led:
        return []
    lights = project_lights(led)
    nexts = {}
    for m in Milestone.objects.filter(project__in=[p.pk for p in led], done_on__isnull=True).order_by("sort", "id"):
        nexts.setdefault(m.project_id, m)
    lines = []
    for p in led:
        light = lights.get(p.pk, "")
        m = nexts.get(p.pk)
        due = f" · {m.name} {m.planned_on:%Y-%m-%d}" if m and m.planned_on else (f" · {m.name}" if m else "")
        lines.append(Line(f"{p.name}{due}", reverse("projects-detail", args=[p.pk]),
                          str(Colour(light).label) if light in Colour.values else p.get_status_display(), _LEVEL.get(light, "")))
    return [Section(label=_("我领办的重点项目"), items=lines, url=reverse("projects-list"), link=_("重点项目"))]


def alerts(user) -> list[dict]:
    """预警 for staff: projects whose schedule light is red."""
    if not policy.may(user, "frontline"):
        return []
    live = project_list(user=user).exclude(status__in=[ProjectStatus.CANCELLED]).select_related(None)
    rows = list(live.values_list("pk", "status", "signed_on"))
    lights = lights_of(rows, Milestone.objects.filter(project__in=live.values("pk"))) if rows else {}
    red = sum(1 for light in lights.values() if light == Colour.RED)
    return [{"label": _("重点项目亮红灯"), "count": red, "url": reverse("projects-list")}]


def town_columns(*, county: str, period) -> list[TownColumn]:
    """镇街赛马榜: the running key projects in each town whose schedule light is red, now (fewer is better)."""
    live = Project.objects.filter(region__code__startswith=county, status__in=ACTIVE_STATUSES)
    rows = list(live.values_list("pk", "status", "signed_on", "region__code"))
    lights = (lights_of([r[:3] for r in rows], Milestone.objects.filter(project__region__code__startswith=county,
                                                                        project__status__in=ACTIVE_STATUSES))
              if rows else {})
    red: dict[str, float | None] = {}
    for pk, _status, _signed, region_code in rows:
        code = region_code[:9]
        if len(code) == 9:
            red[code] = (red.get(code) or 0) + (1 if lights.get(pk) == Colour.RED else 0)
    return [TownColumn("projects_red", _("重点项目红灯"), red, _("个"), False, _("镇街在建重点项目中节点超期的项目数（当前）"))]
