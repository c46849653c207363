"""Reads of the talent register, scoped to the acting user: keyset pages and search that stay fast at county
scale, the lifecycle's overdue items, retention, the household income panel, and the `figures` hook."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bole.cases.selectors import cases_referring_to
from bole.core.figures import STOCK, Figure
from bole.core.scoping import own_person_id
from bole.engines.panel import PanelChange, income_change
from bole.org.selectors import enterprise_list, enterprise_search

from .choices import ActivityState, Education, Stage, SurveyState, TalentLevel, TalentStatus
from .models import (
    Activity,
    Contestant,
    Creator,
    Household,
    IncomeSurvey,
    StageEntry,
    StageTemplate,
    StartupProject,
    Talent,
    TalentContest,
)
from .permissions import policy

PAGE = 50
COUNT_CAP = 10_000  # list pages count at most this far ("10,000+"): an exact COUNT(*) over 1.6 million is slow


def talent_list(*, user, action: str = "view") -> QuerySet[Talent]:
    """The talents a user may act on: their scope's, and (for `view`) those a liaison looks after."""
    qs = policy.restrict(Talent.objects.all(), user, action)
    pid = own_person_id(user)
    if action == "view" and pid and policy.may(user, "liaise"):
        qs = qs | Talent.objects.filter(liaison_id=pid)
    return qs


def talent_get(*, user, pk, action: str = "view") -> Talent:
    """One talent the user may `action` (404 outside their scope)."""
    try:
        return (talent_list(user=user, action=action).select_related("employer", "region", "liaison", "person")
                .get(pk=pk))
    except (Talent.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def talent_search(qs: QuerySet[Talent], q: str, *, user=None) -> QuerySet[Talent]:
    """Name (prefix), full pinyin or initials (prefix), field (prefix) or employer (its name): each on an index."""
    q = (q or "").strip()
    if not q:
        return qs
    if re.fullmatch(r"[A-Za-z]+", q):
        low = q.lower()
        return qs.filter(Q(name_pinyin__startswith=low) | Q(name_initials__startswith=low))
    cond = Q(name__startswith=q) | Q(field__startswith=q)
    if user is not None and len(q) >= 2:
        employers = list(enterprise_search(enterprise_list(user=user), q).values_list("pk", flat=True)[:200])
        if employers:
            cond |= Q(employer_id__in=employers)
    return qs.filter(cond)


@dataclass
class Filters:
    q: str = ""
    level: str = ""
    stage: str = ""
    status: str = ""
    field: str = ""
    origin: str = ""

    @classmethod
    def of(cls, params) -> Filters:
        def pick(name, choices):
            v = params.get(name, "")
            return v if v in choices else ""

        from .choices import Origin

        return cls(q=params.get("q", "").strip()[:50], level=pick("level", TalentLevel.values),
                   stage=pick("stage", Stage.values), status=pick("status", TalentStatus.values),
                   field=params.get("field", "").strip()[:40], origin=pick("origin", Origin.values))


def talent_filtered(*, user, f: Filters, action: str = "view") -> QuerySet[Talent]:
    qs = talent_list(user=user, action=action)
    if f.q:
        qs = talent_search(qs, f.q, user=user)
    for name in ("level", "stage", "status", "origin"):
        if getattr(f, name):
            qs = qs.filter(**{name: getattr(f, name)})
    if f.field:
        qs = qs.filter(field__startswith=f.field)
    return qs


def talent_page(qs: QuerySet[Talent], *, after: int | None = None, size: int = PAGE) -> tuple[list[Talent], int | None]:
    """One keyset page, newest first: the rows after id `after`, and the cursor of the next page (None at the end).
    The database walks an index and stops after `size` rows, however deep the page."""
    if after:
        qs = qs.filter(id__lt=after)
    rows = list(qs.select_related("employer", "region", "liaison").order_by("-id")[: size + 1])
    nxt = rows[size - 1].pk if len(rows) > size else None
    return rows[:size], nxt


def bounded_count(qs: QuerySet) -> tuple[int, bool]:
    """(count, more): the exact count up to COUNT_CAP, else COUNT_CAP and True."""
    n = qs.order_by()[: COUNT_CAP + 1].count()
    return min(n, COUNT_CAP), n > COUNT_CAP


# --- the lifecycle ---------------------------------------------------------------------------------------------


def timeline(talent: Talent) -> list[StageEntry]:
    return list(talent.timeline.select_related("actor").order_by("on", "id"))


def checklist(talent: Talent) -> list[Activity]:
    """The talent's checklist items, current stage first."""
    rows = list(talent.activities.all())
    rows.sort(key=lambda a: (a.stage != talent.stage, a.due_on, a.pk))
    return rows


def templates() -> list:
    """The stage checklist templates (configuration, the same for everyone)."""
    return list(StageTemplate.objects.filter(is_active=True).order_by("stage", "sort", "id"))


def overdue_activities(*, user, today: dt.date | None = None) -> QuerySet[Activity]:
    """Open checklist items past their due date of the talents in the user's scope (and those a liaison keeps)."""
    today = today or timezone.localdate()
    talents = talent_list(user=user).filter(status=TalentStatus.ACTIVE).values("pk")
    return (Activity.objects.filter(state=ActivityState.OPEN, due_on__lt=today, talent__in=talents)
            .select_related("talent").order_by("due_on", "id"))


def liaised(*, user) -> QuerySet[Talent]:
    """The talents the login looks after as 人才专员."""
    pid = own_person_id(user)
    if not pid or not policy.may(user, "liaise"):
        return Talent.objects.none()
    return Talent.objects.filter(liaison_id=pid).select_related("employer")


def my_talent(*, user) -> Talent | None:
    """The login's own talent record (a talent who signs in on a phone)."""
    pid = own_person_id(user)
    if not pid or not policy.may(user, "mine"):
        return None
    return policy.restrict(Talent.objects.select_related("liaison", "employer"), user).filter(person_id=pid).first()


def service_cases(talent: Talent):
    """The talent's requests on the talent desk (read after the talent itself was checked with the Policy)."""
    return cases_referring_to(talent).order_by("-id")


RETENTION_MONTHS = (12, 24, 36)


def retention(qs: QuerySet[Talent], *, today: dt.date | None = None) -> dict[int, tuple[int, int]]:
    """{months: (cohort, retained)}: of the talents who arrived at least N months ago, how many were still in the
    county N months after arriving (not left, or left later). One aggregate query; N months = N·365/12 days."""
    today = today or timezone.localdate()
    agg = {}
    for m in RETENTION_MONTHS:
        days = dt.timedelta(days=round(m * 365 / 12))
        cohort = Q(arrival_date__lte=today - days)
        kept = cohort & (Q(left_on__isnull=True) | Q(left_on__gte=F("arrival_date") + days))
        agg[f"c{m}"] = Count("id", filter=cohort)
        agg[f"r{m}"] = Count("id", filter=kept)
    got = qs.filter(arrival_date__isnull=False).aggregate(**agg)
    return {m: (got[f"c{m}"], got[f"r{m}"]) for m in RETENTION_MONTHS}


# --- 红领创客 and the household panel ---------------------------------------------------------------------------


def creator_list(*, user) -> QuerySet[Creator]:
    return policy.restrict(Creator.objects.select_related("village", "talent"), user).annotate(
        n_households=Count("households", distinct=True))


def household_list(*, user) -> QuerySet[Household]:
    return policy.restrict(Household.objects.select_related("creator", "village"), user)


def panel_change(households: QuerySet[Household], *, min_wave: int = 2) -> PanelChange:
    """The income change of these households from records: two queries, the arithmetic in NumPy."""
    n = households.count()
    rows = np.array(list(IncomeSurvey.objects.filter(household__in=households.values("pk"), state=SurveyState.DONE)
                         .values_list("household_id", "wave", "income")), dtype=np.float64).reshape(-1, 3)
    return income_change(rows[:, 0], rows[:, 1], rows[:, 2], households=n, min_wave=min_wave)


def missed_waves(households: QuerySet[Household], *, today: dt.date | None = None, grace_days: int = 30) -> int:
    """Follow-ups due (more than `grace_days` ago) and not done: recorded as missed, or never recorded."""
    from .services import wave_due  # the one rule of when a wave is due

    today = today or timezone.localdate()
    done = set(IncomeSurvey.objects.filter(household__in=households.values("pk"), state=SurveyState.DONE)
               .values_list("household_id", "wave"))
    missed = 0
    for hid, linked in households.values_list("pk", "linked_on"):
        h = Household(pk=hid, linked_on=linked)
        k = 0
        while wave_due(h, k) + dt.timedelta(days=grace_days) < today:
            if (hid, k) not in done:
                missed += 1
            k += 1
    return missed


def panel_grid(household: Household, *, today: dt.date | None = None) -> list[dict]:
    """The household's waves so far: due date, state (done, missed, overdue, upcoming), income."""
    from .services import wave_due

    today = today or timezone.localdate()
    got = {s.wave: s for s in household.surveys.all()}
    out, k = [], 0
    while True:
        due = wave_due(household, k)
        if due > today and k not in got:
            out.append({"wave": k, "due": due, "state": "upcoming", "income": None})
            break
        s = got.get(k)
        out.append({"wave": k, "due": due, "state": s.state if s else "overdue",
                    "income": s.income if s and s.state == SurveyState.DONE else None})
        k += 1
    return out


# --- startup projects ------------------------------------------------------------------------------------------


def project_list(*, user) -> QuerySet[StartupProject]:
    return policy.restrict(StartupProject.objects.all(), user).distinct().prefetch_related("founders")


# --- figures ---------------------------------------------------------------------------------------------------


def figures(*, user, period) -> list[Figure]:
    """人才队伍's reported figures in the user's scope, each counted from the records as they are now."""
    talents = policy.restrict(Talent.objects.all(), user)
    counts = talents.aggregate(
        active=Count("id", filter=Q(status=TalentStatus.ACTIVE)),
        provincial=Count("id", filter=Q(status=TalentStatus.ACTIVE,
                                        level__in=[TalentLevel.NATIONAL, TalentLevel.PROVINCIAL])),
        introduced=Count("id", filter=Q(status=TalentStatus.ACTIVE, origin="introduced")),
        masters=Count("id", filter=Q(status=TalentStatus.ACTIVE, education__in=[Education.MASTER, Education.DOCTOR])),
    )
    keep = retention(talents)
    projects = policy.restrict(StartupProject.objects.exclude(stage="closed"), user)
    creators = policy.restrict(Creator.objects.filter(is_active=True), user)
    households = policy.restrict(Household.objects.all(), user)
    panel = panel_change(households)
    url = reverse("talent-list")
    out = [
        Figure("talents", _("人才总量"), counts["active"], _("人"), STOCK, _("人才库在册人才"), url),
        Figure("talents_provincial", _("省级以上人才"), counts["provincial"], _("人"), STOCK,
               _("在册的国家级、省级人才"), url + "?level=provincial"),
        Figure("talents_introduced", _("引进人才"), counts["introduced"], _("人"), STOCK, _("在册人才中来源为引进的"),
               url + "?origin=introduced"),
        Figure("talents_masters", _("硕士以上人才"), counts["masters"], _("人"), STOCK, _("在册的硕士、博士研究生"), url),
    ]
    for m, (cohort, kept) in keep.items():
        out.append(Figure(f"talent_retention_{m}", _("%(m)d个月留存率") % {"m": m},
                          round(100 * kept / cohort, 1) if cohort else 0, "%", STOCK,
                          _("到岗满%(m)d个月的 %(c)d 名人才中，%(m)d个月后仍在的比例") % {"m": m, "c": cohort},
                          reverse("talent-lifecycle")))
    out += [
        Figure("startup_projects", _("硕士以上创业项目"), projects.count(), _("个"), STOCK,
               _("在孵和运营中的硕士以上人才创业项目"), reverse("talent-projects")),
        Figure("red_creators", _("红领创客"), creators.count(), _("人"), STOCK, _("在营的红领创客"),
               reverse("talent-creators")),
        Figure("creator_households", _("带动农户"), panel.households, _("户"), STOCK, _("与红领创客结对的农户"),
               reverse("talent-creators")),
        Figure("household_income_change", _("农户年收入增加（中位数）"),
               round(panel.median_change or 0), _("元"), STOCK,
               _("有基线且满一年回访的 %(c)d 户（覆盖 %(p).0f%%）收入变化的中位数") % {
                   "c": panel.covered, "p": 100 * panel.coverage}, reverse("talent-creators")),
        Figure("households_up_30k", _("年增收3万元以上农户"), panel.above, _("户"), STOCK,
               _("回访记录显示年收入比基线多3万元以上的农户"), reverse("talent-creators")),
    ]
    return out


def project_totals(qs: QuerySet[StartupProject]) -> dict:
    return qs.aggregate(n=Count("id", distinct=True), investment=Sum("investment"), revenue=Sum("revenue"))


# --- 人才大赛 ---------------------------------------------------------------------------------------------------


def contest_list(*, user, action: str = "view") -> QuerySet[TalentContest]:
    return policy.restrict(TalentContest.objects.select_related("region", "unit"), user, action)


def contest_get(*, user, pk, action: str = "view") -> TalentContest:
    """One contest the user may `action` (404 outside their scope)."""
    return policy.get(TalentContest.objects.select_related("region", "unit"), user, pk, action)


def contest_board(contest: TalentContest) -> list[dict]:
    """Each track with its contestants: best placed first once awarded (award, then final score), otherwise by
    preliminary score once scored, otherwise in order of entry."""
    tracks = {t.pk: {"track": t, "entries": []} for t in contest.tracks.all()}
    entries = contest.contestants.select_related("talent", "project").order_by("id")
    for c in entries:
        tracks[c.track_id]["entries"].append(c)

    def key(c: Contestant):
        return (c.award_order or 99, -(c.final_score if c.final_score is not None else -1),
                -(c.preliminary_score if c.preliminary_score is not None else -1), c.pk)

    for t in tracks.values():
        t["entries"].sort(key=key)
    return list(tracks.values())


def awards_of(*, talent: Talent | None = None, project: StartupProject | None = None) -> list[Contestant]:
    """The contest entries of a talent or a project, with their awards (shown on its page, whose access the
    caller has checked): newest contest first."""
    qs = Contestant.objects.select_related("contest", "track")
    qs = qs.filter(talent=talent) if talent is not None else qs.filter(project=project)
    return list(qs.order_by("-contest__year", "-contest_id")[:20])
