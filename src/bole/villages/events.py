"""强村论坛 / 强村大会 and the year's honours: writes and reads.

Honours are computed from the stored index results of the year (the latest run of the county's year): the top N
of the index (强村指数前列) and the villages that rose most in rank since the previous year's latest run (进步最快).
Computing again replaces the year's honours.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from bole.core.audit import audit_build, audit_bulk, audit_record
from bole.core.choices import AuditAction
from bole.org.models import Region
from bole.org.pickers import PEOPLE

from . import selectors
from .choices import EventKind, HonourKind
from .models import Honour, IndexRun, IndexScore, VillageEvent
from .permissions import policy

MAX_TOP = 50
MAX_AGENDA = 50


def _county_check(actor, county) -> None:
    policy.require(actor, "manage")
    if not selectors.county_in_reach(user=actor, county=county):
        raise PermissionDenied


@transaction.atomic
def event_create(*, county, kind: str, title: str, on: dt.date, place: str, actor, agenda: Sequence[str] = (),
                 villages: Sequence[Region] = (), people: Sequence = ()) -> VillageEvent:
    """A 强村论坛 or 强村大会 with its agenda and participants (villages of the county, people in reach)."""
    _county_check(actor, county)
    errors = {}
    if kind not in EventKind.values:
        errors["kind"] = _("请选择强村论坛或强村大会")
    agenda = [str(a).strip() for a in agenda if str(a).strip()]
    if len(agenda) > MAX_AGENDA:
        errors["agenda"] = _("议程最多 %(n)d 项") % {"n": MAX_AGENDA}
    if any(len(a) > 200 for a in agenda):
        errors["agenda"] = _("每项议程不超过 200 字")
    reach = selectors.village_regions(user=actor).filter(code__startswith=county.code[:6])
    outside = [v.name for v in villages if not reach.filter(pk=v.pk).exists()]
    if outside:
        errors["villages"] = _("不是本县（区）您管辖范围内的村：%(v)s") % {"v": "、".join(outside)}
    rows = PEOPLE.rows(actor)
    strangers = [p.name for p in people if not rows.filter(pk=p.pk).exists()]
    if strangers:
        errors["people"] = _("不在您管辖范围内的人员：%(v)s") % {"v": "、".join(strangers)}
    if errors:
        raise ValidationError(errors)
    event = VillageEvent(county=county, kind=kind, title=(title or "").strip(), on=on, place=(place or "").strip(),
                         agenda=agenda)
    event.full_clean()
    event.save()
    event.villages.set(list(villages))
    event.people.set(list(people))
    audit_record(actor=actor, action=AuditAction.CREATE, obj=event, changes={
        "kind": [None, kind], "title": [None, event.title], "on": [None, on.isoformat()],
        "villages": [None, sorted(v.pk for v in villages)], "people": [None, sorted(p.pk for p in people)]})
    return event


def villages_by_names(*, user, county, text: str) -> tuple[list[Region], list[str]]:
    """Villages named in a text (one a line, or separated by 、，,; a name or 镇街+村 name) among the user's villages
    of the county; returns them and the names that match none or several."""
    names = [n.strip() for n in _split(text) if n.strip()]
    pool = list(selectors.village_regions(user=user).filter(code__startswith=county.code[:6])
                .select_related("parent"))
    found, bad = [], []
    for name in dict.fromkeys(names):
        hits = [v for v in pool if name in (v.name, f"{v.parent.name if v.parent else ''}{v.name}")]
        if len(hits) == 1:
            found.append(hits[0])
        else:
            bad.append(name)
    return found, bad


def _split(text: str) -> list[str]:
    for sep in "、，,;；\r":
        text = (text or "").replace(sep, "\n")
    return text.split("\n")


def events(*, user) -> QuerySet:
    return policy.restrict(VillageEvent.objects.select_related("county"), user)


def event_get(*, user, pk) -> VillageEvent:
    return policy.get(VillageEvent.objects.select_related("county"), user, pk)


# --- honours ------------------------------------------------------------------------------------------


def _latest_run(county, year: int) -> IndexRun | None:
    return IndexRun.objects.filter(county=county, year=year).order_by("-created_at", "-id").first()


@transaction.atomic
def honours_compute(*, county, year: int, actor, top: int = 10, rises: int = 3) -> list[Honour]:
    """The year's honours from the stored index: the top `top` villages of the year's latest run, and the `rises`
    villages whose rank rose most since the previous year's latest run (ties: the better rank this year).
    Replaces the year's honours (every removal and insert audited)."""
    _county_check(actor, county)
    if not (1 <= int(top) <= MAX_TOP and 0 <= int(rises) <= MAX_TOP):
        raise ValidationError({"top": _("名额应在 1–%(n)d 之间") % {"n": MAX_TOP}})
    Region.objects.select_for_update(no_key=True).filter(pk=county.pk).first()  # one computation at a time
    run = _latest_run(county, year)
    if run is None:
        raise ValidationError({"year": _("%(y)s 年尚未计算强村指数") % {"y": year}})
    scores = list(IndexScore.objects.filter(run=run).select_related("village").order_by("rank", "village__code"))
    rows = [Honour(county=county, year=year, kind=HonourKind.TOP, village=s.village, place=k + 1, rank=s.rank,
                   score=s.score, run=run) for k, s in enumerate(scores[:int(top)])]
    prev = _latest_run(county, year - 1)
    if prev is not None and int(rises):
        before = dict(IndexScore.objects.filter(run=prev).values_list("village_id", "rank"))
        risen = sorted((s for s in scores if s.village_id in before and before[s.village_id] > s.rank),
                       key=lambda s: (s.rank - before[s.village_id], s.rank))
        rows += [Honour(county=county, year=year, kind=HonourKind.RISE, village=s.village, place=k + 1, rank=s.rank,
                        previous_rank=before[s.village_id], score=s.score, run=run)
                 for k, s in enumerate(risen[:int(rises)])]
    old = list(Honour.objects.filter(county=county, year=year).select_related("village"))
    events_ = [audit_build(actor=actor, action=AuditAction.DELETE, obj=h, changes={"kind": [h.kind, None]})
               for h in old]
    Honour.objects.filter(pk__in=[h.pk for h in old]).delete()
    for h in rows:
        h.full_clean(validate_constraints=False)
    Honour.objects.bulk_create(rows)
    events_ += [audit_build(actor=actor, action=AuditAction.CREATE, obj=h,
                            changes={"kind": [None, h.kind], "place": [None, h.place], "rank": [None, h.rank]})
                for h in rows]
    audit_bulk(events_)
    return rows


def honours(*, user) -> QuerySet:
    return policy.restrict(Honour.objects.select_related("village__parent", "county"), user) \
        .order_by("-year", "kind", "place")
