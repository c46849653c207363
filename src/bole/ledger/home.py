"""The ledger on the home page: a person's own points (the `tiles` hook, "mine")."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bole.core import periods
from bole.core.figures import TownColumn
from bole.core.plugins import Line, Section
from bole.core.scoping import own_person_id

from .choices import EntryStatus
from .models import PointEntry
from .selectors import entry_list


def my_points(user) -> list[Section]:
    """我的积分: approved points this quarter and this year, and the latest entries that earned or cost them."""
    person_id = own_person_id(user)
    if person_id is None:
        return []
    quarter = periods.of(timezone.localdate())
    year = periods.year_of(quarter)
    mine = entry_list(user=user).filter(person_id=person_id)
    approved = mine.filter(status=EntryStatus.APPROVED)
    sums = approved.aggregate(
        quarter=Sum("points", filter=Q(period=quarter)),
        year=Sum("points", filter=Q(period__in=periods.quarters_of(year) + [year])))
    latest = list(mine.select_related("category").order_by("-created_at", "-id")[:5])
    if not latest:
        return []
    lines = [
        Line(_("本季度（%(period)s）") % {"period": periods.label(quarter)}, note=_fmt(sums["quarter"])),
        Line(_("本年度"), note=_fmt(sums["year"])),
    ] + [Line(f"{e.category.label} · {e.reason}", reverse("ledger-entry", args=[e.pk]),
              f"{_fmt(e.points)} · {e.get_status_display()}",
              "" if e.status == EntryStatus.APPROVED else "warn") for e in latest]
    return [Section(label=_("我的积分"), items=lines, url=reverse("ledger-list"), link=_("全部积分记录"))]


def _fmt(points: Decimal | None) -> str:
    value = points or Decimal(0)
    return f"{value:+.2f}" if value else "0"


def town_columns(*, county: str, period) -> list[TownColumn]:
    """镇街赛马榜: approved points per cadre with points, for cadres of each town's units, in the period."""
    entries = PointEntry.objects.filter(status=EntryStatus.APPROVED, person__isnull=False,
                                        unit__region__code__startswith=county)
    if period.code:
        entries = entries.filter(period__in=periods.quarters_of(period.code) + [periods.year_of(period.code)])
    rows = (entries.annotate(town=Substr("unit__region__code", 1, 9)).values("town").order_by()
            .annotate(total=Sum("points"), people=Count("person_id", distinct=True)))
    per = {r["town"]: round(float(r["total"]) / r["people"], 2) for r in rows if len(r["town"]) == 9 and r["people"]}
    return [TownColumn("points_per_cadre", _("人均积分"), per, _("分"), True,
                       _("镇街单位干部审核通过的加减分之和除以有积分记录的人数，按积分周期"))]
