"""The assessment on the home page: a person's latest published result, and the department's rounds and
objections waiting (the `tiles` hook)."""

from __future__ import annotations

import numpy as np
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bole.core import periods
from bole.core.plugins import Line, Section
from bole.core.scoping import own_person_id

from .choices import ObjectionStatus, RoundStatus
from .models import Objection, Result
from .permissions import policy
from .providers import task_sources
from .selectors import round_list


def my_result(user) -> list[Section]:
    """我的考核: the rank, grade and movement of the person's latest published result, with its explanation."""
    person_id = own_person_id(user)
    if person_id is None:
        return []
    rounds = round_list(user=user).filter(status__in=[RoundStatus.PUBLISHED, RoundStatus.FROZEN,
                                                      RoundStatus.PUBLICITY])
    result = (policy.restrict(Result.objects.filter(person_id=person_id, round__in=rounds.values("pk")), user, "view")
              .select_related("round").order_by("-round__period", "-round_id").first())
    if result is None:
        return []
    rnd = result.round
    lines = [
        Line(rnd.title,
             reverse("assessment-explain", args=[rnd.pk, person_id]), rnd.get_status_display()),
        Line(_("组内名次"), note=_("第 %(rank)s 名 / %(size)s 人") % {"rank": result.rank, "size": result.group_size}),
        Line(_("等次与总分"), note=f"{_(result.grade)} · {result.total}"),
    ]
    if result.prev_rank:
        moved = result.prev_rank - result.rank
        note = (_("上升 %(n)s 名") % {"n": moved} if moved > 0 else _("下降 %(n)s 名") % {"n": -moved} if moved < 0
                else _("持平"))
        lines.append(Line(_("较上期（第 %(rank)s 名）") % {"rank": result.prev_rank}, note=note,
                          level="ok" if moved > 0 else "warn" if moved < 0 else ""))
    return [Section(label=_("我的考核"), items=lines, url=reverse("assessment-explain", args=[rnd.pk, person_id]),
                    link=_("得分明细"))]


def waiting(user) -> list[dict]:
    """待办: objections to answer and rounds whose publicity has ended, for those who manage the assessment."""
    if not policy.may(user, "manage"):
        return []
    rounds = round_list(user=user)
    objections = Objection.objects.filter(round__in=rounds.values("pk"), status=ObjectionStatus.OPEN).count()
    ready = rounds.filter(status=RoundStatus.PUBLICITY, publicity_until__lt=timezone.localdate()).count()
    computed = rounds.filter(status=RoundStatus.COMPUTED).count()
    home = reverse("assessment-home")
    return [
        {"label": _("考核异议待答复"), "count": objections, "url": home},
        {"label": _("考核公示期满待发布"), "count": ready, "url": home},
        {"label": _("考核已计算待公示"), "count": computed, "url": home},
    ]


def my_tasks(user) -> list[Section]:
    """我的任务: this quarter's tasks from every source the assessment counts (个人任务完成率), done of assigned."""
    person_id = own_person_id(user)
    if person_id is None:
        return []
    quarter = periods.of(timezone.localdate())
    sources = task_sources(np.array([person_id], dtype=np.int64), quarter)
    rows = [(label, int(c[0]), int(a[0])) for label, c, a in sources.values() if a[0]]
    if not rows:
        return []
    done, assigned = sum(r[1] for r in rows), sum(r[2] for r in rows)
    lines = [Line(_("本季度（%(period)s）完成率") % {"period": periods.label(quarter)},
                  note=f"{done} / {assigned} · {100 * done / assigned:.0f}%", level="ok" if done == assigned else "")]
    lines += [Line(label, note=f"{c} / {a}", level="ok" if c == a else "warn") for label, c, a in rows]
    return [Section(label=_("我的任务"), items=lines)]
