"""Reads of the assessment, scoped to the acting user through the assessment policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from bole.core.figures import FLOW, STOCK, Figure
from bole.core.scoping import region_reach
from bole.engines import scoring
from bole.engines.scoring import flag_names

from .choices import RoundStatus
from .compute import GRADE_EXCELLENT, grade_scheme_of, load_inputs, subjects
from .models import GradeDecision, Indicator, Objection, Result, Round, Scheme
from .permissions import policy
from .providers import task_providers

# Rounds others than the county see: only once results are out for publicity.
VISIBLE_TO_ALL = {RoundStatus.PUBLICITY, RoundStatus.PUBLISHED, RoundStatus.FROZEN}


def scheme_list(*, user) -> QuerySet[Scheme]:
    return policy.restrict(Scheme.objects.all(), user, "view")


def scheme_locked(scheme: Scheme) -> bool:
    """Whether a scheme is fixed: once a round's results are out for publicity, published or frozen, what that
    round shows (weights, indicators, the bulletin's wording) must stay what it was computed with."""
    return scheme.rounds.filter(status__in=VISIBLE_TO_ALL).exists()


def round_list(*, user) -> QuerySet[Round]:
    """Rounds the user may open; people outside the county see rounds from publicity on."""
    qs = policy.restrict(Round.objects.select_related("scheme"), user, "view")
    if not policy.may(user, "manage"):
        qs = qs.filter(status__in=VISIBLE_TO_ALL)
    return qs


def result_list(*, user, round: Round, action: str = "view") -> QuerySet[Result]:
    """A round's results within the user's scope."""
    qs = Result.objects.filter(round=round).select_related("person", "unit")
    if not policy.may(user, "manage") and round.status not in VISIBLE_TO_ALL:
        return qs.none()
    return policy.restrict(qs, user, action)


def objection_list(*, user, round: Round) -> QuerySet[Objection]:
    return policy.restrict(Objection.objects.filter(round=round).select_related("person", "unit"), user, "view")


def grade_counts(*, user, round: Round) -> dict[str, int]:
    return dict(result_list(user=user, round=round).values_list("grade").annotate(n=Count("id"))
                .values_list("grade", "n"))


@dataclass
class Line:
    """One indicator's row on the explanation page."""

    indicator: Indicator
    raw: float | None
    normalised: float
    weight: float
    contribution: Decimal
    missing: bool
    detail: dict

    @property
    def task_sources(self) -> list[tuple[str, int, int]]:
        """(source label, completed, assigned) of each task source that assigned this person anything."""
        labels = {name: str(label) for name, (label, _p) in task_providers().items()}
        return [(labels.get(key[9:], key[9:]), self.detail.get(f"completed:{key[9:]}", 0), n)
                for key, n in self.detail.items() if key.startswith("assigned:") and n]


def explanation(result: Result) -> tuple[list[Line], Decimal]:
    """The breakdown of a result: contributions are exact decimals that add up to the total."""
    b = result.breakdown
    decimals = result.round.parameters.get("decimals", 2)
    by_code = {i.code: i for i in result.round.scheme.indicators.all()}
    lines = []
    for j, code in enumerate(b["codes"]):
        lines.append(Line(
            indicator=by_code.get(code), raw=b["raw"][j], normalised=b["norm"][j], weight=b["weight"][j],
            contribution=Decimal(b["units"][j]).scaleb(-decimals), missing=b["missing"][j],
            detail=b.get("detail", {}).get(code, {}),
        ))
    return lines, sum((line.contribution for line in lines), Decimal(0)).quantize(Decimal(1).scaleb(-decimals))


def result_flags(result: Result) -> list[str]:
    return flag_names(result.flags) + flag_names(result.grade_flags, grade=True)


def history(*, user, person_id: int, scheme: Scheme) -> list[Result]:
    """A person's results in every visible round of a scheme, oldest first (the trend chart)."""
    rounds = round_list(user=user).filter(scheme=scheme)
    qs = Result.objects.filter(person_id=person_id, round__in=rounds).select_related("round")
    return list(policy.restrict(qs, user, "view").order_by("round__period"))


def inputs_changed(round: Round) -> bool:
    """Whether the inputs differ from those the stored results were computed (or frozen) with."""
    reference = round.frozen_fingerprint or round.input_fingerprint
    if not reference:
        return False
    return load_inputs(round).fingerprint != reference


# --- the 优秀 quota --------------------------------------------------------------------------------


@dataclass
class GroupQuota:
    """One ranking group's 优秀 places: how many people, the places by the rule, and who holds or awaits them."""

    group: str
    size: int
    places: int  # never more than share × size
    nominal: int  # what the scheme's rounding alone gives (more than places when it would break the share)
    decided: int  # 优秀 decided for people of this group
    excellent: int | None = None  # 优秀 in the computed results (None before a computation)
    tie_rank: int | None = None  # a tie at the boundary the tie-breakers cannot split
    tied: list[str] = field(default_factory=list)  # its people, by name
    over: list[str] = field(default_factory=list)  # decided 优秀 beyond the places (the group shrank)

    @property
    def left(self) -> int:
        """Places not yet taken in the computed results."""
        return max(self.places - (self.excellent or 0), 0)

    @property
    def unsettled(self) -> bool:
        return bool(self.tied or self.over)


def group_places(scheme: Scheme, size: int) -> tuple[int, int]:
    """(places, the rounding rule's own count) for a group of `size` under the scheme's share and rounding."""
    rule = grade_scheme_of(scheme)
    share = float(scheme.excellent_share)
    return int(rule.quota_count(share, size)), int(rule.quota_nominal(share, size))


def quota_summary(round: Round) -> list[GroupQuota]:
    """Per ranking group: size and places from the scheme's subjects today, decided 优秀, and from the stored results
    the 优秀 granted, a boundary tie for people to decide and decisions beyond the places. A few queries."""
    scheme = round.scheme
    ids, _units, group = subjects(scheme)
    decided_ids = np.array(GradeDecision.objects.filter(round=round, grade=GRADE_EXCELLENT)
                           .values_list("person_id", flat=True), dtype=np.int64)
    decided_group = group[np.isin(ids, decided_ids)]
    out: dict[str, GroupQuota] = {}
    for label in sorted(set(group.tolist())):
        size = int((group == label).sum())
        places, nominal = group_places(scheme, size)
        out[label] = GroupQuota(group=label, size=size, places=places, nominal=nominal,
                                decided=int((decided_group == label).sum()))
    results = Result.objects.filter(round=round)
    if results.exists():
        for row in (results.values("group").annotate(n=Count("id"),
                                                     excellent=Count("id", filter=Q(grade=GRADE_EXCELLENT)))):
            q = out.get(row["group"])
            if q is None or q.size != row["n"]:  # the people changed since: the figures of the computation
                places, nominal = group_places(scheme, row["n"])
                q = out[row["group"]] = GroupQuota(group=row["group"], size=row["n"], places=places,
                                                   nominal=nominal, decided=q.decided if q else 0)
            q.excellent = row["excellent"]
        flagged = (results.annotate(f=F("grade_flags").bitand(scoring.GRADE_FLAG_QUOTA_TIE
                                                              | scoring.GRADE_FLAG_DECISION_OVER_QUOTA))
                   .filter(f__gt=0).order_by("group", "position")
                   .values_list("group", "rank", "grade_flags", "person__name"))
        for label, rank, flags, name in flagged:
            q = out[label]
            if flags & scoring.GRADE_FLAG_QUOTA_TIE:
                q.tie_rank = rank
                q.tied.append(name)
            if flags & scoring.GRADE_FLAG_DECISION_OVER_QUOTA:
                q.over.append(name)
    return [out[k] for k in sorted(out)]


def quota_issues(round: Round) -> list[GroupQuota]:
    """Groups whose 优秀 wait for a decision: a tie at the boundary, or decided 优秀 beyond the places."""
    return [q for q in quota_summary(round) if q.unsettled]


def _regions_above(prefix: str) -> list[str]:
    """The 6-digit codes of the province and city above a region prefix (a scheme issued there applies below)."""
    return [f"{prefix[:2]}0000", f"{prefix[:4]}00"] if len(prefix) >= 4 else [f"{prefix[:2]}0000"]


def figures(*, user, period) -> list[Figure]:
    """奔跑赶超's reported figures in the user's scope (the `figures` hook): the schemes in force and their
    indicators now (and those of the versions they replaced), the rounds published for periods in the chosen one
    and the people they rank."""
    reach = region_reach(user)
    schemes = scheme_list(user=user)
    if reach:  # a region's staff: the schemes issued in it or above it, not a neighbouring county's
        schemes = schemes.filter(Q(region__isnull=True) | Q(region__code__startswith=reach) |
                                 Q(region__code__in=_regions_above(reach)))
    in_force = schemes.filter(is_active=True)
    indicators = Indicator.objects.filter(scheme__in=in_force.values("pk")).count()
    # The indicators of the versions these schemes replaced: what a scheme's simplification is measured against.
    before = Indicator.objects.filter(scheme__in=in_force.filter(replaces__isnull=False).values("replaces")).count()
    rounds = round_list(user=user).filter(scheme__in=schemes.values("pk"),
                                          status__in=[RoundStatus.PUBLISHED, RoundStatus.FROZEN])
    if period.code:
        rounds = rounds.filter(period__startswith=period.code)
    ranked = policy.restrict(Result.objects.filter(round__in=rounds.values("pk")), user, "view").count()
    url = reverse("assessment-home")
    return [
        Figure("schemes", _("考核方案"), in_force.count(), _("个"), STOCK, _("在用的考核方案"), url),
        Figure("indicators", _("考核指标"), indicators, _("项"), STOCK, _("在用考核方案的指标数之和"), url),
        Figure("indicators_before", _("精简前考核指标"), before, _("项"), STOCK,
               _("在用考核方案所取代的上一版方案的指标数之和"), url),
        Figure("rounds_published", _("发布的考核结果"), rounds.count(), _("期"), FLOW,
               _("已发布或归档的考核轮次，按考核周期"), url),
        Figure("people_ranked", _("参加排名"), ranked, _("人次"), FLOW, _("这些轮次排名的人次"), url),
    ]
