"""人才 on the home page (the `tiles` hook): a talent's own services, a liaison's talents, staff's overdue items."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bole.core.plugins import Line, Section

from .choices import ActivityState
from .selectors import liaised, my_talent, overdue_activities, service_cases


def mine(user) -> list[Section]:
    """我的人才服务 (a talent) and 我联系的人才 (a liaison)."""
    out = []
    talent = my_talent(user=user)
    if talent is not None:
        lines = [Line(_("当前阶段：%(s)s") % {"s": talent.get_stage_display()}, reverse("talent-mine"),
                      _("人才专员：%(p)s") % {"p": talent.liaison.name} if talent.liaison_id else "")]
        for case in service_cases(talent)[:3]:
            lines.append(Line(case.title, reverse("cases-detail", args=[case.pk]), case.get_state_display(),
                              "warn" if case.state == "resolved" else ""))
        out.append(Section(label=_("我的人才服务"), items=lines, url=reverse("talent-mine"), link=_("提需求")))
    mine_talents = liaised(user=user)
    n = mine_talents.count()
    if n:
        late = mine_talents.filter(activities__state=ActivityState.OPEN,
                                   activities__due_on__lt=timezone.localdate()).distinct().count()
        out.append(Section(label=_("我联系的人才"), items=[Line(_("联系人才 %(n)d 名") % {"n": n},
                                                           reverse("talent-liaison-home"),
                                                           _("%(n)d 名有逾期事项") % {"n": late} if late else "",
                                                           "danger" if late else "ok")],
                           url=reverse("talent-liaison-home"), link=_("人才专员")))
    return out


def alerts(user) -> list[dict]:
    """预警: lifecycle checklist items past their date."""
    return [{"label": _("人才阶段事项逾期"), "count": overdue_activities(user=user).count(),
             "url": reverse("talent-lifecycle")}]
