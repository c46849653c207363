"""干部大讲堂 on the home page (the `tiles` hook): a cadre's electives and hours; what waits for the hosts."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bole.core.plugins import Line, Section

from .choices import EnrolmentStatus
from .models import Enrolment
from .selectors import managed_sessions, my_person, requirement_of, standing_of


def my_training(user) -> list[Section]:
    """我的大讲堂: this year's hours against the requirement, and the next sessions enrolled or waited for."""
    person = my_person(user)
    if person is None:
        return []
    now = timezone.now()
    year = timezone.localtime(now).year
    st = standing_of(person, year=year, now=now)
    req = requirement_of(person, year)
    mine = reverse("training-mine")
    level = "ok" if st.met else ("danger" if not st.meetable else "warn")
    note = (_("已达标") if st.met else _("本年度已无法完成") if not st.meetable
            else _("还差 %(m)s 学时") % {"m": f"{st.missing:g}"})
    label = (_("学时 %(d)s / %(r)s（%(a)s—%(b)s 年）") % {"d": f"{st.done:g}", "r": f"{st.required:g}",
                                                         "a": req.first, "b": req.last}
             if req.division else _("本年度学时 %(d)s / %(r)s") % {"d": f"{st.done:g}", "r": f"{st.required:g}"})
    lines = [Line(label, mine, note, level)]
    upcoming = (Enrolment.objects.filter(person=person, session__starts_at__gt=now)
                .exclude(status=EnrolmentStatus.DROPPED).select_related("session").order_by("session__starts_at")[:4])
    for e in upcoming:
        lines.append(Line(e.session.title, reverse("training-session", args=[e.session_id]),
                          f"{timezone.localtime(e.session.starts_at):%m-%d %H:%M}"
                          + ("" if e.status == EnrolmentStatus.ENROLLED else " · " + _("候补")),
                          "" if e.status == EnrolmentStatus.ENROLLED else "warn"))
    return [Section(label=_("我的选修与学时"), items=lines, url=mine, link=_("干部大讲堂"))]


def waiting(user) -> list[dict]:
    """待办 for hosts: sessions in the coming week they run (to open the room's code), and those running now."""
    now = timezone.now()
    qs = managed_sessions(user=user).filter(status="published")
    return [
        {"label": _("大讲堂本周待开课"), "count": qs.filter(starts_at__gt=now,
                                                    starts_at__lte=now + dt.timedelta(days=7)).count(),
         "url": reverse("training-plan")},
        {"label": _("大讲堂正在签到"), "count": qs.filter(starts_at__lte=now + dt.timedelta(minutes=30),
                                                  ends_at__gte=now).count(), "url": reverse("training-plan")},
    ]
